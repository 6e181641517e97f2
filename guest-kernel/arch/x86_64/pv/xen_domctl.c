/* SPDX-License-Identifier: MIT */
/*
 * pv/xen_domctl.c - dom0's questions to the hypervisor about domains
 *                   (domctl, the toolstack's hypercall).
 * Owns:    xen_getdomaininfo().
 * Touches: the domctl hypercall; nothing else.
 * ABI:     abi/xen/domctl.h (toolstack-only: __XEN_TOOLS__), interface
 *          version 0x15 as Xen 4.17; docs/abi/hypercalls.md row 36.
 */
#define __XEN_TOOLS__
#include <kernel.h>
#include <xen/domctl.h>
#include "hypercall.h"
#include "xen.h"

long xen_getdomaininfo(domid_t first, struct xen_domctl_getdomaininfo *out)
{
    struct xen_domctl op = {
        .cmd = XEN_DOMCTL_getdomaininfo,
        .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
        .domain = first,
    };
    long rc = HYPERVISOR_domctl(&op);

    if (rc == 0)
        *out = op.u.getdomaininfo;
    return rc;
}
