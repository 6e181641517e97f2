/* SPDX-License-Identifier: MIT */
/*
 * uapi.h - the Linux x86_64 user ABI pvkernel implements: errno values,
 *          auxv tags, the structs user programs pass (stat, utsname,
 *          timespec, iovec, winsize), open/mmap/arch_prctl constants.
 * Owns:    nothing but numbers and layouts; each one is Linux's
 *          (include/uapi/ of Linux, asm-generic/errno-base.h, ...),
 *          written here from the ABI, checked by user/usertest.c at run
 *          time against musl's own headers.
 * Touches: nothing.
 */
#ifndef UAPI_H
#define UAPI_H

#include <stdint.h>

/* errno (asm-generic/errno-base.h, errno.h) */
#define EPERM    1
#define ENOENT   2
#define ESRCH    3
#define EINTR    4
#define EIO      5
#define ENXIO    6
#define E2BIG    7
#define ENOEXEC  8
#define EBADF    9
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EACCES  13
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define EXDEV   18
#define ENODEV  19
#define ENOTDIR 20
#define EISDIR  21
#define EINVAL  22
#define EMFILE  24
#define ENOTTY  25
#define EFBIG   27
#define ENOSPC  28
#define ESPIPE  29
#define EPIPE   32
#define EROFS   30
#define ERANGE  34
#define ENAMETOOLONG 36
#define ENOSYS  38
#define ENOTEMPTY 39
#define ELOOP   40
#define ENOTCONN 107
#define ETIMEDOUT 110

/* Signals (asm/signal.h): the ones a user fault raises. */
#define SIGILL   4
#define SIGTRAP  5
#define SIGBUS   7
#define SIGFPE   8
#define SIGKILL  9
#define SIGSEGV 11
#define NSIG    64
/* ... and the ones kill() and exit() use. */
#define SIGHUP   1
#define SIGINT   2
#define SIGQUIT  3
#define SIGABRT  6
#define SIGUSR1 10
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define sig_bit(sig) (1UL << ((sig) - 1))

/* wait4 options (uapi/linux/wait.h), clone flags (uapi/linux/sched.h) */
#define WNOHANG         1
#define WUNTRACED       2
#define WCONTINUED      8
#define __WNOTHREAD 0x20000000
#define __WALL      0x40000000
#define __WCLONE    0x80000000
#define CSIGNAL     0x000000ff  /* the exit signal, in clone's flags */
#define CLONE_VM    0x00000100
#define CLONE_VFORK 0x00004000
#define CLONE_SETTLS          0x00080000
#define CLONE_PARENT_SETTID   0x00100000
#define CLONE_CHILD_CLEARTID  0x00200000
#define CLONE_CHILD_SETTID    0x01000000
/* clone3's argument (uapi/linux/sched.h), its first 64 bytes (VER0) */
struct linux_clone_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};
/* resource limits (uapi/asm-generic/resource.h) */
#define RLIMIT_STACK   3
#define RLIMIT_NPROC   6
#define RLIMIT_NOFILE  7
#define RLIM_NLIMITS  16
#define RLIM_INFINITY (~0UL)
struct linux_rlimit { uint64_t cur, max; };
/* prctl (uapi/linux/prctl.h) */
#define PR_SET_NAME 15
#define PR_GET_NAME 16
/* reboot (uapi/linux/reboot.h) */
#define LINUX_REBOOT_MAGIC1         0xfee1dead
#define LINUX_REBOOT_MAGIC2         672274793
#define LINUX_REBOOT_MAGIC2A        85072278
#define LINUX_REBOOT_MAGIC2B        369367448
#define LINUX_REBOOT_MAGIC2C        537993216
#define LINUX_REBOOT_CMD_RESTART    0x01234567
#define LINUX_REBOOT_CMD_HALT       0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON     0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF    0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF  0x4321FEDC
#define TIMER_ABSTIME 1

/* auxv tags (uapi/linux/auxvec.h) */
#define AT_NULL    0
#define AT_PHDR    3
#define AT_PHENT   4
#define AT_PHNUM   5
#define AT_PAGESZ  6
#define AT_BASE    7
#define AT_FLAGS   8
#define AT_ENTRY   9
#define AT_UID    11
#define AT_EUID   12
#define AT_GID    13
#define AT_EGID   14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* File types and modes (uapi/linux/stat.h) */
#define S_IFMT   0170000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_IFREG  0100000
#define S_IFLNK  0120000
#define S_IFBLK  0060000
#define S_IFSOCK 0140000
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)

/* open flags (asm-generic/fcntl.h) */
#define O_ACCMODE   3
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000
#define AT_FDCWD    (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH       0x1000
#define AT_REMOVEDIR        0x200
#define AT_SYMLINK_FOLLOW   0x400
#define AT_EACCESS          0x200
#define RENAME_NOREPLACE    1
#define UTIME_NOW  ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

/* fcntl (asm-generic/fcntl.h) */
#define F_DUPFD  0
#define F_GETFD  1
#define F_SETFD  2
#define F_GETFL  3
#define F_SETFL  4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
/* access() */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
/* getrandom (uapi/linux/random.h) */
#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* mmap (asm-generic/mman-common.h) */
#define PROT_READ   1
#define PROT_WRITE  2
#define PROT_EXEC   4
#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4

/* arch_prctl (asm/prctl.h) */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* ioctl on a tty (asm-generic/ioctls.h) */
#define TCGETS     0x5401
#define TIOCGWINSZ 0x5413

/* clock ids (uapi/linux/time.h) */
#define CLOCK_REALTIME  0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME  7

struct linux_timespec { int64_t tv_sec, tv_nsec; };
struct linux_timeval { int64_t tv_sec, tv_usec; };
struct linux_iovec { uint64_t base, len; };
struct linux_winsize { uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel; };

/* struct termios as the kernel passes it (asm-generic/termbits.h). */
struct linux_termios {
    uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
    uint8_t c_line, c_cc[19];
};

/* struct stat of x86_64 (arch/x86/include/uapi/asm/stat.h): 144 bytes. */
struct linux_stat {
    uint64_t st_dev, st_ino, st_nlink;
    uint32_t st_mode, st_uid, st_gid, pad0;
    uint64_t st_rdev;
    int64_t st_size, st_blksize, st_blocks;
    struct linux_timespec st_atim, st_mtim, st_ctim;
    int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "x86_64 struct stat");

/* struct new_utsname: six fields of 65 bytes. */
#define UTS_LEN 65
struct linux_utsname {
    char sysname[UTS_LEN], nodename[UTS_LEN], release[UTS_LEN];
    char version[UTS_LEN], machine[UTS_LEN], domainname[UTS_LEN];
};

/* getdents64's record: 8-byte aligned, name NUL-terminated. */
struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    uint16_t d_reclen;
    uint8_t d_type;
    char d_name[];
};
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

/* struct statx (uapi/linux/stat.h): 256 bytes. */
struct linux_statx_timestamp { int64_t tv_sec; uint32_t tv_nsec; int32_t reserved; };
struct linux_statx {
    uint32_t stx_mask, stx_blksize;
    uint64_t stx_attributes;
    uint32_t stx_nlink, stx_uid, stx_gid;
    uint16_t stx_mode, pad1;
    uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct linux_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    uint64_t spare[14];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx");
#define STATX_BASIC_STATS 0x7ff

/* struct statfs of x86_64 (asm-generic/statfs.h, 64-bit words): 120 bytes. */
struct linux_statfs {
    int64_t f_type, f_bsize;
    uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int32_t f_fsid[2];
    int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs");
#define RAMFS_MAGIC     0x858458f6
#define TMPFS_MAGIC     0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define ST_RDONLY 1
#define ST_VALID  0x20

/* struct sysinfo (uapi/linux/sysinfo.h) on x86_64: 112 bytes. */
struct linux_sysinfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint32_t pad2;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
    char f[4];
};
_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo");

#endif /* UAPI_H */
