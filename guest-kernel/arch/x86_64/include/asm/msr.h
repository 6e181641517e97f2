/* SPDX-License-Identifier: MIT */
/*
 * asm/msr.h - model-specific register numbers the kernel uses.
 * Owns:    MSR numbers (Intel SDM vol. 4, table 2-2 "IA-32 architectural MSRs").
 * Touches: nothing.
 */
#ifndef ASM_MSR_H
#define ASM_MSR_H

#define MSR_FS_BASE         0xc0000100  /* IA32_FS_BASE */
#define MSR_GS_BASE         0xc0000101  /* IA32_GS_BASE */
#define MSR_SHADOW_GS_BASE  0xc0000102  /* IA32_KERNEL_GS_BASE (swapgs) */

#endif /* ASM_MSR_H */
