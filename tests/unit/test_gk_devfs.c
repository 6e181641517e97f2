/* SPDX-License-Identifier: MIT */
/*
 * test_gk_devfs.c - pvkernel's /dev on the host: the device nodes, what
 *                   each answers to read and write, and the RNG (RFC 8439's
 *                   ChaCha20 known answer, output that changes).
 * Owns:    a pv_ops with only what devfs.c calls (console_write into a
 *          buffer, cpuid without RDRAND, a clock, a wallclock).
 * Touches: guest-kernel/kernel/{devfs,ramfs,vfs}.c (compiled as they are).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <uapi.h>
#include <vfs.h>
#include <asm/pvops.h>

#define GK_HOST_HAVE_DEVFS
#include "gk_host.h"

static char console[256];
static size_t console_len;

static void fake_console_write(const char *s, size_t len)
{
    if (console_len + len < sizeof(console)) {
        memcpy(console + console_len, s, len);
        console_len += len;
    }
}

static void fake_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
    (void)leaf; (void)subleaf;
    memset(r, 0, sizeof(*r));           /* no RDRAND: the seed is time only */
}

static uint64_t fake_clock_ns(void) { static uint64_t t = 1000; return t += 1234567; }
static void fake_wallclock(struct wall_time *wt) { wt->sec = 1796453484; wt->nsec = 5; }

const struct pv_ops pv_ops = {
    .console_write = fake_console_write,
    .cpuid = fake_cpuid,
    .clock_ns = fake_clock_ns,
    .wallclock = fake_wallclock,
};

static struct inode *dev(struct inode *root, const char *name)
{
    struct inode *i = ramfs_lookup_child(root, name, strlen(name));

    ck_assert_msg(i, "/dev/%s", name);
    return i;
}

START_TEST(nodes_and_answers)
{
    struct inode *root = devfs_new();
    uint8_t buf[64];

    ck_assert_ptr_nonnull(root);
    ck_assert_uint_eq(ramfs_count(root), 8);
    ck_assert_uint_eq(dev(root, "null")->rdev, 0x103);
    ck_assert_uint_eq(dev(root, "zero")->rdev, 0x105);
    ck_assert_uint_eq(dev(root, "full")->rdev, 0x107);
    ck_assert_uint_eq(dev(root, "random")->rdev, 0x108);
    ck_assert_uint_eq(dev(root, "urandom")->rdev, 0x109);
    ck_assert_uint_eq(dev(root, "tty")->rdev, 0x500);
    ck_assert_uint_eq(dev(root, "console")->rdev, 0x501);
    ck_assert(S_ISCHR(dev(root, "null")->mode));
    ck_assert(devfs_is_console(dev(root, "tty")) && devfs_is_console(dev(root, "console")));
    ck_assert(!devfs_is_console(dev(root, "null")));
    ck_assert_int_eq(devfs_read(dev(root, "null"), buf, sizeof(buf)), 0);
    ck_assert_int_eq(devfs_write(dev(root, "null"), "x", 1), 1);
    memset(buf, 7, sizeof(buf));
    ck_assert_int_eq(devfs_read(dev(root, "zero"), buf, sizeof(buf)), sizeof(buf));
    ck_assert_uint_eq(buf[0] | buf[63], 0);
    ck_assert_int_eq(devfs_write(dev(root, "full"), "x", 1), -ENOSPC);
    ck_assert_int_eq(devfs_read(dev(root, "full"), buf, 8), 8);
    ck_assert_int_eq(devfs_read(dev(root, "console"), buf, 8), 0);   /* until the tty */
    ck_assert_int_eq(devfs_write(dev(root, "console"), "hi\n", 3), 3);
    ck_assert_int_eq(devfs_write(dev(root, "tty"), "yo\n", 3), 3);
    ck_assert_uint_eq(console_len, 6);
    ck_assert_mem_eq(console, "hi\nyo\n", 6);
}
END_TEST

/* RFC 8439 section 2.3.2: key 00..1f, counter 1, nonce 00:00:00:09
 * 00:00:00:4a 00:00:00:00 (words 13 and 14 here: 0x09000000, 0x4a000000). */
START_TEST(chacha20_known_answer)
{
    static const uint32_t want[16] = {
        0xe4e7f110, 0x15593bd1, 0x1fdd0f50, 0xc47120a3,
        0xc7f4d1c7, 0x0368c033, 0x9aaa2204, 0x4e6cd4c3,
        0x466482d2, 0x09aa9f07, 0x05d7c214, 0xa2028bd9,
        0xd19c12b5, 0xb94e16de, 0xe883d0cb, 0x4e3c50a2,
    };
    uint32_t key[8], out[16];
    int i;

    for (i = 0; i < 8; i++)
        key[i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 |
                 (uint32_t)(4 * i + 2) << 16 | (uint32_t)(4 * i + 3) << 24;
    chacha20_block(key, 1 | (uint64_t)0x09000000 << 32, 0x4a000000, out);
    for (i = 0; i < 16; i++)
        ck_assert_msg(out[i] == want[i], "word %d: %08x, want %08x", i, out[i], want[i]);
}
END_TEST

START_TEST(random_changes)
{
    uint8_t a[100], b[100];
    int i, zero = 1;

    random_bytes(a, sizeof(a));
    random_bytes(b, sizeof(b));
    ck_assert(memcmp(a, b, sizeof(a)));
    for (i = 0; i < 100; i++)
        zero &= !a[i];
    ck_assert(!zero);
    random_bytes(a, 0);                 /* nothing asked: fine */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gk_devfs");
    TCase *t = tcase_create("all");

    tcase_add_test(t, nodes_and_answers);
    tcase_add_test(t, chacha20_known_answer);
    tcase_add_test(t, random_changes);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
