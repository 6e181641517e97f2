/* SPDX-License-Identifier: MIT */
/*
 * check.h - the checks' bookkeeping shared by the user test programs
 *           (sigtest, pipetest, ttytest, misctest, forktest): one program,
 *           one file, so the counters live here as statics.
 * Owns:    the "PROG: ok NAME" / "PROG: FAIL NAME (why)" lines the boot
 *          tests match, and the closing "PROG: N checks, M failed".
 * Touches: stdout.
 *
 * Define CHECK_PROG (the program's name, a string) before including it.
 */
#ifndef USER_CHECK_H
#define USER_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <time.h>

#ifndef CHECK_PROG
#error "define CHECK_PROG before including check.h"
#endif

static int checks, failed;

/* One check: ok, or FAIL with fmt filled from a and b (the values seen). */
static inline void check(int ok, const char *name, const char *fmt, long a, long b)
{
    checks++;
    if (ok) {
        printf(CHECK_PROG ": ok %s\n", name);
        return;
    }
    failed++;
    printf(CHECK_PROG ": FAIL %s (", name);
    printf(fmt, a, b);
    printf(")\n");
}

/* The closing line; the exit status the program should return. */
static inline int check_report(void)
{
    printf(CHECK_PROG ": %d checks, %d failed\n", checks, failed);
    return failed ? 1 : 0;
}

/* Sleep the whole time, whatever signal handlers run meanwhile. */
static inline void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}

#endif /* USER_CHECK_H */
