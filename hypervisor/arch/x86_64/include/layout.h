/* SPDX-License-Identifier: MIT */
/*
 * layout.h - where things live in the hypervisor's virtual address space.
 * Owns:    the virtual layout constants (C and assembly).
 * Touches: nothing.
 *
 * Everything the hypervisor maps lies in L4 slots 256-271, the range
 * Xen reserves for itself (HYPERVISOR_VIRT_START..HYPERVISOR_VIRT_END);
 * guests own every other slot. We follow Xen's map, so a reader of Xen's
 * xen/arch/x86/include/asm/config.h finds the same addresses:
 *
 *  0xFFFF800000000000  slot 256   read-only machine-to-phys table (M2P),
 *                                 mapped user-readable for PV guests
 *  0xFFFF808000000000  slot 257   per-CPU stack blocks, one per 4 GiB
 *                                 (see STACK_AREA_PER_CPU)
 *  0xFFFF820000000000  slot 260   per-CPU GDT and LDT areas (64 KiB
 *                                 each, 128 KiB per CPU)
 *  0xFFFF82D080000000  slot 261   the hypervisor image (VA = this + PA)
 *  0xFFFF830000000000  slots 262-271 direct map of all RAM (5 TiB)
 *
 * Slots 258-259 are unused and stay empty.
 */
#ifndef PVISOR_LAYOUT_H
#define PVISOR_LAYOUT_H

#ifdef __ASSEMBLER__
#define _AC(x, s) x
#else
#define _AC(x, s) x##s
#endif

#define HV_VIRT_START        _AC(0xFFFF800000000000, UL)  /* slot 256 */
#define HV_VIRT_END          _AC(0xFFFF880000000000, UL)  /* slot 272 */
#define HV_FIRST_SLOT        256
#define HV_LAST_SLOT         271

#define RO_MPT_VIRT_START    _AC(0xFFFF800000000000, UL)
#define RO_MPT_VIRT_END      _AC(0xFFFF808000000000, UL)
#define RO_MPT_SLOT          256

#define GDT_AREA_VIRT_START  _AC(0xFFFF820000000000, UL)  /* slot 260 */
#define GDT_AREA_PER_CPU     _AC(0x20000, UL)
#define LDT_AREA_OFFSET      _AC(0x10000, UL)  /* from the CPU's GDT area */
#define LDT_AREA_PAGES       16                /* 8192 descriptors        */

#define XEN_VIRT_START       _AC(0xFFFF82D080000000, UL)  /* slot 261 */
#define XEN_LOAD_PADDR       _AC(0x200000, UL)            /* 2 MiB    */

#define DIRECTMAP_VIRT_START _AC(0xFFFF830000000000, UL)  /* slot 262 */
#define DIRECTMAP_VIRT_END   _AC(0xFFFF880000000000, UL)
#define DIRECTMAP_SIZE       (DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)

/*
 * Per-CPU stack block: IST stacks below the primary stack, cpu_info on
 * top; the block is STACK_SIZE-aligned so get_cpu_info() is a mask.
 *
 * CPU n's block is mapped at STACK_AREA_VIRT_START + n * 4 GiB, and that
 * is the only address the CPU ever uses for it. Why 4 GiB apart: an iretq
 * to a 16-bit stack segment (a guest may put one in its GDT or LDT and
 * return to 32-bit code with it) loads only SP, so bits 16-31 of ESP, and
 * bits 32-63 of RSP should the code later enter 64-bit mode, are left
 * as they were in the hypervisor's RSP at the iretq: the leak Linux's
 * espfix64 exists for. Here bits 16-31 are 0 on every CPU and bits 32-63
 * are 0xFFFF8080 + n, constants of this layout: the guest learns nothing
 * about where the hypervisor's memory is, at no cost on the exit path. Nothing else is mapped in a CPU's
 * 4 GiB window, so the pages around its block are guard pages.
 */
#define STACK_AREA_VIRT_START _AC(0xFFFF808000000000, UL) /* slot 257 */
#define STACK_AREA_PER_CPU    (_AC(1, UL) << 32)
#define STACK_ORDER          3
#define STACK_SIZE           (_AC(4096, UL) << STACK_ORDER)
#define IST_DF_PAGE          1   /* page index in the block, stack grows down from its end */
#define IST_NMI_PAGE         2
#define IST_MC_PAGE          3
#define IST_DB_PAGE          0   /* #DB: pv/debugreg.c says why */
#define IST_DF               1   /* TSS IST slot numbers */
#define IST_NMI              2
#define IST_MC               3
#define IST_DB               4

#endif
