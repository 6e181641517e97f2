/* SPDX-License-Identifier: MIT */
/*
 * asm/page.h - page size, the kernel's virtual layout, PTE bits.
 * Owns:    the constants describing x86_64 4-level paging and where the
 *          kernel image lives.
 * Touches: nothing (constants only; safe to include from assembly).
 * ABI:     KERNEL_VIRT_BASE is also the XEN_ELFNOTE_VIRT_BASE note; its single
 *          definition is guest-kernel/meson.build (passed as -D and --defsym).
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1 << PAGE_SHIFT)
#define PAGE_MASK       (~(PAGE_SIZE - 1))

#ifndef KERNEL_VIRT_BASE
#error "KERNEL_VIRT_BASE must come from guest-kernel/meson.build"
#endif

/* Page-table entry bits (Intel SDM vol. 3A, 4.5 "4-level paging", table 4-19). */
#define _PAGE_PRESENT   0x001
#define _PAGE_RW        0x002
#define _PAGE_USER      0x004
#define _PAGE_PWT       0x008           /* write-through  */
#define _PAGE_PCD       0x010           /* cache disabled */
#define _PAGE_ACCESSED  0x020
#define _PAGE_DIRTY     0x040

/* Page-fault error code bits (SDM vol. 3A, 4.7, figure 4-12). */
#define PFEC_PRESENT    0x01
#define PFEC_WRITE      0x02
#define PFEC_USER       0x04

/* A 64-bit linear address is canonical if bits 63..47 are all equal. */
#define VA_BITS         48

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <mm.h>         /* virt_to_pfn() and friends used to live here */

typedef uint64_t pte_t;

/* 4-level paging geometry (SDM vol. 3A, 4.5): 512 entries per table;
 * level 1 (L1, the page table) up to level 4 (L4, what cr3 names). */
#define PT_ENTRIES      512
#define PT_LEVEL_BITS   9
#define PT_LEVELS       4
#define PTE_SIZE        8
#define _PAGE_PSE       0x080           /* L2/L3: a 2 MiB / 1 GiB page */
#define PTE_FRAME_MASK  0x000ffffffffff000UL   /* bits 51..12 */

/* Bit shift of the VA bits that index a table of this level (1..4). */
static inline unsigned int pt_shift(unsigned int level)
{
    return PAGE_SHIFT + PT_LEVEL_BITS * (level - 1);
}

static inline unsigned int pt_index(uint64_t va, unsigned int level)
{
    return (va >> pt_shift(level)) & (PT_ENTRIES - 1);
}

static inline uint64_t pte_frame(pte_t pte)
{
    return (pte & PTE_FRAME_MASK) >> PAGE_SHIFT;
}
#endif

#endif /* ASM_PAGE_H */
