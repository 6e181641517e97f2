/* SPDX-License-Identifier: MIT */
/*
 * sys_poll.c - poll, ppoll, select, pselect6: wait until one of several
 *              descriptors is ready, a timeout passes or a signal
 *              comes.
 * Owns:    the pollers' wait queue (include/poll.h), each descriptor's
 *          readiness answer (file_poll), the four system calls.
 * Touches: pipe_poll_events() (pipe.c), tty_poll_events() (tty.c),
 *          unix_poll_events() (unix_socket.c), the
 *          process's descriptors and signal mask (proc.h), wait queues
 *          with a deadline (wait.h, time.h), user copies (mm.h).
 *
 * As Linux (fs/select.c): a descriptor that is not open is POLLNVAL in
 * poll and -EBADF in select; a negative fd in poll is skipped.  Regular
 * files, directories and the devices other than the console are always
 * ready (DEFAULT_POLLMASK).  POLLERR and POLLHUP are reported whether
 * asked or not.  poll's nfds beyond RLIMIT_NOFILE (1024 unless lowered)
 * is -EINVAL; select's nfds is cut to the descriptor table's size (64 at
 * first, as Linux's smallest table, growing with the descriptors opened
 * up to PROC_MAX_FILES: FD_SETSIZE's 1024) and a bit set for a closed
 * descriptor below it is -EBADF.  Timeouts: poll's in ms (negative: none), the others'
 * timespec/timeval (NULL: none; negative or a bad nsec/usec: -EINVAL);
 * a zero timeout looks once.  select, pselect6 and ppoll write the time
 * left back (Linux does, and so does glibc's select on Linux).  The look
 * is repeated after the deadline passes, as Linux's do_poll.  A signal
 * while waiting answers -ERESTARTNOHAND: -EINTR once a handler runs,
 * restarted if none does (signal.h).  ppoll and pselect6 put their signal
 * mask in place while they wait, and keep it until the handler of the
 * signal that ended the wait is set up (restore_sigmask), as Linux.
 */
#include <kernel.h>
#include <pipe.h>
#include <poll.h>
#include <proc.h>
#include <signal.h>
#include <socket.h>
#include <syscall.h>
#include <time.h>
#include <tty.h>

#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
#define POLLIN_SET  (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET  POLLPRI
#define NO_DEADLINE UINT64_MAX

static struct wait_queue pollers = WAIT_QUEUE_INIT;

void poll_wake(void)
{
    wait_wake_all(&pollers);
}

static unsigned int file_poll(const struct file *f)
{
    if (f->kind == FILE_CONSOLE || (f->ino && devfs_is_console(f->ino)))
        return tty_poll_events();
    if (f->kind == FILE_PIPE)
        return pipe_poll_events(f);
    if (f->ops && f->ops->poll)         /* a driver's device */
        return f->ops->poll((struct file *)f);

    if (f->kind == FILE_SOCKET)
        return unix_poll_events(f);
    return DEFAULT_POLLMASK;
}

/* Sleep on the pollers' queue until woken or the deadline: 0, -ETIMEDOUT
 * or, for a signal, -ERESTARTNOHAND (-EINTR once a handler runs; restarted
 * when none does: signal.h). */
static long poll_sleep(uint64_t deadline)
{
    long rc = wait_sleep_until(&pollers, deadline == NO_DEADLINE ? 0 : deadline);

    return rc == -EINTR ? -ERESTARTNOHAND : rc;
}

/* The deadline for a relative timeout of ns (0: look once). */
static uint64_t deadline_in(uint64_t ns)
{
    uint64_t now = clock_ns();

    return ns > NO_DEADLINE - now - 1 ? NO_DEADLINE - 1 : now + ns;
}

static uint64_t time_left(uint64_t deadline)
{
    uint64_t now = clock_ns();

    return deadline > now ? deadline - now : 0;
}

/* ppoll/pselect6's mask, in place while waiting; the old one in *saved. */
static long mask_swap(struct process *p, uint64_t uset, uint64_t size, uint64_t *saved)
{
    uint64_t set;

    *saved = p->sigmask;
    if (!uset)
        return 0;
    if (size != sizeof(uint64_t))
        return -EINVAL;
    if (uspace_copy_from(&p->us, &set, uset, sizeof(set)))
        return -EFAULT;
    p->sigmask = set & ~(sig_bit(SIGKILL) | sig_bit(SIGSTOP));   /* never blocked */
    signal_flush_ignored(p);
    return 0;
}

/* The old mask back: at once, or, when a signal ended the wait, once its
 * handler's frame is built (the frame keeps the old one), as Linux. */
static void mask_restore(struct process *p, uint64_t uset, uint64_t saved, long rc)
{
    if (!uset)
        return;
    if (rc == -ERESTARTNOHAND) {
        p->saved_sigmask = saved;
        p->restore_sigmask = true;
    } else {
        p->sigmask = saved;
    }
}

/* ---- poll ---- */

static unsigned int poll_scan(struct process *p, struct linux_pollfd *fds, unsigned int n)
{
    unsigned int i, ready = 0;

    for (i = 0; i < n; i++) {
        struct file *f;
        unsigned int ev;

        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        f = proc_fd(p, fds[i].fd);
        ev = f ? file_poll(f) & ((uint16_t)fds[i].events | POLLERR | POLLHUP) : POLLNVAL;
        fds[i].revents = (int16_t)ev;
        if (ev)
            ready++;
    }
    return ready;
}

/* deadline: NO_DEADLINE (wait), 0 (look once), else system time. */
static long do_poll(uint64_t ufds, uint64_t nfds, uint64_t deadline)
{
    struct process *p = proc_current();
    struct linux_pollfd *fds;
    size_t size = nfds * sizeof(*fds);
    long rc;

    if (nfds > proc_nofile(p))        /* Linux: RLIMIT_NOFILE */
        return -EINVAL;
    fds = kzalloc(size ? size : 1);
    if (!fds)
        return -ENOMEM;
    if (uspace_copy_from(&p->us, fds, ufds, size)) {
        kfree(fds);
        return -EFAULT;
    }
    for (;;) {
        bool timed_out;

        rc = poll_scan(p, fds, (unsigned int)nfds);
        if (rc || !deadline)
            break;
        rc = poll_sleep(deadline);
        timed_out = rc == -ETIMEDOUT;
        if (rc && !timed_out)
            break;                      /* a signal */
        if (timed_out) {
            rc = poll_scan(p, fds, (unsigned int)nfds);
            break;
        }
    }
    /* Only revents goes back (and only when the call did not fail). */
    if (rc >= 0) {
        uint64_t i;

        for (i = 0; i < nfds; i++)
            if (uspace_copy_to(&p->us, ufds + i * sizeof(*fds) + 6, &fds[i].revents, 2)) {
                rc = -EFAULT;
                break;
            }
    }
    kfree(fds);
    return rc;
}

long sys_poll(SYSCALL_ARGS)
{
    int ms = (int)a2;

    if (ms < 0)
        return do_poll(a0, a1, NO_DEADLINE);
    return do_poll(a0, a1, ms ? deadline_in((uint64_t)ms * NSEC_PER_MSEC) : 0);
}

/* A user timespec into a deadline; NULL: none. */
static long ts_deadline(struct process *p, uint64_t uts, uint64_t *deadline)
{
    struct linux_timespec ts;

    *deadline = NO_DEADLINE;
    if (!uts)
        return 0;
    if (uspace_copy_from(&p->us, &ts, uts, sizeof(ts)))
        return -EFAULT;
    if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
        return -EINVAL;
    if (!ts.tv_sec && !ts.tv_nsec)
        *deadline = 0;
    else if ((uint64_t)ts.tv_sec >= NO_DEADLINE / NSEC_PER_SEC / 2)
        *deadline = NO_DEADLINE - 1;    /* centuries: never in practice */
    else
        *deadline = deadline_in((uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec);
    return 0;
}

/* The time left back into the user's timespec (ppoll, pselect6). */
static void ts_write_back(struct process *p, uint64_t uts, uint64_t deadline)
{
    uint64_t left = deadline && deadline != NO_DEADLINE ? time_left(deadline) : 0;
    struct linux_timespec ts = { (int64_t)(left / NSEC_PER_SEC), (int64_t)(left % NSEC_PER_SEC) };

    if (uts && deadline != NO_DEADLINE)
        uspace_copy_to(&p->us, uts, &ts, sizeof(ts));   /* a fault here is ignored, as Linux */
}

long sys_ppoll(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t deadline, saved;
    long rc = ts_deadline(p, a2, &deadline);

    if (rc)
        return rc;
    rc = mask_swap(p, a3, a4, &saved);
    if (rc)
        return rc;
    rc = do_poll(a0, a1, deadline);
    mask_restore(p, a3, saved, rc);
    ts_write_back(p, a2, deadline);
    return rc;
}

/* ---- select ---- */

/* The three sets: in (user's, read), out (answers), words longs each. */
struct fdsets { unsigned int words; uint64_t *in[3], *out[3]; };

static long select_scan(struct process *p, struct fdsets *s, int n)
{
    static const unsigned int want[3] = { POLLIN_SET, POLLOUT_SET, POLLEX_SET };
    long ready = 0;
    int fd, k;

    for (k = 0; k < 3; k++)
        memset(s->out[k], 0, s->words * sizeof(uint64_t));
    for (fd = 0; fd < n; fd++) {
        unsigned int w = (unsigned int)fd / 64;
        uint64_t bit = 1UL << (fd % 64);
        struct file *f;
        unsigned int ev;

        if (!((s->in[0][w] | s->in[1][w] | s->in[2][w]) & bit))
            continue;
        f = proc_fd(p, fd);
        if (!f)
            return -EBADF;
        ev = file_poll(f);
        for (k = 0; k < 3; k++) {
            if ((s->in[k][w] & bit) && (ev & want[k])) {
                s->out[k][w] |= bit;
                ready++;
            }
        }
    }
    return ready;
}

static long do_select(long nfds, uint64_t uset[3], uint64_t deadline)
{
    struct process *p = proc_current();
    struct fdsets s;
    uint64_t *mem;
    size_t bytes;
    long rc;
    int k, n;

    if (nfds < 0)
        return -EINVAL;
    /* Linux cuts nfds to the descriptor table's size (max_fds). */
    n = nfds > (long)p->fd_cap ? (int)p->fd_cap : (int)nfds;
    s.words = ((unsigned int)n + 63) / 64;
    bytes = s.words * sizeof(uint64_t);  /* whole longs, as Linux copies them */
    mem = kzalloc(6 * bytes + 1);
    if (!mem)
        return -ENOMEM;
    for (k = 0; k < 3; k++) {
        s.in[k] = mem + k * s.words;
        s.out[k] = mem + (3 + k) * s.words;
    }
    rc = 0;
    for (k = 0; k < 3 && !rc; k++)
        if (uset[k] && uspace_copy_from(&p->us, s.in[k], uset[k], bytes))
            rc = -EFAULT;
    if (rc)
        goto out;
    if (n % 64)
        for (k = 0; k < 3; k++)
            s.in[k][s.words - 1] &= (1UL << (n % 64)) - 1;
    for (;;) {
        rc = select_scan(p, &s, n);
        if (rc || !deadline)
            break;
        rc = poll_sleep(deadline);
        if (rc == -ETIMEDOUT) {
            rc = select_scan(p, &s, n);
            break;
        }
        if (rc)
            goto out;                   /* a signal */
    }
    if (rc < 0)
        goto out;
    for (k = 0; k < 3; k++)
        if (uset[k] && uspace_copy_to(&p->us, uset[k], s.out[k], bytes))
            rc = -EFAULT;
out:
    kfree(mem);
    return rc;
}

long sys_select(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t sets[3] = { (uint64_t)a1, (uint64_t)a2, (uint64_t)a3 }, deadline = NO_DEADLINE;
    struct linux_timeval tv;
    long rc;

    if (a4) {
        if (uspace_copy_from(&p->us, &tv, a4, sizeof(tv)))
            return -EFAULT;
        if (tv.tv_sec < 0 || tv.tv_usec < 0)
            return -EINVAL;
        /* Linux folds usec >= 1e6 into seconds for select. */
        tv.tv_sec += tv.tv_usec / 1000000;
        tv.tv_usec %= 1000000;
        if (!tv.tv_sec && !tv.tv_usec)
            deadline = 0;
        else if ((uint64_t)tv.tv_sec >= NO_DEADLINE / NSEC_PER_SEC / 2)
            deadline = NO_DEADLINE - 1;
        else
            deadline = deadline_in((uint64_t)tv.tv_sec * NSEC_PER_SEC +
                                   (uint64_t)tv.tv_usec * NSEC_PER_USEC);
    }
    rc = do_select(a0, sets, deadline);
    if (a4 && deadline) {
        uint64_t left = time_left(deadline);

        tv.tv_sec = (int64_t)(left / NSEC_PER_SEC);
        tv.tv_usec = (int64_t)(left % NSEC_PER_SEC / NSEC_PER_USEC);
        uspace_copy_to(&p->us, a4, &tv, sizeof(tv));
    }
    return rc;
}

long sys_pselect6(SYSCALL_ARGS)
{
    struct process *p = proc_current();
    uint64_t sets[3] = { (uint64_t)a1, (uint64_t)a2, (uint64_t)a3 }, deadline, saved;
    struct { uint64_t set, size; } sig = { 0, 0 };
    long rc = ts_deadline(p, a4, &deadline);

    if (rc)
        return rc;
    if (a5 && uspace_copy_from(&p->us, &sig, a5, sizeof(sig)))
        return -EFAULT;
    rc = mask_swap(p, sig.set, sig.size, &saved);
    if (rc)
        return rc;
    rc = do_select(a0, sets, deadline);
    mask_restore(p, sig.set, saved, rc);
    ts_write_back(p, a4, deadline);
    return rc;
}
