/* SPDX-License-Identifier: MIT */
/*
 * string.c - the few string and memory functions a freestanding kernel needs.
 * Owns:    memset, memcpy, memcmp, str*.
 * Touches: nothing.
 */
#include <kernel.h>

void *memset(void *s, int c, size_t n)
{
    unsigned char *p = s;

    while (n--)
        *p++ = (unsigned char)c;
    return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while (n--)
        *d++ = *s++;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, (size_t)-1);
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    for (; *haystack; haystack++)
        if (!strncmp(haystack, needle, n))
            return (char *)haystack;
    return n ? NULL : (char *)haystack;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* As C's strtoull, without errno: base 0 takes a 0x prefix (hex), a
 * leading 0 (octal) or decimal; overflow wraps. */
unsigned long long strtoull(const char *s, char **end, int base)
{
    unsigned long long n = 0;
    const char *p = s;

    if (base == 0) {
        base = 10;
        if (p[0] == '0') {
            base = 8;
            if ((p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
                base = 16;
                p += 2;
            }
        }
    } else if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
               digit_value(p[2]) < 16) {
        p += 2;
    }
    for (; digit_value(*p) < base; p++)
        n = n * base + digit_value(*p);
    if (end)
        *end = (char *)p;
    return n;
}

const char *option_value(const char *w, const char *key)
{
    size_t n = strlen(key);

    return !strncmp(w, key, n) && w[n] == '=' ? w + n + 1 : NULL;
}
