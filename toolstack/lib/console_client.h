/* SPDX-License-Identifier: MIT */
/*
 * console_client.h - the client side of pvconsoled's socket, for
 *                    `pvctl console DOM` and `pvctl create -c`.
 * Owns:    nothing beyond one call: the connection it opens, the
 *          terminal mode it changes and restores.
 * Touches: the socket, the terminal (termios) of in_fd if it is one.
 * Protocol: toolstack/console/README.md.
 */
#ifndef PVISOR_TOOLSTACK_CONSOLE_CLIENT_H
#define PVISOR_TOOLSTACK_CONSOLE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#define PVCONS_SOCKET "/run/pvconsoled/socket"
#define PVCONS_DETACH_CHAR 0x1d     /* Ctrl-], as xl console */

/* The attach ended because ... */
#define PVCONS_CLOSED   0   /* the guest's console closed (domain gone) */
#define PVCONS_DETACHED 1   /* the user typed Ctrl-] */

/*
 * Attach to domain dom's console through the daemon at sock (NULL: the
 * default): the guest's output to out_fd, in_fd's bytes to the guest, in
 * raw mode if in_fd is a terminal (restored on return). Returns
 * PVCONS_CLOSED, PVCONS_DETACHED, or -errno with a message in err.
 */
int pvcons_attach(const char *sock, uint32_t dom, int in_fd, int out_fd,
                  char *err, size_t errlen);

/*
 * One command ("add 5 2 4660 web", "remove 5", "list"; no newline): the
 * daemon's whole answer into reply (NUL-terminated). 0 if it ended in
 * "ok", -EIO if it said "error: ..." (the reply says why), -errno if the
 * daemon cannot be reached.
 */
int pvcons_command(const char *sock, const char *cmd, char *reply,
                   size_t replylen);

#endif
