/* SPDX-License-Identifier: MIT */
/*
 * testimage.h - what kernel/main.c asks of the test image's dispatcher.
 * Owns:    struct test_request (the attack=, fuzz=, bench words).
 * Touches: nothing (declarations; kernel/testimage.c implements them, as
 *          no-ops in the plain kernel).
 */
#ifndef TESTIMAGE_H
#define TESTIMAGE_H

#include <kernel.h>

enum test_kind { TEST_NONE, TEST_ATTACK, TEST_FUZZ, TEST_BENCH };

struct test_request {
    enum test_kind kind;
    char arg[CMDLINE_WORD_MAX];     /* attack name, or bench arguments */
    uint64_t seed, count;           /* fuzz=SEED:COUNT */
};

/* Take w if it is one of the test image's words (always false in the plain
 * kernel, so main.c reports the word as unknown). */
bool testimage_parse_word(const char *w, struct test_request *t);

/* Run what was asked; 0 if it passed (or nothing was asked). */
int testimage_run(const struct test_request *t);

#endif /* TESTIMAGE_H */
