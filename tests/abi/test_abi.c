/* SPDX-License-Identifier: MIT */
/*
 * test_abi.c - ABI conformance: abi/ against Xen 4.17's public headers.
 * Owns:    the abi-conformance test (Check).
 * Touches: the four tables from abi_table.c, abi_compare(), and the values
 *          abi_asm.S assembled from our headers with __ASSEMBLY__.
 *
 * Every item of abi_items.def (constants, sizes, alignments, offsets,
 * field sizes, signedness, strings) and abi_manual.def must agree between
 * our headers and Xen's, in the guest view and in the hypervisor's view.
 * The remaining tests show the comparison would catch a difference, and
 * that README.md's item counts are these tables' (README_MD, from
 * tests/abi/meson.build).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi_item.h"

#ifndef README_MD
#error "README_MD (the path of README.md) must be defined"
#endif
#define README_MAX (256 * 1024)

/* Collects reports: prints them and keeps the last one. */
struct sink {
    size_t count;
    int quiet;
    char last[700];
};

static void sink_report(void *ctx, const char *line)
{
    struct sink *s = ctx;

    s->count++;
    snprintf(s->last, sizeof(s->last), "%s", line);
    if (!s->quiet)
        fprintf(stderr, "ABI MISMATCH: %s\n", line);
}

static void check_view(const struct abi_table *ours,
                       const struct abi_table *xen)
{
    struct sink s = { 0 };
    size_t bad = abi_compare(ours, xen, sink_report, &s);

    printf("%s vs %s: %zu items checked, %zu mismatches\n",
           ours->label, xen->label, ours->count, bad);
    ck_assert_msg(bad == 0, "%zu of %zu ABI items differ from Xen's "
                  "(%s vs %s); see ABI MISMATCH lines", bad, ours->count,
                  ours->label, xen->label);
    ck_assert_uint_eq(s.count, bad);
}

START_TEST(guest_view_matches_xen)
{
    check_view(&abi_ours_guest, &abi_xen_guest);
}
END_TEST

START_TEST(hypervisor_view_matches_xen)
{
    check_view(&abi_ours_xen, &abi_xen_xen);
}
END_TEST

static size_t count_kind(const struct abi_table *t, const char *prefix)
{
    size_t i, n = 0;

    for (i = 0; i < t->count; i++)
        if (strncmp(t->items[i].name, prefix, strlen(prefix)) == 0)
            n++;
    return n;
}

static const struct abi_item *find(const struct abi_table *t,
                                   const char *name)
{
    size_t i;

    for (i = 0; i < t->count; i++)
        if (strcmp(t->items[i].name, name) == 0)
            return &t->items[i];
    return NULL;
}

/* The list is not empty, has every kind, and holds the items we rely on. */
START_TEST(list_is_substantial)
{
    static const char *const kinds[] = {
        "CONST ", "STRING ", "SIZE ", "OFFSET ", "FLEX ", "EXPR ",
    };
    static const char *const musts[] = {
        "CONST __HYPERVISOR_mmu_update", "CONST XEN_EINVAL",
        "CONST MMUEXT_PIN_L4_TABLE", "SIZE struct start_info",
        "SIZE struct shared_info", "OFFSET struct vcpu_info, time",
        "OFFSET struct start_info, console.domU.mfn",
        "SIZE struct vcpu_guest_context", "CONST HYPERVISOR_VIRT_START",
        "OFFSET struct cpu_user_regs, saved_upcall_mask",
    };
    const struct abi_table *all[] = {
        &abi_ours_guest, &abi_ours_xen, &abi_xen_guest, &abi_xen_xen,
    };
    size_t i;

    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        ck_assert_msg(all[i]->count > 1000, "%s has only %zu items",
                      all[i]->label, all[i]->count);
    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        ck_assert_msg(count_kind(&abi_ours_guest, kinds[i]) > 0,
                      "no %sitems in the list", kinds[i]);
    for (i = 0; i < sizeof(musts) / sizeof(musts[0]); i++)
        ck_assert_msg(find(&abi_ours_guest, musts[i]) != NULL,
                      "%s is not checked", musts[i]);
    ck_assert_ptr_nonnull(find(&abi_ours_xen, "CONST XEN_ERESTART"));
    ck_assert_ptr_null(find(&abi_ours_guest, "CONST XEN_ERESTART"));
}
END_TEST

/* README.md, its blanks (newlines too) each made one space; NULL if none. */
static char *read_readme(void)
{
    static char text[README_MAX];
    FILE *f = fopen(README_MD, "r");
    size_t n = 0;
    int c, blank = 0;

    if (!f)
        return NULL;
    while ((c = fgetc(f)) != EOF && n < sizeof(text) - 1) {
        if (c == ' ' || c == '\n' || c == '\t') {
            if (!blank)
                text[n++] = ' ';
            blank = 1;
        } else {
            text[n++] = (char)c;
            blank = 0;
        }
    }
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The number (digits, commas between them) right before " "needle, or -1. */
static long number_before(const char *text, const char *needle)
{
    const char *at = strstr(text, needle), *p;
    long v = 0;

    if (!at || at == text || at[-1] != ' ')
        return -1;
    p = at - 1;
    while (p > text && ((p[-1] >= '0' && p[-1] <= '9') || p[-1] == ','))
        p--;
    if (p == at - 1)
        return -1;
    for (; p < at - 1; p++)
        if (*p != ',')
            v = v * 10 + (*p - '0');
    return v;
}

/*
 * The README's figures are the ones this test checks: "N items in the
 * guest view, M in the hypervisor view" in its Tests section.
 */
START_TEST(readme_counts_are_current)
{
    const char *text = read_readme();
    long guest, xen;

    ck_assert_msg(text != NULL, "cannot read %s", README_MD);
    guest = number_before(text, "items in the guest view");
    xen = number_before(text, "in the hypervisor view");
    ck_assert_msg(guest == (long)abi_ours_guest.count,
                  "README.md says %ld items in the guest view, this test checks "
                  "%zu: write %zu there (Tests, abi)", guest,
                  abi_ours_guest.count, abi_ours_guest.count);
    ck_assert_msg(xen == (long)abi_ours_xen.count,
                  "README.md says %ld in the hypervisor view, this test checks "
                  "%zu: write %zu there (Tests, abi)", xen, abi_ours_xen.count,
                  abi_ours_xen.count);
}
END_TEST

/* abi_compare() on hand-made tables: each kind of difference is seen. */
START_TEST(compare_detects_each_difference)
{
    static const struct abi_item ref[] = {
        { "CONST A", 1, 4, 1, NULL },
        { "SIZE struct b", 16, 8, 0, NULL },
        { "OFFSET struct b, c", 8, 4, 0, NULL },
        { "STRING D", 0, 3, 0, "ab" },
    };
    struct abi_item bad[4];
    struct abi_table t_ref = { "ref", ref, 4 }, t_bad = { "bad", bad, 4 };
    struct sink s = { 0, 1, "" };

    memcpy(bad, ref, sizeof(bad));
    ck_assert_uint_eq(abi_compare(&t_bad, &t_ref, sink_report, &s), 0);

    bad[0].value = 2;                           /* wrong value */
    ck_assert_uint_eq(abi_compare(&t_bad, &t_ref, sink_report, &s), 1);
    ck_assert_ptr_nonnull(strstr(s.last, "CONST A: value ours 0x2 Xen 0x1"));
    bad[0] = ref[0];

    bad[1].size = 4;                            /* wrong alignment */
    ck_assert_uint_eq(abi_compare(&t_bad, &t_ref, sink_report, &s), 1);
    ck_assert_ptr_nonnull(strstr(s.last, "alignment ours 4 Xen 8"));
    bad[1] = ref[1];

    bad[2].is_signed = 1;                       /* int32_t for uint32_t */
    ck_assert_uint_eq(abi_compare(&t_bad, &t_ref, sink_report, &s), 1);
    ck_assert_ptr_nonnull(strstr(s.last, "ours signed Xen unsigned"));
    bad[2] = ref[2];

    bad[3].string = "ac";                       /* wrong text */
    ck_assert_uint_eq(abi_compare(&t_bad, &t_ref, sink_report, &s), 1);
    ck_assert_ptr_nonnull(strstr(s.last, "STRING D"));
    bad[3] = ref[3];

    bad[2].name = "OFFSET struct b, d";         /* lists out of step */
    ck_assert_uint_eq(abi_compare(&t_bad, &t_ref, sink_report, &s), 1);
    ck_assert_ptr_nonnull(strstr(s.last, "out of step"));
    bad[2] = ref[2];

    t_bad.count = 3;                            /* an item missing */
    ck_assert_uint_eq(abi_compare(&t_bad, &t_ref, sink_report, &s), 1);
    ck_assert_ptr_nonnull(strstr(s.last, "has 3 items"));
}
END_TEST

/* A wrong value planted in a copy of the real table is caught, by name
 * (compared with the original, so real mismatches do not interfere). */
START_TEST(planted_error_in_real_table_is_caught)
{
    static const char *const victims[] = {
        "CONST __HYPERVISOR_mmu_update",
        "OFFSET struct start_info, flags",
        "SIZE struct vcpu_info",
    };
    size_t n = abi_ours_guest.count, v;
    struct abi_item *copy = malloc(n * sizeof(*copy));
    struct abi_table t = { "planted", copy, n };

    ck_assert_ptr_nonnull(copy);
    for (v = 0; v < sizeof(victims) / sizeof(victims[0]); v++) {
        struct sink s = { 0, 1, "" };
        const struct abi_item *orig = find(&abi_ours_guest, victims[v]);
        size_t idx;

        ck_assert_ptr_nonnull(orig);
        idx = (size_t)(orig - abi_ours_guest.items);
        memcpy(copy, abi_ours_guest.items, n * sizeof(*copy));
        copy[idx].value += 1;
        ck_assert_uint_eq(abi_compare(&t, &abi_ours_guest, sink_report, &s),
                          1);
        ck_assert_msg(strncmp(s.last, victims[v], strlen(victims[v])) == 0,
                      "report \"%s\" does not name %s", s.last, victims[v]);
    }
    free(copy);
}
END_TEST

/* Values assembled by abi_asm.S, in its order. */
extern const unsigned long long pvisor_abi_asm_values[];
static const char *const asm_names[] = {
    "CONST __HYPERVISOR_iret", "CONST __HYPERVISOR_arch_7",
    "CONST FLAT_KERNEL_CS", "CONST FLAT_USER_SS",
    "CONST HYPERVISOR_VIRT_START", "CONST MACH2PHYS_VIRT_END",
    "CONST UVMF_ALL", "CONST DOMID_SELF", "CONST XEN_EINVAL",
    "CONST SCHEDOP_shutdown", "CONST XEN_ELFNOTE_HYPERCALL_PAGE",
    "CONST VGCF_in_syscall", "CONST EVTCHNOP_send", "CONST XENMEM_memory_map",
    "CONST GNTTABOP_copy", "CONST XEN_CPUID_SIGNATURE_EBX",
    "CONST VCPUOP_up", "CONST CALLBACKTYPE_syscall",
    "CONST PHYSDEVOP_eoi", "CONST XENNMI_register_callback",
    "CONST XENVER_version", "CONST XENFEAT_dom0",
    "CONST XENSTORE_RING_SIZE",
    "CONST XEN_DOMCTL_getdomaininfo", "CONST XEN_DOMINF_shutdownshift",
};

/* Our headers give assembly the same numbers as C. */
START_TEST(assembly_view_matches_c)
{
    size_t i;

    for (i = 0; i < sizeof(asm_names) / sizeof(asm_names[0]); i++) {
        const struct abi_item *it = find(&abi_ours_guest, asm_names[i]);

        ck_assert_msg(it != NULL, "%s not in the list", asm_names[i]);
        ck_assert_msg(pvisor_abi_asm_values[i] == it->value,
                      "%s: assembly %#llx, C %#llx", asm_names[i],
                      pvisor_abi_asm_values[i], it->value);
    }
    ck_assert_msg(pvisor_abi_asm_values[i] == 0xabcdefULL,
                  "abi_asm.S and asm_names[] disagree on the count");
}
END_TEST

static Suite *abi_suite(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("conformance");

    tcase_add_test(tc, guest_view_matches_xen);
    tcase_add_test(tc, hypervisor_view_matches_xen);
    tcase_add_test(tc, list_is_substantial);
    tcase_add_test(tc, compare_detects_each_difference);
    tcase_add_test(tc, planted_error_in_real_table_is_caught);
    tcase_add_test(tc, assembly_view_matches_c);
    tcase_add_test(tc, readme_counts_are_current);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(abi_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
