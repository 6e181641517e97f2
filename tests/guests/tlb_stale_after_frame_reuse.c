/* SPDX-License-Identifier: MIT */
/*
 * tlb_stale_after_frame_reuse - invariants 1 and 2 (DESIGN.md 3): page
 * tables are never writable by the guest, and a guest reaches only its own
 * frames - also through translations its TLB still caches.
 *
 * Attack: write to a page of ours at V (the TLB now holds a writable
 * translation V -> A), unmap V with update_va_mapping(V, 0, UVMF_NONE) (no
 * flush), give A back (decrease_reservation), take frames again with
 * increase_reservation until A comes back (at most HOARD_MAX frames, 64 a
 * call), hook A into an empty L2 slot of the direct map as an L1 table
 * (mmu_update), then write a PTE mapping a frame not ours (mfn 1) into A
 * through V.
 * Expected: the write through V faults (#PF at V), A still reads all zero
 * (mapped read-only elsewhere), and the VA that entry would translate
 * faults too: no mapping of the foreign frame was obtained. If A never
 * comes back nothing can be tested: everything is given back and the
 * attack passes, saying so. Observed on Xen 4.17 (4.17.7, dom0 in QEMU):
 * A came back as the very first frame of the first increase_reservation
 * (index 0 of 64); hooking it as an L1: 0; the write through V: #PF, error
 * code 0x2 (write, not present), cr2 = V + 0x28; A read back all zero; the
 * read through the new L1 entry: #PF. Source: Xen stamps a freed frame with
 * the TLB-flush clock
 * (page->tlbflush_timestamp, common/page_alloc.c free_heap_pages()) and
 * alloc_heap_pages() flushes every CPU whose TLB may be older than that
 * stamp before handing the frame out again; x86/mm.c _get_page_type()
 * does the same on a type change (writable -> L1).
 * Undo: unhook A, give it back, refill V with a new frame.
 */
#include "hostile_balloon.h"

#define HOARD_MAX   8192            /* frames we take at most looking for A */
#define HOARD_BATCH 64
#define STALE_IDX   5               /* the L1 entry written through V */
#define FOREIGN_MFN 1UL             /* never one of dom0's frames */
#define MARKER      0x7e57c0de7e57c0deUL

static xen_pfn_t hoard[HOARD_MAX];

/* Take frames until `mfn` comes back: how many we hold; *at is its index
 * (or -1). */
static unsigned long hoard_until(unsigned long mfn, long *at)
{
    unsigned long n = 0, i;
    long got;

    *at = -1;
    while (n < HOARD_MAX) {
        got = hg_reservation_op(XENMEM_increase_reservation, &hoard[n], HOARD_BATCH, 0);
        if (got <= 0)
            break;
        for (i = n; i < n + got; i++)
            if (hoard[i] == mfn)
                *at = i;
        n += got;
        if (*at >= 0)
            break;
    }
    return n;
}

/* hg_refill() for a V we unmapped: it takes V's flags from the PTE there,
 * so V first maps scratch page 5 read-only with V's old flags. */
static const char *refill_unmapped(volatile uint64_t *va, unsigned long pfn, uint64_t pte)
{
    uint64_t alias = (hg_virt_to_mfn(hg_page(5)) << PAGE_SHIFT) |
                     (pte & ~HG_ADDR_MASK & ~(uint64_t)_PAGE_RW);

    ST_EXPECT_RC(hg_update_va_mapping((unsigned long)va, alias, UVMF_INVLPG), 0);
    return hg_refill((void *)va, pfn);
}

/* An empty L2 slot of the direct map's L2 table: its index, or -1. */
static long empty_l2_slot(unsigned long *l2_mfn)
{
    uint64_t *e = hg_walk(DIRECTMAP_BASE, 2, l2_mfn);
    uint64_t *l2 = (uint64_t *)((unsigned long)e & ~(PAGE_SIZE - 1));
    long i;

    if (!e)
        return -1;
    for (i = 0; i < 512; i++)
        if (!l2[i])
            return i;
    return -1;
}

/* Non-zero words of frame `mfn`, read through a read-only mapping at the
 * VA of scratch page 5 (restored after); -1 if it cannot be mapped. */
static long nonzero_words(unsigned long mfn, uint64_t *first)
{
    volatile uint64_t *w = hg_page(5);
    uint64_t pte = hg_read_pte((unsigned long)w);
    long n = 0, i;

    if (hg_update_va_mapping((unsigned long)w, (mfn << PAGE_SHIFT) | _PAGE_PRESENT |
                             _PAGE_ACCESSED, UVMF_INVLPG))
        return -1;
    for (i = 0; i < 512; i++)
        if (w[i] && !n++)
            *first = w[i];
    hg_update_va_mapping((unsigned long)w, pte, UVMF_INVLPG);
    return n;
}

const char *hostile_tlb_stale_after_frame_reuse(void)
{
    volatile uint64_t *page = hg_page(0);
    unsigned long pfn = virt_to_pfn((const void *)page), a = pfn_to_mfn(pfn);
    uint64_t pte = hg_read_pte((unsigned long)page);
    unsigned long held, l2_mfn, va_hooked;
    uint64_t pte_bad = (FOREIGN_MFN << PAGE_SHIFT) | HG_PTE_FLAGS, first = 0, dummy;
    struct probe_fault wf = { 0 }, rf = { 0 };
    struct mmu_update hook;
    long at, slot, rc_hook, rc_unhook, nonzero, rc_dec;
    int wrote, read_ok;

    /* A writable translation V -> A in the TLB; A left all zero. */
    page[STALE_IDX] = MARKER;
    page[STALE_IDX] = 0;
    ST_EXPECT_RC(hg_update_va_mapping((unsigned long)page, 0, UVMF_NONE), 0);
    ST_EXPECT_RC(hg_decrease_one(a), 1);
    held = hoard_until(a, &at);
    printk("hostile: frame %#lx given back; took %lu frames, it came back %s%ld\n",
           a, held, at < 0 ? "never " : "as frame ", at);
    if (at < 0) {
        ST_EXPECT_RC(hg_reservation_op(XENMEM_decrease_reservation, hoard, held, 0), (long)held);
        ST_TRY(refill_unmapped(page, pfn, pte));
        printk("hostile: frame %#lx was not reused within %lu frames: nothing could be "
               "tested\n", a, held);
        return NULL;
    }
    hoard[at] = hoard[held - 1];            /* keep A, give the others back */
    ST_EXPECT_RC(hg_reservation_op(XENMEM_decrease_reservation, hoard, held - 1, 0),
                 (long)held - 1);

    slot = empty_l2_slot(&l2_mfn);
    ST_EXPECT(slot >= 0, "setup: no empty L2 slot in the direct map");
    va_hooked = DIRECTMAP_BASE + ((unsigned long)slot << 21);
    hook.ptr = ((uint64_t)l2_mfn << PAGE_SHIFT) | (slot * 8) | MMU_NORMAL_PT_UPDATE;
    hook.val = ((uint64_t)a << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED;
    rc_hook = hg_mmu_update(&hook, 1, NULL, DOMID_SELF);

    /* The attack: a PTE into the new L1 through the stale translation. */
    wrote = !probe_write64(&page[STALE_IDX], pte_bad, &wf);
    read_ok = !probe_read64((void *)(va_hooked + STALE_IDX * PAGE_SIZE), &dummy, &rf);
    nonzero = nonzero_words(a, &first);

    /* Undo. */
    hook.val = 0;
    rc_unhook = rc_hook ? 0 : hg_mmu_update(&hook, 1, NULL, DOMID_SELF);
    rc_dec = hg_decrease_one(a);
    printk("hostile: hook A at L2 slot %ld: %ld; write through V: %s (vector %lu, "
           "error %#lx, cr2 %#lx); read through the new L1: %s (vector %lu); A: %ld "
           "non-zero words (first %#lx); unhook %ld, give A back %ld\n", slot, rc_hook,
           wrote ? "landed" : "faulted", wf.vector, wf.error_code, wf.cr2,
           read_ok ? "mapped" : "faulted", rf.vector, nonzero, (unsigned long)first,
           rc_unhook, rc_dec);
    ST_TRY(refill_unmapped(page, pfn, pte));

    ST_EXPECT(rc_hook == 0, "hooking A as an L1: %ld, want 0", rc_hook);
    ST_EXPECT(!wrote, "the write through the stale translation of V landed");
    ST_EXPECT(wf.vector == X86_EXC_PF && wf.cr2 == (unsigned long)&page[STALE_IDX],
              "the write faulted with vector %lu at %#lx, want #PF at %p",
              wf.vector, wf.cr2, &page[STALE_IDX]);
    ST_EXPECT(nonzero == 0, "A (an L1 now) has %ld non-zero words, first %#lx",
              nonzero, (unsigned long)first);
    ST_EXPECT(!read_ok, "the foreign frame %#lx is mapped at %#lx", FOREIGN_MFN,
              va_hooked + STALE_IDX * PAGE_SIZE);
    ST_EXPECT(rc_unhook == 0 && rc_dec == 1, "undo: unhook %ld, decrease %ld",
              rc_unhook, rc_dec);
    return NULL;
}
