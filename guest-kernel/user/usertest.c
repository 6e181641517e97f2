/* SPDX-License-Identifier: MIT */
/*
 * usertest.c - /bin/usertest [STATUS [WORDS...]]: checks, from user mode,
 *              the system calls and the process start-up state pvkernel
 *              gives a static musl program.  One line per check
 *              ("usertest: ok NAME" / "usertest: FAIL NAME (...)"), a
 *              summary, then exit(STATUS) if all passed (default 0), else 1.
 * Owns:    the user-side expectations (Linux's behaviour for each call).
 * Touches: write, writev, read, brk, mmap, munmap, mprotect, arch_prctl
 *          (musl's TLS set-up), set_tid_address, getpid/getppid/gettid,
 *          the id calls, uname, clock_gettime, gettimeofday, ioctl, open,
 *          openat, read, lseek, fstat, stat, lstat, close, rt_sigaction,
 *          rt_sigprocmask, an unknown number.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static int failed, checks;
static __thread int tls_counter = 5;
static __thread char tls_buf[64];

#define CHECK(name, cond, ...) do {                                   \
        checks++;                                                     \
        if (cond) {                                                   \
            printf("usertest: ok %s\n", name);                        \
        } else {                                                      \
            failed++;                                                 \
            printf("usertest: FAIL %s (", name);                      \
            printf(__VA_ARGS__);                                      \
            printf(")\n");                                            \
        }                                                             \
    } while (0)

static void check_args(int argc, char **argv, char **envp)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    int nenv = 0, i, nonzero = 0;

    CHECK("argv", argc >= 1 && !strncmp(argv[0], "/bin/usertest", 13) && argv[argc] == NULL,
          "argc %d argv[0] %s", argc, argc ? argv[0] : "-");
    while (envp[nenv])
        nenv++;
    CHECK("envp", nenv == 2 && getenv("TERM") && !strcmp(getenv("TERM"), "linux") &&
          getenv("HOME") && !strcmp(getenv("HOME"), "/"), "%d variables", nenv);
    CHECK("envp follows argv", envp == argv + argc + 1, "envp %p argv %p", (void *)envp,
          (void *)argv);
    CHECK("auxv AT_PAGESZ", getauxval(AT_PAGESZ) == 4096, "%lu", getauxval(AT_PAGESZ));
    CHECK("auxv AT_PHDR/PHENT/PHNUM", getauxval(AT_PHDR) && getauxval(AT_PHENT) == 56 &&
          getauxval(AT_PHNUM) > 1, "%#lx %lu %lu", getauxval(AT_PHDR),
          getauxval(AT_PHENT), getauxval(AT_PHNUM));
    CHECK("auxv AT_ENTRY", getauxval(AT_ENTRY) >= 0x400000, "%#lx", getauxval(AT_ENTRY));
    if (strstr(argv[0], "-pie"))    /* loaded at ELF_ET_DYN_BASE, relocated */
        CHECK("static PIE at 0x555555554000",
              (uintptr_t)&check_args >= 0x555555554000UL &&
              (uintptr_t)&check_args < 0x555555554000UL + (1UL << 24) &&
              getauxval(AT_PHDR) >= 0x555555554000UL, "main %p", (void *)&check_args);
    CHECK("auxv ids", getauxval(AT_UID) == 0 && getauxval(AT_EUID) == 0 &&
          getauxval(AT_GID) == 0 && getauxval(AT_EGID) == 0 && getauxval(AT_SECURE) == 0,
          "uid %lu", getauxval(AT_UID));
    CHECK("auxv AT_HWCAP/AT_CLKTCK", getauxval(AT_HWCAP) != 0 && getauxval(AT_CLKTCK) == 100,
          "%#lx %lu", getauxval(AT_HWCAP), getauxval(AT_CLKTCK));
    for (i = 0; rnd && i < 16; i++)
        nonzero |= rnd[i];
    CHECK("auxv AT_RANDOM", rnd && nonzero, "%p", (void *)rnd);
    CHECK("auxv AT_EXECFN", execfn && !strcmp(execfn, argv[0]), "%s", execfn ? execfn : "-");
    CHECK("stack aligned", ((uintptr_t)__builtin_frame_address(0) & 7) == 0, "%p",
          __builtin_frame_address(0));
}

static void check_ids(void)
{
    struct utsname u;

    CHECK("getpid", getpid() == 1, "%d", (int)getpid());
    CHECK("getppid", getppid() == 0, "%d", (int)getppid());
    CHECK("gettid", syscall(SYS_gettid) == 1, "%ld", syscall(SYS_gettid));
    CHECK("uid/gid calls", getuid() == 0 && geteuid() == 0 && getgid() == 0 &&
          getegid() == 0, "%d", (int)getuid());
    CHECK("uname", uname(&u) == 0 && !strcmp(u.sysname, "Linux") &&
          !strcmp(u.machine, "x86_64"), "%s %s", u.sysname, u.machine);
}

static void check_memory(void)
{
    /* musl's sbrk() refuses increments (its malloc does not use brk):
     * the system call itself, as Linux answers it. */
    char *b0 = (char *)syscall(SYS_brk, 0), *b1, *m, *big;
    size_t i, n = 3 * 4096 + 100;
    int ok = 1;

    b1 = (char *)syscall(SYS_brk, b0 + n);
    CHECK("brk grows", b1 == b0 + n, "%p %p", (void *)b0, (void *)b1);
    if (b1 == b0 + n) {
        memset(b0, 0xab, n);
        CHECK("brk memory", b0[n - 1] == (char)0xab, "-");
    }
    CHECK("brk shrinks", (char *)syscall(SYS_brk, b0) == b0, "-");
    CHECK("brk below start", (char *)syscall(SYS_brk, 4096) == b0, "-");

    m = mmap(NULL, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK("mmap", m != MAP_FAILED && ((uintptr_t)m & 4095) == 0, "%p", (void *)m);
    if (m != MAP_FAILED) {
        for (i = 0; i < 64 * 1024; i++)
            ok &= m[i] == 0;
        CHECK("mmap zeroed", ok, "-");
        memset(m, 0x5a, 64 * 1024);
        CHECK("mprotect", mprotect(m, 4096, PROT_READ) == 0 && m[0] == 0x5a, "%d", errno);
        CHECK("munmap part", munmap(m + 4096, 4096) == 0, "%d", errno);
        CHECK("munmap rest", munmap(m, 64 * 1024) == 0, "%d", errno);
    }
    CHECK("mmap file refused", mmap(NULL, 4096, PROT_READ, MAP_SHARED, 0, 0) == MAP_FAILED,
          "-");
    big = malloc(1 << 20);              /* musl: an mmap of its own */
    CHECK("malloc 1 MiB", big != NULL, "-");
    if (big) {
        memset(big, 1, 1 << 20);
        free(big);
    }
}

static void check_tls_errno(void)
{
    tls_counter++;
    snprintf(tls_buf, sizeof(tls_buf), "tls %d", tls_counter);
    CHECK("__thread", tls_counter == 6 && !strcmp(tls_buf, "tls 6"), "%d", tls_counter);
    errno = 0;
    CHECK("errno ENOENT", open("/no/such/file", O_RDONLY) == -1 && errno == ENOENT,
          "%d", errno);
    errno = 0;
    CHECK("unknown syscall ENOSYS", syscall(999) == -1 && errno == ENOSYS, "%d", errno);
    CHECK("fs base", syscall(SYS_arch_prctl, 0x1003, &(unsigned long){0}) == 0, "%d", errno);
}

static void check_time(void)
{
    struct timespec a, b, r;
    struct timeval tv;

    CHECK("clock_gettime", clock_gettime(CLOCK_MONOTONIC, &a) == 0 &&
          clock_gettime(CLOCK_MONOTONIC, &b) == 0 &&
          (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)) &&
          a.tv_nsec < 1000000000, "%ld.%09ld", (long)a.tv_sec, a.tv_nsec);
    CHECK("CLOCK_REALTIME", clock_gettime(CLOCK_REALTIME, &r) == 0 &&
          r.tv_sec > 1600000000, "%ld", (long)r.tv_sec);
    CHECK("gettimeofday", gettimeofday(&tv, NULL) == 0 && tv.tv_sec > 1600000000, "-");
    CHECK("bad clock", clock_gettime(12345, &a) == -1 && errno == EINVAL, "%d", errno);
}

static void check_console(void)
{
    struct winsize ws;
    struct termios t;
    struct iovec iov[2] = { { "usertest: writev ", 17 }, { "ok\n", 3 } };
    char c;

    CHECK("write", write(1, "usertest: write\n", 16) == 16, "-");
    CHECK("writev", writev(1, iov, 2) == 20, "-");
    CHECK("TIOCGWINSZ", ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col == 80, "-");
    CHECK("isatty", isatty(0) && tcgetattr(0, &t) == 0, "-");
    /* The console is a tty now (ttytest.c): with no input a read would
     * wait, so ask without waiting. */
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    CHECK("read console EAGAIN", read(0, &c, 1) == -1 && errno == EAGAIN, "%d", errno);
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) & ~O_NONBLOCK);
    CHECK("write bad fd", write(42, "x", 1) == -1 && errno == EBADF, "%d", errno);
    CHECK("write bad pointer", write(1, (void *)8, 1) == -1 && errno == EFAULT, "%d", errno);
}

static void check_files(void)
{
    char buf[64] = { 0 };
    struct stat st, lst;
    int fd = open("/etc/motd", O_RDONLY);
    ssize_t n;

    CHECK("open", fd >= 3, "%d %d", fd, errno);
    n = read(fd, buf, sizeof(buf) - 1);
    CHECK("read file", n > 0 && !strncmp(buf, "Welcome to pvkernel", 19), "%zd '%s'", n, buf);
    CHECK("fstat", fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == n, "-");
    CHECK("lseek", lseek(fd, 11, SEEK_SET) == 11 && read(fd, buf, 8) == 8 &&
          !strncmp(buf, "pvkernel", 8), "-");
    CHECK("close", close(fd) == 0 && close(fd) == -1 && errno == EBADF, "-");
    CHECK("stat symlink", stat("/etc/motd.link", &st) == 0 && S_ISREG(st.st_mode) &&
          lstat("/etc/motd.link", &lst) == 0 && S_ISLNK(lst.st_mode), "-");
    CHECK("stat dir", stat("/bin/../etc/.", &st) == 0 && S_ISDIR(st.st_mode), "-");
    fd = openat(AT_FDCWD, "etc/motd", O_RDONLY);
    CHECK("openat relative", fd >= 0 && close(fd) == 0, "%d", errno);
    /* ramfs is writable (fstest.c checks it); /proc's files are not */
    CHECK("open for writing", open("/proc/meminfo", O_WRONLY) == -1 && errno == EACCES, "%d",
          errno);
    CHECK("ENOTDIR", open("/etc/motd/x", O_RDONLY) == -1 && errno == ENOTDIR, "%d", errno);
}

static void check_signals(void)
{
    struct sigaction sa = { .sa_handler = SIG_IGN }, old;
    sigset_t set, oldset;

    CHECK("sigaction", sigaction(SIGPIPE, &sa, NULL) == 0 && sigaction(SIGPIPE, NULL, &old) == 0
          && old.sa_handler == SIG_IGN, "-");
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    CHECK("sigprocmask", sigprocmask(SIG_BLOCK, &set, NULL) == 0 &&
          sigprocmask(SIG_SETMASK, NULL, &oldset) == 0 && sigismember(&oldset, SIGINT), "-");
}

int main(int argc, char **argv, char **envp)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;

    check_args(argc, argv, envp);
    check_ids();
    check_memory();
    check_tls_errno();
    check_time();
    check_console();
    check_files();
    check_signals();
    printf("usertest: %d checks, %d failed\n", checks, failed);
    return failed ? 1 : status;
}
