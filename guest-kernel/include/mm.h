/* SPDX-License-Identifier: MIT */
/*
 * mm.h - the kernel's memory: frames, their mappings, the page allocator.
 * Owns:    the memory API every other part of the kernel (and the test
 *          image: hostile guests, fuzzer, benchmarks) codes against.
 * Touches: nothing (declarations).  Implemented by
 *            arch/x86_64/pv/xen_p2m.c   pfn_to_mfn, mfn_to_pfn (p2m, M2P)
 *            kernel/page_alloc.c        mm_alloc_pfn, mm_free_pfn,
 *                                       mm_try_free_pfn
 *            kernel/pgtable.c           the mappings, the page-table walk,
 *                                       building the kernel's own tables
 *
 * Three kinds of frame number (the classic PV confusion, spelled out):
 *   pfn  pseudo-physical: 0 .. nr_pages-1, what the kernel calls "its RAM";
 *   mfn  machine frame: what page-table entries and hypercalls name;
 *   the p2m (start_info.mfn_list, ours) maps pfn -> mfn, the M2P (the
 *   hypervisor's, read-only, at MACH2PHYS_VIRT_START) maps mfn -> pfn.
 *
 * Virtual layout once mm_init() has run (Linux's, for the same reasons):
 *   KERNEL_VIRT_BASE + pfn*4K   the image, p2m list, start_info (the part
 *                               of the bootstrap region still in use)
 *   DIRECTMAP_BASE + pfn*4K     every pfn of RAM ("direct map"); frames
 *                               that are page tables are mapped read-only
 * Before mm_init() switches to the kernel's own tables, pfn_to_virt()
 * answers from the bootstrap region (KERNEL_VIRT_BASE + pfn*4K).
 */
#ifndef MM_H
#define MM_H

#include <stdbool.h>
#include <stdint.h>

/* The direct map: L4 slot 273, the first slot after the hypervisor's
 * (256..271) and its guard slot, as Linux's PAGE_OFFSET for Xen PV. */
#define DIRECTMAP_BASE   0xffff888000000000UL

/* The kernel manages (maps, allocates) at most this many pfns: 4 GiB. */
#define MM_MAX_PFNS      (1UL << 20)

/* What pfn_to_mfn() and mfn_to_pfn() answer when there is no frame. */
#define INVALID_FRAME    (~0ULL)

/* p2m and M2P (arch/x86_64/pv/xen_p2m.c). */
uint64_t pfn_to_mfn(uint64_t pfn);          /* INVALID_FRAME if none */
uint64_t mfn_to_pfn(uint64_t mfn);          /* INVALID_FRAME if not ours */
uint64_t mm_nr_pfns(void);                  /* start_info.nr_pages */
uint64_t mm_m2p_entry(uint64_t mfn);        /* raw M2P entry, unchecked;
                                               INVALID_FRAME if unreadable */

/* Mappings (kernel/pgtable.c). */
void *pfn_to_virt(uint64_t pfn);            /* NULL if pfn is not mapped */
uint64_t virt_to_pfn(const void *va);       /* INVALID_FRAME if unmapped */
/* Machine address of the L1 entry for va (the ptr of an mmu_update
 * MMU_NORMAL_PT_UPDATE), whether or not that entry is present; 0 if there
 * is no L1 table for va (or va is in a superpage). */
uint64_t mm_pte_maddr(uint64_t va);
uint64_t mm_read_pte(uint64_t va);          /* that entry, 0 if none */
uint64_t mm_current_l4_mfn(void);           /* the kernel-mode top level */
uint64_t mm_user_l4_mfn(void);              /* the user-mode one, 0 if none */

/* The page allocator (kernel/page_alloc.c). */
uint64_t mm_alloc_pfn(void);                /* zeroed, mapped RW at pfn_to_virt();
                                               INVALID_FRAME when none */
void mm_free_pfn(uint64_t pfn);             /* a refused free is printed */
const char *mm_try_free_pfn(uint64_t pfn);  /* NULL if freed, else why not
                                               (nothing printed) */
uint64_t mm_free_pfns(void);                /* how many pfns are free */

/* Boot: set up the allocator; unless own_tables is false (mm=boot), build
 * and switch to the kernel's own page tables and print
 * "mm: running on own page tables (...)".  Needs the trap table. */
void mm_init(bool own_tables);
bool mm_own_page_tables(void);              /* has mm_init() switched? */

/* The balloon (arch/x86_64/pv/xen_balloon.c): give `bytes` back to the
 * hypervisor, check the reservation, take them again; 0 if all went as
 * expected ("balloon: ... ok"). */
int balloon_run(uint64_t bytes);

/*
 * Inside the mm only (kernel/pgtable.c, kernel/page_alloc.c and the
 * balloon driver): the allocator's bookkeeping below the API.
 */
void page_alloc_init(uint64_t nr_pfns);     /* every pfn starts in use */
void page_alloc_release(uint64_t first, uint64_t end); /* [first, end) free */
bool page_alloc_is_free(uint64_t pfn);
uint64_t page_alloc_take(void);             /* a free pfn, not zeroed */
bool page_alloc_claim(uint64_t pfn);        /* take this pfn if free */
void page_alloc_put(uint64_t pfn);          /* back, unchecked */
/* Page-table frames must stay read-only in the direct map. */
bool mm_pfn_is_pagetable(uint64_t pfn);
void mm_set_pagetable(uint64_t pfn, bool is_pt);

#endif /* MM_H */
