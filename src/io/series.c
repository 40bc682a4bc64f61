/* SPDX-License-Identifier: MIT
 *
 * Series files (CLI.md, "Series files"): period column, optional group
 * column, numeric variables.  Reading builds one contiguous frame per group;
 * every problem (bad period, duplicate, hole, unsorted, non-number) is
 * reported with file, line and column.
 */
#include "tally/tally_frame.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tally_series_options_init(tally_series_options *o)
{
    memset(o, 0, sizeof *o);
}

tally_frame *tally_frame_alloc(tally_freq freq, tally_period start, size_t n,
                               size_t ncol)
{
    tally_frame *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return NULL;
    }
    f->freq = freq;
    f->start = start;
    f->n = n;
    f->ncol = ncol;
    f->names = calloc(ncol ? ncol : 1, sizeof *f->names);
    f->cols = calloc(ncol ? ncol : 1, sizeof *f->cols);
    if (f->names == NULL || f->cols == NULL) {
        tally_frame_free(f);
        return NULL;
    }
    for (size_t j = 0; j < ncol; j++) {
        f->cols[j] = malloc((n ? n : 1) * sizeof(double));
        if (f->cols[j] == NULL) {
            tally_frame_free(f);
            return NULL;
        }
        for (size_t i = 0; i < n; i++) {
            f->cols[j][i] = NAN;
        }
    }
    return f;
}

void tally_frame_free(tally_frame *f)
{
    if (f == NULL) {
        return;
    }
    for (size_t j = 0; j < f->ncol; j++) {
        if (f->names != NULL) {
            free(f->names[j]);
        }
        if (f->cols != NULL) {
            free(f->cols[j]);
        }
    }
    free(f->names);
    free(f->cols);
    free(f->group);
    free(f);
}

void tally_frame_set_free(tally_frame_set *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t g = 0; g < s->nframes; g++) {
        tally_frame_free(s->frames[g]);
    }
    free(s->frames);
    free(s->group_col);
    free(s);
}

long tally_frame_column(const tally_frame *f, const char *name)
{
    for (size_t j = 0; j < f->ncol; j++) {
        if (strcmp(f->names[j], name) == 0) {
            return (long)j;
        }
    }
    return -1;
}

tally_frame *tally_frame_set_find(const tally_frame_set *s, const char *group)
{
    if (group == NULL) {
        return s->nframes == 1 ? s->frames[0] : NULL;
    }
    for (size_t g = 0; g < s->nframes; g++) {
        if (s->frames[g]->group != NULL && strcmp(s->frames[g]->group, group) == 0) {
            return s->frames[g];
        }
    }
    return NULL;
}

long tally_frame_index(const tally_frame *f, tally_period p)
{
    if (p < f->start || p >= f->start + (tally_period)f->n) {
        return -1;
    }
    return (long)(p - f->start);
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

/* A row and its group, sorted by group and then by row: each group's
 * rows end up together and in file order. */
typedef struct {
    const char *group;
    size_t row;
} group_row;

static int cmp_group_row(const void *a, const void *b)
{
    const group_row *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    if (c != 0) {
        return c;
    }
    return (x->row > y->row) - (x->row < y->row);
}

/* Is column c a grouping column?  Only when every cell that is not
 * missing is text that is not a number: a numeric column with one stray
 * word stays numeric and that cell is reported as an error. */
static int text_column(const tally_table *t, size_t c)
{
    int seen = 0;
    for (size_t i = 0; i < t->nrow; i++) {
        const char *s = t->cells[i][c];
        double v;
        if (s[0] == '\0' || strcmp(s, "NA") == 0) {
            continue;
        }
        if (tally_parse_double(s, &v)) {
            return 0;
        }
        seen = 1;
    }
    return seen;
}

/* Fill one group's frame from its rows rows[0..nrows), in file order
 * (all rows when gcol < 0; gname is then NULL). */
static int build_group(const tally_table *t, const tally_series_options *o,
                       tally_freq freq, const tally_period *per, long gcol,
                       const char *gname, const size_t *rows, size_t nrows,
                       tally_frame **out)
{
    size_t first = (size_t)-1;
    tally_period lo = 0, hi = 0, prev = 0;
    size_t prev_row = 0;
    int have = 0;

    for (size_t r = 0; r < nrows; r++) {
        size_t i = rows[r];
        if (!have) {
            lo = hi = per[i];
            first = i;
            have = 1;
        } else {
            if (per[i] == prev) {
                char b[TALLY_PERIOD_BUFSIZE];
                return TALLY_ERROR(TALLY_EPARSE,
                    "%s:%zu:1: period %s appears twice%s%s%s (first on line %zu)",
                    t->path, t->line[i], tally_period_format(freq, per[i], b, sizeof b),
                    gcol >= 0 ? " in group '" : "", gcol >= 0 ? gname : "",
                    gcol >= 0 ? "'" : "", t->line[prev_row]);
            }
            if (per[i] < prev && !o->allow_unsorted) {
                return TALLY_ERROR(TALLY_EPARSE,
                    "%s:%zu:1: periods are not in increasing order (line %zu has a later period)",
                    t->path, t->line[i], t->line[prev_row]);
            }
            if (per[i] < lo) {
                lo = per[i];
            }
            if (per[i] > hi) {
                hi = per[i];
            }
        }
        prev = per[i];
        prev_row = i;
    }
    (void)first;
    size_t n = (size_t)(hi - lo + 1);
    size_t nvar = t->ncol - 1 - (gcol >= 0 ? 1 : 0);
    tally_frame *f = tally_frame_alloc(freq, lo, n, nvar);
    unsigned char *seen = calloc(n, 1);
    if (f == NULL || seen == NULL) {
        tally_frame_free(f);
        free(seen);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    int st = TALLY_OK;
    for (size_t c = 1, j = 0; c < t->ncol; c++) {
        if ((long)c == gcol) {
            continue;
        }
        f->names[j] = dupstr(t->header[c]);
        if (f->names[j] == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
        j++;
    }
    if (st == TALLY_OK && gcol >= 0) {
        f->group = dupstr(gname);
        if (f->group == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    for (size_t r = 0; r < nrows && st == TALLY_OK; r++) {
        size_t i = rows[r];
        size_t k = (size_t)(per[i] - lo);
        if (seen[k]) {
            char b[TALLY_PERIOD_BUFSIZE];
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%zu:1: period %s appears twice",
                             t->path, t->line[i],
                             tally_period_format(freq, per[i], b, sizeof b));
            break;
        }
        seen[k] = 1;
        for (size_t c = 1, j = 0; c < t->ncol && st == TALLY_OK; c++) {
            if ((long)c == gcol) {
                continue;
            }
            st = tally_table_number(t, i, c, &f->cols[j][k]);
            j++;
        }
    }
    if (st == TALLY_OK && !o->fill_holes) {
        for (size_t k = 0; k < n; k++) {
            if (!seen[k]) {
                char b[TALLY_PERIOD_BUFSIZE];
                st = TALLY_ERROR(TALLY_EPARSE,
                    "%s: period %s is missing%s%s%s (a series must have every period from first to last; write the row with NA values)",
                    t->path, tally_period_format(freq, lo + (tally_period)k, b, sizeof b),
                    gcol >= 0 ? " in group '" : "", gcol >= 0 ? gname : "",
                    gcol >= 0 ? "'" : "");
                break;
            }
        }
    }
    free(seen);
    if (st != TALLY_OK) {
        tally_frame_free(f);
        return st;
    }
    *out = f;
    return TALLY_OK;
}

int tally_series_from_table(const tally_table *t, const tally_series_options *o,
                            tally_frame_set **out)
{
    tally_series_options defaults;
    if (o == NULL) {
        tally_series_options_init(&defaults);
        o = &defaults;
    }
    tally_freq freq = tally_freq_from_name(t->header[0]);
    if (freq == TALLY_FREQ_NONE) {
        return TALLY_ERROR(TALLY_EPARSE,
            "%s:1:1: the first column must be named month, quarter or year, found '%s'",
            t->path, t->header[0]);
    }
    if (t->nrow == 0) {
        return TALLY_ERROR(TALLY_EPARSE, "%s: no data rows after the header",
                           t->path);
    }
    long gcol = -1;
    if (o->group_col != NULL) {
        gcol = tally_table_column(t, o->group_col);
        if (gcol < 0) {
            return TALLY_ERROR(TALLY_EINVAL, "%s: no column named '%s'",
                               t->path, o->group_col);
        }
        if (gcol == 0) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "%s: the period column cannot be the group",
                               t->path);
        }
    } else if (t->ncol > 2 && text_column(t, 1)) {
        /* A text second column is a grouping column only when variables
         * follow it: in "month,attacks" a column of words is a column of
         * bad numbers, reported as such, not a group with no data. */
        gcol = 1;
    }
    /* Rows by group: sorting (group, row) pairs once finds every group's
     * rows in O(n log n); looking each group up in every row was O(n x
     * groups), a minute for 2,000 groups of 240 months.  The groups come
     * out in strcmp order, their rows in file order. */
    tally_period *per = malloc(t->nrow * sizeof *per);
    group_row *byg = malloc(t->nrow * sizeof *byg);
    size_t *rows = malloc(t->nrow * sizeof *rows);
    tally_frame_set *set = calloc(1, sizeof *set);
    if (per == NULL || byg == NULL || rows == NULL || set == NULL) {
        free(per);
        free(byg);
        free(rows);
        free(set);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    int st = TALLY_OK;
    for (size_t i = 0; i < t->nrow && st == TALLY_OK; i++) {
        tally_freq f = freq;
        if (tally_period_parse(t->cells[i][0], &f, &per[i]) != TALLY_OK) {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%zu:1: %s", t->path, t->line[i],
                             tally_last_error());
        }
        byg[i].group = gcol >= 0 ? t->cells[i][gcol] : "";
        byg[i].row = i;
        if (gcol >= 0 && byg[i].group[0] == '\0' && st == TALLY_OK) {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%zu:%ld: empty group value",
                             t->path, t->line[i], gcol + 1);
        }
    }
    size_t ng = 1;
    if (st == TALLY_OK && gcol >= 0) {
        qsort(byg, t->nrow, sizeof *byg, cmp_group_row);
        ng = 0;
        for (size_t i = 0; i < t->nrow; i++) {
            if (i == 0 || strcmp(byg[i - 1].group, byg[i].group) != 0) {
                ng++;
            }
        }
    }
    if (st == TALLY_OK) {
        set->frames = calloc(ng, sizeof *set->frames);
        if (set->frames == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    for (size_t i = 0; i < t->nrow; i++) {
        rows[i] = byg[i].row;
    }
    /* Group g holds rows[a..b). */
    for (size_t a = 0, b; a < t->nrow && st == TALLY_OK; a = b) {
        b = a + 1;
        while (b < t->nrow && (gcol < 0 || strcmp(byg[a].group,
                                                   byg[b].group) == 0)) {
            b++;
        }
        st = build_group(t, o, freq, per, gcol,
                         gcol >= 0 ? byg[a].group : NULL, rows + a, b - a,
                         &set->frames[set->nframes]);
        if (st == TALLY_OK) {
            set->nframes++;
        }
    }
    if (st == TALLY_OK && gcol >= 0) {
        set->group_col = dupstr(t->header[gcol]);
        if (set->group_col == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    free(per);
    free(byg);
    free(rows);
    if (st != TALLY_OK) {
        tally_frame_set_free(set);
        return st;
    }
    *out = set;
    return TALLY_OK;
}

int tally_series_read(const char *path, const tally_series_options *o,
                      tally_frame_set **out)
{
    tally_table *t = NULL;
    int st = tally_table_read(path, NULL, &t);
    if (st != TALLY_OK) {
        return st;
    }
    st = tally_series_from_table(t, o, out);
    tally_table_free(t);
    return st;
}

/* Write one cell: a number with 17 significant digits (round-trip), an
 * integer-valued number without a decimal part, NA for missing. */
static void write_number(FILE *fp, double v)
{
    if (isnan(v)) {
        fputs("NA", fp);
    } else if (v == floor(v) && fabs(v) < 1e15) {
        fprintf(fp, "%.0f", v);
    } else {
        fprintf(fp, "%.17g", v);
    }
}

int tally_series_write(FILE *fp, const tally_frame_set *set)
{
    if (set->nframes == 0) {
        return TALLY_ERROR(TALLY_EINVAL, "nothing to write");
    }
    const tally_frame *f0 = set->frames[0];
    fputs(tally_freq_name(f0->freq), fp);
    if (set->group_col != NULL) {
        fputc(',', fp);
        tally_csv_write_field(fp, set->group_col);
    }
    for (size_t j = 0; j < f0->ncol; j++) {
        fputc(',', fp);
        tally_csv_write_field(fp, f0->names[j]);
    }
    fputc('\n', fp);
    for (size_t g = 0; g < set->nframes; g++) {
        const tally_frame *f = set->frames[g];
        for (size_t i = 0; i < f->n; i++) {
            char b[TALLY_PERIOD_BUFSIZE];
            fputs(tally_period_format(f->freq, f->start + (tally_period)i, b,
                                      sizeof b), fp);
            if (set->group_col != NULL) {
                fputc(',', fp);
                tally_csv_write_field(fp, f->group);
            }
            for (size_t j = 0; j < f->ncol; j++) {
                fputc(',', fp);
                write_number(fp, f->cols[j][i]);
            }
            fputc('\n', fp);
        }
    }
    if (ferror(fp)) {
        return TALLY_ERROR(TALLY_EIO, "write error");
    }
    return TALLY_OK;
}
