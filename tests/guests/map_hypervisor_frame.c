/* SPDX-License-Identifier: MIT */
/*
 * map_hypervisor_frame - invariants 2 and 3 (DESIGN.md 3): a guest maps
 * only frames it owns; nothing of the hypervisor is reachable.
 *
 * Attack: read our L4's slot 256 (the hypervisor fills it: the read-only
 * M2P), take the frame it points at - the hypervisor's own L3 table, owned
 * by no domain - and map it read-only over a scratch page.
 * Expected: -XEN_EBUSY, the entry unchanged. Observed on Xen 4.17 (4.17.7,
 * dom0 in QEMU): rc -16. Source: get_page_from_l1e(): the frame is RAM
 * (mfn_valid) with no owner, page_get_owner_and_reference() gives NULL,
 * real_pg_owner != pg_owner -> "could_not_pin" -> -EBUSY, even read-only.
 */
#include "hostile.h"

const char *hostile_map_hypervisor_frame(void)
{
    uint64_t *l4 = hg_mfn_to_virt(hg_read_cr3() >> PAGE_SHIFT);
    unsigned long va = (unsigned long)hg_page(0), hv_mfn;
    uint64_t before = hg_read_pte(va), after;
    long rc;

    ST_EXPECT(l4, "setup: cr3 frame is not ours");
    ST_EXPECT(l4[HG_L4_HV_FIRST] & _PAGE_PRESENT, "setup: L4 slot 256 empty (%#lx)",
              (unsigned long)l4[HG_L4_HV_FIRST]);
    hv_mfn = hg_pte_mfn(l4[HG_L4_HV_FIRST]);
    ST_EXPECT(hg_mfn_to_pfn(hv_mfn) == ~0UL, "setup: frame %#lx is ours", hv_mfn);
    rc = hg_update_va_mapping(va, (hv_mfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED,
                              UVMF_INVLPG);
    after = hg_read_pte(va);
    if (after != before)
        hg_update_va_mapping(va, before, UVMF_INVLPG);
    ST_EXPECT_RC(rc, -XEN_EBUSY);
    ST_EXPECT(after == before, "pte %#lx changed to %#lx", before, after);
    return NULL;
}
