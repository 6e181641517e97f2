/* SPDX-License-Identifier: MIT */
/*
 * mm.h - what the rest of the hypervisor calls in mm.c and in the PV
 * descriptor code (pv/set_gdt.c).
 */
#ifndef PVISOR_MM_H
#define PVISOR_MM_H

#include "frame.h"
#include "page.h"

/* L4 slots 256-271 are the hypervisor's; every other slot is the guest's. */
static inline bool is_guest_l4_slot(unsigned int i)
{
    return i < HV_FIRST_SLOT || i > HV_LAST_SLOT;
}

struct domain;
struct vcpu;
struct mmuext_op;
/* One MMUEXT_* operation for v (also the emulated mov to CR3). */
int mm_mmuext_one(struct vcpu *v, const struct mmuext_op *op);
/* Pin the table at mfn as a level-`level` table (dom0 builder, mmuext). */
int mm_pin_table(struct domain *d, mfn_t mfn, unsigned int level);
/* pv-linear-pt=: whether linear (recursive) page-table entries are allowed. */
extern bool opt_pv_linear_pt;
/*
 * Validated write of entry idx of an L1 table of d; the new entry may map
 * a frame of pg_owner (d itself, or a domain a privileged d names).
 */
int mm_mod_l1_entry(struct page_info *l1pg, unsigned int idx, pte_t new,
                    const struct domain *d, const struct domain *pg_owner,
                    bool preserve_ad);
/* The L1 entry mapping va in v's current page table; 0 if none. */
pte_t mm_guest_pte(const struct vcpu *v, uint64_t va);
pte_t mm_guest_kernel_pte(const struct vcpu *v, uint64_t va);
/* Check every descriptor of a would-be GDT/LDT frame (pv/set_gdt.c). */
int pv_validate_desc_page(struct page_info *pg);

#endif
