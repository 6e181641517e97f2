/* SPDX-License-Identifier: MIT */
/*
 * pv/domain_build.c - build a domain from boot modules exactly as Xen
 * builds a PV64 dom0 (and as its toolstack builds a PV domU): an ELF
 * kernel with Xen notes (bare, or compressed inside a bzImage, as Xen
 * takes them) and an optional initial ramdisk.
 * Owns:    a built domain's start-of-day layout, its memory, p2m list,
 *          bootstrap page tables, start_info, hypercall page, console
 *          ring (domUs) and first vCPU frame.
 * Touches: the frame table (ownership, then validation by pinning the
 *          L4, the same path MMUEXT_PIN_L4_TABLE takes), the M2P, the
 *          event channels (a domU's console port).
 * Trusts:  nothing in the image: bzimage.c unwraps it (into frames taken
 *          here, at most as many as the domain has memory, and given back
 *          scrubbed once the kernel is loaded), elf.c checks it. A refusal
 *          returns the
 *          reason and gives back everything taken; for dom0 the caller
 *          panics with it (there is no dom0 to fall back to), a boot domU
 *          is skipped.
 *
 * The layout (abi/xen/xen.h, "start of day"), virtual addresses from the
 * ELF's virt_base, each element page-aligned, pfn = (va - virt_base)/4K:
 *   kernel | initrd | p2m list (mfn_list) | start_info | console ring
 *   (domUs only) | page tables (pt_base, mapped read-only) | boot stack |
 *   padding to a 4 MiB boundary with at least 512 KiB free.
 * rsi = start_info, rsp = top of the boot stack, events masked.
 */
#define LOG_PREFIX "build"
#include <xen/features.h>
#include <xen/xen.h>
#include "arch.h"
#include "bug.h"
#include "bzimage.h"
#include "cmdline.h"
#include "domain_build.h"
#include "dom0_mem.h"
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
#include "sched_credit.h"
#include <stdarg.h>

#define BOOT_ALIGN       (4UL << 20)     /* bootstrap region end alignment */
#define BOOT_MIN_PADDING (512UL << 10)
#define DOMAIN_MIN_MEM   (16UL << 20)
#define GUEST_PT_FLAGS   (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define GUEST_PG_FLAGS   (GUEST_PT_FLAGS | _PAGE_DIRTY)
#define START_INFO_MAGIC "xen-3.0-x86_64"
/* FEATURES a kernel may require: all but the modes we cannot provide. */
#define DOM0_FEATURES_OK (~((1u << XENFEAT_supervisor_mode_kernel) | \
                            (1u << XENFEAT_auto_translated_physmap)))

struct layout {
    uint64_t v_start, v_end;
    uint64_t vkern_start, vkern_end;
    uint64_t vinitrd_start, vinitrd_end;
    uint64_t vphysmap_start, vphysmap_end;
    uint64_t vstartinfo_start;
    uint64_t vconsole_start;   /* domU: the console ring page; else 0   */
    uint64_t vpt_start, nr_pt_pages;
    uint64_t vstack_end;
    uint64_t nr_pages;
    uint64_t base_maddr;       /* the memory is one machine run         */
    domid_t id;                /* for messages                          */
    char *err;                 /* why the build failed                  */
    size_t errlen;
};

#define build_fail(l, ...) fail_reason((l)->err, (l)->errlen, __VA_ARGS__)

/* Number of aligned 2^shift blocks touched by [lo, hi). */
static uint64_t nr_blocks(uint64_t lo, uint64_t hi, unsigned int shift)
{
    uint64_t m = (1UL << shift) - 1;
    return (((hi + m) & ~m) - (lo & ~m)) >> shift;
}

/*
 * Refuses a bootstrap region that wraps past 2^64 or outgrows dom0's
 * memory at `end`. Checked after each step of compute_layout(), each of
 * which adds less than 2^63, so a wrap always lands below v_start.
 */
static int check_region_end(struct layout *l, uint64_t end, const char *what)
{
    if (end < l->v_start)
        return build_fail(l, "kernel image refused: bootstrap region from %#lx "
                          "wraps around the address space (at the %s)",
                          l->v_start, what);
    if ((end - l->v_start) >> PAGE_SHIFT > l->nr_pages)
        return build_fail(l, "%lu MiB is too little memory for the bootstrap "
                          "region (%#lx-%#lx, up to the %s)", l->nr_pages >> 8,
                          l->v_start, end, what);
    return 0;
}

static int compute_layout(struct layout *l, const struct xen_elf_params *p,
                          uint64_t initrd_len, bool console)
{
    l->v_start = p->virt_base;
    l->vkern_start = p->virt_kstart;
    l->vkern_end = p->virt_kend;
    if (check_region_end(l, l->vkern_end, "kernel"))
        return -1;
    l->vinitrd_start = ROUNDUP(l->vkern_end, PAGE_SIZE);
    l->vinitrd_end = l->vinitrd_start + initrd_len;
    if (check_region_end(l, l->vinitrd_end, "initrd"))
        return -1;
    l->vphysmap_start = ROUNDUP(l->vinitrd_end, PAGE_SIZE);
    l->vphysmap_end = l->vphysmap_start + l->nr_pages * sizeof(uint64_t);
    l->vstartinfo_start = ROUNDUP(l->vphysmap_end, PAGE_SIZE);
    l->vpt_start = l->vstartinfo_start + PAGE_SIZE;
    if (console) {
        l->vconsole_start = l->vpt_start;
        l->vpt_start += PAGE_SIZE;
    }
    if (check_region_end(l, l->vpt_start, "start_info"))
        return -1;
    for (l->nr_pt_pages = 2;; l->nr_pt_pages++) {
        uint64_t vpt_end = l->vpt_start + l->nr_pt_pages * PAGE_SIZE;
        l->vstack_end = vpt_end + PAGE_SIZE;
        l->v_end = ROUNDUP(l->vstack_end, BOOT_ALIGN);
        if (l->v_end - l->vstack_end < BOOT_MIN_PADDING)
            l->v_end += BOOT_ALIGN;
        if (check_region_end(l, l->v_end, "page tables and boot stack"))
            return -1;
        if (1 + nr_blocks(l->v_start, l->v_end, L4_PAGETABLE_SHIFT) +
            nr_blocks(l->v_start, l->v_end, L3_PAGETABLE_SHIFT) +
            nr_blocks(l->v_start, l->v_end, L2_PAGETABLE_SHIFT) <= l->nr_pt_pages)
            return 0;
    }
}

static void *guest_va_ptr(const struct layout *l, uint64_t va)
{
    return maddr_to_virt(l->base_maddr + (va - l->v_start));
}

static mfn_t va_to_mfn(const struct layout *l, uint64_t va)
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

/* dom0 without dom0_mem=: what is free, less a reserve and keep_free. */
static uint64_t default_dom0_pages(uint64_t keep_free)
{
    uint64_t free = machine_frames.nr_free << PAGE_SHIFT;
    uint64_t keep = MAX(HV_RESERVE_MIN, free / 16) + keep_free;
    uint64_t mem = free > keep ? MIN(free - keep, DOM0_MEM_DEFAULT_MAX) : 0;

    return mem >> PAGE_SHIFT;
}

/*
 * How many frames d gets: a domU exactly bp->mem; dom0 by dom0_mem='s
 * rules (common/dom0_mem.c), which cap it to what is free and contiguous
 * and say so. Sets d->max_pages: dom0 may grow into free RAM up to max:,
 * as on Xen; a domU has what it was given.
 */
static uint64_t domain_size(struct domain *d, const struct domain_build_params *bp)
{
    static const struct dom0_mem no_option;
    struct dom0_mem_room room = {
        .free = machine_frames.nr_free,
        .kept_hv = HV_RESERVE_MIN >> PAGE_SHIFT,
        .kept_domus = bp->keep_free >> PAGE_SHIFT,
        .longest = page_alloc_largest_run(&machine_frames),
        .dflt = default_dom0_pages(bp->keep_free),
    };
    uint64_t pages, max_pages;

    if (!d->is_privileged) {
        d->max_pages = bp->mem >> PAGE_SHIFT;
        return bp->mem >> PAGE_SHIFT;
    }
    pages = dom0_mem_frames(bp->dom0_mem ? bp->dom0_mem : &no_option, &room,
                            &max_pages);
    d->max_pages = (uint32_t)max_pages;
    return pages;
}

/* Take the domain's frames, one contiguous run, and give them to d. */
static int alloc_domain_memory(struct domain *d, struct layout *l,
                               const struct domain_build_params *bp)
{
    mfn_t base;

    l->nr_pages = domain_size(d, bp);
    if (l->nr_pages < (DOMAIN_MIN_MEM >> PAGE_SHIFT))
        return build_fail(l, "%lu KiB of memory is below the minimum of %lu MiB",
                          l->nr_pages << (PAGE_SHIFT - 10), DOMAIN_MIN_MEM >> 20);
    base = frame_alloc(l->nr_pages, 1);
    if (!mfn_valid_val(base))
        return build_fail(l, "cannot allocate %lu MiB of memory in one run",
                          l->nr_pages >> (20 - PAGE_SHIFT));
    l->base_maddr = mfn_x(base) << PAGE_SHIFT;
    for (uint64_t pfn = 0; pfn < l->nr_pages; pfn++) {
        mfn_t m = _mfn(mfn_x(base) + pfn);
        frame_assign(mfn_to_page(m), d, false);
        m2p_set(m, pfn);
    }
    memset(maddr_to_virt(l->base_maddr), 0, l->nr_pages << PAGE_SHIFT);
    return 0;
}

/* Next table below *e, taken from the page-table region in order. */
static pte_t *pt_next(const struct layout *l, pte_t *e, uint64_t *next_pt)
{
    if (!(*e & _PAGE_PRESENT)) {
        *e = pte_from_mfn(va_to_mfn(l, *next_pt), GUEST_PT_FLAGS);
        *next_pt += PAGE_SIZE;
    }
    return mfn_to_virt(pte_mfn(*e));
}

static mfn_t build_page_tables(struct layout *l)
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
    BUG_ON(next_pt > vpt_end, "d%u page-table estimate too small", l->id);
    return va_to_mfn(l, l->vpt_start);
}

static void fill_start_info(struct domain *d, const struct layout *l,
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
    si->flags = d->is_privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
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
    if (l->vconsole_start) {
        si->console.domU.mfn = mfn_x(va_to_mfn(l, l->vconsole_start));
        si->console.domU.evtchn = d->console_port;
    }
    snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s", cmdline);
}

static void init_vcpu(struct vcpu *v, const struct layout *l,
                      const struct xen_elf_params *p, mfn_t l4)
{
    struct cpu_user_regs *r = &v->regs;

    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        v->domain->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
    BUG_ON(get_page_and_type(mfn_to_page(l4), v->domain, PGT_l4_page_table),
           "d%u L4 lost its validation", v->domain->domain_id);
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
    v->initialised = true;
}

static int check_layout(struct layout *l, const struct xen_elf_params *p)
{
    if (l->v_end < l->v_start || l->v_end - 1 < l->v_start ||
        !is_canonical_address(l->v_end - 1) ||
        (l->v_start < HV_VIRT_END && l->v_end > HV_VIRT_START))
        return build_fail(l, "kernel image refused: bootstrap region %#lx-%#lx "
                          "is not guest address space", l->v_start, l->v_end);
    if ((l->v_end - l->v_start) >> PAGE_SHIFT > l->nr_pages)
        return build_fail(l, "%lu MiB is too little memory for a %lu MiB "
                          "bootstrap region", l->nr_pages >> 8,
                          (l->v_end - l->v_start) >> 20);
    if (p->virt_hypercall != ELF_UNSET_ADDR &&
        (p->virt_hypercall < l->v_start || p->virt_hypercall >= l->v_end ||
         (p->virt_hypercall & ~PAGE_MASK)))
        return build_fail(l, "kernel image refused: HYPERCALL_PAGE %#lx outside "
                          "the image or not page aligned", p->virt_hypercall);
    return 0;
}

static void log_layout(const struct layout *l, const struct elf_image *img)
{
    log_info("d%u kernel: %s %s (loader %s), entry %#lx", l->id, img->xen.guest_os,
             img->xen.guest_ver, img->xen.loader, img->xen.virt_entry);
    log_info(" memory:      %lu MiB at machine %#lx", l->nr_pages >> 8, l->base_maddr);
    log_info(" kernel:      %#lx-%#lx", l->vkern_start, l->vkern_end);
    log_info(" initrd:      %#lx-%#lx", l->vinitrd_start, l->vinitrd_end);
    log_info(" p2m list:    %#lx-%#lx", l->vphysmap_start, l->vphysmap_end);
    log_info(" start_info:  %#lx", l->vstartinfo_start);
    if (l->vconsole_start)
        log_info(" console:     %#lx", l->vconsole_start);
    log_info(" page tables: %#lx (%lu frames)", l->vpt_start, l->nr_pt_pages);
    log_info(" boot stack:  top %#lx; bootstrap region ends %#lx",
             l->vstack_end, l->v_end);
}

/*
 * A module the boot loader says lies over our own image would hand the
 * domain the hypervisor's bytes, and could change (.data, .bss) between
 * elf_parse() and the copy that trusts it.
 */
static int check_module(struct layout *l, const struct boot_module *m,
                        const char *what)
{
    if (m && m->start < virt_to_maddr(__image_end) &&
        m->end > virt_to_maddr(__image_start))
        return build_fail(l, "%s module [%#lx, %#lx) overlaps the hypervisor "
                          "image [%#lx, %#lx)", what, m->start, m->end,
                          virt_to_maddr(__image_start), virt_to_maddr(__image_end));
    return 0;
}

/* The ELF the domain is built from: the module, or a decompressed copy. */
struct kernel_image {
    const void *data;
    size_t size;
    mfn_t buf;                 /* our frames holding the copy, or INVALID */
    uint64_t buf_pages;
};

/*
 * The most a compressed kernel may decompress to: the kernel is loaded
 * into the domain's memory, so it cannot be larger. A domU's memory is
 * known; dom0's is one run of free frames, so at most the longest (its
 * size is fixed only after the decompressed copy has taken its frames).
 */
static uint64_t decompress_limit(const struct domain_build_params *bp)
{
    if (bp->privileged)
        return page_alloc_largest_run(&machine_frames) << PAGE_SHIFT;
    return bp->mem;
}

static int decompress_kernel(struct layout *l, const struct domain_build_params *bp,
                             const struct kernel_payload *p, struct kernel_image *k)
{
    const char *name = kernel_compression_name(p->compression);
    uint64_t limit = decompress_limit(bp);
    size_t out_len;
    char why[160];

    if (p->stated_len > limit || p->stated_len == 0)
        return build_fail(l, "kernel image refused: %s payload states %u bytes "
                          "decompressed; this domain's memory allows 1 to %lu "
                          "(a decompression bomb?)", name, p->stated_len, limit);
    k->buf_pages = ROUNDUP(p->stated_len, PAGE_SIZE) >> PAGE_SHIFT;
    k->buf = frame_alloc(k->buf_pages, 1);
    if (!mfn_valid_val(k->buf))
        return build_fail(l, "cannot allocate %lu KiB to decompress the kernel",
                          k->buf_pages << (PAGE_SHIFT - 10));
    log_info("d%u kernel: %s%s payload of %zu bytes, decompressing %u bytes",
             l->id, p->bzimage_version ? "bzImage, " : "", name, p->len,
             p->stated_len);
    if (kernel_payload_decompress(p, mfn_to_virt(k->buf), p->stated_len,
                                  &out_len, why, sizeof(why)))
        return build_fail(l, "kernel image refused: %s", why);
    k->data = mfn_to_virt(k->buf);
    k->size = out_len;
    return 0;
}

/* The ELF inside the kernel module (bzimage.c has the rules, Xen's). */
static int unwrap_kernel(struct layout *l, const struct domain_build_params *bp,
                         struct kernel_image *k)
{
    struct kernel_payload p;
    char why[160];

    k->buf = INVALID_MFN;
    if (kernel_payload_find(maddr_to_virt(bp->kernel->start),
                            bp->kernel->end - bp->kernel->start, &p, why,
                            sizeof(why)))
        return build_fail(l, "kernel image refused: %s", why);
    if (p.compression != KERNEL_UNCOMPRESSED)
        return decompress_kernel(l, bp, &p, k);
    k->data = p.data;
    k->size = p.len;
    return 0;
}

/* Scrubbed, so no later owner of these frames reads the kernel's bytes. */
static void release_kernel(struct kernel_image *k)
{
    if (!mfn_valid_val(k->buf))
        return;
    memset(mfn_to_virt(k->buf), 0, k->buf_pages << PAGE_SHIFT);
    page_free(&machine_frames, k->buf, k->buf_pages);
    k->buf = INVALID_MFN;
}

static int build_from(struct domain *d, const struct domain_build_params *bp,
                      struct layout *l, const struct kernel_image *k)
{
    uint64_t initrd_len = bp->initrd ? bp->initrd->end - bp->initrd->start : 0;
    bool console = !bp->privileged;
    struct elf_image img;
    mfn_t l4;

    if (elf_parse(k->data, k->size, DOM0_FEATURES_OK, &img, l->err, l->errlen)) {
        char why[160];
        snprintf(why, sizeof(why), "%s", l->err);
        return build_fail(l, "kernel image refused: %s", why);
    }
    if (img.broken[0])          /* as Xen's "Dom0 kernel broken ELF: ..." */
        log_warn("d%u kernel: broken ELF: %s", l->id, img.broken);
    for (unsigned int i = 0; i < bp->max_vcpus; i++)
        if (!vcpu_create(d, i))
            return build_fail(l, "no memory for vCPU %u", i);
    if (alloc_domain_memory(d, l, bp) ||
        compute_layout(l, &img.xen, initrd_len, console) ||
        check_layout(l, &img.xen))
        return -1;
    log_layout(l, &img);

    elf_load_segments(&img, load_copy, load_zero, l);
    if (initrd_len)
        memcpy(guest_va_ptr(l, l->vinitrd_start),
               maddr_to_virt(bp->initrd->start), initrd_len);
    if (img.xen.virt_hypercall != ELF_UNSET_ADDR)
        hypercall_page_init(guest_va_ptr(l, img.xen.virt_hypercall));
    if (console && console_ring_setup(d, va_to_mfn(l, l->vconsole_start)) < 0)
        return build_fail(l, "no port for the console");
    fill_start_info(d, l, &img.xen, bp->cmdline, initrd_len);
    l4 = build_page_tables(l);
    if (mm_pin_table(d, l4, 4))
        return build_fail(l, "the bootstrap page tables did not validate");
    init_vcpu(d->vcpu[0], l, &img.xen, l4);
    log_info("d%u: %u vCPU%s, entry %#lx, command line '%s'", d->domain_id,
             bp->max_vcpus, bp->max_vcpus > 1 ? "s" : "", img.xen.virt_entry,
             bp->cmdline);
    return 0;
}

static int build(struct domain *d, const struct domain_build_params *bp,
                 struct layout *l)
{
    struct kernel_image k = { .buf = INVALID_MFN };
    int rc;

    if (check_module(l, bp->kernel, "kernel") || check_module(l, bp->initrd, "initrd"))
        return -1;
    rc = unwrap_kernel(l, bp, &k);
    if (rc == 0)
        rc = build_from(d, bp, l, &k);
    release_kernel(&k);
    return rc;
}

struct domain *domain_build(const struct domain_build_params *bp, char *err,
                            size_t errlen)
{
    uint64_t free_before = machine_frames.nr_free;
    struct layout l;
    struct domain *d;

    memset(&l, 0, sizeof(l));
    l.id = bp->id;
    l.err = err;
    l.errlen = errlen;
    if (!bp->max_vcpus || bp->max_vcpus > MAX_VCPUS_PER_DOM) {
        build_fail(&l, "%u vCPUs: between 1 and %u", bp->max_vcpus,
                   MAX_VCPUS_PER_DOM);
        return NULL;
    }
    d = domain_create(bp->id, bp->privileged);
    if (!d) {
        build_fail(&l, "no free domain slot");
        return NULL;
    }
    d->free_frames_before = free_before;
    d->boot_domain = !bp->privileged;
    d->weight = bp->weight ? bp->weight : SCHED_DEFAULT_WEIGHT;
    d->cap = bp->cap;
    if (build(d, bp, &l)) {
        if (bp->privileged)
            return NULL;               /* the caller panics */
        domain_destroy(d);
        return NULL;
    }
    vcpu_bring_up(d->vcpu[0]);
    return d;
}
