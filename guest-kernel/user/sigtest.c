/* SPDX-License-Identifier: MIT */
/*
 * sigtest.c - /bin/sigtest: signal delivery on pvkernel, run as init
 *             (pid 1) by the boot test user-sigtest.
 * Owns:    the checks of handlers (arguments, mask, siginfo, the frame's
 *          layout and alignment, ucontext changes seen after the return,
 *          the FPU state), SA_RESTART against EINTR, SIGCHLD, SIGPIPE,
 *          fault handlers (SIGSEGV, SIGFPE, SIGILL, siglongjmp out),
 *          nesting, sigaltstack, rt_sigsuspend, pause, rt_sigpending,
 *          rt_sigtimedwait, tkill/tgkill, alarm/setitimer, default actions,
 *          bad rt_sigreturn frames and what it sanitizes, SIGCHLD ignored
 *          and SA_NOCLDWAIT, fork and execve; one line each:
 *            sigtest: ok NAME | sigtest: FAIL NAME (why)
 *            sigtest: N checks, M failed     (exit status M)
 *          `sigtest exec-child` is the program the execve check runs.
 * Touches: the system calls, through musl (and raw syscall for the frames
 *          musl would not build).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define CHECK_PROG "sigtest"
#include "check.h"


static int on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    return sigaction(sig, &sa, NULL);
}

static void set_handler(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static sigset_t cur_mask(void)
{
    sigset_t s;

    sigprocmask(SIG_BLOCK, NULL, &s);
    return s;
}

static void unblock(int sig)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void block(int sig)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_BLOCK, &s, NULL);
}

/* ---- a handler's arguments, mask, frame ---- */

static volatile int got_sig, got_code, got_pid, got_count, got_status;
static volatile int mask_has_self, mask_has_extra, uc_aligned, fp_aligned, uc_flags_ss;
static volatile uintptr_t got_addr;
static volatile unsigned got_mxcsr_saved, got_mxcsr_live;

static void h_info(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    sigset_t m = cur_mask();
    unsigned live;

    got_sig = sig;
    got_code = si->si_code;
    got_pid = si->si_pid;
    got_status = si->si_status;
    got_addr = (uintptr_t)si->si_addr;
    got_count++;
    mask_has_self = sigismember(&m, sig);
    mask_has_extra = sigismember(&m, SIGUSR2);
    /* The frame: rsp was 16-byte aligned less 8 at entry (the return
     * address); uc is 8 above it; the FP state 64-byte aligned. */
    uc_aligned = ((uintptr_t)uc % 16) == 0 && (void *)si > (void *)uc;
    fp_aligned = ((uintptr_t)uc->uc_mcontext.fpregs % 64) == 0 && uc->uc_mcontext.fpregs;
    uc_flags_ss = (int)uc->uc_flags;
    got_mxcsr_saved = uc->uc_mcontext.fpregs ? uc->uc_mcontext.fpregs->mxcsr : 0;
    __asm__ volatile("stmxcsr %0" : "=m"(live));
    got_mxcsr_live = live;
}

static void test_handler_args(void)
{
    struct sigaction sa;
    sigset_t m;
    unsigned mx;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = h_info;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    got_count = 0;
    fesetround(FE_UPWARD);
    kill(getpid(), SIGUSR1);
    /* Checked right after kill() returns: delivered on its way out. */
    check(got_count == 1, "a signal to self runs its handler before kill() returns",
          "count %ld%ld", got_count, 0);
    __asm__ volatile("stmxcsr %0" : "=m"(mx));
    fesetround(FE_TONEAREST);
    check(got_sig == SIGUSR1 && got_code == SI_USER && got_pid == getpid(),
          "handler args: sig, si_code SI_USER, si_pid", "sig %ld code %ld", got_sig, got_code);
    check(mask_has_self && mask_has_extra, "in the handler sig and sa_mask are blocked",
          "self %ld extra %ld", mask_has_self, mask_has_extra);
    m = cur_mask();
    check(!sigismember(&m, SIGUSR1) && !sigismember(&m, SIGUSR2),
          "after the handler the mask is as before", "%ld%ld", 0, 0);
    check(uc_aligned && fp_aligned, "frame: rsp+8 16-byte aligned, FP state 64-byte aligned",
          "uc %ld fp %ld", uc_aligned, fp_aligned);
    check(uc_flags_ss == 6, "uc_flags UC_SIGCONTEXT_SS|UC_STRICT_RESTORE_SS",
          "%#lx%ld", uc_flags_ss, 0);
    check((got_mxcsr_saved & 0x6000) == 0x4000 && got_mxcsr_live == 0x1f80 &&
          (mx & 0x6000) == 0x4000,
          "FPU: the frame keeps MXCSR (round up), the handler starts at 0x1f80, restored after",
          "saved %#lx live %#lx", got_mxcsr_saved, got_mxcsr_live);
}

/* ---- ucontext changes are what rt_sigreturn restores ---- */

static void h_set_r12(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    (void)sig; (void)si;
    uc->uc_mcontext.gregs[REG_R12] = 0x1234;
    uc->uc_mcontext.gregs[REG_RAX] = 77;        /* kill()'s return value */
}

static void test_ucontext_change(void)
{
    register long r12 __asm__("r12") = 0;
    long ret;

    on(SIGUSR2, h_set_r12, 0);
    __asm__ volatile("syscall" : "=a"(ret), "+r"(r12)
                     : "0"((long)SYS_kill), "D"((long)getpid()), "S"((long)SIGUSR2)
                     : "rcx", "r11", "memory");
    check(r12 == 0x1234 && ret == 77, "registers changed in uc_mcontext are restored",
          "r12 %#lx rax %ld", r12, ret);
    signal(SIGUSR2, SIG_DFL);
}

/* ---- blocked signals ---- */

static void test_blocked(void)
{
    sigset_t p;

    on(SIGUSR1, h_info, 0);
    block(SIGUSR1);
    got_count = 0;
    kill(getpid(), SIGUSR1);
    sigpending(&p);
    check(got_count == 0 && sigismember(&p, SIGUSR1),
          "a blocked signal stays pending (rt_sigpending)", "count %ld%ld", got_count, 0);
    unblock(SIGUSR1);
    check(got_count == 1, "... and runs once unblocked, before sigprocmask returns",
          "count %ld%ld", got_count, 0);
    sigpending(&p);
    check(!sigismember(&p, SIGUSR1), "... and is no longer pending", "%ld%ld", 0, 0);
    check(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL) == -1 &&
          errno == EINVAL, "SIGKILL cannot be caught: EINVAL", "errno %ld%ld", errno, 0);
    block(SIGSTOP);
    block(SIGKILL);
    p = cur_mask();
    check(!sigismember(&p, SIGKILL) && !sigismember(&p, SIGSTOP),
          "SIGKILL and SIGSTOP cannot be blocked", "%ld%ld", 0, 0);
}

/* ---- restart rules ---- */

static volatile int alarms;
static void h_count(int sig) { (void)sig; alarms++; }

static void arm_ms(long ms)
{
    struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };

    setitimer(ITIMER_REAL, &it, NULL);
}

static void test_restart(void)
{
    int fds[2];
    char c;
    long n;
    pid_t pid;
    int status;
    struct timespec req = { 2, 0 }, rem = { 0, 0 };

    pipe(fds);
    /* No SA_RESTART: the read ends with EINTR. */
    set_handler(SIGALRM, h_count, 0);
    alarms = 0;
    arm_ms(50);
    n = read(fds[0], &c, 1);
    check(n == -1 && errno == EINTR && alarms == 1,
          "a pipe read interrupted by SIGALRM (no SA_RESTART): EINTR", "n %ld errno %ld", n, errno);
    /* SA_RESTART: the read goes on and gets the byte a child writes later. */
    set_handler(SIGALRM, h_count, SA_RESTART);
    alarms = 0;
    pid = fork();
    if (!pid) {
        sleep_ms(150);
        write(fds[1], "x", 1);
        _exit(0);
    }
    arm_ms(40);
    n = read(fds[0], &c, 1);
    check(n == 1 && c == 'x' && alarms == 1,
          "SA_RESTART: the read restarts after the handler and gets the byte",
          "n %ld alarms %ld", n, alarms);
    waitpid(pid, &status, 0);
    /* A child's kill interrupts a read, no SA_RESTART. */
    set_handler(SIGUSR1, h_count, 0);
    alarms = 0;
    /* The child sends until it is killed: whichever comes before the read
     * starts runs its handler too, a later one interrupts the read. */
    pid = fork();
    if (!pid) {
        for (;;) {
            sleep_ms(50);
            kill(getppid(), SIGUSR1);
        }
    }
    n = read(fds[0], &c, 1);
    check(n == -1 && errno == EINTR && alarms >= 1,
          "a read interrupted by a child's kill(SIGUSR1): EINTR", "n %ld errno %ld", n, errno);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    /* wait4 with SA_RESTART restarts; without it, EINTR. */
    set_handler(SIGUSR1, h_count, SA_RESTART);
    alarms = 0;
    pid = fork();
    if (!pid) {
        kill(getppid(), SIGUSR1);
        sleep_ms(80);
        _exit(7);
    }
    n = waitpid(pid, &status, 0);
    check(n == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7 && alarms == 1,
          "SA_RESTART: wait4 restarts and reaps the child", "n %ld alarms %ld", n, alarms);
    set_handler(SIGUSR1, h_count, 0);
    alarms = 0;
    pid = fork();
    if (!pid) {
        for (;;) {
            sleep_ms(30);
            kill(getppid(), SIGUSR1);
        }
    }
    n = waitpid(pid, &status, 0);
    check(n == -1 && errno == EINTR && alarms >= 1, "wait4 without SA_RESTART: EINTR",
          "n %ld errno %ld", n, errno);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    /* An ignored signal does not interrupt (SIG_IGN, or a default of ignore). */
    signal(SIGUSR2, SIG_IGN);
    pid = fork();
    if (!pid) {
        sleep_ms(30);
        kill(getppid(), SIGUSR2);
        kill(getppid(), SIGWINCH);
        kill(getppid(), SIGCHLD);
        sleep_ms(50);
        write(fds[1], "y", 1);
        _exit(0);
    }
    n = read(fds[0], &c, 1);
    check(n == 1 && c == 'y', "ignored signals (SIG_IGN, SIGWINCH, SIGCHLD) do not interrupt a read",
          "n %ld errno %ld", n, errno);
    waitpid(pid, &status, 0);
    signal(SIGUSR2, SIG_DFL);
    /* nanosleep: EINTR with the time left, SA_RESTART or not. */
    set_handler(SIGALRM, h_count, SA_RESTART);
    arm_ms(100);
    n = nanosleep(&req, &rem);
    check(n == -1 && errno == EINTR && rem.tv_sec == 1 && rem.tv_nsec > 0,
          "nanosleep(2 s) interrupted at 100 ms: EINTR, 1.9 s left", "rem %ld.%09ld",
          rem.tv_sec, rem.tv_nsec);
    close(fds[0]);
    close(fds[1]);
}

/* ---- alarm, setitimer, getitimer ---- */

static void test_timers(void)
{
    struct itimerval it, old;
    long n;

    check(alarm(10) == 0 && alarm(0) == 10, "alarm(10) then alarm(0) answers 10", "%ld%ld", 0, 0);
    it = (struct itimerval){ { 0, 20000 }, { 0, 20000 } };
    set_handler(SIGALRM, h_count, SA_RESTART);
    alarms = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    while (alarms < 3)
        pause();
    getitimer(ITIMER_REAL, &old);
    check(old.it_interval.tv_usec == 20000 && old.it_value.tv_sec == 0 &&
          old.it_value.tv_usec <= 20000, "setitimer interval 20 ms: SIGALRM repeats, getitimer",
          "value %ld us interval %ld", old.it_value.tv_usec, old.it_interval.tv_usec);
    it = (struct itimerval){ { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &old);
    check(old.it_value.tv_usec == 0 && old.it_value.tv_sec == 0, "setitimer 0 disarms", "%ld%ld", 0, 0);
    n = setitimer(ITIMER_REAL, &(struct itimerval){ { 0, 0 }, { 0, 1000000 } }, NULL);
    check(n == -1 && errno == EINVAL, "setitimer tv_usec 1000000: EINVAL", "errno %ld%ld", errno, 0);
}

/* ---- SIGCHLD, rt_sigsuspend, pause ---- */

static void test_sigchld(void)
{
    sigset_t empty, m;
    pid_t pid;
    int status, n;

    on(SIGCHLD, h_info, 0);
    block(SIGCHLD);
    got_count = 0;
    pid = fork();
    if (!pid)
        _exit(5);
    sigemptyset(&empty);
    n = sigsuspend(&empty);
    check(n == -1 && errno == EINTR && got_count == 1, "rt_sigsuspend returns EINTR after the handler",
          "count %ld errno %ld", got_count, errno);
    check(got_sig == SIGCHLD && got_code == CLD_EXITED && got_pid == pid && got_status == 5,
          "SIGCHLD at child exit: CLD_EXITED, si_pid, si_status 5", "code %ld status %ld",
          got_code, got_status);
    m = cur_mask();
    check(sigismember(&m, SIGCHLD), "rt_sigsuspend: the old mask is back (SIGCHLD blocked)",
          "%ld%ld", 0, 0);
    waitpid(pid, &status, 0);
    got_count = 0;
    pid = fork();
    if (!pid) {
        kill(getpid(), SIGTERM);
        _exit(0);
    }
    while (!got_count)
        sigsuspend(&empty);
    check(got_code == CLD_KILLED && got_status == SIGTERM, "SIGCHLD for a killed child: CLD_KILLED",
          "code %ld status %ld", got_code, got_status);
    waitpid(pid, &status, 0);
    unblock(SIGCHLD);
    signal(SIGCHLD, SIG_DFL);
    /* pause() in a child, woken by a handled signal (sent until the child
     * is gone: one sent before its pause only runs the handler). */
    set_handler(SIGUSR1, h_count, SA_RESTART);
    pid = fork();
    if (!pid) {
        n = pause();
        _exit(n == -1 && errno == EINTR ? 3 : 4);
    }
    for (n = 0; n < 500 && waitpid(pid, &status, WNOHANG) == 0; n++) {
        kill(pid, SIGUSR1);
        sleep_ms(20);
    }
    check(WIFEXITED(status) && WEXITSTATUS(status) == 3, "pause() returns EINTR after a handler",
          "status %#lx%ld", status, 0);
    /* SIGCHLD ignored, or SA_NOCLDWAIT: no zombie; wait4 waits for the
     * child, then ECHILD. */
    signal(SIGCHLD, SIG_IGN);
    pid = fork();
    if (!pid) {
        sleep_ms(20);
        _exit(3);
    }
    n = waitpid(-1, &status, 0);
    check(n == -1 && errno == ECHILD && kill(pid, 0) == -1,
          "SIGCHLD SIG_IGN: the child leaves no zombie, wait4 ECHILD", "n %ld errno %ld", n, errno);
    on(SIGCHLD, h_info, SA_NOCLDWAIT);
    got_count = 0;
    pid = fork();
    if (!pid)
        _exit(4);
    n = waitpid(-1, &status, 0);
    check(n == -1 && errno == ECHILD && got_count == 1 && got_status == 4,
          "SA_NOCLDWAIT: the handler runs, no zombie, wait4 ECHILD", "n %ld count %ld", n, got_count);
    signal(SIGCHLD, SIG_DFL);
}

/* ---- SIGPIPE ---- */

static void test_sigpipe(void)
{
    int fds[2];
    long n;

    on(SIGPIPE, h_info, 0);
    pipe(fds);
    close(fds[0]);
    got_count = 0;
    n = write(fds[1], "z", 1);
    check(n == -1 && errno == EPIPE && got_count == 1 && got_sig == SIGPIPE,
          "a write with no reader: SIGPIPE handler, then EPIPE", "n %ld count %ld", n, got_count);
    close(fds[1]);
    signal(SIGPIPE, SIG_DFL);
}

/* ---- faults ---- */

static sigjmp_buf jb;
static void h_jump(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    siglongjmp(jb, 1);
}

extern char ud2_here[], div_here[];

static void test_faults(void)
{
    volatile int zero = 0;
    char *ro;
    sigset_t m;

    on(SIGSEGV, h_jump, 0);
    on(SIGFPE, h_jump, 0);
    on(SIGILL, h_jump, 0);
    if (!sigsetjmp(jb, 1))
        *(volatile int *)0x1234 = 1;
    check(got_sig == SIGSEGV && got_code == SEGV_MAPERR && got_addr == 0x1234,
          "SIGSEGV handler: SEGV_MAPERR, si_addr 0x1234 (siglongjmp out)", "code %ld addr %#lx",
          got_code, (long)got_addr);
    m = cur_mask();
    check(!sigismember(&m, SIGSEGV), "siglongjmp restored the mask", "%ld%ld", 0, 0);
    ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    got_sig = 0;
    if (!sigsetjmp(jb, 1))
        ro[8] = 1;
    check(got_sig == SIGSEGV && got_code == SEGV_ACCERR && got_addr == (uintptr_t)ro + 8,
          "write to a read-only page: SEGV_ACCERR, si_addr", "code %ld addr %#lx", got_code,
          (long)got_addr);
    munmap(ro, 4096);
    got_sig = 0;
    if (!sigsetjmp(jb, 1))      /* asm: gcc turns 1 / x into a compare */
        __asm__ volatile("xor %%edx, %%edx\n\tmov $1, %%eax\n\t.globl div_here\n"
                         "div_here: idivl %0" :: "r"(zero) : "eax", "edx");
    check(got_sig == SIGFPE && got_code == FPE_INTDIV && got_addr == (uintptr_t)div_here,
          "divide by zero: SIGFPE FPE_INTDIV, si_addr the instruction", "code %ld addr %#lx",
          got_code, (long)got_addr);
    got_sig = 0;
    if (!sigsetjmp(jb, 1))
        __asm__ volatile(".globl ud2_here\nud2_here: ud2");
    check(got_sig == SIGILL && got_code == ILL_ILLOPN && got_addr == (uintptr_t)ud2_here,
          "ud2: SIGILL ILL_ILLOPN, si_addr the instruction", "code %ld addr %#lx", got_code,
          (long)got_addr);
    signal(SIGFPE, SIG_DFL);
    signal(SIGILL, SIG_DFL);
    signal(SIGSEGV, SIG_DFL);
}

static void h_fault_again(int sig)
{
    (void)sig;
    *(volatile int *)0 = 2;     /* SIGSEGV while SIGSEGV is blocked: killed */
}

static void test_fault_kills(void)
{
    pid_t pid;
    int status;

    pid = fork();
    if (!pid) {
        set_handler(SIGSEGV, h_fault_again, 0);
        *(volatile int *)0 = 1;
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "a handler that faults again: killed by SIGSEGV", "status %#lx%ld", status, 0);
    pid = fork();
    if (!pid) {
        set_handler(SIGSEGV, h_fault_again, 0);
        block(SIGSEGV);
        *(volatile int *)0 = 1;
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "a fault with SIGSEGV blocked: killed", "status %#lx%ld", status, 0);
}

/* ---- nesting ---- */

static volatile int order[8], norder, depth, max_depth;

static void h_nest2(int sig) { (void)sig; order[norder++] = 2; }

static void h_nest1(int sig)
{
    (void)sig;
    order[norder++] = 1;
    if (norder == 1) {
        kill(getpid(), SIGUSR2);    /* runs now, nested */
        kill(getpid(), SIGUSR1);    /* blocked: after this handler returns */
    }
    order[norder++] = 9;
}

static void h_nodefer(int sig)
{
    (void)sig;
    depth++;
    if (depth > max_depth)
        max_depth = depth;
    if (depth < 3)
        kill(getpid(), SIGUSR1);
    depth--;
}

static void test_nesting(void)
{
    set_handler(SIGUSR1, h_nest1, 0);
    set_handler(SIGUSR2, h_nest2, 0);
    norder = 0;
    kill(getpid(), SIGUSR1);
    check(norder == 5 && order[0] == 1 && order[1] == 2 && order[2] == 9 && order[3] == 1 &&
          order[4] == 9, "nested: another signal runs inside, the same one after",
          "norder %ld order[1] %ld", norder, order[1]);
    set_handler(SIGUSR1, h_nodefer, SA_NODEFER);
    depth = max_depth = 0;
    kill(getpid(), SIGUSR1);
    check(max_depth == 3, "SA_NODEFER: the same signal nests", "depth %ld%ld", max_depth, 0);
    set_handler(SIGUSR1, h_count, SA_RESETHAND);
    alarms = 0;
    kill(getpid(), SIGUSR1);
    {
        struct sigaction old;

        sigaction(SIGUSR1, NULL, &old);
        check(alarms == 1 && old.sa_handler == SIG_DFL, "SA_RESETHAND: SIG_DFL after one delivery",
              "%ld%ld", alarms, 0);
    }
    signal(SIGUSR2, SIG_DFL);
}

/* ---- sigaltstack ---- */

static char *alt;
#define ALT_SIZE (64 * 1024)
static volatile int on_alt, alt_flags;

static void h_alt(int sig)
{
    char here;
    stack_t st;

    (void)sig;
    on_alt = &here >= alt && &here < alt + ALT_SIZE;
    sigaltstack(NULL, &st);
    alt_flags = st.ss_flags;
    st.ss_flags = 0;
    alt_flags |= sigaltstack(&st, NULL) == -1 && errno == EPERM ? 0x100 : 0;
}

static int recurse(int n)
{
    volatile char pad[1024];

    pad[0] = (char)n;
    if (n > (1 << 20))          /* never: the stack ends long before */
        return 0;
    return recurse(n + 1) + pad[0];
}

static void h_overflow(int sig, siginfo_t *si, void *uc)
{
    char here;

    (void)si; (void)uc;
    got_sig = sig;
    on_alt = &here >= alt && &here < alt + ALT_SIZE;
    siglongjmp(jb, 1);
}

static void test_altstack(void)
{
    stack_t st = { 0 }, old = { 0 };
    pid_t pid;
    int status;

    alt = malloc(ALT_SIZE);
    st.ss_sp = alt;
    st.ss_size = ALT_SIZE;
    check(sigaltstack(&st, &old) == 0 && old.ss_flags == SS_DISABLE, "sigaltstack: set (none before)",
          "flags %ld%ld", old.ss_flags, 0);
    st.ss_size = 1024;
    check(sigaltstack(&st, NULL) == -1 && errno == ENOMEM, "sigaltstack below MINSIGSTKSZ: ENOMEM",
          "errno %ld%ld", errno, 0);
    set_handler(SIGUSR1, h_alt, SA_ONSTACK);
    kill(getpid(), SIGUSR1);
    check(on_alt && alt_flags == (SS_ONSTACK | 0x100),
          "SA_ONSTACK: the handler runs on the alternate stack, SS_ONSTACK, EPERM to change it",
          "on %ld flags %#lx", on_alt, alt_flags);
    set_handler(SIGUSR1, h_alt, 0);
    kill(getpid(), SIGUSR1);
    check(!on_alt, "without SA_ONSTACK: the normal stack", "%ld%ld", on_alt, 0);
    /* Stack overflow caught on the alternate stack (a child: its stack). */
    pid = fork();
    if (!pid) {
        on(SIGSEGV, h_overflow, SA_ONSTACK);
        if (!sigsetjmp(jb, 1))
            recurse(0);
        _exit(got_sig == SIGSEGV && on_alt ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "stack overflow: SIGSEGV handled on the alternate stack", "status %#lx%ld", status, 0);
    signal(SIGUSR1, SIG_DFL);
}

/* ---- rt_sigtimedwait, tkill, tgkill ---- */

static void test_sigwait(void)
{
    sigset_t set;
    siginfo_t si;
    struct timespec ts = { 0, 30000000 };
    pid_t pid;
    int status, n;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    block(SIGUSR1);
    pid = fork();
    if (!pid) {
        sleep_ms(30);
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    n = sigtimedwait(&set, &si, NULL);
    check(n == SIGUSR1 && si.si_pid == pid && si.si_code == SI_USER,
          "rt_sigtimedwait: a blocked SIGUSR1 taken with its siginfo", "n %ld pid %ld", n, si.si_pid);
    waitpid(pid, &status, 0);
    n = sigtimedwait(&set, &si, &ts);
    check(n == -1 && errno == EAGAIN, "rt_sigtimedwait timeout: EAGAIN", "n %ld errno %ld", n, errno);
    unblock(SIGUSR1);
    on(SIGUSR1, h_info, 0);
    got_count = 0;
    n = syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
    check(n == 0 && got_count == 1 && got_code == SI_TKILL, "tgkill to self: SI_TKILL",
          "code %ld count %ld", got_code, got_count);
    n = syscall(SYS_tkill, getpid(), SIGUSR1);
    check(n == 0 && got_count == 2, "tkill to self", "n %ld count %ld", n, got_count);
    n = syscall(SYS_tgkill, getpid(), 30000, SIGUSR1);
    check(n == -1 && errno == ESRCH, "tgkill of an unknown tid: ESRCH", "errno %ld%ld", errno, 0);
    n = syscall(SYS_tkill, 0, SIGUSR1);
    check(n == -1 && errno == EINVAL, "tkill(0): EINVAL", "errno %ld%ld", errno, 0);
    signal(SIGUSR1, SIG_DFL);
}

/* ---- default actions ---- */

static int child_status(int sig, int blockit)
{
    pid_t pid = fork();
    int status;

    if (!pid) {
        if (blockit)
            block(sig);
        kill(getpid(), sig);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    return status;
}

static void test_defaults(void)
{
    int s;

    s = child_status(SIGUSR1, 0);
    check(WIFSIGNALED(s) && WTERMSIG(s) == SIGUSR1, "default SIGUSR1: terminate", "status %#lx%ld", s, 0);
    s = child_status(SIGQUIT, 0);
    check(WIFSIGNALED(s) && WTERMSIG(s) == SIGQUIT && !WCOREDUMP(s),
          "default SIGQUIT: terminate, no core bit", "status %#lx%ld", s, 0);
    s = child_status(SIGWINCH, 0);
    check(WIFEXITED(s) && WEXITSTATUS(s) == 0, "default SIGWINCH: ignored", "status %#lx%ld", s, 0);
    s = child_status(SIGTSTP, 0);
    check(WIFEXITED(s) && WEXITSTATUS(s) == 0, "SIGTSTP: ignored (no job control)", "status %#lx%ld", s, 0);
    s = child_status(SIGTERM, 1);
    check(WIFEXITED(s) && WEXITSTATUS(s) == 0, "a blocked SIGTERM does not kill", "status %#lx%ld", s, 0);
    signal(SIGUSR1, SIG_DFL);
    check(kill(1, SIGUSR1) == 0 && kill(1, SIGTERM) == 0,
          "pid 1 without a handler ignores SIGUSR1 and SIGTERM", "errno %ld%ld", errno, 0);
}

/* ---- bad rt_sigreturn frames ---- */

static void test_bad_sigreturn(void)
{
    static unsigned char garbage[1024];
    pid_t pid;
    int status;

    memset(garbage, 0xff, sizeof(garbage));
    pid = fork();
    if (!pid) {
        __asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\tud2"
                         :: "r"(garbage + 512) : "memory");
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "rt_sigreturn with a garbage frame (rip ~0): SIGSEGV", "status %#lx%ld", status, 0);
    pid = fork();
    if (!pid) {
        __asm__ volatile("mov $0x1000, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\tud2" ::: "memory");
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "rt_sigreturn with an unmapped frame: SIGSEGV", "status %#lx%ld", status, 0);
}

/* ---- what rt_sigreturn sanitizes ---- */

static void h_garble(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    (void)sig; (void)si;
    uc->uc_mcontext.fpregs->mxcsr = 0xffffffff;     /* reserved bits: fxrstor would #GP */
    uc->uc_mcontext.gregs[REG_EFL] |= 0x3000 | 0x4000;  /* IOPL 3, NT */
    uc->uc_mcontext.gregs[REG_CSGSFS] = 0;          /* cs, gs, fs, ss 0 */
}

static volatile int traps;

static void h_set_tf(int sig, siginfo_t *si, void *ucv)
{
    (void)sig; (void)si;
    ((ucontext_t *)ucv)->uc_mcontext.gregs[REG_EFL] |= 0x100;    /* TF */
}

static void h_trap(int sig, siginfo_t *si, void *ucv)
{
    (void)sig; (void)si;
    traps++;
    ((ucontext_t *)ucv)->uc_mcontext.gregs[REG_EFL] &= ~0x100L;
}

static void test_sanitize(void)
{
    unsigned long flags;
    unsigned mx;
    pid_t pid;
    int status;

    on(SIGUSR1, h_garble, 0);
    kill(getpid(), SIGUSR1);
    __asm__ volatile("pushf\n\tpop %0\n\tstmxcsr %1" : "=r"(flags), "=m"(mx));
    check((flags & 0x7000) == 0 && (mx & ~0xffffU) == 0 && (mx & 0x3f) == 0x3f,
          "rt_sigreturn keeps only user rflags bits (no IOPL, NT) and valid MXCSR bits",
          "rflags %#lx mxcsr %#lx", (long)flags, (long)mx);
    __asm__ volatile("ldmxcsr %0" :: "m"((unsigned){ 0x1f80 }));
    /* TF set through uc_mcontext: the next instruction traps (#DB),
     * SIGTRAP's handler clears it again. */
    on(SIGUSR1, h_set_tf, 0);
    on(SIGTRAP, h_trap, 0);
    traps = 0;
    kill(getpid(), SIGUSR1);
    check(traps == 1, "TF set in uc_mcontext: one SIGTRAP after the return", "traps %ld%ld",
          traps, 0);
    signal(SIGTRAP, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
    /* A kernel rip in uc_mcontext: SIGSEGV. */
    pid = fork();
    if (!pid) {
        static unsigned char frame[4096];
        ucontext_t *uc = (ucontext_t *)(frame + 256);

        memset(frame, 0, sizeof(frame));
        uc->uc_mcontext.gregs[REG_RIP] = (long)0xffffffff80000000UL;
        uc->uc_mcontext.gregs[REG_RSP] = (long)(frame + 4000);
        __asm__ volatile("mov %0, %%rsp\n\tmov $15, %%eax\n\tsyscall\n\tud2"
                         :: "r"(uc) : "memory");
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "rt_sigreturn to a kernel rip: SIGSEGV", "status %#lx%ld", status, 0);
}

/* ---- fork and execve ---- */

static void test_fork_exec(void)
{
    pid_t pid;
    int status;
    stack_t st = { .ss_sp = alt, .ss_size = ALT_SIZE };

    sigaltstack(&st, NULL);
    set_handler(SIGUSR1, h_count, 0);
    signal(SIGUSR2, SIG_IGN);
    block(SIGINT);
    pid = fork();
    if (!pid) {
        struct sigaction sa;
        stack_t cur;
        sigset_t m = cur_mask();

        sigaction(SIGUSR1, NULL, &sa);
        sigaltstack(NULL, &cur);
        _exit(sa.sa_handler == h_count && sigismember(&m, SIGINT) && cur.ss_sp == alt &&
              cur.ss_size == ALT_SIZE ? 0 : 1);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "fork copies handlers, mask and the alternate stack", "status %#lx%ld", status, 0);
    pid = fork();
    if (!pid) {
        execl("/bin/sigtest", "sigtest", "exec-child", (char *)0);
        _exit(9);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "execve: caught -> SIG_DFL, SIG_IGN kept, mask kept, no alternate stack",
          "status %#lx%ld", status, 0);
    unblock(SIGINT);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
    st.ss_flags = SS_DISABLE;
    sigaltstack(&st, NULL);
}

static int exec_child(void)
{
    struct sigaction a, b;
    stack_t st;
    sigset_t m = cur_mask();

    sigaction(SIGUSR1, NULL, &a);
    sigaction(SIGUSR2, NULL, &b);
    sigaltstack(NULL, &st);
    return a.sa_handler == SIG_DFL && b.sa_handler == SIG_IGN && sigismember(&m, SIGINT) &&
           st.ss_flags == SS_DISABLE ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "exec-child"))
        return exec_child();
    setvbuf(stdout, NULL, _IONBF, 0);
    test_handler_args();
    test_ucontext_change();
    test_blocked();
    test_restart();
    test_timers();
    test_sigchld();
    test_sigpipe();
    test_faults();
    test_fault_kills();
    test_nesting();
    test_altstack();
    test_sigwait();
    test_defaults();
    test_bad_sigreturn();
    test_sanitize();
    test_fork_exec();
    return check_report();
}
