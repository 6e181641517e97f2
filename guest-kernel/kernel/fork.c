/* SPDX-License-Identifier: MIT */
/*
 * fork.c - new processes from the current one: fork, vfork, clone.
 * Owns:    what a child inherits and what it does not.
 * Touches: proc_alloc(), uspace_fork() (copy-on-write, user_pgtable.c),
 *          arch_proc_fork() (the child's first return to user mode),
 *          wait queues (the vfork parent's sleep).
 *
 * A child inherits the address space (fork: a copy-on-write copy; vfork:
 * the parent's own, borrowed until the child execs or exits, the parent
 * asleep meanwhile), the regions, brk, the FS base, the descriptors (each
 * file shared, as dup), the working directory, the recorded signal actions
 * and mask, the process group and session; not the pending signals, not
 * the children.  Only the clone() flags fork and vfork use are taken:
 * threads (CLONE_THREAD, CLONE_SIGHAND, CLONE_VM without CLONE_VFORK,
 * CLONE_SETTLS, ...) are -EINVAL until there are threads.
 */
#include <kernel.h>
#include <proc.h>

long proc_fork(unsigned long flags, uint64_t child_sp)
{
    struct process *parent = proc_current(), *c;
    bool vfork = flags & CLONE_VFORK;
    unsigned int fd;
    int pid;

    if ((flags & ~(unsigned long)CSIGNAL) != 0 &&
        (flags & ~(unsigned long)CSIGNAL) != (CLONE_VM | CLONE_VFORK))
        return -EINVAL;
    if ((flags & CSIGNAL) > NSIG)
        return -EINVAL;
    c = proc_alloc(parent, parent->comm, !vfork);
    if (!c)
        return -EAGAIN;         /* Linux: the process limit, or no memory */
    if (vfork) {
        c->us = parent->us;
        c->vfork_parent = parent;
    } else if (uspace_fork(&c->us, &parent->us)) {
        proc_free(c);
        return -ENOMEM;
    }
    memcpy(c->vmas, parent->vmas, sizeof(c->vmas));
    c->nvmas = parent->nvmas;
    c->brk_start = parent->brk_start;
    c->brk = parent->brk;
    c->fs_base = parent->fs_base;
    for (fd = 0; fd < PROC_MAX_FILES; fd++) {
        c->files[fd] = parent->files[fd];
        if (c->files[fd])
            c->files[fd]->refs++;
    }
    inode_put(c->cwd);                  /* proc_alloc() gave it the root */
    c->cwd = parent->cwd;
    inode_get(c->cwd);
    c->umask = parent->umask;
    c->cloexec = parent->cloexec;
    memcpy(c->sigactions, parent->sigactions, sizeof(c->sigactions));
    c->sigmask = parent->sigmask;
    c->altstack = parent->altstack;
    c->exit_signal = (int)(flags & CSIGNAL);
    arch_proc_fork(c, parent->uregs, child_sp);
    pid = c->pid;
    proc_make_runnable(c);
    /* vfork: the parent sleeps until the child lets the space go; not
     * interruptible, since the space must not go while the child uses it
     * (a kill takes effect on the way back to user mode). */
    while (c->vfork_parent == parent)
        wait_sleep_nointr(&parent->vfork_wait);
    return pid;
}
