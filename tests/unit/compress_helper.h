/* SPDX-License-Identifier: MIT */
/*
 * compress_helper.h - test data for the decompressor tests (test_inflate.c,
 * test_unxz.c, test_bzimage.c).
 * Owns:    generating inputs (text, incompressible bytes, x86-like code,
 *          zeros) and compressing them at test time with compress.py
 *          (Python's zlib/lzma), so no compressed blob is committed.
 * Touches: temporary files under $TMPDIR (or /tmp), removed after use.
 *
 * COMPRESS_PY and PYTHON3 come from tests/unit/meson.build.
 */
#ifndef PVISOR_TEST_COMPRESS_HELPER_H
#define PVISOR_TEST_COMPRESS_HELPER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct blob {
    uint8_t *data;
    size_t len;
};

static uint32_t ch_rand_state = 12345;

static inline uint32_t ch_rand(void)
{
    ch_rand_state = ch_rand_state * 1103515245u + 12345u;
    return ch_rand_state >> 8;
}

/* Text-like bytes: words from a small vocabulary (dynamic Huffman food). */
static inline struct blob make_text(size_t len)
{
    static const char *const words[] = {
        "static ", "int ", "return ", "frame ", "domain ", "(", ")", ";\n",
        "kernel ", "->", "if ", "0x", "page ", "{\n", "}\n", "    ",
    };
    struct blob b = { malloc(len + 1), len };

    for (size_t i = 0; i < len;) {
        const char *w = words[ch_rand() % 16];
        for (; *w && i < len; w++)
            b.data[i++] = (uint8_t)*w;
    }
    return b;
}

/* Bytes no compressor shrinks: stored blocks, LZMA2 uncompressed chunks. */
static inline struct blob make_random(size_t len)
{
    struct blob b = { malloc(len + 1), len };

    for (size_t i = 0; i < len; i++)
        b.data[i] = (uint8_t)ch_rand();
    return b;
}

/*
 * x86-like code: many E8/E9 opcodes with rel32 operands whose top byte
 * is 00 or FF, some back to back, for the BCJ filter's every branch.
 */
static inline struct blob make_x86(size_t len)
{
    struct blob b = { malloc(len + 1), len };

    for (size_t i = 0; i < len; i++) {
        uint32_t r = ch_rand();
        b.data[i] = (r % 5 == 0) ? (uint8_t)(0xe8 | (r >> 9 & 1)) :
                    (r % 5 == 1) ? ((r >> 10 & 1) ? 0xff : 0x00) :
                    (uint8_t)(r >> 12);
    }
    return b;
}

static inline struct blob make_zeros(size_t len)
{
    struct blob b = { calloc(1, len + 1), len };
    return b;
}

static inline void write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

/* A heap copy of exactly the file's size, so a read past it is caught. */
static inline struct blob read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct blob b = { NULL, 0 };
    long n;

    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    rewind(f);
    b.len = (size_t)n;
    b.data = malloc(b.len ? b.len : 1);
    if (fread(b.data, 1, b.len, f) != b.len) {
        fprintf(stderr, "short read of %s\n", path);
        exit(2);
    }
    fclose(f);
    return b;
}

/* data compressed by each of compress.py's n recipes, in one Python run. */
static inline void compress_many(const char *const *recipes, size_t n,
                                 struct blob data, struct blob *out)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char in[256], path[256], cmd[8192];
    int len;

    snprintf(in, sizeof(in), "%s/pvisor-ch-%d.in", tmp, (int)getpid());
    write_file(in, data.data, data.len);
    len = snprintf(cmd, sizeof(cmd), "'%s' '%s' '%s'", PYTHON3, COMPRESS_PY,
                   in);
    for (size_t i = 0; i < n; i++)
        len += snprintf(cmd + len, sizeof(cmd) - (size_t)len,
                        " '%s' '%s/pvisor-ch-%d.%zu'", recipes[i], tmp,
                        (int)getpid(), i);
    if ((size_t)len >= sizeof(cmd) || system(cmd) != 0) {
        fprintf(stderr, "%s failed\n", cmd);
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/pvisor-ch-%d.%zu", tmp,
                 (int)getpid(), i);
        out[i] = read_file(path);
        unlink(path);
    }
    unlink(in);
}

static inline struct blob compress_with(const char *recipe, struct blob data)
{
    struct blob out;

    compress_many(&recipe, 1, data, &out);
    return out;
}

/* A copy of the first len bytes, exactly len long on the heap. */
static inline struct blob prefix(struct blob b, size_t len)
{
    struct blob p = { malloc(len ? len : 1), len };

    memcpy(p.data, b.data, len);
    return p;
}

#endif
