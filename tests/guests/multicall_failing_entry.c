/* SPDX-License-Identifier: MIT */
/*
 * multicall_failing_entry - invariant 1 (DESIGN.md 3) through a multicall,
 * and each entry's result reported as Xen reports it.
 *
 * Attack: one multicall of four entries: [0] update_va_mapping making
 * scratch page 1 read-only (legal), [1] update_va_mapping mapping scratch
 * page 2 onto its live L1 writable (refused), [2] update_va_mapping making
 * scratch page 3 read-only (legal), [3] xen_version(XENVER_version).
 * Expected: the multicall returns 0; results 0, -XEN_EBUSY, 0, and the
 * version; entries 0 and 2 applied, entry 1 not (a failing entry does not
 * stop the batch). Observed on Xen 4.17 (4.17.7, dom0 in QEMU): rc 0;
 * results 0, -16, 0, 0x40011.
 * Source: do_multicall() runs every entry and stores each return value in
 * its `result`; only a fault on the list itself ends it.
 */
#include "hostile.h"

const char *hostile_multicall_failing_entry(void)
{
    static struct multicall_entry mc[4];
    unsigned long va1 = (unsigned long)hg_page(1), va2 = (unsigned long)hg_page(2);
    unsigned long va3 = (unsigned long)hg_page(3), l1_mfn;
    uint64_t p1 = hg_read_pte(va1), p2 = hg_read_pte(va2), p3 = hg_read_pte(va3);
    uint64_t a1, a2, a3;
    long version = HYPERVISOR_xen_version(XENVER_version, NULL), rc;

    ST_EXPECT(hg_walk(va2, 1, &l1_mfn), "setup: no L1 entry for %#lx", va2);
    memset(mc, 0, sizeof(mc));
    mc[0] = (struct multicall_entry){ .op = __HYPERVISOR_update_va_mapping,
        .args = { va1, p1 & ~(uint64_t)_PAGE_RW, UVMF_INVLPG } };
    mc[1] = (struct multicall_entry){ .op = __HYPERVISOR_update_va_mapping,
        .args = { va2, (l1_mfn << PAGE_SHIFT) | HG_PTE_FLAGS, UVMF_INVLPG } };
    mc[2] = (struct multicall_entry){ .op = __HYPERVISOR_update_va_mapping,
        .args = { va3, p3 & ~(uint64_t)_PAGE_RW, UVMF_INVLPG } };
    mc[3] = (struct multicall_entry){ .op = __HYPERVISOR_xen_version,
        .args = { XENVER_version, 0 } };
    rc = hg_multicall(mc, 4);
    a1 = hg_read_pte(va1); a2 = hg_read_pte(va2); a3 = hg_read_pte(va3);
    if (a1 != p1) hg_update_va_mapping(va1, p1, UVMF_INVLPG);
    if (a2 != p2) hg_update_va_mapping(va2, p2, UVMF_INVLPG);
    if (a3 != p3) hg_update_va_mapping(va3, p3, UVMF_INVLPG);
    printk("hostile: multicall rc %ld, results %ld %ld %ld %#lx\n", rc,
           (long)mc[0].result, (long)mc[1].result, (long)mc[2].result, (long)mc[3].result);
    ST_EXPECT_RC(rc, 0);
    ST_EXPECT((long)mc[0].result == 0, "entry 0: result %ld, want 0", (long)mc[0].result);
    ST_EXPECT((long)mc[1].result == -XEN_EBUSY, "entry 1: result %ld, want %d",
              (long)mc[1].result, -XEN_EBUSY);
    ST_EXPECT((long)mc[2].result == 0, "entry 2: result %ld, want 0", (long)mc[2].result);
    ST_EXPECT((long)mc[3].result == version, "entry 3: result %#lx, want %#lx",
              (long)mc[3].result, version);
    ST_EXPECT(a1 == (p1 & ~(uint64_t)_PAGE_RW), "entry 0 not applied: %#lx", a1);
    ST_EXPECT(a2 == p2, "entry 1 applied: %#lx (was %#lx)", a2, p2);
    ST_EXPECT(a3 == (p3 & ~(uint64_t)_PAGE_RW), "entry 2 not applied: %#lx", a3);
    return NULL;
}
