/* SPDX-License-Identifier: MIT */
/*
 * sys_socket.c - the socket system calls: socket, socketpair, bind,
 *                listen, accept, accept4, connect, getsockname,
 *                getpeername, shutdown, sendto, recvfrom, sendmsg,
 *                recvmsg, setsockopt, getsockopt.
 * Owns:    the user side of each: socket addresses copied in and out
 *          (Linux's move_addr_to_kernel/_user), struct msghdr and its
 *          control messages (SCM_RIGHTS, SCM_CREDENTIALS), socket
 *          options, the descriptors sockets get.
 * Touches: kernel/unix_socket.c (include/socket.h) for the sockets, the
 *          process's descriptor table (proc.h), user copies (mm.h).
 *
 * Only AF_UNIX exists: any other family is -EAFNOSUPPORT, as on a Linux
 * built without it.  The checks come in Linux's order (net/socket.c, then
 * af_unix.c): flags, family, type, protocol; a descriptor that is not
 * open -EBADF, one that is not a socket -ENOTSOCK.
 */
#include <kernel.h>
#include <proc.h>
#include <socket.h>
#include <syscall.h>

#define SOCKADDR_STORAGE 128    /* the most move_addr_to_kernel takes */
#define RW_MAX_SOCK 0x7ffff000UL /* MAX_RW_COUNT */
#define ENOBUFS 105

/* The socket behind fd: 0 with *f, -EBADF, -ENOTSOCK. */
static long sock_fd(struct process *p, long fd, struct file **f)
{
    *f = proc_fd(p, (int)fd);
    if (!*f)
        return -EBADF;
    return (*f)->kind == FILE_SOCKET ? 0 : -ENOTSOCK;
}

static const uint8_t unbound_addr[2] = { AF_UNIX, 0 };  /* sa_family_t, little-endian */

static long install(struct process *p, struct file *f, int flags)
{
    int fd = proc_fd_alloc(p, f, 0, flags & SOCK_CLOEXEC);

    if (fd < 0)
        file_put(f);
    return fd;
}

/* A sockaddr from user memory into buf (SOCKADDR_STORAGE bytes). */
static long addr_in(struct process *p, uint64_t uaddr, long len, uint8_t *buf)
{
    if (len < 0 || len > SOCKADDR_STORAGE)
        return -EINVAL;
    if (len && uspace_copy_from(&p->us, buf, uaddr, (size_t)len))
        return -EFAULT;
    return 0;
}

/* A sockaddr out, as Linux's move_addr_to_user: at most *ulen bytes, the
 * full length written back to *ulen. */
static long addr_out(struct process *p, const uint8_t *addr, uint32_t len, uint64_t uaddr,
                     uint64_t ulen)
{
    int32_t have;

    if (uspace_copy_from(&p->us, &have, ulen, sizeof(have)))
        return -EFAULT;
    if (have < 0)
        return -EINVAL;
    if (len && uspace_copy_to(&p->us, uaddr, addr, MIN((uint32_t)have, len)))
        return -EFAULT;
    return uspace_copy_to(&p->us, ulen, &len, sizeof(len)) ? -EFAULT : 0;
}

static long check_family(long family, long type, long protocol)
{
    if ((int)type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    if ((int)family < 0 || (int)family >= NPROTO)
        return -EAFNOSUPPORT;
    if (((int)type & SOCK_TYPE_MASK) >= SOCK_MAX)
        return -EINVAL;
    if ((int)family != AF_UNIX)
        return -EAFNOSUPPORT;
    if ((int)protocol && (int)protocol != AF_UNIX)
        return -EPROTONOSUPPORT;
    return 0;
}

long sys_socket(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f;
    long rc = check_family(a0, a1, a2);

    (void)a3; (void)a4; (void)a5;
    if (rc)
        return rc;
    rc = unix_create((int)a1 & SOCK_TYPE_MASK, (int)a1, &f);
    return rc ? rc : install(p, f, (int)a1);
}

long sys_socketpair(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *fa, *fb;
    int32_t fds[2];
    long rc = check_family(a0, a1, a2);

    (void)a4; (void)a5;
    if (rc)
        return rc;
    rc = unix_pair((int)a1 & SOCK_TYPE_MASK, (int)a1, &fa, &fb);
    if (rc)
        return rc;
    fds[0] = (int32_t)install(p, fa, (int)a1);
    if (fds[0] < 0) {
        file_put(fb);
        return fds[0];
    }
    fds[1] = (int32_t)install(p, fb, (int)a1);
    if (fds[1] < 0 || uspace_copy_to(&p->us, a3, fds, sizeof(fds))) {
        rc = fds[1] < 0 ? fds[1] : -EFAULT;
        file_put(proc_fd_take(p, fds[0]));
        if (fds[1] >= 0)
            file_put(proc_fd_take(p, fds[1]));
        return rc;
    }
    return 0;
}

long sys_bind(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint8_t a[SOCKADDR_STORAGE + 1];
    struct file *f;
    long rc = sock_fd(p, a0, &f);

    (void)a3; (void)a4; (void)a5;
    if (!rc)
        rc = addr_in(p, a1, (int)a2, a);
    return rc ? rc : unix_bind(p, f, a, (uint32_t)(int)a2);
}

long sys_connect(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint8_t a[SOCKADDR_STORAGE + 1];
    struct file *f;
    long rc = sock_fd(p, a0, &f);

    (void)a3; (void)a4; (void)a5;
    if (!rc)
        rc = addr_in(p, a1, (int)a2, a);
    return rc ? rc : unix_connect(p, f, a, (uint32_t)(int)a2);
}

long sys_listen(SYSCALL_ARGS)
{
    struct file *f;
    long rc = sock_fd(proc_current(), a0, &f);

    (void)a2; (void)a3; (void)a4; (void)a5;
    return rc ? rc : unix_listen(f, (int)a1);
}

long sys_accept4(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f, *nf;
    struct unix_sock *t;
    long rc, fd;

    (void)a4; (void)a5;
    if ((int)a3 & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
        return -EINVAL;
    rc = sock_fd(p, a0, &f);
    if (rc)
        return rc;
    rc = unix_accept(f, (int)a3, &nf);
    if (rc)
        return rc;
    fd = install(p, nf, (int)a3);
    if (fd < 0 || !a1)
        return fd;
    /* The peer's address (the client's, usually unbound: the family). */
    t = nf->sock->peer;
    if (t && t->addr_len)
        rc = addr_out(p, t->addr, t->addr_len, a1, a2);
    else
        rc = addr_out(p, unbound_addr, 2, a1, a2);
    if (rc) {
        file_put(proc_fd_take(p, (int)fd));
        return rc;
    }
    return fd;
}

long sys_accept(SYSCALL_ARGS) { return sys_accept4(a0, a1, a2, 0, a4, a5); }

/* getsockname/getpeername: an unbound name is just the family (2 bytes). */
static long getname(long fd, uint64_t uaddr, uint64_t ulen, bool peer)
{
    struct process *p = proc_current();
    struct unix_sock *s;
    struct file *f;
    long rc = sock_fd(p, fd, &f);

    if (rc)
        return rc;
    s = f->sock;
    if (peer) {
        if (!s->peer)
            return -ENOTCONN;
        s = s->peer;
    }
    if (!s->addr_len)
        return addr_out(p, unbound_addr, 2, uaddr, ulen);
    return addr_out(p, s->addr, s->addr_len, uaddr, ulen);
}

long sys_getsockname(SYSCALL_ARGS) { (void)a3; (void)a4; (void)a5; return getname(a0, a1, a2, false); }
long sys_getpeername(SYSCALL_ARGS) { (void)a3; (void)a4; (void)a5; return getname(a0, a1, a2, true); }

long sys_shutdown(SYSCALL_ARGS)
{
    struct file *f;
    long rc = sock_fd(proc_current(), a0, &f);

    (void)a2; (void)a3; (void)a4; (void)a5;
    return rc ? rc : unix_shutdown(f, (int)a1);
}

/* ---- sending and receiving ---- */

/* The iovecs' total; -EINVAL past SSIZE_MAX, -EFAULT on a bad array. */
static long iov_total(struct process *p, uint64_t uiov, uint64_t n, uint64_t *total)
{
    uint64_t i;

    *total = 0;
    for (i = 0; i < n; i++) {
        struct linux_iovec v;

        if (uspace_copy_from(&p->us, &v, uiov + i * sizeof(v), sizeof(v)))
            return -EFAULT;
        if ((int64_t)v.len < 0 || *total + v.len > 0x7fffffffffffffffUL)
            return -EINVAL;
        *total += v.len;
    }
    return 0;
}

static void msg_drop_files(struct unix_msg *m)
{
    unsigned int i;

    for (i = 0; i < m->nfiles; i++)
        file_put(m->files[i]);
    kfree(m->files);
    m->files = NULL;
    m->nfiles = 0;
}

/* SCM_RIGHTS: the descriptors as files (references taken). */
static long cmsg_rights(struct process *p, uint64_t data, uint64_t n, struct unix_msg *m)
{
    uint64_t i;

    if (!n)
        return 0;
    if (n > SCM_MAX_FD || m->nfiles)
        return -EINVAL;
    m->files = kzalloc(n * sizeof(struct file *));
    if (!m->files)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        int32_t fd;
        struct file *f;

        if (uspace_copy_from(&p->us, &fd, data + i * 4, 4))
            return -EFAULT;
        f = proc_fd(p, fd);
        if (!f)
            return -EBADF;
        f->refs++;
        m->files[m->nfiles++] = f;
    }
    return 0;
}

/* The control messages of a sendmsg (Linux's __scm_send). */
static long cmsgs_in(struct process *p, uint64_t ctl, uint64_t len, struct unix_msg *m)
{
    uint64_t off = 0;

    if (len > 0x7fffffff)
        return -ENOBUFS;
    while (off + sizeof(struct linux_cmsghdr) <= len) {
        struct linux_cmsghdr h;
        long rc;

        if (uspace_copy_from(&p->us, &h, ctl + off, sizeof(h)))
            return -EFAULT;
        if (h.len < sizeof(h) || h.len > len - off)
            return -EINVAL;
        if (h.level == SOL_SOCKET) {
            uint64_t dlen = h.len - sizeof(h);

            if (h.type == SCM_RIGHTS) {
                rc = cmsg_rights(p, ctl + off + sizeof(h), dlen / 4, m);
            } else if (h.type == SCM_CREDENTIALS) {
                if (dlen != sizeof(struct linux_ucred))
                    return -EINVAL;
                rc = uspace_copy_from(&p->us, &m->cred, ctl + off + sizeof(h),
                                      sizeof(m->cred)) ? -EFAULT : 0;
                m->has_cred = true;     /* root may name any process */
            } else {
                rc = -EINVAL;
            }
            if (rc)
                return rc;
        }
        off += CMSG_ALIGN8(h.len);
    }
    return 0;
}

static long do_send(struct process *p, long fd, struct linux_msghdr *h, int flags,
                    bool vector)
{
    struct unix_msg m = { .iov = { .p = p }, .flags = flags };
    uint8_t a[SOCKADDR_STORAGE + 1];
    struct file *f;
    long rc = sock_fd(p, fd, &f);

    if (rc)
        return rc;
    if (flags & MSG_OOB)
        return -EOPNOTSUPP;
    if (h->name && h->namelen) {
        rc = addr_in(p, h->name, (int)h->namelen, a);
        if (rc)
            return rc;
        if (f->sock->type == SOCK_DGRAM) {
            if (h->namelen < 2 + 1 || h->namelen > UNIX_ADDR_MAX)
                return -EINVAL;
            memcpy(m.addr, a, h->namelen);
        } else {
            memcpy(m.addr, a, MIN(h->namelen, UNIX_ADDR_MAX));
        }
        m.addr_len = h->namelen;
    }
    if (vector) {
        if (h->iovlen > UNIX_IOV_MAX)
            return -EMSGSIZE;
        rc = iov_total(p, h->iov, h->iovlen, &m.len);
        if (rc)
            return rc;
        m.iov.uiov = h->iov;
        m.iov.niov = h->iovlen;
        if (h->controllen) {
            rc = cmsgs_in(p, h->control, h->controllen, &m);
            if (rc) {
                msg_drop_files(&m);
                return rc;
            }
        }
    } else {
        m.iov.one_base = h->iov;
        m.iov.one_len = h->iovlen;
        m.len = h->iovlen;
    }
    if (m.len > RW_MAX_SOCK)
        m.len = RW_MAX_SOCK;
    rc = unix_sendmsg(p, f, &m);
    msg_drop_files(&m);                 /* not sent: references given back */
    return rc;
}

long sys_sendto(SYSCALL_ARGS)
{
    struct linux_msghdr h = { .name = (uint64_t)a4, .namelen = (uint32_t)a5,
                              .iov = (uint64_t)a1, .iovlen = (uint64_t)a2 };

    if ((int)a5 < 0)
        return -EINVAL;
    if (!a4)
        h.namelen = 0;
    return do_send(proc_current(), a0, &h, (int)a3, false);
}

long sys_sendmsg(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_msghdr h;

    (void)a3; (void)a4; (void)a5;
    if (uspace_copy_from(&p->us, &h, a1, sizeof(h)))
        return -EFAULT;
    if (!h.name)
        h.namelen = 0;
    if ((int32_t)h.namelen < 0)
        return -EINVAL;
    h.namelen = MIN(h.namelen, SOCKADDR_STORAGE);   /* as copy_msghdr_from_user */
    return do_send(p, a0, &h, (int)a2, true);
}

/* The control messages a recvmsg delivers: descriptors installed as room
 * allows (the rest closed, MSG_CTRUNC), credentials if SO_PASSCRED. */
static uint64_t cmsgs_out(struct process *p, struct unix_sock *s, struct unix_msg *m,
                          uint64_t ctl, uint64_t room, int flags)
{
    uint64_t used = 0;
    struct linux_cmsghdr h;
    unsigned int i, n;

    if (s->passcred && m->has_cred) {
        h = (struct linux_cmsghdr){ sizeof(h) + sizeof(m->cred), SOL_SOCKET, SCM_CREDENTIALS };
        if (!ctl || room < h.len) {
            m->out_flags |= MSG_CTRUNC;
        } else if (!uspace_copy_to(&p->us, ctl, &h, sizeof(h)) &&
                   !uspace_copy_to(&p->us, ctl + sizeof(h), &m->cred, sizeof(m->cred))) {
            used = CMSG_ALIGN8(h.len);
        }
    }
    if (m->nfiles) {
        uint64_t left = room > used ? room - used : 0;

        n = left > sizeof(h) ? (unsigned int)MIN((left - sizeof(h)) / 4, m->nfiles) : 0;
        if (!ctl)
            n = 0;
        for (i = 0; i < n; i++) {
            int32_t fd = (int32_t)install(p, m->files[i],
                                          (flags & MSG_CMSG_CLOEXEC) ? SOCK_CLOEXEC : 0);

            m->files[i] = NULL;
            if (fd < 0) {
                n = i;
                m->out_flags |= MSG_CTRUNC;
                break;
            }
            uspace_copy_to(&p->us, ctl + used + sizeof(h) + i * 4, &fd, 4);
        }
        if (n < m->nfiles)
            m->out_flags |= MSG_CTRUNC;
        if (n) {
            h = (struct linux_cmsghdr){ sizeof(h) + n * 4, SOL_SOCKET, SCM_RIGHTS };
            uspace_copy_to(&p->us, ctl + used, &h, sizeof(h));
            used += MIN(CMSG_ALIGN8(h.len), left);
        }
        for (i = n; i < m->nfiles; i++)
            file_put(m->files[i]);
        kfree(m->files);
        m->files = NULL;
        m->nfiles = 0;
    }
    return used;
}

/* recvfrom (vector false: h->iov/iovlen one buffer, ulen its address
 * length's pointer) and recvmsg (uh the user's msghdr, to write back). */
static long do_recv(struct process *p, long fd, struct linux_msghdr *h, int flags,
                    bool vector, uint64_t uh, uint64_t ulen)
{
    struct unix_msg m = { .iov = { .p = p }, .flags = flags };
    struct file *f;
    long rc = sock_fd(p, fd, &f), n;

    if (rc)
        return rc;
    if (flags & MSG_OOB)
        return -EINVAL;
    if (vector) {
        if (h->iovlen > UNIX_IOV_MAX)
            return -EMSGSIZE;
        rc = iov_total(p, h->iov, h->iovlen, &m.len);
        if (rc)
            return rc;
        m.iov.uiov = h->iov;
        m.iov.niov = h->iovlen;
    } else {
        m.iov.one_base = h->iov;
        m.iov.one_len = h->iovlen;
        m.len = h->iovlen;
    }
    n = unix_recvmsg(p, f, &m);
    if (n < 0) {
        msg_drop_files(&m);
        return n;
    }
    if (vector) {
        uint64_t used = cmsgs_out(p, f->sock, &m, h->control, h->controllen, flags);
        struct linux_msghdr out = *h;

        out.controllen = used;
        out.flags = m.out_flags;
        if (h->name) {
            if (m.addr_len &&
                uspace_copy_to(&p->us, h->name, m.addr, MIN(h->namelen, m.addr_len)))
                return -EFAULT;
            out.namelen = m.addr_len;
        }
        if (uspace_copy_to(&p->us, uh, &out, sizeof(out)))
            return -EFAULT;
    } else {
        msg_drop_files(&m);
        if (h->name) {
            rc = addr_out(p, m.addr, m.addr_len, h->name, ulen);
            if (rc)
                return rc;
        }
    }
    return n;
}

long sys_recvfrom(SYSCALL_ARGS)
{
    struct linux_msghdr h = { .name = (uint64_t)a4, .iov = (uint64_t)a1, .iovlen = (uint64_t)a2 };

    return do_recv(proc_current(), a0, &h, (int)a3, false, 0, (uint64_t)a5);
}

long sys_recvmsg(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_msghdr h;

    (void)a3; (void)a4; (void)a5;
    if (uspace_copy_from(&p->us, &h, a1, sizeof(h)))
        return -EFAULT;
    if ((int32_t)h.namelen < 0)
        return -EINVAL;
    h.namelen = MIN(h.namelen, SOCKADDR_STORAGE);
    return do_recv(p, a0, &h, (int)a2, true, a1, 0);
}

/* ---- options ---- */

long sys_setsockopt(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f;
    int32_t v;
    long rc = sock_fd(p, a0, &f);

    (void)a5;
    if (rc)
        return rc;
    if ((int)a4 < 0)
        return -EINVAL;
    if ((int)a1 != SOL_SOCKET)
        return -EOPNOTSUPP;
    if ((int)a4 < (int)sizeof(v))
        return -EINVAL;
    if (uspace_copy_from(&p->us, &v, a3, sizeof(v)))
        return -EFAULT;
    switch ((int)a2) {
    case SO_REUSEADDR:
        return 0;                       /* nothing to reuse: accepted */
    case SO_PASSCRED:
        f->sock->passcred = v != 0;
        return 0;
    case SO_SNDBUF:
    case SO_RCVBUF: {                   /* reported doubled, as Linux; the
                                           queues stay UNIX_BUF */
        int32_t val = (int32_t)MIN((uint32_t)v, 212992U);

        val = MAX(val * 2, (int)a2 == SO_SNDBUF ? 4608 : 2304);
        if ((int)a2 == SO_SNDBUF)
            f->sock->sndbuf = val;
        else
            f->sock->rcvbuf = val;
        return 0;
    }
    case SO_TYPE: case SO_ERROR: case SO_PEERCRED: case SO_ACCEPTCONN:
    case SO_PROTOCOL: case SO_DOMAIN:
        return -ENOPROTOOPT;            /* read-only */
    default:
        return -ENOPROTOOPT;
    }
}

long sys_getsockopt(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct unix_sock *s;
    struct file *f;
    int32_t len, v = 0;
    const void *val = &v;
    uint32_t size = sizeof(v);
    struct linux_ucred cred;
    long rc = sock_fd(p, a0, &f);

    (void)a5;
    if (rc)
        return rc;
    s = f->sock;
    if ((int)a1 != SOL_SOCKET)
        return -EOPNOTSUPP;
    if (uspace_copy_from(&p->us, &len, a4, sizeof(len)))
        return -EFAULT;
    if (len < 0)
        return -EINVAL;
    switch ((int)a2) {
    case SO_TYPE:      v = s->type; break;
    case SO_ERROR:     v = s->err; s->err = 0; break;
    case SO_SNDBUF:    v = s->sndbuf; break;
    case SO_RCVBUF:    v = s->rcvbuf; break;
    case SO_REUSEADDR: v = 0; break;
    case SO_PASSCRED:  v = s->passcred; break;
    case SO_ACCEPTCONN: v = s->state == US_LISTENING; break;
    case SO_PROTOCOL:  v = 0; break;
    case SO_DOMAIN:    v = AF_UNIX; break;
    case SO_PEERCRED:
        cred = s->has_peercred ? s->peercred : (struct linux_ucred){ 0, 65534, 65534 };
        val = &cred;
        size = sizeof(cred);
        break;
    default:
        return -ENOPROTOOPT;
    }
    size = MIN(size, (uint32_t)len);
    if (uspace_copy_to(&p->us, a3, val, size) ||
        uspace_copy_to(&p->us, a4, &size, sizeof(size)))
        return -EFAULT;
    return 0;
}

/* readv/writev on a socket (sys_fs.c): one message of all the iovecs. */
long sock_vector_io(struct process *p, struct file *f, uint64_t uiov, long n, bool write)
{
    struct unix_msg m = { .iov = { .p = p, .uiov = uiov, .niov = (uint64_t)n } };
    long rc = iov_total(p, uiov, (uint64_t)n, &m.len);

    if (rc)
        return rc;
    if (!n)
        return 0;
    m.len = MIN(m.len, RW_MAX_SOCK);
    if (write)
        return unix_sendmsg(p, f, &m);
    rc = unix_recvmsg(p, f, &m);
    msg_drop_files(&m);
    return rc;
}
