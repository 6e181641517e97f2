/* SPDX-License-Identifier: MIT */
/*
 * mm.c - guest page tables: validation, update_va_mapping, mmuext_op.
 * Owns:    what a valid x86_64 PV page-table entry is, and the references
 *          each entry holds (see the essay in common/frame.c).
 * Touches: frame_table counts (through get_page() and put_page()), guest page-
 *          table frames (written through the direct map), CR3 and the TLB.
 * Trusts:  nothing from the guest above the do_*() functions; the mm_*()
 *          workers below them trust their (already range-checked) args.
 * ABI:     abi/xen/xen.h (UVMF_*, MMUEXT_*, struct mmuext_op);
 *          docs/abi/hypercalls.md rows 14 and 26.
 *
 * A PV guest writes its own page tables, but only through us. An entry is
 * valid when the frame it points at is the guest's own (invariant 2), when
 * a writable L1 entry does not point at a page table or descriptor frame
 * (invariant 1, by type counts), when an upper-level entry points at a
 * frame that validates as the next level down (no large pages for PV),
 * and when no guest entry lands in L4 slots 256-271, which we fill from
 * idle_pg_table ourselves (invariant 3). Guest kernels run in ring 3, so
 * every guest mapping gets _PAGE_USER.
 *
 * This is the first cut: mmu_update, pinning policy details and the
 * remaining MMUEXT ops come with the memory-management issue.
 */
#define LOG_PREFIX "mm"
#include "arch.h"
#include <xen/xen.h>
#include "bug.h"
#include "console.h"
#include "domain.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "page_alloc.h"
#include "log.h"
#include "mm.h"
#include "page.h"
#include "processor.h"

/* Flag bits a guest may not set: bits 9-11 are ours; PAT/PCD/PWT are
 * allowed. Upper-level entries may not set PSE (no superpages for PV). */
#define L1_DISALLOW_MASK  (_PAGE_GLOBAL | _PAGE_AVAIL)
#define LN_DISALLOW_MASK  (_PAGE_GLOBAL | _PAGE_AVAIL | _PAGE_PSE)

extern struct page_allocator machine_frames;

static enum page_type level_type(unsigned int level)
{
    return (enum page_type)(PGT_l1_page_table + level - 1);
}

static bool is_guest_l4_slot(unsigned int i)
{
    return i < HV_FIRST_SLOT || i > HV_LAST_SLOT;
}

/* The references a present L1 entry needs; 0 or -XEN_EINVAL. */
static int get_page_from_l1e(pte_t e, const struct domain *d)
{
    struct page_info *pg;

    if (!(e & _PAGE_PRESENT))
        return 0;
    if (e & L1_DISALLOW_MASK)
        return hc_fail(-XEN_EINVAL, "l1e %#lx: reserved flags", e);
    if (!mfn_valid(pte_mfn(e)))
        return hc_fail(-XEN_EINVAL, "l1e %#lx: frame beyond RAM", e);
    pg = mfn_to_page(pte_mfn(e));
    if (!(e & _PAGE_RW))
        return get_page(pg, d) ? 0 :
            hc_fail(-XEN_EINVAL, "l1e %#lx: frame of d%u", e, pg->owner);
    if (get_page_and_type(pg, d, PGT_writable_page))
        return hc_fail(-XEN_EINVAL, "l1e %#lx: writable map of a frame "
                       "(owner d%u, type %u)", e, pg->owner, pg->type);
    return 0;
}

static void put_page_from_l1e(pte_t e)
{
    if (!(e & _PAGE_PRESENT))
        return;
    if (e & _PAGE_RW)
        put_page_and_type(mfn_to_page(pte_mfn(e)));
    else
        put_page(mfn_to_page(pte_mfn(e)));
}

/* An entry of a level-`level` table (2..4) pointing at level-1 below. */
static int get_page_from_lne(pte_t e, unsigned int level, const struct domain *d)
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
    if (rc)
        return hc_fail(rc, "l%ue %#lx: not a valid l%u table of d%u",
                       level, e, level - 1, d->domain_id);
    return 0;
}

static void put_page_from_lne(pte_t e)
{
    if (e & _PAGE_PRESENT)
        put_page_and_type(mfn_to_page(pte_mfn(e)));
}

static void put_entry(pte_t e, unsigned int level)
{
    if (level == 1)
        put_page_from_l1e(e);
    else
        put_page_from_lne(e);
}

/* _PAGE_USER on every present guest entry: the guest kernel is ring 3. */
static pte_t adjust_guest_entry(pte_t e)
{
    return (e & _PAGE_PRESENT) ? (e | _PAGE_USER) : e;
}

static struct domain *page_owner(const struct page_info *pg)
{
    return domain_by_id(pg->owner);
}

static int validate_table(struct page_info *pg, unsigned int level)
{
    pte_t *t = mfn_to_virt(page_to_mfn(pg));
    const struct domain *d = page_owner(pg);
    unsigned int i;
    int rc = 0;

    if (!d)
        return -XEN_EINVAL;
    for (i = 0; i < L1_PAGETABLE_ENTRIES; i++) {
        if (level == 4 && !is_guest_l4_slot(i))
            continue;
        t[i] = adjust_guest_entry(t[i]);
        rc = level == 1 ? get_page_from_l1e(t[i], d)
                        : get_page_from_lne(t[i], level, d);
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
            put_entry(t[i], level);
    return rc;
}

void arch_flush_tlbs(void)
{
    flush_tlb_local();          /* one CPU: the only TLB there is */
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
            put_entry(tab[i], level);
}

/*
 * The L1 table mapping va in the L4 at l4mfn, and the index in it; -1 if
 * some level is not present (or is a large page, which PV never has).
 */
static int find_l1(mfn_t l4mfn, uint64_t va, struct page_info **l1pg)
{
    pte_t e = ((pte_t *)mfn_to_virt(l4mfn))[l4_index(va)];

    if (!(e & _PAGE_PRESENT))
        return -1;
    e = ((pte_t *)mfn_to_virt(pte_mfn(e)))[l3_index(va)];
    if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
        return -1;
    e = ((pte_t *)mfn_to_virt(pte_mfn(e)))[l2_index(va)];
    if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
        return -1;
    *l1pg = mfn_to_page(pte_mfn(e));
    return (int)l1_index(va);
}

int mm_mod_l1_entry(struct page_info *l1pg, unsigned int idx, pte_t new,
                    const struct domain *d)
{
    pte_t *l1 = mfn_to_virt(page_to_mfn(l1pg));
    pte_t old = l1[idx];
    int rc;

    new = adjust_guest_entry(new);
    rc = get_page_from_l1e(new, d);
    if (rc)
        return rc;
    __atomic_store_n(&l1[idx], new, __ATOMIC_RELEASE);
    put_page_from_l1e(old);
    return 0;
}

static void mm_flush(unsigned long flags, uint64_t va)
{
    switch (flags & UVMF_FLUSHTYPE_MASK) {
    case UVMF_TLB_FLUSH:
        flush_tlb_local();
        break;
    case UVMF_INVLPG:
        invlpg(va);
        break;
    default:
        break;
    }
}

long do_update_va_mapping(uint64_t va, uint64_t val, unsigned long flags)
{
    struct vcpu *v = current;
    struct page_info *l1pg;
    int idx, rc;

    if (!guest_range_ok(va, PAGE_SIZE) || (va & ~PAGE_MASK))
        return hc_fail(-XEN_EINVAL, "va %#lx not a guest page", va);
    if ((flags & UVMF_FLUSHTYPE_MASK) == UVMF_FLUSHTYPE_MASK)
        return hc_fail(-XEN_EINVAL, "flush type 3 in flags %#lx", flags);
    if ((flags & ~(unsigned long)(UVMF_FLUSHTYPE_MASK | UVMF_ALL)) != 0)
        return hc_fail(-XEN_EINVAL, "UVMF_MULTI (vcpu masks) unsupported");
    idx = find_l1(v->kernel_mode ? v->guest_table : v->guest_table_user,
                  va, &l1pg);
    if (idx < 0)
        return hc_fail(-XEN_EINVAL, "no L1 table maps va %#lx", va);
    rc = mm_mod_l1_entry(l1pg, (unsigned int)idx, val, v->domain);
    if (rc)
        return rc;
    mm_flush(flags, va);
    return 0;
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
    if (user == !v->kernel_mode && mfn_valid_val(*slot))
        write_cr3(mfn_x(*slot) << PAGE_SHIFT);
    if (mfn_valid_val(old))
        put_page_and_type(mfn_to_page(old));
    return 0;
}

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
    pg->flags |= PGF_pinned;
    return 0;
}

static int mm_unpin(struct domain *d, uint64_t mfn)
{
    struct page_info *pg;

    if (!mfn_valid(_mfn(mfn)))
        return hc_fail(-XEN_EINVAL, "unpin: mfn %#lx beyond RAM", mfn);
    pg = mfn_to_page(_mfn(mfn));
    if (pg->owner != d->domain_id || !(pg->flags & PGF_pinned))
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
        flush_tlb_local();
        return 0;
    case MMUEXT_INVLPG_LOCAL:
        if (guest_range_ok(op->arg1.linear_addr, 1))
            invlpg(op->arg1.linear_addr);
        return 0;
    default:
        return hc_fail(-XEN_ENOSYS, "mmuext cmd %u not implemented", op->cmd);
    }
}

long do_mmuext_op(uint64_t ops, unsigned int count, uint64_t pdone,
                  unsigned int foreigndom)
{
    struct vcpu *v = current;
    struct mmuext_op op;
    unsigned int done;
    long rc = 0;

    if ((domid_t)foreigndom != DOMID_SELF)
        return hc_fail(-XEN_ESRCH, "mmuext_op: foreign domain %u", foreigndom);
    for (done = 0; done < count; done++) {
        if (copy_from_guest(&op, ops + (uint64_t)done * sizeof(op), sizeof(op))) {
            rc = -XEN_EFAULT;
            break;
        }
        rc = mm_mmuext_one(v, &op);
        if (rc)
            break;
    }
    if (pdone && copy_to_guest(pdone, &done, sizeof(done)))
        return -XEN_EFAULT;
    return rc;
}

/*
 * The audit: recompute, from what actually holds them, the references
 * every frame of d should have, and compare with the frame table.
 * Holders: the allocation itself, a pin, a vCPU's cr3 (kernel and user),
 * a GDT frame in use, and each present entry of a validated table (a
 * general reference; plus a type reference for an upper-level entry or a
 * writable L1 entry). Run when a domain is gone, by tests and debugging.
 */
struct audit {
    uint32_t *count, *type_count;
};

static void audit_ref(struct audit *a, mfn_t m, bool typed)
{
    if (!mfn_valid(m))
        return;
    a->count[mfn_x(m)]++;
    if (typed)
        a->type_count[mfn_x(m)]++;
}

static void audit_table(struct audit *a, const struct page_info *pg)
{
    const pte_t *t = mfn_to_virt(page_to_mfn(pg));
    unsigned int level = (unsigned int)(pg->type - PGT_l1_page_table + 1);

    for (unsigned int i = 0; i < L1_PAGETABLE_ENTRIES; i++) {
        if ((level == 4 && !is_guest_l4_slot(i)) || !(t[i] & _PAGE_PRESENT))
            continue;
        audit_ref(a, pte_mfn(t[i]), level > 1 || (t[i] & _PAGE_RW));
    }
}

static void audit_vcpu(struct audit *a, const struct vcpu *v)
{
    if (mfn_valid_val(v->guest_table))
        audit_ref(a, v->guest_table, true);
    if (mfn_valid_val(v->guest_table_user))
        audit_ref(a, v->guest_table_user, true);
    for (unsigned int i = 0; i < (v->pv.gdt_ents + 511) / 512; i++)
        audit_ref(a, _mfn(v->pv.gdt_frames[i]), true);
}

static unsigned int audit_compare(const struct audit *a, const struct domain *d)
{
    unsigned int errors = 0;

    for (uint64_t m = 0; m < max_page; m++) {
        const struct page_info *pg = &frame_table[m];
        if (pg->owner != d->domain_id || !pg->count)
            continue;
        if (pg->count == a->count[m] && pg->type_count == a->type_count[m])
            continue;
        if (++errors <= 10)
            log_err("audit d%u: mfn %#lx type %u count %u (expected %u) "
                    "type_count %u (expected %u)", d->domain_id, m, pg->type,
                    pg->count, a->count[m], pg->type_count, a->type_count[m]);
    }
    return errors;
}

unsigned int arch_audit_domain_memory(const struct domain *d)
{
    uint64_t pages = ROUNDUP(max_page * sizeof(uint32_t) * 2, PAGE_SIZE) >> PAGE_SHIFT;
    mfn_t buf = page_alloc_contig(&machine_frames, pages, 1);
    struct audit a;
    uint64_t owned = 0, guest = 0;
    unsigned int errors;

    if (!mfn_valid_val(buf)) {
        log_warn("audit d%u: no memory for the audit", d->domain_id);
        return 1;
    }
    a.count = mfn_to_virt(buf);
    a.type_count = a.count + max_page;
    memset(a.count, 0, max_page * sizeof(uint32_t) * 2);
    for (uint64_t m = 0; m < max_page; m++) {
        const struct page_info *pg = &frame_table[m];
        if (pg->owner != d->domain_id || !pg->count)
            continue;
        owned++;
        guest += !(pg->flags & PGF_xen_heap);
        a.count[m] += (pg->flags & PGF_allocated) ? 1 : 0;
        if (pg->flags & PGF_pinned)
            audit_ref(&a, _mfn(m), true);
        if ((pg->flags & PGF_validated) && page_is_pagetable(pg))
            audit_table(&a, pg);
    }
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        audit_vcpu(&a, d->vcpu[i]);
    errors = audit_compare(&a, d);
    if (guest != d->tot_pages) {
        log_err("audit d%u: owns %lu guest frames, tot_pages says %lu",
                d->domain_id, guest, d->tot_pages);
        errors++;
    }
    page_free(&machine_frames, buf, pages);
    printk("mm: audit d%u: %lu frames, %u errors\n", d->domain_id, owned, errors);
    return errors;
}
