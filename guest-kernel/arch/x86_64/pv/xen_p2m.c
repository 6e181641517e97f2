/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_p2m.c - pseudo-physical <-> machine frame numbers under Xen.
 * Owns:    the p2m (start_info.mfn_list: pfn -> mfn, the kernel's own list,
 *          which the domain builder filled and the balloon driver changes).
 * Touches: the M2P (mfn -> pfn), the hypervisor's read-only table at
 *          MACH2PHYS_VIRT_START, read with a fixup because entries past
 *          the last machine frame are not mapped.
 * ABI:     abi/xen/xen.h (start_info.mfn_list; ~0 marks a pfn with no frame),
 *          abi/xen/arch-x86/xen-x86_64.h (MACH2PHYS_VIRT_START).
 *
 * A native kernel has neither table: pfn == mfn.
 */
#include <kernel.h>
#include <mm.h>
#include <asm/fixup.h>
#include "xen.h"

static uint64_t *p2m(void)
{
    return (uint64_t *)xen_start_info->mfn_list;
}

uint64_t mm_nr_pfns(void)
{
    return xen_start_info->nr_pages;
}

uint64_t pfn_to_mfn(uint64_t pfn)
{
    if (pfn >= mm_nr_pfns())
        return INVALID_FRAME;
    return p2m()[pfn];          /* ~0: no frame (ballooned out) */
}

void xen_p2m_set(uint64_t pfn, uint64_t mfn)
{
    if (pfn >= mm_nr_pfns())
        panic("p2m: pfn %#lx past nr_pages", pfn);
    p2m()[pfn] = mfn;
}

/* The M2P's raw entry for mfn: INVALID_FRAME if mfn is past the table or
 * its page of the table is not mapped (the read faults). */
uint64_t mm_m2p_entry(uint64_t mfn)
{
    const uint64_t *m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
    uint64_t val = INVALID_FRAME;

    if (mfn >= MACH2PHYS_NR_ENTRIES)
        return INVALID_FRAME;
    asm volatile("1: movq (%1), %0\n2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+r"(val) : "r"(&m2p[mfn]) : "memory");
    return val;
}

/* The pfn whose p2m entry is mfn: the M2P's answer, checked against the
 * p2m, since the M2P holds anything for frames that are not ours. */
uint64_t mfn_to_pfn(uint64_t mfn)
{
    uint64_t pfn = mm_m2p_entry(mfn);

    if (pfn >= mm_nr_pfns() || p2m()[pfn] != mfn)
        return INVALID_FRAME;
    return pfn;
}

/* The names used before mm.h existed. */
unsigned long arch_pfn_to_mfn(unsigned long pfn) { return pfn_to_mfn(pfn); }
unsigned long arch_nr_pages(void) { return mm_nr_pfns(); }
