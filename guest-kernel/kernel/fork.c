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
 * the children.  Only the clone() flags of fork and vfork as C libraries
 * issue them are taken: the exit signal, CLONE_VM|CLONE_VFORK together,
 * and the tid words (glibc's fork is CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID
 * |SIGCHLD; CLONE_PARENT_SETTID writes the child's pid into the parent's
 * memory, CHILD_SETTID into the child's, CHILD_CLEARTID records it as
 * set_tid_address() would).  Threads (CLONE_THREAD, CLONE_SIGHAND,
 * CLONE_VM without CLONE_VFORK, CLONE_SETTLS, ...) are -EINVAL: a thread
 * needs processes sharing one space with their own kernel stacks, signal
 * state shared per group, and futexes, none of which exists; busybox
 * never makes one.
 */
#include <kernel.h>
#include <proc.h>
#include <time.h>

#define CLONE_TID_FLAGS (CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)

long proc_fork(unsigned long flags, uint64_t child_sp, uint64_t parent_tid,
               uint64_t child_tid)
{
    struct process *parent = proc_current(), *c;
    bool vfork = flags & CLONE_VFORK;
    unsigned long share = flags & ~(unsigned long)(CSIGNAL | CLONE_TID_FLAGS);
    int pid;

    if (share != 0 && share != (CLONE_VM | CLONE_VFORK))
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
    /* Room for the regions and the descriptors (Linux: -ENOMEM too). */
    if ((parent->nvmas && vma_reserve(c, parent->nvmas)) || proc_fds_copy(c, parent)) {
        proc_free(c);           /* a vfork child gives the space back */
        return -ENOMEM;
    }
    /* Device regions are not inherited (Linux's VM_DONTCOPY): the child
     * has neither their entries (uspace_fork()) nor the regions. */
    c->nvmas = 0;
    for (unsigned int i = 0; i < parent->nvmas; i++)
        if (!parent->vmas[i].file)
            c->vmas[c->nvmas++] = parent->vmas[i];
    c->brk_start = parent->brk_start;
    c->brk = parent->brk;
    c->fs_base = parent->fs_base;
    inode_put(c->cwd);                  /* proc_alloc() gave it the root */
    c->cwd = parent->cwd;
    inode_get(c->cwd);
    c->umask = parent->umask;
    memcpy(c->sigactions, parent->sigactions, sizeof(c->sigactions));
    c->sigmask = parent->sigmask;
    c->altstack = parent->altstack;
    c->exit_signal = (int)(flags & CSIGNAL);
    memcpy(c->exe, parent->exe, sizeof(c->exe));
    c->arg_start = parent->arg_start;
    c->arg_end = parent->arg_end;
    c->start_ns = clock_ns();
    c->rlimits_set = parent->rlimits_set;
    memcpy(c->rlimits, parent->rlimits, sizeof(c->rlimits));
    arch_proc_fork(c, parent->uregs, child_sp);
    pid = c->pid;
    /* The tid words: the parent's before the child can run, the child's in
     * its own (copy-on-write) space; a bad pointer is ignored, as Linux's
     * put_user() there is. */
    if (flags & CLONE_PARENT_SETTID)
        (void)uspace_copy_to(&parent->us, parent_tid, &pid, sizeof(pid));
    if (flags & CLONE_CHILD_SETTID)
        (void)uspace_copy_to(&c->us, child_tid, &pid, sizeof(pid));
    if (flags & CLONE_CHILD_CLEARTID)
        c->clear_child_tid = child_tid;
    proc_make_runnable(c);
    /* vfork: the parent sleeps until the child lets the space go; not
     * interruptible, since the space must not go while the child uses it
     * (a kill takes effect on the way back to user mode). */
    while (c->vfork_parent == parent)
        wait_sleep_nointr(&parent->vfork_wait);
    return pid;
}
