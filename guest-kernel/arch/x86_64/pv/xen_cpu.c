/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_cpu.c - CPU pv-ops under Xen: traps, entry points, segment bases,
 *                FPU, virtual interrupt flag, and the instructions Xen
 *                emulates for a ring-3 kernel (cpuid, rdmsr/wrmsr, mov %cr3).
 * Owns:    the conversion of the kernel's gate table into Xen trap_info[].
 * Touches: set_trap_table, callback_op, stack_switch, set_segment_base,
 *          fpu_taskswitch, xen_version (to force a pending upcall);
 *          vcpu_info (upcall mask and pending byte, arch.cr2).
 * ABI:     abi/xen/arch-x86/xen.h (struct trap_info, XEN_CPUID),
 *          abi/xen/callback.h, abi/xen/arch-x86/xen-x86_64.h (SEGBASE_*).
 */
#include <kernel.h>
#include <asm/pvops.h>
#include "hypercall.h"
#include "xen.h"

/* Room for every gate the kernel installs plus the terminating entry. */
#define XEN_TRAP_TABLE_MAX 32

/* trap_info.flags bit 2: mask events on entry (an interrupt gate). */
#define TRAP_INFO_FLAG_MASK_EVENTS 4

static struct trap_info xen_trap_table[XEN_TRAP_TABLE_MAX + 1];

/* set_trap_table with the gates converted; n == 0 clears the virtual IDT. */
long xen_load_idt(const struct trap_gate *gates, size_t n)
{
    size_t i;

    if (n == 0)
        return HYPERVISOR_set_trap_table(NULL);
    if (n > XEN_TRAP_TABLE_MAX)
        return -XEN_EINVAL;
    for (i = 0; i < n; i++) {
        xen_trap_table[i] = (struct trap_info){
            .vector  = gates[i].vector,
            .flags   = gates[i].dpl,
            .cs      = FLAT_KERNEL_CS,
            .address = (unsigned long)gates[i].handler,
        };
    }
    xen_trap_table[n] = (struct trap_info){ .address = 0 };  /* terminator */
    return HYPERVISOR_set_trap_table(xen_trap_table);
}

/*
 * The trap table as a vcpu_guest_context holds it (VCPUOP_initialise):
 * one slot per vector, trap_ctxt[v] the gate of vector v (address 0: none),
 * not a list as set_trap_table takes.  Copies the table last loaded.
 */
void xen_trap_ctxt(struct trap_info by_vector[XEN_TRAP_CTXT_SLOTS])
{
    const struct trap_info *t;

    memset(by_vector, 0, XEN_TRAP_CTXT_SLOTS * sizeof(*by_vector));
    for (t = xen_trap_table; t->address; t++)
        by_vector[t->vector] = *t;
}

static const uint16_t xen_callback_type[] = {
    [KERNEL_ENTRY_EVENT]    = CALLBACKTYPE_event,
    [KERNEL_ENTRY_FAILSAFE] = CALLBACKTYPE_failsafe,
    [KERNEL_ENTRY_SYSCALL]  = CALLBACKTYPE_syscall,
};

/* callback_op(CALLBACKOP_register); every callback runs with events masked. */
long xen_set_entry(enum kernel_entry which, void (*entry)(void))
{
    struct callback_register cb = {
        .type    = xen_callback_type[which],
        .flags   = CALLBACKF_mask_events,
        .address = (unsigned long)entry,
    };

    return HYPERVISOR_callback_op(CALLBACKOP_register, &cb);
}

long xen_load_kernel_stack(unsigned long sp)
{
    return HYPERVISOR_stack_switch(FLAT_KERNEL_SS, sp);
}

/* The virtual IF lives in shared memory: no hypercall to mask events. */
void xen_irq_disable(void)
{
    xen_vcpu()->evtchn_upcall_mask = 1;
    asm volatile("" ::: "memory");
}

/*
 * An event that arrived while masked only set evtchn_upcall_pending: the
 * hypervisor delivers it on its next return to us, which may be long
 * after.  So if one is pending, make that return happen now with the
 * cheapest hypercall there is (xen_version(XENVER_version), as Linux
 * does); the upcall runs before the hypercall "returns" here.  The
 * compiler barrier orders the store and the load as written; a real race
 * (an event raised between the two by another CPU) is covered by the
 * hypervisor's kick, which enters the hypervisor and returns through the
 * same delivery check.
 */
void xen_irq_enable(void)
{
    struct vcpu_info *v = xen_vcpu();

    asm volatile("" ::: "memory");
    v->evtchn_upcall_mask = 0;
    asm volatile("" ::: "memory");
    if (v->evtchn_upcall_pending)
        HYPERVISOR_xen_version(XENVER_version, NULL);
}

/* cpuid behind the forced-emulation prefix: Xen decodes it from the #UD and
 * answers with the domain's CPUID policy, including the Xen leaves. */
void xen_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    asm volatile(XEN_CPUID
                 : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
                 : "0"(leaf), "2"(subleaf));
}

/* rdmsr/wrmsr are privileged: in ring 3 they #GP, and Xen emulates the
 * handful a PV kernel may use (FS/GS bases among them). */
uint64_t xen_read_msr(uint32_t msr)
{
    uint32_t lo, hi;

    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

void xen_write_msr(uint32_t msr, uint64_t val)
{
    asm volatile("wrmsr" :: "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                 : "memory");
}

static const unsigned int xen_segbase_which[] = {
    [SEGBASE_KIND_FS]        = SEGBASE_FS,
    [SEGBASE_KIND_GS_KERNEL] = SEGBASE_GS_KERNEL,
    [SEGBASE_KIND_GS_USER]   = SEGBASE_GS_USER,
};

long xen_set_segment_base(enum segment_base which, unsigned long base)
{
    return HYPERVISOR_set_segment_base(xen_segbase_which[which], base);
}

/* The hypervisor took the real #PF, so it hands over cr2 in vcpu_info. */
unsigned long xen_read_cr2(void)
{
    return xen_vcpu()->arch.cr2;
}

/* Reading a control register is emulated: cr3 holds the machine frame of
 * the current L4 (xen_pfn_to_cr3). */
unsigned long xen_read_cr3(void)
{
    unsigned long cr3;

    asm volatile("mov %%cr3, %0" : "=r"(cr3));
    return cr3;
}

/* CR0.TS by hypercall: the next FPU instruction raises #NM. */
long xen_fpu_set_ts(int ts)
{
    return HYPERVISOR_fpu_taskswitch(ts);
}
