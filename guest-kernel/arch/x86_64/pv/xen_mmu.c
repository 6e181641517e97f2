/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_mmu.c - MMU pv-ops under Xen: PTE updates and TLB control.
 * Owns:    nothing persistent.
 * Touches: update_va_mapping, mmuext_op (TLB_FLUSH_LOCAL, INVLPG_LOCAL,
 *          NEW_BASEPTR).  A PV kernel's page tables are mapped read-only:
 *          every change is validated by the hypervisor.
 * ABI:     abi/xen/xen.h (UVMF_*, MMUEXT_*, struct mmuext_op).
 */
#include <asm/pvops.h>
#include "hypercall.h"
#include "xen.h"

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
