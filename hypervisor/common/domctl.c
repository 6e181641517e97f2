/* SPDX-License-Identifier: MIT */
/*
 * domctl.c - the domctl hypercall (36): the toolstack's domain control.
 * Owns:    the order of domctl's checks, and XEN_DOMCTL_getdomaininfo (what
 *          a toolstack sees of a domain: state flags, pages, vCPUs, time).
 * Touches: reads struct domain and struct vcpu (domain.h, sched.h), the
 *          vCPUs' runstate (vcpu_runstate_get() in vcpu.c); writes nothing
 *          but the caller's buffer.
 * Trusts:  nothing from the guest: do_domctl() copies the whole struct in,
 *          checks the version, the domain and the caller's privilege;
 *          domctl_getdomaininfo() and getdomaininfo() trust their arguments.
 * ABI:     abi/xen/domctl.h (toolstack-only, interface version 0x15);
 *          docs/abi/hypercalls.md rows 36.*. Order of checks, results and
 *          errors are Xen 4.17's (common/domctl.c do_domctl(),
 *          getdomaininfo()), observed with tests/guests/domctl_bad_args.
 *
 * Of Xen's commands only getdomaininfo is implemented; every other one
 * answers -XEN_ENOSYS, but only after the checks Xen makes before it looks
 * at the command, so an error a toolstack sees first is Xen's:
 *   1. the struct cannot be read                 -XEN_EFAULT
 *   2. interface_version is not 0x15             -XEN_EACCES
 *   3. domain names no domain (createdomain and  -XEN_ESRCH
 *      getdomaininfo aside; DOMID_SELF is not
 *      special here, as in Xen)
 *   4. the caller is not privileged              -XEN_EPERM
 *   5. the command is not implemented            -XEN_ENOSYS
 * getdomaininfo answers for the first domain whose id is >= domain, so a
 * toolstack lists every domain by asking again from the id after the one it
 * got; ids from DOMID_FIRST_RESERVED up are -XEN_EINVAL, no domain at or
 * past the id -XEN_ESRCH, and only then is the caller's privilege checked.
 * The answer is the whole struct written back, with domain set to the id
 * found; a refused call writes nothing.
 */
#define LOG_PREFIX "domctl"
#include <xen/domctl.h>
#include <xen/sched.h>
#include "arch.h"
#include "domain.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"

/* Xen's shutdown code before any shutdown; getdomaininfo shows it as is. */
#define SHUTDOWN_CODE_INVALID (~0U)

/* The domain with the smallest id >= id, or NULL. */
static struct domain *domain_first_from(domid_t id)
{
    struct domain *d, *best = NULL;

    for_each_domain(d)
        if (d->domain_id >= id && (!best || d->domain_id < best->domain_id))
            best = d;
    return best;
}

/* The vCPU part of the answer: online vCPUs, time run, blocked/running. */
static uint32_t getdomaininfo_vcpus(const struct domain *d,
                                    struct xen_domctl_getdomaininfo *info)
{
    uint32_t flags = XEN_DOMINF_blocked;

    info->max_vcpu_id = XEN_INVALID_MAX_VCPU_ID;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        const struct vcpu *v = d->vcpu[i];
        struct vcpu_runstate_info r;

        if (!v)
            continue;
        vcpu_runstate_get(v, &r);
        info->cpu_time += r.time[RUNSTATE_running];
        info->max_vcpu_id = v->vcpu_id;
        /* Every vCPU pvisor has is up (no VCPUOP_down yet): online. */
        info->nr_online_vcpus++;
        if (!v->blocked)
            flags &= ~XEN_DOMINF_blocked;
        if (v->running)
            flags |= XEN_DOMINF_running;
    }
    /* As Xen: blocked only if every online vCPU is; nothing if none is. */
    return info->nr_online_vcpus ? flags : 0;
}

/*
 * What XEN_DOMCTL_getdomaininfo says of d, as Xen 4.17's getdomaininfo():
 * zeroed first, so the holes and the fields pvisor has no notion of
 * (outstanding, shared and paged pages, ssidref, handle, cpupool 0, no
 * emulated devices) are 0. The shutdown code sits in bits 16 and up even
 * when d is running: then it is Xen's SHUTDOWN_CODE_INVALID, all ones,
 * which a running dom0 shows as flags 0xffff0020 on Xen as here.
 */
void getdomaininfo(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t code = d->state == DOMAIN_SHUTDOWN ? d->shutdown_code : SHUTDOWN_CODE_INVALID;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    info->flags = getdomaininfo_vcpus(d, info) |
                  (d->state == DOMAIN_DYING ? XEN_DOMINF_dying : 0) |
                  (d->state == DOMAIN_SHUTDOWN ? XEN_DOMINF_shutdown : 0) |
                  code << XEN_DOMINF_shutdownshift;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    /* A PV domain's "GMFN" is the machine frame (Xen's mfn_to_gfn()). */
    info->shared_info_frame = mfn_x(d->shared_info_mfn);
    info->gpaddr_bits = (uint8_t)arch_guest_paddr_bits();
}

/*
 * getdomaininfo of the first domain >= op->domain (d: the domain of that
 * exact id, if any), for caller. On success op->domain is the one found.
 */
static long domctl_getdomaininfo(const struct domain *caller, struct domain *d,
                                 struct xen_domctl *op)
{
    if (!d) {
        if (op->domain >= DOMID_FIRST_RESERVED)
            return hc_fail(-XEN_EINVAL, "getdomaininfo from reserved id %#x",
                           op->domain);
        d = domain_first_from(op->domain);
        if (!d)
            return hc_fail(-XEN_ESRCH, "getdomaininfo: no domain >= %u", op->domain);
    }
    /* Xen's XSM_XS_PRIV: the control domain (or a xenstore domain, which
     * pvisor does not have). */
    if (!caller->is_privileged)
        return hc_fail(-XEN_EPERM, "getdomaininfo: d%u is not privileged",
                       caller->domain_id);
    getdomaininfo(d, &op->u.getdomaininfo);
    op->domain = d->domain_id;
    return 0;
}

long do_domctl(uint64_t arg)
{
    struct domain *caller = current->domain, *d = NULL;
    struct xen_domctl op;
    long rc;

    if (copy_from_guest(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION)
        return hc_fail(-XEN_EACCES, "domctl interface version %#x, want %#x",
                       op.interface_version, XEN_DOMCTL_INTERFACE_VERSION);
    if (op.cmd != XEN_DOMCTL_createdomain) {
        d = domain_by_id(op.domain);
        if (!d && op.cmd != XEN_DOMCTL_getdomaininfo)
            return hc_fail(-XEN_ESRCH, "domctl %u: no domain %u", op.cmd, op.domain);
    }

    switch (op.cmd) {
    case XEN_DOMCTL_getdomaininfo:
        rc = domctl_getdomaininfo(caller, d, &op);
        break;
    default:
        if (!caller->is_privileged)
            return hc_fail(-XEN_EPERM, "domctl %u: d%u is not privileged", op.cmd,
                           caller->domain_id);
        return hc_fail(-XEN_ENOSYS, "domctl %u not implemented", op.cmd);
    }
    if (!rc && copy_to_guest(arg, &op, sizeof(op)))
        return -XEN_EFAULT;
    return rc;
}
