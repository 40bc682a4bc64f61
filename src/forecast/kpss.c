/* SPDX-License-Identifier: MIT
 *
 * The KPSS test of level stationarity (Kwiatkowski, Phillips, Schmidt &
 * Shin 1992) as urca::ur.kpss(type = "mu") computes it, and the number of
 * differences it suggests as forecast::ndiffs (test = "kpss",
 * alpha = 0.05): difference while the statistic exceeds the 5% critical
 * value 0.463 (urca's table for "mu": 0.347, 0.463, 0.574, 0.739 at 10,
 * 5, 2.5 and 1%; ndiffs interpolates the p-value in it and differences
 * when p < alpha, i.e. when the statistic is above 0.463).
 */
#include "forecast/arima_int.h"

#include <math.h>
#include <stdlib.h>

/* The 5% critical value of the KPSS level test (urca). */
#define KPSS_CRIT_5 0.463

double tly_kpss_stat(const double *x, size_t n, size_t lag)
{
    double mean = 0.0;
    if (n < 2) {
        return NAN;
    }
    for (size_t t = 0; t < n; t++) {
        mean += (x[t] - mean) / (double)(t + 1);
    }
    /* eta = sum S_t^2 / n^2 / s^2(l), S_t the partial sums of the
     * residuals e_t = x_t - mean, s^2(l) the Newey-West long-run variance
     * with Bartlett weights 1 - i/(l + 1). */
    double S = 0.0, num = 0.0, s2 = 0.0;
    for (size_t t = 0; t < n; t++) {
        double e = x[t] - mean;
        S += e;
        num += S * S;
        s2 += e * e;
    }
    double dn = (double)n;
    num /= dn * dn;
    s2 /= dn;
    double lr = s2;
    for (size_t i = 1; i <= lag && i < n; i++) {
        double c = 0.0;
        for (size_t t = i; t < n; t++) {
            c += (x[t] - mean) * (x[t - i] - mean);
        }
        lr += 2.0 / dn * (1.0 - (double)i / (double)(lag + 1)) * c;
    }
    return num / lr;
}

static int is_constant(const double *x, size_t n)
{
    for (size_t t = 1; t < n; t++) {
        if (x[t] != x[0]) {
            return 0;
        }
    }
    return 1;
}

int tly_ndiffs(const double *x, size_t n, int max_d)
{
    /* na.omit, as ndiffs does (the observed values, concatenated). */
    double *w = malloc((n ? n : 1) * sizeof *w);
    size_t k = 0;
    int d = 0;
    if (w == NULL) {
        return 0;
    }
    for (size_t t = 0; t < n; t++) {
        if (!isnan(x[t])) {
            w[k++] = x[t];
        }
    }
    if (k < 2 || is_constant(w, k)) {
        free(w);
        return 0;
    }
    /* use.lag = trunc(3 sqrt(n) / 13) of the series being tested. */
    int dodiff = tly_kpss_stat(w, k, (size_t)(3.0 * sqrt((double)k) / 13.0))
                 > KPSS_CRIT_5;
    while (dodiff && d < max_d) {
        d++;
        for (size_t t = 0; t + 1 < k; t++) {
            w[t] = w[t + 1] - w[t];
        }
        k--;
        if (k < 2 || is_constant(w, k)) {
            break;
        }
        dodiff = tly_kpss_stat(w, k, (size_t)(3.0 * sqrt((double)k) / 13.0))
                 > KPSS_CRIT_5;
    }
    free(w);
    return d;
}
