/* SPDX-License-Identifier: MIT */
/*
 * pvback_dev.c - pvback.h over dom0's devices (pvdev.h): gntdev for ring
 *                pages, evtchn for event channels, privcmd for a
 *                domain's state and the foreign-mapping fallback.
 * Owns:    the three device fds of one struct pvback, and which of its
 *          pages were mapped by grant and which by frame.
 * Touches: the devices, only through pvdev.h's functions and hv.h's
 *          hv_getdomaininfo().
 *
 * Mapping a ring: by grant first, as Xen 4.17's xenstored and xenconsoled
 * map GNTTAB_RESERVED_XENSTORE/CONSOLE through gntdev; then by frame with
 * pv_map_foreign() (privcmd), as older toolstacks did.
 *
 * The domain's state is XEN_DOMCTL_getdomaininfo (hv_getdomaininfo()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1     /* domctl.h is the toolstack's */
#endif
#include <xen/domctl.h>

#include "hv.h"
#include "pvback.h"
#include "pvdev.h"

struct page_map {
    struct page_map *next;
    void *page;
    int by_grant;
};

struct dev_ctx {
    int evtchn, gntdev, privcmd;
    struct page_map *maps;
};

static struct dev_ctx *ctx_of(struct pvback *b)
{
    return b->ctx;
}

static void *dev_map_page(struct pvback *b, uint32_t dom, uint32_t gref,
                          uint64_t mfn, int *rc)
{
    struct dev_ctx *c = ctx_of(b);
    struct page_map *m = malloc(sizeof(*m));
    void *page = NULL;
    int err = -ENOMEM;
    if (!m)
        goto out;
    if (c->gntdev >= 0)
        page = pv_gnt_map(c->gntdev, (domid_t)dom, &gref, 1,
                          PROT_READ | PROT_WRITE, &err);
    m->by_grant = page != NULL;
    if (!page && c->privcmd >= 0) {
        xen_pfn_t frame = (xen_pfn_t)mfn;
        page = pv_map_foreign(c->privcmd, (domid_t)dom,
                              PROT_READ | PROT_WRITE, &frame, NULL, 1, &err);
    } else if (!page && err == 0) {
        err = -ENOSYS;
    }
    if (page) {
        m->page = page;
        m->next = c->maps;
        c->maps = m;
        m = NULL;
        err = 0;
    }
out:
    free(m);
    if (rc)
        *rc = err;
    return page;
}

static void dev_unmap_page(struct pvback *b, void *page)
{
    struct dev_ctx *c = ctx_of(b);
    for (struct page_map **link = &c->maps; *link; link = &(*link)->next) {
        struct page_map *m = *link;
        if (m->page != page)
            continue;
        *link = m->next;
        if (m->by_grant)
            pv_gnt_unmap(c->gntdev, page, 1);
        else
            pv_unmap_foreign(page, 1);
        free(m);
        return;
    }
}

static int dev_bind_interdomain(struct pvback *b, uint32_t dom,
                                uint32_t remote)
{
    return pv_evtchn_bind_interdomain(ctx_of(b)->evtchn, (domid_t)dom, remote);
}

static int dev_bind_virq(struct pvback *b, unsigned virq)
{
    return pv_evtchn_bind_virq(ctx_of(b)->evtchn, virq);
}

static int dev_unbind(struct pvback *b, uint32_t port)
{
    return pv_evtchn_unbind(ctx_of(b)->evtchn, port);
}

static int dev_notify(struct pvback *b, uint32_t port)
{
    return pv_evtchn_notify(ctx_of(b)->evtchn, port);
}

static int dev_pending(struct pvback *b)
{
    return pv_evtchn_pending(ctx_of(b)->evtchn);
}

static int dev_unmask(struct pvback *b, uint32_t port)
{
    return pv_evtchn_unmask(ctx_of(b)->evtchn, port);
}

static int dev_event_fd(struct pvback *b)
{
    return ctx_of(b)->evtchn;
}

static int dev_domain_state(struct pvback *b, uint32_t dom)
{
    struct xen_domctl_getdomaininfo info = { 0 };
    struct hv h = { .fd = ctx_of(b)->privcmd };
    int rc = hv_getdomaininfo(&h, (domid_t)dom, &info);
    if (rc == -ESRCH || (rc == 0 && info.domain != dom))
        return PVBACK_DOM_DEAD;
    if (rc < 0)
        return rc;
    if (info.flags & XEN_DOMINF_dying)
        return PVBACK_DOM_DEAD;
    if (info.flags & XEN_DOMINF_shutdown)
        return PVBACK_DOM_SHUTDOWN;
    return PVBACK_DOM_RUNNING;
}

int pvback_dev_open(struct pvback *b, char *err, unsigned errlen)
{
    struct dev_ctx *c = calloc(1, sizeof(*c));
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    c->evtchn = pv_evtchn_open();
    c->gntdev = pv_gntdev_open();
    c->privcmd = pv_privcmd_open();
    const char *what = c->evtchn < 0 ? "evtchn" :
                       c->privcmd < 0 ? "privcmd" : NULL;
    int rc = c->evtchn < 0 ? c->evtchn : c->privcmd;
    if (what) {
        snprintf(err, errlen, "/dev/pvisor/%s (or /dev/xen/%s): %s", what,
                 what, strerror(-rc));
        if (c->evtchn >= 0)
            close(c->evtchn);
        if (c->gntdev >= 0)
            close(c->gntdev);
        if (c->privcmd >= 0)
            close(c->privcmd);
        free(c);
        return rc;
    }
    /* Daemons poll the fd and then drain pending(): never block in read. */
    fcntl(c->evtchn, F_SETFL, fcntl(c->evtchn, F_GETFL) | O_NONBLOCK);
    *b = (struct pvback){
        .ctx = c,
        .map_page = dev_map_page,
        .unmap_page = dev_unmap_page,
        .bind_interdomain = dev_bind_interdomain,
        .bind_virq = dev_bind_virq,
        .unbind = dev_unbind,
        .notify = dev_notify,
        .pending = dev_pending,
        .unmask = dev_unmask,
        .event_fd = dev_event_fd,
        .domain_state = dev_domain_state,
    };
    return 0;
}

void pvback_dev_close(struct pvback *b)
{
    struct dev_ctx *c = ctx_of(b);
    if (!c)
        return;
    while (c->maps)
        dev_unmap_page(b, c->maps->page);
    close(c->evtchn);
    if (c->gntdev >= 0)
        close(c->gntdev);
    close(c->privcmd);
    free(c);
    b->ctx = NULL;
}
