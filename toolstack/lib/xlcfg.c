/* SPDX-License-Identifier: MIT */
/*
 * xlcfg.c - the xl.cfg(5) syntax: lexer, parser, settings, overrides.
 * Owns:    struct xlcfg (settings of one config plus its overrides) and
 *          the diagnostics helpers; the keys' meaning is xlcfg_domain.c's.
 * Touches: the C heap; stdio only in xlcfg_load() (reading the file).
 *
 * The syntax is the one xl's libxlu parser (libxlu_cfg_l.l/_y.y) takes:
 *   file     := { [ KEY ( "=" | "+=" ) value ] ( NEWLINE | ";" ) }
 *   value    := atom | "[" nl* [ value nl* { "," nl* value nl* } [ "," nl* ] ] "]"
 *   atom     := STRING | NUMBER
 *   KEY      := [a-z][_0-9a-z]*          (lower case only, as libxlu)
 *   NUMBER   := [0-9][0-9a-fx]*          (a token; its text is the value)
 *   STRING   := '...' or "..." on one line, backslash escapes \n \r \t,
 *               \xHH (two digits), \OOO (1-3 octal digits), \<punct> for
 *               the character itself; \<other letter/digit> is an error
 *   comments `#` to the end of the line; blanks are spaces and tabs (a
 *   CR before a newline is taken as a blank, so CRLF files read).
 * Numbers and strings are both kept as text, as libxlu keeps them: the
 * key's reader decides (strtol base 0: decimal, 0x hex, 0 octal).
 * `KEY += VALUE` appends a list to a list or a string to a string; on an
 * unset key it is `=`. A later setting replaces an earlier one.
 * Lists may nest syntactically (libxlu takes them); no key takes one.
 * One difference: libxlu needs the last setting to end in a newline;
 * a file without one is accepted here (docs/pvctl.md).
 * Errors do not stop the parse: the rest of the statement is skipped and
 * parsing goes on, up to XLCFG_MAX_ERRORS.
 */
#include "xlcfg.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- diagnostics ------------------------------------------------------ */

static void diag_add(struct xlcfg_diags *d, bool warning, const char *file,
                     int line, int col, const char *fmt, va_list ap)
{
    struct xlcfg_diag *g;
    int n = 0;

    if (warning)
        d->nwarnings++;
    else
        d->nerrors++;
    if (d->count >= XLCFG_MAX_DIAGS) {
        d->dropped++;
        return;
    }
    g = &d->diag[d->count++];
    g->warning = warning;
    if (line > 0)
        n = snprintf(g->text, sizeof(g->text), "%s:%d:%d: %s", file, line,
                     col, warning ? "warning: " : "");
    else
        n = snprintf(g->text, sizeof(g->text), "%s: %s", file,
                     warning ? "warning: " : "");
    if (n < 0 || (size_t)n >= sizeof(g->text))
        n = (int)strlen(g->text);
    vsnprintf(g->text + n, sizeof(g->text) - (size_t)n, fmt, ap);
}

void xlcfg_error(struct xlcfg_diags *d, const char *file, int line, int col,
                 const char *fmt, ...)
{
    va_list ap;

    if (d->stopped)
        return;
    va_start(ap, fmt);
    diag_add(d, false, file, line, col, fmt, ap);
    va_end(ap);
    if (d->nerrors >= XLCFG_MAX_ERRORS) {
        d->stopped = true;
        if (d->count < XLCFG_MAX_DIAGS) {
            struct xlcfg_diag *g = &d->diag[d->count++];

            g->warning = false;
            snprintf(g->text, sizeof(g->text),
                     "%s: too many errors (%d), stopping", file,
                     XLCFG_MAX_ERRORS);
        }
    }
}

void xlcfg_warn(struct xlcfg_diags *d, const char *file, int line, int col,
                const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_add(d, true, file, line, col, fmt, ap);
    va_end(ap);
}

/* ---- values and settings ----------------------------------------------- */

static char *xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (!p) {
        fputs("pvctl: out of memory\n", stderr);
        exit(1);
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xlcfg_strdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("pvctl: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static void value_free(struct xlcfg_value *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->nitems; i++)
        value_free(v->items[i]);
    free(v->items);
    free(v->str);
    free(v);
}

void xlcfg_init(struct xlcfg *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
}

void xlcfg_free(struct xlcfg *cfg)
{
    for (size_t i = 0; i < cfg->nsettings; i++) {
        free(cfg->settings[i].key);
        value_free(cfg->settings[i].value);
    }
    free(cfg->settings);
    for (size_t i = 0; i < cfg->nfiles; i++)
        free(cfg->files[i]);
    free(cfg->files);
    memset(cfg, 0, sizeof(*cfg));
}

struct xlcfg_setting *xlcfg_get(const struct xlcfg *cfg, const char *key)
{
    for (size_t i = 0; i < cfg->nsettings; i++)
        if (strcmp(cfg->settings[i].key, key) == 0)
            return &cfg->settings[i];
    return NULL;
}

/* ---- the lexer --------------------------------------------------------- */

enum tok {
    T_EOF, T_NEWLINE, T_SEMI, T_IDENT, T_NUMBER, T_STRING, T_EQ, T_ADD,
    T_LBRACK, T_RBRACK, T_COMMA, T_BAD,
};

struct lexer {
    const char *file;
    const char *p, *end;
    int line;
    const char *line_start;
    struct xlcfg_diags *d;
    /* the current token */
    enum tok tok;
    int tline, tcol;
    char *text;                  /* IDENT/NUMBER/STRING (malloc'd) */
};

static int col_of(const struct lexer *lx, const char *at)
{
    return (int)(at - lx->line_start) + 1;
}

static const char *tok_desc(const struct lexer *lx, char *buf, size_t n)
{
    switch (lx->tok) {
    case T_EOF:     return "the end of the file";
    case T_NEWLINE: return "the end of the line";
    case T_SEMI:    return "';'";
    case T_EQ:      return "'='";
    case T_ADD:     return "'+='";
    case T_LBRACK:  return "'['";
    case T_RBRACK:  return "']'";
    case T_COMMA:   return "','";
    case T_IDENT:   snprintf(buf, n, "the name '%s'", lx->text); return buf;
    case T_NUMBER:  snprintf(buf, n, "the number %s", lx->text); return buf;
    case T_STRING:  return "a string";
    case T_BAD:     return "a bad token";
    }
    return "?";
}

/* Dequote a string token from Q (the opening quote) to its closing quote;
 * on a bad escape report it and return NULL. */
static char *dequote(struct lexer *lx, const char *q, const char *close)
{
    char *out = xstrndup(q, (size_t)(close - q));   /* room enough */
    char *o = out;
    const char *p = q + 1;

    while (p < close) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        const char *esc = p++;
        char c = *p;
        if (c == 'n' || c == 'r' || c == 't') {
            *o++ = c == 'n' ? '\n' : c == 'r' ? '\r' : '\t';
            p++;
        } else if (c == 'x') {
            int v = 0, nd = 0;
            p++;
            while (nd < 2 && p < close && isxdigit((unsigned char)*p)) {
                v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0'
                              : (tolower((unsigned char)*p) - 'a' + 10));
                p++, nd++;
            }
            if (nd != 2) {
                xlcfg_error(lx->d, lx->file, lx->line, col_of(lx, esc),
                            "\\x needs two hex digits");
                goto bad;
            }
            if (v == 0)
                goto nul;
            *o++ = (char)v;
        } else if (c >= '0' && c <= '7') {
            int v = 0, nd = 0;
            while (nd < 3 && p < close && *p >= '0' && *p <= '7')
                v = v * 8 + (*p++ - '0'), nd++;
            if (v > 255) {
                xlcfg_error(lx->d, lx->file, lx->line, col_of(lx, esc),
                            "octal escape \\%.*s is out of range",
                            nd, p - nd);
                goto bad;
            }
            if (v == 0)
                goto nul;
            *o++ = (char)v;
        } else if (isalnum((unsigned char)c)) {
            xlcfg_error(lx->d, lx->file, lx->line, col_of(lx, esc),
                        "unknown escape \\%c", c);
            goto bad;
        } else {
            *o++ = c;
            p++;
        }
        continue;
nul:
        xlcfg_error(lx->d, lx->file, lx->line, col_of(lx, esc),
                    "escape makes a NUL character, which a string cannot hold");
        goto bad;
    }
    *o = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

static void next(struct lexer *lx)
{
    free(lx->text);
    lx->text = NULL;
    while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' ||
           (*lx->p == '\r' && lx->p + 1 < lx->end && lx->p[1] == '\n')))
        lx->p++;
    if (lx->p < lx->end && *lx->p == '#')
        while (lx->p < lx->end && *lx->p != '\n')
            lx->p++;
    lx->tline = lx->line;
    lx->tcol = col_of(lx, lx->p);
    if (lx->p >= lx->end) {
        lx->tok = T_EOF;
        return;
    }
    const char *s = lx->p;
    char c = *s;
    if (c == '\n') {
        lx->p++;
        lx->line++;
        lx->line_start = lx->p;
        lx->tok = T_NEWLINE;
    } else if (c == ';') {
        lx->p++, lx->tok = T_SEMI;
    } else if (c == '=') {
        lx->p++, lx->tok = T_EQ;
    } else if (c == '+' && s + 1 < lx->end && s[1] == '=') {
        lx->p += 2, lx->tok = T_ADD;
    } else if (c == '[') {
        lx->p++, lx->tok = T_LBRACK;
    } else if (c == ']') {
        lx->p++, lx->tok = T_RBRACK;
    } else if (c == ',') {
        lx->p++, lx->tok = T_COMMA;
    } else if (c >= 'a' && c <= 'z') {
        while (lx->p < lx->end && ((*lx->p >= 'a' && *lx->p <= 'z') ||
               (*lx->p >= '0' && *lx->p <= '9') || *lx->p == '_'))
            lx->p++;
        lx->text = xstrndup(s, (size_t)(lx->p - s));
        lx->tok = T_IDENT;
    } else if (c >= '0' && c <= '9') {
        while (lx->p < lx->end && ((*lx->p >= 'a' && *lx->p <= 'f') ||
               (*lx->p >= '0' && *lx->p <= '9') || *lx->p == 'x'))
            lx->p++;
        lx->text = xstrndup(s, (size_t)(lx->p - s));
        lx->tok = T_NUMBER;
    } else if (c == '"' || c == '\'') {
        const char *q = s + 1;
        while (q < lx->end && *q != c && *q != '\n') {
            if (*q == '\\' && q + 1 < lx->end && q[1] != '\n')
                q++;
            q++;
        }
        if (q >= lx->end || *q != c) {
            xlcfg_error(lx->d, lx->file, lx->line, lx->tcol,
                        "unterminated string: no closing %c on this line", c);
            lx->p = q;
            lx->tok = T_BAD;
            return;
        }
        lx->p = q + 1;
        lx->text = dequote(lx, s, q);
        lx->tok = lx->text ? T_STRING : T_BAD;
    } else {
        lx->p++;
        if (isprint((unsigned char)c))
            xlcfg_error(lx->d, lx->file, lx->line, lx->tcol,
                        "unexpected character '%c'%s", c,
                        isupper((unsigned char)c)
                        ? " (names and hex digits are lower case)" : "");
        else
            xlcfg_error(lx->d, lx->file, lx->line, lx->tcol,
                        "unexpected character 0x%02x", (unsigned char)c);
        lx->tok = T_BAD;
    }
}

/* ---- the parser -------------------------------------------------------- */

#define MAX_LIST_DEPTH 8

/* Skip to the end of the statement (NEWLINE or ';' outside brackets). */
static void recover(struct lexer *lx)
{
    int depth = 0;

    while (lx->tok != T_EOF && !lx->d->stopped) {
        if (lx->tok == T_LBRACK)
            depth++;
        else if (lx->tok == T_RBRACK && depth > 0)
            depth--;
        else if ((lx->tok == T_NEWLINE && depth == 0) || lx->tok == T_SEMI)
            return;
        next(lx);
    }
}

static void skip_newlines(struct lexer *lx)
{
    while (lx->tok == T_NEWLINE)
        next(lx);
}

static struct xlcfg_value *new_value(struct lexer *lx, enum xlcfg_kind kind)
{
    struct xlcfg_value *v = calloc(1, sizeof(*v));

    if (!v) {
        fputs("pvctl: out of memory\n", stderr);
        exit(1);
    }
    v->kind = kind;
    v->file = lx->file;
    v->line = lx->tline;
    v->col = lx->tcol;
    return v;
}

/* value at the current token; on error reports, returns NULL (token left
 * where the error is). AFTER names what came before, for the message. */
static struct xlcfg_value *parse_value(struct lexer *lx, const char *after,
                                       int depth)
{
    char buf[80];
    struct xlcfg_value *v;

    if (lx->tok == T_STRING || lx->tok == T_NUMBER) {
        v = new_value(lx, XLCFG_STRING);
        v->number = lx->tok == T_NUMBER;
        v->str = lx->text;
        lx->text = NULL;
        next(lx);
        return v;
    }
    if (lx->tok == T_BAD)
        return NULL;                       /* the lexer said why */
    if (lx->tok != T_LBRACK) {
        xlcfg_error(lx->d, lx->file, lx->tline, lx->tcol,
                    "expected a value after %s, found %s", after,
                    tok_desc(lx, buf, sizeof(buf)));
        return NULL;
    }
    if (depth >= MAX_LIST_DEPTH) {
        xlcfg_error(lx->d, lx->file, lx->tline, lx->tcol,
                    "lists nested more than %d deep", MAX_LIST_DEPTH);
        return NULL;
    }
    v = new_value(lx, XLCFG_LIST);
    int oline = lx->tline, ocol = lx->tcol;
    next(lx);
    skip_newlines(lx);
    while (lx->tok != T_RBRACK) {
        struct xlcfg_value *item = parse_value(lx,
            v->nitems ? "','" : "'['", depth + 1);
        if (!item)
            goto fail;
        v->items = xrealloc(v->items, (v->nitems + 1) * sizeof(*v->items));
        v->items[v->nitems++] = item;
        skip_newlines(lx);
        if (lx->tok == T_COMMA) {
            next(lx);
            skip_newlines(lx);
        } else if (lx->tok != T_RBRACK) {
            if (lx->tok == T_EOF)
                xlcfg_error(lx->d, lx->file, oline, ocol,
                            "this list has no closing ']'");
            else if (lx->tok != T_BAD)
                xlcfg_error(lx->d, lx->file, lx->tline, lx->tcol,
                            "expected ',' or ']' in the list, found %s",
                            tok_desc(lx, buf, sizeof(buf)));
            goto fail;
        }
    }
    next(lx);
    return v;
fail:
    /* Skip to this list's ']' so that its other lines are not read as
     * settings; without one, the list ran to the end of the file. */
    for (int depth = 0; lx->tok != T_EOF && !lx->d->stopped; next(lx)) {
        if (lx->tok == T_LBRACK)
            depth++;
        else if (lx->tok == T_RBRACK && depth-- == 0) {
            next(lx);
            break;
        }
    }
    if (lx->tok == T_EOF && !lx->d->stopped && lx->d->nerrors &&
        !strstr(lx->d->diag[lx->d->count - 1].text, "no closing ']'"))
        xlcfg_error(lx->d, lx->file, oline, ocol,
                    "this list has no closing ']'");
    value_free(v);
    return NULL;
}

static const char *intern_file(struct xlcfg *cfg, const char *file)
{
    for (size_t i = 0; i < cfg->nfiles; i++)
        if (strcmp(cfg->files[i], file) == 0)
            return cfg->files[i];
    cfg->files = xrealloc(cfg->files, (cfg->nfiles + 1) * sizeof(char *));
    cfg->files[cfg->nfiles] = xlcfg_strdup(file);
    return cfg->files[cfg->nfiles++];
}

/* KEY (op) V at LINE:COL: store, replacing or appending. */
static void store(struct xlcfg *cfg, struct lexer *lx, char *key, bool add,
                  struct xlcfg_value *v, int line, int col)
{
    struct xlcfg_setting *s = xlcfg_get(cfg, key);

    if (s && add) {
        struct xlcfg_value *old = s->value;
        if (old->kind != v->kind) {
            xlcfg_error(lx->d, lx->file, v->line, v->col,
                        "'%s += ...': cannot add a %s to a %s", key,
                        v->kind == XLCFG_LIST ? "list" : "single value",
                        old->kind == XLCFG_LIST ? "list" : "single value");
            value_free(v);
            free(key);
            return;
        }
        if (v->kind == XLCFG_STRING) {
            size_t a = strlen(old->str), b = strlen(v->str);
            old->str = xrealloc(old->str, a + b + 1);
            memcpy(old->str + a, v->str, b + 1);
            old->number = false;
        } else {
            old->items = xrealloc(old->items,
                (old->nitems + v->nitems) * sizeof(*old->items));
            memcpy(old->items + old->nitems, v->items,
                   v->nitems * sizeof(*v->items));
            old->nitems += v->nitems;
            v->nitems = 0;
        }
        value_free(v);
        free(key);
        s->file = lx->file, s->line = line, s->col = col;
        return;
    }
    if (s) {                        /* a later setting overrides */
        value_free(s->value);
        free(key);
    } else {
        if (cfg->nsettings == cfg->cap) {
            cfg->cap = cfg->cap ? cfg->cap * 2 : 16;
            cfg->settings = xrealloc(cfg->settings,
                                     cfg->cap * sizeof(*cfg->settings));
        }
        s = &cfg->settings[cfg->nsettings++];
        memset(s, 0, sizeof(*s));
        s->key = key;
    }
    s->value = v;
    s->file = lx->file, s->line = line, s->col = col;
}

unsigned xlcfg_parse(struct xlcfg *cfg, const char *file, const char *text,
                     size_t len, struct xlcfg_diags *d)
{
    struct lexer lx = { 0 };
    unsigned errors0 = d->nerrors;
    char buf[80];

    lx.file = intern_file(cfg, file);
    lx.p = lx.line_start = text;
    lx.end = text + len;
    lx.line = 1;
    lx.d = d;
    next(&lx);
    while (lx.tok != T_EOF && !d->stopped) {
        if (lx.tok == T_NEWLINE || lx.tok == T_SEMI) {
            next(&lx);
            continue;
        }
        if (lx.tok != T_IDENT) {
            if (lx.tok != T_BAD)
                xlcfg_error(d, lx.file, lx.tline, lx.tcol,
                            "expected a setting (KEY = VALUE), found %s",
                            tok_desc(&lx, buf, sizeof(buf)));
            recover(&lx);
            continue;
        }
        int line = lx.tline, col = lx.tcol;
        char *key = lx.text;
        lx.text = NULL;
        next(&lx);
        if (lx.tok != T_EQ && lx.tok != T_ADD) {
            if (lx.tok != T_BAD)
                xlcfg_error(d, lx.file, lx.tline, lx.tcol,
                            "expected '=' or '+=' after '%s', found %s", key,
                            tok_desc(&lx, buf, sizeof(buf)));
            free(key);
            recover(&lx);
            continue;
        }
        bool add = lx.tok == T_ADD;
        next(&lx);
        struct xlcfg_value *v = parse_value(&lx, add ? "'+='" : "'='", 0);
        if (!v) {
            free(key);
            recover(&lx);
            continue;
        }
        if (lx.tok != T_NEWLINE && lx.tok != T_SEMI && lx.tok != T_EOF) {
            if (lx.tok != T_BAD)
                xlcfg_error(d, lx.file, lx.tline, lx.tcol,
                            "expected the end of the line or ';' after the "
                            "value of '%s', found %s", key,
                            tok_desc(&lx, buf, sizeof(buf)));
            free(key);
            value_free(v);
            recover(&lx);
            continue;
        }
        store(cfg, &lx, key, add, v, line, col);
    }
    free(lx.text);
    return d->nerrors - errors0;
}

unsigned xlcfg_parse_override(struct xlcfg *cfg, int index, const char *arg,
                              struct xlcfg_diags *d)
{
    char file[32];

    snprintf(file, sizeof(file), "<command line %d>", index);
    return xlcfg_parse(cfg, file, arg, strlen(arg), d);
}

/* ---- the front end ----------------------------------------------------- */

unsigned xlcfg_load(const char *file, char *const overrides[], int noverrides,
                    struct domain_config *dc, struct xlcfg_diags *d)
{
    struct xlcfg cfg;
    FILE *f = fopen(file, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0;
    unsigned errors;

    memset(dc, 0, sizeof(*dc));
    if (!f) {
        xlcfg_error(d, file, 0, 0, "cannot open: %s", strerror(errno));
        return d->nerrors;
    }
    for (;;) {
        if (len == cap) {
            if (cap >= (1u << 20)) {
                fclose(f);
                free(text);
                xlcfg_error(d, file, 0, 0, "larger than 1 MiB: not a config");
                return d->nerrors;
            }
            cap = cap ? cap * 2 : 4096;
            text = xrealloc(text, cap);
        }
        size_t n = fread(text + len, 1, cap - len, f);
        if (n == 0)
            break;
        len += n;
    }
    bool rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(text);
        xlcfg_error(d, file, 0, 0, "read error");
        return d->nerrors;
    }
    xlcfg_init(&cfg);
    xlcfg_parse(&cfg, file, text, len, d);
    free(text);
    for (int i = 0; i < noverrides && !d->stopped; i++)
        xlcfg_parse_override(&cfg, i + 1, overrides[i], d);
    if (d->nerrors == 0)
        xlcfg_domain(&cfg, file, dc, d);
    errors = d->nerrors;
    xlcfg_free(&cfg);
    return errors;
}
