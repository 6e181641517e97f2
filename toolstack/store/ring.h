/* SPDX-License-Identifier: MIT */
/*
 * ring.h - the store side of a xenstore ring page: take request bytes
 *          from req[], put reply bytes into rsp[].
 * Owns:    nothing; works on a struct xenstore_domain_interface it is
 *          given (a guest's page once grant mapping exists, a plain page
 *          in the unit tests).
 * ABI:     abi/xen/io/xs_wire.h.
 */
#ifndef PVISOR_STORE_RING_H
#define PVISOR_STORE_RING_H

#include <stddef.h>
#include <xen/io/xs_wire.h>

/*
 * Copies up to `cap` request bytes out of the page into buf and advances
 * req_cons. Returns the count (0: empty), or -1 if the guest's indexes are
 * impossible (more than a ring's worth outstanding): the connection is
 * then broken, as cxenstored treats a bad index.
 */
long xs_ring_read_req(struct xenstore_domain_interface *intf, void *buf,
                      size_t cap);

/* Copies up to `len` bytes into rsp[] (as many as fit) and advances
 * rsp_prod. Returns the count written (0: full), or -1 on bad indexes. */
long xs_ring_write_rsp(struct xenstore_domain_interface *intf,
                       const void *buf, size_t len);

struct store_conn;

#define XS_RING_REQ_CONSUMED 1  /* request bytes taken: the guest may write */
#define XS_RING_RSP_PRODUCED 2  /* reply bytes put: the guest may read */
#define XS_RING_MORE         4  /* requests left on the page: pump again */

/* One pump takes at most this many ring-fulls of requests, so a guest
 * that keeps writing cannot hold the daemon: the rest waits for the next
 * round (XS_RING_MORE). */
#define XS_RING_PUMP_ROUNDS 4
/* Nor does it take requests while this many reply bytes wait for the
 * guest to read them: a guest that never reads its replies cannot make
 * the daemon queue without bound. */
#define XS_RING_BACKLOG_MAX (64 * 1024)

/*
 * One round of a guest's connection: every request byte on the page into
 * the store (store_conn_input()), then as much queued output as fits onto
 * the page. Returns what moved (XS_RING_* bits; nonzero: notify the
 * guest's event channel; XS_RING_MORE: call again without waiting for
 * one), or -1 if the connection is to be closed (bad indexes, an
 * unframeable request).
 */
int xs_ring_pump(struct xenstore_domain_interface *intf,
                 struct store_conn *c);

#endif /* PVISOR_STORE_RING_H */
