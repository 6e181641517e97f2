/* SPDX-License-Identifier: MIT */
/*
 * user_pgtable.c - user address spaces: an L4 pair per process, the user
 *                  mappings below it, and reaching user memory from the
 *                  kernel.
 * Owns:    the page tables of every user space (their frames and entries).
 * Touches: pv_ops MMU operations (write_ptes, set_pte_at, make_pagetable,
 *          release_pagetable, load_cr3, load_user_cr3); the allocator; the
 *          kernel's own L4 (mm_current_l4_mfn(), read only).
 *
 * Why two L4s (Linux's PV design, DESIGN.md section 2): the guest kernel
 * runs in ring 3 like its programs, so page-level U/S bits cannot keep a
 * program out of kernel memory.  The hypervisor instead switches cr3 on
 * every user <-> kernel transition: user mode runs on the user L4, which
 * has no kernel slot at all.  The kernel L4 of the same process has both
 * halves, so system calls reach user memory directly.
 *
 * Every new table frame is first made read-only in the direct map (a
 * frame typed as a page table may not be writable anywhere), then linked
 * with mmu_update, which makes the hypervisor validate it as the level
 * below.  A user L3 is linked into both L4s in one mmu_update.  The leaf
 * entries of a range are batched, up to PT_ENTRIES per mmu_update.  The
 * L4s alone are pinned (as Linux pins a pgd pair): the tables below live
 * while the L4s reference them, and lose their type when the L4s are
 * unpinned at destruction.
 */
#include <kernel.h>
#include <mm.h>
#include <uapi.h>
#include <asm/page.h>
#include <asm/pvops.h>

#define PTE_NX        (1UL << 63)
#define PTE_TABLE     (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PTE_DIRECT_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define PTE_DIRECT_RW (PTE_DIRECT_RO | _PAGE_RW | _PAGE_DIRTY)
#define USER_L4_SLOTS 256           /* 0..255: the lower half */
#define KERNEL_L4_FIRST 272         /* the guest's slots after the hypervisor's */
#define BATCH 64

struct batch {
    struct pte_update u[BATCH];
    unsigned int n;
    long rc;
};

static void batch_flush(struct batch *b)
{
    if (b->n && !b->rc)
        b->rc = pv_ops.write_ptes(b->u, b->n);
    b->n = 0;
}

static void batch_add(struct batch *b, uint64_t ptr, uint64_t val)
{
    if (b->n == BATCH)
        batch_flush(b);
    b->u[b->n++] = (struct pte_update){ ptr, val };
}

static pte_t *pfn_table(uint64_t pfn) { return pfn_to_virt(pfn); }

static pte_t *mfn_table(uint64_t mfn)
{
    uint64_t pfn = mfn_to_pfn(mfn);

    return pfn == INVALID_FRAME ? NULL : pfn_to_virt(pfn);
}

static uint64_t maddr_of(uint64_t pfn, unsigned int idx)
{
    return (pfn_to_mfn(pfn) << PAGE_SHIFT) + idx * PTE_SIZE;
}

/* A zeroed frame, read-only in the direct map, marked a page table. */
static uint64_t table_alloc(void)
{
    uint64_t pfn = mm_alloc_pfn();

    if (pfn == INVALID_FRAME)
        return pfn;
    if (pv_ops.set_pte_at((unsigned long)pfn_to_virt(pfn),
                          (pfn_to_mfn(pfn) << PAGE_SHIFT) | PTE_DIRECT_RO, 1)) {
        mm_free_pfn(pfn);
        return INVALID_FRAME;
    }
    mm_set_pagetable(pfn, true);
    return pfn;
}

/* A frame that is no longer a table: writable again, then free. */
static void table_free(uint64_t pfn)
{
    long rc = pv_ops.set_pte_at((unsigned long)pfn_to_virt(pfn),
                                (pfn_to_mfn(pfn) << PAGE_SHIFT) | PTE_DIRECT_RW, 1);

    if (rc) {
        printk("uspace: pfn %#lx still typed (%ld): leaked\n", pfn, rc);
        return;
    }
    mm_set_pagetable(pfn, false);
    mm_free_pfn(pfn);
}

long uspace_create(struct user_space *us)
{
    const pte_t *master = mfn_table(mm_current_l4_mfn());
    uint64_t k = mm_alloc_pfn(), u = mm_alloc_pfn();
    pte_t *kl4;
    long rc;

    *us = (struct user_space){ 0 };
    if (!master || k == INVALID_FRAME || u == INVALID_FRAME) {
        if (k != INVALID_FRAME)
            mm_free_pfn(k);
        if (u != INVALID_FRAME)
            mm_free_pfn(u);
        return -ENOMEM;
    }
    kl4 = pfn_table(k);
    memcpy(kl4 + KERNEL_L4_FIRST, master + KERNEL_L4_FIRST,
           (PT_ENTRIES - KERNEL_L4_FIRST) * PTE_SIZE);
    mm_set_pagetable(k, true);
    mm_set_pagetable(u, true);
    rc = pv_ops.make_pagetable(4, (unsigned long)kl4, pfn_to_mfn(k));
    /* A failed multicall may have left a page read-only: table_free()
     * maps it writable again before freeing it. */
    if (rc) {
        table_free(k);
        table_free(u);
        printk("uspace: pinning a new kernel L4 failed: %ld\n", rc);
        return -ENOMEM;
    }
    us->kernel_l4_pfn = k;
    rc = pv_ops.make_pagetable(4, (unsigned long)pfn_table(u), pfn_to_mfn(u));
    if (rc) {
        table_free(u);
        printk("uspace: pinning a new user L4 failed: %ld\n", rc);
        uspace_destroy(us);
        return -ENOMEM;
    }
    us->user_l4_pfn = u;
    return 0;
}

/* The table under entry idx of table `pfn` (level > 1), made if missing
 * and `make`; INVALID_FRAME if none. */
static uint64_t child(const struct user_space *us, uint64_t pfn, unsigned int level,
                      unsigned int idx, bool make)
{
    pte_t e = pfn_table(pfn)[idx];
    struct pte_update link[2];
    uint64_t c;

    if (e & _PAGE_PRESENT)
        return mfn_to_pfn(pte_frame(e));
    if (!make)
        return INVALID_FRAME;
    c = table_alloc();
    if (c == INVALID_FRAME)
        return c;
    link[0] = (struct pte_update){ maddr_of(pfn, idx),
                                   (pfn_to_mfn(c) << PAGE_SHIFT) | PTE_TABLE };
    link[1] = (struct pte_update){ maddr_of(us->user_l4_pfn, idx), link[0].val };
    /* An L3 goes into both L4s; pfn is then the kernel L4. */
    if (pv_ops.write_ptes(link, level == 4 ? 2 : 1)) {
        mm_set_pagetable(c, false);
        table_free(c);
        return INVALID_FRAME;
    }
    return c;
}

/* The L1 table for va (made on the way if `make`), INVALID_FRAME if none. */
static uint64_t l1_of(const struct user_space *us, uint64_t va, bool make)
{
    uint64_t pfn = us->kernel_l4_pfn;
    unsigned int level;

    for (level = 4; level > 1 && pfn != INVALID_FRAME; level--)
        pfn = child(us, pfn, level, pt_index(va, level), make);
    return pfn;
}

static bool range_ok(uint64_t va, uint64_t npages)
{
    return !(va & (PAGE_SIZE - 1)) && va < USER_VA_END &&
           npages <= (USER_VA_END - va) >> PAGE_SHIFT;
}

static pte_t leaf_flags(unsigned int prot)
{
    pte_t f = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

    if (prot & UPROT_WRITE)
        f |= _PAGE_RW | _PAGE_DIRTY;
    if (!(prot & UPROT_EXEC))
        f |= PTE_NX;
    return f;
}

long uspace_map(struct user_space *us, uint64_t va, uint64_t npages, unsigned prot)
{
    struct batch b = { .n = 0 };
    uint64_t i, l1 = INVALID_FRAME, pfn;

    if (!range_ok(va, npages))
        return -EINVAL;
    for (i = 0; i < npages; i++, va += PAGE_SIZE) {
        if (l1 == INVALID_FRAME || pt_index(va, 1) == 0) {
            batch_flush(&b);
            l1 = l1_of(us, va, true);
            if (l1 == INVALID_FRAME)
                return -ENOMEM;
        }
        if (pfn_table(l1)[pt_index(va, 1)] & _PAGE_PRESENT) {
            batch_flush(&b);
            return -EEXIST;
        }
        pfn = mm_alloc_pfn();
        if (pfn == INVALID_FRAME) {
            batch_flush(&b);
            return -ENOMEM;
        }
        batch_add(&b, maddr_of(l1, pt_index(va, 1)),
                  (pfn_to_mfn(pfn) << PAGE_SHIFT) | leaf_flags(prot));
        us->pages++;
    }
    batch_flush(&b);
    return b.rc ? -ENOMEM : 0;
}

/* Rewrite (prot) or clear (unmap) the present leaves of a range. */
static long leaves(struct user_space *us, uint64_t va, uint64_t npages,
                   bool unmap, unsigned int prot)
{
    struct batch b = { .n = 0 };
    uint64_t i, l1 = INVALID_FRAME, freed[BATCH];
    unsigned int nfreed = 0, k;

    if (!range_ok(va, npages))
        return -EINVAL;
    for (i = 0; i < npages; i++, va += PAGE_SIZE) {
        pte_t e;

        if (l1 == INVALID_FRAME || pt_index(va, 1) == 0)
            l1 = l1_of(us, va, false);
        if (l1 == INVALID_FRAME)
            continue;           /* no table: nothing mapped here */
        e = pfn_table(l1)[pt_index(va, 1)];
        if (!(e & _PAGE_PRESENT))
            continue;
        if (unmap && b.n == BATCH) {    /* free only what is unmapped */
            batch_flush(&b);
            for (k = 0; k < nfreed; k++)
                mm_free_pfn(freed[k]);
            nfreed = 0;
        }
        batch_add(&b, maddr_of(l1, pt_index(va, 1)),
                  unmap ? 0 : (e & PTE_FRAME_MASK) | leaf_flags(prot));
        if (unmap) {
            freed[nfreed++] = mfn_to_pfn(pte_frame(e));
            us->pages--;
        }
    }
    batch_flush(&b);
    /* The old translations may be cached: flush before reuse. */
    if (!b.rc)
        b.rc = pv_ops.flush_tlb_local();
    for (k = 0; k < nfreed && !b.rc; k++)
        mm_free_pfn(freed[k]);
    return b.rc ? -EFAULT : 0;
}

long uspace_unmap(struct user_space *us, uint64_t va, uint64_t npages)
{
    return leaves(us, va, npages, true, 0);
}

long uspace_protect(struct user_space *us, uint64_t va, uint64_t npages, unsigned prot)
{
    return leaves(us, va, npages, false, prot);
}

void *uspace_ptr(const struct user_space *us, uint64_t va, bool write)
{
    uint64_t l1;
    pte_t e;

    if (va >= USER_VA_END || !us->kernel_l4_pfn)
        return NULL;
    l1 = l1_of(us, va, false);
    if (l1 == INVALID_FRAME)
        return NULL;
    e = pfn_table(l1)[pt_index(va, 1)];
    if (!(e & _PAGE_PRESENT) || !(e & _PAGE_USER) || (write && !(e & _PAGE_RW)))
        return NULL;
    return (uint8_t *)pfn_to_virt(mfn_to_pfn(pte_frame(e))) + (va & (PAGE_SIZE - 1));
}

long uspace_copy_to(const struct user_space *us, uint64_t va, const void *src, size_t n)
{
    const uint8_t *s = src;

    while (n) {
        size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        void *d = uspace_ptr(us, va, true);

        if (!d)
            return -EFAULT;
        memcpy(d, s, chunk);
        s += chunk; va += chunk; n -= chunk;
    }
    return 0;
}

long uspace_copy_from(const struct user_space *us, void *dst, uint64_t va, size_t n)
{
    uint8_t *d = dst;

    while (n) {
        size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
        const void *s = uspace_ptr(us, va, false);

        if (!s)
            return -EFAULT;
        memcpy(d, s, chunk);
        d += chunk; va += chunk; n -= chunk;
    }
    return 0;
}

long uspace_activate(const struct user_space *us)
{
    long rc;

    if (!us)
        rc = pv_ops.load_cr3(mm_current_l4_mfn());
    else
        rc = pv_ops.load_cr3(pfn_to_mfn(us->kernel_l4_pfn));
    if (rc)
        return rc;
    return pv_ops.load_user_cr3(us ? pfn_to_mfn(us->user_l4_pfn) : mm_user_l4_mfn());
}

/* Free the user frames and tables under one table (level 3..1). */
static void free_tree(uint64_t pfn, unsigned int level)
{
    const pte_t *t = pfn_table(pfn);
    unsigned int i;

    for (i = 0; i < PT_ENTRIES; i++) {
        if (!(t[i] & _PAGE_PRESENT))
            continue;
        if (level == 1)
            mm_free_pfn(mfn_to_pfn(pte_frame(t[i])));
        else
            free_tree(mfn_to_pfn(pte_frame(t[i])), level - 1);
    }
    table_free(pfn);
}

void uspace_destroy(struct user_space *us)
{
    uint64_t k = us->kernel_l4_pfn, u = us->user_l4_pfn;
    unsigned int i;
    long rc = 0;

    if (k)
        rc = pv_ops.release_pagetable((unsigned long)pfn_table(k), pfn_to_mfn(k));
    if (!rc && u)
        rc = pv_ops.release_pagetable((unsigned long)pfn_table(u), pfn_to_mfn(u));
    if (rc) {
        printk("uspace: unpinning an L4 failed (%ld): its frames leak\n", rc);
        return;
    }
    /* Unpinned, every table below lost its type: walk and free. */
    if (k) {
        for (i = 0; i < USER_L4_SLOTS; i++)
            if (pfn_table(k)[i] & _PAGE_PRESENT)
                free_tree(mfn_to_pfn(pte_frame(pfn_table(k)[i])), 3);
        mm_set_pagetable(k, false);
        mm_free_pfn(k);
    }
    if (u) {
        mm_set_pagetable(u, false);
        mm_free_pfn(u);
    }
    *us = (struct user_space){ 0 };
}
