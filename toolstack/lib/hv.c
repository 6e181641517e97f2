/* SPDX-License-Identifier: MIT */
/*
 * hv.c - the typed hypercalls of hv.h over privcmd: each builds Xen's
 *        argument struct (abi/xen/domctl.h, sysctl.h, memory.h, ...) and
 *        makes one pv_hypercall().
 * Owns:    nothing but the argument structs on its stack.
 * Touches: the hypervisor, through pvdev_privcmd.c.
 *
 * Arguments are passed by pointer into this process's memory, which the
 * privcmd device hands to the hypervisor as they are (as Linux's privcmd
 * does for a PV dom0): the hypervisor reads and writes them through the
 * page tables live at the call, so a page not yet touched (fresh from
 * malloc) would be its -EFAULT. Buffers the hypervisor fills are touched
 * first (prefault()); the ones it reads were just written by us.
 * Results are 0 or a count, or a negative Xen errno.
 */
#include "hv.h"
#include "pvdev.h"
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

/*
 * Xen's ERESTART (public/errno.h gives it to the hypervisor only): a
 * destroydomain that has more frames to give back says so, and the
 * toolstack calls again, as xc_domain_destroy() does (with EAGAIN, Xen
 * 4.17's answer for the same case).
 */
#define HV_ERESTART 85
#define HV_DESTROY_TRIES 100000

int hv_open(struct hv *h)
{
    int fd = pv_privcmd_open();

    h->fd = fd;
    return fd < 0 ? fd : 0;
}

void hv_close(struct hv *h)
{
    if (h->fd >= 0)
        close(h->fd);
    h->fd = -1;
}

/* Write every page of [p, p + len) so that each is present and private. */
static void prefault(void *p, size_t len)
{
    volatile uint8_t *b = p;

    for (size_t off = 0; off < len; off += 4096)
        b[off] = b[off];
    if (len)
        b[len - 1] = b[len - 1];
}

static long hypercall(struct hv *h, unsigned int op, uint64_t a0, uint64_t a1,
                      uint64_t a2, uint64_t a3)
{
    return pv_hypercall(h->fd, op, a0, a1, a2, a3, 0);
}

/* ---- domctl ------------------------------------------------------------- */

static void domctl_init(struct xen_domctl *d, uint32_t cmd, domid_t dom)
{
    memset(d, 0, sizeof(*d));
    d->cmd = cmd;
    d->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    d->domain = dom;
}

static long domctl(struct hv *h, struct xen_domctl *d)
{
    return hypercall(h, __HYPERVISOR_domctl, (uintptr_t)d, 0, 0, 0);
}

static int simple_domctl(struct hv *h, uint32_t cmd, domid_t dom)
{
    struct xen_domctl d;

    domctl_init(&d, cmd, dom);
    return (int)domctl(h, &d);
}

int hv_createdomain(struct hv *h, const struct hv_create *c, domid_t *domid)
{
    struct xen_domctl d;
    struct xen_domctl_createdomain *cd = &d.u.createdomain;
    long rc;

    domctl_init(&d, XEN_DOMCTL_createdomain, *domid);
    memcpy(cd->handle, c->handle, sizeof(cd->handle));
    cd->flags = 0;                          /* PV: no CDF_hvm, no CDF_hap */
    cd->max_vcpus = c->max_vcpus;
    cd->max_evtchn_port = c->max_evtchn_port;
    cd->max_grant_frames = (int32_t)c->max_grant_frames;
    cd->max_maptrack_frames = (int32_t)c->max_maptrack_frames;
    cd->grant_opts = XEN_DOMCTL_GRANT_version(1);
    rc = domctl(h, &d);
    if (rc == 0)
        *domid = d.domain;
    return (int)rc;
}

int hv_destroydomain(struct hv *h, domid_t dom)
{
    long rc;
    int tries = 0;

    do
        rc = simple_domctl(h, XEN_DOMCTL_destroydomain, dom);
    while ((rc == -HV_ERESTART || rc == -EAGAIN) && ++tries < HV_DESTROY_TRIES);
    return (int)rc;
}

int hv_pausedomain(struct hv *h, domid_t dom)
{
    return simple_domctl(h, XEN_DOMCTL_pausedomain, dom);
}

int hv_unpausedomain(struct hv *h, domid_t dom)
{
    return simple_domctl(h, XEN_DOMCTL_unpausedomain, dom);
}

int hv_max_vcpus(struct hv *h, domid_t dom, uint32_t max)
{
    struct xen_domctl d;

    domctl_init(&d, XEN_DOMCTL_max_vcpus, dom);
    d.u.max_vcpus.max = max;
    return (int)domctl(h, &d);
}

int hv_max_mem(struct hv *h, domid_t dom, uint64_t max_kb)
{
    struct xen_domctl d;

    domctl_init(&d, XEN_DOMCTL_max_mem, dom);
    d.u.max_mem.max_memkb = max_kb;
    return (int)domctl(h, &d);
}

int hv_getdomaininfo(struct hv *h, domid_t dom,
                     struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl d;
    long rc;

    domctl_init(&d, XEN_DOMCTL_getdomaininfo, dom);
    rc = domctl(h, &d);
    if (rc == 0)
        *info = d.u.getdomaininfo;
    return (int)rc;
}

int hv_setvcpucontext(struct hv *h, domid_t dom, uint32_t vcpu,
                      struct vcpu_guest_context *ctx)
{
    struct xen_domctl d;

    domctl_init(&d, XEN_DOMCTL_setvcpucontext, dom);
    d.u.vcpucontext.vcpu = vcpu;
    prefault(ctx, sizeof(*ctx));
    set_xen_guest_handle(d.u.vcpucontext.ctxt, ctx);
    return (int)domctl(h, &d);
}

int hv_hypercall_init(struct hv *h, domid_t dom, xen_pfn_t gmfn)
{
    struct xen_domctl d;

    domctl_init(&d, XEN_DOMCTL_hypercall_init, dom);
    d.u.hypercall_init.gmfn = gmfn;
    return (int)domctl(h, &d);
}

int hv_set_address_size(struct hv *h, domid_t dom, uint32_t bits)
{
    struct xen_domctl d;

    domctl_init(&d, XEN_DOMCTL_set_address_size, dom);
    d.u.address_size.size = bits;
    return (int)domctl(h, &d);
}

/* ---- sysctl ------------------------------------------------------------- */

static void sysctl_init(struct xen_sysctl *s, uint32_t cmd)
{
    memset(s, 0, sizeof(*s));
    s->cmd = cmd;
    s->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
}

static long sysctl(struct hv *h, struct xen_sysctl *s)
{
    return hypercall(h, __HYPERVISOR_sysctl, (uintptr_t)s, 0, 0, 0);
}

int hv_physinfo(struct hv *h, struct xen_sysctl_physinfo *info)
{
    struct xen_sysctl s;
    long rc;

    sysctl_init(&s, XEN_SYSCTL_physinfo);
    rc = sysctl(h, &s);
    if (rc == 0)
        *info = s.u.physinfo;
    return (int)rc;
}

int hv_getdomaininfolist(struct hv *h, domid_t first, uint32_t max,
                         struct xen_domctl_getdomaininfo *info)
{
    struct xen_sysctl s;
    long rc;

    sysctl_init(&s, XEN_SYSCTL_getdomaininfolist);
    s.u.getdomaininfolist.first_domain = first;
    s.u.getdomaininfolist.max_domains = max;
    prefault(info, (size_t)max * sizeof(*info));
    set_xen_guest_handle(s.u.getdomaininfolist.buffer, info);
    rc = sysctl(h, &s);
    return rc ? (int)rc : (int)s.u.getdomaininfolist.num_domains;
}

int hv_readconsole(struct hv *h, char *buf, uint32_t size, uint32_t *index,
                   int incremental, int clear)
{
    struct xen_sysctl s;
    long rc;

    sysctl_init(&s, XEN_SYSCTL_readconsole);
    s.u.readconsole.clear = (uint8_t)!!clear;
    s.u.readconsole.incremental = (uint8_t)!!incremental;
    s.u.readconsole.index = index ? *index : 0;
    s.u.readconsole.count = size;
    prefault(buf, size);
    set_xen_guest_handle(s.u.readconsole.buffer, buf);
    rc = sysctl(h, &s);
    if (rc)
        return (int)rc;
    if (index)
        *index = s.u.readconsole.index;
    return (int)s.u.readconsole.count;
}

int hv_hypercall_stats(struct hv *h, domid_t dom,
                       struct pvisor_sysctl_hypercall_stat *st, uint32_t n)
{
    struct xen_sysctl s;
    long rc;

    sysctl_init(&s, PVISOR_SYSCTL_hypercall_stats);
    s.u.pvisor_hypercall_stats.domid = dom;
    s.u.pvisor_hypercall_stats.nr_entries = n;
    prefault(st, (size_t)n * sizeof(*st));
    set_xen_guest_handle(s.u.pvisor_hypercall_stats.buffer, st);
    rc = sysctl(h, &s);
    if (rc)
        return (int)rc;
    return (int)(s.u.pvisor_hypercall_stats.nr_entries < n ?
                 s.u.pvisor_hypercall_stats.nr_entries : n);
}

/* ---- another domain's memory, tables, grants, events -------------------- */

long hv_populate_physmap(struct hv *h, domid_t dom, xen_pfn_t *frames,
                         unsigned long n)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = 0, .mem_flags = 0, .domid = dom,
    };

    prefault(frames, n * sizeof(*frames));
    set_xen_guest_handle(r.extent_start, frames);
    return hypercall(h, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                     (uintptr_t)&r, 0, 0);
}

int hv_pin_table(struct hv *h, domid_t dom, unsigned int level, xen_pfn_t mfn)
{
    static const uint32_t cmd[5] = { 0, MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE,
                                     MMUEXT_PIN_L3_TABLE, MMUEXT_PIN_L4_TABLE };
    struct mmuext_op op = { .arg1.mfn = mfn };

    if (level < 1 || level > 4)
        return -EINVAL;
    op.cmd = cmd[level];
    return (int)hypercall(h, __HYPERVISOR_mmuext_op, (uintptr_t)&op, 1, 0, dom);
}

int hv_machphys_update(struct hv *h, domid_t dom, const xen_pfn_t *mfns,
                       uint64_t first_pfn, unsigned long n)
{
    enum { BATCH = 512 };
    struct mmu_update req[BATCH];
    long rc;

    for (unsigned long done = 0; done < n;) {
        unsigned int k = n - done < BATCH ? (unsigned int)(n - done) : BATCH;
        for (unsigned int i = 0; i < k; i++) {
            req[i].ptr = (mfns[done + i] << 12) | MMU_MACHPHYS_UPDATE;
            req[i].val = first_pfn + done + i;
        }
        rc = hypercall(h, __HYPERVISOR_mmu_update, (uintptr_t)req, k, 0, dom);
        if (rc)
            return (int)rc;
        done += k;
    }
    return 0;
}

int hv_gnttab_setup_table(struct hv *h, domid_t dom, uint32_t n,
                          xen_pfn_t *frames)
{
    struct gnttab_setup_table op = { .dom = dom, .nr_frames = n };
    long rc;

    set_xen_guest_handle(op.frame_list, frames);
    rc = hypercall(h, __HYPERVISOR_grant_table_op, GNTTABOP_setup_table,
                   (uintptr_t)&op, 1, 0);
    if (rc)
        return (int)rc;
    switch (op.status) {        /* a GNTST_* is no errno: the nearest one */
    case GNTST_okay:               return 0;
    case GNTST_bad_domain:         return -ESRCH;
    case GNTST_permission_denied:  return -EPERM;
    case GNTST_no_space:           return -ENOSPC;
    default:                       return -EINVAL;
    }
}

int hv_evtchn_alloc_unbound(struct hv *h, domid_t dom, domid_t remote,
                            evtchn_port_t *port)
{
    struct evtchn_alloc_unbound op = { .dom = dom, .remote_dom = remote };
    long rc;

    rc = hypercall(h, __HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound,
                   (uintptr_t)&op, 0, 0);
    if (rc == 0)
        *port = op.port;
    return (int)rc;
}

void *hv_map_foreign(struct hv *h, domid_t dom, const xen_pfn_t *mfns,
                     unsigned long n, int *rc)
{
    return pv_map_foreign(h->fd, dom, PROT_READ | PROT_WRITE, mfns, NULL,
                          (unsigned int)n, rc);
}

int hv_unmap_foreign(struct hv *h, void *addr, unsigned long n)
{
    (void)h;
    return pv_unmap_foreign(addr, (unsigned int)n);
}
