/* SPDX-License-Identifier: MIT */
/*
 * console.c - printk, levelled logging and console input.
 * Owns:    the log level (loglvl=), the serial input ring, the rate limit
 *          for DEBUG lines (guest mistakes must not flood the line).
 * Touches: the serial driver only.
 */
#include "config.h"
#include "console.h"
#include "lib.h"

#define PRINTK_BUF 512
#define DEBUG_BURST 200        /* DEBUG lines allowed before throttling */

int console_loglvl = LOG_INFO;
static unsigned int debug_lines;
static char in_ring[CONSOLE_IN_RING];
static size_t in_prod, in_cons;

static const char *const level_names[] = {
    [LOG_ERR] = "error", [LOG_WARN] = "warning",
    [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

void console_init(void)
{
    serial_init();
}

void console_write(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
}

static void vprintk(const char *fmt, va_list ap)
{
    char buf[PRINTK_BUF];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n < 0)
        return;
    console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

void log_printf(enum log_level lvl, const char *prefix, const char *fmt, ...)
{
    va_list ap;

    if ((int)lvl > console_loglvl)
        return;
    if (lvl == LOG_DEBUG && ++debug_lines > DEBUG_BURST) {
        if (debug_lines == DEBUG_BURST + 1)
            printk("(debug messages throttled)\n");
        return;
    }
    printk("%s: ", prefix);
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
}

int console_parse_loglvl(const char *s)
{
    if (!strcmp(s, "none"))
        return LOG_ERR - 1;
    if (!strcmp(s, "all"))
        return LOG_DEBUG;
    if (!strcmp(s, "err"))
        return LOG_ERR;
    if (!strcmp(s, "warn"))
        return LOG_WARN;
    for (size_t i = 0; i < ARRAY_SIZE(level_names); i++)
        if (!strcmp(s, level_names[i]))
            return (int)i;
    return -2;
}

size_t console_poll_input(void)
{
    size_t n = 0;
    char c;

    while (serial_getc(&c)) {
        if (in_prod - in_cons < sizeof(in_ring))
            in_ring[in_prod++ % sizeof(in_ring)] = c;
        n++;
    }
    return n;
}

size_t console_read(char *buf, size_t len)
{
    size_t n = 0;

    console_poll_input();
    while (n < len && in_cons != in_prod)
        buf[n++] = in_ring[in_cons++ % sizeof(in_ring)];
    return n;
}
