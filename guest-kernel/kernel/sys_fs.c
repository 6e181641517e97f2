/* SPDX-License-Identifier: MIT */
/*
 * sys_fs.c - file system calls: read, write, readv, writev, pread64,
 *            pwrite64, open, openat, creat, close, lseek, the stat family
 *            (stat, lstat, fstat, newfstatat, statx), ioctl, access,
 *            faccessat(2), dup, dup2, dup3, fcntl, fsync, fdatasync, sync,
 *            truncate, ftruncate, getdents64, getcwd, chdir, fchdir, mkdir(at),
 *            rmdir, unlink(at), rename(at, at2), link(at), symlink(at),
 *            readlink(at), chmod, fchmod, fchmodat, umask, utimensat,
 *            statfs, fstatfs, chown, fchown, lchown, fchownat, pipe, pipe2
 *            (the descriptors; the pipe itself is pipe.c's), mknod(at)
 *            (FIFOs: open() hands them to pipe_open_fifo()).
 * Owns:    struct file objects (made here, counted, freed by file_put()),
 *          descriptor numbers past proc_fd_install() (F_DUPFD, dup2), the
 *          close-on-exec bits, the ioctls any descriptor answers.
 * Touches: the VFS (vfs.h: lookups, ramfs changes, devfs reads and writes,
 *          procfs through vfs_read), the process's descriptors, cwd and
 *          umask (proc.h), tty_read/tty_write/tty_ioctl (tty.h) for the
 *          console, the wallclock for times.
 *
 * One user, root: permission bits are kept and shown but never refuse,
 * except that exec and access(X_OK) want an x bit, and that procfs files
 * (generated) refuse writing with -EACCES.  A mount marked "ro" (/proc)
 * refuses every change with -EROFS.  The console (fds 0, 1, 2 of init,
 * /dev/console, /dev/tty) is the tty of kernel/tty.c: its reads, writes
 * and ioctls go there.
 */
#include <kernel.h>
#include <pipe.h>
#include <proc.h>
#include <socket.h>
#include <syscall.h>
#include <time.h>
#include <tty.h>
#include <asm/pvops.h>

#define IO_CHUNK 256
#define IOV_MAX 1024
#define RW_MAX 0x7ffff000L              /* Linux's MAX_RW_COUNT */

static uint64_t now(void)
{
    struct wall_time wt;

    wallclock(&wt);
    return wt.sec;
}

static bool is_console(const struct file *f)
{
    return f->kind == FILE_CONSOLE || (f->ino && devfs_is_console(f->ino));
}

static bool readonly(const struct inode *ino)
{
    const struct vfs_mount *m = vfs_mount_at(ino->dev - 1);

    return m && !strcmp(m->opts, "ro");
}

/* ---- descriptors ---- */

static void fd_close(struct process *p, int fd)
{
    file_put(proc_fd_take(p, fd));
}

void fd_close_on_exec(struct process *p)
{
    unsigned int fd;

    for (fd = 0; fd < p->fd_cap; fd++)
        if (proc_fd_cloexec(p, (int)fd))
            fd_close(p, (int)fd);
}

/* ---- reading and writing ---- */

/* A /proc file: its text made once for this read (vfs_read would make it
 * again for every chunk, and the pieces could disagree). */
#define GEN_FIRST (4096 - 16)           /* a page of the heap */
#define GEN_MAX   (128 * 1024)          /* longer is cut there */

static long read_generated(struct process *p, const struct inode *ino, uint64_t buf,
                           uint64_t len, uint64_t *off)
{
    char *text = kzalloc(GEN_FIRST);
    size_t n, size = GEN_FIRST;
    long rc = 0;

    if (!text)
        return -ENOMEM;
    n = ino->gen(ino, text, size);
    /* A longer text (/proc/PID/maps of many regions): made again in a
     * block that holds it, as Linux's seq_file grows its buffer. */
    if (n >= size && n < GEN_MAX) {
        kfree(text);
        size = n + 1;
        text = kzalloc(size);
        if (!text)
            return -ENOMEM;
        n = ino->gen(ino, text, size);
    }
    n = MIN(n, size - 1);
    if (*off < n) {
        len = MIN(len, n - *off);
        rc = uspace_copy_to(&p->us, buf, text + *off, len) ? -EFAULT : (long)len;
        if (rc > 0)
            *off += len;
    }
    kfree(text);
    return rc;
}

/* Read at *off (advanced) from f into user memory. */
static long read_at(struct process *p, struct file *f, uint64_t buf, uint64_t len,
                    uint64_t *off)
{
    char chunk[IO_CHUNK];
    uint64_t done = 0;

    if (is_console(f))
        return tty_read(p, f, buf, len);
    if (f->kind == FILE_PIPE)
        return pipe_read(p, f, buf, len);
    if (f->ops)                         /* a driver's device */
        return f->ops->read ? f->ops->read(p, f, buf, len) : -EINVAL;

    if (f->kind == FILE_SOCKET)
        return unix_read(p, f, buf, len);
    if (S_ISDIR(f->ino->mode))
        return -EISDIR;
    if (f->ino->gen)
        return read_generated(p, f->ino, buf, len, off);
    len = MIN(len, (uint64_t)RW_MAX);
    while (done < len) {
        size_t want = MIN(len - done, sizeof(chunk));
        long n;

        if (S_ISCHR(f->ino->mode))
            n = devfs_read(f->ino, chunk, want);
        else
            n = (long)vfs_read(f->ino, *off, chunk, want);
        if (n < 0)
            return done ? (long)done : n;
        if (!n)
            break;
        if (uspace_copy_to(&p->us, buf + done, chunk, (size_t)n))
            return done ? (long)done : -EFAULT;
        *off += (uint64_t)n;
        done += (uint64_t)n;
    }
    return (long)done;
}

static long write_at(struct process *p, struct file *f, uint64_t buf, uint64_t len,
                     uint64_t *off)
{
    char chunk[IO_CHUNK];
    uint64_t done = 0;

    if (is_console(f))
        return tty_write(p, f, buf, len);
    if (f->kind == FILE_PIPE)
        return pipe_write(p, f, buf, len);
    if (f->ops)
        return f->ops->write ? f->ops->write(p, f, buf, len) : -EINVAL;

    if (f->kind == FILE_SOCKET)
        return unix_write(p, f, buf, len);
    if (S_ISDIR(f->ino->mode))
        return -EISDIR;
    len = MIN(len, (uint64_t)RW_MAX);
    if (S_ISREG(f->ino->mode) && (f->flags & O_APPEND))
        *off = f->ino->size;
    while (done < len) {
        size_t n = MIN(len - done, sizeof(chunk));
        long rc;

        if (uspace_copy_from(&p->us, chunk, buf + done, n))
            return done ? (long)done : -EFAULT;
        if (S_ISCHR(f->ino->mode))
            rc = devfs_write(f->ino, chunk, n);
        else
            rc = ramfs_write(f->ino, *off, chunk, n);
        if (rc < 0)
            return done ? (long)done : rc;
        *off += (uint64_t)rc;
        done += (uint64_t)rc;
        if ((size_t)rc < n)
            break;
    }
    if (done && S_ISREG(f->ino->mode))
        f->ino->mtime = f->ino->ctime = now();
    return (long)done;
}

static long file_read(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    return read_at(p, f, buf, len, &f->off);
}

static long file_write(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    return write_at(p, f, buf, len, &f->off);
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

static long positional(SYSCALL_ARGS, bool write)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    uint64_t off = (uint64_t)a3;

    if (!f || (f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -EBADF;
    if (is_console(f) || f->kind == FILE_PIPE || f->kind == FILE_SOCKET)
        return -ESPIPE;
    if (a3 < 0)
        return -EINVAL;
    (void)a4; (void)a5;
    return write ? write_at(p, f, a1, a2, &off) : read_at(p, f, a1, a2, &off);
}

long sys_pread64(SYSCALL_ARGS)  { return positional(a0, a1, a2, a3, a4, a5, false); }
long sys_pwrite64(SYSCALL_ARGS) { return positional(a0, a1, a2, a3, a4, a5, true); }

static long vector_io(SYSCALL_ARGS, bool write)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    long total = 0, rc;
    long i;

    if (!f || (f->flags & O_ACCMODE) == (write ? O_RDONLY : O_WRONLY))
        return -EBADF;
    if (a2 < 0 || a2 > IOV_MAX)
        return -EINVAL;
    if (f->kind == FILE_SOCKET)         /* one message, not one per iovec */
        return sock_vector_io(p, f, a1, a2, write);
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
        /* A pipe read waits only while nothing came: never once some did. */
        if ((uint64_t)rc < v.len || (f->kind == FILE_PIPE && !write))
            break;
    }
    (void)a3; (void)a4; (void)a5;
    return total;
}

long sys_readv(SYSCALL_ARGS)  { return vector_io(a0, a1, a2, a3, a4, a5, false); }
long sys_writev(SYSCALL_ARGS) { return vector_io(a0, a1, a2, a3, a4, a5, true); }

/* ---- paths ---- */

/* A path from user memory, in a page of its own (VFS_PATH_MAX is a page,
 * past the heap's classes); path_free() gives it back. */
struct kpath { char *s; uint64_t pfn; };

static long path_get(struct process *p, uint64_t upath, struct kpath *kp)
{
    size_t i;

    kp->pfn = mm_alloc_pfn();
    kp->s = kp->pfn == INVALID_FRAME ? NULL : pfn_to_virt(kp->pfn);
    if (!kp->s)
        return -ENOMEM;
    for (i = 0; i < VFS_PATH_MAX; i++) {
        const char *c = uspace_ptr(&p->us, upath + i, false);

        if (!c) {
            mm_free_pfn(kp->pfn);
            return -EFAULT;
        }
        kp->s[i] = *c;
        if (!*c)
            return 0;
    }
    mm_free_pfn(kp->pfn);
    return -ENAMETOOLONG;
}

static void path_free(struct kpath *kp) { mm_free_pfn(kp->pfn); }

/* The directory a relative path starts from, as the *at() calls say. */
static long start_dir(struct process *p, long dirfd, const char *path, struct inode **dir)
{
    struct file *d;

    *dir = p->cwd;
    if (path[0] == '/' || (int)dirfd == AT_FDCWD)  /* an int, as Linux reads it */
        return 0;
    d = proc_fd(p, (int)dirfd);
    if (!d || d->kind != FILE_INODE)
        return -EBADF;
    if (!S_ISDIR(d->ino->mode))
        return -ENOTDIR;
    *dir = d->ino;
    return 0;
}

/* Resolve (dirfd, upath) to an inode. */
static struct inode *lookup_at(struct process *p, long dirfd, uint64_t upath,
                               bool follow, long *err)
{
    struct kpath kp;
    struct inode *dir, *ino = NULL;
    int e = 0;

    *err = path_get(p, upath, &kp);
    if (*err)
        return NULL;
    *err = start_dir(p, dirfd, kp.s, &dir);
    if (!*err) {
        ino = vfs_lookup_at(dir, kp.s, follow, &e);
        *err = e;
    }
    path_free(&kp);
    return ino;
}

/* The parent of (dirfd, path)'s last component: dir, name (in kp), len. */
struct parent { struct inode *dir; const char *name; size_t len; bool trail; };

static long parent_at(struct process *p, long dirfd, const char *path, struct parent *pa)
{
    struct inode *start;
    long rc = start_dir(p, dirfd, path, &start);
    int e = 0;

    if (rc)
        return rc;
    pa->dir = vfs_lookup_parent(start, path, &pa->name, &pa->len, &pa->trail, &e);
    if (!pa->dir)
        return e;
    if (!S_ISDIR(pa->dir->mode))
        return -ENOTDIR;
    return 0;
}

/* ---- open, close, seek ---- */

static long do_open(struct process *p, long dirfd, uint64_t upath, long flags, long mode)
{
    struct kpath kp;
    struct inode *dir, *ino;
    struct file *f;
    long rc;
    int e = 0, fd;

    rc = path_get(p, upath, &kp);
    if (rc)
        return rc;
    rc = start_dir(p, dirfd, kp.s, &dir);
    if (rc)
        goto out;
    ino = vfs_lookup_at(dir, kp.s, !(flags & O_NOFOLLOW) && !(flags & O_EXCL), &e);
    if (ino && (flags & O_CREAT) && (flags & O_EXCL)) {
        rc = -EEXIST;
        goto out;
    }
    if (!ino && e == -ENOENT && (flags & O_CREAT)) {
        struct parent pa;

        rc = parent_at(p, dirfd, kp.s, &pa);
        if (rc)
            goto out;
        if (pa.trail || pa.len == 0) {
            rc = -EISDIR;
            goto out;
        }
        if (readonly(pa.dir)) {
            rc = -EROFS;
            goto out;
        }
        ino = ramfs_create(pa.dir, pa.name, pa.len,
                           S_IFREG | ((uint32_t)mode & 07777 & ~p->umask), &e);
        if (!ino) {
            rc = e;
            goto out;
        }
        ino->mtime = ino->ctime = pa.dir->mtime = now();
    }
    if (!ino) {
        rc = e;
        goto out;
    }
    if ((flags & O_DIRECTORY) && !S_ISDIR(ino->mode)) {
        rc = -ENOTDIR;
        goto out;
    }
    if ((flags & O_NOFOLLOW) && S_ISLNK(ino->mode)) {
        rc = -ELOOP;
        goto out;
    }
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) {
        if (S_ISDIR(ino->mode)) {
            rc = -EISDIR;
            goto out;
        }
        if (ino->gen) {
            rc = -EACCES;
            goto out;
        }
        if (readonly(ino)) {
            rc = -EROFS;
            goto out;
        }
    }
    if ((ino->mode & S_IFMT) == S_IFSOCK) {
        rc = -ENXIO;                    /* a socket is connected to, not opened */
        goto out;
    }
    if (S_ISFIFO(ino->mode)) {          /* a named pipe: pipe.c */
        rc = pipe_open_fifo(ino, (int)(flags & ~(O_CLOEXEC | O_CREAT | O_EXCL | O_TRUNC)), &f);
        if (rc)
            goto out;
        goto install;
    }
    if ((flags & O_TRUNC) && S_ISREG(ino->mode) && ino->size) {
        rc = ramfs_truncate(ino, 0);
        if (rc)
            goto out;
        ino->mtime = ino->ctime = now();
    }
    f = kzalloc(sizeof(*f));
    if (!f) {
        rc = -ENOMEM;
        goto out;
    }
    *f = (struct file){ .kind = FILE_INODE, .refs = 1, .flags = (int)(flags & ~O_CLOEXEC),
                        .ino = ino };
    inode_get(ino);
    if (S_ISCHR(ino->mode)) {           /* a driver's device gets its open */
        rc = devfs_open(ino, f);
        if (rc) {
            file_put(f);
            goto out;
        }
    }
install:
    fd = proc_fd_alloc(p, f, 0, flags & O_CLOEXEC);
    if (fd < 0)
        file_put(f);
    else if (devfs_is_console(ino))
        tty_open(p, flags);             /* a session leader's controlling tty */
    rc = fd;
out:
    path_free(&kp);
    return rc;
}

/* Flags and dirfds are C ints in Linux's prototypes: the upper half of
 * the register is ignored (musl's syscall() leaves it undefined). */
long sys_openat(SYSCALL_ARGS) { return do_open(proc_current(), a0, a1, (int)a2, a3); }
long sys_open(SYSCALL_ARGS)   { return do_open(proc_current(), AT_FDCWD, a0, (int)a1, a2); }
long sys_creat(SYSCALL_ARGS)
{
    return do_open(proc_current(), AT_FDCWD, a0, O_CREAT | O_WRONLY | O_TRUNC, a1);
}

long sys_close(SYSCALL_ARGS)
{
    struct process *p = proc_current();

    if (!proc_fd(p, (int)a0))
        return -EBADF;
    fd_close(p, (int)a0);
    return 0;
}

long sys_lseek(SYSCALL_ARGS)
{
    struct file *f = proc_fd(proc_current(), (int)a0);
    int64_t base;

    if (!f)
        return -EBADF;
    if (is_console(f) || f->kind == FILE_PIPE || f->kind == FILE_SOCKET)
        return -ESPIPE;
    if (S_ISCHR(f->ino->mode))
        return 0;                       /* /dev/null and friends: always 0 */
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

/* ---- stat ---- */

static void fill_stat(const struct inode *ino, struct linux_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_blksize = 4096;
    if (!ino) {                         /* init's console: a character device */
        st->st_mode = S_IFCHR | 0620;
        st->st_rdev = (5 << 8) | 1;     /* 5:1, /dev/console */
        st->st_nlink = 1;
        st->st_ino = 1;
        return;
    }
    st->st_dev = ino->dev;
    st->st_ino = ino->ino;
    st->st_mode = ino->mode;
    st->st_nlink = ino->nlink;
    st->st_uid = ino->uid;
    st->st_gid = ino->gid;
    st->st_rdev = ino->rdev;
    st->st_size = (int64_t)ino->size;
    st->st_blocks = ino->data ? (int64_t)((ino->size + 511) / 512) : (int64_t)ino->npages * 8;
    st->st_atim.tv_sec = st->st_mtim.tv_sec = (int64_t)ino->mtime;
    st->st_ctim.tv_sec = (int64_t)(ino->ctime ? ino->ctime : ino->mtime);
}

static const struct inode *file_inode(const struct file *f)
{
    return f->kind == FILE_INODE ? f->ino : NULL;
}

static void fill_file_stat(const struct file *f, struct linux_stat *st)
{
    if (f->kind == FILE_PIPE)
        pipe_stat(f, st);
    else if (f->kind == FILE_SOCKET)
        unix_stat(f, st);
    else
        fill_stat(file_inode(f), st);
}

long sys_fstat(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    struct linux_stat st;

    if (!f)
        return -EBADF;
    fill_file_stat(f, &st);
    return uspace_copy_to(&p->us, a1, &st, sizeof(st));
}

static bool empty_path(struct process *p, uint64_t upath)
{
    const char *c = uspace_ptr(&p->us, upath, false);

    return c && !*c;
}

/* stat's answer for (dirfd, path, flags), AT_EMPTY_PATH included. */
static long stat_of(struct process *p, long dirfd, uint64_t upath, long flags,
                    struct linux_stat *st)
{
    struct inode *ino;
    long err;

    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */ |
                  0x6000 /* AT_STATX_SYNC_TYPE */))
        return -EINVAL;
    if ((flags & AT_EMPTY_PATH) && empty_path(p, upath)) {
        struct file *f;

        if ((int)dirfd == AT_FDCWD) {
            fill_stat(p->cwd, st);
            return 0;
        }
        f = proc_fd(p, (int)dirfd);
        if (!f)
            return -EBADF;
        fill_file_stat(f, st);
        return 0;
    }
    ino = lookup_at(p, dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &err);
    if (!ino)
        return err;
    fill_stat(ino, st);
    return 0;
}

long sys_newfstatat(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_stat st;
    long rc = stat_of(p, a0, a1, (int)a3, &st);

    return rc ? rc : uspace_copy_to(&p->us, a2, &st, sizeof(st));
}

long sys_stat(SYSCALL_ARGS)  { return sys_newfstatat(AT_FDCWD, a0, a1, 0, 0, 0); }
long sys_lstat(SYSCALL_ARGS) { return sys_newfstatat(AT_FDCWD, a0, a1, AT_SYMLINK_NOFOLLOW, 0, 0); }

long sys_statx(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_stat st;
    struct linux_statx sx;
    long rc = stat_of(p, a0, a1, (int)a2, &st);

    if (rc)
        return rc;
    (void)a3;                           /* the mask: everything basic is always there */
    memset(&sx, 0, sizeof(sx));
    sx.stx_mask = STATX_BASIC_STATS;
    sx.stx_blksize = (uint32_t)st.st_blksize;
    sx.stx_nlink = (uint32_t)st.st_nlink;
    sx.stx_uid = st.st_uid;
    sx.stx_gid = st.st_gid;
    sx.stx_mode = (uint16_t)st.st_mode;
    sx.stx_ino = st.st_ino;
    sx.stx_size = (uint64_t)st.st_size;
    sx.stx_blocks = (uint64_t)st.st_blocks;
    sx.stx_atime.tv_sec = st.st_atim.tv_sec;
    sx.stx_mtime.tv_sec = st.st_mtim.tv_sec;
    sx.stx_ctime.tv_sec = st.st_ctim.tv_sec;
    sx.stx_rdev_major = (uint32_t)(st.st_rdev >> 8);
    sx.stx_rdev_minor = (uint32_t)(st.st_rdev & 0xff);
    sx.stx_dev_minor = (uint32_t)st.st_dev;
    return uspace_copy_to(&p->us, a4, &sx, sizeof(sx));
}

/* statfs: the root's size is the domain's memory (what files can use:
 * the free pages less the reserve); devfs and procfs hold no data (0). */
static void fill_statfs(const struct inode *ino, struct linux_statfs *sf)
{
    const struct vfs_mount *m = ino ? vfs_mount_at(ino->dev - 1) : NULL;
    uint64_t free = mm_free_pfns();

    memset(sf, 0, sizeof(*sf));
    sf->f_bsize = sf->f_frsize = 4096;
    sf->f_namelen = VFS_NAME_MAX;
    sf->f_fsid[0] = ino ? (int32_t)ino->dev : 0;
    sf->f_flags = ST_VALID | (m && !strcmp(m->opts, "ro") ? ST_RDONLY : 0);
    if (m && !strcmp(m->type, "proc")) {
        sf->f_type = PROC_SUPER_MAGIC;
    } else if (m && !strcmp(m->type, "rootfs")) {
        sf->f_type = RAMFS_MAGIC;
        sf->f_blocks = mm_nr_pfns();
        sf->f_bfree = sf->f_bavail = free > RAMFS_RESERVE_PAGES ? free - RAMFS_RESERVE_PAGES : 0;
    } else {
        sf->f_type = TMPFS_MAGIC;       /* devtmpfs answers tmpfs's magic */
    }
}

long sys_statfs(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_statfs sf;
    long err;
    struct inode *ino = lookup_at(p, AT_FDCWD, a0, true, &err);

    if (!ino)
        return err;
    fill_statfs(ino, &sf);
    return uspace_copy_to(&p->us, a1, &sf, sizeof(sf));
}

long sys_fstatfs(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    struct linux_statfs sf;

    if (!f)
        return -EBADF;
    fill_statfs(f->kind == FILE_INODE ? f->ino : NULL, &sf);
    return uspace_copy_to(&p->us, a1, &sf, sizeof(sf));
}

long sys_ioctl(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    int v;

    if (!f)
        return -EBADF;
    /* The ones Linux answers for any descriptor (fs/ioctl.c). */
    switch ((unsigned int)a1) {
    case FIOCLEX:
        proc_fd_set_cloexec(p, (int)a0, true);
        return 0;
    case FIONCLEX:
        proc_fd_set_cloexec(p, (int)a0, false);
        return 0;
    case FIONBIO:
        if (uspace_copy_from(&p->us, &v, a2, sizeof(v)))
            return -EFAULT;
        f->flags = v ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
        return 0;
    }
    if (is_console(f))
        return tty_ioctl(p, f, (unsigned int)a1, (uint64_t)a2);
    if (f->kind == FILE_PIPE && (unsigned int)a1 == FIONREAD) {
        v = pipe_nread(f);
        return uspace_copy_to(&p->us, a2, &v, sizeof(v)) ? -EFAULT : 0;
    }
    if (f->ops && f->ops->ioctl)
        return f->ops->ioctl(p, f, (unsigned int)a1, (uint64_t)a2);

    if (f->kind == FILE_SOCKET && (unsigned int)a1 == FIONREAD) {   /* SIOCINQ */
        v = unix_nread(f);
        if (v < 0)
            return v;
        return uspace_copy_to(&p->us, a2, &v, sizeof(v)) ? -EFAULT : 0;
    }
    return -ENOTTY;
}

/* ---- descriptors: dup, fcntl ---- */

long sys_dup(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    int fd;

    if (!f)
        return -EBADF;
    fd = proc_fd_alloc(p, f, 0, false);
    if (fd >= 0)
        f->refs++;
    return fd;
}

static long dup_to(struct process *p, long oldfd, long newfd, bool cloexec)
{
    struct file *f = proc_fd(p, (int)oldfd);

    long rc;

    /* Linux: newfd at or past RLIMIT_NOFILE is -EBADF. */
    if (!f || newfd < 0 || newfd >= proc_nofile(p))
        return -EBADF;
    if (oldfd == newfd)
        return newfd;
    f->refs++;
    rc = proc_fd_set(p, (int)newfd, f, cloexec);
    if (rc) {
        f->refs--;
        return rc;
    }
    return newfd;
}

long sys_dup2(SYSCALL_ARGS) { return dup_to(proc_current(), (int)a0, (int)a1, false); }

long sys_dup3(SYSCALL_ARGS)
{
    if ((int)a2 & ~O_CLOEXEC)
        return -EINVAL;
    if ((int)a0 == (int)a1)
        return -EINVAL;
    return dup_to(proc_current(), (int)a0, (int)a1, (int)a2 & O_CLOEXEC);
}

long sys_fcntl(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    int fd;

    if (!f)
        return -EBADF;
    switch ((int)a1) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (a2 < 0 || a2 >= proc_nofile(p))
            return -EINVAL;
        fd = proc_fd_alloc(p, f, (int)a2, a1 == F_DUPFD_CLOEXEC);
        if (fd >= 0)
            f->refs++;
        return fd;
    case F_GETFD:
        return proc_fd_cloexec(p, (int)a0) ? FD_CLOEXEC : 0;
    case F_SETFD:
        proc_fd_set_cloexec(p, (int)a0, a2 & FD_CLOEXEC);
        return 0;
    case F_GETFL:
        return f->flags;
    case F_SETFL:
        /* Only these change after open, as Linux's SETFL_MASK (less O_DIRECT). */
        f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | ((int)a2 & (O_APPEND | O_NONBLOCK));
        return 0;
    }
    return -EINVAL;
}

/* ---- pipes (the ring itself: pipe.c) ---- */

long sys_pipe2(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *r, *w;
    int fds[2];
    long rc;

    /* O_DIRECT (packet mode) and O_NOTIFICATION_PIPE are not kept. */
    if ((int)a1 & ~(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    rc = pipe_new((int)a1, &r, &w);
    if (rc)
        return rc;
    fds[0] = proc_fd_alloc(p, r, 0, (int)a1 & O_CLOEXEC);
    fds[1] = fds[0] < 0 ? -EMFILE : proc_fd_alloc(p, w, 0, (int)a1 & O_CLOEXEC);
    if (fds[1] < 0) {
        if (fds[0] >= 0)
            fd_close(p, fds[0]);
        else
            file_put(r);
        file_put(w);
        return -EMFILE;
    }
    if (uspace_copy_to(&p->us, a0, fds, sizeof(fds))) {
        fd_close(p, fds[0]);
        fd_close(p, fds[1]);
        return -EFAULT;
    }
    return 0;
}

long sys_pipe(SYSCALL_ARGS) { return sys_pipe2(a0, 0, 0, 0, 0, 0); }

long sys_fsync(SYSCALL_ARGS)
{
    return proc_fd(proc_current(), (int)a0) ? 0 : -EBADF;  /* all in memory */
}

long sys_fdatasync(SYSCALL_ARGS) { return sys_fsync(a0, a1, a2, a3, a4, a5); }
long sys_sync(SYSCALL_ARGS) { (void)a0; return 0; }

/* ---- sizes ---- */

static long truncate_inode(struct inode *ino, long len)
{
    long rc;

    if (len < 0)
        return -EINVAL;
    if (S_ISDIR(ino->mode))
        return -EISDIR;
    if (!S_ISREG(ino->mode))
        return -EINVAL;
    if (ino->gen)
        return -EACCES;
    if (readonly(ino))
        return -EROFS;
    rc = ramfs_truncate(ino, (uint64_t)len);
    if (!rc)
        ino->mtime = ino->ctime = now();
    return rc;
}

long sys_truncate(SYSCALL_ARGS)
{
    long err;
    struct inode *ino = lookup_at(proc_current(), AT_FDCWD, a0, true, &err);

    return ino ? truncate_inode(ino, a1) : err;
}

long sys_ftruncate(SYSCALL_ARGS)
{
    struct file *f = proc_fd(proc_current(), (int)a0);

    if (!f)
        return -EBADF;
    if (f->kind != FILE_INODE || (f->flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;
    return truncate_inode(f->ino, a1);
}

/* ---- directories ---- */

static uint8_t dtype(uint32_t mode)
{
    return S_ISDIR(mode) ? DT_DIR : S_ISLNK(mode) ? DT_LNK : S_ISCHR(mode) ? DT_CHR :
           (mode & S_IFMT) == S_IFSOCK ? 12 /* DT_SOCK */ : DT_REG;
}

long sys_getdents64(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);
    struct inode *dir;
    uint64_t done = 0;
    char rec[sizeof(struct linux_dirent64) + VFS_NAME_MAX + 8];

    if (!f)
        return -EBADF;
    if (f->kind != FILE_INODE || !S_ISDIR(f->ino->mode))
        return -ENOTDIR;
    dir = f->ino;
    if (dir->unlinked)
        return 0;
    if (dir->refresh)
        dir->refresh(dir);
    for (;;) {
        struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
        const struct inode *e = NULL;
        const char *name;
        uint64_t ino, next;
        uint8_t type = DT_DIR;
        size_t nlen, reclen;

        if (f->off == 0) {
            name = ".", ino = dir->ino, next = 1;
        } else if (f->off == 1) {
            name = "..", ino = dir->parent->ino, next = 2;
        } else {
            e = ramfs_entry_at(dir, f->off);
            if (!e)
                break;
            name = e->name, ino = e->ino, next = e->pos + 1, type = dtype(e->mode);
        }
        nlen = strlen(name);
        reclen = (sizeof(*d) + nlen + 1 + 7) & ~7UL;
        if (done + reclen > (uint64_t)a2) {
            if (!done)
                return -EINVAL;         /* the buffer cannot hold one entry */
            break;
        }
        memset(rec, 0, reclen);
        d->d_ino = ino;
        d->d_off = (int64_t)next;
        d->d_reclen = (uint16_t)reclen;
        d->d_type = type;
        memcpy(d->d_name, name, nlen);
        if (uspace_copy_to(&p->us, a1 + done, rec, reclen))
            return done ? (long)done : -EFAULT;
        done += reclen;
        f->off = next;
    }
    return (long)done;
}

long sys_getcwd(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t pfn = mm_alloc_pfn();
    char *buf = pfn == INVALID_FRAME ? NULL : pfn_to_virt(pfn);
    long n;

    if (!buf)
        return -ENOMEM;
    n = vfs_path_of(p->cwd, buf, VFS_PATH_MAX);
    if (n > 0 && (uint64_t)n > (uint64_t)a1)
        n = -ERANGE;
    if (n > 0 && uspace_copy_to(&p->us, a0, buf, (size_t)n))
        n = -EFAULT;
    mm_free_pfn(pfn);
    return n;
}

static long set_cwd(struct process *p, struct inode *ino)
{
    if (!S_ISDIR(ino->mode))
        return -ENOTDIR;
    /* A counted reference (proc.h): a removed directory lives while it
     * is someone's working directory. */
    inode_get(ino);
    inode_put(p->cwd);
    p->cwd = ino;
    return 0;
}

long sys_chdir(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    long err;
    struct inode *ino = lookup_at(p, AT_FDCWD, a0, true, &err);

    return ino ? set_cwd(p, ino) : err;
}

long sys_fchdir(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct file *f = proc_fd(p, (int)a0);

    if (!f)
        return -EBADF;
    if (f->kind != FILE_INODE)
        return -ENOTDIR;
    return set_cwd(p, f->ino);
}

/* The changes: each resolves the parent, then asks ramfs. */
enum change { MKDIR, RMDIR, UNLINK, SYMLINK, MKNOD };

static long change_at(long dirfd, uint64_t upath, enum change op, long mode, uint64_t utarget)
{
    struct process *p = proc_current();
    struct kpath kp, kt = { 0 };
    struct parent pa;
    struct inode *ino;
    long rc;
    int e;

    rc = path_get(p, upath, &kp);
    if (rc)
        return rc;
    if (op == SYMLINK) {
        rc = path_get(p, utarget, &kt);
        if (rc) {
            path_free(&kp);
            return rc;
        }
    }
    rc = parent_at(p, dirfd, kp.s, &pa);
    if (rc)
        goto out;
    if (pa.len == 0) {                  /* "/" */
        rc = op == MKDIR || op == SYMLINK || op == MKNOD ? -EEXIST
             : op == RMDIR ? -EBUSY : -EISDIR;
        goto out;
    }
    if (readonly(pa.dir)) {
        rc = -EROFS;
        goto out;
    }
    switch (op) {
    case MKDIR:
        ino = ramfs_create(pa.dir, pa.name, pa.len,
                           S_IFDIR | ((uint32_t)mode & 07777 & ~p->umask), &e);
        rc = ino ? 0 : e;
        if (ino)
            ino->mtime = ino->ctime = now();
        break;
    case MKNOD:                         /* mode's type checked by sys_mknodat() */
        ino = ramfs_create(pa.dir, pa.name, pa.len,
                           ((uint32_t)mode & S_IFMT) | ((uint32_t)mode & 07777 & ~p->umask), &e);
        rc = ino ? 0 : e;
        if (ino)
            ino->mtime = ino->ctime = now();
        break;
    case RMDIR:
        rc = ramfs_rmdir(pa.dir, pa.name, pa.len);
        break;
    case UNLINK:
        ino = ramfs_lookup_child(pa.dir, pa.name, pa.len);
        if (ino && pa.trail && !S_ISDIR(ino->mode))
            rc = -ENOTDIR;
        else
            rc = ramfs_unlink(pa.dir, pa.name, pa.len);
        break;
    case SYMLINK:
        if (pa.trail && !ramfs_lookup_child(pa.dir, pa.name, pa.len)) {
            rc = -ENOENT;
            break;
        }
        rc = ramfs_symlink(pa.dir, pa.name, pa.len, kt.s);
        break;
    }
    if (!rc)
        pa.dir->mtime = pa.dir->ctime = now();
out:
    if (op == SYMLINK)
        path_free(&kt);
    path_free(&kp);
    return rc;
}

long sys_mkdir(SYSCALL_ARGS)    { return change_at(AT_FDCWD, a0, MKDIR, a1, 0); }

/* mknodat(dirfd, path, mode, dev): FIFOs (named pipes, pipe.c) and plain
 * files (type 0 or S_IFREG); device nodes and sockets -EPERM (devfs owns
 * the devices; no sockets), another type -EINVAL, as Linux. */
long sys_mknodat(SYSCALL_ARGS)
{
    uint32_t type = (uint32_t)a2 & S_IFMT;

    if (type == 0)
        type = S_IFREG;
    if (type == S_IFCHR || type == S_IFBLK || type == S_IFSOCK)
        return -EPERM;
    if (type != S_IFREG && type != S_IFIFO)
        return -EINVAL;
    return change_at(a0, a1, MKNOD, type | ((uint32_t)a2 & 07777), 0);
}

long sys_mknod(SYSCALL_ARGS) { return sys_mknodat(AT_FDCWD, a0, a1, a2, 0, 0); }
long sys_mkdirat(SYSCALL_ARGS)  { return change_at(a0, a1, MKDIR, a2, 0); }
long sys_rmdir(SYSCALL_ARGS)    { return change_at(AT_FDCWD, a0, RMDIR, 0, 0); }
long sys_unlink(SYSCALL_ARGS)   { return change_at(AT_FDCWD, a0, UNLINK, 0, 0); }
long sys_symlink(SYSCALL_ARGS)  { return change_at(AT_FDCWD, a1, SYMLINK, 0, a0); }
long sys_symlinkat(SYSCALL_ARGS) { return change_at(a1, a2, SYMLINK, 0, a0); }

long sys_unlinkat(SYSCALL_ARGS)
{
    if ((int)a2 & ~AT_REMOVEDIR)
        return -EINVAL;
    return change_at(a0, a1, (int)a2 & AT_REMOVEDIR ? RMDIR : UNLINK, 0, 0);
}

static long do_rename(long odfd, uint64_t oup, long ndfd, uint64_t nup, unsigned long flags)
{
    struct process *p = proc_current();
    struct kpath ko, kn;
    struct parent po, pn;
    struct inode *old;
    long rc;

    rc = path_get(p, oup, &ko);
    if (rc)
        return rc;
    rc = path_get(p, nup, &kn);
    if (rc) {
        path_free(&ko);
        return rc;
    }
    rc = parent_at(p, odfd, ko.s, &po);
    if (!rc)
        rc = parent_at(p, ndfd, kn.s, &pn);
    if (rc)
        goto out;
    if (readonly(po.dir) || readonly(pn.dir)) {
        rc = -EROFS;
        goto out;
    }
    old = ramfs_lookup_child(po.dir, po.name, po.len);
    if (old && !S_ISDIR(old->mode) && (po.trail || pn.trail)) {
        rc = -ENOTDIR;
        goto out;
    }
    rc = ramfs_rename(po.dir, po.name, po.len, pn.dir, pn.name, pn.len, (unsigned int)flags);
    if (!rc)
        po.dir->mtime = pn.dir->mtime = now();
out:
    path_free(&kn);
    path_free(&ko);
    return rc;
}

long sys_rename(SYSCALL_ARGS)    { return do_rename(AT_FDCWD, a0, AT_FDCWD, a1, 0); }
long sys_renameat(SYSCALL_ARGS)  { return do_rename(a0, a1, a2, a3, 0); }
long sys_renameat2(SYSCALL_ARGS) { return do_rename(a0, a1, a2, a3, (unsigned int)a4); }

/* No hard links (ramfs.c): Linux's answer on such a filesystem, after
 * the errors that come first. */
static long do_link(long odfd, uint64_t oup, long ndfd, uint64_t nup, long flags)
{
    struct process *p = proc_current();
    struct kpath kn;
    struct parent pn;
    struct inode *old;
    long rc;

    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    old = lookup_at(p, odfd, oup, flags & AT_SYMLINK_FOLLOW, &rc);
    if (!old)
        return rc;
    rc = path_get(p, nup, &kn);
    if (rc)
        return rc;
    rc = parent_at(p, ndfd, kn.s, &pn);
    if (!rc && (pn.len == 0 || ramfs_lookup_child(pn.dir, pn.name, pn.len)))
        rc = -EEXIST;
    if (!rc)
        rc = -EPERM;
    path_free(&kn);
    return rc;
}

long sys_link(SYSCALL_ARGS)   { return do_link(AT_FDCWD, a0, AT_FDCWD, a1, 0); }
long sys_linkat(SYSCALL_ARGS) { return do_link(a0, a1, a2, a3, (int)a4); }

static long do_readlink(long dirfd, uint64_t upath, uint64_t buf, long size)
{
    struct process *p = proc_current();
    char target[256];
    uint64_t done = 0;
    long err;
    struct inode *ino;

    if (size <= 0)
        return -EINVAL;
    ino = lookup_at(p, dirfd, upath, false, &err);
    if (!ino)
        return err;
    if (!S_ISLNK(ino->mode))
        return -EINVAL;
    while (done < (uint64_t)size) {
        size_t n = vfs_read(ino, done, target, MIN(sizeof(target), (uint64_t)size - done));

        if (!n)
            break;
        if (uspace_copy_to(&p->us, buf + done, target, n))
            return -EFAULT;
        done += n;
    }
    return (long)done;
}

long sys_readlink(SYSCALL_ARGS)   { return do_readlink(AT_FDCWD, a0, a1, a2); }
long sys_readlinkat(SYSCALL_ARGS) { return do_readlink(a0, a1, a2, a3); }

/* ---- attributes ---- */

static long set_mode(struct inode *ino, long mode)
{
    if (readonly(ino))
        return -EROFS;
    ino->mode = (ino->mode & S_IFMT) | ((uint32_t)mode & 07777);
    ino->ctime = now();
    return 0;
}

long sys_chmod(SYSCALL_ARGS)
{
    long err;
    struct inode *ino = lookup_at(proc_current(), AT_FDCWD, a0, true, &err);

    return ino ? set_mode(ino, a1) : err;
}

long sys_fchmodat(SYSCALL_ARGS)
{
    long err;
    struct inode *ino = lookup_at(proc_current(), a0, a1, true, &err);

    return ino ? set_mode(ino, a2) : err;
}

long sys_fchmod(SYSCALL_ARGS)
{
    struct file *f = proc_fd(proc_current(), (int)a0);

    if (!f)
        return -EBADF;
    if (f->kind != FILE_INODE)
        return 0;                       /* init's console: nothing kept */
    return set_mode(f->ino, a1);
}

/* Kept and shown; -1 leaves one unchanged.  Root may give any owner. */
static long set_owner(struct inode *ino, long uid, long gid)
{
    if (readonly(ino))
        return -EROFS;
    if ((int)uid != -1)
        ino->uid = (uint32_t)uid;
    if ((int)gid != -1)
        ino->gid = (uint32_t)gid;
    ino->ctime = now();
    return 0;
}

static long chown_at(long dirfd, uint64_t upath, long uid, long gid, int flags)
{
    struct process *p = proc_current();
    long err;
    struct inode *ino;

    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if ((flags & AT_EMPTY_PATH) && empty_path(p, upath)) {
        struct file *f = (int)dirfd == AT_FDCWD ? NULL : proc_fd(p, (int)dirfd);

        if ((int)dirfd == AT_FDCWD)
            return set_owner(p->cwd, uid, gid);
        if (!f)
            return -EBADF;
        return f->kind == FILE_INODE ? set_owner(f->ino, uid, gid) : 0;
    }
    ino = lookup_at(p, dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &err);
    return ino ? set_owner(ino, uid, gid) : err;
}

long sys_chown(SYSCALL_ARGS)    { return chown_at(AT_FDCWD, a0, a1, a2, 0); }
long sys_lchown(SYSCALL_ARGS)   { return chown_at(AT_FDCWD, a0, a1, a2, AT_SYMLINK_NOFOLLOW); }
long sys_fchownat(SYSCALL_ARGS) { return chown_at(a0, a1, a2, a3, (int)a4); }

long sys_fchown(SYSCALL_ARGS)
{
    struct file *f = proc_fd(proc_current(), (int)a0);

    if (!f)
        return -EBADF;
    return f->kind == FILE_INODE ? set_owner(f->ino, a1, a2) : 0;
}

long sys_umask(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    unsigned int old = p->umask;

    p->umask = (unsigned int)a0 & 0777;
    return old;
}

static long do_access(long dirfd, uint64_t upath, long mode, long flags)
{
    long err;
    struct inode *ino;

    if (mode & ~(R_OK | W_OK | X_OK))
        return -EINVAL;
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    ino = lookup_at(proc_current(), dirfd, upath, !(flags & AT_SYMLINK_NOFOLLOW), &err);
    if (!ino)
        return err;
    if ((mode & W_OK) && readonly(ino) && !S_ISCHR(ino->mode))
        return -EROFS;
    /* root: X_OK needs an x bit somewhere, except on a directory */
    if ((mode & X_OK) && !S_ISDIR(ino->mode) && !(ino->mode & 0111))
        return -EACCES;
    return 0;
}

long sys_access(SYSCALL_ARGS)     { return do_access(AT_FDCWD, a0, a1, 0); }
long sys_faccessat(SYSCALL_ARGS)  { return do_access(a0, a1, (int)a2, 0); }
long sys_faccessat2(SYSCALL_ARGS) { return do_access(a0, a1, (int)a2, (int)a3); }

long sys_utimensat(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    struct linux_timespec ts[2];
    struct inode *ino;
    long err;

    a3 = (int)a3;
    if (a3 & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if (a2) {
        if (uspace_copy_from(&p->us, ts, a2, sizeof(ts)))
            return -EFAULT;
    } else {
        ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
    }
    if (!a1) {                          /* futimens(): the descriptor itself */
        struct file *f = proc_fd(p, (int)a0);

        if (!f)
            return -EBADF;
        if (f->kind != FILE_INODE)
            return 0;
        ino = f->ino;
    } else {
        ino = lookup_at(p, a0, a1, !(a3 & AT_SYMLINK_NOFOLLOW), &err);
        if (!ino)
            return err;
    }
    if (readonly(ino))
        return -EROFS;
    /* One time is kept: mtime (atime reads back the same). */
    if (ts[1].tv_nsec == UTIME_NOW)
        ino->mtime = now();
    else if (ts[1].tv_nsec != UTIME_OMIT) {
        if (ts[1].tv_nsec < 0 || ts[1].tv_nsec > 999999999)
            return -EINVAL;
        ino->mtime = (uint64_t)ts[1].tv_sec;
    }
    ino->ctime = now();
    return 0;
}
