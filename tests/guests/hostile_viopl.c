/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_viopl.c - the helpers of hostile_viopl.h: physdev
 *             calls, instruction outcomes, port I/O, iret with chosen
 *             rflags, and a small harness for guest user mode.
 * Owns:    the user-mode harness: its kernel stack, user stack, trap
 *          table and the user code snippets (in .text, which a PV guest's
 *          user mode may execute: every guest mapping is user-accessible
 *          on x86_64 PV).
 * Touches: set_trap_table, stack_switch, MMUEXT_NEW_USER_BASEPTR (undone by
 *          vio_user_end(): trap_init(), boot_stack_top, mm_user_l4_mfn()).
 */
#include "hostile_viopl.h"

long vio_outcome(unsigned long before)
{
    if (trap_last.count == before)
        return VIO_RAN;
    return 1000L * (long)trap_last.vector + (long)trap_last.error_code;
}

long vio_set_iopl(uint32_t iopl)
{
    struct physdev_set_iopl op = { .iopl = iopl };

    return vio_physdev(PHYSDEVOP_set_iopl, &op);
}

long vio_set_iobitmap(const void *bitmap, uint32_t nr_ports)
{
    struct physdev_set_iobitmap op = { .nr_ports = nr_ports };

    set_xen_guest_handle(op.bitmap, (uint8_t *)bitmap);
    return vio_physdev(PHYSDEVOP_set_iobitmap, &op);
}

long vio_in(uint16_t port, unsigned int bytes, uint64_t *rax)
{
    uint64_t a = *rax;
    long o;

    switch (bytes) {
    case 1:  o = VIO_IO("inb %%dx, %%al", port, a); break;
    case 2:  o = VIO_IO("inw %%dx, %%ax", port, a); break;
    default: o = VIO_IO("inl %%dx, %%eax", port, a); break;
    }
    *rax = a;
    return o;
}

long vio_out(uint16_t port, unsigned int bytes, uint32_t val)
{
    uint64_t a = val;

    switch (bytes) {
    case 1:  return VIO_IO("outb %%al, %%dx", port, a);
    case 2:  return VIO_IO("outw %%ax, %%dx", port, a);
    default: return VIO_IO("outl %%eax, %%dx", port, a);
    }
}

/* One string instruction: DF set around it when asked, rep or not. */
#define VIO_STRING(insn, port, s) ({                                        \
        unsigned long vio_b_ = trap_last.count;                             \
        asm volatile("test %[std], %[std]\n"                                \
                     "jz 3f\n"                                              \
                     "std\n"                                                \
                     "3: test %[rep], %[rep]\n"                             \
                     "jz 4f\n"                                              \
                     "1: rep " insn "\n"                                    \
                     "2: jmp 5f\n"                                          \
                     "4:\n"                                                 \
                     "6: " insn "\n"                                        \
                     "7:\n"                                                 \
                     "5: cld\n"                                             \
                     FIXUP_ENTRY(1b, 2b) FIXUP_ENTRY(6b, 7b)                \
                     : "+D"((s)->rdi), "+S"((s)->rsi), "+c"((s)->rcx)       \
                     : "d"((uint16_t)(port)), [std] "r"((long)(s)->std),    \
                       [rep] "r"((long)(s)->rep)                            \
                     : "memory", "cc");                                     \
        vio_outcome(vio_b_); })

long vio_ins(uint16_t port, unsigned int bytes, struct vio_string *s)
{
    switch (bytes) {
    case 1:  return VIO_STRING("insb", port, s);
    case 2:  return VIO_STRING("insw", port, s);
    default: return VIO_STRING("insl", port, s);
    }
}

long vio_outs(uint16_t port, unsigned int bytes, struct vio_string *s)
{
    switch (bytes) {
    case 1:  return VIO_STRING("outsb", port, s);
    case 2:  return VIO_STRING("outsw", port, s);
    default: return VIO_STRING("outsl", port, s);
    }
}

unsigned long vio_int3_rflags(void)
{
    unsigned long before = trap_last.count;

    asm volatile("int3" ::: "memory");
    return trap_last.count == before ? ~0UL : trap_last.rflags;
}

void vio_iret_rflags(unsigned long rflags)
{
    asm volatile("mov %%rsp, %%rax\n"
                 "pushq %[ss]\n"
                 "pushq %%rax\n"
                 "pushq %[fl]\n"
                 "pushq %[cs]\n"
                 "lea 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "jmp pv_iret\n"
                 "1:\n"
                 :: [fl] "r"(rflags), [ss] "i"(FLAT_KERNEL_SS), [cs] "i"(VIO_KERNEL_CS)
                 : "rax", "rcx", "r11", "memory", "cc");
}

/* ---- guest user mode ------------------------------------------------- */

#define VIO_STACK_SIZE 4096

struct vio_user_frame vio_user_last;     /* written by the trap stubs */
uint64_t vio_user_saved_rsp;             /* the kernel's, across the run */
static uint8_t vio_kstack[VIO_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t vio_ustack[VIO_STACK_SIZE] __attribute__((aligned(16)));

void vio_user_enter(unsigned long rip, unsigned long rsp, unsigned long rflags);
void vio_user_trap_gp(void), vio_user_trap_ud(void), vio_user_trap_pf(void);

/*
 * vio_user_enter(rip, rsp, rflags) saves the callee-saved registers and
 * its rsp, and irets to user mode; a trap stub takes the frame the
 * hypervisor bounced (rcx, r11, [error code,] rip, cs, rflags, rsp, ss),
 * records it in vio_user_last and returns from vio_user_enter() on the
 * saved stack. The bounce has already put the vCPU back in kernel mode.
 */
asm(".pushsection .text\n"
    ".globl vio_user_enter, vio_user_trap_gp, vio_user_trap_ud, vio_user_trap_pf\n"
    "vio_user_enter:\n"
    "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "  mov %rsp, vio_user_saved_rsp(%rip)\n"
    "  pushq $0xe02b\n"             /* FLAT_USER_SS */
    "  push %rsi\n"
    "  push %rdx\n"
    "  pushq $0xe033\n"             /* FLAT_USER_CS: RPL 3, user mode */
    "  push %rdi\n"
    "  jmp pv_iret\n"
    "vio_user_trap_gp:\n"
    "  pop %rcx; pop %r11\n"
    "  pop %rax; mov %rax, vio_user_last+8(%rip)\n"
    "  movq $13, vio_user_last(%rip)\n"
    "  jmp vio_user_record\n"
    "vio_user_trap_pf:\n"
    "  pop %rcx; pop %r11\n"
    "  pop %rax; mov %rax, vio_user_last+8(%rip)\n"
    "  movq $14, vio_user_last(%rip)\n"
    "  jmp vio_user_record\n"
    "vio_user_trap_ud:\n"
    "  pop %rcx; pop %r11\n"
    "  movq $0, vio_user_last+8(%rip)\n"
    "  movq $6, vio_user_last(%rip)\n"
    "vio_user_record:\n"
    "  mov 0(%rsp), %rax; mov %rax, vio_user_last+16(%rip)\n"
    "  mov 8(%rsp), %rax; mov %rax, vio_user_last+24(%rip)\n"
    "  mov 16(%rsp), %rax; mov %rax, vio_user_last+32(%rip)\n"
    "  mov vio_user_saved_rsp(%rip), %rsp\n"
    "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "  ret\n"
    ".globl vio_user_cli, vio_user_sti, vio_user_inb_imm, vio_user_inb_dx\n"
    ".globl vio_user_outb_dx, vio_user_insb_bad, vio_user_outsb_bad\n"
    "vio_user_cli:       cli; ud2\n"
    "vio_user_sti:       sti; ud2\n"
    "vio_user_inb_imm:   inb $0x81, %al; ud2\n"
    "vio_user_inb_dx:    mov $0x81, %edx; inb %dx, %al; ud2\n"
    "vio_user_outb_dx:   mov $0x81, %edx; outb %al, %dx; ud2\n"
    "vio_user_insb_bad:  mov $0x81, %edx; mov $0xdeadb000, %edi; mov $1, %ecx\n"
    "                    rep insb; ud2\n"
    "vio_user_outsb_bad: mov $0x81, %edx; mov $0xdeadb000, %esi; mov $1, %ecx\n"
    "                    rep outsb; ud2\n"
    ".popsection\n");

_Static_assert(offsetof(struct vio_user_frame, error_code) == 8, "stub offsets");
_Static_assert(offsetof(struct vio_user_frame, rflags) == 32, "stub offsets");

static struct trap_info vio_user_traps[] = {
    { .vector = X86_EXC_GP, .cs = FLAT_KERNEL_CS, .address = (unsigned long)vio_user_trap_gp },
    { .vector = X86_EXC_UD, .cs = FLAT_KERNEL_CS, .address = (unsigned long)vio_user_trap_ud },
    { .vector = X86_EXC_PF, .cs = FLAT_KERNEL_CS, .address = (unsigned long)vio_user_trap_pf },
    { .address = 0 },
};

extern char boot_stack_top[];

static long new_user_baseptr(unsigned long mfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = mfn };

    return hg_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long vio_user_begin(void)
{
    long rc = new_user_baseptr(hg_read_cr3() >> PAGE_SHIFT);

    if (!rc)
        rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS,
                                     (unsigned long)(vio_kstack + sizeof(vio_kstack)));
    if (!rc)
        rc = HYPERVISOR_set_trap_table(vio_user_traps);
    return rc;
}

long vio_user_run(const char *code, unsigned long rflags, struct vio_user_frame *f)
{
    vio_user_last = (struct vio_user_frame){ .vector = ~0UL };
    vio_user_enter((unsigned long)code, (unsigned long)(vio_ustack + sizeof(vio_ustack)),
                   rflags);
    vio_user_last.cr2 = xen_vcpu()->arch.cr2;
    if (f)
        *f = vio_user_last;
    if (vio_user_last.vector == X86_EXC_UD)
        return VIO_RAN;
    return 1000L * (long)vio_user_last.vector + (long)vio_user_last.error_code;
}

long vio_user_end(void)
{
    long rc = new_user_baseptr(mm_user_l4_mfn());

    trap_init();
    if (!rc)
        rc = HYPERVISOR_stack_switch(FLAT_KERNEL_SS, (unsigned long)boot_stack_top);
    return rc;
}
