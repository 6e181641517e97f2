/* SPDX-License-Identifier: MIT */
/*
 * grant_table.h - each domain's grant table (v1), as struct domain holds it.
 * Owns:    struct grant_table, its maptrack and active entries; the entry
 *          points of common/grant_table.c.
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
 * first map; later maps of the same ref, while mapped, reuse it (the
 * granter's struct gnttab_active says which), so a granter rewriting its
 * entry changes nothing mapped.
 */
struct gnttab_map {
    uint32_t flags;                    /* GNTMAP_*, host_map/device_map
                                        * cleared as each part goes; 0: a
                                        * free handle */
    domid_t domid;                     /* the granter */
    bool orphan;                       /* the granter is dying: its pins
                                        * are gone, only the references stay */
    uint32_t ref;
    mfn_t mfn;
};

/*
 * Xen's active entry: the pins on one of the domain's refs, kept in step
 * with every maptrack entry naming it (and a copy while it runs), so a
 * map or unmap reads and writes one of these, never the maptracks. pin[]
 * counts parts by kind (GNTTAB_PIN_*: a mapping with a host and a device
 * part counts in two), at most GNTTAB_PIN_MAX each, as Xen's 8-bit
 * counters; the ref is pinned while any is non-zero, and then mapper and
 * mfn say by whom (one domain at a time) and which frame. Hypervisor
 * memory, a frame of GNTTAB_ACTIVE_PER_FRAME entries allocated at the
 * first pin of one of their refs (a domain whose grants are never mapped
 * or copied has none), freed when the domain starts dying (the mappings
 * of its refs in maptracks become orphans then).
 */
#define GNTTAB_PIN_HOST_RW   0
#define GNTTAB_PIN_HOST_RO   1
#define GNTTAB_PIN_DEV_RW    2
#define GNTTAB_PIN_DEV_RO    3
#define GNTTAB_PIN_MAX       128       /* Xen: the counter's top bit set */

struct gnttab_active {
    mfn_t mfn;
    domid_t mapper;
    union {
        uint8_t pin[4];
        uint32_t pins;                 /* 0: not pinned */
    };
};

#define GNTTAB_ENTRIES_PER_FRAME 512   /* struct grant_entry_v1, 8 bytes */
#define GNTTAB_ACTIVE_PER_FRAME  (PAGE_SIZE / sizeof(struct gnttab_active))
#define GNTTAB_ACTIVE_FRAMES     (GNTTAB_MAX_FRAMES * GNTTAB_ENTRIES_PER_FRAME / \
                                  GNTTAB_ACTIVE_PER_FRAME)

/* Maptrack entries a frame of Xen's holds: createdomain's
 * max_maptrack_frames counts in these. */
#define GNTTAB_MAPTRACK_PER_FRAME 256

struct grant_table {
    unsigned int nr_frames;
    unsigned int max_frames;           /* createdomain's max_grant_frames */
    unsigned int max_handles;          /* maptrack entries it may use   */
    unsigned int version;              /* always 1: v2 is refused */
    bool dying;                        /* no new pins; entries unwritten
                                        * (their frames are going) */
    mfn_t frames[GNTTAB_MAX_FRAMES];
    struct gnttab_active *active[GNTTAB_ACTIVE_FRAMES];   /* NULL: none yet */
    struct gnttab_map maptrack[GNTTAB_MAPTRACK_ENTRIES];
};

/* d's table with its first frame (Xen's INITIAL_NR_GRANT_FRAMES); false
 * when out of memory. */
bool gnttab_init(struct domain *d);
/* d is dying: forget its mappings, clearing the granters' GTF_reading and
 * GTF_writing bits they held, dropping the references of their device
 * parts (a host part's go with d's page tables, where its PTE is); its
 * own refs take no new pins, others' mappings of them become orphans and
 * its active entries go. */
void gnttab_release_mappings(struct domain *d);
/* Recompute every pin from the maptracks and compare with the active
 * entries: the mismatches, logged (with those found by the option
 * gnttab_audit after each batch). The frame audit adds them to its own. */
unsigned int gnttab_audit(void);
extern bool opt_gnttab_audit;
/* For the frame audit: ref() once for each device part of any domain's
 * mappings, the references it holds (typed: a writable type too). */
void gnttab_audit_device_refs(void (*ref)(void *arg, mfn_t mfn, bool typed), void *arg);

#endif
