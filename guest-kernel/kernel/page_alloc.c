/* SPDX-License-Identifier: MIT */
/*
 * page_alloc.c - the physical-page allocator: one bit per pfn.
 * Owns:    free_map (bit set = pfn free), the next-fit hint, the count.
 * Touches: pfn_to_virt() to zero what it hands out.
 *
 * Every pfn starts in use; mm_init() (kernel/pgtable.c) releases what the
 * bootstrap region does not hold: the padding first, then, once the
 * kernel runs on its own page tables, the rest of RAM and the retired
 * bootstrap page tables.  A pfn the balloon gave back to the hypervisor
 * stays "in use" (the balloon holds it) until it has a frame again.
 *
 * Runs of pfns (mm_alloc_pfns: kernel stacks, the heap's blocks larger
 * than a page) are first fit from pfn 0, so they come from the low end
 * while single pages, next fit from the hint, spread over the rest; a run
 * is contiguous in the direct map because the direct map is linear in
 * the pfn.
 */
#include <kernel.h>
#include <mm.h>
#include <asm/page.h>

#define PAGE_ALLOC_MAX_PFNS MM_MAX_PFNS
#define BITS_PER_WORD       64

static uint64_t free_map[PAGE_ALLOC_MAX_PFNS / BITS_PER_WORD];
static uint64_t pt_map[PAGE_ALLOC_MAX_PFNS / BITS_PER_WORD];
static uint64_t managed_pfns, nr_free, hint;

static bool bit_test(const uint64_t *map, uint64_t n)
{
    return map[n / BITS_PER_WORD] >> (n % BITS_PER_WORD) & 1;
}

static void bit_assign(uint64_t *map, uint64_t n, bool v)
{
    uint64_t m = 1UL << (n % BITS_PER_WORD);

    if (v)
        map[n / BITS_PER_WORD] |= m;
    else
        map[n / BITS_PER_WORD] &= ~m;
}

void page_alloc_init(uint64_t nr_pfns)
{
    managed_pfns = nr_pfns;
    if (managed_pfns > PAGE_ALLOC_MAX_PFNS) {
        printk("mm: managing the first %lu of %lu pfns\n", PAGE_ALLOC_MAX_PFNS, nr_pfns);
        managed_pfns = PAGE_ALLOC_MAX_PFNS;
    }
}

void page_alloc_release(uint64_t first, uint64_t end)
{
    for (; first < end && first < managed_pfns; first++)
        if (!bit_test(free_map, first)) {
            bit_assign(free_map, first, true);
            nr_free++;
        }
}

bool page_alloc_is_free(uint64_t pfn)
{
    return pfn < managed_pfns && bit_test(free_map, pfn);
}

/* Next fit: scan a word at a time from the hint, wrapping once. */
uint64_t page_alloc_take(void)
{
    uint64_t words = (managed_pfns + BITS_PER_WORD - 1) / BITS_PER_WORD;
    uint64_t i, w, pfn;

    if (!nr_free)
        return INVALID_FRAME;
    for (i = 0; i <= words; i++) {
        w = (hint / BITS_PER_WORD + i) % words;
        if (!free_map[w])
            continue;
        pfn = w * BITS_PER_WORD + __builtin_ctzl(free_map[w]);
        bit_assign(free_map, pfn, false);
        nr_free--;
        hint = pfn;
        return pfn;
    }
    return INVALID_FRAME;
}

bool page_alloc_claim(uint64_t pfn)
{
    if (!page_alloc_is_free(pfn))
        return false;
    bit_assign(free_map, pfn, false);
    nr_free--;
    return true;
}

void page_alloc_put(uint64_t pfn)
{
    page_alloc_release(pfn, pfn + 1);
}

uint64_t mm_alloc_pfn(void)
{
    uint64_t pfn = page_alloc_take();
    void *va;

    if (pfn == INVALID_FRAME)
        return INVALID_FRAME;
    va = pfn_to_virt(pfn);
    if (!va)
        panic("mm: free pfn %#lx has no mapping", pfn);
    memset(va, 0, PAGE_SIZE);
    return pfn;
}

uint64_t mm_alloc_pfns(unsigned int n)
{
    uint64_t pfn, run = 0, i;

    if (n == 0 || n > nr_free)
        return INVALID_FRAME;
    for (pfn = 0; pfn < managed_pfns; pfn++) {
        if (pfn % BITS_PER_WORD == 0 && !free_map[pfn / BITS_PER_WORD] &&
            pfn + BITS_PER_WORD <= managed_pfns) {
            run = 0;
            pfn += BITS_PER_WORD - 1;   /* a word with nothing free */
            continue;
        }
        run = bit_test(free_map, pfn) ? run + 1 : 0;
        if (run == n)
            break;
    }
    if (run < n)
        return INVALID_FRAME;
    pfn -= n - 1;
    for (i = 0; i < n; i++) {
        bit_assign(free_map, pfn + i, false);
        nr_free--;
    }
    for (i = 0; i < n; i++) {
        uint8_t *va = pfn_to_virt(pfn + i);

        if (!va || va != (uint8_t *)pfn_to_virt(pfn) + i * PAGE_SIZE)
            panic("mm: free pfn %#lx is not in the linear map", pfn + i);
        memset(va, 0, PAGE_SIZE);
    }
    return pfn;
}

void mm_free_pfns_run(uint64_t pfn, unsigned int n)
{
    unsigned int i;

    for (i = 0; i < n; i++)
        mm_free_pfn(pfn + i);
}

const char *mm_try_free_pfn(uint64_t pfn)
{
    if (pfn >= managed_pfns)
        return "out of range";
    if (bit_test(free_map, pfn))
        return "already free";
    if (bit_test(pt_map, pfn))
        return "still a page table";
    page_alloc_put(pfn);
    return NULL;
}

void mm_free_pfn(uint64_t pfn)
{
    const char *refused = mm_try_free_pfn(pfn);

    if (refused)
        printk("mm: ignoring free of pfn %#lx (%s)\n", pfn, refused);
}

uint64_t mm_free_pfns(void)
{
    return nr_free;
}

bool mm_pfn_is_pagetable(uint64_t pfn)
{
    return pfn < managed_pfns && bit_test(pt_map, pfn);
}

void mm_set_pagetable(uint64_t pfn, bool is_pt)
{
    if (pfn < managed_pfns)
        bit_assign(pt_map, pfn, is_pt);
}
