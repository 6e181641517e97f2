/* SPDX-License-Identifier: MIT */
/*
 * selftest.c - the table of self-tests and the runner.
 * Owns:    selftests[] (one row per test, in run order), the output lines.
 * Touches: printk; trap_last (through st_check_trap).
 */
#include <selftest.h>
#include <asm/traps.h>
#include <xen/xen.h>

#define ST_REASON_SIZE 160

static const struct selftest selftests[] = {
    { "page_fault",          st_page_fault },
    { "general_protection",  st_general_protection },
    { "invalid_opcode",      st_invalid_opcode },
    { "breakpoint",          st_breakpoint },
    { "softint_dpl3",        st_softint_dpl3 },
    { "softint_dpl0",        st_softint_dpl0 },
    { "fpu_taskswitch",      st_fpu_taskswitch },
    { "trap_table_reload",   st_trap_table_reload },
    { "probe_call",          st_probe_call },
    { "cpuid_xen_leaves",    st_cpuid_xen_leaves },
    { "xen_version",         st_xen_version },
    { "msr_segment_bases",   st_msr_segment_bases },
    { "set_segment_base",    st_set_segment_base },
    { "callback_op",         st_callback_op },
    { "stack_switch",        st_stack_switch },
    { "set_gdt_bad_frame",   st_set_gdt_bad_frame },
    { "vm_assist",           st_vm_assist },
    { "update_va_mapping",   st_update_va_mapping },
    { "mmuext_op",           st_mmuext_op },
    { "mm_own_tables",       st_mm_own_tables },
    { "mm_alloc",            st_mm_alloc },
    { "mm_pagetables",       st_mm_pagetables },
    { "multicall",           st_multicall },
    { "multicall_long",      st_multicall_long },
    { "memory_reservation",  st_memory_reservation },
    { "balloon",             st_balloon },
    { "console_io",          st_console_io },
    { "console_ring",        st_console_ring },
    { "hypercall_enosys",    st_hypercall_enosys },
    { "raw_syscall",         st_raw_syscall },
    { "evtchn_ipi",          st_evtchn_ipi },
    { "evtchn_masked",       st_evtchn_masked },
    { "evtchn_port_mask",    st_evtchn_port_mask },
    { "evtchn_interdomain",  st_evtchn_interdomain },
    { "evtchn_loopback",     st_evtchn_loopback },
    { "evtchn_status_close", st_evtchn_status_close },
    { "evtchn_virq",         st_evtchn_virq },
    { "evtchn_reset",        st_evtchn_reset },
    { "evtchn_fifo",         st_evtchn_fifo },
    { "time_pvclock",        st_time_pvclock },
    { "time_wallclock",      st_time_wallclock },
    { "timer_oneshot",       st_timer_oneshot },
    { "timer_sshot_future",  st_timer_sshot_future },
    { "timer_cancel",        st_timer_cancel },
    { "sched_block",         st_sched_block },
    { "timer_spin",          st_timer_spin },
    { "timer_periodic",      st_timer_periodic },
    { "smp",                 st_smp },
};

static char st_reason[ST_REASON_SIZE];

const char *st_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(st_reason, sizeof(st_reason), fmt, ap);
    va_end(ap);
    return st_reason;
}

const char *st_check_trap(unsigned long before, unsigned long vector,
                          unsigned long error_code, unsigned long rip)
{
    unsigned long cs = trap_last.cs & FRAME_CS_SELECTOR_MASK;

    ST_EXPECT(trap_last.count == before + 1, "%lu traps, want 1",
              trap_last.count - before);
    ST_EXPECT(trap_last.vector == vector, "vector %#lx, want %#lx",
              trap_last.vector, vector);
    ST_EXPECT(trap_last.error_code == error_code, "error code %#lx, want %#lx",
              trap_last.error_code, error_code);
    ST_EXPECT(trap_last.rip == rip, "rip %#lx, want %#lx", trap_last.rip, rip);
    ST_EXPECT((cs & SELECTOR_RPL_MASK) == 0, "saved cs %#lx: RPL not 0 (kernel)", cs);
    ST_EXPECT((cs | SELECTOR_RPL_MASK) == FLAT_KERNEL_CS, "saved cs %#lx, want %#x",
              cs, FLAT_KERNEL_CS & ~SELECTOR_RPL_MASK);
    return NULL;
}

int selftest_run_all(void)
{
    int passed = 0, failed = 0;
    const char *why;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(selftests); i++) {
        why = selftests[i].run();
        if (why) {
            printk("selftest: %s ... FAILED (%s)\n", selftests[i].name, why);
            failed++;
        } else {
            printk("selftest: %s ... ok\n", selftests[i].name);
            passed++;
        }
    }
    printk("selftest: %d passed, %d failed\n", passed, failed);
    return failed;
}
