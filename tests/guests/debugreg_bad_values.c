/* SPDX-License-Identifier: MIT */
/*
 * debugreg_bad_values - set_debugreg/get_debugreg (hypercalls 8 and 9) and
 * the guest kernel's mov to/from %drN, with every value Xen refuses.
 * Rule: no debug register value reaches the hardware unless Xen 4.17's
 * set_debugreg() would take it: DR0-3 guest addresses only (never the
 * hypervisor's slots), DR6/DR7 32 bits wide with their reserved bits
 * forced, no DR7.GD, no I/O breakpoint without the guest's CR4.DE; DR4
 * and DR5 alias DR6 and DR7 without CR4.DE and are #UD (-ENODEV) with
 * it. From user mode, mov %drN is #GP(0). MSR_DEBUGCTL as Xen answers a
 * PV guest.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU; arch/x86/pv/
 * misc-hypercalls.c set_debugreg(), x86_emulate.c x86emul_read_dr()):
 * the want column of every case below, in particular
 *  - start of day: DR0-3 0, DR6 0xffff0ff0, DR7 0x400 (DR4/DR5 the same);
 *  - DR0 0x00007ffffffffff8 and 0xffff880000000000 taken; 2^47,
 *    0xffff800000000000 and 0xffff87ffffffffff -EPERM (-1);
 *  - DR6/DR7 with bit 32 -EINVAL (-22); DR6 0 reads 0xffff0ff0, DR6
 *    0xffffffff reads 0xffffefff; DR7 0xffffffff and GD -EPERM; DR7
 *    0xd800 reads 0x400 (bits 11, 12, 14, 15 dropped);
 *  - an I/O breakpoint with an enable bit -EPERM without CR4.DE, even in
 *    a slot that is not enabled; without any enable bit it is kept;
 *    with CR4.DE taken and read back whole;
 *  - register 8, -1: -ENODEV (-19); 2^32 (register 0 in the low half) 0;
 *  - mov %dr8 and mov %dr4 with CR4.DE: #UD; a refused value: #GP(0);
 *    from user mode: #GP(0);
 *  - rdmsr/wrmsr MSR_DEBUGCTL (0x1d9): #GP(0) (Xen has no case for it
 *    and the guest has a #GP handler, so nothing is faked).
 * Undo: dbg_end() (every register and CR4.DE back).
 */
#include "hostile_debugreg.h"

#define XEN_EPERM_  (-1L)
#define XEN_EINVAL_ (-22L)
#define XEN_ENODEV_ (-19L)

static void start_of_day(struct hg_cases *c)
{
    static const long want[8] = { 0, 0, 0, 0, DBG_DR6_DEFAULT, DBG_DR7_DEFAULT,
                                  DBG_DR6_DEFAULT, DBG_DR7_DEFAULT };
    char l[40];

    for (unsigned int i = 0; i < 8; i++) {
        snprintf(l, sizeof(l), "get DR%u at start", i);
        hg_case(c, l, dbg_get(i), want[i]);
    }
    hg_case(c, "get DR8", dbg_get(8), XEN_ENODEV_);
    hg_case(c, "get DR -1", dbg_get(~0UL), XEN_ENODEV_);
    hg_case(c, "set DR8", dbg_set(8, 0), XEN_ENODEV_);
    hg_case(c, "set DR -1", dbg_set(~0UL, 0), XEN_ENODEV_);
}

static void addresses(struct hg_cases *c)
{
    static const struct { unsigned long va; long want; } v[] = {
        { 0x00007ffffffffff8UL, 0 }, { 0x0000800000000000UL, XEN_EPERM_ },
        { DBG_XEN_START, XEN_EPERM_ }, { 0xffff82d080000000UL, XEN_EPERM_ },
        { DBG_XEN_END - 1, XEN_EPERM_ }, { DBG_XEN_END, 0 },
        { ~0UL, 0 },
    };
    char l[64];

    for (unsigned int r = 0; r < 4; r++)
        for (unsigned int i = 0; i < ARRAY_SIZE(v); i++) {
            snprintf(l, sizeof(l), "set DR%u %#lx", r, v[i].va);
            hg_case(c, l, dbg_set(r, v[i].va), v[i].want);
        }
    /* A refused value leaves the last one taken. */
    hg_case(c, "get DR3 after a refusal", dbg_get(3), -1L);
    hg_case(c, "set DR0 with reg 2^32 (low half 0)", dbg_set(1UL << 32, 0x1000), 0);
    hg_case(c, "  get DR0", dbg_get(0), 0x1000);
}

static void status_control(struct hg_cases *c)
{
    hg_case(c, "set DR6 bit 32", dbg_set(6, 1UL << 32), XEN_EINVAL_);
    hg_case(c, "set DR6 0", dbg_set(6, 0), 0);
    hg_case(c, "  get DR6", dbg_get(6), (long)DBG_DR6_DEFAULT);
    hg_case(c, "set DR6 0xffffffff", dbg_set(6, 0xffffffffUL), 0);
    hg_case(c, "  get DR6", dbg_get(6), 0xffffefffL);
    hg_case(c, "set DR4 (DR6) 0x4001", dbg_set(4, 0x4001), 0);
    hg_case(c, "  get DR6", dbg_get(6), 0xffff4ff1L);
    hg_case(c, "set DR7 bit 32", dbg_set(7, 1UL << 32), XEN_EINVAL_);
    hg_case(c, "set DR7 GD", dbg_set(7, DBG_DR7_GD), XEN_EPERM_);
    hg_case(c, "set DR7 0xffffffff", dbg_set(7, 0xffffffffUL), XEN_EPERM_);
    hg_case(c, "set DR7 0xd800", dbg_set(7, 0xd800), 0);
    hg_case(c, "  get DR7", dbg_get(7), (long)DBG_DR7_DEFAULT);
    hg_case(c, "set DR5 (DR7) 0x301", dbg_set(5, 0x301), 0);
    hg_case(c, "  get DR7", dbg_get(7), 0x701L);
    hg_case(c, "set DR7 I/O bp 0 enabled", dbg_set(7, DBG_DR7_BP(0, DBG_RW_IO, DBG_LEN_1)),
            XEN_EPERM_);
    hg_case(c, "set DR7 bp 1 enabled, I/O in slot 0",
            dbg_set(7, DBG_DR7_BP(1, DBG_RW_WRITE, DBG_LEN_1) |
                       DBG_DR7_FIELD(0, DBG_RW_IO, DBG_LEN_1)), XEN_EPERM_);
    hg_case(c, "set DR7 I/O in slot 0, nothing enabled",
            dbg_set(7, DBG_DR7_FIELD(0, DBG_RW_IO, DBG_LEN_4)), 0);
    hg_case(c, "  get DR7", dbg_get(7), 0xe0400L);
    hg_case(c, "get DR7 after a refusal", dbg_get(7), 0xe0400L);
}

static void with_de(struct hg_cases *c)
{
    unsigned long cr4 = 0, cr4_de = 0, v = 0;
    unsigned long io = DBG_DR7_BP(1, DBG_RW_IO, DBG_LEN_2) | 0x400;

    hg_case(c, "mov %cr4 (read)", dbg_read_cr4(&cr4), VIO_RAN);
    hg_case(c, "  CR4.DE", (long)(cr4 & DBG_CR4_DE), 0);
    hg_case(c, "mov to %cr4, DE set", dbg_write_cr4(cr4 | DBG_CR4_DE), VIO_RAN);
    hg_case(c, "  read back", dbg_read_cr4(&cr4_de), VIO_RAN);
    hg_case(c, "  CR4 is the old one with DE", cr4_de == (cr4 | DBG_CR4_DE), 1);
    hg_case(c, "DE: get DR4", dbg_get(4), XEN_ENODEV_);
    hg_case(c, "DE: get DR5", dbg_get(5), XEN_ENODEV_);
    hg_case(c, "DE: set DR4", dbg_set(4, 0), XEN_ENODEV_);
    hg_case(c, "DE: set DR5", dbg_set(5, 0x400), XEN_ENODEV_);
    hg_case(c, "DE: mov %dr4 (read)", ({
            unsigned long b = trap_last.count;
            asm volatile("1: mov %%dr4, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "+r"(v) :: "memory");
            vio_outcome(b); }), VIO_UD);
    hg_case(c, "DE: set DR1 0x80 (a port)", dbg_set(1, 0x80), 0);
    hg_case(c, "DE: set DR7 I/O bp 1 enabled", dbg_set(7, io), 0);
    hg_case(c, "  get DR7", dbg_get(7), (long)io);
    hg_case(c, "DE: mov %dr7 (read)", ({
            unsigned long b = trap_last.count;
            asm volatile("1: mov %%dr7, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "=r"(v) :: "memory");
            vio_outcome(b); }), VIO_RAN);
    hg_case(c, "  value", (long)v, (long)io);
    hg_case(c, "set DR7 0x400", dbg_set(7, DBG_DR7_DEFAULT), 0);
    hg_case(c, "mov to %cr4, DE clear", dbg_write_cr4(cr4), VIO_RAN);
    hg_case(c, "  get DR4 (DR6 again)", dbg_get(4), dbg_get(6));
}

/* mov to/from DRn in kernel mode, and from user mode. */
static void emulation(struct hg_cases *c)
{
    unsigned long v = VIO_FILL, bad = DBG_XEN_START, hi = 1UL << 32, gd = DBG_DR7_GD;
    unsigned long ok = 0x2000UL;
    unsigned long b;

    b = trap_last.count;
    asm volatile("1: mov %%dr6, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "+r"(v) :: "memory");
    hg_case(c, "mov %dr6, reg", vio_outcome(b), VIO_RAN);
    hg_case(c, "  value", (long)v, dbg_get(6));
    b = trap_last.count;
    asm volatile("1: mov %0, %%dr2\n2:\n" FIXUP_ENTRY(1b, 2b) :: "r"(ok) : "memory");
    hg_case(c, "mov reg, %dr2 (0x2000)", vio_outcome(b), VIO_RAN);
    hg_case(c, "  get DR2", dbg_get(2), (long)ok);
    b = trap_last.count;
    asm volatile("1: mov %0, %%dr2\n2:\n" FIXUP_ENTRY(1b, 2b) :: "r"(bad) : "memory");
    hg_case(c, "mov reg, %dr2 (Xen's range)", vio_outcome(b), VIO_GP0);
    hg_case(c, "  get DR2 unchanged", dbg_get(2), (long)ok);
    b = trap_last.count;
    asm volatile("1: mov %0, %%dr6\n2:\n" FIXUP_ENTRY(1b, 2b) :: "r"(hi) : "memory");
    hg_case(c, "mov reg, %dr6 (bit 32)", vio_outcome(b), VIO_GP0);
    b = trap_last.count;
    asm volatile("1: mov %0, %%dr7\n2:\n" FIXUP_ENTRY(1b, 2b) :: "r"(gd) : "memory");
    hg_case(c, "mov reg, %dr7 (GD)", vio_outcome(b), VIO_GP0);
    v = VIO_FILL;
    b = trap_last.count;
    asm volatile("1: .byte 0x44, 0x0f, 0x21, 0xc0\n2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+a"(v) :: "memory");               /* mov %dr8, %rax */
    hg_case(c, "mov %dr8, %rax", vio_outcome(b), VIO_UD);
    hg_case(c, "  rax untouched", v == VIO_FILL, 1);
    b = trap_last.count;
    asm volatile("1: mov %%dr5, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "=r"(v) :: "memory");
    hg_case(c, "mov %dr5, reg (DR7, no DE)", vio_outcome(b), VIO_RAN);
    hg_case(c, "  value", (long)v, dbg_get(7));

    hg_case(c, "user mode: setup", vio_user_begin(), 0);
    hg_case(c, "user mode: mov %dr7, %rax",
            vio_user_run(dbg_user_mov_dr7, VIO_RFLAGS_FIXED, NULL), VIO_GP0);
    hg_case(c, "user mode: teardown", vio_user_end(), 0);
}

static void debugctl(struct hg_cases *c)
{
    unsigned long v = 0;

    hg_case(c, "rdmsr MSR_DEBUGCTL", dbg_rdmsr(DBG_MSR_DEBUGCTL, &v), VIO_GP0);
    hg_case(c, "wrmsr MSR_DEBUGCTL 0", dbg_wrmsr(DBG_MSR_DEBUGCTL, 0), VIO_GP0);
    hg_case(c, "wrmsr MSR_DEBUGCTL 1 (LBR)", dbg_wrmsr(DBG_MSR_DEBUGCTL, 1), VIO_GP0);
    hg_case(c, "wrmsr MSR_DEBUGCTL 2 (BTF)", dbg_wrmsr(DBG_MSR_DEBUGCTL, 2), VIO_GP0);
}

const char *hostile_debugreg_bad_values(void)
{
    struct hg_cases c = { 0 };

    start_of_day(&c);
    addresses(&c);
    status_control(&c);
    with_de(&c);
    emulation(&c);
    debugctl(&c);
    hg_case(&c, "teardown: registers, CR4.DE, trap table", dbg_end(), 0);
    for (unsigned int i = 0; i < 8; i++)
        hg_case(&c, "  back to the start-of-day value", dbg_get(i),
                i < 4 ? 0 : (i & 1) ? (long)DBG_DR7_DEFAULT : (long)DBG_DR6_DEFAULT);
    return hg_cases_verdict(&c);
}
