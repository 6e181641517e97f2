/* SPDX-License-Identifier: MIT */
/*
 * console.h - the hypervisor console (common/console.c) over the serial
 * driver (arch/x86_64/serial.c).
 * Owns:    printk, log levels, the serial input ring, the log ring.
 */
#ifndef PVISOR_CONSOLE_H
#define PVISOR_CONSOLE_H

#include "log.h"
#include "types.h"

void console_init(void);
void console_write(const char *s, size_t len);
/* console_write() and into the log ring (printk, boot domains' lines). */
void console_write_logged(const char *s, size_t len);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * loglvl= parser: none|error|warning|info|debug|all (also err, warn).
 * Returns the level (-1 for none: print nothing), or -2 if unknown.
 */
int console_parse_loglvl(const char *s);
extern int console_loglvl;
/*
 * Take what the UART has: to dom0's ring (raising its VIRQ_CONSOLE) or to
 * the debug keys (see console.c); returns the bytes taken.
 */
size_t console_poll_input(void);
/* Poll the UART from a timer from now on (once timers work). */
void console_start_polling(void);
/* Take up to len bytes of input; returns the count. */
size_t console_read(char *buf, size_t len);

/*
 * console_log.c, the log ring (Xen's conring): console_log_put() appends;
 * console_log_init() moves it to conring_size= bytes once frames can be
 * allocated; console_log_read() is XEN_SYSCTL_readconsole's worker.
 */
struct xen_sysctl_readconsole;
extern uint64_t opt_conring_size;
void console_log_put(const char *s, size_t len);
void console_log_init(void);
long console_log_read(struct xen_sysctl_readconsole *op);

/* Serial driver (arch). */
void serial_init(void);
void serial_putc(char c);
bool serial_getc(char *c);

#endif
