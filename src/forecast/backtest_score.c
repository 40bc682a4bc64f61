/* SPDX-License-Identifier: MIT
 *
 * Proper scores of a predictive distribution at an observed value
 * (Gneiting and Raftery 2007): the continuous ranked probability score
 * CRPS(F, y) = integral (F(x) - 1{x >= y})^2 dx, the logarithmic score
 * -log f(y), and the probability integral transform.
 *
 *  - normal N(mu, s^2), z = (y - mu)/s:
 *      CRPS = s (z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi));
 *  - lognormal (log y ~ N(mu, s^2)), w = (log y - mu)/s (Baran and Lerch
 *    2015): CRPS = y (2 Phi(w) - 1)
 *                  - 2 exp(mu + s^2/2) (Phi(w - s) + Phi(s/sqrt 2) - 1);
 *  - counts (Poisson, NB2): F is a step function, so the integral is the
 *    ranked probability score sum_k (F(k) - 1{k >= y})^2 (Czado,
 *    Gneiting and Held 2009), summed until the upper tail is negligible;
 *  - simulated counts (count models' forecasts): the empirical
 *    distribution of the draws for CRPS and PIT, with E|X - X'| from the
 *    sorted draws, and the mixture of the parameter draws' Poisson or NB2
 *    laws for the log score (tly_bt_score_draws).
 */
#include "core/lgamma_int.h"
#include "forecast/backtest_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

#define LOG_SQRT_2PI 0.91893853320467274178
#define INV_SQRT_PI 0.56418958354775628695

/* log P(Y = k) of a Poisson (theta <= 0) or NB2 (theta > 0) count. */
static double log_pmf(double k, double mu, double theta)
{
    if (theta <= 0) {
        return k * log(mu) - mu - tly_lgamma(k + 1);
    }
    /* NB2: Gamma(k + theta) / (Gamma(theta) k!) (theta/(theta + mu))^theta
     * (mu/(theta + mu))^k. */
    return tly_lgamma(k + theta) - tly_lgamma(theta) - tly_lgamma(k + 1)
           - theta * log1p(mu / theta) + k * (log(mu) - log(theta + mu));
}

/* The part of log_pmf(k, mu, theta) that depends on mu (-inf where the
 * probability is 0: mu = 0 and k > 0). */
static double mu_part(double k, double mu, double theta)
{
    if (!(mu > 0)) {
        return k == 0 ? 0.0 : -HUGE_VAL;
    }
    if (theta <= 0) {
        return k * log(mu) - mu;
    }
    return -theta * log1p(mu / theta) + k * (log(mu) - log(theta + mu));
}

static int count_scores(double mu, double theta, double y, tly_bt_score *o)
{
    if (!(y >= 0) || y != floor(y) || y > 1e9 || !(mu >= 0) || !isfinite(mu)) {
        return 0;
    }
    if (mu == 0) {
        /* All mass at 0. */
        o->crps = y;
        o->logscore = y == 0 ? 0.0 : HUGE_VAL;
        o->pit_lo = y == 0 ? 0.0 : 1.0;
        o->pit_hi = 1.0;
        return 1;
    }
    double var = theta > 0 ? mu + mu * mu / theta : mu;
    double kmax = y + mu + 40 * sqrt(var) + 50;
    double F = 0.0, rps = 0.0, Fy = 0.0, Fy1 = 0.0;
    for (double k = 0; k <= kmax; k++) {
        double Fprev = F;
        F += exp(log_pmf(k, mu, theta));
        if (F > 1.0) {
            F = 1.0;
        }
        if (k == y) {
            Fy1 = Fprev;
            Fy = F;
        }
        double d = F - (k >= y ? 1.0 : 0.0);
        rps += d * d;
        /* Past y the terms are (1 - F(k))^2: stop once they vanish. */
        if (k >= y && 1.0 - F < 1e-13) {
            break;
        }
    }
    o->crps = rps;
    o->logscore = -log_pmf(y, mu, theta);
    o->pit_lo = Fy1;
    o->pit_hi = Fy;
    return 1;
}

int tly_bt_score_one(tally_bt_dist d, double a, double b, double y,
                     tly_bt_score *out)
{
    if (!isfinite(y) || !isfinite(a)) {
        return 0;
    }
    switch (d) {
    case TALLY_BT_DIST_NORMAL: {
        if (!(b > 0) || !isfinite(b)) {
            return 0;
        }
        double z = (y - a) / b;
        double Phi = gsl_cdf_ugaussian_P(z);
        double phi = exp(-0.5 * z * z - LOG_SQRT_2PI);
        out->crps = b * (z * (2 * Phi - 1) + 2 * phi - INV_SQRT_PI);
        out->logscore = log(b) + LOG_SQRT_2PI + 0.5 * z * z;
        out->pit_lo = out->pit_hi = Phi;
        return 1;
    }
    case TALLY_BT_DIST_LOGNORMAL: {
        if (!(b > 0) || !isfinite(b)) {
            return 0;
        }
        double e = exp(a + 0.5 * b * b);
        double c = gsl_cdf_ugaussian_P(b / sqrt(2.0));
        if (y <= 0) {
            /* No mass at or below 0: F(x) = 0 up to y's side. */
            out->crps = -y - 2 * e * (c - 1);
            out->logscore = HUGE_VAL;
            out->pit_lo = out->pit_hi = 0.0;
            return 1;
        }
        double w = (log(y) - a) / b;
        double Phi = gsl_cdf_ugaussian_P(w);
        out->crps = y * (2 * Phi - 1)
                    - 2 * e * (gsl_cdf_ugaussian_P(w - b) + c - 1);
        out->logscore = log(y) + log(b) + LOG_SQRT_2PI + 0.5 * w * w;
        out->pit_lo = out->pit_hi = Phi;
        return 1;
    }
    case TALLY_BT_DIST_POISSON:
        return count_scores(a, 0.0, y, out);
    case TALLY_BT_DIST_NEGBIN:
        if (!(b > 0) || !isfinite(b)) {
            return 0;
        }
        return count_scores(a, b, y, out);
    default:
        return 0;
    }
}

/* The number of sorted x[0..n-1] below v (strictly, or at most v). */
static size_t count_below(const double *x, size_t n, double v, int or_equal)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x[mid] < v || (or_equal && x[mid] == v)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

int tly_bt_score_draws(const double *draw, const double *mean, size_t S,
                       double theta, double y, tly_bt_score *out)
{
    if (S == 0 || !(y >= 0) || y != floor(y) || y > 1e9 || !(theta >= 0)) {
        return 0;
    }
    double n = (double)S;
    /* E|X - y| and, on sorted draws, the Gini mean difference
     * E|X - X'| = (2 / S^2) sum_i (2 i - S - 1) x_(i), i = 1..S. */
    double e1 = 0.0, g = 0.0;
    for (size_t i = 0; i < S; i++) {
        e1 += fabs(draw[i] - y);
        g += (2.0 * (double)(i + 1) - n - 1.0) * draw[i];
    }
    out->crps = e1 / n - g / (n * n);
    out->pit_lo = (double)count_below(draw, S, y, 0) / n;
    out->pit_hi = (double)count_below(draw, S, y, 1) / n;
    /* The mixture probability, summed on the log scale from the largest
     * term so that a far tail does not underflow to 0; the lgamma terms,
     * the same for every draw, are added once (log_pmf at mu = 1 minus
     * its mu part). */
    double c = log_pmf(y, 1.0, theta) - mu_part(y, 1.0, theta);
    double lmax = -HUGE_VAL;
    for (size_t s = 0; s < S; s++) {
        double l = mu_part(y, mean[s], theta);
        lmax = l > lmax ? l : lmax;
    }
    if (lmax == -HUGE_VAL) {
        out->logscore = HUGE_VAL;
        return 1;
    }
    double sum = 0.0;
    for (size_t s = 0; s < S; s++) {
        sum += exp(mu_part(y, mean[s], theta) - lmax);
    }
    out->logscore = -(c + lmax + log(sum / n));
    return 1;
}

void tly_bt_pit_add(double *hist, double lo, double hi)
{
    const int nb = TALLY_BT_PIT_BINS;
    if (lo < 0) {
        lo = 0;
    }
    if (hi > 1) {
        hi = 1;
    }
    if (!(hi - lo > 1e-15)) {
        /* A point: its bin (1 belongs to the last one). */
        int j = (int)floor(lo * nb);
        hist[j < 0 ? 0 : (j >= nb ? nb - 1 : j)] += 1.0;
        return;
    }
    /* Uniform on [lo, hi]: each bin gets its share of the length. */
    for (int j = 0; j < nb; j++) {
        double a = (double)j / nb, b = (double)(j + 1) / nb;
        double l = lo > a ? lo : a, u = hi < b ? hi : b;
        if (u > l) {
            hist[j] += (u - l) / (hi - lo);
        }
    }
}
