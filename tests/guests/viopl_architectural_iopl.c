/* SPDX-License-Identifier: MIT */
/*
 * viopl_architectural_iopl - vm_assist(VMASST_TYPE_architectural_iopl):
 * the virtual IOPL as the guest's rflags.IOPL.
 * Rule: with the assist on, the guest kernel counts as ring 0 for I/O
 * privilege (so vIOPL 0 lets it do everything; user mode stays ring 3);
 * every bounce frame's rflags carry the vIOPL in IOPL; every iret (to
 * kernel or user mode) sets the vIOPL from its rflags; set_iopl still
 * works. With it off: kernel ring 1 again, frames show IOPL 0 and iret
 * leaves the vIOPL alone, whatever the assist set last.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU; arch/x86/pv/iret.c,
 * x86_64/entry.S create_bounce_frame, emul-priv-op.c iopl_ok()):
 *  - on, vIOPL 0: kernel cli and inb run; int3's frame rflags.IOPL 0;
 *    set_iopl 2: the frame shows IOPL 2 (0x2000); the real rflags
 *    (pushf) IOPL 0;
 *  - on, iret with IOPL 3: the next frame shows 3; with IOPL 0: 0;
 *  - on, iret with IOPL 1, then off: frames IOPL 0, kernel cli runs
 *    (vIOPL 1 kept); an iret with IOPL 0 then changes nothing (cli still
 *    runs); set_iopl 0 and an iret with IOPL 3: cli #GP(0);
 *  - on, user mode: set_iopl 1 then an iret to user with IOPL 1: cli
 *    #GP(0), frame rflags 0x1002; iret to user with IOPL 3: cli and
 *    inb $0x81 run, frame 0x3002; with IOPL 0: cli #GP(0), frame 0x2.
 */
#include "hostile_viopl.h"

static long assist(unsigned int cmd)
{
    return HYPERVISOR_vm_assist(cmd, VMASST_TYPE_architectural_iopl);
}

static long frame_iopl(void)
{
    return (long)(vio_int3_rflags() & VIO_RFLAGS_IOPL);
}

static void kernel_cases(struct hg_cases *c)
{
    uint64_t a = 0;
    unsigned long flags;

    hg_case(c, "vIOPL 0", vio_set_iopl(0), 0);
    hg_case(c, "assist on", assist(VMASST_CMD_enable), 0);
    hg_case(c, "  kernel cli", VIO_TRY("cli"), VIO_RAN);
    hg_case(c, "  kernel inb $0x81", VIO_IO("inb $0x81, %%al", 0, a), VIO_RAN);
    hg_case(c, "  int3 frame IOPL", frame_iopl(), VIO_IOPL(0));
    hg_case(c, "set_iopl 2", vio_set_iopl(2), 0);
    hg_case(c, "  int3 frame IOPL", frame_iopl(), VIO_IOPL(2));
    asm volatile("pushf; pop %0" : "=r"(flags));
    hg_case(c, "  real rflags IOPL", (long)(flags & VIO_RFLAGS_IOPL), 0);
    vio_iret_rflags(VIO_RFLAGS_FIXED | VIO_IOPL(3));
    hg_case(c, "iret IOPL 3: int3 frame IOPL", frame_iopl(), VIO_IOPL(3));
    vio_iret_rflags(VIO_RFLAGS_FIXED | VIO_IOPL(0));
    hg_case(c, "iret IOPL 0: int3 frame IOPL", frame_iopl(), VIO_IOPL(0));
    vio_iret_rflags(VIO_RFLAGS_FIXED | VIO_IOPL(1));
    hg_case(c, "iret IOPL 1, assist off", assist(VMASST_CMD_disable), 0);
    hg_case(c, "  int3 frame IOPL", frame_iopl(), VIO_IOPL(0));
    hg_case(c, "  kernel cli (vIOPL 1)", VIO_TRY("cli"), VIO_RAN);
    vio_iret_rflags(VIO_RFLAGS_FIXED | VIO_IOPL(0));
    hg_case(c, "  iret IOPL 0, kernel cli", VIO_TRY("cli"), VIO_RAN);
    hg_case(c, "  set_iopl 0", vio_set_iopl(0), 0);
    vio_iret_rflags(VIO_RFLAGS_FIXED | VIO_IOPL(3));
    hg_case(c, "  iret IOPL 3, kernel cli", VIO_TRY("cli"), VIO_GP0);
}

static void user_cases(struct hg_cases *c)
{
    struct vio_user_frame f;
    long rc = vio_user_begin();

    hg_case(c, "setup: user mode on the kernel's L4", rc, 0);
    if (rc)
        return;
    hg_case(c, "assist on", assist(VMASST_CMD_enable), 0);
    hg_case(c, "set_iopl 1", vio_set_iopl(1), 0);
    hg_case(c, "user cli, iret IOPL 1",
            vio_user_run(vio_user_cli, VIO_RFLAGS_FIXED | VIO_IOPL(1), &f), VIO_GP0);
    hg_case(c, "  frame rflags", (long)f.rflags, VIO_RFLAGS_FIXED | VIO_IOPL(1));
    hg_case(c, "user cli, iret IOPL 3",
            vio_user_run(vio_user_cli, VIO_RFLAGS_FIXED | VIO_IOPL(3), &f), VIO_RAN);
    hg_case(c, "  frame rflags", (long)f.rflags, VIO_RFLAGS_FIXED | VIO_IOPL(3));
    hg_case(c, "user inb $0x81, iret IOPL 3",
            vio_user_run(vio_user_inb_imm, VIO_RFLAGS_FIXED | VIO_IOPL(3), NULL), VIO_RAN);
    hg_case(c, "user cli, iret IOPL 0",
            vio_user_run(vio_user_cli, VIO_RFLAGS_FIXED | VIO_IOPL(0), &f), VIO_GP0);
    hg_case(c, "  frame rflags", (long)f.rflags, VIO_RFLAGS_FIXED);
    hg_case(c, "assist off", assist(VMASST_CMD_disable), 0);
    hg_case(c, "teardown: kernel traps, stack, user L4", vio_user_end(), 0);
}

const char *hostile_viopl_architectural_iopl(void)
{
    struct hg_cases c = { 0 };

    kernel_cases(&c);
    user_cases(&c);
    hg_case(&c, "vIOPL 0 (as at start)", vio_set_iopl(0), 0);
    return hg_cases_verdict(&c);
}
