/* SPDX-License-Identifier: MIT */
/*
 * xs.h - a small client of the store: one connection, requests sent and
 *        their replies awaited in order, watch events kept aside.
 * Owns:    struct xs_handle (opaque).
 * Touches: the file descriptor it was given or opened (blocking I/O).
 * ABI:     abi/xen/io/xs_wire.h.
 *
 * Errors: 0 is success; a positive errno is the store's XS_ERROR answer
 * (ENOENT for "ENOENT"); -1 is a broken connection. Strings returned are
 * malloc'd and NUL-terminated (values may hold NULs: *len counts them).
 */
#ifndef PVISOR_XS_H
#define PVISOR_XS_H

#include <stddef.h>
#include <stdint.h>

struct xs_handle;

struct xs_handle *xs_open(const char *socket_path);    /* NULL: errno */
struct xs_handle *xs_open_fd(int fd);
void xs_close(struct xs_handle *h);

/* Any request: payload in, reply payload out (malloc'd, NUL appended). */
int xs_request(struct xs_handle *h, uint32_t type, uint32_t tx,
               const void *payload, size_t len, char **reply, size_t *rlen);

int xs_read(struct xs_handle *h, uint32_t tx, const char *path,
            char **value, size_t *len);
int xs_write(struct xs_handle *h, uint32_t tx, const char *path,
             const void *value, size_t len);
int xs_mkdir(struct xs_handle *h, uint32_t tx, const char *path);
int xs_rm(struct xs_handle *h, uint32_t tx, const char *path);
/* Children as "a\0b\0...": *len bytes. */
int xs_directory(struct xs_handle *h, uint32_t tx, const char *path,
                 char **names, size_t *len);
int xs_watch(struct xs_handle *h, const char *path, const char *token);
int xs_unwatch(struct xs_handle *h, const char *path, const char *token);
/* Waits for the next watch event; *path and *token are malloc'd. */
int xs_read_watch(struct xs_handle *h, char **path, char **token);
int xs_transaction_start(struct xs_handle *h, uint32_t *tx);
int xs_transaction_end(struct xs_handle *h, uint32_t tx, int abort);

/* The store's error name -> errno; EINVAL for an unknown name. */
int xs_errno_of(const char *name);

#endif /* PVISOR_XS_H */
