/* SPDX-License-Identifier: MIT */
/*
 * map_pagetable_writable_update_va_mapping - invariant 1 (DESIGN.md 3): a
 * frame typed as a page table is never mapped writable by a guest.
 *
 * Attack: update_va_mapping of a scratch page to the live L1 table that
 * maps it, with _PAGE_RW; then the same with the live L4 (cr3).
 * Expected: -XEN_EBUSY both times, the entry unchanged. Observed on Xen
 * 4.17 (4.17.7, dom0 in QEMU): rc -16, -16. Source: do_update_va_mapping()
 * -> mod_l1_entry() -> get_page_from_l1e(), whose get_page_type(
 * PGT_writable_page) fails on a page-table frame: "could_not_pin", -EBUSY.
 */
#include "hostile.h"

const char *hostile_map_pagetable_writable_update_va_mapping(void)
{
    unsigned long va = (unsigned long)hg_page(0), l1_mfn;
    unsigned long l4_mfn = hg_read_cr3() >> PAGE_SHIFT;
    uint64_t *pte = hg_walk(va, 1, &l1_mfn), before;
    long rc1, rc4;

    ST_EXPECT(pte, "setup: no L1 entry for %#lx", va);
    before = *pte;
    rc1 = hg_update_va_mapping(va, (l1_mfn << PAGE_SHIFT) | HG_PTE_FLAGS, UVMF_INVLPG);
    rc4 = hg_update_va_mapping(va, (l4_mfn << PAGE_SHIFT) | HG_PTE_FLAGS, UVMF_INVLPG);
    if (*pte != before)
        hg_update_va_mapping(va, before, UVMF_INVLPG);
    ST_EXPECT(rc1 == -XEN_EBUSY, "L1 writable: rc %ld, want %d", rc1, -XEN_EBUSY);
    ST_EXPECT(rc4 == -XEN_EBUSY, "L4 writable: rc %ld, want %d", rc4, -XEN_EBUSY);
    ST_EXPECT(*pte == before, "pte %#lx changed to %#lx", before, *pte);
    return NULL;
}
