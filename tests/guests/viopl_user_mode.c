/* SPDX-License-Identifier: MIT */
/*
 * viopl_user_mode - cli, sti and port I/O from guest user mode, against
 * the vCPU's virtual IOPL and I/O bitmap.
 * Rule: user mode is ring 3: only vIOPL 3 lets it run cli/sti (which do
 * nothing) and port I/O; below that, #GP(0) reaches the kernel with a
 * user frame; the I/O bitmap (read from the kernel's address space)
 * still lets ports through. The rflags an iret to user mode asks for do
 * not change the vIOPL (without VMASST_TYPE_architectural_iopl).
 *
 * The user code runs on the kernel's own L4 installed as the user L4, so
 * it executes the kernel image's pages (a 64-bit PV guest's pages are all
 * user pages). Observed on Xen 4.17 (4.17.7 as dom0 in QEMU;
 * arch/x86/pv/emul-priv-op.c iopl_ok(), guest_io_okay()):
 *  - vIOPL 0, 1, 2: cli, sti, inb $0x81, inb (dx), outb (dx): #GP(0),
 *    the frame's rip the instruction, its cs 0xe033 with the upcall mask
 *    (1) in bits 32-39, its rflags those of the iret (0x2: IOPL 0);
 *    vIOPL 3: all run (to the ud2 after them);
 *  - vIOPL 1 and an iret with rflags.IOPL 3: cli #GP(0) still;
 *  - vIOPL 0 with a bitmap that clears 0x81: inb $0x81 runs, cli #GP(0);
 *  - vIOPL 3: rep insb of 1 to an unmapped page #PF, error code 6
 *    (write, user), cr2 the address; rep outsb from it #PF 4.
 */
#include "hostile_viopl.h"

struct user_insn {
    const char *name;
    const char *code;
};

static const struct user_insn insns[] = {
    { "cli", vio_user_cli }, { "sti", vio_user_sti },
    { "inb $0x81", vio_user_inb_imm }, { "inb (dx)", vio_user_inb_dx },
    { "outb (dx)", vio_user_outb_dx },
};

#define USER_CS_MASKED (FLAT_USER_CS | 1UL << 32)   /* cs, upcall mask 1 */

static void level_cases(struct hg_cases *c, unsigned int iopl)
{
    struct vio_user_frame f;
    char l[80];

    snprintf(l, sizeof(l), "vIOPL %u", iopl);
    hg_case(c, l, vio_set_iopl(iopl), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(insns); i++) {
        long o = vio_user_run(insns[i].code, VIO_RFLAGS_FIXED, &f);

        snprintf(l, sizeof(l), "vIOPL %u: user %s", iopl, insns[i].name);
        hg_case(c, l, o, iopl == 3 ? VIO_RAN : VIO_GP0);
        if (o != VIO_GP0)
            continue;
        hg_case(c, "  frame rip: the instruction",
                f.rip == (uint64_t)insns[i].code +
                         (insns[i].code == vio_user_inb_dx ||
                          insns[i].code == vio_user_outb_dx ? 5 : 0), 1);
        hg_case(c, "  frame cs", (long)f.cs, (long)USER_CS_MASKED);
        hg_case(c, "  frame rflags", (long)f.rflags, VIO_RFLAGS_FIXED);
    }
}

static void bitmap_cases(struct hg_cases *c)
{
    uint8_t *bm = hg_page(6);

    memset(bm, 0xff, PAGE_SIZE);
    bm[VIO_USER_PORT / 8] &= (uint8_t)~(1u << (VIO_USER_PORT % 8));
    hg_case(c, "vIOPL 0", vio_set_iopl(0), 0);
    hg_case(c, "bitmap: 0x81", vio_set_iobitmap(bm, 0x100), 0);
    hg_case(c, "  user inb $0x81", vio_user_run(vio_user_inb_imm, VIO_RFLAGS_FIXED, NULL),
            VIO_RAN);
    hg_case(c, "  user cli", vio_user_run(vio_user_cli, VIO_RFLAGS_FIXED, NULL), VIO_GP0);
    hg_case(c, "bitmap off", vio_set_iobitmap(NULL, 0), 0);
    hg_case(c, "  user inb $0x81", vio_user_run(vio_user_inb_imm, VIO_RFLAGS_FIXED, NULL),
            VIO_GP0);
}

static void fault_cases(struct hg_cases *c)
{
    struct vio_user_frame f;

    hg_case(c, "vIOPL 3", vio_set_iopl(3), 0);
    hg_case(c, "user rep insb, unmapped", vio_user_run(vio_user_insb_bad, VIO_RFLAGS_FIXED, &f),
            VIO_PF(6));
    hg_case(c, "  cr2", f.cr2 == VIO_USER_BAD_VA, 1);
    hg_case(c, "user rep outsb, unmapped",
            vio_user_run(vio_user_outsb_bad, VIO_RFLAGS_FIXED, &f), VIO_PF(4));
    hg_case(c, "  cr2", f.cr2 == VIO_USER_BAD_VA, 1);
}

const char *hostile_viopl_user_mode(void)
{
    struct hg_cases c = { 0 };
    long rc = vio_user_begin();

    hg_case(&c, "setup: user mode on the kernel's L4", rc, 0);
    if (!rc) {
        for (unsigned int iopl = 0; iopl <= 3; iopl++)
            level_cases(&c, iopl);
        hg_case(&c, "vIOPL 1", vio_set_iopl(1), 0);
        hg_case(&c, "  user cli, iret with IOPL 3",
                vio_user_run(vio_user_cli, VIO_RFLAGS_FIXED | VIO_IOPL(3), NULL), VIO_GP0);
        bitmap_cases(&c);
        fault_cases(&c);
    }
    hg_case(&c, "vIOPL 0 (as at start)", vio_set_iopl(0), 0);
    hg_case(&c, "teardown: kernel traps, stack, user L4", vio_user_end(), 0);
    return hg_cases_verdict(&c);
}
