/* SPDX-License-Identifier: MIT */
/*
 * tty_ldisc.c - the line discipline: what Linux's n_tty does with the
 *               bytes typed on a terminal and the bytes written to it.
 * Owns:    struct tty_ldisc's queue, termios and echo state (include/tty.h).
 * Touches: nothing but its ops (out, signal): no hypervisor call, no
 *          process, no lock, so tests/unit/test_gk_tty.c runs it on the
 *          host.  kernel/tty.c feeds it console input and sleeps for it.
 *
 * Linux's behaviour, character by character (n_tty.c's receive path):
 *   ISTRIP, then VLNEXT's literal byte, then IXON (VSTART/VSTOP are
 *   swallowed; output is never actually held: the console cannot be
 *   stopped, and nothing else waits on it), then ISIG: VINTR, VQUIT,
 *   VSUSP flush the input queue (unless NOFLSH), are echoed (ECHOCTL:
 *   "^C") and reported through ops->signal; then IGNCR/ICRNL/INLCR.
 *   Canonical (ICANON): VERASE erases a character, VWERASE (IEXTEN) a
 *   word (Linux's rule: back over non-alphanumerics, then over
 *   alphanumerics and '_'), VKILL the line (ECHOKE: erased on the screen
 *   character by character, else the kill character echoed and, with
 *   ECHOK, a newline); VLNEXT echoes "^\b"; VREPRINT echoes itself, a
 *   newline and the line; NL, VEOL, VEOL2 end a line (the delimiter is
 *   read); VEOF ends it without being read or echoed, so at the start of
 *   a line it makes read return 0 (end of file) and in the middle returns
 *   the partial line.  Only VERASE erases (0x08 is an ordinary control
 *   character unless VERASE says otherwise, as Linux).  A line holds at
 *   most TTY_BUF_SIZE - 1 bytes; more are dropped, the delimiter still
 *   fits.
 *   Raw (no ICANON): every byte is readable at once; VMIN and VTIME are
 *   the reader's business (kernel/tty.c).
 *   Echo (ECHO; ECHONL echoes the newline alone): control characters as
 *   "^X" with ECHOCTL, except TAB and the newline that ends a line;
 *   erasing a character is "\b \b" (twice for a "^X"), a tab goes back to
 *   the column it started at.
 *   A cc value of 0 disables that character (_POSIX_VDISABLE, as Linux
 *   clears NUL from its map of special characters).
 * Output (OPOST): ONLCR NL -> CR NL, OCRNL CR -> NL, ONOCR no CR at column
 *   0, ONLRET NL also returns; the column is tracked for the tab erase.
 */
#include <kernel.h>
#include <tty.h>

#define MASK(i) ((i) & (TTY_BUF_SIZE - 1))
#define CTRL(c) ((c) & 0x1f)
#define EOL_READ 1          /* eol[]: a delimiter that read returns */
#define EOL_EOF  2          /* ... that it does not (VEOF) */
#define OUT_CHUNK 64

static bool is_cntrl(uint8_t c) { return c < 0x20 || c == 0x7f; }
static bool is_alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

void tty_termios_default(struct linux_termios *t)
{
    static const uint8_t cc[19] = {
        [VINTR] = CTRL('C'), [VQUIT] = CTRL('\\'), [VERASE] = 0x7f, [VKILL] = CTRL('U'),
        [VEOF] = CTRL('D'), [VTIME] = 0, [VMIN] = 1, [VSWTC] = 0, [VSTART] = CTRL('Q'),
        [VSTOP] = CTRL('S'), [VSUSP] = CTRL('Z'), [VEOL] = 0, [VREPRINT] = CTRL('R'),
        [VDISCARD] = CTRL('O'), [VWERASE] = CTRL('W'), [VLNEXT] = CTRL('V'), [VEOL2] = 0,
    };

    memset(t, 0, sizeof(*t));
    t->c_iflag = ICRNL | IXON;
    t->c_oflag = OPOST | ONLCR;
    t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
    t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    memcpy(t->c_cc, cc, sizeof(cc));
}

void tty_ldisc_init(struct tty_ldisc *ld, const struct tty_ldisc_ops *ops, void *ctx)
{
    memset(ld, 0, sizeof(*ld));
    ld->ops = ops;
    ld->ctx = ctx;
    tty_termios_default(&ld->termios);
}

/* ---- output ---- */

struct outbuf {
    struct tty_ldisc *ld;
    char b[OUT_CHUNK];
    size_t n;
};

static void ob_flush(struct outbuf *o)
{
    if (o->n && o->ld->ops && o->ld->ops->out)
        o->ld->ops->out(o->ld->ctx, o->b, o->n);
    o->n = 0;
}

static void ob_raw(struct outbuf *o, char c)
{
    if (o->n == sizeof(o->b))
        ob_flush(o);
    o->b[o->n++] = c;
}

/* One byte through OPOST, the column kept (Linux's do_output_char). */
static void ob_put(struct outbuf *o, uint8_t c)
{
    struct tty_ldisc *ld = o->ld;
    uint32_t of = ld->termios.c_oflag;

    if (!(of & OPOST)) {
        ob_raw(o, (char)c);
        return;
    }
    switch (c) {
    case '\n':
        if (of & ONLRET)
            ld->column = 0;
        if (of & ONLCR) {
            ld->column = 0;
            ob_raw(o, '\r');
        }
        break;
    case '\r':
        if ((of & ONOCR) && ld->column == 0)
            return;
        if (of & OCRNL) {
            c = '\n';
            if (of & ONLRET)
                ld->column = 0;
            break;
        }
        ld->column = 0;
        break;
    case '\t':
        ld->column = (ld->column | 7) + 1;
        break;
    case '\b':
        if (ld->column)
            ld->column--;
        break;
    default:
        if (!is_cntrl(c))
            ld->column++;
    }
    ob_raw(o, (char)c);
}

static void ob_str(struct outbuf *o, const char *s)
{
    while (*s)
        ob_put(o, (uint8_t)*s++);
}

void tty_ldisc_write(struct tty_ldisc *ld, const char *s, size_t len)
{
    struct outbuf o = { .ld = ld };
    size_t i;

    for (i = 0; i < len; i++)
        ob_put(&o, (uint8_t)s[i]);
    ob_flush(&o);
}

/* Echo c as the user typed it: "^X" for a control character under
 * ECHOCTL (TAB excepted). */
static void echo_char(struct outbuf *o, uint8_t c)
{
    if ((o->ld->termios.c_lflag & ECHOCTL) && is_cntrl(c) && c != '\t') {
        ob_put(o, '^');
        ob_put(o, c ^ 0x40);
    } else {
        ob_put(o, c);
    }
}

/* ---- the input queue ---- */

static uint32_t queued(const struct tty_ldisc *ld) { return ld->head - ld->read_tail; }

static void put(struct tty_ldisc *ld, uint8_t c, uint8_t eol)
{
    ld->buf[MASK(ld->head)] = c;
    ld->eol[MASK(ld->head)] = eol;
    ld->head++;
}

void tty_ldisc_flush(struct tty_ldisc *ld)
{
    ld->read_tail = ld->canon_head = ld->head = 0;
    ld->lnext = false;
}

static bool is_cc(const struct tty_ldisc *ld, uint8_t c, int which)
{
    uint8_t v = ld->termios.c_cc[which];

    return v && v == c;         /* 0: disabled */
}

/* The column the line being edited reaches just before index end. */
static unsigned int column_at(const struct tty_ldisc *ld, uint32_t end)
{
    unsigned int col = ld->canon_column;
    uint32_t i;

    for (i = ld->canon_head; i != end; i++) {
        uint8_t c = ld->buf[MASK(i)];

        if (c == '\t')
            col = (col | 7) + 1;
        else if (is_cntrl(c))
            col += (ld->termios.c_lflag & ECHOCTL) ? 2 : 0;
        else
            col++;
    }
    return col;
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* VERASE, VWERASE, VKILL (Linux's eraser()). */
static void erase(struct tty_ldisc *ld, struct outbuf *o, uint8_t kc, enum erase_kind kind)
{
    uint32_t lf = ld->termios.c_lflag;
    unsigned int alnums = 0;

    if (ld->head == ld->canon_head)
        return;
    if (kind == ERASE_LINE) {
        if (!(lf & ECHO)) {
            ld->head = ld->canon_head;
            return;
        }
        if (!(lf & ECHOK) || !(lf & ECHOKE) || !(lf & ECHOE)) {
            ld->head = ld->canon_head;
            echo_char(o, kc);
            if (lf & ECHOK)
                ob_put(o, '\n');
            return;
        }
    }
    while (ld->head != ld->canon_head) {
        uint8_t c = ld->buf[MASK(ld->head - 1)];

        if (kind == ERASE_WORD) {
            if (is_alnum(c) || c == '_')
                alnums++;
            else if (alnums)
                break;
        }
        ld->head--;
        if (lf & ECHO) {
            if (kind == ERASE_CHAR && !(lf & ECHOE)) {
                echo_char(o, kc);
            } else if (c == '\t') {
                unsigned int col = column_at(ld, ld->head);

                while (ld->column > col)
                    ob_put(o, '\b');
            } else {
                if (is_cntrl(c) && (lf & ECHOCTL))
                    ob_str(o, "\b \b");
                if (!is_cntrl(c) || (lf & ECHOCTL))
                    ob_str(o, "\b \b");
            }
        }
        if (kind == ERASE_CHAR)
            break;
    }
}

/* A delimiter: the line so far becomes readable. */
static void end_line(struct tty_ldisc *ld, uint8_t c, uint8_t eol)
{
    put(ld, c, eol);
    ld->canon_head = ld->head;
}

static void receive_one(struct tty_ldisc *ld, struct outbuf *o, uint8_t c)
{
    const struct linux_termios *t = &ld->termios;
    uint32_t lf = t->c_lflag, inf = t->c_iflag;
    bool canon = lf & ICANON, from_cr = false;

    if (inf & ISTRIP)
        c &= 0x7f;
    if (ld->lnext) {
        ld->lnext = false;
        goto ordinary;
    }
    if (inf & IXON) {
        if (is_cc(ld, c, VSTOP)) {
            ld->stopped = true;
            return;
        }
        if (is_cc(ld, c, VSTART)) {
            ld->stopped = false;
            return;
        }
    }
    if (lf & ISIG) {
        int sig = is_cc(ld, c, VINTR) ? SIGINT : is_cc(ld, c, VQUIT) ? SIGQUIT
                : is_cc(ld, c, VSUSP) ? SIGTSTP : 0;

        if (sig) {
            if (!(lf & NOFLSH))
                tty_ldisc_flush(ld);
            ld->stopped = false;
            if (lf & ECHO)
                echo_char(o, c);
            ob_flush(o);        /* the echo before whatever the signal does */
            if (ld->ops && ld->ops->signal)
                ld->ops->signal(ld->ctx, sig);
            return;
        }
    }
    if (c == '\r') {
        if (inf & IGNCR)
            return;
        if (inf & ICRNL) {
            c = '\n';
            from_cr = true;
        }
    } else if (c == '\n' && (inf & INLCR)) {
        c = '\r';
    }
    if (canon) {
        if (is_cc(ld, c, VERASE)) {
            erase(ld, o, c, ERASE_CHAR);
            return;
        }
        if (is_cc(ld, c, VKILL)) {
            erase(ld, o, c, ERASE_LINE);
            return;
        }
        if ((lf & IEXTEN) && is_cc(ld, c, VWERASE)) {
            erase(ld, o, c, ERASE_WORD);
            return;
        }
        if ((lf & IEXTEN) && is_cc(ld, c, VLNEXT)) {
            ld->lnext = true;
            if (lf & ECHO) {
                ob_put(o, '^');
                ob_put(o, '\b');
            }
            return;
        }
        if ((lf & IEXTEN) && (lf & ECHO) && is_cc(ld, c, VREPRINT)) {
            uint32_t i;

            echo_char(o, c);
            ob_put(o, '\n');
            ld->canon_column = ld->column;
            for (i = ld->canon_head; i != ld->head; i++)
                echo_char(o, ld->buf[MASK(i)]);
            return;
        }
        if (c == '\n') {
            if (queued(ld) >= TTY_BUF_SIZE)
                return;
            if (lf & (ECHO | ECHONL))
                ob_put(o, '\n');
            end_line(ld, c, EOL_READ);
            return;
        }
        if (is_cc(ld, c, VEOF)) {
            if (queued(ld) >= TTY_BUF_SIZE)
                return;
            end_line(ld, c, EOL_EOF);
            return;
        }
        if (is_cc(ld, c, VEOL) || ((lf & IEXTEN) && is_cc(ld, c, VEOL2))) {
            if (queued(ld) >= TTY_BUF_SIZE)
                return;
            if (lf & ECHO) {
                if (ld->head == ld->canon_head)
                    ld->canon_column = ld->column;
                echo_char(o, c);
            }
            end_line(ld, c, EOL_READ);
            return;
        }
    }
ordinary:
    /* Canonical mode keeps room for the line's end. */
    if (queued(ld) >= TTY_BUF_SIZE - (canon ? 1 : 0))
        return;
    if (lf & ECHO) {
        if (ld->head == ld->canon_head)
            ld->canon_column = ld->column;
        if (from_cr)            /* raw: Enter echoes a newline, not ^J */
            ob_put(o, '\n');
        else
            echo_char(o, c);
    }
    put(ld, c, 0);
    if (!canon)
        ld->canon_head = ld->head;
}

void tty_ldisc_receive(struct tty_ldisc *ld, const char *s, size_t len)
{
    struct outbuf o = { .ld = ld };
    size_t i;

    for (i = 0; i < len; i++)
        receive_one(ld, &o, (uint8_t)s[i]);
    ob_flush(&o);
}

bool tty_ldisc_readable(const struct tty_ldisc *ld)
{
    return ld->canon_head != ld->read_tail;
}

size_t tty_ldisc_avail(const struct tty_ldisc *ld)
{
    size_t n = 0;
    uint32_t i;

    for (i = ld->read_tail; i != ld->canon_head; i++)
        if (ld->eol[MASK(i)] != EOL_EOF)
            n++;
    return n;
}

size_t tty_ldisc_read(struct tty_ldisc *ld, char *buf, size_t len, bool *eof)
{
    bool canon = ld->termios.c_lflag & ICANON;
    size_t n = 0;

    *eof = false;
    while (n < len && ld->read_tail != ld->canon_head) {
        uint32_t i = MASK(ld->read_tail);
        uint8_t mark = canon ? ld->eol[i] : 0;

        ld->read_tail++;
        if (mark == EOL_EOF) {
            *eof = n == 0;
            break;
        }
        buf[n++] = (char)ld->buf[i];
        if (mark == EOL_READ)
            break;
    }
    if (ld->read_tail == ld->head)      /* empty: start again at 0 */
        ld->read_tail = ld->canon_head = ld->head = 0;
    return n;
}

void tty_ldisc_set_termios(struct tty_ldisc *ld, const struct linux_termios *t)
{
    bool was_canon = ld->termios.c_lflag & ICANON;

    ld->termios = *t;
    if (was_canon == !!(t->c_lflag & ICANON))
        return;
    memset(ld->eol, 0, sizeof(ld->eol));
    ld->lnext = false;
    /* Raw: everything queued is readable.  Canonical: it is one line. */
    if ((t->c_lflag & ICANON) && ld->head != ld->read_tail)
        ld->eol[MASK(ld->head - 1)] = EOL_READ;
    ld->canon_head = ld->head;
}
