/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.c - bench_run(): the cost of the memory hypercalls, per
 *                 operation, as rdtsc deltas (exact instruction counts
 *                 under QEMU TCG with -icount shift=0, cycles under KVM).
 * Owns:    the benchmarks and their output, one line each (parsed by
 *          ./pvisor bench):
 *            bench: NAME median M min N n SAMPLES unit UNIT
 *            bench: NAME unavailable (rc RC)
 *            bench: done
 * Touches: frames from mm_alloc_pfn() and the direct-map entries of some of
 *          them (remapped to two data frames, put back and freed at the end).
 *          Only the Xen ABI: the same image runs on Xen 4.17.
 *
 * Arguments (bench=ARG,ARG...): n=SAMPLES (default 1000), unit=NAME (what a
 * tick is: "instructions" by default, "cycles" under KVM).
 * A benchmark never asserts a timing: it prints figures.
 */
#include <testapi.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>

#define BENCH_WARMUP     50
#define BENCH_MAX_SAMPLES 4096
#define BENCH_BATCH      64      /* mmu_update_64: PTEs in one call      */
#define BENCH_SERIES_MAX 512     /* the batch series: 1, 2, 4 ... 512     */
#define BENCH_SERIES_SAMPLES 100 /* their samples (exact under -icount)  */
#define BENCH_MC_ENTRIES 32      /* multicall: entries in one call       */
#define BENCH_UNIT_MAX   24
#define BENCH_PTE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define BENCH_GREF       8       /* our grant of frame[0] to ourselves    */
#define BENCH_GNT_TABLE  2       /* env.va[2] maps our grant table...    */
#define BENCH_GNT_MAP    1       /* ... and env.va[1] the granted frame  */

struct bench_env {
    uint64_t frame[2];                  /* data frames the PTEs alternate on */
    uint64_t balloon_pfn;               /* the page balloon_out_in cycles   */
    evtchn_port_t ipi_port;             /* masked IPI port the sends raise  */
    volatile struct grant_entry_v1 *gnt; /* our grant table, once mapped   */
    uint64_t pfn[BENCH_SERIES_MAX], va[BENCH_SERIES_MAX], pte_ma[BENCH_SERIES_MAX];
    unsigned int batch;                 /* the series' size of the moment  */
    unsigned int samples;
    char unit[BENCH_UNIT_MAX];
};

static struct bench_env env;
static uint64_t sample[BENCH_MAX_SAMPLES];
static struct mmu_update bench_reqs[BENCH_SERIES_MAX];
static struct multicall_entry bench_mc[BENCH_SERIES_MAX];

static inline uint64_t bench_tsc(void)
{
    uint32_t lo, hi;

    asm volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}

/* One operation of a benchmark: i is the iteration (to alternate values);
 * returns the hypercall's result, which must be 0. */
typedef long (*bench_op)(unsigned int i);

static uint64_t bench_pte(unsigned int i)
{
    return (env.frame[i & 1] << PAGE_SHIFT) | BENCH_PTE;
}

static long op_null(unsigned int i)
{
    (void)i;
    return HYPERVISOR_xen_version(XENVER_version, NULL) > 0 ? 0 : -1;
}

static long op_mmu_update_1(unsigned int i)
{
    struct mmu_update req = { env.pte_ma[0] | MMU_NORMAL_PT_UPDATE, bench_pte(i) };

    return HYPERVISOR_mmu_update(&req, 1, NULL, DOMID_SELF);
}

static long op_mmu_update_64(unsigned int i)
{
    for (unsigned int k = 0; k < BENCH_BATCH; k++)
        bench_reqs[k] = (struct mmu_update){ env.pte_ma[k] | MMU_NORMAL_PT_UPDATE,
                                             bench_pte(i) };
    return HYPERVISOR_mmu_update(bench_reqs, BENCH_BATCH, NULL, DOMID_SELF);
}

static long op_update_va_mapping(unsigned int i)
{
    return HYPERVISOR_update_va_mapping(env.va[0], bench_pte(i), UVMF_INVLPG);
}

static long op_tlb_flush_local(unsigned int i)
{
    struct mmuext_op op = { .cmd = MMUEXT_TLB_FLUSH_LOCAL };

    (void)i;
    return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/*
 * n update_va_mappings (no flush) into bench_mc: the words the call
 * takes (op, va, pte, flags), as a kernel filling a batch sets them.
 */
static void mc_fill_uvm(unsigned int n, unsigned int i)
{
    for (unsigned int k = 0; k < n; k++) {
        bench_mc[k].op = __HYPERVISOR_update_va_mapping;
        bench_mc[k].args[0] = env.va[k];
        bench_mc[k].args[1] = bench_pte(i);
        bench_mc[k].args[2] = UVMF_NONE;
    }
}

/* BENCH_MC_ENTRIES update_va_mappings (no flush), one multicall... */
static long op_multicall_uvm(unsigned int i)
{
    mc_fill_uvm(BENCH_MC_ENTRIES, i);
    if (HYPERVISOR_multicall(bench_mc, BENCH_MC_ENTRIES))
        return -1;
    for (unsigned int k = 0; k < BENCH_MC_ENTRIES; k++)
        if (bench_mc[k].result)
            return (long)bench_mc[k].result;
    return 0;
}

/* BENCH_MC_ENTRIES xen_version(XENVER_version), one multicall: what a
 * multicall entry costs by itself (the null hypercall's handler). The
 * guest sets what the call takes (op, cmd, arg), as a kernel filling a
 * batch does; the other words of an entry are not the handler's. */
static long op_multicall_null(unsigned int i)
{
    (void)i;
    for (unsigned int k = 0; k < BENCH_MC_ENTRIES; k++) {
        bench_mc[k].op = __HYPERVISOR_xen_version;
        bench_mc[k].args[0] = XENVER_version;
        bench_mc[k].args[1] = 0;
    }
    if (HYPERVISOR_multicall(bench_mc, BENCH_MC_ENTRIES))
        return -1;
    for (unsigned int k = 0; k < BENCH_MC_ENTRIES; k++)
        if ((long)bench_mc[k].result <= 0)
            return -1;
    return 0;
}

/* The series: env.batch PTEs in one mmu_update (each its own page's)... */
static long op_mmu_update_batch(unsigned int i)
{
    for (unsigned int k = 0; k < env.batch; k++)
        bench_reqs[k] = (struct mmu_update){ env.pte_ma[k] | MMU_NORMAL_PT_UPDATE,
                                             bench_pte(i) };
    return HYPERVISOR_mmu_update(bench_reqs, env.batch, NULL, DOMID_SELF);
}

/* ... and env.batch update_va_mappings (no flush) in one multicall. */
static long op_multicall_batch(unsigned int i)
{
    mc_fill_uvm(env.batch, i);
    if (HYPERVISOR_multicall(bench_mc, env.batch))
        return -1;
    for (unsigned int k = 0; k < env.batch; k++)
        if (bench_mc[k].result)
            return (long)bench_mc[k].result;
    return 0;
}

/* ... against the same updates as direct calls. */
static long op_direct_uvm(unsigned int i)
{
    long rc = 0;

    for (unsigned int k = 0; k < BENCH_MC_ENTRIES; k++)
        rc |= HYPERVISOR_update_va_mapping(env.va[k], bench_pte(i), UVMF_NONE);
    return rc;
}

/*
 * The balloon, as a kernel's balloon driver does it, with the frame's old
 * use still possibly in the TLB: unmap the page without a flush, give its
 * frame back, take one frame, map it and point M2P and p2m at it. A
 * first-fit allocator hands the same frame back, so the hypervisor must
 * flush before it does (the flush rule of hypervisor/common/frame.c): this
 * is the frame-reuse path, with its flush.
 */
static long op_balloon_out_in(unsigned int i)
{
    uint64_t pfn = env.balloon_pfn, va = (uint64_t)pfn_to_virt(pfn);
    xen_pfn_t frame = pfn_to_mfn(pfn);
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };
    struct mmu_update m2p;

    (void)i;
    set_xen_guest_handle(r.extent_start, &frame);
    if (HYPERVISOR_update_va_mapping(va, 0, UVMF_NONE) ||
        HYPERVISOR_memory_op(XENMEM_decrease_reservation, &r) != 1 ||
        HYPERVISOR_memory_op(XENMEM_increase_reservation, &r) != 1)
        return -1;
    m2p = (struct mmu_update){ (frame << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, pfn };
    xen_p2m_set(pfn, frame);
    if (HYPERVISOR_update_va_mapping(va, (frame << PAGE_SHIFT) | BENCH_PTE,
                                     UVMF_INVLPG))
        return -1;
    return HYPERVISOR_mmu_update(&m2p, 1, NULL, DOMID_SELF);
}

/* The IPI port's bit in shared_info, by word and mask. */
static volatile xen_ulong_t *port_word(volatile xen_ulong_t *words, evtchn_port_t p)
{
    return &words[p / (sizeof(xen_ulong_t) * 8)];
}

static xen_ulong_t port_bit(evtchn_port_t p)
{
    return (xen_ulong_t)1 << (p % (sizeof(xen_ulong_t) * 8));
}

/* EVTCHNOP_send raising a masked IPI port (no upcall): the pending bit is
 * cleared first, as a handler would. */
static long op_evtchn_send(unsigned int i)
{
    struct evtchn_send s = { .port = env.ipi_port };

    (void)i;
    __atomic_fetch_and(port_word(HYPERVISOR_shared_info->evtchn_pending, s.port),
                       ~port_bit(s.port), __ATOMIC_SEQ_CST);
    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

/* The same send to a port still pending: nothing more to raise. */
static long op_evtchn_send_pending(unsigned int i)
{
    struct evtchn_send s = { .port = env.ipi_port };

    (void)i;
    return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

/* set_timer_op one second ahead: a timer inserted, the APIC reprogrammed. */
static long op_set_timer(unsigned int i)
{
    (void)i;
    return HYPERVISOR_set_timer_op(pv_ops.clock_ns() + 1000000000ULL);
}

static long op_sched_yield(unsigned int i)
{
    (void)i;
    return HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

/* The guest kernel has no grant-table wrapper yet. */
static long bench_gnttab_op(unsigned int cmd, void *op)
{
    return hypercall5(__HYPERVISOR_grant_table_op, cmd, (unsigned long)op, 1, 0, 0);
}

/*
 * Grant BENCH_GREF (frame[0], to ourselves: dom0 is domain 0 on both
 * hypervisors), with our table's frame 0 mapped at va[BENCH_GNT_TABLE];
 * done at the first grant benchmark's first call, after the benchmarks
 * that borrow those VAs. Returns 0 or why not.
 */
static long bench_grant(void)
{
    xen_pfn_t frame;
    struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1 };
    long rc;

    if (env.gnt)
        return 0;
    set_xen_guest_handle(st.frame_list, &frame);
    rc = bench_gnttab_op(GNTTABOP_setup_table, &st);
    if (rc || st.status)
        return rc ? rc : st.status;
    rc = HYPERVISOR_update_va_mapping(env.va[BENCH_GNT_TABLE],
                                      (frame << PAGE_SHIFT) | BENCH_PTE, UVMF_INVLPG);
    if (rc)
        return rc;
    env.gnt = (volatile struct grant_entry_v1 *)env.va[BENCH_GNT_TABLE];
    env.gnt[BENCH_GREF].domid = 0;
    env.gnt[BENCH_GREF].frame = (uint32_t)env.frame[0];
    __atomic_store_n(&env.gnt[BENCH_GREF].flags, GTF_permit_access, __ATOMIC_RELEASE);
    return 0;
}

/* map_grant_ref of our grant, writable, at a VA; unmap_grant_ref of it. */
static long op_gnttab_map_unmap(unsigned int i)
{
    struct gnttab_map_grant_ref map = {
        .host_addr = env.va[BENCH_GNT_MAP], .flags = GNTMAP_host_map,
        .ref = BENCH_GREF, .dom = 0,
    };
    struct gnttab_unmap_grant_ref unmap = { .host_addr = env.va[BENCH_GNT_MAP] };
    long rc = bench_grant();

    (void)i;
    if (rc)
        return rc;
    rc = bench_gnttab_op(GNTTABOP_map_grant_ref, &map);
    if (rc || map.status)
        return rc ? rc : map.status;
    unmap.handle = map.handle;
    rc = bench_gnttab_op(GNTTABOP_unmap_grant_ref, &unmap);
    return rc ? rc : unmap.status;
}

/* GNTTABOP_copy of 4 KiB from our grant (frame[0]) to frame[1]. */
static long op_gnttab_copy_4k(unsigned int i)
{
    struct gnttab_copy op = {
        .source = { .u.ref = BENCH_GREF, .domid = 0 },
        .dest = { .u.gmfn = env.frame[1], .domid = DOMID_SELF },
        .len = PAGE_SIZE, .flags = GNTCOPY_source_gref,
    };
    long rc = bench_grant();

    (void)i;
    if (rc)
        return rc;
    rc = bench_gnttab_op(GNTTABOP_copy, &op);
    return rc ? rc : op.status;
}

static const struct bench {
    const char *name;
    bench_op op;
    unsigned int per_call;      /* operations one call of op performs */
} benches[] = {                 /* bench/README.md says what each measures */
    { "null_hypercall",      op_null,              1 },
    { "mmu_update_1",        op_mmu_update_1,      1 },
    { "mmu_update_64",       op_mmu_update_64,     BENCH_BATCH },
    { "update_va_mapping",   op_update_va_mapping, 1 },
    { "tlb_flush_local",     op_tlb_flush_local,   1 },
    { "multicall_uvm_entry", op_multicall_uvm,     BENCH_MC_ENTRIES },
    { "direct_uvm_call",     op_direct_uvm,        BENCH_MC_ENTRIES },
    { "multicall_null_entry", op_multicall_null,   BENCH_MC_ENTRIES },
    { "balloon_out_in",      op_balloon_out_in,    1 },
    { "evtchn_send",         op_evtchn_send,       1 },
    { "evtchn_send_pending", op_evtchn_send_pending, 1 },
    { "set_timer_op",        op_set_timer,         1 },
    { "sched_yield",         op_sched_yield,       1 },
    { "gnttab_map_unmap",    op_gnttab_map_unmap,  1 },
    { "gnttab_copy_4k",      op_gnttab_copy_4k,    1 },
};

static void bench_sort(uint64_t *a, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++) {
        uint64_t v = a[i];
        unsigned int j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

static void bench_one(const struct bench *b, unsigned int samples)
{
    long rc = 0;
    unsigned int i;

    for (i = 0; i < BENCH_WARMUP && !rc; i++)
        rc = b->op(i);
    if (rc) {
        printk("bench: %s unavailable (rc %ld)\n", b->name, rc);
        return;
    }
    for (i = 0; i < samples; i++) {
        uint64_t t0 = bench_tsc();
        rc |= b->op(i);
        sample[i] = (bench_tsc() - t0) / b->per_call;
    }
    if (rc) {
        printk("bench: %s unavailable (rc %ld)\n", b->name, rc);
        return;
    }
    bench_sort(sample, samples);
    printk("bench: %s median %lu min %lu n %u unit %s\n", b->name,
           sample[samples / 2], sample[0], samples, env.unit);
}

/*
 * The batch series (bench/report.py plots them): mmu_update_bN, per PTE
 * of one mmu_update of N, and multicall_nN, per entry of one multicall of
 * N update_va_mappings, for N = 1, 2, 4 ... BENCH_SERIES_MAX.
 */
static void bench_series(void)
{
    static const struct { const char *prefix; bench_op op; } series[] = {
        { "mmu_update_b", op_mmu_update_batch },
        { "multicall_n",  op_multicall_batch },
    };
    unsigned int samples = MIN(env.samples, BENCH_SERIES_SAMPLES);
    char name[24];

    for (unsigned int s = 0; s < ARRAY_SIZE(series); s++)
        for (env.batch = 1; env.batch <= BENCH_SERIES_MAX; env.batch *= 2) {
            struct bench b = { name, series[s].op, env.batch };
            snprintf(name, sizeof(name), "%s%u", series[s].prefix, env.batch);
            bench_one(&b, samples);
        }
}

/* "n=N,unit=U" (either, any order). */
static void bench_parse(const char *args)
{
    env.samples = 1000;
    memcpy(env.unit, "instructions", sizeof("instructions"));
    while (args && *args) {
        const char *end = strstr(args, ",");
        size_t len = end ? (size_t)(end - args) : strlen(args);
        if (!strncmp(args, "n=", 2))
            env.samples = (unsigned int)strtoull(args + 2, NULL, 0);
        else if (!strncmp(args, "unit=", 5) && len - 5 < BENCH_UNIT_MAX) {
            memcpy(env.unit, args + 5, len - 5);
            env.unit[len - 5] = '\0';
        }
        args = end ? end + 1 : NULL;
    }
    if (env.samples < 1 || env.samples > BENCH_MAX_SAMPLES)
        env.samples = 1000;
}

static const char *bench_setup(void)
{
    for (unsigned int k = 0; k < 2; k++) {
        uint64_t pfn = mm_alloc_pfn();
        if (pfn == INVALID_FRAME)
            return "out of memory";
        env.frame[k] = pfn_to_mfn(pfn);
    }
    env.balloon_pfn = mm_alloc_pfn();
    if (env.balloon_pfn == INVALID_FRAME)
        return "out of memory";
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi))
        return "no IPI port";
    env.ipi_port = ipi.port;
    __atomic_fetch_or(port_word(HYPERVISOR_shared_info->evtchn_mask, ipi.port),
                      port_bit(ipi.port), __ATOMIC_SEQ_CST);
    for (unsigned int k = 0; k < BENCH_SERIES_MAX; k++) {
        env.pfn[k] = mm_alloc_pfn();
        if (env.pfn[k] == INVALID_FRAME)
            return "out of memory";
        env.va[k] = (uint64_t)pfn_to_virt(env.pfn[k]);
        env.pte_ma[k] = mm_pte_maddr(env.va[k]);
        if (!env.va[k] || !env.pte_ma[k])
            return "a new frame has no PTE";
    }
    return NULL;
}

/* Map every borrowed VA back to its own frame and free everything; the two
 * data frames stay with us if some VA could not be restored. */
static void bench_teardown(void)
{
    bool all = true;

    if (env.gnt)
        env.gnt[BENCH_GREF].flags = 0;
    for (unsigned int k = 0; k < BENCH_SERIES_MAX; k++) {
        uint64_t pte = (pfn_to_mfn(env.pfn[k]) << PAGE_SHIFT) | BENCH_PTE;
        if (HYPERVISOR_update_va_mapping(env.va[k], pte, UVMF_INVLPG)) {
            printk("bench: cannot restore VA %#lx\n", env.va[k]);
            all = false;
            continue;
        }
        mm_free_pfn(env.pfn[k]);
    }
    for (unsigned int k = 0; k < 2 && all; k++)
        mm_free_pfn(mfn_to_pfn(env.frame[k]));
    mm_free_pfn(env.balloon_pfn);       /* mapped and in the p2m again */
    struct evtchn_close c = { .port = env.ipi_port };
    (void)HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
    __atomic_fetch_and(port_word(HYPERVISOR_shared_info->evtchn_mask, c.port),
                       ~port_bit(c.port), __ATOMIC_SEQ_CST);
    (void)HYPERVISOR_set_timer_op(0);
}

int bench_run(const char *args)
{
    const char *why;

    bench_parse(args);
    why = bench_setup();
    if (why) {
        printk("bench: cannot set up: %s\n", why);
        return 1;
    }
    printk("bench: %u samples after %u warm-up runs; unit %s\n", env.samples,
           BENCH_WARMUP, env.unit);
    bench_series();             /* first: the grant benchmarks borrow VAs */
    for (unsigned int i = 0; i < ARRAY_SIZE(benches); i++)
        bench_one(&benches[i], env.samples);
    bench_teardown();
    printk("bench: done\n");
    return 0;
}
