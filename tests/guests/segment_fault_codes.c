/* SPDX-License-Identifier: MIT */
/*
 * segment_fault_codes - a #GP, #NP or #SS that the CPU raises for the
 * guest's own instruction, and that nothing emulates, reaches the guest
 * with the hardware's vector and error code, in kernel and in user mode;
 * the LDT serves user mode as it serves the kernel.
 *
 * Cases (label: what, Xen 4.17's answer), each in kernel mode and in user
 * mode (the user frame's cs 0xe033):
 *   far call, empty LDT    lcall through selector 0x7 (LDT entry 0) with
 *                          no LDT: #GP 0x4; ljmp likewise
 *   far call, GDT null     lcall through selector 0x3: #GP 0
 *   stack, non-canonical   mov (%rbp) with rbp 2^63: #GP 0 under QEMU 7.2 TCG
 *                          (hardware: #SS 0)
 * in kernel mode with a GDT of 8 entries of ours (set_gdt; 1 data, 5-6 a
 * call gate), then none again:
 *   es = GDT entry 1       0
 *   far call/jmp via gate  #GP 0x28 (the gate's DPL is 0 after validation)
 *   far call via entry 9   #GP 0x48: past the 8 entries, but the page is
 *                          the GDT's (Xen's limit is the whole table), and
 *                          its descriptor 0 is no code segment
 * and with an LDT of 8 entries (page P, read-only: 1 data DPL 3, 3 data
 * not present, 5-6 a call gate):
 *   user es = entry 1      0 (the first use of the LDT may be from user
 *                          mode)
 *   user ss = entry 3      #SS 0x1c; es = entry 3: #NP 0x1c
 *   user lcall via gate    #GP 0x2c
 *   user entry 8           #GP 0x44
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU): as listed. Source:
 * arch/x86/traps.c do_general_protection() ("Pass on GPF as is"; gates
 * are emulated for 32-bit guests only), do_trap() for #NP and #SS.
 */
#include "hostile_ldt.h"

#define LDT_ENTS 8
#define GDT_ENTS 8
/* QEMU 7.2's TCG raises #GP(0) for a non-canonical address whatever the
 * base register (hardware: #SS(0) through rsp or rbp); pvisor and Xen
 * pass on what the CPU raised. */
#define STACK_NONCANONICAL LDT_GP(0)
#define MOVABS_LEN 10          /* the snippet's first instruction */
#define USER_CS_MASKED (FLAT_USER_CS | 1UL << 32)   /* cs, upcall mask 1 */

static void user_case_at(struct hg_cases *c, const char *l, const char *code,
                         uint64_t rax, long want, unsigned int insn_off)
{
    struct ldt_frame f;
    char lab[80];
    long o = ldt_user_run(code, rax, &f);

    snprintf(lab, sizeof(lab), "user: %s", l);
    hg_case(c, lab, o, want);
    if (o != VIO_RAN) {
        hg_case(c, "  frame rip: the instruction", (long)f.rip,
                (long)code + insn_off);
        hg_case(c, "  frame cs", (long)f.cs, (long)USER_CS_MASKED);
    }
}

static void user_case(struct hg_cases *c, const char *l, const char *code,
                      uint64_t rax, long want)
{
    user_case_at(c, l, code, rax, want, 0);
}

/*
 * A GDT of our own (page G, read-only: 1 data DPL 3, 5-6 a call gate),
 * then none again, as the kernel runs (it uses Xen's flat selectors).
 */
static void gdt_gate_cases(struct hg_cases *c)
{
    volatile uint64_t *g = hg_page(1);
    xen_pfn_t frame = hg_virt_to_mfn((void *)g);

    g[1] = DESC_DATA_DPL3;
    g[5] = DESC_GATE_LO(FLAT_KERNEL_CS, (uint64_t)ldt_u_ud2, 3);
    g[6] = DESC_GATE_HI((uint64_t)ldt_u_ud2);
    hg_case(c, "G read-only", hg_set_readonly((void *)g), 0);
    hg_case(c, "set_gdt(G, 8)", HYPERVISOR_set_gdt(&frame, GDT_ENTS), 0);
    hg_case(c, "es = GDT entry 1", ldt_load_es(GDT_SEL(1)), VIO_RAN);
    hg_case(c, "lcall via GDT gate", ldt_lcall(GDT_SEL(5)), LDT_GP(GDT_EC(5)));
    hg_case(c, "ljmp via GDT gate", ldt_ljmp(GDT_SEL(5)), LDT_GP(GDT_EC(5)));
    hg_case(c, "lcall via entry 9 (zero)", ldt_lcall(GDT_SEL(9)), LDT_GP(GDT_EC(9)));
    hg_case(c, "set_gdt(none)", HYPERVISOR_set_gdt(&frame, 0), 0);
    hg_case(c, "G writable", hg_set_writable((void *)g), 0);
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        g[i] = 0;
}

/* In kernel mode, through the kernel's own trap table. */
static void kernel_cases(struct hg_cases *c)
{
    hg_case(c, "lcall, empty LDT", ldt_lcall(LDT_SEL(0)), LDT_GP(LDT_EC(0)));
    hg_case(c, "ljmp, empty LDT", ldt_ljmp(LDT_SEL(0)), LDT_GP(LDT_EC(0)));
    hg_case(c, "lcall, GDT null", ldt_lcall(GDT_SEL(0)), LDT_GP(0));
    hg_case(c, "stack, non-canonical", ldt_noncanonical_stack(), STACK_NONCANONICAL);
    gdt_gate_cases(c);
}

static void no_ldt_cases(struct hg_cases *c)
{
    user_case(c, "lcall, empty LDT", ldt_u_lcall, LDT_SEL(0), LDT_GP(LDT_EC(0)));
    user_case(c, "ljmp, empty LDT", ldt_u_ljmp, LDT_SEL(0), LDT_GP(LDT_EC(0)));
    user_case(c, "lcall, GDT null", ldt_u_lcall, GDT_SEL(0), LDT_GP(0));
    user_case_at(c, "stack, non-canonical", ldt_u_stack_noncanonical, 0,
                 STACK_NONCANONICAL, MOVABS_LEN);
}

static void ldt_cases(struct hg_cases *c)
{
    user_case(c, "es = entry 1", ldt_u_load_es, LDT_SEL(1), VIO_RAN);
    user_case(c, "ss = entry 3", ldt_u_load_ss, LDT_SEL(3), LDT_SS(LDT_EC(3)));
    user_case(c, "es = entry 3", ldt_u_load_es, LDT_SEL(3), LDT_NP(LDT_EC(3)));
    user_case(c, "lcall via gate", ldt_u_lcall, LDT_SEL(5), LDT_GP(LDT_EC(5)));
    user_case(c, "es = entry 8", ldt_u_load_es, LDT_SEL(8), LDT_GP(LDT_EC(8)));
}

const char *hostile_segment_fault_codes(void)
{
    volatile uint64_t *p = hg_page(0);
    struct hg_cases c = { 0 };
    long rc;

    p[1] = DESC_DATA_DPL3;
    p[3] = DESC_DATA_NP;
    p[5] = DESC_GATE_LO(FLAT_KERNEL_CS, (uint64_t)ldt_u_ud2, 3);
    p[6] = DESC_GATE_HI((uint64_t)ldt_u_ud2);
    kernel_cases(&c);
    rc = ldt_user_begin();
    hg_case(&c, "user harness", rc, 0);
    if (!rc) {
        no_ldt_cases(&c);
        hg_case(&c, "P read-only", hg_set_readonly((void *)p), 0);
        hg_case(&c, "set LDT", ldt_set((unsigned long)p, LDT_ENTS), 0);
        ldt_cases(&c);
        hg_case(&c, "no LDT", ldt_set(0, 0), 0);
        hg_case(&c, "P writable", hg_set_writable((void *)p), 0);
    }
    hg_case(&c, "user harness undone", ldt_user_end(), 0);
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = 0;
    return hg_cases_verdict(&c);
}
