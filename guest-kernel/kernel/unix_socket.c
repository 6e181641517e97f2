/* SPDX-License-Identifier: MIT */
/*
 * unix_socket.c - AF_UNIX sockets: stream, datagram and seqpacket, named
 *                 in the ramfs or in the abstract namespace, with queues
 *                 of records between them.
 * Owns:    struct unix_sock and its records (struct urec: pages of data,
 *          files in flight, the sender's credentials and address), the
 *          list of bound sockets, the answers of read, write, poll, fstat
 *          and close on a socket descriptor.
 * Touches: the page allocator (record pages), the heap, wait queues and
 *          poll_wake(), proc_kill() for SIGPIPE, the ramfs (the S_IFSOCK
 *          node bind makes; connect's lookup), file_put() for descriptors
 *          in flight.  The system calls are sys_socket.c's.
 *
 * Semantics are Linux's net/unix/af_unix.c, checked by user/socktest.c
 * on Linux and on pvkernel:
 *  - A socket's receive queue holds records.  A stream write appends to
 *    the last record while its page has room (so a byte at a time does not
 *    cost a page each); a datagram or seqpacket message is one record, read
 *    whole (the rest of it dropped, MSG_TRUNC).  The queue holds at most
 *    UNIX_BUF bytes of pages: a writer waits for room (-EAGAIN with
 *    O_NONBLOCK or MSG_DONTWAIT), as Linux's writers wait for send-buffer
 *    space; a datagram larger than UNIX_BUF is -EMSGSIZE.
 *  - connect() to a listener makes the server's socket at once, connected
 *    to the client and queued on the listener until accept() takes it,
 *    so the client may write before it is accepted (as Linux's embryos).
 *    A full backlog makes connect wait (-EAGAIN when non-blocking).
 *  - Closing an end: its peer reads what is queued, then end of file (a
 *    stream) and gets -EPIPE + SIGPIPE on writes; if the closed end left
 *    bytes unread, the peer's next read (once its own queue is empty)
 *    answers -ECONNRESET first.  A datagram socket connected to a closed
 *    one gets -ECONNREFUSED on its next send, and is unconnected after.
 *  - Names: a path makes an S_IFSOCK inode (bind, mode 0777 & ~umask);
 *    the name stays when the socket closes (unlink removes it), and a
 *    connect to it then, or to any inode that is not a bound socket, is
 *    -ECONNREFUSED.  Abstract names (a leading NUL) go with the socket.
 *    Autobind (bind with only the family; connect or send with
 *    SO_PASSCRED) gives an abstract "\0XXXXX" name, five hex digits.
 *  - Descriptors in flight (SCM_RIGHTS) hold their files; a closed
 *    socket's queue is dropped at once (closing them).  Sockets whose own
 *    files ride, never received, in each other's queues (or their own)
 *    form a cycle nobody frees: Linux has a garbage collector for these,
 *    we have not.
 * The kernel runs with events masked on one vCPU, so nothing runs
 * between a test and the sleep after it; every change wakes the socket's
 * queue and the pollers (poll_wake()).
 */
#include <kernel.h>
#include <mm.h>
#include <poll.h>
#include <proc.h>
#include <signal.h>
#include <socket.h>
#include <time.h>

struct urec {
    struct urec *next;
    uint32_t len, off;          /* bytes in it, bytes already read (stream) */
    unsigned int npages;
    uint64_t pfns[UNIX_REC_PAGES];
    struct file **files;        /* SCM_RIGHTS in flight, nfiles of them */
    unsigned int nfiles;
    struct linux_ucred cred;    /* the sender's */
    uint32_t from_len;          /* the sender's address (0: unbound) */
    uint8_t from[UNIX_ADDR_MAX + 2];
};

static struct unix_sock *bound_list;
static uint64_t next_ino = 1;
static unsigned int autobind_next = 1;

/* ---- sockets and records ---- */

static struct unix_sock *sock_alloc(int type)
{
    struct unix_sock *s = kzalloc(sizeof(*s));
    struct process *p = proc_current();

    if (!s)
        return NULL;
    s->type = type;
    s->refs = 1;
    s->sndbuf = s->rcvbuf = 212992;     /* Linux's defaults (wmem/rmem_default) */
    s->cred = (struct linux_ucred){ p ? p->pid : 0, 0, 0 };
    s->ino = next_ino++;
    wait_init(&s->wq);
    return s;
}

static void rec_free(struct urec *r)
{
    unsigned int i;

    for (i = 0; i < r->npages; i++)
        mm_free_pfn(r->pfns[i]);
    for (i = 0; i < r->nfiles; i++)
        file_put(r->files[i]);
    kfree(r->files);
    kfree(r);
}

/* Drop what is queued: pages back, descriptors in flight closed. */
static void rq_purge(struct unix_sock *s)
{
    struct urec *r;

    while ((r = s->rq_head)) {
        s->rq_head = r->next;
        if (!s->rq_head)
            s->rq_tail = NULL;
        rec_free(r);                    /* may release other sockets */
    }
    s->rq_mem = s->rq_bytes = 0;
}

static void sock_put(struct unix_sock *s)
{
    if (--s->refs)
        return;
    rq_purge(s);
    kfree(s);
}

static void wake(struct unix_sock *s)
{
    wait_wake_all(&s->wq);
    poll_wake();
}

static bool connection_based(const struct unix_sock *s)
{
    return s->type != SOCK_DGRAM;
}

static struct file *file_of(struct unix_sock *s, int flags)
{
    struct file *f = kzalloc(sizeof(*f));

    if (!f)
        return NULL;
    *f = (struct file){ .kind = FILE_SOCKET, .refs = 1, .flags = O_RDWR | (flags & O_NONBLOCK),
                        .sock = s };
    return f;
}

static long check_type(int type)
{
    switch (type) {
    case SOCK_STREAM: case SOCK_DGRAM: case SOCK_SEQPACKET:
        return type;
    case SOCK_RAW:
        return SOCK_DGRAM;              /* as Linux's unix_create */
    default:
        return -ESOCKTNOSUPPORT;
    }
}

long unix_create(int type, int flags, struct file **f)
{
    long t = check_type(type);
    struct unix_sock *s;

    if (t < 0)
        return t;
    s = sock_alloc((int)t);
    if (!s)
        return -ENOMEM;
    *f = file_of(s, flags);
    if (!*f) {
        kfree(s);
        return -ENOMEM;
    }
    return 0;
}

static void link_peers(struct unix_sock *a, struct unix_sock *b)
{
    a->peer = b;
    b->refs++;
    b->peer = a;
    a->refs++;
    a->state = b->state = US_CONNECTED;
}

long unix_pair(int type, int flags, struct file **fa, struct file **fb)
{
    long rc = unix_create(type, flags, fa);

    if (rc)
        return rc;
    rc = unix_create(type, flags, fb);
    if (rc) {
        file_put(*fa);
        return rc;
    }
    link_peers((*fa)->sock, (*fb)->sock);
    (*fa)->sock->peercred = (*fb)->sock->cred;
    (*fb)->sock->peercred = (*fa)->sock->cred;
    (*fa)->sock->has_peercred = (*fb)->sock->has_peercred = true;
    return 0;
}

/* ---- names ---- */

/* The abstract names and path inodes in use. */
static struct unix_sock *bound_find(const uint8_t *addr, uint32_t len, struct inode *node)
{
    struct unix_sock *s;

    for (s = bound_list; s; s = s->bound_next) {
        if (node ? s->node == node
                 : !s->node && s->addr_len == len && !memcmp(s->addr, addr, len))
            return s;
    }
    return NULL;
}

static void bound_remove(struct unix_sock *s)
{
    struct unix_sock **l;

    for (l = &bound_list; *l; l = &(*l)->bound_next)
        if (*l == s) {
            *l = s->bound_next;
            return;
        }
}

static void bound_add(struct unix_sock *s)
{
    s->bound_next = bound_list;
    bound_list = s;
}

/* An abstract name nobody has: "\0" and five hex digits, as Linux. */
static long autobind(struct unix_sock *s)
{
    uint8_t a[UNIX_AUTOBIND_LEN];
    unsigned int tries;

    if (s->addr_len)
        return 0;
    a[0] = AF_UNIX;
    a[1] = 0;
    a[2] = 0;
    for (tries = 0; tries < 0x100000; tries++) {
        unsigned int n = autobind_next++ & 0xfffff, i;

        for (i = 0; i < 5; i++)
            a[3 + i] = "0123456789abcdef"[(n >> (16 - 4 * i)) & 0xf];
        if (!bound_find(a, sizeof(a), NULL)) {
            memcpy(s->addr, a, sizeof(a));
            s->addr_len = sizeof(a);
            bound_add(s);
            return 0;
        }
    }
    return -ENOSPC;
}

/* The path of a sockaddr_un (len checked, > 2, first byte not NUL): NUL
 * ended in the caller's buffer, which has room past len. */
static const char *addr_path(uint8_t *addr, uint32_t len)
{
    addr[len] = 0;
    return (const char *)addr + 2;
}

static long addr_check(const uint8_t *addr, uint32_t len)
{
    uint16_t family;

    if (len <= 2 || len > UNIX_ADDR_MAX)
        return -EINVAL;
    memcpy(&family, addr, 2);
    return family == AF_UNIX ? 0 : -EINVAL;
}

long unix_bind(struct process *p, struct file *f, const uint8_t *uaddr, uint32_t len)
{
    struct unix_sock *s = f->sock;
    uint8_t a[UNIX_ADDR_MAX + 2];
    uint16_t family;
    long rc;

    if (len < 2)
        return -EINVAL;
    memcpy(&family, uaddr, 2);
    if (family != AF_UNIX)
        return -EINVAL;
    if (len == 2)                       /* only the family: autobind (0 if bound) */
        return autobind(s);
    rc = addr_check(uaddr, len);
    if (rc)
        return rc;
    memcpy(a, uaddr, len);
    if (a[2] == 0) {                    /* abstract */
        if (s->addr_len)
            return -EINVAL;
        if (bound_find(a, len, NULL))
            return -EADDRINUSE;
        memcpy(s->addr, a, len);
        s->addr_len = len;
    } else {
        const char *path = addr_path(a, len), *name;
        struct inode *dir, *ino;
        size_t nlen;
        bool trail;
        int e = 0;
        struct wall_time wt;

        dir = vfs_lookup_parent(p->cwd, path, &name, &nlen, &trail, &e);
        if (!dir)
            return e;
        if (!S_ISDIR(dir->mode))
            return -ENOTDIR;
        if (nlen == 0)
            return -EADDRINUSE;         /* "/": exists */
        if (ramfs_lookup_child(dir, name, nlen))
            return -EADDRINUSE;
        if (trail)
            return -ENOENT;
        if (s->addr_len)                /* Linux looks at the name first */
            return -EINVAL;
        ino = ramfs_create(dir, name, nlen, S_IFSOCK | (0777 & ~p->umask), &e);
        if (!ino)
            return e;
        wallclock(&wt);
        ino->mtime = ino->ctime = dir->mtime = wt.sec;
        inode_get(ino);
        s->node = ino;
        s->addr_len = (uint32_t)(strlen(path) + 3);     /* with the NUL, as Linux */
        memcpy(s->addr, a, s->addr_len);
    }
    bound_add(s);
    return 0;
}

/* The bound socket an address names: 0 with *out, or -errno. */
static long lookup_peer(struct process *p, uint8_t *a, uint32_t len, int type,
                        struct unix_sock **out)
{
    struct unix_sock *t;
    long rc = addr_check(a, len);

    if (rc)
        return rc;
    if (a[2] == 0) {
        t = bound_find(a, len, NULL);
        if (!t)
            return -ECONNREFUSED;
    } else {
        int e = 0;
        struct inode *ino = vfs_lookup_at(p->cwd, addr_path(a, len), true, &e);

        if (!ino)
            return e;
        if ((ino->mode & S_IFMT) != S_IFSOCK)
            return -ECONNREFUSED;
        t = bound_find(NULL, 0, ino);
        if (!t)
            return -ECONNREFUSED;
    }
    if (t->type != type)
        return -EPROTOTYPE;
    *out = t;
    return 0;
}

/* ---- connections ---- */

long unix_listen(struct file *f, int backlog)
{
    struct unix_sock *s = f->sock;

    if (!connection_based(s))
        return -EOPNOTSUPP;
    if (!s->addr_len || s->state == US_CONNECTED)
        return -EINVAL;
    if (backlog < 0 || backlog > UNIX_BACKLOG_MAX)
        backlog = UNIX_BACKLOG_MAX;     /* as Linux: capped at somaxconn */
    s->backlog = (unsigned int)backlog;
    if (s->state != US_LISTENING) {
        struct process *p = proc_current();

        s->cred.pid = p ? p->pid : 0;   /* what connecting clients see */
        s->state = US_LISTENING;
    }
    wake(s);                            /* connects waiting for a larger backlog */
    return 0;
}

static long stream_connect(struct process *p, struct file *f, uint8_t *a, uint32_t len)
{
    struct unix_sock *s = f->sock, *l, *n;
    long rc;

    rc = addr_check(a, len);
    if (rc)
        return rc;
    if (s->passcred && !s->addr_len && (rc = autobind(s)))
        return rc;
    /* As Linux: the listener is found and checked before this socket's
     * own state (a connected socket gets -ENOENT for a missing name). */
    for (;;) {
        rc = lookup_peer(p, a, len, s->type, &l);
        if (rc)
            return rc;
        if (l->state != US_LISTENING || l->dead || (l->shutdown & RCV_SHUTDOWN))
            return -ECONNREFUSED;
        if (l->acc_len <= l->backlog)   /* Linux: full past backlog */
            break;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        l->refs++;                      /* its queue outlives a close meanwhile */
        rc = wait_sleep(&l->wq);
        sock_put(l);
        if (rc)
            return rc == -EINTR ? -ERESTARTSYS : rc;
    }
    if (s->state == US_CONNECTED)
        return -EISCONN;
    if (s->state == US_LISTENING)
        return -EINVAL;
    n = sock_alloc(s->type);
    if (!n)
        return -ENOMEM;
    n->cred = l->cred;
    memcpy(n->addr, l->addr, l->addr_len);
    n->addr_len = l->addr_len;
    n->passcred = l->passcred;
    link_peers(s, n);
    s->peercred = l->cred;
    n->peercred = (struct linux_ucred){ p->pid, 0, 0 };
    s->has_peercred = n->has_peercred = true;
    /* n's reference from its (future) file is the one sock_alloc gave;
     * the accept queue holds it until then. */
    if (l->acc_tail)
        l->acc_tail->acc_next = n;
    else
        l->acc_head = n;
    l->acc_tail = n;
    l->acc_len++;
    wake(l);
    return 0;
}

long unix_connect(struct process *p, struct file *f, const uint8_t *uaddr, uint32_t len)
{
    struct unix_sock *s = f->sock, *t;
    uint8_t a[UNIX_ADDR_MAX + 2];
    uint16_t family = 0;
    long rc;

    if (len >= 2)
        memcpy(&family, uaddr, 2);
    if (len > UNIX_ADDR_MAX)
        len = UNIX_ADDR_MAX + 1;        /* refused below */
    memcpy(a, uaddr, len);
    if (connection_based(s))
        return stream_connect(p, f, a, len);
    /* A datagram socket: a default destination (AF_UNSPEC: none). */
    if (len >= 2 && family == AF_UNSPEC) {
        if (s->peer) {
            sock_put(s->peer);
            s->peer = NULL;
            s->state = US_UNCONNECTED;
        }
        return 0;
    }
    rc = lookup_peer(p, a, len, s->type, &t);
    if (rc)
        return rc;
    if (t->peer && t->peer != s)
        return -EPERM;                  /* it only hears from its own peer */
    if (s->passcred && !s->addr_len && (rc = autobind(s)))
        return rc;
    if (s->peer)
        sock_put(s->peer);
    s->peer = t;
    t->refs++;
    s->state = US_CONNECTED;
    return 0;
}

long unix_accept(struct file *f, int flags, struct file **nf)
{
    struct unix_sock *s = f->sock, *n;

    if (!connection_based(s))
        return -EOPNOTSUPP;
    if (s->state != US_LISTENING)
        return -EINVAL;
    while (!s->acc_head) {
        long rc;

        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        rc = wait_sleep(&s->wq);
        if (rc)
            return rc == -EINTR ? -ERESTARTSYS : rc;
        if (s->state != US_LISTENING)
            return -EINVAL;
    }
    n = s->acc_head;
    *nf = file_of(n, flags);
    if (!*nf)
        return -ENOMEM;
    s->acc_head = n->acc_next;
    if (!s->acc_head)
        s->acc_tail = NULL;
    n->acc_next = NULL;
    s->acc_len--;
    wake(s);                            /* connects waiting for room */
    return 0;
}

long unix_shutdown(struct file *f, int how)
{
    struct unix_sock *s = f->sock, *o;
    int mode;

    if (how < SHUT_RD || how > SHUT_RDWR)
        return -EINVAL;
    mode = how + 1;                     /* SHUT_RD -> RCV_SHUTDOWN, ... */
    s->shutdown |= mode;
    o = s->peer;
    if (o && connection_based(s)) {
        /* What this end will not do, the peer sees from its side. */
        if (mode & RCV_SHUTDOWN)
            o->shutdown |= SEND_SHUTDOWN;
        if (mode & SEND_SHUTDOWN)
            o->shutdown |= RCV_SHUTDOWN;
        wake(o);
    }
    wake(s);
    return 0;
}

/* The file's last reference: the socket goes, its peer and the clients
 * of connections it never accepted are told, what it queued is dropped,
 * its name is given up (a path's inode stays in the tree).  The struct
 * lives while a peer still points at it. */
void unix_release(struct file *f)
{
    struct unix_sock *s = f->sock, *o = s->peer, *n;

    s->dead = true;
    s->shutdown = SHUTDOWN_MASK;
    if (o) {
        if (connection_based(s)) {
            o->shutdown = SHUTDOWN_MASK;
            if (s->rq_head)
                o->err = ECONNRESET;    /* it wrote what nobody read */
        }
        s->peer = NULL;
        wake(o);
        sock_put(o);
    }
    rq_purge(s);                        /* nobody will read it (Linux purges too) */
    /* Connections never accepted: released, their clients reset. */
    while ((n = s->acc_head)) {
        s->acc_head = n->acc_next;
        n->dead = true;
        n->shutdown = SHUTDOWN_MASK;
        rq_purge(n);
        if (n->peer) {
            n->peer->shutdown = SHUTDOWN_MASK;
            n->peer->err = ECONNRESET;
            wake(n->peer);
            sock_put(n->peer);
            n->peer = NULL;
        }
        sock_put(n);
    }
    s->acc_tail = NULL;
    s->state = US_UNCONNECTED;
    bound_remove(s);                    /* if it is there */
    if (s->node) {
        inode_put(s->node);
        s->node = NULL;
    }
    wake(s);
    sock_put(s);
}

/* ---- data ---- */

long unix_iov_copy(struct unix_iov *c, void *k, uint64_t n, bool to_user)
{
    uint8_t *kb = k;

    while (n) {
        struct linux_iovec v;
        uint64_t chunk;

        if (c->uiov) {
            if (c->idx >= c->niov)
                return -EFAULT;
            if (uspace_copy_from(&c->p->us, &v, c->uiov + c->idx * sizeof(v), sizeof(v)))
                return -EFAULT;
        } else {
            v.base = c->one_base;
            v.len = c->one_len;
            if (c->idx)
                return -EFAULT;
        }
        if (c->off >= v.len) {
            c->idx++;
            c->off = 0;
            continue;
        }
        chunk = MIN(n, v.len - c->off);
        if (to_user ? uspace_copy_to(&c->p->us, v.base + c->off, kb, chunk)
                    : uspace_copy_from(&c->p->us, kb, v.base + c->off, chunk))
            return -EFAULT;
        kb += chunk;
        n -= chunk;
        c->off += chunk;
    }
    return 0;
}

/* Copy n bytes between a record at byte off and the iovecs. */
static long rec_copy(struct urec *r, uint64_t off, struct unix_iov *c, uint64_t n, bool to_user)
{
    while (n) {
        uint64_t o = off & 4095, chunk = MIN(n, 4096 - o);
        uint8_t *k = (uint8_t *)pfn_to_virt(r->pfns[off / 4096]) + o;
        long rc = unix_iov_copy(c, k, chunk, to_user);

        if (rc)
            return rc;
        off += chunk;
        n -= chunk;
    }
    return 0;
}

/* Grow r to hold n more bytes (pages from the allocator). */
static bool rec_room(struct urec *r, uint64_t n, uint64_t *mem)
{
    while ((uint64_t)r->npages * 4096 < r->len + n) {
        uint64_t pfn = mm_alloc_pfn();

        if (pfn == INVALID_FRAME)
            return false;
        r->pfns[r->npages++] = pfn;
        *mem += 4096;
    }
    return true;
}

static struct urec *rec_new(struct process *p, struct unix_sock *from)
{
    struct urec *r = kzalloc(sizeof(*r));

    if (!r)
        return NULL;
    r->cred = (struct linux_ucred){ p->pid, 0, 0 };
    if (from && from->addr_len) {
        memcpy(r->from, from->addr, from->addr_len);
        r->from_len = from->addr_len;
    }
    return r;
}

static void rq_append(struct unix_sock *t, struct urec *r)
{
    if (t->rq_tail)
        t->rq_tail->next = r;
    else
        t->rq_head = r;
    t->rq_tail = r;
}

/* -EPIPE, with SIGPIPE unless MSG_NOSIGNAL (a stream's only: Linux's
 * datagram and seqpacket sends answer -EPIPE alone). */
static long broken_pipe(struct process *p, const struct unix_sock *s, int flags)
{
    if (s->type == SOCK_STREAM && !(flags & MSG_NOSIGNAL))
        proc_kill(p, SIGPIPE);
    return -EPIPE;
}

static long wait_room(struct unix_sock *t, struct file *f, int flags)
{
    long rc;

    if ((f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT))
        return -EAGAIN;
    t->refs++;                          /* found by name: not ours to keep */
    rc = wait_sleep(&t->wq);
    sock_put(t);
    return rc == -EINTR ? -ERESTARTSYS : rc;
}

/* A stream write: appended to the peer's queue as room allows. */
static long stream_send(struct process *p, struct file *f, struct unix_msg *m)
{
    struct unix_sock *s = f->sock, *t;
    uint64_t done = 0;
    bool first = true;

    if (m->addr_len && s->type == SOCK_STREAM)
        return s->state == US_CONNECTED ? -EISCONN : -EOPNOTSUPP;
    if (s->state != US_CONNECTED || !s->peer)
        return -ENOTCONN;
    if (m->len == 0 && s->type == SOCK_STREAM)
        return (s->shutdown & SEND_SHUTDOWN) ? broken_pipe(p, s, m->flags) : 0;
    while (first || done < m->len) {
        struct urec *r = NULL;
        uint64_t room, n, mem;
        bool fresh = false;
        long rc;

        t = s->peer;
        if ((s->shutdown & SEND_SHUTDOWN) || !t || t->dead || (t->shutdown & RCV_SHUTDOWN))
            return done ? (long)done : broken_pipe(p, s, m->flags);
        /* The tail record takes more bytes if no descriptors or given
         * credentials ride on it or on these, the same process wrote it,
         * and its last page has room. */
        if (t->rq_tail && !m->nfiles && !m->has_cred && !t->rq_tail->nfiles &&
            s->type == SOCK_STREAM && t->rq_tail->cred.pid == p->pid &&
            t->rq_tail->len < t->rq_tail->npages * 4096UL)
            r = t->rq_tail;
        room = (r ? r->npages * 4096UL - r->len : 0) + (UNIX_BUF - MIN(t->rq_mem, UNIX_BUF));
        if (s->type == SOCK_SEQPACKET && room < m->len)
            room = 0;                   /* a record goes whole */
        if (!room) {
            rc = wait_room(t, f, m->flags);
            if (rc)
                return done ? (long)done : rc;
            continue;
        }
        if (!r) {
            r = rec_new(p, s);
            if (!r)
                return done ? (long)done : -ENOMEM;
            fresh = true;
        }
        n = MIN(room, m->len - done);
        mem = t->rq_mem;
        /* A new record costs a page at least (an empty seqpacket record
         * too), so the queue's bound also bounds its records. */
        rc = rec_room(r, fresh ? MAX(n, 1) : n, &mem) ? rec_copy(r, r->len, &m->iov, n, false)
                                                      : -ENOMEM;
        if (rc) {
            if (fresh)
                rec_free(r);
            else
                t->rq_mem = mem;        /* the tail keeps the pages it grew */
            return done ? (long)done : rc;
        }
        t->rq_mem = mem;
        r->len += (uint32_t)n;
        t->rq_bytes += n;
        if (first && m->has_cred)
            r->cred = m->cred;
        if (first && m->nfiles) {
            r->files = m->files;
            r->nfiles = m->nfiles;
            m->files = NULL;
            m->nfiles = 0;
        }
        if (fresh)
            rq_append(t, r);
        done += n;
        first = false;
        wake(t);
    }
    return (long)done;
}

static long dgram_send(struct process *p, struct file *f, struct unix_msg *m)
{
    struct unix_sock *s = f->sock, *t;
    struct urec *r;
    uint64_t mem;
    long rc;

    if (m->len > UNIX_BUF)
        return -EMSGSIZE;
    if (s->passcred && !s->addr_len && (rc = autobind(s)))
        return rc;
    for (;;) {
        if (m->addr_len) {
            rc = lookup_peer(p, m->addr, m->addr_len, s->type, &t);
            if (rc)
                return rc;
            if (t->peer && t->peer != s)
                return -EPERM;
        } else {
            t = s->peer;
            if (!t)
                return -ENOTCONN;
            if (t->dead) {              /* the peer went: now unconnected */
                s->peer = NULL;
                s->state = US_UNCONNECTED;
                sock_put(t);
                return -ECONNREFUSED;
            }
        }
        if (s->shutdown & SEND_SHUTDOWN)
            return broken_pipe(p, s, m->flags);
        if (t->shutdown & RCV_SHUTDOWN)
            return -EPIPE;
        if (t->rq_mem + MAX((m->len + 4095) & ~4095UL, 4096) <= UNIX_BUF)
            break;
        rc = wait_room(t, f, m->flags);
        if (rc)
            return rc;
    }
    r = rec_new(p, s);
    if (!r)
        return -ENOMEM;
    mem = 0;
    rc = rec_room(r, MAX(m->len, 1), &mem) ? rec_copy(r, 0, &m->iov, m->len, false) : -ENOMEM;
    if (rc) {
        rec_free(r);
        return rc;
    }
    r->len = (uint32_t)m->len;
    r->files = m->files;
    r->nfiles = m->nfiles;
    m->files = NULL;
    m->nfiles = 0;
    if (m->has_cred)
        r->cred = m->cred;
    t->rq_mem += mem;
    t->rq_bytes += m->len;
    rq_append(t, r);
    wake(t);
    return (long)m->len;
}

long unix_sendmsg(struct process *p, struct file *f, struct unix_msg *m)
{
    struct unix_sock *s = f->sock;

    if (s->type == SOCK_DGRAM)
        return dgram_send(p, f, m);
    if (s->type == SOCK_SEQPACKET && m->len > UNIX_BUF)
        return -EMSGSIZE;
    return stream_send(p, f, m);
}

/* Take the first record off a queue. */
static void rq_pop(struct unix_sock *s)
{
    struct urec *r = s->rq_head;

    s->rq_head = r->next;
    if (!s->rq_head)
        s->rq_tail = NULL;
    s->rq_mem -= r->npages * 4096UL;
    s->rq_bytes -= r->len - r->off;
    rec_free(r);
}

/* Hand the record's descriptors and sender over to m. */
static void rec_deliver(struct urec *r, struct unix_msg *m, bool peek)
{
    m->addr_len = r->from_len;
    memcpy(m->addr, r->from, r->from_len);
    m->cred = r->cred;
    m->has_cred = true;
    if (r->nfiles && !peek) {
        m->files = r->files;
        m->nfiles = r->nfiles;
        r->files = NULL;
        r->nfiles = 0;
    }
}

/* Wait for a record: 0, or end of file (1), or -errno. */
static long wait_data(struct unix_sock *s, struct file *f, int flags)
{
    long rc;

    while (!s->rq_head) {
        if (s->err) {
            rc = -s->err;
            s->err = 0;
            return rc;
        }
        if (s->shutdown & RCV_SHUTDOWN)
            return 1;
        if (connection_based(s) && s->state != US_CONNECTED)
            return s->type == SOCK_STREAM ? -EINVAL : -ENOTCONN;
        if ((f->flags & O_NONBLOCK) || (flags & MSG_DONTWAIT))
            return -EAGAIN;
        rc = wait_sleep(&s->wq);
        if (rc)
            return rc == -EINTR ? -ERESTARTSYS : rc;
    }
    return 0;
}

static long dgram_recv(struct unix_sock *s, struct file *f, struct unix_msg *m)
{
    struct urec *r;
    uint64_t n;
    long rc = wait_data(s, f, m->flags);

    if (rc)
        return rc > 0 ? 0 : rc;
    r = s->rq_head;
    n = MIN(m->len, (uint64_t)r->len);
    if (rec_copy(r, 0, &m->iov, n, true))
        return -EFAULT;
    if (n < r->len)
        m->out_flags |= MSG_TRUNC;
    rec_deliver(r, m, m->flags & MSG_PEEK);
    rc = (m->flags & MSG_TRUNC) ? (long)r->len : (long)n;
    if (!(m->flags & MSG_PEEK)) {
        rq_pop(s);
        wake(s);
    }
    return rc;
}

static long stream_recv(struct unix_sock *s, struct file *f, struct unix_msg *m)
{
    uint64_t done = 0, target = (m->flags & MSG_WAITALL) ? m->len : 1;
    struct urec *r;
    int32_t pid = 0;

    if (s->state != US_CONNECTED && !s->rq_head)
        return -EINVAL;
    if (!m->len)
        return 0;
    for (;;) {
        uint64_t skip = 0;
        long rc;

        if (done >= target && !s->rq_head)
            break;
        rc = done && !s->rq_head && (m->flags & MSG_PEEK) ? 1 : wait_data(s, f, m->flags);
        if (rc == -EAGAIN && done)
            break;
        if (rc)
            return done ? (long)done : rc > 0 ? 0 : rc;
        /* Read across records; never past one that carried descriptors,
         * nor, with SO_PASSCRED, into another writer's (its credentials
         * would differ), as Linux. */
        for (r = s->rq_head; r && done < m->len; r = (m->flags & MSG_PEEK) ? r->next : s->rq_head) {
            uint64_t avail = r->len - r->off, n;

            if (m->flags & MSG_PEEK) {  /* nothing is consumed: skip what
                                           this call already copied */
                if (skip + avail <= done) {
                    skip += avail;
                    continue;
                }
                avail -= done - skip;
            }
            if (done && (r->nfiles || (s->passcred && r->cred.pid != pid)))
                goto out;
            n = MIN(avail, m->len - done);
            if (rec_copy(r, r->len - avail, &m->iov, n, true))
                return done ? (long)done : -EFAULT;
            if (!done) {
                rec_deliver(r, m, m->flags & MSG_PEEK);
                pid = r->cred.pid;
            }
            done += n;
            skip += r->len - r->off;
            if (!(m->flags & MSG_PEEK)) {
                r->off += (uint32_t)n;
                s->rq_bytes -= n;
                if (r->off == r->len) {
                    bool had_files = m->nfiles;

                    rq_pop(s);
                    if (had_files)
                        goto out;
                }
            } else if (r->nfiles) {
                goto out;
            }
        }
        if (done >= target || (m->flags & MSG_PEEK))
            break;
    }
out:
    if (!(m->flags & MSG_PEEK))
        wake(s);
    return (long)done;
}

long unix_recvmsg(struct process *p, struct file *f, struct unix_msg *m)
{
    struct unix_sock *s = f->sock;

    (void)p;
    m->addr_len = 0;
    m->has_cred = false;
    if (s->state == US_LISTENING)
        return -EINVAL;
    if (s->type == SOCK_STREAM)
        return stream_recv(s, f, m);
    if (s->type == SOCK_SEQPACKET && s->state != US_CONNECTED && !s->rq_head)
        return -ENOTCONN;
    return dgram_recv(s, f, m);
}

long unix_read(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    struct unix_msg m = { .iov = { .p = p, .one_base = buf, .one_len = len }, .len = len };
    long rc = unix_recvmsg(p, f, &m);
    unsigned int i;

    for (i = 0; i < m.nfiles; i++)      /* descriptors nobody asked for: closed */
        file_put(m.files[i]);
    kfree(m.files);
    return rc;
}

long unix_write(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    struct unix_msg m = { .iov = { .p = p, .one_base = buf, .one_len = len }, .len = len };

    return unix_sendmsg(p, f, &m);
}

/* ---- poll, fstat, FIONREAD ---- */

/* Linux's unix_poll and unix_dgram_poll. */
unsigned int unix_poll_events(const struct file *f)
{
    const struct unix_sock *s = f->sock, *t = s->peer;
    unsigned int ev = 0;
    bool writable;

    if (s->err)
        ev |= POLLERR;
    if (s->shutdown == SHUTDOWN_MASK)
        ev |= POLLHUP;
    if (s->shutdown & RCV_SHUTDOWN)
        ev |= EPOLLRDHUP | POLLIN | POLLRDNORM;
    if (s->rq_head || s->acc_head)
        ev |= POLLIN | POLLRDNORM;
    if (connection_based(s) && s->state == US_UNCONNECTED)
        ev |= POLLHUP;
    if (s->state == US_LISTENING)
        return ev;
    writable = !t || t->dead || t->rq_mem * 4 <= UNIX_BUF * 3;
    if (s->type == SOCK_DGRAM && t && !t->dead && t->rq_mem + 4096 > UNIX_BUF)
        writable = false;
    if (writable)
        ev |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return ev;
}

int unix_nread(const struct file *f)
{
    const struct unix_sock *s = f->sock;

    if (s->state == US_LISTENING)
        return -EINVAL;
    if (s->type == SOCK_DGRAM)
        return s->rq_head ? (int)s->rq_head->len : 0;
    return (int)s->rq_bytes;
}

void unix_stat(const struct file *f, struct linux_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFSOCK | 0777;
    st->st_nlink = 1;
    st->st_ino = f->sock->ino;
    st->st_blksize = 4096;
}
