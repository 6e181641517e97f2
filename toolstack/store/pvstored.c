/* SPDX-License-Identifier: MIT */
/*
 * pvstored.c - the store daemon: serves the xenstore protocol (store.c)
 *              to dom0's tools over a local unix socket.
 * Owns:    the listening socket, one store connection per accepted client,
 *          the poll loop.
 * Touches: the filesystem (the socket's path), nothing else.
 * Trusts:  nothing a client sends: store.c checks every request; a client
 *          whose frames cannot be parsed is disconnected, the daemon goes
 *          on.
 *
 * Transports. The socket serves dom0's tools (every socket client
 * speaks for dom0, as xenstored's socket does), in dom0 (pvkernel's
 * AF_UNIX sockets) and on the host. Guests are served on their ring pages
 * (store_guest.c: mapped at XS_INTRODUCE by grant, signalled by event
 * channel) when dom0's evtchn and privcmd devices open (pvback_dev.c);
 * without them (the host, or -n) the daemon serves the socket alone. The
 * same store_conn_input()/store_conn_output() carry both.
 *
 * Usage: pvstored [-n] [-s SOCKET] (default /run/pvstored/socket);
 *        -n: no guest rings, even where the devices exist.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "pvback.h"
#include "store.h"
#include "store_guest.h"

#define DEFAULT_SOCKET "/run/pvstored/socket"
#define MAX_CLIENTS 256        /* dom0 tools at once: a pvctl monitor per guest */

struct client {
    int fd;
    struct store_conn *conn;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static int listen_on(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "pvstored: socket path too long: %s\n", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    char dir[sizeof(sa.sun_path)];
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0755);   /* may exist; bind() reports a real problem */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("pvstored: socket");
        return -1;
    }
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(fd, 16) < 0) {
        fprintf(stderr, "pvstored: %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void client_close(struct client *cl)
{
    store_conn_free(cl->conn);
    close(cl->fd);
    cl->fd = -1;
    cl->conn = NULL;
}

/* Reads what the client sent; false if it must be closed. */
static bool client_read(struct client *cl)
{
    char buf[4096];
    ssize_t n = read(cl->fd, buf, sizeof(buf));
    if (n <= 0)
        return n < 0 && errno == EINTR;
    return store_conn_input(cl->conn, buf, (size_t)n) == 0;
}

/* Writes what is queued for the client; false if it must be closed. */
static bool client_write(struct client *cl)
{
    size_t len;
    const void *p;
    while ((p = store_conn_output(cl->conn, &len)) != NULL) {
        ssize_t n = send(cl->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR;
        store_conn_consume(cl->conn, (size_t)n);
    }
    return true;
}

/* Guests: NULL when the daemon serves the socket alone. */
static int serve(int lfd, struct store *s, struct store_guests *guests,
                 int evfd)
{
    static struct client cl[MAX_CLIENTS];
    struct pollfd pfd[MAX_CLIENTS + 2];
    bool again = false;
    for (int i = 0; i < MAX_CLIENTS; i++)
        cl[i].fd = -1;
    while (!stop) {
        /* Guest output queued by the last round's socket requests (watch
         * events) and rings with requests left go out first. */
        if (guests)
            again = store_guests_run(guests);
        pfd[MAX_CLIENTS + 1] = (struct pollfd){ .fd = evfd, .events = POLLIN };
        pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
        for (int i = 0; i < MAX_CLIENTS; i++) {
            size_t len;
            pfd[i + 1] = (struct pollfd){ .fd = cl[i].fd, .events = POLLIN };
            if (cl[i].fd >= 0 && store_conn_output(cl[i].conn, &len))
                pfd[i + 1].events |= POLLOUT;
        }
        if (poll(pfd, MAX_CLIENTS + 2, again ? 0 : -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("pvstored: poll");
            return 1;
        }
        if (pfd[0].revents & POLLIN) {
            int fd = accept(lfd, NULL, NULL);
            int i = 0;
            while (fd >= 0 && i < MAX_CLIENTS && cl[i].fd >= 0)
                i++;
            if (fd >= 0 && i < MAX_CLIENTS &&
                (cl[i].conn = store_conn_new(s, 0)) != NULL)
                cl[i].fd = fd;
            else if (fd >= 0)
                close(fd);  /* full: the client sees end-of-file */
        }
        for (int i = 0; i < MAX_CLIENTS; i++) {
            short ev = pfd[i + 1].revents;
            if (cl[i].fd < 0 || !ev)
                continue;
            bool ok = true;
            if (ev & (POLLIN | POLLHUP | POLLERR))
                ok = client_read(&cl[i]);
            if (ok)
                ok = client_write(&cl[i]);
            if (!ok)
                client_close(&cl[i]);
        }
        /* Events a request queued on other clients go out next round:
         * POLLOUT is asked for whoever has output. */
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *path = DEFAULT_SOCKET;
    bool rings = true;
    int opt;
    while ((opt = getopt(argc, argv, "ns:h")) != -1) {
        if (opt == 's') {
            path = optarg;
        } else if (opt == 'n') {
            rings = false;
        } else {
            fprintf(stderr, "usage: pvstored [-n] [-s SOCKET]  (default %s)\n",
                    DEFAULT_SOCKET);
            return opt == 'h' ? 0 : 2;
        }
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    struct store *s = store_new(NULL);
    if (!s) {
        fprintf(stderr, "pvstored: out of memory\n");
        return 1;
    }
    int lfd = listen_on(path);
    if (lfd < 0)
        return 1;
    struct pvback pb = { 0 };
    struct store_guests *guests = NULL;
    char why[160];
    if (rings && pvback_dev_open(&pb, why, sizeof(why)) == 0)
        guests = store_guests_new(s, &pb, stderr);
    else if (rings)
        fprintf(stderr, "pvstored: no guest rings: %s\n", why);
    printf("pvstored: serving %s%s\n", path, guests ? " and guests' rings" : "");
    fflush(stdout);
    int rc = serve(lfd, s, guests, guests ? pb.event_fd(&pb) : -1);
    store_guests_free(guests);
    if (guests)
        pvback_dev_close(&pb);
    close(lfd);
    unlink(path);
    store_free(s);
    return rc;
}
