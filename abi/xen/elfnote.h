/* SPDX-License-Identifier: MIT */
/*
 * xen/elfnote.h - the ELF notes a PV kernel image carries to tell the
 *             domain builder how to load and start it.
 * Mirrors: Xen 4.17 public/elfnote.h.
 * Owns:    XEN_ELFNOTE_* note types.
 * Touches: nothing; constants only (usable from assembly, where the notes
 *          are usually emitted).
 *
 * Notes sit in a PT_NOTE segment with name "Xen". A numeric note's desc is
 * 4 or 8 bytes; a string note's desc is NUL-terminated ASCII.
 */
#ifndef __XEN_PUBLIC_ELFNOTE_H__
#define __XEN_PUBLIC_ELFNOTE_H__

#define XEN_ELFNOTE_INFO               0  /* string NAME=VALUE */
#define XEN_ELFNOTE_ENTRY              1  /* number: entry point VA */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2  /* number: VA to fill with stubs */
#define XEN_ELFNOTE_VIRT_BASE          3  /* number: VA of PA 0 (default 0) */
#define XEN_ELFNOTE_PADDR_OFFSET       4  /* number: subtract from p_paddr */
#define XEN_ELFNOTE_XEN_VERSION        5  /* string: e.g. "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS           6  /* string: kernel name */
#define XEN_ELFNOTE_GUEST_VERSION      7  /* string: kernel version */
#define XEN_ELFNOTE_LOADER             8  /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE           9  /* string: 32-bit only */
#define XEN_ELFNOTE_FEATURES          10  /* string: XENFEAT names, '|'-
                                             separated, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB        11  /* string: "yes" loads symbols */
#define XEN_ELFNOTE_HV_START_LOW      12  /* number: lowest hypervisor hole */
#define XEN_ELFNOTE_L1_MFN_VALID      13  /* number pairs: mask, value */
#define XEN_ELFNOTE_SUSPEND_CANCEL    14  /* number: cooperative cancel */
#define XEN_ELFNOTE_INIT_P2M          15  /* number: VA for the initial p2m */
#define XEN_ELFNOTE_MOD_START_PFN     16  /* number: initrd may be unmapped */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* number: XENFEAT bitmap */
#define XEN_ELFNOTE_PHYS32_ENTRY      18  /* number: PVH 32-bit entry */
#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_ENTRY

/* Notes in crash dumps and core files, not in kernels. */
#define XEN_ELFNOTE_CRASH_INFO              0x1000001
#define XEN_ELFNOTE_CRASH_REGS              0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* __XEN_PUBLIC_ELFNOTE_H__ */
