/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_console.c - the console pv-ops: dom0's console_io, a domU's
 *                    shared ring.
 * Owns:    the console ring's mapping (a page of the image pointed at the
 *          ring's frame), the early buffer, the ring lock, the console
 *          channel (its local port, and its peer for rebinding);
 *          boot_tsc_console, the TSC when the first bytes leave.
 * Touches: console_io (dom0); pv_ops.set_pte_at (update_va_mapping); the
 *          event layer (evtchn_notify, evtchn_clear_pending, evtchn_poll);
 *          event_channel_op (status, bind_interdomain) for the channel;
 *          sched_op(SCHEDOP_yield); the calling vCPU's upcall mask.
 * Trusts:  nothing the backend writes: indexes that claim more than a
 *          ring's worth of bytes are refused.
 * ABI:     abi/xen/io/console.h (struct xencons_interface),
 *          abi/xen/xen.h (start_info.console.domU, SIF_INITDOMAIN,
 *          CONSOLEIO_*); docs/porting-guide.md, section 4.1.
 *
 * Dom0 (SIF_INITDOMAIN) prints with console_io(CONSOLEIO_write); the
 * hypervisor refuses that to other domains (-EPERM on Xen and pvisor).
 * A domU gets a page of its own memory holding a struct xencons_interface
 * (start_info.console.domU.mfn, a machine frame) and an event channel to
 * the console backend (start_info.console.domU.evtchn): on Xen the
 * xenconsoled daemon in dom0, on pvisor the hypervisor itself.  `out` is
 * ours to fill and `in` the backend's; each has a producer and a consumer
 * index, free-running 32-bit counters (the byte at index i is at
 * ring[i % size]).  Writing: copy bytes to out[out_prod ..], release-store
 * the new out_prod (a write barrier: the bytes before the index), then
 * EVTCHNOP_send on the channel.  When out is full (out_prod - out_cons ==
 * 2048) the writer notifies, and waits for the backend to consume: it
 * clears the port's pending bit, looks again, then sleeps in SCHEDOP_poll
 * on the port (the backend notifies when it has consumed) for at most
 * CONSOLE_POLL_NS before looking again; nothing is dropped, and the vCPU
 * never spins without giving the CPU away.  The port is never unmasked:
 * it is only polled, so no upcall is spent on the console.
 *
 * Until arch_setup() maps the ring (the banner, and anything printed on
 * the way there) a domU's output goes to a CONSOLE_EARLY_SIZE buffer,
 * written to the ring as soon as it is mapped; what does not fit is
 * dropped and counted in that flush's "[console: N early bytes dropped]".
 *
 * Writers on several vCPUs and in the upcall take the ring lock with
 * events masked (restored after), so an upcall cannot deadlock on a lock
 * its own vCPU holds.
 *
 * EVTCHNOP_reset (which the event self-tests do) closes the console's
 * port with all the others, and evtchn_reset() then calls
 * xen_console_evtchn_reset() to make the channel again from what
 * EVTCHNOP_status said of it at boot:
 *   interdomain (a backend had bound it: xenconsoled on Xen): bind a new
 *     port to the same peer, whose end the close left unbound for us;
 *   unbound for domain R (no backend bound yet; pvisor's boot domains,
 *     whose ring the hypervisor reads when the guest sends on the port it
 *     was given): alloc_unbound for R again.  Right after the reset every
 *     port is free and the lowest is given out, which is the number the
 *     builder gave (its first port), so the backend still recognises it.
 * Either way the ring is still written, and a backend that reads it
 * without an event (pvisor also drains it when the domain ends) sees it.
 */
#include <kernel.h>
#include <evtchn.h>
#include <time.h>
#include <xen/io/console.h>
#include "hypercall.h"
#include "xen.h"
#include <asm/tsc.h>

#define CONSOLE_EARLY_SIZE 4096
/* How long a writer waiting for space sleeps before looking again. */
#define CONSOLE_POLL_NS    (10 * NSEC_PER_MSEC)

static uint8_t console_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static struct {
    struct xencons_interface *ring;     /* NULL until mapped */
    unsigned int port;                  /* the console channel */
    uint32_t peer_status;               /* EVTCHNSTAT_* at boot */
    uint16_t peer_dom;                  /* interdomain or unbound: the peer */
    unsigned int peer_port;             /* interdomain: the peer's port */
    int lock;
    size_t early_len, early_dropped;
    unsigned long bad_indexes;          /* writes refused: backend's indexes */
} console;

static char console_early[CONSOLE_EARLY_SIZE];

static bool console_is_dom0(void)
{
    return xen_start_info->flags & SIF_INITDOMAIN;
}

/* Take the ring lock with events masked; returns the mask to restore. */
static uint8_t console_lock(void)
{
    struct vcpu_info *v = xen_vcpu();
    uint8_t mask = v->evtchn_upcall_mask;

    xen_irq_disable();
    while (__atomic_exchange_n(&console.lock, 1, __ATOMIC_ACQUIRE))
        asm volatile("pause");
    return mask;
}

static void console_unlock(uint8_t mask)
{
    __atomic_store_n(&console.lock, 0, __ATOMIC_RELEASE);
    if (!mask)
        xen_irq_enable();
}

/* Bytes the backend has not consumed yet; > sizeof(out) if it lied. */
static XENCONS_RING_IDX console_out_used(const struct xencons_interface *r,
                                         XENCONS_RING_IDX prod)
{
    return prod - __atomic_load_n(&r->out_cons, __ATOMIC_ACQUIRE);
}

/* out is full: let the backend know, and wait until it has consumed some. */
static void console_wait_space(const struct xencons_interface *r, unsigned int port,
                               XENCONS_RING_IDX prod)
{
    evtchn_notify(port);
    if (console_out_used(r, prod) < sizeof(r->out))
        return;
    evtchn_clear_pending(port);
    if (console_out_used(r, prod) < sizeof(r->out))     /* consumed meanwhile */
        return;
    if (evtchn_poll(port, clock_ns() + CONSOLE_POLL_NS) < 0)
        HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/*
 * The producer's side of `out`: all of s, waiting while the ring is full,
 * then a notification on port.  false (nothing more written) if the
 * indexes claim more than a ring's worth of unconsumed bytes.  One writer
 * at a time (the console's is under the ring lock).
 */
bool xen_console_ring_write(struct xencons_interface *r, unsigned int port,
                            const char *s, size_t len)
{
    XENCONS_RING_IDX prod = r->out_prod, used;
    size_t n;

    while (len) {
        used = console_out_used(r, prod);
        if (used > sizeof(r->out))
            return false;
        if (used == sizeof(r->out)) {
            console_wait_space(r, port, prod);
            continue;
        }
        for (n = MIN(len, sizeof(r->out) - used); n; n--, len--)
            r->out[MASK_XENCONS_IDX(prod++, r->out)] = *s++;
        /* wmb: the bytes are in the ring before the index says so. */
        __atomic_store_n(&r->out_prod, prod, __ATOMIC_RELEASE);
    }
    evtchn_notify(port);
    return true;
}

static void console_early_write(const char *s, size_t len)
{
    size_t n = MIN(len, sizeof(console_early) - console.early_len);

    memcpy(console_early + console.early_len, s, n);
    console.early_len += n;
    console.early_dropped += len - n;
}

/* Set once, when bytes first reach the hypervisor or the ring (`boottsc`). */
uint64_t boot_tsc_console;

void xen_console_write(const char *s, size_t len)
{
    uint8_t mask;

    if (!boot_tsc_console && (console_is_dom0() || console.ring))
        boot_tsc_console = rdtsc_ordered();
    if (console_is_dom0()) {
        /* console_io takes a non-const buffer for CONSOLEIO_read's sake. */
        HYPERVISOR_console_io(CONSOLEIO_write, (int)len, (char *)s);
        return;
    }
    if (!console.ring) {
        console_early_write(s, len);
        return;
    }
    mask = console_lock();
    if (!xen_console_ring_write(console.ring, console.port, s, len))
        console.bad_indexes++;
    console_unlock(mask);
}

/*
 * Console input.  Dom0: the hypervisor queues the bytes typed on its
 * serial line while input is switched to dom0 and raises VIRQ_CONSOLE;
 * CONSOLEIO_read copies out up to count of them and returns how many.
 * A domU: the backend's `in` ring, the consumer index released after the
 * bytes are taken, then a notification.
 */
long xen_console_read(char *buf, size_t len)
{
    struct xencons_interface *r = console.ring;
    XENCONS_RING_IDX cons, prod;
    uint8_t mask;
    size_t n = 0;

    if (console_is_dom0())
        return HYPERVISOR_console_io(CONSOLEIO_read, len > INT32_MAX ? INT32_MAX : (int)len,
                                     buf);
    if (!r)
        return 0;
    mask = console_lock();
    cons = r->in_cons;
    prod = __atomic_load_n(&r->in_prod, __ATOMIC_ACQUIRE);
    if (prod - cons <= sizeof(r->in)) {
        for (; n < len && cons != prod; n++)
            buf[n] = r->in[MASK_XENCONS_IDX(cons++, r->in)];
        __atomic_store_n(&r->in_cons, cons, __ATOMIC_RELEASE);
    }
    if (n)
        evtchn_notify(console.port);
    console_unlock(mask);
    return n;
}

/* What the console channel is bound to, to make it again after a reset. */
static void console_learn_peer(void)
{
    struct evtchn_status st = { .dom = DOMID_SELF, .port = console.port };

    if (HYPERVISOR_event_channel_op(EVTCHNOP_status, &st))
        return;
    console.peer_status = st.status;
    if (st.status == EVTCHNSTAT_interdomain) {
        console.peer_dom = st.u.interdomain.dom;
        console.peer_port = st.u.interdomain.port;
    } else if (st.status == EVTCHNSTAT_unbound) {
        console.peer_dom = st.u.unbound.dom;
    }
}

/*
 * A domU's ring: point console_page at its frame, learn the channel's
 * peer, write what was printed so far.  Nothing for dom0.  Called by
 * arch_setup() once shared_info is mapped (a full ring waits on the
 * clock and the event channel).
 */
void xen_console_init(void)
{
    const start_info_t *si = xen_start_info;
    pte_t pte;
    long rc;

    if (console_is_dom0() || !si->console.domU.mfn)
        return;
    pte = (si->console.domU.mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
          _PAGE_ACCESSED | _PAGE_DIRTY;
    rc = pv_ops.set_pte_at((unsigned long)console_page, pte, 1);
    if (rc)
        return;         /* nowhere to print; the early buffer keeps the start */
    console.port = si->console.domU.evtchn;
    console_learn_peer();
    console.ring = (struct xencons_interface *)console_page;
    xen_console_write(console_early, console.early_len);
    if (console.early_dropped)
        printk("[console: %zu early bytes dropped]\n", console.early_dropped);
}

/* After EVTCHNOP_reset closed every port: the channel again (head comment). */
void xen_console_evtchn_reset(void)
{
    struct evtchn_bind_interdomain bind = { .remote_dom = console.peer_dom,
                                            .remote_port = console.peer_port };
    struct evtchn_alloc_unbound alloc = { .dom = DOMID_SELF,
                                          .remote_dom = console.peer_dom };

    if (!console.ring)
        return;
    if (console.peer_status == EVTCHNSTAT_interdomain &&
        HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bind) == 0)
        console.port = bind.local_port;
    else if (console.peer_status == EVTCHNSTAT_unbound &&
             HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &alloc) == 0)
        console.port = alloc.port;
}
