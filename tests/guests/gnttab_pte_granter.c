/* SPDX-License-Identifier: MIT */
/*
 * gnttab_pte_granter - the domain gnttab_pte_keeper maps from: it grants
 * one of its frames (holding a pattern) to d0 as ref 8, waits until the
 * entry says GTF_reading (d0 mapped it) or GRANTER_WAIT_MS of system time
 * passed, yielding the CPU, and ends: its frames go back, but not the
 * granted one while d0 maps it. Run as a boot domU beside dom0's
 * gnttab_pte_keeper (tests/boot/meson.build, domus-gnttab-pte-keeper);
 * alone (as dom0, or on Xen 4.17) nobody maps it and it just waits.
 * Expected: every step 0. Observed on Xen 4.17 (4.17.7 as dom0 in
 * QEMU, alone): PASS.
 */
#include "hostile_gnttab.h"
#include "hostile_time.h"

#define GRANTER_REF      8u
#define GRANTER_PATTERN  0x6772616e74656421ULL
#define GRANTER_WAIT_MS  20000

const char *hostile_gnttab_pte_granter(void)
{
    static struct hg_cases c;
    volatile uint64_t *frame = hg_page(4);
    volatile struct grant_entry_v1 *table;
    uint64_t pte_t1, until;

    table = hg_gnttab_map_own(&c, &pte_t1);
    if (!table)
        return hg_cases_verdict(&c);
    frame[0] = GRANTER_PATTERN;
    hg_grant(table, GRANTER_REF, 0, hg_virt_to_mfn((void *)frame), GTF_permit_access);
    until = hg_now() + GRANTER_WAIT_MS * HG_MS;
    while (!(table[GRANTER_REF].flags & GTF_reading) && hg_now() < until)
        hg_sched_op(SCHEDOP_yield, NULL);
    printk("hostile:   (ref %u %s)\n", GRANTER_REF,
           table[GRANTER_REF].flags & GTF_reading ? "mapped by d0" : "mapped by nobody");
    /* Ending while mapped is the point: the table stays mapped too. */
    return hg_cases_verdict(&c);
}
