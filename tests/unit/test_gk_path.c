/* SPDX-License-Identifier: MIT */
/*
 * test_gk_path.c - pvkernel's path walk (guest-kernel/kernel/vfs.c) on the
 *                  host: absolute and relative paths, "." and "..",
 *                  repeated and trailing slashes, symlinks (relative,
 *                  absolute, chains, nests, loops), the length limits and
 *                  the errors, each against Linux's answer.
 * Owns:    the tree built here (one per test, in gk_host.h's page pool).
 * Touches: guest-kernel/kernel/{vfs,ramfs}.c, compiled as they are.
 *
 * Linux's answers (path_resolution(7), fs/namei.c) are what the tests
 * assert, unless a comment says pvkernel differs and why:
 *  - "" is -ENOENT; a path of PATH_MAX (4096) bytes or more, or a
 *    component longer than NAME_MAX (255), -ENAMETOOLONG;
 *  - ".." of the root is the root; ".." is the physical parent (after a
 *    symlink too: "link/.." is the parent of the link's target);
 *  - a component under a non-directory, or a trailing slash (or "/." or
 *    "/..") after one, is -ENOTDIR, before its name is looked at;
 *  - a symlink in the middle of a path is always followed; the last one
 *    only with follow (not for lstat, O_NOFOLLOW, AT_SYMLINK_NOFOLLOW),
 *    except that a trailing slash follows it ("link/" is the directory);
 *  - relative targets start from the directory holding the link;
 *  - 40 links (MAXSYMLINKS) may be followed in one lookup, the 41st is
 *    -ELOOP, whether they chain (a -> b -> c) or nest (a -> "b/.").
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <uapi.h>
#include <vfs.h>

#include "gk_host.h"

static struct inode *root, *dir, *sub, *deep, *passwd, *etc;

static struct inode *mk(struct inode *d, const char *name, uint32_t mode)
{
    int err = 0;
    struct inode *i = ramfs_create(d, name, strlen(name), mode, &err);

    ck_assert_msg(i, "create %s: %d", name, err);
    return i;
}

static void ln(struct inode *d, const char *name, const char *target)
{
    ck_assert_int_eq(ramfs_symlink(d, name, strlen(name), target), 0);
}

static struct inode *child(struct inode *d, const char *name)
{
    return ramfs_lookup_child(d, name, strlen(name));
}

/*
 *  /dir/sub/deep/        /etc/passwd        /bin/
 *  /lrel -> dir/sub      /labs -> /dir/sub  /dir/up -> ../etc
 *  /lfile -> etc/passwd  /dangling -> nope  /loop -> loop
 *  /pa -> pb, /pb -> pa  /dir/sub/back -> ../../etc/./passwd
 */
static void setup(void)
{
    root = ramfs_new_root();
    vfs_set_root(root);
    dir = mk(root, "dir", S_IFDIR | 0755);
    sub = mk(dir, "sub", S_IFDIR | 0755);
    deep = mk(sub, "deep", S_IFDIR | 0755);
    etc = mk(root, "etc", S_IFDIR | 0755);
    passwd = mk(etc, "passwd", S_IFREG | 0644);
    mk(root, "bin", S_IFDIR | 0755);
    ln(root, "lrel", "dir/sub");
    ln(root, "labs", "/dir/sub");
    ln(dir, "up", "../etc");
    ln(root, "lfile", "etc/passwd");
    ln(root, "dangling", "nope");
    ln(root, "loop", "loop");
    ln(root, "pa", "pb");
    ln(root, "pb", "pa");
    ln(sub, "back", "../../etc/./passwd");
}

/* The inode of path from cwd, asserting it is found. */
static struct inode *look(struct inode *cwd, const char *path, bool follow)
{
    int err = 0;
    struct inode *i = vfs_lookup_at(cwd, path, follow, &err);

    ck_assert_msg(i, "%s: error %d", path, err);
    return i;
}

/* The error of a lookup expected to fail. */
static int fails(struct inode *cwd, const char *path, bool follow)
{
    int err = 0;
    struct inode *i = vfs_lookup_at(cwd, path, follow, &err);

    ck_assert_msg(!i, "%s: found, expected an error", path);
    ck_assert_int_ne(err, 0);
    return err;
}

START_TEST(absolute_relative_dots)
{
    ck_assert_ptr_eq(look(NULL, "/", true), root);
    ck_assert_ptr_eq(look(NULL, "/dir/sub/deep", true), deep);
    ck_assert_ptr_eq(look(NULL, "dir/sub", true), sub);     /* NULL cwd: the root */
    ck_assert_ptr_eq(look(dir, "sub/deep", true), deep);
    ck_assert_ptr_eq(look(dir, "/etc", true), etc);         /* absolute ignores cwd */
    ck_assert_ptr_eq(look(sub, ".", true), sub);
    ck_assert_ptr_eq(look(sub, "..", true), dir);
    ck_assert_ptr_eq(look(sub, "../..", true), root);
    ck_assert_ptr_eq(look(sub, "./deep/./../deep/.", true), deep);
    ck_assert_ptr_eq(look(deep, "../../../etc/passwd", true), passwd);
    /* ".." past the root stays at the root */
    ck_assert_ptr_eq(look(NULL, "/..", true), root);
    ck_assert_ptr_eq(look(NULL, "/../../..", true), root);
    ck_assert_ptr_eq(look(sub, "../../../../../dir", true), dir);
    ck_assert_ptr_eq(look(NULL, "/../etc/../dir/sub", true), sub);
    /* repeated slashes are one */
    ck_assert_ptr_eq(look(NULL, "//dir///sub//deep", true), deep);
    ck_assert_ptr_eq(look(NULL, "///", true), root);
    ck_assert_ptr_eq(look(dir, "sub//", true), sub);
}
END_TEST

START_TEST(errors)
{
    ck_assert_int_eq(fails(NULL, "", true), -ENOENT);
    ck_assert_int_eq(fails(dir, "", true), -ENOENT);
    ck_assert_int_eq(fails(NULL, "/nope", true), -ENOENT);
    ck_assert_int_eq(fails(NULL, "/nope/sub", true), -ENOENT);
    ck_assert_int_eq(fails(NULL, "/dir/nope/..", true), -ENOENT);
    /* through or after a regular file */
    ck_assert_int_eq(fails(NULL, "/etc/passwd/x", true), -ENOTDIR);
    ck_assert_int_eq(fails(NULL, "/etc/passwd/", true), -ENOTDIR);
    ck_assert_int_eq(fails(NULL, "/etc/passwd//", true), -ENOTDIR);
    ck_assert_int_eq(fails(NULL, "/etc/passwd/.", true), -ENOTDIR);
    ck_assert_int_eq(fails(NULL, "/etc/passwd/..", true), -ENOTDIR);
    ck_assert_int_eq(fails(etc, "passwd/", false), -ENOTDIR);
    /* a regular file is still found without the slash */
    ck_assert_ptr_eq(look(etc, "passwd", true), passwd);
}
END_TEST

START_TEST(name_and_path_length)
{
    static char name[VFS_NAME_MAX + 2], path[VFS_PATH_MAX + 8];
    struct inode *longest;
    size_t k;

    memset(name, 'n', VFS_NAME_MAX);
    longest = mk(dir, name, S_IFREG | 0644);                /* 255: fine */
    snprintf(path, sizeof(path), "/dir/%s", name);
    ck_assert_ptr_eq(look(NULL, path, true), longest);
    name[VFS_NAME_MAX] = 'n';                               /* 256 */
    snprintf(path, sizeof(path), "/dir/%s", name);
    ck_assert_int_eq(fails(NULL, path, true), -ENAMETOOLONG);
    snprintf(path, sizeof(path), "/%s/x", name);            /* in the middle */
    ck_assert_int_eq(fails(NULL, path, true), -ENAMETOOLONG);
    /* the order of the checks, as Linux: a missing directory first, a
     * non-directory first */
    snprintf(path, sizeof(path), "/nope/%s", name);
    ck_assert_int_eq(fails(NULL, path, true), -ENOENT);
    snprintf(path, sizeof(path), "/etc/passwd/%s", name);
    ck_assert_int_eq(fails(NULL, path, true), -ENOTDIR);
    /* 4095 bytes (PATH_MAX with its NUL) resolve; 4096 do not */
    for (k = 0; k < VFS_PATH_MAX - 4; k += 2)
        memcpy(path + k, "./", 2);
    memcpy(path + k, "dir", 4);
    ck_assert_uint_eq(strlen(path), VFS_PATH_MAX - 1);
    ck_assert_ptr_eq(look(NULL, path, true), dir);
    memmove(path + 1, path, strlen(path) + 1);
    path[0] = '/';
    ck_assert_uint_eq(strlen(path), VFS_PATH_MAX);
    ck_assert_int_eq(fails(NULL, path, true), -ENAMETOOLONG);
    ck_assert_int_eq(fails(NULL, path, false), -ENAMETOOLONG);
    /* a path of slashes only, 4095 of them, is the root */
    memset(path, '/', VFS_PATH_MAX - 1);
    path[VFS_PATH_MAX - 1] = '\0';
    ck_assert_ptr_eq(look(NULL, path, true), root);
}
END_TEST

START_TEST(symlinks_followed)
{
    ck_assert_ptr_eq(look(NULL, "/lrel", true), sub);
    ck_assert_ptr_eq(look(NULL, "/labs", true), sub);
    ck_assert_ptr_eq(look(NULL, "/lrel/deep", true), deep);
    ck_assert_ptr_eq(look(NULL, "/labs/deep/", true), deep);
    /* relative to the link's directory, not to cwd or the root */
    ck_assert_ptr_eq(look(NULL, "/dir/up", true), etc);
    ck_assert_ptr_eq(look(NULL, "/dir/up/passwd", true), passwd);
    ck_assert_ptr_eq(look(deep, "../back", true), passwd);
    ck_assert_ptr_eq(look(sub, "back", true), passwd);
    /* ".." after a link: the target's physical parent */
    ck_assert_ptr_eq(look(NULL, "/lrel/..", true), dir);
    ck_assert_ptr_eq(look(NULL, "/dir/up/..", true), root);
    /* through links in a row, relative and absolute */
    ck_assert_ptr_eq(look(dir, "up/../lrel/back", true), passwd);
    /* to a file: fine, unless something follows it */
    ck_assert_ptr_eq(look(NULL, "/lfile", true), passwd);
    ck_assert_int_eq(fails(NULL, "/lfile/", true), -ENOTDIR);
    ck_assert_int_eq(fails(NULL, "/lfile/x", true), -ENOTDIR);
    ck_assert_int_eq(fails(NULL, "/dangling", true), -ENOENT);
    ck_assert_int_eq(fails(NULL, "/dangling/x", true), -ENOENT);
}
END_TEST

/* lstat(2), O_NOFOLLOW, AT_SYMLINK_NOFOLLOW: the last component only. */
START_TEST(nofollow_last_component)
{
    struct inode *lrel = child(root, "lrel"), *dangling = child(root, "dangling");

    ck_assert_ptr_eq(look(NULL, "/lrel", false), lrel);
    ck_assert_ptr_eq(look(NULL, "/dangling", false), dangling);
    ck_assert_ptr_eq(look(NULL, "/loop", false), child(root, "loop"));
    ck_assert_ptr_eq(look(NULL, "/dir/up", false), child(dir, "up"));
    /* a link in the middle is followed all the same */
    ck_assert_ptr_eq(look(NULL, "/lrel/back", false), child(sub, "back"));
    ck_assert_ptr_eq(look(NULL, "/labs/deep", false), deep);
    /* a trailing slash follows the last link (Linux: lstat("link/") is
     * the directory; pvkernel returned the link, then -ENOTDIR, before) */
    ck_assert_ptr_eq(look(NULL, "/lrel/", false), sub);
    ck_assert_ptr_eq(look(NULL, "/dir/up//", false), etc);
    ck_assert_int_eq(fails(NULL, "/lfile/", false), -ENOTDIR);
    ck_assert_int_eq(fails(NULL, "/dangling/", false), -ENOENT);
    ck_assert_int_eq(fails(NULL, "/loop/", false), -ELOOP);
}
END_TEST

START_TEST(loops)
{
    ck_assert_int_eq(fails(NULL, "/loop", true), -ELOOP);
    ck_assert_int_eq(fails(NULL, "/loop/x", true), -ELOOP);
    ck_assert_int_eq(fails(NULL, "/loop/x", false), -ELOOP);
    ck_assert_int_eq(fails(NULL, "/pa", true), -ELOOP);
    ck_assert_int_eq(fails(dir, "../pb/", false), -ELOOP);
}
END_TEST

/* c0 -> c1 -> ... -> c40 -> dir: from c1, 40 links (MAXSYMLINKS): found;
 * from c0, 41: -ELOOP.  (pvkernel stopped at 8 before.) */
START_TEST(chain_limit)
{
    char name[16], target[16];
    int k;

    for (k = 0; k <= VFS_SYMLINK_DEPTH; k++) {
        snprintf(name, sizeof(name), "c%d", k);
        if (k < VFS_SYMLINK_DEPTH)
            snprintf(target, sizeof(target), "c%d", k + 1);
        else
            snprintf(target, sizeof(target), "/dir");
        ln(root, name, target);
    }
    ck_assert_int_eq(VFS_SYMLINK_DEPTH, 40);
    ck_assert_ptr_eq(look(NULL, "/c1", true), dir);
    ck_assert_ptr_eq(look(NULL, "/c1/sub", true), sub);
    ck_assert_ptr_eq(look(NULL, "/c40", true), dir);
    ck_assert_int_eq(fails(NULL, "/c0", true), -ELOOP);
    ck_assert_int_eq(fails(NULL, "/c0/sub", false), -ELOOP);
    ck_assert_ptr_eq(look(NULL, "/c0", false), child(root, "c0"));
    /* links already followed count: one more on the way is too many */
    ck_assert_int_eq(fails(NULL, "/lrel/../../c1", true), -ELOOP);
    ck_assert_ptr_eq(look(NULL, "/dir/../c2", true), dir);
}
END_TEST

/* m0 -> "m1/.", ..., m39 -> "m40/.", m40 -> "dir": each link in the
 * middle of the previous one's target; the same count of 40. */
START_TEST(nest_limit)
{
    char name[16], target[16];
    int k;

    for (k = 0; k <= VFS_SYMLINK_DEPTH; k++) {
        snprintf(name, sizeof(name), "m%d", k);
        if (k < VFS_SYMLINK_DEPTH)
            snprintf(target, sizeof(target), "m%d/.", k + 1);
        else
            snprintf(target, sizeof(target), "dir");
        ln(root, name, target);
    }
    ck_assert_ptr_eq(look(NULL, "/m1/sub", true), sub);
    ck_assert_ptr_eq(look(NULL, "/m1", false), child(root, "m1"));
    ck_assert_int_eq(fails(NULL, "/m0/sub", true), -ELOOP);
}
END_TEST

/* A link's target and the rest of the path are walked as one, within
 * PATH_MAX (pvkernel's limit; Linux keeps them apart and has none). */
START_TEST(long_targets)
{
    static char target[VFS_PATH_MAX], path[VFS_PATH_MAX];
    size_t k;

    for (k = 0; k + 2 < 4000; k += 2)
        memcpy(target + k, "./", 2);
    memcpy(target + k, "dir", 4);                           /* ~4000 bytes */
    ln(root, "big", target);
    ck_assert_ptr_eq(look(NULL, "/big", true), dir);
    ck_assert_ptr_eq(look(NULL, "/big/sub/deep", true), deep);
    snprintf(path, sizeof(path), "/big/%0*d", 200, 0);
    for (k = 5; k < 205; k += 2)
        memcpy(path + k, "./", 2);
    ck_assert_int_eq(fails(NULL, path, true), -ENAMETOOLONG);
}
END_TEST

/* /proc/self: a link whose target is generated at each lookup. */
static size_t gen_target(const struct inode *ino, char *buf, size_t size)
{
    (void)ino;
    snprintf(buf, size, "dir/sub");
    return 7;
}

START_TEST(generated_link)
{
    struct inode *self;

    ln(root, "self", "placeholder");
    self = child(root, "self");
    self->gen = gen_target;
    ck_assert_ptr_eq(look(NULL, "/self", true), sub);
    ck_assert_ptr_eq(look(NULL, "/self/deep/..", true), sub);
    ck_assert_ptr_eq(look(NULL, "/self", false), self);
    /* a generated link in the middle of a generated link's target */
    ln(root, "s2", "self/deep");
    ck_assert_ptr_eq(look(NULL, "/s2", true), deep);
    self->gen = NULL;
}
END_TEST

/* A lookup through links takes a page for the spliced path and gives it
 * back, whatever the outcome. */
START_TEST(no_page_kept)
{
    uint64_t before = mm_free_pfns();
    int err;

    vfs_lookup_at(NULL, "/lrel/back", true, &err);
    vfs_lookup_at(NULL, "/loop", true, &err);
    vfs_lookup_at(NULL, "/dangling/x", true, &err);
    vfs_lookup_at(NULL, "/lfile/", true, &err);
    ck_assert_uint_eq(mm_free_pfns(), before);
    /* no page to take: -ENOMEM, not a crash */
    gk_pool_limit(GK_POOL_PAGES - mm_free_pfns());
    ck_assert_int_eq(fails(NULL, "/lrel", true), -ENOMEM);
    ck_assert_ptr_eq(look(NULL, "/dir/sub", true), sub);    /* no link: no page */
    gk_pool_limit(GK_POOL_PAGES);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gk_path");
    TCase *t = tcase_create("all");

    tcase_add_checked_fixture(t, setup, NULL);   /* each test in its own fork */
    tcase_add_test(t, absolute_relative_dots);
    tcase_add_test(t, errors);
    tcase_add_test(t, name_and_path_length);
    tcase_add_test(t, symlinks_followed);
    tcase_add_test(t, nofollow_last_component);
    tcase_add_test(t, loops);
    tcase_add_test(t, chain_limit);
    tcase_add_test(t, nest_limit);
    tcase_add_test(t, long_targets);
    tcase_add_test(t, generated_link);
    tcase_add_test(t, no_page_kept);
    suite_add_tcase(s, t);
    return run_check_suite(s);
}
