/* SPDX-License-Identifier: MIT */
/*
 * console.c - printk, levelled logging and console input.
 * Owns:    the log level (loglvl=), the serial input ring, the rate limit
 *          for DEBUG lines (guest mistakes must not flood the line), where
 *          input goes (dom0 or the hypervisor's keys).
 * Touches: the serial driver; the log ring (console_log.c: what printk
 *          writes goes there too); handle_keypress() (keyhandler.c);
 *          dom0's VIRQ_CONSOLE; a timer that polls the UART.
 *
 * Input, as Xen's: it goes to dom0 (its ring, read with CONSOLEIO_read,
 * and VIRQ_CONSOLE raised) until the switch character, Ctrl-A, is typed
 * three times in a row; then to the hypervisor's debug keys, until the
 * same again. Switch characters in a group of fewer than three are passed
 * on. The UART is polled every CONSOLE_POLL_MS (no serial interrupt is
 * routed yet) and whenever the CPU goes idle. Under `./pvisor run`, QEMU
 * takes Ctrl-A itself: type Ctrl-A Ctrl-A to send one.
 */
#define LOG_PREFIX "console"
#include "config.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "keyhandler.h"
#include "lib.h"
#include "time.h"
#include "timer.h"

#define SWITCH_CHAR   ('a' & 0x1f)       /* Ctrl-A, Xen's default conswitch */
#define SWITCH_COUNT  3
#define CONSOLE_POLL_MS 10

#define PRINTK_BUF 512
#define DEBUG_BURST 200        /* DEBUG lines allowed before throttling */

int console_loglvl = LOG_INFO;
static unsigned int debug_lines;
static char in_ring[CONSOLE_IN_RING];
static size_t in_prod, in_cons;
static bool input_to_hypervisor;
static unsigned int switch_count;
static struct timer poll_timer;

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

void console_write_logged(const char *s, size_t len)
{
    console_write(s, len);
    console_log_put(s, len);
}

static void vprintk(const char *fmt, va_list ap)
{
    char buf[PRINTK_BUF];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (n < 0)
        return;
    console_write_logged(buf, MIN((size_t)n, sizeof(buf) - 1));
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

/* A byte for dom0: into the ring (dropped when full), VIRQ_CONSOLE. */
static bool rx_to_dom0(char c)
{
    if (in_prod - in_cons >= sizeof(in_ring))
        return false;
    in_ring[in_prod++ % sizeof(in_ring)] = c;
    return true;
}

static void switch_input(void)
{
    input_to_hypervisor = !input_to_hypervisor;
    printk("*** Serial input to %s (type 'CTRL-a' three times to switch input)\n",
           input_to_hypervisor ? "pvisor ('h' for the keys)" : "DOM0");
}

/* One byte from the UART; true if it went to dom0. */
static bool serial_rx(char c)
{
    bool to_dom0 = false;

    if (c == SWITCH_CHAR) {
        if (++switch_count == SWITCH_COUNT) {
            switch_count = 0;
            switch_input();
        }
        return false;
    }
    for (; switch_count; switch_count--)
        to_dom0 |= input_to_hypervisor ? (handle_keypress(SWITCH_CHAR), false)
                                       : rx_to_dom0(SWITCH_CHAR);
    if (input_to_hypervisor)
        handle_keypress(c);
    else
        to_dom0 |= rx_to_dom0(c);
    return to_dom0;
}

size_t console_poll_input(void)
{
    size_t n = 0;
    bool to_dom0 = false;
    char c;

    while (serial_getc(&c)) {
        to_dom0 |= serial_rx(c);
        n++;
    }
    if (to_dom0) {
        struct domain *d0 = domain_by_id(0);
        if (d0)
            send_guest_global_virq(d0, VIRQ_CONSOLE);
    }
    return n;
}

static void console_poll_fn(void *data)
{
    (void)data;
    console_poll_input();
    set_timer(&poll_timer, NOW() + MILLISECS(CONSOLE_POLL_MS));
}

void console_start_polling(void)
{
    init_timer(&poll_timer, console_poll_fn, NULL);
    set_timer(&poll_timer, NOW() + MILLISECS(CONSOLE_POLL_MS));
}

size_t console_read(char *buf, size_t len)
{
    size_t n = 0;

    console_poll_input();
    while (n < len && in_cons != in_prod)
        buf[n++] = in_ring[in_cons++ % sizeof(in_ring)];
    return n;
}
