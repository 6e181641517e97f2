/* SPDX-License-Identifier: MIT */
/*
 * cmdline.c - the hypervisor's command-line parser (syntax in cmdline.h).
 * Owns:    splitting a command line into words and storing each value
 *          through the caller's option table.
 * Touches: only the variables the table points at (and calls its
 *          CMDLINE_CUSTOM functions).
 * Trusts:  nothing in the string; the option table is the caller's code.
 *
 * Details that follow Xen's xen/common/kernel.c:
 *  - Words are separated by blanks (space, tab, newline). There are no
 *    quotes: '"' is an ordinary character, so name="a b" is the word
 *    'name="a' followed by the word 'b"'.
 *  - Integers take a leading 0x for hex and a leading 0 for octal, as
 *    Xen's simple_strtoull(s, &s, 0); the whole value must be a number.
 *  - "no-name" (or "no_name") clears a CMDLINE_BOOL, and with a value
 *    inverts it ("no-name=off" sets it). For CMDLINE_CUSTOM, "no-name"
 *    calls the function with "no". Other types refuse the prefix.
 *    A table entry whose own name starts with "no" still matches first.
 *  - "name" alone (or "name=") sets a BOOL, empties a STRING, and passes
 *    "" to a CUSTOM function; for UINT and SIZE it is a bad value.
 *  - CMDLINE_SIZE takes an optional suffix B, K, M, G, T (either case;
 *    K = 2^10 ...). As Xen's parse_size_and_unit(), a bare number is
 *    KiB: a Xen command line (dom0_mem=524288) means the same here.
 *  - A STRING value longer than the buffer is a bad value (Xen truncates).
 * A word longer than CMDLINE_WORD_MAX is reported and skipped, an unknown
 * name as a warning (as Xen's "parameter ... unknown!", which a default
 * log level shows: a misspelt option must not pass silently). A bad value is reported
 * at WARN with the option's name, the value, and what the option takes
 * (its table entry's .valid, or its type's forms); the variable is left
 * as it was.
 */
#define LOG_PREFIX "cmdline"
#include "cmdline.h"
#include "lib.h"
#include "log.h"

/* The longest word (name=value) we parse; Xen's limit is 128. */
#define CMDLINE_WORD_MAX 256

#define SHIFT_K 10
#define SHIFT_M 20
#define SHIFT_G 30
#define SHIFT_T 40

typedef int (*cmdline_custom_fn)(const char *value);

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *s)
{
    while (*s && is_blank(*s))
        s++;
    return s;
}

static size_t word_length(const char *s)
{
    size_t n = 0;

    while (s[n] && !is_blank(s[n]))
        n++;
    return n;
}

static char name_char(char c)
{
    return c == '_' ? '-' : c;
}

/* Does name[0, len) equal opt, with '-' and '_' the same? */
static bool name_matches(const char *name, size_t len, const char *opt)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (opt[i] == '\0' || name_char(name[i]) != name_char(opt[i]))
            return false;
    }
    return opt[i] == '\0';
}

static const struct cmdline_option *find_option(const char *name, size_t len,
                                                const struct cmdline_option *opts,
                                                size_t nr_opts)
{
    for (size_t i = 0; i < nr_opts; i++) {
        if (name_matches(name, len, opts[i].name))
            return &opts[i];
    }
    return NULL;
}

/* Xen's parse_bool(): 1, 0, or -1 for anything else. */
static int parse_bool(const char *s)
{
    static const char *const yes[] = { "1", "yes", "on", "true", "enable" };
    static const char *const no[] = { "0", "no", "off", "false", "disable" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (strcmp(s, yes[i]) == 0)
            return 1;
        if (strcmp(s, no[i]) == 0)
            return 0;
    }
    return -1;
}

/* A whole-string number: 0 ok, -1 empty, trailing junk, or overflow. */
static int parse_uint(const char *s, uint64_t *out)
{
    const char *end;
    bool overflow;
    uint64_t v = simple_strtoull(s, &end, &overflow);

    if (end == s || *end != '\0' || overflow)
        return -1;
    *out = v;
    return 0;
}

/* The shift of a unit suffix letter, or -1 if c is not one. */
static int suffix_shift(char c)
{
    switch (c) {
    case 'b': case 'B': return 0;
    case 'k': case 'K': return SHIFT_K;
    case 'm': case 'M': return SHIFT_M;
    case 'g': case 'G': return SHIFT_G;
    case 't': case 'T': return SHIFT_T;
    default:            return -1;
    }
}

int cmdline_parse_size(const char *s, const char **end, uint64_t *bytes)
{
    const char *p;
    bool overflow;
    uint64_t v = simple_strtoull(s, &p, &overflow);
    int shift = suffix_shift(*p);

    if (p == s || overflow)
        return -1;
    if (shift >= 0)
        p++;
    else
        shift = SHIFT_K;          /* as Xen: the default unit is KiB */
    if (shift > 0 && v > (UINT64_MAX >> shift))
        return -1;
    *bytes = v << shift;
    *end = p;
    return 0;
}

/* A whole-string size: 0 ok, -1 if anything follows the unit. */
static int parse_size(const char *s, uint64_t *out)
{
    const char *end;
    uint64_t v;

    if (cmdline_parse_size(s, &end, &v) || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

static int set_bool(const struct cmdline_option *opt, const char *val,
                    bool negate)
{
    int b = val && *val ? parse_bool(val) : 1;     /* "name=" too, as Xen */

    if (b < 0)
        return -1;
    *(bool *)opt->var = negate ? !b : b;
    return 0;
}

static int set_string(const struct cmdline_option *opt, const char *val)
{
    size_t n = strlen(val);

    if (n >= opt->len)
        return -1;
    memcpy(opt->var, val, n + 1);
    return 0;
}

static int set_custom(const struct cmdline_option *opt, const char *val,
                      bool negate)
{
    cmdline_custom_fn fn = (cmdline_custom_fn)opt->var;

    if (negate && val)
        return -1;
    return fn(negate ? "no" : val ? val : "") < 0 ? -1 : 0;
}

/* Store val (NULL: the word had no '=') through opt; 0 or -1 if bad. */
static int set_option(const struct cmdline_option *opt, const char *val,
                      bool negate)
{
    if (negate && opt->type != CMDLINE_BOOL && opt->type != CMDLINE_CUSTOM)
        return -1;
    switch (opt->type) {
    case CMDLINE_BOOL:
        return set_bool(opt, val, negate);
    case CMDLINE_UINT:
        return val ? parse_uint(val, opt->var) : -1;
    case CMDLINE_SIZE:
        return val ? parse_size(val, opt->var) : -1;
    case CMDLINE_STRING:
        return set_string(opt, val ? val : "");
    case CMDLINE_CUSTOM:
        return set_custom(opt, val, negate);
    }
    return -1;
}

/* What a value of each type may be, for the bad-value message. */
static const char *const type_valid[] = {
    [CMDLINE_BOOL]   = "nothing, or 1, yes, on, true, enable, 0, no, off, "
                       "false, disable",
    [CMDLINE_UINT]   = "a number (decimal, 0x hex, or 0 octal)",
    [CMDLINE_SIZE]   = "a size: a number and an optional unit B, K, M, G "
                       "or T, e.g. 512M (bare: KiB, as Xen)",
    [CMDLINE_STRING] = "a string",
    [CMDLINE_CUSTOM] = "see docs/command-line.md",
};

/*
 * Say which option refused what, and what it takes, at WARN: the option
 * keeps the value it had (its default, unless given earlier).
 */
static void report_bad_value(const struct cmdline_option *opt, const char *val,
                             bool negate)
{
    const char *valid = opt->valid ? opt->valid : type_valid[opt->type];

    if (negate && opt->type != CMDLINE_BOOL && opt->type != CMDLINE_CUSTOM) {
        log_warn("\"no-%s\": %s is not a boolean and takes no \"no-\"; "
                 "expected %s=%s; option ignored", opt->name, opt->name,
                 opt->name, opt->type == CMDLINE_SIZE ? "SIZE" : "VALUE");
    } else if (opt->type == CMDLINE_STRING) {
        log_warn("bad value \"%s\" for %s: expected at most %zu characters; "
                 "option ignored", val, opt->name, opt->len - 1);
    } else if (!val) {
        log_warn("no value for %s: expected %s=VALUE, VALUE %s; option ignored",
                 opt->name, opt->name, valid);
    } else {
        log_warn("bad value \"%s\" for %s%s: expected %s; option ignored",
                 val, negate ? "no-" : "", opt->name, valid);
    }
}

/* Is the word's name a "no-"/"no_" form of a BOOL or CUSTOM option? */
static const struct cmdline_option *find_negated(const char *name, size_t len,
                                                 const struct cmdline_option *opts,
                                                 size_t nr_opts)
{
    const size_t prefix = 3;    /* strlen("no-") */

    if (len <= prefix || name[0] != 'n' || name[1] != 'o' ||
        name_char(name[2]) != '-')
        return NULL;
    return find_option(name + prefix, len - prefix, opts, nr_opts);
}

/* One NUL-terminated word; returns 0, or 1 if it was unknown or bad. */
static int parse_word(char *word, const struct cmdline_option *opts,
                      size_t nr_opts)
{
    char *eq = strchr(word, '=');
    size_t name_len = eq ? (size_t)(eq - word) : strlen(word);
    const char *val = eq ? eq + 1 : NULL;
    const struct cmdline_option *opt = find_option(word, name_len, opts, nr_opts);
    bool negate = false;

    if (!opt) {
        opt = find_negated(word, name_len, opts, nr_opts);
        negate = opt != NULL;
    }
    if (!opt) {
        log_warn("unknown option \"%s\" ignored (the options: "
                 "docs/command-line.md)", word);
        return 1;
    }
    if (set_option(opt, val, negate) < 0) {
        report_bad_value(opt, val, negate);
        return 1;
    }
    return 0;
}

int cmdline_parse(const char *cmdline, const struct cmdline_option *opts,
                  size_t nr_opts)
{
    char word[CMDLINE_WORD_MAX];
    const char *p = cmdline ? skip_blanks(cmdline) : "";
    int bad = 0;

    while (*p) {
        size_t n = word_length(p);

        if (n >= sizeof(word)) {
            log_warn("option \"%.32s...\" longer than %d chars ignored",
                     p, CMDLINE_WORD_MAX - 1);
            bad++;
        } else {
            memcpy(word, p, n);
            word[n] = '\0';
            bad += parse_word(word, opts, nr_opts);
        }
        p = skip_blanks(p + n);
    }
    return bad;
}

void cmdline_cook(const char *module_string, char *out, size_t outlen)
{
    const char *p = module_string ? skip_blanks(module_string) : "";
    size_t n;

    if (outlen == 0)
        return;
    p = skip_blanks(p + word_length(p));
    n = strnlen(p, outlen - 1);
    memcpy(out, p, n);
    out[n] = '\0';
}
