/* SPDX-License-Identifier: MIT */
/*
 * socket.h - AF_UNIX sockets: Linux's socket ABI (numbers and layouts) and
 *            the kernel's unix-socket API.
 * Owns:    the AF_/SOCK_/MSG_/SOL_/SO_/SCM_ constants, struct
 *          linux_msghdr, linux_cmsghdr, linux_ucred, struct unix_sock and
 *          the unix_*() API.
 * Touches: nothing (declarations).  Implemented by
 *            kernel/unix_socket.c  the sockets: names, connections,
 *                                  queues, blocking, poll, release
 *            kernel/sys_socket.c   the system calls: user copies of
 *                                  addresses, msghdr, control messages
 *
 * Every value is Linux's x86_64 one (include/linux/socket.h,
 * include/uapi/asm-generic/socket.h, include/uapi/linux/un.h); user
 * programs (user/socktest.c) run the same checks on Linux and here.
 */
#ifndef SOCKET_H
#define SOCKET_H

#include <stdbool.h>
#include <stdint.h>
#include <wait.h>

/* Families and types (linux/socket.h, linux/net.h). */
#define AF_UNSPEC   0
#define AF_UNIX     1
#define NPROTO      46          /* AF_MAX: a family past it is EAFNOSUPPORT */
#define SOCK_STREAM    1
#define SOCK_DGRAM     2
#define SOCK_RAW       3        /* AF_UNIX takes it as SOCK_DGRAM, as Linux */
#define SOCK_SEQPACKET 5
#define SOCK_MAX       11       /* SOCK_PACKET + 1 */
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK  04000    /* O_NONBLOCK */
#define SOCK_CLOEXEC   02000000 /* O_CLOEXEC */

/* send/recv flags */
#define MSG_OOB       0x1
#define MSG_PEEK      0x2
#define MSG_CTRUNC    0x8
#define MSG_TRUNC     0x20
#define MSG_DONTWAIT  0x40
#define MSG_EOR       0x80
#define MSG_WAITALL   0x100
#define MSG_NOSIGNAL  0x4000
#define MSG_CMSG_CLOEXEC 0x40000000

/* shutdown(): how, and the bits kept (Linux's RCV_SHUTDOWN, SEND_SHUTDOWN) */
#define SHUT_RD   0
#define SHUT_WR   1
#define SHUT_RDWR 2
#define RCV_SHUTDOWN  1
#define SEND_SHUTDOWN 2
#define SHUTDOWN_MASK 3

/* Socket options (asm-generic/socket.h) */
#define SOL_SOCKET   1
#define SO_REUSEADDR 2
#define SO_TYPE      3
#define SO_ERROR     4
#define SO_SNDBUF    7
#define SO_RCVBUF    8
#define SO_PASSCRED  16
#define SO_PEERCRED  17
#define SO_ACCEPTCONN 30
#define SO_PROTOCOL  38
#define SO_DOMAIN    39
#define SCM_RIGHTS      1
#define SCM_CREDENTIALS 2
#define SCM_MAX_FD      253     /* descriptors in one SCM_RIGHTS */

/* More errno values (asm-generic/errno.h) */
#define ENOTSOCK        88
#define EDESTADDRREQ    89
#define EMSGSIZE        90
#define EPROTOTYPE      91
#define ENOPROTOOPT     92
#define EPROTONOSUPPORT 93
#define ESOCKTNOSUPPORT 94
#define EOPNOTSUPP      95
#define EAFNOSUPPORT    97
#define EADDRINUSE      98
#define ECONNRESET      104
#define EISCONN         106
#define ENOTCONN        107
#define ECONNREFUSED    111
#define EPOLLRDHUP      0x2000

/* struct sockaddr_un: the family, then up to 108 bytes of name; a name
 * starting with NUL is abstract (its bytes up to the length given). */
#define UNIX_PATH_MAX 108
#define UNIX_ADDR_MAX (2 + UNIX_PATH_MAX)
#define UNIX_AUTOBIND_LEN 8     /* family, NUL, 5 hex digits */

struct linux_msghdr {
    uint64_t name;
    uint32_t namelen, pad0;
    uint64_t iov, iovlen;
    uint64_t control, controllen;
    int32_t flags, pad1;
};
_Static_assert(sizeof(struct linux_msghdr) == 56, "x86_64 struct msghdr");
struct linux_cmsghdr { uint64_t len; int32_t level, type; };
#define CMSG_ALIGN8(n) (((n) + 7) & ~7UL)
struct linux_ucred { int32_t pid; uint32_t uid, gid; };

/* Limits: each receive queue holds at most UNIX_BUF bytes of pages (64
 * KiB, as a pipe), a datagram at most that; a listen backlog at most
 * UNIX_BACKLOG_MAX (Linux's somaxconn, 4096). */
#define UNIX_BUF          (64 * 1024UL)
#define UNIX_REC_PAGES    (UNIX_BUF / 4096)
#define UNIX_BACKLOG_MAX  4096
#define UNIX_IOV_MAX      1024  /* UIO_MAXIOV */

struct urec;
struct file;
struct process;
struct inode;
struct linux_stat;

enum unix_state { US_UNCONNECTED, US_LISTENING, US_CONNECTED };

struct unix_sock {
    int type;                   /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
    enum unix_state state;
    unsigned int refs;          /* its file, peers pointing here, an accept queue */
    bool dead;                  /* its file is gone */
    int shutdown;               /* RCV_SHUTDOWN | SEND_SHUTDOWN */
    int err;                    /* SO_ERROR: a positive errno, read once */
    bool passcred;              /* SO_PASSCRED */
    int sndbuf, rcvbuf;         /* what SO_SNDBUF/SO_RCVBUF report */
    struct unix_sock *peer;     /* connected to (a counted reference) */
    uint32_t addr_len;          /* 0: unbound */
    uint8_t addr[UNIX_ADDR_MAX + 2];   /* sockaddr_un as getsockname gives it */
    struct inode *node;         /* bound to a path: its S_IFSOCK inode (held) */
    struct unix_sock *bound_next;   /* the bound sockets (unix_socket.c) */
    struct linux_ucred cred;    /* who made it (listen: the listener's) */
    struct linux_ucred peercred;    /* SO_PEERCRED */
    bool has_peercred;
    /* The receive queue: records, oldest first. */
    struct urec *rq_head, *rq_tail;
    uint64_t rq_mem;            /* pages held, in bytes: bounded by UNIX_BUF */
    uint64_t rq_bytes;          /* unread bytes (FIONREAD) */
    /* A listener's accept queue: connected sockets not yet accepted. */
    struct unix_sock *acc_head, *acc_tail, *acc_next;
    unsigned int acc_len, backlog;
    uint64_t ino;               /* st_ino */
    struct wait_queue wq;       /* every sleeper on this socket */
};

/* A message between the system calls and the sockets: the user's iovecs
 * (read lazily from user memory, or one kernel copy for read/write). */
struct unix_iov {
    struct process *p;
    uint64_t uiov, niov;        /* uiov 0: `one` is the only iovec */
    uint64_t one_base, one_len;
    uint64_t idx, off;          /* the cursor */
};
struct unix_msg {
    struct unix_iov iov;
    uint64_t len;               /* the iovecs' total */
    int flags;                  /* MSG_* of the call */
    /* sendmsg: a destination; recvmsg: the sender's address (out) */
    uint8_t addr[UNIX_ADDR_MAX + 2];
    uint32_t addr_len;
    /* SCM_RIGHTS: files to send (references taken) / received (out) */
    struct file **files;
    unsigned int nfiles;
    /* SCM_CREDENTIALS: given by the sender / delivered (out) */
    bool has_cred;
    struct linux_ucred cred;
    int out_flags;              /* recvmsg: MSG_TRUNC, MSG_CTRUNC, MSG_EOR */
};

/* kernel/unix_socket.c: each returns 0 (or a count) or -errno as Linux's. */
long unix_create(int type, int flags, struct file **f);
long unix_pair(int type, int flags, struct file **a, struct file **b);
long unix_bind(struct process *p, struct file *f, const uint8_t *addr, uint32_t len);
long unix_listen(struct file *f, int backlog);
long unix_accept(struct file *f, int flags, struct file **nf);
long unix_connect(struct process *p, struct file *f, const uint8_t *addr, uint32_t len);
long unix_shutdown(struct file *f, int how);
long unix_sendmsg(struct process *p, struct file *f, struct unix_msg *m);
long unix_recvmsg(struct process *p, struct file *f, struct unix_msg *m);
/* read/write on a socket descriptor: recvmsg/sendmsg of one iovec. */
long unix_read(struct process *p, struct file *f, uint64_t buf, uint64_t len);
long unix_write(struct process *p, struct file *f, uint64_t buf, uint64_t len);
unsigned int unix_poll_events(const struct file *f);
int unix_nread(const struct file *f);           /* FIONREAD */
void unix_stat(const struct file *f, struct linux_stat *st);
void unix_release(struct file *f);              /* the file's last reference */
/* kernel/sys_socket.c: readv/writev on a socket descriptor, one message. */
long sock_vector_io(struct process *p, struct file *f, uint64_t uiov, long n, bool write);
/* Move n bytes between kernel memory and the iovecs at the cursor. */
long unix_iov_copy(struct unix_iov *c, void *k, uint64_t n, bool to_user);

#endif /* SOCKET_H */
