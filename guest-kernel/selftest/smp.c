/* SPDX-License-Identifier: MIT */
/*
 * selftest/smp.c - a second vCPU: VCPUOP_initialise with the context this
 *                  kernel runs in, VCPUOP_up, vCPU 1's own state (its id,
 *                  vcpu_info, upcall, timer), IPIs both ways, is_up, a
 *                  second initialise, VCPUOP_down of itself and of another.
 * Owns:    the smp self-test, vCPU 1's stack and its main loop.
 * Touches: vcpu_op directly (what is tested); xen_vcpu_context()
 *          (pv/xen_smp.c); the event layer; the timers (on vCPU 1);
 *          pv_ops.irq_enable/irq_disable/safe_halt;
 *          smp_set_secondary_started().
 *
 * Runs if the domain has a vCPU 1 (VCPUOP_is_up(1) is not -ENOENT), else
 * prints "smp: skipped: one vCPU" and passes.  vCPU 0 (the test) and vCPU
 * 1 (smp_ap_main()) share `smp`; every wait is bounded by SMP_PATIENCE_NS
 * of system time and yields (SCHEDOP_yield) while it waits, so it works
 * with both vCPUs on one physical CPU.  The order:
 *
 *   vCPU 0: two IPI ports, one notified on each vCPU; is_up(1) 0; up(1)
 *           before initialise -EINVAL; initialise with a non-canonical rip
 *           -EINVAL; initialise 0; is_up(1) still 0 (no VGCF_online);
 *           up(1) 0.
 *   vCPU 1: round 1: records its smp_processor_id() and vcpu_info, sleeps
 *           5 ms on its own timer (VIRQ_TIMER bound on vCPU 1), sends the
 *           IPI to vCPU 0, blocks until vCPU 0's IPI has run its handler
 *           on vCPU 1, then VCPUOP_down on itself.
 *   vCPU 0: while it runs: is_up(1) 1, initialise again -EEXIST; takes
 *           the IPI (handler on vCPU 0), answers; then is_up(1) becomes
 *           0; initialise still -EEXIST; up(1) again:
 *   vCPU 1: returns 0 from its VCPUOP_down (the vCPU resumes where it
 *           went down) and, round 2, spins counting a heartbeat;
 *   vCPU 0: down(1) from here: 0, is_up(1) 0, and the heartbeat stops.
 *
 * vCPU 1 is left down (mid-spin); a failure half-way downs it too.  Needs
 * the 2-level event ABI (FIFO has a control block for vCPU 0 only): on
 * FIFO it resets to 2-level and st_events() switches back.  Expectations
 * are Xen 4.17's answers to this kernel as dom0 with dom0_max_vcpus=2.
 */
#include <selftest.h>
#include <evtchn.h>
#include <mm.h>
#include <time.h>
#include <asm/percpu.h>
#include <asm/pvops.h>
#include <pv/hypercall.h>
#include <pv/xen.h>

#define SMP_AP              1U                          /* the vCPU started */
#define SMP_STACK_SIZE      (4 * PAGE_SIZE)
#define SMP_PATIENCE_NS     (5 * NSEC_PER_SEC)          /* any one wait */
#define SMP_SLEEP_NS        (5 * NSEC_PER_MSEC)         /* vCPU 1's sleep */
#define SMP_SETTLE_NS       (10 * NSEC_PER_MSEC)        /* after down(1) */
#define SMP_QUIET_NS        (20 * NSEC_PER_MSEC)        /* heartbeat frozen */
#define SMP_NON_CANONICAL   0x8000000000000000UL

static uint8_t smp_stack[SMP_STACK_SIZE] __attribute__((aligned(PAGE_SIZE)));
static struct vcpu_guest_context smp_ctx, smp_bad_ctx;

/* What an IPI handler saw. */
struct smp_ipi_seen {
    unsigned long count;
    unsigned int cpu;           /* smp_processor_id() inside the handler */
};

static volatile struct {
    unsigned int port_to0, port_to1;    /* IPI ports notified on 0, on 1 */
    struct smp_ipi_seen on0, on1;
    /* written by vCPU 1 */
    unsigned long rounds;               /* times it entered its loop */
    unsigned int cpu;                   /* its smp_processor_id() */
    bool own_vcpu_info;                 /* xen_vcpu() was vcpu_info[1] */
    long timers_rc, sleep_rc, send_rc, down_rc;
    uint64_t sleep_deadline, woke_ns;
    unsigned long round1_done;          /* 1: about to go down */
    unsigned long heartbeat;            /* round 2 */
} smp;

static void smp_ipi(unsigned int port, void *arg)
{
    volatile struct smp_ipi_seen *s = arg;

    (void)port;
    s->cpu = smp_processor_id();
    __atomic_fetch_add(&s->count, 1, __ATOMIC_SEQ_CST);
}

/* ---- vCPU 1 ---- */

/* Its own timer: VIRQ_TIMER bound on vCPU 1, a 5 ms sleep, unbound. */
static void smp_ap_sleep(void)
{
    smp.timers_rc = time_timers_start();
    smp.sleep_deadline = clock_ns() + SMP_SLEEP_NS;
    smp.sleep_rc = smp.timers_rc ? smp.timers_rc : kernel_sleep_until(smp.sleep_deadline);
    smp.woke_ns = clock_ns();
    time_timers_stop();
}

static void smp_ap_round1(void)
{
    smp_ap_sleep();
    smp.send_rc = evtchn_notify(smp.port_to0);
    while (!__atomic_load_n(&smp.on1.count, __ATOMIC_SEQ_CST)) {
        pv_ops.safe_halt();         /* SCHEDOP_block; the IPI wakes it */
        pv_ops.irq_disable();
    }
    __atomic_store_n(&smp.round1_done, 1, __ATOMIC_SEQ_CST);
    smp.down_rc = HYPERVISOR_vcpu_op(VCPUOP_down, SMP_AP, NULL);
}

/* Entered from VCPUOP_up with rsp near the top of smp_stack.  Never returns:
 * a VCPUOP_up after its VCPUOP_down continues the loop. */
static void __noreturn smp_ap_main(unsigned long arg)
{
    (void)arg;
    pv_ops.irq_disable();
    for (;;) {
        smp.cpu = smp_processor_id();
        smp.own_vcpu_info = xen_vcpu() == &HYPERVISOR_shared_info->vcpu_info[SMP_AP];
        if (__atomic_add_fetch(&smp.rounds, 1, __ATOMIC_SEQ_CST) == 1) {
            smp_ap_round1();
            continue;
        }
        for (;;) {                  /* round 2: until vCPU 0 downs us */
            __atomic_fetch_add(&smp.heartbeat, 1, __ATOMIC_SEQ_CST);
            asm volatile("pause");
        }
    }
}

/* ---- vCPU 0 ---- */

static long smp_vcpu_op(int cmd, void *arg)
{
    return HYPERVISOR_vcpu_op(cmd, SMP_AP, arg);
}

/* Yield until *what reaches at least want; false after SMP_PATIENCE_NS. */
static bool smp_wait(volatile unsigned long *what, unsigned long want)
{
    uint64_t deadline = clock_ns() + SMP_PATIENCE_NS;

    while (__atomic_load_n(what, __ATOMIC_SEQ_CST) < want) {
        if (clock_ns() > deadline)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return true;
}

/* Yield until VCPUOP_is_up(1) answers want; false after SMP_PATIENCE_NS. */
static bool smp_wait_is_up(long want)
{
    uint64_t deadline = clock_ns() + SMP_PATIENCE_NS;

    while (smp_vcpu_op(VCPUOP_is_up, NULL) != want) {
        if (clock_ns() > deadline)
            return false;
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
    }
    return true;
}

/* Yield for ns of system time. */
static void smp_pass(uint64_t ns)
{
    uint64_t until = clock_ns() + ns;

    while (clock_ns() < until)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

static const char *smp_bind(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF };
    long p0 = evtchn_bind_ipi(XEN_BOOT_VCPU, smp_ipi, (void *)&smp.on0);
    long p1 = evtchn_bind_ipi(SMP_AP, smp_ipi, (void *)&smp.on1);

    ST_EXPECT(p0 > 0 && p1 > 0, "bind_ipi(vcpu 0) = %ld, bind_ipi(vcpu 1) = %ld", p0, p1);
    smp.port_to0 = p0;
    smp.port_to1 = p1;
    st.port = p1;
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_status, &st), 0);
    ST_EXPECT(st.status == EVTCHNSTAT_ipi && st.vcpu == SMP_AP,
              "status(%ld): %u on vcpu %u, want IPI on vcpu 1", p1, st.status, st.vcpu);
    return NULL;
}

/* The refusals before the vCPU exists, then initialise and up. */
static const char *smp_start(void)
{
    xen_vcpu_context(&smp_ctx, SMP_AP, smp_ap_main, 0,
                     (unsigned long)smp_stack + sizeof(smp_stack));
    smp_bad_ctx = smp_ctx;
    smp_bad_ctx.user_regs.rip = SMP_NON_CANONICAL;
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_up, NULL), -XEN_EINVAL);    /* not initialised */
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_initialise, &smp_bad_ctx), -XEN_EINVAL);
    smp_set_secondary_started(true);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_initialise, &smp_ctx), 0);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_is_up, NULL), 0);          /* initialised, down */
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_up, NULL), 0);
    ST_EXPECT(smp_wait(&smp.rounds, 1), "vCPU 1 did not run within %lu s of VCPUOP_up",
              SMP_PATIENCE_NS / NSEC_PER_SEC);
    return NULL;
}

/* Round 1, seen from vCPU 0: vCPU 1's state, the IPIs, its own down. */
static const char *smp_round1(void)
{
    ST_EXPECT(smp.cpu == SMP_AP && smp.own_vcpu_info,
              "on vCPU 1: smp_processor_id() %u, own vcpu_info %d", smp.cpu,
              smp.own_vcpu_info);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_is_up, NULL), 1);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_initialise, &smp_ctx), -XEN_EEXIST);
    pv_ops.irq_enable();
    ST_EXPECT(smp_wait(&smp.on0.count, 1), "no IPI from vCPU 1 (send: %ld, timers %ld, "
              "sleep %ld)", smp.send_rc, smp.timers_rc, smp.sleep_rc);
    ST_EXPECT(smp.on0.cpu == XEN_BOOT_VCPU, "vCPU 0's IPI handler ran on vCPU %u",
              smp.on0.cpu);
    ST_EXPECT(smp.timers_rc == 0 && smp.sleep_rc == 0 && smp.send_rc == 0,
              "on vCPU 1: timers_start %ld, sleep %ld, send %ld", smp.timers_rc,
              smp.sleep_rc, smp.send_rc);
    ST_EXPECT(smp.woke_ns >= smp.sleep_deadline, "vCPU 1 woke %lu ns before its deadline",
              smp.sleep_deadline - smp.woke_ns);
    ST_EXPECT_RC(evtchn_notify(smp.port_to1), 0);
    pv_ops.irq_disable();
    ST_EXPECT(smp_wait(&smp.round1_done, 1),
              "vCPU 1 did not see the IPI (handled %lu)", smp.on1.count);
    ST_EXPECT(smp.on1.count == 1 && smp.on1.cpu == SMP_AP,
              "vCPU 1's IPI handler: %lu runs, on vCPU %u", smp.on1.count, smp.on1.cpu);
    ST_EXPECT(smp_wait_is_up(0), "is_up(1) still %ld after vCPU 1's own VCPUOP_down",
              smp_vcpu_op(VCPUOP_is_up, NULL));
    return NULL;
}

/* Round 2: up again resumes it; down from vCPU 0 stops it. */
static const char *smp_round2(void)
{
    unsigned long beat;

    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_initialise, &smp_ctx), -XEN_EEXIST);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_up, NULL), 0);
    ST_EXPECT(smp_wait(&smp.heartbeat, 1), "vCPU 1 did not resume after VCPUOP_up "
              "(rounds %lu)", smp.rounds);
    ST_EXPECT(smp.rounds == 2 && smp.down_rc == 0, "after up: rounds %lu, its "
              "VCPUOP_down returned %ld, want 2, 0", smp.rounds, smp.down_rc);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_is_up, NULL), 1);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_down, NULL), 0);
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_is_up, NULL), 0);
    smp_pass(SMP_SETTLE_NS);
    beat = smp.heartbeat;
    smp_pass(SMP_QUIET_NS);
    ST_EXPECT(smp.heartbeat == beat, "vCPU 1 still ran after VCPUOP_down: heartbeat "
              "%lu -> %lu", beat, smp.heartbeat);
    return NULL;
}

static const char *smp_body(void)
{
    const char *why;

    if (evtchn_is_fifo())
        ST_EXPECT_RC(evtchn_reset(), 0);
    ST_TRY(smp_bind());
    ST_EXPECT_RC(smp_vcpu_op(VCPUOP_is_up, NULL), 0);
    why = smp_start();
    if (!why)
        why = smp_round1();
    if (!why)
        why = smp_round2();
    pv_ops.irq_disable();
    if (smp_vcpu_op(VCPUOP_is_up, NULL) == 1)      /* a failure half-way */
        smp_vcpu_op(VCPUOP_down, NULL);
    if (smp_wait_is_up(0))
        smp_set_secondary_started(false);
    ST_TRY(why);
    ST_EXPECT_RC(evtchn_close(smp.port_to0), 0);
    ST_EXPECT_RC(evtchn_close(smp.port_to1), 0);
    return NULL;
}

const char *st_smp(void)
{
    long up = HYPERVISOR_vcpu_op(VCPUOP_is_up, SMP_AP, NULL);

    if (up == -XEN_ENOENT) {
        printk("smp: skipped: one vCPU (VCPUOP_is_up(1) = %ld)\n", up);
        return NULL;
    }
    ST_EXPECT(up == 0, "VCPUOP_is_up(1) = %ld before the test, want 0 (down)", up);
    memset((void *)&smp, 0, sizeof(smp));
    return st_events(smp_body);
}
