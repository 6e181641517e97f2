/* SPDX-License-Identifier: MIT */
/*
 * time.c - kernel timers and sleeping, over the time pv-ops.
 * Owns:    the list of armed timers (by deadline), time_stats, the timer
 *          interrupt's handler.
 * Touches: pv_ops.clock_ns, wallclock, set_timer, timer_irq_bind/unbind,
 *          safe_halt, irq_disable.
 *
 * One hardware timer (the vCPU's one-shot timer) serves every kernel
 * timer: it is always programmed for the earliest deadline of the list,
 * or stopped when the list is empty.  Each interrupt runs the timers that
 * are due by the system time it reads, then programs the next; one that
 * arrives before anything is due (a hypervisor may fire a little early)
 * only re-programs, so a timer function never runs before its deadline.
 * This is how a tickless kernel uses a one-shot clock event: a periodic
 * tick, where wanted, is a timer that re-arms itself.
 */
#include <kernel.h>
#include <time.h>
#include <xen/errno.h>

volatile struct time_stats time_stats;
static struct timer *timer_list;
static bool timer_irq_bound;

void time_init(void)
{
    struct wall_time wt;
    uint64_t now = clock_ns();

    wallclock(&wt);
    printk("time: system time %lu.%09lu s, wallclock %lu.%09u s since 1970\n",
           now / NSEC_PER_SEC, now % NSEC_PER_SEC, wt.sec, wt.nsec);
}

static long timer_program(void)
{
    return pv_ops.set_timer(timer_list ? timer_list->deadline : 0);
}

static void timer_unlink(struct timer *t)
{
    struct timer **pp;

    for (pp = &timer_list; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    t->armed = false;
}

/* The timer interrupt, events masked: run what is due, program the rest. */
static void timer_interrupt(void)
{
    uint64_t now = clock_ns();
    struct timer *t;

    time_stats.irqs++;
    time_stats.last_irq_ns = now;
    if (timer_list && timer_list->deadline > now)
        time_stats.early++;
    while ((t = timer_list) && t->deadline <= now) {
        timer_list = t->next;
        t->next = NULL;
        t->armed = false;
        t->fired_ns = now;
        time_stats.fired++;
        t->fn(t, t->arg);       /* may re-arm t */
    }
    timer_program();
}

long time_timers_start(void)
{
    long rc;

    if (timer_irq_bound)
        return 0;
    rc = pv_ops.timer_irq_bind(timer_interrupt);
    if (rc == 0)
        timer_irq_bound = true;
    return rc;
}

/* Armed timers are forgotten: they can no longer fire. */
long time_timers_stop(void)
{
    if (!timer_irq_bound)
        return 0;
    while (timer_list)
        timer_unlink(timer_list);
    timer_irq_bound = false;
    return pv_ops.timer_irq_unbind();
}

bool time_timers_running(void)
{
    return timer_irq_bound;
}

long timer_arm(struct timer *t, uint64_t deadline, timer_fn_t fn, void *arg)
{
    struct timer **pp;
    long rc;

    if (!timer_irq_bound)
        return -XEN_EINVAL;     /* it would never run */
    if (t->armed)
        timer_unlink(t);
    t->deadline = deadline;
    t->fn = fn;
    t->arg = arg;
    t->fired_ns = 0;
    for (pp = &timer_list; *pp && (*pp)->deadline <= deadline; pp = &(*pp)->next)
        ;
    t->next = *pp;
    *pp = t;
    t->armed = true;
    if (timer_list != t)
        return 0;               /* an earlier one is already programmed */
    rc = timer_program();
    if (rc) {
        timer_unlink(t);
        timer_program();
    }
    return rc;
}

void timer_cancel(struct timer *t)
{
    bool was_first = timer_list == t;

    if (!t->armed)
        return;
    timer_unlink(t);
    if (was_first)
        timer_program();
}

static void sleep_wake(struct timer *t, void *arg)
{
    (void)t;
    *(volatile bool *)arg = true;
}

long kernel_sleep_until(uint64_t ns)
{
    volatile bool woke = false;
    struct timer t = { 0 };
    long rc;

    if (!timer_irq_bound)
        return -XEN_EINVAL;
    rc = timer_arm(&t, ns, sleep_wake, (void *)&woke);
    while (rc == 0 && !woke) {
        if (clock_ns() > ns + TIME_SLEEP_GRACE_NS) {
            rc = -XEN_ETIMEDOUT;
            break;
        }
        rc = pv_ops.safe_halt();    /* returns with events unmasked */
        pv_ops.irq_disable();
    }
    timer_cancel(&t);
    return rc;
}
