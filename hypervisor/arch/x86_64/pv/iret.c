/* SPDX-License-Identifier: MIT */
/*
 * pv/iret.c - the iret hypercall (23): return from a bounced event.
 * Owns:    nothing new; rewrites the vCPU's return frame.
 * Trusts:  nothing: the context is read from the guest stack.
 * ABI:     struct iret_context {rax, r11, rcx, flags, rip, cs, rflags,
 *          rsp, ss} at the guest's rsp (the hypercall page's iret stub
 *          pushes rcx, r11, rax itself). Returning to CS with RPL 3 means
 *          guest user mode; RPL is forced to 3 either way. EFLAGS.IF
 *          restores the upcall mask, and EFLAGS.IOPL the virtual IOPL
 *          when the domain enabled VMASST_TYPE_architectural_iopl
 *          (pv/io.c). Returns the context's rax, which the guest resumes
 *          with; inside a multicall the iret ends the batch and the
 *          multicall returns it (XSA-213). docs/abi/hypercalls.md row 23.
 *
 * As in Xen, the context is not checked here (but for a user page table
 * to return to): the CPU checks it when the hypervisor's iretq enters it,
 * and a fault there is the guest's (pv_iret_fault()). With
 * VGCF_in_syscall Xen returns with sysret, which takes cs and ss from
 * MSR_STAR whatever the context says (sysretq 0xe033, sysretl 0xe023; ss
 * 0xe02b; rip truncated to 32 bits by sysretl), unless the rip is not
 * canonical, when it irets as usual: the same is done here by choosing
 * the selectors sysret would load.
 */
#define LOG_PREFIX "iret"
#include <xen/xen.h>
#include "domain.h"
#include "entry.h"
#include "guest_access.h"
#include "hypercall.h"
#include "processor.h"
#include "pv.h"

/* What Xen's sysret would load (MSR_STAR's selectors), if it can sysret. */
static void sysret_selectors(struct cpu_user_regs *regs)
{
    if (!is_canonical_address(regs->rip))
        return;                           /* Xen irets: the CPU's #GP(0) */
    if (regs->cs == FLAT_USER_CS32) {
        regs->rip = (uint32_t)regs->rip;  /* sysretl */
    } else {
        regs->cs = FLAT_USER_CS64;        /* sysretq */
    }
    regs->ss = FLAT_USER_SS;
}

long do_iret(void)
{
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    struct vcpu *v = current;
    struct iret_context ctx;

    if (copy_from_guest(&ctx, regs->rsp, sizeof(ctx))) {
        domain_crash(v->domain, "fault reading the iret context at %#lx",
                     regs->rsp);
        return 0;
    }
    v->pv.dbg.iret_sysret = ctx.flags & VGCF_in_syscall;   /* debugreg.c */
    if ((ctx.cs & 3) == 3) {
        if (!mfn_valid_val(v->guest_table_user)) {
            domain_crash(v->domain, "iret to user mode without a user page table");
            return 0;
        }
        pv_toggle_guest_mode(v);
    }
    regs->rip = ctx.rip;
    regs->cs = ctx.cs | 3;
    regs->rflags = (ctx.rflags & ~(uint64_t)(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
                   X86_EFLAGS_IF;
    regs->rsp = ctx.rsp;
    regs->ss = ctx.ss | 3;
    if (!(ctx.flags & VGCF_in_syscall)) {
        regs->r11 = ctx.r11;
        regs->rcx = ctx.rcx;
    } else {
        sysret_selectors(regs);
        /* Xen returns from a syscall with sysret, which leaves these. */
        regs->rcx = regs->rip;
        regs->r11 = regs->rflags;
    }
    v->vcpu_info->evtchn_upcall_mask = !(ctx.rflags & X86_EFLAGS_IF);
    pv_iopl_from_iret(v, ctx.rflags);  /* VMASST_TYPE_architectural_iopl */
    v->nmi_masked = false;            /* a virtual NMI may come again */
    hypercall_exit_multicall(v);      /* the rest of a batch must not run */
    return (long)ctx.rax;
}

/*
 * The iretq to the guest faulted (entry.S): the fault is the guest's own,
 * raised at the context it asked for (Xen's iretq fixup replays it as an
 * exception from the guest, handle_exception): its vector and error code
 * as the CPU gave them, its handler seeing the rip, cs and ss it asked
 * for. A #PF on the LDT maps the page (pv/ldt.c) and the iretq is tried
 * again; a #GP(0) may be a privileged instruction at rip to emulate, as
 * on Xen.
 */
void pv_iret_fault(struct cpu_user_regs *regs)
{
    unsigned int vector;
    uint32_t error_code;

    last_fixup_fault(&vector, &error_code);
    regs->entry_vector = vector;
    regs->error_code = error_code;
    pv_handle_guest_trap(current, regs);
}
