/* SPDX-License-Identifier: MIT */
/*
 * gnttab_pte_keeper - a granted frame outlives its granter while a
 * GNTMAP_contains_pte mapping (or a device mapping) holds it: d1
 * (gnttab_pte_granter, a boot domU) grants us a frame and ends; we map it
 * by a PTE's machine address (the PTE of one of our VAs, so we can read
 * it) and with device_map, wait until d1 was destroyed, and find the
 * frame still mapped, its pattern intact, d1 a zombie; each unmap then
 * works, and d1 is gone, its last frame free, only when the last mapping
 * goes. cache_flush of the frame works while we map it (either way), as
 * Xen's for a frame mapped through a grant. Then none of the 512 frames
 * a new domain is given holds the granted frame's number (what d1's
 * grant pins kept in hypervisor memory freed with d1). Alone (no d1: as dom0 on Xen, or hostile-gnttab_pte_keeper) only
 * a map of a grant of a domain that is not there (GNTST_bad_domain).
 * The two-domain part cannot run on run-xen.sh (one domain); it is
 * Xen 4.17's rule as hostile-foreign_ops observed it for a foreign
 * mapping of a grant frame, and as Xen's grant code has it: a host
 * mapping's references are its PTE's, a device mapping's its own, and a
 * dying domain's frames held by another stay until those go.
 * Undo: both mappings unmapped, the scratch PTE put back.
 */
#define __XEN_TOOLS__
#include "hostile_domctl.h"
#include "hostile_gnttab.h"
#include "hostile_time.h"
#include <xen/domctl.h>

#define KEEPER_REF      8u
#define KEEPER_PATTERN  0x6772616e74656421ULL   /* gnttab_pte_granter's */
#define KEEPER_WAIT_MS  20000
#define SCAN_FRAMES     512                      /* a page of xen_pfn_t */

static long map(uint64_t addr, uint32_t flags, domid_t dom, grant_handle_t *handle,
                uint64_t *bus)
{
    return hg_gnttab_map(dom, KEEPER_REF, addr, flags, handle, bus);
}

/* d's getdomaininfo flags, or -1 when there is no such domain. */
static long dominfo_flags(domid_t d)
{
    struct xen_domctl op;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_getdomaininfo;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op.domain = d;
    if (hypercall5(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0, 0, 0) || op.domain != d)
        return -1;
    return op.u.getdomaininfo.flags;
}

/* GNTTABOP_cache_flush of one whole frame: the call's return. */
static long cache_flush(uint64_t maddr, uint32_t op)
{
    struct gnttab_cache_flush f = { .a.dev_bus_addr = maddr, .length = PAGE_SIZE, .op = op };

    return hg_grant_table_op(GNTTABOP_cache_flush, &f, 1);
}

static void keeper_cases(struct hg_cases *c)
{
    uint64_t va = (uint64_t)hg_page(3), pte = hg_read_pte(va), pte_ma = hg_pte_maddr(va);
    uint64_t until = hg_now() + KEEPER_WAIT_MS * HG_MS, bus, dbus;
    grant_handle_t h, hd;
    long rc, before, scan = -1;
    struct xen_domctl_createdomain cfg;
    xen_pfn_t *list = hg_page(5);

    do {        /* d1 may not have granted yet: general_error until then */
        rc = map(pte_ma, GNTMAP_host_map | GNTMAP_contains_pte, 1, &h, &bus);
        if (rc)
            hg_sched_op(SCHEDOP_yield, NULL);
    } while (rc && hg_now() < until);
    hg_case(c, "map d1's grant at one of our PTEs", rc, GNTST_okay);
    if (rc)
        return;
    hg_case(c, "map it for a device too", map(0, GNTMAP_device_map, 1, &hd, &dbus), GNTST_okay);
    hd_config(&cfg, 1);                 /* made now: its own frames are not the ones read */
    scan = hd_create(0, &cfg);
    hg_case(c, "createdomain, to read frames given later", scan > 0, 1);
    hg_case(c, "  max_mem 2 MiB", scan > 0 ? hd_max_mem((domid_t)scan, SCAN_FRAMES * 4) : -1, 0);
    hg_case(c, "  the same frame", dbus == bus, 1);
    hg_case(c, "  invlpg", hg_mmuext1(MMUEXT_INVLPG_LOCAL, va), 0);
    hg_case(c, "  the granter's pattern", *(volatile uint64_t *)va == KEEPER_PATTERN, 1);
    hg_case(c, "cache_flush clean of the granted frame", cache_flush(bus, GNTTAB_CACHE_CLEAN), 0);
    hg_case(c, "cache_flush invalidate of it", cache_flush(bus, GNTTAB_CACHE_INVAL),
            -XEN_EOPNOTSUPP);
    while (dominfo_flags(1) >= 0 && !(dominfo_flags(1) & XEN_DOMINF_dying) &&
           hg_now() < until)
        hg_sched_op(SCHEDOP_yield, NULL);
    hg_case(c, "d1 ended and was destroyed: a zombie",
            dominfo_flags(1) >= 0 && (dominfo_flags(1) & XEN_DOMINF_dying), 1);
    hg_case(c, "  the frame still mapped, the pattern intact",
            hg_pte_mfn(hg_read_pte(va)) == bus >> PAGE_SHIFT &&
            *(volatile uint64_t *)va == KEEPER_PATTERN, 1);
    *(volatile uint64_t *)va = 0;       /* still ours to write while mapped */
    hg_case(c, "unmap the PTE", hg_gnttab_unmap(pte_ma, 0, h), GNTST_okay);
    hg_case(c, "  the zombie stays (the device mapping)",
            dominfo_flags(1) >= 0 && (dominfo_flags(1) & XEN_DOMINF_dying), 1);
    hg_case(c, "cache_flush clean of it (device mapping)", cache_flush(dbus, GNTTAB_CACHE_CLEAN),
            0);
    before = hd_free_pages();
    hg_case(c, "unmap the device mapping", hg_gnttab_unmap(0, dbus, hd), GNTST_okay);
    hg_case(c, "  the zombie is gone", dominfo_flags(1), -1);
    hg_case(c, "  the frame is free only now", hd_free_pages() > before, 1);
    /* d1's grant pins named the frame in hypervisor memory freed with d1;
     * no frame a domain is given may still hold its number. */
    if (scan > 0) {
        rc = hd_populate((domid_t)scan, list, SCAN_FRAMES);
        hg_case(c, "populate_physmap 512 for it", rc, SCAN_FRAMES);
        hg_case(c, "  none holds the granted frame's number",
                hd_frames_holding((domid_t)scan, list, rc > 0 ? (unsigned long)rc : 0,
                                  dbus >> PAGE_SHIFT, 6), 0);
        hg_case(c, "  destroydomain", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)scan), 0);
        memset(list, 0, PAGE_SIZE);
    }
    hg_case(c, "cache_flush clean of the free frame", cache_flush(dbus, GNTTAB_CACHE_CLEAN),
            -XEN_EPERM);
    hg_case(c, "scratch PTE back", hg_update_va_mapping(va, pte, UVMF_INVLPG), 0);
}

const char *hostile_gnttab_pte_keeper(void)
{
    static struct hg_cases c;
    grant_handle_t h;
    uint64_t bus;

    if (dominfo_flags(1) < 0) {
        printk("hostile:   (no domain 1: the missing granter only)\n");
        hg_case(&c, "map a grant of d1, not there",
                map(hg_pte_maddr((uint64_t)hg_page(3)), GNTMAP_host_map | GNTMAP_contains_pte,
                    1, &h, &bus), GNTST_bad_domain);
        return hg_cases_verdict(&c);
    }
    keeper_cases(&c);
    return hg_cases_verdict(&c);
}
