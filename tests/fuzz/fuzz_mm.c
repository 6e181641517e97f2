/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_mm.c - generators for the memory hypercalls: mmu_update,
 *                        update_va_mapping[_otherdomain], mmuext_op,
 *                        memory_op, update_descriptor, set_gdt.
 * Owns:    which frames, entries and VAs each of them may be aimed at, and
 *          giving back what a reservation call handed out (fz_post_reserve).
 * Touches: scratch frames, window PTEs, the two fuzzer L4 slots, the
 *          kernel's tables only through pin/unpin (undone by fz_post_pins),
 *          the reservation (every frame received is returned).
 *
 * Never: a kernel page-table entry (other than the empty L4 slots), a
 * kernel frame as a write or clear target, NEW_BASEPTR to anything but the
 * kernel's own L4 (or frames that cannot validate as one), decrease/exchange
 * of a frame the kernel uses.
 */
#include "fuzz.h"

#define FZ_MAX_BATCH 16

/* ---- mmu_update -------------------------------------------------------------- */
static void fz_gen_mmu_req(struct mmu_update *r, struct fz_call *c)
{
    bool l4 = false;
    unsigned int cmd;
    uint64_t mfn;

    switch (fz_below(10)) {
    case 0:                                     /* M2P of scratch or foreign */
        mfn = fz_target_mfn();
        r->ptr = (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
        r->val = fz_chance(1, 2) ? fz_below(fz.nr_pfns) : fz_rand();
        if (fz_is_scratch(mfn))
            c->post |= FZ_POST_MACHPHYS;
        return;
    case 1:
        cmd = MMU_PT_UPDATE_PRESERVE_AD;
        break;
    case 2:
        cmd = (unsigned int)fz_below(8);        /* also invalid commands */
        break;
    default:
        cmd = MMU_NORMAL_PT_UPDATE;
    }
    if (cmd == MMU_MACHPHYS_UPDATE)
        cmd = MMU_NORMAL_PT_UPDATE;
    r->ptr = (fz_pte_maddr(&l4) & ~7UL) | cmd;
    r->val = fz_pte();
    if (l4)
        c->post |= FZ_POST_L4_SLOTS;
}

void fz_gen_mmu_update(struct fz_call *c)
{
    struct mmu_update *reqs = fz_slot();
    unsigned int *done = (unsigned int *)((uint8_t *)reqs + PAGE_SIZE);
    unsigned int n = 1 + (unsigned int)fz_below(fz_chance(1, 4) ? FZ_MAX_BATCH : 2);

    for (unsigned int i = 0; i < n; i++)
        fz_gen_mmu_req(&reqs[i], c);
    c->op = __HYPERVISOR_mmu_update;
    c->arg[0] = fz_ptr(reqs);
    c->arg[1] = n;
    if (c->arg[0] != (uint64_t)reqs && fz_chance(1, 2))
        c->arg[1] = fz_rand() & 0xffffffffUL;  /* nothing there to read */
    if (c->arg[0] == (uint64_t)reqs && fz_chance(1, 16))
        c->arg[1] = 0;
    c->arg[2] = fz_chance(1, 2) ? 0 : fz_optr(done);
    c->arg[3] = fz_chance(15, 16) ? DOMID_SELF : fz_domid();
}

/* ---- update_va_mapping -------------------------------------------------------- */
void fz_gen_update_va_mapping(struct fz_call *c, bool otherdomain)
{
    static const uint64_t flush[] = { UVMF_NONE, UVMF_TLB_FLUSH, UVMF_INVLPG,
                                      UVMF_FLUSHTYPE_MASK };
    uint64_t flags = FZ_PICK(flush) | (fz_chance(1, 4) ? UVMF_ALL : 0);
    uint8_t *mask = fz_slot();

    if (fz_chance(1, 8)) {                       /* UVMF_MULTI: a vCPU mask */
        fz_fill(mask, 8);
        flags |= fz_ptr(mask) & ~7UL;
    } else if (fz_chance(1, 32)) {
        flags = fz_rand();
    }
    c->op = otherdomain ? __HYPERVISOR_update_va_mapping_otherdomain
                        : __HYPERVISOR_update_va_mapping;
    c->arg[0] = fz_va();
    c->arg[1] = fz_pte();
    c->arg[2] = flags;
    c->arg[3] = otherdomain ? fz_domid() : 0;
}

/* ---- mmuext_op ------------------------------------------------------------------- */
/* PIN_Lx or UNPIN on one of the kernel's own tables, alone in its batch so
 * that its result is known; fz_post_pins() undoes a success. */
static void fz_gen_kernel_pin(struct mmuext_op *op, struct fz_call *c)
{
    unsigned int level = 1 + (unsigned int)fz_below(PT_LEVELS);
    unsigned int as = fz_chance(3, 4) ? level : 1 + (unsigned int)fz_below(PT_LEVELS);

    c->kt_mfn = fz.kpt_mfn[level];
    c->kt_level = level;
    c->kt_unpin = fz_chance(1, 2);
    op->cmd = c->kt_unpin ? MMUEXT_UNPIN_TABLE : MMUEXT_PIN_L1_TABLE + as - 1;
    op->arg1.mfn = c->kt_mfn;
    if (!c->kt_unpin && as != level)
        c->kt_level = as;                     /* what a success pinned it as */
    c->post |= FZ_POST_PINS;
}

/* NEW_BASEPTR only to frames that cannot validate as a fresh L4 (the
 * kernel's L4 itself is a no-op switch): never a scratch frame, nor a
 * "foreign" one below the end of RAM, which may be ours after all (a frame
 * an increase_reservation handed out unreported validates as an empty L4,
 * and switching to it kills the kernel, on Xen as anywhere). */
static uint64_t fz_baseptr_mfn(void)
{
    switch (fz_below(5)) {
    case 0:
    case 1:  return fz.l4_mfn;
    case 2:  return fz.kpt_mfn[1 + fz_below(PT_LEVELS - 1)];
    case 3:  return fz.arena_mfn;
    default: return fz.max_mfn + fz_below(1UL << 20);
    }
}

static void fz_gen_mmuext(struct mmuext_op *op, struct fz_call *c, uint8_t *mask)
{
    static const unsigned int cmds[] = {
        MMUEXT_PIN_L1_TABLE, MMUEXT_PIN_L2_TABLE, MMUEXT_PIN_L3_TABLE,
        MMUEXT_PIN_L4_TABLE, MMUEXT_UNPIN_TABLE, MMUEXT_UNPIN_TABLE,
        MMUEXT_NEW_BASEPTR, MMUEXT_TLB_FLUSH_LOCAL, MMUEXT_INVLPG_LOCAL,
        MMUEXT_TLB_FLUSH_MULTI, MMUEXT_INVLPG_MULTI, MMUEXT_TLB_FLUSH_ALL,
        MMUEXT_INVLPG_ALL, MMUEXT_FLUSH_CACHE, MMUEXT_SET_LDT,
        MMUEXT_NEW_USER_BASEPTR, MMUEXT_CLEAR_PAGE, MMUEXT_COPY_PAGE,
        MMUEXT_FLUSH_CACHE_GLOBAL, MMUEXT_MARK_SUPER, MMUEXT_UNMARK_SUPER,
    };

    op->cmd = fz_chance(1, 32) ? 14 + (uint32_t)fz_below(256) : FZ_PICK(cmds);
    op->arg1.mfn = fz_target_mfn();
    op->arg2.src_mfn = fz_rand();
    switch (op->cmd) {
    case MMUEXT_PIN_L1_TABLE: case MMUEXT_PIN_L2_TABLE:
    case MMUEXT_PIN_L3_TABLE: case MMUEXT_PIN_L4_TABLE:
    case MMUEXT_UNPIN_TABLE:
        break;                                  /* scratch or foreign */
    case MMUEXT_NEW_BASEPTR:
        op->arg1.mfn = fz_baseptr_mfn();
        break;
    case MMUEXT_NEW_USER_BASEPTR:
        op->arg1.mfn = fz_chance(1, 4) ? 0 : fz_any_mfn();
        c->post |= FZ_POST_USER_BASE;
        break;
    case MMUEXT_INVLPG_LOCAL: case MMUEXT_INVLPG_ALL: case MMUEXT_INVLPG_MULTI:
        op->arg1.linear_addr = fz_chance(1, 2) ? fz_va() : fz_rand();
        /* fall through */
    case MMUEXT_TLB_FLUSH_MULTI:
        fz_fill(mask, 8);
        op->arg2.src_mfn = fz_ptr(mask);
        break;
    case MMUEXT_SET_LDT:
        op->arg1.linear_addr = fz_chance(1, 2) ? fz_va() : fz_rand();
        op->arg2.nr_ents = (uint32_t)(fz_chance(1, 2) ? fz_below(8193) : fz_rand());
        c->post |= FZ_POST_LDT;
        break;
    case MMUEXT_COPY_PAGE:
        op->arg2.src_mfn = fz_any_mfn();
        break;
    default:
        break;
    }
}

void fz_gen_mmuext_op(struct fz_call *c)
{
    struct mmuext_op *ops = fz_slot();
    uint8_t *mask = (uint8_t *)ops + PAGE_SIZE;
    unsigned int *done = (unsigned int *)(mask + 64);
    unsigned int n = 1 + (unsigned int)fz_below(fz_chance(1, 4) ? FZ_MAX_BATCH : 2);

    if (fz_chance(1, 8)) {
        n = 1;
        fz_gen_kernel_pin(&ops[0], c);
    } else {
        for (unsigned int i = 0; i < n; i++)
            fz_gen_mmuext(&ops[i], c, mask);
    }
    c->op = __HYPERVISOR_mmuext_op;
    c->arg[0] = (c->post & FZ_POST_PINS) ? (uint64_t)ops : fz_ptr(ops);
    c->arg[1] = n;
    if (c->arg[0] != (uint64_t)ops && fz_chance(1, 2))
        c->arg[1] = fz_rand() & 0xffffffffUL;
    c->arg[2] = fz_chance(1, 2) ? 0 : fz_optr(done);
    c->arg[3] = fz_chance(15, 16) || (c->post & FZ_POST_PINS) ? DOMID_SELF : fz_domid();
}

static void fz_mmuext1(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = mfn;
    HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

void fz_post_pins(struct fz_call *c, long rc)
{
    if (rc != 0)
        return;
    if (c->kt_unpin)
        fz_mmuext1(MMUEXT_PIN_L1_TABLE + c->kt_level - 1, c->kt_mfn);
    else
        fz_mmuext1(MMUEXT_UNPIN_TABLE, c->kt_mfn);
}

/* ---- memory_op ---------------------------------------------------------------- */
struct fz_reserve {
    xen_pfn_t *list;               /* the frames handed out, NULL if unknown */
    uint64_t first;                /* start_extent of a continuation        */
    unsigned int order;
    bool ours;                     /* the domid named us                    */
    struct xen_memory_exchange *exch;   /* exchange: the request          */
    xen_pfn_t *in_list;
    bool exch_read;                /* exch is where the hypervisor wrote    */
};

static bool fz_domid_is_self(uint64_t domid)
{
    return (domid_t)domid == DOMID_SELF || (domid_t)domid == 0;
}

static void fz_decrease(const xen_pfn_t *list, uint64_t n, unsigned int order)
{
    struct xen_memory_reservation r = { .nr_extents = n, .extent_order = order,
                                        .domid = DOMID_SELF };
    long rc;

    if (!n)
        return;
    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)list);
    rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
    if (rc != (long)n)
        printk("fuzz: giving back %lu extents of order %u (mfn %#lx..): %ld\n",
               n, order, list[0], rc);
}

static uint32_t fz_order(void)
{
    if (fz_chance(3, 4))
        return 0;
    return (uint32_t)(fz_chance(3, 4) ? fz_below(5) : fz_rand() & 63);
}

static uint32_t fz_mem_flags(void)
{
    if (fz_chance(3, 4))
        return 0;
    return fz_chance(1, 2) ? XENMEMF_address_bits((uint32_t)fz_below(65))
                           : (uint32_t)fz_rand();
}

/* increase_reservation and populate_physmap: frames for us, given back. */
static void fz_gen_reservation(struct fz_call *c, unsigned int cmd)
{
    struct xen_memory_reservation *r = fz_slot();
    struct fz_reserve *res = (struct fz_reserve *)((uint8_t *)r + 64);
    xen_pfn_t *list = (xen_pfn_t *)((uint8_t *)r + PAGE_SIZE);
    uint64_t n = 1 + fz_below(8), ptr = fz_ptr(list);

    for (unsigned int i = 0; i < n; i++)
        list[i] = fz_chance(3, 4) ? fz.nr_pfns + fz_below(fz.nr_pfns) : fz_rand();
    r->extent_order = fz_order();
    r->mem_flags = fz_mem_flags();
    r->domid = (domid_t)(fz_chance(7, 8) ? DOMID_SELF : fz_domid());
    for (unsigned int i = 0; i < n; i++)   /* populate: findable in the M2P */
        if (cmd == XENMEM_populate_physmap && fz_chance(1, 2))
            list[i] = fz_tag(fz_rand());
    if (ptr != (uint64_t)list && cmd == XENMEM_increase_reservation) {
        n = 1 + fz_below(2);            /* unreported frames: keep it small */
        r->extent_order = 0;
        fz_rsv_flags |= FZ_RSV_UNREPORTED;
    }
    fz_rsv_flags |= FZ_RSV_TOUCHED;
    r->nr_extents = n;
    set_xen_guest_handle(r->extent_start, (xen_pfn_t *)ptr);
    res->list = ptr == (uint64_t)list ? list : NULL;
    res->order = r->extent_order;
    res->ours = fz_domid_is_self(r->domid);
    res->first = fz_chance(1, 16) ? fz_below(n + 2) : 0;
    c->arg[0] = cmd | (res->first << PVISOR_MEMOP_EXTENT_SHIFT);
    c->arg[1] = fz_chance(15, 16) ? (uint64_t)r : fz_ptr(NULL);
    c->reserve = res;
    c->reserve_cmd = cmd;
    c->post |= FZ_POST_RESERVE;
}

/* No frame of the 2^order from mfn is ours (orders past 4: only beyond
 * RAM, where nothing is). */
static bool fz_extent_is_foreign(uint64_t mfn, unsigned int order)
{
    if (order > 4)
        return mfn >= fz.max_mfn && mfn + (1UL << (order & 63)) > mfn;
    for (uint64_t i = 0; i < (1UL << order); i++)
        if (mfn + i == fz.shared_info_mfn || fz_is_scratch(mfn + i) ||
            fz_in_ballast(mfn + i) || mfn_to_pfn(mfn + i) != INVALID_FRAME)
            return false;
    return true;
}

/* decrease_reservation: only frames that are not the guest's. */
static void fz_gen_decrease(struct fz_call *c)
{
    struct xen_memory_reservation *r = fz_slot();
    xen_pfn_t *list = (xen_pfn_t *)((uint8_t *)r + PAGE_SIZE);
    uint64_t n = 1 + fz_below(8);

    r->extent_order = fz_order();
    for (unsigned int i = 0; i < n; i++) {
        list[i] = fz_foreign_mfn();
        if (!fz_extent_is_foreign(list[i], r->extent_order))
            r->extent_order = 0;
    }
    r->domid = (domid_t)(fz_chance(7, 8) ? DOMID_SELF : fz_domid());
    uint64_t ptr = fz_ptr(list);
    set_xen_guest_handle(r->extent_start, (xen_pfn_t *)ptr);
    if (ptr == (uint64_t)list)
        r->nr_extents = n;                 /* never past what we filled */
    else if (fz_chance(1, 2))
        r->nr_extents = fz_rand();
    c->arg[0] = XENMEM_decrease_reservation;
    c->arg[1] = fz_chance(15, 16) ? (uint64_t)r : fz_ptr(NULL);
    fz_rsv_flags |= FZ_RSV_TOUCHED;
}

/* Frames for an exchange: n fresh extents of order 0 (a call of its own). */
static uint64_t fz_fresh_frames(xen_pfn_t *list, uint64_t n)
{
    struct xen_memory_reservation r = { .nr_extents = n, .domid = DOMID_SELF };
    long rc;

    set_xen_guest_handle(r.extent_start, list);
    rc = HYPERVISOR_memory_op(XENMEM_increase_reservation, &r);
    fz_count(rc);
    return rc > 0 ? (uint64_t)rc : 0;
}

/* exchange: frames we just got for new ones; every frame either side of
 * the exchange ends up given back. */
static void fz_gen_exchange(struct fz_call *c)
{
    struct xen_memory_exchange *x = fz_slot();
    struct fz_reserve *res = (struct fz_reserve *)((uint8_t *)x + 256);
    xen_pfn_t *in = (xen_pfn_t *)((uint8_t *)x + PAGE_SIZE), *out = in + 64;
    uint64_t i;
    uint64_t n = fz_fresh_frames(in, 1 + fz_below(4));
    bool fresh = n > 0;

    if (!fresh)                          /* nothing to give: foreign frames */
        for (n = 1 + fz_below(4), i = 0; i < n; i++)
            in[i] = fz_foreign_mfn();
    x->in.nr_extents = n;
    x->in.domid = DOMID_SELF;
    set_xen_guest_handle(x->in.extent_start, in);
    x->out.nr_extents = n;
    x->out.domid = DOMID_SELF;
    x->out.mem_flags = fz_mem_flags();
    set_xen_guest_handle(x->out.extent_start, out);
    for (i = 0; i < 64; i++)               /* gpfns: findable in the M2P */
        out[i] = fz_tag(fz_rand());
    fz_rsv_flags |= FZ_RSV_TOUCHED;
    switch (fz_below(8)) {              /* one field wrong, or none */
    case 0: x->out.nr_extents = n + 1; break;
    case 1: x->out.extent_order = 1; x->out.nr_extents = n / 2; break;
    case 2: x->in.domid = (domid_t)fz_domid(); break;
    case 3: x->out.extent_order = (uint32_t)fz_below(64); break;
    case 4:                             /* frames assigned, never named */
        set_xen_guest_handle(x->out.extent_start, (xen_pfn_t *)fz_bad_ptr());
        fz_rsv_flags |= FZ_RSV_UNREPORTED;
        break;
    case 5: x->nr_exchanged = res->first = fz_below(n + 1); break;
    default: break;
    }
    res->exch = x;
    res->in_list = in;
    res->list = out;
    res->ours = fresh;                   /* the `in` frames are ours */
    c->arg[0] = XENMEM_exchange;
    c->arg[1] = fz_chance(15, 16) ? (uint64_t)x : fz_ptr(NULL);
    res->exch_read = c->arg[1] == (uint64_t)x;
    c->reserve = res;
    c->reserve_cmd = XENMEM_exchange;
    c->post |= FZ_POST_RESERVE;
}

/* Give back every frame either side of the exchange may have left us:
 * each out extent the hypervisor wrote (the others still hold tags, which
 * are no frames), and each `in` frame, one decrease per frame: those the
 * hypervisor took merely fail. What it assigned and could not report
 * (an unwritable out list) the reservation check finds by its tag. */
static void fz_post_exchange(const struct fz_reserve *res, long rc)
{
    const struct xen_memory_exchange *x = res->exch;
    unsigned int order = x->out.extent_order;

    (void)rc;
    if (!res->ours)
        return;
    for (unsigned int i = 0; i < 64 && order <= 9; i++) {
        uint64_t v = res->list[i];
        if (!v || v >= fz.max_mfn)
            continue;
        for (uint64_t j = 0; j < (1UL << order); j++)
            if (fz_may_give_back(v + j))
                fz_give_back1(v + j);
    }
    fz_give_back_list(res->in_list, (unsigned int)MIN(x->in.nr_extents, 64));
}

void fz_post_reserve(struct fz_call *c, long rc)
{
    struct fz_reserve *res = c->reserve;

    if (c->reserve_cmd == XENMEM_exchange) {
        fz_post_exchange(res, rc);
        return;
    }
    if (!res->list || !res->ours || rc <= (long)res->first)
        return;
    fz_decrease(res->list + res->first, (uint64_t)rc - res->first, res->order);
}

/* Queries: a domid (or nothing) in, a count out. */
static void fz_gen_mem_query(struct fz_call *c)
{
    static const unsigned int cmds[] = {
        XENMEM_maximum_ram_page, XENMEM_current_reservation,
        XENMEM_maximum_reservation, XENMEM_maximum_gpfn,
    };
    domid_t *d = fz_slot();

    *d = (domid_t)fz_domid();
    c->arg[0] = FZ_PICK(cmds);
    c->arg[1] = fz_ptr(d);
}

/* Calls that write an array of n entries of the given size through a
 * buffer: n stays inside the slot when the buffer is ours. */
static uint64_t fz_out_array(void *buf, uint64_t *n, uint64_t max)
{
    uint64_t p = fz_optr(buf);

    *n = (p >= (uint64_t)buf && p < (uint64_t)buf + FZ_SLOT_SIZE) || fz_chance(1, 2)
         ? fz_below(max + 1) : fz_rand() & 0xffffffffUL;
    return p;
}

static void fz_gen_mem_maps(struct fz_call *c)
{
    uint8_t *s = fz_slot(), *buf = s + PAGE_SIZE;
    uint64_t n;

    switch (fz_below(4)) {
    case 0:
    case 1: {
        struct xen_memory_map *m = (void *)s;
        set_xen_guest_handle(m->buffer, (void *)fz_out_array(buf, &n, 64));
        m->nr_entries = (unsigned int)n;
        c->arg[0] = fz_chance(1, 2) ? XENMEM_memory_map : XENMEM_machine_memory_map;
        break;
    }
    case 2: {
        struct xen_machphys_mfn_list *m = (void *)s;
        set_xen_guest_handle(m->extent_start, (xen_pfn_t *)fz_out_array(buf, &n, 256));
        m->max_extents = (unsigned int)n;
        c->arg[0] = XENMEM_machphys_mfn_list;
        break;
    }
    default:
        c->arg[0] = XENMEM_machphys_mapping;
        c->arg[1] = fz_optr(s);
        return;
    }
    c->arg[1] = fz_ptr(s);
}

/* add_to_physmap, remove_from_physmap, acquire_resource: frames named are
 * scratch or foreign only. */
static void fz_gen_mem_physmap(struct fz_call *c)
{
    uint8_t *s = fz_slot(), *buf = s + PAGE_SIZE;
    uint64_t n;

    switch (fz_below(3)) {
    case 0: {
        struct xen_add_to_physmap *a = (void *)s;
        a->domid = (domid_t)fz_domid();
        a->size = (uint16_t)fz_below(4);
        a->space = (unsigned int)fz_below(8);
        a->idx = fz_target_mfn();
        a->gpfn = fz_chance(1, 2) ? fz_target_mfn() : fz_rand();
        c->arg[0] = XENMEM_add_to_physmap;
        break;
    }
    case 1: {
        struct xen_remove_from_physmap *r = (void *)s;
        r->domid = (domid_t)fz_domid();
        r->gpfn = fz_target_mfn();
        c->arg[0] = XENMEM_remove_from_physmap;
        break;
    }
    default: {
        struct xen_mem_acquire_resource *a = (void *)s;
        a->domid = (domid_t)fz_domid();
        a->type = (uint16_t)fz_below(4);
        a->id = (uint32_t)fz_below(4);
        set_xen_guest_handle(a->frame_list, (xen_pfn_t *)fz_out_array(buf, &n, 32));
        a->nr_frames = (uint32_t)n;
        a->frame = fz_below(8);
        c->arg[0] = XENMEM_acquire_resource;
        break;
    }
    }
    c->arg[1] = fz_ptr(s);
}

void fz_gen_memory_op(struct fz_call *c)
{
    c->op = __HYPERVISOR_memory_op;
    switch (fz_below(16)) {
    case 0: case 1: case 2: fz_gen_reservation(c, XENMEM_increase_reservation); break;
    case 3: case 4:         fz_gen_reservation(c, XENMEM_populate_physmap); break;
    case 5: case 6:         fz_gen_decrease(c); break;
    case 7: case 8:         fz_gen_exchange(c); break;
    case 9: case 10:        fz_gen_mem_query(c); break;
    case 11: case 12:       fz_gen_mem_maps(c); break;
    case 13:                fz_gen_mem_physmap(c); break;
    default: {
        /* Commands with nothing behind them here (PoD, vNUMA, sharing ...);
         * never claim_pages (24), which would hold back memory. */
        static const unsigned int cmds[] = { 8, 16, 17, 18, 19, 20, 21, 22, 26,
                                             27, 29, 30, 31, 40, 63 };
        c->arg[0] = FZ_PICK(cmds);
        c->arg[1] = fz_optr(fz_slot());
        break;
    }
    }
}

/* ---- descriptors ----------------------------------------------------------------- */
static uint64_t fz_descriptor(void)
{
    static const uint64_t descs[] = {
        0x00cffa000000ffffUL,     /* 32-bit code, DPL 3 */
        0x00affa000000ffffUL,     /* 64-bit code, DPL 3 */
        0x00cff2000000ffffUL,     /* data, DPL 3 */
        0x00cf9a000000ffffUL,     /* code, DPL 0: must be refused */
        0x00cfba000000ffffUL,     /* code, DPL 1 */
        0x0000e90000000067UL,     /* TSS, DPL 3 */
        0x0000e20000000fffUL,     /* LDT */
        0x00008c0000000000UL,     /* call gate */
        0,
    };

    return fz_chance(1, 3) ? fz_rand() : FZ_PICK(descs);
}

void fz_gen_update_descriptor(struct fz_call *c)
{
    uint64_t ma = (fz_target_mfn() << PAGE_SHIFT) + fz_below(PT_ENTRIES) * 8;

    c->op = __HYPERVISOR_update_descriptor;
    c->arg[0] = fz_chance(1, 8) ? ma + 1 + fz_below(7) : ma;
    c->arg[1] = fz_descriptor();
}

/* set_gdt: frames are scratch or foreign; fz_post puts an empty GDT back. */
void fz_gen_set_gdt(struct fz_call *c)
{
    xen_pfn_t *frames = fz_slot();
    uint64_t entries = fz_chance(3, 4) ? fz_below(16 * 512) : fz_rand() & 0xffffffffUL;

    for (unsigned int i = 0; i < 16; i++)
        frames[i] = fz_target_mfn();
    c->op = __HYPERVISOR_set_gdt;
    c->arg[0] = fz_ptr(frames);
    c->arg[1] = entries;
    c->post |= FZ_POST_GDT;
}
