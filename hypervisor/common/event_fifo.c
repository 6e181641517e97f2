/* SPDX-License-Identifier: MIT */
/*
 * event_fifo.c - the FIFO event channel ABI (Xen's event_fifo.c), which
 *                Linux prefers: EVTCHNOP_init_control, expand_array,
 *                set_priority, and raising, clearing and unmasking a port
 *                of a domain that switched to it.
 * Owns:    each domain's event-array pages and each vCPU's control block
 *          (guest frames the hypervisor holds writable while in use), the
 *          tail of each vCPU's 16 queues.
 * Touches: the event words and control blocks (guest memory, through the
 *          direct map); struct evtchn.priority and fifo_pending.
 * Trusts:  nothing from the guest: frames are checked by the frame table
 *          (get_page_and_type writable), offsets and priorities by value.
 *          The guest may write the event words and control block at any
 *          time; the hypervisor only ever sets and clears bits in them
 *          with atomic operations and reads nothing it then trusts.
 * ABI:     abi/xen/event_channel.h; docs/abi/hypercalls.md rows 32.*.
 *
 * An event word per port: PENDING, MASKED, LINKED, BUSY and a 17-bit LINK
 * to the next port of its queue. Raising a port sets PENDING; if it is
 * neither MASKED nor LINKED, it is LINKED at the tail of the queue of its
 * priority on its vCPU: the tail's LINK names it if the tail is still
 * LINKED (not yet consumed), else it becomes the queue's head in the
 * control block and the queue's bit in `ready` is set (raising the
 * upcall if it was clear). The guest consumes from the head, clearing
 * LINKED and reading LINK in one atomic update, so on one CPU, where the
 * hypervisor runs only between the guest's instructions, the tail test is
 * enough; SMP hosts will need Xen's BUSY protocol as well.
 */
#define LOG_PREFIX "evtchn"
#include <xen/event_channel.h>
#include "domain.h"
#include "event.h"
#include "frame.h"
#include "hypercall.h"
#include "lib.h"
#include "page.h"

#define WORD_BIT(b) ((event_word_t)1 << (b))
#define BITS_PER_XEN_ULONG (sizeof(xen_ulong_t) * 8)

/* The event word of port, or NULL if no page of the array covers it. */
static event_word_t *event_word(const struct domain *d, evtchn_port_t port)
{
    unsigned int pg = port / EVTCHN_FIFO_WORDS_PER_PAGE;

    if (pg >= d->evtchn.fifo_pages)
        return NULL;
    return (event_word_t *)mfn_to_virt(d->evtchn.fifo_array[pg]) +
           port % EVTCHN_FIFO_WORDS_PER_PAGE;
}

static bool word_test_and_set(event_word_t *w, unsigned int bit)
{
    return __atomic_fetch_or(w, WORD_BIT(bit), __ATOMIC_SEQ_CST) & WORD_BIT(bit);
}

static bool word_test(const event_word_t *w, unsigned int bit)
{
    return __atomic_load_n(w, __ATOMIC_SEQ_CST) & WORD_BIT(bit);
}

/* Point the tail's LINK at port, keeping its other bits; false if consumed. */
static bool link_after(event_word_t *tail, evtchn_port_t port)
{
    event_word_t old = __atomic_load_n(tail, __ATOMIC_SEQ_CST), new;

    do {
        if (!(old & WORD_BIT(EVTCHN_FIFO_LINKED)))
            return false;
        new = (old & ~(event_word_t)EVTCHN_FIFO_LINK_MASK) | port;
    } while (!__atomic_compare_exchange_n(tail, &old, new, false,
                                          __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return true;
}

/* Link an unmasked, pending port into its queue (see the head comment). */
static void fifo_link(struct domain *d, evtchn_port_t port, event_word_t *w)
{
    const struct evtchn *chn = evtchn_from_port(d, port);
    struct vcpu *v = domain_vcpu(d, chn->notify_vcpu_id);
    struct evtchn_fifo_vcpu *f;
    event_word_t *tail;

    if (!v || !(f = &v->evtchn_fifo)->control)
        return;
    if (word_test_and_set(w, EVTCHN_FIFO_LINKED))
        return;
    /* A tail that is this very port was consumed: the queue is empty. */
    tail = f->tail[chn->priority] && f->tail[chn->priority] != port ?
           event_word(d, f->tail[chn->priority]) : NULL;
    f->tail[chn->priority] = port;
    if (tail && link_after(tail, port))
        return;
    __atomic_store_n(&f->control->head[chn->priority], port, __ATOMIC_SEQ_CST);
    if (!(__atomic_fetch_or(&f->control->ready, 1u << chn->priority, __ATOMIC_SEQ_CST) &
          (1u << chn->priority)))
        evtchn_mark_vcpu_pending(v);
}

void evtchn_fifo_set_pending(struct domain *d, evtchn_port_t port)
{
    event_word_t *w = event_word(d, port);

    if (!w) {                          /* raised again once expand_array */
        evtchn_from_port(d, port)->fifo_pending = true;   /* gives it a word */
        return;
    }
    word_test_and_set(w, EVTCHN_FIFO_PENDING);
    if (!word_test(w, EVTCHN_FIFO_MASKED))
        fifo_link(d, port, w);
}

void evtchn_fifo_clear_pending(struct domain *d, evtchn_port_t port)
{
    event_word_t *w = event_word(d, port);

    evtchn_from_port(d, port)->fifo_pending = false;
    if (w)
        __atomic_fetch_and(w, ~WORD_BIT(EVTCHN_FIFO_PENDING), __ATOMIC_SEQ_CST);
}

bool evtchn_fifo_is_pending(const struct domain *d, evtchn_port_t port)
{
    const event_word_t *w = event_word(d, port);

    return w ? word_test(w, EVTCHN_FIFO_PENDING) : evtchn_from_port(d, port)->fifo_pending;
}

void evtchn_fifo_unmask(struct domain *d, evtchn_port_t port)
{
    event_word_t *w = event_word(d, port);

    if (!w)
        return;
    __atomic_fetch_and(w, ~WORD_BIT(EVTCHN_FIFO_MASKED), __ATOMIC_SEQ_CST);
    if (word_test(w, EVTCHN_FIFO_PENDING))
        fifo_link(d, port, w);
}

/* Take a guest frame for the hypervisor to write: it stays writable-typed. */
static bool map_guest_frame(struct domain *d, uint64_t gfn, mfn_t *mfn)
{
    if (!mfn_valid(_mfn(gfn)) ||
        get_page_and_type(mfn_to_page(_mfn(gfn)), d, PGT_writable_page))
        return false;
    *mfn = _mfn(gfn);
    return true;
}

static void unmap_guest_frame(mfn_t mfn)
{
    put_page_and_type(mfn_to_page(mfn));
}

/*
 * The domain's bound ports enter FIFO mode: default priority, and the
 * ones pending in the 2-level bitmap are raised again (once they have a
 * word: they wait in fifo_pending until expand_array).
 */
static void fifo_setup_ports(struct domain *d)
{
    for (evtchn_port_t p = 1; port_is_valid(d, p); p++) {
        struct evtchn *chn = evtchn_from_port(d, p);
        chn->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
        chn->fifo_pending = chn->state != ECS_FREE &&
            (d->shared_info->evtchn_pending[p / BITS_PER_XEN_ULONG] >>
             (p % BITS_PER_XEN_ULONG) & 1);
    }
}

long evtchn_fifo_init_control(struct evtchn_init_control *op)
{
    struct domain *d = current->domain;
    struct vcpu *v;
    mfn_t mfn;

    if ((op->offset & 7) ||
        op->offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block))
        return hc_fail(-XEN_EINVAL, "init_control: offset %u", op->offset);
    if (!(v = domain_vcpu(d, op->vcpu)))
        return hc_fail(-XEN_ENOENT, "init_control: no vcpu %u", op->vcpu);
    if (mfn_valid_val(v->evtchn_fifo.control_mfn))
        return hc_fail(-XEN_EINVAL, "init_control: vcpu %u already has one", op->vcpu);
    if (!map_guest_frame(d, op->control_gfn, &mfn))
        return hc_fail(-XEN_EINVAL, "init_control: frame %#lx not writable by d%u",
                       op->control_gfn, d->domain_id);
    v->evtchn_fifo.control_mfn = mfn;
    v->evtchn_fifo.control = (struct evtchn_fifo_control_block *)
        ((char *)mfn_to_virt(mfn) + op->offset);
    memset(v->evtchn_fifo.tail, 0, sizeof(v->evtchn_fifo.tail));
    if (!d->evtchn.fifo) {
        d->evtchn.fifo = true;
        fifo_setup_ports(d);
    }
    op->link_bits = EVTCHN_FIFO_LINK_BITS;
    return 0;
}

long evtchn_fifo_expand_array(const struct evtchn_expand_array *op)
{
    struct domain *d = current->domain;
    unsigned int pg = d->evtchn.fifo_pages;
    mfn_t mfn;

    if (!d->evtchn.fifo)
        return hc_fail(-XEN_EOPNOTSUPP, "expand_array: d%u uses the 2-level ABI",
                       d->domain_id);
    if (pg == EVTCHN_FIFO_MAX_PAGES)
        return hc_fail(-XEN_ENOSPC, "expand_array: all %lu pages given",
                       EVTCHN_FIFO_MAX_PAGES);
    if (!map_guest_frame(d, op->array_gfn, &mfn))
        return hc_fail(-XEN_EINVAL, "expand_array: frame %#lx not writable by d%u",
                       op->array_gfn, d->domain_id);
    /* The words are the guest's as it gave them (it may mask them first). */
    d->evtchn.fifo_array[pg] = mfn;
    d->evtchn.fifo_pages = pg + 1;
    /* Ports raised before they had a word are raised now. */
    for (evtchn_port_t p = pg * EVTCHN_FIFO_WORDS_PER_PAGE;
         p < (pg + 1) * EVTCHN_FIFO_WORDS_PER_PAGE && port_is_valid(d, p); p++)
        if (evtchn_from_port(d, p)->fifo_pending) {
            evtchn_from_port(d, p)->fifo_pending = false;
            evtchn_fifo_set_pending(d, p);
        }
    return 0;
}

long evtchn_fifo_set_priority(const struct evtchn_set_priority *op)
{
    struct domain *d = current->domain;

    if (op->priority > EVTCHN_FIFO_PRIORITY_MIN)
        return hc_fail(-XEN_EINVAL, "set_priority: priority %u", op->priority);
    /* Events already queued stay where they are, as Xen. */
    evtchn_from_port(d, op->port)->priority = (uint8_t)op->priority;
    return 0;
}

void evtchn_fifo_destroy(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct evtchn_fifo_vcpu *f = &d->vcpu[i]->evtchn_fifo;
        if (mfn_valid_val(f->control_mfn))
            unmap_guest_frame(f->control_mfn);
        f->control_mfn = INVALID_MFN;
        f->control = NULL;
    }
    for (unsigned int pg = 0; pg < d->evtchn.fifo_pages; pg++)
        unmap_guest_frame(d->evtchn.fifo_array[pg]);
    d->evtchn.fifo_pages = 0;
    d->evtchn.fifo = false;
}
