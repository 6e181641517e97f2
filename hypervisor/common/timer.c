/* SPDX-License-Identifier: MIT */
/*
 * timer.c - software timers on system time, and set_timer_op (15).
 * Owns:    this CPU's list of active timers, sorted by expiry; the
 *          vCPU timers' callbacks (a vCPU's single-shot and periodic
 *          timers raise VIRQ_TIMER); do_set_timer_op().
 * Touches: the hardware timer through arch_timer_program() (the local
 *          APIC); event channels through send_guest_vcpu_virq().
 * Trusts:  set_timer_op's timeout is the guest's: any value is accepted,
 *          as Xen accepts it.
 * ABI:     abi/xen/xen.h __HYPERVISOR_set_timer_op; docs/abi/hypercalls.md
 *          row 15.
 *
 * One CPU, so one list; timers are touched only with interrupts off
 * (hypercalls and the timer interrupt both run so). The list is short (a
 * few timers per vCPU), so an insertion walks it; each timer knows what
 * points at it, so taking one out (every re-arm, every stop) does not.
 * The hardware is reprogrammed only when the list's head changes. Timers
 * run from the timer interrupt, or, when one is set already due, from
 * the way back to the guest (timer_softirq_pending, tested by
 * exit_to_guest()).
 */
#define LOG_PREFIX "timer"
#include "event.h"
#include "hypercall.h"
#include "sched.h"
#include "time.h"
#include "timer.h"

static struct timer *timer_list;
bool timer_softirq_pending;

void init_timer(struct timer *t, void (*fn)(void *), void *data)
{
    t->fn = fn;
    t->data = data;
    t->active = false;
    t->next = NULL;
    t->pprev = NULL;
}

static void timer_unlink(struct timer *t)
{
    *t->pprev = t->next;
    if (t->next)
        t->next->pprev = t->pprev;
    t->active = false;
}

static void timer_reprogram(void)
{
    arch_timer_program(timer_list ? timer_list->expires : 0);
}

void set_timer(struct timer *t, uint64_t expires)
{
    struct timer **p = &timer_list;

    if (t->active)
        timer_unlink(t);
    t->expires = expires;
    while (*p && (*p)->expires <= expires)
        p = &(*p)->next;
    t->next = *p;
    if (t->next)
        t->next->pprev = &t->next;
    t->pprev = p;
    *p = t;
    t->active = true;
    if (timer_list != t)
        return;
    /*
     * Already due: run it on the way out of this hypercall (as Xen raises
     * TIMER_SOFTIRQ), not after an interrupt's latency.
     */
    if (expires <= NOW())
        timer_softirq_pending = true;
    else
        timer_reprogram();
}

void stop_timer(struct timer *t)
{
    bool was_head = timer_list == t;

    if (!t->active)
        return;
    timer_unlink(t);
    if (was_head)           /* otherwise the hardware's deadline stands */
        timer_reprogram();
}

void timer_softirq(void)
{
    timer_softirq_pending = false;
    while (timer_list && timer_list->expires <= NOW()) {
        struct timer *t = timer_list;
        timer_unlink(t);
        t->fn(t->data);              /* may set timers, this one too */
    }
    timer_reprogram();
}

/* Timeouts past 2^50 ns (13 days) are taken as a guest's wrapped clock. */
#define TIMEOUT_HUGE (1ULL << 50)

long do_set_timer_op(uint64_t timeout)
{
    struct vcpu *v = current;
    uint64_t now = NOW();

    if (timeout == 0)
        stop_timer(&v->singleshot_timer);
    else if ((int64_t)timeout < 0 ||
             (timeout > now && timeout - now >= TIMEOUT_HUGE))
        set_timer(&v->singleshot_timer, now + MILLISECS(100));  /* as Xen */
    else
        set_timer(&v->singleshot_timer, timeout);
    return 0;
}
