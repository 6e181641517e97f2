/* SPDX-License-Identifier: MIT */
/*
 * domctl.c - the domctl hypercall (36): the toolstack's domain control.
 * Owns:    the order of domctl's checks, the dispatch of its commands, and
 *          the commands that read or set a domain's attributes:
 *          getdomaininfo (state flags, pages, vCPUs, time), getvcpuinfo,
 *          max_mem, setdomainhandle, setdebugging, set/get_address_size,
 *          scheduler_op (credit), settscinfo, set/getvcpuaffinity. A
 *          domain's life (create, vCPUs, pause, context, destroy) is
 *          domctl_domain.c's.
 * Touches: struct domain and struct vcpu (domain.h, sched.h), the vCPUs'
 *          runstate (vcpu_runstate_get() in vcpu.c); the caller's buffers.
 * Trusts:  nothing from the guest: do_domctl() copies the whole struct in,
 *          checks the version, the domain and the caller's privilege;
 *          the workers check their fields.
 * ABI:     abi/xen/domctl.h (toolstack-only, interface version 0x15);
 *          docs/abi/hypercalls.md rows 36.*. Order of checks, results and
 *          errors are Xen 4.17's (common/domctl.c do_domctl(),
 *          getdomaininfo(); arch/x86/domctl.c), observed with
 *          tests/guests/domctl_*.c.
 *
 * Before any command, in Xen's order, so an error a toolstack sees first
 * is Xen's:
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
 * A command that answers writes the whole struct back (Xen's copyback:
 * createdomain, getdomaininfo, getvcpucontext, getvcpuinfo,
 * get_address_size, and scheduler_op even when it fails); a refused call
 * writes nothing else. Commands a PV toolstack does not need answer
 * -XEN_ENOSYS (docs/abi/hypercalls.md lists them).
 *
 * A command that must not run on the caller's own domain (Xen: "no
 * domain_pause()") is -XEN_EINVAL there: max_vcpus, pausedomain,
 * destroydomain, setvcpucontext, getvcpucontext (the calling vCPU),
 * setdebugging, settscinfo.
 */
#define LOG_PREFIX "domctl"
#include <xen/domctl.h>
#include <xen/sched.h>
#include "arch.h"
#include "domain.h"
#include "domctl_ops.h"
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
        /* As Xen: only an online vCPU (not down) counts for the flags. */
        if (v->down)
            continue;
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
 * (outstanding, shared and paged pages, ssidref, cpupool 0, no emulated
 * devices) are 0. The shutdown code sits in bits 16 and up even when d
 * never shut down: then it is Xen's SHUTDOWN_CODE_INVALID, all ones,
 * which a running dom0 shows as flags 0xffff0020 on Xen as here. Paused
 * is the toolstack's pause count only (not the hypervisor's own pauses);
 * dying is a domain being destroyed or a zombie.
 */
void getdomaininfo(const struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    uint32_t code = d->shut_down ? d->shutdown_code : SHUTDOWN_CODE_INVALID;

    memset(info, 0, sizeof(*info));
    info->domain = d->domain_id;
    info->flags = getdomaininfo_vcpus(d, info) |
                  (d->state == DOMAIN_DYING ? XEN_DOMINF_dying : 0) |
                  (d->shut_down ? XEN_DOMINF_shutdown : 0) |
                  (d->controller_pause_count ? XEN_DOMINF_paused : 0) |
                  (d->debugger_attached ? XEN_DOMINF_debugged : 0) |
                  (d->is_xenstore ? XEN_DOMINF_xs_domain : 0) |
                  code << XEN_DOMINF_shutdownshift;
    info->tot_pages = d->tot_pages;
    info->max_pages = d->max_pages;
    /* A PV domain's "GMFN" is the machine frame (Xen's mfn_to_gfn()). */
    info->shared_info_frame = mfn_x(d->shared_info_mfn);
    memcpy(info->handle, d->handle, sizeof(info->handle));
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

/* XEN_DOMCTL_getvcpuinfo */
static long domctl_getvcpuinfo(struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_getvcpuinfo *i = &op->u.getvcpuinfo;
    struct vcpu_runstate_info r;
    struct vcpu *v;

    if (i->vcpu >= d->config_max_vcpus)
        return hc_fail(-XEN_EINVAL, "getvcpuinfo: d%u vcpu %u", d->domain_id, i->vcpu);
    if (!(v = domain_vcpu(d, i->vcpu)))
        return hc_fail(-XEN_ESRCH, "getvcpuinfo: d%u has no vcpu %u", d->domain_id,
                       i->vcpu);
    vcpu_runstate_get(v, &r);
    i->online = !v->down;
    i->blocked = v->blocked;
    i->running = v->running;
    i->cpu_time = r.time[RUNSTATE_running];
    i->cpu = 0;                         /* one CPU */
    return 0;
}

/* XEN_DOMCTL_max_mem: Xen keeps max_pages in 32 bits. */
static long domctl_max_mem(struct domain *d, const struct xen_domctl *op)
{
    uint64_t pages = op->u.max_mem.max_memkb >> (PAGE_SHIFT - 10);

    d->max_pages = MIN(pages, (uint64_t)UINT32_MAX);
    return 0;
}

/* XEN_DOMCTL_set_address_size: 64-bit PV only (Xen with pv=no-32). */
static long domctl_set_address_size(const struct xen_domctl *op)
{
    switch (op->u.address_size.size) {
    case 64:
        return 0;
    case 32:
        return hc_fail(-XEN_EOPNOTSUPP, "set_address_size 32: no 32-bit PV");
    default:
        return hc_fail(-XEN_EINVAL, "set_address_size %u", op->u.address_size.size);
    }
}

/* XEN_DOMCTL_scheduler_op for the credit scheduler (Xen's csched_dom_cntl). */
static long domctl_scheduler_op(struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;

    if (s->sched_id != XEN_SCHEDULER_CREDIT)
        return hc_fail(-XEN_EINVAL, "scheduler_op: scheduler %u, running credit (5)",
                       s->sched_id);
    switch (s->cmd) {
    case XEN_DOMCTL_SCHEDOP_getinfo:
        s->u.credit.weight = (uint16_t)d->weight;
        s->u.credit.cap = (uint16_t)d->cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putinfo:
        /* 0 keeps the weight, 0xffff the cap (libxl's "default"). */
        if (s->u.credit.weight)
            d->weight = s->u.credit.weight;
        if (s->u.credit.cap != 0xffff)
            d->cap = s->u.credit.cap;
        return 0;
    case XEN_DOMCTL_SCHEDOP_putvcpuinfo:
    case XEN_DOMCTL_SCHEDOP_getvcpuinfo:
        return hc_fail(-XEN_EINVAL, "scheduler_op %u: credit has no per-vCPU "
                       "parameters", s->cmd);
    default:
        return hc_fail(-XEN_EINVAL, "scheduler_op cmd %u", s->cmd);
    }
}

/*
 * XEN_DOMCTL_settscinfo: Xen 4.17's tsc_set_info() modes, default (0),
 * always emulate (1), never emulate (2), recorded; pvisor always runs the
 * guest on the native TSC (docs/decisions.md). dom0 ignores it.
 */
static long domctl_settscinfo(struct domain *d, const struct xen_domctl *op)
{
    const struct xen_domctl_tsc_info *t = &op->u.tsc_info;

    if (d == current->domain)
        return hc_fail(-XEN_EINVAL, "settscinfo of the caller's own d%u", d->domain_id);
    if (d->is_privileged)
        return 0;
    if (t->tsc_mode > 2)
        return hc_fail(-XEN_EINVAL, "settscinfo: mode %u", t->tsc_mode);
    d->tsc_mode = t->tsc_mode;
    d->gtsc_khz = t->gtsc_khz;
    d->tsc_incarnation = t->incarnation + 1;
    return 0;
}

/* A CPU bitmap in, as Xen's xenctl_bitmap_to_bitmap() (bits past ours dropped). */
static long bitmap_in(const struct xenctl_bitmap *b, uint64_t *mask)
{
    uint8_t byte = 0;

    *mask = 0;
    if (b->nr_bits) {
        if (copy_from_guest(&byte, (uint64_t)b->bitmap.p, 1))
            return -XEN_EFAULT;
        if (b->nr_bits < 8)
            byte &= (uint8_t)~(0xff << b->nr_bits);
    }
    *mask = byte & ((1u << NR_CPUS) - 1);
    return 0;
}

/* A CPU bitmap out: our CPUs' bits, zeros for the rest of the caller's. */
static long bitmap_out(const struct xenctl_bitmap *b, uint64_t mask)
{
    uint32_t bytes = (b->nr_bits + 7) / 8;
    uint8_t byte = (uint8_t)(mask & ((1u << NR_CPUS) - 1)), zero = 0;

    for (uint32_t i = 0; i < bytes; i++)
        if (copy_to_guest((uint64_t)b->bitmap.p + i, i ? &zero : &byte, 1))
            return -XEN_EFAULT;
    return 0;
}

/* XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity (Xen's vcpu_affinity_domctl). */
static long domctl_vcpuaffinity(struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_vcpuaffinity *a = &op->u.vcpuaffinity;
    const uint64_t online = (1ULL << NR_CPUS) - 1;
    struct vcpu *v;
    uint64_t hard, soft;
    long rc;

    if (a->vcpu >= d->config_max_vcpus)
        return hc_fail(-XEN_EINVAL, "vcpuaffinity: d%u vcpu %u", d->domain_id, a->vcpu);
    if (!(v = domain_vcpu(d, a->vcpu)))
        return hc_fail(-XEN_ESRCH, "vcpuaffinity: d%u has no vcpu %u", d->domain_id,
                       a->vcpu);
    if (!(a->flags & (XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT)) ||
        ((a->flags & XEN_VCPUAFFINITY_HARD) && !a->cpumap_hard.bitmap.p) ||
        ((a->flags & XEN_VCPUAFFINITY_SOFT) && !a->cpumap_soft.bitmap.p))
        return hc_fail(-XEN_EINVAL, "vcpuaffinity: flags %#x or a NULL map", a->flags);
    if (op->cmd == XEN_DOMCTL_getvcpuaffinity) {
        if ((a->flags & XEN_VCPUAFFINITY_HARD) &&
            (rc = bitmap_out(&a->cpumap_hard, v->affinity_hard)))
            return rc;
        if ((a->flags & XEN_VCPUAFFINITY_SOFT) &&
            (rc = bitmap_out(&a->cpumap_soft, v->affinity_soft)))
            return rc;
        return 0;
    }
    if (a->flags & XEN_VCPUAFFINITY_HARD) {
        if ((rc = bitmap_in(&a->cpumap_hard, &hard)))
            return rc;
        if (!(hard & online))
            return hc_fail(-XEN_EINVAL, "setvcpuaffinity: no online CPU in the map");
        v->affinity_hard = hard;
        if ((rc = bitmap_out(&a->cpumap_hard, hard & online)))
            return rc;
    }
    if (a->flags & XEN_VCPUAFFINITY_SOFT) {
        if ((rc = bitmap_in(&a->cpumap_soft, &soft)))
            return rc;
        v->affinity_soft = soft;
        /* Effective: soft within hard within the online CPUs. */
        if ((rc = bitmap_out(&a->cpumap_soft, soft & v->affinity_hard & online)))
            return rc;
    }
    return 0;
}

/* The command itself, once do_domctl() checked the rest. */
static long domctl_command(struct domain *d, struct xen_domctl *op, bool *copyback)
{
    switch (op->cmd) {
    case XEN_DOMCTL_createdomain:
        return domctl_createdomain(op, copyback);
    case XEN_DOMCTL_destroydomain:
        return domctl_destroydomain(d);
    case XEN_DOMCTL_pausedomain:
        return domctl_pausedomain(d);
    case XEN_DOMCTL_unpausedomain:
        return domctl_unpausedomain(d);
    case XEN_DOMCTL_max_vcpus:
        return domctl_max_vcpus(d, op);
    case XEN_DOMCTL_max_mem:
        return domctl_max_mem(d, op);
    case XEN_DOMCTL_setvcpucontext:
        return domctl_setvcpucontext(d, op);
    case XEN_DOMCTL_getvcpucontext:
        return domctl_getvcpucontext(d, op, copyback);
    case XEN_DOMCTL_getvcpuinfo:
        *copyback = true;
        return domctl_getvcpuinfo(d, op);
    case XEN_DOMCTL_setvcpuaffinity:
    case XEN_DOMCTL_getvcpuaffinity:
        return domctl_vcpuaffinity(d, op);
    case XEN_DOMCTL_scheduler_op:
        *copyback = true;               /* as Xen: even on an error */
        return domctl_scheduler_op(d, op);
    case XEN_DOMCTL_setdomainhandle:
        memcpy(d->handle, op->u.setdomainhandle.handle, sizeof(d->handle));
        return 0;
    case XEN_DOMCTL_setdebugging:
        if (d == current->domain)
            return hc_fail(-XEN_EINVAL, "setdebugging of the caller's own d%u",
                           d->domain_id);
        d->debugger_attached = op->u.setdebugging.enable;
        return 0;
    case XEN_DOMCTL_hypercall_init:
        return domctl_hypercall_init(d, op);
    case XEN_DOMCTL_set_address_size:
        return domctl_set_address_size(op);
    case XEN_DOMCTL_get_address_size:
        op->u.address_size.size = 64;
        *copyback = true;
        return 0;
    case XEN_DOMCTL_settscinfo:
        return domctl_settscinfo(d, op);
    default:
        return hc_fail(-XEN_ENOSYS, "domctl %u not implemented", op->cmd);
    }
}

long do_domctl(uint64_t arg)
{
    struct domain *caller = current->domain, *d = NULL;
    struct xen_domctl op;
    bool copyback = false;
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

    if (op.cmd == XEN_DOMCTL_getdomaininfo) {
        rc = domctl_getdomaininfo(caller, d, &op);
        copyback = !rc;
    } else if (!caller->is_privileged) {
        return hc_fail(-XEN_EPERM, "domctl %u: d%u is not privileged", op.cmd,
                       caller->domain_id);
    } else {
        rc = domctl_command(d, &op, &copyback);
    }
    /* As Xen: a destroy that has more to do is issued again. */
    if (rc == -XEN_ERESTART)
        return hypercall_create_continuation(__HYPERVISOR_domctl, arg, 0, 0, 0, 0);
    if (copyback && copy_to_guest(arg, &op, sizeof(op)))
        return -XEN_EFAULT;
    return rc;
}
