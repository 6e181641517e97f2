/* SPDX-License-Identifier: MIT */
/*
 * sys_time.c - time system calls: clock_gettime, gettimeofday, nanosleep,
 *              clock_nanosleep.
 * Owns:    which clock answers which id.
 * Touches: clock_ns() and wallclock() (include/time.h, the pvclock);
 *          wait_sleep_until() (include/wait.h: the kernel timer on
 *          VIRQ_TIMER wakes the sleeper).
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>
#include <time.h>
#include <wait.h>

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

/* Sleep until system time `deadline`: 0, or -EINTR (a signal that runs a
 * handler or kills; *left the time not slept).  Not a restart code: Linux
 * answers -EINTR whenever a handler ran, SA_RESTART or not, and only a
 * signal that acts wakes a sleeper (include/signal.h). */
static long sleep_until(uint64_t deadline, uint64_t *left)
{
    struct wait_queue wq = WAIT_QUEUE_INIT;
    long rc;

    for (;;) {
        uint64_t now = clock_ns();

        if (now >= deadline)
            return 0;
        rc = wait_sleep_until(&wq, deadline);
        if (rc == -EINTR) {
            now = clock_ns();
            *left = deadline > now ? deadline - now : 0;
            return -EINTR;
        }
    }
}

static long read_timespec(uint64_t va, uint64_t *ns)
{
    struct linux_timespec ts;

    if (uspace_copy_from(&proc_current()->us, &ts, va, sizeof(ts)))
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
        return -EINVAL;
    /* Far enough to be never; no overflow below. */
    *ns = ts.tv_sec > (int64_t)(1UL << 32) ? (1UL << 62)
                                          : (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
    return 0;
}

static long write_left(uint64_t va, uint64_t left)
{
    struct linux_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };

    if (va && uspace_copy_to(&proc_current()->us, va, &ts, sizeof(ts)))
        return -EFAULT;
    return -EINTR;
}

long sys_nanosleep(SYSCALL_ARGS)
{
    uint64_t ns, left = 0;
    long rc = read_timespec(a0, &ns);

    if (rc)
        return rc;
    rc = sleep_until(clock_ns() + ns, &left);
    return rc == -EINTR ? write_left(a1, left) : rc;
}

/* clock_nanosleep(clock, flags, req, rem): REALTIME, MONOTONIC, BOOTTIME;
 * TIMER_ABSTIME; rem only for a relative sleep, as Linux. */
long sys_clock_nanosleep(SYSCALL_ARGS)
{
    uint64_t ns, left = 0, now = clock_ns(), deadline;
    struct wall_time wt;
    long rc;

    if (a0 != CLOCK_REALTIME && a0 != CLOCK_MONOTONIC && a0 != CLOCK_BOOTTIME)
        return -EINVAL;
    rc = read_timespec(a2, &ns);
    if (rc)
        return rc;
    if (!(a1 & TIMER_ABSTIME)) {
        deadline = now + ns;
    } else if (a0 == CLOCK_REALTIME) {
        uint64_t wall;

        wallclock(&wt);
        wall = wt.sec * NSEC_PER_SEC + wt.nsec;
        deadline = ns > wall ? now + (ns - wall) : now;
    } else {
        deadline = ns;
    }
    rc = sleep_until(deadline, &left);
    if (rc == -EINTR && !(a1 & TIMER_ABSTIME))
        return write_left(a3, left);
    return rc;
}
