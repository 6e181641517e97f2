/* SPDX-License-Identifier: MIT */
/*
 * pv/dom0_build.c - build the first domain exactly as Xen builds a PV64
 * dom0, from the first boot module (an ELF kernel with Xen notes) and
 * the optional second one (its initial ramdisk).
 * Owns:    dom0's start-of-day layout, its memory, p2m list, bootstrap
 *          page tables, start_info, hypercall page and first vCPU frame.
 * Touches: the frame table (ownership, then validation by pinning the
 *          L4, the same path MMUEXT_PIN_L4_TABLE takes), the M2P.
 * Trusts:  nothing in the image: elf.c checks it, and a refusal is a
 *          panic that says why (there is no dom0 to fall back to).
 *
 * The layout (abi/xen/xen.h, "start of day"), virtual addresses from the
 * ELF's virt_base, each element page-aligned, pfn = (va - virt_base)/4K:
 *   kernel | initrd | p2m list (mfn_list) | start_info | page tables
 *   (pt_base, mapped read-only) | boot stack | padding to a 4 MiB
 *   boundary with at least 512 KiB free.
 * rsi = start_info, rsp = top of the boot stack, events masked.
 */
#define LOG_PREFIX "dom0"
#include <xen/features.h>
#include <xen/xen.h>
#include "arch.h"
#include "bug.h"
#include "cmdline.h"
#include "dom0_build.h"
#include "domain.h"
#include "elf.h"
#include "frame.h"
#include "hypercall.h"
#include "lib.h"
#include "log.h"
#include "m2p.h"
#include "mm.h"
#include "page.h"
#include "page_alloc.h"
#include "panic.h"

#define BOOT_ALIGN       (4UL << 20)     /* bootstrap region end alignment */
#define BOOT_MIN_PADDING (512UL << 10)
#define DOM0_MIN_MEM     (16UL << 20)
#define GUEST_PT_FLAGS   (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define GUEST_PG_FLAGS   (GUEST_PT_FLAGS | _PAGE_DIRTY)
#define START_INFO_MAGIC "xen-3.0-x86_64"
/* FEATURES a kernel may require: all but the modes we cannot provide. */
#define DOM0_FEATURES_OK (~((1u << XENFEAT_supervisor_mode_kernel) | \
                            (1u << XENFEAT_auto_translated_physmap)))

struct dom0_layout {
    uint64_t v_start, v_end;
    uint64_t vkern_start, vkern_end;
    uint64_t vinitrd_start, vinitrd_end;
    uint64_t vphysmap_start, vphysmap_end;
    uint64_t vstartinfo_start;
    uint64_t vpt_start, nr_pt_pages;
    uint64_t vstack_end;
    uint64_t nr_pages;
    uint64_t base_maddr;       /* dom0's memory is one machine run      */
};

/* Number of aligned 2^shift blocks touched by [lo, hi). */
static uint64_t nr_blocks(uint64_t lo, uint64_t hi, unsigned int shift)
{
    uint64_t m = (1UL << shift) - 1;
    return (((hi + m) & ~m) - (lo & ~m)) >> shift;
}

static void compute_layout(struct dom0_layout *l, const struct xen_elf_params *p,
                           uint64_t initrd_len)
{
    l->v_start = p->virt_base;
    l->vkern_start = p->virt_kstart;
    l->vkern_end = p->virt_kend;
    l->vinitrd_start = ROUNDUP(l->vkern_end, PAGE_SIZE);
    l->vinitrd_end = l->vinitrd_start + initrd_len;
    l->vphysmap_start = ROUNDUP(l->vinitrd_end, PAGE_SIZE);
    l->vphysmap_end = l->vphysmap_start + l->nr_pages * sizeof(uint64_t);
    l->vstartinfo_start = ROUNDUP(l->vphysmap_end, PAGE_SIZE);
    l->vpt_start = l->vstartinfo_start + PAGE_SIZE;
    for (l->nr_pt_pages = 2;; l->nr_pt_pages++) {
        uint64_t vpt_end = l->vpt_start + l->nr_pt_pages * PAGE_SIZE;
        l->vstack_end = vpt_end + PAGE_SIZE;
        l->v_end = ROUNDUP(l->vstack_end, BOOT_ALIGN);
        if (l->v_end - l->vstack_end < BOOT_MIN_PADDING)
            l->v_end += BOOT_ALIGN;
        if (1 + nr_blocks(l->v_start, l->v_end, L4_PAGETABLE_SHIFT) +
            nr_blocks(l->v_start, l->v_end, L3_PAGETABLE_SHIFT) +
            nr_blocks(l->v_start, l->v_end, L2_PAGETABLE_SHIFT) <= l->nr_pt_pages)
            break;
    }
}

static void *guest_va_ptr(const struct dom0_layout *l, uint64_t va)
{
    return maddr_to_virt(l->base_maddr + (va - l->v_start));
}

static mfn_t va_to_mfn(const struct dom0_layout *l, uint64_t va)
{
    return _mfn((l->base_maddr >> PAGE_SHIFT) + ((va - l->v_start) >> PAGE_SHIFT));
}

static int load_copy(void *ctx, uint64_t va, const void *src, size_t len)
{
    memcpy(guest_va_ptr(ctx, va), src, len);
    return 0;
}

static int load_zero(void *ctx, uint64_t va, size_t len)
{
    memset(guest_va_ptr(ctx, va), 0, len);
    return 0;
}

static uint64_t default_dom0_pages(void)
{
    uint64_t free = machine_frames.nr_free << PAGE_SHIFT;
    uint64_t keep = MAX(HV_RESERVE_MIN, free / 16);
    uint64_t mem = free > keep ? MIN(free - keep, DOM0_MEM_DEFAULT_MAX) : 0;

    return mem >> PAGE_SHIFT;
}

/* Take nr_pages contiguous frames for d (halving on failure). */
static void alloc_dom0_memory(struct domain *d, struct dom0_layout *l,
                              uint64_t want_pages)
{
    mfn_t base = INVALID_MFN;

    for (l->nr_pages = want_pages; l->nr_pages >= (DOM0_MIN_MEM >> PAGE_SHIFT);
         l->nr_pages /= 2) {
        base = frame_alloc(l->nr_pages, 1);
        if (mfn_valid_val(base))
            break;
    }
    if (!mfn_valid_val(base))
        panic("dom0: cannot allocate %lu MiB of memory", want_pages >> 8);
    l->base_maddr = mfn_x(base) << PAGE_SHIFT;
    d->max_pages = UINT32_MAX;      /* as Xen: dom0 may grow into free RAM */
    for (uint64_t pfn = 0; pfn < l->nr_pages; pfn++) {
        mfn_t m = _mfn(mfn_x(base) + pfn);
        frame_assign(mfn_to_page(m), d, false);
        m2p_set(m, pfn);
    }
    memset(maddr_to_virt(l->base_maddr), 0, l->nr_pages << PAGE_SHIFT);
}

/* Next table below *e, taken from the page-table region in order. */
static pte_t *pt_next(const struct dom0_layout *l, pte_t *e, uint64_t *next_pt)
{
    if (!(*e & _PAGE_PRESENT)) {
        *e = pte_from_mfn(va_to_mfn(l, *next_pt), GUEST_PT_FLAGS);
        *next_pt += PAGE_SIZE;
    }
    return mfn_to_virt(pte_mfn(*e));
}

static mfn_t build_page_tables(const struct dom0_layout *l)
{
    uint64_t next_pt = l->vpt_start + PAGE_SIZE;
    uint64_t vpt_end = l->vpt_start + l->nr_pt_pages * PAGE_SIZE;
    pte_t *l4 = guest_va_ptr(l, l->vpt_start);

    for (uint64_t va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
        pte_t *l3 = pt_next(l, &l4[l4_index(va)], &next_pt);
        pte_t *l2 = pt_next(l, &l3[l3_index(va)], &next_pt);
        pte_t *l1 = pt_next(l, &l2[l2_index(va)], &next_pt);
        uint64_t flags = GUEST_PG_FLAGS;
        if (va >= l->vpt_start && va < vpt_end)
            flags &= ~(uint64_t)_PAGE_RW;     /* page tables: read-only */
        l1[l1_index(va)] = pte_from_mfn(va_to_mfn(l, va), flags);
    }
    BUG_ON(next_pt > vpt_end, "dom0 page-table estimate too small");
    return va_to_mfn(l, l->vpt_start);
}

static void fill_start_info(struct domain *d, const struct dom0_layout *l,
                            const struct xen_elf_params *p, const char *cmdline,
                            uint64_t initrd_len)
{
    struct start_info *si = guest_va_ptr(l, l->vstartinfo_start);
    uint64_t *p2m = guest_va_ptr(l, l->vphysmap_start);

    for (uint64_t pfn = 0; pfn < l->nr_pages; pfn++)
        p2m[pfn] = (l->base_maddr >> PAGE_SHIFT) + pfn;
    memset(si, 0, sizeof(*si));
    memcpy(si->magic, START_INFO_MAGIC, sizeof(START_INFO_MAGIC));
    si->nr_pages = l->nr_pages;
    si->shared_info = mfn_x(d->shared_info_mfn) << PAGE_SHIFT;
    si->flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
    si->pt_base = l->vpt_start;
    si->nr_pt_frames = l->nr_pt_pages;
    si->mfn_list = l->vphysmap_start;
    if (initrd_len) {
        si->mod_start = p->mod_start_pfn ?
            (l->vinitrd_start - l->v_start) >> PAGE_SHIFT : l->vinitrd_start;
        si->mod_len = initrd_len;
        if (p->mod_start_pfn)
            si->flags |= SIF_MOD_START_PFN;
    }
    snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", cmdline);
}

static void init_vcpu(struct vcpu *v, const struct dom0_layout *l,
                      const struct xen_elf_params *p, mfn_t l4)
{
    struct cpu_user_regs *r = &v->regs;

    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        v->domain->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
    BUG_ON(get_page_and_type(mfn_to_page(l4), v->domain, PGT_l4_page_table),
           "dom0 L4 lost its validation");
    v->guest_table = l4;
    memset(r, 0, sizeof(*r));
    r->rip = p->virt_entry;
    r->rsp = l->vstack_end;
    r->rsi = l->vstartinfo_start;
    r->rflags = X86_EFLAGS_IF | X86_EFLAGS_MBS;
    r->cs = FLAT_KERNEL_CS;
    r->ss = FLAT_KERNEL_SS;
    v->pv.kernel_ss = FLAT_KERNEL_SS;
    v->pv.kernel_sp = l->vstack_end;
}

static void check_layout(const struct dom0_layout *l, const struct xen_elf_params *p)
{
    if (l->v_end < l->v_start || l->v_end - 1 < l->v_start ||
        !is_canonical_address(l->v_end - 1) ||
        (l->v_start < HV_VIRT_END && l->v_end > HV_VIRT_START))
        panic("dom0: kernel image refused: bootstrap region %#lx-%#lx is not "
              "guest address space", l->v_start, l->v_end);
    if ((l->v_end - l->v_start) >> PAGE_SHIFT > l->nr_pages)
        panic("dom0: %lu MiB is too little memory for a %lu MiB bootstrap "
              "region", l->nr_pages >> 8, (l->v_end - l->v_start) >> 20);
    if (p->virt_hypercall != ELF_UNSET_ADDR &&
        (p->virt_hypercall < l->v_start || p->virt_hypercall >= l->v_end ||
         (p->virt_hypercall & ~PAGE_MASK)))
        panic("dom0: kernel image refused: HYPERCALL_PAGE %#lx outside the "
              "image or not page aligned", p->virt_hypercall);
}

static void log_layout(const struct dom0_layout *l, const struct elf_image *img)
{
    log_info("kernel: %s %s (loader %s), entry %#lx", img->xen.guest_os,
             img->xen.guest_ver, img->xen.loader, img->xen.virt_entry);
    log_info(" memory:      %lu MiB at machine %#lx", l->nr_pages >> 8, l->base_maddr);
    log_info(" kernel:      %#lx-%#lx", l->vkern_start, l->vkern_end);
    log_info(" initrd:      %#lx-%#lx", l->vinitrd_start, l->vinitrd_end);
    log_info(" p2m list:    %#lx-%#lx", l->vphysmap_start, l->vphysmap_end);
    log_info(" start_info:  %#lx", l->vstartinfo_start);
    log_info(" page tables: %#lx (%lu frames)", l->vpt_start, l->nr_pt_pages);
    log_info(" boot stack:  top %#lx; bootstrap region ends %#lx",
             l->vstack_end, l->v_end);
}

void dom0_construct(const struct boot_module *kmod,
                    const struct boot_module *initrd, uint64_t dom0_mem,
                    const char *cmdline)
{
    struct elf_image img;
    struct dom0_layout l;
    char err[192];
    uint64_t initrd_len = initrd ? initrd->end - initrd->start : 0, free_before;
    struct domain *d;
    struct vcpu *v;
    mfn_t l4;

    if (elf_parse(maddr_to_virt(kmod->start), kmod->end - kmod->start,
                  DOM0_FEATURES_OK, &img, err, sizeof(err)))
        panic("dom0: kernel image refused: %s", err);
    free_before = machine_frames.nr_free;
    d = domain_create(0, true);
    d->free_frames_before = free_before;
    v = vcpu_create(d, 0);
    memset(&l, 0, sizeof(l));
    alloc_dom0_memory(d, &l, dom0_mem ? dom0_mem >> PAGE_SHIFT : default_dom0_pages());
    compute_layout(&l, &img.xen, initrd_len);
    check_layout(&l, &img.xen);
    log_layout(&l, &img);

    elf_load_segments(&img, load_copy, load_zero, &l);
    if (initrd_len)
        memcpy(guest_va_ptr(&l, l.vinitrd_start), maddr_to_virt(initrd->start),
               initrd_len);
    if (img.xen.virt_hypercall != ELF_UNSET_ADDR)
        hypercall_page_init(guest_va_ptr(&l, img.xen.virt_hypercall));
    fill_start_info(d, &l, &img.xen, cmdline, initrd_len);
    l4 = build_page_tables(&l);
    if (mm_pin_table(d, l4, 4))
        panic("dom0: the bootstrap page tables did not validate");
    init_vcpu(v, &l, &img.xen, l4);

    log_info("entering kernel at %#lx, command line '%s'", img.xen.virt_entry,
             cmdline);
    arch_vcpu_enter(v);
}
