/* SPDX-License-Identifier: MIT */
/*
 * hypercall_registers - what a hypercall leaves in the registers.
 * Rule: a hypercall returns its result in rax; syscall itself clobbers
 * rcx and r11; every other register (rbx, rbp, rdi, rsi, rdx, r8, r9,
 * r10, r12-r15) comes back as the guest left it, whether the hypervisor
 * returns at once (its lean exit restores only what its C code may
 * clobber) or by its slow way out (the scheduler ran, a timer was due,
 * an event was delivered, the number had no handler).
 *
 * Attack: a raw syscall from kernel mode with each of those registers
 * set to its own mark (rdi, rsi, rdx, r10 and r8 carry the arguments the
 * hypercall takes, marks where it takes none), then every register
 * compared with what it held. Cases:
 *  - xen_version(XENVER_version): the fast path;
 *  - sched_op(SCHEDOP_yield): the scheduler runs on the way out;
 *  - set_timer_op(1): a timer already due runs on the way out, and
 *    VIRQ_TIMER is raised (delivered to the kernel's upcall if events
 *    are unmasked, whose handler must itself preserve them);
 *  - hypercall 50 (no handler) and 2^32 + 17 (out of range): -ENOSYS.
 * Expected: rax the result (the version; 0; 0; -ENOSYS twice), every
 * other register but rcx and r11 its mark.
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, a release build, which
 * restores every register from its frame): the same. (A Xen debug build
 * clobbers the argument registers a hypercall takes, as Xen's public
 * header allows; pvisor keeps them, which no guest can mind.)
 */
#include "hostile.h"
#include <xen/sched.h>
#include <xen/version.h>

enum { R_RAX, R_RBX, R_RBP, R_RDI, R_RSI, R_RDX, R_R8, R_R9, R_R10,
       R_R12, R_R13, R_R14, R_R15, R_NR };
static const char *const reg_names[R_NR] = {
    "rax", "rbx", "rbp", "rdi", "rsi", "rdx", "r8", "r9", "r10",
    "r12", "r13", "r14", "r15",
};

/*
 * hr_probe(in, out): load every register of in[] (rax the number, rdi and
 * rsi the first two arguments), syscall, store every register to out[].
 * in and out are R_NR words each, in the order of the enum.
 */
void hr_probe(const uint64_t *in, uint64_t *out);
asm(".pushsection .text\n"
    ".globl hr_probe\n"
    "hr_probe:\n"
    "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
    "  push %rsi\n"                         /* out */
    "  mov 8*1(%rdi), %rbx\n"
    "  mov 8*2(%rdi), %rbp\n"
    "  mov 8*4(%rdi), %rsi\n"
    "  mov 8*5(%rdi), %rdx\n"
    "  mov 8*6(%rdi), %r8\n"
    "  mov 8*7(%rdi), %r9\n"
    "  mov 8*8(%rdi), %r10\n"
    "  mov 8*9(%rdi), %r12\n"
    "  mov 8*10(%rdi), %r13\n"
    "  mov 8*11(%rdi), %r14\n"
    "  mov 8*12(%rdi), %r15\n"
    "  mov 8*0(%rdi), %rax\n"
    "  mov 8*3(%rdi), %rdi\n"
    "  syscall\n"
    "  pop %r11\n"
    "  mov %rax, 8*0(%r11)\n"
    "  mov %rbx, 8*1(%r11)\n"
    "  mov %rbp, 8*2(%r11)\n"
    "  mov %rdi, 8*3(%r11)\n"
    "  mov %rsi, 8*4(%r11)\n"
    "  mov %rdx, 8*5(%r11)\n"
    "  mov %r8, 8*6(%r11)\n"
    "  mov %r9, 8*7(%r11)\n"
    "  mov %r10, 8*8(%r11)\n"
    "  mov %r12, 8*9(%r11)\n"
    "  mov %r13, 8*10(%r11)\n"
    "  mov %r14, 8*11(%r11)\n"
    "  mov %r15, 8*12(%r11)\n"
    "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
    "  ret\n"
    ".popsection\n");

/* One case: the number, two arguments, the result wanted. */
static void hr_case(struct hg_cases *c, const char *label, uint64_t nr,
                    uint64_t a0, uint64_t a1, long want)
{
    uint64_t in[R_NR], out[R_NR];
    char what[96];
    unsigned int bad = 0;

    for (unsigned int r = 0; r < R_NR; r++)
        in[r] = 0x5a5a000000000000UL | ((uint64_t)r << 32) | (0x1000u + r);
    in[R_RAX] = nr;
    in[R_RDI] = a0;
    in[R_RSI] = a1;
    hr_probe(in, out);
    hg_case(c, label, (long)out[R_RAX], want);
    for (unsigned int r = 1; r < R_NR; r++) {
        if (out[r] == in[r])
            continue;
        snprintf(what, sizeof(what), "%s: %s changed to %#lx", label,
                 reg_names[r], out[r]);
        hg_case(c, what, (long)out[r], (long)in[r]);
        bad++;
    }
    if (!bad) {
        snprintf(what, sizeof(what), "%s: registers kept", label);
        hg_case(c, what, 0, 0);
    }
}

const char *hostile_hypercall_registers(void)
{
    struct hg_cases c = { 0 };
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);

    hr_case(&c, "xen_version", __HYPERVISOR_xen_version, XENVER_version, 0,
            version);
    hr_case(&c, "sched_op yield", __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
    hr_case(&c, "set_timer_op due", __HYPERVISOR_set_timer_op, 1, 0, 0);
    hr_case(&c, "hypercall 50", 50, 0, 0, -XEN_ENOSYS);
    hr_case(&c, "hypercall 2^32 + 17", (1UL << 32) + __HYPERVISOR_xen_version,
            0, 0, -XEN_ENOSYS);
    (void)HYPERVISOR_set_timer_op(0);
    return hg_cases_verdict(&c);
}
