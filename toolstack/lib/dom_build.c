/* SPDX-License-Identifier: MIT */
/*
 * dom_build.c - build a PV64 domU from a parsed kernel and a layout, as
 *               xl create / libxenguest do (guest-abi.md section 3.1),
 *               through the typed hypercalls of hv.h.
 * Owns:    the build's sequence and the bytes it writes into the new
 *          domain: the kernel and ramdisk, the p2m, the initial page
 *          tables, start_info, the grant entries of the console and store
 *          rings; its vCPU 0's first context.
 * Touches: the new domain only, through hv.h: its memory (populated,
 *          mapped while written, unmapped before the L4 is pinned, since
 *          a frame dom0 maps writable cannot become a page table), its
 *          M2P entries, grant table, event channels, shared_info masks.
 * Trusts:  the dom_elf (dom_elf_parse() checked it) and the layout
 *          (dom_layout_compute() checked it); nothing the hypervisor says
 *          beyond its return codes.
 *
 * The sequence (each step's name is what a failure message says):
 *   layout; createdomain (paused); getdomaininfo (the shared_info frame);
 *   max_vcpus; max_mem; set_address_size (64); alloc_unbound for the
 *   store, then the console
 *   (remote: their backends); populate_physmap; M2P; map the bootstrap
 *   region (and the INIT_P2M region), zeroed; load the kernel, ramdisk;
 *   write the p2m, the page tables, start_info; unmap; seed grant refs 0
 *   and 1 (GNTTAB_RESERVED_CONSOLE, _XENSTORE) for the backends;
 *   hypercall_init if the kernel has a HYPERCALL_PAGE; mask every legacy
 *   vcpu_info's events; pin the L4 (which validates every table);
 *   setvcpucontext for vCPU 0. The domain stays paused. On any failure
 *   the domain is destroyed and err names the step and the error.
 */
#include "dom_build.h"
#include "hv.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/grant_table.h>

/* x86 paging (Intel SDM vol. 3A, 4.5): entry bits and table indexes. */
#define PTE_PRESENT   (1ULL << 0)
#define PTE_RW        (1ULL << 1)
#define PTE_USER      (1ULL << 2)
#define PTE_ACCESSED  (1ULL << 5)
#define PTE_DIRTY     (1ULL << 6)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define PT_ENTRIES    512
/* As libxenguest: every level user (the kernel runs in ring 3), RW. */
#define PT_TABLE_FLAGS (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED)
#define PT_PAGE_FLAGS  (PT_TABLE_FLAGS | PTE_DIRTY)

#define START_INFO_MAGIC   "xen-3.0-x86_64"
#define X86_EFLAGS_IF      (1ULL << 9)
#define DR6_DEFAULT        0xffff0ff0ULL     /* the reset values (SDM 17.2) */
#define DR7_DEFAULT        0x00000400ULL
/* libxl's defaults for a PV domain (libxl_create.c, xl.cfg(5)). */
#define MAXMEM_SLACK_KB    1024              /* LIBXL_MAXMEM_CONSTANT */
#define DEFAULT_EVTCHN_PORTS  1023
#define DEFAULT_GRANT_FRAMES  32
#define DEFAULT_MAPTRACK_FRAMES 1024
#define POPULATE_BATCH     4096              /* extents per hypercall */

struct build {
    struct hv *hv;
    const struct dom_build_params *p;
    struct dom_build_result *res;
    struct dom_layout *l;
    domid_t dom;
    bool created;
    xen_pfn_t *p2m;             /* pfn -> mfn, nr_pages entries          */
    uint8_t *map;               /* the bootstrap (+ p2m) region, mapped  */
    unsigned long map_pages;
    uint64_t shared_info_mfn;
    char *err;
    size_t errlen;
};

static int step_fail(struct build *b, const char *step, long rc, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));
static int step_fail(struct build *b, const char *step, long rc, const char *fmt,
                     ...)
{
    char detail[160] = "", dom_name[16];
    va_list ap;

    snprintf(dom_name, sizeof(dom_name), " as d%u", b->dom);
    if (fmt) {
        va_start(ap, fmt);
        vsnprintf(detail, sizeof(detail), fmt, ap);
        va_end(ap);
    }
    if (b->err && b->errlen)
        snprintf(b->err, b->errlen, "building %s%s: %s failed%s%s%s%s",
                 b->p->elf->name, b->created ? dom_name : "", step,
                 rc ? ": " : "", rc ? strerror((int)-rc) : "",
                 detail[0] ? ": " : "", detail);
    return -1;
}

/* The page of pseudo-physical frame pfn in the mapped region. */
static void *page_of(const struct build *b, uint64_t pfn)
{
    const struct dom_layout *l = b->l;

    if (pfn < l->bootstrap_pages)
        return b->map + pfn * DOM_PAGE_SIZE;
    return b->map + (l->bootstrap_pages + (pfn - l->p2m.pfn)) * DOM_PAGE_SIZE;
}

/* ---- the domain and its memory ----------------------------------------- */

static int create(struct build *b)
{
    struct hv_create c = {
        .max_vcpus = b->p->vcpus,
        .max_evtchn_port = DEFAULT_EVTCHN_PORTS,
        .max_grant_frames = DEFAULT_GRANT_FRAMES,
        .max_maptrack_frames = DEFAULT_MAPTRACK_FRAMES,
    };
    struct xen_domctl_getdomaininfo info;
    uint64_t maxmem = b->p->maxmem_bytes > b->p->mem_bytes ?
                      b->p->maxmem_bytes : b->p->mem_bytes;
    domid_t dom = 0;
    long rc;

    if ((rc = hv_createdomain(b->hv, &c, &dom)))
        return step_fail(b, "createdomain", rc, NULL);
    b->dom = dom;
    b->created = true;
    rc = hv_getdomaininfo(b->hv, dom, &info);
    if (rc == 0 && info.domain != dom)
        rc = -ESRCH;
    if (rc)
        return step_fail(b, "getdomaininfo", rc, NULL);
    b->shared_info_mfn = info.shared_info_frame;
    if ((rc = hv_max_vcpus(b->hv, dom, b->p->vcpus)))
        return step_fail(b, "max_vcpus", rc, "%u vCPUs", b->p->vcpus);
    if ((rc = hv_max_mem(b->hv, dom, (maxmem >> 10) + MAXMEM_SLACK_KB)))
        return step_fail(b, "max_mem", rc, "%lu KiB",
                         (unsigned long)(maxmem >> 10) + MAXMEM_SLACK_KB);
    /* what fixes the domain as 64-bit PV, as libxl's x86_compat() */
    if ((rc = hv_set_address_size(b->hv, dom, 64)))
        return step_fail(b, "set_address_size", rc, "64 bits");
    if ((rc = hv_evtchn_alloc_unbound(b->hv, dom, b->p->store_domid,
                                      &b->res->store_port)))
        return step_fail(b, "alloc_unbound (store)", rc, NULL);
    if ((rc = hv_evtchn_alloc_unbound(b->hv, dom, b->p->console_domid,
                                      &b->res->console_port)))
        return step_fail(b, "alloc_unbound (console)", rc, NULL);
    return 0;
}

static int populate(struct build *b)
{
    uint64_t n = b->l->nr_pages;
    long rc;

    b->p2m = malloc(n * sizeof(*b->p2m));
    if (!b->p2m)
        return step_fail(b, "populate_physmap", -ENOMEM, "p2m of %lu entries",
                         (unsigned long)n);
    for (uint64_t pfn = 0; pfn < n; pfn++)
        b->p2m[pfn] = pfn;
    for (uint64_t done = 0; done < n;) {
        unsigned long batch = n - done < POPULATE_BATCH ? n - done : POPULATE_BATCH;
        rc = hv_populate_physmap(b->hv, b->dom, b->p2m + done, batch);
        if (rc < 0 || (unsigned long)rc != batch)
            return step_fail(b, "populate_physmap", rc < 0 ? rc : -ENOMEM,
                             "%lu of %lu pages populated",
                             (unsigned long)(done + (rc > 0 ? rc : 0)),
                             (unsigned long)n);
        done += batch;
    }
    rc = hv_machphys_update(b->hv, b->dom, b->p2m, 0, n);
    if (rc)
        return step_fail(b, "M2P update (MMU_MACHPHYS_UPDATE)", rc, NULL);
    return 0;
}

/* Map the bootstrap region and the INIT_P2M region as one, zeroed. */
static int map_region(struct build *b)
{
    const struct dom_layout *l = b->l;
    unsigned long n = l->bootstrap_pages + (l->p2m_separate ?
                      l->pfn_end - l->p2m.pfn : 0);
    xen_pfn_t *mfns = malloc(n * sizeof(*mfns));
    int rc = -ENOMEM;

    if (mfns) {
        memcpy(mfns, b->p2m, l->bootstrap_pages * sizeof(*mfns));
        if (l->p2m_separate)
            memcpy(mfns + l->bootstrap_pages, b->p2m + l->p2m.pfn,
                   (n - l->bootstrap_pages) * sizeof(*mfns));
        b->map = hv_map_foreign(b->hv, b->dom, mfns, n, &rc);
        free(mfns);
    }
    if (!b->map)
        return step_fail(b, "mapping the domain's memory", rc, "%lu pages", n);
    b->map_pages = n;
    memset(b->map, 0, n * DOM_PAGE_SIZE);
    return 0;
}

static void unmap_region(struct build *b)
{
    if (b->map)
        hv_unmap_foreign(b->hv, b->map, b->map_pages);
    b->map = NULL;
}

/* ---- what the domain finds at start of day ----------------------------- */

static int load_images(struct build *b)
{
    const struct dom_layout *l = b->l;
    char why[DOM_ERR_MAX];

    if (dom_elf_load(b->p->elf, b->map, l->virt_base,
                     l->bootstrap_pages * DOM_PAGE_SIZE, why, sizeof(why)))
        return step_fail(b, "loading the kernel", 0, "%s", why);
    if (b->p->ramdisk_len)
        memcpy(page_of(b, l->ramdisk.pfn), b->p->ramdisk, b->p->ramdisk_len);
    memcpy(page_of(b, l->p2m.pfn), b->p2m, l->nr_pages * sizeof(*b->p2m));
    return 0;
}

/* The pfn of the table an entry points to (one of the layout's tables). */
static int64_t table_pfn(const struct build *b, uint64_t pte)
{
    const struct dom_layout *l = b->l;
    uint64_t mfn = (pte & PTE_ADDR_MASK) >> DOM_PAGE_SHIFT;
    const struct dom_seg *segs[2] = { &l->pgtables, &l->p2m_pt };

    for (int s = 0; s < 2; s++)
        for (uint64_t i = 0; i < segs[s]->pages; i++)
            if (b->p2m[segs[s]->pfn + i] == mfn)
                return (int64_t)(segs[s]->pfn + i);
    return -1;
}

struct pt_alloc {
    uint64_t next, end;         /* pfns of the tables still free */
};

/* The table below entry *e, taking the next free one if there is none. */
static uint64_t *next_level(struct build *b, uint64_t *e, struct pt_alloc *a)
{
    int64_t pfn;

    if (!(*e & PTE_PRESENT)) {
        if (a->next == a->end)
            return NULL;
        *e = (b->p2m[a->next] << DOM_PAGE_SHIFT) | PT_TABLE_FLAGS;
        return page_of(b, a->next++);
    }
    pfn = table_pfn(b, *e);
    return pfn < 0 ? NULL : page_of(b, (uint64_t)pfn);
}

static int map_range(struct build *b, const struct dom_map *m, struct pt_alloc *a)
{
    uint64_t *l4 = page_of(b, b->l->pgtables.pfn);

    for (uint64_t i = 0; i < m->pages; i++) {
        uint64_t va = m->va + i * DOM_PAGE_SIZE, pfn = m->pfn + i;
        uint64_t *l3 = next_level(b, &l4[(va >> 39) % PT_ENTRIES], a);
        uint64_t *l2 = l3 ? next_level(b, &l3[(va >> 30) % PT_ENTRIES], a) : NULL;
        uint64_t *l1 = l2 ? next_level(b, &l2[(va >> 21) % PT_ENTRIES], a) : NULL;
        uint64_t flags = PT_PAGE_FLAGS;

        if (!l1)
            return step_fail(b, "building the page tables", 0, "%lu tables are "
                             "too few to map %#lx", (unsigned long)(a->end -
                             b->l->pgtables.pfn), (unsigned long)va);
        if (dom_layout_is_pgtable(b->l, pfn))
            flags &= ~PTE_RW;           /* a page table is never writable */
        l1[(va >> 12) % PT_ENTRIES] = (b->p2m[pfn] << DOM_PAGE_SHIFT) | flags;
    }
    return 0;
}

static int build_pgtables(struct build *b)
{
    const struct dom_layout *l = b->l;
    struct pt_alloc boot = { l->pgtables.pfn + 1, l->pgtables.pfn + l->pgtables.pages };
    struct pt_alloc p2m = { l->p2m_pt.pfn, l->p2m_pt.pfn + l->p2m_pt.pages };

    if (map_range(b, &l->maps[0], &boot))
        return -1;
    return l->nr_maps > 1 ? map_range(b, &l->maps[1], &p2m) : 0;
}

static void fill_start_info(struct build *b)
{
    const struct dom_layout *l = b->l;
    struct start_info *si = page_of(b, l->start_info.pfn);

    memcpy(si->magic, START_INFO_MAGIC, sizeof(START_INFO_MAGIC));
    si->nr_pages = l->nr_pages;
    si->shared_info = b->shared_info_mfn << DOM_PAGE_SHIFT;
    si->flags = 0;
    si->store_mfn = b->p2m[l->xenstore.pfn];
    si->store_evtchn = b->res->store_port;
    si->console.domU.mfn = b->p2m[l->console.pfn];
    si->console.domU.evtchn = b->res->console_port;
    si->pt_base = l->pgtables.va;
    si->nr_pt_frames = l->nr_pt_frames;
    si->mfn_list = l->p2m.va;
    if (l->ramdisk_len) {
        si->mod_start = l->mod_start;
        si->mod_len = l->ramdisk_len;
        if (b->p->elf->mod_start_pfn)
            si->flags |= SIF_MOD_START_PFN;
    }
    if (l->p2m_separate) {
        si->first_p2m_pfn = l->p2m.pfn;
        si->nr_p2m_frames = l->p2m.pages + l->p2m_pt.pages;
    }
    snprintf((char *)si->cmd_line, sizeof(si->cmd_line), "%s",
             b->p->cmdline ? b->p->cmdline : "");
    b->res->store_mfn = si->store_mfn;
    b->res->console_mfn = si->console.domU.mfn;
}

/* ---- the hypervisor's part --------------------------------------------- */

/* Grant refs 0 and 1 to the console and store backends (xc_dom_gnttab_seed). */
static int seed_grants(struct build *b)
{
    xen_pfn_t frame;
    grant_entry_v1_t *g;
    long rc;
    int mrc = 0;

    if ((rc = hv_gnttab_setup_table(b->hv, b->dom, 1, &frame)))
        return step_fail(b, "gnttab setup_table", rc, NULL);
    g = hv_map_foreign(b->hv, b->dom, &frame, 1, &mrc);
    if (!g)
        return step_fail(b, "mapping the grant table", mrc, NULL);
    if (b->p->console_domid != b->dom) {
        g[GNTTAB_RESERVED_CONSOLE].domid = b->p->console_domid;
        g[GNTTAB_RESERVED_CONSOLE].frame = (uint32_t)b->res->console_mfn;
        g[GNTTAB_RESERVED_CONSOLE].flags = GTF_permit_access;
    }
    if (b->p->store_domid != b->dom) {
        g[GNTTAB_RESERVED_XENSTORE].domid = b->p->store_domid;
        g[GNTTAB_RESERVED_XENSTORE].frame = (uint32_t)b->res->store_mfn;
        g[GNTTAB_RESERVED_XENSTORE].flags = GTF_permit_access;
    }
    hv_unmap_foreign(b->hv, g, 1);
    return 0;
}

/* Events masked on every legacy vcpu_info until the kernel unmasks them. */
static int mask_events(struct build *b)
{
    xen_pfn_t mfn = b->shared_info_mfn;
    struct shared_info *s;
    int rc = 0;

    s = hv_map_foreign(b->hv, b->dom, &mfn, 1, &rc);
    if (!s)
        return step_fail(b, "mapping shared_info", rc, NULL);
    for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        s->vcpu_info[i].evtchn_upcall_mask = 1;
    hv_unmap_foreign(b->hv, s, 1);
    return 0;
}

static int start_vcpu(struct build *b)
{
    const struct dom_layout *l = b->l;
    struct vcpu_guest_context *c = calloc(1, sizeof(*c));
    xen_pfn_t l4 = b->p2m[l->pgtables.pfn];
    long rc;

    if (!c)
        return step_fail(b, "setvcpucontext", -ENOMEM, NULL);
    if ((rc = hv_pin_table(b->hv, b->dom, 4, l4))) {
        free(c);
        return step_fail(b, "pinning the L4 (MMUEXT_PIN_L4_TABLE)", rc,
                         "mfn %#lx", (unsigned long)l4);
    }
    c->flags = VGCF_in_kernel | VGCF_online;
    c->user_regs.rip = l->entry;
    c->user_regs.rsp = l->stack_top;
    c->user_regs.rsi = l->start_info.va;
    c->user_regs.rflags = X86_EFLAGS_IF;
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
    c->user_regs.fs = c->user_regs.gs = FLAT_KERNEL_DS;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = l->stack_top;
    c->ctrlreg[3] = xen_pfn_to_cr3(l4);
    c->debugreg[6] = DR6_DEFAULT;
    c->debugreg[7] = DR7_DEFAULT;
    rc = hv_setvcpucontext(b->hv, b->dom, 0, c);
    free(c);
    return rc ? step_fail(b, "setvcpucontext", rc, "vCPU 0") : 0;
}

static int run_steps(struct build *b)
{
    const struct dom_layout *l = b->l;
    long rc;

    if (create(b) || populate(b) || map_region(b) || load_images(b) ||
        build_pgtables(b))
        return -1;
    fill_start_info(b);
    unmap_region(b);
    if (seed_grants(b))
        return -1;
    if (l->hypercall_pfn != DOM_UNSET &&
        (rc = hv_hypercall_init(b->hv, b->dom, b->p2m[l->hypercall_pfn])))
        return step_fail(b, "hypercall_init", rc, NULL);
    return mask_events(b) || start_vcpu(b) ? -1 : 0;
}

int dom_build(struct hv *hv, const struct dom_build_params *p,
              struct dom_build_result *res, char *err, size_t errlen)
{
    struct dom_layout_params lp = { .elf = p->elf, .mem_bytes = p->mem_bytes,
                                    .ramdisk_len = p->ramdisk_len,
                                    .vcpus = p->vcpus };
    struct build b = { .hv = hv, .p = p, .res = res, .l = &res->layout,
                       .err = err, .errlen = errlen };
    char why[DOM_ERR_MAX];
    int rc;

    memset(res, 0, sizeof(*res));
    if (dom_layout_compute(&lp, &res->layout, why, sizeof(why))) {
        snprintf(err, errlen, "%s: %s", p->elf->name, why);
        return -1;
    }
    rc = run_steps(&b);
    unmap_region(&b);
    free(b.p2m);
    if (rc && b.created)
        hv_destroydomain(hv, b.dom);
    res->domid = rc ? 0 : b.dom;
    return rc;
}
