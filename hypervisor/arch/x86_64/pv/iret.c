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
 */
#define LOG_PREFIX "iret"
#include <xen/xen.h>
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "processor.h"
#include "pv.h"

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
    if (!is_canonical_address(ctx.rip) || !is_canonical_address(ctx.rsp)) {
        domain_crash(v->domain, "iret to non-canonical rip %#lx / rsp %#lx",
                     ctx.rip, ctx.rsp);
        return 0;
    }
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
