/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_debugreg.c - the helpers of hostile_debugreg.h: a
 *             #DB handler that counts, CR4/MSR accesses as outcomes, and
 *             the code the debugreg_* attacks set breakpoints on.
 * Owns:    dbg_seen; the code snippets (in .text).
 * Touches: set_trap_table (vector 1, then the kernel's whole table back
 *          by trap_init()), the debug registers and CR4.DE (dbg_end()
 *          puts back their start-of-day values).
 */
#include "hostile_debugreg.h"

volatile struct dbg_seen dbg_seen;
uint64_t dbg_user_saved_rsp;
volatile uint64_t *dbg_user_frame;

void dbg_trap_db(void);

/*
 * dbg_trap_db: the frame is rcx, r11, rip, cs, rflags, rsp, ss. Count,
 * record rip and rflags, clear TF and set RF in the frame, return with
 * rcx and r11 as they were (pv_iret pushes them for the iret hypercall).
 */
asm(".pushsection .text\n"
    "dbg_trap_db:\n"
    "  pop %rcx; pop %r11\n"
    "  push %rax\n"
    "  incq dbg_seen(%rip)\n"
    "  mov 8(%rsp), %rax; mov %rax, dbg_seen+8(%rip)\n"
    "  mov 24(%rsp), %rax; mov %rax, dbg_seen+16(%rip)\n"
    "  andq $~0x100, 24(%rsp)\n"
    "  orq $0x10000, 24(%rsp)\n"
    "  pop %rax\n"
    "  jmp pv_iret\n"
    /* single step */
    ".globl dbg_step, dbg_step_2\n"
    "dbg_step:\n"
    "  pushfq; orq $0x100, (%rsp); popfq\n"
    "  nop\n"
    "dbg_step_2:\n"
    "  nop\n"
    "  ret\n"
    /* single step over a hypercall: xen_version(XENVER_version) */
    ".globl dbg_step_hypercall, dbg_step_hc_after, dbg_step_hc_after2\n"
    "dbg_step_hypercall:\n"
    "  mov $17, %eax; xor %edi, %edi; xor %esi, %esi\n"
    "  pushfq; orq $0x100, (%rsp); popfq\n"
    "  syscall\n"
    "dbg_step_hc_after:\n"
    "  nop\n"
    "dbg_step_hc_after2:\n"
    "  nop\n"
    "  ret\n"
    /* TF over instructions the hypervisor emulates */
    ".globl dbg_step_mov_dr, dbg_step_mov_dr_after\n"
    "dbg_step_mov_dr:\n"
    "  pushfq; orq $0x100, (%rsp); popfq\n"
    "  mov %dr7, %rax\n"
    "dbg_step_mov_dr_after:\n"
    "  nop\n"
    "  ret\n"
    ".globl dbg_step_cpuid, dbg_step_cpuid_after\n"
    "dbg_step_cpuid:\n"
    "  push %rbx\n"
    "  xor %eax, %eax; xor %ecx, %ecx\n"
    "  pushfq; orq $0x100, (%rsp); popfq\n"
    "  ud2; .ascii \"xen\"; cpuid\n"
    "dbg_step_cpuid_after:\n"
    "  nop\n"
    "  pop %rbx\n"
    "  ret\n"
    ".globl dbg_out80, dbg_out80_after, dbg_in81\n"
    "dbg_out80:\n"
    "  outb %al, $0x80\n"
    "dbg_out80_after:\n"
    "  ret\n"
    "dbg_in81:\n"
    "  inb $0x81, %al\n"
    "  ret\n"
    /* TF, then the iret hypercall (flags 0) by syscall, to the label
     * after it; rdi = the rflags the iret context gives (no TF). */
    ".globl dbg_step_iret, dbg_step_iret_target\n"
    "dbg_step_iret:\n"
    "  mov %rsp, %rdx\n"
    "  pushq $0xe02b\n"                 /* ss: FLAT_KERNEL_SS */
    "  push %rdx\n"                     /* rsp                */
    "  push %rdi\n"                     /* rflags             */
    "  pushq $0xe030\n"                 /* cs: kernel mode    */
    "  lea dbg_step_iret_target(%rip), %rax\n"
    "  push %rax\n"                     /* rip                */
    "  pushq $0\n"                      /* flags: a plain iret */
    "  push %rcx; push %r11; push %rax\n"
    "  mov $23, %eax\n"                 /* __HYPERVISOR_iret  */
    "  pushfq; orq $0x100, (%rsp); popfq\n"
    "  syscall\n"
    "  ud2\n"
    "dbg_step_iret_target:\n"
    "  ret\n"
    ".globl dbg_insn\n"
    "dbg_insn:\n"
    "  nop\n"
    "  ret\n"
    /* mov %ss, then one instruction; rdi = the selector's address */
    ".globl dbg_movss_syscall, dbg_movss_syscall_insn, dbg_movss_syscall_after\n"
    "dbg_movss_syscall:\n"
    "  mov %rdi, %rdx\n"
    "  mov $17, %eax; xor %edi, %edi; xor %esi, %esi\n"
    "  mov (%rdx), %ss\n"
    "dbg_movss_syscall_insn:\n"
    "  syscall\n"
    "dbg_movss_syscall_after:\n"
    "  ret\n"
    ".globl dbg_movss_int80, dbg_movss_int80_insn\n"
    "dbg_movss_int80:\n"
    "  mov (%rdi), %ss\n"
    "dbg_movss_int80_insn:\n"
    "  int $0x80\n"
    "  ret\n"
    ".globl dbg_movss_int3, dbg_movss_int3_insn\n"
    "dbg_movss_int3:\n"
    "  mov (%rdi), %ss\n"
    "dbg_movss_int3_insn:\n"
    "  int3\n"
    "  ret\n"
    ".globl dbg_movss_ud2, dbg_movss_ud2_insn\n"
    "dbg_movss_ud2:\n"
    "  mov (%rdi), %ss\n"
    "dbg_movss_ud2_insn:\n"
    "  ud2\n"
    "dbg_movss_ud2_fixup:\n"
    "  ret\n"
    FIXUP_ENTRY(dbg_movss_ud2_insn, dbg_movss_ud2_fixup)
    /*
     * dbg_user_syscall(rsp, rflags, &frame): iret to user code that is a
     * lone syscall, with that rsp and rflags; the syscall callback
     * (dbg_user_syscall_cb) stores the frame's rip, rflags and rsp in
     * frame[0..2] and returns from dbg_user_syscall on the kernel stack.
     */
    ".globl dbg_user_syscall, dbg_user_syscall_cb, dbg_user_syscall_insn\n"
    "dbg_user_syscall:\n"
    "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "  mov %rdx, dbg_user_frame(%rip)\n"
    "  mov %rsp, dbg_user_saved_rsp(%rip)\n"
    "  pushq $0xe02b\n"                 /* FLAT_USER_SS */
    "  push %rdi\n"                     /* the rsp asked for */
    "  push %rsi\n"                     /* rflags */
    "  pushq $0xe033\n"                 /* FLAT_USER_CS */
    "  lea dbg_user_syscall_insn(%rip), %rax\n"
    "  push %rax\n"
    "  jmp pv_iret\n"
    "dbg_user_syscall_insn:\n"
    "  syscall\n"
    "  ud2\n"
    "dbg_user_syscall_cb:\n"
    "  pop %rcx; pop %r11\n"
    "  mov dbg_user_frame(%rip), %rdx\n"
    "  mov 0(%rsp), %rax; mov %rax, 0(%rdx)\n"
    "  mov 16(%rsp), %rax; mov %rax, 8(%rdx)\n"
    "  mov 24(%rsp), %rax; mov %rax, 16(%rdx)\n"
    "  mov dbg_user_saved_rsp(%rip), %rsp\n"
    "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "  ret\n"
    ".globl dbg_user_mov_dr7\n"
    "dbg_user_mov_dr7:\n"
    "  mov %dr7, %rax\n"
    "  ud2\n"
    ".popsection\n");

_Static_assert(offsetof(struct dbg_seen, rip) == 8, "dbg_trap_db offsets");
_Static_assert(offsetof(struct dbg_seen, rflags) == 16, "dbg_trap_db offsets");

static const struct trap_info dbg_traps[] = {
    { .vector = X86_EXC_DB, .cs = FLAT_KERNEL_CS, .address = (unsigned long)dbg_trap_db },
    { .address = 0 },
};

void dbg_clear(void)
{
    dbg_seen.count = 0;
    dbg_seen.rip = 0;
    dbg_seen.rflags = 0;
}

long dbg_begin(void)
{
    dbg_clear();
    return HYPERVISOR_set_trap_table(dbg_traps);
}

long dbg_end(void)
{
    static const unsigned long regs[] = { 7, 0, 1, 2, 3 };
    unsigned long cr4 = 0;
    long rc = 0, r;

    for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
        r = dbg_set(regs[i], regs[i] == 7 ? DBG_DR7_DEFAULT : 0);
        rc = rc ? rc : r;
    }
    r = dbg_set(6, DBG_DR6_DEFAULT);
    rc = rc ? rc : r;
    if (dbg_read_cr4(&cr4) == VIO_RAN && (cr4 & DBG_CR4_DE)) {
        r = dbg_write_cr4(cr4 & ~DBG_CR4_DE);
        rc = rc ? rc : r;
    }
    trap_init();
    return rc;
}

long dbg_read_cr4(unsigned long *val)
{
    unsigned long before = trap_last.count, v = VIO_FILL;

    asm volatile("1: mov %%cr4, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "+r"(v) :: "memory");
    *val = v;
    return vio_outcome(before);
}

long dbg_write_cr4(unsigned long val)
{
    unsigned long before = trap_last.count;

    asm volatile("1: mov %0, %%cr4\n2:\n" FIXUP_ENTRY(1b, 2b) :: "r"(val) : "memory");
    return vio_outcome(before);
}

long dbg_rdmsr(uint32_t msr, unsigned long *val)
{
    unsigned long before = trap_last.count;
    uint32_t lo = 0x11111111, hi = 0x11111111;

    asm volatile("1: rdmsr\n2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *val = (unsigned long)hi << 32 | lo;
    return vio_outcome(before);
}

long dbg_wrmsr(uint32_t msr, unsigned long val)
{
    unsigned long before = trap_last.count;

    asm volatile("1: wrmsr\n2:\n" FIXUP_ENTRY(1b, 2b)
                 :: "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(msr)
                 : "memory");
    return vio_outcome(before);
}
