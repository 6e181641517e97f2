/* SPDX-License-Identifier: MIT */
/*
 * elf_builder.h - builds small ELF64 images byte by byte for test_elf.c.
 * Owns:    one image buffer (struct elf_builder) and helpers that append
 *          program headers, section headers and notes to it.
 * Touches: nothing else.
 *
 * Layout of a built image (offsets in the file):
 *   0x000  ELF header
 *   0x040  program headers (up to EB_MAX_PHDRS; a test may move them
 *          further out by setting phoff before adding any)
 *   0x400  notes (appended by eb_note*, one PT_NOTE or SHT_NOTE over them)
 *   0x1000 segment contents
 *   after  section headers, when eb_add_shdr() was used
 * Values are written little-endian with explicit stores, so the image is
 * what a linker would have produced whatever the host.
 */
#ifndef PVISOR_TEST_ELF_BUILDER_H
#define PVISOR_TEST_ELF_BUILDER_H

#include <stdint.h>
#include <string.h>
#include "elf.h"

#define EB_SIZE        0x4000
#define EB_PHOFF       0x40
#define EB_MAX_PHDRS   16
#define EB_NOTES       0x400
#define EB_NOTES_END   0x1000
#define EB_DATA        0x1000
#define EB_SHDR_SIZE   64
#define EB_PHDR_SIZE   56
#define EB_SHT_NOTE    7
#define EB_PF_RWX      7

struct elf_builder {
    uint8_t buf[EB_SIZE];
    size_t size;          /* bytes of the file                   */
    unsigned int nph;     /* program headers written             */
    size_t phoff;         /* where they go (EB_PHOFF unless moved) */
    size_t note_end;      /* next free byte in the note area     */
    size_t data_end;      /* next free byte in the data area     */
};

static inline void eb_put(struct elf_builder *b, size_t off, uint64_t v,
                          unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        b->buf[off + i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t eb_get(const struct elf_builder *b, size_t off,
                              unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = (v << 8) | b->buf[off + n];
    return v;
}

/* ELF header field offsets (gABI). */
enum {
    EH_CLASS = 4, EH_DATA = 5, EH_VERSION_ID = 6, EH_TYPE = 16,
    EH_MACHINE = 18, EH_VERSION = 20, EH_ENTRY = 24, EH_PHOFF = 32,
    EH_SHOFF = 40, EH_EHSIZE = 52, EH_PHENTSIZE = 54, EH_PHNUM = 56,
    EH_SHENTSIZE = 58, EH_SHNUM = 60,
};
/* Program header field offsets. */
enum { PH_TYPE = 0, PH_FLAGS = 4, PH_OFFSET = 8, PH_VADDR = 16,
       PH_PADDR = 24, PH_FILESZ = 32, PH_MEMSZ = 40, PH_ALIGN = 48 };

static inline void eb_begin(struct elf_builder *b, uint64_t entry)
{
    memset(b, 0, sizeof(*b));
    memcpy(b->buf, "\x7f" "ELF", 4);
    b->buf[EH_CLASS] = 2;             /* ELFCLASS64  */
    b->buf[EH_DATA] = 1;              /* ELFDATA2LSB */
    b->buf[EH_VERSION_ID] = 1;
    eb_put(b, EH_TYPE, ELF_ET_EXEC, 2);
    eb_put(b, EH_MACHINE, ELF_EM_X86_64, 2);
    eb_put(b, EH_VERSION, 1, 4);
    eb_put(b, EH_ENTRY, entry, 8);
    eb_put(b, EH_PHOFF, EB_PHOFF, 8);
    eb_put(b, EH_EHSIZE, sizeof(Elf64_Ehdr), 2);
    eb_put(b, EH_PHENTSIZE, EB_PHDR_SIZE, 2);
    b->phoff = EB_PHOFF;
    b->note_end = EB_NOTES;
    b->data_end = EB_DATA;
    b->size = EB_DATA;
}

static inline size_t eb_phdr_off(const struct elf_builder *b, unsigned int i)
{
    return b->phoff + (size_t)i * EB_PHDR_SIZE;
}

/* Appends a program header; returns its index. */
static inline unsigned int eb_phdr(struct elf_builder *b, uint32_t type,
                                   uint32_t flags, uint64_t off,
                                   uint64_t paddr, uint64_t filesz,
                                   uint64_t memsz)
{
    unsigned int i = b->nph++;
    size_t p = eb_phdr_off(b, i);

    eb_put(b, p + PH_TYPE, type, 4);
    eb_put(b, p + PH_FLAGS, flags, 4);
    eb_put(b, p + PH_OFFSET, off, 8);
    eb_put(b, p + PH_VADDR, paddr, 8);
    eb_put(b, p + PH_PADDR, paddr, 8);
    eb_put(b, p + PH_FILESZ, filesz, 8);
    eb_put(b, p + PH_MEMSZ, memsz, 8);
    eb_put(b, p + PH_ALIGN, 0x1000, 8);
    eb_put(b, EH_PHNUM, b->nph, 2);
    eb_put(b, EH_PHOFF, b->phoff, 8);
    if (p + EB_PHDR_SIZE > b->size)
        b->size = p + EB_PHDR_SIZE;
    return i;
}

/* A PT_LOAD whose file bytes are filled with a pattern (byte = fill). */
static inline unsigned int eb_load(struct elf_builder *b, uint64_t paddr,
                                   uint64_t filesz, uint64_t memsz,
                                   uint8_t fill)
{
    size_t off = b->data_end;

    memset(b->buf + off, fill, filesz);
    b->data_end += filesz;
    if (b->data_end > b->size)
        b->size = b->data_end;
    return eb_phdr(b, ELF_PT_LOAD, EB_PF_RWX, off, paddr, filesz, memsz);
}

/* Appends a raw note; namesz is given (with NUL), sizes padded to 4. */
static inline void eb_note_raw(struct elf_builder *b, const char *name,
                               uint32_t namesz, uint32_t type,
                               const void *desc, uint32_t descsz)
{
    size_t p = b->note_end;

    eb_put(b, p, namesz, 4);
    eb_put(b, p + 4, descsz, 4);
    eb_put(b, p + 8, type, 4);
    memcpy(b->buf + p + 12, name, namesz);
    p += 12 + ((namesz + 3) & ~3u);
    memcpy(b->buf + p, desc, descsz);
    b->note_end = p + ((descsz + 3) & ~3u);
}

static inline void eb_note(struct elf_builder *b, uint32_t type,
                           const void *desc, uint32_t descsz)
{
    eb_note_raw(b, "Xen", 4, type, desc, descsz);
}

static inline void eb_note_str(struct elf_builder *b, uint32_t type,
                               const char *s)
{
    eb_note(b, type, s, (uint32_t)strlen(s) + 1);
}

static inline void eb_note_num(struct elf_builder *b, uint32_t type,
                               uint64_t v, unsigned int size)
{
    uint8_t le[8];

    for (unsigned int i = 0; i < size; i++)
        le[i] = (uint8_t)(v >> (8 * i));
    eb_note(b, type, le, size);
}

/* The PT_NOTE over every note appended so far. */
static inline unsigned int eb_note_phdr(struct elf_builder *b)
{
    return eb_phdr(b, ELF_PT_NOTE, 4, EB_NOTES, 0, b->note_end - EB_NOTES, 0);
}

/*
 * Section headers at the end of the file: a null one, then one SHT_NOTE
 * over the notes written so far. Returns the SHT_NOTE's index.
 */
static inline unsigned int eb_note_section(struct elf_builder *b)
{
    size_t shoff = (b->size + 7) & ~(size_t)7;
    size_t sh1 = shoff + EB_SHDR_SIZE;

    memset(b->buf + shoff, 0, 2 * EB_SHDR_SIZE);
    eb_put(b, sh1 + 4, EB_SHT_NOTE, 4);                 /* sh_type   */
    eb_put(b, sh1 + 24, EB_NOTES, 8);                   /* sh_offset */
    eb_put(b, sh1 + 32, b->note_end - EB_NOTES, 8);     /* sh_size   */
    eb_put(b, EH_SHOFF, shoff, 8);
    eb_put(b, EH_SHENTSIZE, EB_SHDR_SIZE, 2);
    eb_put(b, EH_SHNUM, 2, 2);
    b->size = sh1 + EB_SHDR_SIZE;
    return 1;
}

#endif
