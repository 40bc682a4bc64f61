/* SPDX-License-Identifier: MIT
 *
 * Exact small-sample tests used by compare: the two-sided binomial test
 * p-value and Clopper-Pearson interval (R's binom.test, on which
 * poisson.test's two-sample rate-ratio test is built), and the exact null
 * distribution of the Mann-Whitney statistic (R's pwilcox).
 */
#include "tally/tally_compare.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

/* R's binom.test treats probabilities within a relative 1e-7 of the
 * observed one as "equally likely" (relErr <- 1 + 1e-7). */
#define BINOM_REL_ERR (1.0 + 1e-7)

/* log P(X = k) for X ~ Binomial(n, p), 0 < p < 1.  lnchoose is accurate to
 * a few ulps of its magnitude, so the probability is relative-accurate to
 * about n * 1e-16, far inside R's 1e-7 tolerance used below. */
static double binom_logpmf(unsigned long k, unsigned long n, double p)
{
    return gsl_sf_lnchoose((unsigned int)n, (unsigned int)k) +
           (double)k * log(p) + (double)(n - k) * log1p(-p);
}

/* P(X <= k); k may be -1 (probability 0). */
static double binom_cdf(long k, unsigned long n, double p)
{
    if (k < 0) {
        return 0.0;
    }
    if ((unsigned long)k >= n) {
        return 1.0;
    }
    return gsl_cdf_binomial_P((unsigned int)k, p, (unsigned int)n);
}

/* P(X > k). */
static double binom_sf(long k, unsigned long n, double p)
{
    if (k < 0) {
        return 1.0;
    }
    if ((unsigned long)k >= n) {
        return 0.0;
    }
    return gsl_cdf_binomial_Q((unsigned int)k, p, (unsigned int)n);
}

/* Number of k in [lo, hi] with log pmf(k) <= thr, where the pmf is
 * monotone on [lo, hi]: non-increasing when decreasing != 0 (the set is a
 * suffix), non-decreasing otherwise (a prefix).  Binary search keeps the
 * cost at O(log n) pmf evaluations even for totals in the millions. */
static unsigned long count_monotone(unsigned long lo, unsigned long hi,
                                    unsigned long n, double p, double thr,
                                    int decreasing)
{
    if (lo > hi) {
        return 0;
    }
    if (decreasing) {
        /* Smallest k in [lo, hi] with pmf(k) <= thr; hi + 1 if none. */
        unsigned long a = lo, b = hi + 1;
        while (a < b) {
            unsigned long mid = a + (b - a) / 2;
            if (binom_logpmf(mid, n, p) <= thr) {
                b = mid;
            } else {
                a = mid + 1;
            }
        }
        return hi + 1 - a;
    }
    /* Largest k in [lo, hi] with pmf(k) <= thr, as a count from lo. */
    unsigned long a = lo, b = hi + 1; /* answer count = first k failing - lo */
    while (a < b) {
        unsigned long mid = a + (b - a) / 2;
        if (binom_logpmf(mid, n, p) <= thr) {
            a = mid + 1;
        } else {
            b = mid;
        }
    }
    return a - lo;
}

double tally_binom_test_p(unsigned long x, unsigned long n, double p)
{
    if (n == 0 || x > n || !(p >= 0.0 && p <= 1.0) || n > 4000000000UL) {
        return NAN;
    }
    if (p == 0.0) {
        return x == 0 ? 1.0 : 0.0;
    }
    if (p == 1.0) {
        return x == n ? 1.0 : 0.0;
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    /* binom.test: the p-value is P(X <= x) plus the probability of the
     * outcomes on the other side of the mean m = n p that are no more
     * likely than x (d * relErr, compared in logs). */
    double m = (double)n * p;
    double thr = binom_logpmf(x, n, p) + log(BINOM_REL_ERR);
    /* The pmf rises up to its mode M = floor((n + 1) p) and falls after. */
    unsigned long mode = (unsigned long)floor(((double)n + 1.0) * p);
    if (mode > n) {
        mode = n;
    }
    double pval;
    if ((double)x == m) {
        pval = 1.0;
    } else if ((double)x < m) {
        /* y = #{i in [ceil(m), n] : pmf(i) <= d relErr};
         * p = P(X <= x) + P(X > n - y). */
        unsigned long lo = (unsigned long)ceil(m);
        unsigned long y = 0;
        for (unsigned long i = lo; i < mode && i <= n; i++) {
            y += binom_logpmf(i, n, p) <= thr; /* rising part (<= 1 value) */
        }
        y += count_monotone(lo > mode ? lo : mode, n, n, p, thr, 1);
        pval = binom_cdf((long)x, n, p) + binom_sf((long)(n - y), n, p);
    } else {
        /* y = #{i in [0, floor(m)] : pmf(i) <= d relErr};
         * p = P(X <= y - 1) + P(X > x - 1). */
        unsigned long hi = (unsigned long)floor(m);
        unsigned long y =
            count_monotone(0, hi < mode ? hi : mode, n, p, thr, 0);
        for (unsigned long i = mode + 1; i <= hi; i++) {
            y += binom_logpmf(i, n, p) <= thr; /* falling part */
        }
        pval = binom_cdf((long)y - 1, n, p) + binom_sf((long)x - 1, n, p);
    }
    gsl_set_error_handler(old);
    return pval < 1.0 ? pval : 1.0;
}

/* The beta quantile by bisection on the distribution function, used only
 * if GSL's Newton inversion fails (it returns NaN then). */
static double beta_quantile(double prob, double a, double b)
{
    double q = gsl_cdf_beta_Pinv(prob, a, b);
    if (isfinite(q)) {
        return q;
    }
    double lo = 0.0, hi = 1.0;
    for (int it = 0; it < 200 && hi - lo > 1e-16 * hi; it++) {
        double mid = 0.5 * (lo + hi);
        if (gsl_cdf_beta_P(mid, a, b) < prob) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

void tally_binom_ci(unsigned long x, unsigned long n, double level, double *low,
                    double *high)
{
    if (n == 0 || x > n || !(level > 0.0 && level < 1.0)) {
        *low = NAN;
        *high = NAN;
        return;
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    /* Clopper-Pearson: the limits are the alpha/2 quantile of
     * Beta(x, n - x + 1) and the 1 - alpha/2 quantile of
     * Beta(x + 1, n - x), with 0 and 1 at the edges (binom.test). */
    double alpha = (1.0 - level) / 2.0;
    *low =
        x == 0 ? 0.0 : beta_quantile(alpha, (double)x, (double)(n - x) + 1.0);
    *high = x == n
                ? 1.0
                : beta_quantile(1.0 - alpha, (double)x + 1.0, (double)(n - x));
    gsl_set_error_handler(old);
}

double tally_wilcox_cdf(double u, size_t m, size_t n)
{
    if (m == 0 || n == 0 || m > 200 || n > 200 || isnan(u)) {
        return NAN;
    }
    double mn = (double)m * (double)n;
    if (u < 0.0) {
        return 0.0;
    }
    if (u >= mn) {
        return 1.0;
    }
    /* U of (m, n) has the same distribution as U of (n, m); keep the
     * smaller sample as the one whose sizes index the table. */
    if (m > n) {
        size_t t = m;
        m = n;
        n = t;
    }
    size_t width = m * n + 1;
    double *f = calloc((m + 1) * width, sizeof *f);
    if (f == NULL) {
        return NAN;
    }
    /* f[i][u] = number of arrangements of i x's and j y's with U = u
     * (U counts pairs with x above y), built up over j = 0..n with the
     * recurrence c(i, j, u) = c(i - 1, j, u - j) + c(i, j - 1, u): the
     * largest value is either an x (above all j y's) or a y.  Only sums of
     * non-negative numbers, so no cancellation.  Start: c(i, 0, 0) = 1. */
    for (size_t i = 0; i <= m; i++) {
        f[i * width] = 1.0;
    }
    for (size_t j = 1; j <= n; j++) {
        for (size_t i = 1; i <= m; i++) {
            double *cur = f + i * width;
            const double *prev = f + (i - 1) * width;
            /* cur holds c(i, j - 1, .) and gains prev = c(i - 1, j, .)
             * shifted by j; the two rows are distinct, so any order. */
            size_t umax = i * j;
            for (size_t v = umax + 1; v-- > j;) {
                cur[v] += prev[v - j];
            }
        }
    }
    const double *dist = f + m * width;
    double total = 0.0, below = 0.0;
    size_t uk = (size_t)floor(u);
    for (size_t v = 0; v < width; v++) {
        total += dist[v];
        if (v <= uk) {
            below += dist[v];
        }
    }
    free(f);
    return below / total;
}
