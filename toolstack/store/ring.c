/* SPDX-License-Identifier: MIT */
/*
 * ring.c - the store side of a xenstore ring page.
 * Owns:    the index arithmetic and memory ordering of req[] and rsp[];
 *          xs_ring_pump(), which joins a page to a store connection.
 * Touches: only the page it is given (the guest writes it concurrently)
 *          and the store connection (store.h).
 * Trusts:  nothing on the page: the guest's producer (req_prod) and
 *          consumer (rsp_cons) indexes are read once and checked.
 * ABI:     abi/xen/io/xs_wire.h (struct xenstore_domain_interface).
 *
 * Indexes run freely (uint32_t, wrapping); prod - cons is the fill and a
 * byte lives at ring[MASK_XENSTORE_IDX(idx)]. Ordering, as any xenstore
 * ring user: the consumer reads prod with acquire before reading the
 * bytes, and publishes cons with release after it has read them; the
 * producer reads cons with acquire before overwriting bytes, and
 * publishes prod with release after writing them. (The notification by
 * event channel is the transport's business.)
 */
#include <string.h>

#include "ring.h"
#include "store.h"

static XENSTORE_RING_IDX load_acquire(const XENSTORE_RING_IDX *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(XENSTORE_RING_IDX *p, XENSTORE_RING_IDX v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

long xs_ring_read_req(struct xenstore_domain_interface *intf, void *buf,
                      size_t cap)
{
    XENSTORE_RING_IDX cons = intf->req_cons;    /* ours: only we write it */
    XENSTORE_RING_IDX prod = load_acquire(&intf->req_prod);
    XENSTORE_RING_IDX fill = prod - cons;
    unsigned char *out = buf;
    size_t done = 0;

    if (fill > XENSTORE_RING_SIZE)
        return -1;
    while (done < cap && fill) {
        size_t off = MASK_XENSTORE_IDX(cons);
        size_t chunk = XENSTORE_RING_SIZE - off;    /* up to the wrap */
        if (chunk > fill)
            chunk = fill;
        if (chunk > cap - done)
            chunk = cap - done;
        memcpy(out + done, (const char *)intf->req + off, chunk);
        done += chunk;
        cons += (XENSTORE_RING_IDX)chunk;
        fill -= (XENSTORE_RING_IDX)chunk;
    }
    store_release(&intf->req_cons, cons);
    return (long)done;
}

long xs_ring_write_rsp(struct xenstore_domain_interface *intf,
                       const void *buf, size_t len)
{
    XENSTORE_RING_IDX prod = intf->rsp_prod;    /* ours */
    XENSTORE_RING_IDX cons = load_acquire(&intf->rsp_cons);
    XENSTORE_RING_IDX fill = prod - cons;
    const unsigned char *in = buf;
    size_t done = 0;

    if (fill > XENSTORE_RING_SIZE)
        return -1;
    size_t space = XENSTORE_RING_SIZE - fill;
    while (done < len && space) {
        size_t off = MASK_XENSTORE_IDX(prod);
        size_t chunk = XENSTORE_RING_SIZE - off;
        if (chunk > space)
            chunk = space;
        if (chunk > len - done)
            chunk = len - done;
        memcpy(intf->rsp + off, in + done, chunk);
        done += chunk;
        space -= chunk;
        prod += (XENSTORE_RING_IDX)chunk;
    }
    store_release(&intf->rsp_prod, prod);
    return (long)done;
}

int xs_ring_pump(struct xenstore_domain_interface *intf, struct store_conn *c)
{
    char buf[XENSTORE_RING_SIZE];
    int moved = 0;
    long n;

    for (int round = 0;; round++) {
        if (store_conn_queued(c) > XS_RING_BACKLOG_MAX)
            break;      /* its replies drain first; rsp_cons brings us back */
        if (round == XS_RING_PUMP_ROUNDS)
            break;
        n = xs_ring_read_req(intf, buf, sizeof(buf));
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        moved |= XS_RING_REQ_CONSUMED;
        if (store_conn_input(c, buf, (size_t)n) < 0)
            return -1;
    }
    for (;;) {
        size_t len;
        const void *p = store_conn_output(c, &len);
        if (!p)
            break;
        n = xs_ring_write_rsp(intf, p, len);
        if (n < 0)
            return -1;
        if (n == 0)
            break;      /* full: the guest's notification brings us back */
        moved |= XS_RING_RSP_PRODUCED;
        store_conn_consume(c, (size_t)n);
    }
    /* Requests left behind by the round limit, or by a backlog that has
     * drained since: the caller pumps again without a notification. */
    if (store_conn_queued(c) <= XS_RING_BACKLOG_MAX &&
        load_acquire(&intf->req_prod) != intf->req_cons)
        moved |= XS_RING_MORE;
    return moved;
}
