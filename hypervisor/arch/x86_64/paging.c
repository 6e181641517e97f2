/* SPDX-License-Identifier: MIT */
/*
 * paging.c - the hypervisor's own page tables.
 * Owns:    idle_pg_table (the L4 every guest L4 copies slots 256-271
 *          from), the image mapping, the direct map of RAM, and
 *          map_pages_to_xen() for the other hypervisor areas.
 * Touches: CR3 once, to leave the boot tables (head.S) behind.
 *
 * Every hypervisor slot gets its L3 at boot and never changes, so the L4
 * entries copied into guest L4s stay valid forever; everything that
 * changes later changes below L3, shared by all address spaces.
 */
#define LOG_PREFIX "paging"
#include "bug.h"
#include "console.h"
#include "flushtlb.h"
#include "frame.h"
#include "lib.h"
#include "log.h"
#include "multiboot.h"
#include "page.h"
#include "page_alloc.h"
#include "panic.h"
#include "processor.h"

#define HV_TABLE_FLAGS (_PAGE_PRESENT | _PAGE_RW)
#define HV_PAGE_FLAGS  (_PAGE_PRESENT | _PAGE_RW)
#define HV_LARGE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE)
#define LARGE_PAGE     (1UL << L2_PAGETABLE_SHIFT)

pte_t *idle_pg_table;
uint64_t idle_pg_table_mfn;

mfn_t alloc_xen_frame(void)
{
    mfn_t m = frame_alloc(1, 1);

    if (!mfn_valid_val(m))
        panic("out of memory for hypervisor page tables");
    memset(mfn_to_virt(m), 0, PAGE_SIZE);
    return m;
}

/* The next-level table under entry *e, allocating it if empty. */
static pte_t *next_table(pte_t *e, uint64_t flags)
{
    if (!(*e & _PAGE_PRESENT))
        *e = pte_from_mfn(alloc_xen_frame(), flags);
    BUG_ON(*e & _PAGE_PSE, "large page where a table was expected");
    return mfn_to_virt(pte_mfn(*e));
}

/* The L2 slot for va; tables created on the way get `tflags`. */
static pte_t *l2_slot(uint64_t va, uint64_t tflags)
{
    pte_t *l3 = mfn_to_virt(pte_mfn(idle_pg_table[l4_index(va)]));
    pte_t *l2 = next_table(&l3[l3_index(va)], tflags);
    return &l2[l2_index(va)];
}

void map_pages_to_xen(uint64_t va, mfn_t mfn, uint64_t nr, uint64_t flags)
{
    BUG_ON(va < HV_VIRT_START || va + nr * PAGE_SIZE > HV_VIRT_END,
           "map_pages_to_xen(%#lx) outside the hypervisor's slots", va);
    for (uint64_t i = 0; i < nr; i++, va += PAGE_SIZE) {
        uint64_t tflags = HV_TABLE_FLAGS | (flags & _PAGE_USER);
        pte_t *l1 = next_table(l2_slot(va, tflags), tflags);
        l1[l1_index(va)] = pte_from_mfn(_mfn(mfn_x(mfn) + i), flags);
        invlpg(va);
    }
}

/* Clear nr pages from va (their tables stay), each with invlpg. */
void unmap_pages_from_xen(uint64_t va, uint64_t nr)
{
    BUG_ON(va < HV_VIRT_START || va + nr * PAGE_SIZE > HV_VIRT_END,
           "unmap_pages_from_xen(%#lx) outside the hypervisor's slots", va);
    for (uint64_t i = 0; i < nr; i++, va += PAGE_SIZE) {
        pte_t *l1 = next_table(l2_slot(va, HV_TABLE_FLAGS), HV_TABLE_FLAGS);
        l1[l1_index(va)] = 0;
        invlpg(va);
    }
}

static void map_direct(uint64_t start, uint64_t end)
{
    start = ROUNDDOWN(start, LARGE_PAGE);
    end = ROUNDUP(end, LARGE_PAGE);
    for (uint64_t pa = start; pa < end; pa += LARGE_PAGE) {
        pte_t *l2e = l2_slot(DIRECTMAP_VIRT_START + pa, HV_TABLE_FLAGS);
        *l2e = pa | HV_LARGE_FLAGS;
    }
}

static void map_image(void)
{
    uint64_t start = (uint64_t)__image_start, end = (uint64_t)__image_end;

    map_pages_to_xen(start, _mfn(virt_to_maddr(__image_start) >> PAGE_SHIFT),
                     (end - start) >> PAGE_SHIFT, HV_PAGE_FLAGS);
}

void paging_init(const struct boot_info *bi)
{
    idle_pg_table_mfn = mfn_x(alloc_xen_frame());
    idle_pg_table = mfn_to_virt(_mfn(idle_pg_table_mfn));
    for (unsigned int slot = HV_FIRST_SLOT; slot <= HV_LAST_SLOT; slot++) {
        uint64_t flags = HV_TABLE_FLAGS | (slot == RO_MPT_SLOT ? _PAGE_USER : 0);
        idle_pg_table[slot] = pte_from_mfn(alloc_xen_frame(), flags);
    }
    map_image();
    for (unsigned int i = 0; i < bi->nr_mem; i++)
        if (bi->mem[i].type == BOOT_MEM_RAM)
            map_direct(bi->mem[i].addr, bi->mem[i].addr + bi->mem[i].len);
    switch_cr3(idle_pg_table_mfn << PAGE_SHIFT);
    log_info("own page tables active (L4 at mfn %#lx); low identity map gone",
             idle_pg_table_mfn);
}

void show_page_walk(uint64_t va)
{
    static const char *const level[] = { "L4", "L3", "L2", "L1" };
    static const unsigned int shift[] = { 39, 30, 21, 12 };
    uint64_t table = read_cr3() & PTE_ADDR_MASK;

    printk("page walk of %016lx (CR3 %016lx):\n", va, read_cr3());
    for (unsigned int i = 0; i < 4; i++) {
        pte_t e;

        if (!mfn_valid(_mfn(table >> PAGE_SHIFT))) {
            printk("  %s table at %#lx: not RAM, walk ends\n", level[i], table);
            return;
        }
        e = ((const pte_t *)maddr_to_virt(table))[(va >> shift[i]) & 511];
        printk("  %s[%3lu] = %016lx%s%s%s%s\n", level[i], (va >> shift[i]) & 511, e,
               (e & _PAGE_USER) ? " user" : "", (e & _PAGE_RW) ? " rw" : "",
               (e >> _PAGE_NX_BIT) & 1 ? " nx" : "", (e & _PAGE_PSE) && i ? " large" : "");
        if (!(e & _PAGE_PRESENT) || (i && (e & _PAGE_PSE)))
            return;
        table = e & PTE_ADDR_MASK;
    }
}
