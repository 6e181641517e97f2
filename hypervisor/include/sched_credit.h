/* SPDX-License-Identifier: MIT */
/*
 * sched_credit.h - the scheduler (common/sched_credit.c): who runs next.
 */
#ifndef PVISOR_SCHED_CREDIT_H
#define PVISOR_SCHED_CREDIT_H

#include "sched.h"
#include "timer.h"

#define SCHED_DEFAULT_WEIGHT 256       /* as Xen's credit scheduler */

/* Boot: this CPU's slice and accounting timers. */
void sched_init(void);
/* A new vCPU (down): no credit; on no runqueue until sched_wake(). */
void sched_vcpu_init(struct vcpu *v);
/* v is about to be freed: off the runqueue. */
void sched_vcpu_release(struct vcpu *v);
/* v became runnable (woke, or came up): boost it, maybe preempt. */
void sched_wake(struct vcpu *v);
/* SCHEDOP_yield: let the others of the same priority go first. */
void sched_yield(void);
/* A CPU's scheduling state. */
struct sched_cpu {
    bool need_resched;           /* the way back to a guest must call
                                  * schedule() (first: entry.S reads it) */
    struct timer slice_timer;    /* fires at or before slice_end       */
    uint64_t slice_end;          /* the running vCPU's slice ends then */
    struct timer acct_timer;     /* every ACCT_PERIOD: hand out credit */
    struct vcpu *rq_head, *rq_tail; /* the runqueue (sched_credit.c)  */
    bool yielding;               /* ... because the running vCPU yields */
    uint64_t switches;           /* context switches made              */
    uint64_t slices;             /* slices that ended with a preemption */
};
extern struct sched_cpu sched_cpus[NR_CPUS];

/* The way back to a guest must call schedule() first (inline: every exit). */
static inline bool sched_resched_pending(void)
{
    return sched_cpus[smp_processor_id()].need_resched;
}
/*
 * Pick the next vCPU and switch to it. Returns only if the current vCPU
 * keeps the CPU, or, from the idle loop, if nothing is runnable.
 */
void schedule(void);
/* Print the runqueue (VIRQ_DEBUG, the 'q' debug key). */
void sched_dump(void);

#endif
