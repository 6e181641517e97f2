/* SPDX-License-Identifier: MIT */
/*
 * fake_pvback.h - a fake of toolstack/lib/pvback.h for host unit tests:
 *                 guests' pages are ordinary memory the test registers,
 *                 event channels a table, "firing" a port a queue plus a
 *                 byte on a pipe (so a daemon's poll() wakes).
 * Owns:    struct fake_pvback and everything in it.
 * Touches: a pipe; nothing of the machine's.
 */
#ifndef PVISOR_TEST_FAKE_PVBACK_H
#define PVISOR_TEST_FAKE_PVBACK_H

#include <stdbool.h>
#include <stdint.h>

#include "pvback.h"

#define FAKE_PAGES 16
#define FAKE_PORTS 64
#define FAKE_DOMS 64

struct fake_page {
    uint32_t dom, gref;
    uint64_t mfn;
    void *page;
    int mapped;                 /* mappings alive */
};

struct fake_port {
    bool bound;
    bool is_virq;
    uint32_t dom, remote;       /* interdomain */
    unsigned virq;
    unsigned notified;          /* notify() calls */
    bool masked;
};

struct fake_pvback {
    struct pvback pb;
    struct fake_page pages[FAKE_PAGES];
    unsigned npages;
    bool grants_fail;           /* map by grant refuses: the mfn is used */
    int bind_err;               /* bind_interdomain answers this if < 0 */
    struct fake_port ports[FAKE_PORTS];     /* local port = index, 0 unused */
    uint32_t fired[1024];
    unsigned nfired;
    int dom_state[FAKE_DOMS];   /* enum pvback_dom_state */
    int pipe[2];
    unsigned maps_by_grant, maps_by_mfn, unmaps;
};

void fake_pvback_init(struct fake_pvback *f);
void fake_pvback_fini(struct fake_pvback *f);
/* Make `page` domain dom's, reachable by grant ref gref or frame mfn. */
void fake_add_page(struct fake_pvback *f, uint32_t dom, uint32_t gref,
                   uint64_t mfn, void *page);
/* The guest (or the hypervisor) signals local port `port`. */
void fake_fire(struct fake_pvback *f, uint32_t port);
/* The local port bound to (dom, remote), or -1. */
int fake_port_of(const struct fake_pvback *f, uint32_t dom, uint32_t remote);
int fake_virq_port(const struct fake_pvback *f, unsigned virq);
/* Live mappings of `page` (0 once unmapped). */
int fake_page_mapped(const struct fake_pvback *f, const void *page);

#endif
