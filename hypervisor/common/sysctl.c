/* SPDX-License-Identifier: MIT */
/*
 * sysctl.c - the sysctl hypercall (35): the toolstack's view of the host.
 * Owns:    the order of sysctl's checks; XEN_SYSCTL_physinfo's common
 *          part, XEN_SYSCTL_getdomaininfolist, and pvisor's own
 *          PVISOR_SYSCTL_hypercall_stats.
 * Touches: reads the allocator's free count, the domain list (through
 *          getdomaininfo() in domctl.c, shared with domctl) and each
 *          domain's hypercall counters (d->hc_stats, hypercall.c); the
 *          log ring through console_log_read() (console_log.c); the
 *          machine's side of physinfo through arch_do_physinfo().
 * Trusts:  nothing from the guest: do_sysctl() copies the whole struct
 *          in, checks the version and the caller's privilege; the workers
 *          trust the struct they are given, and write guest buffers only
 *          through copy_to_guest().
 * ABI:     abi/xen/sysctl.h (toolstack-only, interface version 0x15);
 *          docs/abi/hypercalls.md rows 35.*. Order of checks, results and
 *          errors are Xen 4.17's (common/sysctl.c do_sysctl()), observed
 *          with tests/guests/sysctl_bad_args and sysctl_readconsole.
 *
 * The order, as Xen's:
 *   1. the struct cannot be read                 -XEN_EFAULT
 *   2. interface_version is not 0x15             -XEN_EACCES
 *   3. the caller is not the control domain      -XEN_EPERM
 *   4. the command is not implemented            -XEN_ENOSYS (nothing
 *                                                written back)
 * A command that is implemented writes the whole struct back, also when
 * it failed (Xen's copyback): a struct the guest cannot write is then
 * -XEN_EFAULT whatever the command said.
 */
#define LOG_PREFIX "sysctl"
#include <xen/sysctl.h>
#include "arch.h"
#include "config.h"
#include "console.h"
#include "domain.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "page_alloc.h"

/*
 * XEN_SYSCTL_physinfo: zeroed, then the host's figures. The free pages
 * are the allocator's; nothing is ever waiting to be scrubbed (frames are
 * scrubbed as they are freed) or claimed (no XENMEM_claim_pages).
 */
static long sysctl_physinfo(struct xen_sysctl_physinfo *pi)
{
    memset(pi, 0, sizeof(*pi));
    pi->free_pages = machine_frames.nr_free;
    pi->scrub_pages = 0;
    pi->outstanding_pages = 0;
    /* Grant tables v1 only (as Xen with gnttab=max-ver:1). */
    pi->capabilities = XEN_SYSCTL_PHYSCAP_gnttab_v1;
    arch_do_physinfo(pi);
    return 0;
}

/*
 * XEN_SYSCTL_getdomaininfolist: the domains >= first_domain in id order,
 * at most max_domains, each as getdomaininfo says it. An entry that
 * cannot be written is -XEN_EFAULT, num_domains then left as it was.
 */
static long sysctl_getdomaininfolist(struct xen_sysctl_getdomaininfolist *op)
{
    uint64_t buf = (uint64_t)op->buffer.p;
    struct xen_domctl_getdomaininfo info;
    uint32_t n = 0;
    domid_t next = op->first_domain;
    struct domain *d;

    /* The domain table is not sorted: take the smallest id >= next. */
    while (n < op->max_domains) {
        struct domain *best = NULL;

        for_each_domain(d)
            if (d->domain_id >= next && (!best || d->domain_id < best->domain_id))
                best = d;
        if (!best)
            break;
        getdomaininfo(best, &info);
        if (copy_to_guest(buf + (uint64_t)n * sizeof(info), &info, sizeof(info)))
            return hc_fail(-XEN_EFAULT, "getdomaininfolist: entry %u at %#lx", n, buf);
        n++;
        if (best->domain_id == DOMID_FIRST_RESERVED - 1)
            break;
        next = (domid_t)(best->domain_id + 1);
    }
    op->num_domains = n;
    return 0;
}

/*
 * PVISOR_SYSCTL_hypercall_stats: one domain's counters, entry i for
 * hypercall number i < NR_HYPERCALLS (the dispatch table's size), entry
 * NR_HYPERCALLS for every number beyond.
 */
static long sysctl_hypercall_stats(struct pvisor_sysctl_hypercall_stats *op)
{
    uint64_t buf = (uint64_t)op->buffer.p;
    struct domain *d = op->domid == DOMID_SELF ? current->domain
                                               : domain_by_id(op->domid);
    uint32_t nr = MIN(op->nr_entries, (uint32_t)NR_HYPERCALLS + 1);

    if (!d)
        return hc_fail(-XEN_ESRCH, "hypercall_stats: no domain %u", op->domid);
    if (op->pad)
        return hc_fail(-XEN_EINVAL, "hypercall_stats: pad %#x", op->pad);
    for (uint32_t i = 0; i < nr; i++) {
        struct pvisor_sysctl_hypercall_stat s = {
            .calls = d->hc_stats[i].calls,
            .tsc_ticks = d->hc_stats[i].cycles,
            .reuse_flushes = d->hc_stats[i].reuse_flushes,
        };

        if (copy_to_guest(buf + (uint64_t)i * sizeof(s), &s, sizeof(s)))
            return hc_fail(-XEN_EFAULT, "hypercall_stats: entry %u at %#lx", i, buf);
    }
    op->nr_entries = NR_HYPERCALLS + 1;
    return 0;
}

long do_sysctl(uint64_t arg)
{
    struct domain *caller = current->domain;
    struct xen_sysctl op;
    long rc;

    if (copy_from_guest(&op, arg, sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION)
        return hc_fail(-XEN_EACCES, "sysctl interface version %#x, want %#x",
                       op.interface_version, XEN_SYSCTL_INTERFACE_VERSION);
    /* Xen's XSM_PRIV: the control domain only. */
    if (!caller->is_privileged)
        return hc_fail(-XEN_EPERM, "sysctl %u: d%u is not privileged", op.cmd,
                       caller->domain_id);

    switch (op.cmd) {
    case XEN_SYSCTL_readconsole:
        rc = console_log_read(&op.u.readconsole);
        break;
    case XEN_SYSCTL_physinfo:
        rc = sysctl_physinfo(&op.u.physinfo);
        break;
    case XEN_SYSCTL_getdomaininfolist:
        rc = sysctl_getdomaininfolist(&op.u.getdomaininfolist);
        break;
    case PVISOR_SYSCTL_hypercall_stats:
        rc = sysctl_hypercall_stats(&op.u.pvisor_hypercall_stats);
        break;
    default:
        return hc_fail(-XEN_ENOSYS, "sysctl %u not implemented", op.cmd);
    }
    if (copy_to_guest(arg, &op, sizeof(op)))
        return -XEN_EFAULT;
    return rc;
}
