/* SPDX-License-Identifier: MIT */
/*
 * roles.h - what a domain does after its self-tests, for experiments and
 *           benchmarks: pingpong=, spin=, yieldloop= on the command line.
 * Owns:    the roles' interface and their requests.
 * Touches: nothing (declarations).  Implemented by kernel/pingpong.c
 *          (interdomain round trips) and kernel/spin.c (spin, yieldloop).
 *
 * Each role prints its result lines (the hypervisor prefixes a domU's
 * console lines with its domain, so the lines carry none) and returns 0,
 * or prints why it failed and returns non-zero (the kernel then shuts
 * down with "crash" unless shutdown= says otherwise).
 */
#ifndef ROLES_H
#define ROLES_H

#include <stdbool.h>
#include <stdint.h>

enum pingpong_mode {
    PINGPONG_CLIENT,        /* pingpong=PEER,ROUNDS */
    PINGPONG_SERVE,         /* pingpong=PEER,ROUNDS,serve */
    PINGPONG_BOTH,          /* pingpong=SELF,ROUNDS,both: both ends here */
};

struct pingpong_request {
    bool on;
    enum pingpong_mode mode;
    uint16_t peer;          /* a domain id */
    unsigned long rounds;   /* >= 1 */
};

/* "PEER,ROUNDS[,serve|,both]" (or with colons); false (r untouched) if
 * it is not that. */
bool pingpong_parse(const char *value, struct pingpong_request *r);
int pingpong_run(const struct pingpong_request *r);

/* spin=MS: "spin: COUNT iterations in MS ms". */
int spin_run(unsigned long ms);
/* yieldloop=N: "yieldloop: N yields, X tsc per yield". */
int yieldloop_run(unsigned long n);

#endif /* ROLES_H */
