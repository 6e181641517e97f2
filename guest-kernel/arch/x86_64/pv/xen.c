/* SPDX-License-Identifier: MIT */
/*
 * pv/xen.c - the pv-ops table for the Xen PV64 ABI, and the scheduling
 *            and power operations (yield, shutdown).
 * Owns:    pv_ops (the only definition), xen_start_info.
 * Touches: sched_op hypercalls.
 * ABI:     abi/xen/sched.h (SCHEDOP_yield, SCHEDOP_shutdown).
 *
 * Read this table first: each row names the function that replaces one
 * privileged operation of a native kernel.
 */
#include <asm/pvops.h>
#include "hypercall.h"
#include "xen.h"

start_info_t *xen_start_info;

/* Any number: through its stub when the hypercall page has one, else with
 * an inline syscall (the hypervisor answers -XEN_ENOSYS). */
long hypercall(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
               unsigned long a4, unsigned long a5)
{
    if (nr < PAGE_SIZE / HYPERCALL_STUB_SIZE)
        return hypercall5(nr, a1, a2, a3, a4, a5);
    return hypercall5_syscall(nr, a1, a2, a3, a4, a5);
}

static const unsigned int xen_shutdown_reason[] = {
    [POWER_OFF]    = SHUTDOWN_poweroff,
    [POWER_REBOOT] = SHUTDOWN_reboot,
    [POWER_CRASH]  = SHUTDOWN_crash,
};

static long xen_yield(void)
{
    return HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static void __attribute__((noreturn)) xen_shutdown(enum power_reason why)
{
    struct sched_shutdown arg = { .reason = xen_shutdown_reason[why] };

    for (;;)    /* SCHEDOP_shutdown does not return; if it does, insist. */
        HYPERVISOR_sched_op(SCHEDOP_shutdown, &arg);
}

const struct pv_ops pv_ops = {
    .console_write     = xen_console_write,     /* console_io(CONSOLEIO_write); domU: ring */
    .console_read      = xen_console_read,      /* console_io(CONSOLEIO_read); domU: ring */
    .load_idt          = xen_load_idt,          /* set_trap_table */
    .set_entry         = xen_set_entry,         /* callback_op(CALLBACKOP_register) */
    .load_kernel_stack = xen_load_kernel_stack, /* stack_switch */
    .irq_disable       = xen_irq_disable,       /* vcpu_info.evtchn_upcall_mask = 1 */
    .irq_enable        = xen_irq_enable,        /* vcpu_info.evtchn_upcall_mask = 0 */
    .cpuid             = xen_cpuid,             /* forced-emulation prefix + cpuid */
    .read_msr          = xen_read_msr,          /* rdmsr, emulated after #GP */
    .write_msr         = xen_write_msr,         /* wrmsr, emulated after #GP */
    .set_segment_base  = xen_set_segment_base,  /* set_segment_base */
    .read_cr2          = xen_read_cr2,          /* vcpu_info.arch.cr2 */
    .read_cr3          = xen_read_cr3,          /* mov %cr3, emulated after #GP */
    .fpu_set_ts        = xen_fpu_set_ts,        /* fpu_taskswitch */
    .set_pte_at        = xen_set_pte_at,        /* update_va_mapping */
    .flush_tlb_local   = xen_flush_tlb_local,   /* mmuext_op(MMUEXT_TLB_FLUSH_LOCAL) */
    .flush_tlb_one     = xen_flush_tlb_one,     /* mmuext_op(MMUEXT_INVLPG_LOCAL) */
    .load_cr3          = xen_load_cr3,          /* mmuext_op(MMUEXT_NEW_BASEPTR) */
    .write_ptes        = xen_write_ptes,        /* mmu_update(MMU_NORMAL_PT_UPDATE) */
    .pin_table         = xen_pin_table,         /* mmuext_op(MMUEXT_PIN_Ln_TABLE) */
    .unpin_table       = xen_unpin_table,       /* mmuext_op(MMUEXT_UNPIN_TABLE) */
    .load_user_cr3     = xen_load_user_cr3,     /* mmuext_op(MMUEXT_NEW_USER_BASEPTR) */
    .make_pagetable    = xen_make_pagetable,    /* multicall[update_va_mapping, pin] */
    .release_pagetable = xen_release_pagetable, /* multicall[unpin, update_va_mapping] */
    .clock_ns          = xen_clock_ns,          /* vcpu_info.time + rdtsc (pvclock) */
    .wallclock         = xen_wallclock,         /* shared_info.wc_* + clock_ns */
    .set_timer         = xen_set_timer,         /* set_timer_op */
    .timer_irq_bind    = xen_timer_irq_bind,    /* vcpu_op(stop_periodic), bind_virq(VIRQ_TIMER) */
    .timer_irq_unbind  = xen_timer_irq_unbind,  /* set_timer_op(0), EVTCHNOP_close */
    .safe_halt         = xen_safe_halt,         /* sched_op(SCHEDOP_block) */
    .yield             = xen_yield,             /* sched_op(SCHEDOP_yield) */
    .user_cs           = FLAT_USER_CS64,        /* ring 3: user mode to the hypervisor */
    .user_ss           = FLAT_USER_SS,
    .shutdown          = xen_shutdown,          /* sched_op(SCHEDOP_shutdown) */
};
