/* SPDX-License-Identifier: MIT */
/*
 * fake_pvback.c - the fake platform of fake_pvback.h.
 * Owns:    the fake's tables; see the header.
 * Touches: its pipe.
 *
 * Its answers are those Linux 6.1's devices gave in dom0 on Xen 4.17
 * (toolstack/README.md, "Checked against Linux's devices"): a bad grant
 * ref EINVAL, unbinding or notifying a port not bound ENOTCONN, one
 * binding per VIRQ (EEXIST).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fake_pvback.h"

static struct fake_pvback *fk(struct pvback *b)
{
    return b->ctx;
}

static void *f_map_page(struct pvback *b, uint32_t dom, uint32_t gref,
                        uint64_t mfn, int *rc)
{
    struct fake_pvback *f = fk(b);
    for (unsigned i = 0; i < f->npages && !f->grants_fail; i++)
        if (f->pages[i].dom == dom && f->pages[i].gref == gref) {
            f->pages[i].mapped++;
            f->maps_by_grant++;
            *rc = 0;
            return f->pages[i].page;
        }
    for (unsigned i = 0; i < f->npages; i++)
        if (f->pages[i].dom == dom && f->pages[i].mfn == mfn) {
            f->pages[i].mapped++;
            f->maps_by_mfn++;
            *rc = 0;
            return f->pages[i].page;
        }
    *rc = -EINVAL;      /* as a bad grant ref's GNTST_bad_gntref maps */
    return NULL;
}

static void f_unmap_page(struct pvback *b, void *page)
{
    struct fake_pvback *f = fk(b);
    for (unsigned i = 0; i < f->npages; i++)
        if (f->pages[i].page == page && f->pages[i].mapped) {
            f->pages[i].mapped--;
            f->unmaps++;
            return;
        }
}

static int port_alloc(struct fake_pvback *f)
{
    for (int p = 1; p < FAKE_PORTS; p++)
        if (!f->ports[p].bound) {
            memset(&f->ports[p], 0, sizeof(f->ports[p]));
            f->ports[p].bound = true;
            return p;
        }
    return -ENOSPC;
}

static int f_bind_interdomain(struct pvback *b, uint32_t dom, uint32_t remote)
{
    struct fake_pvback *f = fk(b);
    if (f->bind_err < 0)
        return f->bind_err;
    int p = port_alloc(f);
    if (p > 0) {
        f->ports[p].dom = dom;
        f->ports[p].remote = remote;
    }
    return p;
}

static int f_bind_virq(struct pvback *b, unsigned virq)
{
    struct fake_pvback *f = fk(b);
    if (fake_virq_port(f, virq) > 0)
        return -EEXIST;     /* Xen: one binding per VIRQ */
    int p = port_alloc(f);
    if (p > 0) {
        f->ports[p].is_virq = true;
        f->ports[p].virq = virq;
    }
    return p;
}

static int f_unbind(struct pvback *b, uint32_t port)
{
    struct fake_pvback *f = fk(b);
    if (port >= FAKE_PORTS || !f->ports[port].bound)
        return -ENOTCONN;   /* Linux's evtchn device */
    f->ports[port].bound = false;
    return 0;
}

static int f_notify(struct pvback *b, uint32_t port)
{
    struct fake_pvback *f = fk(b);
    if (port >= FAKE_PORTS || !f->ports[port].bound)
        return -ENOTCONN;
    f->ports[port].notified++;
    return 0;
}

static int f_pending(struct pvback *b)
{
    struct fake_pvback *f = fk(b);
    char c;
    if (!f->nfired) {
        while (read(f->pipe[0], &c, 1) == 1)
            ;
        return -EAGAIN;
    }
    uint32_t p = f->fired[0];
    memmove(f->fired, f->fired + 1, --f->nfired * sizeof(f->fired[0]));
    return (int)p;
}

static int f_unmask(struct pvback *b, uint32_t port)
{
    struct fake_pvback *f = fk(b);
    if (port < FAKE_PORTS)
        f->ports[port].masked = false;
    return 0;
}

static int f_event_fd(struct pvback *b)
{
    return fk(b)->pipe[0];
}

static int f_domain_state(struct pvback *b, uint32_t dom)
{
    struct fake_pvback *f = fk(b);
    return dom < FAKE_DOMS ? f->dom_state[dom] : PVBACK_DOM_DEAD;
}

void fake_pvback_init(struct fake_pvback *f)
{
    memset(f, 0, sizeof(*f));
    f->pb = (struct pvback){
        .ctx = f,
        .map_page = f_map_page,
        .unmap_page = f_unmap_page,
        .bind_interdomain = f_bind_interdomain,
        .bind_virq = f_bind_virq,
        .unbind = f_unbind,
        .notify = f_notify,
        .pending = f_pending,
        .unmask = f_unmask,
        .event_fd = f_event_fd,
        .domain_state = f_domain_state,
    };
    if (pipe(f->pipe) == 0) {
        fcntl(f->pipe[0], F_SETFL, O_NONBLOCK);
        fcntl(f->pipe[1], F_SETFL, O_NONBLOCK);
    }
}

void fake_pvback_fini(struct fake_pvback *f)
{
    close(f->pipe[0]);
    close(f->pipe[1]);
}

void fake_add_page(struct fake_pvback *f, uint32_t dom, uint32_t gref,
                   uint64_t mfn, void *page)
{
    if (f->npages < FAKE_PAGES)
        f->pages[f->npages++] = (struct fake_page){ dom, gref, mfn, page, 0 };
}

void fake_fire(struct fake_pvback *f, uint32_t port)
{
    if (f->nfired < sizeof(f->fired) / sizeof(f->fired[0])) {
        f->fired[f->nfired++] = port;
        if (port < FAKE_PORTS)
            f->ports[port].masked = true;
        if (write(f->pipe[1], "", 1) < 0) {
            /* full pipe: the reader wakes anyway */
        }
    }
}

int fake_port_of(const struct fake_pvback *f, uint32_t dom, uint32_t remote)
{
    for (int p = 1; p < FAKE_PORTS; p++)
        if (f->ports[p].bound && !f->ports[p].is_virq &&
            f->ports[p].dom == dom && f->ports[p].remote == remote)
            return p;
    return -1;
}

int fake_virq_port(const struct fake_pvback *f, unsigned virq)
{
    for (int p = 1; p < FAKE_PORTS; p++)
        if (f->ports[p].bound && f->ports[p].is_virq && f->ports[p].virq == virq)
            return p;
    return -1;
}

int fake_page_mapped(const struct fake_pvback *f, const void *page)
{
    for (unsigned i = 0; i < f->npages; i++)
        if (f->pages[i].page == page)
            return f->pages[i].mapped;
    return 0;
}
