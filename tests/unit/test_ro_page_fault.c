/* SPDX-License-Identifier: MIT */
/*
 * test_ro_page_fault.c - unit tests for
 * hypervisor/arch/x86_64/pv/ro_page_fault.c (writable page tables: a
 * guest kernel's store to one of its own L1 entries, decoded and emulated
 * as a validated update), with the real mm.c, frame.c and friends over
 * the simulated machine of host_mm.c.
 * Owns:    the tests: each instruction form the decoder takes (REX.W 89
 *          with every ModRM/SIB/displacement shape, C7 /0 with its
 *          sign-extended imm32, 87 xchg, [lock] 0F B1 cmpxchg) lands in
 *          the L1 entry through validation and advances rip by exactly
 *          its length; every refused case bounces (false) with nothing
 *          changed: not the entry, not a count, not a register.
 * Touches: nothing outside the simulated machine.
 *
 * The guest (d1) runs on the tree below, pinned and installed as its
 * kernel cr3, with VMASST_TYPE_writable_pagetables on. Its L1 maps itself
 * read-only at va 0x5000, so a store to 0x5000 + 8*i is a store to entry i
 * of that L1. Instruction bytes live in a host buffer, which is the
 * "guest rip" (raw_read_guest_u8 reads it).
 */
#include <xen/xen.h>
#include "harness.h"
#include "host_mm.h"
#include "hypercall.h"
#include "mm.h"
#include "pv.h"

enum {
    L4 = 16, L3 = 17, L2 = 18, L1 = 19,
    DATA = 20,                              /* 20..27 */
    D2 = HOST_D2_FIRST,
};

#define P    _PAGE_PRESENT
#define RW   _PAGE_RW
#define U    _PAGE_USER
#define PF_PRESENT 1u                       /* #PF error code bit 0 */
#define L1_VA      0x5000UL                 /* where the L1 maps itself */
#define FREE_IDX   20                       /* an empty entry of the L1 */
#define RO_IDX     4                        /* maps DATA+4 read-only    */
#define NEW_PTE    (((uint64_t)(DATA + 5) << PAGE_SHIFT) | P | RW)

static uint8_t code[32];                    /* the guest's instruction */
static struct cpu_user_regs regs, before;

static struct vcpu *v1(void)
{
    return &host_vcpu[1];
}

static pte_t entry(unsigned int idx)
{
    return host_frame(L1)[idx];
}

static const struct page_info *pg(uint64_t mfn)
{
    return &frame_table[mfn];
}

static long ext(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return do_mmuext_op((uint64_t)&op, 1, 0, DOMID_SELF);
}

static long set_entry(unsigned int idx, pte_t val)
{
    struct mmu_update req = { ((uint64_t)L1 << PAGE_SHIFT) + idx * 8, val };

    return do_mmu_update((uint64_t)&req, 1, 0, DOMID_SELF);
}

/* d1's tree, as in test_mm.c, validated, pinned and installed. */
static void setup(void)
{
    host_machine_reset();
    harness_log_reset();
    host_frame(L4)[0] = host_pte(L3, P | RW);
    host_frame(L3)[0] = host_pte(L2, P | RW);
    host_frame(L2)[0] = host_pte(L1, P | RW);
    for (unsigned int i = 0; i < 4; i++)
        host_frame(L1)[i] = host_pte(DATA + i, P | RW);
    host_frame(L1)[RO_IDX] = host_pte(DATA + 4, P);
    host_frame(L1)[5] = host_pte(L1, P);           /* va 0x5000: the L1  */
    host_frame(L1)[6] = host_pte(L2, P);           /* va 0x6000: the L2  */
    ck_assert_int_eq(ext(MMUEXT_PIN_L4_TABLE, L4), 0);
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L4), 0);
    host_dom[1].vm_assist = 1UL << VMASST_TYPE_writable_pagetables;

    /* Every register distinct, so a write to the wrong one shows. */
    memset(&regs, 0, sizeof(regs));
    for (unsigned int i = 0; i < 15; i++)
        ((uint64_t *)&regs)[i] = 0x1111111111111111UL * (i + 1);
    regs.rsp = 0xabcdef0012345678UL;
    regs.rflags = 0x202;
    regs.error_code = PF_PRESENT | PFEC_write;
}

/* The guest gives back its tables; every count must be back at rest. */
static void teardown(void)
{
    struct vcpu *v = v1();

    put_page_and_type(mfn_to_page(v->guest_table));  /* as domain teardown */
    v->guest_table = INVALID_MFN;
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, L4), 0);
    host_assert_at_rest();
}

/* Put the instruction at code[] (nop-padded) and take the fault at cr2. */
static bool fault_at(const uint8_t *insn, size_t len, uint64_t cr2)
{
    memset(code, 0x90, sizeof(code));
    memcpy(code, insn, len);
    regs.rip = (uint64_t)code;
    before = regs;
    return pv_ro_page_fault(v1(), &regs, cr2);
}

#define ARITH_FLAGS (X86_EFLAGS_CF | X86_EFLAGS_PF | X86_EFLAGS_AF | \
                     X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_OF)

/* The flags the host CPU's own "cmp" leaves for a - b: cmpxchg's flags. */
static uint64_t host_cmp_flags(uint64_t a, uint64_t b)
{
    uint64_t ax = 0;
    uint8_t of;

    /* lahf: SF ZF AF PF CF into ah; seto: OF (no pushf: the red zone). */
    asm volatile("cmp %3, %2\n\tlahf\n\tseto %1"
                 : "=&a"(ax), "=&r"(of) : "r"(a), "r"(b) : "cc");
    return (((ax >> 8) & 0xff) & ARITH_FLAGS) | (of ? X86_EFLAGS_OF : 0);
}

static bool fault(const uint8_t *insn, size_t len, unsigned int idx)
{
    return fault_at(insn, len, L1_VA + idx * sizeof(pte_t));
}

/* Only rip (by len) and the named registers may differ from before. */
static void expect_regs(size_t len, const uint64_t *changed, uint64_t value)
{
    struct cpu_user_regs want = before;

    want.rip = before.rip + len;
    if (changed)
        *(uint64_t *)((uint8_t *)&want + ((const uint8_t *)changed -
                                          (const uint8_t *)&regs)) = value;
    ck_assert_msg(memcmp(&want, &regs, sizeof(regs)) == 0,
                  "registers: rip %#lx (want %#lx) rax %#lx (want %#lx) "
                  "rflags %#lx (want %#lx)", regs.rip, want.rip, regs.rax,
                  want.rax, regs.rflags, want.rflags);
}

/* A refused fault: false, and not one thing changed. */
#define expect_bounce(call) do { \
    host_snapshot(); \
    ck_assert_msg(!(call), "emulated: %s", #call); \
    host_assert_unchanged(); \
    ck_assert_msg(memcmp(&before, &regs, sizeof(regs)) == 0, \
                  "registers changed by a bounced fault: %s", #call); \
} while (0)

/* ---- mov r64 (REX.W 89 /r) -------------------------------------------- */

struct mov_form {
    const char *what;
    uint8_t bytes[12];
    size_t len;
    size_t reg;                   /* offsetof the source register */
};

#define REG(r) __builtin_offsetof(struct cpu_user_regs, r)

static const struct mov_form mov_forms[] = {
    { "mov %rax,(%rdi)",            { 0x48, 0x89, 0x07 }, 3, REG(rax) },
    { "mov %rcx,(%rdi)",            { 0x48, 0x89, 0x0f }, 3, REG(rcx) },
    { "mov %rdx,0x8(%rdi)",         { 0x48, 0x89, 0x57, 0x08 }, 4, REG(rdx) },
    { "mov %rbx,0x100(%rdi)",       { 0x48, 0x89, 0x9f, 0x00, 0x01, 0x00, 0x00 },
                                    7, REG(rbx) },
    { "mov %rsi,(%rsp)",            { 0x48, 0x89, 0x34, 0x24 }, 4, REG(rsi) },
    { "mov %rdi,-0x8(%rsp)",        { 0x48, 0x89, 0x7c, 0x24, 0xf8 }, 5, REG(rdi) },
    { "mov %rbp,0x5000 (SIB, no base)",
                                    { 0x48, 0x89, 0x2c, 0x25, 0x00, 0x50, 0x00, 0x00 },
                                    8, REG(rbp) },
    { "mov %rsp,0x100(%rip)",       { 0x48, 0x89, 0x25, 0x00, 0x01, 0x00, 0x00 },
                                    7, REG(rsp) },
    { "mov %r8,0x1000(%rax,%rcx,8)",
                                    { 0x4c, 0x89, 0x84, 0xc8, 0x00, 0x10, 0x00, 0x00 },
                                    8, REG(r8) },
    { "mov %r9,0x0(%rip)",          { 0x4c, 0x89, 0x0d, 0x00, 0x00, 0x00, 0x00 },
                                    7, REG(r9) },
    { "mov %r12,0x10(%r11)",        { 0x4d, 0x89, 0x63, 0x10 }, 4, REG(r12) },
    { "mov %r15,(%rsp)",            { 0x4c, 0x89, 0x3c, 0x24 }, 4, REG(r15) },
    { "mov %r10,-0x80(%r13,%r14,1) (REX.WRXB)",
                                    { 0x4f, 0x89, 0x54, 0x35, 0x80 }, 5, REG(r10) },
};

START_TEST(mov_register_forms)
{
    const struct mov_form *f = &mov_forms[_i];
    uint64_t *src;

    setup();
    src = (uint64_t *)((uint8_t *)&regs + f->reg);
    *src = NEW_PTE;
    ck_assert_msg(fault(f->bytes, f->len, FREE_IDX), "%s: bounced", f->what);
    ck_assert_msg(entry(FREE_IDX) == (NEW_PTE | U), "%s: entry %#lx",
                  f->what, entry(FREE_IDX));
    expect_regs(f->len, NULL, 0);
    /* Validated as mmu_update would: one writable reference. */
    ck_assert_uint_eq(pg(DATA + 5)->type, PGT_writable_page);
    ck_assert_uint_eq(pg(DATA + 5)->count, 2);
    ck_assert_uint_eq(pg(DATA + 5)->type_count, 1);
    host_assert_audit_clean(&host_dom[1]);

    /* Store 0 over it (the same way): the reference goes again. */
    *src = 0;
    ck_assert(fault(f->bytes, f->len, FREE_IDX));
    ck_assert_uint_eq(entry(FREE_IDX), 0);
    ck_assert_uint_eq(pg(DATA + 5)->count, 1);
    teardown();
}
END_TEST

START_TEST(mov_replaces_an_entry_and_drops_its_references)
{
    static const uint8_t insn[] = { 0x48, 0x89, 0x07 };

    setup();
    ck_assert_uint_eq(pg(DATA)->type_count, 1);
    regs.rax = NEW_PTE;
    ck_assert(fault(insn, sizeof(insn), 0));
    ck_assert_uint_eq(entry(0), NEW_PTE | U);
    ck_assert_uint_eq(pg(DATA)->count, 1);
    ck_assert_uint_eq(pg(DATA)->type_count, 0);
    expect_regs(sizeof(insn), NULL, 0);
    regs.rax = host_pte(DATA, P | RW);
    ck_assert(fault(insn, sizeof(insn), 0));
    teardown();
}
END_TEST

/* ---- mov imm32 (REX.W C7 /0) ------------------------------------------- */

START_TEST(mov_imm32_forms)
{
    static const struct { uint8_t bytes[12]; size_t len; } forms[] = {
        { { 0x48, 0xc7, 0x07 }, 7 },                          /* (%rdi)      */
        { { 0x48, 0xc7, 0x47, 0x10 }, 8 },                    /* 0x10(%rdi)  */
        { { 0x48, 0xc7, 0x04, 0x24 }, 8 },                    /* (%rsp)      */
        { { 0x48, 0xc7, 0x87, 0x00, 0x02, 0x00, 0x00 }, 11 }, /* 0x200(%rdi) */
        { { 0x48, 0xc7, 0x05, 0x10, 0x00, 0x00, 0x00 }, 11 }, /* 0x10(%rip)  */
    };
    const uint32_t imm = (uint32_t)NEW_PTE;
    uint8_t insn[16];

    setup();
    for (unsigned int i = 0; i < ARRAY_SIZE(forms); i++) {
        memcpy(insn, forms[i].bytes, forms[i].len - 4);
        memcpy(insn + forms[i].len - 4, &imm, 4);
        ck_assert_msg(fault(insn, forms[i].len, FREE_IDX), "form %u bounced", i);
        ck_assert_uint_eq(entry(FREE_IDX), NEW_PTE | U);
        expect_regs(forms[i].len, NULL, 0);
        ck_assert_uint_eq(pg(DATA + 5)->count, 2);
        ck_assert_int_eq(set_entry(FREE_IDX, 0), 0);
    }
    teardown();
}
END_TEST

START_TEST(mov_imm32_is_sign_extended)
{
    /* mov $0x80000000,(%rdi): a not-present entry, so validation passes. */
    static const uint8_t neg[] = { 0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x80 };
    static const uint8_t pos[] = { 0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x7e };

    setup();
    ck_assert(fault(neg, sizeof(neg), FREE_IDX));
    ck_assert_uint_eq(entry(FREE_IDX), 0xffffffff80000000UL);
    expect_regs(sizeof(neg), NULL, 0);
    ck_assert(fault(pos, sizeof(pos), FREE_IDX));
    ck_assert_uint_eq(entry(FREE_IDX), 0x7e000000UL);
    ck_assert_int_eq(set_entry(FREE_IDX, 0), 0);
    teardown();
}
END_TEST

/* ---- xchg (REX.W 87 /r) ------------------------------------------------- */

START_TEST(xchg_returns_the_old_entry)
{
    static const uint8_t xchg_rax[] = { 0x48, 0x87, 0x07 };          /* rax */
    static const uint8_t lock_xchg_r9[] = { 0xf0, 0x4c, 0x87, 0x4f, 0x08 };

    setup();
    ck_assert_uint_eq(entry(RO_IDX), host_pte(DATA + 4, P | U));
    regs.rax = NEW_PTE;
    ck_assert(fault(xchg_rax, sizeof(xchg_rax), RO_IDX));
    ck_assert_uint_eq(entry(RO_IDX), NEW_PTE | U);
    expect_regs(sizeof(xchg_rax), &regs.rax, host_pte(DATA + 4, P | U));
    ck_assert_uint_eq(pg(DATA + 4)->count, 1);      /* old mapping gone */
    ck_assert_uint_eq(pg(DATA + 5)->type_count, 1);

    regs.r9 = host_pte(DATA + 4, P);
    ck_assert(fault(lock_xchg_r9, sizeof(lock_xchg_r9), RO_IDX));
    ck_assert_uint_eq(entry(RO_IDX), host_pte(DATA + 4, P | U));
    expect_regs(sizeof(lock_xchg_r9), &regs.r9, NEW_PTE | U);
    ck_assert_uint_eq(pg(DATA + 5)->count, 1);
    ck_assert_uint_eq(pg(DATA + 4)->count, 2);
    teardown();
}
END_TEST

/* ---- cmpxchg (REX.W [lock] 0F B1 /r) ------------------------------------ */

START_TEST(cmpxchg_success_stores_and_sets_zf)
{
    static const uint8_t lock_cmpxchg[] = { 0xf0, 0x48, 0x0f, 0xb1, 0x17 };
    static const uint8_t cmpxchg[] = { 0x48, 0x0f, 0xb1, 0x17 };

    setup();
    regs.rax = host_pte(DATA + 4, P | U);            /* what is there */
    regs.rdx = NEW_PTE;
    regs.rflags = 0x202;                             /* ZF clear      */
    ck_assert(fault(lock_cmpxchg, sizeof(lock_cmpxchg), RO_IDX));
    ck_assert_uint_eq(entry(RO_IDX), NEW_PTE | U);
    expect_regs(sizeof(lock_cmpxchg), &regs.rflags,
                0x202 | host_cmp_flags(regs.rax, regs.rax));
    ck_assert_uint_eq(pg(DATA + 4)->count, 1);
    ck_assert_uint_eq(pg(DATA + 5)->type_count, 1);

    /* Without the lock prefix, back again. */
    regs.rax = NEW_PTE | U;
    regs.rdx = host_pte(DATA + 4, P);
    regs.rflags = 0x202;
    ck_assert(fault(cmpxchg, sizeof(cmpxchg), RO_IDX));
    ck_assert_uint_eq(entry(RO_IDX), host_pte(DATA + 4, P | U));
    expect_regs(sizeof(cmpxchg), &regs.rflags,
                (before.rflags & ~(uint64_t)ARITH_FLAGS) |
                host_cmp_flags(before.rax, before.rax));
    ck_assert_uint_eq(pg(DATA + 5)->count, 1);
    teardown();
}
END_TEST

START_TEST(cmpxchg_failure_loads_rax_and_clears_zf)
{
    static const uint8_t lock_cmpxchg[] = { 0xf0, 0x48, 0x0f, 0xb1, 0x17 };

    setup();
    regs.rax = host_pte(DATA + 4, P);                /* stale: no USER */
    regs.rdx = NEW_PTE;
    regs.rflags = 0x202 | X86_EFLAGS_ZF;
    host_snapshot();
    ck_assert(fault(lock_cmpxchg, sizeof(lock_cmpxchg), RO_IDX));
    host_assert_unchanged();                         /* no store       */
    ck_assert_uint_eq(regs.rax, host_pte(DATA + 4, P | U));
    ck_assert_uint_eq(regs.rflags, 0x202 | host_cmp_flags(host_pte(DATA + 4, P),
                                                          host_pte(DATA + 4, P | U)));
    ck_assert_uint_eq(regs.rip, (uint64_t)code + sizeof(lock_cmpxchg));
    ck_assert_uint_eq(regs.rdx, NEW_PTE);
    teardown();
}
END_TEST

/* ---- what bounces -------------------------------------------------------- */

START_TEST(not_an_understood_8_byte_store)
{
    static const struct { const char *what; uint8_t bytes[8]; size_t len; } bad[] = {
        { "mov %eax,(%rdi) (4 bytes)",   { 0x89, 0x07 }, 2 },
        { "REX without W",                { 0x40, 0x89, 0x07 }, 3 },
        { "REX.R without W",              { 0x44, 0x89, 0x07 }, 3 },
        { "movl $imm,(%rdi)",             { 0xc7, 0x07, 0x03, 0x50, 0x01, 0x00 }, 6 },
        { "operand-size prefix",          { 0x66, 0x48, 0x89, 0x07 }, 4 },
        { "segment prefix",               { 0x65, 0x48, 0x89, 0x07 }, 4 },
        { "mov %rax,%rdi (mod 3)",        { 0x48, 0x89, 0xc7 }, 3 },
        { "xchg %rax,%rdi (mod 3)",       { 0x48, 0x87, 0xc7 }, 3 },
        { "cmpxchg %rdx,%rdi (mod 3)",    { 0x48, 0x0f, 0xb1, 0xd7 }, 4 },
        { "mov (%rdi),%rax (a load)",     { 0x48, 0x8b, 0x07 }, 3 },
        { "add %rax,(%rdi)",              { 0x48, 0x01, 0x07 }, 3 },
        { "or %rax,(%rdi)",               { 0x48, 0x09, 0x07 }, 3 },
        { "incq (%rdi)",                  { 0x48, 0xff, 0x07 }, 3 },
        { "cmpxchg16b (%rdi)",            { 0x48, 0x0f, 0xc7, 0x0f }, 4 },
        { "cmpxchg %dl,(%rdi) (0F B0)",   { 0x48, 0x0f, 0xb0, 0x17 }, 4 },
        { "movq $imm,(%rdi) with /1",     { 0x48, 0xc7, 0x0f, 0x03, 0x50, 0x01, 0x00 }, 7 },
        { "rep stosq",                    { 0xf3, 0x48, 0xab }, 3 },
    };

    setup();
    regs.rax = regs.rdx = NEW_PTE;
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        host_snapshot();
        ck_assert_msg(!fault(bad[i].bytes, bad[i].len, FREE_IDX),
                      "%s: emulated", bad[i].what);
        host_assert_unchanged();
        ck_assert_msg(memcmp(&before, &regs, sizeof(regs)) == 0,
                      "%s: registers changed", bad[i].what);
    }
    teardown();
}
END_TEST

START_TEST(truncated_instruction_bounces)
{
    static const uint8_t mov[] = { 0x48, 0x89, 0x84, 0xc8, 0x00, 0x10, 0x00, 0x00 };
    static const uint8_t imm[] = { 0x48, 0xc7, 0x07, 0x03, 0x90, 0x01, 0x00 };

    setup();
    regs.r8 = regs.rax = NEW_PTE;
    /* The bytes after the ModRM/SIB/displacement/immediate are unreadable. */
    for (size_t n = 1; n < sizeof(mov); n++) {
        host_fault_lo = (uint64_t)code + n;
        host_fault_hi = (uint64_t)code + sizeof(code);
        expect_bounce(fault(mov, sizeof(mov), FREE_IDX));
    }
    for (size_t n = 1; n < sizeof(imm); n++) {
        host_fault_lo = (uint64_t)code + n;
        host_fault_hi = (uint64_t)code + sizeof(code);
        expect_bounce(fault(imm, sizeof(imm), FREE_IDX));
    }
    /* Readable up to its last byte is enough. */
    host_fault_lo = (uint64_t)code + sizeof(imm);
    ck_assert(fault(imm, sizeof(imm), FREE_IDX));
    ck_assert_uint_eq(entry(FREE_IDX), host_pte(DATA + 5, P | RW | U));
    host_fault_lo = host_fault_hi = 0;
    ck_assert_int_eq(set_entry(FREE_IDX, 0), 0);
    teardown();
}
END_TEST

START_TEST(unaligned_cr2_bounces)
{
    static const uint8_t insn[] = { 0x48, 0x89, 0x07 };

    setup();
    regs.rax = NEW_PTE;
    for (unsigned int off = 1; off < 8; off++)
        expect_bounce(fault_at(insn, sizeof(insn),
                               L1_VA + FREE_IDX * 8 + off));
    teardown();
}
END_TEST

START_TEST(wrong_mode_error_code_or_assist_bounces)
{
    static const uint8_t insn[] = { 0x48, 0x89, 0x07 };

    setup();
    regs.rax = NEW_PTE;
    /* The guest's user mode (on the same page table). */
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, L4), 0);
    v1()->kernel_mode = false;
    expect_bounce(fault(insn, sizeof(insn), FREE_IDX));
    v1()->kernel_mode = true;
    ck_assert_int_eq(ext(MMUEXT_NEW_USER_BASEPTR, 0), 0);
    /* Not a write to a present page. */
    regs.error_code = PF_PRESENT;
    expect_bounce(fault(insn, sizeof(insn), FREE_IDX));
    regs.error_code = PFEC_write;
    expect_bounce(fault(insn, sizeof(insn), FREE_IDX));
    regs.error_code = 0;
    expect_bounce(fault(insn, sizeof(insn), FREE_IDX));
    regs.error_code = PF_PRESENT | PFEC_write;
    /* The assist is off (other assists on). */
    host_dom[1].vm_assist = ~(1UL << VMASST_TYPE_writable_pagetables);
    expect_bounce(fault(insn, sizeof(insn), FREE_IDX));
    host_dom[1].vm_assist = 1UL << VMASST_TYPE_writable_pagetables;
    /* And with all of it right, the same store is emulated. */
    ck_assert(fault(insn, sizeof(insn), FREE_IDX));
    ck_assert_int_eq(set_entry(FREE_IDX, 0), 0);
    teardown();
}
END_TEST

START_TEST(cr2_not_in_a_validated_l1_bounces)
{
    static const uint8_t insn[] = { 0x48, 0x89, 0x07 };

    setup();
    regs.rax = NEW_PTE;
    expect_bounce(fault_at(insn, sizeof(insn), 0x4000 + 8));  /* data page  */
    expect_bounce(fault_at(insn, sizeof(insn), 0x6000 + 8));  /* the L2     */
    expect_bounce(fault_at(insn, sizeof(insn), 0x7000 + 8));  /* unmapped   */
    expect_bounce(fault_at(insn, sizeof(insn), 1UL << 21));   /* no L1      */
    expect_bounce(fault_at(insn, sizeof(insn), 1UL << 39));   /* no L3      */
    /* The hypervisor's own tables: an L1 of DOMID_XEN, a 2 MiB page. */
    expect_bounce(fault_at(insn, sizeof(insn), HV_VIRT_START + 8));
    host_frame(HOST_XEN_L1_MFN)[100] = host_pte(L1, P);
    expect_bounce(fault_at(insn, sizeof(insn), HV_VIRT_START + (1UL << 21) +
                                               100 * PAGE_SIZE + 8));
    expect_bounce(fault_at(insn, sizeof(insn), 0xfffff00000000000UL));

    /* A page pinned as an L1 takes the store; once unpinned it is no table. */
    ck_assert_int_eq(set_entry(7, host_pte(DATA + 6, P)), 0);
    ck_assert_int_eq(ext(MMUEXT_PIN_L1_TABLE, DATA + 6), 0);
    ck_assert(fault_at(insn, sizeof(insn), 0x7000 + 8));     /* an L1: yes */
    ck_assert_int_eq(set_entry(7, 0), 0);
    ck_assert_int_eq(ext(MMUEXT_UNPIN_TABLE, DATA + 6), 0);
    ck_assert_uint_eq(page_current_type(pg(DATA + 6)), PGT_none);
    ck_assert_int_eq(set_entry(7, host_pte(DATA + 6, P)), 0);
    expect_bounce(fault_at(insn, sizeof(insn), 0x7000 + 8));
    ck_assert_int_eq(set_entry(7, 0), 0);

    /* No kernel page table at all. */
    put_page_and_type(mfn_to_page(v1()->guest_table));
    v1()->guest_table = INVALID_MFN;
    expect_bounce(fault(insn, sizeof(insn), FREE_IDX));
    ck_assert_int_eq(ext(MMUEXT_NEW_BASEPTR, L4), 0);
    teardown();
}
END_TEST

START_TEST(invalid_new_entry_bounces)
{
    static const uint8_t mov[] = { 0x48, 0x89, 0x07 };
    static const uint8_t xchg[] = { 0x48, 0x87, 0x07 };
    static const uint8_t cmpxchg[] = { 0xf0, 0x48, 0x0f, 0xb1, 0x17 };
    const pte_t bad[] = {
        host_pte(L1, P | RW),                 /* a page table, writable */
        host_pte(L4, P | RW),
        host_pte(D2, P),                      /* d2's frame             */
        host_pte(HOST_M2P_MFN, P),            /* the hypervisor's       */
        host_pte(HOST_FRAMES, P),             /* beyond RAM             */
        host_pte(DATA + 5, P | _PAGE_PCD),    /* cache type, unprivileged */
        host_pte(DATA + 5, P | _PAGE_PAT),
    };

    setup();
    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        regs.rax = bad[i];
        expect_bounce(fault(mov, sizeof(mov), FREE_IDX));
        expect_bounce(fault(mov, sizeof(mov), RO_IDX));
        expect_bounce(fault(xchg, sizeof(xchg), RO_IDX));
        /* cmpxchg whose compare succeeds, with a bad new value. */
        regs.rax = entry(RO_IDX);
        regs.rdx = bad[i];
        expect_bounce(fault(cmpxchg, sizeof(cmpxchg), RO_IDX));
    }
    teardown();
}
END_TEST

static Suite *ro_page_fault_suite(void)
{
    Suite *s = suite_create("ro_page_fault");
    TCase *forms = tcase_create("instruction forms");
    TCase *bounce = tcase_create("bounces");

    tcase_add_loop_test(forms, mov_register_forms, 0, (int)ARRAY_SIZE(mov_forms));
    tcase_add_test(forms, mov_replaces_an_entry_and_drops_its_references);
    tcase_add_test(forms, mov_imm32_forms);
    tcase_add_test(forms, mov_imm32_is_sign_extended);
    tcase_add_test(forms, xchg_returns_the_old_entry);
    tcase_add_test(forms, cmpxchg_success_stores_and_sets_zf);
    tcase_add_test(forms, cmpxchg_failure_loads_rax_and_clears_zf);
    tcase_add_test(bounce, not_an_understood_8_byte_store);
    tcase_add_test(bounce, truncated_instruction_bounces);
    tcase_add_test(bounce, unaligned_cr2_bounces);
    tcase_add_test(bounce, wrong_mode_error_code_or_assist_bounces);
    tcase_add_test(bounce, cr2_not_in_a_validated_l1_bounces);
    tcase_add_test(bounce, invalid_new_entry_bounces);
    suite_add_tcase(s, forms);
    suite_add_tcase(s, bounce);
    return s;
}

int main(void)
{
    return harness_main(ro_page_fault_suite());
}
