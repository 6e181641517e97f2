/* SPDX-License-Identifier: MIT */
/*
 * abi_asm.S - our headers included from assembly (__ASSEMBLY__), as the
 *             guest kernel's and hypervisor's entry code include them.
 * Owns:    pvisor_abi_asm_values[], read by test_abi.c (same order as its
 *          asm_names[]), ended by the marker 0xabcdef.
 * Touches: nothing.
 */
#define __ASSEMBLY__ 1
#define __XEN_TOOLS__ 1     /* the toolstack-only headers too */
#include <xen/xen.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/callback.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/features.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>
#include <xen/io/xs_wire.h>
#include <xen/memory.h>
#include <xen/nmi.h>
#include <xen/physdev.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/domctl.h>

    .section .rodata
    .balign 8
    .globl pvisor_abi_asm_values
pvisor_abi_asm_values:
    .quad __HYPERVISOR_iret
    .quad __HYPERVISOR_arch_7
    .quad FLAT_KERNEL_CS
    .quad FLAT_USER_SS
    .quad HYPERVISOR_VIRT_START
    .quad MACH2PHYS_VIRT_END
    .quad UVMF_ALL
    .quad DOMID_SELF
    .quad XEN_EINVAL
    .quad SCHEDOP_shutdown
    .quad XEN_ELFNOTE_HYPERCALL_PAGE
    .quad VGCF_in_syscall
    .quad EVTCHNOP_send
    .quad XENMEM_memory_map
    .quad GNTTABOP_copy
    .quad XEN_CPUID_SIGNATURE_EBX
    .quad VCPUOP_up
    .quad CALLBACKTYPE_syscall
    .quad PHYSDEVOP_eoi
    .quad XENNMI_register_callback
    .quad XENVER_version
    .quad XENFEAT_dom0
    .quad XENSTORE_RING_SIZE
    .quad XEN_DOMCTL_getdomaininfo
    .quad XEN_DOMINF_shutdownshift
    .quad 0xabcdef
    .size pvisor_abi_asm_values, . - pvisor_abi_asm_values

    .section .note.GNU-stack, "", @progbits
