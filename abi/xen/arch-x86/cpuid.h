/* SPDX-License-Identifier: MIT */
/*
 * xen/arch-x86/cpuid.h - the hypervisor CPUID leaves at 0x40000000, as a PV
 *             guest reads them through XEN_CPUID (forced emulation).
 * Mirrors: Xen 4.17 public/arch-x86/cpuid.h.
 * Owns:    the XEN_CPUID_* leaf constants.
 * Touches: nothing; constants only (usable from assembly).
 *
 * Leaves, relative to the base (0x40000000, or a later 0x100 multiple when
 * another hypervisor interface sits first):
 *   +0  eax = highest leaf; ebx:ecx:edx = "XenVMMXenVMM"
 *   +1  eax = major << 16 | minor version
 *   +2  eax = hypercall pages (1); ebx = MSR that writes the hypercall
 *       page; ecx = XEN_CPUID_FEAT1_* ; edx = 0
 *   +3  TSC mode and frequency (sub-leaves 0-2)
 *   +4  HVM features (XEN_HVM_CPUID_*)
 *   +5  PV parameters: ebx[7:0] = machine address width
 */
#ifndef __XEN_PUBLIC_ARCH_X86_CPUID_H__
#define __XEN_PUBLIC_ARCH_X86_CPUID_H__

#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))

/* Leaf +0 signature, as ebx, ecx, edx. */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558 /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e /* "nVMM" */

/* Leaf +2 ecx: MMU_PT_UPDATE_PRESERVE_AD works for this guest. */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD 0
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  (1u << 0)

/* Leaf +4 eax (HVM guests only). */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1)
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2)
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5)
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6)

/* Leaf +5 ebx. */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK (0xffu << 0)

/* Number of leaves after the first (so the last is base + this). */
#define XEN_CPUID_MAX_NUM_LEAVES 5

#endif /* __XEN_PUBLIC_ARCH_X86_CPUID_H__ */
