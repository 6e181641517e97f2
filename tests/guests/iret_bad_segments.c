/* SPDX-License-Identifier: MIT */
/*
 * iret_bad_segments - HYPERVISOR_iret to a context the CPU will not
 * return to (a null, wrong-type or not-present %cs or %ss, a
 * non-canonical rip): the fault the hypervisor's own iretq takes is the
 * guest's, bounced to its handler as if the guest had raised it at the
 * context it asked for; the domain lives on. In user mode and in kernel
 * mode; LDT selectors included.
 *
 * Each case irets to ud2 (so a context that works ends in #UD: "ran")
 * with cs FLAT_USER_CS, ss FLAT_USER_SS, a user stack and rflags 0x2,
 * but for what the label changes. Cases (Xen 4.17's answer):
 *   baseline                     ran
 *   ss null (0)                  #GP 0
 *   ss = 0xe033 (code)           #GP 0xe030
 *   cs = 0xe02b (data)           #GP 0xe028
 *   cs null (0)                  #GP 0
 *   cs = 0x803 (blank GDT slot)  #GP 0x800
 *   rip 2^63 (non-canonical)     #GP 0, the frame's rip 2^63
 *   rsp 2^63                     ran (iret does not check rsp), the
 *                                frame's rsp 2^63
 *   in_syscall: cs data, ss null ran, the frame's cs 0xe033 and ss 0xe02b
 *                                (Xen leaves a syscall with sysret, which
 *                                takes the selectors from MSR_STAR)
 *   in_syscall: rip 2^63         #GP 0 (Xen's sysret path refuses a
 *                                non-canonical rip and uses iret)
 * with an LDT (1 data, 2 data not present, 3 code not present, 4 code):
 *   cs = LDT code                ran, the frame's cs 0x27
 *   ss = LDT data                ran, the frame's ss 0xf
 *   cs = LDT code not present    #NP 0x1c
 *   ss = LDT data not present    #NP 0x14 (QEMU's TCG; hardware: #SS)
 * in kernel mode (cs 0xe030: RPL 0, the kernel stays in kernel mode; a
 * stack of its own):
 *   kernel: ss null              #GP 0, the frame's cs 0xe030
 *   kernel: cs = 0xe02b (data)   #GP 0xe028
 *   kernel: rip 2^63             #GP 0
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU): as listed. Source:
 * arch/x86/pv/iret.c do_iret() (no check of the context but the user
 * page table), arch/x86/x86_64/entry.S restore_all_guest (sysret unless
 * the rip is non-canonical) and the iretq's pre-exception fixup, which
 * turns its fault into the guest's own (handle_exception).
 */
#include "hostile_ldt.h"

#define NONCANONICAL  0x8000000000000000UL
#define BLANK_GDT_CS  0x803
#define LDT_ENTS 8
/* An iretq whose SS is not present: #SS(sel) on hardware (SDM, IRET);
 * QEMU 7.2's TCG raises #NP(sel), and the hypervisor passes it on. */
#define SS_NOT_PRESENT(ec) LDT_NP(ec)
#define MASKED(cs)    ((cs) | 1UL << 32)      /* the frame's upcall mask 1 */

static struct ldt_iret base(void)
{
    return (struct ldt_iret){
        .rip = (uint64_t)ldt_u_ud2, .cs = FLAT_USER_CS,
        .rflags = X86_EFLAGS_FIXED, .rsp = ldt_user_stack_top(),
        .ss = FLAT_USER_SS,
    };
}

static struct ldt_iret kbase(void)
{
    struct ldt_iret r = base();

    r.cs = VIO_KERNEL_CS;
    r.ss = FLAT_KERNEL_SS;
    r.rsp = ldt_kernel_stack_top();
    return r;
}

static struct ldt_frame f;

static void run(struct hg_cases *c, const char *l, struct ldt_iret r, long want)
{
    hg_case(c, l, ldt_iret_run(&r, &f), want);
}

static void gdt_cases(struct hg_cases *c)
{
    struct ldt_iret r = base();

    run(c, "baseline", r, VIO_RAN);
    hg_case(c, "  frame cs", (long)f.cs, (long)MASKED(FLAT_USER_CS));
    r = base(); r.ss = 0;
    run(c, "ss null", r, LDT_GP(0));
    hg_case(c, "  frame rip", (long)f.rip, (long)ldt_u_ud2);
    hg_case(c, "  frame cs", (long)f.cs, (long)MASKED(FLAT_USER_CS));
    r = base(); r.ss = FLAT_USER_CS;
    run(c, "ss = code", r, LDT_GP(FLAT_USER_CS & ~3UL));
    r = base(); r.cs = FLAT_USER_SS;
    run(c, "cs = data", r, LDT_GP(FLAT_USER_SS & ~3UL));
    r = base(); r.cs = 0;
    run(c, "cs null", r, LDT_GP(0));
    r = base(); r.cs = BLANK_GDT_CS;
    run(c, "cs = blank GDT slot", r, LDT_GP(BLANK_GDT_CS & ~3UL));
    r = base(); r.rip = NONCANONICAL;
    run(c, "rip 2^63", r, LDT_GP(0));
    hg_case(c, "  frame rip", (long)f.rip, (long)NONCANONICAL);
    r = base(); r.rsp = NONCANONICAL;
    run(c, "rsp 2^63", r, VIO_RAN);
    hg_case(c, "  frame rsp", (long)f.rsp, (long)NONCANONICAL);
    r = base(); r.flags = VGCF_in_syscall; r.cs = FLAT_USER_SS; r.ss = 0;
    run(c, "in_syscall: cs data, ss null", r, VIO_RAN);
    hg_case(c, "  frame cs", (long)f.cs, (long)MASKED(FLAT_USER_CS));
    hg_case(c, "  frame ss", (long)f.ss, FLAT_USER_SS);
    r = base(); r.flags = VGCF_in_syscall; r.rip = NONCANONICAL;
    run(c, "in_syscall: rip 2^63", r, LDT_GP(0));
}

static void ldt_cases(struct hg_cases *c)
{
    struct ldt_iret r = base();

    r.cs = LDT_SEL(4);
    run(c, "cs = LDT code", r, VIO_RAN);
    hg_case(c, "  frame cs", (long)f.cs, (long)MASKED(LDT_SEL(4)));
    r = base(); r.ss = LDT_SEL(1);
    run(c, "ss = LDT data", r, VIO_RAN);
    hg_case(c, "  frame ss", (long)f.ss, LDT_SEL(1));
    r = base(); r.cs = LDT_SEL(3);
    run(c, "cs = LDT code not present", r, LDT_NP(LDT_EC(3)));
    r = base(); r.ss = LDT_SEL(2);
    run(c, "ss = LDT data not present", r, SS_NOT_PRESENT(LDT_EC(2)));
}

static void kernel_cases(struct hg_cases *c)
{
    struct ldt_iret r = kbase();

    run(c, "kernel: baseline", r, VIO_RAN);
    r = kbase(); r.ss = 0;
    run(c, "kernel: ss null", r, LDT_GP(0));
    hg_case(c, "  frame cs", (long)f.cs, (long)MASKED(VIO_KERNEL_CS));
    r = kbase(); r.cs = FLAT_KERNEL_SS & ~3UL;
    run(c, "kernel: cs = data", r, LDT_GP(FLAT_KERNEL_SS & ~3UL));
    r = kbase(); r.rip = NONCANONICAL;
    run(c, "kernel: rip 2^63", r, LDT_GP(0));
}

const char *hostile_iret_bad_segments(void)
{
    volatile uint64_t *p = hg_page(0);
    struct hg_cases c = { 0 };
    long rc;

    p[1] = DESC_DATA_DPL3;
    p[2] = DESC_DATA_NP;
    p[3] = DESC_CODE64_NP;
    p[4] = DESC_CODE64_DPL3;
    rc = ldt_user_begin();
    hg_case(&c, "user harness", rc, 0);
    if (!rc) {
        gdt_cases(&c);
        hg_case(&c, "P read-only", hg_set_readonly((void *)p), 0);
        hg_case(&c, "set LDT", ldt_set((unsigned long)p, LDT_ENTS), 0);
        ldt_cases(&c);
        hg_case(&c, "no LDT", ldt_set(0, 0), 0);
        hg_case(&c, "P writable", hg_set_writable((void *)p), 0);
        kernel_cases(&c);
    }
    hg_case(&c, "user harness undone", ldt_user_end(), 0);
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = 0;
    return hg_cases_verdict(&c);
}
