/* SPDX-License-Identifier: MIT */
/*
 * elf.c - reading an ELF64 executable: what exec may load, or why not.
 * Owns:    the rules an executable must meet (below).
 * Touches: nothing but the file's bytes: host unit tests run it as it is.
 * Trusts:  nothing in the file.  Every offset + size is checked against
 *          the file's length without overflow, every address against the
 *          user range, before exec uses it.
 *
 * Accepted: ELFCLASS64, little-endian, EV_CURRENT, EM_X86_64, ET_EXEC or
 * ET_DYN (a static PIE, loaded at USER_PIE_BASE), 1..ELF_MAX_LOADS PT_LOAD
 * segments in ascending, non-overlapping page order, each with filesz <=
 * memsz, vaddr and offset congruent modulo the page size, inside the file
 * and the user range; the entry inside an executable segment.  Refused: a
 * PT_INTERP (a dynamically linked program: no dynamic loader yet).
 */
#include <kernel.h>
#include <elf.h>
#include <asm/page.h>

#define PG_DOWN(x) ((x) & ~(uint64_t)(PAGE_SIZE - 1))
#define PG_UP(x)   (((x) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1))

static int refuse(const char **why, const char *reason)
{
    *why = reason;
    return -1;
}

int elf_parse(const uint8_t *file, uint64_t len, uint64_t user_end,
              struct elf_image *img, const char **why)
{
    struct elf64_ehdr eh;
    unsigned int i;
    bool phdr_found = false;

    memset(img, 0, sizeof(*img));
    if (len < 4 || memcmp(file, "\177ELF", 4))
        return refuse(why, "not an ELF file (bad magic)");
    if (len < sizeof(eh))
        return refuse(why, "shorter than an ELF header");
    memcpy(&eh, file, sizeof(eh));
    if (eh.ident[4] != 2)
        return refuse(why, "not a 64-bit ELF");
    if (eh.ident[5] != 1)
        return refuse(why, "not little-endian");
    if (eh.ident[6] != 1 || eh.version != 1)
        return refuse(why, "unknown ELF version");
    if (eh.machine != ELF_EM_X86_64)
        return refuse(why, "not an x86-64 program");
    if (eh.type != ELF_ET_EXEC && eh.type != ELF_ET_DYN)
        return refuse(why, "not an executable (ET_EXEC or ET_DYN)");
    if (eh.phentsize != sizeof(struct elf64_phdr))
        return refuse(why, "program header size is not 56");
    if (eh.phnum == 0 || eh.phnum > ELF_MAX_PHNUM)
        return refuse(why, "no program headers, or too many");
    if (eh.phoff > len || (uint64_t)eh.phnum * eh.phentsize > len - eh.phoff)
        return refuse(why, "program headers past the end of the file");

    img->type = eh.type;
    img->entry = eh.entry;
    img->phnum = eh.phnum;
    img->phent = eh.phentsize;
    for (i = 0; i < eh.phnum; i++) {
        struct elf64_phdr ph;
        struct elf_load *l;

        memcpy(&ph, file + eh.phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
        if (ph.type == ELF_PT_INTERP)
            return refuse(why, "dynamically linked (PT_INTERP): no dynamic loader");
        if (ph.type == ELF_PT_PHDR) {
            img->phdr_vaddr = ph.vaddr;
            phdr_found = true;
        }
        if (ph.type != ELF_PT_LOAD)
            continue;
        /* Before the empty-segment skip: Linux refuses a PT_LOAD with
         * memsz 0 and file bytes too (-EINVAL in load_elf_binary()). */
        if (ph.filesz > ph.memsz)
            return refuse(why, "a segment with filesz > memsz");
        if (ph.memsz == 0)
            continue;
        if (img->nloads == ELF_MAX_LOADS)
            return refuse(why, "too many PT_LOAD segments");
        if (ph.offset > len || ph.filesz > len - ph.offset)
            return refuse(why, "a segment past the end of the file");
        if ((ph.vaddr - ph.offset) & (PAGE_SIZE - 1))
            return refuse(why, "a segment whose vaddr and offset differ modulo the page size");
        if (ph.vaddr >= user_end || ph.memsz > user_end - ph.vaddr ||
            PG_UP(ph.vaddr + ph.memsz) > user_end)
            return refuse(why, "a segment outside the user address range");
        if (img->nloads && PG_DOWN(ph.vaddr) < img->hi)
            return refuse(why, "segments overlapping or out of order");
        l = &img->loads[img->nloads++];
        *l = (struct elf_load){ ph.vaddr, ph.memsz, ph.offset, ph.filesz, ph.flags };
        if (img->nloads == 1)
            img->lo = PG_DOWN(ph.vaddr);
        img->hi = PG_UP(ph.vaddr + ph.memsz);
        /* No PT_PHDR: the headers are where the segment holding them maps. */
        if (!phdr_found && eh.phoff >= ph.offset &&
            eh.phoff + (uint64_t)eh.phnum * sizeof(ph) <= ph.offset + ph.filesz)
            img->phdr_vaddr = ph.vaddr + (eh.phoff - ph.offset);
    }
    if (!img->nloads)
        return refuse(why, "no PT_LOAD segment");
    for (i = 0; i < img->nloads; i++) {
        const struct elf_load *l = &img->loads[i];

        if (img->entry >= l->vaddr && img->entry < l->vaddr + l->memsz) {
            if (!(l->flags & ELF_PF_X))
                return refuse(why, "the entry point is in a segment that is not executable");
            break;
        }
    }
    if (i == img->nloads)
        return refuse(why, "the entry point is outside every segment");
    if (eh.type == ELF_ET_DYN && img->hi - img->lo > user_end - ELF_PIE_BASE)
        return refuse(why, "a position-independent image too large for the user range");
    return 0;
}
