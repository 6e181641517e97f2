/* SPDX-License-Identifier: MIT */
/*
 * sys_proc.c - process system calls: exit, ids, uname, arch_prctl,
 *              set_tid_address.
 * Owns:    the answers: one user (root, 0), pid = tid (no threads yet).
 * Touches: proc_current(), proc_exit(), arch_set_fs().
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>

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

long sys_set_tid_address(SYSCALL_ARGS)
{
    struct process *p = proc_current();

    p->clear_child_tid = a0;
    return p->pid;
}

long sys_uname(SYSCALL_ARGS)
{
    struct linux_utsname u;

    memset(&u, 0, sizeof(u));
    snprintf(u.sysname, UTS_LEN, "Linux");      /* what programs test for */
    snprintf(u.nodename, UTS_LEN, "pvisor");
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
