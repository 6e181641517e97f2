/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile_balloon.c - decrease one frame, refill the page.
 * Owns:    hg_decrease_one(), hg_refill() (hostile_balloon.h).
 * Touches: our p2m (xen_p2m_set()), the M2P through MMU_MACHPHYS_UPDATE.
 */
#include "hostile_balloon.h"
#include <pv/xen.h>

long hg_decrease_one(unsigned long mfn)
{
    xen_pfn_t frame = mfn;

    return hg_reservation_op(XENMEM_decrease_reservation, &frame, 1, 0);
}

const char *hg_refill(void *va, unsigned long pfn)
{
    return hg_refill_as(va, pfn, hg_read_pte((unsigned long)va));
}

const char *hg_refill_as(void *va, unsigned long pfn, uint64_t pte)
{
    xen_pfn_t frame = 0;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    struct mmu_update m2p;

    ST_EXPECT_RC(hg_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG), 0);
    set_xen_guest_handle(r.extent_start, &frame);
    ST_EXPECT_RC(hg_memory_op(XENMEM_increase_reservation, &r), 1);
    ST_EXPECT_RC(hg_update_va_mapping((unsigned long)va,
                                      ((uint64_t)frame << PAGE_SHIFT) |
                                      (pte & ~HG_ADDR_MASK) | _PAGE_RW,
                                      UVMF_INVLPG), 0);
    m2p.ptr = ((uint64_t)frame << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
    m2p.val = pfn;
    ST_EXPECT_RC(hg_mmu_update(&m2p, 1, NULL, DOMID_SELF), 0);
    xen_p2m_set(pfn, frame);
    memset(va, 0, PAGE_SIZE);
    return NULL;
}
