/* SPDX-License-Identifier: MIT */
/*
 * store_guest.h - the store's guest connections: each introduced domain's
 *                 ring page and event channel, joined to a store
 *                 connection that speaks for that domain.
 * Owns:    struct store_guests (the table of connected guests).
 * Touches: the store (store.h: its domain hooks, connections), the ring
 *          code (ring.h) and the platform (pvback.h): no device, file or
 *          system call of its own, so the unit tests run it on the host
 *          over a fake platform and a ring in ordinary memory.
 */
#ifndef PVISOR_STORE_GUEST_H
#define PVISOR_STORE_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pvback.h"
#include "store.h"

struct store_guests;

/*
 * Serve guests' rings for store s over platform pb: installs the store's
 * introduce hook and binds VIRQ_DOM_EXC (to notice domains dying). log
 * gets one line per guest event worth a person's attention (stderr in the
 * daemon). NULL on allocation failure.
 */
struct store_guests *store_guests_new(struct store *s, struct pvback *pb,
                                      FILE *log);
/* Disconnects every guest (unbind, unmap) and removes the hook. */
void store_guests_free(struct store_guests *g);

/*
 * One round, after the platform's event fd polled readable (or at any
 * time: nothing pending is fine): take every fired port (guests' rings,
 * VIRQ_DOM_EXC), serve those rings, push output queued for any guest
 * (watch events caused by other connections), close the connections of
 * released or dead domains. Returns true if some guest has requests
 * left for another round at once (poll with a zero timeout).
 */
bool store_guests_run(struct store_guests *g);

/* Counts for tests and diagnostics: guests connected, guests whose ring
 * was dropped for breaking the protocol. */
unsigned store_guests_count(const struct store_guests *g);
bool store_guest_is_broken(const struct store_guests *g, uint32_t domid);

#endif
