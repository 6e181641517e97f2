/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_viopl.h - what the viopl_* and physdev_* attacks
 *             share: physdev_op, one privileged instruction and what it
 *             raised, port I/O in every form, an iret with chosen rflags,
 *             and running a few instructions in guest user mode.
 * Owns:    nothing; hostile_viopl.c implements it.
 * Touches: the trap table, the kernel stack (stack_switch) and the user
 *          L4 while vio_user_begin() .. vio_user_end() run; vCPU 0's
 *          evtchn_upcall_mask is left as it was found.
 *
 * An instruction's outcome is one number, so that one hg_case() checks
 * it: VIO_RAN (0) when it completed, else 1000 * vector + error code of
 * the exception it raised (VIO_GP0 = 13000 is #GP(0); VIO_PF(2) = 14002
 * a #PF with the write bit). rax-style results keep the bits the
 * instruction does not write, so a case shows whether upper bits were
 * cleared: registers start as VIO_FILL.
 */
#ifndef HOSTILE_VIOPL_H
#define HOSTILE_VIOPL_H

#include "hostile.h"
#include <xen/physdev.h>

#define VIO_RAN      0L
#define VIO_GP0      13000L
#define VIO_UD       6000L
#define VIO_PF(ec)   (14000L + (ec))
#define VIO_FILL     0x1111111111111111UL
#define VIO_IOPL(n)  ((unsigned long)(n) << 12)   /* rflags.IOPL */
#define VIO_RFLAGS_IOPL  0x3000UL
#define VIO_RFLAGS_IF    0x200UL
#define VIO_RFLAGS_FIXED 0x2UL                    /* bit 1, always set */
#define VIO_KERNEL_CS    (FLAT_KERNEL_CS & ~3UL)  /* 0xe030: kernel, in frames */

/* What the last trap was, as an outcome, if one came after `before`. */
long vio_outcome(unsigned long before);

static inline long vio_physdev(unsigned long cmd, const void *arg)
{
    return hypercall5(__HYPERVISOR_physdev_op, cmd, (unsigned long)arg, 0, 0, 0);
}

long vio_set_iopl(uint32_t iopl);
/* PHYSDEVOP_set_iobitmap with bitmap (any address) and nr_ports. */
long vio_set_iobitmap(const void *bitmap, uint32_t nr_ports);
static inline volatile uint8_t *vio_mask(void)
{
    return &xen_vcpu()->evtchn_upcall_mask;
}

/* One instruction with a fixup: its outcome. */
#define VIO_TRY(insn) ({                                                   \
        unsigned long vio_b_ = trap_last.count;                            \
        asm volatile("1: " insn "\n2:\n" FIXUP_ENTRY(1b, 2b) ::: "memory"); \
        vio_outcome(vio_b_); })

/* An in/out with the port in dx (or an immediate in insn); rax in/out. */
#define VIO_IO(insn, port, rax) ({                                         \
        unsigned long vio_b_ = trap_last.count;                            \
        asm volatile("1: " insn "\n2:\n" FIXUP_ENTRY(1b, 2b)                \
                     : "+a"(rax) : "d"((uint16_t)(port)) : "memory");      \
        vio_outcome(vio_b_); })

/* in/out through dx, 1, 2 or 4 bytes; *rax as the instruction left it. */
long vio_in(uint16_t port, unsigned int bytes, uint64_t *rax);
long vio_out(uint16_t port, unsigned int bytes, uint32_t val);

/*
 * rep ins/outs (rep = false: one element) through dx: the registers go
 * in and come back as the instruction left them. std sets DF for it.
 */
struct vio_string {
    uint64_t rdi, rsi, rcx;
    bool rep, std;
};
long vio_ins(uint16_t port, unsigned int bytes, struct vio_string *s);
long vio_outs(uint16_t port, unsigned int bytes, struct vio_string *s);

/* rflags as the hypervisor's bounce frame for int3 gives them. */
unsigned long vio_int3_rflags(void);
/* iret (the hypercall) to the next instruction, in kernel mode, with
 * these rflags (IF clear: events stay masked). */
void vio_iret_rflags(unsigned long rflags);

/* ---- guest user mode ------------------------------------------------- */

/* User code, each ending in ud2 (reached: VIO_RAN). */
extern const char vio_user_cli[], vio_user_sti[], vio_user_inb_imm[],
                  vio_user_inb_dx[], vio_user_outb_dx[], vio_user_insb_bad[],
                  vio_user_outsb_bad[];
/* VIO_USER_BAD_VA: what insb_bad/outsb_bad point rdi/rsi at (unmapped);
 * VIO_USER_PORT: the port all of them use (a DMA page register). */
#define VIO_USER_BAD_VA 0xdeadb000UL
#define VIO_USER_PORT   0x81

/* The frame the kernel got when user code trapped back into it. */
struct vio_user_frame {
    uint64_t vector, error_code, rip, cs, rflags, cr2;
};

/*
 * Prepare to run user code: the user L4 becomes the kernel's own (a PV
 * guest's pages are all user-accessible), a kernel stack for traps from
 * user mode, and a trap table whose #GP, #UD and #PF end the run. 0, or
 * the failing hypercall's error.
 */
long vio_user_begin(void);
/* Run code in user mode with these rflags (iret); the outcome (#UD at
 * the final ud2 is VIO_RAN), and the frame in *f if not NULL. */
long vio_user_run(const char *code, unsigned long rflags, struct vio_user_frame *f);
/* Undo vio_user_begin(): the kernel's trap table, stack and user L4. */
long vio_user_end(void);

#endif /* HOSTILE_VIOPL_H */
