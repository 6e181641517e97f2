/* SPDX-License-Identifier: MIT */
/*
 * printk.c - formatted output to the console pv-op, and panic().
 * Owns:    vsnprintf (%s %c %d %i %u %x %X %p %%, flags '#' '0' '-',
 *          width and precision (also '*'), precision only for %s,
 *          length 'l' 'll' 'z').
 * Touches: pv_ops.console_write, pv_ops.shutdown (panic).
 */
#include <kernel.h>
#include <asm/pvops.h>

#define PRINTK_BUF_SIZE 512
#define NUM_BUF_SIZE    24      /* 2^64 in octal would need 22 digits */

struct out { char *buf; size_t size, len; };

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

struct spec { bool alt, zero, left; int width, prec; };

static void out_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
    int pad = sp->width > (int)n ? sp->width - (int)n : 0;

    while (!sp->left && pad-- > 0)
        out_char(o, sp->zero ? '0' : ' ');
    while (n--)
        out_char(o, *s++);
    while (sp->left && pad-- > 0)
        out_char(o, ' ');
}

static void out_number(struct out *o, const struct spec *sp, unsigned long long v,
                       unsigned base, bool neg, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[NUM_BUF_SIZE + 3];
    char *p = tmp + sizeof(tmp);
    size_t n;

    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    if (sp->alt && base == 16) {
        *--p = upper ? 'X' : 'x';
        *--p = '0';
    }
    if (neg)
        *--p = '-';
    n = tmp + sizeof(tmp) - p;
    out_padded(o, sp, p, n);
}

/* Parse flags, width and precision at fmt; return where the rest begins. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){ .prec = -1 };
    for (;; fmt++) {
        if (*fmt == '#') sp->alt = true;
        else if (*fmt == '0') sp->zero = true;
        else if (*fmt == '-') sp->left = true;
        else break;
    }
    if (*fmt == '*') {
        sp->width = va_arg(*ap, int);
        fmt++;
    }
    while (*fmt >= '0' && *fmt <= '9')
        sp->width = sp->width * 10 + (*fmt++ - '0');
    if (*fmt == '.' && *++fmt == '*') {
        sp->prec = va_arg(*ap, int);
        fmt++;
    } else if (fmt[-1] == '.') {
        for (sp->prec = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
            sp->prec = sp->prec * 10 + (*fmt - '0');
    }
    return fmt;
}

static void out_conversion(struct out *o, struct spec *sp, int lng, char c, va_list *ap)
{
    unsigned long long u;
    long long s;
    const char *str;

    switch (c) {
    case 'c':
        out_char(o, (char)va_arg(*ap, int));
        return;
    case 's':
        str = va_arg(*ap, const char *);
        str = str ? str : "(null)";
        out_padded(o, sp, str, sp->prec >= 0 ? strnlen(str, sp->prec) : strlen(str));
        return;
    case 'd': case 'i':
        s = lng >= 2 ? va_arg(*ap, long long) : lng ? va_arg(*ap, long) : va_arg(*ap, int);
        out_number(o, sp, s < 0 ? -(unsigned long long)s : (unsigned long long)s, 10,
                   s < 0, false);
        return;
    case 'p':
        sp->alt = true;
        out_number(o, sp, (unsigned long)va_arg(*ap, void *), 16, false, false);
        return;
    case 'u': case 'x': case 'X':
        u = lng >= 2 ? va_arg(*ap, unsigned long long)
            : lng ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
        out_number(o, sp, u, c == 'u' ? 10 : 16, false, c == 'X');
        return;
    default:
        out_char(o, '%');
        out_char(o, c);
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    struct spec sp;
    va_list aq;
    int lng;

    va_copy(aq, ap);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        if (*++fmt == '%') {
            out_char(&o, '%');
            continue;
        }
        fmt = parse_spec(fmt, &sp, &aq);
        for (lng = 0; *fmt == 'l' || *fmt == 'z'; fmt++)
            lng++;
        if (!*fmt)
            break;
        out_conversion(&o, &sp, lng, *fmt, &aq);
    }
    va_end(aq);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
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

static void vprintk(const char *fmt, va_list ap)
{
    char buf[PRINTK_BUF_SIZE];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n >= (int)sizeof(buf))
        n = sizeof(buf) - 1;
    pv_ops.console_write(buf, n);
}

void printk(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    printk("pvkernel: panic: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\npvkernel: shutting down (crash)\n");
    pv_ops.shutdown(POWER_CRASH);
}
