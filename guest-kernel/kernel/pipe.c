/* SPDX-License-Identifier: MIT */
/*
 * pipe.c - pipes: a ring buffer between a read end and a write end, with
 *          blocking reads and writes on wait queues.
 * Owns:    struct pipe (its ring pages, its reader and writer counts, its
 *          two wait queues); the answers of read, write and fstat on a
 *          pipe's descriptors.
 * Touches: the page allocator (up to PIPE_PAGES pages per pipe, only
 *          those holding unread bytes and the one at the read position),
 *          wait queues
 *          (wait.h), proc_kill() for SIGPIPE, user copies (mm.h).  The
 *          system calls pipe and pipe2 (sys_fs.c) make the two struct file
 *          (kind FILE_PIPE); file_put() (proc.c) calls pipe_release().
 *
 * As Linux: a read waits while the ring is empty and a writer is left,
 * and answers 0 (end of file) once no writer is; a write waits while the
 * ring is full and a reader is left; with no reader a write raises
 * SIGPIPE (its default action ends the writer) and answers -EPIPE.  A
 * signal interrupts a waiting read or write with -ERESTARTSYS (restarted
 * under SA_RESTART, else -EINTR; a write that moved bytes answers them).  A
 * write of at most PIPE_BUF bytes goes in whole or not at all (it waits
 * for room), so two writers' small records never interleave; a larger one
 * may be split.  O_NONBLOCK answers -EAGAIN instead of waiting.  A pipe
 * from pipe() has no inode, /proc does not show it.
 *
 * Named pipes (FIFOs, made by mknod/mkfifo): an S_IFIFO inode of the
 * ramfs; its pipe exists while the FIFO is open (pipe_open_fifo(), from
 * open()), found through a list of the open ones, and goes with its last
 * close, its unread bytes with it, as Linux.  Opening blocks as Linux's
 * fifo_open(): a reader until some writer has opened, a writer until some
 * reader has (O_NONBLOCK: a reader goes on, a writer gets -ENXIO);
 * O_RDWR is both ends at once and never blocks.  Each end holds a
 * reference on the inode, so an unlinked FIFO lives while it is open.
 * Every change a poller could be waiting for calls poll_wake() (poll.h).
 */
#include <kernel.h>
#include <mm.h>
#include <pipe.h>
#include <poll.h>
#include <proc.h>
#include <signal.h>
#include <wait.h>

struct pipe {
    uint64_t pfns[PIPE_PAGES];
    uint64_t head;              /* ring offset of the first unread byte */
    uint64_t count;             /* bytes unread */
    unsigned int readers, writers;  /* struct file on each end */
    uint64_t ino;               /* st_ino, for fstat */
    struct wait_queue rwait;    /* readers waiting for bytes */
    struct wait_queue wwait;    /* writers waiting for room */
    /* A FIFO's: its inode, the next open FIFO, the opens of each end so
     * far (what a blocked open waits to see change), their queue. */
    struct inode *fifo;
    struct pipe *fifo_next;
    unsigned long r_opens, w_opens;
    struct wait_queue openwait;
};

static uint64_t next_ino = 1;
static struct pipe *open_fifos;

static void pipe_free(struct pipe *pp)
{
    struct pipe **l;
    unsigned int i;

    for (l = &open_fifos; *l; l = &(*l)->fifo_next)
        if (*l == pp) {
            *l = pp->fifo_next;
            break;
        }
    for (i = 0; i < PIPE_PAGES; i++)
        if (pp->pfns[i] != INVALID_FRAME)
            mm_free_pfn(pp->pfns[i]);
    kfree(pp);
}

/* A pipe with an empty ring (no pages yet), no ends yet; NULL when
 * memory is short. */
static struct pipe *pipe_alloc(void)
{
    struct pipe *pp = kzalloc(sizeof(*pp));
    unsigned int i;

    if (!pp)
        return NULL;
    for (i = 0; i < PIPE_PAGES; i++)
        pp->pfns[i] = INVALID_FRAME;
    wait_init(&pp->rwait);
    wait_init(&pp->wwait);
    wait_init(&pp->openwait);
    pp->ino = next_ino++;
    return pp;
}

long pipe_new(int flags, struct file **rend, struct file **wend)
{
    struct pipe *pp = pipe_alloc();
    struct file *r = kzalloc(sizeof(*r)), *w = kzalloc(sizeof(*w));

    if (!pp || !r || !w) {
        if (pp)
            pipe_free(pp);
        kfree(r);
        kfree(w);
        return -ENOMEM;
    }
    pp->readers = pp->writers = 1;
    flags &= O_NONBLOCK;
    *r = (struct file){ .kind = FILE_PIPE, .refs = 1, .flags = O_RDONLY | flags, .pipe = pp };
    *w = (struct file){ .kind = FILE_PIPE, .refs = 1, .flags = O_WRONLY | flags, .pipe = pp };
    *rend = r;
    *wend = w;
    return 0;
}

void pipe_release(struct file *f)
{
    struct pipe *pp = f->pipe;
    int acc = f->flags & O_ACCMODE;

    if (acc != O_WRONLY) {              /* O_RDONLY, or a FIFO's O_RDWR */
        pp->readers--;
        wait_wake_all(&pp->wwait);      /* they now get -EPIPE */
        poll_wake();
    }
    if (acc != O_RDONLY) {
        pp->writers--;
        wait_wake_all(&pp->rwait);      /* they now get end of file */
        poll_wake();
    }
    if (!pp->readers && !pp->writers)
        pipe_free(pp);
    if (f->ino)
        inode_put(f->ino);              /* a FIFO's end */
}

long pipe_open_fifo(struct inode *ino, int flags, struct file **out)
{
    struct pipe *pp;
    struct file *f = kzalloc(sizeof(*f));
    int acc = flags & O_ACCMODE;
    unsigned long seen;
    long rc = 0;

    if (!f)
        return -ENOMEM;
    for (pp = open_fifos; pp && pp->fifo != ino; pp = pp->fifo_next)
        ;
    if (!pp) {
        if (acc == O_WRONLY && (flags & O_NONBLOCK)) {
            kfree(f);
            return -ENXIO;              /* no reader, and no waiting */
        }
        pp = pipe_alloc();
        if (!pp) {
            kfree(f);
            return -ENOMEM;
        }
        pp->fifo = ino;
        pp->fifo_next = open_fifos;
        open_fifos = pp;
    } else if (acc == O_WRONLY && (flags & O_NONBLOCK) && !pp->readers) {
        kfree(f);
        return -ENXIO;
    }
    *f = (struct file){ .kind = FILE_PIPE, .refs = 1, .flags = flags, .pipe = pp, .ino = ino };
    inode_get(ino);
    if (acc != O_WRONLY) {
        pp->readers++;
        pp->r_opens++;
    }
    if (acc != O_RDONLY) {
        pp->writers++;
        pp->w_opens++;
    }
    wait_wake_all(&pp->openwait);
    poll_wake();                        /* a new end: no more POLLHUP/POLLERR */
    /* Wait for the other end to open (Linux's wait_for_partner). */
    if (acc == O_RDONLY && !(flags & O_NONBLOCK) && !pp->writers) {
        seen = pp->w_opens;
        while (!rc && pp->w_opens == seen)
            rc = wait_sleep(&pp->openwait);
    } else if (acc == O_WRONLY && !pp->readers) {
        seen = pp->r_opens;
        while (!rc && pp->r_opens == seen)
            rc = wait_sleep(&pp->openwait);
    }
    if (rc) {
        pipe_release(f);                /* -EINTR: a kill ended the wait */
        kfree(f);
        return rc;
    }
    *out = f;
    return 0;
}

/* The ring's pages are there only while they hold bytes (Linux's pipe
 * buffers too), and the one at head (ring_trim): a write brings the pages
 * of [off, off + n) in, a read lets go of each page no unread byte is
 * left in.  0 or -ENOMEM. */
static long ring_fill(struct pipe *pp, uint64_t off, uint64_t n)
{
    uint64_t end = off + n;

    for (off -= off % 4096; off < end; off += 4096) {
        uint64_t *pfn = &pp->pfns[off % PIPE_SIZE / 4096];

        if (*pfn == INVALID_FRAME && (*pfn = mm_alloc_pfn()) == INVALID_FRAME)
            return -ENOMEM;
    }
    return 0;
}

/* The page at head stays even when empty: the next write lands there, and
 * a ping-pong of small messages (a shell pipeline, a request and its
 * answer) would otherwise allocate and free it on every round trip. */
static void ring_trim(struct pipe *pp)
{
    uint64_t first = pp->head, last = pp->head + pp->count;    /* [first, last) */
    unsigned int i, keep = (unsigned int)(pp->head % PIPE_SIZE / 4096);

    for (i = 0; i < PIPE_PAGES; i++) {
        uint64_t lo = i * 4096UL, hi = lo + 4096;
        bool used = pp->count && ((lo < MIN(last, PIPE_SIZE) && first < hi) ||
                                  (last > PIPE_SIZE && lo < last - PIPE_SIZE));

        if (!used && i != keep && pp->pfns[i] != INVALID_FRAME) {
            mm_free_pfn(pp->pfns[i]);
            pp->pfns[i] = INVALID_FRAME;
        }
    }
}

/* Copy n bytes between the ring at offset off and user memory; 0 or
 * -EFAULT.  The ring is pages, not contiguous: one page at a time. */
static long ring_copy(struct process *p, struct pipe *pp, uint64_t off, uint64_t ubuf,
                      uint64_t n, bool to_user)
{
    while (n) {
        uint64_t o = off % PIPE_SIZE;
        uint64_t chunk = MIN(n, 4096 - (o & 4095));
        uint8_t *k = (uint8_t *)pfn_to_virt(pp->pfns[o / 4096]) + (o & 4095);
        long rc = to_user ? uspace_copy_to(&p->us, ubuf, k, chunk)
                          : uspace_copy_from(&p->us, k, ubuf, chunk);

        if (rc)
            return -EFAULT;
        off += chunk;
        ubuf += chunk;
        n -= chunk;
    }
    return 0;
}

long pipe_read(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    struct pipe *pp = f->pipe;
    uint64_t n;

    if (!len)
        return 0;
    while (!pp->count) {
        long rc;

        if (!pp->writers)
            return 0;
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        rc = wait_sleep(&pp->rwait);
        if (rc)                 /* a signal: restarted or -EINTR (signal.h) */
            return rc == -EINTR ? -ERESTARTSYS : rc;
    }
    n = MIN(len, pp->count);
    if (ring_copy(p, pp, pp->head, buf, n, true))
        return -EFAULT;
    pp->head = (pp->head + n) % PIPE_SIZE;
    pp->count -= n;
    ring_trim(pp);
    wait_wake_all(&pp->wwait);
    poll_wake();
    return (long)n;
}

long pipe_write(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    struct pipe *pp = f->pipe;
    uint64_t done = 0;

    while (done < len) {
        uint64_t room = PIPE_SIZE - pp->count, n;
        long rc;

        if (!pp->readers) {
            proc_kill(p, SIGPIPE);
            return done ? (long)done : -EPIPE;
        }
        /* Small writes wait for room for all of it: atomic. */
        if (room && (len > PIPE_BUF || room >= len)) {
            n = MIN(room, len - done);
            if (ring_fill(pp, pp->head + pp->count, n)) {
                ring_trim(pp);
                return done ? (long)done : -ENOMEM;
            }
            if (ring_copy(p, pp, pp->head + pp->count, buf + done, n, false)) {
                ring_trim(pp);
                return done ? (long)done : -EFAULT;
            }
            pp->count += n;
            done += n;
            wait_wake_all(&pp->rwait);
            poll_wake();
            continue;
        }
        if (f->flags & O_NONBLOCK)
            return done ? (long)done : -EAGAIN;
        rc = wait_sleep(&pp->wwait);
        if (rc)
            return done ? (long)done : rc == -EINTR ? -ERESTARTSYS : rc;
    }
    return (long)done;
}

/* Linux's pipe_poll: the read end is readable with bytes and hung up
 * with no writer left; the write end is writable with a page of room
 * (PIPE_BUF: Linux wants a free ring slot, a page) and in error with no
 * reader left. */
unsigned int pipe_poll_events(const struct file *f)
{
    const struct pipe *pp = f->pipe;
    unsigned int ev = 0;

    int acc = f->flags & O_ACCMODE;

    if (acc != O_WRONLY) {              /* a read end, or a FIFO's O_RDWR */
        if (pp->count)
            ev |= POLLIN | POLLRDNORM;
        if (!pp->writers)
            ev |= POLLHUP;
    }
    if (acc != O_RDONLY) {
        if (PIPE_SIZE - pp->count >= PIPE_BUF)
            ev |= POLLOUT | POLLWRNORM;
        if (!pp->readers)
            ev |= POLLERR;
    }
    return ev;
}

/* FIONREAD: the bytes waiting. */
int pipe_nread(const struct file *f)
{
    return (int)f->pipe->count;
}

void pipe_stat(const struct file *f, struct linux_stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFIFO | 0600;
    st->st_nlink = 1;
    st->st_ino = f->pipe->ino;
    st->st_blksize = 4096;
}
