/* SPDX-License-Identifier: MIT */
/*
 * ldt_set_bad_args - MMUEXT_SET_LDT's argument checks, and an LDT that
 * runs off the end of the lower canonical half.
 * Rule: the base must be page-aligned and a guest address (below 2^47 or
 * at or above the end of Xen's range), and there are at most 8192
 * entries; an LDT of no entries takes no base (any base is fine). The
 * frames are not looked at: the LDT is mapped when the CPU first reads
 * a descriptor from it. An LDT whose descriptor would lie at a
 * non-canonical address raises #GP with the selector's error code when
 * a selector names it; one whose page is not mapped raises #PF at it.
 *
 * Cases (label: what, Xen 4.17's answer):
 *   misaligned            base 0x1008, 1 entry: -EINVAL
 *   8193 entries          base 0x1000: -EINVAL
 *   8192 entries          base 0x1000: 0
 *   Xen's range           0xffff800000000000: -EINVAL
 *   Xen's range, last     0xffff87fffffff000: -EINVAL
 *   non-canonical         0x0000800000000000 and 0x8000000000000000: -EINVAL
 *   past Xen's range      0xffff880000000000: 0
 *   0 entries, junk base  0x1008 and 0xffff800000000000: 0
 *   top of the low half   0x7ffffffff000, 8192 entries: 0; then a
 *                         selector of entry 512 (at 2^47): #GP 0x1004;
 *                         of entry 1 (unmapped): #PF, cr2 0x7ffffffff008
 *   no LDT                SET_LDT(0, 0): 0
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU): as listed. Source:
 * arch/x86/mm.c do_mmuext_op() MMUEXT_SET_LDT (__addr_ok(), 8192, ptr 0
 * when ents is 0); arch/x86/traps.c handle_ldt_mapping_fault().
 */
#include "hostile_ldt.h"

#define LOW_HALF_TOP_PAGE 0x7ffffffff000UL
#define ENTRY_AT_2_47     512         /* (2^47 - 0x7ffffffff000) / 8 */

static long set_case(struct hg_cases *c, const char *l, unsigned long va,
                     unsigned int ents, long want)
{
    long rc = ldt_set(va, ents);

    hg_case(c, l, rc, want);
    if (!rc)
        ldt_set(0, 0);
    return rc;
}

const char *hostile_ldt_set_bad_args(void)
{
    struct hg_cases c = { 0 };

    set_case(&c, "misaligned", 0x1008, 1, -XEN_EINVAL);
    set_case(&c, "8193 entries", 0x1000, 8193, -XEN_EINVAL);
    set_case(&c, "8192 entries", 0x1000, 8192, 0);
    set_case(&c, "Xen's range", 0xffff800000000000UL, 1, -XEN_EINVAL);
    set_case(&c, "Xen's range, last", 0xffff87fffffff000UL, 1, -XEN_EINVAL);
    set_case(&c, "non-canonical 2^47", 0x0000800000000000UL, 1, -XEN_EINVAL);
    set_case(&c, "non-canonical 2^63", 0x8000000000000000UL, 1, -XEN_EINVAL);
    set_case(&c, "past Xen's range", 0xffff880000000000UL, 1, 0);
    set_case(&c, "0 entries, misaligned", 0x1008, 0, 0);
    set_case(&c, "0 entries, Xen's range", 0xffff800000000000UL, 0, 0);

    hg_case(&c, "top of the low half", ldt_set(LOW_HALF_TOP_PAGE, 8192), 0);
    hg_case(&c, "  entry at 2^47", ldt_load_es(LDT_SEL(ENTRY_AT_2_47)),
            LDT_GP(LDT_EC(ENTRY_AT_2_47)));
    hg_case(&c, "  entry 1, unmapped", ldt_load_es(LDT_SEL(1)), LDT_PF(0));
    hg_case(&c, "  cr2", (long)trap_last.cr2, (long)(LOW_HALF_TOP_PAGE + 8));
    hg_case(&c, "no LDT", ldt_set(0, 0), 0);
    hg_case(&c, "  entry 1 without LDT", ldt_load_es(LDT_SEL(1)),
            LDT_GP(LDT_EC(1)));
    return hg_cases_verdict(&c);
}
