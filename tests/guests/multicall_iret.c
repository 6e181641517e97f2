/* SPDX-License-Identifier: MIT */
/*
 * multicall_iret - HYPERVISOR_iret as an entry of a multicall (XSA-213).
 * Rule: iret changes where and in which mode the vCPU resumes, so it ends
 * the batch: it takes effect exactly as a plain iret would (rip, rsp,
 * rflags, rcx, r11 and rax from the iret_context on the guest's stack),
 * the entries after it are not run and their result fields are not
 * written, and the iret entry's result is the context's rax.
 *
 * Attack: the multicall is issued with a raw syscall whose rsp points at
 * an iret_context resuming at a label in this file, in kernel mode, with
 * rax, rcx and r11 set to marks and IF clear; every result field holds a
 * sentinel beforehand. Cases:
 *  - [xen_version, iret (rax 0x1badcafe), xen_version];
 *  - the same with rax 0 (a result of 0 must not let the batch go on);
 *  - [iret, xen_version];
 *  - [xen_version, iret with IF set, xen_version].
 * Expected: the vCPU resumes at the label with rax = the context's rax
 * (the multicall's own return value is the iret's), rcx and r11 the
 * context's, rsp the context's; results: the version, the context's rax,
 * the sentinel untouched; the upcall mask the inverse of the context's IF
 * (masked again at once after the IF-set case).
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU): all of the above.
 * Source: common/multicall.c do_multicall(): arch_do_multicall_call()
 * answers mc_exit for __HYPERVISOR_iret (arch/x86/pv/hypercall.c); the
 * result is copied out on a best-effort basis, the multicall returns it,
 * and the loop stops.
 */
#include "hostile.h"

#define MC_STR_(...) #__VA_ARGS__
#define MC_STR(...) MC_STR_(__VA_ARGS__)

#define MC_SENTINEL 0x5e5e5e5e5e5e5e5eUL
#define MC_MARK_RAX 0x1badcafeUL
/* No suffix, below 2^31: the assembler takes them as 32-bit immediates. */
#define MC_MARK_RCX 0x0ddba11
#define MC_MARK_R11 0x0b0ef00d

/* cs RPL 0: back to guest kernel mode (RPL 3, as FLAT_KERNEL_CS has it,
 * would mean user mode to iret). */
#define MC_KERNEL_CS (FLAT_KERNEL_CS & ~SELECTOR_RPL_MASK)

/* The context's rflags: IF clear leaves events masked, IF set unmasks them. */
#define MC_IF_CLEAR X86_EFLAGS_FIXED
#define MC_IF_SET   (X86_EFLAGS_FIXED | X86_EFLAGS_IF)

/* What the vCPU looked like after the multicall. */
struct mc_iret_out {
    uint64_t resumed;               /* 1: at the iret's rip; 0: after the syscall */
    uint64_t rax, rcx, r11, rsp, rsp_want;
};

/*
 * void mc_iret_run(struct multicall_entry *list, unsigned long nr,
 *                  struct mc_iret_out *out, uint64_t rax, uint64_t rflags):
 * a multicall with an iret_context {rax, r11, rcx, flags 0, rip 1f,
 * MC_KERNEL_CS, rflags, rsp, FLAT_KERNEL_SS} at rsp.
 */
void mc_iret_run(struct multicall_entry *list, unsigned long nr,
                 struct mc_iret_out *out, uint64_t rax, uint64_t rflags);

asm(".text\n"
    ".globl mc_iret_run\n"
    "mc_iret_run:\n"
    "    push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
    "    mov %rdx, %rbx\n"
    "    mov %rsp, %r12\n"
    "    mov %r12, 40(%rbx)\n"
    "    sub $72, %rsp\n"
    "    mov %rcx, 0(%rsp)\n"                           /* rax */
    "    movq $" MC_STR(MC_MARK_R11) ", 8(%rsp)\n"      /* r11 */
    "    movq $" MC_STR(MC_MARK_RCX) ", 16(%rsp)\n"     /* rcx */
    "    movq $0, 24(%rsp)\n"                           /* flags */
    "    lea 1f(%rip), %rax\n"
    "    mov %rax, 32(%rsp)\n"                          /* rip */
    "    movq $" MC_STR(MC_KERNEL_CS) ", 40(%rsp)\n"
    "    mov %r8, 48(%rsp)\n"                          /* rflags */
    "    mov %r12, 56(%rsp)\n"                          /* rsp */
    "    movq $" MC_STR(FLAT_KERNEL_SS) ", 64(%rsp)\n"
    "    mov $" MC_STR(__HYPERVISOR_multicall) ", %eax\n"
    "    syscall\n"
    "    movq $0, 0(%rbx)\n"
    "    mov %rax, 8(%rbx)\n"
    "    mov %rsp, 32(%rbx)\n"
    "    mov %r12, %rsp\n"
    "    jmp 2f\n"
    "1:  movq $1, 0(%rbx)\n"
    "    mov %rax, 8(%rbx)\n"
    "    mov %rcx, 16(%rbx)\n"
    "    mov %r11, 24(%rbx)\n"
    "    mov %rsp, 32(%rbx)\n"
    "    mov %r12, %rsp\n"
    "2:  pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
    "    ret\n");

static const struct multicall_entry mc_version = {
    .op = __HYPERVISOR_xen_version, .result = MC_SENTINEL, .args = { XENVER_version },
};
static const struct multicall_entry mc_iret = {
    .op = __HYPERVISOR_iret, .result = MC_SENTINEL,
};

/* Run the batch; check where we came back and every result. */
static void mc_iret_case(struct hg_cases *c, const char *name,
                         struct multicall_entry *mc, unsigned int nr,
                         unsigned int iret_at, uint64_t rax, uint64_t rflags,
                         long version)
{
    volatile struct vcpu_info *vi = &HYPERVISOR_shared_info->vcpu_info[0];
    struct mc_iret_out out = { 0 };
    char label[64];
    unsigned int i, mask;

    mc_iret_run(mc, nr, &out, rax, rflags);
    mask = vi->evtchn_upcall_mask;
    pv_ops.irq_disable();
    snprintf(label, sizeof(label), "%s: resumed at the iret's rip", name);
    hg_case(c, label, (long)out.resumed, 1);
    snprintf(label, sizeof(label), "%s: rax", name);
    hg_case(c, label, (long)out.rax, (long)rax);
    snprintf(label, sizeof(label), "%s: rcx", name);
    hg_case(c, label, (long)out.rcx, (long)MC_MARK_RCX);
    snprintf(label, sizeof(label), "%s: r11", name);
    hg_case(c, label, (long)out.r11, (long)MC_MARK_R11);
    snprintf(label, sizeof(label), "%s: rsp is the context's", name);
    hg_case(c, label, out.rsp == out.rsp_want, 1);
    snprintf(label, sizeof(label), "%s: upcall mask", name);
    hg_case(c, label, mask, !(rflags & X86_EFLAGS_IF));
    for (i = 0; i < nr; i++) {
        long want = i < iret_at ? version : i == iret_at ? (long)rax : (long)MC_SENTINEL;

        snprintf(label, sizeof(label), "%s: result[%u]", name, i);
        hg_case(c, label, (long)mc[i].result, want);
    }
}

const char *hostile_multicall_iret(void)
{
    static struct hg_cases c;
    static struct multicall_entry mc[3];
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);

    mc[0] = mc_version; mc[1] = mc_iret; mc[2] = mc_version;
    mc_iret_case(&c, "[version, iret, version]", mc, 3, 1, MC_MARK_RAX, MC_IF_CLEAR, version);
    mc[0] = mc_version; mc[1] = mc_iret; mc[2] = mc_version;
    mc_iret_case(&c, "[version, iret rax 0, version]", mc, 3, 1, 0, MC_IF_CLEAR, version);
    mc[0] = mc_iret; mc[1] = mc_version;
    mc_iret_case(&c, "[iret, version]", mc, 2, 0, MC_MARK_RAX, MC_IF_CLEAR, version);
    mc[0] = mc_version; mc[1] = mc_iret; mc[2] = mc_version;
    mc_iret_case(&c, "[version, iret IF set, version]", mc, 3, 1, MC_MARK_RAX, MC_IF_SET,
                 version);
    return hg_cases_verdict(&c);
}
