/* SPDX-License-Identifier: MIT
 *
 * Hannan-Rissanen starting values for ARMA estimation (Hannan & Rissanen
 * 1982; Brockwell & Davis 2002, sec. 5.1.4), one of the starts of
 * tly_arima_estimate (arima.c):
 *
 * 1. a long autoregression of order k fitted by Yule-Walker
 *    (Durbin-Levinson on the sample autocovariances, divisor n, so the
 *    fit is always stationary), k chosen by AIC over 0..kmax with
 *    kmax = 10 log10 n as R's ar(), but at least max lag + 1 of the model;
 * 2. its residuals e_t estimate the innovations; the ARMA coefficients
 *    are the least-squares regression of w_t on w_{t-i} (AR lags) and
 *    e_{t-j} (MA lags).
 *
 * Seasonal blocks enter additively (lags i, m j for AR and MA): the cross
 * terms of the multiplicative model are left out, which is good enough
 * for a start.  Unlike the conditional-sum-of-squares start, this needs no
 * iterative minimisation, so it cannot stall on the explosive CSS surface
 * of a non-invertible MA polynomial.
 */
#include "forecast/arima_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The lag of regressor j of the second stage and whether it is an AR
 * (w) or MA (e) lag, in R's coefficient order ar, ma, sar, sma. */
static size_t hr_lag(const tly_arima_order *o, size_t j, int *is_ma)
{
    size_t p = (size_t)o->p, q = (size_t)o->q, P = (size_t)o->P;
    size_t m = (size_t)o->m;
    if (j < p) {
        *is_ma = 0;
        return j + 1;
    }
    j -= p;
    if (j < q) {
        *is_ma = 1;
        return j + 1;
    }
    j -= q;
    if (j < P) {
        *is_ma = 0;
        return m * (j + 1);
    }
    j -= P;
    *is_ma = 1;
    return m * (j + 1);
}

int tly_arma_hr(const double *w, size_t n, const tly_arima_order *o,
                double *coef)
{
    size_t npar = (size_t)(o->p + o->q + o->P + o->Q);
    size_t maxlag = 0;
    int is_ma;
    if (npar == 0 || npar > TLY_ARIMA_MAXCOEF) {
        return -1;
    }
    for (size_t j = 0; j < npar; j++) {
        size_t l = hr_lag(o, j, &is_ma);
        maxlag = l > maxlag ? l : maxlag;
    }
    for (size_t t = 0; t < n; t++) {
        if (!isfinite(w[t])) {
            return -1;
        }
    }
    /* Long-AR orders kmin..kmax: at least one beyond the model's largest
     * lag, at most R's ar() default 10 log10 n and a quarter of the rows
     * left after the model's lags; the second stage keeps at least
     * 2 npar + 8 rows. */
    size_t kmin = maxlag + 1;
    if (n <= maxlag) {
        return -1;
    }
    size_t kmax = (size_t)floor(10.0 * log10((double)n));
    if (kmax > (n - maxlag) / 4) {
        kmax = (n - maxlag) / 4;
    }
    if (kmax < kmin || kmax >= 256 || n < kmax + maxlag + 2 * npar + 8) {
        return -1;
    }
    double *buf = malloc((2 * (kmax + 1) + 2 * n + n * (npar + 1))
                         * sizeof *buf);
    if (buf == NULL) {
        return -1;
    }
    double *acov = buf, *phi = acov + kmax + 1, *tmp = phi + kmax + 1;
    double *e = tmp + n, *X = e + n;
    /* Stage 1: sample autocovariances about zero (w is already the
     * series minus its regression fit). */
    for (size_t h = 0; h <= kmax; h++) {
        double s = 0.0;
        for (size_t t = h; t < n; t++) {
            s += w[t] * w[t - h];
        }
        acov[h] = s / (double)n;
    }
    int rc = -1;
    if (!(acov[0] > 0.0)) {
        goto done;
    }
    /* Durbin-Levinson: phi_kk = (c_k - sum phi_{k-1,i} c_{k-i}) / v_{k-1},
     * v_k = v_{k-1} (1 - phi_kk^2); keep the coefficients of the order with
     * the smallest AIC n log v_k + 2 k among k >= kmin. */
    double v = acov[0], best_aic = INFINITY;
    double *cur = tmp, best[256];
    size_t kbest = 0;
    memset(cur, 0, (kmax + 1) * sizeof *cur);
    for (size_t k = 1; k <= kmax; k++) {
        double a = acov[k];
        for (size_t i = 1; i < k; i++) {
            a -= cur[i] * acov[k - i];
        }
        double pk = a / v;
        if (!(fabs(pk) < 1.0)) {
            goto done;
        }
        for (size_t i = 1; i <= k / 2; i++) {
            double ci = cur[i], cj = cur[k - i];
            cur[i] = ci - pk * cj;
            if (i != k - i) {
                cur[k - i] = cj - pk * ci;
            }
        }
        cur[k] = pk;
        v *= 1.0 - pk * pk;
        double aic = (double)n * log(v) + 2.0 * (double)k;
        if (k >= kmin && aic < best_aic) {
            best_aic = aic;
            kbest = k;
            memcpy(best, cur, (k + 1) * sizeof *cur);
        }
    }
    if (kbest == 0) {
        goto done;
    }
    memcpy(phi, best, (kbest + 1) * sizeof *phi);
    /* Residuals of the long autoregression (e_t for t >= kbest). */
    for (size_t t = kbest; t < n; t++) {
        double r = w[t];
        for (size_t i = 1; i <= kbest; i++) {
            r -= phi[i] * w[t - i];
        }
        e[t] = r;
    }
    /* Stage 2: rows t = kbest + maxlag .. n - 1, columns the lags, then
     * the response. */
    size_t t0 = kbest + maxlag;
    size_t nrow = n - t0;
    gsl_matrix_view A = gsl_matrix_view_array(X, nrow, npar);
    for (size_t r = 0; r < nrow; r++) {
        size_t t = t0 + r;
        for (size_t j = 0; j < npar; j++) {
            size_t l = hr_lag(o, j, &is_ma);
            X[r * npar + j] = is_ma ? e[t - l] : w[t - l];
        }
    }
    double *rhs = X + nrow * npar;
    for (size_t r = 0; r < nrow; r++) {
        rhs[r] = w[t0 + r];
    }
    gsl_vector_view b = gsl_vector_view_array(rhs, nrow);
    gsl_vector *tau = gsl_vector_alloc(npar);
    gsl_vector *sol = gsl_vector_alloc(npar);
    gsl_vector *res = gsl_vector_alloc(nrow);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (tau != NULL && sol != NULL && res != NULL
        && gsl_linalg_QR_decomp(&A.matrix, tau) == GSL_SUCCESS) {
        /* A singular design (a lag that appears twice, or constant
         * residuals) shows as a negligible diagonal of R. */
        double dmax = 0.0, dmin = INFINITY;
        for (size_t j = 0; j < npar; j++) {
            double d = fabs(gsl_matrix_get(&A.matrix, j, j));
            dmax = d > dmax ? d : dmax;
            dmin = d < dmin ? d : dmin;
        }
        if (dmin > 1e-10 * dmax
            && gsl_linalg_QR_lssolve(&A.matrix, tau, &b.vector, sol, res)
                   == GSL_SUCCESS) {
            rc = 0;
            for (size_t j = 0; j < npar; j++) {
                coef[j] = gsl_vector_get(sol, j);
                rc = isfinite(coef[j]) ? rc : -1;
            }
        }
    }
    gsl_set_error_handler(old);
    gsl_vector_free(tau);
    gsl_vector_free(sol);
    gsl_vector_free(res);
done:
    free(buf);
    return rc;
}
