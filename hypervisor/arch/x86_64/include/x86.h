/* SPDX-License-Identifier: MIT */
/*
 * x86.h - architectural constants: control-register bits, EFLAGS, MSRs,
 * page-table entry bits, exception vectors, segment selectors (Intel SDM
 * volume 3 sections noted per group). Usable from C and assembly.
 * Owns:    names for hardware numbers; nothing else.
 */
#ifndef PVISOR_X86_H
#define PVISOR_X86_H

#include "layout.h"

/* CR0 (SDM 3A 2.5) */
#define X86_CR0_PE   (1 << 0)
#define X86_CR0_MP   (1 << 1)
#define X86_CR0_EM   (1 << 2)
#define X86_CR0_TS   (1 << 3)
#define X86_CR0_ET   (1 << 4)
#define X86_CR0_NE   (1 << 5)
#define X86_CR0_WP   (1 << 16)
#define X86_CR0_AM   (1 << 18)
#define X86_CR0_PG   (1 << 31)

/* CR4 (SDM 3A 2.5) */
#define X86_CR4_PAE        (1 << 5)
#define X86_CR4_MCE        (1 << 6)
#define X86_CR4_PGE        (1 << 7)
#define X86_CR4_PCIDE      (1 << 17)
#define X86_CR4_OSFXSR     (1 << 9)
#define X86_CR4_OSXMMEXCPT (1 << 10)
#define X86_CR4_SMEP       (1 << 20)
#define CPUID7_EBX_SMEP    (1u << 7)   /* CPUID.(7,0):EBX */
#define CPUID1_EDX_MCE     (1u << 7)   /* CPUID.1:EDX */

/* EFLAGS (SDM 1 3.4.3) */
#define X86_EFLAGS_CF   0x00000001
#define X86_EFLAGS_MBS  0x00000002   /* reserved, must be set */
#define X86_EFLAGS_PF   0x00000004
#define X86_EFLAGS_AF   0x00000010
#define X86_EFLAGS_ZF   0x00000040
#define X86_EFLAGS_SF   0x00000080
#define X86_EFLAGS_OF   0x00000800
#define X86_EFLAGS_TF   0x00000100
#define X86_EFLAGS_IF   0x00000200
#define X86_EFLAGS_DF   0x00000400
#define X86_EFLAGS_IOPL 0x00003000   /* bits 13:12 */
#define X86_EFLAGS_IOPL_SHIFT 12
#define X86_EFLAGS_NT   0x00004000
#define X86_EFLAGS_RF   0x00010000
#define X86_EFLAGS_VM   0x00020000
#define X86_EFLAGS_AC   0x00040000

/* MSRs (SDM 4) */
#define MSR_EFER           0xc0000080
#define MSR_STAR           0xc0000081
#define MSR_LSTAR          0xc0000082
#define MSR_CSTAR          0xc0000083
#define MSR_SYSCALL_MASK   0xc0000084
#define MSR_FS_BASE        0xc0000100
#define MSR_GS_BASE        0xc0000101
#define MSR_SHADOW_GS_BASE 0xc0000102
#define MSR_TSC_AUX        0xc0000103
#define MSR_IA32_TSC       0x00000010
#define MSR_IA32_APIC_BASE 0x0000001b
#define MSR_IA32_MISC_ENABLE 0x000001a0
#define MSR_IA32_PLATFORM_ID 0x00000017
#define MSR_IA32_UCODE_REV 0x0000008b
#define MSR_IA32_PAT       0x00000277
#define MSR_IA32_SYSENTER_CS 0x00000174
#define EFER_SCE  (1 << 0)
#define EFER_LME  (1 << 8)
#define EFER_LMA  (1 << 10)
#define EFER_NXE  (1 << 11)

/* Page-table entry bits (SDM 3A 4.5) */
#define _PAGE_PRESENT  0x001
#define _PAGE_RW       0x002
#define _PAGE_USER     0x004
#define _PAGE_PWT      0x008
#define _PAGE_PCD      0x010
#define _PAGE_ACCESSED 0x020
#define _PAGE_DIRTY    0x040
#define _PAGE_PSE      0x080   /* L2/L3: large page; L1: PAT */
#define _PAGE_PAT      0x080
#define _PAGE_GLOBAL   0x100
#define _PAGE_AVAIL    0xe00   /* bits 9-11, free for software */
#define _PAGE_NX_BIT   63
#define PTE_ADDR_MASK  0x000ffffffffff000
#define PAGETABLE_ORDER 9
#define L1_PAGETABLE_ENTRIES 512
#define L1_PAGETABLE_SHIFT 12
#define L2_PAGETABLE_SHIFT 21
#define L3_PAGETABLE_SHIFT 30
#define L4_PAGETABLE_SHIFT 39

/* Exception vectors (SDM 3A 6.3.1) */
#define TRAP_divide_error      0
#define TRAP_debug             1
#define TRAP_nmi               2
#define TRAP_int3              3
#define TRAP_overflow          4
#define TRAP_bounds            5
#define TRAP_invalid_op        6
#define TRAP_no_device         7
#define TRAP_double_fault      8
#define TRAP_copro_seg         9
#define TRAP_invalid_tss      10
#define TRAP_no_segment       11
#define TRAP_stack_error      12
#define TRAP_gp_fault         13
#define TRAP_page_fault       14
#define TRAP_spurious_int     15
#define TRAP_copro_error      16
#define TRAP_alignment_check  17
#define TRAP_machine_check    18
#define TRAP_simd_error       19
#define TRAP_virtualisation   20
#define TRAP_nr               32
/* entry_vector of a frame built by the syscall entry path */
#define TRAP_syscall         256
#define X86_XEC_EXT  (1 << 0)    /* #GP error code: external event */
#define X86_XEC_IDT  (1 << 1)    /* #GP error code: IDT entry      */
#define X86_XEC_INDEX_SHIFT 3    /* ... and its index (SDM 3A 6.13) */
/* "int $0x80": Xen's legacy system-call gate, DPL 3 whatever the guest set */
#define LEGACY_SYSCALL_VECTOR 0x80
#define PFEC_write   (1 << 1)
#define PFEC_user    (1 << 2)
#define PFEC_reserved (1 << 3)

/*
 * GDT: the guest owns entries 0..FIRST_RESERVED_GDT_ENTRY-1 (set_gdt);
 * the last two pages of the 64 KiB GDT are the hypervisor's, and hold the
 * selectors of the Xen x86_64 ABI (abi/xen/arch-x86/xen-x86_64.h) at the
 * indices Xen uses, so FLAT_RING3_CS64 = 0xe033 etc. mean the same here.
 */
/* FIRST_RESERVED_GDT_PAGE/_ENTRY (14, 7168) are ABI: abi/xen/arch-x86/xen.h */
#define GDT_ENTRIES              8192
#define __HYPERVISOR_CS   0xe008   /* 64-bit ring-0 code                  */
#define __HYPERVISOR_DS   0xe010   /* ring-0 data, SS after syscall       */
#define GUEST_CS32        0xe023   /* FLAT_RING3_CS32                     */
#define GUEST_DS          0xe02b   /* FLAT_RING3_DS32 / SS64              */
#define GUEST_CS64        0xe033   /* FLAT_RING3_CS64                     */
#define TSS_SELECTOR      0xe040   /* 16-byte system descriptor           */
#define LDT_SELECTOR      0xe050   /* 16-byte: the running vCPU's LDT     */
/* syscall loads CS = STAR[47:32], SS = +8; sysret CS = STAR[63:48]+16 */
#define STAR_VALUE ((0xe023ULL << 48) | ((uint64_t)__HYPERVISOR_CS << 32))

#endif
