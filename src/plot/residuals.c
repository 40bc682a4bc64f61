/* SPDX-License-Identifier: MIT
 *
 * Residual diagnostics: two panels, the residuals over time (with the zero
 * line) above their sample autocorrelation function with the approximate
 * bounds +-z/sqrt(n) under which a white-noise series' autocorrelations
 * fall with the stated probability (R's plot.acf, ci.type = "white").
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

int tly_plot_acf(const double *x, size_t n, size_t maxlag, double *acf)
{
    /* The mean of the present values (R: demean with na.pass). */
    double mean = 0;
    size_t k = 0;
    for (size_t t = 0; t < n; t++) {
        if (isfinite(x[t])) {
            k++;
            mean += (x[t] - mean) / (double)k;
        }
    }
    if (k < 2) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "autocorrelation needs at least 2 values, got %zu",
                           k);
    }
    /* c_lag = sum of the products over the pairs with both values present,
     * divided by (pairs + lag), as R's C_acf does; with no missing values
     * pairs + lag = n, the usual biased estimator. */
    double c0 = 0;
    for (size_t t = 0; t < n; t++) {
        if (isfinite(x[t])) {
            c0 += (x[t] - mean) * (x[t] - mean);
        }
    }
    c0 /= (double)k;
    if (!(c0 > 0)) {
        return TALLY_ERROR(TALLY_ECONSTANT,
                           "autocorrelation of a constant series");
    }
    for (size_t lag = 1; lag <= maxlag; lag++) {
        double s = 0;
        size_t pairs = 0;
        for (size_t t = 0; t + lag < n; t++) {
            if (isfinite(x[t]) && isfinite(x[t + lag])) {
                s += (x[t] - mean) * (x[t + lag] - mean);
                pairs++;
            }
        }
        acf[lag - 1] = pairs > 0 ? s / (double)(pairs + lag) / c0 : NAN;
    }
    return TALLY_OK;
}

int tly_plot_residuals_write(tly_plot *w, const tally_plot_residuals *d)
{
    int st = tly_plot_check_axis(&d->t, "residuals");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->resid == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot residuals: no residuals");
    }
    double level = d->level > 0 ? d->level : 95;
    if (!(level < 100)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot residuals: the level must lie in (0, 100)");
    }
    size_t n = d->t.n;
    if (n < 3) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "plot residuals: need at least 3 periods, got %zu",
                           n);
    }
    /* R's default lag.max = floor(10 log10(n)), at most n - 1. */
    size_t maxlag =
        d->max_lag > 0 ? d->max_lag : (size_t)floor(10 * log10((double)n));
    if (maxlag > n - 1) {
        maxlag = n - 1;
    }
    double *acf = malloc(maxlag * sizeof *acf);
    if (acf == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "plot residuals: out of memory");
    }
    st = tly_plot_acf(d->resid, n, maxlag, acf);
    if (st != TALLY_OK) {
        free(acf);
        return st;
    }
    /* The white-noise bound: z_{(1 + level)/2} / sqrt(n), n counting
     * every period (R uses n.used, the series length). */
    double bound = gsl_cdf_ugaussian_Pinv(0.5 + level / 200) / sqrt((double)n);
    FILE *fp = w->fp;
    char title[256], lev[32], key[96];
    snprintf(title, sizeof title, "residuals%s%s",
             d->ylabel != NULL ? " of " : "",
             d->ylabel != NULL ? d->ylabel : "");
    const char *t = w->o->title != NULL ? w->o->title : title;
    /* Panel 1: the residuals over time. */
    fputs("set multiplot layout 2,1 title ", fp);
    tly_plot_quote(fp, t, 0);
    fputs(" font ',13'\n", fp);
    w->multiplot = 1;
    /* Both panels keep the same margins so that their plot areas line
     * up; their titles say what is drawn, so no legend is needed. */
    fputs("set key off\nset lmargin 11\nset rmargin 4\n"
          "set xzeroaxis lt 1 lc rgb '#333333' lw 1\n"
          "set title 'residuals over time' font ',11'\n"
          "set ylabel 'residual'\n",
          fp);
    tly_plot_time_axis(w, d->t.freq, d->t.start,
                       d->t.start + (tally_period)n - 1);
    tly_plot_block_open(w, "resid", "period x residual");
    for (size_t i = 0; i < n; i++) {
        tly_plot_row(w, d->t.start + (tally_period)i, &d->resid[i], 1);
    }
    tly_plot_block_close(w);
    fprintf(fp,
            "plot $resid using 2:3 with linespoints lc rgb '%s' lw 1 "
            "pt 7 ps 0.5 notitle\n",
            TLY_PLOT_GREY);
    /* Panel 2: the autocorrelations at lags 1..maxlag. */
    snprintf(key, sizeof key,
             "autocorrelation; dashed: %s%% white-noise "
             "bounds",
             tly_plot_level_text(level, lev, sizeof lev));
    fputs("set title ", fp);
    tly_plot_quote(fp, key, 0);
    fputs(" font ',11'\nset xlabel 'lag (periods)'\n"
          "set ylabel 'autocorrelation'\nset xrange [",
          fp);
    tly_plot_num(fp, 0.5);
    fputc(':', fp);
    tly_plot_num(fp, (double)maxlag + 0.5);
    fputs("]\nset xtics auto\nset mxtics default\n", fp);
    /* Room for the bounds even when every autocorrelation is small. */
    double top = bound;
    for (size_t l = 0; l < maxlag; l++) {
        if (isfinite(acf[l]) && fabs(acf[l]) > top) {
            top = fabs(acf[l]);
        }
    }
    fputs("set yrange [", fp);
    tly_plot_num(fp, -1.15 * top);
    fputc(':', fp);
    tly_plot_num(fp, 1.15 * top);
    fputs("]\n", fp);
    tly_plot_block_open(w, "acf", "lag autocorrelation");
    for (size_t l = 0; l < maxlag; l++) {
        double v[2] = {(double)(l + 1), acf[l]};
        tly_plot_row_plain(w, v, 2);
    }
    tly_plot_block_close(w);
    free(acf);
    fprintf(fp,
            "plot $acf using 1:2 with impulses lc rgb '%s' lw 4 "
            "notitle, \\\n     ",
            TLY_PLOT_BLUE);
    tly_plot_num(fp, bound);
    fprintf(fp, " with lines lc rgb '%s' lw 1.5 dt 2 notitle, \\\n     ",
            TLY_PLOT_VERMILLION);
    tly_plot_num(fp, -bound);
    fprintf(fp, " with lines lc rgb '%s' lw 1.5 dt 2 notitle\n",
            TLY_PLOT_VERMILLION);
    return TALLY_OK;
}
