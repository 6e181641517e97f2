/* SPDX-License-Identifier: MIT */
/*
 * test_console.c - unit tests for hypervisor/common/console.c's input:
 * where each byte typed on the serial line goes.
 * Owns:    a fake UART (serial_getc from a string), and stand-ins that
 *          record: handle_keypress(), send_guest_global_virq(); dom0 (a
 *          struct domain of its own); the timer calls console.c makes.
 * Touches: nothing of the code under test.
 */
#include "harness.h"
#include "console.h"
#include "domain.h"
#include "event.h"
#include "keyhandler.h"
#include "time.h"
#include "timer.h"

static const char *uart;
static char keys[64];
static unsigned int nkeys, console_virqs;
static struct domain dom0;

bool serial_getc(char *c)
{
    if (!uart || !*uart)
        return false;
    *c = *uart++;
    return true;
}

void serial_init(void) {}
void serial_putc(char c) { (void)c; }

void handle_keypress(char key)
{
    ck_assert_uint_lt(nkeys, sizeof(keys));
    keys[nkeys++] = key;
}

void send_guest_global_virq(struct domain *d, unsigned int virq)
{
    ck_assert_ptr_eq(d, &dom0);
    ck_assert_uint_eq(virq, VIRQ_CONSOLE);
    console_virqs++;
}

struct domain *domain_by_id(domid_t id)
{
    return id == 0 ? &dom0 : NULL;
}

/* The log ring (console_log.c) is not this test's. */
void console_log_put(const char *s, size_t len) { (void)s; (void)len; }
uint64_t NOW(void) { return 0; }
void init_timer(struct timer *t, void (*fn)(void *), void *data) { (void)t; (void)fn; (void)data; }
void set_timer(struct timer *t, uint64_t expires) { (void)t; (void)expires; }

/* Type s; return what dom0 can read. */
static const char *type(const char *s)
{
    static char got[64];
    size_t n;

    uart = s;
    console_poll_input();
    n = console_read(got, sizeof(got) - 1);
    got[n] = '\0';
    return got;
}

START_TEST(input_goes_to_dom0_with_its_virq)
{
    ck_assert_str_eq(type("ls\n"), "ls\n");
    ck_assert_uint_eq(console_virqs, 1);            /* once per poll */
    ck_assert_uint_eq(nkeys, 0);
    ck_assert_str_eq(type(""), "");
    ck_assert_uint_eq(console_virqs, 1);            /* nothing: no VIRQ */
}
END_TEST

START_TEST(three_ctrl_a_switch_to_the_keys_and_back)
{
    ck_assert_str_eq(type("\001\001\001hq"), "");
    ck_assert_uint_eq(nkeys, 2);
    ck_assert(keys[0] == 'h' && keys[1] == 'q');
    ck_assert_uint_eq(console_virqs, 0);
    ck_assert_str_eq(type("\001\001\001x"), "x");   /* back to dom0 */
    ck_assert_uint_eq(nkeys, 2);
    ck_assert_uint_eq(console_virqs, 1);
}
END_TEST

/* Fewer than three are passed on, as Xen: an editor's Ctrl-A still works. */
START_TEST(one_or_two_ctrl_a_are_passed_on)
{
    ck_assert_str_eq(type("\001b\001\001c"), "\001b\001\001c");
    ck_assert_uint_eq(nkeys, 0);
    /* split across polls: the count carries over */
    ck_assert_str_eq(type("\001\001"), "");
    ck_assert_str_eq(type("\001p"), "");
    ck_assert_uint_eq(nkeys, 1);
    ck_assert(keys[0] == 'p');
}
END_TEST

START_TEST(a_full_ring_drops_input_and_loses_nothing_else)
{
    char buf[CONSOLE_IN_RING + 16];
    char got[CONSOLE_IN_RING + 16];

    memset(buf, 'z', sizeof(buf) - 1);
    buf[sizeof(buf) - 1] = '\0';
    uart = buf;
    ck_assert_uint_eq(console_poll_input(), sizeof(buf) - 1);
    ck_assert_uint_eq(console_read(got, sizeof(got)), CONSOLE_IN_RING);
}
END_TEST

static Suite *console_suite(void)
{
    Suite *s = suite_create("console");
    TCase *tc = tcase_create("input");

    tcase_add_test(tc, input_goes_to_dom0_with_its_virq);
    tcase_add_test(tc, three_ctrl_a_switch_to_the_keys_and_back);
    tcase_add_test(tc, one_or_two_ctrl_a_are_passed_on);
    tcase_add_test(tc, a_full_ring_drops_input_and_loses_nothing_else);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return harness_main(console_suite());
}
