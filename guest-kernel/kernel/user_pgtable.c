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
 *
 * fork shares user frames copy-on-write (uspace_fork()): both spaces map
 * the frame read-only with PTE_COW (a software bit, 9, which the PV ABI
 * leaves to the guest) saying "writable once private".  A write fault (or
 * a kernel write through uspace_ptr()) copies the frame, or takes it over
 * when no other space shares it any more.  How many spaces share a frame
 * is counted in share_pages[] (extra references: 0 = private), so a frame
 * goes back to the allocator only when its last mapping goes.  The child's
 * tables are new frames, filled while still writable and only then made
 * read-only and linked: a table frame is never shared, never writable
 * while the hypervisor knows it as a table.
 *
 * Leaves marked UPTE_FOREIGN (mm.h: another domain's frame mapped through
 * privcmd, a grant mapped through gntdev) belong to a device region: they
 * are never freed to the allocator nor counted, never copied by fork, and
 * the kernel reaches them only while their space is the active one, by
 * the user address itself (below, uspace_ptr()).
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
#define PTE_COW       (1UL << 9)    /* _PAGE_AVAIL: writable once private */
#define SHARES_MAX    255

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

/* Extra references to user frames, a byte per pfn, a page of counters
 * made on the first share of a frame in its range and kept. */
static uint8_t *share_pages[MM_MAX_PFNS / PAGE_SIZE];

static uint8_t *share_slot(uint64_t pfn, bool make)
{
    uint8_t **pp = &share_pages[pfn / PAGE_SIZE];

    if (pfn >= MM_MAX_PFNS)
        return NULL;
    if (!*pp && make) {
        uint64_t f = mm_alloc_pfn();

        if (f == INVALID_FRAME)
            return NULL;
        *pp = pfn_to_virt(f);
    }
    return *pp ? &(*pp)[pfn % PAGE_SIZE] : NULL;
}

static unsigned int frame_shares(uint64_t pfn)
{
    const uint8_t *s = share_slot(pfn, false);

    return s ? *s : 0;
}

/* One mapping of a user frame goes: free it if it was the last. */
static void frame_put(uint64_t pfn)
{
    uint8_t *s = share_slot(pfn, false);

    if (s && *s) {
        (*s)--;
        return;
    }
    mm_free_pfn(pfn);
}

uint64_t uspace_share_pages(void)
{
    uint64_t n = 0;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(share_pages); i++)
        n += share_pages[i] != NULL;
    return n;
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
                frame_put(freed[k]);
            nfreed = 0;
        }
        if (unmap) {
            batch_add(&b, maddr_of(l1, pt_index(va, 1)), 0);
        } else {
            pte_t n = (e & (PTE_FRAME_MASK | UPTE_FOREIGN)) | leaf_flags(prot);

            /* A frame still shared (or maybe: COW) stays read-only. */
            if ((prot & UPROT_WRITE) &&
                ((e & PTE_COW) || frame_shares(mfn_to_pfn(pte_frame(e)))))
                n = (n & ~(pte_t)(_PAGE_RW | _PAGE_DIRTY)) | PTE_COW;
            batch_add(&b, maddr_of(l1, pt_index(va, 1)), n);
        }
        if (unmap && !(e & UPTE_FOREIGN)) {
            freed[nfreed++] = mfn_to_pfn(pte_frame(e));
            us->pages--;
        }
    }
    batch_flush(&b);
    /* The old translations may be cached: flush before reuse. */
    if (!b.rc)
        b.rc = pv_ops.flush_tlb_local();
    for (k = 0; k < nfreed && !b.rc; k++)
        frame_put(freed[k]);
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
    if (write && (e & _PAGE_PRESENT) && (e & PTE_COW) && !(e & _PAGE_RW)) {
        if (uspace_cow_break((struct user_space *)us, va))
            return NULL;
        e = pfn_table(l1)[pt_index(va, 1)];
    }
    if (!(e & _PAGE_PRESENT) || !(e & _PAGE_USER) || (write && !(e & _PAGE_RW)))
        return NULL;
    /* Not our frame, so not in the direct map: the kernel L4 of the
     * active space maps the user half too, and the kernel runs in ring 3
     * like its programs, so the user address itself reaches it. */
    if (e & UPTE_FOREIGN)
        return uspace_is_active(us) ? (void *)va : NULL;
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

/* The kernel L4 the vCPU runs on, when it is a user space's (cow_break:
 * an entry of the running space can be rewritten by its address). */
static uint64_t active_kernel_l4_pfn;

long uspace_activate(const struct user_space *us)
{
    long rc;

    active_kernel_l4_pfn = 0;

    if (!us)
        rc = pv_ops.load_cr3(mm_current_l4_mfn());
    else
        rc = pv_ops.load_cr3(pfn_to_mfn(us->kernel_l4_pfn));
    if (rc)
        return rc;
    rc = pv_ops.load_user_cr3(us ? pfn_to_mfn(us->user_l4_pfn) : mm_user_l4_mfn());
    if (!rc && us)
        active_kernel_l4_pfn = us->kernel_l4_pfn;
    return rc;
}

bool uspace_is_active(const struct user_space *us)
{
    return us->kernel_l4_pfn && us->kernel_l4_pfn == active_kernel_l4_pfn;
}

uint64_t uspace_pte_maddr(struct user_space *us, uint64_t va, uint64_t *old)
{
    uint64_t l1;

    if (!range_ok(va, 1))
        return 0;
    l1 = l1_of(us, va, true);
    if (l1 == INVALID_FRAME)
        return 0;
    *old = pfn_table(l1)[pt_index(va, 1)];
    return maddr_of(l1, pt_index(va, 1));
}

uint64_t uspace_foreign_pte(uint64_t mfn, unsigned prot)
{
    return (mfn << PAGE_SHIFT) | leaf_flags(prot) | UPTE_FOREIGN;
}

/* Free the user frames and tables under one table (level 3..1). */
static void free_tree(uint64_t pfn, unsigned int level)
{
    const pte_t *t = pfn_table(pfn);
    unsigned int i;

    for (i = 0; i < PT_ENTRIES; i++) {
        if (!(t[i] & _PAGE_PRESENT))
            continue;
        if (level == 1) {
            if (!(t[i] & UPTE_FOREIGN))
                frame_put(mfn_to_pfn(pte_frame(t[i])));
        } else {
            free_tree(mfn_to_pfn(pte_frame(t[i])), level - 1);
        }
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

/*
 * fork: the child's tables, built bottom-up.  copy_table() returns a new
 * table (level 3..1) holding what src holds, already read-only in the
 * direct map and marked a table but linked nowhere; the hypervisor
 * validates the whole subtree when the L3 is linked into the child's L4s.
 * Each user frame gains a share; a writable leaf becomes read-only + COW
 * in the parent too (batched in *pb, applied before the TLB flush).
 */
static void drop_copy(uint64_t pfn, unsigned int level, bool is_table);

static uint64_t copy_table(struct batch *pb, uint64_t src, unsigned int level)
{
    uint64_t dst = mm_alloc_pfn();
    const pte_t *s = pfn_table(src);
    pte_t *d;
    unsigned int i;

    if (dst == INVALID_FRAME)
        return dst;
    d = pfn_table(dst);
    for (i = 0; i < PT_ENTRIES; i++) {
        pte_t e = s[i];

        if (!(e & _PAGE_PRESENT))
            continue;
        if (level > 1) {
            uint64_t sub = copy_table(pb, mfn_to_pfn(pte_frame(e)), level - 1);

            if (sub == INVALID_FRAME)
                goto fail;
            d[i] = (pfn_to_mfn(sub) << PAGE_SHIFT) | PTE_TABLE;
        } else if (e & UPTE_FOREIGN) {
            continue;           /* a device region: not inherited */
        } else {
            uint8_t *sh = share_slot(mfn_to_pfn(pte_frame(e)), true);

            if (!sh || *sh == SHARES_MAX)
                goto fail;
            (*sh)++;
            if (e & _PAGE_RW) {
                e = (e & ~(pte_t)(_PAGE_RW | _PAGE_DIRTY)) | PTE_COW;
                batch_add(pb, maddr_of(src, i), e);
            }
            d[i] = e;
        }
    }
    if (pv_ops.set_pte_at((unsigned long)d, (pfn_to_mfn(dst) << PAGE_SHIFT) | PTE_DIRECT_RO, 1))
        goto fail;
    mm_set_pagetable(dst, true);
    return dst;
fail:
    drop_copy(dst, level, false);
    return INVALID_FRAME;
}

/* Undo a copy_table() not linked anywhere: shares back, tables freed. */
static void drop_copy(uint64_t pfn, unsigned int level, bool is_table)
{
    const pte_t *t = pfn_table(pfn);
    unsigned int i;

    for (i = 0; i < PT_ENTRIES; i++) {
        if (!(t[i] & _PAGE_PRESENT))
            continue;
        if (level > 1)
            drop_copy(mfn_to_pfn(pte_frame(t[i])), level - 1, true);
        else
            frame_put(mfn_to_pfn(pte_frame(t[i])));
    }
    if (is_table)
        table_free(pfn);
    else
        mm_free_pfn(pfn);
}

long uspace_fork(struct user_space *child, const struct user_space *parent)
{
    const pte_t *pk = pfn_table(parent->kernel_l4_pfn);
    struct batch pb = { .n = 0 };
    unsigned int i;
    long rc = 0;

    for (i = 0; i < USER_L4_SLOTS && !rc; i++) {
        struct pte_update link[2];
        uint64_t l3;

        if (!(pk[i] & _PAGE_PRESENT))
            continue;
        l3 = copy_table(&pb, mfn_to_pfn(pte_frame(pk[i])), 3);
        if (l3 == INVALID_FRAME) {
            rc = -ENOMEM;
            break;
        }
        link[0] = (struct pte_update){ maddr_of(child->kernel_l4_pfn, i),
                                       (pfn_to_mfn(l3) << PAGE_SHIFT) | PTE_TABLE };
        link[1] = (struct pte_update){ maddr_of(child->user_l4_pfn, i), link[0].val };
        if (pv_ops.write_ptes(link, 2)) {
            drop_copy(l3, 3, true);
            rc = -ENOMEM;
        }
    }
    /* The parent's leaves went read-only + COW even if the child failed:
     * harmless, its first write takes the frame back (no share left). */
    batch_flush(&pb);
    if (!pb.rc)
        pb.rc = pv_ops.flush_tlb_local();
    if (pb.rc && !rc)
        rc = -ENOMEM;
    child->pages = parent->pages;
    return rc;
}

long uspace_cow_break(struct user_space *us, uint64_t va)
{
    uint64_t l1 = l1_of(us, va & PAGE_MASK, false), pfn, npfn;
    struct pte_update u;
    bool copied;
    pte_t e;

    if (va >= USER_VA_END || l1 == INVALID_FRAME)
        return -EFAULT;
    e = pfn_table(l1)[pt_index(va, 1)];
    /* Writable already: a stale read-only translation faulted (after a
     * take-over, below); the retry finds the new entry. */
    if ((e & (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)) == (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER))
        return 0;
    if (!(e & _PAGE_PRESENT) || !(e & PTE_COW))
        return -EFAULT;
    pfn = mfn_to_pfn(pte_frame(e));
    e = (e & ~PTE_COW) | _PAGE_RW | _PAGE_DIRTY;
    copied = frame_shares(pfn) != 0;
    if (copied) {
        npfn = mm_alloc_pfn();
        if (npfn == INVALID_FRAME)
            return -ENOMEM;
        memcpy(pfn_to_virt(npfn), pfn_to_virt(pfn), PAGE_SIZE);
        e = (e & ~PTE_FRAME_MASK) | (pfn_to_mfn(npfn) << PAGE_SHIFT);
        frame_put(pfn);
    }
    /* A new frame: the old read-only translation must go (its frame may
     * be another space's to write from now on).  A frame taken over: the
     * stale read-only translation can stay, a write through it faults
     * and the fault drops it.  The running space's entry is rewritten by
     * its address (update_va_mapping, with invlpg when needed: one
     * hypercall), another's through mmu_update. */
    if (us->kernel_l4_pfn == active_kernel_l4_pfn) {
        if (pv_ops.set_pte_at(va & PAGE_MASK, e, copied))
            return -EFAULT;
    } else {
        u = (struct pte_update){ maddr_of(l1, pt_index(va, 1)), e };
        if (pv_ops.write_ptes(&u, 1) || (copied && pv_ops.flush_tlb_local()))
            return -EFAULT;
    }
    return 0;
}
