/* SPDX-License-Identifier: MIT
 *
 * The change-point plot: the series, each segment's mean drawn as a level
 * across the segment, and each break marked by a vertical line between
 * the last period of one segment and the first of the next, labelled with
 * the first period of the new segment (as `changepoint` names breaks).
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

static int check(const tally_plot_changepoint *d)
{
    int st = tly_plot_check_axis(&d->t, "changepoint");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->y == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot changepoint: no values");
    }
    if (d->nsegments > 0 && d->segments == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot changepoint: segments missing");
    }
    if (d->nbreaks > 0 && d->breaks == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot changepoint: breaks missing");
    }
    tally_period end = d->t.start + (tally_period)d->t.n - 1;
    for (size_t s = 0; s < d->nsegments; s++) {
        const tally_plot_segment *g = &d->segments[s];
        if (g->from > g->to || g->from < d->t.start || g->to > end ||
            (s > 0 && g->from <= d->segments[s - 1].to)) {
            return TALLY_ERROR(TALLY_ERANGE,
                               "plot changepoint: segment %zu is empty, "
                               "outside the series or out of order",
                               s + 1);
        }
    }
    for (size_t b = 0; b < d->nbreaks; b++) {
        if (d->breaks[b] <= d->t.start || d->breaks[b] > end) {
            return TALLY_ERROR(TALLY_ERANGE,
                               "plot changepoint: break %zu is not inside "
                               "the series",
                               b + 1);
        }
    }
    return TALLY_OK;
}

int tly_plot_changepoint_write(tly_plot *w, const tally_plot_changepoint *d)
{
    int st = check(d);
    if (st != TALLY_OK) {
        return st;
    }
    size_t n = d->t.n;
    double lo = INFINITY, hi = -INFINITY;
    if (tly_plot_extent(d->y, n, &lo, &hi) == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot changepoint: every value is missing");
    }
    size_t nmeans = 0;
    for (size_t s = 0; s < d->nsegments; s++) {
        nmeans += tly_plot_extent(&d->segments[s].mean, 1, &lo, &hi);
    }
    /* The breaks: as given, or the first period of every segment but the
     * first. */
    size_t nb = d->breaks != NULL ? d->nbreaks
                                  : (d->nsegments > 0 ? d->nsegments - 1 : 0);
    FILE *fp = w->fp;
    char title[256], p[TALLY_PERIOD_BUFSIZE];
    snprintf(title, sizeof title, "%s: %s",
             d->ylabel != NULL ? d->ylabel : "series",
             nb == 0 ? "no change point found"
                     : (nb == 1 ? "1 change point" : "change points"));
    tly_plot_titles(w, title, d->ylabel);
    tly_plot_time_axis(w, d->t.freq, d->t.start,
                       d->t.start + (tally_period)n - 1);
    tly_plot_yrange_counts(w, lo);
    for (size_t b = 0; b < nb; b++) {
        tally_period pb =
            d->breaks != NULL ? d->breaks[b] : d->segments[b + 1].from;
        tly_plot_vline(w, (int)b + 1, tly_plot_x(w, pb) - 0.5, "#333333",
                       tally_period_format(d->t.freq, pb, p, sizeof p));
    }
    tly_plot_block_open(w, "series", "period x value");
    for (size_t i = 0; i < n; i++) {
        tly_plot_row(w, d->t.start + (tally_period)i, &d->y[i], 1);
    }
    tly_plot_block_close(w);
    if (nmeans > 0) {
        /* Each segment's level from the start of its first period to the
         * end of its last, segments separated by empty lines. */
        tly_plot_block_open(w, "segments", "x mean (one segment per run)");
        for (size_t s = 0; s < d->nsegments; s++) {
            const tally_plot_segment *g = &d->segments[s];
            double a[2] = {tly_plot_x(w, g->from) - 0.5, g->mean};
            double b[2] = {tly_plot_x(w, g->to) + 0.5, g->mean};
            if (s > 0) {
                tly_plot_row_gap(w);
            }
            tly_plot_row_plain(w, a, 2);
            tly_plot_row_plain(w, b, 2);
        }
        tly_plot_block_close(w);
    }
    fprintf(fp,
            "plot $series using 2:3 with linespoints lc rgb '%s' lw 1 "
            "pt 7 ps 0.5",
            TLY_PLOT_GREY);
    tly_plot_key(fp, "observed");
    if (nmeans > 0) {
        fprintf(fp,
                ", \\\n     $segments using 1:2 with lines lc rgb '%s' "
                "lw 3",
                TLY_PLOT_VERMILLION);
        tly_plot_key(fp, "segment mean");
    }
    fputc('\n', fp);
    return TALLY_OK;
}
