/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_seq.c - sequences: scenarios of several hypercalls where
 *                         a single random call would never line the
 *                         steps up.
 * Owns:    fz_seq_reuse() (a frame written through a writable mapping,
 *          unmapped without a flush, released, handed back, retyped, then
 *          written through the old VA: the stale-TLB check) and
 *          fz_seq_exchange() (XENMEM_exchange with hostile lists), their
 *          counters and the line "fuzz: reuse: ..." (fz_seq_report).
 * Touches: window VAs (put back mapping their own frame), the empty kernel
 *          L4 slot FZ_L4_SLOT_LOW (emptied again), the GDT (set back to
 *          none, as fz_post does), frames from increase_reservation,
 *          populate_physmap and exchange (every one given back; the
 *          reservation is checked at the end of each sequence).
 *
 * The stale write is done through probe_write64(): a #PF there is the
 * right answer (the hypervisor flushed the TLB before the frame was reused)
 * and the guest survives it. No fault means a stale TLB entry took the
 * write: a FAIL if the frame is ours again and now a page table or a
 * descriptor page (it must hold the marker), or if the marker is nowhere
 * to be found. A write to a released frame that nobody was seen to take
 * is only counted: Xen too flushes when a frame is handed out again, not
 * when it is freed, and a free frame is nobody's.
 *
 * The values written never make an entry present (bit 0 and the
 * descriptor's P bit 47 stay clear), so a write that lands does not break
 * the hypervisor's counts: the fuzzer reports it and the run goes on.
 */
#include "fuzz.h"

#define FZ_REUSE_BATCH   32        /* extents per reallocation call        */
#define FZ_REUSE_ROUNDS  10        /* reallocation calls at most           */
#define FZ_REUSE_HELD    (FZ_REUSE_BATCH * FZ_REUSE_ROUNDS + 1)
#define FZ_MARK_WORDS    256       /* words 0..255: never an L4's Xen slots */
#define FZ_PTE_RW    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define FZ_PTE_RO    (_PAGE_PRESENT | _PAGE_ACCESSED)

static uint64_t fz_seq_i;          /* the iteration, for fuzzlog lines */
static struct {
    uint64_t reuse, back, caught, own, released, landed;
    uint64_t exchange, typed_in;
} fz_st;

/* A step: logged before it is issued (with fuzzlog), counted after. */
#define FZ_STEP(what, a, b, call) ({                                        \
    if (fz.verbose)                                                         \
        printk("fuzz: #%lu seq %s (%#lx, %#lx)\n", fz_seq_i, what,          \
               (uint64_t)(a), (uint64_t)(b));                               \
    long rc_ = (call);                                                      \
    fz_count(rc_);                                                          \
    if (fz.verbose)                                                         \
        printk("fuzz: #%lu -> %ld\n", fz_seq_i, rc_);                       \
    rc_; })

/* A marker: distinct per sequence, never a present entry or descriptor. */
static uint64_t fz_marker(unsigned int which)
{
    return 0x5741000000000000UL | ((fz_seq_i & 0xffffff) << 8) | (which << 4);
}

static long fz_s_map(unsigned int w, uint64_t pte, uint64_t flags)
{
    return FZ_STEP("update_va_mapping", fz.window_va[w], pte,
                   HYPERVISOR_update_va_mapping(fz.window_va[w], pte, flags));
}

/* Window w maps its own frame read-write again, its TLB entry flushed. */
static void fz_s_restore(unsigned int w)
{
    fz_s_map(w, (fz.window_mfn[w] << PAGE_SHIFT) | FZ_PTE_RW, UVMF_INVLPG);
}

static long fz_s_mmuext(unsigned int cmd, uint64_t mfn)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = mfn;
    return FZ_STEP("mmuext_op", cmd, mfn, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
}

static long fz_s_l4_slot(uint64_t val)
{
    struct mmu_update req = {
        (fz.l4_mfn << PAGE_SHIFT) + FZ_L4_SLOT_LOW * PTE_SIZE, val };

    return FZ_STEP("mmu_update l4 slot", req.ptr, val,
                   HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF));
}

static long fz_s_set_gdt(uint64_t mfn, unsigned int entries)
{
    static xen_pfn_t frames[1];

    frames[0] = mfn;
    return FZ_STEP("set_gdt", mfn, entries, HYPERVISOR_set_gdt(frames, entries));
}

/* n fresh extents of order 0 into list (populate: under tags); how many. */
static uint64_t fz_s_alloc(xen_pfn_t *list, uint64_t n, unsigned int cmd)
{
    struct xen_memory_reservation r = { .nr_extents = n, .domid = DOMID_SELF };
    long rc;

    for (uint64_t i = 0; i < n; i++)
        list[i] = fz_tag(fz_rand());
    set_xen_guest_handle(r.extent_start, list);
    rc = FZ_STEP(cmd == XENMEM_populate_physmap ? "populate_physmap"
                                                : "increase_reservation",
                 n, list, HYPERVISOR_memory_op(cmd, &r));
    return rc > 0 ? (uint64_t)rc : 0;
}

/* ---- the ballast ------------------------------------------------------------------ */
/*
 * A first-fit allocator (pvisor's) hands a freed frame straight back; a
 * next-fit one only after it has gone round every other free frame. So
 * that a reuse sequence gets its frame back within a few hundred extents
 * whatever the policy, the run starts by taking all
 * free memory but FZ_POOL frames (at most FZ_BALLAST_MAX) and holds it to
 * the end; the random calls then also meet -ENOMEM, as they should.
 */
#define FZ_BALLAST_MAX   16384
#define FZ_BALLAST_BATCH 512
#define FZ_POOL          256

#define FZ_BALLAST_MFNS  (1UL << 20)   /* the bitmap's reach: 4 GiB */

static xen_pfn_t fz_ballast[FZ_BALLAST_MAX];
static uint64_t fz_nr_ballast;
static uint64_t fz_ballast_map[FZ_BALLAST_MFNS / 64];

bool fz_in_ballast(uint64_t mfn)
{
    return mfn < FZ_BALLAST_MFNS && (fz_ballast_map[mfn / 64] >> (mfn % 64) & 1);
}

static void fz_ballast_mark(uint64_t mfn, bool on)
{
    if (on)
        fz_ballast_map[mfn / 64] |= 1UL << (mfn % 64);
    else
        fz_ballast_map[mfn / 64] &= ~(1UL << (mfn % 64));
}

static long fz_ballast_op(unsigned int cmd, xen_pfn_t *list, uint64_t n)
{
    struct xen_memory_reservation r = { .nr_extents = n, .domid = DOMID_SELF };
    long rc;

    set_xen_guest_handle(r.extent_start, list);
    rc = HYPERVISOR_memory_op(cmd, &r);
    fz_count(rc);
    return rc;
}

void fz_ballast_take(void)
{
    long rc;

    do {
        uint64_t n = MIN(FZ_BALLAST_BATCH, FZ_BALLAST_MAX - fz_nr_ballast);
        rc = n ? fz_ballast_op(XENMEM_increase_reservation,
                               fz_ballast + fz_nr_ballast, n) : 0;
        fz_nr_ballast += rc > 0 ? (uint64_t)rc : 0;
    } while (rc == FZ_BALLAST_BATCH);
    /* The pool, frames the bitmap cannot hold, and all if too few. */
    for (uint64_t i = 0, kept = 0; i < fz_nr_ballast; i++)
        if (fz_ballast[i] < FZ_BALLAST_MFNS && i < fz_nr_ballast - FZ_POOL &&
            fz_nr_ballast >= 2 * FZ_POOL)
            fz_ballast[kept++] = fz_ballast[i];
        else
            fz_give_back1(fz_ballast[i]);
    if (fz_nr_ballast < 2 * FZ_POOL) {
        fz_nr_ballast = 0;
        return;
    }
    fz_nr_ballast -= FZ_POOL;
    for (uint64_t i = 0; i < fz_nr_ballast; i++)
        fz_ballast_mark(fz_ballast[i], true);
    printk("fuzz: ballast: holding %lu free frames, %u left to allocate\n",
           fz_nr_ballast, FZ_POOL);
}

void fz_ballast_return(void)
{
    uint64_t back = 0;

    for (uint64_t i = 0; i < fz_nr_ballast; i += FZ_BALLAST_BATCH) {
        unsigned int n = (unsigned int)MIN(FZ_BALLAST_BATCH, fz_nr_ballast - i);
        back += fz_give_back_all(fz_ballast + i, n);
    }
    for (uint64_t i = 0; i < fz_nr_ballast; i++)
        fz_ballast_mark(fz_ballast[i], false);
    if (back != fz_nr_ballast)
        fz_fail("ballast: %lu of %lu frames given back", back, fz_nr_ballast);
    fz_nr_ballast = 0;
}

/* ---- frame reuse behind a stale TLB entry -------------------------------------- */
enum { FZ_RT_L1, FZ_RT_L2, FZ_RT_L3, FZ_RT_L4, FZ_RT_HOOK, FZ_RT_GDT,
       FZ_RT_WRITABLE, FZ_RT_NONE, FZ_RT_COUNT };
static const char *const fz_rt_name[FZ_RT_COUNT] = {
    "a pinned L1", "a pinned L2", "a pinned L3", "a pinned L4",
    "an L3 hooked in the kernel L4", "a GDT frame", "writable elsewhere", "plain",
};

struct fz_reuse {
    uint64_t f;                          /* the frame, its mfn          */
    unsigned int w, w2;                  /* stale VA's window; a reader */
    unsigned int word, retype;
    bool back, retyped;
    xen_pfn_t held[FZ_REUSE_HELD];       /* frames to give back         */
    unsigned int nheld;
};

/* Steps 1-2: a fresh frame, mapped writable at window w, zeroed and
 * marked through it (which puts a writable entry in the TLB). */
static bool fz_reuse_start(struct fz_reuse *s)
{
    uint64_t *p = (uint64_t *)fz.window_va[s->w];

    if (!fz_s_alloc(s->held, 1, XENMEM_increase_reservation))
        return false;
    s->f = s->held[0];
    s->nheld = 1;
    if (fz_s_map(s->w, (s->f << PAGE_SHIFT) | FZ_PTE_RW, UVMF_INVLPG))
        return false;
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = 0;
    p[s->word] = fz_marker(1);
    return true;
}

/* Steps 3-4: unmap without a flush, then release the frame: decrease, or
 * exchange it for another (which is then held). */
static bool fz_reuse_release(struct fz_reuse *s)
{
    struct mmu_update req = { fz.window_pte_ma[s->w] | MMU_NORMAL_PT_UPDATE, 0 };
    uint64_t ro = (fz.window_mfn[s->w] << PAGE_SHIFT) | FZ_PTE_RO;
    struct xen_memory_exchange x = { 0 };
    xen_pfn_t in = s->f, out = fz_tag(fz_rand());
    long rc;

    switch (fz_below(3)) {
    case 0:  rc = fz_s_map(s->w, 0, UVMF_NONE); break;
    case 1:  rc = FZ_STEP("mmu_update unmap", req.ptr, 0,
                          HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF)); break;
    default: rc = fz_s_map(s->w, ro, UVMF_NONE); break;   /* elsewhere, RO */
    }
    if (rc)
        return false;
    if (fz_chance(2, 3)) {
        if (!fz_give_back1(s->f))
            return false;
        s->nheld = 0;
        return true;
    }
    x.in = (struct xen_memory_reservation){ .nr_extents = 1, .domid = DOMID_SELF };
    x.out = x.in;
    set_xen_guest_handle(x.in.extent_start, &in);
    set_xen_guest_handle(x.out.extent_start, &out);
    rc = FZ_STEP("exchange", in, out, HYPERVISOR_memory_op(XENMEM_exchange, &x));
    if (rc || x.nr_exchanged != 1)
        return false;                    /* f is still held: given back */
    s->held[0] = out;                    /* f went; its replacement is ours */
    s->nheld = 1;
    s->back = out == s->f;               /* first fit: f straight back */
    return true;
}

/* Step 5: allocate until the frame comes back (first fit gives it soon). */
static void fz_reuse_realloc(struct fz_reuse *s)
{
    for (unsigned int r = 0; r < FZ_REUSE_ROUNDS && !s->back; r++) {
        xen_pfn_t *got = s->held + s->nheld;
        uint64_t n = fz_s_alloc(got, FZ_REUSE_BATCH, fz_chance(1, 2)
                                ? XENMEM_increase_reservation : XENMEM_populate_physmap);
        s->nheld += (unsigned int)n;
        for (uint64_t i = 0; i < n; i++)
            s->back |= got[i] == s->f;
        if (!n)
            break;
    }
    if (s->back)
        fz_st.back++;
}

/* Step 6: give the frame a new type (or a new writable mapping). */
static void fz_reuse_retype(struct fz_reuse *s)
{
    long rc;

    s->retype = s->back ? (unsigned int)fz_below(FZ_RT_COUNT) : FZ_RT_NONE;
    switch (s->retype) {
    case FZ_RT_L1: case FZ_RT_L2: case FZ_RT_L3: case FZ_RT_L4:
        rc = fz_s_mmuext(MMUEXT_PIN_L1_TABLE + s->retype - FZ_RT_L1, s->f);
        break;
    case FZ_RT_HOOK:
        rc = fz_s_l4_slot((s->f << PAGE_SHIFT) | FZ_PTE_RW);
        break;
    case FZ_RT_GDT:
        rc = fz_s_set_gdt(s->f, (unsigned int)(1 + fz_below(PAGE_SIZE / 8)));
        break;
    case FZ_RT_WRITABLE:
        rc = fz_s_map(s->w2, (s->f << PAGE_SHIFT) | FZ_PTE_RW, UVMF_INVLPG);
        break;
    default:
        return;
    }
    s->retyped = rc == 0;
    if (!s->retyped)
        s->retype = FZ_RT_NONE;
}

/* Step 7: write through the old VA; where did it go? */
static void fz_reuse_probe(struct fz_reuse *s)
{
    uint64_t va = fz.window_va[s->w] + s->word * 8, mark = fz_marker(2), seen;
    const volatile uint64_t *r = (const uint64_t *)(fz.window_va[s->w2] + s->word * 8);
    struct probe_fault f;

    if (fz.verbose)
        printk("fuzz: #%lu seq stale write %#lx to va %#lx (mfn %#lx, %s)\n",
               fz_seq_i, mark, va, s->f, fz_rt_name[s->retype]);
    if (probe_write64((volatile void *)va, mark, &f)) {
        fz_st.caught++;
        return;
    }
    if (!s->back) {                      /* a free frame is nobody's */
        fz_st.released++;
        return;
    }
    if (s->retype != FZ_RT_WRITABLE &&
        fz_s_map(s->w2, (s->f << PAGE_SHIFT) | FZ_PTE_RO, UVMF_INVLPG)) {
        fz_fail("stale write through va %#lx did not fault; mfn %#lx (%s) "
                "cannot be read back", va, s->f, fz_rt_name[s->retype]);
        return;
    }
    seen = *r;
    if (seen != mark)
        fz_fail("stale write through va %#lx did not fault and did not land "
                "on mfn %#lx (%s): %#lx there", va, s->f, fz_rt_name[s->retype], seen);
    else if (s->retype <= FZ_RT_GDT) {
        fz_st.landed++;
        fz_fail("stale write landed on mfn %#lx, now %s (va %#lx, released %s)",
                s->f, fz_rt_name[s->retype], va, "and handed back");
    } else {
        fz_st.own++;                     /* ours, plain: no harm */
    }
}

/* Step 8: untype, put the windows back, give every frame back. */
static void fz_reuse_finish(struct fz_reuse *s)
{
    fz_s_restore(s->w);
    fz_s_restore(s->w2);
    if (s->retyped) {
        switch (s->retype) {
        case FZ_RT_HOOK: fz_s_l4_slot(0); break;
        case FZ_RT_GDT:  fz_s_set_gdt(0, 0); break;
        case FZ_RT_WRITABLE: break;
        default:         fz_s_mmuext(MMUEXT_UNPIN_TABLE, s->f); break;
        }
    }
    fz_give_back_all(s->held, s->nheld);
}

void fz_seq_reuse(uint64_t i)
{
    struct fz_reuse s = { 0 };

    fz_seq_i = i;
    fz_st.reuse++;
    s.w = 1 + (unsigned int)fz_below(FZ_NR_WINDOW - 1);
    s.w2 = 1 + (unsigned int)(s.w % (FZ_NR_WINDOW - 1));
    s.word = (unsigned int)fz_below(FZ_MARK_WORDS);
    if (fz_reuse_start(&s) && fz_reuse_release(&s)) {
        fz_reuse_realloc(&s);
        fz_reuse_retype(&s);
        fz_reuse_probe(&s);
    }
    fz_reuse_finish(&s);
    fz_rsv_check(i, "reuse sequence");
}

/* ---- XENMEM_exchange with hostile lists ------------------------------------------ */
#define FZ_X_FRESH   8             /* fresh frames offered                 */
#define FZ_X_IN_MAX  16            /* in-list entries, duplicates included */
#define FZ_X_LIST    64            /* entries the hypervisor may have written;
                                      the slot is zero after them, which ends
                                      any list read past its count         */

enum { FZ_X_DUP, FZ_X_TYPED, FZ_X_RO_OUT, FZ_X_ALIAS, FZ_X_HUGE, FZ_X_ORDER,
       FZ_X_NR_EXCHANGED, FZ_X_DOMID, FZ_X_COUNT };
enum { FZ_TY_MAP_RO, FZ_TY_MAP_RW, FZ_TY_PIN, FZ_TY_GDT, FZ_TY_COUNT };
static const char *const fz_ty_name[FZ_TY_COUNT] = {
    "mapped read-only", "mapped writable", "pinned as an L1", "a GDT frame",
};

struct fz_xseq {
    struct xen_memory_exchange *x;
    xen_pfn_t fresh[FZ_X_FRESH], *in, *out;
    unsigned int n, nin, mutations;
    bool chained;                        /* out list over in's later entries */
    unsigned int ro_w, ty_w, ty_kind;    /* window indices; typing      */
    uint64_t ty_mfn;                     /* the typed `in` frame, or 0  */
};

static void fz_x_dup(struct fz_xseq *s)
{
    for (unsigned int k = 1 + (unsigned int)fz_below(3); k > 0; k--) {
        if (s->nin < FZ_X_IN_MAX && fz_chance(1, 2)) {
            s->in[s->nin] = s->in[fz_below(s->nin)];
            s->nin++;
        } else if (s->nin > 1) {
            unsigned int j = 1 + (unsigned int)fz_below(s->nin - 1);
            s->in[j] = s->in[fz_below(j)];
        }
    }
}

/* Zero frame m through window w, then leave w as it was before. */
static void fz_x_zero(unsigned int w, uint64_t m)
{
    if (!fz_s_map(w, (m << PAGE_SHIFT) | FZ_PTE_RW, UVMF_INVLPG))
        memset((void *)fz.window_va[w], 0, PAGE_SIZE);
    fz_s_restore(w);
}

/* One `in` frame mapped, pinned or a GDT frame: the exchange must refuse. */
static void fz_x_type(struct fz_xseq *s)
{
    uint64_t m = s->in[fz_below(s->nin)];
    long rc;

    s->ty_kind = (unsigned int)fz_below(FZ_TY_COUNT);
    switch (s->ty_kind) {
    case FZ_TY_MAP_RO:
    case FZ_TY_MAP_RW:
        rc = fz_s_map(s->ty_w, (m << PAGE_SHIFT) |
                      (s->ty_kind == FZ_TY_MAP_RW ? FZ_PTE_RW : FZ_PTE_RO), UVMF_INVLPG);
        break;
    case FZ_TY_PIN:
        fz_x_zero(s->ty_w, m);
        rc = fz_s_mmuext(MMUEXT_PIN_L1_TABLE, m);
        break;
    default:
        fz_x_zero(s->ty_w, m);
        rc = fz_s_set_gdt(m, 1);
        break;
    }
    if (!rc) {
        s->ty_mfn = m;
        fz_st.typed_in++;
    }
}

static void fz_x_untype(struct fz_xseq *s)
{
    if (!s->ty_mfn)
        return;
    switch (s->ty_kind) {
    case FZ_TY_PIN: fz_s_mmuext(MMUEXT_UNPIN_TABLE, s->ty_mfn); break;
    case FZ_TY_GDT: fz_s_set_gdt(0, 0); break;
    default:        fz_s_restore(s->ty_w); break;
    }
}

/* The out list in a read-only page: the canary, or a window page mapped
 * read-only after tags were written into it. */
static void fz_x_ro_out(struct fz_xseq *s)
{
    uint64_t *p = (uint64_t *)fz.window_va[s->ro_w];

    if (fz_chance(1, 2)) {
        set_xen_guest_handle(s->x->out.extent_start, pfn_to_virt(fz.scratch_pfn[0]));
        return;
    }
    if (fz_s_map(s->ro_w, (fz.window_mfn[s->ro_w] << PAGE_SHIFT) | FZ_PTE_RW,
                 UVMF_INVLPG))
        return;                          /* a window maps anything: not now */
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        p[i] = fz_tag(i);
    if (!fz_s_map(s->ro_w, (fz.window_mfn[s->ro_w] << PAGE_SHIFT) | FZ_PTE_RO,
                  UVMF_INVLPG))
        set_xen_guest_handle(s->x->out.extent_start, p);
}

/* Counts near 2^63 whose size (nr << order) wraps to match the other side. */
static void fz_x_huge(struct fz_xseq *s)
{
    struct xen_memory_exchange *x = s->x;
    unsigned int k = 1 + (unsigned int)fz_below(9);

    /* An out list over the in list's later entries feeds each new frame
     * back in as input: only a bounded count keeps the writes in the slot. */
    if (s->chained)
        return;
    switch (fz_below(5)) {
    case 0:  x->in.nr_extents = (1UL << 63) + s->nin; x->in.extent_order = 1;
             x->out.nr_extents = 2UL * s->nin; x->out.extent_order = 0; break;
    case 1:  x->out.nr_extents = (1UL << 63) + s->nin / 2; x->out.extent_order = 1;
             x->in.nr_extents = s->nin & ~1U; break;
    case 2:  x->in.nr_extents = x->out.nr_extents = ~0UL - fz_below(4); break;
    case 3:  x->in.nr_extents = 1UL << (64 - k); x->in.extent_order = k;
             x->out.nr_extents = 0; break;
    default: x->in.nr_extents = fz_rand(); x->in.extent_order = (uint32_t)fz_below(10);
             x->out.nr_extents = x->in.nr_extents << x->in.extent_order; break;
    }
}

static void fz_x_mutate(struct fz_xseq *s, unsigned int m)
{
    struct xen_memory_exchange *x = s->x;

    switch (m) {
    case FZ_X_DUP:    fz_x_dup(s); break;
    case FZ_X_TYPED:  fz_x_type(s); break;
    case FZ_X_RO_OUT: fz_x_ro_out(s); break;
    case FZ_X_ALIAS: {                   /* over the in list, or beside it */
        static const unsigned int shift[] = { 0, 0, 1, 2 };
        unsigned int off = fz_chance(1, 4) ? s->nin : FZ_PICK(shift);
        set_xen_guest_handle(x->out.extent_start, s->in + off);
        s->chained = off > 0;
        break;
    }
    case FZ_X_HUGE:   fz_x_huge(s); break;
    case FZ_X_ORDER:
        if (fz_chance(1, 2)) {
            x->in.extent_order = 10 + (uint32_t)fz_below(54);
            x->in.nr_extents = 1;
            x->out.nr_extents = 1UL << x->in.extent_order;
        } else {
            x->out.extent_order = 10 + (uint32_t)fz_below(54);
            x->out.nr_extents = fz_below(2);
        }
        break;
    case FZ_X_NR_EXCHANGED: {
        static const uint64_t big[] = { ~0UL, 1UL << 63, 1UL << 32 };
        x->nr_exchanged = fz_chance(1, 2) ? s->nin + 1 + fz_below(8) : FZ_PICK(big);
        break;
    }
    default:
        x->out.domid = (domid_t)(fz_chance(1, 2) ? fz_domid() : 0);
        break;
    }
}

/* Give back everything a list may name now, extents of `order`. */
static void fz_x_give_back(const xen_pfn_t *list, unsigned int n, unsigned int order)
{
    for (unsigned int i = 0; i < n && order <= 9; i++) {
        uint64_t v = list[i];
        if (!v || v >= fz.max_mfn)
            continue;
        for (uint64_t j = 0; j < (1UL << order); j++)
            if (fz_may_give_back(v + j))
                fz_give_back1(v + j);
    }
}

/* mfn was handed out by this exchange (so it may be offered again). */
static bool fz_x_handed_out(const struct fz_xseq *s, uint64_t mfn)
{
    uint64_t out;

    memcpy(&out, &s->x->out.extent_start, sizeof(out));   /* the handle */
    if (out != (uint64_t)s->out)
        return true;                     /* aliased: cannot tell, assume so */
    for (unsigned int i = 0; i < FZ_X_LIST; i++)
        if (s->out[i] == mfn)
            return true;
    return false;
}

/* What must not succeed did: a duplicate, or a frame in use, exchanged
 * (in_before: the in list as offered, s->nin entries). A duplicate that
 * an earlier chunk handed straight back as an out frame is a new frame of
 * ours by then, and may be exchanged again. */
static void fz_x_judge(const struct fz_xseq *s, const xen_pfn_t *in_before, long rc)
{
    uint64_t done = MIN(s->nin, s->x->nr_exchanged);

    if (rc != 0 || s->x->in.extent_order != 0 || s->x->in.nr_extents != s->nin ||
        (s->mutations & (1U << FZ_X_NR_EXCHANGED | 1U << FZ_X_ALIAS)))
        return;      /* only a plain count from 0, and the list as offered
                        (an aliased out list rewrites later in entries) */
    for (unsigned int i = 0; i < done; i++) {
        if (s->ty_mfn && in_before[i] == s->ty_mfn)
            fz_fail("exchange took mfn %#lx while %s", s->ty_mfn,
                    fz_ty_name[s->ty_kind]);
        for (unsigned int j = 0; j < i; j++)
            if (in_before[j] == in_before[i] && !fz_x_handed_out(s, in_before[i]))
                fz_fail("exchange accepted mfn %#lx twice", in_before[i]);
    }
}

/* A read-only out list must read as it was written. */
static void fz_x_check_ro(const struct fz_xseq *s)
{
    const uint64_t *p = (const uint64_t *)fz.window_va[s->ro_w];
    uint64_t out;

    memcpy(&out, &s->x->out.extent_start, sizeof(out));   /* the handle */
    if (out != (uint64_t)p)
        return;
    for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
        if (p[i] != fz_tag(i)) {
            fz_fail("exchange wrote %#lx into its read-only out list (va %#lx)",
                    p[i], (uint64_t)&p[i]);
            return;
        }
}

void fz_seq_exchange(uint64_t i)
{
    struct fz_xseq s = { .x = fz_slot() };
    xen_pfn_t in_before[FZ_X_IN_MAX];
    long rc;

    fz_seq_i = i;
    s.in = fz_slot();
    s.out = fz_slot();
    s.ro_w = 1 + (unsigned int)fz_below(FZ_NR_WINDOW - 1);
    s.ty_w = 1 + (unsigned int)(s.ro_w % (FZ_NR_WINDOW - 1));
    s.n = (unsigned int)fz_s_alloc(s.fresh, 1 + fz_below(FZ_X_FRESH),
                                   XENMEM_increase_reservation);
    if (!s.n)
        return;
    fz_st.exchange++;
    memcpy(s.in, s.fresh, s.n * sizeof(xen_pfn_t));
    s.nin = s.n;
    for (unsigned int k = 0; k < FZ_X_LIST; k++)
        s.out[k] = fz_tag(k);
    s.mutations = 0;
    for (unsigned int k = (unsigned int)fz_below(3); k > 0; k--)
        s.mutations |= 1U << fz_below(FZ_X_COUNT);
    s.x->in = (struct xen_memory_reservation){ .domid = DOMID_SELF };
    s.x->out = s.x->in;
    set_xen_guest_handle(s.x->in.extent_start, s.in);
    set_xen_guest_handle(s.x->out.extent_start, s.out);
    for (unsigned int m = 0; m < FZ_X_COUNT; m++) {
        if (m == FZ_X_RO_OUT)            /* counts known from here on */
            s.x->in.nr_extents = s.x->out.nr_extents = s.nin;
        if (s.mutations & (1U << m))
            fz_x_mutate(&s, m);
    }
    memcpy(in_before, s.in, sizeof(in_before));
    rc = FZ_STEP("exchange", s.mutations, s.x->in.nr_extents,
                 HYPERVISOR_memory_op(XENMEM_exchange, s.x));
    fz_x_check_ro(&s);
    fz_x_untype(&s);
    fz_s_restore(s.ro_w);
    fz_x_judge(&s, in_before, rc);
    /* The out list (also when it was the in list's page), then the rest. */
    fz_x_give_back(s.out, FZ_X_LIST, s.x->out.extent_order);
    fz_x_give_back(s.in, FZ_X_LIST, s.x->out.extent_order);
    fz_give_back_list(s.fresh, s.n);
    fz_rsv_check(i, "exchange sequence");
}

void fz_seq_report(void)
{
    printk("fuzz: reuse: %lu sequences, frame back %lu, stale writes faulted %lu, "
           "on own frames %lu, on released frames %lu, on page tables %lu; "
           "exchange: %lu hostile, %lu with an in frame in use\n",
           fz_st.reuse, fz_st.back, fz_st.caught, fz_st.own, fz_st.released,
           fz_st.landed, fz_st.exchange, fz_st.typed_in);
}
