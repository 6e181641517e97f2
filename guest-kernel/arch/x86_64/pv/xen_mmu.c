/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_mmu.c - MMU pv-ops under Xen: PTE updates and TLB control.
 * Owns:    nothing persistent.
 * Touches: update_va_mapping, mmu_update, multicall, mmuext_op
 *          (TLB_FLUSH_LOCAL, INVLPG_LOCAL, NEW_BASEPTR, NEW_USER_BASEPTR,
 *          PIN_Ln_TABLE, UNPIN_TABLE).  A PV kernel's page tables are mapped
 *          read-only: every change is validated by the hypervisor.
 * ABI:     abi/xen/xen.h (UVMF_*, MMUEXT_*, struct mmuext_op).
 */
#include <asm/pvops.h>
#include "hypercall.h"
#include "xen.h"

_Static_assert(sizeof(struct pte_update) == sizeof(struct mmu_update),
               "pte_update is passed to mmu_update as it is");

/* A PTE that maps mfn read-only or read-write (Xen adds _PAGE_USER). */
#define XEN_PTE_RO (_PAGE_PRESENT | _PAGE_ACCESSED)
#define XEN_PTE_RW (XEN_PTE_RO | _PAGE_RW | _PAGE_DIRTY)

long xen_set_pte_at(unsigned long va, pte_t pte, int invlpg)
{
    return HYPERVISOR_update_va_mapping(va, pte, invlpg ? UVMF_INVLPG : UVMF_NONE);
}

static long xen_mmuext_one(struct mmuext_op *op)
{
    return HYPERVISOR_mmuext_op(op, 1, NULL, DOMID_SELF);
}

long xen_flush_tlb_local(void)
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

    return xen_mmuext_one(&op);
}

long xen_flush_tlb_one(unsigned long va)
{
    struct mmuext_op op = { .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va };

    return xen_mmuext_one(&op);
}

/* Switch to the L4 in machine frame `frame` (already a pinned L4). */
long xen_load_cr3(unsigned long frame)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_BASEPTR, .arg1.mfn = frame };

    return xen_mmuext_one(&op);
}

/* mmu_update of n entries (MMU_NORMAL_PT_UPDATE: ptr's low bits are 0).
 * On failure the hypervisor has applied the first `done` of them. */
long xen_write_ptes(const struct pte_update *u, unsigned int n)
{
    unsigned int done = 0;
    long rc = HYPERVISOR_mmu_update((struct mmu_update *)u, n, &done, DOMID_SELF);

    if (rc == 0 && done != n)
        return -XEN_EIO;        /* never seen: Xen sets done = n on success */
    return rc;
}

static const unsigned int pin_cmd[] = {
    [1] = MMUEXT_PIN_L1_TABLE, [2] = MMUEXT_PIN_L2_TABLE,
    [3] = MMUEXT_PIN_L3_TABLE, [4] = MMUEXT_PIN_L4_TABLE,
};

long xen_pin_table(unsigned int level, uint64_t mfn)
{
    struct mmuext_op op = { .arg1.mfn = mfn };

    if (level < 1 || level > 4)
        return -XEN_EINVAL;
    op.cmd = pin_cmd[level];
    return xen_mmuext_one(&op);
}

long xen_unpin_table(uint64_t mfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mfn };

    return xen_mmuext_one(&op);
}

long xen_load_user_cr3(uint64_t mfn)
{
    struct mmuext_op op = { .cmd = MMUEXT_NEW_USER_BASEPTR, .arg1.mfn = mfn };

    return xen_mmuext_one(&op);
}

/* Run a two-entry multicall; the first failing entry's result, else 0. */
static long xen_multicall2(struct multicall_entry mc[2])
{
    long rc = HYPERVISOR_multicall(mc, 2);

    if (rc)
        return rc;
    if ((long)mc[0].result)
        return (long)mc[0].result;
    return (long)mc[1].result;
}

/* The page at va becomes a page table of this level: it may no longer be
 * mapped writable, so map it read-only, then pin it (one multicall). */
long xen_make_pagetable(unsigned int level, unsigned long va, uint64_t mfn)
{
    struct mmuext_op pin = { .arg1.mfn = mfn };
    struct multicall_entry mc[2] = {
        { .op = __HYPERVISOR_update_va_mapping,
          .args = { va, (mfn << PAGE_SHIFT) | XEN_PTE_RO, UVMF_INVLPG } },
        { .op = __HYPERVISOR_mmuext_op,
          .args = { (unsigned long)&pin, 1, 0, DOMID_SELF } },
    };

    if (level < 1 || level > 4)
        return -XEN_EINVAL;
    pin.cmd = pin_cmd[level];
    return xen_multicall2(mc);
}

/* The reverse: unpin, then map the page read-write again. */
long xen_release_pagetable(unsigned long va, uint64_t mfn)
{
    struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mfn };
    struct multicall_entry mc[2] = {
        { .op = __HYPERVISOR_mmuext_op,
          .args = { (unsigned long)&unpin, 1, 0, DOMID_SELF } },
        { .op = __HYPERVISOR_update_va_mapping,
          .args = { va, (mfn << PAGE_SHIFT) | XEN_PTE_RW, UVMF_INVLPG } },
    };

    return xen_multicall2(mc);
}
