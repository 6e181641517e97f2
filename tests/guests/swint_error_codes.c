/* SPDX-License-Identifier: MIT */
/*
 * swint_error_codes - software interrupts ("int n", int3, into) from guest
 * kernel and guest user mode, through vectors the guest did not register,
 * registered with a DPL the current mode may not use, and registered with
 * one it may.
 * Rule: an "int n" the guest's own trap table does not allow is a #GP in
 * the guest, at the instruction, with the error code the hardware gives
 * for an IDT gate, (n << 3) | 2, whatever the CPU under the hypervisor
 * pushed; an allowed one arrives at the guest's vector with no error
 * code, rip past the instruction. The guest kernel (ring 3) may use
 * vectors of DPL 1-3, guest user mode only DPL 3.
 *
 * The attack installs its own trap table for each case (stubs that record
 * the frame and jump back, never returning through iret), runs one
 * instruction in kernel mode (a plain call) or user mode (iret to
 * FLAT_USER_CS on the kernel's own L4, installed as the user L4 for the
 * while, kernel stack from stack_switch), and puts the kernel's table,
 * user L4 and kernel stack back before it prints.
 *
 * Expected, Xen 4.17's rules (arch/x86/traps.c do_general_protection()
 * and permit_softint(), arch/x86/x86_64/entry.S int80_direct_trap):
 *  - unregistered 0x20, 0xff, 0x82; DPL-0 0x21, 0x0d, 1, 2: #GP
 *    (n << 3) | 2 at the instruction, in kernel and in user mode;
 *  - DPL-1 0x22: delivered in kernel mode, #GP 0x112 in user mode;
 *  - DPL-3 0x23: delivered in both modes, the frame's cs RPL 0 / 3;
 *  - 0x80 unregistered: #GP 0x402 (Xen's 0x80 gate is DPL 3, its slow
 *    path makes the #GP up); registered with DPL 0 or 3: delivered in
 *    both modes, int80_direct_trap does not look at the DPL;
 *  - int3 (cc), "int $3" and "int $4": #BP / #OF past the instruction in
 *    both modes although the guest registered them with DPL 0 (Xen's own
 *    gates 3 and 4 are DPL 3 and the guest's DPL is not checked);
 *  - into (ce) is invalid in 64-bit mode: #UD at it.
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU 7.2 TCG): every case as
 * above, except what QEMU's TCG gets wrong, and Xen passes on:
 *  - for a long-mode IDT gate TCG pushes n * 16 + 2 (the 16-byte gate's
 *    byte offset), not (n << 3) | 2, and Xen passes it on: #GP 0x202 for
 *    int $0x20, 0x212 for $0x21 and so on, for every #GP case but 0x80
 *    (0x402 is Xen's own); 18 of the 32 checks differ only so;
 *  - Xen takes the vector from that error code, (ec >> 3) & 0xff = 2n, so
 *    int $0x22 and $0x23 arrive at 0x44 and 0x46. The decoy gates there
 *    (0x44 DPL 1, 0x46 DPL 3) make Xen under TCG take the same DPL
 *    decision as on hardware, so the differences it shows are QEMU's
 *    arithmetic only; on hardware, and on pvisor, which reads the vector
 *    from the instruction and makes the error code up itself, they are
 *    never used;
 *  - "int $3" (cd 03) comes back one byte on, like int3, under both
 *    hypervisors (hardware: two): its rip is not compared;
 *  - int1 (f1, ICEBP) is #UD at the instruction under both (hardware:
 *    #DB past it), so it is not tried.
 */
#include "hostile.h"

#define SW_STR_(...) #__VA_ARGS__
#define SW_STR(...) SW_STR_(__VA_ARGS__)

#define SW_VEC_DPL0  0x21
#define SW_VEC_DPL1  0x22
#define SW_VEC_DPL3  0x23
#define SW_VEC_INT80 0x80
#define SW_DECOY_DPL1 0x44          /* 2 * SW_VEC_DPL1 */
#define SW_DECOY_DPL3 0x46          /* 2 * SW_VEC_DPL3 */
#define SW_NO_EC     (-1L)
/* rip as the CPU reported it, not compared: QEMU 7.2's TCG reports
 * "int $3" (cd 03) one byte on, like int3 (hardware: two). */
#define SW_RIP_CPU   (-99L)
#define SW_GP_EC(n)  (((long)(n) << 3) | 2)
#define SW_FRAME_WORDS 8
#define SW_STACK_WORDS 512
/* trap_info.flags: the DPL in bits 0-1. */
#define SW_DPL_KERNEL 0
#define SW_DPL_RING1  1
#define SW_DPL_USER   3

/* What a stub saw: its vector and the first words at its rsp. */
struct swint_seen {
    uint64_t vector;
    uint64_t frame[SW_FRAME_WORDS];
};
volatile struct swint_seen swint_seen;
uint64_t swint_kernel_rsp, swint_user_rsp;
static uint64_t swint_kstack[SW_STACK_WORDS] __attribute__((aligned(16)));
static uint64_t swint_ustack[SW_STACK_WORDS] __attribute__((aligned(16)));

/*
 * int swint_enter(void (*snippet)(void), int user): run snippet in kernel
 * mode (a call) or user mode (iret with events left masked); a stub ends
 * it by jumping to swint_caught on the kernel stack, which returns 1.
 */
int swint_enter(void (*snippet)(void), int user);

#define SW_STUB_VECTORS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, \
                        16, 17, 18, 19, 0x21, 0x22, 0x23, 0x44, 0x46, 0x80
#define SW_INT_VECTORS  0x20, 0x21, 0x22, 0x23, 0x80, 0x82, 0xff, 0x0d, 1, 2, 3, 4

asm(".text\n"
    ".globl swint_enter\n"
    "swint_enter:\n"
    "    push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "    mov %rsp, swint_kernel_rsp(%rip)\n"
    "    test %esi, %esi\n"
    "    jnz 1f\n"
    "    call *%rdi\n"
    "    xor %eax, %eax\n"
    "    jmp 2f\n"
    "1:  pushq $" SW_STR(FLAT_USER_SS) "\n"
    "    pushq swint_user_rsp(%rip)\n"
    "    pushq $" SW_STR(X86_EFLAGS_FIXED) "\n"   /* IF clear: events stay masked */
    "    pushq $" SW_STR(FLAT_USER_CS) "\n"
    "    push %rdi\n"
    "    jmp pv_iret\n"
    "swint_caught:\n"
    "    mov swint_kernel_rsp(%rip), %rsp\n"
    "    mov $1, %eax\n"
    "2:  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "    ret\n"
    "swint_record:\n"
    "    cld\n"
    "    lea swint_seen+8(%rip), %rdi\n"
    "    mov %rsp, %rsi\n"
    "    mov $" SW_STR(SW_FRAME_WORDS) ", %ecx\n"
    "    rep movsq\n"
    "    jmp swint_caught\n"
    ".irp v, " SW_STR(SW_STUB_VECTORS) "\n"
    ".globl swint_stub_\\v\n"
    "swint_stub_\\v:\n"
    "    movq $\\v, swint_seen(%rip)\n"
    "    jmp swint_record\n"
    ".endr\n"
    ".irp n, " SW_STR(SW_INT_VECTORS) "\n"
    ".globl swint_int_\\n\n"
    "swint_int_\\n:\n"
    "    int $\\n\n"
    "    ud2\n"
    ".endr\n"
    ".globl swint_int3, swint_into\n"
    "swint_int3:  .byte 0xcc\n ud2\n"
    "swint_into:  .byte 0xce\n ud2\n");

#define SW_DECLARE(v) extern char swint_stub_##v[];
SW_DECLARE(0) SW_DECLARE(1) SW_DECLARE(2) SW_DECLARE(3) SW_DECLARE(4)
SW_DECLARE(5) SW_DECLARE(6) SW_DECLARE(7) SW_DECLARE(8) SW_DECLARE(9)
SW_DECLARE(10) SW_DECLARE(11) SW_DECLARE(12) SW_DECLARE(13) SW_DECLARE(14)
SW_DECLARE(15) SW_DECLARE(16) SW_DECLARE(17) SW_DECLARE(18) SW_DECLARE(19)
SW_DECLARE(0x21) SW_DECLARE(0x22) SW_DECLARE(0x23) SW_DECLARE(0x44)
SW_DECLARE(0x46) SW_DECLARE(0x80)
extern char swint_int_0x20[], swint_int_0x21[], swint_int_0x22[], swint_int_0x23[],
            swint_int_0x80[], swint_int_0x82[], swint_int_0xff[], swint_int_0x0d[],
            swint_int_1[], swint_int_2[], swint_int_3[], swint_int_4[],
            swint_int3[], swint_into[];
extern char boot_stack_top[];

#define SW_GATE(v, dpl) { .vector = (v), .flags = (dpl), .cs = FLAT_KERNEL_CS, \
                          .address = (unsigned long)swint_stub_##v }
/* Every exception (int3 and into with DPL 0, to show it is not checked),
 * the three DPLs, the decoys; slot 26 takes 0x80 when a case wants it. */
static const struct trap_info swint_base_table[] = {
    SW_GATE(0, 0), SW_GATE(1, 0), SW_GATE(2, 0), SW_GATE(3, 0), SW_GATE(4, 0),
    SW_GATE(5, 0), SW_GATE(6, 0), SW_GATE(7, 0), SW_GATE(8, 0), SW_GATE(9, 0),
    SW_GATE(10, 0), SW_GATE(11, 0), SW_GATE(12, 0), SW_GATE(13, 0), SW_GATE(14, 0),
    SW_GATE(15, 0), SW_GATE(16, 0), SW_GATE(17, 0), SW_GATE(18, 0), SW_GATE(19, 0),
    SW_GATE(0x21, SW_DPL_KERNEL), SW_GATE(0x22, SW_DPL_RING1),
    SW_GATE(0x23, SW_DPL_USER), SW_GATE(0x44, SW_DPL_RING1),
    SW_GATE(0x46, SW_DPL_USER),
};
static struct trap_info swint_table[ARRAY_SIZE(swint_base_table) + 2];

enum swint_int80 { INT80_NONE, INT80_DPL0, INT80_DPL3 };

/* One expected (or seen) outcome: the vector that ran, its error code or
 * SW_NO_EC, rip relative to the instruction, the RPL of the frame's cs. */
struct swint_result {
    long vector, ec, rip_off, rpl;
};

struct swint_case {
    const char *label;
    char *insn;
    unsigned int len;
    enum swint_int80 int80;
    struct swint_result kernel, user;   /* rpl is implied by the mode */
};

#define GP(n)          { X86_EXC_GP, SW_GP_EC(n), 0, 0 }
#define DELIVERED(v, l) { (v), SW_NO_EC, (l), 0 }
#define AT(v)          { (v), SW_NO_EC, 0, 0 }

static const struct swint_case swint_cases[] = {
    { "int $0x20 (none)",   swint_int_0x20, 2, INT80_NONE, GP(0x20), GP(0x20) },
    { "int $0xff (none)",   swint_int_0xff, 2, INT80_NONE, GP(0xff), GP(0xff) },
    { "int $0x82 (none)",   swint_int_0x82, 2, INT80_NONE, GP(0x82), GP(0x82) },
    { "int $0x21 (DPL 0)",  swint_int_0x21, 2, INT80_NONE, GP(0x21), GP(0x21) },
    { "int $0x22 (DPL 1)",  swint_int_0x22, 2, INT80_NONE,
      DELIVERED(SW_VEC_DPL1, 2), GP(0x22) },
    { "int $0x23 (DPL 3)",  swint_int_0x23, 2, INT80_NONE,
      DELIVERED(SW_VEC_DPL3, 2), DELIVERED(SW_VEC_DPL3, 2) },
    { "int $0x0d (DPL 0)",  swint_int_0x0d, 2, INT80_NONE, GP(0x0d), GP(0x0d) },
    { "int $1 (DPL 0)",     swint_int_1,    2, INT80_NONE, GP(1), GP(1) },
    { "int $2 (DPL 0)",     swint_int_2,    2, INT80_NONE, GP(2), GP(2) },
    { "int $3 (DPL 0)",     swint_int_3,    2, INT80_NONE,
      DELIVERED(X86_EXC_BP, SW_RIP_CPU), DELIVERED(X86_EXC_BP, SW_RIP_CPU) },
    { "int $4 (DPL 0)",     swint_int_4,    2, INT80_NONE,
      DELIVERED(X86_EXC_OF, 2), DELIVERED(X86_EXC_OF, 2) },
    { "int3 (DPL 0)",       swint_int3,     1, INT80_NONE,
      DELIVERED(X86_EXC_BP, 1), DELIVERED(X86_EXC_BP, 1) },
    { "into",               swint_into,     1, INT80_NONE, AT(X86_EXC_UD), AT(X86_EXC_UD) },
    { "int $0x80 (none)",   swint_int_0x80, 2, INT80_NONE, GP(0x80), GP(0x80) },
    { "int $0x80 (DPL 0)",  swint_int_0x80, 2, INT80_DPL0,
      DELIVERED(SW_VEC_INT80, 2), DELIVERED(SW_VEC_INT80, 2) },
    { "int $0x80 (DPL 3)",  swint_int_0x80, 2, INT80_DPL3,
      DELIVERED(SW_VEC_INT80, 2), DELIVERED(SW_VEC_INT80, 2) },
};

static bool swint_has_ec(uint64_t vector)
{
    return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
}

/* Load the attack's trap table, with 0x80 as the case wants it. */
static long swint_table_load(enum swint_int80 int80)
{
    size_t n = ARRAY_SIZE(swint_base_table);
    long rc;

    memcpy(swint_table, swint_base_table, sizeof(swint_base_table));
    if (int80 != INT80_NONE)
        swint_table[n++] = (struct trap_info)SW_GATE(0x80, int80 == INT80_DPL3 ?
                                                     SW_DPL_USER : SW_DPL_KERNEL);
    swint_table[n] = (struct trap_info){ .address = 0 };
    rc = HYPERVISOR_set_trap_table(NULL);
    return rc ? rc : HYPERVISOR_set_trap_table(swint_table);
}

/* The kernel's own trap table again (trap_init() panics if refused). */
static void swint_table_restore(void)
{
    HYPERVISOR_set_trap_table(NULL);
    trap_init();
}

/* Run one case in one mode; the outcome, or vector -1 if nothing came. */
static struct swint_result swint_run(const struct swint_case *sc, int user)
{
    struct swint_result r = { -1, SW_NO_EC, 0, -1 };
    const volatile uint64_t *f = swint_seen.frame;
    unsigned int i = 0;
    long rc;

    memset((void *)&swint_seen, 0, sizeof(swint_seen));
    rc = swint_table_load(sc->int80);
    if (rc) {
        swint_table_restore();
        r.ec = rc;
        return r;
    }
    swint_user_rsp = (uint64_t)&swint_ustack[SW_STACK_WORDS];
    if (!swint_enter((void (*)(void))sc->insn, user)) {
        swint_table_restore();
        return r;
    }
    swint_table_restore();
    r.vector = (long)swint_seen.vector;
    i = 2;                                   /* past rcx, r11 */
    if (r.vector == X86_EXC_GP || swint_has_ec(swint_seen.vector))
        r.ec = (long)f[i++];
    r.rip_off = (long)(f[i] - (uint64_t)sc->insn);
    r.rpl = (long)(f[i + 1] & SELECTOR_RPL_MASK);
    return r;
}

/* "vector 0xd ec 0x102 rip +0 rpl 0"; ec "-" for none. */
static void swint_format(char *buf, size_t n, struct swint_result r)
{
    char ec[24], rip[24];

    if (r.ec == SW_NO_EC)
        snprintf(ec, sizeof(ec), "-");
    else
        snprintf(ec, sizeof(ec), "%#lx", r.ec);
    if (r.rip_off == SW_RIP_CPU)
        snprintf(rip, sizeof(rip), "(the CPU's)");
    else
        snprintf(rip, sizeof(rip), "+%ld", r.rip_off);
    snprintf(buf, n, "vector %#lx ec %s rip %s rpl %ld", r.vector, ec, rip, r.rpl);
}

static void swint_check(struct hg_cases *c, const char *mode, const char *label,
                        struct swint_result got, struct swint_result want)
{
    bool ok = got.vector == want.vector && got.ec == want.ec &&
              (got.rip_off == want.rip_off || want.rip_off == SW_RIP_CPU) &&
              got.rpl == want.rpl;
    char g[64], w[64];

    swint_format(g, sizeof(g), got);
    swint_format(w, sizeof(w), want);
    c->run++;
    printk("hostile:   %s %s: %s (want %s)%s\n", mode, label, g, w, ok ? "" : " MISMATCH");
    if (!ok && !c->failed++)
        snprintf(c->first, sizeof(c->first), "%s %s: %s", mode, label, g);
}

const char *hostile_swint_error_codes(void)
{
    static struct hg_cases c;
    struct swint_result want;
    uint64_t user_l4 = mm_user_l4_mfn();
    size_t i;

    ST_EXPECT_RC(pv_ops.load_kernel_stack((unsigned long)&swint_kstack[SW_STACK_WORDS - 8]), 0);
    ST_EXPECT_RC(hg_mmuext1(MMUEXT_NEW_USER_BASEPTR, mm_current_l4_mfn()), 0);
    for (i = 0; i < ARRAY_SIZE(swint_cases); i++) {
        const struct swint_case *sc = &swint_cases[i];
        struct swint_result k = swint_run(sc, 0), u = swint_run(sc, 1);

        want = sc->kernel;
        swint_check(&c, "kernel", sc->label, k, want);
        want = sc->user;
        want.rpl = 3;
        swint_check(&c, "user", sc->label, u, want);
    }
    ST_EXPECT_RC(hg_mmuext1(MMUEXT_NEW_USER_BASEPTR, user_l4), 0);
    ST_EXPECT_RC(pv_ops.load_kernel_stack((unsigned long)boot_stack_top), 0);
    return hg_cases_verdict(&c);
}
