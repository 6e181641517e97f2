/* SPDX-License-Identifier: MIT */
/*
 * signal.c - signal delivery (include/signal.h): sending, the check on
 *            every return to user mode, Linux's x86_64 rt_sigframe,
 *            rt_sigreturn, system-call restart, the default actions.
 * Owns:    the process's pending set and siginfo, its blocked mask while
 *          a handler runs, the alternate stack's use, ITIMER_REAL's timer
 *          function.
 * Touches: the user frame (asm/traps.h: struct trap_frame at the top of the
 *          kernel stack), the user stack (uspace_copy_to/from), the FPU
 *          (arch_fpu_save/load/reset, process.c), wait_interrupt() (wait.c),
 *          proc_exit() (proc.c), timer_arm() (time.h).
 *
 * Delivery happens on the way back to user mode: at the end of every
 * system call (syscall_dispatch()), after an upcall that interrupted user
 * mode (sched_upcall_return()) and after a trap from user mode
 * (trap_dispatch()).  Each pending, unblocked signal is taken in Linux's
 * order (the synchronous fault signals first, then the lowest number):
 * ignored ones are dropped, a default "terminate" or "core" action ends the
 * process (no core dump: the wait status is the signal alone), a handler
 * gets a frame on the user stack (or on the alternate stack) and the frame
 * is pointed at it; several pending signals stack several frames, the
 * last one's handler running first, as Linux.
 *
 * The frame (Linux's x86_64 one, arch/x86/kernel/signal.c): from the
 * user's rsp less the 128-byte red zone (or the top of the alternate
 * stack), the 512-byte fxsave image 64-byte aligned, then struct
 * rt_sigframe 16-byte aligned less 8 (as after a call): the return address
 * sa_restorer, the ucontext (uc_flags UC_SIGCONTEXT_SS |
 * UC_STRICT_RESTORE_SS: no XSAVE state), the siginfo (written only with
 * SA_SIGINFO, as Linux).  The handler starts with rdi = sig, rsi = &info,
 * rdx = &uc, rax = 0, DF, TF and RF clear, and a fresh FPU state.
 */
#include <kernel.h>
#include <proc.h>
#include <signal.h>
#include <syscall.h>
#include <time.h>
#include <asm/pvops.h>
#include <asm/traps.h>

#define FXSAVE_SIZE 512
#define RED_ZONE    128

/* rflags bits a signal handler may change through uc_mcontext (Linux's
 * FIX_EFLAGS): CF PF AF ZF SF TF DF OF AC RF. */
#define X86_EFLAGS_USER_BITS 0x50dd5UL
#define X86_EFLAGS_TF 0x100UL
#define X86_EFLAGS_DF 0x400UL
#define X86_EFLAGS_RF 0x10000UL

/* The fault signals a process takes before any other (Linux's
 * SYNCHRONOUS_MASK). */
#define SYNC_MASK (sig_bit(SIGSEGV) | sig_bit(SIGBUS) | sig_bit(SIGILL) | \
                   sig_bit(SIGTRAP) | sig_bit(SIGFPE) | sig_bit(SIGSYS))

static struct k_sigaction *action(struct process *p, int sig)
{
    return &p->sigactions[sig - 1];
}

/* Stop signals too: there is no job control (README "Signals"). */
bool signal_default_ignores(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT:
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
        return true;
    }
    return false;
}

/* Would sig do nothing now?  init (pid 1) gets only the signals it has
 * handlers for, as Linux (SIGNAL_UNKILLABLE); its faults still kill it
 * (traps.c -> proc_fault()). */
static bool ignored(struct process *p, int sig)
{
    uint64_t h = action(p, sig)->handler;

    if (p->sigwait_set & sig_bit(sig))
        return false;           /* rt_sigtimedwait wants it */
    if (h == SIG_IGN)
        return true;
    if (h != SIG_DFL)
        return false;
    return p->pid == 1 || signal_default_ignores(sig);
}

/* Drop the pending signals that would do nothing when delivered (after a
 * change of mask or action).  Linux drops a signal set to be ignored even
 * while blocked; an ignored blocked one it keeps until unblocked. */
void signal_flush_ignored(struct process *p)
{
    uint64_t set = p->sigpending;
    int sig;

    for (sig = 1; set; sig++, set >>= 1)
        if ((set & 1) && ignored(p, sig) &&
            (!(p->sigmask & sig_bit(sig)) || action(p, sig)->handler == SIG_IGN))
            p->sigpending &= ~sig_bit(sig);
}

bool signal_pending(struct process *p)
{
    return p->killed || (p->sigpending & ~p->sigmask);
}

void signal_send(struct process *p, const struct ksiginfo *info)
{
    int sig = info->signo;
    uint64_t bit = sig_bit(sig);
    bool blocked = p->sigmask & bit;

    if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE)
        return;
    if (!blocked && ignored(p, sig))
        return;                 /* never pending: it interrupts nothing */
    if (!(p->sigpending & bit))
        p->siginfo[sig - 1] = *info;    /* standard signals do not queue */
    p->sigpending |= bit;
    if (blocked) {
        if (p->sigwait_set & bit)
            wait_interrupt(p);  /* rt_sigtimedwait waits for it */
        return;
    }
    /* A fatal one (no handler, a terminating default) ends the process
     * even if it sleeps where a handled signal could not wake it. */
    if ((sig == SIGKILL || action(p, sig)->handler == SIG_DFL) && !p->killed &&
        !(p->sigwait_set & bit))
        p->killed = sig;
    wait_interrupt(p);
}

unsigned int signal_send_pgrp(int pgid, int sig)
{
    struct ksiginfo ki = { .signo = sig, .code = SI_KERNEL };
    unsigned int n = 0;
    struct process *t = NULL;

    while ((t = proc_next(t))) {
        if (t->state != PROC_ZOMBIE && t->pgid == pgid) {
            signal_send(t, &ki);
            n++;
        }
    }
    return n;
}

bool signal_fault(struct process *p, const struct ksiginfo *info)
{
    int sig = info->signo;
    uint64_t h = action(p, sig)->handler;

    /* Linux's force_sig: a blocked or ignored fault signal kills. */
    if ((p->sigmask & sig_bit(sig)) || h == SIG_DFL || h == SIG_IGN)
        return false;
    p->siginfo[sig - 1] = *info;
    p->sigpending |= sig_bit(sig);
    return true;
}

static int next_signal(struct process *p)
{
    uint64_t set = p->sigpending & ~p->sigmask;

    if (!set)
        return 0;
    if (set & SYNC_MASK)
        set &= SYNC_MASK;
    return __builtin_ctzl(set) + 1;
}

static bool on_altstack(const struct process *p, uint64_t sp)
{
    return p->altstack.size && sp > p->altstack.sp &&
           sp - p->altstack.sp <= p->altstack.size;
}

static void save_altstack(const struct process *p, uint64_t sp, struct linux_stack *st)
{
    st->ss_sp = p->altstack.sp;
    st->ss_size = p->altstack.size;
    st->ss_flags = (int32_t)(!p->altstack.size ? SS_DISABLE
                             : on_altstack(p, sp) ? SS_ONSTACK : 0);
    st->ss_flags |= (int32_t)(p->altstack.flags & SS_AUTODISARM);
}

long signal_altstack(struct process *p, const struct linux_stack *ss,
                     struct linux_stack *old, uint64_t sp)
{
    if (old)
        save_altstack(p, sp, old);
    if (!ss)
        return 0;
    if (on_altstack(p, sp))
        return -EPERM;
    if ((uint32_t)ss->ss_flags & ~(SS_DISABLE | SS_ONSTACK | SS_AUTODISARM))
        return -EINVAL;
    if (ss->ss_flags & SS_DISABLE) {
        p->altstack.sp = p->altstack.size = 0;
        p->altstack.flags = 0;
        return 0;
    }
    if (ss->ss_size < MINSIGSTKSZ)
        return -ENOMEM;
    p->altstack.sp = ss->ss_sp;
    p->altstack.size = ss->ss_size;
    p->altstack.flags = (uint32_t)ss->ss_flags & SS_AUTODISARM;
    return 0;
}

static void __noreturn frame_fault(struct process *p, int sig, uint64_t sp)
{
    printk("pvkernel: %s[%d]: no room for a signal %d frame below sp %lx\n",
           p->comm, p->pid, sig, sp);
    proc_die(SIGSEGV);
}

/* Build the frame for sig's handler and point f at it. */
static void setup_frame(struct process *p, struct trap_frame *f, int sig,
                        const struct ksiginfo *ki, struct k_sigaction *ka, uint64_t oldmask)
{
    struct rt_sigframe fr;
    struct linux_sigcontext *sc = &fr.uc.uc_mcontext;
    uint64_t sp = f->rsp - RED_ZONE, fx, frame;
    bool was_on = on_altstack(p, f->rsp);

    if ((ka->flags & SA_ONSTACK) && p->altstack.size && !was_on)
        sp = p->altstack.sp + p->altstack.size;
    fx = (sp - FXSAVE_SIZE) & ~63UL;
    frame = ((fx - sizeof(fr)) & ~15UL) - 8;
    /* Linux: an alternate stack that overflows is a SIGSEGV, not a write
     * below it. */
    if (was_on && !on_altstack(p, frame))
        frame_fault(p, sig, f->rsp);
    if (!(ka->flags & SA_RESTORER) || ka->restorer >= USER_VA_END ||
        ka->handler >= USER_VA_END)
        frame_fault(p, sig, f->rsp);    /* x86_64 requires a restorer */

    memset(&fr, 0, sizeof(fr));
    fr.pretcode = ka->restorer;
    fr.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
    save_altstack(p, f->rsp, &fr.uc.uc_stack);
    *sc = (struct linux_sigcontext){
        .r8 = f->r8, .r9 = f->r9, .r10 = f->r10, .r11 = f->r11,
        .r12 = f->r12, .r13 = f->r13, .r14 = f->r14, .r15 = f->r15,
        .rdi = f->rdi, .rsi = f->rsi, .rbp = f->rbp, .rbx = f->rbx,
        .rdx = f->rdx, .rax = f->rax, .rcx = f->rcx, .rsp = f->rsp,
        .rip = f->rip, .eflags = f->rflags,
        .cs = (uint16_t)f->cs, .ss = (uint16_t)f->ss,
        .err = ki->err, .trapno = ki->trapno, .oldmask = oldmask, .cr2 = ki->cr2,
        .fpstate = fx,
    };
    fr.uc.uc_sigmask = oldmask;
    if (ka->flags & SA_SIGINFO) {
        fr.info.si_signo = sig;
        fr.info.si_code = ki->code;
        if (ki->code > 0 && ki->code < SI_KERNEL && sig != SIGCHLD) {
            fr.info.fault.addr = ki->addr;
        } else {
            fr.info.chld.pid = ki->pid;
            fr.info.chld.uid = 0;
            fr.info.chld.status = ki->status;
        }
    }
    arch_fpu_save(p);
    if (uspace_copy_to(&p->us, fx, p->fpu, FXSAVE_SIZE) ||
        uspace_copy_to(&p->us, frame, &fr, sizeof(fr)))
        frame_fault(p, sig, f->rsp);
    if (p->altstack.flags & SS_AUTODISARM)
        p->altstack.sp = p->altstack.size = 0, p->altstack.flags = 0;

    f->rdi = (uint64_t)sig;
    f->rsi = frame + __builtin_offsetof(struct rt_sigframe, info);
    f->rdx = frame + __builtin_offsetof(struct rt_sigframe, uc);
    f->rax = 0;
    f->rsp = frame;
    f->rip = ka->handler;
    f->rflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
    f->cs = pv_ops.user_cs;
    f->ss = pv_ops.user_ss;
    arch_fpu_reset(p);

    p->sigmask |= ka->mask | ((ka->flags & SA_NODEFER) ? 0 : sig_bit(sig));
    p->sigmask &= ~SIG_CANTMASK;
    if (ka->flags & SA_RESETHAND)
        ka->handler = SIG_DFL;
}

static bool is_restart(uint64_t rax)
{
    return rax == (uint64_t)-ERESTARTSYS || rax == (uint64_t)-ERESTARTNOINTR ||
           rax == (uint64_t)-ERESTARTNOHAND;
}

/* `syscall` is 2 bytes (0f 05): back over it, the number in rax again. */
static void restart(struct trap_frame *f, long nr)
{
    f->rax = (uint64_t)nr;
    f->rip -= 2;
}

bool signal_user_return(struct trap_frame *f, long nr)
{
    struct process *p = proc_current();
    bool changed = p->iret_full;
    bool in_restart = nr >= 0 && is_restart(f->rax);
    int sig;

    p->iret_full = false;
    while ((sig = next_signal(p))) {
        struct k_sigaction *ka = action(p, sig);
        struct ksiginfo ki = p->siginfo[sig - 1];
        uint64_t oldmask;

        p->sigpending &= ~sig_bit(sig);
        if (ka->handler == SIG_IGN)
            continue;
        if (ka->handler == SIG_DFL) {
            if (p->pid == 1 || signal_default_ignores(sig))
                continue;
            proc_exit(sig);     /* terminate or core: the signal alone */
        }
        if (in_restart) {
            in_restart = false;
            if (f->rax == (uint64_t)-ERESTARTNOHAND ||
                (f->rax == (uint64_t)-ERESTARTSYS && !(ka->flags & SA_RESTART)))
                f->rax = (uint64_t)-EINTR;
            else
                restart(f, nr);
        }
        oldmask = p->restore_sigmask ? p->saved_sigmask : p->sigmask;
        p->restore_sigmask = false;
        setup_frame(p, f, sig, &ki, ka, oldmask);
        changed = true;
    }
    if (in_restart) {
        restart(f, nr);         /* no handler ran: as if nothing happened */
        changed = true;
    }
    if (p->restore_sigmask) {
        p->restore_sigmask = false;
        p->sigmask = p->saved_sigmask;
    }
    return changed;
}

bool signal_work(const struct process *p, const struct trap_frame *f)
{
    return (p->sigpending & ~p->sigmask) || p->restore_sigmask || p->iret_full ||
           is_restart(f->rax);
}

/* Linux's signal_fault() line, then force_sig(SIGSEGV): a handler for it
 * runs (delivered on the syscall's way out), else the process dies. */
static long bad_frame(struct process *p, struct trap_frame *f, uint64_t frame)
{
    struct ksiginfo ki = { .signo = SIGSEGV, .code = SI_KERNEL };

    printk("%s[%d] bad frame in rt_sigreturn frame:%lx ip:%lx sp:%lx orax:%lx\n",
           p->comm, p->pid, frame, f->rip, f->rsp, (uint64_t)15);
    if (!signal_fault(p, &ki))
        proc_die(SIGSEGV);
    p->iret_full = true;
    return (long)f->rax;
}

long signal_sigreturn(struct trap_frame *f)
{
    struct process *p = proc_current();
    uint64_t frame = f->rsp - 8;
    struct linux_ucontext uc;
    const struct linux_sigcontext *sc = &uc.uc_mcontext;
    struct linux_stack st;
    uint8_t fpu[FXSAVE_SIZE] __attribute__((aligned(16)));

    if (uspace_copy_from(&p->us, &uc, frame + 8, sizeof(uc)))
        return bad_frame(p, f, frame);
    /* A rip user mode could never run (non-canonical or the kernel's):
     * refused here rather than left to the iret. */
    if (sc->rip >= USER_VA_END)
        return bad_frame(p, f, frame);
    if (sc->fpstate) {
        uint32_t mxcsr_mask, mxcsr;

        if (uspace_copy_from(&p->us, fpu, sc->fpstate, FXSAVE_SIZE))
            return bad_frame(p, f, frame);
        /* fxrstor faults on MXCSR bits the CPU lacks: keep the valid ones
         * (the CPU's own MXCSR_MASK, from a fresh fxsave). */
        arch_fpu_save(p);
        memcpy(&mxcsr_mask, p->fpu + 28, 4);
        if (!mxcsr_mask)
            mxcsr_mask = 0xffbf;
        memcpy(&mxcsr, fpu + 24, 4);
        mxcsr &= mxcsr_mask;
        memcpy(fpu + 24, &mxcsr, 4);
        memcpy(fpu + 28, &mxcsr_mask, 4);
        memcpy(p->fpu, fpu, FXSAVE_SIZE);
        arch_fpu_load(p);
    } else {
        arch_fpu_reset(p);
    }
    f->r8 = sc->r8; f->r9 = sc->r9; f->r10 = sc->r10; f->r11 = sc->r11;
    f->r12 = sc->r12; f->r13 = sc->r13; f->r14 = sc->r14; f->r15 = sc->r15;
    f->rdi = sc->rdi; f->rsi = sc->rsi; f->rbp = sc->rbp; f->rbx = sc->rbx;
    f->rdx = sc->rdx; f->rax = sc->rax; f->rcx = sc->rcx; f->rsp = sc->rsp;
    f->rip = sc->rip;
    f->rflags = (f->rflags & ~X86_EFLAGS_USER_BITS) | (sc->eflags & X86_EFLAGS_USER_BITS);
    f->rflags |= X86_EFLAGS_FIXED | X86_EFLAGS_IF;
    f->cs = pv_ops.user_cs;
    f->ss = pv_ops.user_ss;
    p->sigmask = uc.uc_sigmask & ~SIG_CANTMASK;
    /* Linux ignores a refused alternate stack here. */
    st = uc.uc_stack;
    signal_altstack(p, &st, NULL, f->rsp);
    signal_flush_ignored(p);
    p->iret_full = true;
    return (long)f->rax;
}

static void itimer_fire(struct timer *t, void *arg)
{
    struct process *p = arg;
    struct ksiginfo ki = { .signo = SIGALRM, .code = SI_KERNEL };

    signal_send(p, &ki);
    if (p->itimer_interval) {
        uint64_t next = t->deadline + p->itimer_interval, now = clock_ns();

        /* Periods missed (the vCPU did not run) give one signal, as
         * Linux's overrun: no burst of timer runs catching up. */
        if (next <= now)
            next = now + p->itimer_interval;
        timer_arm(t, next, itimer_fire, p);
    }
}

void signal_itimer_arm(struct process *p, uint64_t deadline, uint64_t interval)
{
    timer_cancel(&p->itimer);
    p->itimer_interval = interval;
    if (deadline)
        timer_arm(&p->itimer, deadline, itimer_fire, p);
}

void signal_exit(struct process *p)
{
    timer_cancel(&p->itimer);
    p->itimer_interval = 0;
}
