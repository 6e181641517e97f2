/* SPDX-License-Identifier: MIT */
/*
 * tests/guests/hostile.h - what every hostile guest uses: the attack table,
 *                          typed hypercalls, page-table walking, a pool of
 *                          scratch pages, the reservation count.
 * Owns:    the list of attacks (HOSTILE_ATTACKS) and the hg_* helpers.
 * Touches: only hypercalls of the Xen 4.17 x86_64 PV ABI, so that the same
 *          test image answers the same way on Xen and on pvisor.
 *
 * An attack is `const char *hostile_<name>(void)`: it returns NULL when the
 * hypervisor gave exactly Xen 4.17's answer and nothing else changed, or the
 * reason it did not (st_fail()). hostile_run() prints the verdict
 * `hostile: <name>: PASS` / `hostile: <name>: FAIL (<why>)` and checks that
 * XENMEM_current_reservation is back where it started.
 *
 * These helpers call the hypervisor directly (hypercall5()) rather than
 * through pv_ops or the HYPERVISOR_*() wrappers: the point is to send it
 * exactly the bad arguments (a count past 32 bits' sign, say). The kernel's
 * memory API (<mm.h>, through <testapi.h>) translates frames; the scratch
 * pages come from mm_alloc_pfn() and are mapped only in the direct map.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <testapi.h>
#include <selftest.h>
#include <xen/memory.h>
#include <xen/event_channel.h>

/* X(name): one line per attack, in the order of tests/guests/meson.build. */
#define HOSTILE_ATTACKS(X)                              \
    X(map_pagetable_writable_mmu_update)            \
    X(map_pagetable_writable_update_va_mapping)     \
    X(map_foreign_frame)                            \
    X(map_hypervisor_frame)                         \
    X(map_frame_beyond_ram)                         \
    X(map_interrupt_controller)                     \
    X(l4_entry_in_hypervisor_slot)                  \
    X(pin_writable_frame)                           \
    X(pin_table_twice)                              \
    X(unpin_table_in_use_as_cr3)                    \
    X(decrease_reservation_mapped_frame)            \
    X(decrease_reservation_pagetable_frame)         \
    X(mmu_update_batch_bad_middle)                  \
    X(mmu_update_fast_batch)                        \
    X(multicall_failing_entry)                      \
    X(mmu_update_bad_args)                          \
    X(update_va_mapping_bad_args)                   \
    X(mmuext_op_bad_args)                           \
    X(memory_op_bad_args)                           \
    X(multicall_bad_args)                           \
    X(tlb_stale_after_frame_reuse)                  \
    X(exchange_duplicate_frames)                    \
    X(exchange_output_list_readonly)                \
    X(exchange_huge_count)                          \
    X(evtchn_bad_ports)                             \
    X(evtchn_bad_bind)                              \
    X(evtchn_bad_pointers)                          \
    X(evtchn_port_limit)                            \
    X(vcpu_op_bad_args)                             \
    X(set_timer_op_bad_args)                        \
    X(sched_op_block_poll)                          \
    X(evtchn_fifo_bad_args)                         \
    X(domctl_bad_args)                              \
    X(domctl_lifecycle)                             \
    X(domctl_create_bad_args)                       \
    X(domctl_create_destroy_many)                   \
    X(domctl_run_domain)                            \
    X(domctl_zombie)                                \
    X(domctl_from_domu)                             \
    X(vcpu_initialise_bad_ctx)                      \
    X(map_device_memory)                            \
    X(m2p_of_released_frame)                        \
    X(swint_error_codes)                            \
    X(multicall_iret)                               \
    X(viopl_cli_sti_ports)                          \
    X(viopl_iobitmap)                               \
    X(viopl_user_mode)                              \
    X(viopl_architectural_iopl)                     \
    X(viopl_vcpu_initialise)                        \
    X(physdev_bad_args)                             \
    X(linear_page_tables)                           \
    X(iret_16bit_stack_segment)                     \
    X(descriptor_table_reads)                       \
    X(ldt_set_bad_args)                             \
    X(ldt_descriptors)                              \
    X(segment_fault_codes)                          \
    X(iret_bad_segments)                            \
    X(debugreg_bad_values)                          \
    X(debugreg_breakpoints)                         \
    X(debugreg_movss)                               \
    X(debugreg_vcpu_initialise)                 \
    X(mce_msrs)                                 \
    X(gnttab_table_ops)                         \
    X(gnttab_map_unmap)                         \
    X(gnttab_copy)                              \
    X(gnttab_contains_pte)                      \
    X(gnttab_unmap_replace)                     \
    X(gnttab_map_limits)                        \
    X(gnttab_pte_granter)                       \
    X(gnttab_pte_keeper)                        \
    X(gnttab_pin_stress)                        \
    X(sysctl_bad_args)                          \
    X(sysctl_readconsole)                       \
    X(foreign_ops)                              \
    X(foreign_target)                           \
    X(hypercall_registers)                      \
    X(hypercall_numbers)                        \
    X(freed_frames_scrubbed)                    \
    X(boot_ram_scrubbed)

#define HOSTILE_DECLARE(name) const char *hostile_##name(void);
HOSTILE_ATTACKS(HOSTILE_DECLARE)
#undef HOSTILE_DECLARE

/* Entry point from the test image's start_kernel(): 0 when the attack passed. */
int hostile_run(const char *name);

/* ---- hypercalls, exactly as the ABI has them ---------------------------- */

static inline long hg_mmu_update(const struct mmu_update *req, unsigned long count,
                                 unsigned int *done, unsigned long foreigndom)
{
    return hypercall5(__HYPERVISOR_mmu_update, (unsigned long)req, count,
                      (unsigned long)done, foreigndom, 0);
}

static inline long hg_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
    return hypercall5(__HYPERVISOR_update_va_mapping, va, pte, flags, 0, 0);
}

static inline long hg_mmuext_op(const struct mmuext_op *ops, unsigned long count,
                                unsigned int *done, unsigned long foreigndom)
{
    return hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)ops, count,
                      (unsigned long)done, foreigndom, 0);
}

static inline long hg_memory_op(unsigned long cmd, void *arg)
{
    return hypercall5(__HYPERVISOR_memory_op, cmd, (unsigned long)arg, 0, 0, 0);
}

/* A reservation sub-op (cmd may carry a restart extent) of our own memory. */
static inline long hg_reservation_op(unsigned long cmd, xen_pfn_t *list,
                                     unsigned long nr, unsigned int order)
{
    struct xen_memory_reservation r = {
        .nr_extents = nr, .extent_order = order, .domid = DOMID_SELF,
    };

    set_xen_guest_handle(r.extent_start, list);
    return hg_memory_op(cmd, &r);
}

static inline long hg_event_channel_op(unsigned long cmd, void *arg)
{
    return hypercall5(__HYPERVISOR_event_channel_op, cmd, (unsigned long)arg, 0, 0, 0);
}

static inline long hg_vcpu_op(unsigned long cmd, unsigned long vcpuid, void *arg)
{
    return hypercall5(__HYPERVISOR_vcpu_op, cmd, vcpuid, (unsigned long)arg, 0, 0);
}

/* The 64-bit ABI passes the absolute deadline (system time, ns) whole. */
static inline long hg_set_timer_op(uint64_t timeout)
{
    return hypercall5(__HYPERVISOR_set_timer_op, timeout, 0, 0, 0, 0);
}

static inline long hg_sched_op(unsigned long cmd, void *arg)
{
    return hypercall5(__HYPERVISOR_sched_op, cmd, (unsigned long)arg, 0, 0, 0);
}

/*
 * A secondary vCPU's last stop: block for ever with events masked (until
 * vCPU 0 takes it down); SCHEDOP_block unmasks them, so a stray upcall
 * comes back here through the vCPU's callback.
 */
void hg_vcpu_block_forever(unsigned int id) __attribute__((noreturn));
/*
 * A vCPU context that is right in every field: kernel mode on our own L4,
 * entry(arg) on the stack ending at stack_top, every callback `callback`.
 */
void hg_vcpu_context(struct vcpu_guest_context *c, void (*entry)(void),
                     uint64_t stack_top, uint64_t arg, void (*callback)(void));

static inline long hg_multicall(struct multicall_entry *calls, unsigned long nr)
{
    return hypercall5(__HYPERVISOR_multicall, (unsigned long)calls, nr, 0, 0, 0);
}

/* op is a struct xen_domctl (xen/domctl.h, toolstack-only). */
static inline long hg_domctl(void *op)
{
    return hypercall5(__HYPERVISOR_domctl, (unsigned long)op, 0, 0, 0, 0);
}

/* One MMUEXT op on a frame (pin, unpin, new baseptr...). */
long hg_mmuext1(unsigned int cmd, unsigned long mfn);

/* ---- addresses ---------------------------------------------------------- */

#define HG_PTE_FLAGS  (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define HG_ADDR_MASK  0x000ffffffffff000UL      /* PTE bits 51:12 */
#define HG_L4_HV_FIRST 256                      /* Xen's L4 slots 256-271 */
#define HG_L4_HV_LAST  271
/* Bad guest pointers: nothing is mapped in the low 4 GiB (ST_UNMAPPED_VA),
 * and the hypervisor's own range is never a guest buffer. */
#define HG_BAD_PTR     ((void *)ST_UNMAPPED_VA)
#define HG_XEN_PTR     ((void *)0xffff830000000000UL)

static inline uint64_t hg_pte_mfn(uint64_t pte) { return (pte & HG_ADDR_MASK) >> PAGE_SHIFT; }

unsigned long hg_read_cr3(void);
/* The pfn of a frame of ours, or ~0UL (mfn_to_pfn()). */
unsigned long hg_mfn_to_pfn(unsigned long mfn);
/* The machine frame behind a mapped kernel VA. */
unsigned long hg_virt_to_mfn(const void *va);
/* Our mapping of one of our frames (the direct map), or NULL. */
void *hg_mfn_to_virt(unsigned long mfn);

/*
 * Walk the live page tables (cr3) for va down to `level` (4 = L4 ... 1 = L1).
 * Returns a pointer to the entry (read-only for us) and, in *table_mfn, the
 * frame of the table holding it; NULL if a table above is not present.
 */
uint64_t *hg_walk(unsigned long va, int level, unsigned long *table_mfn);
/* The machine address of va's L1 entry (for mmu_update's ptr), or 0. */
uint64_t hg_pte_maddr(unsigned long va);
/* va's L1 entry, or 0 if not mapped by an L1. */
uint64_t hg_read_pte(unsigned long va);

/* ---- scratch pages ------------------------------------------------------ */

#define HG_POOL_PAGES 8
/* Scratch page i (mm_alloc_pfn(), hostile_run() takes them before the
 * attack): mapped writable, only in the direct map, zeroed. */
void *hg_page(unsigned int i);
/* Remap one of our pages read-only / writable again (update_va_mapping). */
long hg_set_readonly(void *va);
long hg_set_writable(void *va);

/* ---- many cases in one attack ----------------------------------------- */

/*
 * An attack on one hypercall's argument checks tries many bad arguments;
 * each is a case: it prints `hostile:   <label>: <got> (want <want>)` and a
 * mismatch is remembered. hg_cases_verdict() gives NULL or the first
 * mismatch (and how many there were).
 */
struct hg_cases {
    unsigned int run, failed;
    char first[160];
};
void hg_case(struct hg_cases *c, const char *label, long got, long want);
const char *hg_cases_verdict(struct hg_cases *c);

/*
 * For "count past the end" attacks: unmap a scratch page (not page 0) whose
 * VA follows another scratch page's, and return the last `bytes` of that
 * other page, so that a list placed there is followed by a hole.
 * hg_hole_close() maps the page back. NULL on failure.
 */
void *hg_hole_open(size_t bytes);
long hg_hole_close(void);

/* ---- accounting --------------------------------------------------------- */

long hg_current_reservation(void);

#endif /* HOSTILE_H */
