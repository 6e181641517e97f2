/* SPDX-License-Identifier: MIT */
/*
 * bzimage.c - the kernel inside a boot module, as Xen 4.17's
 *             arch/x86/bzimage.c finds it: an ELF, a Linux bzImage whose
 *             payload is a compressed ELF, or a bare compressed ELF.
 * Owns:    reading the x86 boot protocol's setup header
 *          (Documentation/x86/boot.rst), naming the payload's compression
 *          by its magic, and calling the decompressor.
 * Touches: the caller's output buffer, through inflate.c and unxz.c.
 * Trusts:  nothing in the image: the setup header's offsets are checked
 *          against the image (Xen trusts them), the size Linux appends to
 *          the payload is only a claim, which the caller bounds and the
 *          decompressed data must meet exactly.
 *
 * As Xen: the setup header counts only if the image holds all of it (up
 * to payload_length) and says "HdrS"; a version below 2.08 (no
 * payload_offset) is refused; the payload (or a non-bzImage image) is
 * tried as ELF, then by magic as gzip (1f 8b, or 1f 9e), bzip2, xz, lzma,
 * lzo, lz4 and zstd, in Xen's order; a payload with none of these is
 * handed on as it is, so elf_parse() refuses it with its reason (Xen:
 * "not an ELF binary"). Linux appends the decompressed size, 32-bit
 * little-endian, to every compressed payload (for gzip it is the
 * trailer's ISIZE); Xen sizes its buffer by it.
 * Differences: only gzip and xz are decompressed here, the other five
 * are refused as unsupported; and a payload that decompresses to another
 * size than it states is refused (Xen takes the stated size).
 */
#include "bzimage.h"
#include "inflate.h"
#include "lib.h"
#include "unxz.h"

/* Boot protocol setup header fields (offsets from the image start). */
#define BZ_SETUP_SECTS     0x1f1
#define BZ_HEADER          0x202      /* "HdrS" */
#define BZ_VERSION         0x206
#define BZ_PAYLOAD_OFFSET  0x248      /* from 2.08, as payload_length */
#define BZ_PAYLOAD_LENGTH  0x24c
#define BZ_HEADER_END      0x250      /* Xen's sizeof(struct setup_header) */
#define BZ_SECTOR          512
#define BZ_VERSION_MIN     0x0208
#define SIZE_WORD          4          /* the size Linux appends */

static const struct {
    enum kernel_compression c;
    const char *name;
    uint8_t len;
    uint8_t magic[6];
} magics[] = {                        /* Xen's order (common/decompress.c) */
    { KERNEL_GZIP,  "gzip",  2, { 0x1f, 0x8b } },
    { KERNEL_GZIP,  "gzip",  2, { 0x1f, 0x9e } },
    { KERNEL_BZIP2, "bzip2", 3, { 'B', 'Z', 'h' } },
    { KERNEL_XZ,    "xz",    6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
    { KERNEL_LZMA,  "lzma",  2, { 0x5d, 0x00 } },
    { KERNEL_LZO,   "lzo",   5, { 0x89, 'L', 'Z', 'O', 0x00 } },
    { KERNEL_LZ4,   "lz4",   2, { 0x02, 0x21 } },
    { KERNEL_ZSTD,  "zstd",  4, { 0x28, 0xb5, 0x2f, 0xfd } },
};

#define fail fail_reason

static uint32_t le(const uint8_t *p, unsigned int n)
{
    uint32_t v = 0;

    while (n--)
        v = (v << 8) | p[n];
    return v;
}

const char *kernel_compression_name(enum kernel_compression c)
{
    for (size_t i = 0; i < ARRAY_SIZE(magics); i++)
        if (magics[i].c == c)
            return magics[i].name;
    return "uncompressed";
}

static bool is_elf(const uint8_t *p, size_t len)
{
    return len >= 4 && memcmp(p, "\x7f" "ELF", 4) == 0;
}

static enum kernel_compression compression_of(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < ARRAY_SIZE(magics); i++)
        if (len >= magics[i].len && memcmp(p, magics[i].magic, magics[i].len) == 0)
            return magics[i].c;
    return KERNEL_UNCOMPRESSED;
}

/* A bzImage's payload; 0 with p untouched if image is not a bzImage. */
static int find_bzimage_payload(const uint8_t *image, size_t len,
                                struct kernel_payload *p, char *err,
                                size_t errlen)
{
    uint64_t start, plen;

    if (len < BZ_HEADER_END || memcmp(image + BZ_HEADER, "HdrS", 4) != 0)
        return 0;
    p->bzimage_version = (uint16_t)le(image + BZ_VERSION, 2);
    if (p->bzimage_version < BZ_VERSION_MIN)
        return fail(err, errlen, "bzImage boot protocol %u.%02u: at least "
                    "2.08 is required", p->bzimage_version >> 8,
                    p->bzimage_version & 0xff);
    start = (image[BZ_SETUP_SECTS] + 1u) * BZ_SECTOR +
            (uint64_t)le(image + BZ_PAYLOAD_OFFSET, 4);
    plen = le(image + BZ_PAYLOAD_LENGTH, 4);
    if (start > len || plen > len - start)
        return fail(err, errlen, "bzImage payload [%#lx, %#lx) lies outside "
                    "the %zu-byte image", start, start + plen, len);
    p->data = image + start;
    p->len = plen;
    return 0;
}

int kernel_payload_find(const void *image, size_t len,
                        struct kernel_payload *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    p->data = image;
    p->len = len;
    if (find_bzimage_payload(image, len, p, err, errlen))
        return -1;
    if (is_elf(p->data, p->len))
        return 0;
    p->compression = compression_of(p->data, p->len);
    if (p->compression == KERNEL_UNCOMPRESSED)
        return 0;
    if (p->compression != KERNEL_GZIP && p->compression != KERNEL_XZ)
        return fail(err, errlen, "%s-compressed kernel: not supported here "
                    "(gzip and xz are; Xen 4.17 also takes bzip2, lzma, lzo, "
                    "lz4 and zstd)", kernel_compression_name(p->compression));
    if (p->len < SIZE_WORD + 2)
        return fail(err, errlen, "%s payload of %zu bytes is truncated",
                    kernel_compression_name(p->compression), p->len);
    p->stated_len = le(p->data + p->len - SIZE_WORD, SIZE_WORD);
    return 0;
}

int kernel_payload_decompress(const struct kernel_payload *p, void *out,
                              size_t out_max, size_t *out_len, char *err,
                              size_t errlen)
{
    size_t used;
    int rc;

    if (p->compression == KERNEL_GZIP)
        rc = gunzip(p->data, p->len, out, out_max, out_len, err, errlen);
    else if (p->compression == KERNEL_XZ)
        rc = unxz(p->data, p->len, out, out_max, out_len, &used, err, errlen);
    else
        return fail(err, errlen, "no decompressor for %s",
                    kernel_compression_name(p->compression));
    if (rc)
        return -1;
    if (*out_len != p->stated_len)
        return fail(err, errlen, "%s payload decompressed to %zu bytes, but "
                    "states %u", kernel_compression_name(p->compression),
                    *out_len, p->stated_len);
    return 0;
}
