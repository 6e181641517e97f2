/* SPDX-License-Identifier: MIT */
/*
 * viopl_vcpu_initialise - the virtual IOPL of a vCPU started with
 * VCPUOP_initialise: its context's user_regs.rflags.IOPL.
 * Rule: the IOPL bits of the context's rflags never reach the real
 * rflags; they become the new vCPU's virtual IOPL, so its kernel's cli
 * runs with IOPL 1 and raises #GP(0) with IOPL 0.
 *
 * Booted with dom0_max_vcpus=3 (hostile_hv_args, tests/boot/meson.build):
 * vCPU 1 starts with rflags IOPL 1, vCPU 2 with IOPL 0; each executes cli
 * first thing, with a #GP handler in its trap table, and reports.
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, dom0_max_vcpus=3;
 * arch/x86/domain.c arch_set_info_guest()): initialise 0 and up 0 for
 * both; vCPU 1's cli runs, vCPU 2's raises #GP(0) (error code 0, rip the
 * cli). Undo: both vCPUs down (they block after reporting).
 */
#include "hostile_time.h"
#include "hostile_viopl.h"

#define SECONDARY_SIZE 8192        /* a secondary's state and stack, aligned */
#define WAIT_NS (2000 * HG_MS)

struct vioc_secondary {
    uint32_t id;
    volatile uint32_t ran;         /* 1: its cli completed */
    volatile uint32_t gp;          /* 1: its cli raised #GP */
    volatile uint32_t gp_error;    /* ... with this error code */
    volatile uint64_t gp_rip;      /* ... at this rip */
    uint8_t stack[SECONDARY_SIZE - 24];
} __attribute__((aligned(SECONDARY_SIZE)));
_Static_assert(sizeof(struct vioc_secondary) == SECONDARY_SIZE, "secondary block");

static struct vioc_secondary secondaries[3];
static struct vcpu_guest_context ctxt;     /* 5 KiB: not on the stack */

void vioc_entry(void);
void vioc_gp(void);
void vioc_callback(void);
void vioc_idle(struct vioc_secondary *s);
extern const char vioc_cli[];

/*
 * vioc_entry: %rdi = its block; cli, then "ran". vioc_gp: the #GP frame
 * (rcx, r11, error code, rip, ...) on the block's stack: record, then
 * idle on a fresh stack. vioc_callback: events and the like: idle.
 */
asm(".pushsection .text\n"
    "vioc_entry:\n"
    ".globl vioc_cli\n"
    "vioc_cli:\n"
    "    cli\n"
    "    movl $1, 4(%rdi)\n"
    "    call vioc_idle\n"
    "    ud2\n"
    "vioc_gp:\n"
    "    mov %rsp, %rdi\n"
    "    and $-8192, %rdi\n"
    "    movl $1, 8(%rdi)\n"
    "    mov 16(%rsp), %rax\n"
    "    movl %eax, 12(%rdi)\n"
    "    mov 24(%rsp), %rax\n"
    "    mov %rax, 16(%rdi)\n"
    "    lea 8192(%rdi), %rsp\n"
    "    call vioc_idle\n"
    "    ud2\n"
    "vioc_callback:\n"
    "    mov %rsp, %rdi\n"
    "    and $-8192, %rdi\n"
    "    lea 8192(%rdi), %rsp\n"
    "    call vioc_idle\n"
    "    ud2\n"
    ".popsection\n");
_Static_assert(__builtin_offsetof(struct vioc_secondary, ran) == 4 &&
               __builtin_offsetof(struct vioc_secondary, gp) == 8 &&
               __builtin_offsetof(struct vioc_secondary, gp_error) == 12 &&
               __builtin_offsetof(struct vioc_secondary, gp_rip) == 16,
               "the stubs' offsets");

/* Block until vCPU 0 takes us down; events stay masked. */
void vioc_idle(struct vioc_secondary *s)
{
    hg_vcpu_block_forever(s->id);
}

static struct vcpu_guest_context *context(unsigned int id, unsigned int iopl)
{
    struct vioc_secondary *s = &secondaries[id];
    uint64_t top = (uint64_t)s + SECONDARY_SIZE;

    memset(s, 0, sizeof(*s));
    s->id = id;
    hg_vcpu_context(&ctxt, vioc_entry, top, (uint64_t)s, vioc_callback);
    ctxt.user_regs.rflags = VIO_RFLAGS_FIXED | VIO_IOPL(iopl);
    ctxt.trap_ctxt[X86_EXC_GP] = (struct trap_info){
        .vector = X86_EXC_GP, .cs = FLAT_KERNEL_CS, .address = (uint64_t)vioc_gp };
    return &ctxt;
}

/* Wait (yielding) until secondary id reported: 1, or 0 after WAIT_NS. */
static int reported(unsigned int id)
{
    uint64_t end = hg_now() + WAIT_NS;

    while (hg_now() < end) {
        if (secondaries[id].ran || secondaries[id].gp)
            return 1;
        hg_sched_op(SCHEDOP_yield, NULL);
    }
    return 0;
}

static void start(struct hg_cases *c, unsigned int id, unsigned int iopl)
{
    char l[64];

    snprintf(l, sizeof(l), "vcpu %u: initialise, rflags IOPL %u", id, iopl);
    hg_case(c, l, hg_vcpu_op(VCPUOP_initialise, id, context(id, iopl)), 0);
    snprintf(l, sizeof(l), "vcpu %u: up", id);
    hg_case(c, l, hg_vcpu_op(VCPUOP_up, id, NULL), 0);
    snprintf(l, sizeof(l), "vcpu %u: reported", id);
    hg_case(c, l, reported(id), 1);
}

const char *hostile_viopl_vcpu_initialise(void)
{
    struct hg_cases c = { 0 };

    start(&c, 1, 1);
    hg_case(&c, "vcpu 1 (IOPL 1): cli ran", secondaries[1].ran, 1);
    hg_case(&c, "vcpu 1: no #GP", secondaries[1].gp, 0);
    start(&c, 2, 0);
    hg_case(&c, "vcpu 2 (IOPL 0): cli ran", secondaries[2].ran, 0);
    hg_case(&c, "vcpu 2: #GP", secondaries[2].gp, 1);
    hg_case(&c, "  error code", secondaries[2].gp_error, 0);
    hg_case(&c, "  rip the cli", secondaries[2].gp_rip == (uint64_t)vioc_cli, 1);
    hg_case(&c, "vcpu 1: down", hg_vcpu_op(VCPUOP_down, 1, NULL), 0);
    hg_case(&c, "vcpu 2: down", hg_vcpu_op(VCPUOP_down, 2, NULL), 0);
    return hg_cases_verdict(&c);
}
