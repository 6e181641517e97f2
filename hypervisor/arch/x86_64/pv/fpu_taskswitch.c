/* SPDX-License-Identifier: MIT */
/*
 * pv/fpu_taskswitch.c - the fpu_taskswitch hypercall (5).
 * Owns:    the guest's virtual CR0.TS (struct pv_vcpu.ctrlreg0).
 * Touches: the real CR0.TS: set, the guest's next FPU/SSE instruction
 *          raises #NM, which pv/traps.c bounces after clearing TS, as Xen.
 * ABI:     fpu_taskswitch(set); returns 0. docs/abi/hypercalls.md row 5.
 */
#include "hypercall.h"
#include "processor.h"

long do_fpu_taskswitch(unsigned int set)
{
    struct vcpu *v = current;

    if (set) {
        v->pv.ctrlreg0 |= X86_CR0_TS;
        stts();
    } else {
        v->pv.ctrlreg0 &= ~(uint64_t)X86_CR0_TS;
        clts();
    }
    return 0;
}
