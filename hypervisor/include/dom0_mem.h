/* SPDX-License-Identifier: MIT */
/*
 * dom0_mem.h - dom0_mem=, Xen 4.17's syntax, and dom0's size from it
 * (common/dom0_mem.c).
 * Owns:    struct dom0_mem, what the option said; the rules that turn it
 *          and the free memory into dom0's size.
 * Touches: nothing; the domain builder says what is free.
 */
#ifndef PVISOR_DOM0_MEM_H
#define PVISOR_DOM0_MEM_H

#include "types.h"

/* One amount: SIZE, N% or SIZE+N% of the memory available, or with a
 * leading '-' all of it less that. */
struct memsize {
    uint64_t bytes;
    unsigned int percent;           /* 0..99 */
    bool minus;
};

/* dom0_mem=[min:AMT,][max:AMT,][AMT] */
struct dom0_mem {
    struct memsize amt, min, max;
    bool has_amt, has_min, has_max;
};

/* What the text of dom0_mem= takes, for docs and the bad-value message. */
#define DOM0_MEM_VALID "[min:AMT,][max:AMT,][AMT], AMT being SIZE, N% " \
                       "or SIZE+N% (N below 100), or -AMT for all but " \
                       "that; e.g. 512M or 1G,max:1G"

/* Parse s into *m; 0, or -1 (and *m unchanged) if s is not that syntax. */
int dom0_mem_parse(const char *s, struct dom0_mem *m);

/* The memory dom0 may be given, in frames, as the builder sees it. */
struct dom0_mem_room {
    uint64_t free;          /* free in the allocator                     */
    uint64_t kept_hv;       /* of which kept back for the hypervisor     */
    uint64_t kept_domus;    /* and for the boot domUs (domus=)           */
    uint64_t longest;       /* the longest run of free frames: dom0's    */
                            /* memory is one run                         */
    uint64_t dflt;          /* dom0's size when no AMT is given          */
};

/*
 * dom0's size in frames, by Xen's rules: AMT (or the default), raised to
 * min:, lowered to max:, then lowered to what is available (free less
 * what is kept) and to the longest free run; said at WARN when that is
 * less than AMT or min: asked for (Xen caps silently). *max_pages is the
 * domain's ceiling: max:, or UINT32_MAX without it.
 */
uint64_t dom0_mem_frames(const struct dom0_mem *m, const struct dom0_mem_room *r,
                         uint64_t *max_pages);

#endif
