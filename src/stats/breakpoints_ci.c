/* SPDX-License-Identifier: MIT
 *
 * Confidence intervals for break dates (Bai 1997), as strucchange's
 * confint.breakpointsfull with its defaults (het.reg = TRUE, het.err =
 * TRUE: regressor moments and error variances may differ between the two
 * regimes around each break).
 *
 * Bai, J. (1997). Estimation of a change point in multiple regression
 * models.  Review of Economics and Statistics 79(4), 551-563.  With
 * delta = beta_2 - beta_1 the shift of the coefficients, Q_j = X_j'X_j /
 * n_j and sigma_j^2 = RSS_j / n_j in the regimes before (1) and after (2),
 * (delta'Q_1 delta / sigma_1^2) (T^ - T0) converges to the argmax of a
 * two-sided Brownian motion with drift, whose distribution function is
 * known in closed form (Bai 1997, Appendix B; strucchange::pargmaxV):
 * with xi = delta'Q_2 delta / delta'Q_1 delta and phi = xi (sigma_2 /
 * sigma_1)^2,
 *
 *   x < 0 (|x| written x, f = xi / phi):
 *     G(x) = -sqrt(x / 2pi) e^{-x/8}
 *            - (phi/xi)(phi + 2xi)/(phi + xi) e^{f(1+f)x/2}
 *                Phi(-(1/2 + f) sqrt x)
 *            + (x/2 - 2 + (phi + 2xi)^2 / ((phi + xi) xi)) Phi(-sqrt(x)/2)
 *   x >= 0 (f = xi^2 / phi):
 *     G(x) = 1 + sqrt(f) sqrt(x / 2pi) e^{-f x/8}
 *            + (xi/phi)(2phi + xi)/(phi + xi) e^{(phi+xi)x/2}
 *                Phi(-(phi + xi/2) sqrt(x / phi))
 *            - ((2phi + xi)^2 / ((phi + xi) phi) - 2 + f x/2)
 *                Phi(-sqrt(f x)/2).
 *
 * The interval of the break index b is [b - ceil(u), b - floor(l)] with l
 * and u the a/2 and 1 - a/2 quantiles of that law rescaled by
 * sigma_1^2 / delta'Q_1 delta.  When P(argmax <= 0) is outside [a/2,
 * 1 - a/2] (or undefined, e.g. a regime without residual variance) there
 * is no interval, as strucchange's NA.
 */
#include "stats/changepoint_int.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_erf.h>
#include <math.h>

/* 2 pi (M_PI is not in ISO C). */
static const double TWO_PI = 6.283185307179586476925286766559;

/* log Phi(-z) for z >= 0, accurate far into the tail:
 * Phi(-z) = erfc(z / sqrt 2) / 2. */
static double log_pnorm_lower(double z)
{
    gsl_sf_result r;
    if (gsl_sf_log_erfc_e(z / sqrt(2.0), &r) != GSL_SUCCESS) {
        return -INFINITY;
    }
    return r.val - log(2.0);
}

double tally_cp_pargmaxv(double x, double xi, double phi1, double phi2)
{
    double phi = xi * (phi2 / phi1) * (phi2 / phi1);
    if (!(phi > 0.0) || !(xi > 0.0) || !isfinite(phi) || !isfinite(xi)
        || isnan(x)) {
        return NAN;
    }
    double a = fabs(x);
    if (x < 0.0) {
        double f = xi / phi;
        double t1 = -sqrt(a / TWO_PI) * exp(-a / 8.0);
        /* The exponential grows and Phi shrinks: combine their logs. */
        double t2 = -(phi / xi) * (phi + 2.0 * xi) / (phi + xi)
                    * exp(f * (1.0 + f) * a / 2.0
                          + log_pnorm_lower((0.5 + f) * sqrt(a)));
        double c3 = a / 2.0 - 2.0
                    + (phi + 2.0 * xi) * (phi + 2.0 * xi) / ((phi + xi) * xi);
        double t3 = c3 * exp(log_pnorm_lower(sqrt(a) / 2.0));
        return t1 + t2 + t3;
    }
    double f = xi * xi / phi;
    double t1 = sqrt(f) * sqrt(a / TWO_PI) * exp(-f * a / 8.0);
    double t2 = (xi / phi) * (2.0 * phi + xi) / (phi + xi)
                * exp((phi + xi) * a / 2.0
                      + log_pnorm_lower((phi + xi / 2.0) / sqrt(phi)
                                        * sqrt(a)));
    double c3 = (2.0 * phi + xi) * (2.0 * phi + xi) / ((phi + xi) * phi)
                - 2.0 + f * a / 2.0;
    double t3 = c3 * exp(log_pnorm_lower(sqrt(f) * sqrt(a) / 2.0));
    return 1.0 + t1 + t2 - t3;
}

/* The x in [lo, hi] with G(x) = p, for G increasing, by bisection to the
 * last bit (G(lo) <= p <= G(hi)). */
static double quantile(double p, double lo, double hi, double xi,
                       double phi1, double phi2)
{
    for (int it = 0; it < 300; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) {
            break;
        }
        if (tally_cp_pargmaxv(mid, xi, phi1, phi2) < p) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

/* delta' M delta for k = 1 or 2 (M row-major). */
static double quad(const double *d, const double *M, size_t k)
{
    if (k == 1) {
        return d[0] * d[0] * M[0];
    }
    return d[0] * d[0] * M[0] + 2.0 * d[0] * d[1] * M[1]
           + d[1] * d[1] * M[3];
}

void tly_cp_break_conf(const double *y, size_t a, size_t b, size_t c,
                       size_t k, double level, long *low, long *high,
                       int *ok)
{
    double c1[2], c2[2], rss1, rss2, q1[4], q2[4];
    double n1 = (double)(b - a), n2 = (double)(c - b);
    tly_cp_ols(y + a, b - a, k, a, c1, &rss1, q1);
    tly_cp_ols(y + b, c - b, k, b, c2, &rss2, q2);
    *ok = 0;
    /* Q_j = X_j'X_j / n_j, sigma_j^2 = RSS_j / n_j. */
    for (size_t i = 0; i < k * k; i++) {
        q1[i] /= n1;
        q2[i] /= n2;
    }
    double s1 = rss1 / n1, s2 = rss2 / n2;
    double d[2] = {c2[0] - c1[0], k == 2 ? c2[1] - c1[1] : 0.0};
    double qp1 = quad(d, q1, k), qp2 = quad(d, q2, k);
    double xi = qp2 / qp1, phi1 = sqrt(s1), phi2 = sqrt(s2);
    double a2 = (1.0 - level) / 2.0;
    double p0 = tally_cp_pargmaxv(0.0, xi, phi1, phi2);
    if (isnan(p0) || p0 < a2 || p0 > 1.0 - a2) {
        return;
    }
    /* Bracket the quantiles by steps of 1000, as strucchange, then solve. */
    double ub = 0.0, lb = 0.0;
    while (tally_cp_pargmaxv(ub, xi, phi1, phi2) < 1.0 - a2) {
        ub += 1000.0;
        if (ub > 1e9) {
            return;
        }
    }
    while (tally_cp_pargmaxv(lb, xi, phi1, phi2) > a2) {
        lb -= 1000.0;
        if (lb < -1e9) {
            return;
        }
    }
    double upper = quantile(1.0 - a2, 0.0, ub, xi, phi1, phi2);
    double lower = quantile(a2, lb, 0.0, xi, phi1, phi2);
    double scale = s1 / qp1; /* phi1^2 / delta'Q_1 delta */
    upper *= scale;
    lower *= scale;
    if (!(fabs(upper) < 1e15) || !(fabs(lower) < 1e15)) {
        return; /* not finite, or wider than any series */
    }
    *low = (long)b - (long)ceil(upper);
    *high = (long)b - (long)floor(lower);
    *ok = 1;
}
