/* SPDX-License-Identifier: MIT */
/*
 * sysctl_bad_args - sysctl (35) with a wrong interface version, bad
 * argument pointers, unknown commands; XEN_SYSCTL_physinfo field by field
 * and its free_pages as our reservation grows and shrinks;
 * XEN_SYSCTL_getdomaininfolist against domctl getdomaininfo; pvisor's own
 * PVISOR_SYSCTL_hypercall_stats. Run by an unprivileged domain (a boot
 * domU), every call past the version check is -EPERM.
 * Rule: the struct is read whole first; the version is checked next, then
 * the caller's privilege, then the command; an unknown command writes
 * nothing back; a known one writes the whole struct back.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, one CPU, -m 512;
 * common/sysctl.c do_sysctl(), arch/x86/sysctl.c):
 *  - interface_version 0, 0x14, 0x16, 0xffffffff: -EACCES, nothing written
 *    (with any command, 9999 too);
 *  - op NULL, unmapped, in Xen's range, its last 8 bytes unmapped: -EFAULT;
 *  - op read-only: physinfo -EFAULT (the copy back fails), nothing
 *    written; cmd 9999 -ENOSYS; version 0 -EACCES;
 *  - commands 0, 13, 24, 28, 30, 9999, 0xffffffff: -ENOSYS, nothing
 *    written; PVISOR_SYSCTL_hypercall_stats (0x7076): -ENOSYS (not Xen's);
 *  - physinfo: threads_per_core 1, cores_per_socket 1, nr_cpus 1,
 *    max_cpu_id 0, nr_nodes 1, max_node_id 63 (MAX_NUMNODES - 1),
 *    cpu_khz the TSC's, capabilities 0x303 (hvm: QEMU's CPU model has
 *    SVM; pv; gnttab v1 and v2), arch_capabilities 0, total_pages 130943
 *    and max_mfn 0x1ffdf with -m 512 (pvisor: the same), scrub and
 *    outstanding 0, hw_cap Xen's own feature words (078bf3fd 80002001
 *    20100800 00000005 0...: CPUID 1.edx less SEP, e1.edx less what
 *    1.edx has); free_pages falls by exactly 1 when we
 *    increase_reservation by one page and is back after
 *    decrease_reservation;
 *  - getdomaininfolist from 0, max 4: 1 domain, d0, equal to domctl
 *    getdomaininfo d0 but for cpu_time; from 1: 0 domains; max 0: 0;
 *    buffer NULL: -EFAULT; the rest of the struct written back as given.
 * pvisor differs where docs/decisions.md says (physinfo's max_node_id, the
 * capabilities, hw_cap), and answers its own command (hypercall_stats).
 */
#define __XEN_TOOLS__       /* xen/sysctl.h is toolstack-only, as Xen's */
#include "hostile_time.h"
#include <xen/sysctl.h>

#define E(x) (-XEN_##x)
#define FILL 0xa5

static bool privileged;

/* E(EPERM) for an unprivileged caller, else want. */
static long priv(long want)
{
    return privileged ? want : E(EPERM);
}

static long hg_sysctl(void *op)
{
    return hypercall5(__HYPERVISOR_sysctl, (unsigned long)op, 0, 0, 0, 0);
}

static void sysctl_init(struct xen_sysctl *op, uint32_t cmd)
{
    memset(op, FILL, sizeof(*op));
    op->cmd = cmd;
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
}

static long sysctl_at(struct xen_sysctl *op, uint32_t version, uint32_t cmd)
{
    sysctl_init(op, cmd);
    op->interface_version = version;
    return hg_sysctl(op);
}

static bool untouched(const struct xen_sysctl *op, uint32_t cmd)
{
    struct xen_sysctl want;

    sysctl_init(&want, cmd);
    want.interface_version = op->interface_version;
    return !memcmp(op, &want, sizeof(want));
}

static void version_cases(struct hg_cases *c, struct xen_sysctl *op)
{
    static const uint32_t bad[] = { 0, XEN_SYSCTL_INTERFACE_VERSION - 1,
                                    XEN_SYSCTL_INTERFACE_VERSION + 1, 0xffffffffu };
    char l[96];

    for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
        snprintf(l, sizeof(l), "physinfo, version %#x", bad[i]);
        hg_case(c, l, sysctl_at(op, bad[i], XEN_SYSCTL_physinfo), E(EACCES));
        hg_case(c, "  nothing written", untouched(op, XEN_SYSCTL_physinfo), 1);
    }
    hg_case(c, "cmd 9999, version 0x14", sysctl_at(op, 0x14, 9999), E(EACCES));
    hg_case(c, "readconsole, version 0", sysctl_at(op, 0, XEN_SYSCTL_readconsole),
            E(EACCES));
}

static long call_read_only(struct xen_sysctl *ro, const struct xen_sysctl *op, bool *written)
{
    long rc;

    memcpy(ro, op, sizeof(*op));
    if (hg_set_readonly(ro))
        return -1000;
    rc = hg_sysctl(ro);
    *written = memcmp(ro, op, sizeof(*op)) != 0;
    if (hg_set_writable(ro))
        return -1001;
    return rc;
}

static void pointer_cases(struct hg_cases *c)
{
    struct xen_sysctl *op = hg_page(3), *ro = hg_page(4), *tail;
    bool written;

    hg_case(c, "NULL", hg_sysctl(NULL), E(EFAULT));
    hg_case(c, "unmapped", hg_sysctl(HG_BAD_PTR), E(EFAULT));
    hg_case(c, "Xen's range", hg_sysctl(HG_XEN_PTR), E(EFAULT));

    tail = hg_hole_open(sizeof(*tail) - 8);
    hg_case(c, "setup: a hole", tail != NULL, 1);
    if (tail) {
        sysctl_init(op, XEN_SYSCTL_physinfo);
        memcpy(tail, op, sizeof(*op) - 8);
        hg_case(c, "physinfo, last 8 bytes unmapped", hg_sysctl(tail), E(EFAULT));
        hg_case(c, "  nr_cpus not written", tail->u.physinfo.nr_cpus, 0xa5a5a5a5);
        hg_case(c, "hole closed", hg_hole_close(), 0);
    }

    sysctl_init(op, XEN_SYSCTL_physinfo);
    hg_case(c, "physinfo, read-only", call_read_only(ro, op, &written), priv(E(EFAULT)));
    hg_case(c, "  nothing written", written, 0);
    sysctl_init(op, 9999);
    hg_case(c, "cmd 9999, read-only", call_read_only(ro, op, &written), priv(E(ENOSYS)));
    sysctl_init(op, XEN_SYSCTL_physinfo);
    op->interface_version = 0;
    hg_case(c, "version 0, read-only", call_read_only(ro, op, &written), E(EACCES));
}

static void command_cases(struct hg_cases *c, struct xen_sysctl *op)
{
    static const uint32_t unknown[] = {
        0, 13, 24, 28, 30, 9999, 0xffffffffu,
        XEN_SYSCTL_tbuf_op, XEN_SYSCTL_sched_id, XEN_SYSCTL_perfc_op,
        XEN_SYSCTL_debug_keys, XEN_SYSCTL_getcpuinfo, XEN_SYSCTL_availheap,
        XEN_SYSCTL_cputopoinfo, XEN_SYSCTL_numainfo, XEN_SYSCTL_cpupool_op,
        XEN_SYSCTL_scheduler_op, XEN_SYSCTL_get_cpu_featureset,
        XEN_SYSCTL_get_cpu_policy,
    };
    char l[96];

    /* Xen implements some of the named ones: only print what it says. */
    for (unsigned int i = 0; i < ARRAY_SIZE(unknown); i++) {
        long rc = sysctl_at(op, XEN_SYSCTL_INTERFACE_VERSION, unknown[i]);

        snprintf(l, sizeof(l), "cmd %#x", unknown[i]);
        if (i < 7 || !privileged) {
            hg_case(c, l, rc, priv(E(ENOSYS)));
            hg_case(c, "  nothing written", untouched(op, unknown[i]), 1);
        } else {
            printk("hostile:   (%s: %ld)\n", l, rc);
        }
    }
}

static void print_physinfo(const struct xen_sysctl_physinfo *p)
{
    printk("hostile:   (threads %u cores %u nr_cpus %u max_cpu_id %u nodes %u "
           "max_node_id %u cpu_khz %u caps %#x arch_caps %#x)\n",
           p->threads_per_core, p->cores_per_socket, p->nr_cpus, p->max_cpu_id,
           p->nr_nodes, p->max_node_id, p->cpu_khz, p->capabilities,
           p->arch_capabilities);
    printk("hostile:   (total %lu free %lu scrub %lu outstanding %lu max_mfn %#lx)\n",
           (unsigned long)p->total_pages, (unsigned long)p->free_pages,
           (unsigned long)p->scrub_pages, (unsigned long)p->outstanding_pages,
           (unsigned long)p->max_mfn);
    printk("hostile:   (hw_cap %08x %08x %08x %08x %08x %08x %08x %08x)\n",
           p->hw_cap[0], p->hw_cap[1], p->hw_cap[2], p->hw_cap[3],
           p->hw_cap[4], p->hw_cap[5], p->hw_cap[6], p->hw_cap[7]);
}

static long physinfo(struct xen_sysctl *op)
{
    return sysctl_at(op, XEN_SYSCTL_INTERFACE_VERSION, XEN_SYSCTL_physinfo);
}

/* free_pages, as physinfo says; -1 on failure. */
static long free_pages(struct xen_sysctl *op)
{
    return physinfo(op) ? -1 : (long)op->u.physinfo.free_pages;
}

static void physinfo_cases(struct hg_cases *c, struct xen_sysctl *op)
{
    const struct xen_sysctl_physinfo *p = &op->u.physinfo;
    xen_pfn_t mfn;
    long before, grown, after;

    hg_case(c, "physinfo", physinfo(op), priv(0));
    if (!privileged)
        return;
    print_physinfo(p);
    hg_case(c, "cmd kept", op->cmd, XEN_SYSCTL_physinfo);
    hg_case(c, "threads_per_core", p->threads_per_core, 1);
    hg_case(c, "cores_per_socket", p->cores_per_socket, 1);
    hg_case(c, "nr_cpus", p->nr_cpus, 1);
    hg_case(c, "max_cpu_id", p->max_cpu_id, 0);
    hg_case(c, "nr_nodes", p->nr_nodes, 1);
    hg_case(c, "cpu_khz > 0", p->cpu_khz > 0, 1);
    hg_case(c, "capabilities: PV", !!(p->capabilities & XEN_SYSCTL_PHYSCAP_pv), 1);
    hg_case(c, "capabilities: no HAP, directio, shadow",
            p->capabilities & (XEN_SYSCTL_PHYSCAP_hap | XEN_SYSCTL_PHYSCAP_directio |
                               XEN_SYSCTL_PHYSCAP_shadow), 0);
    hg_case(c, "max_node_id: 63 (Xen's MAX_NUMNODES - 1)", p->max_node_id, 63);
    hg_case(c, "capabilities: grant v1", !!(p->capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1), 1);
    hg_case(c, "arch_capabilities", p->arch_capabilities, 0);
    hg_case(c, "pad", p->pad, 0);
    hg_case(c, "free_pages < total_pages", p->free_pages < p->total_pages, 1);
    hg_case(c, "our pages <= total_pages - free_pages",
            hg_current_reservation() <= (long)(p->total_pages - p->free_pages), 1);
    hg_case(c, "scrub_pages", (long)p->scrub_pages, 0);
    hg_case(c, "outstanding_pages", (long)p->outstanding_pages, 0);
    hg_case(c, "total_pages <= max_mfn + 1", p->total_pages <= p->max_mfn + 1, 1);

    /* One more page for us: one fewer free; given back: as before. */
    before = free_pages(op);
    hg_case(c, "increase_reservation by 1",
            hg_reservation_op(XENMEM_increase_reservation, &mfn, 1, 0), 1);
    grown = free_pages(op);
    hg_case(c, "decrease_reservation by 1",
            hg_reservation_op(XENMEM_decrease_reservation, &mfn, 1, 0), 1);
    after = free_pages(op);
    printk("hostile:   (free_pages %ld, %ld after increase, %ld after decrease)\n",
           before, grown, after);
    hg_case(c, "free_pages - 1 after increase", grown, before - 1);
    hg_case(c, "free_pages back after decrease", after, before);
}

/* The list from first, at most max into buf; num_domains or -XEN_E*. */
static long domain_list(struct xen_sysctl *op, domid_t first, uint32_t max, void *buf)
{
    long rc;

    sysctl_init(op, XEN_SYSCTL_getdomaininfolist);
    op->u.getdomaininfolist.first_domain = first;
    op->u.getdomaininfolist.max_domains = max;
    set_xen_guest_handle(op->u.getdomaininfolist.buffer, buf);
    rc = hg_sysctl(op);
    return rc ? rc : (long)op->u.getdomaininfolist.num_domains;
}

/* How many domains domctl getdomaininfo finds from id 0 up. */
static long domctl_count(void)
{
    struct xen_domctl d;
    long n = 0;
    domid_t id = 0;

    for (;;) {
        memset(&d, 0, sizeof(d));
        d.cmd = XEN_DOMCTL_getdomaininfo;
        d.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
        d.domain = id;
        if (hypercall5(__HYPERVISOR_domctl, (unsigned long)&d, 0, 0, 0, 0))
            return n;
        n++;
        id = (domid_t)(d.domain + 1);
    }
}

static void list_cases(struct hg_cases *c, struct xen_sysctl *op)
{
    struct xen_domctl_getdomaininfo *info = hg_page(5);
    struct xen_domctl d0;
    long n = domctl_count();

    hg_case(c, "getdomaininfolist from 0, max 4", domain_list(op, 0, 4, info), priv(n < 4 ? n : 4));
    if (!privileged)
        return;
    printk("hostile:   (%ld domains, by domctl)\n", n);
    hg_case(c, "  first_domain kept", op->u.getdomaininfolist.first_domain, 0);
    hg_case(c, "  max_domains kept", op->u.getdomaininfolist.max_domains, 4);
    hg_case(c, "  entry 0 is d0", info[0].domain, 0);
    for (long i = 1; i < n && i < 4; i++)
        hg_case(c, "  entries in id order", info[i].domain > info[i - 1].domain, 1);

    memset(&d0, 0, sizeof(d0));
    d0.cmd = XEN_DOMCTL_getdomaininfo;
    d0.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    hg_case(c, "domctl getdomaininfo d0",
            hypercall5(__HYPERVISOR_domctl, (unsigned long)&d0, 0, 0, 0, 0), 0);
    info[0].cpu_time = d0.u.getdomaininfo.cpu_time;
    hg_case(c, "  entry 0 == getdomaininfo d0 (cpu_time aside)",
            !memcmp(&info[0], &d0.u.getdomaininfo, sizeof(info[0])), 1);

    hg_case(c, "from 1, max 4", domain_list(op, 1, 4, info), n - 1);
    hg_case(c, "from 0x7fef, max 4", domain_list(op, 0x7fef, 4, info), 0);
    hg_case(c, "from DOMID_SELF, max 4", domain_list(op, DOMID_SELF, 4, info), 0);
    hg_case(c, "from 0, max 0", domain_list(op, 0, 0, info), 0);
    hg_case(c, "from 0, max 1", domain_list(op, 0, 1, info), 1);
    hg_case(c, "from 0, max 4, buffer NULL", domain_list(op, 0, 4, NULL), E(EFAULT));
    hg_case(c, "  num_domains not written", op->u.getdomaininfolist.num_domains, 0xa5a5a5a5);
    hg_case(c, "from 0, max 4, buffer in Xen's range", domain_list(op, 0, 4, HG_XEN_PTR),
            E(EFAULT));
}

/*
 * pvisor's own counters: -ENOSYS on Xen; on pvisor every entry, and the
 * sysctl row counts exactly the calls made (each is counted once it
 * returns, so the second read sees the first).
 */
static void stats_cases(struct hg_cases *c, struct xen_sysctl *op)
{
    struct pvisor_sysctl_hypercall_stat *s = hg_page(6);
    struct pvisor_sysctl_hypercall_stats *a = &op->u.pvisor_hypercall_stats;
    uint64_t first;
    long rc;

    sysctl_init(op, PVISOR_SYSCTL_hypercall_stats);
    a->domid = DOMID_SELF;
    a->pad = 0;
    a->nr_entries = 128;
    set_xen_guest_handle(a->buffer, s);
    rc = hg_sysctl(op);
    if (!privileged || rc == E(ENOSYS)) {
        hg_case(c, "hypercall_stats (Xen: no such command)", rc, priv(E(ENOSYS)));
        return;
    }
    hg_case(c, "hypercall_stats d0 (pvisor)", rc, 0);
    hg_case(c, "  nr_entries: 65", a->nr_entries, 65);
    first = s[__HYPERVISOR_sysctl].calls;
    hg_case(c, "  sysctl calls > 0", first > 0, 1);
    hg_case(c, "  memory_op calls > 0", s[__HYPERVISOR_memory_op].calls > 0, 1);
    /* Ticks are sampled with hc_cycles (tests/boot/meson.build passes it). */
    hg_case(c, "  memory_op ticks > 0", s[__HYPERVISOR_memory_op].tsc_ticks > 0, 1);
    a->nr_entries = 128;
    hg_case(c, "hypercall_stats again", hg_sysctl(op), 0);
    hg_case(c, "  sysctl calls + 1", (long)(s[__HYPERVISOR_sysctl].calls - first), 1);
    a->nr_entries = 1;
    s[1].calls = 12345;
    hg_case(c, "hypercall_stats, room for 1", hg_sysctl(op), 0);
    hg_case(c, "  entry 1 not written", (long)s[1].calls, 12345);
    a->domid = 0x7fef;
    hg_case(c, "hypercall_stats of d0x7fef", hg_sysctl(op), E(ESRCH));
    a->domid = DOMID_SELF;
    a->pad = 1;
    hg_case(c, "hypercall_stats, pad 1", hg_sysctl(op), E(EINVAL));
    a->pad = 0;
    a->nr_entries = 65;
    set_xen_guest_handle(a->buffer, HG_BAD_PTR);
    hg_case(c, "hypercall_stats, buffer unmapped", hg_sysctl(op), E(EFAULT));
}

const char *hostile_sysctl_bad_args(void)
{
    static struct hg_cases c;
    struct xen_sysctl *op = hg_page(2);

    privileged = xen_start_info->flags & SIF_PRIVILEGED;
    printk("hostile:   (%s domain)\n", privileged ? "privileged" : "unprivileged");
    version_cases(&c, op);
    pointer_cases(&c);
    command_cases(&c, op);
    physinfo_cases(&c, op);
    list_cases(&c, op);
    stats_cases(&c, op);
    return hg_cases_verdict(&c);
}
