/* SPDX-License-Identifier: MIT */
/*
 * test_dom_build.c - the domain builder (toolstack/lib/dom_build.c) over
 *                    a fake hypervisor, on the host.
 * Owns:    the fake: every hv.h function dom_build.c calls, over a
 *          simulated machine of 4 KiB frames (MFNs handed out from the
 *          top down, so a pfn/mfn mix-up shows), a log of the calls, and
 *          failure injection at the Nth call; the unit-dom_build cases.
 * Touches: nothing but the builder's sources (compiled in; no hv.c).
 *
 * What is checked, against guest-abi.md 3.1 (xl create's sequence):
 *  - the sequence of hypercalls, and that no mapping of the domain's
 *    memory is live when the L4 is pinned (Xen refuses to type a frame
 *    dom0 maps writable as a page table; the fake refuses too);
 *  - the result, read back through the fake's frames only as the guest
 *    would find it: start_info from rsi, the p2m from start_info's
 *    mfn_list through the page tables, every mapped page's translation
 *    and write permission (page tables read-only), the number of tables
 *    reachable from the L4, the M2P, the kernel's and ramdisk's bytes,
 *    grant refs 0 and 1, the masks in shared_info, vCPU 0's registers;
 *  - a failure injected at every call, one build per call: the build
 *    stops, the error names the step, the domain is destroyed (unless
 *    it was never created), nothing stays mapped.
 *
 * The oracle, Xen 4.17.7 (run-xen.sh, dom0 pvkernel with its privcmd
 * device, `pvbuild -w 30 -c noselftest /boot/domu.elf 32` from
 * tests/toolstack/pvbuild.c over this very sequence): every call
 * succeeds, MMU_MACHPHYS_UPDATE with foreigndom the new domain included;
 * the domU (pvkernel) runs and powers off, "d1 shut down, code 0, 8192
 * pages". pvisor gives the same once foreign MMUEXT_PIN_L4_TABLE and Xen's
 * MMU_MACHPHYS_UPDATE check (pt_owner, not pg_owner, must be the caller)
 * are in (the sysctl branch's foreign operations); without them the build
 * stops at "M2P update (MMU_MACHPHYS_UPDATE) failed: Operation not
 * permitted", and d1 is destroyed with every frame back.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_runner.h"
#include "dom_build.h"
#include "elf_builder.h"
#include "hv.h"
#include <xen/elfnote.h>
#include <xen/grant_table.h>

#define VB        0xffffffff80000000ULL
#define MiB       (1ULL << 20)
#define PG        4096UL
#define NFRAMES   (8192 + 16)
#define MFN_BASE  0x40000ULL
#define DOMID     7
#define SHINFO_IDX 0            /* frames the "hypervisor" owns for d7 */
#define GNTTAB_IDX 1
#define MAX_LOG   64

static const char *pvkernel_path;

/* ---- the fake hypervisor ------------------------------------------------ */

static struct fake {
    uint8_t (*mem)[PG];
    uint64_t next_idx;                 /* allocation goes downwards */
    int calls, fail_at;
    char log[MAX_LOG][32];
    int nlog;
    bool created, destroyed, unpaused;
    uint32_t create_vcpus, max_vcpus;
    uint64_t max_kb;
    uint32_t address_size;
    evtchn_port_t next_port;
    domid_t remote[2];
    uint64_t populated;
    int64_t m2p[NFRAMES];
    bool owned[NFRAMES];
    xen_pfn_t hypercall_gmfn, pinned_l4;
    unsigned int pin_level;
    struct vcpu_guest_context ctx;
    int live_maps;
    struct { void *addr; unsigned long n; xen_pfn_t mfns[NFRAMES]; } *map[8];
} f;

/*
 * The hot helpers test with plain ifs: a passing ck_assert() costs a write
 * to Check's pipe, and these run for every page of every build.
 */
#define require(cond, ...) do { if (!(cond)) ck_abort_msg(__VA_ARGS__); } while (0)

static uint8_t *frame(xen_pfn_t mfn)
{
    require(mfn >= MFN_BASE && mfn < MFN_BASE + NFRAMES, "mfn %#lx is no frame",
            (unsigned long)mfn);
    return f.mem[mfn - MFN_BASE];
}

static void fake_reset(int fail_at)
{
    uint8_t (*mem)[PG] = f.mem;

    for (int i = 0; i < 8; i++)
        free(f.map[i]);
    memset(&f, 0, sizeof(f));
    f.mem = mem ? mem : calloc(NFRAMES, PG);
    memset(f.mem, 0x5a, NFRAMES * PG);          /* not zeroed, as Xen's */
    memset(f.mem[SHINFO_IDX], 0, PG);
    memset(f.mem[GNTTAB_IDX], 0, PG);
    f.owned[SHINFO_IDX] = f.owned[GNTTAB_IDX] = true;
    f.next_idx = NFRAMES - 1;
    f.next_port = 1;
    f.fail_at = fail_at;
    for (int i = 0; i < NFRAMES; i++)
        f.m2p[i] = -1;
}

/* Log a call; true if this is the one to fail. */
static bool step(const char *name)
{
    if (f.nlog < MAX_LOG)
        snprintf(f.log[f.nlog++], sizeof(f.log[0]), "%s", name);
    return ++f.calls == f.fail_at;
}

static void check_dom(domid_t dom)
{
    ck_assert(f.created && !f.destroyed);
    ck_assert_uint_eq(dom, DOMID);
}

int hv_createdomain(struct hv *h, const struct hv_create *c, domid_t *domid)
{
    (void)h;
    if (step("createdomain"))
        return -ENOMEM;
    f.created = true;
    f.create_vcpus = c->max_vcpus;
    *domid = DOMID;
    return 0;
}

int hv_getdomaininfo(struct hv *h, domid_t dom, struct xen_domctl_getdomaininfo *i)
{
    (void)h;
    if (step("getdomaininfo"))
        return -ESRCH;
    check_dom(dom);
    memset(i, 0, sizeof(*i));
    i->domain = dom;
    i->shared_info_frame = MFN_BASE + SHINFO_IDX;
    return 0;
}

int hv_max_vcpus(struct hv *h, domid_t dom, uint32_t max)
{
    (void)h;
    if (step("max_vcpus"))
        return -EINVAL;
    check_dom(dom);
    f.max_vcpus = max;
    return 0;
}

int hv_max_mem(struct hv *h, domid_t dom, uint64_t kb)
{
    (void)h;
    if (step("max_mem"))
        return -ENOMEM;
    check_dom(dom);
    f.max_kb = kb;
    return 0;
}

int hv_set_address_size(struct hv *h, domid_t dom, uint32_t bits)
{
    (void)h;
    if (step("set_address_size"))
        return -EINVAL;
    check_dom(dom);
    f.address_size = bits;
    return 0;
}

int hv_evtchn_alloc_unbound(struct hv *h, domid_t dom, domid_t remote,
                            evtchn_port_t *port)
{
    (void)h;
    if (step("alloc_unbound"))
        return -ENOSPC;
    check_dom(dom);
    f.remote[f.next_port - 1] = remote;
    *port = f.next_port++;
    return 0;
}

long hv_populate_physmap(struct hv *h, domid_t dom, xen_pfn_t *frames,
                         unsigned long n)
{
    (void)h;
    if (step("populate_physmap"))
        return -ENOMEM;
    check_dom(dom);
    for (unsigned long i = 0; i < n; i++) {
        require(f.next_idx > GNTTAB_IDX, "the fake machine is full");
        f.owned[f.next_idx] = true;
        f.m2p[f.next_idx] = (int64_t)frames[i];    /* Xen sets it too */
        frames[i] = MFN_BASE + f.next_idx--;
        f.populated++;
    }
    return (long)n;
}

int hv_machphys_update(struct hv *h, domid_t dom, const xen_pfn_t *mfns,
                       uint64_t first_pfn, unsigned long n)
{
    (void)h;
    if (step("machphys_update"))
        return -EPERM;
    check_dom(dom);
    for (unsigned long i = 0; i < n; i++) {
        require(f.owned[mfns[i] - MFN_BASE], "M2P of a frame not d7's");
        f.m2p[mfns[i] - MFN_BASE] = (int64_t)(first_pfn + i);
    }
    return 0;
}

void *hv_map_foreign(struct hv *h, domid_t dom, const xen_pfn_t *mfns,
                     unsigned long n, int *rc)
{
    int slot;

    (void)h;
    if (step("map_foreign")) {
        *rc = -ENOMEM;
        return NULL;
    }
    check_dom(dom);
    for (slot = 0; slot < 8 && f.map[slot]; slot++)
        ;
    ck_assert_int_lt(slot, 8);
    ck_assert_uint_le(n, NFRAMES);
    f.map[slot] = calloc(1, sizeof(*f.map[0]));
    f.map[slot]->addr = malloc(n * PG);
    f.map[slot]->n = n;
    for (unsigned long i = 0; i < n; i++) {
        require(f.owned[mfns[i] - MFN_BASE], "mfn %#lx not d7's",
                (unsigned long)mfns[i]);
        f.map[slot]->mfns[i] = mfns[i];
        memcpy((uint8_t *)f.map[slot]->addr + i * PG, frame(mfns[i]), PG);
    }
    f.live_maps++;
    return f.map[slot]->addr;
}

int hv_unmap_foreign(struct hv *h, void *addr, unsigned long n)
{
    (void)h;
    step("unmap_foreign");
    f.calls--;                          /* unmapping is never failed */
    for (int s = 0; s < 8; s++) {
        if (!f.map[s] || f.map[s]->addr != addr)
            continue;
        ck_assert_uint_eq(n, f.map[s]->n);
        for (unsigned long i = 0; i < n; i++)
            memcpy(frame(f.map[s]->mfns[i]), (uint8_t *)addr + i * PG, PG);
        free(addr);
        free(f.map[s]);
        f.map[s] = NULL;
        f.live_maps--;
        return 0;
    }
    ck_abort_msg("unmap of an address never mapped");
    return -EINVAL;
}

int hv_gnttab_setup_table(struct hv *h, domid_t dom, uint32_t n, xen_pfn_t *fr)
{
    (void)h;
    if (step("gnttab_setup_table"))
        return -EINVAL;
    check_dom(dom);
    ck_assert_uint_eq(n, 1);
    fr[0] = MFN_BASE + GNTTAB_IDX;
    return 0;
}

int hv_hypercall_init(struct hv *h, domid_t dom, xen_pfn_t gmfn)
{
    (void)h;
    if (step("hypercall_init"))
        return -EINVAL;
    check_dom(dom);
    f.hypercall_gmfn = gmfn;
    memset(frame(gmfn), 0xcc, PG);
    return 0;
}

int hv_pin_table(struct hv *h, domid_t dom, unsigned int level, xen_pfn_t mfn)
{
    (void)h;
    if (step("pin_table"))
        return -EINVAL;
    check_dom(dom);
    if (f.live_maps)                    /* a frame mapped writable by dom0 */
        return -EINVAL;
    f.pin_level = level;
    f.pinned_l4 = mfn;
    return 0;
}

int hv_setvcpucontext(struct hv *h, domid_t dom, uint32_t vcpu,
                      struct vcpu_guest_context *ctx)
{
    (void)h;
    if (step("setvcpucontext"))
        return -EINVAL;
    check_dom(dom);
    ck_assert_uint_eq(vcpu, 0);
    f.ctx = *ctx;
    return 0;
}

int hv_destroydomain(struct hv *h, domid_t dom)
{
    (void)h;
    step("destroydomain");
    f.calls--;
    check_dom(dom);
    f.destroyed = true;
    return 0;
}

int hv_unpausedomain(struct hv *h, domid_t dom)
{
    (void)h;
    (void)dom;
    f.unpaused = true;
    return 0;
}

/* ---- reading the built domain as its vCPU would ------------------------- */

#define PTE_P  1ULL
#define PTE_RW 2ULL
#define PTE_U  4ULL
#define ADDR   0x000ffffffffff000ULL

/* va -> mfn through the pinned L4; *rw: writable at every level. */
static bool translate(uint64_t va, xen_pfn_t *mfn, bool *rw)
{
    uint64_t e = f.pinned_l4 << 12 | PTE_P | PTE_RW | PTE_U;
    static const int shift[4] = { 39, 30, 21, 12 };

    *rw = true;
    for (int lv = 0; lv < 4; lv++) {
        const uint64_t *t = (const uint64_t *)frame((e & ADDR) >> 12);
        e = t[(va >> shift[lv]) & 511];
        if (!(e & PTE_P))
            return false;
        require(e & PTE_U, "va %#lx: level %d not user", (unsigned long)va, lv);
        *rw = *rw && (e & PTE_RW);
    }
    *mfn = (e & ADDR) >> 12;
    return true;
}

static void *guest_ptr(uint64_t va)
{
    xen_pfn_t mfn;
    bool rw;

    require(translate(va, &mfn, &rw), "va %#lx not mapped", (unsigned long)va);
    return frame(mfn) + (va & (PG - 1));
}

/* Tables reachable from the L4, each counted once. */
static unsigned int count_tables(xen_pfn_t mfn, int level)
{
    const uint64_t *t = (const uint64_t *)frame(mfn);
    unsigned int n = 1;

    if (level == 1)
        return 1;
    for (int i = 0; i < 512; i++)
        if (t[i] & PTE_P)
            n += count_tables((t[i] & ADDR) >> 12, level - 1);
    return n;
}

static struct elf_builder eb;
static struct dom_elf elf;
static struct dom_build_result res;
static char err[DOM_ERR_MAX];
static struct hv hv = { .fd = -1 };
static uint8_t ramdisk[10000];

static int build(uint64_t mem, const void *rd, size_t rd_len, const char *cmd)
{
    struct dom_build_params p = {
        .elf = &elf, .ramdisk = rd, .ramdisk_len = rd_len, .mem_bytes = mem,
        .vcpus = 2, .cmdline = cmd, .console_domid = 0, .store_domid = 0,
    };

    return dom_build(&hv, &p, &res, err, sizeof(err));
}

static void check_built(uint64_t mem, const uint8_t *rd, size_t rd_len,
                        const char *cmd)
{
    const struct dom_layout *l = &res.layout;
    const struct start_info *si;
    const grant_entry_v1_t *g;
    const struct shared_info *sh;
    uint64_t nr = mem / PG;

    ck_assert_uint_eq(res.domid, DOMID);
    ck_assert(!f.destroyed && !f.unpaused);
    ck_assert_int_eq(f.live_maps, 0);
    ck_assert_uint_eq(f.create_vcpus, 2);
    ck_assert_uint_eq(f.max_vcpus, 2);
    ck_assert_uint_eq(f.max_kb, (mem >> 10) + 1024);
    ck_assert_uint_eq(f.address_size, 64);
    ck_assert_uint_eq(f.populated, nr);
    ck_assert_uint_eq(f.pin_level, 4);
    /* vCPU 0 */
    ck_assert_uint_eq(f.ctx.user_regs.rip, elf.entry);
    ck_assert_uint_eq(f.ctx.user_regs.rsp, l->stack_top);
    ck_assert_uint_eq(f.ctx.kernel_sp, l->stack_top);
    ck_assert_uint_eq(f.ctx.user_regs.cs, FLAT_KERNEL_CS);
    ck_assert_uint_eq(f.ctx.user_regs.ss, FLAT_KERNEL_SS);
    ck_assert_uint_eq(f.ctx.kernel_ss, FLAT_KERNEL_SS);
    ck_assert_uint_eq(f.ctx.flags, VGCF_in_kernel | VGCF_online);
    ck_assert_uint_eq(f.ctx.user_regs.rflags, 1 << 9);
    ck_assert_uint_eq(f.ctx.ctrlreg[3], f.pinned_l4 << 12);
    /* start_info, where rsi says */
    si = guest_ptr(f.ctx.user_regs.rsi);
    ck_assert_str_eq(si->magic, "xen-3.0-x86_64");
    ck_assert_uint_eq(si->nr_pages, nr);
    ck_assert_uint_eq(si->shared_info, (MFN_BASE + SHINFO_IDX) << 12);
    ck_assert_uint_eq(si->store_evtchn, 1);           /* store first, as libxl */
    ck_assert_uint_eq(si->console.domU.evtchn, 2);
    ck_assert_uint_eq(f.remote[0], 0);
    ck_assert_uint_eq(f.remote[1], 0);
    ck_assert_uint_eq(si->store_mfn, res.store_mfn);
    ck_assert_uint_eq(si->console.domU.mfn, res.console_mfn);
    ck_assert_uint_eq(si->pt_base, l->pgtables.va);
    ck_assert_uint_eq(si->nr_pt_frames, l->nr_pt_frames);
    ck_assert_uint_eq(si->mfn_list, l->p2m.va);
    ck_assert_str_eq((const char *)si->cmd_line, cmd ? cmd : "");
    ck_assert_uint_eq(si->mod_len, rd_len);
    ck_assert_uint_eq(si->flags, rd_len && elf.mod_start_pfn ? SIF_MOD_START_PFN : 0);
    if (l->p2m_separate) {
        ck_assert_uint_eq(si->first_p2m_pfn, l->p2m.pfn);
        ck_assert_uint_eq(si->nr_p2m_frames, l->p2m.pages + l->p2m_pt.pages);
    } else {
        ck_assert_uint_eq(si->first_p2m_pfn, 0);
    }
    /* the p2m, through the tables, against the M2P and every mapping */
    for (uint64_t pfn = 0; pfn < nr; pfn++) {
        xen_pfn_t mfn = *(const xen_pfn_t *)guest_ptr(si->mfn_list + pfn * 8);
        require(f.m2p[mfn - MFN_BASE] == (int64_t)pfn, "M2P of pfn %#lx",
                (unsigned long)pfn);
    }
    for (unsigned int m = 0; m < l->nr_maps; m++)
        for (uint64_t i = 0; i < l->maps[m].pages; i++) {
            uint64_t pfn = l->maps[m].pfn + i, va = l->maps[m].va + i * PG;
            xen_pfn_t mfn, want = *(const xen_pfn_t *)guest_ptr(si->mfn_list + pfn * 8);
            bool rw;
            require(translate(va, &mfn, &rw) && mfn == want, "va %#lx",
                    (unsigned long)va);
            require(rw == !dom_layout_is_pgtable(l, pfn), "pfn %#lx rw %d",
                    (unsigned long)pfn, rw);
        }
    ck_assert_uint_eq(count_tables(f.pinned_l4, 4),
                      l->pgtables.pages + l->p2m_pt.pages);
    ck_assert_uint_eq(f.pinned_l4, *(const xen_pfn_t *)guest_ptr(
                      si->mfn_list + l->pgtables.pfn * 8));
    /* the rings zeroed, the ramdisk where mod_start says */
    for (size_t i = 0; i < PG; i++)
        require(!frame(si->store_mfn)[i] && !frame(si->console.domU.mfn)[i],
                "ring byte %zu not zero", i);
    if (rd_len) {
        uint64_t va = elf.mod_start_pfn ? l->virt_base + si->mod_start * PG :
                                          si->mod_start;
        for (size_t i = 0; i < rd_len; i++)
            require(*(uint8_t *)guest_ptr(va + i) == rd[i], "ramdisk byte %zu", i);
    }
    /* grant refs 0 and 1 for dom0's console and store */
    g = (const grant_entry_v1_t *)frame(MFN_BASE + GNTTAB_IDX);
    ck_assert_uint_eq(g[GNTTAB_RESERVED_CONSOLE].flags, GTF_permit_access);
    ck_assert_uint_eq(g[GNTTAB_RESERVED_CONSOLE].domid, 0);
    ck_assert_uint_eq(g[GNTTAB_RESERVED_CONSOLE].frame, si->console.domU.mfn);
    ck_assert_uint_eq(g[GNTTAB_RESERVED_XENSTORE].flags, GTF_permit_access);
    ck_assert_uint_eq(g[GNTTAB_RESERVED_XENSTORE].frame, si->store_mfn);
    ck_assert_uint_eq(g[2].flags, 0);
    sh = (const struct shared_info *)frame(MFN_BASE + SHINFO_IDX);
    for (int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
        require(sh->vcpu_info[i].evtchn_upcall_mask == 1, "vcpu_info %d", i);
    /* the hypercall page, filled after the kernel was loaded */
    if (elf.hypercall_page != DOM_UNSET) {
        xen_pfn_t mfn;
        bool rw;
        ck_assert(translate(elf.hypercall_page, &mfn, &rw));
        ck_assert_uint_eq(f.hypercall_gmfn, mfn);
        ck_assert_uint_eq(frame(mfn)[100], 0xcc);
    } else {
        ck_assert_uint_eq(f.hypercall_gmfn, 0);
    }
}

/* A pvkernel-like image: 12 KiB of text (0xaa), 8 KiB of bss. */
static void small_kernel(bool linux_like)
{
    uint64_t base = linux_like ? 0x200000 : 0;

    eb_begin(&eb, VB + base + 0x100);
    eb_note_str(&eb, XEN_ELFNOTE_GUEST_OS, linux_like ? "linux" : "testos");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_str(&eb, XEN_ELFNOTE_LOADER, "generic");
    eb_note_num(&eb, XEN_ELFNOTE_VIRT_BASE, VB, 8);
    if (linux_like) {
        eb_note_num(&eb, XEN_ELFNOTE_INIT_P2M, 0x8000000000ULL, 8);
        eb_note_num(&eb, XEN_ELFNOTE_MOD_START_PFN, 1, 4);
    } else {
        eb_note_num(&eb, XEN_ELFNOTE_HYPERCALL_PAGE, VB + 0x1000, 8);
    }
    eb_note_phdr(&eb);
    eb_load(&eb, base, 0x3000, 0x5000, 0xaa);
    ck_assert_int_eq(dom_elf_parse("small.elf", eb.buf, eb.size, &elf, err,
                                   sizeof(err)), 0);
}

static const char *const expected_sequence[] = {
    "createdomain", "getdomaininfo", "max_vcpus", "max_mem",
    "set_address_size", "alloc_unbound",
    "alloc_unbound", "populate_physmap", "machphys_update", "map_foreign",
    "unmap_foreign", "gnttab_setup_table", "map_foreign", "unmap_foreign",
    "hypercall_init", "map_foreign", "unmap_foreign", "pin_table",
    "setvcpucontext",
};

START_TEST(build_small)
{
    size_t n = sizeof(expected_sequence) / sizeof(expected_sequence[0]);

    for (size_t i = 0; i < sizeof(ramdisk); i++)
        ramdisk[i] = (uint8_t)(i * 7 + 1);
    small_kernel(false);
    fake_reset(0);
    ck_assert_msg(build(16 * MiB, ramdisk, sizeof(ramdisk), "console=hvc0 x=1") == 0,
                  "%s", err);
    ck_assert_int_eq(f.nlog, (int)n);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(f.log[i], expected_sequence[i]);
    check_built(16 * MiB, ramdisk, sizeof(ramdisk), "console=hvc0 x=1");
    /* the kernel's bytes and its zeroed bss */
    ck_assert_uint_eq(*(uint8_t *)guest_ptr(VB), 0xaa);
    ck_assert_uint_eq(*(uint8_t *)guest_ptr(VB + 0x2fff), 0xaa);
    ck_assert_uint_eq(*(uint8_t *)guest_ptr(VB + 0x3000), 0);
    ck_assert_uint_eq(*(uint8_t *)guest_ptr(VB + 0x4fff), 0);
    dom_elf_free(&elf);
}
END_TEST

START_TEST(build_init_p2m)
{
    small_kernel(true);
    fake_reset(0);
    ck_assert_msg(build(8 * MiB, ramdisk, 5000, NULL) == 0, "%s", err);
    ck_assert(res.layout.p2m_separate);
    check_built(8 * MiB, ramdisk, 5000, NULL);
    dom_elf_free(&elf);
}
END_TEST

START_TEST(build_pvkernel)
{
    void *d;
    size_t n;

    if (!pvkernel_path)
        return;
    ck_assert_int_eq(dom_read_file(pvkernel_path, &d, &n, err, sizeof(err)), 0);
    ck_assert_int_eq(dom_elf_parse("pvkernel.elf", d, n, &elf, err, sizeof(err)), 0);
    fake_reset(0);
    ck_assert_msg(build(32 * MiB, NULL, 0, "noselftest") == 0, "%s", err);
    check_built(32 * MiB, NULL, 0, "noselftest");
    dom_elf_free(&elf);
    free(d);
}
END_TEST

/* Every call fails once: the build stops and undoes itself. */
START_TEST(failure_at_each_step)
{
    int total;

    small_kernel(false);
    fake_reset(0);
    ck_assert_int_eq(build(16 * MiB, ramdisk, 100, NULL), 0);
    total = f.calls;
    ck_assert_int_ge(total, 15);
    for (int k = 1; k <= total; k++) {
        fake_reset(k);
        ck_assert_int_eq(build(16 * MiB, ramdisk, 100, NULL), -1);
        ck_assert_msg(strstr(err, " failed") != NULL, "step %d: %s", k, err);
        ck_assert_msg(strncmp(err, "building small.elf", 18) == 0, "%s", err);
        ck_assert_int_eq(f.live_maps, 0);
        ck_assert_uint_eq(res.domid, 0);
        ck_assert(!f.unpaused);
        if (k == 1) {
            ck_assert(!f.destroyed);
            ck_assert_str_eq(err, "building small.elf: createdomain failed: "
                             "Cannot allocate memory");
        } else {
            ck_assert_msg(f.destroyed, "step %d (%s) left d7 alive", k,
                          f.log[k - 1]);
            ck_assert_msg(strstr(err, "as d7: ") != NULL, "%s", err);
        }
    }
    fake_reset(4);
    ck_assert_int_eq(build(16 * MiB, ramdisk, 100, NULL), -1);
    ck_assert_str_eq(err, "building small.elf as d7: max_mem failed: Cannot "
                     "allocate memory: 17408 KiB");
    dom_elf_free(&elf);
}
END_TEST

/* A layout that does not fit makes no hypercall at all. */
START_TEST(refused_before_any_hypercall)
{
    small_kernel(false);
    fake_reset(0);
    ck_assert_int_eq(build(4 * MiB, ramdisk, 4 * MiB, NULL), -1);
    ck_assert_int_eq(f.nlog, 0);
    ck_assert_str_eq(err, "small.elf: memory = 4 MiB is too small: the start-of-"
                     "day layout needs 1029 pages (5 MiB) up to the ramdisk, "
                     "the domain has 1024");
    dom_elf_free(&elf);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("dom_build");
    TCase *t = tcase_create("dom_build");

    pvkernel_path = argc > 1 ? argv[1] : NULL;
    tcase_set_timeout(t, 60);
    tcase_add_test(t, build_small);
    tcase_add_test(t, build_init_p2m);
    tcase_add_test(t, build_pvkernel);
    tcase_add_test(t, failure_at_each_step);
    tcase_add_test(t, refused_before_any_hypercall);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
