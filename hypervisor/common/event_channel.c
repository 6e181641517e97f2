/* SPDX-License-Identifier: MIT */
/*
 * event_channel.c - the event_channel_op hypercall (32), 2-level ABI.
 * Owns:    each domain's port table (struct evtchn_table, pages of the
 *          hypervisor's own, never mappable by a guest), each vCPU's
 *          virq_to_evtchn[], and the pending/mask bits of shared_info.
 * Touches: vcpu_info.evtchn_upcall_pending and evtchn_pending_sel (the
 *          upcall itself is delivered on the way back to the guest:
 *          pv_deliver_events() in arch/x86_64/pv/traps.c); a blocked
 *          vCPU it raises is unblocked (vcpu_unblock()).
 * Trusts:  nothing from the guest above the evtchn_*() workers: do_*()
 *          copies each sub-op's struct in and out; every port is checked
 *          with port_is_valid() against the caller's own table, every
 *          domain id with domain_by_any_id(), every vCPU id with
 *          domain_vcpu().
 * ABI:     abi/xen/event_channel.h; docs/abi/hypercalls.md rows 32.*.
 *          Semantics and error codes are Xen 4.17's (common/event_channel.c,
 *          event_2l.c), observed with tests/guests/evtchn_*.
 *
 * A port is a small number naming a struct evtchn in the domain's table.
 * Its state says what raises it: an IPI port is raised by its own domain,
 * an interdomain port by its peer's send, a VIRQ port by the hypervisor;
 * an unbound port waits for remote_dom to bind_interdomain to it. Raising
 * a port (evtchn_set_pending) sets its bit in shared_info.evtchn_pending;
 * unless the port is masked (evtchn_mask), it also sets the word's bit in
 * the notified vCPU's evtchn_pending_sel and evtchn_upcall_pending, which
 * makes the next return to that vCPU enter its event callback (unless its
 * evtchn_upcall_mask, the virtual interrupt flag, is set). The guest
 * clears the bits it handled; EVTCHNOP_unmask re-raises a port that became
 * pending while masked. Port 0 is reserved, as on Xen. Ports become valid
 * 64 at a time (Xen's bucket), so a port beyond them is -EINVAL while a
 * free port below is "closed"; the 2-level limit is 4,096 ports.
 */
#define LOG_PREFIX "evtchn"
#include <xen/event_channel.h>
#include "bug.h"
#include "domain.h"
#include "event.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "page.h"
#include "page_alloc.h"

#define BITS_PER_EVTCHN_WORD (sizeof(xen_ulong_t) * 8)

/* ---- the table ------------------------------------------------------- */

bool port_is_valid(const struct domain *d, evtchn_port_t port)
{
    return port < d->evtchn.valid;
}

struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port)
{
    return &d->evtchn.page[port / EVTCHNS_PER_PAGE][port % EVTCHNS_PER_PAGE];
}

/* Make the next bucket of ports valid; false at the limit or out of memory. */
static bool evtchn_grow(struct domain *d)
{
    unsigned int valid = d->evtchn.valid, pg = valid / EVTCHNS_PER_PAGE;

    if (valid >= EVTCHN_2L_NR_CHANNELS)
        return false;
    if (!d->evtchn.page[pg]) {
        mfn_t m = frame_alloc(1, 1);     /* the hypervisor's: count stays 0 */
        if (!mfn_valid_val(m))
            return false;
        d->evtchn.page[pg] = mfn_to_virt(m);
        memset(d->evtchn.page[pg], 0, PAGE_SIZE);
    }
    d->evtchn.valid = valid + EVTCHNS_PER_BUCKET;
    return true;
}

/* The lowest free port of d, growing the table if need be; or -errno. */
static long get_free_port(struct domain *d)
{
    evtchn_port_t port;

    /* As Xen: no port above createdomain's max_evtchn_port. */
    for (port = 0; port_is_valid(d, port) && port <= d->max_evtchn_port; port++)
        if (evtchn_from_port(d, port)->state == ECS_FREE)
            goto found;
    if (port > d->max_evtchn_port)
        return hc_fail(-XEN_ENOSPC, "d%u: ports up to %u in use", d->domain_id,
                       d->max_evtchn_port);
    if (port >= EVTCHN_2L_NR_CHANNELS)
        return hc_fail(-XEN_ENOSPC, "d%u: all %lu ports in use", d->domain_id,
                       EVTCHN_2L_NR_CHANNELS);
    if (!evtchn_grow(d))
        return hc_fail(-XEN_ENOMEM, "d%u: no memory for more ports", d->domain_id);
found:
    evtchn_from_port(d, port)->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
    return port;
}

bool evtchn_init(struct domain *d)
{
    memset(&d->evtchn, 0, sizeof(d->evtchn));
    if (!evtchn_grow(d))
        return false;
    evtchn_from_port(d, 0)->state = ECS_RESERVED;
    return true;
}

/* ---- raising a port (Xen's event_2l.c) -------------------------------- */

static bool test_and_set(xen_ulong_t *w, unsigned int bit)
{
    return __atomic_fetch_or(w, 1UL << bit, __ATOMIC_SEQ_CST) & (1UL << bit);
}

static bool test_and_clear(xen_ulong_t *w, unsigned int bit)
{
    return __atomic_fetch_and(w, ~(1UL << bit), __ATOMIC_SEQ_CST) & (1UL << bit);
}

static bool test(const xen_ulong_t *w, unsigned int bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & (1UL << bit);
}

void evtchn_mark_vcpu_pending(struct vcpu *v)
{
    __atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
    vcpu_unblock(v);
}

/* The word's bit in v's selector, then the upcall flag: the guest scans. */
static void mark_word_pending(struct vcpu *v, evtchn_port_t port)
{
    if (!v)
        return;
    if (!test_and_set(&v->vcpu_info->evtchn_pending_sel,
                      port / BITS_PER_EVTCHN_WORD))
        evtchn_mark_vcpu_pending(v);
    else
        vcpu_unblock(v);
}

/* A vCPU of d polling for port (or for any of several) wakes up. */
static void evtchn_poll_wake(struct domain *d, evtchn_port_t port)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = d->vcpu[i];
        if (v->polling && (v->poll_port == 0 || v->poll_port == port))
            vcpu_unblock(v);
    }
}

static void evtchn_set_pending(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int w = port / BITS_PER_EVTCHN_WORD, b = port % BITS_PER_EVTCHN_WORD;

    if (d->evtchn.fifo)
        evtchn_fifo_set_pending(d, port);
    else if (test_and_set(&s->evtchn_pending[w], b))
        return;                           /* already pending: one upcall */
    else if (!test(&s->evtchn_mask[w], b))
        mark_word_pending(domain_vcpu(d, evtchn_from_port(d, port)->notify_vcpu_id), port);
    evtchn_poll_wake(d, port);
}

long evtchn_port_poll(const struct domain *d, evtchn_port_t port)
{
    if (!port_is_valid(d, port))
        return hc_fail(-XEN_EINVAL, "poll: d%u has no port %u", d->domain_id, port);
    if (d->evtchn.fifo)
        return evtchn_fifo_is_pending(d, port);
    return test(&d->shared_info->evtchn_pending[port / BITS_PER_EVTCHN_WORD],
                port % BITS_PER_EVTCHN_WORD);
}

static void evtchn_clear_pending(struct domain *d, evtchn_port_t port)
{
    if (d->evtchn.fifo)
        evtchn_fifo_clear_pending(d, port);
    else
        test_and_clear(&d->shared_info->evtchn_pending[port / BITS_PER_EVTCHN_WORD],
                       port % BITS_PER_EVTCHN_WORD);
}

/* ---- the workers ------------------------------------------------------ */

/* VIRQs raised for the whole domain (bound on vCPU 0, movable by bind_vcpu). */
static bool virq_is_global(uint32_t virq)
{
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
           virq != VIRQ_XENPMU;
}

long evtchn_alloc_unbound_port(struct domain *d, domid_t remote)
{
    long port = get_free_port(d);
    struct evtchn *chn;

    if (port < 0)
        return port;
    chn = evtchn_from_port(d, (evtchn_port_t)port);
    chn->state = ECS_UNBOUND;
    chn->remote_dom = remote;
    return port;
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *op)
{
    long rc = 0, port;
    struct domain *d = domain_by_any_id(op->dom, &rc);

    if (!d)
        return rc;
    port = evtchn_alloc_unbound_port(d, op->remote_dom == DOMID_SELF ?
                                        current->domain->domain_id : op->remote_dom);
    if (port < 0)
        return port;
    op->port = (evtchn_port_t)port;
    return 0;
}

static long evtchn_bind_interdomain(struct evtchn_bind_interdomain *op)
{
    struct domain *ld = current->domain, *rd;
    domid_t rdom = op->remote_dom == DOMID_SELF ? ld->domain_id : op->remote_dom;
    struct evtchn *lchn, *rchn;
    long lport;

    if (!(rd = domain_by_id(rdom)))
        return hc_fail(-XEN_ESRCH, "bind_interdomain: no d%u", rdom);
    if ((lport = get_free_port(ld)) < 0)
        return lport;
    if (!port_is_valid(rd, op->remote_port))
        return hc_fail(-XEN_EINVAL, "bind_interdomain: d%u has no port %u",
                       rdom, op->remote_port);
    rchn = evtchn_from_port(rd, op->remote_port);
    if (rchn->state != ECS_UNBOUND || rchn->remote_dom != ld->domain_id)
        return hc_fail(-XEN_EINVAL, "bind_interdomain: d%u port %u is not "
                       "waiting for d%u", rdom, op->remote_port, ld->domain_id);
    lchn = evtchn_from_port(ld, (evtchn_port_t)lport);
    lchn->state = ECS_INTERDOMAIN;
    lchn->remote_dom = rd->domain_id;
    lchn->remote_port = op->remote_port;
    rchn->state = ECS_INTERDOMAIN;
    rchn->remote_dom = ld->domain_id;
    rchn->remote_port = (evtchn_port_t)lport;
    /* As Xen: a send to the unbound port may have been dropped; raise ours. */
    evtchn_set_pending(ld, (evtchn_port_t)lport);
    op->local_port = (evtchn_port_t)lport;
    return 0;
}

static long evtchn_bind_virq(struct evtchn_bind_virq *op)
{
    struct domain *d = current->domain;
    struct vcpu *v;
    struct evtchn *chn;
    long port;

    if (op->virq >= NR_VIRQS)
        return hc_fail(-XEN_EINVAL, "bind_virq: virq %u", op->virq);
    if (virq_is_global(op->virq) && op->vcpu != 0)
        return hc_fail(-XEN_EINVAL, "bind_virq: global virq %u on vcpu %u",
                       op->virq, op->vcpu);
    if (!(v = domain_vcpu(d, op->vcpu)))
        return hc_fail(-XEN_ENOENT, "bind_virq: no vcpu %u", op->vcpu);
    if (v->virq_to_evtchn[op->virq])
        return hc_fail(-XEN_EEXIST, "bind_virq: virq %u already bound", op->virq);
    if ((port = get_free_port(d)) < 0)
        return port;
    chn = evtchn_from_port(d, (evtchn_port_t)port);
    chn->state = ECS_VIRQ;
    chn->virq = (uint8_t)op->virq;
    chn->notify_vcpu_id = op->vcpu;
    v->virq_to_evtchn[op->virq] = (evtchn_port_t)port;
    op->port = (evtchn_port_t)port;
    return 0;
}

static long evtchn_bind_ipi(struct evtchn_bind_ipi *op)
{
    struct domain *d = current->domain;
    struct evtchn *chn;
    long port;

    if (!domain_vcpu(d, op->vcpu))
        return hc_fail(-XEN_ENOENT, "bind_ipi: no vcpu %u", op->vcpu);
    if ((port = get_free_port(d)) < 0)
        return port;
    chn = evtchn_from_port(d, (evtchn_port_t)port);
    chn->state = ECS_IPI;
    chn->notify_vcpu_id = op->vcpu;
    op->port = (evtchn_port_t)port;
    return 0;
}

/* Back to free: not pending, notifying vCPU 0 (Xen's evtchn_free). */
static void evtchn_free(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn = evtchn_from_port(d, port);

    evtchn_clear_pending(d, port);
    memset(chn, 0, sizeof(*chn));
}

static long evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn;

    if (!port_is_valid(d, port))
        return hc_fail(-XEN_EINVAL, "close: d%u has no port %u", d->domain_id, port);
    chn = evtchn_from_port(d, port);
    switch (chn->state) {
    case ECS_FREE:
    case ECS_RESERVED:
        return hc_fail(-XEN_EINVAL, "close: port %u is not bound", port);
    case ECS_VIRQ:
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            if (d->vcpu[i]->virq_to_evtchn[chn->virq] == port)
                d->vcpu[i]->virq_to_evtchn[chn->virq] = 0;
        break;
    case ECS_INTERDOMAIN: {
        /* The peer's end waits again, for us (a loopback pair: our own). */
        struct domain *rd = domain_by_id(chn->remote_dom);
        struct evtchn *rchn;
        BUG_ON(!rd, "d%u port %u: peer d%u is gone", d->domain_id, port,
               chn->remote_dom);
        rchn = evtchn_from_port(rd, chn->remote_port);
        BUG_ON(rchn->state != ECS_INTERDOMAIN || rchn->remote_dom != d->domain_id,
               "d%u port %u: peer d%u port %u is not its peer", d->domain_id,
               port, chn->remote_dom, chn->remote_port);
        rchn->state = ECS_UNBOUND;
        rchn->remote_port = 0;
        break;
    }
    default:                           /* ECS_UNBOUND, ECS_IPI */
        break;
    }
    evtchn_free(d, port);
    return 0;
}

static long evtchn_send(evtchn_port_t port)
{
    struct domain *d = current->domain;
    const struct evtchn *chn;

    if (!port_is_valid(d, port))
        return hc_fail(-XEN_EINVAL, "send: no port %u", port);
    chn = evtchn_from_port(d, port);
    switch (chn->state) {
    case ECS_INTERDOMAIN: {
        /* A peer's ports are closed before it goes (evtchn_destroy). */
        struct domain *rd = domain_by_id(chn->remote_dom);
        BUG_ON(!rd, "d%u port %u: peer d%u is gone", d->domain_id, port,
               chn->remote_dom);
        evtchn_set_pending(rd, chn->remote_port);
        return 0;
    }
    case ECS_IPI:
        evtchn_set_pending(d, port);
        return 0;
    case ECS_UNBOUND:
        /* As Xen: dropped; a boot domain's console is read on its way. */
        if (port == d->console_port && d->boot_domain)
            console_ring_drain(d);
        return 0;
    default:
        return hc_fail(-XEN_EINVAL, "send: port %u cannot be sent on", port);
    }
}

static long evtchn_status(struct evtchn_status *op)
{
    long rc = 0;
    struct domain *d = domain_by_any_id(op->dom, &rc);
    const struct evtchn *chn;

    if (!d)
        return rc;
    if (!port_is_valid(d, op->port))
        return hc_fail(-XEN_EINVAL, "status: d%u has no port %u", d->domain_id, op->port);
    chn = evtchn_from_port(d, op->port);
    memset(&op->u, 0, sizeof(op->u));
    switch (chn->state) {
    case ECS_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = chn->remote_dom;
        break;
    case ECS_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = chn->remote_dom;
        op->u.interdomain.port = chn->remote_port;
        break;
    case ECS_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = chn->virq;
        break;
    case ECS_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    default:                           /* ECS_FREE, ECS_RESERVED */
        op->status = EVTCHNSTAT_closed;
        break;
    }
    op->vcpu = chn->notify_vcpu_id;
    return 0;
}

static long evtchn_bind_vcpu(const struct evtchn_bind_vcpu *op)
{
    struct domain *d = current->domain;
    struct evtchn *chn;

    if (!domain_vcpu(d, op->vcpu))
        return hc_fail(-XEN_ENOENT, "bind_vcpu: no vcpu %u", op->vcpu);
    if (!port_is_valid(d, op->port))
        return hc_fail(-XEN_EINVAL, "bind_vcpu: no port %u", op->port);
    chn = evtchn_from_port(d, op->port);
    switch (chn->state) {
    case ECS_VIRQ:
        if (!virq_is_global(chn->virq))
            return hc_fail(-XEN_EINVAL, "bind_vcpu: virq %u is per vcpu", chn->virq);
        /* fall through */
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
        chn->notify_vcpu_id = op->vcpu;
        return 0;
    default:
        return hc_fail(-XEN_EINVAL, "bind_vcpu: port %u cannot move", op->port);
    }
}

static long evtchn_unmask(evtchn_port_t port)
{
    struct domain *d = current->domain;
    struct shared_info *s = d->shared_info;
    unsigned int w = port / BITS_PER_EVTCHN_WORD, b = port % BITS_PER_EVTCHN_WORD;

    if (!port_is_valid(d, port))
        return hc_fail(-XEN_EINVAL, "unmask: no port %u", port);
    /* As Xen's evtchn_usable(): a free or reserved port stays as it is. */
    if (evtchn_from_port(d, port)->state <= ECS_RESERVED)
        return 0;
    if (d->evtchn.fifo) {
        evtchn_fifo_unmask(d, port);
        return 0;
    }
    /* Pending while masked: the selector and upcall were not raised. */
    if (test_and_clear(&s->evtchn_mask[w], b) && test(&s->evtchn_pending[w], b))
        mark_word_pending(domain_vcpu(d, evtchn_from_port(d, port)->notify_vcpu_id), port);
    return 0;
}

/* Every port of d closed, and the domain back on the 2-level ABI (as Xen). */
static void evtchn_close_all(struct domain *d)
{
    for (evtchn_port_t port = 1; port_is_valid(d, port); port++)
        if (evtchn_from_port(d, port)->state != ECS_FREE)
            evtchn_close(d, port);
    evtchn_fifo_destroy(d);
}

/*
 * reset closes every port at once (at most 4,096: bounded), so no reset is
 * ever left half done and reset_cont always finds none: -EBUSY, as Xen
 * answers when no reset is under way.
 */
static long evtchn_reset(const struct evtchn_reset *op, bool cont)
{
    long rc = 0;
    struct domain *d = domain_by_any_id(op->dom, &rc);

    if (!d)
        return rc;
    if (cont)
        return hc_fail(-XEN_EBUSY, "reset_cont: no reset of d%u under way",
                       d->domain_id);
    evtchn_close_all(d);
    return 0;
}

/* bind_pirq: Xen's first check; physical IRQs come with physdev_op. */
static long evtchn_bind_pirq(const struct evtchn_bind_pirq *op)
{
    if ((int32_t)op->pirq < 0)
        return hc_fail(-XEN_EINVAL, "bind_pirq: pirq %d", (int32_t)op->pirq);
    return hc_fail(-XEN_ENOSYS, "bind_pirq: physical IRQs are not routed yet");
}

/* set_priority: a FIFO domain's (event_fifo.c); the 2-level ABI has none. */
static long evtchn_set_priority(const struct evtchn_set_priority *op)
{
    if (!port_is_valid(current->domain, op->port))
        return hc_fail(-XEN_EINVAL, "set_priority: no port %u", op->port);
    if (!current->domain->evtchn.fifo)
        return hc_fail(-XEN_ENOSYS, "set_priority: the 2-level ABI has no priorities");
    /* As Xen's evtchn_usable(): a free or reserved port has no queue. */
    if (evtchn_from_port(current->domain, op->port)->state <= ECS_RESERVED)
        return hc_fail(-XEN_EACCES, "set_priority: port %u is not bound", op->port);
    return evtchn_fifo_set_priority(op);
}

void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq)
{
    evtchn_port_t port = v->virq_to_evtchn[virq];

    if (port)
        evtchn_set_pending(v->domain, port);
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    evtchn_port_t port = d->max_vcpus ? d->vcpu[0]->virq_to_evtchn[virq] : 0;

    if (port)
        evtchn_set_pending(d, port);
}

void evtchn_destroy(struct domain *d)
{
    evtchn_close_all(d);
    for (unsigned int i = 0; i < EVTCHN_PAGES; i++)
        if (d->evtchn.page[i])
            page_free(&machine_frames, virt_to_mfn(d->evtchn.page[i]), 1);
    memset(&d->evtchn, 0, sizeof(d->evtchn));
}

/* ---- the hypercall ----------------------------------------------------- */

/*
 * Copy the sub-op's struct in, run its worker, copy it back out on
 * success (as Xen: a failed sub-op writes nothing).
 */
#define EVTCHN_OP(type, call) do {                                        \
        type op_;                                                         \
        long rc_;                                                         \
        if (copy_from_guest(&op_, arg, sizeof(op_)))                      \
            return -XEN_EFAULT;                                           \
        rc_ = call(&op_);                                                 \
        if (!rc_ && copy_to_guest(arg, &op_, sizeof(op_)))                \
            rc_ = -XEN_EFAULT;                                            \
        return rc_;                                                       \
    } while (0)

/* Sub-ops with nothing to copy back. */
#define EVTCHN_OP_IN(type, call) do {                                     \
        type op_;                                                         \
        if (copy_from_guest(&op_, arg, sizeof(op_)))                      \
            return -XEN_EFAULT;                                           \
        return call;                                                      \
    } while (0)

/* Every sub-op but send, out of line: their structs make a frame the
 * hot one need not build (docs/performance.md). */
static long __attribute__((noinline)) event_channel_op_other(unsigned int cmd,
                                                             uint64_t arg)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        EVTCHN_OP(struct evtchn_alloc_unbound, evtchn_alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        EVTCHN_OP(struct evtchn_bind_interdomain, evtchn_bind_interdomain);
    case EVTCHNOP_bind_virq:
        EVTCHN_OP(struct evtchn_bind_virq, evtchn_bind_virq);
    case EVTCHNOP_bind_ipi:
        EVTCHN_OP(struct evtchn_bind_ipi, evtchn_bind_ipi);
    case EVTCHNOP_status:
        EVTCHN_OP(struct evtchn_status, evtchn_status);
    case EVTCHNOP_close:
        EVTCHN_OP_IN(struct evtchn_close, evtchn_close(current->domain, op_.port));
    case EVTCHNOP_bind_vcpu:
        EVTCHN_OP_IN(struct evtchn_bind_vcpu, evtchn_bind_vcpu(&op_));
    case EVTCHNOP_unmask:
        EVTCHN_OP_IN(struct evtchn_unmask, evtchn_unmask(op_.port));
    case EVTCHNOP_reset:
    case EVTCHNOP_reset_cont:
        EVTCHN_OP_IN(struct evtchn_reset,
                     evtchn_reset(&op_, cmd == EVTCHNOP_reset_cont));
    case EVTCHNOP_bind_pirq:
        EVTCHN_OP_IN(struct evtchn_bind_pirq, evtchn_bind_pirq(&op_));
    case EVTCHNOP_init_control:
        EVTCHN_OP(struct evtchn_init_control, evtchn_fifo_init_control);
    case EVTCHNOP_expand_array:
        EVTCHN_OP_IN(struct evtchn_expand_array, evtchn_fifo_expand_array(&op_));
    case EVTCHNOP_set_priority:
        EVTCHN_OP_IN(struct evtchn_set_priority, evtchn_set_priority(&op_));
    default:
        return hc_fail(-XEN_ENOSYS, "event_channel_op cmd %u", cmd);
    }
}

long do_event_channel_op(unsigned int cmd, uint64_t arg)
{
    if (cmd == EVTCHNOP_send) {          /* struct evtchn_send: the port */
        evtchn_port_t port;

        _Static_assert(sizeof(struct evtchn_send) == sizeof(port), "evtchn_send");
        if (!guest_range_ok(arg, sizeof(port)) ||
            !raw_read_guest_u32((const uint32_t *)arg, &port))
            return -XEN_EFAULT;
        return evtchn_send(port);
    }
    return event_channel_op_other(cmd, arg);
}
