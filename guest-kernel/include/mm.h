/* SPDX-License-Identifier: MIT */
/*
 * mm.h - the kernel's memory: frames, their mappings, the page allocator.
 * Owns:    the memory API every other part of the kernel (and the test
 *          image: hostile guests, fuzzer, benchmarks) codes against.
 * Touches: nothing (declarations).  Implemented by
 *            arch/x86_64/pv/xen_p2m.c   pfn_to_mfn, mfn_to_pfn (p2m, M2P)
 *            kernel/page_alloc.c        mm_alloc_pfn(s), mm_free_pfn(s_run),
 *                                       mm_try_free_pfn
 *            kernel/pgtable.c           the mappings, the page-table walk,
 *                                       building the kernel's own tables
 *            kernel/user_pgtable.c      user address spaces (an L4 pair
 *                                       per process)
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

/*
 * User address spaces (kernel/user_pgtable.c): as Linux on Xen PV, each is
 * a pair of pinned L4s.  The kernel L4 holds the kernel's slots (272..511,
 * shared L3s, so a kernel mapping made later shows in every space) and the
 * user slots 0..255; the user L4 holds the same user slots and nothing
 * else, so user mode cannot even name a kernel page.  Both L4s point at the
 * same L3s, so a user mapping below L4 is made once.  Every page-table
 * frame is read-only in the direct map while it is one.
 */
#define USER_VA_END      0x0000800000000000UL   /* first non-user address */
#define UPROT_READ  1
#define UPROT_WRITE 2
#define UPROT_EXEC  4
struct user_space {
    uint64_t kernel_l4_pfn, user_l4_pfn;        /* 0 when not built */
    uint64_t pages;                             /* user pages mapped */
};
long uspace_create(struct user_space *us);      /* 0 or -errno (Linux's) */
void uspace_destroy(struct user_space *us);     /* not while active */
/* Map npages fresh zeroed frames at va (page aligned, nothing mapped
 * there yet); on failure what was mapped stays (destroy frees it). */
long uspace_map(struct user_space *us, uint64_t va, uint64_t npages, unsigned prot);
/* Unmap [va, va + npages pages) and free the frames; holes are fine. */
long uspace_unmap(struct user_space *us, uint64_t va, uint64_t npages);
long uspace_protect(struct user_space *us, uint64_t va, uint64_t npages, unsigned prot);
/* The kernel's view (direct map) of user address va, NULL if not mapped
 * (or, for write, not writable by the user). */
void *uspace_ptr(const struct user_space *us, uint64_t va, bool write);
/* Copies through uspace_ptr(): 0, or -EFAULT at the first unmapped byte. */
long uspace_copy_to(const struct user_space *us, uint64_t va, const void *src, size_t n);
long uspace_copy_from(const struct user_space *us, void *dst, uint64_t va, size_t n);
/* fork: child (fresh from uspace_create) gets every user mapping of
 * parent, the frames shared copy-on-write; 0 or -ENOMEM (destroy frees
 * what was copied). */
long uspace_fork(struct user_space *child, const struct user_space *parent);
/* Make the copy-on-write page at va private and writable: 0 (also when
 * it is writable already), -EFAULT if it is not a COW page, -ENOMEM. */
long uspace_cow_break(struct user_space *us, uint64_t va);
uint64_t uspace_share_pages(void);          /* pages of share counters kept */
/* Run on this space (NEW_BASEPTR + NEW_USER_BASEPTR); NULL: the kernel's
 * own L4 and its empty user L4 again. */
long uspace_activate(const struct user_space *us);
bool uspace_is_active(const struct user_space *us);

/*
 * Device mappings (kernel/vma.c's device regions: privcmd's foreign
 * frames, gntdev's grant mappings).  Their leaves carry UPTE_FOREIGN (a
 * software bit the PV ABI leaves to the guest): the frame is not this
 * kernel's, so unmapping or destroying the space never frees it (the
 * hypervisor drops its reference with the entry), fork never copies it
 * (Linux's VM_DONTCOPY), and it is not counted in us->pages.  The driver
 * writes the entry itself (mmu_update with foreigndom, or a grant map at
 * the VA); these give it the place and the value.
 */
#define UPTE_FOREIGN (1UL << 10)
/* Machine address of va's L1 entry in us, the tables made on the way;
 * 0 if they cannot be (no memory).  *old gets the entry now there. */
uint64_t uspace_pte_maddr(struct user_space *us, uint64_t va, uint64_t *old);
/* The leaf mapping machine frame mfn for the user with prot, marked
 * UPTE_FOREIGN. */
uint64_t uspace_foreign_pte(uint64_t mfn, unsigned prot);

/* The page allocator (kernel/page_alloc.c). */
uint64_t mm_alloc_pfn(void);                /* zeroed, mapped RW at pfn_to_virt();
                                               INVALID_FRAME when none */
void mm_free_pfn(uint64_t pfn);             /* a refused free is printed */
const char *mm_try_free_pfn(uint64_t pfn);  /* NULL if freed, else why not
                                               (nothing printed) */
uint64_t mm_free_pfns(void);                /* how many pfns are free */
/* n contiguous pfns (contiguous in pfn_to_virt() too), zeroed: the first,
 * or INVALID_FRAME; and back. */
uint64_t mm_alloc_pfns(unsigned int n);
void mm_free_pfns_run(uint64_t pfn, unsigned int n);

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
