/* SPDX-License-Identifier: MIT */
/*
 * selftest/console.c - a domU console's ring protocol, on any domain: the
 *                      writer the console uses (xen_console_ring_write())
 *                      against a backend played by this test, over an
 *                      interdomain loopback within this domain.
 * Owns:    the console_ring self-test, its ring page and backend handler.
 * Touches: xen_console_ring_write() (pv/xen_console.c); the event layer;
 *          mm_alloc_pfn()/mm_free_pfn(); pv_ops.irq_enable/irq_disable.
 *
 * Dom0 prints with console_io, so the domU path is otherwise only run in
 * a domU.  Here a page of ours is the struct xencons_interface, the
 * "backend" end of a loopback channel (alloc_unbound(DOMID_SELF)) has a
 * handler that consumes everything between out_cons and out_prod into a
 * buffer, advances out_cons and notifies back, and the "guest" end
 * (bind_interdomain to it) is masked and only polled, as the console's.
 * Checked: the bytes land at out[out_prod % 2048] and the index after
 * them, one send per write; indexes wrap at 2^32; a write into a full ring
 * notifies, waits for the backend and finishes (nothing dropped); indexes
 * that claim more than 2048 unconsumed bytes are refused.
 */
#include <selftest.h>
#include <evtchn.h>
#include <mm.h>
#include <asm/pvops.h>
#include <pv/hypercall.h>
#include <pv/xen.h>
#include <xen/io/console.h>

#define CR_CAPTURE     4096
#define CR_WRAP_START  0xfffffff0U      /* 16 bytes before the indexes wrap */
#define CR_FREE_BYTES  10U              /* room left in the "full" case */

static struct xencons_interface *cr;

static struct {
    unsigned long events;
    size_t got;
    char buf[CR_CAPTURE];
} cr_back;

static void cr_backend(unsigned int port, void *arg)
{
    XENCONS_RING_IDX cons = cr->out_cons;
    XENCONS_RING_IDX prod = __atomic_load_n(&cr->out_prod, __ATOMIC_ACQUIRE);

    (void)arg;
    cr_back.events++;
    while (cons != prod) {
        char c = cr->out[MASK_XENCONS_IDX(cons++, cr->out)];

        if (cr_back.got < sizeof(cr_back.buf))
            cr_back.buf[cr_back.got++] = c;
    }
    __atomic_store_n(&cr->out_cons, cons, __ATOMIC_RELEASE);
    evtchn_notify(port);            /* consumed: the writer may go on */
}

static void cr_front(unsigned int port, void *arg)
{
    (void)port;
    (void)arg;
}

static void cr_reset_ring(XENCONS_RING_IDX cons, XENCONS_RING_IDX prod)
{
    cr->out_cons = cons;
    cr->out_prod = prod;
    cr_back.got = 0;
    cr_back.events = 0;
}

/* Events masked: the bytes and the index, one event for the backend. */
static const char *cr_simple(long back, long front)
{
    static const char msg[] = "hello, ring\n";
    size_t len = sizeof(msg) - 1;

    cr_reset_ring(0, 0);
    ST_EXPECT(xen_console_ring_write(cr, front, msg, len), "write refused");
    ST_EXPECT(cr->out_prod == len && cr->out_cons == 0, "out_prod %u out_cons %u, want "
              "%zu, 0", cr->out_prod, cr->out_cons, len);
    ST_EXPECT(!memcmp(cr->out, msg, len), "out holds '%.*s'", (int)len, cr->out);
    ST_EXPECT(evtchn_is_pending(back) && cr_back.events == 0,
              "backend port pending %d, handled %lu, want 1, 0", evtchn_is_pending(back),
              cr_back.events);
    pv_ops.irq_enable();
    ST_EXPECT(cr_back.events == 1 && cr_back.got == len && !memcmp(cr_back.buf, msg, len),
              "backend: %lu events, %zu bytes", cr_back.events, cr_back.got);
    ST_EXPECT(evtchn_is_pending(front), "the backend's answer is not pending at the "
              "guest's end");
    pv_ops.irq_disable();
    return NULL;
}

/* Events enabled: the indexes wrap at 2^32, the bytes at 2048. */
static const char *cr_wrap(long front)
{
    static const char msg[] = "0123456789abcdefghijklmnopqrstuvwxyzABCD";
    size_t len = sizeof(msg) - 1, head = (XENCONS_RING_IDX)0 - CR_WRAP_START;

    cr_reset_ring(CR_WRAP_START, CR_WRAP_START);
    pv_ops.irq_enable();
    ST_EXPECT(xen_console_ring_write(cr, front, msg, len), "write refused");
    pv_ops.irq_disable();
    ST_EXPECT(cr->out_prod == (XENCONS_RING_IDX)(CR_WRAP_START + len),
              "out_prod %#x, want %#x", cr->out_prod, (XENCONS_RING_IDX)(CR_WRAP_START + len));
    ST_EXPECT(!memcmp(&cr->out[sizeof(cr->out) - head], msg, head) &&
              !memcmp(cr->out, msg + head, len - head), "bytes not at the ring's end "
              "and start");
    ST_EXPECT(cr_back.got == len && !memcmp(cr_back.buf, msg, len),
              "backend got %zu bytes", cr_back.got);
    return NULL;
}

/* A full ring: the writer notifies, the backend consumes, the write ends. */
static const char *cr_full(long front)
{
    static char msg[100];
    size_t i, prefill = sizeof(cr->out) - CR_FREE_BYTES;

    for (i = 0; i < sizeof(msg); i++)
        msg[i] = 'a' + i % 26;
    cr_reset_ring(0, prefill);
    pv_ops.irq_enable();
    ST_EXPECT(xen_console_ring_write(cr, front, msg, sizeof(msg)), "write refused");
    pv_ops.irq_disable();
    ST_EXPECT(cr_back.got == prefill + sizeof(msg) && cr_back.events >= 2,
              "backend: %zu bytes in %lu events, want %zu in 2 or more", cr_back.got,
              cr_back.events, prefill + sizeof(msg));
    ST_EXPECT(!memcmp(cr_back.buf + prefill, msg, sizeof(msg)),
              "the bytes after the full ring differ");
    ST_EXPECT(cr->out_prod == prefill + sizeof(msg) && cr->out_cons == cr->out_prod,
              "out_prod %u out_cons %u", cr->out_prod, cr->out_cons);
    return NULL;
}

/* A consumer index ahead of the producer's: refused, nothing written. */
static const char *cr_lying_backend(long front)
{
    cr_reset_ring(1, 0);
    ST_EXPECT(!xen_console_ring_write(cr, front, "x", 1), "write into a ring whose "
              "out_cons is past out_prod accepted");
    ST_EXPECT(cr->out_prod == 0, "out_prod moved to %u", cr->out_prod);
    return NULL;
}

static const char *console_ring_body(void)
{
    uint64_t pfn = mm_alloc_pfn();
    long back, front;
    const char *why;

    ST_EXPECT(pfn != INVALID_FRAME, "no page for the ring");
    cr = pfn_to_virt(pfn);
    back = evtchn_alloc_unbound(DOMID_SELF, cr_backend, NULL);
    front = back > 0 ? evtchn_bind_interdomain(DOMID_SELF, back, cr_front, NULL) : back;
    if (back <= 0 || front <= 0) {
        mm_free_pfn(pfn);
        return st_fail("loopback: alloc_unbound %ld, bind_interdomain %ld", back, front);
    }
    evtchn_mask(front);             /* polled, never delivered */
    why = cr_simple(back, front);
    if (!why)
        why = cr_wrap(front);
    if (!why)
        why = cr_full(front);
    if (!why)
        why = cr_lying_backend(front);
    pv_ops.irq_disable();
    evtchn_close(front);
    evtchn_close(back);
    mm_free_pfn(pfn);
    return why;
}

const char *st_console_ring(void) { return st_events(console_ring_body); }
