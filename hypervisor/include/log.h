/* SPDX-License-Identifier: MIT */
/*
 * log.h - levelled logging (CONVENTIONS.md section 5).
 * Owns:    the log_* macros; the level threshold lives in common/console.c
 *          (set by loglvl= on the command line).
 * Touches: nothing.
 *
 * Each .c file defines LOG_PREFIX once before including this header, so
 * every line reads "prefix: message". Choose the level by who is at fault:
 * ERR the hypervisor or hardware, WARN a domain crashed or a resource ran
 * out, INFO boot facts, DEBUG (rate-limited) guest mistakes.
 */
#ifndef PVISOR_LOG_H
#define PVISOR_LOG_H

#ifndef LOG_PREFIX
#define LOG_PREFIX "pvisor"
#endif

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Provided by common/console.c in the hypervisor, by harness.h in tests. */
void log_printf(enum log_level lvl, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_err(...)   log_printf(LOG_ERR, LOG_PREFIX, __VA_ARGS__)
#define log_warn(...)  log_printf(LOG_WARN, LOG_PREFIX, __VA_ARGS__)
#define log_info(...)  log_printf(LOG_INFO, LOG_PREFIX, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, LOG_PREFIX, __VA_ARGS__)

#endif
