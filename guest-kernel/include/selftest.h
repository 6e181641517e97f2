/* SPDX-License-Identifier: MIT */
/*
 * selftest.h - the boot-time self-tests of the hypervisor ABI.
 * Owns:    struct selftest, the ST_* checking macros, the output format
 *          "selftest: <name> ... ok" / "... FAILED (<why>)" and the summary
 *          "selftest: N passed, M failed" (tests/boot/ parses these lines).
 * Touches: nothing; kernel/selftest.c holds the table of tests.
 *
 * A test returns NULL when it passes, or the reason it failed (st_fail()).
 * Each expectation was checked against Xen 4.17 itself.
 */
#ifndef SELFTEST_H
#define SELFTEST_H

#include <kernel.h>

struct selftest {
    const char *name;
    const char *(*run)(void);
};

/* Format a failure reason into a static buffer and return it. */
const char *st_fail(const char *fmt, ...) __printf(1, 2);

#define ST_EXPECT(cond, ...)                                      \
    do {                                                          \
        if (!(cond))                                              \
            return st_fail(__VA_ARGS__);                          \
    } while (0)

/* expr must evaluate to want; the reason names the expression. */
#define ST_EXPECT_RC(expr, want)                                  \
    do {                                                          \
        long st_rc_ = (long)(expr);                               \
        if (st_rc_ != (long)(want))                               \
            return st_fail("%s = %ld, want %ld", #expr, st_rc_,   \
                           (long)(want));                         \
    } while (0)

/* Propagate a failure from a helper that returns a reason or NULL. */
#define ST_TRY(call)                                              \
    do {                                                          \
        const char *st_why_ = (call);                             \
        if (st_why_)                                              \
            return st_why_;                                       \
    } while (0)

/* An address in the lower half, where nothing is mapped yet. */
#define ST_UNMAPPED_VA 0x00000000deadb000UL

/* Run every test; return the number that failed. */
int selftest_run_all(void);

/*
 * Check that exactly one trap happened since trap_last.count was `before`,
 * with this vector, error code and rip, raised in guest-kernel mode.
 */
const char *st_check_trap(unsigned long before, unsigned long vector,
                          unsigned long error_code, unsigned long rip);

/*
 * Run an event test's body with events masked and no port bound before and
 * after, on the event ABI the kernel was on (selftest/events.c).
 */
const char *st_events(const char *(*body)(void));

/* The tests (selftest/ *.c). */
const char *st_page_fault(void);
const char *st_general_protection(void);
const char *st_invalid_opcode(void);
const char *st_breakpoint(void);
const char *st_softint_dpl3(void);
const char *st_softint_dpl0(void);
const char *st_fpu_taskswitch(void);
const char *st_trap_table_reload(void);
const char *st_probe_call(void);
const char *st_cpuid_xen_leaves(void);
const char *st_xen_version(void);
const char *st_msr_segment_bases(void);
const char *st_set_segment_base(void);
const char *st_callback_op(void);
const char *st_stack_switch(void);
const char *st_set_gdt_bad_frame(void);
const char *st_vm_assist(void);
const char *st_update_va_mapping(void);
const char *st_mmuext_op(void);
const char *st_mm_own_tables(void);
const char *st_mm_alloc(void);
const char *st_mm_pagetables(void);
const char *st_multicall(void);
const char *st_multicall_long(void);
const char *st_memory_reservation(void);
const char *st_balloon(void);
const char *st_console_io(void);
const char *st_console_ring(void);
const char *st_hypercall_enosys(void);
const char *st_raw_syscall(void);
const char *st_evtchn_ipi(void);
const char *st_evtchn_masked(void);
const char *st_evtchn_port_mask(void);
const char *st_evtchn_interdomain(void);
const char *st_evtchn_loopback(void);
const char *st_evtchn_status_close(void);
const char *st_evtchn_virq(void);
const char *st_evtchn_reset(void);
const char *st_evtchn_fifo(void);
const char *st_time_pvclock(void);
const char *st_time_wallclock(void);
const char *st_timer_oneshot(void);
const char *st_timer_sshot_future(void);
const char *st_timer_cancel(void);
const char *st_sched_block(void);
const char *st_timer_spin(void);
const char *st_timer_periodic(void);
const char *st_smp(void);

#endif /* SELFTEST_H */
