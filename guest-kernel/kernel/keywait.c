/* SPDX-License-Identifier: MIT */
/*
 * keywait.c - keywait=SECONDS: wait for console input and the debug key,
 *             the first consumer of asynchronous events outside a test.
 * Owns:    the keywait counters and its two event handlers.
 * Touches: the event layer (evtchn_bind_virq, evtchn_close); the tty's
 *          console input (tty_input_start/stop, tty_set_input_hook); the
 *          timers (time_timers_start/stop, kernel_sleep_until);
 *          pv_ops.irq_enable, irq_disable.
 *
 * Input typed on the hypervisor's serial line goes to dom0 (Xen and pvisor
 * alike): each byte is queued for console_read and announces itself with
 * VIRQ_CONSOLE, a global VIRQ that only one port may be bound to.  The
 * tty (kernel/tty.c) owns that binding; keywait sets the tty's input hook,
 * so the bytes come here instead of the line discipline, starting the
 * binding if nobody has (and stopping it again after).  Ctrl-A three times
 * hands the input to the hypervisor, whose debug key 'q' dumps the domains
 * and raises VIRQ_DEBUG on every vCPU that bound it; Ctrl-A three times
 * hands it back.  keywait sleeps in slices (kernel_sleep_until: SCHEDOP_block
 * with the one-shot timer, events unmasked while blocked), the handlers
 * run in the upcall and print what came, and the loop ends once both a
 * VIRQ_DEBUG and a byte of input have arrived, or at the deadline.
 */
#include <kernel.h>
#include <evtchn.h>
#include <keywait.h>
#include <tty.h>
#include <time.h>
#include <asm/pvops.h>

/* How long one sleep lasts at most: how late keywait notices it is done. */
#define KEYWAIT_SLICE_NS   (100 * NSEC_PER_MSEC)
/* Printable ASCII: shown as itself, anything else as \xHH. */
#define KEYWAIT_PRINT_MIN  0x20
#define KEYWAIT_PRINT_MAX  0x7e

static volatile struct {
    unsigned long debug;        /* VIRQ_DEBUG events */
    unsigned long bytes;        /* console bytes read */
} keywait_seen;

static void keywait_debug(unsigned int port, void *arg)
{
    (void)port;
    (void)arg;
    keywait_seen.debug++;
    printk("pvkernel: keywait: VIRQ_DEBUG\n");
}

static void keywait_print_byte(unsigned char c)
{
    if (c >= KEYWAIT_PRINT_MIN && c <= KEYWAIT_PRINT_MAX)
        printk("pvkernel: keywait: console input '%c'\n", c);
    else
        printk("pvkernel: keywait: console input '\\x%02x'\n", c);
}

/* The tty's handler drained console_read, in the upcall. */
static void keywait_console(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        keywait_print_byte((unsigned char)s[i]);
    keywait_seen.bytes += len;
}

static bool keywait_done(void)
{
    return keywait_seen.debug && keywait_seen.bytes;
}

/* Sleep in slices until done or the deadline.  0, or the sleep's error. */
static long keywait_sleep(uint64_t deadline)
{
    long rc = 0;
    uint64_t now;

    while (rc == 0 && !keywait_done() && (now = clock_ns()) < deadline)
        rc = kernel_sleep_until(MIN(now + KEYWAIT_SLICE_NS, deadline));
    return rc;
}

long keywait_run(unsigned long seconds)
{
    bool own_timers = !time_timers_running(), own_input = !tty_input_running();
    long con, dbg, rc;

    keywait_seen.debug = keywait_seen.bytes = 0;
    rc = own_timers ? time_timers_start() : 0;
    tty_set_input_hook(keywait_console);
    con = rc ? rc : tty_input_start();
    dbg = con < 0 ? con : evtchn_bind_virq(EVTCHN_VIRQ_DEBUG, 0, keywait_debug, NULL);
    if (dbg < 0) {
        printk("pvkernel: keywait: cannot bind (%ld)\n", dbg);
        rc = dbg;
    } else {
        pv_ops.irq_enable();    /* input already queued is handled here */
        printk("pvkernel: keywait: waiting up to %lu s for console input and "
               "VIRQ_DEBUG\n", seconds);
        pv_ops.irq_disable();   /* kernel_sleep_until's contract */
        rc = keywait_sleep(clock_ns() + seconds * NSEC_PER_SEC);
        if (rc)
            printk("pvkernel: keywait: sleep failed (%ld)\n", rc);
        printk("pvkernel: keywait: %s (debug %lu, console %lu bytes)\n",
               keywait_done() ? "done" : "timed out", keywait_seen.debug,
               keywait_seen.bytes);
    }
    pv_ops.irq_disable();
    if (dbg > 0)
        evtchn_close(dbg);
    tty_set_input_hook(NULL);
    if (own_input)
        tty_input_stop();
    if (own_timers)
        time_timers_stop();
    return rc;
}
