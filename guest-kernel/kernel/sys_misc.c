/* SPDX-License-Identifier: MIT */
/*
 * sys_misc.c - system calls about the system as a whole: sysinfo, getrandom.
 * Owns:    nothing but the answers.
 * Touches: procfs_meminfo() (the numbers /proc/meminfo shows), clock_ns(),
 *          proc_next() (the process count), random_bytes() (devfs.c's RNG).
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>
#include <time.h>

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
