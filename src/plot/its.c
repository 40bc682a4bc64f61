/* SPDX-License-Identifier: MIT
 *
 * The interrupted-time-series plot: observed values as points, the fitted
 * segmented model as a solid line broken at each break, the
 * counterfactual (the pre-break model carried on, no break) as a dashed
 * line with its interval shaded, and each break marked by a vertical line
 * between the last period of the old regime and the first of the new.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>

static int check(const tally_plot_its *d)
{
    int st = tly_plot_check_axis(&d->t, "its");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->observed == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot its: no observed values");
    }
    if ((d->cf_low == NULL) != (d->cf_high == NULL) ||
        (d->cf_low != NULL && d->cf_mean == NULL)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot its: a counterfactual band needs its mean "
                           "and both limits");
    }
    if (d->nbreaks > 0 && d->breaks == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot its: breaks missing");
    }
    tally_period end = d->t.start + (tally_period)d->t.n;
    for (size_t b = 0; b < d->nbreaks; b++) {
        if (d->breaks[b] <= d->t.start || d->breaks[b] >= end) {
            char p[TALLY_PERIOD_BUFSIZE];
            return TALLY_ERROR(
                TALLY_ERANGE, "plot its: break %s is not inside the series",
                tally_period_format(d->t.freq, d->breaks[b], p, sizeof p));
        }
        if (b > 0 && d->breaks[b] <= d->breaks[b - 1]) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "plot its: breaks must be in increasing order");
        }
    }
    return TALLY_OK;
}

int tly_plot_its_write(tly_plot *w, const tally_plot_its *d)
{
    int st = check(d);
    if (st != TALLY_OK) {
        return st;
    }
    size_t n = d->t.n;
    double lo = INFINITY, hi = -INFINITY;
    size_t nobs = tly_plot_extent(d->observed, n, &lo, &hi);
    size_t nfit = tly_plot_extent(d->fitted, n, &lo, &hi);
    size_t ncf = tly_plot_extent(d->cf_mean, n, &lo, &hi);
    size_t nband = 0;
    if (d->cf_low != NULL) {
        for (size_t i = 0; i < n; i++) {
            nband += isfinite(d->cf_low[i]) && isfinite(d->cf_high[i]);
        }
        tly_plot_extent(d->cf_low, n, &lo, &hi);
        tly_plot_extent(d->cf_high, n, &lo, &hi);
    }
    if (nobs == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot its: every observed value is missing");
    }
    FILE *fp = w->fp;
    char title[256], p[TALLY_PERIOD_BUFSIZE], label[64];
    if (d->nbreaks > 0) {
        snprintf(title, sizeof title, "%s: interrupted time series, break %s%s",
                 d->ylabel != NULL ? d->ylabel : "series",
                 tally_period_format(d->t.freq, d->breaks[0], p, sizeof p),
                 d->nbreaks > 1 ? ", ..." : "");
    } else {
        snprintf(title, sizeof title, "%s: interrupted time series",
                 d->ylabel != NULL ? d->ylabel : "series");
    }
    tly_plot_titles(w, title, d->ylabel);
    tally_period last = d->t.start + (tally_period)n - 1;
    tly_plot_time_axis(w, d->t.freq, d->t.start, last);
    tly_plot_yrange_counts(w, lo);
    /* The break line sits between the old regime's last period and the
     * new regime's first (--break names the first period of the new). */
    for (size_t b = 0; b < d->nbreaks; b++) {
        snprintf(label, sizeof label, "break %s",
                 tally_period_format(d->t.freq, d->breaks[b], p, sizeof p));
        tly_plot_vline(w, (int)b + 1, tly_plot_x(w, d->breaks[b]) - 0.5,
                       "#333333", label);
    }
    tly_plot_block_open(w, "its", "period x observed cf_mean cf_low cf_high");
    for (size_t i = 0; i < n; i++) {
        double v[4] = {d->observed[i], d->cf_mean != NULL ? d->cf_mean[i] : NAN,
                       d->cf_low != NULL ? d->cf_low[i] : NAN,
                       d->cf_high != NULL ? d->cf_high[i] : NAN};
        tly_plot_row(w, d->t.start + (tally_period)i, v, 4);
    }
    tly_plot_block_close(w);
    if (nfit > 0) {
        /* The fit in a block of its own, with an empty line at each break
         * so that its segments are not joined across the jump. */
        size_t b = 0;
        tly_plot_block_open(w, "fit",
                            "period x fitted (segments end at breaks)");
        for (size_t i = 0; i < n; i++) {
            tally_period pi = d->t.start + (tally_period)i;
            if (b < d->nbreaks && pi == d->breaks[b]) {
                tly_plot_row_gap(w);
                b++;
            }
            tly_plot_row(w, pi, &d->fitted[i], 1);
        }
        tly_plot_block_close(w);
    }
    const char *sep = "plot ";
    char lev[32], band[80];
    if (nband > 0) {
        snprintf(
            band, sizeof band, "%s%% interval of the counterfactual",
            tly_plot_level_text(d->level > 0 ? d->level : 95, lev, sizeof lev));
        tly_plot_band(w, sep, "its", 5, 6, TLY_PLOT_VERMILLION, 0.2, band);
        sep = ", \\\n     ";
    }
    fprintf(fp, "%s$its using 2:3 with points lc rgb '%s' pt 7 ps 0.6", sep,
            TLY_PLOT_GREY);
    tly_plot_key(fp, "observed");
    sep = ", \\\n     ";
    if (nfit > 0) {
        fprintf(fp, "%s$fit using 2:3 with lines lc rgb '%s' lw 2.5", sep,
                TLY_PLOT_BLUE);
        tly_plot_key(fp, "fitted");
    }
    if (ncf > 0) {
        fprintf(fp, "%s$its using 2:4 with lines lc rgb '%s' lw 2.5 dt 2", sep,
                TLY_PLOT_VERMILLION);
        tly_plot_key(fp, "counterfactual (no break)");
    }
    fputc('\n', fp);
    return TALLY_OK;
}
