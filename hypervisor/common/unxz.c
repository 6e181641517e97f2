/* SPDX-License-Identifier: MIT */
/*
 * unxz.c - .xz decompression, written from "The .xz File Format" 1.0.4
 *          (stream, blocks, index, footer, checks), the LZMA2 chunk
 *          format and the LZMA range-coded format it carries, and the x86
 *          BCJ filter, for kernel images that are XZ-compressed inside a
 *          bzImage (common/bzimage.c; Debian's are).
 * Owns:    one static decoder state (range decoder, LZMA probabilities).
 * Touches: the caller's output buffer, nothing else.
 * Trusts:  nothing in the input. Headers are read through get_byte() and
 *          varint(), which stop at a given end; the range decoder reads
 *          only inside its chunk; every output byte goes through
 *          put_literal()/copy_match(), which stop at the chunk's end, itself
 *          checked against out_max; a match may not reach before the last
 *          dictionary reset.
 *
 * One call holds the whole input and the whole output, so the output
 * buffer is LZMA2's dictionary (a match copies from earlier output) and
 * the x86 BCJ filter runs in place over each block once its LZMA2 data is
 * decoded (LZMA2's dictionary is the data before BCJ; each block starts
 * with a dictionary reset, so no later block looks back at it).
 *
 * Supported: one stream (what follows it is not read), any number of
 * blocks, filter chains LZMA2 or x86-BCJ + LZMA2 (with a start offset),
 * check types None, CRC32 and CRC64 (verified) and SHA-256 (skipped, not
 * verified: no SHA-256 here). Refused with the reason: other filters and
 * check types, reserved bits, sizes in a block header that the data does
 * not match, an index that does not describe the blocks, a footer that
 * does not match the header or the index, and every CRC32 mismatch.
 * LZMA2's rules, as liblzma's: the first chunk resets the dictionary, the
 * first LZMA chunk after a reset sets new properties (lc + lp <= 4), a
 * chunk's compressed data is used exactly, no match runs past its chunk.
 */
#include "unxz.h"
#include "crc.h"
#include "lib.h"
#include <stdarg.h>

#define XZ_HEADER_SIZE    12      /* magic 6, flags 2, CRC32 4 */
#define XZ_FOOTER_SIZE    12      /* CRC32 4, backward size 4, flags 2, "YZ" */
#define XZ_CHECK_NONE     0
#define XZ_CHECK_CRC32    1
#define XZ_CHECK_CRC64    4
#define XZ_CHECK_SHA256   10
#define XZ_FILTER_X86     0x04
#define XZ_FILTER_LZMA2   0x21
#define XZ_MAX_FILTERS    4
#define XZ_VARINT_MAX     9       /* bytes of a 63-bit multibyte integer */

#define LZMA_STATES       12
#define LZMA_LIT_STATES   7       /* states below this: after a literal  */
#define LZMA_POS_MAX      16      /* 1 << pb, pb <= 4                    */
#define LZMA_LIT_SIZE     0x300
#define LZMA_LCLP_MAX     4       /* LZMA2: lc + lp <= 4                 */
#define LZMA_PROPS_MAX    (9 * 5 * 5)
#define LZMA_DIST_STATES  4
#define LZMA_DIST_SLOTS   64
#define LZMA_END_POS_SLOT 14      /* slots from here: direct + align bits */
#define LZMA_ALIGN_BITS   4
#define LZMA_MATCH_MIN    2
#define LZMA_PROB_INIT    1024    /* probability 0.5 in 11 bits          */
#define RC_TOP            (1u << 24)
#define RC_MODEL_BITS     11
#define RC_MOVE_BITS      5

struct rc {
    const uint8_t *in;
    size_t pos, end;                  /* this chunk's compressed data     */
    uint32_t range, code;
    bool overrun;                     /* a read past end (then zeros)     */
};

struct lzma_len {
    uint16_t choice, choice2;
    uint16_t low[LZMA_POS_MAX][8], mid[LZMA_POS_MAX][8], high[256];
};

/* Only uint16_t probabilities: reset as one array (lzma_reset()). */
struct lzma_probs {
    uint16_t is_match[LZMA_STATES][LZMA_POS_MAX];
    uint16_t is_rep[LZMA_STATES], is_rep0[LZMA_STATES];
    uint16_t is_rep1[LZMA_STATES], is_rep2[LZMA_STATES];
    uint16_t is_rep0_long[LZMA_STATES][LZMA_POS_MAX];
    uint16_t dist_slot[LZMA_DIST_STATES][LZMA_DIST_SLOTS];
    uint16_t dist_special[1 + 128 - LZMA_END_POS_SLOT];
    uint16_t dist_align[1 << LZMA_ALIGN_BITS];
    struct lzma_len match_len, rep_len;
    uint16_t literal[1 << LZMA_LCLP_MAX][LZMA_LIT_SIZE];
};

struct lzma {
    unsigned int lc, lp, pb;
    unsigned int state;
    uint32_t rep[4];
    struct lzma_probs p;
};

/* What the blocks were, to compare with what the index says. */
struct xz_tally {
    uint64_t count, unpadded, uncompressed;
    uint32_t hash;                    /* CRC32 over the (unpadded, size) pairs */
};

struct xz {
    const uint8_t *in;
    size_t in_len, in_pos;
    uint8_t *out;
    size_t out_max, out_pos;
    size_t dict_start;                /* out_pos at the last dictionary reset */
    bool need_dict_reset, need_props;
    unsigned int check_type;
    struct rc rc;
    struct lzma lzma;
    struct xz_tally blocks, index;
    char *err;
    size_t errlen;
};

static struct xz state;

#define fail(s, ...) fail_reason((s)->err, (s)->errlen, __VA_ARGS__)

static int fail_truncated(struct xz *s, const char *where)
{
    return fail(s, "xz data truncated in the %s (input of %zu bytes, %zu "
                "decompressed)", where, s->in_len, s->out_pos);
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* ------------------------------------------------------------------ */
/* The range decoder                                                   */

static uint8_t rc_byte(struct rc *rc)
{
    if (rc->pos == rc->end) {
        rc->overrun = true;
        return 0;
    }
    return rc->in[rc->pos++];
}

static inline void rc_normalize(struct rc *rc)
{
    if (rc->range < RC_TOP) {
        rc->range <<= 8;
        rc->code = (rc->code << 8) | rc_byte(rc);
    }
}

/* One bit with probability *p of being 0, which adapts. */
static inline unsigned int rc_bit(struct rc *rc, uint16_t *p)
{
    uint32_t bound;

    rc_normalize(rc);
    bound = (rc->range >> RC_MODEL_BITS) * *p;
    if (rc->code < bound) {
        rc->range = bound;
        *p += ((1u << RC_MODEL_BITS) - *p) >> RC_MOVE_BITS;
        return 0;
    }
    rc->range -= bound;
    rc->code -= bound;
    *p -= *p >> RC_MOVE_BITS;
    return 1;
}

/* nbits bits, MSB first, through a binary tree of probabilities. */
static unsigned int rc_tree(struct rc *rc, uint16_t *probs, unsigned int nbits)
{
    unsigned int m = 1;

    for (unsigned int i = 0; i < nbits; i++)
        m = (m << 1) | rc_bit(rc, &probs[m]);
    return m - (1u << nbits);
}

/* The same tree, LSB first. */
static unsigned int rc_tree_reverse(struct rc *rc, uint16_t *probs,
                                    unsigned int nbits)
{
    unsigned int m = 1, sym = 0;

    for (unsigned int i = 0; i < nbits; i++) {
        unsigned int bit = rc_bit(rc, &probs[m]);

        m = (m << 1) | bit;
        sym |= bit << i;
    }
    return sym;
}

/* nbits bits of probability 0.5. */
static uint32_t rc_direct(struct rc *rc, unsigned int nbits)
{
    uint32_t v = 0;

    while (nbits--) {
        rc_normalize(rc);
        rc->range >>= 1;
        if (rc->code >= rc->range) {
            rc->code -= rc->range;
            v = (v << 1) | 1;
        } else {
            v <<= 1;
        }
    }
    return v;
}

/* A chunk's range coder: a zero byte, then the code, big-endian. */
static int rc_init(struct xz *s, size_t len)
{
    struct rc *rc = &s->rc;

    if (len < 5)
        return fail(s, "LZMA2 chunk of %zu compressed bytes is too short",
                    len);
    rc->in = s->in;
    rc->pos = s->in_pos;
    rc->end = s->in_pos + len;
    rc->overrun = false;
    if (rc_byte(rc) != 0)
        return fail(s, "LZMA2 chunk at input byte %zu: range coder does not "
                    "start with 0", s->in_pos);
    rc->range = 0xffffffff;
    rc->code = 0;
    for (int i = 0; i < 4; i++)
        rc->code = (rc->code << 8) | rc_byte(rc);
    return 0;
}

/* ------------------------------------------------------------------ */
/* LZMA                                                                */

static void lzma_reset(struct lzma *lz)
{
    uint16_t *p = (uint16_t *)&lz->p;

    for (size_t i = 0; i < sizeof(lz->p) / sizeof(*p); i++)
        p[i] = LZMA_PROB_INIT;
    lz->state = 0;
    memset(lz->rep, 0, sizeof(lz->rep));
}

/* The properties byte, (pb * 5 + lp) * 9 + lc. */
static int lzma_props(struct xz *s, uint8_t props)
{
    struct lzma *lz = &s->lzma;

    if (props >= LZMA_PROPS_MAX)
        return fail(s, "LZMA2 properties byte %#x is invalid", props);
    lz->lc = props % 9;
    lz->lp = (props / 9) % 5;
    lz->pb = props / 45;
    if (lz->lc + lz->lp > LZMA_LCLP_MAX)
        return fail(s, "LZMA2 properties lc=%u lp=%u: lc + lp exceeds %d",
                    lz->lc, lz->lp, LZMA_LCLP_MAX);
    return 0;
}

static unsigned int lzma_state_after_literal(unsigned int st)
{
    return st < 4 ? 0 : st < 10 ? st - 3 : st - 6;
}

/* A literal; after a match, coded against the byte at rep0 (state >= 7). */
static void lzma_literal(struct xz *s, size_t pos)
{
    struct lzma *lz = &s->lzma;
    uint8_t prev = pos ? s->out[s->out_pos - 1] : 0;
    unsigned int ctx = ((pos & ((1u << lz->lp) - 1)) << lz->lc) +
                       (prev >> (8 - lz->lc));
    uint16_t *probs = lz->p.literal[ctx];
    unsigned int sym = 1;

    if (lz->state >= LZMA_LIT_STATES) {
        unsigned int match = s->out[s->out_pos - lz->rep[0] - 1];

        do {
            unsigned int mbit = (match >> 7) & 1, bit;

            match <<= 1;
            bit = rc_bit(&s->rc, &probs[((1 + mbit) << 8) + sym]);
            sym = (sym << 1) | bit;
            if (bit != mbit)
                break;
        } while (sym < 0x100);
    }
    while (sym < 0x100)
        sym = (sym << 1) | rc_bit(&s->rc, &probs[sym]);
    s->out[s->out_pos++] = (uint8_t)sym;
    lz->state = lzma_state_after_literal(lz->state);
}

/* A match length less LZMA_MATCH_MIN: 0..271. */
static unsigned int lzma_len(struct rc *rc, struct lzma_len *l,
                             unsigned int pos_state)
{
    if (!rc_bit(rc, &l->choice))
        return rc_tree(rc, l->low[pos_state], 3);
    if (!rc_bit(rc, &l->choice2))
        return 8 + rc_tree(rc, l->mid[pos_state], 3);
    return 16 + rc_tree(rc, l->high, 8);
}

/* A distance less one, coded by a slot then its low bits. */
static uint32_t lzma_dist(struct rc *rc, struct lzma *lz, unsigned int len)
{
    unsigned int slot = rc_tree(rc, lz->p.dist_slot[MIN(len, 3u)], 6);
    unsigned int nbits;
    uint32_t dist;

    if (slot < 4)
        return slot;
    nbits = (slot >> 1) - 1;
    dist = (2 | (slot & 1)) << nbits;
    if (slot < LZMA_END_POS_SLOT)
        return dist + rc_tree_reverse(rc, lz->p.dist_special + dist - slot,
                                      nbits);
    dist += rc_direct(rc, nbits - LZMA_ALIGN_BITS) << LZMA_ALIGN_BITS;
    return dist + rc_tree_reverse(rc, lz->p.dist_align, LZMA_ALIGN_BITS);
}

/* A match with a new distance; returns its length. */
static unsigned int lzma_match(struct xz *s, unsigned int pos_state)
{
    struct lzma *lz = &s->lzma;
    unsigned int len;

    lz->rep[3] = lz->rep[2];
    lz->rep[2] = lz->rep[1];
    lz->rep[1] = lz->rep[0];
    len = lzma_len(&s->rc, &lz->p.match_len, pos_state);
    lz->state = lz->state < LZMA_LIT_STATES ? 7 : 10;
    lz->rep[0] = lzma_dist(&s->rc, lz, len);
    return len + LZMA_MATCH_MIN;
}

/* A match at one of the last four distances; returns its length. */
static unsigned int lzma_rep_match(struct xz *s, unsigned int pos_state)
{
    struct lzma *lz = &s->lzma;
    unsigned int st = lz->state;
    uint32_t dist;

    if (!rc_bit(&s->rc, &lz->p.is_rep0[st])) {
        if (!rc_bit(&s->rc, &lz->p.is_rep0_long[st][pos_state])) {
            lz->state = st < LZMA_LIT_STATES ? 9 : 11;     /* "short rep" */
            return 1;
        }
    } else {
        if (!rc_bit(&s->rc, &lz->p.is_rep1[st])) {
            dist = lz->rep[1];
        } else {
            if (!rc_bit(&s->rc, &lz->p.is_rep2[st])) {
                dist = lz->rep[2];
            } else {
                dist = lz->rep[3];
                lz->rep[3] = lz->rep[2];
            }
            lz->rep[2] = lz->rep[1];
        }
        lz->rep[1] = lz->rep[0];
        lz->rep[0] = dist;
    }
    lz->state = st < LZMA_LIT_STATES ? 8 : 11;
    return lzma_len(&s->rc, &lz->p.rep_len, pos_state) + LZMA_MATCH_MIN;
}

/* len bytes from rep0 + 1 back, inside the dictionary and the chunk. */
static int copy_match(struct xz *s, unsigned int len, size_t chunk_end)
{
    uint32_t dist = s->lzma.rep[0];

    if (dist >= s->out_pos - s->dict_start)
        return fail(s, "LZMA2: match distance %u reaches before the "
                    "dictionary (%zu bytes)", dist + 1,
                    s->out_pos - s->dict_start);
    if (len > chunk_end - s->out_pos)
        return fail(s, "LZMA2: match of %u bytes runs past its chunk", len);
    for (unsigned int i = 0; i < len; i++, s->out_pos++)
        s->out[s->out_pos] = s->out[s->out_pos - dist - 1];
    return 0;
}

/* Decodes symbols until the output reaches chunk_end. */
static int lzma_decode(struct xz *s, size_t chunk_end)
{
    struct lzma *lz = &s->lzma;
    unsigned int pos_mask = (1u << lz->pb) - 1, len;

    while (s->out_pos < chunk_end) {
        size_t pos = s->out_pos - s->dict_start;
        unsigned int ps = pos & pos_mask;

        if (!rc_bit(&s->rc, &lz->p.is_match[lz->state][ps])) {
            if (lz->state >= LZMA_LIT_STATES && lz->rep[0] >= pos)
                return fail(s, "LZMA2: literal refers before the dictionary");
            lzma_literal(s, pos);
        } else {
            len = rc_bit(&s->rc, &lz->p.is_rep[lz->state]) ?
                  lzma_rep_match(s, ps) : lzma_match(s, ps);
            if (copy_match(s, len, chunk_end))
                return -1;
        }
        if (s->rc.overrun)
            return fail(s, "LZMA2 chunk's data ends early (corrupt or "
                        "truncated)");
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* LZMA2 chunks                                                        */

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Control 1 or 2: up to 64 KiB stored as they are. */
static int lzma2_uncompressed(struct xz *s)
{
    size_t len;

    if (s->in_len - s->in_pos < 2)
        return fail_truncated(s, "LZMA2 chunk header");
    len = be16(s->in + s->in_pos) + 1u;
    s->in_pos += 2;
    if (len > s->in_len - s->in_pos)
        return fail_truncated(s, "LZMA2 uncompressed chunk");
    if (len > s->out_max - s->out_pos)
        return fail(s, "decompressed data exceeds the %zu-byte limit",
                    s->out_max);
    memcpy(s->out + s->out_pos, s->in + s->in_pos, len);
    s->in_pos += len;
    s->out_pos += len;
    return 0;
}

/* The header of an LZMA chunk (control >= 0x80): sizes, maybe props. */
static int lzma2_chunk_header(struct xz *s, uint8_t control, size_t *unc,
                              size_t *comp)
{
    bool new_props = control >= 0xc0;

    if (s->in_len - s->in_pos < 4u + new_props)
        return fail_truncated(s, "LZMA2 chunk header");
    *unc = ((size_t)(control & 0x1f) << 16) + be16(s->in + s->in_pos) + 1;
    *comp = be16(s->in + s->in_pos + 2) + 1u;
    s->in_pos += 4;
    if (new_props) {
        s->need_props = false;
        if (lzma_props(s, s->in[s->in_pos++]))
            return -1;
    } else if (s->need_props) {
        return fail(s, "LZMA2 chunk without properties after a dictionary "
                    "reset");
    }
    if (control >= 0xa0)
        lzma_reset(&s->lzma);           /* state reset (and new props) */
    return 0;
}

static int lzma2_compressed(struct xz *s, uint8_t control)
{
    size_t unc = 0, comp = 0;

    if (lzma2_chunk_header(s, control, &unc, &comp))
        return -1;
    if (comp > s->in_len - s->in_pos)
        return fail_truncated(s, "LZMA2 compressed chunk");
    if (unc > s->out_max - s->out_pos)
        return fail(s, "decompressed data exceeds the %zu-byte limit",
                    s->out_max);
    if (rc_init(s, comp) || lzma_decode(s, s->out_pos + unc))
        return -1;
    rc_normalize(&s->rc);
    if (s->rc.overrun || s->rc.pos != s->rc.end || s->rc.code != 0)
        return fail(s, "LZMA2 chunk at input byte %zu does not end where its "
                    "size says (corrupt)", s->in_pos);
    s->in_pos = s->rc.end;
    return 0;
}

/* A block's LZMA2 data: chunks up to the end marker (control 0). */
static int lzma2_decode(struct xz *s)
{
    s->need_dict_reset = true;
    s->need_props = true;
    for (;;) {
        uint8_t control;
        int rc;

        if (s->in_pos == s->in_len)
            return fail_truncated(s, "LZMA2 data");
        control = s->in[s->in_pos++];
        if (control == 0)
            return 0;
        if (control >= 0xe0 || control == 1) {
            s->need_dict_reset = false;
            s->need_props = true;
            s->dict_start = s->out_pos;
        } else if (s->need_dict_reset) {
            return fail(s, "LZMA2 data does not start with a dictionary "
                        "reset");
        }
        if (control >= 0x80)
            rc = lzma2_compressed(s, control);
        else if (control <= 2)
            rc = lzma2_uncompressed(s);
        else
            rc = fail(s, "invalid LZMA2 control byte %#x", control);
        if (rc)
            return -1;
    }
}

/* ------------------------------------------------------------------ */
/* The x86 BCJ filter                                                  */

static bool is_00_or_ff(uint8_t b)
{
    return b == 0x00 || b == 0xff;
}

/*
 * The encoder replaced the rel32 of each E8 (call) / E9 (jmp) that looked
 * like a near target (top byte 00 or FF) with the absolute target, which
 * compresses better; this turns them back. `mask` remembers which of the
 * three bytes before an opcode were E8/E9 themselves, for the encoder's
 * rules on overlapping candidates; pos is the offset of buf[0] in the
 * filter's stream (the block start plus the start offset).
 */
static void bcj_x86(uint8_t *buf, size_t size, uint32_t pos)
{
    static const bool mask_ok[8] = { 1, 1, 1, 0, 1, 0, 0, 0 };
    static const uint8_t mask_byte[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
    size_t last = SIZE_MAX;             /* position of the last E8/E9 */
    uint32_t mask = 0, src, dest;

    for (size_t i = 0; i + 4 < size; i++) {
        if ((buf[i] & 0xfe) != 0xe8)
            continue;
        if (i - last > 3) {
            mask = 0;
        } else {
            mask = (mask << (i - last - 1)) & 7;
            if (mask && (!mask_ok[mask] ||
                         is_00_or_ff(buf[i + 4 - mask_byte[mask]]))) {
                last = i;
                mask = (mask << 1) | 1;
                continue;
            }
        }
        last = i;
        if (!is_00_or_ff(buf[i + 4])) {
            mask = (mask << 1) | 1;
            continue;
        }
        src = le32(buf + i + 1);
        for (;;) {
            unsigned int shift;

            dest = src - (pos + (uint32_t)i + 5);
            if (mask == 0)
                break;
            shift = mask_byte[mask] * 8;
            if (!is_00_or_ff((uint8_t)(dest >> (24 - shift))))
                break;
            src = dest ^ ((1u << (32 - shift)) - 1);
        }
        dest &= 0x01ffffff;
        if (dest & 0x01000000)
            dest |= 0xff000000;         /* sign-extend from bit 24 */
        for (int b = 0; b < 4; b++)
            buf[i + 1 + b] = (uint8_t)(dest >> (8 * b));
        i += 4;
    }
}

/* ------------------------------------------------------------------ */
/* Stream structure                                                    */

/* A multibyte integer (7 bits a byte, LSB first) before `end`. */
static int varint(struct xz *s, size_t end, uint64_t *v, const char *what)
{
    *v = 0;
    for (unsigned int i = 0; i < XZ_VARINT_MAX; i++) {
        uint8_t b;

        if (s->in_pos >= end)
            return fail(s, "xz %s: integer runs past its field", what);
        b = s->in[s->in_pos++];
        *v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i > 0)
                return fail(s, "xz %s: integer not in its shortest form", what);
            return 0;
        }
    }
    return fail(s, "xz %s: integer longer than %d bytes", what, XZ_VARINT_MAX);
}

static unsigned int check_size(unsigned int type)
{
    switch (type) {
    case XZ_CHECK_CRC32:  return 4;
    case XZ_CHECK_CRC64:  return 8;
    case XZ_CHECK_SHA256: return 32;
    default:              return 0;
    }
}

static int stream_header(struct xz *s)
{
    static const uint8_t magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
    const uint8_t *h = s->in;

    if (s->in_len < XZ_HEADER_SIZE)
        return fail_truncated(s, "stream header");
    if (memcmp(h, magic, sizeof(magic)) != 0)
        return fail(s, "not xz data (bad magic)");
    if (crc32(0, h + 6, 2) != le32(h + 8))
        return fail(s, "xz stream header CRC32 mismatch");
    if (h[6] != 0 || (h[7] & 0xf0))
        return fail(s, "xz stream flags %02x %02x have reserved bits set",
                    h[6], h[7]);
    s->check_type = h[7];
    if (s->check_type != XZ_CHECK_NONE && s->check_type != XZ_CHECK_CRC32 &&
        s->check_type != XZ_CHECK_CRC64 && s->check_type != XZ_CHECK_SHA256)
        return fail(s, "xz check type %u is not supported (none, CRC32, "
                    "CRC64, SHA-256)", s->check_type);
    s->in_pos = XZ_HEADER_SIZE;
    return 0;
}

/* What a block header says. */
struct xz_block {
    size_t header_size;
    uint64_t comp, unc;               /* ~0: not given */
    bool x86;
    uint32_t x86_start;
};

/* One filter's flags; the last must be LZMA2, any before it x86 BCJ. */
static int block_filter(struct xz *s, size_t end, bool last,
                        struct xz_block *b)
{
    uint64_t id, props_len;

    if (varint(s, end, &id, "filter ID") ||
        varint(s, end, &props_len, "filter properties size"))
        return -1;
    if (props_len > end - s->in_pos)
        return fail(s, "xz filter properties run past the block header");
    if (last && id == XZ_FILTER_LZMA2 && props_len == 1) {
        if (s->in[s->in_pos] > 40)      /* dictionary size, at most 4 GiB */
            return fail(s, "LZMA2 dictionary size byte %u is invalid",
                        s->in[s->in_pos]);
    } else if (!last && id == XZ_FILTER_X86 && !b->x86 &&
               (props_len == 0 || props_len == 4)) {
        b->x86 = true;
        b->x86_start = props_len ? le32(s->in + s->in_pos) : 0;
    } else {
        return fail(s, "xz filter %#lx (%lu bytes of properties) is not "
                    "supported here (LZMA2, optionally after x86 BCJ)",
                    (unsigned long)id, (unsigned long)props_len);
    }
    s->in_pos += props_len;
    return 0;
}

static int block_header(struct xz *s, struct xz_block *b)
{
    size_t start = s->in_pos, end;
    uint8_t flags;

    b->header_size = (s->in[start] + 1u) * 4;
    if (b->header_size > s->in_len - start)
        return fail_truncated(s, "block header");
    end = start + b->header_size - 4;
    if (crc32(0, s->in + start, b->header_size - 4) != le32(s->in + end))
        return fail(s, "xz block header CRC32 mismatch at input byte %zu",
                    start);
    flags = s->in[start + 1];
    if (flags & 0x3c)
        return fail(s, "xz block flags %#x have reserved bits set", flags);
    s->in_pos = start + 2;
    b->comp = b->unc = ~0ull;
    if (((flags & 0x40) && varint(s, end, &b->comp, "compressed size")) ||
        ((flags & 0x80) && varint(s, end, &b->unc, "uncompressed size")))
        return -1;
    for (unsigned int i = 0, n = (flags & 3) + 1u; i < n; i++)
        if (block_filter(s, end, i == n - 1, b))
            return -1;
    for (; s->in_pos < end; s->in_pos++)
        if (s->in[s->in_pos] != 0)
            return fail(s, "xz block header padding is not zero");
    s->in_pos = end + 4;
    return 0;
}

/* Block padding (to 4 bytes) and the check of the block's data. */
static int block_check(struct xz *s, size_t data_start, size_t out_start)
{
    size_t n = check_size(s->check_type), len = s->out_pos - out_start;
    const uint8_t *data = s->out + out_start;

    while ((s->in_pos - data_start) % 4) {
        if (s->in_pos == s->in_len)
            return fail_truncated(s, "block padding");
        if (s->in[s->in_pos++] != 0)
            return fail(s, "xz block padding is not zero");
    }
    if (n > s->in_len - s->in_pos)
        return fail_truncated(s, "block check");
    if ((s->check_type == XZ_CHECK_CRC32 &&
         crc32(0, data, len) != le32(s->in + s->in_pos)) ||
        (s->check_type == XZ_CHECK_CRC64 &&
         crc64(0, data, len) != le64(s->in + s->in_pos)))
        return fail(s, "xz block %lu: %s mismatch (data corrupt)",
                    (unsigned long)s->blocks.count,
                    s->check_type == XZ_CHECK_CRC32 ? "CRC32" : "CRC64");
    s->in_pos += n;                     /* SHA-256: not verified */
    return 0;
}

static void tally(struct xz_tally *t, uint64_t unpadded, uint64_t unc)
{
    uint64_t pair[2] = { unpadded, unc };

    t->count++;
    t->unpadded += unpadded;
    t->uncompressed += unc;
    t->hash = crc32(t->hash, pair, sizeof(pair));
}

static int block(struct xz *s)
{
    struct xz_block b = { 0 };
    size_t data_start, out_start = s->out_pos;
    uint64_t comp, unc;

    if (block_header(s, &b))
        return -1;
    data_start = s->in_pos;
    if (lzma2_decode(s))
        return -1;
    comp = s->in_pos - data_start;
    unc = s->out_pos - out_start;
    if ((b.comp != ~0ull && b.comp != comp) || (b.unc != ~0ull && b.unc != unc))
        return fail(s, "xz block sizes %lu/%lu differ from its header's",
                    (unsigned long)comp, (unsigned long)unc);
    if (b.x86)
        bcj_x86(s->out + out_start, unc, b.x86_start);
    if (block_check(s, data_start, out_start))
        return -1;
    tally(&s->blocks, b.header_size + comp + check_size(s->check_type), unc);
    return 0;
}

/* The index: one record per block, which must match what was decoded. */
static int stream_index(struct xz *s, size_t *index_size)
{
    size_t start = s->in_pos++;         /* the 0 indicator byte */
    uint64_t count, unpadded, unc;

    if (varint(s, s->in_len, &count, "index"))
        return -1;
    if (count != s->blocks.count)
        return fail(s, "xz index lists %lu blocks, the stream has %lu",
                    (unsigned long)count, (unsigned long)s->blocks.count);
    for (uint64_t i = 0; i < count; i++) {
        if (varint(s, s->in_len, &unpadded, "index") ||
            varint(s, s->in_len, &unc, "index"))
            return -1;
        tally(&s->index, unpadded, unc);
    }
    if (s->index.unpadded != s->blocks.unpadded ||
        s->index.uncompressed != s->blocks.uncompressed ||
        s->index.hash != s->blocks.hash)
        return fail(s, "xz index does not describe the blocks decoded");
    while ((s->in_pos - start) % 4) {
        if (s->in_pos == s->in_len)
            return fail_truncated(s, "index");
        if (s->in[s->in_pos++] != 0)
            return fail(s, "xz index padding is not zero");
    }
    if (s->in_len - s->in_pos < 4)
        return fail_truncated(s, "index");
    if (crc32(0, s->in + start, s->in_pos - start) != le32(s->in + s->in_pos))
        return fail(s, "xz index CRC32 mismatch");
    s->in_pos += 4;
    *index_size = s->in_pos - start;
    return 0;
}

static int stream_footer(struct xz *s, size_t index_size)
{
    const uint8_t *f = s->in + s->in_pos;

    if (s->in_len - s->in_pos < XZ_FOOTER_SIZE)
        return fail_truncated(s, "stream footer");
    if (f[10] != 'Y' || f[11] != 'Z')
        return fail(s, "xz stream footer magic missing");
    if (crc32(0, f + 4, 6) != le32(f))
        return fail(s, "xz stream footer CRC32 mismatch");
    if ((le32(f + 4) + 1ull) * 4 != index_size)
        return fail(s, "xz footer's index size %llu is not the index's %zu",
                    (le32(f + 4) + 1ull) * 4, index_size);
    if (f[8] != 0 || f[9] != s->check_type)
        return fail(s, "xz footer flags differ from the header's");
    s->in_pos += XZ_FOOTER_SIZE;
    return 0;
}

int unxz(const void *in, size_t in_len, void *out, size_t out_max,
         size_t *out_len, size_t *in_used, char *err, size_t errlen)
{
    struct xz *s = &state;
    size_t index_size = 0;

    memset(s, 0, sizeof(*s));
    s->in = in;
    s->in_len = in_len;
    s->out = out;
    s->out_max = out_max;
    s->err = err;
    s->errlen = errlen;
    if (err && errlen > 0)
        err[0] = '\0';
    if (stream_header(s))
        return -1;
    for (;;) {
        if (s->in_pos == s->in_len)
            return fail_truncated(s, "blocks");
        if (s->in[s->in_pos] == 0)
            break;                      /* the index indicator */
        if (block(s))
            return -1;
    }
    if (stream_index(s, &index_size) || stream_footer(s, index_size))
        return -1;
    *out_len = s->out_pos;
    *in_used = s->in_pos;
    return 0;
}
