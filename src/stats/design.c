/* SPDX-License-Identifier: MIT
 *
 * Design matrices (tally_design.h): a response, named columns appended one
 * at a time, an offset and prior weights.  The term builders here
 * (intercept, time, calendar dummies, Fourier pairs) fix the names and
 * values that every model command prints, following CLI.md and
 * shared/reference/README.md ("Designs").
 */
#include "tally/tally_design.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
    size_t len = strlen(s) + 1;
    char *c = malloc(len);
    if (c != NULL) {
        memcpy(c, s, len);
    }
    return c;
}

tally_design *tally_design_alloc(size_t n)
{
    tally_design *d = calloc(1, sizeof *d);
    if (d == NULL) {
        return NULL;
    }
    d->n = n;
    d->y = malloc((n ? n : 1) * sizeof *d->y);
    d->response = dup_str("y");
    if (d->y == NULL || d->response == NULL) {
        tally_design_free(d);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        d->y[i] = NAN;
    }
    d->freq = TALLY_FREQ_NONE;
    return d;
}

void tally_design_free(tally_design *d)
{
    if (d == NULL) {
        return;
    }
    for (size_t j = 0; j < d->p; j++) {
        free(d->names[j]);
    }
    free(d->names);
    free(d->x);
    free(d->response);
    free(d->y);
    free(d->offset);
    free(d->offset_name);
    free(d->weights);
    free(d->weights_name);
    free(d->source);
    free(d->line);
    free(d);
}

int tally_design_set_source(tally_design *d, const char *name,
                            const size_t *lines)
{
    char *src = dup_str(name);
    size_t *ln = NULL;
    if (lines != NULL) {
        ln = malloc((d->n ? d->n : 1) * sizeof *ln);
        if (ln != NULL) {
            memcpy(ln, lines, d->n * sizeof *ln);
        }
    }
    if (src == NULL || (lines != NULL && ln == NULL)) {
        free(src);
        free(ln);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    free(d->source);
    free(d->line);
    d->source = src;
    d->line = ln;
    return TALLY_OK;
}

char *tally_design_where(const tally_design *d, size_t row, char *buf,
                         size_t size)
{
    if (d->source != NULL && d->line != NULL && row < d->n) {
        snprintf(buf, size, "%s:%zu", d->source, d->line[row]);
    } else if (d->freq != TALLY_FREQ_NONE) {
        char p[TALLY_PERIOD_BUFSIZE];
        tally_period_format(d->freq, d->start + (tally_period)row, p, sizeof p);
        snprintf(buf, size, "%s%s%s", d->source ? d->source : "",
                 d->source ? ", " : "", p);
    } else {
        snprintf(buf, size, "%s%srow %zu", d->source ? d->source : "",
                 d->source ? ", " : "", row + 1);
    }
    return buf;
}

int tally_design_from_frame(const tally_frame *f, const char *response,
                            tally_design **out)
{
    long col = tally_frame_column(f, response);
    if (col < 0) {
        return TALLY_ERROR(TALLY_EINVAL, "no column '%s' in the series",
                           response);
    }
    tally_design *d = tally_design_alloc(f->n);
    char *name = dup_str(response);
    if (d == NULL || name == NULL) {
        free(name);
        tally_design_free(d);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    free(d->response);
    d->response = name;
    memcpy(d->y, f->cols[col], f->n * sizeof *d->y);
    d->freq = f->freq;
    d->start = f->start;
    *out = d;
    return TALLY_OK;
}

long tally_design_term(const tally_design *d, const char *name)
{
    for (size_t j = 0; j < d->p; j++) {
        if (strcmp(d->names[j], name) == 0) {
            return (long)j;
        }
    }
    return -1;
}

/* Make room for one more column: capacity doubles, and since columns are
 * stored one after another (column-major) a realloc keeps them in place. */
static int grow(tally_design *d)
{
    if (d->p < d->cap) {
        return TALLY_OK;
    }
    size_t cap = d->cap ? 2 * d->cap : 8;
    double *x = realloc(d->x, (d->n ? d->n : 1) * cap * sizeof *x);
    if (x == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    d->x = x;
    char **names = realloc(d->names, cap * sizeof *names);
    if (names == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    d->names = names;
    d->cap = cap;
    return TALLY_OK;
}

/* Append a column and return a pointer to its n values (NULL on error,
 * with the error recorded).  The caller fills the values. */
static double *new_column(tally_design *d, const char *name)
{
    if (name == NULL || name[0] == '\0') {
        TALLY_ERROR(TALLY_EINVAL, "a design term needs a name");
        return NULL;
    }
    if (strlen(name) >= TALLY_TERM_MAX) {
        TALLY_ERROR(TALLY_EINVAL, "term name '%.40s...' is too long", name);
        return NULL;
    }
    if (tally_design_term(d, name) >= 0) {
        TALLY_ERROR(TALLY_EINVAL, "the design already has a term '%s'", name);
        return NULL;
    }
    if (grow(d) != TALLY_OK) {
        return NULL;
    }
    char *copy = dup_str(name);
    if (copy == NULL) {
        TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        return NULL;
    }
    d->names[d->p] = copy;
    double *col = d->x + d->p * d->n;
    d->p++;
    return col;
}

int tally_design_add_column(tally_design *d, const char *name,
                            const double *values)
{
    double *col = new_column(d, name);
    if (col == NULL) {
        return tally_last_status();
    }
    memcpy(col, values, d->n * sizeof *col);
    return TALLY_OK;
}

int tally_design_add_intercept(tally_design *d)
{
    double *col = new_column(d, "intercept");
    if (col == NULL) {
        return tally_last_status();
    }
    for (size_t i = 0; i < d->n; i++) {
        col[i] = 1.0;
    }
    d->intercept = 1;
    return TALLY_OK;
}

int tally_design_add_time(tally_design *d)
{
    double *col = new_column(d, "time");
    if (col == NULL) {
        return tally_last_status();
    }
    for (size_t i = 0; i < d->n; i++) {
        col[i] = (double)(i + 1);
    }
    return TALLY_OK;
}

/* sin and cos of 2*pi*k*t/m with the angle reduced exactly first: k*t mod m
 * is an integer, so the argument is 2*pi*r/m with 0 <= r < m and no
 * rounding grows with t (forecast::fourier uses sinpi/cospi for the same
 * reason).  Exact zeros of the sine and cosine come out as exact zeros. */
static void fourier_value(long k, long t, long m, double *s, double *c)
{
    long r = (k * t) % m;
    if (2 * r == m) {
        *s = 0.0;
        *c = -1.0;
        return;
    }
    if (r == 0) {
        *s = 0.0;
        *c = 1.0;
        return;
    }
    if (4 * r == m || 4 * r == 3 * m) {
        /* Quarter turns: the cosine is exactly 0. */
        *s = 4 * r == m ? 1.0 : -1.0;
        *c = 0.0;
        return;
    }
    /* 2*pi to double precision (M_PI is not C11). */
    const double two_pi = 6.283185307179586476925286766559;
    double a = two_pi * (double)r / (double)m;
    *s = sin(a);
    *c = cos(a);
}

int tally_design_add_season(tally_design *d, tally_season_kind kind, int K)
{
    if (kind == TALLY_SEASON_NONE) {
        return TALLY_OK;
    }
    if (d->freq != TALLY_FREQ_MONTH && d->freq != TALLY_FREQ_QUARTER) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "season terms need monthly or quarterly data");
    }
    long m = (long)d->freq;
    const char *stem = d->freq == TALLY_FREQ_MONTH ? "month" : "quarter";
    char name[TALLY_TERM_MAX];
    if (kind == TALLY_SEASON_DUMMIES) {
        /* One dummy per calendar sub-period 2..m; the first of the year is
         * the baseline whatever the starting period. */
        for (long s = 2; s <= m; s++) {
            snprintf(name, sizeof name, "%s%ld", stem, s);
            double *col = new_column(d, name);
            if (col == NULL) {
                return tally_last_status();
            }
            for (size_t i = 0; i < d->n; i++) {
                int sub = tally_period_sub(d->freq,
                                           d->start + (tally_period)i);
                col[i] = sub == s ? 1.0 : 0.0;
            }
        }
        return TALLY_OK;
    }
    if (K < 1 || 2L * K > m) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "fourier:K needs 1 <= K <= %ld for %s data", m / 2,
                           m == 12 ? "monthly" : "quarterly");
    }
    for (long k = 1; k <= K; k++) {
        /* sinK is identically zero when 2k = m: left out, as fourier(). */
        if (2 * k != m) {
            snprintf(name, sizeof name, "sin%ld", k);
            double *col = new_column(d, name);
            if (col == NULL) {
                return tally_last_status();
            }
            for (size_t i = 0; i < d->n; i++) {
                double c;
                fourier_value(k, (long)i + 1, m, &col[i], &c);
            }
        }
        snprintf(name, sizeof name, "cos%ld", k);
        double *col = new_column(d, name);
        if (col == NULL) {
            return tally_last_status();
        }
        for (size_t i = 0; i < d->n; i++) {
            double s;
            fourier_value(k, (long)i + 1, m, &s, &col[i]);
        }
    }
    return TALLY_OK;
}

int tally_design_add_frame_column(tally_design *d, const tally_frame *f,
                                  const char *name)
{
    long col = tally_frame_column(f, name);
    if (col < 0) {
        return TALLY_ERROR(TALLY_EINVAL, "no column '%s' in the series", name);
    }
    if (f->n != d->n) {
        return TALLY_ERROR(TALLY_EINVAL, "column '%s' has %zu rows, not %zu",
                           name, f->n, d->n);
    }
    return tally_design_add_column(d, name, f->cols[col]);
}

int tally_design_set_offset(tally_design *d, const char *name,
                            const double *values, int take_log)
{
    double *off = malloc((d->n ? d->n : 1) * sizeof *off);
    size_t len = strlen(name) + 8;
    char *label = malloc(len);
    if (off == NULL || label == NULL) {
        free(off);
        free(label);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < d->n; i++) {
        double v = values[i];
        if (take_log && !isnan(v)) {
            /* Exposure must be positive: its log enters the predictor. */
            if (!(v > 0)) {
                char where[512];
                free(off);
                free(label);
                return TALLY_ERROR(TALLY_EDOMAIN,
                                   "%s: exposure '%s' is %g; it must be "
                                   "positive (its log is the offset)",
                                   tally_design_where(d, i, where,
                                                      sizeof where),
                                   name, v);
            }
            v = log(v);
        }
        off[i] = v;
    }
    snprintf(label, len, take_log ? "log(%s)" : "%s", name);
    free(d->offset);
    free(d->offset_name);
    d->offset = off;
    d->offset_name = label;
    return TALLY_OK;
}

int tally_design_set_weights(tally_design *d, const char *name,
                             const double *values)
{
    double *w = malloc((d->n ? d->n : 1) * sizeof *w);
    char *label = dup_str(name);
    if (w == NULL || label == NULL) {
        free(w);
        free(label);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < d->n; i++) {
        if (values[i] < 0) {
            char where[512];
            free(w);
            free(label);
            return TALLY_ERROR(TALLY_EDOMAIN, "%s: weight '%s' is negative (%g)",
                               tally_design_where(d, i, where, sizeof where),
                               name, values[i]);
        }
        w[i] = values[i];
    }
    free(d->weights);
    free(d->weights_name);
    d->weights = w;
    d->weights_name = label;
    return TALLY_OK;
}

int tally_design_table_column(const tally_table *t, const char *name,
                              double **out)
{
    long col = tally_table_column(t, name);
    if (col < 0) {
        return TALLY_ERROR(TALLY_EINVAL, "%s: no column '%s'", t->path, name);
    }
    double *v = malloc((t->nrow ? t->nrow : 1) * sizeof *v);
    if (v == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->nrow; i++) {
        int st = tally_table_number(t, i, (size_t)col, &v[i]);
        if (st != TALLY_OK) {
            free(v);
            return st;
        }
    }
    *out = v;
    return TALLY_OK;
}
