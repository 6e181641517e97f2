/* SPDX-License-Identifier: MIT */
/*
 * map_pagetable_writable_mmu_update - invariant 1 (DESIGN.md 3): a frame
 * typed as a page table is never mapped writable by a guest.
 *
 * Attack: one MMU_NORMAL_PT_UPDATE that points the L1 entry of a scratch
 * page at the live L1 table holding that very entry, with _PAGE_RW.
 * Expected: -XEN_EBUSY, done = 0, the entry unchanged. Observed on Xen 4.17
 * (4.17.7, dom0 in QEMU): rc -16. Source: get_page_from_l1e() fails
 * get_page_type(PGT_writable_page) on an L1-typed frame and returns -EBUSY
 * ("could_not_pin"), which do_mmu_update() passes back; done counts the
 * entries before the failing one.
 */
#include "hostile.h"

const char *hostile_map_pagetable_writable_mmu_update(void)
{
    unsigned long va = (unsigned long)hg_page(0), l1_mfn;
    uint64_t *pte = hg_walk(va, 1, &l1_mfn), before;
    struct mmu_update req;
    unsigned int done = 0xdead;
    long rc;

    ST_EXPECT(pte, "setup: no L1 entry for %#lx", va);
    before = *pte;
    req.ptr = hg_pte_maddr(va) | MMU_NORMAL_PT_UPDATE;
    req.val = (l1_mfn << PAGE_SHIFT) | HG_PTE_FLAGS;
    rc = hg_mmu_update(&req, 1, &done, DOMID_SELF);
    if (*pte != before)     /* undo first: never leave the alias behind */
        hg_update_va_mapping(va, before, UVMF_INVLPG);
    ST_EXPECT_RC(rc, -XEN_EBUSY);
    ST_EXPECT(done == 0, "done = %u, want 0", done);
    ST_EXPECT(*pte == before, "pte %#lx changed to %#lx", before, *pte);
    return NULL;
}
