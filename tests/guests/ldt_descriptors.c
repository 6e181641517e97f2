/* SPDX-License-Identifier: MIT */
/*
 * ldt_descriptors - invariant 1 (DESIGN.md 3) for LDT frames: a frame in
 * use as an LDT is a descriptor frame, validated like a GDT frame, never
 * writable by the guest while the CPU may read it; and the LDT's
 * descriptors behave as the hardware makes them.
 *
 * Setup: scratch page P holds an LDT of 8 entries: 0 null, 1 flat data
 * DPL 3, 2 data DPL 0, 3 data not present, 4 64-bit code DPL 3, 5-6 a
 * 64-bit call gate (DPL 3) to FLAT_KERNEL_CS, 7 null.
 *
 * Cases (label: what, Xen 4.17's answer):
 *   set while writable     SET_LDT(P, 8) with P mapped writable: 0 (the
 *                          frames are not looked at yet)
 *   load while writable    es = entry 1: #PF, error code 0, cr2 P + 8
 *                          (the LDT page cannot be typed: left unmapped)
 *   P read-only            0; now es = entry 1 loads (0) and reads back
 *   validated in place     P[2] reads back with DPL 3 (0x00cff3000000ffff);
 *                          the gate P[5] with DPL 0, its selector's RPL 3
 *   lar                    entry 2: access rights 0x00c0f300; the gate: lar
 *                          refuses it (DPL 0 < CPL 3)
 *   not present            es: #NP 0x1c; ss: #SS 0x1c
 *   past the limit         entry 8: #GP 0x44
 *   readable code in es    entry 4: 0; ss = entry 4: #GP 0x24
 *   far call/jmp via gate  entry 5: #GP 0x2c (Xen emulates gates for 32-bit
 *                          guests only: a 64-bit guest gets the #GP)
 *   far call via data      entry 1: #GP 0x0c
 *   writable while in use  update_va_mapping(P, RW): -EBUSY, PTE unchanged
 *   mmu_update into P      a descriptor written through mmu_update: -EINVAL
 *   update_descriptor      entry 7 = data DPL 0: 0, reads back DPL 3 and
 *                          loads; = a TSS descriptor: -EINVAL, unchanged;
 *                          misaligned: -EINVAL
 *   same LDT again         SET_LDT(P, 8): 0, entry 1 still loads
 *   no LDT                 SET_LDT(0, 0): 0; entry 1: #GP 0x0c
 *   writable again         update_va_mapping(P, RW): 0
 *   a TSS in the page      P[3] = TSS, P read-only, SET_LDT(P, 8): 0;
 *                          es = entry 1: #PF 0 at P + 8 (the page does not
 *                          validate); undone
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU): as listed. Source:
 * arch/x86/pv/descriptor-tables.c check_descriptor(), arch/x86/pv/mm.c
 * pv_map_ldt_shadow_page(), arch/x86/traps.c handle_ldt_mapping_fault()
 * and do_general_protection().
 */
#include "hostile_ldt.h"

#define LDT_ENTS 8
#define GATE_DPL0_LO(off) DESC_GATE_LO(FLAT_KERNEL_CS, off, 0)

static uint64_t read_es(void)
{
    uint16_t es;

    asm volatile("mov %%es, %0" : "=r"(es));
    return es;
}

static long es_loads_and_reads_back(uint16_t sel)
{
    unsigned long before = trap_last.count;
    uint64_t got;

    asm volatile("1: mov %w0, %%es\n2:\n" FIXUP_ENTRY(1b, 2b)
                 :: "r"((unsigned int)sel) : "memory");
    got = read_es();
    asm volatile("mov %w0, %%es" :: "r"(0));
    return trap_last.count != before ? vio_outcome(before) : (long)got;
}

static long mmu_write(uint64_t maddr, uint64_t val)
{
    struct mmu_update req = { .ptr = maddr | MMU_NORMAL_PT_UPDATE, .val = val };

    return hg_mmu_update(&req, 1, NULL, DOMID_SELF);
}

static void fill(volatile uint64_t *p, uint64_t gate_off)
{
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = 0;
    p[1] = DESC_DATA_DPL3;
    p[2] = DESC_DATA_DPL0;
    p[3] = DESC_DATA_NP;
    p[4] = DESC_CODE64_DPL3;
    p[5] = DESC_GATE_LO(FLAT_KERNEL_CS, gate_off, 3);
    p[6] = DESC_GATE_HI(gate_off);
}

static void in_use_cases(struct hg_cases *c, volatile uint64_t *p, uint64_t maddr,
                         uint64_t gate_off)
{
    uint64_t pte = hg_read_pte((unsigned long)p);

    hg_case(c, "validated in place: P[2]", (long)p[2],
            (long)(DESC_DATA_DPL0 | DESC_DPL_MASK));
    hg_case(c, "validated in place: gate P[5]", (long)p[5],
            (long)GATE_DPL0_LO(gate_off));
    hg_case(c, "lar entry 2", ldt_lar(LDT_SEL(2)), 0x00c0f300);
    hg_case(c, "lar gate", ldt_lar(LDT_SEL(5)), -1);
    hg_case(c, "es = not present", ldt_load_es(LDT_SEL(3)), LDT_NP(LDT_EC(3)));
    hg_case(c, "ss = not present", ldt_load_ss(LDT_SEL(3)), LDT_SS(LDT_EC(3)));
    hg_case(c, "es = past the limit", ldt_load_es(LDT_SEL(8)), LDT_GP(LDT_EC(8)));
    hg_case(c, "es = readable code", ldt_load_es(LDT_SEL(4)), VIO_RAN);
    hg_case(c, "ss = code", ldt_load_ss(LDT_SEL(4)), LDT_GP(LDT_EC(4)));
    hg_case(c, "lcall via gate", ldt_lcall(LDT_SEL(5)), LDT_GP(LDT_EC(5)));
    hg_case(c, "ljmp via gate", ldt_ljmp(LDT_SEL(5)), LDT_GP(LDT_EC(5)));
    hg_case(c, "lcall via data", ldt_lcall(LDT_SEL(1)), LDT_GP(LDT_EC(1)));

    hg_case(c, "writable while in use", hg_set_writable((void *)p), -XEN_EBUSY);
    hg_case(c, "  pte unchanged", hg_read_pte((unsigned long)p) == pte, 1);
    hg_case(c, "mmu_update into P", mmu_write(maddr + 7 * 8, DESC_DATA_DPL3),
            -XEN_EINVAL);
    hg_case(c, "  P[7] unchanged", (long)p[7], 0);
    hg_case(c, "update_descriptor P[7]",
            HYPERVISOR_update_descriptor(maddr + 7 * 8, DESC_DATA_DPL0), 0);
    hg_case(c, "  reads back DPL 3", (long)p[7], (long)(DESC_DATA_DPL0 | DESC_DPL_MASK));
    hg_case(c, "  loads", es_loads_and_reads_back(LDT_SEL(7)), LDT_SEL(7));
    hg_case(c, "update_descriptor TSS",
            HYPERVISOR_update_descriptor(maddr + 7 * 8, DESC_TSS64), -XEN_EINVAL);
    hg_case(c, "  unchanged", (long)p[7], (long)(DESC_DATA_DPL0 | DESC_DPL_MASK));
    hg_case(c, "update_descriptor misaligned",
            HYPERVISOR_update_descriptor(maddr + 7 * 8 + 4, 0), -XEN_EINVAL);
    hg_case(c, "same LDT again", ldt_set((unsigned long)p, LDT_ENTS), 0);
    hg_case(c, "  entry 1 loads", es_loads_and_reads_back(LDT_SEL(1)), LDT_SEL(1));
}

const char *hostile_ldt_descriptors(void)
{
    volatile uint64_t *p = hg_page(0);
    uint64_t maddr = hg_virt_to_mfn((void *)p) << PAGE_SHIFT;
    uint64_t gate_off = (uint64_t)hostile_ldt_descriptors;
    struct hg_cases c = { 0 };

    fill(p, gate_off);
    hg_case(&c, "set while writable", ldt_set((unsigned long)p, LDT_ENTS), 0);
    hg_case(&c, "load while writable", ldt_load_es(LDT_SEL(1)), LDT_PF(0));
    hg_case(&c, "  cr2", (long)trap_last.cr2, (long)p + 8);
    hg_case(&c, "P read-only", hg_set_readonly((void *)p), 0);
    hg_case(&c, "  entry 1 loads", es_loads_and_reads_back(LDT_SEL(1)), LDT_SEL(1));
    in_use_cases(&c, p, maddr, gate_off);
    hg_case(&c, "no LDT", ldt_set(0, 0), 0);
    hg_case(&c, "  entry 1", ldt_load_es(LDT_SEL(1)), LDT_GP(LDT_EC(1)));
    hg_case(&c, "writable again", hg_set_writable((void *)p), 0);

    fill(p, gate_off);
    p[3] = DESC_TSS64;
    hg_case(&c, "a TSS in the page: read-only", hg_set_readonly((void *)p), 0);
    hg_case(&c, "  set", ldt_set((unsigned long)p, LDT_ENTS), 0);
    hg_case(&c, "  load", ldt_load_es(LDT_SEL(1)), LDT_PF(0));
    hg_case(&c, "  cr2", (long)trap_last.cr2, (long)p + 8);
    hg_case(&c, "  no LDT", ldt_set(0, 0), 0);
    hg_case(&c, "  writable again", hg_set_writable((void *)p), 0);
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = 0;

    return hg_cases_verdict(&c);
}
