/* SPDX-License-Identifier: MIT */
/*
 * asm_offsets.h - structure offsets used by entry.S.
 * Owns:    the numbers; traps.c checks each against offsetof() with
 *          _Static_assert, so a layout change cannot go unnoticed.
 */
#ifndef PVISOR_ASM_OFFSETS_H
#define PVISOR_ASM_OFFSETS_H

/* struct cpu_user_regs (abi/xen/arch-x86/xen-x86_64.h) */
#define UREGS_r15           0
#define UREGS_r14           8
#define UREGS_r13          16
#define UREGS_r12          24
#define UREGS_rbp          32
#define UREGS_rbx          40
#define UREGS_r11          48
#define UREGS_r10          56
#define UREGS_r9           64
#define UREGS_r8           72
#define UREGS_rax          80
#define UREGS_rcx          88
#define UREGS_rdx          96
#define UREGS_rsi         104
#define UREGS_rdi         112
#define UREGS_error_code  120
#define UREGS_entry_vector 124
#define UREGS_rip         128
#define UREGS_cs          136
#define UREGS_rflags      144
#define UREGS_rsp         152
#define UREGS_ss          160
#define UREGS_kernel_sizeof 168   /* up to and including ss */
/*
 * error_code of a syscall frame whose rbx, rbp and r12-r15 slots are not
 * written (rbx's holds the syscall's rflags): the lean hypercall entry (entry.S) fills them in only on its
 * slow way out, and sets error_code back to 0 then.
 */
#define UREGS_PARTIAL       1

/* struct cpu_info (include/percpu.h), at the top of each CPU's stack */
#define CPUINFO_guest_regs      0
#define CPUINFO_scratch_rsp   200
#define CPUINFO_rsp0          208
#define CPUINFO_current_vcpu  216
#define CPUINFO_sizeof        232   /* #DB moves a guest's frame here */

/*
 * What the hypercall fast path (entry.S) reads, each put early in its
 * structure so that other fields come and go without moving it
 * (traps.c checks them all).
 */
#define VCPU_domain             8   /* struct vcpu (include/sched.h)   */
#define VCPU_vcpu_info         16
#define VCPU_kernel_mode       24
#define VCPU_exit_flags        28   /* blocked, down, nmi/db_pending   */
#define DOMAIN_state            8   /* with pause_count: run_word      */
#define DOMAIN_hc_stats        16
#define HCSTATS_calls           8   /* struct hypercall_stats, 32 bytes */
#define HYPERCALL_fn            8   /* struct hypercall, 16 bytes      */
#define SCHED_CPU_need_resched  0   /* struct sched_cpu                */
#define VCPUINFO_upcall_pending 0   /* struct vcpu_info (Xen's ABI)    */
#define VCPUINFO_upcall_mask    1

#endif
