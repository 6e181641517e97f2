/* SPDX-License-Identifier: MIT */
/*
 * pv/ldt.c - a PV vCPU's LDT: MMUEXT_SET_LDT's worker, the mapping of its
 * pages on the CPU's first read of each, and their release.
 * Owns:    v->pv.ldt_base, ldt_ents, ldt_frames[] and the references the
 *          frames hold; which vCPU's frames this CPU's LDT area maps.
 * Touches: this CPU's LDT area and LDTR (cpu.c); the guest's kernel page
 *          table (read only, to find a page's frame); frame_table counts;
 *          the bounce of #PF/#GP when a page cannot be mapped (pv/traps.c).
 * Trusts:  nothing: the base, the entries and the PTEs are the guest's.
 * ABI:     mmuext_op MMUEXT_SET_LDT (docs/abi/hypercalls.md, row 26.13);
 *          VCPUOP_initialise's ldt_base/ldt_ents.
 *
 * As in Xen, SET_LDT only records where the LDT is (a page-aligned guest
 * address, at most 8192 entries; no entries means no LDT). Its frames are
 * found when the CPU first reads a descriptor from one of its pages (a
 * selector with TI set loaded into a segment register, a far call or
 * jump, an iret to such a cs or ss): LDTR points at this CPU's LDT area,
 * whose pages are not present until then, so the read faults (a #PF with
 * the user bit clear: the CPU's own access) and pv_ldt_page_fault() looks
 * the page up in the guest's kernel page table, takes a general and a
 * PGT_seg_desc_page type reference on its frame, maps it and lets the
 * instruction run again. Taking the type validates every descriptor of
 * the page (pv/descriptor.c, as for GDT frames; a call gate's DPL
 * becomes 0 so that using it traps), and is refused while the frame is
 * mapped writable anywhere or is a page table. When the page cannot be
 * mapped, the guest gets what the CPU would have raised had its LDT been
 * where it said: #PF at base + offset with the CPU's error code, or, where
 * that address is not canonical, #GP with the selector's error code.
 *
 * Once mapped, a frame is the vCPU's (ldt_frames[]) until SET_LDT names
 * another LDT, MMUEXT_NEW_BASEPTR changes the kernel page table (the
 * pages are then looked up again, in the new one), or the vCPU goes. In
 * between the type reference keeps the guest from writing it except
 * through update_descriptor, which validates what it writes: a writable
 * mapping is refused (-EBUSY), an mmu_update into it too (-EINVAL).
 *
 * Xen gives each vCPU an LDT area of its own. Here each CPU has one, just
 * after its GDT (layout.h), mapping the running vCPU's frames: a switch
 * to a vCPU maps its frames there, unmaps what the previous one left and
 * loads LDTR with a descriptor of the area whose limit is ents * 8 - 1
 * (null without entries, so that a selector of an empty LDT is the
 * CPU's #GP(selector)). What the guest sees is the same.
 *
 * TLB. Dropping a frame's type reference makes it typable as writable
 * again, and a CPU that could still read it through a stale translation
 * of an LDT area would then use descriptors the guest wrote unvalidated
 * (a call gate into ring 0). So the mapping goes first: its PTE is
 * cleared and invalidated (invlpg) on this CPU, then the reference is
 * dropped, which stamps the frame; before it is next typed otherwise,
 * get_page_type() flushes every CPU that has not flushed since (the
 * clock of common/frame.c), which covers the CPUs SMP will add. A vCPU's
 * frames are mapped only in the area of the CPU it last ran on, and only
 * while that area is its own (ldt_area_vcpu[]). Descriptors already
 * loaded into segment registers keep their cached copies: those were
 * validated when loaded, as on Xen.
 */
#define LOG_PREFIX "ldt"
#include <xen/xen.h>
#include "cpu.h"
#include "domain.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm.h"
#include "percpu.h"
#include "processor.h"
#include "pv.h"

#define LDT_MAX_ENTS     8192
#define DESC_SIZE        8
#define SEL_TI_LDT       4           /* a selector's table indicator */
#define SEL_EC_MASK      (~3U)       /* EXT and IDT bits of an error code */

/* The vCPU whose frames each CPU's LDT area maps, and which pages. */
static struct vcpu *ldt_area_vcpu[NR_CPUS];
static uint16_t ldt_area_mapped[NR_CPUS];

void pv_ldt_init(struct vcpu *v)
{
    v->pv.ldt_base = 0;
    v->pv.ldt_ents = 0;
    for (unsigned int i = 0; i < LDT_AREA_PAGES; i++)
        v->pv.ldt_frames[i] = LDT_NO_FRAME;
}

static void area_map(unsigned int i, unsigned long mfn)
{
    cpu_ldt_map_page(i, _mfn(mfn));
    ldt_area_mapped[smp_processor_id()] |= (uint16_t)(1u << i);
}

static void area_unmap(unsigned int i)
{
    uint16_t *mapped = &ldt_area_mapped[smp_processor_id()];

    if (*mapped & (1u << i)) {
        cpu_ldt_unmap_page(i);
        *mapped &= (uint16_t)~(1u << i);
    }
}

/*
 * Called on every switch to v, before its selectors are loaded. While
 * the area is v's, it maps exactly v's frames (ldt_map_page() and
 * pv_destroy_ldt() keep it so): nothing to map again.
 */
void pv_ldt_switch_to(struct vcpu *v)
{
    unsigned int cpu = smp_processor_id();

    if (ldt_area_vcpu[cpu] != v) {
        /* Frames exist only in the pages the LDT spans (every change of
         * ldt_ents drops them first): the common switch, between vCPUs
         * without an LDT, touches no page of the area. */
        unsigned int pages = (v->pv.ldt_ents * DESC_SIZE + PAGE_SIZE - 1) / PAGE_SIZE;
        unsigned int stale = ldt_area_mapped[cpu];

        while (stale) {                 /* what the previous vCPU left */
            unsigned int i = (unsigned int)__builtin_ctz(stale);
            stale &= stale - 1;
            if (i >= pages || v->pv.ldt_frames[i] == LDT_NO_FRAME)
                area_unmap(i);
        }
        for (unsigned int i = 0; i < pages; i++)
            if (v->pv.ldt_frames[i] != LDT_NO_FRAME)
                area_map(i, v->pv.ldt_frames[i]);
        ldt_area_vcpu[cpu] = v;
    }
    cpu_load_ldt(v->pv.ldt_ents);
}

/*
 * Drop v's mapped LDT frames (Xen's pv_destroy_ldt): their mappings first
 * (see the essay), then their references. The LDT itself stays; its pages
 * are looked up again when next read.
 */
void pv_destroy_ldt(struct vcpu *v)
{
    bool here = ldt_area_vcpu[smp_processor_id()] == v;

    for (unsigned int i = 0; i < LDT_AREA_PAGES; i++) {
        if (v->pv.ldt_frames[i] == LDT_NO_FRAME)
            continue;
        if (here)
            area_unmap(i);
        put_page_and_type(mfn_to_page(_mfn(v->pv.ldt_frames[i])));
        v->pv.ldt_frames[i] = LDT_NO_FRAME;
    }
}

/* A vCPU that goes: its frames, and this CPU's area if it was its. */
void pv_ldt_release(struct vcpu *v)
{
    pv_destroy_ldt(v);
    v->pv.ldt_base = 0;
    v->pv.ldt_ents = 0;
    if (ldt_area_vcpu[smp_processor_id()] == v)
        ldt_area_vcpu[smp_processor_id()] = NULL;
}

/* Xen's checks, from MMUEXT_SET_LDT and VCPUOP_initialise alike. */
int pv_ldt_check(uint64_t base, unsigned int ents)
{
    if ((base & ~PAGE_MASK) || !guest_range_ok(base, 1) || ents > LDT_MAX_ENTS)
        return hc_fail(-XEN_EINVAL, "LDT base %#lx, %u entries", base, ents);
    return 0;
}

/*
 * MMUEXT_SET_LDT for v (the running vCPU, or one that is down): an LDT of
 * ents descriptors at base; no entries, no LDT (the base is then not
 * looked at, as Xen).
 */
int pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int ents)
{
    int rc;

    if (!ents)
        base = 0;
    rc = pv_ldt_check(base, ents);
    if (rc)
        return rc;
    if (v->pv.ldt_base == base && v->pv.ldt_ents == ents)
        return 0;                     /* the same LDT: keep its mappings */
    pv_destroy_ldt(v);
    v->pv.ldt_base = base;
    v->pv.ldt_ents = ents;
    if (v == current)
        cpu_load_ldt(ents);
    return 0;
}

/*
 * Page i of v's LDT, found through v's kernel page table (whatever mode
 * v is in, as Xen) and typed as a descriptor page: mapped in this CPU's
 * area. False when the page is not mapped there, not v's own RAM, or
 * cannot be a descriptor page.
 */
static bool ldt_map_page(struct vcpu *v, unsigned int i)
{
    uint64_t linear = v->pv.ldt_base + (uint64_t)i * PAGE_SIZE;
    struct page_info *pg;
    pte_t e;

    if (v->pv.ldt_frames[i] != LDT_NO_FRAME) {
        area_map(i, v->pv.ldt_frames[i]);
        return true;
    }
    if (!guest_range_ok(linear, PAGE_SIZE))
        return false;
    e = mm_guest_kernel_pte(v, linear);
    if (!(e & _PAGE_PRESENT) || !mfn_valid(pte_mfn(e)))
        return false;
    pg = mfn_to_page(pte_mfn(e));
    if (!get_page(pg, v->domain))
        return false;
    if (get_page_type(pg, PGT_seg_desc_page)) {
        put_page(pg);
        return false;
    }
    v->pv.ldt_frames[i] = mfn_x(pte_mfn(e));
    area_map(i, v->pv.ldt_frames[i]);
    return true;
}

/*
 * A #PF at cr2. True if it was the CPU reading the running vCPU's LDT and
 * has been dealt with: the page is now mapped (the instruction runs
 * again) or, when the guest's own instruction read it, the guest got the
 * fault its LDT gives. False for any other fault, and for the
 * hypervisor's own access to a page that cannot be mapped (loading a
 * guest selector on a switch, the iretq to a guest: their fixups follow).
 */
bool pv_ldt_page_fault(struct cpu_user_regs *regs, uint64_t cr2)
{
    unsigned int cpu = smp_processor_id();
    uint64_t area = cpu_ldt_area(), off, linear;
    struct vcpu *v = current;

    if (cr2 < area || cr2 >= area + LDT_AREA_PAGES * PAGE_SIZE ||
        (regs->error_code & (PFEC_user | PFEC_reserved)) ||
        !v || ldt_area_vcpu[cpu] != v)
        return false;
    off = cr2 - area;
    if (off / DESC_SIZE < v->pv.ldt_ents &&
        ldt_map_page(v, (unsigned int)(off >> PAGE_SHIFT)))
        return true;
    if (!(regs->cs & 3))
        return false;
    linear = v->pv.ldt_base + off;
    if (!is_canonical_address(linear)) {
        pv_inject_hw_exception(v, regs, TRAP_gp_fault,
                               ((uint32_t)off & SEL_EC_MASK) | SEL_TI_LDT);
    } else {
        v->vcpu_info->arch.cr2 = linear;
        pv_inject_hw_exception(v, regs, TRAP_page_fault, regs->error_code);
    }
    return true;
}
