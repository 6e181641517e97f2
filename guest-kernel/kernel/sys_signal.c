/* SPDX-License-Identifier: MIT */
/*
 * sys_signal.c - signal system calls: rt_sigaction, rt_sigprocmask,
 *                rt_sigreturn, pause, getitimer, alarm, setitimer, kill,
 *                rt_sigpending, rt_sigtimedwait, rt_sigsuspend,
 *                sigaltstack, tkill, tgkill.
 * Owns:    the checks of their arguments; which processes kill's pid names.
 * Touches: proc_current(), proc_kill(), signal_send() and the rest of
 *          kernel/signal.c (delivery), wait_sleep*() (wait.h),
 *          uspace_copy_*.
 */
#include <kernel.h>
#include <proc.h>
#include <signal.h>
#include <syscall.h>
#include <time.h>
#include <wait.h>

#define ITIMER_REAL 0

long sys_rt_sigaction(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    int sig = (int)a0;
    struct k_sigaction act;

    if (sig < 1 || sig > NSIG || a3 != 8)
        return -EINVAL;
    if (a1 && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    if (a1 && uspace_copy_from(&p->us, &act, a1, sizeof(act)))
        return -EFAULT;
    if (a2 && uspace_copy_to(&p->us, a2, &p->sigactions[sig - 1], sizeof(act)))
        return -EFAULT;
    if (a1) {
        act.mask &= ~SIG_CANTMASK;
        p->sigactions[sig - 1] = act;
        signal_flush_ignored(p);    /* a signal now ignored is dropped */
    }
    return 0;
}

long sys_rt_sigprocmask(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t set, old = p->sigmask;

    if (a3 != 8)
        return -EINVAL;
    if (a1) {
        if (uspace_copy_from(&p->us, &set, a1, sizeof(set)))
            return -EFAULT;
        switch (a0) {
        case SIG_BLOCK:   p->sigmask |= set; break;
        case SIG_UNBLOCK: p->sigmask &= ~set; break;
        case SIG_SETMASK: p->sigmask = set; break;
        default:          return -EINVAL;
        }
        p->sigmask &= ~SIG_CANTMASK;
        signal_flush_ignored(p);
    }
    if (a2 && uspace_copy_to(&p->us, a2, &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

long sys_rt_sigreturn(SYSCALL_ARGS)
{
    (void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return signal_sigreturn(proc_current()->uregs);
}

long sys_rt_sigpending(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t set = p->sigpending & p->sigmask;

    (void)a2;
    if ((uint64_t)a1 > 8)
        return -EINVAL;
    return uspace_copy_to(&p->us, a0, &set, a1) ? -EFAULT : 0;
}

/* Sleep until a signal can act: pause and rt_sigsuspend. */
static long sleep_for_signal(struct process *p)
{
    while (!signal_pending(p))
        wait_sleep(&p->sig_wait);
    return -ERESTARTNOHAND;
}

long sys_pause(SYSCALL_ARGS)
{
    (void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5;
    return sleep_for_signal(proc_current());
}

/* The mask is the caller's again once the handler's frame is built (the
 * frame keeps the old one for rt_sigreturn): signal_user_return(). */
long sys_rt_sigsuspend(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t set;

    if (a1 != 8)
        return -EINVAL;
    if (uspace_copy_from(&p->us, &set, a0, sizeof(set)))
        return -EFAULT;
    p->saved_sigmask = p->sigmask;
    p->restore_sigmask = true;
    p->sigmask = set & ~SIG_CANTMASK;
    signal_flush_ignored(p);
    return sleep_for_signal(p);
}

/* rt_sigtimedwait(set, info, timeout, size): take a pending signal of set
 * (the caller blocks them) or wait for one; -EAGAIN after the timeout,
 * -EINTR for another signal that can act. */
long sys_rt_sigtimedwait(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t set, deadline = 0;
    long rc = 0;

    if (a3 != 8)
        return -EINVAL;
    if (uspace_copy_from(&p->us, &set, a0, sizeof(set)))
        return -EFAULT;
    set &= ~SIG_CANTMASK;
    if (a2) {
        struct linux_timespec ts;

        if (uspace_copy_from(&p->us, &ts, a2, sizeof(ts)))
            return -EFAULT;
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
            return -EINVAL;
        deadline = clock_ns() + (ts.tv_sec > (int64_t)(1UL << 32) ? (1UL << 62)
                                : (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec);
    }
    for (;;) {
        uint64_t ready = p->sigpending & set;
        struct linux_siginfo si;
        struct ksiginfo *ki;
        int sig;

        if (ready) {
            sig = __builtin_ctzl(ready) + 1;
            ki = &p->siginfo[sig - 1];
            p->sigpending &= ~sig_bit(sig);
            memset(&si, 0, sizeof(si));
            si.si_signo = sig;
            si.si_code = ki->code;
            si.chld.pid = ki->pid;
            si.chld.status = ki->status;
            if (a1 && uspace_copy_to(&p->us, a1, &si, sizeof(si)))
                return -EFAULT;
            return sig;
        }
        if (rc == -ETIMEDOUT || (a2 && deadline <= clock_ns()))
            return -EAGAIN;
        if (signal_pending(p))
            return -EINTR;
        /* While it waits, a signal of set wakes it, whatever its action. */
        p->sigwait_set = set;
        rc = wait_sleep_until(&p->sig_wait, deadline);
        p->sigwait_set = 0;
    }
}

long sys_sigaltstack(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_stack ss, old;
    long rc;

    (void)a2;
    if (a0 && uspace_copy_from(&p->us, &ss, a0, sizeof(ss)))
        return -EFAULT;
    rc = signal_altstack(p, a0 ? &ss : NULL, &old, p->uregs->rsp);
    if (rc)
        return rc;
    if (a1 && uspace_copy_to(&p->us, a1, &old, sizeof(old)))
        return -EFAULT;
    return 0;
}

/* kill(pid, sig): pid > 0 that process, 0 the caller's group, -1 every
 * process but init and the caller, < -1 the group -pid (Linux's rules). */
long sys_kill(SYSCALL_ARGS)
{
    struct process *me = proc_current();
    long pid = a0;
    int sig = (int)a1;
    bool found = false;
    struct process *t = NULL;
    long rc;

    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (pid > 0) {
        t = proc_find((int)pid);
        return t ? proc_kill(t, sig) : -ESRCH;
    }
    if (pid == INT32_MIN)
        return -ESRCH;          /* Linux: -INT_MIN is not a group */
    while ((t = proc_next(t))) {
        if (t->state == PROC_ZOMBIE)
            continue;
        if (pid == -1 ? (t->pid == 1 || t == me)
                      : t->pgid != (pid == 0 ? me->pgid : (int)-pid))
            continue;
        found = true;
        if (t != me && (rc = proc_kill(t, sig)))
            return rc;
    }
    if (found && pid != -1 && me->pgid == (pid == 0 ? me->pgid : (int)-pid))
        proc_kill(me, sig);
    return found ? 0 : -ESRCH;
}

/* One process is one thread: a tid is a pid. */
static long thread_kill(int tgid, int tid, int sig)
{
    struct process *t;
    struct ksiginfo ki = { .signo = sig, .code = SI_TKILL, .pid = proc_current()->pid };

    if (tid <= 0 || sig < 0 || sig > NSIG)
        return -EINVAL;
    t = proc_find(tid);
    if (!t || t->state == PROC_ZOMBIE || (tgid > 0 && t->pid != tgid))
        return -ESRCH;
    if (sig)
        signal_send(t, &ki);
    return 0;
}

long sys_tkill(SYSCALL_ARGS)
{
    return thread_kill(0, (int)a0, (int)a1);
}

long sys_tgkill(SYSCALL_ARGS)
{
    if ((int)a0 <= 0)
        return -EINVAL;
    return thread_kill((int)a0, (int)a1, (int)a2);
}

/* ITIMER_REAL: the time left and the interval, in ns. */
static void itimer_get(struct process *p, uint64_t *left, uint64_t *interval)
{
    uint64_t now = clock_ns();

    *left = 0;
    if (p->itimer.armed)
        *left = p->itimer.deadline > now ? p->itimer.deadline - now : 1000;
    *interval = p->itimer_interval;
}

static struct linux_timeval tv_of(uint64_t ns)
{
    return (struct linux_timeval){ (int64_t)(ns / NSEC_PER_SEC),
                                   (int64_t)(ns % NSEC_PER_SEC + 999) / 1000 };
}

struct linux_itimerval { struct linux_timeval interval, value; };

long sys_getitimer(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_itimerval it;
    uint64_t left, interval;

    if (a0 != ITIMER_REAL)
        return -EINVAL;
    itimer_get(p, &left, &interval);
    it = (struct linux_itimerval){ tv_of(interval), tv_of(left) };
    return uspace_copy_to(&p->us, a1, &it, sizeof(it)) ? -EFAULT : 0;
}

static long tv_to_ns(const struct linux_timeval *tv, uint64_t *ns)
{
    if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
        return -EINVAL;
    *ns = tv->tv_sec > (int64_t)(1UL << 32) ? (1UL << 62)
        : (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * 1000;
    return 0;
}

long sys_setitimer(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_itimerval it = { { 0, 0 }, { 0, 0 } }, old;
    uint64_t left, interval, value, ival;

    if (a0 != ITIMER_REAL)
        return -EINVAL;
    if (a1 && uspace_copy_from(&p->us, &it, a1, sizeof(it)))
        return -EFAULT;
    if (tv_to_ns(&it.value, &value) || tv_to_ns(&it.interval, &ival))
        return -EINVAL;
    itimer_get(p, &left, &interval);
    old = (struct linux_itimerval){ tv_of(interval), tv_of(left) };
    if (a2 && uspace_copy_to(&p->us, a2, &old, sizeof(old)))
        return -EFAULT;
    signal_itimer_arm(p, value ? clock_ns() + value : 0, value ? ival : 0);
    return 0;
}

/* alarm(s): the seconds left of the previous one, rounded to the nearest
 * (at least 1 if any was left), as Linux. */
long sys_alarm(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t left, interval, secs = (uint32_t)a0;

    itimer_get(p, &left, &interval);
    signal_itimer_arm(p, secs ? clock_ns() + secs * NSEC_PER_SEC : 0, 0);
    if (!left)
        return 0;
    secs = (left + NSEC_PER_SEC / 2) / NSEC_PER_SEC;
    return secs ? (long)secs : 1;
}
