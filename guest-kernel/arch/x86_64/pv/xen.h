/* SPDX-License-Identifier: MIT */
/*
 * pv/xen.h - state the Xen port keeps, shared by the files in arch/x86_64/pv/.
 * Owns:    declarations of xen_start_info, HYPERVISOR_shared_info and the
 *          per-area pv-op implementations that pv/xen.c collects in pv_ops.
 * Touches: nothing.
 */
#ifndef PV_XEN_H
#define PV_XEN_H

#include <asm/percpu.h>
#include <asm/pvops.h>
#include <xen/xen.h>

/* The vCPU the domain builder starts the kernel on. */
#define XEN_BOOT_VCPU 0

_Static_assert(SMP_MAX_CPUS <= XEN_LEGACY_MAX_VCPUS, "every vCPU's vcpu_info is in shared_info");

extern start_info_t *xen_start_info;
extern shared_info_t *HYPERVISOR_shared_info;

/* The vcpu_info of the vCPU this code runs on (its upcall mask and pending
 * byte, its pvclock, its cr2): shared_info holds one per vCPU id. */
static inline struct vcpu_info *xen_vcpu(void)
{
    return &HYPERVISOR_shared_info->vcpu_info[smp_processor_id()];
}

/* pv/xen_console.c: console_io for dom0, the shared ring for a domU. */
void xen_console_write(const char *s, size_t len);
long xen_console_read(char *buf, size_t len);
void xen_console_init(void);            /* arch_setup(): map a domU's ring */
void xen_console_evtchn_reset(void);    /* evtchn_reset(): rebind its channel */
/* The ring protocol itself (out, then a send on port), for the self-test. */
struct xencons_interface;
bool xen_console_ring_write(struct xencons_interface *r, unsigned int port,
                            const char *s, size_t len);

/* pv/xen_cpu.c */
long xen_load_idt(const struct trap_gate *gates, size_t n);
long xen_set_entry(enum kernel_entry which, void (*entry)(void));
long xen_load_kernel_stack(unsigned long sp);
void xen_irq_disable(void);
void xen_irq_enable(void);
void xen_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r);
uint64_t xen_read_msr(uint32_t msr);
void xen_write_msr(uint32_t msr, uint64_t val);
long xen_set_segment_base(enum segment_base which, unsigned long base);
unsigned long xen_read_cr2(void);
unsigned long xen_read_cr3(void);
long xen_fpu_set_ts(int ts);

/* The trap table last loaded, by vector, as vcpu_guest_context.trap_ctxt. */
#define XEN_TRAP_CTXT_SLOTS 256
void xen_trap_ctxt(struct trap_info by_vector[XEN_TRAP_CTXT_SLOTS]);

/* pv/xen_smp.c: the initial state of another vCPU of this kernel. */
struct vcpu_guest_context;
void xen_vcpu_context(struct vcpu_guest_context *c, unsigned int cpu,
                      void (*entry)(unsigned long), unsigned long arg,
                      unsigned long stack_top);

/* pv/xen_mmu.c */
long xen_set_pte_at(unsigned long va, pte_t pte, int invlpg);
long xen_flush_tlb_local(void);
long xen_flush_tlb_one(unsigned long va);
long xen_load_cr3(unsigned long frame);
long xen_write_ptes(const struct pte_update *u, unsigned int n);
long xen_pin_table(unsigned int level, uint64_t mfn);
long xen_unpin_table(uint64_t mfn);
long xen_load_user_cr3(uint64_t mfn);
long xen_make_pagetable(unsigned int level, unsigned long va, uint64_t mfn);
long xen_release_pagetable(unsigned long va, uint64_t mfn);

/* pv/xen_time.c */
uint64_t xen_clock_ns(void);
/* The same, and the (even) vcpu_time_info.version the value came from. */
uint64_t xen_clock_ns_version(uint32_t *version);
void xen_wallclock(struct wall_time *wt);
long xen_set_timer(uint64_t deadline_ns);
long xen_timer_irq_bind(void (*fn)(void));
long xen_timer_irq_unbind(void);
long xen_safe_halt(void);
/* The calling vCPU's VIRQ_TIMER port while bound, else 0. */
unsigned int xen_timer_port(void);

/* pv/xen_p2m.c: the balloon changes the p2m. */
void xen_p2m_set(uint64_t pfn, uint64_t mfn);

/* pv/xen_domctl.c: what the hypervisor says of the first domain whose id
 * is >= first (XEN_DOMCTL_getdomaininfo; the privileged domain only).
 * 0 with *out filled (out->domain: the id found), -XEN_ESRCH when no
 * domain has an id >= first, or another -XEN_E*. */
struct xen_domctl_getdomaininfo;
long xen_getdomaininfo(domid_t first, struct xen_domctl_getdomaininfo *out);

#endif /* PV_XEN_H */
