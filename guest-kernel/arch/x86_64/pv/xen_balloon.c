/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_balloon.c - the balloon driver: give memory back to the
 *                    hypervisor and take it again (boot word balloon=SIZE).
 * Owns:    the list of ballooned pfns while a round is under way.
 * Touches: the allocator (takes pages out, puts them back), the direct map
 *          (unmaps, remaps), the p2m; hypercalls memory_op
 *          (current_reservation, decrease_reservation, increase_reservation,
 *          populate_physmap) and mmu_update (PTEs, MMU_MACHPHYS_UPDATE).
 * ABI:     abi/xen/memory.h.
 *
 * Giving a page back (Linux's drivers/xen/balloon.c does the same):
 *   1. take it from the allocator, so nobody else uses it;
 *   2. unmap it (a frame still mapped cannot be freed: the hypervisor
 *      holds a reference for each mapping), flush the TLB;
 *   3. decrease_reservation with its machine frame (a PV guest names
 *      frames by mfn), then mark its p2m entry empty.
 * Taking it back, in 512-page rounds alternating between the two calls:
 *   increase_reservation returns new mfns; the kernel writes p2m, M2P
 *   (MMU_MACHPHYS_UPDATE) and the direct-map PTE itself;
 *   populate_physmap takes the pfns and returns the mfns, and the
 *   hypervisor writes the M2P (checked here).
 * Both must leave current_reservation exactly where it started.
 */
#include <kernel.h>
#include <mm.h>
#include <asm/page.h>
#include <asm/pvops.h>
#include "hypercall.h"
#include "xen.h"

#define BALLOON_CHUNK     PT_ENTRIES     /* pages per hypercall */
#define BALLOON_MAX_CHUNKS 64            /* 64 x 512 pages = 128 MiB */
#define BALLOON_PROBE     0x5a5a5a5a5a5a5a5aUL
#define PTE_KERNEL_RW (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)

struct chunk {
    uint64_t *pfns;                 /* a page of pfns, from the allocator */
    unsigned int n;
};

static struct chunk chunks[BALLOON_MAX_CHUNKS];
static xen_pfn_t frames[BALLOON_CHUNK];
static struct mmu_update updates[2 * BALLOON_CHUNK];

static long reservation(void)
{
    struct xen_memory_domain d = { .domid = DOMID_SELF };

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &d);
}

static long memory_op_extents(unsigned int cmd, xen_pfn_t *list, unsigned int n)
{
    struct xen_memory_reservation r = {
        .nr_extents = n, .extent_order = 0, .mem_flags = 0, .domid = DOMID_SELF,
    };

    set_xen_guest_handle(r.extent_start, list);
    return HYPERVISOR_memory_op(cmd, &r);
}

/* Steps 1-3 for up to one chunk of pages; 0 or why not. */
static const char *give_back(struct chunk *c, unsigned int want)
{
    unsigned int i;
    long rc;

    for (c->n = 0; c->n < want; c->n++) {
        uint64_t pfn = page_alloc_take();

        if (pfn == INVALID_FRAME)
            return "allocator empty";
        c->pfns[c->n] = pfn;
        frames[c->n] = pfn_to_mfn(pfn);
        updates[c->n] = (struct mmu_update){
            mm_pte_maddr((uint64_t)pfn_to_virt(pfn)) | MMU_NORMAL_PT_UPDATE, 0 };
    }
    rc = HYPERVISOR_mmu_update(updates, c->n, NULL, DOMID_SELF);
    if (rc || pv_ops.flush_tlb_local())
        return "unmapping failed";
    rc = memory_op_extents(XENMEM_decrease_reservation, frames, c->n);
    if (rc != (long)c->n) {
        printk("balloon: decrease_reservation(%u) = %ld\n", c->n, rc);
        return "decrease_reservation";
    }
    for (i = 0; i < c->n; i++)
        xen_p2m_set(c->pfns[i], INVALID_FRAME);
    return NULL;
}

/* Take one chunk back: with increase_reservation, or populate_physmap. */
static const char *take_back(struct chunk *c, bool populate)
{
    unsigned int i, n = 0;
    long rc;

    for (i = 0; i < c->n; i++)
        frames[i] = populate ? c->pfns[i] : 0;
    rc = memory_op_extents(populate ? XENMEM_populate_physmap
                                    : XENMEM_increase_reservation, frames, c->n);
    if (rc != (long)c->n) {
        printk("balloon: %s(%u) = %ld\n", populate ? "populate_physmap"
               : "increase_reservation", c->n, rc);
        return "reservation not taken back";
    }
    for (i = 0; i < c->n; i++) {
        uint64_t pfn = c->pfns[i], mfn = frames[i];

        xen_p2m_set(pfn, mfn);
        if (!populate)
            updates[n++] = (struct mmu_update){
                (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn };
        updates[n++] = (struct mmu_update){
            mm_pte_maddr((uint64_t)pfn_to_virt(pfn)) | MMU_NORMAL_PT_UPDATE,
            (mfn << PAGE_SHIFT) | PTE_KERNEL_RW };
    }
    rc = HYPERVISOR_mmu_update(updates, n, NULL, DOMID_SELF);
    if (rc) {
        printk("balloon: remapping: mmu_update = %ld\n", rc);
        return "remapping failed";
    }
    for (i = 0; i < c->n; i++) {
        volatile uint64_t *p = pfn_to_virt(c->pfns[i]);

        if (mfn_to_pfn(frames[i]) != c->pfns[i])
            return populate ? "populate_physmap left the M2P stale"
                            : "MMU_MACHPHYS_UPDATE not seen in the M2P";
        *p = BALLOON_PROBE;
        if (*p != BALLOON_PROBE)
            return "page not writable after remapping";
        page_alloc_put(c->pfns[i]);
    }
    return NULL;
}

static const char *balloon_round(uint64_t pages, long start)
{
    unsigned int nc = (pages + BALLOON_CHUNK - 1) / BALLOON_CHUNK, i;
    uint64_t left = pages;
    const char *why = NULL;
    long now;

    for (i = 0; i < nc; i++) {
        uint64_t pfn = mm_alloc_pfn();

        if (pfn == INVALID_FRAME)
            return "no page for the balloon's lists";
        chunks[i].pfns = pfn_to_virt(pfn);
    }
    for (i = 0; i < nc; i++) {
        why = give_back(&chunks[i], MIN(left, (uint64_t)BALLOON_CHUNK));
        if (why)
            return why;
        left -= chunks[i].n;
    }
    now = reservation();
    printk("balloon: gave back %lu KiB: current_reservation %ld -> %ld pages\n",
           pages << (PAGE_SHIFT - 10), start, now);
    if (now != start - (long)pages)
        return "current_reservation did not drop by the pages given";
    for (i = 0; i < nc && !why; i++)
        why = take_back(&chunks[i], i % 2);
    if (why)
        return why;
    now = reservation();
    printk("balloon: took back %lu KiB (increase_reservation, populate_physmap): "
           "current_reservation %ld pages\n", pages << (PAGE_SHIFT - 10), now);
    if (now != start)
        return "current_reservation not back where it started";
    for (i = 0; i < nc; i++)
        mm_free_pfn(virt_to_pfn(chunks[i].pfns));
    return NULL;
}

int balloon_run(uint64_t bytes)
{
    uint64_t pages = bytes >> PAGE_SHIFT;
    long start = reservation();
    const char *why;

    if (!mm_own_page_tables())
        why = "needs the kernel's own page tables (not mm=boot)";
    else if (!pages || pages > (uint64_t)BALLOON_MAX_CHUNKS * BALLOON_CHUNK)
        why = "size out of range (4 KiB .. 128 MiB)";
    else if (start < 0)
        why = "current_reservation failed";
    else
        why = balloon_round(pages, start);
    if (why) {
        printk("balloon: %lu KiB ... FAILED (%s)\n", bytes >> 10, why);
        return 1;
    }
    printk("balloon: %lu KiB ... ok\n", bytes >> 10);
    return 0;
}
