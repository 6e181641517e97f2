/* SPDX-License-Identifier: MIT */
/*
 * descriptor_table_reads - what sgdt, sidt, sldt, str and smsw tell a
 * guest kernel about the hypervisor (the UMIP question).
 *
 * A PV guest kernel runs at CPL 3, so these instructions run natively for
 * it, as for its user mode; UMIP would make every one of them #GP. Xen
 * 4.17 does not set CR4.UMIP for PV guests (it emulates UMIP for HVM
 * only), and neither does pvisor (docs/decisions.md, "UMIP"): what they
 * reveal must then be constants of the published layout, nothing that
 * depends on where the hypervisor's memory happened to be allocated.
 *
 * Cases (label: pvisor's answer; Xen 4.17.7's where it differs):
 *   sgdt base     the per-CPU GDT area, 0xffff820000000000 + cpu * 64 KiB
 *                 (Xen: its per-vCPU GDT mapping in the same slot: 1)
 *   sgdt limit    past 0xe000, the reserved GDT entries (Xen: the same, 1)
 *   sidt base     in the image's slot 261 (its place fixed by the link),
 *                 not in the direct map, where an address would be a
 *                 physical one in disguise (Xen: the same, 1: its IDT is
 *                 at 0xffff82d040577000, in its image)
 *   sldt          0 while the guest has no LDT (Xen: 0)
 *   str           a selector of the reserved entries (Xen: 1)
 *   smsw          PE, ET and NE set, EM clear (Xen: the same); TS as
 *                 the guest's own fpu_taskswitch left it, clear (Xen: set,
 *                 the state of its lazy FPU switch, not the guest's:
 *                 0x8005003b where pvisor gives 0x80010033; this case
 *                 fails on Xen, and pvisor's answer is the one the guest
 *                 can explain)
 * No instruction faults (Xen: none).
 */
#include "hostile.h"
#include <asm/fixup.h>
#include <asm/traps.h>

#define GDT_AREA      0xffff820000000000UL
#define GDT_AREA_END  (GDT_AREA + 64 * 0x10000UL)
#define IMAGE_SLOT    0xffff828000000000UL   /* L4 slot 261 */
#define DIRECT_MAP    0xffff830000000000UL   /* slots 262-271 */
#define RESERVED_SEL  0xe000
#define CR0_PE 0x1
#define CR0_EM 0x4
#define CR0_TS 0x8
#define CR0_ET 0x10
#define CR0_NE 0x20

struct __attribute__((packed)) dtr {
    uint16_t limit;
    uint64_t base;
};

/* Run one of the instructions with a fixup; 1 if it trapped. */
#define DT_TRY(insn, ...) ({                                              \
        unsigned long b_ = trap_last.count;                               \
        asm volatile("1: " insn "\n2:\n" FIXUP_ENTRY(1b, 2b)              \
                     __VA_ARGS__);                                        \
        (long)(trap_last.count != b_); })

const char *hostile_descriptor_table_reads(void)
{
    struct hg_cases c = { 0 };
    struct dtr gdt = { 0 }, idt = { 0 };
    unsigned long ldt = ~0UL, tr = ~0UL, msw = ~0UL;

    hg_case(&c, "sgdt faults", DT_TRY("sgdt %0", : "=m"(gdt) :: "memory"), 0);
    hg_case(&c, "sidt faults", DT_TRY("sidt %0", : "=m"(idt) :: "memory"), 0);
    hg_case(&c, "sldt faults", DT_TRY("sldt %q0", : "+r"(ldt) :: "memory"), 0);
    hg_case(&c, "str faults", DT_TRY("str %q0", : "+r"(tr) :: "memory"), 0);
    hg_case(&c, "smsw faults", DT_TRY("smsw %q0", : "+r"(msw) :: "memory"), 0);
    printk("hostile: gdtr %#lx/%#x idtr %#lx/%#x ldtr %#lx tr %#lx msw %#lx\n",
           (unsigned long)gdt.base, gdt.limit, (unsigned long)idt.base, idt.limit,
           ldt, tr, msw);
    hg_case(&c, "sgdt base in the per-CPU GDT area",
            gdt.base >= GDT_AREA && gdt.base < GDT_AREA_END, 1);
    hg_case(&c, "sgdt limit covers the reserved entries", gdt.limit > RESERVED_SEL, 1);
    hg_case(&c, "sidt base in the image's slot",
            idt.base >= IMAGE_SLOT && idt.base < DIRECT_MAP, 1);
    hg_case(&c, "sldt: no LDT", (long)(ldt & 0xffff), 0);
    hg_case(&c, "str: a reserved selector", (tr & 0xffff) >= RESERVED_SEL, 1);
    hg_case(&c, "smsw: PE ET NE", (long)(msw & (CR0_PE | CR0_ET | CR0_NE)),
            CR0_PE | CR0_ET | CR0_NE);
    hg_case(&c, "smsw: EM clear", (long)(msw & CR0_EM), 0);
    hg_case(&c, "smsw: TS the guest's own (clear)", (long)(msw & CR0_TS), 0);
    return hg_cases_verdict(&c);
}
