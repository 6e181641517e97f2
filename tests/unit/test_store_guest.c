/* SPDX-License-Identifier: MIT */
/*
 * test_store_guest.c - the store's guest connections
 *                      (toolstack/store/store_guest.c with store.c and
 *                      ring.c) on the host: guests' ring pages in ordinary
 *                      memory, a fake platform (fake_pvback.c) for the
 *                      grant mapping and the event channels.
 * Owns:    the fake guests (their side of the ring: requests in, replies
 *          and events out) and dom0's in-memory connection.
 * Touches: toolstack/store/store_guest.c, store.c, ring.c as they are.
 *
 * The expected behaviour is cxenstored's (Xen 4.17, xenstored_domain.c)
 * as its sources give it: XS_INTRODUCE maps grant ref 1 and binds the
 * port (an error if either fails), @introduceDomain to dom0's watchers;
 * XS_RELEASE and a dying domain unmap and fire @releaseDomain; a guest
 * whose ring indexes are impossible is dropped, nobody else is.
 * store_guest.c's head comment lists where we differ.
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/grant_table.h>
#include <xen/io/xs_wire.h>
#include <xen/xen.h>

#include "check_runner.h"
#include "fake_pvback.h"
#include "ring.h"
#include "store.h"
#include "store_guest.h"

#define HDR sizeof(struct xsd_sockmsg)

static struct store *s;
static struct fake_pvback fk;
static struct store_guests *g;
static struct store_conn *c0;           /* dom0, as a socket client is */
static char *logbuf;
static size_t loglen;
static FILE *logfp;
static struct xenstore_domain_interface page5, page6;

static void setup(void)
{
    s = store_new(NULL);
    fake_pvback_init(&fk);
    logfp = open_memstream(&logbuf, &loglen);
    g = store_guests_new(s, &fk.pb, logfp);
    ck_assert_ptr_nonnull(g);
    c0 = store_conn_new(s, 0);
    memset(&page5, 0, sizeof(page5));
    memset(&page6, 0, sizeof(page6));
    fake_add_page(&fk, 5, GNTTAB_RESERVED_XENSTORE, 0x5000, &page5);
    fake_add_page(&fk, 6, GNTTAB_RESERVED_XENSTORE, 0x6000, &page6);
}

static void teardown(void)
{
    store_guests_free(g);
    store_free(s);
    fake_pvback_fini(&fk);
    fclose(logfp);
    free(logbuf);
}

/* ---- dom0's side: an in-memory connection --------------------------- */

static size_t args_join(char *buf, va_list ap)
{
    size_t len = 0;
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        size_t l = strlen(a) + 1;
        memcpy(buf + len, a, l);
        len += l;
    }
    return len;
}

static void req0(uint32_t type, ...)
{
    char buf[HDR + 512];
    va_list ap;
    va_start(ap, type);
    size_t len = args_join(buf + HDR, ap);
    va_end(ap);
    struct xsd_sockmsg h = { type, 1, 0, (uint32_t)len };
    memcpy(buf, &h, HDR);
    ck_assert_int_eq(store_conn_input(c0, buf, HDR + len), 0);
}

/* Pops dom0's next message; its payload into data (NUL-terminated). */
static bool pop0(struct xsd_sockmsg *h, char *data)
{
    size_t len;
    const unsigned char *p = store_conn_output(c0, &len);
    if (!p)
        return false;
    memcpy(h, p, HDR);
    ck_assert_uint_ge(len, HDR + h->len);
    memcpy(data, p + HDR, h->len);
    data[h->len] = '\0';
    store_conn_consume(c0, HDR + h->len);
    return true;
}

static void expect0(uint32_t type, const char *payload)
{
    struct xsd_sockmsg h;
    char data[4200];
    ck_assert(pop0(&h, data));
    ck_assert_uint_eq(h.type, type);
    ck_assert_str_eq(data, payload);
}

static void expect0_event(const char *path, const char *token)
{
    struct xsd_sockmsg h;
    char data[4200];
    ck_assert(pop0(&h, data));
    ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
    ck_assert_str_eq(data, path);
    ck_assert_str_eq(data + strlen(path) + 1, token);
}

static void expect0_none(void)
{
    size_t len;
    ck_assert_ptr_null(store_conn_output(c0, &len));
}

/* ---- a guest's side of its ring -------------------------------------- */

static size_t guest_put(struct xenstore_domain_interface *p, const void *buf,
                        size_t len)
{
    size_t done = 0;
    while (done < len && p->req_prod - p->req_cons < XENSTORE_RING_SIZE) {
        p->req[MASK_XENSTORE_IDX(p->req_prod)] = ((const char *)buf)[done++];
        p->req_prod++;
    }
    return done;
}

static void guest_req(struct xenstore_domain_interface *p, uint32_t type,
                      uint32_t req_id, ...)
{
    char buf[HDR + 512];
    va_list ap;
    va_start(ap, req_id);
    size_t len = args_join(buf + HDR, ap);
    va_end(ap);
    struct xsd_sockmsg h = { type, req_id, 0, (uint32_t)len };
    memcpy(buf, &h, HDR);
    ck_assert_uint_eq(guest_put(p, buf, HDR + len), HDR + len);
}

/* Takes one whole message off rsp[]; false if none is complete. */
static bool guest_get(struct xenstore_domain_interface *p,
                      struct xsd_sockmsg *h, char *data)
{
    uint32_t avail = p->rsp_prod - p->rsp_cons;
    if (avail < HDR)
        return false;
    for (size_t i = 0; i < HDR; i++)
        ((char *)h)[i] = p->rsp[MASK_XENSTORE_IDX(p->rsp_cons + i)];
    if (avail < HDR + h->len)
        return false;
    for (size_t i = 0; i < h->len; i++)
        data[i] = p->rsp[MASK_XENSTORE_IDX(p->rsp_cons + HDR + i)];
    data[h->len] = '\0';
    p->rsp_cons += (uint32_t)(HDR + h->len);
    return true;
}

static void guest_expect(struct xenstore_domain_interface *p, uint32_t type,
                         uint32_t req_id, const char *payload)
{
    struct xsd_sockmsg h;
    char data[4200];
    ck_assert_msg(guest_get(p, &h, data), "no reply on the ring");
    ck_assert_uint_eq(h.type, type);
    ck_assert_uint_eq(h.req_id, req_id);
    ck_assert_str_eq(data, payload);
}

static void guest_expect_event(struct xenstore_domain_interface *p,
                               const char *path, const char *token)
{
    struct xsd_sockmsg h;
    char data[4200];
    ck_assert_msg(guest_get(p, &h, data), "no event on the ring");
    ck_assert_uint_eq(h.type, XS_WATCH_EVENT);
    ck_assert_str_eq(data, path);
    ck_assert_str_eq(data + strlen(path) + 1, token);
}

/* The guest notifies its port; the daemon runs one round. */
static void guest_kick(uint32_t dom, uint32_t remote)
{
    int port = fake_port_of(&fk, dom, remote);
    ck_assert_int_gt(port, 0);
    fake_fire(&fk, (uint32_t)port);
    for (int i = 0; store_guests_run(g) && i < 100; i++)
        ;
}

/* dom0 introduces domain `dom` with remote port `port`, as xl does,
 * after making its home owned by it (xl's libxl__domain_make). */
static void introduce(uint32_t dom, uint32_t port)
{
    char dp[40], perm[12], mfn[20], portstr[12];
    snprintf(dp, sizeof(dp), "/local/domain/%u", dom);
    snprintf(perm, sizeof(perm), "n%u", dom);
    snprintf(mfn, sizeof(mfn), "%u", dom * 0x1000);
    snprintf(portstr, sizeof(portstr), "%u", port);
    req0(XS_MKDIR, dp, NULL);
    expect0(XS_MKDIR, "OK");
    req0(XS_SET_PERMS, dp, perm, NULL);
    expect0(XS_SET_PERMS, "OK");
    req0(XS_INTRODUCE, dp + 14, mfn, portstr, NULL);
    expect0(XS_INTRODUCE, "OK");
    store_guests_run(g);
}

/* ---- cases ---------------------------------------------------------- */

START_TEST(introduce_maps_and_binds)
{
    req0(XS_WATCH, "@introduceDomain", "in", NULL);
    expect0(XS_WATCH, "OK");
    expect0_event("@introduceDomain", "in");
    ck_assert_int_ge(fake_virq_port(&fk, VIRQ_DOM_EXC), 1);

    introduce(5, 7);
    expect0_event("@introduceDomain", "in");
    ck_assert_uint_eq(fk.maps_by_grant, 1);     /* by grant first */
    ck_assert_uint_eq(fk.maps_by_mfn, 0);
    ck_assert_int_eq(fake_page_mapped(&fk, &page5), 1);
    ck_assert_int_gt(fake_port_of(&fk, 5, 7), 0);
    ck_assert_uint_eq(store_guests_count(g), 1);
    req0(XS_IS_DOMAIN_INTRODUCED, "5", NULL);
    expect0(XS_IS_DOMAIN_INTRODUCED, "T");
    req0(XS_GET_DOMAIN_PATH, "5", NULL);
    expect0(XS_GET_DOMAIN_PATH, "/local/domain/5");

    /* Again: OK, nothing mapped twice, no event (cxenstored). */
    req0(XS_INTRODUCE, "5", "20480", "7", NULL);
    expect0(XS_INTRODUCE, "OK");
    store_guests_run(g);
    expect0_none();
    ck_assert_int_eq(fake_page_mapped(&fk, &page5), 1);

    /* The grant refused: the frame is mapped instead. */
    fk.grants_fail = true;
    introduce(6, 9);
    ck_assert_uint_eq(fk.maps_by_mfn, 1);
    ck_assert_uint_eq(store_guests_count(g), 2);
}
END_TEST

START_TEST(introduce_failures)
{
    req0(XS_WATCH, "@introduceDomain", "in", NULL);
    expect0(XS_WATCH, "OK");
    expect0_event("@introduceDomain", "in");
    /* No page to map (domain 8 granted nothing): the map's error. */
    req0(XS_INTRODUCE, "8", "1234", "3", NULL);
    expect0(XS_ERROR, "EINVAL");
    req0(XS_IS_DOMAIN_INTRODUCED, "8", NULL);
    expect0(XS_IS_DOMAIN_INTRODUCED, "F");
    /* Port 0: EINVAL before anything is mapped (cxenstored: port <= 0). */
    req0(XS_INTRODUCE, "5", "20480", "0", NULL);
    expect0(XS_ERROR, "EINVAL");
    ck_assert_uint_eq(fk.maps_by_grant, 0);
    /* The port cannot be bound: the page is unmapped again. */
    fk.bind_err = -EINVAL;
    req0(XS_INTRODUCE, "5", "20480", "3", NULL);
    expect0(XS_ERROR, "EINVAL");
    ck_assert_int_eq(fake_page_mapped(&fk, &page5), 0);
    ck_assert_uint_eq(store_guests_count(g), 0);
    expect0_none();     /* no @introduceDomain for any of them */
    ck_assert_ptr_nonnull(strstr(logbuf, "d8: cannot map its store page"));
    ck_assert_ptr_nonnull(strstr(logbuf, "d5: cannot bind its port 3"));

    /* VIRQ_DOM_EXC held elsewhere (Xen: one binding, EEXIST): said, and
     * the daemon serves on, noticing releases only. */
    struct store *s2 = store_new(NULL);
    struct store_guests *g2 = store_guests_new(s2, &fk.pb, logfp);
    ck_assert_ptr_nonnull(g2);
    ck_assert_ptr_nonnull(strstr(logbuf, "cannot bind VIRQ_DOM_EXC (File exists)"));
    store_guests_free(g2);
    store_free(s2);
}
END_TEST

START_TEST(requests_on_the_ring)
{
    introduce(5, 7);
    req0(XS_WRITE, "/local/domain/0/secret", NULL);
    expect0(XS_WRITE, "OK");
    int port = fake_port_of(&fk, 5, 7);

    struct xsd_sockmsg h = { XS_WRITE, 1, 0, 8 };     /* "data/x\0v" */
    guest_put(&page5, &h, HDR);
    guest_put(&page5, "data/x\0v", 8);                /* relative */
    guest_kick(5, 7);
    guest_expect(&page5, XS_WRITE, 1, "OK");
    ck_assert_uint_ge(fk.ports[port].notified, 1);
    ck_assert(!fk.ports[port].masked);      /* unmasked after the round */

    guest_req(&page5, XS_READ, 2, "/local/domain/5/data/x", NULL);
    guest_req(&page5, XS_GET_DOMAIN_PATH, 3, "5", NULL);
    guest_req(&page5, XS_READ, 4, "/local/domain/0/secret", NULL);
    guest_req(&page5, XS_INTRODUCE, 5, "9", "1", "1", NULL);
    guest_req(&page5, XS_WRITE, 6, "/elsewhere", NULL);
    guest_kick(5, 7);
    guest_expect(&page5, XS_READ, 2, "v");
    guest_expect(&page5, XS_GET_DOMAIN_PATH, 3, "/local/domain/5");
    guest_expect(&page5, XS_ERROR, 4, "EACCES");    /* dom0's node: n0 */
    guest_expect(&page5, XS_ERROR, 5, "EACCES");    /* dom0 only */
    guest_expect(&page5, XS_ERROR, 6, "EACCES");    /* "/" is n0 */

    /* The node it made is its own (quota and perms count it for d5). */
    req0(XS_GET_PERMS, "/local/domain/5/data/x", NULL);
    expect0(XS_GET_PERMS, "n5");
}
END_TEST

START_TEST(watch_fires_to_guest)
{
    introduce(5, 7);
    int port = fake_port_of(&fk, 5, 7);
    guest_req(&page5, XS_WATCH, 1, "device", "tok", NULL);
    guest_kick(5, 7);
    guest_expect(&page5, XS_WATCH, 1, "OK");
    guest_expect_event(&page5, "device", "tok");    /* initial, relative */
    unsigned before = fk.ports[port].notified;

    /* dom0 (the toolstack) writes below it: the event reaches the ring
     * and the guest is notified, without the guest having signalled. */
    req0(XS_WRITE, "/local/domain/5/device/vbd", NULL);
    expect0(XS_WRITE, "OK");
    store_guests_run(g);
    guest_expect_event(&page5, "device/vbd", "tok");
    ck_assert_uint_gt(fk.ports[port].notified, before);

    /* Unreadable to d5: no event (a node made n0 under its home). */
    req0(XS_WRITE, "/local/domain/5/device/hidden", NULL);
    expect0(XS_WRITE, "OK");
    store_guests_run(g);
    guest_expect_event(&page5, "device/hidden", "tok");
    req0(XS_SET_PERMS, "/local/domain/5/device/hidden", "n0", NULL);
    expect0(XS_SET_PERMS, "OK");
    store_guests_run(g);
    struct xsd_sockmsg h;
    char data[256];
    ck_assert(!guest_get(&page5, &h, data));
    /* @introduceDomain is dom0's only (store.c's fire_special()). */
    guest_req(&page5, XS_WATCH, 2, "@introduceDomain", "i", NULL);
    guest_kick(5, 7);
    guest_expect(&page5, XS_WATCH, 2, "OK");
    guest_expect_event(&page5, "@introduceDomain", "i");
    introduce(6, 9);
    store_guests_run(g);
    ck_assert(!guest_get(&page5, &h, data));
}
END_TEST

/* Each hostile ring costs its own guest only: d6 and dom0 go on. */
static void others_still_served(void)
{
    guest_req(&page6, XS_GET_DOMAIN_PATH, 50, "6", NULL);
    guest_kick(6, 9);
    guest_expect(&page6, XS_GET_DOMAIN_PATH, 50, "/local/domain/6");
    req0(XS_READ, "/local/domain/6", NULL);
    expect0(XS_READ, "");
}

START_TEST(hostile_ring)
{
    struct { uint32_t cons, prod; } bad[] = {
        { 0, 5000 },                        /* prod far ahead of cons */
        { 0, XENSTORE_RING_SIZE + 1 },      /* just past a ring's worth */
        { 100, 50 },                        /* prod behind cons */
        { 0x10, 0xfffffff0u },              /* nonsense */
    };
    introduce(6, 9);
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        introduce(5, 7);
        page5.req_cons = bad[i].cons;
        page5.req_prod = bad[i].prod;
        guest_kick(5, 7);
        ck_assert_msg(store_guest_is_broken(g, 5), "case %u", i);
        ck_assert_ptr_nonnull(strstr(logbuf, "d5: ring broken"));
        others_still_served();
        /* Its events are ignored from then on. */
        guest_kick(5, 7);
        /* Released, it is unmapped; reintroduced, it is served afresh. */
        req0(XS_RELEASE, "5", NULL);
        expect0(XS_RELEASE, "OK");
        store_guests_run(g);
        ck_assert_int_eq(fake_page_mapped(&fk, &page5), 0);
        memset(&page5, 0, sizeof(page5));
    }

    /* rsp_cons scribbled beyond rsp_prod: dropped when we write. */
    introduce(5, 7);
    page5.rsp_cons = 3000;
    guest_req(&page5, XS_GET_DOMAIN_PATH, 1, "5", NULL);
    guest_kick(5, 7);
    ck_assert(store_guest_is_broken(g, 5));
    others_still_served();
    req0(XS_RELEASE, "5", NULL);
    expect0(XS_RELEASE, "OK");
    store_guests_run(g);
    memset(&page5, 0, sizeof(page5));

    /* A header announcing more than XENSTORE_PAYLOAD_MAX: dropped. */
    introduce(5, 7);
    struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    guest_put(&page5, &h, HDR);
    guest_kick(5, 7);
    ck_assert(store_guest_is_broken(g, 5));
    others_still_served();
    req0(XS_RELEASE, "5", NULL);
    expect0(XS_RELEASE, "OK");
    store_guests_run(g);
    memset(&page5, 0, sizeof(page5));

    /* A partial header, then the rest: one reply, nothing dropped. */
    introduce(5, 7);
    char frame[HDR + 2];
    h = (struct xsd_sockmsg){ XS_GET_DOMAIN_PATH, 2, 0, 2 };
    memcpy(frame, &h, HDR);
    memcpy(frame + HDR, "5", 2);
    guest_put(&page5, frame, 7);
    guest_kick(5, 7);
    struct xsd_sockmsg r;
    char data[64];
    ck_assert(!guest_get(&page5, &r, data));
    ck_assert(!store_guest_is_broken(g, 5));
    others_still_served();
    guest_put(&page5, frame + 7, sizeof(frame) - 7);
    guest_kick(5, 7);
    guest_expect(&page5, XS_GET_DOMAIN_PATH, 2, "/local/domain/5");

    /* A request never completed: the guest waits forever, alone. */
    h = (struct xsd_sockmsg){ XS_WRITE, 3, 0, 100 };
    guest_put(&page5, &h, HDR);
    guest_put(&page5, "/local/domain/5/x", 17);
    guest_kick(5, 7);
    ck_assert(!guest_get(&page5, &r, data));
    ck_assert(!store_guest_is_broken(g, 5));
    others_still_served();
    guest_put(&page5, (char[83]){ 0 }, 83);   /* completes it at last */
    guest_kick(5, 7);
    guest_expect(&page5, XS_WRITE, 3, "OK");

    /* A malformed request (no NUL): an error reply, the ring goes on. */
    h = (struct xsd_sockmsg){ XS_READ, 4, 0, 3 };
    guest_put(&page5, &h, HDR);
    guest_put(&page5, "abc", 3);
    guest_kick(5, 7);
    guest_expect(&page5, XS_ERROR, 4, "EINVAL");
    ck_assert(!store_guest_is_broken(g, 5));
}
END_TEST

/* A guest that writes requests and never reads replies: the store stops
 * taking its requests once a backlog waits (XS_RING_BACKLOG_MAX), so its
 * memory stays bounded; reading resumes it. */
START_TEST(hostile_flood)
{
    introduce(5, 7);
    introduce(6, 9);
    page5.rsp_cons = page5.rsp_prod;
    for (int round = 0; round < 400; round++) {
        while (page5.req_prod - page5.req_cons + HDR + 2 <= XENSTORE_RING_SIZE)
            guest_req(&page5, XS_GET_DOMAIN_PATH, 1, "5", NULL);
        guest_kick(5, 7);
    }
    /* Bounded: at most the limit plus one pump's worth of replies. */
    ck_assert(!store_guest_is_broken(g, 5));
    others_still_served();
    /* It reads everything: service resumes. */
    struct xsd_sockmsg r;
    char data[64];
    unsigned got = 0;
    for (int i = 0; i < 100000; i++) {
        while (guest_get(&page5, &r, data))
            got++;
        guest_kick(5, 7);
        if (page5.req_prod == page5.req_cons && page5.rsp_prod == page5.rsp_cons)
            break;
    }
    ck_assert_uint_gt(got, XS_RING_BACKLOG_MAX / (HDR + 16));
    ck_assert_uint_lt(got, XS_RING_BACKLOG_MAX / (HDR + 16) + 400);
    ck_assert_uint_eq(page5.req_prod, page5.req_cons);
}
END_TEST

START_TEST(release_and_death)
{
    req0(XS_WATCH, "@releaseDomain", "rel", NULL);
    expect0(XS_WATCH, "OK");
    expect0_event("@releaseDomain", "rel");
    introduce(5, 7);
    introduce(6, 9);
    int p5 = fake_port_of(&fk, 5, 7);

    /* XS_RELEASE: OK, @releaseDomain, then unmapped and unbound. */
    req0(XS_RELEASE, "5", NULL);
    expect0(XS_RELEASE, "OK");
    expect0_event("@releaseDomain", "rel");
    store_guests_run(g);
    ck_assert_int_eq(fake_page_mapped(&fk, &page5), 0);
    ck_assert(!fk.ports[p5].bound);
    ck_assert_uint_eq(store_guests_count(g), 1);
    req0(XS_IS_DOMAIN_INTRODUCED, "5", NULL);
    expect0(XS_IS_DOMAIN_INTRODUCED, "F");

    /* d6 shuts down: @releaseDomain once, still served. */
    int virq = fake_virq_port(&fk, VIRQ_DOM_EXC);
    fk.dom_state[6] = PVBACK_DOM_SHUTDOWN;
    fake_fire(&fk, (uint32_t)virq);
    store_guests_run(g);
    expect0_event("@releaseDomain", "rel");
    fake_fire(&fk, (uint32_t)virq);
    store_guests_run(g);
    expect0_none();
    ck_assert_uint_eq(store_guests_count(g), 1);

    /* Then it dies: released, unmapped, @releaseDomain. */
    fk.dom_state[6] = PVBACK_DOM_DEAD;
    fake_fire(&fk, (uint32_t)virq);
    store_guests_run(g);
    expect0_event("@releaseDomain", "rel");
    ck_assert_uint_eq(store_guests_count(g), 0);
    ck_assert_int_eq(fake_page_mapped(&fk, &page6), 0);
    req0(XS_IS_DOMAIN_INTRODUCED, "6", NULL);
    expect0(XS_IS_DOMAIN_INTRODUCED, "F");
    ck_assert(!fk.ports[virq].masked);

    /* Released, then introduced again in the same round. */
    introduce(5, 7);
    req0(XS_RELEASE, "5", NULL);
    expect0(XS_RELEASE, "OK");
    expect0_event("@releaseDomain", "rel");
    req0(XS_INTRODUCE, "5", "20480", "8", NULL);
    expect0(XS_INTRODUCE, "OK");
    store_guests_run(g);
    ck_assert_uint_eq(store_guests_count(g), 1);
    ck_assert_int_eq(fake_page_mapped(&fk, &page5), 1);
    ck_assert_int_gt(fake_port_of(&fk, 5, 8), 0);
    ck_assert_int_lt(fake_port_of(&fk, 5, 7), 0);
}
END_TEST

/* A guest writing random indexes and random bytes on its page, round
 * after round (released and reintroduced whenever it is dropped): the
 * daemon stays clean under ASan/UBSan and d6 is served at the end. */
START_TEST(fuzz_page)
{
    uint32_t seed = 4242;
#define RND() (seed = seed * 1103515245u + 12345u, seed >> 8)
    introduce(6, 9);
    introduce(5, 7);
    unsigned drops = 0;
    for (int round = 0; round < 5000; round++) {
        switch (RND() % 6) {
        case 0:
            page5.req_prod = RND();
            break;
        case 1:
            page5.rsp_cons = page5.rsp_prod - RND() % 64;
            break;
        case 2:
            page5.req_cons = RND();
            break;
        default: {
            size_t n = RND() % 200;
            for (size_t i = 0; i < n && page5.req_prod - page5.req_cons <
                                          XENSTORE_RING_SIZE; i++) {
                /* Mostly small frames, so that requests complete. */
                unsigned char b = (unsigned char)RND();
                uint32_t at = (page5.req_prod - page5.req_cons) % 16;
                if (at >= 12 && at < 16)
                    b = at == 12 ? (unsigned char)(RND() % 40) : 0;
                page5.req[MASK_XENSTORE_IDX(page5.req_prod)] = (char)b;
                page5.req_prod++;
            }
            page5.rsp_cons = page5.rsp_prod;
        }
        }
        guest_kick(5, 7);
        if (store_guest_is_broken(g, 5)) {
            drops++;
            req0(XS_RELEASE, "5", NULL);
            expect0(XS_RELEASE, "OK");
            store_guests_run(g);
            memset(&page5, 0, sizeof(page5));
            introduce(5, 7);
        }
    }
#undef RND
    ck_assert_uint_gt(drops, 100);
    others_still_served();
}
END_TEST

/* A domU's quotas apply on its ring as on any connection of its. */
START_TEST(guest_quota)
{
    struct store_quota q = STORE_QUOTA_DEFAULT;
    q.watches_per_conn = 1;
    store_guests_free(g);
    store_free(s);
    s = store_new(&q);
    g = store_guests_new(s, &fk.pb, logfp);
    c0 = store_conn_new(s, 0);
    introduce(5, 7);
    guest_req(&page5, XS_WATCH, 1, "a", "t", NULL);
    guest_req(&page5, XS_WATCH, 2, "b", "t", NULL);
    guest_kick(5, 7);
    guest_expect(&page5, XS_WATCH, 1, "OK");
    guest_expect_event(&page5, "a", "t");
    guest_expect(&page5, XS_ERROR, 2, "E2BIG");
}
END_TEST

int main(void)
{
    Suite *su = suite_create("store_guest");
    TCase *t = tcase_create("all");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, introduce_maps_and_binds);
    tcase_add_test(t, introduce_failures);
    tcase_add_test(t, requests_on_the_ring);
    tcase_add_test(t, watch_fires_to_guest);
    tcase_add_test(t, hostile_ring);
    tcase_add_test(t, hostile_flood);
    tcase_add_test(t, fuzz_page);
    tcase_add_test(t, release_and_death);
    tcase_add_test(t, guest_quota);
    suite_add_tcase(su, t);
    return run_check_suite(su);
}
