/* SPDX-License-Identifier: MIT */
/*
 * fstest.c - /bin/fstest: the file system calls end to end from user mode,
 *            as a static musl program run as init: the writable ramfs and
 *            its Linux errors, descriptors, getdents64 across changes,
 *            /dev, /proc, getrandom and sysinfo, the limits, and the free
 *            page count back where it was once everything is removed.
 *            One line per check ("fstest: ok NAME" / "fstest: FAIL NAME
 *            (...)"), a summary, exit status 0 if all passed, else 1.
 * Owns:    the user-side expectations (Linux's answer for each call; the
 *          same program gives the same lines on Linux's tmpfs, /dev and
 *          /proc, link() apart: tmpfs has hard links, ramfs -EPERM).
 * Touches: the calls of sys_fs.c and sys_misc.c, through musl and syscall().
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

static int failed, checks;

#define CHECK(name, cond, ...) do {                                   \
        checks++;                                                     \
        if (cond) {                                                   \
            printf("fstest: ok %s\n", name);                          \
        } else {                                                      \
            failed++;                                                 \
            printf("fstest: FAIL %s (", name);                        \
            printf(__VA_ARGS__);                                      \
            printf(")\n");                                            \
        }                                                             \
        fflush(stdout);                                               \
    } while (0)

/* -errno of a call that returns -1 and sets errno, or its result */
#define R(call) ((call) < 0 ? -errno : 0)

static long file_text(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    long n = 0, r;

    if (fd < 0)
        return -errno;
    while ((size_t)n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
        n += r;
    buf[n] = 0;
    close(fd);
    return n;
}

static long meminfo(const char *key)
{
    char buf[1024], *p;

    if (file_text("/proc/meminfo", buf, sizeof(buf)) <= 0 || !(p = strstr(buf, key)))
        return -1;
    return strtol(p + strlen(key) + 1, NULL, 10);
}

static int put(const char *path, const char *text)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
    int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);

    if (fd >= 0)
        close(fd);
    return ok ? 0 : -1;
}

static void files(void)
{
    char buf[256];
    struct stat st;
    int fd, fd2;

    CHECK("mkdir", mkdir("/tmp", 0777) == 0 || errno == EEXIST, "%d", errno);
    CHECK("chdir", chdir("/tmp") == 0, "%d", errno);
    CHECK("getcwd", getcwd(buf, sizeof(buf)) && !strcmp(buf, "/tmp"), "%s", buf);
    CHECK("getcwd ERANGE", !getcwd(buf, 4) && errno == ERANGE, "%d", errno);
    fd = open("f", O_CREAT | O_EXCL | O_RDWR, 0666);
    CHECK("open O_CREAT|O_EXCL", fd >= 0, "%d", errno);
    CHECK("open O_EXCL exists", R(open("f", O_CREAT | O_EXCL | O_RDWR, 0666)) == -EEXIST,
          "%d", errno);
    CHECK("umask applied", fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0644,
          "%o", st.st_mode);
    CHECK("write", write(fd, "hello world", 11) == 11, "%d", errno);
    CHECK("pread64", pread(fd, buf, 5, 6) == 5 && !memcmp(buf, "world", 5), "%d", errno);
    CHECK("pwrite64", pwrite(fd, "W", 1, 6) == 1 && pread(fd, buf, 11, 0) == 11 &&
          !memcmp(buf, "hello World", 11), "%d", errno);
    CHECK("offset after p*", lseek(fd, 0, SEEK_CUR) == 11, "-");
    CHECK("lseek past end + write = hole", lseek(fd, 8192, SEEK_SET) == 8192 &&
          write(fd, "!", 1) == 1 && pread(fd, buf, 4, 5000) == 4 && !buf[0] && !buf[3], "-");
    CHECK("stat size, blocks", stat("f", &st) == 0 && st.st_size == 8193 && st.st_blocks == 16,
          "%lld %lld", (long long)st.st_size, (long long)st.st_blocks);
    CHECK("ftruncate", ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5, "-");
    CHECK("truncate grows with zeros", truncate("f", 10) == 0 && pread(fd, buf, 10, 0) == 10 &&
          !memcmp(buf, "hello\0\0\0\0\0", 10), "-");
    CHECK("ftruncate EINVAL", R(ftruncate(fd, -1)) == -EINVAL, "%d", errno);
    close(fd);
    fd = open("f", O_RDONLY);
    CHECK("ftruncate read-only EINVAL", R(ftruncate(fd, 0)) == -EINVAL, "%d", errno);
    close(fd);
    fd = open("f", O_WRONLY | O_APPEND);
    CHECK("O_APPEND", write(fd, "XY", 2) == 2 && stat("f", &st) == 0 && st.st_size == 12,
          "%lld", (long long)st.st_size);
    close(fd);
    fd = open("f", O_RDWR | O_TRUNC);
    CHECK("O_TRUNC", fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "-");
    close(fd);
    CHECK("creat", (fd = creat("c", 0600)) >= 0 && close(fd) == 0, "%d", errno);
    CHECK("statx", syscall(SYS_statx, AT_FDCWD, "f", 0, 0x7ff, buf) == 0 &&
          *(uint16_t *)(buf + 28) == (S_IFREG | 0644), "%d", errno);
    CHECK("O_CREAT dir/ EISDIR", R(open("new/", O_CREAT | O_WRONLY, 0644)) == -EISDIR,
          "%d", errno);
    CHECK("O_CREAT missing dir ENOENT", R(open("no/x", O_CREAT | O_WRONLY, 0644)) == -ENOENT,
          "%d", errno);
    CHECK("open dir for writing EISDIR", R(open("/tmp", O_WRONLY)) == -EISDIR, "%d", errno);
    CHECK("O_DIRECTORY on a file", R(open("f", O_RDONLY | O_DIRECTORY)) == -ENOTDIR,
          "%d", errno);

    /* descriptors */
    fd = open("f", O_RDWR);
    fd2 = dup(fd);
    CHECK("dup shares the offset", fd2 > fd && write(fd, "abc", 3) == 3 &&
          lseek(fd2, 0, SEEK_CUR) == 3, "%d", errno);
    CHECK("dup2", dup2(fd, 20) == 20 && lseek(20, 0, SEEK_CUR) == 3, "%d", errno);
    CHECK("dup2 same fd", dup2(fd, fd) == fd, "%d", errno);
    CHECK("dup2 EBADF", R(dup2(29, 30)) == -EBADF, "%d", errno);
    CHECK("dup3 O_CLOEXEC", dup3(fd, 21, O_CLOEXEC) == 21 && fcntl(21, F_GETFD) == FD_CLOEXEC,
          "%d", errno);
    CHECK("dup3 same fd EINVAL", R(dup3(fd, fd, 0)) == -EINVAL, "%d", errno);
    CHECK("F_DUPFD", fcntl(fd, F_DUPFD, 25) == 25 && fcntl(25, F_GETFD) == 0, "%d", errno);
    CHECK("F_DUPFD_CLOEXEC", fcntl(fd, F_DUPFD_CLOEXEC, 25) == 26 &&
          fcntl(26, F_GETFD) == FD_CLOEXEC, "%d", errno);
    CHECK("F_SETFD", fcntl(26, F_SETFD, 0) == 0 && fcntl(26, F_GETFD) == 0, "%d", errno);
    CHECK("F_GETFL/F_SETFL", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR &&
          fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND), "%d", errno);
    CHECK("fcntl EINVAL", R(fcntl(fd, 9999)) == -EINVAL, "%d", errno);
    CHECK("fsync, fdatasync, sync", fsync(fd) == 0 && fdatasync(fd) == 0 &&
          (sync(), 1), "%d", errno);
    close(fd); close(fd2); close(20); close(21); close(25); close(26);

    /* attributes */
    CHECK("umask", umask(077) == 022 && umask(022) == 077, "-");
    CHECK("chmod", chmod("f", 0751) == 0 && stat("f", &st) == 0 && (st.st_mode & 07777) == 0751,
          "%o", st.st_mode);
    fd = open("f", O_RDONLY);
    CHECK("fchmod", fchmod(fd, 0640) == 0 && fstat(fd, &st) == 0 &&
          (st.st_mode & 07777) == 0640, "%o", st.st_mode);
    close(fd);
    CHECK("chown", chown("f", 12, -1) == 0 && stat("f", &st) == 0 && st.st_uid == 12 &&
          st.st_gid == 0 && lchown("f", -1, 34) == 0 && stat("f", &st) == 0 &&
          st.st_uid == 12 && st.st_gid == 34 && chown("f", 0, 0) == 0, "%d", errno);
    CHECK("access", access("f", R_OK | W_OK) == 0 && R(access("f", X_OK)) == -EACCES &&
          access("/bin/fstest", X_OK) == 0 && R(access("nope", F_OK)) == -ENOENT, "%d", errno);
    CHECK("faccessat", faccessat(AT_FDCWD, "/tmp", X_OK, 0) == 0, "%d", errno);
    {
        struct timespec ts[2] = { { 0, UTIME_OMIT }, { 1000000, 0 } };

        CHECK("utimensat", utimensat(AT_FDCWD, "f", ts, 0) == 0 && stat("f", &st) == 0 &&
              st.st_mtime == 1000000, "%d %lld", errno, (long long)st.st_mtime);
    }
    CHECK("write to an initramfs file", put("/etc/motd", "changed\n") == 0 &&
          file_text("/etc/motd", buf, sizeof(buf)) == 8 && !strcmp(buf, "changed\n"), "-");
}

static void tree(void)
{
    char buf[256];
    struct stat st;
    int fd;

    mkdir("d", 0755);
    mkdir("d/sub", 0755);
    put("d/file", "x");
    mkdir("empty", 0755);
    CHECK("mkdir EEXIST", R(mkdir("d", 0755)) == -EEXIST && R(mkdir("/", 0755)) == -EEXIST,
          "%d", errno);
    CHECK("mkdir ENOENT", R(mkdir("no/x", 0755)) == -ENOENT, "%d", errno);
    CHECK("mkdir ENOTDIR", R(mkdir("f/x", 0755)) == -ENOTDIR, "%d", errno);
    CHECK("mkdirat", mkdirat(AT_FDCWD, "d2", 0700) == 0 && stat("d2", &st) == 0 &&
          S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700, "%d", errno);
    CHECK("dir nlink", stat("d", &st) == 0 && st.st_nlink == 3, "%ld", (long)st.st_nlink);
    CHECK("rmdir ENOTEMPTY", R(rmdir("d")) == -ENOTEMPTY, "%d", errno);
    CHECK("rmdir ENOTDIR", R(rmdir("f")) == -ENOTDIR, "%d", errno);
    CHECK("rmdir . EINVAL", R(rmdir("d/.")) == -EINVAL, "%d", errno);
    CHECK("rmdir mount point EBUSY", R(rmdir("/proc")) == -EBUSY, "%d", errno);
    CHECK("unlink dir EISDIR", R(unlink("d")) == -EISDIR, "%d", errno);
    CHECK("unlink file/ ENOTDIR", R(unlink("f/")) == -ENOTDIR, "%d", errno);
    CHECK("unlink ENOENT", R(unlink("nope")) == -ENOENT, "%d", errno);
    CHECK("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "d2", AT_REMOVEDIR) == 0, "%d", errno);
    CHECK("unlinkat EINVAL", R(unlinkat(AT_FDCWD, "f", 0x8000)) == -EINVAL, "%d", errno);

    /* rename */
    put("r1", "one");
    put("r2", "two");
    CHECK("rename replaces", rename("r1", "r2") == 0 && file_text("r2", buf, sizeof(buf)) == 3 &&
          !strcmp(buf, "one") && R(stat("r1", &st)) == -ENOENT, "%d", errno);
    CHECK("rename dir onto file ENOTDIR", R(rename("d", "r2")) == -ENOTDIR, "%d", errno);
    CHECK("rename file onto dir EISDIR", R(rename("r2", "d")) == -EISDIR, "%d", errno);
    CHECK("rename onto non-empty ENOTEMPTY", R(rename("empty", "d")) == -ENOTEMPTY,
          "%d", errno);
    CHECK("rename into itself EINVAL", R(rename("d", "d/sub/x")) == -EINVAL, "%d", errno);
    CHECK("rename ENOENT", R(rename("nope", "x")) == -ENOENT, "%d", errno);
    CHECK("rename across mounts EXDEV", R(rename("r2", "/dev/r2")) == -EXDEV, "%d", errno);
    CHECK("rename into /proc EROFS", R(rename("r2", "/proc/r2")) == -EROFS, "%d", errno);
    CHECK("renameat2 NOREPLACE", R(syscall(SYS_renameat2, AT_FDCWD, "r2", AT_FDCWD, "f", 1))
          == -EEXIST, "%d", errno);
    CHECK("rename dir onto empty dir", rename("d", "empty") == 0 &&
          stat("empty/sub", &st) == 0 && R(stat("d", &st)) == -ENOENT, "%d", errno);
    CHECK("renameat", renameat(AT_FDCWD, "empty", AT_FDCWD, "d") == 0, "%d", errno);
    CHECK("rename to itself", rename("r2", "r2") == 0 && stat("r2", &st) == 0, "%d", errno);

    /* links */
    CHECK("symlink", symlink("d/file", "sl") == 0 && lstat("sl", &st) == 0 &&
          S_ISLNK(st.st_mode) && st.st_size == 6, "%d", errno);
    CHECK("readlink", readlink("sl", buf, sizeof(buf)) == 6 && !memcmp(buf, "d/file", 6),
          "%d", errno);
    CHECK("readlink short buffer", readlink("sl", buf, 2) == 2, "%d", errno);
    CHECK("readlink EINVAL", R(readlink("f", buf, sizeof(buf))) == -EINVAL, "%d", errno);
    CHECK("readlinkat", readlinkat(AT_FDCWD, "/tmp/sl", buf, sizeof(buf)) == 6, "%d", errno);
    CHECK("symlink followed", file_text("sl", buf, sizeof(buf)) == 1, "-");
    CHECK("symlinkat EEXIST", R(symlinkat("x", AT_FDCWD, "sl")) == -EEXIST, "%d", errno);
    CHECK("dangling symlink ENOENT", symlink("nowhere", "dl") == 0 &&
          R(open("dl", O_RDONLY)) == -ENOENT, "%d", errno);
    CHECK("O_NOFOLLOW ELOOP", R(open("sl", O_RDONLY | O_NOFOLLOW)) == -ELOOP, "%d", errno);
    CHECK("link EPERM (no hard links)", R(link("f", "hard")) == -EPERM, "%d", errno);
    CHECK("link EEXIST", R(link("f", "r2")) == -EEXIST, "%d", errno);
    CHECK("link ENOENT", R(link("nope", "hard")) == -ENOENT, "%d", errno);

    /* an open file outlives its name */
    fd = open("r2", O_RDONLY);
    CHECK("unlink while open", unlink("r2") == 0 && read(fd, buf, 3) == 3 &&
          !memcmp(buf, "one", 3) && fstat(fd, &st) == 0 && st.st_nlink == 0, "%d", errno);
    close(fd);

    /* fchdir and .. */
    fd = open("d/sub", O_RDONLY | O_DIRECTORY);
    CHECK("fchdir", fchdir(fd) == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/tmp/d/sub"),
          "%s", buf);
    close(fd);
    CHECK("chdir ..", chdir("../..") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/tmp"),
          "%s", buf);
    CHECK("chdir ENOTDIR", R(chdir("f")) == -ENOTDIR, "%d", errno);
}

struct dent { uint64_t ino; int64_t off; uint16_t reclen; uint8_t type; char name[]; };

/* getdents64 with a small buffer, the directory changing between calls:
 * every entry that stayed is seen exactly once. */
static void dents(void)
{
    char buf[96], names[64][16];
    int fd, n = 0, i, j, dup = 0, stayed = 0, bad_off = 0;
    long r;

    mkdir("g", 0755);
    for (i = 0; i < 20; i++) {
        snprintf(buf, sizeof(buf), "g/e%02d", i);
        put(buf, "");
    }
    fd = open("g", O_RDONLY | O_DIRECTORY);
    while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        long o = 0;

        while (o < r) {
            struct dent *d = (struct dent *)(buf + o);

            if (n < 64)
                snprintf(names[n++], sizeof(names[0]), "%s", d->name);
            if (d->off <= 0)
                bad_off++;
            o += d->reclen;
        }
        if (n == 6) {                   /* mid-way: remove, add, rename */
            unlink("g/e00");            /* seen */
            unlink("g/e15");            /* not yet seen */
            put("g/new", "");
            rename("g/e10", "g/e10b");
        }
    }
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (!strcmp(names[i], names[j]))
                dup++;
    for (i = 0; i < n; i++)
        if (!strcmp(names[i], "e15"))
            dup++;                      /* removed before it was reached */
    for (i = 1; i < 20; i++) {
        char want[8];

        snprintf(want, sizeof(want), "e%02d", i);
        if (i == 15 || i == 10)
            continue;
        for (j = 0; j < n; j++)
            if (!strcmp(names[j], want))
                break;
        stayed += j < n;
    }
    CHECK("getdents64 across changes", r == 0 && dup == 0 && stayed == 17 && !bad_off,
          "r %ld dup %d stayed %d n %d", r, dup, stayed, n);
    CHECK("getdents64 buffer too small EINVAL", lseek(fd, 0, SEEK_SET) == 0 &&
          R(syscall(SYS_getdents64, fd, buf, 10)) == -EINVAL, "%d", errno);
    close(fd);
    {
        DIR *dir = opendir("/");
        struct dirent *e;
        int dot = 0, dev = 0, proc = 0;

        while (dir && (e = readdir(dir))) {
            dot += !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
            dev += !strcmp(e->d_name, "dev") && e->d_type == DT_DIR;
            proc += !strcmp(e->d_name, "proc");
        }
        if (dir)
            closedir(dir);
        CHECK("readdir /", dot == 2 && dev == 1 && proc == 1, "%d %d %d", dot, dev, proc);
    }
    CHECK("getdents64 ENOTDIR", (fd = open("f", O_RDONLY)) >= 0 &&
          R(syscall(SYS_getdents64, fd, buf, sizeof(buf))) == -ENOTDIR, "%d", errno);
    close(fd);
}

static void devices(void)
{
    char buf[64];
    unsigned char r1[32], r2[32];
    struct stat st;
    int fd, i, zero = 1;

    fd = open("/dev/null", O_RDWR);
    CHECK("/dev/null", fd >= 0 && write(fd, "x", 1) == 1 && read(fd, buf, 8) == 0 &&
          fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0x103, "%d", errno);
    close(fd);
    CHECK("/dev/null O_TRUNC (shell >)", (fd = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC,
          0666)) >= 0 && close(fd) == 0, "%d", errno);
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 1, sizeof(buf));
    CHECK("/dev/zero", read(fd, buf, sizeof(buf)) == sizeof(buf) && !buf[0] && !buf[63], "-");
    close(fd);
    fd = open("/dev/full", O_RDWR);
    CHECK("/dev/full", R(write(fd, "x", 1)) == -ENOSPC && read(fd, buf, 4) == 4 && !buf[0],
          "%d", errno);
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    CHECK("/dev/urandom", read(fd, r1, sizeof(r1)) == sizeof(r1) &&
          read(fd, r2, sizeof(r2)) == sizeof(r2) && memcmp(r1, r2, sizeof(r1)), "-");
    close(fd);
    CHECK("/dev/random", file_text("/dev/random", buf, 17) == 16, "-");
    CHECK("getrandom", getrandom(r1, sizeof(r1), 0) == sizeof(r1) &&
          getrandom(r2, sizeof(r2), GRND_NONBLOCK) == sizeof(r2) && memcmp(r1, r2, 32), "%d",
          errno);
    for (i = 0; i < 32; i++)
        zero &= !r1[i];
    CHECK("getrandom not zeros", !zero, "-");
    CHECK("getrandom EINVAL", R(getrandom(r1, 4, 0x100)) == -EINVAL, "%d", errno);
    fd = open("/dev/console", O_WRONLY);
    CHECK("/dev/console write", fd >= 0 && write(fd, "fstest: via /dev/console\n", 25) == 25 &&
          isatty(fd), "%d", errno);
    close(fd);
    CHECK("/dev/tty", stat("/dev/tty", &st) == 0 && st.st_rdev == 0x500, "%d", errno);
    CHECK("/dev takes files (a ramfs)",
          put("/dev/scratch", "x") == 0 && unlink("/dev/scratch") == 0, "%d", errno);
}

static void procfiles(void)
{
    char buf[2048], want[32];
    struct sysinfo si;
    long total = meminfo("MemTotal"), freek = meminfo("MemFree");
    double up = 0;

    CHECK("/proc/meminfo", total > 0 && freek > 0 && freek < total &&
          meminfo("MemAvailable") >= 0 && meminfo("Buffers") == 0 && meminfo("Cached") >= 0 &&
          meminfo("SwapTotal") == 0, "%ld %ld", total, freek);
    file_text("/proc/meminfo", buf, sizeof(buf));
    CHECK("/proc/meminfo format", !strncmp(buf, "MemTotal:", 9) && strstr(buf, " kB\n"), "%s", buf);
    CHECK("/proc/uptime", file_text("/proc/uptime", buf, sizeof(buf)) > 0 &&
          sscanf(buf, "%lf", &up) == 1 && up > 0, "%s", buf);
    CHECK("/proc/version", file_text("/proc/version", buf, sizeof(buf)) > 0 &&
          !strncmp(buf, "Linux version 6.1.0-pvkernel", 28), "%s", buf);
    CHECK("/proc/cpuinfo", file_text("/proc/cpuinfo", buf, sizeof(buf)) > 0 &&
          strstr(buf, "processor\t: 0") && strstr(buf, "vendor_id"), "%s", buf);
    CHECK("/proc/loadavg", file_text("/proc/loadavg", buf, sizeof(buf)) > 0 &&
          !strncmp(buf, "0.00 0.00 0.00 1/1 1", 20), "%s", buf);
    CHECK("/proc/mounts", file_text("/proc/mounts", buf, sizeof(buf)) > 0 &&
          strstr(buf, "none / rootfs rw 0 0\n") && strstr(buf, " /dev devtmpfs ") &&
          strstr(buf, "proc /proc proc ro 0 0\n"), "%s", buf);
    snprintf(want, sizeof(want), "%d", getpid());
    CHECK("/proc/self", readlink("/proc/self", buf, sizeof(buf)) == (ssize_t)strlen(want) &&
          !memcmp(buf, want, strlen(want)), "%s", buf);
    CHECK("/proc/self/stat", file_text("/proc/self/stat", buf, sizeof(buf)) > 0 &&
          !strncmp(buf, "1 (fstest) R 0 ", 15), "%s", buf);
    CHECK("/proc/1/status", file_text("/proc/1/status", buf, sizeof(buf)) > 0 &&
          strstr(buf, "Name:\tfstest\n") && strstr(buf, "Pid:\t1\n"), "%s", buf);
    CHECK("/proc/1/cmdline", file_text("/proc/1/cmdline", buf, sizeof(buf)) == 12 &&
          !strcmp(buf, "/bin/fstest"), "%s", buf);     /* argv, as the kernel gave it */
    CHECK("/proc/2 ENOENT", R(open("/proc/2/stat", O_RDONLY)) == -ENOENT, "%d", errno);
    CHECK("/proc read-only", R(open("/proc/meminfo", O_WRONLY)) == -EACCES &&
          R(mkdir("/proc/x", 0755)) == -EROFS && R(unlink("/proc/uptime")) == -EROFS,
          "%d", errno);
    {
        struct statfs sf;
        int fd = open("/dev/null", O_RDONLY);
        char small[16], whole[2048];
        long n = 0, r;

        CHECK("statfs /", statfs("/", &sf) == 0 && sf.f_type == 0x858458f6 &&
              sf.f_bsize == 4096 && sf.f_blocks * 4 == (unsigned long)total &&
              sf.f_bfree > 0, "%d %lx", errno, (long)sf.f_type);
        CHECK("statfs /proc", statfs("/proc/self", &sf) == 0 && sf.f_type == 0x9fa0 &&
              (sf.f_flags & ST_RDONLY), "%d %lx", errno, (long)sf.f_type);
        CHECK("fstatfs /dev/null", fstatfs(fd, &sf) == 0 && sf.f_type == 0x01021994,
              "%d %lx", errno, (long)sf.f_type);
        close(fd);
        fd = open("/proc/version", O_RDONLY);
        while ((r = read(fd, small, sizeof(small))) > 0 && n + r < (long)sizeof(whole)) {
            memcpy(whole + n, small, r);
            n += r;
        }
        whole[n] = 0;
        close(fd);
        CHECK("/proc file read in pieces", n > 16 && !strncmp(whole, "Linux version", 13) &&
              whole[n - 1] == '\n', "%ld", n);
    }
    CHECK("sysinfo", sysinfo(&si) == 0 && si.mem_unit == 1 &&
          si.totalram == (unsigned long)total * 1024 && si.freeram > 0 && si.procs == 1,
          "%d", errno);
}

static void limits(void)
{
    char name[300];
    int fds[40], n = 0, i;
    struct rlimit rl, lowered;
    long freek0, freek;
    static char chunk[65536];
    long total = 0, r = 0;

    put("f", "limits");
    memset(name, 'n', sizeof(name));
    name[256] = 0;
    CHECK("ENAMETOOLONG", R(open(name, O_CREAT | O_WRONLY, 0644)) == -ENAMETOOLONG &&
          R(mkdir(name, 0755)) == -ENAMETOOLONG, "%d", errno);
    /* The descriptor limit is RLIMIT_NOFILE's soft one: lowered to 32. */
    getrlimit(RLIMIT_NOFILE, &rl);
    lowered = (struct rlimit){ 32, rl.rlim_max };
    setrlimit(RLIMIT_NOFILE, &lowered);
    while (n < 40 && (fds[n] = open("f", O_RDONLY)) >= 0)
        n++;
    CHECK("EMFILE", n < 40 && errno == EMFILE && fds[n - 1] == 31, "%d fds, %d", n, errno);
    for (i = 0; i < n; i++)
        close(fds[i]);
    setrlimit(RLIMIT_NOFILE, &rl);
    /* fill memory: -ENOSPC, not a crash; the kernel keeps its reserve */
    freek0 = meminfo("MemFree");
    memset(chunk, 'z', sizeof(chunk));
    for (i = 0; i < 64 && r >= 0; i++) {
        int fd;

        snprintf(name, sizeof(name), "big%d", i);
        fd = open(name, O_CREAT | O_WRONLY, 0644);
        while ((r = write(fd, chunk, sizeof(chunk))) > 0)
            total += r;
        r = r < 0 ? -errno : 0;
        close(fd);
        if (r == -EFBIG)
            r = 0;                      /* a file at 1 GiB: the next one */
    }
    freek = meminfo("MemFree");
    CHECK("fill memory: ENOSPC", r == -ENOSPC && freek < 4096, "r %ld, %ld KiB written, "
          "%ld KiB free", r, total / 1024, freek);
    printf("fstest: wrote %ld KiB before ENOSPC (%ld KiB were free)\n", total / 1024, freek0);
    for (i = 0; i < 64; i++) {
        snprintf(name, sizeof(name), "big%d", i);
        unlink(name);
    }
    freek = meminfo("MemFree");
    CHECK("pages back after unlink", freek == freek0, "%ld KiB free, %ld before", freek, freek0);
}

static void cleanup(const char *dir)
{
    char path[512];
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    char buf[512];
    long r;

    while ((r = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        long o = 0;

        while (o < r) {
            struct dent *d = (struct dent *)(buf + o);

            o += d->reclen;
            if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
                continue;
            snprintf(path, sizeof(path), "%s/%s", dir, d->name);
            if (d->type == DT_DIR)
                cleanup(path);
            else
                unlink(path);
        }
    }
    close(fd);
    rmdir(dir);
}

static void round_trip(void)
{
    files();
    tree();
    dents();
    chdir("/");
    cleanup("/tmp");
}

int main(void)
{
    long free_start, free_mid, free_end, cached_start, cached_end, prev = -1;
    int warm;

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* The kernel heap keeps the pages it took (kmalloc), so the first rounds
     * grow it; once a round leaves the free count where the one before did,
     * every later round must too, exactly. */
    for (warm = 0; warm < 8; warm++) {
        round_trip();
        free_start = meminfo("MemFree");
        if (free_start == prev)
            break;
        prev = free_start;
    }
    printf("fstest: heap warm after %d rounds\n", warm + 1);
    cached_start = meminfo("Cached");
    round_trip();
    free_mid = meminfo("MemFree");
    CHECK("free pages back after removing everything", free_mid == free_start,
          "%ld KiB free, %ld at start", free_mid, free_start);
    mkdir("/tmp", 0777);
    chdir("/tmp");
    devices();
    procfiles();
    limits();
    chdir("/");
    cleanup("/tmp");
    free_end = meminfo("MemFree");
    cached_end = meminfo("Cached");
    printf("fstest: MemFree %ld KiB at start, %ld at the end; Cached %ld KiB, %ld\n",
           free_start, free_end, cached_start, cached_end);
    CHECK("no file page lost", cached_end == cached_start && free_end <= free_start + 64 &&
          free_end + 64 >= free_start, "Cached %ld KiB, %ld at start", cached_end,
          cached_start);
    printf("fstest: %d checks, %d failed\n", checks, failed);
    return failed ? 1 : 0;
}
