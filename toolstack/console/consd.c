/* SPDX-License-Identifier: MIT */
/*
 * consd.c - the console backend's core (consd.h): moves bytes between
 *           each guest's console ring, its log file and the clients
 *           attached to it.
 * Owns:    struct consd, one struct cons_guest per guest served (mapped
 *          ring, local port, log fd, input waiting for ring space), one
 *          struct cons_client per socket connection (command line or
 *          attached stream, output waiting for the client).
 * Touches: the platform (pvback.h), the log directory, the socket.
 * Trusts:  nothing on a guest's page: the indexes are read once per pass
 *          and checked; a guest whose indexes are impossible loses the
 *          output (or input) in flight, with a line in the daemon's log,
 *          and is served again from the indexes it next writes. Nothing a
 *          client sends: a bad command gets "error: ..." and is closed.
 * ABI:     abi/xen/io/console.h; the client protocol: README.md.
 *
 * The ring: out[] carries the guest's output (the guest produces
 * out_prod, we consume out_cons), in[] our input to it (we produce
 * in_prod, it consumes in_cons). Indexes run freely, prod - cons is the
 * fill, at most the ring's size. Ordering as any Xen ring: read the
 * other side's index with acquire before the bytes, publish ours with
 * release after them; the event channel is notified after publishing.
 *
 * Where a guest's indexes are impossible, xenconsoled (Xen 4.17) ignores
 * the ring until they are sane again: a guest that never repairs them
 * has no console at all. We reset instead (out_cons = out_prod, or
 * in_prod = in_cons): the bytes in flight are lost, the console goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include <xen/xen.h>

#include "consd.h"

#define CMD_MAX 256             /* a command line, '\n' included */
#define CLIENT_BUF (64 * 1024)  /* output waiting for a slow client */
#define MAX_FDS 256

struct cons_guest {
    struct cons_guest *next;
    uint32_t domid;
    uint32_t port;                      /* local */
    char name[64];
    struct xencons_interface *intf;
    int logfd;
    unsigned char in[1024];             /* client input waiting for space */
    size_t inlen;
};

struct cons_client {
    struct cons_client *next;
    int fd;
    struct cons_guest *guest;           /* NULL: still reading a command */
    char line[CMD_MAX];
    size_t linelen;
    unsigned char *out;                 /* CLIENT_BUF bytes */
    size_t outlen;
    bool closing;                       /* close once out is sent */
    unsigned long dropped;
};

struct consd {
    struct pvback *pb;
    char logdir[256];
    FILE *log;
    int lfd;
    char path[108];
    struct timespec next_check;         /* of the domains' states */
    struct cons_guest *guests;
    struct cons_client *clients;
};

#define DLOG(d, fmt, ...) \
    do { \
        if ((d)->log) { \
            fprintf((d)->log, "pvconsoled: " fmt "\n", __VA_ARGS__); \
            fflush((d)->log); \
        } \
    } while (0)

static uint32_t load_acquire(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store_release(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static struct cons_guest *guest_find(const struct consd *d, uint32_t dom)
{
    for (struct cons_guest *g = d->guests; g; g = g->next)
        if (g->domid == dom)
            return g;
    return NULL;
}

/* ---- clients -------------------------------------------------------- */

static void client_close(struct consd *d, struct cons_client *c)
{
    struct cons_client **link = &d->clients;
    while (*link != c)
        link = &(*link)->next;
    *link = c->next;
    if (c->dropped)
        DLOG(d, "a client missed %lu bytes of output (too slow to read)",
             c->dropped);
    close(c->fd);
    free(c->out);
    free(c);
}

/* Sends what waits; false if the client is gone. */
static bool client_flush(struct cons_client *c)
{
    while (c->outlen) {
        ssize_t n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        memmove(c->out, c->out + n, c->outlen - (size_t)n);
        c->outlen -= (size_t)n;
    }
    return true;
}

/* Queues bytes for the client. A client that does not keep up loses
 * what does not fit (counted), rather than holding the guest back. */
static void client_send(struct cons_client *c, const void *p, size_t n)
{
    size_t room = CLIENT_BUF - c->outlen;
    if (n > room) {
        c->dropped += n - room;
        n = room;
    }
    memcpy(c->out + c->outlen, p, n);
    c->outlen += n;
}

static void client_reply(struct cons_client *c, const char *text)
{
    client_send(c, text, strlen(text));
    c->closing = true;
}

/* ---- a guest's ring ------------------------------------------------- */

static void guest_log_write(struct consd *d, struct cons_guest *g,
                            const char *p, size_t n)
{
    while (n && g->logfd >= 0) {
        ssize_t w = write(g->logfd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            DLOG(d, "d%u: log file: %s: not logging any more", g->domid,
                 strerror(errno));
            close(g->logfd);
            g->logfd = -1;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

/* The guest's output: to the log and every attached client. Returns true
 * if out_cons moved (the guest may write again: notify it). */
static bool guest_output(struct consd *d, struct cons_guest *g)
{
    struct xencons_interface *r = g->intf;
    uint32_t cons = r->out_cons;
    uint32_t prod = load_acquire(&r->out_prod);
    uint32_t fill = prod - cons;
    char buf[sizeof(r->out)];
    if (fill == 0)
        return false;
    if (fill > sizeof(r->out)) {
        DLOG(d, "d%u: console ring out of range (out_cons %u, out_prod %u):"
             " output reset", g->domid, cons, prod);
        store_release(&r->out_cons, prod);
        return true;
    }
    for (uint32_t i = 0; i < fill; i++)
        buf[i] = r->out[MASK_XENCONS_IDX(cons + i, r->out)];
    store_release(&r->out_cons, cons + fill);
    guest_log_write(d, g, buf, fill);
    for (struct cons_client *c = d->clients; c; c = c->next)
        if (c->guest == g)
            client_send(c, buf, fill);
    return true;
}

/* Client input waiting in g->in, onto the ring as space allows. Returns
 * true if in_prod moved. */
static bool guest_input(struct consd *d, struct cons_guest *g)
{
    struct xencons_interface *r = g->intf;
    uint32_t prod = r->in_prod;
    uint32_t cons = load_acquire(&r->in_cons);
    uint32_t fill = prod - cons;
    if (!g->inlen)
        return false;
    if (fill > sizeof(r->in)) {
        DLOG(d, "d%u: console ring out of range (in_cons %u, in_prod %u):"
             " input reset", g->domid, cons, prod);
        store_release(&r->in_prod, cons);
        g->inlen = 0;
        return true;
    }
    size_t n = sizeof(r->in) - fill;
    if (n > g->inlen)
        n = g->inlen;
    for (size_t i = 0; i < n; i++)
        r->in[MASK_XENCONS_IDX(prod + (uint32_t)i, r->in)] = (char)g->in[i];
    store_release(&r->in_prod, prod + (uint32_t)n);
    memmove(g->in, g->in + n, g->inlen - n);
    g->inlen -= n;
    return n != 0;
}

static void guest_service(struct consd *d, struct cons_guest *g)
{
    bool moved = guest_output(d, g);
    moved |= guest_input(d, g);
    if (moved)
        d->pb->notify(d->pb, g->port);
}

static int log_open(struct consd *d, struct cons_guest *g)
{
    char path[512];
    bool named = g->name[0] != '\0';
    /* A file in logdir: printable ASCII without '/', not starting with
     * '.' (so no ".." and no hidden file). The rest of xl's names, such
     * as the Xen Test Framework's "test-pv64-pv-iopl~vmassist", pass. */
    for (const char *p = g->name; *p; p++)
        if (*p <= ' ' || *p > '~' || *p == '/' || (*p == '.' && p == g->name))
            named = false;
    if (named)
        snprintf(path, sizeof(path), "%s/%s.log", d->logdir, g->name);
    else
        snprintf(path, sizeof(path), "%s/guest-%u.log", d->logdir, g->domid);
    mkdir(d->logdir, 0755);     /* may exist; open() says what is wrong */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        DLOG(d, "d%u: %s: %s: not logging", g->domid, path, strerror(errno));
    return fd;
}

int consd_add(struct consd *d, uint32_t dom, uint32_t port, uint64_t mfn,
              const char *name, char *err, size_t errlen)
{
    int rc;
    if (!d->pb) {
        snprintf(err, errlen, "no event-channel device: cannot serve guests");
        return -ENODEV;
    }
    if (dom == 0 || dom >= DOMID_FIRST_RESERVED) {
        snprintf(err, errlen, "bad domain id %u", dom);
        return -EINVAL;
    }
    if (guest_find(d, dom)) {
        snprintf(err, errlen, "domain %u already has its console served", dom);
        return -EEXIST;
    }
    struct cons_guest *g = calloc(1, sizeof(*g));
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    g->intf = d->pb->map_page(d->pb, dom, GNTTAB_RESERVED_CONSOLE, mfn, &rc);
    if (!g->intf) {
        snprintf(err, errlen, "cannot map the console ring of domain %u "
                 "(grant %u, mfn %#llx): %s", dom, GNTTAB_RESERVED_CONSOLE,
                 (unsigned long long)mfn, strerror(-rc));
        free(g);
        return rc;
    }
    rc = d->pb->bind_interdomain(d->pb, dom, port);
    if (rc < 0) {
        snprintf(err, errlen, "cannot bind port %u of domain %u: %s", port,
                 dom, strerror(-rc));
        d->pb->unmap_page(d->pb, g->intf);
        free(g);
        return rc;
    }
    g->port = (uint32_t)rc;
    g->domid = dom;
    snprintf(g->name, sizeof(g->name), "%s", name ? name : "");
    g->logfd = log_open(d, g);
    g->next = d->guests;
    d->guests = g;
    DLOG(d, "d%u: console served (port %u)", dom, port);
    guest_service(d, g);    /* what it wrote before we came */
    return 0;
}

static void guest_remove(struct consd *d, struct cons_guest *g)
{
    guest_output(d, g);     /* its last words */
    /* Its clients get what is queued, then end of file; they are closed
     * by consd_poll()'s sweep, never here (a caller may be walking them). */
    for (struct cons_client *c = d->clients; c; c = c->next)
        if (c->guest == g) {
            c->guest = NULL;
            c->closing = true;
        }
    struct cons_guest **link = &d->guests;
    while (*link != g)
        link = &(*link)->next;
    *link = g->next;
    d->pb->unbind(d->pb, g->port);
    d->pb->unmap_page(d->pb, g->intf);
    if (g->logfd >= 0)
        close(g->logfd);
    free(g);
}

int consd_remove(struct consd *d, uint32_t dom)
{
    struct cons_guest *g = guest_find(d, dom);
    if (!g)
        return -ENOENT;
    DLOG(d, "d%u: console closed", dom);
    guest_remove(d, g);
    return 0;
}

/*
 * A dead domain's console closes; one that only shut down keeps it until
 * it is destroyed (its last output may still come). Asked every
 * CONSD_CHECK_MS by consd_poll(), not on VIRQ_DOM_EXC: a VIRQ is bound
 * by one event channel per domain (a second EVTCHNOP_bind_virq is EEXIST,
 * observed with Linux 6.1's evtchn device in dom0 on Xen 4.17), and the
 * store daemon holds it, as cxenstored does (xenconsoled learns of dead
 * domains from the store's @releaseDomain instead).
 */
void consd_check_domains(struct consd *d)
{
    struct cons_guest *next;
    for (struct cons_guest *g = d->guests; g; g = next) {
        next = g->next;
        if (d->pb->domain_state(d->pb, g->domid) == PVBACK_DOM_DEAD) {
            DLOG(d, "d%u: gone: console closed", g->domid);
            guest_remove(d, g);
        }
    }
}

/* ---- commands ------------------------------------------------------- */

/* Parses a decimal or 0x-hex number that must end at a blank or the end. */
static bool parse_num(const char **s, uint64_t max, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;
    unsigned base = 10;
    while (*p == ' ')
        p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    const char *start = p;
    for (;; p++) {
        unsigned dig;
        if (*p >= '0' && *p <= '9')
            dig = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            dig = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            dig = (unsigned)(*p - 'A' + 10);
        else
            break;
        if (v > (max - dig) / base)
            return false;
        v = v * base + dig;
    }
    if (p == start || (*p != ' ' && *p != '\0'))
        return false;
    *s = p;
    *out = v;
    return true;
}

static void cmd_attach(struct consd *d, struct cons_client *c, const char *a)
{
    uint64_t dom;
    char msg[96];
    if (!parse_num(&a, UINT32_MAX, &dom) || *a) {
        client_reply(c, "error: usage: attach DOMID\n");
        return;
    }
    struct cons_guest *g = guest_find(d, (uint32_t)dom);
    if (!g) {
        snprintf(msg, sizeof(msg), "error: no console for domain %u\n",
                 (uint32_t)dom);
        client_reply(c, msg);
        return;
    }
    c->guest = g;
    client_send(c, "ok\n", 3);
}

static void cmd_add(struct consd *d, struct cons_client *c, const char *a)
{
    uint64_t dom, port, mfn;
    char err[200], msg[220];
    if (!parse_num(&a, UINT32_MAX, &dom) || !parse_num(&a, UINT32_MAX, &port) ||
        !parse_num(&a, UINT64_MAX, &mfn)) {
        client_reply(c, "error: usage: add DOMID PORT MFN [NAME]\n");
        return;
    }
    while (*a == ' ')
        a++;
    if (consd_add(d, (uint32_t)dom, (uint32_t)port, mfn, a, err,
                  sizeof(err)) < 0) {
        snprintf(msg, sizeof(msg), "error: %s\n", err);
        client_reply(c, msg);
        return;
    }
    client_reply(c, "ok\n");
}

static void cmd_remove(struct consd *d, struct cons_client *c, const char *a)
{
    uint64_t dom;
    if (!parse_num(&a, UINT32_MAX, &dom) || *a) {
        client_reply(c, "error: usage: remove DOMID\n");
        return;
    }
    client_reply(c, consd_remove(d, (uint32_t)dom) == 0 ? "ok\n" :
                 "error: no console for that domain\n");
}

static void cmd_list(struct consd *d, struct cons_client *c)
{
    char line[96];
    for (struct cons_guest *g = d->guests; g; g = g->next) {
        snprintf(line, sizeof(line), "%u %s\n", g->domid, g->name);
        client_send(c, line, strlen(line));
    }
    client_reply(c, "ok\n");
}

/* One command line, '\n' stripped. */
static void client_command(struct consd *d, struct cons_client *c, char *line)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    if (!strncmp(line, "attach ", 7))
        cmd_attach(d, c, line + 7);
    else if (!strncmp(line, "add ", 4))
        cmd_add(d, c, line + 4);
    else if (!strncmp(line, "remove ", 7))
        cmd_remove(d, c, line + 7);
    else if (!strcmp(line, "list"))
        cmd_list(d, c);
    else
        client_reply(c, "error: unknown command (attach, add, remove, list)\n");
}

/* Bytes from an attached client, for its guest's ring. */
static void client_input(struct cons_client *c, const void *p, size_t n)
{
    struct cons_guest *g = c->guest;
    size_t room = sizeof(g->in) - g->inlen;
    if (n > room)
        n = room;       /* the caller reads no more than there is room for */
    memcpy(g->in + g->inlen, p, n);
    g->inlen += n;
}

/* The client is readable. False if it is to be closed. */
static bool client_read(struct consd *d, struct cons_client *c)
{
    if (c->guest) {
        struct cons_guest *g = c->guest;
        unsigned char buf[sizeof(g->in)];
        size_t room = sizeof(g->in) - g->inlen;
        if (!room)
            return true;
        ssize_t n = read(c->fd, buf, room);
        if (n <= 0)
            return n < 0 && (errno == EAGAIN || errno == EINTR);
        client_input(c, buf, (size_t)n);
        return true;
    }
    ssize_t n = read(c->fd, c->line + c->linelen, sizeof(c->line) - c->linelen);
    if (n <= 0)
        return n < 0 && (errno == EAGAIN || errno == EINTR);
    c->linelen += (size_t)n;
    char *nl = memchr(c->line, '\n', c->linelen);
    if (!nl) {
        if (c->linelen == sizeof(c->line))
            client_reply(c, "error: command too long\n");
        return true;
    }
    *nl = '\0';
    size_t rest = c->linelen - (size_t)(nl + 1 - c->line);
    client_command(d, c, c->line);
    if (c->guest && rest)   /* input typed right behind "attach N" */
        client_input(c, nl + 1, rest);
    c->linelen = 0;
    return true;
}

/* Accepts one waiting connection; false when none is left. */
static bool client_accept(struct consd *d)
{
    int fd = accept(d->lfd, NULL, NULL);
    if (fd < 0)
        return false;
    struct cons_client *c = NULL;
    if (consd_client_count(d) < MAX_FDS - 2)   /* else: full, end of file */
        c = calloc(1, sizeof(*c));
    if (c)
        c->out = malloc(CLIENT_BUF);
    if (!c || !c->out) {
        if (c)
            free(c);
        close(fd);
        return true;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    c->fd = fd;
    c->next = d->clients;
    d->clients = c;
    return true;
}

/* ---- the loop ------------------------------------------------------- */

static void events_run(struct consd *d)
{
    int port;
    while (d->pb && (port = d->pb->pending(d->pb)) >= 0) {
        for (struct cons_guest *g = d->guests; g; g = g->next)
            if (g->port == (uint32_t)port)
                guest_service(d, g);
        d->pb->unmask(d->pb, (uint32_t)port);
    }
}

static long ms_until(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

/* Every CONSD_CHECK_MS while guests are served. */
static void check_if_due(struct consd *d)
{
    if (!d->guests || ms_until(&d->next_check) > 0)
        return;
    consd_check_domains(d);
    clock_gettime(CLOCK_MONOTONIC, &d->next_check);
    d->next_check.tv_sec += CONSD_CHECK_MS / 1000;
    d->next_check.tv_nsec += (CONSD_CHECK_MS % 1000) * 1000000L;
    if (d->next_check.tv_nsec >= 1000000000L) {
        d->next_check.tv_sec++;
        d->next_check.tv_nsec -= 1000000000L;
    }
}

/* The poll set: the socket, the platform's events, every client (up to
 * MAX_FDS); who[i] is pfd[i]'s client. Returns the count. */
static unsigned poll_set(struct consd *d, struct pollfd *pfd,
                         struct cons_client **who)
{
    unsigned n = 0;
    pfd[n] = (struct pollfd){ .fd = d->lfd, .events = POLLIN };
    who[n++] = NULL;
    pfd[n] = (struct pollfd){ .fd = d->pb ? d->pb->event_fd(d->pb) : -1,
                              .events = POLLIN };
    who[n++] = NULL;
    for (struct cons_client *c = d->clients; c && n < MAX_FDS; c = c->next) {
        short ev = 0;
        if (!c->closing && (!c->guest || c->guest->inlen < sizeof(c->guest->in)))
            ev |= POLLIN;
        if (c->outlen)
            ev |= POLLOUT;
        pfd[n] = (struct pollfd){ .fd = c->fd, .events = ev };
        who[n++] = c;
    }
    return n;
}

/* The clients poll() reported on. One closed here is one of who[]
 * only: nothing else frees clients while this runs. */
static void clients_serve(struct consd *d, const struct pollfd *pfd,
                          struct cons_client **who, unsigned n)
{
    for (unsigned i = 2; i < n; i++) {
        struct cons_client *c = who[i];
        bool ok = true;
        if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
            ok = client_read(d, c);
        /* Hung up while its guest takes no input (nothing read above):
         * gone, or poll() would report the hang-up forever. */
        if (ok && (pfd[i].revents & (POLLHUP | POLLERR)) && c->guest &&
            c->guest->inlen == sizeof(c->guest->in))
            ok = false;
        if (ok && c->outlen)
            ok = client_flush(c);
        if (!ok)
            client_close(d, c);
    }
}

void consd_poll(struct consd *d, int timeout_ms)
{
    struct pollfd pfd[MAX_FDS];
    struct cons_client *who[MAX_FDS];
    unsigned n = poll_set(d, pfd, who);
    if (d->guests) {
        long due = ms_until(&d->next_check);
        if (due < 0)
            due = 0;
        if (timeout_ms < 0 || due < timeout_ms)
            timeout_ms = (int)due;
    }
    if (poll(pfd, n, timeout_ms) < 0)
        return;
    clients_serve(d, pfd, who, n);
    /* Every waiting connection: a burst must not fill the backlog. */
    for (unsigned i = 0; (pfd[0].revents & POLLIN) && i < MAX_FDS &&
                         client_accept(d); i++)
        ;
    events_run(d);
    /* Input from clients onto rings, and output the guests wrote without
     * a notification we saw: every round, for every guest (a handful). */
    for (struct cons_guest *g = d->guests; g; g = g->next)
        guest_service(d, g);
    check_if_due(d);
    struct cons_client *next;
    for (struct cons_client *c = d->clients; c; c = next) {
        next = c->next;
        if ((c->outlen && !client_flush(c)) || (c->closing && !c->outlen))
            client_close(d, c);
    }
}

/* ---- setup ---------------------------------------------------------- */

struct consd *consd_new(struct pvback *pb, const char *logdir, FILE *log)
{
    struct consd *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->pb = pb;
    d->log = log;
    d->lfd = -1;
    snprintf(d->logdir, sizeof(d->logdir), "%s", logdir);
    return d;
}

int consd_listen(struct consd *d, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sa.sun_path) || strlen(path) >= sizeof(d->path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    d->lfd = fd;
    strcpy(d->path, path);
    return 0;
}

void consd_free(struct consd *d)
{
    if (!d)
        return;
    while (d->guests)
        guest_remove(d, d->guests);
    while (d->clients)
        client_close(d, d->clients);
    if (d->lfd >= 0) {
        close(d->lfd);
        unlink(d->path);
    }
    free(d);
}

unsigned consd_guest_count(const struct consd *d)
{
    unsigned n = 0;
    for (struct cons_guest *g = d->guests; g; g = g->next)
        n++;
    return n;
}

unsigned consd_client_count(const struct consd *d)
{
    unsigned n = 0;
    for (struct cons_client *c = d->clients; c; c = c->next)
        n++;
    return n;
}
