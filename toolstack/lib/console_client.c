/* SPDX-License-Identifier: MIT */
/*
 * console_client.c - the client side of pvconsoled's socket
 *                    (console_client.h).
 * Owns:    the connection of one call; the terminal's mode during attach.
 * Touches: a unix socket, in_fd's termios, in_fd and out_fd.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "console_client.h"

static int cons_connect(const char *sock)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (!sock)
        sock = PVCONS_SOCKET;
    if (strlen(sock) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

static int write_all(int fd, const void *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return w < 0 ? -errno : -EIO;
        p = (const char *)p + w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one reply line, a byte at a time so that nothing after it (the
 * console's stream) is taken. 0, or -errno (-EPIPE: closed early). */
static int read_line(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    while (n + 1 < cap) {
        char ch;
        ssize_t r = read(fd, &ch, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? -errno : -EPIPE;
        if (ch == '\n')
            break;
        buf[n++] = ch;
    }
    buf[n] = '\0';
    return 0;
}

int pvcons_command(const char *sock, const char *cmd, char *reply,
                   size_t replylen)
{
    int fd = cons_connect(sock);
    if (fd < 0) {
        snprintf(reply, replylen, "%s: %s", sock ? sock : PVCONS_SOCKET,
                 strerror(-fd));
        return fd;
    }
    char line[300];
    int rc = snprintf(line, sizeof(line), "%s\n", cmd);
    if (rc < 0 || (size_t)rc >= sizeof(line)) {
        close(fd);
        snprintf(reply, replylen, "command too long");
        return -EINVAL;
    }
    rc = write_all(fd, line, strlen(line));
    size_t n = 0;
    while (rc == 0 && n + 1 < replylen) {
        ssize_t r = read(fd, reply + n, replylen - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    reply[n] = '\0';
    if (rc < 0)
        return rc;
    /* The answer's last line is "ok" or "error: ...". */
    size_t len = strlen(reply);
    while (len && reply[len - 1] == '\n')
        reply[--len] = '\0';
    const char *last = strrchr(reply, '\n');
    last = last ? last + 1 : reply;
    return strcmp(last, "ok") == 0 ? 0 : -EIO;
}

/* Moves the guest's output to out_fd. False at end of file. */
static bool pump_output(int fd, int out_fd, int *rc)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0) {
        *rc = PVCONS_CLOSED;
        return false;
    }
    write_all(out_fd, buf, (size_t)n);
    return true;
}

/* Moves the user's input to the daemon. False on Ctrl-]. */
static bool pump_input(int in_fd, int fd, bool *in_eof, int *rc)
{
    char buf[1024];
    ssize_t n = read(in_fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0) {
        *in_eof = true;     /* keep showing output until the guest ends */
        return true;
    }
    char *detach = memchr(buf, PVCONS_DETACH_CHAR, (size_t)n);
    size_t len = detach ? (size_t)(detach - buf) : (size_t)n;
    if (len && write_all(fd, buf, len) < 0) {
        *rc = PVCONS_CLOSED;
        return false;
    }
    if (detach) {
        *rc = PVCONS_DETACHED;
        return false;
    }
    return true;
}

int pvcons_attach(const char *sock, uint32_t dom, int in_fd, int out_fd,
                  char *err, size_t errlen)
{
    int fd = cons_connect(sock);
    if (fd < 0) {
        snprintf(err, errlen, "cannot reach the console daemon at %s: %s",
                 sock ? sock : PVCONS_SOCKET, strerror(-fd));
        return fd;
    }
    char line[300];
    snprintf(line, sizeof(line), "attach %u\n", dom);
    int rc = write_all(fd, line, strlen(line));
    if (rc == 0)
        rc = read_line(fd, line, sizeof(line));
    if (rc < 0 || strcmp(line, "ok")) {
        snprintf(err, errlen, "%s", rc < 0 ? strerror(-rc) :
                 !strncmp(line, "error: ", 7) ? line + 7 : line);
        close(fd);
        return rc < 0 ? rc : -EIO;
    }
    struct termios saved, raw;
    bool tty = isatty(in_fd) && tcgetattr(in_fd, &saved) == 0;
    if (tty) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(in_fd, TCSANOW, &raw);
    }
    bool in_eof = false;
    rc = PVCONS_CLOSED;
    for (;;) {
        struct pollfd p[2] = {
            { .fd = fd, .events = POLLIN },
            { .fd = in_eof ? -1 : in_fd, .events = POLLIN },
        };
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            break;
        }
        if (p[0].revents && !pump_output(fd, out_fd, &rc))
            break;
        if (p[1].revents && !pump_input(in_fd, fd, &in_eof, &rc))
            break;
    }
    if (tty)
        tcsetattr(in_fd, TCSANOW, &saved);
    close(fd);
    return rc;
}
