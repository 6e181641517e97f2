/* SPDX-License-Identifier: MIT */
/*
 * map_frame_beyond_ram - invariant 2 (DESIGN.md 3): a guest maps only
 * frames it owns.
 *
 * Attack: map, over a scratch page, (a) the first frame past RAM
 * (XENMEM_maximum_ram_page) and (b) a frame past the machine's physical
 * address width (paddr 2^48).
 * Expected: (a) 0 - dom0 may map it - (b) -XEN_EPERM, entry unchanged.
 * Observed on Xen 4.17 (4.17.7, dom0 in QEMU, 512 MiB, max_page 0x1ffe0):
 * (a) rc 0, the entry became 0x1000001ffe007f (Xen added PCD|PWT: MMIO is
 * never mapped cacheable); (b) rc -1. Source: get_page_from_l1e(): a frame
 * that is not RAM (!mfn_valid) is MMIO, and dom0 may map any MMIO its
 * iomem capability covers (0 .. 2^paddr_bits, minus the APICs and the like);
 * beyond that iomem_access_permitted() fails: "non-privileged attempt to
 * map MMIO space", -EPERM. Xen's answer to (a) is not a refusal: a
 * hypervisor that refuses it differs from Xen for dom0 (a domU would get
 * -EPERM).
 */
#include "hostile.h"

#define BEYOND_PADDR_MFN (1UL << (48 - PAGE_SHIFT))

const char *hostile_map_frame_beyond_ram(void)
{
    unsigned long va = (unsigned long)hg_page(0);
    uint64_t before = hg_read_pte(va), after_a, after_b;
    long max_page = hg_memory_op(XENMEM_maximum_ram_page, NULL), rc_a, rc_b;

    ST_EXPECT(max_page > 0, "setup: maximum_ram_page = %ld", max_page);
    rc_a = hg_update_va_mapping(va, ((uint64_t)max_page << PAGE_SHIFT) | HG_PTE_FLAGS,
                                UVMF_INVLPG);
    after_a = hg_read_pte(va);
    if (after_a != before)
        hg_update_va_mapping(va, before, UVMF_INVLPG);
    rc_b = hg_update_va_mapping(va, (BEYOND_PADDR_MFN << PAGE_SHIFT) | HG_PTE_FLAGS,
                                UVMF_INVLPG);
    after_b = hg_read_pte(va);
    if (after_b != before)
        hg_update_va_mapping(va, before, UVMF_INVLPG);
    printk("hostile: max_page %#lx: rc %ld pte %#lx; mfn %#lx: rc %ld pte %#lx\n",
           max_page, rc_a, after_a, BEYOND_PADDR_MFN, rc_b, after_b);
    ST_EXPECT(rc_a == 0, "first frame past RAM: rc %ld, want 0", rc_a);
    ST_EXPECT(rc_b == -XEN_EPERM, "frame past paddr width: rc %ld, want %d", rc_b, -XEN_EPERM);
    ST_EXPECT(after_b == before, "pte %#lx changed to %#lx", before, after_b);
    return NULL;
}
