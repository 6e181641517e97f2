/* SPDX-License-Identifier: MIT */
/*
 * pv/traps.c - reflecting exceptions, syscalls and events into a PV guest.
 * Owns:    the bounce frame (Xen's create_bounce_frame, x86_64): what the
 *          guest kernel finds on its stack when its handler runs, and the
 *          guest kernel/user mode switch (cr3 and GS base).
 * Touches: the guest stack (through copy_to_guest), vcpu_info's upcall
 *          mask and cr2, the frame the vCPU will return on.
 * Trusts:  nothing in the guest's stack pointer or registered addresses.
 * ABI:     Xen's x86_64 PV frame: the handler starts with
 *            rsp -> rcx, r11, [error code,] rip, cs, rflags, rsp, ss
 *          cs has RPL 0 (0xe030) if the event came from guest kernel mode
 *          and 3 (0xe033) from user mode; bits 32-39 of the cs slot hold
 *          the upcall mask as it was; rflags.IF is its inverse, and
 *          rflags.IOPL the virtual IOPL with architectural_iopl. The new
 *          frame is 16-byte aligned below the interrupted rsp (kernel
 *          mode) or below the kernel stack set by stack_switch (user).
 */
#define LOG_PREFIX "pv"
#include <xen/xen.h>
#include "domain.h"
#include "flushtlb.h"
#include "guest_access.h"
#include "lib.h"
#include "log.h"
#include "processor.h"
#include "pv.h"

#define TBF_EXCEPTION_ERRCODE 1
#define TBF_INTERRUPT         2   /* set the upcall mask on entry */
#define BOUNCE_SLOTS_MAX      8
#define BOUNCE_RSP_MARGIN     (BOUNCE_SLOTS_MAX * 8)

static uint64_t vector_has_error_code(unsigned int vec)
{
    return vec == TRAP_double_fault || vec == TRAP_invalid_tss ||
           vec == TRAP_no_segment || vec == TRAP_stack_error ||
           vec == TRAP_gp_fault || vec == TRAP_page_fault ||
           vec == TRAP_alignment_check;
}

void pv_toggle_guest_mode(struct vcpu *v)
{
    if (v->kernel_mode) {
        v->pv.gs_base_kernel = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, v->pv.gs_base_user);
    } else {
        v->pv.gs_base_user = rdmsr(MSR_GS_BASE);
        wrmsr(MSR_GS_BASE, v->pv.gs_base_kernel);
    }
    v->kernel_mode = !v->kernel_mode;
    switch_cr3(mfn_x(v->kernel_mode ? v->guest_table : v->guest_table_user)
              << PAGE_SHIFT);
}

/* May the new frame go below rsp? Not into or just above our slots. */
static bool bounce_rsp_ok(uint64_t rsp)
{
    return rsp <= HV_VIRT_START || rsp >= HV_VIRT_END + BOUNCE_RSP_MARGIN;
}

/*
 * Rewrite regs so the vCPU resumes in its kernel at eip with the frame
 * described above. Returns false (after crashing the domain) when the
 * guest cannot take it.
 */
static bool create_bounce_frame(struct vcpu *v, struct cpu_user_regs *regs,
                                uint64_t eip, uint32_t error_code,
                                unsigned int flags, const char *what)
{
    struct vcpu_info *vi = v->vcpu_info;
    uint64_t frame[BOUNCE_SLOTS_MAX], rsp, cs = regs->cs;
    uint8_t saved_mask = vi->evtchn_upcall_mask;
    unsigned int n = 0;

    if (!eip) {
        domain_crash(v->domain, "no handler registered for %s", what);
        return false;
    }
    if (v->kernel_mode) {
        rsp = regs->rsp;
        cs &= ~3ULL;                     /* tell the guest: kernel context */
    } else {
        pv_toggle_guest_mode(v);
        rsp = v->pv.kernel_sp;
    }
    rsp &= ~0xfULL;
    if (!bounce_rsp_ok(rsp)) {
        domain_crash(v->domain, "bad kernel stack %#lx for %s", rsp, what);
        return false;
    }
    frame[n++] = regs->rcx;
    frame[n++] = regs->r11;
    if (flags & TBF_EXCEPTION_ERRCODE)
        frame[n++] = error_code;
    frame[n++] = regs->rip;
    frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
    frame[n++] = (regs->rflags & ~(uint64_t)(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
                 (saved_mask ? 0 : X86_EFLAGS_IF) | pv_iopl_rflags(v);
    frame[n++] = regs->rsp;
    frame[n++] = regs->ss;
    rsp -= n * 8;
    if (copy_to_guest(rsp, frame, n * 8)) {
        domain_crash(v->domain, "fault writing the %s frame at %#lx", what, rsp);
        return false;
    }
    if (flags & TBF_INTERRUPT)
        vi->evtchn_upcall_mask = 1;
    regs->rflags &= ~(uint64_t)(X86_EFLAGS_AC | X86_EFLAGS_VM | X86_EFLAGS_RF |
                                X86_EFLAGS_NT | X86_EFLAGS_TF);
    regs->rflags |= X86_EFLAGS_IF;
    regs->ss = FLAT_KERNEL_SS;
    regs->rsp = rsp;
    regs->cs = FLAT_KERNEL_CS;
    regs->rip = eip;
    return true;
}

void pv_inject_hw_exception(struct vcpu *v, struct cpu_user_regs *regs,
                            unsigned int vector, uint32_t error_code)
{
    const struct trap_info *ti = &v->pv.trap_ctxt[vector];
    unsigned int flags = 0;

    if (error_code != X86_EVENT_NO_EC)
        flags |= TBF_EXCEPTION_ERRCODE;
    if (TI_GET_IF(ti))
        flags |= TBF_INTERRUPT;
    if (!ti->address)
        log_warn("d%u: unhandled %s [ec=%04x] at %#lx",
                 v->domain->domain_id, trap_name(vector),
                 error_code == X86_EVENT_NO_EC ? 0 : error_code, regs->rip);
    create_bounce_frame(v, regs, ti->address, error_code, flags,
                        trap_name(vector));
}

void pv_inject_sw_interrupt(struct vcpu *v, struct cpu_user_regs *regs,
                            unsigned int vector)
{
    pv_inject_hw_exception(v, regs, vector, X86_EVENT_NO_EC);
}

/*
 * May the guest, in its current mode, raise vector with "int n"? As Xen:
 * the guest kernel (ring 3, but kernel mode) needs a DPL of 1 or more in
 * its trap table, user mode a DPL of 3; and "int $0x80" reaches a
 * registered 0x80 handler whatever its DPL (Xen's int80_direct_trap).
 */
static bool permit_softint(const struct vcpu *v, unsigned int vector)
{
    const struct trap_info *ti = &v->pv.trap_ctxt[vector];

    if (vector == LEGACY_SYSCALL_VECTOR && ti->address)
        return true;
    return TI_GET_DPL(ti) >= (v->kernel_mode ? 1u : 3u);
}

/* Decode "int n" (CD ib) at rip: the vector, or -1. */
static int read_int_vector(const struct cpu_user_regs *regs)
{
    uint8_t insn[2];

    if (pv_fetch_insn(regs, insn, sizeof(insn)) != sizeof(insn) || insn[0] != 0xcd)
        return -1;
    return insn[1];
}

/*
 * "int n" through a gate of ours with DPL 0 (all but int3/into): deliver
 * it past the instruction if the guest's trap table allows, else a #GP
 * at it with the error code the hardware gives for an IDT gate,
 * (n << 3) | IDT. The vector and the error code come from the
 * instruction, not from what the CPU pushed: QEMU 7.2's TCG pushes
 * n * 16 + 2 (Xen passes that on, and looks up vector 2n). False if
 * there is no "int n" at rip (a prefixed one, say): the #GP goes on as
 * the CPU reported it.
 */
static bool handle_softint(struct vcpu *v, struct cpu_user_regs *regs)
{
    int vec = read_int_vector(regs);

    if (vec < 0)
        return false;
    if (permit_softint(v, (unsigned int)vec)) {
        regs->rip += 2;
        pv_inject_sw_interrupt(v, regs, (unsigned int)vec);
    } else {
        pv_inject_hw_exception(v, regs, TRAP_gp_fault,
                               ((uint32_t)vec << X86_XEC_INDEX_SHIFT) | X86_XEC_IDT);
    }
    return true;
}

static void handle_gp(struct vcpu *v, struct cpu_user_regs *regs)
{
    if ((regs->error_code & (X86_XEC_IDT | X86_XEC_EXT)) == X86_XEC_IDT &&
        handle_softint(v, regs))
        return;
    if (regs->error_code == 0 && pv_emulate_privileged_op(v, regs))
        return;
    pv_inject_hw_exception(v, regs, TRAP_gp_fault, regs->error_code);
}

static void handle_nm(struct vcpu *v, struct cpu_user_regs *regs)
{
    clts();
    if (v->pv.ctrlreg0 & X86_CR0_TS) {
        v->pv.ctrlreg0 &= ~(uint64_t)X86_CR0_TS;
        pv_inject_hw_exception(v, regs, TRAP_no_device, X86_EVENT_NO_EC);
    }
}

void pv_handle_guest_trap(struct vcpu *v, struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    switch (vec) {
    case TRAP_page_fault:
        if (pv_ldt_page_fault(regs, read_cr2()))   /* the CPU read the LDT */
            break;
        if (pv_ro_page_fault(v, regs, read_cr2()))
            break;
        v->vcpu_info->arch.cr2 = read_cr2();
        /* The guest kernel runs in ring 3, but its faults are kernel ones. */
        if (v->kernel_mode)
            regs->error_code &= ~(uint32_t)PFEC_user;
        pv_inject_hw_exception(v, regs, vec, regs->error_code);
        break;
    case TRAP_gp_fault:
        handle_gp(v, regs);
        break;
    case TRAP_invalid_op:
        if (!pv_emulate_forced_invalid_op(v, regs))
            pv_inject_hw_exception(v, regs, vec, X86_EVENT_NO_EC);
        break;
    case TRAP_no_device:
        handle_nm(v, regs);
        break;
    default:
        pv_inject_hw_exception(v, regs, vec, vector_has_error_code(vec) ?
                               regs->error_code : X86_EVENT_NO_EC);
        break;
    }
}

/* syscall from guest user mode: into the kernel's syscall callback. */
void pv_bounce_syscall(struct vcpu *v, struct cpu_user_regs *regs, bool compat)
{
    uint64_t eip = compat ? v->pv.syscall32_callback_eip
                          : v->pv.syscall_callback_eip;
    bool mask = compat ? v->pv.syscall32_disables_events
                       : v->pv.syscall_disables_events;

    if (!eip) {
        /* No callback: the syscall instruction is invalid for this guest. */
        pv_inject_hw_exception(v, regs, TRAP_invalid_op, X86_EVENT_NO_EC);
        return;
    }
    create_bounce_frame(v, regs, eip, 0, mask ? TBF_INTERRUPT : 0, "syscall");
}

/*
 * VCPUOP_send_nmi: a virtual NMI through trap-table vector 2 (set by
 * CALLBACKTYPE_nmi), events masked; no other until the guest's iret.
 * Without a handler it is dropped.
 */
static bool deliver_nmi(struct vcpu *v, struct cpu_user_regs *regs)
{
    if (!v->nmi_pending || v->nmi_masked)
        return false;
    v->nmi_pending = false;
    if (!v->pv.trap_ctxt[TRAP_nmi].address)
        return false;
    v->nmi_masked = true;
    create_bounce_frame(v, regs, v->pv.trap_ctxt[TRAP_nmi].address, 0,
                        TBF_INTERRUPT, "NMI");
    return true;
}

void pv_deliver_events(struct vcpu *v, struct cpu_user_regs *regs)
{
    struct vcpu_info *vi = v->vcpu_info;

    if (deliver_nmi(v, regs))
        return;

    if (!vi->evtchn_upcall_pending || vi->evtchn_upcall_mask)
        return;
    if (!v->pv.event_callback_eip)
        return;    /* nowhere to deliver yet; stays pending */
    create_bounce_frame(v, regs, v->pv.event_callback_eip, 0, TBF_INTERRUPT,
                        "event upcall");
}
