/* SPDX-License-Identifier: MIT */
/*
 * xen/memory.h - memory_op(cmd, arg): reservations (the balloon), the
 *             physmap, the M2P location, the memory map.
 * Mirrors: Xen 4.17 public/memory.h, the guest-visible part (the
 *          toolstack-only paging/sharing/access ops stay out of abi/; PoD
 *          and vNUMA appear as numbers only).
 * Owns:    XENMEM_*, XENMEMF_*, XENMAPSPACE_* and the argument structs.
 * Touches: nothing; declarations only.
 */
#ifndef __XEN_PUBLIC_MEMORY_H__
#define __XEN_PUBLIC_MEMORY_H__

#include "xen.h"

/*
 * pvisor: as in Xen's implementation, memory_op's cmd carries the command
 * in its low 6 bits; the bits above are the extent to start from, which
 * the hypervisor sets when it continues a preempted call.
 */
#define PVISOR_MEMOP_EXTENT_SHIFT 6
#define PVISOR_MEMOP_CMD_MASK     ((1 << PVISOR_MEMOP_EXTENT_SHIFT) - 1)

/* Commands; the argument is in brackets. */
#define XENMEM_increase_reservation  0  /* [xen_memory_reservation] */
#define XENMEM_decrease_reservation  1  /* [xen_memory_reservation] */
#define XENMEM_maximum_ram_page      2  /* [NULL] highest RAM MFN */
#define XENMEM_current_reservation   3  /* [xen_memory_domain] pages */
#define XENMEM_maximum_reservation   4  /* [xen_memory_domain] pages */
#define XENMEM_machphys_mfn_list     5  /* [xen_machphys_mfn_list] */
#define XENMEM_populate_physmap      6  /* [xen_memory_reservation] */
#define XENMEM_add_to_physmap        7  /* [xen_add_to_physmap] */
#define XENMEM_memory_map            9  /* [xen_memory_map] own e820 */
#define XENMEM_machine_memory_map   10  /* [xen_memory_map] host e820 */
#define XENMEM_exchange             11  /* [xen_memory_exchange] */
#define XENMEM_machphys_mapping     12  /* [xen_machphys_mapping] */
#define XENMEM_set_memory_map       13  /* [xen_foreign_memory_map] */
#define XENMEM_maximum_gpfn         14  /* [xen_memory_domain] */
#define XENMEM_remove_from_physmap  15  /* [xen_remove_from_physmap] */
#define XENMEM_set_pod_target       16  /* PoD: not in abi/ */
#define XENMEM_get_pod_target       17  /* PoD: not in abi/ */
#define XENMEM_add_to_physmap_batch 23  /* [xen_add_to_physmap_batch] */
#define XENMEM_machphys_compat_mfn_list 25 /* 32-bit M2P */
#define XENMEM_get_vnumainfo        26  /* vNUMA: not in abi/ */
#define XENMEM_acquire_resource     28  /* [xen_mem_acquire_resource] */

/*
 * xen_memory_reservation.mem_flags: bits 7:0 limit the machine address
 * width of the extents (0 = no limit); bits 15:8 a NUMA node plus one.
 */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)  /* HVM PoD */
#define XENMEMF_exact_node_request  (1 << 17)  /* fail rather than fall back */
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)  /* node is a virtual node */

/* xen_add_to_physmap.space: what idx names. */
#define XENMAPSPACE_shared_info  0  /* the shared_info page */
#define XENMAPSPACE_grant_table  1  /* grant table frame idx */
#define XENMAPSPACE_gmfn         2  /* guest frame idx */
#define XENMAPSPACE_gmfn_range   3  /* size guest frames from idx */
#define XENMAPSPACE_gmfn_foreign 4  /* a frame of another domain */
#define XENMAPSPACE_dev_mmio     5  /* device MMIO (ARM) */

/* In idx with XENMAPSPACE_grant_table: a status frame (grant v2). */
#define XENMAPIDX_grant_table_status 0x80000000

/* xen_mem_acquire_resource.type and id, frame. */
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))

#ifndef __ASSEMBLY__

/* increase/decrease_reservation and populate_physmap. */
struct xen_memory_reservation {
    /*
     * increase: OUT the MFNs allocated; decrease: IN the GMFNs to free;
     * populate: IN the GPFNs to fill, OUT the GMFNs given.
     */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    xen_ulong_t nr_extents;     /* IN */
    uint32_t extent_order;      /* IN: each extent is 2^order pages */
    uint32_t mem_flags;         /* IN: XENMEMF_* */
    domid_t domid;              /* IN: DOMID_SELF unless privileged */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);

/* exchange: trade `in` extents for `out` extents atomically (PV only). */
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;   /* OUT: `in` extents done */
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);

struct xen_memory_domain {
    domid_t domid;              /* IN */
};

/* machphys_mfn_list: the MFNs of the M2P's 2 MiB extents. */
struct xen_machphys_mfn_list {
    uint32_t max_extents;       /* IN: room in extent_start */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
    uint32_t nr_extents;        /* OUT */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);

/* machphys_mapping: where the read-only M2P sits for this guest. */
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end; /* OUT: VA range */
    xen_ulong_t max_mfn;        /* OUT: entries - 1 */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);

/* add_to_physmap: map the page `space`/`idx` at guest frame `gpfn`. */
struct xen_add_to_physmap {
    domid_t domid;              /* IN */
    uint16_t size;              /* IN: XENMAPSPACE_gmfn_range only */
    uint32_t space;             /* IN: XENMAPSPACE_* */
    xen_ulong_t idx;            /* IN */
    xen_pfn_t gpfn;             /* IN */
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);

/* add_to_physmap_batch: size pairs (idxs[i] -> gpfns[i]), errs[i] out. */
struct xen_add_to_physmap_batch {
    domid_t domid;              /* IN */
    uint16_t space;             /* IN: XENMAPSPACE_* */
    uint16_t size;              /* IN */
    union xen_add_to_physmap_batch_extra {
        domid_t foreign_domid;  /* gmfn_foreign */
        uint16_t res0;          /* otherwise zero */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t) gpfns;
    XEN_GUEST_HANDLE(int) errs;
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);

struct xen_remove_from_physmap {
    domid_t domid;              /* IN */
    xen_pfn_t gpfn;             /* IN */
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);

/* memory_map / machine_memory_map: e820 entries (pvisor_e820_entry). */
struct xen_memory_map {
    uint32_t nr_entries;        /* IN: room; OUT: entries written */
    XEN_GUEST_HANDLE(void) buffer;
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);

/* set_memory_map: a domain's map, as the domain builder sets it. */
struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);

/* acquire_resource: frames of another domain's resource, for mapping. */
struct xen_mem_acquire_resource {
    domid_t domid;              /* IN */
    uint16_t type;              /* IN: XENMEM_resource_* */
    uint32_t id;                /* IN: type-specific, else 0 */
    uint32_t nr_frames;         /* IN/OUT */
    uint32_t pad;               /* zero */
    uint64_t frame;             /* IN: first frame of the resource */
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* IN/OUT */
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);

_Static_assert(sizeof(struct xen_memory_reservation) == 32, "reservation");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "domid");
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "exchange");
_Static_assert(sizeof(struct xen_memory_domain) == 2, "memory_domain");
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "machphys_mfn_list");
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "machphys_mapping");
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap");
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "physmap_batch");
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove_physmap");
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map");
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "foreign_map");
_Static_assert(sizeof(struct xen_mem_acquire_resource) == 32, "acquire_res");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_MEMORY_H__ */
