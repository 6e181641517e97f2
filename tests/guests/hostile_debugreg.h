/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_debugreg.h - what the debugreg_* attacks share:
 *             set_debugreg/get_debugreg with raw arguments, DR7 values,
 *             a #DB handler that counts, and the code the breakpoints
 *             and single steps are aimed at.
 * Owns:    nothing; hostile_debugreg.c implements it.
 * Touches: the trap table's vector 1 and the debug registers between
 *          dbg_begin() and dbg_end(), which puts back the kernel's trap
 *          table and every debug register's start-of-day value.
 */
#ifndef HOSTILE_DEBUGREG_H
#define HOSTILE_DEBUGREG_H

#include "hostile_viopl.h"

#define DBG_DR6_DEFAULT 0xffff0ff0UL
#define DBG_DR7_DEFAULT 0x400UL
#define DBG_DR6_B0      0x1UL
#define DBG_DR6_BS      0x4000UL
#define DBG_DR7_GD      0x2000UL
#define DBG_CR4_DE      0x8UL
#define DBG_EFLAGS_TF   0x100UL
#define DBG_MSR_DEBUGCTL 0x1d9
#define DBG_XEN_START   0xffff800000000000UL    /* Xen's range, 16 L4 slots */
#define DBG_XEN_END     0xffff880000000000UL

/* DR7 fields (SDM 3B 18.2.4): breakpoint n enabled (L bit) with RW, LEN. */
enum { DBG_RW_EXEC, DBG_RW_WRITE, DBG_RW_IO, DBG_RW_RW };
enum { DBG_LEN_1, DBG_LEN_2, DBG_LEN_8, DBG_LEN_4 };
#define DBG_DR7_FIELD(n, rw, len) \
    (((unsigned long)(rw) | (unsigned long)(len) << 2) << (16 + 4 * (n)))
#define DBG_DR7_BP(n, rw, len) (1UL << (2 * (n)) | DBG_DR7_FIELD(n, rw, len))

static inline long dbg_set(unsigned long reg, unsigned long value)
{
    return hypercall5(__HYPERVISOR_set_debugreg, reg, value, 0, 0, 0);
}

static inline long dbg_get(unsigned long reg)
{
    return hypercall5(__HYPERVISOR_get_debugreg, reg, 0, 0, 0, 0);
}

/* The #DBs our handler took since dbg_begin() (or the last dbg_clear()):
 * how many, the last one's rip and rflags as its frame gave them. The
 * handler clears TF in the frame (a single step ends) and sets RF (an
 * instruction breakpoint does not fire again on the way back). */
struct dbg_seen {
    unsigned long count, rip, rflags;
};
extern volatile struct dbg_seen dbg_seen;
void dbg_clear(void);

/* Our #DB handler in the trap table; 0 or the hypercall's error. */
long dbg_begin(void);
/* DR0-3 0, DR6 and DR7 their defaults, CR4.DE clear, the kernel's trap
 * table; 0 or the first error. */
long dbg_end(void);

/* mov to/from CR4 and DRn as one outcome (VIO_RAN or 1000 * vector +
 * error code); reads fill *val. */
long dbg_read_cr4(unsigned long *val);
long dbg_write_cr4(unsigned long val);
long dbg_rdmsr(uint32_t msr, unsigned long *val);
long dbg_wrmsr(uint32_t msr, unsigned long val);

/* Code the tests aim at (hostile_debugreg.c): each a function. */
void dbg_step(void);              /* popf sets TF; nop; nop            */
extern const char dbg_step_2[];   /* ... the second nop                */
long dbg_step_hypercall(void);    /* TF, then xen_version(0) by syscall */
extern const char dbg_step_hc_after[], dbg_step_hc_after2[];
void dbg_insn(void);              /* the instruction breakpoint's target */
/* TF, then the iret hypercall (flags 0) to dbg_step_iret_target with
 * these rflags (TF clear: the step would come after the iret's syscall). */
void dbg_step_iret(unsigned long rflags);
extern const char dbg_step_iret_target[];
long dbg_step_mov_dr(void);       /* TF; mov %dr7, %rax (emulated)      */
void dbg_step_cpuid(void);        /* TF; forced-emulation cpuid         */
extern const char dbg_step_mov_dr_after[], dbg_step_cpuid_after[];
void dbg_out80(void);             /* outb %al, $0x80                    */
void dbg_in81(void);              /* inb $0x81, %al                     */
extern const char dbg_out80_after[];
/* mov %ss from *ss_word, then one instruction: */
long dbg_movss_syscall(const volatile uint16_t *ss_word); /* xen_version(0) */
void dbg_movss_int80(const volatile uint16_t *ss_word);
void dbg_movss_int3(const volatile uint16_t *ss_word);
void dbg_movss_ud2(const volatile uint16_t *ss_word);     /* #UD, fixed up */
extern const char dbg_movss_syscall_insn[], dbg_movss_syscall_after[],
                  dbg_movss_int80_insn[], dbg_movss_int3_insn[],
                  dbg_movss_ud2_insn[];
/* A lone syscall in user mode with this rsp and rflags (through
 * vio_user_begin()'s user page table and kernel stack), caught by
 * dbg_user_syscall_cb as the syscall callback (callback_op): frame gets
 * the callback frame's rip, rflags, rsp. */
void dbg_user_syscall(unsigned long rsp, unsigned long rflags, volatile uint64_t frame[3]);
void dbg_user_syscall_cb(void);
extern const char dbg_user_syscall_insn[];
/* User mode: mov %dr7, %rax; ud2. */
extern const char dbg_user_mov_dr7[];

#endif /* HOSTILE_DEBUGREG_H */
