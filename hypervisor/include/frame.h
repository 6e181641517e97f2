/* SPDX-License-Identifier: MIT */
/*
 * frame.h - the frame table: one struct page_info per machine frame.
 * Owns:    the page_info layout and the reference/type-count rules
 *          (common/frame.c). This is the heart of the hypervisor's
 *          memory safety; read the essay at the top of common/frame.c.
 * Touches: nothing; page-table validation is the architecture's
 *          (arch/x86_64/mm.c), called through arch_validate_page() and
 *          arch_devalidate_page().
 */
#ifndef PVISOR_FRAME_H
#define PVISOR_FRAME_H

#include <xen/errno.h>
#include <xen/xen.h>
#include "types.h"

struct domain;

enum page_type {
    PGT_none = 0,
    PGT_l1_page_table,
    PGT_l2_page_table,
    PGT_l3_page_table,
    PGT_l4_page_table,
    PGT_seg_desc_page,       /* a GDT/LDT frame                          */
    PGT_writable_page,       /* mapped writable somewhere                */
};

#define PGF_allocated  (1u << 0) /* the owner's own reference is held     */
#define PGF_validated  (1u << 1) /* typed as a page table and checked     */
#define PGF_pinned     (1u << 2) /* MMUEXT_PIN_*: holds a type reference  */
#define PGF_xen_heap   (1u << 3) /* hypervisor memory shared with a guest */

struct page_info {
    uint32_t count;          /* general references; 0 = free            */
    uint32_t type_count;     /* references that need .type to stay      */
    uint8_t  type;           /* enum page_type: the current use's, or
                                the last use's while type_count is 0    */
    uint8_t  flags;          /* PGF_*                                   */
    domid_t  owner;          /* domain id, or DOMID_XEN                 */
    uint32_t tlbflush_timestamp; /* when a use last ended (tlbflush.h)  */
    /*
     * Linear (recursive) page tables, arch/x86_64/mm.c: entries of this
     * table that point at another table of its own level, and entries of
     * other tables of its level that point at it. Never both non-zero
     * (XSA-240's one-level rule); both 0 whenever type_count is 0.
     */
    uint16_t linear_entries;
    uint16_t linear_uses;
};
_Static_assert(sizeof(struct page_info) == 20, "page_info is 20 bytes");

struct page_allocator;
extern struct page_info *frame_table;
extern struct page_allocator machine_frames;   /* the machine's free frames */
extern uint64_t max_page;    /* frames [0, max_page) have a page_info    */

static inline bool mfn_valid(mfn_t mfn) { return mfn_x(mfn) < max_page; }
static inline struct page_info *mfn_to_page(mfn_t mfn)
{
    return &frame_table[mfn_x(mfn)];
}
/*
 * Device memory: beyond the frame table, or a frame the memory map does
 * not call RAM (owner DOMID_IO, setup.c). Mappable by the privileged
 * domain without references (mm.c's get_page_from_l1e()).
 */
static inline bool frame_is_io(mfn_t mfn)
{
    return !mfn_valid(mfn) || mfn_to_page(mfn)->owner == DOMID_IO;
}
static inline mfn_t page_to_mfn(const struct page_info *pg)
{
    return _mfn((uint64_t)(pg - frame_table));
}
/* The type pg is in use as: PGT_none while no type reference is held. */
static inline enum page_type page_current_type(const struct page_info *pg)
{
    return pg->type_count ? (enum page_type)pg->type : PGT_none;
}
/* Is pg in use as a page table (its type held, not just its last use)? */
static inline bool page_is_pagetable(const struct page_info *pg)
{
    return pg->type_count &&
           pg->type >= PGT_l1_page_table && pg->type <= PGT_l4_page_table;
}

/* Give a fresh frame to d: owner d, count 1 (PGF_allocated). */
void frame_assign(struct page_info *pg, struct domain *d, bool xen_heap);
/*
 * The reference rules below are inline where a PTE update meets them
 * (docs/performance.md): taking a type reference that is not a frame's
 * first, and dropping one that is not its last, is a compare and an
 * increment. Everything else (the owner or type
 * wrong, an overflow, a first type reference that validates or flushes,
 * a last one that devalidates or frees) is the *_slow() function in
 * frame.c, which checks every case again: the inline part only decides
 * that nothing but the count changes. arch/x86_64/mm.c's
 * l1e_update_fast() and l1_hold() make the same decisions for a PTE
 * update's frames all at once: a change to these rules is a change there.
 */
void put_page_slow(struct page_info *pg);
int get_page_type_slow(struct page_info *pg, enum page_type t);
void put_page_type_slow(struct page_info *pg);

/* Take a general reference; false if pg is not d's. (Out of line: the
 * owner check needs struct domain, which this header does not see.) */
bool get_page(struct page_info *pg, const struct domain *d);
/* Drop one; the last one frees the frame back to the allocator. */
static inline void put_page(struct page_info *pg)
{
    if (__builtin_expect(pg->count > 1, 1))
        pg->count--;
    else
        put_page_slow(pg);
}
/*
 * Take a type reference for type t. The first reference of a page-table
 * type validates the frame (and takes the references its entries imply);
 * returns 0 or the validator's -XEN_E* code. A frame with other live
 * type references of a different type gives -XEN_EINVAL. A first
 * reference of a type other than the last use's may flush the TLBs.
 * (A frame of the hypervisor's, PGF_xen_heap, never holds a type but
 * PGT_writable_page, so a live reference of type t is one more of it.)
 */
static inline int get_page_type(struct page_info *pg, enum page_type t)
{
    if (__builtin_expect(pg->type_count - 1 < UINT32_MAX - 1 && pg->type == t, 1)) {
        pg->type_count++;
        return 0;
    }
    return get_page_type_slow(pg, t);
}
/* Drop one; the last one of a page-table type devalidates the frame. */
static inline void put_page_type(struct page_info *pg)
{
    if (__builtin_expect(pg->type_count > 1, 1))
        pg->type_count--;
    else
        put_page_type_slow(pg);
}
/* Both references, or neither (inline: every writable PTE takes them). */
static inline int get_page_and_type(struct page_info *pg, const struct domain *d,
                                    enum page_type t)
{
    int rc;

    if (!get_page(pg, d))
        return -XEN_EINVAL;
    rc = get_page_type(pg, t);
    if (rc)
        put_page(pg);
    return rc;
}
static inline void put_page_and_type(struct page_info *pg)
{
    put_page_type(pg);
    put_page(pg);
}

/* Architecture hooks (arch/x86_64/mm.c). */
void arch_flush_tlbs(void);
/* Zero a frame on its way back to the allocator (put_page). */
void arch_scrub_frame(mfn_t mfn);
int arch_validate_page(struct page_info *pg, enum page_type t);
void arch_devalidate_page(struct page_info *pg, enum page_type t);

/*
 * nr free machine frames aligned to align (both powers of two; nr 1 for
 * one frame), or INVALID_MFN. Every frame the hypervisor takes for itself
 * or for a guest comes from here: if a TLB may still hold a translation
 * from a frame's previous use, the TLBs are flushed first (the flush rule
 * in common/frame.c). The frames are nobody's until frame_assign().
 */
mfn_t frame_alloc(uint64_t nr, uint64_t align);
/* The flush clock wrapped: every stamp back to 0 (common/tlbflush.c). */
void frame_tlbflush_stamps_reset(void);

/* Frames owned by d, counted over the frame table (for leak checks). */
uint64_t frame_count_owned(domid_t owner);

#endif
