/* SPDX-License-Identifier: MIT */
/*
 * guest_access.h - reading and writing guest memory from a hypercall.
 * Owns:    the one place that decides whether a guest address may be
 *          touched: it must be canonical, and the whole range must stay
 *          out of the hypervisor's slots. Faults on the access itself
 *          (unmapped, read-only) are caught by the exception table
 *          (entry.S) and become -XEN_EFAULT.
 * Touches: guest memory through the guest's own page tables, which are
 *          live while a hypercall runs (CR0.WP is set, so a read-only
 *          guest mapping stays read-only for us too).
 */
#ifndef PVISOR_GUEST_ACCESS_H
#define PVISOR_GUEST_ACCESS_H

#include <xen/errno.h>
#include "layout.h"
#include "types.h"

size_t raw_copy_from_guest(void *dst, const void *src, size_t n);
size_t raw_copy_to_guest(void *dst, const void *src, size_t n);
int raw_read_guest_u8(const void *src, uint8_t *out);

/*
 * The two words at src into *a and *b, for a hypercall that reads a
 * 2-word item per iteration of a loop (mmu_update's requests): two loads,
 * no call and no copy through memory. The caller has checked the range
 * (guest_range_ok()); a fault on either load is caught by the exception
 * table (entry.S's mechanism, traps.c) and gives false, *a and *b unset.
 */
static always_inline bool raw_read_guest_2u64(const uint64_t *src, uint64_t *a,
                                              uint64_t *b)
{
    uint64_t x, y;

    asm goto("1: mov %[w0], %[x]\n\t"
             "2: mov %[w1], %[y]\n\t"
             ".pushsection .ex_table, \"a\"\n\t"
             ".quad 1b, %l[fault]\n\t"
             ".quad 2b, %l[fault]\n\t"
             ".popsection"
             : [x] "=&r"(x), [y] "=r"(y)
             : [w0] "m"(src[0]), [w1] "m"(src[1])
             : : fault);
    *a = x;
    *b = y;
    return true;
fault:
    return false;
}

/*
 * One word at src into *out, inline, as raw_read_guest_2u64():
 * raw_read_guest_u64() (a multicall entry's words) and
 * raw_read_guest_u32() (EVTCHNOP_send's port). Callers use them
 * directly, not through another inline, so the unit tests' stand-ins
 * (tests/unit/host_hooks.h) replace them.
 */
#define RAW_READ_GUEST_WORD(name, type)                                  \
    static always_inline bool name(const type *src, type *out)          \
    {                                                                    \
        type x;                                                          \
                                                                         \
        asm goto("1: mov %[w], %[x]\n\t"                                 \
                 ".pushsection .ex_table, \"a\"\n\t"                     \
                 ".quad 1b, %l[fault]\n\t"                               \
                 ".popsection"                                           \
                 : [x] "=r"(x)                                           \
                 : [w] "m"(*src)                                         \
                 : : fault);                                             \
        *out = x;                                                        \
        return true;                                                     \
    fault:                                                               \
        return false;                                                    \
    }
RAW_READ_GUEST_WORD(raw_read_guest_u64, uint64_t)
RAW_READ_GUEST_WORD(raw_read_guest_u32, uint32_t)
#undef RAW_READ_GUEST_WORD

/* val to the word at dst, inline (range checked by the caller); false if
 * the store faulted (unmapped, or read-only for the guest). */
static always_inline bool raw_write_guest_u64(uint64_t *dst, uint64_t val)
{
    asm goto("1: mov %[v], %[w]\n\t"
             ".pushsection .ex_table, \"a\"\n\t"
             ".quad 1b, %l[fault]\n\t"
             ".popsection"
             : : [w] "m"(*dst), [v] "r"(val)
             : "memory" : fault);
    return true;
fault:
    return false;
}

/* [va, va+len) lies wholly in guest-owned, canonical address space. */
static inline bool guest_range_ok(uint64_t va, size_t len)
{
    uint64_t end = va + len;

    if (end < va)
        return false;
    if (end <= HV_VIRT_START)           /* lower half (and canonical) */
        return end <= 0x0000800000000000UL;
    return va >= HV_VIRT_END;           /* upper half, above us       */
}

/*
 * Xen's guest_handle_okay() on x86_64, for a buffer used later or in
 * pieces: only where it starts is checked (the lower half, or above the
 * hypervisor's range); each later access checks itself.
 */
static inline bool guest_handle_start_ok(uint64_t va)
{
    return va < 0x0000800000000000UL || va >= HV_VIRT_END;
}

static inline int copy_from_guest(void *dst, uint64_t gva, size_t len)
{
    if (!guest_range_ok(gva, len))
        return -XEN_EFAULT;
    return raw_copy_from_guest(dst, (const void *)gva, len) ? -XEN_EFAULT : 0;
}

static inline int copy_to_guest(uint64_t gva, const void *src, size_t len)
{
    if (!guest_range_ok(gva, len))
        return -XEN_EFAULT;
    return raw_copy_to_guest((void *)gva, src, len) ? -XEN_EFAULT : 0;
}

#endif
