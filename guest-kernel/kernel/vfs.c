/* SPDX-License-Identifier: MIT */
/*
 * vfs.c - the path walk: from a path to an inode, "." and "..", symlinks,
 *         mount points; the mount table; reading whatever an inode is.
 * Owns:    the root inode, the mount table.
 * Touches: ramfs_lookup_child(), ramfs_read(), ramfs_create()
 *          (kernel/ramfs.c); an inode's gen function (procfs).
 *
 * As Linux: a symlink in the middle of a path is always followed, the last
 * component's only when asked (lstat, O_NOFOLLOW do not) or when a
 * trailing slash follows it ("link/" is the directory); a relative link
 * is resolved from the directory that holds it; more than
 * VFS_SYMLINK_DEPTH (40, Linux's MAXSYMLINKS) links in one lookup is
 * -ELOOP; a path of VFS_PATH_MAX bytes or more, or a component longer
 * than VFS_NAME_MAX, -ENAMETOOLONG.
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

/*
 * Replace the path being walked by a symlink's target followed by what is
 * left of the path (rest, rlen; empty for a link in the last component),
 * in the page *buf (taken on the first link).  The walk then goes on from
 * the link's directory: the same inodes as walking the target and then
 * the rest, as Linux's nested walk does, with no recursion, so neither a
 * chain nor a nest of links costs kernel stack.  Counts the link against
 * VFS_SYMLINK_DEPTH.  0, or -ELOOP, -ENOENT (an empty target), -ENOMEM,
 * -ENAMETOOLONG (target and rest past VFS_PATH_MAX together: Linux has
 * no such limit, as it keeps the two apart).
 */
static int splice_link(const struct inode *link, const char *rest, size_t rlen,
                       char **buf, const char **path, size_t *plen, int *depth)
{
    char gen[256];                      /* /proc/self, /proc/PID/exe */
    const char *target = (const char *)link->data;
    size_t tlen = link->size;

    if (++*depth > VFS_SYMLINK_DEPTH)
        return -ELOOP;
    if (link->gen) {                    /* /proc/self */
        tlen = MIN(link->gen(link, gen, sizeof(gen)), sizeof(gen));
        target = gen;
    }
    if (tlen == 0 || !target)
        return -ENOENT;
    if (tlen + 1 + rlen >= VFS_PATH_MAX)
        return -ENAMETOOLONG;
    if (!*buf) {
        uint64_t pfn = mm_alloc_pfn();

        if (pfn == INVALID_FRAME)
            return -ENOMEM;
        *buf = pfn_to_virt(pfn);
    }
    /* rest may lie in *buf already, on either side of where it goes (no
     * memmove in the kernel); the target never does */
    if (*buf + tlen + 1 > rest)
        for (size_t k = rlen; k-- > 0;)
            (*buf)[tlen + 1 + k] = rest[k];
    else
        for (size_t k = 0; k < rlen; k++)
            (*buf)[tlen + 1 + k] = rest[k];
    memcpy(*buf, target, tlen);
    (*buf)[tlen] = '/';
    *path = *buf;
    *plen = tlen + (rlen ? 1 + rlen : 0);
    return 0;
}

/* One component name[0..n) of the walk, in directory cur: its inode,
 * "." and ".." included, mounts crossed; NULL with *err. */
static struct inode *step(struct inode *cur, const char *name, size_t n, int *err)
{
    struct inode *next;

    /* a non-directory first (Linux: -ENOTDIR before the name is looked at) */
    if (!S_ISDIR(cur->mode)) {
        *err = -ENOTDIR;
        return NULL;
    }
    if (n > VFS_NAME_MAX) {
        *err = -ENAMETOOLONG;
        return NULL;
    }
    if (n == 1 && name[0] == '.')
        return cur;
    if (n == 2 && name[0] == '.' && name[1] == '.')
        return cur->parent;
    if (cur->refresh)
        cur->refresh(cur);
    next = ramfs_lookup_child(cur, name, n);
    if (!next)
        *err = -ENOENT;
    return next;
}

static struct inode *walk(struct inode *cwd, const char *path, size_t plen,
                          bool follow, int *err)
{
    struct inode *cur = NULL;
    bool want_dir = false;
    char *buf = NULL;
    int depth = 0;
    size_t i, n;

restart:
    cur = (plen && path[0] == '/') || !cwd ? root : cwd;
    if (!cur || plen == 0) {
        *err = -ENOENT;
        cur = NULL;
        goto out;
    }
    /* "dir/" names a directory only, and follows a last symlink (Linux) */
    if (path[plen - 1] == '/')
        want_dir = true;
    i = 0;
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
        while (i < plen && path[i] == '/')
            i++;
        last = i == plen;
        next = step(cur, name, n, err);
        if (!next) {
            cur = NULL;
            goto out;
        }
        if (S_ISLNK(next->mode) && (!last || follow || want_dir)) {
            *err = splice_link(next, path + i, plen - i, &buf, &path, &plen, &depth);
            if (*err) {
                cur = NULL;
                goto out;
            }
            cwd = cur;                  /* relative to the link's directory */
            follow = follow || want_dir;
            goto restart;
        }
        while (next->mounted)
            next = next->mounted;
        cur = next;
    }
    if (want_dir && !S_ISDIR(cur->mode)) {
        *err = -ENOTDIR;
        cur = NULL;
    }
out:
    if (buf)
        mm_free_pfn(virt_to_pfn(buf));
    return cur;
}

struct inode *vfs_lookup_at(struct inode *cwd, const char *path, bool follow, int *err)
{
    size_t len = strnlen(path, VFS_PATH_MAX);

    if (len == VFS_PATH_MAX) {
        *err = -ENAMETOOLONG;
        return NULL;
    }
    return walk(cwd, path, len, follow, err);
}

struct inode *vfs_lookup(const char *path, int *err)
{
    return vfs_lookup_at(NULL, path, true, err);
}

struct inode *vfs_lookup_parent(struct inode *cwd, const char *path, const char **name,
                                size_t *len, bool *trail, int *err)
{
    size_t plen = strnlen(path, VFS_PATH_MAX), end, start;

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
    return walk(cwd, path, start, true, err);
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
