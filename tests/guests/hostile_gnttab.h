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

#endif /* HOSTILE_GNTTAB_H */
