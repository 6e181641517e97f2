/* SPDX-License-Identifier: MIT */
/*
 * xen/sysctl.h - sysctl(op): the toolstack's host-management hypercall
 *             (35) and the sub-ops pvisor answers.
 * Mirrors: Xen 4.17 public/sysctl.h (interface version 0x15), a subset:
 *          struct xen_sysctl with its 128-byte union, every XEN_SYSCTL_*
 *          command number (so the refused ones can be named), readconsole,
 *          physinfo with XEN_SYSCTL_PHYSCAP_*, getdomaininfolist. The other
 *          commands' structs are not here; pvisor answers them -XEN_ENOSYS.
 *          Plus one command of our own, PVISOR_SYSCTL_hypercall_stats (the
 *          per-domain hypercall counters `pvctl stats` prints), at a number
 *          Xen does not use.
 * Owns:    XEN_SYSCTL_*, PVISOR_SYSCTL_*, the structs below.
 * Touches: nothing; declarations only.
 *
 * Toolstack only, as in Xen: #error unless __XEN__ or __XEN_TOOLS__. Every
 * call carries XEN_SYSCTL_INTERFACE_VERSION; any other version is refused
 * (-XEN_EACCES), because these layouts change between Xen releases.
 */
#ifndef __XEN_PUBLIC_SYSCTL_H__
#define __XEN_PUBLIC_SYSCTL_H__

#if !defined(__XEN__) && !defined(__XEN_TOOLS__)
#error "xen/sysctl.h is for the toolstack: define __XEN_TOOLS__"
#endif

#include "xen.h"
#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015   /* Xen 4.17 */

/* xen_sysctl.cmd (Xen 4.17 numbers; 13, 24 and 28 are removed ones). */
#define XEN_SYSCTL_readconsole              1
#define XEN_SYSCTL_tbuf_op                  2
#define XEN_SYSCTL_physinfo                 3
#define XEN_SYSCTL_sched_id                 4
#define XEN_SYSCTL_perfc_op                 5
#define XEN_SYSCTL_getdomaininfolist        6
#define XEN_SYSCTL_debug_keys               7
#define XEN_SYSCTL_getcpuinfo               8
#define XEN_SYSCTL_availheap                9
#define XEN_SYSCTL_get_pmstat              10
#define XEN_SYSCTL_cpu_hotplug             11
#define XEN_SYSCTL_pm_op                   12
#define XEN_SYSCTL_page_offline_op         14
#define XEN_SYSCTL_lockprof_op             15
#define XEN_SYSCTL_cputopoinfo             16
#define XEN_SYSCTL_numainfo                17
#define XEN_SYSCTL_cpupool_op              18
#define XEN_SYSCTL_scheduler_op            19
#define XEN_SYSCTL_coverage_op             20
#define XEN_SYSCTL_psr_cmt_op              21
#define XEN_SYSCTL_pcitopoinfo             22
#define XEN_SYSCTL_psr_alloc               23
#define XEN_SYSCTL_get_cpu_levelling_caps  25
#define XEN_SYSCTL_get_cpu_featureset      26
#define XEN_SYSCTL_livepatch_op            27
#define XEN_SYSCTL_get_cpu_policy          29

/*
 * pvisor's own: the hypercall counters of one domain. 0x7076 ("pv") is far
 * above Xen's numbers, so a Xen toolstack never sends it by accident and
 * Xen answers it -ENOSYS.
 */
#define PVISOR_SYSCTL_hypercall_stats  0x7076

/* xen_sysctl_physinfo.capabilities: what the platform offers. */
#define _XEN_SYSCTL_PHYSCAP_hvm                 0
#define XEN_SYSCTL_PHYSCAP_hvm                  (1u << _XEN_SYSCTL_PHYSCAP_hvm)
#define _XEN_SYSCTL_PHYSCAP_pv                  1
#define XEN_SYSCTL_PHYSCAP_pv                   (1u << _XEN_SYSCTL_PHYSCAP_pv)
#define _XEN_SYSCTL_PHYSCAP_directio            2
#define XEN_SYSCTL_PHYSCAP_directio             (1u << _XEN_SYSCTL_PHYSCAP_directio)
#define _XEN_SYSCTL_PHYSCAP_hap                 3
#define XEN_SYSCTL_PHYSCAP_hap                  (1u << _XEN_SYSCTL_PHYSCAP_hap)
#define _XEN_SYSCTL_PHYSCAP_shadow              4
#define XEN_SYSCTL_PHYSCAP_shadow               (1u << _XEN_SYSCTL_PHYSCAP_shadow)
#define _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share  5
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share   \
    (1u << _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share)
#define XEN_SYSCTL_PHYSCAP_vmtrace              (1u << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu                 (1u << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1            (1u << 8)   /* grant v1 ABI */
#define XEN_SYSCTL_PHYSCAP_gnttab_v2            (1u << 9)   /* grant v2 ABI */
#define XEN_SYSCTL_PHYSCAP_MAX                  XEN_SYSCTL_PHYSCAP_gnttab_v2

#ifndef __ASSEMBLY__

/*
 * XEN_SYSCTL_readconsole: copy out the hypervisor's console ring. Without
 * incremental, from the oldest byte kept; with it, from index (a running
 * byte count, older than the ring holds: from the oldest kept).
 */
struct xen_sysctl_readconsole {
    uint8_t  clear;             /* IN: empty the ring after reading */
    uint8_t  incremental;       /* IN: start at index */
    uint8_t  pad0, pad1;
    uint32_t index;             /* IN: start (if incremental); OUT: end */
    XEN_GUEST_HANDLE(char) buffer;  /* IN: where to write */
    uint32_t count;             /* IN: buffer size; OUT: bytes written */
};

/* XEN_SYSCTL_physinfo: all OUT. */
struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;           /* CPUs online */
    uint32_t max_cpu_id;        /* largest possible CPU number */
    uint32_t nr_nodes;          /* NUMA nodes online */
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;      /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities; /* none defined for x86 in 4.17 */
    uint32_t pad;
    uint64_t total_pages;       /* RAM the hypervisor manages */
    uint64_t free_pages;        /* of it, unallocated */
    uint64_t scrub_pages;       /* free, waiting to be scrubbed */
    uint64_t outstanding_pages; /* claimed, not yet allocated */
    uint64_t max_mfn;           /* largest possible MFN */
    uint32_t hw_cap[8];         /* boot CPU's feature words */
};

/*
 * XEN_SYSCTL_getdomaininfolist: up to max_domains entries, the domains
 * >= first_domain in domid order.
 */
struct xen_sysctl_getdomaininfolist {
    domid_t  first_domain;      /* IN */
    uint32_t max_domains;       /* IN: room in buffer */
    XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t) buffer;   /* IN */
    uint32_t num_domains;       /* OUT: entries written */
};

/*
 * PVISOR_SYSCTL_hypercall_stats: entry i counts hypercall number i since
 * the domain was created; entry PVISOR_NR_HYPERCALLS counts every number
 * out of range. Entries beyond nr_entries are not written.
 */
struct pvisor_sysctl_hypercall_stat {
    uint64_t calls;
    uint64_t tsc_ticks;         /* TSC ticks spent in the handler */
    uint64_t reuse_flushes;     /* TLB flushes for frame reuse in it */
};
typedef struct pvisor_sysctl_hypercall_stat pvisor_sysctl_hypercall_stat_t;
DEFINE_XEN_GUEST_HANDLE(pvisor_sysctl_hypercall_stat_t);

struct pvisor_sysctl_hypercall_stats {
    domid_t  domid;             /* IN: the domain (DOMID_SELF: the caller) */
    uint16_t pad;               /* IN: 0 */
    uint32_t nr_entries;        /* IN: room in buffer;
                                 * OUT: PVISOR_NR_HYPERCALLS + 1 */
    XEN_GUEST_HANDLE(pvisor_sysctl_hypercall_stat_t) buffer;   /* IN */
};

/*
 * The argument of every sysctl. The hypervisor reads all of it and, for a
 * command that answers, writes all of it back. The union is 128 bytes
 * whatever the command.
 */
struct xen_sysctl {
    uint32_t cmd;               /* XEN_SYSCTL_* */
    uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole       readconsole;
        struct xen_sysctl_physinfo          physinfo;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct pvisor_sysctl_hypercall_stats pvisor_hypercall_stats;
        uint8_t pad[128];
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_t);

_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24, "readconsole");
_Static_assert(offsetof(struct xen_sysctl_readconsole, buffer) == 8,
               "readconsole.buffer");
_Static_assert(offsetof(struct xen_sysctl_readconsole, count) == 16,
               "readconsole.count");
_Static_assert(sizeof(struct xen_sysctl_physinfo) == 112, "physinfo");
_Static_assert(offsetof(struct xen_sysctl_physinfo, total_pages) == 40,
               "physinfo.total_pages");
_Static_assert(offsetof(struct xen_sysctl_physinfo, hw_cap) == 80,
               "physinfo.hw_cap");
_Static_assert(sizeof(struct xen_sysctl_getdomaininfolist) == 24,
               "getdomaininfolist");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, buffer) == 8,
               "getdomaininfolist.buffer");
_Static_assert(offsetof(struct xen_sysctl_getdomaininfolist, num_domains) == 16,
               "getdomaininfolist.num_domains");
_Static_assert(sizeof(struct pvisor_sysctl_hypercall_stat) == 24,
               "hypercall_stat");
_Static_assert(sizeof(struct pvisor_sysctl_hypercall_stats) == 16,
               "hypercall_stats");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "xen_sysctl.u");
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_SYSCTL_H__ */
