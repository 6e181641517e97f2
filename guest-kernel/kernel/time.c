/* SPDX-License-Identifier: MIT */
/*
 * time.c - kernel timers and sleeping, over the time pv-ops.
 * Owns:    each vCPU's list of armed timers (by deadline), time_stats, the
 *          timer interrupt's handler.
 * Touches: pv_ops.clock_ns, wallclock, set_timer, timer_irq_bind/unbind,
 *          safe_halt, irq_disable; smp_processor_id().
 *
 * One hardware timer (the vCPU's one-shot timer) serves every kernel
 * timer: it is always programmed for the earliest deadline of the list,
 * or stopped when the list is empty.  Each interrupt runs the timers that
 * are due by the system time it reads, then programs the next; one that
 * arrives before anything is due (a hypervisor may fire a little early)
 * only re-programs, so a timer function never runs before its deadline.
 * This is how a tickless kernel uses a one-shot clock event: a periodic
 * tick, where wanted, is a timer that re-arms itself.
 *
 * Each vCPU has its own one-shot timer and timer interrupt, so each has
 * its own list (struct timer_base): a timer runs on the vCPU that armed
 * it, and the functions below act on the calling vCPU's list, which only
 * that vCPU touches (with events masked): no lock.
 */
#include <kernel.h>
#include <time.h>
#include <asm/percpu.h>
#include <xen/errno.h>

volatile struct time_stats time_stats;

static struct timer_base {
    struct timer *list;         /* armed, by deadline */
    bool irq_bound;
} timer_bases[SMP_MAX_CPUS];

static struct timer_base *this_base(void)
{
    return &timer_bases[smp_processor_id()];
}

#define TIME_COUNT(field) __atomic_fetch_add(&time_stats.field, 1, __ATOMIC_RELAXED)

void time_init(void)
{
    struct wall_time wt;
    uint64_t now = clock_ns();

    wallclock(&wt);
    printk("time: system time %lu.%09lu s, wallclock %lu.%09u s since 1970\n",
           now / NSEC_PER_SEC, now % NSEC_PER_SEC, wt.sec, wt.nsec);
}

static long timer_program(struct timer_base *tb)
{
    return pv_ops.set_timer(tb->list ? tb->list->deadline : 0);
}

static void timer_unlink(struct timer_base *tb, struct timer *t)
{
    struct timer **pp;

    for (pp = &tb->list; *pp; pp = &(*pp)->next) {
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
    struct timer_base *tb = this_base();
    uint64_t now = clock_ns();
    struct timer *t;

    TIME_COUNT(irqs);
    time_stats.last_irq_ns = now;
    if (tb->list && tb->list->deadline > now)
        TIME_COUNT(early);
    while ((t = tb->list) && t->deadline <= now) {
        tb->list = t->next;
        t->next = NULL;
        t->armed = false;
        t->fired_ns = now;
        TIME_COUNT(fired);
        t->fn(t, t->arg);       /* may re-arm t */
    }
    timer_program(tb);
}

long time_timers_start(void)
{
    struct timer_base *tb = this_base();
    long rc;

    if (tb->irq_bound)
        return 0;
    rc = pv_ops.timer_irq_bind(timer_interrupt);
    if (rc == 0)
        tb->irq_bound = true;
    return rc;
}

/* Armed timers are forgotten: they can no longer fire. */
long time_timers_stop(void)
{
    struct timer_base *tb = this_base();

    if (!tb->irq_bound)
        return 0;
    while (tb->list)
        timer_unlink(tb, tb->list);
    tb->irq_bound = false;
    return pv_ops.timer_irq_unbind();
}

bool time_timers_running(void)
{
    return this_base()->irq_bound;
}

long timer_arm(struct timer *t, uint64_t deadline, timer_fn_t fn, void *arg)
{
    struct timer_base *tb = this_base();
    struct timer **pp;
    long rc;

    if (!tb->irq_bound)
        return -XEN_EINVAL;     /* it would never run */
    if (t->armed)
        timer_unlink(tb, t);
    t->deadline = deadline;
    t->fn = fn;
    t->arg = arg;
    t->fired_ns = 0;
    for (pp = &tb->list; *pp && (*pp)->deadline <= deadline; pp = &(*pp)->next)
        ;
    t->next = *pp;
    *pp = t;
    t->armed = true;
    if (tb->list != t)
        return 0;               /* an earlier one is already programmed */
    rc = timer_program(tb);
    if (rc) {
        timer_unlink(tb, t);
        timer_program(tb);
    }
    return rc;
}

void timer_cancel(struct timer *t)
{
    struct timer_base *tb = this_base();
    bool was_first = tb->list == t;

    if (!t->armed)
        return;
    timer_unlink(tb, t);
    if (was_first)
        timer_program(tb);
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

    if (!this_base()->irq_bound)
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
