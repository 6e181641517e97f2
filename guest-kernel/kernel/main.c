/* SPDX-License-Identifier: MIT */
/*
 * main.c - start_kernel(): banner, platform set-up, traps, command line,
 *          memory, self-tests, the test image's work, shutdown.
 * Owns:    the boot order and the command-line words:
 *            selftest | noselftest        run the self-tests (default: run)
 *            shutdown=poweroff|reboot|crash   reason at the end (default:
 *                                         poweroff if everything passed,
 *                                         crash otherwise)
 *            crash=nohandler              clear the trap table, then fault:
 *                                         the hypervisor must kill the domain
 *            crash=int80                  "int $0x80" before the trap table
 *                                         is installed: a #GP with no
 *                                         handler, so the domain is killed
 *            mm=boot                      stay on the bootstrap page tables
 *            balloon=SIZE                 give SIZE (bytes, or K/M/G) back to
 *                                         the hypervisor and take it again
 *            keywait=SECONDS              before shutting down, wait up to
 *                                         SECONDS for console input and
 *                                         VIRQ_DEBUG (0: don't)
 *            evtchn=fifo                  after mm_init(), switch the event
 *                                         layer to the FIFO ABI (default:
 *                                         2-level); stays 2-level if refused
 *            pingpong=PEER,ROUNDS[,serve|,both]   interdomain round trips
 *                                         with domain PEER (kernel/pingpong.c)
 *            spin=MS                      compute for MS ms, events masked
 *            yieldloop=N                  N SCHEDOP_yield, timed
 *            wait_domus                   dom0, before shutting down: wait
 *                                         until every other domain has
 *                                         ended (kernel/domwait.c)
 *            boottsc                      print the TSC at our first
 *                                         instruction and first console
 *                                         write (bench/create.sh)
 *            init=PATH                    with an initramfs: the first
 *                                         program (default /sbin/init)
 *            -- WORDS                     the rest of the line: init's
 *                                         arguments (kernel/init.c)
 *          and, in the test image only (kernel/testimage.c):
 *            attack=NAME | fuzz=SEED:COUNT | bench[=ARGS]
 * Touches: pv_ops (load_idt, shutdown); mm_init(); evtchn_fifo_start();
 *          balloon_run();
 *          selftest_run_all(); testimage_run(); the roles (roles.h:
 *          pingpong_run(), spin_run(), yieldloop_run()); keywait_run();
 *          domwait_run(); initramfs_load(), init_run().
 */
#include <kernel.h>
#include <domwait.h>
#include <evtchn.h>
#include <init.h>
#include <keywait.h>
#include <mm.h>
#include <roles.h>
#include <selftest.h>
#include <time.h>
#include <testimage.h>
#include <asm/pvops.h>
#include <asm/traps.h>
#include <asm/tsc.h>

/* start_info.cmd_line is this long, NUL included (MAX_GUEST_CMDLINE). */
#define CMDLINE_MAX 1024

struct boot_options {
    bool selftest;
    bool shutdown_given;
    enum power_reason shutdown;
    bool crash_nohandler;
    bool crash_int80;           /* crash=int80 */
    bool boot_tables;           /* mm=boot */
    uint64_t balloon_bytes;     /* balloon=SIZE; 0: no balloon */
    unsigned long keywait_s;    /* keywait=SECONDS; 0: no wait */
    bool evtchn_fifo;           /* evtchn=fifo */
    struct pingpong_request pingpong;   /* pingpong=PEER,ROUNDS[,serve|,both] */
    unsigned long spin_ms;      /* spin=MS; 0: no spin */
    unsigned long yieldloop;    /* yieldloop=N; 0: none */
    struct test_request test;   /* attack=, fuzz=, bench */
    struct init_request init;   /* init=PATH, and the words after "--" */
    bool after_dashes;          /* "--" seen: the rest is init's argv */
    bool boottsc;               /* boottsc */
};

static const struct { const char *name; enum power_reason reason; } reasons[] = {
    [POWER_OFF]    = { "poweroff", POWER_OFF },
    [POWER_REBOOT] = { "reboot",   POWER_REBOOT },
    [POWER_CRASH]  = { "crash",    POWER_CRASH },
};

static bool parse_shutdown(const char *value, struct boot_options *o)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(reasons); i++) {
        if (!strcmp(value, reasons[i].name)) {
            o->shutdown = reasons[i].reason;
            o->shutdown_given = true;
            return true;
        }
    }
    return false;
}

/* "64K", "8M", "1G" or a plain byte count; false if it is none of these. */
static bool parse_size(const char *v, uint64_t *bytes)
{
    char *end;
    uint64_t n = strtoull(v, &end, 0);

    switch (*end) {
    case 'K': case 'k': n <<= 10; end++; break;
    case 'M': case 'm': n <<= 20; end++; break;
    case 'G': case 'g': n <<= 30; end++; break;
    }
    if (end == v || *end)
        return false;
    *bytes = n;
    return true;
}

/* A plain decimal number (seconds, milliseconds, a count); false if it is
 * not one. */
static bool parse_decimal(const char *v, unsigned long *n)
{
    char *end;
    unsigned long long value = strtoull(v, &end, 10);

    if (end == v || *end)
        return false;
    *n = value;
    return true;
}

static void parse_word(const char *w, struct boot_options *o)
{
    const char *v;

    if (o->after_dashes)
        init_parse_word(w, true, &o->init);
    else if (!strcmp(w, "--"))
        o->after_dashes = true;
    else if (init_parse_word(w, false, &o->init))
        return;
    else if (!strcmp(w, "selftest"))
        o->selftest = true;
    else if (!strcmp(w, "noselftest"))
        o->selftest = false;
    else if (!strcmp(w, "crash=nohandler"))
        o->crash_nohandler = true;
    else if (!strcmp(w, "crash=int80"))
        o->crash_int80 = true;
    else if (!strcmp(w, "mm=boot"))
        o->boot_tables = true;
    else if (!strcmp(w, "boottsc"))
        o->boottsc = true;
    else if (!strcmp(w, "evtchn=fifo"))
        o->evtchn_fifo = true;
    else if ((v = option_value(w, "shutdown")) && parse_shutdown(v, o))
        return;
    else if ((v = option_value(w, "balloon")) && parse_size(v, &o->balloon_bytes))
        return;
    else if ((v = option_value(w, "keywait")) && parse_decimal(v, &o->keywait_s))
        return;
    else if ((v = option_value(w, "pingpong")) && pingpong_parse(v, &o->pingpong))
        return;
    else if ((v = option_value(w, "spin")) && parse_decimal(v, &o->spin_ms))
        return;
    else if ((v = option_value(w, "yieldloop")) && parse_decimal(v, &o->yieldloop))
        return;
    else if (testimage_parse_word(w, &o->test))
        return;
    else if (domwait_parse_word(w))
        return;
    else
        printk("pvkernel: ignoring unknown option '%s'\n", w);
}

static void parse_cmdline(const char *cmdline, struct boot_options *o)
{
    char word[CMDLINE_WORD_MAX];
    size_t len = strnlen(cmdline, CMDLINE_MAX), i = 0, n;

    while (i < len) {
        while (i < len && cmdline[i] == ' ')
            i++;
        for (n = 0; i < len && cmdline[i] != ' '; i++)
            if (n + 1 < sizeof(word))
                word[n++] = cmdline[i];
        word[n] = '\0';
        if (n)
            parse_word(word, o);
    }
}

/* The negative test: with no trap table, a fault cannot be delivered. */
static void fault_without_handler(void)
{
    printk("pvkernel: faulting with no handler\n");
    pv_ops.load_idt(NULL, 0);
    (void)*(volatile unsigned long *)ST_UNMAPPED_VA;
    panic("still running after a fault with no handler");
}

/* The same with a software interrupt, before there was ever a trap table. */
static void int80_without_trap_table(void)
{
    printk("pvkernel: int $0x80 with no trap table\n");
    asm volatile("int $0x80" ::: "memory");
    panic("still running after int $0x80 with no trap table");
}

/* evtchn=fifo: needs the page allocator, and no port bound yet. */
static void evtchn_use_fifo(void)
{
    long rc = evtchn_fifo_start();

    if (rc > 0)
        printk("evtchn: FIFO ABI (link_bits %ld, ports 0..%u)\n", rc,
               EVTCHN_FIFO_ARRAY_PORTS - 1);
    else
        printk("evtchn: FIFO ABI refused (%ld): staying on 2-level\n", rc);
}

/* With an initramfs: unpack it, run init until it ends.  1 if the
 * initramfs was refused or init could not be started. */
static int run_initramfs(struct init_request *r)
{
    int rc = initramfs_load();

    if (rc <= 0)
        return rc < 0;
    return init_run(r) < 0;
}

static void __noreturn shutdown(enum power_reason why)
{
    printk("pvkernel: shutting down (%s)\n", reasons[why].name);
    pv_ops.shutdown(why);
}

void __noreturn start_kernel(const char *cmdline)
{
    struct boot_options opt = { .selftest = true };
    int failed = 0;

    printk("pvkernel %s booting (PV64, Xen ABI)\n", PVKERNEL_VERSION);
    arch_setup();
    parse_cmdline(cmdline, &opt);       /* before anything may fault */
    if (opt.boottsc)
        printk("boottsc: entry %llu console %llu\n",
               (unsigned long long)boot_tsc_entry,
               (unsigned long long)boot_tsc_console);
    if (opt.crash_int80)
        int80_without_trap_table();
    time_init();
    trap_init();
    entry_init();
    mm_init(!opt.boot_tables);
    if (opt.evtchn_fifo)
        evtchn_use_fifo();
    if (opt.balloon_bytes && balloon_run(opt.balloon_bytes))
        failed++;
    if (opt.selftest)
        failed += selftest_run_all();
    if (testimage_run(&opt.test))
        failed++;
    if (run_initramfs(&opt.init))
        failed++;
    if (opt.pingpong.on && pingpong_run(&opt.pingpong))
        failed++;
    if (opt.spin_ms && spin_run(opt.spin_ms))
        failed++;
    if (opt.yieldloop && yieldloop_run(opt.yieldloop))
        failed++;
    if (opt.keywait_s && keywait_run(opt.keywait_s))
        failed++;
    if (opt.crash_nohandler)
        fault_without_handler();
    if (domwait_run())
        failed++;
    if (!opt.shutdown_given)
        opt.shutdown = failed ? POWER_CRASH : POWER_OFF;
    shutdown(opt.shutdown);
}
