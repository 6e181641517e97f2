/* SPDX-License-Identifier: MIT */
/*
 * pvstore-client.c - the store from the command line, for people and
 *                    tests (xenstore-read/-write/-ls/-rm/-watch in one).
 * Owns:    nothing; each command is one xs.c call.
 *
 * Usage: pvstore-client [-s SOCKET] COMMAND ARGS
 *   read PATH | write PATH VALUE | mkdir PATH | rm PATH | ls PATH |
 *   watch PATH N (prints N events, the initial one included) |
 *   raw TYPE ARG... (any request: its args NUL-joined; prints the reply)
 * Exit status: 0, 1 with the store's error name (e.g. "ENOENT"), 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "xs.h"

static int fail(int err)
{
    const char *name = "EIO (connection)";
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (err > 0 && xsd_errors[i].errnum == err)
            name = xsd_errors[i].errstring;
    fprintf(stderr, "pvstore-client: %s\n", name);
    return 1;
}

static void print_list(const char *p, size_t len)
{
    for (size_t off = 0; off < len; off += strlen(p + off) + 1)
        printf("%s\n", p + off);
}

static int raw(struct xs_handle *h, int argc, char **argv)
{
    char buf[XENSTORE_PAYLOAD_MAX], *reply;
    size_t len = 0, rlen;
    for (int i = 1; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;
        if (len + l > sizeof(buf))
            return fail(E2BIG);
        memcpy(buf + len, argv[i], l);
        len += l;
    }
    int err = xs_request(h, (uint32_t)atoi(argv[0]), 0, buf, len, &reply,
                         &rlen);
    if (err)
        return fail(err);
    print_list(reply, rlen);
    free(reply);
    return 0;
}

static int run(struct xs_handle *h, int argc, char **argv)
{
    const char *cmd = argv[0];
    char *out, *path, *token;
    size_t len;
    int err;
    if (!strcmp(cmd, "read") && argc == 2) {
        if ((err = xs_read(h, 0, argv[1], &out, &len)))
            return fail(err);
        fwrite(out, 1, len, stdout);
        putchar('\n');
        free(out);
        return 0;
    }
    if (!strcmp(cmd, "write") && argc == 3)
        err = xs_write(h, 0, argv[1], argv[2], strlen(argv[2]));
    else if (!strcmp(cmd, "mkdir") && argc == 2)
        err = xs_mkdir(h, 0, argv[1]);
    else if (!strcmp(cmd, "rm") && argc == 2)
        err = xs_rm(h, 0, argv[1]);
    else if (!strcmp(cmd, "ls") && argc == 2) {
        if ((err = xs_directory(h, 0, argv[1], &out, &len)))
            return fail(err);
        print_list(out, len);
        free(out);
        return 0;
    } else if (!strcmp(cmd, "watch") && argc == 3) {
        if ((err = xs_watch(h, argv[1], "pvstore-client")))
            return fail(err);
        for (int n = atoi(argv[2]); n > 0; n--) {
            if ((err = xs_read_watch(h, &path, &token)))
                return fail(err);
            printf("%s %s\n", path, token);
            fflush(stdout);
            free(path);
            free(token);
        }
        return 0;
    } else if (!strcmp(cmd, "raw") && argc >= 2) {
        return raw(h, argc - 1, argv + 1);
    } else {
        fprintf(stderr, "pvstore-client: bad command (see the head of "
                "toolstack/store/pvstore-client.c)\n");
        return 2;
    }
    return err ? fail(err) : 0;
}

int main(int argc, char **argv)
{
    const char *sock = "/run/pvstored/socket";
    int opt;
    while ((opt = getopt(argc, argv, "+s:")) != -1) {
        if (opt != 's')
            return 2;
        sock = optarg;
    }
    if (optind >= argc) {
        fprintf(stderr, "usage: pvstore-client [-s SOCKET] COMMAND ARGS\n");
        return 2;
    }
    struct xs_handle *h = xs_open(sock);
    if (!h) {
        perror(sock);
        return 1;
    }
    int rc = run(h, argc - optind, argv + optind);
    xs_close(h);
    return rc;
}
