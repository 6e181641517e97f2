/* SPDX-License-Identifier: MIT */
/*
 * mmu_update_batch_bad_middle - invariant 1 (DESIGN.md 3), and a batch
 * never half-applies silently.
 *
 * Attack: one mmu_update of five MMU_NORMAL_PT_UPDATEs on the L1 entries of
 * scratch pages 1..5: entries 0, 1, 3, 4 make their page read-only (legal);
 * entry 2 maps page 3 onto the live L1 that holds these entries, writable.
 * Expected: rc -XEN_EBUSY (entry 2's error), *done = 2, pages 1 and 2
 * read-only, the entries of pages 3, 4 and 5 unchanged. Observed on Xen
 * 4.17 (4.17.7, dom0 in QEMU): rc -16, done 2, exactly entries 0 and 1
 * applied. Source: do_mmu_update() stops at the
 * first failing request ("if ( unlikely(rc) ) break;") and adds i, the
 * requests completed, to *pdone.
 */
#include "hostile.h"

#define N 5
#define BAD 2

const char *hostile_mmu_update_batch_bad_middle(void)
{
    struct mmu_update req[N];
    uint64_t before[N], after[N];
    unsigned long l1_mfn, va[N];
    unsigned int i, done = 0xdead;
    long rc;

    for (i = 0; i < N; i++) {
        va[i] = (unsigned long)hg_page(i + 1);
        ST_EXPECT(hg_walk(va[i], 1, &l1_mfn), "setup: no L1 entry for %#lx", va[i]);
        before[i] = hg_read_pte(va[i]);
        req[i].ptr = hg_pte_maddr(va[i]) | MMU_NORMAL_PT_UPDATE;
        req[i].val = before[i] & ~(uint64_t)_PAGE_RW;
    }
    hg_walk(va[BAD], 1, &l1_mfn);
    req[BAD].val = (l1_mfn << PAGE_SHIFT) | HG_PTE_FLAGS;
    rc = hg_mmu_update(req, N, &done, DOMID_SELF);
    for (i = 0; i < N; i++) {
        after[i] = hg_read_pte(va[i]);
        if (after[i] != before[i])
            hg_update_va_mapping(va[i], before[i], UVMF_INVLPG);
    }
    ST_EXPECT_RC(rc, -XEN_EBUSY);
    ST_EXPECT(done == BAD, "done = %u, want %u", done, BAD);
    for (i = 0; i < N; i++) {
        if (i < BAD)
            ST_EXPECT(after[i] == (before[i] & ~(uint64_t)_PAGE_RW),
                      "entry %u not applied: %#lx (was %#lx)", i, after[i], before[i]);
        else
            ST_EXPECT(after[i] == before[i], "entry %u changed: %#lx (was %#lx)",
                      i, after[i], before[i]);
    }
    return NULL;
}
