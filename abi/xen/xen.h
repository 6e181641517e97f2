/* SPDX-License-Identifier: MIT */
/*
 * xen/xen.h - the core of the guest ABI: hypercall numbers, VIRQs, the MMU
 *             update and extended ops, DOMID_*, shared_info, vcpu_info,
 *             start_info and the multicall entry.
 * Mirrors: Xen 4.17 public/xen.h and public/xen-compat.h, x86_64 only.
 * Owns:    the interface version and the guest-handle macros (through
 *          arch-x86/xen.h), every name below.
 * Touches: nothing; declarations only. Freestanding: needs <stdint.h> and
 *          <stddef.h>. Usable from assembly with -D__ASSEMBLY__.
 * Views:   __XEN__ defined = the hypervisor's view (guest handles are
 *          structs); otherwise a guest's view (guest handles are pointers).
 *          Both views have the same layout; tests/abi checks both.
 */
#ifndef __XEN_PUBLIC_XEN_H__
#define __XEN_PUBLIC_XEN_H__

/*
 * Interface version. Xen 4.17 speaks 0x00040e00. Xen gives guests that do
 * not ask for a version the legacy interface; pvisor only describes the
 * latest one, so that is the default and nothing older is accepted.
 */
#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#endif
#if __XEN_INTERFACE_VERSION__ != __XEN_LATEST_INTERFACE_VERSION__
#error "pvisor abi/ describes only the Xen 4.17 interface (0x00040e00)"
#endif

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stddef.h>
#endif

#include "arch-x86/xen.h"

#ifndef __ASSEMBLY__
/* Guest handles for the primitive types (handles for structs sit by them). */
DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* Dimension of a trailing variable-length array (C99 flexible member). */
#define XEN_FLEX_ARRAY_DIM

/* Give a literal an unsigned (long (long)) suffix; plain in assembly. */
#define __xen_mk_uint(x)  x ## U
#define __xen_mk_ulong(x) x ## UL
#ifndef __xen_mk_ullong
#define __xen_mk_ullong(x) x ## ULL
#endif
#define xen_mk_uint(x)    __xen_mk_uint(x)
#define xen_mk_ulong(x)   __xen_mk_ulong(x)
#define xen_mk_ullong(x)  __xen_mk_ullong(x)
#else
#define xen_mk_uint(x)    x
#define xen_mk_ulong(x)   x
#define xen_mk_ullong(x)  x
#endif /* !__ASSEMBLY__ */

/*
 * Hypercall numbers: the index into the hypercall page (one 32-byte stub
 * each) and the value of %rax at `syscall`. Arguments in %rdi, %rsi, %rdx,
 * %r10, %r8; result in %rax.
 */
#define __HYPERVISOR_set_trap_table          0
#define __HYPERVISOR_mmu_update              1
#define __HYPERVISOR_set_gdt                 2
#define __HYPERVISOR_stack_switch            3
#define __HYPERVISOR_set_callbacks           4
#define __HYPERVISOR_fpu_taskswitch          5
#define __HYPERVISOR_sched_op_compat         6  /* superseded by 29 */
#define __HYPERVISOR_platform_op             7
#define __HYPERVISOR_set_debugreg            8
#define __HYPERVISOR_get_debugreg            9
#define __HYPERVISOR_update_descriptor      10
/* 11 is unassigned */
#define __HYPERVISOR_memory_op              12
#define __HYPERVISOR_multicall              13
#define __HYPERVISOR_update_va_mapping      14
#define __HYPERVISOR_set_timer_op           15
#define __HYPERVISOR_event_channel_op_compat 16 /* superseded by 32 */
#define __HYPERVISOR_xen_version            17
#define __HYPERVISOR_console_io             18
#define __HYPERVISOR_physdev_op_compat      19  /* superseded by 33 */
#define __HYPERVISOR_grant_table_op         20
#define __HYPERVISOR_vm_assist              21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret                   23
#define __HYPERVISOR_vcpu_op                24
#define __HYPERVISOR_set_segment_base       25
#define __HYPERVISOR_mmuext_op              26
#define __HYPERVISOR_xsm_op                 27
#define __HYPERVISOR_nmi_op                 28
#define __HYPERVISOR_sched_op               29
#define __HYPERVISOR_callback_op            30
#define __HYPERVISOR_xenoprof_op            31
#define __HYPERVISOR_event_channel_op       32
#define __HYPERVISOR_physdev_op             33
#define __HYPERVISOR_hvm_op                 34
#define __HYPERVISOR_sysctl                 35
#define __HYPERVISOR_domctl                 36
#define __HYPERVISOR_kexec_op               37
#define __HYPERVISOR_tmem_op                38
#define __HYPERVISOR_argo_op                39
#define __HYPERVISOR_xenpmu_op              40
#define __HYPERVISOR_dm_op                  41
#define __HYPERVISOR_hypfs_op               42
/* 43..47 are unassigned; 48..55 are left to each architecture. */
#define __HYPERVISOR_arch_0                 48
#define __HYPERVISOR_arch_1                 49
#define __HYPERVISOR_arch_2                 50
#define __HYPERVISOR_arch_3                 51
#define __HYPERVISOR_arch_4                 52
#define __HYPERVISOR_arch_5                 53
#define __HYPERVISOR_arch_6                 54
#define __HYPERVISOR_arch_7                 55

/* pvisor: one past the highest number Xen assigns (sizes dispatch tables). */
#define PVISOR_NR_HYPERCALLS       (__HYPERVISOR_arch_7 + 1)
/* pvisor: bytes per stub in the hypercall page (the page holds 128). */
#define PVISOR_HYPERCALL_STUB_SIZE 32

/*
 * Virtual interrupts, bound to ports with EVTCHNOP_bind_virq. Per-vCPU ones
 * (TIMER, DEBUG, XENOPROF, XENPMU) are bound once per vCPU; the others are
 * global, bound once per domain (first on vCPU 0).
 */
#define VIRQ_TIMER       0  /* per vCPU: timer fired or timebase moved */
#define VIRQ_DEBUG       1  /* per vCPU: please dump debug state */
#define VIRQ_CONSOLE     2  /* dom0: input on the hypervisor console */
#define VIRQ_DOM_EXC     3  /* dom0: some domain crashed or shut down */
#define VIRQ_TBUF        4  /* dom0: trace records available */
#define VIRQ_DEBUGGER    6  /* dom0: a domain paused for a debugger */
#define VIRQ_XENOPROF    7  /* per vCPU: profiling sample */
#define VIRQ_CON_RING    8  /* dom0: hypervisor console ring has data */
#define VIRQ_PCPU_STATE  9  /* dom0: a physical CPU changed state */
#define VIRQ_MEM_EVENT  10  /* dom0: memory event */
#define VIRQ_ARGO       11  /* Argo message */
#define VIRQ_ENOMEM     12  /* dom0: hypervisor heap is low */
#define VIRQ_XENPMU     13  /* per vCPU: performance counter interrupt */
#define VIRQ_ARCH_0     16
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/*
 * mmu_update(reqs, count, done, foreigndom): each request's ptr[1:0] picks
 * the command, the rest of ptr is a machine address. foreigndom[15:0] is
 * the owner of the frames mapped (DOMID_SELF: the caller);
 * foreigndom[31:16] is the owner of the page tables plus one (0: caller).
 */
#define MMU_NORMAL_PT_UPDATE       0 /* validated *ptr = val (ptr = PTE MA) */
#define MMU_MACHPHYS_UPDATE        1 /* M2P[frame of ptr] = val */
#define MMU_PT_UPDATE_PRESERVE_AD  2 /* as 0, keeping the old A and D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3 /* as 0, val's frame never translated */

/* mmuext_op(ops, count, done, foreigndom) commands; argument in brackets. */
#define MMUEXT_PIN_L1_TABLE        0  /* [mfn] validate and pin as an L1 */
#define MMUEXT_PIN_L2_TABLE        1  /* [mfn] ... as an L2 */
#define MMUEXT_PIN_L3_TABLE        2  /* [mfn] ... as an L3 */
#define MMUEXT_PIN_L4_TABLE        3  /* [mfn] ... as an L4 */
#define MMUEXT_UNPIN_TABLE         4  /* [mfn] drop the pin (any level) */
#define MMUEXT_NEW_BASEPTR         5  /* [mfn] kernel-mode cr3 */
#define MMUEXT_TLB_FLUSH_LOCAL     6  /* flush this vCPU's TLB */
#define MMUEXT_INVLPG_LOCAL        7  /* [linear_addr] on this vCPU */
#define MMUEXT_TLB_FLUSH_MULTI     8  /* [vcpumask] */
#define MMUEXT_INVLPG_MULTI        9  /* [linear_addr, vcpumask] */
#define MMUEXT_TLB_FLUSH_ALL      10  /* every vCPU of the domain */
#define MMUEXT_INVLPG_ALL         11  /* [linear_addr] every vCPU */
#define MMUEXT_FLUSH_CACHE        12  /* wbinvd on this CPU */
#define MMUEXT_SET_LDT            13  /* [linear_addr, nr_ents] */
#define MMUEXT_NEW_USER_BASEPTR   15  /* [mfn] user-mode cr3 (x86_64) */
#define MMUEXT_CLEAR_PAGE         16  /* [mfn] zero a frame */
#define MMUEXT_COPY_PAGE          17  /* [mfn = dst, src_mfn] */
#define MMUEXT_FLUSH_CACHE_GLOBAL 18  /* wbinvd on every CPU */
#define MMUEXT_MARK_SUPER         19  /* [mfn] superpage head (obsolete) */
#define MMUEXT_UNMARK_SUPER       20  /* [mfn] (obsolete) */

/* update_va_mapping(va, pte, flags): low two bits pick the flush. */
#define UVMF_NONE           (xen_mk_ulong(0) << 0) /* no flush */
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0) /* whole TLB */
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0) /* just va */
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0)
/* Bit 2 picks whose TLBs; UVMF_MULTI is ORed with a vCPU-bitmap pointer. */
#define UVMF_MULTI          (xen_mk_ulong(0) << 2)
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2)
#define UVMF_ALL            (xen_mk_ulong(1) << 2)

/* console_io(cmd, count, buffer) */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/* vm_assist(cmd, type) */
#define VMASST_CMD_enable                0
#define VMASST_CMD_disable               1
#define VMASST_TYPE_4gb_segments         0  /* 32-bit only */
#define VMASST_TYPE_4gb_segments_notify  1  /* 32-bit only */
#define VMASST_TYPE_writable_pagetables  2  /* trap-and-validate L1 writes */
#define VMASST_TYPE_pae_extended_cr3     3  /* 32-bit PAE only */
#define VMASST_TYPE_architectural_iopl   4  /* iret/bounce carry virtual IOPL */
#define VMASST_TYPE_runstate_update_flag 5  /* XEN_RUNSTATE_UPDATE in use */
#define VMASST_TYPE_m2p_strict          32  /* hide the M2P from user mode */

/* Domain ids from 0x7FF0 up are special. */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF           xen_mk_uint(0x7FF0) /* the caller */
#define DOMID_IO             xen_mk_uint(0x7FF1) /* owner of I/O memory */
#define DOMID_XEN            xen_mk_uint(0x7FF2) /* owner of Xen's frames */
#define DOMID_COW            xen_mk_uint(0x7FF3) /* owner of shared frames */
#define DOMID_INVALID        xen_mk_uint(0x7FF4) /* owner unknown */
#define DOMID_IDLE           xen_mk_uint(0x7FFF) /* the idle domain */
#define DOMID_MASK           xen_mk_uint(0x7FFF)

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0)    /* may use privileged hypercalls */
#define SIF_INITDOMAIN      (1 << 1)    /* this is dom0 */
#define SIF_MULTIBOOT_MOD   (1 << 2)    /* the module is a module list */
#define SIF_MOD_START_PFN   (1 << 3)    /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)    /* tools read the linear p2m list */
#define SIF_PM_MASK         (0xFF << 8) /* reserved for power management */

/* Size of start_info.cmd_line, NUL included. */
#define MAX_GUEST_CMDLINE 1024

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0) /* TSC is synchronised */
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1) /* vCPU was paused */

/* dom0_vga_console_info.video_type */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70

#ifndef __ASSEMBLY__

typedef uint16_t domid_t;

/* One mmu_update request. */
struct mmu_update {
    uint64_t ptr;       /* machine address | MMU_* command in bits 1:0 */
    uint64_t val;       /* new PTE, or the PFN for MMU_MACHPHYS_UPDATE */
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);

/* One mmuext_op request; which union member counts depends on cmd. */
struct mmuext_op {
    uint32_t cmd;                           /* MMUEXT_* */
    union {
        xen_pfn_t mfn;                      /* pin/unpin, baseptrs, pages */
        uint64_t  linear_addr;              /* INVLPG_*, SET_LDT */
    } arg1;
    union {
        uint32_t nr_ents;                   /* SET_LDT */
        XEN_GUEST_HANDLE(const_void) vcpumask; /* *_MULTI */
        xen_pfn_t src_mfn;                  /* COPY_PAGE */
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);

/* One multicall entry: op and args in, result (the hypercall's rax) out. */
struct multicall_entry {
    xen_ulong_t op;
    xen_ulong_t result;
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

/*
 * Per-vCPU pvclock. Readers retry while version is odd or changed:
 * now = system_time + (((tsc - tsc_timestamp) << tsc_shift)
 *                      * tsc_to_system_mul) >> 32   (negative shift = >>)
 */
struct vcpu_time_info {
    uint32_t version;            /* odd while the hypervisor updates */
    uint32_t pad0;
    uint64_t tsc_timestamp;      /* TSC when the fields were last set */
    uint64_t system_time;        /* ns since boot at tsc_timestamp */
    uint32_t tsc_to_system_mul;  /* 32.32 fixed-point ns per (shifted) tick */
    int8_t   tsc_shift;
    uint8_t  flags;              /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

/* Per-vCPU shared state: the virtual interrupt flag lives here. */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;  /* set by Xen, cleared by the guest */
    uint8_t evtchn_upcall_mask;     /* non-zero: no upcalls (virtual cli) */
    xen_ulong_t evtchn_pending_sel; /* which evtchn_pending words to scan */
    struct arch_vcpu_info arch;
    vcpu_time_info_t time;
};
typedef struct vcpu_info vcpu_info_t;

/* The shared_info page (the structure is smaller than the page). */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    /* 2-level event channels: one bit per port. */
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
    /* Wallclock at system time 0, seqlock'ed by wc_version like pvclock. */
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
    struct arch_shared_info arch;
};
#define xen_wc_sec_hi wc_sec_hi
typedef struct shared_info shared_info_t;

/*
 * start_info: a pointer to it is in %rsi when a PV guest starts. Addresses
 * are guest-virtual unless marked MACHINE; for a PV guest, "machine" frame
 * numbers are what the p2m (mfn_list) maps PFNs to.
 */
struct start_info {
    char magic[32];             /* "xen-<version>-<platform>" */
    uint64_t nr_pages;          /* pages the domain owns */
    uint64_t shared_info;       /* MACHINE address of shared_info */
    uint32_t flags;             /* SIF_* */
    xen_pfn_t store_mfn;        /* MACHINE frame of the xenstore ring */
    uint32_t store_evtchn;      /* its event channel */
    union {
        struct {
            xen_pfn_t mfn;      /* MACHINE frame of the console ring */
            uint32_t evtchn;    /* its event channel */
        } domU;
        struct {
            uint32_t info_off;  /* offset of dom0_vga_console_info here */
            uint32_t info_size; /* its size */
        } dom0;
    } console;
    /* The rest is set on first boot only, not on resume. */
    uint64_t pt_base;           /* VA of the initial L4 */
    uint64_t nr_pt_frames;      /* frames of initial page tables */
    uint64_t mfn_list;          /* VA of the p2m array (PFN -> MFN) */
    uint64_t mod_start;         /* VA (or PFN, see SIF_MOD_START_PFN) */
    uint64_t mod_len;           /* bytes of the module (initrd) */
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    uint64_t first_p2m_pfn;     /* first PFN of the initial p2m frames */
    uint64_t nr_p2m_frames;     /* how many */
};
typedef struct start_info start_info_t;

/* One entry of a SIF_MULTIBOOT_MOD module list; ends at mod_start == 0. */
struct xen_multiboot_mod_list {
    uint32_t mod_start;  /* offset of the module's first byte */
    uint32_t mod_end;    /* offset of its last byte (inclusive) */
    uint32_t cmdline;    /* offset of its NUL-terminated command line */
    uint32_t pad;        /* zero */
};

/* dom0's boot console, at start_info.console.dom0.info_off. */
typedef struct dom0_vga_console_info {
    uint8_t video_type;                 /* XEN_VGATYPE_* */
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;     /* pixels */
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;          /* low 32 bits of the LFB address */
            uint32_t lfb_size;          /* in 64 KiB units */
            uint8_t  red_pos, red_size;
            uint8_t  green_pos, green_size;
            uint8_t  blue_pos, blue_size;
            uint8_t  rsvd_pos, rsvd_size;
            uint32_t gbl_caps;          /* VBE capabilities */
            uint16_t mode_attrs;        /* VBE mode attributes */
            uint16_t pad;
            uint32_t ext_lfb_base;      /* high 32 bits of the LFB address */
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;
#define xen_vga_console_info   dom0_vga_console_info
#define xen_vga_console_info_t dom0_vga_console_info_t

typedef uint8_t xen_domain_handle_t[16];   /* a domain's UUID */

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

__DEFINE_XEN_GUEST_HANDLE(uint8,  uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/*
 * Toolstack-only helpers shared by domctl.h and sysctl.h: their 64-bit
 * fields and handles are naturally 8 bytes on x86_64, so these are plain
 * names here; a bitmap of CPUs or nodes passed by reference.
 */
#ifndef int64_aligned_t
#define int64_aligned_t int64_t
#endif
#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t
#endif
#ifndef XEN_GUEST_HANDLE_64
#define XEN_GUEST_HANDLE_64(name) XEN_GUEST_HANDLE(name)
#endif
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8) bitmap;  /* nr_bits bits, LSB first */
    uint32_t nr_bits;
};
typedef struct xenctl_bitmap xenctl_bitmap_t;
#endif /* __XEN__ || __XEN_TOOLS__ */

/*
 * pvisor: the e820 entry XENMEM_memory_map and XENMEM_machine_memory_map
 * fill in (Xen uses the BIOS layout without naming it in public/).
 */
struct pvisor_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;               /* PVISOR_E820_* */
} __attribute__((packed));
#define PVISOR_E820_RAM      1
#define PVISOR_E820_RESERVED 2

_Static_assert(sizeof(XEN_GUEST_HANDLE(void)) == 8, "guest handle size");
_Static_assert(_Alignof(XEN_GUEST_HANDLE(void)) == 8, "guest handle align");
_Static_assert(sizeof(domid_t) == 2, "domid_t");
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update");
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op");
_Static_assert(offsetof(struct mmuext_op, arg2) == 16, "mmuext_op.arg2");
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry");
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "tsc_shift");
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "sel");
_Static_assert(offsetof(struct vcpu_info, arch) == 16, "vcpu_info.arch");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time");
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "pending");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "mask");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "wc_version");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "si.arch");
_Static_assert(sizeof(struct start_info) == 1168, "start_info");
_Static_assert(offsetof(struct start_info, flags) == 48, "si.flags");
_Static_assert(offsetof(struct start_info, store_mfn) == 56, "store_mfn");
_Static_assert(offsetof(struct start_info, console) == 72, "console");
_Static_assert(offsetof(struct start_info, pt_base) == 88, "pt_base");
_Static_assert(offsetof(struct start_info, cmd_line) == 128, "cmd_line");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 1152, "p2m");
_Static_assert(sizeof(struct xen_multiboot_mod_list) == 16, "mod_list");
_Static_assert(sizeof(struct dom0_vga_console_info) == 40, "vga_console");
_Static_assert(sizeof(xen_domain_handle_t) == 16, "xen_domain_handle_t");
_Static_assert(sizeof(xen_uuid_t) == 16, "xen_uuid_t");
_Static_assert(sizeof(struct pvisor_e820_entry) == 20, "e820 entry");

#endif /* !__ASSEMBLY__ */

#endif /* __XEN_PUBLIC_XEN_H__ */
