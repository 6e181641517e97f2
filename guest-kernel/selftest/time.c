/* SPDX-License-Identifier: MIT */
/*
 * selftest/time.c - time and timers: the pvclock, the wallclock, the
 *                   one-shot timer (set_timer_op, VCPUOP_*_singleshot_timer)
 *                   and its VIRQ_TIMER, cancelling, SCHEDOP_block, a spin
 *                   interrupted by the timer, the periodic timer.
 * Owns:    the time self-tests and their recording timer function.
 * Touches: the time layer (time.h) and the event layer (evtchn.h);
 *          set_timer_op, vcpu_op and sched_op directly (what is tested);
 *          vcpu_info (upcall mask and pending, time) read only;
 *          pv_ops.irq_enable/irq_disable.
 *
 * Every test starts and ends with events masked, no port bound and the
 * timer interrupt unbound: st_time() runs the body, then masks events,
 * stops every hypervisor timer, unbinds VIRQ_TIMER and, if the body left a
 * port bound, resets the event channels.  QEMU's TCG is slow and its time
 * coarse, so waits are bounded generously (TIME_ST_PATIENCE_NS of system
 * time past a deadline) and nothing asserts an upper bound on a delay;
 * what is strict is order: no timer event before its deadline, none after
 * a cancel.  Expectations are Xen 4.17's answers to this kernel as dom0.
 */
#include <selftest.h>
#include <evtchn.h>
#include <time.h>
#include <asm/pvops.h>
#include <pv/hypercall.h>
#include <pv/xen.h>

/* How long past a deadline a test waits for its event (system time). */
#define TIME_ST_PATIENCE_NS (2 * NSEC_PER_SEC)
/* Bound on any polling loop's iterations, in case system time stands still. */
#define TIME_ST_MAX_SPINS   50000000UL
/* How far ahead the tests' timers are set. */
#define TIME_ST_AHEAD_NS    (5 * NSEC_PER_MSEC)
/* After a cancel, how long nothing may arrive. */
#define TIME_ST_QUIET_NS    (20 * NSEC_PER_MSEC)
#define TIME_ST_PCLOCK_READS 100000
#define TIME_ST_BUSY_LOOP   1000000
#define TIME_ST_PERIOD_NS   (10 * NSEC_PER_MSEC)
#define TIME_ST_PERIODIC_WINDOW_NS (100 * NSEC_PER_MSEC)
#define TIME_ST_PERIODIC_MIN_TICKS 3
/* 2020-01-01 and 2100-01-01 00:00 UTC, in seconds since 1970. */
#define TIME_ST_WC_2020 1577836800UL
#define TIME_ST_WC_2100 4102444800UL

struct tm_seen {
    unsigned long count;
    uint64_t at_ns;          /* system time inside the timer function */
};

static volatile struct tm_seen tm_a;

static void tm_record(struct timer *t, void *arg)
{
    volatile struct tm_seen *s = arg;

    (void)t;
    s->count++;
    s->at_ns = clock_ns();
}

/* Busy-wait (no hypercall) until system time reaches ns or flag becomes
 * non-zero; false if the iteration bound ran out first. */
static bool tm_spin_until(uint64_t ns, volatile unsigned long *flag)
{
    unsigned long i;

    for (i = 0; i < TIME_ST_MAX_SPINS; i++) {
        if ((flag && *flag) || clock_ns() >= ns)
            return true;
        asm volatile("pause");
    }
    return false;
}

/* Poll the timer port's pending bit with events masked until ns: returns
 * the system time it was first seen pending (read after the bit), or 0. */
static uint64_t tm_poll_pending(uint64_t until_ns)
{
    unsigned int port = xen_timer_port();
    unsigned long i;

    for (i = 0; i < TIME_ST_MAX_SPINS; i++) {
        bool pending = evtchn_is_pending(port);
        uint64_t now = clock_ns();

        if (pending)
            return now;
        if (now >= until_ns)
            return 0;
        asm volatile("pause");
    }
    return 0;
}

/* Run a test body between the invariants every time test keeps. */
static const char *st_time(const char *(*body)(void))
{
    struct vcpu_info *v = xen_vcpu();
    const char *why;
    long rc;

    ST_EXPECT(v->evtchn_upcall_mask, "events unmasked before the test");
    ST_EXPECT(evtchn_nr_bound() == 0, "%u ports bound before the test", evtchn_nr_bound());
    ST_EXPECT(!time_timers_running(), "timer interrupt bound before the test");
    tm_a = (struct tm_seen){ 0 };
    why = body();
    pv_ops.irq_disable();
    /* Whatever the body left running (errors ignored: a hypervisor
     * without these calls has no timer to stop). */
    HYPERVISOR_set_timer_op(0);
    HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, XEN_BOOT_VCPU, NULL);
    HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, XEN_BOOT_VCPU, NULL);
    rc = time_timers_stop();
    if (!why && rc)
        why = st_fail("time_timers_stop() = %ld", rc);
    if (evtchn_nr_bound()) {
        rc = evtchn_reset();
        if (!why)
            why = st_fail("%u ports left bound (reset: %ld)", evtchn_nr_bound(), rc);
    }
    /* A timer event raised between the last irq_disable and the close left
     * evtchn_upcall_pending set with nothing behind it: let it run dry. */
    if (v->evtchn_upcall_pending) {
        pv_ops.irq_enable();
        pv_ops.irq_disable();
    }
    return why;
}

static const char *tm_start(void)
{
    long rc = time_timers_start();

    ST_EXPECT(rc == 0, "time_timers_start() = %ld (VCPUOP_stop_periodic_timer, "
              "bind_virq(VIRQ_TIMER))", rc);
    return NULL;
}

static const char *pvclock_body(void)
{
    const struct vcpu_time_info *t = &xen_vcpu()->time;
    uint32_t version;
    uint64_t first, prev, now;
    int i;

    ST_EXPECT(t->tsc_to_system_mul != 0, "tsc_to_system_mul 0: no pvclock");
    first = prev = xen_clock_ns_version(&version);
    ST_EXPECT(first > 0, "system time 0");
    for (i = 0; i < TIME_ST_PCLOCK_READS; i++) {
        now = xen_clock_ns_version(&version);
        ST_EXPECT(!(version & 1), "read %d used odd version %u", i, version);
        ST_EXPECT(now >= prev, "read %d went back: %lu after %lu", i, now, prev);
        prev = now;
    }
    ST_EXPECT(prev > first, "%d reads, system time stuck at %lu", TIME_ST_PCLOCK_READS,
              first);
    prev = clock_ns();
    for (i = 0; i < TIME_ST_BUSY_LOOP; i++)
        asm volatile("pause");
    now = clock_ns();
    ST_EXPECT(now > prev, "busy loop of %d: system time %lu -> %lu", TIME_ST_BUSY_LOOP,
              prev, now);
    return NULL;
}

const char *st_time_pvclock(void) { return st_time(pvclock_body); }

static const char *wallclock_body(void)
{
    struct wall_time w0, w1;
    uint64_t s0, s1;
    int64_t dw, ds;

    wallclock(&w0);
    s0 = clock_ns();
    ST_EXPECT(w0.sec >= TIME_ST_WC_2020 && w0.sec < TIME_ST_WC_2100,
              "wallclock %lu s: not between 2020 and 2100", w0.sec);
    ST_EXPECT(w0.nsec < NSEC_PER_SEC, "wallclock nsec %u", w0.nsec);
    ST_EXPECT(tm_spin_until(s0 + 10 * NSEC_PER_MSEC, NULL), "system time stands still");
    wallclock(&w1);
    s1 = clock_ns();
    dw = (int64_t)(w1.sec - w0.sec) * (int64_t)NSEC_PER_SEC + (int64_t)w1.nsec -
         (int64_t)w0.nsec;
    ds = (int64_t)(s1 - s0);
    ST_EXPECT(dw >= ds / 2 && dw <= 2 * ds + (int64_t)NSEC_PER_MSEC,
              "wallclock moved %ld ns while system time moved %ld ns", dw, ds);
    return NULL;
}

const char *st_time_wallclock(void) { return st_time(wallclock_body); }

/*
 * With events masked, watch the port: it must not become pending before
 * the deadline, and must within TIME_ST_PATIENCE_NS after; then enabling
 * events runs the timer function (after the deadline, by the layer's rule).
 */
static const char *oneshot_body(void)
{
    struct timer t = { 0 };
    uint64_t deadline, seen;
    unsigned long irqs;

    ST_TRY(tm_start());
    irqs = time_stats.irqs;
    deadline = clock_ns() + TIME_ST_AHEAD_NS;
    ST_EXPECT_RC(timer_arm(&t, deadline, tm_record, (void *)&tm_a), 0);
    seen = tm_poll_pending(deadline + TIME_ST_PATIENCE_NS);
    ST_EXPECT(seen, "VIRQ_TIMER not pending %lu ns after the deadline",
              TIME_ST_PATIENCE_NS);
    ST_EXPECT(seen >= deadline, "VIRQ_TIMER pending at %lu, %lu ns before the deadline",
              seen, deadline - seen);
    ST_EXPECT(tm_a.count == 0, "timer function ran with events masked");
    pv_ops.irq_enable();
    pv_ops.irq_disable();
    ST_EXPECT(time_stats.irqs == irqs + 1, "%lu timer interrupts, want 1",
              time_stats.irqs - irqs);
    ST_EXPECT(tm_a.count == 1, "timer function ran %lu times, want 1", tm_a.count);
    ST_EXPECT(t.fired_ns >= deadline && tm_a.at_ns >= deadline,
              "timer function at %lu, deadline %lu", tm_a.at_ns, deadline);
    ST_EXPECT(!t.armed, "timer still armed after it fired");
    return NULL;
}

const char *st_timer_oneshot(void) { return st_time(oneshot_body); }

/* Armed TIME_ST_AHEAD_NS ahead and already stopped: the port stays quiet
 * until TIME_ST_QUIET_NS past the would-be deadline. */
static const char *tm_expect_quiet(const char *how, uint64_t deadline)
{
    uint64_t seen = tm_poll_pending(deadline + TIME_ST_QUIET_NS);

    ST_EXPECT(!seen, "%s: VIRQ_TIMER pending at %lu, deadline was %lu", how, seen,
              deadline);
    return NULL;
}

/*
 * VCPU_SSHOTTMR_future asks for -XEN_ETIME when the deadline has passed.
 * Xen 4.17 (4.17.7, as Debian ships it) ignores the flag: a deadline in
 * the past is accepted (0) and VIRQ_TIMER raised at once, before the call
 * returns, as without the flag.
 */
static const char *sshot_future_body(void)
{
    struct vcpu_set_singleshot_timer op = { .flags = VCPU_SSHOTTMR_future };
    unsigned int port;

    ST_TRY(tm_start());
    port = xen_timer_port();
    op.timeout_abs_ns = clock_ns() - NSEC_PER_MSEC;
    ST_EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, XEN_BOOT_VCPU, &op), 0);
    ST_EXPECT(evtchn_is_pending(port), "deadline in the past: VIRQ_TIMER not raised by "
              "the call's return");
    pv_ops.irq_enable();        /* run it (no kernel timer armed: nothing due) */
    pv_ops.irq_disable();
    ST_EXPECT(!evtchn_is_pending(port), "VIRQ_TIMER still pending after its upcall");
    op.timeout_abs_ns = clock_ns() + NSEC_PER_SEC;
    ST_EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, XEN_BOOT_VCPU, &op), 0);
    ST_EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, XEN_BOOT_VCPU, NULL), 0);
    ST_TRY(tm_expect_quiet("VCPUOP_stop_singleshot_timer", clock_ns()));
    return NULL;
}

const char *st_timer_sshot_future(void) { return st_time(sshot_future_body); }

static const char *cancel_body(void)
{
    struct vcpu_set_singleshot_timer op = { 0 };
    struct timer t = { 0 };
    unsigned long irqs;
    uint64_t deadline;

    ST_TRY(tm_start());
    irqs = time_stats.irqs;

    deadline = clock_ns() + TIME_ST_AHEAD_NS;
    ST_EXPECT_RC(HYPERVISOR_set_timer_op(deadline), 0);
    ST_EXPECT_RC(HYPERVISOR_set_timer_op(0), 0);
    ST_TRY(tm_expect_quiet("set_timer_op(0)", deadline));

    op.timeout_abs_ns = deadline = clock_ns() + TIME_ST_AHEAD_NS;
    ST_EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, XEN_BOOT_VCPU, &op), 0);
    ST_EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, XEN_BOOT_VCPU, NULL), 0);
    ST_TRY(tm_expect_quiet("VCPUOP_stop_singleshot_timer", deadline));

    deadline = clock_ns() + TIME_ST_AHEAD_NS;
    ST_EXPECT_RC(timer_arm(&t, deadline, tm_record, (void *)&tm_a), 0);
    timer_cancel(&t);
    ST_TRY(tm_expect_quiet("timer_cancel", deadline));

    pv_ops.irq_enable();
    pv_ops.irq_disable();
    ST_EXPECT(time_stats.irqs == irqs && tm_a.count == 0,
              "%lu timer interrupts, %lu timer functions after cancelling",
              time_stats.irqs - irqs, tm_a.count);
    return NULL;
}

const char *st_timer_cancel(void) { return st_time(cancel_body); }

static const char *block_body(void)
{
    struct vcpu_info *v = xen_vcpu();
    struct timer t = { 0 };
    uint64_t deadline, after;
    uint8_t mask_after;
    long rc;

    ST_TRY(tm_start());
    deadline = clock_ns() + TIME_ST_AHEAD_NS;
    ST_EXPECT_RC(timer_arm(&t, deadline, tm_record, (void *)&tm_a), 0);
    ST_EXPECT(!v->evtchn_upcall_pending, "upcall pending before blocking");
    /* Events masked: SCHEDOP_block unmasks them itself. */
    rc = HYPERVISOR_sched_op(SCHEDOP_block, NULL);
    after = clock_ns();
    mask_after = v->evtchn_upcall_mask;
    pv_ops.irq_disable();
    ST_EXPECT_RC(rc, 0);
    ST_EXPECT(after >= deadline, "SCHEDOP_block returned at %lu, %lu ns before the deadline",
              after, deadline - after);
    ST_EXPECT(mask_after == 0, "events still masked after SCHEDOP_block");
    ST_EXPECT(tm_a.count == 1, "timer function ran %lu times by block's return, want 1",
              tm_a.count);
    ST_EXPECT(tm_a.at_ns >= deadline, "timer function at %lu, deadline %lu", tm_a.at_ns,
              deadline);

    /* The same through the kernel's sleep (pv_ops.safe_halt). */
    deadline = clock_ns() + TIME_ST_AHEAD_NS;
    ST_EXPECT_RC(kernel_sleep_until(deadline), 0);
    after = clock_ns();
    ST_EXPECT(after >= deadline, "kernel_sleep_until returned %lu ns early", deadline - after);
    ST_EXPECT(v->evtchn_upcall_mask, "events unmasked after kernel_sleep_until");
    return NULL;
}

const char *st_sched_block(void) { return st_time(block_body); }

/* Events enabled, no hypercall in the loop: only the hypervisor taking
 * the CPU back (its own timer interrupt) can run the timer function. */
static const char *spin_body(void)
{
    struct timer t = { 0 };
    uint64_t deadline, end;
    bool bounded;

    ST_TRY(tm_start());
    deadline = clock_ns() + TIME_ST_AHEAD_NS;
    ST_EXPECT_RC(timer_arm(&t, deadline, tm_record, (void *)&tm_a), 0);
    pv_ops.irq_enable();
    bounded = tm_spin_until(deadline + TIME_ST_PATIENCE_NS, &tm_a.count);
    end = clock_ns();
    pv_ops.irq_disable();
    ST_EXPECT(tm_a.count == 1, "timer function ran %lu times in a spin until %lu ns past "
              "the deadline%s", tm_a.count, end - deadline,
              bounded ? "" : " (iteration bound hit)");
    ST_EXPECT(tm_a.at_ns >= deadline, "timer function at %lu, deadline %lu", tm_a.at_ns,
              deadline);
    return NULL;
}

const char *st_timer_spin(void) { return st_time(spin_body); }

/*
 * VCPUOP_set_periodic_timer raises VIRQ_TIMER every period while the vCPU
 * runs.  Only while it runs: Xen stops a vCPU's periodic timer when it is
 * descheduled (a blocked vCPU is not woken by it) and, when it runs again,
 * raises one event for all the periods it missed.  So the test spins, with
 * events enabled, through TIME_ST_PERIODIC_WINDOW_NS and counts the ticks;
 * after VCPUOP_stop_periodic_timer a spin as long sees none.
 */
static const char *periodic_body(void)
{
    struct vcpu_set_periodic_timer op = { .period_ns = TIME_ST_PERIOD_NS };
    unsigned long irqs, ticks;
    uint64_t end;

    ST_TRY(tm_start());
    irqs = time_stats.irqs;
    ST_EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, XEN_BOOT_VCPU, &op), 0);
    end = clock_ns() + TIME_ST_PERIODIC_WINDOW_NS;
    pv_ops.irq_enable();
    tm_spin_until(end, NULL);
    pv_ops.irq_disable();
    ticks = time_stats.irqs - irqs;
    ST_EXPECT(ticks >= TIME_ST_PERIODIC_MIN_TICKS,
              "%lu ticks in %lu ms with a %lu ms periodic timer, want >= %d", ticks,
              TIME_ST_PERIODIC_WINDOW_NS / NSEC_PER_MSEC, TIME_ST_PERIOD_NS / NSEC_PER_MSEC,
              TIME_ST_PERIODIC_MIN_TICKS);
    ST_EXPECT_RC(HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, XEN_BOOT_VCPU, NULL), 0);
    pv_ops.irq_enable();        /* a tick raised before the stop */
    pv_ops.irq_disable();
    irqs = time_stats.irqs;
    end = clock_ns() + TIME_ST_PERIODIC_WINDOW_NS;
    pv_ops.irq_enable();
    tm_spin_until(end, NULL);
    pv_ops.irq_disable();
    ST_EXPECT(time_stats.irqs == irqs, "%lu ticks in %lu ms after stop_periodic_timer",
              time_stats.irqs - irqs, TIME_ST_PERIODIC_WINDOW_NS / NSEC_PER_MSEC);
    return NULL;
}

const char *st_timer_periodic(void) { return st_time(periodic_body); }
