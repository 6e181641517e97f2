/* SPDX-License-Identifier: MIT */
/*
 * test_vcpu.c - unit tests for hypervisor/common/vcpu.c (vcpu_op) and
 * hypervisor/common/timer.c (the timer list, set_timer_op), over the
 * simulated machine of host_mm.c with a clock this test moves by hand.
 * Owns:    NOW() (fake_now), arch_timer_program() (records the deadline),
 *          send_guest_vcpu_virq() (records the VIRQs raised),
 *          vcpu_unblock() (sched.c's: clears blocked and polling).
 * Touches: nothing of the code under test.
 */
#include <xen/vcpu.h>
#include "harness.h"
#include "host_mm.h"
#include "domain.h"
#include "hypercall.h"
#include "time.h"
#include "timer.h"

static uint64_t fake_now, programmed;
static unsigned int timer_virqs;

uint64_t NOW(void)
{
    return fake_now;
}

void arch_timer_program(uint64_t deadline_ns)
{
    programmed = deadline_ns;
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    ck_assert_ptr_eq(v, &host_vcpu[1]);
    ck_assert_uint_eq(virq, VIRQ_TIMER);
    timer_virqs++;
}

void vcpu_unblock(struct vcpu *v)
{
    v->blocked = v->polling = false;
}

static struct vcpu *v1(void)
{
    return &host_vcpu[1];
}

static void run_until(uint64_t t);

/* A fresh vCPU, its default periodic timer stopped (tested on its own). */
static void setup(void)
{
    host_machine_reset();
    fake_now = SECONDS(5);
    programmed = 0;
    timer_virqs = 0;
    vcpu_timers_init(v1());
    vcpu_timers_stop(v1());
}

/* As Xen gives every PV vCPU: VIRQ_TIMER every 10 ms from the start. */
START_TEST(a_new_vcpu_ticks_every_10ms)
{
    host_machine_reset();
    fake_now = SECONDS(5);
    programmed = 0;
    timer_virqs = 0;
    vcpu_timers_init(v1());
    ck_assert_uint_eq(programmed, SECONDS(5) + MILLISECS(10));
    run_until(SECONDS(5) + MILLISECS(10));
    run_until(SECONDS(5) + MILLISECS(20));
    ck_assert_uint_eq(timer_virqs, 2);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0), 0);
    ck_assert_uint_eq(programmed, 0);
}
END_TEST

/* Move the clock to t and take the timer interrupt if one is due. */
static void run_until(uint64_t t)
{
    fake_now = t;
    if (programmed && programmed <= t)
        timer_softirq();
}

START_TEST(set_timer_op_arms_fires_once_and_cancels)
{
    setup();
    ck_assert_int_eq(do_set_timer_op(fake_now + MILLISECS(5)), 0);
    ck_assert_uint_eq(programmed, SECONDS(5) + MILLISECS(5));
    run_until(SECONDS(5) + MILLISECS(4));
    ck_assert_uint_eq(timer_virqs, 0);               /* never before */
    run_until(SECONDS(5) + MILLISECS(5));
    ck_assert_uint_eq(timer_virqs, 1);
    ck_assert_uint_eq(programmed, 0);                /* one shot */
    run_until(SECONDS(6));
    ck_assert_uint_eq(timer_virqs, 1);
    ck_assert_int_eq(do_set_timer_op(SECONDS(7)), 0);
    ck_assert_int_eq(do_set_timer_op(0), 0);         /* cancelled */
    ck_assert_uint_eq(programmed, 0);
    run_until(SECONDS(8));
    ck_assert_uint_eq(timer_virqs, 1);
}
END_TEST

/*
 * As Xen: a past deadline fires on the way out of the hypercall (no
 * interrupt needed); a wrapped or huge one in 100 ms.
 */
START_TEST(set_timer_op_odd_deadlines)
{
    setup();
    ck_assert_int_eq(do_set_timer_op(1), 0);
    ck_assert(timer_softirq_pending);
    ck_assert_uint_eq(timer_virqs, 0);
    timer_softirq();                                 /* exit_to_guest() */
    ck_assert_uint_eq(timer_virqs, 1);
    ck_assert(!timer_softirq_pending);
    ck_assert_int_eq(do_set_timer_op(UINT64_MAX), 0);
    ck_assert_uint_eq(programmed, fake_now + MILLISECS(100));
    ck_assert_int_eq(do_set_timer_op(fake_now + (1ULL << 51)), 0);
    ck_assert_uint_eq(programmed, fake_now + MILLISECS(100));
    ck_assert_int_eq(do_set_timer_op(fake_now + (1ULL << 49)), 0);
    ck_assert_uint_eq(programmed, fake_now + (1ULL << 49));
    ck_assert_int_eq(do_set_timer_op(0), 0);
}
END_TEST

/* VCPU_SSHOTTMR_future is ignored, as Xen 4.17.3 on: a past deadline fires. */
START_TEST(singleshot_timer_and_future_flag)
{
    struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = SECONDS(4),
                                           .flags = VCPU_SSHOTTMR_future };

    setup();
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_singleshot_timer, 0, (uint64_t)&t), 0);
    ck_assert(timer_softirq_pending);
    timer_softirq();
    ck_assert_uint_eq(timer_virqs, 1);
    t = (struct vcpu_set_singleshot_timer){ SECONDS(6), VCPU_SSHOTTMR_future };
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_singleshot_timer, 0, (uint64_t)&t), 0);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0), 0);
    run_until(SECONDS(7));
    ck_assert_uint_eq(timer_virqs, 1);
    host_fault_lo = (uint64_t)&t;
    host_fault_hi = (uint64_t)(&t + 1);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_singleshot_timer, 0, (uint64_t)&t),
                     -XEN_EFAULT);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_periodic_timer, 0, (uint64_t)&t),
                     -XEN_EFAULT);
}
END_TEST

START_TEST(periodic_timer_ticks_until_stopped)
{
    struct vcpu_set_periodic_timer p = { .period_ns = MILLISECS(1) - 1 };

    setup();
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_periodic_timer, 0, (uint64_t)&p),
                     -XEN_EINVAL);
    p.period_ns = 1ULL << 62;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_periodic_timer, 0, (uint64_t)&p),
                     -XEN_EINVAL);
    p.period_ns = MILLISECS(10);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_periodic_timer, 0, (uint64_t)&p), 0);
    for (unsigned int i = 1; i <= 5; i++)
        run_until(SECONDS(5) + i * MILLISECS(10));
    ck_assert_uint_eq(timer_virqs, 5);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0), 0);
    ck_assert_uint_eq(programmed, 0);
    run_until(SECONDS(6));
    ck_assert_uint_eq(timer_virqs, 5);
}
END_TEST

/* Two timers: the hardware is always armed for the earlier. */
START_TEST(the_earliest_timer_is_programmed)
{
    struct vcpu_set_periodic_timer p = { .period_ns = MILLISECS(50) };

    setup();
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_periodic_timer, 0, (uint64_t)&p), 0);
    ck_assert_int_eq(do_set_timer_op(fake_now + MILLISECS(20)), 0);
    ck_assert_uint_eq(programmed, SECONDS(5) + MILLISECS(20));
    run_until(SECONDS(5) + MILLISECS(20));
    ck_assert_uint_eq(programmed, SECONDS(5) + MILLISECS(50));
    ck_assert_int_eq(do_set_timer_op(fake_now + MILLISECS(100)), 0);
    ck_assert_uint_eq(programmed, SECONDS(5) + MILLISECS(50));
    vcpu_timers_stop(v1());
    ck_assert_uint_eq(programmed, 0);
}
END_TEST

START_TEST(vcpu_op_ids_and_unknown_subops)
{
    setup();
    ck_assert_int_eq(do_vcpu_op(VCPUOP_is_up, 0, 0), 1);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_is_up, 1, 0), -XEN_ENOENT);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_is_up, UINT32_MAX, 0), -XEN_ENOENT);
    ck_assert_int_eq(do_vcpu_op(99, 0, 0), -XEN_ENOSYS);
}
END_TEST

static Suite *vcpu_suite(void)
{
    Suite *s = suite_create("vcpu");
    TCase *tc = tcase_create("timers");

    tcase_add_test(tc, a_new_vcpu_ticks_every_10ms);
    tcase_add_test(tc, set_timer_op_arms_fires_once_and_cancels);
    tcase_add_test(tc, set_timer_op_odd_deadlines);
    tcase_add_test(tc, singleshot_timer_and_future_flag);
    tcase_add_test(tc, periodic_timer_ticks_until_stopped);
    tcase_add_test(tc, the_earliest_timer_is_programmed);
    tcase_add_test(tc, vcpu_op_ids_and_unknown_subops);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(vcpu_suite());
}
