/* SPDX-License-Identifier: MIT */
/*
 * hv.h - the hypervisor as the toolstack calls it: one typed function per
 * domctl, sysctl and foreign operation the builder and pvctl need, each
 * building Xen's argument struct and making one hypercall through
 * privcmd (hv.c, over pvdev.h's pv_hypercall and pv_map_foreign).
 * Owns:    struct hv (the privcmd fd); nothing else.
 * Touches: the hypervisor, through privcmd only.
 *
 * Every function returns >= 0 on success or a negative Xen errno (Xen's
 * values are Linux's, so strerror(-rc) names it). The unit tests replace
 * hv.c with a fake implementing these same functions (tests/unit/
 * test_dom_build.c), so dom_build.c sees only this interface.
 */
#ifndef PVISOR_TOOLSTACK_HV_H
#define PVISOR_TOOLSTACK_HV_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* domctl.h, sysctl.h and xen.h's tool types: toolstack/lib/meson.build
 * defines __XEN_TOOLS__ for every file of the library. */
#include <xen/domctl.h>
#include <xen/sysctl.h>

struct hv {
    int fd;                    /* privcmd, from pv_privcmd_open()  */
};

/* Open privcmd into h: 0, or -errno (ENOENT: not in dom0). */
int hv_open(struct hv *h);
void hv_close(struct hv *h);

/* ---- domctl ---------------------------------------------------------- */

/* What XEN_DOMCTL_createdomain takes, for a PV domain. */
struct hv_create {
    uint8_t handle[16];        /* the domain's UUID                      */
    uint32_t max_vcpus;
    uint32_t max_evtchn_port;  /* 0: the hypervisor's default            */
    uint32_t max_grant_frames;
    uint32_t max_maptrack_frames;
};

/* A new domain, paused; *domid in: 0 for any, out: the id given. */
int hv_createdomain(struct hv *h, const struct hv_create *c, domid_t *domid);
int hv_destroydomain(struct hv *h, domid_t dom);   /* loops on restarts  */
int hv_pausedomain(struct hv *h, domid_t dom);
int hv_unpausedomain(struct hv *h, domid_t dom);
int hv_max_vcpus(struct hv *h, domid_t dom, uint32_t max);
int hv_max_mem(struct hv *h, domid_t dom, uint64_t max_kb);
/* The first domain >= dom: check info->domain when it must be dom. */
int hv_getdomaininfo(struct hv *h, domid_t dom,
                     struct xen_domctl_getdomaininfo *info);
int hv_setvcpucontext(struct hv *h, domid_t dom, uint32_t vcpu,
                      struct vcpu_guest_context *ctx);
/* Fill the page at gmfn (an MFN of dom's) with hypercall stubs. */
int hv_hypercall_init(struct hv *h, domid_t dom, xen_pfn_t gmfn);
/* 64 for a PV64 domain (libxl sets it for "xen-3.0-x86_64" kernels). */
int hv_set_address_size(struct hv *h, domid_t dom, uint32_t bits);

/* ---- sysctl ---------------------------------------------------------- */

int hv_physinfo(struct hv *h, struct xen_sysctl_physinfo *info);
/* Up to max domains >= first into info[]: how many, or -errno. */
int hv_getdomaininfolist(struct hv *h, domid_t first, uint32_t max,
                         struct xen_domctl_getdomaininfo *info);
/*
 * The hypervisor's console ring into buf (size bytes): how many bytes,
 * or -errno. With incremental, from *index on; *index is set to the end.
 */
int hv_readconsole(struct hv *h, char *buf, uint32_t size, uint32_t *index,
                   int incremental, int clear);
/* dom's per-hypercall counters into st[0..n): entries filled, or -errno. */
int hv_hypercall_stats(struct hv *h, domid_t dom,
                       struct pvisor_sysctl_hypercall_stat *st, uint32_t n);

/* ---- memory, page tables, grants, events of another domain ---------- */

/*
 * XENMEM_populate_physmap on dom: frames[i] in is a pfn, out its MFN.
 * Returns how many extents were populated (< n on a partial failure).
 */
long hv_populate_physmap(struct hv *h, domid_t dom, xen_pfn_t *frames,
                         unsigned long n);
/* MMUEXT_PIN_L<level>_TABLE of dom's frame mfn (foreigndom = dom). */
int hv_pin_table(struct hv *h, domid_t dom, unsigned int level, xen_pfn_t mfn);
/* MMU_MACHPHYS_UPDATE: M2P[mfns[i]] = first_pfn + i, foreigndom = dom. */
int hv_machphys_update(struct hv *h, domid_t dom, const xen_pfn_t *mfns,
                       uint64_t first_pfn, unsigned long n);
/* GNTTABOP_setup_table on dom: frames[0..n) get the table's MFNs. */
int hv_gnttab_setup_table(struct hv *h, domid_t dom, uint32_t n,
                          xen_pfn_t *frames);
/* EVTCHNOP_alloc_unbound in dom's table for remote: *port. */
int hv_evtchn_alloc_unbound(struct hv *h, domid_t dom, domid_t remote,
                            evtchn_port_t *port);

/* Map n frames (MFNs) of dom read-write; NULL with *rc = -errno. */
void *hv_map_foreign(struct hv *h, domid_t dom, const xen_pfn_t *mfns,
                     unsigned long n, int *rc);
int hv_unmap_foreign(struct hv *h, void *addr, unsigned long n);

#endif
