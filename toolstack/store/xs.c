/* SPDX-License-Identifier: MIT */
/*
 * xs.c - a small client of the store (see xs.h).
 * Owns:    the connection's fd, a queue of watch events read while
 *          waiting for a reply.
 * Touches: its fd only.
 * Trusts:  the store's framing only as far as XENSTORE_PAYLOAD_MAX: a
 *          longer reply breaks the connection (-1).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "xs.h"

struct event {
    struct event *next;
    char *data;
    size_t len;
};

struct xs_handle {
    int fd;
    uint32_t next_req;
    struct event *events, **events_tail;
};

struct xs_handle *xs_open_fd(int fd)
{
    struct xs_handle *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->fd = fd;
    h->next_req = 1;
    h->events_tail = &h->events;
    return h;
}

struct xs_handle *xs_open(const char *socket_path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    if (strlen(socket_path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    strcpy(sa.sun_path, socket_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0)
        return NULL;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    struct xs_handle *h = xs_open_fd(fd);
    if (!h)
        close(fd);
    return h;
}

void xs_close(struct xs_handle *h)
{
    if (!h)
        return;
    while (h->events) {
        struct event *e = h->events;
        h->events = e->next;
        free(e->data);
        free(e);
    }
    close(h->fd);
    free(h);
}

int xs_errno_of(const char *name)
{
    for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
        if (!strcmp(xsd_errors[i].errstring, name))
            return xsd_errors[i].errnum;
    return EINVAL;
}

static int full_io(int fd, void *buf, size_t len, int writing)
{
    char *p = buf;
    while (len) {
        ssize_t n = writing ? write(fd, p, len) : read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads one message; its payload malloc'd with a NUL appended. */
static int read_msg(struct xs_handle *h, struct xsd_sockmsg *hdr, char **data)
{
    if (full_io(h->fd, hdr, sizeof(*hdr), 0) || hdr->len > XENSTORE_PAYLOAD_MAX)
        return -1;
    *data = malloc(hdr->len + 1);
    if (!*data || full_io(h->fd, *data, hdr->len, 0)) {
        free(*data);
        return -1;
    }
    (*data)[hdr->len] = '\0';
    return 0;
}

int xs_request(struct xs_handle *h, uint32_t type, uint32_t tx,
               const void *payload, size_t len, char **reply, size_t *rlen)
{
    struct xsd_sockmsg hdr = { type, h->next_req++, tx, (uint32_t)len };
    if (len > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    if (full_io(h->fd, &hdr, sizeof(hdr), 1) ||
        full_io(h->fd, (void *)payload, len, 1))
        return -1;
    for (;;) {
        struct xsd_sockmsg in;
        char *data;
        if (read_msg(h, &in, &data))
            return -1;
        if (in.type == XS_WATCH_EVENT) {
            struct event *e = malloc(sizeof(*e));
            if (!e) {
                free(data);
                return -1;
            }
            *e = (struct event){ NULL, data, in.len };
            *h->events_tail = e;
            h->events_tail = &e->next;
            continue;
        }
        if (in.req_id != hdr.req_id) {     /* not ours: a broken stream */
            free(data);
            return -1;
        }
        if (in.type == XS_ERROR) {
            int err = xs_errno_of(data);
            free(data);
            return err;
        }
        if (reply) {
            *reply = data;
            if (rlen)
                *rlen = in.len;
        } else {
            free(data);
        }
        return 0;
    }
}

/* "a\0b\0" payloads. */
static int request2(struct xs_handle *h, uint32_t type, uint32_t tx,
                    const char *a, const char *b, char **reply, size_t *rlen)
{
    size_t al = strlen(a) + 1, bl = b ? strlen(b) + 1 : 0;
    char buf[XENSTORE_PAYLOAD_MAX];
    if (al + bl > sizeof(buf))
        return E2BIG;
    memcpy(buf, a, al);
    if (b)
        memcpy(buf + al, b, bl);
    return xs_request(h, type, tx, buf, al + bl, reply, rlen);
}

int xs_read(struct xs_handle *h, uint32_t tx, const char *path,
            char **value, size_t *len)
{
    return request2(h, XS_READ, tx, path, NULL, value, len);
}

int xs_write(struct xs_handle *h, uint32_t tx, const char *path,
             const void *value, size_t len)
{
    size_t pl = strlen(path) + 1;
    char buf[XENSTORE_PAYLOAD_MAX];
    if (pl + len > sizeof(buf))
        return E2BIG;
    memcpy(buf, path, pl);
    memcpy(buf + pl, value, len);
    return xs_request(h, XS_WRITE, tx, buf, pl + len, NULL, NULL);
}

int xs_mkdir(struct xs_handle *h, uint32_t tx, const char *path)
{
    return request2(h, XS_MKDIR, tx, path, NULL, NULL, NULL);
}

int xs_rm(struct xs_handle *h, uint32_t tx, const char *path)
{
    return request2(h, XS_RM, tx, path, NULL, NULL, NULL);
}

int xs_directory(struct xs_handle *h, uint32_t tx, const char *path,
                 char **names, size_t *len)
{
    return request2(h, XS_DIRECTORY, tx, path, NULL, names, len);
}

int xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    return request2(h, XS_WATCH, 0, path, token, NULL, NULL);
}

int xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    return request2(h, XS_UNWATCH, 0, path, token, NULL, NULL);
}

int xs_read_watch(struct xs_handle *h, char **path, char **token)
{
    struct xsd_sockmsg in;
    char *data;
    size_t len;
    if (h->events) {
        struct event *e = h->events;
        h->events = e->next;
        if (!h->events)
            h->events_tail = &h->events;
        data = e->data;
        len = e->len;
        free(e);
    } else {
        do {
            if (read_msg(h, &in, &data))
                return -1;
            if (in.type != XS_WATCH_EVENT)
                free(data);     /* a reply nobody waits for */
        } while (in.type != XS_WATCH_EVENT);
        len = in.len;
    }
    size_t pl = strnlen(data, len);
    if (pl == len) {
        free(data);
        return -1;
    }
    *path = strdup(data);
    *token = strdup(data + pl + 1);
    free(data);
    return *path && *token ? 0 : -1;
}

int xs_transaction_start(struct xs_handle *h, uint32_t *tx)
{
    char *reply;
    int err = request2(h, XS_TRANSACTION_START, 0, "", NULL, &reply, NULL);
    if (err)
        return err;
    *tx = (uint32_t)strtoul(reply, NULL, 10);
    free(reply);
    return 0;
}

int xs_transaction_end(struct xs_handle *h, uint32_t tx, int abort)
{
    return request2(h, XS_TRANSACTION_END, tx, abort ? "F" : "T", NULL,
                    NULL, NULL);
}
