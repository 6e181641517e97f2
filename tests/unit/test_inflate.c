/* SPDX-License-Identifier: MIT */
/*
 * test_inflate.c - unit tests for hypervisor/common/inflate.c (gzip,
 * deflate) and the CRC-32 of common/crc.c.
 * Owns:    the tests. Streams are made at test time by Python's zlib
 *          (compress.py): round trips over every block type and header
 *          field; then every truncation and every one-byte corruption of
 *          a small stream, on exact-size heap copies, must be refused or
 *          decode to the original (never crash: valgrind and ASan see any
 *          stray read); hand-made streams for each refusal with its reason;
 *          a bomb bounded by the output buffer.
 */
#include "harness.h"
#include "compress_helper.h"
#include "crc.h"
#include "inflate.h"

static char err[256];

static int run(struct blob z, uint8_t *out, size_t out_max, size_t *out_len)
{
    memset(err, 'X', sizeof(err));
    return gunzip(z.data, z.len, out, out_max, out_len, err, sizeof(err));
}

/* z must decompress to exactly d, with room to spare. */
static void check_round_trip(struct blob d, struct blob z, const char *what)
{
    uint8_t *out = malloc(d.len + 100);
    size_t n = 0;

    ck_assert_msg(run(z, out, d.len + 100, &n) == 0, "%s: %s", what, err);
    ck_assert_msg(n == d.len, "%s: %zu bytes, want %zu", what, n, d.len);
    ck_assert_msg(memcmp(out, d.data, d.len) == 0, "%s: data differ", what);
    free(out);
}

static const char *const recipes[] = {
    "gzip", "gzip-stored", "gzip-fixed", "gzip-dynamic", "gzip-huffman-only",
    "gzip-fields", "gzip-old-magic",
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
    const size_t sizes[] = { 0, 1, 5000 };
    struct blob z[ARRAY_SIZE(recipes)];

    for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
        struct blob data[] = { make_text(sizes[s]), make_random(sizes[s]) };

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

/* Long matches, 32 KiB distances, many blocks of each kind. */
START_TEST(big_round_trips)
{
    struct blob text = make_text(400000), x86 = make_x86(300000);

    round_trip_recipe("gzip-dynamic", text, "text");
    round_trip_recipe("gzip-fixed", text, "text");
    round_trip_recipe("gzip", x86, "x86");
    free(text.data), free(x86.data);
}
END_TEST

/* BTYPE of the first block, right after a 10-byte header. */
static unsigned int first_block_type(struct blob z)
{
    return (z.data[10] >> 1) & 3;
}

/* Each recipe gives the block type it is named after. */
START_TEST(block_types)
{
    struct blob text = make_text(5000);
    struct blob stored = compress_with("gzip-stored", text);
    struct blob fixed = compress_with("gzip-fixed", text);
    struct blob dyn = compress_with("gzip-dynamic", text);

    ck_assert_uint_eq(first_block_type(stored), 0);
    ck_assert_uint_eq(first_block_type(fixed), 1);
    ck_assert_uint_eq(first_block_type(dyn), 2);
    check_round_trip(text, stored, "stored");
    check_round_trip(text, fixed, "fixed");
    check_round_trip(text, dyn, "dynamic");
    free(stored.data), free(fixed.data), free(dyn.data), free(text.data);
}
END_TEST

/* Several stored blocks (65535 bytes at most each) and a long one. */
START_TEST(many_stored_blocks)
{
    struct blob d = make_random(200000);
    struct blob z = compress_with("gzip-stored", d);

    check_round_trip(d, z, "stored x4");
    free(z.data), free(d.data);
}
END_TEST

START_TEST(every_truncation_refused)
{
    struct blob d = make_text(3000);
    struct blob z = compress_with("gzip-fields", d);
    uint8_t out[4000];
    size_t n;

    for (size_t len = 0; len < z.len; len++) {
        struct blob p = prefix(z, len);

        ck_assert_msg(run(p, out, sizeof(out), &n) == -1,
                      "prefix of %zu/%zu bytes accepted", len, z.len);
        ck_assert_msg(strstr(err, "truncated") != NULL,
                      "prefix %zu: \"%s\" does not say truncated", len, err);
        free(p.data);
    }
    free(z.data), free(d.data);
}
END_TEST

/* A flipped byte: refused, or (in MTIME, XFL, OS) harmless. */
START_TEST(every_corruption_safe)
{
    struct blob d = make_text(3000);
    struct blob z = compress_with("gzip", d);
    uint8_t out[4000];
    size_t n;
    unsigned int refused = 0;

    for (size_t i = 0; i < z.len; i++) {
        for (unsigned int flip = 1; flip < 256; flip <<= 3) {
            struct blob c = prefix(z, z.len);

            c.data[i] ^= (uint8_t)flip;
            if (run(c, out, sizeof(out), &n) == 0) {
                ck_assert_msg(n == d.len && memcmp(out, d.data, n) == 0,
                              "byte %zu ^ %#x: accepted with other data", i,
                              flip);
                /* FTEXT, MTIME, XFL, OS; or unused bits of the last byte */
                ck_assert_msg((i == 3 && flip == 1) || (i >= 4 && i < 10) ||
                              i == z.len - 9,
                              "byte %zu ^ %#x accepted", i, flip);
            } else {
                refused++;
                ck_assert_msg(err[0] != 'X' && strlen(err) > 0, "no reason");
            }
            free(c.data);
        }
    }
    ck_assert_uint_gt(refused, 0);
    free(z.data), free(d.data);
}
END_TEST

/* 4 MiB of zeros in ~4 KiB: refused at the output buffer's end. */
START_TEST(bomb_bounded_by_output)
{
    struct blob d = make_zeros(4 << 20);
    struct blob z = compress_with("gzip", d);
    uint8_t *out = malloc(65536);
    size_t n;

    ck_assert_uint_lt(z.len, 8192);
    ck_assert_int_eq(run(z, out, 65536, &n), -1);
    ck_assert_str_eq(err, "decompressed data exceeds the 65536-byte limit");
    free(out), free(z.data), free(d.data);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Hand-made streams                                                   */

struct bits {
    uint8_t buf[256];
    size_t len;
    unsigned int nbits;
};

static void put_bits(struct bits *w, unsigned int v, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++, w->nbits++) {
        if (w->nbits % 8 == 0)
            w->buf[w->len++] = 0;
        w->buf[w->len - 1] |= (uint8_t)(((v >> i) & 1) << (w->nbits % 8));
    }
}

/* A Huffman code goes MSB first. */
static void put_code(struct bits *w, unsigned int code, unsigned int n)
{
    while (n--)
        put_bits(w, (code >> n) & 1, 1);
}

/* A gzip member around raw deflate bits, trailer for `data`. */
static struct blob wrap(const struct bits *w, const uint8_t *data, size_t len)
{
    static const uint8_t head[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    struct blob z = { malloc(10 + w->len + 8), 10 + w->len + 8 };
    uint32_t crc = crc32(0, data, len), size = (uint32_t)len;

    memcpy(z.data, head, 10);
    memcpy(z.data + 10, w->buf, w->len);
    for (int i = 0; i < 4; i++) {
        z.data[10 + w->len + i] = (uint8_t)(crc >> (8 * i));
        z.data[14 + w->len + i] = (uint8_t)(size >> (8 * i));
    }
    return z;
}

static void expect_refusal(struct blob z, const char *reason)
{
    uint8_t out[1024];
    size_t n;

    ck_assert_msg(run(z, out, sizeof(out), &n) == -1, "accepted: %s", reason);
    ck_assert_msg(strstr(err, reason) != NULL, "\"%s\" lacks \"%s\"", err,
                  reason);
    free(z.data);
}

START_TEST(block_type_3)
{
    struct bits w = { 0 };

    put_bits(&w, 1, 1);
    put_bits(&w, 3, 2);
    expect_refusal(wrap(&w, NULL, 0), "invalid block type 3");
}
END_TEST

START_TEST(stored_length_mismatch)
{
    struct bits w = { 0 };

    put_bits(&w, 1, 1);
    put_bits(&w, 0, 2);
    put_bits(&w, 0, 5);                       /* to the byte boundary */
    put_bits(&w, 5, 16);
    put_bits(&w, 0, 16);
    expect_refusal(wrap(&w, NULL, 0), "does not match its complement");
}
END_TEST

/* Fixed codes: length 3 (symbol 257, 0000001) at distance 1, at once. */
START_TEST(distance_before_start)
{
    struct bits w = { 0 };

    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);
    put_code(&w, 1, 7);                       /* symbol 257: length 3 */
    put_code(&w, 0, 5);                       /* distance code 0: 1   */
    put_code(&w, 0, 7);                       /* end of block         */
    expect_refusal(wrap(&w, NULL, 0), "reaches before the start");
}
END_TEST

/* Fixed codes: literal 'a', then the length symbol 286 (11000110). */
START_TEST(length_symbol_286)
{
    struct bits w = { 0 };

    put_bits(&w, 1, 1);
    put_bits(&w, 1, 2);
    put_code(&w, 0x30 + 'a', 8);
    put_code(&w, 0xc6, 8);
    expect_refusal(wrap(&w, NULL, 0), "invalid length symbol 286");
}
END_TEST

/* Dynamic block whose code-length code gives 19 codes of 1 bit. */
START_TEST(oversubscribed_code)
{
    struct bits w = { 0 };

    put_bits(&w, 1, 1);
    put_bits(&w, 2, 2);
    put_bits(&w, 0, 5);                       /* 257 lengths  */
    put_bits(&w, 0, 5);                       /* 1 distance   */
    put_bits(&w, 15, 4);                      /* 19 of them   */
    for (int i = 0; i < 19; i++)
        put_bits(&w, 1, 3);
    expect_refusal(wrap(&w, NULL, 0), "over-subscribed code-length code");
}
END_TEST

/* Dynamic block whose first code length is "repeat the previous". */
START_TEST(repeat_without_previous)
{
    struct bits w = { 0 };

    put_bits(&w, 1, 1);
    put_bits(&w, 2, 2);
    put_bits(&w, 0, 5);
    put_bits(&w, 0, 5);
    put_bits(&w, 0, 4);                       /* 4: lengths of 16,17,18,0 */
    put_bits(&w, 1, 3);                       /* 16: 1 bit */
    put_bits(&w, 0, 3);
    put_bits(&w, 0, 3);
    put_bits(&w, 1, 3);                       /* 0: 1 bit  */
    put_code(&w, 1, 1);                       /* symbol 16 (code 1) */
    put_bits(&w, 0, 2);
    expect_refusal(wrap(&w, NULL, 0), "repeat of a code length with no "
                   "previous length");
}
END_TEST

static struct blob good_member(struct blob *d)
{
    *d = make_text(100);
    return compress_with("gzip", *d);
}

START_TEST(trailer_crc_and_size)
{
    struct blob d, z = good_member(&d);

    z.data[z.len - 8] ^= 1;
    expect_refusal(z, "gzip CRC-32 mismatch");
    z = good_member(&d);
    z.data[z.len - 4] ^= 1;
    expect_refusal(z, "gzip size mismatch: stored 101, decompressed 100");
    free(d.data);
}
END_TEST

START_TEST(header_refusals)
{
    struct blob d, z = good_member(&d);

    z.data[2] = 7;
    expect_refusal(z, "compression method 7 is not deflate");
    z = good_member(&d);
    z.data[3] = 0x20;
    expect_refusal(z, "reserved flags 0x20");
    z = good_member(&d);
    z.data[1] = 0x8c;
    expect_refusal(z, "not gzip data (magic 1f 8c)");
    free(d.data);
    d = make_text(100);
    z = compress_with("gzip-fields", d);
    z.data[10 + 2 + 6 + 8 + 10] ^= 1;         /* extra, name, comment */
    expect_refusal(z, "gzip header CRC-16 mismatch");
    free(d.data);
}
END_TEST

START_TEST(crc32_known_values)
{
    /* The check value of CRC-32/ISO-HDLC for "123456789". */
    ck_assert_uint_eq(crc32(0, "123456789", 9), 0xcbf43926);
    ck_assert_uint_eq(crc32(crc32(0, "1234", 4), "56789", 5), 0xcbf43926);
    ck_assert_uint_eq(crc32(0, "", 0), 0);
}
END_TEST

static Suite *inflate_suite(void)
{
    Suite *s = suite_create("inflate");
    TCase *ok = tcase_create("round trips"), *bad = tcase_create("refusals");

    tcase_add_test(ok, round_trips);
    tcase_add_test(ok, big_round_trips);
    tcase_add_test(ok, block_types);
    tcase_add_test(ok, many_stored_blocks);
    tcase_add_test(ok, crc32_known_values);
    tcase_add_test(bad, every_truncation_refused);
    tcase_add_test(bad, every_corruption_safe);
    tcase_add_test(bad, bomb_bounded_by_output);
    tcase_add_test(bad, block_type_3);
    tcase_add_test(bad, stored_length_mismatch);
    tcase_add_test(bad, distance_before_start);
    tcase_add_test(bad, length_symbol_286);
    tcase_add_test(bad, oversubscribed_code);
    tcase_add_test(bad, repeat_without_previous);
    tcase_add_test(bad, trailer_crc_and_size);
    tcase_add_test(bad, header_refusals);
    tcase_set_timeout(ok, 120);
    tcase_set_timeout(bad, 120);
    suite_add_tcase(s, ok);
    suite_add_tcase(s, bad);
    return s;
}

int main(void)
{
    return harness_main(inflate_suite());
}
