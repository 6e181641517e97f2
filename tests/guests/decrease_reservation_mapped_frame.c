/* SPDX-License-Identifier: MIT */
/*
 * decrease_reservation_mapped_frame - invariant 4 (DESIGN.md 3): a frame
 * is freed only when its last reference goes.
 *
 * Attack: XENMEM_decrease_reservation of a scratch page our kernel still
 * maps (writable). The mapping is a reference, so the frame must not go
 * back to the allocator while it exists.
 * Expected: the decrease succeeds (1 extent done), the reservation does not
 * move, and the page still reads what we wrote. Observed on Xen 4.17
 * (4.17.7, dom0 in QEMU): decrease 1, current_reservation 65536 -> 65536,
 * contents intact. Source: guest_remove_page() drops only the allocation
 * reference (put_page_alloc_ref()); the frame stays allocated to us, and
 * counted in tot_pages, while the mapping holds it.
 * Undo: unmap the page (the last reference: the frame is freed), take a new
 * frame with increase_reservation, map it there, fix M2P and p2m.
 */
#include "hostile_balloon.h"

#define PATTERN 0x6b6b6b6b6b6b6b6bUL

const char *hostile_decrease_reservation_mapped_frame(void)
{
    volatile uint64_t *page = hg_page(0);
    unsigned long pfn = virt_to_pfn((const void *)page), mfn = pfn_to_mfn(pfn);
    long res0 = hg_current_reservation(), rc, res1;
    bool readable;

    page[0] = PATTERN;
    rc = hg_decrease_one(mfn);
    res1 = hg_current_reservation();
    /* The mapping still holds the frame: it must still be our page. */
    readable = page[0] == PATTERN;
    page[1] = PATTERN;
    printk("hostile: decrease rc %ld, reservation %ld -> %ld, still readable %d\n",
           rc, res0, res1, readable);
    if (rc == 1)
        ST_TRY(hg_refill((void *)page, pfn));
    ST_EXPECT(rc == 1, "decrease_reservation: rc %ld, want 1", rc);
    ST_EXPECT(res1 == res0, "reservation %ld -> %ld while the frame is mapped", res0, res1);
    ST_EXPECT(readable, "the mapped frame's contents changed");
    return NULL;
}
