/* SPDX-License-Identifier: MIT */
/*
 * elf.c - ELF64 guest-kernel parser and Xen ELF-note reader.
 * Owns:    checking an image held in memory and deriving the layout Xen's
 *          libelf derives (struct xen_elf_params); walking its PT_LOAD
 *          segments for the caller's copy/zero callbacks.
 * Touches: nothing but *out and err; never writes the image.
 * Trusts:  nothing in the image. Every read goes through in_file() or a
 *          range checked before it; every sum of image values is checked
 *          for overflow. The caller's pointer and size are trusted.
 * ABI:     Xen's public elfnote.h and features.h (values below).
 *
 * Rules, as Xen 4.17's xen/common/libelf:
 *  - Notes come from PT_NOTE segments (those with p_offset 0 are skipped,
 *    as libelf does for old binutils); SHT_NOTE sections are read only
 *    when no PT_NOTE segment held a "Xen" note (elf_xen_parse).
 *  - A numeric note is 1, 2, 4 or 8 bytes little-endian, any other size
 *    reads as 0 (elf_note_numeric). Unknown note types are skipped but
 *    counted as Xen notes.
 *  - FEATURES: '|'-separated names of libelf's table (seven names);
 *    "!name" is required and supported; an unknown required name is an
 *    error, an unknown plain name is ignored (elf_xen_parse_features).
 *  - LOADER must start with "generic" or GUEST_OS with "linux";
 *    XEN_VERSION must start with "xen-3.0" (elf_xen_note_check).
 *  - virt_base defaults to 0, the paddr offset to 0, the entry to e_entry;
 *    PADDR_OFFSET without VIRT_BASE is refused; [virt_kstart, virt_kend]
 *    must hold the entry, lie above virt_base, and not hold the INIT_P2M
 *    base (elf_xen_addr_calc_check).
 *  - A PT_LOAD counts only with one of R/W/X set (elf_phdr_is_loadable).
 *  - A string note runs from its desc to the first NUL in the image, not
 *    only inside its descsz (elf_strval): Linux's FEATURES note is not
 *    NUL-terminated inside its descsz, and the padding holds the NUL. A
 *    string with no NUL before the end of the file, or longer than 4096
 *    bytes (ELF_MAX_STRING_LENGTH), is skipped (it still counts as a Xen
 *    note) and the image is marked broken: a warning, not a refusal.
 * Stricter than libelf, which reads out-of-range bytes as zero: anything
 * that lies outside the file is refused, and so are a segment whose file
 * size exceeds its memory size, address wrap-around, overlapping PT_LOADs, a VIRT_BASE
 * that is not page aligned, and a HYPERCALL_PAGE that is not a page-
 * aligned address inside the kernel (Xen's builders only check that it
 * lies in the bootstrap region, where the hypercall page could land on
 * the page tables or start_info the builder writes next).
 * Not supported: the legacy "__xen_guest" section (pre-3.0 kernels) and
 * BSD_SYMTAB (the symbol table is not loaded; the note is ignored).
 * L1_MFN_VALID keeps its first mask/value pair (libelf keeps nothing).
 */
#include "elf.h"
#include "lib.h"

/* System V gABI: e_ident bytes, section header, flags we read. */
#define EI_CLASS        4
#define EI_DATA         5
#define EI_VERSION      6
#define ELFCLASS64      2
#define ELFDATA2LSB     1
#define EV_CURRENT      1
#define SHT_NOTE        7
#define PF_X            0x1
#define PF_W            0x2
#define PF_R            0x4

typedef struct {
    uint32_t sh_name;
    uint32_t sh_type;
    uint64_t sh_flags;
    uint64_t sh_addr;
    uint64_t sh_offset;
    uint64_t sh_size;
    uint32_t sh_link;
    uint32_t sh_info;
    uint64_t sh_addralign;
    uint64_t sh_entsize;
} Elf64_Shdr;

/*
 * Xen's XEN_ELFNOTE_* (public/elfnote.h), named ELFNOTE_* here until
 * abi/xen/elfnote.h exists; then this enum goes.
 */
enum xen_elfnote_type {
    ELFNOTE_ENTRY = 1, ELFNOTE_HYPERCALL_PAGE = 2, ELFNOTE_VIRT_BASE = 3,
    ELFNOTE_PADDR_OFFSET = 4, ELFNOTE_XEN_VERSION = 5, ELFNOTE_GUEST_OS = 6,
    ELFNOTE_GUEST_VERSION = 7, ELFNOTE_LOADER = 8, ELFNOTE_PAE_MODE = 9,
    ELFNOTE_FEATURES = 10, ELFNOTE_BSD_SYMTAB = 11, ELFNOTE_HV_START_LOW = 12,
    ELFNOTE_L1_MFN_VALID = 13, ELFNOTE_SUSPEND_CANCEL = 14,
    ELFNOTE_INIT_P2M = 15, ELFNOTE_MOD_START_PFN = 16,
    ELFNOTE_SUPPORTED_FEATURES = 17, ELFNOTE_PHYS32_ENTRY = 18,
    ELFNOTE_NR,
};

/* Xen's XENFEAT_* bit numbers (public/features.h) that libelf names. */
enum xen_feature_bit {
    FEAT_writable_page_tables = 0, FEAT_writable_descriptor_tables = 1,
    FEAT_auto_translated_physmap = 2, FEAT_supervisor_mode_kernel = 3,
    FEAT_pae_pgdir_above_4gb = 4, FEAT_hvm_callback_vector = 8,
    FEAT_dom0 = 11, FEAT_NR_BITS = 32,
};

/* libelf's feature_names[]: only these are recognised in FEATURES. */
static const char *const feature_names[FEAT_NR_BITS] = {
    [FEAT_writable_page_tables] = "writable_page_tables",
    [FEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [FEAT_auto_translated_physmap] = "auto_translated_physmap",
    [FEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [FEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [FEAT_hvm_callback_vector] = "hvm_callback_vector",
    [FEAT_dom0] = "dom0",
};

static const char *const note_names[ELFNOTE_NR] = {
    [ELFNOTE_ENTRY] = "ENTRY", [ELFNOTE_HYPERCALL_PAGE] = "HYPERCALL_PAGE",
    [ELFNOTE_VIRT_BASE] = "VIRT_BASE", [ELFNOTE_PADDR_OFFSET] = "PADDR_OFFSET",
    [ELFNOTE_XEN_VERSION] = "XEN_VERSION", [ELFNOTE_GUEST_OS] = "GUEST_OS",
    [ELFNOTE_GUEST_VERSION] = "GUEST_VERSION", [ELFNOTE_LOADER] = "LOADER",
    [ELFNOTE_PAE_MODE] = "PAE_MODE", [ELFNOTE_FEATURES] = "FEATURES",
    [ELFNOTE_BSD_SYMTAB] = "BSD_SYMTAB", [ELFNOTE_HV_START_LOW] = "HV_START_LOW",
    [ELFNOTE_L1_MFN_VALID] = "L1_MFN_VALID",
    [ELFNOTE_SUSPEND_CANCEL] = "SUSPEND_CANCEL", [ELFNOTE_INIT_P2M] = "INIT_P2M",
    [ELFNOTE_MOD_START_PFN] = "MOD_START_PFN",
    [ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
    [ELFNOTE_PHYS32_ENTRY] = "PHYS32_ENTRY",
};

/* libelf's ELF_MAX_TOTAL_NOTE_COUNT: bounds the work a hostile image causes. */
#define ELF_MAX_TOTAL_NOTES 65536
/* Loadable segments we accept; the overlap check is quadratic in this. */
#define ELF_MAX_LOAD_SEGMENTS 64
#define NOTE_ALIGN 4
#define GUEST_PAGE_SIZE 4096       /* x86 */
#define FEATURE_NAME_MAX 64        /* libelf's feature[64] buffer   */
#define XEN_NOTE_NAME "Xen"        /* with its NUL: 4 bytes         */
#define ELF_MAX_STRING 4096        /* libelf's ELF_MAX_STRING_LENGTH */

/* Parsing state: the image, the error buffer, the note counter. */
struct elf_ctx {
    const uint8_t *data;
    size_t size;
    char *err;
    size_t errlen;
    unsigned int total_notes;
    struct elf_image *img;     /* the result: broken[] is written here */
    Elf64_Ehdr eh;             /* a copy: the image may be unaligned */
};

#define fail(c, ...) fail_reason((c)->err, (c)->errlen, __VA_ARGS__)

/* Is [off, off+len) inside the file? Written so that nothing can wrap. */
static bool in_file(const struct elf_ctx *c, uint64_t off, uint64_t len)
{
    return off <= c->size && len <= c->size - off;
}

static void read_phdr(const struct elf_ctx *c, unsigned int i, Elf64_Phdr *ph)
{
    memcpy(ph, c->data + c->eh.e_phoff + (uint64_t)i * sizeof(*ph), sizeof(*ph));
}

static void read_shdr(const struct elf_ctx *c, unsigned int i, Elf64_Shdr *sh)
{
    memcpy(sh, c->data + c->eh.e_shoff + (uint64_t)i * sizeof(*sh), sizeof(*sh));
}

static bool phdr_is_loadable(const Elf64_Phdr *ph)
{
    return ph->p_type == ELF_PT_LOAD && (ph->p_flags & (PF_R | PF_W | PF_X));
}

/* Little-endian unsigned of 1..8 bytes. */
static uint64_t read_le(const uint8_t *p, unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = (v << 8) | p[n];
    return v;
}

/* ------------------------------------------------------------------ */
/* Headers                                                             */

static int check_ident(struct elf_ctx *c)
{
    static const uint8_t magic[] = { 0x7f, 'E', 'L', 'F' };
    const uint8_t *id = c->eh.e_ident;

    if (memcmp(id, magic, sizeof(magic)) != 0)
        return fail(c, "bad ELF magic %02x %02x %02x %02x (not an ELF file)",
                    id[0], id[1], id[2], id[3]);
    if (id[EI_CLASS] != ELFCLASS64)
        return fail(c, "ELF class %u is not ELF64 (a 32-bit kernel?)",
                    id[EI_CLASS]);
    if (id[EI_DATA] != ELFDATA2LSB)
        return fail(c, "ELF data encoding %u is not little-endian", id[EI_DATA]);
    if (id[EI_VERSION] != EV_CURRENT || c->eh.e_version != EV_CURRENT)
        return fail(c, "ELF version %u/%u is not %u", id[EI_VERSION],
                    c->eh.e_version, EV_CURRENT);
    return 0;
}

/* A header table [off, off + num * entsize) of entries of `want` bytes. */
static int check_table(struct elf_ctx *c, const char *what, uint64_t off,
                       unsigned int num, unsigned int entsize, size_t want)
{
    if (num == 0)
        return 0;
    if (entsize != want)
        return fail(c, "%s header entry size %u, expected %zu", what,
                    entsize, want);
    if (!in_file(c, off, (uint64_t)num * entsize))
        return fail(c, "%s headers extend past end of file (offset 0x%lx, "
                    "%u x %u bytes, file 0x%zx)", what, off, num, entsize,
                    c->size);
    return 0;
}

static int check_ehdr(struct elf_ctx *c)
{
    const Elf64_Ehdr *eh = &c->eh;

    if (c->size < sizeof(*eh))
        return fail(c, "file of %zu bytes is too small for an ELF64 header "
                    "(%zu bytes)", c->size, sizeof(*eh));
    memcpy(&c->eh, c->data, sizeof(c->eh));
    if (check_ident(c) < 0)
        return -1;
    if (eh->e_type != ELF_ET_EXEC)
        return fail(c, "ELF type %u is not an executable (%u)", eh->e_type,
                    ELF_ET_EXEC);
    if (eh->e_machine != ELF_EM_X86_64)
        return fail(c, "ELF machine %u is not x86-64 (%u)", eh->e_machine,
                    ELF_EM_X86_64);
    if (eh->e_phnum == 0)
        return fail(c, "no program headers");
    if (check_table(c, "program", eh->e_phoff, eh->e_phnum, eh->e_phentsize,
                    sizeof(Elf64_Phdr)) < 0)
        return -1;
    return check_table(c, "section", eh->e_shoff, eh->e_shnum,
                       eh->e_shentsize, sizeof(Elf64_Shdr));
}

/* ------------------------------------------------------------------ */
/* Segments                                                            */

static int check_segment(struct elf_ctx *c, unsigned int i, const Elf64_Phdr *ph)
{
    if (!in_file(c, ph->p_offset, ph->p_filesz))
        return fail(c, "program header %u extends past end of file (offset "
                    "0x%lx, size 0x%lx, file 0x%zx)", i, ph->p_offset,
                    ph->p_filesz, c->size);
    if (!phdr_is_loadable(ph))
        return 0;
    if (ph->p_filesz > ph->p_memsz)
        return fail(c, "program header %u: file size 0x%lx exceeds memory "
                    "size 0x%lx", i, ph->p_filesz, ph->p_memsz);
    if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
        return fail(c, "program header %u: paddr 0x%lx + size 0x%lx wraps "
                    "around", i, ph->p_paddr, ph->p_memsz);
    return 0;
}

static bool segments_overlap(const Elf64_Phdr *a, const Elf64_Phdr *b)
{
    return a->p_memsz && b->p_memsz && a->p_paddr < b->p_paddr + b->p_memsz &&
           b->p_paddr < a->p_paddr + a->p_memsz;
}

/* Loadable segment i against every earlier loadable one. */
static int check_overlaps(struct elf_ctx *c, unsigned int i, const Elf64_Phdr *ph)
{
    Elf64_Phdr other;

    for (unsigned int j = 0; j < i; j++) {
        read_phdr(c, j, &other);
        if (phdr_is_loadable(&other) && segments_overlap(&other, ph))
            return fail(c, "program headers %u and %u overlap (paddr 0x%lx+0x%lx"
                        " and 0x%lx+0x%lx)", j, i, other.p_paddr,
                        other.p_memsz, ph->p_paddr, ph->p_memsz);
    }
    return 0;
}

/* Checks the PT_LOAD and PT_NOTE headers; sets pstart/pend (libelf's). */
static int check_segments(struct elf_ctx *c, struct xen_elf_params *p)
{
    unsigned int nr_load = 0;
    Elf64_Phdr ph;

    p->pstart = ELF_UNSET_ADDR;
    p->pend = 0;
    for (unsigned int i = 0; i < c->eh.e_phnum; i++) {
        read_phdr(c, i, &ph);
        if (ph.p_type != ELF_PT_NOTE && !phdr_is_loadable(&ph))
            continue;
        if (check_segment(c, i, &ph) < 0)
            return -1;
        if (!phdr_is_loadable(&ph))
            continue;
        if (++nr_load > ELF_MAX_LOAD_SEGMENTS)
            return fail(c, "more than %d loadable segments",
                        ELF_MAX_LOAD_SEGMENTS);
        if (check_overlaps(c, i, &ph) < 0)
            return -1;
        p->pstart = MIN(p->pstart, ph.p_paddr);
        p->pend = MAX(p->pend, ph.p_paddr + ph.p_memsz);
    }
    if (nr_load == 0)
        return fail(c, "no loadable (PT_LOAD) segments");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Xen notes                                                           */

/* Sets the bit of one FEATURES word; -1 for an unknown required name. */
static int parse_feature(struct elf_ctx *c, struct xen_elf_features *f,
                         const char *word)
{
    bool required = word[0] == '!';
    const char *name = word + required;

    for (unsigned int bit = 0; bit < FEAT_NR_BITS; bit++) {
        if (feature_names[bit] && strcmp(name, feature_names[bit]) == 0) {
            f->supported |= 1U << bit;
            if (required)
                f->required |= 1U << bit;
            return 0;
        }
    }
    if (required)
        return fail(c, "FEATURES note requires unknown feature \"%s\"", name);
    return 0;
}

/* Splits at '|' into words of at most FEATURE_NAME_MAX-1 chars, as libelf. */
static int parse_features(struct elf_ctx *c, struct xen_elf_features *f,
                          const char *s)
{
    char word[FEATURE_NAME_MAX];
    size_t len;

    while (*s) {
        for (len = 0; len < sizeof(word) - 1 && s[len] && s[len] != '|'; len++)
            word[len] = s[len];
        word[len] = '\0';
        s += len + (s[len] == '|');
        if (parse_feature(c, f, word) < 0)
            return -1;
    }
    return 0;
}

static void copy_note_string(char dst[ELF_NOTE_STR_MAX], const char *src)
{
    size_t n = strnlen(src, ELF_NOTE_STR_MAX - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

static int store_string_note(struct elf_ctx *c, struct xen_elf_params *p,
                             unsigned int type, const char *str)
{
    switch (type) {
    case ELFNOTE_GUEST_OS:      copy_note_string(p->guest_os, str); break;
    case ELFNOTE_GUEST_VERSION: copy_note_string(p->guest_ver, str); break;
    case ELFNOTE_XEN_VERSION:   copy_note_string(p->xen_ver, str); break;
    case ELFNOTE_LOADER:        copy_note_string(p->loader, str); break;
    case ELFNOTE_PAE_MODE:      copy_note_string(p->pae_mode, str); break;
    case ELFNOTE_FEATURES:      return parse_features(c, &p->features, str);
    default:                    break;   /* BSD_SYMTAB: not supported */
    }
    return 0;
}

/* elf_note_numeric(): 1, 2, 4 or 8 bytes, any other size reads as 0. */
static uint64_t note_numeric(const uint8_t *desc, uint32_t descsz)
{
    switch (descsz) {
    case 1: case 2: case 4: case 8:
        return read_le(desc, descsz);
    default:
        return 0;
    }
}

static void store_numeric_note(struct xen_elf_params *p, unsigned int type,
                               const uint8_t *desc, uint32_t descsz)
{
    const unsigned int word = sizeof(uint64_t), feat = sizeof(uint32_t);
    uint64_t val = note_numeric(desc, descsz);

    switch (type) {
    case ELFNOTE_ENTRY:          p->virt_entry = val; break;
    case ELFNOTE_HYPERCALL_PAGE: p->virt_hypercall = val; break;
    case ELFNOTE_VIRT_BASE:      p->virt_base = val; break;
    case ELFNOTE_PADDR_OFFSET:   p->elf_paddr_offset = val; break;
    case ELFNOTE_HV_START_LOW:   p->hv_start_low = val; break;
    case ELFNOTE_INIT_P2M:       p->p2m_base = val; break;
    case ELFNOTE_SUSPEND_CANCEL: p->suspend_cancel = val != 0; break;
    case ELFNOTE_MOD_START_PFN:  p->mod_start_pfn = val != 0; break;
    case ELFNOTE_SUPPORTED_FEATURES:   /* elf_note_numeric_array(4, 0) */
        if (descsz >= feat && descsz % feat == 0)
            p->features.supported |= (uint32_t)read_le(desc, feat);
        break;
    case ELFNOTE_L1_MFN_VALID:         /* the first mask/value pair */
        if (descsz >= 2 * word) {
            p->l1_mfn_valid_mask = read_le(desc, word);
            p->l1_mfn_valid_val = read_le(desc + word, word);
        }
        break;
    default:                           /* PHYS32_ENTRY: PVH only */
        break;
    }
}

static bool note_is_string(unsigned int type)
{
    return type == ELFNOTE_XEN_VERSION || type == ELFNOTE_GUEST_OS ||
           type == ELFNOTE_GUEST_VERSION || type == ELFNOTE_LOADER ||
           type == ELFNOTE_PAE_MODE || type == ELFNOTE_FEATURES ||
           type == ELFNOTE_BSD_SYMTAB;
}

/*
 * A string note's string, as libelf's elf_strval() reads it: up to the
 * first NUL in the file, wherever that is. NULL when there is none before
 * the end of the file or within ELF_MAX_STRING bytes: the note is then
 * skipped and the image marked broken, as libelf does.
 */
static const char *note_string(struct elf_ctx *c, unsigned int type,
                               const uint8_t *desc)
{
    size_t room = c->size - (size_t)(desc - c->data);
    size_t len = strnlen((const char *)desc, MIN(room, ELF_MAX_STRING + 1));

    if (len < room && len <= ELF_MAX_STRING)
        return (const char *)desc;
    snprintf(c->img->broken, sizeof(c->img->broken), "Xen note %s: string %s; "
             "note skipped", note_names[type], len >= room ?
             "runs to the end of the file without a NUL" :
             "is longer than 4096 bytes");
    return NULL;
}

/* One "Xen" note (elf_xen_parse_note); desc lies inside the file. */
static int parse_xen_note(struct elf_ctx *c, struct xen_elf_params *p,
                          const Elf64_Nhdr *nh, const uint8_t *desc)
{
    unsigned int type = nh->n_type;
    const char *str;

    p->nr_notes++;
    if (type >= ELFNOTE_NR || note_names[type] == NULL)
        return 0;                       /* unknown: skipped, as libelf */
    if (!note_is_string(type)) {
        store_numeric_note(p, type, desc, nh->n_descsz);
        return 0;
    }
    str = note_string(c, type, desc);
    return str ? store_string_note(c, p, type, str) : 0;
}

/*
 * Every note in the file range [off, off + len), which is known to lie
 * inside the file. Returns the number of Xen notes, or -1.
 */
static int parse_notes(struct elf_ctx *c, struct xen_elf_params *p,
                       uint64_t off, uint64_t len)
{
    unsigned int before = p->nr_notes;
    uint64_t pos = 0, name_pad;
    Elf64_Nhdr nh;

    while (len - pos >= sizeof(nh)) {
        if (++c->total_notes > ELF_MAX_TOTAL_NOTES)
            return fail(c, "more than %d ELF notes", ELF_MAX_TOTAL_NOTES);
        memcpy(&nh, c->data + off + pos, sizeof(nh));
        name_pad = ROUNDUP((uint64_t)nh.n_namesz, NOTE_ALIGN);
        if (name_pad + nh.n_descsz > len - pos - sizeof(nh))
            return fail(c, "note at file offset 0x%lx (name size 0x%x, desc "
                        "size 0x%x) extends past its segment end 0x%lx",
                        off + pos, nh.n_namesz, nh.n_descsz, off + len);
        if (nh.n_namesz >= sizeof(XEN_NOTE_NAME) &&
            memcmp(c->data + off + pos + sizeof(nh), XEN_NOTE_NAME,
                   sizeof(XEN_NOTE_NAME)) == 0 &&
            parse_xen_note(c, p, &nh, c->data + off + pos + sizeof(nh) +
                           name_pad) < 0)
            return -1;
        pos += sizeof(nh) + name_pad + ROUNDUP((uint64_t)nh.n_descsz, NOTE_ALIGN);
        if (pos > len)
            break;                      /* the last note's padding */
    }
    return (int)(p->nr_notes - before);
}

static int parse_note_segments(struct elf_ctx *c, struct xen_elf_params *p)
{
    int found = 0, n;
    Elf64_Phdr ph;

    for (unsigned int i = 0; i < c->eh.e_phnum; i++) {
        read_phdr(c, i, &ph);
        if (ph.p_type != ELF_PT_NOTE || ph.p_offset == 0)
            continue;
        n = parse_notes(c, p, ph.p_offset, ph.p_filesz);  /* checked */
        if (n < 0)
            return -1;
        found += n;
    }
    return found;
}

static int parse_note_sections(struct elf_ctx *c, struct xen_elf_params *p)
{
    int found = 0, n;
    Elf64_Shdr sh;

    for (unsigned int i = 1; i < c->eh.e_shnum; i++) {
        read_shdr(c, i, &sh);
        if (sh.sh_type != SHT_NOTE)
            continue;
        if (!in_file(c, sh.sh_offset, sh.sh_size))
            return fail(c, "section header %u extends past end of file "
                        "(offset 0x%lx, size 0x%lx, file 0x%zx)", i,
                        sh.sh_offset, sh.sh_size, c->size);
        n = parse_notes(c, p, sh.sh_offset, sh.sh_size);
        if (n < 0)
            return -1;
        found += n;
    }
    return found;
}

/* elf_xen_parse(): segments first, sections only if they found nothing. */
static int parse_all_notes(struct elf_ctx *c, struct xen_elf_params *p)
{
    int n = parse_note_segments(c, p);

    if (n == 0)
        n = parse_note_sections(c, p);
    if (n < 0)
        return -1;
    if (n == 0)
        return fail(c, "no Xen ELF notes (not a PV kernel?)");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Checks on what the notes say                                        */

/* elf_xen_note_check(). */
static int check_notes(struct elf_ctx *c, const struct xen_elf_params *p)
{
    static const char generic[] = "generic", linux_os[] = "linux";
    static const char xen3[] = "xen-3.0";

    if (strncmp(p->loader, generic, sizeof(generic) - 1) != 0 &&
        strncmp(p->guest_os, linux_os, sizeof(linux_os) - 1) != 0)
        return fail(c, "will only load images built for the generic loader or "
                    "Linux images (LOADER \"%s\", GUEST_OS \"%s\")",
                    p->loader, p->guest_os);
    if (strncmp(p->xen_ver, xen3, sizeof(xen3) - 1) != 0)
        return fail(c, "will only load images built for Xen v3.0 "
                    "(XEN_VERSION \"%s\")", p->xen_ver);
    return 0;
}

/*
 * elf_xen_addr_calc_check(), with one message per failed condition; then
 * the stricter VIRT_BASE and HYPERCALL_PAGE rules (head comment).
 */
static int calc_addresses(struct elf_ctx *c, struct xen_elf_params *p)
{
    uint64_t virt_offset;

    if (p->elf_paddr_offset != ELF_UNSET_ADDR && p->virt_base == ELF_UNSET_ADDR)
        return fail(c, "PADDR_OFFSET note set, VIRT_BASE unset");
    if (p->virt_base == ELF_UNSET_ADDR)
        p->virt_base = 0;
    if (p->elf_paddr_offset == ELF_UNSET_ADDR)
        p->elf_paddr_offset = 0;        /* notes, not __xen_guest: 0 */
    if (p->virt_entry == ELF_UNSET_ADDR)
        p->virt_entry = c->eh.e_entry;
    virt_offset = p->virt_base - p->elf_paddr_offset;   /* mod 2^64, as Xen */
    p->virt_kstart = p->pstart + virt_offset;
    p->virt_kend = p->pend + virt_offset;
    if (p->virt_kstart > p->virt_kend)
        return fail(c, "kernel start 0x%lx is above its end 0x%lx",
                    p->virt_kstart, p->virt_kend);
    if (p->virt_entry < p->virt_kstart || p->virt_entry > p->virt_kend)
        return fail(c, "entry 0x%lx outside the kernel [0x%lx, 0x%lx]",
                    p->virt_entry, p->virt_kstart, p->virt_kend);
    if (p->virt_base > p->virt_kstart)
        return fail(c, "VIRT_BASE 0x%lx is above the kernel start 0x%lx",
                    p->virt_base, p->virt_kstart);
    if (p->p2m_base != ELF_UNSET_ADDR && p->p2m_base >= p->virt_kstart &&
        p->p2m_base < p->virt_kend)
        return fail(c, "INIT_P2M base 0x%lx inside the kernel [0x%lx, 0x%lx)",
                    p->p2m_base, p->virt_kstart, p->virt_kend);
    if (p->virt_base % GUEST_PAGE_SIZE)
        return fail(c, "VIRT_BASE 0x%lx is not page aligned", p->virt_base);
    /* Aligned and below virt_kend: the page ends by round-up(virt_kend). */
    if (p->virt_hypercall != ELF_UNSET_ADDR &&
        (p->virt_hypercall % GUEST_PAGE_SIZE ||
         p->virt_hypercall < p->virt_kstart || p->virt_hypercall >= p->virt_kend))
        return fail(c, "HYPERCALL_PAGE 0x%lx is not a page-aligned address "
                    "inside the kernel [0x%lx, 0x%lx)", p->virt_hypercall,
                    p->virt_kstart, p->virt_kend);
    return 0;
}

static int check_features(struct elf_ctx *c, const struct xen_elf_features *f,
                          uint32_t supported_by_hv)
{
    uint32_t missing = f->required & ~supported_by_hv;
    unsigned int bit;

    if (missing == 0)
        return 0;
    bit = (unsigned int)__builtin_ctz(missing);
    return fail(c, "kernel requires feature %s (bit %u), not supported here",
                feature_names[bit] ? feature_names[bit] : "?", bit);
}

static void params_init(struct xen_elf_params *p)
{
    memset(p, 0, sizeof(*p));
    p->virt_base = ELF_UNSET_ADDR;
    p->elf_paddr_offset = ELF_UNSET_ADDR;
    p->virt_entry = ELF_UNSET_ADDR;
    p->virt_hypercall = ELF_UNSET_ADDR;
    p->hv_start_low = ELF_UNSET_ADDR;
    p->p2m_base = ELF_UNSET_ADDR;
}

int elf_parse(const void *image, size_t size, uint32_t supported_by_hv,
              struct elf_image *out, char *err, size_t errlen)
{
    struct elf_ctx c = { .data = image, .size = size, .err = err,
                         .errlen = errlen, .img = out };
    struct xen_elf_params *p = &out->xen;

    if (err && errlen > 0)
        err[0] = '\0';
    memset(out, 0, sizeof(*out));
    params_init(p);
    if (check_ehdr(&c) < 0 || check_segments(&c, p) < 0 ||
        parse_all_notes(&c, p) < 0 || check_notes(&c, p) < 0 ||
        calc_addresses(&c, p) < 0 ||
        check_features(&c, &p->features, supported_by_hv) < 0)
        return -1;
    out->data = image;
    out->size = size;
    out->ehdr = image;
    return 0;
}

/*
 * Trusts img: it passed elf_parse(), so every loadable range is checked.
 * Zero-length copies and fills are not made.
 */
int elf_load_segments(const struct elf_image *img, elf_copy_fn copy,
                      elf_zero_fn zero, void *ctx)
{
    const struct xen_elf_params *p = &img->xen;
    uint64_t virt_offset = p->virt_base - p->elf_paddr_offset;
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    int rc;

    memcpy(&eh, img->data, sizeof(eh));
    for (unsigned int i = 0; i < eh.e_phnum; i++) {
        memcpy(&ph, img->data + eh.e_phoff + (uint64_t)i * sizeof(ph),
               sizeof(ph));
        if (!phdr_is_loadable(&ph))
            continue;
        rc = ph.p_filesz ? copy(ctx, ph.p_paddr + virt_offset,
                                img->data + ph.p_offset, ph.p_filesz) : 0;
        if (rc == 0 && ph.p_memsz > ph.p_filesz)
            rc = zero(ctx, ph.p_paddr + virt_offset + ph.p_filesz,
                      ph.p_memsz - ph.p_filesz);
        if (rc != 0)
            return rc;
    }
    return 0;
}
