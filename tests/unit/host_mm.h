/* SPDX-License-Identifier: MIT */
/*
 * host_mm.h - a small simulated machine for the unit tests of the real
 * arch/x86_64/mm.c, pv/ro_page_fault.c and common/memory.c (test_mm.c,
 * test_ro_page_fault.c, test_memory.c): 64 frames of RAM in a host buffer, their frame
 * table, three domains with one vCPU each, the idle L4, the M2P.
 * Owns:    host_mm.c: the machine, the hooks host_hooks.h redirects to,
 *          and the stubs for what those sources call elsewhere in the
 *          hypervisor (entry.S's guest copies, hypercall.c's continuation
 *          and hc_fail, domain_by_id, pv_validate_desc_page, printk).
 * Touches: nothing of the code under test.
 *
 * Frames (mfn):  0      M2P table (DOMID_XEN, xen heap)
 *                1-3    hypervisor L3, L2, L1 (DOMID_XEN): every idle L4
 *                       slot points at the L3, whose entry 0 leads to the L1
 *                       mapping the M2P read-only at HV_VIRT_START, and
 *                       whose L2 entry 1 is a 2 MiB page (frame 3 on)
 *                4-7    free (the audit's scratch buffer comes from here)
 *                8-15   dom0 (privileged)
 *                16-47  d1 (unprivileged: the domain most tests drive)
 *                48-63  d2 (unprivileged)
 * max_page is 64; frames from 64 up to HOST_MAX_PHYS_MFN are device
 * memory (nothing in the frame table, nothing in RAM). Guest virtual addresses handed to hypercalls (request
 * arrays, done counts, instruction bytes) are plain host pointers: they
 * lie in the lower half, which guest_range_ok() accepts. Addresses that
 * mm.c only walks through the guest's page tables (update_va_mapping's
 * va, cr2) are never dereferenced on the host.
 */
#ifndef PVISOR_TEST_HOST_MM_H
#define PVISOR_TEST_HOST_MM_H

#include "host_hooks.h"
#include "frame.h"
#include "page_alloc.h"
#include "sched.h"

#define HOST_FRAMES       64
#define HOST_M2P_MFN      0
#define HOST_XEN_L3_MFN   1
#define HOST_XEN_L2_MFN   2
#define HOST_XEN_L1_MFN   3
#define HOST_FREE_FIRST   4
#define HOST_FREE_END     8
#define HOST_DOM0_FIRST   8
#define HOST_D1_FIRST     16
#define HOST_D2_FIRST     48
#define HOST_DOM_END      64
#define HOST_MAX_PHYS_MFN (1UL << 24)      /* a 36-bit physical address */
#define HOST_APIC_MFN     0xfee00UL        /* the local APIC's registers */
#define HOST_IOAPIC_MFN   0xfec00UL        /* the I/O APIC's             */

extern struct page_allocator machine_frames;     /* frame.c */

extern struct domain host_dom[3];                /* dom0, d1, d2 */
extern struct vcpu host_vcpu[3];                 /* one each     */
extern pte_t *const host_idle_l4;                /* = idle_pg_table */

/* What the hooks recorded since the last host_machine_reset(). */
struct host_events {
    unsigned int cr3_writes;
    uint64_t last_cr3;
    unsigned int invlpgs;
    uint64_t last_invlpg;
    unsigned int tlb_flushes;
    unsigned int continuations;
    unsigned int cont_nr;
    uint64_t cont_args[5];
};
extern struct host_events host_ev;

/* Guest accesses touching [lo, hi) fault (raw_copy_*, raw_read_guest_u8). */
extern uint64_t host_fault_lo, host_fault_hi;
/* ... only when written (a read-only page), if set. */
extern bool host_fault_writes_only;
/* What the stand-in pv_validate_desc_page() returns. */
extern int host_desc_rc;
/* What the stand-in arch_max_phys_mfn() returns (HOST_MAX_PHYS_MFN). */
extern uint64_t host_max_phys_mfn;

/*
 * Fresh machine: RAM zeroed, every guest frame holding only its
 * allocation reference, no type; current = d1's vCPU, in kernel mode,
 * no page table; M2P all INVALID; hooks' records cleared.
 */
void host_machine_reset(void);
/* The simulated frame, as the hypervisor's direct map would show it. */
pte_t *host_frame(uint64_t mfn);
/* A present entry for mfn with flags (no _PAGE_USER: mm.c adds it). */
static inline pte_t host_pte(uint64_t mfn, uint64_t flags)
{
    return pte_from_mfn(_mfn(mfn), flags);
}
/* Set current (and its domain) to host_vcpu[i]. */
void host_set_current(unsigned int i);
/*
 * "Reference counts back to zero": every frame owned by dom0, d1, d2
 * holds exactly its allocation reference, no type reference (.type
 * may still name the last use, as the flush filter needs), not
 * validated, not pinned; Xen's frames untouched; 4-7 still free;
 * tot_pages as at reset; no vCPU holds a page table.
 */
void host_assert_at_rest(void);
/*
 * Remember the frame table and RAM; host_assert_unchanged() then checks
 * that not one count, type, flag or page-table byte moved since (frames
 * 4-7 excepted: the audit's scratch space).
 */
void host_snapshot(void);
void host_assert_unchanged(void);
/* arch_audit_domain_memory() (the real mm_audit.c) finds no error. */
void host_assert_audit_clean(const struct domain *d);

#endif
