/* SPDX-License-Identifier: MIT */
/*
 * evtchn_fifo_bad_args - the FIFO event channel ABI's three sub-ops
 * (EVTCHNOP_init_control 11, expand_array 12, set_priority 13) with bad
 * arguments, before the switch to FIFO, at it and after it; then
 * EVTCHNOP_reset back to the 2-level ABI.
 * Rule: a refused init_control leaves the domain 2-level and writes no
 * link_bits; only frames that are ours and can be typed writable become a
 * control block or an event array page; the reset gives every frame back
 * and leaves the 2-level ABI (which the kernel's own event layer uses)
 * working as it was.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU, one
 * vCPU, no port bound at start) and where it comes from in
 * common/event_fifo.c (FIFO) or common/event_channel.c:
 *  - before init_control: expand_array -EOPNOTSUPP (no d->evtchn_fifo);
 *    set_priority -ENOSYS on a valid port (port 0, an IPI port; the 2-level
 *    port ops have no set_priority), -EINVAL on port 4096 (port looked up
 *    first, evtchn_set_priority()); unreadable arguments -EFAULT;
 *  - init_control (evtchn_fifo_init_control()): vCPU 1 or 0xffffffff
 *    -ENOENT, checked before anything else (domain_vcpu()); offset past
 *    PAGE_SIZE - 72 (the control block is 72 bytes: 4032, 0xffffffff) or
 *    not 8-aligned (4) -EINVAL; a control_gfn that is not a frame of ours
 *    (4 GiB, past the 512 MiB of RAM; ~0; mfn 1, which Xen gives to
 *    DOMID_IO and logs "Error mfn 00001: rd=d0 od=d[IO]") -EINVAL
 *    (get_page_from_gfn(), gfn == mfn for PV); our L4 page-table frame
 *    -EINVAL (get_page_type(PGT_writable_page) fails); an unreadable
 *    argument -EFAULT. link_bits (one byte) is written back only on success: a refused
 *    call leaves it untouched, and the domain stays 2-level (expand_array
 *    still -EOPNOTSUPP);
 *  - the good init_control at the last offset allowed (4024): 0, link_bits
 *    17 (EVTCHN_FIFO_LINK_BITS); a second one for vCPU 0: -EINVAL (a
 *    control block is already mapped, checked before the frame);
 *  - after init: expand_array with a frame not ours or our L4: -EINVAL;
 *    a good frame: 0; the same frame again: 0 (Xen takes one more writable
 *    type reference: it does not refuse an alias); fresh frames are taken
 *    until the array holds 128 pages (2^17 ports / 1024 words per page),
 *    then -ENOSPC, even for a bad frame (the slot is checked first);
 *  - set_priority: 16 and 0xffffffff -EINVAL, 15 and 0 fine, port 4096
 *    -EINVAL, port 0 (reserved) and a closed port -EACCES (only a bound
 *    port is evtchn_usable(); checked after the port ops' set_priority
 *    exists and before the priority: a closed port at priority 16 is
 *    -EACCES too);
 *  - a FIFO event for contrast: an IPI port at priority 3, sent: its event
 *    word reads PENDING|LINKED, ready has bit 3, head[3] is the port,
 *    upcall_pending is set and the 2-level pending bit is not;
 *  - EVTCHNOP_reset(DOMID_SELF): 0, back to 2-level: expand_array
 *    -EOPNOTSUPP, set_priority -ENOSYS, an IPI sent is pending in
 *    shared_info again, the 2-level mask words are as they were;
 *  - init_control with a read-only argument: -EFAULT, **yet the domain is
 *    FIFO** (copied back after the switch): expand_array of a bad frame
 *    answers -EINVAL, not -EOPNOTSUPP; a second reset puts it back.
 * Undo: two resets; the frames Xen held are freed only after them; every
 * port closed; shared_info words and the upcall mask put back.
 */
#include "hostile_evtchn.h"

#define E(x) (-XEN_##x)
#define LB_UNTOUCHED 0xa5u              /* link_bits is one byte */
#define CB_BYTES sizeof(struct evtchn_fifo_control_block)          /* 72 */
#define CB_LAST_OFFSET (PAGE_SIZE - CB_BYTES)                       /* 4024 */
#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(uint32_t))               /* 1024 */
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)  /* 128 */
#define PAST_RAM_MFN (1UL << 20)         /* 4 GiB; QEMU gives 512 MiB */
#define XEN_MFN 1UL                      /* not ours: Xen gives it to DOMID_IO */
#define FIFO_PRIO 3u
#define PENDING_LINKED ((1u << EVTCHN_FIFO_PENDING) | (1u << EVTCHN_FIFO_LINKED))

/* Scratch pages: the control block's frame, the first array page, and the
 * page holding a read-only init_control argument. */
#define PG_CONTROL 0
#define PG_ARRAY   1
#define PG_RO_ARG  2

/* Array pages past the first, from mm_alloc_pfn(), freed after the reset. */
static uint64_t extra_pfn[MAX_ARRAY_PAGES + 1];
static unsigned int nr_extra;

static unsigned long mfn_of(unsigned int scratch)
{
    return hg_virt_to_mfn(hg_page(scratch));
}

static unsigned long l4_mfn(void)
{
    return (hg_read_cr3() & HG_ADDR_MASK) >> PAGE_SHIFT;
}

/* init_control: rc, and in *link_bits what was written back (or
 * LB_UNTOUCHED). */
static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu, uint32_t *link_bits)
{
    struct evtchn_init_control op = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu,
                                      .link_bits = LB_UNTOUCHED };
    long rc = hg_event_channel_op(EVTCHNOP_init_control, &op);

    *link_bits = op.link_bits;
    return rc;
}

static long expand(uint64_t gfn)
{
    struct evtchn_expand_array op = { .array_gfn = gfn };

    return hg_event_channel_op(EVTCHNOP_expand_array, &op);
}

static long set_priority(evtchn_port_t port, uint32_t priority)
{
    struct evtchn_set_priority op = { .port = port, .priority = priority };

    return hg_event_channel_op(EVTCHNOP_set_priority, &op);
}

static void two_level_cases(struct hg_cases *c, const char *when)
{
    char label[96];
    long i;

    snprintf(label, sizeof(label), "%s: expand_array good frame", when);
    hg_case(c, label, expand(mfn_of(PG_ARRAY)), E(EOPNOTSUPP));
    snprintf(label, sizeof(label), "%s: set_priority port 0", when);
    hg_case(c, label, set_priority(0, EVTCHN_FIFO_PRIORITY_DEFAULT), E(ENOSYS));
    snprintf(label, sizeof(label), "%s: set_priority port 4096", when);
    hg_case(c, label, set_priority(HG_EVTCHN_2L_PORTS, EVTCHN_FIFO_PRIORITY_DEFAULT),
            E(EINVAL));
    i = hg_evtchn_bind_ipi(0);
    snprintf(label, sizeof(label), "%s: bind_ipi", when);
    hg_case(c, label, i, 1);
    snprintf(label, sizeof(label), "%s: set_priority IPI port priority 16", when);
    hg_case(c, label, set_priority(i, EVTCHN_FIFO_MAX_QUEUES), E(ENOSYS));
    snprintf(label, sizeof(label), "%s: send IPI", when);
    hg_case(c, label, hg_evtchn_send(i), 0);
    snprintf(label, sizeof(label), "%s: IPI pending in shared_info", when);
    hg_case(c, label, hg_evtchn_pending(i), 1);
    snprintf(label, sizeof(label), "%s: close IPI port", when);
    hg_case(c, label, hg_evtchn_close(i), 0);
}

static void pointer_cases(struct hg_cases *c)
{
    hg_case(c, "init_control unmapped argument",
            hg_event_channel_op(EVTCHNOP_init_control, HG_BAD_PTR), E(EFAULT));
    hg_case(c, "init_control argument in Xen's range",
            hg_event_channel_op(EVTCHNOP_init_control, HG_XEN_PTR), E(EFAULT));
    hg_case(c, "expand_array unmapped argument",
            hg_event_channel_op(EVTCHNOP_expand_array, HG_BAD_PTR), E(EFAULT));
    hg_case(c, "set_priority unmapped argument",
            hg_event_channel_op(EVTCHNOP_set_priority, HG_BAD_PTR), E(EFAULT));
}

static void bad_init_cases(struct hg_cases *c)
{
    unsigned long cb = mfn_of(PG_CONTROL);
    uint32_t lb;

    hg_case(c, "init_control frame past RAM", init_control(PAST_RAM_MFN, 0, 0, &lb),
            E(EINVAL));
    hg_case(c, "  link_bits not written", lb, LB_UNTOUCHED);
    hg_case(c, "init_control frame ~0", init_control(~0ULL, 0, 0, &lb), E(EINVAL));
    hg_case(c, "init_control mfn 1 (DOMID_IO's)", init_control(XEN_MFN, 0, 0, &lb), E(EINVAL));
    hg_case(c, "init_control our L4 frame", init_control(l4_mfn(), 0, 0, &lb), E(EINVAL));
    hg_case(c, "  link_bits not written", lb, LB_UNTOUCHED);
    hg_case(c, "init_control offset 4 (not 8-aligned)", init_control(cb, 4, 0, &lb),
            E(EINVAL));
    hg_case(c, "init_control offset 4032 (block crosses the page)",
            init_control(cb, CB_LAST_OFFSET + 8, 0, &lb), E(EINVAL));
    hg_case(c, "init_control offset 0xffffffff", init_control(cb, 0xffffffffu, 0, &lb),
            E(EINVAL));
    hg_case(c, "init_control vcpu 1 (none)", init_control(cb, 0, HG_NO_VCPU, &lb),
            E(ENOENT));
    hg_case(c, "init_control vcpu 0xffffffff", init_control(cb, 0, 0xffffffffu, &lb),
            E(ENOENT));
    hg_case(c, "init_control vcpu 1, frame ~0 (vcpu first)",
            init_control(~0ULL, 0, HG_NO_VCPU, &lb), E(ENOENT));
    hg_case(c, "  link_bits not written", lb, LB_UNTOUCHED);
    two_level_cases(c, "after refused init_control");
}

static void good_init_cases(struct hg_cases *c)
{
    unsigned long cb = mfn_of(PG_CONTROL);
    uint32_t lb;

    hg_case(c, "init_control offset 4024 (last allowed)",
            init_control(cb, CB_LAST_OFFSET, 0, &lb), 0);
    hg_case(c, "  link_bits", lb, EVTCHN_FIFO_LINK_BITS);
    hg_case(c, "init_control again, vcpu 0", init_control(cb, 0, 0, &lb), E(EINVAL));
    hg_case(c, "init_control again, vcpu 0, frame ~0 (block checked first)",
            init_control(~0ULL, 0, 0, &lb), E(EINVAL));
    hg_case(c, "init_control again, vcpu 1", init_control(cb, 0, HG_NO_VCPU, &lb), E(ENOENT));
}

/* Fill the event array with fresh frames until Xen refuses; `had` pages are
 * in already. Returns the number of pages the array took in all. */
static long fill_array(struct hg_cases *c, long had)
{
    long n = had, rc = 0;

    while (n < (long)MAX_ARRAY_PAGES + 1 && nr_extra < ARRAY_SIZE(extra_pfn)) {
        uint64_t pfn = mm_alloc_pfn();

        if (pfn == INVALID_FRAME) {
            hg_case(c, "fill: no free page", -1, 0);
            break;
        }
        extra_pfn[nr_extra++] = pfn;
        rc = expand(hg_virt_to_mfn(pfn_to_virt(pfn)));
        if (rc)
            break;
        n++;
    }
    hg_case(c, "expand_array past the last page", rc, E(ENOSPC));
    return n;
}

static void fifo_event_cases(struct hg_cases *c)
{
    volatile uint32_t *words = hg_page(PG_ARRAY);
    volatile struct evtchn_fifo_control_block *cb =
        (void *)((char *)hg_page(PG_CONTROL) + CB_LAST_OFFSET);
    long i = hg_evtchn_bind_ipi(0);

    hg_case(c, "FIFO: bind_ipi", i, 1);
    if (i <= 0)
        return;
    hg_case(c, "set_priority priority 16", set_priority(i, EVTCHN_FIFO_MAX_QUEUES), E(EINVAL));
    hg_case(c, "set_priority priority 0xffffffff", set_priority(i, 0xffffffffu), E(EINVAL));
    hg_case(c, "set_priority priority 15", set_priority(i, EVTCHN_FIFO_PRIORITY_MIN), 0);
    hg_case(c, "set_priority priority 0", set_priority(i, EVTCHN_FIFO_PRIORITY_MAX), 0);
    hg_case(c, "set_priority port 4096", set_priority(HG_EVTCHN_2L_PORTS, 0), E(EINVAL));
    hg_case(c, "set_priority port 0 (reserved)", set_priority(0, 0), E(EACCES));
    hg_case(c, "set_priority priority 3", set_priority(i, FIFO_PRIO), 0);
    HYPERVISOR_shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
    hg_case(c, "FIFO: send IPI", hg_evtchn_send(i), 0);
    hg_case(c, "FIFO: event word PENDING|LINKED", words[i], PENDING_LINKED);
    hg_case(c, "FIFO: ready has bit 3 only", cb->ready, 1u << FIFO_PRIO);
    hg_case(c, "FIFO: head[3] is the port", cb->head[FIFO_PRIO], i);
    hg_case(c, "FIFO: upcall_pending",
            HYPERVISOR_shared_info->vcpu_info[0].evtchn_upcall_pending, 1);
    hg_case(c, "FIFO: 2-level pending bit untouched", hg_evtchn_pending(i), 0);
    hg_case(c, "FIFO: close IPI port", hg_evtchn_close(i), 0);
    hg_case(c, "set_priority closed port", set_priority(i, FIFO_PRIO), E(EACCES));
    hg_case(c, "set_priority closed port priority 16 (port first)",
            set_priority(i, EVTCHN_FIFO_MAX_QUEUES), E(EACCES));
}

static void after_init_cases(struct hg_cases *c)
{
    unsigned long arr = mfn_of(PG_ARRAY);
    long n, dup;

    hg_case(c, "expand_array frame past RAM", expand(PAST_RAM_MFN), E(EINVAL));
    hg_case(c, "expand_array frame ~0", expand(~0ULL), E(EINVAL));
    hg_case(c, "expand_array mfn 1 (DOMID_IO's)", expand(XEN_MFN), E(EINVAL));
    hg_case(c, "expand_array our L4 frame", expand(l4_mfn()), E(EINVAL));
    hg_case(c, "expand_array good frame", expand(arr), 0);
    fifo_event_cases(c);
    dup = expand(arr);
    hg_case(c, "expand_array the same frame again", dup, 0);
    n = fill_array(c, dup ? 1 : 2);
    hg_case(c, "event array pages taken", n, MAX_ARRAY_PAGES);
    hg_case(c, "expand_array frame ~0 when full (slot first)", expand(~0ULL), E(ENOSPC));
}

/* The 2-level mask words differing from the snapshot: the kernel's own
 * event layer must find them as they were after the FIFO round trip. */
static long mask_words_changed(const struct hg_evtchn_saved *s)
{
    volatile shared_info_t *sh = HYPERVISOR_shared_info;
    unsigned int i;
    long n = 0;

    for (i = 0; i < ARRAY_SIZE(s->mask); i++)
        n += sh->evtchn_mask[i] != s->mask[i];
    return n;
}

static void readonly_arg_cases(struct hg_cases *c)
{
    struct evtchn_init_control *op = hg_page(PG_RO_ARG);

    *op = (struct evtchn_init_control){ .control_gfn = mfn_of(PG_CONTROL), .offset = 0,
                                        .vcpu = 0, .link_bits = LB_UNTOUCHED };
    hg_case(c, "make the argument read-only", hg_set_readonly(op), 0);
    hg_case(c, "init_control read-only argument",
            hg_event_channel_op(EVTCHNOP_init_control, op), E(EFAULT));
    hg_case(c, "  link_bits not written", op->link_bits, LB_UNTOUCHED);
    hg_case(c, "  yet FIFO: expand_array frame ~0", expand(~0ULL), E(EINVAL));
    hg_case(c, "  make it writable again", hg_set_writable(op), 0);
    hg_case(c, "reset d0 (DOMID_SELF) again", hg_evtchn_reset(DOMID_SELF), 0);
    hg_case(c, "after second reset: expand_array", expand(mfn_of(PG_ARRAY)), E(EOPNOTSUPP));
}

const char *hostile_evtchn_fifo_bad_args(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    volatile struct vcpu_info *v = &HYPERVISOR_shared_info->vcpu_info[0];
    uint8_t upcall_mask = v->evtchn_upcall_mask;
    unsigned int i;

    hg_evtchn_save(&saved);
    v->evtchn_upcall_mask = 1;
    memset(hg_page(PG_CONTROL), 0, PAGE_SIZE);
    memset(hg_page(PG_ARRAY), 0, PAGE_SIZE);
    hg_case(&c, "ports bound at start", hg_evtchn_bound_count(), 0);
    two_level_cases(&c, "before init_control");
    pointer_cases(&c);
    bad_init_cases(&c);
    good_init_cases(&c);
    after_init_cases(&c);
    hg_case(&c, "reset d0 (DOMID_SELF)", hg_evtchn_reset(DOMID_SELF), 0);
    two_level_cases(&c, "after reset");
    readonly_arg_cases(&c);
    hg_case(&c, "ports bound at end", hg_evtchn_bound_count(), 0);
    hg_case(&c, "2-level mask words changed", mask_words_changed(&saved), 0);
    for (i = 0; i < nr_extra; i++)
        mm_free_pfn(extra_pfn[i]);
    printk("hostile:   (%u extra array pages freed, %d shared_info words put back)\n",
           nr_extra, hg_evtchn_restore(&saved));
    v->evtchn_upcall_mask = upcall_mask;
    return hg_cases_verdict(&c);
}
