/* SPDX-License-Identifier: MIT */
/*
 * vsnprintf.c - formatted output into a bounded buffer.
 * Owns:    vsnprintf() and snprintf().
 * Touches: only buf[0, size).
 * Trusts:  the format string (hypervisor code, checked by the compiler's
 *          format attribute); never a guest string as the format.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%. Length modifiers hh h l ll z
 * t j. Flags '-' '0' '#' '+' ' '. Width and precision, each a number or
 * '*'. Precision on %s bounds the bytes read; on integers it is the
 * minimum number of digits, as in C99.
 * Departures from C99, chosen for a hypervisor log: %p prints "0x" and
 * the hex value (NULL is "0x0"); %s of NULL prints "(null)"; an unknown
 * conversion is copied out as written ("%q" prints "%q"). No floating point.
 * The result is always NUL-terminated when size > 0, and the return value
 * is the length the whole output would have had (C99), so callers detect
 * truncation by ret >= size.
 */
#include "lib.h"

enum fmt_flags {
    FMT_LEFT  = 1 << 0,     /* '-': pad on the right                    */
    FMT_ZERO  = 1 << 1,     /* '0': pad numbers with zeros              */
    FMT_ALT   = 1 << 2,     /* '#': 0x prefix for hex, 0 for octal      */
    FMT_PLUS  = 1 << 3,     /* '+': sign on non-negative numbers        */
    FMT_SPACE = 1 << 4,     /* ' ': space before non-negative numbers   */
    FMT_UPPER = 1 << 5,     /* %X                                       */
    FMT_PTR   = 1 << 6,     /* %p: always "0x"                          */
    FMT_SIGNED = 1 << 7,    /* %d %i: '+' and ' ' apply                 */
};

enum fmt_length { LEN_HH, LEN_H, LEN_INT, LEN_L, LEN_LL, LEN_Z };

#define PREC_NONE (-1)
#define BASE_OCT 8
#define BASE_DEC 10
#define BASE_HEX 16
/* Digits of the longest number: UINT64_MAX in octal. */
#define NUM_DIGITS_MAX 22

struct fmt_spec {
    unsigned int flags;
    int width;
    int prec;               /* PREC_NONE when not given                 */
    enum fmt_length len;
};

/* The output cursor: counts every char, stores those that fit. */
struct fmt_out {
    char *buf;
    size_t size;
    size_t pos;
};

static void out_char(struct fmt_out *o, char c)
{
    if (o->pos + 1 < o->size)
        o->buf[o->pos] = c;
    o->pos++;
}

static void out_repeat(struct fmt_out *o, char c, int n)
{
    for (; n > 0; n--)
        out_char(o, c);
}

static void out_chars(struct fmt_out *o, const char *s, size_t n)
{
    while (n--)
        out_char(o, *s++);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A decimal number or '*' (from the arguments); saturates instead of wrapping. */
static int parse_count(const char **fmt, va_list *ap, bool *star)
{
    const char *p = *fmt;
    int n = 0;

    *star = (*p == '*');
    if (*star) {
        *fmt = p + 1;
        return va_arg(*ap, int);
    }
    for (; is_digit(*p); p++)
        n = n > (INT32_MAX - BASE_DEC) / BASE_DEC ? INT32_MAX : n * BASE_DEC + (*p - '0');
    *fmt = p;
    return n;
}

static unsigned int parse_flags(const char **fmt)
{
    unsigned int flags = 0;

    for (;; (*fmt)++) {
        switch (**fmt) {
        case '-': flags |= FMT_LEFT; break;
        case '0': flags |= FMT_ZERO; break;
        case '#': flags |= FMT_ALT; break;
        case '+': flags |= FMT_PLUS; break;
        case ' ': flags |= FMT_SPACE; break;
        default:  return flags;
        }
    }
}

static enum fmt_length parse_length(const char **fmt)
{
    const char *p = *fmt;
    enum fmt_length len = LEN_INT;

    if (p[0] == 'h') {
        len = p[1] == 'h' ? LEN_HH : LEN_H;
        p += len == LEN_HH ? 2 : 1;
    } else if (p[0] == 'l') {
        len = p[1] == 'l' ? LEN_LL : LEN_L;
        p += len == LEN_LL ? 2 : 1;
    } else if (p[0] == 'z' || p[0] == 't' || p[0] == 'j') {
        len = p[0] == 'j' ? LEN_LL : LEN_Z;
        p++;
    }
    *fmt = p;
    return len;
}

/* Everything between '%' and the conversion character. */
static void parse_spec(const char **fmt, va_list *ap, struct fmt_spec *sp)
{
    bool star;

    sp->flags = parse_flags(fmt);
    sp->width = parse_count(fmt, ap, &star);
    if (sp->width < 0) {            /* a negative '*' width means '-'  */
        sp->flags |= FMT_LEFT;
        sp->width = sp->width == INT32_MIN ? INT32_MAX : -sp->width;
    }
    sp->prec = PREC_NONE;
    if (**fmt == '.') {
        (*fmt)++;
        sp->prec = parse_count(fmt, ap, &star);
        if (sp->prec < 0)           /* a negative '*' precision: none  */
            sp->prec = PREC_NONE;
    }
    sp->len = parse_length(fmt);
}

static uint64_t fetch_unsigned(va_list *ap, enum fmt_length len)
{
    switch (len) {
    case LEN_HH: return (unsigned char)va_arg(*ap, unsigned int);
    case LEN_H:  return (unsigned short)va_arg(*ap, unsigned int);
    case LEN_L:  return va_arg(*ap, unsigned long);
    case LEN_LL: return va_arg(*ap, unsigned long long);
    case LEN_Z:  return va_arg(*ap, size_t);
    default:     return va_arg(*ap, unsigned int);
    }
}

static int64_t fetch_signed(va_list *ap, enum fmt_length len)
{
    switch (len) {
    case LEN_HH: return (signed char)va_arg(*ap, int);
    case LEN_H:  return (short)va_arg(*ap, int);
    case LEN_L:  return va_arg(*ap, long);
    case LEN_LL: return va_arg(*ap, long long);
    case LEN_Z:  return va_arg(*ap, ptrdiff_t);
    default:     return va_arg(*ap, int);
    }
}

/* Digits of v in base, most significant first; returns their count. */
static int to_digits(uint64_t v, unsigned int base, bool upper,
                     char digits[NUM_DIGITS_MAX])
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[NUM_DIGITS_MAX];
    int n = 0, i;

    do {
        rev[n++] = set[v % base];
        v /= base;
    } while (v != 0);
    for (i = 0; i < n; i++)
        digits[i] = rev[n - 1 - i];
    return n;
}

/* The sign or base prefix that goes before the digits. */
static const char *number_prefix(const struct fmt_spec *sp, unsigned int base,
                                 bool negative, uint64_t v)
{
    if (negative)
        return "-";
    if (sp->flags & FMT_SIGNED)
        return sp->flags & FMT_PLUS ? "+" : sp->flags & FMT_SPACE ? " " : "";
    if (sp->flags & FMT_PTR)
        return "0x";
    if (base == BASE_HEX && (sp->flags & FMT_ALT) && v != 0)
        return sp->flags & FMT_UPPER ? "0X" : "0x";
    return "";
}

/* C99 layout: [spaces] prefix [zeros] digits [spaces]. */
static void out_number(struct fmt_out *o, const struct fmt_spec *sp,
                       uint64_t v, unsigned int base, bool negative)
{
    char digits[NUM_DIGITS_MAX];
    const char *prefix = number_prefix(sp, base, negative, v);
    int ndig = to_digits(v, base, sp->flags & FMT_UPPER, digits);
    int plen = (int)strlen(prefix), zeros = 0, pad;

    if (sp->prec == 0 && v == 0)
        ndig = 0;                   /* "%.0d" of 0 prints nothing      */
    if (sp->prec > ndig)
        zeros = sp->prec - ndig;
    if (base == BASE_OCT && (sp->flags & FMT_ALT) && zeros == 0 &&
        (ndig == 0 || digits[0] != '0'))
        zeros = 1;                  /* "%#o" always starts with a 0    */
    pad = sp->width - plen - zeros - ndig;
    if ((sp->flags & FMT_ZERO) && !(sp->flags & FMT_LEFT) &&
        sp->prec == PREC_NONE && pad > 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(sp->flags & FMT_LEFT))
        out_repeat(o, ' ', pad);
    out_chars(o, prefix, (size_t)plen);
    out_repeat(o, '0', zeros);
    out_chars(o, digits, (size_t)ndig);
    if (sp->flags & FMT_LEFT)
        out_repeat(o, ' ', pad);
}

/* Text padded to the width; no zero padding for text. */
static void out_text(struct fmt_out *o, const struct fmt_spec *sp,
                     const char *s, size_t n)
{
    int pad = sp->width > (int64_t)n ? sp->width - (int)n : 0;

    if (!(sp->flags & FMT_LEFT))
        out_repeat(o, ' ', pad);
    out_chars(o, s, n);
    if (sp->flags & FMT_LEFT)
        out_repeat(o, ' ', pad);
}

static void conv_string(struct fmt_out *o, const struct fmt_spec *sp,
                        const char *s)
{
    size_t max = sp->prec == PREC_NONE ? SIZE_MAX : (size_t)sp->prec;

    if (s == NULL)
        s = "(null)";
    out_text(o, sp, s, strnlen(s, max));
}

static void conv_signed(struct fmt_out *o, struct fmt_spec *sp,
                        va_list *ap)
{
    int64_t v = fetch_signed(ap, sp->len);
    /* Negate in unsigned arithmetic: INT64_MIN has no positive twin. */
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    sp->flags |= FMT_SIGNED;
    out_number(o, sp, mag, BASE_DEC, v < 0);
}

static void conv_pointer(struct fmt_out *o, struct fmt_spec *sp, va_list *ap)
{
    uintptr_t p = (uintptr_t)va_arg(*ap, void *);

    sp->flags |= FMT_PTR;
    out_number(o, sp, p, BASE_HEX, false);
}

/* One conversion; fmt points at the conversion character. */
static void convert(struct fmt_out *o, struct fmt_spec *sp, const char *fmt,
                    const char *start, va_list *ap)
{
    char c;

    switch (*fmt) {
    case 'd': case 'i':
        conv_signed(o, sp, ap);
        break;
    case 'u':
        out_number(o, sp, fetch_unsigned(ap, sp->len), BASE_DEC, false);
        break;
    case 'X':
        sp->flags |= FMT_UPPER;
        /* fall through */
    case 'x':
        out_number(o, sp, fetch_unsigned(ap, sp->len), BASE_HEX, false);
        break;
    case 'o':
        out_number(o, sp, fetch_unsigned(ap, sp->len), BASE_OCT, false);
        break;
    case 'p':
        conv_pointer(o, sp, ap);
        break;
    case 's':
        conv_string(o, sp, va_arg(*ap, const char *));
        break;
    case 'c':
        c = (char)va_arg(*ap, int);
        out_text(o, sp, &c, 1);
        break;
    case '%':
        out_char(o, '%');
        break;
    default:                        /* unknown: copy "%...x" verbatim  */
        out_chars(o, start, (size_t)(fmt - start) + (*fmt != '\0'));
        break;
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct fmt_out o = { buf, size, 0 };
    struct fmt_spec sp;
    const char *start;
    va_list ap;

    va_copy(ap, ap_in);             /* so helpers can take a va_list *  */
    while (*fmt) {
        if (*fmt != '%') {
            out_char(&o, *fmt++);
            continue;
        }
        start = fmt++;
        parse_spec(&fmt, &ap, &sp);
        convert(&o, &sp, fmt, start, &ap);
        if (*fmt)
            fmt++;
    }
    va_end(ap);
    if (size > 0)
        buf[o.pos < size ? o.pos : size - 1] = '\0';
    return o.pos > INT32_MAX ? INT32_MAX : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int fail_reason(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}
