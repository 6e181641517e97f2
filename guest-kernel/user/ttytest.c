/* SPDX-License-Identifier: MIT */
/*
 * ttytest.c - /bin/ttytest: the console as a tty, and poll/select.
 * Owns:    its checks; prints
 *            ttytest: ok NAME | ttytest: FAIL NAME (details)
 *            ttytest: N checks, M failed     (exit status M)
 * Touches: the console (fds 0-2, /dev/console) and pipes, through the
 *          system calls only.
 *
 * `ttytest` alone needs no input (tests/boot: user-ttytest, and Xen 4.17
 * through run-xen.sh): termios, window size, the controlling terminal
 * and foreground group, FIONREAD/TCFLSH/TCXONC/TIOCOUTQ, -ENOTTY off a
 * tty, raw reads with VMIN/VTIME, O_NONBLOCK, and poll, select, ppoll,
 * pselect6 on pipes and the console (timeouts, POLLHUP, POLLERR,
 * POLLNVAL, nfds limits, the time left written back, waking on another
 * process's write, a kill ending a wait).
 * `ttytest read` is driven by typed input (tests/boot: tty-session): it
 * prints "ttytest: ready N" before each read of the console and
 *            ttytest: got 'TEXT' (N bytes) | ttytest: got EOF
 * for what it read (control bytes as \xHH), N times; then "ttytest:
 * child reading", a child blocked in read that ^C must kill
 * ("ttytest: child killed by signal 2"); then reads with a SIGINT
 * handler, with SA_RESTART (^C, then a line: the read restarted and
 * returns the line) and without (^C: EINTR); then a raw-mode read of 3
 * bytes with echo off ("ttytest: raw 'abc'").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PROG "ttytest"
#include "check.h"


static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The raw ioctl (musl's tcsetattr & co. would hide the numbers). */
static long io(int fd, unsigned long cmd, void *arg)
{
    long rc = syscall(SYS_ioctl, fd, cmd, arg);

    return rc < 0 ? -errno : rc;
}

/* struct termios as the kernel has it (musl's is the same layout plus
 * the speeds at the end). */
struct ktermios {
    unsigned int c_iflag, c_oflag, c_cflag, c_lflag;
    unsigned char c_line, c_cc[19];
};

static void test_termios(void)
{
    struct ktermios t, saved, raw;
    long rc = io(0, TCGETS, &t);

    check(rc == 0, "TCGETS on fd 0", "rc %ld%.0ld", rc, 0);
    /* Linux's defaults (tty_std_termios): 500:5:4bf:8a3b */
    check(t.c_iflag == 0x500 && t.c_oflag == 5 && t.c_cflag == 0x4bf && t.c_lflag == 0x8a3b,
          "termios flags are Linux's defaults", "iflag %lx lflag %lx", t.c_iflag, t.c_lflag);
    check(t.c_cc[VINTR] == 3 && t.c_cc[VQUIT] == 0x1c && t.c_cc[VERASE] == 0x7f &&
          t.c_cc[VKILL] == 0x15 && t.c_cc[VEOF] == 4 && t.c_cc[VMIN] == 1 &&
          t.c_cc[VSUSP] == 0x1a && t.c_cc[VWERASE] == 0x17 && t.c_cc[VLNEXT] == 0x16 &&
          t.c_cc[VREPRINT] == 0x12, "c_cc: ^C ^\\ DEL ^U ^D, VMIN 1, ^Z ^W ^V ^R",
          "VERASE %lx VEOF %lx", t.c_cc[VERASE], t.c_cc[VEOF]);
    saved = t;
    raw = t;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    rc = io(0, TCSETS, &raw);
    memset(&t, 0, sizeof(t));
    io(1, TCGETS, &t);                  /* the same tty through fd 1 */
    check(rc == 0 && !(t.c_lflag & ICANON) && t.c_cc[VMIN] == 0,
          "TCSETS: raw mode seen through another descriptor", "rc %ld lflag %lx", rc,
          t.c_lflag);
    {
        char c;
        long t0 = now_ms(), n = read(0, &c, 1);

        check(n == 0 && now_ms() - t0 < 100, "raw VMIN=0 VTIME=0: read returns 0 at once",
              "n %ld after %ld ms", n, now_ms() - t0);
        raw.c_cc[VTIME] = 2;
        io(0, TCSETSW, &raw);
        t0 = now_ms();
        n = read(0, &c, 1);
        check(n == 0 && now_ms() - t0 >= 200 && now_ms() - t0 < 1000,
              "raw VMIN=0 VTIME=2: read returns 0 after 200 ms", "n %ld after %ld ms", n,
              now_ms() - t0);
    }
    rc = io(0, TCSETSF, &saved);
    io(0, TCGETS, &t);
    check(rc == 0 && !memcmp(&t, &saved, sizeof(t)), "TCSETSF: the defaults back",
          "rc %ld lflag %lx", rc, t.c_lflag);
    rc = io(0, TCSETS, (void *)16);
    check(rc == -EFAULT, "TCSETS from a bad address: EFAULT", "rc %ld%.0ld", rc, 0);
}

static void test_winsize_and_misc(void)
{
    struct winsize ws, big = { .ws_row = 50, .ws_col = 132 };
    int n = -1, fds[2];
    long rc;

    rc = io(1, TIOCGWINSZ, &ws);
    check(rc == 0 && ws.ws_row == 24 && ws.ws_col == 80, "TIOCGWINSZ: 80x24",
          "%ld rows %ld", rc, ws.ws_row);
    rc = io(1, TIOCSWINSZ, &big);
    io(2, TIOCGWINSZ, &ws);
    check(rc == 0 && ws.ws_row == 50 && ws.ws_col == 132, "TIOCSWINSZ: 132x50 kept",
          "%ld cols %ld", rc, ws.ws_col);
    big.ws_row = 24;
    big.ws_col = 80;
    io(1, TIOCSWINSZ, &big);
    rc = io(0, FIONREAD, &n);
    check(rc == 0 && n == 0, "FIONREAD on the console: 0", "%ld n %ld", rc, n);
    rc = io(0, TIOCOUTQ, &n);
    check(rc == 0 && n == 0, "TIOCOUTQ: 0", "%ld n %ld", rc, n);
    check(io(0, TCFLSH, (void *)TCIFLUSH) == 0 && io(0, TCFLSH, (void *)TCIOFLUSH) == 0,
          "TCFLSH TCIFLUSH, TCIOFLUSH", "%ld%.0ld", 0, 0);
    rc = io(0, TCFLSH, (void *)7);
    check(rc == -EINVAL, "TCFLSH 7: EINVAL", "%ld%.0ld", rc, 0);
    check(io(1, TCXONC, (void *)TCOON) == 0, "TCXONC TCOON accepted", "%ld%.0ld", 0, 0);
    pipe(fds);
    write(fds[1], "hello", 5);
    rc = io(fds[0], FIONREAD, &n);
    check(rc == 0 && n == 5, "FIONREAD on a pipe: 5", "%ld n %ld", rc, n);
    rc = io(fds[0], TCGETS, &ws);
    check(rc == -ENOTTY, "TCGETS on a pipe: ENOTTY", "%ld%.0ld", rc, 0);
    close(fds[0]);
    close(fds[1]);
    {
        int fd = open("/dev/null", O_RDWR), ffd = open("/etc/motd", O_RDONLY);
        struct ktermios t;

        rc = io(fd, TCGETS, &t);
        check(rc == -ENOTTY, "TCGETS on /dev/null: ENOTTY", "%ld%.0ld", rc, 0);
        rc = io(ffd, TIOCGPGRP, &n);
        check(rc == -ENOTTY, "TIOCGPGRP on a file: ENOTTY", "%ld%.0ld", rc, 0);
        rc = io(ffd, 0x5401 + 0x1000, &n);
        check(rc == -ENOTTY, "an unknown ioctl: ENOTTY", "%ld%.0ld", rc, 0);
        close(fd);
        close(ffd);
        rc = io(fd, TCGETS, &t);
        check(rc == -EBADF, "TCGETS on a closed fd: EBADF", "%ld%.0ld", rc, 0);
        fd = open("/dev/console", O_RDWR | O_NOCTTY);
        rc = io(fd, TCGETS, &t);
        check(fd >= 0 && rc == 0 && t.c_lflag == 0x8a3b, "TCGETS on /dev/console",
              "fd %ld rc %ld", fd, rc);
        close(fd);
    }
}

static void test_ctty(void)
{
    int pgrp = -1, sid = -1, status, hold[2];
    long rc = io(0, TIOCGPGRP, &pgrp);
    pid_t pid;

    /* As Linux: init's console is not its controlling terminal. */
    check(rc == -ENOTTY, "TIOCGPGRP before any TIOCSCTTY: ENOTTY", "rc %ld%.0ld", rc, 0);
    rc = io(0, TIOCGSID, &sid);
    check(rc == -ENOTTY, "TIOCGSID before any TIOCSCTTY: ENOTTY", "rc %ld%.0ld", rc, 0);
    rc = io(0, TIOCSCTTY, 0);
    check(rc == 0, "TIOCSCTTY 0 by init, a session leader: the console is ours",
          "rc %ld%.0ld", rc, 0);
    rc = io(0, TIOCGPGRP, &pgrp);
    check(rc == 0 && pgrp == getpgrp(), "TIOCGPGRP: our group is in the foreground",
          "rc %ld pgrp %ld", rc, pgrp);
    rc = io(0, TIOCGSID, &sid);
    check(rc == 0 && sid == getsid(0), "TIOCGSID: our session", "rc %ld sid %ld", rc, sid);
    pgrp = getpgrp();
    rc = io(0, TIOCSPGRP, &pgrp);
    check(rc == 0, "TIOCSPGRP to our own group", "rc %ld%.0ld", rc, 0);
    pgrp = -1;
    rc = io(0, TIOCSPGRP, &pgrp);
    check(rc == -EINVAL, "TIOCSPGRP -1: EINVAL", "rc %ld%.0ld", rc, 0);
    pgrp = 30000;
    rc = io(0, TIOCSPGRP, &pgrp);
    check(rc == -ESRCH, "TIOCSPGRP to no group: ESRCH", "rc %ld%.0ld", rc, 0);
    rc = io(0, TIOCSCTTY, 0);
    check(rc == 0, "TIOCSCTTY by the leader that has it: 0", "rc %ld%.0ld", rc, 0);

    /* A child in a new group of ours: foreground, then back. */
    pipe(hold);
    pid = fork();
    if (!pid) {
        char c;

        setpgid(0, 0);
        read(hold[0], &c, 1);           /* until killed */
        _exit(0);
    }
    setpgid(pid, pid);
    pgrp = pid;
    rc = io(0, TIOCSPGRP, &pgrp);
    pgrp = -1;
    io(0, TIOCGPGRP, &pgrp);
    check(rc == 0 && pgrp == pid, "TIOCSPGRP to a child's group", "rc %ld pgrp %ld", rc, pgrp);
    pgrp = getpgrp();
    io(0, TIOCSPGRP, &pgrp);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    close(hold[0]);
    close(hold[1]);

    /* A new session: not its terminal until it takes it. */
    pid = fork();
    if (!pid) {
        int code = 0, v = -1;

        setsid();
        if (io(0, TIOCGPGRP, &v) != -ENOTTY)
            code |= 1;
        v = getpid();
        if (io(0, TIOCSPGRP, &v) != -ENOTTY)
            code |= 2;
        if (io(0, TIOCSCTTY, 0) != -EPERM)      /* another session has it */
            code |= 4;
        if (io(0, TIOCSCTTY, (void *)1) != 0)   /* root may take it */
            code |= 8;
        if (io(0, TIOCGSID, &v) != 0 || v != getpid())
            code |= 16;
        _exit(code);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a new session: ENOTTY, EPERM, then TIOCSCTTY 1 takes the console",
          "status %lx%.0ld", status, 0);
    rc = io(0, TIOCGPGRP, &pgrp);
    check(rc == -ENOTTY, "... so ours is gone: TIOCGPGRP ENOTTY", "rc %ld%.0ld", rc, 0);
    rc = io(0, TIOCSCTTY, 0);
    io(0, TIOCGPGRP, &pgrp);
    check(rc == 0 && pgrp == getpgrp(),
          "its leader gone, TIOCSCTTY 0 takes it back", "rc %ld pgrp %ld", rc, pgrp);
}

static void test_nonblock_read(void)
{
    int fd = open("/dev/console", O_RDONLY | O_NONBLOCK | O_NOCTTY);
    char c;
    long n = read(fd, &c, 1);

    check(n == -1 && errno == EAGAIN, "O_NONBLOCK read of the console: EAGAIN",
          "n %ld errno %ld", n, errno);
    close(fd);
}

static volatile int got_usr1;

static void on_usr1(int sig)
{
    (void)sig;
    got_usr1 = 1;
}

static void test_poll(void)
{
    int fds[2], status;
    struct pollfd p[4];
    long n, t0;
    pid_t pid;

    pipe(fds);
    p[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
    p[1] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
    n = poll(p, 2, 0);
    check(n == 1 && p[0].revents == 0 && p[1].revents == POLLOUT,
          "poll: an empty pipe is writable, not readable", "n %ld revents %lx", n,
          p[0].revents);
    write(fds[1], "x", 1);
    n = poll(p, 2, 0);
    check(n == 2 && p[0].revents == POLLIN, "poll: POLLIN once a byte is in",
          "n %ld revents %lx", n, p[0].revents);
    p[0].events = POLLIN | POLLRDNORM;
    poll(p, 1, 0);
    check(p[0].revents == (POLLIN | POLLRDNORM), "poll: POLLRDNORM too when asked",
          "revents %lx%.0ld", p[0].revents, 0);
    close(fds[1]);
    p[0].events = POLLIN;
    n = poll(p, 1, 0);
    check(n == 1 && p[0].revents == (POLLIN | POLLHUP),
          "poll: no writer left: POLLHUP with the data", "n %ld revents %lx", n, p[0].revents);
    p[0].events = 0;
    poll(p, 1, 0);
    check(p[0].revents == POLLHUP, "poll: POLLHUP even when not asked",
          "revents %lx%.0ld", p[0].revents, 0);
    close(fds[0]);
    pipe(fds);
    close(fds[0]);
    p[0] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
    n = poll(p, 1, 0);
    check(n == 1 && p[0].revents == (POLLOUT | POLLERR), "poll: no reader left: POLLERR",
          "n %ld revents %lx", n, p[0].revents);
    close(fds[1]);

    /* A full pipe is not writable. */
    pipe(fds);
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    while (write(fds[1], "0123456789abcdef", 16) == 16)
        ;
    p[0] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
    n = poll(p, 1, 0);
    check(n == 0, "poll: a full pipe is not writable", "n %ld revents %lx", n, p[0].revents);
    close(fds[0]);
    close(fds[1]);

    /* Bad descriptors, negative ones, the console. */
    p[0] = (struct pollfd){ .fd = 25, .events = POLLIN };
    p[1] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 7 };
    p[2] = (struct pollfd){ .fd = 1, .events = POLLOUT };
    p[3] = (struct pollfd){ .fd = open("/dev/null", O_RDONLY), .events = POLLIN | POLLOUT };
    n = poll(p, 4, 0);
    check(n == 3 && p[0].revents == POLLNVAL && p[1].revents == 0 && p[2].revents == POLLOUT &&
          p[3].revents == (POLLIN | POLLOUT),
          "poll: POLLNVAL, fd -1 skipped, the console writable, /dev/null ready",
          "n %ld revents %lx", n, p[0].revents);
    close(p[3].fd);
    p[0] = (struct pollfd){ .fd = 0, .events = POLLIN };
    t0 = now_ms();
    n = poll(p, 1, 150);
    check(n == 0 && now_ms() - t0 >= 150 && now_ms() - t0 < 1000,
          "poll: the console without input times out after 150 ms", "n %ld after %ld ms",
          n, now_ms() - t0);
    errno = 0;
    n = syscall(SYS_poll, p, 1025, 0);
    check(n == -1 && errno == EINVAL, "poll: nfds 1025 > RLIMIT_NOFILE: EINVAL",
          "n %ld errno %ld", n, errno);
    n = syscall(SYS_poll, (void *)16, 1, 0);
    check(n == -1 && errno == EFAULT, "poll: a bad array: EFAULT", "n %ld errno %ld", n, errno);
    n = poll(NULL, 0, 50);
    check(n == 0, "poll: no descriptors, 50 ms: a sleep", "n %ld%.0ld", n, 0);

    /* Woken by another process's write. */
    pipe(fds);
    pid = fork();
    if (!pid) {
        sleep_ms(100);
        write(fds[1], "y", 1);
        _exit(0);
    }
    p[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
    t0 = now_ms();
    n = poll(p, 1, -1);
    check(n == 1 && p[0].revents == POLLIN && now_ms() - t0 >= 90,
          "poll: woken by a child's write 100 ms later", "n %ld after %ld ms", n,
          now_ms() - t0);
    waitpid(pid, &status, 0);

    /* A handler ends a waiting poll with EINTR, SA_RESTART or not. */
    read(fds[0], &n, 1);
    {
        struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
        pid_t parent = getpid();

        sigaction(SIGUSR1, &sa, NULL);
        pid = fork();
        if (!pid) {
            sleep_ms(100);
            kill(parent, SIGUSR1);
            _exit(0);
        }
        errno = 0;
        n = poll(p, 1, 5000);
        check(n == -1 && errno == EINTR && got_usr1,
              "poll: a signal's handler (SA_RESTART) ends it with EINTR", "n %ld errno %ld",
              n, errno);
        waitpid(pid, &status, 0);
        sa.sa_handler = SIG_DFL;
        sigaction(SIGUSR1, &sa, NULL);
    }

    /* A kill ends a waiting poll. */
    pid = fork();
    if (!pid) {
        poll(p, 1, -1);
        poll(p, 1, -1);
        _exit(0);
    }
    close(fds[1]);
    sleep_ms(50);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "poll: SIGKILL ends a waiting poll", "status %lx%.0ld", status, 0);
    close(fds[0]);
}

static void test_ppoll(void)
{
    struct pollfd p = { .fd = 0, .events = POLLIN };
    struct timespec ts = { 0, 120 * 1000000L };
    sigset_t mask;
    long n, t0 = now_ms();

    /* The raw call: musl passes a copy of the timespec. */
    n = syscall(SYS_ppoll, &p, 1, &ts, NULL, 8);
    check(n == 0 && now_ms() - t0 >= 120 && ts.tv_sec == 0 && ts.tv_nsec == 0,
          "ppoll: 120 ms timeout, the time left (0) written back", "n %ld nsec %ld", n,
          ts.tv_nsec);
    p.fd = 1;
    p.events = POLLOUT;
    ts.tv_sec = 5;
    sigemptyset(&mask);
    n = syscall(SYS_ppoll, &p, 1, &ts, &mask, 8);
    check(n == 1 && ts.tv_sec == 4 && ts.tv_nsec > 0,
          "ppoll: ready at once, the time left just under 5 s",
          "n %ld sec %ld", n, ts.tv_sec);
    ts.tv_nsec = 1000000000L;
    errno = 0;
    n = ppoll(&p, 1, &ts, NULL);
    check(n == -1 && errno == EINVAL, "ppoll: tv_nsec 1e9: EINVAL", "n %ld errno %ld", n, errno);
    ts.tv_nsec = 0;
    n = syscall(SYS_ppoll, &p, 1, &ts, &mask, 4);
    check(n == -1 && errno == EINVAL, "ppoll: a sigset size of 4: EINVAL", "n %ld errno %ld",
          n, errno);
}

static void test_select(void)
{
    fd_set r, w, e;
    struct timeval tv;
    struct timespec ts;
    int fds[2];
    long n, t0;

    pipe(fds);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(fds[0], &r);
    FD_SET(fds[1], &w);
    tv = (struct timeval){ 0, 0 };
    n = select(fds[1] + 1, &r, &w, NULL, &tv);
    check(n == 1 && !FD_ISSET(fds[0], &r) && FD_ISSET(fds[1], &w),
          "select: an empty pipe: writable only", "n %ld%.0ld", n, 0);
    write(fds[1], "z", 1);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(fds[0], &r);
    FD_SET(fds[1], &w);
    FD_SET(fds[0], &w);                 /* a read end is never writable */
    n = select(fds[1] + 1, &r, &w, NULL, NULL);
    check(n == 2 && FD_ISSET(fds[0], &r) && FD_ISSET(fds[1], &w) && !FD_ISSET(fds[0], &w),
          "select: readable and writable, counted per bit", "n %ld%.0ld", n, 0);
    read(fds[0], &n, 1);
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    tv = (struct timeval){ 0, 150000 };
    t0 = now_ms();
    n = syscall(SYS_select, fds[0] + 1, &r, NULL, NULL, &tv);  /* musl's copies tv */
    check(n == 0 && !FD_ISSET(fds[0], &r) && now_ms() - t0 >= 150 && tv.tv_sec == 0 &&
          tv.tv_usec == 0, "select: 150 ms timeout clears the set, the time left 0",
          "n %ld after %ld ms", n, now_ms() - t0);
    FD_ZERO(&w);
    FD_SET(1, &w);
    tv = (struct timeval){ 3, 0 };
    n = syscall(SYS_select, 2, NULL, &w, NULL, &tv);
    check(n == 1 && FD_ISSET(1, &w) && tv.tv_sec == 2 && tv.tv_usec > 0,
          "select: the console is writable, "
          "time left written back", "n %ld sec %ld", n, tv.tv_sec);
    FD_ZERO(&r);
    FD_SET(20, &r);
    errno = 0;
    n = select(21, &r, NULL, NULL, NULL);
    check(n == -1 && errno == EBADF, "select: a closed descriptor: EBADF", "n %ld errno %ld",
          n, errno);
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    FD_ZERO(&e);
    FD_SET(fds[0], &e);
    errno = 0;
    n = select(-1, &r, NULL, NULL, NULL);
    check(n == -1 && errno == EINVAL, "select: nfds -1: EINVAL", "n %ld errno %ld", n, errno);
    tv = (struct timeval){ -1, 0 };
    n = select(1, NULL, NULL, NULL, &tv);
    check(n == -1 && errno == EINVAL, "select: a negative timeout: EINVAL", "n %ld errno %ld",
          n, errno);
    tv = (struct timeval){ 0, 0 };
    n = select(fds[0] + 1, &r, NULL, &e, &tv);
    check(n == 0 && !FD_ISSET(fds[0], &e), "select: no exceptional condition on a pipe",
          "n %ld%.0ld", n, 0);
    close(fds[1]);
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    n = select(fds[0] + 1, &r, NULL, NULL, NULL);
    check(n == 1 && FD_ISSET(fds[0], &r), "select: no writer left: readable (end of file)",
          "n %ld%.0ld", n, 0);
    /* pselect6 */
    FD_ZERO(&r);
    FD_SET(0, &r);
    ts = (struct timespec){ 0, 100 * 1000000L };
    t0 = now_ms();
    n = pselect(1, &r, NULL, NULL, &ts, NULL);
    check(n == 0 && now_ms() - t0 >= 100, "pselect6: the console without input, 100 ms",
          "n %ld after %ld ms", n, now_ms() - t0);
    FD_ZERO(&r);
    FD_SET(fds[0], &r);
    n = pselect(fds[0] + 1, &r, NULL, NULL, NULL, NULL);
    check(n == 1 && FD_ISSET(fds[0], &r), "pselect6: no timeout, ready", "n %ld%.0ld", n, 0);
    close(fds[0]);
}

/* ---- `ttytest read N`: driven by typed input ---- */

static void show(const char *buf, long n)
{
    char out[512];
    long i, o = 0;

    for (i = 0; i < n && o < (long)sizeof(out) - 5; i++) {
        unsigned char c = (unsigned char)buf[i];

        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[o++] = (char)c;
        else
            o += sprintf(out + o, "\\x%02x", c);
    }
    out[o] = 0;
    printf("ttytest: got '%s' (%ld bytes)\n", out, n);
}

static int read_session(int lines)
{
    struct termios saved, raw;
    char buf[256];
    int i, status;
    long n;
    pid_t pid;

    ioctl(0, TIOCSCTTY, 0);     /* the foreground: ^C reaches the child */
    for (i = 0; i < lines; i++) {
        printf("ttytest: ready %d\n", i);
        n = read(0, buf, sizeof(buf));
        if (n == 0)
            printf("ttytest: got EOF\n");
        else if (n < 0)
            printf("ttytest: read failed: %s\n", strerror(errno));
        else
            show(buf, n);
    }
    pid = fork();
    if (!pid) {
        printf("ttytest: child reading\n");
        n = read(0, buf, sizeof(buf));
        printf("ttytest: child read returned %ld\n", n);
        _exit(3);
    }
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        printf("ttytest: child killed by signal %d\n", WTERMSIG(status));
    else
        printf("ttytest: child exited %d\n", WEXITSTATUS(status));
    /* ^C with a handler: SA_RESTART restarts the read, without it EINTR. */
    {
        struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };

        got_usr1 = 0;
        sigaction(SIGINT, &sa, NULL);
        printf("ttytest: restart reading\n");
        n = read(0, buf, sizeof(buf));
        printf("ttytest: after the handler (%d) read %ld bytes\n", got_usr1, n);
        sa.sa_flags = 0;
        got_usr1 = 0;
        sigaction(SIGINT, &sa, NULL);
        printf("ttytest: eintr reading\n");
        n = read(0, buf, sizeof(buf));
        printf("ttytest: after the handler (%d) read %ld (%s)\n", got_usr1, n,
               n < 0 ? strerror(errno) : "-");
        sa.sa_handler = SIG_DFL;
        sigaction(SIGINT, &sa, NULL);
    }
    tcgetattr(0, &saved);
    raw = saved;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 3;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &raw);
    printf("ttytest: raw ready\n");
    n = 0;
    while (n < 3) {
        long k = read(0, buf + n, sizeof(buf) - n);

        if (k <= 0)
            break;
        n += k;
    }
    tcsetattr(0, TCSANOW, &saved);
    buf[n > 0 ? n : 0] = 0;
    printf("ttytest: raw '%s'\n", buf);
    printf("ttytest: session done\n");
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "read"))
        return read_session(argc > 2 ? atoi(argv[2]) : 4);
    test_termios();
    test_winsize_and_misc();
    test_ctty();
    test_nonblock_read();
    test_poll();
    test_ppoll();
    test_select();
    return check_report();
}
