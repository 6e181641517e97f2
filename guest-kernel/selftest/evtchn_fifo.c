/* SPDX-License-Identifier: MIT */
/*
 * selftest/evtchn_fifo.c - the FIFO event-channel ABI end to end: the
 *                          switch (init_control, expand_array), delivery
 *                          through the queues, priorities, masking, the
 *                          refusals, and EVTCHNOP_reset back to 2-level.
 * Owns:    the evtchn_fifo self-test and its ordering handler.
 * Touches: the event layer (evtchn.h: evtchn_fifo_start, the event words
 *          and control block read only); event_channel_op directly for
 *          what is tested (init_control, expand_array, set_priority);
 *          vcpu_info (read only); pv_ops.irq_enable/irq_disable;
 *          mm_free_pfns().
 *
 * Runs on every boot: it switches the domain to FIFO and back with
 * EVTCHNOP_reset, which Xen 4.17 documents and does.  Booted with
 * evtchn=fifo, it resets to 2-level first and st_events() switches to FIFO
 * again afterwards.  A hypervisor without the FIFO ABI answers
 * init_control with -XEN_ENOSYS: exactly that is reported and passes.
 * Expectations are Xen 4.17's answers to this kernel as dom0.
 */
#include <selftest.h>
#include <evtchn.h>
#include <mm.h>
#include <asm/pvops.h>
#include <pv/hypercall.h>
#include <pv/xen.h>

#define FIFO_XEN_LINK_BITS EVTCHN_FIFO_LINK_BITS   /* what Xen 4.17 answers */
#define FIFO_TEST_PRIORITY 3U
#define FIFO_BOGUS_MFN     0xfffffffffUL           /* no machine has this frame */
#define FIFO_MISALIGNED_OFFSET 4U                  /* control blocks are 8-aligned */
#define FIFO_VCPU_SCAN_MAX 4096U                   /* where to look for a missing vCPU */
#define W(bit)             ((uint32_t)1 << (bit))
#define W_PENDING          W(EVTCHN_FIFO_PENDING)
#define W_MASKED           W(EVTCHN_FIFO_MASKED)
#define W_LINKED           W(EVTCHN_FIFO_LINKED)

/* What a handler saw; seq orders the handlers across ports. */
struct fifo_seen {
    unsigned long count;
    unsigned long seq;          /* fifo_seq when it last ran */
    unsigned int port;
};

static volatile struct fifo_seen fs_a, fs_b, fs_c;
static volatile unsigned long fifo_seq;

static void fifo_record(unsigned int port, void *arg)
{
    volatile struct fifo_seen *s = arg;

    s->count++;
    s->seq = ++fifo_seq;
    s->port = port;
}

/* The lowest vCPU id the domain does not have (VCPUOP_is_up: -ENOENT): 1
 * for a uniprocessor domain, 2 with dom0_max_vcpus=2. */
static unsigned int fifo_missing_vcpu(void)
{
    unsigned int id;

    for (id = 1; id < FIFO_VCPU_SCAN_MAX; id++)
        if (HYPERVISOR_vcpu_op(VCPUOP_is_up, id, NULL) == -XEN_ENOENT)
            break;
    return id;
}

static const char *fifo_expect_word(long port, uint32_t want)
{
    uint32_t w = evtchn_fifo_word(port);

    ST_EXPECT(w == want, "event word of port %ld: %#x, want %#x", port, w, want);
    return NULL;
}

static long fifo_bind(volatile struct fifo_seen *s)
{
    return evtchn_bind_ipi(XEN_BOOT_VCPU, fifo_record, (void *)s);
}

/* init_control again for vCPU 0 (same frame), at an offset not 8-aligned,
 * for a vCPU that does not exist; an array page that is not ours; priority
 * 16 for a bound port: all refused, the event word untouched. */
static const char *fifo_refusals(long a)
{
    const volatile struct evtchn_fifo_control_block *cb = evtchn_fifo_control();
    uint64_t control_mfn = pfn_to_mfn(virt_to_pfn((const void *)cb));
    struct evtchn_init_control init = { .control_gfn = control_mfn, .vcpu = XEN_BOOT_VCPU };
    struct evtchn_init_control misaligned = { .control_gfn = control_mfn,
                                              .offset = FIFO_MISALIGNED_OFFSET,
                                              .vcpu = XEN_BOOT_VCPU };
    struct evtchn_init_control no_vcpu = { .control_gfn = control_mfn,
                                           .vcpu = fifo_missing_vcpu() };
    struct evtchn_expand_array expand = { .array_gfn = FIFO_BOGUS_MFN };
    struct evtchn_set_priority prio = { .port = a, .priority = EVTCHN_FIFO_PRIORITY_MIN + 1 };

    ST_EXPECT(cb != NULL, "no control block on FIFO");
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &init), -XEN_EINVAL);
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &misaligned),
                 -XEN_EINVAL);
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_init_control, &no_vcpu), -XEN_ENOENT);
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_expand_array, &expand), -XEN_EINVAL);
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &prio), -XEN_EINVAL);
    /* Port 0, reserved: no queue (Xen 4.17.7: -EACCES, evtchn_usable()). */
    prio = (struct evtchn_set_priority){ .port = 0, .priority = EVTCHN_FIFO_PRIORITY_DEFAULT };
    ST_EXPECT_RC(HYPERVISOR_event_channel_op(EVTCHNOP_set_priority, &prio), -XEN_EACCES);
    ST_TRY(fifo_expect_word(a, 0));
    return NULL;
}

/* An IPI through queue DEFAULT, then through queue 3, events enabled. */
static const char *fifo_delivery(long a)
{
    const volatile struct evtchn_fifo_control_block *cb = evtchn_fifo_control();
    struct vcpu_info *v = xen_vcpu();

    ST_TRY(fifo_expect_word(a, 0));             /* bound: unmasked, idle */
    pv_ops.irq_enable();
    ST_EXPECT_RC(evtchn_notify(a), 0);
    ST_EXPECT(fs_a.count == 1 && fs_a.port == a, "handler ran %lu times (port %u) by "
              "send's return, want once (port %ld)", fs_a.count, fs_a.port, a);
    ST_TRY(fifo_expect_word(a, 0));
    ST_EXPECT(cb->ready == 0 && !v->evtchn_upcall_pending, "ready %#x upcall_pending %u "
              "after the upcall", cb->ready, v->evtchn_upcall_pending);

    ST_EXPECT_RC(evtchn_set_priority(a, FIFO_TEST_PRIORITY), 0);
    ST_EXPECT_RC(evtchn_notify(a), 0);
    ST_EXPECT(fs_a.count == 2, "after set_priority: handler ran %lu times, want 2",
              fs_a.count);
    pv_ops.irq_disable();                       /* now watch it wait in queue 3 */
    ST_EXPECT_RC(evtchn_notify(a), 0);
    ST_TRY(fifo_expect_word(a, W_PENDING | W_LINKED));
    ST_EXPECT(cb->ready == 1U << FIFO_TEST_PRIORITY && cb->head[FIFO_TEST_PRIORITY] == a,
              "queued: ready %#x head[%u] %u, want %#x, %ld", cb->ready, FIFO_TEST_PRIORITY,
              cb->head[FIFO_TEST_PRIORITY], 1U << FIFO_TEST_PRIORITY, a);
    ST_EXPECT(v->evtchn_upcall_pending == 1 && fs_a.count == 2,
              "events masked: upcall_pending %u, handler ran %lu times",
              v->evtchn_upcall_pending, fs_a.count);
    pv_ops.irq_enable();
    ST_EXPECT(fs_a.count == 3 && cb->ready == 0, "after irq_enable: handler ran %lu times, "
              "ready %#x", fs_a.count, cb->ready);
    ST_TRY(fifo_expect_word(a, 0));
    pv_ops.irq_disable();
    return NULL;
}

/*
 * Queued with events masked: b then c on queue DEFAULT (c linked behind
 * b), a last but on queue 3.  One upcall runs a first (priority), then b,
 * c (FIFO order).
 */
static const char *fifo_order(long a, long b, long c)
{
    const volatile struct evtchn_fifo_control_block *cb = evtchn_fifo_control();
    uint32_t want_ready = 1U << FIFO_TEST_PRIORITY | 1U << EVTCHN_FIFO_PRIORITY_DEFAULT;

    ST_EXPECT_RC(evtchn_notify(b), 0);
    ST_EXPECT_RC(evtchn_notify(c), 0);
    ST_EXPECT_RC(evtchn_notify(a), 0);
    ST_TRY(fifo_expect_word(b, W_PENDING | W_LINKED | (uint32_t)c));
    ST_TRY(fifo_expect_word(c, W_PENDING | W_LINKED));
    ST_EXPECT(cb->ready == want_ready && cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT] == b,
              "ready %#x head[%u] %u, want %#x, %ld", cb->ready,
              EVTCHN_FIFO_PRIORITY_DEFAULT, cb->head[EVTCHN_FIFO_PRIORITY_DEFAULT],
              want_ready, b);
    fifo_seq = 0;
    pv_ops.irq_enable();
    ST_EXPECT(fs_a.seq == 1 && fs_b.seq == 2 && fs_c.seq == 3, "handled in order a %lu, "
              "b %lu, c %lu, want 1, 2, 3", fs_a.seq, fs_b.seq, fs_c.seq);
    ST_TRY(fifo_expect_word(b, 0));
    ST_TRY(fifo_expect_word(c, 0));
    pv_ops.irq_disable();
    return NULL;
}

/* A masked port stays pending, off the queues; unmask delivers it. */
static const char *fifo_mask(long a)
{
    struct vcpu_info *v = xen_vcpu();
    unsigned long n = fs_a.count;

    pv_ops.irq_enable();
    evtchn_mask(a);                             /* not pending: unmasked locally */
    ST_TRY(fifo_expect_word(a, W_MASKED));
    ST_EXPECT_RC(evtchn_unmask(a), 0);
    ST_TRY(fifo_expect_word(a, 0));
    evtchn_mask(a);
    ST_EXPECT_RC(evtchn_notify(a), 0);
    ST_EXPECT(fs_a.count == n && !v->evtchn_upcall_pending, "masked port: handler ran "
              "%lu times, upcall_pending %u", fs_a.count - n, v->evtchn_upcall_pending);
    ST_TRY(fifo_expect_word(a, W_PENDING | W_MASKED));
    ST_EXPECT(evtchn_is_pending(a) && evtchn_is_masked(a), "is_pending/is_masked disagree");
    ST_EXPECT_RC(evtchn_unmask(a), 0);          /* pending: EVTCHNOP_unmask */
    ST_EXPECT(fs_a.count == n + 1, "handler ran %lu times by unmask's return, want 1",
              fs_a.count - n);
    ST_TRY(fifo_expect_word(a, 0));
    pv_ops.irq_disable();
    return NULL;
}

/*
 * Reset with an event left queued: every port closed, the domain back on
 * 2-level (set_priority -XEN_ENOSYS, delivery through shared_info), our
 * two pages freed.
 */
static const char *fifo_reset_to_2level(long a, uint64_t free_before)
{
    struct vcpu_info *v = xen_vcpu();
    unsigned long n;
    long p;

    ST_EXPECT_RC(evtchn_notify(a), 0);          /* events masked: left queued */
    ST_EXPECT_RC(evtchn_reset(), 0);
    ST_EXPECT(!evtchn_is_fifo() && evtchn_fifo_control() == NULL,
              "still on FIFO after reset");
    ST_EXPECT(evtchn_nr_bound() == 0, "%u ports bound after reset", evtchn_nr_bound());
    ST_EXPECT_RC(evtchn_set_priority(0, EVTCHN_FIFO_PRIORITY_DEFAULT), -XEN_ENOSYS);
    ST_EXPECT(mm_free_pfns() == free_before, "%ld pages not freed after reset",
              (long)(free_before - mm_free_pfns()));
    p = fifo_bind(&fs_b);
    ST_EXPECT(p > 0, "bind_ipi on 2-level = %ld", p);
    ST_EXPECT(!evtchn_is_pending(p), "new port %ld pending", p);
    ST_EXPECT_RC(evtchn_notify(p), 0);
    ST_EXPECT(evtchn_is_pending(p) && v->evtchn_upcall_pending == 1 &&
              (v->evtchn_pending_sel & (1UL << (p / 64))),
              "2-level send: pending %d upcall_pending %u sel %#lx", evtchn_is_pending(p),
              v->evtchn_upcall_pending, (unsigned long)v->evtchn_pending_sel);
    n = fs_b.count;
    pv_ops.irq_enable();
    ST_EXPECT(fs_b.count == n + 1, "2-level handler ran %lu times, want 1", fs_b.count - n);
    pv_ops.irq_disable();
    ST_EXPECT_RC(evtchn_close(p), 0);
    return NULL;
}

static const char *fifo_body(void)
{
    uint64_t free_before;
    long rc, a, b, c;

    fs_a = fs_b = fs_c = (struct fifo_seen){ 0 };
    if (evtchn_is_fifo())                       /* evtchn=fifo: from 2-level */
        ST_EXPECT_RC(evtchn_reset(), 0);
    ST_EXPECT(!evtchn_is_fifo(), "on FIFO before the switch");
    free_before = mm_free_pfns();
    rc = evtchn_fifo_start();
    if (rc == -XEN_ENOSYS) {
        printk("evtchn_fifo: init_control -ENOSYS (%ld): no FIFO ABI, skipped\n", rc);
        ST_EXPECT(!evtchn_is_fifo() && mm_free_pfns() == free_before,
                  "refused switch left FIFO state or pages behind");
        return NULL;
    }
    ST_EXPECT(rc == FIFO_XEN_LINK_BITS, "evtchn_fifo_start() = %ld, want link_bits %d",
              rc, FIFO_XEN_LINK_BITS);
    ST_EXPECT(evtchn_is_fifo(), "not on FIFO after the switch");
    a = fifo_bind(&fs_a);
    b = fifo_bind(&fs_b);
    c = fifo_bind(&fs_c);
    ST_EXPECT(a > 0 && b > 0 && c > 0 && a < EVTCHN_FIFO_ARRAY_PORTS &&
              b < EVTCHN_FIFO_ARRAY_PORTS && c < EVTCHN_FIFO_ARRAY_PORTS,
              "bind_ipi x3 = %ld, %ld, %ld", a, b, c);
    ST_TRY(fifo_refusals(a));
    ST_TRY(fifo_delivery(a));
    ST_TRY(fifo_order(a, b, c));
    ST_TRY(fifo_mask(a));
    ST_EXPECT_RC(evtchn_close(b), 0);
    ST_EXPECT_RC(evtchn_close(c), 0);
    ST_TRY(fifo_reset_to_2level(a, free_before));
    return NULL;
}

const char *st_evtchn_fifo(void) { return st_events(fifo_body); }
