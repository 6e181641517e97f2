/* SPDX-License-Identifier: MIT */
/*
 * mm.c - guest page tables: validation, mmu_update, update_va_mapping,
 * mmuext_op.
 * Owns:    what a valid x86_64 PV page-table entry is, and the references
 *          each entry holds (see the essay in common/frame.c).
 * Touches: frame_table counts (through get_page() and put_page()), guest
 *          page-table frames (written through the direct map), the M2P,
 *          CR3 and the TLB.
 * Trusts:  nothing from the guest above the do_*() functions; the mm_*()
 *          workers below them trust their (already range-checked) args.
 * Foreign: with foreigndom naming another domain (the privileged domain
 *          building it, as Xen 4.17), mmu_update maps that domain's frames
 *          and sets their M2P entries, and mmuext_op pins, unpins, clears
 *          and copies its frames; its tables validate as its own.
 * ABI:     abi/xen/xen.h (MMU_*, UVMF_*, MMUEXT_*, struct mmu_update,
 *          struct mmuext_op); docs/abi/hypercalls.md rows 1, 14, 26, 27.
 *
 * A PV guest writes its own page tables, but only through us. An entry is
 * valid when the frame it points at belongs to the guest (invariant 2),
 * when a writable L1 entry does not point at a page table or descriptor
 * frame (invariant 1, a consequence of the type counts), when an upper-
 * level entry points at a frame that validates as the next level down (PV
 * has no superpages) or, read-only, at a table of its own level (a linear
 * page table: get_linear_pagetable()), and when no guest entry lands in
 * L4 slots 256-271, which we fill from idle_pg_table ourselves
 * (invariant 3). Frames beyond
 * RAM are device memory: only the privileged domain may map them (as Xen
 * lets dom0), uncached and without reference counting. Flags a guest may
 * not set (Xen's BASE_DISALLOW_MASK rules): PWT/PCD/PAT in L1s of
 * unprivileged domains; PWT/PCD/PSE/G above L1. The guest kernel runs in
 * ring 3, so every present guest entry gets _PAGE_USER.
 *
 * Error codes are Xen's, as observed by tests/guests on Xen 4.17: a
 * reference that cannot be taken on an L1 entry's frame (another owner,
 * or a writable mapping of a typed frame) is -XEN_EBUSY; a bad flag or a
 * bad upper-level entry is -XEN_EINVAL; device memory a domain may not
 * map is -XEN_EPERM.
 */
#define LOG_PREFIX "mm"
#include <xen/grant_table.h>
#include <xen/xen.h>
#include "apic.h"
#include "arch.h"
#include "bug.h"
#include "domain.h"
#include "flushtlb.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "m2p.h"
#include "mm.h"
#include "page.h"
#include "page_alloc.h"
#include "processor.h"
#include "pv.h"

#define PTE_CACHE_ATTRS   (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
#define LN_DISALLOW_MASK  (_PAGE_PWT | _PAGE_PCD | _PAGE_GLOBAL | _PAGE_PSE)
#define PTE_UNCACHED      (_PAGE_PWT | _PAGE_PCD)
#define PTE_AD            (_PAGE_ACCESSED | _PAGE_DIRTY)
#define PTE_CMD_MASK      (sizeof(pte_t) - 1)

static enum page_type level_type(unsigned int level)
{
    return (enum page_type)(PGT_l1_page_table + level - 1);
}

static uint64_t l1_disallow_mask(const struct domain *d)
{
    return d->is_privileged ? 0 : PTE_CACHE_ATTRS;
}

/*
 * May d map machine frame mfn, which is not RAM, as device memory? Only
 * the privileged domain, and never the local APIC, the hypervisor's (as
 * Xen denies dom0 its MMIO; the I/O APIC it maps read-only: below).
 */
#define PTE_MFN_ALL_ONES (PTE_ADDR_MASK >> PAGE_SHIFT)

static bool iomem_access_permitted(const struct domain *d, mfn_t mfn)
{
    return d->is_privileged && mfn_x(mfn) < arch_max_phys_mfn() &&
           !apic_mmio_mfn(mfn_x(mfn));
}

/*
 * The references a present L1 entry of l1e_owner's table needs, on a
 * frame of pg_owner (the same domain, or one a privileged domain names).
 * *e may be adjusted (device memory is forced uncached).
 */
static always_inline int get_page_from_l1e(pte_t *e, const struct domain *l1e_owner,
                             const struct domain *pg_owner)
{
    struct page_info *pg;

    if (!(*e & _PAGE_PRESENT))
        return 0;
    if (*e & l1_disallow_mask(l1e_owner))
        return hc_fail(-XEN_EINVAL, "l1e %#lx: reserved flags", *e);
    if (frame_is_io(pte_mfn(*e))) {
        /* As Xen: a frame field of all ones is taken for INVALID_MFN. */
        if (mfn_x(pte_mfn(*e)) == PTE_MFN_ALL_ONES)
            return hc_fail(-XEN_EINVAL, "l1e %#lx: frame field all ones", *e);
        if (!iomem_access_permitted(pg_owner, pte_mfn(*e)))
            return hc_fail(-XEN_EPERM, "l1e %#lx: device memory not d%u's",
                           *e, pg_owner->domain_id);
        *e |= PTE_UNCACHED;
        if (apic_mmio_ro_mfn(mfn_x(pte_mfn(*e))))
            *e &= ~(pte_t)_PAGE_RW;     /* as Xen's mmio_ro_ranges */
        return 0;
    }
    pg = mfn_to_page(pte_mfn(*e));
    if (!(*e & _PAGE_RW))
        return get_page(pg, pg_owner) ? 0 :
            hc_fail(-XEN_EBUSY, "l1e %#lx: frame of d%u", *e, pg->owner);
    if (get_page_and_type(pg, pg_owner, PGT_writable_page))
        return hc_fail(-XEN_EBUSY, "l1e %#lx: writable map of a frame "
                       "(owner d%u, type %u)", *e, pg->owner, pg->type);
    return 0;
}

static always_inline void put_page_from_l1e(pte_t e)
{
    if (!(e & _PAGE_PRESENT) || frame_is_io(pte_mfn(e)))
        return;                   /* device memory holds no reference */
    if (e & _PAGE_RW)
        put_page_and_type(mfn_to_page(pte_mfn(e)));
    else
        put_page(mfn_to_page(pte_mfn(e)));
}

/*
 * Linear (recursive) page tables, as Xen 4.17 allows them by default
 * (pv-linear-pt): an entry of a level-`level` table (2..4) that points at
 * a table of the same level, where the normal path (a table one level
 * down) failed with -XEN_EINVAL. True if the entry may stay. The rules:
 *
 *   - the entry is read-only: a writable one would let the guest write
 *     its own validated tables through the window, behind our back;
 *   - a self-map (the entry points at ptpg itself) takes nothing: the
 *     table holds it, so it goes when the table goes;
 *   - another table must be the domain's, validated as `level` (not one
 *     being validated), and takes a general and a type reference, as a
 *     normal entry does;
 *   - XSA-240's one-level rule: a table that has linear entries may not be
 *     the target of one, and a target may not gain linear entries
 *     (page_info's linear_entries and linear_uses). Without it, linear
 *     entries could form cycles of type references (A -> B -> A: neither
 *     table could ever be devalidated, nor freed) and chains as deep as
 *     the guest likes for devalidation to walk.
 *
 * Isolation. With the entry read-only, every translation through the
 * window is read-only (RW is the AND over the walk), and every frame it
 * reaches is one a validated table of this domain points at: its own
 * tables and the frames they map (get_page() checks the target is ours).
 * The exception is an L4's hypervisor slots 256-271, which an L4 self-map
 * (or an L4 -> L4 entry) puts on the walk at a lower level. U/S is also
 * the AND over the walk, and the guest, kernel included, runs in ring 3;
 * only slot 256, the read-only M2P, carries _PAGE_USER (paging.c). So
 * through the window the guest can read, in addition to the M2P itself
 * (already mapped for it), the frames of the M2P's own L3, L2 and L1
 * tables (m2p.c maps it with 4 KiB pages): machine addresses of the M2P,
 * which XENMEM_machphys_mfn_list tells every guest anyway, and nothing
 * writable. Slots 257-271 have no _PAGE_USER: any access through them
 * faults. Xen 4.17 has the same layout (the M2P in slot 256 user-readable,
 * with 2 MiB pages: through its window the guest reads the M2P's L3 and
 * L2 frames and M2P data) and the same rule. The TLB and paging-structure
 * caches need no new rule: see the end of the essay in common/frame.c.
 */
/* pv-linear-pt= (Xen's option, on by default): off, no linear entries. */
bool opt_pv_linear_pt = true;

static bool get_linear_pagetable(pte_t e, unsigned int level,
                                 struct page_info *ptpg, const struct domain *d)
{
    struct page_info *pg = mfn_to_page(pte_mfn(e));

    if (!opt_pv_linear_pt || (e & _PAGE_RW))
        return false;
    if (pg == ptpg)
        return true;                              /* self-map */
    if (ptpg->linear_uses || pg->linear_entries ||
        ptpg->linear_entries == UINT16_MAX || pg->linear_uses == UINT16_MAX)
        return false;                             /* XSA-240 */
    if (page_current_type(pg) != level_type(level) ||
        !(pg->flags & PGF_validated) || !get_page(pg, d))
        return false;
    if (get_page_type(pg, level_type(level))) {   /* cannot fail: type held */
        put_page(pg);
        return false;
    }
    ptpg->linear_entries++;
    pg->linear_uses++;
    return true;
}

/*
 * An entry of ptpg, a level-`level` table (2..4) of d: a table of level-1
 * below, or a linear entry (above).
 */
static int get_page_from_lne(pte_t e, unsigned int level,
                             struct page_info *ptpg, const struct domain *d)
{
    struct page_info *pg;
    int rc;

    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & LN_DISALLOW_MASK)
        return hc_fail(-XEN_EINVAL, "l%ue %#lx: reserved flags or PSE", level, e);
    if (!mfn_valid(pte_mfn(e)))
        return hc_fail(-XEN_EINVAL, "l%ue %#lx: frame beyond RAM", level, e);
    pg = mfn_to_page(pte_mfn(e));
    rc = get_page_and_type(pg, d, level_type(level - 1));
    if (rc == -XEN_EINVAL && get_linear_pagetable(e, level, ptpg, d))
        return 0;
    if (rc)
        return hc_fail(rc, "l%ue %#lx: not a valid l%u table of d%u (nor a "
                       "read-only linear entry)", level, e, level - 1,
                       d->domain_id);
    return 0;
}

/*
 * Drop what get_page_from_lne() took for entry e of ptpg. A target of
 * ptpg's own level is a linear entry: the target's type is held by the
 * entry, so it cannot have changed since.
 */
static void put_page_from_lne(pte_t e, unsigned int level,
                              struct page_info *ptpg)
{
    struct page_info *pg;

    if (!(e & _PAGE_PRESENT))
        return;
    pg = mfn_to_page(pte_mfn(e));
    if (pg == ptpg)
        return;                                   /* self-map: nothing held */
    if (pg->type == level_type(level)) {
        BUG_ON(!pg->linear_uses || !ptpg->linear_entries,
               "mfn %#lx: linear entry without counts", mfn_x(pte_mfn(e)));
        pg->linear_uses--;
        ptpg->linear_entries--;
    }
    put_page_and_type(pg);
}

static void put_entry(pte_t e, unsigned int level, struct page_info *ptpg)
{
    if (level == 1)
        put_page_from_l1e(e);
    else
        put_page_from_lne(e, level, ptpg);
}

/* _PAGE_USER on every present guest entry: the guest kernel is ring 3. */
static pte_t adjust_guest_entry(pte_t e)
{
    return (e & _PAGE_PRESENT) ? (e | _PAGE_USER) : e;
}

static int validate_table(struct page_info *pg, unsigned int level)
{
    pte_t *t = mfn_to_virt(page_to_mfn(pg));
    const struct domain *d = domain_by_id(pg->owner);
    unsigned int i;
    int rc = 0;

    if (!d)
        return -XEN_EINVAL;
    for (i = 0; i < L1_PAGETABLE_ENTRIES; i++) {
        if (level == 4 && !is_guest_l4_slot(i))
            continue;
        t[i] = adjust_guest_entry(t[i]);
        rc = level == 1 ? get_page_from_l1e(&t[i], d, d)
                        : get_page_from_lne(t[i], level, pg, d);
        if (rc)
            break;
    }
    if (!rc) {
        if (level == 4)
            for (i = HV_FIRST_SLOT; i <= HV_LAST_SLOT; i++)
                t[i] = idle_pg_table[i];
        return 0;
    }
    while (i-- > 0)
        if (level != 4 || is_guest_l4_slot(i))
            put_entry(t[i], level, pg);
    return rc;
}

int arch_validate_page(struct page_info *pg, enum page_type t)
{
    switch (t) {
    case PGT_l1_page_table: return validate_table(pg, 1);
    case PGT_l2_page_table: return validate_table(pg, 2);
    case PGT_l3_page_table: return validate_table(pg, 3);
    case PGT_l4_page_table: return validate_table(pg, 4);
    case PGT_seg_desc_page: return pv_validate_desc_page(pg);
    default:
        return 0;
    }
}

void arch_devalidate_page(struct page_info *pg, enum page_type t)
{
    pte_t *tab = mfn_to_virt(page_to_mfn(pg));
    unsigned int level;

    if (t < PGT_l1_page_table || t > PGT_l4_page_table)
        return;
    level = (unsigned int)(t - PGT_l1_page_table + 1);
    for (unsigned int i = 0; i < L1_PAGETABLE_ENTRIES; i++)
        if (level != 4 || is_guest_l4_slot(i))
            put_entry(tab[i], level, pg);
}

/*
 * va's entry in the L1 table that maps it in the L4 at l4mfn, and that
 * table's frame in *l1pg; NULL if some level is not present (or is a large
 * page, which PV never has). The walk reads the tables through the direct
 * map, one load and one test (present, and PSE below the L4) per level;
 * the entries come from validated tables, so every frame on the way is in
 * the frame table. The L1's address comes from the L2 entry, not from
 * *l1pg (turning a page_info back into a frame number is a division by
 * its size).
 */
static inline pte_t *find_l1e(mfn_t l4mfn, uint64_t va, struct page_info **l1pg)
{
    pte_t e;

    if (!mfn_valid_val(l4mfn))
        return NULL;
    e = ((pte_t *)mfn_to_virt(l4mfn))[l4_index(va)];
    if (!(e & _PAGE_PRESENT))
        return NULL;
    e = ((pte_t *)mfn_to_virt(pte_mfn(e)))[l3_index(va)];
    if ((e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT)
        return NULL;
    e = ((pte_t *)mfn_to_virt(pte_mfn(e)))[l2_index(va)];
    if ((e & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT)
        return NULL;
    *l1pg = mfn_to_page(pte_mfn(e));
    return (pte_t *)mfn_to_virt(pte_mfn(e)) + l1_index(va);
}

/*
 * va's L1 entry in v's current page table, and its table's frame in *l1pg;
 * NULL if there is none.  find_l1e() follows what the tables say, and through
 * a linear entry (a read-only self-map, which validation allows as Xen
 * does) that walk ends at an upper-level table standing in for an L1.
 * Such a table must never take an L1-checked entry: a data page in an L2
 * becomes a page table its owner can write, and the old entry's
 * references would be dropped as a PTE's.  So the table must be a
 * validated L1 of v's own domain, as Xen's mod_l1_entry() asks
 * PGT_l1_page_table of it (-EINVAL otherwise).
 */
static inline pte_t *current_l1e(struct vcpu *v, uint64_t va,
                                 struct page_info **l1pg)
{
    pte_t *e = find_l1e(v->kernel_mode ? v->guest_table : v->guest_table_user,
                        va, l1pg);

    if (!e || page_current_type(*l1pg) != PGT_l1_page_table ||
        (*l1pg)->owner != v->domain->domain_id)
        return NULL;
    return e;
}

/* va's L1 entry in v's kernel page table, whatever mode v is in. */
pte_t mm_guest_kernel_pte(const struct vcpu *v, uint64_t va)
{
    struct page_info *l1pg;
    pte_t *e = find_l1e(v->guest_table, va, &l1pg);

    return e ? *e : 0;
}

pte_t mm_guest_pte(const struct vcpu *v, uint64_t va)
{
    struct page_info *l1pg;
    pte_t *e = find_l1e(v->kernel_mode ? v->guest_table : v->guest_table_user,
                        va, &l1pg);

    return e ? *e : 0;
}

/* MMU_PT_UPDATE_PRESERVE_AD: A and D set by the CPU are not lost (Xen ORs). */
static pte_t keep_ad(pte_t old, pte_t new, bool preserve_ad)
{
    return preserve_ad ? new | (old & PTE_AD) : new;
}

/*
 * The general L1 entry update: *slot, an entry of a validated L1 of d,
 * becomes new if get_page_from_l1e() takes what new needs (on pg_owner's
 * frames); then the old entry's references are dropped. Every case is
 * checked here; l1e_update_fast() below is the common one's short cut.
 */
static __attribute__((noinline)) int mod_l1e(pte_t *slot, pte_t new,
                                             const struct domain *d,
                                             const struct domain *pg_owner,
                                             bool preserve_ad)
{
    pte_t old = *slot;
    int rc;

    new = keep_ad(old, adjust_guest_entry(new), preserve_ad);
    rc = get_page_from_l1e(&new, d, pg_owner);
    if (rc)
        return rc;
    __atomic_store_n(slot, new, __ATOMIC_RELEASE);
    put_page_from_l1e(old);
    return 0;
}

int mm_mod_l1_entry(struct page_info *l1pg, unsigned int idx, pte_t new,
                    const struct domain *d, const struct domain *pg_owner,
                    bool preserve_ad)
{
    return mod_l1e((pte_t *)mfn_to_virt(page_to_mfn(l1pg)) + idx, new, d,
                   pg_owner, preserve_ad);
}

/*
 * The short cut of an L1 entry update (docs/performance.md, "The other
 * operations"; docs/decisions.md): *slot, an entry of a validated L1 of
 * domain d, becomes new, on d's own frames (no foreigndom), in the case a
 * PV kernel makes almost every time: the new entry maps a frame that is
 * already d's writable RAM, or nothing, and the old entry maps a writable
 * frame that keeps other mappings, or nothing. Then the references change
 * by counts only, none reaching 0, which is what get_page_from_l1e() and
 * put_page_from_l1e() do on their inline paths. true if the entry was
 * written; false if nothing was touched and mod_l1e() must decide.
 *
 * The conditions, each the general path's own:
 *  - new, if present: RW, none of PWT/PCD/PAT (an unprivileged domain's
 *    disallow mask; a privileged domain's cache attributes, and read-only
 *    entries, take the general path), a frame in the frame table owned
 *    by d (device memory is DOMID_IO's, a grant's frame or a foreign one
 *    another domain's), count and type_count both in [1, UINT32_MAX)
 *    and type PGT_writable_page: get_page() and get_page_type()'s inline
 *    case. A page-table or descriptor frame has another type while in
 *    use, so it is never mapped writable here (invariant 1); a frame
 *    with no writable mapping yet (its first, which may need the flush
 *    clock's check) goes to get_page_type_slow() through mod_l1e().
 *  - old, if present: RW, a frame in the frame table, not DOMID_IO's,
 *    count and type_count both above 1: put_page_type() and put_page()'s
 *    inline case. Its owner is not looked at, as the general path does
 *    not (the entry was checked when written). A last reference (the
 *    frame freed, or its writable use ending and stamped for the flush
 *    clock) goes to the *_slow() functions through mod_l1e().
 * Both are checked before anything changes (new and old may be the same
 * frame: +1 then -1, with the count above 1 before).
 *
 * TLB and paging-structure caches: as after mod_l1e(), the old entry's
 * translation may stay cached when this returns; mmu_update flushes
 * nothing (the guest asks for flushes: mmuext_op, a later
 * update_va_mapping's flags) and update_va_mapping flushes as its flags
 * say, after. The old frame still holds a general and a writable type
 * reference (the counts stayed above 0), so a stale translation reaches
 * a frame that is still allocated and still writable RAM: nothing the
 * guest could not map again; when those references go, the flush clock
 * guards the frame's next use (common/frame.c). An L1 entry is the last
 * step of a walk: no paging-structure cache holds it.
 */
static always_inline bool l1e_update_fast(pte_t *slot, pte_t new, domid_t d)
{
    pte_t old = *slot;
    struct page_info *npg = NULL, *opg = NULL;

    if ((new & (_PAGE_PRESENT | _PAGE_RW | PTE_CACHE_ATTRS)) ==
        (_PAGE_PRESENT | _PAGE_RW)) {
        if (!mfn_valid(pte_mfn(new)))
            return false;
        npg = mfn_to_page(pte_mfn(new));
        if (npg->owner != d || npg->type != PGT_writable_page ||
            npg->count - 1 >= UINT32_MAX - 1 ||
            npg->type_count - 1 >= UINT32_MAX - 1)
            return false;
        new |= _PAGE_USER;                    /* adjust_guest_entry() */
    } else if (new & _PAGE_PRESENT) {
        return false;
    }
    if (old & _PAGE_PRESENT) {
        if (!(old & _PAGE_RW) || !mfn_valid(pte_mfn(old)))
            return false;
        opg = mfn_to_page(pte_mfn(old));
        if (opg->owner == DOMID_IO || opg->count <= 1 || opg->type_count <= 1)
            return false;
    }
    /*
     * The checks are done; the counts change in memory (an add to memory
     * each) rather than from the values the checks loaded, which would
     * keep two more registers live, and saved, on this path (6
     * instructions of update_va_mapping). Nothing runs between the checks
     * and the changes (one CPU, no interrupt handler touches the frame
     * table), so the counts changed are the counts checked.
     */
    asm volatile("" ::: "memory");
    if (npg) {
        npg->count++;
        npg->type_count++;
    }
    __atomic_store_n(slot, new, __ATOMIC_RELEASE);
    if (opg) {
        opg->count--;
        opg->type_count--;
    }
    return true;
}

/* Entry idx of a validated level-`level` (2..4) table of d. */
static int mod_ln_entry(struct page_info *pg, unsigned int level,
                        unsigned int idx, pte_t new, const struct domain *d,
                        bool preserve_ad)
{
    pte_t *t = mfn_to_virt(page_to_mfn(pg));
    pte_t old = t[idx];
    int rc;

    if (level == 4 && !is_guest_l4_slot(idx))
        return hc_fail(-XEN_EINVAL, "L4 slot %u is the hypervisor's", idx);
    new = keep_ad(old, adjust_guest_entry(new), preserve_ad);
    rc = get_page_from_lne(new, level, pg, d);
    if (rc)
        return rc;
    __atomic_store_n(&t[idx], new, __ATOMIC_RELEASE);
    put_page_from_lne(old, level, pg);
    return 0;
}

/* The domain a foreigndom argument names: see Xen's get_pg_owner(). */
static struct domain *get_pg_owner(unsigned int foreigndom, int *rc)
{
    struct domain *curr = current->domain, *d;

    if ((domid_t)foreigndom == DOMID_SELF)
        return curr;
    *rc = -XEN_ESRCH;
    if ((domid_t)foreigndom == curr->domain_id)
        return NULL;              /* Xen: "cannot specify itself" */
    d = domain_by_id((domid_t)foreigndom);
    if (!d)
        return NULL;
    if (!curr->is_privileged) {
        *rc = -XEN_EPERM;
        return NULL;
    }
    return d;
}

/* MMU_NORMAL_PT_UPDATE and its variants: *ptr = val, validated. */
static int mmu_normal_update(struct domain *d, const struct domain *pg_owner,
                             uint64_t ptr, uint64_t val, bool preserve_ad)
{
    mfn_t mfn = _mfn(ptr >> PAGE_SHIFT);
    unsigned int idx = (unsigned int)((ptr & ~PAGE_MASK) / sizeof(pte_t));
    struct page_info *pg;
    int rc;

    if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), d))
        return hc_fail(-XEN_EINVAL, "mmu_update: ptr %#lx is not d%u's",
                       ptr, d->domain_id);
    pg = mfn_to_page(mfn);
    switch (page_current_type(pg)) {
    case PGT_l1_page_table:
        rc = mod_l1e((pte_t *)mfn_to_virt(mfn) + idx, val, d, pg_owner,
                     preserve_ad);
        break;
    case PGT_l2_page_table:
    case PGT_l3_page_table:
    case PGT_l4_page_table:
        rc = pg_owner != d ? -XEN_EINVAL :
             mod_ln_entry(pg, (unsigned int)(pg->type - PGT_l1_page_table + 1),
                          idx, val, d, preserve_ad);
        break;
    case PGT_seg_desc_page:
        rc = hc_fail(-XEN_EINVAL, "mmu_update: ptr %#lx is a descriptor frame", ptr);
        break;
    default:
        /* Not a table: an ordinary write, allowed where a writable map is. */
        rc = get_page_type(pg, PGT_writable_page);
        if (!rc) {
            ((pte_t *)mfn_to_virt(mfn))[idx] = val;
            put_page_type(pg);
        }
        break;
    }
    put_page(pg);
    return rc;
}

/*
 * The M2P entry of a frame of pg_owner: the caller's own, or (foreigndom)
 * those of a domain a privileged caller builds, as Xen allows. (Xen's
 * -EPERM here is for a foreign page-table owner, foreigndom >> 16, which
 * do_mmu_update() refuses before.)
 */
static int mmu_machphys_update(struct domain *d, const struct domain *pg_owner,
                               uint64_t ptr, uint64_t pfn)
{
    mfn_t mfn = _mfn(ptr >> PAGE_SHIFT);

    (void)d;
    if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), pg_owner))
        return hc_fail(-XEN_EINVAL, "machphys: mfn %#lx is not d%u's",
                       mfn_x(mfn), pg_owner->domain_id);
    m2p_set(mfn, pfn);
    put_page(mfn_to_page(mfn));
    return 0;
}

/* One request, every case checked (out of line: the loop's fast path
 * below keeps its registers). */
static __attribute__((noinline)) int mmu_update_one(struct domain *d,
                                                    const struct domain *pg_owner,
                                                    uint64_t ptr, uint64_t val)
{
    switch (ptr & PTE_CMD_MASK) {
    case MMU_NORMAL_PT_UPDATE:
    case MMU_PT_UPDATE_NO_TRANSLATE:      /* PV: nothing is translated */
        return mmu_normal_update(d, pg_owner, ptr & ~PTE_CMD_MASK, val, false);
    case MMU_PT_UPDATE_PRESERVE_AD:
        return mmu_normal_update(d, pg_owner, ptr & ~PTE_CMD_MASK, val, true);
    case MMU_MACHPHYS_UPDATE:
        return mmu_machphys_update(d, pg_owner, ptr, val);
    default:
        return hc_fail(-XEN_ENOSYS, "mmu_update cmd %lu", ptr & PTE_CMD_MASK);
    }
}

/*
 * The L1 the fast path of do_mmu_update() works in: a general and a type
 * reference taken on it for as long as consecutive requests stay on the
 * fast path, instead of a general one per request. Taken under the
 * conditions mmu_normal_update() checks (the frame d's, in use as an L1)
 * plus no overflow: get_page() and get_page_type()'s inline case. NULL
 * if those do not hold: the general path decides.
 *
 * While it is held, only l1e_update_fast() runs, which changes the counts
 * of writable data frames and never a page table's, so the frame stays a
 * validated L1 of d. Every other request may change that (an L2 entry
 * unhooking the L1 drops a type reference, perhaps the last one), and must
 * see the counts the guest's tables imply: l1_drop() comes first.
 */
static always_inline struct page_info *l1_hold(mfn_t mfn, const struct domain *d)
{
    struct page_info *pg;

    if (!mfn_valid(mfn))
        return NULL;
    pg = mfn_to_page(mfn);
    if (pg->owner != d->domain_id || pg->type != PGT_l1_page_table ||
        pg->count - 1 >= UINT32_MAX - 1 || pg->type_count - 1 >= UINT32_MAX - 1)
        return NULL;
    pg->count++;
    pg->type_count++;
    return pg;
}

static always_inline void l1_drop(struct page_info *pg)
{
    if (pg)
        put_page_and_type(pg);      /* never the last: see l1_hold() */
}

/*
 * Add i to the guest's done count (it survives continuations). As in Xen,
 * a pdone the guest cannot read or write is ignored: the work is done.
 */
static void report_done(uint64_t pdone, bool resumed, unsigned int i)
{
    unsigned int done = 0;

    if (!pdone)
        return;
    if (resumed && copy_from_guest(&done, pdone, sizeof(done)))
        done = 0;
    done += i;
    (void)copy_to_guest(pdone, &done, sizeof(done));
}

/*
 * The requests are read two words at a time (the list's range is checked
 * once). A request on d's own frames, MMU_NORMAL_PT_UPDATE, in an L1 of
 * d's, takes the fast path: the L1 held across requests (l1_hold()) and
 * the entry changed by l1e_update_fast(). Anything else, and anything
 * those refuse, drops the held L1 and goes to mmu_update_one(), which
 * checks every case as if no fast path existed. A failed request stops
 * the batch with the earlier ones done, *pdone counting them, as on Xen.
 */
long do_mmu_update(uint64_t ureqs, unsigned int count, uint64_t pdone,
                   unsigned int foreigndom)
{
    struct domain *d = current->domain, *pg_owner = d;
    bool resumed = count & MMU_UPDATE_PREEMPTED;
    const struct mmu_update *reqs = (const struct mmu_update *)ureqs;
    struct page_info *held = NULL;          /* l1_hold()'s L1, or none */
    uint64_t held_mfn = ~0UL;
    domid_t me = d->domain_id;
    uint64_t ptr, val;
    unsigned int i;
    int rc = 0;

    count &= ~MMU_UPDATE_PREEMPTED;
    if (!guest_range_ok(ureqs, (uint64_t)count * sizeof(*reqs)))
        return hc_fail(-XEN_EFAULT, "mmu_update: %u requests at %#lx", count, ureqs);
    if (foreigndom >> 16)
        return hc_fail(-XEN_ESRCH, "mmu_update: foreign page-table owner");
    if ((domid_t)foreigndom != DOMID_SELF) {
        pg_owner = get_pg_owner(foreigndom, &rc);
        if (!pg_owner)
            return rc;
    }
    for (i = 0; i < count; i++) {
        if (hypercall_preempt_check(i)) {
            l1_drop(held);
            report_done(pdone, resumed, i);
            return hypercall_create_continuation(__HYPERVISOR_mmu_update,
                ureqs + (uint64_t)i * sizeof(*reqs),
                (count - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom, 0);
        }
        if (!raw_read_guest_2u64(&reqs[i].ptr, &ptr, &val)) {
            rc = -XEN_EFAULT;
            break;
        }
        if ((ptr & PTE_CMD_MASK) == MMU_NORMAL_PT_UPDATE && pg_owner == d) {
            if (ptr >> PAGE_SHIFT != held_mfn) {
                l1_drop(held);
                held = l1_hold(_mfn(ptr >> PAGE_SHIFT), d);
                held_mfn = held ? ptr >> PAGE_SHIFT : ~0UL;
            }
            if (held && l1e_update_fast((pte_t *)mfn_to_virt(_mfn(held_mfn)) +
                                        (ptr & ~PAGE_MASK) / sizeof(pte_t), val, me))
                continue;
        }
        l1_drop(held);
        held = NULL;
        held_mfn = ~0UL;
        rc = mmu_update_one(d, pg_owner, ptr, val);
        if (rc)
            break;
    }
    l1_drop(held);
    if (pdone)
        report_done(pdone, resumed, i);
    return rc;
}

/* A vCPU bitmap (UVMF_MULTI, TLB_FLUSH_MULTI, INVLPG_MULTI): does it name vCPU 0? */
static int mask_names_us(uint64_t mask_va, bool *us)
{
    unsigned long m;

    if (copy_from_guest(&m, mask_va, sizeof(m)))
        return -XEN_EFAULT;
    *us = m & 1;
    return 0;
}

/* Flush as update_va_mapping's flags say: the vCPU mask may only name us.
 * (Out of line: update_va_mapping() does UVMF_INVLPG itself.) */
static __attribute__((noinline)) int mm_flush(unsigned long flags, uint64_t va)
{
    uint64_t mask_va = flags & ~(unsigned long)(UVMF_FLUSHTYPE_MASK | UVMF_ALL);
    bool us = true;

    if (mask_va && !(flags & UVMF_ALL)) {          /* UVMF_MULTI */
        if (mask_names_us(mask_va, &us))
            return -XEN_EFAULT;
        if (!us)
            return 0;                              /* not our vCPU 0 */
    }
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
        arch_flush_tlbs();
        break;
    case UVMF_INVLPG:
        invlpg(va);
        break;
    default:
        break;
    }
    return 0;
}

/* update_va_mapping()'s general path: mod_l1e(), then the flush. */
static __attribute__((noinline)) long update_va_mapping_slow(
    pte_t *e, uint64_t va, uint64_t val, unsigned long flags,
    const struct domain *pg_owner /* NULL: the caller's */)
{
    const struct domain *d = current->domain;
    int rc = mod_l1e(e, val, d, pg_owner ? pg_owner : d, false);

    return rc ? rc : mm_flush(flags, va & PAGE_MASK);
}

/*
 * va's entry in the vCPU's current table becomes val. va is checked as
 * Xen's __addr_ok() does (below the canonical hole, or above the
 * hypervisor's slots); the walk then decides, and only a validated L1 of
 * the caller's is written (current_l1e()). The common case (d's own
 * frames, l1e_update_fast()) and the common flushes (UVMF_INVLPG of this
 * VA on this, the only, CPU, or none) run here without a call; everything
 * else is update_va_mapping_slow() and mm_flush(). Whichever path writes
 * the entry, the flush comes after it.
 */
static always_inline long update_va_mapping(uint64_t va, uint64_t val,
                                            unsigned long flags,
                                            const struct domain *pg_owner /* NULL: d */)
{
    struct vcpu *v = current;
    const struct domain *d = v->domain;
    struct page_info *l1pg;
    pte_t *e;

    if (!guest_handle_start_ok(va))
        return hc_fail(-XEN_EINVAL, "va %#lx not a guest address", va);
    e = current_l1e(v, va, &l1pg);
    if (!e)
        return hc_fail(-XEN_EINVAL, "no L1 table of d%u maps va %#lx",
                       d->domain_id, va);
    if (pg_owner || !l1e_update_fast(e, val, d->domain_id))
        return update_va_mapping_slow(e, va, val, flags, pg_owner);
    if (flags == UVMF_INVLPG) {
        invlpg(va & PAGE_MASK);
        return 0;
    }
    if (flags == UVMF_NONE)
        return 0;
    return mm_flush(flags, va & PAGE_MASK);
}

long do_update_va_mapping(uint64_t va, uint64_t val, unsigned long flags)
{
    return update_va_mapping(va, val, flags, NULL);
}

long do_update_va_mapping_otherdomain(uint64_t va, uint64_t val,
                                      unsigned long flags, domid_t domid)
{
    int rc = 0;
    struct domain *pg_owner = get_pg_owner(domid, &rc);

    if (!pg_owner)
        return rc;
    return update_va_mapping(va, val, flags, pg_owner);
}

/* Make mfn the vCPU's kernel (user=false) or user page table. */
static int mm_new_baseptr(struct vcpu *v, uint64_t mfn, bool user)
{
    mfn_t *slot = user ? &v->guest_table_user : &v->guest_table;
    mfn_t old = *slot;
    int rc;

    if (user && mfn == 0) {
        *slot = INVALID_MFN;
    } else {
        if (!mfn_valid(_mfn(mfn)))
            return hc_fail(-XEN_EINVAL, "baseptr mfn %#lx beyond RAM", mfn);
        rc = get_page_and_type(mfn_to_page(_mfn(mfn)), v->domain,
                               PGT_l4_page_table);
        if (rc)
            return hc_fail(rc, "baseptr mfn %#lx is not a valid L4", mfn);
        *slot = _mfn(mfn);
    }
    /* As Xen's new_guest_cr3(): the LDT's pages are found again, in the
     * new kernel table (pv/ldt.c). */
    if (!user && mfn_x(old) != mfn)
        pv_destroy_ldt(v);
    if (user == !v->kernel_mode && mfn_valid_val(*slot))
        switch_cr3(mfn_x(*slot) << PAGE_SHIFT);
    if (mfn_valid_val(old))
        put_page_and_type(mfn_to_page(old));
    return 0;
}

/*
 * Pin a table of d: the caller's own, or (a privileged caller's foreigndom)
 * a domain it builds. The table is validated as d's (validate_table() goes
 * by the frame's owner), so a domU's table maps only the domU's frames.
 */
static int mm_pin(struct domain *d, uint64_t mfn, enum page_type t)
{
    struct page_info *pg;
    int rc;

    if (!mfn_valid(_mfn(mfn)))
        return hc_fail(-XEN_EINVAL, "pin: mfn %#lx beyond RAM", mfn);
    pg = mfn_to_page(_mfn(mfn));
    rc = get_page_and_type(pg, d, t);
    if (rc)
        return hc_fail(rc, "pin: mfn %#lx does not validate as type %u", mfn, t);
    if (pg->flags & PGF_pinned) {
        put_page_and_type(pg);
        return hc_fail(-XEN_EINVAL, "pin: mfn %#lx already pinned", mfn);
    }
    /* As Xen: a dying domain's pins have been dropped; this one goes too. */
    if (d->state == DOMAIN_DYING) {
        put_page_and_type(pg);
        return 0;
    }
    pg->flags |= PGF_pinned;
    return 0;
}

static int mm_unpin(struct domain *d, uint64_t mfn)
{
    struct page_info *pg;

    if (!mfn_valid(_mfn(mfn)))
        return hc_fail(-XEN_EINVAL, "unpin: mfn %#lx beyond RAM", mfn);
    pg = mfn_to_page(_mfn(mfn));
    if (pg->owner != d->domain_id || !pg->count || !(pg->flags & PGF_pinned))
        return hc_fail(-XEN_EINVAL, "unpin: mfn %#lx not pinned by d%u",
                       mfn, d->domain_id);
    pg->flags &= (uint8_t)~PGF_pinned;
    put_page_and_type(pg);
    return 0;
}

int mm_pin_table(struct domain *d, mfn_t mfn, unsigned int level)
{
    return mm_pin(d, mfn_x(mfn), level_type(level));
}

/* MMUEXT_CLEAR_PAGE / COPY_PAGE: frames the guest could map writable. */
static int mm_clear_or_copy(struct domain *d, uint64_t dst, uint64_t src, bool copy)
{
    struct page_info *dpg, *spg = NULL;
    int rc;

    if (!mfn_valid(_mfn(dst)) || (copy && !mfn_valid(_mfn(src))))
        return hc_fail(-XEN_EINVAL, "copy/clear: mfn beyond RAM");
    dpg = mfn_to_page(_mfn(dst));
    if ((rc = get_page_and_type(dpg, d, PGT_writable_page)))
        return hc_fail(rc, "copy/clear: dst mfn %#lx not writable by d%u",
                       dst, d->domain_id);
    if (copy) {
        spg = mfn_to_page(_mfn(src));
        if (!get_page(spg, d)) {
            put_page_and_type(dpg);
            return hc_fail(-XEN_EINVAL, "copy: src mfn %#lx not d%u's",
                           src, d->domain_id);
        }
        memcpy(mfn_to_virt(_mfn(dst)), mfn_to_virt(_mfn(src)), PAGE_SIZE);
        put_page(spg);
    } else {
        memset(mfn_to_virt(_mfn(dst)), 0, PAGE_SIZE);
    }
    put_page_and_type(dpg);
    return 0;
}

static int mm_flush_multi(const struct mmuext_op *op, bool one_page)
{
    bool us;
    int rc = mask_names_us((uint64_t)op->arg2.vcpumask.p, &us);

    if (rc)
        return rc;
    if (us && one_page && guest_range_ok(op->arg1.linear_addr, 1))
        invlpg(op->arg1.linear_addr);
    else if (us && !one_page)
        arch_flush_tlbs();
    return 0;
}

/*
 * One op on pg_owner's frames (foreigndom): pins, unpins, clear and copy
 * work on another domain's frames for a privileged caller, as in Xen (a
 * domain builder pins the new domain's tables); every op about the
 * caller's own vCPU or TLB is -XEN_EPERM there.
 */
static int mmuext_foreign(struct domain *pg_owner, const struct mmuext_op *op)
{
    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE: return mm_pin(pg_owner, op->arg1.mfn, PGT_l1_page_table);
    case MMUEXT_PIN_L2_TABLE: return mm_pin(pg_owner, op->arg1.mfn, PGT_l2_page_table);
    case MMUEXT_PIN_L3_TABLE: return mm_pin(pg_owner, op->arg1.mfn, PGT_l3_page_table);
    case MMUEXT_PIN_L4_TABLE: return mm_pin(pg_owner, op->arg1.mfn, PGT_l4_page_table);
    case MMUEXT_UNPIN_TABLE:  return mm_unpin(pg_owner, op->arg1.mfn);
    case MMUEXT_CLEAR_PAGE:
        return mm_clear_or_copy(pg_owner, op->arg1.mfn, 0, false);
    case MMUEXT_COPY_PAGE:
        return mm_clear_or_copy(pg_owner, op->arg1.mfn, op->arg2.src_mfn, true);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -XEN_EOPNOTSUPP;
    case MMUEXT_NEW_BASEPTR:      case MMUEXT_NEW_USER_BASEPTR:
    case MMUEXT_TLB_FLUSH_LOCAL:  case MMUEXT_TLB_FLUSH_ALL:
    case MMUEXT_INVLPG_LOCAL:     case MMUEXT_INVLPG_ALL:
    case MMUEXT_TLB_FLUSH_MULTI:  case MMUEXT_INVLPG_MULTI:
    case MMUEXT_FLUSH_CACHE:      case MMUEXT_FLUSH_CACHE_GLOBAL:
    case MMUEXT_SET_LDT:
        return hc_fail(-XEN_EPERM, "mmuext cmd %u for d%u", op->cmd,
                       pg_owner->domain_id);
    default:
        return hc_fail(-XEN_ENOSYS, "mmuext cmd %u not implemented", op->cmd);
    }
}

int mm_mmuext_one(struct vcpu *v, const struct mmuext_op *op)
{
    struct domain *d = v->domain;

    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE: return mm_pin(d, op->arg1.mfn, PGT_l1_page_table);
    case MMUEXT_PIN_L2_TABLE: return mm_pin(d, op->arg1.mfn, PGT_l2_page_table);
    case MMUEXT_PIN_L3_TABLE: return mm_pin(d, op->arg1.mfn, PGT_l3_page_table);
    case MMUEXT_PIN_L4_TABLE: return mm_pin(d, op->arg1.mfn, PGT_l4_page_table);
    case MMUEXT_UNPIN_TABLE:  return mm_unpin(d, op->arg1.mfn);
    case MMUEXT_NEW_BASEPTR:
        return mm_new_baseptr(v, op->arg1.mfn, false);
    case MMUEXT_NEW_USER_BASEPTR:
        return mm_new_baseptr(v, op->arg1.mfn, true);
    case MMUEXT_TLB_FLUSH_LOCAL:
    case MMUEXT_TLB_FLUSH_ALL:            /* one vCPU: local is all */
        arch_flush_tlbs();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
    case MMUEXT_INVLPG_ALL:
        if (guest_range_ok(op->arg1.linear_addr, 1))
            invlpg(op->arg1.linear_addr);
        return 0;
    case MMUEXT_TLB_FLUSH_MULTI:
        return mm_flush_multi(op, false);
    case MMUEXT_INVLPG_MULTI:
        return mm_flush_multi(op, true);
    case MMUEXT_CLEAR_PAGE:
        return mm_clear_or_copy(d, op->arg1.mfn, 0, false);
    case MMUEXT_COPY_PAGE:
        return mm_clear_or_copy(d, op->arg1.mfn, op->arg2.src_mfn, true);
    case MMUEXT_FLUSH_CACHE:
    case MMUEXT_FLUSH_CACHE_GLOBAL:   /* one CPU: its cache is all caches */
        if (!d->is_privileged)        /* Xen: cache_flush_permitted() */
            return hc_fail(-XEN_EACCES, "cache flush by d%u", d->domain_id);
        wbinvd();
        return 0;
    case MMUEXT_SET_LDT:
        return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
    case MMUEXT_MARK_SUPER:
    case MMUEXT_UNMARK_SUPER:
        return -XEN_EOPNOTSUPP;          /* superpages are gone, as in Xen */
    default:
        return hc_fail(-XEN_ENOSYS, "mmuext cmd %u not implemented", op->cmd);
    }
}

long do_mmuext_op(uint64_t ops, unsigned int count, uint64_t pdone,
                  unsigned int foreigndom)
{
    struct vcpu *v = current;
    bool resumed = count & MMU_UPDATE_PREEMPTED;
    struct domain *pg_owner;
    struct mmuext_op op;
    unsigned int i;
    int rc = 0;

    count &= ~MMU_UPDATE_PREEMPTED;
    if (!guest_range_ok(ops, (uint64_t)count * sizeof(op)))
        return hc_fail(-XEN_EFAULT, "mmuext_op: %u ops at %#lx", count, ops);
    pg_owner = get_pg_owner(foreigndom, &rc);
    if (!pg_owner)
        return rc;
    for (i = 0; i < count; i++) {
        if (hypercall_preempt_check(i)) {
            report_done(pdone, resumed, i);
            return hypercall_create_continuation(__HYPERVISOR_mmuext_op,
                ops + (uint64_t)i * sizeof(op),
                (count - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom, 0);
        }
        if (copy_from_guest(&op, ops + (uint64_t)i * sizeof(op), sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = pg_owner == v->domain ? mm_mmuext_one(v, &op)
                                   : mmuext_foreign(pg_owner, &op);
        if (rc)
            break;
    }
    report_done(pdone, resumed, i);
    return rc;
}

/*
 * Grant mappings (common/grant_table.c; Xen's create_grant_pv_mapping and
 * replace_grant_pv_mapping): the L1 entry for va in v's current page
 * table, which must be a validated L1 of v's domain (a VA inside a linear
 * window reaches an upper-level table: refused). The grant code took the
 * references the new entry needs, those of any PTE of the frame, so that
 * put_page_from_l1e() drops them if the guest overwrites it, as on Xen;
 * the old entry's are dropped here. -1 when there is no such L1.
 */
static pte_t *grant_l1e(struct vcpu *v, uint64_t va)
{
    struct page_info *l1pg;

    if (!guest_range_ok(va, 1))
        return NULL;
    return current_l1e(v, va, &l1pg);
}

/*
 * Xen's grant_to_pte_flags(): present, accessed, dirty, no-execute; RW
 * unless GNTMAP_readonly; the GNTMAP_guest_avail bits in PTE bits 9-11
 * (XENFEAT_gnttab_map_avail_bits). _PAGE_USER is on every guest entry.
 */
static pte_t grant_pte(mfn_t mfn, uint32_t gnt_flags)
{
    pte_t e = (mfn_x(mfn) << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED |
              _PAGE_DIRTY | (1UL << _PAGE_NX_BIT);

    if (!(gnt_flags & GNTMAP_readonly))
        e |= _PAGE_RW;
    e |= ((pte_t)(gnt_flags >> _GNTMAP_guest_avail0) << 9) & _PAGE_AVAIL;
    return adjust_guest_entry(e);
}

int arch_grant_map_pte(struct vcpu *v, uint64_t va, mfn_t mfn, uint32_t gnt_flags)
{
    pte_t *e = grant_l1e(v, va), old;

    if (!e)
        return -1;
    old = __atomic_exchange_n(e, grant_pte(mfn, gnt_flags), __ATOMIC_ACQ_REL);
    put_page_from_l1e(old);
    /* Xen leaves the old translation to the guest; one invlpg is cheap. */
    invlpg(va);
    return 0;
}

/* Clear grant entry e (NULL: none) if it still maps mfn, present,
 * writable as `writable` says; false, untouched, otherwise. The flush is
 * the caller's: it depends on whether the entry's VA is known. */
static bool grant_pte_clear(pte_t *e, mfn_t mfn, bool writable)
{
    pte_t old;

    if (!e)
        return false;
    old = *e;
    if (!(old & _PAGE_PRESENT) || mfn_x(pte_mfn(old)) != mfn_x(mfn) ||
        !(old & _PAGE_RW) != !writable)
        return false;
    __atomic_store_n(e, 0, __ATOMIC_RELEASE);
    return true;
}

/*
 * Clear it again if it still maps mfn, present, writable as `writable`
 * says; -1 otherwise. The references are the grant code's to drop. The
 * TLB: CR4.PGE and PCIDE are off and there is one CPU, so the only
 * translation of va that can be cached is this CPU's, made under the
 * current CR3 (any CR3 load since would have flushed another's): invlpg
 * of va on this CPU removes it, paging-structure caches for va included.
 */
int arch_grant_unmap_pte(struct vcpu *v, uint64_t va, mfn_t mfn, bool writable)
{
    if (!grant_pte_clear(grant_l1e(v, va), mfn, writable))
        return -1;
    invlpg(va);
    return 0;
}

void arch_scrub_frame(mfn_t mfn)
{
    memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
}

/*
 * GNTMAP_contains_pte (Xen's create_grant_pv_mapping() and
 * replace_grant_pv_mapping() given a PTE's machine address, as Linux's
 * gntdev maps): the entry at maddr, which must be 8-byte aligned (a
 * misaligned one would straddle two entries) in a frame of v's domain
 * that is a validated L1 in use (type held: a frame that was an L1 once,
 * or is being validated, is not). Not another domain's table, not an
 * upper-level one (an L1-checked entry there would map a data frame as a
 * table), not a data frame (the entry would be written unchecked and
 * never counted). NULL otherwise.
 */
static pte_t *grant_l1e_at(const struct vcpu *v, uint64_t maddr)
{
    mfn_t m = _mfn(maddr >> PAGE_SHIFT);
    struct page_info *pg;

    if (maddr & (sizeof(pte_t) - 1) || !mfn_valid(m))
        return NULL;
    pg = mfn_to_page(m);
    if (!pg->count || pg->owner != v->domain->domain_id ||
        page_current_type(pg) != PGT_l1_page_table || !(pg->flags & PGF_validated))
        return NULL;
    return (pte_t *)((uint8_t *)mfn_to_virt(m) + (maddr & ~PAGE_MASK));
}

/*
 * The TLB for an entry whose linear address is unknown: the L1 may be
 * linked at any number of VAs, in any of the domain's tables, or (not yet
 * linked) at none. With one CPU, CR4.PGE and PCIDE off, only translations
 * made under the current CR3 can be cached (any CR3 load since flushed
 * the others), and a full flush of this CPU removes all of them, whatever
 * their VA. Xen flushes the whole TLB of every CPU the domain ran on after
 * each unmap batch, for the same reason.
 */
int arch_grant_map_pte_at(struct vcpu *v, uint64_t maddr, mfn_t mfn, uint32_t gnt_flags)
{
    pte_t *e = grant_l1e_at(v, maddr), old;

    if (!e)
        return -1;
    old = __atomic_exchange_n(e, grant_pte(mfn, gnt_flags), __ATOMIC_ACQ_REL);
    /* Xen does not flush here; an entry that mapped something may still be
     * cached under a VA we cannot name, and we drop its references now. */
    if (old & _PAGE_PRESENT)
        arch_flush_tlbs();
    put_page_from_l1e(old);
    return 0;
}

/* Clear it if it still maps mfn, present, writable as `writable` says;
 * -1 otherwise. The references are the grant code's to drop, after the
 * flush: once unmap returns, no stale translation reaches the frame. */
int arch_grant_unmap_pte_at(struct vcpu *v, uint64_t maddr, mfn_t mfn, bool writable)
{
    if (!grant_pte_clear(grant_l1e_at(v, maddr), mfn, writable))
        return -1;
    arch_flush_tlbs();
    return 0;
}

/*
 * GNTTABOP_unmap_and_replace with a new_va (Xen's steal_linear_address()
 * then replace_grant_pv_mapping()): the entry for new_va in v's current
 * table is taken (cleared, its references moving with it) and put where
 * the grant PTE for va was, if that still maps mfn as `writable` says.
 * As Xen, the entry is taken first: when va's entry does not match (or has
 * no L1; va == new_va included), the taken entry is dropped with its
 * references and new_va stays empty. -1 on any failure. Both VAs are
 * known, so invlpg of each is enough (arch_grant_unmap_pte()'s argument).
 */
int arch_grant_replace_pte(struct vcpu *v, uint64_t va, uint64_t new_va, mfn_t mfn,
                           bool writable)
{
    pte_t *from = grant_l1e(v, new_va), *e, stolen, old;

    if (!from)
        return -1;
    stolen = __atomic_exchange_n(from, 0, __ATOMIC_ACQ_REL);
    invlpg(new_va);
    e = grant_l1e(v, va);
    old = e ? *e : 0;
    if (!(old & _PAGE_PRESENT) || mfn_x(pte_mfn(old)) != mfn_x(mfn) ||
        !(old & _PAGE_RW) != !writable) {
        put_page_from_l1e(stolen);
        return -1;
    }
    __atomic_store_n(e, stolen, __ATOMIC_RELEASE);
    invlpg(va);
    return 0;
}
