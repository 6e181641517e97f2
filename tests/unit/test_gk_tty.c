/* SPDX-License-Identifier: MIT */
/*
 * test_gk_tty.c - pvkernel's tty line discipline on the host: canonical
 *                 editing, erase/kill/werase, ^D, the signal characters,
 *                 ECHOCTL, raw mode, ICRNL/ONLCR.
 * Owns:    the fake terminal (what the line discipline echoes and writes
 *          is collected in `screen`, the signals it raises in `sigs`).
 * Touches: guest-kernel/kernel/tty_ldisc.c (compiled as it is).
 *
 * The expected echoes are Linux's n_tty (6.1) answers for the same
 * keystrokes on a default termios (stty sane), byte for byte.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <tty.h>

#include "gk_host.h"

static char screen[8192];
static size_t screen_len;
static int sigs[16];
static unsigned int nsigs;

static void fake_out(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    ck_assert(screen_len + len < sizeof(screen));
    memcpy(screen + screen_len, s, len);
    screen_len += len;
    screen[screen_len] = 0;
}

static void fake_signal(void *ctx, int sig)
{
    (void)ctx;
    ck_assert(nsigs < 16);
    sigs[nsigs++] = sig;
}

static const struct tty_ldisc_ops ops = { .out = fake_out, .signal = fake_signal };
static struct tty_ldisc ld;

static void setup(void)
{
    tty_ldisc_init(&ld, &ops, NULL);
    screen_len = 0;
    screen[0] = 0;
    nsigs = 0;
}

static void type(const char *s) { tty_ldisc_receive(&ld, s, strlen(s)); }

/* The next read of up to 64 bytes, as a string; *eof. */
static const char *rd(bool *eof)
{
    static char buf[TTY_BUF_SIZE + 1];
    size_t n = tty_ldisc_read(&ld, buf, 64, eof);

    buf[n] = 0;
    return buf;
}

static void expect_line(const char *want)
{
    bool eof;

    ck_assert(tty_ldisc_readable(&ld));
    ck_assert_str_eq(rd(&eof), want);
    ck_assert(!eof);
}

START_TEST(defaults_are_linux)
{
    const struct linux_termios *t = &ld.termios;

    /* Linux's tty_std_termios (drivers/tty/tty_io.c) and INIT_C_CC */
    ck_assert_uint_eq(t->c_iflag, 0x500);
    ck_assert_uint_eq(t->c_oflag, 0x5);
    ck_assert_uint_eq(t->c_cflag, 0x4bf);   /* B38400 CS8 CREAD HUPCL */
    ck_assert_uint_eq(t->c_lflag, 0x8a3b);
    ck_assert_uint_eq(t->c_cc[VINTR], 3);
    ck_assert_uint_eq(t->c_cc[VQUIT], 0x1c);
    ck_assert_uint_eq(t->c_cc[VERASE], 0x7f);
    ck_assert_uint_eq(t->c_cc[VKILL], 0x15);
    ck_assert_uint_eq(t->c_cc[VEOF], 4);
    ck_assert_uint_eq(t->c_cc[VMIN], 1);
    ck_assert_uint_eq(t->c_cc[VSUSP], 0x1a);
    ck_assert_uint_eq(t->c_cc[VREPRINT], 0x12);
    ck_assert_uint_eq(t->c_cc[VWERASE], 0x17);
    ck_assert_uint_eq(t->c_cc[VLNEXT], 0x16);
    ck_assert_uint_eq(sizeof(struct linux_termios), 36);
}
END_TEST

START_TEST(canonical_line_and_icrnl_onlcr)
{
    type("hel");
    ck_assert(!tty_ldisc_readable(&ld));    /* no line yet */
    type("lo\r");                           /* the serial's Enter: CR */
    ck_assert_str_eq(screen, "hello\r\n");  /* echo: NL out as CR NL */
    ck_assert_uint_eq(tty_ldisc_avail(&ld), 6);
    expect_line("hello\n");
    ck_assert(!tty_ldisc_readable(&ld));
    /* two lines queued: one per read */
    type("a\rb\r");
    expect_line("a\n");
    expect_line("b\n");
    /* writes: ONLCR */
    screen_len = 0;
    tty_ldisc_write(&ld, "x\ny\n", 4);
    ck_assert_str_eq(screen, "x\r\ny\r\n");
}
END_TEST

START_TEST(short_reads_keep_the_rest)
{
    char buf[4];
    bool eof;

    type("abcdef\r");
    ck_assert_uint_eq(tty_ldisc_read(&ld, buf, 4, &eof), 4);
    ck_assert(!memcmp(buf, "abcd", 4));
    expect_line("ef\n");
}
END_TEST

START_TEST(erase_kill_werase)
{
    type("abc\x7f" "d\r");
    ck_assert_str_eq(screen, "abc\b \bd\r\n");
    expect_line("abd\n");
    /* 0x08 is not VERASE: it is kept, echoed ^H */
    screen_len = 0;
    type("a\x08\r");
    ck_assert_str_eq(screen, "a^H\r\n");
    expect_line("a\x08\n");
    /* erasing a control character takes its two columns */
    screen_len = 0;
    type("x\x01\x7f\r");
    ck_assert_str_eq(screen, "x^A\b \b\b \b\r\n");
    expect_line("x\n");
    /* kill (ECHOKE): each character erased */
    screen_len = 0;
    type("ab\x15" "c\r");
    ck_assert_str_eq(screen, "ab\b \b\b \bc\r\n");
    expect_line("c\n");
    /* werase: back over non-alnums, then the word */
    screen_len = 0;
    type("foo bar  \x17" "x\r");
    expect_line("foo x\n");
    type("a-b\x17\r");
    expect_line("a-\n");
    /* erase on an empty line: nothing */
    screen_len = 0;
    type("\x7f\x15\x17");
    ck_assert_uint_eq(screen_len, 0);
    /* a tab goes back to where it started */
    screen_len = 0;
    type("ab\t\x7f\r");
    ck_assert_str_eq(screen, "ab\t\b\b\b\b\b\b\r\n");
    expect_line("ab\n");
    /* kill without ECHOKE: the kill character and a newline (ECHOK) */
    ld.termios.c_lflag &= ~ECHOKE;
    screen_len = 0;
    type("ab\x15" "c\r");
    ck_assert_str_eq(screen, "ab^U\r\nc\r\n");
    expect_line("c\n");
    /* erase without ECHOE: the erase character echoed */
    ld.termios.c_lflag &= ~ECHOE;
    screen_len = 0;
    type("ab\x7f\r");
    ck_assert_str_eq(screen, "ab^?\r\n");
    expect_line("a\n");
}
END_TEST

START_TEST(eof_cases)
{
    bool eof;

    /* ^D at the start of a line: read returns 0, end of file */
    type("\x04");
    ck_assert_uint_eq(screen_len, 0);       /* not echoed */
    ck_assert(tty_ldisc_readable(&ld));
    ck_assert_str_eq(rd(&eof), "");
    ck_assert(eof);
    ck_assert(!tty_ldisc_readable(&ld));
    /* mid-line: the partial line, no delimiter */
    type("abc\x04");
    ck_assert_uint_eq(tty_ldisc_avail(&ld), 3);
    ck_assert_str_eq(rd(&eof), "abc");
    ck_assert(!eof);
    ck_assert(!tty_ldisc_readable(&ld));
    /* then ^D again: end of file */
    type("\x04");
    ck_assert_str_eq(rd(&eof), "");
    ck_assert(eof);
    /* two in a row after a line: a line, then end of file */
    type("x\r\x04");
    expect_line("x\n");
    ck_assert_str_eq(rd(&eof), "");
    ck_assert(eof);
}
END_TEST

START_TEST(isig_and_echoctl)
{
    type("partial");
    screen_len = 0;
    type("\x03");
    ck_assert_str_eq(screen, "^C");
    ck_assert_uint_eq(nsigs, 1);
    ck_assert_int_eq(sigs[0], SIGINT);
    ck_assert(!tty_ldisc_readable(&ld));    /* the line was flushed */
    type("x\r");
    expect_line("x\n");
    type("\x1c");
    ck_assert_int_eq(sigs[1], SIGQUIT);
    screen_len = 0;
    type("\x1a");                           /* ^Z: SIGTSTP (kernel/tty.c ignores it) */
    ck_assert_str_eq(screen, "^Z");
    ck_assert_int_eq(sigs[2], SIGTSTP);
    /* NOFLSH keeps the line */
    ld.termios.c_lflag |= NOFLSH;
    type("keep\x03\r");
    expect_line("keep\n");
    /* without ISIG ^C is an ordinary character */
    ld.termios.c_lflag &= ~ISIG;
    nsigs = 0;
    type("\x03\r");
    ck_assert_uint_eq(nsigs, 0);
    expect_line("\x03\n");
    /* without ECHOCTL control characters echo as themselves */
    ld.termios.c_lflag &= ~ECHOCTL;
    screen_len = 0;
    type("\x01\r");
    ck_assert_str_eq(screen, "\x01\r\n");
    expect_line("\x01\n");
    /* no ECHO: nothing on the screen, ECHONL: just the newline */
    ld.termios.c_lflag &= ~ECHO;
    screen_len = 0;
    type("secret\r");
    ck_assert_uint_eq(screen_len, 0);
    expect_line("secret\n");
    ld.termios.c_lflag |= ECHONL;
    type("s\r");
    ck_assert_str_eq(screen, "\r\n");
    expect_line("s\n");
}
END_TEST

START_TEST(lnext_reprint_ixon)
{
    type("a\x16\x7f" "b\r");
    ck_assert_str_eq(screen, "a^\b^?b\r\n");
    expect_line("a\x7f" "b\n");
    screen_len = 0;
    type("ab\x12");
    ck_assert_str_eq(screen, "ab^R\r\nab");
    type("\x13\x11" "c\r");                 /* ^S ^Q swallowed by IXON */
    expect_line("abc\n");
    /* a cc of 0 is disabled: NUL is an ordinary byte */
    tty_ldisc_receive(&ld, "\0\r", 2);
    {
        bool eof;
        char buf[8];

        ck_assert_uint_eq(tty_ldisc_read(&ld, buf, 8, &eof), 2);
        ck_assert(buf[0] == 0 && buf[1] == '\n');
    }
}
END_TEST

START_TEST(raw_mode)
{
    struct linux_termios t = ld.termios;
    bool eof;

    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    tty_ldisc_set_termios(&ld, &t);
    type("a");
    ck_assert(tty_ldisc_readable(&ld));     /* at once, no line needed */
    ck_assert_str_eq(rd(&eof), "a");
    type("\x7f\x04\x15\r");                 /* no editing; ICRNL still */
    ck_assert_uint_eq(screen_len, 0);
    ck_assert_str_eq(rd(&eof), "\x7f\x04\x15\n");
    type("\x03");                           /* ISIG still */
    ck_assert_int_eq(sigs[0], SIGINT);
    /* raw with ECHO: Enter echoes a newline, a literal NL ^J */
    t.c_lflag |= ECHO;
    tty_ldisc_set_termios(&ld, &t);
    type("q\r\n");
    ck_assert_str_eq(screen, "q\r\n^J");
    ck_assert_uint_eq(tty_ldisc_avail(&ld), 3);
    rd(&eof);
    /* a partial line becomes readable when canonical mode is left */
    setup();
    type("par");
    ck_assert(!tty_ldisc_readable(&ld));
    tty_ldisc_set_termios(&ld, &t);
    ck_assert_str_eq(rd(&eof), "par");
    /* and raw bytes are one line when it is entered again */
    type("xy");
    t.c_lflag |= ICANON;
    tty_ldisc_set_termios(&ld, &t);
    ck_assert(tty_ldisc_readable(&ld));
    ck_assert_str_eq(rd(&eof), "xy");
    /* flush */
    type("zz\r");
    tty_ldisc_flush(&ld);
    ck_assert(!tty_ldisc_readable(&ld));
}
END_TEST

START_TEST(full_queue)
{
    static char big[TTY_BUF_SIZE + 100];
    size_t n;
    bool eof;
    char *buf = malloc(TTY_BUF_SIZE + 1);

    memset(big, 'x', sizeof(big));
    ld.termios.c_lflag &= ~ECHO;
    tty_ldisc_receive(&ld, big, sizeof(big));
    type("\r");                             /* the line's end still fits */
    n = tty_ldisc_read(&ld, buf, TTY_BUF_SIZE + 1, &eof);
    ck_assert_uint_eq(n, TTY_BUF_SIZE);
    ck_assert_int_eq(buf[n - 1], '\n');
    free(buf);
}
END_TEST

START_TEST(opost_variants)
{
    ld.termios.c_oflag = 0;                 /* no OPOST: bytes as they are */
    tty_ldisc_write(&ld, "a\nb", 3);
    ck_assert_str_eq(screen, "a\nb");
    screen_len = 0;
    ld.termios.c_oflag = OPOST | OCRNL;
    tty_ldisc_write(&ld, "a\rb\n", 4);
    ck_assert_str_eq(screen, "a\nb\n");
    screen_len = 0;
    ld.termios.c_oflag = OPOST | ONOCR | ONLCR;
    ld.column = 0;                          /* "b\n" above left it at 2 */
    tty_ldisc_write(&ld, "\rx\r", 3);       /* the first CR at column 0 dropped */
    ck_assert_str_eq(screen, "x\r");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gk_tty");
    TCase *t = tcase_create("all");

    tcase_add_checked_fixture(t, setup, NULL);
    tcase_add_test(t, defaults_are_linux);
    tcase_add_test(t, canonical_line_and_icrnl_onlcr);
    tcase_add_test(t, short_reads_keep_the_rest);
    tcase_add_test(t, erase_kill_werase);
    tcase_add_test(t, eof_cases);
    tcase_add_test(t, isig_and_echoctl);
    tcase_add_test(t, lnext_reprint_ixon);
    tcase_add_test(t, raw_mode);
    tcase_add_test(t, full_queue);
    tcase_add_test(t, opost_variants);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
