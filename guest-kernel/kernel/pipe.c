/* SPDX-License-Identifier: MIT */
/*
 * pipe.c - pipes: a ring buffer between a read end and a write end, with
 *          blocking reads and writes on wait queues.
 * Owns:    struct pipe (its ring pages, its reader and writer counts, its
 *          two wait queues); the answers of read, write and fstat on a
 *          pipe's descriptors.
 * Touches: the page allocator (PIPE_PAGES pages per pipe), wait queues
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
 * may be split.  O_NONBLOCK answers -EAGAIN instead of waiting.  Nothing
 * is kept in the VFS: a pipe has no inode, /proc does not show it.
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
};

static uint64_t next_ino = 1;

static void pipe_free(struct pipe *pp)
{
    unsigned int i;

    for (i = 0; i < PIPE_PAGES; i++)
        if (pp->pfns[i] != INVALID_FRAME)
            mm_free_pfn(pp->pfns[i]);
    kfree(pp);
}

long pipe_new(int flags, struct file **rend, struct file **wend)
{
    struct pipe *pp = kzalloc(sizeof(*pp));
    struct file *r = kzalloc(sizeof(*r)), *w = kzalloc(sizeof(*w));
    unsigned int i;

    if (pp)
        for (i = 0; i < PIPE_PAGES; i++)
            pp->pfns[i] = INVALID_FRAME;
    for (i = 0; pp && i < PIPE_PAGES; i++) {
        pp->pfns[i] = mm_alloc_pfn();
        if (pp->pfns[i] == INVALID_FRAME)
            break;
    }
    if (!pp || i < PIPE_PAGES || !r || !w) {
        if (pp)
            pipe_free(pp);
        kfree(r);
        kfree(w);
        return -ENOMEM;
    }
    wait_init(&pp->rwait);
    wait_init(&pp->wwait);
    pp->readers = pp->writers = 1;
    pp->ino = next_ino++;
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

    if ((f->flags & O_ACCMODE) == O_RDONLY) {
        pp->readers--;
        wait_wake_all(&pp->wwait);      /* they now get -EPIPE */
        poll_wake();
    } else {
        pp->writers--;
        wait_wake_all(&pp->rwait);      /* they now get end of file */
        poll_wake();
    }
    if (!pp->readers && !pp->writers)
        pipe_free(pp);
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
            if (ring_copy(p, pp, pp->head + pp->count, buf + done, n, false))
                return done ? (long)done : -EFAULT;
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

    if ((f->flags & O_ACCMODE) == O_RDONLY) {
        if (pp->count)
            ev |= POLLIN | POLLRDNORM;
        if (!pp->writers)
            ev |= POLLHUP;
    } else {
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
