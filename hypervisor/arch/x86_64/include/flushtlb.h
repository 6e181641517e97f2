/* SPDX-License-Identifier: MIT */
/*
 * flushtlb.h - full TLB flushes of this CPU, reported to the flush clock.
 * Owns:    the declarations of arch/x86_64/flushtlb.c: every CR3 load and
 *          every full flush of the hypervisor goes through these, never
 *          through write_cr3()/flush_tlb_local() directly, so that the
 *          clock of include/tlbflush.h knows when this CPU was last clean.
 * Touches: nothing.
 */
#ifndef PVISOR_FLUSHTLB_H
#define PVISOR_FLUSHTLB_H

#include "types.h"

/* Load CR3: a full flush of this CPU's TLB and paging-structure caches. */
void switch_cr3(uint64_t cr3);

#endif
