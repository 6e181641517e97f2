/* SPDX-License-Identifier: MIT */
/*
 * exchange_duplicate_frames - invariant 4 (DESIGN.md 3): a frame is freed
 * only with its last reference, and only once.
 *
 * Attack: XENMEM_exchange of a chunk whose input list names the same frame
 * A twice: in = 2 extents of order 0, both A; out = 1 extent of order 1.
 * A is one of our pages, unmapped first so that the allocation reference
 * is its only one (otherwise the first copy is refused already and the
 * duplicate is never looked at).
 * Expected: the exchange fails without exchanging anything, and A is still
 * ours: it maps again, reads what we wrote, its M2P entry still names our
 * pfn, and current_reservation has not moved. Observed on Xen 4.17
 * (4.17.7, dom0 in QEMU): rc -EINVAL (-22), nr_exchanged 0, A maps again
 * and reads back intact, reservation 65536 -> 65536. Source: common/memory.c
 * memory_exchange() steals the chunk's input frames one by one with
 * steal_page() (x86/mm.c), which needs exactly PGC_allocated plus its own
 * reference; the first copy takes A's count to 0 and its owner away, so
 * for the second page_get_owner_and_reference() finds no owner: -EINVAL,
 * "goto fail", A is assigned back (MEMF_no_refcount: tot_pages unchanged)
 * and nr_exchanged = i << in_chunk_order = 0.
 * Undo: map A back at its direct-map address. (Should the exchange
 * succeed, its two new frames are given back and the page refilled.)
 */
#include "hostile_balloon.h"

#define PATTERN 0x5a5a5a5a5a5a5a5aUL

const char *hostile_exchange_duplicate_frames(void)
{
    volatile uint64_t *page = hg_page(1);
    unsigned long pfn = virt_to_pfn((const void *)page), a = pfn_to_mfn(pfn);
    uint64_t pte = hg_read_pte((unsigned long)page);
    xen_pfn_t in_list[2] = { a, a }, out_list[1] = { pfn };
    struct xen_memory_exchange x = {
        .in  = { .nr_extents = 2, .extent_order = 0, .domid = DOMID_SELF },
        .out = { .nr_extents = 1, .extent_order = 1, .domid = DOMID_SELF },
    };
    long res0 = hg_current_reservation(), rc, remap, res1;
    uint64_t m2p;
    bool intact;

    set_xen_guest_handle(x.in.extent_start, in_list);
    set_xen_guest_handle(x.out.extent_start, out_list);
    page[0] = PATTERN;
    page[511] = ~PATTERN;
    ST_EXPECT_RC(hg_update_va_mapping((unsigned long)page, 0, UVMF_INVLPG), 0);

    rc = hg_memory_op(XENMEM_exchange, &x);

    /* Undo: A back where it was (this fails if A is no longer ours). */
    remap = hg_update_va_mapping((unsigned long)page, pte, UVMF_INVLPG);
    intact = remap == 0 && page[0] == PATTERN && page[511] == ~PATTERN;
    m2p = mm_m2p_entry(a);
    res1 = hg_current_reservation();
    printk("hostile: exchange rc %ld, nr_exchanged %lu, remap A %ld, intact %d, "
           "m2p[A] %#lx (pfn %#lx), reservation %ld -> %ld\n", rc,
           (unsigned long)x.nr_exchanged, remap, intact, (unsigned long)m2p, pfn,
           res0, res1);
    if (rc == 0) {
        /* Not Xen's answer: return the order-1 extent we were given. */
        struct xen_memory_reservation r = {
            .nr_extents = 1, .extent_order = 1, .domid = DOMID_SELF,
        };

        set_xen_guest_handle(r.extent_start, out_list);
        printk("hostile: the exchange succeeded; giving back %#lx (order 1): %ld\n",
               (unsigned long)out_list[0], hg_memory_op(XENMEM_decrease_reservation, &r));
    }
    if (remap) {
        /* hg_refill() takes the flags from the PTE there: a stand-in,
         * scratch page 5 read-only. */
        ST_EXPECT_RC(hg_update_va_mapping((unsigned long)page,
                                          (hg_virt_to_mfn(hg_page(5)) << PAGE_SHIFT) |
                                          (pte & ~HG_ADDR_MASK & ~(uint64_t)_PAGE_RW),
                                          UVMF_INVLPG), 0);
        ST_TRY(hg_refill((void *)page, pfn));
    }
    ST_EXPECT(rc == -XEN_EINVAL, "exchange: rc %ld, want %d", rc, -XEN_EINVAL);
    ST_EXPECT(x.nr_exchanged == 0, "nr_exchanged %lu, want 0",
              (unsigned long)x.nr_exchanged);
    ST_EXPECT(remap == 0, "A is no longer ours: mapping it back gave %ld", remap);
    ST_EXPECT(intact, "A's contents changed");
    ST_EXPECT(m2p == pfn, "m2p[A] %#lx, want pfn %#lx", (unsigned long)m2p, pfn);
    ST_EXPECT(res1 == res0, "reservation %ld -> %ld", res0, res1);
    return NULL;
}
