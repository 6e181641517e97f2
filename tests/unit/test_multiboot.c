/* SPDX-License-Identifier: MIT */
/*
 * test_multiboot.c - unit tests for hypervisor/arch/x86_64/boot/multiboot.c.
 * Owns:    the tests, and a fake physical memory that map() serves: a
 *          window [MEM_BASE, MEM_BASE + MEM_SIZE) that can be told to
 *          refuse its Nth request. Boot information is written into it
 *          field by field, as a boot loader would.
 */
#include "harness.h"
#include "multiboot.h"

#define MEM_BASE 0x10000ULL
#define MEM_SIZE 0x8000ULL
#define MEM_END  (MEM_BASE + MEM_SIZE)

/* Multiboot1 layout (spec 3.3): where this test places each piece. */
#define MB1_INFO     0x10000ULL
#define MB1_CMDLINE  0x10100ULL
#define MB1_LOADER   0x10180ULL
#define MB1_MODS     0x10200ULL
#define MB1_MODSTR   0x10400ULL
#define MB1_MMAP     0x10800ULL
#define MB1_FLAGS_ALL ((1U << 0) | (1U << 2) | (1U << 3) | (1U << 6) | (1U << 9))
enum { I_FLAGS = 0, I_MEM_LOWER = 4, I_MEM_UPPER = 8, I_CMDLINE = 16,
       I_MODS_COUNT = 20, I_MODS_ADDR = 24, I_MMAP_LENGTH = 44,
       I_MMAP_ADDR = 48, I_LOADER = 64 };

/* Multiboot2 (spec 3.6). */
#define MB2_INFO     0x11000ULL
enum { T_END = 0, T_CMDLINE = 1, T_LOADER = 2, T_MODULE = 3, T_MEMINFO = 4,
       T_MMAP = 6, T_FRAMEBUFFER = 8 };

static uint8_t mem[MEM_SIZE];
static struct boot_info bi;
static char err[256];

struct fake_map {
    unsigned int calls;
    unsigned int fail_at;        /* 1-based call that returns NULL; 0 none */
};
static struct fake_map fm;

static const void *fake_map(void *ctx, uint64_t paddr, size_t len)
{
    struct fake_map *f = ctx;

    f->calls++;
    if (f->fail_at && f->calls == f->fail_at)
        return NULL;
    if (paddr < MEM_BASE || paddr > MEM_END || len > MEM_END - paddr)
        return NULL;
    return mem + (paddr - MEM_BASE);
}

static void put(uint64_t paddr, uint64_t v, unsigned int n)
{
    ck_assert(paddr >= MEM_BASE && paddr + n <= MEM_END);
    for (unsigned int i = 0; i < n; i++)
        mem[paddr - MEM_BASE + i] = (uint8_t)(v >> (8 * i));
}

static void put_str(uint64_t paddr, const char *s)
{
    memcpy(mem + (paddr - MEM_BASE), s, strlen(s) + 1);
}

static int parse(uint32_t magic, uint64_t info)
{
    memset(err, 'X', sizeof(err));
    fm.calls = 0;
    return multiboot_parse(magic, info, fake_map, &fm, &bi, err, sizeof(err));
}

static int parse1(void)
{
    return parse(MULTIBOOT1_BOOTLOADER_MAGIC, MB1_INFO);
}

static int parse2(void)
{
    return parse(MULTIBOOT2_BOOTLOADER_MAGIC, MB2_INFO);
}

#define ck_assert_fails(call, substr) do { \
    ck_assert_msg((call) == -1, "accepted; expected \"%s\"", (substr)); \
    ck_assert_msg(strstr(err, (substr)) != NULL, "error \"%s\" lacks \"%s\"", \
                  err, (substr)); \
} while (0)

#define ck_assert_ok(call) ck_assert_msg((call) == 0, "refused: %s", err)

static void reset(void)
{
    memset(mem, 0, sizeof(mem));
    fm = (struct fake_map){ 0 };
}

/* -------------------------------------------------- Multiboot1 ---- */

/* One mmap entry of the given size field at *at; advances *at. */
static void mb1_entry(uint64_t *at, uint32_t size, uint64_t addr,
                      uint64_t len, uint32_t type)
{
    put(*at, size, 4);
    put(*at + 4, addr, 8);
    put(*at + 12, len, 8);
    put(*at + 20, type, 4);
    *at += 4 + size;
}

static void mb1_module(unsigned int i, uint32_t start, uint32_t end,
                       const char *s)
{
    uint64_t e = MB1_MODS + 16ULL * i, str = MB1_MODSTR + 64ULL * i;

    put(e, start, 4);
    put(e + 4, end, 4);
    put(e + 8, s ? str : 0, 4);
    if (s)
        put_str(str, s);
}

/* A QEMU-like structure: memory info, cmdline, 2 modules, 3 regions. */
static void mb1_std(void)
{
    uint64_t at = MB1_MMAP;

    reset();
    put(MB1_INFO + I_FLAGS, MB1_FLAGS_ALL, 4);
    put(MB1_INFO + I_MEM_LOWER, 639, 4);
    put(MB1_INFO + I_MEM_UPPER, 130048, 4);
    put(MB1_INFO + I_CMDLINE, MB1_CMDLINE, 4);
    put_str(MB1_CMDLINE, "/boot/pvisor loglvl=all");
    put(MB1_INFO + I_LOADER, MB1_LOADER, 4);
    put_str(MB1_LOADER, "qemu");
    put(MB1_INFO + I_MODS_COUNT, 2, 4);
    put(MB1_INFO + I_MODS_ADDR, MB1_MODS, 4);
    mb1_module(0, 0x200000, 0x300000, "dom0.elf console=hvc0");
    mb1_module(1, 0x300000, 0x300000, NULL);
    mb1_entry(&at, 20, 0, 0x9fc00, BOOT_MEM_RAM);
    mb1_entry(&at, 20, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
    mb1_entry(&at, 20, 0x100000, 0x7f00000, BOOT_MEM_RAM);
    put(MB1_INFO + I_MMAP_ADDR, MB1_MMAP, 4);
    put(MB1_INFO + I_MMAP_LENGTH, at - MB1_MMAP, 4);
}

START_TEST(mb1_full)
{
    mb1_std();
    ck_assert_ok(parse1());
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(bi.protocol, 1);
    ck_assert_str_eq(bi.cmdline, "/boot/pvisor loglvl=all");
    ck_assert_str_eq(bi.loader, "qemu");
    ck_assert_uint_eq(bi.mem_lower_kb, 639);
    ck_assert_uint_eq(bi.mem_upper_kb, 130048);
    ck_assert_uint_eq(bi.nr_modules, 2);
    ck_assert_uint_eq(bi.modules[0].start, 0x200000);
    ck_assert_uint_eq(bi.modules[0].end, 0x300000);
    ck_assert_str_eq(bi.modules[0].string, "dom0.elf console=hvc0");
    ck_assert_uint_eq(bi.modules[1].start, 0x300000);
    ck_assert_str_eq(bi.modules[1].string, "");
    ck_assert_uint_eq(bi.nr_mem, 3);
    ck_assert_uint_eq(bi.mem[1].addr, 0xf0000);
    ck_assert_uint_eq(bi.mem[1].len, 0x10000);
    ck_assert_uint_eq(bi.mem[1].type, BOOT_MEM_RESERVED);
    ck_assert_uint_eq(bi.mem[2].addr, 0x100000);
    ck_assert_uint_eq(bi.mem[2].type, BOOT_MEM_RAM);
}
END_TEST

/* Fields whose flag is clear are not read, even if they hold garbage. */
START_TEST(mb1_flags_select_fields)
{
    mb1_std();
    put(MB1_INFO + I_FLAGS, 1U << 6, 4);
    put(MB1_INFO + I_CMDLINE, 0xdead0000, 4);
    put(MB1_INFO + I_LOADER, 0xdead0000, 4);
    put(MB1_INFO + I_MODS_COUNT, 1000, 4);
    ck_assert_ok(parse1());
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_str_eq(bi.loader, "");
    ck_assert_uint_eq(bi.nr_modules, 0);
    ck_assert_uint_eq(bi.mem_lower_kb, 0);
    ck_assert_uint_eq(bi.nr_mem, 3);
}
END_TEST

START_TEST(mb1_no_memory_map)
{
    mb1_std();
    put(MB1_INFO + I_FLAGS, MB1_FLAGS_ALL & ~(1U << 6), 4);
    ck_assert_fails(parse1(), "no memory map");
    mb1_std();
    put(MB1_INFO + I_MMAP_LENGTH, 0, 4);
    ck_assert_fails(parse1(), "no memory map");
}
END_TEST

/* Entry sizes other than 20: larger ones are walked by their size. */
START_TEST(mb1_mmap_entry_sizes)
{
    uint64_t at = MB1_MMAP;

    mb1_std();
    put(MB1_INFO + I_MODS_COUNT, 0, 4);     /* no modules to be in RAM */
    mb1_entry(&at, 24, 0x1000, 0x1000, BOOT_MEM_RAM);
    put(at - 4, 0xffffffff, 4);                /* the 4 extra bytes */
    mb1_entry(&at, 20, 0x3000, 0x1000, BOOT_MEM_ACPI);
    mb1_entry(&at, 100, 0x5000, 0x2000, 42);   /* unknown type kept */
    put(MB1_INFO + I_MMAP_LENGTH, at - MB1_MMAP, 4);
    ck_assert_ok(parse1());
    ck_assert_uint_eq(bi.nr_mem, 3);
    ck_assert_uint_eq(bi.mem[1].addr, 0x3000);
    ck_assert_uint_eq(bi.mem[1].type, BOOT_MEM_ACPI);
    ck_assert_uint_eq(bi.mem[2].type, 42);
}
END_TEST

START_TEST(mb1_mmap_entry_too_small)
{
    uint64_t at = MB1_MMAP;

    mb1_std();
    mb1_entry(&at, 16, 0x1000, 0x1000, BOOT_MEM_RAM);
    ck_assert_fails(parse1(), "memory map entry 0 has size 16 < 20");
    at = MB1_MMAP;
    mb1_std();
    mb1_entry(&at, 20, 0x1000, 0x1000, BOOT_MEM_RAM);
    put(at, 0, 4);                             /* size 0: no endless loop */
    put(MB1_INFO + I_MMAP_LENGTH, 48, 4);
    ck_assert_fails(parse1(), "memory map entry 1 has size 0");
}
END_TEST

START_TEST(mb1_mmap_entry_past_map)
{
    mb1_std();
    put(MB1_INFO + I_MMAP_LENGTH, 3 * 24 - 1, 4);
    ck_assert_fails(parse1(), "memory map entry 2 (size 20) runs past the map (length 71)");
    mb1_std();
    put(MB1_INFO + I_MMAP_LENGTH, 3 * 24 + 2, 4); /* 2 bytes: no size field */
    ck_assert_fails(parse1(), "memory map entry 3 at 0x10848 unreadable");
}
END_TEST

START_TEST(mb1_mmap_outside_memory)
{
    mb1_std();
    put(MB1_INFO + I_MMAP_ADDR, MEM_END - 10, 4);
    ck_assert_fails(parse1(), "memory map entry 0");
    mb1_std();
    put(MB1_INFO + I_MMAP_ADDR, 0xfffffff0, 4);
    put(MB1_INFO + I_MMAP_LENGTH, 0xffffffff, 4);
    ck_assert_fails(parse1(), "unreadable");
}
END_TEST

START_TEST(mb1_too_many_regions)
{
    uint64_t at = MB1_MMAP;

    mb1_std();
    put(MB1_INFO + I_MODS_COUNT, 0, 4);     /* no modules to be in RAM */
    for (unsigned int i = 0; i < BOOT_MAX_MEM_REGIONS + 6; i++)
        mb1_entry(&at, 20, 0x1000ULL * i, 0x1000, BOOT_MEM_RAM);
    put(MB1_INFO + I_MMAP_LENGTH, at - MB1_MMAP, 4);
    ck_assert_ok(parse1());
    ck_assert_uint_eq(bi.nr_mem, BOOT_MAX_MEM_REGIONS);
    ck_assert_uint_eq(bi.mem[BOOT_MAX_MEM_REGIONS - 1].addr,
                      0x1000ULL * (BOOT_MAX_MEM_REGIONS - 1));
    ck_assert_msg(strstr(err, "dropped 6 memory regions (max 64)"), "%s", err);
}
END_TEST

START_TEST(mb1_empty_and_wrapping_regions)
{
    uint64_t at = MB1_MMAP;

    mb1_std();
    put(MB1_INFO + I_MODS_COUNT, 0, 4);     /* no modules to be in RAM */
    mb1_entry(&at, 20, 0x1000, 0, BOOT_MEM_RAM);            /* empty */
    mb1_entry(&at, 20, UINT64_MAX - 0xfff, 0x2000, BOOT_MEM_RAM);
    mb1_entry(&at, 20, UINT64_MAX - 0xfff, 0x800, BOOT_MEM_RESERVED);
    put(MB1_INFO + I_MMAP_LENGTH, at - MB1_MMAP, 4);
    ck_assert_ok(parse1());
    ck_assert_uint_eq(bi.nr_mem, 1);                        /* the last */
    ck_assert_uint_eq(bi.mem[0].type, BOOT_MEM_RESERVED);
    ck_assert_msg(strstr(err, "1 wrapping regions"), "%s", err);
}
END_TEST

START_TEST(mb1_too_many_modules)
{
    char name[16];

    mb1_std();
    for (unsigned int i = 0; i < BOOT_MAX_MODULES + 2; i++) {
        snprintf(name, sizeof(name), "mod%u", i);
        mb1_module(i, 0x400000 + 0x1000 * i, 0x400800 + 0x1000 * i, name);
    }
    put(MB1_INFO + I_MODS_COUNT, BOOT_MAX_MODULES + 2, 4);
    ck_assert_ok(parse1());
    ck_assert_uint_eq(bi.nr_modules, BOOT_MAX_MODULES);
    ck_assert_str_eq(bi.modules[BOOT_MAX_MODULES - 1].string, "mod7");
    ck_assert_msg(strstr(err, "2 modules (max 8)"), "%s", err);
    /* A count of 4 billion is not read entry by entry. */
    put(MB1_INFO + I_MODS_COUNT, 0xffffffff, 4);
    ck_assert_ok(parse1());
    ck_assert_msg(strstr(err, "4294967287 modules"), "%s", err);
}
END_TEST

START_TEST(mb1_module_ends_before_start)
{
    mb1_std();
    mb1_module(1, 0x300000, 0x2fffff, "bad");
    ck_assert_fails(parse1(), "module 1 ends (0x2fffff) before it starts (0x300000)");
}
END_TEST

/*
 * The hypervisor reads modules through its direct map, which covers RAM
 * only: a module elsewhere (here the hole at 0x9fc00-0x100000, the
 * reserved region, past the end of RAM) or one that overlaps another
 * is refused, not left to fault at dom0 build.
 */
START_TEST(mb1_module_outside_ram_or_overlapping)
{
    static const struct { uint32_t start, end; const char *why; } bad[] = {
        { 0x9f000, 0xa0000, "module 1 [0x9f000, 0xa0000) is not in RAM" },
        { 0xf0000, 0xf1000, "module 1 [0xf0000, 0xf1000) is not in RAM" },
        { 0x7fff000, 0x8001000, "is not in RAM" },
        { 0xfffff000, 0xffffffff, "is not in RAM" },
        { 0x2ff000, 0x301000, "modules 0 [0x200000, 0x300000) and 1 "
                              "[0x2ff000, 0x301000) overlap" },
        { 0x100000, 0x400000, "overlap" },
    };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mb1_std();
        mb1_module(1, bad[i].start, bad[i].end, "m");
        ck_assert_fails(parse1(), bad[i].why);
    }
    /* Abutting modules, and a module over two abutting RAM regions. */
    mb1_std();
    mb1_module(1, 0x300000, 0x400000, "m");
    ck_assert_ok(parse1());
}
END_TEST

START_TEST(mb1_module_table_unreadable)
{
    mb1_std();
    put(MB1_INFO + I_MODS_ADDR, MEM_END - 8, 4);
    ck_assert_fails(parse1(), "module entry 0 at 0x17ff8 unreadable");
    mb1_std();
    mb1_module(0, 0x200000, 0x300000, NULL);
    put(MB1_MODS + 8, MEM_END + 100, 4);
    ck_assert_fails(parse1(), "module 0 string at 0x18064 unreadable");
}
END_TEST

START_TEST(mb1_strings_unreadable_or_long)
{
    mb1_std();
    put(MB1_INFO + I_CMDLINE, 0x100, 4);
    ck_assert_fails(parse1(), "command line at 0x100 unreadable");
    /* A string running to the end of memory without its NUL. */
    mb1_std();
    memset(mem + (MEM_END - 16 - MEM_BASE), 'a', 16);
    put(MB1_INFO + I_LOADER, MEM_END - 16, 4);
    ck_assert_fails(parse1(), "boot loader name at 0x17ff0 unreadable");
    /* Longer than the buffer: truncated, the rest is never read. */
    mb1_std();
    memset(mem + (0x12000 - MEM_BASE), 'c', 3000);
    put(MB1_INFO + I_CMDLINE, 0x12000, 4);
    ck_assert_ok(parse1());
    ck_assert_uint_eq(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}
END_TEST

START_TEST(mb1_info_unreadable)
{
    reset();
    ck_assert_fails(parse(MULTIBOOT1_BOOTLOADER_MAGIC, MEM_END - 20),
                    "multiboot1 info at 0x17fec unreadable");
    mb1_std();
    ck_assert_fails(parse(MULTIBOOT1_BOOTLOADER_MAGIC, UINT64_MAX - 4),
                    "unreadable");
}
END_TEST

/* Loader-name field beyond the 52 bytes always read. */
START_TEST(mb1_loader_field_unreadable)
{
    mb1_std();
    memcpy(mem + (MEM_END - 60 - MEM_BASE), mem + (MB1_INFO - MEM_BASE), 60);
    ck_assert_fails(parse(MULTIBOOT1_BOOTLOADER_MAGIC, MEM_END - 60),
                    "(loader name)");
}
END_TEST

/* -------------------------------------------------- Multiboot2 ---- */

static uint64_t mb2_at;

static void mb2_begin(void)
{
    reset();
    mb2_at = MB2_INFO + 8;
}

/* Starts a tag of the given total size; returns where its body goes. */
static uint64_t mb2_tag(uint32_t type, uint32_t size)
{
    uint64_t tag = mb2_at;

    put(tag, type, 4);
    put(tag + 4, size, 4);
    mb2_at += (size + 7) & ~7u;
    return tag + 8;
}

static void mb2_string_tag(uint32_t type, const char *s)
{
    put_str(mb2_tag(type, 8 + (uint32_t)strlen(s) + 1), s);
}

static void mb2_module(uint32_t start, uint32_t end, const char *s)
{
    uint64_t body = mb2_tag(T_MODULE, 16 + (uint32_t)strlen(s) + 1);

    put(body, start, 4);
    put(body + 4, end, 4);
    put_str(body + 8, s);
}

static void mb2_mmap(uint32_t entry_size, unsigned int n, uint64_t first)
{
    uint64_t body = mb2_tag(T_MMAP, 16 + entry_size * n);

    put(body, entry_size, 4);
    put(body + 4, 0, 4);
    for (unsigned int i = 0; i < n; i++) {
        uint64_t e = body + 8 + (uint64_t)entry_size * i;

        put(e, first + 0x100000ULL * i, 8);
        put(e + 8, 0x80000, 8);
        put(e + 16, i == 1 ? BOOT_MEM_RESERVED : BOOT_MEM_RAM, 4);
    }
}

static void mb2_end(void)
{
    mb2_tag(T_END, 8);
    put(MB2_INFO, mb2_at - MB2_INFO, 4);
}

/* A GRUB-like structure. */
static void mb2_std(void)
{
    uint64_t body;

    mb2_begin();
    mb2_string_tag(T_CMDLINE, "pvisor dom0_mem=512M");   /* size 29: pad */
    mb2_string_tag(T_LOADER, "GRUB 2.06");
    mb2_module(0x200000, 0x240000, "/boot/dom0 console=hvc0");
    mb2_module(0x240000, 0x280000, "initrd");       /* RAM ends here */
    body = mb2_tag(T_MEMINFO, 16);
    put(body, 639, 4);
    put(body + 4, 523264, 4);
    mb2_tag(T_FRAMEBUFFER, 0x1d);                       /* skipped */
    mb2_mmap(24, 3, 0);
    mb2_end();
}

START_TEST(mb2_full)
{
    mb2_std();
    ck_assert_ok(parse2());
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(bi.protocol, 2);
    ck_assert_str_eq(bi.cmdline, "pvisor dom0_mem=512M");
    ck_assert_str_eq(bi.loader, "GRUB 2.06");
    ck_assert_uint_eq(bi.nr_modules, 2);
    ck_assert_uint_eq(bi.modules[0].start, 0x200000);
    ck_assert_uint_eq(bi.modules[0].end, 0x240000);
    ck_assert_str_eq(bi.modules[0].string, "/boot/dom0 console=hvc0");
    ck_assert_str_eq(bi.modules[1].string, "initrd");
    ck_assert_uint_eq(bi.mem_lower_kb, 639);
    ck_assert_uint_eq(bi.mem_upper_kb, 523264);
    ck_assert_uint_eq(bi.nr_mem, 3);
    ck_assert_uint_eq(bi.mem[1].addr, 0x100000);
    ck_assert_uint_eq(bi.mem[1].len, 0x80000);
    ck_assert_uint_eq(bi.mem[1].type, BOOT_MEM_RESERVED);
}
END_TEST

/* Tags after the end tag are not looked at. */
START_TEST(mb2_end_tag_stops)
{
    mb2_begin();
    mb2_mmap(24, 1, 0);
    mb2_tag(T_END, 8);
    mb2_string_tag(T_CMDLINE, "ignored");
    put(MB2_INFO, mb2_at - MB2_INFO, 4);
    ck_assert_ok(parse2());
    ck_assert_str_eq(bi.cmdline, "");
}
END_TEST

START_TEST(mb2_tag_runs_past_total)
{
    mb2_std();
    put(MB2_INFO + 8 + 4, 0x1000, 4);            /* the cmdline tag's size */
    ck_assert_fails(parse2(), "tag type 1 at offset 0x8 (size 4096) runs past total_size");
}
END_TEST

START_TEST(mb2_tag_too_small)
{
    mb2_std();
    put(MB2_INFO + 8 + 4, 4, 4);
    ck_assert_fails(parse2(), "(size 4) runs past");
    put(MB2_INFO + 8 + 4, 0, 4);                 /* size 0: no endless loop */
    ck_assert_fails(parse2(), "(size 0) runs past");
}
END_TEST

START_TEST(mb2_truncated_total_size)
{
    mb2_std();
    put(MB2_INFO, (uint32_t)(mb2_at - MB2_INFO - 8), 4);   /* end tag cut */
    ck_assert_fails(parse2(), "no end tag within total_size");
    put(MB2_INFO, 12, 4);
    ck_assert_fails(parse2(), "total_size 12 too small");
    put(MB2_INFO, 0, 4);
    ck_assert_fails(parse2(), "total_size 0 too small");
    put(MB2_INFO, 0x100000, 4);                  /* past the memory */
    ck_assert_fails(parse2(), "(1048576 bytes) unreadable");
}
END_TEST

/* Nothing after the end tag needs to lie inside total_size. */
START_TEST(mb2_total_cuts_after_end)
{
    mb2_begin();
    mb2_mmap(24, 1, 0);
    mb2_tag(T_END, 8);
    mb2_string_tag(T_CMDLINE, "abc");            /* never reached */
    put(MB2_INFO, mb2_at - MB2_INFO - 4, 4);
    ck_assert_ok(parse2());
}
END_TEST

START_TEST(mb2_mmap_entry_sizes)
{
    mb2_begin();
    mb2_mmap(32, 2, 0x1000000);                  /* larger entries: fine */
    mb2_end();
    ck_assert_ok(parse2());
    ck_assert_uint_eq(bi.nr_mem, 2);
    ck_assert_uint_eq(bi.mem[1].addr, 0x1100000);
    mb2_begin();
    mb2_mmap(20, 2, 0);
    mb2_end();
    ck_assert_fails(parse2(), "mmap tag entry size 20 < 24");
    mb2_begin();
    mb2_mmap(0, 2, 0);
    mb2_end();
    ck_assert_fails(parse2(), "entry size 0 < 24");
}
END_TEST

START_TEST(mb2_mmap_partial_entry)
{
    mb2_begin();
    mb2_mmap(24, 2, 0);
    mb2_end();
    put(MB2_INFO + 8 + 4, 16 + 24 * 2 - 8, 4);   /* one entry and a third */
    ck_assert_fails(parse2(), "40 bytes of entries is not a multiple of the entry size 24");
    put(MB2_INFO + 8 + 4, 12, 4);
    ck_assert_fails(parse2(), "mmap tag of 12 bytes is smaller than 16");
}
END_TEST

START_TEST(mb2_no_or_empty_mmap)
{
    mb2_begin();
    mb2_string_tag(T_CMDLINE, "x");
    mb2_end();
    ck_assert_fails(parse2(), "no memory map");
    mb2_begin();
    mb2_mmap(24, 0, 0);
    mb2_end();
    ck_assert_fails(parse2(), "no memory map");
}
END_TEST

START_TEST(mb2_several_mmap_tags_and_overflow)
{
    mb2_begin();
    mb2_mmap(24, 40, 0);
    mb2_mmap(24, 30, 0x10000000);
    mb2_end();
    ck_assert_ok(parse2());
    ck_assert_uint_eq(bi.nr_mem, BOOT_MAX_MEM_REGIONS);
    ck_assert_uint_eq(bi.mem[40].addr, 0x10000000);
    ck_assert_msg(strstr(err, "dropped 6 memory regions"), "%s", err);
}
END_TEST

START_TEST(mb2_module_tags)
{
    uint64_t body;

    mb2_begin();
    mb2_mmap(24, 1, 0);
    for (unsigned int i = 0; i < BOOT_MAX_MODULES + 1; i++)
        mb2_module(0x1000 * i, 0x1000 * i + 0x10, "m");
    mb2_end();
    ck_assert_ok(parse2());
    ck_assert_uint_eq(bi.nr_modules, BOOT_MAX_MODULES);
    ck_assert_msg(strstr(err, "1 modules (max 8)"), "%s", err);
    /* A module tag too small for its fixed fields. */
    mb2_begin();
    mb2_mmap(24, 1, 0);
    body = mb2_tag(T_MODULE, 12);
    put(body, 0x1000, 4);
    mb2_end();
    ck_assert_fails(parse2(), "module tag of 12 bytes is smaller than 16");
    /* Ends before it starts. */
    mb2_begin();
    mb2_mmap(24, 1, 0);
    mb2_module(0x2000, 0x1000, "bad");
    mb2_end();
    ck_assert_fails(parse2(), "module 0 ends (0x1000) before it starts (0x2000)");
}
END_TEST

/* A module may span abutting RAM regions; the map may come after it. */
START_TEST(mb2_module_in_ram)
{
    mb2_begin();
    mb2_module(0x17f000, 0x181000, "m");
    mb2_mmap(24, 1, 0x100000);                  /* [0x100000, 0x180000) */
    mb2_mmap(24, 1, 0x180000);                  /* [0x180000, 0x200000) */
    mb2_end();
    ck_assert_ok(parse2());
    mb2_begin();
    mb2_module(0x17f000, 0x181000, "m");
    mb2_mmap(24, 1, 0x100000);
    mb2_end();
    ck_assert_fails(parse2(), "module 0 [0x17f000, 0x181000) is not in RAM");
}
END_TEST

/* Strings in tags without their NUL stay inside the tag. */
START_TEST(mb2_unterminated_strings)
{
    uint64_t body;

    mb2_begin();
    mb2_mmap(24, 1, 0);
    body = mb2_tag(T_CMDLINE, 8 + 3);
    memcpy(mem + (body - MEM_BASE), "abcdefgh", 8);   /* 3 are the tag's */
    body = mb2_tag(T_MODULE, 16 + 2);
    put(body, 1, 4);
    put(body + 4, 2, 4);
    memcpy(mem + (body + 8 - MEM_BASE), "xyzw", 4);
    mb2_end();
    ck_assert_ok(parse2());
    ck_assert_str_eq(bi.cmdline, "abc");
    ck_assert_str_eq(bi.modules[0].string, "xy");
}
END_TEST

START_TEST(mb2_long_strings_truncated)
{
    char s[200];

    memset(s, 'n', sizeof(s) - 1);
    s[sizeof(s) - 1] = '\0';
    mb2_begin();
    mb2_mmap(24, 1, 0);
    mb2_string_tag(T_LOADER, s);
    mb2_end();
    ck_assert_ok(parse2());
    ck_assert_uint_eq(strlen(bi.loader), sizeof(bi.loader) - 1);
}
END_TEST

START_TEST(mb2_meminfo_too_small)
{
    mb2_begin();
    mb2_mmap(24, 1, 0);
    mb2_tag(T_MEMINFO, 12);
    mb2_end();
    ck_assert_fails(parse2(), "basic meminfo tag of 12 bytes");
}
END_TEST

START_TEST(mb2_info_unreadable)
{
    reset();
    ck_assert_fails(parse(MULTIBOOT2_BOOTLOADER_MAGIC, MEM_END - 4),
                    "multiboot2 info at 0x17ffc unreadable");
}
END_TEST

/* ----------------------------------------------------- common ---- */

START_TEST(wrong_magic)
{
    mb1_std();
    ck_assert_fails(parse(0x12345678, MB1_INFO),
                    "boot loader magic 0x12345678 is neither multiboot1 (0x2badb002)"
                    " nor multiboot2 (0x36d76289)");
    /* The header magics are not the boot loader magics. */
    ck_assert_int_eq(parse(MULTIBOOT1_HEADER_MAGIC, MB1_INFO), -1);
    ck_assert_int_eq(parse(MULTIBOOT2_HEADER_MAGIC, MB2_INFO), -1);
}
END_TEST

/* Let map() fail at each call of a good parse in turn: always a clean -1. */
static void fail_each_map_call(int (*parse_fn)(void))
{
    unsigned int total;

    ck_assert_ok(parse_fn());
    total = fm.calls;
    ck_assert_uint_ge(total, 2);
    for (unsigned int n = 1; n <= total; n++) {
        fm.fail_at = n;
        ck_assert_msg(parse_fn() == -1, "map failure at call %u ignored", n);
        ck_assert_msg(strstr(err, "unreadable"), "call %u: \"%s\"", n, err);
    }
    fm.fail_at = 0;
}

START_TEST(mb1_map_returns_null_anywhere)
{
    mb1_std();
    fail_each_map_call(parse1);
}
END_TEST

START_TEST(mb2_map_returns_null_anywhere)
{
    mb2_std();
    fail_each_map_call(parse2);
}
END_TEST

START_TEST(null_or_small_error_buffer)
{
    char small[6];

    reset();
    ck_assert_int_eq(multiboot_parse(0, 0, fake_map, &fm, &bi, NULL, 0), -1);
    ck_assert_int_eq(multiboot_parse(0, 0, fake_map, &fm, &bi, small,
                                     sizeof(small)), -1);
    ck_assert_str_eq(small, "boot ");
}
END_TEST

static Suite *multiboot_suite(void)
{
    Suite *s = suite_create("multiboot");
    TCase *mb1 = tcase_create("multiboot1"), *mb2 = tcase_create("multiboot2");
    TCase *common = tcase_create("common");

    tcase_add_test(mb1, mb1_full);
    tcase_add_test(mb1, mb1_flags_select_fields);
    tcase_add_test(mb1, mb1_no_memory_map);
    tcase_add_test(mb1, mb1_mmap_entry_sizes);
    tcase_add_test(mb1, mb1_mmap_entry_too_small);
    tcase_add_test(mb1, mb1_mmap_entry_past_map);
    tcase_add_test(mb1, mb1_mmap_outside_memory);
    tcase_add_test(mb1, mb1_too_many_regions);
    tcase_add_test(mb1, mb1_empty_and_wrapping_regions);
    tcase_add_test(mb1, mb1_too_many_modules);
    tcase_add_test(mb1, mb1_module_ends_before_start);
    tcase_add_test(mb1, mb1_module_outside_ram_or_overlapping);
    tcase_add_test(mb1, mb1_module_table_unreadable);
    tcase_add_test(mb1, mb1_strings_unreadable_or_long);
    tcase_add_test(mb1, mb1_info_unreadable);
    tcase_add_test(mb1, mb1_loader_field_unreadable);
    tcase_add_test(mb2, mb2_full);
    tcase_add_test(mb2, mb2_end_tag_stops);
    tcase_add_test(mb2, mb2_tag_runs_past_total);
    tcase_add_test(mb2, mb2_tag_too_small);
    tcase_add_test(mb2, mb2_truncated_total_size);
    tcase_add_test(mb2, mb2_total_cuts_after_end);
    tcase_add_test(mb2, mb2_mmap_entry_sizes);
    tcase_add_test(mb2, mb2_mmap_partial_entry);
    tcase_add_test(mb2, mb2_no_or_empty_mmap);
    tcase_add_test(mb2, mb2_several_mmap_tags_and_overflow);
    tcase_add_test(mb2, mb2_module_tags);
    tcase_add_test(mb2, mb2_module_in_ram);
    tcase_add_test(mb2, mb2_unterminated_strings);
    tcase_add_test(mb2, mb2_long_strings_truncated);
    tcase_add_test(mb2, mb2_meminfo_too_small);
    tcase_add_test(mb2, mb2_info_unreadable);
    tcase_add_test(common, wrong_magic);
    tcase_add_test(common, mb1_map_returns_null_anywhere);
    tcase_add_test(common, mb2_map_returns_null_anywhere);
    tcase_add_test(common, null_or_small_error_buffer);
    suite_add_tcase(s, mb1);
    suite_add_tcase(s, mb2);
    suite_add_tcase(s, common);
    return s;
}

int main(void)
{
    return harness_main(multiboot_suite());
}
