/* SPDX-License-Identifier: MIT */
/*
 * test_dom_elf.c - the toolstack's kernel reader (toolstack/lib/dom_elf.c)
 *                  on the host.
 * Owns:    the unit-dom_elf cases: good images (built here byte by byte
 *          with elf_builder.h, and the project's own pvkernel.elf given as
 *          argv[1]), bzImage-wrapped and compressed ones (compressed at
 *          test time by compress.py), and every malformed input, each with
 *          the file's name and the words of its message.
 * Touches: temporary files of compress_helper.h.
 *
 * The rules are libelf's and libxenguest's (Xen 4.17): xl refuses each
 * malformed image here too (libelf: "ELF: not an ELF binary", "xc_dom_
 * parse_elf_kernel: ELF image has no shstrtab", "will only load images
 * built for the generic loader or Linux images", ...); where libelf reads
 * bytes outside the file as zeros and goes on, dom_elf refuses (the
 * decision is docs/decisions.md's, "The toolstack's domain builder").
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_runner.h"
#include "compress_helper.h"
#include "dom_build.h"
#include "elf_builder.h"
#include <xen/elfnote.h>
#include <xen/features.h>

#define VB      0xffffffff80000000ULL
#define NAME    "test.elf"

static const char *pvkernel_path;
static struct elf_builder eb;
static struct dom_elf elf;
static char err[DOM_ERR_MAX];

/* A kernel as pvkernel's: 0x3000 bytes of text, 0x2000 of bss, at VB. */
static void good_notes(struct elf_builder *b)
{
    eb_begin(b, VB + 0x100);
    eb_note_str(b, XEN_ELFNOTE_GUEST_OS, "testos");
    eb_note_str(b, XEN_ELFNOTE_GUEST_VERSION, "1.0");
    eb_note_str(b, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_str(b, XEN_ELFNOTE_LOADER, "generic");
    eb_note_num(b, XEN_ELFNOTE_VIRT_BASE, VB, 8);
    eb_note_num(b, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    eb_note_num(b, XEN_ELFNOTE_ENTRY, VB + 0x100, 8);
    eb_note_num(b, XEN_ELFNOTE_HYPERCALL_PAGE, VB + 0x1000, 8);
}

static void good(struct elf_builder *b)
{
    good_notes(b);
    eb_note_phdr(b);
    eb_load(b, 0, 0x3000, 0x5000, 0xaa);
}

static int parse(const void *d, size_t n)
{
    dom_elf_free(&elf);
    return dom_elf_parse(NAME, d, n, &elf, err, sizeof(err));
}

static void expect_fail(const void *d, size_t n, const char *words)
{
    ck_assert_int_eq(parse(d, n), -1);
    ck_assert_msg(strncmp(err, NAME ": ", strlen(NAME) + 2) == 0,
                  "message does not name the file: %s", err);
    ck_assert_msg(strstr(err, words) != NULL, "\"%s\" not in \"%s\"", words, err);
}

static void teardown(void)
{
    dom_elf_free(&elf);
}

/* ---- good images ------------------------------------------------------- */

START_TEST(notes_read)
{
    good(&eb);
    ck_assert_int_eq(parse(eb.buf, eb.size), 0);
    ck_assert_str_eq(elf.wrapper, "ELF");
    ck_assert_str_eq(elf.guest_os, "testos");
    ck_assert_str_eq(elf.xen_ver, "xen-3.0");
    ck_assert_str_eq(elf.loader, "generic");
    ck_assert_uint_eq(elf.virt_base, VB);
    ck_assert_uint_eq(elf.entry, VB + 0x100);
    ck_assert_uint_eq(elf.hypercall_page, VB + 0x1000);
    ck_assert_uint_eq(elf.kstart, VB);
    ck_assert_uint_eq(elf.kend, VB + 0x5000);
    ck_assert_uint_eq(elf.p2m_base, DOM_UNSET);
    ck_assert_uint_eq(elf.nr_notes, 8);
    ck_assert(!elf.mod_start_pfn && !elf.suspend_cancel);
    ck_assert_str_eq(elf.warning, "");
}
END_TEST

/* Mini-OS: no VIRT_BASE, PADDR_OFFSET or ENTRY: 0, 0 and e_entry. */
START_TEST(defaults_and_section_notes)
{
    eb_begin(&eb, 0x2000);
    eb_note_str(&eb, XEN_ELFNOTE_GUEST_OS, "Mini-OS");
    eb_note_str(&eb, XEN_ELFNOTE_LOADER, "generic");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_num(&eb, XEN_ELFNOTE_HYPERCALL_PAGE, 0x1000, 8);
    eb_load(&eb, 0, 0x2000, 0x3000, 1);
    eb_note_section(&eb);        /* no PT_NOTE: the section is read */
    ck_assert_msg(parse(eb.buf, eb.size) == 0, "%s", err);
    ck_assert_uint_eq(elf.virt_base, 0);
    ck_assert_uint_eq(elf.paddr_offset, 0);
    ck_assert_uint_eq(elf.entry, 0x2000);
    ck_assert_uint_eq(elf.kstart, 0);
    ck_assert_uint_eq(elf.kend, 0x3000);
}
END_TEST

/* Linux's notes (guest-abi.md 2.2), FEATURES without a NUL in its descsz. */
START_TEST(linux_notes)
{
    static const char feat[] = "!writable_page_tables|pae_pgdir_above_4gb";

    eb_begin(&eb, VB + 0x1000000);
    eb_note_str(&eb, XEN_ELFNOTE_GUEST_OS, "linux");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_num(&eb, XEN_ELFNOTE_VIRT_BASE, VB, 8);
    eb_note_num(&eb, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    eb_note_num(&eb, XEN_ELFNOTE_INIT_P2M, 0x8000000000ULL, 8);
    eb_note_num(&eb, XEN_ELFNOTE_MOD_START_PFN, 1, 4);
    eb_note_num(&eb, XEN_ELFNOTE_SUSPEND_CANCEL, 1, 4);
    eb_note_num(&eb, XEN_ELFNOTE_SUPPORTED_FEATURES,
                1U << XENFEAT_dom0 | 1U << XENFEAT_writable_page_tables, 4);
    eb_note(&eb, XEN_ELFNOTE_FEATURES, feat, sizeof(feat) - 1);
    eb_note_phdr(&eb);
    eb_load(&eb, 0x1000000, 0x2000, 0x4000, 2);
    ck_assert_int_eq(parse(eb.buf, eb.size), 0);
    ck_assert_uint_eq(elf.p2m_base, 0x8000000000ULL);
    ck_assert(elf.mod_start_pfn && elf.suspend_cancel);
    ck_assert_uint_eq(elf.feat_required, 1U << XENFEAT_writable_page_tables);
    ck_assert_uint_eq(elf.feat_supported, 1U << XENFEAT_dom0 |
                      1U << XENFEAT_writable_page_tables |
                      1U << XENFEAT_pae_pgdir_above_4gb);
    ck_assert_uint_eq(elf.kstart, VB + 0x1000000);
    ck_assert_uint_eq(elf.entry, VB + 0x1000000);
}
END_TEST

START_TEST(load_copies_and_zeroes)
{
    uint8_t *mem = malloc(0x6000);

    good(&eb);
    ck_assert_int_eq(parse(eb.buf, eb.size), 0);
    memset(mem, 0x55, 0x6000);
    ck_assert_int_eq(dom_elf_load(&elf, mem, VB, 0x6000, err, sizeof(err)), 0);
    ck_assert_uint_eq(mem[0], 0xaa);
    ck_assert_uint_eq(mem[0x2fff], 0xaa);
    ck_assert_uint_eq(mem[0x3000], 0);
    ck_assert_uint_eq(mem[0x4fff], 0);
    ck_assert_uint_eq(mem[0x5000], 0x55);
    /* a buffer that does not hold the kernel is a layout bug, refused */
    ck_assert_int_eq(dom_elf_load(&elf, mem, VB + 0x1000, 0x5000, err,
                                  sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "lies outside"));
    free(mem);
}
END_TEST

START_TEST(pvkernel_elf)
{
    void *d;
    size_t n;

    if (!pvkernel_path)
        return;
    ck_assert_int_eq(dom_read_file(pvkernel_path, &d, &n, err, sizeof(err)), 0);
    ck_assert_int_eq(dom_elf_parse("pvkernel.elf", d, n, &elf, err,
                                   sizeof(err)), 0);
    ck_assert_str_eq(elf.guest_os, "pvkernel");
    ck_assert_str_eq(elf.loader, "generic");
    ck_assert_uint_eq(elf.virt_base, VB);
    ck_assert_uint_eq(elf.kstart, VB);
    ck_assert_uint_eq(elf.hypercall_page, VB + 0x1000);
    ck_assert_uint_eq(elf.feat_supported, 1U << XENFEAT_dom0);
    ck_assert(elf.kend > elf.kstart && elf.entry == elf.kstart);
    dom_elf_free(&elf);
    free(d);
}
END_TEST

START_TEST(read_file_missing)
{
    void *d;
    size_t n;

    ck_assert_int_eq(dom_read_file("/nonexistent/k", &d, &n, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "/nonexistent/k: No such file or directory");
}
END_TEST

/* ---- bzImage and compressed payloads ----------------------------------- */

#define SETUP_SECTS 4

static struct blob bzimage(struct blob payload, uint16_t version)
{
    size_t start = (SETUP_SECTS + 1) * 512 + 0x40;
    struct blob b = { calloc(1, start + payload.len), start + payload.len };

    b.data[0x1f1] = SETUP_SECTS;
    memcpy(b.data + 0x202, "HdrS", 4);
    b.data[0x206] = (uint8_t)version;
    b.data[0x207] = (uint8_t)(version >> 8);
    b.data[0x248] = 0x40;
    for (int i = 0; i < 4; i++)
        b.data[0x24c + i] = (uint8_t)(payload.len >> (8 * i));
    memcpy(b.data + start, payload.data, payload.len);
    return b;
}

/* Linux's payload: the stream, then the decompressed size (LE32). */
static struct blob payload(const char *recipe)
{
    struct blob e, z;

    good(&eb);
    e = (struct blob){ eb.buf, eb.size };
    z = compress_with(recipe, e);
    if (strncmp(recipe, "xz", 2) == 0) {
        z.data = realloc(z.data, z.len + 4);
        for (int i = 0; i < 4; i++)
            z.data[z.len + i] = (uint8_t)(eb.size >> (8 * i));
        z.len += 4;
    }
    return z;
}

START_TEST(bzimage_payloads)
{
    static const struct { const char *recipe, *wrapper; } cases[] = {
        { "gzip", "bzImage+gzip" }, { "xz-x86", "bzImage+xz" },
        { "xz-crc64", "bzImage+xz" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct blob z = payload(cases[i].recipe), img = bzimage(z, 0x20f);
        ck_assert_msg(parse(img.data, img.len) == 0, "%s: %s", cases[i].recipe, err);
        ck_assert_str_eq(elf.wrapper, cases[i].wrapper);
        ck_assert_uint_eq(elf.size, eb.size);
        ck_assert_uint_eq(elf.entry, VB + 0x100);
        ck_assert_ptr_nonnull(elf.owned);
        free(z.data);
        free(img.data);
    }
}
END_TEST

START_TEST(bzimage_plain_elf_and_bare_gzip)
{
    struct blob e, img, z;

    good(&eb);
    e = (struct blob){ eb.buf, eb.size };
    img = bzimage(e, 0x208);
    ck_assert_int_eq(parse(img.data, img.len), 0);
    ck_assert_str_eq(elf.wrapper, "bzImage");
    ck_assert_ptr_null(elf.owned);
    z = payload("gzip");
    ck_assert_int_eq(parse(z.data, z.len), 0);
    ck_assert_str_eq(elf.wrapper, "gzip");
    free(img.data);
    free(z.data);
}
END_TEST

START_TEST(bzimage_refused)
{
    struct blob e, img, z;

    good(&eb);
    e = (struct blob){ eb.buf, eb.size };
    img = bzimage(e, 0x207);
    expect_fail(img.data, img.len, "bzImage boot protocol 2.07: at least 2.08");
    free(img.data);

    img = bzimage(e, 0x20f);                    /* payload past the file */
    img.data[0x24c + 2] = 0x10;
    expect_fail(img.data, img.len, "bzImage payload");
    ck_assert_ptr_nonnull(strstr(err, "lies outside"));
    free(img.data);

    z = payload("gzip");                        /* a corrupt deflate stream */
    z.data[z.len / 2] ^= 0x5a;
    img = bzimage(z, 0x20f);
    expect_fail(img.data, img.len, "corrupt gzip payload");
    free(img.data);
    free(z.data);

    z = payload("xz-x86");                      /* half an xz stream */
    memmove(z.data + z.len / 2, z.data + z.len - 4, 4);
    z.len = z.len / 2 + 4;
    img = bzimage(z, 0x20f);
    expect_fail(img.data, img.len, "corrupt xz payload");
    free(img.data);
    free(z.data);

    z = payload("gzip");                        /* claims 1 GiB: a bomb */
    z.data[z.len - 1] = 0x40;
    expect_fail(z.data, z.len, "payload states 1073758208 bytes decompressed");
    free(z.data);

    z = payload("gzip");                        /* claims less than it has */
    z.data[z.len - 4] ^= 1;
    expect_fail(z.data, z.len, "corrupt gzip payload");
    free(z.data);
}
END_TEST

/* ---- malformed ELF ----------------------------------------------------- */

START_TEST(bad_headers)
{
    good(&eb);
    expect_fail(eb.buf, 63, "truncated: 63 bytes");
    expect_fail("junk", 4, "truncated");

    good(&eb); eb.buf[1] = 'X';
    expect_fail(eb.buf, eb.size, "not an ELF file");
    good(&eb); eb.buf[EH_CLASS] = 1;
    expect_fail(eb.buf, eb.size, "not ELF64");
    good(&eb); eb.buf[EH_DATA] = 2;
    expect_fail(eb.buf, eb.size, "not little-endian");
    good(&eb); eb.buf[EH_VERSION_ID] = 0;
    expect_fail(eb.buf, eb.size, "ELF version 0/1");
    good(&eb); eb_put(&eb, EH_TYPE, 3, 2);
    expect_fail(eb.buf, eb.size, "ELF type 3 is not an executable");
    good(&eb); eb_put(&eb, EH_MACHINE, 3, 2);
    expect_fail(eb.buf, eb.size, "ELF machine 3 is not x86-64");
    good(&eb); eb_put(&eb, EH_PHNUM, 0, 2);
    expect_fail(eb.buf, eb.size, "no program headers");
    good(&eb); eb_put(&eb, EH_PHENTSIZE, 32, 2);
    expect_fail(eb.buf, eb.size, "program header entries of 32 bytes");
    good(&eb); eb_put(&eb, EH_PHOFF, eb.size - 8, 8);
    expect_fail(eb.buf, eb.size, "program headers at offset");
    good(&eb);                                   /* section table past EOF */
    eb_put(&eb, EH_SHOFF, eb.size, 8);
    eb_put(&eb, EH_SHNUM, 2, 2);
    eb_put(&eb, EH_SHENTSIZE, 64, 2);
    expect_fail(eb.buf, eb.size, "2 section headers");
}
END_TEST

START_TEST(bad_segments)
{
    good(&eb);                                   /* file cut inside a segment */
    expect_fail(eb.buf, eb.size - 1, "program header 1: bytes");
    good(&eb);
    eb_put(&eb, eb_phdr_off(&eb, 1) + PH_MEMSZ, 0x2000, 8);
    expect_fail(eb.buf, eb.size, "file size 0x3000 exceeds memory size 0x2000");
    good(&eb);
    eb_put(&eb, eb_phdr_off(&eb, 1) + PH_PADDR, ~0ULL - 0x100, 8);
    expect_fail(eb.buf, eb.size, "wraps around");
    good_notes(&eb);
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x5000, 1);
    eb_load(&eb, 0x4000, 0x100, 0x100, 3);        /* inside the first's bss */
    expect_fail(eb.buf, eb.size, "program headers 1 and 2 overlap");
    good_notes(&eb);
    eb_note_phdr(&eb);
    expect_fail(eb.buf, eb.size, "no loadable (PT_LOAD) segment");
    good(&eb);                                   /* PT_LOAD with no R/W/X */
    eb_put(&eb, eb_phdr_off(&eb, 1) + PH_FLAGS, 0, 4);
    expect_fail(eb.buf, eb.size, "no loadable");
}
END_TEST

START_TEST(bad_notes)
{
    good_notes(&eb);                             /* a desc past the segment */
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    eb_put(&eb, EB_NOTES + 4, 0x1000, 4);
    expect_fail(eb.buf, eb.size, "runs past the end of its segment");

    good_notes(&eb);                             /* a PT_NOTE past the file */
    eb_phdr(&eb, ELF_PT_NOTE, 4, EB_NOTES, 0, 0x10000, 0);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    expect_fail(eb.buf, eb.size, "program header 0: bytes");

    good_notes(&eb);                             /* a SHT_NOTE past the file */
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    eb_note_section(&eb);
    eb_put(&eb, eb_get(&eb, EH_SHOFF, 8) + 64 + 32, 0x100000, 8);
    expect_fail(eb.buf, eb.size, "section header 1: notes");

    eb_begin(&eb, 0);                            /* notes, but not Xen's */
    eb_note_raw(&eb, "GNU", 4, 3, "abcd", 4);
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    expect_fail(eb.buf, eb.size, "no Xen ELF notes");
}
END_TEST

START_TEST(bad_note_values)
{
    eb_begin(&eb, 0);
    eb_note_str(&eb, XEN_ELFNOTE_GUEST_OS, "plan9");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    expect_fail(eb.buf, eb.size, "LOADER \"\" and GUEST_OS \"plan9\"");

    eb_begin(&eb, 0);
    eb_note_str(&eb, XEN_ELFNOTE_LOADER, "generic");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    expect_fail(eb.buf, eb.size, "XEN_VERSION \"xen-2.0\"");

    eb_begin(&eb, 0);
    eb_note_str(&eb, XEN_ELFNOTE_LOADER, "generic");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_num(&eb, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    expect_fail(eb.buf, eb.size, "PADDR_OFFSET note without VIRT_BASE");

    eb_begin(&eb, 0);
    eb_note_str(&eb, XEN_ELFNOTE_LOADER, "generic");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_str(&eb, XEN_ELFNOTE_FEATURES, "writable_page_tables|!no_such");
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    expect_fail(eb.buf, eb.size, "requires unknown feature \"no_such\"");

    eb_begin(&eb, 0);
    eb_note_str(&eb, XEN_ELFNOTE_LOADER, "generic");
    eb_note_str(&eb, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
    eb_note_str(&eb, XEN_ELFNOTE_FEATURES, "!auto_translated_physmap");
    eb_note_phdr(&eb);
    eb_load(&eb, 0, 0x1000, 0x1000, 1);
    expect_fail(eb.buf, eb.size, "requires feature auto_translated_physmap");
}
END_TEST

/* One bad address note each, over the good image (which is at VB). */
START_TEST(bad_addresses)
{
    static const struct { uint32_t type; uint64_t val; const char *words; } c[] = {
        { XEN_ELFNOTE_VIRT_BASE, VB + 0x10, "VIRT_BASE 0xffffffff80000010 is not page aligned" },
        { XEN_ELFNOTE_PADDR_OFFSET, 0x1000, "above the kernel's start" },
        { XEN_ELFNOTE_ENTRY, VB + 0x6000, "entry 0xffffffff80006000 is outside" },
        { XEN_ELFNOTE_INIT_P2M, VB + 0x2000, "INIT_P2M 0xffffffff80002000 is inside" },
        { XEN_ELFNOTE_HYPERCALL_PAGE, VB + 0x1010, "HYPERCALL_PAGE 0xffffffff80001010" },
        { XEN_ELFNOTE_HYPERCALL_PAGE, VB + 0x8000, "HYPERCALL_PAGE 0xffffffff80008000" },
    };

    for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
        good_notes(&eb);
        eb_note_num(&eb, c[i].type, c[i].val, 8);   /* the later note wins */
        eb_note_phdr(&eb);
        eb_load(&eb, 0, 0x3000, 0x5000, 0xaa);
        expect_fail(eb.buf, eb.size, c[i].words);
    }
}
END_TEST

START_TEST(not_a_kernel)
{
    struct blob t = make_text(2000);

    expect_fail(t.data, t.len, "not an ELF file");
    free(t.data);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("dom_elf");
    TCase *t = tcase_create("dom_elf");

    pvkernel_path = argc > 1 ? argv[1] : NULL;
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, notes_read);
    tcase_add_test(t, defaults_and_section_notes);
    tcase_add_test(t, linux_notes);
    tcase_add_test(t, load_copies_and_zeroes);
    tcase_add_test(t, pvkernel_elf);
    tcase_add_test(t, read_file_missing);
    tcase_add_test(t, bzimage_payloads);
    tcase_add_test(t, bzimage_plain_elf_and_bare_gzip);
    tcase_add_test(t, bzimage_refused);
    tcase_add_test(t, bad_headers);
    tcase_add_test(t, bad_segments);
    tcase_add_test(t, bad_notes);
    tcase_add_test(t, bad_note_values);
    tcase_add_test(t, bad_addresses);
    tcase_add_test(t, not_a_kernel);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
