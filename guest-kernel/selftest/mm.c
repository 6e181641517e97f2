/* SPDX-License-Identifier: MIT */
/*
 * selftest/mm.c - update_va_mapping and mmuext_op.
 * Owns:    the MMU self-tests and st_alias_page, the page they alias.
 * Touches: a page from mm_alloc_pfn(), whose mapping it restores;
 *          pv_ops MMU operations; mov %cr3.
 */
#include <selftest.h>
#include <asm/fixup.h>
#include <asm/page.h>
#include <asm/pvops.h>
#include <asm/traps.h>
#include <mm.h>
#include <pv/hypercall.h>

#define ST_PTE_FLAGS (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define ST_ALIAS_PATTERN 0x0123456789abcdefUL
#define ST_ALIAS_WORD_A  0xfeedUL
#define ST_ALIAS_WORD_B  0xbeefUL
#define ST_WORDS_PER_PAGE (PAGE_SIZE / sizeof(uint64_t))

static volatile uint64_t st_alias_page[ST_WORDS_PER_PAGE]
    __attribute__((aligned(PAGE_SIZE))) = { ST_ALIAS_PATTERN };

static pte_t st_pte(unsigned long mfn)
{
    return ((pte_t)mfn << PAGE_SHIFT) | ST_PTE_FLAGS;
}

/* Read *va, tolerating a fault; NULL if it faulted as a #PF at va. */
static const char *st_expect_unmapped(unsigned long va)
{
    unsigned long before = trap_last.count, rip, val = 0;

    asm volatile("lea 1f(%%rip), %0\n"
                 "1: movq (%2), %1\n"
                 "2:\n" FIXUP_ENTRY(1b, 2b)
                 : "=&r"(rip), "+r"(val) : "r"(va) : "memory");
    ST_TRY(st_check_trap(before, X86_EXC_PF, 0, rip));
    ST_EXPECT(trap_last.cr2 == va, "cr2 %#lx, want %#lx", trap_last.cr2, va);
    return NULL;
}

/* Map st_alias_page at va too, use both, unmap va again. */
static const char *alias_and_unmap(unsigned long va)
{
    volatile uint64_t *alias = (volatile uint64_t *)va;
    unsigned long mfn = pfn_to_mfn(virt_to_pfn((const void *)st_alias_page));

    ST_EXPECT_RC(pv_ops.set_pte_at(va, st_pte(mfn), 1), 0);
    ST_EXPECT(alias[0] == ST_ALIAS_PATTERN, "alias reads %#lx", (unsigned long)alias[0]);
    st_alias_page[1] = ST_ALIAS_WORD_A;
    ST_EXPECT(alias[1] == ST_ALIAS_WORD_A, "write through the kernel VA not seen");
    alias[2] = ST_ALIAS_WORD_B;
    ST_EXPECT(st_alias_page[2] == ST_ALIAS_WORD_B, "write through the alias not seen");
    ST_EXPECT_RC(pv_ops.set_pte_at(va, 0, 1), 0);
    return st_expect_unmapped(va);
}

const char *st_update_va_mapping(void)
{
    uint64_t pfn = mm_alloc_pfn(), orig_mfn;
    unsigned long va;
    const char *why;

    ST_EXPECT(pfn != INVALID_FRAME, "no free page");
    va = (unsigned long)pfn_to_virt(pfn);
    orig_mfn = pfn_to_mfn(pfn);
    why = alias_and_unmap(va);
    /* Put the page back: no flush in the update, INVLPG after. */
    ST_EXPECT_RC(pv_ops.set_pte_at(va, st_pte(orig_mfn), 0), 0);
    ST_EXPECT_RC(pv_ops.flush_tlb_one(va), 0);
    (void)*(volatile uint64_t *)va;
    mm_free_pfn(pfn);
    return why;
}

/* mov %cr3 with a fixup: the hypervisor emulates the read. */
static const char *st_read_cr3(unsigned long *cr3)
{
    unsigned long before = trap_last.count;

    *cr3 = 0;
    asm volatile("1: mov %%cr3, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "+r"(*cr3) :: "memory");
    ST_EXPECT(trap_last.count == before, "mov from %%cr3 raised %s",
              trap_name(trap_last.vector));
    return NULL;
}

const char *st_mmuext_op(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = 0 };
    unsigned long cr3, l4_mfn;

    ST_EXPECT_RC(pv_ops.flush_tlb_local(), 0);
    ST_EXPECT_RC(pv_ops.flush_tlb_one((unsigned long)st_alias_page), 0);
    ST_TRY(st_read_cr3(&cr3));
    l4_mfn = mm_current_l4_mfn();
    ST_EXPECT(cr3 >> PAGE_SHIFT == l4_mfn, "cr3 %#lx, the kernel's L4 is mfn %#lx",
              cr3, l4_mfn);
    ST_EXPECT_RC(pv_ops.load_cr3(cr3 >> PAGE_SHIFT), 0);
    /* Frame 0 says "no user page tables"; then put the kernel's back. */
    ST_EXPECT_RC(HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF), 0);
    if (mm_user_l4_mfn())
        ST_EXPECT_RC(pv_ops.load_user_cr3(mm_user_l4_mfn()), 0);
    return NULL;
}
