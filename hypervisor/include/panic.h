/* SPDX-License-Identifier: MIT */
/*
 * panic.h - the hypervisor's fatal error (common/panic.c).
 */
#ifndef PVISOR_PANIC_H
#define PVISOR_PANIC_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* Registers and a stack trace of the hypervisor itself (arch). */
void arch_show_hypervisor_state(void);

#endif
