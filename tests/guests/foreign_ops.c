/* SPDX-License-Identifier: MIT */
/*
 * foreign_ops - what a dom0 domain builder does to another domain, as Xen
 * 4.17 lets the privileged domain do it: populate_physmap, increase and
 * decrease_reservation with domid = the target (under the target's
 * max_pages), the target's M2P entries (mmu_update MMU_MACHPHYS_UPDATE
 * with foreigndom), pins and unpins of the target's tables (mmuext_op with
 * foreigndom, validated as the target's: its L1 may map only its own
 * frames), a foreign mapping of its frames (mmu_update with foreigndom),
 * its grant table's size and frames (grant_table_op query_size and
 * setup_table with dom), the seeding of its grant refs 0 and 1 through a
 * foreign mapping, and that mapping keeping the frame alive after the
 * target is destroyed, until dom0 unmaps it.
 *
 * The target is domain 1 if there is one (tests/boot/meson.build
 * domus-foreign-ops: a boot domU running foreign_target, which gives 4
 * pages of its reservation back and waits, so that there is room under
 * its max_pages). With no other domain (Xen 4.17 as the oracle here has
 * none; the hostile suite's dom0 alone) only the missing-domain answers
 * are tried.
 *
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU, no other domain):
 *  - mmuext_op PIN_L1_TABLE with foreigndom 1 (no such domain): -ESRCH;
 *    with foreigndom 0 (ourselves, by id): -ESRCH ("cannot specify
 *    itself", get_pg_owner()); TLB_FLUSH_LOCAL with DOMID_SELF: 0;
 *  - mmu_update MMU_MACHPHYS_UPDATE with foreigndom 1: -ESRCH;
 *  - memory_op populate_physmap, increase and decrease_reservation with
 *    domid 1: 0, the start extent (a NULL rcu_lock_domain_by_any_id() is
 *    answered like any bad reservation: nothing done), so 1 when
 *    restarted at extent 1; with the struct unmapped: the start extent
 *    too (0, or 3 restarted at 3), not -EFAULT;
 *  - grant_table_op query_size and setup_table for dom 1: 0, status
 *    GNTST_bad_domain (-2).
 * The cases with a target are Xen's from its source (4.17's
 * arch/x86/mm.c do_mmuext_op() pin_page/MMUEXT_UNPIN_TABLE and
 * do_mmu_update() MMU_MACHPHYS_UPDATE: pg_owner = the target, XSM_TARGET
 * lets the control domain; alloc_l1_table() validates get_page_from_l1e(
 * e, d, d) with d the table's owner, so an entry mapping a frame of
 * another domain fails it, -EBUSY from could_not_pin; common/memory.c:
 * reservations on rcu_lock_domain_by_any_id(domid) with XSM_TARGET, the
 * target's max_pages in assign_pages(); common/grant_table.c: setup_table
 * and query_size on any domain for the control domain, XSM_TARGET).
 */
#define __XEN_TOOLS__
#include "hostile_domctl.h"
#include "hostile_time.h"
#include <xen/domctl.h>
#include <xen/grant_table.h>

#define E(x) (-XEN_##x)
#define TARGET_GPFN 0x80000UL           /* a pfn far above a boot domU's */
#define WAIT_MS     20000

static long domctl_info(domid_t id, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_DOMCTL_getdomaininfo;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op.domain = id;
    rc = hypercall5(__HYPERVISOR_domctl, (unsigned long)&op, 0, 0, 0, 0);
    if (!rc && op.domain != id)
        rc = E(ESRCH);          /* the next domain up, not this one */
    if (!rc && info)
        *info = op.u.getdomaininfo;
    return rc;
}

/* The M2P entry of mfn, read from the table every PV guest sees. */
static uint64_t m2p(unsigned long mfn)
{
    return ((const uint64_t *)MACH2PHYS_VIRT_START)[mfn];
}

static long reservation(unsigned long cmd, domid_t dom, xen_pfn_t *list, unsigned long nr)
{
    struct xen_memory_reservation r = { .nr_extents = nr, .domid = dom };

    set_xen_guest_handle(r.extent_start, list);
    return hg_memory_op(cmd, &r);
}

static long ext_on(unsigned int cmd, unsigned long mfn, domid_t dom)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    return hg_mmuext_op(&op, 1, NULL, dom);
}

static long machphys(unsigned long mfn, unsigned long pfn, domid_t dom)
{
    struct mmu_update u = { .ptr = ((uint64_t)mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE,
                            .val = pfn };

    return hg_mmu_update(&u, 1, NULL, dom);
}

/* Map frame mfn of dom at our scratch page va (pte flags), or put old back. */
static long map_at(void *va, unsigned long mfn, uint64_t flags, domid_t dom)
{
    struct mmu_update u = { .ptr = hg_pte_maddr((unsigned long)va),
                            .val = ((uint64_t)mfn << PAGE_SHIFT) | flags };
    struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL,
                             .arg1.linear_addr = (unsigned long)va };
    long rc = hg_mmu_update(&u, 1, NULL, dom);

    hg_mmuext_op(&inv, 1, NULL, DOMID_SELF);
    return rc;
}

static long restore(void *va, uint64_t old)
{
    return hg_update_va_mapping((unsigned long)va, old, UVMF_INVLPG);
}

static long gnttab_op(unsigned int cmd, void *op)
{
    return hypercall5(__HYPERVISOR_grant_table_op, cmd, (unsigned long)op, 1, 0, 0);
}

static void missing_cases(struct hg_cases *c, domid_t none)
{
    xen_pfn_t list[2] = { TARGET_GPFN, TARGET_GPFN + 1 };
    struct xen_memory_reservation r = { .nr_extents = 2, .domid = none };
    struct gnttab_query_size q = { .dom = none };
    struct gnttab_setup_table s = { .dom = none, .nr_frames = 1 };
    xen_pfn_t frame = 0;
    char l[96];

    set_xen_guest_handle(r.extent_start, list);

    snprintf(l, sizeof(l), "pin L1 with foreigndom d%u (none)", none);
    hg_case(c, l, ext_on(MMUEXT_PIN_L1_TABLE, hg_virt_to_mfn(hg_page(1)), none), E(ESRCH));
    hg_case(c, "pin L1 with foreigndom 0 (ourselves by id)",
            ext_on(MMUEXT_PIN_L1_TABLE, hg_virt_to_mfn(hg_page(1)), 0), E(ESRCH));
    hg_case(c, "TLB_FLUSH_LOCAL with DOMID_SELF", ext_on(MMUEXT_TLB_FLUSH_LOCAL, 0, DOMID_SELF), 0);
    hg_case(c, "MACHPHYS_UPDATE with foreigndom (none)",
            machphys(hg_virt_to_mfn(hg_page(1)), 5, none), E(ESRCH));
    hg_case(c, "populate_physmap for (none)",
            reservation(XENMEM_populate_physmap, none, list, 2), 0);
    hg_case(c, "increase_reservation for (none)",
            reservation(XENMEM_increase_reservation, none, list, 1), 0);
    hg_case(c, "decrease_reservation for (none)",
            reservation(XENMEM_decrease_reservation, none, list, 1), 0);
    hg_case(c, "populate_physmap for (none), restart at extent 1",
            hg_memory_op(XENMEM_populate_physmap | (1 << 6), &r), 1);
    hg_case(c, "populate_physmap, struct unmapped", hg_memory_op(XENMEM_populate_physmap,
                                                                 HG_BAD_PTR), 0);
    hg_case(c, "populate_physmap, struct unmapped, restart at extent 3",
            hg_memory_op(XENMEM_populate_physmap | (3 << 6), HG_BAD_PTR), 3);
    hg_case(c, "query_size for (none)", gnttab_op(GNTTABOP_query_size, &q), 0);
    hg_case(c, "  status GNTST_bad_domain", q.status, GNTST_bad_domain);
    set_xen_guest_handle(s.frame_list, &frame);
    hg_case(c, "setup_table for (none)", gnttab_op(GNTTABOP_setup_table, &s), 0);
    hg_case(c, "  status GNTST_bad_domain", s.status, GNTST_bad_domain);
}

/* Wait (yielding) until d's reservation is below its max, or gone. */
static long wait_for_room(domid_t d, struct xen_domctl_getdomaininfo *info)
{
    uint64_t until = hg_now() + WAIT_MS * HG_MS;
    long rc;

    while (!(rc = domctl_info(d, info)) && info->tot_pages >= info->max_pages &&
           hg_now() < until)
        hg_sched_op(SCHEDOP_yield, NULL);
    return rc ? rc : (long)(info->max_pages - info->tot_pages);
}

static void reservation_cases(struct hg_cases *c, domid_t d, long room)
{
    static xen_pfn_t list[64];
    struct xen_domctl_getdomaininfo info;
    long before = hd_free_pages(), done;

    for (unsigned int i = 0; i < ARRAY_SIZE(list); i++)
        list[i] = TARGET_GPFN + i;
    /* One more than room: populate stops at max_pages. */
    done = reservation(XENMEM_populate_physmap, d, list, (unsigned long)room + 1);
    hg_case(c, "populate room + 1 frames for the target", done, room);
    hg_case(c, "  free_pages - room", hd_free_pages(), before - room);
    domctl_info(d, &info);
    hg_case(c, "  target at max_pages", (long)(info.max_pages - info.tot_pages), 0);
    hg_case(c, "  M2P of the first: its gpfn", (long)m2p(list[0]), (long)TARGET_GPFN);
    hg_case(c, "increase_reservation at max_pages",
            reservation(XENMEM_increase_reservation, d, list + 40, 1), 0);
    hg_case(c, "decrease_reservation of them", reservation(XENMEM_decrease_reservation, d, list,
                                                          (unsigned long)done), done);
    hg_case(c, "  free_pages back", hd_free_pages(), before);
    list[50] = hg_virt_to_mfn(hg_page(1));
    hg_case(c, "decrease_reservation of a frame of ours, for the target",
            reservation(XENMEM_decrease_reservation, d, list + 50, 1), 0);
}

/*
 * One frame of the target (populated at TARGET_GPFN) for the M2P, map and
 * pin cases; given back at the end.
 */
static void frame_cases(struct hg_cases *c, domid_t d)
{
    xen_pfn_t f = TARGET_GPFN;
    uint64_t *va = hg_page(0), old = hg_read_pte((unsigned long)va);
    unsigned long ours = hg_virt_to_mfn(hg_page(1));

    hg_case(c, "populate 1 frame for the target", reservation(XENMEM_populate_physmap, d, &f, 1), 1);
    hg_case(c, "MACHPHYS_UPDATE of it, foreigndom target", machphys(f, TARGET_GPFN + 7, d), 0);
    hg_case(c, "  the M2P says so", (long)m2p(f), (long)(TARGET_GPFN + 7));
    hg_case(c, "MACHPHYS_UPDATE of a frame of ours, foreigndom target",
            machphys(ours, 9, d), E(EINVAL));
    hg_case(c, "map it writable, foreigndom target", map_at(va, f, HG_PTE_FLAGS, d), 0);
    memset(va, 0, PAGE_SIZE);
    hg_case(c, "pin it as L1 while we map it writable", ext_on(MMUEXT_PIN_L1_TABLE, f, d), E(EINVAL));
    va[0] = ((uint64_t)ours << PAGE_SHIFT) | _PAGE_PRESENT;     /* a frame of dom0 */
    hg_case(c, "unmap", restore(va, old), 0);
    hg_case(c, "pin as L1 with an entry mapping a frame of dom0",
            ext_on(MMUEXT_PIN_L1_TABLE, f, d), E(EBUSY));
    hg_case(c, "map it writable again", map_at(va, f, HG_PTE_FLAGS, d), 0);
    va[0] = ((uint64_t)f << PAGE_SHIFT) | _PAGE_PRESENT;          /* its own frame */
    hg_case(c, "unmap", restore(va, old), 0);
    hg_case(c, "pin as L1 mapping its own frame", ext_on(MMUEXT_PIN_L1_TABLE, f, d), 0);
    hg_case(c, "pin it again", ext_on(MMUEXT_PIN_L1_TABLE, f, d), E(EINVAL));
    hg_case(c, "map the pinned L1 writable", map_at(va, f, HG_PTE_FLAGS, d), E(EBUSY));
    hg_case(c, "map it read-only", map_at(va, f, HG_PTE_FLAGS & ~(uint64_t)_PAGE_RW, d), 0);
    /* (Validation adds _PAGE_USER, and on Xen a software bit: not compared.) */
    hg_case(c, "  entry 0 reads back", (va[0] & (HG_ADDR_MASK | _PAGE_PRESENT | _PAGE_RW)) ==
            (((uint64_t)f << PAGE_SHIFT) | _PAGE_PRESENT), 1);
    hg_case(c, "unmap", restore(va, old), 0);
    hg_case(c, "unpin it with DOMID_SELF (not ours)", ext_on(MMUEXT_UNPIN_TABLE, f, DOMID_SELF),
            E(EINVAL));
    hg_case(c, "unpin it, foreigndom target", ext_on(MMUEXT_UNPIN_TABLE, f, d), 0);
    hg_case(c, "unpin it again", ext_on(MMUEXT_UNPIN_TABLE, f, d), E(EINVAL));
    hg_case(c, "pin as L2, L3, L4 (empty after zeroing)",
            map_at(va, f, HG_PTE_FLAGS, d) || (memset(va, 0, PAGE_SIZE), restore(va, old)) ||
            ext_on(MMUEXT_PIN_L2_TABLE, f, d) || ext_on(MMUEXT_UNPIN_TABLE, f, d) ||
            ext_on(MMUEXT_PIN_L3_TABLE, f, d) || ext_on(MMUEXT_UNPIN_TABLE, f, d) ||
            ext_on(MMUEXT_PIN_L4_TABLE, f, d) || ext_on(MMUEXT_UNPIN_TABLE, f, d), 0);
    hg_case(c, "NEW_BASEPTR with foreigndom target", ext_on(MMUEXT_NEW_BASEPTR, f, d), E(EPERM));
    hg_case(c, "TLB_FLUSH_LOCAL with foreigndom target", ext_on(MMUEXT_TLB_FLUSH_LOCAL, 0, d),
            E(EPERM));
    hg_case(c, "give it back", reservation(XENMEM_decrease_reservation, d, &f, 1), 1);
}

/*
 * The builder's grant-table steps: the size, the frame, refs 0 and 1
 * written through a foreign mapping; the mapping is kept while the target
 * ends, and the frame must keep what we wrote until we unmap it.
 */
static void gnttab_cases(struct hg_cases *c, domid_t d, void *va, uint64_t old)
{
    struct gnttab_query_size q = { .dom = d };
    struct gnttab_setup_table s = { .dom = d, .nr_frames = 1 };
    xen_pfn_t frame = 0;
    grant_entry_v1_t *g = va;

    hg_case(c, "query_size for the target", gnttab_op(GNTTABOP_query_size, &q), 0);
    hg_case(c, "  status okay, 1 frame or more", q.status == GNTST_okay && q.nr_frames >= 1, 1);
    set_xen_guest_handle(s.frame_list, &frame);
    hg_case(c, "setup_table for the target, 1 frame", gnttab_op(GNTTABOP_setup_table, &s), 0);
    hg_case(c, "  status okay", s.status, GNTST_okay);
    hg_case(c, "map its grant frame writable", map_at(va, frame, HG_PTE_FLAGS, d), 0);
    g[0].domid = 0;
    g[0].frame = 0x1234;
    g[1].domid = 0;
    g[1].frame = 0x5678;
    __atomic_store_n(&g[0].flags, GTF_permit_access, __ATOMIC_RELEASE);
    __atomic_store_n(&g[1].flags, GTF_permit_access, __ATOMIC_RELEASE);
    hg_case(c, "  refs 0 and 1 seeded", g[0].frame == 0x1234 && g[1].frame == 0x5678, 1);
    (void)old;
}

/*
 * The target powers itself off and its builder (here: the hypervisor's
 * boot-domain reaper) destroys it while we still map its grant frame. As
 * Xen 4.17 (and hostile-domctl_zombie): the domain stays, dying, until
 * our mapping goes; then it is gone and the frame is free.
 */
static void destruction_cases(struct hg_cases *c, domid_t d, void *va, uint64_t old)
{
    uint64_t until = hg_now() + WAIT_MS * HG_MS;
    const grant_entry_v1_t *g = va;
    struct xen_domctl_getdomaininfo info;
    long before;

    while (domctl_info(d, &info) == 0 && !(info.flags & XEN_DOMINF_dying) &&
           hg_now() < until)
        hg_sched_op(SCHEDOP_yield, NULL);
    hg_case(c, "the target ended and was destroyed: a zombie", domctl_info(d, &info), 0);
    /* The grant frame is the hypervisor's page shared with it, which
     * tot_pages never counted (as Xen's grant frames), so it reads 0. */
    hg_case(c, "  dying and shut down, no pages of its own", info.flags &
            (XEN_DOMINF_dying | XEN_DOMINF_shutdown | 0xffff0000U),
            XEN_DOMINF_dying | XEN_DOMINF_shutdown);
    hg_case(c, "  tot_pages", info.tot_pages, 0);
    hg_case(c, "  its grant frame, still mapped, keeps refs 0 and 1",
            g[0].frame == 0x1234 && g[1].frame == 0x5678 && g[0].flags == GTF_permit_access, 1);
    before = hd_free_pages();
    hg_case(c, "unmap it", restore(va, old), 0);
    hg_case(c, "  the zombie is gone", domctl_info(d, NULL), E(ESRCH));
    hg_case(c, "  the frame is free only now", hd_free_pages() > before, 1);
}

const char *hostile_foreign_ops(void)
{
    static struct hg_cases c;
    struct xen_domctl_getdomaininfo info;
    void *va = hg_page(0);
    uint64_t old = hg_read_pte((unsigned long)va);
    domid_t d = 1;
    long room;

    if (domctl_info(d, &info)) {
        printk("hostile:   (no domain 1: the missing-domain answers only)\n");
        missing_cases(&c, d);
        return hg_cases_verdict(&c);
    }
    missing_cases(&c, 7);
    room = wait_for_room(d, &info);
    printk("hostile:   (d1: %lu pages, max %lu: room for %ld)\n",
           (unsigned long)info.tot_pages, (unsigned long)info.max_pages, room);
    hg_case(&c, "the target has room under its max_pages", room > 0, 1);
    if (room <= 0)
        return hg_cases_verdict(&c);
    reservation_cases(&c, d, room);
    frame_cases(&c, d);
    gnttab_cases(&c, d, va, old);
    destruction_cases(&c, d, va, old);
    return hg_cases_verdict(&c);
}
