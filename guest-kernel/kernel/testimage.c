/* SPDX-License-Identifier: MIT */
/*
 * testimage.c - the test image's command-line dispatch (pvkernel-test.elf,
 *               built with -DPVKERNEL_TEST_IMAGE):
 *                 attack=NAME        hostile_run(NAME)   tests/guests/
 *                 fuzz=SEED:COUNT    fuzz_run(SEED, COUNT)  tests/fuzz/
 *                 bench[=ARGS]       bench_run(ARGS or "")  bench/
 *               The three entry points are defined here as weak defaults
 *               that say "not built into this image" and fail; the real
 *               ones, linked in from those directories, replace them.
 *               They run after the self-tests, on the kernel's own page
 *               tables, with include/testapi.h as their interface.
 * Owns:    the words above and the weak defaults.
 * Touches: printk.
 */
#include <kernel.h>
#include <testapi.h>
#include <testimage.h>

#ifdef PVKERNEL_TEST_IMAGE

__attribute__((weak)) int hostile_run(const char *name)
{
    printk("hostile: %s: not built into this image\n", name);
    return 1;
}

__attribute__((weak)) int fuzz_run(uint64_t seed, uint64_t count)
{
    printk("fuzz: seed %#lx count %lu: not built into this image\n", seed, count);
    return 1;
}

__attribute__((weak)) int bench_run(const char *args)
{
    printk("bench: '%s': not built into this image\n", args);
    return 1;
}

/* "SEED:COUNT", each decimal or 0x-hex. */
static bool parse_fuzz(const char *v, struct test_request *t)
{
    char *end;

    t->seed = strtoull(v, &end, 0);
    if (end == v || *end != ':')
        return false;
    v = end + 1;
    t->count = strtoull(v, &end, 0);
    return end != v && !*end;
}

static void copy_arg(struct test_request *t, const char *v)
{
    size_t n = strnlen(v, sizeof(t->arg) - 1);

    memcpy(t->arg, v, n);
    t->arg[n] = '\0';
}

bool testimage_parse_word(const char *w, struct test_request *t)
{
    const char *v;

    if ((v = option_value(w, "attack")) && *v) {
        t->kind = TEST_ATTACK;
        copy_arg(t, v);
    } else if ((v = option_value(w, "fuzz")) && parse_fuzz(v, t)) {
        t->kind = TEST_FUZZ;
    } else if (!strcmp(w, "bench") || (v = option_value(w, "bench"))) {
        t->kind = TEST_BENCH;
        copy_arg(t, strcmp(w, "bench") ? v : "");
    } else {
        return false;
    }
    return true;
}

int testimage_run(const struct test_request *t)
{
    switch (t->kind) {
    case TEST_ATTACK: return hostile_run(t->arg);
    case TEST_FUZZ:   return fuzz_run(t->seed, t->count);
    case TEST_BENCH:  return bench_run(t->arg);
    case TEST_NONE:   break;
    }
    return 0;
}

#else /* the plain kernel: no test words */

bool testimage_parse_word(const char *w, struct test_request *t)
{
    (void)w;
    (void)t;
    return false;
}

int testimage_run(const struct test_request *t)
{
    (void)t;
    return 0;
}

#endif
