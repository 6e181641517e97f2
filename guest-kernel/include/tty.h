/* SPDX-License-Identifier: MIT */
/*
 * tty.h - the console as a Linux tty: the line discipline (termios,
 *         canonical editing, echo, signal characters, raw mode) and the
 *         console device around it.
 * Owns:    struct tty_ldisc and its API (kernel/tty_ldisc.c: the pure
 *          core, no hypervisor and no process inside, compiled on the host
 *          by tests/unit/test_gk_tty.c); the console tty's API
 *          (kernel/tty.c: the glue: console input from VIRQ_CONSOLE, the
 *          wait queue, the ioctls, the controlling terminal); termios and
 *          tty ioctl constants with Linux's values.
 * Touches: nothing (declarations).
 *
 * The core is fed input bytes (tty_ldisc_receive) and asked for readable
 * data (tty_ldisc_read); what it echoes and what writes become after
 * output processing leave through ops->out, and the signal characters
 * through ops->signal.  Everything is Linux's n_tty, in the subset a
 * console needs (see kernel/tty_ldisc.c's head comment).
 */
#ifndef TTY_H
#define TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi.h>

#include <signal.h>             /* SIGTSTP, VSUSP's signal */

/* c_cc indexes (asm-generic/termbits.h) */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSWTC 7
#define VSTART 8
#define VSTOP 9
#define VSUSP 10
#define VEOL 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE 14
#define VLNEXT 15
#define VEOL2 16

/* c_iflag */
#define IGNBRK  0000001
#define BRKINT  0000002
#define ISTRIP  0000040
#define INLCR   0000100
#define IGNCR   0000200
#define ICRNL   0000400
#define IXON    0002000
#define IXANY   0004000
#define IXOFF   0010000
#define IUTF8   0040000
/* c_oflag */
#define OPOST   0000001
#define ONLCR   0000004
#define OCRNL   0000010
#define ONOCR   0000020
#define ONLRET  0000040
/* c_cflag */
#define B38400  0000017
#define CS8     0000060
#define CREAD   0000200
#define HUPCL   0002000
/* c_lflag */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE  0004000
#define IEXTEN  0100000

/* tty ioctls (asm-generic/ioctls.h); TCGETS and TIOCGWINSZ are in uapi.h */
#define TCSETS      0x5402
#define TCSETSW     0x5403
#define TCSETSF     0x5404
#define TCXONC      0x540A
#define TCFLSH      0x540B
#define TIOCSCTTY   0x540E
#define TIOCGPGRP   0x540F
#define TIOCSPGRP   0x5410
#define TIOCOUTQ    0x5411
#define TIOCSWINSZ  0x5414
#define FIONREAD    0x541B
#define TIOCNOTTY   0x5422
#define TIOCGSID    0x5429
#define FIONBIO     0x5421      /* these three: any descriptor (sys_fs.c) */
#define FIONCLEX    0x5450
#define FIOCLEX     0x5451
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

/* Linux's N_TTY_BUF_SIZE: the input queue; a canonical line holds at most
 * one byte less (room is kept for its end). */
#define TTY_BUF_SIZE 4096
/* The console's window (TIOCGWINSZ) until someone sets one: a serial line
 * has no size; 80x24 is the VT100's and what most terminals start with. */
#define TTY_DEFAULT_ROWS 24
#define TTY_DEFAULT_COLS 80

struct tty_ldisc_ops {
    /* Bytes for the terminal: echo, and writes after output processing. */
    void (*out)(void *ctx, const char *s, size_t len);
    /* A signal character under ISIG: SIGINT, SIGQUIT or SIGTSTP. */
    void (*signal)(void *ctx, int sig);
};

struct tty_ldisc {
    struct linux_termios termios;
    const struct tty_ldisc_ops *ops;
    void *ctx;
    /* The input queue, Linux's layout: free-running indexes into buf;
     * [read_tail, canon_head) is readable (whole lines in canonical mode),
     * [canon_head, head) the line being edited (empty in raw mode).  A
     * byte whose eol mark is set ends a line: 1 the byte is read (NL,
     * VEOL, VEOL2), 2 it is not (VEOF: a line with no end, an empty one
     * is end of file). */
    uint8_t buf[TTY_BUF_SIZE];
    uint8_t eol[TTY_BUF_SIZE];
    uint32_t read_tail, canon_head, head;
    bool lnext;                 /* the next byte is literal (VLNEXT) */
    bool stopped;               /* IXON: VSTOP seen (output is not held) */
    /* Output column, for erasing a tab; canon_column: where the line
     * being edited began. */
    unsigned int column, canon_column;
};

/* Linux's defaults (termios above; c_cc ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1,
 * ^Q ^S ^Z, ^R ^O ^W ^V). */
void tty_ldisc_init(struct tty_ldisc *ld, const struct tty_ldisc_ops *ops, void *ctx);
void tty_termios_default(struct linux_termios *t);
/* TCSETS*: take t.  Leaving canonical mode makes the line being edited
 * readable; entering it keeps what is readable as one more line. */
void tty_ldisc_set_termios(struct tty_ldisc *ld, const struct linux_termios *t);
/* Bytes arrived from the terminal. */
void tty_ldisc_receive(struct tty_ldisc *ld, const char *s, size_t len);
/* What read may return now: canonical, a whole line is there (or an end
 * of file); raw, a byte is. */
bool tty_ldisc_readable(const struct tty_ldisc *ld);
/* Readable bytes (FIONREAD: canonical, those of whole lines). */
size_t tty_ldisc_avail(const struct tty_ldisc *ld);
/* Take up to len readable bytes into buf: canonical, at most one line
 * (its delimiter included, VEOF's not); raw, what there is.  0 in
 * canonical mode with an end-of-file mark taken = end of file.  *eof says
 * which 0 it was. */
size_t tty_ldisc_read(struct tty_ldisc *ld, char *buf, size_t len, bool *eof);
/* TCFLSH input / the signal characters' flush: drop everything queued. */
void tty_ldisc_flush(struct tty_ldisc *ld);
/* Write len bytes to the terminal through output processing (OPOST). */
void tty_ldisc_write(struct tty_ldisc *ld, const char *s, size_t len);

/* ---- the console tty (kernel/tty.c) ---- */
struct process;
struct file;
/* read/write/ioctl on a console descriptor (sys_fs.c dispatches here). */
long tty_read(struct process *p, struct file *f, uint64_t buf, uint64_t len);
long tty_write(struct process *p, struct file *f, uint64_t buf, uint64_t len);
long tty_ioctl(struct process *p, struct file *f, unsigned long cmd, uint64_t arg);
/* poll: POLLIN | POLLRDNORM when a read would not wait; always writable. */
unsigned int tty_poll_events(void);
/* The console's input wait queue (poll.c sleeps on it too). */
struct wait_queue *tty_wait_queue(void);
/* The console was opened (the tty made, its input started; as Linux for
 * /dev/console and /dev/tty, it does not become a controlling tty). */
void tty_open(struct process *p, int flags);
/* Console input: bind VIRQ_CONSOLE if not yet (0 or -XEN_E*).  Input goes
 * to the line discipline, or to hook while one is set (keywait.c). */
long tty_input_start(void);
typedef void (*tty_input_hook_t)(const char *s, size_t len);
void tty_set_input_hook(tty_input_hook_t hook);
/* Take the VIRQ_CONSOLE binding away again (keywait's own binding). */
void tty_input_stop(void);
bool tty_input_running(void);

#endif /* TTY_H */
