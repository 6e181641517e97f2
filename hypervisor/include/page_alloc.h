/* SPDX-License-Identifier: MIT */
/*
 * page_alloc.h - the machine-frame allocator (common/page_alloc.c).
 * Owns:    which machine frames are free. One bit per frame, set = free.
 * Touches: nothing else: frame ownership, types and counts are the frame
 *          table's (common/frame.c, struct page_info).
 * Trusts:  its callers (hypervisor code only).
 */
#ifndef PVISOR_PAGE_ALLOC_H
#define PVISOR_PAGE_ALLOC_H

#include "types.h"

struct page_allocator {
    uint64_t *bitmap;     /* bit n set: mfn n is free                  */
    uint64_t max_mfn;     /* frames [0, max_mfn) are covered           */
    uint64_t nr_free;
    uint64_t low_free;    /* every frame below it is allocated; after an
                           * allocation, the lowest free frame: where
                           * first fit starts looking                    */
};

/*
 * Start with every frame in [0, max_mfn) allocated; bitmap must hold
 * ROUNDUP(max_mfn, 64) / 64 words.
 */
void page_alloc_init(struct page_allocator *pa, uint64_t *bitmap,
                     uint64_t max_mfn);
/* Mark [start, end) machine addresses free (only whole frames inside). */
void page_alloc_add_range(struct page_allocator *pa, uint64_t start,
                          uint64_t end);
/* Mark [start, end) machine addresses allocated (frames touching it). */
void page_alloc_reserve_range(struct page_allocator *pa, uint64_t start,
                              uint64_t end);
/*
 * nr contiguous frames whose first mfn is a multiple of align (a power of
 * two, in frames), or INVALID_MFN. First fit: the lowest such run, so a
 * frame just freed is the next one handed out (which is why a freed
 * frame's TLB stamp matters at once: frame_alloc() in common/frame.c).
 */
mfn_t page_alloc_contig(struct page_allocator *pa, uint64_t nr,
                        uint64_t align);
/* The length, in frames, of the longest run of free frames (0: none). */
uint64_t page_alloc_largest_run(const struct page_allocator *pa);
/* Give back frames; freeing a frame that is already free is a bug
 * (BUG_ON in the hypervisor, a test failure in the harness). */
void page_free(struct page_allocator *pa, mfn_t mfn, uint64_t nr);
bool page_is_free(const struct page_allocator *pa, mfn_t mfn);

#endif
