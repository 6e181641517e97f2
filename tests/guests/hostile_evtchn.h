/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_evtchn.h - event_channel_op (hypercall 32) one sub-op
 *             at a time, for the evtchn_* attacks; and a snapshot of the
 *             2-level event state in shared_info, to leave it as it was.
 * Owns:    nothing; hostile_evtchn.c implements it.
 * Touches: HYPERVISOR_shared_info's evtchn_mask/evtchn_pending and vCPU 0's
 *          evtchn_upcall_pending/evtchn_pending_sel (restore only).
 *
 * The "port or error" helpers return the port the hypervisor wrote back
 * (ports of the 2-level ABI are below 4096, so never negative) or its
 * -XEN_E* code, so that one hg_case() checks both.
 */
#ifndef HOSTILE_EVTCHN_H
#define HOSTILE_EVTCHN_H

#include "hostile.h"

/* Sub-ops of Xen's public header that abi/ leaves out (internal restart). */
#define HG_EVTCHNOP_reset_cont 14
#define HG_EVTCHN_2L_PORTS     4096u        /* EVTCHN_2L_NR_CHANNELS, 64-bit */
#define HG_NO_VCPU             1u           /* dom0 runs with one vCPU */

long hg_evtchn_close(evtchn_port_t port);
long hg_evtchn_send(evtchn_port_t port);
long hg_evtchn_unmask(evtchn_port_t port);
long hg_evtchn_bind_vcpu(evtchn_port_t port, uint32_t vcpu);
long hg_evtchn_reset(domid_t dom);
/* Port or error. */
long hg_evtchn_alloc_unbound(domid_t dom, domid_t remote_dom);
long hg_evtchn_bind_virq(uint32_t virq, uint32_t vcpu);
long hg_evtchn_bind_ipi(uint32_t vcpu);
long hg_evtchn_bind_interdomain(domid_t remote_dom, evtchn_port_t remote_port);
/* EVTCHNOP_status of (dom, port) into *st (preset to 0xdead... first). */
long hg_evtchn_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st);
/* EVTCHNSTAT_* of our own port, or the error. */
long hg_evtchn_state(evtchn_port_t port);
/* How many of our ports 1..4095 status does not call closed (-EINVAL,
 * beyond the allocated range, counts as closed; any other error is
 * returned as it is). */
long hg_evtchn_bound_count(void);
/* The 2-level bits of port in shared_info. */
int hg_evtchn_pending(evtchn_port_t port);
int hg_evtchn_masked(evtchn_port_t port);

/* What an attack may disturb in shared_info: mask and pending words, vCPU
 * 0's selector and upcall flag. */
struct hg_evtchn_saved {
    xen_ulong_t mask[sizeof(xen_ulong_t) * 8];
    xen_ulong_t pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t pending_sel;
    uint8_t upcall_pending;
};
void hg_evtchn_save(struct hg_evtchn_saved *s);
/* Put the snapshot back; 0 if it was already so, else how many words
 * differed (for information: unmask and send change them by design). */
int hg_evtchn_restore(const struct hg_evtchn_saved *s);

#endif /* HOSTILE_EVTCHN_H */
