/* SPDX-License-Identifier: MIT */
/*
 * traps.c - what happens after entry.S saved a frame.
 * Owns:    the dispatch of exceptions and interrupts (do_trap), the
 *          syscall cases entry.S leaves to C (do_guest_hypercall,
 *          do_guest_hypercall_exit), the exit path to a guest
 *          (exit_to_guest), the hypervisor's exception fixups, register
 *          dumps, and stopping the machine.
 * Touches: the running vCPU's frame; PV work is delegated to pv/traps.c
 *          (bouncing) and pv/emulate.c (privileged instructions).
 * Trusts:  nothing in a guest frame.
 */
#define LOG_PREFIX "traps"
#include "arch.h"
#include "asm_offsets.h"
#include "bug.h"
#include "console.h"
#include "debugreg.h"
#include "domain.h"
#include "flushtlb.h"
#include "frame.h"
#include "apic.h"
#include "time.h"
#include "timer.h"
#include "entry.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "page.h"
#include "panic.h"
#include "percpu.h"
#include "processor.h"
#include "guest_access.h"
#include "pv.h"
#include "sched_credit.h"

_Static_assert(__builtin_offsetof(struct cpu_user_regs, r14) == UREGS_r14, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, r13) == UREGS_r13, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, r12) == UREGS_r12, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rbp) == UREGS_rbp, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rbx) == UREGS_rbx, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rax) == UREGS_rax, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, r11) == UREGS_r11, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, r10) == UREGS_r10, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, r9) == UREGS_r9, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, r8) == UREGS_r8, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rcx) == UREGS_rcx, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rdx) == UREGS_rdx, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rsi) == UREGS_rsi, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rdi) == UREGS_rdi, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, error_code) == UREGS_error_code, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, entry_vector) == UREGS_entry_vector, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rip) == UREGS_rip, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, cs) == UREGS_cs, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rflags) == UREGS_rflags, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, rsp) == UREGS_rsp, "asm_offsets");
_Static_assert(__builtin_offsetof(struct cpu_user_regs, ss) == UREGS_ss, "asm_offsets");
/* The hypercall fast path's view of the structures (entry.S). */
_Static_assert(__builtin_offsetof(struct cpu_info, current_vcpu) == CPUINFO_current_vcpu, "asm_offsets");
_Static_assert(__builtin_offsetof(struct vcpu, domain) == VCPU_domain, "asm_offsets");
_Static_assert(__builtin_offsetof(struct vcpu, vcpu_info) == VCPU_vcpu_info, "asm_offsets");
_Static_assert(__builtin_offsetof(struct vcpu, kernel_mode) == VCPU_kernel_mode, "asm_offsets");
_Static_assert(__builtin_offsetof(struct vcpu, exit_flags) == VCPU_exit_flags, "asm_offsets");
_Static_assert(sizeof(((struct vcpu *)0)->exit_flags) == 4 &&
               __builtin_offsetof(struct vcpu, blocked) == VCPU_exit_flags &&
               __builtin_offsetof(struct vcpu, db_pending) == VCPU_exit_flags + 3,
               "the vCPU's exit flags are the four bytes of exit_flags");
_Static_assert(__builtin_offsetof(struct domain, state) == DOMAIN_state &&
               __builtin_offsetof(struct domain, pause_count) == DOMAIN_state + 4 &&
               sizeof(enum domain_state) == 4 && DOMAIN_RUNNING == 0,
               "state and pause_count: one 8-byte word, 0 when the domain may run");
_Static_assert(__builtin_offsetof(struct domain, hc_stats) == DOMAIN_hc_stats, "asm_offsets");
_Static_assert(__builtin_offsetof(struct hypercall_stats, reuse_flushes) == 0 &&
               __builtin_offsetof(struct hypercall_stats, calls) == HCSTATS_calls &&
               sizeof(struct hypercall_stats) == 2 * sizeof(struct hypercall),
               "entry.S: a row's address is its reuse_flushes, rows twice the table's");
_Static_assert(__builtin_offsetof(struct hypercall, fn) == HYPERCALL_fn &&
               sizeof(struct hypercall) == 16, "entry.S indexes hypercall_table by nr << 4");
_Static_assert(__builtin_offsetof(struct sched_cpu, need_resched) == SCHED_CPU_need_resched, "asm_offsets");
/* entry.S reads CPU 0's need_resched (and timer_softirq_pending, one for
 * the machine): with SMP, both become per-CPU there as here. */
_Static_assert(NR_CPUS == 1, "entry.S's exit check knows one CPU");
_Static_assert(__builtin_offsetof(struct vcpu_info, evtchn_upcall_pending) == VCPUINFO_upcall_pending &&
               __builtin_offsetof(struct vcpu_info, evtchn_upcall_mask) == VCPUINFO_upcall_mask,
               "asm_offsets");

#define ISA_DEBUG_EXIT_WIDTH 4
#define ACPI_PM1A_CNT_QEMU   0x604    /* PIIX4 PM on QEMU's pc machine */
#define ACPI_SLP_EN          0x2000
#define RESET_CF9_PORT       0xcf9
#define RESET_CF9_HARD       0x06
#define KBD_STATUS_PORT      0x64
#define KBD_CMD_RESET        0xfe
#define STACK_TRACE_DEPTH    16
#define GUEST_STACK_WORDS    16   /* words of a crashed guest's stack shown */

struct ex_table_entry { uint64_t insn, fixup; };
extern const struct ex_table_entry __start_ex_table[], __stop_ex_table[];

static const char *const trap_names[TRAP_nr] = {
    "#DE divide error", "#DB debug", "NMI", "#BP int3", "#OF overflow",
    "#BR bounds", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor segment overrun", "#TS invalid TSS",
    "#NP segment not present", "#SS stack fault", "#GP general protection",
    "#PF page fault", "spurious", "#MF x87 error", "#AC alignment check",
    "#MC machine check", "#XM SIMD error", "#VE virtualisation",
};

const char *trap_name(unsigned int vec)
{
    return vec < TRAP_nr && trap_names[vec] ? trap_names[vec] : "interrupt";
}

static bool guest_mode(const struct cpu_user_regs *regs)
{
    return (regs->cs & 3) != 0;
}

static bool search_ex_table(struct cpu_user_regs *regs)
{
    for (const struct ex_table_entry *e = __start_ex_table; e < __stop_ex_table; e++)
        if (e->insn == regs->rip) {
            regs->rip = e->fixup;
            return true;
        }
    return false;
}

static void show_regs(const struct cpu_user_regs *r)
{
    printk("RIP: %04x:%016lx RFLAGS: %016lx RSP: %04x:%016lx\n",
           (unsigned int)r->cs, r->rip, r->rflags, (unsigned int)r->ss, r->rsp);
    if (r->entry_vector == TRAP_syscall && r->error_code == UREGS_PARTIAL) {
        /* Inside a hypercall: rbx, rbp, r12-r15 live in the hypervisor's
         * own frames (the lean entry does not save them). */
        printk("RAX: %016lx RCX: %016lx RDX: %016lx\n", r->rax, r->rcx, r->rdx);
        printk("RSI: %016lx RDI: %016lx R8:  %016lx\n", r->rsi, r->rdi, r->r8);
        printk("R9:  %016lx R10: %016lx R11: %016lx\n", r->r9, r->r10, r->r11);
        printk("RBX RBP R12-R15: not saved (inside a hypercall)\n");
    } else {
        printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
        printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
        printk("RBP: %016lx R8:  %016lx R9:  %016lx\n", r->rbp, r->r8, r->r9);
        printk("R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
        printk("R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
    }
    printk("vector %u (%s), error code %#x\n", r->entry_vector,
           r->entry_vector == TRAP_syscall ? "syscall" : trap_name(r->entry_vector),
           r->error_code);
}

/*
 * As Xen's show_guest_stack(): the words at the guest's %rsp, read through
 * its own page tables (v is running here), so that a crash dump names the
 * caller of the function that faulted. Stops at the first word that does
 * not read.
 */
static void show_guest_stack(const struct cpu_user_regs *r)
{
    uint64_t word;

    printk("guest stack from rsp %016lx:", r->rsp);
    for (unsigned int i = 0; i < GUEST_STACK_WORDS; i++) {
        if (copy_from_guest(&word, r->rsp + i * sizeof(word), sizeof(word))) {
            printk(" (not readable)");
            break;
        }
        printk("%s%016lx", i % 4 ? " " : "\n  ", word);
    }
    printk("\n");
}

void arch_show_guest_registers(const struct vcpu *v,
                               const struct cpu_user_regs *regs)
{
    printk("d%uv%u in %s mode; CR2 %016lx, CR3 (kernel) mfn %#lx, "
           "upcall mask %u\n", v->domain->domain_id, v->vcpu_id,
           v->kernel_mode ? "kernel" : "user", v->vcpu_info->arch.cr2,
           mfn_x(v->guest_table), v->vcpu_info->evtchn_upcall_mask);
    show_regs(regs);
    if (v == current)
        show_guest_stack(regs);
}

/*
 * Walk the frame pointers, only inside this CPU's stack block: each frame
 * (saved %rbp, return address) must be 8-byte aligned, above the previous
 * one (the first above %rsp) and below cpu_info. Any other %rbp, such as
 * a guest's (the first frame after an entry from a guest saves it), is
 * never dereferenced: it ends the trace with a note.
 */
static void stack_trace(uint64_t rbp)
{
    const uint64_t frame_size = 2 * sizeof(uint64_t);
    uint64_t lo = read_rsp(), hi = (uint64_t)get_cpu_info();

    printk("stack trace (frame pointers):\n");
    for (unsigned int i = 0; rbp; i++) {
        const uint64_t *frame = (const uint64_t *)rbp;

        if ((rbp & 7) || rbp < lo || rbp > hi - frame_size) {
            printk("  (frame pointer %016lx is outside this stack: trace "
                   "ends)\n", rbp);
            return;
        }
        if (i == STACK_TRACE_DEPTH) {
            printk("  (deeper frames not shown)\n");
            return;
        }
        if (!frame[1])
            return;
        printk("  [%016lx]\n", frame[1]);
        lo = rbp + frame_size;          /* the caller's frame is above */
        rbp = frame[0];
    }
}

static const struct cpu_user_regs *panic_regs;

void arch_show_hypervisor_state(void)
{
    uint64_t rbp;

    if (panic_regs) {
        show_regs(panic_regs);
        rbp = panic_regs->rbp;
        printk("CR0 %016lx CR2 %016lx CR3 %016lx CR4 %016lx\n",
               read_cr0(), read_cr2(), read_cr3(), read_cr4());
        /* Why a fetch or access faulted: user, rw and nx at each level
         * (what an SMEP or NX fault, error code 0x11, comes down to). */
        if (panic_regs->entry_vector == TRAP_page_fault)
            show_page_walk(read_cr2());
    } else {
        asm volatile("mov %%rbp, %0" : "=r"(rbp));
    }
    stack_trace(rbp);
}

static void __attribute__((noreturn)) fatal_trap(const struct cpu_user_regs *regs)
{
    panic_regs = regs;
    panic("%s in the hypervisor at %#lx", trap_name(regs->entry_vector),
          regs->rip);
}

/* Faults that an access on a guest's behalf can raise (entry.S fixups). */
static bool vector_may_fixup(unsigned int vec)
{
    return vec == TRAP_page_fault || vec == TRAP_gp_fault ||
           vec == TRAP_no_segment || vec == TRAP_stack_error ||
           vec == TRAP_invalid_tss;
}

/* What sent each CPU to its last fixup (the iretq's passes it on). */
static struct {
    unsigned int vector;
    uint32_t error_code;
} fixup_fault[NR_CPUS];

void last_fixup_fault(unsigned int *vector, uint32_t *error_code)
{
    *vector = fixup_fault[smp_processor_id()].vector;
    *error_code = fixup_fault[smp_processor_id()].error_code;
}

static void hypervisor_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    /* The CPU reading a guest's LDT, for a selector we load for it. */
    if (vec == TRAP_page_fault && pv_ldt_page_fault(regs, read_cr2()))
        return;
    if (vector_may_fixup(vec)) {
        fixup_fault[smp_processor_id()].vector = vec;
        fixup_fault[smp_processor_id()].error_code = regs->error_code;
        if (search_ex_table(regs))
            return;
    }
    if (vec == TRAP_nmi) {
        log_warn("NMI in the hypervisor at %#lx, ignored", regs->rip);
        return;
    }
    fatal_trap(regs);
}

/*
 * An interrupt, from a guest or from the idle loop's hlt: the local APIC's
 * timer runs the timers due (which raise the guests' VIRQ_TIMER; the way
 * back to a guest delivers them). The PICs are masked, so anything else is
 * spurious.
 */
static void do_irq(unsigned int vec)
{
    if (vec == APIC_TIMER_VECTOR) {
        apic_eoi();
        timer_softirq();
    } else if (vec != APIC_SPURIOUS_VECTOR) {
        log_debug("spurious interrupt %u", vec);
    }
}

void do_trap(struct cpu_user_regs *regs)
{
    unsigned int vec = regs->entry_vector;

    if (vec >= FIRST_IRQ_VECTOR) {
        do_irq(vec);
        return;
    }
    if (vec == TRAP_debug) {            /* from a guest or not: debugreg.c */
        do_debug(regs);
        return;
    }
    if (!guest_mode(regs)) {
        hypervisor_trap(regs);
        return;
    }
    switch (vec) {
    case TRAP_nmi:
        log_warn("NMI while d%u ran, ignored", current->domain->domain_id);
        return;
    case TRAP_double_fault:
    case TRAP_machine_check:
        fatal_trap(regs);
    default:            /* pv_handle_guest_trap(), and #DB after emulation */
        debugreg_guest_trap(current, regs);
    }
}

/*
 * Has the way back to v work beyond restoring registers? What
 * exit_to_guest() would do: timers due, the scheduler, a vCPU that may
 * not run, a deferred #DB, a virtual NMI, an event upcall. The hypercall
 * fast path (entry.S, "the exit check") asks the same in assembly, with
 * the same loads: a reason added here goes there too.
 */
static inline bool exit_work_pending(const struct vcpu *v)
{
    const struct vcpu_info *vi = v->vcpu_info;
    /* One OR of flags rather than a branch each: !vcpu_may_run(v) spelt
     * out (blocked, down, the domain's state and pause count), and the
     * rest of exit_to_guest()'s conditions. */
    unsigned int work = timer_softirq_pending | sched_resched_pending() |
                        (v->domain->state != DOMAIN_RUNNING) |
                        (v->domain->pause_count != 0) | (v->exit_flags != 0);

    return work || (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask);
}

/*
 * The syscall entry's cases that entry.S leaves to C: a user's system
 * call (bounced to its kernel), a number with no handler. a0..a4 are
 * the guest's rdi, rsi, rdx, r10, r8 as they came, nr its rax. The frame
 * holds every register but rbx, rbp and r12-r15 (UREGS_PARTIAL), which
 * nothing reads before entry.S writes them on the slow way out. Returns whether that slow way
 * (exit_to_guest()) is needed; the result is in the frame's rax.
 */
bool do_guest_hypercall(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                        uint64_t a4, uint64_t nr)
{
    struct vcpu *v = current;
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    bool tf_before = regs->rflags & X86_EFLAGS_TF;

    if (!v->kernel_mode) {
        pv_bounce_syscall(v, regs, false);
        return exit_work_pending(v);
    }
    /* The number is range-checked (saturated for the counters) inside. */
    regs->rax = (uint64_t)hypercall_dispatch_args(v, nr, a0, a1, a2, a3, a4);
    /* TF at the syscall, or set by an iret: Xen's sysret would step. */
    if (__builtin_expect(regs->rflags & X86_EFLAGS_TF, 0)) {
        debugreg_hypercall_step(v, regs, hypercall_nr(nr), tf_before);
        return true;
    }
    return exit_work_pending(v);
}

/*
 * entry.S's fast path ran the handler and found work on the way out: rc
 * into the frame, where the number still is, and the #DB of a step over
 * the syscall if TF is set now (at the syscall, or by an iret). Whether
 * it was set at the syscall is in the rbx slot, which holds the rflags
 * the syscall came with until entry.S writes rbx there (a multicall's
 * iret entry may have set TF where the syscall had none).
 * exit_to_guest() follows.
 */
void do_guest_hypercall_exit(long rc)
{
    struct cpu_user_regs *regs = guest_cpu_user_regs();
    uint64_t nr = regs->rax;
    bool tf_before = regs->rbx & X86_EFLAGS_TF;     /* the syscall's rflags */

    regs->rax = (uint64_t)rc;
    if (__builtin_expect(regs->rflags & X86_EFLAGS_TF, 0))
        debugreg_hypercall_step(current, regs, hypercall_nr(nr), tf_before);
}

void do_guest_syscall32(struct cpu_user_regs *regs)
{
    pv_bounce_syscall(current, regs, true);
}

/*
 * Last stop before RESTORE_ALL/iretq to a guest: run the timers set
 * already due, let the scheduler switch if a slice ended, a vCPU woke
 * that should preempt this one, or this one may not run; then deliver a
 * pending event upcall.
 */
void exit_to_guest(struct cpu_user_regs *regs)
{
    struct vcpu *v = current;

    if (timer_softirq_pending)
        timer_softirq();
    if (sched_resched_pending() || !vcpu_runnable(v))
        schedule();                 /* returns only if v keeps the CPU */
    debugreg_deliver_pending(v, regs);
    pv_deliver_events(v, regs);
    if (!vcpu_runnable(v))          /* delivering may crash the domain */
        schedule();
}


uint64_t arch_cycles(void)
{
    return rdtsc();
}

void arch_machine_stop(unsigned int exit_value, bool reboot)
{
    local_irq_disable();
    if (opt_debug_exit)
        outl((uint16_t)opt_debug_exit, exit_value);
    if (reboot && !opt_noreboot) {
        printk("Rebooting the machine.\n");
        outb(RESET_CF9_PORT, RESET_CF9_HARD);
        outb(KBD_STATUS_PORT, KBD_CMD_RESET);
    } else if (!reboot && exit_value != EXIT_VALUE_PANIC) {
        outw(ACPI_PM1A_CNT_QEMU, ACPI_SLP_EN);
    }
    printk("Machine halted.\n");
    for (;;)
        halt();
}

#define SYSCALL_INSN_LEN 2      /* 0f 05 */

void arch_hypercall_continuation(struct vcpu *v, unsigned int nr,
                                 const uint64_t args[5])
{
    struct cpu_user_regs *regs = guest_cpu_user_regs();

    (void)v;
    regs->rip -= SYSCALL_INSN_LEN;
    regs->rdi = args[0];
    regs->rsi = args[1];
    regs->rdx = args[2];
    regs->r10 = args[3];
    regs->r8 = args[4];
    regs->rax = nr;
}

void arch_enter_idle_page_table(void)
{
    switch_cr3(idle_pg_table_mfn << PAGE_SHIFT);
}

/* Nothing to run: wait for an interrupt (none are enabled yet). */
void arch_idle(void)
{
    console_poll_input();
    safe_halt();
}
