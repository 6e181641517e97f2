/* SPDX-License-Identifier: MIT */
/*
 * test_cpuid.c - unit tests for hypervisor/arch/x86_64/pv/cpuid.c.
 * Owns:    the tests. pv_cpuid() runs the real CPUID instruction of the
 *          host (it is unprivileged), so each test states a property of
 *          the guest's view that must hold whatever the host CPU is: the
 *          hypervisor leaves, the hidden features, and the leaves a guest
 *          must see empty, which are probed for every sub-leaf it can ask.
 */
#include "harness.h"
#include "pv.h"
#include "sched.h"

#define EXT 0x80000000u

static struct vcpu vcpu = { .vcpu_id = 3 };

static struct cpuid_regs guest(uint32_t leaf, uint32_t subleaf)
{
    uint32_t res[4];

    memset(res, 0xa5, sizeof(res));
    pv_cpuid(&vcpu, leaf, subleaf, res);
    return (struct cpuid_regs){ res[0], res[1], res[2], res[3] };
}

#define ck_assert_empty(leaf, subleaf) do { \
    struct cpuid_regs r_ = guest((leaf), (subleaf)); \
    ck_assert_msg(!r_.eax && !r_.ebx && !r_.ecx && !r_.edx, \
                  "leaf %#x.%u: %08x %08x %08x %08x", (leaf), (subleaf), \
                  r_.eax, r_.ebx, r_.ecx, r_.edx); \
} while (0)

START_TEST(xen_leaves)
{
    struct cpuid_regs r = guest(0x40000000, 0);

    ck_assert_uint_eq(r.eax, 0x40000005);
    ck_assert_uint_eq(r.ebx, 0x566e6558);       /* "XenVMMXenVMM" */
    ck_assert_uint_eq(r.ecx, 0x65584d4d);
    ck_assert_uint_eq(r.edx, 0x4d4d566e);
    ck_assert_uint_eq(guest(0x40000002, 0).eax, 1);
    ck_assert_empty(0x40000006, 0);
    ck_assert_empty(0x40000100, 0);             /* an outer hypervisor's */
    ck_assert_empty(0x7fffffff, 0);
}
END_TEST

START_TEST(leaf1_filtered)
{
    struct cpuid_regs r = guest(1, 0);

    ck_assert(r.ecx & (1u << 31));              /* hypervisor present */
    ck_assert(!(r.ecx & ((1u << 5) | (1u << 21) | (1u << 26) | (1u << 27))));
    ck_assert(!(r.edx & (1u << 9)));            /* no APIC */
    /* Xen's 'S' (HVM-only) features: VME, PSE, MTRR, PGE, PSE36. */
    ck_assert(!(r.edx & ((1u << 1) | (1u << 3) | (1u << 12) | (1u << 13) |
                         (1u << 17))));
    ck_assert_uint_eq(r.ebx >> 24, 6);          /* vcpu 3's APIC ID */
    ck_assert(!(guest(EXT + 1, 0).ecx & (1u << 2)));   /* no SVM */
}
END_TEST

/* Leaves describing the physical CPU or hidden features: empty. */
START_TEST(host_leaves_empty)
{
    static const uint32_t leaves[] = {
        5, 6, 7, 0xb, 0xd, 0x1f, EXT + 0xa, EXT + 0x1e,
    };

    for (unsigned int i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
        for (uint32_t sub = 0; sub < 64; sub++)
            ck_assert_empty(leaves[i], sub);
}
END_TEST

/*
 * Past the host's maximum of each range: on Intel the CPU itself answers
 * with its highest basic leaf, which would bypass the filter.
 */
START_TEST(leaves_past_host_maximum_empty)
{
    uint32_t max = cpuid_count(0, 0).eax, ext_max = cpuid_count(EXT, 0).eax;
    static const uint32_t far[] = { 0x3fffffff, 0xbfffffff, 0xc0000000,
                                    0xffffffff };

    for (uint32_t leaf = max + 1; leaf < max + 0x40; leaf++)
        ck_assert_empty(leaf, 0);
    for (uint32_t leaf = ext_max + 1; leaf < ext_max + 0x40; leaf++)
        ck_assert_empty(leaf, 0);
    for (unsigned int i = 0; i < sizeof(far) / sizeof(far[0]); i++)
        ck_assert_empty(far[i], 0);
    ck_assert_uint_eq(guest(0, 0).eax, max);
    ck_assert_uint_eq(guest(EXT, 0).eax, ext_max);
}
END_TEST

static Suite *cpuid_suite(void)
{
    Suite *s = suite_create("cpuid");
    TCase *tc = tcase_create("policy");

    tcase_add_test(tc, xen_leaves);
    tcase_add_test(tc, leaf1_filtered);
    tcase_add_test(tc, host_leaves_empty);
    tcase_add_test(tc, leaves_past_host_maximum_empty);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(cpuid_suite());
}
