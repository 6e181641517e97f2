/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_ldt.c - the helpers of hostile_ldt.h: SET_LDT,
 *             segment loads and far calls with a fixup, and an iret to a
 *             chosen context that ends at the first exception.
 * Owns:    the iret harness: its kernel stacks, user stack, trap table
 *          and the user code snippets (in .text, which a PV guest's user
 *          mode may execute: every guest mapping is a user mapping on
 *          x86_64 PV).
 * Touches: set_trap_table, stack_switch, MMUEXT_NEW_USER_BASEPTR (undone by
 *          ldt_user_end(): trap_init(), boot_stack_top, mm_user_l4_mfn());
 *          %es and %ss, put back after each use.
 */
#include "hostile_ldt.h"

_Static_assert(__HYPERVISOR_iret == 23, "the iret stub offset below");

#define LDT_STACK_SIZE 4096
#define NULL_SELECTOR  0

long ldt_set(unsigned long va, unsigned int ents)
{
    struct mmuext_op op = {
        .cmd = MMUEXT_SET_LDT, .arg1.linear_addr = va, .arg2.nr_ents = ents,
    };

    return hg_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long ldt_load_es(uint16_t sel)
{
    unsigned long before = trap_last.count;

    asm volatile("1: mov %w0, %%es\n2:\n" FIXUP_ENTRY(1b, 2b)
                 "mov %w1, %%es\n"
                 :: "r"((unsigned int)sel), "r"(NULL_SELECTOR) : "memory");
    return vio_outcome(before);
}

long ldt_load_ss(uint16_t sel)
{
    unsigned long before = trap_last.count;
    unsigned int ss;

    /* A load that works is undone at once; one that faults resumes at 2. */
    asm volatile("mov %%ss, %0\n"
                 "1: mov %w1, %%ss\n"
                 "mov %w0, %%ss\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "=&r"(ss) : "r"((unsigned int)sel) : "memory");
    return vio_outcome(before);
}

long ldt_lar(uint16_t sel)
{
    unsigned long ar = 0;
    uint8_t ok;

    asm volatile("lar %w2, %0\n setz %1"
                 : "+r"(ar), "=q"(ok) : "r"((unsigned int)sel) : "cc");
    return ok ? (long)ar : -1;
}

/* m16:32, as "lcall *mem" without REX.W reads it. */
struct __attribute__((packed)) ldt_far_ptr {
    uint32_t off;
    uint16_t sel;
};
static struct ldt_far_ptr ldt_far;
struct ldt_far_ptr ldt_u_far;            /* the user snippets' */

long ldt_lcall(uint16_t sel)
{
    unsigned long before = trap_last.count;

    ldt_far = (struct ldt_far_ptr){ 0, sel };
    asm volatile("1: lcall *%0\n2:\n" FIXUP_ENTRY(1b, 2b)
                 :: "m"(ldt_far) : "memory");
    return vio_outcome(before);
}

long ldt_ljmp(uint16_t sel)
{
    unsigned long before = trap_last.count;

    ldt_far = (struct ldt_far_ptr){ 0, sel };
    asm volatile("1: ljmp *%0\n2:\n" FIXUP_ENTRY(1b, 2b)
                 :: "m"(ldt_far) : "memory");
    return vio_outcome(before);
}

long ldt_noncanonical_stack(void)
{
    unsigned long before = trap_last.count;

    asm volatile("push %%rbp\n"
                 "movabs $0x8000000000000000, %%rbp\n"
                 "1: mov (%%rbp), %%rax\n"
                 "2: pop %%rbp\n" FIXUP_ENTRY(1b, 2b)
                 ::: "rax", "memory");
    return vio_outcome(before);
}

/* ---- the iret harness ------------------------------------------------- */

struct ldt_frame ldt_last;                 /* written by the trap stubs */
uint64_t ldt_saved_rsp;                    /* the kernel's, across a run */
static uint8_t ldt_kstack[LDT_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t ldt_krun_stack[LDT_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t ldt_ustack[LDT_STACK_SIZE] __attribute__((aligned(16)));

uint64_t ldt_kernel_stack_top(void)
{
    return (uint64_t)(ldt_krun_stack + sizeof(ldt_krun_stack));
}

uint64_t ldt_user_stack_top(void)
{
    return (uint64_t)(ldt_ustack + sizeof(ldt_ustack));
}

void ldt_enter(const struct ldt_iret *c);
void ldt_trap_ud(void), ldt_trap_np(void), ldt_trap_ss(void),
     ldt_trap_gp(void), ldt_trap_pf(void);

/*
 * ldt_enter(c) saves the callee-saved registers and its rsp, and jumps to
 * the iret stub of the hypercall page with c's context (the stub pushes
 * rcx, r11 and rax, the last being c->rax). A trap stub takes the frame
 * the hypervisor bounced (rcx, r11, [error code,] rip, cs, rflags, rsp,
 * ss), records it in ldt_last and returns from ldt_enter() on the saved
 * stack.
 */
asm(".pushsection .text\n"
    ".globl ldt_enter, ldt_trap_ud, ldt_trap_np, ldt_trap_ss, ldt_trap_gp, ldt_trap_pf\n"
    "ldt_enter:\n"
    "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "  mov %rsp, ldt_saved_rsp(%rip)\n"
    "  pushq 40(%rdi)\n"                 /* ss     */
    "  pushq 32(%rdi)\n"                 /* rsp    */
    "  pushq 24(%rdi)\n"                 /* rflags */
    "  pushq 16(%rdi)\n"                 /* cs     */
    "  pushq 8(%rdi)\n"                  /* rip    */
    "  pushq 48(%rdi)\n"                 /* flags  */
    "  mov 0(%rdi), %rax\n"
    "  jmp hypercall_page + 23 * 32\n"
    "ldt_trap_ud:\n"
    "  pop %rcx; pop %r11; pushq $0\n"
    "  movq $6, ldt_last(%rip)\n"
    "  jmp ldt_record\n"
    "ldt_trap_np:\n"
    "  pop %rcx; pop %r11\n"
    "  movq $11, ldt_last(%rip)\n"
    "  jmp ldt_record\n"
    "ldt_trap_ss:\n"
    "  pop %rcx; pop %r11\n"
    "  movq $12, ldt_last(%rip)\n"
    "  jmp ldt_record\n"
    "ldt_trap_gp:\n"
    "  pop %rcx; pop %r11\n"
    "  movq $13, ldt_last(%rip)\n"
    "  jmp ldt_record\n"
    "ldt_trap_pf:\n"
    "  pop %rcx; pop %r11\n"
    "  movq $14, ldt_last(%rip)\n"
    "ldt_record:\n"                      /* rsp: ec, rip, cs, rflags, rsp, ss */
    "  mov 0(%rsp), %rax; mov %rax, ldt_last+8(%rip)\n"
    "  mov 8(%rsp), %rax; mov %rax, ldt_last+16(%rip)\n"
    "  mov 16(%rsp), %rax; mov %rax, ldt_last+24(%rip)\n"
    "  mov 24(%rsp), %rax; mov %rax, ldt_last+32(%rip)\n"
    "  mov 32(%rsp), %rax; mov %rax, ldt_last+40(%rip)\n"
    "  mov 40(%rsp), %rax; mov %rax, ldt_last+48(%rip)\n"
    "  mov ldt_saved_rsp(%rip), %rsp\n"
    "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "  ret\n"
    ".globl ldt_u_ud2, ldt_u_lcall, ldt_u_ljmp, ldt_u_load_es, ldt_u_load_ss\n"
    ".globl ldt_u_stack_noncanonical\n"
    "ldt_u_ud2:      ud2\n"
    "ldt_u_lcall:    lcall *ldt_u_far(%rip); ud2\n"
    "ldt_u_ljmp:     ljmp *ldt_u_far(%rip); ud2\n"
    "ldt_u_load_es:  mov %ax, %es; ud2\n"
    "ldt_u_load_ss:  mov %ax, %ss; ud2\n"
    "ldt_u_stack_noncanonical: movabs $0x8000000000000000, %rbp\n"
    "                mov (%rbp), %rax; ud2\n"
    ".popsection\n");

_Static_assert(offsetof(struct ldt_frame, error_code) == 8, "stub offsets");
_Static_assert(offsetof(struct ldt_frame, ss) == 48, "stub offsets");
_Static_assert(offsetof(struct ldt_iret, ss) == 40, "ldt_enter offsets");
_Static_assert(offsetof(struct ldt_iret, flags) == 48, "ldt_enter offsets");

static struct trap_info ldt_traps[] = {
    { .vector = X86_EXC_UD, .cs = FLAT_KERNEL_CS, .address = (unsigned long)ldt_trap_ud },
    { .vector = X86_EXC_NP, .cs = FLAT_KERNEL_CS, .address = (unsigned long)ldt_trap_np },
    { .vector = X86_EXC_SS, .cs = FLAT_KERNEL_CS, .address = (unsigned long)ldt_trap_ss },
    { .vector = X86_EXC_GP, .cs = FLAT_KERNEL_CS, .address = (unsigned long)ldt_trap_gp },
    { .vector = X86_EXC_PF, .cs = FLAT_KERNEL_CS, .address = (unsigned long)ldt_trap_pf },
    { .address = 0 },
};

extern char boot_stack_top[];

static long new_user_baseptr(unsigned long mfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = mfn };

    return hg_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long ldt_user_begin(void)
{
    long rc = new_user_baseptr(hg_read_cr3() >> PAGE_SHIFT);

    if (!rc)
        rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                     (unsigned long)(ldt_kstack + sizeof(ldt_kstack)));
    if (!rc)
        rc = HYPERVISOR_set_trap_table(ldt_traps);
    return rc;
}

long ldt_iret_run(const struct ldt_iret *c, struct ldt_frame *f)
{
    ldt_last = (struct ldt_frame){ .vector = ~0UL };
    ldt_enter(c);
    /* User code may have left an LDT selector in %es: not the kernel's. */
    asm volatile("mov %w0, %%es" :: "r"(NULL_SELECTOR));
    if (f)
        *f = ldt_last;
    if (ldt_last.vector == X86_EXC_UD)
        return VIO_RAN;
    return LDT_OUT(ldt_last.vector, ldt_last.error_code);
}

long ldt_user_run(const char *code, uint64_t rax, struct ldt_frame *f)
{
    struct ldt_iret c = {
        .rax = rax, .rip = (uint64_t)code, .cs = FLAT_USER_CS,
        .rflags = X86_EFLAGS_FIXED, .rsp = ldt_user_stack_top(),
        .ss = FLAT_USER_SS,
    };

    ldt_u_far.sel = (uint16_t)rax;
    return ldt_iret_run(&c, f);
}

long ldt_user_end(void)
{
    long rc = new_user_baseptr(mm_user_l4_mfn());

    trap_init();
    if (!rc)
        rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (unsigned long)boot_stack_top);
    return rc;
}
