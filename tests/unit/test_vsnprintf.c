/* SPDX-License-Identifier: MIT */
/*
 * test_vsnprintf.c - unit tests for hypervisor/common/vsnprintf.c.
 * Owns:    the tests. Standard conversions are compared with the host
 *          libc's snprintf (an independent implementation of C99), over
 *          a grid of flags, widths, precisions, lengths and values; our
 *          documented departures (%p, unknown conversions) and truncation
 *          are checked against literal strings.
 */
#include <limits.h>
#include "harness.h"
#include "pv_lib.h"

#define OUT 512
#define GUARD 'Z'

/* Our snprintf with a format the compiler does not check (bad formats). */
static int pv_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = pv_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void check_same(const char *where, const char *fmt, const char *got,
                       int got_n, const char *want, int want_n)
{
    ck_assert_msg(strcmp(got, want) == 0 && got_n == want_n,
                  "%s: format \"%s\": got \"%s\" (%d), libc \"%s\" (%d)",
                  where, fmt, got, got_n, want, want_n);
}

/* Formats with both implementations and requires identical output. */
#define SAME(fmt, ...) do { \
    char got_[OUT], want_[OUT]; \
    int gn_ = pv_snprintf(got_, sizeof(got_), fmt, __VA_ARGS__); \
    int wn_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__); \
    check_same(__func__, fmt, got_, gn_, want_, wn_); \
} while (0)

#define IS(want, fmt, ...) do { \
    char got_[OUT]; \
    int gn_ = pv_unchecked(got_, sizeof(got_), fmt, __VA_ARGS__); \
    check_same(__func__, fmt, got_, gn_, want, (int)strlen(want)); \
} while (0)

START_TEST(plain_text_and_percent)
{
    char buf[OUT];

    ck_assert_int_eq(pv_snprintf(buf, sizeof(buf), "hello"), 5);
    ck_assert_str_eq(buf, "hello");
    ck_assert_int_eq(pv_snprintf(buf, sizeof(buf), "%%"), 1);
    ck_assert_str_eq(buf, "%");
    ck_assert_int_eq(pv_snprintf(buf, sizeof(buf), "%s", ""), 0);
    ck_assert_str_eq(buf, "");
    SAME("a%%b%%%d", 3);
}
END_TEST

/*
 * Some cases below combine flags that C leaves to the implementation (the
 * compiler warns); glibc's choices are the ones we want.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"

START_TEST(signed_decimal)
{
    SAME("%d %i", 0, -0);
    SAME("%d|%d|%d", INT_MIN, INT_MAX, -1);
    SAME("%ld|%ld", LONG_MIN, LONG_MAX);
    SAME("%lld|%lld", LLONG_MIN, LLONG_MAX);
    SAME("%zd", (ptrdiff_t)-5);
    SAME("%hhd|%hd", 300, 70000);           /* truncated to char/short */
    SAME("[%5d][%-5d][%05d][%+d][% d][%+5d][%-+5d]", 42, 42, -42, 42, 42, -42, 7);
    SAME("[%.3d][%.0d][%.0d][%08.3d][%-8.3d]", 5, 0, 1, -5, 5);
}
END_TEST

START_TEST(unsigned_hex_octal)
{
    SAME("%u|%x|%X|%o", 0u, 0u, 0u, 0u);
    SAME("%u|%x|%X|%o", UINT_MAX, UINT_MAX, 0xabcdefu, 8u);
    SAME("%lu|%lx|%llx|%zx|%zu", ULONG_MAX, 0x123456789abcUL, ULLONG_MAX,
         (size_t)4096, SIZE_MAX);
    SAME("%#x|%#X|%#x|%#o|%#o|%#.0o", 255u, 255u, 0u, 8u, 0u, 0u);
    SAME("[%#010x][%-#10x][%#10x][%010X]", 0xbeefu, 0xbeefu, 0xbeefu, 0xbeefu);
    SAME("[%+u][% u][%+x]", 5u, 5u, 5u);    /* sign flags: signed only */
    SAME("%#lx %#llX", 0xffff800000000000UL, 0x1ULL);
    SAME("%hhx|%hx|%hhu", 0x1ffu, 0x1ffffu, 257u);
}
END_TEST

#pragma GCC diagnostic pop

START_TEST(strings_and_chars)
{
    const char *volatile null_str = NULL;

    SAME("[%s][%10s][%-10s][%.3s][%.*s][%.0s]", "abc", "abc", "abc",
         "abcdef", 2, "xyz", "gone");
    SAME("[%*s][%*s][%-*s]", 6, "r", -6, "l", 4, "m");
    SAME("[%c][%3c][%-3c][%c]", 'a', 'b', 'c', 0xe9);
    SAME("[%*d][%.*d][%.*d]", 8, 12, 4, 3, -1, 3);  /* negative prec: none */
    IS("[(null)][  (null)]", "[%s][%8s]", null_str, null_str);
}
END_TEST

/* %.Ns reads no further than N bytes: the source need not be terminated. */
START_TEST(string_precision_bounds_reading)
{
    const char raw[3] = { 'x', 'y', 'z' };
    char buf[OUT];

    ck_assert_int_eq(pv_snprintf(buf, sizeof(buf), "%.3s|", raw), 4);
    ck_assert_str_eq(buf, "xyz|");
}
END_TEST

START_TEST(pointers)
{
    IS("0x1234", "%p", (void *)0x1234);
    IS("0x0", "%p", (void *)0);
    IS("0xffff830000000000", "%p", (void *)0xffff830000000000UL);
    IS("[  0xab][0xab  ][0x00ab]", "[%6p][%-6p][%06p]", (void *)0xab,
       (void *)0xab, (void *)0xab);
}
END_TEST

START_TEST(unknown_conversions_and_trailing_percent)
{
    IS("a%qb", "a%qb", 0);
    IS("%5q", "%5q", 0);
    IS("x%", "x%", 0);
    IS("x%-08", "x%-08", 0);
    IS("1 %w 2", "%d %w %d", 1, 2);          /* %w consumes no argument */
}
END_TEST

START_TEST(truncation_every_size)
{
    const char *full = "value=-12345 name=hyper";
    size_t len = strlen(full);
    char buf[64];

    for (size_t size = 0; size <= len + 2; size++) {
        memset(buf, GUARD, sizeof(buf));
        int n = pv_snprintf(buf, size, "value=%d name=%s", -12345, "hyper");
        ck_assert_int_eq(n, (int)len);
        if (size > 0) {
            size_t kept = MIN(size - 1, len);
            ck_assert_msg(memcmp(buf, full, kept) == 0 && buf[kept] == '\0',
                          "size %zu", size);
        }
        for (size_t i = MAX(size, (size_t)1); i < sizeof(buf); i++)
            ck_assert_msg(buf[i] == GUARD || (size == 0 && i == 0),
                          "size %zu: wrote byte %zu", size, i);
        if (size == 0)
            ck_assert_int_eq(buf[0], GUARD);
    }
}
END_TEST

START_TEST(size_zero_null_buffer_counts)
{
    ck_assert_int_eq(pv_snprintf(NULL, 0, "%d-%s-%300d", 123, "abc", 1), 4 + 4 + 300);
}
END_TEST

START_TEST(huge_width_is_counted_not_stored)
{
    char buf[8];

    ck_assert_int_eq(pv_snprintf(buf, sizeof(buf), "%1000d", 7), 1000);
    ck_assert_str_eq(buf, "       ");
}
END_TEST

START_TEST(vsnprintf_va_list_reuse)
{
    char buf[OUT];

    /* Many conversions in one call: every argument is fetched in order. */
    SAME("%d %s %x %c %lu %lld %zu %u %X %s %d", 1, "two", 3u, '4', 5UL,
         -6LL, (size_t)7, 8u, 9u, "ten", 11);
    ck_assert_int_eq(pv_snprintf(buf, sizeof(buf), "%s%s%s", "a", "b", "c"), 3);
    ck_assert_str_eq(buf, "abc");
}
END_TEST

/* ------------------------------------------------------------------ */
/* The grid: every flag set x width x precision x length x conversion. */

static const char *const grid_flags[] = {
    "", "-", "0", "#", "+", " ", "-0", "#0", "+0", "-#", "- ", "+ ", "-#0+ ",
};
static const char *const grid_width[] = { "", "1", "6", "25" };
static const char *const grid_prec[] = { "", ".", ".0", ".3", ".21" };
static const char *const grid_len[] = { "hh", "h", "", "l", "ll", "z" };
static const char grid_conv[] = "diuxXo";
static const long long grid_val[] = {
    0, 1, 7, -1, 42, -42, 255, 256, 65535, 65536, INT_MAX, INT_MIN,
    0x80000000LL, 0x123456789abcdefLL, LLONG_MAX, LLONG_MIN,
};

/* Formats one value through both implementations with a typed argument. */
static void grid_one(const char *fmt, const char *len, bool is_signed,
                     long long v)
{
    char got[OUT], want[OUT];
    int gn, wn;

#define BOTH(arg) (gn = pv_snprintf(got, sizeof(got), fmt, arg), \
                   wn = snprintf(want, sizeof(want), fmt, arg))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    if (!strcmp(len, "l"))
        is_signed ? BOTH((long)v) : BOTH((unsigned long)v);
    else if (!strcmp(len, "ll"))
        is_signed ? BOTH(v) : BOTH((unsigned long long)v);
    else if (!strcmp(len, "z"))
        is_signed ? BOTH((ptrdiff_t)v) : BOTH((size_t)v);
    else
        is_signed ? BOTH((int)v) : BOTH((unsigned int)v);
#pragma GCC diagnostic pop
#undef BOTH
    check_same("grid", fmt, got, gn, want, wn);
}

START_TEST(grid_against_libc)
{
    char fmt[64];
    unsigned int n = 0;

    for (size_t f = 0; f < ARRAY_SIZE(grid_flags); f++)
    for (size_t w = 0; w < ARRAY_SIZE(grid_width); w++)
    for (size_t p = 0; p < ARRAY_SIZE(grid_prec); p++)
    for (size_t l = 0; l < ARRAY_SIZE(grid_len); l++)
    for (size_t c = 0; grid_conv[c]; c++) {
        snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", grid_flags[f],
                 grid_width[w], grid_prec[p], grid_len[l], grid_conv[c]);
        for (size_t v = 0; v < ARRAY_SIZE(grid_val); v++, n++)
            grid_one(fmt, grid_len[l], grid_conv[c] == 'd' ||
                     grid_conv[c] == 'i', grid_val[v]);
    }
    ck_assert_uint_gt(n, 100000);
}
END_TEST

static Suite *vsnprintf_suite(void)
{
    Suite *s = suite_create("vsnprintf");
    TCase *conv = tcase_create("conversions"), *bound = tcase_create("bounds");
    TCase *grid = tcase_create("grid");

    tcase_add_test(conv, plain_text_and_percent);
    tcase_add_test(conv, signed_decimal);
    tcase_add_test(conv, unsigned_hex_octal);
    tcase_add_test(conv, strings_and_chars);
    tcase_add_test(conv, pointers);
    tcase_add_test(conv, unknown_conversions_and_trailing_percent);
    tcase_add_test(conv, vsnprintf_va_list_reuse);
    tcase_add_test(bound, string_precision_bounds_reading);
    tcase_add_test(bound, truncation_every_size);
    tcase_add_test(bound, size_zero_null_buffer_counts);
    tcase_add_test(bound, huge_width_is_counted_not_stored);
    tcase_add_test(grid, grid_against_libc);
    tcase_set_timeout(grid, 300);        /* slow under valgrind */
    suite_add_tcase(s, conv);
    suite_add_tcase(s, bound);
    suite_add_tcase(s, grid);
    return s;
}

int main(void)
{
    return harness_main(vsnprintf_suite());
}
