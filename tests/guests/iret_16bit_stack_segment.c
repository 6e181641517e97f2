/* SPDX-License-Identifier: MIT */
/*
 * iret_16bit_stack_segment - what guest user code sees in the upper half
 * of ESP after an iret to a 16-bit stack segment (the espfix leak).
 *
 * An iretq that loads a stack segment whose descriptor has B = 0 loads
 * only SP: ESP bits 16-31 keep whatever the hypervisor's RSP held at its
 * iretq. A 64-bit PV guest can make that happen from user mode: a 16-bit
 * writable data segment in its GDT (check_descriptor() accepts any code
 * or data segment) and HYPERVISOR_iret to 32-bit user code (FLAT_USER_CS32)
 * with that segment as ss. The user code copies ESP to EAX and stops on
 * ud2; the #UD bounce hands the kernel EAX.
 *
 * Cases (label: what, pvisor's answer):
 *   low mapping            a page of 32-bit code at USER_CODE_VA, through
 *                          a new L3/L2/L1 in the kernel's L4 slot 0: 0
 *   set_gdt                one frame: entry 1 a 16-bit data segment
 *                          (selector 0x0b), entry 2 a 32-bit one (0x13): 0
 *   32-bit ss: ud2         the run ends on the #UD: the bounce's cs is
 *                          FLAT_USER_CS32 (0xe023)
 *   32-bit ss: esp         ESP as the iret asked (0x12345678): the control
 *   16-bit ss: ud2, cs     as above
 *   16-bit ss: sp          bits 0-15 as asked (0x5678)
 *   16-bit ss: esp 31:16   0: the hypervisor's stacks sit where bits 16-31
 *                          of RSP are 0 on every CPU (layout.h), so nothing
 *                          about where its memory is reaches the guest
 *   undo                   GDT emptied, slot 0 cleared, tables writable
 * Xen 4.17 (4.17.7 as dom0 in QEMU) gives the same answers except the
 * last: ESP bits 16-31 were 8189 (0x1ffd), bits of its stack's address
 * (it has no espfix), so this case fails on Xen by design, and did on
 * pvisor too (17) while its stacks lived in the direct map
 * (docs/decisions.md, "The 16-bit stack segment").
 */
#include "hostile.h"
#include <xen/xen.h>

#define USER_CODE_VA  0x10000000UL          /* L4 0, L3 0, L2 128, L1 0 */
#define USER_PTE      (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define TABLE_PTE     (HG_PTE_FLAGS | _PAGE_USER)
#define SEL_SS16      0x0b                  /* GDT entry 1, RPL 3 */
#define SEL_SS32      0x13                  /* GDT entry 2, RPL 3 */
#define DESC_DATA16   0x0000f3000000ffffUL  /* P, DPL 3, RW data, B = 0 */
#define DESC_DATA32   0x00cff3000000ffffUL  /* the same, B = 1, G = 1 */
#define ASKED_ESP     0x12345678UL

/* What the user run ended with: written by the trap stubs. */
struct e16_result {
    uint64_t vector, rax, rip, cs;
};
struct e16_result e16_last;
uint64_t e16_saved_rsp;
static uint8_t e16_kstack[4096] __attribute__((aligned(16)));

void e16_enter(unsigned long rip, unsigned long cs, unsigned long rsp, unsigned long ss);
void e16_trap_ud(void), e16_trap_gp(void), e16_trap_other(void);

/*
 * e16_enter(rip, cs, rsp, ss) irets to user mode with that frame (rflags
 * 0x2) and returns when a trap stub has recorded the user's rax and the
 * bounce frame's rip and cs (above rcx and r11, and an error code for #GP).
 */
asm(".pushsection .text\n"
    ".globl e16_enter, e16_trap_ud, e16_trap_gp, e16_trap_other\n"
    "e16_enter:\n"
    "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "  mov %rsp, e16_saved_rsp(%rip)\n"
    "  push %rcx\n"                 /* ss     */
    "  push %rdx\n"                 /* rsp    */
    "  pushq $2\n"                  /* rflags */
    "  push %rsi\n"                 /* cs     */
    "  push %rdi\n"                 /* rip    */
    "  jmp pv_iret\n"
    "e16_trap_ud:\n"
    "  movq $6, e16_last(%rip)\n"
    "  jmp 1f\n"
    "e16_trap_other:\n"
    "  movq $255, e16_last(%rip)\n"
    "  jmp 1f\n"
    "e16_trap_gp:\n"
    "  movq $13, e16_last(%rip)\n"
    "  mov %rax, e16_last+8(%rip)\n"
    "  add $8, %rsp\n"              /* the error code */
    "  jmp 2f\n"
    "1:mov %rax, e16_last+8(%rip)\n"
    "2:mov 16(%rsp), %rax; mov %rax, e16_last+16(%rip)\n"
    "  mov 24(%rsp), %rax; mov %rax, e16_last+24(%rip)\n"
    "  mov e16_saved_rsp(%rip), %rsp\n"
    "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "  ret\n"
    ".popsection\n");

/* The user code, 32-bit: mov %esp, %eax; ud2. */
static const uint8_t user_code[] = { 0x89, 0xe0, 0x0f, 0x0b };

static struct trap_info e16_traps[] = {
    { .vector = X86_EXC_UD, .cs = FLAT_KERNEL_CS, .address = (unsigned long)e16_trap_ud },
    { .vector = X86_EXC_GP, .cs = FLAT_KERNEL_CS, .address = (unsigned long)e16_trap_gp },
    { .vector = X86_EXC_PF, .cs = FLAT_KERNEL_CS, .address = (unsigned long)e16_trap_other },
    { .vector = X86_EXC_NP, .cs = FLAT_KERNEL_CS, .address = (unsigned long)e16_trap_other },
    { .vector = X86_EXC_SS, .cs = FLAT_KERNEL_CS, .address = (unsigned long)e16_trap_other },
    { .address = 0 },
};

extern char boot_stack_top[];

static long set_entry(unsigned long table_mfn, unsigned int idx, uint64_t val)
{
    struct mmu_update req = {
        .ptr = (table_mfn << PAGE_SHIFT) + idx * sizeof(uint64_t),
        .val = val,
    };

    return hg_mmu_update(&req, 1, NULL, DOMID_SELF);
}

static long user_baseptr(unsigned long mfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = mfn };

    return hg_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static long set_gdt(unsigned long mfn, unsigned long entries)
{
    xen_pfn_t frames[1] = { mfn };

    return hypercall5(__HYPERVISOR_set_gdt, (unsigned long)frames, entries, 0, 0, 0);
}

/* Scratch pages 1-3 become L3, L2, L1 for USER_CODE_VA, page 4 its code. */
static long map_user_code(unsigned long l4_mfn)
{
    uint64_t *l3 = hg_page(1), *l2 = hg_page(2), *l1 = hg_page(3);
    uint8_t *code = hg_page(4);
    long rc = 0;

    memcpy(code, user_code, sizeof(user_code));
    l1[0] = (hg_virt_to_mfn(code) << PAGE_SHIFT) | USER_PTE;
    l2[(USER_CODE_VA >> 21) & 511] = (hg_virt_to_mfn(l1) << PAGE_SHIFT) | TABLE_PTE;
    l3[0] = (hg_virt_to_mfn(l2) << PAGE_SHIFT) | TABLE_PTE;
    for (unsigned int i = 1; i <= 3 && !rc; i++)
        rc = hg_set_readonly(hg_page(i));
    if (!rc)
        rc = set_entry(l4_mfn, 0, (hg_virt_to_mfn(l3) << PAGE_SHIFT) | TABLE_PTE);
    return rc;
}

static long unmap_user_code(unsigned long l4_mfn)
{
    long rc = set_entry(l4_mfn, 0, 0);

    for (unsigned int i = 1; i <= 3; i++)
        if (hg_set_writable(hg_page(i)) && !rc)
            rc = -1;
    return rc;
}

static void run_cases(struct hg_cases *c, unsigned long ss, const char *what)
{
    char l[64];

    e16_last = (struct e16_result){ 0 };
    e16_enter(USER_CODE_VA, FLAT_USER_CS32, ASKED_ESP, ss);
    snprintf(l, sizeof(l), "%s ss: ud2 reached", what);
    hg_case(c, l, (long)e16_last.vector, 6);
    snprintf(l, sizeof(l), "%s ss: cs", what);
    hg_case(c, l, (long)(e16_last.cs & 0xffff), FLAT_USER_CS32);
    snprintf(l, sizeof(l), "%s ss: sp", what);
    hg_case(c, l, (long)(e16_last.rax & 0xffff), (long)(ASKED_ESP & 0xffff));
}

const char *hostile_iret_16bit_stack_segment(void)
{
    struct hg_cases c = { 0 };
    unsigned long l4 = hg_read_cr3() >> PAGE_SHIFT;
    uint64_t *gdt = hg_page(5);
    uint64_t *l4e = hg_walk(USER_CODE_VA, 4, NULL);

    if (!l4e || (*l4e & _PAGE_PRESENT))
        return st_fail("the kernel's L4 slot 0 is not free");
    gdt[1] = DESC_DATA16;
    gdt[2] = DESC_DATA32;
    hg_case(&c, "low mapping", map_user_code(l4), 0);
    hg_case(&c, "gdt page read-only", hg_set_readonly(gdt), 0);
    hg_case(&c, "set_gdt", set_gdt(hg_virt_to_mfn(gdt), 3), 0);
    hg_case(&c, "user L4 = kernel L4", user_baseptr(l4), 0);
    hg_case(&c, "kernel stack",
            HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                    (unsigned long)(e16_kstack + sizeof(e16_kstack))), 0);
    hg_case(&c, "trap table", HYPERVISOR_set_trap_table(e16_traps), 0);
    if (!c.failed) {
        run_cases(&c, SEL_SS32, "32-bit");
        hg_case(&c, "32-bit ss: esp", (long)(e16_last.rax & 0xffffffff), (long)ASKED_ESP);
        run_cases(&c, SEL_SS16, "16-bit");
        hg_case(&c, "16-bit ss: esp 31:16 (no hypervisor bits)",
                (long)((e16_last.rax >> 16) & 0xffff), 0);
    }
    trap_init();
    hg_case(&c, "undo: kernel stack",
            HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (unsigned long)boot_stack_top), 0);
    hg_case(&c, "undo: user L4", user_baseptr(mm_user_l4_mfn()), 0);
    hg_case(&c, "undo: empty GDT", set_gdt(0, 0), 0);
    hg_case(&c, "undo: gdt page writable", hg_set_writable(gdt), 0);
    hg_case(&c, "undo: low mapping", unmap_user_code(l4), 0);
    return hg_cases_verdict(&c);
}
