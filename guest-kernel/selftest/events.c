/* SPDX-License-Identifier: MIT */
/*
 * selftest/events.c - event channels (2-level ABI) and their delivery:
 *                     the upcall on a hypercall's return, the upcall mask,
 *                     the per-port mask, an interdomain loopback within
 *                     this domain, status, close, the ports given out,
 *                     reset.
 * Owns:    the event self-tests and their recording handler.
 * Touches: the event layer (evtchn.h) and event_channel_op directly (status,
 *          close: what is tested); vcpu_info and the shared_info bitmaps
 *          (read only); pv_ops.irq_enable/irq_disable.
 *
 * Every test starts and ends with events masked (the kernel's state) and
 * no port bound: st_events() runs the body, masks events again and, if the
 * body left a port bound (a failure half-way), resets the event channels.
 * With evtchn=fifo they run on the FIFO ABI (evtchn_reset's test takes the
 * domain back to 2-level; st_events() switches to FIFO again).
 * Expectations are Xen 4.17's answers to this kernel as dom0; none assumes
 * dom0: the domain's own id is learnt (evtchn_domid_self()), and the ports
 * expected from the hypervisor are the lowest closed ones, so the tests
 * hold in a domU too, where the console's and xenstore's ports are bound.
 */
#include <selftest.h>
#include <evtchn.h>
#include <asm/pvops.h>
#include <pv/hypercall.h>
#include <pv/xen.h>

/* Past the last 2-level port: never a valid port. */
#define EV_PORT_BEYOND_2L EVTCHN_2L_NR_CHANNELS

/* This domain's id: what DOMID_SELF resolves to in status answers (0 for
 * dom0).  Set by st_events() before each body. */
static domid_t ev_self;

/* What a handler saw, one per port a test binds. */
struct ev_seen {
    unsigned long count;
    unsigned int port;
    uint8_t mask;           /* vcpu_info.evtchn_upcall_mask inside the handler */
};

static volatile struct ev_seen ev_a, ev_b;

static void ev_record(unsigned int port, void *arg)
{
    volatile struct ev_seen *s = arg;

    s->count++;
    s->port = port;
    s->mask = xen_vcpu()->evtchn_upcall_mask;
}

static void ev_reset_seen(void)
{
    ev_a = (struct ev_seen){ 0 };
    ev_b = (struct ev_seen){ 0 };
}

static long ev_status(unsigned int port, struct evtchn_status *st)
{
    *st = (struct evtchn_status){ .dom = DOMID_SELF, .port = port };
    return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

/* Port's status must be `want`; for interdomain/unbound also the peer. */
static const char *ev_expect_status(unsigned int port, uint32_t want, unsigned int peer)
{
    struct evtchn_status st;
    long rc = ev_status(port, &st);

    ST_EXPECT(rc == 0, "status(%u) = %ld", port, rc);
    ST_EXPECT(st.status == want, "status(%u): %u, want %u", port, st.status, want);
    switch (want) {
    case EVTCHNSTAT_interdomain:
        ST_EXPECT(st.u.interdomain.dom == ev_self && st.u.interdomain.port == peer,
                  "status(%u): interdomain d%u port %u, want d%u port %u", port,
                  st.u.interdomain.dom, st.u.interdomain.port, ev_self, peer);
        break;
    case EVTCHNSTAT_unbound:
        ST_EXPECT(st.u.unbound.dom == ev_self, "status(%u): unbound for d%u, want d%u",
                  port, st.u.unbound.dom, ev_self);
        break;
    }
    if (want != EVTCHNSTAT_closed)
        ST_EXPECT(st.vcpu == XEN_BOOT_VCPU, "status(%u): vcpu %u", port, st.vcpu);
    return NULL;
}

static long ev_close_raw(unsigned int port)
{
    struct evtchn_close op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

/*
 * Run a test body between the invariants every event test keeps (also
 * selftest/evtchn_fifo.c's).  The ABI the kernel was on (2-level, or FIFO
 * with evtchn=fifo) is restored if the body changed it: a reset takes a
 * FIFO domain back to 2-level.
 */
const char *st_events(const char *(*body)(void))
{
    struct vcpu_info *v = xen_vcpu();
    bool fifo = evtchn_is_fifo();
    long self = evtchn_domid_self();
    const char *why;

    ST_EXPECT(v->evtchn_upcall_mask, "events unmasked before the test");
    ST_EXPECT(evtchn_nr_bound() == 0, "%u ports bound before the test", evtchn_nr_bound());
    ST_EXPECT(self >= 0 && self < DOMID_FIRST_RESERVED, "own domain id: %ld", self);
    ev_self = self;
    ev_reset_seen();
    why = body();
    pv_ops.irq_disable();
    if (evtchn_nr_bound()) {
        long rc = evtchn_reset();

        if (!why)
            why = st_fail("%u ports left bound (reset: %ld)", evtchn_nr_bound(), rc);
    }
    if (evtchn_is_fifo() != fifo) {
        long rc = fifo ? evtchn_fifo_start() : evtchn_reset();

        if (!why && (fifo ? rc <= 0 : rc != 0))
            why = st_fail("could not go back to the %s ABI (%ld)",
                          fifo ? "FIFO" : "2-level", rc);
    }
    if (!why && v->evtchn_upcall_pending)
        why = "upcall still pending after the test";
    return why;
}

static const char *ipi_body(void)
{
    unsigned long upcalls = evtchn_stats.upcalls;
    long port = evtchn_bind_ipi(XEN_BOOT_VCPU, ev_record, (void *)&ev_a);

    ST_EXPECT(port > 0, "bind_ipi(vcpu 0) = %ld", port);
    ST_TRY(ev_expect_status(port, EVTCHNSTAT_ipi, 0));
    ST_EXPECT(!evtchn_is_masked(port), "port %ld masked after bind", port);
    pv_ops.irq_enable();
    ST_EXPECT_RC(evtchn_notify(port), 0);
    /* Delivered on the send hypercall's own return. */
    ST_EXPECT(ev_a.count == 1, "handler ran %lu times by send's return, want 1", ev_a.count);
    ST_EXPECT(ev_a.port == port, "handler got port %u, want %ld", ev_a.port, port);
    ST_EXPECT(ev_a.mask == 1, "upcall mask %u inside the handler, want 1", ev_a.mask);
    ST_EXPECT(evtchn_stats.upcalls == upcalls + 1, "%lu upcalls, want 1",
              evtchn_stats.upcalls - upcalls);
    ST_EXPECT(evtchn_stats.last_saved_mask == 0, "upcall interrupted mask %lu, want 0",
              evtchn_stats.last_saved_mask);
    ST_EXPECT(xen_vcpu()->evtchn_upcall_mask == 0, "events masked after the upcall");
    ST_EXPECT(!evtchn_is_pending(port), "port still pending after its handler");
    pv_ops.irq_disable();
    ST_EXPECT_RC(evtchn_close(port), 0);
    ST_TRY(ev_expect_status(port, EVTCHNSTAT_closed, 0));
    return NULL;
}

const char *st_evtchn_ipi(void) { return st_events(ipi_body); }

static const char *masked_body(void)
{
    struct vcpu_info *v = xen_vcpu();
    long port = evtchn_bind_ipi(XEN_BOOT_VCPU, ev_record, (void *)&ev_a);

    ST_EXPECT(port > 0, "bind_ipi(vcpu 0) = %ld", port);
    ST_EXPECT_RC(evtchn_notify(port), 0);
    ST_EXPECT(ev_a.count == 0, "handler ran with events masked");
    ST_EXPECT(evtchn_is_pending(port), "port %ld not pending after send", port);
    ST_EXPECT(v->evtchn_upcall_pending == 1, "upcall_pending %u, want 1",
              v->evtchn_upcall_pending);
    ST_EXPECT_RC(evtchn_notify(port), 0);    /* a second send: still one event */
    pv_ops.irq_enable();
    ST_EXPECT(ev_a.count == 1, "handler ran %lu times after irq_enable, want 1", ev_a.count);
    ST_EXPECT(!evtchn_is_pending(port) && !v->evtchn_upcall_pending,
              "still pending after irq_enable");
    pv_ops.irq_disable();
    ST_EXPECT_RC(evtchn_close(port), 0);
    return NULL;
}

const char *st_evtchn_masked(void) { return st_events(masked_body); }

static const char *port_mask_body(void)
{
    struct vcpu_info *v = xen_vcpu();
    long port = evtchn_bind_ipi(XEN_BOOT_VCPU, ev_record, (void *)&ev_a);

    ST_EXPECT(port > 0, "bind_ipi(vcpu 0) = %ld", port);
    pv_ops.irq_enable();
    evtchn_mask(port);
    ST_EXPECT_RC(evtchn_notify(port), 0);
    ST_EXPECT(ev_a.count == 0, "handler ran on a masked port");
    ST_EXPECT(evtchn_is_pending(port), "masked port %ld not pending after send", port);
    ST_EXPECT(v->evtchn_upcall_pending == 0, "upcall_pending %u for a masked port, want 0",
              v->evtchn_upcall_pending);
    ST_EXPECT_RC(evtchn_unmask(port), 0);
    ST_EXPECT(ev_a.count == 1, "handler ran %lu times by unmask's return, want 1",
              ev_a.count);
    ST_EXPECT(!evtchn_is_masked(port) && !evtchn_is_pending(port),
              "port %ld masked %d pending %d after unmask", port,
              evtchn_is_masked(port), evtchn_is_pending(port));
    pv_ops.irq_disable();
    ST_EXPECT_RC(evtchn_close(port), 0);
    return NULL;
}

const char *st_evtchn_port_mask(void) { return st_events(port_mask_body); }

static const char *interdomain_body(void)
{
    long a = evtchn_alloc_unbound(DOMID_SELF, ev_record, (void *)&ev_a), b;

    ST_EXPECT(a > 0, "alloc_unbound(DOMID_SELF) = %ld", a);
    ST_TRY(ev_expect_status(a, EVTCHNSTAT_unbound, 0));
    b = evtchn_bind_interdomain(DOMID_SELF, a, ev_record, (void *)&ev_b);
    ST_EXPECT(b > 0 && b != a, "bind_interdomain(DOMID_SELF, %ld) = %ld", a, b);
    ST_TRY(ev_expect_status(a, EVTCHNSTAT_interdomain, b));
    ST_TRY(ev_expect_status(b, EVTCHNSTAT_interdomain, a));

    ST_EXPECT_RC(evtchn_notify(a), 0);       /* masked: b only pending */
    ST_EXPECT(evtchn_is_pending(b) && !evtchn_is_pending(a),
              "after send on %ld: pending a %d b %d, want b only", a,
              evtchn_is_pending(a), evtchn_is_pending(b));
    ST_EXPECT(ev_a.count == 0 && ev_b.count == 0, "a handler ran with events masked");
    pv_ops.irq_enable();
    ST_EXPECT(ev_b.count == 1 && ev_a.count == 0, "after irq_enable: a ran %lu, b ran %lu, "
              "want 0, 1", ev_a.count, ev_b.count);
    ST_EXPECT_RC(evtchn_notify(b), 0);       /* unmasked: a handled at once */
    ST_EXPECT(ev_a.count == 1 && ev_b.count == 1, "after send on %ld: a ran %lu, b ran %lu, "
              "want 1, 1", b, ev_a.count, ev_b.count);
    ST_EXPECT(ev_a.port == a && ev_b.port == b, "handlers got ports %u, %u, want %ld, %ld",
              ev_a.port, ev_b.port, a, b);
    pv_ops.irq_disable();

    ST_EXPECT_RC(evtchn_close(b), 0);        /* a goes back to unbound */
    ST_TRY(ev_expect_status(b, EVTCHNSTAT_closed, 0));
    ST_TRY(ev_expect_status(a, EVTCHNSTAT_unbound, 0));
    ST_EXPECT_RC(evtchn_notify(a), 0);       /* unbound: dropped silently */
    ST_EXPECT(!evtchn_is_pending(a) && !evtchn_is_pending(b), "send on unbound %ld "
              "left a port pending", a);
    ST_EXPECT_RC(evtchn_close(a), 0);
    ST_TRY(ev_expect_status(a, EVTCHNSTAT_closed, 0));
    return NULL;
}

const char *st_evtchn_interdomain(void) { return st_events(interdomain_body); }

/*
 * The same loopback, naming this domain by its id rather than DOMID_SELF:
 * an interdomain channel whose two ends are in the same domain is legal
 * (what pingpong=ID,ROUNDS,both relies on).  The bind itself raises the
 * new end (Xen: "we may have lost notifications on the remote unbound
 * port"); then, events enabled, each send runs the other end's handler
 * before it returns.
 */
static const char *loopback_body(void)
{
    long a = evtchn_alloc_unbound(ev_self, ev_record, (void *)&ev_a), b;

    ST_EXPECT(a > 0, "alloc_unbound(d%u) = %ld", ev_self, a);
    ST_TRY(ev_expect_status(a, EVTCHNSTAT_unbound, 0));
    b = evtchn_bind_interdomain(ev_self, a, ev_record, (void *)&ev_b);
    ST_EXPECT(b > 0 && b != a, "bind_interdomain(d%u, %ld) = %ld", ev_self, a, b);
    ST_TRY(ev_expect_status(a, EVTCHNSTAT_interdomain, b));
    ST_TRY(ev_expect_status(b, EVTCHNSTAT_interdomain, a));
    /* Xen raises the new end at once, in case the unbound end was sent on. */
    ST_EXPECT(evtchn_is_pending(b) && !evtchn_is_pending(a), "after bind: pending a %d "
              "b %d, want b only", evtchn_is_pending(a), evtchn_is_pending(b));
    pv_ops.irq_enable();
    ST_EXPECT(ev_b.count == 1 && ev_a.count == 0, "bind's event: a ran %lu, b ran %lu, "
              "want 0, 1", ev_a.count, ev_b.count);
    ev_reset_seen();
    ST_EXPECT_RC(evtchn_notify(a), 0);
    ST_EXPECT(ev_b.count == 1 && ev_a.count == 0 && ev_b.port == b,
              "send on %ld: a ran %lu, b ran %lu (port %u), want 0, 1 (%ld)", a, ev_a.count,
              ev_b.count, ev_b.port, b);
    ST_EXPECT_RC(evtchn_notify(b), 0);
    ST_EXPECT(ev_a.count == 1 && ev_b.count == 1 && ev_a.port == a,
              "send on %ld: a ran %lu (port %u), b ran %lu, want 1 (%ld), 1", b, ev_a.count,
              ev_a.port, ev_b.count, a);
    pv_ops.irq_disable();
    ST_EXPECT_RC(evtchn_close(a), 0);        /* b goes back to unbound, for us */
    ST_TRY(ev_expect_status(b, EVTCHNSTAT_unbound, 0));
    ST_EXPECT_RC(evtchn_close(b), 0);
    ST_TRY(ev_expect_status(b, EVTCHNSTAT_closed, 0));
    return NULL;
}

const char *st_evtchn_loopback(void) { return st_events(loopback_body); }

/* The lowest closed port above `after` (EVTCHNOP_status), or 0. */
static unsigned int ev_lowest_closed(unsigned int after)
{
    struct evtchn_status st;
    unsigned int p;

    for (p = after + 1; p < EV_PORT_BEYOND_2L; p++)
        if (ev_status(p, &st) == 0 && st.status == EVTCHNSTAT_closed)
            return p;
    return 0;
}

/* Closed ports, port 0, and which numbers the hypervisor gives out: the
 * lowest free one, from 1 (port 0 is reserved and never handed out): 1 and
 * 2 in a dom0 with nothing bound; in a domU, past its console's port. */
static const char *status_close_body(void)
{
    unsigned int want1 = ev_lowest_closed(0), want2 = ev_lowest_closed(want1);
    long p1, p2, p3;

    ST_TRY(ev_expect_status(0, EVTCHNSTAT_closed, 0));
    ST_EXPECT_RC(ev_close_raw(0), -XEN_EINVAL);
    p1 = evtchn_alloc_unbound(DOMID_SELF, ev_record, (void *)&ev_a);
    p2 = evtchn_alloc_unbound(DOMID_SELF, ev_record, (void *)&ev_b);
    ST_EXPECT(p1 == want1 && p2 == want2, "alloc_unbound gave ports %ld, %ld, want %u, %u",
              p1, p2, want1, want2);
    ST_EXPECT_RC(evtchn_close(p1), 0);
    ST_TRY(ev_expect_status(p1, EVTCHNSTAT_closed, 0));
    ST_EXPECT_RC(ev_close_raw(p1), -XEN_EINVAL);       /* closing a closed port */
    ST_EXPECT_RC(evtchn_notify(p1), -XEN_EINVAL);      /* sending on one */
    p3 = evtchn_alloc_unbound(DOMID_SELF, ev_record, (void *)&ev_a);
    ST_EXPECT(p3 == p1, "alloc_unbound after closing %ld gave %ld", p1, p3);
    ST_EXPECT_RC(evtchn_close(p3), 0);
    ST_EXPECT_RC(evtchn_close(p2), 0);
    {
        struct evtchn_status st;

        ST_EXPECT_RC(ev_status(EV_PORT_BEYOND_2L, &st), -XEN_EINVAL);
    }
    ST_EXPECT_RC(ev_close_raw(EV_PORT_BEYOND_2L), -XEN_EINVAL);
    return NULL;
}

const char *st_evtchn_status_close(void) { return st_events(status_close_body); }

static const char *virq_body(void)
{
    struct evtchn_bind_virq again = { .virq = VIRQ_DEBUG, .vcpu = XEN_BOOT_VCPU };
    long port = evtchn_bind_virq(VIRQ_DEBUG, XEN_BOOT_VCPU, ev_record, (void *)&ev_a);
    struct evtchn_status st;

    ST_EXPECT(port > 0, "bind_virq(VIRQ_DEBUG, vcpu 0) = %ld", port);
    ST_EXPECT_RC(ev_status(port, &st), 0);
    ST_EXPECT(st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_DEBUG && st.vcpu == 0,
              "status(%ld): %u virq %u vcpu %u, want %u virq %u vcpu 0", port, st.status,
              st.u.virq, st.vcpu, EVTCHNSTAT_virq, VIRQ_DEBUG);
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &again), -XEN_EEXIST);
    ST_EXPECT_RC(evtchn_notify(port), -XEN_EINVAL);    /* only Xen raises a VIRQ */
    ST_EXPECT_RC(evtchn_close(port), 0);
    return NULL;
}

const char *st_evtchn_virq(void) { return st_events(virq_body); }

/* EVTCHNOP_reset(DOMID_SELF) closes every port, whatever it was bound to. */
static const char *reset_body(void)
{
    long p[4];
    size_t i;

    p[0] = evtchn_bind_ipi(XEN_BOOT_VCPU, ev_record, (void *)&ev_a);
    p[1] = evtchn_bind_virq(VIRQ_DEBUG, XEN_BOOT_VCPU, ev_record, (void *)&ev_a);
    p[2] = evtchn_alloc_unbound(DOMID_SELF, ev_record, (void *)&ev_a);
    p[3] = evtchn_bind_interdomain(DOMID_SELF, p[2], ev_record, (void *)&ev_b);
    for (i = 0; i < ARRAY_SIZE(p); i++)
        ST_EXPECT(p[i] > 0, "bind %zu = %ld", i, p[i]);
    ST_EXPECT_RC(evtchn_notify(p[0]), 0);      /* masked: left pending */
    ST_EXPECT_RC(evtchn_reset(), 0);
    ST_EXPECT(evtchn_nr_bound() == 0, "%u ports in the table after reset", evtchn_nr_bound());
    for (i = 0; i < ARRAY_SIZE(p); i++)
        ST_TRY(ev_expect_status(p[i], EVTCHNSTAT_closed, 0));
    ST_EXPECT(!evtchn_is_pending(p[0]), "port %ld still pending after reset", p[0]);
    pv_ops.irq_enable();                       /* nothing left to deliver */
    ST_EXPECT(ev_a.count == 0 && ev_b.count == 0, "handlers ran after reset");
    pv_ops.irq_disable();
    return NULL;
}

const char *st_evtchn_reset(void) { return st_events(reset_body); }
