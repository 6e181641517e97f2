/* SPDX-License-Identifier: MIT */
/*
 * hypercall.h - the dispatcher and every hypercall handler's prototype.
 * Owns:    the handler signatures. Arguments arrive in rdi, rsi, rdx, r10,
 *          r8 (Xen's x86_64 convention) and are passed on unchanged;
 *          guest pointers are plain guest virtual addresses (uint64_t)
 *          that handlers pass to copy_from_guest()/copy_to_guest().
 */
#ifndef PVISOR_HYPERCALL_H
#define PVISOR_HYPERCALL_H

#include <xen/errno.h>
#include "sched.h"
#include "tlbflush.h"

#define HYPERCALL_MAX_ARGS 5

/* A guest's 64-bit hypercall number for the dispatcher, saturated. */
static inline unsigned int hypercall_nr(uint64_t nr)
{
    return nr > UINT32_MAX ? UINT32_MAX : (unsigned int)nr;
}
long hypercall_dispatch(struct vcpu *v, unsigned int nr,
                        const uint64_t args[HYPERCALL_MAX_ARGS]);

/*
 * The dispatcher's hot path (nr: the guest's 64-bit number), inline so that the syscall entry
 * (do_guest_hypercall()) and multicall pass the arguments on in the
 * registers they arrive in: one bounds check, one table load, one
 * counter, and the TLB flushes it causes counted where they happen
 * (tlbflush_reuse_counter; a multicall entry's in the entry's row). A
 * number without a handler takes hypercall_dispatch_enosys() (counted
 * too). Cycle sampling (hypercall_sampling: off by default, hc_cycles on
 * the command line, the 'c' debug key at run time) also times each call:
 * hypercall_call_sampled(), about 60 instructions more (two calls to
 * arch_cycles() and the arguments kept across them).
 * The syscall entry does the same in assembly (entry.S, its fast path):
 * a change here is a change there.
 */
typedef long (*hypercall_fn_t)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
/*
 * 0 in a build configured -Dhypercall_counters=false (hypervisor/
 * meson.build): a constant, so the compiler drops the counting below and
 * the rows stay 0. Only to measure what the counters cost.
 */
#ifndef HYPERCALL_COUNTERS
#define HYPERCALL_COUNTERS 1
#endif
struct hypercall {
    const char *name;
    hypercall_fn_t fn;
};
extern const struct hypercall hypercall_table[NR_HYPERCALLS];
extern bool hypercall_sampling;
long hypercall_dispatch_enosys(struct domain *d, unsigned int nr);
long hypercall_call_sampled(struct hypercall_stats *s, hypercall_fn_t fn,
                            uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                            uint64_t a4);
/*
 * The same from entry.S, with the arguments in the registers they
 * arrived in and fn in r9: the row is the one the dispatcher pointed
 * tlbflush_reuse_counter at. (A second function rather than this
 * argument order for both: with fn last, the compiler gives the inline
 * dispatcher above one more move per multicall entry.)
 */
long hypercall_call_sampled_entry(uint64_t a0, uint64_t a1, uint64_t a2,
                                  uint64_t a3, uint64_t a4, hypercall_fn_t fn);

static inline long hypercall_dispatch_args(struct vcpu *v, uint64_t nr,
                                           uint64_t a0, uint64_t a1, uint64_t a2,
                                           uint64_t a3, uint64_t a4)
{
    struct hypercall_stats *s;
    hypercall_fn_t fn;
    long rc;

    if (__builtin_expect(nr >= NR_HYPERCALLS, 0))
        return hypercall_dispatch_enosys(v->domain, hypercall_nr(nr));
    fn = hypercall_table[nr].fn;
    if (__builtin_expect(!fn, 0))
        return hypercall_dispatch_enosys(v->domain, (unsigned int)nr);
    if (!HYPERCALL_COUNTERS)
        return fn(a0, a1, a2, a3, a4);
    s = &v->domain->hc_stats[nr];
    s->calls++;
    tlbflush_reuse_counter = &s->reuse_flushes;
    if (__builtin_expect(hypercall_sampling, 0))
        rc = hypercall_call_sampled(s, fn, a0, a1, a2, a3, a4);
    else
        rc = fn(a0, a1, a2, a3, a4);
    tlbflush_reuse_counter = NULL;
    return rc;
}
void hypercall_stats_dump(const struct domain *d);
const char *hypercall_name(unsigned int nr);
/* Has hypercall nr a handler (a row in hypercall_table)? */
bool hypercall_implemented(unsigned int nr);
/* Fill a hypercall page (the HYPERCALL_PAGE ELF note) at va. */
void hypercall_page_init(void *va);

/*
 * Long hypercalls (batches) stop every HYPERCALL_PREEMPT_BATCH items and
 * continue later: hypercall_create_continuation() rewinds the guest to
 * its syscall instruction with new arguments (the rest of the batch), so
 * the call resumes as if issued again; the handler returns what it
 * returns. Inside a multicall (as Xen) the new arguments are written into
 * the entry instead, and the multicall continues from that entry; it
 * also stops every HYPERCALL_PREEMPT_BATCH entries of its own. So no
 * hypercall runs unbounded, however long or aliased its lists are.
 * MMU_UPDATE_PREEMPTED marks a resumed mmu_update/mmuext_op count (as
 * Xen); memory_op carries its restart point in cmd's high bits.
 */
#define HYPERCALL_PREEMPT_BATCH 512
#define MMU_UPDATE_PREEMPTED    (~(~0U >> 1))
/* Stop here, done items into a batch? (Inline: every entry asks.) */
static inline bool hypercall_preempt_check(unsigned int done)
{
    return done && !(done % HYPERCALL_PREEMPT_BATCH);
}
long hypercall_create_continuation(unsigned int nr, uint64_t a0, uint64_t a1,
                                   uint64_t a2, uint64_t a3, uint64_t a4);

/*
 * A hypercall that moves the vCPU to another frame (iret: new rip, rsp,
 * flags, perhaps user mode) calls this: inside a multicall it ends the
 * batch there, as in Xen since XSA-213 (mc_exit): the multicall returns
 * this entry's result and runs no entry after it. Outside one, nothing.
 */
void hypercall_exit_multicall(struct vcpu *v);

/* Log why a hypercall fails (DEBUG, rate-limited) and return rc. */
#define hc_fail(rc, ...) hc_fail_at(rc, __FILE__, __LINE__, __VA_ARGS__)
long hc_fail_at(long rc, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* common/ */
long do_console_io(unsigned int cmd, unsigned int count, uint64_t buffer);
long do_xen_version(unsigned int cmd, uint64_t arg);
long do_event_channel_op(unsigned int cmd, uint64_t arg);
long do_set_timer_op(uint64_t timeout);
long do_vcpu_op(unsigned int cmd, unsigned int vcpuid, uint64_t arg);
long do_sched_op(unsigned int cmd, uint64_t arg);
long do_vm_assist(unsigned int cmd, unsigned int type);
long do_sysctl(uint64_t arg);
long do_domctl(uint64_t arg);
long do_physdev_op(unsigned int cmd, uint64_t arg);
long do_grant_table_op(unsigned int cmd, uint64_t uop, unsigned int count);
/* arch/x86_64/ */
long do_set_trap_table(uint64_t traps);
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);
long do_callback_op(unsigned int cmd, uint64_t arg);
long do_set_gdt(uint64_t frame_list, unsigned int entries);
long do_stack_switch(unsigned long ss, unsigned long esp);
long do_fpu_taskswitch(unsigned int set);
long do_set_segment_base(unsigned int which, unsigned long base);
long do_iret(void);
long do_update_va_mapping(uint64_t va, uint64_t val, unsigned long flags);
long do_mmuext_op(uint64_t ops, unsigned int count, uint64_t pdone,
                  unsigned int foreigndom);
long do_mmu_update(uint64_t ureqs, unsigned int count, uint64_t pdone,
                   unsigned int foreigndom);
long do_update_va_mapping_otherdomain(uint64_t va, uint64_t val,
                                      unsigned long flags, domid_t domid);
long do_update_descriptor(uint64_t maddr, uint64_t desc);
long do_memory_op(unsigned long cmd, uint64_t arg);
long do_multicall(uint64_t call_list, unsigned int nr_calls);
long do_set_debugreg(int reg, unsigned long value);
long do_get_debugreg(int reg);

#endif
