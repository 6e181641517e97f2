/* SPDX-License-Identifier: MIT */
/*
 * map_foreign_frame - invariant 2 (DESIGN.md 3): a guest maps only frames
 * it owns, or frames granted to it.
 *
 * dom0 is alone, so "another domain" is DOMID_XEN: the frames of the
 * machine-to-phys table, which Xen shares read-only with privileged
 * guests (XENMEM_machphys_mfn_list names them). Attack: map the first one
 * writable over a scratch page.
 * Expected: -XEN_EBUSY, the entry unchanged. Observed on Xen 4.17 (4.17.7,
 * dom0 in QEMU): rc -16. Source: get_page_from_l1e() lets a privileged
 * domain reference a DOMID_XEN frame (xsm_priv_mapping), but the frame is
 * shared SHARE_ro (type PGT_none, count 1), so get_page_type(
 * PGT_writable_page) fails: "could_not_pin", -EBUSY. (Read-only, Xen lets
 * dom0 map it: that is how the toolstack reads the M2P.)
 */
#include "hostile.h"

const char *hostile_map_foreign_frame(void)
{
    static xen_pfn_t m2p_mfns[4];
    struct xen_machphys_mfn_list list = { .max_extents = ARRAY_SIZE(m2p_mfns) };
    unsigned long va = (unsigned long)hg_page(0);
    uint64_t before = hg_read_pte(va), after;
    long rc;

    set_xen_guest_handle(list.extent_start, m2p_mfns);
    rc = hg_memory_op(XENMEM_machphys_mfn_list, &list);
    ST_EXPECT(rc == 0 && list.nr_extents >= 1,
              "setup: machphys_mfn_list rc %ld, %u extents", rc, list.nr_extents);
    ST_EXPECT(hg_mfn_to_pfn(m2p_mfns[0]) == ~0UL,
              "setup: M2P frame %#lx is in our p2m", (unsigned long)m2p_mfns[0]);
    rc = hg_update_va_mapping(va, (m2p_mfns[0] << PAGE_SHIFT) | HG_PTE_FLAGS, UVMF_INVLPG);
    after = hg_read_pte(va);
    if (after != before)
        hg_update_va_mapping(va, before, UVMF_INVLPG);
    ST_EXPECT_RC(rc, -XEN_EBUSY);
    ST_EXPECT(after == before, "pte %#lx changed to %#lx", before, after);
    return NULL;
}
