/* SPDX-License-Identifier: MIT */
/*
 * asm/traps.h - exception vectors, the trap frame, the trap log.
 * Owns:    struct trap_frame (what entry.S builds), vector numbers, the
 *          kernel's gate table type.
 * Touches: nothing (declarations; traps.c and entry.S implement them).
 */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

/* Exception vectors (Intel SDM vol. 3A, table 6-1). */
#define X86_EXC_DE   0   /* divide error */
#define X86_EXC_DB   1   /* debug */
#define X86_EXC_NMI  2
#define X86_EXC_BP   3   /* int3 */
#define X86_EXC_OF   4   /* into */
#define X86_EXC_BR   5   /* bound */
#define X86_EXC_UD   6   /* invalid opcode */
#define X86_EXC_NM   7   /* device not available (CR0.TS) */
#define X86_EXC_DF   8   /* double fault */
#define X86_EXC_CSO  9   /* coprocessor segment overrun */
#define X86_EXC_TS   10  /* invalid TSS */
#define X86_EXC_NP   11  /* segment not present */
#define X86_EXC_SS   12  /* stack fault */
#define X86_EXC_GP   13  /* general protection */
#define X86_EXC_PF   14  /* page fault */
#define X86_EXC_SPV  15  /* reserved */
#define X86_EXC_MF   16  /* x87 floating point */
#define X86_EXC_AC   17  /* alignment check */
#define X86_EXC_MC   18  /* machine check */
#define X86_EXC_XM   19  /* SIMD floating point */
#define X86_NR_EXCEPTIONS 20   /* vectors 0..19 get a gate */

/* Software-interrupt vectors the kernel installs (tested by the selftests). */
#define SOFTINT_VECTOR_USER     0x80  /* gate DPL 3: "int $0x80" reaches it */
#define SOFTINT_VECTOR_KERNEL   0x81  /* gate DPL 0: "int $0x81" is a #GP */

/* Pseudo-vectors for the hypervisor callbacks, which share the trap path. */
#define CALLBACK_VECTOR_EVENT     0x100
#define CALLBACK_VECTOR_FAILSAFE  0x101
#define CALLBACK_VECTOR_SYSCALL   0x102

/* Gate privilege levels: which rings may raise a vector with "int n". */
#define GATE_DPL_KERNEL 0
#define GATE_DPL_USER   3

/* Selector bits (SDM vol. 3A, 3.4.2): the requested privilege level. */
#define SELECTOR_RPL_MASK 3
/* The cs slot of a PV64 frame: selector in bits 0..15, the saved event
 * upcall mask in bits 32..39. */
#define FRAME_CS_SELECTOR_MASK 0xffff
#define FRAME_CS_SAVED_MASK_SHIFT 32
#define FRAME_CS_SAVED_MASK_BITS  0xff

/* The failsafe callback frame has ds, es, fs, gs between r11 and rip. */
#define FAILSAFE_SEGMENT_SLOTS_SIZE (4 * 8)

/* #GP error code for "int n" through a gate whose DPL forbids it (SDM 6.13):
 * the IDT flag (bit 1) and the vector as a selector index. */
#define X86_XEC_IDT          0x2
#define X86_XEC_INDEX_SHIFT  3

/* Rflags bits (SDM vol. 1, 3.4.3). */
#define X86_EFLAGS_FIXED 0x2    /* bit 1: always set */
#define X86_EFLAGS_IF    0x200

#ifndef __ASSEMBLER__
#include <stdint.h>

/*
 * The frame entry.S builds on the kernel stack: general registers pushed by
 * trap_common, then vector and error code (0 if the CPU gives none), then
 * the hardware-style frame the hypervisor wrote.  Bits 32..39 of cs hold the
 * event upcall mask saved by the hypervisor.
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap_frame layout is entry.S's");

/* One entry of the kernel's own interrupt-descriptor table: what a native
 * kernel would put in the IDT, before pv-ops turns it into a trap table. */
struct trap_gate {
    uint8_t vector;
    uint8_t dpl;
    void (*handler)(void);
};

/* What the last trap looked like, for the self-tests. */
struct trap_record {
    unsigned long count;           /* traps taken so far */
    unsigned long vector, error_code, rip, cs, cr2;
    unsigned long rflags;          /* as the frame had it (IOPL, IF) */
};
extern volatile struct trap_record trap_last;

/* What probe_call() reports about the exception that ended a probe. */
struct probe_fault {
    unsigned long vector, error_code, rip, cr2;
};

/* probe.S's saved context; the offsets are probe.S's PROBE_*. */
struct probe_ctx {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
    struct probe_fault *fault;
    struct probe_ctx *outer;        /* probes nest */
};
_Static_assert(__builtin_offsetof(struct probe_ctx, rip) == 56, "probe.S offsets");

long probe_enter(struct probe_ctx *ctx, void (*fn)(void *), void *arg);
int probe_call(void (*fn)(void *), void *arg, struct probe_fault *fault);

void trap_init(void);
void entry_init(void);
void trap_dispatch(struct trap_frame *f);
/* The event callback's C half (pv/xen_events.c). */
void evtchn_do_upcall(const struct trap_frame *f);
/* The failsafe callback: fatal, with the reason (traps.c). */
void failsafe_dispatch(struct trap_frame *f) __attribute__((noreturn));
/* The failsafe frame's ds, es, fs, gs, saved by entry.S before it drops them. */
extern uint64_t failsafe_segments[4];
const char *trap_name(unsigned long vector);

/* Entry stubs (entry.S). */
extern void (*const trap_entry_table[X86_NR_EXCEPTIONS])(void);
void trap_entry_softint_user(void);
void trap_entry_softint_kernel(void);
void event_callback_entry(void);
void failsafe_callback_entry(void);
void syscall_callback_entry(void);
#endif

#endif /* ASM_TRAPS_H */
