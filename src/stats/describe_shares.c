/* SPDX-License-Identifier: MIT
 *
 * Shares of a grouped series: each group's total over the span and per
 * calendar year as a percentage of the sum over all groups, and the same
 * for unions of groups ("Khyber Pakhtunkhwa+Balochistan").  Groups may
 * cover different spans; a period of the overall span that a group does
 * not cover is a missing cell of that group, never a zero, and every
 * total says how many cells it is missing.
 */
#include "tally/tally_describe.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A compensated running sum (Neumaier) of observed values, counting the
 * values added and the missing ones passed. */
typedef struct {
    double s;        /* running sum */
    double c;        /* accumulated low-order correction */
    size_t observed; /* values added */
    size_t missing;  /* NaN values passed */
} acc;

static void acc_add(acc *a, double v)
{
    if (isnan(v)) {
        a->missing++;
        return;
    }
    double t = a->s + v;
    a->c += fabs(a->s) >= fabs(v) ? (a->s - t) + v : (v - t) + a->s;
    a->s = t;
    a->observed++;
}

static double acc_value(const acc *a)
{
    return a->observed > 0 ? a->s + a->c : NAN;
}

/* share = 100 part / whole, undefined when the whole is 0 or missing. */
static double share_of(double part, double whole)
{
    if (isnan(part) || isnan(whole) || whole == 0.0) {
        return NAN;
    }
    return 100.0 * part / whole;
}

void tally_describe_shares_fini(tally_describe_shares *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t r = 0; r < s->nrows && s->rows != NULL; r++) {
        free(s->rows[r].label);
    }
    free(s->rows);
    free(s->years);
    free(s->year_total);
    free(s->year_missing);
    free(s->year_groups);
    free(s->year_periods);
    free(s->year_value);
    free(s->year_share);
    free(s->year_row_missing);
    memset(s, 0, sizeof *s);
}

static long group_index(const tally_frame_set *set, const char *name)
{
    for (size_t g = 0; g < set->nframes; g++) {
        if (strcmp(set->frames[g]->group, name) == 0) {
            return (long)g;
        }
    }
    return -1;
}

/* Label "A+B+C" of a union, malloc'd. */
static char *join_names(const tally_describe_union *u)
{
    size_t len = 1;
    for (size_t k = 0; k < u->n; k++) {
        len += strlen(u->names[k]) + 1;
    }
    char *s = malloc(len);
    if (s == NULL) {
        return NULL;
    }
    size_t at = 0;
    for (size_t k = 0; k < u->n; k++) {
        size_t l = strlen(u->names[k]);
        if (k > 0) {
            s[at++] = '+';
        }
        memcpy(s + at, u->names[k], l);
        at += l;
    }
    s[at] = '\0';
    return s;
}

/* Check the unions and list their member groups: members[r] points to
 * u->n group indices (stored consecutively in idx). */
static int resolve_unions(const tally_frame_set *set,
                          const tally_describe_union *unions, size_t nunions,
                          size_t *idx)
{
    size_t at = 0;
    for (size_t u = 0; u < nunions; u++) {
        if (unions[u].n == 0) {
            return TALLY_ERROR(TALLY_EINVAL, "union %zu of groups is empty",
                               u + 1);
        }
        for (size_t k = 0; k < unions[u].n; k++) {
            long g = group_index(set, unions[u].names[k]);
            if (g < 0) {
                return TALLY_ERROR(TALLY_EINVAL, "no group '%s' in column '%s'",
                                   unions[u].names[k], set->group_col);
            }
            for (size_t q = 0; q < k; q++) {
                if (idx[at - k + q] == (size_t)g) {
                    return TALLY_ERROR(TALLY_EINVAL,
                                       "group '%s' appears twice in a union",
                                       unions[u].names[k]);
                }
            }
            idx[at++] = (size_t)g;
        }
    }
    return TALLY_OK;
}

int tally_describe_shares_compute(const tally_frame_set *set,
                                  const char *column,
                                  const tally_describe_union *unions,
                                  size_t nunions, tally_describe_shares *out)
{
    memset(out, 0, sizeof *out);
    if (set == NULL || set->group_col == NULL || set->nframes == 0) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "shares need a grouped series (--by COLUMN)");
    }
    size_t ng = set->nframes;
    tally_freq freq = set->frames[0]->freq;
    long *col = malloc(ng * sizeof *col);
    size_t nmem = 0;
    for (size_t u = 0; u < nunions; u++) {
        nmem += unions[u].n;
    }
    size_t *members = malloc((nmem ? nmem : 1) * sizeof *members);
    if (col == NULL || members == NULL) {
        free(col);
        free(members);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    /* The span of the shares: from the first period of any group to the
     * last of any group. */
    tally_period lo = 0, hi = 0;
    int st = TALLY_OK;
    for (size_t g = 0; g < ng && st == TALLY_OK; g++) {
        const tally_frame *f = set->frames[g];
        col[g] = tally_frame_column(f, column);
        if (col[g] < 0) {
            st = TALLY_ERROR(TALLY_EINVAL, "no column '%s'", column);
        }
        tally_period e = f->start + (tally_period)f->n - 1;
        if (g == 0 || f->start < lo) {
            lo = f->start;
        }
        if (g == 0 || e > hi) {
            hi = e;
        }
    }
    if (st == TALLY_OK) {
        st = resolve_unions(set, unions, nunions, members);
    }
    if (st != TALLY_OK) {
        free(col);
        free(members);
        return st;
    }

    tally_describe_shares s;
    memset(&s, 0, sizeof s);
    s.freq = freq;
    s.start = lo;
    s.n = (size_t)(hi - lo + 1);
    s.ngroups = ng;
    s.nunions = nunions;
    s.nrows = ng + nunions;
    int y0 = tally_period_year(freq, lo);
    int y1 = tally_period_year(freq, hi);
    s.nyears = (size_t)(y1 - y0 + 1);
    size_t cells = s.nyears * s.nrows;
    s.rows = calloc(s.nrows, sizeof *s.rows);
    s.years = calloc(s.nyears, sizeof *s.years);
    s.year_total = calloc(s.nyears, sizeof *s.year_total);
    s.year_missing = calloc(s.nyears, sizeof *s.year_missing);
    s.year_groups = calloc(s.nyears, sizeof *s.year_groups);
    s.year_periods = calloc(s.nyears, sizeof *s.year_periods);
    s.year_value = calloc(cells, sizeof *s.year_value);
    s.year_share = calloc(cells, sizeof *s.year_share);
    s.year_row_missing = calloc(cells, sizeof *s.year_row_missing);
    /* Accumulators: per row over the span, per row and year, per year. */
    acc *span_acc = calloc(s.nrows, sizeof *span_acc);
    acc *cell_acc = calloc(cells, sizeof *cell_acc);
    acc *year_acc = calloc(s.nyears, sizeof *year_acc);
    if (s.rows == NULL || s.years == NULL || s.year_total == NULL ||
        s.year_missing == NULL || s.year_groups == NULL ||
        s.year_periods == NULL || s.year_value == NULL ||
        s.year_share == NULL || s.year_row_missing == NULL ||
        span_acc == NULL || cell_acc == NULL || year_acc == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < s.nrows && st == TALLY_OK; r++) {
        if (r < ng) {
            size_t len = strlen(set->frames[r]->group) + 1;
            s.rows[r].label = malloc(len);
            if (s.rows[r].label != NULL) {
                memcpy(s.rows[r].label, set->frames[r]->group, len);
            }
            s.rows[r].members = 1;
        } else {
            s.rows[r].label = join_names(&unions[r - ng]);
            s.rows[r].members = unions[r - ng].n;
        }
        if (s.rows[r].label == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    if (st != TALLY_OK) {
        free(span_acc);
        free(cell_acc);
        free(year_acc);
        free(col);
        free(members);
        tally_describe_shares_fini(&s);
        return st;
    }

    for (size_t k = 0; k < s.nyears; k++) {
        s.years[k] = y0 + (int)k;
    }
    /* One pass over every (period, group) cell of the span.  A union's
     * cell is the sum of its members' cells, so each member's value is
     * added to the union's accumulators as well. */
    for (tally_period p = lo; p <= hi; p++) {
        size_t yk = (size_t)(tally_period_year(freq, p) - y0);
        s.year_periods[yk]++;
        for (size_t g = 0; g < ng; g++) {
            const tally_frame *f = set->frames[g];
            long i = tally_frame_index(f, p);
            double v = i < 0 ? NAN : f->cols[col[g]][i];
            acc_add(&span_acc[g], v);
            acc_add(&cell_acc[yk * s.nrows + g], v);
            acc_add(&year_acc[yk], v);
            size_t at = 0;
            for (size_t u = 0; u < nunions; u++) {
                for (size_t m = 0; m < unions[u].n; m++, at++) {
                    if (members[at] == g) {
                        acc_add(&span_acc[ng + u], v);
                        acc_add(&cell_acc[yk * s.nrows + ng + u], v);
                    }
                }
            }
        }
    }
    acc grand = {0.0, 0.0, 0, 0};
    for (size_t g = 0; g < ng; g++) {
        /* The grand total is the sum of the group totals (each already
         * compensated); a union never enters it. */
        if (span_acc[g].observed > 0) {
            acc_add(&grand, acc_value(&span_acc[g]));
        }
        grand.missing += span_acc[g].missing;
    }
    s.grand_total = acc_value(&grand);
    s.grand_missing = grand.missing;
    for (size_t r = 0; r < s.nrows; r++) {
        s.rows[r].total = acc_value(&span_acc[r]);
        s.rows[r].observed = span_acc[r].observed;
        s.rows[r].missing = span_acc[r].missing;
        s.rows[r].share = share_of(s.rows[r].total, s.grand_total);
    }
    for (size_t k = 0; k < s.nyears; k++) {
        s.year_total[k] = acc_value(&year_acc[k]);
        s.year_missing[k] = year_acc[k].missing;
        for (size_t r = 0; r < s.nrows; r++) {
            const acc *a = &cell_acc[k * s.nrows + r];
            s.year_value[k * s.nrows + r] = acc_value(a);
            s.year_share[k * s.nrows + r] =
                share_of(acc_value(a), s.year_total[k]);
            s.year_row_missing[k * s.nrows + r] = a->missing;
            if (r < ng && a->observed > 0) {
                s.year_groups[k]++;
            }
        }
    }
    free(span_acc);
    free(cell_acc);
    free(year_acc);
    free(col);
    free(members);
    *out = s;
    return TALLY_OK;
}
