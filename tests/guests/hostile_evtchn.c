/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_evtchn.c - the event_channel_op helpers of
 *             hostile_evtchn.h.
 * Owns:    nothing.
 * Touches: event_channel_op (hypercall 32) for our own domain; shared_info's
 *          2-level words (read, and written back by hg_evtchn_restore()).
 */
#include "hostile_evtchn.h"

#define HG_UNTOUCHED 0xdeadbeefu

long hg_evtchn_close(evtchn_port_t port)
{
    struct evtchn_close op = { .port = port };

    return hg_event_channel_op(EVTCHNOP_close, &op);
}

long hg_evtchn_send(evtchn_port_t port)
{
    struct evtchn_send op = { .port = port };

    return hg_event_channel_op(EVTCHNOP_send, &op);
}

long hg_evtchn_unmask(evtchn_port_t port)
{
    struct evtchn_unmask op = { .port = port };

    return hg_event_channel_op(EVTCHNOP_unmask, &op);
}

long hg_evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
    struct evtchn_bind_vcpu op = { .port = port, .vcpu = vcpu };

    return hg_event_channel_op(EVTCHNOP_bind_vcpu, &op);
}

long hg_evtchn_reset(domid_t dom)
{
    struct evtchn_reset op = { .dom = dom };

    return hg_event_channel_op(EVTCHNOP_reset, &op);
}

long hg_evtchn_alloc_unbound(domid_t dom, domid_t remote_dom)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote_dom,
                                       .port = HG_UNTOUCHED };
    long rc = hg_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    return rc ? rc : (long)op.port;
}

long hg_evtchn_bind_virq(uint32_t virq, uint32_t vcpu)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu, .port = HG_UNTOUCHED };
    long rc = hg_event_channel_op(EVTCHNOP_bind_virq, &op);

    return rc ? rc : (long)op.port;
}

long hg_evtchn_bind_ipi(uint32_t vcpu)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu, .port = HG_UNTOUCHED };
    long rc = hg_event_channel_op(EVTCHNOP_bind_ipi, &op);

    return rc ? rc : (long)op.port;
}

long hg_evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote_dom,
                                          .remote_port = remote_port,
                                          .local_port = HG_UNTOUCHED };
    long rc = hg_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    return rc ? rc : (long)op.local_port;
}

long hg_evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
    memset(st, 0, sizeof(*st));
    st->dom = dom;
    st->port = port;
    st->status = HG_UNTOUCHED;
    st->vcpu = HG_UNTOUCHED;
    return hg_event_channel_op(EVTCHNOP_status, st);
}

long hg_evtchn_state(evtchn_port_t port)
{
    struct evtchn_status st;
    long rc = hg_evtchn_status(DOMID_SELF, port, &st);

    return rc ? rc : (long)st.status;
}

long hg_evtchn_bound_count(void)
{
    evtchn_port_t port;
    long n = 0;

    for (port = 1; port < HG_EVTCHN_2L_PORTS; port++) {
        long s = hg_evtchn_state(port);

        if (s > 0)
            n++;
        else if (s < 0 && s != -XEN_EINVAL)
            return s;                       /* status itself is broken */
    }
    return n;
}

#define HG_BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

int hg_evtchn_pending(evtchn_port_t port)
{
    volatile xen_ulong_t *w = HYPERVISOR_shared_info->evtchn_pending;

    return (w[port / HG_BITS_PER_WORD] >> (port % HG_BITS_PER_WORD)) & 1;
}

int hg_evtchn_masked(evtchn_port_t port)
{
    volatile xen_ulong_t *w = HYPERVISOR_shared_info->evtchn_mask;

    return (w[port / HG_BITS_PER_WORD] >> (port % HG_BITS_PER_WORD)) & 1;
}

void hg_evtchn_save(struct hg_evtchn_saved *s)
{
    volatile shared_info_t *sh = HYPERVISOR_shared_info;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(s->mask); i++) {
        s->mask[i] = sh->evtchn_mask[i];
        s->pending[i] = sh->evtchn_pending[i];
    }
    s->pending_sel = sh->vcpu_info[0].evtchn_pending_sel;
    s->upcall_pending = sh->vcpu_info[0].evtchn_upcall_pending;
}

int hg_evtchn_restore(const struct hg_evtchn_saved *s)
{
    volatile shared_info_t *sh = HYPERVISOR_shared_info;
    unsigned int i;
    int changed = 0;

    for (i = 0; i < ARRAY_SIZE(s->mask); i++) {
        changed += sh->evtchn_mask[i] != s->mask[i];
        changed += sh->evtchn_pending[i] != s->pending[i];
        sh->evtchn_mask[i] = s->mask[i];
        sh->evtchn_pending[i] = s->pending[i];
    }
    changed += sh->vcpu_info[0].evtchn_pending_sel != s->pending_sel;
    changed += sh->vcpu_info[0].evtchn_upcall_pending != s->upcall_pending;
    sh->vcpu_info[0].evtchn_pending_sel = s->pending_sel;
    sh->vcpu_info[0].evtchn_upcall_pending = s->upcall_pending;
    return changed;
}
