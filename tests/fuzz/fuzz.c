/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz.c - fuzz_run(): a seeded, bounded hypercall fuzzer.
 * Owns:    the PRNG, the sandbox (struct fz_env) and its set-up and
 *          teardown, the argument classes, the main loop, the progress and
 *          summary lines "fuzz: N/COUNT calls ..." and
 *          "fuzz: done, N calls, M errors returned, seed S" (tests/boot).
 * Touches: frames from mm_alloc_pfn() (returned at the end), their
 *          direct-map entries (through update_va_mapping, restored), the
 *          kernel's trap table and callbacks (reinstalled through
 *          trap_init() / entry_init()), fs/gs bases, debug registers.
 *
 * The sandbox: FZ_NR_SCRATCH frames mapped read-only in the direct map, so
 * they can become page tables or descriptor pages; scratch[0] is the
 * canary, filled with FZ_CANARY and never a fuzzing target, whose
 * read-only VA is handed out as an output pointer: if it ever changes, the
 * hypervisor wrote through a read-only mapping. FZ_NR_WINDOW pages of the
 * direct map whose entries the fuzzer rewrites at will (window[0] writes
 * into scratch frames). An arena of argument buffers in the kernel image.
 *
 * The same seed draws the same sequence of generator choices on any
 * hypervisor, but the arguments also depend on answers (frame numbers),
 * so runs on different hypervisors only start alike.
 */
#include <asm/msr.h>
#include <xen/physdev.h>
#include <xen/vcpu.h>
#include <xen/event_channel.h>
#include <xen/callback.h>
#include "fuzz.h"

#define FZ_PROGRESS_EVERY 2000
#define FZ_PTE_RW    (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define FZ_PTE_RO    (_PAGE_PRESENT | _PAGE_ACCESSED)
#define FZ_MAX_MFN   (1UL << 40)             /* a sane cap on maximum_ram_page */
/* VAs nothing maps: in L4 slots the fuzzer never fills. */
#define FZ_UNMAPPED_VA   0x0000100000000000UL /* L4 slot 32 */
#define FZ_NONCANON_VA   0x0000800000000000UL
#define FZ_HV_VA         0xffff800000000000UL /* 0xffff8000..0xffff87ff... */
#define FZ_HV_SIZE       0x0000080000000000UL

struct fz_env fz;
uint64_t fz_calls, fz_errors;
unsigned int fz_failures, fz_rsv_flags;
static uint64_t fz_state;
/* The reservation: at the start, what it should be now, and the frames
 * the hypervisor kept unreported (Xen, after an unwritable increase list)
 * or that the M2P scan found and gave back. */
static uint64_t fz_rsv_start, fz_rsv, fz_rsv_unreported, fz_rsv_recovered;

static uint8_t fz_arena[FZ_ARENA_SLOTS][FZ_SLOT_SIZE] __attribute__((aligned(PAGE_SIZE)));
static uint8_t fz_scribble[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static unsigned int fz_next_slot;

/* ---- PRNG ---------------------------------------------------------------- */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15UL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
    return x ^ (x >> 31);
}

uint64_t fz_rand(void)
{
    fz_state ^= fz_state >> 12;
    fz_state ^= fz_state << 25;
    fz_state ^= fz_state >> 27;
    return fz_state * 0x2545f4914f6cdd1dUL;
}

void fz_fill(void *buf, size_t n)
{
    uint8_t *p = buf;

    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)fz_rand();
}

/* ---- the arena ------------------------------------------------------------- */
void fz_arena_reset(void)
{
    fz_next_slot = 0;
}

void *fz_slot(void)
{
    uint8_t *s = fz_arena[fz_next_slot];

    fz_next_slot = (fz_next_slot + 1) % FZ_ARENA_SLOTS;
    memset(s, 0, FZ_SLOT_SIZE);
    return s;
}

/* ---- argument classes ------------------------------------------------------- */
uint64_t fz_bad_ptr(void)
{
    switch (fz_below(3)) {
    case 0:  return FZ_UNMAPPED_VA + (fz_rand() & 0x3fffffffffUL);
    case 1:  return FZ_NONCANON_VA + (fz_rand() & 0x7ffefffffffff000UL);
    default: return fz_chance(1, 2) ? 0 : FZ_UNMAPPED_VA - 8;
    }
}

/* Somewhere in the upper half that no kernel table maps (L4 slot 402). */
#define FZ_KERNEL_HOLE_VA 0xffffc90000000000UL

uint64_t fz_ptr(void *buf)
{
    unsigned int r = (unsigned int)fz_below(16);

    if (buf && r < 11)
        return (uint64_t)buf;
    switch (r % 4) {
    case 0:  return (uint64_t)pfn_to_virt(fz.scratch_pfn[0]);
    case 1:  return FZ_KERNEL_HOLE_VA + (fz_rand() & 0x7fffffffffUL);
    default: return fz_bad_ptr();
    }
}

/* Also into the hypervisor's range, which reads as hypervisor data (Xen
 * maps its M2P there, read-only, for every guest), and at odd offsets: only
 * for what the hypervisor writes, or reads as plain data, never for a list
 * of frames or commands it would act on. */
uint64_t fz_optr(void *buf)
{
    switch (fz_below(8)) {
    case 0:  return FZ_HV_VA + (fz_below(FZ_HV_SIZE) & ~7UL);
    case 1:  return (uint64_t)pfn_to_virt(fz.scratch_pfn[0]) + fz_below(PAGE_SIZE);
    case 2:  return buf ? (uint64_t)buf + fz_below(FZ_SLOT_ROOM) : 0;
    default: return fz_ptr(buf);
    }
}

uint64_t fz_va(void)
{
    uint64_t va = fz.window_va[1 + fz_below(FZ_NR_WINDOW - 1)];

    switch (fz_below(12)) {
    case 0:  return va + 1 + fz_below(PAGE_SIZE - 1);      /* misaligned */
    case 1:  return FZ_UNMAPPED_VA + (fz_rand() & 0x3ffffff000UL);
    case 2:  return FZ_NONCANON_VA + (fz_rand() & 0x7ffefffffffff000UL);
    case 3:  return FZ_HV_VA + (fz_below(FZ_HV_SIZE) & PAGE_MASK);
    default: return va;
    }
}

uint64_t fz_scratch_mfn(void)
{
    return fz.scratch_mfn[1 + fz_below(FZ_NR_SCRATCH - 1)];
}

/* Not the guest's: a random frame that does not translate back to one of
 * our pfns (and is not shared_info), or one past the end of RAM. */
uint64_t fz_foreign_mfn(void)
{
    for (unsigned int tries = 0; tries < 8 && fz_chance(3, 4); tries++) {
        uint64_t m = fz_chance(1, 4) ? fz_below(256) : fz_below(fz.max_mfn);
        if (m != fz.shared_info_mfn && !fz_is_scratch(m) && !fz_in_ballast(m) &&
            mfn_to_pfn(m) == INVALID_FRAME)
            return m;
    }
    switch (fz_below(4)) {
    case 0:  return fz.max_mfn + fz_below(1024);
    case 1:  return fz_rand() & ((1UL << 40) - 1);
    case 2:  return fz_rand();
    default: return fz_in_ballast(fz.max_mfn - 1) ? fz.max_mfn : fz.max_mfn - 1 + fz_below(2);
    }
}

uint64_t fz_target_mfn(void)
{
    return fz_chance(3, 4) ? fz_scratch_mfn() : fz_foreign_mfn();
}

/* Also the kernel's own frames: for uses that can only read or validate
 * them (mapping read-only, pinning, a source to copy from). */
uint64_t fz_any_mfn(void)
{
    switch (fz_below(10)) {
    case 0:  return fz.kpt_mfn[1 + fz_below(PT_LEVELS)];
    case 1:  return pfn_to_mfn(fz_below(fz.nr_pfns));
    case 2:  return fz.arena_mfn;
    case 3:  return fz.shared_info_mfn;
    case 4:                  /* never the canary: validating a frame as an
                                L4 rightly writes the hypervisor's slots */
    case 5:
    case 6:  return fz_foreign_mfn();
    default: return fz_scratch_mfn();
    }
}

uint64_t fz_pte(void)
{
    static const uint64_t flag_bits[] = {
        _PAGE_RW, _PAGE_USER, 0x008 /* PWT */, 0x010 /* PCD */, _PAGE_ACCESSED,
        _PAGE_DIRTY, _PAGE_PSE, 0x100 /* G */, 0x200, 0x400, 0x800 /* avail */,
        1UL << 63 /* NX */, 1UL << 52, 1UL << 62 /* ignored / reserved */,
    };
    uint64_t pte = fz_any_mfn() << PAGE_SHIFT, flags = 0;

    if (fz_chance(1, 16))
        return fz_rand();
    if (fz_chance(7, 8))
        flags |= _PAGE_PRESENT;
    for (unsigned int i = 0; i < ARRAY_SIZE(flag_bits); i++)
        if (fz_chance(i < 6 ? 1 : 1, i < 6 ? 2 : 12))
            flags |= flag_bits[i];
    return (pte & PTE_FRAME_MASK) | flags;
}

/* An entry the fuzzer owns: a window PTE, any entry of a scratch frame,
 * one of the two empty kernel L4 slots or a hypervisor L4 slot (which the
 * hypervisor must refuse), the scribble page (an ordinary writable frame),
 * or a frame that is not the guest's. */
uint64_t fz_pte_maddr(bool *is_l4_slot)
{
    static const unsigned int l4_slots[] = { FZ_L4_SLOT_LOW, FZ_L4_SLOT_HIGH,
                                             256, 257, 263, 271 };
    uint64_t idx = fz_below(PT_ENTRIES) * PTE_SIZE;

    switch (fz_below(16)) {
    case 0: case 1: case 2: case 3: case 4: case 5:
        return fz.window_pte_ma[1 + fz_below(FZ_NR_WINDOW - 1)];
    case 6: case 7: case 8: case 9:
        return (fz_scratch_mfn() << PAGE_SHIFT) + idx;
    case 10: case 11:
        *is_l4_slot = true;
        return (fz.l4_mfn << PAGE_SHIFT) + FZ_PICK(l4_slots) * PTE_SIZE;
    case 12:
        return (fz.scribble_mfn << PAGE_SHIFT) + idx;
    default:
        return (fz_foreign_mfn() << PAGE_SHIFT) + idx;
    }
}

/* ---- the sandbox ------------------------------------------------------------- */
static long fz_map(uint64_t va, uint64_t pte)
{
    return HYPERVISOR_update_va_mapping(va, pte, UVMF_INVLPG);
}

static uint64_t fz_walk_kernel_tables(void)
{
    uint64_t va = (uint64_t)&fz, mfn = fz.l4_mfn;

    for (unsigned int level = PT_LEVELS; level >= 1; level--) {
        const pte_t *t = pfn_to_virt(mfn_to_pfn(mfn));
        fz.kpt_mfn[level] = mfn;
        if (!t || level == 1)
            break;
        mfn = pte_frame(t[pt_index(va, level)]);
    }
    return fz.kpt_mfn[1];
}

/* Take a frame from the kernel's allocator; 0 or the reason it failed. */
static const char *fz_take(uint64_t *pfn, uint64_t *mfn)
{
    *pfn = mm_alloc_pfn();
    if (*pfn == INVALID_FRAME)
        return "out of memory";
    *mfn = pfn_to_mfn(*pfn);
    if (!pfn_to_virt(*pfn))
        return "a new frame is not mapped";
    return NULL;
}

static const char *fz_env_scratch(void)
{
    const char *why;

    for (unsigned int i = 0; i < FZ_NR_SCRATCH; i++) {
        why = fz_take(&fz.scratch_pfn[i], &fz.scratch_mfn[i]);
        if (why)
            return why;
        if (i == 0) {
            uint64_t *p = pfn_to_virt(fz.scratch_pfn[0]);
            for (unsigned int w = 0; w < PAGE_SIZE / 8; w++)
                p[w] = FZ_CANARY;
        }
        if (fz_map((uint64_t)pfn_to_virt(fz.scratch_pfn[i]),
                   (fz.scratch_mfn[i] << PAGE_SHIFT) | FZ_PTE_RO))
            return "cannot map a scratch frame read-only";
    }
    return NULL;
}

static const char *fz_env_window(void)
{
    for (unsigned int i = 0; i < FZ_NR_WINDOW; i++) {
        const char *why = fz_take(&fz.window_pfn[i], &fz.window_mfn[i]);
        if (why)
            return why;
        fz.window_va[i] = (uint64_t)pfn_to_virt(fz.window_pfn[i]);
        fz.window_pte_ma[i] = mm_pte_maddr(fz.window_va[i]);
        if (!fz.window_pte_ma[i])
            return "no L1 entry for a window VA";
    }
    return NULL;
}

static const char *fz_env_init(void)
{
    uint64_t arena_pfn;
    const char *why;

    fz.nr_pfns = mm_nr_pfns();
    fz.max_mfn = (uint64_t)HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);
    if ((long)fz.max_mfn <= 0 || fz.max_mfn > FZ_MAX_MFN)
        fz.max_mfn = 1UL << 20;
    fz.shared_info_mfn = xen_start_info->shared_info >> PAGE_SHIFT;
    fz.l4_mfn = mm_current_l4_mfn();
    fz.user_l4_mfn = mm_user_l4_mfn();
    if (!fz_walk_kernel_tables())
        return "cannot walk the kernel's page tables";
    arena_pfn = virt_to_pfn(fz_arena);
    fz.arena_mfn = pfn_to_mfn(arena_pfn);
    fz.scribble_mfn = pfn_to_mfn(virt_to_pfn(fz_scribble));
    if (arena_pfn == INVALID_FRAME || fz.arena_mfn == INVALID_FRAME ||
        fz.scribble_mfn == INVALID_FRAME)
        return "cannot find the arena's frames";
    fz.fs_base = pv_ops.read_msr(MSR_FS_BASE);
    fz.gs_base_kernel = pv_ops.read_msr(MSR_GS_BASE);
    fz.gs_base_user = pv_ops.read_msr(MSR_SHADOW_GS_BASE);
    why = fz_env_scratch();
    return why ? why : fz_env_window();
}

/* ---- undoing ------------------------------------------------------------------ */
static void fz_restore_segbases(void)
{
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER_SEL, 0);
    HYPERVISOR_set_segment_base(SEGBASE_FS, fz.fs_base);
    HYPERVISOR_set_segment_base(SEGBASE_GS_KERNEL, fz.gs_base_kernel);
    HYPERVISOR_set_segment_base(SEGBASE_GS_USER, fz.gs_base_user);
}

static void fz_restore_debugregs(void)
{
    static const unsigned int regs[] = { 7, 0, 1, 2, 3 };

    for (unsigned int i = 0; i < ARRAY_SIZE(regs); i++)
        hypercall5(__HYPERVISOR_set_debugreg, regs[i], 0, 0, 0, 0);
    hypercall5(__HYPERVISOR_set_debugreg, 6, 0xffff0ff0UL, 0, 0, 0);
}

static void fz_clear_l4_slots(void)
{
    struct mmu_update req[2] = {
        { (fz.l4_mfn << PAGE_SHIFT) + FZ_L4_SLOT_LOW * PTE_SIZE, 0 },
        { (fz.l4_mfn << PAGE_SHIFT) + FZ_L4_SLOT_HIGH * PTE_SIZE, 0 },
    };

    HYPERVISOR_mmu_update(req, 2, NULL, DOMID_SELF);
}

static void fz_restore_machphys(void)
{
    struct mmu_update req[FZ_NR_SCRATCH];

    for (unsigned int i = 0; i < FZ_NR_SCRATCH; i++)
        req[i] = (struct mmu_update){ (fz.scratch_mfn[i] << PAGE_SHIFT) |
                                      MMU_MACHPHYS_UPDATE, fz.scratch_pfn[i] };
    HYPERVISOR_mmu_update(req, FZ_NR_SCRATCH, NULL, DOMID_SELF);
}

static void fz_mmuext1(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
    struct mmuext_op op = { .cmd = cmd };

    op.arg1.mfn = arg1;
    op.arg2.nr_ents = (unsigned int)arg2;
    HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

void fz_post(struct fz_call *c, long rc)
{
    if (c->op == __HYPERVISOR_multicall)
        fz_post_multicall(rc);
    if (c->post & FZ_POST_TRAPS) {
        pv_ops.load_idt(NULL, 0);
        trap_init();
    }
    if (c->post & FZ_POST_CALLBACKS) {
        struct callback_unregister nmi = { .type = CALLBACKTYPE_nmi };
        HYPERVISOR_callback_op(CALLBACKOP_unregister, &nmi);
        entry_init();
    }
    if (c->post & FZ_POST_SEGBASE)
        fz_restore_segbases();
    if (c->post & FZ_POST_DEBUGREG)
        fz_restore_debugregs();
    if (c->post & FZ_POST_FPU)
        HYPERVISOR_fpu_taskswitch(0);
    if (c->post & FZ_POST_L4_SLOTS)
        fz_clear_l4_slots();
    if (c->post & FZ_POST_MACHPHYS)
        fz_restore_machphys();
    if (c->post & FZ_POST_USER_BASE)
        fz_mmuext1(MMUEXT_NEW_USER_BASEPTR, fz.user_l4_mfn, 0);
    if (c->post & FZ_POST_LDT)
        fz_mmuext1(MMUEXT_SET_LDT, 0, 0);
    if (c->post & FZ_POST_GDT) {
        static xen_pfn_t none[1];
        HYPERVISOR_set_gdt(none, 0);
    }
    if (c->post & FZ_POST_RESERVE)
        fz_post_reserve(c, rc);
    if (c->post & FZ_POST_PINS)
        fz_post_pins(c, rc);
    if (c->post & FZ_POST_VCPU_AREAS) {
        uint64_t null_area = 0;
        hypercall5(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
                   (uint64_t)&null_area, 0, 0);
        hypercall5(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_time_memory_area, 0,
                   (uint64_t)&null_area, 0, 0);
    }
}

/* State outside the sandbox that a call may have left (timers, event
 * channels, I/O bitmap, grant version ...): back to start-of-day. */
static void fz_restore_global(void)
{
    struct evtchn_reset reset = { .dom = DOMID_SELF };
    struct physdev_set_iobitmap iobitmap = { 0 };

    hypercall5(__HYPERVISOR_set_timer_op, 0, 0, 0, 0, 0);
    hypercall5(__HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0, 0, 0);
    hypercall5(__HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 0, 0, 0, 0);
    hypercall5(__HYPERVISOR_event_channel_op, EVTCHNOP_reset, (uint64_t)&reset, 0, 0, 0);
    hypercall5(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iobitmap, (uint64_t)&iobitmap,
               0, 0, 0);
    struct fz_call all = { .post = FZ_POST_TRAPS | FZ_POST_CALLBACKS | FZ_POST_SEGBASE |
                           FZ_POST_DEBUGREG | FZ_POST_FPU | FZ_POST_L4_SLOTS |
                           FZ_POST_MACHPHYS | FZ_POST_USER_BASE | FZ_POST_LDT |
                           FZ_POST_GDT | FZ_POST_VCPU_AREAS };
    fz_post(&all, 0);
}

/* Unpin every scratch frame, as often as it takes (an unpinned L2 may be
 * what kept an L1 typed). */
static void fz_unpin_scratch(void)
{
    for (unsigned int round = 0; round < PT_LEVELS; round++)
        for (unsigned int i = 0; i < FZ_NR_SCRATCH; i++)
            fz_mmuext1(MMUEXT_UNPIN_TABLE, fz.scratch_mfn[i], 0);
}

/* Give every frame back to the allocator mapped read-write as it came;
 * a frame the hypervisor still holds typed is kept (and said so). */
static unsigned int fz_env_release(void)
{
    unsigned int leaked = 0;

    for (unsigned int i = 0; i < FZ_NR_WINDOW; i++) {
        if (fz_map(fz.window_va[i], (fz.window_mfn[i] << PAGE_SHIFT) | FZ_PTE_RW)) {
            printk("fuzz: window VA %#lx cannot be restored\n", fz.window_va[i]);
            leaked++;
            continue;
        }
        mm_free_pfn(fz.window_pfn[i]);
    }
    for (unsigned int i = 0; i < FZ_NR_SCRATCH; i++) {
        uint64_t va = (uint64_t)pfn_to_virt(fz.scratch_pfn[i]);
        if (fz_map(va, (fz.scratch_mfn[i] << PAGE_SHIFT) | FZ_PTE_RW)) {
            printk("fuzz: scratch mfn %#lx still typed; kept\n", fz.scratch_mfn[i]);
            leaked++;
            continue;
        }
        mm_free_pfn(fz.scratch_pfn[i]);
    }
    return leaked;
}

/* ---- failures ---------------------------------------------------------------- */
#define FZ_FAIL_PRINTED 20

void fz_fail(const char *fmt, ...)
{
    char line[192];
    va_list ap;

    if (fz_failures++ >= FZ_FAIL_PRINTED)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printk("fuzz: FAIL %s (after call %lu)\n", line, fz_calls);
}

/* ---- the reservation -------------------------------------------------------------- */
/* Scanning the M2P is bounded: 2^24 frames is 64 GiB of RAM. */
#define FZ_M2P_SCAN_MAX (1UL << 24)

static long fz_current_reservation(void)
{
    domid_t self = DOMID_SELF;

    return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

bool fz_may_give_back(uint64_t mfn)
{
    if (mfn == 0 || mfn >= fz.max_mfn || mfn == fz.shared_info_mfn ||
        fz_is_scratch(mfn) || fz_in_ballast(mfn) || mfn_to_pfn(mfn) != INVALID_FRAME)
        return false;
    for (unsigned int i = 0; i < FZ_NR_WINDOW; i++)
        if (fz.window_mfn[i] == mfn)
            return false;
    return true;
}

bool fz_give_back1(uint64_t mfn)
{
    xen_pfn_t one = mfn;
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    long rc;

    set_xen_guest_handle(r.extent_start, &one);
    rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
    fz_count(rc);
    if (rc == 1) {
        /*
         * A frame we were never told of may have been pinned by a random
         * MMUEXT_PIN_* that took it for a frame not ours; the pin would
         * keep it (and the reservation) alive, as on Xen. Not counted.
         */
        struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = mfn };
        (void)HYPERVISOR_mmuext_op(&unpin, 1, NULL, DOMID_SELF);
    }
    return rc == 1;
}

unsigned int fz_give_back_all(const xen_pfn_t *list, unsigned int n)
{
    struct xen_memory_reservation r = { .domid = DOMID_SELF };
    unsigned int i = 0, back = 0;

    while (i < n) {                      /* one call; a failure skips one */
        long rc;
        r.nr_extents = n - i;
        set_xen_guest_handle(r.extent_start, (xen_pfn_t *)list + i);
        rc = HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r);
        fz_count(rc);
        if (rc < 0)
            break;
        back += (unsigned int)rc;
        i += (unsigned int)rc + 1;
    }
    return back;
}

unsigned int fz_give_back_list(const xen_pfn_t *list, unsigned int n)
{
    unsigned int back = 0;

    for (unsigned int i = 0; i < n; i++) {
        bool seen = false;
        for (unsigned int j = 0; j < i && !seen; j++)
            seen = list[j] == list[i];
        if (!seen && fz_may_give_back(list[i]) && fz_give_back1(list[i]))
            back++;
    }
    return back;
}

static bool fz_is_tag(uint64_t gpfn)
{
    return (gpfn >= FZ_TAG_BASE && gpfn < FZ_TAG_BASE + FZ_TAG_SPAN) ||
           gpfn - FZ_CANARY < FZ_TAG_STRIDE;
}

/* Frames the hypervisor assigned under a tag but never reported: the M2P
 * names them; give each back. How many went. */
static uint64_t fz_recover_tagged(void)
{
    uint64_t end = MIN(fz.max_mfn, FZ_M2P_SCAN_MAX), back = 0;

    for (uint64_t m = 1; m < end; m++)
        if (fz_is_tag(mm_m2p_entry(m)) && fz_may_give_back(m) && fz_give_back1(m))
            back++;
    return back;
}

/* At the end: frames kept unreported are ours, outside the p2m, and named
 * nowhere: offer every frame that may be one to decrease_reservation
 * (the others merely fail). How many went back. */
static uint64_t fz_sweep_unreported(void)
{
    uint64_t end = MIN(fz.max_mfn, FZ_M2P_SCAN_MAX), back = 0;

    for (uint64_t m = 1; m < end; m++)
        if (fz_may_give_back(m) && fz_give_back1(m))
            back++;
    return back;
}

/* Sweep during the run once this many frames went unreported: they come
 * out of the ballast's small pool. */
#define FZ_SWEEP_AT 32
static uint64_t fz_rsv_swept;

void fz_rsv_check(uint64_t i, const char *what)
{
    long now = fz_current_reservation();
    int64_t diff;

    if (now < 0) {
        fz_fail("current_reservation after %s #%lu: %ld", what, i, now);
        return;
    }
    diff = now - (long)fz_rsv;
    if (diff > 0) {
        uint64_t back = fz_recover_tagged();
        fz_rsv_recovered += back;
        if (fz.verbose || back)
            printk("fuzz: #%lu %s left %ld frames unreported; %lu found in the M2P\n",
                   i, what, diff, back);
        now = fz_current_reservation();
        diff = now - (long)fz_rsv;
    }
    if (diff > 0 && (fz_rsv_flags & FZ_RSV_UNREPORTED)) {
        fz_rsv_unreported += (uint64_t)diff;      /* Xen keeps these */
        if (fz.verbose)
            printk("fuzz: #%lu %s: %ld frames kept unreported\n", i, what, diff);
        if (fz_rsv_unreported >= FZ_SWEEP_AT) {   /* before the pool drains */
            uint64_t back = fz_sweep_unreported();
            fz_rsv_swept += back;
            fz_rsv_unreported -= MIN(back, fz_rsv_unreported);
            now = fz_current_reservation();
        }
    }
    else if (diff < 0 && fz_rsv_unreported >= (uint64_t)-diff)
        fz_rsv_unreported -= (uint64_t)-diff;     /* some came back */
    else if (diff != 0)
        fz_fail("reservation %ld after %s #%lu, expected %lu", now, what, i, fz_rsv);
    fz_rsv = (uint64_t)now;
}

/* ---- health ---------------------------------------------------------------- */
/* The kernel can still take a trap, and the canary page is intact. */
static unsigned int fz_check_health(void)
{
    const uint64_t *canary = pfn_to_virt(fz.scratch_pfn[0]);
    unsigned long before = trap_last.count;
    unsigned int bad = 0;

    asm volatile("int3" ::: "memory");
    if (trap_last.count != before + 1) {
        printk("fuzz: BUG: int3 was not delivered after call %lu\n", fz_calls);
        bad++;
    }
    for (unsigned int w = 0; w < PAGE_SIZE / 8; w++) {
        if (canary[w] != FZ_CANARY) {
            printk("fuzz: BUG: read-only canary word %u is %#lx after call %lu\n",
                   w, canary[w], fz_calls);
            bad++;
            break;
        }
    }
    return bad;
}

/* ---- the loop ----------------------------------------------------------------- */
/* Numbers past the hypercall page have no stub: they go by a syscall
 * instruction, which the ABI also takes (as Linux issues them), and so do
 * some of the others. */
#define FZ_NR_STUBS (PAGE_SIZE / HYPERCALL_STUB_SIZE)

long fz_issue(const struct fz_call *c)
{
    if (c->op >= FZ_NR_STUBS || fz_chance(1, 8))
        return hypercall5_syscall((unsigned int)c->op, c->arg[0], c->arg[1],
                                  c->arg[2], c->arg[3], c->arg[4]);
    return hypercall5((unsigned int)c->op, c->arg[0], c->arg[1], c->arg[2],
                      c->arg[3], c->arg[4]);
}

static void fz_log_call(uint64_t i, const struct fz_call *c)
{
    printk("fuzz: #%lu hc %lu (%#lx, %#lx, %#lx, %#lx, %#lx)\n", i, c->op,
           c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4]);
}

/* One iteration in FZ_SEQ_EVERY is a sequence (fuzz_seq.c), not a call. */
#define FZ_SEQ_EVERY 64

static unsigned int fz_one(uint64_t i)
{
    struct fz_call c;
    long rc;

    fz_arena_reset();
    fz_rsv_flags = 0;
    fz.verbose = fz.log_from && i + 1 >= fz.log_from;
    if (fz_chance(1, FZ_SEQ_EVERY)) {
        if (fz_chance(1, 2))
            fz_seq_reuse(i);
        else
            fz_seq_exchange(i);
        return 0;
    }
    memset(&c, 0, sizeof(c));
    fz_gen_any(&c, 0);
    if (fz.verbose) {
        fz_log_call(i, &c);
        if (c.op == __HYPERVISOR_multicall)
            fz_log_multicall(i);
    }
    rc = fz_issue(&c);
    if (fz.verbose)
        printk("fuzz: #%lu -> %ld\n", i, rc);
    fz_count(rc);
    fz_post(&c, rc);               /* a multicall undoes each entry too */
    if (fz_rsv_flags || fz.check_every)
        fz_rsv_check(i, "call");
    return 0;
}

/* fuzzlog: log every call; fuzzlog=N: from iteration N (counted from 1). */
static uint64_t fz_log_from(void)
{
    const char *w = strstr((const char *)xen_start_info->cmd_line, "fuzzlog");

    if (!w)
        return 0;
    return w[7] == '=' ? strtoull(w + 8, NULL, 0) : 1;
}

/*
 * The reservation ended high: name the frames we still own that nothing
 * of ours names (an MMU_MACHPHYS_UPDATE that keeps the M2P entry as it is
 * succeeds only on a frame of ours).
 */
static void fz_report_strays(void)
{
    unsigned int n = 0;

    for (uint64_t m = 1; m < MIN(fz.max_mfn, FZ_M2P_SCAN_MAX) && n < 8; m++) {
        struct mmu_update probe = { (m << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE,
                                    mm_m2p_entry(m) };
        if (m == fz.shared_info_mfn || mfn_to_pfn(m) != INVALID_FRAME ||
            HYPERVISOR_mmu_update(&probe, 1, NULL, DOMID_SELF))
            continue;
        struct mmuext_op unpin = { .cmd = MMUEXT_UNPIN_TABLE, .arg1.mfn = m };
        long unpinned = HYPERVISOR_mmuext_op(&unpin, 1, NULL, DOMID_SELF);
        printk("fuzz: still ours, named by nothing: mfn %#lx (M2P %#lx)%s%s; "
               "unpin: %ld, reservation now %ld\n",
               m, mm_m2p_entry(m), fz_is_scratch(m) ? ", a scratch frame" : "",
               fz_may_give_back(m) ? "" : ", not sweepable", unpinned,
               fz_current_reservation());
        n++;
    }
}

int fuzz_run(uint64_t seed, uint64_t count)
{
    const char *why;
    unsigned int bad = 0, leaked;
    uint64_t rsv_before, rsv_end, swept = 0;

    fz_state = splitmix64(seed) | 1;
    fz.log_from = fz_log_from();
    fz.verbose = fz.log_from == 1;
    fz.check_every = strstr((const char *)xen_start_info->cmd_line, "fuzzrsv") != NULL;
    why = fz_env_init();
    if (why) {
        printk("fuzz: cannot set up the sandbox: %s\n", why);
        return 1;
    }
    rsv_before = (uint64_t)fz_current_reservation();
    fz_ballast_take();
    fz_rsv_start = fz_rsv = (uint64_t)fz_current_reservation();
    printk("fuzz: seed %lu, %lu calls; scratch mfns %#lx.., window %#lx.., "
           "reservation %lu\n", seed, count, fz.scratch_mfn[0], fz.window_va[0],
           fz_rsv_start);
    for (uint64_t i = 0; i < count; i++) {
        fz_one(i);
        if ((i + 1) % FZ_PROGRESS_EVERY == 0 || i + 1 == count) {
            bad += fz_check_health();
            printk("fuzz: %lu/%lu calls, %lu hypercalls, %lu errors returned\n",
                   i + 1, count, fz_calls, fz_errors);
        }
    }
    fz_restore_global();
    bad += fz_check_health();
    fz_unpin_scratch();
    leaked = fz_env_release();
    fz_rsv_flags = 0;
    fz_rsv_check(count, "the run");
    fz_seq_report();
    if (fz_rsv != fz_rsv_start + fz_rsv_unreported)
        fz_fail("reservation at %lu, %lu + %lu unreported expected", fz_rsv,
                fz_rsv_start, fz_rsv_unreported);
    fz_ballast_return();
    if (fz_rsv_unreported)
        swept = fz_sweep_unreported();
    fz_rsv_unreported += fz_rsv_swept;            /* for the line below */
    swept += fz_rsv_swept;
    rsv_end = (uint64_t)fz_current_reservation();
    printk("fuzz: reservation %lu at start, %lu at end; frames given back that "
           "were never named: %lu found by M2P tag, %lu of %lu unreported by sweep\n",
           rsv_before, rsv_end, fz_rsv_recovered, swept, fz_rsv_unreported);
    if (rsv_end != rsv_before) {
        fz_fail("reservation ends at %lu, started at %lu", rsv_end, rsv_before);
        fz_report_strays();
    }
    printk("fuzz: done, %lu calls, %lu errors returned, seed %lu\n",
           fz_calls, fz_errors, seed);
    if (bad || leaked || fz_failures)
        printk("fuzz: %u problems, %u failures, %u frames not returned\n", bad,
               fz_failures, leaked);
    return bad || fz_failures ? 1 : 0;
}
