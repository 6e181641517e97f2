/* SPDX-License-Identifier: MIT */
/*
 * xen/grant_table.h - grant tables, version 1: the table a domain shares
 *             to let others map or copy its frames, and
 *             grant_table_op(cmd, args, count).
 * Mirrors: Xen 4.17 public/grant_table.h, less the version-2 entry layout
 *          (its sub-op numbers and argument structs are here).
 * Owns:    grant_ref_t, struct grant_entry_v1, GTF_*, GNTTABOP_*, GNTMAP_*,
 *          GNTCOPY_*, GNTST_* and the sub-op argument structs.
 * Touches: nothing; declarations only.
 *
 * The granting domain writes grant_entry_v1 slots in its own table (frame
 * numbers are its GMFNs); the mapping domain names a slot by (domid, ref).
 * Each sub-op's result goes in the struct's `status` (GNTST_*); the
 * hypercall itself fails only for a bad argument array.
 */
#ifndef __XEN_PUBLIC_GRANT_TABLE_H__
#define __XEN_PUBLIC_GRANT_TABLE_H__

#include "xen.h"

/* Slots the toolstack fills before the guest boots. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0   /* console ring, for the backend */
#define GNTTAB_RESERVED_XENSTORE   1   /* xenstore ring, for the store */

/* grant_entry_v1.flags: type in bits 1:0 ... */
#define GTF_invalid         (0U << 0)  /* free slot */
#define GTF_permit_access   (1U << 0)  /* domid may map or copy frame */
#define GTF_accept_transfer (2U << 0)  /* domid may give us a frame */
#define GTF_transitive      (3U << 0)  /* v2 only */
#define GTF_type_mask       (3U << 0)
/* ... then, for permit_access: */
#define _GTF_readonly       (2)
#define GTF_readonly        (1U << _GTF_readonly)  /* map read-only only */
#define _GTF_reading        (3)
#define GTF_reading         (1U << _GTF_reading)   /* set by Xen: mapped */
#define _GTF_writing        (4)
#define GTF_writing         (1U << _GTF_writing)   /* set by Xen: mapped rw */
#define _GTF_PWT            (5)
#define GTF_PWT             (1U << _GTF_PWT)       /* cache attributes */
#define _GTF_PCD            (6)
#define GTF_PCD             (1U << _GTF_PCD)
#define _GTF_PAT            (7)
#define GTF_PAT             (1U << _GTF_PAT)
#define _GTF_sub_page       (8)
#define GTF_sub_page        (1U << _GTF_sub_page)  /* v2 only */
/* ... and for accept_transfer: */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

/* grant_table_op commands; the argument array type in brackets. */
#define GNTTABOP_map_grant_ref        0  /* [gnttab_map_grant_ref] */
#define GNTTABOP_unmap_grant_ref      1  /* [gnttab_unmap_grant_ref] */
#define GNTTABOP_setup_table          2  /* [gnttab_setup_table] */
#define GNTTABOP_dump_table           3  /* [gnttab_dump_table] */
#define GNTTABOP_transfer             4  /* [gnttab_transfer] */
#define GNTTABOP_copy                 5  /* [gnttab_copy] */
#define GNTTABOP_query_size           6  /* [gnttab_query_size] */
#define GNTTABOP_unmap_and_replace    7  /* [gnttab_unmap_and_replace] */
#define GNTTABOP_set_version          8  /* [gnttab_set_version] */
#define GNTTABOP_get_status_frames    9  /* [gnttab_get_status_frames] v2 */
#define GNTTABOP_get_version         10  /* [gnttab_get_version] */
#define GNTTABOP_swap_grant_ref      11  /* [gnttab_swap_grant_ref] */
#define GNTTABOP_cache_flush         12  /* [gnttab_cache_flush] ARM */

/* gnttab_copy.flags: which side is named by a grant reference. */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)

/* gnttab_cache_flush.op */
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      (0)
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)      /* for DMA */
#define _GNTMAP_host_map        (1)
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)        /* for the CPU */
#define _GNTMAP_readonly        (2)
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)
#define GNTMAP_application_map  (1 << _GNTMAP_application_map) /* user access */
#define _GNTMAP_contains_pte    (4)
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)    /* host_addr is a PTE's MA */
/* Bits the guest may keep in the PTE (XENFEAT_gnttab_map_avail_bits). */
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-operation status codes. */
#define GNTST_okay              (0)
#define GNTST_general_error     (-1)   /* anything else */
#define GNTST_bad_domain        (-2)   /* no such domain */
#define GNTST_bad_gntref        (-3)   /* reference out of range or unusable */
#define GNTST_bad_handle        (-4)   /* no such mapping */
#define GNTST_bad_virt_addr     (-5)   /* host_addr unusable */
#define GNTST_bad_dev_addr      (-6)   /* dev_bus_addr unusable */
#define GNTST_no_device_space   (-7)   /* IOMMU full */
#define GNTST_permission_denied (-8)   /* the entry does not allow it */
#define GNTST_bad_page          (-9)   /* frame unusable */
#define GNTST_bad_copy_arg      (-10)  /* copy crosses a page */
#define GNTST_address_too_big   (-11)  /* transfer address too wide */
#define GNTST_eagain            (-12)  /* try again */
#define GNTST_no_space          (-13)  /* out of room */

#ifndef __ASSEMBLY__

typedef uint32_t grant_ref_t;      /* index into a grant table */
typedef uint32_t grant_handle_t;   /* names one mapping, for unmap */

/* One slot of a version-1 grant table (512 per 4 KiB frame). */
struct grant_entry_v1 {
    uint16_t flags;     /* GTF_*; write the type last, with a barrier */
    domid_t domid;      /* who may use the slot */
    uint32_t frame;     /* permit_access: our GMFN; transfer: filled by Xen */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

/* map_grant_ref: map (dom, ref) at host_addr and/or for device access. */
struct gnttab_map_grant_ref {
    uint64_t host_addr;         /* IN: VA, or PTE MA with contains_pte */
    uint32_t flags;             /* IN: GNTMAP_* */
    grant_ref_t ref;            /* IN */
    domid_t dom;                /* IN: granting domain */
    int16_t status;             /* OUT: GNTST_* */
    grant_handle_t handle;      /* OUT: for unmap */
    uint64_t dev_bus_addr;      /* OUT: with device_map */
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);

/* unmap_grant_ref: undo a map (host_addr or dev_bus_addr 0 = skip). */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;         /* IN */
    uint64_t dev_bus_addr;      /* IN */
    grant_handle_t handle;      /* IN */
    int16_t status;             /* OUT */
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);

/* setup_table: size dom's table and return its frames' MFNs. */
struct gnttab_setup_table {
    domid_t dom;                /* IN */
    uint32_t nr_frames;         /* IN */
    int16_t status;             /* OUT */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT: nr_frames entries */
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/* dump_table: print dom's table on the hypervisor console. */
struct gnttab_dump_table {
    domid_t dom;                /* IN */
    int16_t status;             /* OUT */
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);

/* transfer: give our frame mfn to domid through its accept_transfer ref. */
struct gnttab_transfer {
    xen_pfn_t mfn;              /* IN */
    domid_t domid;              /* IN */
    grant_ref_t ref;            /* IN */
    int16_t status;             /* OUT */
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);

/* copy: len bytes between two (possibly granted) frames, within pages. */
struct gnttab_copy {
    struct gnttab_copy_ptr {
        union {
            grant_ref_t ref;    /* with GNTCOPY_*_gref */
            xen_pfn_t gmfn;     /* otherwise: a frame of domid */
        } u;
        domid_t domid;
        uint16_t offset;        /* byte offset in the page */
    } source, dest;
    uint16_t len;
    uint16_t flags;             /* GNTCOPY_* */
    int16_t status;             /* OUT */
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);

/* query_size: current and maximum frames of dom's table. */
struct gnttab_query_size {
    domid_t dom;                /* IN */
    uint32_t nr_frames;         /* OUT */
    uint32_t max_nr_frames;     /* OUT */
    int16_t status;             /* OUT */
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

/* unmap_and_replace: unmap handle at host_addr, moving new_addr's PTE in. */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;         /* IN */
    uint64_t new_addr;          /* IN */
    grant_handle_t handle;      /* IN */
    int16_t status;             /* OUT */
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);

/* set_version: pick the table format (pvisor: 1 only). */
struct gnttab_set_version {
    uint32_t version;           /* IN/OUT */
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

/* get_status_frames: the v2 status frames. */
struct gnttab_get_status_frames {
    uint32_t nr_frames;         /* IN */
    domid_t dom;                /* IN */
    int16_t status;             /* OUT */
    XEN_GUEST_HANDLE(uint64_t) frame_list; /* OUT */
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);

/* get_version: dom's table format. */
struct gnttab_get_version {
    domid_t dom;                /* IN */
    uint16_t pad;
    uint32_t version;           /* OUT */
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

/* swap_grant_ref: exchange two of our own entries. */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;          /* IN */
    grant_ref_t ref_b;          /* IN */
    int16_t status;             /* OUT */
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);

/* cache_flush: clean/invalidate a granted range (ARM). */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;                /* GNTTAB_CACHE_* */
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);

_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1");
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref");
_Static_assert(offsetof(struct gnttab_map_grant_ref, status) == 18, "status");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "handle");
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref");
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table");
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "dump_table");
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer");
_Static_assert(sizeof(struct gnttab_copy) == 40, "copy");
_Static_assert(offsetof(struct gnttab_copy, dest) == 16, "copy.dest");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "copy.len");
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size");
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "unmap_replace");
_Static_assert(sizeof(struct gnttab_set_version) == 4, "set_version");
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "status_frames");
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version");
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap_grant_ref");
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_GRANT_TABLE_H__ */
