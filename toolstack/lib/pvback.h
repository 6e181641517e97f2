/* SPDX-License-Identifier: MIT */
/*
 * pvback.h - what dom0's backend daemons (pvstored's guest rings,
 *            pvconsoled) need from the platform, as one small interface:
 *            map a guest's ring page, event channels, a domain's state.
 * Owns:    struct pvback (a table of operations and their context).
 * Touches: nothing itself: pvback_dev.c implements it over dom0's devices
 *          (pvdev.h); the unit tests give a fake over ordinary memory
 *          (tests/unit/fake_pvback.c), so the daemons' logic runs on the
 *          host.
 *
 * Every call returns >= 0 on success and a negative errno on failure.
 */
#ifndef PVISOR_TOOLSTACK_PVBACK_H
#define PVISOR_TOOLSTACK_PVBACK_H

#include <stdint.h>

/* What domain_state() answers. */
enum pvback_dom_state {
    PVBACK_DOM_RUNNING,     /* exists, not shut down (may be paused) */
    PVBACK_DOM_SHUTDOWN,    /* shut down or crashed, not yet destroyed */
    PVBACK_DOM_DEAD,        /* dying, or no such domain any more */
};

struct pvback {
    void *ctx;
    /*
     * Map one page of domain dom read-write: grant ref `gref` first (the
     * reserved refs GNTTAB_RESERVED_CONSOLE/XENSTORE the builder seeds),
     * then, if that fails, the frame `mfn` by foreign mapping (dom0's
     * privilege). NULL with *rc = -errno if neither works.
     */
    void *(*map_page)(struct pvback *b, uint32_t dom, uint32_t gref,
                      uint64_t mfn, int *rc);
    void (*unmap_page)(struct pvback *b, void *page);
    /* Event channels: bind returns the local port. pending() gives the
     * next port that fired (masked until unmask()), -EAGAIN if none. */
    int (*bind_interdomain)(struct pvback *b, uint32_t dom, uint32_t remote);
    int (*bind_virq)(struct pvback *b, unsigned virq);
    int (*unbind)(struct pvback *b, uint32_t port);
    int (*notify)(struct pvback *b, uint32_t port);
    int (*pending)(struct pvback *b);
    int (*unmask)(struct pvback *b, uint32_t port);
    /* The file descriptor to poll for readable events (-1: none). */
    int (*event_fd)(struct pvback *b);
    /* enum pvback_dom_state, or -errno if it could not be asked. */
    int (*domain_state)(struct pvback *b, uint32_t dom);
};

/*
 * The real platform (pvback_dev.c): opens the evtchn device (non-blocking),
 * gntdev and privcmd. Returns 0, or -errno with the device that failed
 * named in err (errlen bytes). pvback_dev_close() closes what it opened.
 */
int pvback_dev_open(struct pvback *b, char *err, unsigned errlen);
void pvback_dev_close(struct pvback *b);

#endif
