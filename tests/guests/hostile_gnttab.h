/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_gnttab.h - grant_table_op (hypercall 20) one sub-op
 *             at a time, for the gnttab_* attacks.
 * Owns:    nothing (inline helpers only).
 * Touches: our own grant table, through the hypervisor.
 */
#ifndef HOSTILE_GNTTAB_H
#define HOSTILE_GNTTAB_H

#include "hostile.h"
#include <xen/grant_table.h>

/* A domain id no domain has (below DOMID_FIRST_RESERVED). */
#define HG_NO_DOMID 0x7fe0u

static inline long hg_grant_table_op(unsigned long cmd, void *arg, unsigned long count)
{
    return hypercall5(__HYPERVISOR_grant_table_op, cmd, (unsigned long)arg, count, 0, 0);
}

/* GNTTABOP_query_size of dom: status, or the hypercall's error. */
static inline long hg_gnttab_query_size(domid_t dom, struct gnttab_query_size *q)
{
    long rc;

    q->dom = dom;
    q->nr_frames = q->max_nr_frames = 0xdead;
    q->status = 0x7777;
    rc = hg_grant_table_op(GNTTABOP_query_size, q, 1);
    return rc ? rc : q->status;
}

/* GNTTABOP_setup_table of dom into list[nr]: status, or the error. */
static inline long hg_gnttab_setup_table(domid_t dom, uint32_t nr, xen_pfn_t *list)
{
    struct gnttab_setup_table op = { .dom = dom, .nr_frames = nr, .status = 0x7777 };
    long rc;

    set_xen_guest_handle(op.frame_list, list);
    rc = hg_grant_table_op(GNTTABOP_setup_table, &op, 1);
    return rc ? rc : op.status;
}

/*
 * Our table's frame 0 (setup_table) mapped writable at hg_page(1), each
 * step a case ("setup_table", "map our table"): the table, or NULL when
 * it could not be mapped.  *old gets the page's PTE, for
 * hg_gnttab_unmap_own().
 */
static inline volatile struct grant_entry_v1 *hg_gnttab_map_own(struct hg_cases *c,
                                                                uint64_t *old)
{
    xen_pfn_t *list = hg_page(0);
    long rc;

    *old = hg_read_pte((unsigned long)hg_page(1));
    hg_case(c, "setup_table", hg_gnttab_setup_table(DOMID_SELF, 1, list), GNTST_okay);
    rc = hg_update_va_mapping((unsigned long)hg_page(1), (list[0] << PAGE_SHIFT) | HG_PTE_FLAGS,
                              UVMF_INVLPG);
    hg_case(c, "map our table", rc, 0);
    return rc ? NULL : hg_page(1);
}

/* hg_page(1) back as it was ("table unmapped"). */
static inline void hg_gnttab_unmap_own(struct hg_cases *c, uint64_t old)
{
    hg_case(c, "table unmapped", hg_update_va_mapping((unsigned long)hg_page(1), old, UVMF_INVLPG), 0);
}

/* Entry ref of table grants frame to dom: the flags last, with release,
 * as a granter must (the hypervisor may read the entry at once). */
static inline void hg_grant(volatile struct grant_entry_v1 *table, grant_ref_t ref,
                            domid_t dom, unsigned long frame, uint16_t flags)
{
    table[ref].domid = dom;
    table[ref].frame = (uint32_t)frame;
    __atomic_store_n(&table[ref].flags, flags, __ATOMIC_RELEASE);
}

/*
 * One GNTTABOP_map_grant_ref of dom's ref at addr with flags: the
 * hypercall's error, else the op's status; the handle and dev_bus_addr
 * it gave into *handle and *bus when asked for. The outputs start as
 * values no answer has (status 0x7777, handle 0xdeadbeef, dev_bus_addr
 * 0x1234), so one the hypervisor leaves unwritten shows.
 */
static inline long hg_gnttab_map(domid_t dom, grant_ref_t ref, uint64_t addr,
                                 uint32_t flags, grant_handle_t *handle,
                                 uint64_t *bus)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = addr, .flags = flags, .ref = ref, .dom = dom,
        .status = 0x7777, .handle = 0xdeadbeef, .dev_bus_addr = 0x1234,
    };
    long rc = hg_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);

    if (handle)
        *handle = op.handle;
    if (bus)
        *bus = op.dev_bus_addr;
    return rc ? rc : op.status;
}

/* One GNTTABOP_unmap_grant_ref: the hypercall's error, else the status. */
static inline long hg_gnttab_unmap(uint64_t addr, uint64_t dev_bus_addr,
                                   grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = addr, .dev_bus_addr = dev_bus_addr, .handle = handle,
        .status = 0x7777,
    };
    long rc = hg_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    return rc ? rc : op.status;
}

#endif /* HOSTILE_GNTTAB_H */
