/* SPDX-License-Identifier: MIT */
/*
 * store.c - the store's protocol core: xenstore's requests on a tree of
 *           nodes, with permissions, watches, transactions and quotas.
 * Owns:    the node tree, each connection's watches, transactions, input
 *          framing and output queue, the table of introduced domains.
 * Touches: nothing but memory (malloc); no I/O (see store.h).
 * Trusts:  nothing in a request: every length, string and number is
 *          checked here; a bad one gets an XS_ERROR reply, and only a
 *          frame that cannot be delimited closes the connection.
 * ABI:     abi/xen/io/xs_wire.h; toolstack/store/README.md.
 *
 * The reference for every behaviour is cxenstored (Xen 4.17,
 * tools/xenstore/xenstored_*.c); where we differ, the comment says so.
 *
 * Nodes. A node has a name (one path component), a value (bytes, no
 * terminator), a perms list and children in creation order. perms[0] is
 * the owner's domid and the access every other domain gets unless a later
 * entry names it; the owner and dom0 have all access (xenstored's rules).
 * A node created by a write or mkdir inherits its parent's perms, except
 * that a node an unprivileged domain creates is owned by that domain.
 *
 * Transactions. The simplest correct scheme: a transaction works on its
 * own copy of the whole tree, taken at XS_TRANSACTION_START together with
 * the store's generation (a counter bumped by every committed change).
 * XS_TRANSACTION_END "T" installs the copy if the generation is unchanged
 * and answers EAGAIN otherwise, so transactions are serialisable. It is
 * more conservative than cxenstored's per-node generations: any commit in
 * between, even to unrelated nodes, makes it fail; clients retry on
 * EAGAIN, as xenstore clients must anyway.
 *
 * Watches. A change to path P fires every watch on P or on an ancestor of
 * P, with P as the event's path; removing P also fires the watches below
 * P, each with its own path (cxenstored's fire_watches). An event goes
 * only to a connection that may read the node. A new watch fires once at
 * once, with its own path (xenstored's initial event). In a transaction
 * the events wait for its commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/xs_wire.h>

#include "store.h"

#define PERM_NONE  0u
#define PERM_READ  1u
#define PERM_WRITE 2u
#define PERM_BOTH  (PERM_READ | PERM_WRITE)

#define DOMID_FIRST_RESERVED 0x7ff0u    /* xen.h: DOMID_FIRST_RESERVED */
#define HDR_LEN sizeof(struct xsd_sockmsg)

struct perm {
    uint32_t id;
    unsigned mask;
};

struct node {
    char *name;
    unsigned char *value;
    size_t vlen;
    struct perm *perms;
    unsigned nperms;
    struct node *parent, *child, *next;
};

/* A change waiting to fire watches: the path, whether it was a removal,
 * and the node's perms (who may see the event). */
struct change {
    struct change *next;
    bool rm;
    struct perm *perms;
    unsigned nperms;
    char path[];
};

struct tx {
    struct tx *next;
    uint32_t id;
    uint64_t gen;
    struct node *root;
    struct change *changes, **changes_tail;
};

struct watch {
    struct watch *next;
    char *path;     /* absolute, or a special "@..." name */
    char *token;
    bool relative;  /* registered relative: events are relative too */
};

struct msg {
    struct msg *next;
    size_t len, off;
    unsigned char data[];
};

struct store_conn {
    struct store *s;
    struct store_conn *next;
    uint32_t domid;
    bool released;
    struct watch *watches;
    unsigned nwatches;
    struct tx *txs;
    unsigned ntxs;
    struct msg *out, **out_tail;
    size_t queued;      /* bytes in out, not yet consumed */
    size_t in_len;
    unsigned char in[HDR_LEN + XENSTORE_PAYLOAD_MAX];
};

struct domain {
    struct domain *next;
    uint32_t domid;
    uint64_t mfn;
    uint32_t port;
    bool shutdown;  /* @releaseDomain fired for its shutdown already */
};

struct store {
    struct node *root;
    uint64_t gen;
    uint32_t next_txid;
    struct store_quota quota;
    struct store_conn *conns;
    struct domain *domains;
    struct store_domain_hooks hooks;
    void *hooks_arg;
};

/* ---- nodes ---------------------------------------------------------- */

static struct node *node_new(const char *name, size_t nlen,
                             const struct perm *perms, unsigned nperms)
{
    struct node *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    n->name = malloc(nlen + 1);
    n->perms = malloc(nperms * sizeof(*perms));
    if (!n->name || !n->perms) {
        free(n->name);
        free(n->perms);
        free(n);
        return NULL;
    }
    memcpy(n->name, name, nlen);
    n->name[nlen] = '\0';
    memcpy(n->perms, perms, nperms * sizeof(*perms));
    n->nperms = nperms;
    return n;
}

static void node_free(struct node *n)
{
    while (n) {
        struct node *next = n->next;
        node_free(n->child);
        free(n->name);
        free(n->value);
        free(n->perms);
        free(n);
        n = next;
    }
}

/* A deep copy of n and its children (not its siblings). */
static struct node *node_copy(const struct node *n, struct node *parent)
{
    struct node *c = node_new(n->name, strlen(n->name), n->perms, n->nperms);
    if (!c)
        return NULL;
    c->parent = parent;
    if (n->vlen) {
        c->value = malloc(n->vlen);
        if (!c->value)
            goto fail;
        memcpy(c->value, n->value, n->vlen);
        c->vlen = n->vlen;
    }
    struct node **tail = &c->child;
    for (const struct node *k = n->child; k; k = k->next) {
        *tail = node_copy(k, c);
        if (!*tail)
            goto fail;
        tail = &(*tail)->next;
    }
    return c;
fail:
    node_free(c);
    return NULL;
}

static struct node *child_find(const struct node *n, const char *name,
                               size_t len)
{
    for (struct node *k = n->child; k; k = k->next)
        if (strlen(k->name) == len && !memcmp(k->name, name, len))
            return k;
    return NULL;
}

/* Walks an absolute, valid path. Returns the node, or NULL with *near
 * (if given) set to the deepest existing ancestor. */
static struct node *node_lookup(struct node *root, const char *path,
                                struct node **near)
{
    struct node *n = root;
    const char *p = path + 1;
    while (*p) {
        size_t len = strcspn(p, "/");
        struct node *k = child_find(n, p, len);
        if (!k) {
            if (near)
                *near = n;
            return NULL;
        }
        n = k;
        p += len;
        if (*p == '/')
            p++;
    }
    return n;
}

static unsigned node_count(const struct node *n, bool any, uint32_t owner)
{
    unsigned count = 0;
    for (; n; n = n->next)
        count += (any || n->perms[0].id == owner) +
                 node_count(n->child, any, owner);
    return count;
}

/* ---- output --------------------------------------------------------- */

static void queue_msg(struct store_conn *c, uint32_t type, uint32_t req_id,
                      uint32_t tx_id, const void *a, size_t alen,
                      const void *b, size_t blen)
{
    struct msg *m = malloc(sizeof(*m) + HDR_LEN + alen + blen);
    if (!m)
        return;     /* out of memory: the client times out, the store lives */
    struct xsd_sockmsg hdr = { type, req_id, tx_id, (uint32_t)(alen + blen) };
    memcpy(m->data, &hdr, HDR_LEN);
    if (alen)
        memcpy(m->data + HDR_LEN, a, alen);
    if (blen)
        memcpy(m->data + HDR_LEN + alen, b, blen);
    m->len = HDR_LEN + alen + blen;
    m->off = 0;
    m->next = NULL;
    *c->out_tail = m;
    c->out_tail = &m->next;
    c->queued += m->len;
}

static void reply(struct store_conn *c, const struct xsd_sockmsg *req,
                  const void *data, size_t len)
{
    queue_msg(c, req->type, req->req_id, req->tx_id, data, len, NULL, 0);
}

static void reply_ok(struct store_conn *c, const struct xsd_sockmsg *req)
{
    reply(c, req, "OK", 3);
}

/* XS_ERROR carrying the errno's name from xs_wire.h's table, NUL included
 * ("ENOENT\0"), as cxenstored's send_error(). */
static void reply_error(struct store_conn *c, const struct xsd_sockmsg *req,
                        int err)
{
    const char *name = "EINVAL";
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (xsd_errors[i].errnum == err)
            name = xsd_errors[i].errstring;
    queue_msg(c, XS_ERROR, req->req_id, req->tx_id, name, strlen(name) + 1,
              NULL, 0);
}

const void *store_conn_output(struct store_conn *c, size_t *len)
{
    if (!c->out) {
        *len = 0;
        return NULL;
    }
    *len = c->out->len - c->out->off;
    return c->out->data + c->out->off;
}

void store_conn_consume(struct store_conn *c, size_t n)
{
    while (n && c->out) {
        struct msg *m = c->out;
        size_t step = m->len - m->off < n ? m->len - m->off : n;
        m->off += step;
        n -= step;
        c->queued -= step;
        if (m->off == m->len) {
            c->out = m->next;
            if (!c->out)
                c->out_tail = &c->out;
            free(m);
        }
    }
}

/* ---- permissions and paths ------------------------------------------ */

static unsigned perm_of(const struct store_conn *c, const struct perm *p,
                        unsigned np)
{
    if (c->domid == 0 || p[0].id == c->domid)
        return PERM_BOTH;
    for (unsigned i = 1; i < np; i++)
        if (p[i].id == c->domid)
            return p[i].mask;
    return p[0].mask;
}

static bool may(const struct store_conn *c, const struct node *n,
                unsigned want)
{
    return (perm_of(c, n->perms, n->nperms) & want) == want;
}

/* cxenstored's is_valid_nodename(): absolute, [A-Za-z0-9-/_@] only, no
 * empty component, no trailing '/' except the root. */
static bool path_is_valid(const char *p)
{
    if (p[0] != '/' || strlen(p) > XENSTORE_ABS_PATH_MAX)
        return false;
    if (p[1] == '\0')
        return true;
    for (const char *q = p; *q; q++) {
        char ch = *q;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '/' ||
                  ch == '_' || ch == '@';
        if (!ok || (ch == '/' && (q[1] == '/' || q[1] == '\0')))
            return false;
    }
    return true;
}

/* Resolves `in` for connection c into buf: a relative path is below
 * /local/domain/<domid>/ (xenstored's canonicalize()). Returns 0 or
 * EINVAL. */
static int path_resolve(const struct store_conn *c, const char *in,
                        char *buf, size_t cap)
{
    int len;
    if (in[0] == '/') {
        len = snprintf(buf, cap, "%s", in);
    } else {
        if (strlen(in) > XENSTORE_REL_PATH_MAX)
            return EINVAL;
        len = snprintf(buf, cap, "/local/domain/%u/%s", c->domid, in);
    }
    if (len < 0 || (size_t)len >= cap || !path_is_valid(buf))
        return EINVAL;
    return 0;
}

#define PATH_BUF (XENSTORE_ABS_PATH_MAX + 64)

/* ---- request parsing ------------------------------------------------ */

/* Splits a payload into NUL-terminated strings. Returns their count, or
 * -1 if the payload does not end with a NUL. */
static int split(const char *p, size_t len, const char **v, int max)
{
    int n = 0;
    if (len == 0 || p[len - 1] != '\0')
        return -1;
    for (size_t off = 0; off < len; off += strlen(p + off) + 1) {
        if (n == max)
            return max + 1;
        v[n++] = p + off;
    }
    return n;
}

static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* ---- transactions --------------------------------------------------- */

static struct tx *tx_find(struct store_conn *c, uint32_t id)
{
    for (struct tx *t = c->txs; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static void changes_free(struct change *ch)
{
    while (ch) {
        struct change *next = ch->next;
        free(ch->perms);
        free(ch);
        ch = next;
    }
}

static void tx_free(struct tx *t)
{
    node_free(t->root);
    changes_free(t->changes);
    free(t);
}

/* ---- watches -------------------------------------------------------- */

static void watch_event(struct store_conn *c, const struct watch *w,
                        const char *path)
{
    if (w->relative) {
        char home[40];
        int hl = snprintf(home, sizeof(home), "/local/domain/%u/", c->domid);
        if (!strncmp(path, home, (size_t)hl))
            path += hl;
    }
    queue_msg(c, XS_WATCH_EVENT, 0, 0, path, strlen(path) + 1,
              w->token, strlen(w->token) + 1);
}

/* Is `child` equal to or below `parent`? */
static bool is_below(const char *child, const char *parent)
{
    size_t pl = strlen(parent);
    if (!strcmp(parent, "/"))
        return child[0] == '/';
    return !strncmp(child, parent, pl) &&
           (child[pl] == '\0' || child[pl] == '/');
}

static void fire(struct store *s, const struct change *ch)
{
    for (struct store_conn *c = s->conns; c; c = c->next) {
        if (!(perm_of(c, ch->perms, ch->nperms) & PERM_READ))
            continue;
        for (struct watch *w = c->watches; w; w = w->next) {
            if (w->path[0] == '@')
                continue;
            if (is_below(ch->path, w->path))
                watch_event(c, w, ch->path);
            else if (ch->rm && is_below(w->path, ch->path))
                watch_event(c, w, w->path);
        }
    }
}

/* Only privileged watchers get the special events: cxenstored (since
 * XSA-115) gives @introduceDomain/@releaseDomain perms of their own, "n0"
 * unless the toolstack grants more, and here nobody can grant them. */
static void fire_special(struct store *s, const char *name)
{
    for (struct store_conn *c = s->conns; c; c = c->next)
        for (struct watch *w = c->watches; w; w = w->next)
            if (c->domid == 0 && !strcmp(w->path, name))
                watch_event(c, w, name);
}

/* Records a change: fired now outside a transaction, at commit inside. */
static void note_change(struct store *s, struct tx *t, const char *path,
                        bool rm, const struct node *n)
{
    size_t len = strlen(path) + 1;
    struct change *ch = malloc(sizeof(*ch) + len);
    if (!ch)
        return;
    ch->perms = malloc(n->nperms * sizeof(struct perm));
    if (!ch->perms) {
        free(ch);
        return;
    }
    memcpy(ch->perms, n->perms, n->nperms * sizeof(struct perm));
    ch->nperms = n->nperms;
    ch->rm = rm;
    ch->next = NULL;
    memcpy(ch->path, path, len);
    if (t) {
        *t->changes_tail = ch;
        t->changes_tail = &ch->next;
        return;
    }
    s->gen++;
    fire(s, ch);
    changes_free(ch);
}

/* ---- requests ------------------------------------------------------- */

/* One request being handled: its header and payload, and the tree it
 * works on (the store's, or its transaction's copy). */
struct req {
    struct store_conn *c;
    const struct xsd_sockmsg *hdr;
    const char *data;
    size_t len;
    struct tx *t;
    struct node **root;
};

/* The request's single string argument, resolved. cxenstored's onearg():
 * exactly one NUL-terminated string. */
static int one_path(const struct req *r, char *buf)
{
    const char *v[1];
    if (split(r->data, r->len, v, 1) != 1)
        return EINVAL;
    return path_resolve(r->c, v[0], buf, PATH_BUF);
}

/* The node at `path` if c may access it with `want`: ENOENT if it does not
 * exist, EACCES if forbidden. A missing node is EACCES too unless c has
 * `want` on its deepest existing ancestor, so that its absence does not
 * leak (cxenstored's errno_from_parents()). */
static int get_node(const struct req *r, const char *path, unsigned want,
                    struct node **out)
{
    struct node *near = NULL;
    struct node *n = node_lookup(*r->root, path, &near);
    if (!n)
        return may(r->c, near, want) ? ENOENT : EACCES;
    if (!may(r->c, n, want))
        return EACCES;
    *out = n;
    return 0;
}

static int do_read(struct req *r)
{
    char path[PATH_BUF];
    struct node *n;
    int err = one_path(r, path);
    if (!err)
        err = get_node(r, path, PERM_READ, &n);
    if (!err)
        reply(r->c, r->hdr, n->value, n->vlen);
    return err;
}

/* Children names, each with its NUL. E2BIG past a payload. */
static int do_directory(struct req *r)
{
    char path[PATH_BUF], buf[XENSTORE_PAYLOAD_MAX];
    struct node *n;
    size_t len = 0;
    int err = one_path(r, path);
    if (!err)
        err = get_node(r, path, PERM_READ, &n);
    if (err)
        return err;
    for (struct node *k = n->child; k; k = k->next) {
        size_t kl = strlen(k->name) + 1;
        if (len + kl > sizeof(buf))
            return E2BIG;
        memcpy(buf + len, k->name, kl);
        len += kl;
    }
    reply(r->c, r->hdr, buf, len);
    return 0;
}

/* "path\0offset\0" -> "<generation>\0" then the children from byte
 * `offset` of the full list, as many as fit, and an empty string when the
 * list ends (cxenstored's send_directory_part). Our generation is the
 * store's. */
static int do_directory_part(struct req *r)
{
    const char *v[2];
    char path[PATH_BUF], buf[XENSTORE_PAYLOAD_MAX];
    uint64_t off;
    struct node *n;
    if (split(r->data, r->len, v, 2) != 2 ||
        !parse_uint(v[1], UINT32_MAX, &off))
        return EINVAL;
    int err = path_resolve(r->c, v[0], path, sizeof(path));
    if (!err)
        err = get_node(r, path, PERM_READ, &n);
    if (err)
        return err;
    size_t len = (size_t)snprintf(buf, sizeof(buf), "%llu",
                                  (unsigned long long)r->c->s->gen) + 1;
    size_t pos = 0;
    struct node *k = n->child;
    for (; k && pos < off; k = k->next)
        pos += strlen(k->name) + 1;
    if (pos != off && off != 0)
        return EINVAL;  /* not the start of a name */
    for (; k; k = k->next) {
        size_t kl = strlen(k->name) + 1;
        if (len + kl + 1 > sizeof(buf))
            break;
        memcpy(buf + len, k->name, kl);
        len += kl;
    }
    if (!k)
        buf[len++] = '\0';
    reply(r->c, r->hdr, buf, len);
    return 0;
}

static int entries_check(const struct req *r, unsigned adding)
{
    const struct store_conn *c = r->c;
    if (c->domid == 0 || !adding)
        return 0;
    unsigned have = node_count(*r->root, false, c->domid);
    return have + adding > c->s->quota.entries_per_domain ? ENOSPC : 0;
}

/* Creates `path` and any missing parents (xenstored's create_node): each
 * inherits its parent's perms, owned by c if c is unprivileged. Needs
 * write access to the deepest existing ancestor. */
static int create_path(struct req *r, const char *path, struct node **out)
{
    struct node *near = NULL;
    struct node *n = node_lookup(*r->root, path, &near);
    if (n) {
        *out = n;
        return 0;
    }
    if (!may(r->c, near, PERM_WRITE))
        return EACCES;
    /* Count the components to create, for the quota. */
    size_t depth = 0;
    for (struct node *a = near; a->parent; a = a->parent)
        depth++;
    const char *p = path + 1;
    unsigned comps = 0, adding;
    for (; *p; comps++) {
        p += strcspn(p, "/");
        if (*p == '/')
            p++;
    }
    adding = comps - (unsigned)depth;
    int err = entries_check(r, adding);
    if (err)
        return err;
    p = path + 1;
    for (size_t i = 0; i < depth; i++) {
        p += strcspn(p, "/");
        p++;
    }
    struct node *parent = near;
    while (*p) {
        size_t len = strcspn(p, "/");
        struct node *k = node_new(p, len, parent->perms, parent->nperms);
        if (!k)
            return ENOMEM;
        if (r->c->domid != 0)
            k->perms[0].id = r->c->domid;
        k->parent = parent;
        struct node **tail = &parent->child;
        while (*tail)
            tail = &(*tail)->next;
        *tail = k;
        parent = k;
        p += len;
        if (*p == '/')
            p++;
    }
    *out = parent;
    return 0;
}

/* "path\0value": the value is the rest of the payload, no NUL. */
static int do_write(struct req *r)
{
    size_t plen = strnlen(r->data, r->len);
    char path[PATH_BUF];
    if (plen == r->len)
        return EINVAL;
    const unsigned char *val = (const unsigned char *)r->data + plen + 1;
    size_t vlen = r->len - plen - 1;
    int err = path_resolve(r->c, r->data, path, sizeof(path));
    if (err)
        return err;
    if (r->c->domid != 0 && vlen > r->c->s->quota.entry_size)
        return ENOSPC;
    struct node *n = node_lookup(*r->root, path, NULL);
    if (n && !may(r->c, n, PERM_WRITE))
        return EACCES;
    unsigned char *copy = malloc(vlen ? vlen : 1);
    if (!copy)
        return ENOMEM;
    memcpy(copy, val, vlen);
    err = create_path(r, path, &n);
    if (err) {
        free(copy);
        return err;
    }
    free(n->value);
    n->value = copy;
    n->vlen = vlen;
    note_change(r->c->s, r->t, path, false, n);
    reply_ok(r->c, r->hdr);
    return 0;
}

/* An existing node is fine (cxenstored answers OK and fires nothing). */
static int do_mkdir(struct req *r)
{
    char path[PATH_BUF];
    struct node *n;
    int err = one_path(r, path);
    if (err)
        return err;
    n = node_lookup(*r->root, path, NULL);
    if (!n) {
        err = create_path(r, path, &n);
        if (err)
            return err;
        note_change(r->c->s, r->t, path, false, n);
    }
    reply_ok(r->c, r->hdr);
    return 0;
}

/* Recursive. A missing node whose parent exists is OK (cxenstored's
 * do_rm); "/" cannot go (EINVAL). */
static int do_rm(struct req *r)
{
    char path[PATH_BUF];
    struct node *n;
    int err = one_path(r, path);
    if (err)
        return err;
    if (!strcmp(path, "/"))
        return EINVAL;
    err = get_node(r, path, PERM_WRITE, &n);
    if (err == ENOENT) {
        char *slash = strrchr(path, '/');
        *slash = '\0';
        if (node_lookup(*r->root, slash == path ? "/" : path, NULL)) {
            reply_ok(r->c, r->hdr);
            return 0;
        }
    }
    if (err)
        return err;
    note_change(r->c->s, r->t, path, true, n);
    struct node **link = &n->parent->child;
    while (*link != n)
        link = &(*link)->next;
    *link = n->next;
    n->next = NULL;
    node_free(n);
    reply_ok(r->c, r->hdr);
    return 0;
}

static const char perm_chars[] = "nrwb";   /* indexed by PERM_* mask */

static int do_get_perms(struct req *r)
{
    char path[PATH_BUF], buf[XENSTORE_PAYLOAD_MAX];
    struct node *n;
    size_t len = 0;
    int err = one_path(r, path);
    if (!err)
        err = get_node(r, path, PERM_READ, &n);
    if (err)
        return err;
    for (unsigned i = 0; i < n->nperms; i++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%c%u",
                                perm_chars[n->perms[i].mask],
                                n->perms[i].id) + 1;
    reply(r->c, r->hdr, buf, len);
    return 0;
}

/* "path\0perm\0perm...\0", perms as "<n|r|w|b><domid>". An unprivileged
 * domain may not give the node away (EPERM, as cxenstored 4.17). */
static int do_set_perms(struct req *r)
{
    const char *v[XENSTORE_PAYLOAD_MAX / 2];
    char path[PATH_BUF];
    struct node *n;
    int argc = split(r->data, r->len, v, (int)(sizeof(v) / sizeof(v[0])));
    if (argc < 2)
        return EINVAL;
    unsigned np = (unsigned)argc - 1;
    if (r->c->domid != 0 && np > r->c->s->quota.perms_per_node)
        return ENOSPC;
    int err = path_resolve(r->c, v[0], path, sizeof(path));
    if (!err)
        err = get_node(r, path, PERM_WRITE, &n);
    if (err)
        return err;
    struct perm *p = calloc(np, sizeof(*p));
    if (!p)
        return ENOMEM;
    for (unsigned i = 0; i < np; i++) {
        const char *s = v[i + 1];
        const char *m = *s ? strchr(perm_chars, *s) : NULL;
        uint64_t id;
        if (!m || !parse_uint(s + 1, DOMID_FIRST_RESERVED - 1, &id)) {
            free(p);
            return EINVAL;
        }
        p[i].mask = (unsigned)(m - perm_chars);
        p[i].id = (uint32_t)id;
    }
    if (r->c->domid != 0 && p[0].id != n->perms[0].id) {
        free(p);
        return EPERM;
    }
    free(n->perms);
    n->perms = p;
    n->nperms = np;
    note_change(r->c->s, r->t, path, false, n);
    reply_ok(r->c, r->hdr);
    return 0;
}

/* "path\0token\0". A path starting with '@' is a special event name
 * (@introduceDomain, @releaseDomain), taken as it is. */
static int watch_args(struct req *r, char *path, const char **token,
                      bool *relative)
{
    const char *v[2];
    if (split(r->data, r->len, v, 2) != 2)
        return EINVAL;
    *token = v[1];
    *relative = v[0][0] != '/' && v[0][0] != '@';
    if (v[0][0] == '@') {
        if (strlen(v[0]) > XENSTORE_REL_PATH_MAX)
            return EINVAL;
        strcpy(path, v[0]);
        return 0;
    }
    return path_resolve(r->c, v[0], path, PATH_BUF);
}

static int do_watch(struct req *r)
{
    struct store_conn *c = r->c;
    char path[PATH_BUF];
    const char *token;
    bool relative;
    int err = watch_args(r, path, &token, &relative);
    if (err)
        return err;
    for (struct watch *w = c->watches; w; w = w->next)
        if (!strcmp(w->path, path) && !strcmp(w->token, token))
            return EEXIST;
    if (c->domid != 0 && c->nwatches >= c->s->quota.watches_per_conn)
        return E2BIG;
    struct watch *w = calloc(1, sizeof(*w));
    if (!w || !(w->path = strdup(path)) || !(w->token = strdup(token))) {
        if (w)
            free(w->path);
        free(w);
        return ENOMEM;
    }
    w->relative = relative;
    struct watch **tail = &c->watches;     /* registration order */
    while (*tail)
        tail = &(*tail)->next;
    *tail = w;
    c->nwatches++;
    reply_ok(c, r->hdr);
    /* xenstored fires every new watch once, after its reply. */
    watch_event(c, w, path);
    return 0;
}

static int do_unwatch(struct req *r)
{
    struct store_conn *c = r->c;
    char path[PATH_BUF];
    const char *token;
    bool relative;
    int err = watch_args(r, path, &token, &relative);
    if (err)
        return err;
    for (struct watch **link = &c->watches; *link; link = &(*link)->next) {
        struct watch *w = *link;
        if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
            *link = w->next;
            free(w->path);
            free(w->token);
            free(w);
            c->nwatches--;
            reply_ok(c, r->hdr);
            return 0;
        }
    }
    return ENOENT;
}

static void watches_free(struct store_conn *c)
{
    while (c->watches) {
        struct watch *w = c->watches;
        c->watches = w->next;
        free(w->path);
        free(w->token);
        free(w);
    }
    c->nwatches = 0;
}

/* Forgets the connection's watches and transactions (xenstored's
 * XS_RESET_WATCHES drops both). */
static int do_reset_watches(struct req *r)
{
    struct store_conn *c = r->c;
    watches_free(c);
    while (c->txs) {
        struct tx *t = c->txs;
        c->txs = t->next;
        tx_free(t);
    }
    c->ntxs = 0;
    reply_ok(c, r->hdr);
    return 0;
}

/* Payload "\0" (cxenstored ignores it); the reply is the id in decimal.
 * Inside a transaction: EBUSY. */
static int do_transaction_start(struct req *r)
{
    struct store_conn *c = r->c;
    struct store *s = c->s;
    char buf[16];
    if (r->hdr->tx_id)
        return EBUSY;
    if (c->domid != 0 && c->ntxs >= s->quota.transactions_per_conn)
        return ENOSPC;
    struct tx *t = calloc(1, sizeof(*t));
    if (!t)
        return ENOMEM;
    t->root = node_copy(s->root, NULL);
    if (!t->root) {
        free(t);
        return ENOMEM;
    }
    do {
        t->id = s->next_txid++;
    } while (t->id == 0);
    t->gen = s->gen;
    t->changes_tail = &t->changes;
    t->next = c->txs;
    c->txs = t;
    c->ntxs++;
    reply(c, r->hdr, buf, (size_t)snprintf(buf, sizeof(buf), "%u", t->id) + 1);
    return 0;
}

/* "T\0" commits, "F\0" aborts; either way the transaction ends. */
static int do_transaction_end(struct req *r)
{
    struct store_conn *c = r->c;
    struct store *s = c->s;
    const char *v[1];
    if (split(r->data, r->len, v, 1) != 1 ||
        (strcmp(v[0], "T") && strcmp(v[0], "F")))
        return EINVAL;
    struct tx *t = r->t;
    struct tx **link = &c->txs;
    while (*link != t)
        link = &(*link)->next;
    *link = t->next;
    c->ntxs--;
    int err = 0;
    if (v[0][0] == 'T' && t->changes) {
        if (t->gen != s->gen) {
            err = EAGAIN;
        } else {
            node_free(s->root);
            s->root = t->root;
            t->root = NULL;
            s->gen++;
            for (struct change *ch = t->changes; ch; ch = ch->next)
                fire(s, ch);
        }
    }
    tx_free(t);
    if (!err) {
        /* The reply leaves the transaction: tx_id stays the request's, as
         * cxenstored echoes the header. */
        reply_ok(c, r->hdr);
    }
    return err;
}

static struct domain *domain_find(struct store *s, uint32_t domid)
{
    for (struct domain *d = s->domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

static int domid_arg(const char *s, uint32_t *out)
{
    uint64_t v;
    if (!parse_uint(s, DOMID_FIRST_RESERVED - 1, &v))
        return EINVAL;
    *out = (uint32_t)v;
    return 0;
}

/* "domid\0mfn\0port\0", dom0 only. The transport's introduce hook maps
 * the domain's ring and binds its port; a failure there is the reply's
 * error and records nothing. Port 0 is EINVAL (cxenstored 4.17's "port
 * <= 0" check). Introducing a known domain again answers OK and fires
 * nothing (cxenstored re-uses the connection). */
static int do_introduce(struct req *r)
{
    const char *v[3];
    uint32_t domid;
    uint64_t mfn, port;
    if (split(r->data, r->len, v, 3) != 3 || domid_arg(v[0], &domid) ||
        !parse_uint(v[1], UINT64_MAX / 10, &mfn) ||
        !parse_uint(v[2], UINT32_MAX, &port) || domid == 0 || port == 0)
        return EINVAL;
    struct store *s = r->c->s;
    if (!domain_find(s, domid)) {
        struct domain *d = calloc(1, sizeof(*d));
        if (!d)
            return ENOMEM;
        int err = s->hooks.introduce ?
            s->hooks.introduce(s->hooks_arg, domid, mfn, (uint32_t)port) : 0;
        if (err) {
            free(d);
            return err;
        }
        d->domid = domid;
        d->mfn = mfn;
        d->port = (uint32_t)port;
        d->next = s->domains;
        s->domains = d;
        reply_ok(r->c, r->hdr);
        fire_special(s, "@introduceDomain");
        return 0;
    }
    reply_ok(r->c, r->hdr);
    return 0;
}

/* Forgets the domain and flags its connections to close. */
static int domain_forget(struct store *s, uint32_t domid)
{
    struct domain **link = &s->domains;
    while (*link && (*link)->domid != domid)
        link = &(*link)->next;
    if (!*link)
        return ENOENT;
    struct domain *d = *link;
    *link = d->next;
    free(d);
    for (struct store_conn *c = s->conns; c; c = c->next)
        if (c->domid == domid)
            c->released = true;
    return 0;
}

/* "domid\0", dom0 only: the domain's connections are to close, and
 * @releaseDomain fires. Its nodes stay (the toolstack removes them). */
static int do_release(struct req *r)
{
    const char *v[1];
    uint32_t domid;
    struct store *s = r->c->s;
    if (split(r->data, r->len, v, 1) != 1 || domid_arg(v[0], &domid) ||
        domid == 0)
        return EINVAL;
    int err = domain_forget(s, domid);
    if (err)
        return err;
    reply_ok(r->c, r->hdr);
    fire_special(s, "@releaseDomain");
    return 0;
}

int store_domain_release(struct store *s, uint32_t domid)
{
    int err = domain_forget(s, domid);
    if (!err)
        fire_special(s, "@releaseDomain");
    return err;
}

void store_domain_shutdown(struct store *s, uint32_t domid)
{
    struct domain *d = domain_find(s, domid);
    if (d && !d->shutdown) {
        d->shutdown = true;
        fire_special(s, "@releaseDomain");
    }
}

bool store_domain_is_introduced(const struct store *s, uint32_t domid)
{
    return domain_find((struct store *)s, domid) != NULL;
}

void store_set_domain_hooks(struct store *s,
                            const struct store_domain_hooks *hooks,
                            void *arg)
{
    s->hooks = hooks ? *hooks : (struct store_domain_hooks){ 0 };
    s->hooks_arg = arg;
}

/* "domid\0" -> "T\0" or "F\0"; dom0 counts as introduced. */
static int do_is_domain_introduced(struct req *r)
{
    const char *v[1];
    uint32_t domid;
    if (split(r->data, r->len, v, 1) != 1 || domid_arg(v[0], &domid))
        return EINVAL;
    bool yes = domid == 0 || domain_find(r->c->s, domid);
    reply(r->c, r->hdr, yes ? "T" : "F", 2);
    return 0;
}

static int do_get_domain_path(struct req *r)
{
    const char *v[1];
    uint32_t domid;
    char buf[40];
    if (split(r->data, r->len, v, 1) != 1 || domid_arg(v[0], &domid))
        return EINVAL;
    reply(r->c, r->hdr, buf,
          (size_t)snprintf(buf, sizeof(buf), "/local/domain/%u", domid) + 1);
    return 0;
}

/* XS_CONTROL, dom0 only: "check" (cxenstored checks its database; ours
 * cannot be inconsistent, so OK); any other command EINVAL, as cxenstored
 * answers an unknown one. */
static int do_control(struct req *r)
{
    const char *v[8];
    int n = split(r->data, r->len, v, 8);
    if (n < 1 || n > 8 || strcmp(v[0], "check"))
        return EINVAL;
    reply_ok(r->c, r->hdr);
    return 0;
}

typedef int (*handler_fn)(struct req *r);

#define F_NOTID 1u  /* ignores tx_id (cxenstored's XS_FLAG_NOTID) */
#define F_PRIV  2u  /* dom0 only, EACCES first (XS_FLAG_PRIV) */

/* The request types and their handlers, as cxenstored's wire_funcs[] with
 * its flags. An empty slot (the replies XS_WATCH_EVENT and XS_ERROR, and
 * XS_RESUME and XS_SET_TARGET, which cxenstored has and we do not yet) is
 * ENOSYS, as cxenstored answers a type it has no function for. */
static const struct {
    handler_fn fn;
    unsigned flags;
} handlers[XS_TYPE_COUNT] = {
    [XS_CONTROL]              = { do_control, F_PRIV },
    [XS_DIRECTORY]            = { do_directory, 0 },
    [XS_READ]                 = { do_read, 0 },
    [XS_GET_PERMS]            = { do_get_perms, 0 },
    [XS_WATCH]                = { do_watch, F_NOTID },
    [XS_UNWATCH]              = { do_unwatch, F_NOTID },
    [XS_TRANSACTION_START]    = { do_transaction_start, 0 },
    [XS_TRANSACTION_END]      = { do_transaction_end, 0 },
    [XS_INTRODUCE]            = { do_introduce, F_PRIV },
    [XS_RELEASE]              = { do_release, F_PRIV },
    [XS_GET_DOMAIN_PATH]      = { do_get_domain_path, 0 },
    [XS_WRITE]                = { do_write, 0 },
    [XS_MKDIR]                = { do_mkdir, 0 },
    [XS_RM]                   = { do_rm, 0 },
    [XS_SET_PERMS]            = { do_set_perms, 0 },
    [XS_IS_DOMAIN_INTRODUCED] = { do_is_domain_introduced, F_PRIV },
    [XS_RESET_WATCHES]        = { do_reset_watches, 0 },
    [XS_DIRECTORY_PART]       = { do_directory_part, 0 },
};

/* cxenstored's process_message(): unknown type ENOSYS, then privilege
 * EACCES, then the transaction (an unknown tx_id is ENOENT for every type
 * not flagged NOTID), then the handler. */
static void handle(struct store_conn *c, const struct xsd_sockmsg *hdr,
                   const char *data)
{
    struct req r = { c, hdr, data, hdr->len, NULL, &c->s->root };
    int err;
    if (hdr->type >= XS_TYPE_COUNT || !handlers[hdr->type].fn) {
        reply_error(c, hdr, ENOSYS);
        return;
    }
    if ((handlers[hdr->type].flags & F_PRIV) && c->domid != 0) {
        reply_error(c, hdr, EACCES);
        return;
    }
    if (!(handlers[hdr->type].flags & F_NOTID) && hdr->tx_id) {
        r.t = tx_find(c, hdr->tx_id);
        if (!r.t) {
            reply_error(c, hdr, ENOENT);
            return;
        }
        r.root = &r.t->root;
    } else if (hdr->type == XS_TRANSACTION_END) {
        reply_error(c, hdr, ENOENT);
        return;
    }
    err = handlers[hdr->type].fn(&r);
    if (err)
        reply_error(c, hdr, err);
}

int store_conn_input(struct store_conn *c, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n) {
        struct xsd_sockmsg hdr;
        size_t want = HDR_LEN;
        if (c->in_len >= HDR_LEN) {
            memcpy(&hdr, c->in, HDR_LEN);
            want += hdr.len;
        }
        size_t step = want - c->in_len < n ? want - c->in_len : n;
        memcpy(c->in + c->in_len, p, step);
        c->in_len += step;
        p += step;
        n -= step;
        if (c->in_len == HDR_LEN) {
            memcpy(&hdr, c->in, HDR_LEN);
            /* cxenstored drops a client whose header lies about the
             * payload: the stream cannot be framed any more. */
            if (hdr.len > XENSTORE_PAYLOAD_MAX)
                return -1;
        }
        if (c->in_len >= HDR_LEN) {
            memcpy(&hdr, c->in, HDR_LEN);
            if (c->in_len == HDR_LEN + hdr.len) {
                c->in_len = 0;
                handle(c, &hdr, (const char *)c->in + HDR_LEN);
            }
        }
    }
    return 0;
}

/* ---- store and connections ------------------------------------------ */

struct store *store_new(const struct store_quota *quota)
{
    static const struct store_quota defaults = STORE_QUOTA_DEFAULT;
    static const struct perm root_perm = { 0, PERM_NONE };
    struct store *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->quota = quota ? *quota : defaults;
    s->next_txid = 1;
    s->root = node_new("", 0, &root_perm, 1);
    if (!s->root) {
        free(s);
        return NULL;
    }
    /* cxenstored's setup_structure(): "/" and "/tool/xenstored", all
     * "n0". */
    struct node *tool = node_new("tool", 4, &root_perm, 1);
    struct node *xsd = node_new("xenstored", 9, &root_perm, 1);
    if (!tool || !xsd) {
        node_free(tool);
        node_free(xsd);
        store_free(s);
        return NULL;
    }
    s->root->child = tool;
    tool->parent = s->root;
    tool->child = xsd;
    xsd->parent = tool;
    return s;
}

void store_free(struct store *s)
{
    if (!s)
        return;
    while (s->conns)
        store_conn_free(s->conns);
    while (s->domains) {
        struct domain *d = s->domains;
        s->domains = d->next;
        free(d);
    }
    node_free(s->root);
    free(s);
}

struct store_conn *store_conn_new(struct store *s, uint32_t domid)
{
    struct store_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->s = s;
    c->domid = domid;
    c->out_tail = &c->out;
    c->next = s->conns;
    s->conns = c;
    return c;
}

void store_conn_free(struct store_conn *c)
{
    struct store_conn **link = &c->s->conns;
    while (*link != c)
        link = &(*link)->next;
    *link = c->next;
    watches_free(c);
    while (c->txs) {
        struct tx *t = c->txs;
        c->txs = t->next;
        tx_free(t);
    }
    while (c->out) {
        struct msg *m = c->out;
        c->out = m->next;
        free(m);
    }
    free(c);
}

size_t store_conn_queued(const struct store_conn *c)
{
    return c->queued;
}

bool store_conn_is_released(const struct store_conn *c)
{
    return c->released;
}

unsigned store_node_count(const struct store *s)
{
    return node_count(s->root, true, 0);
}

uint64_t store_generation(const struct store *s)
{
    return s->gen;
}
