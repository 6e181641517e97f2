/* SPDX-License-Identifier: MIT */
/*
 * pv/cpuid.c - what CPUID says to a PV guest (through the forced-
 * emulation prefix; a plain cpuid instruction is not intercepted).
 * Owns:    the guest CPUID policy: the hypervisor leaves at 0x40000000
 *          ("XenVMMXenVMM", as Xen) and a filtered view of the host.
 * Touches: nothing.
 *
 * Filtering: features a PV guest cannot use here are hidden: VMX, SVM,
 * SMX, MONITOR, XSAVE/OSXSAVE/AVX (CR4.OSXSAVE is not set for guests),
 * the paging features Xen keeps to HVM guests (VME, PSE, PGE, PSE36),
 * x2APIC, TSC-deadline, PCID, the hypervisor's own APIC/MTRR/ACPI; leaf 7
 * and the XSAVE leaf are empty. The hypervisor bit (leaf 1 ECX bit 31) is
 * set. Leaves naming the physical CPU (the x2APIC and extended APIC IDs
 * of 0xb, 0x1f, 0x8000001e) and SVM's 0x8000000a are empty too, and so is
 * any leaf past the host's maximum of its range: Intel CPUs answer one
 * with the highest basic leaf's data, which would bypass this filter (Xen
 * answers zeros there too).
 */
#include <xen/arch-x86/cpuid.h>
#include "config.h"
#include "processor.h"
#include "pv.h"

#define LEAF1_ECX_HIDE ((1u << 3) | (1u << 5) | (1u << 6) | (1u << 7) | \
                        (1u << 8) | (1u << 17) | (1u << 21) | (1u << 24) | \
                        (1u << 26) | (1u << 27) | (1u << 28) | (1u << 29) | \
                        (1u << 12))
#define LEAF1_ECX_HYPERVISOR (1u << 31)
/*
 * Leaf 1 EDX: APIC, ACPI, TM; and what Xen's featureset marks 'S' (HVM
 * guests only, public/arch-x86/cpufeatureset.h): VME, PSE, MTRR, PGE and
 * PSE36. A PV guest maps no superpages (mm.c refuses PSE in an L2 entry,
 * as Xen), so it must not be told of PSE: Debian's Linux, told, maps its
 * direct map with 2 MiB pages, mmu_update refuses them and it faults.
 */
#define LEAF1_EDX_HIDE ((1u << 1) | (1u << 3) | (1u << 9) | (1u << 12) | \
                        (1u << 13) | (1u << 17) | (1u << 22) | (1u << 29))
#define EXT_LEAF1_ECX_SVM (1u << 2)
#define EXTENDED_LEAVES 0x80000000u   /* bit 31: the extended range */
#define XEN_LEAVES_MAX 5          /* 0x40000000 .. 0x40000005 */
#define HYPERCALL_MSR  0x40000000

static void xen_leaves(uint32_t leaf, uint32_t res[4])
{
    res[0] = res[1] = res[2] = res[3] = 0;
    switch (leaf - XEN_CPUID_FIRST_LEAF) {
    case 0:
        res[0] = XEN_CPUID_FIRST_LEAF + XEN_LEAVES_MAX;
        res[1] = XEN_CPUID_SIGNATURE_EBX;
        res[2] = XEN_CPUID_SIGNATURE_ECX;
        res[3] = XEN_CPUID_SIGNATURE_EDX;
        break;
    case 1:
        res[0] = (XEN_ABI_MAJOR << 16) | XEN_ABI_MINOR;
        break;
    case 2:
        res[0] = 1;                 /* hypercall pages */
        res[1] = HYPERCALL_MSR;
        res[2] = XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD;
        break;
    default:
        break;
    }
}

void pv_cpuid(const struct vcpu *v, uint32_t leaf, uint32_t subleaf,
              uint32_t res[4])
{
    struct cpuid_regs r;

    if (leaf >= XEN_CPUID_FIRST_LEAF &&
        leaf <= XEN_CPUID_FIRST_LEAF + XEN_LEAVES_MAX) {
        xen_leaves(leaf, res);
        return;
    }
    r = cpuid_count(leaf, subleaf);
    switch (leaf) {
    case 1:
        r.ecx = (r.ecx & ~LEAF1_ECX_HIDE) | LEAF1_ECX_HYPERVISOR;
        r.edx &= ~LEAF1_EDX_HIDE;
        r.ebx = (r.ebx & 0x00ffffff) | ((v->vcpu_id * 2) << 24);
        break;
    case 0x80000001:
        r.ecx &= ~EXT_LEAF1_ECX_SVM;
        break;
    case 5: case 6: case 7: case 0xb: case 0xd: case 0x1f:
    case 0x8000000a: case 0x8000001e:
        r.eax = r.ebx = r.ecx = r.edx = 0;
        break;
    default:
        /* 0x40000000.. lies past the basic maximum, as it should. */
        if (leaf > cpuid_count(leaf & EXTENDED_LEAVES, 0).eax)
            r.eax = r.ebx = r.ecx = r.edx = 0;
        break;
    }
    res[0] = r.eax;
    res[1] = r.ebx;
    res[2] = r.ecx;
    res[3] = r.edx;
}
