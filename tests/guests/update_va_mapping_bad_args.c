/* SPDX-License-Identifier: MIT */
/*
 * update_va_mapping_bad_args - invariants 2 and 3 (DESIGN.md 3) at
 * update_va_mapping's door: bad addresses, PTE bits and flags.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU) and
 * where in __do_update_va_mapping() it comes from:
 *  - va in the hypervisor's range (0xffff800000000000): -EINVAL (!access_ok);
 *  - va non-canonical (0x0000800000000000): -EINVAL (!access_ok);
 *  - va with no L1 (0xdeadb000, nothing in L4 slot 0): -EINVAL
 *    (guest_map_l1e() finds no L1);
 *  - another frame of ours (scratch page 1) with the available high bit
 *    53 set: 0, applied - not an attack on Xen: for dom0, L1 entries may
 *    carry AVAIL, AVAIL_HIGH, NX, GLOBAL and the cache bits
 *    (l1_disallow_mask() is nearly empty for a domain with iomem caps);
 *  - the SAME frame as now, with bit 53 set: 0, applied (mod_l1_entry()'s
 *    fast path). Note that Xen itself keeps bit 52 (_PAGE_GUEST_KERNEL)
 *    set in a PV kernel's mappings: entries read back with it;
 *  - a legal update with UVMF_MULTI and an unmapped vCPU mask: -EFAULT,
 *    but the PTE IS updated (the mask is read after mod_l1_entry());
 *  - flags with both flush types (UVMF_FLUSHTYPE_MASK = 3): 0, applied.
 */
#include "hostile.h"

#define NONCANONICAL_VA 0x0000800000000000UL
#define HV_VA           0xffff800000000000UL

const char *hostile_update_va_mapping_bad_args(void)
{
    static struct hg_cases c;
    unsigned long va = (unsigned long)hg_page(0);
    uint64_t before = hg_read_pte(va), ro = before & ~(uint64_t)_PAGE_RW;

    ST_EXPECT(before & _PAGE_PRESENT, "setup: scratch page not mapped");
    hg_case(&c, "va in hypervisor range", hg_update_va_mapping(HV_VA, before, UVMF_INVLPG),
            -XEN_EINVAL);
    hg_case(&c, "va non-canonical",
            hg_update_va_mapping(NONCANONICAL_VA, before, UVMF_INVLPG), -XEN_EINVAL);
    hg_case(&c, "va with no L1", hg_update_va_mapping(ST_UNMAPPED_VA, before, UVMF_INVLPG),
            -XEN_EINVAL);
    hg_case(&c, "new frame, pte bit 53",
            hg_update_va_mapping(va, (hg_virt_to_mfn(hg_page(1)) << PAGE_SHIFT) |
                                 _PAGE_PRESENT | _PAGE_ACCESSED | (1UL << 53), UVMF_INVLPG),
            0);
    hg_case(&c, "new frame, pte bit 53: applied",
            hg_pte_mfn(hg_read_pte(va)) == hg_virt_to_mfn(hg_page(1)) &&
            (hg_read_pte(va) & (1UL << 53)), 1);
    hg_update_va_mapping(va, before, UVMF_INVLPG);
    hg_case(&c, "pte back", hg_read_pte(va) == before, 1);
    hg_case(&c, "same frame, pte bit 53",
            hg_update_va_mapping(va, before | (1UL << 53), UVMF_INVLPG), 0);
    hg_case(&c, "same frame, pte bit 53: applied", hg_read_pte(va) == (before | (1UL << 53)), 1);
    hg_update_va_mapping(va, before, UVMF_INVLPG);
    hg_case(&c, "pte back", hg_read_pte(va) == before, 1);

    hg_case(&c, "UVMF_MULTI, vcpumask unmapped",
            hg_update_va_mapping(va, ro, UVMF_INVLPG | UVMF_MULTI | ST_UNMAPPED_VA),
            -XEN_EFAULT);
    hg_case(&c, "UVMF_MULTI, vcpumask unmapped: pte applied", hg_read_pte(va) == ro, 1);
    hg_update_va_mapping(va, before, UVMF_INVLPG);

    hg_case(&c, "flush type 3", hg_update_va_mapping(va, ro, UVMF_FLUSHTYPE_MASK), 0);
    hg_case(&c, "flush type 3: pte applied", hg_read_pte(va) == ro, 1);
    hg_update_va_mapping(va, before, UVMF_INVLPG);
    hg_case(&c, "pte restored", hg_read_pte(va) == before, 1);
    return hg_cases_verdict(&c);
}
