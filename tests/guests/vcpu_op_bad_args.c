/* SPDX-License-Identifier: MIT */
/*
 * vcpu_op_bad_args - vcpu_op (24) with every sub-op on vCPUs that do not
 * exist, unknown sub-ops, bad argument pointers, and the timers and
 * registrations of vCPU 0 with values out of range.
 * Rule: a vCPU that does not exist is refused before anything else is
 * looked at; a refused registration leaves the old one in place; timer
 * arguments are range-checked as Xen checks them (and no further).
 *
 * dom0 has one vCPU. Observed on Xen 4.17 (4.17.7 as dom0 in QEMU):
 *  - every sub-op 0..13, 14, 99 on vCPU 1, 4096, 0xffffffff: -ENOENT
 *    (arch/x86/domain.c do_vcpu_op(): domain_vcpu() before the switch);
 *    vCPU 0x100000000 is vCPU 0 (vcpuid is an unsigned int): is_up 1;
 *  - sub-ops 14, 99, 0xffffffff on vCPU 0: -ENOSYS (common_vcpu_op()
 *    "default:");
 *  - is_up vCPU 0: 1; up vCPU 0: 0 (already initialised: the _VPF_down
 *    bit is simply clear); initialise vCPU 0 with a readable zeroed
 *    context: -EEXIST, with NULL, unmapped or Xen-range arguments: -EFAULT
 *    (default_initialise_vcpu() copies first, then checks is_initialised);
 *    down on vCPU 0 is NOT tried: common_vcpu_op() shuts the domain down
 *    (SHUTDOWN_poweroff) when the last vCPU goes down;
 *  - get_runstate_info vCPU 0: 0, state RUNSTATE_running, time[running]
 *    > 0, 0 < state_entry_time <= now, the four times add up to no more
 *    than now; into NULL, unmapped, Xen's range, a read-only page: -EFAULT;
 *  - register_runstate_memory_area: argument NULL or Xen's range -EFAULT;
 *    area in Xen's range -EFAULT (guest_handle_okay()); area unmapped: 0
 *    (only the range is checked; the write that fails is ignored); a good
 *    area: 0 and written at once (state running); area 0 unregisters (0):
 *    the page is not written again across a yield;
 *  - register_vcpu_time_memory_area (arch/x86/domain.c): the same
 *    pattern: NULL/Xen-range argument or Xen-range area -EFAULT, unmapped
 *    area 0, a good area 0 and filled at once (tsc_to_system_mul as in
 *    vcpu_info, version even), area 0 unregisters;
 *  - register_vcpu_info (map_vcpu_info()): argument NULL or Xen's range
 *    -EFAULT; offset 4096, 4033 (past PAGE_SIZE - 64) or 4 (not 8-aligned)
 *    -ENXIO, checked before the frame; frame ~0, frame past RAM, our L4
 *    (not PGT_writable_page): -EINVAL. A good one is never sent: vcpu_info
 *    cannot be moved back;
 *  - set_periodic_timer: argument NULL, unmapped, Xen's range -EFAULT;
 *    period 0, 1 ns, 999999 ns -EINVAL (< MILLISECS(1)); 1 ms 0 (and
 *    VIRQ_TIMER arrives within 5 ms); 2^62 - 1 (STIME_DELTA_MAX) 0;
 *    2^62 and UINT64_MAX -EINVAL (> STIME_DELTA_MAX);
 *    stop_periodic_timer: 0 whatever the argument;
 *  - set_singleshot_timer: argument NULL or Xen's range -EFAULT; a past
 *    deadline: 0 and the event at once, WITH VCPU_SSHOTTMR_future as
 *    well: 4.17.7 ignores the flag ("inject the event" branch). 4.17.0 to
 *    4.17.2 answered -ETIME, as public/vcpu.h still documents; Xen commit
 *    7b5155a79e "xen/vcpu: ignore VCPU_SSHOTTMR_future" (2023, in
 *    4.17.3) dropped it because Linux before 4.7 spun on -ETIME. Unknown
 *    flag bits 0xfffffffe with now + 5 ms: 0, fires after 1..11 ms;
 *    now + 50 ms then stop_singleshot_timer (0): nothing arrives;
 *  - send_nmi vCPU 0 with a non-NULL argument: -EINVAL; with NULL: the NMI
 *    is delivered (through trap table vector 2) before the call returns;
 *  - get_physid vCPU 0: 0, phys_id 0 (APIC id 0, ACPI id 0); into NULL,
 *    unmapped or Xen's range: -EFAULT. Xen answers because the rig has
 *    one physical CPU: dom0's vCPU has a hard affinity of weight 1, which
 *    is_hwdom_pinned_vcpu() counts as pinned (on a bigger machine without
 *    dom0_vcpus_pin the answer would be -EINVAL before the copy).
 * Undo: runstate and time areas unregistered, singleshot stopped, periodic
 * timer back to Xen's 10 ms default (arch/x86/pv/domain.c), VIRQ_TIMER
 * port closed, shared_info's words put back.
 */
#include "hostile_time.h"

#define E(x) (-XEN_##x)
#define NR_SUBOPS 14                        /* VCPUOP_initialise .. 13 */
#define STIME_DELTA_MAX ((1ull << 62) - 1)  /* Xen's s_time_t delta limit */

static struct vcpu_guest_context zero_ctxt;

static void missing_vcpu_cases(struct hg_cases *c)
{
    static const uint32_t ids[] = { 1, 4096, 0xffffffffu };
    static const unsigned int extra[] = { 14, 99 };
    void *arg = hg_page(2);                 /* readable, zeroed */
    char l[64];
    unsigned int i, op;

    for (i = 0; i < ARRAY_SIZE(ids); i++) {
        for (op = 0; op < NR_SUBOPS + ARRAY_SIZE(extra); op++) {
            unsigned int cmd = op < NR_SUBOPS ? op : extra[op - NR_SUBOPS];

            snprintf(l, sizeof(l), "sub-op %u on vcpu %#x", cmd, ids[i]);
            hg_case(c, l, hg_vcpu_op(cmd, ids[i], arg), E(ENOENT));
        }
    }
    hg_case(c, "is_up on vcpu 0x100000000 (truncated to 0)",
            hg_vcpu_op(VCPUOP_is_up, 0x100000000ul, NULL), 1);
    hg_case(c, "sub-op 14 on vcpu 0", hg_vcpu_op(14, 0, arg), E(ENOSYS));
    hg_case(c, "sub-op 99 on vcpu 0", hg_vcpu_op(99, 0, arg), E(ENOSYS));
    hg_case(c, "sub-op 0xffffffff on vcpu 0", hg_vcpu_op(0xffffffffu, 0, arg), E(ENOSYS));
}

static void lifecycle_cases(struct hg_cases *c)
{
    hg_case(c, "is_up vcpu 0", hg_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
    hg_case(c, "up vcpu 0 (already up)", hg_vcpu_op(VCPUOP_up, 0, NULL), 0);
    hg_case(c, "initialise vcpu 0, zeroed context", hg_vcpu_op(VCPUOP_initialise, 0, &zero_ctxt),
            E(EEXIST));
    hg_case(c, "initialise vcpu 0, NULL", hg_vcpu_op(VCPUOP_initialise, 0, NULL), E(EFAULT));
    hg_case(c, "initialise vcpu 0, unmapped", hg_vcpu_op(VCPUOP_initialise, 0, HG_BAD_PTR),
            E(EFAULT));
    hg_case(c, "initialise vcpu 0, Xen's range", hg_vcpu_op(VCPUOP_initialise, 0, HG_XEN_PTR),
            E(EFAULT));
    hg_case(c, "is_up vcpu 0 after", hg_vcpu_op(VCPUOP_is_up, 0, NULL), 1);
}

static void runstate_cases(struct hg_cases *c)
{
    struct vcpu_runstate_info *rs = hg_page(3);
    struct vcpu_register_runstate_memory_area area;
    void *ro = hg_page(6);
    uint64_t now, sum;

    memset(rs, 0xff, sizeof(*rs));          /* state -1 unless written */
    hg_case(c, "get_runstate_info vcpu 0", hg_vcpu_op(VCPUOP_get_runstate_info, 0, rs), 0);
    now = hg_now();
    sum = rs->time[0] + rs->time[1] + rs->time[2] + rs->time[3];
    hg_case(c, "runstate: state", rs->state, RUNSTATE_running);
    hg_case(c, "runstate: time[running] > 0", rs->time[RUNSTATE_running] > 0, 1);
    hg_case(c, "runstate: 0 < state_entry_time <= now",
            rs->state_entry_time > 0 && rs->state_entry_time <= now, 1);
    hg_case(c, "runstate: sum of times <= now", sum <= now, 1);
    hg_case(c, "get_runstate_info into NULL", hg_vcpu_op(VCPUOP_get_runstate_info, 0, NULL),
            E(EFAULT));
    hg_case(c, "get_runstate_info unmapped",
            hg_vcpu_op(VCPUOP_get_runstate_info, 0, HG_BAD_PTR), E(EFAULT));
    hg_case(c, "get_runstate_info Xen's range",
            hg_vcpu_op(VCPUOP_get_runstate_info, 0, HG_XEN_PTR), E(EFAULT));
    hg_case(c, "read-only page", hg_set_readonly(ro), 0);
    hg_case(c, "get_runstate_info read-only", hg_vcpu_op(VCPUOP_get_runstate_info, 0, ro),
            E(EFAULT));
    hg_case(c, "page writable again", hg_set_writable(ro), 0);

    hg_case(c, "register_runstate arg NULL",
            hg_vcpu_op(VCPUOP_register_runstate_memory_area, 0, NULL), E(EFAULT));
    hg_case(c, "register_runstate arg Xen's range",
            hg_vcpu_op(VCPUOP_register_runstate_memory_area, 0, HG_XEN_PTR), E(EFAULT));
    area.addr.p = (uint64_t)HG_XEN_PTR;
    hg_case(c, "register_runstate area in Xen's range",
            hg_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), E(EFAULT));
    area.addr.p = (uint64_t)HG_BAD_PTR;
    hg_case(c, "register_runstate area unmapped (range only)",
            hg_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0);
    memset(rs, 0xff, sizeof(*rs));
    area.addr.v = rs;
    hg_case(c, "register_runstate good area",
            hg_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0);
    hg_case(c, "runstate area written at once: state", rs->state, RUNSTATE_running);
    area.addr.p = 0;
    hg_case(c, "register_runstate area 0 (unregister)",
            hg_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area), 0);
    memset(rs, 0xff, sizeof(*rs));
    hg_sched_op(SCHEDOP_yield, NULL);
    hg_case(c, "unregistered area not written across a yield", rs->state, -1);
}

static void time_area_cases(struct hg_cases *c)
{
    struct vcpu_time_info *ti = hg_page(4);
    struct vcpu_register_time_memory_area area;

    hg_case(c, "register_time_area arg NULL",
            hg_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, NULL), E(EFAULT));
    hg_case(c, "register_time_area arg Xen's range",
            hg_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, HG_XEN_PTR), E(EFAULT));
    area.addr.p = (uint64_t)HG_XEN_PTR;
    hg_case(c, "register_time_area area in Xen's range",
            hg_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &area), E(EFAULT));
    area.addr.p = (uint64_t)HG_BAD_PTR;
    hg_case(c, "register_time_area area unmapped (range only)",
            hg_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &area), 0);
    memset(ti, 0xff, sizeof(*ti));          /* version odd unless written */
    area.addr.v = ti;
    hg_case(c, "register_time_area good area",
            hg_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &area), 0);
    hg_case(c, "time area filled: tsc_to_system_mul as vcpu_info's",
            ti->tsc_to_system_mul == HYPERVISOR_shared_info->vcpu_info[0].time.tsc_to_system_mul
            && ti->tsc_to_system_mul != 0, 1);
    hg_case(c, "time area filled: version even", ti->version & 1, 0);
    area.addr.p = 0;
    hg_case(c, "register_time_area area 0 (unregister)",
            hg_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &area), 0);
}

static void vcpu_info_cases(struct hg_cases *c)
{
    struct vcpu_register_vcpu_info r = { .mfn = hg_virt_to_mfn(hg_page(5)) };
    unsigned long ram_end_mfn = 1ul << 36;  /* 256 TiB: past QEMU's RAM */

    hg_case(c, "register_vcpu_info arg NULL",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, NULL), E(EFAULT));
    hg_case(c, "register_vcpu_info arg Xen's range",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, HG_XEN_PTR), E(EFAULT));
    r.offset = PAGE_SIZE;
    hg_case(c, "register_vcpu_info offset 4096",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), E(ENXIO));
    r.offset = PAGE_SIZE - sizeof(struct vcpu_info) + 1;
    hg_case(c, "register_vcpu_info offset 4033",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), E(ENXIO));
    r.offset = 4;
    hg_case(c, "register_vcpu_info offset 4 (misaligned)",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), E(ENXIO));
    r.offset = 0;
    r.mfn = ~0ull;
    hg_case(c, "register_vcpu_info frame ~0",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), E(EINVAL));
    r.mfn = ram_end_mfn;
    hg_case(c, "register_vcpu_info frame past RAM",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), E(EINVAL));
    r.mfn = hg_read_cr3() >> PAGE_SHIFT;
    hg_case(c, "register_vcpu_info our L4 frame",
            hg_vcpu_op(VCPUOP_register_vcpu_info, 0, &r), E(EINVAL));
}

static long set_periodic(uint64_t ns)
{
    struct vcpu_set_periodic_timer p = { .period_ns = ns };

    return hg_vcpu_op(VCPUOP_set_periodic_timer, 0, &p);
}

static long set_singleshot(uint64_t deadline, uint32_t flags)
{
    struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = deadline, .flags = flags };

    return hg_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s);
}

static void periodic_cases(struct hg_cases *c, evtchn_port_t t)
{
    hg_case(c, "stop_periodic (arg in Xen's range, ignored)",
            hg_vcpu_op(VCPUOP_stop_periodic_timer, 0, HG_XEN_PTR), 0);
    hg_port_clear_pending(t);
    hg_case(c, "stopped: quiet for 30 ms", hg_timer_fired(t, 30 * HG_MS), 0);
    hg_case(c, "set_periodic arg NULL", hg_vcpu_op(VCPUOP_set_periodic_timer, 0, NULL),
            E(EFAULT));
    hg_case(c, "set_periodic arg unmapped",
            hg_vcpu_op(VCPUOP_set_periodic_timer, 0, HG_BAD_PTR), E(EFAULT));
    hg_case(c, "set_periodic arg Xen's range",
            hg_vcpu_op(VCPUOP_set_periodic_timer, 0, HG_XEN_PTR), E(EFAULT));
    hg_case(c, "set_periodic 0", set_periodic(0), E(EINVAL));
    hg_case(c, "set_periodic 1 ns", set_periodic(1), E(EINVAL));
    hg_case(c, "set_periodic 999999 ns", set_periodic(HG_MS - 1), E(EINVAL));
    hg_case(c, "set_periodic 2^62", set_periodic(1ull << 62), E(EINVAL));
    hg_case(c, "set_periodic UINT64_MAX", set_periodic(UINT64_MAX), E(EINVAL));
    hg_case(c, "refused periods: still quiet for 30 ms", hg_timer_fired(t, 30 * HG_MS), 0);
    hg_case(c, "set_periodic 1 ms", set_periodic(HG_MS), 0);
    hg_case(c, "1 ms period: VIRQ_TIMER within 5 ms", hg_timer_fired(t, 5 * HG_MS), 1);
    hg_case(c, "set_periodic 2^62 - 1 (STIME_DELTA_MAX)", set_periodic(STIME_DELTA_MAX), 0);
    hg_port_clear_pending(t);
    hg_case(c, "huge period: quiet for 30 ms", hg_timer_fired(t, 30 * HG_MS), 0);
    hg_case(c, "stop_periodic", hg_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
}

static void singleshot_cases(struct hg_cases *c, evtchn_port_t t)
{
    hg_case(c, "set_singleshot arg NULL", hg_vcpu_op(VCPUOP_set_singleshot_timer, 0, NULL),
            E(EFAULT));
    hg_case(c, "set_singleshot arg Xen's range",
            hg_vcpu_op(VCPUOP_set_singleshot_timer, 0, HG_XEN_PTR), E(EFAULT));
    hg_port_clear_pending(t);
    hg_case(c, "set_singleshot past (1 ns), flags 0", set_singleshot(1, 0), 0);
    hg_case(c, "past, flags 0: pending within 1 ms", hg_timer_fired(t, HG_MS), 1);
    hg_case(c, "set_singleshot past, VCPU_SSHOTTMR_future",
            set_singleshot(hg_now() - HG_MS, VCPU_SSHOTTMR_future), 0);
    hg_case(c, "past, future flag: pending within 1 ms", hg_timer_fired(t, HG_MS), 1);
    hg_case(c, "set_singleshot now + 5 ms, flags 0xfffffffe",
            set_singleshot(hg_now() + 5 * HG_MS, 0xfffffffeu), 0);
    hg_case(c, "flags 0xfffffffe: pending after 1 ms", hg_timer_fired(t, HG_MS), 0);
    hg_case(c, "flags 0xfffffffe: pending 10 ms later", hg_timer_fired(t, 10 * HG_MS), 1);
    hg_case(c, "set_singleshot now + 50 ms", set_singleshot(hg_now() + 50 * HG_MS, 0), 0);
    hg_case(c, "stop_singleshot", hg_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    hg_case(c, "stopped: pending after 80 ms", hg_timer_fired(t, 80 * HG_MS), 0);
}

static void send_nmi(void *arg)
{
    (void)arg;
    hg_vcpu_op(VCPUOP_send_nmi, 0, NULL);
    hg_spin_ns(10 * HG_MS);                 /* the NMI should end the probe first */
}

static void nmi_physid_cases(struct hg_cases *c)
{
    struct probe_fault f = { 0 };
    void *arg = hg_page(2);
    struct vcpu_get_physid *id = arg;

    hg_case(c, "send_nmi vcpu 0, arg not NULL", hg_vcpu_op(VCPUOP_send_nmi, 0, arg), E(EINVAL));
    hg_case(c, "send_nmi vcpu 0, arg unmapped",
            hg_vcpu_op(VCPUOP_send_nmi, 0, HG_BAD_PTR), E(EINVAL));
    hg_case(c, "send_nmi vcpu 0, NULL: NMI delivered", probe_call(send_nmi, NULL, &f), 1);
    hg_case(c, "send_nmi: vector", f.vector, X86_EXC_NMI);
    id->phys_id = 0xdeadbeefdeadbeefull;
    hg_case(c, "get_physid vcpu 0", hg_vcpu_op(VCPUOP_get_physid, 0, id), 0);
    printk("hostile:   (phys_id %#lx)\n", (unsigned long)id->phys_id);
    hg_case(c, "get_physid: APIC id", xen_vcpu_physid_to_x86_apicid(id->phys_id), 0);
    hg_case(c, "get_physid: ACPI id", xen_vcpu_physid_to_x86_acpiid(id->phys_id), 0);
    hg_case(c, "get_physid vcpu 0, NULL", hg_vcpu_op(VCPUOP_get_physid, 0, NULL), E(EFAULT));
    hg_case(c, "get_physid vcpu 0, unmapped", hg_vcpu_op(VCPUOP_get_physid, 0, HG_BAD_PTR),
            E(EFAULT));
    hg_case(c, "get_physid vcpu 0, Xen's range", hg_vcpu_op(VCPUOP_get_physid, 0, HG_XEN_PTR),
            E(EFAULT));
}

const char *hostile_vcpu_op_bad_args(void)
{
    static struct hg_cases c;
    struct hg_evtchn_saved saved;
    long t;

    hg_evtchn_save(&saved);
    hg_case(&c, "events masked", xen_vcpu()->evtchn_upcall_mask, 1);
    missing_vcpu_cases(&c);
    lifecycle_cases(&c);
    runstate_cases(&c);
    time_area_cases(&c);
    vcpu_info_cases(&c);
    t = hg_timer_port_open();
    hg_case(&c, "bind VIRQ_TIMER vcpu 0 (port > 0)", t > 0, 1);
    if (t > 0) {
        periodic_cases(&c, t);
        singleshot_cases(&c, t);
        hg_case(&c, "end: periodic timer back to 10 ms", set_periodic(10 * HG_MS), 0);
        hg_case(&c, "end: close VIRQ_TIMER port", hg_evtchn_close(t), 0);
    }
    nmi_physid_cases(&c);
    hg_case(&c, "end: ports bound", hg_evtchn_bound_count(), 0);
    hg_case(&c, "end: events masked", xen_vcpu()->evtchn_upcall_mask, 1);
    printk("hostile:   (%d shared_info words put back)\n", hg_evtchn_restore(&saved));
    return hg_cases_verdict(&c);
}
