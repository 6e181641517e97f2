/* SPDX-License-Identifier: MIT */
/*
 * domctl_bad_args - domctl (36) with a wrong interface version, bad
 * argument pointers, unknown commands, domain ids that name nothing, and
 * XEN_DOMCTL_getdomaininfo of dom0 itself, field by field.
 * Rule: the struct is read whole before anything else is looked at; the
 * version is checked next, then the domain, then the command; a refused
 * call writes nothing back; an answered one writes the whole struct back.
 *
 * dom0 is the only domain, with one vCPU. Observed on Xen 4.17 (4.17.7 as
 * dom0 in QEMU; common/domctl.c do_domctl() and getdomaininfo()):
 *  - interface_version 0, 0x14, 0x16, 0xffffffff: -EACCES, before the
 *    domain or the command is looked at (cmd 9999, domain 1: -EACCES);
 *    nothing written;
 *  - op NULL, unmapped, in Xen's range, or its last 8 bytes unmapped:
 *    -EFAULT (copy_from_guest of all 144 bytes comes first);
 *  - op read-only: getdomaininfo d0 -EFAULT, with nothing written (the
 *    copy back fails); d1 -ESRCH, cmd 9999 -ENOSYS, version 0 -EACCES
 *    (nothing to write back);
 *  - getdomaininfo from d1, d2, d100, d0x7fef: -ESRCH (no domain at or
 *    past the id: system domains are not in the domain list); from
 *    DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_INVALID, DOMID_IDLE, 0x8000,
 *    0xffff: -EINVAL (op->domain >= DOMID_FIRST_RESERVED, checked once
 *    the exact lookup failed); nothing written;
 *  - commands 0, 6, 7, 8 (removed), 9999, 0xffffffff on d0: -ENOSYS
 *    (arch_do_domctl()'s default); on d1, DOMID_SELF, DOMID_IDLE: -ESRCH
 *    (rcu_lock_domain_by_id() first, which knows no DOMID_SELF);
 *  - getdomaininfo d0: 0, the whole struct written back: cmd, version,
 *    _pad and the 16 union bytes past getdomaininfo as given, domain 0;
 *    flags 0xffff0020 (running, and SHUTDOWN_CODE_INVALID, ~0, shifted
 *    into the shutdown-code field although dom0 never shut down),
 *    tot_pages 65536 (= XENMEM_current_reservation), max_pages 0xffffffff
 *    (= maximum_reservation), shared_info_frame = start_info.shared_info
 *    >> 12 (the MFN: mfn_to_gfn() of a PV domain), cpu_time 0.1 s and
 *    between the vCPU's running time before and after, one vCPU online,
 *    max_vcpu_id 0, ssidref, handle, cpupool, outstanding/shared/paged
 *    pages and pads 0, gpaddr_bits 40 (hap_paddr_bits: CPUID 0x80000008
 *    EAX 0x3028), arch_config.misc_flags 0 and emulation_flags 0x100
 *    (XEN_X86_EMU_PIT, forced on for a PV hardware domain). pvisor
 *    emulates no PIT and answers 0 there: only the bits other than the
 *    PIT's are checked.
 * Not tried: other commands Xen implements (they would create, pause or
 * change domains); an unprivileged caller (-EPERM: unit-domctl).
 */
#define __XEN_TOOLS__       /* xen/domctl.h is toolstack-only, as Xen's */
#include "hostile_time.h"
#include <xen/domctl.h>

#define E(x) (-XEN_##x)
#define FILL 0xa5                           /* what the OUT fields start as */

/* One domctl as the toolstack builds it, the rest of the struct FILL. */
static void domctl_init(struct xen_domctl *op, uint32_t cmd, domid_t domain)
{
    memset(op, FILL, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op->domain = domain;
}

static long domctl_at(struct xen_domctl *op, uint32_t version, uint32_t cmd,
                      domid_t domain)
{
    domctl_init(op, cmd, domain);
    op->interface_version = version;
    return hg_domctl(op);
}

/* Was op written back? (A refused call leaves every byte as it was.) */
static bool untouched(const struct xen_domctl *op, uint32_t cmd, domid_t domain)
{
    struct xen_domctl want;

    domctl_init(&want, cmd, domain);
    want.interface_version = op->interface_version;
    return !memcmp(op, &want, sizeof(want));
}

static void version_cases(struct hg_cases *c, struct xen_domctl *op)
{
    static const uint32_t bad[] = { 0, XEN_DOMCTL_INTERFACE_VERSION - 1,
                                    XEN_DOMCTL_INTERFACE_VERSION + 1, 0xffffffffu };
    char l[96];

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        snprintf(l, sizeof(l), "getdomaininfo d0, version %#x", bad[i]);
        hg_case(c, l, domctl_at(op, bad[i], XEN_DOMCTL_getdomaininfo, 0), E(EACCES));
        hg_case(c, "  nothing written", untouched(op, XEN_DOMCTL_getdomaininfo, 0), 1);
    }
    hg_case(c, "cmd 9999, version 0x14",
            domctl_at(op, 0x14, 9999, 0), E(EACCES));
    hg_case(c, "getdomaininfo d1, version 0x14",
            domctl_at(op, 0x14, XEN_DOMCTL_getdomaininfo, 1), E(EACCES));
    hg_case(c, "cmd 9999 on d1, version 0",
            domctl_at(op, 0, 9999, 1), E(EACCES));
}

/* Call domctl on a read-only copy of op (in page ro); ro ends writable. */
static long call_read_only(struct xen_domctl *ro, const struct xen_domctl *op, bool *written)
{
    long rc;

    memcpy(ro, op, sizeof(*op));
    if (hg_set_readonly(ro))
        return -1000;                       /* setup failed: never Xen's answer */
    rc = hg_domctl(ro);
    *written = memcmp(ro, op, sizeof(*op)) != 0;
    if (hg_set_writable(ro))
        return -1001;
    return rc;
}

static void pointer_cases(struct hg_cases *c)
{
    struct xen_domctl *op = hg_page(3), *ro = hg_page(4), *tail;
    bool written;

    hg_case(c, "NULL", hg_domctl(NULL), E(EFAULT));
    hg_case(c, "unmapped", hg_domctl(HG_BAD_PTR), E(EFAULT));
    hg_case(c, "Xen's range", hg_domctl(HG_XEN_PTR), E(EFAULT));

    tail = hg_hole_open(sizeof(*tail) - 8);  /* its last 8 bytes in the hole */
    hg_case(c, "setup: a hole", tail != NULL, 1);
    if (tail) {
        domctl_init(op, XEN_DOMCTL_getdomaininfo, 0);
        memcpy(tail, op, sizeof(*op) - 8);
        hg_case(c, "getdomaininfo d0, last 8 bytes unmapped", hg_domctl(tail), E(EFAULT));
        hg_case(c, "  info.domain not written", tail->u.getdomaininfo.domain, 0xa5a5);
        hg_case(c, "hole closed", hg_hole_close(), 0);
    }

    domctl_init(op, XEN_DOMCTL_getdomaininfo, 0);
    hg_case(c, "getdomaininfo d0, read-only", call_read_only(ro, op, &written), E(EFAULT));
    hg_case(c, "  nothing written", written, 0);
    domctl_init(op, XEN_DOMCTL_getdomaininfo, 1);
    hg_case(c, "getdomaininfo d1, read-only", call_read_only(ro, op, &written), E(ESRCH));
    domctl_init(op, 9999, 0);
    hg_case(c, "cmd 9999 on d0, read-only", call_read_only(ro, op, &written), E(ENOSYS));
    domctl_init(op, XEN_DOMCTL_getdomaininfo, 0);
    op->interface_version = 0;
    hg_case(c, "version 0, read-only", call_read_only(ro, op, &written), E(EACCES));
}

static void domain_cases(struct hg_cases *c, struct xen_domctl *op)
{
    static const domid_t none[] = { 1, 2, 100, 0x7fef };
    static const domid_t reserved[] = { DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_INVALID,
                                        DOMID_IDLE, 0x8000, 0xffff };
    char l[96];

    for (unsigned int i = 0; i < ARRAY_SIZE(none); i++) {
        snprintf(l, sizeof(l), "getdomaininfo from d%u (none >= it)", none[i]);
        hg_case(c, l, domctl_at(op, XEN_DOMCTL_INTERFACE_VERSION,
                                XEN_DOMCTL_getdomaininfo, none[i]), E(ESRCH));
        hg_case(c, "  nothing written", untouched(op, XEN_DOMCTL_getdomaininfo, none[i]), 1);
    }
    for (unsigned int i = 0; i < ARRAY_SIZE(reserved); i++) {
        snprintf(l, sizeof(l), "getdomaininfo from reserved id %#x", reserved[i]);
        hg_case(c, l, domctl_at(op, XEN_DOMCTL_INTERFACE_VERSION,
                                XEN_DOMCTL_getdomaininfo, reserved[i]), E(EINVAL));
        hg_case(c, "  nothing written",
                untouched(op, XEN_DOMCTL_getdomaininfo, reserved[i]), 1);
    }
}

static void command_cases(struct hg_cases *c, struct xen_domctl *op)
{
    static const uint32_t unknown[] = { 0, 6, 7, 8, 9999, 0xffffffffu };
    static const domid_t missing[] = { 1, DOMID_SELF, DOMID_IDLE };
    char l[96];

    for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++) {
        snprintf(l, sizeof(l), "cmd %#x on d0", unknown[i]);
        hg_case(c, l, domctl_at(op, XEN_DOMCTL_INTERFACE_VERSION, unknown[i], 0), E(ENOSYS));
        hg_case(c, "  nothing written", untouched(op, unknown[i], 0), 1);
        for (unsigned int j = 0; j < ARRAY_SIZE(missing); j++) {
            snprintf(l, sizeof(l), "cmd %#x on d%#x", unknown[i], missing[j]);
            hg_case(c, l, domctl_at(op, XEN_DOMCTL_INTERFACE_VERSION, unknown[i],
                                    missing[j]), E(ESRCH));
        }
    }
}

static void print_info(const struct xen_domctl_getdomaininfo *i)
{
    printk("hostile:   (d%u flags %#x tot %lu max %lu outstanding %lu shr %lu paged %lu "
           "shared_info %#lx cpu_time %lu ns)\n", i->domain, i->flags,
           (unsigned long)i->tot_pages, (unsigned long)i->max_pages,
           (unsigned long)i->outstanding_pages, (unsigned long)i->shr_pages,
           (unsigned long)i->paged_pages, (unsigned long)i->shared_info_frame,
           (unsigned long)i->cpu_time);
    printk("hostile:   (online %u max_vcpu_id %u ssidref %u cpupool %u gpaddr_bits %u "
           "emulation_flags %#x misc_flags %#x)\n", i->nr_online_vcpus, i->max_vcpu_id,
           i->ssidref, i->cpupool, i->gpaddr_bits, i->arch_config.emulation_flags,
           i->arch_config.misc_flags);
}

/* CPUID 0x80000008: the guest-physical width (EAX[23:16]) if given, else
 * the physical one (EAX[7:0]), as Xen computes hap_paddr_bits. */
static long cpuid_paddr_bits(void)
{
    struct cpuid_regs r;

    pv_ops.cpuid(0x80000008, 0, &r);
    printk("hostile:   (CPUID 0x80000008 eax %#x)\n", r.eax);
    return (r.eax >> 16) & 0xff ? (r.eax >> 16) & 0xff : r.eax & 0xff;
}

static bool all_bytes(const void *p, size_t n, uint8_t v)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != v)
            return false;
    return true;
}

static void dom0_info_cases(struct hg_cases *c, struct xen_domctl *op)
{
    const struct xen_domctl_getdomaininfo *i = &op->u.getdomaininfo;
    struct vcpu_runstate_info rs;
    domid_t self = DOMID_SELF;
    uint64_t before, mid, now;
    size_t tail = sizeof(op->u) - sizeof(*i);

    hg_case(c, "getdomaininfo from d0",
            domctl_at(op, XEN_DOMCTL_INTERFACE_VERSION, XEN_DOMCTL_getdomaininfo, 0), 0);
    now = hg_now();
    print_info(i);
    hg_case(c, "cmd kept", op->cmd, XEN_DOMCTL_getdomaininfo);
    hg_case(c, "interface_version kept", op->interface_version, XEN_DOMCTL_INTERFACE_VERSION);
    hg_case(c, "domain: 0", op->domain, 0);
    hg_case(c, "_pad kept (FILL)", all_bytes(op->_pad, sizeof(op->_pad), FILL), 1);
    hg_case(c, "union bytes past getdomaininfo kept (FILL)",
            all_bytes((const uint8_t *)&op->u + sizeof(*i), tail, FILL), 1);
    hg_case(c, "info.domain", i->domain, 0);
    hg_case(c, "pad1", i->pad1, 0);
    hg_case(c, "flags", i->flags, XEN_DOMINF_running | 0xffff0000u);
    hg_case(c, "tot_pages == XENMEM_current_reservation",
            (long)i->tot_pages, hg_current_reservation());
    hg_case(c, "max_pages == XENMEM_maximum_reservation", (long)i->max_pages,
            hg_memory_op(XENMEM_maximum_reservation, &self));
    hg_case(c, "outstanding_pages", (long)i->outstanding_pages, 0);
    hg_case(c, "shr_pages", (long)i->shr_pages, 0);
    hg_case(c, "paged_pages", (long)i->paged_pages, 0);
    hg_case(c, "shared_info_frame == start_info.shared_info >> 12",
            (long)i->shared_info_frame, (long)(xen_start_info->shared_info >> PAGE_SHIFT));
    hg_case(c, "0 < cpu_time <= now", i->cpu_time > 0 && i->cpu_time <= now, 1);
    hg_case(c, "nr_online_vcpus", i->nr_online_vcpus, 1);
    hg_case(c, "max_vcpu_id", i->max_vcpu_id, 0);
    hg_case(c, "ssidref", i->ssidref, 0);
    hg_case(c, "handle all zero", all_bytes(i->handle, sizeof(i->handle), 0), 1);
    hg_case(c, "cpupool", i->cpupool, 0);
    hg_case(c, "pad2 all zero", all_bytes(i->pad2, sizeof(i->pad2), 0), 1);
    hg_case(c, "gpaddr_bits == CPUID 0x80000008's address width", i->gpaddr_bits,
            cpuid_paddr_bits());
    hg_case(c, "arch_config.emulation_flags: at most XEN_X86_EMU_PIT",
            i->arch_config.emulation_flags & ~XEN_X86_EMU_PIT, 0);
    hg_case(c, "arch_config.misc_flags", i->arch_config.misc_flags, 0);

    /* cpu_time is the running time of the vCPU, up to the call. */
    before = i->cpu_time;
    hg_case(c, "get_runstate_info vcpu 0", hg_vcpu_op(VCPUOP_get_runstate_info, 0, &rs), 0);
    mid = rs.time[RUNSTATE_running];
    hg_case(c, "getdomaininfo from d0 again",
            domctl_at(op, XEN_DOMCTL_INTERFACE_VERSION, XEN_DOMCTL_getdomaininfo, 0), 0);
    hg_case(c, "cpu_time <= runstate running <= cpu_time later",
            before <= mid && mid <= i->cpu_time, 1);
}

const char *hostile_domctl_bad_args(void)
{
    static struct hg_cases c;
    struct xen_domctl *op = hg_page(2);

    version_cases(&c, op);
    pointer_cases(&c);
    domain_cases(&c, op);
    command_cases(&c, op);
    dom0_info_cases(&c, op);
    return hg_cases_verdict(&c);
}
