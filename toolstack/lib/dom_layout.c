/* SPDX-License-Identifier: MIT */
/*
 * dom_layout.c - where a PV64 domain's start-of-day pieces go: pure
 *                arithmetic over the kernel's notes, its memory, its
 *                ramdisk and vCPUs, with no hypercall and no I/O.
 * Owns:    struct dom_layout; counting the initial page tables.
 * Touches: nothing.
 * Trusts:  the struct dom_elf it is given (dom_elf_parse() checked it);
 *          refuses, with a message, what does not fit.
 *
 * libxenguest's order and rules (xg_dom_core.c, xg_dom_x86.c), which
 * Mini-OS and Linux rely on (guest-abi.md 1.1): pfn = (va - virt_base) /
 * 4K inside the bootstrap mapping, so the kernel starts at the pfn its
 * distance from VIRT_BASE gives (Linux: 16 MiB in, pfn 0x1000), then
 *
 *   kernel | ramdisk | p2m (unless INIT_P2M) | start_info | xenstore |
 *   console | page tables | boot stack | padding
 *
 * each page-aligned. The bootstrap mapping covers [virt_base, virt_end):
 * virt_end is the first 4 MiB boundary that leaves at least 512 KiB
 * after the boot stack, and the page tables are counted for exactly that
 * range (one L4, then an L3, L2 and L1 per 512 GiB, 1 GiB and 2 MiB block
 * touched), growing the range and recounting until they fit, as
 * alloc_pgtables_pv() does. Mini-OS takes every pfn after the page tables
 * and stack as free, so they are the last thing allocated inside it.
 *
 * INIT_P2M (Linux: 512 GiB), honoured as libxenguest does when it is a
 * page-aligned address below VIRT_BASE: the p2m goes after the bootstrap
 * region, mapped at that address, with its own page tables after it
 * (start_info.first_p2m_pfn and nr_p2m_frames cover both). Otherwise the
 * note is ignored and the p2m sits in the bootstrap region.
 *
 * The ramdisk is always inside the bootstrap mapping; with MOD_START_PFN
 * start_info gives its pfn, else its VA (libxenguest leaves it unmapped
 * after everything else when the kernel says MOD_START_PFN; both are
 * what the kernel asked for, and one layout is simpler to check).
 */
#include "dom_build.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PAGE            DOM_PAGE_SIZE
#define BOOT_ALIGN      (4ULL << 20)     /* virt_end's alignment          */
#define BOOT_PADDING    (512ULL << 10)   /* at least this after the stack */
#define L4_SHIFT        39               /* an L3 table maps 512 GiB      */
#define L3_SHIFT        30               /* an L2 table maps 1 GiB        */
#define L2_SHIFT        21               /* an L1 table maps 2 MiB        */
/* Xen's reserved L4 slots 256-271 and the non-canonical hole around them. */
#define HV_HOLE_START   0x0000800000000000ULL
#define HV_HOLE_END     0xffff880000000000ULL

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static uint64_t pages_of(uint64_t bytes)
{
    return bytes / PAGE + (bytes % PAGE != 0);
}

/* Tables at one level: the blocks of 2^shift bytes the ranges touch. */
static uint64_t count_level(const struct dom_map *m, unsigned int n,
                            unsigned int shift)
{
    uint64_t total = 0;

    for (unsigned int i = 0; i < n; i++) {
        uint64_t lo = m[i].va >> shift;
        uint64_t hi = (m[i].va + m[i].pages * PAGE - 1) >> shift;
        if (m[i].pages == 0)
            continue;
        total += hi - lo + 1;
        for (unsigned int j = 0; j < i; j++) {      /* shared with earlier */
            uint64_t plo = m[j].va >> shift;
            uint64_t phi = (m[j].va + m[j].pages * PAGE - 1) >> shift;
            uint64_t a = lo > plo ? lo : plo, b = hi < phi ? hi : phi;
            if (m[j].pages && a <= b)
                total -= b - a + 1;
        }
    }
    return total;
}

/* Exact for the one or two disjoint ranges a layout has. */
uint64_t dom_count_pgtables(const struct dom_map *maps, unsigned int n)
{
    return 1 + count_level(maps, n, L4_SHIFT) + count_level(maps, n, L3_SHIFT) +
           count_level(maps, n, L2_SHIFT);
}

/* Is [va, va + pages * 4K) guest address space: canonical, not Xen's? */
static bool guest_range(uint64_t va, uint64_t pages)
{
    uint64_t last;

    if (pages == 0)
        return true;
    if (pages > (1ULL << (64 - DOM_PAGE_SHIFT)) - 1)
        return false;
    last = va + (pages * PAGE - 1);
    if (last < va)
        return false;                   /* wraps past 2^64 */
    return last < HV_HOLE_START || va >= HV_HOLE_END;
}

static void seg_at(struct dom_seg *s, const struct dom_layout *l, uint64_t pfn,
                   uint64_t pages)
{
    s->pfn = pfn;
    s->pages = pages;
    s->va = l->virt_base + pfn * PAGE;
}

static int too_small(const struct dom_layout *l, uint64_t need, const char *what,
                     char *err, size_t errlen)
{
    return fail(err, errlen, "memory = %lu MiB is too small: the start-of-day "
                "layout needs %lu pages (%lu MiB) up to the %s, the domain has "
                "%lu", (unsigned long)(l->nr_pages >> 8), (unsigned long)need,
                (unsigned long)((need + 255) >> 8), what,
                (unsigned long)l->nr_pages);
}

/* Page tables and boot stack: grow virt_end until the tables fit. */
static int place_pgtables(struct dom_layout *l, uint64_t next, char *err,
                          size_t errlen)
{
    const uint64_t extra = 1 + BOOT_PADDING / PAGE;   /* stack + padding */
    uint64_t pages = extra, n_pt = 0, end_pfn = 0;
    struct dom_map m = { .va = l->virt_base, .pfn = 0 };

    for (int tries = 0; tries < 64; tries++) {
        /* virt_end - virt_base in pages, the end rounded to 4 MiB */
        uint64_t want = next + pages;
        if (want > l->nr_pages)
            return too_small(l, want, "page tables and boot stack", err, errlen);
        uint64_t end = l->virt_base + want * PAGE;
        uint64_t rounded = (end + BOOT_ALIGN - 1) & ~(BOOT_ALIGN - 1);
        if (end < l->virt_base || rounded < end)
            return fail(err, errlen, "the bootstrap region from %#lx wraps "
                        "around the address space",
                        (unsigned long)l->virt_base);
        end_pfn = (rounded - l->virt_base) / PAGE;
        m.pages = end_pfn;
        n_pt = dom_count_pgtables(&m, 1);
        pages = n_pt + extra;
        if (next + pages <= end_pfn)
            break;
    }
    if (next + pages > end_pfn)         /* never: each try grows by 4 MiB */
        return fail(err, errlen, "page tables for the bootstrap region do not "
                    "converge");
    seg_at(&l->pgtables, l, next, n_pt);
    seg_at(&l->stack, l, next + n_pt, 1);
    l->bootstrap_pages = end_pfn;
    l->virt_end = l->virt_base + end_pfn * PAGE;
    l->nr_pt_frames = n_pt;
    l->maps[0] = m;
    l->nr_maps = 1;
    if (end_pfn > l->nr_pages)
        return too_small(l, end_pfn, "4 MiB-aligned end of the bootstrap "
                         "region", err, errlen);
    if (!guest_range(l->virt_base, end_pfn))
        return fail(err, errlen, "the bootstrap region [%#lx, %#lx) is not guest "
                    "address space (non-canonical or the hypervisor's)",
                    (unsigned long)l->virt_base, (unsigned long)l->virt_end);
    return 0;
}

/* INIT_P2M: the p2m after the bootstrap region, at the note's address. */
static int place_p2m_separate(struct dom_layout *l, uint64_t p2m_pages,
                              char *err, size_t errlen)
{
    uint64_t pfn = l->bootstrap_pages, n_pt;

    l->p2m.pfn = pfn;
    l->p2m.pages = p2m_pages;
    l->p2m.va = l->maps[1].va;
    if (!guest_range(l->p2m.va, p2m_pages) ||
        l->p2m.va + p2m_pages * PAGE > l->virt_base)
        return fail(err, errlen, "INIT_P2M: the p2m at [%#lx, +%lu pages) is not "
                    "guest address space below VIRT_BASE",
                    (unsigned long)l->p2m.va, (unsigned long)p2m_pages);
    l->maps[1].pfn = pfn;
    l->maps[1].pages = p2m_pages;
    l->nr_maps = 2;
    n_pt = dom_count_pgtables(l->maps, 2) - dom_count_pgtables(l->maps, 1);
    l->p2m_pt.pfn = pfn + p2m_pages;
    l->p2m_pt.pages = n_pt;
    l->p2m_pt.va = 0;                   /* not mapped */
    l->pfn_end = l->p2m_pt.pfn + n_pt;
    if (l->pfn_end > l->nr_pages)
        return too_small(l, l->pfn_end, "p2m at INIT_P2M", err, errlen);
    return 0;
}

static int check_params(const struct dom_layout_params *p, struct dom_layout *l,
                        char *err, size_t errlen)
{
    const struct dom_elf *e = p->elf;

    if (p->vcpus < 1 || p->vcpus > DOM_MAX_VCPUS)
        return fail(err, errlen, "vcpus = %u: between 1 and %d", p->vcpus,
                    DOM_MAX_VCPUS);
    if (p->mem_bytes < ((uint64_t)DOM_MIN_MEM_MB << 20))
        return fail(err, errlen, "memory = %lu KiB is too small: at least %d MiB",
                    (unsigned long)(p->mem_bytes >> 10), DOM_MIN_MEM_MB);
    if (p->mem_bytes >> 40)
        return fail(err, errlen, "memory = %lu MiB is more than 1 TiB",
                    (unsigned long)(p->mem_bytes >> 20));
    if (e->kstart % PAGE)
        return fail(err, errlen, "the kernel starts at %#lx, not on a page",
                    (unsigned long)e->kstart);
    l->nr_pages = p->mem_bytes / PAGE;
    l->virt_base = e->virt_base;
    l->vcpus = p->vcpus;
    l->ramdisk_len = p->ramdisk_len;
    l->entry = e->entry;
    return 0;
}

int dom_layout_compute(const struct dom_layout_params *p, struct dom_layout *l,
                       char *err, size_t errlen)
{
    const struct dom_elf *e = p->elf;
    uint64_t next, p2m_pages;
    bool separate;

    memset(l, 0, sizeof(*l));
    if (check_params(p, l, err, errlen))
        return -1;
    p2m_pages = pages_of(l->nr_pages * sizeof(xen_pfn_t));
    separate = e->p2m_base != DOM_UNSET && e->p2m_base < e->virt_base &&
               e->p2m_base % PAGE == 0;
    next = (e->kstart - e->virt_base) / PAGE;
    if (next + pages_of(e->kend - e->kstart) > l->nr_pages)
        return too_small(l, next + pages_of(e->kend - e->kstart), "kernel",
                         err, errlen);
    seg_at(&l->kernel, l, next, pages_of(e->kend - e->kstart));
    next += l->kernel.pages;
    if (p->ramdisk_len > l->nr_pages * PAGE ||
        next + pages_of(p->ramdisk_len) > l->nr_pages)
        return too_small(l, next + pages_of(p->ramdisk_len), "ramdisk", err,
                         errlen);
    seg_at(&l->ramdisk, l, next, pages_of(p->ramdisk_len));
    next += l->ramdisk.pages;
    if (!separate) {
        seg_at(&l->p2m, l, next, p2m_pages);
        next += p2m_pages;
    }
    seg_at(&l->start_info, l, next++, 1);
    seg_at(&l->xenstore, l, next++, 1);
    seg_at(&l->console, l, next++, 1);
    if (place_pgtables(l, next, err, errlen))
        return -1;
    l->pfn_end = l->bootstrap_pages;
    l->p2m_separate = separate;
    l->maps[1].va = e->p2m_base;
    if (separate && place_p2m_separate(l, p2m_pages, err, errlen))
        return -1;
    l->stack_top = l->stack.va + PAGE;
    l->hypercall_pfn = e->hypercall_page == DOM_UNSET ? DOM_UNSET :
                       (e->hypercall_page - e->virt_base) / PAGE;
    if (p->ramdisk_len)
        l->mod_start = e->mod_start_pfn ? l->ramdisk.pfn : l->ramdisk.va;
    return 0;
}

bool dom_layout_is_pgtable(const struct dom_layout *l, uint64_t pfn)
{
    return (pfn >= l->pgtables.pfn && pfn - l->pgtables.pfn < l->pgtables.pages) ||
           (pfn >= l->p2m_pt.pfn && pfn - l->p2m_pt.pfn < l->p2m_pt.pages);
}

static void line(void (*out)(void *, const char *), void *ctx, const char *what,
                 const struct dom_seg *s)
{
    char buf[160];

    if (!s->pages)
        return;
    snprintf(buf, sizeof(buf), "  %-12s pfn %#8lx-%#8lx  va %#018lx (%lu page%s)",
             what, (unsigned long)s->pfn, (unsigned long)(s->pfn + s->pages - 1),
             (unsigned long)s->va, (unsigned long)s->pages, s->pages > 1 ? "s" : "");
    out(ctx, buf);
}

void dom_layout_print(const struct dom_layout *l,
                      void (*out)(void *ctx, const char *line), void *ctx)
{
    char buf[160];

    snprintf(buf, sizeof(buf), "  memory       %lu pages (%lu MiB), %u vCPU%s",
             (unsigned long)l->nr_pages, (unsigned long)(l->nr_pages >> 8),
             l->vcpus, l->vcpus > 1 ? "s" : "");
    out(ctx, buf);
    line(out, ctx, "kernel", &l->kernel);
    line(out, ctx, "ramdisk", &l->ramdisk);
    line(out, ctx, "p2m", &l->p2m);
    line(out, ctx, "p2m tables", &l->p2m_pt);
    line(out, ctx, "start_info", &l->start_info);
    line(out, ctx, "xenstore", &l->xenstore);
    line(out, ctx, "console", &l->console);
    line(out, ctx, "page tables", &l->pgtables);
    line(out, ctx, "boot stack", &l->stack);
    snprintf(buf, sizeof(buf), "  mapped       [%#lx, %#lx), entry %#lx, rsp %#lx",
             (unsigned long)l->virt_base, (unsigned long)l->virt_end,
             (unsigned long)l->entry, (unsigned long)l->stack_top);
    out(ctx, buf);
}
