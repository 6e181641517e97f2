/* SPDX-License-Identifier: MIT */
/*
 * page.h - address translation and the hypervisor's own mappings
 * (arch/x86_64/paging.c).
 * Owns:    __va/__pa, page-table entry helpers, the idle page table.
 */
#ifndef PVISOR_PAGE_H
#define PVISOR_PAGE_H

#include "layout.h"
#include "types.h"
#include "x86.h"

typedef uint64_t pte_t;

extern char __image_start[], __image_end[], __bss_end[];
extern pte_t *idle_pg_table;          /* the hypervisor's L4           */
extern uint64_t idle_pg_table_mfn;

static inline void *maddr_to_virt(uint64_t ma)
{
    return (void *)(ma + DIRECTMAP_VIRT_START);
}
static inline void *mfn_to_virt(mfn_t m)
{
    return maddr_to_virt(mfn_x(m) << PAGE_SHIFT);
}
/* Machine address of a direct-map or image virtual address. */
static inline uint64_t virt_to_maddr(const void *va)
{
    uint64_t v = (uint64_t)va;
    if (v >= XEN_VIRT_START && v < XEN_VIRT_START + (1UL << 30))
        return v - XEN_VIRT_START;
    return v - DIRECTMAP_VIRT_START;
}
static inline mfn_t virt_to_mfn(const void *va)
{
    return _mfn(virt_to_maddr(va) >> PAGE_SHIFT);
}

static inline mfn_t pte_mfn(pte_t e) { return _mfn((e & PTE_ADDR_MASK) >> PAGE_SHIFT); }
static inline unsigned int pte_flags(pte_t e) { return (unsigned int)(e & 0xfff); }
static inline pte_t pte_from_mfn(mfn_t m, uint64_t flags)
{
    return (mfn_x(m) << PAGE_SHIFT) | flags;
}
static inline unsigned int l4_index(uint64_t va) { return (va >> L4_PAGETABLE_SHIFT) & 511; }
static inline unsigned int l3_index(uint64_t va) { return (va >> L3_PAGETABLE_SHIFT) & 511; }
static inline unsigned int l2_index(uint64_t va) { return (va >> L2_PAGETABLE_SHIFT) & 511; }
static inline unsigned int l1_index(uint64_t va) { return (va >> L1_PAGETABLE_SHIFT) & 511; }

struct boot_info;
/*
 * Build the final hypervisor page tables (image, direct map of every RAM
 * region, an L3 for every hypervisor slot) and switch to them.
 */
void paging_init(const struct boot_info *bi);
/* Map nr frames from mfn at va (hypervisor slots only), 4 KiB pages. */
void map_pages_to_xen(uint64_t va, mfn_t mfn, uint64_t nr, uint64_t flags);
/* Clear nr pages of a hypervisor area from va; its tables stay. */
void unmap_pages_from_xen(uint64_t va, uint64_t nr);
/* A zeroed frame from the allocator for hypervisor use; panics if none. */
mfn_t alloc_xen_frame(void);
/* Print the walk of va through the live page tables (CR3), level by
 * level, for a fault report: what the CPU saw, flags and all. */
void show_page_walk(uint64_t va);

#endif
