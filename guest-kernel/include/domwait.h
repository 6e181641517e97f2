/* SPDX-License-Identifier: MIT */
/*
 * domwait.h - wait_domus: before dom0 shuts down (taking the machine with
 *             it), wait until every other domain has ended.
 * Owns:    the interface of kernel/domwait.c.
 * Touches: nothing (declarations).
 */
#ifndef DOMWAIT_H
#define DOMWAIT_H

#include <stdbool.h>

/* True if w is domwait's command-line word (wait_domus), now noted. */
bool domwait_parse_word(const char *w);

/*
 * If wait_domus was given and this is the initial domain: bind
 * VIRQ_DOM_EXC, then until no domain but this one is left running (each
 * other one shut down, dying or gone), sleep until VIRQ_DOM_EXC or 1 s has
 * passed and look again; unbind and return with events masked.  Prints
 * "domwait: waiting for N domains" once, then "domwait: all domains
 * ended".  Called with events masked.  0 when done or not asked, else the
 * -XEN_E* of the bind, the sleep or getdomaininfo.
 */
long domwait_run(void);

#endif /* DOMWAIT_H */
