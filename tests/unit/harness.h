/* SPDX-License-Identifier: MIT */
/*
 * harness.h - what a hypervisor source file needs to run on the host.
 * Owns:    log_printf() (records every line into a buffer tests can
 *          search, and echoes to stderr when PVISOR_TEST_VERBOSE is set);
 *          bug_fail() (a Check failure, or a longjmp back to EXPECT_BUG);
 *          harness_main(), the runner every test file uses.
 * Touches: nothing of the code under test.
 *
 * Include it in exactly one translation unit per test executable (the
 * test file): it defines the functions the hypervisor provides elsewhere.
 */
#ifndef PVISOR_TEST_HARNESS_H
#define PVISOR_TEST_HARNESS_H

#include <check.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bug.h"
#include "check_runner.h"
#include "log.h"

#define HARNESS_LOG_SIZE 65536
#define HARNESS_MSG_SIZE 1024

static char harness_log[HARNESS_LOG_SIZE];
static size_t harness_log_len;
static jmp_buf *harness_bug_jmp;          /* set inside EXPECT_BUG      */
static char harness_bug_msg[HARNESS_MSG_SIZE];

static const char *const harness_level_name[] = {
    [LOG_ERR] = "ERR", [LOG_WARN] = "WARN",
    [LOG_INFO] = "INFO", [LOG_DEBUG] = "DEBUG",
};

/* Appends "LEVEL prefix: message\n" to the log buffer (keeps what fits). */
void log_printf(enum log_level lvl, const char *prefix, const char *fmt, ...)
{
    char line[HARNESS_MSG_SIZE];
    size_t n, room = sizeof(harness_log) - 1 - harness_log_len;
    va_list ap;
    int len;

    len = snprintf(line, sizeof(line), "%s %s: ",
                   harness_level_name[lvl & 3], prefix);
    va_start(ap, fmt);
    vsnprintf(line + len, sizeof(line) - (size_t)len, fmt, ap);
    va_end(ap);
    n = strlen(line);
    if (n + 1 < sizeof(line))
        line[n++] = '\n', line[n] = '\0';
    if (getenv("PVISOR_TEST_VERBOSE"))
        fputs(line, stderr);
    n = n < room ? n : room;
    memcpy(harness_log + harness_log_len, line, n);
    harness_log_len += n;
    harness_log[harness_log_len] = '\0';
}

void bug_fail(const char *expr, const char *file, int line, const char *fmt, ...)
{
    char msg[HARNESS_MSG_SIZE / 2];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(harness_bug_msg, sizeof(harness_bug_msg),
             "BUG_ON(%s) at %s:%d: %s", expr, file, line, msg);
    if (harness_bug_jmp)
        longjmp(*harness_bug_jmp, 1);
    ck_abort_msg("%s", harness_bug_msg);
    abort();    /* not reached: ck_abort_msg does not return */
}

static inline void harness_log_reset(void)
{
    harness_log_len = 0;
    harness_log[0] = '\0';
}

static inline bool harness_log_contains(const char *needle)
{
    return strstr(harness_log, needle) != NULL;
}

/* Assert that the log holds needle; print the log when it does not. */
#define ck_assert_log_contains(needle) \
    ck_assert_msg(harness_log_contains(needle), \
                  "log lacks \"%s\"; log is:\n%s", (needle), harness_log)

/*
 * Run stmt and require that it hits a BUG_ON; afterwards harness_bug_msg
 * holds the message. The statement is abandoned by longjmp, as the
 * hypervisor would have halted there.
 */
#define EXPECT_BUG(stmt) do { \
    jmp_buf harness_jb_; \
    harness_bug_msg[0] = '\0'; \
    harness_bug_jmp = &harness_jb_; \
    if (setjmp(harness_jb_) == 0) { \
        stmt; \
        harness_bug_jmp = NULL; \
        ck_abort_msg("expected a BUG_ON from: %s", #stmt); \
    } \
    harness_bug_jmp = NULL; \
} while (0)

/* Runs every test of the suite; the exit status is what meson expects. */
static inline int harness_main(Suite *s)
{
    return run_check_suite(s);
}

#endif
