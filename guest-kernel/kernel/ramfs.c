/* SPDX-License-Identifier: MIT */
/*
 * ramfs.c - the RAM filesystem: a tree of inodes in kernel memory.
 * Owns:    inode numbers, the directory tree (parent, children, siblings).
 * Touches: kzalloc()/kfree() only, so the host unit tests run it as it is.
 *
 * A directory's entries are a singly linked list: lookup is linear, which
 * is fine for an initramfs of a few hundred files.  "." and ".." are not
 * stored; vfs.c resolves them.
 */
#include <kernel.h>
#include <uapi.h>
#include <vfs.h>

static uint64_t next_ino = 1;

static struct inode *new_inode(uint32_t mode)
{
    struct inode *i = kzalloc(sizeof(*i));

    if (!i)
        return NULL;
    i->ino = next_ino++;
    i->mode = mode;
    i->nlink = S_ISDIR(mode) ? 2 : 1;
    return i;
}

static bool has_slash(const char *name, size_t len)
{
    size_t k;

    for (k = 0; k < len; k++)
        if (name[k] == '/' || name[k] == '\0')
            return true;
    return false;
}

struct inode *ramfs_new_root(void)
{
    struct inode *root = new_inode(S_IFDIR | 0755);

    if (root)
        root->parent = root;
    return root;
}

struct inode *ramfs_lookup_child(const struct inode *dir, const char *name, size_t len)
{
    struct inode *c;

    if (!S_ISDIR(dir->mode))
        return NULL;
    for (c = dir->children; c; c = c->next)
        if (strlen(c->name) == len && !memcmp(c->name, name, len))
            return c;
    return NULL;
}

struct inode *ramfs_create(struct inode *dir, const char *name, size_t len,
                           uint32_t mode, int *err)
{
    struct inode *i;

    if (!S_ISDIR(dir->mode)) {
        *err = -ENOTDIR;
        return NULL;
    }
    if (len == 0 || (len == 1 && name[0] == '.') ||
        (len == 2 && name[0] == '.' && name[1] == '.') || has_slash(name, len)) {
        *err = -EINVAL;
        return NULL;
    }
    if (len > VFS_NAME_MAX) {
        *err = -ENAMETOOLONG;
        return NULL;
    }
    if (ramfs_lookup_child(dir, name, len)) {
        *err = -EEXIST;
        return NULL;
    }
    i = new_inode(mode);
    if (!i) {
        *err = -ENOMEM;
        return NULL;
    }
    memcpy(i->name, name, len);
    i->name[len] = '\0';
    i->parent = dir;
    i->next = dir->children;
    dir->children = i;
    if (S_ISDIR(mode))
        dir->nlink++;
    return i;
}

unsigned long ramfs_count(const struct inode *dir)
{
    unsigned long n = 1;
    const struct inode *c;

    if (S_ISDIR(dir->mode))
        for (c = dir->children; c; c = c->next)
            n += ramfs_count(c);
    return n;
}
