/* SPDX-License-Identifier: MIT
 *
 * The in-memory CSV table reader (series files, regression data) on libcsv.
 * libcsv is fed the input in chunks; its field and row callbacks append the
 * cells, and we track line numbers ourselves so that every message can name
 * the line and column of the offending cell.
 */
#include "tally/tally_table.h"
#include "tally/tally_status.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Growth step of libcsv's field buffer (see start()). */
#define CSV_BLOCK 65536

/* Parser state shared with the libcsv callbacks. */
typedef struct {
    tally_table *t;     /* the table being built */
    char **row;         /* cells of the row in progress */
    size_t nrow_cells;  /* cells in the row in progress */
    size_t cap_cells;   /* capacity of row */
    size_t cap_rows;    /* capacity of t->cells / t->line */
    size_t line;        /* current line (1-based), counting line ends */
    size_t row_line;    /* line on which the row in progress started */
    int have_header;    /* 1 once the header row is stored */
    int bom_checked;    /* 1 once the first bytes were checked for a BOM */
    size_t bom_matched; /* BOM bytes matched so far */
    int status;         /* first error, or TALLY_OK */
    int prev_cr;        /* last byte seen was CR (for CRLF line counting) */
} reader;

static char *dup_trim(const char *s, size_t len)
{
    while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    char *d = malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

static void free_row(char **row, size_t n)
{
    if (row == NULL) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        free(row[i]);
    }
    free(row);
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    if (r->status != TALLY_OK) {
        return;
    }
    if (r->nrow_cells == 0 && r->row == NULL) {
        r->row_line = r->line;
    }
    if (r->nrow_cells == r->cap_cells) {
        size_t cap = r->cap_cells ? 2 * r->cap_cells : 16;
        char **p = realloc(r->row, cap * sizeof *p);
        if (p == NULL) {
            r->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory reading %s",
                                    r->t->path);
            return;
        }
        r->row = p;
        r->cap_cells = cap;
    }
    if (data != NULL && memchr(data, '\0', len) != NULL) {
        /* A NUL byte would silently cut the cell short ("3\0garbage" read
         * as 3).  Text never holds one: the file is binary, or UTF-16
         * (every other byte of ASCII text is NUL), which starts with the
         * byte order mark FF FE or FE FF. */
        const unsigned char *u = data;
        int utf16 = !r->have_header && r->nrow_cells == 0 && len >= 2
                    && ((u[0] == 0xFF && u[1] == 0xFE)
                        || (u[0] == 0xFE && u[1] == 0xFF));
        r->status = TALLY_ERROR(TALLY_EPARSE,
            utf16 ? "%s:%zu:%zu: the file is UTF-16 text; save it as UTF-8 "
                    "(or CSV UTF-8) and try again"
                  : "%s:%zu:%zu: the field holds a NUL byte: this is not a "
                    "text CSV file (binary, or UTF-16 without a byte order "
                    "mark?)",
            r->t->path, r->row_line, r->nrow_cells + 1);
        return;
    }
    char *cell = dup_trim(data ? data : "", data ? len : 0);
    if (cell == NULL) {
        r->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory reading %s",
                                r->t->path);
        return;
    }
    r->row[r->nrow_cells++] = cell;
}

/* A row is blank when it has one empty field (libcsv reports blank lines
 * that way only when CSV_REPALL_NL is set; we skip them either way). */
static int blank_row(const reader *r)
{
    return r->nrow_cells == 1 && r->row[0][0] == '\0';
}

/* A header column for sorting: its name and position. */
typedef struct {
    const char *name; /* header name */
    size_t col;       /* 0-based position */
} named_col;

/* Order by name, then by position. */
static int cmp_col(const void *a, const void *b)
{
    const named_col *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0) {
        return c;
    }
    return x->col < y->col ? -1 : x->col > y->col;
}

/* The header must name every column, each once.  The first offending
 * column (in file order) is reported.  Duplicates are found by sorting
 * the column indices by name (n log n: a file of 100,000 columns must not
 * take n^2 string comparisons); in each run of equal names every column
 * after the first duplicates the first. */
static int check_header(const tally_table *t, size_t line)
{
    size_t bad = t->ncol, also = 0;
    for (size_t i = 0; i < t->ncol; i++) {
        if (t->header[i][0] == '\0') {
            bad = i;
            break;
        }
    }
    named_col *idx = malloc((t->ncol ? t->ncol : 1) * sizeof *idx);
    if (idx == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory reading %s", t->path);
    }
    for (size_t i = 0; i < t->ncol; i++) {
        idx[i].name = t->header[i];
        idx[i].col = i;
    }
    qsort(idx, t->ncol, sizeof *idx, cmp_col);
    /* In a run of equal names the first is the earliest column. */
    size_t first = 0;
    for (size_t k = 1; k < t->ncol; k++) {
        if (strcmp(idx[k].name, idx[first].name) != 0) {
            first = k;
        } else if (idx[k].col < bad) {
            bad = idx[k].col;
            also = idx[first].col;
        }
    }
    free(idx);
    if (bad == t->ncol) {
        return TALLY_OK;
    }
    if (t->header[bad][0] == '\0') {
        return TALLY_ERROR(TALLY_EPARSE,
                           "%s:%zu:%zu: empty column name in the header",
                           t->path, line, bad + 1);
    }
    return TALLY_ERROR(TALLY_EPARSE,
                       "%s:%zu:%zu: column '%s' is named twice (also column %zu)",
                       t->path, line, bad + 1, t->header[bad], also + 1);
}

static void on_row(int c, void *ctx)
{
    reader *r = ctx;
    tally_table *t = r->t;
    (void)c;
    if (r->status != TALLY_OK) {
        return;
    }
    if (r->nrow_cells == 0 || blank_row(r)) {
        free_row(r->row, r->nrow_cells);
        r->row = NULL;
        r->nrow_cells = r->cap_cells = 0;
        return;
    }
    if (!r->have_header) {
        t->header = r->row;
        t->ncol = r->nrow_cells;
        r->have_header = 1;
        r->status = check_header(t, r->row_line);
    } else if (r->nrow_cells != t->ncol) {
        r->status = TALLY_ERROR(TALLY_EPARSE,
            "%s:%zu:%zu: row has %zu field%s, the header has %zu", t->path,
            r->row_line, r->nrow_cells < t->ncol ? r->nrow_cells : t->ncol + 1,
            r->nrow_cells, r->nrow_cells == 1 ? "" : "s", t->ncol);
        free_row(r->row, r->nrow_cells);
    } else {
        if (t->nrow == r->cap_rows) {
            size_t cap = r->cap_rows ? 2 * r->cap_rows : 64;
            char ***pc = realloc(t->cells, cap * sizeof *pc);
            if (pc != NULL) {
                t->cells = pc;
            }
            size_t *pl = realloc(t->line, cap * sizeof *pl);
            if (pl != NULL) {
                t->line = pl;
            }
            if (pc == NULL || pl == NULL) {
                r->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory reading %s",
                                        t->path);
                free_row(r->row, r->nrow_cells);
                r->row = NULL;
                r->nrow_cells = r->cap_cells = 0;
                return;
            }
            r->cap_rows = cap;
        }
        t->cells[t->nrow] = r->row;
        t->line[t->nrow] = r->row_line;
        t->nrow++;
    }
    r->row = NULL;
    r->nrow_cells = r->cap_cells = 0;
}

/* Count line ends in a chunk (LF, CRLF and bare CR each count once), so
 * that messages name the physical line even inside quoted fields. */
static void count_lines(reader *r, const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            if (!r->prev_cr) {
                r->line++;
            }
            r->prev_cr = 0;
        } else if (buf[i] == '\r') {
            r->line++;
            r->prev_cr = 1;
        } else {
            r->prev_cr = 0;
        }
    }
}

static int feed(struct csv_parser *p, reader *r, const char *buf, size_t len)
{
    /* A UTF-8 byte order mark (EF BB BF) at the very start would otherwise
     * become part of the first column name.  It may arrive split across
     * chunks, so match it byte by byte; on a mismatch the bytes held back
     * are handed to the parser after all. */
    static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
    while (!r->bom_checked && len > 0) {
        if (buf[0] == bom[r->bom_matched]) {
            r->bom_matched++;
            buf++;
            len--;
            if (r->bom_matched == 3) {
                r->bom_checked = 1;
            }
        } else {
            r->bom_checked = 1;
            if (r->bom_matched > 0) {
                size_t held = r->bom_matched;
                r->bom_matched = 0;
                int st = feed(p, r, bom, held);
                if (st != TALLY_OK) {
                    return st;
                }
            }
        }
    }
    /* Lines are counted per byte as libcsv consumes them: libcsv calls back
     * at row ends, so feed one line at a time to keep row_line exact. */
    size_t i = 0;
    while (i < len && r->status == TALLY_OK) {
        size_t j = i;
        while (j < len && buf[j] != '\n' && buf[j] != '\r') {
            j++;
        }
        if (j < len) {
            j++;
        }
        if (csv_parse(p, buf + i, j - i, on_field, on_row, r) != j - i) {
            if (r->status != TALLY_OK) {
                return r->status;
            }
            if (csv_error(p) != CSV_EPARSE) {
                return TALLY_ERROR(TALLY_ENOMEM, "%s:%zu: out of memory",
                                   r->t->path, r->line);
            }
            /* In strict mode libcsv stops at a quote inside an unquoted
             * field or at text after a closing quote. */
            return TALLY_ERROR(TALLY_EPARSE,
                "%s:%zu:%zu: malformed CSV: a quote inside an unquoted field, "
                "or text after a closing quote (a field holding quotes must "
                "be quoted as a whole, its quotes doubled)",
                r->t->path, r->line, r->nrow_cells + 1);
        }
        count_lines(r, buf + i, j - i);
        i = j;
    }
    return r->status;
}

static int finish(struct csv_parser *p, reader *r)
{
    if (r->status == TALLY_OK && !r->bom_checked && r->bom_matched > 0) {
        static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
        size_t held = r->bom_matched;
        r->bom_checked = 1;
        r->status = feed(p, r, bom, held);
    }
    if (r->status == TALLY_OK) {
        if (csv_fini(p, on_field, on_row, r) != 0) {
            r->status = TALLY_ERROR(TALLY_EPARSE,
                "%s:%zu: unterminated quoted field (a \" opened on line %zu is never closed)",
                r->t->path, r->line, r->row_line);
        }
    }
    free_row(r->row, r->nrow_cells);
    r->row = NULL;
    if (r->status == TALLY_OK && !r->have_header) {
        r->status = TALLY_ERROR(TALLY_EPARSE, "%s: empty file (no header line)",
                                r->t->path);
    }
    csv_free(p);
    return r->status;
}

static int start(const char *name, struct csv_parser *p, reader *r)
{
    memset(r, 0, sizeof *r);
    r->t = calloc(1, sizeof *r->t);
    if (r->t == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    r->t->path = dup_trim(name, strlen(name));
    r->line = 1;
    r->row_line = 1;
    if (r->t->path == NULL
        || csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        free(r->t->path);
        free(r->t);
        r->t = NULL;
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    /* libcsv grows a field's buffer by a fixed block (128 bytes by
     * default), so a 10 MB field costs 80,000 reallocations: quadratic
     * copying wherever realloc cannot extend in place (sanitizers,
     * other allocators).  64 KiB blocks make that 160. */
    csv_set_blk_size(p, CSV_BLOCK);
    return TALLY_OK;
}

/* Done: hand over the table or free it. */
static int done(reader *r, int status, tally_table **out)
{
    if (status != TALLY_OK) {
        tally_table_free(r->t);
        return status;
    }
    *out = r->t;
    return TALLY_OK;
}

int tally_table_read_mem(const char *name, const char *buf, size_t len,
                         size_t chunk, tally_table **out)
{
    struct csv_parser p;
    reader r;
    int st = start(name, &p, &r);
    if (st != TALLY_OK) {
        return st;
    }
    if (chunk == 0) {
        chunk = len > 0 ? len : 1;
    }
    for (size_t off = 0; off < len && st == TALLY_OK; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        st = feed(&p, &r, buf + off, n);
    }
    if (st != TALLY_OK) {
        r.status = st;
    }
    return done(&r, finish(&p, &r), out);
}

int tally_table_read(const char *path, FILE *fp, tally_table **out)
{
    struct csv_parser p;
    reader r;
    int own = 0;
    const char *name = path;

    if (strcmp(path, "-") == 0) {
        if (fp == NULL) {
            fp = stdin;
        }
        name = "<stdin>";
    } else {
        fp = fopen(path, "rb");
        if (fp == NULL) {
            return TALLY_ERROR(TALLY_EIO, "cannot open %s: %s", path,
                               strerror(errno));
        }
        own = 1;
    }
    int st = start(name, &p, &r);
    if (st != TALLY_OK) {
        if (own) {
            fclose(fp);
        }
        return st;
    }
    char buf[65536];
    size_t n;
    while (st == TALLY_OK && (n = fread(buf, 1, sizeof buf, fp)) > 0) {
        st = feed(&p, &r, buf, n);
    }
    if (st == TALLY_OK && ferror(fp)) {
        st = TALLY_ERROR(TALLY_EIO, "cannot read %s: %s", name, strerror(errno));
    }
    if (own) {
        fclose(fp);
    }
    if (st != TALLY_OK) {
        r.status = st;
    }
    return done(&r, finish(&p, &r), out);
}

void tally_table_free(tally_table *t)
{
    if (t == NULL) {
        return;
    }
    free_row(t->header, t->ncol);
    for (size_t i = 0; i < t->nrow; i++) {
        free_row(t->cells[i], t->ncol);
    }
    free(t->cells);
    free(t->line);
    free(t->path);
    free(t);
}

long tally_table_column(const tally_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncol; i++) {
        if (strcmp(t->header[i], name) == 0) {
            return (long)i;
        }
    }
    return -1;
}

int tally_parse_double(const char *s, double *out)
{
    char *end;
    if (s[0] == '\0' || s[0] == ' ') {
        return 0;
    }
    /* strtod accepts hex floats, "inf" and "nan": a count column holds
     * none of these legitimately, so only decimal forms are allowed. */
    for (const char *c = s; *c; c++) {
        if (!((*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == '+'
              || *c == 'e' || *c == 'E')) {
            return 0;
        }
    }
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v)) {
        return 0;
    }
    *out = v;
    return 1;
}

static int is_na(const char *s)
{
    return s[0] == '\0' || strcmp(s, "NA") == 0 || strcmp(s, "na") == 0
           || strcmp(s, "NaN") == 0 || strcmp(s, "nan") == 0
           || strcmp(s, "NAN") == 0;
}

int tally_table_number(const tally_table *t, size_t row, size_t col,
                       double *out)
{
    const char *s = t->cells[row][col];
    if (is_na(s)) {
        *out = NAN;
        return TALLY_OK;
    }
    if (!tally_parse_double(s, out)) {
        return TALLY_ERROR(TALLY_EPARSE,
            "%s:%zu:%zu: column '%s': expected a number or NA, found '%.40s'",
            t->path, t->line[row], col + 1, t->header[col], s);
    }
    return TALLY_OK;
}

void tally_csv_write_field(FILE *fp, const char *s)
{
    size_t len = strlen(s);
    int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
    for (const char *c = s; *c && !quote; c++) {
        quote = *c == ',' || *c == '"' || *c == '\n' || *c == '\r';
    }
    if (!quote) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (const char *c = s; *c; c++) {
        if (*c == '"') {
            fputc('"', fp);
        }
        fputc(*c, fp);
    }
    fputc('"', fp);
}
