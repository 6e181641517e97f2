/* SPDX-License-Identifier: MIT */
/*
 * test_dom0_mem.c - unit tests for hypervisor/common/dom0_mem.c.
 * Owns:    the tests: Xen 4.17's dom0_mem= syntax (min:, max:, N%,
 *          SIZE+N%, a leading '-') and its refusals; dom0's size from it
 *          (clamped by min:, max:, what is available and the longest free
 *          run) and the message when dom0 gets less than it asked for.
 *
 * The rules are Xen's dom0_compute_nr_pages(); the 256 MiB machine below
 * is the one tests/boot's dom0-mem-capped boots.
 */
#include "harness.h"
#include "dom0_mem.h"

#define MIB 256ULL                      /* frames in a MiB */

/* A machine with 251 MiB free: 235 MiB available once the hypervisor's
 * 16 MiB are kept; all of it in one run; pvisor's default 220 MiB. */
static const struct dom0_mem_room room_256m = {
    .free = 251 * MIB, .kept_hv = 16 * MIB, .kept_domus = 0,
    .longest = 251 * MIB, .dflt = 220 * MIB,
};

static struct dom0_mem parsed(const char *s)
{
    struct dom0_mem m = { 0 };

    ck_assert_msg(dom0_mem_parse(s, &m) == 0, "\"%s\" refused", s);
    return m;
}

static uint64_t frames_for(const char *s, const struct dom0_mem_room *r,
                           uint64_t *max_pages)
{
    struct dom0_mem m = parsed(s);

    harness_log_reset();
    return dom0_mem_frames(&m, r, max_pages);
}

START_TEST(parse_forms)
{
    struct dom0_mem m = parsed("512M");

    ck_assert(m.has_amt && !m.has_min && !m.has_max);
    ck_assert_uint_eq(m.amt.bytes, 512ULL << 20);
    ck_assert(!m.amt.minus);
    m = parsed("min:64M,max:1G,512M");
    ck_assert(m.has_amt && m.has_min && m.has_max);
    ck_assert_uint_eq(m.min.bytes, 64ULL << 20);
    ck_assert_uint_eq(m.max.bytes, 1ULL << 30);
    ck_assert_uint_eq(m.amt.bytes, 512ULL << 20);
    m = parsed("1G,max:1G");                    /* Xen's documented advice */
    ck_assert(m.has_amt && m.has_max && !m.has_min);
    m = parsed("-100M");
    ck_assert(m.amt.minus);
    ck_assert_uint_eq(m.amt.bytes, 100ULL << 20);
    m = parsed("10%");
    ck_assert_uint_eq(m.amt.percent, 10);
    ck_assert_uint_eq(m.amt.bytes, 0);
    m = parsed("1G+10%");
    ck_assert_uint_eq(m.amt.bytes, 1ULL << 30);
    ck_assert_uint_eq(m.amt.percent, 10);
    m = parsed("max:-1G+5%");
    ck_assert(m.max.minus);
    ck_assert_uint_eq(m.max.percent, 5);
    m = parsed("4096");                         /* a bare number is KiB, as Xen */
    ck_assert_uint_eq(m.amt.bytes, 4096ULL << 10);
    m = parsed("4096B");
    ck_assert_uint_eq(m.amt.bytes, 4096);
}
END_TEST

/* Each part sets only itself: a second dom0_mem= keeps the first's others. */
START_TEST(parse_parts_accumulate)
{
    struct dom0_mem m = parsed("max:1G");

    ck_assert_int_eq(dom0_mem_parse("512M", &m), 0);
    ck_assert(m.has_max && m.has_amt);
    ck_assert_uint_eq(m.max.bytes, 1ULL << 30);
}
END_TEST

START_TEST(parse_refusals_change_nothing)
{
    static const char *const bad[] = {
        "", "12Q", "1GB", "max:", "min:", "max:x", "1G,", ",1G", "-", "--1G",
        "100%", "10%+1G", "1G+2G", "1G+10%+5%", "max:1G;", "1G max:2G",
        "maximum:1G", "%", "+1G", "1G+", "10%%",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct dom0_mem m = { .has_amt = true, .amt = { .bytes = 7 } };

        ck_assert_msg(dom0_mem_parse(bad[i], &m) == -1, "\"%s\" accepted", bad[i]);
        ck_assert_msg(m.has_amt && !m.has_min && !m.has_max && m.amt.bytes == 7 &&
                      !m.amt.minus && !m.amt.percent, "\"%s\" changed it", bad[i]);
    }
}
END_TEST

START_TEST(no_option_is_the_default)
{
    struct dom0_mem none = { 0 };
    uint64_t max;

    harness_log_reset();
    ck_assert_uint_eq(dom0_mem_frames(&none, &room_256m, &max), 220 * MIB);
    ck_assert_uint_eq(max, UINT32_MAX);
    ck_assert_uint_eq(frames_for("0", &room_256m, &max), 220 * MIB); /* Xen's */
    ck_assert_str_eq(harness_log, "");
}
END_TEST

START_TEST(amount_that_fits_is_exact)
{
    uint64_t max;

    ck_assert_uint_eq(frames_for("100M", &room_256m, &max), 100 * MIB);
    ck_assert_uint_eq(max, UINT32_MAX);
    ck_assert_uint_eq(frames_for("235M", &room_256m, &max), 235 * MIB);
    ck_assert_str_eq(harness_log, "");
}
END_TEST

/* dom0_mem=1G on 256 MiB: capped to what is available, and said. */
START_TEST(too_much_is_capped_and_said)
{
    uint64_t max;

    ck_assert_uint_eq(frames_for("1G", &room_256m, &max), 235 * MIB);
    ck_assert_uint_eq(max, UINT32_MAX);
    ck_assert_log_contains("WARN dom0_mem: 1024 MiB asked for, but 235 MiB is "
                           "available (251 MiB free, less 16 MiB kept for the "
                           "hypervisor); dom0 gets 235 MiB (60160 pages), "
                           "capped as Xen caps it");
}
END_TEST

START_TEST(boot_domus_are_kept_and_named)
{
    struct dom0_mem_room r = room_256m;
    uint64_t max;

    r.kept_domus = 66 * MIB;
    ck_assert_uint_eq(frames_for("1G", &r, &max), 169 * MIB);
    ck_assert_log_contains("but 169 MiB is available (251 MiB free, less 16 "
                           "MiB kept for the hypervisor and 66 MiB for the "
                           "boot domUs)");
}
END_TEST

/* dom0's memory is one run: the longest free run caps it too. */
START_TEST(longest_run_caps)
{
    struct dom0_mem_room r = room_256m;
    uint64_t max;

    r.longest = 150 * MIB;
    ck_assert_uint_eq(frames_for("200M", &r, &max), 150 * MIB);
    ck_assert_log_contains("200 MiB asked for, but dom0's memory is one run "
                           "and the longest run of free memory is 150 MiB; "
                           "dom0 gets 150 MiB");
    /* The default is capped the same way, and says it was the default. */
    r.dflt = 200 * MIB;
    harness_log_reset();
    ck_assert_uint_eq(dom0_mem_frames(&(struct dom0_mem){ 0 }, &r, &max), 150 * MIB);
    ck_assert_log_contains("200 MiB by default, but dom0's memory is one run");
}
END_TEST

/* Xen's rules: nr = min(max(nr, min), max), then at most what is there. */
START_TEST(min_and_max)
{
    uint64_t max;

    ck_assert_uint_eq(frames_for("max:64M", &room_256m, &max), 64 * MIB);
    ck_assert_uint_eq(max, 64 * MIB);                   /* the ceiling */
    ck_assert_str_eq(harness_log, "");                  /* asked for */
    ck_assert_uint_eq(frames_for("32M,max:64M", &room_256m, &max), 32 * MIB);
    ck_assert_uint_eq(max, 64 * MIB);
    ck_assert_uint_eq(frames_for("min:128M,32M", &room_256m, &max), 128 * MIB);
    ck_assert_uint_eq(max, UINT32_MAX);
    ck_assert_uint_eq(frames_for("min:128M,max:64M", &room_256m, &max), 64 * MIB);
    ck_assert_uint_eq(frames_for("max:1G", &room_256m, &max), 220 * MIB);
    ck_assert_uint_eq(max, 1024 * MIB);
    ck_assert_str_eq(harness_log, "");
    ck_assert_uint_eq(frames_for("min:1G,32M", &room_256m, &max), 235 * MIB);
    ck_assert_log_contains("1024 MiB asked for, but 235 MiB is available");
}
END_TEST

/* Percentages and '-' are of the memory available (235 MiB here). */
START_TEST(percent_and_minus)
{
    uint64_t max;

    ck_assert_uint_eq(frames_for("50%", &room_256m, &max), 235 * MIB / 2);
    ck_assert_uint_eq(frames_for("10M+10%", &room_256m, &max),
                      10 * MIB + 235 * MIB / 10);
    ck_assert_uint_eq(frames_for("-100M", &room_256m, &max), 135 * MIB);
    ck_assert_uint_eq(frames_for("max:-200M", &room_256m, &max), 35 * MIB);
    ck_assert_uint_eq(max, 35 * MIB);
    ck_assert_str_eq(harness_log, "");
    ck_assert_uint_eq(frames_for("-1G", &room_256m, &max), 220 * MIB);
    ck_assert_log_contains("WARN dom0_mem: the amount after '-' is all of the "
                           "235 MiB available or more; dom0 gets its default size");
}
END_TEST

/* Nothing available: 0 frames, which the builder refuses as too little. */
START_TEST(nothing_available)
{
    struct dom0_mem_room r = { .free = 10 * MIB, .kept_hv = 16 * MIB,
                               .longest = 10 * MIB, .dflt = 0 };
    uint64_t max;

    ck_assert_uint_eq(frames_for("64M", &r, &max), 0);
    ck_assert_log_contains("64 MiB asked for, but 0 MiB is available");
}
END_TEST

static Suite *dom0_mem_suite(void)
{
    Suite *s = suite_create("dom0_mem");
    TCase *parse = tcase_create("parse"), *size = tcase_create("size");

    tcase_add_test(parse, parse_forms);
    tcase_add_test(parse, parse_parts_accumulate);
    tcase_add_test(parse, parse_refusals_change_nothing);
    tcase_add_test(size, no_option_is_the_default);
    tcase_add_test(size, amount_that_fits_is_exact);
    tcase_add_test(size, too_much_is_capped_and_said);
    tcase_add_test(size, boot_domus_are_kept_and_named);
    tcase_add_test(size, longest_run_caps);
    tcase_add_test(size, min_and_max);
    tcase_add_test(size, percent_and_minus);
    tcase_add_test(size, nothing_available);
    suite_add_tcase(s, parse);
    suite_add_tcase(s, size);
    return s;
}

int main(void)
{
    return harness_main(dom0_mem_suite());
}
