/* SPDX-License-Identifier: MIT */
/*
 * evtchn_port_limit - allocate event-channel ports until the hypervisor
 * refuses, give them all back, and do it again.
 * Rule: a domain's ports are bounded by the 2-level ABI (4096 for a
 * 64-bit guest, port 0 reserved); at the limit every allocating sub-op is
 * refused with the same error and allocates or registers nothing; closing
 * gives every port back (the same number can be allocated again).
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU; dom0
 * holds no port at start) and where it comes from in
 * common/event_channel.c:
 *  - alloc_unbound(DOMID_SELF, DOMID_SELF) hands out 4095 ports, 1 to 4095
 *    in order, then -ENOSPC (-28): get_free_port() -> evtchn_allocate_port()
 *    "port >= max_evtchns(d)", max_evtchns() = 64 * 64 for the 2-level ABI
 *    (event_channel.h); dom0's max_evtchn_port does not bind first;
 *  - at the limit bind_ipi, bind_virq TIMER, alloc_unbound in dom 0 and
 *    bind_interdomain (even to port 0: the local port is taken before the
 *    remote one is looked at) are all -ENOSPC; status of port 4096 -EINVAL;
 *  - a port closed in the middle (2000) is the next one handed out
 *    (lowest free first), and then the table is full again;
 *  - closing all 4095: 0 each; status of each: EVTCHNSTAT_closed (the
 *    buckets stay allocated, so port 4095 is "closed", not -EINVAL);
 *    closing 4095 again: -EINVAL; the refused bind_virq left TIMER free;
 *  - a second fill hands out the same 4095 ports (nothing leaked), and
 *    EVTCHNOP_reset(DOMID_SELF) closes them all: 0, after which port 1 is
 *    the first handed out again.
 * Undo: reset, then no port bound; shared_info words put back.
 */
#include "hostile_evtchn.h"

#define E(x) (-XEN_##x)

/* Allocate unbound ports until refused: how many, the last port, the error. */
static long fill(long *last, long *err)
{
    long n = 0, p;

    *last = 0;
    for (;;) {
        p = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
        if (p <= 0 || n >= (long)HG_EVTCHN_2L_PORTS) {
            *err = p;
            return n;
        }
        if (p != *last + 1)
            printk("hostile:   (port %ld after %ld)\n", p, *last);
        *last = p;
        n++;
    }
}

/* Close ports 1..last; how many closes failed. */
static long drain(long last)
{
    long p, bad = 0;

    for (p = 1; p <= last; p++)
        bad += hg_evtchn_close(p) != 0;
    return bad;
}

static void at_limit_cases(struct hg_cases *c, long last)
{
    struct evtchn_status st;

    hg_case(c, "status last port", hg_evtchn_state(last), EVTCHNSTAT_unbound);
    hg_case(c, "status port 4096", hg_evtchn_status(DOMID_SELF, 4096, &st), E(EINVAL));
    hg_case(c, "at limit: bind_ipi", hg_evtchn_bind_ipi(0), E(ENOSPC));
    hg_case(c, "at limit: bind_virq TIMER", hg_evtchn_bind_virq(VIRQ_TIMER, 0), E(ENOSPC));
    hg_case(c, "at limit: bind_interdomain to the last port",
            hg_evtchn_bind_interdomain(DOMID_SELF, last), E(ENOSPC));
    hg_case(c, "at limit: bind_interdomain to port 0 (port checked after)",
            hg_evtchn_bind_interdomain(DOMID_SELF, 0), E(ENOSPC));
    hg_case(c, "at limit: alloc_unbound in dom 0", hg_evtchn_alloc_unbound(0, DOMID_SELF),
            E(ENOSPC));
    hg_case(c, "at limit: last port still unbound", hg_evtchn_state(last), EVTCHNSTAT_unbound);
    /* One freed port in the middle is found again. */
    hg_case(c, "close port 2000", hg_evtchn_close(2000), 0);
    hg_case(c, "bind_ipi takes port 2000", hg_evtchn_bind_ipi(0), 2000);
    hg_case(c, "full again: bind_ipi", hg_evtchn_bind_ipi(0), E(ENOSPC));
}

const char *hostile_evtchn_port_limit(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    long held, n, last, err, n2, last2, err2, t;

    hg_evtchn_save(&saved);
    held = hg_evtchn_bound_count();
    hg_case(&c, "ports bound at start", held, 0);

    n = fill(&last, &err);
    printk("hostile:   (%ld ports allocated, last %ld, then %ld)\n", n, last, err);
    hg_case(&c, "ports allocated", n, HG_EVTCHN_2L_PORTS - 1 - held);
    hg_case(&c, "last port", last, HG_EVTCHN_2L_PORTS - 1);
    hg_case(&c, "refused with", err, E(ENOSPC));
    at_limit_cases(&c, last);
    hg_case(&c, "close them all: failures", drain(last), 0);
    hg_case(&c, "all closed: ports bound", hg_evtchn_bound_count(), 0);
    hg_case(&c, "status last port (closed, still in range)", hg_evtchn_state(last),
            EVTCHNSTAT_closed);
    hg_case(&c, "close last port again", hg_evtchn_close(last), E(EINVAL));
    t = hg_evtchn_bind_virq(VIRQ_TIMER, 0);
    hg_case(&c, "refused bind_virq registered nothing: bind TIMER", t, 1);
    hg_case(&c, "close TIMER port", hg_evtchn_close(t), 0);

    n2 = fill(&last2, &err2);
    hg_case(&c, "second fill: ports allocated", n2, n);
    hg_case(&c, "second fill: last port", last2, last);
    hg_case(&c, "second fill: refused with", err2, E(ENOSPC));
    hg_case(&c, "reset DOMID_SELF", hg_evtchn_reset(DOMID_SELF), 0);
    hg_case(&c, "after reset: ports bound", hg_evtchn_bound_count(), 0);
    hg_case(&c, "after reset: status last port", hg_evtchn_state(last2), EVTCHNSTAT_closed);
    hg_case(&c, "after reset: first port is 1",
            (t = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF)), 1);
    if (t > 0)
        hg_case(&c, "close it", hg_evtchn_close(t), 0);
    hg_case(&c, "ports bound at end", hg_evtchn_bound_count(), 0);
    printk("hostile:   (%d shared_info words put back)\n", hg_evtchn_restore(&saved));
    return hg_cases_verdict(&c);
}
