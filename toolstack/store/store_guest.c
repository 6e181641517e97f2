/* SPDX-License-Identifier: MIT */
/*
 * store_guest.c - the store's guest connections: XS_INTRODUCE maps the
 *                 domain's ring and binds its event channel; events pump
 *                 the ring through ring.c into the store; release and
 *                 death disconnect.
 * Owns:    struct store_guests and one struct store_guest per connected
 *          domain (its mapped page, local port, store connection).
 * Touches: the store through store.h, the page through ring.h, the
 *          platform through pvback.h only (see store_guest.h).
 * Trusts:  nothing on a guest's page: ring.c reads each index once and
 *          refuses impossible ones; store.c checks every request. A guest
 *          that breaks the ring protocol loses its connection (logged),
 *          no one else notices.
 *
 * What cxenstored (Xen 4.17, xenstored_domain.c) does, and we do:
 * - XS_INTRODUCE maps the page by grant ref GNTTAB_RESERVED_XENSTORE
 *   (through gntdev), binds an interdomain channel to the given port, and
 *   a failure is the request's error reply. Our fallback when the grant
 *   cannot be mapped is the frame (the mfn argument, foreign mapping),
 *   which cxenstored stopped using; pvback_dev.c does both.
 * - VIRQ_DOM_EXC: ask each introduced domain's state
 *   (XEN_DOMCTL_getdomaininfo); one that shut down or crashed fires
 *   @releaseDomain once; one that is dying or gone is released: its
 *   connection closes, its page is unmapped and @releaseDomain fires.
 * - A guest whose indexes are impossible is ignored from then on
 *   (cxenstored's ignore_connection()): we free its store connection
 *   (its watches and transactions go), keep the domain introduced and
 *   its page mapped until it is released or dies.
 * One difference: cxenstored zeroes the page's four indexes at
 *   introduction (domain_conn_reset()); we leave them, so a guest already
 *   running (a boot domU) keeps the request it wrote before the store
 *   came. A guest introduced paused, as `pvctl create` does, cannot tell.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/grant_table.h>
#include <xen/xen.h>

#include "ring.h"
#include "store_guest.h"

struct store_guest {
    struct store_guest *next;
    uint32_t domid;
    uint32_t port;                          /* local */
    struct xenstore_domain_interface *intf;
    struct store_conn *conn;                /* NULL once broken */
    bool busy;                              /* requests left: pump again */
};

struct store_guests {
    struct store *s;
    struct pvback *pb;
    FILE *log;
    int virq_port;                          /* VIRQ_DOM_EXC, or -1 */
    struct store_guest *list;
};

#define GLOG(g, fmt, ...) \
    do { \
        if ((g)->log) { \
            fprintf((g)->log, "pvstored: " fmt "\n", __VA_ARGS__); \
            fflush((g)->log); \
        } \
    } while (0)

static struct store_guest *guest_find(const struct store_guests *g,
                                      uint32_t domid)
{
    for (struct store_guest *sg = g->list; sg; sg = sg->next)
        if (sg->domid == domid)
            return sg;
    return NULL;
}

static void guest_teardown(struct store_guests *g, struct store_guest *sg)
{
    struct store_guest **link = &g->list;
    while (*link != sg)
        link = &(*link)->next;
    *link = sg->next;
    if (sg->conn)
        store_conn_free(sg->conn);
    g->pb->unbind(g->pb, sg->port);
    g->pb->unmap_page(g->pb, sg->intf);
    free(sg);
}

/* One pump of a guest's ring; notifies it if anything moved. */
static void guest_serve(struct store_guests *g, struct store_guest *sg)
{
    if (!sg->conn)
        return;
    int rc = xs_ring_pump(sg->intf, sg->conn);
    if (rc < 0) {
        GLOG(g, "d%u: ring broken (req %u/%u rsp %u/%u, or a request "
             "over %u bytes): connection dropped", sg->domid,
             sg->intf->req_cons, sg->intf->req_prod, sg->intf->rsp_cons,
             sg->intf->rsp_prod, XENSTORE_PAYLOAD_MAX);
        store_conn_free(sg->conn);
        sg->conn = NULL;
        sg->busy = false;
        return;
    }
    if (rc & (XS_RING_REQ_CONSUMED | XS_RING_RSP_PRODUCED))
        g->pb->notify(g->pb, sg->port);
    sg->busy = (rc & XS_RING_MORE) != 0;
}

/* The store's introduce hook: errno for the reply, or 0. */
static int guest_introduce(void *arg, uint32_t domid, uint64_t mfn,
                           uint32_t port)
{
    struct store_guests *g = arg;
    struct store_guest *old = guest_find(g, domid);
    if (old)    /* released but not yet reaped: its successor replaces it */
        guest_teardown(g, old);
    struct store_guest *sg = calloc(1, sizeof(*sg));
    if (!sg)
        return ENOMEM;
    int rc;
    sg->intf = g->pb->map_page(g->pb, domid, GNTTAB_RESERVED_XENSTORE, mfn,
                               &rc);
    if (!sg->intf) {
        GLOG(g, "d%u: cannot map its store page (grant %u, mfn %#llx): %s",
             domid, GNTTAB_RESERVED_XENSTORE, (unsigned long long)mfn,
             strerror(-rc));
        free(sg);
        return -rc;
    }
    rc = g->pb->bind_interdomain(g->pb, domid, port);
    if (rc < 0) {
        GLOG(g, "d%u: cannot bind its port %u: %s", domid, port,
             strerror(-rc));
        g->pb->unmap_page(g->pb, sg->intf);
        free(sg);
        return -rc;
    }
    sg->port = (uint32_t)rc;
    sg->domid = domid;
    sg->conn = store_conn_new(g->s, domid);
    if (!sg->conn) {
        g->pb->unbind(g->pb, sg->port);
        g->pb->unmap_page(g->pb, sg->intf);
        free(sg);
        return ENOMEM;
    }
    sg->next = g->list;
    g->list = sg;
    /* It may have written before we bound: look at its page once. */
    sg->busy = true;
    return 0;
}

/* VIRQ_DOM_EXC: some domain changed state; ask each of ours. */
static void guests_check_domains(struct store_guests *g)
{
    struct store_guest *next;
    for (struct store_guest *sg = g->list; sg; sg = next) {
        next = sg->next;
        int st = g->pb->domain_state(g->pb, sg->domid);
        if (st == PVBACK_DOM_SHUTDOWN) {
            store_domain_shutdown(g->s, sg->domid);
        } else if (st == PVBACK_DOM_DEAD) {
            GLOG(g, "d%u: gone: released", sg->domid);
            store_domain_release(g->s, sg->domid);
            guest_teardown(g, sg);
        }
    }
}

bool store_guests_run(struct store_guests *g)
{
    int port;
    while ((port = g->pb->pending(g->pb)) >= 0) {
        if (port == g->virq_port) {
            guests_check_domains(g);
        } else {
            for (struct store_guest *sg = g->list; sg; sg = sg->next)
                if (sg->port == (uint32_t)port)
                    guest_serve(g, sg);
        }
        g->pb->unmask(g->pb, (uint32_t)port);
    }
    bool again = false;
    struct store_guest *next;
    for (struct store_guest *sg = g->list; sg; sg = next) {
        next = sg->next;
        if (!store_domain_is_introduced(g->s, sg->domid)) {
            guest_teardown(g, sg);      /* XS_RELEASE */
            continue;
        }
        size_t len;
        if (sg->busy || (sg->conn && store_conn_output(sg->conn, &len)))
            guest_serve(g, sg);
        again |= sg->busy;
    }
    return again;
}

struct store_guests *store_guests_new(struct store *s, struct pvback *pb,
                                      FILE *log)
{
    static const struct store_domain_hooks hooks = {
        .introduce = guest_introduce,
    };
    struct store_guests *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    g->s = s;
    g->pb = pb;
    g->log = log;
    g->virq_port = pb->bind_virq(pb, VIRQ_DOM_EXC);
    if (g->virq_port < 0)
        GLOG(g, "cannot bind VIRQ_DOM_EXC (%s): dead domains are noticed "
             "only by XS_RELEASE", strerror(-g->virq_port));
    store_set_domain_hooks(s, &hooks, g);
    return g;
}

void store_guests_free(struct store_guests *g)
{
    if (!g)
        return;
    while (g->list)
        guest_teardown(g, g->list);
    if (g->virq_port >= 0)
        g->pb->unbind(g->pb, (uint32_t)g->virq_port);
    store_set_domain_hooks(g->s, NULL, NULL);
    free(g);
}

unsigned store_guests_count(const struct store_guests *g)
{
    unsigned n = 0;
    for (struct store_guest *sg = g->list; sg; sg = sg->next)
        n++;
    return n;
}

bool store_guest_is_broken(const struct store_guests *g, uint32_t domid)
{
    struct store_guest *sg = guest_find(g, domid);
    return sg && !sg->conn;
}
