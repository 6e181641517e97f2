/* SPDX-License-Identifier: MIT */
/*
 * traps.c - the kernel's exception handling: gate table, entry points,
 *           dispatch, the fixup table.
 * Owns:    trap_gates[] (the kernel's IDT), trap_last, the handling policy:
 *          #NM clears TS and retries; #BP and the DPL-3 software interrupt
 *          return past the instruction; any other fault resumes at its fixup,
 *          else abandons the innermost probe_call() (the probe returns 1),
 *          else is fatal.  An exception in user mode sends its signal:
 *          a handler runs (kernel/signal.c), else the process dies
 *          (user_trap() -> proc_fault()).
 *          The failsafe callback is fatal (failsafe_dispatch()); the event
 *          callback does not come here (entry.S calls evtchn_do_upcall()).
 * Touches: pv_ops.load_idt, pv_ops.set_entry, pv_ops.read_cr2,
 *          pv_ops.fpu_set_ts; entry.S builds the frames.
 * Trusts:  the frame: the hypervisor wrote it.
 */
#include <kernel.h>
#include <proc.h>
#include <signal.h>
#include <asm/fixup.h>
#include <asm/pvops.h>
#include <asm/traps.h>

volatile struct trap_record trap_last;

/* Exceptions, then the two software-interrupt gates. */
static struct trap_gate trap_gates[X86_NR_EXCEPTIONS + 2];

static const char *const exception_names[X86_NR_EXCEPTIONS] = {
    "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO",
    "#TS", "#NP", "#SS", "#GP", "#PF", "#SPV", "#MF", "#AC", "#MC", "#XM",
};

const char *trap_name(unsigned long vector)
{
    if (vector < X86_NR_EXCEPTIONS)
        return exception_names[vector];
    switch (vector) {
    case SOFTINT_VECTOR_USER:      return "int 0x80";
    case SOFTINT_VECTOR_KERNEL:    return "int 0x81";
    case CALLBACK_VECTOR_EVENT:    return "event callback";
    case CALLBACK_VECTOR_FAILSAFE: return "failsafe callback";
    case CALLBACK_VECTOR_SYSCALL:  return "syscall callback";
    }
    return "?";
}

/* int3 and into must work from the kernel, which runs in ring 3. */
static uint8_t exception_dpl(unsigned int vector)
{
    return (vector == X86_EXC_BP || vector == X86_EXC_OF) ? GATE_DPL_USER
                                                          : GATE_DPL_KERNEL;
}

/* Build the gate table and hand it to the platform; failure is fatal. */
void trap_init(void)
{
    size_t n = 0;
    unsigned int v;
    long rc;

    for (v = 0; v < X86_NR_EXCEPTIONS; v++)
        trap_gates[n++] = (struct trap_gate){ v, exception_dpl(v), trap_entry_table[v] };
    trap_gates[n++] = (struct trap_gate){ SOFTINT_VECTOR_USER, GATE_DPL_USER,
                                          trap_entry_softint_user };
    trap_gates[n++] = (struct trap_gate){ SOFTINT_VECTOR_KERNEL, GATE_DPL_KERNEL,
                                          trap_entry_softint_kernel };
    rc = pv_ops.load_idt(trap_gates, n);
    if (rc)
        panic("installing the trap table failed: %ld", rc);
}

/* Register the event, failsafe and syscall entry points; failure is fatal. */
void entry_init(void)
{
    static const struct { enum kernel_entry which; void (*fn)(void); const char *name; }
    entries[] = {
        { KERNEL_ENTRY_EVENT,    event_callback_entry,    "event" },
        { KERNEL_ENTRY_FAILSAFE, failsafe_callback_entry, "failsafe" },
        { KERNEL_ENTRY_SYSCALL,  syscall_callback_entry,  "syscall" },
    };
    size_t i;
    long rc;

    for (i = 0; i < ARRAY_SIZE(entries); i++) {
        rc = pv_ops.set_entry(entries[i].which, entries[i].fn);
        if (rc)
            panic("registering the %s callback failed: %ld", entries[i].name, rc);
    }
}

extern const struct fixup_entry __start_ex_table[], __stop_ex_table[];

unsigned long fixup_search(unsigned long rip)
{
    const struct fixup_entry *e;

    for (e = __start_ex_table; e < __stop_ex_table; e++)
        if (e->fault_rip == rip)
            return e->resume_rip;
    return 0;
}

static struct probe_ctx *probe_active;

/* Run fn(arg); 1 if an exception abandoned it (see testapi.h), else 0. */
int probe_call(void (*fn)(void *), void *arg, struct probe_fault *fault)
{
    struct probe_ctx ctx = { .fault = fault, .outer = probe_active };
    long faulted;

    probe_active = &ctx;
    faulted = probe_enter(&ctx, fn, arg);
    probe_active = ctx.outer;
    return faulted != 0;
}

/* Make the trap return look like probe_enter() returning 1. */
static bool probe_recover(struct trap_frame *f)
{
    struct probe_ctx *p = probe_active;

    if (!p || f->vector >= CALLBACK_VECTOR_EVENT)
        return false;
    if (p->fault)
        *p->fault = (struct probe_fault){ f->vector, f->error_code, f->rip,
                                          trap_last.cr2 };
    f->rbx = p->rbx; f->rbp = p->rbp;
    f->r12 = p->r12; f->r13 = p->r13; f->r14 = p->r14; f->r15 = p->r15;
    f->rsp = p->rsp;
    f->rip = p->rip;
    f->rax = 1;
    return true;
}

static void trap_record(const struct trap_frame *f)
{
    trap_last.vector = f->vector;
    trap_last.error_code = f->error_code;
    trap_last.rip = f->rip;
    trap_last.cs = f->cs;
    trap_last.rflags = f->rflags;
    trap_last.cr2 = f->vector == X86_EXC_PF ? pv_ops.read_cr2() : 0;
    trap_last.count++;
}

static void __noreturn trap_fatal(const struct trap_frame *f)
{
    printk("pvkernel: unhandled %s (vector %#lx) error %#lx\n",
           trap_name(f->vector), f->vector, f->error_code);
    printk("  rip %#lx cs %#lx rflags %#lx rsp %#lx ss %#lx cr2 %#lx\n",
           f->rip, f->cs, f->rflags, f->rsp, f->ss, trap_last.cr2);
    printk("  rax %#lx rbx %#lx rcx %#lx rdx %#lx rsi %#lx rdi %#lx\n",
           f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi);
    panic("fatal trap");
}

uint64_t failsafe_segments[4];

/*
 * The failsafe callback: returning to this kernel, the hypervisor could
 * not reload the data segment selectors (ds, es, fs, gs) it keeps for it,
 * so it entered here with their values in the frame.  pvkernel loads no
 * segments of its own, so this is a bug: fatal, with the reason.  (A bad
 * cs or ss in an iret frame is not a failsafe: Xen 4.17 bounces it as a
 * #GP whose error code is the selector.)
 */
void failsafe_dispatch(struct trap_frame *f)
{
    trap_record(f);
    printk("pvkernel: failsafe callback: the hypervisor could not reload the "
           "segment selectors ds %#lx es %#lx fs %#lx gs %#lx returning to "
           "rip %#lx\n", failsafe_segments[0], failsafe_segments[1],
           failsafe_segments[2], failsafe_segments[3], f->rip);
    trap_fatal(f);
}

/* Lazy FPU: whoever set TS wanted to know about the next FPU instruction;
 * clear TS and let the instruction run again. */
static void do_device_not_available(void)
{
    long rc = pv_ops.fpu_set_ts(0);

    if (rc)
        panic("clearing CR0.TS failed: %ld", rc);
}

/*
 * An exception in user mode is the program's, never the kernel's: it sends
 * the signal Linux would (arch/x86/kernel/traps.c, fault.c), with its
 * si_code and si_addr.  A handler installed and not blocked runs on the
 * way back (kernel/signal.c); otherwise, as Linux's force_sig, the process
 * dies with the message Linux prints.
 */
static void user_trap(const struct trap_frame *f)
{
    static const struct { int sig, code; const char *what; } map[X86_NR_EXCEPTIONS] = {
        [X86_EXC_DE] = { SIGFPE,  FPE_INTDIV, "trap divide error" },
        [X86_EXC_DB] = { SIGTRAP, TRAP_BRKPT, "trap debug" },
        [X86_EXC_BP] = { SIGTRAP, SI_KERNEL,  "trap int3" },
        [X86_EXC_OF] = { SIGSEGV, SI_KERNEL,  "trap overflow" },
        [X86_EXC_BR] = { SIGSEGV, SI_KERNEL,  "trap bounds" },
        [X86_EXC_UD] = { SIGILL,  ILL_ILLOPN, "trap invalid opcode" },
        [X86_EXC_NP] = { SIGBUS,  SI_KERNEL,  "trap segment not present" },
        [X86_EXC_SS] = { SIGBUS,  SI_KERNEL,  "trap stack segment" },
        [X86_EXC_GP] = { SIGSEGV, SI_KERNEL,  "general protection fault" },
        [X86_EXC_PF] = { SIGSEGV, SEGV_MAPERR, "page fault" },
        [X86_EXC_MF] = { SIGFPE,  0,          "trap coprocessor error" },
        [X86_EXC_AC] = { SIGBUS,  BUS_ADRALN, "trap alignment check" },
        [X86_EXC_XM] = { SIGFPE,  0,          "trap simd exception" },
    };
    struct ksiginfo ki = { .signo = SIGSEGV, .code = SI_KERNEL,
                           .trapno = f->vector, .err = f->error_code };
    const char *what = "trap";

    if (f->vector < X86_NR_EXCEPTIONS && map[f->vector].sig) {
        ki.signo = map[f->vector].sig;
        ki.code = map[f->vector].code;
        what = map[f->vector].what;
    } else if (f->vector == SOFTINT_VECTOR_USER) {
        what = "int 0x80 (no 32-bit system calls)";
        ki.trapno = X86_EXC_GP;         /* what Linux's frame would say */
    }
    switch (f->vector) {
    case X86_EXC_PF:
        /* present: a protection fault; not present: no mapping. */
        ki.code = (f->error_code & 1) ? SEGV_ACCERR : SEGV_MAPERR;
        ki.addr = ki.cr2 = trap_last.cr2;
        break;
    case X86_EXC_DE: case X86_EXC_UD:
        ki.addr = f->rip;
        break;
    }
    if (signal_fault(proc_current(), &ki))
        return;
    proc_fault(ki.signo, what, f->rip, f->rsp,
               f->vector == X86_EXC_PF ? trap_last.cr2 : ~0UL, f->error_code);
}

static bool from_user_mode(const struct trap_frame *f)
{
    return proc_current() && (f->cs & SELECTOR_RPL_MASK) == 3 &&
           f->vector < CALLBACK_VECTOR_EVENT;
}

void trap_dispatch(struct trap_frame *f)
{
    unsigned long resume;

    trap_record(f);
    /* A write to a copy-on-write page (present, write, user): copy it
     * and retry the instruction. */
    if (f->vector == X86_EXC_PF && from_user_mode(f) && (f->error_code & 7) == 7 &&
        !uspace_cow_break(&proc_current()->us, trap_last.cr2))
        return;
    if (f->vector != X86_EXC_NM && from_user_mode(f)) {
        user_trap(f);
        /* Its handler's frame (the trap returns with a full iret). */
        signal_user_return(f, -1);
        return;
    }
    switch (f->vector) {
    case X86_EXC_NM:
        do_device_not_available();
        return;
    case X86_EXC_BP:                /* traps: rip is past the instruction */
    case SOFTINT_VECTOR_USER:
        return;
    }
    resume = fixup_search(f->rip);
    if (resume)
        f->rip = resume;
    else if (!probe_recover(f))
        trap_fatal(f);
}

/* One access each; a fault resumes at 2 with trap_last telling what. */
static int probe_one(unsigned long before, struct probe_fault *f)
{
    if (trap_last.count == before)
        return 0;
    if (f)
        *f = (struct probe_fault){ trap_last.vector, trap_last.error_code,
                                   trap_last.rip, trap_last.cr2 };
    return 1;
}

int probe_read64(const volatile void *va, uint64_t *val, struct probe_fault *f)
{
    unsigned long before = trap_last.count;
    uint64_t v = 0;

    asm volatile("1: movq (%1), %0\n2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+r"(v) : "r"(va) : "memory");
    if (val)
        *val = v;
    return probe_one(before, f);
}

int probe_write64(volatile void *va, uint64_t val, struct probe_fault *f)
{
    unsigned long before = trap_last.count;

    asm volatile("1: movq %1, (%0)\n2:\n" FIXUP_ENTRY(1b, 2b)
                 :: "r"(va), "r"(val) : "memory");
    return probe_one(before, f);
}
