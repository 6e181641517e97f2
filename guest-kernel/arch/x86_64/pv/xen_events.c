/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_events.c - event channels, 2-level or FIFO ABI: the port table,
 *                   the bind and unbind helpers, and the upcall's scan.
 * Owns:    evtchn_ports[] (port -> handler, argument, vCPU), evtchn_stats,
 *          the guest's side of the shared_info bitmaps (2-level: it clears
 *          pending bits and sets mask bits; it clears a mask bit only
 *          through EVTCHNOP_unmask), and in FIFO mode the control block
 *          and event-array pages, its copy of each queue's head, and the
 *          guest's side of the event words.
 * Touches: event_channel_op (bind_ipi, bind_virq, alloc_unbound,
 *          bind_interdomain, send, unmask, close, reset, status,
 *          init_control, expand_array, set_priority); sched_op
 *          (SCHEDOP_poll); each vCPU's vcpu_info.evtchn_upcall_pending and
 *          evtchn_pending_sel; mm_alloc_pfn()/mm_free_pfn() for the FIFO
 *          pages; xen_console_evtchn_reset() after a reset (a domU's
 *          console channel is closed with the rest).
 * Trusts:  the hypervisor's bitmaps and event words, except that a LINK or
 *          HEAD naming a port past the event array is dropped.
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
 *
 * More than one vCPU.  Each port is notified on one vCPU (bind_ipi and
 * bind_virq name it, interdomain ports start on vCPU 0), whose vcpu_info
 * gets the selector bit and upcall_pending; the pending and mask bitmaps
 * are the domain's.  The upcall runs on the vCPU it was raised on and
 * serves that vCPU's vcpu_info (smp_processor_id(), asm/percpu.h), and in
 * each word only the ports bound to it: two vCPUs scanning the same word
 * take disjoint bits.  The FIFO ABI here has a control block for vCPU 0
 * only, so on FIFO events are bound to vCPU 0 (the smp self-test goes back
 * to 2-level).
 *
 * The FIFO ABI (evtchn_fifo_start(); docs/porting-guide.md, section 6.7).
 * Each port has a 32-bit event word in the guest's event-array pages:
 * PENDING, MASKED, LINKED, BUSY and a 17-bit LINK, the next port of the
 * queue the event sits on.  A vCPU has 16 queues, one per priority (0
 * highest), and a control block the guest gives the hypervisor: a READY
 * bit per queue and each queue's HEAD.  To raise port p the hypervisor
 * sets PENDING; if p is neither masked nor already LINKED it sets LINKED
 * and appends p to its queue: it writes p into the tail's LINK if the tail
 * is still LINKED (an atomic compare-and-exchange that needs LINKED set),
 * otherwise the queue is empty for it, so it writes HEAD = p and sets the
 * queue's READY bit; then upcall_pending as in 2-level.  HEAD is the
 * hypervisor's to write: the guest keeps its own copy of where it is in
 * each queue (fifo.head[]) and reads HEAD only when its copy is 0 (it
 * consumed the whole queue).  Consuming the port at the head: take LINK
 * and clear LINKED and LINK in one compare-and-exchange (so a hypervisor
 * appending to this port either got in first, and LINK names the new
 * event, or finds it unlinked and starts a new queue at HEAD), then clear
 * PENDING and call the handler if the word was pending and not masked.
 * A LINK of 0 means the queue is empty after this port.  The guest takes
 * the READY word with an exchange and keeps a queue's bit until it found
 * the queue empty; it serves the lowest-numbered (highest-priority) queue
 * first, one event at a time, picking up new READY bits after each.
 */
#include <kernel.h>
#include <evtchn.h>
#include <mm.h>
#include <asm/page.h>
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
    unsigned int vcpu;       /* the vCPU the hypervisor notifies */
};

static struct evtchn_port evtchn_ports[EVTCHN_NR_PORTS];
/* Ports bound to a vCPU other than the boot one (the 2-level scan's filter). */
static xen_ulong_t evtchn_not_boot[EVTCHN_NR_WORDS];
volatile struct evtchn_stats evtchn_stats;

/* The counters are bumped by every vCPU's upcall. */
#define EVTCHN_COUNT(field) __atomic_fetch_add(&evtchn_stats.field, 1, __ATOMIC_RELAXED)

/* FIFO ABI: one event-array page, so ports 0..1023 only. */
#define EVTCHN_FIFO_WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))
#define EVTCHN_FIFO_NR_PORTS       EVTCHN_FIFO_WORDS_PER_PAGE
#define FIFO_BIT(b)                ((event_word_t)1 << (b))
#define FIFO_NO_PFN                (~(uint64_t)0)

_Static_assert(EVTCHN_FIFO_NR_PORTS == EVTCHN_FIFO_ARRAY_PORTS, "evtchn.h's FIFO port count");
_Static_assert(EVTCHN_FIFO_NR_PORTS <= EVTCHN_NR_PORTS, "the port table covers the array");

static struct {
    bool on;                            /* the domain is on the FIFO ABI */
    uint8_t link_bits;                  /* init_control's answer */
    uint64_t control_pfn, array_pfn;    /* our pages (FIFO_NO_PFN: none) */
    struct evtchn_fifo_control_block *control;
    event_word_t *words;                /* ports 0..EVTCHN_FIFO_NR_PORTS-1 */
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];  /* where we are in each queue */
} fifo = { .control_pfn = FIFO_NO_PFN, .array_pfn = FIFO_NO_PFN };

/* Ports the current ABI (and our event array) can hold. */
static unsigned int evtchn_nr_ports(void)
{
    return fifo.on ? EVTCHN_FIFO_NR_PORTS : EVTCHN_NR_PORTS;
}

static event_word_t fifo_word(unsigned int port)
{
    return __atomic_load_n(&fifo.words[port], __ATOMIC_SEQ_CST);
}

bool evtchn_is_fifo(void)
{
    return fifo.on;
}

uint32_t evtchn_fifo_word(unsigned int port)
{
    return fifo.on && port < EVTCHN_FIFO_NR_PORTS ? fifo_word(port) : 0;
}

const volatile struct evtchn_fifo_control_block *evtchn_fifo_control(void)
{
    return fifo.on ? fifo.control : NULL;
}

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
    if (fifo.on)
        return port < EVTCHN_FIFO_NR_PORTS && (fifo_word(port) & FIFO_BIT(EVTCHN_FIFO_PENDING));
    return port < EVTCHN_NR_PORTS &&
           (__atomic_load_n(port_word(HYPERVISOR_shared_info->evtchn_pending, port),
                            __ATOMIC_SEQ_CST) & port_bit(port));
}

bool evtchn_is_masked(unsigned int port)
{
    if (fifo.on)
        return port < EVTCHN_FIFO_NR_PORTS && (fifo_word(port) & FIFO_BIT(EVTCHN_FIFO_MASKED));
    return port < EVTCHN_NR_PORTS &&
           (__atomic_load_n(port_word(HYPERVISOR_shared_info->evtchn_mask, port),
                            __ATOMIC_SEQ_CST) & port_bit(port));
}

/* Atomic (lock or): the hypervisor writes the same words at any time. */
void evtchn_mask(unsigned int port)
{
    if (fifo.on) {
        if (port < EVTCHN_FIFO_NR_PORTS)
            __atomic_fetch_or(&fifo.words[port], FIFO_BIT(EVTCHN_FIFO_MASKED),
                              __ATOMIC_SEQ_CST);
        return;
    }
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
 *
 * FIFO: likewise a pending masked event is on no queue, so a pending port
 * is unmasked by the hypercall (which links it).  A port that is not
 * pending is unmasked here, with a compare-and-exchange that fails if the
 * hypervisor sets PENDING meanwhile (then the hypercall after all): once
 * MASKED is clear, the hypervisor links whatever it raises.
 */
long evtchn_unmask(unsigned int port)
{
    struct evtchn_unmask op = { .port = port };

    if (fifo.on && port < EVTCHN_FIFO_NR_PORTS) {
        event_word_t w = fifo_word(port);

        while (!(w & FIFO_BIT(EVTCHN_FIFO_PENDING))) {
            if (__atomic_compare_exchange_n(&fifo.words[port], &w,
                                            w & ~FIFO_BIT(EVTCHN_FIFO_MASKED), false,
                                            __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
                return 0;
        }
    }
    return HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &op);
}

void evtchn_init(void)
{
    unsigned int w;

    memset(evtchn_ports, 0, sizeof(evtchn_ports));
    memset(evtchn_not_boot, 0, sizeof(evtchn_not_boot));
    if (fifo.on) {
        for (w = 0; w < EVTCHN_FIFO_NR_PORTS; w++)
            evtchn_mask(w);
        return;
    }
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

/* The port table's entry for port (bound to vcpu), or none (fn NULL). */
static void evtchn_set_port(unsigned int port, evtchn_handler_t fn, void *arg,
                            unsigned int vcpu)
{
    xen_ulong_t *w = port_word(evtchn_not_boot, port);

    evtchn_ports[port] = (struct evtchn_port){ fn, arg, vcpu };
    if (fn && vcpu != XEN_BOOT_VCPU)
        __atomic_fetch_or(w, port_bit(port), __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(w, ~port_bit(port), __ATOMIC_SEQ_CST);
}

/* Install the handler of a port the hypervisor just gave out, notified on
 * vcpu, then unmask it.  Returns the port, or the bind's (or unmask's)
 * error. */
static long evtchn_install(long rc, evtchn_port_t port, evtchn_handler_t fn, void *arg,
                           unsigned int vcpu)
{
    if (rc)
        return rc;
    if (port == 0 || port >= evtchn_nr_ports()) {
        printk("evtchn: hypervisor gave out port %u (%s ABI: ports below %u)\n", port,
               fifo.on ? "FIFO" : "2-level", evtchn_nr_ports());
        if (port != 0) {            /* never bound: give it back */
            struct evtchn_close op = { .port = port };

            HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
        }
        return -XEN_ENOSPC;
    }
    evtchn_set_port(port, fn, arg, vcpu);
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

    return evtchn_install(rc, op.port, fn, arg, vcpu);
}

long evtchn_bind_virq(unsigned int virq, unsigned int vcpu, evtchn_handler_t fn, void *arg)
{
    struct evtchn_bind_virq op = { .virq = virq, .vcpu = vcpu };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

    return evtchn_install(rc, op.port, fn, arg, vcpu);
}

long evtchn_alloc_unbound(uint16_t remote_dom, evtchn_handler_t fn, void *arg)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote_dom };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

    /* An interdomain port is notified on vCPU 0 until bind_vcpu moves it. */
    return evtchn_install(rc, op.port, fn, arg, XEN_BOOT_VCPU);
}

long evtchn_bind_interdomain(uint16_t remote_dom, unsigned int remote_port,
                             evtchn_handler_t fn, void *arg)
{
    struct evtchn_bind_interdomain op = { .remote_dom = remote_dom,
                                          .remote_port = remote_port };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &op);

    return evtchn_install(rc, op.local_port, fn, arg, XEN_BOOT_VCPU);
}

/* Clear port's pending bit (or PENDING in its FIFO event word). */
void evtchn_clear_pending(unsigned int port)
{
    if (fifo.on) {
        if (port < EVTCHN_FIFO_NR_PORTS)
            __atomic_fetch_and(&fifo.words[port], ~FIFO_BIT(EVTCHN_FIFO_PENDING),
                               __ATOMIC_SEQ_CST);
        return;
    }
    if (port < EVTCHN_NR_PORTS)
        __atomic_fetch_and(port_word(HYPERVISOR_shared_info->evtchn_pending, port),
                           ~port_bit(port), __ATOMIC_SEQ_CST);
}

/*
 * SCHEDOP_poll on one port: returns at once if it is pending (masked or
 * not) or an upcall is due, else sleeps until it becomes pending, an
 * upcall is due, or system time reaches deadline_ns (0: no deadline).
 * Events stay masked if they were.  0 or -XEN_E* (-XEN_EINVAL: bad port).
 */
long evtchn_poll(unsigned int port, uint64_t deadline_ns)
{
    evtchn_port_t ports[1] = { port };
    struct sched_poll op = { .nr_ports = 1, .timeout = deadline_ns };

    set_xen_guest_handle(op.ports, ports);
    return HYPERVISOR_sched_op(SCHEDOP_poll, &op);
}

/*
 * A PV domain is not told its own id; the event channels know it: a port
 * offered to DOMID_SELF is recorded as offered to this domain's real id,
 * which EVTCHNOP_status reports.  Returns the id, or -XEN_E*.
 */
long evtchn_domid_self(void)
{
    struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_status st = { .dom = DOMID_SELF };
    struct evtchn_close close;
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc);

    if (rc)
        return rc;
    st.port = alloc.port;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_status, &st);
    close.port = alloc.port;
    HYPERVISOR_event_channel_op(EVTCHNOP_close, &close);
    if (rc)
        return rc;
    return st.status == EVTCHNSTAT_unbound ? st.u.unbound.dom : -XEN_EINVAL;
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
        evtchn_set_port(port, NULL, NULL, XEN_BOOT_VCPU);
    return rc;
}

/*
 * The hypervisor's FIFO pages are the guest's again only once it has
 * dropped them: after a reset that took the domain back to 2-level.
 */
static void fifo_free_pages(void)
{
    if (fifo.control_pfn != FIFO_NO_PFN)
        mm_free_pfn(fifo.control_pfn);
    if (fifo.array_pfn != FIFO_NO_PFN)
        mm_free_pfn(fifo.array_pfn);
    fifo.control_pfn = fifo.array_pfn = FIFO_NO_PFN;
    fifo.control = NULL;
    fifo.words = NULL;
}

/*
 * Is the domain back on the 2-level ABI?  set_priority exists only in the
 * FIFO ABI: -XEN_ENOSYS on 2-level.  On FIFO, port 0 (reserved, never
 * bound) is refused by Xen 4.17 (-XEN_EACCES; pvisor answers 0) and
 * priority DEFAULT would change nothing anyway.
 */
static bool evtchn_abi_is_2level(long *probe)
{
    struct evtchn_set_priority op = { .port = 0, .priority = EVTCHN_FIFO_PRIORITY_DEFAULT };

    *probe = HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &op);
    return *probe == -XEN_ENOSYS;
}

/*
 * On the FIFO ABI, EVTCHNOP_reset(DOMID_SELF) also destroys the control
 * blocks and the event array and puts the domain back on 2-level (Xen's
 * public header, EVTCHNOP_reset, note 3).  Checked before the pages are
 * freed: a hypervisor that kept them mapped would still write into them.
 */
long evtchn_reset(void)
{
    struct evtchn_reset op = { .dom = DOMID_SELF };
    long rc = HYPERVISOR_event_channel_op(EVTCHNOP_reset, &op), probe;

    if (rc)
        return rc;
    if (fifo.on) {
        if (!evtchn_abi_is_2level(&probe)) {
            printk("evtchn: reset left the FIFO ABI in place (set_priority: %ld); "
                   "keeping its pages\n", probe);
            memset(fifo.head, 0, sizeof(fifo.head));
            evtchn_init();
            xen_console_evtchn_reset();
            return 0;
        }
        fifo.on = false;
        fifo_free_pages();
    }
    evtchn_init();
    xen_console_evtchn_reset();
    return 0;
}

long evtchn_set_priority(unsigned int port, unsigned int priority)
{
    struct evtchn_set_priority op = { .port = port, .priority = priority };

    return HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &op);
}

/* A zeroed page of ours and its machine frame, or FIFO_NO_PFN. */
static uint64_t fifo_alloc_page(uint64_t *mfn)
{
    uint64_t pfn = mm_alloc_pfn();

    if (pfn == FIFO_NO_PFN)
        return pfn;
    *mfn = pfn_to_mfn(pfn);
    return pfn;
}

/* Undo a half-done switch: reset drops the control block (and array). */
static long fifo_abandon(long why)
{
    long rc = evtchn_reset();

    if (rc)
        printk("evtchn: FIFO switch failed (%ld) and reset too (%ld): pages kept\n",
               why, rc);
    return why;
}

/*
 * Switch the domain to the FIFO ABI: a control block for vCPU 0
 * (init_control) and one event-array page (expand_array), every word
 * MASKED first, as evtchn_init() masks every 2-level port.  No port may be
 * bound (the switch would leave them masked).  Returns link_bits (> 0) or
 * -XEN_E*, the domain then still on 2-level.
 */
long evtchn_fifo_start(void)
{
    struct evtchn_init_control init = { .offset = 0, .vcpu = 0 };
    struct evtchn_expand_array expand;
    uint64_t control_mfn = 0, array_mfn = 0;
    unsigned int i;
    long rc;

    if (fifo.on || fifo.control_pfn != FIFO_NO_PFN)
        return -XEN_EBUSY;
    if (evtchn_nr_bound())
        return -XEN_EBUSY;
    fifo.control_pfn = fifo_alloc_page(&control_mfn);
    fifo.array_pfn = fifo_alloc_page(&array_mfn);
    if (fifo.control_pfn == FIFO_NO_PFN || fifo.array_pfn == FIFO_NO_PFN) {
        fifo_free_pages();
        return -XEN_ENOMEM;
    }
    fifo.control = pfn_to_virt(fifo.control_pfn);
    fifo.words = pfn_to_virt(fifo.array_pfn);
    for (i = 0; i < EVTCHN_FIFO_NR_PORTS; i++)
        fifo.words[i] = FIFO_BIT(EVTCHN_FIFO_MASKED);
    memset(fifo.head, 0, sizeof(fifo.head));

    init.control_gfn = control_mfn;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &init);
    if (rc) {
        fifo_free_pages();
        return rc;
    }
    fifo.on = true;             /* from here an upcall uses the queues */
    fifo.link_bits = init.link_bits;
    expand.array_gfn = array_mfn;
    rc = HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &expand);
    if (rc)
        return fifo_abandon(rc);
    return fifo.link_bits;
}

/* One pending, unmasked port: its pending bit is already clear. */
static void evtchn_dispatch(unsigned int port)
{
    struct evtchn_port *p = &evtchn_ports[port];

    if (!p->fn) {           /* not ours: keep it from coming back */
        evtchn_mask(port);
        EVTCHN_COUNT(spurious);
        return;
    }
    EVTCHN_COUNT(handled);
    p->fn(port, p->arg);
}

/*
 * The ports of word w that are pending, not masked and bound to this vCPU,
 * each handled once.  The bitmaps are the domain's, shared by every vCPU:
 * a word can hold ports bound to several, and each vCPU's selector names
 * the word when one of its own is raised, so each vCPU takes only its own
 * ports (vCPU 0 also those bound by nobody, to mask them), and claims each
 * with an atomic test-and-clear of its pending bit.
 */
static void evtchn_scan_word(unsigned int w, unsigned int cpu)
{
    shared_info_t *s = HYPERVISOR_shared_info;
    xen_ulong_t others = __atomic_load_n(&evtchn_not_boot[w], __ATOMIC_SEQ_CST);
    xen_ulong_t ready = __atomic_load_n(&s->evtchn_pending[w], __ATOMIC_SEQ_CST) &
                        ~__atomic_load_n(&s->evtchn_mask[w], __ATOMIC_SEQ_CST) &
                        (cpu == XEN_BOOT_VCPU ? ~others : others);

    while (ready) {
        unsigned int bit = __builtin_ctzl(ready), port = w * EVTCHN_WORD_BITS + bit;
        xen_ulong_t b = (xen_ulong_t)1 << bit;

        ready &= ~b;
        if (cpu != XEN_BOOT_VCPU && evtchn_ports[port].vcpu != cpu)
            continue;
        if (__atomic_fetch_and(&s->evtchn_pending[w], ~b, __ATOMIC_SEQ_CST) & b)
            evtchn_dispatch(port);
    }
}

/*
 * Take port off the head of its queue: clear LINKED and LINK together and
 * return the LINK it had (the next port, 0 if none).
 */
static uint32_t fifo_unlink(unsigned int port)
{
    event_word_t w = fifo_word(port);

    while (!__atomic_compare_exchange_n(&fifo.words[port], &w,
                                        w & ~(FIFO_BIT(EVTCHN_FIFO_LINKED) |
                                              EVTCHN_FIFO_LINK_MASK),
                                        false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
    return w & EVTCHN_FIFO_LINK_MASK;
}

/*
 * Consume one event of queue q; false once the queue is empty.  Unlinked
 * before PENDING is cleared: an event raised again during its handler is
 * then LINKED again, at the tail, and not lost.
 */
static bool fifo_consume_one(unsigned int q)
{
    uint32_t port = fifo.head[q];

    if (port == 0)              /* we emptied it before: the hypervisor's HEAD */
        port = __atomic_load_n(&fifo.control->head[q], __ATOMIC_SEQ_CST);
    if (port == 0 || port >= EVTCHN_FIFO_NR_PORTS) {
        if (port)
            printk("evtchn: FIFO queue %u names port %u, past the array\n", q, port);
        fifo.head[q] = 0;
        return false;
    }
    fifo.head[q] = fifo_unlink(port);
    if ((fifo_word(port) & (FIFO_BIT(EVTCHN_FIFO_PENDING) | FIFO_BIT(EVTCHN_FIFO_MASKED))) ==
        FIFO_BIT(EVTCHN_FIFO_PENDING)) {
        __atomic_fetch_and(&fifo.words[port], ~FIFO_BIT(EVTCHN_FIFO_PENDING),
                           __ATOMIC_SEQ_CST);
        evtchn_dispatch(port);
    }
    return fifo.head[q] != 0;
}

/* The FIFO upcall: every ready queue, highest priority (0) first. */
static void fifo_do_upcall(struct vcpu_info *v)
{
    uint32_t ready;

    do {
        __atomic_store_n(&v->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        ready = __atomic_exchange_n(&fifo.control->ready, 0, __ATOMIC_SEQ_CST);
        while (ready) {
            unsigned int q = __builtin_ctz(ready);

            if (q >= EVTCHN_FIFO_MAX_QUEUES || !fifo_consume_one(q))
                ready &= ~(1U << q);
            ready |= __atomic_exchange_n(&fifo.control->ready, 0, __ATOMIC_SEQ_CST);
        }
    } while (__atomic_load_n(&v->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}

/*
 * The event callback's C half (entry.S: event_callback_entry), entered with
 * events masked.  f is the interrupted context; the return to it (pv_iret)
 * restores its upcall mask.
 */
void evtchn_do_upcall(const struct trap_frame *f)
{
    unsigned int cpu = smp_processor_id();
    struct vcpu_info *v = &HYPERVISOR_shared_info->vcpu_info[cpu];
    xen_ulong_t sel;

    EVTCHN_COUNT(upcalls);
    evtchn_stats.last_saved_mask = (f->cs >> FRAME_CS_SAVED_MASK_SHIFT) &
                                   FRAME_CS_SAVED_MASK_BITS;
    if (fifo.on) {
        /* Only the boot vCPU has a control block (evtchn_fifo_start()). */
        if (cpu == XEN_BOOT_VCPU)
            fifo_do_upcall(v);
        else
            __atomic_store_n(&v->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        return;
    }
    do {
        __atomic_store_n(&v->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
        sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
        while (sel) {
            unsigned int w = __builtin_ctzl(sel);

            sel &= sel - 1;
            evtchn_scan_word(w, cpu);
        }
    } while (__atomic_load_n(&v->evtchn_upcall_pending, __ATOMIC_SEQ_CST));
}
