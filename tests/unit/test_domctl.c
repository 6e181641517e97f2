/* SPDX-License-Identifier: MIT */
/*
 * test_domctl.c - unit tests for hypervisor/common/domctl.c (domctl and
 * XEN_DOMCTL_getdomaininfo) over the simulated machine of host_mm.c: dom0
 * (privileged), d1 and d2, renumbered and changed by each test.
 * Owns:    vcpu_runstate_get() (vcpu.c's: the runstate as stored, no
 *          clock), arch_guest_paddr_bits() (a fixed 40).
 * Touches: nothing of the code under test.
 *
 * What the hostile guest cannot reach on a one-domain machine: an
 * unprivileged caller (-XEN_EPERM, and where it comes in the order of
 * checks), domain ids with gaps and out of table order, shut-down, dying
 * and blocked domains, and several vCPUs.
 */
#define __XEN_TOOLS__           /* xen/domctl.h: the guest view of this file */
#include <xen/domctl.h>
#include <xen/sched.h>
#include "harness.h"
#include "host_mm.h"
#include "domain.h"
#include "hypercall.h"
#include "domctl_ops.h"

#define PADDR_BITS 40
#define FILL 0xa5
#define CODE_NONE (0xffffU << XEN_DOMINF_shutdownshift)   /* no shutdown yet */

void vcpu_runstate_get(const struct vcpu *v, struct vcpu_runstate_info *r)
{
    *r = v->runstate;
}

unsigned int arch_guest_paddr_bits(void)
{
    return PADDR_BITS;
}

/* domctl_domain.c's commands: the hostile guests test them (tests/guests/
 * domctl_*.c); here only the order of checks before them matters. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define STUB_CMD(name, ...) long name(__VA_ARGS__) { return -XEN_ENOSYS; }
STUB_CMD(domctl_createdomain, struct xen_domctl *o, bool *c)
STUB_CMD(domctl_max_vcpus, struct domain *d, const struct xen_domctl *o)
STUB_CMD(domctl_pausedomain, struct domain *d)
STUB_CMD(domctl_unpausedomain, struct domain *d)
STUB_CMD(domctl_destroydomain, struct domain *d)
STUB_CMD(domctl_setvcpucontext, struct domain *d, const struct xen_domctl *o)
STUB_CMD(domctl_getvcpucontext, struct domain *d, const struct xen_domctl *o, bool *c)
STUB_CMD(domctl_hypercall_init, struct domain *d, const struct xen_domctl *o)

static struct xen_domctl op;
static struct vcpu extra_vcpu;          /* d1's second vCPU (two_vcpus_add_up) */

static void setup(void)
{
    host_machine_reset();
    memset(&extra_vcpu, 0, sizeof(extra_vcpu));
    host_set_current(0);                /* dom0 asks, unless a test says */
    host_vcpu[0].running = true;
}

static void init_op(uint32_t cmd, domid_t domain)
{
    memset(&op, FILL, sizeof(op));
    op.cmd = cmd;
    op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op.domain = domain;
}

static long domctl(uint32_t cmd, domid_t domain)
{
    init_op(cmd, domain);
    return do_domctl((uint64_t)&op);
}

/* op is as init_op() left it: a refused call wrote nothing. */
static bool op_untouched(uint32_t cmd, domid_t domain, uint32_t version)
{
    struct xen_domctl want;

    memset(&want, FILL, sizeof(want));
    want.cmd = cmd;
    want.interface_version = version;
    want.domain = domain;
    return !memcmp(&op, &want, sizeof(op));
}

static bool all_bytes(const void *p, size_t n, uint8_t v)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++)
        if (b[i] != v)
            return false;
    return true;
}

START_TEST(version_is_checked_before_domain_and_command)
{
    static const uint32_t bad[] = { 0, 0x14, 0x16, 0xffffffffu };

    setup();
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        init_op(9999, 77);
        op.interface_version = bad[i];
        ck_assert_int_eq(do_domctl((uint64_t)&op), -XEN_EACCES);
        ck_assert(op_untouched(9999, 77, bad[i]));
        init_op(XEN_DOMCTL_getdomaininfo, DOMID_SELF);
        op.interface_version = bad[i];
        ck_assert_int_eq(do_domctl((uint64_t)&op), -XEN_EACCES);
    }
    host_set_current(1);                /* before the privilege check too */
    init_op(9999, 0);
    op.interface_version = 0;
    ck_assert_int_eq(do_domctl((uint64_t)&op), -XEN_EACCES);
}
END_TEST

START_TEST(the_struct_is_read_whole_and_written_whole)
{
    uint64_t base = (uint64_t)&op;

    setup();
    host_fault_lo = 0;                  /* the first page is never mapped */
    host_fault_hi = 4096;
    ck_assert_int_eq(do_domctl(0), -XEN_EFAULT);
    ck_assert_int_eq(do_domctl(0xffff830000000000UL), -XEN_EFAULT);
    /* Its last 8 bytes unreadable: nothing is looked at. */
    init_op(XEN_DOMCTL_getdomaininfo, 0);
    host_fault_lo = base + sizeof(op) - 8;
    host_fault_hi = base + sizeof(op);
    ck_assert_int_eq(do_domctl(base), -XEN_EFAULT);
    /* Read-only: the answer cannot be written back, and none is. */
    init_op(XEN_DOMCTL_getdomaininfo, 0);
    host_fault_lo = base;
    host_fault_writes_only = true;
    ck_assert_int_eq(do_domctl(base), -XEN_EFAULT);
    ck_assert(op_untouched(XEN_DOMCTL_getdomaininfo, 0, XEN_DOMCTL_INTERFACE_VERSION));
    /* ... but a refusal needs no write. */
    init_op(XEN_DOMCTL_getdomaininfo, 5);
    ck_assert_int_eq(do_domctl(base), -XEN_ESRCH);
    host_fault_lo = host_fault_hi = 0;
    host_fault_writes_only = false;
}
END_TEST

START_TEST(dom0_sees_itself)
{
    const struct xen_domctl_getdomaininfo *i = &op.u.getdomaininfo;

    setup();
    host_dom[0].tot_pages = 1234;
    host_dom[0].max_pages = UINT32_MAX;
    host_dom[0].shared_info_mfn = _mfn(0x1fdb1);
    host_vcpu[0].runstate.time[RUNSTATE_running] = 101178527;
    host_vcpu[0].runstate.time[RUNSTATE_blocked] = 5;
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, 0), 0);
    ck_assert_uint_eq(op.cmd, XEN_DOMCTL_getdomaininfo);
    ck_assert_uint_eq(op.interface_version, XEN_DOMCTL_INTERFACE_VERSION);
    ck_assert_uint_eq(op.domain, 0);
    ck_assert(all_bytes(op._pad, sizeof(op._pad), FILL));
    ck_assert(all_bytes((uint8_t *)&op.u + sizeof(*i), sizeof(op.u) - sizeof(*i), FILL));
    ck_assert_uint_eq(i->domain, 0);
    ck_assert_uint_eq(i->pad1, 0);
    /* As Xen 4.17.7 answered the hostile guest: 0xffff0020. */
    ck_assert_uint_eq(i->flags, XEN_DOMINF_running | CODE_NONE);
    ck_assert_uint_eq(i->tot_pages, 1234);
    ck_assert_uint_eq(i->max_pages, UINT32_MAX);
    ck_assert_uint_eq(i->outstanding_pages + i->shr_pages + i->paged_pages, 0);
    ck_assert_uint_eq(i->shared_info_frame, 0x1fdb1);
    ck_assert_uint_eq(i->cpu_time, 101178527);
    ck_assert_uint_eq(i->nr_online_vcpus, 1);
    ck_assert_uint_eq(i->max_vcpu_id, 0);
    ck_assert_uint_eq(i->ssidref, 0);
    ck_assert(all_bytes(i->handle, sizeof(i->handle), 0));
    ck_assert_uint_eq(i->cpupool, 0);
    ck_assert_uint_eq(i->gpaddr_bits, PADDR_BITS);
    ck_assert(all_bytes(i->pad2, sizeof(i->pad2), 0));
    ck_assert_uint_eq(i->arch_config.emulation_flags, 0);
    ck_assert_uint_eq(i->arch_config.misc_flags, 0);
}
END_TEST

/* The table holds 0, 9, 3 (in that order): answers go by id, not slot. */
START_TEST(the_first_domain_at_or_after_the_id)
{
    static const struct { domid_t ask, got; } cases[] = {
        { 0, 0 }, { 1, 3 }, { 3, 3 }, { 4, 9 }, { 9, 9 },
    };

    setup();
    host_dom[1].domain_id = 9;
    host_dom[2].domain_id = 3;
    for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
        ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, cases[c].ask), 0);
        ck_assert_uint_eq(op.domain, cases[c].got);
        ck_assert_uint_eq(op.u.getdomaininfo.domain, cases[c].got);
    }
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, 10), -XEN_ESRCH);
    ck_assert(op_untouched(XEN_DOMCTL_getdomaininfo, 10, XEN_DOMCTL_INTERFACE_VERSION));
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, DOMID_FIRST_RESERVED - 1),
                     -XEN_ESRCH);
}
END_TEST

START_TEST(reserved_ids_are_einval_for_getdomaininfo_esrch_otherwise)
{
    static const domid_t reserved[] = { DOMID_SELF, DOMID_IO, DOMID_XEN,
                                        DOMID_INVALID, DOMID_IDLE, 0x8000, 0xffff };

    setup();
    for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
        ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, reserved[i]), -XEN_EINVAL);
        ck_assert(op_untouched(XEN_DOMCTL_getdomaininfo, reserved[i],
                               XEN_DOMCTL_INTERFACE_VERSION));
        ck_assert_int_eq(domctl(XEN_DOMCTL_pausedomain, reserved[i]), -XEN_ESRCH);
        ck_assert_int_eq(domctl(9999, reserved[i]), -XEN_ESRCH);
    }
}
END_TEST

/* Xen's order: no such domain, then not privileged, then the command. */
START_TEST(an_unprivileged_caller)
{
    setup();
    host_set_current(1);
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, 0), -XEN_EPERM);
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, 1), -XEN_EPERM);  /* itself */
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, 3), -XEN_ESRCH);
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, DOMID_SELF), -XEN_EINVAL);
    ck_assert_int_eq(domctl(9999, 0), -XEN_EPERM);
    ck_assert_int_eq(domctl(9999, 3), -XEN_ESRCH);
    ck_assert_int_eq(domctl(XEN_DOMCTL_pausedomain, 2), -XEN_EPERM);
    /* createdomain names a domain to be: no lookup, straight to privilege. */
    ck_assert_int_eq(domctl(XEN_DOMCTL_createdomain, 77), -XEN_EPERM);
    ck_assert(op_untouched(XEN_DOMCTL_createdomain, 77, XEN_DOMCTL_INTERFACE_VERSION));
}
END_TEST

START_TEST(every_other_command_is_enosys)
{
    static const uint32_t cmds[] = {
        XEN_DOMCTL_shadow_op, XEN_DOMCTL_irq_permission,
        XEN_DOMCTL_iomem_permission, XEN_DOMCTL_ioport_permission,
        XEN_DOMCTL_settimeoffset, XEN_DOMCTL_resumedomain, XEN_DOMCTL_subscribe,
        XEN_DOMCTL_set_ext_vcpucontext, XEN_DOMCTL_get_ext_vcpucontext,
        XEN_DOMCTL_set_target, XEN_DOMCTL_gettscinfo, XEN_DOMCTL_getpageframeinfo3,
        XEN_DOMCTL_setvcpuextstate, XEN_DOMCTL_getvcpuextstate,
        XEN_DOMCTL_set_virq_handler, XEN_DOMCTL_setnodeaffinity,
        XEN_DOMCTL_getnodeaffinity, XEN_DOMCTL_soft_reset,
        XEN_DOMCTL_get_cpu_policy, XEN_DOMCTL_set_cpu_policy,
        0, 6, 7, 8, 9999, 0xffffffffu,
    };

    setup();
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        ck_assert_int_eq(domctl(cmds[i], 1), -XEN_ENOSYS);
        ck_assert(op_untouched(cmds[i], 1, XEN_DOMCTL_INTERFACE_VERSION));
        if (cmds[i] != XEN_DOMCTL_createdomain)
            ck_assert_int_eq(domctl(cmds[i], 5), -XEN_ESRCH);
    }
    ck_assert_int_eq(domctl(XEN_DOMCTL_createdomain, 5), -XEN_ENOSYS);
}
END_TEST

static uint32_t flags_of(domid_t id)
{
    ck_assert_int_eq(domctl(XEN_DOMCTL_getdomaininfo, id), 0);
    ck_assert_uint_eq(op.domain, id);
    return op.u.getdomaininfo.flags;
}

START_TEST(flags_follow_the_domain_and_its_vcpus)
{
    struct domain *d1 = &host_dom[1];
    struct vcpu *v = &host_vcpu[1];

    setup();
    ck_assert_uint_eq(flags_of(1), CODE_NONE);              /* runnable, not on the CPU */
    v->blocked = true;
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_blocked | CODE_NONE);
    v->running = true;                                      /* polling, say */
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_blocked | XEN_DOMINF_running | CODE_NONE);
    v->blocked = v->running = false;
    d1->state = DOMAIN_SHUTDOWN;
    d1->shut_down = true;
    d1->shutdown_code = SHUTDOWN_crash;
    d1->crashed = true;
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_shutdown |
                      (SHUTDOWN_crash << XEN_DOMINF_shutdownshift));
    d1->shutdown_code = SHUTDOWN_poweroff;
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_shutdown);
    d1->state = DOMAIN_DYING;               /* as Xen: still shut down */
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_dying | XEN_DOMINF_shutdown);
    d1->shut_down = false;                  /* destroyed without a shutdown */
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_dying | CODE_NONE);
    d1->controller_pause_count = 1;         /* the toolstack's pause only */
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_dying | XEN_DOMINF_paused | CODE_NONE);
    d1->controller_pause_count = 0;
    d1->pause_count = 1;
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_dying | CODE_NONE);
    /* No vCPU: neither blocked nor running, max_vcpu_id "none". */
    d1->state = DOMAIN_RUNNING;
    d1->max_vcpus = 0;
    d1->vcpu[0] = NULL;
    ck_assert_uint_eq(flags_of(1), CODE_NONE);
    ck_assert_uint_eq(op.u.getdomaininfo.nr_online_vcpus, 0);
    ck_assert_uint_eq(op.u.getdomaininfo.max_vcpu_id, XEN_INVALID_MAX_VCPU_ID);
    ck_assert_uint_eq(op.u.getdomaininfo.cpu_time, 0);
}
END_TEST

START_TEST(two_vcpus_add_up)
{
    struct domain *d1 = &host_dom[1];
    struct vcpu *v0 = &host_vcpu[1], *v1 = &extra_vcpu;

    setup();
    v1->vcpu_id = 1;
    v1->domain = d1;
    d1->vcpu[1] = v1;
    d1->max_vcpus = 2;
    v0->runstate.time[RUNSTATE_running] = 1000;
    v1->runstate.time[RUNSTATE_running] = 234;
    v1->runstate.time[RUNSTATE_runnable] = 99999;
    v0->blocked = true;
    ck_assert_uint_eq(flags_of(1), CODE_NONE);              /* one of two blocked */
    ck_assert_uint_eq(op.u.getdomaininfo.cpu_time, 1234);
    ck_assert_uint_eq(op.u.getdomaininfo.nr_online_vcpus, 2);
    ck_assert_uint_eq(op.u.getdomaininfo.max_vcpu_id, 1);
    v1->blocked = true;
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_blocked | CODE_NONE);
    v1->running = true;
    ck_assert_uint_eq(flags_of(1), XEN_DOMINF_blocked | XEN_DOMINF_running | CODE_NONE);
}
END_TEST

static Suite *domctl_suite(void)
{
    Suite *s = suite_create("domctl");
    TCase *tc = tcase_create("domctl");

    tcase_add_test(tc, version_is_checked_before_domain_and_command);
    tcase_add_test(tc, the_struct_is_read_whole_and_written_whole);
    tcase_add_test(tc, dom0_sees_itself);
    tcase_add_test(tc, the_first_domain_at_or_after_the_id);
    tcase_add_test(tc, reserved_ids_are_einval_for_getdomaininfo_esrch_otherwise);
    tcase_add_test(tc, an_unprivileged_caller);
    tcase_add_test(tc, every_other_command_is_enosys);
    tcase_add_test(tc, flags_follow_the_domain_and_its_vcpus);
    tcase_add_test(tc, two_vcpus_add_up);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(domctl_suite());
}
