/* SPDX-License-Identifier: MIT */
/*
 * pv/descriptor.c - set_gdt (2), update_descriptor (10), and what a
 * guest segment descriptor may be.
 * Owns:    the vCPU's GDT frames (typed PGT_seg_desc_page while in use)
 *          and what a guest descriptor may be.
 * Touches: this CPU's GDT area (cpu.c) and the frames' descriptors, which
 *          validation may rewrite (DPL raised to 3).
 * Trusts:  nothing: frames are MFNs from the guest, each checked.
 * ABI:     set_gdt(frame_list, entries): entries <= 7168 (the last two
 *          pages of the 64 KiB GDT are ours); the frames must not be
 *          mapped writable. update_descriptor(maddr, desc) writes one
 *          8-byte-aligned descriptor into a frame of the guest, checked
 *          first. docs/abi/hypercalls.md rows 2 and 10.
 *
 * A descriptor is acceptable when it is not present, or a code/data
 * segment (its DPL is raised to 3: the guest kernel runs in ring 3), or
 * type 0 (the upper half of a 16-byte gate), or a call gate to a guest or
 * flat selector, whose DPL is forced to 0 so that using it traps (as in
 * Xen). System descriptors (TSS, LDT, interrupt gates) are refused.
 */
#define LOG_PREFIX "gdt"
#include "cpu.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "mm.h"
#include "pv.h"

#define SEG_P      (1u << 15)   /* in the high dword */
#define SEG_S      (1u << 12)
#define SEG_DPL    (3u << 13)
#define SEG_TYPE   (0xfu << 8)
#define TYPE_CALL_GATE (0xcu << 8)
#define SEL_TI_LDT 4

static bool gate_selector_ok(uint16_t sel)
{
    if ((sel & ~3) == (FLAT_KERNEL_CS & ~3) || (sel & ~3) == (FLAT_USER_CS32 & ~3))
        return true;
    if (sel & SEL_TI_LDT)
        return true;
    return (sel >> 3) < FIRST_RESERVED_GDT_ENTRY;
}

/* Check, and fix up in place, one descriptor; false if unacceptable. */
static bool check_descriptor(uint64_t *desc)
{
    uint32_t a = (uint32_t)*desc, b = (uint32_t)(*desc >> 32);
    uint16_t cs;

    if (!(b & SEG_P))
        return true;
    b |= SEG_DPL;                          /* DPL < 3 becomes 3 */
    if (!(b & SEG_S)) {
        if ((b & SEG_TYPE) == 0)
            return true;
        if ((b & SEG_TYPE) != TYPE_CALL_GATE)
            return false;
        cs = (uint16_t)(a >> 16);
        if (!gate_selector_ok(cs) || (b & 0xff))
            return false;
        cs = (uint16_t)((cs & ~3) | 3);    /* the gate's DPL, kept in RPL */
        b &= ~SEG_DPL;
        a = (a & 0xffff) | ((uint32_t)cs << 16);
    }
    *desc = ((uint64_t)b << 32) | a;
    return true;
}

int pv_validate_desc_page(struct page_info *pg)
{
    uint64_t *d = mfn_to_virt(page_to_mfn(pg));

    for (unsigned int i = 0; i < PAGE_SIZE / sizeof(*d); i++)
        if (!check_descriptor(&d[i]))
            return hc_fail(-XEN_EINVAL, "descriptor %u of mfn %#lx: %#lx",
                           i, mfn_x(page_to_mfn(pg)), d[i]);
    return 0;
}

/*
 * update_descriptor: the frame may be a GDT/LDT frame in use (the write is
 * then the only way to change it) or any frame of the guest that could be
 * mapped writable.
 */
long do_update_descriptor(uint64_t maddr, uint64_t desc)
{
    struct domain *d = current->domain;
    mfn_t mfn = _mfn(maddr >> PAGE_SHIFT);
    struct page_info *pg;
    enum page_type t;
    int rc;

    if ((maddr & (sizeof(desc) - 1)) || !check_descriptor(&desc))
        return hc_fail(-XEN_EINVAL, "update_descriptor: %#lx at %#lx", desc, maddr);
    if (!mfn_valid(mfn) || !get_page(mfn_to_page(mfn), d))
        return hc_fail(-XEN_EINVAL, "update_descriptor: %#lx not d%u's",
                       maddr, d->domain_id);
    pg = mfn_to_page(mfn);
    t = page_current_type(pg) == PGT_seg_desc_page ? PGT_seg_desc_page
                                                   : PGT_writable_page;
    rc = get_page_type(pg, t);
    if (!rc) {
        uint64_t *slot = (uint64_t *)((char *)mfn_to_virt(mfn) + (maddr & ~PAGE_MASK));
        __atomic_store_n(slot, desc, __ATOMIC_RELEASE);
        put_page_type(pg);
    } else {
        rc = hc_fail(-XEN_EINVAL, "update_descriptor: mfn %#lx in use as type %u",
                     mfn_x(mfn), pg->type);
    }
    put_page(pg);
    return rc;
}

static void put_gdt_frames(const unsigned long *frames, unsigned int nr)
{
    for (unsigned int i = 0; i < nr; i++)
        put_page_and_type(mfn_to_page(_mfn(frames[i])));
}

/*
 * v's GDT becomes frames[0 .. entries/512] (each typed as a descriptor
 * page, or the call fails with -XEN_EINVAL and nothing changes); the old
 * frames are released. Mapped at once if v is running.
 */
long pv_set_gdt(struct vcpu *v, const unsigned long *frames, unsigned int entries)
{
    unsigned int nr = (entries + 511) / 512, i;

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return hc_fail(-XEN_EINVAL, "set_gdt: %u entries", entries);
    for (i = 0; i < nr; i++) {
        if (!mfn_valid(_mfn(frames[i])) ||
            get_page_and_type(mfn_to_page(_mfn(frames[i])), v->domain,
                              PGT_seg_desc_page)) {
            put_gdt_frames(frames, i);
            return hc_fail(-XEN_EINVAL, "set_gdt: frame %u (mfn %#lx) refused",
                           i, frames[i]);
        }
    }
    put_gdt_frames(v->pv.gdt_frames, (v->pv.gdt_ents + 511) / 512);
    for (i = 0; i < nr; i++)
        v->pv.gdt_frames[i] = frames[i];
    v->pv.gdt_ents = entries;
    if (v == current)
        cpu_gdt_map_guest_frames(v->pv.gdt_frames, nr);
    return 0;
}

long do_set_gdt(uint64_t frame_list, unsigned int entries)
{
    unsigned long frames[FIRST_RESERVED_GDT_PAGE];

    if (entries > FIRST_RESERVED_GDT_ENTRY)
        return hc_fail(-XEN_EINVAL, "set_gdt: %u entries", entries);
    if (copy_from_guest(frames, frame_list,
                        (entries + 511) / 512 * sizeof(frames[0])))
        return -XEN_EFAULT;
    return pv_set_gdt(current, frames, entries);
}
