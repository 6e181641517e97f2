/* SPDX-License-Identifier: MIT */
/*
 * domctl_create_bad_args - XEN_DOMCTL_createdomain with one field of a PV
 * config wrong at a time (flags, IOMMU options, vCPUs, vmtrace, grant
 * options and sizes, emulated devices, MSR flags, cpupool), and the fields
 * a PV domain may set; then the ids a toolstack gets afterwards.
 * Rule: a refused config creates nothing and writes nothing back; an
 * accepted one is a domain (destroyed again here); the id rover moves on
 * every "pick an id" request, refused or not, as Xen's.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU without VMX, IOMMU, PT or
 * vPMU; sched=credit pv=no-32 gnttab=max-ver:1):
 *  - flags: hvm -EOPNOTSUPP (no VMX: "not supported"); an unknown bit
 *    (1 << 8), hvm|hap (HAP is refused first), hap alone, iommu,
 *    nested_virt, vpmu, s3_integrity: -EINVAL; oos_off: 0 (forced on
 *    for PV anyway); xs_domain: 0, and getdomaininfo shows
 *    XEN_DOMINF_xs_domain;
 *  - iommu_opts 1 without the iommu flag: -EINVAL;
 *  - max_vcpus 0, 0x10000: -EINVAL; 8: 0 (pvisor's limit; Xen would take
 *    more: docs/decisions.md);
 *  - vmtrace_size 4096: -EINVAL;
 *  - grant_opts version 0, version 2 (above max-ver), 0x10: -EINVAL;
 *    max_grant_frames 0, 65: -EINVAL; -1, 64: 0; max_maptrack_frames
 *    1025: -EINVAL, 0 and -1: 0;
 *  - max_evtchn_port 0xffffffff: 0 (capped to INT_MAX);
 *  - arch.emulation_flags XEN_X86_EMU_PIT: 0; LAPIC: -EOPNOTSUPP;
 *    1 << 11: -EINVAL; arch.misc_flags XEN_X86_MSR_RELAXED: 0, 2: -EINVAL;
 *  - cpupool_id 5: -ESRCH (no such pool);
 *  - ssidref 77: 0 (no XSM policy: ignored);
 *  - domain DOMID_SELF (reserved: "pick one"): a new id; domain 0x7fef:
 *    0x7fef;
 *  - a refused create writes nothing back (domain stays as given);
 *  - after all this, a good "pick an id" create gets the id one past the
 *    last one picked, counting the refused requests (first 1, next 35).
 */
#include "hostile_domctl.h"

#define E(x) (-XEN_##x)

enum field { F_FLAGS, F_IOMMU_OPTS, F_MAX_VCPUS, F_VMTRACE, F_GRANT_OPTS,
             F_GRANT_FRAMES, F_MAPTRACK, F_EVTCHN, F_EMU, F_MISC, F_CPUPOOL,
             F_SSIDREF };

struct create_case {
    const char *label;
    enum field field;
    int64_t value;
    long want;                  /* 0: accepted (a domain, destroyed again) */
};

static const struct create_case cases[] = {
    { "flags 1 << 8", F_FLAGS, 1 << 8, E(EINVAL) },
    { "flags hvm", F_FLAGS, XEN_DOMCTL_CDF_hvm, E(EOPNOTSUPP) },
    { "flags hvm|hap", F_FLAGS, XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, E(EINVAL) },
    { "flags hap", F_FLAGS, XEN_DOMCTL_CDF_hap, E(EINVAL) },
    { "flags iommu", F_FLAGS, XEN_DOMCTL_CDF_iommu, E(EINVAL) },
    { "flags nested_virt", F_FLAGS, XEN_DOMCTL_CDF_nested_virt, E(EINVAL) },
    { "flags vpmu", F_FLAGS, XEN_DOMCTL_CDF_vpmu, E(EINVAL) },
    { "flags s3_integrity", F_FLAGS, XEN_DOMCTL_CDF_s3_integrity, E(EINVAL) },
    { "flags oos_off", F_FLAGS, XEN_DOMCTL_CDF_oos_off, 0 },
    { "flags xs_domain", F_FLAGS, XEN_DOMCTL_CDF_xs_domain, 0 },
    { "iommu_opts 1", F_IOMMU_OPTS, 1, E(EINVAL) },
    { "max_vcpus 0", F_MAX_VCPUS, 0, E(EINVAL) },
    { "max_vcpus 0x10000", F_MAX_VCPUS, 0x10000, E(EINVAL) },
    { "max_vcpus 8", F_MAX_VCPUS, 8, 0 },
    { "vmtrace_size 4096", F_VMTRACE, 4096, E(EINVAL) },
    { "grant version 0", F_GRANT_OPTS, 0, E(EINVAL) },
    { "grant version 2", F_GRANT_OPTS, 2, E(EINVAL) },
    { "grant_opts 0x11", F_GRANT_OPTS, 0x11, E(EINVAL) },
    { "max_grant_frames 0", F_GRANT_FRAMES, 0, E(EINVAL) },
    { "max_grant_frames 65", F_GRANT_FRAMES, 65, E(EINVAL) },
    { "max_grant_frames -1", F_GRANT_FRAMES, -1, 0 },
    { "max_grant_frames 64", F_GRANT_FRAMES, 64, 0 },
    { "max_maptrack_frames 1025", F_MAPTRACK, 1025, E(EINVAL) },
    { "max_maptrack_frames 0", F_MAPTRACK, 0, 0 },
    { "max_evtchn_port 0xffffffff", F_EVTCHN, 0xffffffff, 0 },
    { "emulation_flags PIT", F_EMU, XEN_X86_EMU_PIT, 0 },
    { "emulation_flags LAPIC", F_EMU, XEN_X86_EMU_LAPIC, E(EOPNOTSUPP) },
    { "emulation_flags 1 << 11", F_EMU, 1 << 11, E(EINVAL) },
    { "misc_flags MSR_RELAXED", F_MISC, XEN_X86_MSR_RELAXED, 0 },
    { "misc_flags 2", F_MISC, 2, E(EINVAL) },
    { "cpupool_id 5", F_CPUPOOL, 5, E(ESRCH) },
    { "ssidref 77", F_SSIDREF, 77, 0 },
};

static void set_field(struct xen_domctl_createdomain *c, enum field f, int64_t v)
{
    switch (f) {
    case F_FLAGS:        c->flags = (uint32_t)v; break;
    case F_IOMMU_OPTS:   c->iommu_opts = (uint32_t)v; break;
    case F_MAX_VCPUS:    c->max_vcpus = (uint32_t)v; break;
    case F_VMTRACE:      c->vmtrace_size = (uint32_t)v; break;
    case F_GRANT_OPTS:   c->grant_opts = (uint32_t)v; break;
    case F_GRANT_FRAMES: c->max_grant_frames = (int32_t)v; break;
    case F_MAPTRACK:     c->max_maptrack_frames = (int32_t)v; break;
    case F_EVTCHN:       c->max_evtchn_port = (uint32_t)v; break;
    case F_EMU:          c->arch.emulation_flags = (uint32_t)v; break;
    case F_MISC:         c->arch.misc_flags = (uint32_t)v; break;
    case F_CPUPOOL:      c->cpupool_id = (uint32_t)v; break;
    case F_SSIDREF:      c->ssidref = (uint32_t)v; break;
    }
}

/* One create; an accepted one is looked at and destroyed. */
static void try_case(struct hg_cases *c, const struct create_case *k)
{
    static struct xen_domctl op;
    struct xen_domctl_getdomaininfo i;
    char l[96];
    long rc;

    hd_init(&op, XEN_DOMCTL_createdomain, 0);
    hd_config(&op.u.createdomain, 1);
    set_field(&op.u.createdomain, k->field, k->value);
    rc = hd_call(&op);
    hg_case(c, k->label, rc, k->want);
    if (rc) {
        hg_case(c, "  nothing written back (domain still 0)", op.domain, 0);
        return;
    }
    snprintf(l, sizeof(l), "  getdomaininfo of d%u", op.domain);
    hg_case(c, l, hd_info(op.domain, &i), 0);
    if (k->field == F_FLAGS && k->value == XEN_DOMCTL_CDF_xs_domain)
        hg_case(c, "  flags: xs_domain", i.flags,
                XEN_DOMINF_paused | XEN_DOMINF_xs_domain | HD_CODE_NONE);
    hg_case(c, "  destroyed", hd_cmd(XEN_DOMCTL_destroydomain, op.domain), 0);
}

const char *hostile_domctl_create_bad_args(void)
{
    static struct hg_cases c;
    struct xen_domctl_createdomain cfg;
    long first, id, next;

    hd_config(&cfg, 1);
    first = hd_create(0, &cfg);
    hg_case(&c, "setup: a good create", first > 0, 1);
    hg_case(&c, "  destroyed", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)first), 0);
    for (unsigned int k = 0; k < ARRAY_SIZE(cases); k++)
        try_case(&c, &cases[k]);

    id = hd_create(DOMID_SELF, &cfg);
    hg_case(&c, "domain DOMID_SELF: picks an id", id > 0 && id < DOMID_FIRST_RESERVED, 1);
    if (id > 0)
        hg_case(&c, "  destroyed", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id), 0);
    id = hd_create(0x7fef, &cfg);
    hg_case(&c, "domain 0x7fef", id, 0x7fef);
    if (id > 0)
        hg_case(&c, "  destroyed", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id), 0);
    next = hd_create(0, &cfg);
    printk("hostile:   (first id %ld, next id %ld)\n", first, next);
    /* One pick per request made with domain 0 or reserved: every case,
     * the DOMID_SELF one, and this one. */
    hg_case(&c, "the rover counted every request", next - first,
            (long)ARRAY_SIZE(cases) + 2);
    if (next > 0)
        hg_case(&c, "  destroyed", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)next), 0);
    return hg_cases_verdict(&c);
}
