/* SPDX-License-Identifier: MIT
 *
 * The compare plot: the series with the "before" and "after" windows
 * shaded, each window's mean drawn as a level across it, and the percent
 * change of the means (after over before) in the legend.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>

/* The mean of the present values of y over periods from..to, NaN when
 * none. */
static double window_mean(const tally_plot_compare *d, tally_period from,
                          tally_period to)
{
    double m = 0;
    size_t k = 0;
    for (tally_period p = from; p <= to; p++) {
        double v = d->y[p - d->t.start];
        if (isfinite(v)) {
            /* Running mean: m_k = m_{k-1} + (v - m_{k-1}) / k. */
            k++;
            m += (v - m) / (double)k;
        }
    }
    return k > 0 ? m : NAN;
}

static int check_window(const tally_plot_compare *d, tally_period from,
                        tally_period to, const char *name)
{
    char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
    tally_period end = d->t.start + (tally_period)d->t.n - 1;
    if (from > to || from < d->t.start || to > end) {
        return TALLY_ERROR(TALLY_ERANGE,
                           "plot compare: the %s window %s:%s is empty or "
                           "outside the series",
                           name,
                           tally_period_format(d->t.freq, from, a, sizeof a),
                           tally_period_format(d->t.freq, to, b, sizeof b));
    }
    return TALLY_OK;
}

/* A window: its shaded rectangle, its name at the top, and a block with
 * its mean as a level from its first to its last period. */
static void window(tly_plot *w, int tag, tally_period from, tally_period to,
                   double mean, const char *color, const char *name)
{
    FILE *fp = w->fp;
    double x0 = tly_plot_x(w, from) - 0.5, x1 = tly_plot_x(w, to) + 0.5;
    fprintf(fp, "set object %d rectangle from ", tag);
    tly_plot_num(fp, x0);
    fputs(", graph 0 to ", fp);
    tly_plot_num(fp, x1);
    fprintf(fp,
            ", graph 1 fc rgb '%s' fs transparent solid 0.1 noborder "
            "behind\n",
            color);
    fprintf(fp, "set label %d ", tag);
    tly_plot_quote(fp, name, 0);
    fputs(" at ", fp);
    tly_plot_num(fp, (x0 + x1) / 2);
    fprintf(fp, ", graph 0.96 center tc rgb '%s' front\n", color);
    tly_plot_block_open(w, name, "x mean");
    double a[2] = {x0, mean}, b[2] = {x1, mean};
    tly_plot_row_plain(w, a, 2);
    tly_plot_row_plain(w, b, 2);
    tly_plot_block_close(w);
}

int tly_plot_compare_write(tly_plot *w, const tally_plot_compare *d)
{
    int st = tly_plot_check_axis(&d->t, "compare");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->y == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot compare: no values");
    }
    st = check_window(d, d->before_from, d->before_to, "before");
    if (st == TALLY_OK) {
        st = check_window(d, d->after_from, d->after_to, "after");
    }
    if (st != TALLY_OK) {
        return st;
    }
    double mb = isfinite(d->before_mean)
                    ? d->before_mean
                    : window_mean(d, d->before_from, d->before_to);
    double ma = isfinite(d->after_mean)
                    ? d->after_mean
                    : window_mean(d, d->after_from, d->after_to);
    if (!isfinite(mb) || !isfinite(ma)) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot compare: a window has no values");
    }
    size_t n = d->t.n;
    double lo = INFINITY, hi = -INFINITY;
    if (tly_plot_extent(d->y, n, &lo, &hi) == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot compare: every value is missing");
    }
    tly_plot_extent(&mb, 1, &lo, &hi);
    tly_plot_extent(&ma, 1, &lo, &hi);
    FILE *fp = w->fp;
    char title[256];
    snprintf(title, sizeof title, "%s: before and after",
             d->ylabel != NULL ? d->ylabel : "series");
    tly_plot_titles(w, title, d->ylabel);
    tly_plot_time_axis(w, d->t.freq, d->t.start,
                       d->t.start + (tally_period)n - 1);
    tly_plot_yrange_counts(w, lo);
    tly_plot_block_open(w, "series", "period x value");
    for (size_t i = 0; i < n; i++) {
        tly_plot_row(w, d->t.start + (tally_period)i, &d->y[i], 1);
    }
    tly_plot_block_close(w);
    window(w, 1, d->before_from, d->before_to, mb, TLY_PLOT_BLUE, "before");
    window(w, 2, d->after_from, d->after_to, ma, TLY_PLOT_VERMILLION, "after");
    /* Legend texts: the means, and the percent change of the means,
     * 100 (mean_after / mean_before - 1), when the before mean is not 0. */
    char kb[96], ka[128], vb[48], va[48], pc[48];
    snprintf(kb, sizeof kb, "before: mean %s",
             tly_plot_pretty(mb, vb, sizeof vb));
    if (mb != 0) {
        double change = 100 * (ma / mb - 1);
        snprintf(ka, sizeof ka, "after: mean %s (%s%s%%)",
                 tly_plot_pretty(ma, va, sizeof va), change > 0 ? "+" : "",
                 tly_plot_pretty(change, pc, sizeof pc));
    } else {
        snprintf(ka, sizeof ka, "after: mean %s",
                 tly_plot_pretty(ma, va, sizeof va));
    }
    fprintf(fp,
            "plot $series using 2:3 with linespoints lc rgb '%s' lw 1 "
            "pt 7 ps 0.5",
            TLY_PLOT_GREY);
    tly_plot_key(fp, "observed");
    fprintf(fp, ", \\\n     $before using 1:2 with lines lc rgb '%s' lw 3",
            TLY_PLOT_BLUE);
    tly_plot_key(fp, kb);
    fprintf(fp, ", \\\n     $after using 1:2 with lines lc rgb '%s' lw 3",
            TLY_PLOT_VERMILLION);
    tly_plot_key(fp, ka);
    fputc('\n', fp);
    return TALLY_OK;
}
