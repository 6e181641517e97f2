/* SPDX-License-Identifier: MIT */
/*
 * test_event_channel.c - unit tests for hypervisor/common/event_channel.c
 * (event_channel_op, 2-level ABI) over the simulated machine of host_mm.c:
 * dom0 (privileged), d1 and d2 with one vCPU each, a shared_info page of
 * their own here, port tables in the simulated machine's free frames.
 * Owns:    the tests and the domains' shared_info pages.
 * Touches: nothing of the code under test.
 *
 * Each test checks what the guest would see: the pending, mask and
 * selector bits and the upcall flag, and each sub-op's result and error.
 * The error codes are Xen 4.17's (tests/guests/evtchn_* observe them).
 */
#include <xen/event_channel.h>
#include "harness.h"
#include "host_mm.h"
#include "domain.h"
#include "event.h"
#include "hypercall.h"

static struct shared_info shinfo[3] __attribute__((aligned(4096)));

/* sched.c's, which raising a port calls: the vCPU may run again. */
/* console_ring.c: boot domains' rings; none here. */
void console_ring_drain(struct domain *d)
{
    (void)d;
}

void vcpu_unblock(struct vcpu *v)
{
    v->blocked = false;
}

static void setup(void)
{
    host_machine_reset();
    memset(shinfo, 0, sizeof(shinfo));
    for (unsigned int i = 0; i < 3; i++) {
        host_dom[i].shared_info = &shinfo[i];
        host_vcpu[i].vcpu_info = &shinfo[i].vcpu_info[0];
        ck_assert(evtchn_init(&host_dom[i]));
    }
    host_set_current(1);
}

static long op(unsigned int cmd, void *arg)
{
    return do_event_channel_op(cmd, (uint64_t)arg);
}

static long alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
    struct evtchn_alloc_unbound a = { .dom = dom, .remote_dom = remote, .port = 0xdead };
    long rc = op(EVTCHNOP_alloc_unbound, &a);

    *port = a.port;
    return rc;
}

static evtchn_port_t bind_ipi(void)
{
    struct evtchn_bind_ipi b = { .vcpu = 0 };

    ck_assert_int_eq(op(EVTCHNOP_bind_ipi, &b), 0);
    return b.port;
}

static long send(evtchn_port_t port)
{
    struct evtchn_send s = { .port = port };
    return op(EVTCHNOP_send, &s);
}

static long close_port(evtchn_port_t port)
{
    struct evtchn_close c = { .port = port };
    return op(EVTCHNOP_close, &c);
}

static struct evtchn_status status(domid_t dom, evtchn_port_t port, long *rc)
{
    struct evtchn_status s = { .dom = dom, .port = port, .status = 0xdead };

    *rc = op(EVTCHNOP_status, &s);
    return s;
}

static bool bit(const xen_ulong_t *words, unsigned int n)
{
    return (words[n / 64] >> (n % 64)) & 1;
}

static const struct shared_info *shared(unsigned int d)
{
    return &shinfo[d];
}

START_TEST(port_zero_reserved_and_buckets_of_64)
{
    evtchn_port_t p;
    long rc;

    setup();
    ck_assert_int_eq(status(DOMID_SELF, 0, &rc).status, EVTCHNSTAT_closed);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(close_port(0), -XEN_EINVAL);
    ck_assert_int_eq(send(0), -XEN_EINVAL);
    ck_assert_int_eq(status(DOMID_SELF, 63, &rc).status, EVTCHNSTAT_closed);
    status(DOMID_SELF, 64, &rc);
    ck_assert_int_eq(rc, -XEN_EINVAL);                  /* not valid yet */
    for (unsigned int i = 1; i < 64; i++) {
        ck_assert_int_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
        ck_assert_uint_eq(p, i);
    }
    ck_assert_int_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
    ck_assert_uint_eq(p, 64);                           /* the next bucket */
    ck_assert_int_eq(status(DOMID_SELF, 127, &rc).status, EVTCHNSTAT_closed);
    ck_assert_int_eq(close_port(20), 0);
    ck_assert_int_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
    ck_assert_uint_eq(p, 20);                           /* lowest free first */
}
END_TEST

START_TEST(ipi_raises_once_and_respects_the_mask)
{
    struct shared_info *s = &shinfo[1];
    evtchn_port_t p;

    setup();
    p = bind_ipi();
    host_vcpu[1].blocked = true;                          /* SCHEDOP_block */
    ck_assert_int_eq(send(p), 0);
    ck_assert(!host_vcpu[1].blocked);                     /* woken */
    ck_assert(bit(s->evtchn_pending, p));
    ck_assert(s->vcpu_info[0].evtchn_pending_sel & (1UL << (p / 64)));
    ck_assert_uint_eq(s->vcpu_info[0].evtchn_upcall_pending, 1);
    /* Handled: the guest clears the bits; a second send raises it again. */
    s->evtchn_pending[0] = 0;
    s->vcpu_info[0].evtchn_pending_sel = 0;
    s->vcpu_info[0].evtchn_upcall_pending = 0;
    s->evtchn_mask[0] |= 1UL << p;
    ck_assert_int_eq(send(p), 0);
    ck_assert(bit(s->evtchn_pending, p));                /* pending ...      */
    ck_assert_uint_eq(s->vcpu_info[0].evtchn_pending_sel, 0);
    ck_assert_uint_eq(s->vcpu_info[0].evtchn_upcall_pending, 0); /* ... quiet */
    struct evtchn_unmask u = { .port = p };
    ck_assert_int_eq(op(EVTCHNOP_unmask, &u), 0);
    ck_assert(!bit(s->evtchn_mask, p));
    ck_assert_uint_eq(s->vcpu_info[0].evtchn_upcall_pending, 1);  /* now raised */
    ck_assert_int_eq(close_port(p), 0);
    ck_assert(!bit(s->evtchn_pending, p));               /* close clears it */
    ck_assert_int_eq(send(p), -XEN_EINVAL);
}
END_TEST

START_TEST(loopback_within_a_domain)
{
    evtchn_port_t a, b;
    struct evtchn_bind_interdomain bi;
    long rc;

    setup();
    ck_assert_int_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
    ck_assert_int_eq(send(a), 0);                        /* unbound: dropped */
    ck_assert(!bit(shared(1)->evtchn_pending, a));
    bi = (struct evtchn_bind_interdomain){ .remote_dom = DOMID_SELF, .remote_port = a };
    ck_assert_int_eq(op(EVTCHNOP_bind_interdomain, &bi), 0);
    b = bi.local_port;
    ck_assert(bit(shared(1)->evtchn_pending, b));        /* raised on bind */
    shinfo[1].evtchn_pending[0] = 0;
    ck_assert_int_eq(send(a), 0);
    ck_assert(bit(shared(1)->evtchn_pending, b) && !bit(shared(1)->evtchn_pending, a));
    ck_assert_int_eq(send(b), 0);
    ck_assert(bit(shared(1)->evtchn_pending, a));
    struct evtchn_status st = status(1, a, &rc);
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_interdomain);
    ck_assert_uint_eq(st.u.interdomain.dom, 1);
    ck_assert_uint_eq(st.u.interdomain.port, b);
    ck_assert_int_eq(close_port(a), 0);
    st = status(DOMID_SELF, b, &rc);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);    /* waits for us again */
    ck_assert_uint_eq(st.u.unbound.dom, 1);
    bi.remote_port = b;                                  /* so it can be rebound */
    ck_assert_int_eq(op(EVTCHNOP_bind_interdomain, &bi), 0);
    ck_assert_int_eq(close_port(b), 0);
    ck_assert_int_eq(close_port(bi.local_port), 0);
}
END_TEST

START_TEST(interdomain_between_two_domains)
{
    evtchn_port_t p;
    struct evtchn_bind_interdomain bi;

    setup();
    host_set_current(0);                                 /* dom0 sets it up */
    ck_assert_int_eq(alloc_unbound(1, 2, &p), 0);
    host_set_current(2);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = p };
    ck_assert_int_eq(op(EVTCHNOP_bind_interdomain, &bi), 0);
    shinfo[2].evtchn_pending[0] = 0;
    ck_assert_int_eq(send(bi.local_port), 0);
    ck_assert(bit(shared(1)->evtchn_pending, p));
    ck_assert_uint_eq(shinfo[1].vcpu_info[0].evtchn_upcall_pending, 1);
    ck_assert(!bit(shared(2)->evtchn_pending, bi.local_port));
    /* d1 may not bind it again, nor may d2 a port waiting for someone else. */
    host_set_current(1);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 2, .remote_port = 1 };
    ck_assert_int_eq(op(EVTCHNOP_bind_interdomain, &bi), -XEN_EINVAL);
    ck_assert_int_eq(alloc_unbound(2, 1, &p), -XEN_EPERM);   /* unprivileged */
    ck_assert_int_eq(alloc_unbound(7, DOMID_SELF, &p), -XEN_ESRCH);
    bi = (struct evtchn_bind_interdomain){ .remote_dom = 7, .remote_port = 1 };
    ck_assert_int_eq(op(EVTCHNOP_bind_interdomain, &bi), -XEN_ESRCH);
    /* d2 closes its end: d1's port waits for d2 again. */
    host_set_current(2);
    ck_assert_int_eq(close_port(1), 0);
    host_set_current(0);
    long rc;
    struct evtchn_status st = status(1, 1, &rc);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_unbound);
    ck_assert_uint_eq(st.u.unbound.dom, 2);
}
END_TEST

START_TEST(virq_binding_rules)
{
    struct evtchn_bind_virq b;
    long rc;

    setup();
    b = (struct evtchn_bind_virq){ .virq = NR_VIRQS, .vcpu = 0 };
    ck_assert_int_eq(op(EVTCHNOP_bind_virq, &b), -XEN_EINVAL);
    b = (struct evtchn_bind_virq){ .virq = VIRQ_DOM_EXC, .vcpu = 1 };
    ck_assert_int_eq(op(EVTCHNOP_bind_virq, &b), -XEN_EINVAL);   /* global */
    b = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 1 };
    ck_assert_int_eq(op(EVTCHNOP_bind_virq, &b), -XEN_ENOENT);   /* no vcpu 1 */
    b = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 0 };
    ck_assert_int_eq(op(EVTCHNOP_bind_virq, &b), 0);
    ck_assert_uint_eq(host_vcpu[1].virq_to_evtchn[VIRQ_TIMER], b.port);
    struct evtchn_status st = status(DOMID_SELF, b.port, &rc);
    ck_assert_uint_eq(st.status, EVTCHNSTAT_virq);
    ck_assert_uint_eq(st.u.virq, VIRQ_TIMER);
    ck_assert_int_eq(send(b.port), -XEN_EINVAL);
    struct evtchn_bind_virq again = { .virq = VIRQ_TIMER, .vcpu = 0 };
    ck_assert_int_eq(op(EVTCHNOP_bind_virq, &again), -XEN_EEXIST);
    struct evtchn_bind_vcpu bv = { .port = b.port, .vcpu = 0 };
    ck_assert_int_eq(op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL);   /* per vcpu */
    ck_assert_int_eq(close_port(b.port), 0);
    ck_assert_uint_eq(host_vcpu[1].virq_to_evtchn[VIRQ_TIMER], 0);
    ck_assert_int_eq(op(EVTCHNOP_bind_virq, &again), 0);
}
END_TEST

START_TEST(bind_vcpu_and_ipi_checks)
{
    evtchn_port_t p;
    struct evtchn_bind_ipi bi = { .vcpu = 1 };
    struct evtchn_bind_vcpu bv;

    setup();
    ck_assert_int_eq(op(EVTCHNOP_bind_ipi, &bi), -XEN_ENOENT);
    p = bind_ipi();
    bv = (struct evtchn_bind_vcpu){ .port = p, .vcpu = 0 };
    ck_assert_int_eq(op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL);   /* an IPI */
    ck_assert_int_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
    bv = (struct evtchn_bind_vcpu){ .port = p, .vcpu = 0 };
    ck_assert_int_eq(op(EVTCHNOP_bind_vcpu, &bv), 0);
    bv.vcpu = 1;
    ck_assert_int_eq(op(EVTCHNOP_bind_vcpu, &bv), -XEN_ENOENT);
    bv = (struct evtchn_bind_vcpu){ .port = 4000, .vcpu = 0 };
    ck_assert_int_eq(op(EVTCHNOP_bind_vcpu, &bv), -XEN_EINVAL);
    struct evtchn_unmask u = { .port = 0xffffffff };
    ck_assert_int_eq(op(EVTCHNOP_unmask, &u), -XEN_EINVAL);
}
END_TEST

/* A bad pointer is -EFAULT, and a failed sub-op writes nothing back. */
START_TEST(bad_pointers_and_no_output_on_error)
{
    static struct evtchn_alloc_unbound a;
    long rc;

    setup();
    host_fault_lo = (uint64_t)&a;
    host_fault_hi = (uint64_t)(&a + 1);
    for (unsigned int cmd = 0; cmd <= EVTCHNOP_reset_cont; cmd++)
        ck_assert_int_eq(op(cmd, &a), -XEN_EFAULT);     /* every sub-op */
    host_fault_lo = host_fault_hi = 0;
    struct evtchn_status st = status(DOMID_SELF, 5000, &rc);
    ck_assert_int_eq(rc, -XEN_EINVAL);
    ck_assert_uint_eq(st.status, 0xdead);
    ck_assert_int_eq(op(99, &a), -XEN_ENOSYS);
}
END_TEST

/* What a 2-level domain hears from the sub-ops it does not use (Xen's). */
START_TEST(fifo_pirq_and_reset_cont_answers)
{
    struct evtchn_set_priority sp = { .port = 4096, .priority = 1 };
    struct evtchn_expand_array ea = { .array_gfn = 1 };
    struct evtchn_bind_pirq bp = { .pirq = 0xffffffff };
    struct evtchn_reset r = { .dom = DOMID_SELF };

    setup();
    ck_assert_int_eq(op(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);
    sp.port = 0;
    ck_assert_int_eq(op(EVTCHNOP_set_priority, &sp), -XEN_ENOSYS);
    ck_assert_int_eq(op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
    ck_assert_int_eq(op(EVTCHNOP_bind_pirq, &bp), -XEN_EINVAL);
    ck_assert_int_eq(op(EVTCHNOP_reset_cont, &r), -XEN_EBUSY);
    r.dom = 9;
    ck_assert_int_eq(op(EVTCHNOP_reset_cont, &r), -XEN_ESRCH);
}
END_TEST

/* The table grows a page at a time; out of frames it says ENOMEM cleanly. */
START_TEST(table_growth_out_of_memory_and_reset)
{
    evtchn_port_t p = 0, last = 0;
    long rc;
    unsigned int n = 0;

    setup();
    while ((rc = alloc_unbound(DOMID_SELF, DOMID_SELF, &p)) == 0) {
        last = p;
        n++;
    }
    ck_assert_int_eq(rc, -XEN_ENOMEM);      /* the simulated machine is small */
    ck_assert_uint_eq(last, n);
    ck_assert_uint_eq((n + 1) % EVTCHNS_PER_PAGE, 0);
    struct evtchn_reset r = { .dom = DOMID_SELF };
    ck_assert_int_eq(op(EVTCHNOP_reset, &r), 0);
    for (evtchn_port_t q = 1; q <= last; q++)
        ck_assert_uint_eq(status(DOMID_SELF, q, &rc).status, EVTCHNSTAT_closed);
    ck_assert_int_eq(alloc_unbound(DOMID_SELF, DOMID_SELF, &p), 0);
    ck_assert_uint_eq(p, 1);
    /* Death gives every page of the table back. */
    for (unsigned int i = 0; i < 3; i++)
        evtchn_destroy(&host_dom[i]);
    for (uint64_t m = HOST_FREE_FIRST; m < HOST_FREE_END; m++)
        ck_assert(page_is_free(&machine_frames, _mfn(m)));
}
END_TEST

/* ---- the FIFO ABI (event_fifo.c) ---- */

#define CTRL_MFN  (HOST_D1_FIRST + 20)
#define ARRAY_MFN (HOST_D1_FIRST + 21)

static struct evtchn_fifo_control_block *control(void)
{
    return (struct evtchn_fifo_control_block *)host_frame(CTRL_MFN);
}

static event_word_t *word(evtchn_port_t p)
{
    return (event_word_t *)host_frame(ARRAY_MFN) + p;
}

#define W(bit) ((event_word_t)1 << (bit))

static void fifo_on(void)
{
    struct evtchn_init_control ic = { .control_gfn = CTRL_MFN, .vcpu = 0 };
    struct evtchn_expand_array ea = { .array_gfn = ARRAY_MFN };

    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), 0);
    ck_assert_uint_eq(ic.link_bits, EVTCHN_FIFO_LINK_BITS);
    ck_assert_int_eq(op(EVTCHNOP_expand_array, &ea), 0);
}

START_TEST(fifo_init_checks_as_xen)
{
    struct evtchn_init_control ic = { .control_gfn = CTRL_MFN, .offset = 4 };
    struct evtchn_expand_array ea = { .array_gfn = ARRAY_MFN };
    struct evtchn_set_priority sp = { .port = 1, .priority = 16 };

    setup();
    ck_assert_int_eq(op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);     /* align */
    ic.offset = PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) + 8;
    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);     /* room */
    ic.offset = 0;
    ic.vcpu = 1;
    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), -XEN_ENOENT);
    ic.vcpu = 0;
    ic.control_gfn = HOST_D2_FIRST;                                      /* not ours */
    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
    ic.control_gfn = ~0ULL;
    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);
    ck_assert_uint_eq(frame_table[CTRL_MFN].type_count, 0);   /* nothing held */
    fifo_on();
    ic.control_gfn = CTRL_MFN + 2;
    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), -XEN_EINVAL);     /* again */
    ck_assert_int_eq(op(EVTCHNOP_set_priority, &sp), -XEN_EACCES);     /* free */
    sp.port = bind_ipi();
    ck_assert_int_eq(op(EVTCHNOP_set_priority, &sp), -XEN_EINVAL);     /* 16 */
    sp.priority = 3;
    ck_assert_int_eq(op(EVTCHNOP_set_priority, &sp), 0);
    sp.port = 0;
    ck_assert_int_eq(op(EVTCHNOP_set_priority, &sp), -XEN_EACCES);     /* reserved */
    ck_assert_uint_eq(frame_table[CTRL_MFN].type_count, 1);             /* held */
    host_assert_audit_clean(&host_dom[1]);
    struct evtchn_reset r = { .dom = DOMID_SELF };
    ck_assert_int_eq(op(EVTCHNOP_reset, &r), 0);                       /* 2-level */
    ck_assert_int_eq(op(EVTCHNOP_expand_array, &ea), -XEN_EOPNOTSUPP);
    ck_assert_uint_eq(frame_table[CTRL_MFN].type_count, 0);   /* given back */
    ck_assert_uint_eq(frame_table[ARRAY_MFN].type_count, 0);
    host_assert_audit_clean(&host_dom[1]);
}
END_TEST

START_TEST(fifo_queues_link_in_order_and_respect_masks)
{
    evtchn_port_t p, q, r;

    setup();
    fifo_on();
    p = bind_ipi();
    q = bind_ipi();
    ck_assert_int_eq(send(p), 0);
    ck_assert_uint_eq(*word(p), W(EVTCHN_FIFO_PENDING) | W(EVTCHN_FIFO_LINKED));
    ck_assert_uint_eq(control()->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
    ck_assert_uint_eq(control()->ready, 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
    ck_assert_uint_eq(shinfo[1].vcpu_info[0].evtchn_upcall_pending, 1);
    ck_assert_int_eq(send(q), 0);                        /* behind p */
    ck_assert_uint_eq(*word(p) & EVTCHN_FIFO_LINK_MASK, q);
    ck_assert_uint_eq(control()->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
    ck_assert_int_eq(send(p), 0);                        /* pending already */
    ck_assert_uint_eq(*word(p) & EVTCHN_FIFO_LINK_MASK, q);
    /* The guest consumes p then q: LINKED cleared, head advanced. */
    *word(p) = 0;
    *word(q) = 0;
    control()->head[EVTCHN_FIFO_PRIORITY_DEFAULT] = 0;
    control()->ready = 0;
    ck_assert_int_eq(send(q), 0);       /* q was the tail, consumed: a new head */
    ck_assert_uint_eq(*word(q) & EVTCHN_FIFO_LINK_MASK, 0);   /* not to itself */
    ck_assert_uint_eq(control()->head[EVTCHN_FIFO_PRIORITY_DEFAULT], q);
    ck_assert_uint_eq(control()->ready, 1u << EVTCHN_FIFO_PRIORITY_DEFAULT);
    /* A masked port: pending, not queued; unmask queues it. */
    r = bind_ipi();
    *word(r) = W(EVTCHN_FIFO_MASKED);
    ck_assert_int_eq(send(r), 0);
    ck_assert_uint_eq(*word(r), W(EVTCHN_FIFO_MASKED) | W(EVTCHN_FIFO_PENDING));
    struct evtchn_unmask u = { .port = r };
    ck_assert_int_eq(op(EVTCHNOP_unmask, &u), 0);
    ck_assert_uint_eq(*word(r), W(EVTCHN_FIFO_PENDING) | W(EVTCHN_FIFO_LINKED));
    ck_assert_uint_eq(*word(q) & EVTCHN_FIFO_LINK_MASK, r);
    /* Another priority: its own queue and ready bit. */
    struct evtchn_set_priority sp = { .port = p, .priority = 2 };
    ck_assert_int_eq(op(EVTCHNOP_set_priority, &sp), 0);
    ck_assert_int_eq(send(p), 0);
    ck_assert_uint_eq(control()->head[2], p);
    ck_assert(control()->ready & (1u << 2));
    ck_assert_int_eq(close_port(p), 0);
    ck_assert(!(*word(p) & W(EVTCHN_FIFO_PENDING)));     /* close clears it */
    host_assert_audit_clean(&host_dom[1]);
    evtchn_destroy(&host_dom[1]);                        /* the domain dies */
    ck_assert_uint_eq(frame_table[CTRL_MFN].type_count, 0);
    ck_assert_uint_eq(frame_table[ARRAY_MFN].type_count, 0);
}
END_TEST

/* Pending in the 2-level bitmap, or raised before it had a word: kept. */
START_TEST(fifo_keeps_events_raised_before_their_word)
{
    struct evtchn_init_control ic = { .control_gfn = CTRL_MFN, .vcpu = 0 };
    struct evtchn_expand_array ea = { .array_gfn = ARRAY_MFN };
    evtchn_port_t p;

    setup();
    p = bind_ipi();
    ck_assert_int_eq(send(p), 0);                        /* 2-level pending */
    ck_assert_int_eq(op(EVTCHNOP_init_control, &ic), 0);
    ck_assert_uint_eq(control()->ready, 0);              /* no word yet */
    ck_assert_int_eq(op(EVTCHNOP_expand_array, &ea), 0);
    ck_assert_uint_eq(*word(p), W(EVTCHN_FIFO_PENDING) | W(EVTCHN_FIFO_LINKED));
    ck_assert_uint_eq(control()->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p);
}
END_TEST

static Suite *event_channel_suite(void)
{
    Suite *s = suite_create("event_channel");
    TCase *tc = tcase_create("2-level");

    tcase_add_test(tc, port_zero_reserved_and_buckets_of_64);
    tcase_add_test(tc, ipi_raises_once_and_respects_the_mask);
    tcase_add_test(tc, loopback_within_a_domain);
    tcase_add_test(tc, interdomain_between_two_domains);
    tcase_add_test(tc, virq_binding_rules);
    tcase_add_test(tc, bind_vcpu_and_ipi_checks);
    tcase_add_test(tc, bad_pointers_and_no_output_on_error);
    tcase_add_test(tc, fifo_pirq_and_reset_cont_answers);
    tcase_add_test(tc, fifo_init_checks_as_xen);
    tcase_add_test(tc, fifo_queues_link_in_order_and_respect_masks);
    tcase_add_test(tc, fifo_keeps_events_raised_before_their_word);
    tcase_add_test(tc, table_growth_out_of_memory_and_reset);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(event_channel_suite());
}
