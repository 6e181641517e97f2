/* SPDX-License-Identifier: MIT */
/*
 * test_cmdline.c - unit tests for hypervisor/common/cmdline.c.
 * Owns:    the tests: every option type, the no- prefix, '-'/'_' in
 *          names, size suffixes, overflow, unknown words, the absence of
 *          quoting, the message for each kind of bad value,
 *          cmdline_parse_size() and cmdline_cook().
 */
#include "harness.h"
#include "cmdline.h"

#define STR_LEN 8

static bool opt_sync, opt_noreboot, opt_watchdog;
static uint64_t opt_cpus, opt_mem;
static char opt_console[STR_LEN];
static char custom_seen[64];
static int custom_calls;

/* A CMDLINE_CUSTOM parser that records what it got; "bad" is refused. */
static int custom_loglvl(const char *value)
{
    custom_calls++;
    snprintf(custom_seen, sizeof(custom_seen), "%s", value);
    return strcmp(value, "bad") == 0 ? -1 : 0;
}

#define LOGLVL_VALID "none, error, warning, info, debug or all"

static const struct cmdline_option opts[] = {
    { "sync_console", CMDLINE_BOOL, &opt_sync, 0, NULL },
    { "noreboot", CMDLINE_BOOL, &opt_noreboot, 0, NULL },
    { "watchdog", CMDLINE_BOOL, &opt_watchdog, 0, NULL },
    { "max-cpus", CMDLINE_UINT, &opt_cpus, 0, NULL },
    { "dom0_mem", CMDLINE_SIZE, &opt_mem, 0, NULL },
    { "console", CMDLINE_STRING, opt_console, sizeof(opt_console), NULL },
    { "loglvl", CMDLINE_CUSTOM, (void *)custom_loglvl, 0, LOGLVL_VALID },
};

static void reset(void)
{
    opt_sync = opt_noreboot = opt_watchdog = false;
    opt_cpus = opt_mem = 7;
    strcpy(opt_console, "keep");
    custom_seen[0] = '\0';
    custom_calls = 0;
    harness_log_reset();
}

static int parse(const char *s)
{
    return cmdline_parse(s, opts, ARRAY_SIZE(opts));
}

START_TEST(empty_and_null)
{
    reset();
    ck_assert_int_eq(parse(NULL), 0);
    ck_assert_int_eq(parse(""), 0);
    ck_assert_int_eq(parse("   \t  "), 0);
    ck_assert_uint_eq(opt_cpus, 7);
}
END_TEST

START_TEST(bool_forms)
{
    static const char *const set[] = {
        "watchdog", "watchdog=", "watchdog=1", "watchdog=yes", "watchdog=on",
        "watchdog=true", "watchdog=enable", "no-watchdog=0", "no-watchdog=off",
    };
    static const char *const clear[] = {
        "no-watchdog", "no_watchdog", "watchdog=0", "watchdog=no",
        "watchdog=off", "watchdog=false", "watchdog=disable", "no-watchdog=yes",
    };

    for (size_t i = 0; i < ARRAY_SIZE(set); i++) {
        reset();
        ck_assert_int_eq(parse(set[i]), 0);
        ck_assert_msg(opt_watchdog, "%s", set[i]);
    }
    for (size_t i = 0; i < ARRAY_SIZE(clear); i++) {
        reset();
        opt_watchdog = true;
        ck_assert_int_eq(parse(clear[i]), 0);
        ck_assert_msg(!opt_watchdog, "%s", clear[i]);
    }
}
END_TEST

START_TEST(bool_bad_values_leave_variable)
{
    static const char *const bad[] = {
        "watchdog=maybe", "watchdog=YES", "watchdog=2",
        "watchdog=1x", "no-watchdog=perhaps",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        opt_watchdog = true;
        ck_assert_int_eq(parse(bad[i]), 1);
        ck_assert_msg(opt_watchdog, "%s changed the variable", bad[i]);
        ck_assert_log_contains("WARN cmdline: bad value");
    }
}
END_TEST

/* An option whose own name starts with "no" is matched before no-. */
START_TEST(name_starting_with_no)
{
    reset();
    ck_assert_int_eq(parse("noreboot"), 0);
    ck_assert(opt_noreboot);
    ck_assert_int_eq(parse("no-noreboot"), 0);
    ck_assert(!opt_noreboot);
    ck_assert_int_eq(parse("no-"), 1);       /* nothing after the prefix */
    ck_assert_int_eq(parse("no"), 1);
}
END_TEST

START_TEST(dash_underscore_equivalence)
{
    reset();
    ck_assert_int_eq(parse("sync-console max_cpus=3 dom0-mem=1M"), 0);
    ck_assert(opt_sync);
    ck_assert_uint_eq(opt_cpus, 3);
    ck_assert_uint_eq(opt_mem, 1 << 20);
    ck_assert_int_eq(parse("no_sync_console"), 0);
    ck_assert(!opt_sync);
}
END_TEST

START_TEST(uint_values)
{
    reset();
    ck_assert_int_eq(parse("max-cpus=42"), 0);
    ck_assert_uint_eq(opt_cpus, 42);
    ck_assert_int_eq(parse("max-cpus=0x1F"), 0);
    ck_assert_uint_eq(opt_cpus, 0x1f);
    ck_assert_int_eq(parse("max-cpus=010"), 0);      /* octal, as Xen */
    ck_assert_uint_eq(opt_cpus, 8);
    ck_assert_int_eq(parse("max-cpus=18446744073709551615"), 0);
    ck_assert_uint_eq(opt_cpus, UINT64_MAX);
}
END_TEST

START_TEST(uint_bad_values)
{
    static const char *const bad[] = {
        "max-cpus", "max-cpus=", "max-cpus=4x", "max-cpus=-1", "max-cpus=0x",
        "max-cpus=18446744073709551616", "max-cpus=1K", "no-max-cpus",
        "max-cpus=08",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        ck_assert_msg(parse(bad[i]) == 1, "%s accepted", bad[i]);
        ck_assert_msg(opt_cpus == 7, "%s changed the variable", bad[i]);
    }
}
END_TEST

START_TEST(size_suffixes)
{
    static const struct { const char *word; uint64_t bytes; } cases[] = {
        { "dom0_mem=4096", 4096ULL << 10 },       /* bare: KiB, as Xen */
        { "dom0_mem=524288", 512ULL << 20 },      /* a Xen command line */
        { "dom0_mem=10b", 10 },
        { "dom0_mem=2k", 2048 },
        { "dom0_mem=2K", 2048 },
        { "dom0_mem=512M", 512ULL << 20 },
        { "dom0_mem=3g", 3ULL << 30 },
        { "dom0_mem=0x10G", 16ULL << 30 },
        { "dom0_mem=1T", 1ULL << 40 },
        { "dom0_mem=16777215T", 16777215ULL << 40 },  /* largest in T */
        { "dom0_mem=0", 0 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        reset();
        ck_assert_msg(parse(cases[i].word) == 0, "%s refused", cases[i].word);
        ck_assert_msg(opt_mem == cases[i].bytes, "%s gave %llu", cases[i].word,
                      (unsigned long long)opt_mem);
    }
}
END_TEST

START_TEST(size_bad_values)
{
    static const char *const bad[] = {
        "dom0_mem", "dom0_mem=", "dom0_mem=M", "dom0_mem=12MB",
        "dom0_mem=12X", "dom0_mem=16777216T", "dom0_mem=17179869184G",
        "dom0_mem=99999999999999999999", "no-dom0_mem",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        reset();
        ck_assert_msg(parse(bad[i]) >= 1, "%s accepted", bad[i]);
        ck_assert_msg(opt_mem == 7, "%s changed the variable", bad[i]);
    }
}
END_TEST

START_TEST(string_values)
{
    reset();
    ck_assert_int_eq(parse("console=com1"), 0);
    ck_assert_str_eq(opt_console, "com1");
    ck_assert_int_eq(parse("console=a=b"), 0);        /* first '=' splits */
    ck_assert_str_eq(opt_console, "a=b");
    ck_assert_int_eq(parse("console=1234567"), 0);    /* exactly fits */
    ck_assert_str_eq(opt_console, "1234567");
    ck_assert_int_eq(parse("console"), 0);
    ck_assert_str_eq(opt_console, "");
}
END_TEST

START_TEST(string_too_long_or_negated)
{
    reset();
    ck_assert_int_eq(parse("console=12345678"), 1);   /* needs 9 bytes */
    ck_assert_str_eq(opt_console, "keep");
    ck_assert_int_eq(parse("no-console"), 1);
    ck_assert_str_eq(opt_console, "keep");
}
END_TEST

/* Xen's syntax has no quoting: a quote is an ordinary character. */
START_TEST(no_quoting)
{
    reset();
    ck_assert_int_eq(parse("console=\"a b\""), 1);    /* 'b"' is unknown */
    ck_assert_str_eq(opt_console, "\"a");
    ck_assert_log_contains("unknown option \"b\"\"");
}
END_TEST

START_TEST(custom_values)
{
    reset();
    ck_assert_int_eq(parse("loglvl=all"), 0);
    ck_assert_str_eq(custom_seen, "all");
    ck_assert_int_eq(parse("loglvl"), 0);
    ck_assert_str_eq(custom_seen, "");
    ck_assert_int_eq(parse("no-loglvl"), 0);
    ck_assert_str_eq(custom_seen, "no");
    ck_assert_int_eq(parse("loglvl=bad"), 1);
    ck_assert_int_eq(custom_calls, 4);
    ck_assert_int_eq(parse("no-loglvl=x"), 1);          /* not called */
    ck_assert_int_eq(custom_calls, 4);
}
END_TEST

START_TEST(unknown_words_counted_and_logged)
{
    reset();
    ck_assert_int_eq(parse("frobnicate watchdog =3 max-cpus=2 zap=1"), 3);
    ck_assert(opt_watchdog);
    ck_assert_uint_eq(opt_cpus, 2);
    ck_assert_log_contains("WARN cmdline: unknown option \"frobnicate\"");
    ck_assert_log_contains("unknown option \"=3\"");
    ck_assert_log_contains("unknown option \"zap=1\"");
}
END_TEST

START_TEST(name_prefix_is_not_a_match)
{
    reset();
    ck_assert_int_eq(parse("watch watchdogs console_x=1 max-cpu=1"), 4);
    ck_assert(!opt_watchdog);
}
END_TEST

START_TEST(blanks_and_repeats)
{
    reset();
    ck_assert_int_eq(parse("  max-cpus=1\tmax-cpus=2\n\rwatchdog  "), 0);
    ck_assert_uint_eq(opt_cpus, 2);                    /* last one wins */
    ck_assert(opt_watchdog);
}
END_TEST

START_TEST(overlong_word_skipped)
{
    char line[600];

    reset();
    strcpy(line, "console=");
    memset(line + 8, 'x', 400);
    strcpy(line + 408, " max-cpus=5");
    ck_assert_int_eq(parse(line), 1);
    ck_assert_str_eq(opt_console, "keep");
    ck_assert_uint_eq(opt_cpus, 5);
    ck_assert_log_contains("longer than");
}
END_TEST

/*
 * A bad value is reported at WARN with the option's name, the value as
 * given, and what the option takes: its table entry's text, or its type's.
 */
START_TEST(bad_value_messages)
{
    static const struct { const char *word, *message; } cases[] = {
        { "dom0_mem=12Q", "WARN cmdline: bad value \"12Q\" for dom0_mem: "
          "expected a size: a number and an optional unit B, K, M, G or T, "
          "e.g. 512M (bare: KiB, as Xen); option ignored" },
        { "max-cpus=x", "WARN cmdline: bad value \"x\" for max-cpus: "
          "expected a number (decimal, 0x hex, or 0 octal); option ignored" },
        { "watchdog=maybe", "WARN cmdline: bad value \"maybe\" for watchdog: "
          "expected nothing, or 1, yes, on, true, enable, 0, no, off, false, "
          "disable; option ignored" },
        { "loglvl=bad", "WARN cmdline: bad value \"bad\" for loglvl: "
          "expected " LOGLVL_VALID "; option ignored" },
        { "console=12345678", "WARN cmdline: bad value \"12345678\" for "
          "console: expected at most 7 characters; option ignored" },
        { "max-cpus", "WARN cmdline: no value for max-cpus: expected "
          "max-cpus=VALUE, VALUE a number (decimal, 0x hex, or 0 octal); "
          "option ignored" },
        { "no-dom0_mem", "WARN cmdline: \"no-dom0_mem\": dom0_mem is not a "
          "boolean and takes no \"no-\"; expected dom0_mem=SIZE; option "
          "ignored" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        reset();
        ck_assert_msg(parse(cases[i].word) == 1, "%s accepted", cases[i].word);
        ck_assert_log_contains(cases[i].message);
    }
}
END_TEST

/* The size at the start of a string, for options with their own syntax. */
START_TEST(size_prefix)
{
    const char *end;
    uint64_t v;

    ck_assert_int_eq(cmdline_parse_size("1G+10%", &end, &v), 0);
    ck_assert_uint_eq(v, 1ULL << 30);
    ck_assert_str_eq(end, "+10%");
    ck_assert_int_eq(cmdline_parse_size("12Q", &end, &v), 0);
    ck_assert_uint_eq(v, 12ULL << 10);
    ck_assert_str_eq(end, "Q");
    ck_assert_int_eq(cmdline_parse_size("0x10m,max:1G", &end, &v), 0);
    ck_assert_uint_eq(v, 16ULL << 20);
    ck_assert_str_eq(end, ",max:1G");
    v = 7;
    ck_assert_int_eq(cmdline_parse_size("M", &end, &v), -1);
    ck_assert_int_eq(cmdline_parse_size("", &end, &v), -1);
    ck_assert_int_eq(cmdline_parse_size("16777216T", &end, &v), -1);
    ck_assert_uint_eq(v, 7);
}
END_TEST

START_TEST(cook_drops_first_word)
{
    char out[32];

    cmdline_cook("/boot/kernel console=hvc0 root=/dev/x", out, sizeof(out));
    ck_assert_str_eq(out, "console=hvc0 root=/dev/x");
    cmdline_cook("   kernel    a b", out, sizeof(out));
    ck_assert_str_eq(out, "a b");
    cmdline_cook("kernel", out, sizeof(out));
    ck_assert_str_eq(out, "");
    cmdline_cook("", out, sizeof(out));
    ck_assert_str_eq(out, "");
    cmdline_cook(NULL, out, sizeof(out));
    ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(cook_truncates)
{
    char out[6];

    memset(out, 'Z', sizeof(out));
    cmdline_cook("k 0123456789", out, sizeof(out));
    ck_assert_str_eq(out, "01234");
    out[0] = 'Q';
    cmdline_cook("k abc", out, 0);                     /* writes nothing */
    ck_assert_int_eq(out[0], 'Q');
    cmdline_cook("k abc", out, 1);
    ck_assert_str_eq(out, "");
}
END_TEST

static Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *types = tcase_create("types"), *words = tcase_create("words");
    TCase *cook = tcase_create("cook");

    tcase_add_test(types, bool_forms);
    tcase_add_test(types, bool_bad_values_leave_variable);
    tcase_add_test(types, uint_values);
    tcase_add_test(types, uint_bad_values);
    tcase_add_test(types, size_suffixes);
    tcase_add_test(types, size_bad_values);
    tcase_add_test(types, string_values);
    tcase_add_test(types, string_too_long_or_negated);
    tcase_add_test(types, custom_values);
    tcase_add_test(types, bad_value_messages);
    tcase_add_test(types, size_prefix);
    tcase_add_test(words, empty_and_null);
    tcase_add_test(words, name_starting_with_no);
    tcase_add_test(words, dash_underscore_equivalence);
    tcase_add_test(words, no_quoting);
    tcase_add_test(words, unknown_words_counted_and_logged);
    tcase_add_test(words, name_prefix_is_not_a_match);
    tcase_add_test(words, blanks_and_repeats);
    tcase_add_test(words, overlong_word_skipped);
    tcase_add_test(cook, cook_drops_first_word);
    tcase_add_test(cook, cook_truncates);
    suite_add_tcase(s, types);
    suite_add_tcase(s, words);
    suite_add_tcase(s, cook);
    return s;
}

int main(void)
{
    return harness_main(cmdline_suite());
}
