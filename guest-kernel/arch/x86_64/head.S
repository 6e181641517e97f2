/* SPDX-License-Identifier: MIT */
#define __ASSEMBLY__   /* Xen's public headers test this, gcc defines __ASSEMBLER__ */
/*
 * head.S - the PV64 entry point and the ELF notes the domain builder reads.
 * Owns:    _start, hypercall_page, the boot stack, the .note.Xen notes,
 *          boot_tsc_entry (the TSC at our first instruction, for `boottsc`).
 * Touches: nothing before C runs; %rsi (start_info) goes to xen_start_kernel.
 * ABI:     abi/xen/elfnote.h; start-of-day state of a PV64 guest
 *          (docs/porting-guide.md, "Start of day"): %rsi = VA of
 *          start_info, the bootstrap region mapped 1:1 from VIRT_BASE.
 */
#include <xen/elfnote.h>
#include <asm/page.h>

#define BOOT_STACK_SIZE (4 * PAGE_SIZE)

/* One ELF note: name "Xen", a type, and a descriptor (string or number). */
.macro ELFNOTE type:req, desc:vararg
    .pushsection .note.Xen, "a", @note
    .balign 4
    .long 2f - 1f          /* namesz */
    .long 4f - 3f          /* descsz */
    .long \type
1:  .asciz "Xen"
2:  .balign 4
3:  \desc
4:  .balign 4
    .popsection
.endm

    ELFNOTE XEN_ELFNOTE_GUEST_OS,       .asciz "pvkernel"
    ELFNOTE XEN_ELFNOTE_GUEST_VERSION,  .asciz PVKERNEL_VERSION
    ELFNOTE XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0"
    ELFNOTE XEN_ELFNOTE_LOADER,         .asciz "generic"
    ELFNOTE XEN_ELFNOTE_VIRT_BASE,      .quad KERNEL_VIRT_BASE
    /* Segment p_paddr fields are true pseudo-physical addresses
     * (vaddr - VIRT_BASE, see kernel.ld): no offset to undo. */
    ELFNOTE XEN_ELFNOTE_PADDR_OFFSET,   .quad 0
    ELFNOTE XEN_ELFNOTE_ENTRY,          .quad _start
    ELFNOTE XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
    /* Optional features we can run with: none needs a hypervisor-side
     * switch; "dom0" says this image may be the initial domain. */
    ELFNOTE XEN_ELFNOTE_FEATURES,       .asciz "dom0"

    .section .text.head, "ax"
    .globl _start
_start:
    rdtsc                           /* first: the domain's start, timed */
    shl $32, %rdx
    or %rdx, %rax
    mov %rax, boot_tsc_entry(%rip)  /* in .data: .bss is not cleared yet */
    cld
    lea boot_stack_top(%rip), %rsp
    mov %rsi, %rdi                  /* start_info */
    call xen_start_kernel
    ud2                             /* not reached */

/* The hypervisor writes 128 stubs of 32 bytes here when it builds us. */
    .section .text.hypercall_page, "ax"
    .balign PAGE_SIZE
    .globl hypercall_page
hypercall_page:
    .fill PAGE_SIZE, 1, 0

    .data
    .balign 8
    .globl boot_tsc_entry
boot_tsc_entry:
    .quad 0

    .section .bss.stack, "aw", @nobits
    .balign PAGE_SIZE
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:
