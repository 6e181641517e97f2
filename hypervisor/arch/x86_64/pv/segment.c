/* SPDX-License-Identifier: MIT */
/*
 * pv/segment.c - the set_segment_base hypercall (25) and the guest's GS
 * bases.
 * Owns:    the convention for a guest's two GS bases: while the hypervisor
 *          runs, MSR_GS_BASE holds the base of the guest's *current* mode
 *          (the hypervisor never uses GS); the other mode's base is kept
 *          in struct pv_vcpu and swapped in by pv_toggle_guest_mode().
 * Touches: MSR_FS_BASE, MSR_GS_BASE, the %gs selector.
 * ABI:     SEGBASE_FS, SEGBASE_GS_USER, SEGBASE_GS_KERNEL,
 *          SEGBASE_GS_USER_SEL; a non-canonical base is -XEN_EINVAL.
 *          docs/abi/hypercalls.md row 25.
 */
#define LOG_PREFIX "segment"
#include "entry.h"
#include "hypercall.h"
#include "processor.h"
#include "pv.h"


/* The inactive GS base as the guest kernel sees it (MSR_SHADOW_GS_BASE). */
uint64_t pv_read_gs_shadow(const struct vcpu *v)
{
    return v->pv.gs_base_user;
}

void pv_write_gs_shadow(struct vcpu *v, uint64_t base)
{
    v->pv.gs_base_user = base;
}

static void load_user_gs_selector(struct vcpu *v, uint16_t sel)
{
    uint64_t kernel_base = rdmsr(MSR_GS_BASE);

    if (sel > 3)
        sel |= 3;                 /* RPL 3 for a real selector */
    if (load_gs_selector(sel))
        load_gs_selector(0);      /* a bad selector becomes NUL, as in Xen */
    v->pv.gs_base_user = rdmsr(MSR_GS_BASE);
    wrmsr(MSR_GS_BASE, kernel_base);
}

long do_set_segment_base(unsigned int which, unsigned long base)
{
    struct vcpu *v = current;

    if (which != SEGBASE_GS_USER_SEL && !is_canonical_address(base))
        return hc_fail(-XEN_EINVAL, "segment base %#lx not canonical", base);
    switch (which) {
    case SEGBASE_FS:
        wrmsr(MSR_FS_BASE, base);
        v->pv.fs_base = base;
        return 0;
    case SEGBASE_GS_USER:
        pv_write_gs_shadow(v, base);
        return 0;
    case SEGBASE_GS_KERNEL:
        wrmsr(MSR_GS_BASE, base);
        v->pv.gs_base_kernel = base;
        return 0;
    case SEGBASE_GS_USER_SEL:
        load_user_gs_selector(v, (uint16_t)base);
        return 0;
    default:
        return hc_fail(-XEN_EINVAL, "set_segment_base: which = %u", which);
    }
}
