/* SPDX-License-Identifier: MIT */
/*
 * pin_table_twice - invariant 4 (DESIGN.md 3): references are counted
 * exactly; a second pin must not take a second pin reference (or the
 * table could never be freed).
 *
 * Attack: make a zeroed scratch page read-only, pin it as an L1 (legal),
 * pin it again as an L1, then as an L2; unpin once; unpin again.
 * Expected: first pin 0; second pin -XEN_EINVAL; pin as L2 -XEN_EINVAL;
 * first unpin 0; second unpin -XEN_EINVAL; after that the page can be made
 * writable again (so no reference was left behind). Observed on Xen 4.17
 * (4.17.7, dom0 in QEMU): 0, -22, -22, 0, -22, then 0. Source: do_mmuext_op() pin_page:
 * test_and_set_bit(_PGT_pinned) already set -> "Mfn already pinned",
 * -EINVAL (the extra type reference is dropped); UNPIN_TABLE of an unpinned
 * frame -> "mfn not pinned", -EINVAL.
 */
#include "hostile.h"

const char *hostile_pin_table_twice(void)
{
    void *page = hg_page(0);
    unsigned long mfn = hg_virt_to_mfn(page);
    long rc_pin1, rc_pin2, rc_pin_l2, rc_unpin1, rc_unpin2, rc_rw;

    memset(page, 0, PAGE_SIZE);
    ST_EXPECT_RC(hg_set_readonly(page), 0);
    rc_pin1 = hg_mmuext1(MMUEXT_PIN_L1_TABLE, mfn);
    rc_pin2 = hg_mmuext1(MMUEXT_PIN_L1_TABLE, mfn);
    rc_pin_l2 = hg_mmuext1(MMUEXT_PIN_L2_TABLE, mfn);
    rc_unpin1 = hg_mmuext1(MMUEXT_UNPIN_TABLE, mfn);
    rc_unpin2 = hg_mmuext1(MMUEXT_UNPIN_TABLE, mfn);
    rc_rw = hg_set_writable(page);
    printk("hostile: pin %ld, pin %ld, pin L2 %ld, unpin %ld, unpin %ld, rw %ld\n",
           rc_pin1, rc_pin2, rc_pin_l2, rc_unpin1, rc_unpin2, rc_rw);
    ST_EXPECT(rc_pin1 == 0, "setup: first pin rc %ld", rc_pin1);
    ST_EXPECT(rc_pin2 == -XEN_EINVAL, "second pin: rc %ld, want %d", rc_pin2, -XEN_EINVAL);
    ST_EXPECT(rc_pin_l2 == -XEN_EINVAL, "pin as L2: rc %ld, want %d", rc_pin_l2, -XEN_EINVAL);
    ST_EXPECT(rc_unpin1 == 0, "first unpin: rc %ld, want 0", rc_unpin1);
    ST_EXPECT(rc_unpin2 == -XEN_EINVAL, "second unpin: rc %ld, want %d", rc_unpin2, -XEN_EINVAL);
    ST_EXPECT(rc_rw == 0, "making the page writable again: rc %ld (a reference leaked)", rc_rw);
    return NULL;
}
