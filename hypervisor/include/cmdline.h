/* SPDX-License-Identifier: MIT */
/*
 * cmdline.h - command-line parsing (common/cmdline.c).
 * Owns:    splitting a command line into "name", "name=value" and
 *          "no-name" words and storing values through an option table.
 * Touches: only the variables the caller's table points at.
 * Trusts:  nothing in the string.
 *
 * Syntax as Xen's: words separated by spaces; "name=value"; a boolean is
 * set by "name", "name=1|yes|on|true|enable" and cleared by "no-name" or
 * "name=0|no|off|false|disable"; sizes take B, K, M, G, T suffixes
 * (a bare number in a CMDLINE_SIZE is KiB, as Xen); integers
 * are decimal or 0x hex. '-' and '_' are the same in names. Unknown words
 * are reported (log_info) and skipped; bad values are reported (log_warn,
 * naming the option, the value and what it takes) and leave the variable
 * unchanged.
 */
#ifndef PVISOR_CMDLINE_H
#define PVISOR_CMDLINE_H

#include "types.h"

enum cmdline_type {
    CMDLINE_BOOL,    /* bool *                                        */
    CMDLINE_UINT,    /* uint64_t *                                    */
    CMDLINE_SIZE,    /* uint64_t *, bytes, with K/M/G/T suffix        */
    CMDLINE_STRING,  /* char * of size .len                           */
    CMDLINE_CUSTOM,  /* int (*)(const char *value) -> 0 ok, <0 bad    */
                     /* (and then nothing changed)                    */
};

struct cmdline_option {
    const char *name;
    enum cmdline_type type;
    void *var;       /* or the custom function, cast                  */
    size_t len;      /* CMDLINE_STRING buffer size                    */
    const char *valid;  /* what a value may be, for the message when  */
                        /* one is bad; NULL: the type's forms. Every  */
                        /* CMDLINE_CUSTOM option should have one.     */
};

/* Returns the number of words that were unknown or had a bad value. */
int cmdline_parse(const char *cmdline, const struct cmdline_option *opts,
                  size_t nr_opts);

/*
 * A size at the start of s: a number (as CMDLINE_UINT) and an optional
 * unit B, K, M, G or T (either case). 0 with the bytes in *bytes and *end
 * just past the unit; -1 if s starts with no number or the size overflows.
 * For options with their own syntax around sizes (dom0_mem=).
 */
int cmdline_parse_size(const char *s, const char **end, uint64_t *bytes);

/*
 * Drop the first word (the image's file name, which boot loaders put in
 * front of a module's string) and the spaces after it, as Xen does for
 * dom0's command line. Writes at most outlen-1 chars + NUL into out.
 */
void cmdline_cook(const char *module_string, char *out, size_t outlen);

#endif
