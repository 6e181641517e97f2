/* SPDX-License-Identifier: MIT */
/*
 * multiboot.h - what the boot loader handed us (boot/multiboot.c).
 * Owns:    reading a Multiboot1 (QEMU -kernel) or Multiboot2 (GRUB) boot
 *          information structure into one struct boot_info: command line,
 *          memory map, modules, loader name.
 * Touches: nothing; reads through the caller's map() so that the same code
 *          runs at boot (identity map) and on the host (a fake memory).
 * Trusts:  nothing: every length and address is checked against map().
 *
 * The header constants for the images' own Multiboot headers (boot/head.S)
 * are here too.
 */
#ifndef PVISOR_MULTIBOOT_H
#define PVISOR_MULTIBOOT_H

#define MULTIBOOT1_HEADER_MAGIC     0x1BADB002
#define MULTIBOOT1_BOOTLOADER_MAGIC 0x2BADB002
#define MULTIBOOT1_FLAG_PAGE_ALIGN  (1 << 0)   /* modules page aligned  */
#define MULTIBOOT1_FLAG_MEMINFO     (1 << 1)   /* we want the mem map   */
#define MULTIBOOT1_FLAG_AOUT_KLUDGE (1 << 16)  /* load addrs in header  */

#define MULTIBOOT2_HEADER_MAGIC     0xE85250D6
#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36D76289
#define MULTIBOOT2_ARCH_I386        0

#ifndef __ASSEMBLER__
#include "types.h"

#define BOOT_MAX_MEM_REGIONS 64
#define BOOT_MAX_MODULES     8
#define BOOT_CMDLINE_MAX     1024
#define BOOT_MODSTR_MAX      1024

enum boot_mem_type {        /* E820 / Multiboot memory types            */
    BOOT_MEM_RAM = 1,
    BOOT_MEM_RESERVED = 2,
    BOOT_MEM_ACPI = 3,
    BOOT_MEM_NVS = 4,
    BOOT_MEM_BAD = 5,
};

struct boot_mem_region {
    uint64_t addr;
    uint64_t len;
    uint32_t type;          /* enum boot_mem_type; others kept as given */
};

struct boot_module {
    uint64_t start;         /* machine address of the first byte        */
    uint64_t end;           /* one past the last byte                   */
    char string[BOOT_MODSTR_MAX];  /* module string, NUL-terminated     */
};

struct boot_info {
    unsigned int protocol;  /* 1 or 2                                   */
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[64];        /* boot loader name, "" when not given      */
    unsigned int nr_mem;
    struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MAX_MODULES];
    uint64_t mem_lower_kb, mem_upper_kb;  /* mb1 basic info, 0 if none  */
};

/*
 * Returns a pointer to len readable bytes at physical address paddr, or
 * NULL if [paddr, paddr+len) is not accessible (or overflows).
 */
typedef const void *(*boot_map_fn)(void *ctx, uint64_t paddr, size_t len);

/*
 * Fill *bi from the structure at info_paddr. magic is %eax at entry and
 * selects the protocol. Returns 0, or -1 with a reason in err: wrong magic,
 * unreadable structure, a tag or map entry that runs past its container,
 * no memory map, a module not wholly inside RAM regions of the map or
 * overlapping another module. More regions or modules than fit are dropped with a note
 * in err and still return 0 (err[0] != 0 tells). Strings are truncated to
 * fit and always NUL-terminated.
 */
int multiboot_parse(uint32_t magic, uint64_t info_paddr, boot_map_fn map,
                    void *ctx, struct boot_info *bi, char *err, size_t errlen);
#endif /* __ASSEMBLER__ */

#endif
