/* SPDX-License-Identifier: MIT */
/*
 * xen/arch-x86/xen-x86_64.h - the x86_64 PV specifics: flat selectors, the
 *             hypervisor's virtual range and the read-only M2P, the iret
 *             frame, cpu_user_regs, arch_vcpu_info.
 * Mirrors: Xen 4.17 public/arch-x86/xen-x86_64.h.
 * Owns:    the names below; included by xen/arch-x86/xen.h.
 * Touches: nothing; declarations only.
 *
 * Hypercall convention (64-bit PV): number in %rax, arguments in %rdi,
 * %rsi, %rdx, %r10, %r8; result in %rax; %rcx and %r11 are clobbered (by
 * `syscall`) and so are the argument registers used. A guest calls
 * hypercall_page + number * 32, or issues `syscall` from kernel mode.
 */
#include "xen.h"  /* the whole core ABI, when this header comes first */

#ifndef __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__

/*
 * Flat segments in the hypervisor's part of every GDT, RPL 3: guest kernel
 * and guest user both run in ring 3 on x86_64. Entry numbers count from
 * FIRST_RESERVED_GDT_ENTRY (7168): 0xe023 is entry 7172. (Xen's comments
 * still say 260-262, from an older layout.)
 */
#define FLAT_RING3_CS32 0xe023  /* reserved entry 4: 32-bit code */
#define FLAT_RING3_CS64 0xe033  /* reserved entry 6: 64-bit code */
#define FLAT_RING3_DS32 0xe02b  /* reserved entry 5: data */
#define FLAT_RING3_DS64 0x0000  /* null: data segments are unused in 64-bit */
#define FLAT_RING3_SS32 0xe02b  /* reserved entry 5 */
#define FLAT_RING3_SS64 0xe02b  /* reserved entry 5 */

#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS   FLAT_KERNEL_DS64
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS   FLAT_KERNEL_CS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS   FLAT_KERNEL_SS64

#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS   FLAT_USER_DS64
#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS   FLAT_USER_CS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS   FLAT_USER_SS64

/*
 * The hypervisor owns L4 slots 256-271 of every guest address space; the
 * first 256 GiB of it is the read-only machine-to-phys table (M2P), one
 * 8-byte PFN per machine frame.
 */
#define __HYPERVISOR_VIRT_START 0xFFFF800000000000
#define __HYPERVISOR_VIRT_END   0xFFFF880000000000
#define __MACH2PHYS_VIRT_START  0xFFFF800000000000
#define __MACH2PHYS_VIRT_END    0xFFFF804000000000

#ifndef HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_START xen_mk_ulong(__HYPERVISOR_VIRT_START)
#define HYPERVISOR_VIRT_END   xen_mk_ulong(__HYPERVISOR_VIRT_END)
#endif

#define MACH2PHYS_VIRT_START  xen_mk_ulong(__MACH2PHYS_VIRT_START)
#define MACH2PHYS_VIRT_END    xen_mk_ulong(__MACH2PHYS_VIRT_END)
#define MACH2PHYS_NR_ENTRIES  ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)
#ifndef machine_to_phys_mapping
#define machine_to_phys_mapping ((unsigned long *)HYPERVISOR_VIRT_START)
#endif

/* set_segment_base(which, base) */
#define SEGBASE_FS          0   /* fs base */
#define SEGBASE_GS_USER     1   /* user gs base (swapgs'd away in kernel) */
#define SEGBASE_GS_KERNEL   2   /* kernel gs base */
#define SEGBASE_GS_USER_SEL 3   /* load user %gs selector from base[15:0] */

/*
 * iret(): the guest kernel leaves an iret_context on its stack and makes
 * the hypercall, which never returns: the vCPU resumes at cs:rip with rax,
 * r11, rcx, rflags and ss:rsp restored. The RPL of cs picks the mode: 3 is
 * guest user mode, 0-2 guest kernel mode. With VGCF_in_syscall in flags,
 * only rax, rip, rflags and rsp are restored (a sysret-style return).
 */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall  (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL  VGCF_in_syscall

#ifndef __ASSEMBLY__

/* The iret hypercall's stack frame, lowest address (top of stack) first. */
struct iret_context {
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/*
 * Saved guest registers, in the hypervisor's entry-frame order. error_code
 * and entry_vector are hypervisor-private. saved_upcall_mask holds the
 * vCPU's evtchn_upcall_mask at entry; the guest-visible rflags.IF is its
 * inverse.
 */
struct cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;
    uint32_t entry_vector;
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t  saved_upcall_mask;
    uint8_t  _pad1[3];
    uint64_t rflags;
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);

/* A frame number <-> a cr3 value (ctrlreg[3], p2m_cr3, ...). */
#define xen_pfn_to_cr3(pfn) ((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((unsigned long)(cr3) >> 12)

/* Arch part of vcpu_info: cr2 of the last page fault bounced to the guest. */
struct arch_vcpu_info {
    uint64_t cr2;
    uint64_t pad;       /* keeps vcpu_info at 64 bytes */
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* A callback address (set_callbacks, callback_op): a plain VA on x86_64. */
typedef unsigned long xen_callback_t;

_Static_assert(sizeof(struct iret_context) == 72, "iret_context");
_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs");
_Static_assert(offsetof(struct cpu_user_regs, error_code) == 120, "error_code");
_Static_assert(offsetof(struct cpu_user_regs, rip) == 128, "rip");
_Static_assert(offsetof(struct cpu_user_regs, saved_upcall_mask) == 140,
               "saved_upcall_mask");
_Static_assert(offsetof(struct cpu_user_regs, rflags) == 144, "rflags");
_Static_assert(offsetof(struct cpu_user_regs, ss) == 160, "ss");
_Static_assert(offsetof(struct cpu_user_regs, gs) == 192, "gs");
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_X86_64_H__ */
