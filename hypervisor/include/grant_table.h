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
/*
 * One of the domain's grant mappings (Xen's maptrack entry); its index is
 * the handle. The frame is the one the granter's entry named at the
 * first map; later maps of the same ref, while mapped, reuse it (Xen's
 * active entry), so a granter rewriting its entry changes nothing mapped.
 */
struct gnttab_map {
    uint32_t flags;                    /* GNTMAP_*, host_map/device_map
                                        * cleared as each part goes; 0: a
                                        * free handle */
    domid_t domid;                     /* the granter */
    uint32_t ref;
    mfn_t mfn;
};

/* Maptrack entries a frame of Xen's holds: createdomain's
 * max_maptrack_frames counts in these. */
#define GNTTAB_MAPTRACK_PER_FRAME 256

struct grant_table {
    unsigned int nr_frames;
    unsigned int max_frames;           /* createdomain's max_grant_frames */
    unsigned int max_handles;          /* maptrack entries it may use   */
    unsigned int version;              /* always 1: v2 is refused */
    mfn_t frames[GNTTAB_MAX_FRAMES];
    struct gnttab_map maptrack[GNTTAB_MAPTRACK_ENTRIES];
};

/* d's table with its first frame (Xen's INITIAL_NR_GRANT_FRAMES); false
 * when out of memory. */
bool gnttab_init(struct domain *d);
/* d is dying: forget its mappings, clearing the granters' GTF_reading and
 * GTF_writing bits they held, dropping the references of their device
 * parts (a host part's go with d's page tables, where its PTE is). */
void gnttab_release_mappings(struct domain *d);
/* For the frame audit: ref() once for each device part of any domain's
 * mappings, the references it holds (typed: a writable type too). */
void gnttab_audit_device_refs(void (*ref)(void *arg, mfn_t mfn, bool typed), void *arg);

#endif
