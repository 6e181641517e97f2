/* SPDX-License-Identifier: MIT */
/*
 * debugreg_breakpoints - breakpoints and single steps reach the guest as
 * #DB, with the guest's DR6 telling which; the hypervisor's own accesses
 * to a watched buffer do not stop it.
 * Rule: while the vCPU runs, its enabled DR0-3/DR7 are in the hardware;
 * a #DB from guest code is bounced to the guest's vector-1 handler and
 * the condition bits are added to the virtual DR6 (read with
 * get_debugreg(6); they stay until the guest writes DR6). A data
 * breakpoint hit by the hypervisor itself (a hypercall writing the
 * watched buffer) is dropped, as Xen drops it ("Hit #DB in Xen
 * context"), and the hypervisor goes on.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU TCG; arch/x86/traps.c
 * do_debug()):
 *  - TF set by popf: one #DB, rip the instruction after the next, TF set
 *    in the frame, DR6 0xffff4ff0 (BS);
 *  - TF over a hypercall (syscall): no #DB for the syscall itself
 *    (SYSCALL_MASK clears TF); Xen returns with sysret, which takes the
 *    single step at once: one #DB, rip right after the syscall, BS;
 *  - TF over an emulated instruction (mov %dr7, forced-emulation cpuid):
 *    one #DB, rip after it, BS (pv_emul_instruction_done() and
 *    pv_emulate_privileged_op()'s singlestep);
 *  - with CR4.DE, an I/O breakpoint (DR1 = 0x80, 1 byte) and vIOPL 1:
 *    outb to 0x80 one #DB after it, DR6 B1 (0xffff0ff2); inb from 0x81
 *    none (check_guest_io_breakpoint());
 *  - data write breakpoint (DR0, 4 bytes) on a variable: one #DB, rip
 *    after the store, DR6 0xffff0ff1 (B0);
 *  - the same watchpoint on a buffer xen_version(XENVER_extraversion)
 *    fills: no #DB, DR6 unchanged, the hypercall 0;
 *  - instruction breakpoint: one #DB at the instruction (a fault; RF set
 *    by the handler lets it run), DR6 B0.
 * Undo: dbg_end().
 */
#include "hostile_debugreg.h"

static volatile uint32_t watched __attribute__((aligned(8)));
static char extraversion[XEN_EXTRAVERSION_LEN] __attribute__((aligned(16)));

static void single_step(struct hg_cases *c)
{
    dbg_clear();
    dbg_step();
    hg_case(c, "TF: #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip the instruction after the next", dbg_seen.rip == (unsigned long)dbg_step_2, 1);
    hg_case(c, "  TF in the frame", (long)(dbg_seen.rflags & DBG_EFLAGS_TF), DBG_EFLAGS_TF);
    hg_case(c, "  DR6 (BS)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_BS));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);

    dbg_clear();
    hg_case(c, "TF over a hypercall: its result", dbg_step_hypercall() > 0, 1);
    hg_case(c, "  #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip after the syscall", dbg_seen.rip == (unsigned long)dbg_step_hc_after, 1);
    hg_case(c, "  rip after the syscall and a nop",
            dbg_seen.rip == (unsigned long)dbg_step_hc_after2, 0);
    hg_case(c, "  DR6 (BS)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_BS));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
}

/* Xen raises the single step after an instruction it emulated, too. */
static void emulated_steps(struct hg_cases *c)
{
    dbg_clear();
    hg_case(c, "TF; mov %dr7, %rax (emulated): its value", dbg_step_mov_dr(), 0x400);
    hg_case(c, "  #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip after it", dbg_seen.rip == (unsigned long)dbg_step_mov_dr_after, 1);
    hg_case(c, "  DR6 (BS)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_BS));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
    dbg_clear();
    dbg_step_cpuid();
    hg_case(c, "TF; forced-emulation cpuid: #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip after it", dbg_seen.rip == (unsigned long)dbg_step_cpuid_after, 1);
    hg_case(c, "  DR6 (BS)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_BS));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
}

/* I/O breakpoints exist only in emulation: CR4.DE, then a port access. */
static void io_breakpoint(struct hg_cases *c)
{
    unsigned long cr4 = 0;

    hg_case(c, "mov %cr4 (read)", dbg_read_cr4(&cr4), VIO_RAN);
    hg_case(c, "mov to %cr4, DE set", dbg_write_cr4(cr4 | DBG_CR4_DE), VIO_RAN);
    hg_case(c, "vIOPL 1", vio_set_iopl(1), 0);
    hg_case(c, "DR1 = port 0x80", dbg_set(1, 0x80), 0);
    hg_case(c, "DR7: I/O, 1 byte", dbg_set(7, DBG_DR7_BP(1, DBG_RW_IO, DBG_LEN_1) | 0x400), 0);
    dbg_clear();
    dbg_out80();
    hg_case(c, "outb $0x80: #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip after it", dbg_seen.rip == (unsigned long)dbg_out80_after, 1);
    hg_case(c, "  DR6 (B1)", dbg_get(6), (long)(DBG_DR6_DEFAULT | 0x2));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
    dbg_clear();
    dbg_in81();
    hg_case(c, "inb $0x81: #DBs", (long)dbg_seen.count, 0);
    hg_case(c, "DR7 off", dbg_set(7, DBG_DR7_DEFAULT), 0);
    hg_case(c, "vIOPL 0", vio_set_iopl(0), 0);
    hg_case(c, "mov to %cr4, DE clear", dbg_write_cr4(cr4), VIO_RAN);
}

static void watchpoints(struct hg_cases *c)
{
    unsigned long rip;

    hg_case(c, "DR0 = &watched", dbg_set(0, (unsigned long)&watched), 0);
    hg_case(c, "DR7: write, 4 bytes", dbg_set(7, DBG_DR7_BP(0, DBG_RW_WRITE, DBG_LEN_4) | 0x400), 0);
    dbg_clear();
    asm volatile("movl $1, %0\n1: lea 1b(%%rip), %1" : "=m"(watched), "=r"(rip) :: "memory");
    hg_case(c, "store: #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip after the store", dbg_seen.rip == rip, 1);
    hg_case(c, "  DR6 (B0)", dbg_get(6), (long)(DBG_DR6_DEFAULT | DBG_DR6_B0));
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
    dbg_clear();
    (void)watched;
    hg_case(c, "load (write-only watch): #DBs", (long)dbg_seen.count, 0);

    /* The hypervisor writes the watched buffer. */
    hg_case(c, "DR0 = the extraversion buffer", dbg_set(0, (unsigned long)extraversion), 0);
    hg_case(c, "DR7: write, 8 bytes", dbg_set(7, DBG_DR7_BP(0, DBG_RW_WRITE, DBG_LEN_8) | 0x400), 0);
    dbg_clear();
    hg_case(c, "xen_version(extraversion)",
            HYPERVISOR_xen_version(XENVER_extraversion, extraversion), 0);
    hg_case(c, "  #DBs", (long)dbg_seen.count, 0);
    hg_case(c, "  DR6", dbg_get(6), (long)DBG_DR6_DEFAULT);
    hg_case(c, "  our own read of it (write-only watch): #DBs",
            (long)(extraversion[0] != 0x7f && dbg_seen.count), 0);
    hg_case(c, "DR7 off", dbg_set(7, DBG_DR7_DEFAULT), 0);
}

static void insn_breakpoint(struct hg_cases *c)
{
    hg_case(c, "DR3 = dbg_insn", dbg_set(3, (unsigned long)dbg_insn), 0);
    hg_case(c, "DR7: execute", dbg_set(7, DBG_DR7_BP(3, DBG_RW_EXEC, DBG_LEN_1) | 0x400), 0);
    dbg_clear();
    dbg_insn();
    hg_case(c, "execute: #DBs", (long)dbg_seen.count, 1);
    hg_case(c, "  rip the instruction", dbg_seen.rip == (unsigned long)dbg_insn, 1);
    hg_case(c, "  DR6 (B3)", dbg_get(6), (long)(DBG_DR6_DEFAULT | 0x8));
    hg_case(c, "DR7 off", dbg_set(7, DBG_DR7_DEFAULT), 0);
    hg_case(c, "  set DR6 back", dbg_set(6, DBG_DR6_DEFAULT), 0);
    dbg_clear();
    dbg_insn();
    hg_case(c, "execute, DR7 off: #DBs", (long)dbg_seen.count, 0);
}

const char *hostile_debugreg_breakpoints(void)
{
    struct hg_cases c = { 0 };

    hg_case(&c, "setup: our #DB handler", dbg_begin(), 0);
    single_step(&c);
    emulated_steps(&c);
    io_breakpoint(&c);
    watchpoints(&c);
    insn_breakpoint(&c);
    hg_case(&c, "teardown", dbg_end(), 0);
    return hg_cases_verdict(&c);
}
