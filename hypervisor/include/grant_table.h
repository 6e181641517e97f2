/* SPDX-License-Identifier: MIT */
/*
 * grant_table.h - each domain's grant table (v1), as struct domain holds it.
 * Owns:    struct grant_table; the entry points of common/grant_table.c.
 * Touches: nothing.
 */
#ifndef PVISOR_GRANT_TABLE_H
#define PVISOR_GRANT_TABLE_H

#include "config.h"
#include "types.h"

struct domain;

/*
 * The shared entries (struct grant_entry_v1, 512 a frame) live in frames
 * the hypervisor allocates and owns on the domain's behalf (PGF_xen_heap,
 * owner the domain: the domain maps them writable, never as a table, and
 * they are freed with its other frames). A table only grows, as Xen's:
 * frames[0, nr_frames) are valid.
 */
struct grant_table {
    unsigned int nr_frames;
    unsigned int version;              /* always 1: v2 is refused */
    mfn_t frames[GNTTAB_MAX_FRAMES];
};

/* d's table with its first frame (Xen's INITIAL_NR_GRANT_FRAMES); false
 * when out of memory. */
bool gnttab_init(struct domain *d);

#endif
