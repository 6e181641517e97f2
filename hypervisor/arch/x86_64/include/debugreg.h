/* SPDX-License-Identifier: MIT */
/*
 * debugreg.h - a PV guest's debug registers (DR0-DR3, DR6, DR7) and the
 * #DB exception, as Xen 4.17 gives them to a PV64 guest.
 * Owns:    the names of the debug-register bits (Intel SDM 3B 18.2),
 *          struct pv_debugreg (a vCPU's virtual registers) and the
 *          interface of pv/debugreg.c.
 * Touches: nothing (declarations).
 */
#ifndef PVISOR_DEBUGREG_H
#define PVISOR_DEBUGREG_H

#include <stdbool.h>
#include <stdint.h>

/* DR6 (SDM 3B 18.2.3) */
#define DR6_B0_B3         0x0000000fUL   /* breakpoint condition n met   */
#define DR6_BD            0x00002000UL   /* next insn touches a DR (GD)  */
#define DR6_BS            0x00004000UL   /* single step (TF)             */
#define DR6_BT            0x00008000UL   /* task switch                  */
#define DR6_DEFAULT       0xffff0ff0UL   /* after reset; reserved ones   */
/* Xen 4.17 keeps a written DR6 inside these: bit 12 and the upper half
 * read as zero, bits 4-11 and 16-31 as one (Xen's DR_STATUS_RESERVED_*). */
#define DR6_KEEP          0xffffefffUL
#define DR6_ONES          0xffff0ff0UL

/* DR7 (SDM 3B 18.2.4) */
#define DR7_L(n)          (1UL << (2 * (n)))      /* local enable          */
#define DR7_G(n)          (2UL << (2 * (n)))      /* global enable         */
#define DR7_ENABLES       0xffUL                  /* every L and G bit     */
#define DR7_GD            0x00002000UL            /* general detect        */
#define DR7_RW_SHIFT(n)   (16 + 4 * (n))          /* RW then LEN, 2 bits each */
#define DR7_RWLEN(n)      (0xfUL << DR7_RW_SHIFT(n))
#define DR7_RW_EXEC       0                       /* RW field values       */
#define DR7_RW_WRITE      1
#define DR7_RW_IO         2                       /* only with CR4.DE      */
#define DR7_RW_RW         3
#define DR7_DEFAULT       0x00000400UL            /* bit 10 reads as one   */
/* As Xen 4.17 (DR_CONTROL_RESERVED_*): bits 11, 12, 14, 15 and the upper
 * half read as zero, bit 10 as one. */
#define DR7_KEEP          0xffff27ffUL
#define DR7_ONES          0x00000400UL

#define X86_CR4_DE        (1 << 3)     /* debugging extensions (SDM 3A 2.5) */
#define MSR_IA32_DEBUGCTL 0x000001d9   /* SDM 4, table 2-2                  */

#define NR_DEBUG_ADDR_REGS 4

/* A vCPU's debug registers as the guest sees them (Xen: arch.dr[],
 * arch.dr6, arch.dr7, pv.dr7_emul), and the guest's CR4.DE. */
struct pv_debugreg {
    uint64_t dr[NR_DEBUG_ADDR_REGS];
    uint64_t dr6;
    uint64_t dr7;          /* without the I/O breakpoints' enables       */
    uint32_t dr7_emul;     /* the enables of I/O breakpoints (CR4.DE)    */
    bool cr4_de;           /* the guest's CR4.DE: DR4/DR5 #UD, I/O bps   */
    /* A #DB deferred to the way out: struct vcpu's db_pending, with the
     * vCPU's other exit flags (sched.h). */
    uint8_t io_match;      /* I/O breakpoints the emulated port access hit */
    bool iret_sysret;      /* the last iret hypercall had VGCF_in_syscall */
};

struct vcpu;
struct cpu_user_regs;

/* debug_syscall_tf (testing): TF stays set across syscall (cpu.c). */
extern bool opt_debug_syscall_tf;

/* Start of day (and VCPUOP_initialise before it takes the context). */
void debugreg_vcpu_init(struct vcpu *v);
/*
 * Xen's set_debugreg(): 0, or -XEN_EPERM (an address in the hypervisor's
 * range, DR7.GD, an I/O breakpoint without CR4.DE), -XEN_EINVAL (upper
 * half of DR6/DR7 set), -XEN_ENODEV (no such register, or DR4/DR5 with
 * CR4.DE). v need not be running.
 */
long debugreg_set(struct vcpu *v, unsigned int reg, uint64_t value);
/* The value a guest reads from DRn, or -XEN_ENODEV in *val's place. */
long debugreg_get(const struct vcpu *v, unsigned int reg, uint64_t *val);

/* Context switch (context.c): the hardware follows the vCPU that runs. */
void debugreg_switch_from(struct vcpu *v);
void debugreg_switch_to(struct vcpu *v);

/*
 * mov to/from DRn by the guest kernel (0f 21 / 0f 23, ModRM at modrm).
 * True when handled: the move done and rip advanced, or a #UD injected;
 * false to bounce the #GP(0) the CPU raised.
 */
bool debugreg_emulate_mov(struct vcpu *v, struct cpu_user_regs *regs,
                          uint8_t op, uint8_t modrm, uint8_t rex,
                          unsigned int insn_len);

/* #DB, from the guest or from the hypervisor (traps.c). */
void do_debug(struct cpu_user_regs *regs);
/* On the way back to the guest: a #DB deferred from an entry point
 * (inline: every exit asks, almost none has one). */
void debugreg_deliver_deferred(struct vcpu *v, struct cpu_user_regs *regs);
#define debugreg_deliver_pending(v, regs) do {                              \
        if (__builtin_expect((v)->db_pending, 0))                    \
            debugreg_deliver_deferred(v, regs);                             \
    } while (0)

/*
 * A guest's trap other than #DB: pv_handle_guest_trap(), then, if that
 * emulated the instruction, the #DB Xen raises after an emulated one
 * (TF set, or an I/O breakpoint matched).
 */
void debugreg_guest_trap(struct vcpu *v, struct cpu_user_regs *regs);
/* pv/io.c: an emulated access to [port, port + bytes). */
void debugreg_io_access(struct vcpu *v, unsigned int port, unsigned int bytes);
/*
 * A hypercall from guest kernel mode with TF set before or after it: Xen
 * returns with sysret, which takes the single-step #DB at once (at the
 * return rip), where pvisor's iretq would take it one instruction later;
 * this raises it. nr is the hypercall, tf_before TF as the guest made it.
 * The caller tests TF first, so the common hypercall pays two
 * instructions for this.
 */
void debugreg_hypercall_step(struct vcpu *v, struct cpu_user_regs *regs,
                             unsigned int nr, bool tf_before);

#endif
