/* SPDX-License-Identifier: MIT
 *
 * The series plot: one or many groups over time, as lines or as bars
 * (stacked when there are several groups).  Lines break at missing values;
 * a value with no present neighbour would draw nothing as a line, so short
 * series get a point at every value and long ones a point at each such
 * isolated value.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

/* Up to this many periods every value gets a point marker. */
enum { POINTS_UP_TO = 120 };

static int check(const tally_plot_series *d)
{
    int st = tly_plot_check_axis(&d->t, "series");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->ngroups == 0 || d->y == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot series: no values");
    }
    if (d->ngroups > 1 && d->names == NULL) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot series: several groups need names");
    }
    for (size_t g = 0; g < d->ngroups; g++) {
        if (d->y[g] == NULL) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "plot series: group %zu has no values", g + 1);
        }
    }
    return TALLY_OK;
}

/* Is value i of y present with no present neighbour? */
static int isolated(const double *y, size_t n, size_t i)
{
    return isfinite(y[i]) && (i == 0 || !isfinite(y[i - 1])) &&
           (i + 1 == n || !isfinite(y[i + 1]));
}

static void default_title(const tally_plot_series *d, char *buf, size_t size)
{
    const char *what = d->ylabel != NULL ? d->ylabel : "values";
    snprintf(buf, size, "%s per %s%s%s", what, tally_freq_name(d->t.freq),
             d->ngroups > 1 ? " by " : "",
             d->ngroups > 1 ? (d->by != NULL ? d->by : "group") : "");
}

static const char *group_name(const tally_plot_series *d, size_t g)
{
    return d->names != NULL && d->names[g] != NULL ? d->names[g] : "";
}

/* Lines: columns period, x, then per group its value and its isolated
 * value (NaN unless isolated). */
static void write_lines(tly_plot *w, const tally_plot_series *d, double *row,
                        const size_t *finite)
{
    size_t n = d->t.n, k = d->ngroups;
    int points = n <= POINTS_UP_TO;
    tly_plot_block_open(w, "series",
                        "period x, then per group: value, isolated value");
    for (size_t i = 0; i < n; i++) {
        for (size_t g = 0; g < k; g++) {
            row[2 * g] = d->y[g][i];
            row[2 * g + 1] = isolated(d->y[g], n, i) ? d->y[g][i] : NAN;
        }
        tly_plot_row(w, d->t.start + (tally_period)i, row, 2 * k);
    }
    tly_plot_block_close(w);
    const char *sep = "plot ";
    for (size_t g = 0; g < k; g++) {
        if (finite[g] == 0) {
            continue; /* nothing to draw: gnuplot would warn */
        }
        fprintf(w->fp, "%s$series using 2:%zu with %s lt %zu", sep, 3 + 2 * g,
                points ? "linespoints" : "lines", g + 1);
        if (g >= TLY_PLOT_NCOLORS) {
            /* The palette has eight colours; later groups repeat them with
             * another dash pattern. */
            fprintf(w->fp, " dt %zu", g / TLY_PLOT_NCOLORS + 1);
        }
        if (k > 1) {
            tly_plot_key(w->fp, group_name(d, g));
        } else {
            fputs(" notitle", w->fp);
        }
        sep = ", \\\n     ";
        int any_iso = 0;
        for (size_t i = 0; i < n && !points; i++) {
            any_iso |= isolated(d->y[g], n, i);
        }
        if (any_iso) {
            fprintf(w->fp, "%s$series using 2:%zu with points lt %zu notitle",
                    sep, 4 + 2 * g, g + 1);
        }
    }
    fputc('\n', w->fp);
}

/* Bars: columns period, x, then per group the bottom and top of its
 * segment of the stack.  A missing value adds nothing (both NaN: no
 * segment drawn). */
static void write_bars(tly_plot *w, const tally_plot_series *d, double *row,
                       const size_t *finite)
{
    size_t n = d->t.n, k = d->ngroups;
    /* Bars a little narrower than a period, leaving a visible gap. */
    double half = n > 200 ? 0.45 : 0.4;
    tly_plot_block_open(w, "series",
                        "period x, then per group: bottom, top of its bar");
    for (size_t i = 0; i < n; i++) {
        double base = 0;
        for (size_t g = 0; g < k; g++) {
            double v = d->y[g][i];
            if (isfinite(v)) {
                row[2 * g] = base;
                row[2 * g + 1] = base + v;
                base += v;
            } else {
                row[2 * g] = NAN;
                row[2 * g + 1] = NAN;
            }
        }
        tly_plot_row(w, d->t.start + (tally_period)i, row, 2 * k);
    }
    tly_plot_block_close(w);
    const char *sep = "plot ";
    for (size_t g = 0; g < k; g++) {
        if (finite[g] == 0) {
            continue;
        }
        size_t lo = 3 + 2 * g, hi = lo + 1;
        /* boxxyerror takes x:y:xlow:xhigh:ylow:yhigh. */
        fprintf(w->fp, "%s$series using 2:%zu:($2-", sep, lo);
        tly_plot_num(w->fp, half);
        fputs("):($2+", w->fp);
        tly_plot_num(w->fp, half);
        fprintf(w->fp, "):%zu:%zu with boxxyerror lt %zu fs solid 1.0 noborder",
                lo, hi, g + 1);
        if (k > 1) {
            tly_plot_key(w->fp, group_name(d, g));
        } else {
            fputs(" notitle", w->fp);
        }
        sep = ", \\\n     ";
    }
    fputc('\n', w->fp);
}

int tly_plot_series_write(tly_plot *w, const tally_plot_series *d)
{
    int st = check(d);
    if (st != TALLY_OK) {
        return st;
    }
    size_t k = d->ngroups, n = d->t.n;
    double lo = INFINITY, hi = -INFINITY;
    size_t *finite = calloc(k, sizeof *finite);
    double *row = malloc(2 * k * sizeof *row);
    if (finite == NULL || row == NULL) {
        free(finite);
        free(row);
        return TALLY_ERROR(TALLY_ENOMEM, "plot series: out of memory");
    }
    size_t total = 0;
    for (size_t g = 0; g < k; g++) {
        finite[g] = tly_plot_extent(d->y[g], n, &lo, &hi);
        total += finite[g];
    }
    if (total == 0) {
        free(finite);
        free(row);
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot series: every value is missing");
    }
    char title[256];
    default_title(d, title, sizeof title);
    tly_plot_titles(w, title, d->ylabel);
    if (k == 1) {
        fputs("set key off\n", w->fp);
    }
    tly_plot_time_axis(w, d->t.freq, d->t.start,
                       d->t.start + (tally_period)n - 1);
    tly_plot_yrange_counts(w, lo);
    if (d->bars) {
        write_bars(w, d, row, finite);
    } else {
        write_lines(w, d, row, finite);
    }
    free(finite);
    free(row);
    return TALLY_OK;
}
