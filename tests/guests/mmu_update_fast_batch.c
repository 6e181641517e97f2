/* SPDX-License-Identifier: MIT */
/*
 * mmu_update_fast_batch - invariant 1 (DESIGN.md 3) on the common PTE
 * update, and a batch of them never half-applies silently.
 *
 * pvisor does an L1 entry whose new and old frames are writable RAM of the
 * caller's that keep other writable mappings on a path of its own, with the
 * L1 referenced once for a run of requests (arch/x86_64/mm.c,
 * l1e_update_fast()); this checks that path refuses what Xen refuses.
 * Attack: the L1 entries of scratch pages 3..7 are pointed at page 1's
 * frame, writable (a first batch), then one mmu_update of five requests
 * moves them to page 2's frame, writable (old and new frames both keep a
 * writable mapping: the common case), except request 2, which maps the
 * live L1 that holds its entry, writable.
 * Expected: the first batch done (rc 0, *done 5); the second rc
 * -XEN_EBUSY (request 2's error), *done = 2, pages 3 and 4 on page 2's
 * frame, pages 5, 6 and 7 still on page 1's. Observed on Xen 4.17
 * (4.17.7, dom0 in QEMU): exactly that (PASS), as for
 * mmu_update_batch_bad_middle: a writable mapping of a frame in use as a
 * page table is -EBUSY, and a batch stops at its first failing request.
 */
#include "hostile.h"

#define N 5
#define BAD 2
#define FIRST 3                     /* scratch pages FIRST..FIRST+N-1 */

const char *hostile_mmu_update_fast_batch(void)
{
    struct mmu_update req[N];
    uint64_t before[N], after[N], f1, f2;
    unsigned long l1_mfn = 0, va[N];
    unsigned int i, done1 = 0xdead, done2 = 0xdead;
    long rc1, rc2;

    f1 = hg_read_pte((unsigned long)hg_page(1)) & HG_ADDR_MASK;
    f2 = hg_read_pte((unsigned long)hg_page(2)) & HG_ADDR_MASK;
    for (i = 0; i < N; i++) {
        va[i] = (unsigned long)hg_page(FIRST + i);
        ST_EXPECT(hg_walk(va[i], 1, &l1_mfn), "setup: no L1 entry for %#lx", va[i]);
        before[i] = hg_read_pte(va[i]);
        req[i].ptr = hg_pte_maddr(va[i]) | MMU_NORMAL_PT_UPDATE;
        req[i].val = f1 | HG_PTE_FLAGS;
    }
    rc1 = hg_mmu_update(req, N, &done1, DOMID_SELF);
    for (i = 0; i < N; i++)
        req[i].val = f2 | HG_PTE_FLAGS;
    hg_walk(va[BAD], 1, &l1_mfn);
    req[BAD].val = (l1_mfn << PAGE_SHIFT) | HG_PTE_FLAGS;
    rc2 = hg_mmu_update(req, N, &done2, DOMID_SELF);
    for (i = 0; i < N; i++) {
        after[i] = hg_read_pte(va[i]);
        if (after[i] != before[i])
            hg_update_va_mapping(va[i], before[i], UVMF_INVLPG);
    }
    ST_EXPECT_RC(rc1, 0);
    ST_EXPECT(done1 == N, "first batch: done = %u, want %u", done1, N);
    ST_EXPECT_RC(rc2, -XEN_EBUSY);
    ST_EXPECT(done2 == BAD, "done = %u, want %u", done2, BAD);
    for (i = 0; i < N; i++) {
        uint64_t want = (i < BAD ? f2 : f1);
        ST_EXPECT((after[i] & HG_ADDR_MASK) == want && (after[i] & _PAGE_RW),
                  "entry %u: %#lx, want frame %#lx writable", i, after[i], want);
    }
    return NULL;
}
