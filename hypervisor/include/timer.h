/* SPDX-License-Identifier: MIT */
/*
 * timer.h - software timers on system time (common/timer.c).
 * Owns:    struct timer and its calls; vCPU timers are built on them.
 * Touches: nothing.
 */
#ifndef PVISOR_TIMER_H
#define PVISOR_TIMER_H

#include "types.h"

struct timer {
    uint64_t expires;                /* system time, ns                 */
    void (*fn)(void *data);          /* runs from the timer interrupt   */
    void *data;
    struct timer *next;              /* the CPU's list, by expiry       */
    struct timer **pprev;            /* what points at it: O(1) unlink  */
    bool active;
};

void init_timer(struct timer *t, void (*fn)(void *), void *data);
/* (Re)arm t for expires; one already past fires at the next interrupt. */
void set_timer(struct timer *t, uint64_t expires);
void stop_timer(struct timer *t);
/* Run every timer due by now, then arm the hardware for the next one. */
void timer_softirq(void);
/* A timer was set already due: run timer_softirq() before leaving. */
extern bool timer_softirq_pending;

/* The architecture's one-shot interrupt at system time ns (0: none). */
void arch_timer_program(uint64_t deadline_ns);

#endif
