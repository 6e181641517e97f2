/* SPDX-License-Identifier: MIT */
/*
 * console_ring.c - the hypervisor as the console backend of boot domains.
 * Owns:    the draining of a boot domain's console ring (its out half).
 * Touches: the ring frame (held with a writable type reference from the
 *          build to the domain's destruction, so the guest can never turn
 *          it into a page table under us), the console, the port's state.
 * Trusts:  nothing in the ring: the guest writes the indexes at any time;
 *          each is read once, and a producer more than the ring's size
 *          ahead is taken as a ring reset (the consumer catches up).
 *
 * A boot domain (domU=, setup.c) is told its console as every domU is:
 * start_info.console.domU names a page of its memory holding a struct
 * xencons_interface and a port left unbound for dom0, where a console
 * daemon would bind (abi/xen/io/console.h). While nobody has bound it,
 * the guest's EVTCHNOP_send on that port comes here and the bytes go to
 * the hypervisor console, each line prefixed "(dN) " as Xen prefixes a
 * guest's console_io output. Once a backend binds the port, sends go to
 * it and the hypervisor no longer reads the ring. Input is not offered:
 * the serial line belongs to dom0.
 */
#define LOG_PREFIX "console"
#include <xen/io/console.h>
#include "console.h"
#include "domain.h"
#include "frame.h"
#include "lib.h"
#include "page.h"

void console_ring_drain(struct domain *d)
{
    struct xencons_interface *ring;
    XENCONS_RING_IDX cons, prod;
    char line[sizeof(ring->out) + 8];
    size_t n = 0;

    if (!mfn_valid_val(d->console_mfn))
        return;
    ring = mfn_to_virt(d->console_mfn);
    cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
    prod = __atomic_load_n(&ring->out_prod, __ATOMIC_ACQUIRE);
    if (prod - cons > sizeof(ring->out))
        cons = prod - sizeof(ring->out);
    for (; cons != prod; cons++) {
        char c = ring->out[MASK_XENCONS_IDX(cons, ring->out)];

        if (!d->console_at_line_start) {
            line[n++] = c;
        } else {
            n += (size_t)snprintf(line + n, sizeof(line) - n, "(d%u) %c",
                                  d->domain_id, c);
            d->console_at_line_start = false;
        }
        if (c == '\n')
            d->console_at_line_start = true;
        if (n > sizeof(line) - 16 || c == '\n') {
            console_write_logged(line, n);
            n = 0;
        }
    }
    if (n)
        console_write_logged(line, n);
    __atomic_store_n(&ring->out_cons, cons, __ATOMIC_RELEASE);
}

long console_ring_setup(struct domain *d, mfn_t ring)
{
    long port = evtchn_alloc_unbound_port(d, 0);

    if (port < 0)
        return port;
    if (get_page_and_type(mfn_to_page(ring), d, PGT_writable_page))
        return -XEN_EINVAL;
    d->console_mfn = ring;
    d->console_port = (evtchn_port_t)port;
    d->console_at_line_start = true;
    return port;
}
