/* SPDX-License-Identifier: MIT */
/*
 * sys_signal.c - signal system calls: rt_sigaction, rt_sigprocmask, kill.
 * Owns:    nothing beyond the process's recorded actions and mask; which
 *          processes kill's pid names.
 * Touches: proc_current(), proc_kill(), uspace_copy_*.
 *
 * Recorded, not delivered: signals come in a later step.  Today a user
 * fault always kills (proc_fault()), whatever action was recorded, and
 * kill() applies the default action (proc_kill(), kernel/proc.c).
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIG_CANTMASK ((1UL << (SIGKILL - 1)) | (1UL << (19 - 1)))  /* KILL, STOP */

long sys_rt_sigaction(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    int sig = (int)a0;
    struct k_sigaction act;

    if (sig < 1 || sig > NSIG || a3 != 8)
        return -EINVAL;
    if (a2 && uspace_copy_to(&p->us, a2, &p->sigactions[sig - 1], sizeof(act)))
        return -EFAULT;
    if (a1) {
        if (sig == SIGKILL || sig == 19)
            return -EINVAL;
        if (uspace_copy_from(&p->us, &act, a1, sizeof(act)))
            return -EFAULT;
        p->sigactions[sig - 1] = act;
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
    }
    if (a2 && uspace_copy_to(&p->us, a2, &old, sizeof(old)))
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
    unsigned int i;
    long rc;

    if (sig < 0 || sig > NSIG)
        return -EINVAL;
    if (pid > 0) {
        struct process *t = proc_find((int)pid);

        return t ? proc_kill(t, sig) : -ESRCH;
    }
    if (pid == INT32_MIN)
        return -ESRCH;          /* Linux: -INT_MIN is not a group */
    for (i = 0; i < PROC_MAX; i++) {
        struct process *t = proc_slot(i);

        if (t->state == PROC_UNUSED || t->state == PROC_ZOMBIE)
            continue;
        if (pid == -1 ? (t->pid == 1 || t == me)
                      : t->pgid != (pid == 0 ? me->pgid : (int)-pid))
            continue;
        found = true;
        /* The caller last: its own death must not cut the walk short. */
        if (t != me && (rc = proc_kill(t, sig)))
            return rc;
    }
    if (found && pid != -1 && me->pgid == (pid == 0 ? me->pgid : (int)-pid))
        proc_kill(me, sig);
    return found ? 0 : -ESRCH;
}
