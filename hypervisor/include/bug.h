/* SPDX-License-Identifier: MIT */
/*
 * bug.h - BUG_ON, ASSERT, UNREACHABLE (CONVENTIONS.md section 4).
 * Owns:    the macros; bug_fail() lives in common/panic.c (in the unit
 *          tests, harness.h turns it into a Check failure).
 *
 * BUG_ON is always compiled in and guards memory safety; ASSERT only in
 * debug builds (NDEBUG unset). No guest-controlled value may reach either:
 * a guest's mistake is an error return.
 */
#ifndef PVISOR_BUG_H
#define PVISOR_BUG_H

void bug_fail(const char *expr, const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));

#define BUG_ON(cond, ...) do { \
    if (__builtin_expect(!!(cond), 0)) \
        bug_fail(#cond, __FILE__, __LINE__, __VA_ARGS__); \
} while (0)

#ifdef NDEBUG
#define ASSERT(cond, ...) do { (void)sizeof(cond); } while (0)
#else
#define ASSERT(cond, ...) BUG_ON(!(cond), __VA_ARGS__)
#endif

#define UNREACHABLE(...) bug_fail("unreachable", __FILE__, __LINE__, __VA_ARGS__)

#endif
