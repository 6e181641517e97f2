/* SPDX-License-Identifier: MIT */
/*
 * inflate.c - gzip and deflate decompression, written from RFC 1951
 *             (deflate) and RFC 1952 (gzip), for kernel images that are
 *             gzip-compressed inside a bzImage (common/bzimage.c).
 * Owns:    one static decoder state (bit reader, Huffman tables).
 * Touches: the caller's output buffer, nothing else.
 * Trusts:  nothing in the input. Every input byte is read through the bit
 *          reader, which stops at in_len; every output byte through
 *          put_byte()/copy_match(), which stop at out_max; a back
 *          reference may not reach before the output's start. Reading
 *          past the end of the input is "truncated", never a wild read.
 *
 * The whole input and the whole output are in memory (one call), so the
 * output buffer is also deflate's 32 KiB window: a match copies from
 * earlier output. Huffman codes are decoded through a 2^9-entry table for
 * codes of up to 9 bits (most symbols), and bit by bit from the canonical
 * code counts for the longer ones (RFC 1951 section 3.2.2 defines the
 * codes by their lengths alone).
 *
 * Refused, as zlib refuses them: a block type 3, a stored block whose
 * NLEN is not the complement of LEN, more than 286 length or 30 distance
 * codes, an over-subscribed code, an incomplete code other than a single
 * code of one bit, a repeat code with nothing to repeat or running past
 * the lengths, a missing end-of-block code, symbols 286/287 and 30/31, a
 * distance before the output's start; and in the gzip wrapper a method
 * other than 8, reserved flag bits, a bad header CRC-16, a CRC-32 or
 * ISIZE that does not match.
 */
#include "inflate.h"
#include "crc.h"
#include "lib.h"
#include <stdarg.h>

#define MAX_CODE_BITS   15        /* RFC 1951 3.2.2: codes of 1..15 bits */
#define FAST_BITS       9         /* table lookup for codes this short   */
#define NR_LITLEN       288       /* 0-255 literals, 256 end, 257-287    */
#define NR_LITLEN_USED  286       /* 286, 287 never occur (3.2.6)        */
#define NR_DIST         30        /* 30, 31 never occur                  */
#define NR_DIST_FIXED   32        /* but take part in the fixed code     */
#define NR_CODELEN      19
#define END_OF_BLOCK    256

/* One canonical Huffman code (RFC 1951 3.2.2). */
struct huffman {
    uint16_t count[MAX_CODE_BITS + 1];  /* codes of each length          */
    uint16_t symbol[NR_LITLEN];         /* symbols in canonical order    */
    uint16_t fast[1 << FAST_BITS];      /* next 9 bits -> len << 9 | sym */
};

struct inflate {
    const uint8_t *in;
    size_t in_len, in_pos;
    uint64_t bitbuf;                    /* bits not yet used, LSB first  */
    unsigned int bitcnt;
    bool truncated;                     /* a read ran past in_len        */
    uint8_t *out;
    size_t out_max, out_pos;
    char *err;
    size_t errlen;
    struct huffman litlen, dist, codelen;
};

static struct inflate state;

/* RFC 1951 3.2.5: base and extra bits of length codes 257..285 ... */
static const uint16_t len_base[] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
    59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
    5, 5, 5, 5, 0 };
/* ... and of distance codes 0..29. */
static const uint16_t dist_base[] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
    513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10,
    10, 11, 11, 12, 12, 13, 13 };
/* RFC 1951 3.2.7: the order code-length code lengths are sent in. */
static const uint8_t codelen_order[NR_CODELEN] = {
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

#define fail(s, ...) fail_reason((s)->err, (s)->errlen, __VA_ARGS__)

static int fail_truncated(struct inflate *s)
{
    return fail(s, "gzip data truncated: ran out of input after %zu bytes "
                "(%zu bytes decompressed)", s->in_len, s->out_pos);
}

/* ------------------------------------------------------------------ */
/* Bits                                                                */

/* Loads whole bytes until n bits are buffered or the input ends. */
static void fill(struct inflate *s, unsigned int n)
{
    while (s->bitcnt < n && s->in_pos < s->in_len) {
        s->bitbuf |= (uint64_t)s->in[s->in_pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
}

/* The next n (<= 16) bits, LSB first; 0 and `truncated` past the end. */
static unsigned int bits(struct inflate *s, unsigned int n)
{
    unsigned int v;

    fill(s, n);
    if (s->bitcnt < n) {
        s->truncated = true;
        return 0;
    }
    v = (unsigned int)(s->bitbuf & ((1u << n) - 1));
    s->bitbuf >>= n;
    s->bitcnt -= n;
    return v;
}

/* Drops the bits up to the next byte boundary (3.2.4, stored blocks). */
static void align_to_byte(struct inflate *s)
{
    unsigned int drop = s->bitcnt % 8;

    s->bitbuf >>= drop;
    s->bitcnt -= drop;
}

/* Gives back whole buffered bytes, so in_pos is the next unused byte. */
static void unread_bytes(struct inflate *s)
{
    align_to_byte(s);
    s->in_pos -= s->bitcnt / 8;
    s->bitbuf = 0;
    s->bitcnt = 0;
}

/* ------------------------------------------------------------------ */
/* Huffman codes                                                       */

static unsigned int reverse_bits(unsigned int code, unsigned int len)
{
    unsigned int r = 0;

    while (len--) {
        r = (r << 1) | (code & 1);
        code >>= 1;
    }
    return r;
}

/*
 * Fills the fast table: a code of len <= FAST_BITS bits, sent MSB first,
 * arrives LSB first, so it sits reversed in the low bits of every index
 * whose high bits are anything.
 */
static void build_fast(struct huffman *h, const uint8_t *lens, unsigned int n)
{
    unsigned int next[MAX_CODE_BITS + 1], code = 0;

    /* RFC 1951 3.2.2's next_code[]; count[0] counts unused symbols. */
    memset(h->fast, 0, sizeof(h->fast));
    for (unsigned int len = 1; len <= MAX_CODE_BITS; len++) {
        code = (code + (len > 1 ? h->count[len - 1] : 0)) << 1;
        next[len] = code;
    }
    for (unsigned int sym = 0; sym < n; sym++) {
        unsigned int len = lens[sym], rev;

        if (len == 0)
            continue;
        rev = reverse_bits(next[len]++, len);
        if (len > FAST_BITS)
            continue;
        for (unsigned int i = rev; i < (1u << FAST_BITS); i += 1u << len)
            h->fast[i] = (uint16_t)(len << FAST_BITS | sym);
    }
}

/*
 * Builds the code with lens[0..n) (0: symbol unused). Refuses an
 * over-subscribed code, and an incomplete one unless it has at most one
 * code, of one bit (3.2.7 allows one distance code; zlib the same).
 */
static int build_huffman(struct inflate *s, struct huffman *h,
                         const uint8_t *lens, unsigned int n, const char *what)
{
    uint16_t offs[MAX_CODE_BITS + 2];
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for (unsigned int sym = 0; sym < n; sym++)
        h->count[lens[sym]]++;
    for (unsigned int len = 1; len <= MAX_CODE_BITS; len++) {
        left = (left << 1) - h->count[len];
        if (left < 0)
            return fail(s, "deflate: over-subscribed %s code", what);
    }
    if (left > 0 && h->count[0] + h->count[1] != n)
        return fail(s, "deflate: incomplete %s code", what);
    offs[1] = 0;
    for (unsigned int len = 1; len <= MAX_CODE_BITS; len++)
        offs[len + 1] = offs[len] + h->count[len];
    for (unsigned int sym = 0; sym < n; sym++)
        if (lens[sym])
            h->symbol[offs[lens[sym]]++] = (uint16_t)sym;
    build_fast(h, lens, n);
    return 0;
}

/* Slow path: one bit at a time against the canonical code's counts. */
static int decode_slow(struct inflate *s, const struct huffman *h)
{
    unsigned int code = 0, first = 0, index = 0;

    for (unsigned int len = 1; len <= MAX_CODE_BITS; len++) {
        code |= bits(s, 1);
        if (s->truncated)
            return -1;
        if (code - first < h->count[len])
            return h->symbol[index + (code - first)];
        index += h->count[len];
        first = (first + h->count[len]) << 1;
        code <<= 1;
    }
    return -1;
}

/* The next symbol, or -1 (truncated input or a code that is not used). */
static int decode(struct inflate *s, const struct huffman *h)
{
    unsigned int entry;

    fill(s, FAST_BITS);
    entry = h->fast[s->bitbuf & ((1u << FAST_BITS) - 1)];
    if (entry && (entry >> FAST_BITS) <= s->bitcnt) {
        s->bitbuf >>= entry >> FAST_BITS;
        s->bitcnt -= entry >> FAST_BITS;
        return (int)(entry & ((1u << FAST_BITS) - 1));
    }
    return decode_slow(s, h);
}

static int decode_fail(struct inflate *s)
{
    if (s->truncated)
        return fail_truncated(s);
    return fail(s, "deflate: invalid Huffman code at input byte %zu",
                s->in_pos);
}

/* ------------------------------------------------------------------ */
/* Output                                                              */

static int put_byte(struct inflate *s, uint8_t b)
{
    if (s->out_pos == s->out_max)
        return fail(s, "decompressed data exceeds the %zu-byte limit",
                    s->out_max);
    s->out[s->out_pos++] = b;
    return 0;
}

/* Copies len bytes from dist back; they may overlap what is written. */
static int copy_match(struct inflate *s, unsigned int len, unsigned int dist)
{
    if (dist > s->out_pos)
        return fail(s, "deflate: distance %u reaches before the start of the "
                    "output (%zu bytes written)", dist, s->out_pos);
    if (len > s->out_max - s->out_pos)
        return fail(s, "decompressed data exceeds the %zu-byte limit",
                    s->out_max);
    for (unsigned int i = 0; i < len; i++, s->out_pos++)
        s->out[s->out_pos] = s->out[s->out_pos - dist];
    return 0;
}

/* ------------------------------------------------------------------ */
/* Blocks                                                              */

/* A length/distance pair after length symbol sym (257..285). */
static int decode_match(struct inflate *s, int sym)
{
    unsigned int len, dist;
    int dsym;

    sym -= END_OF_BLOCK + 1;
    if (sym >= (int)ARRAY_SIZE(len_base))
        return fail(s, "deflate: invalid length symbol %d", sym + 257);
    len = len_base[sym] + bits(s, len_extra[sym]);
    dsym = decode(s, &s->dist);
    if (dsym < 0)
        return decode_fail(s);
    if (dsym >= NR_DIST)
        return fail(s, "deflate: invalid distance symbol %d", dsym);
    dist = dist_base[dsym] + bits(s, dist_extra[dsym]);
    if (s->truncated)
        return fail_truncated(s);
    return copy_match(s, len, dist);
}

/* Symbols with the current tables until end-of-block (3.2.5). */
static int decode_symbols(struct inflate *s)
{
    for (;;) {
        int sym = decode(s, &s->litlen);

        if (sym < 0)
            return decode_fail(s);
        if (sym == END_OF_BLOCK)
            return 0;
        if (sym < END_OF_BLOCK ? put_byte(s, (uint8_t)sym) :
                                 decode_match(s, sym))
            return -1;
    }
}

/* BTYPE 00 (3.2.4): LEN, NLEN, then LEN bytes as they are. */
static int stored_block(struct inflate *s)
{
    unsigned int len, nlen;

    align_to_byte(s);
    len = bits(s, 16);
    nlen = bits(s, 16);
    if (s->truncated)
        return fail_truncated(s);
    if (len != (~nlen & 0xffff))
        return fail(s, "deflate: stored block length %#x does not match its "
                    "complement %#x", len, nlen);
    for (; len && s->bitcnt >= 8; len--)      /* bytes already buffered */
        if (put_byte(s, (uint8_t)bits(s, 8)))
            return -1;
    if (len > s->in_len - s->in_pos)
        return fail_truncated(s);
    if (len > s->out_max - s->out_pos)
        return fail(s, "decompressed data exceeds the %zu-byte limit",
                    s->out_max);
    memcpy(s->out + s->out_pos, s->in + s->in_pos, len);
    s->in_pos += len;
    s->out_pos += len;
    return 0;
}

/* BTYPE 01 (3.2.6): the fixed codes. */
static int fixed_block(struct inflate *s)
{
    uint8_t lens[NR_LITLEN];
    unsigned int sym = 0;

    for (; sym < 144; sym++) lens[sym] = 8;
    for (; sym < 256; sym++) lens[sym] = 9;
    for (; sym < 280; sym++) lens[sym] = 7;
    for (; sym < NR_LITLEN; sym++) lens[sym] = 8;
    if (build_huffman(s, &s->litlen, lens, NR_LITLEN, "literal/length"))
        return -1;
    memset(lens, 5, NR_DIST_FIXED);
    if (build_huffman(s, &s->dist, lens, NR_DIST_FIXED, "distance"))
        return -1;
    return decode_symbols(s);
}

/* Code lengths 16, 17, 18: how many times to repeat which length. */
static int repeat_length(struct inflate *s, int sym, uint8_t *lens,
                         unsigned int i, unsigned int total, unsigned int *n)
{
    uint8_t value = 0;

    if (sym == 16) {
        if (i == 0)
            return fail(s, "deflate: repeat of a code length with no "
                        "previous length");
        value = lens[i - 1];
        *n = 3 + bits(s, 2);
    } else {
        *n = sym == 17 ? 3 + bits(s, 3) : 11 + bits(s, 7);
    }
    if (s->truncated)
        return fail_truncated(s);
    if (*n > total - i)
        return fail(s, "deflate: code lengths repeat past the %u lengths",
                    total);
    memset(lens + i, value, *n);
    return 0;
}

/* The literal/length and distance code lengths, themselves coded (3.2.7). */
static int read_code_lengths(struct inflate *s, uint8_t *lens,
                             unsigned int total)
{
    unsigned int i = 0, n = 0;

    while (i < total) {
        int sym = decode(s, &s->codelen);

        if (sym < 0)
            return decode_fail(s);
        if (sym < 16) {
            lens[i++] = (uint8_t)sym;
            continue;
        }
        if (repeat_length(s, sym, lens, i, total, &n))
            return -1;
        i += n;
    }
    return 0;
}

/* BTYPE 10 (3.2.7): codes sent with the block. */
static int dynamic_block(struct inflate *s)
{
    uint8_t lens[NR_LITLEN_USED + NR_DIST] = { 0 };
    unsigned int nlen = bits(s, 5) + 257, ndist = bits(s, 5) + 1;
    unsigned int ncode = bits(s, 4) + 4;

    if (nlen > NR_LITLEN_USED || ndist > NR_DIST)
        return fail(s, "deflate: %u length and %u distance codes (at most "
                    "%u and %u)", nlen, ndist, NR_LITLEN_USED, NR_DIST);
    for (unsigned int i = 0; i < ncode; i++)
        lens[codelen_order[i]] = (uint8_t)bits(s, 3);
    if (s->truncated)
        return fail_truncated(s);
    if (build_huffman(s, &s->codelen, lens, NR_CODELEN, "code-length") ||
        read_code_lengths(s, lens, nlen + ndist))
        return -1;
    if (lens[END_OF_BLOCK] == 0)
        return fail(s, "deflate: block has no end-of-block code");
    if (build_huffman(s, &s->litlen, lens, nlen, "literal/length") ||
        build_huffman(s, &s->dist, lens + nlen, ndist, "distance"))
        return -1;
    return decode_symbols(s);
}

/* Blocks until the one with BFINAL set (3.2.3). */
static int inflate_blocks(struct inflate *s)
{
    unsigned int final, type;
    int rc;

    do {
        final = bits(s, 1);
        type = bits(s, 2);
        if (s->truncated)
            return fail_truncated(s);
        switch (type) {
        case 0:  rc = stored_block(s); break;
        case 1:  rc = fixed_block(s); break;
        case 2:  rc = dynamic_block(s); break;
        default: rc = fail(s, "deflate: invalid block type 3"); break;
        }
        if (rc)
            return -1;
    } while (!final);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The gzip wrapper (RFC 1952 2.3)                                     */

#define GZIP_ID1      0x1f
#define GZIP_ID2      0x8b
#define GZIP_ID2_OLD  0x9e        /* gzip 0.5's magic; Xen accepts it too */
#define GZIP_CM_DEFLATE 8
#define GZIP_FHCRC    0x02
#define GZIP_FEXTRA   0x04
#define GZIP_FNAME    0x08
#define GZIP_FCOMMENT 0x10
#define GZIP_FRESERVED 0xe0
#define GZIP_FIXED_HEADER 10

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Skips a zero-terminated field (FNAME, FCOMMENT). */
static int skip_string(struct inflate *s, const char *what)
{
    while (s->in_pos < s->in_len)
        if (s->in[s->in_pos++] == 0)
            return 0;
    return fail(s, "gzip header truncated in its %s", what);
}

static int skip_extra(struct inflate *s)
{
    size_t xlen;

    if (s->in_len - s->in_pos < 2)
        return fail(s, "gzip header truncated in its extra field");
    xlen = s->in[s->in_pos] | s->in[s->in_pos + 1] << 8;
    if (xlen > s->in_len - s->in_pos - 2)
        return fail(s, "gzip header truncated in its extra field");
    s->in_pos += 2 + xlen;
    return 0;
}

static int check_header_crc(struct inflate *s)
{
    uint32_t want;

    if (s->in_len - s->in_pos < 2)
        return fail(s, "gzip header truncated in its CRC-16");
    want = crc32(0, s->in, s->in_pos) & 0xffff;
    if ((uint32_t)(s->in[s->in_pos] | s->in[s->in_pos + 1] << 8) != want)
        return fail(s, "gzip header CRC-16 mismatch");
    s->in_pos += 2;
    return 0;
}

static int gzip_header(struct inflate *s)
{
    const uint8_t *h = s->in;
    uint8_t flags;

    if (s->in_len < GZIP_FIXED_HEADER)
        return fail(s, "gzip header truncated (%zu bytes)", s->in_len);
    if (h[0] != GZIP_ID1 || (h[1] != GZIP_ID2 && h[1] != GZIP_ID2_OLD))
        return fail(s, "not gzip data (magic %02x %02x)", h[0], h[1]);
    if (h[2] != GZIP_CM_DEFLATE)
        return fail(s, "gzip compression method %u is not deflate (8)", h[2]);
    flags = h[3];
    if (flags & GZIP_FRESERVED)
        return fail(s, "gzip header has reserved flags %#x set", flags);
    s->in_pos = GZIP_FIXED_HEADER;
    if (((flags & GZIP_FEXTRA) && skip_extra(s)) ||
        ((flags & GZIP_FNAME) && skip_string(s, "file name")) ||
        ((flags & GZIP_FCOMMENT) && skip_string(s, "comment")) ||
        ((flags & GZIP_FHCRC) && check_header_crc(s)))
        return -1;
    return 0;
}

static int gzip_trailer(struct inflate *s)
{
    uint32_t crc, isize;

    unread_bytes(s);
    if (s->in_len - s->in_pos < 8)
        return fail(s, "gzip data truncated: no CRC-32 and size after the "
                    "compressed data (%zu bytes decompressed)", s->out_pos);
    crc = le32(s->in + s->in_pos);
    isize = le32(s->in + s->in_pos + 4);
    if (crc != crc32(0, s->out, s->out_pos))
        return fail(s, "gzip CRC-32 mismatch: stored %#x, data has %#x", crc,
                    crc32(0, s->out, s->out_pos));
    if (isize != (uint32_t)s->out_pos)
        return fail(s, "gzip size mismatch: stored %u, decompressed %zu",
                    isize, s->out_pos);
    return 0;
}

int gunzip(const void *in, size_t in_len, void *out, size_t out_max,
           size_t *out_len, char *err, size_t errlen)
{
    struct inflate *s = &state;

    memset(s, 0, sizeof(*s));
    s->in = in;
    s->in_len = in_len;
    s->out = out;
    s->out_max = out_max;
    s->err = err;
    s->errlen = errlen;
    if (err && errlen > 0)
        err[0] = '\0';
    if (gzip_header(s) || inflate_blocks(s) || gzip_trailer(s))
        return -1;
    *out_len = s->out_pos;
    return 0;
}
