/* SPDX-License-Identifier: MIT */
/*
 * hypercall_numbers - the hypercall number is the whole of rax.
 * Rule: a number names a hypercall only if it is below the table's end
 * (64) and that row has a handler; anything else is -ENOSYS, whatever its
 * high bits: never reduced modulo the table, truncated to 32 bits or
 * taken as signed. The syscall entry range-checks the number itself
 * (entry.S) and the multicall entry in C (hypercall_dispatch_args()), so
 * both are asked.
 *
 * Attack: raw syscalls from kernel mode with rax
 *  - 17 (xen_version, the control): the version;
 *  - 63, the table's last row (no handler): -ENOSYS;
 *  - 64, one past the table, and 64 + 17: -ENOSYS;
 *  - 2^31 + 17, 2^32 + 17, 2^63 + 17, 0xffffffff00000011 and ~0: -ENOSYS;
 * and a multicall whose entries have ops 2^32 + 17 and 64 + 17, then 17:
 * the first two -ENOSYS, the third the version.
 * Observed on Xen 4.17 (4.17.7 as dom0 in QEMU): the same.
 */
#include "hostile.h"

static long hn_raw(uint64_t nr, uint64_t a0, uint64_t a1)
{
    long rax;

    asm volatile("syscall"
                 : "=a"(rax), "+D"(a0), "+S"(a1)
                 : "0"(nr)
                 : "rcx", "r11", "rdx", "r8", "r9", "r10", "memory");
    return rax;
}

const char *hostile_hypercall_numbers(void)
{
    static const struct { const char *label; uint64_t nr; } enosys[] = {
        { "63 (the table's last row)", 63 },
        { "64 (one past the table)", 64 },
        { "64 + 17", 64 + __HYPERVISOR_xen_version },
        { "2^31 + 17", (1UL << 31) + __HYPERVISOR_xen_version },
        { "2^32 + 17", (1UL << 32) + __HYPERVISOR_xen_version },
        { "2^63 + 17", (1UL << 63) + __HYPERVISOR_xen_version },
        { "0xffffffff00000011", 0xffffffff00000000UL + __HYPERVISOR_xen_version },
        { "~0", ~0UL },
    };
    static struct hg_cases c;
    static struct multicall_entry mc[3];
    long version = HYPERVISOR_xen_version(XENVER_version, NULL);

    hg_case(&c, "17 (xen_version)",
            hn_raw(__HYPERVISOR_xen_version, XENVER_version, 0), version);
    for (unsigned int i = 0; i < sizeof(enosys) / sizeof(enosys[0]); i++)
        hg_case(&c, enosys[i].label, hn_raw(enosys[i].nr, XENVER_version, 0),
                -XEN_ENOSYS);

    memset(mc, 0, sizeof(mc));
    mc[0].op = (1UL << 32) + __HYPERVISOR_xen_version;
    mc[1].op = 64 + __HYPERVISOR_xen_version;
    mc[2].op = __HYPERVISOR_xen_version;
    for (unsigned int i = 0; i < 3; i++)
        mc[i].args[0] = XENVER_version;
    hg_case(&c, "multicall", hg_multicall(mc, 3), 0);
    hg_case(&c, "multicall: op 2^32 + 17", (long)mc[0].result, -XEN_ENOSYS);
    hg_case(&c, "multicall: op 64 + 17", (long)mc[1].result, -XEN_ENOSYS);
    hg_case(&c, "multicall: op 17", (long)mc[2].result, version);
    return hg_cases_verdict(&c);
}
