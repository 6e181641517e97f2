/* SPDX-License-Identifier: MIT */
/*
 * sys_proc.c - process system calls: fork, vfork, clone, clone3, execve,
 *              exit, wait4, ids, getgroups, process groups and sessions,
 *              sched_yield, uname, arch_prctl, set_tid_address,
 *              set_robust_list, rseq, the resource limits (getrlimit,
 *              setrlimit, prlimit64), prctl, getpriority/setpriority,
 *              sched_getaffinity.
 * Owns:    the answers: one user (root, 0, no supplementary groups), pid =
 *          tid (no threads yet), nice 0, one CPU; execve's copy of argv and
 *          envp from the caller; each process's resource limits.
 * Touches: proc_current(), proc_find(), proc_fork(), exec_image(),
 *          proc_exit(), proc_wait(), arch_set_fs().
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>
#include <time.h>
#include <asm/page.h>

long sys_fork(SYSCALL_ARGS)  { return proc_fork(SIGCHLD, 0, 0, 0); }
long sys_vfork(SYSCALL_ARGS) { return proc_fork(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0); }

/* clone(flags, newsp, parent_tid, child_tid, tls) (x86_64's order): the
 * flags of fork and vfork only (proc_fork() refuses the others). */
long sys_clone(SYSCALL_ARGS)
{
    return proc_fork((unsigned long)a0, (uint64_t)a1, (uint64_t)a2, (uint64_t)a3);
}

/* clone3(args, size): glibc 2.34+ tries it first for posix_spawn and
 * falls back to clone on -ENOSYS; answered here so that nothing is
 * logged.  The same flags as clone; the stack is [stack, stack + size). */
long sys_clone3(SYSCALL_ARGS)
{
    struct linux_clone_args ca;

    if ((uint64_t)a1 < sizeof(ca) || (uint64_t)a1 > 4096)
        return -EINVAL;
    if (uspace_copy_from(&proc_current()->us, &ca, a0, sizeof(ca)))
        return -EFAULT;
    if ((ca.flags & CSIGNAL) || ca.exit_signal > NSIG || ca.pidfd || ca.tls ||
        (!ca.stack != !ca.stack_size))
        return -EINVAL;
    return proc_fork(ca.flags | ca.exit_signal, ca.stack ? ca.stack + ca.stack_size : 0,
                     ca.parent_tid, ca.child_tid);
}

/* set_robust_list(head, len): recorded; nothing walks it (no futexes, no
 * threads).  Linux wants len == sizeof(struct robust_list_head). */
long sys_set_robust_list(SYSCALL_ARGS)
{
    if (a1 != 24)
        return -EINVAL;
    proc_current()->robust_list = (uint64_t)a0;
    return 0;
}

/* rseq: not implemented, on purpose: registration is optional and glibc
 * (2.35+) goes on without it when the kernel answers -ENOSYS; answered
 * here rather than left unknown so that nothing is logged. */
long sys_rseq(SYSCALL_ARGS)
{
    return -ENOSYS;
}

/* ---- resource limits: Linux's defaults, RLIMIT_NOFILE and RLIMIT_NPROC
 * the real limits here (descriptors per process, the process table). */
static void rlimit_defaults(struct linux_rlimit *r)
{
    unsigned int i;

    for (i = 0; i < RLIM_NLIMITS; i++)
        r[i] = (struct linux_rlimit){ RLIM_INFINITY, RLIM_INFINITY };
    r[RLIMIT_STACK].cur = 8 * 1024 * 1024;
    r[4] = (struct linux_rlimit){ 0, RLIM_INFINITY };              /* CORE */
    r[RLIMIT_NPROC] = (struct linux_rlimit){ PROC_MAX, PROC_MAX };
    r[RLIMIT_NOFILE] = (struct linux_rlimit){ PROC_MAX_FILES, PROC_MAX_FILES };
    r[8] = (struct linux_rlimit){ 8 * 1024 * 1024, 8 * 1024 * 1024 };  /* MEMLOCK */
    r[11] = (struct linux_rlimit){ 1024, 1024 };                   /* SIGPENDING */
    r[12] = (struct linux_rlimit){ 819200, 819200 };               /* MSGQUEUE */
    r[13] = (struct linux_rlimit){ 0, 0 };                         /* NICE */
    r[14] = (struct linux_rlimit){ 0, 0 };                         /* RTPRIO */
}

static long do_prlimit(struct process *t, unsigned int res, uint64_t new_va,
                       uint64_t old_va)
{
    struct process *me = proc_current();
    struct linux_rlimit nl;

    if (res >= RLIM_NLIMITS)
        return -EINVAL;
    if (new_va) {
        if (uspace_copy_from(&me->us, &nl, new_va, sizeof(nl)))
            return -EFAULT;
        if (nl.cur > nl.max)
            return -EINVAL;
        /* The kernel's own limits cannot be raised (as Linux's nr_open). */
        if (res == RLIMIT_NOFILE && nl.max > PROC_MAX_FILES)
            return -EPERM;
    }
    if (!t->rlimits_set) {
        rlimit_defaults(t->rlimits);
        t->rlimits_set = true;
    }
    if (old_va && uspace_copy_to(&me->us, old_va, &t->rlimits[res], sizeof(nl)))
        return -EFAULT;
    if (new_va)
        t->rlimits[res] = nl;
    return 0;
}

long sys_getrlimit(SYSCALL_ARGS)
{
    return do_prlimit(proc_current(), (unsigned int)a0, 0, (uint64_t)a1);
}

long sys_setrlimit(SYSCALL_ARGS)
{
    return do_prlimit(proc_current(), (unsigned int)a0, (uint64_t)a1, 0);
}

/* prlimit64(pid, resource, new, old): pid 0 is the caller. */
long sys_prlimit64(SYSCALL_ARGS)
{
    struct process *t = a0 ? proc_find((int)a0) : proc_current();

    if (!t || t->state == PROC_ZOMBIE)
        return -ESRCH;
    return do_prlimit(t, (unsigned int)a1, (uint64_t)a2, (uint64_t)a3);
}

/* prctl: the process name (16 bytes with the NUL, as comm); every other
 * option -EINVAL, as Linux answers an unknown one. */
long sys_prctl(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    char name[PROC_COMM_LEN];

    switch (a0) {
    case PR_SET_NAME:
        memset(name, 0, sizeof(name));
        for (unsigned int i = 0; i < sizeof(name) - 1; i++) {
            if (uspace_copy_from(&p->us, &name[i], (uint64_t)a1 + i, 1))
                return -EFAULT;
            if (!name[i])
                break;
        }
        memcpy(p->comm, name, sizeof(name));
        return 0;
    case PR_GET_NAME:
        return uspace_copy_to(&p->us, (uint64_t)a1, p->comm, sizeof(p->comm));
    }
    return -EINVAL;
}

/* getpriority/setpriority: every process has nice 0 and keeps it (one
 * round-robin class): getpriority answers Linux's 20 - nice = 20,
 * setpriority accepts and changes nothing. */
static long priority_check(long which, long who)
{
    if (which < 0 || which > 2)         /* PRIO_PROCESS, PGRP, USER */
        return -EINVAL;
    if (which == 0 && who && !proc_find((int)who))
        return -ESRCH;
    return 0;
}

long sys_getpriority(SYSCALL_ARGS)
{
    long rc = priority_check(a0, a1);

    return rc ? rc : 20;
}

long sys_setpriority(SYSCALL_ARGS)
{
    return priority_check(a0, a1);
}

/* sched_getaffinity(pid, len, mask): one CPU; the bytes written (Linux:
 * the cpumask's size, a long here). */
long sys_sched_getaffinity(SYSCALL_ARGS)
{
    uint64_t mask = 1;

    if (a0 && !proc_find((int)a0))
        return -ESRCH;
    if ((uint64_t)a1 < sizeof(mask) || (a1 & (sizeof(long) - 1)))
        return -EINVAL;
    if (uspace_copy_to(&proc_current()->us, (uint64_t)a2, &mask, sizeof(mask)))
        return -EFAULT;
    return sizeof(mask);
}

/* A string from user memory into a kmalloc'd copy: its length + 1, or
 * -EFAULT, or -E2BIG past max bytes. */
static long copy_ustring(struct process *p, uint64_t va, size_t max, char **out)
{
    char *s = kzalloc(max);
    size_t i;

    *out = NULL;
    if (!s)
        return -ENOMEM;
    for (i = 0; i < max; i++) {
        const char *c = uspace_ptr(&p->us, va + i, false);

        if (!c) {
            kfree(s);
            return -EFAULT;
        }
        s[i] = *c;
        if (!*c) {
            *out = s;
            return (long)i + 1;
        }
    }
    kfree(s);
    return -E2BIG;
}

/* The NULL-ended vector at va: *n strings, each copied; total bytes
 * counted in *bytes. */
#define EXECVE_STR_MAX  4000        /* one kmalloc block (Linux: 128 KiB) */
#define EXECVE_PTRS_MAX 256         /* argv + envp pointers */
static long copy_uvector(struct process *p, uint64_t va, char **v, unsigned int *n,
                         unsigned int room, size_t *bytes)
{
    *n = 0;
    if (!va)
        return 0;               /* Linux takes a NULL argv/envp as empty */
    for (;;) {
        uint64_t sp;
        long len;

        if (uspace_copy_from(&p->us, &sp, va + *n * 8UL, 8))
            return -EFAULT;
        if (!sp)
            return 0;
        if (*n == room)
            return -E2BIG;
        len = copy_ustring(p, sp, EXECVE_STR_MAX, &v[*n]);
        if (len < 0)
            return len;
        (*n)++;
        *bytes += (size_t)len;
        if (*bytes > EXEC_ARG_MAX)
            return -E2BIG;
    }
}

long sys_execve(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    char **v = kzalloc((EXECVE_PTRS_MAX + 2) * sizeof(char *));
    char *path = NULL;
    unsigned int argc = 0, envc = 0, i;
    size_t bytes = 0;
    const char *why;
    long rc;

    if (!v)
        return -ENOMEM;
    rc = copy_ustring(p, a0, EXECVE_STR_MAX, &path);
    if (rc == -E2BIG)
        rc = -ENAMETOOLONG;
    if (rc >= 0)
        rc = copy_uvector(p, a1, v, &argc, EXECVE_PTRS_MAX, &bytes);
    /* envp after argv's NULL, in the same table */
    if (rc >= 0)
        rc = copy_uvector(p, a2, v + argc + 1, &envc, EXECVE_PTRS_MAX - argc, &bytes);
    if (rc >= 0) {
        rc = exec_image(p, path, (const char *const *)v, (const char *const *)(v + argc + 1), &why);
        if (!rc) {
            p->did_exec = true;
            fd_close_on_exec(p);        /* O_CLOEXEC / FD_CLOEXEC */
        }
    }
    for (i = 0; i < argc; i++)
        kfree(v[i]);
    for (i = 0; i < envc; i++)
        kfree(v[argc + 1 + i]);
    kfree(v);
    kfree(path);
    return rc;
}

long sys_wait4(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    int status = 0;
    long pid;

    if (a3) {                   /* struct rusage: nothing measured yet */
        static const uint8_t zero[144];

        if (uspace_copy_to(&p->us, a3, zero, sizeof(zero)))
            return -EFAULT;
    }
    pid = proc_wait((int)a0, &status, (int)a2);
    if (pid > 0 && a1 && uspace_copy_to(&p->us, a1, &status, sizeof(status)))
        return -EFAULT;
    return pid;
}

long sys_sched_yield(SYSCALL_ARGS)
{
    sched_yield_now();
    return 0;
}

/* getpgid/getsid: pid 0 is the caller. */
static struct process *target(long pid)
{
    return pid ? proc_find((int)pid) : proc_current();
}

/* glibc's getpgrp() (busybox ash's job control compares it with
 * tcgetpgrp()). */
long sys_getpgrp(SYSCALL_ARGS)
{
    return proc_current()->pgid;
}

long sys_getpgid(SYSCALL_ARGS)
{
    const struct process *t = target(a0);

    return t ? t->pgid : -ESRCH;
}

long sys_getsid(SYSCALL_ARGS)
{
    const struct process *t = target(a0);

    return t ? t->sid : -ESRCH;
}

/* Linux's rules: the caller or a child of it, in the caller's session, not
 * a session leader, not a child that has exec'd; the group must exist in
 * the session unless it is the target's own pid. */
long sys_setpgid(SYSCALL_ARGS)
{
    struct process *me = proc_current(), *t = target(a0);
    long pgid = a1;

    if (pgid < 0)
        return -EINVAL;
    if (!t || t->state == PROC_ZOMBIE || (t != me && t->parent != me))
        return -ESRCH;
    if (t != me) {
        if (t->sid != me->sid)
            return -EPERM;
        if (t->did_exec)
            return -EACCES;
    }
    if (t->sid == t->pid)
        return -EPERM;
    if (!pgid)
        pgid = t->pid;
    if (pgid != t->pid) {
        bool found = false;

        const struct process *q = NULL;

        while (!found && (q = proc_next((struct process *)q)))
            found = q->pgid == pgid && q->sid == me->sid;
        if (!found)
            return -EPERM;
    }
    t->pgid = (int)pgid;
    return 0;
}

long sys_setsid(SYSCALL_ARGS)
{
    struct process *me = proc_current();
    const struct process *q = NULL;

    while ((q = proc_next((struct process *)q))) {
        if (q->pgid == me->pid)
            return -EPERM;      /* already a group leader (or its id taken) */
    }
    me->sid = me->pgid = me->pid;
    return me->sid;
}

long sys_exit(SYSCALL_ARGS)
{
    proc_exit((a0 & 0xff) << 8);        /* wait status: exited with a0 */
}

long sys_exit_group(SYSCALL_ARGS)
{
    proc_exit((a0 & 0xff) << 8);
}

long sys_getpid(SYSCALL_ARGS)  { return proc_current()->pid; }
long sys_gettid(SYSCALL_ARGS)  { return proc_current()->pid; }
long sys_getppid(SYSCALL_ARGS)
{
    const struct process *parent = proc_current()->parent;

    return parent ? parent->pid : 0;    /* init's parent is the kernel: 0 */
}
long sys_getuid(SYSCALL_ARGS)  { return 0; }
long sys_geteuid(SYSCALL_ARGS) { return 0; }
long sys_getgid(SYSCALL_ARGS)  { return 0; }
long sys_getegid(SYSCALL_ARGS) { return 0; }

/* getgroups(size, list): no supplementary groups, as Linux's init and
 * everything it starts without a login program (`id` shows none). */
long sys_getgroups(SYSCALL_ARGS)
{
    if (a0 < 0)
        return -EINVAL;
    return 0;
}

long sys_set_tid_address(SYSCALL_ARGS)
{
    struct process *p = proc_current();

    p->clear_child_tid = a0;
    return p->pid;
}

/* The machine's name: "pvisor" until sethostname (init sets it from
 * /etc/hostname). */
static char nodename[UTS_LEN] = "pvisor";

long sys_sethostname(SYSCALL_ARGS)
{
    char name[UTS_LEN];
    uint64_t len = a1;

    if (len >= UTS_LEN)
        return -EINVAL;
    if (uspace_copy_from(&proc_current()->us, name, a0, len))
        return -EFAULT;
    name[len] = '\0';
    memcpy(nodename, name, len + 1);
    return 0;
}

long sys_uname(SYSCALL_ARGS)
{
    struct linux_utsname u;

    memset(&u, 0, sizeof(u));
    snprintf(u.sysname, UTS_LEN, "Linux");      /* what programs test for */
    snprintf(u.nodename, UTS_LEN, "%s", nodename);
    snprintf(u.release, UTS_LEN, "6.1.0-pvkernel");
    snprintf(u.version, UTS_LEN, "pvkernel %s", PVKERNEL_VERSION);
    snprintf(u.machine, UTS_LEN, "x86_64");
    snprintf(u.domainname, UTS_LEN, "(none)");
    return uspace_copy_to(&proc_current()->us, a0, &u, sizeof(u));
}

long sys_arch_prctl(SYSCALL_ARGS)
{
    struct process *p = proc_current();

    switch (a0) {
    case ARCH_SET_FS:
        return arch_set_fs(p, a1);
    case ARCH_GET_FS:
        return uspace_copy_to(&p->us, a1, &p->fs_base, sizeof(p->fs_base));
    }
    return -EINVAL;
}
