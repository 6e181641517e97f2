/* SPDX-License-Identifier: MIT */
/*
 * xen/features.h - feature bits reported by XENVER_get_features and named
 *             by a kernel's XEN_ELFNOTE_FEATURES note.
 * Mirrors: Xen 4.17 public/features.h.
 * Owns:    XENFEAT_* bit numbers (bit n of submap n / 32).
 * Touches: nothing; constants only.
 */
#ifndef __XEN_PUBLIC_FEATURES_H__
#define __XEN_PUBLIC_FEATURES_H__

#define XENFEAT_writable_page_tables       0  /* L1 writes are emulated */
#define XENFEAT_writable_descriptor_tables 1  /* GDT/LDT writes emulated */
#define XENFEAT_auto_translated_physmap    2  /* hypervisor translates PFNs */
#define XENFEAT_supervisor_mode_kernel     3  /* kernel runs in ring 0 */
#define XENFEAT_pae_pgdir_above_4gb        4  /* 32-bit PAE only */
#define XENFEAT_mmu_pt_update_preserve_ad  5  /* MMU_PT_UPDATE_PRESERVE_AD */
#define XENFEAT_highmem_assist             6  /* 32-bit only */
#define XENFEAT_gnttab_map_avail_bits      7  /* GNTMAP_guest_avail_mask */
#define XENFEAT_hvm_callback_vector        8  /* HVM */
#define XENFEAT_hvm_safe_pvclock           9  /* HVM */
#define XENFEAT_hvm_pirqs                 10  /* HVM */
#define XENFEAT_dom0                      11  /* this is the control domain */
#define XENFEAT_memory_op_vnode_supported 13  /* XENMEMF_vnode */
#define XENFEAT_ARM_SMCCC_supported       14  /* ARM */
#define XENFEAT_linux_rsdp_unrestricted   15  /* PVH dom0 */
#define XENFEAT_not_direct_mapped         16  /* ARM */
#define XENFEAT_direct_mapped             17  /* ARM */

/* 32-bit submaps in use (XENVER_get_features submap_idx < this). */
#define XENFEAT_NR_SUBMAPS 1

#endif /* __XEN_PUBLIC_FEATURES_H__ */
