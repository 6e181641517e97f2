/* SPDX-License-Identifier: MIT */
/*
 * domctl_domain.c - the domctl commands of a domain's life, as a PV
 * toolstack (`xl create`, `xl destroy`) issues them: createdomain,
 * max_vcpus, pausedomain/unpausedomain, setvcpucontext/getvcpucontext,
 * hypercall_init, destroydomain.
 * Owns:    the checks of createdomain's config (Xen 4.17's
 *          sanitise_domain_config() and its x86 part, grant_table_init()
 *          and emulation_flags_ok(), for a build without HVM), the
 *          toolstack's pause count, what the commands change of a domain.
 * Touches: struct domain and struct vcpu through domain.c (domain_create,
 *          vcpu_create, domain_pause, domain_kill), a vCPU's context
 *          through pv/vcpu_context.c (the one checker VCPUOP_initialise
 *          also uses), a frame of the target (the hypercall page).
 * Trusts:  do_domctl() (common/domctl.c) copied the struct in and checked
 *          the version, the target and the caller's privilege; every field
 *          of the struct is checked here.
 * ABI:     abi/xen/domctl.h; docs/abi/hypercalls.md rows 36.*. Answers are
 *          Xen 4.17's, observed with tests/guests/domctl_lifecycle.c and
 *          domctl_create_bad_args.c.
 *
 * A domain the toolstack creates starts paused: Xen's "initial pause",
 * controller_pause_count 1, which the toolstack's first unpausedomain
 * drops (then its creation is finished). Its vCPUs exist once
 * XEN_DOMCTL_max_vcpus asks for exactly createdomain's max_vcpus, down
 * until setvcpucontext loads a context with VGCF_online.
 */
#define LOG_PREFIX "domctl"
#include <xen/domctl.h>
#include "arch.h"
#include "domain.h"
#include "domctl_ops.h"
#include "frame.h"
#include "guest_access.h"
#include "hypercall.h"
#include "lib.h"
#include "page.h"

/* Xen 4.17's defaults: gnttab_max_frames, gnttab_max_maptrack_frames. */
#define OPT_MAX_GRANT_FRAMES    GNTTAB_MAX_FRAMES
#define OPT_MAX_MAPTRACK_FRAMES 1024
/* The toolstack's pause count stops here (Xen: -EOVERFLOW past it). */
#define CONTROLLER_PAUSE_MAX    255

/*
 * Xen 4.17's sanitise_domain_config() with arch_sanitise_domain_config(),
 * on a build that has PV and no usable HVM, IOMMU, vmtrace, vPMU or
 * TBOOT (as Xen on the QEMU oracle): every refusal is -XEN_EINVAL but
 * HVM's, -XEN_EOPNOTSUPP.
 */
static long check_config(const struct xen_domctl_createdomain *c)
{
    const uint32_t known = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap |
                           XEN_DOMCTL_CDF_s3_integrity | XEN_DOMCTL_CDF_oos_off |
                           XEN_DOMCTL_CDF_xs_domain | XEN_DOMCTL_CDF_iommu |
                           XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu;

    if (c->flags & ~known)
        return hc_fail(-XEN_EINVAL, "createdomain: unknown flags %#x", c->flags);
    if (c->grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
        return hc_fail(-XEN_EINVAL, "createdomain: grant_opts %#x", c->grant_opts);
    if (c->max_vcpus < 1)
        return hc_fail(-XEN_EINVAL, "createdomain: no vCPUs");
    if ((c->flags & XEN_DOMCTL_CDF_hap) && !(c->flags & XEN_DOMCTL_CDF_hvm))
        return hc_fail(-XEN_EINVAL, "createdomain: HAP for a PV domain");
    if (c->flags & XEN_DOMCTL_CDF_iommu)
        return hc_fail(-XEN_EINVAL, "createdomain: no IOMMU");
    if (c->iommu_opts)
        return hc_fail(-XEN_EINVAL, "createdomain: IOMMU options without IOMMU");
    if (c->vmtrace_size)
        return hc_fail(-XEN_EINVAL, "createdomain: no vmtrace");
    if (c->flags & XEN_DOMCTL_CDF_vpmu)
        return hc_fail(-XEN_EINVAL, "createdomain: no vPMU");
    /* The x86 part: no hardware paging, no HVM at all (observed: HAP is
     * refused before HVM itself, which is "not supported"). */
    if (c->flags & XEN_DOMCTL_CDF_hap)
        return hc_fail(-XEN_EINVAL, "createdomain: no HAP");
    if (c->flags & XEN_DOMCTL_CDF_hvm)
        return hc_fail(-XEN_EOPNOTSUPP, "createdomain: HVM is not available");
    if (c->max_vcpus > MAX_VCPUS_PER_DOM)
        return hc_fail(-XEN_EINVAL, "createdomain: %u vCPUs, at most %u",
                       c->max_vcpus, MAX_VCPUS_PER_DOM);
    if (c->flags & XEN_DOMCTL_CDF_s3_integrity)
        return hc_fail(-XEN_EINVAL, "createdomain: no TBOOT for s3_integrity");
    if (c->flags & XEN_DOMCTL_CDF_nested_virt)
        return hc_fail(-XEN_EINVAL, "createdomain: nested virt without HAP");
    if (c->arch.misc_flags & ~XEN_X86_MSR_RELAXED)
        return hc_fail(-XEN_EINVAL, "createdomain: misc_flags %#x", c->arch.misc_flags);
    return 0;
}

/* Xen's arch_domain_create() on emulation_flags, then grant_table_init(). */
static long check_devices_and_grants(const struct xen_domctl_createdomain *c)
{
    unsigned int version = c->grant_opts & XEN_DOMCTL_GRANT_version_mask;
    int32_t frames = c->max_grant_frames < 0 ? OPT_MAX_GRANT_FRAMES : c->max_grant_frames;
    int32_t maptrack = c->max_maptrack_frames < 0 ? OPT_MAX_MAPTRACK_FRAMES :
                       c->max_maptrack_frames;

    if (c->arch.emulation_flags & ~XEN_X86_EMU_ALL)
        return hc_fail(-XEN_EINVAL, "createdomain: emulation_flags %#x",
                       c->arch.emulation_flags);
    /* A PV domain may have the PIT emulated, nothing else. */
    if (c->arch.emulation_flags && c->arch.emulation_flags != XEN_X86_EMU_PIT)
        return hc_fail(-XEN_EOPNOTSUPP, "createdomain: emulation_flags %#x for PV",
                       c->arch.emulation_flags);
    /* Grant tables v1 only: pvisor is Xen with gnttab=max-ver:1. */
    if (version == 0 || version > 1)
        return hc_fail(-XEN_EINVAL, "createdomain: grant version %u", version);
    if (frames < 1 || frames > OPT_MAX_GRANT_FRAMES || maptrack > OPT_MAX_MAPTRACK_FRAMES)
        return hc_fail(-XEN_EINVAL, "createdomain: %d grant frames, %d maptrack frames",
                       frames, maptrack);
    return 0;
}

long domctl_createdomain(struct xen_domctl *op, bool *copyback)
{
    struct xen_domctl_createdomain *c = &op->u.createdomain;
    struct domain *d;
    long id, rc;

    /* As Xen: the id first (its rover moves even if the config is bad). */
    id = domain_pick_id(op->domain);
    if (id < 0)
        return hc_fail(id, "createdomain: no id for %u", op->domain);
    if ((rc = check_config(c)) || (rc = check_devices_and_grants(c)))
        return rc;
    if (c->cpupool_id)
        return hc_fail(-XEN_ESRCH, "createdomain: no cpupool %u", c->cpupool_id);
    d = domain_create((domid_t)id, false);
    if (!d)
        return hc_fail(-XEN_ENOMEM, "createdomain: no slot or memory for d%ld", id);
    d->config_max_vcpus = c->max_vcpus;
    d->max_evtchn_port = MIN(c->max_evtchn_port, (uint32_t)INT32_MAX);
    d->grant_table.max_frames = c->max_grant_frames < 0 ? OPT_MAX_GRANT_FRAMES :
                                (unsigned int)c->max_grant_frames;
    d->grant_table.max_handles =
        MIN((unsigned int)GNTTAB_MAPTRACK_ENTRIES,
            (c->max_maptrack_frames < 0 ? OPT_MAX_MAPTRACK_FRAMES :
             (unsigned int)c->max_maptrack_frames) * GNTTAB_MAPTRACK_PER_FRAME);
    d->is_xenstore = c->flags & XEN_DOMCTL_CDF_xs_domain;
    memcpy(d->handle, c->handle, sizeof(d->handle));
    d->shutdown_code = ~0U;             /* Xen's SHUTDOWN_CODE_INVALID */
    /* Xen's initial pause, held by the toolstack. */
    d->controller_pause_count = 1;
    domain_pause(d);
    op->domain = d->domain_id;
    *copyback = true;
    return 0;
}

long domctl_max_vcpus(struct domain *d, const struct xen_domctl *op)
{
    unsigned int max = op->u.max_vcpus.max;

    if (d == current->domain || max != d->config_max_vcpus)
        return hc_fail(-XEN_EINVAL, "max_vcpus %u for d%u (created with %u)", max,
                       d->domain_id, d->config_max_vcpus);
    for (unsigned int i = d->max_vcpus; i < max; i++) {
        struct vcpu *v = vcpu_create(d, i);
        if (!v)
            return hc_fail(-XEN_ENOMEM, "max_vcpus: no memory for d%uv%u",
                           d->domain_id, i);
    }
    return 0;
}

long domctl_pausedomain(struct domain *d)
{
    if (d == current->domain)
        return hc_fail(-XEN_EINVAL, "pausedomain of the caller's own d%u", d->domain_id);
    if (d->controller_pause_count >= CONTROLLER_PAUSE_MAX)
        return hc_fail(-XEN_EOVERFLOW, "pausedomain: d%u paused %u times",
                       d->domain_id, d->controller_pause_count);
    d->controller_pause_count++;
    domain_pause(d);
    return 0;
}

long domctl_unpausedomain(struct domain *d)
{
    if (!d->controller_pause_count)
        return hc_fail(-XEN_EINVAL, "unpausedomain: d%u is not paused", d->domain_id);
    if (!--d->controller_pause_count)
        d->creation_finished = true;
    domain_unpause(d);
    return 0;
}

long domctl_destroydomain(struct domain *d)
{
    if (d == current->domain)
        return hc_fail(-XEN_EINVAL, "destroydomain of the caller's own d%u", d->domain_id);
    return domain_kill(d, true);
}

static struct vcpu *target_vcpu(struct domain *d, uint32_t id)
{
    return id < d->config_max_vcpus ? domain_vcpu(d, id) : NULL;
}

/* The vCPU's up/down as the context's VGCF_online says (Xen's _VPF_down). */
static void set_online(struct vcpu *v, bool online)
{
    if (online) {
        vcpu_bring_up(v);
        return;
    }
    if (!v->down) {
        v->down = true;
        vcpu_runstate_change(v, RUNSTATE_offline);
    }
}

long domctl_setvcpucontext(struct domain *d, const struct xen_domctl *op)
{
    static struct vcpu_guest_context c;   /* 5 KiB: one CPU, one call at a time */
    uint64_t ctxt = (uint64_t)op->u.vcpucontext.ctxt.p;
    struct vcpu *v;
    long rc;

    if (d == current->domain || !(v = target_vcpu(d, op->u.vcpucontext.vcpu)))
        return hc_fail(-XEN_EINVAL, "setvcpucontext: d%u vcpu %u", d->domain_id,
                       op->u.vcpucontext.vcpu);
    if (!ctxt) {                        /* NULL: Xen's vcpu_reset() */
        arch_vcpu_reset(v);
        set_online(v, false);
        return 0;
    }
    if (copy_from_guest(&c, ctxt, sizeof(c)))
        return -XEN_EFAULT;
    /* As Xen, paused around the load (arch_set_info_guest under
     * domain_pause()): none of d's vCPUs is on a CPU meanwhile. */
    domain_pause(d);
    if (v->initialised && !(rc = arch_vcpu_context_same_tables(v, &c)))
        arch_vcpu_reset(v);
    else if (v->initialised)
        goto out;
    rc = arch_set_info_guest(v, &c);
    if (!rc)
        set_online(v, c.flags & VGCF_online);
out:
    domain_unpause(d);
    return rc;
}

long domctl_getvcpucontext(struct domain *d, const struct xen_domctl *op, bool *copyback)
{
    static struct vcpu_guest_context c;
    struct vcpu *v = target_vcpu(d, op->u.vcpucontext.vcpu);

    if (!v || v == current)
        return hc_fail(-XEN_EINVAL, "getvcpucontext: d%u vcpu %u", d->domain_id,
                       op->u.vcpucontext.vcpu);
    if (!v->initialised)
        return hc_fail(-XEN_ENODATA, "getvcpucontext: d%uv%u has no context",
                       d->domain_id, v->vcpu_id);
    memset(&c, 0, sizeof(c));
    arch_get_info_guest(v, &c);
    if (copy_to_guest((uint64_t)op->u.vcpucontext.ctxt.p, &c, sizeof(c)))
        return -XEN_EFAULT;
    *copyback = true;
    return 0;
}

/* As Xen's: the frame must be the target's and may become writable. */
long domctl_hypercall_init(struct domain *d, const struct xen_domctl *op)
{
    mfn_t m = _mfn(op->u.hypercall_init.gmfn);
    struct page_info *pg;

    if (!mfn_valid(m) || !get_page(pg = mfn_to_page(m), d))
        return hc_fail(-XEN_EINVAL, "hypercall_init: frame %#lx is not d%u's",
                       op->u.hypercall_init.gmfn, d->domain_id);
    if (get_page_type(pg, PGT_writable_page)) {
        put_page(pg);
        return hc_fail(-XEN_EINVAL, "hypercall_init: frame %#lx is typed %u",
                       op->u.hypercall_init.gmfn, pg->type);
    }
    hypercall_page_init(mfn_to_virt(m));
    put_page_and_type(pg);
    return 0;
}
