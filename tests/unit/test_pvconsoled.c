/* SPDX-License-Identifier: MIT */
/*
 * test_pvconsoled.c - the console backend's core (toolstack/console/
 *                     consd.c) and its client library (toolstack/lib/
 *                     console_client.c) on the host: guests' console
 *                     rings in ordinary memory, a fake platform
 *                     (fake_pvback.c), real unix sockets and log files
 *                     in a temporary directory.
 * Owns:    the fake guests (their side of the ring) and the clients.
 * Touches: consd.c and console_client.c as they are; /tmp.
 *
 * The ring semantics are Xen's (io/console.h; what xenconsoled does with
 * out[] and in[]); where a guest scribbles on its indexes, xenconsoled
 * ignores the ring and we reset it (consd.c's head comment says why).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include <xen/xen.h>

#include "check_runner.h"
#include "console_client.h"
#include "consd.h"
#include "fake_pvback.h"

static char dir[64], sock[96], logdir[96];
static struct fake_pvback fk;
static struct consd *d;
static char *logbuf;
static size_t loglen;
static FILE *logfp;
static struct xencons_interface ring5, ring6;

static void setup(void)
{
    strcpy(dir, "/tmp/pvconsoled-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(sock, sizeof(sock), "%s/sock", dir);
    snprintf(logdir, sizeof(logdir), "%s/log", dir);
    fake_pvback_init(&fk);
    memset(&ring5, 0, sizeof(ring5));
    memset(&ring6, 0, sizeof(ring6));
    fake_add_page(&fk, 5, GNTTAB_RESERVED_CONSOLE, 0x5000, &ring5);
    fake_add_page(&fk, 6, GNTTAB_RESERVED_CONSOLE, 0x6000, &ring6);
    logfp = open_memstream(&logbuf, &loglen);
    d = consd_new(&fk.pb, logdir, logfp);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(consd_listen(d, sock), 0);
}

static void teardown(void)
{
    consd_free(d);
    fake_pvback_fini(&fk);
    fclose(logfp);
    free(logbuf);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void run(int rounds)
{
    for (int i = 0; i < rounds; i++)
        consd_poll(d, 5);
}

static int client(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    strcpy(sa.sun_path, sock);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

/* Reads what the daemon sends within `rounds` rounds; *eof if it closed. */
static size_t drain(int fd, char *buf, size_t cap, int rounds, bool *eof)
{
    size_t n = 0;
    *eof = false;
    for (int i = 0; i < rounds && !*eof; i++) {
        run(1);
        for (;;) {
            ssize_t r = read(fd, buf + n, cap - 1 - n);
            if (r > 0) {
                n += (size_t)r;
                continue;
            }
            if (r == 0)
                *eof = true;
            break;
        }
    }
    buf[n] = '\0';
    return n;
}

/* A command: the daemon's whole answer (it closes after it). */
static void cmd(const char *line, char *reply, size_t cap)
{
    int fd = client();
    ck_assert_int_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
    bool eof;
    drain(fd, reply, cap, 50, &eof);
    ck_assert_msg(eof, "daemon did not close after \"%s\"", line);
    close(fd);
}

static void cmd_expect(const char *line, const char *want)
{
    char reply[512];
    cmd(line, reply, sizeof(reply));
    ck_assert_str_eq(reply, want);
}

static void cmd_expect_prefix(const char *line, const char *want)
{
    char reply[512];
    cmd(line, reply, sizeof(reply));
    ck_assert_msg(!strncmp(reply, want, strlen(want)), "\"%s\" answered \"%s\"",
                  line, reply);
}

static int attach(uint32_t dom)
{
    char line[32], buf[8];
    int fd = client();
    snprintf(line, sizeof(line), "attach %u\n", dom);
    ck_assert_int_eq(write(fd, line, strlen(line)), (ssize_t)strlen(line));
    size_t n = 0;
    for (int i = 0; i < 50 && n < 3; i++) {
        run(1);
        ssize_t r = read(fd, buf + n, 3 - n);
        if (r > 0)
            n += (size_t)r;
    }
    buf[n] = '\0';
    ck_assert_str_eq(buf, "ok\n");
    return fd;
}

/* The guest writes its output; returns how much fitted. */
static size_t guest_write(struct xencons_interface *r, const char *p, size_t n)
{
    size_t done = 0;
    while (done < n && r->out_prod - r->out_cons < sizeof(r->out)) {
        r->out[MASK_XENCONS_IDX(r->out_prod, r->out)] = p[done++];
        r->out_prod++;
    }
    return done;
}

/* The guest reads its input. */
static size_t guest_read(struct xencons_interface *r, char *buf, size_t cap)
{
    size_t n = 0;
    while (n < cap && r->in_cons != r->in_prod) {
        buf[n++] = r->in[MASK_XENCONS_IDX(r->in_cons, r->in)];
        r->in_cons++;
    }
    return n;
}

static void kick(uint32_t dom, uint32_t remote)
{
    int port = fake_port_of(&fk, dom, remote);
    ck_assert_int_gt(port, 0);
    fake_fire(&fk, (uint32_t)port);
    run(2);
}

static size_t read_file(const char *name, char *buf, size_t cap)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", logdir, name);
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "no %s", path);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return n;
}

/* ---- cases ---------------------------------------------------------- */

START_TEST(add_commands_and_log)
{
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    ck_assert_uint_eq(fk.maps_by_grant, 1);     /* grant ref 0 first */
    ck_assert_int_gt(fake_port_of(&fk, 5, 3), 0);
    guest_write(&ring5, "hello\n", 6);
    kick(5, 3);
    char buf[256];
    read_file("web.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "hello\n");
    ck_assert_uint_eq(ring5.out_cons, 6);
    ck_assert_uint_ge(fk.ports[fake_port_of(&fk, 5, 3)].notified, 1);

    cmd_expect_prefix("add 5 3 20480 web\n", "error: domain 5 already");
    cmd_expect_prefix("add 8 3 4096\n", "error: cannot map the console ring of domain 8");
    cmd_expect_prefix("add x\n", "error: usage: add");
    cmd_expect_prefix("add 0 1 1\n", "error: bad domain id 0");
    cmd_expect_prefix("attach 9\n", "error: no console for domain 9");
    cmd_expect_prefix("bogus\n", "error: unknown command");
    char longline[400];
    memset(longline, 'a', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    close(client());        /* connect and leave: forgotten */
    run(3);
    ck_assert_uint_eq(consd_client_count(d), 0);
    cmd_expect_prefix(longline, "error: command too long");

    /* The grant refused: the frame; no name: guest-ID.log. */
    fk.grants_fail = true;
    cmd_expect("add 6 4 0x6000\n", "ok\n");
    ck_assert_uint_eq(fk.maps_by_mfn, 1);
    guest_write(&ring6, "six", 3);
    kick(6, 4);
    read_file("guest-6.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "six");
    cmd_expect("list\n", "6 \n5 web\nok\n");
    /* A name that is no file name: guest-ID.log too. */
    cmd_expect("remove 6\n", "ok\n");
    cmd_expect("add 6 4 0x6000 ../evil\n", "ok\n");
    guest_write(&ring6, "!", 1);
    kick(6, 4);
    read_file("guest-6.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "six!");
    /* Nor is a hidden one; but xl's other names are (XTF's '~'). */
    cmd_expect("remove 6\n", "ok\n");
    cmd_expect("add 6 4 0x6000 .hidden\n", "ok\n");
    guest_write(&ring6, "?", 1);
    kick(6, 4);
    read_file("guest-6.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "six!?");
    cmd_expect("remove 6\n", "ok\n");
    cmd_expect("add 6 4 0x6000 test-pv64-pv-iopl~vmassist\n", "ok\n");
    guest_write(&ring6, "~", 1);
    kick(6, 4);
    read_file("test-pv64-pv-iopl~vmassist.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "~");
    cmd_expect_prefix("remove 7\n", "error: no console");
    ck_assert_uint_eq(consd_guest_count(d), 2);
    /* The store daemon holds VIRQ_DOM_EXC: the console daemon binds none. */
    ck_assert_int_lt(fake_virq_port(&fk, VIRQ_DOM_EXC), 0);
}
END_TEST

/* 10,000 bytes through a 2,048-byte ring whose indexes wrap 2^32 on the
 * way: the log and an attached client get them in order, exactly. */
START_TEST(output_in_order_with_wraparound)
{
    ring5.out_cons = ring5.out_prod = 0xFFFFFFFFu - 3000;
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    int fd = attach(5);
    static char sent[10000], got[10001], logged[10001];
    for (size_t i = 0; i < sizeof(sent); i++)
        sent[i] = (char)('a' + (i * 7 + i / 13) % 26);
    size_t off = 0, n = 0;
    bool eof;
    while (off < sizeof(sent)) {
        off += guest_write(&ring5, sent + off, sizeof(sent) - off);
        kick(5, 3);
        n += drain(fd, got + n, sizeof(got) - n, 1, &eof);
    }
    for (int i = 0; i < 20 && n < sizeof(sent); i++)
        n += drain(fd, got + n, sizeof(got) - n, 1, &eof);
    ck_assert_uint_eq(n, sizeof(sent));
    ck_assert(!memcmp(got, sent, sizeof(sent)));
    ck_assert_uint_eq(read_file("web.log", logged, sizeof(logged)), sizeof(sent));
    ck_assert(!memcmp(logged, sent, sizeof(sent)));
    ck_assert_uint_lt(ring5.out_prod, 10000);   /* it did wrap */
    close(fd);
}
END_TEST

START_TEST(input_to_ring)
{
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    int fd = attach(5);
    int port = fake_port_of(&fk, 5, 3);
    unsigned before = fk.ports[port].notified;
    ck_assert_int_eq(write(fd, "ls -l\n", 6), 6);
    run(3);
    char buf[4096];
    ck_assert_uint_eq(guest_read(&ring5, buf, sizeof(buf)), 6);
    ck_assert(!memcmp(buf, "ls -l\n", 6));
    ck_assert_uint_gt(fk.ports[port].notified, before);

    /* More than in[] holds: the rest waits for the guest to read. */
    static char big[3000], recv_[3000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('A' + i % 23);
    ck_assert_int_eq(write(fd, big, sizeof(big)), (ssize_t)sizeof(big));
    size_t n = 0;
    for (int i = 0; i < 50 && n < sizeof(big); i++) {
        run(1);
        ck_assert_uint_le(ring5.in_prod - ring5.in_cons, sizeof(ring5.in));
        n += guest_read(&ring5, recv_ + n, sizeof(recv_) - n);
        kick(5, 3);
    }
    ck_assert_uint_eq(n, sizeof(big));
    ck_assert(!memcmp(recv_, big, sizeof(big)));

    /* A guest that never reads: the input waits (bounded), and a client
     * hanging up meanwhile is forgotten, not polled forever. */
    int fd3 = attach(5);
    static char flood[8192];
    memset(flood, 'z', sizeof(flood));
    ck_assert_int_eq(write(fd3, flood, sizeof(flood)), (ssize_t)sizeof(flood));
    run(5);
    ck_assert_uint_eq(ring5.in_prod - ring5.in_cons, sizeof(ring5.in));
    unsigned clients = consd_client_count(d);
    close(fd3);
    run(5);
    ck_assert_uint_eq(consd_client_count(d), clients - 1);
    while (guest_read(&ring5, buf, sizeof(buf)))    /* it reads at last */
        run(2);

    /* Input typed right behind the attach line gets there too. */
    int fd2 = client();
    ck_assert_int_eq(write(fd2, "attach 5\nuname\n", 15), 15);
    run(3);
    ck_assert_uint_eq(guest_read(&ring5, buf, sizeof(buf)), 6);
    ck_assert(!memcmp(buf, "uname\n", 6));
    close(fd2);
    close(fd);
}
END_TEST

/* A guest scribbling on its indexes loses what was in flight, with a
 * line in the daemon's log; its console, the others' and the daemon go
 * on. */
START_TEST(hostile_ring)
{
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    cmd_expect("add 6 4 24576 six\n", "ok\n");
    int fd5 = attach(5), fd6 = attach(6);
    char buf[4096];
    bool eof;
    struct { uint32_t cons, prod; } bad[] = {
        { 0, 5000 }, { 0, 2049 }, { 100, 50 }, { 7, 0xfffffff0u },
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ring5.out_cons = bad[i].cons;
        ring5.out_prod = bad[i].prod;
        guest_write(&ring6, "ok6 ", 4);
        kick(5, 3);
        ck_assert_uint_eq(ring5.out_cons, ring5.out_prod);     /* reset */
        ck_assert_uint_eq(drain(fd5, buf, sizeof(buf), 2, &eof), 0);
        ck_assert(!eof);
        ck_assert_uint_eq(drain(fd6, buf, sizeof(buf), 2, &eof), 4);
        ck_assert_str_eq(buf, "ok6 ");
    }
    ck_assert_ptr_nonnull(strstr(logbuf, "d5: console ring out of range"));
    /* Sane again: served. */
    guest_write(&ring5, "after\n", 6);
    kick(5, 3);
    drain(fd5, buf, sizeof(buf), 3, &eof);
    ck_assert_str_eq(buf, "after\n");
    read_file("web.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "after\n");

    /* in_cons scribbled: the input in flight is dropped. */
    ring5.in_cons = ring5.in_prod + 5000;
    ck_assert_int_eq(write(fd5, "x", 1), 1);
    run(3);
    ck_assert_uint_eq(ring5.in_prod, ring5.in_cons);
    ck_assert_ptr_nonnull(strstr(logbuf, "input reset"));
    ck_assert_int_eq(write(fd5, "y", 1), 1);
    run(3);
    ck_assert_uint_eq(guest_read(&ring5, buf, sizeof(buf)), 1);
    ck_assert_int_eq(buf[0], 'y');
    cmd_expect("list\n", "6 six\n5 web\nok\n");
    close(fd5);
    close(fd6);
}
END_TEST

/* Random indexes and bytes on a guest's page, round after round, an
 * attached client reading: the daemon stays clean under ASan/UBSan, and
 * the other guest's output still arrives whole. */
START_TEST(fuzz_ring)
{
    uint32_t seed = 99;
#define RND() (seed = seed * 1103515245u + 12345u, seed >> 8)
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    cmd_expect("add 6 4 24576 six\n", "ok\n");
    int fd5 = attach(5), fd6 = attach(6);
    char buf[8192];
    bool eof;
    for (int round = 0; round < 3000; round++) {
        switch (RND() % 5) {
        case 0:
            ring5.out_prod = RND();
            break;
        case 1:
            ring5.in_cons = RND();
            break;
        case 2:
            ck_assert_int_eq(write(fd5, "k", 1), 1);
            break;
        default:
            for (uint32_t n = RND() % 300; n; n--) {
                uint32_t at = RND() % sizeof(ring5.out);
                ring5.out[at] = (char)RND();
            }
            ring5.out_prod += RND() % 300;
        }
        fake_fire(&fk, (uint32_t)fake_port_of(&fk, 5, 3));
        run(1);
        if (round % 50 == 0)
            drain(fd5, buf, sizeof(buf), 1, &eof);
        ck_assert_uint_le(ring5.out_prod - ring5.out_cons, sizeof(ring5.out));
    }
#undef RND
    guest_write(&ring6, "still here\n", 11);
    kick(6, 4);
    drain(fd6, buf, sizeof(buf), 3, &eof);
    ck_assert_str_eq(buf, "still here\n");
    ck_assert_uint_eq(consd_guest_count(d), 2);
    close(fd5);
    close(fd6);
}
END_TEST

START_TEST(attach_midway)
{
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    guest_write(&ring5, "AAA", 3);
    kick(5, 3);
    int fd = attach(5);
    guest_write(&ring5, "BBB", 3);
    kick(5, 3);
    char buf[64];
    bool eof;
    drain(fd, buf, sizeof(buf), 3, &eof);
    ck_assert_str_eq(buf, "BBB");           /* from then on, no replay */
    int fd2 = attach(5);                    /* two clients: both get it */
    guest_write(&ring5, "CC", 2);
    kick(5, 3);
    drain(fd, buf, sizeof(buf), 3, &eof);
    ck_assert_str_eq(buf, "CC");
    drain(fd2, buf, sizeof(buf), 3, &eof);
    ck_assert_str_eq(buf, "CC");
    read_file("web.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "AAABBBCC");
    close(fd);
    close(fd2);
    run(2);
    ck_assert_uint_eq(consd_client_count(d), 0);
}
END_TEST

START_TEST(guest_dies)
{
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    int fd = attach(5);
    int port = fake_port_of(&fk, 5, 3);
    guest_write(&ring5, "bye\n", 4);        /* no kick: its last words */
    fk.dom_state[5] = PVBACK_DOM_SHUTDOWN;  /* shut down: still served */
    consd_check_domains(d);
    run(2);
    ck_assert_uint_eq(consd_guest_count(d), 1);
    fk.dom_state[5] = PVBACK_DOM_DEAD;
    guest_write(&ring5, "end\n", 4);
    consd_check_domains(d);
    char buf[64];
    bool eof;
    drain(fd, buf, sizeof(buf), 5, &eof);
    ck_assert_str_eq(buf, "bye\nend\n");
    ck_assert(eof);
    ck_assert_uint_eq(consd_guest_count(d), 0);
    ck_assert_int_eq(fake_page_mapped(&fk, &ring5), 0);
    ck_assert(!fk.ports[port].bound);
    read_file("web.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "bye\nend\n");
    cmd_expect_prefix("attach 5\n", "error: no console for domain 5");
    close(fd);
    /* Added again (a new domain 5 later): logged after the old lines. */
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    guest_write(&ring5, "again\n", 6);
    kick(5, 3);
    read_file("web.log", buf, sizeof(buf));
    ck_assert_str_eq(buf, "bye\nend\nagain\n");
}
END_TEST

/* ---- the client library, in a thread while the daemon runs here ---- */

struct attach_job {
    uint32_t dom;
    int in, out;
    int rc;
    char err[128];
    volatile int done;
};

static void *attach_thread(void *arg)
{
    struct attach_job *j = arg;
    j->rc = pvcons_attach(sock, j->dom, j->in, j->out, j->err, sizeof(j->err));
    j->done = 1;
    return NULL;
}

static void run_until(volatile int *done)
{
    for (int i = 0; i < 400 && !*done; i++)
        run(1);
    ck_assert_msg(*done, "the client did not return");
}

START_TEST(client_library)
{
    cmd_expect("add 5 3 20480 web\n", "ok\n");
    int in[2], out[2];
    ck_assert_int_eq(pipe(in), 0);
    ck_assert_int_eq(pipe(out), 0);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    struct attach_job j = { .dom = 5, .in = in[0], .out = out[1] };
    pthread_t t;
    pthread_create(&t, NULL, attach_thread, &j);
    for (int i = 0; i < 200 && consd_client_count(d) == 0; i++)
        run(1);
    run(5);
    guest_write(&ring5, "hello", 5);
    kick(5, 3);
    char buf[64] = { 0 };
    size_t n = 0;
    for (int i = 0; i < 200 && n < 5; i++) {
        run(1);
        ssize_t r = read(out[0], buf + n, sizeof(buf) - 1 - n);
        if (r > 0)
            n += (size_t)r;
    }
    ck_assert_str_eq(buf, "hello");
    /* Ctrl-]: what came before it reaches the guest, then detached. */
    ck_assert_int_eq(write(in[1], "ab\x1d" "cd", 5), 5);
    run_until(&j.done);
    pthread_join(t, NULL);
    ck_assert_int_eq(j.rc, PVCONS_DETACHED);
    run(3);
    ck_assert_uint_eq(guest_read(&ring5, buf, sizeof(buf)), 2);
    ck_assert(!memcmp(buf, "ab", 2));

    /* Attached again; the domain dies: the daemon's periodic check
     * (CONSD_CHECK_MS) closes the console, the call returns CLOSED. */
    j = (struct attach_job){ .dom = 5, .in = in[0], .out = out[1] };
    pthread_create(&t, NULL, attach_thread, &j);
    for (int i = 0; i < 200 && consd_client_count(d) == 0; i++)
        run(1);
    run(5);
    fk.dom_state[5] = PVBACK_DOM_DEAD;
    run_until(&j.done);
    pthread_join(t, NULL);
    ck_assert_int_eq(j.rc, PVCONS_CLOSED);

    /* No such console: -EIO and the daemon's reason. */
    j = (struct attach_job){ .dom = 9, .in = in[0], .out = out[1] };
    pthread_create(&t, NULL, attach_thread, &j);
    run_until(&j.done);
    pthread_join(t, NULL);
    ck_assert_int_eq(j.rc, -EIO);
    ck_assert_str_eq(j.err, "no console for domain 9");
    close(in[0]);
    close(in[1]);
    close(out[0]);
    close(out[1]);
}
END_TEST

struct cmd_job {
    const char *cmd;
    int rc;
    char reply[256];
    volatile int done;
};

static void *cmd_thread(void *arg)
{
    struct cmd_job *j = arg;
    j->rc = pvcons_command(sock, j->cmd, j->reply, sizeof(j->reply));
    j->done = 1;
    return NULL;
}

START_TEST(client_commands)
{
    const char *cmds[] = { "add 5 3 20480 web", "list", "remove 9", "remove 5" };
    const int rcs[] = { 0, 0, -EIO, 0 };
    const char *replies[] = { "ok", "5 web\nok", "error: no console for that domain",
                              "ok" };
    for (unsigned i = 0; i < 4; i++) {
        struct cmd_job j = { .cmd = cmds[i] };
        pthread_t t;
        pthread_create(&t, NULL, cmd_thread, &j);
        run_until(&j.done);
        pthread_join(t, NULL);
        ck_assert_int_eq(j.rc, rcs[i]);
        ck_assert_str_eq(j.reply, replies[i]);
    }
    char reply[128];
    ck_assert_int_eq(pvcons_command("/nonexistent/sock", "list", reply,
                                    sizeof(reply)), -ENOENT);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("pvconsoled");
    TCase *t = tcase_create("all");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, add_commands_and_log);
    tcase_add_test(t, output_in_order_with_wraparound);
    tcase_add_test(t, input_to_ring);
    tcase_add_test(t, hostile_ring);
    tcase_add_test(t, fuzz_ring);
    tcase_add_test(t, attach_midway);
    tcase_add_test(t, guest_dies);
    tcase_add_test(t, client_library);
    tcase_add_test(t, client_commands);
    suite_add_tcase(su, t);
    return run_check_suite(su);
}
