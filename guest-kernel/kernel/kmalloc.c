/* SPDX-License-Identifier: MIT */
/*
 * kmalloc.c - the kernel heap: small objects (inodes, processes) carved
 *             from pages of the page allocator.
 * Owns:    one free list per power-of-two size class, 32 B .. 4 KiB.
 * Touches: mm_alloc_pfn(), mm_free_pfn(), pfn_to_virt(), virt_to_pfn().
 *
 * Each block starts with a 16-byte header naming its class, so kfree()
 * needs no size; blocks of a class come from pages split into that class
 * and go back to its free list (pages are not returned yet).  A request of
 * the largest class is a page of its own and goes back to the allocator.
 * A larger one (a descriptor table, a region array, poll's pollfd copy)
 * is a run of contiguous pages of its own (mm_alloc_pfns(), at most
 * KM_MAX_PAGES), its header holding the page count, and goes back whole.
 * Not SMP-safe: one vCPU runs kernel code today (events masked).
 */
#include <kernel.h>
#include <mm.h>
#include <vfs.h>
#include <asm/page.h>

#define KM_MIN_SHIFT 5
#define KM_MAX_SHIFT PAGE_SHIFT
#define KM_HDR 16
#define KM_LARGE     (KM_MAX_SHIFT + 1)     /* the class of a run of pages */
#define KM_MAX_PAGES 64                     /* 256 KiB */

struct km_free { struct km_free *next; };

static struct km_free *free_list[KM_MAX_SHIFT + 1];

static unsigned int class_of(size_t size)
{
    unsigned int s = KM_MIN_SHIFT;

    while ((1UL << s) < size + KM_HDR)
        s++;
    return s;
}

static bool refill(unsigned int s)
{
    uint64_t pfn = mm_alloc_pfn();
    uint8_t *page;
    size_t off;

    if (pfn == INVALID_FRAME)
        return false;
    page = pfn_to_virt(pfn);
    for (off = 0; off < PAGE_SIZE; off += 1UL << s) {
        struct km_free *b = (struct km_free *)(page + off);

        b->next = free_list[s];
        free_list[s] = b;
    }
    return true;
}

void *kzalloc(size_t size)
{
    unsigned int s;
    uint8_t *b;

    if (size > KM_MAX_PAGES * PAGE_SIZE - KM_HDR)
        return NULL;
    s = class_of(size);
    if (s > KM_MAX_SHIFT) {
        uint64_t n = (size + KM_HDR + PAGE_SIZE - 1) / PAGE_SIZE, pfn;

        pfn = mm_alloc_pfns((unsigned int)n);
        if (pfn == INVALID_FRAME)
            return NULL;
        b = pfn_to_virt(pfn);           /* zeroed */
        ((uint64_t *)b)[0] = KM_LARGE;
        ((uint64_t *)b)[1] = n;
        return b + KM_HDR;
    }
    if (s == KM_MAX_SHIFT) {
        uint64_t pfn = mm_alloc_pfn();

        if (pfn == INVALID_FRAME)
            return NULL;
        b = pfn_to_virt(pfn);
    } else {
        if (!free_list[s] && !refill(s))
            return NULL;
        b = (uint8_t *)free_list[s];
        free_list[s] = free_list[s]->next;
    }
    memset(b, 0, 1UL << s);
    *(uint64_t *)b = s;
    return b + KM_HDR;
}

void kfree(void *p)
{
    uint8_t *b;
    uint64_t s;

    if (!p)
        return;
    b = (uint8_t *)p - KM_HDR;
    s = *(uint64_t *)b;
    if (s == KM_LARGE) {
        mm_free_pfns_run(virt_to_pfn(b), (unsigned int)((uint64_t *)b)[1]);
        return;
    }
    if (s < KM_MIN_SHIFT || s > KM_MAX_SHIFT)
        panic("kfree(%p): not a heap block (class %lu)", p, s);
    if (s == KM_MAX_SHIFT) {
        mm_free_pfn(virt_to_pfn(b));
        return;
    }
    ((struct km_free *)b)->next = free_list[s];
    free_list[s] = (struct km_free *)b;
}
