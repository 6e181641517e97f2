/* SPDX-License-Identifier: MIT */
/*
 * debugreg_vcpu_initialise - the debugreg[] and CR4.DE of a context given
 * to VCPUOP_initialise, and a breakpoint that belongs to one vCPU only.
 * Rule: as Xen's arch_set_info_guest(), the new vCPU's debug registers go
 * back to their defaults and then take each value set_debugreg() accepts
 * (DR0-3, DR6, DR7 in that order, checked against the context's CR4.DE);
 * a refused value is ignored, never an error, and debugreg[4]/[5] are not
 * used. A vCPU's armed DR7 is loaded when it runs (it was initialised
 * while another vCPU ran) and never fires for another vCPU.
 *
 * Booted with dom0_max_vcpus=3 (hostile_hv_args, tests/boot/meson.build).
 * vCPU 1: DR0 0x1000, DR1 in Xen's range, DR2 0x3000, DR3 ~0, DR4/5
 * junk, DR6 0x4001, DR7 a write watchpoint plus an I/O breakpoint (no
 * CR4.DE); vCPU 2: CR4.DE, DR0 a variable it then writes, DR7 the same
 * watchpoint and I/O breakpoint. Each reads DR0-7 with get_debugreg first.
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, dom0_max_vcpus=3;
 * arch/x86/domain.c arch_set_info_guest()): initialise 0 and up 0 for
 * both; vCPU 1 reads 0x1000, 0, 0x3000, ~0, DR6 0xffff4ff1 (twice, DR4
 * aliases it), DR7 0x400 (twice: refused); vCPU 2 reads its DR0, 0, 0, 0,
 * -ENODEV for DR4 and DR5, DR6 0xffff0ff0 and DR7 whole; its store takes
 * one #DB (rip after the store) and DR6 becomes 0xffff0ff1; vCPU 0's own
 * store to the same variable takes none.
 * Undo: both vCPUs down (they block after reporting).
 */
#include "hostile_debugreg.h"
#include "hostile_time.h"

#define SECONDARY_SIZE 8192
#define WAIT_NS (2000 * HG_MS)

struct dbgi_secondary {
    uint32_t id;
    volatile uint32_t ran;
    volatile long dr[8];            /* get_debugreg(0..7) first thing */
    volatile long dr6_after;        /* vCPU 2: after its store        */
    volatile uint64_t db_count;     /* #DBs its handler took          */
    volatile uint64_t db_rip;
    uint8_t stack[SECONDARY_SIZE - 96];
} __attribute__((aligned(SECONDARY_SIZE)));
_Static_assert(sizeof(struct dbgi_secondary) == SECONDARY_SIZE, "secondary block");
_Static_assert(offsetof(struct dbgi_secondary, db_count) == 80 &&
               offsetof(struct dbgi_secondary, db_rip) == 88, "the stubs' offsets");

static struct dbgi_secondary secondaries[3];
static struct vcpu_guest_context ctxt;     /* 5 KiB: not on the stack */
static volatile uint32_t watched __attribute__((aligned(8)));

void dbgi_entry(void);
void dbgi_db(void);
void dbgi_callback(void);
void dbgi_main(struct dbgi_secondary *s);
void dbgi_idle(struct dbgi_secondary *s);
extern const char dbgi_store_after[];

/*
 * dbgi_entry: rdi = its block. dbgi_db: count the #DB in the block the
 * stack is in, note its rip, return. dbgi_callback: idle on a fresh stack.
 * dbgi_store: the store vCPU 2 makes to the watched variable.
 */
asm(".pushsection .text\n"
    "dbgi_entry:\n"
    "    call dbgi_main\n"
    "    ud2\n"
    "dbgi_db:\n"
    "    pop %rcx; pop %r11\n"
    "    push %rax; push %rbx\n"
    "    mov %rsp, %rax\n"
    "    and $-8192, %rax\n"
    "    incq 80(%rax)\n"
    "    mov 16(%rsp), %rbx\n"
    "    mov %rbx, 88(%rax)\n"
    "    pop %rbx; pop %rax\n"
    "    jmp pv_iret\n"
    "dbgi_callback:\n"
    "    mov %rsp, %rdi\n"
    "    and $-8192, %rdi\n"
    "    lea 8192(%rdi), %rsp\n"
    "    call dbgi_idle\n"
    "    ud2\n"
    ".globl dbgi_store, dbgi_store_after\n"
    "dbgi_store:\n"
    "    movl $1, watched(%rip)\n"
    "dbgi_store_after:\n"
    "    ret\n"
    ".popsection\n");

void dbgi_store(void);

void dbgi_idle(struct dbgi_secondary *s)
{
    hg_vcpu_block_forever(s->id);
}

void dbgi_main(struct dbgi_secondary *s)
{
    for (unsigned int i = 0; i < 8; i++)
        s->dr[i] = dbg_get(i);
    if (s->id == 2) {
        dbgi_store();
        s->dr6_after = dbg_get(6);
    }
    s->ran = 1;
    dbgi_idle(s);
}

static unsigned long watch_and_io(void)
{
    return DBG_DR7_BP(0, DBG_RW_WRITE, DBG_LEN_4) | DBG_DR7_BP(1, DBG_RW_IO, DBG_LEN_1) |
           DBG_DR7_DEFAULT;
}

static struct vcpu_guest_context *context(unsigned int id)
{
    struct dbgi_secondary *s = &secondaries[id];
    uint64_t top = (uint64_t)s + SECONDARY_SIZE;

    memset(s, 0, sizeof(*s));
    s->id = id;
    hg_vcpu_context(&ctxt, dbgi_entry, top, (uint64_t)s, dbgi_callback);
    ctxt.trap_ctxt[X86_EXC_DB] = (struct trap_info){
        .vector = X86_EXC_DB, .cs = FLAT_KERNEL_CS, .address = (uint64_t)dbgi_db };
    if (id == 1) {
        const unsigned long dr[8] = { 0x1000, DBG_XEN_START, 0x3000, ~0UL,
                                      0x99, 0x77, 0x4001, watch_and_io() };
        memcpy(ctxt.debugreg, dr, sizeof(dr));
    } else {
        ctxt.ctrlreg[4] = DBG_CR4_DE;
        ctxt.debugreg[0] = (unsigned long)&watched;
        ctxt.debugreg[1] = 0x80;
        ctxt.debugreg[7] = watch_and_io();
    }
    return &ctxt;
}

static int reported(unsigned int id)
{
    uint64_t end = hg_now() + WAIT_NS;

    while (hg_now() < end) {
        if (secondaries[id].ran)
            return 1;
        hg_sched_op(SCHEDOP_yield, NULL);
    }
    return 0;
}

static void start(struct hg_cases *c, unsigned int id)
{
    char l[64];

    snprintf(l, sizeof(l), "vcpu %u: initialise", id);
    hg_case(c, l, hg_vcpu_op(VCPUOP_initialise, id, context(id)), 0);
    snprintf(l, sizeof(l), "vcpu %u: up", id);
    hg_case(c, l, hg_vcpu_op(VCPUOP_up, id, NULL), 0);
    snprintf(l, sizeof(l), "vcpu %u: reported", id);
    hg_case(c, l, reported(id), 1);
}

static void registers(struct hg_cases *c, unsigned int id, const long want[8])
{
    char l[64];

    for (unsigned int i = 0; i < 8; i++) {
        snprintf(l, sizeof(l), "vcpu %u: DR%u", id, i);
        hg_case(c, l, secondaries[id].dr[i], want[i]);
    }
}

const char *hostile_debugreg_vcpu_initialise(void)
{
    const long want1[8] = { 0x1000, 0, 0x3000, -1L, 0xffff4ff1L, 0x400, 0xffff4ff1L, 0x400 };
    const long want2[8] = { (long)&watched, 0x80, 0, 0, -19, -19, 0xffff0ff0L,
                            (long)watch_and_io() };
    struct hg_cases c = { 0 };

    start(&c, 1);
    registers(&c, 1, want1);
    hg_case(&c, "vcpu 1: #DBs", (long)secondaries[1].db_count, 0);
    start(&c, 2);
    registers(&c, 2, want2);
    hg_case(&c, "vcpu 2: its store: #DBs", (long)secondaries[2].db_count, 1);
    hg_case(&c, "  rip after the store", secondaries[2].db_rip == (uint64_t)dbgi_store_after, 1);
    hg_case(&c, "  DR6 (B0)", secondaries[2].dr6_after, 0xffff0ff1L);
    hg_case(&c, "vcpu 0: our #DB handler", dbg_begin(), 0);
    watched = 2;
    hg_case(&c, "vcpu 0: a store to vcpu 2's watched variable: #DBs", (long)dbg_seen.count, 0);
    hg_case(&c, "vcpu 0: DR7", dbg_get(7), (long)DBG_DR7_DEFAULT);
    hg_case(&c, "vcpu 0: teardown", dbg_end(), 0);
    hg_case(&c, "vcpu 1: down", hg_vcpu_op(VCPUOP_down, 1, NULL), 0);
    hg_case(&c, "vcpu 2: down", hg_vcpu_op(VCPUOP_down, 2, NULL), 0);
    hg_case(&c, "vcpu 2: no more #DBs", (long)secondaries[2].db_count, 1);
    return hg_cases_verdict(&c);
}
