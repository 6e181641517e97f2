/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_balloon.h - give one scratch page back and take a
 * fresh frame for it again: the setup and undo of the decrease_reservation
 * attacks.
 * Owns:    nothing; hostile_balloon.c implements it.
 */
#ifndef HOSTILE_BALLOON_H
#define HOSTILE_BALLOON_H

#include "hostile.h"

/* XENMEM_decrease_reservation of one frame (a GMFN: the MFN, for PV). */
long hg_decrease_one(unsigned long mfn);
/*
 * Replace the frame behind our page `va` (pfn `pfn`) by a new one: unmap
 * va (dropping what may be the last reference to the old frame),
 * XENMEM_increase_reservation one frame, map it at va writable, point the
 * M2P and our p2m at it. Returns NULL or why it failed.
 */
const char *hg_refill(void *va, unsigned long pfn);
/* The same, the new mapping taking pte's flags (va may be unmapped). */
const char *hg_refill_as(void *va, unsigned long pfn, uint64_t pte);

#endif /* HOSTILE_BALLOON_H */
