/* SPDX-License-Identifier: MIT */
/*
 * testapi.h - everything the test image's code may use: the hostile guests
 *             (tests/guests), the hypercall fuzzer (tests/fuzz) and the
 *             benchmarks (bench).  Include this one header and nothing
 *             else from guest-kernel/.
 * Owns:    the list below and the probe helpers' contract.
 * Touches: nothing (declarations and small inline helpers).
 *
 * Entry points the test code defines (kernel/testimage.c calls them after
 * boot, mm_init() and the self-tests; 0 = pass -> poweroff, else crash):
 *     int hostile_run(const char *name);          attack=NAME
 *     int fuzz_run(uint64_t seed, uint64_t count); fuzz=SEED:COUNT
 *     int bench_run(const char *args);            bench, bench=ARGS
 *
 * What they may use:
 *   printk, snprintf, panic, mem*, str*          <kernel.h>
 *   HYPERVISOR_*() wrappers, hypercall()         <pv/hypercall.h>:
 *     HYPERVISOR_mmu_update(reqs, count, &done, DOMID_SELF)
 *     HYPERVISOR_update_va_mapping(va, pte, UVMF_*)
 *     HYPERVISOR_update_va_mapping_otherdomain(va, pte, UVMF_*, domid)
 *     HYPERVISOR_mmuext_op(ops, count, &done, DOMID_SELF)
 *     HYPERVISOR_memory_op(XENMEM_*, arg)
 *     HYPERVISOR_multicall(entries, nr)
 *     HYPERVISOR_vm_assist(VMASST_CMD_*, VMASST_TYPE_*)
 *     HYPERVISOR_update_descriptor(maddr, desc)
 *     HYPERVISOR_console_io, _xen_version, _sched_op, _set_gdt, ...
 *     long hypercall(nr, a1, a2, a3, a4, a5)   any number, raw arguments
 *   the memory API                               <mm.h>
 *   start_info (nr_pages, mfn_list, flags ...)   xen_start_info
 *   shared_info                                  HYPERVISOR_shared_info
 *   the PTE bits and geometry                    <asm/page.h>
 *   the vectors and the last trap seen           <asm/traps.h>: trap_last
 *   the pv-ops table                             <asm/pvops.h>: pv_ops
 *   running code that is expected to fault       probe_*() below
 *
 * The kernel at that point runs on its own page tables (mm_own_page_tables()
 * says so): the direct map at DIRECTMAP_BASE maps every pfn, page-table
 * frames read-only; the image at KERNEL_VIRT_BASE; lower half empty.
 * Events are masked.  Pages from mm_alloc_pfn() are the test's to break;
 * give back what is still a plain page with mm_free_pfn().
 */
#ifndef TESTAPI_H
#define TESTAPI_H

#include <kernel.h>
#include <mm.h>
#include <asm/fixup.h>
#include <asm/page.h>
#include <asm/pvops.h>
#include <asm/traps.h>
#include <pv/hypercall.h>
#include <pv/xen.h>

/*
 * Probes: run code that may raise an exception and learn which.
 *
 * probe_call(fn, arg, &f) runs fn(arg) and returns 0 if fn returned.  If fn
 * raises an exception that has no other handler (#PF, #GP, #UD, ... any
 * vector but #NM and #BP, which the kernel handles and resumes), fn is
 * abandoned at the faulting instruction, as if by longjmp: probe_call
 * returns 1 and f (if not NULL) holds vector, error code, rip and, for #PF,
 * cr2.  Anything fn allocated or locked is the caller's to undo.  Probes
 * nest; a fault outside any probe is still fatal.
 *
 * probe_read64 / probe_write64 do one 8-byte access the same way.
 *
 * For a single instruction inside your own inline asm, the fixup table is
 * cheaper (asm/fixup.h): after "1: <insn>\n2:\n" FIXUP_ENTRY(1b, 2b) a
 * fault at 1 resumes at 2, and trap_last (count, vector, error_code, rip,
 * cr2) describes it: compare trap_last.count before and after.
 */
int probe_read64(const volatile void *va, uint64_t *val, struct probe_fault *f);
int probe_write64(volatile void *va, uint64_t val, struct probe_fault *f);

/* The test image's entry points (defined by the test code; weak defaults
 * in kernel/testimage.c). */
int hostile_run(const char *name);
int fuzz_run(uint64_t seed, uint64_t count);
int bench_run(const char *args);

#endif /* TESTAPI_H */
