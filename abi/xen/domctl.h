/* SPDX-License-Identifier: MIT */
/*
 * xen/domctl.h - domctl(op): the toolstack's domain-management hypercall
 *             (36), its header and the getdomaininfo sub-op.
 * Mirrors: Xen 4.17 public/domctl.h (interface version 0x15), a subset:
 *          struct xen_domctl with its 128-byte union, struct
 *          the command numbers a PV toolstack uses, and the argument of
 *          each command a PV `xl create` / `xl destroy` issues (create,
 *          getdomaininfo, max_mem, vCPU context and info, affinity,
 *          max_vcpus, scheduler, handle, debugging, hypercall page, address
 *          size, TSC info, time offset). The other commands' structs are
 *          not here; pvisor answers them -XEN_ENOSYS.
 * Owns:    XEN_DOMCTL_*, XEN_DOMINF_*, XEN_SCHEDULER_*, XEN_VCPUAFFINITY_*,
 *          the structs below.
 * Touches: nothing; declarations only.
 *
 * Toolstack only, as in Xen: a guest kernel sees it only if it asks for
 * it with __XEN_TOOLS__ (pvkernel's dom0 helpers do). Every call carries
 * XEN_DOMCTL_INTERFACE_VERSION; any other version is refused
 * (-XEN_EACCES), because these layouts change between Xen releases.
 */
#ifndef __XEN_PUBLIC_DOMCTL_H__
#define __XEN_PUBLIC_DOMCTL_H__

#if !defined(__XEN__) && !defined(__XEN_TOOLS__)
#error "xen/domctl.h is for the toolstack: define __XEN_TOOLS__"
#endif

#include "xen.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015   /* Xen 4.17 */

/* xen_domctl.cmd (Xen 4.17 numbers; gaps are removed or obsolete ones). */
#define XEN_DOMCTL_createdomain          1
#define XEN_DOMCTL_destroydomain         2
#define XEN_DOMCTL_pausedomain           3
#define XEN_DOMCTL_unpausedomain         4
#define XEN_DOMCTL_getdomaininfo         5  /* the first domain >= domain */
#define XEN_DOMCTL_setvcpuaffinity       9
#define XEN_DOMCTL_shadow_op            10
#define XEN_DOMCTL_max_mem              11
#define XEN_DOMCTL_setvcpucontext       12
#define XEN_DOMCTL_getvcpucontext       13
#define XEN_DOMCTL_getvcpuinfo          14
#define XEN_DOMCTL_max_vcpus            15
#define XEN_DOMCTL_scheduler_op         16
#define XEN_DOMCTL_setdomainhandle      17
#define XEN_DOMCTL_setdebugging         18
#define XEN_DOMCTL_irq_permission       19
#define XEN_DOMCTL_iomem_permission     20
#define XEN_DOMCTL_ioport_permission    21
#define XEN_DOMCTL_hypercall_init       22
#define XEN_DOMCTL_settimeoffset        24
#define XEN_DOMCTL_getvcpuaffinity      25
#define XEN_DOMCTL_resumedomain         27
#define XEN_DOMCTL_subscribe            29
#define XEN_DOMCTL_set_address_size     35
#define XEN_DOMCTL_get_address_size     36
#define XEN_DOMCTL_set_ext_vcpucontext  42
#define XEN_DOMCTL_get_ext_vcpucontext  43
#define XEN_DOMCTL_set_target           46
#define XEN_DOMCTL_gettscinfo           59
#define XEN_DOMCTL_settscinfo           60
#define XEN_DOMCTL_getpageframeinfo3    61
#define XEN_DOMCTL_setvcpuextstate      62
#define XEN_DOMCTL_getvcpuextstate      63
#define XEN_DOMCTL_set_virq_handler     66
#define XEN_DOMCTL_setnodeaffinity      68
#define XEN_DOMCTL_getnodeaffinity      69
#define XEN_DOMCTL_soft_reset           79
#define XEN_DOMCTL_get_cpu_policy       82
#define XEN_DOMCTL_set_cpu_policy       83

/* xen_domctl_getdomaininfo.flags */
#define XEN_DOMINF_dying      (1U << 0)  /* destroyed, not yet freed */
#define XEN_DOMINF_hvm_guest  (1U << 1)  /* HVM (never, on pvisor) */
#define XEN_DOMINF_shutdown   (1U << 2)  /* shut down; code below */
#define XEN_DOMINF_paused     (1U << 3)  /* paused by the toolstack */
#define XEN_DOMINF_blocked    (1U << 4)  /* every online vCPU blocked */
#define XEN_DOMINF_running    (1U << 5)  /* some vCPU on a CPU */
#define XEN_DOMINF_debugged   (1U << 6)  /* a debugger is attached */
#define XEN_DOMINF_xs_domain  (1U << 7)  /* the xenstore domain */
#define XEN_DOMINF_hap        (1U << 8)  /* hardware-assisted paging */
/* Bits 16 and up: the shutdown code (SHUTDOWN_*), all ones when none. */
#define XEN_DOMINF_shutdownmask  255
#define XEN_DOMINF_shutdownshift 16

/* getdomaininfo.max_vcpu_id of a domain without vCPUs. */
#define XEN_INVALID_MAX_VCPU_ID (~0U)

#ifndef __ASSEMBLY__

/* XEN_DOMCTL_createdomain flags: what kind of domain. */
#define _XEN_DOMCTL_CDF_hvm           0
#define XEN_DOMCTL_CDF_hvm            (1U << _XEN_DOMCTL_CDF_hvm)
#define _XEN_DOMCTL_CDF_hap           1   /* HVM with hardware paging */
#define XEN_DOMCTL_CDF_hap            (1U << _XEN_DOMCTL_CDF_hap)
#define _XEN_DOMCTL_CDF_s3_integrity  2   /* tboot checks it across S3 */
#define XEN_DOMCTL_CDF_s3_integrity   (1U << _XEN_DOMCTL_CDF_s3_integrity)
#define _XEN_DOMCTL_CDF_oos_off       3   /* no out-of-sync shadows */
#define XEN_DOMCTL_CDF_oos_off        (1U << _XEN_DOMCTL_CDF_oos_off)
#define _XEN_DOMCTL_CDF_xs_domain     4   /* it runs the store */
#define XEN_DOMCTL_CDF_xs_domain      (1U << _XEN_DOMCTL_CDF_xs_domain)
#define _XEN_DOMCTL_CDF_iommu         5   /* it may use the IOMMU */
#define XEN_DOMCTL_CDF_iommu          (1U << _XEN_DOMCTL_CDF_iommu)
#define _XEN_DOMCTL_CDF_nested_virt   6
#define XEN_DOMCTL_CDF_nested_virt    (1U << _XEN_DOMCTL_CDF_nested_virt)
#define XEN_DOMCTL_CDF_vpmu           (1U << 7)  /* it sees the vPMU */
#define XEN_DOMCTL_CDF_MAX            XEN_DOMCTL_CDF_vpmu  /* highest bit */

/* iommu_opts */
#define _XEN_DOMCTL_IOMMU_no_sharept  0
#define XEN_DOMCTL_IOMMU_no_sharept   (1U << _XEN_DOMCTL_IOMMU_no_sharept)
#define XEN_DOMCTL_IOMMU_MAX          XEN_DOMCTL_IOMMU_no_sharept

/* grant_opts: the highest grant-table version the domain may pick. */
#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v) & XEN_DOMCTL_GRANT_version_mask)

/*
 * XEN_DOMCTL_createdomain: all IN. xen_domctl.domain is IN/OUT: a free id
 * below DOMID_FIRST_RESERVED is taken as is; 0 or a reserved id asks the
 * hypervisor to choose, and the id is written back. The new domain is
 * paused until the toolstack's first unpausedomain.
 */
struct xen_domctl_createdomain {
    uint32_t ssidref;            /* XSM label */
    xen_domain_handle_t handle;  /* the toolstack's UUID */
    uint32_t flags;              /* XEN_DOMCTL_CDF_* */
    uint32_t iommu_opts;         /* XEN_DOMCTL_IOMMU_* */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;    /* highest port it may bind */
    int32_t  max_grant_frames;   /* < 0: the hypervisor's default */
    int32_t  max_maptrack_frames;/* < 0: the hypervisor's default */
    uint32_t grant_opts;         /* XEN_DOMCTL_GRANT_version() */
    uint32_t vmtrace_size;       /* per-vCPU trace buffer, bytes; 0: none */
    uint32_t cpupool_id;         /* 0: the default pool */
    struct xen_arch_domainconfig arch;
};

/* XEN_DOMCTL_getdomaininfo: all OUT (the hypervisor zeroes, then fills). */
struct xen_domctl_getdomaininfo {
    domid_t  domain;            /* the domain found (also xen_domctl.domain) */
    uint16_t pad1;
    uint32_t flags;             /* XEN_DOMINF_* */
    uint64_t tot_pages;         /* pages it owns */
    uint64_t max_pages;         /* its limit (XENMEM_maximum_reservation) */
    uint64_t outstanding_pages; /* claimed, not yet allocated */
    uint64_t shr_pages;         /* shared (memory sharing) */
    uint64_t paged_pages;       /* paged out */
    uint64_t shared_info_frame; /* GMFN of shared_info: the MFN for PV */
    uint64_t cpu_time;          /* ns its vCPUs ran, all together */
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;       /* XEN_INVALID_MAX_VCPU_ID: none */
    uint32_t ssidref;           /* XSM label */
    xen_domain_handle_t handle; /* the toolstack's UUID */
    uint32_t cpupool;
    uint8_t  gpaddr_bits;       /* guest physical address width */
    uint8_t  pad2[7];
    struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t);

/* XEN_DOMCTL_max_mem: the domain's page limit, in KiB. */
struct xen_domctl_max_mem {
    uint64_aligned_t max_memkb;
};

/* XEN_DOMCTL_setvcpucontext / XEN_DOMCTL_getvcpucontext */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;                                   /* IN */
    XEN_GUEST_HANDLE_64(vcpu_guest_context_t) ctxt;  /* IN (set) / OUT (get) */
};

/* XEN_DOMCTL_getvcpuinfo: vcpu IN, the rest OUT. */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;
    uint8_t  online;             /* up (not VCPUOP_down) */
    uint8_t  blocked;            /* waiting for an event */
    uint8_t  running;            /* on a CPU now */
    uint64_aligned_t cpu_time;   /* ns it ran */
    uint32_t cpu;                /* the CPU it is on or was last on */
};

/* XEN_DOMCTL_setnodeaffinity / XEN_DOMCTL_getnodeaffinity */
struct xen_domctl_nodeaffinity {
    struct xenctl_bitmap nodemap;  /* IN */
};

/* XEN_DOMCTL_setvcpuaffinity / XEN_DOMCTL_getvcpuaffinity */
#define _XEN_VCPUAFFINITY_HARD  0   /* the CPUs it may run on */
#define XEN_VCPUAFFINITY_HARD   (1U << _XEN_VCPUAFFINITY_HARD)
#define _XEN_VCPUAFFINITY_SOFT  1   /* the CPUs it prefers */
#define XEN_VCPUAFFINITY_SOFT   (1U << _XEN_VCPUAFFINITY_SOFT)
#define _XEN_VCPUAFFINITY_FORCE 2   /* drop a SCHEDOP_pin_override */
#define XEN_VCPUAFFINITY_FORCE  (1U << _XEN_VCPUAFFINITY_FORCE)
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;                    /* IN */
    uint32_t flags;                   /* IN: XEN_VCPUAFFINITY_* */
    /* set: IN, and OUT the effective masks; get: OUT, as last set. */
    struct xenctl_bitmap cpumap_hard;
    struct xenctl_bitmap cpumap_soft;
};

/*
 * XEN_DOMCTL_max_vcpus: allocates the vCPUs createdomain's max_vcpus
 * promised; max must equal it.
 */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* XEN_DOMCTL_scheduler_op: sched_id must be the running scheduler's. */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

struct xen_domctl_sched_credit {
    uint16_t weight;             /* share relative to others (default 256) */
    uint16_t cap;                /* % of one CPU at most; 0: no cap */
};

struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap;
};

struct xen_domctl_sched_rtds {
    uint32_t period;             /* us */
    uint32_t budget;             /* us */
#define _XEN_DOMCTL_SCHEDRT_extra 0
#define XEN_DOMCTL_SCHEDRT_extra  (1U << _XEN_DOMCTL_SCHEDRT_extra)
    uint32_t flags;
};

typedef struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit  credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds    rtds;
    } u;
    uint32_t vcpuid;
} xen_domctl_schedparam_vcpu_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_schedparam_vcpu_t);

/* xen_domctl_scheduler_op.cmd; the per-vCPU ones only for per-vCPU
 * schedulers (RTDS), an error for credit. */
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3
struct xen_domctl_scheduler_op {
    uint32_t sched_id;           /* XEN_SCHEDULER_* */
    uint32_t cmd;                /* XEN_DOMCTL_SCHEDOP_* */
    union {                      /* IN (put) / OUT (get) */
        struct xen_domctl_sched_credit  credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds    rtds;
        struct {
            XEN_GUEST_HANDLE_64(xen_domctl_schedparam_vcpu_t) vcpus;
            uint32_t nr_vcpus;   /* IN: entries; OUT: entries done */
            uint32_t padding;
        } v;
    } u;
};

/* XEN_DOMCTL_setdomainhandle */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};

/* XEN_DOMCTL_setdebugging */
struct xen_domctl_setdebugging {
    uint8_t enable;
};

/* XEN_DOMCTL_hypercall_init: the target's frame to fill with stubs. */
struct xen_domctl_hypercall_init {
    uint64_aligned_t gmfn;
};

/* XEN_DOMCTL_settimeoffset (HVM only in Xen) */
struct xen_domctl_settimeoffset {
    int64_aligned_t time_offset_seconds;
};

/* XEN_DOMCTL_set_address_size / XEN_DOMCTL_get_address_size: bits. */
struct xen_domctl_address_size {
    uint32_t size;
};

/* XEN_DOMCTL_gettscinfo / XEN_DOMCTL_settscinfo (all IN/OUT) */
struct xen_domctl_tsc_info {
    uint32_t tsc_mode;           /* XEN_CPUID_TSC_MODE_* (0: default) */
    uint32_t gtsc_khz;
    uint32_t incarnation;
    uint32_t pad;
    uint64_aligned_t elapsed_nsec;
};

/*
 * The argument of every domctl. The hypervisor reads all of it and, for
 * a command that answers, writes all of it back (domain may change).
 * The union is 128 bytes whatever the command.
 */
struct xen_domctl {
    uint32_t cmd;               /* XEN_DOMCTL_* */
    uint32_t interface_version; /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;            /* IN: the domain it is about; OUT: see cmd */
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain      createdomain;
        struct xen_domctl_getdomaininfo     getdomaininfo;
        struct xen_domctl_nodeaffinity      nodeaffinity;
        struct xen_domctl_vcpuaffinity      vcpuaffinity;
        struct xen_domctl_max_mem           max_mem;
        struct xen_domctl_vcpucontext       vcpucontext;
        struct xen_domctl_getvcpuinfo       getvcpuinfo;
        struct xen_domctl_max_vcpus         max_vcpus;
        struct xen_domctl_scheduler_op      scheduler_op;
        struct xen_domctl_setdomainhandle   setdomainhandle;
        struct xen_domctl_setdebugging      setdebugging;
        struct xen_domctl_hypercall_init    hypercall_init;
        struct xen_domctl_settimeoffset     settimeoffset;
        struct xen_domctl_tsc_info          tsc_info;
        struct xen_domctl_address_size      address_size;
        uint8_t                             pad[128];
    } u;
};
typedef struct xen_domctl xen_domctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_t);

_Static_assert(sizeof(struct xen_domctl_getdomaininfo) == 112, "getdomaininfo");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, tot_pages) == 8,
               "getdomaininfo.tot_pages");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, nr_online_vcpus) == 64,
               "getdomaininfo.nr_online_vcpus");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, handle) == 76,
               "getdomaininfo.handle");
_Static_assert(offsetof(struct xen_domctl_getdomaininfo, arch_config) == 104,
               "getdomaininfo.arch_config");
_Static_assert(sizeof(struct xen_domctl_createdomain) == 64, "createdomain");
_Static_assert(offsetof(struct xen_domctl_createdomain, max_vcpus) == 28,
               "createdomain.max_vcpus");
_Static_assert(offsetof(struct xen_domctl_createdomain, arch) == 56,
               "createdomain.arch");
_Static_assert(sizeof(struct xen_domctl_getvcpuinfo) == 24, "getvcpuinfo");
_Static_assert(offsetof(struct xen_domctl_getvcpuinfo, cpu_time) == 8,
               "getvcpuinfo.cpu_time");
_Static_assert(sizeof(struct xen_domctl_vcpucontext) == 16, "vcpucontext");
_Static_assert(sizeof(struct xen_domctl_vcpuaffinity) == 40, "vcpuaffinity");
_Static_assert(sizeof(struct xen_domctl_scheduler_op) == 24, "scheduler_op");
_Static_assert(sizeof(struct xen_domctl_tsc_info) == 24, "tsc_info");
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "xen_domctl.u");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_DOMCTL_H__ */
