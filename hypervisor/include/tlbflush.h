/* SPDX-License-Identifier: MIT */
/*
 * tlbflush.h - the TLB-flush clock: may a CPU still cache a translation
 * made for a frame's previous use? (Xen's tlbflush_clock, simplified.)
 * Owns:    the clock, each CPU's last full-flush time, the flush counters
 *          (common/tlbflush.c).
 * Touches: the frame table's stamps only when the clock wraps
 *          (frame_tlbflush_stamps_reset() in common/frame.c).
 *
 * The rule it serves is invariant 5 of DESIGN.md section 3: no cached
 * translation outlives the use it was made for. The frame table stamps a
 * frame with tlbflush_stamp() when a use of it ends (its last type
 * reference goes, or it is freed); the architecture calls
 * tlbflush_begin()/tlbflush_end() around every full flush of a CPU's TLB
 * and paging-structure caches. A frame whose stamp is not older than some
 * CPU's last full flush may still be reachable through that CPU's caches:
 * tlbflush_needed() says so, and the frame table flushes before the frame
 * is handed out again or changes type. A frame whose old use every CPU has
 * flushed since costs nothing. The essay in common/frame.c says where the
 * stamps are taken and checked, and why that is enough.
 */
#ifndef PVISOR_TLBFLUSH_H
#define PVISOR_TLBFLUSH_H

#include "types.h"

/*
 * The clock. It ticks only at a full flush that follows a stamp, so it
 * counts "flushes that mattered", not every CR3 load: it wraps after 2^32
 * frame uses ended, not after 2^32 context switches.
 */
extern uint32_t tlbflush_clock;
extern bool tlbflush_stamped;   /* a frame was stamped since the last tick */

/* The time to stamp a frame with, now that a use of it has ended. */
static inline uint32_t tlbflush_stamp(void)
{
    tlbflush_stamped = true;
    return tlbflush_clock;
}

/* May some CPU still cache a translation through a use stamped `stamp`? */
bool tlbflush_needed(uint32_t stamp);

/*
 * Around every full flush of this CPU (a CR3 load): begin returns the
 * time the flush will stand for, end records that this CPU is clean as of
 * that time. A stamp taken between the two counts as after the flush.
 */
uint32_t tlbflush_begin(void);
void tlbflush_end(uint32_t t);

/* What the discipline cost and saved, for the counter dump. */
struct tlbflush_stats {
    uint64_t full;          /* every full flush of a CPU (CR3 loads too)  */
    uint64_t reuse;         /* of those, done because the clock said so   */
    uint64_t reuse_alloc;   /*   ... before handing a freed frame out      */
    uint64_t reuse_retype;  /*   ... before a frame changed type           */
    uint64_t covered;       /* checks of a stamped frame that needed none  */
};
extern struct tlbflush_stats tlbflush_stats;

/*
 * Where the running hypercall counts the reuse flushes it causes (its
 * row's reuse_flushes, set around each call by hypercall.h; NULL outside
 * one): the counters attribute flushes without timing anything. One CPU
 * until SMP; then per-CPU.
 */
extern uint64_t *tlbflush_reuse_counter;

/* A full flush done because the clock said so (frame.c). */
static inline void tlbflush_count_reuse(void)
{
    tlbflush_stats.reuse++;
    if (tlbflush_reuse_counter)
        (*tlbflush_reuse_counter)++;
}

/* Print the counters (with the hypercall counters, at dom0's shutdown). */
void tlbflush_stats_dump(void);

#endif
