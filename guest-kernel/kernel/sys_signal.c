/* SPDX-License-Identifier: MIT */
/*
 * sys_signal.c - signal system calls: rt_sigaction, rt_sigprocmask.
 * Owns:    nothing beyond the process's recorded actions and mask.
 * Touches: proc_current(), uspace_copy_*.
 *
 * Recorded, not delivered: signals come in a later step.  Today a user
 * fault always kills (proc_fault()), whatever action was recorded.
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
