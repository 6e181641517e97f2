/* SPDX-License-Identifier: MIT */
/*
 * test_gk_elf.c - pvkernel's ELF reader (guest-kernel/kernel/elf.c) on the
 *                 host: what exec may load, and every way a file can lie.
 * Owns:    the ELF files built here (one buffer, rebuilt per case).
 * Touches: guest-kernel/kernel/elf.c, compiled as it is (it reads only
 *          the file's bytes); gk_host.h for what the kernel headers need.
 *
 * exec.c calls elf_parse(data, size, USER_STACK_TOP - USER_STACK_PAGES
 * pages, ...) and answers -ENOEXEC with the reason when it refuses; then,
 * for ET_DYN, it loads at bias ELF_PIE_BASE - lo and refuses a first page
 * below USER_MIN_ADDR.  Those two steps are exec.c's and are not here.
 *
 * Linux (fs/binfmt_elf.c, load_elf_binary()) as the oracle, per check:
 *  - magic, e_type ET_EXEC/ET_DYN, e_machine, e_phentsize == 56 and
 *    e_phnum * 56 in 1..65536 bytes (and within a page): -ENOEXEC before
 *    the point of no return.  Linux does not look at EI_CLASS, EI_DATA or
 *    the versions (an x86-64 kernel takes the header as ELF64 LE); pvkernel
 *    refuses what is not ELFCLASS64/LSB/EV_CURRENT, a stricter reading.
 *    Linux's phnum limit is 4096 / 56 = 73; pvkernel's ELF_MAX_PHNUM 64.
 *  - p_filesz > p_memsz, p_vaddr or p_memsz past TASK_SIZE: -EINVAL in
 *    load_elf_binary() (after begin_new_exec: the process dies); pvkernel
 *    refuses before anything is torn down (-ENOEXEC, the caller survives).
 *  - p_offset not congruent to p_vaddr modulo the page: Linux's mmap of
 *    the segment fails (-EINVAL); pvkernel refuses.
 *  - PT_INTERP: Linux loads the interpreter; pvkernel has no dynamic
 *    loader and refuses with "dynamically linked (PT_INTERP)".
 *  - The entry: Linux only checks it is below TASK_SIZE (BAD_ADDR); an
 *    entry in a non-executable page faults at the first instruction.
 *    pvkernel requires it inside an executable PT_LOAD, which implies the
 *    user range: nothing Linux checks to protect the kernel is missing.
 *  - Segments sharing a page, out of order or overlapping: Linux maps them
 *    in file order (the later mapping wins); pvkernel refuses them
 *    (a linker never emits them for a static program: GNU ld and lld
 *    start each segment on a new page).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <elf.h>
#include <uapi.h>
#include <vfs.h>

#include "gk_host.h"

/* exec.c's user_end: USER_STACK_TOP (0x7ffffffff000) less the 64-page stack. */
#define USER_END (0x00007ffffffff000UL - 64 * 4096UL)
#define PG 4096UL
#define FILE_LEN (4 * PG)
#define PHOFF 64
#define KERNEL_HALF 0xffff800000000000UL

static uint8_t file[FILE_LEN] __attribute__((aligned(8)));
static size_t file_len;
static struct elf_image img;
static const char *why;

static struct elf64_ehdr *eh(void) { return (struct elf64_ehdr *)file; }
static struct elf64_phdr *ph(unsigned int i)
{
    return (struct elf64_phdr *)(file + PHOFF + i * sizeof(struct elf64_phdr));
}

static void set_ph(unsigned int i, uint32_t type, uint32_t flags, uint64_t off,
                   uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
    *ph(i) = (struct elf64_phdr){ type, flags, off, vaddr, vaddr, filesz, memsz, PG };
    if (i >= eh()->phnum)
        eh()->phnum = i + 1;
}

/* A static ET_EXEC as GNU ld lays one out: text (the headers and code)
 * R+X at 0x400000 from offset 0, data R+W at 0x402000 from offset 0x1000
 * with 0x800 bytes in the file and 0x3000 in memory (bss). */
static void good_exec(void)
{
    memset(file, 0, sizeof(file));
    file_len = FILE_LEN;
    memcpy(eh()->ident, "\177ELF\2\1\1", 7);
    eh()->type = ELF_ET_EXEC;
    eh()->machine = ELF_EM_X86_64;
    eh()->version = 1;
    eh()->entry = 0x400100;
    eh()->phoff = PHOFF;
    eh()->ehsize = sizeof(struct elf64_ehdr);
    eh()->phentsize = sizeof(struct elf64_phdr);
    eh()->phnum = 0;
    set_ph(0, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, 0x400000, PG, PG);
    set_ph(1, ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, PG, 0x402000, 0x800, 0x3000);
}

/* The same as a static PIE (musl's rcrt1.o): ET_DYN linked at 0, with a
 * PT_DYNAMIC for its self-relocation. */
static void good_pie(void)
{
    good_exec();
    eh()->type = ELF_ET_DYN;
    eh()->entry = 0x100;
    ph(0)->vaddr = 0;
    ph(1)->vaddr = 0x2000;
    set_ph(2, ELF_PT_DYNAMIC, ELF_PF_R | ELF_PF_W, PG + 0x100, 0x2100, 0x100, 0x100);
}

static int parse(void)
{
    why = NULL;
    return elf_parse(file, file_len, USER_END, &img, &why);
}

#define accepted() ck_assert_msg(parse() == 0, "refused: %s", why ? why : "(no reason)")
#define refused(reason) do {                                                 \
        ck_assert_int_eq(parse(), -1);                                       \
        ck_assert_ptr_nonnull(why);                                          \
        ck_assert_msg(strstr(why, reason), "why '%s', expected '%s'", why, reason); \
    } while (0)

START_TEST(static_exec)
{
    good_exec();
    accepted();
    ck_assert_uint_eq(img.type, ELF_ET_EXEC);
    ck_assert_uint_eq(img.entry, 0x400100);
    ck_assert_uint_eq(img.nloads, 2);
    ck_assert_uint_eq(img.lo, 0x400000);
    ck_assert_uint_eq(img.hi, 0x405000);            /* brk starts here */
    ck_assert_uint_eq(img.loads[0].vaddr, 0x400000);
    ck_assert_uint_eq(img.loads[0].flags, ELF_PF_R | ELF_PF_X);
    ck_assert_uint_eq(img.loads[1].offset, PG);
    ck_assert_uint_eq(img.loads[1].filesz, 0x800);
    ck_assert_uint_eq(img.loads[1].memsz, 0x3000);
    /* no PT_PHDR: AT_PHDR is where the first load maps the headers */
    ck_assert_uint_eq(img.phdr_vaddr, 0x400000 + PHOFF);
    ck_assert_uint_eq(img.phnum, 2);
    ck_assert_uint_eq(img.phent, 56);
    /* the entry on the text segment's first and last byte */
    eh()->entry = 0x400000;
    accepted();
    eh()->entry = 0x400fff;
    accepted();
}
END_TEST

/* What musl-gcc -static adds: PT_PHDR, PT_TLS, PT_GNU_STACK, PT_NOTE,
 * PT_GNU_RELRO; and an empty PT_LOAD, which is skipped. */
START_TEST(other_headers)
{
    good_exec();
    set_ph(2, ELF_PT_PHDR, ELF_PF_R, PHOFF, 0x400040, 7 * 56, 7 * 56);
    set_ph(3, 7 /* PT_TLS */, ELF_PF_R, PG, 0x402000, 8, 16);
    set_ph(4, 0x6474e551 /* PT_GNU_STACK */, ELF_PF_R | ELF_PF_W, 0, 0, 0, 0);
    set_ph(5, 4 /* PT_NOTE */, ELF_PF_R, 0x200, 0x400200, 0x20, 0x20);
    set_ph(6, ELF_PT_LOAD, ELF_PF_R, 0, 0x900000, 0, 0);
    accepted();
    ck_assert_uint_eq(img.nloads, 2);
    ck_assert_uint_eq(img.phnum, 7);
    ck_assert_uint_eq(img.phdr_vaddr, 0x400040);
    /* PT_PHDR wins over the load's mapping of the headers */
    ph(2)->vaddr = 0x400800;
    accepted();
    ck_assert_uint_eq(img.phdr_vaddr, 0x400800);
}
END_TEST

START_TEST(static_pie)
{
    good_pie();
    accepted();
    ck_assert_uint_eq(img.type, ELF_ET_DYN);
    ck_assert_uint_eq(img.lo, 0);
    ck_assert_uint_eq(img.hi, 0x5000);
    ck_assert_uint_eq(img.entry, 0x100);            /* unbiased: exec adds the bias */
    ck_assert_uint_eq(img.phdr_vaddr, PHOFF);
    /* linked elsewhere: lo is the first page, exec biases it to ELF_PIE_BASE */
    ph(0)->vaddr += 0x10000;
    ph(1)->vaddr += 0x10000;
    eh()->entry += 0x10000;
    accepted();
    ck_assert_uint_eq(img.lo, 0x10000);
    /* the span must fit between ELF_PIE_BASE and the stack */
    good_pie();
    ph(1)->memsz = USER_END - ELF_PIE_BASE - 0x2000;
    accepted();
    ph(1)->memsz += PG;
    refused("too large for the user range");
}
END_TEST

START_TEST(ident_and_header)
{
    static const struct { unsigned int byte; uint8_t value; const char *reason; } id[] = {
        { 0, 0x7e, "bad magic" }, { 1, 'e', "bad magic" }, { 2, 'l', "bad magic" },
        { 3, 'G', "bad magic" },
        { 4, 0, "64-bit" }, { 4, 1 /* ELFCLASS32 */, "64-bit" }, { 4, 3, "64-bit" },
        { 5, 0, "little-endian" }, { 5, 2 /* ELFDATA2MSB */, "little-endian" },
        { 6, 0, "version" }, { 6, 2, "version" },
    };
    unsigned int k;

    for (k = 0; k < sizeof(id) / sizeof(id[0]); k++) {
        good_exec();
        file[id[k].byte] = id[k].value;
        refused(id[k].reason);
    }
    good_exec(); eh()->version = 0; refused("version");
    good_exec(); eh()->version = 2; refused("version");
    good_exec(); eh()->machine = 3; refused("x86-64");          /* EM_386 */
    good_exec(); eh()->machine = 183; refused("x86-64");        /* EM_AARCH64 */
    good_exec(); eh()->machine = 0; refused("x86-64");
    good_exec(); eh()->type = 1; refused("ET_EXEC or ET_DYN");  /* ET_REL */
    good_exec(); eh()->type = 4; refused("ET_EXEC or ET_DYN");  /* ET_CORE */
    good_exec(); eh()->type = 0; refused("ET_EXEC or ET_DYN");
    /* ignored as Linux ignores them: OS ABI, e_flags, e_ehsize, sections */
    good_exec();
    eh()->ident[7] = 3;                                         /* ELFOSABI_LINUX */
    eh()->flags = 0xdead;
    eh()->ehsize = 1;
    eh()->shoff = ~0UL;
    eh()->shnum = 0xffff;
    accepted();
    /* shorter than the header: the magic is read first */
    for (size_t len = 0; len < sizeof(struct elf64_ehdr); len++) {
        good_exec();
        file_len = len;
        refused(len < 4 ? "bad magic" : "shorter than an ELF header");
    }
}
END_TEST

START_TEST(program_header_table)
{
    static const uint16_t bad_ent[] = { 0, 32, 55, 57, 64, 0xffff };
    unsigned int k;

    for (k = 0; k < sizeof(bad_ent) / sizeof(bad_ent[0]); k++) {
        good_exec();
        eh()->phentsize = bad_ent[k];
        refused("program header size is not 56");
    }
    good_exec(); eh()->phnum = 0; refused("no program headers");
    good_exec(); eh()->phnum = ELF_MAX_PHNUM + 1; refused("too many");
    good_exec(); eh()->phnum = 0xffff; refused("too many");
    /* 64 headers (the rest PT_NULL) still fit in the file: accepted */
    good_exec(); eh()->phnum = ELF_MAX_PHNUM; accepted();
    ck_assert_uint_eq(img.nloads, 2);
    /* the table must lie inside the file, without wrapping */
    good_exec(); eh()->phoff = FILE_LEN; refused("program headers past the end");
    good_exec(); eh()->phoff = FILE_LEN - 2 * 56 + 1; refused("program headers past the end");
    good_exec(); eh()->phoff = ~0UL; refused("program headers past the end");
    good_exec(); eh()->phoff = ~0UL - 55; refused("program headers past the end");
    good_exec(); eh()->phoff = 1UL << 63; refused("program headers past the end");
    /* the last two headers' worth of file: accepted where they are */
    good_exec();
    memmove(file + FILE_LEN - 2 * 56, ph(0), 2 * 56);
    memset(ph(0), 0, 2 * 56);
    eh()->phoff = FILE_LEN - 2 * 56;
    accepted();
    ck_assert_uint_eq(img.nloads, 2);
    /* one byte short of them */
    file_len = FILE_LEN - 1;
    refused("program headers past the end");
}
END_TEST

START_TEST(segment_sizes)
{
    good_exec(); ph(1)->filesz = 0x3001; refused("filesz > memsz");
    /* an empty load with file bytes: refused as Linux does (was skipped) */
    good_exec(); set_ph(2, ELF_PT_LOAD, ELF_PF_R, 0, 0x900000, 1, 0); refused("filesz > memsz");
    /* the file bytes must be in the file, without wrapping */
    good_exec(); ph(1)->offset = FILE_LEN + PG; ph(1)->vaddr = 0x403000;
    refused("past the end of the file");
    good_exec(); ph(1)->filesz = FILE_LEN - PG + 1; ph(1)->memsz = FILE_LEN;
    refused("past the end of the file");
    good_exec(); ph(1)->filesz = FILE_LEN - PG; ph(1)->memsz = FILE_LEN;
    accepted();                                 /* up to the last byte */
    good_exec(); ph(1)->offset = ~0UL & ~(PG - 1);      /* far out, page-congruent */
    refused("past the end of the file");
    good_exec(); ph(1)->filesz = ~0UL - PG + 2; ph(1)->memsz = ~0UL;   /* offset + filesz wraps */
    refused("past the end of the file");
    /* a segment of bss only (filesz 0) at any offset is fine */
    good_exec(); set_ph(2, ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0, 0x500000, 0, PG); accepted();
    ck_assert_uint_eq(img.nloads, 3);
}
END_TEST

START_TEST(segment_addresses)
{
    /* vaddr + memsz wrapping around */
    good_exec(); ph(1)->memsz = ~0UL - 0x402000 + 2; refused("outside the user");
    good_exec(); ph(1)->memsz = ~0UL; refused("outside the user");
    /* in or reaching the kernel half, or non-canonical */
    good_exec(); ph(1)->vaddr = KERNEL_HALF + 0x2000; refused("outside the user");
    good_exec(); ph(1)->vaddr = 0xffffffff80002000UL; refused("outside the user");
    good_exec(); ph(1)->vaddr = 0x0000800000002000UL; refused("outside the user");
    good_exec(); ph(1)->vaddr = USER_END - PG; ph(1)->memsz = KERNEL_HALF - ph(1)->vaddr;
    refused("outside the user");
    /* up to user_end (the stack's bottom) exactly, and one byte more */
    good_exec(); ph(1)->vaddr = USER_END - 0x3000; accepted();
    ck_assert_uint_eq(img.hi, USER_END);
    ph(1)->memsz++; refused("outside the user");
    /* ending mid-page before user_end: the page rounds up to it, fine */
    good_exec(); ph(1)->vaddr = USER_END - 0x3000; ph(1)->offset = PG;
    ph(1)->memsz = 0x2fff; accepted();
    good_exec(); ph(1)->vaddr = USER_END; ph(1)->filesz = 0; ph(1)->memsz = 1; refused("outside the user");
    /* for ET_DYN the same bound holds on the unbiased addresses */
    good_pie(); ph(1)->vaddr = KERNEL_HALF + 0x2000; refused("outside the user");
}
END_TEST

START_TEST(segment_order_and_alignment)
{
    /* overlapping, unsorted, sharing a page: refused (see the head) */
    good_exec(); ph(1)->vaddr = 0x400000; refused("overlapping or out of order");
    good_exec(); ph(1)->vaddr = 0x200000; refused("overlapping or out of order");
    good_exec(); ph(0)->filesz = ph(0)->memsz = 0x800; ph(1)->offset = 0x1900; ph(1)->vaddr = 0x400900;
    ph(1)->filesz = 0x100;
    refused("overlapping or out of order");
    /* the next page exactly: fine */
    good_exec(); ph(1)->vaddr = 0x401000; accepted();
    /* p_offset and p_vaddr must agree modulo the page, not be aligned */
    good_exec(); ph(1)->vaddr = 0x402010; refused("modulo the page size");
    good_exec(); ph(1)->offset = PG + 0x10; refused("modulo the page size");
    good_exec(); ph(1)->vaddr = 0x402010; ph(1)->offset = PG + 0x10; accepted();
    ck_assert_uint_eq(img.hi, 0x406000);
    /* at most ELF_MAX_LOADS loads */
    good_exec();
    for (unsigned int i = 2; i < ELF_MAX_LOADS; i++)
        set_ph(i, ELF_PT_LOAD, ELF_PF_R, 0, 0x500000 + i * PG, 0, PG);
    accepted();
    ck_assert_uint_eq(img.nloads, ELF_MAX_LOADS);
    set_ph(ELF_MAX_LOADS, ELF_PT_LOAD, ELF_PF_R, 0, 0x600000, 0, PG);
    refused("too many PT_LOAD");
}
END_TEST

START_TEST(no_load_and_interp)
{
    good_exec(); ph(0)->type = 0; ph(1)->type = 0; refused("no PT_LOAD");
    good_exec(); ph(0)->memsz = 0; ph(0)->filesz = 0; ph(1)->memsz = 0; ph(1)->filesz = 0;
    refused("no PT_LOAD");
    /* a dynamically linked program, PT_INTERP first (as ld puts it) or last */
    good_exec();
    *ph(2) = *ph(0);
    *ph(1) = *ph(0);
    set_ph(0, ELF_PT_INTERP, ELF_PF_R, 0x200, 0x400200, 28, 28);
    set_ph(1, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, 0x400000, PG, PG);
    set_ph(2, ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, PG, 0x402000, 0x800, 0x3000);
    refused("dynamically linked (PT_INTERP): no dynamic loader");
    good_exec(); set_ph(2, ELF_PT_INTERP, ELF_PF_R, 0x200, 0x400200, 28, 28);
    refused("PT_INTERP");
    /* a PT_INTERP pointing anywhere is refused for what it is, first */
    good_exec(); set_ph(2, ELF_PT_INTERP, ELF_PF_R, ~0UL, 0, ~0UL, 0);
    refused("PT_INTERP");
    /* PT_DYNAMIC alone is a static PIE's: accepted (static_pie) */
}
END_TEST

START_TEST(entry_point)
{
    good_exec(); eh()->entry = 0x402000; refused("not executable");      /* data */
    good_exec(); eh()->entry = 0x404fff; refused("not executable");      /* bss */
    good_exec(); eh()->entry = 0x401000; refused("outside every segment"); /* the gap */
    good_exec(); eh()->entry = 0x405000; refused("outside every segment");
    good_exec(); eh()->entry = 0; refused("outside every segment");
    good_exec(); eh()->entry = KERNEL_HALF; refused("outside every segment");
    good_exec(); eh()->entry = 0xffffffff80000000UL; refused("outside every segment");
    good_exec(); eh()->entry = ~0UL; refused("outside every segment");
    /* in a second executable segment */
    good_exec(); ph(1)->flags = ELF_PF_R | ELF_PF_X; eh()->entry = 0x403000; accepted();
    /* execute-only text (no PF_R): still executable */
    good_exec(); ph(0)->flags = ELF_PF_X; accepted();
    good_pie(); eh()->entry = 0x2000; refused("not executable");
}
END_TEST

/* Every truncation of a good file is refused (the data segment's bytes
 * reach the end of the text page + 0x800) and never read past len. */
START_TEST(truncated)
{
    static uint8_t copy[FILE_LEN];
    struct elf_image im;
    const char *w;
    size_t len;

    good_exec();
    for (len = 0; len < PG + 0x800; len++) {
        memcpy(copy, file, len);
        ck_assert_int_eq(elf_parse(copy, len, USER_END, &im, &w), -1);
    }
    ck_assert_int_eq(elf_parse(file, PG + 0x800, USER_END, &im, &w), 0);
}
END_TEST

/* Whatever a header byte becomes, what elf_parse accepts keeps its
 * promises: every load in the file and the user range, in page order,
 * the entry in an executable one. */
static void check_promises(const struct elf_image *im, size_t len)
{
    uint64_t prev_hi = 0;

    ck_assert_uint_ge(im->nloads, 1);
    ck_assert_uint_le(im->nloads, ELF_MAX_LOADS);
    for (unsigned int i = 0; i < im->nloads; i++) {
        const struct elf_load *l = &im->loads[i];

        ck_assert_uint_le(l->filesz, l->memsz);
        ck_assert_uint_le(l->offset, len);
        ck_assert_uint_le(l->filesz, len - l->offset);
        ck_assert_uint_lt(l->vaddr, USER_END);
        ck_assert_uint_le(l->memsz, USER_END - l->vaddr);
        ck_assert_uint_eq((l->vaddr - l->offset) & (PG - 1), 0);
        ck_assert_uint_ge(l->vaddr & ~(PG - 1), prev_hi);
        prev_hi = (l->vaddr + l->memsz + PG - 1) & ~(PG - 1);
    }
    ck_assert_uint_eq(im->hi, prev_hi);
    ck_assert_uint_eq(im->lo & (PG - 1), 0);
    ck_assert_uint_le(im->hi, USER_END);
}

START_TEST(header_byte_sweep)
{
    static const uint8_t values[] = { 0x00, 0x01, 0x10, 0x40, 0x7f, 0x80, 0xfe, 0xff };
    unsigned int accepted_n = 0;

    for (size_t off = 0; off < PHOFF + 3 * 56; off++) {
        for (unsigned int v = 0; v < sizeof(values); v++) {
            struct elf_image im;
            const char *w = NULL;

            good_exec();
            set_ph(2, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 2 * PG, 0x600000, 0x100, 0x100);
            file[off] = values[v];
            if (elf_parse(file, file_len, USER_END, &im, &w) == 0) {
                check_promises(&im, file_len);
                accepted_n++;
            } else {
                ck_assert_ptr_nonnull(w);
            }
        }
    }
    ck_assert_uint_gt(accepted_n, 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gk_elf");
    TCase *t = tcase_create("all");

    tcase_add_test(t, static_exec);
    tcase_add_test(t, other_headers);
    tcase_add_test(t, static_pie);
    tcase_add_test(t, ident_and_header);
    tcase_add_test(t, program_header_table);
    tcase_add_test(t, segment_sizes);
    tcase_add_test(t, segment_addresses);
    tcase_add_test(t, segment_order_and_alignment);
    tcase_add_test(t, no_load_and_interp);
    tcase_add_test(t, entry_point);
    tcase_add_test(t, truncated);
    tcase_add_test(t, header_byte_sweep);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
