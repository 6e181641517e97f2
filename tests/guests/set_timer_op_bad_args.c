/* SPDX-License-Identifier: MIT */
/*
 * set_timer_op_bad_args - set_timer_op (15), the one-shot timer of the old
 * ABI, with 0, deadlines in the past, and deadlines that do not fit:
 * UINT64_MAX, the top bit set, and more than 2^50 ns (13 days) ahead.
 * Rule: set_timer_op never fails; a deadline it cannot honour is replaced,
 * and whether VIRQ_TIMER arrives (and when) is part of the answer.
 *
 * VIRQ_TIMER is bound on vCPU 0 with its port masked, so an arrival is the
 * port's pending bit in shared_info, read after a busy wait on Xen system
 * time (vcpu_time_info); events stay masked throughout.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, one vCPU):
 *  - before anything is set, VIRQ_TIMER arrives within 30 ms: a PV vCPU
 *    starts with a 10 ms periodic timer (arch/x86/pv/domain.c,
 *    "PV guests by default have a 100Hz ticker"); VCPUOP_stop_periodic_timer
 *    (0) silences it;
 *  - 0: 0, cancels the one-shot timer (stop_timer(): a deadline 50 ms
 *    ahead then cancelled never fires);
 *  - a deadline in the past (1 ns, now - 1 ms): 0, and the event is
 *    pending within 1 ms (set_timer() on an expired deadline);
 *  - now + 5 ms: 0, not pending after 1 ms, pending 10 ms later;
 *  - UINT64_MAX, 1 << 63 (negative as s_time_t) and now + 2^51, 2^62
 *    (offset >> 50 non-zero): 0, and the event arrives 100 ms later
 *    (not within 50 ms, within 150 ms), the "huge timeout" workaround;
 *  - now + 2^49 (under 2^50): 0, honoured as it is: nothing within 150 ms.
 * Source: common/sched/core.c do_set_timer_op() (timeout == 0 stops; a
 * negative timeout or an offset with bits above 50 sets NOW() + 100 ms;
 * anything else is set as given); the 64-bit ABI takes s_time_t whole.
 * Undo: one-shot cancelled (nothing arrives in the 120 ms after), the
 * periodic timer put back to Xen's 10 ms default, the port closed,
 * shared_info's words put back.
 */
#include "hostile_time.h"

static long set_periodic(uint64_t ns)
{
    struct vcpu_set_periodic_timer p = { .period_ns = ns };

    return hg_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

/* A deadline Xen replaces by NOW() + 100 ms: quiet at 50 ms, there by 150. */
static void huge_case(struct hg_cases *c, evtchn_port_t t, const char *label, uint64_t dl)
{
    char l[96];

    snprintf(l, sizeof(l), "%s: answer", label);
    hg_case(c, l, hg_set_timer_op(dl), 0);
    snprintf(l, sizeof(l), "%s: pending after 50 ms", label);
    hg_case(c, l, hg_timer_fired(t, 50 * HG_MS), 0);
    snprintf(l, sizeof(l), "%s: pending 100 ms later (NOW + 100 ms)", label);
    hg_case(c, l, hg_timer_fired(t, 100 * HG_MS), 1);
    hg_set_timer_op(0);
    hg_port_clear_pending(t);
}

static void timer_cases(struct hg_cases *c, evtchn_port_t t)
{
    hg_case(c, "no timer set: VIRQ_TIMER within 30 ms (10 ms periodic default)",
            hg_timer_fired(t, 30 * HG_MS), 1);
    hg_case(c, "VCPUOP_stop_periodic_timer", hg_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    hg_case(c, "set_timer_op 0 (cancel, nothing set)", hg_set_timer_op(0), 0);
    hg_port_clear_pending(t);
    hg_case(c, "quiet for 30 ms after both stopped", hg_timer_fired(t, 30 * HG_MS), 0);

    hg_case(c, "deadline 1 ns (past)", hg_set_timer_op(1), 0);
    hg_case(c, "deadline 1 ns: pending within 1 ms", hg_timer_fired(t, HG_MS), 1);
    hg_case(c, "deadline now - 1 ms", hg_set_timer_op(hg_now() - HG_MS), 0);
    hg_case(c, "deadline now - 1 ms: pending within 1 ms", hg_timer_fired(t, HG_MS), 1);

    hg_case(c, "deadline now + 5 ms", hg_set_timer_op(hg_now() + 5 * HG_MS), 0);
    hg_case(c, "now + 5 ms: pending after 1 ms", hg_timer_fired(t, HG_MS), 0);
    hg_case(c, "now + 5 ms: pending 10 ms later", hg_timer_fired(t, 10 * HG_MS), 1);

    hg_case(c, "deadline now + 50 ms", hg_set_timer_op(hg_now() + 50 * HG_MS), 0);
    hg_case(c, "then 0 (cancel)", hg_set_timer_op(0), 0);
    hg_case(c, "cancelled: pending after 80 ms", hg_timer_fired(t, 80 * HG_MS), 0);

    huge_case(c, t, "deadline UINT64_MAX", UINT64_MAX);
    huge_case(c, t, "deadline 1 << 63", 1ull << 63);
    huge_case(c, t, "deadline now + 2^51", hg_now() + (1ull << 51));
    huge_case(c, t, "deadline now + 2^62", hg_now() + (1ull << 62));

    hg_case(c, "deadline now + 2^49 (under 2^50)", hg_set_timer_op(hg_now() + (1ull << 49)), 0);
    hg_case(c, "now + 2^49: pending after 150 ms", hg_timer_fired(t, 150 * HG_MS), 0);
}

const char *hostile_set_timer_op_bad_args(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    long t;

    hg_evtchn_save(&saved);
    hg_case(&c, "events masked", xen_vcpu()->evtchn_upcall_mask, 1);
    t = hg_timer_port_open();
    hg_case(&c, "bind VIRQ_TIMER vcpu 0 (port > 0)", t > 0, 1);
    if (t <= 0)
        return hg_cases_verdict(&c);
    timer_cases(&c, t);

    /* Undo, then check the undo held. */
    hg_case(&c, "end: set_timer_op 0", hg_set_timer_op(0), 0);
    hg_port_clear_pending(t);
    hg_case(&c, "end: nothing arrives in 120 ms", hg_timer_fired(t, 120 * HG_MS), 0);
    hg_case(&c, "end: periodic timer back to 10 ms", set_periodic(10 * HG_MS), 0);
    hg_case(&c, "end: close VIRQ_TIMER port", hg_evtchn_close(t), 0);
    hg_case(&c, "end: ports bound", hg_evtchn_bound_count(), 0);
    hg_case(&c, "end: events still masked", xen_vcpu()->evtchn_upcall_mask, 1);
    printk("hostile:   (%d shared_info words put back)\n", hg_evtchn_restore(&saved));
    return hg_cases_verdict(&c);
}
