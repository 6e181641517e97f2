/* SPDX-License-Identifier: MIT */
/*
 * mce_msrs - the machine-check MSRs a PV kernel reads when CPUID shows
 * MCE and MCA, as Xen 4.17's virtual MCE answers them.
 *
 * CPUID leaf 1 shows MCE and MCA to a PV guest (Xen's featureset marks
 * them 'A'), so a kernel that believes it (Linux's mcheck_cpu_init())
 * reads MCG_CAP and then every bank: a #GP there is "MCA architectural
 * violation!" and a panic. Xen answers from its vMCE (xen/arch/x86/
 * cpu/mcheck/vmce.c): a small MCG_CAP, no error logged anywhere, and the
 * writes a kernel makes at start of day accepted.
 *
 * Cases, Xen 4.17.7's answers (as dom0 in QEMU TCG, whose CPU is
 * AMD-vendor; pvisor gives the same):
 *   MCG_CAP (0x179)        0x2: two banks, no MCG_CTL_P (on Intel Xen adds
 *                          MCG_TES_P, MCG_CMCI_P, MCG_SER_P: from its
 *                          source, not observed here); a write is taken
 *                          and changes nothing
 *   MCG_STATUS (0x17a)     0, then what the guest last wrote
 *   MCG_CTL (0x17b)        reads 0, takes any write
 *   banks 0 and 1 (0x400-0x407)
 *                          MCi_CTL reads ~0 and takes any write without
 *                          changing; STATUS, ADDR, MISC read 0 and take 0
 *                          only (1 is #GP(0))
 *   0x408-0x47f (banks 2-31), 0x280-0x29f (MCi_CTL2)
 *                          read 0, take any write
 *   0x480, 0x2a0           #GP(0)
 *   mov %cr4               shows MCE (Xen's own CR4 has it, and pvisor's
 *                          where the CPU has machine checks, as here); a
 *                          write never faults (Linux sets MCE at boot) and
 *                          changes nothing a guest does not control: with
 *                          MCE cleared or PGE set, CR4 reads as before
 */
#include "hostile.h"
#include <asm/fixup.h>
#include <asm/traps.h>

#define MSR_MCG_CAP     0x179
#define MSR_MCG_STATUS  0x17a
#define MSR_MCG_CTL     0x17b
#define MSR_MC0_CTL     0x400
#define MSR_MC0_CTL2    0x280
#define MSR_MC_BANKS_END 0x480      /* 32 banks of 4 */
#define MSR_MC_CTL2_END 0x2a0
#define MCG_BANK_COUNT  0xff        /* MCG_CAP bits 7:0 */

/* Read as 0 without a fault: the banks past the two, and CTL2. */
static const uint32_t zero_msrs[] = { 0x408, 0x40b, 0x47f, 0x280, 0x281, 0x29f };
#define TRAPPED         (-1L)       /* the instruction raised #GP */
#define CR4_MCE         0x40
#define CR4_PGE         0x80

static long rd(uint32_t msr, uint64_t *val)
{
    unsigned long before = trap_last.count;
    uint32_t lo = 0, hi = 0;

    asm volatile("1: rdmsr\n2:\n" FIXUP_ENTRY(1b, 2b)
                 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
    *val = ((uint64_t)hi << 32) | lo;
    if (trap_last.count == before)
        return 0;
    return trap_last.vector == X86_EXC_GP && trap_last.error_code == 0 ? TRAPPED : -2;
}

static long wr(uint32_t msr, uint64_t val)
{
    unsigned long before = trap_last.count;

    asm volatile("1: wrmsr\n2:\n" FIXUP_ENTRY(1b, 2b)
                 :: "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(msr) : "memory");
    if (trap_last.count == before)
        return 0;
    return trap_last.vector == X86_EXC_GP && trap_last.error_code == 0 ? TRAPPED : -2;
}

/* rdmsr that must run: the value, or the case fails. */
static uint64_t rd_ok(struct hg_cases *c, const char *label, uint32_t msr)
{
    uint64_t v = ~0ULL;

    hg_case(c, label, rd(msr, &v), 0);
    return v;
}

/* mov to/from CR4 (emulated for the guest kernel): 0 or TRAPPED. */
static long cr4_read(uint64_t *val)
{
    unsigned long before = trap_last.count;

    asm volatile("1: mov %%cr4, %0\n2:\n" FIXUP_ENTRY(1b, 2b) : "=r"(*val) :: "memory");
    return trap_last.count == before ? 0 : TRAPPED;
}

static long cr4_write(uint64_t val)
{
    unsigned long before = trap_last.count;

    asm volatile("1: mov %0, %%cr4\n2:\n" FIXUP_ENTRY(1b, 2b) :: "r"(val) : "memory");
    return trap_last.count == before ? 0 : TRAPPED;
}

static void cr4_cases(struct hg_cases *c)
{
    uint64_t cr4 = 0, again = 0;

    hg_case(c, "mov %cr4, reg", cr4_read(&cr4), 0);
    printk("hostile: cr4 %#lx\n", (unsigned long)cr4);
    hg_case(c, "  CR4.MCE shown", (long)(cr4 & CR4_MCE), CR4_MCE);
    hg_case(c, "mov reg, %cr4 without MCE", cr4_write(cr4 & ~CR4_MCE), 0);
    hg_case(c, "  read back", cr4_read(&again), 0);
    hg_case(c, "  unchanged", again == cr4, 1);
    hg_case(c, "mov reg, %cr4 with PGE (not the guest's)", cr4_write(cr4 | CR4_PGE), 0);
    hg_case(c, "  read back", cr4_read(&again), 0);
    hg_case(c, "  unchanged", again == cr4, 1);
}

const char *hostile_mce_msrs(void)
{
    struct hg_cases c = { 0 };
    uint64_t cap, v = 0;
    unsigned int banks;
    char l[48];

    cap = rd_ok(&c, "rdmsr MCG_CAP", MSR_MCG_CAP);
    banks = (unsigned int)(cap & MCG_BANK_COUNT);
    printk("hostile: MCG_CAP %#lx (%u banks)\n", (unsigned long)cap, banks);
    hg_case(&c, "MCG_CAP: 2 banks", banks, 2);
    hg_case(&c, "MCG_CAP: no MCG_CTL_P", (long)(cap & (1UL << 8)), 0);
    hg_case(&c, "MCG_STATUS", (long)rd_ok(&c, "rdmsr MCG_STATUS", MSR_MCG_STATUS), 0);
    hg_case(&c, "MCG_CTL", (long)rd_ok(&c, "rdmsr MCG_CTL", MSR_MCG_CTL), 0);
    for (unsigned int i = 0; i < 4 * banks; i++) {
        snprintf(l, sizeof(l), "rdmsr %#x (%s)", MSR_MC0_CTL + i, i % 4 ? "0" : "~0");
        v = rd_ok(&c, l, MSR_MC0_CTL + i);
        hg_case(&c, l, (long)v, i % 4 ? 0 : -1L);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(zero_msrs); i++) {
        snprintf(l, sizeof(l), "rdmsr %#x (0)", zero_msrs[i]);
        hg_case(&c, l, (long)rd_ok(&c, l, zero_msrs[i]), 0);
    }
    hg_case(&c, "rdmsr 0x480 (past bank 31)", rd(MSR_MC_BANKS_END, &v), TRAPPED);
    hg_case(&c, "rdmsr 0x2a0 (past CTL2 31)", rd(MSR_MC_CTL2_END, &v), TRAPPED);
    hg_case(&c, "wrmsr MCG_CTL ~0", wr(MSR_MCG_CTL, ~0ULL), 0);
    hg_case(&c, "wrmsr MCG_CAP 3", wr(MSR_MCG_CAP, 3), 0);
    hg_case(&c, "  MCG_CAP unchanged", (long)rd_ok(&c, "rdmsr MCG_CAP", MSR_MCG_CAP), (long)cap);
    hg_case(&c, "wrmsr MCG_STATUS 1 << 63", wr(MSR_MCG_STATUS, 1ULL << 63), 0);
    hg_case(&c, "  MCG_STATUS reads it back",
            rd_ok(&c, "rdmsr MCG_STATUS", MSR_MCG_STATUS) == 1ULL << 63, 1);
    hg_case(&c, "wrmsr MC0_CTL 0", wr(MSR_MC0_CTL, 0), 0);
    hg_case(&c, "  MC0_CTL still ~0", (long)rd_ok(&c, "rdmsr MC0_CTL", MSR_MC0_CTL), -1L);
    hg_case(&c, "wrmsr MC0_ADDR 1", wr(MSR_MC0_CTL + 2, 1), TRAPPED);
    hg_case(&c, "wrmsr MC0_MISC 1", wr(MSR_MC0_CTL + 3, 1), TRAPPED);
    hg_case(&c, "wrmsr MC0_ADDR 0", wr(MSR_MC0_CTL + 2, 0), 0);
    hg_case(&c, "wrmsr MC2_STATUS 1 (no bank 2)", wr(MSR_MC0_CTL + 9, 1), 0);
    hg_case(&c, "wrmsr 0x47f 1", wr(MSR_MC_BANKS_END - 1, 1), 0);
    hg_case(&c, "wrmsr MC0_CTL2 1", wr(MSR_MC0_CTL2, 1), 0);
    hg_case(&c, "wrmsr 0x480", wr(MSR_MC_BANKS_END, 0), TRAPPED);
    hg_case(&c, "wrmsr MCG_STATUS 0", wr(MSR_MCG_STATUS, 0), 0);
    hg_case(&c, "wrmsr MC0_CTL ~0", wr(MSR_MC0_CTL, ~0ULL), 0);
    hg_case(&c, "wrmsr MC0_STATUS 0", wr(MSR_MC0_CTL + 1, 0), 0);
    hg_case(&c, "wrmsr MC0_STATUS 1", wr(MSR_MC0_CTL + 1, 1), TRAPPED);
    hg_case(&c, "MC0_CTL reads back ~0", (long)rd_ok(&c, "rdmsr MC0_CTL", MSR_MC0_CTL), -1L);
    hg_case(&c, "wrmsr MCG_STATUS 0 (as found)", wr(MSR_MCG_STATUS, 0), 0);
    cr4_cases(&c);
    return hg_cases_verdict(&c);
}
