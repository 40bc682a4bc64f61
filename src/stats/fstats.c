/* SPDX-License-Identifier: MIT
 *
 * Tests of "no structural change" in a regression on a constant (k = 1) or
 * on a constant and time (k = 2):
 *
 *   - F statistics for every split in a trimmed range and their sup, mean
 *     and exponential average (Andrews 1993; Andrews & Ploberger 1994), as
 *     strucchange::Fstats(y ~ 1, from = 0.15) and sctest(): for a split
 *     after i observations, F_i = (RSS_0 - RSS_i) / (RSS_i / (n - 2k)),
 *     with RSS_0 of one fit and RSS_i of separate fits before and after;
 *     p-values by Hansen (1997), see fstats_pvalue.c;
 *   - the Chow test at a known split: F = ((RSS_0 - RSS_1) / k) /
 *     (RSS_1 / (n - 2k)) on F(k, n - 2k) (sctest(type = "Chow"));
 *   - the OLS-based CUSUM test (Ploberger & Kraemer 1992): the cumulated
 *     OLS residuals W_j = sum_{i<=j} e_i / (sigma sqrt(n)), sigma^2 =
 *     sum e^2 / (n - k), whose sup |W| converges to the sup of a Brownian
 *     bridge (strucchange::efp(type = "OLS-CUSUM"), sctest, boundary).
 */
#include "stats/changepoint_int.h"

#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

/* Upper tail of F(d1, d2), 0 for an infinite statistic (an exact fit). */
static double f_upper(double x, double d1, double d2)
{
    if (isnan(x)) {
        return NAN;
    }
    if (isinf(x)) {
        return x > 0.0 ? 0.0 : 1.0;
    }
    return gsl_cdf_fdist_Q(x, d1, d2);
}

/* Residual sums of squares of the fits to every prefix [0, i) (into
 * left[i]) or every suffix [i, n) (into right[i]), by updating means and
 * co-moments one observation at a time (Welford), which is as accurate as
 * refitting and O(n).  Time is i + 1 for observation i. */
static void running_rss(const double *y, size_t n, size_t k, double *left,
                        double *right)
{
    for (int pass = 0; pass < 2; pass++) {
        double *out = pass == 0 ? left : right;
        double mt = 0.0, my = 0.0, ctt = 0.0, cty = 0.0, cyy = 0.0;
        out[pass == 0 ? 0 : n] = 0.0;
        for (size_t c = 1; c <= n; c++) {
            size_t i = pass == 0 ? c - 1 : n - c; /* observation added */
            double t = (double)(i + 1);
            double dt = t - mt, dy = y[i] - my;
            mt += dt / (double)c;
            my += dy / (double)c;
            ctt += dt * (t - mt);
            cty += dt * (y[i] - my);
            cyy += dy * (y[i] - my);
            double rss = cyy;
            if (k == 2) {
                /* Line on time: RSS = S_yy - S_ty^2 / S_tt. */
                rss = c > 2 ? cyy - cty * cty / ctt : 0.0;
            }
            out[pass == 0 ? c : n - c] = rss > 0.0 ? rss : 0.0;
        }
    }
}

int tly_cp_fstats(const double *y, size_t n, size_t k, double trim,
                  tally_cp_result *r)
{
    /* The range of splits, as strucchange::Fstats: from = floor(trim n),
     * to = n - from, kept inside [k + 1, n - k - 1]. */
    size_t from = (size_t)floor(trim * (double)n);
    if (from > n) {
        from = n;
    }
    size_t to = n - from;
    if (from < k + 1) {
        from = k + 1;
    }
    if (n < k + 1 || to > n - k - 1) {
        to = n >= k + 1 ? n - k - 1 : 0;
    }
    if (from > to || n <= 2 * k) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "too few observations (%zu) for the sup-F test",
                           n);
    }
    double *left = malloc(2 * (n + 1) * sizeof *left);
    if (left == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    double *right = left + n + 1;
    running_rss(y, n, k, left, right);
    double rss0 = left[n];
    double df = (double)(n - 2 * k);
    double fmax = -INFINITY, fsum = 0.0;
    size_t imax = from;
    for (size_t i = from; i <= to; i++) {
        double rssi = left[i] + right[i];
        double f = (rss0 - rssi) / (rssi / df);
        if (f > fmax) { /* first maximum, as which.max */
            fmax = f;
            imax = i;
        }
        fsum += f;
    }
    /* exp-F = log(mean(exp(F_i / 2))), summed relative to the largest term
     * so that exp() cannot overflow. */
    double esum = 0.0;
    for (size_t i = from; i <= to; i++) {
        double rssi = left[i] + right[i];
        double f = (rss0 - rssi) / (rssi / df);
        esum += exp((f - fmax) / 2.0);
    }
    free(left);
    double np = (double)(to - from + 1);
    r->f_from = from;
    r->f_to = to;
    /* strucchange's lambda = ((n - from) to) / (from (n - to)). */
    r->f_lambda = ((double)(n - from) * (double)to)
                  / ((double)from * (double)(n - to));
    r->sup_f.done = r->ave_f.done = r->exp_f.done = 1;
    r->sup_f.statistic = fmax;
    r->sup_f.index = imax;
    r->ave_f.statistic = fsum / np;
    r->ave_f.index = imax;
    /* An exact fit at some split makes F infinite, and so every average. */
    r->exp_f.statistic = isinf(fmax) ? fmax : fmax / 2.0 + log(esum / np);
    r->exp_f.index = imax;
    if (r->f_lambda == 1.0) {
        /* A single admissible split: strucchange falls back on the Chow
         * F(k, n - 2k) p-value for sup-F and ave-F. */
        r->sup_f.p_value = f_upper(fmax, (double)k, df);
        r->ave_f.p_value = f_upper(r->ave_f.statistic, (double)k, df);
    } else {
        r->sup_f.p_value = tally_cp_hansen_pvalue(fmax, "sup", k,
                                                  r->f_lambda);
        r->ave_f.p_value = tally_cp_hansen_pvalue(r->ave_f.statistic, "ave",
                                                  k, r->f_lambda);
    }
    r->exp_f.p_value = tally_cp_hansen_pvalue(r->exp_f.statistic, "exp", k,
                                              r->f_lambda);
    return TALLY_OK;
}

/* RSS of one fit to y[a..b-1] (time a + 1 .. b). */
static double segment_rss(const double *y, size_t a, size_t b, size_t k)
{
    double coef[2], rss, xtx[4];
    tly_cp_ols(y + a, b - a, k, a, coef, &rss, xtx);
    return rss;
}

int tly_cp_chow(const double *y, size_t n, size_t k, size_t index,
                tally_cp_test *out)
{
    /* strucchange requires k < point < n - k, point = observations before
     * the break = our index. */
    if (!(index > k && index + k < n)) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "Chow test: %zu observation(s) before the break "
                           "and %zu after; the model needs at least %zu on "
                           "each side",
                           index, n - index, k + 1);
    }
    double rss0 = segment_rss(y, 0, n, k);
    double rss1 = segment_rss(y, 0, index, k) + segment_rss(y, index, n, k);
    double df2 = (double)(n - 2 * k);
    out->done = 1;
    out->index = index;
    out->df1 = (double)k;
    out->df2 = df2;
    out->statistic = ((rss0 - rss1) / (double)k) / (rss1 / df2);
    out->p_value = f_upper(out->statistic, (double)k, df2);
    out->boundary = NAN;
    return TALLY_OK;
}

double tally_cp_bridge_pvalue(double x)
{
    if (isnan(x)) {
        return NAN;
    }
    if (x < 0.1) {
        return 1.0; /* strucchange's cut-off; the series below is slow */
    }
    /* Kolmogorov: P(sup |B| > x) = 2 sum_{i>=1} (-1)^(i+1) exp(-2 i^2 x^2),
     * summed as strucchange does over i = 1..100 (far beyond double
     * precision for x >= 0.1). */
    double p = 0.0;
    for (int i = 100; i >= 1; i--) {
        double term = exp(-2.0 * (double)i * (double)i * x * x);
        p += (i % 2 == 1) ? term : -term;
    }
    p *= 2.0;
    return p < 1.0 ? (p > 0.0 ? p : 0.0) : 1.0;
}

/* The level-0.05 boundary of sup |W|: the x with P(sup |B| > x) = 0.05
 * (1.358...), by bisection (the p-value falls monotonically in x). */
static double bridge_boundary(double alpha)
{
    double lo = 0.1, hi = 20.0;
    for (int it = 0; it < 200 && hi - lo > 1e-15; it++) {
        double mid = 0.5 * (lo + hi);
        if (tally_cp_bridge_pvalue(mid) > alpha) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

int tly_cp_cusum(const double *y, size_t n, size_t k, tally_cp_test *out)
{
    if (n <= k) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "too few observations (%zu) for the CUSUM test", n);
    }
    double coef[2], rss, xtx[4];
    tly_cp_ols(y, n, k, 0, coef, &rss, xtx);
    /* Residuals of the one fit; with an intercept they sum to zero, so the
     * sd about their mean (strucchange's sd(e) sqrt((n-1)/df)) is
     * sqrt(RSS / (n - k)). */
    double sigma = sqrt(rss / (double)(n - k));
    double scale = sigma * sqrt((double)n);
    double w = 0.0, best = -1.0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        double fit = k == 1 ? coef[0] : coef[0] + coef[1] * (double)(i + 1);
        w += y[i] - fit;
        double a = fabs(w / scale);
        if (a > best) {
            best = a;
            at = i + 1; /* observations 0..i before: the new regime */
        }
    }
    out->done = 1;
    out->statistic = best;
    out->index = at < n ? at : n - 1;
    out->p_value = tally_cp_bridge_pvalue(best);
    out->df1 = out->df2 = NAN;
    out->boundary = bridge_boundary(0.05);
    return TALLY_OK;
}
