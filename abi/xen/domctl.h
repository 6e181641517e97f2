/* SPDX-License-Identifier: MIT */
/*
 * xen/domctl.h - domctl(op): the toolstack's domain-management hypercall
 *             (36), its header and the getdomaininfo sub-op.
 * Mirrors: Xen 4.17 public/domctl.h (interface version 0x15), a subset:
 *          struct xen_domctl with its 128-byte union, struct
 *          xen_domctl_getdomaininfo and its XEN_DOMINF_* flags, and the
 *          command numbers a PV toolstack uses. The other commands' structs
 *          are not here; pvisor answers them -XEN_ENOSYS.
 * Owns:    XEN_DOMCTL_*, XEN_DOMINF_*, the structs below.
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
        struct xen_domctl_getdomaininfo getdomaininfo;
        uint8_t pad[128];
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
_Static_assert(sizeof(struct xen_domctl) == 144, "xen_domctl");
_Static_assert(offsetof(struct xen_domctl, u) == 16, "xen_domctl.u");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_DOMCTL_H__ */
