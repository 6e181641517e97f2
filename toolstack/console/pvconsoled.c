/* SPDX-License-Identifier: MIT */
/*
 * pvconsoled.c - the console backend daemon: serves guests' console rings
 *                (consd.c) and the clients of a unix socket.
 * Owns:    the process: options, signals, the loop.
 * Touches: dom0's devices through pvback_dev.c; the socket and the log
 *          directory through consd.c.
 *
 * Guests are added by a command on the socket ("add DOMID PORT MFN NAME",
 * what `pvctl create` sends after building a domain) and go when the
 * domain dies (its state is asked every second) or on "remove DOMID";
 * clients attach with "attach DOMID". README.md gives the protocol and
 * why commands rather than watching the store.
 *
 * Usage: pvconsoled [-n] [-s SOCKET] [-l LOGDIR]
 *   defaults /run/pvconsoled/socket and /var/log/pvisor; -n: no devices
 *   (serve the socket only, as on the host without them).
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "consd.h"
#include "pvback.h"

#define DEFAULT_SOCKET "/run/pvconsoled/socket"
#define DEFAULT_LOGDIR "/var/log/pvisor"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: pvconsoled [-n] [-s SOCKET] [-l LOGDIR]\n"
               "  (defaults %s, %s; -n: no devices)\n",
            DEFAULT_SOCKET, DEFAULT_LOGDIR);
}

/* mkdir -p of the socket's directory (one level is what /run needs). */
static void make_parent(const char *path)
{
    char dir[256];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0700);
    }
}

int main(int argc, char **argv)
{
    const char *sock = DEFAULT_SOCKET, *logdir = DEFAULT_LOGDIR;
    bool devices = true;
    int opt;
    while ((opt = getopt(argc, argv, "ns:l:h")) != -1) {
        if (opt == 's') {
            sock = optarg;
        } else if (opt == 'l') {
            logdir = optarg;
        } else if (opt == 'n') {
            devices = false;
        } else {
            usage(opt == 'h' ? stdout : stderr);
            return opt == 'h' ? 0 : 2;
        }
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct pvback pb = { 0 };
    char why[160];
    bool have_pb = devices && pvback_dev_open(&pb, why, sizeof(why)) == 0;
    if (devices && !have_pb)
        fprintf(stderr, "pvconsoled: no guests' consoles: %s\n", why);
    struct consd *d = consd_new(have_pb ? &pb : NULL, logdir, stderr);
    if (!d) {
        fprintf(stderr, "pvconsoled: out of memory\n");
        return 1;
    }
    make_parent(sock);
    int rc = consd_listen(d, sock);
    if (rc < 0) {
        fprintf(stderr, "pvconsoled: %s: %s\n", sock, strerror(-rc));
        consd_free(d);
        return 1;
    }
    printf("pvconsoled: serving %s, logs in %s\n", sock, logdir);
    fflush(stdout);
    while (!stop)
        consd_poll(d, -1);
    consd_free(d);
    if (have_pb)
        pvback_dev_close(&pb);
    return 0;
}
