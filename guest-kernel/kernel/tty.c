/* SPDX-License-Identifier: MIT */
/*
 * tty.c - the console tty: console input into the line discipline, the
 *         blocking read, writes through output processing, the tty
 *         ioctls, the controlling terminal and its foreground group.
 * Owns:    the one console tty (its struct tty_ldisc, input wait queue,
 *          window size, session and foreground process group), the
 *          VIRQ_CONSOLE binding and the input hook keywait.c uses.
 * Touches: evtchn_bind_virq/evtchn_close (VIRQ_CONSOLE on vCPU 0), a
 *          kernel timer (a domU's input), arch_is_initial_domain(),
 *          pv_ops.console_read/console_write, wait queues (wait.h) and
 *          poll_wake() (poll.h), signal_send_pgrp() for the signal
 *          characters, proc_next() for sessions, user copies (mm.h).  sys_fs.c sends a console
 *          descriptor's read, write and ioctl here.
 *
 * Input: the hypervisor queues bytes typed on its serial line for dom0
 * and raises VIRQ_CONSOLE (Xen and pvisor alike); the handler, in the
 * upcall, drains them with console_read into the line discipline, which
 * echoes at once, and wakes readers and pollers.  The VIRQ is bound the
 * first time anything touches the console (init's first write, at the
 * latest), and what was typed before is drained then.  A domU has no
 * VIRQ_CONSOLE: its input is the console ring's `in` side, whose channel
 * pv/xen_console.c keeps for its own polling (output room), so the tty
 * looks at the ring every TTY_POLL_NS from a kernel timer instead (while
 * timers run: while processes do).
 *
 * A read sleeps until the line discipline says (tty_ldisc_readable):
 * canonical, a whole line or an end of file; raw, VMIN/VTIME as Linux's
 * n_tty_read: VMIN=0 VTIME=0 returns at once, VMIN>0 VTIME=0 waits for
 * min(VMIN, count) bytes, VMIN=0 VTIME>0 waits up to VTIME tenths of a
 * second for one byte, VMIN>0 VTIME>0 waits for the first byte and then
 * until VMIN bytes or VTIME without a new one.  O_NONBLOCK answers
 * -EAGAIN instead of waiting; a signal that interrupts the wait answers
 * -ERESTARTSYS (restarted under SA_RESTART, else -EINTR; bytes already
 * taken are returned).
 *
 * Signal characters (ISIG): ^C sends SIGINT and ^\ SIGQUIT to every live
 * process of the foreground group.  ^Z (VSUSP) is echoed "^Z" and the
 * queue flushed as Linux does, but no SIGTSTP is sent: there is no job
 * control, so it is ignored cleanly rather than stopping the shell's
 * child forever.
 *
 * The controlling terminal: there is one tty, so a process has it when
 * its session is the tty's.  As on Linux, no session has it at boot
 * (init's console is opened without making it a controlling terminal,
 * and opening /dev/console or /dev/tty never makes it one); a session
 * leader without one takes it with TIOCSCTTY (from another session only
 * with arg 1, always allowed: one user, root).  TIOCNOTTY by the leader
 * gives it up (SIGHUP and SIGCONT to the foreground group, as Linux), and
 * so does the leader's end (noticed at the next ioctl).  TIOCNOTTY by
 * another member answers 0 but changes nothing (a process has no
 * per-process terminal field).  Unlike Linux, while no session has the
 * console the signal characters go to init's group (1): a test program
 * run as init, or its children, can be interrupted with ^C before
 * anything takes the terminal (on Linux they would go nowhere).  No
 * SIGTTIN/SIGTTOU: background groups read and write as the foreground one.
 */
#include <kernel.h>
#include <evtchn.h>
#include <poll.h>
#include <proc.h>
#include <signal.h>
#include <time.h>
#include <tty.h>
#include <asm/pvops.h>

#define INIT_PGRP 1             /* the foreground group while no session has it */
#define TTY_CHUNK 256           /* bytes copied per step of a write */
#define TIME_UNIT_NS (100 * NSEC_PER_MSEC)  /* VTIME counts tenths of a second */
#define TTY_POLL_NS (20 * NSEC_PER_MSEC)    /* a domU's ring: typing speed, not less */

static struct {
    bool ready;
    struct tty_ldisc ld;
    struct wait_queue rwait;    /* readers waiting for input */
    struct linux_winsize ws;
    int session;                /* the controlling session; 0: none */
    int pgrp;                   /* the foreground group; 0: none */
} con;

static long input_port;         /* VIRQ_CONSOLE's port; 0: not bound */
static struct timer input_timer;    /* a domU's: looks at the ring */
static tty_input_hook_t input_hook;
static char read_buf[TTY_BUF_SIZE];

static void con_out(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    pv_ops.console_write(s, len);
}

static void signal_group(int pgrp, int sig)
{
    if (pgrp)
        signal_send_pgrp(pgrp, sig);
}

static void con_signal(void *ctx, int sig)
{
    (void)ctx;
    if (sig == SIGTSTP)
        return;                 /* no job control: ^Z is ignored (head comment) */
    signal_group(con.pgrp, sig);
}

static const struct tty_ldisc_ops con_ops = { .out = con_out, .signal = con_signal };

static void tty_setup(void)
{
    if (con.ready)
        return;
    tty_ldisc_init(&con.ld, &con_ops, NULL);
    wait_init(&con.rwait);
    con.ws = (struct linux_winsize){ .ws_row = TTY_DEFAULT_ROWS, .ws_col = TTY_DEFAULT_COLS };
    con.session = 0;            /* nobody's, as Linux's console at boot */
    con.pgrp = INIT_PGRP;
    con.ready = true;
}

/* ---- input ---- */

static void input_arrived(unsigned int port, void *arg)
{
    char b[64];
    long n;

    (void)port;
    (void)arg;
    /* One event may stand for several bytes, or for none left. */
    while ((n = pv_ops.console_read(b, sizeof(b))) > 0) {
        if (input_hook)
            input_hook(b, (size_t)n);
        else
            tty_ldisc_receive(&con.ld, b, (size_t)n);
    }
    wait_wake_all(&con.rwait);
    poll_wake();
}

static void input_tick(struct timer *t, void *arg)
{
    input_arrived(0, arg);
    timer_arm(t, clock_ns() + TTY_POLL_NS, input_tick, NULL);
}

long tty_input_start(void)
{
    long port;

    tty_setup();
    if (input_port || input_timer.armed)
        return 0;
    if (!arch_is_initial_domain()) {
        long rc = timer_arm(&input_timer, clock_ns() + TTY_POLL_NS, input_tick, NULL);

        if (rc)
            return rc;          /* no timers yet: the next touch tries again */
        input_arrived(0, NULL);
        return 0;
    }
    port = evtchn_bind_virq(EVTCHN_VIRQ_CONSOLE, 0, input_arrived, NULL);
    if (port < 0)
        return port;
    input_port = port;
    input_arrived(0, NULL);     /* what was typed before: no event for it */
    return 0;
}

void tty_input_stop(void)
{
    if (input_port)
        evtchn_close((unsigned int)input_port);
    input_port = 0;
    timer_cancel(&input_timer);
}

bool tty_input_running(void)
{
    return input_port != 0 || input_timer.armed;
}

void tty_set_input_hook(tty_input_hook_t hook)
{
    input_hook = hook;
}

/* Every console operation: the tty made, input flowing. */
static void tty_touch(void)
{
    static bool warned;
    long rc = tty_input_start();

    if (rc && !warned && arch_is_initial_domain()) {
        warned = true;
        printk("tty: no console input (VIRQ_CONSOLE: %ld)\n", rc);
    }
}

struct wait_queue *tty_wait_queue(void)
{
    tty_setup();
    return &con.rwait;
}

/* ---- read, write, poll ---- */

/* Raw mode: can the read end now?  (n_tty_read's loop condition.) */
static long read_raw(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    const uint8_t *cc = con.ld.termios.c_cc;
    uint64_t time = cc[VTIME] * TIME_UNIT_NS, deadline = 0, done = 0;
    uint64_t minimum = cc[VMIN] ? MIN((uint64_t)cc[VMIN], len) : 1;

    if (!cc[VMIN] && time)
        deadline = clock_ns() + time;       /* one byte, or this long */
    for (;;) {
        long rc;

        if (tty_ldisc_readable(&con.ld)) {
            bool eof;
            size_t n = tty_ldisc_read(&con.ld, read_buf, MIN(len - done, sizeof(read_buf)),
                                      &eof);

            if (uspace_copy_to(&p->us, buf + done, read_buf, n))
                return done ? (long)done : -EFAULT;
            done += n;
            if (n && cc[VMIN] && time)
                deadline = clock_ns() + time;   /* the inter-byte timer */
        }
        if (done >= minimum || done >= len)
            break;
        if (!cc[VMIN] && !time)
            break;                          /* VMIN=0 VTIME=0: what there is */
        if (f->flags & O_NONBLOCK)
            return done ? (long)done : -EAGAIN;
        rc = wait_sleep_until(&con.rwait, deadline);
        if (rc == -ETIMEDOUT)
            break;
        if (rc)                 /* a signal: restarted or -EINTR (signal.h) */
            return done ? (long)done : rc == -EINTR ? -ERESTARTSYS : rc;
    }
    return (long)done;
}

long tty_read(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    tty_touch();
    if (!len)
        return 0;
    if (!(con.ld.termios.c_lflag & ICANON))
        return read_raw(p, f, buf, len);
    for (;;) {
        long rc;

        if (tty_ldisc_readable(&con.ld)) {
            bool eof;
            size_t n = tty_ldisc_read(&con.ld, read_buf, MIN(len, sizeof(read_buf)), &eof);

            if (uspace_copy_to(&p->us, buf, read_buf, n))
                return -EFAULT;
            return (long)n;                 /* 0: ^D, end of file */
        }
        if (f->flags & O_NONBLOCK)
            return -EAGAIN;
        rc = wait_sleep(&con.rwait);
        if (rc)                 /* a signal: restarted or -EINTR (signal.h) */
            return rc == -EINTR ? -ERESTARTSYS : rc;
    }
}

long tty_write(struct process *p, struct file *f, uint64_t buf, uint64_t len)
{
    char chunk[TTY_CHUNK];
    uint64_t done = 0;

    (void)f;
    tty_touch();
    while (done < len) {
        size_t n = MIN(len - done, sizeof(chunk));

        if (uspace_copy_from(&p->us, chunk, buf + done, n))
            return done ? (long)done : -EFAULT;
        tty_ldisc_write(&con.ld, chunk, n);
        done += n;
    }
    return (long)done;
}

unsigned int tty_poll_events(void)
{
    const struct linux_termios *t = &con.ld.termios;
    unsigned int ev = POLLOUT | POLLWRNORM;

    tty_touch();
    /* Raw with VMIN and no VTIME: readable once VMIN bytes are (Linux's
     * input_available_p for poll). */
    if (!(t->c_lflag & ICANON) && t->c_cc[VMIN] && !t->c_cc[VTIME]) {
        if (tty_ldisc_avail(&con.ld) >= t->c_cc[VMIN])
            ev |= POLLIN | POLLRDNORM;
    } else if (tty_ldisc_readable(&con.ld)) {
        ev |= POLLIN | POLLRDNORM;
    }
    return ev;
}

/* ---- the controlling terminal ---- */

/* As Linux clears a tty's session when its leader exits: a session whose
 * leader is gone has no terminal any more. */
static void ctty_refresh(void)
{
    struct process *q;

    if (!con.session)
        return;
    for (q = proc_next(NULL); q; q = proc_next(q))
        if (q->pid == con.session && q->sid == con.session && q->state != PROC_ZOMBIE)
            return;
    con.session = 0;
    con.pgrp = INIT_PGRP;
}

static bool is_ctty(const struct process *p)
{
    return con.session && p->sid == con.session;
}

static void take_ctty(struct process *p)
{
    con.session = p->sid;
    con.pgrp = p->pgid;
}

void tty_open(struct process *p, int flags)
{
    (void)p;
    (void)flags;                /* 5:0 and 5:1 never become one (Linux's noctty) */
    tty_touch();
}

static bool session_has_pgrp(int sid, int pgrp, bool *exists)
{
    struct process *q;

    *exists = false;
    for (q = proc_next(NULL); q; q = proc_next(q)) {
        if (q->pgid != pgrp || q->state == PROC_ZOMBIE)
            continue;
        *exists = true;
        if (q->sid == sid)
            return true;
    }
    return false;
}

static long set_termios(struct process *p, uint64_t arg, bool flush)
{
    struct linux_termios t;

    if (uspace_copy_from(&p->us, &t, arg, sizeof(t)))
        return -EFAULT;
    if (flush)
        tty_ldisc_flush(&con.ld);
    tty_ldisc_set_termios(&con.ld, &t);
    /* Raw mode or a flush can make a read or poll answer differently. */
    wait_wake_all(&con.rwait);
    poll_wake();
    return 0;
}

static long put_int(struct process *p, uint64_t arg, int v)
{
    return uspace_copy_to(&p->us, arg, &v, sizeof(v)) ? -EFAULT : 0;
}

long tty_ioctl(struct process *p, struct file *f, unsigned long cmd, uint64_t arg)
{
    (void)f;
    tty_touch();
    ctty_refresh();
    switch (cmd) {
    case TCGETS:
        return uspace_copy_to(&p->us, arg, &con.ld.termios, sizeof(con.ld.termios))
               ? -EFAULT : 0;
    case TCSETS:
    case TCSETSW:               /* output is never queued: nothing to drain */
        return set_termios(p, arg, false);
    case TCSETSF:
        return set_termios(p, arg, true);
    case TIOCGWINSZ:
        return uspace_copy_to(&p->us, arg, &con.ws, sizeof(con.ws)) ? -EFAULT : 0;
    case TIOCSWINSZ: {
        struct linux_winsize ws;

        if (uspace_copy_from(&p->us, &ws, arg, sizeof(ws)))
            return -EFAULT;
        if (memcmp(&ws, &con.ws, sizeof(ws))) {
            con.ws = ws;
            signal_group(con.pgrp, SIGWINCH);
        }
        return 0;
    }
    case FIONREAD:
        return put_int(p, arg, (int)tty_ldisc_avail(&con.ld));
    case TIOCOUTQ:
        return put_int(p, arg, 0);  /* written at once */
    case TCFLSH:
        if (arg > TCIOFLUSH)
            return -EINVAL;
        if (arg != TCOFLUSH)
            tty_ldisc_flush(&con.ld);
        return 0;
    case TCXONC:
        return arg > 3 ? -EINVAL : 0;   /* TCOOFF..TCION: output is never held */
    case TIOCGPGRP:
        if (!is_ctty(p))
            return -ENOTTY;
        return put_int(p, arg, con.pgrp);
    case TIOCSPGRP: {
        int pgrp;
        bool exists;

        if (!is_ctty(p))
            return -ENOTTY;
        if (uspace_copy_from(&p->us, &pgrp, arg, sizeof(pgrp)))
            return -EFAULT;
        if (pgrp < 0)
            return -EINVAL;
        if (!session_has_pgrp(p->sid, pgrp, &exists))
            return exists ? -EPERM : -ESRCH;
        con.pgrp = pgrp;
        return 0;
    }
    case TIOCGSID:
        if (!is_ctty(p))
            return -ENOTTY;
        return put_int(p, arg, con.session);
    case TIOCSCTTY:
        if (p->sid == p->pid && con.session == p->sid)
            return 0;               /* already ours */
        if (p->sid != p->pid || is_ctty(p))
            return -EPERM;          /* not a leader, or has one already */
        if (con.session && arg != 1)
            return -EPERM;          /* another session's; arg 1 steals (root) */
        take_ctty(p);
        return 0;
    case TIOCNOTTY:
        if (!is_ctty(p))
            return -ENOTTY;
        if (p->sid == p->pid) {
            int pgrp = con.pgrp;

            con.session = 0;
            con.pgrp = INIT_PGRP;
            signal_group(pgrp, SIGHUP);
            signal_group(pgrp, SIGCONT);
        }
        return 0;
    }
    return -ENOTTY;
}
