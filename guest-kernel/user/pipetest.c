/* SPDX-License-Identifier: MIT */
/*
 * pipetest.c - /bin/pipetest: pipes between processes on pvkernel, run as
 *              init (pid 1) by the boot test user-pipetest.
 * Owns:    the checks of pipe and pipe2: parent to child, end of file,
 *          EPIPE and SIGPIPE, a full pipe blocking its writer, O_NONBLOCK,
 *          O_CLOEXEC, atomic PIPE_BUF writes from two writers, a pipe on
 *          stdout across execve, a killed sleeper, and the frame count
 *          across 20 pipes; one line each:
 *            pipetest: ok NAME | pipetest: FAIL NAME (why)
 *            pipetest: N checks, M failed     (exit status M)
 * Touches: the system calls, through musl.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PROG "pipetest"
#include "check.h"

#define RING (64 * 1024)
#define RECORD 4096
#define RECORDS 64


/* Read until len bytes or end of file; the bytes read. */
static long read_full(int fd, char *buf, long len)
{
    long done = 0, n;

    while (done < len && (n = read(fd, buf + done, len - done)) > 0)
        done += n;
    return done;
}

static void test_basic(void)
{
    int fds[2], status;
    char buf[64];
    struct stat st;
    long n;
    pid_t pid;

    check(pipe(fds) == 0 && fds[0] >= 0 && fds[1] > fds[0], "pipe() gives two descriptors",
          "errno %ld%ld", errno, 0);
    check(fstat(fds[0], &st) == 0 && S_ISFIFO(st.st_mode), "fstat: S_IFIFO",
          "mode %#lo%ld", (long)st.st_mode, 0);
    check(lseek(fds[0], 0, SEEK_SET) == -1 && errno == ESPIPE, "lseek: ESPIPE",
          "errno %ld%ld", errno, 0);
    check(write(fds[0], "x", 1) == -1 && errno == EBADF, "write to the read end: EBADF",
          "errno %ld%ld", errno, 0);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        write(fds[1], "hello, ", 7);
        sleep_ms(20);                   /* the parent waits in read meanwhile */
        write(fds[1], "parent", 6);
        _exit(0);
    }
    close(fds[1]);
    n = read_full(fds[0], buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = 0;
    check(n == 13 && !strcmp(buf, "hello, parent"), "child to parent through a pipe",
          "%ld bytes%ld", n, 0);
    check(read(fds[0], buf, 1) == 0, "end of file once every writer closed", "%ld%ld", 0, 0);
    waitpid(pid, &status, 0);
    close(fds[0]);
}

static void test_epipe(void)
{
    int fds[2], status = 0;
    pid_t pid;

    pipe(fds);
    close(fds[0]);
    pid = fork();
    if (pid == 0) {
        write(fds[1], "x", 1);
        _exit(99);                      /* not reached: SIGPIPE ends it */
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
          "a write with no reader: the writer killed by SIGPIPE (13)", "status %#lx%ld",
          status, 0);
    /* pid 1 is not killed by a signal it has no handler for: EPIPE. */
    check(write(fds[1], "x", 1) == -1 && errno == EPIPE, "init gets EPIPE",
          "errno %ld%ld", errno, 0);
    close(fds[1]);
}

static void test_full(void)
{
    int data[2], note[2], status;
    static char buf[RING + RECORD];
    char c = 0;
    long n;
    pid_t pid;

    pipe(data);
    pipe2(note, O_NONBLOCK);
    pid = fork();
    if (pid == 0) {
        memset(buf, 'f', sizeof(buf));
        close(data[0]);
        n = write(data[1], buf, RING);          /* fills the ring */
        n += write(data[1], buf, RECORD);       /* waits for room */
        write(note[1], n == RING + RECORD ? "D" : "E", 1);
        _exit(0);
    }
    close(data[1]);
    close(note[1]);
    sleep_ms(100);
    check(read(note[0], &c, 1) == -1 && errno == EAGAIN,
          "a full pipe: the writer waits (nothing to note after 100 ms)", "errno %ld%ld",
          errno, 0);
    n = read_full(data[0], buf, RECORD);
    sleep_ms(50);
    check(n == RECORD && read(note[0], &c, 1) == 1 && c == 'D',
          "... and goes on once the reader drained 4096 bytes", "%ld bytes, note %ld", n, c);
    n = read_full(data[0], buf, sizeof(buf));
    check(n == RING, "... all 69632 bytes came", "%ld%ld", n + RECORD, 0);
    waitpid(pid, &status, 0);
    close(data[0]);
    close(note[0]);
}

static void test_nonblock(void)
{
    int fds[2], n = 0, fl, fd;
    char buf[RECORD];

    check(pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0, "pipe2(O_NONBLOCK | O_CLOEXEC)",
          "errno %ld%ld", errno, 0);
    fl = fcntl(fds[0], F_GETFL);
    fd = fcntl(fds[1], F_GETFD);
    check((fl & O_NONBLOCK) && (fl & O_ACCMODE) == O_RDONLY && fd == FD_CLOEXEC,
          "F_GETFL O_NONBLOCK|O_RDONLY, F_GETFD FD_CLOEXEC", "fl %#lx fd %ld", fl, fd);
    check(read(fds[0], buf, 1) == -1 && errno == EAGAIN, "O_NONBLOCK read of an empty pipe: EAGAIN",
          "errno %ld%ld", errno, 0);
    memset(buf, 'n', sizeof(buf));
    while (n < 100 && write(fds[1], buf, RECORD) == RECORD)
        n++;
    check(n == RING / RECORD && errno == EAGAIN,
          "O_NONBLOCK writes: 16 x 4096 bytes, then EAGAIN", "%ld writes, errno %ld", n, errno);
    check(write(fds[1], buf, 1) == -1 && errno == EAGAIN, "... even of one byte",
          "errno %ld%ld", errno, 0);
    check(pipe2(fds, O_APPEND) == -1 && errno == EINVAL, "pipe2 with a bad flag: EINVAL",
          "errno %ld%ld", errno, 0);
    close(fds[0]);
    close(fds[1]);
}

static void test_atomic(void)
{
    static char buf[2 * RECORDS * RECORD];
    int fds[2], w, i, status, bad = 0, na = 0, nb = 0, switches = 0;
    pid_t pids[2];
    long n;

    pipe(fds);
    for (w = 0; w < 2; w++) {
        pids[w] = fork();
        if (pids[w] == 0) {
            char rec[RECORD];

            close(fds[0]);
            memset(rec, 'A' + w, sizeof(rec));
            for (i = 0; i < RECORDS; i++) {
                if (write(fds[1], rec, RECORD) != RECORD)
                    _exit(1);
                sched_yield();          /* let the other writer in */
            }
            _exit(0);
        }
    }
    close(fds[1]);
    sleep_ms(50);                       /* both writers wait on a full pipe */
    n = 0;
    while (n < (long)sizeof(buf)) {
        long r = read(fds[0], buf + n, 1000);   /* not a record's size */

        if (r <= 0)
            break;
        n += r;
    }
    for (i = 0; i < 2 * RECORDS && (i + 1) * RECORD <= n; i++) {
        char c = buf[i * RECORD];

        if (memchr(buf + i * RECORD, c == 'A' ? 'B' : 'A', RECORD) || (c != 'A' && c != 'B'))
            bad++;
        na += c == 'A';
        nb += c == 'B';
        switches += i && c != buf[(i - 1) * RECORD];
    }
    for (w = 0; w < 2; w++)
        waitpid(pids[w], &status, 0);
    printf("pipetest: two writers: %d records of A, %d of B, %d switches\n", na, nb, switches);
    check(switches > 0, "... the two writers' records did interleave", "%ld%ld", switches, 0);
    check(n == (long)sizeof(buf) && !bad && na == RECORDS && nb == RECORDS,
          "4096-byte writes of two writers interleave only at record boundaries",
          "%ld bytes, %ld bad records", n, bad);
    close(fds[0]);
}

static void test_exec(void)
{
    int fds[2], status;
    char buf[256];
    long n;
    pid_t pid;

    pipe(fds);
    pid = fork();
    if (pid == 0) {
        char *argv[] = { "fault", "none", NULL }, *envp[] = { NULL };

        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execve("/bin/fault", argv, envp);
        _exit(127);
    }
    close(fds[1]);
    n = read_full(fds[0], buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = 0;
    waitpid(pid, &status, 0);
    check(strstr(buf, "fault: still alive after none") && WIFEXITED(status) &&
          WEXITSTATUS(status) == 3,
          "dup2 onto stdout + execve /bin/fault: its output through the pipe",
          "%ld bytes, status %#lx", n, status);
    close(fds[0]);
}

static void test_killed_sleeper(void)
{
    int fds[2], status = 0;
    char c;
    pid_t pid;

    pipe(fds);
    pid = fork();
    if (pid == 0) {
        read(fds[0], &c, 1);            /* waits: the parent holds a writer */
        _exit(0);
    }
    sleep_ms(30);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
          "SIGKILL ends a reader waiting on an empty pipe", "status %#lx%ld", status, 0);
    close(fds[0]);
    close(fds[1]);
}

static unsigned long free_ram(void)
{
    struct sysinfo si;

    sysinfo(&si);
    return si.freeram * si.mem_unit;
}

static void pipes_round(void)
{
    static char buf[8192];
    int i, fds[2];

    for (i = 0; i < 20; i++) {
        if (pipe(fds))
            continue;
        write(fds[1], buf, sizeof(buf));
        read(fds[0], buf, 100);
        close(fds[i & 1]);
        close(fds[!(i & 1)]);
    }
}

static void test_frames(void)
{
    unsigned long before, after;

    pipes_round();                      /* warm-up: the heap's slabs */
    before = free_ram();
    pipes_round();
    after = free_ram();
    printf("pipetest: free frames before 20 pipes %lu, after %lu\n", before / 4096, after / 4096);
    check(before == after, "20 pipes made and closed leave the free frame count as it was",
          "delta %ld pages%ld", ((long)after - (long)before) / 4096, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);   /* no buffered lines copied by fork */
    test_basic();
    test_epipe();
    test_full();
    test_nonblock();
    test_atomic();
    test_exec();
    test_killed_sleeper();
    test_frames();
    return check_report();
}
