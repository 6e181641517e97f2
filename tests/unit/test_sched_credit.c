/* SPDX-License-Identifier: MIT */
/*
 * test_sched_credit.c - unit tests for hypervisor/common/sched_credit.c
 * (the credit scheduler), with the real sched.c (vcpu_unblock, sched_op)
 * and timer.c (the slice and accounting timers), over the simulated
 * machine of host_mm.c (dom0, d1, d2, one vCPU each) and a clock this
 * test moves by hand.
 * Owns:    NOW() (fake_now), arch_timer_program() (records the deadline:
 *          the "timer interrupt" is this test calling timer_softirq()),
 *          the context switch: arch_context_save() (v leaves the CPU,
 *          current becomes NULL), arch_vcpu_enter() and
 *          arch_reset_to_idle() (recorded, then a longjmp back to
 *          call_schedule(), as neither returns), arch_enter_idle_page_table()
 *          and domain_destroy() (recorded), vcpu_runnable() (domain.c's
 *          rule), vcpu_runstate_change() (sets the state), domain_shutdown()
 *          (domain.c's state change), and stand-ins that fail the test for
 *          what sched.c calls but these tests never reach.
 * Touches: nothing of the code under test.
 *
 * Each test checks one rule of sched_credit.c's head comment. run_until()
 * models the machine as traps.c and sched.c drive the scheduler: the
 * current vCPU (or the idle loop) runs until the next timer interrupt,
 * which runs the timers due; then exit_to_guest() calls schedule() if a
 * reschedule is pending or current may not run, and the idle loop calls
 * it after every interrupt.
 */
#include <xen/sched.h>
#include "harness.h"
#include "host_mm.h"
#include "arch.h"
#include "domain.h"
#include "event.h"
#include "hypercall.h"
#include "sched_credit.h"
#include "time.h"
#include "timer.h"

/* sched_credit.c's SLICE and ACCT_PERIOD (checked by the first test). */
#define SLICE        MILLISECS(10)
#define ACCT_PERIOD  MILLISECS(30)
#define START        SECONDS(1)           /* the clock at sched_init() */

/* ---- the clock and the timer interrupt --------------------------------- */

static uint64_t fake_now, programmed;

uint64_t NOW(void)
{
    return fake_now;
}

void arch_timer_program(uint64_t deadline_ns)
{
    programmed = deadline_ns;
}

/* ---- the context switch, recorded -------------------------------------- */

enum sched_outcome {
    SCHED_RETURNED,              /* schedule() returned                 */
    SCHED_ENTERED,               /* ... ended in arch_vcpu_enter()      */
    SCHED_IDLED,                 /* ... ended in arch_reset_to_idle()   */
};

#define SEQ_MAX 1024

static struct {
    unsigned int saves, enters, idles, idle_page_tables, destroys;
    struct vcpu *saved, *entered;          /* the last ones             */
    struct domain *destroyed;
    unsigned int idle_pt_at_destroy;       /* idle_page_tables then     */
    domid_t seq[SEQ_MAX];                  /* who was entered, in order */
    uint64_t ran_ns[3];                    /* CPU time, by domain       */
    unsigned int picks[3];                 /* entries, by domain        */
} rec;
static jmp_buf sched_jb;

/* As context.c's: v's state is saved, it is off the CPU, current is NULL. */
void arch_context_save(struct vcpu *v, uint64_t now)
{
    ck_assert_uint_eq(now, NOW());          /* the decision's time */
    ck_assert_ptr_eq(v, current);
    ck_assert(v->running);
    v->running = false;
    host_current = NULL;
    rec.saves++;
    rec.saved = v;
}

void arch_vcpu_enter(struct vcpu *v, uint64_t now)
{
    ck_assert_uint_eq(now, NOW());
    ck_assert_msg(current == NULL, "entering d%uv%u over d%uv%u",
                  v->domain->domain_id, v->vcpu_id,
                  current->domain->domain_id, current->vcpu_id);
    ck_assert(vcpu_runnable(v));
    host_current = v;
    v->running = true;
    if (rec.enters < SEQ_MAX)
        rec.seq[rec.enters] = v->domain->domain_id;
    rec.enters++;
    rec.entered = v;
    rec.picks[v->domain - host_dom]++;
    longjmp(sched_jb, SCHED_ENTERED);
}

void arch_reset_to_idle(void)
{
    ck_assert_ptr_null(current);
    rec.idles++;
    longjmp(sched_jb, SCHED_IDLED);
}

void arch_enter_idle_page_table(void)
{
    rec.idle_page_tables++;
}

/* domain.c's contract: no vCPU of d on a CPU, the idle page table loaded. */
void domain_destroy(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        ck_assert_msg(!d->vcpu[i]->running, "d%uv%u destroyed while running",
                      d->domain_id, i);
    rec.destroys++;
    rec.destroyed = d;
    rec.idle_pt_at_destroy = rec.idle_page_tables;
    d->state = DOMAIN_DYING;
}

/* ---- the rest of the hypervisor ---------------------------------------- */

/* domain.c's rule. */
bool vcpu_runnable(const struct vcpu *v)
{
    return v && v->domain->state == DOMAIN_RUNNING && !v->blocked && !v->down;
}

void vcpu_runstate_change(struct vcpu *v, int state)
{
    v->runstate.state = state;
}

/* domain.c's state change (the VIRQ and console are not these tests'). */
void domain_shutdown(struct domain *d, unsigned int reason)
{
    if (d->state != DOMAIN_RUNNING)
        return;
    d->state = DOMAIN_SHUTDOWN;
    d->shutdown_code = reason;
}

long evtchn_port_poll(const struct domain *d, evtchn_port_t port)
{
    ck_abort_msg("evtchn_port_poll(d%u, %u): not in these tests",
                 d->domain_id, port);
    return 0;
}

void hypercall_stats_dump(const struct domain *d)
{
    ck_abort_msg("hypercall_stats_dump(d%u): dom0_gone is not in these tests",
                 d->domain_id);
}

uint64_t domain_relinquish_memory(struct domain *d)
{
    ck_abort_msg("domain_relinquish_memory(d%u): not in these tests",
                 d->domain_id);
    return 0;
}

const char *shutdown_reason_name(unsigned int reason)
{
    (void)reason;
    return "?";
}

void arch_machine_stop(unsigned int exit_value, bool reboot)
{
    ck_abort_msg("arch_machine_stop(%u, %d): not in these tests",
                 exit_value, reboot);
    abort();
}

void arch_idle(void)
{
    ck_abort_msg("arch_idle: the idle loop is run_until()'s");
}

/* ---- driving the scheduler --------------------------------------------- */

static struct shared_info shinfo[3] __attribute__((aligned(4096)));

static struct vcpu *V(unsigned int i)
{
    return &host_vcpu[i];
}

/* Three domains of weight 256, no cap, each vCPU runnable; the CPU idle. */
static void setup(void)
{
    /* A second setup() in one test: the old timers leave timer.c's list. */
    stop_timer(&sched_cpus[0].slice_timer);
    stop_timer(&sched_cpus[0].acct_timer);
    memset(sched_cpus, 0, sizeof(sched_cpus));
    host_machine_reset();
    memset(shinfo, 0, sizeof(shinfo));
    memset(&rec, 0, sizeof(rec));
    fake_now = START;
    programmed = 0;
    for (unsigned int i = 0; i < 3; i++) {
        host_dom[i].shared_info = &shinfo[i];
        host_dom[i].weight = SCHED_DEFAULT_WEIGHT;
        V(i)->vcpu_info = &shinfo[i].vcpu_info[0];
        sched_vcpu_init(V(i));
    }
    host_current = NULL;
    sched_init();
    /*
     * Runnable from the start, as if brought up (the runqueue learns of a
     * runnable vCPU from sched_wake(), as domain.c's vcpu_bring_up()
     * tells it), but without the boost a bring-up gives: these tests
     * start from plain UNDER vCPUs queued in domain order.
     */
    for (unsigned int i = 0; i < 3; i++) {
        sched_wake(V(i));
        V(i)->sched.boost = false;
    }
    sched_cpus[0].need_resched = false;
}

/* schedule(), caught where it enters a vCPU or the idle loop. */
static enum sched_outcome call_schedule(void)
{
    int how = setjmp(sched_jb);

    if (how == 0) {
        schedule();
        return SCHED_RETURNED;
    }
    return (enum sched_outcome)how;
}

/* From the idle CPU: schedule() must enter v. */
static void expect_enter(struct vcpu *v)
{
    enum sched_outcome how = call_schedule();

    ck_assert_msg(how == SCHED_ENTERED && rec.entered == v,
                  "schedule() %s d%u; want d%uv%u entered",
                  how == SCHED_ENTERED ? "entered" : "did not enter",
                  rec.entered ? rec.entered->domain->domain_id : 99,
                  v->domain->domain_id, v->vcpu_id);
}

/* The clock to t, each timer run at its expiry; nobody is scheduled. */
static void tick_to(uint64_t t)
{
    while (programmed && programmed <= t) {
        if (programmed > fake_now)
            fake_now = programmed;
        timer_softirq();
    }
    fake_now = t;
}

/* After an interrupt: exit_to_guest()'s or idle_loop()'s call of schedule(). */
static void after_interrupt(void)
{
    if (timer_softirq_pending)
        timer_softirq();
    if (!current || sched_resched_pending() || !vcpu_runnable(current))
        call_schedule();
}

/* The machine until end (see the head comment); rec.ran_ns adds up. */
static void run_until(uint64_t end)
{
    while (fake_now < end) {
        uint64_t next = programmed && programmed < end ? programmed : end;

        if (next > fake_now) {
            if (current)
                rec.ran_ns[current->domain - host_dom] += next - fake_now;
            fake_now = next;
        }
        if (programmed && programmed <= fake_now)
            timer_softirq();
        after_interrupt();
    }
}

static uint64_t acct_due(void)
{
    return sched_cpus[0].acct_timer.expires;
}

/* d1 and d2 always runnable, dom0 blocked: their CPU time over 3 s. */
static void run_two(unsigned int w1, unsigned int cap1, unsigned int w2)
{
    setup();
    V(0)->blocked = true;
    host_dom[1].weight = w1;
    host_dom[1].cap = cap1;
    host_dom[2].weight = w2;
    call_schedule();
    run_until(START + SECONDS(3));
    ck_assert_uint_eq(rec.ran_ns[0], 0);
    ck_assert_uint_eq(rec.ran_ns[1] + rec.ran_ns[2], SECONDS(3));
}

/* ---- the tests ---------------------------------------------------------- */

/* The figures this file assumes: a 10 ms slice, a 30 ms period. */
START_TEST(slice_and_period_as_the_header_says)
{
    setup();
    ck_assert(sched_cpus[0].acct_timer.active);
    ck_assert_uint_eq(acct_due(), START + ACCT_PERIOD);
    expect_enter(V(0));
    ck_assert(sched_cpus[0].slice_timer.active);
    ck_assert_uint_eq(sched_cpus[0].slice_timer.expires, START + SLICE);
    ck_assert_uint_eq(programmed, START + SLICE);
}
END_TEST

/*
 * Equal weight and credit: at each slice end the vCPU queued longest
 * runs; queued d2, dom0, d1 in that order, they run so, over and over.
 */
START_TEST(round_robin_longest_queued_first)
{
    static const domid_t order[3] = { 2, 0, 1 };

    setup();
    for (unsigned int i = 0; i < 3; i++) {      /* queued again: d2, d0, d1 */
        sched_wake(V(order[i]));
        V(order[i])->sched.boost = false;
    }
    expect_enter(V(2));
    run_until(START + 30 * SLICE);
    ck_assert_uint_eq(rec.enters, 31);
    for (unsigned int i = 0; i < rec.enters; i++)
        ck_assert_msg(rec.seq[i] == order[i % 3], "pick %u: d%u, want d%u",
                      i, rec.seq[i], order[i % 3]);
    ck_assert_uint_eq(rec.ran_ns[0], rec.ran_ns[1]);
    ck_assert_uint_eq(rec.ran_ns[1], rec.ran_ns[2]);
}
END_TEST

/*
 * Every period is handed out by weight among the domains that want the
 * CPU: 256 and 512 get 10 and 20 ms; dom0, blocked, nothing; again the
 * next period, the timer re-armed.
 */
START_TEST(accounting_by_weight)
{
    setup();
    V(0)->blocked = true;
    host_dom[2].weight = 512;
    V(0)->sched.credit = -MILLISECS(7);
    V(1)->sched.credit = -MILLISECS(50);
    V(2)->sched.credit = -MILLISECS(50);
    for (unsigned int period = 1; period <= 2; period++) {
        int64_t c1 = V(1)->sched.credit, c2 = V(2)->sched.credit;

        tick_to(START + period * ACCT_PERIOD);
        ck_assert_int_eq(V(1)->sched.credit - c1, (int64_t)MILLISECS(10));
        ck_assert_int_eq(V(2)->sched.credit - c2, (int64_t)MILLISECS(20));
        ck_assert_int_eq(V(0)->sched.credit, -(int64_t)MILLISECS(7));
        ck_assert_uint_eq(acct_due(), START + (period + 1) * ACCT_PERIOD);
        ck_assert(sched_resched_pending());
    }
}
END_TEST

/* A domain's share is split among its active vCPUs. */
START_TEST(accounting_splits_among_active_vcpus)
{
    struct vcpu v2b = { .vcpu_id = 1, .domain = &host_dom[2] };

    setup();
    V(0)->blocked = true;
    host_dom[2].weight = 512;
    host_dom[2].vcpu[1] = &v2b;
    host_dom[2].max_vcpus = 2;
    sched_vcpu_init(&v2b);
    tick_to(START + ACCT_PERIOD);
    ck_assert_int_eq(V(1)->sched.credit, (int64_t)MILLISECS(10));
    ck_assert_int_eq(V(2)->sched.credit, (int64_t)MILLISECS(10));
    ck_assert_int_eq(v2b.sched.credit, (int64_t)MILLISECS(10));
    v2b.blocked = true;             /* d2's share all to its one active vCPU */
    tick_to(START + 2 * ACCT_PERIOD);
    ck_assert_int_eq(V(2)->sched.credit, (int64_t)MILLISECS(30));
    ck_assert_int_eq(v2b.sched.credit, (int64_t)MILLISECS(10));
}
END_TEST

/* Credit stops at one period's worth: an idle CPU does not bank it. */
START_TEST(credit_stops_at_one_period)
{
    setup();
    V(0)->blocked = true;
    host_dom[2].weight = 512;
    V(2)->sched.credit = (int64_t)MILLISECS(25);
    tick_to(START + ACCT_PERIOD);
    ck_assert_int_eq(V(1)->sched.credit, (int64_t)MILLISECS(10));
    ck_assert_int_eq(V(2)->sched.credit, (int64_t)ACCT_PERIOD);
    V(2)->blocked = true;           /* d1 alone: the whole period, then no more */
    for (unsigned int period = 2; period <= 10; period++) {
        tick_to(START + period * ACCT_PERIOD);
        ck_assert_int_le(V(1)->sched.credit, (int64_t)ACCT_PERIOD);
    }
    ck_assert_int_eq(V(1)->sched.credit, (int64_t)ACCT_PERIOD);
    ck_assert_int_eq(V(2)->sched.credit, (int64_t)ACCT_PERIOD);
}
END_TEST

static void check_share(unsigned int w1, unsigned int w2)
{
    double ratio, want = (double)w2 / w1;

    run_two(w1, 0, w2);
    ratio = (double)rec.ran_ns[2] / (double)rec.ran_ns[1];
    log_printf(LOG_INFO, "test", "weights %u:%u: d1 %lu ms in %u picks, d2 %lu "
               "ms in %u picks: 1:%.3f", w1, w2,
               (unsigned long)(rec.ran_ns[1] / MILLISECS(1)), rec.picks[1],
               (unsigned long)(rec.ran_ns[2] / MILLISECS(1)), rec.picks[2],
               ratio);
    ck_assert_msg(ratio >= 0.9 * want && ratio <= 1.1 * want,
                  "weights %u:%u: d1 ran %lu ms (%u picks), d2 %lu ms "
                  "(%u picks): 1:%.2f, want 1:%.2f +-10%%", w1, w2,
                  (unsigned long)(rec.ran_ns[1] / MILLISECS(1)), rec.picks[1],
                  (unsigned long)(rec.ran_ns[2] / MILLISECS(1)), rec.picks[2], ratio, want);
}

/* Two always-runnable domains share the CPU by weight, over 3 s. */
START_TEST(share_follows_weight_1_to_2)
{
    check_share(256, 512);
}
END_TEST

START_TEST(share_follows_weight_1_to_4)
{
    check_share(256, 1024);
}
END_TEST

/* A 20% cap holds weight 1024 below weight 256's share. */
START_TEST(cap_limits_share)
{
    double share;

    run_two(1024, 20, 256);
    share = (double)rec.ran_ns[1] / (double)SECONDS(3);
    log_printf(LOG_INFO, "test", "cap 20 weight 1024 vs 256: d1 %lu ms in %u "
               "picks, d2 %lu ms in %u picks: %.1f%%",
               (unsigned long)(rec.ran_ns[1] / MILLISECS(1)), rec.picks[1],
               (unsigned long)(rec.ran_ns[2] / MILLISECS(1)), rec.picks[2],
               100 * share);
    ck_assert_msg(share <= 0.25, "capped d1 ran %lu ms of 3000 (%u picks of "
                  "%u): %.1f%%", (unsigned long)(rec.ran_ns[1] / MILLISECS(1)), rec.picks[1],
                  rec.enters, 100 * share);
    ck_assert_msg(share >= 0.15, "capped d1 ran only %.1f%%", 100 * share);
}
END_TEST

/* Alone, a capped domain still gets no more than its cap: the CPU idles. */
START_TEST(cap_holds_alone)
{
    double share;

    setup();
    V(0)->blocked = true;
    V(2)->blocked = true;
    host_dom[1].cap = 20;
    call_schedule();
    run_until(START + SECONDS(3));
    share = (double)rec.ran_ns[1] / (double)SECONDS(3);
    log_printf(LOG_INFO, "test", "cap 20 alone: d1 %lu ms in %u picks: %.1f%%",
               (unsigned long)(rec.ran_ns[1] / MILLISECS(1)), rec.picks[1],
               100 * share);
    ck_assert_msg(share >= 0.15 && share <= 0.25, "capped d1 alone ran %.1f%%",
                  100 * share);
}
END_TEST

/* A capped vCPU out of credit is parked: below even an uncapped OVER one. */
START_TEST(capped_without_credit_is_parked)
{
    setup();
    V(0)->blocked = true;
    host_dom[1].cap = 20;
    host_dom[1].weight = 1024;
    V(1)->sched.credit = -MILLISECS(1);
    V(2)->sched.credit = -MILLISECS(5);        /* OVER, not capped */
    expect_enter(V(2));
    /* Running, d1 is parked at its slice end too. */
    setup();
    V(0)->blocked = true;
    host_dom[1].cap = 20;
    V(1)->sched.credit = MILLISECS(5);
    V(2)->sched.credit = -MILLISECS(20);
    expect_enter(V(1));
    tick_to(START + SLICE);
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    ck_assert_int_eq(V(1)->sched.credit, -(int64_t)MILLISECS(5));
}
END_TEST

/* Alone and parked, a capped vCPU leaves the CPU idle until it has credit. */
START_TEST(capped_alone_idles_until_credit)
{
    setup();
    V(0)->blocked = true;
    V(2)->blocked = true;
    host_dom[1].cap = 20;                      /* 6 ms a period */
    expect_enter(V(1));
    tick_to(START + SLICE);                    /* -10 ms */
    ck_assert_int_eq(call_schedule(), SCHED_IDLED);
    ck_assert_ptr_eq(rec.saved, V(1));
    ck_assert(!sched_cpus[0].slice_timer.active);
    tick_to(START + 2 * SLICE);                /* the idle loop wakes */
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);
    tick_to(START + ACCT_PERIOD);              /* -4 ms: still parked */
    ck_assert_int_eq(V(1)->sched.credit, -(int64_t)MILLISECS(4));
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);
    ck_assert_ptr_null(current);
    tick_to(START + 2 * ACCT_PERIOD - 1);
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);
    tick_to(START + 2 * ACCT_PERIOD);          /* +2 ms: runs again */
    ck_assert_int_eq(V(1)->sched.credit, (int64_t)MILLISECS(2));
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(1));
    ck_assert_uint_eq(rec.enters, 2);
}
END_TEST

/* d1 runs with credit to spare; d2 blocked; dom0 blocked. */
static void d1_running_d2_blocked(int64_t d2_credit)
{
    setup();
    V(0)->blocked = true;
    V(2)->blocked = true;
    V(1)->sched.credit = MILLISECS(20);
    V(2)->sched.credit = d2_credit;
    expect_enter(V(1));
    tick_to(START + MILLISECS(2));
}

/* A vCPU woken with credit is boosted and preempts an UNDER one at once. */
START_TEST(wake_with_credit_boosts_and_preempts)
{
    d1_running_d2_blocked(0);
    ck_assert(!sched_resched_pending());
    vcpu_unblock(V(2));
    ck_assert(V(2)->sched.boost);
    ck_assert(sched_resched_pending());
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    ck_assert_ptr_eq(rec.saved, V(1));
    ck_assert(V(2)->sched.boost);              /* until descheduled */
    ck_assert_uint_eq(sched_cpus[0].slice_end,       /* a new slice */
                      START + MILLISECS(2) + SLICE);
}
END_TEST

/* With credit below 0 a waking vCPU is not boosted and preempts nobody. */
START_TEST(wake_without_credit_no_boost)
{
    d1_running_d2_blocked(-1);
    vcpu_unblock(V(2));
    ck_assert(!V(2)->sched.boost);
    ck_assert(!sched_resched_pending());
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);
    ck_assert_ptr_eq(current, V(1));
    ck_assert_uint_eq(rec.saves, 0);
    ck_assert_uint_eq(rec.enters, 1);
}
END_TEST

/*
 * Boost lasts while the vCPU runs (a schedule() mid-slice keeps it) and is
 * lost when it leaves the CPU: at its slice end, or when it blocks.
 */
START_TEST(boost_lost_when_descheduled)
{
    d1_running_d2_blocked(MILLISECS(15));
    vcpu_unblock(V(2));
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    tick_to(START + MILLISECS(5));
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);    /* mid-slice */
    ck_assert(V(2)->sched.boost);
    tick_to(START + MILLISECS(2) + SLICE);                 /* slice end */
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(1));
    ck_assert(!V(2)->sched.boost);
    /* Boosted again, then it blocks (SCHEDOP_block): boost gone. */
    V(2)->blocked = true;
    V(2)->sched.credit = MILLISECS(15);
    vcpu_unblock(V(2));
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    ck_assert(V(2)->sched.boost);
    ck_assert_int_eq(do_sched_op(SCHEDOP_block, 0), 0);
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);     /* exit_to_guest */
    ck_assert_ptr_eq(rec.entered, V(1));
    ck_assert(!V(2)->sched.boost);
}
END_TEST

/* SCHEDOP_yield hands the CPU to a runnable vCPU of the same priority. */
START_TEST(yield_hands_over_to_an_equal)
{
    setup();
    V(0)->blocked = true;
    V(1)->sched.credit = MILLISECS(20);
    V(2)->sched.credit = MILLISECS(20);
    expect_enter(V(1));
    tick_to(START + MILLISECS(1));
    ck_assert_int_eq(do_sched_op(SCHEDOP_yield, 0), 0);
    ck_assert(sched_resched_pending());
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    ck_assert_ptr_eq(rec.saved, V(1));
}
END_TEST

/* Nobody else runnable (or only lower priority): the yielder keeps the CPU. */
START_TEST(yield_alone_keeps_the_cpu)
{
    setup();
    V(0)->blocked = true;
    V(2)->blocked = true;
    V(1)->sched.credit = MILLISECS(20);
    expect_enter(V(1));
    tick_to(START + MILLISECS(1));
    ck_assert_int_eq(do_sched_op(SCHEDOP_yield, 0), 0);
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);
    ck_assert_ptr_eq(current, V(1));
    ck_assert_uint_eq(rec.saves, 0);
    ck_assert_uint_eq(rec.enters, 1);
    V(2)->sched.credit = -MILLISECS(1);     /* OVER: not of d1's priority */
    vcpu_unblock(V(2));
    ck_assert_int_eq(do_sched_op(SCHEDOP_yield, 0), 0);
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);
    ck_assert_ptr_eq(current, V(1));
    ck_assert_uint_eq(rec.enters, 1);
}
END_TEST

/* dom0 not running: nobody is picked, the CPU goes to the idle path. */
START_TEST(dom0_gone_nobody_runs)
{
    setup();
    expect_enter(V(0));
    tick_to(START + MILLISECS(1));
    host_dom[0].state = DOMAIN_SHUTDOWN;
    ck_assert_int_eq(call_schedule(), SCHED_IDLED);
    ck_assert_ptr_eq(rec.saved, V(0));
    ck_assert(!sched_cpus[0].slice_timer.active);
    /* d1 running when dom0 goes (say dom0's last vCPU went down). */
    setup();
    V(0)->blocked = true;
    expect_enter(V(1));
    host_dom[0].state = DOMAIN_SHUTDOWN;
    ck_assert_int_eq(call_schedule(), SCHED_IDLED);
    ck_assert_ptr_eq(rec.saved, V(1));
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);    /* from idle */
    ck_assert_ptr_null(current);
    ck_assert_uint_eq(rec.enters, 1);
    ck_assert_uint_eq(rec.destroys, 0);
}
END_TEST

/*
 * A boot domain that shut down is destroyed once its last vCPU leaves the
 * CPU, after the CPU left its page tables; once only.
 */
START_TEST(boot_domain_reaped_when_its_vcpu_leaves)
{
    struct sched_shutdown s = { .reason = SHUTDOWN_poweroff };

    setup();
    host_dom[1].boot_domain = true;
    expect_enter(V(0));
    run_until(START + SLICE);                   /* d1 next */
    ck_assert_ptr_eq(current, V(1));
    ck_assert_int_eq(do_sched_op(SCHEDOP_shutdown, (uint64_t)&s), 0);
    ck_assert_uint_eq(host_dom[1].state, DOMAIN_SHUTDOWN);
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);     /* exit_to_guest */
    ck_assert_ptr_eq(rec.saved, V(1));
    ck_assert_uint_eq(rec.destroys, 1);
    ck_assert_ptr_eq(rec.destroyed, &host_dom[1]);
    ck_assert_uint_eq(rec.idle_pt_at_destroy, 1);
    run_until(START + SECONDS(1));
    ck_assert_uint_eq(rec.destroys, 1);
    ck_assert_uint_eq(rec.picks[1], 1);
}
END_TEST

/* Not while another vCPU of it is still on a CPU. */
START_TEST(boot_domain_reaped_after_its_last_vcpu)
{
    struct vcpu v1b = { .vcpu_id = 1, .domain = &host_dom[1] };

    setup();
    host_dom[1].boot_domain = true;
    host_dom[1].vcpu[1] = &v1b;
    host_dom[1].max_vcpus = 2;
    sched_vcpu_init(&v1b);
    V(0)->blocked = true;
    expect_enter(V(1));
    v1b.running = true;                   /* as if on another CPU */
    host_dom[1].state = DOMAIN_SHUTDOWN;
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    ck_assert_uint_eq(rec.destroys, 0);
    /* That CPU's turn: v1b leaves, d2 waits (queued again). */
    V(2)->running = false;
    sched_wake(V(2));
    host_current = &v1b;
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.saved, &v1b);
    ck_assert_uint_eq(rec.destroys, 1);
    ck_assert_ptr_eq(rec.destroyed, &host_dom[1]);
}
END_TEST

/* A domain not started at boot is left for the toolstack to destroy. */
START_TEST(non_boot_domain_not_reaped)
{
    struct sched_shutdown s = { .reason = SHUTDOWN_crash };

    setup();
    V(0)->blocked = true;
    expect_enter(V(1));
    ck_assert_int_eq(do_sched_op(SCHEDOP_shutdown, (uint64_t)&s), 0);
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    run_until(START + SECONDS(1));
    ck_assert_uint_eq(rec.destroys, 0);
    ck_assert_uint_eq(rec.idle_page_tables, 0);
    ck_assert_uint_eq(rec.picks[1], 1);
}
END_TEST

/*
 * A vCPU runs until its slice ends unless it blocks, yields, goes down
 * or a vCPU of higher priority wakes: the accounting in mid-slice does
 * not cut it short in favour of an equal one (credit_account() asks for
 * a decision; within a slice only a higher priority or a yield switches).
 */
START_TEST(accounting_does_not_cut_a_slice)
{
    setup();
    V(0)->blocked = true;
    V(1)->sched.credit = MILLISECS(20);
    V(2)->sched.credit = MILLISECS(20);
    tick_to(START + MILLISECS(5));
    expect_enter(V(1));                          /* slices from 5 ms */
    run_until(START + MILLISECS(25));
    ck_assert_ptr_eq(current, V(1));             /* its slice 25..35 ms */
    ck_assert_uint_eq(rec.enters, 3);
    run_until(START + ACCT_PERIOD);              /* accounting mid-slice */
    ck_assert_msg(current == V(1), "at 30 ms, accounting gave d1's slice "
                  "(25..35 ms) to d%u; d1 credit %ld us, d2 %ld us, both UNDER",
                  current ? current->domain->domain_id : 99,
                  V(1)->sched.credit / 1000, V(2)->sched.credit / 1000);
    run_until(START + MILLISECS(35));
    ck_assert_ptr_eq(current, V(2));
}
END_TEST


/*
 * The slice timer is armed lazily: a switch mid-slice moves the slice's
 * end, the timer still fires at the old end, finds the slice going on,
 * asks for no decision and re-arms for the new end, where the slice ends.
 */
START_TEST(slice_timer_follows_a_moved_slice_end)
{
    setup();
    V(0)->blocked = true;
    expect_enter(V(1));                              /* slice to 10 ms */
    tick_to(START + MILLISECS(4));
    ck_assert_int_eq(do_sched_op(SCHEDOP_yield, 0), 0);
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(2));
    ck_assert_uint_eq(sched_cpus[0].slice_end, START + MILLISECS(4) + SLICE);
    ck_assert_uint_eq(programmed, START + SLICE);    /* not reprogrammed */
    tick_to(START + SLICE);
    ck_assert(!sched_resched_pending());
    ck_assert_uint_eq(sched_cpus[0].slices, 0);
    ck_assert_uint_eq(sched_cpus[0].slice_timer.expires,
                      START + MILLISECS(4) + SLICE);
    tick_to(START + MILLISECS(4) + SLICE);
    ck_assert(sched_resched_pending());
    ck_assert_uint_eq(sched_cpus[0].slices, 1);
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);
    ck_assert_ptr_eq(rec.entered, V(1));
}
END_TEST

/*
 * The runqueue: a vCPU that may no longer run leaves it at the next pick
 * and comes back through sched_wake(); a vCPU released (its domain freed)
 * is gone from it, wherever it stood.
 */
START_TEST(runqueue_drops_and_takes_back)
{
    setup();
    V(0)->blocked = true;
    host_dom[1].pause_count = 1;                     /* d1 paused, queued */
    expect_enter(V(2));
    ck_assert(!V(1)->sched.queued);                  /* dropped at the pick */
    ck_assert(!V(0)->sched.queued);
    host_dom[1].pause_count = 0;
    sched_wake(V(1));                                /* domain_unpause() */
    ck_assert(V(1)->sched.queued);
    ck_assert_int_eq(call_schedule(), SCHED_ENTERED);   /* boosted: at once */
    ck_assert_ptr_eq(rec.entered, V(1));
    ck_assert(V(2)->sched.queued);                   /* left still runnable */
    sched_vcpu_release(V(2));
    ck_assert(!V(2)->sched.queued);
    ck_assert_ptr_null(sched_cpus[0].rq_head);
    ck_assert_ptr_null(sched_cpus[0].rq_tail);
    ck_assert_int_eq(do_sched_op(SCHEDOP_yield, 0), 0);
    ck_assert_int_eq(call_schedule(), SCHED_RETURNED);  /* nobody else */
}
END_TEST
static Suite *sched_credit_suite(void)
{
    Suite *s = suite_create("sched_credit");
    TCase *tc = tcase_create("rules");

    tcase_add_test(tc, slice_and_period_as_the_header_says);
    tcase_add_test(tc, round_robin_longest_queued_first);
    tcase_add_test(tc, accounting_by_weight);
    tcase_add_test(tc, accounting_splits_among_active_vcpus);
    tcase_add_test(tc, accounting_does_not_cut_a_slice);
    tcase_add_test(tc, credit_stops_at_one_period);
    tcase_add_test(tc, share_follows_weight_1_to_2);
    tcase_add_test(tc, share_follows_weight_1_to_4);
    tcase_add_test(tc, cap_limits_share);
    tcase_add_test(tc, cap_holds_alone);
    tcase_add_test(tc, capped_without_credit_is_parked);
    tcase_add_test(tc, capped_alone_idles_until_credit);
    tcase_add_test(tc, wake_with_credit_boosts_and_preempts);
    tcase_add_test(tc, wake_without_credit_no_boost);
    tcase_add_test(tc, boost_lost_when_descheduled);
    tcase_add_test(tc, yield_hands_over_to_an_equal);
    tcase_add_test(tc, yield_alone_keeps_the_cpu);
    tcase_add_test(tc, dom0_gone_nobody_runs);
    tcase_add_test(tc, boot_domain_reaped_when_its_vcpu_leaves);
    tcase_add_test(tc, boot_domain_reaped_after_its_last_vcpu);
    tcase_add_test(tc, non_boot_domain_not_reaped);
    tcase_add_test(tc, slice_timer_follows_a_moved_slice_end);
    tcase_add_test(tc, runqueue_drops_and_takes_back);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(sched_credit_suite());
}
