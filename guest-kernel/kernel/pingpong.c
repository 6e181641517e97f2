/* SPDX-License-Identifier: MIT */
/*
 * pingpong.c - pingpong=: event-channel round trips between two domains
 *              that share no store, measured in TSC ticks.
 * Owns:    pingpong_parse(), pingpong_run() and their output lines:
 *            pingpong: ROUNDS round trips, N tsc per round trip   (client)
 *            pingpong: served ROUNDS round trips                  (server)
 * Touches: the event layer (evtchn_alloc_unbound, evtchn_bind_interdomain,
 *          evtchn_notify, evtchn_poll, evtchn_mask, evtchn_is_pending,
 *          evtchn_clear_pending, evtchn_close, evtchn_domid_self); the
 *          timers (time_timers_start/stop, kernel_sleep_until);
 *          pv_ops.irq_enable/irq_disable; rdtsc (asm/tsc.h).
 *
 * Two domains connect an interdomain channel without xenstore:
 *
 *   server (pingpong=PEER,ROUNDS,serve): EVTCHNOP_alloc_unbound offering a
 *     port to PEER, with a handler that answers each event with a send on
 *     the same port; it sleeps (SCHEDOP_block, events enabled) until it
 *     has answered ROUNDS, or until PINGPONG_IDLE_NS pass without one.
 *   client (pingpong=PEER,ROUNDS): finds the port by trying
 *     EVTCHNOP_bind_interdomain(PEER, p) for p = 1..PINGPONG_SCAN_PORTS: a
 *     port PEER has not offered to us is -EINVAL (also a port that is not
 *     allocated, or bound), a domain that does not exist yet -ESRCH; the
 *     first bind that succeeds is the channel.  Until one does it scans
 *     again every PINGPONG_SCAN_PAUSE_NS, for PINGPONG_SCAN_NS of system
 *     time, then fails.  Its port stays masked and is waited for with
 *     SCHEDOP_poll: ROUNDS times send, poll until the answer is pending,
 *     clear it; rdtsc before the first send and after the last answer.
 *   both (pingpong=ID,ROUNDS,both, ID this domain's own id): the server's
 *     port and the client in one domain, the interdomain channel looping
 *     back (legal; Xen allows it, the evtchn_loopback self-test checks
 *     it); the server's handler runs in the upcall on the return of the
 *     client's send.  This is how the logic is tested on Xen, where only
 *     dom0 runs: pingpong=0,1000,both.
 *
 * The first port PEER offers to us is taken to be the server's: without a
 * store there is nothing else to go by, so the two domains must offer each
 * other nothing else below port PINGPONG_SCAN_PORTS.  The fields are
 * separated by commas, or by colons, as in fuzz=SEED:COUNT: QEMU's -initrd
 * splits its argument into Multiboot modules at commas (unless doubled),
 * so pingpong=0:1000:both is the easier form to type there.
 */
#include <kernel.h>
#include <evtchn.h>
#include <roles.h>
#include <time.h>
#include <asm/pvops.h>
#include <asm/tsc.h>
#include <xen/errno.h>

#define PINGPONG_SCAN_PORTS    64
#define PINGPONG_SCAN_NS       (20 * NSEC_PER_SEC)
#define PINGPONG_SCAN_PAUSE_NS (10 * NSEC_PER_MSEC)
#define PINGPONG_ROUND_NS      (10 * NSEC_PER_SEC)  /* for one answer */
#define PINGPONG_IDLE_NS       (30 * NSEC_PER_SEC)  /* server: between events */
#define PINGPONG_SLICE_NS      (100 * NSEC_PER_MSEC)/* server: how often it looks */
#define PINGPONG_MAX_DOMID     0x7fefUL             /* below DOMID_FIRST_RESERVED */

static const struct { const char *name; enum pingpong_mode mode; } pingpong_modes[] = {
    { "serve", PINGPONG_SERVE },
    { "both",  PINGPONG_BOTH },
};

/* Fields are separated by commas or colons (see the head comment). */
static bool pingpong_separator(char c)
{
    return c == ',' || c == ':';
}

bool pingpong_parse(const char *value, struct pingpong_request *r)
{
    struct pingpong_request req = { .on = true, .mode = PINGPONG_CLIENT };
    unsigned long long v;
    char *end;
    size_t i;

    v = strtoull(value, &end, 10);
    if (end == value || !pingpong_separator(*end) || v > PINGPONG_MAX_DOMID)
        return false;
    req.peer = v;
    value = end + 1;
    v = strtoull(value, &end, 10);
    if (end == value || (*end && !pingpong_separator(*end)) || v == 0)
        return false;
    req.rounds = v;
    if (*end) {
        for (i = 0; i < ARRAY_SIZE(pingpong_modes); i++)
            if (!strcmp(end + 1, pingpong_modes[i].name))
                break;
        if (i == ARRAY_SIZE(pingpong_modes))
            return false;
        req.mode = pingpong_modes[i].mode;
    }
    *r = req;
    return true;
}

/* ---- the server ---- */

static volatile struct {
    unsigned long rounds, served;
} pp_server;

/* Each event from the client: answer it (until ROUNDS are answered). */
static void pingpong_answer(unsigned int port, void *arg)
{
    (void)arg;
    if (pp_server.served < pp_server.rounds) {
        pp_server.served++;
        evtchn_notify(port);
    }
}

/* Offer a port to peer; 0 and the port, or the error printed. */
static int pingpong_offer(const struct pingpong_request *r, long *port)
{
    pp_server.rounds = r->rounds;
    pp_server.served = 0;
    *port = evtchn_alloc_unbound(r->peer, pingpong_answer, NULL);
    if (*port > 0)
        return 0;
    printk("pingpong: cannot offer a port to d%u (alloc_unbound: %ld)\n", r->peer, *port);
    return 1;
}

/* Sleep, answering in the upcall, until ROUNDS are served or it is idle. */
static int pingpong_serve(const struct pingpong_request *r)
{
    uint64_t now, last = clock_ns();
    unsigned long seen = 0;
    long rc = 0;

    while (rc == 0 && pp_server.served < r->rounds) {
        now = clock_ns();
        if (pp_server.served != seen) {
            seen = pp_server.served;
            last = now;
        } else if (now - last > PINGPONG_IDLE_NS) {
            printk("pingpong: served %lu of %lu round trips, then nothing from d%u "
                   "for %lu s\n", seen, r->rounds, r->peer, PINGPONG_IDLE_NS / NSEC_PER_SEC);
            return 1;
        }
        rc = kernel_sleep_until(now + PINGPONG_SLICE_NS);
    }
    if (rc) {
        printk("pingpong: server: sleep failed (%ld)\n", rc);
        return 1;
    }
    printk("pingpong: served %lu round trips\n", r->rounds);
    return 0;
}

/* ---- the client ---- */

static void pingpong_ignore(unsigned int port, void *arg)
{
    (void)port;
    (void)arg;
}

/* The port peer offers us: bind_interdomain on 1..SCAN_PORTS until one
 * succeeds, scanning again for SCAN_NS.  The new port, or 0 (printed). */
static long pingpong_find(uint16_t peer)
{
    uint64_t deadline = clock_ns() + PINGPONG_SCAN_NS;
    long rc = -XEN_EINVAL;
    unsigned int p;

    for (;;) {
        for (p = 1; p <= PINGPONG_SCAN_PORTS; p++) {
            rc = evtchn_bind_interdomain(peer, p, pingpong_ignore, NULL);
            if (rc > 0)
                return rc;
        }
        if (clock_ns() > deadline)
            break;
        kernel_sleep_until(clock_ns() + PINGPONG_SCAN_PAUSE_NS);
    }
    printk("pingpong: d%u offered no port among 1..%u within %lu s (last bind_interdomain: "
           "%ld)\n", peer, PINGPONG_SCAN_PORTS, PINGPONG_SCAN_NS / NSEC_PER_SEC, rc);
    return 0;
}

/* Wait (SCHEDOP_poll) until port is pending; false after ROUND_NS. */
static bool pingpong_wait(unsigned int port)
{
    uint64_t now, deadline = 0;

    while (!evtchn_is_pending(port)) {
        now = clock_ns();
        if (!deadline)
            deadline = now + PINGPONG_ROUND_NS;
        else if (now > deadline)
            return false;
        evtchn_poll(port, deadline);
    }
    evtchn_clear_pending(port);
    return true;
}

/* ROUNDS sends, each waiting for its answer, timed with rdtsc. */
static int pingpong_rounds(const struct pingpong_request *r, unsigned int port)
{
    uint64_t t0, t1;
    unsigned long i;
    long rc;

    evtchn_mask(port);              /* polled, never delivered */
    evtchn_clear_pending(port);     /* the bind's own event */
    pv_ops.irq_enable();            /* both: the server answers in the upcall */
    t0 = rdtsc_ordered();
    for (i = 0; i < r->rounds; i++) {
        rc = evtchn_notify(port);
        if (rc || !pingpong_wait(port)) {
            pv_ops.irq_disable();
            printk("pingpong: round %lu of %lu: %s (%ld)\n", i + 1, r->rounds,
                   rc ? "send failed" : "no answer within 10 s", rc);
            return 1;
        }
    }
    t1 = rdtsc_ordered();
    pv_ops.irq_disable();
    printk("pingpong: %lu round trips, %lu tsc per round trip\n", r->rounds,
           (t1 - t0) / r->rounds);
    return 0;
}

/* ---- the role ---- */

static int pingpong_check_both(const struct pingpong_request *r)
{
    long self = evtchn_domid_self();

    if (self == r->peer)
        return 0;
    printk("pingpong: both ends here needs PEER = this domain's id (d%ld), not d%u\n",
           self, r->peer);
    return 1;
}

int pingpong_run(const struct pingpong_request *r)
{
    long server = 0, client = 0, rc;
    int failed = 0;

    if (r->mode == PINGPONG_BOTH)
        failed = pingpong_check_both(r);
    rc = failed ? 0 : time_timers_start();
    if (rc) {
        printk("pingpong: no timer interrupt (%ld)\n", rc);
        return 1;
    }
    if (!failed && r->mode != PINGPONG_CLIENT)
        failed = pingpong_offer(r, &server);
    if (!failed && r->mode != PINGPONG_SERVE) {
        client = pingpong_find(r->peer);
        failed = client ? pingpong_rounds(r, client) : 1;
    }
    if (!failed && r->mode != PINGPONG_CLIENT)
        failed = pingpong_serve(r);
    pv_ops.irq_disable();
    if (client > 0)
        evtchn_close(client);
    if (server > 0)
        evtchn_close(server);
    time_timers_stop();
    return failed;
}
