/* SPDX-License-Identifier: MIT */
/*
 * test_console_log.c - the hypervisor's log ring (common/console_log.c),
 * XEN_SYSCTL_readconsole's worker, over the simulated machine of
 * host_mm.c: whole and incremental reads, an index outside (cons, prod],
 * the ring overwriting its oldest bytes, clear, a buffer that faults, and
 * conring_size= with no room for a larger ring. The guest's view of the
 * same rules, on Xen 4.17 and pvisor, is tests/guests/sysctl_readconsole.c
 * (whose ring never wraps in a test boot: this one does).
 */
#define __XEN_TOOLS__
#include <xen/errno.h>
#include <xen/sysctl.h>
#include "harness.h"
#include "host_mm.h"
#include "console.h"

#define RING (16 * 1024)             /* console_log.c's boot ring */

static char buf[RING + 64];

/* One read: rc; the answer in *count and *index. */
static long rd(uint32_t count, bool incremental, uint32_t index, bool clear,
               void *to, uint32_t *got, uint32_t *end)
{
    struct xen_sysctl_readconsole op = {
        .clear = clear, .incremental = incremental, .index = index, .count = count,
    };
    long rc;

    set_xen_guest_handle(op.buffer, to);
    rc = console_log_read(&op);
    *got = op.count;
    *end = op.index;
    return rc;
}

static void put(const char *s)
{
    console_log_put(s, strlen(s));
}

/* Everything kept, from the oldest byte: the ring's cons and prod. */
static void extent(uint32_t *cons, uint32_t *prod)
{
    uint32_t n;

    ck_assert_int_eq(rd(sizeof(buf), false, 0, false, buf, &n, prod), 0);
    *cons = *prod - n;
}

START_TEST(reads_whole_and_incremental)
{
    uint32_t cons, prod, n, end;

    host_machine_reset();
    put("abcdef");
    extent(&cons, &prod);
    ck_assert_uint_eq(prod - cons, 6);
    ck_assert_int_eq(rd(4, false, 0, false, buf, &n, &end), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(end, cons + 4);
    ck_assert(!memcmp(buf, "abcd", 4));
    ck_assert_int_eq(rd(10, true, end, false, buf, &n, &end), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert(!memcmp(buf, "ef", 2));
    ck_assert_uint_eq(end, prod);
    /* From prod: nothing; past prod, or at cons: from the oldest byte. */
    ck_assert_int_eq(rd(10, true, prod, false, buf, &n, &end), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(end, prod);
    ck_assert_int_eq(rd(3, true, prod + 1, false, buf, &n, &end), 0);
    ck_assert(n == 3 && end == cons + 3 && !memcmp(buf, "abc", 3));
    ck_assert_int_eq(rd(3, true, cons, false, buf, &n, &end), 0);
    ck_assert_uint_eq(end, cons + 3);
    ck_assert_int_eq(rd(3, true, cons + 2, false, buf, &n, &end), 0);
    ck_assert(n == 3 && !memcmp(buf, "cde", 3));
    /* count 0: nothing, the index at the start. */
    ck_assert_int_eq(rd(0, false, 0, false, NULL, &n, &end), 0);
    ck_assert(n == 0 && end == cons);
}
END_TEST

START_TEST(the_ring_keeps_its_last_bytes)
{
    static char pattern[RING + 100];
    uint32_t cons, prod, n, end, first;

    host_machine_reset();
    for (size_t i = 0; i < sizeof(pattern); i++)
        pattern[i] = (char)('A' + i % 23);
    extent(&cons, &first);
    console_log_put(pattern, sizeof(pattern));
    extent(&cons, &prod);
    ck_assert_uint_eq(prod - first, sizeof(pattern));
    ck_assert_uint_eq(prod - cons, RING);
    ck_assert(!memcmp(buf, pattern + 100, RING));
    /* An index older than the ring: from the oldest byte kept. */
    ck_assert_int_eq(rd(50, true, first + 10, false, buf, &n, &end), 0);
    ck_assert(n == 50 && end == cons + 50 && !memcmp(buf, pattern + 100, 50));
    /* In pieces across the wrap: the same bytes. */
    end = cons;
    for (uint32_t done = 0; done < RING; done += n) {
        ck_assert_int_eq(rd(1000, true, end, false, buf + done, &n, &end), 0);
        ck_assert_uint_gt(n, 0);
    }
    ck_assert(!memcmp(buf, pattern + 100, RING));
}
END_TEST

START_TEST(clear_moves_the_start_to_where_reading_stopped)
{
    uint32_t cons, prod, n, end;

    host_machine_reset();
    put("0123456789");
    extent(&cons, &prod);
    ck_assert_int_eq(rd(3, false, 0, true, buf, &n, &end), 0);
    ck_assert(n == 3 && !memcmp(buf, "012", 3));
    extent(&cons, &prod);
    ck_assert_uint_eq(end, cons);                  /* cleared up to there */
    ck_assert_int_eq(rd(sizeof(buf), false, 0, true, buf, &n, &end), 0);
    ck_assert_int_eq(rd(sizeof(buf), false, 0, false, buf, &n, &end), 0);
    ck_assert_uint_eq(n, 0);
    put("x");
    ck_assert_int_eq(rd(sizeof(buf), false, 0, false, buf, &n, &end), 0);
    ck_assert(n == 1 && buf[0] == 'x');
}
END_TEST

START_TEST(a_faulting_buffer_is_efault_and_answers_nothing)
{
    struct xen_sysctl_readconsole op = { .count = 5, .index = 77 };

    host_machine_reset();
    put("some bytes");
    /* A buffer whose bytes fault (host_mm.c's fault window). */
    host_fault_lo = (uint64_t)buf;
    host_fault_hi = (uint64_t)buf + sizeof(buf);
    set_xen_guest_handle(op.buffer, buf);
    ck_assert_int_eq(console_log_read(&op), -XEN_EFAULT);
    ck_assert(op.count == 5 && op.index == 77);
    host_fault_lo = host_fault_hi = 0;
    set_xen_guest_handle(op.buffer, (char *)0xffff830000000000UL);
    ck_assert_int_eq(console_log_read(&op), -XEN_EFAULT);
}
END_TEST

START_TEST(conring_size_without_memory_keeps_the_ring)
{
    uint32_t cons, prod, cons2, prod2;

    host_machine_reset();
    harness_log_reset();
    put("kept");
    extent(&cons, &prod);
    opt_conring_size = 1024 * 1024;      /* 256 frames: the machine has 4 free */
    console_log_init();
    ck_assert(harness_log_contains("no 1024 KiB free; the ring stays 16 KiB"));
    extent(&cons2, &prod2);
    ck_assert(cons2 == cons && prod2 == prod);
    opt_conring_size = 0;
    console_log_init();                  /* the boot size: nothing to do */
}
END_TEST

static Suite *console_log_suite(void)
{
    Suite *s = suite_create("console_log");
    TCase *tc = tcase_create("ring");

    tcase_add_test(tc, reads_whole_and_incremental);
    tcase_add_test(tc, the_ring_keeps_its_last_bytes);
    tcase_add_test(tc, clear_moves_the_start_to_where_reading_stopped);
    tcase_add_test(tc, a_faulting_buffer_is_efault_and_answers_nothing);
    tcase_add_test(tc, conring_size_without_memory_keeps_the_ring);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(console_log_suite());
}
