/* SPDX-License-Identifier: MIT */
/*
 * frame.c - the frame table: who owns each machine frame, and what it is.
 * Owns:    frame_table[], max_page, the machine-frame allocator instance,
 *          and the reference/type-count rules below.
 * Touches: page-table contents only through arch_validate_page() and
 *          arch_devalidate_page() (arch/x86_64/mm.c); the TLBs through
 *          arch_flush_tlbs(), when the flush clock (tlbflush.c) says so.
 * Trusts:  its callers: every frame number reaching these functions has
 *          been checked with mfn_valid() by the hypercall that got it.
 *
 * The rules (Xen's, simplified to readable fields):
 *
 *   count       general references: the owner's "allocated" reference
 *               (PGF_allocated), one per mapping of the frame in any page
 *               table, one per pin, one per use as a vCPU's cr3. A frame
 *               with count 0 is free and belongs to nobody.
 *   type        what the frame is being used as: a page table of level
 *               1-4, a segment-descriptor (GDT/LDT) frame, or a frame
 *               mapped writable. A frame has one type at a time.
 *   type_count  references that need the type to stay: one per writable
 *               mapping (type writable), one per reference to the frame
 *               from the level above, per pin, per cr3 (page-table types),
 *               and one per linear entry pointing at the frame (an L2-L4
 *               entry of another table of the same level, read-only: see
 *               get_linear_pagetable() in arch/x86_64/mm.c; a self-map
 *               takes none).
 *
 *   The type may change only when type_count is 0. So a frame mapped
 *   writable anywhere (type writable, type_count > 0) cannot become a page
 *   table, and a page table (type Lx, type_count > 0) cannot be mapped
 *   writable: invariant 1 of DESIGN.md section 3 is a consequence of the
 *   counting, not a separate check. Taking the first reference of a page-
 *   table type validates every entry (taking the references each entry
 *   implies); dropping the last one devalidates (drops them again). A
 *   frame goes back to the allocator when count reaches 0 (invariant 4).
 *
 * The rules above hold for the page tables in memory. A CPU also caches
 * what it read from them: TLB entries (a final translation, with its RW
 * bit) and paging-structure-cache entries (an upper-level entry, so a walk
 * can skip straight to the table below). A guest can drop a mapping without
 * a flush (UVMF_NONE, mmu_update) and unhook a table from the level above
 * without one, so a cached translation may outlive what the counts say.
 * Invariant 5 (DESIGN.md section 3) is kept by one mechanism, the flush
 * clock of include/tlbflush.h, as Xen keeps it:
 *
 *   stamp       when a use of a frame ends, the frame records the time:
 *               when its last type reference goes (a writable mapping, a
 *               page-table or descriptor use ends: put_page_type) and when
 *               it is freed (its last reference of any kind goes, read-only
 *               mappings included: put_page). The stamp survives the free.
 *   check       before a frame is handed out by frame_alloc() (to a guest
 *               or to the hypervisor itself), and before it takes a type
 *               other than the one of its last use (get_page_type), the
 *               stamp is compared with every CPU's last full flush; if some
 *               CPU has not flushed since, it is flushed now.
 *
 *   So a frame reaches a new owner only after every translation made for
 *   its previous owner is gone, and a frame becomes a page table (or a
 *   descriptor frame) only after every writable translation of it is
 *   gone, and becomes writable only after every cached walk through it as
 *   a table is gone. Taking back the type of the last use needs no flush:
 *   a stale writable entry of a frame that is writable again, or a cached
 *   walk to a table that is the same level of table again (revalidated in
 *   full, and unwritable in between, since any other type would have
 *   flushed), grants nothing the counts do not. A frame whose old use some
 *   full flush (a guest's own, or any CR3 load) has since covered costs
 *   only the comparison: the common paths (mapping and unmapping data
 *   frames, the balloon of fresh frames) take no extra flush; the counter
 *   dump at shutdown shows how many each hypercall caused.
 *
 *   Linear (recursive) page tables add walks that use a table frame at
 *   another level than its own (through a self-map, an L4 is read as an
 *   L3, L2, L1 and as a data page), and so cached translations whose last
 *   step is a page-table frame, read-only. They need no rule of their
 *   own: when such a walk is cached, every frame on it is a table of the
 *   domain whose type is held (a linear entry to another table holds a
 *   type reference on it; a self-map lives inside the table it maps), and
 *   its last step is a table or a frame the domain holds a reference on.
 *   When any of those uses ends, the frame is stamped like any other, and
 *   before it is typed writable, typed as another level, or handed to
 *   another owner, the check above flushes every CPU, paging-structure
 *   caches included. A stale walk in between reads, read-only, frames
 *   that are still the domain's.
 */
#define LOG_PREFIX "frame"
#include <xen/errno.h>
#include "arch.h"
#include "bug.h"
#include "frame.h"
#include "log.h"
#include "page_alloc.h"
#include "domain.h"
#include "sched.h"
#include "tlbflush.h"

struct page_info *frame_table;
uint64_t max_page;
struct page_allocator machine_frames;

void frame_assign(struct page_info *pg, struct domain *d, bool xen_heap)
{
    BUG_ON(pg->count != 0, "mfn %#lx: assigned while in use (count %u)",
           mfn_x(page_to_mfn(pg)), pg->count);
    pg->owner = d->domain_id;
    pg->count = 1;                /* the stamp stays: see get_page_type */
    pg->type = PGT_none;
    pg->type_count = 0;
    pg->linear_entries = pg->linear_uses = 0;
    pg->flags = PGF_allocated | (xen_heap ? PGF_xen_heap : 0);
    if (!xen_heap)
        d->tot_pages++;           /* hypervisor memory is not the guest's */
}

bool get_page(struct page_info *pg, const struct domain *d)
{
    if (pg->count == 0 || pg->owner != d->domain_id)
        return false;
    BUG_ON(pg->count == UINT32_MAX, "mfn %#lx: count overflow",
           mfn_x(page_to_mfn(pg)));
    pg->count++;
    return true;
}

void put_page_slow(struct page_info *pg)
{
    struct domain *d;

    BUG_ON(pg->count == 0, "mfn %#lx: put_page on a free frame",
           mfn_x(page_to_mfn(pg)));
    if (--pg->count)
        return;
    BUG_ON(pg->type_count != 0, "mfn %#lx: freed with type_count %u",
           mfn_x(page_to_mfn(pg)), pg->type_count);
    d = domain_by_id(pg->owner);
    if (d && !(pg->flags & PGF_xen_heap))
        d->tot_pages--;
    /*
     * Scrub what a dying domain leaves and what the hypervisor shared with
     * a guest, so no other domain is handed its bytes. A live guest that
     * gives a frame back (decrease_reservation) is trusted to have cleared
     * what it cares about, as on Xen.
     */
    if (!d || d->state == DOMAIN_DYING || (pg->flags & PGF_xen_heap))
        arch_scrub_frame(page_to_mfn(pg));
    arch_set_m2p(page_to_mfn(pg), INVALID_M2P);   /* a frame of nobody's */
    pg->owner = DOMID_XEN;
    pg->flags = 0;
    pg->type = PGT_none;
    pg->tlbflush_timestamp = tlbflush_stamp();
    page_free(&machine_frames, page_to_mfn(pg), 1);
    if (d && d->state == DOMAIN_DYING)
        domain_frame_freed(d);          /* a zombie may go with its last */
}

/* Flush every CPU's TLB if one may still cache a use stamped `stamp`. */
static void flush_if_needed(uint32_t stamp, uint64_t *cause)
{
    if (!tlbflush_needed(stamp))
        return;
    arch_flush_tlbs();
    tlbflush_count_reuse();
    (*cause)++;
}

int get_page_type_slow(struct page_info *pg, enum page_type t)
{
    int rc;

    /*
     * A frame the hypervisor shares with a guest (shared_info) keeps being
     * written by us: it may never become a table or a descriptor frame.
     */
    if ((pg->flags & PGF_xen_heap) && t != PGT_writable_page)
        return -XEN_EINVAL;
    if (pg->type_count != 0) {
        if (pg->type != t)
            return -XEN_EINVAL;
        BUG_ON(pg->type_count == UINT32_MAX, "type_count overflow");
        pg->type_count++;
        return 0;
    }
    /* A new use: a different type must not meet the old one in a TLB. */
    if (pg->type != t)
        flush_if_needed(pg->tlbflush_timestamp, &tlbflush_stats.reuse_retype);
    pg->type = (uint8_t)t;
    pg->type_count = 1;
    if (t == PGT_writable_page)
        return 0;
    rc = arch_validate_page(pg, t);
    if (rc) {
        pg->type = PGT_none;
        pg->type_count = 0;
        return rc;
    }
    pg->flags |= PGF_validated;
    return 0;
}

void put_page_type_slow(struct page_info *pg)
{
    BUG_ON(pg->type_count == 0, "mfn %#lx: put_page_type on untyped frame",
           mfn_x(page_to_mfn(pg)));
    if (--pg->type_count)
        return;
    BUG_ON(pg->linear_uses, "mfn %#lx: last type reference with %u linear uses",
           mfn_x(page_to_mfn(pg)), pg->linear_uses);
    if (pg->flags & PGF_validated) {
        arch_devalidate_page(pg, (enum page_type)pg->type);
        pg->flags &= (uint8_t)~PGF_validated;
    }
    BUG_ON(pg->linear_entries, "mfn %#lx: devalidated with %u linear entries",
           mfn_x(page_to_mfn(pg)), pg->linear_entries);
    /* .type stays: it is the last use's, which get_page_type compares. */
    pg->tlbflush_timestamp = tlbflush_stamp();
}

uint64_t frame_count_owned(domid_t owner)
{
    uint64_t n = 0;

    for (uint64_t m = 0; m < max_page; m++)
        if (frame_table[m].count && frame_table[m].owner == owner)
            n++;
    return n;
}

mfn_t frame_alloc(uint64_t nr, uint64_t align)
{
    mfn_t mfn = page_alloc_contig(&machine_frames, nr, align);
    uint32_t newest = 0;

    if (!mfn_valid_val(mfn))
        return mfn;
    for (uint64_t i = 0; i < nr; i++) {
        struct page_info *pg = mfn_to_page(_mfn(mfn_x(mfn) + i));
        BUG_ON(pg->count != 0, "mfn %#lx: free in the allocator, count %u",
               mfn_x(mfn) + i, pg->count);
        newest = MAX(newest, pg->tlbflush_timestamp);
    }
    flush_if_needed(newest, &tlbflush_stats.reuse_alloc);
    return mfn;
}

void frame_tlbflush_stamps_reset(void)
{
    for (uint64_t m = 0; m < max_page; m++)
        frame_table[m].tlbflush_timestamp = 0;
}
