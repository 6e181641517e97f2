/* SPDX-License-Identifier: MIT */
/*
 * sched_op_block_poll - sched_op (29): SCHEDOP_poll with bad port lists,
 * counts and timeouts, SCHEDOP_block with an event already pending,
 * SCHEDOP_yield and sub-ops that do not exist.
 * Rule: a refused poll returns without blocking; a poll or block that has
 * something to report returns at once; poll leaves the upcall mask alone,
 * block clears it.
 *
 * Events stay masked (vcpu_info.evtchn_upcall_mask 1) for every poll, and
 * the port polled is an IPI port of ours whose shared_info mask bit is
 * set, so a pending event is a bit to read, never an upcall. Every poll
 * that might block carries a timeout, so a wrong answer costs time, not
 * the test: a poll with no port and no timeout would sleep for ever, and
 * is not tried.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, one vCPU):
 *  - yield: 0; sub-ops 8, 99, 0xffffffff (-1 as int): -ENOSYS;
 *    cmd 0x100000000 is truncated to int 0: yield, 0;
 *  - poll whose argument is NULL or in Xen's range: -EFAULT;
 *  - nr_ports 129 or 0xffffffff: -EINVAL ("fairly arbitrary limit" 128);
 *    128 entries of port 4096: -EINVAL (the limit admits 128);
 *  - port list in Xen's range (1 port): -EFAULT (guest_handle_okay());
 *    unmapped (1 port): -EFAULT (the copy of entry 0); a readable idle
 *    port followed by an unmapped entry: -EFAULT;
 *  - ports 4096, 0xffffffff and 4095 (past the allocated bucket): -EINVAL
 *    (evtchn_port_poll(): !port_is_valid());
 *  - a pending port, timeout 1 s ahead: 0 at once (under 100 ms);
 *    [4096, pending]: -EINVAL; [pending, 4096]: 0 (the list is read in
 *    order and stops at the first answer);
 *  - an idle port, timeout 1 ns (past): 0 at once; timeout now + 20 ms:
 *    0 after at least 20 ms; nr_ports 0 with timeout 1 ns: 0;
 *  - evtchn_upcall_mask still 1 after all of these;
 *  - block with evtchn_upcall_pending set by hand (events masked): 0 at
 *    once, and the mask is 0 afterwards (Xen unmasks before checking
 *    for events; the upcall then runs and clears upcall_pending).
 * Source: common/sched/core.c do_sched_op() (copy_from_guest -EFAULT,
 * "default: -ENOSYS"), do_poll() (nr_ports > 128 -EINVAL,
 * guest_handle_okay() -EFAULT, local_events_need_delivery(), then each
 * port through evtchn_port_poll() in include/xen/event.h, set_timer() on
 * the timeout), vcpu_block_enable_events() (local_event_delivery_enable()
 * then vcpu_block(), which does not sleep when local_events_need_delivery()).
 * Undo: the IPI port closed, events masked again, shared_info's words put
 * back.
 */
#include "hostile_time.h"

#define E(x) (-XEN_##x)
#define POLL_MAX 128                        /* do_poll()'s limit */

static long poll(evtchn_port_t *ports, unsigned int nr, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = nr, .timeout = timeout };

    set_xen_guest_handle(p.ports, ports);
    return hg_sched_op(SCHEDOP_poll, &p);
}

static void subop_cases(struct hg_cases *c)
{
    hg_case(c, "yield", hg_sched_op(SCHEDOP_yield, NULL), 0);
    hg_case(c, "sub-op 8", hg_sched_op(8, NULL), E(ENOSYS));
    hg_case(c, "sub-op 99", hg_sched_op(99, NULL), E(ENOSYS));
    hg_case(c, "sub-op 0xffffffff", hg_sched_op(0xffffffffu, NULL), E(ENOSYS));
    hg_case(c, "sub-op 0x100000000 (int 0: yield)", hg_sched_op(0x100000000ul, NULL), 0);
}

static void bad_poll_cases(struct hg_cases *c, evtchn_port_t idle)
{
    evtchn_port_t *list = hg_page(1), *hole;
    unsigned int i;

    hg_case(c, "poll arg NULL", hg_sched_op(SCHEDOP_poll, NULL), E(EFAULT));
    hg_case(c, "poll arg in Xen's range", hg_sched_op(SCHEDOP_poll, HG_XEN_PTR), E(EFAULT));
    list[0] = idle;
    hg_case(c, "poll nr_ports 129", poll(list, POLL_MAX + 1, 1), E(EINVAL));
    hg_case(c, "poll nr_ports 0xffffffff", poll(list, 0xffffffffu, 1), E(EINVAL));
    for (i = 0; i < POLL_MAX; i++)
        list[i] = HG_EVTCHN_2L_PORTS;
    hg_case(c, "poll 128 x port 4096", poll(list, POLL_MAX, 1), E(EINVAL));
    hg_case(c, "poll ports in Xen's range", poll(HG_XEN_PTR, 1, 1), E(EFAULT));
    hg_case(c, "poll ports unmapped", poll(HG_BAD_PTR, 1, 1), E(EFAULT));
    hole = hg_hole_open(sizeof(*hole));
    if (hole) {
        hole[0] = idle;
        hg_case(c, "poll [idle, <unmapped>]", poll(hole, 2, 1), E(EFAULT));
        hg_case(c, "hole closed", hg_hole_close(), 0);
    } else {
        hg_case(c, "hole opened", 0, 1);
    }
    list[0] = HG_EVTCHN_2L_PORTS;
    hg_case(c, "poll port 4096", poll(list, 1, 1), E(EINVAL));
    list[0] = 0xffffffffu;
    hg_case(c, "poll port 0xffffffff", poll(list, 1, 1), E(EINVAL));
    list[0] = HG_EVTCHN_2L_PORTS - 1;
    hg_case(c, "poll port 4095 (past the bucket)", poll(list, 1, 1), E(EINVAL));
}

static void good_poll_cases(struct hg_cases *c, evtchn_port_t ipi)
{
    evtchn_port_t *list = hg_page(1);
    uint64_t t0, dt;

    hg_case(c, "send on the IPI port", hg_evtchn_send(ipi), 0);
    hg_case(c, "IPI port pending", hg_evtchn_pending(ipi), 1);
    list[0] = ipi;
    t0 = hg_now();
    hg_case(c, "poll [pending], timeout now + 1 s", poll(list, 1, t0 + 1000 * HG_MS), 0);
    dt = hg_now() - t0;
    hg_case(c, "poll [pending]: returned within 100 ms", dt < 100 * HG_MS, 1);
    list[0] = HG_EVTCHN_2L_PORTS;
    list[1] = ipi;
    hg_case(c, "poll [4096, pending]", poll(list, 2, hg_now() + 1000 * HG_MS), E(EINVAL));
    list[0] = ipi;
    list[1] = HG_EVTCHN_2L_PORTS;
    hg_case(c, "poll [pending, 4096]", poll(list, 2, hg_now() + 1000 * HG_MS), 0);
    hg_port_clear_pending(ipi);

    t0 = hg_now();
    hg_case(c, "poll [idle], timeout 1 ns (past)", poll(list, 1, 1), 0);
    hg_case(c, "poll [idle] past timeout: within 100 ms", hg_now() - t0 < 100 * HG_MS, 1);
    t0 = hg_now();
    hg_case(c, "poll [idle], timeout now + 20 ms", poll(list, 1, t0 + 20 * HG_MS), 0);
    dt = hg_now() - t0;
    hg_case(c, "poll [idle] 20 ms: slept at least 20 ms", dt >= 20 * HG_MS, 1);
    hg_case(c, "poll [idle] 20 ms: under 500 ms", dt < 500 * HG_MS, 1);
    hg_case(c, "poll nr_ports 0, timeout 1 ns", poll(list, 0, 1), 0);
    hg_case(c, "poll nr_ports 0 unmapped list, timeout 1 ns", poll(HG_BAD_PTR, 0, 1), 0);
    hg_case(c, "upcall mask still 1 after polls", xen_vcpu()->evtchn_upcall_mask, 1);
}

static void block_cases(struct hg_cases *c)
{
    struct vcpu_info *v = xen_vcpu();
    uint64_t t0;
    long rc;
    uint8_t mask_after, pending_after;

    t0 = hg_now();
    v->evtchn_upcall_pending = 1;           /* "an event is pending" */
    asm volatile("" ::: "memory");
    rc = hg_sched_op(SCHEDOP_block, NULL);
    asm volatile("" ::: "memory");
    mask_after = v->evtchn_upcall_mask;
    pending_after = v->evtchn_upcall_pending;
    v->evtchn_upcall_mask = 1;              /* events masked again */
    hg_case(c, "block with upcall_pending set", rc, 0);
    hg_case(c, "block: returned within 100 ms", hg_now() - t0 < 100 * HG_MS, 1);
    hg_case(c, "block: upcall mask after", mask_after, 0);
    hg_case(c, "block: upcall_pending after (the upcall ran)", pending_after, 0);
}

const char *hostile_sched_op_block_poll(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    long ipi;

    hg_evtchn_save(&saved);
    hg_case(&c, "events masked at start", xen_vcpu()->evtchn_upcall_mask, 1);
    subop_cases(&c);
    ipi = hg_evtchn_bind_ipi(0);
    hg_case(&c, "bind_ipi vcpu 0 (port > 0)", ipi > 0, 1);
    if (ipi <= 0)
        return hg_cases_verdict(&c);
    hg_port_set_mask(ipi);
    hg_port_clear_pending(ipi);
    bad_poll_cases(&c, ipi);
    good_poll_cases(&c, ipi);
    hg_case(&c, "close IPI port", hg_evtchn_close(ipi), 0);
    block_cases(&c);
    hg_case(&c, "end: ports bound", hg_evtchn_bound_count(), 0);
    hg_case(&c, "end: events masked", xen_vcpu()->evtchn_upcall_mask, 1);
    printk("hostile:   (%d shared_info words put back)\n", hg_evtchn_restore(&saved));
    return hg_cases_verdict(&c);
}
