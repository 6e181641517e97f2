/* SPDX-License-Identifier: MIT */
/*
 * host_hooks.h - force-included (gcc -include, tests/unit/meson.build)
 * ahead of the hypervisor sources that the mm unit tests compile: mm.c,
 * m2p.c, mm_audit.c, pv/ro_page_fault.c.
 * Owns:    nothing but redirections; host_mm.c implements them.
 * Touches: nothing of the code under test: not one line of hypervisor/
 *          changes for the host build.
 *
 * Four things in those sources cannot run in a host process:
 *  - the direct map at DIRECTMAP_VIRT_START (page.h's maddr_to_virt() and
 *    friends): here machine addresses index a simulated RAM buffer;
 *  - `current` and smp_processor_id(), read from the cpu_info at the top of
 *    the hypervisor stack (percpu.h): here a pointer the test sets, and
 *    CPU 0 (the simulated machine has one CPU);
 *  - CR3 writes, INVLPG and TLB flushes (processor.h inline asm): here they
 *    are recorded, so tests can assert which flush a hypercall asked for;
 *  - guest_access.h's inline reads of guest memory, whose faults the
 *    exception table catches: here they go to the simulated guest memory.
 * The real headers are included first (their include guards then make the
 * sources' own #includes no-ops), and function-like macros defined after
 * them replace every later use in the including file. The inline
 * definitions in the headers themselves stay as they are, unused.
 */
#ifndef PVISOR_TEST_HOST_HOOKS_H
#define PVISOR_TEST_HOST_HOOKS_H

#include "guest_access.h"
#include "page.h"
#include "percpu.h"
#include "processor.h"

struct vcpu;

extern struct vcpu *host_current;
void *host_maddr_to_virt(uint64_t ma);
uint64_t host_virt_to_maddr(const void *va);
void host_write_cr3(uint64_t cr3);
void host_invlpg(uint64_t va);
void host_flush_tlb_local(void);
bool host_read_guest_2u64(const uint64_t *src, uint64_t *a, uint64_t *b);
bool host_read_guest_u32(const uint32_t *src, uint32_t *out);

#undef current
#define current host_current
#undef smp_processor_id
#define smp_processor_id() 0u

#define maddr_to_virt(ma)   host_maddr_to_virt(ma)
#define mfn_to_virt(m)      host_maddr_to_virt(mfn_x(m) << PAGE_SHIFT)
#define virt_to_maddr(va)   host_virt_to_maddr(va)
#define virt_to_mfn(va)     _mfn(host_virt_to_maddr(va) >> PAGE_SHIFT)

#define write_cr3(v)        host_write_cr3(v)
#define invlpg(va)          host_invlpg(va)
#define flush_tlb_local()   host_flush_tlb_local()

/* guest_access.h's inline two-word read (a load the exception table
 * catches): here the simulated guest memory, with its simulated faults. */
#define raw_read_guest_2u64(s, a, b) host_read_guest_2u64(s, a, b)
#define raw_read_guest_u32(s, o) host_read_guest_u32(s, o)

#endif
