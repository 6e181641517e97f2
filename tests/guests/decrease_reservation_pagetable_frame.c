/* SPDX-License-Identifier: MIT */
/*
 * decrease_reservation_pagetable_frame - invariants 1 and 4 (DESIGN.md 3):
 * a page-table frame is freed only when its last reference goes.
 *
 * Attack: make a zeroed scratch page read-only, pin it as an L1 table, and
 * give it back with XENMEM_decrease_reservation while it is pinned.
 * Expected: the decrease succeeds (1 extent done) and the reservation does
 * not move; the frame is still ours and still pinned: a later UNPIN_TABLE
 * of it succeeds (0). Observed on Xen 4.17 (4.17.7, dom0 in QEMU):
 * decrease 1, current_reservation unchanged (65536 -> 65536), unpin 0.
 * Source: guest_remove_page() (4.17 no longer unpins) only drops the
 * allocation reference (put_page_alloc_ref()); the pin and our read-only
 * mapping still hold the frame, and it stays on the domain's list (and in
 * tot_pages) until the last of them goes.
 * Undo: unpin, unmap (the frame is freed), increase_reservation a new one,
 * map it writable at the page, fix M2P and p2m.
 */
#include "hostile_balloon.h"

const char *hostile_decrease_reservation_pagetable_frame(void)
{
    void *page = hg_page(0);
    unsigned long pfn = virt_to_pfn(page), mfn = pfn_to_mfn(pfn);
    long res0 = hg_current_reservation(), rc, res1, rc_unpin;

    memset(page, 0, PAGE_SIZE);
    ST_EXPECT_RC(hg_set_readonly(page), 0);
    ST_EXPECT_RC(hg_mmuext1(MMUEXT_PIN_L1_TABLE, mfn), 0);
    rc = hg_decrease_one(mfn);
    res1 = hg_current_reservation();
    rc_unpin = hg_mmuext1(MMUEXT_UNPIN_TABLE, mfn);
    printk("hostile: decrease rc %ld, reservation %ld -> %ld, unpin after %ld\n",
           rc, res0, res1, rc_unpin);
    if (rc == 1) {
        ST_TRY(hg_refill(page, pfn));
    } else {
        ST_EXPECT_RC(hg_set_writable(page), 0);
    }
    ST_EXPECT(rc == 1, "decrease_reservation: rc %ld, want 1", rc);
    ST_EXPECT(res1 == res0, "reservation %ld -> %ld while the frame is mapped", res0, res1);
    ST_EXPECT(rc_unpin == 0, "unpin after the decrease: rc %ld, want 0", rc_unpin);
    return NULL;
}
