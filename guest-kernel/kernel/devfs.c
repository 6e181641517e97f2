/* SPDX-License-Identifier: MIT */
/*
 * devfs.c - /dev: the character devices and the kernel's random number
 *           generator behind /dev/random, /dev/urandom and getrandom().
 * Owns:    the device table (name, major:minor, mode), devfs's tree (a
 *          ramfs tree of S_IFCHR inodes), the RNG's state.
 * Touches: ramfs_new_root()/ramfs_create() to build the tree;
 *          pv_ops.console_write for the console, pv_ops.cpuid, clock_ns(),
 *          wallclock(), rdtsc and rdrand for the RNG's seed.
 *
 * Devices, with Linux's numbers and answers:
 *   null 1:3     reads end of file, writes vanish
 *   zero 1:5     reads zeros, writes vanish
 *   full 1:7     reads zeros, writes -ENOSPC
 *   random 1:8, urandom 1:9   the RNG below; writes are accepted and mixed in
 *   tty 5:0, console 5:1      the console: a system call's reads, writes and
 *                ioctls go to the tty (kernel/tty.c, from sys_fs.c); here
 *                only what the kernel itself asks: writes print
 *                (pv_ops.console_write), reads answer end of file
 * and the devices drivers register (devfs_register(), before devfs_new()),
 * each under a directory of /dev if its name has one (pvisor/privcmd):
 * their open files get the driver's operations (struct file_ops, proc.h;
 * devfs_open()), which sys_fs.c, sys_mm.c and sys_poll.c call.
 *
 * The RNG: ChaCha20 (RFC 8439's block function) in "fast key erasure"
 * style: each request runs blocks from the current key and a counter, and
 * the first 32 bytes of a fresh block become the next key, so the state
 * that produced earlier output is gone.  The construction is sound; the
 * seed is the weak part.  It is hashed from RDRAND (64 values) when CPUID
 * says the CPU has it, and always from the TSC, the pvclock and the
 * wallclock, plus TSC jitter at each request.  Without RDRAND (QEMU's TCG
 * without `-cpu max`) the seed is guessable by anyone who knows the boot
 * time to a few microseconds: fine for hash seeds and temporary names, not
 * for keys.  /dev/random does not block (as Linux since 5.6 once seeded).
 */
#include <kernel.h>
#include <proc.h>
#include <time.h>
#include <uapi.h>
#include <vfs.h>
#include <asm/pvops.h>
#include <asm/rdrand.h>
#include <asm/tsc.h>

#define MKDEV(ma, mi) ((ma) << 8 | (mi))

enum { DEV_NULL, DEV_ZERO, DEV_FULL, DEV_RANDOM, DEV_URANDOM, DEV_TTY, DEV_CONSOLE };

static const struct devnode {
    const char *name;
    uint32_t rdev, mode;
} devices[] = {
    [DEV_NULL]    = { "null",    MKDEV(1, 3), 0666 },
    [DEV_ZERO]    = { "zero",    MKDEV(1, 5), 0666 },
    [DEV_FULL]    = { "full",    MKDEV(1, 7), 0666 },
    [DEV_RANDOM]  = { "random",  MKDEV(1, 8), 0666 },
    [DEV_URANDOM] = { "urandom", MKDEV(1, 9), 0666 },
    [DEV_TTY]     = { "tty",     MKDEV(5, 0), 0666 },
    [DEV_CONSOLE] = { "console", MKDEV(5, 1), 0620 },
};

/* Drivers' devices (guest-kernel/drivers/): a name below /dev, possibly
 * in a directory ("xen/privcmd"), with its operations. */
#define DEVFS_MAX_DRIVERS 8
static struct devfs_driver {
    const char *path;
    uint32_t rdev, mode;
    const struct file_ops *ops;
} drivers[DEVFS_MAX_DRIVERS];
static unsigned int nr_drivers;

void devfs_register(const char *path, uint32_t rdev, uint32_t mode, const struct file_ops *ops)
{
    if (nr_drivers == DEVFS_MAX_DRIVERS) {
        printk("devfs: no room for /dev/%s\n", path);
        return;
    }
    drivers[nr_drivers++] = (struct devfs_driver){ path, rdev, mode, ops };
}

long devfs_open(const struct inode *ino, struct file *f)
{
    unsigned int i;
    long rc;

    for (i = 0; i < nr_drivers; i++) {
        if (drivers[i].rdev != ino->rdev)
            continue;
        rc = drivers[i].ops->open ? drivers[i].ops->open(f) : 0;
        if (!rc)
            f->ops = drivers[i].ops;
        return rc;
    }
    return 0;                           /* a device of the table below */
}

/* /dev/DIR/NAME for a driver: the directory made on the first use. */
static bool add_driver_node(struct inode *root, const struct devfs_driver *d)
{
    const char *slash = d->path, *name;
    struct inode *dir = root, *n;
    int err;

    while (*slash && *slash != '/')
        slash++;
    slash = *slash ? slash : NULL;
    name = slash ? slash + 1 : d->path;

    if (slash) {
        size_t len = (size_t)(slash - d->path);

        dir = ramfs_lookup_child(root, d->path, len);
        if (!dir)
            dir = ramfs_create(root, d->path, len, S_IFDIR | 0755, &err);
        if (!dir)
            return false;
    }
    n = ramfs_create(dir, name, strlen(name), S_IFCHR | d->mode, &err);
    if (!n)
        return false;
    n->rdev = d->rdev;
    return true;
}

static int dev_of(const struct inode *ino)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(devices); i++)
        if (devices[i].rdev == ino->rdev)
            return (int)i;
    return -1;
}

bool devfs_is_console(const struct inode *ino)
{
    int d = dev_of(ino);

    return S_ISCHR(ino->mode) && (d == DEV_TTY || d == DEV_CONSOLE);
}

/* ---- the RNG ---- */

static uint32_t rng_key[8];
static uint64_t rng_counter;
static bool rng_seeded;

#define ROTL(v, n) (((v) << (n)) | ((v) >> (32 - (n))))
#define QR(a, b, c, d) \
    (a += b, d ^= a, d = ROTL(d, 16), c += d, b ^= c, b = ROTL(b, 12), \
     a += b, d ^= a, d = ROTL(d, 8),  c += d, b ^= c, b = ROTL(b, 7))

void chacha20_block(const uint32_t key[8], uint64_t counter, uint32_t nonce, uint32_t out[16])
{
    uint32_t s[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
                       key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
                       (uint32_t)counter, (uint32_t)(counter >> 32), nonce, 0 };
    uint32_t x[16];
    int i;

    memcpy(x, s, sizeof(x));
    for (i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);  QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]); QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]); QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);  QR(x[3], x[4], x[9], x[14]);
    }
    for (i = 0; i < 16; i++)
        out[i] = x[i] + s[i];
}

/* Fold 64 bits into the key: one ChaCha block keyed by key ^ v. */
static void rng_mix(uint64_t v)
{
    uint32_t out[16];

    rng_key[0] ^= (uint32_t)v;
    rng_key[1] ^= (uint32_t)(v >> 32);
    chacha20_block(rng_key, rng_counter++, 0x6d697821, out);
    memcpy(rng_key, out, sizeof(rng_key));
}

static void rng_seed(void)
{
    struct cpuid_regs r;
    struct wall_time wt;
    uint64_t v;
    int i;

    pv_ops.cpuid(1, 0, &r);
    if (r.ecx & CPUID1_ECX_RDRAND)
        for (i = 0; i < 64; i++)
            if (rdrand64(&v))
                rng_mix(v);
    wallclock(&wt);
    rng_mix(wt.sec ^ ((uint64_t)wt.nsec << 32));
    for (i = 0; i < 16; i++)
        rng_mix(rdtsc_ordered() ^ (clock_ns() << 17));
    rng_seeded = true;
}

void random_bytes(void *buf, size_t len)
{
    uint32_t out[16];
    uint8_t *b = buf;

    if (!rng_seeded)
        rng_seed();
    rng_mix(rdtsc_ordered());
    while (len) {
        size_t n = MIN(len, sizeof(out));

        chacha20_block(rng_key, rng_counter++, 0, out);
        memcpy(b, out, n);
        b += n;
        len -= n;
    }
    /* Fast key erasure: the next key from a block nobody saw. */
    chacha20_block(rng_key, rng_counter++, 0, out);
    memcpy(rng_key, out, sizeof(rng_key));
    memset(out, 0, sizeof(out));
}

/* ---- the devices ---- */

long devfs_read(const struct inode *ino, void *buf, size_t len)
{
    switch (dev_of(ino)) {
    case DEV_NULL:
        return 0;
    case DEV_ZERO:
    case DEV_FULL:
        memset(buf, 0, len);
        return (long)len;
    case DEV_RANDOM:
    case DEV_URANDOM:
        random_bytes(buf, len);
        return (long)len;
    case DEV_TTY:
    case DEV_CONSOLE:
        return 0;                       /* user reads go to tty.c */
    }
    return -ENXIO;
}

long devfs_write(const struct inode *ino, const void *buf, size_t len)
{
    switch (dev_of(ino)) {
    case DEV_NULL:
    case DEV_ZERO:
        return (long)len;
    case DEV_FULL:
        return -ENOSPC;
    case DEV_RANDOM:
    case DEV_URANDOM:
        if (len >= 8) {
            uint64_t v;

            memcpy(&v, buf, 8);
            rng_mix(v);
        }
        return (long)len;
    case DEV_TTY:
    case DEV_CONSOLE:
        pv_ops.console_write(buf, len);
        return (long)len;
    }
    return -ENXIO;
}

struct inode *devfs_new(void)
{
    struct inode *root = ramfs_new_root();
    unsigned int i;
    int err;

    if (!root)
        return NULL;
    for (i = 0; i < ARRAY_SIZE(devices); i++) {
        const struct devnode *d = &devices[i];
        struct inode *n = ramfs_create(root, d->name, strlen(d->name), S_IFCHR | d->mode, &err);

        if (!n)
            return NULL;
        n->rdev = d->rdev;
    }
    for (i = 0; i < nr_drivers; i++)
        if (!add_driver_node(root, &drivers[i]))
            return NULL;
    return root;
}
