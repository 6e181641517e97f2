/* SPDX-License-Identifier: MIT */
/*
 * evtchn_bad_pointers - event_channel_op (32) with an argument it cannot
 * read (unmapped, in the hypervisor's range, running into a hole) or
 * cannot write back (a read-only page).
 * Rule: an argument that cannot be read is -EFAULT before anything is
 * done; one that cannot be written back is -EFAULT too, but Xen 4.17 has
 * already done the operation ("Cleaning up here would be a mess!"), so the
 * port exists and the guest must find and close it.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU) and
 * where in common/event_channel.c it comes from (do_event_channel_op()):
 *  - every sub-op 0-14 (bind_interdomain ... set_priority, reset_cont)
 *    with the argument NULL, unmapped, or in the hypervisor's range:
 *    -EFAULT (copy_from_guest() of the whole struct, first thing in each
 *    case; init_control too, so it is safe to call here); sub-op 99 with
 *    an unmapped argument: -ENOSYS (the "default:" reads nothing);
 *  - bind_virq whose port field (OUT, but the whole struct is read in)
 *    lies in an unmapped page: -EFAULT, nothing bound;
 *  - with the argument in a read-only page (the copy back fails):
 *    alloc_unbound -EFAULT, port 1 unbound anyway; bind_interdomain to it
 *    -EFAULT, port 2 connected to port 1 anyway; bind_virq TIMER -EFAULT,
 *    port 3 bound to VIRQ 0 anyway (a second bind: -EEXIST); bind_ipi
 *    -EFAULT, port 4 an IPI port anyway ("if ( !rc && __copy_to_guest() )
 *    rc = -EFAULT; Cleaning up here would be a mess!"); status -EFAULT;
 *  - sub-ops that write nothing back do not mind a read-only argument:
 *    send (port pending) and close: 0.
 * Undo: the ports bound behind the -EFAULTs closed (found by status), no
 * port left bound, the read-only page writable again, shared_info words
 * put back.
 */
#include "hostile_evtchn.h"

#define E(x) (-XEN_##x)

static const char *const subop_names[] = {
    "bind_interdomain", "bind_virq", "bind_pirq", "close", "send", "status",
    "alloc_unbound", "bind_ipi", "bind_vcpu", "unmask", "reset", "init_control",
    "expand_array", "set_priority", "reset_cont",
};

static void unreadable_cases(struct hg_cases *c, long first)
{
    char label[80];
    unsigned int cmd;
    struct evtchn_bind_virq *tail;

    for (cmd = 0; cmd < ARRAY_SIZE(subop_names); cmd++) {
        snprintf(label, sizeof(label), "%s, arg NULL", subop_names[cmd]);
        hg_case(c, label, hg_event_channel_op(cmd, NULL), E(EFAULT));
        snprintf(label, sizeof(label), "%s, arg unmapped", subop_names[cmd]);
        hg_case(c, label, hg_event_channel_op(cmd, HG_BAD_PTR), E(EFAULT));
        snprintf(label, sizeof(label), "%s, arg in hypervisor range", subop_names[cmd]);
        hg_case(c, label, hg_event_channel_op(cmd, HG_XEN_PTR), E(EFAULT));
    }
    hg_case(c, "sub-op 99, arg unmapped", hg_event_channel_op(99, HG_BAD_PTR), E(ENOSYS));

    /* virq and vcpu readable, the port field (OUT, but read in too) in a hole. */
    tail = hg_hole_open(offsetof(struct evtchn_bind_virq, port));
    if (!tail) {
        hg_case(c, "setup: hole", 0, 1);
        return;
    }
    tail->virq = VIRQ_TIMER;
    tail->vcpu = 0;
    hg_case(c, "bind_virq, arg running into a hole",
            hg_event_channel_op(EVTCHNOP_bind_virq, tail), E(EFAULT));
    hg_case(c, "hole closed", hg_hole_close(), 0);
    hg_case(c, "unreadable args bound nothing", hg_evtchn_bound_count(), 0);
    hg_case(c, "unreadable args allocated nothing: next port",
            hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF), first);
    hg_case(c, "close it", hg_evtchn_close(first), 0);
}

/* Issue sub-op cmd with *arg copied into the read-only page ro. */
static long op_readonly(void *ro, unsigned int cmd, const void *arg, size_t size)
{
    long rc;

    if (hg_set_writable(ro))
        return -1000;
    memcpy(ro, arg, size);
    if (hg_set_readonly(ro))
        return -1001;
    rc = hg_event_channel_op(cmd, ro);
    return rc;
}

static void readonly_cases(struct hg_cases *c, void *ro, long first)
{
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct evtchn_bind_ipi bi = { .vcpu = 0 };
    struct evtchn_bind_interdomain bd = { .remote_dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF, .port = 0 };
    struct evtchn_close cl;
    struct evtchn_send sd;
    struct evtchn_status out;

    hg_case(c, "alloc_unbound, arg read-only",
            op_readonly(ro, EVTCHNOP_alloc_unbound, &au, sizeof(au)), E(EFAULT));
    hg_case(c, "alloc_unbound, arg read-only: port allocated anyway",
            hg_evtchn_state(first), EVTCHNSTAT_unbound);
    bd.remote_port = first;
    hg_case(c, "bind_interdomain, arg read-only",
            op_readonly(ro, EVTCHNOP_bind_interdomain, &bd, sizeof(bd)), E(EFAULT));
    hg_case(c, "bind_interdomain, arg read-only: connected anyway",
            (hg_evtchn_status(DOMID_SELF, first + 1, &out), out.status),
            EVTCHNSTAT_interdomain);
    hg_case(c, "bind_interdomain, arg read-only: to the unbound port", out.u.interdomain.port,
            first);
    hg_case(c, "bind_virq, arg read-only",
            op_readonly(ro, EVTCHNOP_bind_virq, &bv, sizeof(bv)), E(EFAULT));
    hg_case(c, "bind_virq, arg read-only: bound anyway",
            (hg_evtchn_status(DOMID_SELF, first + 2, &out), out.status), EVTCHNSTAT_virq);
    hg_case(c, "bind_virq, arg read-only: to TIMER", out.u.virq, VIRQ_TIMER);
    hg_case(c, "bind_virq, arg read-only: TIMER taken", hg_evtchn_bind_virq(VIRQ_TIMER, 0),
            E(EEXIST));
    hg_case(c, "bind_ipi, arg read-only",
            op_readonly(ro, EVTCHNOP_bind_ipi, &bi, sizeof(bi)), E(EFAULT));
    hg_case(c, "bind_ipi, arg read-only: bound anyway", hg_evtchn_state(first + 3),
            EVTCHNSTAT_ipi);
    hg_case(c, "status, arg read-only",
            op_readonly(ro, EVTCHNOP_status, &st, sizeof(st)), E(EFAULT));

    /* Sub-ops that only read their argument do not mind. */
    sd.port = first + 3;
    hg_case(c, "send IPI, arg read-only", op_readonly(ro, EVTCHNOP_send, &sd, sizeof(sd)), 0);
    hg_case(c, "send IPI, arg read-only: pending", hg_evtchn_pending(first + 3), 1);
    for (cl.port = first + 3; cl.port >= (evtchn_port_t)first; cl.port--) {
        char label[64];

        snprintf(label, sizeof(label), "close port %u, arg read-only", cl.port);
        hg_case(c, label, op_readonly(ro, EVTCHNOP_close, &cl, sizeof(cl)), 0);
    }
    hg_case(c, "read-only writable again", hg_set_writable(ro), 0);
}

const char *hostile_evtchn_bad_pointers(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    void *ro = hg_page(1);
    long first;

    hg_evtchn_save(&saved);
    hg_case(&c, "ports bound at start", hg_evtchn_bound_count(), 0);
    first = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    hg_case(&c, "first free port", first, 1);
    if (first <= 0)
        return hg_cases_verdict(&c);
    hg_case(&c, "close it", hg_evtchn_close(first), 0);
    unreadable_cases(&c, first);
    readonly_cases(&c, ro, first);
    hg_case(&c, "ports bound at end", hg_evtchn_bound_count(), 0);
    if (hg_evtchn_bound_count())
        hg_evtchn_reset(DOMID_SELF);
    printk("hostile:   (%d shared_info words put back)\n", hg_evtchn_restore(&saved));
    return hg_cases_verdict(&c);
}
