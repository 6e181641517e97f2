/* SPDX-License-Identifier: MIT */
/*
 * init.h - the initramfs and the first user process.
 * Owns:    the init= and "--" command-line words (struct init_request).
 * Touches: nothing (declarations; kernel/init.c implements them).
 */
#ifndef INIT_H
#define INIT_H

#include <stdbool.h>

#define INIT_MAX_ARGS 16

struct init_request {
    const char *path;                   /* init=PATH; NULL: /sbin/init */
    const char *argv[INIT_MAX_ARGS + 2];    /* argv[0] = path, words after "--" */
    unsigned int argc;
    char words[INIT_MAX_ARGS + 1][128];
};

/* A command-line word for init (init=PATH, or after "--"); true if taken. */
bool init_parse_word(const char *w, bool after_dashes, struct init_request *r);
/* Unpack the initramfs, if the builder gave one: 1 unpacked, 0 none,
 * -1 refused (the reason printed). */
int initramfs_load(void);
/* Run init from the initramfs until it ends; 0 if it ran (whatever its
 * status, which is printed), -1 if it could not be started. */
int init_run(struct init_request *r);

#endif /* INIT_H */
