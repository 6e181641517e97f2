/* SPDX-License-Identifier: MIT */
/*
 * store.h - the store's protocol core: the node tree, connections, watches,
 *           transactions and domains, driven by bytes in and bytes out.
 * Owns:    struct store, struct store_conn (opaque), struct store_quota.
 * Touches: nothing outside the process: no I/O, no system calls, so the
 *          same code runs in pvstored (dom0, musl) and in the host's unit
 *          tests. A transport (socket, ring page) feeds a connection's
 *          bytes with store_conn_input() and drains its replies and watch
 *          events with store_conn_output()/store_conn_consume().
 * ABI:     abi/xen/io/xs_wire.h (xenstore's wire protocol).
 */
#ifndef PVISOR_STORE_H
#define PVISOR_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/*
 * Limits applied to unprivileged domains (dom0 is exempt, as in
 * cxenstored). The defaults are cxenstored's (Xen 4.17, xenstored_core.c
 * and xenstored_domain.c): 1000 nodes per domain, 2048 bytes per value,
 * 128 watches, 10 open transactions, 5 perms entries per node.
 */
struct store_quota {
    unsigned entries_per_domain;    /* nodes owned by the domain: ENOSPC */
    unsigned entry_size;            /* bytes of one value: ENOSPC */
    unsigned watches_per_conn;      /* E2BIG */
    unsigned transactions_per_conn; /* ENOSPC */
    unsigned perms_per_node;        /* ENOSPC */
};

#define STORE_QUOTA_DEFAULT { 1000, 2048, 128, 10, 5 }

struct store;
struct store_conn;

/* A new store holding "/" (owner dom0, others none: "n0"). NULL quota:
 * the defaults. NULL on allocation failure. */
struct store *store_new(const struct store_quota *quota);
/* Frees the store and every connection still open on it. */
void store_free(struct store *s);

/* A connection speaking for domain `domid` (0: dom0, privileged). */
struct store_conn *store_conn_new(struct store *s, uint32_t domid);
/* Closes it: its watches and open transactions go with it. */
void store_conn_free(struct store_conn *c);

/*
 * Feeds `n` bytes received on the connection. Each complete message is
 * handled at once; its reply (and any watch events it causes, on any
 * connection) are queued. Returns 0, or -1 if the byte stream cannot be
 * framed (a header announcing more than XENSTORE_PAYLOAD_MAX bytes): the
 * transport must then close the connection, as cxenstored does.
 */
int store_conn_input(struct store_conn *c, const void *buf, size_t n);

/* The bytes waiting to be sent: a pointer to them and their count (0 when
 * nothing waits). store_conn_consume() drops `n` of them once sent. */
const void *store_conn_output(struct store_conn *c, size_t *len);
void store_conn_consume(struct store_conn *c, size_t n);

/* True once XS_RELEASE released this connection's domain: the transport
 * should close it after draining its output. */
bool store_conn_is_released(const struct store_conn *c);

/* Bytes queued for the connection, not yet consumed (a transport stops
 * taking requests from a peer that lets its replies pile up). */
size_t store_conn_queued(const struct store_conn *c);

/*
 * Domains' connections. The core keeps the table of introduced domains;
 * a transport that serves guests' ring pages (store_guest.c) is told of
 * each new one through these hooks. introduce() runs for XS_INTRODUCE of
 * a domain not yet introduced, before the core records it: it returns 0,
 * or an errno that becomes the request's error reply (nothing recorded,
 * no event). A released domain's connections are flagged
 * (store_conn_is_released()); the transport closes them.
 */
struct store_domain_hooks {
    int (*introduce)(void *arg, uint32_t domid, uint64_t mfn, uint32_t port);
};
void store_set_domain_hooks(struct store *s,
                            const struct store_domain_hooks *hooks,
                            void *arg);

/* The domain is gone (it died): as XS_RELEASE, without a requester.
 * 0, or ENOENT if it was not introduced. Fires @releaseDomain. */
int store_domain_release(struct store *s, uint32_t domid);
/* The domain shut down or crashed but still exists: fires @releaseDomain
 * the first time only, as cxenstored (its domain->shutdown flag). */
void store_domain_shutdown(struct store *s, uint32_t domid);
bool store_domain_is_introduced(const struct store *s, uint32_t domid);

/* Counts for tests and diagnostics. */
unsigned store_node_count(const struct store *s);
uint64_t store_generation(const struct store *s);

#endif /* PVISOR_STORE_H */
