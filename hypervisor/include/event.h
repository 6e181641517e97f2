/* SPDX-License-Identifier: MIT */
/*
 * event.h - event channels: each domain's port table (common/event_channel.c).
 * Owns:    struct evtchn and the per-domain / per-vCPU fields it needs.
 * Touches: nothing; the pending and mask bits live in shared_info.
 */
#ifndef PVISOR_EVENT_H
#define PVISOR_EVENT_H

#include <xen/event_channel.h>
#include <xen/xen.h>
#include "types.h"

/* Ports are made valid this many at a time, as Xen's buckets (64). */
#define EVTCHNS_PER_BUCKET    64

enum evtchn_state {
    ECS_FREE = 0,
    ECS_RESERVED,           /* port 0: never handed out                   */
    ECS_UNBOUND,            /* waiting for remote_domid to bind to it     */
    ECS_INTERDOMAIN,        /* connected to (remote_dom, remote_port)     */
    ECS_VIRQ,               /* raised by the hypervisor for virq          */
    ECS_IPI,                /* raised by the domain itself                */
};

struct evtchn {
    uint8_t  state;          /* enum evtchn_state                         */
    uint8_t  virq;           /* ECS_VIRQ                                  */
    domid_t  remote_dom;     /* ECS_UNBOUND: who may bind; INTERDOMAIN: peer */
    uint32_t remote_port;    /* ECS_INTERDOMAIN                           */
    uint32_t notify_vcpu_id; /* the vCPU whose upcall the port raises     */
    uint8_t  priority;       /* FIFO: the queue its events go to          */
    bool     fifo_pending;   /* FIFO: raised before it had an event word  */
    uint8_t  pad[2];
};
_Static_assert(sizeof(struct evtchn) == 16, "evtchn is 16 bytes");

#define EVTCHNS_PER_PAGE (PAGE_SIZE / sizeof(struct evtchn))
#define EVTCHN_PAGES     (EVTCHN_2L_NR_CHANNELS / EVTCHNS_PER_PAGE)
/* FIFO: event words per page of the guest's event array, and its pages. */
#define EVTCHN_FIFO_WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))
#define EVTCHN_FIFO_MAX_PAGES (EVTCHN_FIFO_NR_CHANNELS / EVTCHN_FIFO_WORDS_PER_PAGE)

/*
 * A domain's port table: pages of struct evtchn, taken as ports are
 * needed; with the FIFO ABI, the guest's event-array pages too (each held
 * writable by the hypervisor until the domain goes back to 2-level).
 */
struct evtchn_table {
    struct evtchn *page[EVTCHN_PAGES];
    unsigned int valid;      /* ports [0, valid) exist (a bucket multiple) */
    bool fifo;               /* EVTCHNOP_init_control switched to FIFO     */
    unsigned int fifo_pages; /* event-array pages given (expand_array)     */
    mfn_t fifo_array[EVTCHN_FIFO_MAX_PAGES];
};

/* FIFO: a vCPU's control block and where each of its queues ends. */
struct evtchn_fifo_vcpu {
    mfn_t control_mfn;       /* the guest's page, held writable; INVALID   */
    struct evtchn_fifo_control_block *control;
    evtchn_port_t tail[EVTCHN_FIFO_MAX_QUEUES];
};

struct domain;
/* Set up a new domain's table (port 0 reserved); false if out of memory. */
bool evtchn_init(struct domain *d);
/* Close every port and give the table's pages back (domain death). */
void evtchn_destroy(struct domain *d);
struct vcpu;
/* event_channel.c: v has an event to take (upcall flag set, unblocked). */
void evtchn_mark_vcpu_pending(struct vcpu *v);

/*
 * event_fifo.c: the FIFO ABI (Xen's event_fifo.c). The ops act on a port
 * of a domain that switched to FIFO (d->evtchn.fifo).
 */
long evtchn_fifo_init_control(struct evtchn_init_control *op);
long evtchn_fifo_expand_array(const struct evtchn_expand_array *op);
long evtchn_fifo_set_priority(const struct evtchn_set_priority *op);
void evtchn_fifo_set_pending(struct domain *d, evtchn_port_t port);
void evtchn_fifo_clear_pending(struct domain *d, evtchn_port_t port);
bool evtchn_fifo_is_pending(const struct domain *d, evtchn_port_t port);
void evtchn_fifo_unmask(struct domain *d, evtchn_port_t port);
/* Back to 2-level: every FIFO page given back (reset, domain death). */
void evtchn_fifo_destroy(struct domain *d);
/* Is port one of d's (made valid so far)? Its entry (it must be valid). */
bool port_is_valid(const struct domain *d, evtchn_port_t port);
struct evtchn *evtchn_from_port(const struct domain *d, evtchn_port_t port);

/* SCHEDOP_poll: 1 if port is pending, 0 if not, -XEN_EINVAL if not valid. */
long evtchn_port_poll(const struct domain *d, evtchn_port_t port);
/* Raise the port v has bound to a per-vCPU virq (VIRQ_TIMER); none: nothing. */
void send_guest_vcpu_virq(struct vcpu *v, unsigned int virq);
/* Raise the port d bound to a global virq (VIRQ_CONSOLE); none: nothing. */
void send_guest_global_virq(struct domain *d, unsigned int virq);
/* A port of d unbound for remote (the builder's console port); or -XEN_E*. */
long evtchn_alloc_unbound_port(struct domain *d, domid_t remote);

#endif
