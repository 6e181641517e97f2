/* SPDX-License-Identifier: MIT */
/*
 * tlbflush.c - the TLB-flush clock (see include/tlbflush.h).
 * Owns:    tlbflush_clock, each CPU's last full-flush time, the counters.
 * Touches: the frame table's stamps when the clock wraps, through
 *          frame_tlbflush_stamps_reset().
 * Trusts:  its callers: the frame table stamps and asks, the architecture
 *          reports every full flush through tlbflush_begin()/_end().
 *
 * Times are 32-bit and start at 1: a frame stamped 0 was never in use
 * since the last wrap and never needs a flush. A CPU that flushed at time
 * t holds no translation from a use stamped before t, so a stamp s needs
 * a flush while some CPU's time is <= s. The clock ticks at a flush only
 * when something was stamped since the last tick (tlbflush_stamped): a stamp s
 * taken before that flush then compares below the flush's time s + 1; a
 * stamp taken after it equals the CPU's time, and so still needs a flush.
 *
 * Wrap: when the clock would pass UINT32_MAX, every stamp in the frame
 * table is reset to 0 and the clock restarts. That is sound because the
 * wrap happens inside a full flush of this CPU (the only one: NR_CPUS is
 * 1). With SMP every CPU must flush at the wrap before its time counts
 * again; until then its time is 0, which makes every check flush.
 */
#define LOG_PREFIX "tlb"
#include "config.h"
#include "console.h"
#include "frame.h"
#include "tlbflush.h"

uint32_t tlbflush_clock = 1;
static uint32_t tlbflush_time[NR_CPUS] = { 1 };
bool tlbflush_stamped;
struct tlbflush_stats tlbflush_stats;
uint64_t *tlbflush_reuse_counter;

/* The CPU we run on: one, until SMP. */
static unsigned int this_cpu(void)
{
    return 0;
}

bool tlbflush_needed(uint32_t stamp)
{
    if (stamp == 0)
        return false;             /* not used since the clock started */
    for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
        if (tlbflush_time[cpu] <= stamp)
            return true;
    tlbflush_stats.covered++;
    return false;
}

uint32_t tlbflush_begin(void)
{
    if (tlbflush_stamped) {
        tlbflush_stamped = false;
        if (tlbflush_clock == UINT32_MAX) {
            frame_tlbflush_stamps_reset();
            tlbflush_clock = 1;
            for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
                tlbflush_time[cpu] = 0;
        }
        tlbflush_clock++;
    }
    return tlbflush_clock;
}

void tlbflush_end(uint32_t t)
{
    tlbflush_time[this_cpu()] = t;
    tlbflush_stats.full++;
}

void tlbflush_stats_dump(void)
{
    const struct tlbflush_stats *s = &tlbflush_stats;

    printk("tlb flushes: %lu full (cr3 loads and guest requests); %lu for "
           "frame reuse (%lu before allocation, %lu before a type change); "
           "%lu reuses already covered by an earlier flush\n",
           s->full, s->reuse, s->reuse_alloc, s->reuse_retype, s->covered);
}
