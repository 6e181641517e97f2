/* SPDX-License-Identifier: MIT */
/*
 * sys_fs.c - file system calls: read, write, readv, writev, open, openat,
 *            close, lseek, stat, lstat, fstat, newfstatat, ioctl.
 * Owns:    struct file objects (made here, counted, freed by file_put()),
 *          the console's answers to read and ioctl.
 * Touches: the VFS (vfs_lookup_at(), vfs_read()), the process's
 *          descriptors (proc.h), pv_ops.console_write.
 *
 * The console (fds 0, 1, 2 of init) writes through pv_ops.console_write;
 * its read answers end-of-file until the tty line discipline comes.
 * Files are read-only (the RAM filesystem has no write path yet): opening
 * for writing or with O_CREAT is -EACCES / -EROFS.
 */
#include <kernel.h>
#include <proc.h>
#include <syscall.h>
#include <asm/pvops.h>

#define EROFS 30
#define IO_CHUNK 256
#define IOV_MAX 1024

static long console_write(struct process *p, uint64_t buf, uint64_t len)
{
    char chunk[IO_CHUNK];
    uint64_t done = 0;

    while (done < len) {
        size_t n = MIN(len - done, sizeof(chunk));

        if (uspace_copy_from(&p->us, chunk, buf + done, n))
            return done ? (long)done : -EFAULT;
        pv_ops.console_write(chunk, n);
        done += n;
    }
    return (long)done;
}

static long file_read(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    char chunk[IO_CHUNK];
    uint64_t done = 0;

    if (f->kind == FILE_CONSOLE)
        return 0;                       /* end of file, for now */
    if (S_ISDIR(f->ino->mode))
        return -EISDIR;
    while (done < len) {
        size_t n = vfs_read(f->ino, f->off, chunk, MIN(len - done, sizeof(chunk)));

        if (!n)
            break;
        if (uspace_copy_to(&p->us, buf + done, chunk, n))
            return done ? (long)done : -EFAULT;
        f->off += n;
        done += n;
    }
    return (long)done;
}

static long file_write(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    if (f->kind == FILE_CONSOLE)
        return console_write(p, buf, len);
    return -EBADF;                      /* files are opened read-only */
}

long sys_read(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);

    if (!f || (f->flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    return file_read(p, f, a1, a2);
}

long sys_write(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);

    if (!f || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    return file_write(p, f, a1, a2);
}

static long vector_io(SYSCALL_ARGS, bool write)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    long total = 0, rc;
    long i;

    if (!f)
        return -EBADF;
    if (a2 < 0 || a2 > IOV_MAX)
        return -EINVAL;
    for (i = 0; i < a2; i++) {
        struct linux_iovec v;

        if (uspace_copy_from(&p->us, &v, a1 + i * sizeof(v), sizeof(v)))
            return total ? total : -EFAULT;
        if (!v.len)
            continue;
        rc = write ? file_write(p, f, v.base, v.len) : file_read(p, f, v.base, v.len);
        if (rc < 0)
            return total ? total : rc;
        total += rc;
        if ((uint64_t)rc < v.len)
            break;
    }
    (void)a3; (void)a4; (void)a5;
    return total;
}

long sys_readv(SYSCALL_ARGS)  { return vector_io(a0, a1, a2, a3, a4, a5, false); }
long sys_writev(SYSCALL_ARGS) { return vector_io(a0, a1, a2, a3, a4, a5, true); }

/* A path from user memory, NUL-terminated within VFS_PATH_MAX. */
static long copy_path(struct process *p, uint64_t upath, char *path)
{
    size_t i;

    for (i = 0; i < VFS_PATH_MAX; i++) {
        const char *c = uspace_ptr(&p->us, upath + i, false);

        if (!c)
            return -EFAULT;
        path[i] = *c;
        if (!*c)
            return 0;
    }
    return -ENAMETOOLONG;
}

/* Resolve (dirfd, upath) as the *at() calls do. */
static struct inode *lookup_at(struct process *p, long dirfd, uint64_t upath,
                               bool follow, long *err)
{
    /* A page of its own: VFS_PATH_MAX is a page, past the heap's classes. */
    uint64_t pfn = mm_alloc_pfn();
    char *path = pfn == INVALID_FRAME ? NULL : pfn_to_virt(pfn);
    struct inode *dir = p->cwd, *ino = NULL;
    int e = 0;

    if (!path) {
        *err = -ENOMEM;
        return NULL;
    }
    *err = copy_path(p, upath, path);
    if (!*err && path[0] != '/' && dirfd != AT_FDCWD) {
        struct file *d = proc_fd(p, (int)dirfd);

        if (!d || d->kind != FILE_INODE)
            *err = -EBADF;
        else if (!S_ISDIR(d->ino->mode))
            *err = -ENOTDIR;
        else
            dir = d->ino;
    }
    if (!*err) {
        ino = vfs_lookup_at(dir, path, follow, &e);
        *err = e;
    }
    mm_free_pfn(pfn);
    return ino;
}

long sys_openat(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    long err;
    struct inode *ino = lookup_at(p, a0, a1, !(a2 & O_NOFOLLOW), &err);
    struct file *f;
    int fd;

    if (!ino)
        return err == -ENOENT && (a2 & O_CREAT) ? -EROFS : err;
    if ((a2 & O_ACCMODE) != O_RDONLY)
        return S_ISDIR(ino->mode) ? -EISDIR : -EROFS;
    if ((a2 & O_DIRECTORY) && !S_ISDIR(ino->mode))
        return -ENOTDIR;
    if ((a2 & O_NOFOLLOW) && S_ISLNK(ino->mode))
        return -ELOOP;
    f = kzalloc(sizeof(*f));
    if (!f)
        return -ENOMEM;
    *f = (struct file){ .kind = FILE_INODE, .refs = 1, .flags = (int)a2, .ino = ino };
    fd = proc_fd_install(p, f);
    if (fd < 0)
        kfree(f);
    return fd;
}

long sys_open(SYSCALL_ARGS)
{
    return sys_openat(AT_FDCWD, a0, a1, a2, 0, 0);
}

long sys_close(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);

    if (!f)
        return -EBADF;
    p->files[a0] = NULL;
    file_put(f);
    return 0;
}

long sys_lseek(SYSCALL_ARGS)
{
    struct file *f = proc_fd(proc_current(), (int)a0);
    int64_t base;

    if (!f)
        return -EBADF;
    if (f->kind == FILE_CONSOLE)
        return -ESPIPE;
    switch (a2) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = (int64_t)f->off; break;
    case SEEK_END: base = (int64_t)f->ino->size; break;
    default:       return -EINVAL;
    }
    if (base + a1 < 0)
        return -EINVAL;
    f->off = base + a1;
    return (long)f->off;
}

static void fill_stat(const struct file *f, const struct inode *ino, struct linux_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_blksize = 4096;
    if (!ino) {                         /* the console: a character device */
        st->st_mode = S_IFCHR | 0620;
        st->st_rdev = (5 << 8) | 1;     /* 5:1, /dev/console */
        st->st_nlink = 1;
        st->st_ino = 1;
        return;
    }
    (void)f;
    st->st_dev = 1;
    st->st_ino = ino->ino;
    st->st_mode = ino->mode;
    st->st_nlink = ino->nlink;
    st->st_uid = ino->uid;
    st->st_gid = ino->gid;
    st->st_size = (int64_t)ino->size;
    st->st_blocks = (int64_t)((ino->size + 511) / 512);
    st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = (int64_t)ino->mtime;
}

long sys_fstat(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    struct linux_stat st;

    if (!f)
        return -EBADF;
    fill_stat(f, f->kind == FILE_INODE ? f->ino : NULL, &st);
    return uspace_copy_to(&p->us, a1, &st, sizeof(st));
}

long sys_newfstatat(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_stat st;
    struct inode *ino;
    long err;

    if (a3 & AT_EMPTY_PATH) {
        const char *c = uspace_ptr(&p->us, a1, false);

        if (c && !*c)
            return sys_fstat(a0, a2, 0, 0, 0, 0);
    }
    ino = lookup_at(p, a0, a1, !(a3 & AT_SYMLINK_NOFOLLOW), &err);
    if (!ino)
        return err;
    fill_stat(NULL, ino, &st);
    return uspace_copy_to(&p->us, a2, &st, sizeof(st));
}

long sys_stat(SYSCALL_ARGS)  { return sys_newfstatat(AT_FDCWD, a0, a1, 0, 0, 0); }
long sys_lstat(SYSCALL_ARGS) { return sys_newfstatat(AT_FDCWD, a0, a1, AT_SYMLINK_NOFOLLOW, 0, 0); }

long sys_ioctl(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);

    if (!f)
        return -EBADF;
    if (f->kind != FILE_CONSOLE)
        return -ENOTTY;
    switch (a1) {
    case TIOCGWINSZ: {
        struct linux_winsize ws = { .ws_row = 24, .ws_col = 80 };

        return uspace_copy_to(&p->us, a2, &ws, sizeof(ws));
    }
    case TCGETS: {
        /* A cooked tty as Linux's default: ICRNL | IXON, OPOST | ONLCR,
         * B38400 | CS8 | CREAD | HUPCL, ISIG | ICANON | ECHO | ... */
        struct linux_termios t = { .c_iflag = 0x500, .c_oflag = 0x5, .c_cflag = 0xbf,
                                   .c_lflag = 0x8a3b };

        return uspace_copy_to(&p->us, a2, &t, sizeof(t));
    }
    }
    return -ENOTTY;
}
