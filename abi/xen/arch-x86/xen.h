/* SPDX-License-Identifier: MIT */
/*
 * xen/arch-x86/xen.h - x86 part of the core ABI: guest handles, xen_pfn_t,
 *             xen_ulong_t, trap_info, vcpu_guest_context, arch_shared_info,
 *             the forced-emulation prefix.
 * Mirrors: Xen 4.17 public/arch-x86/xen.h, x86_64 only (no 32-bit or compat).
 * Owns:    XEN_GUEST_HANDLE and friends; included by xen/xen.h, never alone
 *          in practice (it pulls xen/xen.h in first if needed, as Xen's does).
 * Touches: nothing; declarations only.
 */
#include "../xen.h"

#ifndef __XEN_PUBLIC_ARCH_X86_XEN_H__
#define __XEN_PUBLIC_ARCH_X86_XEN_H__

#if !defined(__x86_64__)
#error "pvisor abi/ is x86_64 only"
#endif

/*
 * Guest handles: a guest pointer stored in an ABI struct (XEN_GUEST_HANDLE)
 * or passed as a hypercall argument (XEN_GUEST_HANDLE_PARAM; the same on
 * x86). The hypervisor (__XEN__) sees a struct wrapping the pointer, so it
 * cannot be dereferenced by mistake; a guest sees the plain pointer. Both
 * are 8 bytes with 8-byte alignment. Set one with set_xen_guest_handle().
 */
#ifdef __XEN__
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef struct { type *p; } __guest_handle_ ## name
#define set_xen_guest_handle_raw(hnd, val)  do { (hnd).p = (val); } while (0)
#else
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef type * __guest_handle_ ## name
#define set_xen_guest_handle_raw(hnd, val)  do { (hnd) = (val); } while (0)
#endif
/* Defines the handle for `type` and for `const type` (const_<name>). */
#define __DEFINE_XEN_GUEST_HANDLE(name, type) \
    ___DEFINE_XEN_GUEST_HANDLE(name, type);   \
    ___DEFINE_XEN_GUEST_HANDLE(const_##name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name)   __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)        __guest_handle_ ## name
#define XEN_GUEST_HANDLE(name)          __XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_PARAM(name)    XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle(hnd, val)  set_xen_guest_handle_raw(hnd, val)

#include "xen-x86_64.h"

#ifndef __ASSEMBLY__
typedef unsigned long xen_pfn_t;        /* a frame number (PFN, MFN or GFN) */
#define PRI_xen_pfn  "lx"
#define PRIu_xen_pfn "lu"
#endif

/* This architecture has PV guests (start_info) and the per-vCPU mask. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/*
 * set_gdt(frames, entries): the hypervisor owns GDT page 14 and up (the
 * FLAT_* selectors live there), so a guest GDT has at most 14 pages.
 */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* vcpu_info slots in shared_info; more vCPUs register their own. */
#define XEN_LEGACY_MAX_VCPUS 32

/* vcpu_guest_context.flags */
#define VGCF_I387_VALID                (1 << 0)
#define VGCF_IN_KERNEL                 (1 << 2)
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)  /* fpu_ctxt */
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)   /* kernel mode */
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)      /* vCPU is up */

/*
 * Forced emulation: a guest runs CPUID (and a few more) through the
 * hypervisor's emulator by prefixing it with ud2a; .ascii "xen".
 */
#ifdef __ASSEMBLY__
#define XEN_EMULATE_PREFIX .byte 0x0f,0x0b,0x78,0x65,0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

#ifndef __ASSEMBLY__

typedef unsigned long xen_ulong_t;      /* a register-sized ABI word */
#define PRI_xen_ulong "lx"

/*
 * set_trap_table(traps): one entry per vector, the list ends at an entry
 * with address 0. flags[1:0] is the DPL a software `int` needs (0: none,
 * 1-2: kernel, 3: anyone); flags[2] set masks events on entry (an
 * interrupt gate).
 */
#define TI_GET_DPL(_ti)       ((_ti)->flags & 3)
#define TI_GET_IF(_ti)        ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)   ((_ti)->flags |= ((!!(_if)) << 2))
struct trap_info {
    uint8_t  vector;    /* exception or interrupt vector */
    uint8_t  flags;     /* DPL and IF, above */
    uint16_t cs;        /* code selector of the handler */
    uint64_t address;   /* handler address; 0 ends the list */
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);

typedef uint64_t tsc_timestamp_t;       /* an RDTSC value */

/*
 * A vCPU's whole state, as VCPUOP_initialise takes it and the domain
 * builder sets it. The user page table (NEW_USER_BASEPTR) is ctrlreg[1].
 */
struct vcpu_guest_context {
    struct { char x[512]; } fpu_ctxt;   /* FXSAVE image, first for alignment */
    uint64_t flags;                     /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];    /* the virtual IDT */
    uint64_t ldt_base, ldt_ents;        /* LDT linear address, entries */
    uint64_t gdt_frames[16], gdt_ents;  /* GDT frames, entries */
    uint64_t kernel_ss, kernel_sp;      /* stack for entering the kernel */
    uint64_t ctrlreg[8];                /* cr0..cr7 (cr3 as xen_pfn_to_cr3) */
    uint64_t debugreg[8];               /* dr0..dr7 */
    uint64_t event_callback_eip;        /* event upcall entry */
    uint64_t failsafe_callback_eip;     /* bad-segment-on-return entry */
    uint64_t syscall_callback_eip;      /* user-mode syscall entry */
    uint64_t vm_assist;                 /* bitmap of VMASST_TYPE_* enabled */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);

/* The arch part of shared_info: where tools find the guest's p2m. */
struct arch_shared_info {
    uint64_t  max_pfn;                    /* p2m entries in use */
    xen_pfn_t pfn_to_mfn_frame_list_list; /* 3-level p2m tree root, 0/~0 */
    uint64_t  nmi_reason;                 /* XEN_NMIREASON_* bits */
    uint64_t  p2m_cr3;                    /* address space of p2m_vaddr */
    uint64_t  p2m_vaddr;                  /* VA of the linear p2m list */
    uint64_t  p2m_generation;             /* odd while the guest edits p2m */
};
typedef struct arch_shared_info arch_shared_info_t;

#endif /* !__ASSEMBLY__ */

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/*
 * The x86 part of a domain's configuration, as XEN_DOMCTL_createdomain
 * takes it and XEN_DOMCTL_getdomaininfo reports it (toolstack only; its
 * layout is versioned by XEN_DOMCTL_INTERFACE_VERSION). emulation_flags
 * says which devices the hypervisor emulates for the domain.
 */
#define XEN_X86_EMU_LAPIC     (1U << 0)
#define XEN_X86_EMU_HPET      (1U << 1)
#define XEN_X86_EMU_PM        (1U << 2)
#define XEN_X86_EMU_RTC       (1U << 3)
#define XEN_X86_EMU_IOAPIC    (1U << 4)
#define XEN_X86_EMU_PIC       (1U << 5)
#define XEN_X86_EMU_VGA       (1U << 6)
#define XEN_X86_EMU_IOMMU     (1U << 7)
#define XEN_X86_EMU_PIT       (1U << 8)
#define XEN_X86_EMU_USE_PIRQ  (1U << 9)
#define XEN_X86_EMU_VPCI      (1U << 10)
#define XEN_X86_EMU_ALL       0x7ffU      /* every bit above */
/* misc_flags: unhandled MSRs read as 0 / ignore writes instead of #GP. */
#define XEN_X86_MSR_RELAXED   (1U << 0)

#ifndef __ASSEMBLY__
struct xen_arch_domainconfig {
    uint32_t emulation_flags;   /* XEN_X86_EMU_* */
    uint32_t misc_flags;        /* XEN_X86_MSR_RELAXED */
};
_Static_assert(sizeof(struct xen_arch_domainconfig) == 8, "xen_arch_domainconfig");
#endif
#endif /* __XEN__ || __XEN_TOOLS__ */

#ifndef __ASSEMBLY__

_Static_assert(sizeof(xen_pfn_t) == 8 && sizeof(xen_ulong_t) == 8, "LP64");
_Static_assert(sizeof(struct trap_info) == 16, "trap_info");
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 520, "regs");
_Static_assert(offsetof(struct vcpu_guest_context, trap_ctxt) == 720, "traps");
_Static_assert(offsetof(struct vcpu_guest_context, ctrlreg) == 4984, "cr");
_Static_assert(offsetof(struct vcpu_guest_context, event_callback_eip) == 5112,
               "event_callback_eip");
_Static_assert(offsetof(struct vcpu_guest_context, fs_base) == 5144, "fs_base");
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_ARCH_X86_XEN_H__ */
