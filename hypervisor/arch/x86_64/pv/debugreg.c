/* SPDX-License-Identifier: MIT */
/*
 * pv/debugreg.c - a PV guest's debug registers and its #DB: the
 * set_debugreg (8) and get_debugreg (9) hypercalls, mov to/from %drN by
 * the guest kernel, the registers' place in the context switch, and the
 * #DB handler.
 * Owns:    struct pv_debugreg of every vCPU; what this CPU's DR0-DR3 and
 *          DR7 hold; DR6 (always back at its default once read).
 * Touches: the real debug registers; the guest frame (#DB and #UD
 *          injected through pv/traps.c).
 * Trusts:  nothing a guest writes: every value is checked as Xen 4.17's
 *          set_debugreg() checks it, before it can reach the hardware.
 * ABI:     docs/abi/hypercalls.md rows 8 and 9.
 *
 * The guest's view. Each vCPU has virtual DR0-3, DR6 and DR7, starting
 * at 0, 0xffff0ff0 and 0x400. A value is refused as Xen refuses it:
 * DR0-3 must be guest addresses (below 2^47 or above the hypervisor's
 * slots: -EPERM otherwise, so no breakpoint can cover the hypervisor's
 * code or data), DR6 and DR7 must fit in 32 bits (-EINVAL), DR7.GD is
 * -EPERM, and an I/O breakpoint (RW = 10b) is -EPERM unless the guest set
 * CR4.DE; its enable bits are then kept aside (dr7_emul), never in the
 * hardware. DR4 and DR5 are DR6 and DR7 without CR4.DE, and #UD
 * (-ENODEV) with it, as on hardware.
 *
 * Lazy loading, and why no breakpoint reaches anyone else. Only a vCPU
 * whose DR7 enables a breakpoint ("armed") has its registers in the
 * hardware, and only while it runs: the context switch clears the real
 * DR7 as an armed vCPU leaves and loads DR0-3 and DR7 as one enters
 * (hw_dr7[] remembers what this CPU holds, so an unarmed switch touches
 * no debug register at all, and no path that leaves a vCPU, a crash
 * included, can leave a stale DR7 behind: the next entry compares). So:
 *   - another domain, and the idle loop, run with DR7 = 0;
 *   - the hypervisor runs with the current vCPU's DR7 while it serves that
 *     vCPU, but DR0-3 hold guest addresses only and pvisor never sets
 *     CR4.DE, so the only breakpoints it can hit are data breakpoints on
 *     that vCPU's own memory, reached through copy_to/from_guest. Those
 *     are traps (the access completes), so the #DB handler notes them and
 *     returns: the hypervisor cannot be stopped or looped by them.
 *
 * #DB runs on its own IST stack (cpu.c, entry.S), because of one case:
 * a data breakpoint on the operand of `mov %ss` / `pop %ss` is held back
 * by the CPU for one instruction, and if that instruction is `syscall`,
 * the #DB is taken at the first instruction of syscall_entry in ring 0
 * with the guest's %rsp still loaded (CVE-2018-8897, XSA-260). Without
 * an IST the CPU would push the exception frame wherever the guest's rsp
 * points. On the IST stack the handler is safe whatever rsp holds, and
 * needs no swapgs: the hypervisor never uses %gs (percpu.h finds
 * cpu_info from the stack), so it does not matter which GS base is live.
 * The same #DB can land at the first instruction of any IDT stub (`mov
 * %ss` then `int $0x80`, `int3`, or a faulting instruction).
 *
 * A #DB in hypervisor context is therefore one of two things:
 *   - at an entry point (syscall_entry, cstar_entry, an IDT stub): raised
 *     by the guest's own instruction and only delayed; the guest's DR6
 *     gets its bits and the #DB is delivered to the guest on the way out,
 *     on top of whatever the entry delivers (so the guest's #DB handler
 *     runs first, as it would natively). Xen 4.17 drops this one with
 *     "Hit #DB in Xen context"; pvisor keeps it (docs/decisions.md).
 *   - anywhere else: the hypervisor's own access to guest memory hit a
 *     guest watchpoint. As Xen 4.17, it is logged (rate-limited) and
 *     dropped: delivering it would loop for a guest that watches its own
 *     kernel stack, where every bounce frame hits the watchpoint again.
 * TF set in hypervisor context (never, as MSR_SYSCALL_MASK clears it on
 * syscall and every gate clears it) and an instruction breakpoint there
 * (impossible: no DR0-3 can point at the hypervisor) are cleared with a
 * message rather than trusted, as Xen does.
 *
 * Under KVM the debug-register moves below may each exit to the host
 * (KVM intercepts them until a guest uses them); that costs time, not
 * correctness, and lazy loading keeps them off the common path.
 */
#define LOG_PREFIX "debugreg"
#include <xen/xen.h>
#include "debugreg.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "percpu.h"
#include "processor.h"
#include "pv.h"

#define HV_DB_LOG_LIMIT 16      /* messages for #DBs in hypervisor context */

_Static_assert(sizeof(struct cpu_info) == CPUINFO_sizeof, "asm_offsets");

extern const char idt_stubs[], idt_stubs_end[], syscall_entry[], cstar_entry[];

#define IDT_STUB_SIZE 16        /* entry.S: each stub is .balign 16 */

/*
 * debug_syscall_tf: leave TF out of MSR_SYSCALL_MASK, so that a guest's
 * syscall with TF set takes #DB on the first instruction of the syscall
 * entry, in ring 0 with the guest's rsp: what a data breakpoint on the
 * operand of mov %ss gives on hardware, which QEMU's TCG cannot give.
 * For tests only (dom0-debugreg-syscall-entry).
 */
bool opt_debug_syscall_tf;

/* What this CPU's DR7 holds: 0, or the running vCPU's armed DR7. */
static uint64_t hw_dr7[NR_CPUS];

#define read_dr(n) ({ uint64_t v_; asm volatile("mov %%db" #n ", %0" : "=r"(v_)); v_; })
#define write_dr(n, val) asm volatile("mov %0, %%db" #n :: "r"((uint64_t)(val)))

static bool breakpoint_addr_ok(uint64_t addr)
{
    return addr < (1UL << 47) || addr >= HV_VIRT_END;
}

static unsigned int dr7_rw(uint64_t dr7, unsigned int n)
{
    return (dr7 >> DR7_RW_SHIFT(n)) & 3;
}

/* What the hardware DR7 gets for d: 0 unless a breakpoint is enabled;
 * I/O slots (their enables already apart) lose their RW/LEN too. */
static uint64_t hw_dr7_value(const struct pv_debugreg *d)
{
    uint64_t val = d->dr7;

    if (!(val & DR7_ENABLES))
        return 0;
    for (unsigned int n = 0; n < NR_DEBUG_ADDR_REGS; n++)
        if (dr7_rw(val, n) == DR7_RW_IO)
            val &= ~DR7_RWLEN(n);
    return val;
}

/* Make this CPU's debug registers v's (v is the one running here). */
static void debugreg_load(struct vcpu *v)
{
    const struct pv_debugreg *d = &v->pv.dbg;
    uint64_t dr7 = hw_dr7_value(d);
    unsigned int cpu = smp_processor_id();

    if (dr7) {
        write_dr(0, d->dr[0]);
        write_dr(1, d->dr[1]);
        write_dr(2, d->dr[2]);
        write_dr(3, d->dr[3]);
        write_dr(7, dr7);
    } else if (hw_dr7[cpu]) {
        write_dr(7, 0);
    }
    hw_dr7[cpu] = dr7;
}

void debugreg_switch_from(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();

    (void)v;
    if (hw_dr7[cpu]) {
        write_dr(7, 0);
        hw_dr7[cpu] = 0;
    }
}

void debugreg_switch_to(struct vcpu *v)
{
    if (hw_dr7_value(&v->pv.dbg) || hw_dr7[smp_processor_id()])
        debugreg_load(v);
}

void debugreg_vcpu_init(struct vcpu *v)
{
    struct pv_debugreg *d = &v->pv.dbg;

    memset(d->dr, 0, sizeof(d->dr));
    d->dr6 = DR6_DEFAULT;
    d->dr7 = DR7_DEFAULT;
    d->dr7_emul = 0;
    v->db_pending = false;
    if (v == current)
        debugreg_load(v);
}

/* DR7 as Xen 4.17 takes it; see the head comment. */
static long set_dr7(struct vcpu *v, uint64_t value)
{
    struct pv_debugreg *d = &v->pv.dbg;
    uint32_t io_enables = 0;

    if (value != (uint32_t)value)
        return hc_fail(-XEN_EINVAL, "DR7 %#lx: upper half set", value);
    value = (value & DR7_KEEP) | DR7_ONES;
    if (value & DR7_GD)
        return hc_fail(-XEN_EPERM, "DR7 %#lx: general detect", value);
    if (value & DR7_ENABLES) {
        for (unsigned int n = 0; n < NR_DEBUG_ADDR_REGS; n++) {
            if (dr7_rw(value, n) != DR7_RW_IO)
                continue;
            if (!d->cr4_de)
                return hc_fail(-XEN_EPERM, "DR7 %#lx: I/O breakpoint %u "
                               "without CR4.DE", value, n);
            io_enables |= (uint32_t)(value & (DR7_L(n) | DR7_G(n)));
        }
    }
    d->dr7_emul = io_enables;
    d->dr7 = value & ~(uint64_t)io_enables;
    return 0;
}

long debugreg_set(struct vcpu *v, unsigned int reg, uint64_t value)
{
    struct pv_debugreg *d = &v->pv.dbg;
    long rc = 0;

    switch (reg) {
    case 0: case 1: case 2: case 3:
        if (!breakpoint_addr_ok(value))
            return hc_fail(-XEN_EPERM, "DR%u %#lx: not a guest address",
                           reg, value);
        d->dr[reg] = value;
        break;
    case 4:
    case 6:
        if (reg == 4 && d->cr4_de)
            return -XEN_ENODEV;
        if (value != (uint32_t)value)
            return hc_fail(-XEN_EINVAL, "DR6 %#lx: upper half set", value);
        d->dr6 = (value & DR6_KEEP) | DR6_ONES;
        return 0;               /* the hardware's DR6 stays at its default */
    case 5:
    case 7:
        if (reg == 5 && d->cr4_de)
            return -XEN_ENODEV;
        rc = set_dr7(v, value);
        break;
    default:
        return -XEN_ENODEV;
    }
    if (!rc && v == current)
        debugreg_load(v);
    return rc;
}

long debugreg_get(const struct vcpu *v, unsigned int reg, uint64_t *val)
{
    const struct pv_debugreg *d = &v->pv.dbg;

    switch (reg) {
    case 0: case 1: case 2: case 3:
        *val = d->dr[reg];
        return 0;
    case 4:
    case 6:
        if (reg == 4 && d->cr4_de)
            return -XEN_ENODEV;
        *val = d->dr6;
        return 0;
    case 5:
    case 7:
        if (reg == 5 && d->cr4_de)
            return -XEN_ENODEV;
        *val = d->dr7 | d->dr7_emul;
        return 0;
    default:
        return -XEN_ENODEV;
    }
}

/* As Xen's: an int register number, so a negative one is no register
 * and the upper half of the argument is not looked at. */
long do_set_debugreg(int reg, unsigned long value)
{
    return debugreg_set(current, (unsigned int)reg, value);
}

long do_get_debugreg(int reg)
{
    uint64_t val;
    long rc = debugreg_get(current, (unsigned int)reg, &val);

    return rc ? rc : (long)val;
}

bool debugreg_emulate_mov(struct vcpu *v, struct cpu_user_regs *regs,
                          uint8_t op, uint8_t modrm, uint8_t rex,
                          unsigned int insn_len)
{
    unsigned int dr = ((modrm >> 3) & 7) | ((rex & 0x4) ? 8 : 0);
    uint64_t *r = pv_gpr(regs, (modrm & 7) | ((rex & 0x1) ? 8 : 0));
    long rc;

    /* Like mov to/from CRn, the CPU ignores ModRM.mod: always a register. */
    if (op == 0x21) {
        uint64_t val;
        rc = debugreg_get(v, dr, &val);
        if (!rc)
            *r = val;
    } else {
        rc = debugreg_set(v, dr, *r);
    }
    if (rc == -XEN_ENODEV) {
        pv_inject_hw_exception(v, regs, TRAP_invalid_op, X86_EVENT_NO_EC);
        return true;
    }
    if (rc)
        return false;           /* -EINVAL, -EPERM: #GP(0), as Xen */
    regs->rip += insn_len;
    return true;
}

/* Xen's way of folding a #DB's DR6 into the guest's: new condition bits
 * are added, and a bit that reads as one by default but came as zero (a
 * feature's "active low" flag) is cleared. */
static void merge_dr6(struct pv_debugreg *d, uint64_t dr6)
{
    d->dr6 |= dr6 & ~DR6_DEFAULT;
    d->dr6 &= dr6 | ~DR6_DEFAULT;
}

static bool at_entry_point(uint64_t rip)
{
    if (rip == (uint64_t)syscall_entry || rip == (uint64_t)cstar_entry)
        return true;
    return rip >= (uint64_t)idt_stubs && rip < (uint64_t)idt_stubs_end &&
           (rip - (uint64_t)idt_stubs) % IDT_STUB_SIZE == 0;
}

static void hypervisor_db(struct cpu_user_regs *regs, uint64_t dr6)
{
    static unsigned int logged, held_back;
    struct vcpu *v = current;

    if (regs->rflags & X86_EFLAGS_TF) {
        if (!opt_debug_syscall_tf)
            log_warn("#DB: TF set in the hypervisor at %#lx; cleared", regs->rip);
        regs->rflags &= ~(uint64_t)X86_EFLAGS_TF;
    }
    for (unsigned int n = 0; n < NR_DEBUG_ADDR_REGS; n++) {
        uint64_t dr7 = hw_dr7[smp_processor_id()];
        if ((dr6 & (1UL << n)) && (dr7 & (DR7_L(n) | DR7_G(n))) &&
            dr7_rw(dr7, n) == DR7_RW_EXEC) {
            log_err("#DB: instruction breakpoint %u in the hypervisor at "
                    "%#lx; DR7 cleared", n, regs->rip);
            write_dr(7, 0);
            hw_dr7[smp_processor_id()] = 0;
        }
    }
    if (v && at_entry_point(regs->rip) && (dr6 & (DR6_B0_B3 | DR6_BS))) {
        merge_dr6(&v->pv.dbg, dr6);
        v->db_pending = true;
        if (held_back < HV_DB_LOG_LIMIT) {
            held_back++;
            log_info("d%uv%u: #DB at the hypervisor's entry %#lx (rsp %#lx, "
                     "dr6 %#lx): for the guest on its way out",
                     v->domain->domain_id, v->vcpu_id, regs->rip, regs->rsp, dr6);
        }
        return;
    }
    if (logged < HV_DB_LOG_LIMIT) {
        logged++;
        log_warn("#DB in the hypervisor at %#lx (rsp %#lx, dr6 %#lx)%s: "
                 "dropped, as Xen does", regs->rip, regs->rsp, dr6,
                 v ? "" : " with no vCPU");
    }
}

void do_debug(struct cpu_user_regs *regs)
{
    uint64_t dr6 = read_dr(6);
    struct vcpu *v = current;

    /* The CPU only ever sets DR6 bits: back to the default for the next. */
    write_dr(6, DR6_DEFAULT);
    if (!(regs->cs & 3)) {
        hypervisor_db(regs, dr6);
        return;
    }
    merge_dr6(&v->pv.dbg, dr6);
    v->db_pending = false;      /* this #DB carries any deferred one */
    pv_inject_hw_exception(v, regs, TRAP_debug, X86_EVENT_NO_EC);
}

void debugreg_deliver_deferred(struct vcpu *v, struct cpu_user_regs *regs)
{
    v->db_pending = false;
    pv_inject_hw_exception(v, regs, TRAP_debug, X86_EVENT_NO_EC);
}

/* ---- #DB for what the hypervisor did in the guest's place ------------ */

/*
 * Xen's check_guest_io_breakpoint(): with CR4.DE, an emulated port access
 * matches each I/O breakpoint whose (LEN-aligned) range it overlaps.
 */
void debugreg_io_access(struct vcpu *v, unsigned int port, unsigned int bytes)
{
    struct pv_debugreg *d = &v->pv.dbg;
    static const unsigned int width[4] = { 1, 2, 8, 4 };   /* LEN 00 01 10 11 */

    if (!d->dr7_emul || !d->cr4_de)
        return;
    for (unsigned int n = 0; n < NR_DEBUG_ADDR_REGS; n++) {
        unsigned int w = width[(d->dr7 >> (DR7_RW_SHIFT(n) + 2)) & 3];
        uint64_t start = d->dr[n] & ~(uint64_t)(w - 1);

        if ((d->dr7_emul & (DR7_L(n) | DR7_G(n))) &&
            start < (uint64_t)port + bytes && start + w > port)
            d->io_match |= (uint8_t)(1u << n);
    }
}

/* Xen's pv_emulate_privileged_op() end: DR6 gains the bits, then #DB. */
static void inject_emulated_db(struct vcpu *v, struct cpu_user_regs *regs,
                               uint64_t bits)
{
    v->pv.dbg.dr6 |= bits | DR6_ONES;
    v->db_pending = false;      /* this #DB carries any deferred one */
    pv_inject_hw_exception(v, regs, TRAP_debug, X86_EVENT_NO_EC);
}

/*
 * The instruction was emulated (rip moved on, and nothing was bounced:
 * a bounce clears TF, and always moves the stack) with TF set, or an
 * I/O breakpoint matched: the #DB the CPU would have raised after it.
 * With TF the stack may move (an emulated far call pushes), so TF alone
 * tells a bounce.
 */
void debugreg_guest_trap(struct vcpu *v, struct cpu_user_regs *regs)
{
    uint64_t rip = regs->rip, rsp = regs->rsp;
    bool tf = regs->rflags & X86_EFLAGS_TF;
    bool bounced;
    uint64_t bits;

    v->pv.dbg.io_match = 0;
    pv_handle_guest_trap(v, regs);
    bits = v->pv.dbg.io_match;
    v->pv.dbg.io_match = 0;
    if (regs->rip == rip || !vcpu_runnable(v))
        return;
    bounced = tf ? !(regs->rflags & X86_EFLAGS_TF) : regs->rsp != rsp;
    if (bounced)
        return;
    regs->rflags &= ~(uint64_t)X86_EFLAGS_RF;     /* it retired, as Xen's */
    if (tf)
        bits |= DR6_BS;
    if (bits)
        inject_emulated_db(v, regs, bits);
}

void debugreg_hypercall_step(struct vcpu *v, struct cpu_user_regs *regs,
                             unsigned int nr, bool tf_before)
{
    /* Xen returns with sysret, stepping at once, from every hypercall but
     * an iret without VGCF_in_syscall (do_iret() noted which). */
    bool sysret = nr == __HYPERVISOR_iret ? v->pv.dbg.iret_sysret : tf_before;

    if (sysret && (regs->rflags & X86_EFLAGS_TF) && vcpu_runnable(v))
        inject_emulated_db(v, regs, DR6_BS);
}
