/* SPDX-License-Identifier: MIT */
/*
 * vfs.c - the path walk: from a path to an inode, "." and "..", symlinks.
 * Owns:    the root inode.
 * Touches: ramfs_lookup_child() (kernel/ramfs.c) for each component.
 *
 * As Linux: a symlink in the middle of a path is always followed, the last
 * component's only when asked (lstat, O_NOFOLLOW do not); a relative link
 * is resolved from the directory that holds it; more than
 * VFS_SYMLINK_DEPTH links in one lookup is -ELOOP; a path longer than
 * VFS_PATH_MAX or a component longer than VFS_NAME_MAX -ENAMETOOLONG.
 */
#include <kernel.h>
#include <uapi.h>
#include <vfs.h>

static struct inode *root;

void vfs_set_root(struct inode *r) { root = r; }
struct inode *vfs_root(void) { return root; }

static struct inode *walk(struct inode *cwd, const char *path, size_t plen,
                          bool follow, int *depth, int *err);

/* Follow the symlink `link` found in directory dir. */
static struct inode *follow_link(struct inode *dir, const struct inode *link,
                                 int *depth, int *err)
{
    if (++*depth > VFS_SYMLINK_DEPTH) {
        *err = -ELOOP;
        return NULL;
    }
    if (link->size == 0 || link->size >= VFS_PATH_MAX) {
        *err = -ENOENT;
        return NULL;
    }
    return walk(dir, (const char *)link->data, link->size, true, depth, err);
}

static struct inode *walk(struct inode *cwd, const char *path, size_t plen,
                          bool follow, int *depth, int *err)
{
    struct inode *cur = (plen && path[0] == '/') || !cwd ? root : cwd;
    size_t i = 0, n;

    if (!cur) {
        *err = -ENOENT;
        return NULL;
    }
    if (plen == 0) {
        *err = -ENOENT;
        return NULL;
    }
    while (i < plen) {
        struct inode *next;
        const char *name;
        bool last;

        while (i < plen && path[i] == '/')
            i++;
        if (i == plen)
            break;
        name = path + i;
        for (n = 0; i < plen && path[i] != '/'; i++)
            n++;
        if (n > VFS_NAME_MAX) {
            *err = -ENAMETOOLONG;
            return NULL;
        }
        if (!S_ISDIR(cur->mode)) {
            *err = -ENOTDIR;
            return NULL;
        }
        while (i < plen && path[i] == '/')
            i++;
        last = i == plen;
        if (n == 1 && name[0] == '.')
            continue;
        if (n == 2 && name[0] == '.' && name[1] == '.') {
            cur = cur->parent;
            continue;
        }
        next = ramfs_lookup_child(cur, name, n);
        if (!next) {
            *err = -ENOENT;
            return NULL;
        }
        if (S_ISLNK(next->mode) && (!last || follow)) {
            next = follow_link(cur, next, depth, err);
            if (!next)
                return NULL;
        }
        cur = next;
    }
    /* "dir/" names a directory only */
    if (path[plen - 1] == '/' && !S_ISDIR(cur->mode)) {
        *err = -ENOTDIR;
        return NULL;
    }
    return cur;
}

struct inode *vfs_lookup_at(struct inode *cwd, const char *path, bool follow, int *err)
{
    size_t len = strnlen(path, VFS_PATH_MAX);
    int depth = 0;

    if (len == VFS_PATH_MAX) {
        *err = -ENAMETOOLONG;
        return NULL;
    }
    return walk(cwd, path, len, follow, &depth, err);
}

struct inode *vfs_lookup(const char *path, int *err)
{
    return vfs_lookup_at(NULL, path, true, err);
}

size_t vfs_read(const struct inode *ino, uint64_t off, void *buf, size_t len)
{
    if (S_ISDIR(ino->mode) || off >= ino->size)
        return 0;
    len = MIN(len, ino->size - off);
    memcpy(buf, ino->data + off, len);
    return len;
}
