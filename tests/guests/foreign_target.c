/* SPDX-License-Identifier: MIT */
/*
 * foreign_target - the domain foreign_ops builds in: it gives
 * FT_PAGES of its reservation back (so that a domain builder has room to
 * populate frames for it under its max_pages), waits FT_WAIT_MS of system
 * time yielding the CPU, then takes as many frames back. Run as a boot
 * domU beside dom0's foreign_ops (tests/boot/meson.build,
 * domus-foreign-ops); alone (as dom0, or on Xen 4.17) it just balloons
 * down and up again.
 * Expected: every step 0 (or 1 extent), and the reservation back where it
 * was (hostile_run() checks). Observed on Xen 4.17 (4.17.7 as dom0 in
 * QEMU): PASS.
 */
#include "hostile_balloon.h"
#include "hostile_time.h"

#define FT_PAGES   4
#define FT_WAIT_MS 4000

const char *hostile_foreign_target(void)
{
    unsigned long pfn[FT_PAGES];
    uint64_t pte[FT_PAGES], until;
    const char *why;
    long rc;

    for (unsigned int i = 0; i < FT_PAGES; i++) {
        void *va = hg_page(i);
        unsigned long mfn = hg_virt_to_mfn(va);

        pfn[i] = hg_mfn_to_pfn(mfn);
        pte[i] = hg_read_pte((unsigned long)va);
        ST_EXPECT_RC(hg_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG), 0);
        ST_EXPECT_RC(hg_decrease_one(mfn), 1);
    }
    printk("hostile:   (gave %u pages back: %ld now; waiting %u ms)\n", FT_PAGES,
           hg_current_reservation(), FT_WAIT_MS);
    until = hg_now() + FT_WAIT_MS * HG_MS;
    while (hg_now() < until)
        hg_sched_op(SCHEDOP_yield, NULL);
    for (unsigned int i = 0; i < FT_PAGES; i++) {
        why = hg_refill_as(hg_page(i), pfn[i], pte[i]);
        if (why)
            return why;
    }
    rc = hg_current_reservation();
    printk("hostile:   (took them again: %ld)\n", rc);
    return NULL;
}
