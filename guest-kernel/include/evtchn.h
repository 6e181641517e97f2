/* SPDX-License-Identifier: MIT */
/*
 * evtchn.h - event channels: the PV kernel's interrupt controller.
 * Owns:    the interface the rest of the kernel uses to bind a handler to a
 *          port, notify a port, mask and unmask it, and the upcall's
 *          counters.  Implemented by arch/x86_64/pv/xen_events.c over the
 *          2-level event-channel ABI (event_channel_op, shared_info bitmaps)
 *          or, after evtchn_fifo_start() (`evtchn=fifo`), the FIFO ABI
 *          (event words and per-vCPU queues in pages of the guest's).
 * Touches: nothing (declarations).
 *
 * A port is Xen's evtchn_port_t: a number the hypervisor gives out (never
 * 0).  Bind functions return the new port (> 0) or a negative -XEN_E*
 * code; they install the handler and unmask the port, so an event already
 * pending on it is delivered as soon as events are enabled
 * (pv_ops.irq_enable()).  Handlers run in the upcall, with events masked,
 * after the port's pending bit was cleared.
 *
 * The kernel runs with events masked (vcpu_info.evtchn_upcall_mask set)
 * except where code enables them; see guest-kernel/README.md.
 *
 * A port is notified on one vCPU: the one bind_ipi / bind_virq name, vCPU
 * 0 for interdomain ports.  Its handler runs in that vCPU's upcall.
 */
#ifndef EVTCHN_H
#define EVTCHN_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*evtchn_handler_t)(unsigned int port, void *arg);

/* The DOMID_SELF of the ABI: "the calling domain" as a remote domain. */
#define EVTCHN_DOMID_SELF 0x7ff0U

/* Virtual interrupts kernel code binds with evtchn_bind_virq() (the ABI's
 * VIRQ_* numbers; VIRQ_TIMER belongs to the time pv-ops). */
#define EVTCHN_VIRQ_DEBUG   1U  /* per vCPU: the hypervisor's debug key 'q' */
#define EVTCHN_VIRQ_CONSOLE 2U  /* global, dom0: console input arrived */
#define EVTCHN_VIRQ_DOM_EXC 3U  /* global, dom0: a domain shut down or died */

/* Set up the port table and mask every port (arch_setup()). */
void evtchn_init(void);

long evtchn_bind_ipi(unsigned int vcpu, evtchn_handler_t fn, void *arg);
long evtchn_bind_virq(unsigned int virq, unsigned int vcpu, evtchn_handler_t fn, void *arg);
/* A port that remote_dom may bind to with bind_interdomain. */
long evtchn_alloc_unbound(uint16_t remote_dom, evtchn_handler_t fn, void *arg);
/* Connect to remote_port of remote_dom (which it allocated unbound for us). */
long evtchn_bind_interdomain(uint16_t remote_dom, unsigned int remote_port,
                             evtchn_handler_t fn, void *arg);

/* Raise the event at the other end (an IPI port: at itself).  0 or -XEN_E*. */
long evtchn_notify(unsigned int port);
/* Per-port mask bit in shared_info: a masked port stays pending. */
void evtchn_mask(unsigned int port);
/* Clear the mask with EVTCHNOP_unmask, so that an event that became pending
 * while masked is delivered (Xen re-raises it).  0 or -XEN_E*. */
long evtchn_unmask(unsigned int port);
/* Mask, close (EVTCHNOP_close) and forget the handler.  0 or -XEN_E*. */
long evtchn_close(unsigned int port);
/* EVTCHNOP_reset of this domain: every port closed; the table emptied. */
long evtchn_reset(void);

bool evtchn_is_pending(unsigned int port);
bool evtchn_is_masked(unsigned int port);
/* Clear the pending bit (no handler runs): for ports waited on with
 * evtchn_poll() rather than handled in the upcall. */
void evtchn_clear_pending(unsigned int port);
/* SCHEDOP_poll: sleep until port is pending (even if masked), an upcall is
 * due, or system time deadline_ns (0: none); returns at once if one
 * already is.  Events stay masked if they were.  0 or -XEN_E*. */
long evtchn_poll(unsigned int port, uint64_t deadline_ns);
/* This domain's id (learnt through EVTCHNOP_status of a port offered to
 * DOMID_SELF), or -XEN_E*. */
long evtchn_domid_self(void);
/* Ports the table holds a handler for. */
unsigned int evtchn_nr_bound(void);

/*
 * The FIFO ABI.  evtchn_fifo_start() switches the domain (init_control for
 * vCPU 0, one event-array page: ports 0..EVTCHN_FIFO_ARRAY_PORTS-1; binds
 * of higher ports are refused with -XEN_ENOSPC) and returns link_bits
 * (> 0) or -XEN_E*, the domain then still on 2-level; no port may be bound
 * (-XEN_EBUSY).  evtchn_reset() takes the domain back to 2-level and frees
 * the pages.  Mask, unmask, is_pending and is_masked work on either ABI.
 */
#define EVTCHN_FIFO_ARRAY_PORTS 1024U
struct evtchn_fifo_control_block;
long evtchn_fifo_start(void);
bool evtchn_is_fifo(void);
/* EVTCHNOP_set_priority: 0 (highest) .. 15; FIFO only (else -XEN_ENOSYS). */
long evtchn_set_priority(unsigned int port, unsigned int priority);
/* For tests: port's event word, vCPU 0's control block (0, NULL off FIFO). */
uint32_t evtchn_fifo_word(unsigned int port);
const volatile struct evtchn_fifo_control_block *evtchn_fifo_control(void);

/* What the upcall has done since boot (for tests and debugging). */
struct evtchn_stats {
    unsigned long upcalls;     /* entries into the event callback */
    unsigned long handled;     /* handlers called */
    unsigned long spurious;    /* pending ports with no handler: masked */
    unsigned long last_saved_mask;  /* upcall mask the last upcall interrupted */
};
extern volatile struct evtchn_stats evtchn_stats;

#endif /* EVTCHN_H */
