/* SPDX-License-Identifier: MIT */
/*
 * sys_misc.c - system calls about the system as a whole: sysinfo, getrandom,
 *              time, times, getrusage, reboot.
 * Owns:    nothing but the answers.
 * Touches: procfs_meminfo() (the numbers /proc/meminfo shows), clock_ns(),
 *          wallclock(), proc_next() (the process count), random_bytes()
 *          (devfs.c's RNG), pv_ops.shutdown (reboot: SCHEDOP_shutdown).
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>
#include <time.h>
#include <asm/pvops.h>

#define GETRANDOM_MAX 33554431L         /* Linux's cap on one call */

long sys_sysinfo(SYSCALL_ARGS)
{
    struct process *p = proc_current(), *q = NULL;
    struct linux_sysinfo si;
    struct vfs_meminfo m;

    procfs_meminfo(&m);
    memset(&si, 0, sizeof(si));
    si.uptime = (int64_t)(clock_ns() / 1000000000);
    si.totalram = m.total_kib * 1024;
    si.freeram = m.free_kib * 1024;
    si.sharedram = m.cached_kib * 1024;
    si.mem_unit = 1;
    while ((q = proc_next(q)))
        si.procs++;
    return uspace_copy_to(&p->us, a0, &si, sizeof(si));
}

long sys_getrandom(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint8_t chunk[256];
    long done = 0;

    a2 = (unsigned int)a2;
    if (a2 & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if ((a2 & GRND_RANDOM) && (a2 & GRND_INSECURE))
        return -EINVAL;
    if (a1 < 0)
        return -EINVAL;                 /* size_t: a huge count */
    a1 = MIN(a1, GETRANDOM_MAX);
    while (done < a1) {
        size_t n = (size_t)MIN(a1 - done, (long)sizeof(chunk));

        random_bytes(chunk, n);
        if (uspace_copy_to(&p->us, a0 + (uint64_t)done, chunk, n))
            return done ? done : -EFAULT;
        done += (long)n;
    }
    memset(chunk, 0, sizeof(chunk));
    return done;
}

/* time(tloc): the wallclock's seconds, also stored at tloc if given. */
long sys_time(SYSCALL_ARGS)
{
    struct wall_time wt;
    int64_t t;

    wallclock(&wt);
    t = (int64_t)wt.sec;
    if (a0 && uspace_copy_to(&proc_current()->us, (uint64_t)a0, &t, sizeof(t)))
        return -EFAULT;
    return t;
}

/* No CPU time is accounted per process yet: times() and getrusage()
 * answer zeros, times() with the clock ticks (USER_HZ 100) since boot as
 * Linux returns them. */
long sys_times(SYSCALL_ARGS)
{
    static const int64_t zero[4];

    if (a0 && uspace_copy_to(&proc_current()->us, (uint64_t)a0, zero, sizeof(zero)))
        return -EFAULT;
    return (long)(clock_ns() / 10000000);
}

long sys_getrusage(SYSCALL_ARGS)
{
    static const uint8_t zero[144];     /* struct rusage */

    if (a0 != 0 && a0 != -1 && a0 != 1)  /* SELF, CHILDREN, THREAD */
        return -EINVAL;
    return uspace_copy_to(&proc_current()->us, (uint64_t)a1, zero, sizeof(zero));
}

/* reboot(magic, magic2, cmd, arg) with Linux's magic numbers and
 * commands: POWER_OFF and HALT power the domain off (a PV Linux halts with
 * SHUTDOWN_poweroff too), RESTART asks the hypervisor for a reboot; both
 * through the kernel's shutdown (SCHEDOP_shutdown), at once, as Linux's
 * reboot(2) does (no process is signalled: init does that first, as
 * busybox's poweroff without -f asks it to).  CAD_ON/CAD_OFF: accepted
 * (no Ctrl-Alt-Del here).  Only root may (everyone is root). */
long sys_reboot(SYSCALL_ARGS)
{
    uint32_t magic2 = (uint32_t)a1, cmd = (uint32_t)a2;

    if ((uint32_t)a0 != LINUX_REBOOT_MAGIC1 ||
        (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
         magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
        return -EINVAL;
    switch (cmd) {
    case LINUX_REBOOT_CMD_CAD_ON:
    case LINUX_REBOOT_CMD_CAD_OFF:
        return 0;
    case LINUX_REBOOT_CMD_POWER_OFF:
        printk("reboot: Power down\n");
        printk("pvkernel: shutting down (poweroff)\n");
        pv_ops.shutdown(POWER_OFF);
    case LINUX_REBOOT_CMD_HALT:
        printk("reboot: System halted\n");
        printk("pvkernel: shutting down (poweroff)\n");
        pv_ops.shutdown(POWER_OFF);
    case LINUX_REBOOT_CMD_RESTART:
        printk("reboot: Restarting system\n");
        printk("pvkernel: shutting down (reboot)\n");
        pv_ops.shutdown(POWER_REBOOT);
    }
    return -EINVAL;
}

/* sendfile(out, in, offset, count): not implemented; -EINVAL is Linux's
 * answer for descriptors it cannot splice, and on it busybox (cat, cp)
 * and the C libraries fall back to read and write.  Here rather than in
 * sys_fs.c because it moves no data. */
long sys_sendfile(SYSCALL_ARGS)
{
    return -EINVAL;
}
