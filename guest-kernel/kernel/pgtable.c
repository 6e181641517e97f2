/* SPDX-License-Identifier: MIT */
/*
 * pgtable.c - the kernel's mappings: the page-table walk, the direct map,
 *             and the page tables the kernel builds for itself at boot.
 * Owns:    mm (the state below): which L4 is live, the kernel's and the
 *          user's top levels, whether the bootstrap tables are retired.
 * Touches: pv_ops MMU operations (set_pte_at, write_ptes, pin_table,
 *          unpin_table, load_cr3, load_user_cr3, make_pagetable); the
 *          allocator (kernel/page_alloc.c); the p2m and M2P (mm.h).
 *
 * How a PV kernel gets its own page tables (mm_init)
 * --------------------------------------------------
 * The domain builder left us on bootstrap tables that map only the
 * bootstrap region (image, p2m list, start_info, those tables, 512 KiB or
 * more of padding) at KERNEL_VIRT_BASE.  A native kernel would now write
 * new tables with plain stores.  A PV kernel may not: a frame in use as a
 * page table is never writable to it, and the hypervisor validates every
 * entry.  So the tables are built top-down, each one valid at all times:
 *
 *  1. Take an unused frame from above the bootstrap mapping (so nothing
 *     maps it writable; never one of arch_reserved_pfns(), a domU's console
 *     and xenstore rings), zero it through a one-page "window" (a bootstrap
 *     VA we point at it with update_va_mapping), point the window at it
 *     read-only, and pin it as an L4: the hypervisor validates it (empty)
 *     and adds its own slots.
 *  2. Map the image range and the direct map.  For every 2 MiB, link in a
 *     zeroed L3/L2/L1 where one is missing (one mmu_update on the parent:
 *     the hypervisor validates the child as the next level down).  Every
 *     table is created before any L1 entry is written, so the direct map
 *     can map exactly the table frames read-only.
 *  3. Fill the L1 entries, 512 per mmu_update.
 *  4. Switch: mmuext_op(NEW_BASEPTR).
 *  5. Retire the bootstrap tables: unpin their L4 (nothing references
 *     them now, so they lose their page-table type), map their frames
 *     read-write in the direct map and give them to the allocator, with
 *     the rest of RAM but the reserved pfns.  Until then the padding is mapped writable by
 *     them, so no padding page could become a page table.
 *  6. Make an empty user L4 (a multicall: map it read-only in the direct
 *     map, pin it) and install it with NEW_USER_BASEPTR.
 * If the hypervisor refuses step 1 or 2 (one that lacks mmu_update), the
 * kernel says why and stays on the bootstrap tables; the API still works,
 * with only the padding to allocate from.
 */
#include <kernel.h>
#include <mm.h>
#include <asm/page.h>
#include <asm/pvops.h>

/* Entry flags (the hypervisor adds _PAGE_USER: a PV kernel runs in ring 3). */
#define PTE_TABLE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)
#define PTE_KERNEL_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define PTE_KERNEL_RW (PTE_KERNEL_RO | _PAGE_RW | _PAGE_DIRTY)
#define PTE_BATCH     PT_ENTRIES        /* L1 writes per mmu_update */
#define PFN_VA(base, pfn) ((base) + ((uint64_t)(pfn) << PAGE_SHIFT))

/* Pfns the platform reserved (arch_reserved_pfns()): at most this many. */
#define MM_MAX_RESERVED 4

static struct {
    uint64_t nr_pfns;
    uint64_t reserved[MM_MAX_RESERVED];
    unsigned int nr_reserved;
    uint64_t boot_end;      /* first pfn after the bootstrap elements */
    uint64_t boot_mapped;   /* pfns the builder mapped at KERNEL_VIRT_BASE */
    uint64_t boot_pt_pfn, boot_nr_pt;   /* the bootstrap page tables */
    uint64_t l4_mfn, user_l4_mfn;
    bool own;               /* running on tables built here */
} mm;

/* ---- Mappings and the walk: valid before and after the switch ---- */

void *pfn_to_virt(uint64_t pfn)
{
    if (pfn >= mm.nr_pfns)
        return NULL;
    if (mm.own)
        return pfn_to_mfn(pfn) == INVALID_FRAME ? NULL
                                                : (void *)PFN_VA(DIRECTMAP_BASE, pfn);
    return pfn < mm.boot_mapped ? (void *)PFN_VA(KERNEL_VIRT_BASE, pfn) : NULL;
}

uint64_t virt_to_pfn(const void *p)
{
    uint64_t va = (uint64_t)p, pte;
    uint64_t image_pfns = mm.own ? mm.boot_end : mm.boot_mapped;

    if (va >= DIRECTMAP_BASE && va < PFN_VA(DIRECTMAP_BASE, mm.nr_pfns))
        return (va - DIRECTMAP_BASE) >> PAGE_SHIFT;
    if (va >= KERNEL_VIRT_BASE && va < PFN_VA(KERNEL_VIRT_BASE, image_pfns))
        return (va - KERNEL_VIRT_BASE) >> PAGE_SHIFT;
    pte = mm_read_pte(va);
    return (pte & _PAGE_PRESENT) ? mfn_to_pfn(pte_frame(pte)) : INVALID_FRAME;
}

/* The kernel's view of the page table in machine frame mfn, or NULL. */
static const pte_t *table_va(uint64_t mfn)
{
    uint64_t pfn = mfn_to_pfn(mfn);

    return pfn == INVALID_FRAME ? NULL : pfn_to_virt(pfn);
}

static bool va_is_canonical(uint64_t va)
{
    int64_t s = (int64_t)(va << (64 - VA_BITS)) >> (64 - VA_BITS);

    return (uint64_t)s == va;
}

uint64_t mm_pte_maddr(uint64_t va)
{
    uint64_t mfn = mm.l4_mfn;
    unsigned int level;
    const pte_t *t;
    pte_t e;

    if (!va_is_canonical(va))
        return 0;
    for (level = PT_LEVELS; level > 1; level--) {
        t = table_va(mfn);
        if (!t)
            return 0;
        e = t[pt_index(va, level)];
        if (!(e & _PAGE_PRESENT) || (level < PT_LEVELS && (e & _PAGE_PSE)))
            return 0;
        mfn = pte_frame(e);
    }
    if (!table_va(mfn))
        return 0;
    return (mfn << PAGE_SHIFT) + pt_index(va, 1) * PTE_SIZE;
}

uint64_t mm_read_pte(uint64_t va)
{
    uint64_t ma = mm_pte_maddr(va);

    return ma ? table_va(ma >> PAGE_SHIFT)[pt_index(va, 1)] : 0;
}

uint64_t mm_current_l4_mfn(void) { return mm.l4_mfn; }
uint64_t mm_user_l4_mfn(void)    { return mm.user_l4_mfn; }
bool mm_own_page_tables(void)    { return mm.own; }

/* ---- The builder ---- */

struct builder {
    unsigned long window;       /* bootstrap VA pointed at frames to zero/read */
    uint64_t window_pfn;        /* the padding page it normally maps */
    uint64_t next_pfn;          /* table frames: from here up */
    uint64_t l4;
    uint64_t nr_tables;
    uint64_t cache_key[PT_LEVELS + 1], cache_mfn[PT_LEVELS + 1];
    struct pte_update batch[PTE_BATCH];
    unsigned int n;
};

static struct builder builder;  /* 8 KiB of batch: not on the boot stack */

static bool reserved_pfn(uint64_t pfn)
{
    unsigned int i;

    for (i = 0; i < mm.nr_reserved; i++)
        if (mm.reserved[i] == pfn)
            return true;
    return false;
}

static bool boot_pt_pfn(uint64_t pfn)
{
    return pfn >= mm.boot_pt_pfn && pfn < mm.boot_pt_pfn + mm.boot_nr_pt;
}

static long window_map(struct builder *b, uint64_t mfn, bool rw)
{
    return pv_ops.set_pte_at(b->window, (mfn << PAGE_SHIFT) |
                             (rw ? PTE_KERNEL_RW : PTE_KERNEL_RO), 1);
}

/* Entry idx of the table in frame mfn, read through the window. */
static long window_read(struct builder *b, uint64_t mfn, unsigned int idx, pte_t *e)
{
    long rc = window_map(b, mfn, false);

    if (!rc)
        *e = ((const volatile pte_t *)b->window)[idx];
    return rc;
}

/* A zeroed frame, mapped nowhere writable, marked as a page table. */
static long new_table(struct builder *b, uint64_t *mfn)
{
    long rc;

    while (b->next_pfn < mm.nr_pfns && (pfn_to_mfn(b->next_pfn) == INVALID_FRAME ||
                                        reserved_pfn(b->next_pfn)))
        b->next_pfn++;
    if (b->next_pfn >= mm.nr_pfns)
        return -1;
    *mfn = pfn_to_mfn(b->next_pfn);
    rc = window_map(b, *mfn, true);
    if (rc)
        return rc;
    memset((void *)b->window, 0, PAGE_SIZE);
    rc = window_map(b, *mfn, false);
    if (rc)
        return rc;
    mm_set_pagetable(b->next_pfn++, true);
    b->nr_tables++;
    return 0;
}

/* The table below entry idx of table `parent`, linked in if missing. */
static long child_table(struct builder *b, uint64_t parent, unsigned int idx,
                        uint64_t *child)
{
    struct pte_update link;
    pte_t e;
    long rc = window_read(b, parent, idx, &e);

    if (rc)
        return rc;
    if (e & _PAGE_PRESENT) {
        *child = pte_frame(e);
        return 0;
    }
    rc = new_table(b, child);
    if (rc)
        return rc;
    link = (struct pte_update){ (parent << PAGE_SHIFT) + idx * PTE_SIZE,
                                (*child << PAGE_SHIFT) | PTE_TABLE };
    return pv_ops.write_ptes(&link, 1);
}

/* The L1 table for va, creating the L3, L2 and L1 on the way as needed;
 * the last table found at each level is remembered. */
static long l1_for(struct builder *b, uint64_t va, uint64_t *l1)
{
    uint64_t parent = b->l4;
    unsigned int level;
    long rc;

    for (level = PT_LEVELS - 1; level >= 1; level--) {
        uint64_t key = va >> pt_shift(level + 1);

        if (b->cache_mfn[level] && b->cache_key[level] == key) {
            parent = b->cache_mfn[level];
            continue;
        }
        rc = child_table(b, parent, pt_index(va, level + 1), &parent);
        if (rc)
            return rc;
        b->cache_key[level] = key;
        b->cache_mfn[level] = parent;
    }
    *l1 = parent;
    return 0;
}

static long flush_batch(struct builder *b)
{
    long rc = b->n ? pv_ops.write_ptes(b->batch, b->n) : 0;

    b->n = 0;
    return rc;
}

static long queue_pte(struct builder *b, uint64_t va, pte_t pte)
{
    uint64_t l1;
    long rc = l1_for(b, va, &l1);

    if (rc)
        return rc;
    b->batch[b->n++] = (struct pte_update){ (l1 << PAGE_SHIFT) + pt_index(va, 1) * PTE_SIZE,
                                            pte };
    return b->n == PTE_BATCH ? flush_batch(b) : 0;
}

/* Create the tables for [va, va + npages*4K) (step 2). */
static long make_tables(struct builder *b, uint64_t va, uint64_t npages)
{
    uint64_t end = PFN_VA(va, npages), l1;
    long rc;

    for (va &= ~((1UL << pt_shift(2)) - 1); va < end; va += 1UL << pt_shift(2)) {
        rc = l1_for(b, va, &l1);
        if (rc)
            return rc;
    }
    return 0;
}

/* The image range: what the bootstrap tables map below boot_end, with the
 * same frames and rights (shared_info included), the bootstrap tables
 * themselves excepted. */
static long map_image(struct builder *b)
{
    uint64_t pfn;
    pte_t pte;
    long rc;

    for (pfn = 0; pfn < mm.boot_end; pfn++) {
        pte = mm_read_pte(PFN_VA(KERNEL_VIRT_BASE, pfn));
        if (!(pte & _PAGE_PRESENT) || boot_pt_pfn(pfn))
            continue;
        rc = queue_pte(b, PFN_VA(KERNEL_VIRT_BASE, pfn), (pte & PTE_FRAME_MASK) |
                       ((pte & _PAGE_RW) ? PTE_KERNEL_RW : PTE_KERNEL_RO));
        if (rc)
            return rc;
    }
    return flush_batch(b);
}

/* The direct map: every pfn with a frame; page tables read-only. */
static long map_direct(struct builder *b, uint64_t *mapped)
{
    uint64_t pfn, mfn;
    long rc;

    for (pfn = 0; pfn < mm.nr_pfns; pfn++) {
        mfn = pfn_to_mfn(pfn);
        if (mfn == INVALID_FRAME)
            continue;
        rc = queue_pte(b, PFN_VA(DIRECTMAP_BASE, pfn), (mfn << PAGE_SHIFT) |
                       (mm_pfn_is_pagetable(pfn) ? PTE_KERNEL_RO : PTE_KERNEL_RW));
        if (rc)
            return rc;
        (*mapped)++;
    }
    return flush_batch(b);
}

/* Steps 1-3: a complete new L4 in b->l4, or the failing call's code. */
static long build_tables(struct builder *b, uint64_t *mapped, const char **step)
{
    long rc;

    *step = "new L4";
    rc = new_table(b, &b->l4);
    if (rc)
        return rc;
    *step = "pin L4";
    rc = pv_ops.pin_table(4, b->l4);
    if (rc) {
        b->l4 = 0;
        return rc;
    }
    *step = "link tables";
    rc = make_tables(b, KERNEL_VIRT_BASE, mm.boot_end);
    if (!rc)
        rc = make_tables(b, DIRECTMAP_BASE, mm.nr_pfns);
    if (rc)
        return rc;
    *step = "map image";
    rc = map_image(b);
    if (rc)
        return rc;
    *step = "map direct";
    return map_direct(b, mapped);
}

/* Step 6: an empty user L4, installed for user mode. */
static void make_user_l4(void)
{
    uint64_t pfn = mm_alloc_pfn(), mfn = pfn_to_mfn(pfn);
    long rc;

    if (pfn == INVALID_FRAME)
        panic("mm: no page for the user L4");
    mm_set_pagetable(pfn, true);
    rc = pv_ops.make_pagetable(4, (unsigned long)pfn_to_virt(pfn), mfn);
    if (rc)
        panic("mm: making pfn %#lx the user L4 failed: %ld", pfn, rc);
    rc = pv_ops.load_user_cr3(mfn);
    if (rc)
        panic("mm: installing the user L4 failed: %ld", rc);
    mm.user_l4_mfn = mfn;
}

/* Step 5: the bootstrap tables become ordinary free pages. */
static void retire_boot_tables(uint64_t boot_l4)
{
    struct pte_update *u = builder.batch;
    uint64_t i, pfn, n = MIN(mm.boot_nr_pt, (uint64_t)PTE_BATCH);
    long rc = pv_ops.load_user_cr3(0);  /* in case it is the bootstrap L4 */

    if (!rc)
        rc = pv_ops.unpin_table(boot_l4);
    if (rc) {
        printk("mm: unpinning the bootstrap L4 failed (%ld): keeping its frames\n", rc);
        return;
    }
    for (i = 0; i < n; i++) {
        pfn = mm.boot_pt_pfn + i;
        u[i] = (struct pte_update){ mm_pte_maddr(PFN_VA(DIRECTMAP_BASE, pfn)),
                                    (pfn_to_mfn(pfn) << PAGE_SHIFT) | PTE_KERNEL_RW };
    }
    rc = pv_ops.write_ptes(u, n);
    if (rc) {
        printk("mm: remapping the bootstrap tables writable failed (%ld)\n", rc);
        return;
    }
    for (i = 0; i < n; i++) {
        mm_set_pagetable(mm.boot_pt_pfn + i, false);
        page_alloc_put(mm.boot_pt_pfn + i);
    }
}

/* After a refusal before the switch: back to the bootstrap tables' world. */
static void abandon_build(struct builder *b)
{
    if (b->l4)
        pv_ops.unpin_table(b->l4);      /* frees the linked tables' types */
    if (window_map(b, pfn_to_mfn(b->window_pfn), true))
        panic("mm: cannot restore the window page");
    page_alloc_put(b->window_pfn);
}

/* The bootstrap facts, and how far the bootstrap mapping reaches. */
static void mm_discover(void)
{
    mm.nr_pfns = MIN(mm_nr_pfns(), MM_MAX_PFNS);
    mm.boot_end = arch_bootstrap_end_pfn();
    mm.boot_pt_pfn = arch_boot_pt_pfn();
    mm.boot_nr_pt = arch_boot_nr_pt_frames();
    mm.l4_mfn = pfn_to_mfn(mm.boot_pt_pfn);
    mm.boot_mapped = mm.boot_end;       /* enough to walk the tables */
    mm.nr_reserved = arch_reserved_pfns(mm.reserved, MM_MAX_RESERVED);
    while (mm.boot_mapped < mm.nr_pfns &&
           (mm_read_pte(PFN_VA(KERNEL_VIRT_BASE, mm.boot_mapped)) & _PAGE_PRESENT))
        mm.boot_mapped++;
}

/* Last in mm_init(): the reserved pfns were released with the rest. */
static void claim_reserved(void)
{
    unsigned int i;

    for (i = 0; i < mm.nr_reserved; i++)
        page_alloc_claim(mm.reserved[i]);
}

void mm_init(bool own_tables)
{
    struct builder *b = &builder;
    uint64_t boot_l4, mapped = 0, i;
    const char *step = "";
    long rc;

    mm_discover();
    page_alloc_init(mm.nr_pfns);
    for (i = 0; i < mm.boot_nr_pt; i++)
        mm_set_pagetable(mm.boot_pt_pfn + i, true);
    if (mm.boot_mapped <= mm.boot_end)
        panic("mm: the bootstrap region has no padding");
    /* The padding is free; its last page is the builder's window. */
    b->window_pfn = mm.boot_mapped - 1;
    b->window = PFN_VA(KERNEL_VIRT_BASE, b->window_pfn);
    page_alloc_release(mm.boot_end, b->window_pfn);
    printk("mm: %lu pfns, bootstrap region %lu pages (%lu in use), tables at pfn %#lx+%lu\n",
           mm.nr_pfns, mm.boot_mapped, mm.boot_end, mm.boot_pt_pfn, mm.boot_nr_pt);
    if (!own_tables) {
        abandon_build(b);
        claim_reserved();
        printk("mm: staying on the bootstrap page tables (mm=boot)\n");
        return;
    }

    b->next_pfn = mm.boot_mapped;
    rc = build_tables(b, &mapped, &step);
    if (rc) {
        abandon_build(b);
        claim_reserved();
        printk("mm: staying on the bootstrap page tables (%s: %ld)\n", step, rc);
        return;
    }
    rc = pv_ops.load_cr3(b->l4);
    if (rc)
        panic("mm: switching to L4 mfn %#lx failed: %ld", b->l4, rc);
    boot_l4 = mm.l4_mfn;
    mm.l4_mfn = b->l4;
    mm.own = true;

    page_alloc_release(b->next_pfn, mm.nr_pfns);
    retire_boot_tables(boot_l4);
    page_alloc_put(b->window_pfn);
    claim_reserved();
    make_user_l4();
    printk("mm: running on own page tables (L4 mfn %#lx, %lu MiB mapped, %lu tables)\n",
           mm.l4_mfn, mapped >> (20 - PAGE_SHIFT), b->nr_tables);
    printk("mm: user L4 mfn %#lx, %lu pfns free\n", mm.user_l4_mfn, mm_free_pfns());
}
