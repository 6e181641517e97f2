/* SPDX-License-Identifier: MIT */
/*
 * time.h - system time, the date, kernel timers and sleeping.
 * Owns:    the interface the rest of the kernel uses for time.  Implemented
 *          by kernel/time.c (the timer list, sleeping) over the pv-ops
 *          clock_ns, wallclock, set_timer, timer_irq_bind/unbind and
 *          safe_halt (arch/x86_64/pv/xen_time.c on the Xen ABI).
 * Touches: nothing (declarations).
 *
 * System time is nanoseconds since the hypervisor booted, monotonic.  A
 * timer runs its function once, from the timer interrupt (events masked),
 * at or after its absolute deadline; never before.  Timers need the timer
 * interrupt: time_timers_start() binds it, time_timers_stop() stops the
 * hardware timer and unbinds it.  The timer list is shared with the
 * interrupt, so timer_arm() and timer_cancel() are called with events
 * masked (the kernel's normal state, guest-kernel/README.md).
 *
 * Timers are per vCPU: each of these acts on the calling vCPU's timer
 * interrupt and list, and a timer runs on the vCPU that armed it (it must
 * be cancelled there too).
 */
#ifndef TIME_H
#define TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <asm/pvops.h>

#define NSEC_PER_USEC 1000UL
#define NSEC_PER_MSEC 1000000UL
#define NSEC_PER_SEC  1000000000UL

struct timer;
typedef void (*timer_fn_t)(struct timer *t, void *arg);

struct timer {
    uint64_t deadline;      /* system time, ns */
    timer_fn_t fn;
    void *arg;
    struct timer *next;     /* the armed list, by deadline */
    bool armed;
    uint64_t fired_ns;      /* system time when fn was called */
};

/* Print the system time and the date (boot). */
void time_init(void);

/* System time in ns (pvclock). */
static inline uint64_t clock_ns(void) { return pv_ops.clock_ns(); }
/* The date. */
static inline void wallclock(struct wall_time *wt) { pv_ops.wallclock(wt); }

/* Bind / unbind the timer interrupt.  0 or -XEN_E*. */
long time_timers_start(void);
long time_timers_stop(void);
bool time_timers_running(void);

/* Arm t at deadline (re-arming an armed timer moves it); program the
 * hardware timer for the earliest.  0, -XEN_EINVAL if the timer interrupt
 * is not bound, or set_timer's error (then t is not armed). */
long timer_arm(struct timer *t, uint64_t deadline, timer_fn_t fn, void *arg);
/* Disarm t if armed; stop the hardware timer if nothing is left. */
void timer_cancel(struct timer *t);

/*
 * Sleep until system time ns: arm a timer, block until it has run.  Called
 * with events masked; returns with them masked.  0, -XEN_EINVAL if the
 * timer interrupt is not bound, -XEN_ETIMEDOUT if the timer had not run
 * TIME_SLEEP_GRACE_NS after ns (a broken timer must not hang the kernel),
 * or the error of set_timer or safe_halt.
 */
#define TIME_SLEEP_GRACE_NS (2 * NSEC_PER_SEC)
long kernel_sleep_until(uint64_t ns);

/* What the timer interrupt has done since boot. */
struct time_stats {
    unsigned long irqs;       /* timer interrupts (VIRQ_TIMER events) */
    unsigned long early;      /* ... that found a timer armed, none due */
    unsigned long fired;      /* timer functions called */
    uint64_t last_irq_ns;     /* system time at the last one */
};
extern volatile struct time_stats time_stats;

#endif /* TIME_H */
