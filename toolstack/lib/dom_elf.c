/* SPDX-License-Identifier: MIT */
/*
 * dom_elf.c - the kernel image as the toolstack's builder reads it: an
 *             ELF64 x86-64 executable with Xen notes, bare or inside a
 *             Linux bzImage, gzip- or xz-compressed.
 * Owns:    struct dom_elf: the notes' values and the kernel's extent;
 *          the decompressed copy of a compressed kernel (malloc'ed).
 * Touches: the caller's file bytes (read only); the hypervisor's generic
 *          decompressors (hypervisor/common/inflate.c, unxz.c, compiled
 *          into the toolstack unchanged: docs/decisions.md).
 * Trusts:  nothing in the file. Every offset and size is checked against
 *          the file before it is read; every sum against wrap-around.
 * ABI:     abi/xen/elfnote.h, abi/xen/features.h.
 *
 * The rules are Xen 4.17's libelf and libxenguest's, as the reference
 * (guest-abi.md sections 1.1, 2.2) lists them: notes from PT_NOTE
 * segments, else from SHT_NOTE sections; numeric notes of 1, 2, 4 or 8
 * bytes little-endian (others read as 0); a string note runs to the
 * first NUL in the file (libelf's elf_strval: Linux's FEATURES is not
 * terminated inside its descsz), one without a NUL within 4096 bytes is
 * skipped with a warning; LOADER "generic" or GUEST_OS "linux";
 * XEN_VERSION "xen-3.0"; VIRT_BASE defaults to 0, PADDR_OFFSET to 0
 * (refused without VIRT_BASE), ENTRY to e_entry; the entry inside the
 * kernel; INIT_P2M outside it. Stricter than libelf, which reads bytes
 * outside the file as zeros: anything outside the file is refused, so
 * are overlapping or wrapping segments, a file size above the memory
 * size, and a HYPERCALL_PAGE that is not a page of the kernel.
 */
#include "dom_build.h"
#include "inflate.h"        /* hypervisor/common: gunzip() */
#include "unxz.h"           /* hypervisor/common: unxz()   */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>
#include <xen/features.h>

/* System V gABI values and layouts (ELF-64 Object File Format 1.5). */
#define EI_CLASS     4
#define EI_DATA      5
#define EI_VERSION   6
#define ELFCLASS64   2
#define ELFDATA2LSB  1
#define EV_CURRENT   1
#define ET_EXEC      2
#define EM_X86_64    62
#define PT_LOAD      1
#define PT_NOTE      4
#define SHT_NOTE     7
#define PF_RWX       7
#define NOTE_ALIGN   4
#define EHDR_SIZE    64
#define PHDR_SIZE    56
#define SHDR_SIZE    64
#define MAX_LOADS    64         /* the overlap check is quadratic      */
#define MAX_NOTES    65536      /* libelf's ELF_MAX_TOTAL_NOTE_COUNT    */
#define MAX_STRING   4096       /* libelf's ELF_MAX_STRING_LENGTH       */
/* The largest kernel a compressed image may claim: more is a bomb. */
#define MAX_DECOMPRESSED (512UL << 20)

/* FEATURES a kernel may require here: all but the two PV64 cannot have. */
#define FEATURES_OK (~((1U << XENFEAT_supervisor_mode_kernel) | \
                       (1U << XENFEAT_auto_translated_physmap)))

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz;
};

struct parse {
    const char *name;
    const uint8_t *d;
    size_t size;
    struct dom_elf *e;
    char *err;
    size_t errlen;
    uint16_t phnum, shnum;
    uint64_t phoff, shoff;
    uint64_t pstart, pend;      /* over PT_LOADs' p_paddr              */
    unsigned int total_notes;
};

/*
 * The hypervisor's decompressors report through lib.h's fail_reason();
 * this is the toolstack's, with the same contract.
 */
int fail_reason(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int fail(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct parse *p, const char *fmt, ...)
{
    char why[DOM_ERR_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return fail_reason(p->err, p->errlen, "%s: %s", p->name, why);
}

static uint64_t le(const uint8_t *b, unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | b[n];
    return v;
}

static bool in_file(const struct parse *p, uint64_t off, uint64_t len)
{
    return off <= p->size && len <= p->size - off;
}

static void read_phdr(const struct parse *p, unsigned int i, struct phdr *ph)
{
    const uint8_t *b = p->d + p->phoff + (uint64_t)i * PHDR_SIZE;

    ph->type = (uint32_t)le(b, 4);
    ph->flags = (uint32_t)le(b + 4, 4);
    ph->offset = le(b + 8, 8);
    ph->vaddr = le(b + 16, 8);
    ph->paddr = le(b + 24, 8);
    ph->filesz = le(b + 32, 8);
    ph->memsz = le(b + 40, 8);
}

static bool loadable(const struct phdr *ph)
{
    return ph->type == PT_LOAD && (ph->flags & PF_RWX);
}

/* ---- headers ----------------------------------------------------------- */

static int check_table(struct parse *p, const char *what, uint64_t off,
                       unsigned int num, unsigned int entsize, unsigned int want)
{
    if (num == 0)
        return 0;
    if (entsize != want)
        return fail(p, "%s header entries of %u bytes, ELF64 has %u", what,
                    entsize, want);
    if (!in_file(p, off, (uint64_t)num * entsize))
        return fail(p, "%u %s headers at offset %#lx run past the end of the "
                    "%zu-byte file", num, what, (unsigned long)off, p->size);
    return 0;
}

static int check_ehdr(struct parse *p)
{
    const uint8_t *d = p->d;

    if (p->size < EHDR_SIZE)
        return fail(p, "truncated: %zu bytes, an ELF64 header alone is %d",
                    p->size, EHDR_SIZE);
    if (memcmp(d, "\177ELF", 4))
        return fail(p, "not an ELF file (magic %02x %02x %02x %02x)",
                    d[0], d[1], d[2], d[3]);
    if (d[EI_CLASS] != ELFCLASS64)
        return fail(p, "ELF class %u is not ELF64 (a 32-bit kernel?)", d[EI_CLASS]);
    if (d[EI_DATA] != ELFDATA2LSB)
        return fail(p, "ELF data encoding %u is not little-endian", d[EI_DATA]);
    if (d[EI_VERSION] != EV_CURRENT || le(d + 20, 4) != EV_CURRENT)
        return fail(p, "ELF version %u/%u is not 1", d[EI_VERSION],
                    (unsigned int)le(d + 20, 4));
    if (le(d + 16, 2) != ET_EXEC)
        return fail(p, "ELF type %u is not an executable (2)",
                    (unsigned int)le(d + 16, 2));
    if (le(d + 18, 2) != EM_X86_64)
        return fail(p, "ELF machine %u is not x86-64 (62)",
                    (unsigned int)le(d + 18, 2));
    p->phoff = le(d + 32, 8);
    p->shoff = le(d + 40, 8);
    p->phnum = (uint16_t)le(d + 56, 2);
    p->shnum = (uint16_t)le(d + 60, 2);
    if (p->phnum == 0)
        return fail(p, "no program headers");
    if (check_table(p, "program", p->phoff, p->phnum, (unsigned int)le(d + 54, 2),
                    PHDR_SIZE))
        return -1;
    return check_table(p, "section", p->shoff, p->shnum,
                       (unsigned int)le(d + 58, 2), SHDR_SIZE);
}

/* ---- segments ---------------------------------------------------------- */

static int check_load(struct parse *p, unsigned int i, const struct phdr *ph)
{
    struct phdr o;

    if (ph->filesz > ph->memsz)
        return fail(p, "program header %u: file size %#lx exceeds memory size "
                    "%#lx", i, (unsigned long)ph->filesz, (unsigned long)ph->memsz);
    if (ph->paddr + ph->memsz < ph->paddr)
        return fail(p, "program header %u: address %#lx + size %#lx wraps "
                    "around", i, (unsigned long)ph->paddr, (unsigned long)ph->memsz);
    for (unsigned int j = 0; j < i; j++) {
        read_phdr(p, j, &o);
        if (loadable(&o) && o.memsz && ph->memsz &&
            o.paddr < ph->paddr + ph->memsz && ph->paddr < o.paddr + o.memsz)
            return fail(p, "program headers %u and %u overlap ([%#lx, %#lx) and "
                        "[%#lx, %#lx))", j, i, (unsigned long)o.paddr,
                        (unsigned long)(o.paddr + o.memsz),
                        (unsigned long)ph->paddr,
                        (unsigned long)(ph->paddr + ph->memsz));
    }
    return 0;
}

static int check_segments(struct parse *p)
{
    unsigned int nr_load = 0;
    struct phdr ph;

    p->pstart = DOM_UNSET;
    p->pend = 0;
    for (unsigned int i = 0; i < p->phnum; i++) {
        read_phdr(p, i, &ph);
        if (ph.type != PT_NOTE && !loadable(&ph))
            continue;
        if (!in_file(p, ph.offset, ph.filesz))
            return fail(p, "program header %u: bytes [%#lx, +%#lx) run past the "
                        "end of the %zu-byte file", i, (unsigned long)ph.offset,
                        (unsigned long)ph.filesz, p->size);
        if (ph.type == PT_NOTE)
            continue;
        if (++nr_load > MAX_LOADS)
            return fail(p, "more than %d loadable segments", MAX_LOADS);
        if (check_load(p, i, &ph))
            return -1;
        if (ph.paddr < p->pstart)
            p->pstart = ph.paddr;
        if (ph.paddr + ph.memsz > p->pend)
            p->pend = ph.paddr + ph.memsz;
    }
    if (nr_load == 0)
        return fail(p, "no loadable (PT_LOAD) segment");
    return 0;
}

/* ---- notes ------------------------------------------------------------- */

static const char *const feature_names[32] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_dom0] = "dom0",
};

static int parse_features(struct parse *p, const char *s)
{
    char word[64];              /* libelf's feature buffer */
    size_t n;

    while (*s) {
        for (n = 0; n < sizeof(word) - 1 && s[n] && s[n] != '|'; n++)
            word[n] = s[n];
        word[n] = '\0';
        s += n + (s[n] == '|');
        bool req = word[0] == '!';
        unsigned int bit;
        for (bit = 0; bit < 32; bit++)
            if (feature_names[bit] && !strcmp(word + req, feature_names[bit]))
                break;
        if (bit == 32) {
            if (req)
                return fail(p, "FEATURES note requires unknown feature \"%s\"",
                            word + 1);
            continue;           /* an unknown plain name: ignored */
        }
        p->e->feat_supported |= 1U << bit;
        if (req)
            p->e->feat_required |= 1U << bit;
    }
    return 0;
}

static bool note_is_string(uint32_t type)
{
    return type == XEN_ELFNOTE_XEN_VERSION || type == XEN_ELFNOTE_GUEST_OS ||
           type == XEN_ELFNOTE_GUEST_VERSION || type == XEN_ELFNOTE_LOADER ||
           type == XEN_ELFNOTE_PAE_MODE || type == XEN_ELFNOTE_FEATURES ||
           type == XEN_ELFNOTE_BSD_SYMTAB;
}

static void copy_str(char dst[DOM_NOTE_STR_MAX], const char *s)
{
    snprintf(dst, DOM_NOTE_STR_MAX, "%s", s);
}

static int string_note(struct parse *p, uint32_t type, const uint8_t *desc)
{
    size_t room = p->size - (size_t)(desc - p->d);
    size_t max = room < MAX_STRING + 1 ? room : MAX_STRING + 1;
    size_t len = strnlen((const char *)desc, max);
    const char *s = (const char *)desc;
    struct dom_elf *e = p->e;

    if (len == max) {
        snprintf(e->warning, sizeof(e->warning), "Xen note %u: string %s; "
                 "note skipped", type, len == room ? "runs to the end of the "
                 "file without a NUL" : "longer than 4096 bytes");
        return 0;
    }
    switch (type) {
    case XEN_ELFNOTE_GUEST_OS:      copy_str(e->guest_os, s); break;
    case XEN_ELFNOTE_GUEST_VERSION: copy_str(e->guest_ver, s); break;
    case XEN_ELFNOTE_XEN_VERSION:   copy_str(e->xen_ver, s); break;
    case XEN_ELFNOTE_LOADER:        copy_str(e->loader, s); break;
    case XEN_ELFNOTE_FEATURES:      return parse_features(p, s);
    default:                        break;  /* PAE_MODE, BSD_SYMTAB */
    }
    return 0;
}

static void numeric_note(struct parse *p, uint32_t type, const uint8_t *desc,
                         uint32_t sz)
{
    uint64_t v = (sz == 1 || sz == 2 || sz == 4 || sz == 8) ? le(desc, sz) : 0;
    struct dom_elf *e = p->e;

    switch (type) {
    case XEN_ELFNOTE_ENTRY:          e->entry = v; break;
    case XEN_ELFNOTE_HYPERCALL_PAGE: e->hypercall_page = v; break;
    case XEN_ELFNOTE_VIRT_BASE:      e->virt_base = v; break;
    case XEN_ELFNOTE_PADDR_OFFSET:   e->paddr_offset = v; break;
    case XEN_ELFNOTE_INIT_P2M:       e->p2m_base = v; break;
    case XEN_ELFNOTE_SUSPEND_CANCEL: e->suspend_cancel = v != 0; break;
    case XEN_ELFNOTE_MOD_START_PFN:  e->mod_start_pfn = v != 0; break;
    case XEN_ELFNOTE_SUPPORTED_FEATURES:
        if (sz >= 4 && sz % 4 == 0)
            e->feat_supported |= (uint32_t)le(desc, 4);
        break;
    default:                         break;  /* HV_START_LOW, L1_MFN_VALID,
                                                PHYS32_ENTRY: not for PV64 */
    }
}

/* The notes in file range [off, off + len), inside the file. */
static int parse_notes(struct parse *p, uint64_t off, uint64_t len, int *found)
{
    uint64_t pos = 0;

    while (len - pos >= 12) {
        const uint8_t *n = p->d + off + pos;
        uint32_t namesz = (uint32_t)le(n, 4), descsz = (uint32_t)le(n + 4, 4);
        uint32_t type = (uint32_t)le(n + 8, 4);
        uint64_t name_pad = ((uint64_t)namesz + NOTE_ALIGN - 1) & ~3ULL;

        if (++p->total_notes > MAX_NOTES)
            return fail(p, "more than %d ELF notes", MAX_NOTES);
        if (name_pad + descsz > len - pos - 12)
            return fail(p, "note at offset %#lx (name %u bytes, desc %u bytes) "
                        "runs past the end of its segment at %#lx",
                        (unsigned long)(off + pos), namesz, descsz,
                        (unsigned long)(off + len));
        if (namesz >= 4 && !memcmp(n + 12, "Xen", 4)) {
            const uint8_t *desc = n + 12 + name_pad;
            (*found)++;
            p->e->nr_notes++;
            if (note_is_string(type)) {
                if (string_note(p, type, desc))
                    return -1;
            } else {
                numeric_note(p, type, desc, descsz);
            }
        }
        pos += 12 + name_pad + (((uint64_t)descsz + NOTE_ALIGN - 1) & ~3ULL);
        if (pos > len)
            break;              /* the last note's padding */
    }
    return 0;
}

static int parse_all_notes(struct parse *p)
{
    int found = 0;
    struct phdr ph;

    for (unsigned int i = 0; i < p->phnum; i++) {
        read_phdr(p, i, &ph);
        /* p_offset 0: old binutils' bogus PT_NOTE, skipped as libelf does */
        if (ph.type == PT_NOTE && ph.offset &&
            parse_notes(p, ph.offset, ph.filesz, &found))
            return -1;
    }
    for (unsigned int i = 1; found == 0 && i < p->shnum; i++) {
        const uint8_t *sh = p->d + p->shoff + (uint64_t)i * SHDR_SIZE;
        uint64_t off = le(sh + 24, 8), len = le(sh + 32, 8);
        if (le(sh + 4, 4) != SHT_NOTE)
            continue;
        if (!in_file(p, off, len))
            return fail(p, "section header %u: notes [%#lx, +%#lx) run past the "
                        "end of the %zu-byte file", i, (unsigned long)off,
                        (unsigned long)len, p->size);
        if (parse_notes(p, off, len, &found))
            return -1;
    }
    if (found == 0)
        return fail(p, "no Xen ELF notes: not a Xen PV kernel");
    return 0;
}

/* ---- what the notes say ------------------------------------------------ */

static int check_notes(struct parse *p)
{
    struct dom_elf *e = p->e;
    uint32_t missing;

    if (strncmp(e->loader, "generic", 7) && strncmp(e->guest_os, "linux", 5))
        return fail(p, "LOADER \"%s\" and GUEST_OS \"%s\": only images for the "
                    "generic loader or Linux are loaded", e->loader, e->guest_os);
    if (strncmp(e->xen_ver, "xen-3.0", 7))
        return fail(p, "XEN_VERSION \"%s\": only \"xen-3.0\" images are loaded",
                    e->xen_ver);
    missing = e->feat_required & ~FEATURES_OK;
    if (missing) {
        unsigned int bit = (unsigned int)__builtin_ctz(missing);
        return fail(p, "the kernel requires feature %s, which PV64 guests do "
                    "not get", feature_names[bit] ? feature_names[bit] : "?");
    }
    return 0;
}

static int calc_addresses(struct parse *p, uint64_t e_entry)
{
    struct dom_elf *e = p->e;
    uint64_t off;

    if (e->paddr_offset != DOM_UNSET && e->virt_base == DOM_UNSET)
        return fail(p, "PADDR_OFFSET note without VIRT_BASE");
    if (e->virt_base == DOM_UNSET)
        e->virt_base = 0;
    if (e->paddr_offset == DOM_UNSET)
        e->paddr_offset = 0;
    if (e->entry == DOM_UNSET)
        e->entry = e_entry;
    off = e->virt_base - e->paddr_offset;       /* mod 2^64, as libelf */
    e->kstart = p->pstart + off;
    e->kend = p->pend + off;
    if (e->kstart > e->kend)
        return fail(p, "kernel [%#lx, %#lx) wraps around the address space",
                    (unsigned long)e->kstart, (unsigned long)e->kend);
    if (e->virt_base % DOM_PAGE_SIZE)
        return fail(p, "VIRT_BASE %#lx is not page aligned",
                    (unsigned long)e->virt_base);
    if (e->virt_base > e->kstart)
        return fail(p, "VIRT_BASE %#lx is above the kernel's start %#lx",
                    (unsigned long)e->virt_base, (unsigned long)e->kstart);
    if (e->entry < e->kstart || e->entry > e->kend)
        return fail(p, "entry %#lx is outside the kernel [%#lx, %#lx]",
                    (unsigned long)e->entry, (unsigned long)e->kstart,
                    (unsigned long)e->kend);
    if (e->p2m_base != DOM_UNSET && e->p2m_base >= e->kstart &&
        e->p2m_base < e->kend)
        return fail(p, "INIT_P2M %#lx is inside the kernel [%#lx, %#lx)",
                    (unsigned long)e->p2m_base, (unsigned long)e->kstart,
                    (unsigned long)e->kend);
    if (e->hypercall_page != DOM_UNSET &&
        (e->hypercall_page % DOM_PAGE_SIZE || e->hypercall_page < e->kstart ||
         e->hypercall_page >= e->kend))
        return fail(p, "HYPERCALL_PAGE %#lx is not a page-aligned address in the "
                    "kernel [%#lx, %#lx)", (unsigned long)e->hypercall_page,
                    (unsigned long)e->kstart, (unsigned long)e->kend);
    return 0;
}

static int parse_elf(struct parse *p)
{
    struct dom_elf *e = p->e;

    e->virt_base = e->paddr_offset = e->entry = DOM_UNSET;
    e->hypercall_page = e->p2m_base = DOM_UNSET;
    if (check_ehdr(p) || check_segments(p) || parse_all_notes(p) ||
        check_notes(p))
        return -1;
    return calc_addresses(p, le(p->d + 24, 8));
}

/* ---- bzImage and compressed payloads ----------------------------------- */

/* Linux's boot protocol (Documentation/x86/boot.rst): setup header. */
#define BZ_SETUP_SECTS   0x1f1
#define BZ_HDRS          0x202
#define BZ_VERSION       0x206
#define BZ_PAYLOAD_OFF   0x248
#define BZ_PAYLOAD_LEN   0x24c
#define BZ_MIN_VERSION   0x0208     /* the first with payload_offset */
#define BZ_HEADER_END    0x250

enum compression { COMP_NONE, COMP_GZIP, COMP_XZ };

static enum compression compression_of(const uint8_t *d, size_t len)
{
    static const uint8_t xz[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

    if (len >= 2 && d[0] == 0x1f && (d[1] == 0x8b || d[1] == 0x9e))
        return COMP_GZIP;
    if (len >= sizeof(xz) && !memcmp(d, xz, sizeof(xz)))
        return COMP_XZ;
    return COMP_NONE;
}

/* The payload of a bzImage, or -1; 0 with *is_bz false if not one. */
static int bzimage_payload(struct parse *p, bool *is_bz, uint64_t *off,
                           uint64_t *len)
{
    const uint8_t *d = p->d;
    unsigned int version;

    *is_bz = p->size >= BZ_HEADER_END && !memcmp(d + BZ_HDRS, "HdrS", 4);
    if (!*is_bz)
        return 0;
    version = (unsigned int)le(d + BZ_VERSION, 2);
    if (version < BZ_MIN_VERSION)
        return fail(p, "bzImage boot protocol %u.%02u: at least 2.08 is needed",
                    version >> 8, version & 0xff);
    *off = ((uint64_t)d[BZ_SETUP_SECTS] + 1) * 512 + le(d + BZ_PAYLOAD_OFF, 4);
    *len = le(d + BZ_PAYLOAD_LEN, 4);
    if (!in_file(p, *off, *len))
        return fail(p, "bzImage payload [%#lx, +%#lx) lies outside the %zu-byte "
                    "file", (unsigned long)*off, (unsigned long)*len, p->size);
    return 0;
}

/*
 * Decompress in[0, len) into a malloc'ed buffer of the size Linux appends
 * to the payload (for gzip also its ISIZE), the claim Xen sizes its
 * buffer by: it is bounded, and the output must be exactly that size.
 */
static int decompress(struct parse *p, enum compression c, const uint8_t *in,
                      size_t len)
{
    const char *what = c == COMP_GZIP ? "gzip" : "xz";
    size_t claim = len >= 4 ? (size_t)le(in + len - 4, 4) : 0, out_len = 0, used;
    char why[160];
    void *out;
    int rc;

    if (claim == 0 || claim > MAX_DECOMPRESSED)
        return fail(p, "%s payload states %zu bytes decompressed; 1 to %lu are "
                    "accepted", what, claim, MAX_DECOMPRESSED);
    out = malloc(claim);
    if (!out)
        return fail(p, "no memory to decompress %zu bytes", claim);
    rc = c == COMP_GZIP ? gunzip(in, len, out, claim, &out_len, why, sizeof(why))
                        : unxz(in, len, out, claim, &out_len, &used, why,
                               sizeof(why));
    if (rc == 0 && out_len != claim) {
        snprintf(why, sizeof(why), "decompressed to %zu bytes, the payload "
                 "states %zu", out_len, claim);
        rc = -1;
    }
    if (rc) {
        free(out);
        return fail(p, "corrupt %s payload: %s", what, why);
    }
    p->e->owned = out;
    p->d = out;
    p->size = out_len;
    return 0;
}

static int unwrap(struct parse *p)
{
    static const char *const names[2][3] = {
        { "ELF", "gzip", "xz" }, { "bzImage", "bzImage+gzip", "bzImage+xz" } };
    uint64_t off = 0, len = p->size;
    enum compression c;
    bool bz;

    if (p->size >= 4 && !memcmp(p->d, "\177ELF", 4)) {
        p->e->wrapper = names[0][COMP_NONE];
        return 0;
    }
    if (bzimage_payload(p, &bz, &off, &len))
        return -1;
    c = compression_of(p->d + off, len);
    p->e->wrapper = names[bz][c];
    if (c != COMP_NONE)
        return decompress(p, c, p->d + off, len);
    if (bz) {           /* an uncompressed payload: the ELF itself */
        p->d += off;
        p->size = len;
    }
    return 0;
}

int dom_elf_parse(const char *name, const void *file, size_t size,
                  struct dom_elf *out, char *err, size_t errlen)
{
    struct parse p = { .name = name ? name : "kernel", .d = file, .size = size,
                       .e = out, .err = err, .errlen = errlen };

    memset(out, 0, sizeof(*out));
    out->name = p.name;
    if (err && errlen)
        err[0] = '\0';
    if (unwrap(&p) || parse_elf(&p)) {
        dom_elf_free(out);
        return -1;
    }
    out->data = p.d;
    out->size = p.size;
    return 0;
}

void dom_elf_free(struct dom_elf *elf)
{
    free(elf->owned);
    elf->owned = NULL;
    elf->data = NULL;
}

int dom_elf_load(const struct dom_elf *elf, void *dst, uint64_t dst_va,
                 size_t dst_len, char *err, size_t errlen)
{
    struct parse p = { .name = elf->name, .d = elf->data, .size = elf->size,
                       .err = err, .errlen = errlen };
    uint64_t off = elf->virt_base - elf->paddr_offset;
    struct phdr ph;

    p.phoff = le(p.d + 32, 8);
    p.phnum = (uint16_t)le(p.d + 56, 2);
    for (unsigned int i = 0; i < p.phnum; i++) {
        read_phdr(&p, i, &ph);
        if (!loadable(&ph))
            continue;
        uint64_t va = ph.paddr + off;
        if (va < dst_va || ph.memsz > dst_len || va - dst_va > dst_len - ph.memsz)
            return fail(&p, "segment %u at %#lx (+%#lx) lies outside the %#lx "
                        "bytes mapped at %#lx", i, (unsigned long)va,
                        (unsigned long)ph.memsz, (unsigned long)dst_len,
                        (unsigned long)dst_va);
        uint8_t *to = (uint8_t *)dst + (va - dst_va);
        memcpy(to, p.d + ph.offset, ph.filesz);
        memset(to + ph.filesz, 0, ph.memsz - ph.filesz);
    }
    return 0;
}

int dom_read_file(const char *path, void **data, size_t *size, char *err,
                  size_t errlen)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 1 << 20, len = 0, n;
    char *buf = NULL, *nb;

    if (!f)
        return fail_reason(err, errlen, "%s: %s", path, strerror(errno));
    for (;;) {
        nb = len == 0 || len == cap ? realloc(buf, cap = len ? cap * 2 : cap) : buf;
        if (!nb) {
            free(buf);
            fclose(f);
            return fail_reason(err, errlen, "%s: no memory to read it", path);
        }
        buf = nb;
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return fail_reason(err, errlen, "%s: read error", path);
    }
    fclose(f);
    *data = buf;
    *size = len;
    return 0;
}
