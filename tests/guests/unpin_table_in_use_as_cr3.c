/* SPDX-License-Identifier: MIT */
/*
 * unpin_table_in_use_as_cr3 - invariant 4 (DESIGN.md 3): a frame is freed
 * (here: loses its page-table type) only when its last reference goes.
 *
 * Attack: build an L4 of our own (a copy of the guest slots of the live
 * L4), pin it, switch to it with NEW_BASEPTR, then UNPIN_TABLE it while it
 * is cr3. The pin was not the last reference: cr3 holds one.
 * Expected: the unpin succeeds (0) - Xen does not refuse it - but the frame
 * stays a validated L4 while it is cr3: we keep running on it, and mapping
 * it writable is refused (-XEN_EBUSY). After NEW_BASEPTR back to the old L4
 * the last type reference is gone and the page can be made writable (0).
 * Observed on Xen 4.17 (4.17.7, dom0 in QEMU): unpin 0, cr3
 * still the new L4, writable map of it -16, NEW_BASEPTR back 0, then 0. Source: do_mmuext_op()
 * MMUEXT_UNPIN_TABLE only clears _PGT_pinned and drops the pin's type
 * reference; v->arch.guest_table holds its own (new_guest_cr3()).
 */
#include "hostile.h"

const char *hostile_unpin_table_in_use_as_cr3(void)
{
    uint64_t *new_l4 = hg_page(0);
    unsigned long old_mfn = hg_read_cr3() >> PAGE_SHIFT;
    unsigned long new_mfn = hg_virt_to_mfn(new_l4);
    const uint64_t *old_l4 = hg_mfn_to_virt(old_mfn);
    long rc_unpin, rc_rw_in_use, rc_back, rc_unpin2 = 0, rc_rw;
    unsigned long cr3_after;
    unsigned int i;

    ST_EXPECT(old_l4, "setup: cr3 frame is not ours");
    for (i = 0; i < 512; i++)
        new_l4[i] = (i >= HG_L4_HV_FIRST && i <= HG_L4_HV_LAST) ? 0 : old_l4[i];
    ST_EXPECT_RC(hg_set_readonly(new_l4), 0);
    ST_EXPECT_RC(hg_mmuext1(MMUEXT_PIN_L4_TABLE, new_mfn), 0);
    ST_EXPECT_RC(hg_mmuext1(MMUEXT_NEW_BASEPTR, new_mfn), 0);

    rc_unpin = hg_mmuext1(MMUEXT_UNPIN_TABLE, new_mfn);
    cr3_after = hg_read_cr3() >> PAGE_SHIFT;
    /* Still running on it: touch the stack, the pool, the console. */
    ((volatile uint8_t *)hg_page(1))[0] = 1;
    rc_rw_in_use = hg_set_writable(new_l4);

    rc_back = hg_mmuext1(MMUEXT_NEW_BASEPTR, old_mfn);
    if (rc_unpin)
        rc_unpin2 = hg_mmuext1(MMUEXT_UNPIN_TABLE, new_mfn);
    rc_rw = hg_set_writable(new_l4);
    printk("hostile: unpin %ld, cr3 %#lx (new %#lx), rw in use %ld, back %ld, rw %ld\n",
           rc_unpin, cr3_after, new_mfn, rc_rw_in_use, rc_back, rc_rw);
    ST_EXPECT(rc_unpin == 0, "unpin of cr3: rc %ld, want 0", rc_unpin);
    ST_EXPECT(cr3_after == new_mfn, "cr3 %#lx after the unpin, want %#lx", cr3_after, new_mfn);
    ST_EXPECT(rc_rw_in_use == -XEN_EBUSY, "writable map of the unpinned cr3: rc %ld, want %d",
              rc_rw_in_use, -XEN_EBUSY);
    ST_EXPECT(rc_back == 0, "NEW_BASEPTR back: rc %ld", rc_back);
    ST_EXPECT(rc_unpin2 == 0, "cleanup unpin: rc %ld", rc_unpin2);
    ST_EXPECT(rc_rw == 0, "page still typed after its last use: rc %ld", rc_rw);
    return NULL;
}
