/* SPDX-License-Identifier: MIT */
/*
 * vfs.h - files as the kernel sees them: inodes, path lookup, mounts, the
 *         RAM filesystem, devfs and procfs behind them, and the cpio
 *         unpacker that fills the root.
 * Owns:    struct inode, the lookup, mount, ramfs, devfs and procfs APIs.
 * Touches: nothing (declarations).  Implemented by
 *            kernel/vfs.c     the root, the mount table, path walking,
 *                             symlinks, reading and writing through ops
 *            kernel/ramfs.c   directories, regular files (data in pages of
 *                             the page allocator), symlinks; every change
 *                             (create, unlink, rename, truncate, write)
 *            kernel/devfs.c   /dev: character devices (null, zero, full,
 *                             random, urandom, console, tty), the RNG
 *            kernel/procfs.c  /proc: files generated on read
 *            kernel/cpio.c    the initramfs (cpio "newc") into ramfs
 *
 * Every filesystem is a tree of these inodes (the name lives in the inode:
 * no hard links, see ramfs.c).  A character device is an inode with
 * S_IFCHR and rdev; its reads and writes go to devfs.c.  A procfs file has
 * a `gen` function that writes its text when it is read.
 */
#ifndef VFS_H
#define VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096
#define VFS_SYMLINK_DEPTH 40    /* links followed in one lookup (ELOOP): Linux's MAXSYMLINKS */
#define RAMFS_MAX_FILE_PAGES (512UL * 512)  /* two levels of page indexes: 1 GiB */
#define RAMFS_RESERVE_PAGES 256 /* left to the kernel: below this, -ENOSPC */

struct inode;
/* What procfs generates: the text of ino into buf (at most size bytes);
 * the length it would have. */
typedef size_t vfs_gen_fn(const struct inode *ino, char *buf, size_t size);
/* A directory whose entries follow something else (/proc's pids): brought
 * up to date before each lookup in it and each getdents of it. */
typedef void vfs_refresh_fn(struct inode *dir);

struct inode {
    uint64_t ino;
    uint32_t mode;              /* S_IFDIR/S_IFREG/S_IFLNK/S_IFCHR | permissions */
    uint32_t uid, gid, nlink;
    uint32_t rdev;              /* a device's major << 8 | minor */
    uint32_t dev;               /* which filesystem: its mount's number */
    uint64_t mtime, ctime;      /* seconds since 1970 */
    /* Contents.  Data from the initramfs points into the archive itself,
     * which stays in memory (read-only); a file written to is copied into
     * pages first.  A symlink made at run time owns one page (data). */
    const uint8_t *data;
    uint64_t size;
    uint64_t *pages;            /* page index, two levels (ramfs.c); NULL: none */
    uint64_t npages;            /* data pages held (st_blocks) */
    bool data_owned;            /* data is a page of ours (symlinks) */
    vfs_gen_fn *gen;            /* procfs: generated on read */
    vfs_refresh_fn *refresh;    /* procfs: its root */
    long priv;                  /* procfs: the pid a /proc/PID entry is about */
    /* Directory tree: the parent, the first child, the next sibling, in
     * the order made; pos is the entry's getdents offset in its parent,
     * never reused there (next_pos), so offsets stay valid across changes. */
    struct inode *parent, *children, *next;
    uint64_t pos, next_pos;
    struct inode *mounted;      /* a mount point: the root mounted on it */
    /* Open files and working directories on it; an inode out of the tree
     * (unlinked) is freed when the last goes. */
    unsigned int refs;
    bool unlinked;
    char name[VFS_NAME_MAX + 1];
};

/* kernel/ramfs.c: every call returns 0 or -errno as Linux's. */
struct inode *ramfs_new_root(void);
/* A new entry `name` in directory dir; NULL with *err (-EEXIST, -ENOTDIR,
 * -ENOMEM, -ENAMETOOLONG, -EINVAL) if it cannot be made. */
struct inode *ramfs_create(struct inode *dir, const char *name, size_t len,
                           uint32_t mode, int *err);
struct inode *ramfs_lookup_child(const struct inode *dir, const char *name, size_t len);
unsigned long ramfs_count(const struct inode *dir);   /* inodes under dir, dir included */
long ramfs_symlink(struct inode *dir, const char *name, size_t len, const char *target);
long ramfs_unlink(struct inode *dir, const char *name, size_t len);  /* not a directory */
long ramfs_rmdir(struct inode *dir, const char *name, size_t len);
void ramfs_remove_tree(struct inode *ino);  /* ino and all below, out of the tree */
long ramfs_rename(struct inode *odir, const char *oname, size_t olen,
                  struct inode *ndir, const char *nname, size_t nlen, unsigned int flags);
long ramfs_truncate(struct inode *ino, uint64_t size);
/* Write len bytes at off (a regular file): bytes written, or -errno. */
long ramfs_write(struct inode *ino, uint64_t off, const void *buf, size_t len);
size_t ramfs_read(const struct inode *ino, uint64_t off, void *buf, size_t len);
/* The first entry at getdents offset >= pos (0 "." and 1 ".." are the
 * caller's), or NULL. */
struct inode *ramfs_entry_at(const struct inode *dir, uint64_t pos);
void inode_get(struct inode *ino);
void inode_put(struct inode *ino);
uint64_t ramfs_pages(void);     /* data and index pages held by every file */

/* kernel/vfs.c */
void vfs_set_root(struct inode *root);
struct inode *vfs_root(void);
/* Resolve path (absolute, or relative to cwd; NULL cwd = the root).
 * follow: follow a symlink in the last component.  NULL and *err =
 * -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG when it cannot. */
struct inode *vfs_lookup_at(struct inode *cwd, const char *path, bool follow, int *err);
struct inode *vfs_lookup(const char *path, int *err);
/* The directory that holds the last component of path, and that
 * component (name, len; "" for "/").  A trailing slash is kept in *trail. */
struct inode *vfs_lookup_parent(struct inode *cwd, const char *path, const char **name,
                                size_t *len, bool *trail, int *err);
/* Copy up to len bytes at off of a regular file, symlink or procfs file. */
size_t vfs_read(const struct inode *ino, uint64_t off, void *buf, size_t len);
/* The path of ino from the root into buf (getcwd); its length or -errno. */
long vfs_path_of(const struct inode *ino, char *buf, size_t size);

/* Mounts: a filesystem's root on a directory.  The table is small and
 * read by /proc/mounts. */
#define VFS_MAX_MOUNTS 8
struct vfs_mount {
    const char *source, *type, *opts;
    char path[64];
    struct inode *root;
};
long vfs_mount(const char *path, struct inode *root, const char *source,
               const char *type, const char *opts);
const struct vfs_mount *vfs_mount_at(unsigned int i);     /* NULL past the last */
/* The root at boot: "/" from the initramfs, then devfs on /dev and procfs
 * on /proc (made if the archive lacks them). */
void vfs_mount_defaults(void);

/* kernel/devfs.c */
struct inode *devfs_new(void);
/* A driver's device at /dev/PATH (PATH may have one directory: "xen/evtchn");
 * before devfs_new().  Its open files get ops (proc.h): devfs_open() gives
 * them (0, or the driver's open's -errno; a device without a driver: 0). */
struct file;
struct file_ops;
void devfs_register(const char *path, uint32_t rdev, uint32_t mode, const struct file_ops *ops);
long devfs_open(const struct inode *ino, struct file *f);
bool devfs_is_console(const struct inode *ino);
/* Read/write a character device: bytes, or -errno.  to_user copies out. */
long devfs_read(const struct inode *ino, void *buf, size_t len);
long devfs_write(const struct inode *ino, const void *buf, size_t len);
void random_bytes(void *buf, size_t len);                 /* the kernel RNG */
/* RFC 8439's block function (state words 12..15: counter low, counter
 * high, nonce, 0); public for the unit test's known-answer check. */
void chacha20_block(const uint32_t key[8], uint64_t counter, uint32_t nonce, uint32_t out[16]);

/* kernel/procfs.c */
struct inode *procfs_new(void);
/* What sysinfo() and /proc share. */
struct vfs_meminfo { uint64_t total_kib, free_kib, cached_kib; };
void procfs_meminfo(struct vfs_meminfo *m);

/* kernel/cpio.c: unpack a cpio "newc" (070701) archive into root.  Returns
 * the number of entries made, or -1 with *why saying what was wrong (and
 * where); the entries before the bad one stay.  The archive must stay in
 * memory: regular files point into it. */
long cpio_unpack(const void *archive, size_t len, struct inode *root, const char **why);

/* The heap ramfs and processes allocate from (kernel/kmalloc.c; malloc in
 * the host unit tests).  kzalloc'd memory is zeroed. */
void *kzalloc(size_t size);
void kfree(void *p);

#endif /* VFS_H */
