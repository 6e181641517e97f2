/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_ldt.h - what the ldt_*, segment_* and iret_*
 *             attacks share: descriptors, MMUEXT_SET_LDT, one segment
 *             load or far call in kernel mode and what it raised, and an
 *             iret (the hypercall) with a chosen context, in kernel or
 *             user mode, ended by the first exception it leads to.
 * Owns:    nothing; hostile_ldt.c implements it.
 * Touches: the LDT (SET_LDT), %es and %ss (put back after each load); the
 *          trap table, kernel stack and user L4 while ldt_user_begin() ..
 *          ldt_user_end() run.
 *
 * Outcomes are hostile_viopl.h's: VIO_RAN (0) when the instruction
 * completed, else 1000 * vector + error code (LDT_OUT(13, 0x2c) is a
 * #GP with error code 0x2c).
 */
#ifndef HOSTILE_LDT_H
#define HOSTILE_LDT_H

#include "hostile_viopl.h"

#define LDT_OUT(vec, ec) (1000L * (vec) + (long)(ec))
#define LDT_GP(ec)  LDT_OUT(X86_EXC_GP, ec)
#define LDT_NP(ec)  LDT_OUT(X86_EXC_NP, ec)
#define LDT_SS(ec)  LDT_OUT(X86_EXC_SS, ec)
#define LDT_PF(ec)  LDT_OUT(X86_EXC_PF, ec)

/* Selector of LDT entry i with RPL 3, and the error code naming it. */
#define LDT_SEL(i)  ((uint16_t)(((i) << 3) | 4 | 3))
#define LDT_EC(i)   (((long)(i) << 3) | 4)
/* GDT selector of entry i (RPL 3) and its error code. */
#define GDT_SEL(i)  ((uint16_t)(((i) << 3) | 3))
#define GDT_EC(i)   ((long)(i) << 3)

/* Descriptors (SDM vol. 3A, 3.4.5), each with the accessed bit set so
 * that loading one writes nothing. */
#define DESC_DATA_DPL3   0x00cff3000000ffffUL  /* flat read/write data, DPL 3 */
#define DESC_DATA_DPL0   0x00cf93000000ffffUL  /* the same with DPL 0         */
#define DESC_DATA_NP     0x00cf73000000ffffUL  /* DPL 3, not present          */
#define DESC_CODE64_DPL3 0x00affb000000ffffUL  /* 64-bit code, DPL 3          */
#define DESC_CODE64_NP   0x00af7b000000ffffUL  /* the same, not present       */
#define DESC_TSS64       0x0000890000000067UL  /* an available 64-bit TSS     */
#define DESC_DPL_MASK    (3UL << 45)
/* A 64-bit call gate (two descriptors) to sel:off with DPL dpl. */
#define DESC_GATE_LO(sel, off, dpl)                                        \
    (((uint64_t)(off) & 0xffff) | ((uint64_t)(uint16_t)(sel) << 16) |     \
     ((uint64_t)(0x8c00 | ((dpl) << 13)) << 32) |                         \
     (((uint64_t)(off) >> 16 & 0xffff) << 48))
#define DESC_GATE_HI(off) ((uint64_t)(off) >> 32)

/* MMUEXT_SET_LDT(va, ents). */
long ldt_set(unsigned long va, unsigned int ents);

/* Load sel into %es (put back to null) / %ss (put back to the kernel's):
 * the outcome. */
long ldt_load_es(uint16_t sel);
long ldt_load_ss(uint16_t sel);
/* lar of sel: its access rights, or -1 if lar refused (ZF clear). */
long ldt_lar(uint16_t sel);
/* "lcall *m16:32" / "ljmp *m16:32" through sel: the outcome (only ever
 * used where it faults). */
long ldt_lcall(uint16_t sel);
long ldt_ljmp(uint16_t sel);
/* A stack reference through a non-canonical %rbp: the outcome. */
long ldt_noncanonical_stack(void);

/* ---- iret with a chosen context; user-mode snippets -------------------- */

/* What the iret hypercall is given (struct iret_context less r11/rcx). */
struct ldt_iret {
    uint64_t rax, rip, cs, rflags, rsp, ss, flags;
};
/* The frame the kernel got when the run ended. */
struct ldt_frame {
    uint64_t vector, error_code, rip, cs, rflags, rsp, ss;
};

/*
 * Prepare: the user L4 becomes the kernel's own (every page of a PV guest
 * is a user page), a kernel stack for traps from user mode, a trap table
 * whose #UD, #NP, #SS, #GP and #PF end a run. 0, or the failing
 * hypercall's error.
 */
long ldt_user_begin(void);
/* Iret with c; the outcome (a #UD ends a run as VIO_RAN), the frame in *f. */
long ldt_iret_run(const struct ldt_iret *c, struct ldt_frame *f);
/* Run code in user mode (FLAT_USER_CS/SS, events masked) with rax. */
long ldt_user_run(const char *code, uint64_t rax, struct ldt_frame *f);
/* Undo ldt_user_begin(). */
long ldt_user_end(void);

/* The top of a stack for iret contexts that stay in kernel mode, and of
 * the user stack. */
uint64_t ldt_kernel_stack_top(void);
uint64_t ldt_user_stack_top(void);

/*
 * User code, each ending in ud2. lcall/ljmp/load_* take the selector in
 * ax (the far pointer's offset is their own ud2); stack_noncanonical
 * reads through a non-canonical rbp.
 */
extern const char ldt_u_ud2[], ldt_u_lcall[], ldt_u_ljmp[], ldt_u_load_es[],
                  ldt_u_load_ss[], ldt_u_stack_noncanonical[];

#endif /* HOSTILE_LDT_H */
