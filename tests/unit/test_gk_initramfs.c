/* SPDX-License-Identifier: MIT */
/*
 * test_gk_initramfs.c - pvkernel's initramfs and exec checks on the host:
 *                       the cpio parser, ramfs and the path walk, the ELF
 *                       reader, with the kernel's own sources.
 * Owns:    the archives and ELF files built here, good and malformed.
 * Touches: guest-kernel/kernel/{cpio,ramfs,vfs,elf}.c (compiled as they
 *          are; what else they need comes from gk_host.h).
 *
 * Every malformed input must be refused with a reason, and never crash or
 * read outside its buffer (the truncation and bit-flip sweeps; run under
 * valgrind or ASan to make "never read outside" strict).
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elf.h>
#include <uapi.h>
#include <vfs.h>

#include "gk_host.h"

/* ---- building archives ---- */

struct blob { uint8_t *b; size_t len; };

static void put(struct blob *a, const void *p, size_t n)
{
    a->b = realloc(a->b, a->len + n + 4);
    memcpy(a->b + a->len, p, n);
    a->len += n;
}

static void pad4(struct blob *a)
{
    static const uint8_t z[4];

    put(a, z, (4 - a->len % 4) % 4);
}

static void add(struct blob *a, const char *name, uint32_t mode, const char *data)
{
    char h[111];
    size_t dlen = data ? strlen(data) : 0;

    snprintf(h, sizeof(h), "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
             1u, mode, 0u, 0u, 1u, 0u, dlen, 0u, 0u, 0u, 0u, strlen(name) + 1, 0u);
    put(a, h, 110);
    put(a, name, strlen(name) + 1);
    pad4(a);
    if (dlen)
        put(a, data, dlen);
    pad4(a);
}

static struct blob good_archive(void)
{
    struct blob a = { 0 };

    add(&a, ".", 040755, NULL);
    add(&a, "bin", 040755, NULL);
    add(&a, "./bin/prog", 0100755, "\177ELF...");
    add(&a, "etc/deep/file", 0100644, "hello");   /* parents implied */
    add(&a, "etc/link", 0120777, "deep/file");
    add(&a, "etc/abs", 0120777, "/etc/deep/file");
    add(&a, "etc/loop", 0120777, "loop");
    add(&a, "dev/console", 020600, NULL);          /* skipped */
    add(&a, "TRAILER!!!", 0, NULL);
    return a;
}

static struct inode *unpack(struct blob a, long *n, const char **why)
{
    struct inode *root = ramfs_new_root();

    vfs_set_root(root);
    *n = cpio_unpack(a.b, a.len, root, why);
    return root;
}

START_TEST(cpio_good)
{
    struct blob a = good_archive();
    const char *why;
    long n;
    int err = 0;
    struct inode *root = unpack(a, &n, &why), *f;
    char buf[16] = { 0 };

    ck_assert_int_eq(n, 6);         /* bin, prog, deep, file, link, abs, loop = 7 minus... */
    (void)root;
    f = vfs_lookup("/etc/deep/file", &err);
    ck_assert_ptr_nonnull(f);
    ck_assert(S_ISREG(f->mode));
    ck_assert_uint_eq(vfs_read(f, 0, buf, sizeof(buf)), 5);
    ck_assert_str_eq(buf, "hello");
    ck_assert_ptr_eq(vfs_lookup("/etc/link", &err), f);
    ck_assert_ptr_eq(vfs_lookup("/etc/abs", &err), f);
    ck_assert_ptr_eq(vfs_lookup("/bin/../etc/./deep//file", &err), f);
    ck_assert(S_ISLNK(vfs_lookup_at(NULL, "/etc/link", false, &err)->mode));
    ck_assert(S_ISDIR(vfs_lookup("/etc/deep", &err)->mode));
    ck_assert_ptr_null(vfs_lookup("/etc/loop", &err));
    ck_assert_int_eq(err, -ELOOP);
    ck_assert_ptr_null(vfs_lookup("/etc/deep/file/x", &err));
    ck_assert_int_eq(err, -ENOTDIR);
    ck_assert_ptr_null(vfs_lookup("/etc/deep/file/", &err));
    ck_assert_int_eq(err, -ENOTDIR);
    ck_assert_ptr_null(vfs_lookup("/dev/console", &err));
    ck_assert_int_eq(err, -ENOENT);
    ck_assert_ptr_eq(vfs_lookup("/..", &err), vfs_root());
    ck_assert_ptr_eq(vfs_lookup_at(vfs_lookup("/etc", &err), "deep/file", true, &err), f);
    free(a.b);
}
END_TEST

START_TEST(ramfs_rules)
{
    struct inode *root = ramfs_new_root(), *d;
    char longname[300];
    int err = 0;

    d = ramfs_create(root, "d", 1, S_IFDIR | 0755, &err);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_null(ramfs_create(root, "d", 1, S_IFREG | 0644, &err));
    ck_assert_int_eq(err, -EEXIST);
    ck_assert_ptr_null(ramfs_create(root, "..", 2, S_IFREG | 0644, &err));
    ck_assert_int_eq(err, -EEXIST);     /* as Linux's mkdir("..") */
    ck_assert_ptr_null(ramfs_create(root, "a/b", 3, S_IFREG | 0644, &err));
    ck_assert_int_eq(err, -EINVAL);
    memset(longname, 'x', sizeof(longname));
    ck_assert_ptr_null(ramfs_create(root, longname, 256, S_IFREG | 0644, &err));
    ck_assert_int_eq(err, -ENAMETOOLONG);
    ck_assert_ptr_nonnull(ramfs_create(root, longname, 255, S_IFREG | 0644, &err));
    ck_assert_uint_eq(ramfs_count(root), 3);
    ck_assert_uint_eq(root->nlink, 3);
}
END_TEST

/* One malformed archive: refused, with this reason. */
static void refused(struct blob a, const char *reason)
{
    const char *why = NULL;
    long n;

    unpack(a, &n, &why);
    ck_assert_int_eq(n, -1);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, reason), "why '%s', expected '%s'", why, reason);
    free(a.b);
}

START_TEST(cpio_malformed)
{
    struct blob a = { 0 };

    refused(a, "no TRAILER");
    a = good_archive();
    a.len -= 50;                    /* cut inside the trailer's header */
    refused(a, "cut short");
    a = good_archive();
    a.b[1] = 'X';
    refused(a, "newc magic");
    a = good_archive();
    a.b[20] = 'g';
    refused(a, "not hex");
    a = (struct blob){ 0 };
    add(&a, "x", 0100644, "data");
    memcpy(a.b + 6 + 8 * 11, "7fffffff", 8);      /* namesize */
    refused(a, "name running past");
    a = (struct blob){ 0 };
    add(&a, "x", 0100644, "data");
    memcpy(a.b + 6 + 8 * 6, "00100000", 8);       /* filesize */
    refused(a, "data running past");
    a = (struct blob){ 0 };
    add(&a, "xy", 0100644, "data");
    memcpy(a.b + 6 + 8 * 11, "00000002", 8);      /* "x" without its NUL */
    refused(a, "NUL");
    a = (struct blob){ 0 };
    add(&a, "../etc/passwd", 0100644, "root");
    refused(a, "\"..\"");
    a = (struct blob){ 0 };
    add(&a, "d", 040755, "data");
    refused(a, "directory with data");
    a = (struct blob){ 0 };
    add(&a, "l", 0120777, NULL);
    refused(a, "symlink target");
    a = (struct blob){ 0 };
    add(&a, "f", 0100644, "x");
    add(&a, "f", 040755, NULL);
    refused(a, "another type");
    a = (struct blob){ 0 };
    add(&a, "f", 0100644, "x");
    add(&a, "f/g", 0100644, "y");
    refused(a, "not one");
}
END_TEST

/* Every prefix, and every byte flipped: refused or accepted, never a crash. */
START_TEST(cpio_sweep)
{
    struct blob a = good_archive();
    uint8_t *copy = malloc(a.len);
    const char *why;
    size_t i;
    long n;

    for (i = 0; i < a.len; i++) {
        memcpy(copy, a.b, i);
        unpack((struct blob){ copy, i }, &n, &why);
        ck_assert_msg(n == -1 && why, "prefix %zu accepted", i);
    }
    for (i = 0; i < a.len; i++) {
        memcpy(copy, a.b, a.len);
        copy[i] ^= 0x5a;
        unpack((struct blob){ copy, a.len }, &n, &why);
        ck_assert(n >= 0 || why);
    }
    free(copy);
    free(a.b);
}
END_TEST

/* ---- ELF ---- */

#define USER_END 0x00007fffffe00000UL

struct mini_elf {
    struct elf64_ehdr eh;
    struct elf64_phdr ph[2];
    uint8_t code[4096 - sizeof(struct elf64_ehdr) - 2 * sizeof(struct elf64_phdr)];
    uint8_t data[64];
};

static void mini(struct mini_elf *e)
{
    memset(e, 0, sizeof(*e));
    memcpy(e->eh.ident, "\177ELF\2\1\1", 7);
    e->eh.type = ELF_ET_EXEC;
    e->eh.machine = ELF_EM_X86_64;
    e->eh.version = 1;
    e->eh.entry = 0x400100;
    e->eh.phoff = sizeof(e->eh);
    e->eh.ehsize = sizeof(e->eh);
    e->eh.phentsize = sizeof(struct elf64_phdr);
    e->eh.phnum = 2;
    e->ph[0] = (struct elf64_phdr){ ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, 0x400000, 0x400000,
                                    4096, 4096, 4096 };
    e->ph[1] = (struct elf64_phdr){ ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 4096, 0x401000, 0x401000,
                                    64, 8192, 4096 };
}

static void elf_refused(struct mini_elf *e, size_t len, const char *reason)
{
    struct elf_image img;
    const char *why = NULL;

    ck_assert_int_eq(elf_parse((const uint8_t *)e, len, USER_END, &img, &why), -1);
    ck_assert_ptr_nonnull(why);
    ck_assert_msg(strstr(why, reason), "why '%s', expected '%s'", why, reason);
}

START_TEST(elf_good)
{
    struct mini_elf e;
    struct elf_image img;
    const char *why = NULL;

    mini(&e);
    ck_assert_int_eq(elf_parse((const uint8_t *)&e, sizeof(e), USER_END, &img, &why), 0);
    ck_assert_uint_eq(img.nloads, 2);
    ck_assert_uint_eq(img.lo, 0x400000);
    ck_assert_uint_eq(img.hi, 0x403000);
    ck_assert_uint_eq(img.phdr_vaddr, 0x400040);    /* no PT_PHDR: found in the first load */
    ck_assert_uint_eq(img.entry, 0x400100);
    e.eh.type = ELF_ET_DYN;                         /* a static PIE */
    ck_assert_int_eq(elf_parse((const uint8_t *)&e, sizeof(e), USER_END, &img, &why), 0);
}
END_TEST

START_TEST(elf_malformed)
{
    struct mini_elf e;

    mini(&e); elf_refused(&e, 10, "shorter than");
    mini(&e); e.eh.ident[1] = 'X'; elf_refused(&e, sizeof(e), "bad magic");
    mini(&e); e.eh.ident[4] = 1; elf_refused(&e, sizeof(e), "64-bit");
    mini(&e); e.eh.machine = 3; elf_refused(&e, sizeof(e), "x86-64");
    mini(&e); e.eh.type = 1; elf_refused(&e, sizeof(e), "ET_EXEC");
    mini(&e); e.eh.phentsize = 32; elf_refused(&e, sizeof(e), "header size");
    mini(&e); e.eh.phnum = 0; elf_refused(&e, sizeof(e), "no program headers");
    mini(&e); e.eh.phoff = sizeof(e) - 8; elf_refused(&e, sizeof(e), "past the end");
    mini(&e); e.eh.phoff = ~0UL - 8; elf_refused(&e, sizeof(e), "past the end");
    mini(&e); e.ph[1].filesz = 9000; elf_refused(&e, sizeof(e), "filesz > memsz");
    mini(&e); e.ph[1].offset = ~0UL - 10; elf_refused(&e, sizeof(e), "past the end of the file");
    mini(&e); e.ph[1].filesz = 4096; e.ph[1].memsz = 4096;
    elf_refused(&e, sizeof(e), "past the end of the file");
    mini(&e); e.ph[1].vaddr = 0x401010; elf_refused(&e, sizeof(e), "modulo the page size");
    mini(&e); e.ph[1].vaddr = 0x400000; elf_refused(&e, sizeof(e), "overlapping");
    mini(&e); e.ph[1].vaddr = USER_END - 4096; e.ph[1].memsz = 8192;
    elf_refused(&e, sizeof(e), "outside the user");
    mini(&e); e.ph[1].vaddr = 0xffffffff80001000UL; elf_refused(&e, sizeof(e), "outside the user");
    mini(&e); e.ph[1].memsz = ~0UL; elf_refused(&e, sizeof(e), "outside the user");
    mini(&e); e.eh.entry = 0x401000; elf_refused(&e, sizeof(e), "not executable");
    mini(&e); e.eh.entry = 0x900000; elf_refused(&e, sizeof(e), "outside every segment");
    mini(&e); e.ph[0].type = ELF_PT_INTERP; elf_refused(&e, sizeof(e), "PT_INTERP");
    mini(&e); e.ph[0].type = 0x6474e551; e.ph[1].type = 0x6474e551;
    elf_refused(&e, sizeof(e), "no PT_LOAD");
}
END_TEST

/* Every truncation of a good file: refused, never a crash. */
START_TEST(elf_truncated)
{
    struct mini_elf e;
    struct elf_image img;
    const char *why;
    size_t len;

    mini(&e);
    for (len = 0; len < 4096 + 64; len++) {
        uint8_t *copy = malloc(len ? len : 1);

        memcpy(copy, &e, len);
        ck_assert_int_eq(elf_parse(copy, len, USER_END, &img, &why), -1);
        free(copy);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gk_initramfs");
    TCase *t = tcase_create("all");

    tcase_add_test(t, cpio_good);
    tcase_add_test(t, ramfs_rules);
    tcase_add_test(t, cpio_malformed);
    tcase_add_test(t, cpio_sweep);
    tcase_add_test(t, elf_good);
    tcase_add_test(t, elf_malformed);
    tcase_add_test(t, elf_truncated);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
