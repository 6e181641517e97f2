/* SPDX-License-Identifier: MIT */
/*
 * arch.h - every hook generic code calls into the architecture.
 * Owns:    the arch_*() declarations; implementations live under
 *          arch/x86_64/. Generic code never uses #ifdef __x86_64__.
 */
#ifndef PVISOR_ARCH_H
#define PVISOR_ARCH_H

#include "sched.h"

/* A cycle counter for the hypercall statistics (TSC on x86). */
uint64_t arch_cycles(void);
/* Print the registers of a guest frame (domain crash dumps). */
void arch_show_guest_registers(const struct vcpu *v,
                               const struct cpu_user_regs *regs);
/*
 * Stop the machine: the value goes to the QEMU debug-exit port when
 * debug_exit= names one; then power off (reason poweroff), reset (reboot,
 * unless noreboot) or halt.
 */
void arch_machine_stop(unsigned int exit_value, bool reboot)
    __attribute__((noreturn));
/*
 * Take the current vCPU v off the CPU: its frame, segments, FS/GS bases
 * and FPU state go to struct vcpu; current becomes NULL.
 */
void arch_context_save(struct vcpu *v, uint64_t now);
/* Continue in the idle loop on a fresh stack; no return. */
void arch_reset_to_idle(void) __attribute__((noreturn));
/* Run v from its saved state (first entry or after arch_context_save). */
void arch_vcpu_enter(struct vcpu *v, uint64_t now) __attribute__((noreturn));
/*
 * VCPUOP_initialise: check a vcpu_guest_context as Xen does and load it
 * into v (not running). 0 or -XEN_E*; nothing changes on an error.
 */
long arch_set_info_guest(struct vcpu *v, const struct vcpu_guest_context *c);
/* setvcpucontext again: 0 if c names v's page tables, GDT and LDT size,
 * else -XEN_EOPNOTSUPP (pv/vcpu_context.c). */
long arch_vcpu_context_same_tables(const struct vcpu *v, const struct vcpu_guest_context *c);
/* v back to no context and down, its references given back. */
void arch_vcpu_reset(struct vcpu *v);
/* v's context as XEN_DOMCTL_getvcpucontext gives it; c zeroed first. */
void arch_get_info_guest(const struct vcpu *v, struct vcpu_guest_context *c);
/*
 * Recompute every reference and type count of d's frames from what holds
 * them and compare with the frame table; prints "mm: audit dN: F frames,
 * E errors" and returns E.
 */
unsigned int arch_audit_domain_memory(const struct domain *d);
/* Rewind the current vCPU to re-issue hypercall nr with these args. */
void arch_hypercall_continuation(struct vcpu *v, unsigned int nr,
                                 const uint64_t args[5]);
/* memory_op's architecture part (arch/x86_64/memory.c). */
long arch_memory_op(unsigned int op, uint64_t arg);
uint64_t arch_max_ram_page(void);
/* sysctl physinfo's machine part: CPUs, TSC kHz, RAM, the highest MFN,
 * PV, the boot CPU's feature words (arch/x86_64/sysctl.c). */
struct xen_sysctl_physinfo;
void arch_do_physinfo(struct xen_sysctl_physinfo *pi);
/* One past the highest machine frame the CPU can address. */
uint64_t arch_max_phys_mfn(void);
/* The guest-physical address width a domain is told of (domctl
 * getdomaininfo's gpaddr_bits; arch/x86_64/memory.c). */
unsigned int arch_guest_paddr_bits(void);
#define INVALID_M2P (~0UL)
void arch_set_m2p(mfn_t mfn, uint64_t pfn);
/* Wait for something to happen (the idle loop). */
void arch_idle(void);
/*
 * Grant mappings (arch/x86_64/mm.c): write (flags from GNTMAP_*) or clear
 * the PTE for va in v's current page table, references left to the caller; -1 if va has no L1
 * of v's, or (unmap) its PTE does not map mfn as `writable` says.
 */
int arch_grant_map_pte(struct vcpu *v, uint64_t va, mfn_t mfn, uint32_t gnt_flags);
int arch_grant_unmap_pte(struct vcpu *v, uint64_t va, mfn_t mfn, bool writable);
/* The same for GNTMAP_contains_pte: the entry at machine address maddr, in
 * a validated L1 of v's domain (the whole TLB flushed: its VA is unknown). */
int arch_grant_map_pte_at(struct vcpu *v, uint64_t maddr, mfn_t mfn, uint32_t gnt_flags);
int arch_grant_unmap_pte_at(struct vcpu *v, uint64_t maddr, mfn_t mfn, bool writable);
/* unmap_and_replace: new_va's entry moves over va's grant PTE (new_va
 * cleared either way); -1 if va's entry does not map mfn as `writable`. */
int arch_grant_replace_pte(struct vcpu *v, uint64_t va, uint64_t new_va, mfn_t mfn,
                           bool writable);
/* Run on the hypervisor's own page table (no guest's mappings). */
void arch_enter_idle_page_table(void);
/* Drop the references a vCPU holds (cr3s, GDT frames) before a domain dies. */
void arch_vcpu_release(struct vcpu *v);
/* Per-vCPU architectural set-up at creation. */
void arch_vcpu_init(struct vcpu *v);
/* Boot: what the context switch needs to know of this CPU (MXCSR_MASK). */
void arch_context_init(void);
/* v's FPU state from a guest's FXSAVE image (NULL: the reset state). */
void arch_vcpu_init_fpu(struct vcpu *v, const void *fxsave_image);
/* VCPUOP_get_physid's answer: APIC id [31:0], ACPI id [63:32]. */
uint64_t arch_vcpu_physid(const struct vcpu *v);
/*
 * physdev_op (common/physdev.c, which checks the values): v's virtual
 * I/O privilege level, 0-3; v's I/O bitmap, at a guest address, for the
 * ports below nr_ports (0: none). arch/x86_64/pv/io.c.
 */
void arch_vcpu_set_iopl(struct vcpu *v, unsigned int iopl);
void arch_vcpu_set_iobitmap(struct vcpu *v, uint64_t bitmap, unsigned int nr_ports);

/* Exit values written to the debug-exit port (QEMU exits with 2v+1). */
#define EXIT_VALUE_PANIC 0x7f

extern bool opt_noreboot;
extern uint64_t opt_debug_exit;

#endif
