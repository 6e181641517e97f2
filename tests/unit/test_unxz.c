/* SPDX-License-Identifier: MIT */
/*
 * test_unxz.c - unit tests for hypervisor/common/unxz.c (.xz, LZMA2, x86
 * BCJ) and the CRC-64 of common/crc.c.
 * Owns:    the tests. Streams are made at test time by Python's lzma
 *          (liblzma) through compress.py: round trips over the check
 *          types, the x86 BCJ filter (with a start offset), odd lc/lp/pb,
 *          LZMA2 uncompressed chunks, several blocks, block headers with
 *          sizes, a dictionary reset inside a block; then every truncation
 *          and every one-byte corruption of a small stream on exact-size
 *          heap copies; a bomb bounded by the output buffer; and each
 *          refusal of an unsupported filter or check with its reason.
 */
#include "harness.h"
#include "compress_helper.h"
#include "crc.h"
#include "unxz.h"

static char err[256];
static size_t used;

static int run(struct blob z, uint8_t *out, size_t out_max, size_t *out_len)
{
    memset(err, 'X', sizeof(err));
    return unxz(z.data, z.len, out, out_max, out_len, &used, err, sizeof(err));
}

static void check_round_trip(struct blob d, struct blob z, const char *what)
{
    uint8_t *out = malloc(d.len + 100);
    size_t n = 0;

    ck_assert_msg(run(z, out, d.len + 100, &n) == 0, "%s: %s", what, err);
    ck_assert_msg(n == d.len, "%s: %zu bytes, want %zu", what, n, d.len);
    ck_assert_msg(memcmp(out, d.data, d.len) == 0, "%s: data differ", what);
    ck_assert_msg(used == z.len, "%s: used %zu of %zu", what, used, z.len);
    free(out);
}

static const char *const recipes[] = {
    "xz-crc32", "xz-crc64", "xz-none", "xz-sha256", "xz-x86", "xz-x86-offset",
    "xz-lc0-lp4-pb0", "xz-blocks", "xz-blocks-sizes", "xz-dict-reset",
};

static void round_trip_recipe(const char *recipe, struct blob d,
                              const char *kind)
{
    struct blob z = compress_with(recipe, d);
    char what[96];

    snprintf(what, sizeof(what), "%s of %zu %s bytes", recipe, d.len, kind);
    check_round_trip(d, z, what);
    free(z.data);
}

/* Every recipe on small inputs of each kind. */
START_TEST(round_trips)
{
    const size_t sizes[] = { 1, 5000 };
    struct blob z[ARRAY_SIZE(recipes)];

    for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
        struct blob data[] = { make_text(sizes[s]), make_random(sizes[s]),
                               make_x86(sizes[s]) };

        for (size_t k = 0; k < ARRAY_SIZE(data); k++) {
            compress_many(recipes, ARRAY_SIZE(recipes), data[k], z);
            for (size_t r = 0; r < ARRAY_SIZE(recipes); r++) {
                char what[96];

                snprintf(what, sizeof(what), "%s of %zu bytes (kind %zu)",
                         recipes[r], sizes[s], k);
                check_round_trip(data[k], z[r], what);
                free(z[r].data);
            }
            free(data[k].data);
        }
    }
}
END_TEST

/* An empty input, every recipe but the two-halved dictionary reset. */
START_TEST(empty_round_trips)
{
    struct blob empty = make_text(0), z[ARRAY_SIZE(recipes) - 1];

    compress_many(recipes, ARRAY_SIZE(recipes) - 1, empty, z);
    for (size_t r = 0; r + 1 < ARRAY_SIZE(recipes); r++) {
        check_round_trip(empty, z[r], recipes[r]);
        free(z[r].data);
    }
    free(empty.data);
}
END_TEST

/*
 * Sizes that take several LZMA2 chunks: compressed ones without and with
 * state resets (x86-like data compresses to more than 64 KiB), and 64 KiB
 * uncompressed ones (random data); several blocks of them.
 */
START_TEST(big_round_trips)
{
    struct blob text = make_text(400000), x86 = make_x86(400000);
    struct blob rnd = make_random(200000);

    round_trip_recipe("xz-x86", x86, "x86");
    round_trip_recipe("xz-crc64", text, "text");
    round_trip_recipe("xz-crc32", rnd, "random");
    round_trip_recipe("xz-blocks", x86, "x86");
    round_trip_recipe("xz-dict-reset", text, "text");
    free(text.data), free(x86.data), free(rnd.data);
}
END_TEST

/* Offset of the first LZMA2 control byte: after the first block header. */
static size_t first_control(struct blob z)
{
    return 12 + (z.data[12] + 1u) * 4;
}

/* Incompressible data travels in uncompressed chunks (control 1). */
START_TEST(uncompressed_chunks)
{
    struct blob d = make_random(100000);
    struct blob z = compress_with("xz-crc32", d);

    ck_assert_uint_eq(z.data[first_control(z)], 0x01);
    check_round_trip(d, z, "uncompressed chunks");
    free(z.data), free(d.data);
}
END_TEST

/* Text starts with an LZMA chunk that resets everything (>= 0xe0). */
START_TEST(compressed_chunks)
{
    struct blob d = make_text(100000);
    struct blob z = compress_with("xz-crc32", d);

    ck_assert_uint_ge(z.data[first_control(z)], 0xe0);
    free(z.data), free(d.data);
}
END_TEST

/* The stream header names the check each recipe asks for. */
START_TEST(check_types)
{
    struct blob d = make_text(1000);
    const struct { const char *recipe; uint8_t type; } t[] = {
        { "xz-none", 0 }, { "xz-crc32", 1 }, { "xz-crc64", 4 },
        { "xz-sha256", 10 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
        struct blob z = compress_with(t[i].recipe, d);

        ck_assert_uint_eq(z.data[7], t[i].type);
        check_round_trip(d, z, t[i].recipe);
        free(z.data);
    }
    free(d.data);
}
END_TEST

/* Linux appends the size after the stream: not read, not counted. */
START_TEST(bytes_after_stream_ignored)
{
    struct blob d = make_x86(5000);
    struct blob z = compress_with("xz-x86", d);
    struct blob zz = prefix(z, z.len);
    uint8_t *out = malloc(d.len);
    size_t n;

    zz.data = realloc(zz.data, z.len + 4);
    memcpy(zz.data + z.len, "\x88\x13\x00\x00", 4);
    zz.len = z.len + 4;
    ck_assert_msg(run(zz, out, d.len, &n) == 0, "%s", err);
    ck_assert_uint_eq(n, d.len);
    ck_assert_uint_eq(used, z.len);
    free(out), free(zz.data), free(z.data), free(d.data);
}
END_TEST

START_TEST(every_truncation_refused)
{
    struct blob d = make_x86(4000);
    struct blob z = compress_with("xz-x86", d);
    uint8_t out[4100];
    size_t n;

    for (size_t len = 0; len < z.len; len++) {
        struct blob p = prefix(z, len);

        ck_assert_msg(run(p, out, sizeof(out), &n) == -1,
                      "prefix of %zu/%zu bytes accepted", len, z.len);
        ck_assert_msg(strlen(err) > 0 && err[0] != 'X', "no reason");
        free(p.data);
    }
    free(z.data), free(d.data);
}
END_TEST

/*
 * A flipped byte anywhere: refused when every part has a CRC (checked);
 * without a check, LZMA2 data may decode to other bytes, but safely.
 */
static void corrupt_each_byte(const char *recipe, bool checked)
{
    struct blob d = make_text(4000);
    struct blob z = compress_with(recipe, d);
    uint8_t out[4100];
    size_t n;

    for (size_t i = 0; i < z.len; i++) {
        for (unsigned int flip = 1; flip < 256; flip <<= 3) {
            struct blob c = prefix(z, z.len);

            c.data[i] ^= (uint8_t)flip;
            if (run(c, out, sizeof(out), &n) == 0)
                ck_assert_msg(!checked || (n == d.len &&
                                           memcmp(out, d.data, n) == 0),
                              "%s: byte %zu ^ %#x accepted with other data",
                              recipe, i, flip);
            else
                ck_assert_msg(strlen(err) > 0 && err[0] != 'X', "no reason");
            free(c.data);
        }
    }
    free(z.data), free(d.data);
}

START_TEST(every_corruption_safe)
{
    corrupt_each_byte("xz-crc32", true);
    corrupt_each_byte("xz-none", false);
    corrupt_each_byte("xz-blocks", true);
}
END_TEST

START_TEST(bomb_bounded_by_output)
{
    struct blob d = make_zeros(8 << 20);
    struct blob z = compress_with("xz-crc32", d);
    uint8_t *out = malloc(65536);
    size_t n;

    ck_assert_uint_lt(z.len, 4096);
    ck_assert_int_eq(run(z, out, 65536, &n), -1);
    ck_assert_str_eq(err, "decompressed data exceeds the 65536-byte limit");
    free(out), free(z.data), free(d.data);
}
END_TEST

static void put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void expect_refusal(struct blob z, const char *reason)
{
    uint8_t out[8192];
    size_t n;

    ck_assert_msg(run(z, out, sizeof(out), &n) == -1, "accepted: %s", reason);
    ck_assert_msg(strstr(err, reason) != NULL, "\"%s\" lacks \"%s\"", err,
                  reason);
}

/* Check type 2 (reserved), with the header's CRC32 made right. */
START_TEST(unsupported_check)
{
    struct blob d = make_text(100);
    struct blob z = compress_with("xz-crc32", d);

    z.data[7] = 2;
    put_le32(z.data + 8, crc32(0, z.data + 6, 2));
    expect_refusal(z, "check type 2 is not supported");
    free(z.data), free(d.data);
}
END_TEST

/* A filter chain other than [x86,] LZMA2: here ARM BCJ (id 7). */
START_TEST(unsupported_filter)
{
    struct blob d = make_text(100);
    struct blob z = compress_with("xz-x86", d);
    size_t hdr = 12, size = (z.data[hdr] + 1u) * 4;

    ck_assert_uint_eq(z.data[hdr + 2], 0x04);  /* the x86 filter's ID */
    z.data[hdr + 2] = 0x07;
    put_le32(z.data + hdr + size - 4, crc32(0, z.data + hdr, size - 4));
    expect_refusal(z, "xz filter 0x7 (0 bytes of properties) is not supported");
    free(z.data), free(d.data);
}
END_TEST

START_TEST(bad_magic_and_crcs)
{
    struct blob d = make_text(100);
    struct blob z = compress_with("xz-crc64", d);
    size_t index_size;

    z.data[1] = '8';
    expect_refusal(z, "not xz data");
    z.data[1] = '7';
    z.data[8] ^= 1;
    expect_refusal(z, "stream header CRC32 mismatch");
    z.data[8] ^= 1;
    z.data[12 + 5] ^= 1;                     /* inside the block header */
    expect_refusal(z, "block header CRC32 mismatch");
    z.data[12 + 5] ^= 1;
    /* The block's CRC64 ends where the index starts (footer: its size). */
    index_size = (z.data[z.len - 8] + 1u) * 4;
    z.data[z.len - 12 - index_size - 1] ^= 1;
    expect_refusal(z, "xz block 0: CRC64 mismatch");
    z.data[z.len - 12 - index_size - 1] ^= 1;
    z.data[z.len - 12 - index_size + 2] ^= 1; /* a record of the index */
    expect_refusal(z, "xz index");
    free(z.data), free(d.data);
}
END_TEST

START_TEST(crc64_known_value)
{
    /* The check value of CRC-64/XZ for "123456789". */
    ck_assert_uint_eq(crc64(0, "123456789", 9), 0x995dc9bbdf1939faULL);
    ck_assert_uint_eq(crc64(crc64(0, "12", 2), "3456789", 7),
                      0x995dc9bbdf1939faULL);
}
END_TEST

static Suite *unxz_suite(void)
{
    Suite *s = suite_create("unxz");
    TCase *ok = tcase_create("round trips"), *bad = tcase_create("refusals");

    tcase_add_test(ok, round_trips);
    tcase_add_test(ok, big_round_trips);
    tcase_add_test(ok, empty_round_trips);
    tcase_add_test(ok, uncompressed_chunks);
    tcase_add_test(ok, compressed_chunks);
    tcase_add_test(ok, check_types);
    tcase_add_test(ok, bytes_after_stream_ignored);
    tcase_add_test(ok, crc64_known_value);
    tcase_add_test(bad, every_truncation_refused);
    tcase_add_test(bad, every_corruption_safe);
    tcase_add_test(bad, bomb_bounded_by_output);
    tcase_add_test(bad, unsupported_check);
    tcase_add_test(bad, unsupported_filter);
    tcase_add_test(bad, bad_magic_and_crcs);
    tcase_set_timeout(ok, 240);
    tcase_set_timeout(bad, 240);
    suite_add_tcase(s, ok);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    return harness_main(unxz_suite());
}
