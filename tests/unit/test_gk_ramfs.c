/* SPDX-License-Identifier: MIT */
/*
 * test_gk_ramfs.c - pvkernel's writable RAM filesystem on the host: every
 *                   change ramfs makes (create, write, truncate, unlink,
 *                   rmdir, rename, symlink), their Linux errors, getdents
 *                   offsets across changes, page accounting, mounts and the
 *                   path helpers of vfs.c.
 * Owns:    the trees built here.
 * Touches: guest-kernel/kernel/{ramfs,vfs}.c (compiled as they are; the
 *          page allocator is gk_host.h's pool, so the free count is exact).
 *
 * The errors are Linux's for the same call on tmpfs (rename(2), rmdir(2),
 * unlink(2)); guest-kernel/user/fstest.c checks the same through the
 * system calls on pvisor and Xen.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <uapi.h>
#include <vfs.h>

#include "gk_host.h"

static struct inode *mk(struct inode *dir, const char *name, uint32_t mode)
{
    int err = 0;
    struct inode *i = ramfs_create(dir, name, strlen(name), mode, &err);

    ck_assert_msg(i, "create %s: %d", name, err);
    return i;
}

static struct inode *child(struct inode *dir, const char *name)
{
    return ramfs_lookup_child(dir, name, strlen(name));
}

static long ren(struct inode *od, const char *o, struct inode *nd, const char *n, unsigned f)
{
    return ramfs_rename(od, o, strlen(o), nd, n, strlen(n), f);
}

START_TEST(write_read_truncate_accounting)
{
    uint64_t free0 = mm_free_pfns();
    struct inode *root = ramfs_new_root(), *f;
    static uint8_t buf[3 * 4096 + 100], back[sizeof(buf)];
    size_t k;

    for (k = 0; k < sizeof(buf); k++)
        buf[k] = (uint8_t)(k * 7 + 1);
    f = mk(root, "f", S_IFREG | 0644);
    ck_assert_int_eq(ramfs_write(f, 0, buf, sizeof(buf)), sizeof(buf));
    ck_assert_uint_eq(f->size, sizeof(buf));
    ck_assert_uint_eq(f->npages, 4);
    ck_assert_uint_eq(ramfs_read(f, 0, back, sizeof(back)), sizeof(buf));
    ck_assert_mem_eq(back, buf, sizeof(buf));
    /* a write far out leaves a hole that reads as zeros */
    ck_assert_int_eq(ramfs_write(f, 10 * 4096 + 5, "end", 3), 3);
    ck_assert_uint_eq(f->size, 10 * 4096 + 8);
    ck_assert_uint_eq(f->npages, 5);
    ck_assert_uint_eq(ramfs_read(f, 6 * 4096, back, 16), 16);
    for (k = 0; k < 16; k++)
        ck_assert_uint_eq(back[k], 0);
    /* shrinking frees pages and zeroes the tail: growing back reads zeros */
    ck_assert_int_eq(ramfs_truncate(f, 10), 0);
    ck_assert_uint_eq(f->npages, 1);
    ck_assert_int_eq(ramfs_truncate(f, 4096), 0);
    ck_assert_uint_eq(ramfs_read(f, 0, back, 4096), 4096);
    ck_assert_mem_eq(back, buf, 10);
    for (k = 10; k < 4096; k++)
        ck_assert_uint_eq(back[k], 0);
    ck_assert_uint_eq(ramfs_read(f, 4096, back, 10), 0);   /* at the end */
    ck_assert_uint_gt(ramfs_pages(), 0);
    ck_assert_int_eq(ramfs_truncate(f, 0), 0);
    ck_assert_uint_eq(f->npages, 0);
    ck_assert_ptr_null(f->pages);
    ck_assert_int_eq(ramfs_write(f, 0, buf, 5000), 5000);
    ck_assert_int_eq(ramfs_unlink(root, "f", 1), 0);
    ck_assert_uint_eq(mm_free_pfns(), free0);
    ck_assert_uint_eq(ramfs_pages(), 0);
}
END_TEST

START_TEST(limits)
{
    uint64_t free0 = mm_free_pfns();
    struct inode *root = ramfs_new_root(), *f, *d;
    static uint8_t big[64 * 4096];
    long rc;

    f = mk(root, "f", S_IFREG | 0644);
    d = mk(root, "d", S_IFDIR | 0755);
    /* past 1 GiB: -EFBIG; at the last byte: fine */
    ck_assert_int_eq(ramfs_write(f, RAMFS_MAX_FILE_PAGES * 4096, "x", 1), -EFBIG);
    ck_assert_int_eq(ramfs_write(f, RAMFS_MAX_FILE_PAGES * 4096 - 1, "x", 2), 1);
    ck_assert_int_eq(ramfs_truncate(f, RAMFS_MAX_FILE_PAGES * 4096 + 1), -EFBIG);
    ck_assert_int_eq(ramfs_truncate(f, 0), 0);
    ck_assert_int_eq(ramfs_write(d, 0, "x", 1), -EISDIR);
    ck_assert_int_eq(ramfs_truncate(d, 0), -EISDIR);
    /* memory runs out: a short write, then -ENOSPC; the reserve stays */
    gk_pool_limit(GK_POOL_PAGES - free0 + RAMFS_RESERVE_PAGES + 20);
    rc = ramfs_write(f, 0, big, sizeof(big));
    ck_assert_int_gt(rc, 0);
    ck_assert_int_lt(rc, (long)sizeof(big));
    ck_assert_int_eq(ramfs_write(f, (uint64_t)rc, big, 4096), -ENOSPC);
    ck_assert_uint_ge(mm_free_pfns(), RAMFS_RESERVE_PAGES - 1);
    ck_assert_int_eq(ramfs_symlink(root, "l", 1, "f"), -ENOSPC);
    gk_pool_limit(GK_POOL_PAGES);
    ck_assert_int_eq(ramfs_unlink(root, "f", 1), 0);
    ck_assert_uint_eq(mm_free_pfns(), free0);
}
END_TEST

START_TEST(unlink_rmdir_errors)
{
    struct inode *root = ramfs_new_root(), *d, *f, *sub;
    int err;

    d = mk(root, "d", S_IFDIR | 0755);
    f = mk(root, "f", S_IFREG | 0644);
    sub = mk(d, "sub", S_IFDIR | 0755);
    ck_assert_uint_eq(root->nlink, 3);  /* ".", "..": 2, and d's ".." */
    ck_assert_uint_eq(d->nlink, 3);
    ck_assert_int_eq(ramfs_unlink(root, "nope", 4), -ENOENT);
    ck_assert_int_eq(ramfs_unlink(root, "d", 1), -EISDIR);
    ck_assert_int_eq(ramfs_unlink(f, "x", 1), -ENOTDIR);
    ck_assert_int_eq(ramfs_rmdir(root, "f", 1), -ENOTDIR);
    ck_assert_int_eq(ramfs_rmdir(root, "d", 1), -ENOTEMPTY);
    ck_assert_int_eq(ramfs_rmdir(root, "nope", 4), -ENOENT);
    ck_assert_int_eq(ramfs_rmdir(d, ".", 1), -EINVAL);
    ck_assert_int_eq(ramfs_rmdir(d, "..", 2), -ENOTEMPTY);
    ck_assert_ptr_null(ramfs_create(root, "f", 1, S_IFDIR | 0755, &err));
    ck_assert_int_eq(err, -EEXIST);
    ck_assert_ptr_null(ramfs_create(f, "x", 1, S_IFREG | 0644, &err));
    ck_assert_int_eq(err, -ENOTDIR);
    ck_assert_ptr_null(ramfs_create(root, "", 0, S_IFREG | 0644, &err));
    ck_assert_int_eq(err, -EINVAL);
    sub->mounted = ramfs_new_root();    /* a mount point */
    ck_assert_int_eq(ramfs_rmdir(d, "sub", 3), -EBUSY);
    ck_assert_int_eq(ren(d, "sub", root, "sub", 0), -EBUSY);
    sub->mounted = NULL;
    ck_assert_int_eq(ramfs_rmdir(d, "sub", 3), 0);
    ck_assert_uint_eq(d->nlink, 2);
    ck_assert_int_eq(ramfs_rmdir(root, "d", 1), 0);
    ck_assert_int_eq(ramfs_unlink(root, "f", 1), 0);
    ck_assert_uint_eq(ramfs_count(root), 1);
    ck_assert_uint_eq(root->nlink, 2);
}
END_TEST

START_TEST(rename_corners)
{
    struct inode *root = ramfs_new_root(), *a, *b, *f, *g, *e, *full, *other;

    a = mk(root, "a", S_IFDIR | 0755);
    b = mk(a, "b", S_IFDIR | 0755);
    f = mk(root, "f", S_IFREG | 0644);
    g = mk(root, "g", S_IFREG | 0644);
    e = mk(root, "e", S_IFDIR | 0755);
    full = mk(root, "full", S_IFDIR | 0755);
    mk(full, "x", S_IFREG | 0644);
    (void)g;
    (void)e;
    ck_assert_int_eq(ren(root, "nope", root, "x", 0), -ENOENT);
    ck_assert_int_eq(ren(root, "a", a, "in", 0), -EINVAL);      /* into itself */
    ck_assert_int_eq(ren(root, "a", b, "in", 0), -EINVAL);      /* below itself */
    ck_assert_int_eq(ren(root, "a", root, "f", 0), -ENOTDIR);   /* dir onto a file */
    ck_assert_int_eq(ren(root, "f", root, "a", 0), -EISDIR);    /* file onto a dir */
    ck_assert_int_eq(ren(root, "a", root, "full", 0), -ENOTEMPTY);
    ck_assert_int_eq(ren(root, "f", root, "g", RENAME_NOREPLACE), -EEXIST);
    ck_assert_int_eq(ren(root, "f", root, "g", 2 /* RENAME_EXCHANGE */), -EINVAL);
    ck_assert_int_eq(ren(root, ".", root, "z", 0), -EBUSY);
    ck_assert_int_eq(ren(root, "f", root, "..", 0), -EBUSY);
    ck_assert_int_eq(ren(root, "f", f, "z", 0), -ENOTDIR);
    ck_assert_int_eq(ren(root, "f", root, "f", 0), 0);          /* itself: nothing */
    ck_assert_ptr_eq(child(root, "f"), f);
    other = ramfs_new_root();
    other->dev = 2;
    ck_assert_int_eq(ren(root, "f", other, "f", 0), -EXDEV);   /* only across mounts */
    /* a file replaces a file: the old target goes */
    ck_assert_int_eq(ren(root, "f", root, "g", 0), 0);
    ck_assert_ptr_eq(child(root, "g"), f);
    ck_assert_ptr_null(child(root, "f"));
    /* a directory replaces an empty directory, link counts follow */
    ck_assert_uint_eq(root->nlink, 5);  /* 2 + a, e, full */
    ck_assert_int_eq(ren(root, "a", root, "e", 0), 0);
    ck_assert_ptr_eq(child(root, "e"), a);
    ck_assert_uint_eq(root->nlink, 4);
    /* a directory moves into another: parent and counts follow */
    ck_assert_int_eq(ren(root, "e", full, "moved", 0), 0);
    ck_assert_ptr_eq(a->parent, full);
    ck_assert_uint_eq(full->nlink, 3);
    ck_assert_uint_eq(root->nlink, 3);
    ck_assert_ptr_eq(child(a, "b"), b);
    /* a target that holds the source (rename("full/x", "full")): ENOTEMPTY
     * as Linux, since full is not empty */
    ck_assert_int_eq(ren(full, "x", root, "full", 0), -EISDIR);
    ck_assert_int_eq(ren(a, "b", root, "full", 0), -ENOTEMPTY);
}
END_TEST

START_TEST(getdents_offsets)
{
    struct inode *root = ramfs_new_root(), *e;
    char name[8];
    uint64_t pos, seen[32] = { 0 };
    int k, n = 0;

    for (k = 0; k < 10; k++) {
        snprintf(name, sizeof(name), "f%d", k);
        mk(root, name, S_IFREG | 0644);
    }
    /* read 4 entries, then change the directory, then resume */
    pos = 2;
    for (k = 0; k < 4; k++) {
        e = ramfs_entry_at(root, pos);
        ck_assert_ptr_nonnull(e);
        seen[n++] = e->ino;
        pos = e->pos + 1;
    }
    ck_assert_int_eq(ramfs_unlink(root, "f1", 2), 0);  /* already seen */
    ck_assert_int_eq(ramfs_unlink(root, "f6", 2), 0);  /* not yet seen */
    mk(root, "new", S_IFREG | 0644);
    ck_assert_int_eq(ren(root, "f2", root, "f2b", 0), 0); /* seen, renamed: a new entry */
    while ((e = ramfs_entry_at(root, pos))) {
        for (k = 0; k < n; k++)
            ck_assert_msg(seen[k] != e->ino || !strcmp(e->name, "f2b"),
                          "%s returned twice", e->name);
        ck_assert_str_ne(e->name, "f6");
        seen[n++] = e->ino;
        pos = e->pos + 1;
    }
    /* f0..f3 before; f4 f5 f7 f8 f9 new f2b after */
    ck_assert_int_eq(n, 4 + 7);
    ck_assert_str_eq(child(root, "new")->name, "new");
    /* offsets are never reused */
    ck_assert_ptr_null(ramfs_entry_at(root, pos));
    mk(root, "later", S_IFREG | 0644);
    e = ramfs_entry_at(root, pos);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->name, "later");
}
END_TEST

START_TEST(open_unlinked_and_symlinks)
{
    uint64_t free0 = mm_free_pfns();
    struct inode *root = ramfs_new_root(), *f, *l;
    char buf[16];
    int err;

    vfs_set_root(root);
    f = mk(root, "f", S_IFREG | 0644);
    ck_assert_int_eq(ramfs_write(f, 0, "hello", 5), 5);
    inode_get(f);                       /* an open file */
    ck_assert_int_eq(ramfs_unlink(root, "f", 1), 0);
    ck_assert_ptr_null(child(root, "f"));
    ck_assert_uint_eq(ramfs_read(f, 0, buf, sizeof(buf)), 5);
    ck_assert_int_eq(ramfs_write(f, 5, "!", 1), 1);
    ck_assert_uint_lt(mm_free_pfns(), free0);
    inode_put(f);                       /* the last close frees it */
    ck_assert_uint_eq(mm_free_pfns(), free0);

    mk(root, "dir", S_IFDIR | 0755);
    ck_assert_int_eq(ramfs_symlink(root, "l", 1, "dir"), 0);
    ck_assert_int_eq(ramfs_symlink(root, "l", 1, "dir"), -EEXIST);
    ck_assert_int_eq(ramfs_symlink(root, "e", 1, ""), -ENOENT);
    l = child(root, "l");
    ck_assert_uint_eq(l->mode & S_IFMT, S_IFLNK);
    ck_assert_uint_eq(vfs_read(l, 0, buf, sizeof(buf)), 3);
    ck_assert_mem_eq(buf, "dir", 3);
    ck_assert_ptr_eq(vfs_lookup("/l/", &err), child(root, "dir"));
    ck_assert_ptr_eq(vfs_lookup_at(NULL, "/l", false, &err), l);
    ck_assert_int_eq(ramfs_symlink(root, "loop", 4, "loop"), 0);
    ck_assert_ptr_null(vfs_lookup("/loop", &err));
    ck_assert_int_eq(err, -ELOOP);
    ck_assert_int_eq(ramfs_unlink(root, "l", 1), 0);
    ck_assert_int_eq(ramfs_unlink(root, "loop", 4), 0);
    ck_assert_uint_eq(mm_free_pfns(), free0);
}
END_TEST

/* A file from the archive is copied into pages on its first change. */
START_TEST(archive_file_copied_on_write)
{
    static const uint8_t archive[] = "0123456789";
    struct inode *root = ramfs_new_root(), *f;
    char buf[16] = { 0 };

    f = mk(root, "f", S_IFREG | 0644);
    f->data = archive;
    f->size = 10;
    ck_assert_int_eq(ramfs_write(f, 2, "ab", 2), 2);
    ck_assert_ptr_null(f->data);
    ck_assert_uint_eq(ramfs_read(f, 0, buf, sizeof(buf)), 10);
    ck_assert_str_eq(buf, "01ab456789");
    ck_assert_str_eq((const char *)archive, "0123456789");   /* untouched */
    f = mk(root, "g", S_IFREG | 0644);
    f->data = archive;
    f->size = 10;
    ck_assert_int_eq(ramfs_truncate(f, 4), 0);
    ck_assert_uint_eq(ramfs_read(f, 0, buf, sizeof(buf)), 4);
    ck_assert_mem_eq(buf, "0123", 4);
}
END_TEST

START_TEST(mounts_and_paths)
{
    struct inode *root = ramfs_new_root(), *m, *mnt, *x, *p;
    const char *name;
    size_t len;
    bool trail;
    char buf[64];
    int err = 0;

    vfs_set_root(root);
    mk(root, "usr", S_IFDIR | 0755);
    m = ramfs_new_root();
    x = mk(m, "x", S_IFDIR | 0755);
    ck_assert_int_eq(vfs_mount("/mnt", m, "test", "testfs", "ro"), 0);
    mnt = child(root, "mnt");            /* made for the mount */
    ck_assert_ptr_nonnull(mnt);
    ck_assert_ptr_eq(mnt->mounted, m);
    ck_assert_int_eq(vfs_mount("/mnt", m, "test", "testfs", "ro"), -EBUSY);
    ck_assert_ptr_eq(vfs_lookup("/mnt", &err), m);
    ck_assert_ptr_eq(vfs_lookup("/mnt/x", &err), x);
    ck_assert_ptr_eq(vfs_lookup("/mnt/x/../..", &err), root);
    ck_assert_ptr_eq(vfs_lookup_at(x, "../../usr", true, &err), child(root, "usr"));
    ck_assert_uint_eq(x->dev, 2);
    ck_assert_uint_eq(root->dev, 1);
    ck_assert_str_eq(vfs_mount_at(0)->path, "/");
    ck_assert_str_eq(vfs_mount_at(1)->path, "/mnt");
    ck_assert_ptr_null(vfs_mount_at(2));
    ck_assert_int_eq(vfs_path_of(x, buf, sizeof(buf)), 7);
    ck_assert_str_eq(buf, "/mnt/x");
    ck_assert_int_eq(vfs_path_of(root, buf, sizeof(buf)), 2);
    ck_assert_str_eq(buf, "/");
    ck_assert_int_eq(vfs_path_of(x, buf, 4), -ERANGE);
    /* the parent of a path's last component */
    p = vfs_lookup_parent(NULL, "/mnt/x/new/", &name, &len, &trail, &err);
    ck_assert_ptr_eq(p, x);
    ck_assert_uint_eq(len, 3);
    ck_assert(trail);
    p = vfs_lookup_parent(x, "rel", &name, &len, &trail, &err);
    ck_assert_ptr_eq(p, x);
    ck_assert(!trail);
    p = vfs_lookup_parent(NULL, "/", &name, &len, &trail, &err);
    ck_assert_ptr_eq(p, root);
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_null(vfs_lookup_parent(NULL, "/nope/x", &name, &len, &trail, &err));
    ck_assert_int_eq(err, -ENOENT);
    ck_assert_ptr_null(vfs_lookup_parent(NULL, "", &name, &len, &trail, &err));
    ck_assert_int_eq(err, -ENOENT);
    /* a removed directory has no path (getcwd: -ENOENT) */
    mk(root, "gone", S_IFDIR | 0755);
    p = child(root, "gone");
    inode_get(p);
    ck_assert_int_eq(ramfs_rmdir(root, "gone", 4), 0);
    ck_assert_int_eq(vfs_path_of(p, buf, sizeof(buf)), -ENOENT);
    inode_put(p);
}
END_TEST

/* Many files made and removed, in a tree: the pool is back where it was. */
START_TEST(churn)
{
    uint64_t free0 = mm_free_pfns();
    struct inode *root = ramfs_new_root(), *d;
    static uint8_t data[9000];
    char name[16];
    int round, k;

    for (round = 0; round < 5; round++) {
        d = mk(root, "d", S_IFDIR | 0755);
        for (k = 0; k < 40; k++) {
            struct inode *f;

            snprintf(name, sizeof(name), "f%d", k);
            f = mk(d, name, S_IFREG | 0644);
            ck_assert_int_eq(ramfs_write(f, (uint64_t)k * 1000, data, sizeof(data)),
                             sizeof(data));
        }
        ck_assert_int_eq(ramfs_symlink(d, "l", 1, "f1"), 0);
        ck_assert_int_eq(ren(d, "f3", d, "f4", 0), 0);
        ck_assert_uint_gt(ramfs_pages(), 40);
        ramfs_remove_tree(d);
        ck_assert_uint_eq(mm_free_pfns(), free0);
        ck_assert_uint_eq(ramfs_pages(), 0);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gk_ramfs");
    TCase *t = tcase_create("all");

    tcase_add_test(t, write_read_truncate_accounting);
    tcase_add_test(t, limits);
    tcase_add_test(t, unlink_rmdir_errors);
    tcase_add_test(t, rename_corners);
    tcase_add_test(t, getdents_offsets);
    tcase_add_test(t, open_unlinked_and_symlinks);
    tcase_add_test(t, archive_file_copied_on_write);
    tcase_add_test(t, mounts_and_paths);
    tcase_add_test(t, churn);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
