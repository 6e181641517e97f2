/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_events.c - event channels, 2-level ABI: the port table, the bind
 *                   and unbind helpers, and the upcall's scan.
 * Owns:    evtchn_ports[] (port -> handler, argument), evtchn_stats, and the
 *          guest's side of the shared_info bitmaps: it clears pending bits
 *          and sets mask bits; it clears a mask bit only through
 *          EVTCHNOP_unmask.
 * Touches: event_channel_op (bind_ipi, bind_virq, alloc_unbound,
 *          bind_interdomain, send, unmask, close, reset);
 *          vcpu_info.evtchn_upcall_pending and evtchn_pending_sel.
 * Trusts:  the hypervisor's bitmaps; nothing else arrives from outside.
 * ABI:     abi/xen/event_channel.h; abi/xen/xen.h (struct shared_info,
 *          struct vcpu_info); docs/abi/hypercalls.md (rows 32.*).
 *
 * The protocol (docs/porting-guide.md, section 6).  Each port has a pending
 * bit and a mask bit in shared_info; the vCPU has one selector bit per
 * 64-port word (evtchn_pending_sel) and one "something is pending" byte
 * (evtchn_upcall_pending).  To raise port p the hypervisor sets its pending
 * bit; if it was clear and p is not masked, it sets p's selector bit; if
 * that was clear, it sets upcall_pending, and on the next return to the
 * guest with the upcall mask clear it enters the event callback with the
 * mask set.  The guest undoes it top-down: clear upcall_pending, take the
 * whole selector with one atomic exchange, and for every selected word
 * handle the bits that are pending and not masked, clearing each pending
 * bit before calling the handler (so an event raised during the handler
 * is seen again).  Anything raised meanwhile has set upcall_pending again,
 * so loop until it stays clear.
 */
#include <kernel.h>
#include <evtchn.h>
#include <asm/traps.h>
#include "hypercall.h"
#include "xen.h"

_Static_assert(EVTCHN_DOMID_SELF == DOMID_SELF, "evtchn.h's DOMID_SELF is the ABI's");
_Static_assert(EVTCHN_VIRQ_DEBUG == VIRQ_DEBUG, "evtchn.h's VIRQ_DEBUG is the ABI's");
_Static_assert(EVTCHN_VIRQ_CONSOLE == VIRQ_CONSOLE, "evtchn.h's VIRQ_CONSOLE is the ABI's");

#define EVTCHN_NR_PORTS    EVTCHN_2L_NR_CHANNELS
#define EVTCHN_WORD_BITS   (sizeof(xen_ulong_t) * 8)
#define EVTCHN_NR_WORDS    (EVTCHN_NR_PORTS / EVTCHN_WORD_BITS)

struct evtchn_port {
    evtchn_handler_t fn;     /* NULL: not bound by this kernel */
    void *arg;
};

static struct evtchn_port evtchn_ports[EVTCHN_NR_PORTS];
volatile struct evtchn_stats evtchn_stats;

static inline xen_ulong_t port_bit(unsigned int port)
{
    return (xen_ulong_t)1 << (port % EVTCHN_WORD_BITS);
}

static inline xen_ulong_t *port_word(xen_ulong_t *bitmap, unsigned int port)
{
    return &bitmap[port / EVTCHN_WORD_BITS];
}

bool evtchn_is_pending(unsigned int port)
{
    return port < EVTCHN_NR_PORTS &&
           (__atomic_load_n(port_word(HYPERVISOR_shared_info->evtchn_pending, port),
                            __ATOMIC_SEQ_CST) & port_bit(port));
}

bool evtchn_is_masked(unsigned int port)
{
    return port < EVTCHN_NR_PORTS &&
           (__atomic_load_n(port_word(HYPERVISOR_shared_info->evtchn_mask, port),
                            __ATOMIC_SEQ_CST) & port_bit(port));
}

/* Atomic (lock or): the hypervisor writes the same words at any time. */
void evtchn_mask(unsigned int port)
{
    if (port < EVTCHN_NR_PORTS)
        __atomic_fetch_or(port_word(HYPERVISOR_shared_info->evtchn_mask, port),
                          port_bit(port), __ATOMIC_SEQ_CST);
}

/*
 * Not a local clear of the mask bit: an event that arrived while the port
 * was masked left its pending bit set but not its selector bit, so nothing
 * would ever scan it.  EVTCHNOP_unmask clears the bit and, if the port is
 * pending, sets the selector and upcall_pending: delivered on this
 * hypercall's return if events are enabled.
 */
long evtchn_unmask(unsigned int port)
{
    struct evtchn_unmask op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

void evtchn_init(void)
{
    unsigned int w;

    memset(evtchn_ports, 0, sizeof(evtchn_ports));
    for (w = 0; w < EVTCHN_NR_WORDS; w++)
        __atomic_store_n(&HYPERVISOR_shared_info->evtchn_mask[w], ~(xen_ulong_t)0,
                         __ATOMIC_SEQ_CST);
}

unsigned int evtchn_nr_bound(void)
{
    unsigned int p, n = 0;

    for (p = 0; p < EVTCHN_NR_PORTS; p++)
        n += evtchn_ports[p].fn != NULL;
    return n;
}

/* Install the handler of a port the hypervisor just gave out, then unmask
 * it.  Returns the port, or the bind's (or unmask's) error. */
static long evtchn_install(long rc, evtchn_port_t port, evtchn_handler_t fn, void *arg)
{
    if (rc)
        return rc;
    if (port == 0 || port >= EVTCHN_NR_PORTS) {
        printk("evtchn: hypervisor gave out port %u\n", port);
        return -XEN_EINVAL;
    }
    evtchn_ports[port] = (struct evtchn_port){ fn, arg };
    rc = evtchn_unmask(port);
    if (rc) {
        evtchn_close(port);
        return rc;
    }
    return port;
}

long evtchn_bind_ipi(unsigned int vcpu, evtchn_handler_t fn, void *arg)
{
    struct evtchn_bind_ipi op = { .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &op);

    return evtchn_install(rc, op.port, fn, arg);
}

long evtchn_bind_virq(unsigned int virq, unsigned int vcpu, evtchn_handler_t fn, void *arg)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    return evtchn_install(rc, op.port, fn, arg);
}

long evtchn_alloc_unbound(uint16_t remote_dom, evtchn_handler_t fn, void *arg)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote_dom };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    return evtchn_install(rc, op.port, fn, arg);
}

long evtchn_bind_interdomain(uint16_t remote_dom, unsigned int remote_port,
                             evtchn_handler_t fn, void *arg)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote_dom,
                                          .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    return evtchn_install(rc, op.local_port, fn, arg);
}

long evtchn_notify(unsigned int port)
{
    struct evtchn_send op = { .port = port };

    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

/* Masked first, so no upcall can find the port between close and forget. */
long evtchn_close(unsigned int port)
{
    struct evtchn_close op = { .port = port };
    long rc;

    evtchn_mask(port);
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
    if (rc == 0 && port < EVTCHN_NR_PORTS)
        evtchn_ports[port] = (struct evtchn_port){ NULL, NULL };
    return rc;
}

long evtchn_reset(void)
{
    struct evtchn_reset op = { .dom = DOMID_SELF };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_reset, &op);

    if (rc == 0)
        evtchn_init();
    return rc;
}

/* One pending, unmasked port: its pending bit is already clear. */
static void evtchn_dispatch(unsigned int port)
{
    struct evtchn_port *p = &evtchn_ports[port];

    if (!p->fn) {           /* not ours: keep it from coming back */
        evtchn_mask(port);
        evtchn_stats.spurious++;
        return;
    }
    evtchn_stats.handled++;
    p->fn(port, p->arg);
}

/* The ports of word w that are pending and not masked, each handled once. */
static void evtchn_scan_word(unsigned int w)
{
    shared_info_t *s = HYPERVISOR_shared_info;
    xen_ulong_t ready = __atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) &
                        ~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST);

    while (ready) {
        unsigned int bit = __builtin_ctzl(ready);
        xen_ulong_t b = (xen_ulong_t)1 << bit;

        ready &= ~b;
        __atomic_fetch_and(&s->evtchn_pending[w], ~b, __ATOMIC_SEQ_CST);
        evtchn_dispatch(w * EVTCHN_WORD_BITS + bit);
    }
}

/*
 * The event callback's C half (entry.S: event_callback_entry), entered with
 * events masked.  f is the interrupted context; the return to it (pv_iret)
 * restores its upcall mask.
 */
void evtchn_do_upcall(const struct trap_frame *f)
{
    struct vcpu_info *v = xen_vcpu();
    xen_ulong_t sel;

    evtchn_stats.upcalls++;
    evtchn_stats.last_saved_mask = (f->cs >> FRAME_CS_SAVED_MASK_SHIFT) &
                                   FRAME_CS_SAVED_MASK_BITS;
    do {
        __atomic_store_n(&v->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = __builtin_ctzl(sel);

            sel &= sel - 1;
            evtchn_scan_word(w);
        }
    } while (__atomic_load_n(&v->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}
