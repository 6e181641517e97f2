/* SPDX-License-Identifier: MIT */
/*
 * lib.h - the small C library the hypervisor carries (common/lib.c,
 * common/vsnprintf.c).
 * Owns:    declarations only; prototypes match ISO C so that the same
 *          sources compile on the host against libc in the unit tests.
 * Touches: nothing.
 */
#ifndef PVISOR_LIB_H
#define PVISOR_LIB_H

#include <stdarg.h>
#include "types.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Write why something is refused into err (when there is one and it has
 * room) and return -1: the one way the image parsers, the decompressors
 * and the domain builder report a refusal. */
int fail_reason(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Parse an unsigned integer in base 10, or 16 with a 0x prefix, or 8 with a
 * leading 0. Stops at the first character that is not a digit; *end points
 * there. Saturates at UINT64_MAX and sets *overflow (if non-NULL).
 */
uint64_t simple_strtoull(const char *s, const char **end, bool *overflow);

#endif
