/* SPDX-License-Identifier: MIT */
/*
 * test_elf.c - unit tests for hypervisor/common/elf.c.
 * Owns:    the tests. Images are built in memory byte by byte
 *          (elf_builder.h): a valid Linux-like PV kernel with every note,
 *          then one defect at a time, each checked for the exact reason.
 *          Truncations and byte corruptions run on exact-size heap copies
 *          so that valgrind sees any read past the end.
 */
#include "harness.h"
#include "elf_builder.h"

/* Xen's note numbers and feature bits (public/elfnote.h, features.h). */
enum {
    N_ENTRY = 1, N_HYPERCALL_PAGE = 2, N_VIRT_BASE = 3, N_PADDR_OFFSET = 4,
    N_XEN_VERSION = 5, N_GUEST_OS = 6, N_GUEST_VERSION = 7, N_LOADER = 8,
    N_PAE_MODE = 9, N_FEATURES = 10, N_BSD_SYMTAB = 11, N_HV_START_LOW = 12,
    N_L1_MFN_VALID = 13, N_SUSPEND_CANCEL = 14, N_INIT_P2M = 15,
    N_MOD_START_PFN = 16, N_SUPPORTED_FEATURES = 17,
};
enum {
    F_WRITABLE_PT = 0, F_WRITABLE_DT = 1, F_AUTO_TRANSLATED = 2,
    F_SUPERVISOR = 3, F_PAE_PGDIR = 4, F_DOM0 = 11,
};
#if __has_include(<xen/elfnote.h>) && __has_include(<xen/features.h>)
#include <xen/elfnote.h>
#include <xen/features.h>
_Static_assert(N_ENTRY == XEN_ELFNOTE_ENTRY && N_INIT_P2M == XEN_ELFNOTE_INIT_P2M &&
               N_SUPPORTED_FEATURES == XEN_ELFNOTE_SUPPORTED_FEATURES &&
               N_L1_MFN_VALID == XEN_ELFNOTE_L1_MFN_VALID, "note numbers");
_Static_assert(F_PAE_PGDIR == XENFEAT_pae_pgdir_above_4gb &&
               F_DOM0 == XENFEAT_dom0, "feature bits");
#endif

#define BIT(n) (1U << (n))
#define ALL_FEATURES 0xffffffffU

/* The standard image: a Linux-like kernel at -2 GiB. */
#define VIRT_BASE    0xffffffff80000000ULL
#define TEXT_PADDR   0x1000000ULL
#define TEXT_SIZE    0x200ULL
#define DATA_PADDR   0x1001000ULL
#define DATA_FILESZ  0x100ULL
#define DATA_MEMSZ   0x3000ULL
#define KSTART       (VIRT_BASE + TEXT_PADDR)
#define KEND         (VIRT_BASE + DATA_PADDR + DATA_MEMSZ)
#define ENTRY        (KSTART + 0x100)
#define E_ENTRY      KSTART
#define HYPERCALL    (KSTART + 0x1000)
#define P2M_BASE     0xffffea0000000000ULL
#define HV_START     0xffff800000000000ULL

/* Which standard notes std_image() leaves out: a bit per note number. */
#define SKIP(n) (1U << (n))

static struct elf_builder b;
static struct elf_image img;
static char err[256];

/* The PT_LOADs and every standard note but those in skip. */
static void std_body(uint32_t skip)
{
    static const uint8_t l1_pair[16] = { 1, 0, 0, 0, 0, 0, 0, 0,
                                         1, 0, 0, 0, 0, 0, 0, 0 };

    eb_begin(&b, E_ENTRY);
    eb_load(&b, TEXT_PADDR, TEXT_SIZE, TEXT_SIZE, 0xaa);
    eb_load(&b, DATA_PADDR, DATA_FILESZ, DATA_MEMSZ, 0xbb);
    eb_note_raw(&b, "GNU", 4, 3, "\x01\x02\x03\x04", 4);   /* not Xen's */
#define STD(n, call) do { if (!(skip & SKIP(n))) call; } while (0)
    STD(N_GUEST_OS, eb_note_str(&b, N_GUEST_OS, "linux"));
    STD(N_GUEST_VERSION, eb_note_str(&b, N_GUEST_VERSION, "2.6"));
    STD(N_XEN_VERSION, eb_note_str(&b, N_XEN_VERSION, "xen-3.0"));
    STD(N_LOADER, eb_note_str(&b, N_LOADER, "generic"));
    STD(N_VIRT_BASE, eb_note_num(&b, N_VIRT_BASE, VIRT_BASE, 8));
    STD(N_PADDR_OFFSET, eb_note_num(&b, N_PADDR_OFFSET, 0, 8));
    STD(N_ENTRY, eb_note_num(&b, N_ENTRY, ENTRY, 8));
    STD(N_HYPERCALL_PAGE, eb_note_num(&b, N_HYPERCALL_PAGE, HYPERCALL, 8));
    STD(N_FEATURES, eb_note_str(&b, N_FEATURES,
        "!writable_page_tables|pae_pgdir_above_4gb|unknown_feature"));
    STD(N_SUPPORTED_FEATURES, eb_note_num(&b, N_SUPPORTED_FEATURES, BIT(F_DOM0), 4));
    STD(N_PAE_MODE, eb_note_str(&b, N_PAE_MODE, "yes"));
    STD(N_HV_START_LOW, eb_note_num(&b, N_HV_START_LOW, HV_START, 8));
    STD(N_INIT_P2M, eb_note_num(&b, N_INIT_P2M, P2M_BASE, 8));
    STD(N_L1_MFN_VALID, eb_note(&b, N_L1_MFN_VALID, l1_pair, sizeof(l1_pair)));
    STD(N_SUSPEND_CANCEL, eb_note_num(&b, N_SUSPEND_CANCEL, 1, 4));
    STD(N_MOD_START_PFN, eb_note_num(&b, N_MOD_START_PFN, 1, 4));
#undef STD
    eb_note_num(&b, 100, 42, 4);                           /* unknown type */
}

static void std_image(uint32_t skip)
{
    std_body(skip);
    eb_note_phdr(&b);
}

static int parse_with(uint32_t supported)
{
    memset(err, 'X', sizeof(err));
    return elf_parse(b.buf, b.size, supported, &img, err, sizeof(err));
}

static int parse(void)
{
    return parse_with(ALL_FEATURES);
}

#define ck_assert_parse_fails(substr) do { \
    ck_assert_msg(parse() == -1, "accepted; expected \"%s\"", (substr)); \
    ck_assert_msg(strstr(err, (substr)) != NULL, \
                  "error \"%s\" lacks \"%s\"", err, (substr)); \
} while (0)

#define ck_assert_parse_ok() \
    ck_assert_msg(parse() == 0, "refused: %s", err)

/* ------------------------------------------------------------------ */

START_TEST(valid_image_all_notes)
{
    const struct xen_elf_params *p = &img.xen;

    std_image(0);
    ck_assert_parse_ok();
    ck_assert_str_eq(err, "");
    ck_assert_ptr_eq(img.data, b.buf);
    ck_assert_uint_eq(img.size, b.size);
    ck_assert_str_eq(p->guest_os, "linux");
    ck_assert_str_eq(p->guest_ver, "2.6");
    ck_assert_str_eq(p->xen_ver, "xen-3.0");
    ck_assert_str_eq(p->loader, "generic");
    ck_assert_str_eq(p->pae_mode, "yes");
    ck_assert_uint_eq(p->virt_base, VIRT_BASE);
    ck_assert_uint_eq(p->elf_paddr_offset, 0);
    ck_assert_uint_eq(p->virt_entry, ENTRY);
    ck_assert_uint_eq(p->virt_hypercall, HYPERCALL);
    ck_assert_uint_eq(p->hv_start_low, HV_START);
    ck_assert_uint_eq(p->p2m_base, P2M_BASE);
    ck_assert_uint_eq(p->l1_mfn_valid_mask, 1);
    ck_assert_uint_eq(p->l1_mfn_valid_val, 1);
    ck_assert(p->mod_start_pfn);
    ck_assert(p->suspend_cancel);
    ck_assert_uint_eq(p->features.required, BIT(F_WRITABLE_PT));
    ck_assert_uint_eq(p->features.supported,
                      BIT(F_WRITABLE_PT) | BIT(F_PAE_PGDIR) | BIT(F_DOM0));
    ck_assert_uint_eq(p->pstart, TEXT_PADDR);
    ck_assert_uint_eq(p->pend, DATA_PADDR + DATA_MEMSZ);
    ck_assert_uint_eq(p->virt_kstart, KSTART);
    ck_assert_uint_eq(p->virt_kend, KEND);
    ck_assert_uint_eq(p->nr_notes, 17);     /* 16 known + 1 unknown type */
}
END_TEST

/* Mini-OS: LOADER generic, no VIRT_BASE/PADDR_OFFSET/ENTRY/FEATURES. */
START_TEST(defaults_when_notes_absent)
{
    const struct xen_elf_params *p = &img.xen;

    eb_begin(&b, 0x2000);
    eb_load(&b, 0, 0x100, 0x8000, 0x11);
    eb_note_str(&b, N_GUEST_OS, "Mini-OS");
    eb_note_str(&b, N_LOADER, "generic");
    eb_note_str(&b, N_XEN_VERSION, "xen-3.0");
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_uint_eq(p->virt_base, 0);
    ck_assert_uint_eq(p->elf_paddr_offset, 0);
    ck_assert_uint_eq(p->virt_entry, 0x2000);          /* e_entry */
    ck_assert_uint_eq(p->virt_hypercall, ELF_UNSET_ADDR);
    ck_assert_uint_eq(p->hv_start_low, ELF_UNSET_ADDR);
    ck_assert_uint_eq(p->p2m_base, ELF_UNSET_ADDR);
    ck_assert_uint_eq(p->l1_mfn_valid_mask, 0);
    ck_assert(!p->mod_start_pfn && !p->suspend_cancel);
    ck_assert_uint_eq(p->features.required, 0);
    ck_assert_uint_eq(p->features.supported, 0);
    ck_assert_uint_eq(p->virt_kstart, 0);
    ck_assert_uint_eq(p->virt_kend, 0x8000);
    ck_assert_str_eq(p->pae_mode, "");
}
END_TEST

/* PADDR_OFFSET = VIRT_BASE: old kernels with p_paddr = virtual address. */
START_TEST(paddr_offset_translates)
{
    eb_begin(&b, VIRT_BASE + 0x10);
    eb_load(&b, VIRT_BASE, 0x100, 0x100, 1);
    eb_note_str(&b, N_GUEST_OS, "linux");
    eb_note_str(&b, N_XEN_VERSION, "xen-3.0");
    eb_note_num(&b, N_VIRT_BASE, VIRT_BASE, 8);
    eb_note_num(&b, N_PADDR_OFFSET, VIRT_BASE, 8);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_uint_eq(img.xen.virt_kstart, VIRT_BASE);
    ck_assert_uint_eq(img.xen.virt_kend, VIRT_BASE + 0x100);
}
END_TEST

/* ---------------------------------------------------- ELF header ---- */

START_TEST(too_small_for_header)
{
    std_image(0);
    b.size = sizeof(Elf64_Ehdr) - 1;
    ck_assert_parse_fails("too small for an ELF64 header");
    b.size = 0;
    ck_assert_parse_fails("too small");
}
END_TEST

START_TEST(bad_magic)
{
    std_image(0);
    b.buf[1] = 'e';
    ck_assert_parse_fails("bad ELF magic 7f 65 4c 46");
}
END_TEST

START_TEST(elf32_refused)
{
    std_image(0);
    b.buf[EH_CLASS] = 1;
    ck_assert_parse_fails("ELF class 1 is not ELF64");
}
END_TEST

START_TEST(big_endian_refused)
{
    std_image(0);
    b.buf[EH_DATA] = 2;
    ck_assert_parse_fails("not little-endian");
}
END_TEST

START_TEST(bad_version_refused)
{
    std_image(0);
    eb_put(&b, EH_VERSION, 2, 4);
    ck_assert_parse_fails("ELF version 1/2 is not 1");
}
END_TEST

START_TEST(wrong_machine)
{
    std_image(0);
    eb_put(&b, EH_MACHINE, 3, 2);              /* EM_386 */
    ck_assert_parse_fails("ELF machine 3 is not x86-64 (62)");
}
END_TEST

START_TEST(not_executable)
{
    std_image(0);
    eb_put(&b, EH_TYPE, 3, 2);                 /* ET_DYN */
    ck_assert_parse_fails("ELF type 3 is not an executable");
}
END_TEST

/* ----------------------------------------------- program headers ---- */

START_TEST(no_program_headers)
{
    std_image(0);
    eb_put(&b, EH_PHNUM, 0, 2);
    ck_assert_parse_fails("no program headers");
}
END_TEST

START_TEST(truncated_phdrs)
{
    std_image(0);
    b.size = eb_phdr_off(&b, b.nph) - 1;
    ck_assert_parse_fails("program headers extend past end of file "
                          "(offset 0x40, 3 x 56 bytes, file 0xe7)");
}
END_TEST

START_TEST(phdr_offset_overflow)
{
    std_image(0);
    eb_put(&b, EH_PHOFF, UINT64_MAX - 8, 8);   /* + 4*56 wraps to small */
    ck_assert_parse_fails("program headers extend past end of file");
}
END_TEST

START_TEST(bad_phentsize)
{
    std_image(0);
    eb_put(&b, EH_PHENTSIZE, 32, 2);
    ck_assert_parse_fails("program header entry size 32, expected 56");
}
END_TEST

START_TEST(segment_past_end_of_file)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 1) + PH_FILESZ, 0x10000, 8);
    ck_assert_parse_fails("program header 1 extends past end of file "
                          "(offset 0x1200, size 0x10000, file 0x1300)");
}
END_TEST

START_TEST(segment_offset_overflow)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 0) + PH_OFFSET, UINT64_MAX - 0xf, 8);
    ck_assert_parse_fails("program header 0 extends past end of file");
}
END_TEST

START_TEST(note_segment_past_end_of_file)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 2) + PH_OFFSET, b.size - 4, 8);
    ck_assert_parse_fails("program header 2 extends past end of file");
}
END_TEST

START_TEST(filesz_above_memsz)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 1) + PH_MEMSZ, DATA_FILESZ - 1, 8);
    ck_assert_parse_fails("program header 1: file size 0x100 exceeds memory size 0xff");
}
END_TEST

START_TEST(paddr_wraps)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 1) + PH_PADDR, UINT64_MAX - 0x10, 8);
    ck_assert_parse_fails("program header 1: paddr 0xffffffffffffffef + size 0x3000 wraps");
}
END_TEST

START_TEST(overlapping_segments)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 1) + PH_PADDR, TEXT_PADDR + TEXT_SIZE - 1, 8);
    ck_assert_parse_fails("program headers 0 and 1 overlap");
}
END_TEST

START_TEST(adjacent_segments_do_not_overlap)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 1) + PH_PADDR, TEXT_PADDR + TEXT_SIZE, 8);
    ck_assert_parse_ok();
}
END_TEST

START_TEST(no_loadable_segment)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 0) + PH_TYPE, 6, 4);          /* PT_PHDR */
    eb_put(&b, eb_phdr_off(&b, 1) + PH_FLAGS, 0, 4);         /* no R/W/X */
    ck_assert_parse_fails("no loadable (PT_LOAD) segments");
}
END_TEST

/* libelf ignores a PT_LOAD without R, W or X: so do parse and load. */
START_TEST(load_without_flags_is_ignored)
{
    std_image(SKIP(N_HYPERCALL_PAGE));      /* its page is in the data */
    eb_put(&b, eb_phdr_off(&b, 1) + PH_FLAGS, 0, 4);
    eb_put(&b, eb_phdr_off(&b, 1) + PH_FILESZ, 0x100000, 8);  /* not checked */
    ck_assert_parse_ok();
    ck_assert_uint_eq(img.xen.pend, TEXT_PADDR + TEXT_SIZE);
    ck_assert_uint_eq(img.xen.virt_kend, KSTART + TEXT_SIZE);
}
END_TEST

/* Program headers moved to 0x2000 to make room for 64 or 65 PT_LOADs. */
static void many_loads(unsigned int nr)
{
    eb_begin(&b, 0x100);
    b.phoff = 0x2000;
    for (unsigned int i = 0; i < nr; i++)
        eb_load(&b, 0x1000ULL * i, 0, 0x1000, 0);
    eb_note_str(&b, N_LOADER, "generic");
    eb_note_str(&b, N_XEN_VERSION, "xen-3.0");
    eb_note_phdr(&b);
}

START_TEST(too_many_loadable_segments)
{
    many_loads(64);
    ck_assert_parse_ok();
    ck_assert_uint_eq(img.xen.virt_kend, 64 * 0x1000);
    many_loads(65);
    ck_assert_parse_fails("more than 64 loadable segments");
}
END_TEST

/* -------------------------------------------------------- notes ---- */

START_TEST(missing_notes)
{
    eb_begin(&b, KSTART);
    eb_load(&b, TEXT_PADDR, TEXT_SIZE, TEXT_SIZE, 1);
    ck_assert_parse_fails("no Xen ELF notes (not a PV kernel?)");
}
END_TEST

START_TEST(only_foreign_notes)
{
    eb_begin(&b, KSTART);
    eb_load(&b, TEXT_PADDR, TEXT_SIZE, TEXT_SIZE, 1);
    eb_note_raw(&b, "GNU", 4, N_GUEST_OS, "linux", 6);
    eb_note_raw(&b, "Xe", 3, N_GUEST_OS, "linux", 6);
    eb_note_raw(&b, "XenX", 5, N_GUEST_OS, "linux", 6);
    eb_note_phdr(&b);
    ck_assert_parse_fails("no Xen ELF notes");
}
END_TEST

START_TEST(note_descsz_past_end)
{
    std_body(0);
    eb_note_str(&b, N_GUEST_VERSION, "last");
    eb_put(&b, b.note_end - 8 - 4 - 12 + 4, 0x1000, 4);  /* its descsz */
    eb_note_phdr(&b);
    ck_assert_parse_fails("desc size 0x1000) extends past its segment end");
}
END_TEST

START_TEST(note_namesz_huge)
{
    std_body(0);
    eb_put(&b, EB_NOTES, 0xffffffffU, 4);             /* first note's namesz */
    eb_note_phdr(&b);
    ck_assert_parse_fails("note at file offset 0x400 (name size 0xffffffff");
}
END_TEST

START_TEST(note_descsz_huge_no_wrap)
{
    std_body(0);
    eb_put(&b, EB_NOTES + 4, 0xfffffffcU, 4);
    eb_note_phdr(&b);
    ck_assert_parse_fails("desc size 0xfffffffc");
}
END_TEST

/*
 * A string note need not hold its NUL: as libelf's elf_strval(), the
 * string runs to the first NUL in the image. Linux's FEATURES note is
 * "...|pae_pgdir_above_4gb" with descsz 41, its NUL in the padding.
 */
START_TEST(string_note_nul_in_padding)
{
    std_body(SKIP(N_FEATURES));
    eb_note(&b, N_FEATURES, "!dom0", 5);              /* padding: 3 NULs */
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_str_eq(img.broken, "");
    ck_assert_uint_eq(img.xen.features.required, BIT(F_DOM0));
}
END_TEST

/* Without padding, the string runs on into the next note, as in Xen. */
START_TEST(string_note_runs_into_next_note)
{
    std_body(SKIP(N_GUEST_VERSION));
    eb_note(&b, N_GUEST_VERSION, "abcd", 4);
    eb_note_num(&b, 101, 42, 4);          /* next namesz: 04 00 00 00 */
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_str_eq(img.xen.guest_ver, "abcd\x04");
    ck_assert_str_eq(img.broken, "");
}
END_TEST

/* No NUL before the end of the file: the note is skipped, "broken". */
START_TEST(string_note_without_nul_skipped)
{
    std_body(SKIP(N_GUEST_VERSION));
    eb_note(&b, N_GUEST_VERSION, "abcd", 4);
    eb_note_phdr(&b);
    memset(b.buf + b.note_end, 'x', EB_DATA - b.note_end);
    ck_assert_parse_ok();
    ck_assert_str_eq(img.xen.guest_ver, "");
    ck_assert_uint_eq(img.xen.nr_notes, 17);   /* still a Xen note */
    ck_assert_str_eq(img.broken, "Xen note GUEST_VERSION: string runs to the "
                     "end of the file without a NUL; note skipped");
}
END_TEST

/* A NUL 4096 bytes on is accepted; one byte further, libelf gives up. */
START_TEST(string_note_longer_than_4096_skipped)
{
    size_t desc;

    std_body(SKIP(N_GUEST_VERSION));
    eb_note(&b, N_GUEST_VERSION, "abcd", 4);
    desc = b.note_end - 4;
    eb_note_phdr(&b);
    eb_load(&b, DATA_PADDR + DATA_MEMSZ, 0x1000, 0x1000, 'y');
    eb_load(&b, DATA_PADDR + DATA_MEMSZ + 0x1000, 0x10, 0x10, 0);
    memset(b.buf + b.note_end, 'x', EB_DATA - b.note_end);
    memset(b.buf + EB_DATA, 'z', b.data_end - 0x10 - EB_DATA);
    b.buf[desc + 4096] = 0;
    ck_assert_parse_ok();
    ck_assert_str_eq(img.broken, "");
    ck_assert_uint_eq(strlen(img.xen.guest_ver), ELF_NOTE_STR_MAX - 1);
    b.buf[desc + 4096] = 'z';
    b.buf[desc + 4097] = 0;
    ck_assert_parse_ok();
    ck_assert_str_eq(img.xen.guest_ver, "");
    ck_assert_str_eq(img.broken, "Xen note GUEST_VERSION: string is longer "
                     "than 4096 bytes; note skipped");
}
END_TEST

/* The last note may lack its padding at the end of the segment. */
START_TEST(last_note_without_padding)
{
    std_body(SKIP(N_GUEST_VERSION));
    eb_note_str(&b, N_GUEST_VERSION, "4.19");          /* 5 bytes, pad 3 */
    b.note_end -= 3;
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_str_eq(img.xen.guest_ver, "4.19");
}
END_TEST

START_TEST(long_string_truncated)
{
    char longver[100];

    memset(longver, 'v', sizeof(longver) - 1);
    longver[sizeof(longver) - 1] = '\0';
    std_body(SKIP(N_GUEST_VERSION));
    eb_note_str(&b, N_GUEST_VERSION, longver);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_uint_eq(strlen(img.xen.guest_ver), ELF_NOTE_STR_MAX - 1);
}
END_TEST

START_TEST(numeric_note_sizes)
{
    std_body(SKIP(N_HV_START_LOW) | SKIP(N_INIT_P2M) | SKIP(N_HYPERCALL_PAGE));
    eb_note_num(&b, N_HV_START_LOW, 0x1234, 2);
    eb_note_num(&b, N_INIT_P2M, 0xab, 1);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_uint_eq(img.xen.hv_start_low, 0x1234);
    ck_assert_uint_eq(img.xen.p2m_base, 0xab);
    std_body(SKIP(N_HYPERCALL_PAGE));
    eb_note_num(&b, N_HYPERCALL_PAGE, 0x0102030405, 5);  /* odd: reads 0 */
    eb_note_phdr(&b);
    ck_assert_parse_fails("HYPERCALL_PAGE 0x0 is not");
}
END_TEST

/* A later note of the same type wins, as in libelf. */
START_TEST(repeated_note_last_wins)
{
    std_body(0);
    eb_note_str(&b, N_GUEST_VERSION, "second");
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_str_eq(img.xen.guest_ver, "second");
}
END_TEST

START_TEST(note_segment_with_offset_zero_skipped)
{
    std_image(0);
    eb_put(&b, eb_phdr_off(&b, 2) + PH_OFFSET, 0, 8);      /* libelf quirk */
    ck_assert_parse_fails("no Xen ELF notes");
}
END_TEST

START_TEST(too_many_notes)
{
    const size_t nr = 65537, note = 12;
    size_t size = EB_NOTES + nr * note;
    uint8_t *big = calloc(1, size);
    char e[128];

    std_image(0);
    memcpy(big, b.buf, EB_NOTES);
    /* PT_LOADs now point into the zero notes: harmless for this check. */
    eb_put(&b, eb_phdr_off(&b, 2) + PH_FILESZ, nr * note, 8);
    memcpy(big + eb_phdr_off(&b, 2), b.buf + eb_phdr_off(&b, 2), EB_PHDR_SIZE);
    ck_assert_int_eq(elf_parse(big, size, ALL_FEATURES, &img, e, sizeof(e)), -1);
    ck_assert_msg(strstr(e, "more than 65536 ELF notes"), "%s", e);
    free(big);
}
END_TEST

/* ------------------------------------------------- note sections ---- */

START_TEST(section_notes_used_without_pt_note)
{
    std_body(0);
    eb_note_section(&b);
    ck_assert_parse_ok();
    ck_assert_str_eq(img.xen.guest_os, "linux");
    ck_assert_uint_eq(img.xen.virt_entry, ENTRY);
}
END_TEST

/* Notes in PT_NOTE win: a SHT_NOTE section then is not read at all. */
START_TEST(section_notes_ignored_with_pt_note)
{
    std_image(0);
    eb_note_section(&b);
    /* Break the section: if it were read, parsing would fail. */
    eb_put(&b, eb_get(&b, EH_SHOFF, 8) + EB_SHDR_SIZE + 24, b.size, 8);
    ck_assert_parse_ok();
}
END_TEST

START_TEST(section_past_end_of_file)
{
    size_t sh1;

    std_body(0);
    eb_note_section(&b);
    sh1 = eb_get(&b, EH_SHOFF, 8) + EB_SHDR_SIZE;
    eb_put(&b, sh1 + 32, UINT64_MAX, 8);               /* sh_size */
    ck_assert_parse_fails("section header 1 extends past end of file");
}
END_TEST

START_TEST(section_table_past_end_of_file)
{
    std_image(0);
    eb_note_section(&b);
    b.size -= 1;
    ck_assert_parse_fails("section headers extend past end of file");
    b.size += 1;
    eb_put(&b, EH_SHENTSIZE, 40, 2);
    ck_assert_parse_fails("section header entry size 40, expected 64");
}
END_TEST

/* --------------------------------------------- note_check rules ---- */

START_TEST(loader_and_guest_os)
{
    /* Neither generic loader nor Linux. */
    std_body(SKIP(N_LOADER) | SKIP(N_GUEST_OS));
    eb_note_str(&b, N_LOADER, "elf");
    eb_note_str(&b, N_GUEST_OS, "NetBSD");
    eb_note_phdr(&b);
    ck_assert_parse_fails("generic loader or Linux images (LOADER \"elf\", GUEST_OS \"NetBSD\")");
    /* Both absent. */
    std_image(SKIP(N_LOADER) | SKIP(N_GUEST_OS));
    ck_assert_parse_fails("LOADER \"\", GUEST_OS \"\"");
    /* Linux without a loader note; a prefix is enough, as libelf. */
    std_body(SKIP(N_LOADER) | SKIP(N_GUEST_OS));
    eb_note_str(&b, N_GUEST_OS, "linux-pv");
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    /* Generic loader with any OS. */
    std_body(SKIP(N_GUEST_OS));
    eb_note_str(&b, N_GUEST_OS, "Mini-OS");
    eb_note_phdr(&b);
    ck_assert_parse_ok();
}
END_TEST

START_TEST(xen_version_wrong_or_missing)
{
    std_body(SKIP(N_XEN_VERSION));
    eb_note_str(&b, N_XEN_VERSION, "xen-4.17");
    eb_note_phdr(&b);
    ck_assert_parse_fails("built for Xen v3.0 (XEN_VERSION \"xen-4.17\")");
    std_image(SKIP(N_XEN_VERSION));
    ck_assert_parse_fails("XEN_VERSION \"\"");
    std_body(SKIP(N_XEN_VERSION));
    eb_note_str(&b, N_XEN_VERSION, "xen-3.0-unstable");
    eb_note_phdr(&b);
    ck_assert_parse_ok();
}
END_TEST

/* ------------------------------------------------ address rules ---- */

START_TEST(paddr_offset_without_virt_base)
{
    std_image(SKIP(N_VIRT_BASE));
    ck_assert_parse_fails("PADDR_OFFSET note set, VIRT_BASE unset");
}
END_TEST

START_TEST(entry_outside_kernel)
{
    std_body(SKIP(N_ENTRY));
    eb_note_num(&b, N_ENTRY, KSTART - 1, 8);
    eb_note_phdr(&b);
    ck_assert_parse_fails("entry 0xffffffff80ffffff outside the kernel "
                          "[0xffffffff81000000, 0xffffffff81004000]");
    std_body(SKIP(N_ENTRY));
    eb_note_num(&b, N_ENTRY, KEND + 1, 8);
    eb_note_phdr(&b);
    ck_assert_parse_fails("outside the kernel");
    std_body(SKIP(N_ENTRY));                 /* libelf allows entry == kend */
    eb_note_num(&b, N_ENTRY, KEND, 8);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
}
END_TEST

START_TEST(e_entry_outside_kernel)
{
    std_image(SKIP(N_ENTRY));
    eb_put(&b, EH_ENTRY, 0x1000, 8);
    ck_assert_parse_fails("entry 0x1000 outside the kernel");
}
END_TEST

START_TEST(virt_base_above_kernel)
{
    std_body(SKIP(N_VIRT_BASE) | SKIP(N_PADDR_OFFSET));
    /* paddr offset = virt base: kernel at virt_base + (paddr - offset). */
    eb_note_num(&b, N_VIRT_BASE, KSTART + 0x1000, 8);
    eb_note_num(&b, N_PADDR_OFFSET, KSTART + 0x1000 - VIRT_BASE, 8);
    eb_note_phdr(&b);
    ck_assert_parse_fails("VIRT_BASE 0xffffffff81001000 is above the kernel start");
}
END_TEST

START_TEST(kernel_wraps_address_space)
{
    std_body(SKIP(N_VIRT_BASE) | SKIP(N_ENTRY));
    eb_note_num(&b, N_VIRT_BASE, UINT64_MAX - TEXT_PADDR - 0x10, 8);
    eb_note_num(&b, N_ENTRY, UINT64_MAX - 0x8, 8);
    eb_note_phdr(&b);
    ck_assert_parse_fails("is above its end");
}
END_TEST

START_TEST(init_p2m_inside_kernel)
{
    std_body(SKIP(N_INIT_P2M));
    eb_note_num(&b, N_INIT_P2M, KSTART + 0x2000, 8);
    eb_note_phdr(&b);
    ck_assert_parse_fails("INIT_P2M base 0xffffffff81002000 inside the kernel");
    std_body(SKIP(N_INIT_P2M));
    eb_note_num(&b, N_INIT_P2M, KSTART, 8);
    eb_note_phdr(&b);
    ck_assert_parse_fails("INIT_P2M base");
    std_body(SKIP(N_INIT_P2M));
    eb_note_num(&b, N_INIT_P2M, KEND, 8);             /* just after: fine */
    eb_note_phdr(&b);
    ck_assert_parse_ok();
}
END_TEST

/*
 * The hypercall page must be a page of the kernel: anywhere else in the
 * bootstrap region it would be written where domain_build then builds the
 * page tables (whose stub bytes would read as present entries) or
 * start_info.
 */
START_TEST(hypercall_page_outside_kernel)
{
    static const uint64_t bad[] = {
        KSTART - 0x1000, KEND, KEND + 0x100000, HYPERCALL + 8, 0,
        UINT64_MAX - 0xfff,
    };

    for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        std_body(SKIP(N_HYPERCALL_PAGE));
        eb_note_num(&b, N_HYPERCALL_PAGE, bad[i], 8);
        eb_note_phdr(&b);
        ck_assert_parse_fails("HYPERCALL_PAGE");
        ck_assert_parse_fails("is not a page-aligned address inside the "
                              "kernel [0xffffffff81000000, 0xffffffff81004000)");
    }
    std_body(SKIP(N_HYPERCALL_PAGE));           /* the kernel's last page */
    eb_note_num(&b, N_HYPERCALL_PAGE, KEND - 0x1000, 8);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    std_image(SKIP(N_HYPERCALL_PAGE));          /* none at all: fine */
    ck_assert_parse_ok();
    ck_assert_uint_eq(img.xen.virt_hypercall, ELF_UNSET_ADDR);
}
END_TEST

START_TEST(virt_base_unaligned)
{
    std_body(SKIP(N_VIRT_BASE) | SKIP(N_ENTRY) | SKIP(N_HYPERCALL_PAGE));
    eb_note_num(&b, N_VIRT_BASE, VIRT_BASE + 0x800, 8);
    eb_note_num(&b, N_ENTRY, KSTART + 0x900, 8);
    eb_note_phdr(&b);
    ck_assert_parse_fails("VIRT_BASE 0xffffffff80000800 is not page aligned");
}
END_TEST

/* ----------------------------------------------------- features ---- */

START_TEST(required_feature_unsupported)
{
    std_image(0);
    ck_assert_int_eq(parse_with(ALL_FEATURES & ~BIT(F_WRITABLE_PT)), -1);
    ck_assert_msg(strstr(err, "requires feature writable_page_tables (bit 0)"),
                  "%s", err);
    /* Supported-only names need nothing from the hypervisor. */
    ck_assert_int_eq(parse_with(BIT(F_WRITABLE_PT)), 0);
}
END_TEST

START_TEST(required_unknown_feature)
{
    std_body(SKIP(N_FEATURES));
    eb_note_str(&b, N_FEATURES, "writable_page_tables|!frobnicate");
    eb_note_phdr(&b);
    ck_assert_parse_fails("FEATURES note requires unknown feature \"frobnicate\"");
}
END_TEST

START_TEST(feature_list_forms)
{
    std_body(SKIP(N_FEATURES) | SKIP(N_SUPPORTED_FEATURES));
    eb_note_str(&b, N_FEATURES, "||!supervisor_mode_kernel||auto_translated_physmap|"
                "!dom0|writable_descriptor_tables|");
    eb_note_num(&b, N_SUPPORTED_FEATURES, BIT(20) | BIT(F_PAE_PGDIR), 8);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_uint_eq(img.xen.features.required,
                      BIT(F_SUPERVISOR) | BIT(F_DOM0));
    ck_assert_uint_eq(img.xen.features.supported,
                      BIT(F_SUPERVISOR) | BIT(F_AUTO_TRANSLATED) | BIT(F_DOM0) |
                      BIT(F_WRITABLE_DT) | BIT(20) | BIT(F_PAE_PGDIR));
}
END_TEST

/* Names of libelf's table only: mmu_pt_update_preserve_ad is not there. */
START_TEST(feature_not_in_libelf_table)
{
    std_body(SKIP(N_FEATURES));
    eb_note_str(&b, N_FEATURES, "!mmu_pt_update_preserve_ad");
    eb_note_phdr(&b);
    ck_assert_parse_fails("unknown feature \"mmu_pt_update_preserve_ad\"");
}
END_TEST

START_TEST(feature_name_too_long)
{
    char name[80] = "!";

    memset(name + 1, 'w', 70);
    std_body(SKIP(N_FEATURES));
    eb_note_str(&b, N_FEATURES, name);
    eb_note_phdr(&b);
    ck_assert_parse_fails("unknown feature");
}
END_TEST

START_TEST(supported_features_odd_size_ignored)
{
    std_body(SKIP(N_SUPPORTED_FEATURES));
    eb_note_num(&b, N_SUPPORTED_FEATURES, 0xff, 3);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_uint_eq(img.xen.features.supported,
                      BIT(F_WRITABLE_PT) | BIT(F_PAE_PGDIR));
}
END_TEST

/* -------------------------------------------- robustness, errors ---- */

/* Every prefix of a valid image is parsed from an exact-size copy. */
START_TEST(every_truncation_is_safe)
{
    std_image(0);
    for (size_t size = 0; size < b.size; size++) {
        uint8_t *copy = malloc(size ? size : 1);

        memcpy(copy, b.buf, size);
        ck_assert_msg(elf_parse(copy, size, ALL_FEATURES, &img, err,
                                sizeof(err)) == -1, "size %zu accepted", size);
        ck_assert_msg(err[0] != '\0', "size %zu: no reason", size);
        free(copy);
    }
}
END_TEST

/* Corrupt each header and note byte in turn: never a crash or overread. */
START_TEST(every_byte_corruption_is_safe)
{
    static const uint8_t values[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
    uint8_t *copy;

    std_image(0);
    copy = malloc(b.size);
    for (size_t i = 0; i < b.note_end; i++) {
        if (i >= eb_phdr_off(&b, b.nph) && i < EB_NOTES)
            continue;                                /* unused gap */
        for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
            memcpy(copy, b.buf, b.size);
            copy[i] = values[v];
            if (elf_parse(copy, b.size, ALL_FEATURES, &img, err, sizeof(err)) < 0)
                ck_assert_msg(err[0] != '\0', "byte %zu: no reason", i);
        }
    }
    free(copy);
}
END_TEST

START_TEST(unaligned_image)
{
    static uint8_t shifted[EB_SIZE + 1];

    std_image(0);
    memcpy(shifted + 1, b.buf, b.size);
    ck_assert_int_eq(elf_parse(shifted + 1, b.size, ALL_FEATURES, &img, err,
                               sizeof(err)), 0);
    ck_assert_uint_eq(img.xen.virt_entry, ENTRY);
}
END_TEST

START_TEST(error_buffer_small_or_absent)
{
    char small[8];

    std_image(0);
    b.buf[0] = 0;
    ck_assert_int_eq(elf_parse(b.buf, b.size, 0, &img, small, sizeof(small)), -1);
    ck_assert_str_eq(small, "bad ELF");
    ck_assert_int_eq(elf_parse(b.buf, b.size, 0, &img, NULL, 0), -1);
    small[0] = 'Q';
    ck_assert_int_eq(elf_parse(b.buf, b.size, 0, &img, small, 0), -1);
    ck_assert_int_eq(small[0], 'Q');
}
END_TEST

/* ----------------------------------------------- load segments ---- */

#define MAX_CALLS 8

struct load_log {
    unsigned int n;
    struct { char kind; uint64_t va; size_t len; uint8_t first, last; } c[MAX_CALLS];
    unsigned int fail_at;            /* 1-based call number, 0 = never */
    int fail_rc;
};

static int log_call(struct load_log *l, char kind, uint64_t va, size_t len,
                    const uint8_t *src)
{
    ck_assert_uint_lt(l->n, MAX_CALLS);
    l->c[l->n].kind = kind;
    l->c[l->n].va = va;
    l->c[l->n].len = len;
    l->c[l->n].first = src ? src[0] : 0;
    l->c[l->n].last = src ? src[len - 1] : 0;
    l->n++;
    return l->n == l->fail_at ? l->fail_rc : 0;
}

static int copy_cb(void *ctx, uint64_t va, const void *src, size_t len)
{
    return log_call(ctx, 'c', va, len, src);
}

static int zero_cb(void *ctx, uint64_t va, size_t len)
{
    return log_call(ctx, 'z', va, len, NULL);
}

START_TEST(load_segments_calls)
{
    struct load_log l = { 0 };

    std_image(0);
    ck_assert_parse_ok();
    ck_assert_int_eq(elf_load_segments(&img, copy_cb, zero_cb, &l), 0);
    ck_assert_uint_eq(l.n, 3);        /* text: copy; data: copy + zero */
    ck_assert_int_eq(l.c[0].kind, 'c');
    ck_assert_uint_eq(l.c[0].va, KSTART);
    ck_assert_uint_eq(l.c[0].len, TEXT_SIZE);
    ck_assert_uint_eq(l.c[0].first, 0xaa);
    ck_assert_uint_eq(l.c[0].last, 0xaa);
    ck_assert_int_eq(l.c[1].kind, 'c');
    ck_assert_uint_eq(l.c[1].va, VIRT_BASE + DATA_PADDR);
    ck_assert_uint_eq(l.c[1].len, DATA_FILESZ);
    ck_assert_uint_eq(l.c[1].first, 0xbb);
    ck_assert_int_eq(l.c[2].kind, 'z');
    ck_assert_uint_eq(l.c[2].va, VIRT_BASE + DATA_PADDR + DATA_FILESZ);
    ck_assert_uint_eq(l.c[2].len, DATA_MEMSZ - DATA_FILESZ);
}
END_TEST

START_TEST(load_segments_with_paddr_offset)
{
    struct load_log l = { 0 };

    eb_begin(&b, 0xc0000010);
    eb_load(&b, 0xc0000000, 0x20, 0x20, 5);
    eb_load(&b, 0xc0001000, 0, 0x500, 0);           /* bss only */
    eb_note_str(&b, N_GUEST_OS, "linux");
    eb_note_str(&b, N_XEN_VERSION, "xen-3.0");
    eb_note_num(&b, N_VIRT_BASE, 0xc0000000, 8);
    eb_note_num(&b, N_PADDR_OFFSET, 0xc0000000, 8);
    eb_note_phdr(&b);
    ck_assert_parse_ok();
    ck_assert_int_eq(elf_load_segments(&img, copy_cb, zero_cb, &l), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_int_eq(l.c[0].kind, 'c');
    ck_assert_uint_eq(l.c[0].va, 0xc0000000);
    ck_assert_int_eq(l.c[1].kind, 'z');
    ck_assert_uint_eq(l.c[1].va, 0xc0001000);
    ck_assert_uint_eq(l.c[1].len, 0x500);
}
END_TEST

START_TEST(load_segments_stops_on_error)
{
    struct load_log l = { .fail_at = 2, .fail_rc = -14 };

    std_image(0);
    ck_assert_parse_ok();
    ck_assert_int_eq(elf_load_segments(&img, copy_cb, zero_cb, &l), -14);
    ck_assert_uint_eq(l.n, 2);                       /* no zero call */
    l = (struct load_log){ .fail_at = 3, .fail_rc = 7 };
    ck_assert_int_eq(elf_load_segments(&img, copy_cb, zero_cb, &l), 7);
    ck_assert_uint_eq(l.n, 3);
}
END_TEST

static Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *hdr = tcase_create("headers"), *seg = tcase_create("segments");
    TCase *notes = tcase_create("notes"), *rules = tcase_create("rules");
    TCase *robust = tcase_create("robustness"), *load = tcase_create("load");

    tcase_add_test(hdr, valid_image_all_notes);
    tcase_add_test(hdr, defaults_when_notes_absent);
    tcase_add_test(hdr, paddr_offset_translates);
    tcase_add_test(hdr, too_small_for_header);
    tcase_add_test(hdr, bad_magic);
    tcase_add_test(hdr, elf32_refused);
    tcase_add_test(hdr, big_endian_refused);
    tcase_add_test(hdr, bad_version_refused);
    tcase_add_test(hdr, wrong_machine);
    tcase_add_test(hdr, not_executable);
    tcase_add_test(seg, no_program_headers);
    tcase_add_test(seg, truncated_phdrs);
    tcase_add_test(seg, phdr_offset_overflow);
    tcase_add_test(seg, bad_phentsize);
    tcase_add_test(seg, segment_past_end_of_file);
    tcase_add_test(seg, segment_offset_overflow);
    tcase_add_test(seg, note_segment_past_end_of_file);
    tcase_add_test(seg, filesz_above_memsz);
    tcase_add_test(seg, paddr_wraps);
    tcase_add_test(seg, overlapping_segments);
    tcase_add_test(seg, adjacent_segments_do_not_overlap);
    tcase_add_test(seg, no_loadable_segment);
    tcase_add_test(seg, load_without_flags_is_ignored);
    tcase_add_test(seg, too_many_loadable_segments);
    tcase_add_test(notes, missing_notes);
    tcase_add_test(notes, only_foreign_notes);
    tcase_add_test(notes, note_descsz_past_end);
    tcase_add_test(notes, note_namesz_huge);
    tcase_add_test(notes, note_descsz_huge_no_wrap);
    tcase_add_test(notes, string_note_nul_in_padding);
    tcase_add_test(notes, string_note_runs_into_next_note);
    tcase_add_test(notes, string_note_without_nul_skipped);
    tcase_add_test(notes, string_note_longer_than_4096_skipped);
    tcase_add_test(notes, last_note_without_padding);
    tcase_add_test(notes, long_string_truncated);
    tcase_add_test(notes, numeric_note_sizes);
    tcase_add_test(notes, repeated_note_last_wins);
    tcase_add_test(notes, note_segment_with_offset_zero_skipped);
    tcase_add_test(notes, too_many_notes);
    tcase_add_test(notes, section_notes_used_without_pt_note);
    tcase_add_test(notes, section_notes_ignored_with_pt_note);
    tcase_add_test(notes, section_past_end_of_file);
    tcase_add_test(notes, section_table_past_end_of_file);
    tcase_add_test(rules, loader_and_guest_os);
    tcase_add_test(rules, xen_version_wrong_or_missing);
    tcase_add_test(rules, paddr_offset_without_virt_base);
    tcase_add_test(rules, entry_outside_kernel);
    tcase_add_test(rules, e_entry_outside_kernel);
    tcase_add_test(rules, virt_base_above_kernel);
    tcase_add_test(rules, kernel_wraps_address_space);
    tcase_add_test(rules, init_p2m_inside_kernel);
    tcase_add_test(rules, hypercall_page_outside_kernel);
    tcase_add_test(rules, virt_base_unaligned);
    tcase_add_test(rules, required_feature_unsupported);
    tcase_add_test(rules, required_unknown_feature);
    tcase_add_test(rules, feature_list_forms);
    tcase_add_test(rules, feature_not_in_libelf_table);
    tcase_add_test(rules, feature_name_too_long);
    tcase_add_test(rules, supported_features_odd_size_ignored);
    tcase_add_test(robust, every_truncation_is_safe);
    tcase_add_test(robust, every_byte_corruption_is_safe);
    tcase_add_test(robust, unaligned_image);
    tcase_add_test(robust, error_buffer_small_or_absent);
    tcase_add_test(load, load_segments_calls);
    tcase_add_test(load, load_segments_with_paddr_offset);
    tcase_add_test(load, load_segments_stops_on_error);
    tcase_set_timeout(robust, 120);
    suite_add_tcase(s, hdr);
    suite_add_tcase(s, seg);
    suite_add_tcase(s, notes);
    suite_add_tcase(s, rules);
    suite_add_tcase(s, robust);
    suite_add_tcase(s, load);
    return s;
}

int main(void)
{
    return harness_main(elf_suite());
}
