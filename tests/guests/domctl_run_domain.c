/* SPDX-License-Identifier: MIT */
/*
 * domctl_run_domain - dom0 builds and runs 12 tiny PV domains at once
 * through domctl alone: createdomain, max_vcpus, max_mem, populate_physmap of 8
 * frames, its page tables, code and data written through foreign
 * mappings (mmu_update with foreigndom), hypercall_init,
 * setvcpucontext, unpausedomain. Each domain yields five times, then calls
 * sched_op(shutdown, reboot), through its hypercall page; dom0 sees each
 * shut down, hears VIRQ_DOM_EXC, and destroys them.
 * Rule: the whole path of `xl create` for a PV domain works end to end,
 * with Xen's answers; every frame comes back.
 *
 * The domain's frames 0-7 are mapped at 0x400000 + 4 KiB * n: 0 L4, 1 L3,
 * 2 L2, 3 L1 (the four read-only), 4 the hypercall page, 5 the code, 6
 * the stack, 7 the shutdown argument.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU; sched=credit pv=no-32
 * gnttab=max-ver:1), for each of the 12: every step 0; after
 * setvcpucontext getdomaininfo
 * shows one vCPU online, still paused (flags 0xffff0008);
 * getvcpucontext gives back rip, rsp, cr3 and VGCF_online|VGCF_in_kernel;
 * setvcpucontext again with another cr3: -EOPNOTSUPP; once unpaused
 * every domain shuts down (all 12 within 5 yields of dom0 on Xen, 4 on
 * pvisor: not compared): flags 0x10004 (shutdown, code SHUTDOWN_reboot; its
 * vCPU neither blocked nor running), VIRQ_DOM_EXC pending; destroy 0; the
 * free frames are what they were.
 */
#include "hostile_domctl.h"
#include "hostile_evtchn.h"
#include "hostile_time.h"

#define E(x) (-XEN_##x)
#define NFRAMES   8
#define NDOMAINS  12          /* alive and running at once */
#define BASE_VA   0x400000UL
#define VA(n)     (BASE_VA + (n) * PAGE_SIZE)
#define PT_FLAGS  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

/*
 * Five sched_op(yield) calls, then sched_op(shutdown, &reason), all through
 * the hypercall page (stub 29 at VA(4) + 29 * 32):
 *     mov $5,%ebx
 * 1:  xor %edi,%edi; xor %esi,%esi; mov $VA(4)+29*32,%eax; call *%rax
 *     dec %ebx; jnz 1b
 *     mov $2,%edi; mov $VA(7),%esi; mov $VA(4)+29*32,%eax; call *%rax
 *     jmp .
 */
static const uint8_t code[] = {
    0xbb, 0x05, 0x00, 0x00, 0x00,
    0x31, 0xff, 0x31, 0xf6,
    0xb8, 0xa0, 0x43, 0x40, 0x00,
    0xff, 0xd0,
    0xff, 0xcb,
    0x75, 0xf1,
    0xbf, 0x02, 0x00, 0x00, 0x00,
    0xbe, 0x00, 0x70, 0x40, 0x00,
    0xb8, 0xa0, 0x43, 0x40, 0x00,
    0xff, 0xd0,
    0xeb, 0xfe,
};

static struct xen_domctl op;

/* Write frame n of d (its MFN frames[n]) with fill(); 0 or -1. */
static long write_frame(domid_t d, const xen_pfn_t *frames, unsigned int n)
{
    uint64_t *p = hd_map_foreign(4, d, frames[n]);

    if (!p)
        return -1;
    memset(p, 0, PAGE_SIZE);
    switch (n) {
    case 0: p[0] = (frames[1] << PAGE_SHIFT) | PT_FLAGS; break;
    case 1: p[0] = (frames[2] << PAGE_SHIFT) | PT_FLAGS; break;
    case 2: p[BASE_VA >> 21] = (frames[3] << PAGE_SHIFT) | PT_FLAGS; break;
    case 3:
        for (unsigned int i = 0; i < NFRAMES; i++)
            p[i] = (frames[i] << PAGE_SHIFT) | (i < 4 ? PT_FLAGS & ~_PAGE_RW : PT_FLAGS);
        break;
    case 5: memcpy(p, code, sizeof(code)); break;
    case 7: ((struct sched_shutdown *)p)->reason = SHUTDOWN_reboot; break;
    }
    return hd_unmap_foreign(4) ? -1 : 0;
}

static long setctx(domid_t d, struct vcpu_guest_context *ctx)
{
    hd_init(&op, XEN_DOMCTL_setvcpucontext, d);
    set_xen_guest_handle(op.u.vcpucontext.ctxt, ctx);
    return hd_call(&op);
}

static void build(struct hg_cases *c, domid_t d, xen_pfn_t *frames)
{
    struct vcpu_guest_context *ctx = hg_page(5);
    struct xen_domctl_getdomaininfo i;
    long rc = 0;

    hg_case(c, "max_vcpus 1", hd_max_vcpus(d, 1), 0);
    hg_case(c, "max_mem 32 KiB", hd_max_mem(d, NFRAMES * 4), 0);
    hg_case(c, "populate_physmap 8 frames", hd_populate(d, frames, NFRAMES), NFRAMES);
    for (unsigned int n = 0; n < NFRAMES && !rc; n++)
        if (n != 4)
            rc = write_frame(d, frames, n);
    hg_case(c, "frames written through foreign mappings", rc, 0);
    hd_init(&op, XEN_DOMCTL_hypercall_init, d);
    op.u.hypercall_init.gmfn = frames[4];
    hg_case(c, "hypercall_init", hd_call(&op), 0);

    memset(ctx, 0, sizeof(*ctx));
    ctx->flags = VGCF_in_kernel | VGCF_online;
    ctx->user_regs.rip = VA(5);
    ctx->user_regs.rsp = VA(7);
    ctx->user_regs.cs = FLAT_KERNEL_CS;
    ctx->user_regs.ss = FLAT_KERNEL_SS;
    ctx->user_regs.rflags = 0x200;
    ctx->kernel_ss = FLAT_KERNEL_SS;
    ctx->kernel_sp = VA(7);
    ctx->ctrlreg[3] = frames[0] << PAGE_SHIFT;
    hg_case(c, "setvcpucontext", setctx(d, ctx), 0);
    hg_case(c, "getdomaininfo", hd_info(d, &i), 0);
    hg_case(c, "  flags: paused", i.flags, XEN_DOMINF_paused | HD_CODE_NONE);
    hg_case(c, "  one vCPU online", i.nr_online_vcpus, 1);

    ctx->ctrlreg[3] = frames[1] << PAGE_SHIFT;
    hg_case(c, "setvcpucontext again, another cr3", setctx(d, ctx), E(EOPNOTSUPP));
    memset(ctx, 0, sizeof(*ctx));
    hd_init(&op, XEN_DOMCTL_getvcpucontext, d);
    set_xen_guest_handle(op.u.vcpucontext.ctxt, ctx);
    hg_case(c, "getvcpucontext", hd_call(&op), 0);
    hg_case(c, "  rip", (long)ctx->user_regs.rip, (long)VA(5));
    hg_case(c, "  rsp", (long)ctx->user_regs.rsp, (long)VA(7));
    hg_case(c, "  cr3", (long)ctx->ctrlreg[3], (long)(frames[0] << PAGE_SHIFT));
    hg_case(c, "  flags online|in_kernel",
            ctx->flags & (VGCF_online | VGCF_in_kernel), VGCF_online | VGCF_in_kernel);
    memset(ctx, 0, sizeof(*ctx));
}

const char *hostile_domctl_run_domain(void)
{
    static struct hg_cases c;
    static long ids[NDOMAINS];
    struct xen_domctl_createdomain cfg;
    struct xen_domctl_getdomaininfo i;
    xen_pfn_t *frames = hg_page(3);
    long exc, before, after, rc = 0;
    unsigned int tries = 0, down, n;

    exc = hd_dom_exc_open();
    hg_case(&c, "setup: bind VIRQ_DOM_EXC", exc > 0, 1);
    before = hd_free_frames();
    hg_spin_ns(50000000);
    hd_dom_exc_seen((evtchn_port_t)exc);

    hd_config(&cfg, 1);
    for (n = 0; n < NDOMAINS; n++) {
        ids[n] = hd_create(0, &cfg);
        hg_case(&c, "createdomain", ids[n] > 0, 1);
        if (ids[n] > 0)
            build(&c, (domid_t)ids[n], frames + n * NFRAMES);
    }
    for (n = 0; n < NDOMAINS; n++)
        if (ids[n] > 0 && !rc)
            rc = hd_cmd(XEN_DOMCTL_unpausedomain, (domid_t)ids[n]);
    hg_case(&c, "unpausedomain each", rc, 0);
    do {
        hg_sched_op(SCHEDOP_yield, NULL);
        for (n = 0, down = 0; n < NDOMAINS; n++)
            down += ids[n] > 0 && !hd_info((domid_t)ids[n], &i) &&
                    (i.flags & XEN_DOMINF_shutdown);
    } while (down < NDOMAINS && ++tries < 5000);
    printk("hostile:   (%u domains shut down after %u yields)\n", down, tries);
    hg_case(&c, "every domain ran and shut itself down", down, NDOMAINS);
    for (n = 0; n < NDOMAINS; n++) {
        if (ids[n] <= 0)
            continue;
        hg_case(&c, "getdomaininfo", hd_info((domid_t)ids[n], &i), 0);
        hg_case(&c, "  flags: shut down for reboot", i.flags,
                XEN_DOMINF_shutdown | (SHUTDOWN_reboot << XEN_DOMINF_shutdownshift));
    }
    hg_case(&c, "VIRQ_DOM_EXC", hd_dom_exc_seen((evtchn_port_t)exc), 1);
    for (n = 0; n < NDOMAINS; n++)
        if (ids[n] > 0)
            hg_case(&c, "destroydomain", hd_cmd(XEN_DOMCTL_destroydomain,
                                                (domid_t)ids[n]), 0);
    hg_spin_ns(50000000);
    after = hd_free_frames();
    hg_spin_ns(50000000);
    printk("hostile:   (%ld frames free before, %ld after)\n", before, after);
    hg_case(&c, "free frames as before", after, before);
    hg_port_clear_pending((evtchn_port_t)exc);
    hg_case(&c, "close VIRQ_DOM_EXC", hg_evtchn_close((evtchn_port_t)exc), 0);
    memset(frames, 0, PAGE_SIZE);
    return hg_cases_verdict(&c);
}
