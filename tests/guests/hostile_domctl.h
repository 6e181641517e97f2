/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_domctl.h - what the domctl attacks share: dom0
 * acting as a toolstack (create, inspect, populate, pause, destroy
 * domains), and a measure of the machine's free memory.
 * Owns:    the hd_* helpers (hostile_domctl.c).
 * Touches: domctl (36) and memory_op (12) on domains dom0 creates,
 *          mmu_update (1) to map their frames; nothing of other domains.
 */
#ifndef HOSTILE_DOMCTL_H
#define HOSTILE_DOMCTL_H

#define __XEN_TOOLS__       /* xen/domctl.h is toolstack-only, as Xen's */
#include "hostile.h"
#include <xen/domctl.h>

#define HD_CODE_NONE 0xffff0000u   /* getdomaininfo: no shutdown code yet */

/* op zeroed, for cmd on dom, at the current interface version. */
void hd_init(struct xen_domctl *op, uint32_t cmd, domid_t dom);
long hd_call(struct xen_domctl *op);
/* A PV domain's config as libxl makes one: max_vcpus vCPUs, 1023 event
 * channels, 32 grant frames, default maptrack, grant v1. */
void hd_config(struct xen_domctl_createdomain *c, uint32_t max_vcpus);
/* createdomain: the new id, or -XEN_E*. */
long hd_create(domid_t want, const struct xen_domctl_createdomain *c);
/* A command with no argument (pause, unpause, destroy) on dom. */
long hd_cmd(uint32_t cmd, domid_t dom);
/* getdomaininfo of exactly dom (-XEN_ESRCH if the first >= dom is another). */
long hd_info(domid_t dom, struct xen_domctl_getdomaininfo *info);
long hd_max_mem(domid_t dom, uint64_t kib);
long hd_max_vcpus(domid_t dom, uint32_t max);
/* populate_physmap of nr order-0 frames for dom; list gets their MFNs.
 * Returns the number done or -XEN_E*. */
long hd_populate(domid_t dom, xen_pfn_t *list, unsigned long nr);
/* Map frame mfn of dom at our scratch page `page` (writable); unmap puts
 * the page's own frame back. */
void *hd_map_foreign(unsigned int page, domid_t dom, unsigned long mfn);
long hd_unmap_foreign(unsigned int page);
/* How many of dom's frames list[0..nr) hold the word `word` (0: any word
 * not 0), each read through a foreign mapping at scratch page `page`;
 * -1 if one cannot be mapped. */
long hd_frames_holding(domid_t dom, const xen_pfn_t *list, unsigned long nr,
                       uint64_t word, unsigned int page);
/*
 * The frames a new domain can get: a probe domain takes all it can, one
 * page at a time in batches, and is destroyed. Uses scratch page 7.
 */
long hd_free_frames(void);
/* The allocator's free frames (XEN_SYSCTL_physinfo's free_pages), or -1. */
long hd_free_pages(void);
/* dom0's VIRQ_DOM_EXC port, bound and masked (pending is recorded). */
long hd_dom_exc_open(void);
int hd_dom_exc_seen(evtchn_port_t port);   /* pending? clears it */

#endif
