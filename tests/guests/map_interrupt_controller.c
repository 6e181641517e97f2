/* SPDX-License-Identifier: MIT */
/*
 * map_interrupt_controller - invariant 3 in spirit (DESIGN.md 3): what the
 * hypervisor runs on is not a guest's. The local APIC (its timer is the
 * hypervisor's interrupt) and the I/O APIC (which could send interrupts to
 * the hypervisor's vectors) are the hypervisor's, even for dom0, which may
 * otherwise map any MMIO.
 *
 * Attack: map, over a scratch page, the local APIC's registers (0xfee00000)
 * and the I/O APIC's (0xfec00000), read-only and writable.
 * Expected: the local APIC -XEN_EPERM, read-only or writable, the entry
 * unchanged; the I/O APIC 0, but mapped read-only whatever was asked
 * (RW cleared, PCD|PWT set); for contrast a harmless MMIO frame next to
 * them (0xfed40000, the TPM's window, nothing there under QEMU) maps: 0.
 * Observed on Xen 4.17 (4.17.7, dom0 in QEMU): local APIC rc -1 both
 * ways, the entry unchanged; I/O APIC rc 0 both ways, the entry
 * 0x100000fec0007d (P|U|PWT|PCD|A, no RW) both ways; 0xfed40: rc 0.
 * Source: Xen's dom0 build denies dom0 the local APIC's MMIO
 * (iomem_deny_access()), so get_page_from_l1e() answers -EPERM; the I/O
 * APICs are in mmio_ro_ranges, and get_page_from_l1e() drops _PAGE_RW
 * from a mapping of a frame there.
 */
#include "hostile.h"

#define LAPIC_MFN  0xfee00UL
#define IOAPIC_MFN 0xfec00UL
#define OTHER_MFN  0xfed40UL

static long try_map(unsigned long va, uint64_t before, uint64_t mfn, bool rw,
                    uint64_t *after)
{
    uint64_t flags = rw ? HG_PTE_FLAGS : (HG_PTE_FLAGS & ~(uint64_t)_PAGE_RW);
    long rc = hg_update_va_mapping(va, (mfn << PAGE_SHIFT) | flags, UVMF_INVLPG);

    *after = hg_read_pte(va);
    printk("hostile:   mfn %#lx %s: rc %ld, pte %#lx\n", mfn, rw ? "rw" : "ro", rc, *after);
    if (*after != before)
        hg_update_va_mapping(va, before, UVMF_INVLPG);
    return rc;
}

const char *hostile_map_interrupt_controller(void)
{
    unsigned long va = (unsigned long)hg_page(0);
    uint64_t before = hg_read_pte(va), after;
    struct hg_cases c = { 0 };

    hg_case(&c, "local APIC read-only", try_map(va, before, LAPIC_MFN, false, &after),
            -XEN_EPERM);
    hg_case(&c, "local APIC read-only: entry unchanged", after == before, 1);
    hg_case(&c, "local APIC writable", try_map(va, before, LAPIC_MFN, true, &after),
            -XEN_EPERM);
    hg_case(&c, "local APIC writable: entry unchanged", after == before, 1);
    hg_case(&c, "I/O APIC read-only", try_map(va, before, IOAPIC_MFN, false, &after), 0);
    hg_case(&c, "I/O APIC read-only: mapped, not writable",
            (after & (HG_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW)) ==
            ((IOAPIC_MFN << PAGE_SHIFT) | _PAGE_PRESENT), 1);
    hg_case(&c, "I/O APIC writable", try_map(va, before, IOAPIC_MFN, true, &after), 0);
    hg_case(&c, "I/O APIC writable: mapped read-only all the same",
            (after & (HG_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW)) ==
            ((IOAPIC_MFN << PAGE_SHIFT) | _PAGE_PRESENT), 1);
    hg_case(&c, "I/O APIC: uncached", (after & (_PAGE_PCD | _PAGE_PWT)) ==
            (_PAGE_PCD | _PAGE_PWT), 1);
    hg_case(&c, "other MMIO (0xfed40000) read-only",
            try_map(va, before, OTHER_MFN, false, &after), 0);
    hg_case(&c, "pte back as it was", hg_read_pte(va) == before, 1);
    return hg_cases_verdict(&c);
}
