/* SPDX-License-Identifier: MIT */
/*
 * xen/io/console.h - the PV console ring shared between a guest and its
 *             console backend (page at start_info.console.domU.mfn).
 * Mirrors: Xen 4.17 public/io/console.h (without the flex-ring variant).
 * Owns:    struct xencons_interface, XENCONS_RING_IDX, MASK_XENCONS_IDX.
 * Touches: nothing; declarations only.
 *
 * Indexes run freely and are masked on use; prod - cons is the fill. The
 * guest produces `out` and consumes `in`; the backend the reverse. Write
 * the data before the producer index (write barrier), and kick the
 * console event channel after.
 */
#ifndef __XEN_PUBLIC_IO_CONSOLE_H__
#define __XEN_PUBLIC_IO_CONSOLE_H__

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stddef.h>

typedef uint32_t XENCONS_RING_IDX;

/* Index into one of the rings (a power-of-two char array). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];              /* backend -> guest */
    char out[2048];             /* guest -> backend */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};

_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface");
_Static_assert(offsetof(struct xencons_interface, in_cons) == 3072, "in_cons");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_IO_CONSOLE_H__ */
