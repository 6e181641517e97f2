/* SPDX-License-Identifier: MIT */
/*
 * misctest.c - /bin/misctest: the system calls glibc programs (busybox)
 *              need beyond musl's, with Linux's answers; run as init by
 *              the boot test user-misctest.
 * Owns:    the checks of clone's tid flags and clone3, set_robust_list,
 *          rseq, the resource limits, prctl's name, time/times/getrusage,
 *          getpriority/setpriority, sched_getaffinity, getgroups, reboot's
 *          refusals, mremap, mknod and FIFO opens, /proc/self/cmdline and
 *          /proc/self/exe; one line each:
 *            misctest: ok NAME | misctest: FAIL NAME (why)
 *            misctest: N checks, M failed     (exit status M)
 * Touches: the system calls, through musl and raw syscall().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PROG "misctest"
#include "check.h"

#define CLONE_PARENT_SETTID   0x00100000
#define CLONE_CHILD_CLEARTID  0x00200000
#define CLONE_CHILD_SETTID    0x01000000


/* raw syscall: -errno on failure, as the kernel answers */
static long sc(long nr, long a, long b, long c, long d, long e)
{
    long r = syscall(nr, a, b, c, d, e);

    return r == -1 ? -errno : r;
}

static int exit_status(pid_t pid)
{
    int st = 0;

    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void check_clone(void)
{
    volatile int ptid = 0, ctid = 0;
    long pid;
    struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; }
        ca = { 0 };

    /* glibc's fork: CHILD_SETTID | CHILD_CLEARTID | SIGCHLD (+ PARENT_SETTID) */
    pid = sc(SYS_clone, CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | CLONE_PARENT_SETTID | SIGCHLD,
             0, (long)&ptid, (long)&ctid, 0);
    if (pid == 0)
        _exit(ctid == getpid() && ptid == 0 ? 7 : 1);
    check(pid > 0 && ptid == pid && ctid == 0, "clone PARENT_SETTID: the pid in the parent only",
          "pid %ld ptid %ld", pid, ptid);
    check(exit_status((pid_t)pid) == 7, "clone CHILD_SETTID: the pid in the child's memory",
          "%ld%ld", 0, 0);
    check(sc(SYS_clone, 0x00010000 | 0x00000800 | CLONE_VM, 0, 0, 0, 0) == -EINVAL,
          "clone CLONE_THREAD: EINVAL (no threads)", "%ld%ld", 0, 0);
    check(sc(SYS_clone, CLONE_VM | SIGCHLD, 0, 0, 0, 0) == -EINVAL,
          "clone CLONE_VM without CLONE_VFORK: EINVAL", "%ld%ld", 0, 0);
    check(sc(435, (long)&ca, 32, 0, 0, 0) == -EINVAL, "clone3 with a short struct: EINVAL",
          "%ld%ld", 0, 0);
    ca.exit_signal = SIGCHLD;
    ca.flags = CLONE_PARENT_SETTID;
    ca.parent_tid = (uint64_t)(uintptr_t)&ptid;
    pid = sc(435, (long)&ca, sizeof(ca), 0, 0, 0);
    if (pid == 0)
        _exit(9);
    check(pid > 0 && ptid == pid && exit_status((pid_t)pid) == 9, "clone3 as fork",
          "pid %ld ptid %ld", pid, ptid);
}

static void check_small_calls(void)
{
    struct timespec ts;
    struct tms tm;
    struct rusage ru;
    cpu_set_t set;
    long t, r;
    gid_t groups[4];
    char name[32] = { 0 }, buf[512] = { 0 };
    int fd;

    check(sc(SYS_set_robust_list, (long)buf, 24, 0, 0, 0) == 0 &&
          sc(SYS_set_robust_list, (long)buf, 5, 0, 0, 0) == -EINVAL,
          "set_robust_list: 0, EINVAL for a bad length", "%ld%ld", 0, 0);
    check(sc(334, 0, 0, 0, 0, 0) == -ENOSYS, "rseq: ENOSYS (glibc goes on)", "%ld%ld", 0, 0);
    t = sc(SYS_time, 0, 0, 0, 0, 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    check(t > 1600000000 && ts.tv_sec - t <= 1 && ts.tv_sec >= t, "time: the wallclock",
          "time %ld clock %ld", t, (long)ts.tv_sec);
    r = (long)times(&tm);
    check(r > 0 && tm.tms_utime == 0, "times: ticks since boot", "%ld %ld", r, (long)tm.tms_utime);
    check(getrusage(RUSAGE_SELF, &ru) == 0 && getrusage(RUSAGE_CHILDREN, &ru) == 0 &&
          sc(SYS_getrusage, 99, (long)&ru, 0, 0, 0) == -EINVAL, "getrusage: who checked",
          "%ld%ld", 0, 0);
    check(sc(SYS_getpriority, PRIO_PROCESS, 0, 0, 0, 0) == 20 && getpriority(PRIO_PROCESS, 0) == 0 &&
          setpriority(PRIO_PROCESS, 0, 5) == 0 &&
          sc(SYS_getpriority, 7, 0, 0, 0, 0) == -EINVAL &&
          sc(SYS_getpriority, PRIO_PROCESS, 4000, 0, 0, 0) == -ESRCH,
          "getpriority/setpriority: nice 0, EINVAL, ESRCH", "%ld%ld", 0, 0);
    CPU_ZERO(&set);
    check(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) == 1 &&
          CPU_ISSET(0, &set) && sc(SYS_sched_getaffinity, 0, 4, (long)&set, 0, 0) == -EINVAL,
          "sched_getaffinity: one CPU", "%ld%ld", (long)CPU_COUNT(&set), 0);
    check(getgroups(4, groups) == 0, "getgroups: none", "%ld%ld", 0, 0);
    check(prctl(PR_SET_NAME, "a-name-longer-than-16", 0, 0, 0) == 0 &&
          prctl(PR_GET_NAME, name, 0, 0, 0) == 0 && !strcmp(name, "a-name-longer-t") &&
          sc(SYS_prctl, 9999, 0, 0, 0, 0) == -EINVAL,
          "prctl PR_SET_NAME/PR_GET_NAME: 15 bytes kept; unknown EINVAL", "%ld%ld", 0, 0);
    fd = open("/proc/self/stat", O_RDONLY);
    r = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
    close(fd);
    check(r > 0 && strstr(buf, "(a-name-longer-t) R "), "/proc/self/stat shows the new name",
          "%ld%ld", r, 0);
    check(sc(SYS_reboot, 0x1234, 672274793, 0x4321FEDC, 0, 0) == -EINVAL &&
          sc(SYS_reboot, (long)0xfee1dead, 12, 0x4321FEDC, 0, 0) == -EINVAL &&
          sc(SYS_reboot, (long)0xfee1dead, 672274793, 0x777, 0, 0) == -EINVAL &&
          sc(SYS_reboot, (long)0xfee1dead, 672274793, 0, 0, 0) == 0,
          "reboot: bad magic or command EINVAL, CAD_OFF 0", "%ld%ld", 0, 0);
}

static void check_rlimits(void)
{
    struct rlimit rl = { 0, 0 }, got = { 0, 0 };
    long pid;

    check(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024 && rl.rlim_max == 1024,
          "RLIMIT_NOFILE 1024: the descriptor table", "%ld %ld", (long)rl.rlim_cur, (long)rl.rlim_max);
    check(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == 8 << 20 && rl.rlim_max == RLIM_INFINITY,
          "RLIMIT_STACK 8 MiB, no hard limit", "%ld %ld", (long)rl.rlim_cur, (long)rl.rlim_max);
    rl.rlim_cur = 16; rl.rlim_max = 8;
    check(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EINVAL, "setrlimit soft > hard: EINVAL",
          "%ld%ld", errno, 0);
    rl.rlim_cur = 2048; rl.rlim_max = 2048;
    check(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM,
          "setrlimit NOFILE past the table: EPERM", "%ld%ld", errno, 0);
    rl.rlim_cur = 1024; rl.rlim_max = RLIM_INFINITY;
    check(setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM,
          "setrlimit NOFILE hard limit infinity: EPERM (as Linux's nr_open)", "%ld%ld", errno, 0);
    rl.rlim_cur = 1 << 20; rl.rlim_max = RLIM_INFINITY;
    check(setrlimit(RLIMIT_STACK, &rl) == 0 && getrlimit(RLIMIT_STACK, &got) == 0 &&
          got.rlim_cur == 1 << 20, "setrlimit then getrlimit", "%ld%ld", (long)got.rlim_cur, 0);
    pid = fork();
    if (pid == 0)
        _exit(getrlimit(RLIMIT_STACK, &got) == 0 && got.rlim_cur == 1 << 20 ? 5 : 1);
    check(exit_status((pid_t)pid) == 5, "rlimits inherited by fork", "%ld%ld", 0, 0);
    check(sc(SYS_prlimit64, 0, RLIMIT_STACK, 0, (long)&got, 0) == 0 && got.rlim_cur == 1 << 20 &&
          sc(SYS_prlimit64, 4000, RLIMIT_STACK, 0, (long)&got, 0) == -ESRCH &&
          sc(SYS_prlimit64, 0, 99, 0, (long)&got, 0) == -EINVAL,
          "prlimit64: pid 0, ESRCH, EINVAL", "%ld%ld", 0, 0);
}

static void check_mremap(void)
{
    char *a = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *b, *guard;

    memset(a, 'x', 8192);
    b = mremap(a, 8192, 4096, 0);
    check(b == a && b[4095] == 'x', "mremap shrinks in place", "%ld%ld", 0, 0);
    /* a page right after it taken: growing must move */
    guard = mmap(a + 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check(mremap(a, 4096, 3 * 4096, 0) == MAP_FAILED && errno == ENOMEM,
          "mremap without MAYMOVE, no room: ENOMEM", "%ld%ld", errno, 0);
    b = mremap(a, 4096, 3 * 4096, MREMAP_MAYMOVE);
    check(b != MAP_FAILED && b != a && b[0] == 'x' && b[4095] == 'x' && b[8191] == 0,
          "mremap MAYMOVE moves the contents", "%ld%ld", (long)b, 0);
    if (b != MAP_FAILED)
        b[3 * 4096 - 1] = 1;            /* writable, all of it */
    check(mremap(b, 4096, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, guard) == MAP_FAILED &&
          errno == EINVAL, "mremap MREMAP_FIXED: EINVAL", "%ld%ld", errno, 0);
    check(mremap((char *)0x10000000, 4096, 8192, MREMAP_MAYMOVE) == MAP_FAILED &&
          errno == EFAULT, "mremap of nothing: EFAULT", "%ld%ld", errno, 0);
}

static void check_fifo_and_proc(char **argv)
{
    char buf[256] = { 0 };
    struct stat st;
    long n;
    int fd, rfd;

    unlink("/tmp/misc.fifo");
    check(mknod("/tmp/misc.dev", S_IFCHR | 0600, 0x0103) == -1 && errno == EPERM,
          "mknod of a device: EPERM", "%ld%ld", errno, 0);
    check(mknod("/tmp/misc.fifo", S_IFIFO | 0666, 0) == 0 && stat("/tmp/misc.fifo", &st) == 0 &&
          S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0644, "mknod S_IFIFO (umask applied)",
          "%lo%ld", (long)st.st_mode, 0);
    check(mknod("/tmp/misc.fifo", S_IFIFO | 0666, 0) == -1 && errno == EEXIST,
          "mknod over a name: EEXIST", "%ld%ld", errno, 0);
    check(open("/tmp/misc.fifo", O_WRONLY | O_NONBLOCK) == -1 && errno == ENXIO,
          "FIFO O_WRONLY|O_NONBLOCK with no reader: ENXIO", "%ld%ld", errno, 0);
    rfd = open("/tmp/misc.fifo", O_RDONLY | O_NONBLOCK);
    check(rfd >= 0 && read(rfd, buf, 1) == 0, "FIFO O_RDONLY|O_NONBLOCK: opens, end of file",
          "%ld%ld", rfd, 0);
    fd = open("/tmp/misc.fifo", O_WRONLY);      /* a reader exists: no wait */
    check(fd >= 0 && write(fd, "abc", 3) == 3 && read(rfd, buf, sizeof(buf)) == 3 &&
          !memcmp(buf, "abc", 3), "FIFO: bytes from the writer to the reader", "%ld%ld", fd, 0);
    close(fd);
    close(rfd);
    fd = open("/tmp/misc.fifo", O_RDWR);
    check(fd >= 0 && write(fd, "z", 1) == 1 && read(fd, buf, 1) == 1 && buf[0] == 'z',
          "FIFO O_RDWR: never waits, both ends", "%ld%ld", fd, 0);
    close(fd);
    check(unlink("/tmp/misc.fifo") == 0, "FIFO unlinked", "%ld%ld", errno, 0);

    fd = open("/proc/self/cmdline", O_RDONLY);
    n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
    close(fd);
    check(n == (long)(strlen(argv[0]) + strlen(argv[1]) + 2) && !strcmp(buf, argv[0]) &&
          !strcmp(buf + strlen(argv[0]) + 1, argv[1]), "/proc/self/cmdline: argv", "%ld%ld", n, 0);
    n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    buf[n > 0 ? n : 0] = '\0';
    check(n > 0 && !strcmp(buf, "/bin/misctest"), "/proc/self/exe", "%ld%ld", n, 0);
}

int main(int argc, char **argv)
{
    static char *args[] = { "/bin/misctest", "again", NULL };

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) {                     /* once more with an argument for cmdline */
        execv(args[0], args);
        return 99;
    }
    check_clone();
    check_small_calls();
    check_rlimits();
    check_mremap();
    check_fifo_and_proc(argv);
    return check_report();
}
