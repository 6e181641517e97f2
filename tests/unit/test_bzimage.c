/* SPDX-License-Identifier: MIT */
/*
 * test_bzimage.c - unit tests for hypervisor/common/bzimage.c: finding the
 * kernel in a module as Xen 4.17's bzimage_parse() does, and decompressing
 * it to exactly the size it states.
 * Owns:    the tests. bzImages are assembled here around payloads that
 *          compress.py makes at test time (no blob committed): the setup
 *          header fields the parser reads, the rest zero.
 */
#include "harness.h"
#include "compress_helper.h"
#include "bzimage.h"

static char err[256];
static struct kernel_payload p;

#define SETUP_SECTS 4               /* the setup code: 5 sectors */

/* A bzImage: setup sectors, then `gap` bytes, then the payload. */
static struct blob bzimage(struct blob payload, uint16_t version, size_t gap)
{
    size_t start = (SETUP_SECTS + 1) * 512 + gap;
    struct blob b = { calloc(1, start + payload.len), start + payload.len };

    b.data[0x1f1] = SETUP_SECTS;
    memcpy(b.data + 0x202, "HdrS", 4);
    b.data[0x206] = (uint8_t)version;
    b.data[0x207] = (uint8_t)(version >> 8);
    for (int i = 0; i < 4; i++) {
        b.data[0x248 + i] = (uint8_t)(gap >> (8 * i));
        b.data[0x24c + i] = (uint8_t)(payload.len >> (8 * i));
    }
    memcpy(b.data + start, payload.data, payload.len);
    return b;
}

/* Linux's payload: the compressed stream, then the size, LE32. */
static struct blob linux_payload(const char *recipe, struct blob d)
{
    struct blob z = compress_with(recipe, d);

    if (strncmp(recipe, "xz", 2) == 0) {
        z.data = realloc(z.data, z.len + 4);
        for (int i = 0; i < 4; i++)
            z.data[z.len + i] = (uint8_t)(d.len >> (8 * i));
        z.len += 4;
    }
    return z;
}

static int find(struct blob img)
{
    memset(err, 'X', sizeof(err));
    return kernel_payload_find(img.data, img.len, &p, err, sizeof(err));
}

static struct blob fake_elf(size_t len)
{
    struct blob e = make_x86(len);

    memcpy(e.data, "\x7f" "ELF", 4);
    return e;
}

START_TEST(plain_elf_is_itself)
{
    struct blob e = fake_elf(3000);

    ck_assert_int_eq(find(e), 0);
    ck_assert_ptr_eq(p.data, e.data);
    ck_assert_uint_eq(p.len, e.len);
    ck_assert_int_eq(p.compression, KERNEL_UNCOMPRESSED);
    ck_assert_uint_eq(p.bzimage_version, 0);
    free(e.data);
}
END_TEST

START_TEST(bzimage_with_elf_payload)
{
    struct blob e = fake_elf(3000), img = bzimage(e, 0x20f, 0x40);

    ck_assert_int_eq(find(img), 0);
    ck_assert_ptr_eq(p.data, img.data + 5 * 512 + 0x40);
    ck_assert_uint_eq(p.len, e.len);
    ck_assert_int_eq(p.compression, KERNEL_UNCOMPRESSED);
    ck_assert_uint_eq(p.bzimage_version, 0x20f);
    free(e.data), free(img.data);
}
END_TEST

static void check_decompresses(const char *recipe, bool wrapped)
{
    struct blob e = fake_elf(50000), z = linux_payload(recipe, e);
    struct blob img = wrapped ? bzimage(z, 0x208, 0x2cc) : z;
    uint8_t *out = malloc(e.len);
    size_t n;

    ck_assert_msg(find(img) == 0, "%s", err);
    ck_assert_int_eq(p.compression, recipe[0] == 'g' ? KERNEL_GZIP : KERNEL_XZ);
    ck_assert_uint_eq(p.stated_len, e.len);
    ck_assert_msg(kernel_payload_decompress(&p, out, p.stated_len, &n, err,
                                            sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(n, e.len);
    ck_assert(memcmp(out, e.data, n) == 0);
    if (wrapped)
        free(img.data);
    free(out), free(z.data), free(e.data);
}

START_TEST(compressed_payloads)
{
    check_decompresses("gzip", true);
    check_decompresses("xz-x86", true);
    check_decompresses("gzip", false);      /* bare, as Xen takes them too */
    check_decompresses("xz-crc32", false);
}
END_TEST

START_TEST(old_boot_protocol_refused)
{
    struct blob e = fake_elf(100), img = bzimage(e, 0x207, 0);

    ck_assert_int_eq(find(img), -1);
    ck_assert_str_eq(err, "bzImage boot protocol 2.07: at least 2.08 is "
                     "required");
    free(e.data), free(img.data);
}
END_TEST

START_TEST(payload_outside_image_refused)
{
    struct blob e = fake_elf(100), img = bzimage(e, 0x20f, 0);
    struct blob cut = prefix(img, img.len - 1);

    ck_assert_int_eq(find(cut), -1);
    ck_assert_str_eq(err, "bzImage payload [0xa00, 0xa64) lies outside the "
                     "2659-byte image");
    img.data[0x24b] = 0xff;                  /* payload_offset near 4 GiB */
    ck_assert_int_eq(find(img), -1);
    ck_assert_ptr_ne(strstr(err, "lies outside"), NULL);
    free(cut.data), free(e.data), free(img.data);
}
END_TEST

/* Too short for the whole setup header: not a bzImage, as in Xen. */
START_TEST(short_header_is_no_bzimage)
{
    struct blob e = fake_elf(100), img = bzimage(e, 0x20f, 0);
    struct blob cut = prefix(img, 0x24f);

    ck_assert_int_eq(find(cut), 0);
    ck_assert_uint_eq(p.bzimage_version, 0);
    ck_assert_ptr_eq(p.data, cut.data);
    free(cut.data), free(e.data), free(img.data);
}
END_TEST

START_TEST(other_compressions_refused)
{
    static const char *const magic[] = {
        "BZh91AY&SY", "\x5d\x00\x00\x80\x00", "\x89LZO\x00\x0d",
        "\x02\x21\x4c\x18\x00", "\x28\xb5\x2f\xfd\x04",
    };
    static const char *const name[] = { "bzip2", "lzma", "lzo", "lz4", "zstd" };

    for (size_t i = 0; i < ARRAY_SIZE(magic); i++) {
        struct blob z = make_zeros(64), img;

        memcpy(z.data, magic[i], 6);
        img = bzimage(z, 0x20f, 0);
        ck_assert_int_eq(find(img), -1);
        ck_assert_msg(strncmp(err, name[i], strlen(name[i])) == 0 &&
                      strstr(err, "-compressed kernel: not supported here"),
                      "%s: %s", name[i], err);
        free(z.data), free(img.data);
    }
}
END_TEST

/* Neither ELF nor compressed: handed on for elf_parse() to refuse. */
START_TEST(unknown_payload_handed_on)
{
    struct blob junk = make_text(300), img = bzimage(junk, 0x20f, 0);

    ck_assert_int_eq(find(img), 0);
    ck_assert_int_eq(p.compression, KERNEL_UNCOMPRESSED);
    ck_assert_ptr_eq(p.data, img.data + 5 * 512);
    ck_assert_int_eq(find(junk), 0);
    ck_assert_ptr_eq(p.data, junk.data);
    free(junk.data), free(img.data);
}
END_TEST

/* The size word is a claim: the data must meet it exactly. */
START_TEST(stated_size_must_match)
{
    struct blob e = fake_elf(5000), z = linux_payload("xz-x86", e);
    uint8_t *out = malloc(e.len + 10);
    size_t n;

    z.data[z.len - 4] = (uint8_t)(e.len - 1);        /* claims one less */
    ck_assert_int_eq(find(z), 0);
    ck_assert_int_eq(kernel_payload_decompress(&p, out, e.len + 10, &n, err,
                                               sizeof(err)), -1);
    ck_assert_str_eq(err, "xz payload decompressed to 5000 bytes, but states "
                     "4999");
    ck_assert_int_eq(kernel_payload_decompress(&p, out, p.stated_len, &n, err,
                                               sizeof(err)), -1);
    ck_assert_str_eq(err, "decompressed data exceeds the 4999-byte limit");
    free(out), free(z.data), free(e.data);
}
END_TEST

START_TEST(tiny_compressed_payload_refused)
{
    struct blob z = { (uint8_t *)"\x1f\x8b\x08\x00\x00", 5 };

    ck_assert_int_eq(find(z), -1);
    ck_assert_str_eq(err, "gzip payload of 5 bytes is truncated");
}
END_TEST

static Suite *bzimage_suite(void)
{
    Suite *s = suite_create("bzimage");
    TCase *tc = tcase_create("payload");

    tcase_add_test(tc, plain_elf_is_itself);
    tcase_add_test(tc, bzimage_with_elf_payload);
    tcase_add_test(tc, compressed_payloads);
    tcase_add_test(tc, old_boot_protocol_refused);
    tcase_add_test(tc, payload_outside_image_refused);
    tcase_add_test(tc, short_header_is_no_bzimage);
    tcase_add_test(tc, other_compressions_refused);
    tcase_add_test(tc, unknown_payload_handed_on);
    tcase_add_test(tc, stated_size_must_match);
    tcase_add_test(tc, tiny_compressed_payload_refused);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(bzimage_suite());
}
