/* SPDX-License-Identifier: MIT */
/*
 * flushtlb.c - full TLB flushes of this CPU, on the flush clock.
 * Owns:    switch_cr3() and arch_flush_tlbs(): every CR3 load and every
 *          full flush the hypervisor does, each reported to the clock
 *          (common/tlbflush.c) with tlbflush_begin()/tlbflush_end().
 * Touches: CR3.
 *
 * CR4.PGE and CR4.PCIDE are clear (cpu.c clears both), so a load of CR3
 * invalidates every TLB entry and every paging-structure-cache entry of
 * this CPU (SDM 3A 4.10.4.1: "MOV to CR3"; with PGE clear no entry is
 * global, so none survives). Every CR3 load is therefore a full flush:
 * a switch between a guest's kernel and user tables, or to the idle
 * table, covers the frames stamped before it as well as a guest's
 * explicit MMUEXT_TLB_FLUSH does, and the clock is told of each. Should
 * global pages or PCIDs ever be enabled, a full flush must toggle
 * CR4.PGE or use INVPCID, here and only here. INVLPG is not a full flush
 * (it drops one address's TLB entries) and does not move the clock.
 */
#include "flushtlb.h"
#include "frame.h"
#include "processor.h"
#include "tlbflush.h"

void switch_cr3(uint64_t cr3)
{
    uint32_t t = tlbflush_begin();

    write_cr3(cr3);
    tlbflush_end(t);
}

void arch_flush_tlbs(void)
{
    uint32_t t = tlbflush_begin();

    flush_tlb_local();
    tlbflush_end(t);
}
