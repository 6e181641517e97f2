/* SPDX-License-Identifier: MIT */
/*
 * elf.h - ELF64 as exec reads it: the file layout, and the checked
 *         summary kernel/elf.c makes of an executable.
 * Owns:    struct elf_image.
 * Touches: nothing (declarations; kernel/elf.c implements elf_parse()).
 */
#ifndef ELF_H
#define ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_ET_EXEC 2
#define ELF_ET_DYN  3
#define ELF_EM_X86_64 62
#define ELF_PT_LOAD 1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP 3
#define ELF_PT_PHDR 6
#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4
#define ELF_MAX_LOADS 16
#define ELF_MAX_PHNUM 64
/* Where a static PIE (ET_DYN) is loaded: Linux's ELF_ET_DYN_BASE. */
#define ELF_PIE_BASE 0x0000555555554000UL

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf_load {
    uint64_t vaddr, memsz, offset, filesz;
    unsigned int flags;             /* ELF_PF_* */
};

/* An executable exec can load, every field checked against the file. */
struct elf_image {
    unsigned int type;              /* ELF_ET_EXEC or ELF_ET_DYN (static PIE) */
    uint64_t entry;                 /* unbiased */
    uint64_t phdr_vaddr;            /* where the program headers are mapped (unbiased) */
    unsigned int phnum, phent;
    uint64_t lo, hi;                /* page-aligned span of the loads (unbiased) */
    struct elf_load loads[ELF_MAX_LOADS];
    unsigned int nloads;
};

/* Check an ELF file of len bytes; 0 with *img filled, or -1 with *why.
 * user_end: the first address the image may not reach (for ET_DYN, the
 * span must fit). */
int elf_parse(const uint8_t *file, uint64_t len, uint64_t user_end,
              struct elf_image *img, const char **why);

#endif /* ELF_H */
