/* SPDX-License-Identifier: MIT */
/*
 * lib.c - the string and memory functions the hypervisor carries.
 * Owns:    memcpy, memmove, memset, memcmp, strlen, strnlen, strcmp,
 *          strncmp, strchr (ISO C semantics) and simple_strtoull.
 * Touches: only the memory its arguments name.
 * Trusts:  its callers: pointers are valid for the lengths given.
 *
 * The same file builds freestanding (the hypervisor) and on the host (unit
 * tests, where the names are renamed to pv_* so that libc keeps its own).
 * GCC may turn a byte loop into a call to memcpy/memset, which here would
 * be this very function calling itself (or, in the tests, libc doing the
 * work we mean to test); NO_LOOP_TO_CALL forbids that transformation.
 */
#include "lib.h"

#if defined(__GNUC__) && !defined(__clang__)
#define NO_LOOP_TO_CALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LOOP_TO_CALL
#endif

/* A word that may alias any other type (memcpy/memset are byte-typeless). */
typedef uint64_t __attribute__((may_alias)) lib_word_t;
#define WORD_SIZE sizeof(lib_word_t)
/* Multiplying a byte by this copies it into all eight bytes of a word. */
#define BYTE_IN_EVERY_LANE 0x0101010101010101ULL

static bool both_word_aligned(const void *a, const void *b)
{
    return (((uintptr_t)a | (uintptr_t)b) & (WORD_SIZE - 1)) == 0;
}

NO_LOOP_TO_CALL
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (both_word_aligned(d, s)) {
        for (; n >= WORD_SIZE; n -= WORD_SIZE, d += WORD_SIZE, s += WORD_SIZE)
            *(lib_word_t *)d = *(const lib_word_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

/* Copies backwards when dst lies above src, so overlapping bytes survive. */
NO_LOOP_TO_CALL
void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    d += n;
    s += n;
    while (n--)
        *--d = *--s;
    return dst;
}

NO_LOOP_TO_CALL
void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    lib_word_t pattern = (unsigned char)c * BYTE_IN_EVERY_LANE;

    while (n > 0 && ((uintptr_t)d & (WORD_SIZE - 1)) != 0) {
        *d++ = (unsigned char)c;
        n--;
    }
    for (; n >= WORD_SIZE; n -= WORD_SIZE, d += WORD_SIZE)
        *(lib_word_t *)d = pattern;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

NO_LOOP_TO_CALL
int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n > 0; n--, x++, y++) {
        if (*x != *y)
            return *x < *y ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

/* Compares as unsigned char, as ISO C requires. */
int strcmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    while (*x && *x == *y) {
        x++;
        y++;
    }
    return (*x > *y) - (*x < *y);
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a;
    const unsigned char *y = (const unsigned char *)b;

    for (; n > 0; n--, x++, y++) {
        if (*x != *y || *x == '\0')
            return (*x > *y) - (*x < *y);
    }
    return 0;
}

/* As ISO C: the terminating NUL is part of the string (strchr(s, 0)). */
char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (*s == '\0')
            return NULL;
    }
}

#define BASE_OCT 8
#define BASE_DEC 10
#define BASE_HEX 16
#define DIGIT_NONE 0xff     /* digit_value(): not a digit in any base */

static unsigned int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned int)(c - 'a') + BASE_DEC;
    if (c >= 'A' && c <= 'F')
        return (unsigned int)(c - 'A') + BASE_DEC;
    return DIGIT_NONE;
}

/* "0x" counts as a prefix only when a hex digit follows it. */
static unsigned int detect_base(const char **s)
{
    const char *p = *s;

    if (p[0] != '0')
        return BASE_DEC;
    if ((p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < BASE_HEX) {
        *s = p + 2;
        return BASE_HEX;
    }
    return BASE_OCT;
}

uint64_t simple_strtoull(const char *s, const char **end, bool *overflow)
{
    unsigned int base = detect_base(&s);
    uint64_t val = 0;
    bool ovf = false;
    unsigned int d;

    for (; (d = digit_value(*s)) < base; s++) {
        if (val > (UINT64_MAX - d) / base)
            ovf = true;
        val = ovf ? UINT64_MAX : val * base + d;
    }
    if (end)
        *end = s;
    if (overflow)
        *overflow = ovf;
    return val;
}
