/* SPDX-License-Identifier: MIT */
/*
 * signal.h - signal delivery: sending, pending and blocked sets, the
 *            check on every return to user mode, the x86_64 rt_sigframe,
 *            system-call restart.
 * Owns:    the signal numbers and flags beyond uapi.h's, the user layouts
 *          of the signal frame (struct linux_siginfo, linux_ucontext,
 *          linux_sigcontext: Linux's x86_64 ones), the restart codes.
 * Touches: nothing (declarations).  Implemented by kernel/signal.c; the
 *          system calls are kernel/sys_signal.c.
 *
 * Restart codes (Linux's, include/linux/errno.h; never seen by user
 * mode).  A system call that a signal interrupted returns one of these
 * instead of -EINTR; the way back to user mode (signal_syscall_exit())
 * turns it into -EINTR or restarts the call (rip back over `syscall`, rax
 * the call's number again):
 *
 *     code                  handler runs, SA_RESTART   handler, no SA_RESTART   no handler
 *     -ERESTARTSYS          restart                    -EINTR                   restart
 *     -ERESTARTNOINTR       restart                    restart                  restart
 *     -ERESTARTNOHAND       -EINTR                     -EINTR                   restart
 *
 * Which one to return, as Linux: a blocking read or write (pipe, tty),
 * wait4: -ERESTARTSYS; poll, select, pause, rt_sigsuspend:
 * -ERESTARTNOHAND; nanosleep and clock_nanosleep answer -EINTR with the
 * time left (Linux restarts them through restart_syscall when no handler
 * ran; here a signal that runs no handler never wakes a sleeper, below,
 * so -EINTR is what user mode sees either way).  wait_sleep() still
 * answers -EINTR: a caller maps it to its code (`rc == -EINTR ?
 * -ERESTARTSYS : rc`).
 *
 * What wakes a sleeper (wait_interrupt()): only a signal that will do
 * something, i.e. not blocked and not ignored (its action SIG_IGN, or
 * SIG_DFL with an "ignore" default, or SIG_DFL at pid 1).  An ignored
 * signal is dropped when sent (unless blocked: then it stays pending and
 * is dropped when unblocked), so it never interrupts a system call.
 */
#ifndef SIGNAL_H
#define SIGNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <uapi.h>

#define ERESTARTSYS     512
#define ERESTARTNOINTR  513
#define ERESTARTNOHAND  514

/* The rest of Linux's numbers (uapi.h has the common ones). */
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPWR    30
#define SIGSYS    31

#define SIG_DFL 0UL
#define SIG_IGN 1UL

#define SA_SIGINFO   0x00000004UL
#define SA_NOCLDWAIT 0x00000002UL
#define SA_RESTORER  0x04000000UL
#define SA_ONSTACK   0x08000000UL
#define SA_RESTART   0x10000000UL
#define SA_NODEFER   0x40000000UL
#define SA_RESETHAND 0x80000000UL

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
/* SIGKILL and SIGSTOP can be neither caught nor blocked. */
#define SIG_CANTMASK (sig_bit(SIGKILL) | sig_bit(SIGSTOP))

/* sigaltstack */
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ   2048

/* si_code values */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_TKILL    (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define FPE_INTDIV  1
#define ILL_ILLOPN  2
#define BUS_ADRALN  1
#define TRAP_BRKPT  1
#define CLD_EXITED  1
#define CLD_KILLED  2

/* ucontext.uc_flags (arch/x86/include/uapi/asm/ucontext.h) */
#define UC_FP_XSTATE         0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

/* What the kernel keeps of a pending signal (one per number: standard
 * signals do not queue). */
struct ksiginfo {
    int signo, code;
    int pid;                    /* sender (kill, SIGCHLD: the child) */
    int status;                 /* SIGCHLD: exit code or signal */
    uint64_t addr;              /* faults: si_addr */
    /* the fault's trap number, error code and cr2, for the sigcontext */
    uint64_t trapno, err, cr2;
};

/* Linux's x86_64 user layouts. */
struct linux_siginfo {
    int32_t si_signo, si_errno, si_code, pad;
    union {
        struct { int32_t pid; uint32_t uid; int32_t status; int32_t pad;
                 int64_t utime, stime; } chld;      /* also kill: pid, uid */
        struct { uint64_t addr; } fault;
        uint8_t raw[112];
    };
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo is 128 bytes");

struct linux_stack { uint64_t ss_sp; int32_t ss_flags; int32_t pad; uint64_t ss_size; };

struct linux_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate;           /* user address of the fxsave image, or 0 */
    uint64_t reserved1[8];
};
_Static_assert(sizeof(struct linux_sigcontext) == 256, "sigcontext is 256 bytes");

struct linux_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    struct linux_stack uc_stack;
    struct linux_sigcontext uc_mcontext;
    uint64_t uc_sigmask;
};
_Static_assert(sizeof(struct linux_ucontext) == 304, "ucontext layout");

/* The frame at the handler's rsp: the return address (sa_restorer), then
 * the ucontext, then the siginfo; the FP state lies above, 64-byte
 * aligned. */
struct rt_sigframe {
    uint64_t pretcode;
    struct linux_ucontext uc;
    struct linux_siginfo info;
};
_Static_assert(sizeof(struct rt_sigframe) == 440, "rt_sigframe layout");

struct process;
struct trap_frame;

/* Send sig to p (kill, tkill, the kernel: SIGPIPE, SIGCHLD, SIGALRM).
 * Dropped if ignored; else pending, and p is woken if it can act on it. */
void signal_send(struct process *p, const struct ksiginfo *info);
/* The kernel's signal to a process group (the tty: SIGINT, SIGQUIT,
 * SIGWINCH, SIGHUP to its foreground group; si_code SI_KERNEL, as Linux's
 * kill_pgrp(..., 1)); how many processes it was sent to.  Any context. */
unsigned int signal_send_pgrp(int pgid, int sig);
/* A fault in user mode (traps.c): true if a handler will run on the way
 * back; false if the process must die of it (blocked, ignored, default). */
bool signal_fault(struct process *p, const struct ksiginfo *info);
/* A pending signal that would interrupt a sleep. */
bool signal_pending(struct process *p);
/* The way back to user mode: deliver what is pending and unblocked
 * (handlers get frames, default actions act); for a system call (nr >= 0)
 * apply the restart rules first.  True if the frame changed and needs a
 * full iret. */
bool signal_user_return(struct trap_frame *f, long nr);
/* The default action (ignore, terminate) of sig. */
bool signal_default_ignores(int sig);
/* Anything for signal_user_return() on a system call's way out? */
bool signal_work(const struct process *p, const struct trap_frame *f);
/* Drop pending signals that would do nothing (after a mask or action change). */
void signal_flush_ignored(struct process *p);
/* sigaltstack: install ss (if any), report the old one (if asked); sp the
 * user's stack pointer.  0 or -errno. */
struct linux_stack;
long signal_altstack(struct process *p, const struct linux_stack *ss,
                     struct linux_stack *old, uint64_t sp);
/* rt_sigreturn: restore from the frame at the user's rsp. */
long signal_sigreturn(struct trap_frame *f);
/* At exit: the interval timer goes. */
void signal_exit(struct process *p);
/* ITIMER_REAL of p (sys_signal.c): deadline 0 disarms. */
void signal_itimer_arm(struct process *p, uint64_t deadline, uint64_t interval);

#endif /* SIGNAL_H */
