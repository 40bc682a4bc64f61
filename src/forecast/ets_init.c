/* SPDX-License-Identifier: MIT
 *
 * Initial states of an ETS model, as forecast:::initstate computes them
 * (forecast 8.20), so that the optimiser starts where R's does:
 *
 *  - seasonal models: a classical decomposition (stats::decompose: centred
 *    2 x m moving average, seasonal figure = mean detrended value at each
 *    position of the cycle, normalised to sum 0 or average 1), or, with
 *    fewer than 3 full cycles, the residual of a regression of y on
 *    (1, t, sin(2 pi t / m), cos(2 pi t / m)) after removing its linear
 *    part;  s_j = seasonal[m - 1 - j] for j = 0..m-2 (the positions
 *    m, m-1, ..., 2 of the first cycle, most recent first);
 *  - the seasonally adjusted first max(10, 2m) observations then give the
 *    level (their mean) or level and trend (intercept and slope of a
 *    straight line on t = 1, 2, ...).
 */
#include "forecast/ets_int.h"

#include "tally/tally_status.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <string.h>

/* Seasonal figure by classical decomposition (n >= 3m, so every position
 * of the cycle has at least one detrended value). */
static void decompose_figure(const double *y, size_t n, int m, int mult,
                             double *fig)
{
    size_t half = (size_t)m / 2;
    double sum[TLY_ETS_MAXM] = {0};
    size_t cnt[TLY_ETS_MAXM] = {0};

    /* Centred moving average of order 2 x m (m even: weights 1/2m at the
     * ends, 1/m inside); m odd: a plain centred mean of m values. */
    for (size_t t = half; t + half < n; t++) {
        double tr = 0.0;
        if (m % 2 == 0) {
            tr = 0.5 * (y[t - half] + y[t + half]);
            for (size_t j = t - half + 1; j < t + half; j++) {
                tr += y[j];
            }
        } else {
            for (size_t j = t - half; j <= t + half; j++) {
                tr += y[j];
            }
        }
        tr /= m;
        double v = mult ? y[t] / tr : y[t] - tr;
        sum[t % (size_t)m] += v;
        cnt[t % (size_t)m]++;
    }
    double mean = 0.0;
    for (int i = 0; i < m; i++) {
        fig[i] = sum[i] / (double)cnt[i];
        mean += fig[i];
    }
    mean /= m;
    for (int i = 0; i < m; i++) {
        fig[i] = mult ? fig[i] / mean : fig[i] - mean;
    }
}

/* Least squares with up to 4 columns by Householder QR (GSL), X n x p
 * row-major in x (overwritten).  Returns TALLY_OK or TALLY_ESINGULAR. */
static int small_lsq(double *x, double *yv, size_t n, size_t p, double *coef)
{
    double tau[4], resid[3 * TLY_ETS_MAXM];
    gsl_matrix_view X = gsl_matrix_view_array(x, n, p);
    gsl_vector_view Y = gsl_vector_view_array(yv, n);
    gsl_vector_view T = gsl_vector_view_array(tau, p);
    gsl_vector_view B = gsl_vector_view_array(coef, p);
    gsl_vector_view R = gsl_vector_view_array(resid, n);

    if (gsl_linalg_QR_decomp(&X.matrix, &T.vector) != 0) {
        return TALLY_ERROR(TALLY_ESINGULAR,
                           "ETS: initial-state regression failed");
    }
    for (size_t i = 0; i < p; i++) {
        if (fabs(gsl_matrix_get(&X.matrix, i, i)) < 1e-12) {
            return TALLY_ERROR(TALLY_ESINGULAR,
                               "ETS: initial-state regression is singular");
        }
    }
    if (gsl_linalg_QR_lssolve(&X.matrix, &T.vector, &Y.vector, &B.vector,
                              &R.vector) != 0) {
        return TALLY_ERROR(TALLY_ESINGULAR,
                           "ETS: initial-state regression failed");
    }
    return TALLY_OK;
}

/* The seasonal component when n < 3m: y minus (or over) the linear part
 * of a regression on trend and one pair of Fourier terms (forecast's
 * tslm(y ~ trend + fourier(y, 1))), for the first `len` observations.
 * It is not periodic: it keeps the noise, and the seasonally adjusted
 * values are then the fitted line itself. */
static int fourier_seasonal(const double *y, size_t n, int m, int mult,
                            double *seas, size_t len)
{
    double x[3 * TLY_ETS_MAXM * 4], yv[3 * TLY_ETS_MAXM], coef[4];
    const double pi = 3.14159265358979323846;
    /* With m = 2 the sine column is identically zero (2K = m); forecast
     * then drops it, so does this. */
    size_t p = m == 2 ? 3 : 4;

    for (size_t t = 0; t < n; t++) {
        double tt = (double)(t + 1);
        double *row = x + t * p;
        row[0] = 1.0;
        row[1] = tt;
        if (p == 4) {
            row[2] = sin(2 * pi * tt / m);
            row[3] = cos(2 * pi * tt / m);
        } else {
            row[2] = cos(2 * pi * tt / m);
        }
        yv[t] = y[t];
    }
    int st = small_lsq(x, yv, n, p, coef);
    if (st != TALLY_OK) {
        return st;
    }
    for (size_t t = 0; t < len; t++) {
        double lin = coef[0] + coef[1] * (double)(t + 1);
        seas[t] = mult ? y[t] / lin : y[t] - lin;
    }
    return TALLY_OK;
}

int tly_ets_initstate(const tly_ets_model *mod, const double *y, size_t n,
                      double *x0)
{
    int m = mod->season != TLY_ETS_N ? mod->m : 1;
    int mult = mod->season == TLY_ETS_M;
    int tr = mod->trend != TLY_ETS_N;
    /* Seasonal component at the first max(m, maxn) positions (periodic
     * after m when it comes from the decomposition). */
    double seas[2 * TLY_ETS_MAXM > 10 ? 2 * TLY_ETS_MAXM : 10];
    double ysa[2 * TLY_ETS_MAXM > 10 ? 2 * TLY_ETS_MAXM : 10];
    size_t maxn = 2 * (size_t)m > 10 ? 2 * (size_t)m : 10;
    if (maxn > n) {
        maxn = n;
    }

    if (n < 4 || (mod->season != TLY_ETS_N && n <= (size_t)m)) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "ETS: too few observations (%zu) for initial states",
                           n);
    }
    if (mod->season != TLY_ETS_N) {
        size_t len = maxn > (size_t)m ? maxn : (size_t)m;
        if (n < 3 * (size_t)m) {
            int st = fourier_seasonal(y, n, m, mult, seas, len);
            if (st != TALLY_OK) {
                return st;
            }
        } else {
            decompose_figure(y, n, m, mult, seas);
            for (size_t t = (size_t)m; t < len; t++) {
                seas[t] = seas[t % (size_t)m];
            }
        }
        /* s_j, j = 0..m-2, is the component at position m - 1 - j. */
        double *s = x0 + 1 + tr;
        double sum = 0.0;
        for (int j = 0; j < m - 1; j++) {
            s[j] = seas[m - 1 - j];
            if (mult && s[j] < 1e-2) {
                /* No negative (or tiny) seasonal indexes. */
                s[j] = 1e-2;
            }
            sum += s[j];
        }
        if (mult && sum > m) {
            for (int j = 0; j < m - 1; j++) {
                s[j] /= sum + (m - 1) * 1e-2;
            }
        }
    }
    for (size_t t = 0; t < maxn; t++) {
        /* Seasonally adjusted data. */
        if (mod->season == TLY_ETS_A) {
            ysa[t] = y[t] - seas[t];
        } else if (mod->season == TLY_ETS_M) {
            double sv = seas[t];
            ysa[t] = y[t] / (sv > 1e-2 ? sv : 1e-2);
        } else {
            ysa[t] = y[t];
        }
    }
    if (!tr) {
        double s = 0.0;
        for (size_t t = 0; t < maxn; t++) {
            s += ysa[t];
        }
        x0[0] = s / (double)maxn;
        return TALLY_OK;
    }
    /* Straight line on t = 1..maxn (lsfit): slope from centred sums. */
    double tbar = ((double)maxn + 1) / 2, ybar = 0.0, sxy = 0.0, sxx = 0.0;
    for (size_t t = 0; t < maxn; t++) {
        ybar += ysa[t];
    }
    ybar /= (double)maxn;
    for (size_t t = 0; t < maxn; t++) {
        double dt = (double)(t + 1) - tbar;
        sxy += dt * (ysa[t] - ybar);
        sxx += dt * dt;
    }
    double b0 = sxy / sxx;
    double l0 = ybar - b0 * tbar;
    if (fabs(l0 + b0) < 1e-8) {
        /* A zero first forecast would make the errors infinite. */
        l0 *= 1 + 1e-3;
        b0 *= 1 - 1e-3;
    }
    x0[0] = l0;
    x0[1] = b0;
    return TALLY_OK;
}

void tly_ets_full_state(const tly_ets_model *mod, const double *free_x,
                        double *x)
{
    int tr = mod->trend != TLY_ETS_N;
    size_t nfree = 1 + (size_t)tr;
    if (mod->season != TLY_ETS_N) {
        nfree += (size_t)mod->m - 1;
    }
    memcpy(x, free_x, nfree * sizeof *x);
    if (mod->season != TLY_ETS_N) {
        /* The last seasonal state makes them sum to 0 or m. */
        double sum = 0.0;
        for (int j = 0; j < mod->m - 1; j++) {
            sum += free_x[1 + tr + j];
        }
        x[nfree] = (mod->season == TLY_ETS_M ? mod->m : 0) - sum;
    }
}
