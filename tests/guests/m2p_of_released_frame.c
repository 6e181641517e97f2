/* SPDX-License-Identifier: MIT */
/*
 * m2p_of_released_frame - the M2P entry of a frame a domain gave back
 * while something still referenced it (issue 9, item 7).
 *
 * Attack: map a scratch page, XENMEM_decrease_reservation its frame (the
 * mapping keeps it alive), read the frame's M2P entry; then drop the
 * mapping (the last reference: the frame is freed) and read it again.
 * Expected, as observed on Xen 4.17.7 (dom0 in QEMU): while referenced
 * the entry keeps the pfn it had (guest_remove_page() does not touch the
 * M2P of a PV domain); once the frame is freed it reads INVALID_M2P_ENTRY
 * (free_heap_pages() clears it).
 * Undo: a new frame from increase_reservation mapped at the page, its
 * M2P and our p2m set.
 */
#include "hostile_balloon.h"
#include <pv/xen.h>

#define INVALID_M2P_ENTRY (~0UL)       /* Xen's: an M2P slot of no frame */

const char *hostile_m2p_of_released_frame(void)
{
    volatile uint64_t *page = hg_page(0);
    unsigned long va = (unsigned long)page;
    unsigned long pfn = virt_to_pfn((const void *)page), mfn = pfn_to_mfn(pfn);
    uint64_t pte = hg_read_pte(va), m2p_before, m2p_held, m2p_freed;
    long rc;

    page[0] = 1;
    m2p_before = mm_m2p_entry(mfn);
    rc = hg_decrease_one(mfn);
    m2p_held = mm_m2p_entry(mfn);
    ST_EXPECT_RC(hg_update_va_mapping(va, 0, UVMF_INVLPG), 0);  /* frees it */
    m2p_freed = mm_m2p_entry(mfn);
    printk("hostile: mfn %#lx pfn %#lx: m2p %#lx, after decrease %#lx (rc %ld), "
           "after the last reference %#lx\n", mfn, pfn, m2p_before, m2p_held, rc,
           m2p_freed);
    ST_EXPECT(rc == 1, "decrease_reservation: rc %ld, want 1", rc);
    ST_EXPECT(m2p_before == pfn, "setup: m2p %#lx, want pfn %#lx", m2p_before, pfn);
    ST_EXPECT(m2p_held == pfn, "m2p of the released, still mapped frame: %#lx, "
              "want its pfn %#lx (kept until the frame is freed)", m2p_held, pfn);
    ST_EXPECT(m2p_freed == INVALID_M2P_ENTRY, "m2p of the freed frame: %#lx, "
              "want INVALID_M2P_ENTRY", m2p_freed);
    return hg_refill_as((void *)page, pfn, pte);
}
