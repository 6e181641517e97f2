/* SPDX-License-Identifier: MIT */
/*
 * domctl_lifecycle - dom0 as a toolstack: a PV domain created, looked at,
 * given vCPUs, memory, a handle, scheduler and TSC parameters, paused and
 * unpaused, its vCPU context refused in every way, then destroyed; ids,
 * VIRQ_DOM_EXC and the machine's free memory followed throughout.
 * Rule: every answer is Xen 4.17's; a destroyed domain gives back every
 * frame; ids are not reused at once; dom0 hears of a destruction.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, one CPU, Xen options
 * sched=credit pv=no-32 gnttab=max-ver:1 as pvisor is):
 *  - createdomain (domain 0: "pick one"): the next free id after the last
 *    picked; getdomaininfo: flags 0xffff0008 (paused, no shutdown code),
 *    tot_pages 0, max_pages 0, no vCPU (max_vcpu_id ~0, 0 online),
 *    cpu_time 0, the handle given, cpupool 0; no VIRQ_DOM_EXC (Xen
 *    sends it when a destroyed domain is dead, and again when its struct
 *    is freed an RCU grace period later: the test waits 50 ms after a
 *    destruction before it looks again);
 *  - a second create gets the next id; createdomain with the id of a live
 *    domain -EEXIST; with a free id (id2 + 7): that id;
 *  - max_vcpus 2 for a 1-vCPU domain -EINVAL; 1: 0, then max_vcpu_id 0
 *    but still 0 online (down until a context says VGCF_online);
 *  - getvcpuinfo vcpu 0: 0, online 0, blocked 0, running 0, cpu 0;
 *    vcpu 1 -EINVAL (>= max_vcpus); getvcpucontext vcpu 0 -ENODATA;
 *  - max_mem 64 KiB: max_pages 16; populate_physmap of 20 frames for it:
 *    16 done; tot_pages 16;
 *  - set_address_size 64: 0; 32: -EOPNOTSUPP (pv=no-32); 48: -EINVAL;
 *    get_address_size: 64;
 *  - setdomainhandle: shown by getdomaininfo; setdebugging 1: flags gain
 *    XEN_DOMINF_debugged; on dom0 itself -EINVAL;
 *  - scheduler_op credit getinfo: weight 256, cap 0; putinfo weight 512
 *    cap 0xffff (keep): weight 512 cap 0; sched_id credit2 -EINVAL, the
 *    struct still written back; cmd 7 -EINVAL;
 *  - settscinfo mode 0, 1, 2: 0; mode 3 -EINVAL; on dom0 -EINVAL;
 *  - setvcpuaffinity hard {CPU 0}: 0, the map written back {CPU 0};
 *    hard {CPU 1} only: -EINVAL; flags 0 -EINVAL; soft 0x3: 0, {CPU 0}
 *    back; getvcpuaffinity: the maps as set, cut to the one CPU (1, 1);
 *    a NULL map -EINVAL;
 *  - hypercall_init with a frame of the domain: 0; of dom0: -EINVAL; an
 *    MFN past RAM: -EINVAL;
 *  - setvcpucontext: vcpu 1 -EINVAL; on dom0 -EINVAL; a NULL context 0;
 *    an unreadable context -EFAULT; cr3 naming dom0's L4 -EINVAL; cr3 of
 *    a plain frame of the domain -EINVAL (it does not validate as an L4,
 *    all zeros would: the frame is written first); non-canonical rip
 *    -EINVAL;
 *  - pausedomain: 0 (count 2), unpause 0 (still paused), unpause 0 (not
 *    paused: flags 0xffff0000), unpause -EINVAL; pausedomain of dom0
 *    -EINVAL; 255 pauses in all then -EOVERFLOW, 255 unpauses back;
 *  - destroydomain: 0, VIRQ_DOM_EXC pending; then getdomaininfo of it
 *    -ESRCH, destroydomain -ESRCH, pausedomain -ESRCH;
 *  - the free frames measured before and after are equal, once the RCU
 *    grace period that frees the last struct domain is over (without the
 *    wait Xen is one frame short).
 */
#include "hostile_domctl.h"
#include "hostile_evtchn.h"
#include "hostile_time.h"

#define E(x) (-XEN_##x)

static struct xen_domctl op;

/*
 * Xen sends VIRQ_DOM_EXC when a destroyed domain is dead and again when
 * its struct goes, an RCU grace period later: wait for that, then forget.
 */
static void dom_exc_settle(evtchn_port_t exc)
{
    hg_spin_ns(50000000);
    hd_dom_exc_seen(exc);
}

static long info_flags(domid_t id)
{
    struct xen_domctl_getdomaininfo i;
    long rc = hd_info(id, &i);

    return rc ? rc : (long)i.flags;
}

static void create_cases(struct hg_cases *c, domid_t *d, evtchn_port_t exc)
{
    struct xen_domctl_createdomain cfg;
    struct xen_domctl_getdomaininfo i;
    long id, id2, id3;

    hd_config(&cfg, 1);
    for (unsigned int k = 0; k < sizeof(cfg.handle); k++)
        cfg.handle[k] = (uint8_t)(0x10 + k);
    id = hd_create(0, &cfg);
    hg_case(c, "createdomain (pick an id) > 0", id > 0, 1);
    printk("hostile:   (created d%ld)\n", id);
    *d = (domid_t)id;
    hg_case(c, "getdomaininfo of it", hd_info(*d, &i), 0);
    hg_case(c, "  flags: paused, no shutdown code", i.flags,
            XEN_DOMINF_paused | HD_CODE_NONE);
    hg_case(c, "  tot_pages", (long)i.tot_pages, 0);
    hg_case(c, "  max_pages", (long)i.max_pages, 0);
    hg_case(c, "  max_vcpu_id: none", i.max_vcpu_id, XEN_INVALID_MAX_VCPU_ID);
    hg_case(c, "  nr_online_vcpus", i.nr_online_vcpus, 0);
    hg_case(c, "  cpu_time", (long)i.cpu_time, 0);
    hg_case(c, "  handle as given", !memcmp(i.handle, cfg.handle, sizeof(i.handle)), 1);
    hg_case(c, "  cpupool", i.cpupool, 0);
    hg_case(c, "no VIRQ_DOM_EXC for a creation", hd_dom_exc_seen(exc), 0);

    id2 = hd_create(0, &cfg);
    hg_case(c, "second create: the next id", id2, id + 1);
    hg_case(c, "createdomain with a live id", hd_create(*d, &cfg), E(EEXIST));
    id3 = hd_create((domid_t)(id2 + 7), &cfg);
    hg_case(c, "createdomain with a free id: that id", id3, id2 + 7);
    if (id2 > 0)
        hg_case(c, "destroy the second", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id2), 0);
    if (id3 > 0)
        hg_case(c, "destroy the third", hd_cmd(XEN_DOMCTL_destroydomain, (domid_t)id3), 0);
    hg_case(c, "VIRQ_DOM_EXC for the destructions", hd_dom_exc_seen(exc), 1);
}

static void vcpu_cases(struct hg_cases *c, domid_t d)
{
    struct xen_domctl_getdomaininfo i;

    hg_case(c, "max_vcpus 2 (created with 1)", hd_max_vcpus(d, 2), E(EINVAL));
    hg_case(c, "max_vcpus 0", hd_max_vcpus(d, 0), E(EINVAL));
    hg_case(c, "max_vcpus 1", hd_max_vcpus(d, 1), 0);
    hg_case(c, "max_vcpus 1 again", hd_max_vcpus(d, 1), 0);
    hg_case(c, "getdomaininfo", hd_info(d, &i), 0);
    hg_case(c, "  max_vcpu_id", i.max_vcpu_id, 0);
    hg_case(c, "  nr_online_vcpus: down until a context", i.nr_online_vcpus, 0);
    hg_case(c, "  flags", i.flags, XEN_DOMINF_paused | HD_CODE_NONE);

    hd_init(&op, XEN_DOMCTL_getvcpuinfo, d);
    op.u.getvcpuinfo.vcpu = 0;
    memset(&op.u.getvcpuinfo.online, 0x55, 3);
    hg_case(c, "getvcpuinfo vcpu 0", hd_call(&op), 0);
    hg_case(c, "  online", op.u.getvcpuinfo.online, 0);
    hg_case(c, "  blocked", op.u.getvcpuinfo.blocked, 0);
    hg_case(c, "  running", op.u.getvcpuinfo.running, 0);
    hg_case(c, "  cpu", op.u.getvcpuinfo.cpu, 0);
    hd_init(&op, XEN_DOMCTL_getvcpuinfo, d);
    op.u.getvcpuinfo.vcpu = 1;
    hg_case(c, "getvcpuinfo vcpu 1", hd_call(&op), E(EINVAL));
    hd_init(&op, XEN_DOMCTL_getvcpucontext, d);
    op.u.vcpucontext.vcpu = 0;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, (struct vcpu_guest_context *)hg_page(5));
    hg_case(c, "getvcpucontext vcpu 0 (no context)", hd_call(&op), E(ENODATA));
    op.u.vcpucontext.vcpu = 1;
    hg_case(c, "getvcpucontext vcpu 1", hd_call(&op), E(EINVAL));
}

static void memory_cases(struct hg_cases *c, domid_t d, xen_pfn_t *frames)
{
    struct xen_domctl_getdomaininfo i;

    hg_case(c, "max_mem 64 KiB", hd_max_mem(d, 64), 0);
    hg_case(c, "getdomaininfo", hd_info(d, &i), 0);
    hg_case(c, "  max_pages", (long)i.max_pages, 16);
    hg_case(c, "populate_physmap 20 frames: 16 fit", hd_populate(d, frames, 20), 16);
    hg_case(c, "getdomaininfo", hd_info(d, &i), 0);
    hg_case(c, "  tot_pages", (long)i.tot_pages, 16);
    hg_case(c, "populate_physmap 1 more", hd_populate(d, frames + 16, 1), 0);
}

static long address_size(uint32_t cmd, domid_t d, uint32_t size, uint32_t *out)
{
    long rc;

    hd_init(&op, cmd, d);
    op.u.address_size.size = size;
    rc = hd_call(&op);
    *out = op.u.address_size.size;
    return rc;
}

static long sched(domid_t d, uint32_t id, uint32_t cmd, uint16_t weight, uint16_t cap)
{
    hd_init(&op, XEN_DOMCTL_scheduler_op, d);
    op.u.scheduler_op.sched_id = id;
    op.u.scheduler_op.cmd = cmd;
    op.u.scheduler_op.u.credit.weight = weight;
    op.u.scheduler_op.u.credit.cap = cap;
    return hd_call(&op);
}

static long tsc(domid_t d, uint32_t mode)
{
    hd_init(&op, XEN_DOMCTL_settscinfo, d);
    op.u.tsc_info.tsc_mode = mode;
    return hd_call(&op);
}

static void attribute_cases(struct hg_cases *c, domid_t d)
{
    struct xen_domctl_getdomaininfo i;
    uint32_t size;

    hg_case(c, "set_address_size 64", address_size(XEN_DOMCTL_set_address_size, d, 64, &size), 0);
    hg_case(c, "set_address_size 32", address_size(XEN_DOMCTL_set_address_size, d, 32, &size),
            E(EOPNOTSUPP));
    hg_case(c, "set_address_size 48", address_size(XEN_DOMCTL_set_address_size, d, 48, &size),
            E(EINVAL));
    hg_case(c, "get_address_size", address_size(XEN_DOMCTL_get_address_size, d, 0, &size), 0);
    hg_case(c, "  size", size, 64);

    hd_init(&op, XEN_DOMCTL_setdomainhandle, d);
    memset(op.u.setdomainhandle.handle, 0x77, sizeof(op.u.setdomainhandle.handle));
    hg_case(c, "setdomainhandle", hd_call(&op), 0);
    hg_case(c, "getdomaininfo", hd_info(d, &i), 0);
    hg_case(c, "  handle", i.handle[0] == 0x77 && i.handle[15] == 0x77, 1);

    hd_init(&op, XEN_DOMCTL_setdebugging, d);
    op.u.setdebugging.enable = 1;
    hg_case(c, "setdebugging 1", hd_call(&op), 0);
    hg_case(c, "  flags", info_flags(d), XEN_DOMINF_paused | XEN_DOMINF_debugged | HD_CODE_NONE);
    op.u.setdebugging.enable = 0;
    hg_case(c, "setdebugging 0", hd_call(&op), 0);
    hd_init(&op, XEN_DOMCTL_setdebugging, 0);
    hg_case(c, "setdebugging dom0", hd_call(&op), E(EINVAL));

    hg_case(c, "scheduler_op credit getinfo", sched(d, XEN_SCHEDULER_CREDIT,
            XEN_DOMCTL_SCHEDOP_getinfo, 1, 1), 0);
    hg_case(c, "  weight", op.u.scheduler_op.u.credit.weight, 256);
    hg_case(c, "  cap", op.u.scheduler_op.u.credit.cap, 0);
    hg_case(c, "scheduler_op credit putinfo 512, cap kept", sched(d, XEN_SCHEDULER_CREDIT,
            XEN_DOMCTL_SCHEDOP_putinfo, 512, 0xffff), 0);
    sched(d, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0);
    hg_case(c, "  weight", op.u.scheduler_op.u.credit.weight, 512);
    hg_case(c, "  cap", op.u.scheduler_op.u.credit.cap, 0);
    hg_case(c, "scheduler_op credit putinfo weight 0 (kept), cap 30", sched(d,
            XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_putinfo, 0, 30), 0);
    sched(d, XEN_SCHEDULER_CREDIT, XEN_DOMCTL_SCHEDOP_getinfo, 0, 0);
    hg_case(c, "  weight", op.u.scheduler_op.u.credit.weight, 512);
    hg_case(c, "  cap", op.u.scheduler_op.u.credit.cap, 30);
    hg_case(c, "scheduler_op credit2", sched(d, XEN_SCHEDULER_CREDIT2,
            XEN_DOMCTL_SCHEDOP_getinfo, 9, 9), E(EINVAL));
    hg_case(c, "  written back", op.u.scheduler_op.u.credit.weight, 9);
    hg_case(c, "scheduler_op credit cmd 7", sched(d, XEN_SCHEDULER_CREDIT, 7, 0, 0), E(EINVAL));
    hg_case(c, "scheduler_op credit getvcpuinfo", sched(d, XEN_SCHEDULER_CREDIT,
            XEN_DOMCTL_SCHEDOP_getvcpuinfo, 0, 0), E(EINVAL));

    hg_case(c, "settscinfo mode 0", tsc(d, 0), 0);
    hg_case(c, "settscinfo mode 1", tsc(d, 1), 0);
    hg_case(c, "settscinfo mode 2", tsc(d, 2), 0);
    hg_case(c, "settscinfo mode 3", tsc(d, 3), E(EINVAL));
    hg_case(c, "settscinfo dom0", tsc(0, 0), E(EINVAL));
}

static long affinity(uint32_t cmd, domid_t d, uint32_t flags, uint8_t *hard, uint8_t *soft)
{
    hd_init(&op, cmd, d);
    op.u.vcpuaffinity.vcpu = 0;
    op.u.vcpuaffinity.flags = flags;
    set_xen_guest_handle(op.u.vcpuaffinity.cpumap_hard.bitmap, hard);
    op.u.vcpuaffinity.cpumap_hard.nr_bits = 8;
    set_xen_guest_handle(op.u.vcpuaffinity.cpumap_soft.bitmap, soft);
    op.u.vcpuaffinity.cpumap_soft.nr_bits = 8;
    return hd_call(&op);
}

static void affinity_cases(struct hg_cases *c, domid_t d)
{
    uint8_t *maps = hg_page(6), *hard = maps, *soft = maps + 64;

    *hard = 0xff;
    hg_case(c, "setvcpuaffinity hard 0xff", affinity(XEN_DOMCTL_setvcpuaffinity, d,
            XEN_VCPUAFFINITY_HARD, hard, soft), 0);
    hg_case(c, "  written back: the online CPUs", *hard, 1);
    *hard = 2;
    hg_case(c, "setvcpuaffinity hard {CPU 1}", affinity(XEN_DOMCTL_setvcpuaffinity, d,
            XEN_VCPUAFFINITY_HARD, hard, soft), E(EINVAL));
    hg_case(c, "setvcpuaffinity flags 0", affinity(XEN_DOMCTL_setvcpuaffinity, d, 0, hard,
            soft), E(EINVAL));
    *soft = 0x3;
    hg_case(c, "setvcpuaffinity soft 0x3", affinity(XEN_DOMCTL_setvcpuaffinity, d,
            XEN_VCPUAFFINITY_SOFT, hard, soft), 0);
    hg_case(c, "  written back", *soft, 1);
    *hard = *soft = 0x55;
    hg_case(c, "getvcpuaffinity both", affinity(XEN_DOMCTL_getvcpuaffinity, d,
            XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT, hard, soft), 0);
    /* As set, but only the bits of the CPUs there are (one). */
    hg_case(c, "  hard", *hard, 1);
    hg_case(c, "  soft", *soft, 1);
    hg_case(c, "getvcpuaffinity NULL map", affinity(XEN_DOMCTL_getvcpuaffinity, d,
            XEN_VCPUAFFINITY_HARD, NULL, soft), E(EINVAL));
    memset(maps, 0, 128);
}

static long hypercall_init(domid_t d, unsigned long mfn)
{
    hd_init(&op, XEN_DOMCTL_hypercall_init, d);
    op.u.hypercall_init.gmfn = mfn;
    return hd_call(&op);
}

static void hypercall_page_cases(struct hg_cases *c, domid_t d, const xen_pfn_t *frames)
{
    const uint8_t *p;

    hg_case(c, "hypercall_init with a frame of the domain", hypercall_init(d, frames[0]), 0);
    p = hd_map_foreign(4, d, frames[0]);
    hg_case(c, "  mapped", p != NULL, 1);
    if (p) {
        /* Stub 29 (sched_op): mov $29, %eax somewhere in its 32 bytes. */
        const uint8_t *s = p + 29 * 32;
        bool found = false;
        for (unsigned int k = 0; k + 4 < 32; k++)
            found |= s[k] == 0xb8 && s[k + 1] == 29 && !s[k + 2] && !s[k + 3];
        hg_case(c, "  stub 29 loads 29 into eax", found, 1);
        hg_case(c, "  unmapped", hd_unmap_foreign(4), 0);
    }
    hg_case(c, "hypercall_init with a frame of dom0",
            hypercall_init(d, hg_virt_to_mfn(hg_page(5))), E(EINVAL));
    hg_case(c, "hypercall_init with an MFN past RAM", hypercall_init(d, 1UL << 40), E(EINVAL));
}

static long setctx(domid_t d, uint32_t vcpu, struct vcpu_guest_context *ctx)
{
    hd_init(&op, XEN_DOMCTL_setvcpucontext, d);
    op.u.vcpucontext.vcpu = vcpu;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, ctx);
    return hd_call(&op);
}

static void context_cases(struct hg_cases *c, domid_t d, const xen_pfn_t *frames)
{
    struct vcpu_guest_context *ctx = hg_page(5);
    uint8_t *p;

    memset(ctx, 0, sizeof(*ctx));
    ctx->flags = VGCF_in_kernel | VGCF_online;
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->ctrlreg[3] = hg_read_cr3() & HG_ADDR_MASK;     /* dom0's own L4 */
    hg_case(c, "setvcpucontext vcpu 1", setctx(d, 1, ctx), E(EINVAL));
    hg_case(c, "setvcpucontext on dom0", setctx(0, 0, ctx), E(EINVAL));
    hg_case(c, "setvcpucontext NULL (reset)", setctx(d, 0, NULL), 0);
    hg_case(c, "setvcpucontext unreadable", setctx(d, 0, HG_BAD_PTR), E(EFAULT));
    hg_case(c, "setvcpucontext cr3: dom0's L4", setctx(d, 0, ctx), E(EINVAL));
    /* A frame of the domain full of junk is no L4. */
    p = hd_map_foreign(4, d, frames[1]);
    if (p) {
        memset(p, 0xff, PAGE_SIZE);
        hd_unmap_foreign(4);
    }
    ctx->ctrlreg[3] = frames[1] << PAGE_SHIFT;
    hg_case(c, "setvcpucontext cr3: a junk frame of the domain", setctx(d, 0, ctx), E(EINVAL));
    ctx->user_regs.rip = 0x0000800000000000UL;
    hg_case(c, "setvcpucontext non-canonical rip", setctx(d, 0, ctx), E(EINVAL));
    hg_case(c, "still no context: getdomaininfo online", info_flags(d),
            XEN_DOMINF_paused | HD_CODE_NONE);
    memset(ctx, 0, sizeof(*ctx));
}

static void pause_cases(struct hg_cases *c, domid_t d)
{
    unsigned int n;
    long rc = 0;

    hg_case(c, "pausedomain", hd_cmd(XEN_DOMCTL_pausedomain, d), 0);
    hg_case(c, "unpausedomain (the initial pause stays)", hd_cmd(XEN_DOMCTL_unpausedomain, d), 0);
    hg_case(c, "  flags", info_flags(d), XEN_DOMINF_paused | HD_CODE_NONE);
    hg_case(c, "unpausedomain (the initial pause)", hd_cmd(XEN_DOMCTL_unpausedomain, d), 0);
    hg_case(c, "  flags: not paused", info_flags(d), HD_CODE_NONE);
    hg_case(c, "unpausedomain once more", hd_cmd(XEN_DOMCTL_unpausedomain, d), E(EINVAL));
    hg_case(c, "pausedomain dom0", hd_cmd(XEN_DOMCTL_pausedomain, 0), E(EINVAL));
    for (n = 0; n < 300 && !rc; n++)
        rc = hd_cmd(XEN_DOMCTL_pausedomain, d);
    hg_case(c, "pausedomain until it fails", rc, E(EOVERFLOW));
    hg_case(c, "  after this many", n - 1, 255);
    for (n = 0, rc = 0; n < 300 && !rc; n++)
        rc = hd_cmd(XEN_DOMCTL_unpausedomain, d);
    hg_case(c, "unpausedomain until it fails", rc, E(EINVAL));
    hg_case(c, "  after this many", n - 1, 255);
    hg_case(c, "pausedomain (for the end)", hd_cmd(XEN_DOMCTL_pausedomain, d), 0);
}

static void destroy_cases(struct hg_cases *c, domid_t d, evtchn_port_t exc)
{
    struct xen_domctl_getdomaininfo i;

    dom_exc_settle(exc);
    hg_case(c, "no VIRQ_DOM_EXC yet", hd_dom_exc_seen(exc), 0);
    hg_case(c, "destroydomain", hd_cmd(XEN_DOMCTL_destroydomain, d), 0);
    hg_case(c, "VIRQ_DOM_EXC", hd_dom_exc_seen(exc), 1);
    hg_case(c, "getdomaininfo of it", hd_info(d, &i), E(ESRCH));
    hg_case(c, "destroydomain again", hd_cmd(XEN_DOMCTL_destroydomain, d), E(ESRCH));
    hg_case(c, "pausedomain", hd_cmd(XEN_DOMCTL_pausedomain, d), E(ESRCH));
    hg_case(c, "destroydomain dom0", hd_cmd(XEN_DOMCTL_destroydomain, 0), E(EINVAL));
}

const char *hostile_domctl_lifecycle(void)
{
    static struct hg_cases c;
    xen_pfn_t *frames = hg_page(3);
    long exc, before, after;
    domid_t d = 0;

    exc = hd_dom_exc_open();
    hg_case(&c, "setup: bind VIRQ_DOM_EXC", exc > 0, 1);
    before = hd_free_frames();
    hg_case(&c, "setup: free frames measured", before > 100, 1);
    printk("hostile:   (%ld frames free)\n", before);
    dom_exc_settle((evtchn_port_t)exc);

    create_cases(&c, &d, (evtchn_port_t)exc);
    if (d > 0 && d < DOMID_FIRST_RESERVED) {
        vcpu_cases(&c, d);
        memory_cases(&c, d, frames);
        attribute_cases(&c, d);
        affinity_cases(&c, d);
        hypercall_page_cases(&c, d, frames);
        context_cases(&c, d, frames);
        pause_cases(&c, d);
        destroy_cases(&c, d, (evtchn_port_t)exc);
    }
    dom_exc_settle((evtchn_port_t)exc);   /* and Xen frees d's struct */
    after = hd_free_frames();
    printk("hostile:   (%ld frames free at the end)\n", after);
    hg_case(&c, "free frames as before", after, before);
    hg_port_clear_pending((evtchn_port_t)exc);
    hg_case(&c, "close VIRQ_DOM_EXC", hg_evtchn_close((evtchn_port_t)exc), 0);
    memset(frames, 0, PAGE_SIZE);
    return hg_cases_verdict(&c);
}
