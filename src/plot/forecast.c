/* SPDX-License-Identifier: MIT
 *
 * The forecast fan chart: the history as a dark line, the point forecasts
 * as a blue line, and one shaded band per interval level.  The bands are
 * drawn widest first with the same translucent blue, so where they
 * overlap (the narrower, more likely range) the shade is darker.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

enum { MAX_LEVELS = 8 };

/* The shade of the k-th band (0 = widest): the blue of the palette
 * (0, 114, 178) laid over white with opacity 1 - 0.78^(k+1), the colour k+1
 * overlapping layers of a 22% translucent blue would give.  Drawing the
 * bands opaque in these shades makes the legend show the colours seen. */
static const char *fan_shade(size_t k, char *buf, size_t size)
{
    static const int blue[3] = {0x00, 0x72, 0xB2};
    double alpha = 1 - pow(0.78, (double)(k + 1));
    int c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = (int)lround(255 - (255 - blue[i]) * alpha);
    }
    snprintf(buf, size, "#%02X%02X%02X", c[0], c[1], c[2]);
    return buf;
}

static int check(const tally_plot_forecast *d)
{
    int st = tly_plot_check_axis(
        &(tally_plot_axis){d->t.freq, d->t.start, d->t.n > 0 ? d->t.n : 1},
        "forecast");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->t.n > 0 && d->y == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot forecast: history missing");
    }
    if (d->h == 0 || d->mean == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot forecast: no forecasts");
    }
    if (d->h > 1000000) {
        return TALLY_ERROR(TALLY_EINVAL, "plot forecast: horizon too long");
    }
    if (d->nlevels > MAX_LEVELS) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot forecast: at most %d interval levels",
                           MAX_LEVELS);
    }
    if (d->nlevels > 0 &&
        (d->levels == NULL || d->lower == NULL || d->upper == NULL)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot forecast: intervals need levels and limits");
    }
    for (size_t l = 0; l < d->nlevels; l++) {
        if (!(d->levels[l] > 0 && d->levels[l] < 100)) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "plot forecast: a level must lie in (0, 100)");
        }
    }
    return TALLY_OK;
}

int tly_plot_forecast_write(tly_plot *w, const tally_plot_forecast *d)
{
    int st = check(d);
    if (st != TALLY_OK) {
        return st;
    }
    size_t h = d->h, nl = d->nlevels;
    double lo = INFINITY, hi = -INFINITY;
    size_t nhist = d->t.n > 0 ? tly_plot_extent(d->y, d->t.n, &lo, &hi) : 0;
    size_t nmean = tly_plot_extent(d->mean, h, &lo, &hi);
    /* Levels widest first (insertion sort of at most 8 indexes). */
    size_t order[MAX_LEVELS];
    size_t nband[MAX_LEVELS] = {0};
    for (size_t l = 0; l < nl; l++) {
        size_t j = l;
        while (j > 0 && d->levels[order[j - 1]] < d->levels[l]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = l;
        for (size_t i = 0; i < h; i++) {
            nband[l] +=
                isfinite(d->lower[l * h + i]) && isfinite(d->upper[l * h + i]);
        }
        tly_plot_extent(d->lower + l * h, h, &lo, &hi);
        tly_plot_extent(d->upper + l * h, h, &lo, &hi);
    }
    if (nmean == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot forecast: every forecast is missing");
    }
    tally_period first = d->first, last = d->first + (tally_period)h - 1;
    if (d->t.n > 0) {
        tally_period hend = d->t.start + (tally_period)d->t.n - 1;
        first = d->t.start < first ? d->t.start : first;
        last = hend > last ? hend : last;
    }
    FILE *fp = w->fp;
    char title[256];
    if (d->model != NULL) {
        snprintf(title, sizeof title, "%s: forecast, %s",
                 d->ylabel != NULL ? d->ylabel : "series", d->model);
    } else {
        snprintf(title, sizeof title, "%s: forecast",
                 d->ylabel != NULL ? d->ylabel : "series");
    }
    tly_plot_titles(w, title, d->ylabel);
    tly_plot_time_axis(w, d->t.freq, first, last);
    tly_plot_yrange_counts(w, lo);
    if (nhist > 0) {
        /* Where the forecasts start. */
        tly_plot_vline(w, 1, tly_plot_x(w, d->first) - 0.5, "#999999", NULL);
        tly_plot_block_open(w, "history", "period x value");
        for (size_t i = 0; i < d->t.n; i++) {
            tly_plot_row(w, d->t.start + (tally_period)i, &d->y[i], 1);
        }
        tly_plot_block_close(w);
    }
    tly_plot_block_open(w, "forecast",
                        "period x mean, then lower upper per level, "
                        "widest level first");
    double row[1 + 2 * MAX_LEVELS];
    for (size_t i = 0; i < h; i++) {
        row[0] = d->mean[i];
        for (size_t k = 0; k < nl; k++) {
            row[1 + 2 * k] = d->lower[order[k] * h + i];
            row[2 + 2 * k] = d->upper[order[k] * h + i];
        }
        tly_plot_row(w, d->first + (tally_period)i, row, 1 + 2 * nl);
    }
    tly_plot_block_close(w);
    const char *sep = "plot ";
    for (size_t k = 0; k < nl; k++) {
        char lev[32], key[64], color[16];
        if (nband[order[k]] == 0) {
            continue;
        }
        snprintf(key, sizeof key, "%s%% interval",
                 tly_plot_level_text(d->levels[order[k]], lev, sizeof lev));
        tly_plot_band(w, sep, "forecast", (int)(4 + 2 * k), (int)(5 + 2 * k),
                      fan_shade(k, color, sizeof color), 1, key);
        sep = ", \\\n     ";
    }
    if (nhist > 0) {
        fprintf(fp, "%s$history using 2:3 with lines lc rgb '#222222' lw 1.5",
                sep);
        tly_plot_key(fp, "observed");
        sep = ", \\\n     ";
    }
    fprintf(fp, "%s$forecast using 2:3 with %s lc rgb '%s' lw 2.5", sep,
            h <= 60 ? "linespoints" : "lines", TLY_PLOT_BLUE);
    tly_plot_key(fp, "forecast");
    fputc('\n', fp);
    return TALLY_OK;
}
