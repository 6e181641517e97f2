/* SPDX-License-Identifier: MIT */
/*
 * m2p.h - the machine-to-phys table (arch/x86_64/m2p.c).
 * Owns:    one uint64_t per machine frame: the guest pfn it backs, or
 *          INVALID_M2P_ENTRY. Guests read it at RO_MPT_VIRT_START
 *          (= HYPERVISOR_VIRT_START), read-only, as on Xen.
 */
#ifndef PVISOR_M2P_H
#define PVISOR_M2P_H

#include "types.h"

#define INVALID_M2P_ENTRY (~0UL)

void m2p_init(uint64_t maddr, uint64_t nr_frames);
void m2p_map_for_guests(void);
void m2p_set(mfn_t mfn, uint64_t pfn);
uint64_t m2p_get(mfn_t mfn);
/* XENMEM_machphys_mfn_list: 0 or -XEN_EFAULT. */
long m2p_mfn_list(uint64_t arg);

#endif
