/* SPDX-License-Identifier: MIT */
/*
 * evtchn_bad_ports - event_channel_op (32) on ports that are not ours to
 * use: reserved port 0, a free port inside the allocated range, ports
 * beyond it and beyond the 2-level ABI, and ports in the wrong state.
 * Rule: a port is named by a guest only through a bounds check against
 * what the domain has allocated; a port that is not bound is refused by
 * close/send/bind_vcpu, and never changes anybody's state.
 *
 * Each case, with Xen 4.17's answer (observed: 4.17.7 as dom0 in QEMU, one
 * vCPU, no port bound at start, every mask bit clear) and where in
 * common/event_channel.c it comes from:
 *  - port 0 (ECS_RESERVED since evtchn_init()): close -EINVAL (evtchn_close()
 *    "case ECS_RESERVED"), send -EINVAL (evtchn_send() "default:"),
 *    bind_vcpu -EINVAL ("default:"), status 0 = EVTCHNSTAT_closed with vcpu
 *    0, and unmask 0 - but the mask bit stays set: evtchn_unmask() asks
 *    only port_is_valid(), then evtchn_port_unmask() unmasks only a usable
 *    port (evtchn_usable(): bound, state above ECS_RESERVED). Observed
 *    with both bits set first (the guest kernel masks every port at boot);
 *  - a free port inside the first bucket (port 1 after close): the same as
 *    port 0 (ECS_FREE);
 *  - ports past the allocated buckets (1024, 4095), past the 2-level ABI
 *    (4096) and 0xffffffff: -EINVAL for close, send, unmask, bind_vcpu and
 *    status (_evtchn_from_port() -> port_is_valid() fails); status writes
 *    nothing back on error (copy_to_guest only "if ( !rc )");
 *  - ports are handed out lowest first: alloc_unbound 1, bind_virq 2,
 *    bind_ipi 3 (get_free_port());
 *  - status of alloc_unbound(DOMID_SELF, DOMID_SELF) named as dom 0:
 *    EVTCHNSTAT_unbound, remote dom 0 (DOMID_SELF stored as our id in
 *    evtchn_alloc_unbound());
 *  - send on an unbound port: 0, nothing pending ("silently drop");
 *    on a VIRQ port: -EINVAL; on an IPI port: 0 and the port pending;
 *  - 2-level delivery (event_2l.c): masked, send sets only the pending bit;
 *    unmask then sets selector bit 0 and evtchn_upcall_pending; a second
 *    send of a pending port raises nothing; a send to an unmasked, not
 *    pending port sets pending, selector and upcall flag;
 *  - bind_vcpu of an IPI port, of a per-vCPU VIRQ port: -EINVAL;
 *  - close of IPI, VIRQ and unbound ports: 0, the pending bit cleared
 *    (evtchn_free()); closing again, or send on the closed port: -EINVAL;
 *    status of it: EVTCHNSTAT_closed.
 * Undo: every port closed, no port left bound (status of 1..4095), and the
 * shared_info words (mask, pending, selector, upcall flag) put back.
 */
#include "hostile_evtchn.h"

#define E(x) (-XEN_##x)
#define HG_WORD_BITS (sizeof(xen_ulong_t) * 8)

static void hg_set_bit(volatile xen_ulong_t *w, unsigned int bit)
{
    __atomic_fetch_or(&w[bit / HG_WORD_BITS], 1UL << (bit % HG_WORD_BITS), __ATOMIC_SEQ_CST);
}

static void hg_clear_bit(volatile xen_ulong_t *w, unsigned int bit)
{
    __atomic_fetch_and(&w[bit / HG_WORD_BITS], ~(1UL << (bit % HG_WORD_BITS)),
                       __ATOMIC_SEQ_CST);
}

/* One port named by every per-port sub-op, and the answers wanted. */
struct bad_port {
    const char *what;
    evtchn_port_t port;
    long close, send, unmask, bind_vcpu, status;
};

static void try_port(struct hg_cases *c, const struct bad_port *p)
{
    char label[80];

    snprintf(label, sizeof(label), "close %s", p->what);
    hg_case(c, label, hg_evtchn_close(p->port), p->close);
    snprintf(label, sizeof(label), "send %s", p->what);
    hg_case(c, label, hg_evtchn_send(p->port), p->send);
    snprintf(label, sizeof(label), "unmask %s", p->what);
    hg_case(c, label, hg_evtchn_unmask(p->port), p->unmask);
    snprintf(label, sizeof(label), "bind_vcpu %s to vcpu 0", p->what);
    hg_case(c, label, hg_evtchn_bind_vcpu(p->port, 0), p->bind_vcpu);
    snprintf(label, sizeof(label), "status %s", p->what);
    hg_case(c, label, hg_evtchn_state(p->port), p->status);
}

const char *hostile_evtchn_bad_ports(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    struct evtchn_status st;
    shared_info_t *sh = HYPERVISOR_shared_info;
    volatile struct vcpu_info *vi = &sh->vcpu_info[0];
    long u, v, i;
    unsigned int k;

    hg_evtchn_save(&saved);
    printk("hostile:   (at start: mask word 0 %#lx, pending word 0 %#lx, sel %#lx, upcall %u)\n",
           (unsigned long)saved.mask[0], (unsigned long)saved.pending[0],
           (unsigned long)saved.pending_sel, saved.upcall_pending);
    hg_case(&c, "ports bound at start", hg_evtchn_bound_count(), 0);
    u = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    hg_case(&c, "alloc_unbound: first free port", u, 1);
    if (u <= 0)
        return hg_cases_verdict(&c);
    hg_case(&c, "close it", hg_evtchn_close(u), 0);
    /* Masked, so that an unmask that clears the bit would show. */
    __atomic_fetch_or(&HYPERVISOR_shared_info->evtchn_mask[0], 1UL | (1UL << u),
                      __ATOMIC_SEQ_CST);

    {
        const struct bad_port ports[] = {
            { "port 0 (reserved)", 0, E(EINVAL), E(EINVAL), 0, E(EINVAL), EVTCHNSTAT_closed },
            { "free port 1", u, E(EINVAL), E(EINVAL), 0, E(EINVAL), EVTCHNSTAT_closed },
            { "port 1024 (beyond allocated)", 1024,
              E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL) },
            { "port 4095", 4095, E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL) },
            { "port 4096", 4096, E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL) },
            { "port 0xffffffff", 0xffffffffu,
              E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL), E(EINVAL) },
        };

        for (k = 0; k < ARRAY_SIZE(ports); k++)
            try_port(&c, &ports[k]);
    }
    hg_case(&c, "unmask port 0 left its mask bit", hg_evtchn_masked(0), 1);
    hg_case(&c, "unmask free port 1 left its mask bit", hg_evtchn_masked(u), 1);
    hg_case(&c, "status port 0: vcpu", (hg_evtchn_status(DOMID_SELF, 0, &st), st.vcpu), 0);
    hg_case(&c, "status port 4096: status not written",
            (hg_evtchn_status(DOMID_SELF, 4096, &st), st.status), 0xdeadbeef);
    hg_case(&c, "status port 4096: vcpu not written", st.vcpu, 0xdeadbeef);

    /* Ports in the wrong state for the sub-op. */
    u = hg_evtchn_alloc_unbound(DOMID_SELF, DOMID_SELF);
    hg_case(&c, "alloc_unbound: port 1 again", u, 1);
    v = hg_evtchn_bind_virq(VIRQ_DEBUG, 0);
    hg_case(&c, "bind_virq DEBUG vcpu 0: port 2", v, 2);
    i = hg_evtchn_bind_ipi(0);
    hg_case(&c, "bind_ipi vcpu 0: port 3", i, 3);
    if (u <= 0 || v <= 0 || i <= 0) {
        hg_evtchn_reset(DOMID_SELF);
        hg_evtchn_restore(&saved);
        return hg_cases_verdict(&c);
    }
    hg_case(&c, "status (dom 0, unbound port)",
            (hg_evtchn_status(0, u, &st), st.status), EVTCHNSTAT_unbound);
    hg_case(&c, "status (dom 0, unbound port): remote is our id, not DOMID_SELF",
            st.u.unbound.dom, 0);
    hg_case(&c, "send unbound port (dropped)", hg_evtchn_send(u), 0);
    hg_case(&c, "send unbound port: not pending", hg_evtchn_pending(u), 0);
    hg_case(&c, "send VIRQ port", hg_evtchn_send(v), E(EINVAL));
    hg_case(&c, "send VIRQ port: not pending", hg_evtchn_pending(v), 0);
    /* 2-level delivery on a good port, for contrast: masked, a send only
     * sets the pending bit; unmask then raises selector and upcall flag. */
    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    hg_set_bit(sh->evtchn_mask, i);
    hg_case(&c, "send IPI port (masked)", hg_evtchn_send(i), 0);
    hg_case(&c, "send IPI port (masked): pending", hg_evtchn_pending(i), 1);
    hg_case(&c, "send IPI port (masked): no upcall", vi->evtchn_upcall_pending, 0);
    hg_case(&c, "send IPI port (masked): selector", vi->evtchn_pending_sel, 0);
    hg_case(&c, "unmask IPI port", hg_evtchn_unmask(i), 0);
    hg_case(&c, "unmask IPI port: mask bit clear", hg_evtchn_masked(i), 0);
    hg_case(&c, "unmask IPI port: upcall pending", vi->evtchn_upcall_pending, 1);
    hg_case(&c, "unmask IPI port: selector word 0", vi->evtchn_pending_sel, 1);
    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    hg_case(&c, "send IPI port again (unmasked, still pending)", hg_evtchn_send(i), 0);
    hg_case(&c, "send IPI port again: no new upcall", vi->evtchn_upcall_pending, 0);
    hg_clear_bit(sh->evtchn_pending, i);
    hg_case(&c, "send IPI port (unmasked, not pending)", hg_evtchn_send(i), 0);
    hg_case(&c, "send IPI port (unmasked): upcall pending", vi->evtchn_upcall_pending, 1);
    hg_case(&c, "send IPI port (unmasked): selector word 0", vi->evtchn_pending_sel, 1);
    hg_case(&c, "bind_vcpu IPI port to vcpu 0", hg_evtchn_bind_vcpu(i, 0), E(EINVAL));
    hg_case(&c, "bind_vcpu per-vcpu VIRQ port to vcpu 0", hg_evtchn_bind_vcpu(v, 0),
            E(EINVAL));

    /* Undo, and closing twice. */
    hg_case(&c, "close IPI port", hg_evtchn_close(i), 0);
    hg_case(&c, "closed IPI port: pending cleared", hg_evtchn_pending(i), 0);
    hg_case(&c, "close IPI port twice", hg_evtchn_close(i), E(EINVAL));
    hg_case(&c, "send closed IPI port", hg_evtchn_send(i), E(EINVAL));
    hg_case(&c, "status closed IPI port", hg_evtchn_state(i), EVTCHNSTAT_closed);
    hg_case(&c, "close VIRQ port", hg_evtchn_close(v), 0);
    hg_case(&c, "close VIRQ port twice", hg_evtchn_close(v), E(EINVAL));
    hg_case(&c, "close unbound port", hg_evtchn_close(u), 0);
    hg_case(&c, "close unbound port twice", hg_evtchn_close(u), E(EINVAL));
    hg_case(&c, "ports bound at end", hg_evtchn_bound_count(), 0);
    printk("hostile:   (%d shared_info words put back)\n", hg_evtchn_restore(&saved));
    return hg_cases_verdict(&c);
}
