/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_smp.c - another vCPU of this kernel: the initial state that
 *                VCPUOP_initialise takes, built the way the boot vCPU runs.
 * Owns:    xen_vcpu_context().
 * Touches: the trap table last loaded (xen_trap_ctxt()), the entry points
 *          (entry.S), the kernel's L4s (mm.h), the per-CPU areas
 *          (asm/percpu.h).  Issues no hypercall: the caller does
 *          VCPUOP_initialise and VCPUOP_up.
 * ABI:     abi/xen/arch-x86/xen.h (struct vcpu_guest_context, VGCF_*),
 *          abi/xen/vcpu.h; docs/porting-guide.md, section 8.
 *
 * Natively a second CPU starts in real mode at a trampoline the INIT-SIPI
 * sequence names, and builds its own GDT, IDT and page tables.  A PV vCPU
 * starts in 64-bit kernel mode with everything the hypervisor keeps per
 * vCPU handed over at once: registers, the virtual IDT, the GDT (0
 * entries: the hypervisor's own, with the FLAT_* selectors), the stack for
 * entering the kernel, cr3 as a machine frame, the three callbacks, and
 * the segment bases.  So the vCPU's first instruction runs on its own
 * stack, with its per-CPU area in the kernel GS base, the kernel's page
 * tables and trap table, able to take events.  Its event upcall mask is
 * its vcpu_info's (Xen's domain builder sets every vCPU's); the entry
 * function masks events itself before anything else.
 *
 * Not set: VGCF_online (Xen would then bring the vCPU up at once, without
 * VCPUOP_up), VGCF_i387_valid (the FPU starts in its reset state), an LDT,
 * debug registers, vm_assist.
 */
#include <kernel.h>
#include <mm.h>
#include <asm/percpu.h>
#include <asm/traps.h>
#include "xen.h"

/*
 * Fill c so that vCPU cpu starts in entry(arg) (arg in rdi, as the first
 * argument of a C function), on the stack below stack_top (16-byte
 * aligned; rsp as if entry had been called), in kernel mode, events taken
 * at the same entry points as the boot vCPU's.
 */
void xen_vcpu_context(struct vcpu_guest_context *c, unsigned int cpu,
                      void (*entry)(unsigned long), unsigned long arg,
                      unsigned long stack_top)
{
    memset(c, 0, sizeof(*c));
    c->flags = VGCF_in_kernel | VGCF_failsafe_disables_events |
               VGCF_syscall_disables_events;
    c->user_regs.rip = (unsigned long)entry;
    c->user_regs.rsp = stack_top - sizeof(unsigned long);
    c->user_regs.rdi = arg;
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = X86_EFLAGS_FIXED | X86_EFLAGS_IF;
    xen_trap_ctxt(c->trap_ctxt);
    c->gdt_ents = 0;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = stack_top;
    c->ctrlreg[3] = xen_pfn_to_cr3(mm_current_l4_mfn());
    c->ctrlreg[1] = xen_pfn_to_cr3(mm_user_l4_mfn());     /* 0: none */
    c->event_callback_eip = (unsigned long)event_callback_entry;
    c->failsafe_callback_eip = (unsigned long)failsafe_callback_entry;
    c->syscall_callback_eip = (unsigned long)syscall_callback_entry;
    c->gs_base_kernel = (unsigned long)percpu_area(cpu);
}
