/* SPDX-License-Identifier: MIT */
/*
 * forktest.c - /bin/forktest: several processes on pvkernel, run as init
 *              (pid 1) by the boot test user-forktest.
 * Owns:    the checks of fork (copy-on-write), vfork, clone, execve,
 *          exit/wait4 statuses, orphans, kill, process groups, the
 *          scheduler (preemption, sched_yield), nanosleep, and the frame
 *          count across 50 forks; one line each:
 *            forktest: ok NAME | forktest: FAIL NAME (why)
 *            forktest: N checks, M failed     (exit status M)
 *          `forktest exec-child ARGS...` is the program execve runs: it
 *          checks its argv and envp and exits 42.
 * Touches: the system calls, through musl.
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
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_PROG "forktest"
#include "check.h"

static volatile int shared_global = 1;
static volatile int vfork_flag;

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000UL + (uint64_t)ts.tv_nsec;
}

static int exec_child(int argc, char **argv, char **envp)
{
    int ok = argc == 4 && !strcmp(argv[0], "forktest") && !strcmp(argv[2], "a b") &&
             !strcmp(argv[3], "") && envp[0] && !strcmp(envp[0], "FOO=bar") &&
             envp[1] && !strcmp(envp[1], "EMPTY=") && !envp[2] && !strcmp(getenv("FOO"), "bar");

    printf("forktest: exec-child pid %d ppid %d argc %d: %s\n", getpid(), getppid(), argc,
           ok ? "argv and envp as given" : "argv or envp WRONG");
    return ok ? 42 : 1;
}

/* "fd-probe N": exits 0 if descriptor N is closed (close-on-exec worked). */
static int fd_probe(const char *n)
{
    return fcntl(atoi(n), F_GETFD) == -1 && errno == EBADF ? 0 : 1;
}

/*
 * What a child inherits besides memory: the working directory (its own
 * reference: the parent may leave it and remove it) and the descriptors,
 * of which execve closes the FD_CLOEXEC ones and keeps the rest.
 */
static void test_inherit(char *self)
{
    char cwd[64] = "", fdarg[16];
    char *probe[] = { "forktest", "fd-probe", fdarg, NULL }, *noenv[] = { NULL };
    int status = -1, keep, drop;
    pid_t pid;

    check(mkdir("/forkdir", 0755) == 0 && chdir("/forkdir") == 0, "mkdir and chdir /forkdir",
          "errno %ld%ld", errno, 0);
    pid = fork();
    if (pid == 0) {
        int here = getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/forkdir");

        sleep_ms(60);                   /* the parent leaves and removes it */
        _exit(!here ? 1 : !getcwd(cwd, sizeof(cwd)) && errno == ENOENT ? 0 : 2);
    }
    sleep_ms(20);
    check(chdir("/") == 0 && rmdir("/forkdir") == 0, "the parent leaves and removes it",
          "errno %ld%ld", errno, 0);
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child's cwd is the parent's, then gone: getcwd ENOENT, as Linux",
          "status %#lx%ld", status, 0);
    drop = open("/etc/motd", O_RDONLY | O_CLOEXEC);
    keep = open("/etc/motd", O_RDONLY);
    snprintf(fdarg, sizeof(fdarg), "%d", drop);
    pid = fork();
    if (pid == 0) {
        execve(self, probe, noenv);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "execve closes an O_CLOEXEC descriptor",
          "status %#lx fd %ld", status, drop);
    snprintf(fdarg, sizeof(fdarg), "%d", keep);
    pid = fork();
    if (pid == 0) {
        execve(self, probe, noenv);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 1, "execve keeps the others",
          "status %#lx fd %ld", status, keep);
    close(drop);
    close(keep);
}

static void test_cow(void)
{
    int stack_var = 10, status = 0;
    char *heap = malloc(64 * 1024);
    char *anon = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pid_t pid;

    memset(heap, 'p', 64 * 1024);
    anon[0] = 'P';
    pid = fork();
    if (pid == 0) {
        /* The child sees the parent's values, then writes its own. */
        int saw = shared_global == 1 && stack_var == 10 && heap[100] == 'p' && anon[0] == 'P';

        shared_global = 2;
        stack_var = 20;
        memset(heap, 'c', 64 * 1024);
        anon[0] = 'C';
        _exit(saw && shared_global == 2 && heap[65535] == 'c' ? 7 : 1);
    }
    check(pid > 0, "fork returns the child's pid", "pid %ld%ld", pid, 0);
    check(waitpid(pid, &status, 0) == pid, "waitpid(pid)", "errno %ld%ld", errno, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 7, "child saw the parent's memory, exit 7",
          "status %#lx%ld", status, 0);
    check(shared_global == 1 && stack_var == 10 && heap[100] == 'p' && heap[65535] == 'p' &&
          anon[0] == 'P', "COW: the child's writes do not show in the parent",
          "global %ld heap %ld", shared_global, heap[100]);
    /* The parent writes after the child is gone: the last reference. */
    shared_global = 3;
    anon[1] = 'Q';
    check(shared_global == 3 && anon[1] == 'Q', "parent writes its pages after the child exited",
          "%ld%ld", 0, 0);
    /* A shared page made read-only: a write is a fault, not a copy. */
    pid = fork();
    if (pid == 0) {
        mprotect(anon, 4096, PROT_READ);
        anon[0] = 'X';
        _exit(1);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV && anon[0] == 'P',
          "write to a COW page mprotect'ed read-only: SIGSEGV", "status %#lx%ld", status, 0);
    munmap(anon, 8192);
    free(heap);
}

static void test_statuses(void)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        *(volatile int *)0 = 1;         /* SIGSEGV */
        _exit(1);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "a child killed by a fault: WTERMSIG SIGSEGV", "status %#lx%ld", status, 0);

    pid = fork();
    if (pid == 0) {
        for (;;)
            ;                           /* CPU-bound: killed while preempted */
    }
    sleep_ms(20);
    check(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG: 0 while the child runs", "%ld%ld", 0, 0);
    check(kill(pid, SIGTERM) == 0, "kill(SIGTERM)", "errno %ld%ld", errno, 0);
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "SIGTERM kills a running child",
          "status %#lx%ld", status, 0);

    pid = fork();
    if (pid == 0) {
        sleep_ms(10000);                /* killed while asleep */
        _exit(1);
    }
    sleep_ms(20);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "SIGKILL ends a sleeping child",
          "status %#lx%ld", status, 0);
    check(kill(pid, 0) == -1 && errno == ESRCH, "kill of a reaped pid: ESRCH", "errno %ld%ld",
          errno, 0);
    check(waitpid(-1, &status, 0) == -1 && errno == ECHILD, "no child: ECHILD", "errno %ld%ld",
          errno, 0);
    check(kill(1, SIGTERM) == 0, "init ignores SIGTERM", "errno %ld%ld", errno, 0);
}

static void test_orphan(void)
{
    int status = 0, seen = 0;
    pid_t child = fork(), pid;

    if (child == 0) {
        pid_t me = getpid();

        if (fork() == 0) {
            /* The grandchild: its parent exits at once; init adopts it. */
            int i;

            for (i = 0; i < 200 && getppid() == me; i++)
                sleep_ms(5);
            _exit(getppid() == 1 ? 3 : 4);
        }
        _exit(0);
    }
    waitpid(child, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the middle child exited",
          "status %#lx%ld",
          status, 0);
    while ((pid = waitpid(-1, &status, 0)) > 0)
        seen += WIFEXITED(status) && WEXITSTATUS(status) == 3;
    check(seen == 1, "orphan reparented to init (getppid 1), reaped by it", "seen %ld%ld", seen, 0);
}

static void test_exec(char *self)
{
    char *argv[] = { "forktest", "exec-child", "a b", "", NULL };
    char *envp[] = { "FOO=bar", "EMPTY=", NULL };
    char *none[] = { "nosuch", NULL };
    int status = 0;
    pid_t pid;

    errno = 0;
    check(execve("/bin/nosuch", none, envp) == -1 && errno == ENOENT,
          "execve of a missing file: ENOENT, the caller intact", "errno %ld%ld", errno, 0);
    check(execve("/bin/notelf", none, envp) == -1 && errno == ENOEXEC,
          "execve of a non-ELF: ENOEXEC", "errno %ld%ld", errno, 0);
    check(syscall(SYS_execve, self, (void *)16, envp) == -1 && errno == EFAULT,
          "execve with a bad argv: EFAULT", "errno %ld%ld", errno, 0);
    {
        static char *huge[400];
        int i;

        for (i = 0; i < 399; i++)
            huge[i] = "x";
        check(execve(self, huge, envp) == -1 && errno == E2BIG, "execve with 399 arguments: E2BIG",
              "errno %ld%ld", errno, 0);
    }
    pid = fork();
    if (pid == 0) {
        execve(self, argv, envp);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 42, "fork + execve with argv/envp: exit 42",
          "status %#lx%ld", status, 0);
}

static void test_vfork(char *self)
{
    char *argv[] = { "forktest", "exec-child", "a b", "", NULL };
    char *envp[] = { "FOO=bar", "EMPTY=", NULL };
    int status = 0;
    pid_t pid;

    vfork_flag = 0;
    pid = vfork();
    if (pid == 0) {
        vfork_flag = getpid();          /* the parent's memory: shared */
        _exit(5);
    }
    check(vfork_flag == pid, "vfork: the parent resumes after the child's exit, sees its write",
          "flag %ld pid %ld", vfork_flag, pid);
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 5, "vfork child's status 5", "status %#lx%ld",
          status, 0);
    pid = vfork();
    if (pid == 0) {
        execve(self, argv, envp);
        _exit(99);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 42, "vfork + execve", "status %#lx%ld",
          status, 0);
    pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (pid == 0)
        _exit(6);
    waitpid(pid, &status, 0);
    check(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 6, "clone(SIGCHLD) is fork",
          "status %#lx%ld", status, 0);
    check(syscall(SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, 0, 0, 0, 0) == -1 &&
          errno == EINVAL, "clone of a thread: EINVAL", "errno %ld%ld", errno, 0);
}

static void test_groups(void)
{
    int status = 0;
    pid_t pid;

    check(getpgid(0) == 1 && getsid(0) == 1, "init: pgid 1, sid 1", "%ld %ld", getpgid(0),
          getsid(0));
    check(setsid() == -1 && errno == EPERM, "setsid in a group leader: EPERM", "errno %ld%ld",
          errno, 0);
    pid = fork();
    if (pid == 0) {
        int ok = getppid() == 1 && getpgid(0) == 1;

        ok = ok && setpgid(0, 0) == 0 && getpgid(0) == getpid();
        ok = ok && setsid() == -1 && errno == EPERM;    /* now a group leader */
        _exit(ok ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: getppid 1, setpgid(0,0)",
          "status %#lx%ld", status, 0);
    pid = fork();
    if (pid == 0) {
        int ok = setsid() == getpid() && getsid(0) == getpid() && getpgid(0) == getpid();

        _exit(ok ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: setsid makes a session",
          "status %#lx%ld", status, 0);
    pid = fork();
    if (pid == 0) {
        sleep_ms(10000);
        _exit(1);
    }
    check(setpgid(pid, pid) == 0 && getpgid(pid) == pid, "setpgid of a child", "errno %ld%ld",
          errno, 0);
    check(kill(-pid, SIGINT) == 0, "kill(-pgid, SIGINT)", "errno %ld%ld", errno, 0);
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "SIGINT to the group ends it",
          "status %#lx%ld", status, 0);
    check(getpgid(99999) == -1 && errno == ESRCH, "getpgid of nobody: ESRCH", "errno %ld%ld",
          errno, 0);
}

/* Fork until the process table is full: EAGAIN, then every child killed
 * while asleep and reaped. */
static void test_limit(void)
{
    static pid_t pids[400];
    int n = 0, reaped = 0, status, i;
    pid_t pid;

    for (;;) {
        pid = fork();
        if (pid == 0) {
            sleep_ms(10000);
            _exit(1);
        }
        if (pid < 0)
            break;
        pids[n++] = pid;
        if (n == 400)
            break;
    }
    /* PROC_MAX is 256: init, this one, and 254 children at most. */
    check(pid == -1 && errno == EAGAIN && n >= 150, "fork with the process table full: EAGAIN",
          "after %ld children, errno %ld", n, errno);
    for (i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    while (waitpid(-1, &status, 0) > 0)
        reaped += WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    check(reaped == n, "... and all of them killed and reaped", "%ld of %ld", reaped, n);
}

static unsigned long free_ram(void)
{
    struct sysinfo si;

    sysinfo(&si);
    return si.freeram * si.mem_unit;
}

static void test_frames(void)
{
    unsigned long before, after;
    char *buf = malloc(32 * 1024);
    int i, status, bad = 0;
    pid_t pid;

    memset(buf, 1, 32 * 1024);
    pid = fork();                       /* warm-up: the kernel's counters page */
    if (pid == 0)
        _exit(0);
    waitpid(pid, &status, 0);
    before = free_ram();
    for (i = 0; i < 50; i++) {
        pid = fork();
        if (pid == 0) {
            buf[i * 512] = 2;            /* one COW copy each */
            _exit(i & 0x7f);
        }
        if (pid < 0 || waitpid(pid, &status, 0) != pid || WEXITSTATUS(status) != (i & 0x7f))
            bad++;
        buf[(i * 4096) % (32 * 1024)] = 3;  /* and a take-over in the parent */
    }
    after = free_ram();
    printf("forktest: free frames before 50 forks %lu, after %lu\n", before / 4096, after / 4096);
    check(!bad, "50 fork + exit + wait", "bad %ld%ld", bad, 0);
    check(before == after, "50 forks leave the free frame count as it was",
          "delta %ld pages%ld", ((long)after - (long)before) / 4096, 0);
    free(buf);
}

/* SSE work in registers only (xmm6, xmm7), long enough to be preempted in
 * the middle: 1.0 added `n` times to `start`; exact in a double. */
static double sse_block(double start, long n)
{
    double out;

    __asm__ volatile("movsd %1, %%xmm7\n\t"
                     "mov $1, %%eax\n\t"
                     "cvtsi2sd %%eax, %%xmm6\n\t"
                     "1: addsd %%xmm6, %%xmm7\n\t"
                     "dec %2\n\t"
                     "jnz 1b\n\t"
                     "movsd %%xmm7, %0"
                     : "=m"(out) : "m"(start), "r"(n) : "eax", "xmm6", "xmm7", "cc");
    return out;
}

/* A CPU-bound child: spin for 300 ms, count the gaps over 3 ms between two
 * clock reads (another process ran: preemption), and check that its SSE
 * registers survived every preemption (the kernel saves them per
 * process).  Exit status: the gaps (<= 100), or 200 for a wrong sum. */
static int spin_child(double base)
{
    uint64_t start = now_ns(), last = start, t;
    int gaps = 0;

    while ((t = now_ns()) - start < 300000000UL) {
        if (t - last > 3000000UL)
            gaps++;
        last = t;
        if (sse_block(base, 20000) != base + 20000.0)
            return 200;
    }
    return gaps > 100 ? 100 : gaps;
}

static void test_preempt(void)
{
    int s1 = 0, s2 = 0;
    pid_t a = fork(), b;

    if (a == 0)
        _exit(spin_child(1e6));
    b = fork();
    if (b == 0)
        _exit(spin_child(3e9));
    waitpid(a, &s1, 0);
    waitpid(b, &s2, 0);
    printf("forktest: two CPU-bound children were preempted %d and %d times\n",
           WEXITSTATUS(s1), WEXITSTATUS(s2));
    check(WEXITSTATUS(s1) >= 2 && WEXITSTATUS(s2) >= 2 && WEXITSTATUS(s1) <= 100 &&
          WEXITSTATUS(s2) <= 100,
          "preemption: both CPU-bound children make progress in turns", "%ld and %ld",
          WEXITSTATUS(s1), WEXITSTATUS(s2));
    check(WEXITSTATUS(s1) != 200 && WEXITSTATUS(s2) != 200,
          "SSE registers survive preemption", "%ld and %ld", WEXITSTATUS(s1), WEXITSTATUS(s2));
    check(sched_yield() == 0, "sched_yield", "%ld%ld", 0, 0);
}

static void test_sleep(void)
{
    struct timespec ts = { 0, 50000000 }, bad = { 0, 1000000000 }, abs;
    uint64_t t0 = now_ns(), dt;

    check(nanosleep(&ts, NULL) == 0, "nanosleep 50 ms", "errno %ld%ld", errno, 0);
    dt = now_ns() - t0;
    printf("forktest: nanosleep(50 ms) took %lu us\n", (unsigned long)(dt / 1000));
    check(dt >= 50000000UL && dt < 500000000UL, "nanosleep 50 ms: 50 ms <= slept < 500 ms",
          "%ld us%ld", (long)(dt / 1000), 0);
    check(nanosleep(&bad, NULL) == -1 && errno == EINVAL, "nanosleep tv_nsec 1e9: EINVAL",
          "errno %ld%ld", errno, 0);
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 30000000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    t0 = now_ns();
    check(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL) == 0,
          "clock_nanosleep MONOTONIC TIMER_ABSTIME", "%ld%ld", 0, 0);
    dt = now_ns() - t0;
    check(dt >= 25000000UL && dt < 500000000UL && now_ns() >= (uint64_t)abs.tv_sec * 1000000000UL +
          (uint64_t)abs.tv_nsec, "clock_nanosleep: woke at the deadline", "%ld us%ld",
          (long)(dt / 1000), 0);
}

int main(int argc, char **argv, char **envp)
{
    char self[] = "/bin/forktest";

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "exec-child"))
        return exec_child(argc, argv, envp);
    if (argc > 2 && !strcmp(argv[1], "fd-probe"))
        return fd_probe(argv[2]);
    printf("forktest: pid %d ppid %d\n", getpid(), getppid());
    test_cow();
    test_statuses();
    test_orphan();
    test_exec(self);
    test_vfork(self);
    test_inherit(self);
    test_groups();
    test_limit();
    test_frames();
    test_preempt();
    test_sleep();
    return check_report();
}
