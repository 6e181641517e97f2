/* SPDX-License-Identifier: MIT */
/*
 * domctl_ops.h - the domctl commands of common/domctl_domain.c (a domain's
 * life: create, vCPUs, pause, context, destroy), called by do_domctl() in
 * common/domctl.c once it has checked the version, the domain and the
 * caller's privilege.
 * Owns:    nothing but these declarations.
 * Touches: nothing.
 *
 * Each takes the caller's copy of the struct and the target domain (NULL
 * for createdomain), returns 0 or -XEN_E* (-XEN_ERESTART: issue the call
 * again), and sets *copyback when Xen writes the struct back.
 */
#ifndef PVISOR_DOMCTL_OPS_H
#define PVISOR_DOMCTL_OPS_H

#include <xen/domctl.h>
#include "sched.h"

long domctl_createdomain(struct xen_domctl *op, bool *copyback);
long domctl_max_vcpus(struct domain *d, const struct xen_domctl *op);
long domctl_pausedomain(struct domain *d);
long domctl_unpausedomain(struct domain *d);
long domctl_destroydomain(struct domain *d);
long domctl_setvcpucontext(struct domain *d, const struct xen_domctl *op);
long domctl_getvcpucontext(struct domain *d, const struct xen_domctl *op, bool *copyback);
long domctl_hypercall_init(struct domain *d, const struct xen_domctl *op);

#endif
