/* SPDX-License-Identifier: MIT */
/*
 * cpio.c - the initramfs: a cpio "newc" archive unpacked into ramfs.
 * Owns:    the archive format's rules, and what is refused.
 * Touches: ramfs_create()/ramfs_lookup_child() (kernel/ramfs.c).
 * Trusts:  nothing in the archive: every length and offset is checked
 *          against the archive's end before it is used.
 *
 * Format (the kernel's Documentation/driver-api/early-userspace/
 * buffer-format.rst; what `cpio -H newc` writes): each entry is a 110-byte
 * header, "070701" (or "070702", which adds a checksum we do not check)
 * then 13 fields of 8 hex digits (ino, mode, uid, gid, nlink, mtime,
 * filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check),
 * the name (namesize bytes, NUL included), padding to 4 bytes, the data,
 * padding to 4 bytes.  The entry named "TRAILER!!!" ends the archive;
 * zero bytes after it (an archive padded to a block) are fine.
 *
 * Choices: names may start with "./" or "/"; "." is the root itself;
 * missing parent directories are made (0755); an entry that exists with the
 * same type is replaced (a later archive overrides, as Linux's unpacking
 * does); device nodes, FIFOs and sockets are skipped until there is a
 * devfs; a hard link (a second name of an ino) gets its own copy of the
 * data when the archive carries it again, as `cpio -H newc` does.
 */
#include <kernel.h>
#include <uapi.h>
#include <vfs.h>

#define CPIO_HDR_LEN 110
#define CPIO_FIELDS  13
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJ,
       F_DEVMIN, F_RDEVMAJ, F_RDEVMIN, F_NAMESIZE, F_CHECK };

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

static bool parse_hex8(const char *p, uint32_t *out)
{
    uint32_t v = 0;
    int k;

    for (k = 0; k < 8; k++) {
        char c = p[k];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return false;
    }
    *out = v;
    return true;
}

/* The directory that will hold the last component of name[0..len), made
 * where missing; *base, *blen: the last component. */
static struct inode *parent_of(struct inode *root, const char *name, size_t len,
                               const char **base, size_t *blen, const char **why)
{
    struct inode *dir = root, *next;
    size_t i = 0, start;
    int err;

    for (;;) {
        while (i < len && name[i] == '/')
            i++;
        start = i;
        while (i < len && name[i] != '/')
            i++;
        if (i >= len || i + 1 == len) {     /* last component (maybe "x/") */
            *base = name + start;
            *blen = i - start;
            return dir;
        }
        if ((i - start == 2 && name[start] == '.' && name[start + 1] == '.')) {
            *why = "a name with \"..\"";
            return NULL;
        }
        if (i - start == 1 && name[start] == '.')
            continue;
        next = ramfs_lookup_child(dir, name + start, i - start);
        if (!next)
            next = ramfs_create(dir, name + start, i - start, S_IFDIR | 0755, &err);
        if (!next || !S_ISDIR(next->mode)) {
            *why = "a parent directory that is not one";
            return NULL;
        }
        dir = next;
    }
}

static long add_entry(struct inode *root, const char *name, size_t nlen,
                      const uint32_t *f, const uint8_t *data, const char **why)
{
    uint32_t type = f[F_MODE] & S_IFMT;
    struct inode *dir, *ino;
    const char *base;
    size_t blen;
    int err;

    while (nlen >= 2 && name[0] == '.' && name[1] == '/') {
        name += 2;
        nlen -= 2;
    }
    while (nlen && name[0] == '/') {
        name++;
        nlen--;
    }
    if (nlen == 0 || (nlen == 1 && name[0] == '.'))
        return 0;                              /* the root itself */
    if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK)
        return 0;                              /* devices etc.: skipped */
    if (type == S_IFDIR && f[F_FILESIZE]) {
        *why = "a directory with data";
        return -1;
    }
    if (type == S_IFLNK && (f[F_FILESIZE] == 0 || f[F_FILESIZE] >= VFS_PATH_MAX)) {
        *why = "a symlink target empty or longer than PATH_MAX";
        return -1;
    }
    dir = parent_of(root, name, nlen, &base, &blen, why);
    if (!dir)
        return -1;
    if (blen == 2 && base[0] == '.' && base[1] == '.') {
        *why = "a name with \"..\"";
        return -1;
    }
    if (blen > VFS_NAME_MAX) {
        *why = "a name component longer than NAME_MAX";
        return -1;
    }
    ino = ramfs_lookup_child(dir, base, blen);
    if (ino && (ino->mode & S_IFMT) != type) {
        *why = "an entry that exists with another type";
        return -1;
    }
    if (!ino)
        ino = ramfs_create(dir, base, blen, f[F_MODE], &err);
    if (!ino) {
        *why = err == -ENOMEM ? "out of memory" : "a name ramfs refuses";
        return -1;
    }
    ino->mode = f[F_MODE];
    ino->uid = f[F_UID];
    ino->gid = f[F_GID];
    ino->mtime = f[F_MTIME];
    if (type != S_IFDIR) {
        ino->data = data;
        ino->size = f[F_FILESIZE];
    }
    return 1;
}

long cpio_unpack(const void *archive, size_t len, struct inode *root, const char **why)
{
    const uint8_t *a = archive;
    size_t off = 0;
    long made = 0, rc;

    *why = NULL;
    for (;;) {
        uint32_t f[CPIO_FIELDS];
        const char *name;
        size_t nstart, dstart;
        int k;

        if (len - off < CPIO_HDR_LEN) {
            *why = off == len ? "no TRAILER!!! entry" : "a header cut short";
            return -1;
        }
        if (memcmp(a + off, "070701", 6) && memcmp(a + off, "070702", 6)) {
            *why = "a header without the newc magic 070701";
            return -1;
        }
        for (k = 0; k < CPIO_FIELDS; k++) {
            if (!parse_hex8((const char *)a + off + 6 + 8 * k, &f[k])) {
                *why = "a header field that is not hex";
                return -1;
            }
        }
        nstart = off + CPIO_HDR_LEN;
        if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > len - nstart) {
            *why = "a name running past the archive's end";
            return -1;
        }
        name = (const char *)a + nstart;
        if (name[f[F_NAMESIZE] - 1] != '\0' ||
            strnlen(name, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1) {
            *why = "a name not ended by its NUL";
            return -1;
        }
        dstart = align4(nstart + f[F_NAMESIZE]);
        if (dstart > len || f[F_FILESIZE] > len - dstart) {
            *why = "data running past the archive's end";
            return -1;
        }
        if (!strcmp(name, "TRAILER!!!"))
            break;
        rc = add_entry(root, name, f[F_NAMESIZE] - 1, f, a + dstart, why);
        if (rc < 0) {
            printk("cpio: entry \"%s\" at offset %zu refused\n", name, off);
            return -1;
        }
        made += rc;
        off = align4(dstart + f[F_FILESIZE]);
        if (off > len)
            off = len;
    }
    return made;
}
