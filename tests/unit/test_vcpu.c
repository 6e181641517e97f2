/* SPDX-License-Identifier: MIT */
/*
 * test_vcpu.c - unit tests for hypervisor/common/vcpu.c (vcpu_op) and
 * hypervisor/common/timer.c (the timer list, set_timer_op), over the
 * simulated machine of host_mm.c with a clock this test moves by hand.
 * Owns:    NOW() (fake_now), arch_timer_program() (records the deadline),
 *          send_guest_vcpu_virq() (records the VIRQs raised),
 *          vcpu_unblock() (sched.c's: clears blocked and polling),
 *          domain_shutdown() and update_vcpu_system_time() (recorded),
 *          arch_vcpu_physid(), vcpu_bring_up() (domain.c's: clears
 *          down), arch_set_info_guest() (accepts any context, or fails
 *          with set_info_rc), and d1's shared_info page.
 * Touches: nothing of the code under test.
 */
#include <xen/sched.h>
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

static unsigned int shutdowns, time_updates;
static struct shared_info shinfo __attribute__((aligned(4096)));

void domain_shutdown(struct domain *d, unsigned int reason)
{
    ck_assert_uint_eq(reason, SHUTDOWN_poweroff);
    (void)d;
    shutdowns++;
}

void update_vcpu_system_time(struct vcpu *v)
{
    (void)v;
    time_updates++;
}

static long set_info_rc;

void vcpu_bring_up(struct vcpu *v)
{
    v->down = false;
}

long arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c)
{
    (void)c;
    if (set_info_rc)
        return set_info_rc;
    v->initialised = true;
    return 0;
}

uint64_t arch_vcpu_physid(const struct vcpu *v)
{
    (void)v;
    return 0x1234;
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
    memset(&shinfo, 0, sizeof(shinfo));
    host_dom[1].shared_info = &shinfo;
    v1()->vcpu_info = &shinfo.vcpu_info[0];
    v1()->vcpu_info_mfn = INVALID_MFN;
    shutdowns = time_updates = 0;
    fake_now = SECONDS(5);
    programmed = 0;
    timer_virqs = 0;
    v1()->running = true;              /* on the CPU: its periodic timer ticks */
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
    v1()->running = true;
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

/*
 * As Xen: the periodic timer ticks only while the vCPU runs; off the CPU
 * (blocked) nothing comes (the timer, left armed, fires once and stops),
 * and the ticks missed come as one on return; a vCPU back before its
 * next tick finds the timer armed for it.
 */
START_TEST(periodic_timer_only_while_running)
{
    struct vcpu_set_periodic_timer p = { .period_ns = MILLISECS(10) };

    setup();
    ck_assert_int_eq(do_vcpu_op(VCPUOP_set_periodic_timer, 0, (uint64_t)&p), 0);
    run_until(SECONDS(5) + MILLISECS(10));
    ck_assert_uint_eq(timer_virqs, 1);
    v1()->running = false;                           /* leaves the CPU */
    run_until(SECONDS(5) + MILLISECS(110));
    ck_assert_uint_eq(timer_virqs, 1);               /* nothing while away */
    ck_assert(!v1()->periodic_timer.active);         /* fired once, stopped */
    ck_assert_uint_eq(programmed, 0);
    v1()->running = true;
    vcpu_periodic_timer_work(v1(), NOW());           /* back on the CPU */
    ck_assert_uint_eq(timer_virqs, 2);               /* ten missed: one */
    ck_assert_uint_eq(programmed, SECONDS(5) + MILLISECS(120));
    run_until(SECONDS(5) + MILLISECS(115));
    v1()->running = false;                           /* away and back */
    v1()->running = true;                            /* before the tick */
    vcpu_periodic_timer_work(v1(), NOW());
    ck_assert_uint_eq(timer_virqs, 2);
    ck_assert(v1()->periodic_timer.active);
    ck_assert_uint_eq(v1()->periodic_timer.expires, SECONDS(5) + MILLISECS(120));
    run_until(SECONDS(5) + MILLISECS(120));
    ck_assert_uint_eq(timer_virqs, 3);
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

/* The sub-ops that are not timers, as Xen 4.17.7 answers them. */
START_TEST(vcpu_state_subops)
{
    static struct vcpu_guest_context ctxt;
    struct vcpu_get_physid id = { .phys_id = 0xdead };
    struct vcpu_runstate_info r;

    setup();
    ck_assert_int_eq(do_vcpu_op(VCPUOP_up, 0, 0), 0);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_initialise, 0, (uint64_t)&ctxt), -XEN_EEXIST);
    host_fault_lo = (uint64_t)&ctxt + 4000;          /* the end is unreadable */
    host_fault_hi = host_fault_lo + 1;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_initialise, 0, (uint64_t)&ctxt), -XEN_EFAULT);
    host_fault_lo = host_fault_hi = 0;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_get_physid, 0, (uint64_t)&id), -XEN_EINVAL);
    host_set_current(0);                             /* the privileged domain */
    host_dom[0].shared_info = &shinfo;
    host_vcpu[0].vcpu_info = &shinfo.vcpu_info[1];
    ck_assert_int_eq(do_vcpu_op(VCPUOP_get_physid, 0, (uint64_t)&id), 0);
    ck_assert_uint_eq(id.phys_id, 0x1234);
    host_set_current(1);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_send_nmi, 0, 8), -XEN_EINVAL);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_send_nmi, 0, 0), 0);
    ck_assert(v1()->nmi_pending);
    vcpu_runstate_change(v1(), RUNSTATE_running);
    fake_now += MILLISECS(3);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_get_runstate_info, 0, (uint64_t)&r), 0);
    ck_assert_int_eq(r.state, RUNSTATE_running);
    ck_assert_uint_eq(r.time[RUNSTATE_running], MILLISECS(3));
    ck_assert_int_eq(do_vcpu_op(VCPUOP_down, 0, 0), 0);   /* the last one */
    ck_assert_uint_eq(shutdowns, 1);
}
END_TEST

/*
 * A second vCPU, as Xen 4.17 treats one: down and without a context until
 * VCPUOP_initialise; up needs a context; a refused context leaves it
 * uninitialised; down on one of several vCPUs only stops it; the last
 * one down powers the domain off.
 */
START_TEST(second_vcpu_lifecycle)
{
    static struct vcpu_guest_context ctxt;
    static struct vcpu second;

    setup();
    memset(&second, 0, sizeof(second));
    second.domain = &host_dom[1];
    second.vcpu_id = 1;
    second.down = true;
    host_dom[1].vcpu[1] = &second;
    host_dom[1].max_vcpus = 2;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_is_up, 1, 0), 0);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_up, 1, 0), -XEN_EINVAL);
    set_info_rc = -XEN_EINVAL;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_initialise, 1, (uint64_t)&ctxt), -XEN_EINVAL);
    ck_assert(!second.initialised);
    set_info_rc = 0;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_initialise, 1, (uint64_t)&ctxt), 0);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_is_up, 1, 0), 0);     /* still down */
    ck_assert_int_eq(do_vcpu_op(VCPUOP_initialise, 1, (uint64_t)&ctxt), -XEN_EEXIST);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_up, 1, 0), 0);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_is_up, 1, 0), 1);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_down, 1, 0), 0);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_is_up, 1, 0), 0);
    ck_assert_uint_eq(shutdowns, 0);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_down, 0, 0), 0);       /* the last */
    ck_assert_uint_eq(shutdowns, 1);
    host_dom[1].max_vcpus = 1;
    host_dom[1].vcpu[1] = NULL;
}
END_TEST

/* register_vcpu_info: Xen's checks, then vcpu_info lives in the guest's page. */
START_TEST(register_vcpu_info_moves_it)
{
    struct vcpu_register_vcpu_info info = { .mfn = HOST_D1_FIRST + 3, .offset = 4033 };
    struct page_info *pg;

    setup();
    pg = &frame_table[HOST_D1_FIRST + 3];
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_vcpu_info, 0, (uint64_t)&info), -XEN_ENXIO);
    info.offset = 4;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_vcpu_info, 0, (uint64_t)&info), -XEN_ENXIO);
    info.offset = 64;
    info.mfn = HOST_D2_FIRST;                         /* not ours */
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_vcpu_info, 0, (uint64_t)&info), -XEN_EINVAL);
    info.mfn = ~0ULL;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_vcpu_info, 0, (uint64_t)&info), -XEN_EINVAL);
    info.mfn = HOST_D1_FIRST + 3;
    shinfo.vcpu_info[0].evtchn_upcall_mask = 1;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_vcpu_info, 0, (uint64_t)&info), 0);
    ck_assert_ptr_eq(v1()->vcpu_info,
                     (struct vcpu_info *)((char *)host_frame(HOST_D1_FIRST + 3) + 64));
    ck_assert_uint_eq(v1()->vcpu_info->evtchn_upcall_mask, 1);     /* moved */
    ck_assert_uint_eq(v1()->vcpu_info->evtchn_upcall_pending, 1);
    ck_assert_uint_eq(v1()->vcpu_info->evtchn_pending_sel, ~0UL);
    ck_assert_uint_eq(pg->type, PGT_writable_page);                 /* held */
    ck_assert_uint_eq(pg->type_count, 1);
    ck_assert_uint_eq(time_updates, 1);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_vcpu_info, 0, (uint64_t)&info), -XEN_EINVAL);
    host_assert_audit_clean(&host_dom[1]);
    vcpu_release_vcpu_info(v1());
    ck_assert_uint_eq(pg->type_count, 0);
    host_assert_at_rest();
}
END_TEST

/* Areas: Xen's range is -EFAULT, 0 unregisters, the runstate is written. */
START_TEST(runstate_area_written_at_once)
{
    static struct vcpu_runstate_info area;
    uint64_t addr = (uint64_t)&area;

    setup();
    v1()->kernel_mode = true;
    area.state = -1;
    vcpu_runstate_change(v1(), RUNSTATE_running);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                (uint64_t)&addr), 0);
    ck_assert_int_eq(area.state, RUNSTATE_running);
    addr = 0xffff830000000000UL;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                (uint64_t)&addr), -XEN_EFAULT);
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0,
                                (uint64_t)&addr), -XEN_EFAULT);
    addr = 0;
    ck_assert_int_eq(do_vcpu_op(VCPUOP_register_runstate_memory_area, 0,
                                (uint64_t)&addr), 0);
    ck_assert_uint_eq(v1()->runstate_guest, 0);
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
    tcase_add_test(tc, periodic_timer_only_while_running);
    tcase_add_test(tc, the_earliest_timer_is_programmed);
    tcase_add_test(tc, vcpu_op_ids_and_unknown_subops);
    tcase_add_test(tc, vcpu_state_subops);
    tcase_add_test(tc, second_vcpu_lifecycle);
    tcase_add_test(tc, register_vcpu_info_moves_it);
    tcase_add_test(tc, runstate_area_written_at_once);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(vcpu_suite());
}
