/* SPDX-License-Identifier: MIT */
/*
 * vfs.c - the path walk: from a path to an inode, "." and "..", symlinks,
 *         mount points; the mount table; reading whatever an inode is.
 * Owns:    the root inode, the mount table.
 * Touches: ramfs_lookup_child(), ramfs_read(), ramfs_create()
 *          (kernel/ramfs.c); an inode's gen function (procfs).
 *
 * As Linux: a symlink in the middle of a path is always followed, the last
 * component's only when asked (lstat, O_NOFOLLOW do not); a relative link
 * is resolved from the directory that holds it; more than
 * VFS_SYMLINK_DEPTH links in one lookup is -ELOOP; a path longer than
 * VFS_PATH_MAX or a component longer than VFS_NAME_MAX -ENAMETOOLONG.
 *
 * Mounts: a directory with `mounted` set is covered by that root, which the
 * walk enters in its place; the mounted root's parent is the mount point's
 * parent, so ".." leaves the mount as Linux's does.  Each mount numbers its
 * inodes' st_dev (the root filesystem 1, then 2, 3, ...).
 */
#include <kernel.h>
#include <mm.h>
#include <uapi.h>
#include <vfs.h>

static struct inode *root;
static struct vfs_mount mounts[VFS_MAX_MOUNTS];
static unsigned int nmounts;

void vfs_set_root(struct inode *r)
{
    root = r;
    nmounts = 0;
    /* Source "none", type rootfs: busybox's df and mount skip a mount
     * whose source is "rootfs" (Linux's hidden first mount), which would
     * leave the root out of `df`. */
    if (r)
        vfs_mount("/", r, "none", "rootfs", "rw");
}

struct inode *vfs_root(void) { return root; }

static struct inode *walk(struct inode *cwd, const char *path, size_t plen,
                          bool follow, int *depth, int *err);

/* Follow the symlink `link` found in directory dir. */
static struct inode *follow_link(struct inode *dir, const struct inode *link,
                                 int *depth, int *err)
{
    char gen[256];                      /* /proc/self, /proc/PID/exe */
    const char *target = (const char *)link->data;
    size_t len = link->size;

    if (++*depth > VFS_SYMLINK_DEPTH) {
        *err = -ELOOP;
        return NULL;
    }
    if (link->gen) {                    /* /proc/self */
        len = MIN(link->gen(link, gen, sizeof(gen)), sizeof(gen));
        target = gen;
    }
    if (len == 0 || len >= VFS_PATH_MAX || !target) {
        *err = -ENOENT;
        return NULL;
    }
    return walk(dir, target, len, true, depth, err);
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
        if (cur->refresh)
            cur->refresh(cur);
        next = ramfs_lookup_child(cur, name, n);
        if (!next) {
            *err = -ENOENT;
            return NULL;
        }
        /* A trailing slash follows a last symlink too ("link/": Linux's
         * LOOKUP_DIRECTORY), so `ls -l /proc/self/` lists the directory. */
        if (S_ISLNK(next->mode) && (!last || follow || path[plen - 1] == '/')) {
            next = follow_link(cur, next, depth, err);
            if (!next)
                return NULL;
        }
        while (next->mounted)
            next = next->mounted;
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

struct inode *vfs_lookup_parent(struct inode *cwd, const char *path, const char **name,
                                size_t *len, bool *trail, int *err)
{
    size_t plen = strnlen(path, VFS_PATH_MAX), end, start;
    int depth = 0;

    if (plen == VFS_PATH_MAX) {
        *err = -ENAMETOOLONG;
        return NULL;
    }
    if (plen == 0) {
        *err = -ENOENT;
        return NULL;
    }
    end = plen;
    while (end > 0 && path[end - 1] == '/')
        end--;
    *trail = end < plen;
    start = end;
    while (start > 0 && path[start - 1] != '/')
        start--;
    *name = path + start;
    *len = end - start;
    if (*len > VFS_NAME_MAX) {
        *err = -ENAMETOOLONG;
        return NULL;
    }
    if (start == 0)                     /* "name", or "/" (len 0) */
        return end == 0 ? root : (cwd ? cwd : root);
    return walk(cwd, path, start, true, &depth, err);
}

size_t vfs_read(const struct inode *ino, uint64_t off, void *buf, size_t len)
{
    if (S_ISDIR(ino->mode))
        return 0;
    if (ino->gen) {
        /* Generated whole on each read: a page is enough for each file. */
        uint64_t pfn = mm_alloc_pfn();
        char *page = pfn == INVALID_FRAME ? NULL : pfn_to_virt(pfn);
        size_t n;

        if (!page)
            return 0;
        n = MIN(ino->gen(ino, page, 4096), 4096);
        if (off < n) {
            len = MIN(len, n - off);
            memcpy(buf, page + off, len);
        } else {
            len = 0;
        }
        mm_free_pfn(pfn);
        return len;
    }
    return ramfs_read(ino, off, buf, len);
}

long vfs_path_of(const struct inode *ino, char *buf, size_t size)
{
    size_t pos = size, n;

    if (size < 2)
        return -ERANGE;
    buf[--pos] = '\0';
    if (ino->unlinked)
        return -ENOENT;                 /* Linux: getcwd of a removed directory */
    while (ino->parent != ino) {
        n = strlen(ino->name);
        if (n + 1 > pos)
            return -ERANGE;
        pos -= n;
        memcpy(buf + pos, ino->name, n);
        buf[--pos] = '/';
        ino = ino->parent;
    }
    if (pos == size - 1)
        buf[--pos] = '/';
    n = size - pos;
    for (size_t k = 0; k < n; k++)     /* down: no overlap trouble */
        buf[k] = buf[pos + k];
    return (long)n;                     /* with the NUL, as getcwd's answer */
}

static void set_dev(struct inode *ino, uint32_t dev)
{
    struct inode *c;

    ino->dev = dev;
    for (c = ino->children; c; c = c->next)
        set_dev(c, dev);
}

long vfs_mount(const char *path, struct inode *fsroot, const char *source,
               const char *type, const char *opts)
{
    struct vfs_mount *m;
    struct inode *dir = NULL;
    int err = 0;

    if (nmounts == VFS_MAX_MOUNTS)
        return -ENOMEM;
    if (strlen(path) >= sizeof(m->path))
        return -ENAMETOOLONG;
    if (nmounts) {
        const char *name;
        size_t len;
        bool trail;
        struct inode *parent = vfs_lookup_parent(NULL, path, &name, &len, &trail, &err);

        if (!parent)
            return err;
        dir = ramfs_lookup_child(parent, name, len);
        if (!dir)
            dir = ramfs_create(parent, name, len, S_IFDIR | 0755, &err);
        if (!dir)
            return err;
        if (!S_ISDIR(dir->mode))
            return -ENOTDIR;
        if (dir->mounted)
            return -EBUSY;
        dir->mounted = fsroot;
        fsroot->parent = parent;
        memcpy(fsroot->name, dir->name, sizeof(fsroot->name));
    }
    m = &mounts[nmounts++];
    *m = (struct vfs_mount){ .source = source, .type = type, .opts = opts, .root = fsroot };
    memcpy(m->path, path, strlen(path) + 1);
    set_dev(fsroot, nmounts);
    return 0;
}

const struct vfs_mount *vfs_mount_at(unsigned int i)
{
    return i < nmounts ? &mounts[i] : NULL;
}

void vfs_mount_defaults(void)
{
    struct inode *dev = devfs_new(), *proc = procfs_new();
    long rc;

    rc = dev ? vfs_mount("/dev", dev, "devfs", "devtmpfs", "rw") : -ENOMEM;
    if (rc)
        printk("vfs: devfs on /dev: %ld\n", rc);
    rc = proc ? vfs_mount("/proc", proc, "proc", "proc", "ro") : -ENOMEM;
    if (rc)
        printk("vfs: procfs on /proc: %ld\n", rc);
}
