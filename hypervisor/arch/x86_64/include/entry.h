/* SPDX-License-Identifier: MIT */
/*
 * entry.h - the C functions entry.S calls, and the assembly helpers C
 * calls (entry.S, boot/head.S).
 */
#ifndef PVISOR_ENTRY_H
#define PVISOR_ENTRY_H

#include "percpu.h"

/* Called from entry.S with the frame it saved. */
void do_trap(struct cpu_user_regs *regs);
bool do_guest_hypercall(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                        uint64_t a4, uint64_t nr);
void do_guest_hypercall_exit(long rc);
void do_guest_syscall32(struct cpu_user_regs *regs);
void exit_to_guest(struct cpu_user_regs *regs);
/* pv/iret.c: the iretq to a guest faulted; regs is the guest's frame. */
void pv_iret_fault(struct cpu_user_regs *regs);
/* traps.c: the vector and error code of the fault that last sent this
 * CPU to an exception-table fixup. */
void last_fixup_fault(unsigned int *vector, uint32_t *error_code);
/* Called from head.S. */
void start_pvisor(uint32_t magic, uint64_t info_pa) __attribute__((noreturn));

/* In entry.S. */
void reset_stack_and_call(uint64_t stack, void (*fn)(void)) __attribute__((noreturn));
void start_guest_frame(struct cpu_user_regs *regs) __attribute__((noreturn));
int load_ds_selector(uint16_t sel);
int load_es_selector(uint16_t sel);
int load_fs_selector(uint16_t sel);
int load_gs_selector(uint16_t sel);

/* common/sched.c */
void idle_loop(void) __attribute__((noreturn));
/* arch/x86_64/setup.c: the hypervisor's command line (XENVER_commandline) */
const char *saved_cmdline(void);
/* ... and what the boot loader said (memory map, modules). */
struct boot_info;
const struct boot_info *boot_info_get(void);

#endif
