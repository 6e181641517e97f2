/* SPDX-License-Identifier: MIT */
/*
 * multiboot.c - read the boot loader's Multiboot1 or Multiboot2 boot
 *               information into struct boot_info.
 * Owns:    the layouts of both information structures (the Multiboot
 *          0.6.96 and 2.0 specifications) and their validation.
 * Touches: only *bi and err; boot loader memory is read through map().
 * Trusts:  nothing the boot loader wrote: every pointer is read through
 *          map() with its length, every length is checked against the
 *          structure that contains it, before it is used.
 *
 * Multiboot1 (QEMU -kernel): flags select the fields; the memory map is a
 * list of entries whose own "size" field excludes itself, so entries of
 * any size >= 20 are walked (extra bytes skipped). Multiboot2 (GRUB): a
 * total_size header and 8-byte aligned tags, ended by tag type 0; tags we
 * do not know are skipped; the whole structure is mapped once.
 * Refused (-1): wrong magic, an unreadable structure or string, a tag or
 * entry that runs past its container, a module ending before it starts,
 * no memory map, a module not wholly in RAM of the map (the hypervisor
 * reads modules through its direct map of RAM) or overlapping another. Dropped with a note in err (return 0): regions and
 * modules beyond the fixed arrays, empty regions are skipped silently,
 * regions whose end would wrap past 2^64 with a note. A later cmdline or
 * loader name tag replaces an earlier one; every mmap tag is used.
 */
#include "multiboot.h"
#include "lib.h"

/* Multiboot1 flags (spec section 3.3). */
#define MB1_INFO_MEMORY      (1U << 0)
#define MB1_INFO_CMDLINE     (1U << 2)
#define MB1_INFO_MODS        (1U << 3)
#define MB1_INFO_MEM_MAP     (1U << 6)
#define MB1_INFO_LOADER_NAME (1U << 9)

/* The Multiboot1 information structure up to mmap_addr. */
struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
};
#define MB1_LOADER_NAME_OFFSET 64   /* boot_loader_name field */
_Static_assert(sizeof(struct mb1_info) == 52, "multiboot1 info layout");

struct mb1_module {
    uint32_t mod_start, mod_end, string, reserved;
};

/* A Multiboot1 mmap entry after its 4-byte size field. */
struct __attribute__((packed)) mb1_mmap_entry {
    uint64_t addr, len;
    uint32_t type;
};
_Static_assert(sizeof(struct mb1_mmap_entry) == 20, "multiboot1 mmap entry");

/* Multiboot2 tags (spec section 3.6). */
enum mb2_tag_type {
    MB2_TAG_END = 0, MB2_TAG_CMDLINE = 1, MB2_TAG_LOADER_NAME = 2,
    MB2_TAG_MODULE = 3, MB2_TAG_BASIC_MEMINFO = 4, MB2_TAG_MMAP = 6,
};
#define MB2_TAG_ALIGN 8

struct mb2_fixed { uint32_t total_size, reserved; };
struct mb2_tag { uint32_t type, size; };
struct mb2_module { struct mb2_tag tag; uint32_t mod_start, mod_end; };
struct mb2_meminfo { struct mb2_tag tag; uint32_t mem_lower, mem_upper; };
struct mb2_mmap { struct mb2_tag tag; uint32_t entry_size, entry_version; };
struct mb2_mmap_entry { uint64_t addr, len; uint32_t type, zero; };
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "multiboot2 mmap entry");

/* Parsing state shared by both protocols. */
struct mb_ctx {
    boot_map_fn map;
    void *map_ctx;
    struct boot_info *bi;
    char *err;
    size_t errlen;
    bool have_mmap;
    unsigned int dropped_mem, dropped_mods, wrapped_mem;
};

#define fail(m, ...) fail_reason((m)->err, (m)->errlen, __VA_ARGS__)

/* Copies len bytes at paddr; -1 if map() refuses them. */
static int read_phys(struct mb_ctx *m, uint64_t paddr, void *dst, size_t len)
{
    const void *p = m->map(m->map_ctx, paddr, len);

    if (p == NULL)
        return -1;
    memcpy(dst, p, len);
    return 0;
}

/*
 * A NUL-terminated string at paddr, read one byte at a time (its length
 * is unknown, and each byte must be readable), truncated to dstlen - 1.
 */
static int read_phys_string(struct mb_ctx *m, uint64_t paddr, char *dst,
                            size_t dstlen)
{
    size_t i;

    for (i = 0; i + 1 < dstlen; i++) {
        if (read_phys(m, paddr + i, &dst[i], 1) < 0)
            return -1;
        if (dst[i] == '\0')
            return 0;
    }
    dst[i] = '\0';
    return 0;
}

/* A string inside a tag: at most len bytes, NUL or not. */
static void copy_bounded(char *dst, size_t dstlen, const char *src, size_t len)
{
    size_t n = strnlen(src, MIN(len, dstlen - 1));

    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Any entry, even an empty one, means the loader gave a memory map. */
static void add_region(struct mb_ctx *m, uint64_t addr, uint64_t len,
                       uint32_t type)
{
    struct boot_info *bi = m->bi;

    m->have_mmap = true;
    if (len == 0)
        return;
    if (addr + len < addr) {
        m->wrapped_mem++;
        return;
    }
    if (bi->nr_mem == BOOT_MAX_MEM_REGIONS) {
        m->dropped_mem++;
        return;
    }
    bi->mem[bi->nr_mem++] = (struct boot_mem_region){ addr, len, type };
}

/* The next module slot, or NULL (counted as dropped) when all are used. */
static struct boot_module *module_slot(struct mb_ctx *m, unsigned int idx,
                                       uint64_t start, uint64_t end, int *rc)
{
    *rc = 0;
    if (end < start) {
        *rc = fail(m, "module %u ends (0x%lx) before it starts (0x%lx)",
                   idx, end, start);
        return NULL;
    }
    if (m->bi->nr_modules == BOOT_MAX_MODULES) {
        m->dropped_mods++;
        return NULL;
    }
    m->bi->modules[m->bi->nr_modules] = (struct boot_module){ start, end, "" };
    return &m->bi->modules[m->bi->nr_modules++];
}

/* ------------------------------------------------------------------ */
/* Multiboot1                                                          */

static int mb1_modules(struct mb_ctx *m, const struct mb1_info *info)
{
    struct mb1_module mod;
    struct boot_module *slot;
    int rc;

    for (uint32_t i = 0; i < info->mods_count; i++) {
        if (m->bi->nr_modules == BOOT_MAX_MODULES) {
            m->dropped_mods += info->mods_count - i;   /* not even read */
            break;
        }
        if (read_phys(m, info->mods_addr + (uint64_t)i * sizeof(mod), &mod,
                      sizeof(mod)) < 0)
            return fail(m, "module entry %u at 0x%lx unreadable", i,
                        info->mods_addr + (uint64_t)i * sizeof(mod));
        slot = module_slot(m, i, mod.mod_start, mod.mod_end, &rc);
        if (rc < 0)
            return -1;
        if (mod.string && read_phys_string(m, mod.string, slot->string,
                                           sizeof(slot->string)) < 0)
            return fail(m, "module %u string at 0x%x unreadable", i, mod.string);
    }
    return 0;
}

/* Entries are [size][size bytes]; size excludes the field itself. */
static int mb1_mmap(struct mb_ctx *m, const struct mb1_info *info)
{
    struct mb1_mmap_entry e;
    uint64_t off = 0, at;
    uint32_t size;

    for (unsigned int i = 0; off < info->mmap_length; i++) {
        at = info->mmap_addr + off;
        if (info->mmap_length - off < sizeof(size) ||
            read_phys(m, at, &size, sizeof(size)) < 0)
            return fail(m, "memory map entry %u at 0x%lx unreadable", i, at);
        if (size < sizeof(e))
            return fail(m, "memory map entry %u has size %u < %zu", i, size,
                        sizeof(e));
        if (size > info->mmap_length - off - sizeof(size))
            return fail(m, "memory map entry %u (size %u) runs past the map "
                        "(length %u)", i, size, info->mmap_length);
        if (read_phys(m, at + sizeof(size), &e, sizeof(e)) < 0)
            return fail(m, "memory map entry %u at 0x%lx unreadable", i, at);
        add_region(m, e.addr, e.len, e.type);
        off += sizeof(size) + size;
    }
    return 0;
}

/* Command line and boot loader name. */
static int mb1_strings(struct mb_ctx *m, const struct mb1_info *info,
                       uint64_t info_paddr)
{
    struct boot_info *bi = m->bi;
    uint32_t name;

    if ((info->flags & MB1_INFO_CMDLINE) &&
        read_phys_string(m, info->cmdline, bi->cmdline, sizeof(bi->cmdline)) < 0)
        return fail(m, "command line at 0x%x unreadable", info->cmdline);
    if (!(info->flags & MB1_INFO_LOADER_NAME))
        return 0;
    if (read_phys(m, info_paddr + MB1_LOADER_NAME_OFFSET, &name, sizeof(name)) < 0)
        return fail(m, "multiboot1 info at 0x%lx unreadable (loader name)",
                    info_paddr);
    if (read_phys_string(m, name, bi->loader, sizeof(bi->loader)) < 0)
        return fail(m, "boot loader name at 0x%x unreadable", name);
    return 0;
}

static int mb1_parse(struct mb_ctx *m, uint64_t info_paddr)
{
    struct mb1_info info;

    if (read_phys(m, info_paddr, &info, sizeof(info)) < 0)
        return fail(m, "multiboot1 info at 0x%lx unreadable", info_paddr);
    if (info.flags & MB1_INFO_MEMORY) {
        m->bi->mem_lower_kb = info.mem_lower;
        m->bi->mem_upper_kb = info.mem_upper;
    }
    if (mb1_strings(m, &info, info_paddr) < 0)
        return -1;
    if ((info.flags & MB1_INFO_MODS) && mb1_modules(m, &info) < 0)
        return -1;
    if ((info.flags & MB1_INFO_MEM_MAP) && mb1_mmap(m, &info) < 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Multiboot2                                                          */

static int mb2_module(struct mb_ctx *m, const uint8_t *tag, uint32_t size)
{
    struct mb2_module mod;
    struct boot_module *slot;
    unsigned int idx = m->bi->nr_modules + m->dropped_mods;
    int rc;

    if (size < sizeof(mod))
        return fail(m, "module tag of %u bytes is smaller than %zu", size,
                    sizeof(mod));
    memcpy(&mod, tag, sizeof(mod));
    slot = module_slot(m, idx, mod.mod_start, mod.mod_end, &rc);
    if (slot)
        copy_bounded(slot->string, sizeof(slot->string),
                     (const char *)tag + sizeof(mod), size - sizeof(mod));
    return rc;
}

static int mb2_mmap(struct mb_ctx *m, const uint8_t *tag, uint32_t size)
{
    struct mb2_mmap hdr;
    struct mb2_mmap_entry e;
    uint32_t body;

    if (size < sizeof(hdr))
        return fail(m, "mmap tag of %u bytes is smaller than %zu", size,
                    sizeof(hdr));
    memcpy(&hdr, tag, sizeof(hdr));
    if (hdr.entry_size < sizeof(e))
        return fail(m, "mmap tag entry size %u < %zu", hdr.entry_size, sizeof(e));
    body = size - (uint32_t)sizeof(hdr);
    if (body % hdr.entry_size != 0)
        return fail(m, "mmap tag: %u bytes of entries is not a multiple of "
                    "the entry size %u", body, hdr.entry_size);
    for (uint32_t off = 0; off < body; off += hdr.entry_size) {
        memcpy(&e, tag + sizeof(hdr) + off, sizeof(e));
        add_region(m, e.addr, e.len, e.type);
    }
    return 0;
}

static int mb2_meminfo(struct mb_ctx *m, const uint8_t *tag, uint32_t size)
{
    struct mb2_meminfo mi;

    if (size < sizeof(mi))
        return fail(m, "basic meminfo tag of %u bytes is smaller than %zu",
                    size, sizeof(mi));
    memcpy(&mi, tag, sizeof(mi));
    m->bi->mem_lower_kb = mi.mem_lower;
    m->bi->mem_upper_kb = mi.mem_upper;
    return 0;
}

/* One tag of size bytes (inside the structure, >= its header). */
static int mb2_tag(struct mb_ctx *m, const uint8_t *tag, uint32_t type,
                   uint32_t size)
{
    const char *text = (const char *)tag + sizeof(struct mb2_tag);
    size_t text_len = size - sizeof(struct mb2_tag);

    switch (type) {
    case MB2_TAG_CMDLINE:
        copy_bounded(m->bi->cmdline, sizeof(m->bi->cmdline), text, text_len);
        return 0;
    case MB2_TAG_LOADER_NAME:
        copy_bounded(m->bi->loader, sizeof(m->bi->loader), text, text_len);
        return 0;
    case MB2_TAG_MODULE:
        return mb2_module(m, tag, size);
    case MB2_TAG_BASIC_MEMINFO:
        return mb2_meminfo(m, tag, size);
    case MB2_TAG_MMAP:
        return mb2_mmap(m, tag, size);
    default:
        return 0;                   /* framebuffer, ACPI, ...: not ours */
    }
}

static int mb2_parse(struct mb_ctx *m, uint64_t info_paddr)
{
    struct mb2_fixed fixed;
    struct mb2_tag tag;
    const uint8_t *mbi;
    uint64_t off = sizeof(fixed);

    if (read_phys(m, info_paddr, &fixed, sizeof(fixed)) < 0)
        return fail(m, "multiboot2 info at 0x%lx unreadable", info_paddr);
    if (fixed.total_size < sizeof(fixed) + sizeof(tag))
        return fail(m, "multiboot2 total_size %u too small", fixed.total_size);
    mbi = m->map(m->map_ctx, info_paddr, fixed.total_size);
    if (mbi == NULL)
        return fail(m, "multiboot2 info at 0x%lx (%u bytes) unreadable",
                    info_paddr, fixed.total_size);
    while (fixed.total_size - off >= sizeof(tag)) {
        memcpy(&tag, mbi + off, sizeof(tag));
        if (tag.size < sizeof(tag) || tag.size > fixed.total_size - off)
            return fail(m, "tag type %u at offset 0x%lx (size %u) runs past "
                        "total_size %u", tag.type, off, tag.size,
                        fixed.total_size);
        if (tag.type == MB2_TAG_END)
            return 0;
        if (mb2_tag(m, mbi + off, tag.type, tag.size) < 0)
            return -1;
        off += ROUNDUP((uint64_t)tag.size, MB2_TAG_ALIGN);
        if (off > fixed.total_size)
            break;
    }
    return fail(m, "multiboot2 info has no end tag within total_size %u",
                fixed.total_size);
}

/* ------------------------------------------------------------------ */

/* Is [start, end) covered by RAM regions (which may abut or overlap)? */
static bool range_in_ram(const struct boot_info *bi, uint64_t start,
                         uint64_t end)
{
    bool advanced = true;

    while (start < end && advanced) {          /* at most nr_mem + 1 passes */
        advanced = false;
        for (unsigned int i = 0; i < bi->nr_mem; i++) {
            const struct boot_mem_region *r = &bi->mem[i];
            if (r->type == BOOT_MEM_RAM && r->addr <= start &&
                start < r->addr + r->len) {
                start = r->addr + r->len;
                advanced = true;
            }
        }
    }
    return start >= end;
}

static int check_modules(struct mb_ctx *m)
{
    const struct boot_info *bi = m->bi;

    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *a = &bi->modules[i];
        if (!range_in_ram(bi, a->start, a->end))
            return fail(m, "module %u [0x%lx, 0x%lx) is not in RAM", i,
                        a->start, a->end);
        for (unsigned int j = 0; j < i; j++) {
            const struct boot_module *b = &bi->modules[j];
            if (a->start < b->end && b->start < a->end)
                return fail(m, "modules %u [0x%lx, 0x%lx) and %u [0x%lx, "
                            "0x%lx) overlap", j, b->start, b->end, i,
                            a->start, a->end);
        }
    }
    return 0;
}

/* The note for what did not fit (err stays "" when everything did). */
static void note_dropped(struct mb_ctx *m)
{
    if (m->errlen == 0 || !(m->dropped_mem || m->dropped_mods || m->wrapped_mem))
        return;
    snprintf(m->err, m->errlen, "dropped %u memory regions (max %d), %u "
             "modules (max %d), %u wrapping regions", m->dropped_mem,
             BOOT_MAX_MEM_REGIONS, m->dropped_mods, BOOT_MAX_MODULES,
             m->wrapped_mem);
}

int multiboot_parse(uint32_t magic, uint64_t info_paddr, boot_map_fn map,
                    void *ctx, struct boot_info *bi, char *err, size_t errlen)
{
    struct mb_ctx m = { .map = map, .map_ctx = ctx, .bi = bi, .err = err,
                        .errlen = err ? errlen : 0 };
    int rc;

    memset(bi, 0, sizeof(*bi));
    if (m.errlen > 0)
        err[0] = '\0';
    if (magic == MULTIBOOT1_BOOTLOADER_MAGIC) {
        bi->protocol = 1;
        rc = mb1_parse(&m, info_paddr);
    } else if (magic == MULTIBOOT2_BOOTLOADER_MAGIC) {
        bi->protocol = 2;
        rc = mb2_parse(&m, info_paddr);
    } else {
        return fail(&m, "boot loader magic 0x%x is neither multiboot1 (0x%x) "
                    "nor multiboot2 (0x%x)", magic, MULTIBOOT1_BOOTLOADER_MAGIC,
                    MULTIBOOT2_BOOTLOADER_MAGIC);
    }
    if (rc < 0)
        return -1;
    if (!m.have_mmap)
        return fail(&m, "no memory map from the boot loader");
    if (check_modules(&m) < 0)
        return -1;
    note_dropped(&m);
    return 0;
}
