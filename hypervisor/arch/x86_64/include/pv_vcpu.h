/* SPDX-License-Identifier: MIT */
/*
 * pv_vcpu.h - the x86_64 PV part of struct vcpu (Xen: struct pv_vcpu).
 * Owns:    the layout; the hypercalls in pv/ fill it, traps.c reads it.
 */
#ifndef PVISOR_PV_VCPU_H
#define PVISOR_PV_VCPU_H

#include <xen/xen.h>
#include "config.h"
#include "layout.h"
#include "x86.h"
#include "debugreg.h"

/* An LDT page not mapped yet (pv/ldt.c). */
#define LDT_NO_FRAME (~0UL)

/* PV-specific vCPU state (Xen: struct pv_vcpu). */
struct pv_vcpu {
    struct trap_info trap_ctxt[TRAP_TABLE_SIZE];
    uint64_t event_callback_eip;
    uint64_t failsafe_callback_eip;
    uint64_t syscall_callback_eip;
    uint64_t syscall32_callback_eip;
    uint64_t sysenter_callback_eip;
    bool failsafe_disables_events;
    bool syscall_disables_events;
    bool syscall32_disables_events;
    bool sysenter_disables_events;
    uint64_t kernel_ss, kernel_sp;     /* stack_switch                  */
    uint64_t fs_base, gs_base_kernel, gs_base_user;
    uint64_t ctrlreg0;                 /* the guest's view of CR0 (TS)  */
    unsigned long gdt_frames[FIRST_RESERVED_GDT_PAGE];
    unsigned int gdt_ents;
    /* The LDT (pv/ldt.c): MMUEXT_SET_LDT's base and entries, and the
     * frame of each page once the CPU has read it (LDT_NO_FRAME before),
     * each with a general and a descriptor-page type reference. */
    uint64_t ldt_base;
    unsigned int ldt_ents;
    unsigned long ldt_frames[LDT_AREA_PAGES];
    bool nmi_pending;
    /* I/O privilege (pv/io.c): the virtual IOPL, 0-3, that in/out/cli/sti
     * are checked against (physdev set_iopl; iret and the bounce frame
     * with VMASST_TYPE_architectural_iopl); the I/O bitmap, a guest
     * address, consulted for ports below iobmp_limit (set_iobitmap). */
    uint8_t iopl;
    uint64_t iobmp;
    uint32_t iobmp_limit;
    /* Saved while the vCPU is off the CPU (arch/x86_64/context.c). */
    uint16_t ds, es, fs, gs;           /* data segment selectors        */
    uint8_t fpu[512] __attribute__((aligned(16)));   /* FXSAVE image    */
    struct pv_debugreg dbg;            /* DR0-3, DR6, DR7 (pv/debugreg.c) */
    uint64_t mcg_status;               /* the virtual MCG_STATUS (pv/vmce.c) */
};

#endif
