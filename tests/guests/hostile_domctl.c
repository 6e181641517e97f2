/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_domctl.c - the hd_* helpers of hostile_domctl.h:
 * dom0 as a small toolstack for the domctl attacks.
 * Owns:    nothing but these helpers.
 * Touches: domctl, sysctl (physinfo), memory_op, mmu_update and
 *          event_channel_op, as the caller asks; scratch pages the
 *          caller names.
 */
#include "hostile_domctl.h"
#include "hostile_evtchn.h"
#include "hostile_time.h"
#include <xen/sysctl.h>

void hd_init(struct xen_domctl *op, uint32_t cmd, domid_t dom)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = dom;
}

long hd_call(struct xen_domctl *op)
{
    return hg_domctl(op);
}

void hd_config(struct xen_domctl_createdomain *c, uint32_t max_vcpus)
{
    memset(c, 0, sizeof(*c));
    c->max_vcpus = max_vcpus;
    c->max_evtchn_port = 1023;
    c->max_grant_frames = 32;
    c->max_maptrack_frames = -1;
    c->grant_opts = XEN_DOMCTL_GRANT_version(1);
}

long hd_create(domid_t want, const struct xen_domctl_createdomain *c)
{
    static struct xen_domctl op;
    long rc;

    hd_init(&op, XEN_DOMCTL_createdomain, want);
    op.u.createdomain = *c;
    rc = hd_call(&op);
    return rc ? rc : op.domain;
}

long hd_cmd(uint32_t cmd, domid_t dom)
{
    static struct xen_domctl op;

    hd_init(&op, cmd, dom);
    return hd_call(&op);
}

long hd_info(domid_t dom, struct xen_domctl_getdomaininfo *info)
{
    static struct xen_domctl op;
    long rc;

    hd_init(&op, XEN_DOMCTL_getdomaininfo, dom);
    rc = hd_call(&op);
    if (rc)
        return rc;
    *info = op.u.getdomaininfo;
    return op.domain == dom ? 0 : -XEN_ESRCH;
}

long hd_max_mem(domid_t dom, uint64_t kib)
{
    static struct xen_domctl op;

    hd_init(&op, XEN_DOMCTL_max_mem, dom);
    op.u.max_mem.max_memkb = kib;
    return hd_call(&op);
}

long hd_max_vcpus(domid_t dom, uint32_t max)
{
    static struct xen_domctl op;

    hd_init(&op, XEN_DOMCTL_max_vcpus, dom);
    op.u.max_vcpus.max = max;
    return hd_call(&op);
}

long hd_populate(domid_t dom, xen_pfn_t *list, unsigned long nr)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr, .extent_order = 0, .domid = dom,
    };

    for (unsigned long i = 0; i < nr; i++)
        list[i] = i;                        /* the PFNs, for the M2P */
    set_xen_guest_handle(r.extent_start, list);
    return hg_memory_op(XENMEM_populate_physmap, &r);
}

static uint64_t foreign_saved_pte[HG_POOL_PAGES];

/* A PV guest cannot invlpg itself: MMUEXT_INVLPG_LOCAL. */
static void flush_va(void *va)
{
    struct mmuext_op o = { .cmd = MMUEXT_INVLPG_LOCAL };
    unsigned int done;

    o.arg1.linear_addr = (unsigned long)va;
    hg_mmuext_op(&o, 1, &done, DOMID_SELF);
}

void *hd_map_foreign(unsigned int page, domid_t dom, unsigned long mfn)
{
    void *va = hg_page(page);
    struct mmu_update u = {
        .ptr = hg_pte_maddr((unsigned long)va) | MMU_NORMAL_PT_UPDATE,
        .val = (mfn << PAGE_SHIFT) | HG_PTE_FLAGS,
    };
    unsigned int done = 0;

    foreign_saved_pte[page] = hg_read_pte((unsigned long)va);
    if (hg_mmu_update(&u, 1, &done, dom))
        return NULL;
    flush_va(va);
    return va;
}

long hd_unmap_foreign(unsigned int page)
{
    void *va = hg_page(page);
    struct mmu_update u = {
        .ptr = hg_pte_maddr((unsigned long)va) | MMU_NORMAL_PT_UPDATE,
        .val = foreign_saved_pte[page],
    };
    unsigned int done = 0;
    long rc = hg_mmu_update(&u, 1, &done, DOMID_SELF);

    flush_va(va);
    return rc;
}

long hd_frames_holding(domid_t dom, const xen_pfn_t *list, unsigned long nr,
                       uint64_t word, unsigned int page)
{
    long found = 0;

    for (unsigned long i = 0; i < nr; i++) {
        const volatile uint64_t *p = hd_map_foreign(page, dom, list[i]);
        unsigned int w;

        if (!p)
            return -1;
        for (w = 0; w < PAGE_SIZE / 8; w++)
            if (word ? p[w] == word : p[w] != 0)
                break;
        if (w < PAGE_SIZE / 8) {
            if (!found)
                printk("hostile:   (frame %#lx: word %u is %#lx)\n",
                       (unsigned long)list[i], w, (unsigned long)p[w]);
            found++;
        }
        hd_unmap_foreign(page);
    }
    return found;
}

long hd_free_frames(void)
{
    xen_pfn_t *list = hg_page(7);
    const unsigned long batch = PAGE_SIZE / sizeof(xen_pfn_t);
    struct xen_domctl_createdomain c;
    long id, rc, total = 0;

    hd_config(&c, 1);
    id = hd_create(0, &c);
    if (id < 0)
        return id;
    if ((rc = hd_max_mem((domid_t)id, ~0ULL >> 12)))
        goto out;
    do {
        rc = hd_populate((domid_t)id, list, batch);
        if (rc > 0)
            total += rc;
    } while (rc == (long)batch);
    rc = rc < 0 ? rc : total;
out:
    {
        long d = hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id);
        memset(list, 0, PAGE_SIZE);
        return d ? d : rc;
    }
}

long hd_free_pages(void)
{
    struct xen_sysctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    if (hypercall5(__HYPERVISOR_sysctl, (unsigned long)&op, 0, 0, 0, 0))
        return -1;
    return (long)op.u.physinfo.free_pages;
}

long hd_dom_exc_open(void)
{
    long port = hg_evtchn_bind_virq(VIRQ_DOM_EXC, 0);

    if (port > 0) {
        hg_port_set_mask((evtchn_port_t)port);
        hg_port_clear_pending((evtchn_port_t)port);
    }
    return port;
}

int hd_dom_exc_seen(evtchn_port_t port)
{
    int seen = hg_evtchn_pending(port);

    hg_port_clear_pending(port);
    return seen;
}
