/* SPDX-License-Identifier: MIT */
/*
 * page_alloc.c - the machine-frame allocator: one bit per frame, set = free.
 * Owns:    the bitmap and its nr_free count.
 * Touches: nothing else; who owns an allocated frame and what it is typed
 *          as is the frame table's business (common/frame.c).
 * Trusts:  its callers, which are hypervisor code: no guest value reaches
 *          here unchecked, so a double or out-of-range free is a
 *          hypervisor bug (BUG_ON), never an error return.
 *
 * Boot code starts with every frame allocated (page_alloc_init), frees the
 * RAM regions of the memory map (page_alloc_add_range), then takes back
 * what is in use: the hypervisor image, the boot modules, the bitmap
 * itself (page_alloc_reserve_range). Ranges are byte addresses; add_range
 * frees only frames wholly inside, reserve_range takes every frame touched,
 * so a partial frame is never handed out. Adding a frame that is already
 * free, or reserving one already taken, is allowed (memory maps overlap)
 * and nr_free counts each frame once.
 */
#include "page_alloc.h"
#include "bug.h"

#define BITS_PER_WORD 64

/* Bits set in w; by hand, since __builtin_popcountll may call libgcc. */
static uint64_t bit_count(uint64_t w)
{
    uint64_t n = 0;

    for (; w != 0; w &= w - 1)
        n++;
    return n;
}

/*
 * The bits of the word holding frame `from` that cover [from, to):
 * returns the mask and the number of frames it covers in *n.
 */
static uint64_t word_mask(uint64_t from, uint64_t to, uint64_t *n)
{
    uint64_t bit = from % BITS_PER_WORD;

    *n = MIN(BITS_PER_WORD - bit, to - from);
    return (*n == BITS_PER_WORD ? ~0ULL : (1ULL << *n) - 1) << bit;
}

/* Marks frames [first, last) free or allocated; returns how many changed. */
static uint64_t mark_range(struct page_allocator *pa, uint64_t first,
                           uint64_t last, bool free)
{
    uint64_t changed = 0, n;

    while (first < last) {
        uint64_t *w = &pa->bitmap[first / BITS_PER_WORD];
        uint64_t mask = word_mask(first, last, &n);
        uint64_t old = *w;

        *w = free ? old | mask : old & ~mask;
        changed += bit_count(old ^ *w);
        first += n;
    }
    return changed;
}

/* The first frame in [from, to) whose bit equals `free`, or to if none. */
static uint64_t find_frame(const struct page_allocator *pa, uint64_t from,
                           uint64_t to, bool free)
{
    uint64_t n;

    while (from < to) {
        uint64_t word = pa->bitmap[from / BITS_PER_WORD];
        uint64_t mask = word_mask(from, to, &n);
        uint64_t hits = (free ? word : ~word) & mask;

        if (hits)
            return from - from % BITS_PER_WORD + (uint64_t)__builtin_ctzll(hits);
        from += n;
    }
    return to;
}

void page_alloc_init(struct page_allocator *pa, uint64_t *bitmap,
                     uint64_t max_mfn)
{
    uint64_t words = ROUNDUP(max_mfn, BITS_PER_WORD) / BITS_PER_WORD;

    for (uint64_t i = 0; i < words; i++)
        bitmap[i] = 0;
    pa->bitmap = bitmap;
    pa->max_mfn = max_mfn;
    pa->nr_free = 0;
    pa->low_free = max_mfn;
}

void page_alloc_add_range(struct page_allocator *pa, uint64_t start,
                          uint64_t end)
{
    /* Whole frames only: round start up (without wrapping), end down. */
    uint64_t first = (start >> PAGE_SHIFT) + ((start & ~PAGE_MASK) != 0);
    uint64_t last = MIN(end >> PAGE_SHIFT, pa->max_mfn);

    if (first < last) {
        pa->nr_free += mark_range(pa, first, last, true);
        pa->low_free = MIN(pa->low_free, first);
    }
}

void page_alloc_reserve_range(struct page_allocator *pa, uint64_t start,
                              uint64_t end)
{
    /* Every frame touched: round start down, end up (without wrapping). */
    uint64_t first = start >> PAGE_SHIFT;
    uint64_t last = (end >> PAGE_SHIFT) + ((end & ~PAGE_MASK) != 0);

    last = MIN(last, pa->max_mfn);
    if (first < last)
        pa->nr_free -= mark_range(pa, first, last, false);
}

/*
 * First fit: try the aligned window at m; on an allocated frame inside
 * it, restart at the next free frame, aligned up. The search starts at
 * low_free rather than frame 0: every frame below it is allocated, so the
 * answer is the same, but a domain builder's thousands of one-frame
 * allocations no longer each walk the bitmap words of every frame dom0
 * and the running domains hold (bench/README.md, creation at R domains).
 * Allocating the frame at low_free moves it on to the next free frame;
 * a free below it moves it back (page_free, page_alloc_add_range).
 */
mfn_t page_alloc_contig(struct page_allocator *pa, uint64_t nr,
                        uint64_t align)
{
    uint64_t m, used, next;

    BUG_ON(align == 0 || (align & (align - 1)) != 0,
           "alignment %lu is not a power of two", align);
    /* The boot's reservations (and a frame allocated elsewhere than at
     * low_free) may leave it on an allocated frame: move it to the first
     * free one, so that it is the lowest free frame and first fit does
     * not walk the bitmap of every frame below, allocation after
     * allocation. Amortised, this steps over each frame once. */
    pa->low_free = find_frame(pa, pa->low_free, pa->max_mfn, true);
    m = ROUNDUP(pa->low_free, align);
    if (m < pa->low_free)           /* the round-up wrapped past 2^64 */
        return INVALID_MFN;
    while (nr > 0 && m < pa->max_mfn && pa->max_mfn - m >= nr) {
        used = find_frame(pa, m, m + nr, false);
        if (used == m + nr) {
            mark_range(pa, m, m + nr, false);
            pa->nr_free -= nr;
            if (m == pa->low_free)
                pa->low_free = find_frame(pa, m + nr, pa->max_mfn, true);
            return _mfn(m);
        }
        next = ROUNDUP(find_frame(pa, used + 1, pa->max_mfn, true), align);
        if (next <= used)           /* the round-up wrapped past 2^64 */
            break;
        m = next;
    }
    return INVALID_MFN;
}

uint64_t page_alloc_largest_run(const struct page_allocator *pa)
{
    uint64_t best = 0, m = find_frame(pa, pa->low_free, pa->max_mfn, true);

    while (m < pa->max_mfn) {
        uint64_t end = find_frame(pa, m, pa->max_mfn, false);

        best = MAX(best, end - m);
        m = find_frame(pa, end, pa->max_mfn, true);
    }
    return best;
}

void page_free(struct page_allocator *pa, mfn_t mfn, uint64_t nr)
{
    uint64_t first = mfn_x(mfn), free_at;

    BUG_ON(first > pa->max_mfn || nr > pa->max_mfn - first,
           "freeing mfns %#lx+%lu beyond max_mfn %#lx", first, nr, pa->max_mfn);
    free_at = find_frame(pa, first, first + nr, true);
    BUG_ON(free_at != first + nr,
           "double free of mfn %#lx (freeing %#lx+%lu)", free_at, first, nr);
    mark_range(pa, first, first + nr, true);
    pa->nr_free += nr;
    pa->low_free = MIN(pa->low_free, first);
}

bool page_is_free(const struct page_allocator *pa, mfn_t mfn)
{
    uint64_t m = mfn_x(mfn);

    if (m >= pa->max_mfn)
        return false;
    return (pa->bitmap[m / BITS_PER_WORD] >> (m % BITS_PER_WORD)) & 1;
}
