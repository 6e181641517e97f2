/* SPDX-License-Identifier: MIT */
/*
 * syscall.h - the Linux x86_64 system calls pvkernel implements: the one
 *             table, by number.
 * Owns:    SYSCALL_LIST, the handlers' signature.
 * Touches: nothing (declarations).  kernel/syscall.c builds the table and
 *          dispatches; each handler lives in the sys_*.c of its family.
 *          guest-kernel/README.md ("System calls") lists the same rows;
 *          tests/docs/check_syscalls.py keeps the two equal.
 *
 * Each handler gets the six argument registers (rdi, rsi, rdx, r10, r8, r9)
 * and returns the value for rax: >= 0, or -errno (uapi.h).
 */
#ifndef SYSCALL_H
#define SYSCALL_H

#define SYSCALL_ARGS long a0, long a1, long a2, long a3, long a4, long a5

/* X(number, name, family file) */
#define SYSCALL_LIST(X)                 \
    X(0,   read,            fs)         \
    X(1,   write,           fs)         \
    X(2,   open,            fs)         \
    X(3,   close,           fs)         \
    X(4,   stat,            fs)         \
    X(5,   fstat,           fs)         \
    X(6,   lstat,           fs)         \
    X(7,   poll,            poll)       \
    X(8,   lseek,           fs)         \
    X(9,   mmap,            mm)         \
    X(10,  mprotect,        mm)         \
    X(11,  munmap,          mm)         \
    X(12,  brk,             mm)         \
    X(13,  rt_sigaction,    signal)     \
    X(14,  rt_sigprocmask,  signal)     \
    X(15,  rt_sigreturn,    signal)     \
    X(16,  ioctl,           fs)         \
    X(17,  pread64,         fs)         \
    X(18,  pwrite64,        fs)         \
    X(19,  readv,           fs)         \
    X(20,  writev,          fs)         \
    X(21,  access,          fs)         \
    X(22,  pipe,            fs)         \
    X(23,  select,          poll)       \
    X(24,  sched_yield,     proc)       \
    X(25,  mremap,          mm)         \
    X(28,  madvise,         mm)         \
    X(32,  dup,             fs)         \
    X(33,  dup2,            fs)         \
    X(34,  pause,           signal)     \
    X(35,  nanosleep,       time)       \
    X(36,  getitimer,       signal)     \
    X(37,  alarm,           signal)     \
    X(38,  setitimer,       signal)     \
    X(39,  getpid,          proc)       \
    X(40,  sendfile,        misc)       \
    X(41,  socket,          socket)     \
    X(42,  connect,         socket)     \
    X(43,  accept,          socket)     \
    X(44,  sendto,          socket)     \
    X(45,  recvfrom,        socket)     \
    X(46,  sendmsg,         socket)     \
    X(47,  recvmsg,         socket)     \
    X(48,  shutdown,        socket)     \
    X(49,  bind,            socket)     \
    X(50,  listen,          socket)     \
    X(51,  getsockname,     socket)     \
    X(52,  getpeername,     socket)     \
    X(53,  socketpair,      socket)     \
    X(54,  setsockopt,      socket)     \
    X(55,  getsockopt,      socket)     \
    X(56,  clone,           proc)       \
    X(57,  fork,            proc)       \
    X(58,  vfork,           proc)       \
    X(59,  execve,          proc)       \
    X(60,  exit,            proc)       \
    X(61,  wait4,           proc)       \
    X(62,  kill,            signal)     \
    X(63,  uname,           proc)       \
    X(72,  fcntl,           fs)         \
    X(74,  fsync,           fs)         \
    X(75,  fdatasync,       fs)         \
    X(76,  truncate,        fs)         \
    X(77,  ftruncate,       fs)         \
    X(79,  getcwd,          fs)         \
    X(80,  chdir,           fs)         \
    X(81,  fchdir,          fs)         \
    X(82,  rename,          fs)         \
    X(83,  mkdir,           fs)         \
    X(84,  rmdir,           fs)         \
    X(85,  creat,           fs)         \
    X(86,  link,            fs)         \
    X(87,  unlink,          fs)         \
    X(88,  symlink,         fs)         \
    X(89,  readlink,        fs)         \
    X(90,  chmod,           fs)         \
    X(91,  fchmod,          fs)         \
    X(92,  chown,           fs)         \
    X(93,  fchown,          fs)         \
    X(94,  lchown,          fs)         \
    X(95,  umask,           fs)         \
    X(96,  gettimeofday,    time)       \
    X(97,  getrlimit,       proc)       \
    X(98,  getrusage,       misc)       \
    X(99,  sysinfo,         misc)       \
    X(100, times,           misc)       \
    X(102, getuid,          proc)       \
    X(104, getgid,          proc)       \
    X(107, geteuid,         proc)       \
    X(108, getegid,         proc)       \
    X(109, setpgid,         proc)       \
    X(110, getppid,         proc)       \
    X(111, getpgrp,         proc)       \
    X(112, setsid,          proc)       \
    X(115, getgroups,       proc)       \
    X(121, getpgid,         proc)       \
    X(124, getsid,          proc)       \
    X(127, rt_sigpending,   signal)     \
    X(128, rt_sigtimedwait, signal)     \
    X(130, rt_sigsuspend,   signal)     \
    X(131, sigaltstack,     signal)     \
    X(133, mknod,           fs)         \
    X(137, statfs,          fs)         \
    X(138, fstatfs,         fs)         \
    X(140, getpriority,     proc)       \
    X(141, setpriority,     proc)       \
    X(157, prctl,           proc)       \
    X(158, arch_prctl,      proc)       \
    X(160, setrlimit,       proc)       \
    X(162, sync,            fs)         \
    X(169, reboot,          misc)       \
    X(170, sethostname,     proc)       \
    X(186, gettid,          proc)       \
    X(200, tkill,           signal)     \
    X(201, time,            misc)       \
    X(204, sched_getaffinity, proc)     \
    X(217, getdents64,      fs)         \
    X(218, set_tid_address, proc)       \
    X(228, clock_gettime,   time)       \
    X(230, clock_nanosleep, time)       \
    X(231, exit_group,      proc)       \
    X(234, tgkill,          signal)     \
    X(257, openat,          fs)         \
    X(258, mkdirat,         fs)         \
    X(259, mknodat,         fs)         \
    X(260, fchownat,        fs)         \
    X(262, newfstatat,      fs)         \
    X(263, unlinkat,        fs)         \
    X(264, renameat,        fs)         \
    X(265, linkat,          fs)         \
    X(266, symlinkat,       fs)         \
    X(267, readlinkat,      fs)         \
    X(268, fchmodat,        fs)         \
    X(269, faccessat,       fs)         \
    X(270, pselect6,        poll)       \
    X(271, ppoll,           poll)       \
    X(273, set_robust_list, proc)       \
    X(280, utimensat,       fs)         \
    X(288, accept4,         socket)     \
    X(292, dup3,            fs)         \
    X(293, pipe2,           fs)         \
    X(302, prlimit64,       proc)       \
    X(316, renameat2,       fs)         \
    X(318, getrandom,       misc)       \
    X(332, statx,           fs)         \
    X(334, rseq,            proc)       \
    X(435, clone3,          proc)       \
    X(439, faccessat2,      fs)

#define SYSCALL_DECLARE(nr, name, family) long sys_##name(SYSCALL_ARGS);
SYSCALL_LIST(SYSCALL_DECLARE)
#undef SYSCALL_DECLARE

/* The highest number the table can hold (x86_64 has about 460). */
#define SYSCALL_TABLE_SIZE 512

struct trap_frame;
/* Called by the syscall entry (entry.S) with the user's frame; returns
 * nonzero when the frame must go back with a full iret (exec changed it). */
long syscall_dispatch(struct trap_frame *f);
long syscall_count(unsigned int nr);     /* calls so far (for tests) */

#endif /* SYSCALL_H */
