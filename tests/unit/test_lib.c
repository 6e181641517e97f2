/* SPDX-License-Identifier: MIT */
/*
 * test_lib.c - unit tests for hypervisor/common/lib.c.
 * Owns:    the tests; calls our functions by their pv_* names (pv_lib.h)
 *          and checks them against hand-computed results or simple
 *          reference loops, never against the same code.
 */
#include "harness.h"
#include "pv_lib.h"

#define BUF 160
#define GUARD 0xA5
#define MAX_LEN 80
#define MAX_OFS 9

/* Fills buf with a pattern that differs at every position. */
static void fill_pattern(unsigned char *buf, size_t n, unsigned int seed)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 7 + seed);
}

/* The first index where got and want differ, or -1. */
static long first_diff(const unsigned char *got, const unsigned char *want,
                       size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i])
            return (long)i;
    return -1;
}

START_TEST(memcpy_all_sizes_and_alignments)
{
    unsigned char src[BUF], dst[BUF], want[BUF];

    fill_pattern(src, sizeof(src), 1);
    for (size_t so = 0; so < MAX_OFS; so++)
        for (size_t d_o = 0; d_o < MAX_OFS; d_o++)
            for (size_t n = 0; n <= MAX_LEN; n++) {
                memset(dst, GUARD, sizeof(dst));
                memset(want, GUARD, sizeof(want));
                for (size_t i = 0; i < n; i++)
                    want[d_o + i] = src[so + i];
                ck_assert_ptr_eq(pv_memcpy(dst + d_o, src + so, n), dst + d_o);
                ck_assert_msg(first_diff(dst, want, BUF) < 0,
                              "so=%zu do=%zu n=%zu: byte %ld", so, d_o, n,
                              first_diff(dst, want, BUF));
            }
}
END_TEST

/* Reference memmove through a separate buffer. */
static void ref_move(unsigned char *buf, size_t d, size_t s, size_t n)
{
    unsigned char tmp[BUF];

    for (size_t i = 0; i < n; i++)
        tmp[i] = buf[s + i];
    for (size_t i = 0; i < n; i++)
        buf[d + i] = tmp[i];
}

START_TEST(memmove_overlap_both_directions)
{
    unsigned char got[BUF], want[BUF];
    const size_t span = 40;

    for (size_t s = 0; s < span; s++)
        for (size_t d = 0; d < span; d++)
            for (size_t n = 0; n + MAX(s, d) <= BUF && n <= MAX_LEN; n += 3) {
                fill_pattern(got, BUF, 3);
                fill_pattern(want, BUF, 3);
                ck_assert_ptr_eq(pv_memmove(got + d, got + s, n), got + d);
                ref_move(want, d, s, n);
                ck_assert_msg(memcmp(got, want, BUF) == 0,
                              "s=%zu d=%zu n=%zu", s, d, n);
            }
}
END_TEST

START_TEST(memset_sizes_alignments_and_char_conversion)
{
    unsigned char buf[BUF], want[BUF];

    for (size_t o = 0; o < MAX_OFS; o++)
        for (size_t n = 0; n <= MAX_LEN; n++) {
            memset(buf, GUARD, sizeof(buf));
            memset(want, GUARD, sizeof(want));
            for (size_t i = 0; i < n; i++)
                want[o + i] = 0x5a;
            /* 0x15a: only the low byte (0x5a) is stored. */
            ck_assert_ptr_eq(pv_memset(buf + o, 0x15a, n), buf + o);
            ck_assert_msg(first_diff(buf, want, BUF) < 0, "o=%zu n=%zu: byte %ld",
                          o, n, first_diff(buf, want, BUF));
        }
    pv_memset(buf, -1, 4);
    ck_assert_uint_eq(buf[3], 0xff);
}
END_TEST

START_TEST(memcmp_sign_and_unsigned_bytes)
{
    const unsigned char a[] = { 1, 2, 3, 0x80 };
    const unsigned char b[] = { 1, 2, 3, 0x01 };

    ck_assert_int_eq(pv_memcmp(a, a, sizeof(a)), 0);
    ck_assert_int_gt(pv_memcmp(a, b, sizeof(a)), 0);   /* 0x80 > 0x01 */
    ck_assert_int_lt(pv_memcmp(b, a, sizeof(a)), 0);
    ck_assert_int_eq(pv_memcmp(a, b, 3), 0);
    ck_assert_int_eq(pv_memcmp(a, b, 0), 0);
    ck_assert_int_lt(pv_memcmp("abc", "abd", 3), 0);
}
END_TEST

START_TEST(strlen_and_strnlen)
{
    const char s[] = "hypervisor";

    ck_assert_uint_eq(pv_strlen(""), 0);
    ck_assert_uint_eq(pv_strlen(s), 10);
    ck_assert_uint_eq(pv_strnlen(s, 0), 0);
    ck_assert_uint_eq(pv_strnlen(s, 4), 4);
    ck_assert_uint_eq(pv_strnlen(s, 10), 10);
    ck_assert_uint_eq(pv_strnlen(s, 100), 10);
    ck_assert_uint_eq(pv_strnlen(s, SIZE_MAX), 10);
}
END_TEST

/* strnlen must not read past max: the bytes after are not a string. */
START_TEST(strnlen_stops_at_max)
{
    const char not_terminated[4] = { 'a', 'b', 'c', 'd' };

    ck_assert_uint_eq(pv_strnlen(not_terminated, sizeof(not_terminated)), 4);
}
END_TEST

START_TEST(strcmp_order)
{
    ck_assert_int_eq(pv_strcmp("", ""), 0);
    ck_assert_int_eq(pv_strcmp("abc", "abc"), 0);
    ck_assert_int_lt(pv_strcmp("abc", "abd"), 0);
    ck_assert_int_gt(pv_strcmp("abd", "abc"), 0);
    ck_assert_int_lt(pv_strcmp("ab", "abc"), 0);   /* prefix is smaller */
    ck_assert_int_gt(pv_strcmp("abc", "ab"), 0);
    ck_assert_int_gt(pv_strcmp("\xe9", "e"), 0);   /* unsigned char */
    ck_assert_int_lt(pv_strcmp("", "a"), 0);
}
END_TEST

START_TEST(strncmp_bounds)
{
    ck_assert_int_eq(pv_strncmp("abcX", "abcY", 3), 0);
    ck_assert_int_lt(pv_strncmp("abcX", "abcY", 4), 0);
    ck_assert_int_eq(pv_strncmp("abc", "xyz", 0), 0);
    ck_assert_int_eq(pv_strncmp("abc", "abc", 100), 0);   /* stops at NUL */
    ck_assert_int_lt(pv_strncmp("ab", "abc", 3), 0);
    ck_assert_int_gt(pv_strncmp("\x80", "\x7f", 1), 0);
}
END_TEST

START_TEST(strchr_finds_first_and_nul)
{
    const char *s = "a=b=c";
    const char hi[] = "x\xe9y";

    ck_assert_ptr_eq(pv_strchr(s, '='), s + 1);
    ck_assert_ptr_eq(pv_strchr(s, 'a'), s);
    ck_assert_ptr_eq(pv_strchr(s, 'c'), s + 4);
    ck_assert_ptr_null(pv_strchr(s, 'z'));
    ck_assert_ptr_eq(pv_strchr(s, '\0'), s + 5);
    /* c is converted to char: 0xe9 and -23 both find the byte 0xe9. */
    ck_assert_ptr_eq(pv_strchr(hi, 0xe9), hi + 1);
    ck_assert_ptr_eq(pv_strchr(hi, -23), hi + 1);
}
END_TEST

/* Parses s and checks value, overflow and how many chars were used. */
static void check_strtoull(const char *s, uint64_t want, size_t used, bool ovf)
{
    const char *end = NULL;
    bool overflow = !ovf;
    uint64_t v = simple_strtoull(s, &end, &overflow);

    ck_assert_msg(v == want, "\"%s\": got %#llx want %#llx", s,
                  (unsigned long long)v, (unsigned long long)want);
    ck_assert_msg(end == s + used, "\"%s\": used %td want %zu", s, end - s, used);
    ck_assert_msg(overflow == ovf, "\"%s\": overflow %d", s, overflow);
}

START_TEST(strtoull_bases)
{
    check_strtoull("0", 0, 1, false);
    check_strtoull("12345", 12345, 5, false);
    check_strtoull("42abc", 42, 2, false);
    check_strtoull("0x1f", 0x1f, 4, false);
    check_strtoull("0X1F", 0x1f, 4, false);
    check_strtoull("0xdeadBEEFg", 0xdeadbeef, 10, false);
    check_strtoull("017", 017, 3, false);
    check_strtoull("08", 0, 1, false);       /* 8 is not octal */
    check_strtoull("0x", 0, 1, false);       /* "0x" alone: the 0 only */
    check_strtoull("0xg", 0, 1, false);
    check_strtoull("", 0, 0, false);
    check_strtoull("k", 0, 0, false);
    check_strtoull("-1", 0, 0, false);       /* no sign accepted */
    check_strtoull(" 1", 0, 0, false);       /* no leading space */
}
END_TEST

START_TEST(strtoull_limits_and_overflow)
{
    check_strtoull("18446744073709551615", UINT64_MAX, 20, false);
    check_strtoull("18446744073709551616", UINT64_MAX, 20, true);
    check_strtoull("99999999999999999999999", UINT64_MAX, 23, true);
    check_strtoull("0xffffffffffffffff", UINT64_MAX, 18, false);
    check_strtoull("0x10000000000000000", UINT64_MAX, 19, true);
    check_strtoull("01777777777777777777777", UINT64_MAX, 23, false);
    check_strtoull("02000000000000000000000", UINT64_MAX, 23, true);
}
END_TEST

START_TEST(strtoull_null_out_params)
{
    ck_assert_uint_eq(simple_strtoull("77", NULL, NULL), 77);
}
END_TEST

static Suite *lib_suite(void)
{
    Suite *s = suite_create("lib");
    TCase *mem = tcase_create("mem"), *str = tcase_create("str");
    TCase *num = tcase_create("strtoull");

    tcase_add_test(mem, memcpy_all_sizes_and_alignments);
    tcase_add_test(mem, memmove_overlap_both_directions);
    tcase_add_test(mem, memset_sizes_alignments_and_char_conversion);
    tcase_add_test(mem, memcmp_sign_and_unsigned_bytes);
    tcase_add_test(str, strlen_and_strnlen);
    tcase_add_test(str, strnlen_stops_at_max);
    tcase_add_test(str, strcmp_order);
    tcase_add_test(str, strncmp_bounds);
    tcase_add_test(str, strchr_finds_first_and_nul);
    tcase_add_test(num, strtoull_bases);
    tcase_add_test(num, strtoull_limits_and_overflow);
    tcase_add_test(num, strtoull_null_out_params);
    tcase_set_timeout(mem, 120);          /* slow under valgrind */
    suite_add_tcase(s, mem);
    suite_add_tcase(s, str);
    suite_add_tcase(s, num);
    return s;
}

int main(void)
{
    return harness_main(lib_suite());
}
