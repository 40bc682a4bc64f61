/* SPDX-License-Identifier: MIT
 *
 * Baseline forecasts, as R's forecast package (8.20) computes them:
 *
 * - mean (forecast::meanf): ybar with limits ybar +- t_{n-1} s sqrt(1 + 1/n),
 *   s the sample standard deviation (divisor n - 1), t Student's quantile;
 * - naive, snaive and drift (forecast::naive, snaive, rwf(drift = TRUE),
 *   all "lag walks"): the forecast repeats the value `lag` periods back
 *   (lag 1, or the seasonal period m), plus h times the drift b.  Residuals
 *   are e_t = y_t - y_{t-lag} (- b); the variance is
 *   mse = sum e_t^2 / (number of residuals - [b != 0]) and the standard
 *   error of the h-step forecast is sqrt(mse k + (k se_b)^2), with
 *   k = floor((h - 1)/lag) + 1 the number of seasons (steps) ahead; for the
 *   drift b = mean of the differences and se_b = sd(differences)/sqrt(count)
 *   (lm(diff ~ 1)), which gives se_h = sigma sqrt(h (1 + h/(n - 1))).
 *   Limits use the normal quantile.
 *
 * Missing values (interior: the dispatcher trims the ends) are handled as
 * forecast's lagwalk does: a missing value is replaced by the one `lag`
 * periods earlier when it is used as a forecast, and its residual is
 * missing.  meanf skips them (its t quantile uses the observed count, where
 * R uses the full length).
 */
#include "forecast/forecast_int.h"
#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run_mean(const double *y, size_t n, tally_fc_result *out)
{
    double mean = 0.0, m2 = 0.0;
    size_t k = 0;
    /* Welford's running mean and sum of squared deviations. */
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i])) {
            continue;
        }
        k++;
        double d = y[i] - mean;
        mean += d / (double)k;
        m2 += d * (y[i] - mean);
    }
    if (k < 2) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "mean forecast: needs at least 2 observed values "
                           "for its intervals, the series has %zu", k);
    }
    double s = sqrt(m2 / (double)(k - 1));
    snprintf(out->model, sizeof out->model, "Mean");
    out->ncoef = 1;
    snprintf(out->coef[0].term, sizeof out->coef[0].term, "mean");
    out->coef[0].estimate = mean;
    out->coef[0].std_error = s / sqrt((double)k);
    out->sigma2 = s * s;
    out->converged = 1;
    for (size_t i = 0; i < n; i++) {
        out->fitted[i] = mean;
    }
    for (size_t i = 0; i < out->h; i++) {
        out->mean[i] = mean;
    }
    for (size_t l = 0; l < out->nlevels; l++) {
        double t = gsl_cdf_tdist_Pinv(0.5 + out->levels[l] / 200.0,
                                      (double)(k - 1));
        double w = t * s * sqrt(1.0 + 1.0 / (double)k);
        for (size_t i = 0; i < out->h; i++) {
            out->lower[l * out->h + i] = mean - w;
            out->upper[l * out->h + i] = mean + w;
        }
    }
    return TALLY_OK;
}

/* forecast:::lagwalk and forecast.lagwalk. */
static int run_lagwalk(const double *y, size_t n, size_t lag, int drift,
                       tally_fc_result *out)
{
    double *fill = malloc(n * sizeof *fill);
    if (fill == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "forecast: out of memory");
    }
    /* y with each missing value replaced by the (filled) value lag periods
     * earlier: what a lag walk would have forecast there. */
    for (size_t i = 0; i < n; i++) {
        fill[i] = (isnan(y[i]) && i >= lag) ? fill[i - lag] : y[i];
    }
    /* Differences y_t - y_{t-lag} over the observed pairs. */
    double mean = 0.0, m2 = 0.0, ss = 0.0;
    size_t k = 0;
    for (size_t i = lag; i < n; i++) {
        double d = y[i] - fill[i - lag];
        if (isnan(d)) {
            continue;
        }
        k++;
        double dd = d - mean;
        mean += dd / (double)k;
        m2 += dd * (d - mean);
        ss += d * d;
    }
    size_t need = drift ? 2 : 1;
    if (k < need) {
        free(fill);
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "%s forecast: needs at least %zu observed "
                           "difference%s at lag %zu, the series has %zu "
                           "(%zu values)",
                           drift ? "drift" : (lag > 1 ? "seasonal naive"
                                                      : "naive"),
                           need, need > 1 ? "s" : "", lag, k, n);
    }
    double b = 0.0, bse = 0.0, mse;
    if (drift) {
        /* lm(y - fitted ~ 1): b the mean difference, sigma^2 the variance
         * of the differences about it (divisor k - 1), se(b) = sigma/sqrt(k).
         * forecast.lagwalk divides the residual sum of squares by
         * k - (b != 0): a drift that is exactly 0 is not counted, as R. */
        b = mean;
        double sigma2 = m2 / (double)(k - 1);
        bse = sqrt(sigma2 / (double)k);
        mse = m2 / (double)(k - (b != 0.0 ? 1 : 0));
        out->ncoef = 1;
        snprintf(out->coef[0].term, sizeof out->coef[0].term, "drift");
        out->coef[0].estimate = b;
        out->coef[0].std_error = bse;
    } else {
        mse = ss / (double)k;
    }
    out->sigma2 = mse;
    out->converged = 1;
    for (size_t i = 0; i < n; i++) {
        out->fitted[i] = i >= lag ? fill[i - lag] + b : NAN;
    }
    for (size_t i = 0; i < out->h; i++) {
        /* k = number of whole seasons (steps) ahead; the forecast repeats
         * the last season and adds the drift for each step. */
        double steps = (double)(i / lag + 1);
        double f = fill[n - lag + i % lag] + steps * b;
        double se = sqrt(mse * steps + steps * steps * bse * bse);
        out->mean[i] = f;
        for (size_t l = 0; l < out->nlevels; l++) {
            double z = tly_fc_z(out->levels[l]);
            out->lower[l * out->h + i] = f - z * se;
            out->upper[l * out->h + i] = f + z * se;
        }
    }
    free(fill);
    return TALLY_OK;
}

int tly_baseline_run(const tally_fc_spec *spec, const double *y, size_t n,
                     tally_freq freq, tally_fc_result *out)
{
    size_t m = (size_t)tly_fc_period(freq);
    switch (spec->family) {
    case TALLY_FC_MEAN:
        return run_mean(y, n, out);
    case TALLY_FC_NAIVE:
        snprintf(out->model, sizeof out->model, "Naive method");
        return run_lagwalk(y, n, 1, 0, out);
    case TALLY_FC_DRIFT:
        snprintf(out->model, sizeof out->model, "Random walk with drift");
        return run_lagwalk(y, n, 1, 1, out);
    case TALLY_FC_SNAIVE:
        if (m == 1) {
            /* forecast::snaive on annual data is the naive method. */
            tly_fc_warn(out, "annual data have no season: seasonal naive "
                        "is the naive method here");
        }
        if (n <= m) {
            return TALLY_ERROR(TALLY_ETOOFEW,
                               "seasonal naive forecast: needs more than one "
                               "season (at least %zu values), the series has "
                               "%zu", m + 1, n);
        }
        if (n < 2 * m) {
            tly_fc_warn(out, "only %zu values, less than two seasons: the "
                        "interval width rests on %zu seasonal differences",
                        n, n - m);
        }
        snprintf(out->model, sizeof out->model, "Seasonal naive method");
        return run_lagwalk(y, n, m, 0, out);
    default:
        return TALLY_ERROR(TALLY_EINVAL, "not a baseline model");
    }
}
