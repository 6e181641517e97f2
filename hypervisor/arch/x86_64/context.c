/* SPDX-License-Identifier: MIT */
/*
 * context.c - putting a vCPU on the CPU and taking it off (the context
 * switch), and a vCPU's architectural life cycle.
 * Owns:    what of a guest lives in the CPU while it runs and in struct
 *          vcpu while it does not: the register frame, CR3, the GDT
 *          frames mapped at this CPU's GDT area (its LDT frames: pv/ldt.c),
 *          the data segment
 *          selectors, the FS and GS bases, the FPU/SSE state, CR0.TS.
 * Touches: the per-CPU GDT area (cpu.c), MSR_FS_BASE, MSR_GS_BASE.
 *
 * The hypervisor keeps no stack per vCPU (as Xen): a vCPU off the CPU is
 * its saved frame and the state below, and entering one rebuilds the
 * frame at the top of this CPU's stack and leaves through the common exit
 * path. A switch is therefore arch_context_save(prev) then
 * arch_vcpu_enter(next), from anywhere on the stack.
 *
 * What must not leak from one guest to the next, and why it does not:
 *   - TLB and paging-structure caches: CR4.PGE and PCIDE are off, so the
 *     CR3 load in switch_cr3() flushes every guest translation.
 *   - The GDT area: next's frames (or the blank page) are mapped over
 *     every slot prev used, each with invlpg, before next runs; the
 *     selectors are reloaded against that GDT, so no descriptor cached
 *     in a segment register survives from prev's table.
 *   - FS/GS bases and selectors, FPU/SSE registers: saved and loaded on
 *     every switch (eagerly: FXSAVE/FXRSTOR; XSAVE is not offered to
 *     guests, so there is no wider state).
 *   - General registers: the whole frame is saved and rebuilt.
 *   - Debug registers: DR7 is cleared as a vCPU with breakpoints leaves
 *     and loaded only for one that has some (pv/debugreg.c).
 */
#define LOG_PREFIX "context"
#include "arch.h"
#include "cpu.h"
#include "debugreg.h"
#include "domain.h"
#include "entry.h"
#include "flushtlb.h"
#include "frame.h"
#include "lib.h"
#include "log.h"
#include "page.h"
#include "percpu.h"
#include "processor.h"
#include "pv.h"
#include "time.h"

#define FCW_DEFAULT   0x037f     /* x87 after FNINIT: all exceptions masked */
#define MXCSR_DEFAULT 0x1f80     /* SSE after reset                          */
#define FXSAVE_FCW    0
#define FXSAVE_MXCSR  24
#define FXSAVE_MXCSR_MASK 28
#define MXCSR_MASK_DEFAULT 0xffbf  /* an FXSAVE that reports 0 means this */

static uint32_t mxcsr_mask = MXCSR_MASK_DEFAULT;

/* The MXCSR bits this CPU takes (FXSAVE's MXCSR_MASK), once at boot. */
void arch_context_init(void)
{
    static uint8_t image[512] __attribute__((aligned(16)));
    uint32_t mask;

    clts();
    asm volatile("fxsave64 %0" : "=m"(image));
    memcpy(&mask, &image[FXSAVE_MXCSR_MASK], sizeof(mask));
    if (mask)
        mxcsr_mask = mask;
}

/* The selector in segment register `seg` (ds, es, fs, gs). */
#define read_sreg(seg) ({                                       \
    uint16_t sel_;                                              \
    asm volatile("mov %%" #seg ", %0" : "=r"(sel_));            \
    sel_;                                                       \
})

static void fpu_save(struct vcpu *v)
{
    clts();
    asm volatile("fxsave64 %0" : "=m"(v->pv.fpu));
}

static void fpu_restore(struct vcpu *v)
{
    clts();
    asm volatile("fxrstor64 %0" :: "m"(v->pv.fpu));
}

/* A selector the guest loaded that no longer loads against its GDT. */
static void __attribute__((noinline))
selector_nulled(struct vcpu *v, int (*load)(uint16_t), uint16_t *sel,
                const char *name)
{
    log_debug("d%uv%u: %s selector %#x no longer loads; nulled",
              v->domain->domain_id, v->vcpu_id, name, *sel);
    *sel = 0;
    load(0);                          /* a null selector always loads */
}

/* Inline, so each of the four is a direct call of its load routine. */
static always_inline void load_selector(struct vcpu *v, int (*load)(uint16_t),
                                        uint16_t *sel, const char *name)
{
    if (__builtin_expect(load(*sel), 0))
        selector_nulled(v, load, sel, name);
}

void arch_context_save(struct vcpu *v, uint64_t now)
{
    struct cpu_info *ci = get_cpu_info();

    v->regs = ci->guest_regs;
    v->pv.ds = read_sreg(ds);
    v->pv.es = read_sreg(es);
    v->pv.fs = read_sreg(fs);
    v->pv.gs = read_sreg(gs);
    v->pv.fs_base = rdmsr(MSR_FS_BASE);
    if (v->kernel_mode)
        v->pv.gs_base_kernel = rdmsr(MSR_GS_BASE);
    else
        v->pv.gs_base_user = rdmsr(MSR_GS_BASE);
    fpu_save(v);
    debugreg_switch_from(v);
    v->running = false;
    vcpu_runstate_change_at(v, v->domain->state != DOMAIN_RUNNING || v->down ?
                               RUNSTATE_offline :
                               v->blocked ? RUNSTATE_blocked : RUNSTATE_runnable,
                            now);
    vcpu_update_guest_areas(v);        /* still on v's page tables */
    ci->current_vcpu = NULL;
}

void arch_reset_to_idle(void)
{
    struct cpu_info *ci = get_cpu_info();

    reset_stack_and_call((uint64_t)ci & ~0xfUL, idle_loop);
}

void arch_vcpu_enter(struct vcpu *v, uint64_t now)
{
    struct cpu_info *ci = get_cpu_info();

    ci->current_vcpu = v;
    v->running = true;
    switch_cr3(mfn_x(v->kernel_mode ? v->guest_table : v->guest_table_user)
              << PAGE_SHIFT);
    cpu_gdt_map_guest_frames(v->pv.gdt_frames, (v->pv.gdt_ents + 511) / 512);
    pv_ldt_switch_to(v);               /* before selectors that name it */
    load_selector(v, load_ds_selector, &v->pv.ds, "ds");
    load_selector(v, load_es_selector, &v->pv.es, "es");
    load_selector(v, load_fs_selector, &v->pv.fs, "fs");
    load_selector(v, load_gs_selector, &v->pv.gs, "gs");
    wrmsr(MSR_FS_BASE, v->pv.fs_base);
    wrmsr(MSR_GS_BASE, v->kernel_mode ? v->pv.gs_base_kernel : v->pv.gs_base_user);
    fpu_restore(v);
    if (v->pv.ctrlreg0 & X86_CR0_TS)
        stts();
    vcpu_runstate_change_at(v, RUNSTATE_running, now);
    update_vcpu_system_time(v);
    vcpu_update_guest_areas(v);
    vcpu_periodic_timer_work(v, now);
    debugreg_switch_to(v);             /* last: no hypervisor write above hits */
    ci->guest_regs = v->regs;
    start_guest_frame(&ci->guest_regs);
}

/*
 * v's FPU state: the guest's FXSAVE image, or NULL for the state after
 * FNINIT. MXCSR bits the CPU does not take (outside its MXCSR_MASK) would
 * make FXRSTOR fault in the hypervisor, so they are cleared.
 */
void arch_vcpu_init_fpu(struct vcpu *v, const void *fxsave_image)
{
    uint32_t mxcsr;

    if (fxsave_image) {
        memcpy(v->pv.fpu, fxsave_image, sizeof(v->pv.fpu));
        memcpy(&mxcsr, &v->pv.fpu[FXSAVE_MXCSR], sizeof(mxcsr));
        mxcsr &= mxcsr_mask;
    } else {
        uint16_t fcw = FCW_DEFAULT;
        memset(v->pv.fpu, 0, sizeof(v->pv.fpu));
        memcpy(&v->pv.fpu[FXSAVE_FCW], &fcw, sizeof(fcw));
        mxcsr = MXCSR_DEFAULT;
    }
    memcpy(&v->pv.fpu[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
}

void arch_vcpu_init(struct vcpu *v)
{
    v->pv.ctrlreg0 = 0;
    arch_vcpu_init_fpu(v, NULL);
    pv_ldt_init(v);
    debugreg_vcpu_init(v);
}

void arch_vcpu_release(struct vcpu *v)
{
    if (mfn_valid_val(v->guest_table))
        put_page_and_type(mfn_to_page(v->guest_table));
    if (mfn_valid_val(v->guest_table_user))
        put_page_and_type(mfn_to_page(v->guest_table_user));
    v->guest_table = v->guest_table_user = INVALID_MFN;
    for (unsigned int i = 0; i < (v->pv.gdt_ents + 511) / 512; i++)
        put_page_and_type(mfn_to_page(_mfn(v->pv.gdt_frames[i])));
    v->pv.gdt_ents = 0;
    pv_ldt_release(v);
}
