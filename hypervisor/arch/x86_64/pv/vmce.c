/* SPDX-License-Identifier: MIT */
/*
 * pv/vmce.c - the machine-check MSRs of a PV vCPU, as Xen 4.17's virtual
 * MCE (vmce) answers them.
 * Owns:    v->pv.mcg_status; what rdmsr/wrmsr of MCG_* and the bank MSRs
 *          give a guest kernel.
 * Touches: nothing else: no real machine-check MSR is read or written.
 * ABI:     docs/abi/hypercalls.md, "Emulated instructions".
 *
 * Why at all: CPUID shows MCE and MCA to a PV guest, as Xen's does (it
 * marks them 'A', for all guests), and a kernel that believes it reads
 * MCG_CAP and every bank at start of day; Linux panics ("MCA
 * architectural violation!") when those reads fault. Xen answers from a
 * virtual MCE with two empty banks, and so does pvisor, value for value
 * (tests/guests/mce_msrs.c records Xen 4.17.7's answers):
 *   MCG_CAP     2 banks; on Intel also MCG_TES_P, MCG_CMCI_P, MCG_SER_P
 *               (Xen's INTEL_GUEST_MCG_CAP); never MCG_CTL_P. Writes are
 *               accepted and change nothing.
 *   MCG_STATUS  what the guest last wrote (0 at first).
 *   MCG_CTL     reads 0 (no MCG_CTL_P), writes ignored.
 *   MCi_CTL     (0x400 + 4i) reads all ones, writes ignored;
 *   MCi_STATUS, MCi_ADDR, MCi_MISC read 0 and take only 0 (#GP for
 *               anything else: no error is ever logged, so a kernel that
 *               writes one back has a bug);
 *   banks 2-31 (to 0x47f) and MCi_CTL2 (0x280-0x29f) read 0 and take any
 *               write. Past those, the MSR is unknown: #GP.
 * No machine check is ever delivered to a guest: the hypervisor does not
 * handle real ones yet (a real #MC stops the machine, traps.c).
 */
#include "domain.h"
#include "processor.h"
#include "pv.h"

#define MSR_MCG_CAP      0x179
#define MSR_MCG_STATUS   0x17a
#define MSR_MCG_CTL      0x17b
#define MSR_MC0_CTL2     0x280
#define MSR_MC_CTL2_END  0x2a0      /* 32 banks' CTL2 */
#define MSR_MC0_CTL      0x400
#define MSR_MC_BANKS_END 0x480      /* 32 banks, 4 MSRs each */
#define GUEST_BANKS      2
#define MCG_CMCI_P       (1UL << 10)
#define MCG_TES_P        (1UL << 11)
#define MCG_SER_P        (1UL << 24)
#define BANK_CTL         0          /* MSR index within a bank */

static bool intel_cpu(void)
{
    struct cpuid_regs r = cpuid_count(0, 0);

    return r.ebx == 0x756e6547 && r.edx == 0x49656e69 && r.ecx == 0x6c65746e;
}

static uint64_t guest_mcg_cap(void)
{
    return GUEST_BANKS | (intel_cpu() ? MCG_TES_P | MCG_CMCI_P | MCG_SER_P : 0);
}

/* One of the MSRs above? Then *val is what the guest reads. */
bool pv_vmce_rdmsr(const struct vcpu *v, uint32_t msr, uint64_t *val)
{
    if (msr == MSR_MCG_CAP)
        *val = guest_mcg_cap();
    else if (msr == MSR_MCG_STATUS)
        *val = v->pv.mcg_status;
    else if (msr == MSR_MCG_CTL ||
             (msr >= MSR_MC0_CTL2 && msr < MSR_MC_CTL2_END))
        *val = 0;
    else if (msr >= MSR_MC0_CTL && msr < MSR_MC_BANKS_END)
        *val = ((msr - MSR_MC0_CTL) / 4 < GUEST_BANKS &&
                (msr - MSR_MC0_CTL) % 4 == BANK_CTL) ? ~0ULL : 0;
    else
        return false;
    return true;
}

/* One of the MSRs above, and a value it takes? (false: #GP) */
bool pv_vmce_wrmsr(struct vcpu *v, uint32_t msr, uint64_t val)
{
    if (msr == MSR_MCG_STATUS) {
        v->pv.mcg_status = val;
        return true;
    }
    if (msr == MSR_MCG_CAP || msr == MSR_MCG_CTL ||
        (msr >= MSR_MC0_CTL2 && msr < MSR_MC_CTL2_END))
        return true;
    if (msr < MSR_MC0_CTL || msr >= MSR_MC_BANKS_END)
        return false;
    if ((msr - MSR_MC0_CTL) / 4 >= GUEST_BANKS || (msr - MSR_MC0_CTL) % 4 == BANK_CTL)
        return true;
    return val == 0;
}
