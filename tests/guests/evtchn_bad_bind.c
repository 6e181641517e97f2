/* SPDX-License-Identifier: MIT */
/*
 * evtchn_bad_bind - event_channel_op (32) binds with bad arguments: VIRQs
 * out of range or on the wrong vCPU, vCPUs that do not exist, interdomain
 * binds to ports that are not offered to us, domains that do not exist,
 * unknown sub-ops and the FIFO sub-ops of a 2-level domain.
 * Rule: a refused bind allocates nothing (the next port handed out is the
 * same), registers nothing (the VIRQ can still be bound) and writes no
 * output field.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU, one
 * vCPU, no port bound at start) and where in common/event_channel.c it
 * comes from:
 *  - bind_virq (evtchn_bind_virq()): virq 24 (NR_VIRQS) or 0xffffffff:
 *    -EINVAL (range check, virq taken as int); a global VIRQ (CONSOLE) on
 *    vCPU 1 or 0xffffffff: -EINVAL (virq_is_global() before the vCPU
 *    lookup); a per-vCPU VIRQ (TIMER) on vCPU 1, 4096, 0xffffffff:
 *    -ENOENT (domain_vcpu()); the same VIRQ bound twice (TIMER or
 *    CONSOLE): -EEXIST (virq_to_evtchn[] already set);
 *  - bind_vcpu (evtchn_bind_vcpu()): vCPU checked before the port (port
 *    4096 to vCPU 1: -ENOENT); per-vCPU VIRQ or IPI port: -EINVAL; global
 *    VIRQ, unbound or interdomain port to vCPU 0: 0; to vCPU 1 or
 *    0xffffffff: -ENOENT;
 *  - bind_ipi to vCPU 1 or 0xffffffff: -ENOENT (evtchn_bind_ipi());
 *  - alloc_unbound naming a remote domain that does not exist (d5): 0,
 *    the port unbound with remote 5 (the remote is not looked up: only
 *    xsm_evtchn_unbound() sees it, and the dummy XSM ignores it); in d5 or
 *    in DOMID_XEN: -ESRCH, port not written; in dom 0 named by id: 0;
 *  - bind_interdomain (evtchn_bind_interdomain()) to our IPI port, VIRQ
 *    port, a port offered to d5, port 0, a free port, ports 4095, 4096,
 *    0xffffffff, an already connected port: -EINVAL (state, remote_domid
 *    and _evtchn_from_port() checks); to d5 or DOMID_XEN: -ESRCH
 *    (rcu_lock_domain_by_any_id()), local_port not written;
 *  - the loopback bind, for contrast: the local port is pending at once
 *    ("conservatively always setting a notification"), status says
 *    interdomain (dom 0, the remote port); send on it makes the remote
 *    port pending; closing it puts the remote port back to unbound;
 *  - status / reset naming d5 or DOMID_XEN: -ESRCH, nothing written;
 *  - sub-op 99, 15: -ENOSYS ("default:"); reset_cont (14) with no reset
 *    under way: -EBUSY (evtchn_reset(): resuming from next_evtchn 0);
 *  - FIFO sub-ops on a 2-level domain: expand_array -EOPNOTSUPP (-95,
 *    event_fifo.c evtchn_fifo_expand_array()); set_priority -ENOSYS on a
 *    valid port (port 0, an IPI port; event_channel.h: no set_priority
 *    in the 2-level port ops), -EINVAL on port 4096 (looked up first);
 *  - bind_pirq of pirq 0xffffffff: -EINVAL (>= nr_pirqs).
 * And no refused bind allocated a port (the next port is the same) or
 * registered its VIRQ (TIMER binds again). init_control is never called:
 * it would switch the domain to FIFO.
 * Undo: every port closed, none left bound, shared_info words put back.
 */
#include "hostile_evtchn.h"

#define E(x) (-XEN_##x)
#define UNTOUCHED 0xdeadbeefu
#define NO_DOMAIN 5                     /* dom0 is the only domain */

/* The next port get_free_port() would hand out, found by taking and
 * giving it back (so "nothing allocated" is a checkable claim). */
static long next_port(void)
{
    long p = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);

    if (p > 0)
        hg_evtchn_close(p);
    return p;
}

static void bind_virq_cases(struct hg_cases *c, long first)
{
    long t, g;

    hg_case(c, "bind_virq virq 24 (NR_VIRQS)", hg_evtchn_bind_virq(NR_VIRQS, 0), E(EINVAL));
    hg_case(c, "bind_virq virq 0xffffffff", hg_evtchn_bind_virq(0xffffffffu, 0), E(EINVAL));
    hg_case(c, "bind_virq global CONSOLE on vcpu 1", hg_evtchn_bind_virq(VIRQ_CONSOLE, 1),
            E(EINVAL));
    hg_case(c, "bind_virq global CONSOLE on vcpu 0xffffffff",
            hg_evtchn_bind_virq(VIRQ_CONSOLE, 0xffffffffu), E(EINVAL));
    hg_case(c, "bind_virq TIMER on vcpu 1 (none)", hg_evtchn_bind_virq(VIRQ_TIMER, 1),
            E(ENOENT));
    hg_case(c, "bind_virq TIMER on vcpu 4096", hg_evtchn_bind_virq(VIRQ_TIMER, 4096),
            E(ENOENT));
    hg_case(c, "bind_virq TIMER on vcpu 0xffffffff",
            hg_evtchn_bind_virq(VIRQ_TIMER, 0xffffffffu), E(ENOENT));
    hg_case(c, "refused bind_virq allocated nothing", next_port(), first);

    t = hg_evtchn_bind_virq(VIRQ_TIMER, 0);
    hg_case(c, "bind_virq TIMER vcpu 0", t, first);
    hg_case(c, "bind_virq TIMER vcpu 0 again", hg_evtchn_bind_virq(VIRQ_TIMER, 0), E(EEXIST));
    g = hg_evtchn_bind_virq(VIRQ_CONSOLE, 0);
    hg_case(c, "bind_virq CONSOLE vcpu 0", g, first + 1);
    hg_case(c, "bind_virq CONSOLE vcpu 0 again", hg_evtchn_bind_virq(VIRQ_CONSOLE, 0),
            E(EEXIST));
    hg_case(c, "bind_vcpu per-vcpu TIMER port to vcpu 0", hg_evtchn_bind_vcpu(t, 0),
            E(EINVAL));
    hg_case(c, "bind_vcpu global CONSOLE port to vcpu 0", hg_evtchn_bind_vcpu(g, 0), 0);
    hg_case(c, "bind_vcpu global CONSOLE port to vcpu 1", hg_evtchn_bind_vcpu(g, 1),
            E(ENOENT));
    hg_case(c, "close TIMER port", hg_evtchn_close(t), 0);
    hg_case(c, "close CONSOLE port", hg_evtchn_close(g), 0);
}

static void bind_ipi_vcpu_cases(struct hg_cases *c, long first)
{
    long i, u;

    hg_case(c, "bind_ipi vcpu 1 (none)", hg_evtchn_bind_ipi(HG_NO_VCPU), E(ENOENT));
    hg_case(c, "bind_ipi vcpu 0xffffffff", hg_evtchn_bind_ipi(0xffffffffu), E(ENOENT));
    hg_case(c, "refused bind_ipi allocated nothing", next_port(), first);
    i = hg_evtchn_bind_ipi(0);
    u = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    hg_case(c, "bind_ipi vcpu 0", i, first);
    hg_case(c, "alloc_unbound", u, first + 1);
    hg_case(c, "bind_vcpu IPI port to vcpu 0", hg_evtchn_bind_vcpu(i, 0), E(EINVAL));
    hg_case(c, "bind_vcpu unbound port to vcpu 0", hg_evtchn_bind_vcpu(u, 0), 0);
    hg_case(c, "bind_vcpu unbound port to vcpu 1", hg_evtchn_bind_vcpu(u, HG_NO_VCPU),
            E(ENOENT));
    hg_case(c, "bind_vcpu unbound port to vcpu 0xffffffff",
            hg_evtchn_bind_vcpu(u, 0xffffffffu), E(ENOENT));
    hg_case(c, "bind_vcpu port 4096 to vcpu 1 (vcpu checked first)",
            hg_evtchn_bind_vcpu(4096, HG_NO_VCPU), E(ENOENT));
    hg_case(c, "close IPI port", hg_evtchn_close(i), 0);
    hg_case(c, "close unbound port", hg_evtchn_close(u), 0);
}

static void interdomain_cases(struct hg_cases *c, long first)
{
    struct evtchn_bind_interdomain bi = { .remote_dom = NO_DOMAIN, .remote_port = 1,
                                          .local_port = UNTOUCHED };
    struct evtchn_status st;
    long i, v, other, r, l;

    i = hg_evtchn_bind_ipi(0);
    v = hg_evtchn_bind_virq(VIRQ_TIMER, 0);
    other = hg_evtchn_alloc_unbound(DOMID_SELF, NO_DOMAIN);
    hg_case(c, "alloc_unbound remote d5 (not checked)", other, first + 2);
    hg_case(c, "status of it: unbound", (hg_evtchn_status(DOMID_SELF, other, &st), st.status),
            EVTCHNSTAT_unbound);
    hg_case(c, "status of it: remote d5", st.u.unbound.dom, NO_DOMAIN);

    hg_case(c, "bind_interdomain to an IPI port", hg_evtchn_bind_interdomain(DOMID_SELF, i),
            E(EINVAL));
    hg_case(c, "bind_interdomain to a VIRQ port", hg_evtchn_bind_interdomain(DOMID_SELF, v),
            E(EINVAL));
    hg_case(c, "bind_interdomain to a port offered to d5",
            hg_evtchn_bind_interdomain(DOMID_SELF, other), E(EINVAL));
    hg_case(c, "bind_interdomain to port 0", hg_evtchn_bind_interdomain(DOMID_SELF, 0),
            E(EINVAL));
    hg_case(c, "bind_interdomain to a free port",
            hg_evtchn_bind_interdomain(DOMID_SELF, first + 3), E(EINVAL));
    hg_case(c, "bind_interdomain to port 4095", hg_evtchn_bind_interdomain(DOMID_SELF, 4095),
            E(EINVAL));
    hg_case(c, "bind_interdomain to port 4096", hg_evtchn_bind_interdomain(DOMID_SELF, 4096),
            E(EINVAL));
    hg_case(c, "bind_interdomain to port 0xffffffff",
            hg_evtchn_bind_interdomain(DOMID_SELF, 0xffffffffu), E(EINVAL));
    hg_case(c, "bind_interdomain to d5", hg_event_channel_op(EVTCHNOP_bind_interdomain, &bi),
            E(ESRCH));
    hg_case(c, "bind_interdomain to d5: local_port not written", bi.local_port, UNTOUCHED);
    hg_case(c, "bind_interdomain to DOMID_XEN", hg_evtchn_bind_interdomain(DOMID_XEN, 1),
            E(ESRCH));
    hg_case(c, "refused bind_interdomain allocated nothing", next_port(), first + 3);

    /* The good loopback bind, for contrast. */
    r = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    l = hg_evtchn_bind_interdomain(DOMID_SELF, r);
    hg_case(c, "loopback: unbound port", r, first + 3);
    hg_case(c, "loopback: bind_interdomain", l, first + 4);
    hg_case(c, "loopback: local port pending at once", hg_evtchn_pending(l), 1);
    hg_case(c, "loopback: status local", (hg_evtchn_status(DOMID_SELF, l, &st), st.status),
            EVTCHNSTAT_interdomain);
    hg_case(c, "loopback: status local: remote port", st.u.interdomain.port, r);
    hg_case(c, "loopback: status local: remote dom", st.u.interdomain.dom, 0);
    hg_case(c, "loopback: bind again to the now-bound port",
            hg_evtchn_bind_interdomain(DOMID_SELF, r), E(EINVAL));
    hg_case(c, "loopback: send local", hg_evtchn_send(l), 0);
    hg_case(c, "loopback: remote port pending", hg_evtchn_pending(r), 1);
    hg_case(c, "loopback: bind_vcpu local to vcpu 0", hg_evtchn_bind_vcpu(l, 0), 0);
    hg_case(c, "loopback: close local", hg_evtchn_close(l), 0);
    hg_case(c, "loopback: remote back to unbound", hg_evtchn_state(r), EVTCHNSTAT_unbound);
    hg_case(c, "loopback: close remote", hg_evtchn_close(r), 0);
    hg_case(c, "close IPI port", hg_evtchn_close(i), 0);
    hg_case(c, "close VIRQ port", hg_evtchn_close(v), 0);
    hg_case(c, "close port offered to d5", hg_evtchn_close(other), 0);
}

static void domain_cases(struct hg_cases *c, long first)
{
    struct evtchn_alloc_unbound au = { .dom = NO_DOMAIN, .remote_dom = DOMID_SELF,
                                       .port = UNTOUCHED };
    struct evtchn_status st;
    long p;

    hg_case(c, "alloc_unbound in d5", hg_event_channel_op(EVTCHNOP_alloc_unbound, &au),
            E(ESRCH));
    hg_case(c, "alloc_unbound in d5: port not written", au.port, UNTOUCHED);
    hg_case(c, "alloc_unbound in DOMID_XEN", hg_evtchn_alloc_unbound(DOMID_XEN, DOMID_SELF),
            E(ESRCH));
    p = hg_evtchn_alloc_unbound(0, DOMID_SELF);
    hg_case(c, "alloc_unbound in dom 0 (us by id)", p, first);
    hg_case(c, "close it", hg_evtchn_close(p), 0);
    hg_case(c, "status d5 port 0", hg_evtchn_status(NO_DOMAIN, 0, &st), E(ESRCH));
    hg_case(c, "status d5: status not written", st.status, UNTOUCHED);
    hg_case(c, "status DOMID_XEN port 0", hg_evtchn_status(DOMID_XEN, 0, &st), E(ESRCH));
    hg_case(c, "reset d5", hg_evtchn_reset(NO_DOMAIN), E(ESRCH));
    hg_case(c, "reset DOMID_XEN", hg_evtchn_reset(DOMID_XEN), E(ESRCH));
}

static void subop_cases(struct hg_cases *c)
{
    struct evtchn_expand_array ea = { .array_gfn = 0 };
    struct evtchn_set_priority sp = { .port = 0, .priority = EVTCHN_FIFO_PRIORITY_DEFAULT };
    struct evtchn_reset rs = { .dom = DOMID_SELF };
    long i;

    hg_case(c, "sub-op 99", hg_event_channel_op(99, &rs), E(ENOSYS));
    hg_case(c, "sub-op 15", hg_event_channel_op(15, &rs), E(ENOSYS));
    hg_case(c, "sub-op reset_cont (14) with no reset under way",
            hg_event_channel_op(HG_EVTCHNOP_reset_cont, &rs), E(EBUSY));
    hg_case(c, "expand_array (2-level)", hg_event_channel_op(EVTCHNOP_expand_array, &ea),
            E(EOPNOTSUPP));
    hg_case(c, "set_priority port 0 (2-level)",
            hg_event_channel_op(EVTCHNOP_set_priority, &sp), E(ENOSYS));
    i = hg_evtchn_bind_ipi(0);
    sp.port = i;
    hg_case(c, "set_priority IPI port (2-level)",
            hg_event_channel_op(EVTCHNOP_set_priority, &sp), E(ENOSYS));
    hg_case(c, "close IPI port", hg_evtchn_close(i), 0);
    sp.port = 4096;
    hg_case(c, "set_priority port 4096", hg_event_channel_op(EVTCHNOP_set_priority, &sp),
            E(EINVAL));
    sp.port = 0;
    sp.priority = 0xffffffffu;
    hg_case(c, "set_priority port 0 priority 0xffffffff",
            hg_event_channel_op(EVTCHNOP_set_priority, &sp), E(ENOSYS));
    hg_case(c, "bind_pirq pirq 0xffffffff",
            hg_event_channel_op(EVTCHNOP_bind_pirq,
                                &(struct evtchn_bind_pirq){ .pirq = 0xffffffffu }),
            E(EINVAL));
}

const char *hostile_evtchn_bad_bind(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    long first, t;

    hg_evtchn_save(&saved);
    hg_case(&c, "ports bound at start", hg_evtchn_bound_count(), 0);
    first = next_port();
    hg_case(&c, "first free port", first, 1);
    if (first <= 0)
        return hg_cases_verdict(&c);
    bind_virq_cases(&c, first);
    bind_ipi_vcpu_cases(&c, first);
    interdomain_cases(&c, first);
    domain_cases(&c, first);
    subop_cases(&c);
    t = hg_evtchn_bind_virq(VIRQ_TIMER, 0);
    hg_case(&c, "refused binds registered no VIRQ: bind TIMER", t, first);
    if (t > 0)
        hg_case(&c, "close TIMER port", hg_evtchn_close(t), 0);
    hg_case(&c, "ports bound at end", hg_evtchn_bound_count(), 0);
    if (hg_evtchn_bound_count())
        hg_evtchn_reset(DOMID_SELF);
    printk("hostile:   (%d shared_info words put back)\n", hg_evtchn_restore(&saved));
    return hg_cases_verdict(&c);
}
