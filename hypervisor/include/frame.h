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
#define PGF_tlb_stale  (1u << 4) /* was mapped writable: TLBs may remember */

struct page_info {
    uint32_t count;          /* general references; 0 = free            */
    uint32_t type_count;     /* references that need .type to stay      */
    uint8_t  type;           /* enum page_type                          */
    uint8_t  flags;          /* PGF_*                                   */
    domid_t  owner;          /* domain id, or DOMID_XEN                 */
    uint32_t pad;
};
_Static_assert(sizeof(struct page_info) == 16, "page_info is 16 bytes");

struct page_allocator;
extern struct page_info *frame_table;
extern struct page_allocator machine_frames;   /* the machine's free frames */
extern uint64_t max_page;    /* frames [0, max_page) have a page_info    */

static inline bool mfn_valid(mfn_t mfn) { return mfn_x(mfn) < max_page; }
static inline struct page_info *mfn_to_page(mfn_t mfn)
{
    return &frame_table[mfn_x(mfn)];
}
static inline mfn_t page_to_mfn(const struct page_info *pg)
{
    return _mfn((uint64_t)(pg - frame_table));
}
static inline bool page_is_pagetable(const struct page_info *pg)
{
    return pg->type >= PGT_l1_page_table && pg->type <= PGT_l4_page_table;
}

/* Give a fresh frame to d: owner d, count 1 (PGF_allocated). */
void frame_assign(struct page_info *pg, struct domain *d, bool xen_heap);
/* Take a general reference; false if pg is not d's. */
bool get_page(struct page_info *pg, const struct domain *d);
/* Drop one; the last one frees the frame back to the allocator. */
void put_page(struct page_info *pg);
/*
 * Take a type reference for type t. The first reference of a page-table
 * type validates the frame (and takes the references its entries imply);
 * returns 0 or the validator's -XEN_E* code. A frame with other live
 * type references of a different type gives -XEN_EINVAL.
 */
int get_page_type(struct page_info *pg, enum page_type t);
/* Drop one; the last one of a page-table type devalidates the frame. */
void put_page_type(struct page_info *pg);
int get_page_and_type(struct page_info *pg, const struct domain *d,
                      enum page_type t);
void put_page_and_type(struct page_info *pg);

/* Architecture hooks (arch/x86_64/mm.c). */
void arch_flush_tlbs(void);
int arch_validate_page(struct page_info *pg, enum page_type t);
void arch_devalidate_page(struct page_info *pg, enum page_type t);

/* Frames owned by d, counted over the frame table (for leak checks). */
uint64_t frame_count_owned(domid_t owner);

#endif
