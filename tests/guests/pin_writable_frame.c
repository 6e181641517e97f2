/* SPDX-License-Identifier: MIT */
/*
 * pin_writable_frame - invariant 1 (DESIGN.md 3): a frame typed as a page
 * table is never mapped writable; so a frame mapped writable cannot become
 * one.
 *
 * Attack: MMUEXT_PIN_L1_TABLE (then L2, L3, L4) of a zeroed scratch page
 * that our kernel mapping still maps writable.
 * Expected: -XEN_EINVAL for each level, done = 0, and the frame stays
 * unpinned (UNPIN_TABLE of it: -XEN_EINVAL). Observed on Xen 4.17 (4.17.7,
 * dom0 in QEMU): -22 at each level, done 0; unpin -22. Source: do_mmuext_op() pin_page:
 * get_page_and_type_from_mfn() -> _get_page_type() sees a PGT_writable_page
 * frame with a type count: the type cannot change.
 */
#include "hostile.h"

const char *hostile_pin_writable_frame(void)
{
    void *page = hg_page(0);
    unsigned long mfn = hg_virt_to_mfn(page);
    unsigned int level;

    memset(page, 0, PAGE_SIZE);
    for (level = 1; level <= 4; level++) {
        struct mmuext_op op = { .cmd = MMUEXT_PIN_L1_TABLE + level - 1, .arg1.mfn = mfn };
        unsigned int done = 0xdead;
        long rc = hg_mmuext_op(&op, 1, &done, DOMID_SELF);

        if (rc == 0)
            hg_mmuext1(MMUEXT_UNPIN_TABLE, mfn);
        ST_EXPECT(rc == -XEN_EINVAL, "pin as L%u: rc %ld, want %d", level, rc, -XEN_EINVAL);
        ST_EXPECT(done == 0, "pin as L%u: done %u, want 0", level, done);
    }
    ST_EXPECT_RC(hg_mmuext1(MMUEXT_UNPIN_TABLE, mfn), -XEN_EINVAL);
    /* Still an ordinary writable page. */
    *(volatile uint64_t *)page = 0x5a5a;
    ST_EXPECT(*(volatile uint64_t *)page == 0x5a5a, "page no longer writable");
    *(volatile uint64_t *)page = 0;
    return NULL;
}
