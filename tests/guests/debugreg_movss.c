/* SPDX-License-Identifier: MIT */
/*
 * debugreg_movss - a data breakpoint on the operand of `mov %ss`, then
 * syscall, int $0x80, int3 or a faulting instruction (CVE-2018-8897,
 * XSA-260).
 * Rule: the hypervisor survives whatever the CPU does with the #DB the
 * `mov %ss` shadow holds back, and the guest sees it: one #DB, B0 in its
 * DR6. A CPU that holds the #DB back delivers it at the first
 * instruction of the hypervisor's entry, in ring 0, with the guest's rsp
 * for syscall: pvisor takes #DB on its own IST stack and hands the #DB
 * to the guest on the way out (rip after the syscall, or the handler the
 * int/exception entered). QEMU's TCG does not hold it back: the #DB
 * comes at the instruction after `mov %ss`, in guest mode.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU TCG): for each of the
 * four, one #DB with rip the instruction after `mov %ss`, DR6 0xffff0ff1;
 * the instruction then runs (xen_version answers, int $0x80 and int3 reach
 * their handlers, ud2 its fixup). Xen on a CPU that holds the #DB back
 * drops it ("Hit #DB in Xen context", arch/x86/traps.c do_debug()):
 * pvisor delivers it instead (docs/decisions.md), so the rip accepted is
 * either place. Then TF over syscall (tf_over_syscall() below); Xen: the
 * hypercall one #DB right after the syscall, DR6 0xffff4ff0; the iret
 * none; the user-mode syscall with rsp in Xen's range reaches the
 * callback with that rsp, and no #DB.
 * Undo: dbg_end().
 */
#include "hostile_debugreg.h"

static volatile uint16_t ss_word __attribute__((aligned(8)));

struct movss_case {
    const char *name;
    void (*run)(const volatile uint16_t *);
    const char *insn;              /* the instruction after mov %ss */
    unsigned long held_back_rip;   /* where a held-back #DB lands here */
};

static void run_syscall(const volatile uint16_t *w)
{
    long v = dbg_movss_syscall(w);

    if (v <= 0)
        printk("hostile:   xen_version after mov %%ss: %ld\n", v);
}

static void one(struct hg_cases *c, const struct movss_case *m)
{
    char l[80];
    unsigned long traps = trap_last.count;

    dbg_clear();
    m->run(&ss_word);
    snprintf(l, sizeof(l), "mov %%ss; %s: #DBs", m->name);
    hg_case(c, l, (long)dbg_seen.count, 1);
    hg_case(c, "  rip after mov %ss, or where it was held back to",
            dbg_seen.rip == (unsigned long)m->insn || dbg_seen.rip == m->held_back_rip, 1);
    hg_case(c, "  DR6 (B0)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_B0));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
    hg_case(c, "  the kernel's traps taken", (long)(trap_last.count - traps),
            m->run == run_syscall ? 0 : 1);
}

/*
 * TF over syscall: what a CPU does with the single step of the syscall
 * instruction is SYSCALL_MASK's business; pvisor with debug_syscall_tf
 * keeps TF, and the #DB then comes at the syscall entry with the guest's
 * rsp, as the mov %ss case does on hardware (dom0-debugreg-syscall-entry).
 * Either way the guest sees the same for a hypercall (the sysret-style
 * step, one #DB after the syscall); for an iret hypercall that clears TF,
 * Xen and pvisor by default give no #DB, and pvisor with the option the
 * held-back one, at the iret's target.
 */
static void tf_over_syscall(struct hg_cases *c)
{
    unsigned long rflags = 0x2 | (*vio_mask() ? 0 : VIO_RFLAGS_IF);
    char l[80];

    hg_case(c, "DR7 off (the single steps alone)", dbg_set(7, DBG_DR7_DEFAULT), 0);
    dbg_clear();
    hg_case(c, "TF; syscall (xen_version): its result", dbg_step_hypercall() > 0, 1);
    hg_case(c, "  #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip after the syscall", dbg_seen.rip == (unsigned long)dbg_step_hc_after, 1);
    hg_case(c, "  DR6 (BS)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_BS));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
    dbg_clear();
    dbg_step_iret(rflags);
    snprintf(l, sizeof(l), "TF; syscall (iret, flags 0, to a TF-clear context): "
             "%lu #DBs, 0 or 1", dbg_seen.count);
    hg_case(c, l, dbg_seen.count <= 1, 1);
    if (dbg_seen.count == 1) {
        hg_case(c, "  rip the iret's target", dbg_seen.rip == (unsigned long)dbg_step_iret_target, 1);
        hg_case(c, "  DR6 (BS)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_BS));
    }
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
}

/*
 * The same from user mode, with rsp in the hypervisor's range (its image,
 * through the direct map) and TF from the iret into user mode: whatever
 * the syscall entry does with a #DB there, nothing may be written where
 * rsp points, and the guest kernel's syscall callback gets the syscall
 * with that rsp. Xen and pvisor by default: no #DB (SYSCALL_MASK); pvisor
 * with debug_syscall_tf: one, held back to the callback's first
 * instruction, BS.
 */
#define HOSTILE_RSP 0xffff830000201000UL

static void user_syscall(struct hg_cases *c)
{
    struct callback_register cb = {
        .type = CALLBACKTYPE_syscall, .address = (unsigned long)dbg_user_syscall_cb,
    };
    static volatile uint64_t frame[3];
    char l[96];

    hg_case(c, "user mode: setup", vio_user_begin(), 0);
    hg_case(c, "user mode: our syscall callback", HYPERVISOR_callback_op(CALLBACKOP_register, &cb), 0);
    dbg_clear();
    dbg_user_syscall(HOSTILE_RSP, VIO_RFLAGS_FIXED | DBG_EFLAGS_TF, frame);
    hg_case(c, "user syscall, TF, rsp in Xen's range: the callback's rip",
            frame[0] == (uint64_t)dbg_user_syscall_insn + 2, 1);
    hg_case(c, "  its rsp", frame[2] == HOSTILE_RSP, 1);
    hg_case(c, "  its rflags have TF", (long)(frame[1] & DBG_EFLAGS_TF), DBG_EFLAGS_TF);
    snprintf(l, sizeof(l), "  %lu #DBs, 0 or 1", dbg_seen.count);
    hg_case(c, l, dbg_seen.count <= 1, 1);
    if (dbg_seen.count == 1) {
        hg_case(c, "  rip the callback", dbg_seen.rip == (unsigned long)dbg_user_syscall_cb, 1);
        hg_case(c, "  DR6 (BS)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_BS));
    }
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
    entry_init();
    hg_case(c, "user mode: teardown", vio_user_end(), 0);
}

const char *hostile_debugreg_movss(void)
{
    const struct movss_case cases[] = {
        { "syscall", run_syscall, dbg_movss_syscall_insn,
          (unsigned long)dbg_movss_syscall_after },
        { "int $0x80", dbg_movss_int80, dbg_movss_int80_insn,
          (unsigned long)trap_entry_softint_user },
        { "int3", dbg_movss_int3, dbg_movss_int3_insn,
          (unsigned long)trap_entry_table[X86_EXC_BP] },
        { "ud2", dbg_movss_ud2, dbg_movss_ud2_insn,
          (unsigned long)trap_entry_table[X86_EXC_UD] },
    };
    struct hg_cases c = { 0 };
    uint16_t ss;

    asm volatile("mov %%ss, %0" : "=r"(ss));
    ss_word = ss;
    hg_case(&c, "setup: our #DB handler", dbg_begin(), 0);
    hg_case(&c, "DR0 = the selector mov %ss loads", dbg_set(0, (unsigned long)&ss_word), 0);
    hg_case(&c, "DR7: read/write, 2 bytes",
            dbg_set(7, DBG_DR7_BP(0, DBG_RW_RW, DBG_LEN_2) | 0x400), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
        one(&c, &cases[i]);
    tf_over_syscall(&c);
    user_syscall(&c);
    hg_case(&c, "teardown", dbg_end(), 0);
    return hg_cases_verdict(&c);
}
