/* SPDX-License-Identifier: MIT */
/*
 * test_store.c - the store's protocol core (toolstack/store/store.c) and
 *                its ring code (ring.c) on the host: every request type,
 *                every error, watches, transactions, permissions, quotas,
 *                malformed frames, the ring's wrap-around.
 * Owns:    the fake connections: requests are framed here, fed with
 *          store_conn_input() and the replies popped one message at a time.
 * Touches: toolstack/store/store.c and ring.c (compiled as they are).
 *
 * The expected answers are cxenstored's (Xen 4.17, the daemon Debian's
 * xen-utils-4.17 runs), as its sources give them; the comment on a case
 * names where our answer is a choice of ours (store.c's head comment and
 * toolstack/store/README.md list those).
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/xs_wire.h>

#include "check_runner.h"
#include "ring.h"
#include "store.h"

static struct store *s;

static void setup(void)
{
    s = store_new(NULL);
    ck_assert_ptr_nonnull(s);
}

static void teardown(void)
{
    store_free(s);
}

/* A request: its args NUL-joined (each with its NUL). */
static void req(struct store_conn *c, uint32_t type, uint32_t tx, ...)
{
    unsigned char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    size_t len = 0;
    va_list ap;
    va_start(ap, tx);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        size_t l = strlen(a) + 1;
        ck_assert(len + l <= XENSTORE_PAYLOAD_MAX);
        memcpy(buf + sizeof(struct xsd_sockmsg) + len, a, l);
        len += l;
    }
    va_end(ap);
    struct xsd_sockmsg h = { type, 77, tx, (uint32_t)len };
    memcpy(buf, &h, sizeof(h));
    ck_assert_int_eq(store_conn_input(c, buf, sizeof(h) + len), 0);
}

/* A request with a raw payload. */
static int req_raw(struct store_conn *c, uint32_t type, uint32_t tx,
                   const void *p, size_t len)
{
    struct xsd_sockmsg h = { type, 77, tx, (uint32_t)len };
    int rc = store_conn_input(c, &h, sizeof(h));
    if (rc == 0 && len)
        rc = store_conn_input(c, p, len);
    return rc;
}

static void write_val(struct store_conn *c, uint32_t tx, const char *path,
                      const char *val)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, vl = strlen(val);
    memcpy(buf, path, pl);
    memcpy(buf + pl, val, vl);
    ck_assert_int_eq(req_raw(c, XS_WRITE, tx, buf, pl + vl), 0);
}

static struct xsd_sockmsg got;
static char got_data[XENSTORE_PAYLOAD_MAX + 1];

/* Pops the next queued message into got/got_data; false if none. */
static bool pop(struct store_conn *c)
{
    size_t len;
    const unsigned char *p = store_conn_output(c, &len);
    if (!p)
        return false;
    ck_assert_uint_ge(len, sizeof(got));
    memcpy(&got, p, sizeof(got));
    ck_assert_uint_eq(len, sizeof(got) + got.len);
    memcpy(got_data, p + sizeof(got), got.len);
    got_data[got.len] = '\0';
    store_conn_consume(c, len);
    return true;
}

static void expect(struct store_conn *c, uint32_t type, const void *data,
                   size_t len)
{
    ck_assert_msg(pop(c), "no reply");
    ck_assert_msg(got.type == type, "type %u (%s), want %u", got.type,
                  got_data, type);
    ck_assert_uint_eq(got.len, len);
    ck_assert_msg(!memcmp(got_data, data, len), "payload '%s'", got_data);
}

#define expect_ok(c, type) expect(c, type, "OK", 3)
#define expect_err(c, name) expect(c, XS_ERROR, name, sizeof(name))

static void expect_event(struct store_conn *c, const char *path,
                         const char *token)
{
    char buf[256];
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    memcpy(buf, path, pl);
    memcpy(buf + pl, token, tl);
    expect(c, XS_WATCH_EVENT, buf, pl + tl);
    ck_assert_uint_eq(got.req_id, 0);
}

static void expect_none(struct store_conn *c)
{
    ck_assert_msg(!pop(c), "unexpected message type %u '%s'", got.type,
                  got_data);
}

/* ---- basic requests -------------------------------------------------- */

START_TEST(write_read_directory)
{
    struct store_conn *c = store_conn_new(s, 0);
    write_val(c, 0, "/a/b/c", "hello");     /* parents created, as xenstored */
    expect_ok(c, XS_WRITE);
    ck_assert_uint_eq(got.req_id, 77);
    req(c, XS_READ, 0, "/a/b/c", NULL);
    expect(c, XS_READ, "hello", 5);         /* no NUL on a value */
    req(c, XS_READ, 0, "/a/b", NULL);
    expect(c, XS_READ, "", 0);              /* a created parent is empty */
    write_val(c, 0, "/a/d", "");
    expect_ok(c, XS_WRITE);
    req(c, XS_DIRECTORY, 0, "/a", NULL);
    expect(c, XS_DIRECTORY, "b\0d", 4);     /* creation order, NULs */
    req(c, XS_DIRECTORY, 0, "/a/d", NULL);
    expect(c, XS_DIRECTORY, "", 0);
    /* A value may hold any byte, NULs too. */
    ck_assert_int_eq(req_raw(c, XS_WRITE, 0, "/v\0x\0y", 6), 0);
    expect_ok(c, XS_WRITE);
    req(c, XS_READ, 0, "/v", NULL);
    expect(c, XS_READ, "x\0y", 3);
    req(c, XS_MKDIR, 0, "/m/n", NULL);
    expect_ok(c, XS_MKDIR);
    req(c, XS_MKDIR, 0, "/m/n", NULL);      /* existing: OK again */
    expect_ok(c, XS_MKDIR);
    req(c, XS_RM, 0, "/a", NULL);           /* recursive */
    expect_ok(c, XS_RM);
    req(c, XS_READ, 0, "/a/b/c", NULL);
    expect_err(c, "ENOENT");
    /* cxenstored starts with /tool/xenstored. */
    req(c, XS_DIRECTORY, 0, "/", NULL);
    expect(c, XS_DIRECTORY, "tool\0v\0m", 9);
    ck_assert_uint_eq(store_node_count(s), 6);  /* + /tool/xenstored */
    expect_none(c);
}
END_TEST

START_TEST(errors)
{
    struct store_conn *c = store_conn_new(s, 0);
    req(c, XS_READ, 0, "/nope", NULL);
    expect_err(c, "ENOENT");
    req(c, XS_RM, 0, "/", NULL);
    expect_err(c, "EINVAL");
    req(c, XS_RM, 0, "/gone", NULL);        /* missing, parent there: OK */
    expect_ok(c, XS_RM);
    req(c, XS_RM, 0, "/gone/deeper", NULL); /* parent missing too */
    expect_err(c, "ENOENT");
    /* cxenstored's is_valid_nodename(). */
    static const char *bad[] = { "/a//b", "/a/", "/a b", "/a*", "/a.b", "" };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        req(c, XS_READ, 0, bad[i], NULL);
        expect_err(c, "EINVAL");
        write_val(c, 0, bad[i], "x");
        expect_err(c, "EINVAL");
    }
    char longp[XENSTORE_ABS_PATH_MAX + 2];
    memset(longp, 'a', sizeof(longp) - 1);
    longp[0] = '/';
    longp[sizeof(longp) - 1] = '\0';
    req(c, XS_MKDIR, 0, longp, NULL);
    expect_err(c, "EINVAL");
    /* Payload shape: no NUL, two strings where one is wanted. */
    ck_assert_int_eq(req_raw(c, XS_READ, 0, "/x", 2), 0);
    expect_err(c, "EINVAL");
    req(c, XS_READ, 0, "/x", "/y", NULL);
    expect_err(c, "EINVAL");
    ck_assert_int_eq(req_raw(c, XS_READ, 0, NULL, 0), 0);
    expect_err(c, "EINVAL");
    ck_assert_int_eq(req_raw(c, XS_WRITE, 0, "/nonul", 6), 0);
    expect_err(c, "EINVAL");
    /* Types cxenstored has no function for: ENOSYS, req_id echoed. */
    static const uint32_t nosys[] = { XS_WATCH_EVENT, XS_ERROR, XS_RESUME,
        XS_SET_TARGET, 20, XS_TYPE_COUNT, 1000, XS_INVALID };
    for (unsigned i = 0; i < sizeof(nosys) / sizeof(nosys[0]); i++) {
        req(c, nosys[i], 0, "/", NULL);
        expect_err(c, "ENOSYS");
        ck_assert_uint_eq(got.req_id, 77);
    }
    /* An unknown transaction id: ENOENT for every type but watch and
     * unwatch (cxenstored's XS_FLAG_NOTID). */
    req(c, XS_READ, 12345, "/", NULL);
    expect_err(c, "ENOENT");
    req(c, XS_GET_DOMAIN_PATH, 12345, "1", NULL);
    expect_err(c, "ENOENT");
    req(c, XS_WATCH, 12345, "/w", "t", NULL);
    expect_ok(c, XS_WATCH);
    expect_event(c, "/w", "t");
    /* get_domain_path and control. */
    req(c, XS_GET_DOMAIN_PATH, 0, "7", NULL);
    expect(c, XS_GET_DOMAIN_PATH, "/local/domain/7", 16);
    req(c, XS_GET_DOMAIN_PATH, 0, "x7", NULL);
    expect_err(c, "EINVAL");
    req(c, XS_CONTROL, 0, "check", NULL);
    expect_ok(c, XS_CONTROL);
    req(c, XS_CONTROL, 0, "frobnicate", NULL);
    expect_err(c, "EINVAL");
    expect_none(c);
}
END_TEST

START_TEST(directory_part)
{
    struct store_conn *c = store_conn_new(s, 0);
    write_val(c, 0, "/d/aa", "");
    write_val(c, 0, "/d/bbb", "");
    expect_ok(c, XS_WRITE);
    expect_ok(c, XS_WRITE);
    char gen[32];
    int gl = snprintf(gen, sizeof(gen), "%llu",
                      (unsigned long long)store_generation(s)) + 1;
    char want[64];
    memcpy(want, gen, (size_t)gl);
    memcpy(want + gl, "aa\0bbb\0", 8);
    req(c, XS_DIRECTORY_PART, 0, "/d", "0", NULL);
    expect(c, XS_DIRECTORY_PART, want, (size_t)gl + 8);
    memcpy(want + gl, "bbb\0", 5);
    req(c, XS_DIRECTORY_PART, 0, "/d", "3", NULL);
    expect(c, XS_DIRECTORY_PART, want, (size_t)gl + 5);
    req(c, XS_DIRECTORY_PART, 0, "/d", "1", NULL);  /* inside a name */
    expect_err(c, "EINVAL");
    req(c, XS_DIRECTORY_PART, 0, "/d", NULL);
    expect_err(c, "EINVAL");
}
END_TEST

/* ---- domains, relative paths, permissions ---------------------------- */

/* dom0 makes /local/domain/<id> owned by the domain, as the toolstack
 * does: "n<id>" (owner <id>, others nothing). */
static struct store_conn *domu(struct store_conn *c0, unsigned id)
{
    char path[64], perm[16];
    snprintf(path, sizeof(path), "/local/domain/%u", id);
    snprintf(perm, sizeof(perm), "n%u", id);
    req(c0, XS_MKDIR, 0, path, NULL);
    expect_ok(c0, XS_MKDIR);
    req(c0, XS_SET_PERMS, 0, path, perm, NULL);
    expect_ok(c0, XS_SET_PERMS);
    return store_conn_new(s, id);
}

START_TEST(perms)
{
    struct store_conn *c0 = store_conn_new(s, 0);
    struct store_conn *c5 = domu(c0, 5);
    struct store_conn *c6 = domu(c0, 6);

    req(c0, XS_GET_PERMS, 0, "/", NULL);
    expect(c0, XS_GET_PERMS, "n0", 3);
    write_val(c0, 0, "/secret/x", "1");
    expect_ok(c0, XS_WRITE);
    req(c5, XS_READ, 0, "/secret/x", NULL);
    expect_err(c5, "EACCES");
    req(c5, XS_READ, 0, "/secret/nothere", NULL);   /* hidden parent */
    expect_err(c5, "EACCES");
    write_val(c5, 0, "/secret/y", "1");
    expect_err(c5, "EACCES");
    req(c5, XS_RM, 0, "/secret/x", NULL);
    expect_err(c5, "EACCES");

    /* Relative paths are below the domain's home. */
    write_val(c5, 0, "data/k", "v");
    expect_ok(c5, XS_WRITE);
    req(c0, XS_READ, 0, "/local/domain/5/data/k", NULL);
    expect(c0, XS_READ, "v", 1);
    req(c5, XS_READ, 0, "data/k", NULL);
    expect(c5, XS_READ, "v", 1);
    /* A new node inherits its parent's perms, owned by its creator. */
    req(c5, XS_GET_PERMS, 0, "data/k", NULL);
    expect(c5, XS_GET_PERMS, "n5", 3);
    req(c6, XS_READ, 0, "/local/domain/5/data/k", NULL);
    expect_err(c6, "EACCES");
    req(c6, XS_READ, 0, "/local/domain/5/nothere", NULL);
    expect_err(c6, "EACCES");       /* not ENOENT: no leak */
    req(c5, XS_READ, 0, "nothere", NULL);
    expect_err(c5, "ENOENT");

    /* dom0 grants dom6 read on one node: "n5", "r6". */
    req(c5, XS_SET_PERMS, 0, "data/k", "n5", "r6", NULL);
    expect_ok(c5, XS_SET_PERMS);
    req(c6, XS_READ, 0, "/local/domain/5/data/k", NULL);
    expect(c6, XS_READ, "v", 1);
    write_val(c6, 0, "/local/domain/5/data/k", "w");
    expect_err(c6, "EACCES");
    req(c6, XS_GET_PERMS, 0, "/local/domain/5/data/k", NULL);
    expect(c6, XS_GET_PERMS, "n5\0r6", 6);
    /* Default for others is the first entry: "b5" lets dom6 write. */
    req(c5, XS_SET_PERMS, 0, "data/k", "b5", NULL);
    expect_ok(c5, XS_SET_PERMS);
    write_val(c6, 0, "/local/domain/5/data/k", "w");
    expect_ok(c6, XS_WRITE);
    /* An unprivileged domain may not give a node away (EPERM). */
    req(c5, XS_SET_PERMS, 0, "data/k", "n6", NULL);
    expect_err(c5, "EPERM");
    /* Malformed perms. */
    req(c0, XS_SET_PERMS, 0, "/secret", "x0", NULL);
    expect_err(c0, "EINVAL");
    req(c0, XS_SET_PERMS, 0, "/secret", "r", NULL);
    expect_err(c0, "EINVAL");
    req(c0, XS_SET_PERMS, 0, "/secret", "r99999", NULL);
    expect_err(c0, "EINVAL");
    req(c0, XS_SET_PERMS, 0, "/secret", NULL);
    expect_err(c0, "EINVAL");
    /* Domain requests only dom0 may make. */
    req(c5, XS_INTRODUCE, 0, "9", "1234", "5", NULL);
    expect_err(c5, "EACCES");
    req(c5, XS_RELEASE, 0, "9", NULL);
    expect_err(c5, "EACCES");
    req(c5, XS_IS_DOMAIN_INTRODUCED, 0, "9", NULL);
    expect_err(c5, "EACCES");
    req(c5, XS_CONTROL, 0, "check", NULL);
    expect_err(c5, "EACCES");
    req(c5, XS_INTRODUCE, 0, NULL);     /* privilege is checked first */
    expect_err(c5, "EACCES");
    req(c5, XS_GET_DOMAIN_PATH, 0, "5", NULL);
    expect(c5, XS_GET_DOMAIN_PATH, "/local/domain/5", 16);
    expect_none(c0);
    expect_none(c5);
    expect_none(c6);
}
END_TEST

START_TEST(introduce_release)
{
    struct store_conn *c0 = store_conn_new(s, 0);
    struct store_conn *c3 = store_conn_new(s, 3);
    req(c0, XS_WATCH, 0, "@introduceDomain", "i", NULL);
    expect_ok(c0, XS_WATCH);
    expect_event(c0, "@introduceDomain", "i");  /* the initial event */
    req(c0, XS_WATCH, 0, "@releaseDomain", "r", NULL);
    expect_ok(c0, XS_WATCH);
    expect_event(c0, "@releaseDomain", "r");
    req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "3", NULL);
    expect(c0, XS_IS_DOMAIN_INTRODUCED, "F", 2);
    req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "0", NULL);
    expect(c0, XS_IS_DOMAIN_INTRODUCED, "T", 2);
    req(c0, XS_INTRODUCE, 0, "3", "4096", "7", NULL);
    expect_ok(c0, XS_INTRODUCE);
    expect_event(c0, "@introduceDomain", "i");
    req(c0, XS_INTRODUCE, 0, "3", "4096", "7", NULL);   /* again: no event */
    expect_ok(c0, XS_INTRODUCE);
    req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "3", NULL);
    expect(c0, XS_IS_DOMAIN_INTRODUCED, "T", 2);
    req(c0, XS_INTRODUCE, 0, "3", "4096", NULL);
    expect_err(c0, "EINVAL");
    req(c0, XS_INTRODUCE, 0, "32752", "1", "1", NULL);  /* DOMID_FIRST_RESERVED */
    expect_err(c0, "EINVAL");
    req(c0, XS_RELEASE, 0, "4", NULL);
    expect_err(c0, "ENOENT");
    ck_assert(!store_conn_is_released(c3));
    /* A domU may watch the special names, but only dom0 gets events
     * (cxenstored: their perms are "n0" unless granted, XSA-115). */
    req(c3, XS_WATCH, 0, "@releaseDomain", "u", NULL);
    expect_ok(c3, XS_WATCH);
    expect_event(c3, "@releaseDomain", "u");
    req(c0, XS_RELEASE, 0, "3", NULL);
    expect_ok(c0, XS_RELEASE);
    expect_event(c0, "@releaseDomain", "r");
    expect_none(c3);
    ck_assert(store_conn_is_released(c3));
    req(c0, XS_IS_DOMAIN_INTRODUCED, 0, "3", NULL);
    expect(c0, XS_IS_DOMAIN_INTRODUCED, "F", 2);
    expect_none(c0);
}
END_TEST

/* ---- watches -------------------------------------------------------- */

START_TEST(watches)
{
    struct store_conn *c0 = store_conn_new(s, 0);
    struct store_conn *w = store_conn_new(s, 0);
    req(w, XS_WATCH, 0, "/a", "tok", NULL);
    expect_ok(w, XS_WATCH);
    expect_event(w, "/a", "tok");       /* initial, though /a is absent */
    req(w, XS_WATCH, 0, "/a", "tok", NULL);
    expect_err(w, "EEXIST");
    write_val(c0, 0, "/a/b/c", "1");    /* a descendant */
    expect_ok(c0, XS_WRITE);
    expect_event(w, "/a/b/c", "tok");
    expect_none(w);
    write_val(c0, 0, "/ab", "1");       /* a sibling with a common prefix */
    expect_ok(c0, XS_WRITE);
    expect_none(w);
    req(w, XS_WATCH, 0, "/a/b/c", "deep", NULL);
    expect_ok(w, XS_WATCH);
    expect_event(w, "/a/b/c", "deep");
    /* Removing /a fires the watch on /a and the one below it, with its own
     * path (cxenstored's fire_watches). */
    req(c0, XS_RM, 0, "/a", NULL);
    expect_ok(c0, XS_RM);
    expect_event(w, "/a", "tok");
    expect_event(w, "/a/b/c", "deep");
    expect_none(w);
    req(c0, XS_MKDIR, 0, "/a", NULL);
    expect_ok(c0, XS_MKDIR);
    expect_event(w, "/a", "tok");
    req(c0, XS_SET_PERMS, 0, "/a", "r0", NULL);
    expect_ok(c0, XS_SET_PERMS);
    expect_event(w, "/a", "tok");
    req(w, XS_UNWATCH, 0, "/a", "tok", NULL);
    expect_ok(w, XS_UNWATCH);
    req(w, XS_UNWATCH, 0, "/a", "tok", NULL);
    expect_err(w, "ENOENT");
    req(w, XS_UNWATCH, 0, "/a/b/c", NULL);
    expect_err(w, "EINVAL");
    write_val(c0, 0, "/a", "2");
    expect_ok(c0, XS_WRITE);
    expect_none(w);
    /* "/" watches everything. */
    req(w, XS_WATCH, 0, "/", "all", NULL);
    expect_ok(w, XS_WATCH);
    expect_event(w, "/", "all");
    write_val(c0, 0, "/z", "1");
    expect_ok(c0, XS_WRITE);
    expect_event(w, "/z", "all");
    req(w, XS_RESET_WATCHES, 0, "", NULL);
    expect_ok(w, XS_RESET_WATCHES);
    write_val(c0, 0, "/z", "2");
    expect_ok(c0, XS_WRITE);
    expect_none(w);
}
END_TEST

START_TEST(watches_domu)
{
    struct store_conn *c0 = store_conn_new(s, 0);
    struct store_conn *c5 = domu(c0, 5);
    /* A relative watch gets relative event paths. */
    req(c5, XS_WATCH, 0, "dev", "t", NULL);
    expect_ok(c5, XS_WATCH);
    expect_event(c5, "dev", "t");
    write_val(c0, 0, "/local/domain/5/dev/vif", "x");
    expect_ok(c0, XS_WRITE);
    expect_event(c5, "dev/vif", "t");
    /* No event for a node the watcher may not read. */
    req(c5, XS_WATCH, 0, "/hidden", "h", NULL);
    expect_ok(c5, XS_WATCH);
    expect_event(c5, "/hidden", "h");
    write_val(c0, 0, "/hidden", "x");
    expect_ok(c0, XS_WRITE);
    expect_none(c5);
    req(c0, XS_SET_PERMS, 0, "/hidden", "r0", NULL);
    expect_ok(c0, XS_SET_PERMS);
    expect_event(c5, "/hidden", "h");
    expect_none(c5);
}
END_TEST

/* ---- transactions --------------------------------------------------- */

static uint32_t tx_start(struct store_conn *c)
{
    req(c, XS_TRANSACTION_START, 0, "", NULL);
    ck_assert(pop(c));
    ck_assert_uint_eq(got.type, XS_TRANSACTION_START);
    ck_assert_uint_eq(got_data[got.len - 1], '\0');
    uint32_t id = (uint32_t)strtoul(got_data, NULL, 10);
    ck_assert_uint_ne(id, 0);
    return id;
}

START_TEST(transactions)
{
    struct store_conn *c = store_conn_new(s, 0);
    struct store_conn *w = store_conn_new(s, 0);
    req(w, XS_WATCH, 0, "/t", "w", NULL);
    expect_ok(w, XS_WATCH);
    expect_event(w, "/t", "w");

    uint32_t t = tx_start(c);
    write_val(c, t, "/t/x", "1");
    expect_ok(c, XS_WRITE);
    ck_assert_uint_eq(got.tx_id, t);
    req(c, XS_READ, t, "/t/x", NULL);
    expect(c, XS_READ, "1", 1);
    req(c, XS_READ, 0, "/t/x", NULL);       /* not visible outside */
    expect_err(c, "ENOENT");
    expect_none(w);                         /* events wait for commit */
    req(c, XS_TRANSACTION_START, t, "", NULL);
    expect_err(c, "EBUSY");
    req(c, XS_TRANSACTION_END, t, "X", NULL);
    expect_err(c, "EINVAL");
    req(c, XS_TRANSACTION_END, t, "T", NULL);
    expect_ok(c, XS_TRANSACTION_END);
    expect_event(w, "/t/x", "w");
    req(c, XS_READ, 0, "/t/x", NULL);
    expect(c, XS_READ, "1", 1);
    req(c, XS_TRANSACTION_END, t, "T", NULL);   /* ended */
    expect_err(c, "ENOENT");
    req(c, XS_TRANSACTION_END, 0, "T", NULL);
    expect_err(c, "ENOENT");

    /* Abort: nothing happens. */
    t = tx_start(c);
    req(c, XS_RM, t, "/t", NULL);
    expect_ok(c, XS_RM);
    req(c, XS_TRANSACTION_END, t, "F", NULL);
    expect_ok(c, XS_TRANSACTION_END);
    req(c, XS_READ, 0, "/t/x", NULL);
    expect(c, XS_READ, "1", 1);
    expect_none(w);

    /* Conflict: a commit in between makes the later one EAGAIN. */
    uint32_t t1 = tx_start(c), t2 = tx_start(c);
    write_val(c, t1, "/t/x", "a");
    expect_ok(c, XS_WRITE);
    write_val(c, t2, "/t/x", "b");
    expect_ok(c, XS_WRITE);
    req(c, XS_TRANSACTION_END, t1, "T", NULL);
    expect_ok(c, XS_TRANSACTION_END);
    expect_event(w, "/t/x", "w");
    req(c, XS_TRANSACTION_END, t2, "T", NULL);
    expect_err(c, "EAGAIN");
    req(c, XS_READ, 0, "/t/x", NULL);
    expect(c, XS_READ, "a", 1);
    /* A plain write in between conflicts too (whole-store generation). */
    t = tx_start(c);
    write_val(c, t, "/t/y", "1");
    expect_ok(c, XS_WRITE);
    write_val(c, 0, "/other", "1");
    expect_ok(c, XS_WRITE);
    req(c, XS_TRANSACTION_END, t, "T", NULL);
    expect_err(c, "EAGAIN");
    /* A read-only transaction commits whatever happened. */
    t = tx_start(c);
    req(c, XS_READ, t, "/t/x", NULL);
    expect(c, XS_READ, "a", 1);
    write_val(c, 0, "/other", "2");
    expect_ok(c, XS_WRITE);
    req(c, XS_TRANSACTION_END, t, "T", NULL);
    expect_ok(c, XS_TRANSACTION_END);
    /* Open transactions die with their connection. */
    tx_start(c);
    store_conn_free(c);
    expect_none(w);
}
END_TEST

/* ---- quotas --------------------------------------------------------- */

START_TEST(quotas)
{
    struct store_quota q = { 4, 8, 2, 1, 2 };
    store_free(s);
    s = store_new(&q);
    struct store_conn *c0 = store_conn_new(s, 0);
    struct store_conn *c5 = domu(c0, 5);
    write_val(c5, 0, "a", "12345678");
    expect_ok(c5, XS_WRITE);
    write_val(c5, 0, "a", "123456789");
    expect_err(c5, "ENOSPC");
    /* Entries: the home node is owned by dom5 too: 1 + a + 2 = 4. */
    write_val(c5, 0, "b/c", "");
    expect_ok(c5, XS_WRITE);
    write_val(c5, 0, "d", "");
    expect_err(c5, "ENOSPC");
    req(c5, XS_MKDIR, 0, "b/c/e", NULL);
    expect_err(c5, "ENOSPC");
    req(c5, XS_RM, 0, "b", NULL);
    expect_ok(c5, XS_RM);
    write_val(c5, 0, "d", "");
    expect_ok(c5, XS_WRITE);
    /* Watches. */
    req(c5, XS_WATCH, 0, "a", "1", NULL);
    expect_ok(c5, XS_WATCH);
    expect_event(c5, "a", "1");
    req(c5, XS_WATCH, 0, "a", "2", NULL);
    expect_ok(c5, XS_WATCH);
    expect_event(c5, "a", "2");
    req(c5, XS_WATCH, 0, "a", "3", NULL);
    expect_err(c5, "E2BIG");
    /* Transactions. */
    tx_start(c5);
    req(c5, XS_TRANSACTION_START, 0, "", NULL);
    expect_err(c5, "ENOSPC");
    /* Perms entries. */
    req(c5, XS_SET_PERMS, 0, "a", "n5", "r1", "r2", NULL);
    expect_err(c5, "ENOSPC");
    req(c5, XS_SET_PERMS, 0, "a", "n5", "r1", NULL);
    /* Its own watches fire before the reply, as cxenstored's
     * fire_watches() precedes send_ack(). */
    expect_event(c5, "a", "1");
    expect_event(c5, "a", "2");
    expect_ok(c5, XS_SET_PERMS);
    /* dom0 is exempt. */
    write_val(c0, 0, "/big", "0123456789abcdef");
    expect_ok(c0, XS_WRITE);
    for (int i = 0; i < 3; i++) {
        tx_start(c0);
        req(c0, XS_WATCH, 0, "/big", i == 0 ? "x" : i == 1 ? "y" : "z", NULL);
        expect_ok(c0, XS_WATCH);
        ck_assert(pop(c0));
    }
    expect_none(c5);
}
END_TEST

/* ---- framing and malformed input ------------------------------------ */

START_TEST(framing)
{
    struct store_conn *c = store_conn_new(s, 0);
    /* Two messages in one buffer, then one fed a byte at a time. */
    unsigned char buf[128];
    struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 1, 0, 2 };
    memcpy(buf, &h, sizeof(h));
    memcpy(buf + 16, "1", 2);
    h.req_id = 2;
    memcpy(buf + 18, &h, sizeof(h));
    memcpy(buf + 34, "2", 2);
    ck_assert_int_eq(store_conn_input(c, buf, 36), 0);
    expect(c, XS_GET_DOMAIN_PATH, "/local/domain/1", 16);
    ck_assert_uint_eq(got.req_id, 1);
    expect(c, XS_GET_DOMAIN_PATH, "/local/domain/2", 16);
    ck_assert_uint_eq(got.req_id, 2);
    for (int i = 0; i < 18; i++)
        ck_assert_int_eq(store_conn_input(c, buf + i, 1), 0);
    expect(c, XS_GET_DOMAIN_PATH, "/local/domain/1", 16);
    /* Output taken in pieces. */
    req(c, XS_GET_DOMAIN_PATH, 0, "3", NULL);
    size_t len;
    store_conn_output(c, &len);
    ck_assert_uint_eq(len, 32);
    store_conn_consume(c, 5);
    store_conn_output(c, &len);
    ck_assert_uint_eq(len, 27);
    store_conn_consume(c, 27);
    expect_none(c);
    /* A payload of exactly XENSTORE_PAYLOAD_MAX is a request. */
    static char big[XENSTORE_PAYLOAD_MAX];
    memset(big, 'a', sizeof(big));
    big[0] = '/';
    big[sizeof(big) - 1] = '\0';
    ck_assert_int_eq(req_raw(c, XS_READ, 0, big, sizeof(big)), 0);
    expect_err(c, "EINVAL");
    /* One byte more cannot be framed: close (cxenstored drops it). */
    h.len = XENSTORE_PAYLOAD_MAX + 1;
    ck_assert_int_eq(store_conn_input(c, &h, sizeof(h)), -1);
}
END_TEST

/* A small LCG: the same frames on every run. */
#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 8))

/* Random frames, well delimited or not, on privileged and unprivileged
 * connections: the store answers or asks to close, never crashes (run
 * under ASan/UBSan where the build has them). */
START_TEST(fuzz)
{
    static const char *words[] = { "/", "/a", "/a/b", "a", "@releaseDomain",
        "/local/domain/5", "T", "F", "0", "5", "n5", "r0", "b5", "x", "" };
    uint32_t seed = 12345;
    struct store_conn *c0 = store_conn_new(s, 0);
    domu(c0, 5);
    for (int round = 0; round < 20000; round++) {
        struct store_conn *c = store_conn_new(s, RND() % 3 == 0 ? 5 : 0);
        unsigned char p[XENSTORE_PAYLOAD_MAX];
        size_t len = 0;
        unsigned nargs = RND() % 4;
        for (unsigned i = 0; i < nargs; i++) {
            const char *wd = words[RND() % (sizeof(words) / sizeof(*words))];
            size_t l = strlen(wd) + (RND() % 8 != 0);   /* sometimes no NUL */
            memcpy(p + len, wd, l);
            len += l;
        }
        if (RND() % 4 == 0) {
            len = RND() % sizeof(p);
            for (size_t i = 0; i < len; i++)
                p[i] = (unsigned char)RND();
        }
        struct xsd_sockmsg h = { RND() % (XS_TYPE_COUNT + 2), RND(),
                                 RND() % 4 == 0 ? RND() % 8 : 0,
                                 (uint32_t)len };
        if (RND() % 16 == 0)
            h.len = RND();
        if (store_conn_input(c, &h, sizeof(h)) == 0)
            store_conn_input(c, p, len);
        /* Half the connections live on, with their watches and txs. */
        if (RND() % 2)
            store_conn_free(c);
        size_t ol;
        while (store_conn_output(c0, &ol))
            store_conn_consume(c0, ol);
    }
    req(c0, XS_READ, 0, "/", NULL);
    ck_assert(pop(c0));
}
END_TEST

/* ---- the ring ------------------------------------------------------- */

static struct xenstore_domain_interface ring;

/* The guest's side, written here as a guest would. */
static size_t guest_put(const void *buf, size_t len)
{
    size_t done = 0;
    while (done < len && ring.req_prod - ring.req_cons < XENSTORE_RING_SIZE) {
        ring.req[MASK_XENSTORE_IDX(ring.req_prod)] = ((const char *)buf)[done++];
        ring.req_prod++;
    }
    return done;
}

START_TEST(ring_wrap)
{
    memset(&ring, 0, sizeof(ring));
    /* Start near the 32-bit wrap of the free-running indexes. */
    ring.req_cons = ring.req_prod = 0xfffffff0u - 100;
    ring.rsp_cons = ring.rsp_prod = 0xffffffffu - 10;
    unsigned char in[3000], out[3000];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)(i * 7);
    size_t sent = 0, got_n = 0;
    while (got_n < sizeof(in)) {
        sent += guest_put(in + sent, sizeof(in) - sent < 700 ? sizeof(in) - sent : 700);
        long n = xs_ring_read_req(&ring, out + got_n, 333);
        ck_assert_int_ge(n, 0);
        got_n += (size_t)n;
    }
    ck_assert(!memcmp(in, out, sizeof(in)));
    ck_assert_int_eq(xs_ring_read_req(&ring, out, sizeof(out)), 0);

    /* rsp: fills to exactly a ring, then nothing; the guest drains. */
    long n = xs_ring_write_rsp(&ring, in, sizeof(in));
    ck_assert_int_eq(n, XENSTORE_RING_SIZE);
    ck_assert_int_eq(xs_ring_write_rsp(&ring, in, sizeof(in)), 0);
    for (int i = 0; i < XENSTORE_RING_SIZE; i++)
        ck_assert_uint_eq((unsigned char)ring.rsp[MASK_XENSTORE_IDX(ring.rsp_cons + (unsigned)i)],
                          in[i]);
    ring.rsp_cons += 100;
    ck_assert_int_eq(xs_ring_write_rsp(&ring, in, sizeof(in)), 100);

    /* Impossible indexes from a hostile guest. */
    ring.req_prod = ring.req_cons + XENSTORE_RING_SIZE + 1;
    ck_assert_int_eq(xs_ring_read_req(&ring, out, sizeof(out)), -1);
    ring.rsp_cons = ring.rsp_prod + 5;      /* consumer ahead of producer */
    ck_assert_int_eq(xs_ring_write_rsp(&ring, in, 1), -1);
}
END_TEST

/* A request crossing the ring in pieces reaches the store, and the reply
 * goes back through rsp[]. */
START_TEST(ring_to_store)
{
    memset(&ring, 0, sizeof(ring));
    ring.req_cons = ring.req_prod = 1000;
    struct store_conn *c = store_conn_new(s, 0);
    unsigned char msg[64];
    struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 9, 0, 3 };
    memcpy(msg, &h, sizeof(h));
    memcpy(msg + 16, "42", 3);
    for (size_t off = 0; off < 19; off += 5) {
        unsigned char buf[XENSTORE_RING_SIZE];
        guest_put(msg + off, 19 - off < 5 ? 19 - off : 5);
        long n = xs_ring_read_req(&ring, buf, sizeof(buf));
        ck_assert_int_ge(n, 1);
        ck_assert_int_eq(store_conn_input(c, buf, (size_t)n), 0);
    }
    size_t len;
    const void *p = store_conn_output(c, &len);
    ck_assert_uint_eq(len, 16 + 17);
    ck_assert_int_eq(xs_ring_write_rsp(&ring, p, len), (long)len);
    store_conn_consume(c, len);
    struct xsd_sockmsg r;
    char data[17];
    for (size_t i = 0; i < sizeof(r); i++)
        ((char *)&r)[i] = ring.rsp[MASK_XENSTORE_IDX(ring.rsp_cons + i)];
    for (size_t i = 0; i < sizeof(data); i++)
        data[i] = ring.rsp[MASK_XENSTORE_IDX(ring.rsp_cons + 16 + i)];
    ck_assert_uint_eq(r.type, XS_GET_DOMAIN_PATH);
    ck_assert_uint_eq(r.req_id, 9);
    ck_assert_str_eq(data, "/local/domain/42");
}
END_TEST

/* xs_ring_pump(): a guest writes two requests, one of them split across
 * the ring's end, and reads both replies; a reply larger than the free
 * space goes out in pieces; bad indexes and unframeable input close. */
static size_t guest_get(void *buf, size_t cap)
{
    size_t done = 0;
    while (done < cap && ring.rsp_cons != ring.rsp_prod) {
        ((char *)buf)[done++] = ring.rsp[MASK_XENSTORE_IDX(ring.rsp_cons)];
        ring.rsp_cons++;
    }
    return done;
}

START_TEST(ring_pump)
{
    memset(&ring, 0, sizeof(ring));
    ring.req_cons = ring.req_prod = XENSTORE_RING_SIZE - 20;
    struct store_conn *c = store_conn_new(s, 0);
    unsigned char msg[128];
    struct xsd_sockmsg h = { XS_WRITE, 1, 0, 6 };
    memcpy(msg, &h, 16);
    memcpy(msg + 16, "/k\0val", 6);
    h = (struct xsd_sockmsg){ XS_READ, 2, 0, 3 };
    memcpy(msg + 22, &h, 16);
    memcpy(msg + 38, "/k", 3);
    ck_assert_uint_eq(guest_put(msg, 41), 41);
    ck_assert_int_eq(xs_ring_pump(&ring, c),
                     XS_RING_REQ_CONSUMED | XS_RING_RSP_PRODUCED);
    unsigned char out[256];
    ck_assert_uint_eq(guest_get(out, sizeof(out)), 16 + 3 + 16 + 3);
    memcpy(&h, out, 16);
    ck_assert_uint_eq(h.req_id, 1);
    ck_assert(!memcmp(out + 16, "OK", 3));
    memcpy(&h, out + 19, 16);
    ck_assert_uint_eq(h.req_id, 2);
    ck_assert(!memcmp(out + 35, "val", 3));
    ck_assert_int_eq(xs_ring_pump(&ring, c), 0);

    /* A 2000-byte value: its reply needs two rounds. */
    static char big[2100];
    memcpy(big, "/b", 3);
    memset(big + 3, 'x', 2000);
    h = (struct xsd_sockmsg){ XS_WRITE, 3, 0, 2003 };
    for (size_t off = 0; off < 16 + 2003;) {
        unsigned char frame[16 + 2003];
        memcpy(frame, &h, 16);
        memcpy(frame + 16, big, 2003);
        off += guest_put(frame + off, 16 + 2003 - off);
        ck_assert_int_ge(xs_ring_pump(&ring, c), 0);
    }
    ck_assert_uint_eq(guest_get(out, sizeof(out)), 19);
    h = (struct xsd_sockmsg){ XS_READ, 4, 0, 3 };
    memcpy(msg, &h, 16);
    memcpy(msg + 16, "/b", 3);
    guest_put(msg, 19);
    ck_assert_int_eq(xs_ring_pump(&ring, c),
                     XS_RING_REQ_CONSUMED | XS_RING_RSP_PRODUCED);
    size_t total = guest_get(out, sizeof(out));
    static char all[2100];
    ck_assert_uint_eq(total, 256);
    memcpy(all, out, total);
    for (int i = 0; i < 20 && total < 16 + 2000; i++) {
        ck_assert_int_ge(xs_ring_pump(&ring, c), 0);
        total += guest_get(all + total, sizeof(all) - total);
    }
    ck_assert_uint_eq(total, 16 + 2000);
    ck_assert_int_eq(all[16 + 1999], 'x');

    /* Impossible indexes, then an unframeable header: close. */
    ring.req_prod = ring.req_cons + 5000;
    ck_assert_int_eq(xs_ring_pump(&ring, c), -1);
    ring.req_prod = ring.req_cons;
    h = (struct xsd_sockmsg){ XS_READ, 5, 0, XENSTORE_PAYLOAD_MAX + 1 };
    guest_put(&h, 16);
    ck_assert_int_eq(xs_ring_pump(&ring, c), -1);
}
END_TEST

/* Unframed random byte streams in random chunks: whatever the store makes
 * of them, it answers or asks to close, and stays consistent. */
START_TEST(fuzz_stream)
{
    uint32_t seed = 777;
    for (int round = 0; round < 2000; round++) {
        struct store_conn *c = store_conn_new(s, RND() % 2 ? 0 : 7);
        unsigned char buf[512];
        for (int k = 0; k < 8; k++) {
            size_t len = RND() % sizeof(buf);
            for (size_t i = 0; i < len; i++)
                buf[i] = (unsigned char)RND();
            /* Keep lengths small now and then, so frames complete. */
            if (len >= 16 && RND() % 2) {
                uint32_t small = RND() % 64, type = RND() % XS_TYPE_COUNT;
                memcpy(buf + 12, &small, 4);
                memcpy(buf, &type, 4);
            }
            if (store_conn_input(c, buf, len) < 0)
                break;
        }
        store_conn_free(c);
    }
    struct store_conn *c0 = store_conn_new(s, 0);
    req(c0, XS_DIRECTORY, 0, "/tool", NULL);
    expect(c0, XS_DIRECTORY, "xenstored", 10);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("store");
    TCase *t = tcase_create("all");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, write_read_directory);
    tcase_add_test(t, errors);
    tcase_add_test(t, directory_part);
    tcase_add_test(t, perms);
    tcase_add_test(t, introduce_release);
    tcase_add_test(t, watches);
    tcase_add_test(t, watches_domu);
    tcase_add_test(t, transactions);
    tcase_add_test(t, quotas);
    tcase_add_test(t, framing);
    tcase_add_test(t, fuzz);
    tcase_add_test(t, ring_wrap);
    tcase_add_test(t, ring_to_store);
    tcase_add_test(t, ring_pump);
    tcase_add_test(t, fuzz_stream);
    suite_add_tcase(su, t);
    return run_check_suite(su);
}
