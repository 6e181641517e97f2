/* SPDX-License-Identifier: MIT */
/*
 * vfs.h - files as the kernel sees them: inodes, path lookup, the RAM
 *         filesystem behind them today, and the cpio unpacker that fills it.
 * Owns:    struct inode, the lookup and ramfs APIs.
 * Touches: nothing (declarations).  Implemented by
 *            kernel/vfs.c     the root, path walking, symlinks, reading
 *            kernel/ramfs.c   directories, regular files, symlinks in memory
 *            kernel/cpio.c    the initramfs (cpio "newc") into ramfs
 *
 * Today every inode is a ramfs inode.  When devfs or procfs come, struct
 * inode grows an operations pointer (lookup, read, write) that vfs.c calls
 * instead of ramfs_* directly; the path walk and the callers stay as they are.
 */
#ifndef VFS_H
#define VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFS_NAME_MAX 255
#define VFS_PATH_MAX 4096
#define VFS_SYMLINK_DEPTH 8     /* links followed in one lookup (ELOOP) */

struct inode {
    uint64_t ino;
    uint32_t mode;              /* S_IFDIR/S_IFREG/S_IFLNK | permissions */
    uint32_t uid, gid, nlink;
    uint64_t mtime;             /* seconds since 1970 */
    /* Regular file and symlink contents.  Data from the initramfs points
     * into the archive itself, which stays in memory (read-only). */
    const uint8_t *data;
    uint64_t size;
    /* Directory tree: the parent, the first child, the next sibling. */
    struct inode *parent, *children, *next;
    char name[VFS_NAME_MAX + 1];
};

/* kernel/ramfs.c */
struct inode *ramfs_new_root(void);
/* A new entry `name` in directory dir; NULL with *err (-EEXIST, -ENOTDIR,
 * -ENOMEM, -ENAMETOOLONG, -EINVAL) if it cannot be made. */
struct inode *ramfs_create(struct inode *dir, const char *name, size_t len,
                           uint32_t mode, int *err);
struct inode *ramfs_lookup_child(const struct inode *dir, const char *name, size_t len);
unsigned long ramfs_count(const struct inode *dir);   /* inodes under dir, dir included */

/* kernel/vfs.c */
void vfs_set_root(struct inode *root);
struct inode *vfs_root(void);
/* Resolve path (absolute, or relative to cwd; NULL cwd = the root).
 * follow: follow a symlink in the last component.  NULL and *err =
 * -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG when it cannot. */
struct inode *vfs_lookup_at(struct inode *cwd, const char *path, bool follow, int *err);
struct inode *vfs_lookup(const char *path, int *err);
/* Copy up to len bytes at off of a regular file or symlink; bytes copied. */
size_t vfs_read(const struct inode *ino, uint64_t off, void *buf, size_t len);

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
