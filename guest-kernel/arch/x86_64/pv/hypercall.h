/* SPDX-License-Identifier: MIT */
/*
 * pv/hypercall.h - typed wrappers for the Xen PV64 hypercalls the kernel uses.
 * Owns:    the calling convention: number in the hypercall page slot
 *          (hypercall_page + nr * 32), arguments in rdi, rsi, rdx, r10, r8,
 *          result in rax (0, a count, or -XEN_E*).
 * Touches: hypercall_page (head.S), which the hypervisor filled at build time.
 * ABI:     abi/xen/xen.h (__HYPERVISOR_*); docs/abi/hypercalls.md.
 *
 * Only arch/x86_64/pv/, the Xen device drivers (drivers/xen/), the
 * self-tests and the test-image code (through include/testapi.h) include
 * this file; the rest of the kernel goes through pv_ops.
 */
#ifndef PV_HYPERCALL_H
#define PV_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/callback.h>
#include <xen/memory.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include "hypercall_page.h"

extern char hypercall_page[];

/*
 * Call hypercall nr through its stub.  The stub saves rcx/r11 around the
 * syscall, but hypervisors may clobber the argument registers (Xen debug
 * builds do), so they are all outputs too.
 */
static inline long hypercall5(unsigned int nr, unsigned long a1, unsigned long a2,
                              unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    void *stub = hypercall_page + nr * HYPERCALL_STUB_SIZE;
    long ret;

    asm volatile("call *%[stub]"
                 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 : [stub] "r"(stub)
                 : "memory", "rcx", "r11");
    return ret;
}

/*
 * The same hypercall with the syscall instruction issued inline, as Linux
 * 6.1.121+ does (xen_hypercall_pv): any syscall from guest-kernel mode is a
 * hypercall, whether or not it lies in the hypercall page.
 */
static inline long hypercall5_syscall(unsigned int nr, unsigned long a1, unsigned long a2,
                                      unsigned long a3, unsigned long a4, unsigned long a5)
{
    register unsigned long r10 asm("r10") = a4;
    register unsigned long r8 asm("r8") = a5;
    long ret = nr;

    asm volatile("push %%rcx; push %%r11; syscall; pop %%r11; pop %%rcx"
                 : "+a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
                 :
                 : "memory", "rcx", "r11");
    return ret;
}

#define HC(nr, a1, a2, a3) hypercall5((nr), (unsigned long)(a1), (unsigned long)(a2), \
                                      (unsigned long)(a3), 0, 0)

static inline long HYPERVISOR_set_trap_table(const struct trap_info *traps)
{ return HC(__HYPERVISOR_set_trap_table, traps, 0, 0); }

static inline long HYPERVISOR_set_gdt(const xen_pfn_t *frames, unsigned int entries)
{ return HC(__HYPERVISOR_set_gdt, frames, entries, 0); }

static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{ return HC(__HYPERVISOR_stack_switch, ss, sp, 0); }

static inline long HYPERVISOR_fpu_taskswitch(int set)
{ return HC(__HYPERVISOR_fpu_taskswitch, set, 0, 0); }

/* DRn (0-7); the value read, or -XEN_ENODEV for no such register. */
static inline long HYPERVISOR_set_debugreg(int reg, unsigned long value)
{ return HC(__HYPERVISOR_set_debugreg, reg, value, 0); }

static inline long HYPERVISOR_get_debugreg(int reg)
{ return HC(__HYPERVISOR_get_debugreg, reg, 0, 0); }

static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte,
                                                unsigned long flags)
{ return HC(__HYPERVISOR_update_va_mapping, va, pte, flags); }

static inline long HYPERVISOR_console_io(int cmd, int count, char *buf)
{ return HC(__HYPERVISOR_console_io, cmd, count, buf); }

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{ return HC(__HYPERVISOR_xen_version, cmd, arg, 0); }

static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{ return HC(__HYPERVISOR_vm_assist, cmd, type, 0); }

static inline long HYPERVISOR_set_segment_base(unsigned int which, unsigned long base)
{ return HC(__HYPERVISOR_set_segment_base, which, base, 0); }

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{ return HC(__HYPERVISOR_callback_op, cmd, arg, 0); }

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{ return HC(__HYPERVISOR_sched_op, cmd, arg, 0); }

static inline long HYPERVISOR_mmuext_op(struct mmuext_op *ops, unsigned int count,
                                        unsigned int *done, domid_t foreigndom)
{
    return hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)ops, count,
                      (unsigned long)done, foreigndom, 0);
}

/*
 * mmu_update(reqs, count, done, foreigndom): apply count requests in order;
 * *done (if not NULL) counts those applied, so after an error reqs[*done]
 * is the one that failed.  ptr's low two bits are the MMU_* command.
 */
static inline long HYPERVISOR_mmu_update(struct mmu_update *reqs, unsigned int count,
                                         unsigned int *done, domid_t foreigndom)
{
    return hypercall5(__HYPERVISOR_mmu_update, (unsigned long)reqs, count,
                      (unsigned long)done, foreigndom, 0);
}

/* update_va_mapping in another domain's address space (dom0 only). */
static inline long HYPERVISOR_update_va_mapping_otherdomain(unsigned long va, uint64_t pte,
                                                            unsigned long flags,
                                                            domid_t domid)
{
    return hypercall5(__HYPERVISOR_update_va_mapping_otherdomain, va, pte, flags,
                      domid, 0);
}

/* memory_op(cmd, arg): arg's type depends on cmd (xen/memory.h).  Returns
 * 0, a count (reservations: extents done; current_reservation: pages) or
 * -XEN_E*. */
static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{ return HC(__HYPERVISOR_memory_op, cmd, arg, 0); }

/* multicall(calls, nr): run each entry's hypercall in order; each entry's
 * result field gets that hypercall's return value.  Returns 0 unless the
 * list itself could not be read. */
static inline long HYPERVISOR_multicall(struct multicall_entry *calls, unsigned int nr)
{ return HC(__HYPERVISOR_multicall, calls, nr, 0); }

/* event_channel_op(cmd, arg): arg is the sub-op's struct (xen/event_channel.h),
 * its OUT fields filled on success.  0 or -XEN_E*. */
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{ return HC(__HYPERVISOR_event_channel_op, cmd, arg, 0); }

/* update_descriptor(ma, desc): write one 8-byte GDT/LDT descriptor at
 * machine address ma, after validating it. */
static inline long HYPERVISOR_update_descriptor(uint64_t ma, uint64_t desc)
{ return HC(__HYPERVISOR_update_descriptor, ma, desc, 0); }

/* set_timer_op(deadline): arm this vCPU's one-shot timer at an absolute
 * system time (ns); VIRQ_TIMER is raised once it has passed (at once if it
 * already has).  0 stops the timer.  Returns 0. */
static inline long HYPERVISOR_set_timer_op(uint64_t deadline_ns)
{ return HC(__HYPERVISOR_set_timer_op, deadline_ns, 0, 0); }

/* vcpu_op(cmd, vcpu, arg): arg's type depends on cmd (xen/vcpu.h); the
 * timer sub-ops act on the calling vCPU only.  0 or -XEN_E*. */
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{ return HC(__HYPERVISOR_vcpu_op, cmd, vcpu, arg); }

/* domctl(op): the toolstack's domain control (dom0; xen/domctl.h, which
 * needs __XEN_TOOLS__).  op->interface_version must be
 * XEN_DOMCTL_INTERFACE_VERSION.  0 with op written back, or -XEN_E*. */
struct xen_domctl;
static inline long HYPERVISOR_domctl(struct xen_domctl *op)
{ return HC(__HYPERVISOR_domctl, op, 0, 0); }

/* grant_table_op(cmd, ops, count): count ops of cmd's struct
 * (xen/grant_table.h); each op's status says how it went.  0 or -XEN_E*. */
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *ops, unsigned int count)
{ return HC(__HYPERVISOR_grant_table_op, cmd, ops, count); }

/* Any hypercall with five raw arguments (the fuzzer's entry point);
 * defined in pv/xen.c so that it is a real, callable function. */
long hypercall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5);

#endif /* PV_HYPERCALL_H */
