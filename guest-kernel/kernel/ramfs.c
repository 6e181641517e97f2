/* SPDX-License-Identifier: MIT */
/*
 * ramfs.c - the RAM filesystem: a tree of inodes in kernel memory, and
 *           every change to it.
 * Owns:    inode numbers, the directory tree (parent, children, siblings,
 *          getdents offsets), file data pages and their index, inode
 *          lifetimes (refs, unlinked).
 * Touches: kzalloc()/kfree() and the page allocator (mm_alloc_pfn,
 *          mm_free_pfn, pfn_to_virt, mm_free_pfns) only, so the host unit
 *          tests run it as it is.
 *
 * A directory's entries are a singly linked list in the order they were
 * made: lookup is linear, which is fine for a few hundred files.  Each entry
 * gets the next getdents offset of its directory (pos, from 2: "." and ".."
 * are 0 and 1, not stored; vfs.c resolves them), never reused there, so a
 * reader that resumes at an offset neither repeats nor skips an entry that
 * stayed, whatever was made or removed in between (a renamed entry is a new
 * entry of its new directory).
 *
 * File data lives in pages of the page allocator, found through a two-level
 * index (a page of 512 leaf-index pfns, each leaf a page of 512 data pfns;
 * entries hold pfn + 1, 0 is a hole that reads as zeros): 1 GiB at most
 * (-EFBIG past it).  Every page goes back to the allocator when the file is
 * truncated below it or freed, so making and removing files leaves the free
 * count where it was.  Below RAMFS_RESERVE_PAGES free pages a write gets
 * -ENOSPC: the kernel keeps memory for itself.
 *
 * The name lives in the inode (no separate directory entries), so a file
 * has one name: hard links are -EPERM (sys_fs.c), as Linux answers on a
 * filesystem without them.  An inode removed from the tree while open (or a
 * working directory) stays until its last reference goes (inode_put).
 */
#include <kernel.h>
#include <mm.h>
#include <uapi.h>
#include <vfs.h>

#define IDX_PER_PAGE 512UL
#define PG_SIZE 4096UL

static uint64_t next_ino = 1;
static uint64_t pages_held;

uint64_t ramfs_pages(void) { return pages_held; }

static struct inode *new_inode(uint32_t mode)
{
    struct inode *i = kzalloc(sizeof(*i));

    if (!i)
        return NULL;
    i->ino = next_ino++;
    i->mode = mode;
    i->nlink = S_ISDIR(mode) ? 2 : 1;
    i->dev = 1;
    i->next_pos = 2;
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

static bool is_dot(const char *name, size_t len)
{
    return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* ---- pages ---- */

static void *page_new(int *err)
{
    uint64_t pfn;

    if (mm_free_pfns() < RAMFS_RESERVE_PAGES) {
        *err = -ENOSPC;
        return NULL;
    }
    pfn = mm_alloc_pfn();
    if (pfn == INVALID_FRAME) {
        *err = -ENOSPC;
        return NULL;
    }
    pages_held++;
    return pfn_to_virt(pfn);
}

static void page_free(void *va)
{
    mm_free_pfn(virt_to_pfn(va));
    pages_held--;
}

static void *slot_page(uint64_t e) { return e ? pfn_to_virt(e - 1) : NULL; }

/* The data page for file page pg; with alloc, made (and the index to it). */
static uint8_t *data_page(struct inode *ino, uint64_t pg, bool alloc, int *err)
{
    uint64_t *leaf;
    void *p;

    if (pg >= RAMFS_MAX_FILE_PAGES) {
        *err = -EFBIG;
        return NULL;
    }
    if (!ino->pages) {
        if (!alloc)
            return NULL;
        ino->pages = page_new(err);
        if (!ino->pages)
            return NULL;
    }
    leaf = slot_page(ino->pages[pg / IDX_PER_PAGE]);
    if (!leaf) {
        if (!alloc)
            return NULL;
        leaf = page_new(err);
        if (!leaf)
            return NULL;
        ino->pages[pg / IDX_PER_PAGE] = virt_to_pfn(leaf) + 1;
    }
    p = slot_page(leaf[pg % IDX_PER_PAGE]);
    if (!p && alloc) {
        p = page_new(err);
        if (!p)
            return NULL;
        leaf[pg % IDX_PER_PAGE] = virt_to_pfn(p) + 1;
        ino->npages++;
    }
    return p;
}

/* Free every data page from file page `first` on (and index pages left empty). */
static void free_pages_from(struct inode *ino, uint64_t first)
{
    uint64_t t, l;

    if (!ino->pages)
        return;
    for (t = first / IDX_PER_PAGE; t < IDX_PER_PAGE; t++) {
        uint64_t *leaf = slot_page(ino->pages[t]);
        bool empty = true;

        if (!leaf)
            continue;
        for (l = 0; l < IDX_PER_PAGE; l++) {
            if (!leaf[l])
                continue;
            if (t * IDX_PER_PAGE + l >= first) {
                page_free(slot_page(leaf[l]));
                leaf[l] = 0;
                ino->npages--;
            } else {
                empty = false;
            }
        }
        if (empty) {
            page_free(leaf);
            ino->pages[t] = 0;
        }
    }
    if (first == 0) {
        page_free(ino->pages);
        ino->pages = NULL;
    }
}

/* A file still pointing into the archive gets its own pages first. */
static long make_writable(struct inode *ino)
{
    const uint8_t *src = ino->data;
    uint64_t off;
    int err = 0;

    if (!src || ino->data_owned)
        return 0;
    for (off = 0; off < ino->size; off += PG_SIZE) {
        uint8_t *p = data_page(ino, off / PG_SIZE, true, &err);

        if (!p) {
            free_pages_from(ino, 0);
            return err;
        }
        memcpy(p, src + off, MIN(PG_SIZE, ino->size - off));
    }
    ino->data = NULL;
    return 0;
}

size_t ramfs_read(const struct inode *ino, uint64_t off, void *buf, size_t len)
{
    size_t done = 0;

    if (off >= ino->size)
        return 0;
    len = MIN(len, ino->size - off);
    if (ino->data) {
        memcpy(buf, ino->data + off, len);
        return len;
    }
    while (done < len) {
        uint64_t o = off + done;
        size_t n = MIN(len - done, PG_SIZE - o % PG_SIZE);
        int err;
        const uint8_t *p = data_page((struct inode *)ino, o / PG_SIZE, false, &err);

        if (p)
            memcpy((uint8_t *)buf + done, p + o % PG_SIZE, n);
        else
            memset((uint8_t *)buf + done, 0, n);
        done += n;
    }
    return len;
}

long ramfs_write(struct inode *ino, uint64_t off, const void *buf, size_t len)
{
    size_t done = 0;
    long rc;
    int err = 0;

    if (S_ISDIR(ino->mode))
        return -EISDIR;
    if (!S_ISREG(ino->mode))
        return -EINVAL;
    if (off >= RAMFS_MAX_FILE_PAGES * PG_SIZE)
        return len ? -EFBIG : 0;
    len = MIN(len, RAMFS_MAX_FILE_PAGES * PG_SIZE - off);
    rc = make_writable(ino);
    if (rc)
        return rc;
    while (done < len) {
        uint64_t o = off + done;
        size_t n = MIN(len - done, PG_SIZE - o % PG_SIZE);
        uint8_t *p = data_page(ino, o / PG_SIZE, true, &err);

        if (!p)
            break;
        memcpy(p + o % PG_SIZE, (const uint8_t *)buf + done, n);
        done += n;
    }
    if (off + done > ino->size)
        ino->size = off + done;
    return done ? (long)done : err;
}

long ramfs_truncate(struct inode *ino, uint64_t size)
{
    long rc;

    if (S_ISDIR(ino->mode))
        return -EISDIR;
    if (!S_ISREG(ino->mode))
        return -EINVAL;
    if (size > RAMFS_MAX_FILE_PAGES * PG_SIZE)
        return -EFBIG;
    if (size == ino->size)
        return 0;
    if (ino->data && size == 0) {
        ino->data = NULL;               /* nothing to copy */
    } else {
        rc = make_writable(ino);
        if (rc)
            return rc;
    }
    if (size < ino->size) {
        int err;
        uint8_t *p;

        free_pages_from(ino, (size + PG_SIZE - 1) / PG_SIZE);
        /* Zero the rest of the last page: growing again must read zeros. */
        p = size % PG_SIZE ? data_page(ino, size / PG_SIZE, false, &err) : NULL;
        if (p)
            memset(p + size % PG_SIZE, 0, PG_SIZE - size % PG_SIZE);
    }
    ino->size = size;
    return 0;
}

/* ---- the tree ---- */

static void inode_free(struct inode *ino)
{
    free_pages_from(ino, 0);
    if (ino->data_owned)
        page_free((void *)ino->data);
    kfree(ino);
}

void inode_get(struct inode *ino)
{
    if (ino)
        ino->refs++;
}

void inode_put(struct inode *ino)
{
    if (ino && --ino->refs == 0 && ino->unlinked)
        inode_free(ino);
}

struct inode *ramfs_new_root(void)
{
    struct inode *root = new_inode(S_IFDIR | 0755);

    if (root) {
        root->parent = root;
        root->refs = 1;                 /* a root is never freed */
    }
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

struct inode *ramfs_entry_at(const struct inode *dir, uint64_t pos)
{
    struct inode *c;

    for (c = dir->children; c; c = c->next)
        if (c->pos >= pos)
            return c;
    return NULL;
}

static void link_child(struct inode *dir, struct inode *i)
{
    struct inode **pp = &dir->children;

    while (*pp)
        pp = &(*pp)->next;
    *pp = i;
    i->next = NULL;
    i->parent = dir;
    i->pos = dir->next_pos++;
    if (S_ISDIR(i->mode))
        dir->nlink++;
}

static void unlink_child(struct inode *i)
{
    struct inode *dir = i->parent, **pp = &dir->children;

    while (*pp && *pp != i)
        pp = &(*pp)->next;
    if (*pp)
        *pp = i->next;
    i->next = NULL;
    if (S_ISDIR(i->mode))
        dir->nlink--;
}

static long check_name(const struct inode *dir, const char *name, size_t len)
{
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (len > VFS_NAME_MAX)
        return -ENAMETOOLONG;
    if (len == 0 || is_dot(name, len) || has_slash(name, len))
        return len && is_dot(name, len) ? -EEXIST : -EINVAL;
    return 0;
}

struct inode *ramfs_create(struct inode *dir, const char *name, size_t len,
                           uint32_t mode, int *err)
{
    struct inode *i;
    long rc = check_name(dir, name, len);

    if (rc) {
        *err = (int)rc;
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
    i->dev = dir->dev;
    link_child(dir, i);
    return i;
}

long ramfs_symlink(struct inode *dir, const char *name, size_t len, const char *target)
{
    size_t tlen = strnlen(target, VFS_PATH_MAX);
    struct inode *i;
    uint8_t *page;
    int err = 0;

    if (tlen == 0)
        return -ENOENT;
    if (tlen >= VFS_PATH_MAX)
        return -ENAMETOOLONG;
    page = page_new(&err);
    if (!page)
        return err;
    i = ramfs_create(dir, name, len, S_IFLNK | 0777, &err);
    if (!i) {
        page_free(page);
        return err;
    }
    memcpy(page, target, tlen);
    i->data = page;
    i->data_owned = true;
    i->size = tlen;
    return 0;
}

/* Out of the tree; freed now unless open. */
static void detach(struct inode *i)
{
    unlink_child(i);
    i->nlink = 0;
    i->unlinked = true;
    if (i->refs == 0)
        inode_free(i);
}

long ramfs_unlink(struct inode *dir, const char *name, size_t len)
{
    struct inode *i = ramfs_lookup_child(dir, name, len);

    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (!i)
        return -ENOENT;
    if (S_ISDIR(i->mode))
        return -EISDIR;
    detach(i);
    return 0;
}

long ramfs_rmdir(struct inode *dir, const char *name, size_t len)
{
    struct inode *i;

    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    if (len == 1 && name[0] == '.')
        return -EINVAL;
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return -ENOTEMPTY;
    i = ramfs_lookup_child(dir, name, len);
    if (!i)
        return -ENOENT;
    if (!S_ISDIR(i->mode))
        return -ENOTDIR;
    if (i->mounted)
        return -EBUSY;
    if (i->children)
        return -ENOTEMPTY;
    detach(i);
    return 0;
}

void ramfs_remove_tree(struct inode *ino)
{
    while (ino->children)
        ramfs_remove_tree(ino->children);
    detach(ino);
}

/* Is a the same as d or one of its ancestors? */
static bool is_ancestor(const struct inode *a, const struct inode *d)
{
    for (;;) {
        if (d == a)
            return true;
        if (d->parent == d)
            return false;
        d = d->parent;
    }
}

long ramfs_rename(struct inode *odir, const char *oname, size_t olen,
                  struct inode *ndir, const char *nname, size_t nlen, unsigned int flags)
{
    struct inode *old, *tgt;
    long rc;

    if (flags & ~RENAME_NOREPLACE)
        return -EINVAL;                 /* RENAME_EXCHANGE, WHITEOUT: not here */
    if (!S_ISDIR(odir->mode) || !S_ISDIR(ndir->mode))
        return -ENOTDIR;
    if (olen == 0 || is_dot(oname, olen) || nlen == 0 || is_dot(nname, nlen))
        return -EBUSY;                  /* Linux: "." or ".." as either name */
    old = ramfs_lookup_child(odir, oname, olen);
    if (!old)
        return -ENOENT;
    if (odir->dev != ndir->dev)
        return -EXDEV;
    rc = check_name(ndir, nname, nlen);
    if (rc)
        return rc;
    tgt = ramfs_lookup_child(ndir, nname, nlen);
    if (tgt == old)
        return flags & RENAME_NOREPLACE ? -EEXIST : 0;
    if (tgt && (flags & RENAME_NOREPLACE))
        return -EEXIST;
    if (old->mounted || (tgt && tgt->mounted))
        return -EBUSY;
    if (S_ISDIR(old->mode)) {
        if (is_ancestor(old, ndir))
            return -EINVAL;             /* into itself or below */
        if (tgt && !S_ISDIR(tgt->mode))
            return -ENOTDIR;
        if (tgt && tgt->children)
            return -ENOTEMPTY;
    } else if (tgt && S_ISDIR(tgt->mode)) {
        return -EISDIR;
    }
    if (tgt && is_ancestor(tgt, odir))
        return -ENOTEMPTY;              /* the target holds the source */
    if (tgt)
        detach(tgt);
    unlink_child(old);
    memcpy(old->name, nname, nlen);
    old->name[nlen] = '\0';
    link_child(ndir, old);
    return 0;
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
