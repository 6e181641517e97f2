/* SPDX-License-Identifier: MIT */
/*
 * wait.c - wait queues (include/wait.h): sleep, wake one, wake all.
 * Owns:    the sleepers' links (process.wq, wq_next, wake_reason).
 * Touches: schedule(), proc_make_runnable() (kernel/sched.c); timer_arm()
 *          for the deadline of wait_sleep_until().
 *
 * A sleeper is taken off its queue by whoever wakes it (a wake, its
 * deadline's timer, a kill: proc_kill() calls wait_interrupt()), which
 * sets why in wake_reason and makes it runnable.  A signal that can act
 * (kernel/signal.c: not blocked, not ignored) interrupts a sleep the same
 * way, and one already pending refuses it.
 */
#include <kernel.h>
#include <proc.h>
#include <signal.h>
#include <time.h>
#include <wait.h>

static void unlink(struct process *p)
{
    struct process **pp;

    if (!p->wq)
        return;
    for (pp = &p->wq->head; *pp; pp = &(*pp)->wq_next) {
        if (*pp == p) {
            *pp = p->wq_next;
            break;
        }
    }
    p->wq = NULL;
    p->wq_next = NULL;
}

static void wake(struct process *p, long reason)
{
    unlink(p);
    p->wake_reason = reason;
    proc_make_runnable(p);
}

void wait_interrupt(struct process *p)
{
    if (p->state == PROC_SLEEPING && !p->sleep_nointr)
        wake(p, -EINTR);
}

static void deadline_passed(struct timer *t, void *arg)
{
    struct process *p = arg;

    (void)t;
    if (p->state == PROC_SLEEPING)
        wake(p, -ETIMEDOUT);
}

long wait_sleep_until(struct wait_queue *wq, uint64_t deadline_ns)
{
    struct process *p = proc_current(), **pp;
    struct timer t = { 0 };

    /* A signal already pending interrupts before the sleep, as Linux's
     * signal_pending() check (not for a sleep a kill must not end). */
    if (p->killed || (!p->sleep_nointr && signal_pending(p)))
        return -EINTR;
    if (deadline_ns && clock_ns() >= deadline_ns)
        return -ETIMEDOUT;
    for (pp = &wq->head; *pp; pp = &(*pp)->wq_next)
        ;
    *pp = p;
    p->wq = wq;
    p->wq_next = NULL;
    p->wake_reason = 0;
    p->state = PROC_SLEEPING;
    if (deadline_ns)
        timer_arm(&t, deadline_ns, deadline_passed, p);
    while (p->state == PROC_SLEEPING)
        schedule();
    if (deadline_ns)
        timer_cancel(&t);
    return p->wake_reason;
}

long wait_sleep(struct wait_queue *wq)
{
    return wait_sleep_until(wq, 0);
}

void wait_sleep_nointr(struct wait_queue *wq)
{
    struct process *p = proc_current();
    int killed = p->killed;

    p->killed = 0;              /* so that the sleep does not refuse */
    p->sleep_nointr = true;
    wait_sleep(wq);
    p->sleep_nointr = false;
    if (!p->killed)
        p->killed = killed;
}

unsigned int wait_wake_one(struct wait_queue *wq)
{
    if (!wq->head)
        return 0;
    wake(wq->head, 0);
    return 1;
}

unsigned int wait_wake_all(struct wait_queue *wq)
{
    unsigned int n = 0;

    while (wq->head) {
        wake(wq->head, 0);
        n++;
    }
    return n;
}
