/* SPDX-License-Identifier: MIT */
/*
 * kernel.h - what every kernel file may use: printing, panics, strings.
 * Owns:    the kernel-wide helper declarations.
 * Touches: nothing.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define __printf(f, a) __attribute__((format(printf, f, a)))
#define __noreturn     __attribute__((noreturn))

/* kernel/printk.c */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
void printk(const char *fmt, ...) __printf(1, 2);
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

/* kernel/string.c (the compiler may also emit calls to memset/memcpy) */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strstr(const char *haystack, const char *needle);
unsigned long long strtoull(const char *s, char **end, int base);
/* The value of command-line word w if it reads "key=value", else NULL. */
const char *option_value(const char *w, const char *key);

/* The longest command-line word kept (longer ones are cut). */
#define CMDLINE_WORD_MAX 128

/* kernel/main.c */
void start_kernel(const char *cmdline) __noreturn;

/* Set up the platform (arch/x86_64/pv/xen_setup.c): print what the
 * hypervisor handed over, map shared state, mask events. */
void arch_setup(void);

/* The bootstrap region the domain builder mapped at KERNEL_VIRT_BASE
 * (arch/x86_64/pv/xen_setup.c); kernel/pgtable.c retires it. */
unsigned long arch_bootstrap_end_pfn(void);
unsigned long arch_boot_pt_pfn(void);
unsigned long arch_boot_nr_pt_frames(void);
unsigned long arch_boot_pt_base(void);
bool arch_is_initial_domain(void);
/* The initial ramdisk the domain builder loaded, if any. */
bool arch_initrd(const void **start, size_t *len);
/* Pfns of ours the platform gave a purpose (a domU's console and xenstore
 * rings): never free memory, never page tables.  Fills up to max, returns
 * how many. */
unsigned int arch_reserved_pfns(uint64_t *pfns, unsigned int max);

/* Old names, kept for code written before mm.h: use pfn_to_mfn() and
 * mm_nr_pfns() (arch/x86_64/pv/xen_p2m.c). */
unsigned long arch_pfn_to_mfn(unsigned long pfn);
unsigned long arch_nr_pages(void);

/* The end of the image (kernel.ld). */
extern char _end[];

#endif /* KERNEL_H */
