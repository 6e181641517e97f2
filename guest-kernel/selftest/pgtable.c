/* SPDX-License-Identifier: MIT */
/*
 * selftest/pgtable.c - the kernel's own memory: its page tables, the
 *                      allocator, pinning, batched mmu_update, multicall,
 *                      the reservation calls and a small balloon round.
 * Owns:    the mm self-tests; ST_TEST_VA, the lower-half range they map.
 * Touches: pages from mm_alloc_pfn() (all given back), L4 slot
 *          pt_index(ST_TEST_VA, 4) of the kernel's L4 (cleared again);
 *          the hypercalls directly (pv/hypercall.h) where they are tested.
 */
#include <selftest.h>
#include <testapi.h>

/* A lower-half address: L4 slot 1, nothing else maps there. */
#define ST_TEST_VA      0x0000008000000000UL
#define ST_TEST_PAGES   8
#define ST_BOGUS_MFN    0xfffffffffUL    /* no machine has this frame */
#define ST_BALLOON_PAGES (PT_ENTRIES + 1) /* two rounds: both calls */
#define PTE_RW   (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_LINK (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define PFEC_WRITE_PROTECTED (PFEC_PRESENT | PFEC_WRITE)

static const uint64_t st_image_word = 1;

/* Every walk agrees with the p2m, the M2P and the direct map. */
static const char *check_pfn(uint64_t pfn)
{
    void *va = pfn_to_virt(pfn);
    uint64_t mfn = pfn_to_mfn(pfn), pte;

    ST_EXPECT(va, "pfn %#lx has no mapping", pfn);
    ST_EXPECT(virt_to_pfn(va) == pfn, "virt_to_pfn(%p) = %#lx, want %#lx", va,
              virt_to_pfn(va), pfn);
    ST_EXPECT(mfn_to_pfn(mfn) == pfn, "mfn_to_pfn(%#lx) = %#lx, want %#lx", mfn,
              mfn_to_pfn(mfn), pfn);
    pte = mm_read_pte((uint64_t)va);
    ST_EXPECT(pte_frame(pte) == mfn && (pte & _PAGE_PRESENT),
              "pte of pfn %#lx is %#lx, want mfn %#lx", pfn, pte, mfn);
    return NULL;
}

const char *st_mm_own_tables(void)
{
    uint64_t l4_pfn = mfn_to_pfn(mm_current_l4_mfn()), pfn, val;
    unsigned long cr3 = pv_ops.read_cr3();
    struct probe_fault f;
    void *l4;

    ST_EXPECT(cr3 >> PAGE_SHIFT == mm_current_l4_mfn(), "cr3 %#lx, L4 mfn %#lx", cr3,
              mm_current_l4_mfn());
    if (!mm_own_page_tables())
        return NULL;            /* mm=boot: nothing more to check */
    ST_TRY(check_pfn(virt_to_pfn(&st_image_word)));     /* the image */
    ST_TRY(check_pfn(l4_pfn));                          /* a page table */
    pfn = mm_alloc_pfn();
    ST_EXPECT(pfn != INVALID_FRAME, "no free page");
    ST_TRY(check_pfn(pfn));
    mm_free_pfn(pfn);
    /* Page tables are read-only to the kernel: the L4 faults on a write. */
    l4 = pfn_to_virt(l4_pfn);
    ST_EXPECT(!(mm_read_pte((uint64_t)l4) & _PAGE_RW), "L4 mapped writable");
    ST_EXPECT(!probe_read64(l4, &val, NULL), "reading the L4 faulted");
    ST_EXPECT(probe_write64(l4, val, &f), "writing the L4 did not fault");
    ST_EXPECT(f.vector == X86_EXC_PF && f.error_code == PFEC_WRITE_PROTECTED &&
              f.cr2 == (uint64_t)l4, "%s error %#lx cr2 %#lx", trap_name(f.vector),
              f.error_code, f.cr2);
    return NULL;
}

const char *st_mm_alloc(void)
{
    uint64_t free0 = mm_free_pfns(), a = mm_alloc_pfn(), b = mm_alloc_pfn();
    uint64_t *pa, *pb;
    const char *refused;
    size_t i;

    ST_EXPECT(a != INVALID_FRAME && b != INVALID_FRAME && a != b, "got %#lx, %#lx", a, b);
    ST_EXPECT(mm_free_pfns() == free0 - 2, "free count %lu, want %lu", mm_free_pfns(),
              free0 - 2);
    pa = pfn_to_virt(a);
    pb = pfn_to_virt(b);
    for (i = 0; i < PAGE_SIZE / sizeof(*pa); i++)
        ST_EXPECT(!pa[i] && !pb[i], "page not zeroed at word %zu", i);
    pa[0] = a;
    pb[0] = b;
    ST_EXPECT(pa[0] == a && pb[0] == b, "pages alias");
    mm_free_pfn(a);
    mm_free_pfn(b);
    ST_EXPECT(mm_free_pfns() == free0, "free count %lu, want %lu", mm_free_pfns(), free0);
    /* A second free is refused and changes nothing (mm_free_pfn() would
     * print the refusal; a normal boot should not show one). */
    refused = mm_try_free_pfn(b);
    ST_EXPECT(refused && !strcmp(refused, "already free"),
              "second free of pfn %#lx: %s", b, refused ? refused : "accepted");
    refused = mm_try_free_pfn(mm_nr_pfns());
    ST_EXPECT(refused && !strcmp(refused, "out of range"),
              "free of pfn %#lx: %s", mm_nr_pfns(), refused ? refused : "accepted");
    return NULL;
}

struct st_tables {
    uint64_t pfn[4];            /* [1] L1, [2] L2, [3] L3 */
    uint64_t page[ST_TEST_PAGES];
};

/* L3 -> L2 -> L1 for ST_TEST_VA: each made a pinned table, then linked
 * top-down in one mmu_update batch (applied in order). */
static const char *tables_build(struct st_tables *t)
{
    struct mmu_update link[3];
    unsigned int level, done = 0;
    uint64_t parent = mm_current_l4_mfn();

    for (level = 3; level >= 1; level--) {
        t->pfn[level] = mm_alloc_pfn();
        ST_EXPECT(t->pfn[level] != INVALID_FRAME, "no page for the L%u", level);
        mm_set_pagetable(t->pfn[level], true);
        ST_EXPECT_RC(pv_ops.make_pagetable(level, (unsigned long)pfn_to_virt(t->pfn[level]),
                                           pfn_to_mfn(t->pfn[level])), 0);
        link[3 - level] = (struct mmu_update){
            (parent << PAGE_SHIFT) + pt_index(ST_TEST_VA, level + 1) * PTE_SIZE,
            (pfn_to_mfn(t->pfn[level]) << PAGE_SHIFT) | PTE_LINK };
        parent = pfn_to_mfn(t->pfn[level]);
    }
    ST_EXPECT_RC(HYPERVISOR_mmu_update(link, 3, &done, DOMID_SELF), 0);
    ST_EXPECT(done == 3, "done %u, want 3", done);
    ST_EXPECT(mm_pte_maddr(ST_TEST_VA) == pfn_to_mfn(t->pfn[1]) << PAGE_SHIFT,
              "mm_pte_maddr %#lx, L1 is mfn %#lx", mm_pte_maddr(ST_TEST_VA),
              pfn_to_mfn(t->pfn[1]));
    return NULL;
}

/* Unlink from the L4, unpin and free (L3 first: it holds the L2, ...). */
static const char *tables_free(struct st_tables *t)
{
    struct mmu_update unlink = {
        (mm_current_l4_mfn() << PAGE_SHIFT) + pt_index(ST_TEST_VA, 4) * PTE_SIZE, 0 };
    unsigned int level;

    ST_EXPECT_RC(HYPERVISOR_mmu_update(&unlink, 1, NULL, DOMID_SELF), 0);
    ST_EXPECT_RC(pv_ops.flush_tlb_local(), 0);
    for (level = 3; level >= 1; level--) {
        ST_EXPECT_RC(pv_ops.release_pagetable((unsigned long)pfn_to_virt(t->pfn[level]),
                                              pfn_to_mfn(t->pfn[level])), 0);
        mm_set_pagetable(t->pfn[level], false);
        mm_free_pfn(t->pfn[level]);
    }
    ST_EXPECT(!mm_pte_maddr(ST_TEST_VA), "ST_TEST_VA still has an L1");
    return NULL;
}

/* Map ST_TEST_PAGES pages in one batch, then check them through both VAs. */
static const char *map_batch(struct st_tables *t)
{
    struct mmu_update u[ST_TEST_PAGES];
    uint64_t l1 = mm_pte_maddr(ST_TEST_VA);
    unsigned int i, done = 0;

    for (i = 0; i < ST_TEST_PAGES; i++) {
        t->page[i] = mm_alloc_pfn();
        ST_EXPECT(t->page[i] != INVALID_FRAME, "no page %u", i);
        *(uint64_t *)pfn_to_virt(t->page[i]) = t->page[i];
        u[i] = (struct mmu_update){ l1 + i * PTE_SIZE,
                                    (pfn_to_mfn(t->page[i]) << PAGE_SHIFT) | PTE_RW };
    }
    ST_EXPECT_RC(HYPERVISOR_mmu_update(u, ST_TEST_PAGES, &done, DOMID_SELF), 0);
    ST_EXPECT(done == ST_TEST_PAGES, "done %u", done);
    for (i = 0; i < ST_TEST_PAGES; i++) {
        volatile uint64_t *p = (volatile uint64_t *)(ST_TEST_VA + i * PAGE_SIZE);

        ST_EXPECT(*p == t->page[i], "page %u reads %#lx", i, (unsigned long)*p);
        ST_EXPECT(virt_to_pfn((void *)p) == t->page[i], "virt_to_pfn of page %u", i);
    }
    return NULL;
}

/* A batch whose middle entry is refused (a frame beyond RAM): exactly the
 * entries before it are applied, done says how many, the rest are not. */
static const char *bad_middle(struct st_tables *t)
{
    uint64_t l1 = mm_pte_maddr(ST_TEST_VA);
    struct mmu_update u[3] = {
        { l1, 0 },
        { l1 + PTE_SIZE, (ST_BOGUS_MFN << PAGE_SHIFT) | PTE_RW },
        { l1 + 2 * PTE_SIZE, 0 },
    };
    unsigned int done = 0;
    long rc = HYPERVISOR_mmu_update(u, 3, &done, DOMID_SELF);

    /* Xen 4.17 answers -EPERM: for dom0 a frame that is not RAM is I/O
     * memory, and this one is outside the I/O ranges it may map. */
    ST_EXPECT(rc == -XEN_EPERM, "rc %ld, want %d", rc, -XEN_EPERM);
    ST_EXPECT(done == 1, "done %u, want 1 (rc %ld)", done, rc);
    ST_EXPECT(!(mm_read_pte(ST_TEST_VA) & _PAGE_PRESENT), "entry 0 not applied");
    ST_EXPECT(pte_frame(mm_read_pte(ST_TEST_VA + PAGE_SIZE)) == pfn_to_mfn(t->page[1]),
              "entry 1 changed");
    ST_EXPECT(pte_frame(mm_read_pte(ST_TEST_VA + 2 * PAGE_SIZE)) == pfn_to_mfn(t->page[2]),
              "entry 2 applied after the failure");
    return NULL;
}

const char *st_mm_pagetables(void)
{
    struct st_tables t;
    const char *why;
    unsigned int i;

    if (!mm_own_page_tables())
        return NULL;
    ST_TRY(tables_build(&t));
    why = map_batch(&t);
    if (!why)
        why = bad_middle(&t);
    /* A pinned table cannot be pinned again. */
    if (!why && pv_ops.pin_table(1, pfn_to_mfn(t.pfn[1])) != -XEN_EINVAL)
        why = "pinning a pinned L1 again was not -EINVAL";
    ST_TRY(tables_free(&t));
    for (i = 0; i < ST_TEST_PAGES; i++)
        mm_free_pfn(t.page[i]);
    return why;
}

const char *st_multicall(void)
{
    struct multicall_entry mc[3] = {
        { .op = __HYPERVISOR_xen_version, .args = { XENVER_version, 0 } },
        { .op = __HYPERVISOR_console_io, .args = { 0x7f, 0, 0 } },   /* bad cmd */
        { .op = __HYPERVISOR_xen_version, .args = { XENVER_pagesize, 0 } },
    };

    ST_EXPECT_RC(HYPERVISOR_multicall(mc, 3), 0);
    ST_EXPECT((long)mc[0].result == HYPERVISOR_xen_version(XENVER_version, NULL),
              "entry 0 result %#lx", mc[0].result);
    /* console_io: a bad command for dom0, any command for a domU (XSM). */
    ST_EXPECT((long)mc[1].result == (arch_is_initial_domain() ? -XEN_ENOSYS : -XEN_EPERM),
              "entry 1 result %ld", (long)mc[1].result);
    ST_EXPECT(mc[2].result == PAGE_SIZE, "entry 2 result %ld (ran after a failure?)",
              (long)mc[2].result);
    ST_EXPECT_RC(HYPERVISOR_multicall(mc, 0), 0);
    return NULL;
}

/*
 * A multicall longer than one batch, with an entry that is a long batch of
 * its own: pvisor continues the multicall every 512 entries and from inside
 * the mmu_update entry (writing its new arguments back); Xen may or may not
 * preempt. Either way every entry runs once, with its own result.
 */
#define ST_MC_LONG   1030                  /* two continuations on pvisor */
#define ST_MC_BATCH  600                   /* one more inside the entry   */
static struct multicall_entry st_mc_long[ST_MC_LONG];
static struct mmu_update st_mc_reqs[ST_MC_BATCH];

const char *st_multicall_long(void)
{
    uint64_t pfn = mm_alloc_pfn(), mfn = pfn_to_mfn(pfn);
    unsigned int done = 0;

    ST_EXPECT(pfn != INVALID_FRAME, "out of memory");
    for (unsigned int i = 0; i < ST_MC_BATCH; i++)     /* the M2P as it is */
        st_mc_reqs[i] = (struct mmu_update){ (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn };
    for (unsigned int i = 0; i < ST_MC_LONG; i++)
        st_mc_long[i] = (struct multicall_entry){
            .op = __HYPERVISOR_xen_version, .args = { XENVER_pagesize, 0 },
            .result = 1 };
    st_mc_long[700] = (struct multicall_entry){ .op = __HYPERVISOR_mmu_update,
        .args = { (unsigned long)st_mc_reqs, ST_MC_BATCH, (unsigned long)&done,
                  DOMID_SELF }, .result = 1 };
    ST_EXPECT_RC(HYPERVISOR_multicall(st_mc_long, ST_MC_LONG), 0);
    mm_free_pfn(pfn);
    for (unsigned int i = 0; i < ST_MC_LONG; i++)
        ST_EXPECT(st_mc_long[i].result == (i == 700 ? 0 : PAGE_SIZE),
                  "entry %u result %ld", i, (long)st_mc_long[i].result);
    ST_EXPECT(done == ST_MC_BATCH, "mmu_update entry did %u of %u", done, ST_MC_BATCH);
    return NULL;
}

const char *st_memory_reservation(void)
{
    struct xen_memory_domain d = { .domid = DOMID_SELF };
    long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &d);
    long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &d);

    ST_EXPECT(cur == (long)mm_nr_pfns(), "current_reservation %ld, nr_pages %lu", cur,
              mm_nr_pfns());
    ST_EXPECT(max >= cur, "maximum_reservation %ld < current %ld", max, cur);
    ST_EXPECT(HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL) > 0,
              "maximum_ram_page not positive");
    return NULL;
}

const char *st_balloon(void)
{
    uint64_t free0 = mm_free_pfns();

    if (!mm_own_page_tables())
        return NULL;
    ST_EXPECT(!balloon_run(ST_BALLOON_PAGES * PAGE_SIZE), "balloon round failed");
    ST_EXPECT(mm_free_pfns() == free0, "free pages %lu, were %lu", mm_free_pfns(), free0);
    return NULL;
}
