/* SPDX-License-Identifier: MIT */
/*
 * pv/vcpu_context.c - loading a vcpu_guest_context into a vCPU that has
 * none yet (VCPUOP_initialise, XEN_DOMCTL_setvcpucontext; Xen's
 * arch_set_info_guest() for PV64), reading one back
 * (XEN_DOMCTL_getvcpucontext) and dropping one (a NULL context).
 * Owns:    the checks on a guest-supplied context and what of it a vCPU
 *          keeps.
 * Touches: the frame table (the L4s' and GDT frames' type references),
 *          struct vcpu's PV state.
 * Trusts:  nothing in the context: every address is checked canonical,
 *          selectors get RPL 3, RFLAGS loses IOPL (which becomes the
 *          vCPU's virtual IOPL) and gains IF, the page
 *          tables are validated as NEW_BASEPTR validates them.
 * ABI:     abi/xen/arch-x86/xen.h struct vcpu_guest_context; errors as
 *          Xen 4.17: -XEN_EINVAL for any refused field, and then the vCPU
 *          is left exactly as it was.
 *
 * The LDT (ldt_base, ldt_ents) is taken as MMUEXT_SET_LDT takes it
 * (pv/ldt.c). debugreg[] is taken as Xen takes it: the registers go back
 * to their defaults, then each value set_debugreg() accepts is set and a
 * refused one is ignored, never an error (pv/debugreg.c). Not taken from
 * the context (listed in docs/abi/hypercalls.md): vm_assist (per domain
 * here), and ctrlreg[] other than CR0.TS, CR1 (user L4), CR3 (kernel L4)
 * and CR4.DE.
 */
#define LOG_PREFIX "vcpu"
#include <xen/xen.h>
#include "arch.h"
#include "debugreg.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "mm.h"
#include "page.h"
#include "processor.h"
#include "pv.h"

static uint16_t rpl3(uint16_t sel)
{
    return (sel & 3) ? sel : (uint16_t)(sel | 3);
}

static bool addresses_ok(const struct vcpu_guest_context *c)
{
    const uint64_t addr[] = {
        c->user_regs.rip, c->user_regs.rsp, c->kernel_sp, c->fs_base,
        c->gs_base_kernel, c->gs_base_user, c->event_callback_eip,
        c->syscall_callback_eip, c->failsafe_callback_eip,
    };

    for (size_t i = 0; i < ARRAY_SIZE(addr); i++)
        if (!is_canonical_address(addr[i]))
            return false;
    for (size_t i = 0; i < ARRAY_SIZE(c->trap_ctxt); i++)
        if (!is_canonical_address(c->trap_ctxt[i].address))
            return false;
    return true;
}

/* A root table reference for cr3 (a machine frame number << 12 in PV). */
static long get_root(struct vcpu *v, uint64_t cr3, mfn_t *out)
{
    mfn_t m = _mfn(cr3 >> PAGE_SHIFT);

    if (!mfn_valid(m) ||
        get_page_and_type(mfn_to_page(m), v->domain, PGT_l4_page_table))
        return hc_fail(-XEN_EINVAL, "initialise: cr3 %#lx is not an L4 of d%u",
                       cr3, v->domain->domain_id);
    *out = m;
    return 0;
}

/* CR4.DE first: it decides DR4/DR5 and I/O breakpoints. DR7 last. */
static void set_debugregs(struct vcpu *v, const struct vcpu_guest_context *c)
{
    static const unsigned int order[] = { 0, 1, 2, 3, 6, 7 };

    v->pv.dbg.cr4_de = c->ctrlreg[4] & X86_CR4_DE;
    debugreg_vcpu_init(v);
    for (size_t i = 0; i < ARRAY_SIZE(order); i++)
        (void)debugreg_set(v, order[i], c->debugreg[order[i]]);
}

long arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c)
{
    bool in_kernel = c->flags & VGCF_in_kernel;
    mfn_t l4 = INVALID_MFN, l4_user = INVALID_MFN;
    long rc;

    if (!addresses_ok(c))
        return hc_fail(-XEN_EINVAL, "initialise: a non-canonical address");
    /* As Xen: the base is checked (the guest's, page-aligned) even with
     * no entries; guest_range_ok(base, 1) is Xen's __addr_ok(). */
    if (c->ldt_ents > 8192 || pv_ldt_check(c->ldt_base, (unsigned int)c->ldt_ents))
        return hc_fail(-XEN_EINVAL, "initialise: LDT %#lx/%lu", c->ldt_base,
                       c->ldt_ents);
    if (!in_kernel && !c->ctrlreg[1])
        return hc_fail(-XEN_EINVAL, "initialise: user mode without a user L4");
    if (c->gdt_ents > FIRST_RESERVED_GDT_ENTRY)
        return hc_fail(-XEN_EINVAL, "initialise: %lu GDT entries", c->gdt_ents);
    if ((rc = get_root(v, c->ctrlreg[3], &l4)))
        return rc;
    if (c->ctrlreg[1] && (rc = get_root(v, c->ctrlreg[1], &l4_user))) {
        put_page_and_type(mfn_to_page(l4));
        return rc;
    }
    if ((rc = pv_set_gdt(v, (const unsigned long *)c->gdt_frames,
                         (unsigned int)c->gdt_ents))) {
        put_page_and_type(mfn_to_page(l4));
        if (mfn_valid_val(l4_user))
            put_page_and_type(mfn_to_page(l4_user));
        return rc;
    }

    /* Everything checked: from here nothing fails. */
    v->guest_table = l4;
    v->guest_table_user = l4_user;
    v->kernel_mode = in_kernel;
    v->regs = c->user_regs;
    v->regs.cs = rpl3(c->user_regs.cs);
    v->regs.ss = rpl3(c->user_regs.ss);
    v->regs.rflags = (c->user_regs.rflags &
                      ~(uint64_t)(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) |
                     X86_EFLAGS_IF | X86_EFLAGS_MBS;
    v->regs.entry_vector = 0;
    v->regs.error_code = 0;
    arch_vcpu_set_iopl(v, (c->user_regs.rflags & X86_EFLAGS_IOPL) >> X86_EFLAGS_IOPL_SHIFT);
    memcpy(v->pv.trap_ctxt, c->trap_ctxt, sizeof(v->pv.trap_ctxt));
    for (size_t i = 0; i < ARRAY_SIZE(v->pv.trap_ctxt); i++)
        v->pv.trap_ctxt[i].cs = rpl3(v->pv.trap_ctxt[i].cs);
    v->pv.kernel_ss = rpl3((uint16_t)c->kernel_ss);
    v->pv.kernel_sp = c->kernel_sp;
    v->pv.event_callback_eip = c->event_callback_eip;
    v->pv.failsafe_callback_eip = c->failsafe_callback_eip;
    v->pv.syscall_callback_eip = c->syscall_callback_eip;
    v->pv.failsafe_disables_events = c->flags & VGCF_failsafe_disables_events;
    v->pv.syscall_disables_events = c->flags & VGCF_syscall_disables_events;
    /* As Xen: a non-null selector takes its base from the descriptor. */
    v->pv.fs_base = (c->user_regs.fs & ~3) ? 0 : c->fs_base;
    v->pv.gs_base_kernel = c->gs_base_kernel;
    v->pv.gs_base_user = (c->user_regs.gs & ~3) ? 0 : c->gs_base_user;
    /* Loaded on entry; one that does not load becomes null (context.c). */
    v->pv.ds = c->user_regs.ds;
    v->pv.es = c->user_regs.es;
    v->pv.fs = c->user_regs.fs;
    v->pv.gs = c->user_regs.gs;
    v->pv.ctrlreg0 = c->ctrlreg[0] & X86_CR0_TS;
    pv_set_ldt(v, c->ldt_base, (unsigned int)c->ldt_ents);   /* checked */
    arch_vcpu_init_fpu(v, (c->flags & VGCF_I387_VALID) ? c->fpu_ctxt.x : NULL);
    set_debugregs(v, c);
    v->initialised = true;
    return 0;
}

/*
 * XEN_DOMCTL_setvcpucontext on a vCPU that has a context: as Xen, only
 * the same page tables, GDT and LDT size may come again (-XEN_EOPNOTSUPP
 * otherwise); then the context is loaded afresh.
 */
long arch_vcpu_context_same_tables(const struct vcpu *v, const struct vcpu_guest_context *c)
{
    bool same = c->ctrlreg[3] == mfn_x(v->guest_table) << PAGE_SHIFT;

    if (!mfn_valid_val(v->guest_table_user))
        same = same && !c->ctrlreg[1] && (c->flags & VGCF_in_kernel);
    else
        same = same && c->ctrlreg[1] == mfn_x(v->guest_table_user) << PAGE_SHIFT;
    same = same && c->gdt_ents == v->pv.gdt_ents && c->ldt_ents == v->pv.ldt_ents;
    for (unsigned int i = 0; same && i < (v->pv.gdt_ents + 511) / 512; i++)
        same = c->gdt_frames[i] == v->pv.gdt_frames[i];
    return same ? 0 : hc_fail(-XEN_EOPNOTSUPP, "setvcpucontext: d%uv%u has other "
                              "tables", v->domain->domain_id, v->vcpu_id);
}

/* Xen's vcpu_reset(): no context, down, its references given back. */
void arch_vcpu_reset(struct vcpu *v)
{
    arch_vcpu_release(v);
    arch_vcpu_init(v);
    memset(&v->regs, 0, sizeof(v->regs));
    memset(v->pv.trap_ctxt, 0, sizeof(v->pv.trap_ctxt));
    v->pv.event_callback_eip = v->pv.failsafe_callback_eip = 0;
    v->pv.syscall_callback_eip = 0;
    v->pv.kernel_ss = v->pv.kernel_sp = 0;
    v->pv.fs_base = v->pv.gs_base_kernel = v->pv.gs_base_user = 0;
    v->initialised = false;
    v->kernel_mode = true;
}

/* What Xen's arch_get_info_guest() gives for a PV64 vCPU (c zeroed). */
void arch_get_info_guest(const struct vcpu *v, struct vcpu_guest_context *c)
{
    memcpy(&c->fpu_ctxt, v->pv.fpu, sizeof(c->fpu_ctxt));
    c->flags = VGCF_i387_valid | (v->down ? 0 : VGCF_online) |
               (v->kernel_mode ? VGCF_in_kernel : 0) |
               (v->pv.failsafe_disables_events ? VGCF_failsafe_disables_events : 0) |
               (v->pv.syscall_disables_events ? VGCF_syscall_disables_events : 0);
    c->user_regs = v->regs;
    c->user_regs.ds = v->pv.ds;
    c->user_regs.es = v->pv.es;
    c->user_regs.fs = v->pv.fs;
    c->user_regs.gs = v->pv.gs;
    /* As Xen: IF is the guest's event mask, not a flag it has; IOPL is the
     * virtual one. */
    c->user_regs.rflags = (v->regs.rflags & ~(uint64_t)(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
                          ((uint64_t)v->pv.iopl << X86_EFLAGS_IOPL_SHIFT);
    memcpy(c->trap_ctxt, v->pv.trap_ctxt, sizeof(c->trap_ctxt));
    c->ldt_base = v->pv.ldt_base;
    c->ldt_ents = v->pv.ldt_ents;
    for (unsigned int i = 0; i < ARRAY_SIZE(v->pv.gdt_frames); i++)
        c->gdt_frames[i] = v->pv.gdt_frames[i];
    c->gdt_ents = v->pv.gdt_ents;
    c->kernel_ss = v->pv.kernel_ss;
    c->kernel_sp = v->pv.kernel_sp;
    c->ctrlreg[0] = v->pv.ctrlreg0;
    c->ctrlreg[1] = mfn_valid_val(v->guest_table_user) ?
                    mfn_x(v->guest_table_user) << PAGE_SHIFT : 0;
    c->ctrlreg[3] = mfn_valid_val(v->guest_table) ? mfn_x(v->guest_table) << PAGE_SHIFT : 0;
    c->ctrlreg[4] = v->pv.dbg.cr4_de ? X86_CR4_DE : 0;
    for (unsigned int i = 0; i < ARRAY_SIZE(v->pv.dbg.dr); i++)
        c->debugreg[i] = v->pv.dbg.dr[i];
    c->debugreg[6] = v->pv.dbg.dr6;
    c->debugreg[7] = v->pv.dbg.dr7 | v->pv.dbg.dr7_emul;
    c->event_callback_eip = v->pv.event_callback_eip;
    c->failsafe_callback_eip = v->pv.failsafe_callback_eip;
    c->syscall_callback_eip = v->pv.syscall_callback_eip;
    c->vm_assist = v->domain->vm_assist;
    c->fs_base = v->pv.fs_base;
    c->gs_base_kernel = v->pv.gs_base_kernel;
    c->gs_base_user = v->pv.gs_base_user;
}
