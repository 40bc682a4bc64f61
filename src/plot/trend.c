/* SPDX-License-Identifier: MIT
 *
 * The trend plot: the observed series as grey points and lines, the fitted
 * trend as a blue line and its confidence band as a shaded area.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>

int tly_plot_trend_write(tly_plot *w, const tally_plot_trend *d)
{
    int st = tly_plot_check_axis(&d->t, "trend");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->observed == NULL || d->fitted == NULL) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot trend: needs observed and fitted values");
    }
    if ((d->low == NULL) != (d->high == NULL)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot trend: a band needs both limits");
    }
    size_t n = d->t.n;
    double lo = INFINITY, hi = -INFINITY;
    size_t nobs = tly_plot_extent(d->observed, n, &lo, &hi);
    size_t nfit = tly_plot_extent(d->fitted, n, &lo, &hi);
    size_t nband = 0;
    if (d->low != NULL) {
        /* A band is drawn where both limits are known. */
        for (size_t i = 0; i < n; i++) {
            nband += isfinite(d->low[i]) && isfinite(d->high[i]);
        }
        tly_plot_extent(d->low, n, &lo, &hi);
        tly_plot_extent(d->high, n, &lo, &hi);
    }
    if (nobs + nfit == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot trend: every value is missing");
    }
    FILE *fp = w->fp;
    char title[256], lev[32], band[64];
    snprintf(title, sizeof title, "%s: trend",
             d->ylabel != NULL ? d->ylabel : "series");
    tly_plot_titles(w, title, d->ylabel);
    tly_plot_time_axis(w, d->t.freq, d->t.start,
                       d->t.start + (tally_period)n - 1);
    tly_plot_yrange_counts(w, lo);
    tly_plot_block_open(w, "trend", "period x observed fitted low high");
    for (size_t i = 0; i < n; i++) {
        double v[4] = {d->observed[i], d->fitted[i],
                       d->low != NULL ? d->low[i] : NAN,
                       d->high != NULL ? d->high[i] : NAN};
        tly_plot_row(w, d->t.start + (tally_period)i, v, 4);
    }
    tly_plot_block_close(w);
    const char *sep = "plot ";
    if (nband > 0) {
        snprintf(
            band, sizeof band, "%s%% confidence band",
            tly_plot_level_text(d->level > 0 ? d->level : 95, lev, sizeof lev));
        tly_plot_band(w, sep, "trend", 5, 6, TLY_PLOT_BLUE, 0.25, band);
        sep = ", \\\n     ";
    }
    if (nobs > 0) {
        fprintf(fp,
                "%s$trend using 2:3 with linespoints lc rgb '%s' lw 1 "
                "pt 7 ps 0.5",
                sep, TLY_PLOT_GREY);
        tly_plot_key(fp, "observed");
        sep = ", \\\n     ";
    }
    if (nfit > 0) {
        fprintf(fp, "%s$trend using 2:4 with lines lc rgb '%s' lw 2.5", sep,
                TLY_PLOT_BLUE);
        tly_plot_key(fp, "fitted trend");
    }
    fputc('\n', fp);
    return TALLY_OK;
}
