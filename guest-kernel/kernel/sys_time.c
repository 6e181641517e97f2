/* SPDX-License-Identifier: MIT */
/*
 * sys_time.c - time system calls: clock_gettime, gettimeofday.
 * Owns:    which clock answers which id.
 * Touches: clock_ns() and wallclock() (include/time.h, the pvclock).
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>
#include <time.h>

long sys_clock_gettime(SYSCALL_ARGS)
{
    struct linux_timespec ts;
    struct wall_time wt;
    uint64_t ns;

    switch (a0) {
    case CLOCK_REALTIME:
    case CLOCK_REALTIME_COARSE:
        wallclock(&wt);
        ts = (struct linux_timespec){ (int64_t)wt.sec, wt.nsec };
        break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME:
        ns = clock_ns();        /* system time: since the hypervisor booted */
        ts = (struct linux_timespec){ (int64_t)(ns / 1000000000), (int64_t)(ns % 1000000000) };
        break;
    default:
        return -EINVAL;
    }
    return uspace_copy_to(&proc_current()->us, a1, &ts, sizeof(ts));
}

long sys_gettimeofday(SYSCALL_ARGS)
{
    struct linux_timeval tv;
    struct wall_time wt;

    if (!a0)
        return 0;
    wallclock(&wt);
    tv = (struct linux_timeval){ (int64_t)wt.sec, wt.nsec / 1000 };
    return uspace_copy_to(&proc_current()->us, a0, &tv, sizeof(tv));
}
