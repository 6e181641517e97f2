/* SPDX-License-Identifier: MIT */
/*
 * pvdev.h - dom0's devices as the toolstack uses them: hypercalls and
 * foreign mappings through privcmd, event channels through evtchn, granted
 * pages through gntdev (pvkernel's /dev/pvisor/{privcmd,evtchn,gntdev},
 * whose ioctls are Linux's: abi/xen/sys/{privcmd,evtchn,gntdev}.h).
 * Owns:    nothing but the file descriptors and mappings it hands out.
 * Touches: the devices, through ioctl/mmap/read/write only.
 *
 * Every call returns >= 0 on success and a negative errno on failure (a
 * hypercall's Xen error -XEN_E* is the same number: Xen's errno values are
 * Linux's), so callers print strerror(-rc). The implementations are split
 * by device: pvdev_privcmd.c, pvdev_evtchn.c, pvdev_gntdev.c.
 */
#ifndef PVISOR_TOOLSTACK_PVDEV_H
#define PVISOR_TOOLSTACK_PVDEV_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

/* ---- privcmd (pvdev_privcmd.c) ----------------------------------------- */

/* Open the privcmd device: the fd, or -errno (ENOENT: not dom0's kernel). */
int pv_privcmd_open(void);
/* Hypercall op with up to five arguments (pointers as (uintptr_t)). */
long pv_hypercall(int fd, unsigned int op, uint64_t a0, uint64_t a1,
                  uint64_t a2, uint64_t a3, uint64_t a4);
/*
 * Map n frames (MFNs) of domain dom contiguously, prot PROT_READ and/or
 * PROT_WRITE. err (n entries, may be NULL) gets each page's 0 or -errno.
 * Returns the address, or NULL with *rc (may be NULL) = -errno; a partly
 * failed batch is unmapped whole and returns NULL.
 */
void *pv_map_foreign(int fd, domid_t dom, int prot, const xen_pfn_t *mfns,
                     int *err, unsigned int n, int *rc);
/* Undo pv_map_foreign (n pages at addr). */
int pv_unmap_foreign(void *addr, unsigned int n);

/* ---- evtchn (pvdev_evtchn.c) ------------------------------------------- */

/* Each open fd owns the ports it binds; close() unbinds them all. */
int pv_evtchn_open(void);
/* The new local port, or -errno. */
int pv_evtchn_bind_interdomain(int fd, domid_t dom, evtchn_port_t remote);
int pv_evtchn_bind_unbound(int fd, domid_t remote_dom);
int pv_evtchn_bind_virq(int fd, unsigned int virq);
int pv_evtchn_unbind(int fd, evtchn_port_t port);
int pv_evtchn_notify(int fd, evtchn_port_t port);
/* The next port that fired (it is now masked), or -EAGAIN if none and the
 * fd is non-blocking; block otherwise. */
int pv_evtchn_pending(int fd);
int pv_evtchn_unmask(int fd, evtchn_port_t port);

/* ---- gntdev (pvdev_gntdev.c) ------------------------------------------- */

int pv_gntdev_open(void);
/* Map the n grants refs[] of domain dom contiguously; NULL with *rc. */
void *pv_gnt_map(int fd, domid_t dom, const uint32_t *refs, unsigned int n,
                 int prot, int *rc);
int pv_gnt_unmap(int fd, void *addr, unsigned int n);

#endif
