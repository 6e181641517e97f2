/* SPDX-License-Identifier: MIT */
/*
 * test_dom_layout.c - the start-of-day layout (toolstack/lib/dom_layout.c)
 *                     on the host.
 * Owns:    the unit-dom_layout cases: layouts for three kinds of kernel
 *          (Mini-OS at VA 0, pvkernel at -2 GiB, Linux 16 MiB above
 *          VIRT_BASE with INIT_P2M and MOD_START_PFN) over memory sizes,
 *          vCPUs and ramdisks, each checked against the invariants below;
 *          and every refusal.
 * Touches: nothing but the library under test.
 *
 * Invariants (libxenguest's layout, what Mini-OS and Linux assume,
 * guest-abi.md 1.1 and 3.1 step 16/18):
 *  - every segment inside memory, none overlapping, in libxc's order,
 *    the page tables and boot stack last inside the bootstrap region;
 *  - va = virt_base + pfn * 4K inside the bootstrap mapping;
 *  - the bootstrap region ends on 4 MiB with at least 512 KiB after the
 *    boot stack; the p2m holds nr_pages entries;
 *  - the page-table count suffices: simulated here by building the
 *    tables of every mapped page from the counted frames, as dom_build.c
 *    does, and it is exact (every counted frame is used).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_runner.h"
#include "dom_build.h"

#define VB       0xffffffff80000000ULL
#define MiB      (1ULL << 20)
#define PG       DOM_PAGE_SIZE

static struct dom_layout lay;
static char err[DOM_ERR_MAX];

/* Mini-OS: linked at 0, no VIRT_BASE, a HYPERCALL_PAGE. */
static const struct dom_elf minios = {
    .name = "mini-os", .virt_base = 0, .entry = 0, .kstart = 0,
    .kend = 0x5a000, .hypercall_page = 0x1000, .p2m_base = DOM_UNSET,
};
/* pvkernel: at -2 GiB, 2.2 MiB of image and bss. */
static const struct dom_elf pvkernel = {
    .name = "pvkernel.elf", .virt_base = VB, .entry = VB, .kstart = VB,
    .kend = VB + 0x23a010, .hypercall_page = VB + 0x1000, .p2m_base = DOM_UNSET,
};
/* Linux 6.1: 16 MiB above VIRT_BASE, 30 MiB, INIT_P2M at 512 GiB. */
static const struct dom_elf linux_k = {
    .name = "vmlinux", .virt_base = VB, .entry = VB + 0x1000000 + 0x1c0,
    .kstart = VB + 0x1000000, .kend = VB + 0x1000000 + 30 * MiB,
    .hypercall_page = DOM_UNSET, .p2m_base = 0x8000000000ULL,
    .mod_start_pfn = true,
};

static int compute(const struct dom_elf *e, uint64_t mem, uint64_t rd,
                   unsigned int vcpus)
{
    struct dom_layout_params p = { .elf = e, .mem_bytes = mem,
                                   .ramdisk_len = rd, .vcpus = vcpus };

    return dom_layout_compute(&p, &lay, err, sizeof(err));
}

static bool overlap(const struct dom_seg *a, const struct dom_seg *b)
{
    return a->pages && b->pages && a->pfn < b->pfn + b->pages &&
           b->pfn < a->pfn + a->pages;
}

/*
 * Build the tables for every mapped page, taking frames from the
 * layout's page-table segments in order; fail if they run out. Returns
 * the frames used. Tables are identified by the (level, index) path.
 */
struct sim_table { uint64_t key; int level; };
static uint64_t simulate(const struct dom_layout *l, uint64_t *p2m_tables_used)
{
    enum { MAX_T = 4096 };
    static struct sim_table seen[MAX_T];
    unsigned int n = 0;
    uint64_t used[2] = { 1, 0 };                   /* the L4 */

    for (unsigned int m = 0; m < l->nr_maps; m++) {
        for (uint64_t i = 0; i < l->maps[m].pages; i++) {
            uint64_t va = l->maps[m].va + i * PG;
            static const int shifts[3] = { 39, 30, 21 };
            for (int lv = 0; lv < 3; lv++) {
                uint64_t key = va >> shifts[lv];
                unsigned int k;
                for (k = 0; k < n; k++)
                    if (seen[k].level == lv && seen[k].key == key)
                        break;
                if (k == n) {
                    ck_assert_uint_lt(n, MAX_T);
                    seen[n++] = (struct sim_table){ key, lv };
                    used[m]++;
                }
            }
        }
    }
    *p2m_tables_used = used[1];
    return used[0];
}

static void check_invariants(const struct dom_elf *e, uint64_t mem, uint64_t rd,
                             unsigned int vcpus)
{
    const struct dom_layout *l = &lay;
    const struct dom_seg *order[] = { &l->kernel, &l->ramdisk, &l->p2m,
        &l->start_info, &l->xenstore, &l->console, &l->pgtables, &l->stack };
    const struct dom_seg *all[] = { &l->kernel, &l->ramdisk, &l->p2m,
        &l->start_info, &l->xenstore, &l->console, &l->pgtables, &l->stack,
        &l->p2m_pt };
    uint64_t p2m_used, boot_used, prev_end = 0;

    ck_assert_uint_eq(l->nr_pages, mem / PG);
    ck_assert_uint_eq(l->vcpus, vcpus);
    ck_assert_uint_le(l->pfn_end, l->nr_pages);
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        ck_assert_uint_le(all[i]->pfn + all[i]->pages, l->pfn_end);
        for (size_t j = 0; j < i; j++)
            ck_assert_msg(!overlap(all[i], all[j]), "segments %zu and %zu overlap",
                          i, j);
    }
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        if (!order[i]->pages || order[i] == &l->p2m)
            continue;
        ck_assert_uint_ge(order[i]->pfn, prev_end);
        ck_assert_uint_eq(order[i]->va, l->virt_base + order[i]->pfn * PG);
        prev_end = order[i]->pfn + order[i]->pages;
    }
    /* the kernel where its distance from VIRT_BASE puts it */
    ck_assert_uint_eq(l->kernel.pfn, (e->kstart - e->virt_base) / PG);
    ck_assert_uint_ge(l->kernel.pages * PG, e->kend - e->kstart);
    ck_assert_uint_ge(l->ramdisk.pages * PG, rd);
    ck_assert_uint_eq(l->start_info.pages + l->xenstore.pages + l->console.pages, 3);
    ck_assert_uint_eq(l->stack.pages, 1);
    ck_assert_uint_eq(l->stack.pfn, l->pgtables.pfn + l->pgtables.pages);
    /* the bootstrap region */
    ck_assert_uint_eq(l->virt_end % (4 * MiB), 0);
    ck_assert_uint_eq(l->virt_end, l->virt_base + l->bootstrap_pages * PG);
    ck_assert_uint_ge(l->virt_end - (l->stack.va + PG), 512 << 10);
    ck_assert_uint_eq(l->stack_top, l->stack.va + PG);
    ck_assert_uint_eq(l->entry, e->entry);
    ck_assert_uint_eq(l->maps[0].va, l->virt_base);
    ck_assert_uint_eq(l->maps[0].pages, l->bootstrap_pages);
    /* the p2m: nr_pages entries, inside or at INIT_P2M */
    ck_assert_uint_ge(l->p2m.pages * PG, l->nr_pages * 8);
    if (l->p2m_separate) {
        ck_assert_uint_eq(l->p2m.va, e->p2m_base);
        ck_assert_uint_eq(l->p2m.pfn, l->bootstrap_pages);
        ck_assert_uint_eq(l->nr_maps, 2);
        ck_assert_uint_eq(l->maps[1].pfn, l->p2m.pfn);
        ck_assert_uint_eq(l->maps[1].pages, l->p2m.pages);
    } else {
        ck_assert_uint_eq(l->nr_maps, 1);
        ck_assert_uint_eq(l->p2m.pfn, l->ramdisk.pfn + l->ramdisk.pages);
        ck_assert_uint_eq(l->pfn_end, l->bootstrap_pages);
    }
    /* the page tables: enough, and exactly as many as are used */
    boot_used = simulate(l, &p2m_used);
    ck_assert_uint_eq(boot_used, l->pgtables.pages);
    ck_assert_uint_eq(l->nr_pt_frames, l->pgtables.pages);
    ck_assert_uint_eq(p2m_used, l->p2m_pt.pages);
    for (uint64_t i = 0; i < l->pgtables.pages; i++)
        ck_assert(dom_layout_is_pgtable(l, l->pgtables.pfn + i));
    ck_assert(!dom_layout_is_pgtable(l, l->stack.pfn));
    ck_assert(!dom_layout_is_pgtable(l, l->kernel.pfn));
    /* start_info's views of the ramdisk and the hypercall page */
    if (rd)
        ck_assert_uint_eq(l->mod_start, e->mod_start_pfn ? l->ramdisk.pfn :
                          l->ramdisk.va);
    if (e->hypercall_page != DOM_UNSET) {
        ck_assert_uint_ge(l->hypercall_pfn, l->kernel.pfn);
        ck_assert_uint_lt(l->hypercall_pfn, l->kernel.pfn + l->kernel.pages);
    }
}

START_TEST(many_layouts)
{
    static const struct dom_elf *const kernels[] = { &minios, &pvkernel, &linux_k };
    static const uint64_t mems[] = { 4, 8, 16, 33, 64, 128, 512, 1024, 4096 };
    static const uint64_t rds[] = { 0, 1, 4095, 4096, 4097, 3 * MiB + 17, 20 * MiB };
    unsigned int ok = 0;

    for (size_t k = 0; k < 3; k++)
        for (size_t m = 0; m < sizeof(mems) / sizeof(mems[0]); m++)
            for (size_t r = 0; r < sizeof(rds) / sizeof(rds[0]); r++) {
                unsigned int vcpus = 1 + (unsigned int)((k + m + r) % DOM_MAX_VCPUS);
                uint64_t mem = mems[m] * MiB;
                if (compute(kernels[k], mem, rds[r], vcpus)) {
                    /* refused only when it does not fit, and says so */
                    ck_assert_msg(strstr(err, "too small") != NULL, "%s", err);
                    ck_assert_uint_le(mems[m], 64);
                    continue;
                }
                check_invariants(kernels[k], mem, rds[r], vcpus);
                ok++;
            }
    ck_assert_uint_ge(ok, 150);
}
END_TEST

/* The figures a reader can check by hand (docs: toolstack/README.md). */
START_TEST(pvkernel_32m)
{
    ck_assert_int_eq(compute(&pvkernel, 32 * MiB, 0, 1), 0);
    ck_assert_uint_eq(lay.kernel.pfn, 0);
    ck_assert_uint_eq(lay.kernel.pages, 0x23b);
    ck_assert_uint_eq(lay.p2m.pfn, 0x23b);
    ck_assert_uint_eq(lay.p2m.pages, 16);       /* 8192 entries */
    ck_assert_uint_eq(lay.start_info.pfn, 0x24b);
    ck_assert_uint_eq(lay.xenstore.pfn, 0x24c);
    ck_assert_uint_eq(lay.console.pfn, 0x24d);
    ck_assert_uint_eq(lay.pgtables.pfn, 0x24e);
    ck_assert_uint_eq(lay.pgtables.pages, 5);   /* L4, L3, L2, 2 L1s */
    ck_assert_uint_eq(lay.stack.pfn, 0x253);
    ck_assert_uint_eq(lay.virt_end, VB + 4 * MiB);
    ck_assert_uint_eq(lay.stack_top, VB + 0x254000);
}
END_TEST

START_TEST(linux_init_p2m)
{
    ck_assert_int_eq(compute(&linux_k, 256 * MiB, 10 * MiB, 2), 0);
    ck_assert(lay.p2m_separate);
    ck_assert_uint_eq(lay.kernel.pfn, 0x1000);
    ck_assert_uint_eq(lay.mod_start, lay.ramdisk.pfn);
    ck_assert_uint_eq(lay.p2m.va, 0x8000000000ULL);
    ck_assert_uint_eq(lay.p2m.pages, 128);
    ck_assert_uint_eq(lay.p2m_pt.pages, 3);     /* its own L3, L2, L1 */
    ck_assert_uint_eq(lay.pfn_end, lay.p2m_pt.pfn + 3);
}
END_TEST

/* INIT_P2M above VIRT_BASE or unaligned is ignored, as libxenguest does. */
START_TEST(init_p2m_ignored)
{
    struct dom_elf e = linux_k;

    e.p2m_base = VB + 0x40000000ULL;
    ck_assert_int_eq(compute(&e, 128 * MiB, 0, 1), 0);
    ck_assert(!lay.p2m_separate);
    check_invariants(&e, 128 * MiB, 0, 1);
    e.p2m_base = 0x8000000123ULL;
    ck_assert_int_eq(compute(&e, 128 * MiB, 0, 1), 0);
    ck_assert(!lay.p2m_separate);
}
END_TEST

/* A kernel whose region crosses a 512 GiB and a 1 GiB line. */
START_TEST(tables_across_boundaries)
{
    struct dom_elf e = pvkernel;

    e.virt_base = e.kstart = e.entry = 0x7fffff000000ULL;  /* 16 MiB below 2^47 */
    e.kend = e.kstart + 0x100000;
    e.hypercall_page = DOM_UNSET;
    ck_assert_int_eq(compute(&e, 64 * MiB, 20 * MiB, 1), -1); /* into the hole */
    ck_assert_ptr_nonnull(strstr(err, "not guest address space"));
    e.virt_base = e.kstart = e.entry = 0x7fff000000ULL;    /* 16 MiB below 512 GiB */
    e.kend = e.kstart + 0x100000;
    ck_assert_int_eq(compute(&e, 64 * MiB, 20 * MiB, 1), 0);
    check_invariants(&e, 64 * MiB, 20 * MiB, 1);
    ck_assert_uint_ge(lay.pgtables.pages, 1 + 2 + 2 + 12);
}
END_TEST

START_TEST(refusals)
{
    struct dom_elf e = pvkernel;

    ck_assert_int_eq(compute(&linux_k, 16 * MiB, 0, 1), -1);
    ck_assert_ptr_nonnull(strstr(err, "memory = 16 MiB is too small"));
    ck_assert_ptr_nonnull(strstr(err, "kernel"));
    ck_assert_int_eq(compute(&pvkernel, 8 * MiB, 8 * MiB, 1), -1);
    ck_assert_ptr_nonnull(strstr(err, "too small"));
    ck_assert_ptr_nonnull(strstr(err, "ramdisk"));
    ck_assert_int_eq(compute(&pvkernel, 4 * MiB, 1536 << 10, 1), -1);
    ck_assert_ptr_nonnull(strstr(err, "page tables and boot stack"));
    ck_assert_int_eq(compute(&pvkernel, 1 * MiB, 0, 1), -1);
    ck_assert_str_eq(err, "memory = 1024 KiB is too small: at least 4 MiB");
    ck_assert_int_eq(compute(&pvkernel, 64 * MiB, 0, 0), -1);
    ck_assert_str_eq(err, "vcpus = 0: between 1 and 8");
    ck_assert_int_eq(compute(&pvkernel, 64 * MiB, 0, 9), -1);
    ck_assert_str_eq(err, "vcpus = 9: between 1 and 8");
    ck_assert_int_eq(compute(&pvkernel, 2ULL << 40, 0, 1), -1);
    ck_assert_ptr_nonnull(strstr(err, "more than 1 TiB"));
    e.kstart = VB + 0x800;
    ck_assert_int_eq(compute(&e, 64 * MiB, 0, 1), -1);
    ck_assert_ptr_nonnull(strstr(err, "not on a page"));
    e = pvkernel;                               /* in Xen's slots */
    e.virt_base = e.kstart = e.entry = 0xffff800000000000ULL;
    e.kend = e.kstart + 0x1000;
    e.hypercall_page = DOM_UNSET;
    ck_assert_int_eq(compute(&e, 64 * MiB, 0, 1), -1);
    ck_assert_ptr_nonnull(strstr(err, "not guest address space"));
    e.virt_base = e.kstart = e.entry = 0xfffffffffff00000ULL;   /* wraps */
    e.kend = e.kstart + 0x1000;
    ck_assert_int_eq(compute(&e, 64 * MiB, 0, 1), -1);
    ck_assert_ptr_nonnull(strstr(err, "wraps around"));
}
END_TEST

static void strcat_line(void *ctx, const char *line)
{
    strcat(ctx, line);
    strcat(ctx, "\n");
}

START_TEST(print_lines)
{
    char out[2048] = "";

    ck_assert_int_eq(compute(&pvkernel, 32 * MiB, 4096, 1), 0);
    dom_layout_print(&lay, strcat_line, out);
    ck_assert_ptr_nonnull(strstr(out, "page tables  pfn"));
    ck_assert_ptr_nonnull(strstr(out, "ramdisk"));
    ck_assert_ptr_nonnull(strstr(out, "entry 0xffffffff80000000"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dom_layout");
    TCase *t = tcase_create("dom_layout");

    tcase_set_timeout(t, 60);
    tcase_add_test(t, many_layouts);
    tcase_add_test(t, pvkernel_32m);
    tcase_add_test(t, linux_init_p2m);
    tcase_add_test(t, init_p2m_ignored);
    tcase_add_test(t, tables_across_boundaries);
    tcase_add_test(t, refusals);
    tcase_add_test(t, print_lines);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
