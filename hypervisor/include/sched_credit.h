/* SPDX-License-Identifier: MIT */
/*
 * sched_credit.h - the scheduler (common/sched_credit.c): who runs next.
 */
#ifndef PVISOR_SCHED_CREDIT_H
#define PVISOR_SCHED_CREDIT_H

#include "sched.h"

#define SCHED_DEFAULT_WEIGHT 256       /* as Xen's credit scheduler */

/* Boot: this CPU's slice and accounting timers. */
void sched_init(void);
/* A new vCPU: no credit, queued now. */
void sched_vcpu_init(struct vcpu *v);
/* v became runnable (woke, or came up): boost it, maybe preempt. */
void sched_wake(struct vcpu *v);
/* SCHEDOP_yield: let the others of the same priority go first. */
void sched_yield(void);
/* The way back to a guest must call schedule() first. */
bool sched_resched_pending(void);
/*
 * Pick the next vCPU and switch to it. Returns only if the current vCPU
 * keeps the CPU, or, from the idle loop, if nothing is runnable.
 */
void schedule(void);
/* Print the runqueue (VIRQ_DEBUG, the 'q' debug key). */
void sched_dump(void);

#endif
