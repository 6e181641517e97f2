/* SPDX-License-Identifier: MIT */
/*
 * socktest.c - /bin/socktest: AF_UNIX sockets on pvkernel, run as init
 *              (pid 1) by the boot test user-socktest, and on the build
 *              machine's Linux by the unit test unit-socktest-linux, which
 *              makes Linux the oracle: every check passes on both.
 * Owns:    the checks of socket, socketpair, bind, listen, accept(4),
 *          connect, getsockname, getpeername, shutdown, send/recv(from,
 *          msg), set/getsockopt: stream, datagram and seqpacket sockets,
 *          path and abstract names, autobind, the errors of each misuse,
 *          blocking and O_NONBLOCK, poll and select readiness, EPIPE and
 *          SIGPIPE, SCM_RIGHTS and SCM_CREDENTIALS, a forked server with
 *          its clients; one line each:
 *            socktest: ok NAME | socktest: FAIL NAME (why)
 *            socktest: N checks, M failed     (exit status M)
 * Touches: the system calls, through musl; files under /tmp.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_PROG "socktest"
#include "check.h"

/* A call that must fail with e. */
#define CHECK_ERR(call, e, name) do {                                      \
        errno = 0;                                                         \
        long rc_ = (long)(call);                                           \
        check(rc_ == -1 && errno == (e), name, "rc %ld errno %ld", rc_, (long)errno); \
    } while (0)
#define CHECK_OK(call, name) do {                                          \
        errno = 0;                                                         \
        long rc_ = (long)(call);                                           \
        check(rc_ >= 0, name, "rc %ld errno %ld", rc_, (long)errno);       \
    } while (0)

static volatile int sigpipes;
static char dir[64];
static int on_pvkernel;

static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

/* A path name under this run's directory, as an address. */
static socklen_t path_addr(struct sockaddr_un *sa, const char *name)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    snprintf(sa->sun_path, sizeof(sa->sun_path), "%s/%s", dir, name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(sa->sun_path) + 1);
}

/* An abstract name (leading NUL), unique to this run. */
static socklen_t abstract_addr(struct sockaddr_un *sa, const char *name)
{
    int n;

    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    n = snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, "socktest-%d-%s", getpid(), name);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int exit_status(pid_t pid)
{
    int st;

    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A msghdr (musl's has padding fields: no positional initialiser). */
static struct msghdr mkmsg(void *name, socklen_t namelen, struct iovec *iov, int iovlen,
                           void *ctl, size_t ctllen)
{
    struct msghdr mh;

    memset(&mh, 0, sizeof(mh));
    mh.msg_name = name;
    mh.msg_namelen = namelen;
    mh.msg_iov = iov;
    mh.msg_iovlen = iovlen;
    mh.msg_control = ctl;
    mh.msg_controllen = ctllen;
    return mh;
}

static short poll1(int fd, short events, int ms)
{
    struct pollfd p = { fd, events, 0 };

    return poll(&p, 1, ms) == 1 ? p.revents : 0;
}

/* ---- creation and the errors of misuse ---- */

static void test_create(void)
{
    int fd, fds[2];
    int type = -1;
    socklen_t len = sizeof(type);

    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    check(fd >= 0, "socket(AF_UNIX, SOCK_STREAM)", "fd %ld errno %ld", fd, errno);
    check(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM &&
          len == sizeof(int), "SO_TYPE SOCK_STREAM", "type %ld len %ld", type, len);
    close(fd);
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    check(fd >= 0, "socket(AF_UNIX, SOCK_DGRAM)", "fd %ld errno %ld", fd, errno);
    close(fd);
    fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    check(fd >= 0, "socket(AF_UNIX, SOCK_SEQPACKET)", "fd %ld errno %ld", fd, errno);
    close(fd);
    fd = socket(AF_UNIX, SOCK_RAW, 0);
    len = sizeof(type);
    check(fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM,
          "SOCK_RAW is taken as SOCK_DGRAM", "fd %ld type %ld", fd, type);
    close(fd);
    fd = socket(AF_UNIX, SOCK_STREAM, PF_UNIX);
    check(fd >= 0, "protocol PF_UNIX accepted", "fd %ld errno %ld", fd, errno);
    close(fd);
    CHECK_ERR(socket(255, SOCK_STREAM, 0), EAFNOSUPPORT, "family 255: EAFNOSUPPORT");
    CHECK_ERR(socket(12 /* AF_DECnet, gone */, SOCK_STREAM, 0), EAFNOSUPPORT,
              "an absent family: EAFNOSUPPORT");
    CHECK_ERR(socket(AF_UNIX, SOCK_STREAM, 2), EPROTONOSUPPORT, "protocol 2: EPROTONOSUPPORT");
    CHECK_ERR(socket(AF_UNIX, 4 /* SOCK_RDM */, 0), ESOCKTNOSUPPORT, "SOCK_RDM: ESOCKTNOSUPPORT");
    CHECK_ERR(socket(AF_UNIX, 12, 0), EINVAL, "type past SOCK_MAX: EINVAL");
    CHECK_ERR(socket(AF_UNIX, SOCK_STREAM | 0x100000, 0), EINVAL, "unknown type flag: EINVAL");
    CHECK_ERR(socketpair(255, SOCK_STREAM, 0, fds), EAFNOSUPPORT, "socketpair family 255");

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    check(fd >= 0 && (fcntl(fd, F_GETFL) & O_NONBLOCK) && (fcntl(fd, F_GETFD) & FD_CLOEXEC),
          "SOCK_NONBLOCK | SOCK_CLOEXEC", "fl %#lx fd %#lx", fcntl(fd, F_GETFL), fcntl(fd, F_GETFD));
    check((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL: O_RDWR", "fl %#lx%ld",
          fcntl(fd, F_GETFL), 0);
    close(fd);

    /* Socket calls on a file that is no socket, and on no file. */
    fd = open("/dev/null", O_RDWR);
    CHECK_ERR(listen(fd, 1), ENOTSOCK, "listen on /dev/null: ENOTSOCK");
    CHECK_ERR(accept(fd, NULL, NULL), ENOTSOCK, "accept on /dev/null: ENOTSOCK");
    CHECK_ERR(send(fd, "x", 1, 0), ENOTSOCK, "send on /dev/null: ENOTSOCK");
    CHECK_ERR(shutdown(fd, SHUT_RD), ENOTSOCK, "shutdown on /dev/null: ENOTSOCK");
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len), ENOTSOCK,
              "getsockopt on /dev/null: ENOTSOCK");
    close(fd);
    CHECK_ERR(listen(99, 1), EBADF, "listen on a closed fd: EBADF");
    CHECK_ERR(connect(99, NULL, 0), EBADF, "connect on a closed fd: EBADF");
}

/* ---- a connected pair ---- */

static void test_stream_pair(void)
{
    int sv[2], n = -1, type;
    char buf[64];
    struct stat st;
    struct ucred cred;
    socklen_t len = sizeof(cred);
    struct iovec iov[3];
    struct sockaddr_un sa;

    check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair stream", "errno %ld%ld",
          errno, 0);
    check(fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode), "fstat: S_IFSOCK", "mode %#lo%ld",
          (long)st.st_mode, 0);
    CHECK_ERR(lseek(sv[0], 0, SEEK_SET), ESPIPE, "lseek: ESPIPE");
    check(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 && cred.pid == getpid() &&
          cred.uid == getuid() && len == sizeof(cred), "SO_PEERCRED of a pair: our pid",
          "pid %ld len %ld", cred.pid, len);
    check(poll1(sv[0], POLLIN | POLLOUT, 0) == POLLOUT, "poll: a fresh end is writable only",
          "revents %#lx%ld", poll1(sv[0], POLLIN | POLLOUT, 0), 0);
    check(write(sv[0], "hello", 5) == 5, "write 5 bytes", "errno %ld%ld", errno, 0);
    check(poll1(sv[1], POLLIN, 0) == POLLIN, "poll: POLLIN once bytes wait", "revents %#lx%ld",
          poll1(sv[1], POLLIN, 0), 0);
    check(ioctl(sv[1], FIONREAD, &n) == 0 && n == 5, "FIONREAD: 5", "n %ld errno %ld", n, errno);
    check(recv(sv[1], buf, 3, MSG_PEEK) == 3 && !memcmp(buf, "hel", 3), "MSG_PEEK",
          "%ld%ld", 0, 0);
    check(read(sv[1], buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5),
          "read: the bytes peeked are still there", "%ld%ld", 0, 0);
    CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN, "MSG_DONTWAIT empty: EAGAIN");
    /* stream: two writes read as one */
    (void)!write(sv[0], "ab", 2);
    (void)!write(sv[0], "cd", 2);
    check(read(sv[1], buf, sizeof(buf)) == 4 && !memcmp(buf, "abcd", 4),
          "stream: two writes read at once", "%ld%ld", 0, 0);
    iov[0] = (struct iovec){ "one ", 4 };
    iov[1] = (struct iovec){ "", 0 };
    iov[2] = (struct iovec){ "two", 3 };
    check(writev(sv[0], iov, 3) == 7, "writev", "errno %ld%ld", errno, 0);
    memset(buf, 0, sizeof(buf));
    iov[0] = (struct iovec){ buf, 2 };
    iov[1] = (struct iovec){ buf + 2, 10 };
    check(readv(sv[1], iov, 2) == 7 && !strcmp(buf, "one two"), "readv across iovecs",
          "%ld%ld", 0, 0);
    check(getsockname(sv[0], (struct sockaddr *)&sa, &(socklen_t){ sizeof(sa) }) == 0 &&
          sa.sun_family == AF_UNIX, "getsockname of a pair: AF_UNIX", "%ld%ld", 0, 0);
    len = sizeof(sa);
    check(getpeername(sv[0], (struct sockaddr *)&sa, &len) == 0 && len == 2,
          "getpeername of a pair: unnamed (2)", "len %ld%ld", len, 0);
    len = sizeof(type);
    CHECK_ERR(sendto(sv[0], "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa.sun_family) + 4),
              EISCONN, "sendto with an address on a connected stream: EISCONN");

    /* shutdown */
    CHECK_ERR(shutdown(sv[0], 7), EINVAL, "shutdown how 7: EINVAL");
    check(shutdown(sv[0], SHUT_WR) == 0, "shutdown SHUT_WR", "errno %ld%ld", errno, 0);
    check(read(sv[1], buf, sizeof(buf)) == 0, "the peer reads end of file", "%ld%ld", 0, 0);
    check((poll1(sv[1], POLLIN | POLLRDHUP, 0) & (POLLIN | POLLRDHUP)) == (POLLIN | POLLRDHUP),
          "poll: POLLRDHUP after the peer's SHUT_WR", "revents %#lx%ld",
          poll1(sv[1], POLLIN | POLLRDHUP, 0), 0);
    sigpipes = 0;
    CHECK_ERR(write(sv[0], "x", 1), EPIPE, "write after SHUT_WR: EPIPE");
    check(sigpipes == 1, "... and SIGPIPE", "sigpipes %ld%ld", sigpipes, 0);
    CHECK_ERR(send(sv[0], "x", 1, MSG_NOSIGNAL), EPIPE, "send MSG_NOSIGNAL: EPIPE");
    check(sigpipes == 1, "... without SIGPIPE", "sigpipes %ld%ld", sigpipes, 0);
    check(write(sv[1], "back", 4) == 4 && read(sv[0], buf, 4) == 4,
          "the other direction still works", "%ld%ld", 0, 0);
    close(sv[0]);
    check((poll1(sv[1], POLLIN | POLLOUT, 0) & POLLHUP) != 0, "poll: POLLHUP once the peer closed",
          "revents %#lx%ld", poll1(sv[1], POLLIN | POLLOUT, 0), 0);
    CHECK_ERR(write(sv[1], "x", 1), EPIPE, "write to a closed peer: EPIPE");
    check(sigpipes == 2, "... and SIGPIPE", "sigpipes %ld%ld", sigpipes, 0);
    close(sv[1]);

    /* Closing with bytes unread: the peer's next read is ECONNRESET. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    (void)!write(sv[1], "unread", 6);
    close(sv[0]);
    CHECK_ERR(read(sv[1], buf, sizeof(buf)), ECONNRESET,
              "peer closed with bytes unread: ECONNRESET");
    check(read(sv[1], buf, sizeof(buf)) == 0, "... then end of file", "%ld%ld", 0, 0);
    close(sv[1]);
}

/* ---- bounded buffers, blocking ---- */

static void test_buffers(void)
{
    int sv[2], v = 0;
    static char big[256 * 1024];
    long total = 0, n, fill;
    pid_t pid;
    socklen_t len = sizeof(v);

    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    while ((n = write(sv[0], big, 4096)) > 0)
        total += n;
    check(n == -1 && errno == EAGAIN && total >= 16384 && total <= 1024 * 1024,
          "O_NONBLOCK writes fill the buffer, then EAGAIN", "total %ld errno %ld", total, errno);
    check(!(poll1(sv[0], POLLOUT, 0) & POLLOUT), "poll: a full buffer is not writable",
          "revents %#lx%ld", poll1(sv[0], POLLOUT, 0), 0);
    pid = fork();
    if (pid == 0) {
        int fl = fcntl(sv[0], F_GETFL);

        fcntl(sv[0], F_SETFL, fl & ~O_NONBLOCK);    /* shared with the parent */
        _exit(write(sv[0], big, sizeof(big)) == (long)sizeof(big) ? 0 : 1);
    }
    sleep_ms(100);
    check(waitpid(pid, NULL, WNOHANG) == 0, "a blocking writer waits for room", "%ld%ld", 0, 0);
    fcntl(sv[1], F_SETFL, 0);
    fill = total;
    for (n = 0, total = 0; total < fill + (long)sizeof(big);) {
        n = read(sv[1], big, sizeof(big));
        if (n <= 0)
            break;
        total += n;
    }
    check(total == fill + (long)sizeof(big) && exit_status(pid) == 0,
          "... and finishes once the reader drains", "total %ld n %ld", total, n);
    check(setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &(int){ 32768 }, sizeof(int)) == 0 &&
          getsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, &len) == 0 && v == 65536,
          "SO_RCVBUF 32768 reads back doubled", "v %ld errno %ld", v, errno);
    close(sv[0]);
    close(sv[1]);
}

/* ---- datagrams ---- */

static void test_dgram_pair(void)
{
    int sv[2], n = -1;
    char buf[64];
    struct msghdr mh;
    struct iovec iov = { buf, 4 };

    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    (void)!write(sv[0], "first", 5);
    (void)!write(sv[0], "second", 6);
    (void)!write(sv[0], "", 0);
    check(ioctl(sv[1], FIONREAD, &n) == 0 && n == 5, "dgram FIONREAD: the next message",
          "n %ld%ld", n, 0);
    check(read(sv[1], buf, sizeof(buf)) == 5, "dgram: one message per read", "%ld%ld", 0, 0);
    memset(&mh, 0, sizeof(mh));
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    n = (int)recvmsg(sv[1], &mh, 0);
    check(n == 4 && (mh.msg_flags & MSG_TRUNC) && !memcmp(buf, "seco", 4),
          "dgram: a short buffer truncates, MSG_TRUNC", "n %ld flags %#lx", n, mh.msg_flags);
    check(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) == 0, "dgram: an empty message reads 0",
          "errno %ld%ld", errno, 0);
    (void)!write(sv[0], "sixteen bytes!!!", 16);
    check(recv(sv[1], buf, 4, MSG_TRUNC) == 16, "recv MSG_TRUNC: the real length", "%ld%ld",
          0, 0);
    close(sv[0]);
    CHECK_ERR(recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
              "dgram: a closed peer is no end of file (EAGAIN)");
    close(sv[1]);

    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
    (void)!write(sv[0], "rec1", 4);
    (void)!write(sv[0], "rec2!", 5);
    check(read(sv[1], buf, sizeof(buf)) == 4 && read(sv[1], buf, sizeof(buf)) == 5,
          "seqpacket keeps record boundaries", "%ld%ld", 0, 0);
    close(sv[0]);
    check(read(sv[1], buf, sizeof(buf)) == 0, "seqpacket: end of file once the peer closed",
          "errno %ld%ld", errno, 0);
    close(sv[1]);
}

/* ---- names, listening, connecting ---- */

static void test_named_stream(void)
{
    struct sockaddr_un sa, got;
    socklen_t alen = path_addr(&sa, "srv"), len;
    int l, c, c2, a, fd, d;
    struct stat st;
    char buf[16];

    l = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(listen(l, 5), EINVAL, "listen on an unbound socket: EINVAL");
    CHECK_ERR(bind(l, (struct sockaddr *)&sa, 1), EINVAL, "bind with addrlen 1: EINVAL");
    sa.sun_family = AF_INET;
    CHECK_ERR(bind(l, (struct sockaddr *)&sa, alen), EINVAL, "bind AF_INET address: EINVAL");
    sa.sun_family = AF_UNIX;
    check(bind(l, (struct sockaddr *)&sa, alen) == 0, "bind to a path", "errno %ld%ld", errno, 0);
    check(stat(sa.sun_path, &st) == 0 && S_ISSOCK(st.st_mode), "stat: the name is S_IFSOCK",
          "mode %#lo errno %ld", (long)st.st_mode, errno);
    CHECK_ERR(open(sa.sun_path, O_RDWR), ENXIO, "open a socket node: ENXIO");
    CHECK_ERR(bind(l, (struct sockaddr *)&sa, alen), EADDRINUSE,
              "bind a bound socket to a used path: EADDRINUSE");
    path_addr(&got, "other");
    CHECK_ERR(bind(l, (struct sockaddr *)&got, alen + 2), EINVAL,
              "bind a bound socket again: EINVAL");
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(bind(fd, (struct sockaddr *)&sa, alen), EADDRINUSE, "bind a used path: EADDRINUSE");
    close(fd);
    len = sizeof(got);
    check(getsockname(l, (struct sockaddr *)&got, &len) == 0 && len == alen &&
          !strcmp(got.sun_path, sa.sun_path), "getsockname: the path, its length with the NUL",
          "len %ld want %ld", len, alen);
    len = 4;
    memset(&got, 0x55, sizeof(got));
    check(getsockname(l, (struct sockaddr *)&got, &len) == 0 && len == alen &&
          got.sun_path[2] == 0x55, "getsockname into 4 bytes: truncated, full length",
          "len %ld%ld", len, 0);
    len = sizeof(got);
    CHECK_ERR(getpeername(l, (struct sockaddr *)&got, &len), ENOTCONN,
              "getpeername unconnected: ENOTCONN");
    CHECK_ERR(accept(l, NULL, NULL), EINVAL, "accept before listen: EINVAL");
    CHECK_ERR(read(l, buf, 1), EINVAL, "read on an unconnected stream: EINVAL");
    CHECK_ERR(write(l, "x", 1), ENOTCONN, "write on an unconnected stream: ENOTCONN");
    check(listen(l, 1) == 0, "listen", "errno %ld%ld", errno, 0);
    check(poll1(l, POLLIN | POLLOUT, 0) == 0, "poll: a listener with nothing pending: nothing",
          "revents %#lx%ld", poll1(l, POLLIN | POLLOUT, 0), 0);
    fcntl(l, F_SETFL, O_NONBLOCK);
    CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "non-blocking accept, nothing pending: EAGAIN");

    c = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check(connect(c, (struct sockaddr *)&sa, alen) == 0,
          "non-blocking connect to a listener: 0 at once", "errno %ld%ld", errno, 0);
    check(write(c, "early", 5) == 5, "the client writes before accept", "errno %ld%ld", errno, 0);
    check(poll1(l, POLLIN, 0) == POLLIN, "poll: the listener is readable", "revents %#lx%ld",
          poll1(l, POLLIN, 0), 0);
    len = sizeof(got);
    memset(&got, 0x55, sizeof(got));
    a = accept4(l, (struct sockaddr *)&got, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    check(a >= 0 && len == 2 && got.sun_family == AF_UNIX,
          "accept4: the unnamed client's address (2 bytes)", "a %ld len %ld", a, len);
    check((fcntl(a, F_GETFL) & O_NONBLOCK) && (fcntl(a, F_GETFD) & FD_CLOEXEC),
          "accept4 flags on the new descriptor", "fl %#lx fd %#lx", fcntl(a, F_GETFL),
          fcntl(a, F_GETFD));
    check(read(a, buf, sizeof(buf)) == 5 && !memcmp(buf, "early", 5), "the server reads it",
          "%ld%ld", 0, 0);
    len = sizeof(got);
    check(getsockname(a, (struct sockaddr *)&got, &len) == 0 && len == alen,
          "getsockname of an accepted socket: the listener's name", "len %ld%ld", len, 0);
    len = sizeof(got);
    check(getpeername(c, (struct sockaddr *)&got, &len) == 0 && len == alen &&
          !strcmp(got.sun_path, sa.sun_path), "getpeername of the client: the path",
          "len %ld%ld", len, 0);
    {
        struct ucred cr;
        socklen_t cl = sizeof(cr);

        check(getsockopt(a, SOL_SOCKET, SO_PEERCRED, &cr, &cl) == 0 && cr.pid == getpid(),
              "SO_PEERCRED: the connecting process", "pid %ld%ld", cr.pid, 0);
    }
    CHECK_ERR(connect(c, (struct sockaddr *)&sa, alen), EISCONN, "connect again: EISCONN");
    CHECK_ERR(connect(l, (struct sockaddr *)&sa, alen), EINVAL, "connect a listener: EINVAL");

    /* The backlog: listen(1) takes two pending connections, then waits. */
    c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    d = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    check(connect(c2, (struct sockaddr *)&sa, alen) == 0 &&
          connect(fd, (struct sockaddr *)&sa, alen) == 0, "backlog 1: two pending connects",
          "errno %ld%ld", errno, 0);
    CHECK_ERR(connect(d, (struct sockaddr *)&sa, alen), EAGAIN,
              "a full backlog, non-blocking: EAGAIN");
    close(d);
    close(fd);
    close(c2);

    /* A dgram socket to a stream listener; a regular file; nothing. */
    d = socket(AF_UNIX, SOCK_DGRAM, 0);
    CHECK_ERR(connect(d, (struct sockaddr *)&sa, alen), EPROTOTYPE,
              "dgram connect to a stream socket: EPROTOTYPE");
    CHECK_ERR(listen(d, 1), EOPNOTSUPP, "listen on a dgram socket: EOPNOTSUPP");
    CHECK_ERR(accept(d, NULL, NULL), EOPNOTSUPP, "accept on a dgram socket: EOPNOTSUPP");
    close(d);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    path_addr(&got, "nosuch");
    CHECK_ERR(connect(fd, (struct sockaddr *)&got, alen + 3), ENOENT, "connect to nothing: ENOENT");
    CHECK_ERR(connect(c, (struct sockaddr *)&got, alen + 3), ENOENT,
              "a connected socket to nothing: ENOENT (the name first)");
    path_addr(&got, "file");
    close(open(got.sun_path, O_CREAT | O_WRONLY, 0644));
    CHECK_ERR(connect(fd, (struct sockaddr *)&got, alen + 1), ECONNREFUSED,
              "connect to a regular file: ECONNREFUSED");
    unlink(got.sun_path);
    CHECK_ERR(connect(fd, (struct sockaddr *)&sa, 2), EINVAL, "connect with addrlen 2: EINVAL");
    close(a);
    close(c);
    close(l);
    CHECK_ERR(connect(fd, (struct sockaddr *)&sa, alen), ECONNREFUSED,
              "connect after the listener closed: ECONNREFUSED");
    check(stat(sa.sun_path, &st) == 0, "the name outlives its socket", "errno %ld%ld", errno, 0);
    check(unlink(sa.sun_path) == 0, "unlink the name", "errno %ld%ld", errno, 0);
    CHECK_ERR(connect(fd, (struct sockaddr *)&sa, alen), ENOENT, "connect after unlink: ENOENT");
    close(fd);
}

/* The listener closes with a connection never accepted: the client reset. */
static void test_unaccepted(void)
{
    struct sockaddr_un sa;
    socklen_t alen = path_addr(&sa, "unacc");
    int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0);
    char b;

    bind(l, (struct sockaddr *)&sa, alen);
    listen(l, 4);
    connect(c, (struct sockaddr *)&sa, alen);
    close(l);
    CHECK_ERR(read(c, &b, 1), ECONNRESET, "listener closed before accept: ECONNRESET");
    check(read(c, &b, 1) == 0, "... then end of file", "errno %ld%ld", errno, 0);
    close(c);
    unlink(sa.sun_path);
}

/* ---- abstract names and autobind ---- */

static void test_abstract(void)
{
    struct sockaddr_un sa, got;
    socklen_t alen = abstract_addr(&sa, "abs"), len;
    int l = socket(AF_UNIX, SOCK_STREAM, 0), c, a, fd;

    check(bind(l, (struct sockaddr *)&sa, alen) == 0, "bind an abstract name", "errno %ld%ld",
          errno, 0);
    len = sizeof(got);
    check(getsockname(l, (struct sockaddr *)&got, &len) == 0 && len == alen &&
          got.sun_path[0] == 0 && !memcmp(got.sun_path, sa.sun_path, alen - 2),
          "getsockname: the abstract name, its exact length", "len %ld want %ld", len, alen);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK_ERR(bind(fd, (struct sockaddr *)&sa, alen), EADDRINUSE, "abstract name in use");
    close(fd);
    listen(l, 2);
    c = socket(AF_UNIX, SOCK_STREAM, 0);
    check(connect(c, (struct sockaddr *)&sa, alen) == 0, "connect to an abstract name",
          "errno %ld%ld", errno, 0);
    CHECK_ERR(connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *)&sa, alen - 1),
              ECONNREFUSED, "a prefix of the name is another name: ECONNREFUSED");
    a = accept(l, NULL, NULL);
    check(a >= 0 && write(c, "x", 1) == 1, "accept from an abstract listener", "%ld%ld", a, 0);
    close(a);
    close(c);
    close(l);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    check(bind(fd, (struct sockaddr *)&sa, alen) == 0, "the abstract name is free once closed",
          "errno %ld%ld", errno, 0);
    close(fd);

    /* autobind */
    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    check(bind(fd, (struct sockaddr *)&(sa_family_t){ AF_UNIX }, sizeof(sa_family_t)) == 0,
          "bind with only the family: autobind", "errno %ld%ld", errno, 0);
    len = sizeof(got);
    check(getsockname(fd, (struct sockaddr *)&got, &len) == 0 && len == 8 && got.sun_path[0] == 0,
          "autobind: an abstract name of 5 hex digits", "len %ld%ld", len, 0);
    check(bind(fd, (struct sockaddr *)&(sa_family_t){ AF_UNIX }, sizeof(sa_family_t)) == 0,
          "autobind again: 0", "errno %ld%ld", errno, 0);
    close(fd);
}

/* ---- a /dev/log-style datagram server ---- */

static void test_dgram_named(void)
{
    struct sockaddr_un sa, from, sa2;
    socklen_t alen = path_addr(&sa, "log"), len;
    int srv = socket(AF_UNIX, SOCK_DGRAM, 0), cl, other, third, n;
    char buf[128];
    long sent = 0;

    check(bind(srv, (struct sockaddr *)&sa, alen) == 0, "dgram bind /tmp/.../log",
          "errno %ld%ld", errno, 0);
    cl = socket(AF_UNIX, SOCK_DGRAM, 0);
    check(sendto(cl, "<13>hello", 9, 0, (struct sockaddr *)&sa, alen) == 9,
          "sendto the path from an unnamed socket", "errno %ld%ld", errno, 0);
    len = sizeof(from);
    n = (int)recvfrom(srv, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    check(n == 9 && len == 0, "recvfrom: the message, no sender name (addrlen 0)",
          "n %ld len %ld", n, len);
    CHECK_ERR(send(cl, "x", 1, 0), ENOTCONN, "send unconnected dgram: ENOTCONN");
    check(connect(cl, (struct sockaddr *)&sa, alen) == 0 && send(cl, "conn", 4, 0) == 4,
          "connect a dgram socket, then send", "errno %ld%ld", errno, 0);
    check(recv(srv, buf, sizeof(buf), 0) == 4, "... the server gets it", "%ld%ld", 0, 0);
    len = sizeof(from);
    check(getpeername(cl, (struct sockaddr *)&from, &len) == 0 && len == alen,
          "getpeername of a connected dgram socket", "len %ld%ld", len, 0);
    /* SO_PASSCRED: the sender autobinds, the receiver gets credentials */
    setsockopt(cl, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
    setsockopt(srv, SOL_SOCKET, SO_PASSCRED, &(int){ 1 }, sizeof(int));
    send(cl, "cred", 4, 0);
    {
        union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(struct ucred))]; } ctl;
        struct iovec iov = { buf, sizeof(buf) };
        struct msghdr mh = mkmsg(&from, sizeof(from), &iov, 1, &ctl, sizeof(ctl));
        struct cmsghdr *cm;
        struct ucred uc = { 0, 0, 0 };

        n = (int)recvmsg(srv, &mh, 0);
        cm = CMSG_FIRSTHDR(&mh);
        if (cm && cm->cmsg_type == SCM_CREDENTIALS)
            memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
        check(n == 4 && mh.msg_namelen == 8 && from.sun_path[0] == 0,
              "SO_PASSCRED sender: autobound, its name reaches recvmsg", "n %ld namelen %ld", n,
              mh.msg_namelen);
        check(cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS &&
              uc.pid == getpid(), "SCM_CREDENTIALS: the sender's pid", "pid %ld%ld", uc.pid, 0);
    }
    setsockopt(srv, SOL_SOCKET, SO_PASSCRED, &(int){ 0 }, sizeof(int));
    /* A socket connected to another (third) does not take our datagrams. */
    other = socket(AF_UNIX, SOCK_DGRAM, 0);
    third = socket(AF_UNIX, SOCK_DGRAM, 0);
    alen = path_addr(&sa2, "log3");
    bind(third, (struct sockaddr *)&sa2, alen);
    connect(other, (struct sockaddr *)&sa2, alen);
    unlink(sa2.sun_path);
    alen = path_addr(&sa2, "log2");
    bind(other, (struct sockaddr *)&sa2, alen);
    CHECK_ERR(sendto(srv, "x", 1, 0, (struct sockaddr *)&sa2, alen), EPERM,
              "sendto a socket connected elsewhere: EPERM");
    close(other);
    close(third);
    unlink(sa2.sun_path);
    path_addr(&sa2, "nolog");
    CHECK_ERR(sendto(srv, "x", 1, 0, (struct sockaddr *)&sa2, alen + 2), ENOENT,
              "sendto a missing path: ENOENT");
    /* Fill the server's queue without blocking. */
    while (send(cl, buf, 100, MSG_DONTWAIT) == 100)
        sent++;
    check(errno == EAGAIN && sent >= 1, "a full dgram queue: EAGAIN", "sent %ld errno %ld", sent,
          errno);
    check(!(poll1(cl, POLLOUT, 0) & POLLOUT), "poll: not writable to a full peer",
          "revents %#lx%ld", poll1(cl, POLLOUT, 0), 0);
    recv(srv, buf, sizeof(buf), 0);
    check(send(cl, buf, 100, MSG_DONTWAIT) == 100, "room again after one recv",
          "errno %ld%ld", errno, 0);
    close(srv);
    CHECK_ERR(send(cl, "x", 1, 0), ECONNREFUSED, "send to a closed peer: ECONNREFUSED");
    CHECK_ERR(send(cl, "x", 1, 0), ENOTCONN, "... then unconnected: ENOTCONN");
    close(cl);
    unlink(sa.sun_path);
}

/* ---- descriptors passed ---- */

static void test_rights(void)
{
    int sv[2], pfd[2], got = -1, n;
    char buf[16];
    union { struct cmsghdr h; char b[CMSG_SPACE(2 * sizeof(int))]; } ctl;
    struct iovec iov = { "F", 1 };
    struct msghdr mh = mkmsg(NULL, 0, &iov, 1, &ctl, CMSG_SPACE(sizeof(int)));
    struct cmsghdr *cm;

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(pfd);
    memset(&ctl, 0, sizeof(ctl));
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &pfd[1], sizeof(int));
    check(sendmsg(sv[0], &mh, 0) == 1, "sendmsg SCM_RIGHTS", "errno %ld%ld", errno, 0);
    close(pfd[1]);
    memset(&ctl, 0, sizeof(ctl));
    iov = (struct iovec){ buf, sizeof(buf) };
    mh = mkmsg(NULL, 0, &iov, 1, &ctl, sizeof(ctl));
    n = (int)recvmsg(sv[1], &mh, MSG_CMSG_CLOEXEC);
    cm = CMSG_FIRSTHDR(&mh);
    if (cm && cm->cmsg_type == SCM_RIGHTS)
        memcpy(&got, CMSG_DATA(cm), sizeof(int));
    check(n == 1 && cm && cm->cmsg_len == CMSG_LEN(sizeof(int)) && got >= 0,
          "recvmsg: a new descriptor", "n %ld got %ld", n, got);
    check((fcntl(got, F_GETFD) & FD_CLOEXEC) != 0, "MSG_CMSG_CLOEXEC", "%ld%ld", 0, 0);
    check(write(got, "via", 3) == 3 && read(pfd[0], buf, 3) == 3 && !memcmp(buf, "via", 3),
          "the passed pipe end works", "%ld%ld", 0, 0);
    close(got);

    /* No room for it: MSG_CTRUNC, and the descriptor is not installed. */
    mh = mkmsg(NULL, 0, &(struct iovec){ "G", 1 }, 1, &ctl, CMSG_SPACE(sizeof(int)));
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &pfd[0], sizeof(int));
    sendmsg(sv[0], &mh, 0);
    iov = (struct iovec){ buf, sizeof(buf) };
    mh = mkmsg(NULL, 0, &iov, 1, NULL, 0);
    n = (int)recvmsg(sv[1], &mh, 0);
    check(n == 1 && (mh.msg_flags & MSG_CTRUNC) && mh.msg_controllen == 0,
          "no control buffer: MSG_CTRUNC", "n %ld flags %#lx", n, mh.msg_flags);
    /* A bad descriptor in SCM_RIGHTS */
    mh = mkmsg(NULL, 0, &(struct iovec){ "H", 1 }, 1, &ctl, CMSG_SPACE(sizeof(int)));
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &(int){ 77 }, sizeof(int));
    CHECK_ERR(sendmsg(sv[0], &mh, 0), EBADF, "SCM_RIGHTS of a closed fd: EBADF");
    cm->cmsg_len = 4;
    CHECK_ERR(sendmsg(sv[0], &mh, 0), EINVAL, "a cmsg_len too short: EINVAL");
    close(pfd[0]);
    close(sv[0]);
    close(sv[1]);

    /* A descriptor never received goes when its socket closes: the pipe's
     * reader sees end of file. */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(pfd);
    mh = mkmsg(NULL, 0, &(struct iovec){ "I", 1 }, 1, &ctl, CMSG_SPACE(sizeof(int)));
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &pfd[1], sizeof(int));
    sendmsg(sv[0], &mh, 0);
    close(pfd[1]);
    close(sv[1]);
    check(read(pfd[0], buf, 1) == 0, "an unreceived descriptor is closed with its socket",
          "errno %ld%ld", errno, 0);
    close(pfd[0]);
    close(sv[0]);
}

/* ---- options ---- */

static void test_options(void)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0), v = -1;
    socklen_t len = sizeof(v);

    check(getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0, "SO_ERROR 0",
          "v %ld%ld", v, 0);
    check(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, sizeof(int)) == 0,
          "SO_REUSEADDR accepted", "errno %ld%ld", errno, 0);
    check(setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &(int){ 8192 }, sizeof(int)) == 0,
          "SO_SNDBUF accepted", "errno %ld%ld", errno, 0);
    CHECK_ERR(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &(int){ 1 }, 2), EINVAL,
              "setsockopt optlen 2: EINVAL");
    CHECK_ERR(setsockopt(fd, SOL_SOCKET, 9999, &(int){ 1 }, sizeof(int)), ENOPROTOOPT,
              "setsockopt unknown option: ENOPROTOOPT");
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, 9999, &v, &len), ENOPROTOOPT,
              "getsockopt unknown option: ENOPROTOOPT");
    CHECK_ERR(setsockopt(fd, 6 /* SOL_TCP */, 1, &(int){ 1 }, sizeof(int)), EOPNOTSUPP,
              "setsockopt SOL_TCP: EOPNOTSUPP");
    CHECK_ERR(getsockopt(fd, 6, 1, &v, &len), EOPNOTSUPP, "getsockopt SOL_TCP: EOPNOTSUPP");
    len = (socklen_t)-1;
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len), EINVAL,
              "getsockopt negative optlen: EINVAL");
    close(fd);
}

/* ---- a forked server and its clients ---- */

static void test_fork_server(void)
{
    struct sockaddr_un sa;
    socklen_t alen = path_addr(&sa, "echo");
    int l = socket(AF_UNIX, SOCK_STREAM, 0), i, ok = 0;
    pid_t srv;

    bind(l, (struct sockaddr *)&sa, alen);
    listen(l, 8);
    srv = fork();
    if (srv == 0) {                     /* echo three clients, one at a time */
        for (i = 0; i < 3; i++) {
            int a = accept(l, NULL, NULL);
            char b[64];
            long n;

            if (a < 0)
                _exit(1);
            while ((n = read(a, b, sizeof(b))) > 0)
                if (write(a, b, (size_t)n) != n)
                    _exit(2);
            close(a);
        }
        _exit(0);
    }
    close(l);
    for (i = 0; i < 3; i++) {
        pid_t c = fork();

        if (c == 0) {
            int fd = socket(AF_UNIX, SOCK_STREAM, 0);
            char b[32], msg[32];
            int len = snprintf(msg, sizeof(msg), "client %d", i);

            if (connect(fd, (struct sockaddr *)&sa, alen))
                _exit(3);
            if (write(fd, msg, (size_t)len) != len)
                _exit(4);
            shutdown(fd, SHUT_WR);
            if (read(fd, b, sizeof(b)) != len || memcmp(b, msg, (size_t)len))
                _exit(5);
            _exit(read(fd, b, sizeof(b)) == 0 ? 0 : 6);
        }
        ok += exit_status(c) == 0;
    }
    check(ok == 3, "three forked clients echoed by a forked server", "ok %ld%ld", ok, 0);
    check(exit_status(srv) == 0, "the server exits cleanly", "%ld%ld", 0, 0);
    unlink(sa.sun_path);

    /* A child blocked in accept, woken by a connect; select on the pair. */
    {
        int sv[2];
        fd_set rf;
        struct timeval tv = { 1, 0 };
        char b;

        socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
        srv = fork();
        if (srv == 0) {
            sleep_ms(50);
            _exit(write(sv[1], "z", 1) == 1 ? 0 : 1);
        }
        FD_ZERO(&rf);
        FD_SET(sv[0], &rf);
        check(select(sv[0] + 1, &rf, NULL, NULL, &tv) == 1 && FD_ISSET(sv[0], &rf) &&
              read(sv[0], &b, 1) == 1, "select wakes when the child writes", "%ld%ld", 0, 0);
        check(exit_status(srv) == 0, "... the child exits", "%ld%ld", 0, 0);
        srv = fork();
        if (srv == 0) {
            sleep_ms(50);
            _exit(0);                   /* its copy of sv[1] goes with it */
        }
        close(sv[1]);
        check(read(sv[0], &b, 1) == 0, "a blocked reader sees end of file when the last "
              "holder exits", "%ld%ld", 0, 0);
        exit_status(srv);
        close(sv[0]);
    }
}

/* ---- more corners: seqpacket listener, MSG_WAITALL, EINTR, a socket
 * passed over a socket, AF_UNSPEC, limits ---- */

static void on_alarm(int sig) { (void)sig; }

static void test_corners(void)
{
    struct sockaddr_un sa;
    socklen_t alen = abstract_addr(&sa, "seq");
    int l = socket(AF_UNIX, SOCK_SEQPACKET, 0), c = socket(AF_UNIX, SOCK_SEQPACKET, 0), a = -1, v = 0;
    int sv[2], got = -1, n;
    socklen_t len = sizeof(v);
    char buf[64];
    struct sigaction act;
    pid_t pid;

    bind(l, (struct sockaddr *)&sa, alen);
    check(listen(l, 1) == 0 && getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v == 1,
          "seqpacket listen; SO_ACCEPTCONN 1", "v %ld errno %ld", v, errno);
    check(connect(c, (struct sockaddr *)&sa, alen) == 0 && (a = accept(l, NULL, NULL)) >= 0,
          "seqpacket connect and accept", "errno %ld%ld", errno, 0);
    (void)!write(c, "abc", 3);
    (void)!write(c, "defg", 4);
    check(read(a, buf, 2) == 2 && read(a, buf, sizeof(buf)) == 4,
          "seqpacket: a short read drops the record's rest", "%ld%ld", 0, 0);
    close(a);
    close(c);
    close(l);

    /* MSG_WAITALL waits for the whole length. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid = fork();
    if (pid == 0) {
        (void)!write(sv[1], "12345", 5);
        sleep_ms(50);
        (void)!write(sv[1], "67890", 5);
        _exit(0);
    }
    check(recv(sv[0], buf, 10, MSG_WAITALL) == 10 && !memcmp(buf, "1234567890", 10),
          "MSG_WAITALL: both writes in one recv", "%ld%ld", 0, 0);
    exit_status(pid);

    /* A handler without SA_RESTART interrupts a blocked recv: EINTR. */
    memset(&act, 0, sizeof(act));
    act.sa_handler = on_alarm;
    sigaction(SIGALRM, &act, NULL);
    alarm(1);
    CHECK_ERR(recv(sv[0], buf, 1, 0), EINTR, "a signal interrupts a blocked recv: EINTR");
    signal(SIGALRM, SIG_DFL);

    /* A socket passed over a socket still works in the receiver. */
    {
        int pair[2];
        union { struct cmsghdr h; char b[CMSG_SPACE(sizeof(int))]; } ctl;
        struct iovec iov = { "S", 1 };
        struct msghdr mh = mkmsg(NULL, 0, &iov, 1, &ctl, sizeof(ctl));
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

        socketpair(AF_UNIX, SOCK_DGRAM, 0, pair);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &pair[1], sizeof(int));
        sendmsg(sv[1], &mh, 0);
        close(pair[1]);
        iov = (struct iovec){ buf, sizeof(buf) };
        mh = mkmsg(NULL, 0, &iov, 1, &ctl, sizeof(ctl));
        n = (int)recvmsg(sv[0], &mh, 0);
        cm = CMSG_FIRSTHDR(&mh);
        if (cm && cm->cmsg_type == SCM_RIGHTS)
            memcpy(&got, CMSG_DATA(cm), sizeof(int));
        check(n == 1 && got >= 0 && write(got, "sock", 4) == 4 && read(pair[0], buf, 8) == 4,
              "a socket passed with SCM_RIGHTS carries on", "n %ld got %ld", n, got);
        close(got);
        close(pair[0]);
    }
    close(sv[0]);
    close(sv[1]);

    /* AF_UNSPEC forgets a datagram socket's peer. */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    check(connect(sv[0], (struct sockaddr *)&(sa_family_t){ AF_UNSPEC }, sizeof(sa_family_t)) == 0,
          "dgram connect AF_UNSPEC", "errno %ld%ld", errno, 0);
    CHECK_ERR(send(sv[0], "x", 1, 0), ENOTCONN, "... then send: ENOTCONN");
    {
        struct msghdr mh = mkmsg(NULL, 0, (struct iovec *)buf, 1025, NULL, 0);

        CHECK_ERR(sendmsg(sv[1], &mh, 0), EMSGSIZE, "sendmsg with 1025 iovecs: EMSGSIZE");
    }
    close(sv[0]);
    close(sv[1]);
}

/* ---- pvkernel only: no page lost ---- */

static void test_frames(void)
{
    struct sysinfo si;
    unsigned long before, after;
    int i, sv[2];
    char b[8192] = { 0 };

    if (!on_pvkernel)
        return;
    for (i = 0; i < 2; i++) {           /* warm the heap */
        socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
        (void)!write(sv[0], b, sizeof(b));
        close(sv[0]);
        close(sv[1]);
    }
    sysinfo(&si);
    before = si.freeram / 4096;
    for (i = 0; i < 20; i++) {
        socketpair(AF_UNIX, i & 1 ? SOCK_DGRAM : SOCK_STREAM, 0, sv);
        (void)!write(sv[0], b, sizeof(b));
        (void)!write(sv[1], b, 100);
        close(sv[0]);
        close(sv[1]);
    }
    sysinfo(&si);
    after = si.freeram / 4096;
    printf("socktest: free frames before 20 socket pairs (%lu), after %lu\n", before, after);
    check(before == after, "20 socket pairs with unread data leave the frame count",
          "before %ld after %ld", (long)before, (long)after);
}

int main(void)
{
    struct utsname u;

    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_sigpipe);
    uname(&u);
    on_pvkernel = strstr(u.release, "pvkernel") != NULL;
    snprintf(dir, sizeof(dir), "/tmp/socktest.%d", getpid());
    mkdir(dir, 0700);
    test_create();
    test_stream_pair();
    test_buffers();
    test_dgram_pair();
    test_named_stream();
    test_unaccepted();
    test_abstract();
    test_dgram_named();
    test_rights();
    test_options();
    test_fork_server();
    test_corners();
    test_frames();
    rmdir(dir);
    return check_report();
}
