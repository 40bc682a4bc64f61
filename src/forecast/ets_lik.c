/* SPDX-License-Identifier: MIT
 *
 * The ETS recursion and its likelihood, and forecast::ets's parameter
 * region.  The state update is the "error correction" form forecast's C
 * code uses, identical for additive and multiplicative errors (Hyndman et
 * al. 2008, tables 2.2 and 2.3): with q = l + phi b (the level forecast)
 * and the seasonally adjusted observation p = y - s or y / s,
 *
 *     l'  = q + alpha (p - q)
 *     b'  = phi b + (beta / alpha) (l' - l - phi b)
 *     s'  = s + gamma (y - q - s)         additive season
 *     s'  = s + gamma (y / q - s)         multiplicative season
 *
 * where s is the seasonal state of m periods ago.  The one-step forecast
 * is q + s, q s or q, and the error is y - yhat (additive) or
 * (y - yhat) / yhat (multiplicative).
 */
#include "forecast/ets_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* forecast's guards against division by (nearly) zero in the update. */
#define ETS_TOL 1e-10
#define ETS_HUGE 1e10

size_t tly_ets_nstate(const tly_ets_model *mod)
{
    return 1 + (mod->trend != TLY_ETS_N)
           + (mod->season != TLY_ETS_N ? (size_t)mod->m : 0);
}

double tly_ets_onestep(const tly_ets_model *mod, double phi, const double *x)
{
    int tr = mod->trend != TLY_ETS_N;
    double q = tr ? x[0] + phi * x[1] : x[0];
    if (mod->season == TLY_ETS_A) {
        return q + x[tr + mod->m];
    }
    if (mod->season == TLY_ETS_M) {
        return q * x[tr + mod->m];
    }
    return q;
}

void tly_ets_update(const tly_ets_model *mod, double alpha, double beta,
                    double gamma, double phi, double *x, double y)
{
    int tr = mod->trend != TLY_ETS_N;
    int m = mod->m;
    double l = x[0];
    double phib = tr ? phi * x[1] : 0.0;
    double q = l + phib;
    double p = y;
    double *s = x + 1 + tr;
    double sold = 0.0;

    if (mod->season != TLY_ETS_N) {
        /* s[m - 1] is the seasonal state of m periods ago. */
        sold = s[m - 1];
        if (mod->season == TLY_ETS_A) {
            p = y - sold;
        } else {
            p = fabs(sold) < ETS_TOL ? ETS_HUGE : y / sold;
        }
    }
    double lnew = q + alpha * (p - q);
    if (tr) {
        x[1] = phib + (beta / alpha) * (lnew - l - phib);
    }
    x[0] = lnew;
    if (mod->season != TLY_ETS_N) {
        double t;
        if (mod->season == TLY_ETS_A) {
            t = y - q;
        } else {
            t = fabs(q) < ETS_TOL ? ETS_HUGE : y / q;
        }
        /* Shift: the new state becomes s0, the others age by one. */
        memmove(s + 1, s, (size_t)(m - 1) * sizeof *s);
        s[0] = sold + gamma * (t - sold);
    }
}

double tly_ets_run_lik(const tly_ets_model *mod, double alpha, double beta,
                       double gamma, double phi, const double *x0,
                       const double *y, size_t n, double *e, double *yhat,
                       double *xend, double *sse_out)
{
    const int tr = mod->trend != TLY_ETS_N;
    const int season = mod->season;
    const int mult_err = mod->error == TLY_ETS_M;
    const int m = season != TLY_ETS_N ? mod->m : 1;
    /* The level and trend updates are linear in (l, b) given the seasonally
     * adjusted observation p: substituting q = l + phi b,
     *     l' = (1 - alpha) l + (1 - alpha) phi b + alpha p
     *     b' = -beta l + (1 - beta) phi b + beta p
     * (b' = phi b + beta (p - q) is forecast's b' = phi b +
     * (beta/alpha)(l' - l - phi b)).  Written so, each step's dependency
     * chain is one multiply and two adds long instead of five operations,
     * which makes the loop about twice as fast. */
    const double c_ll = 1.0 - alpha, c_lb = (1.0 - alpha) * phi;
    const double c_bl = -beta, c_bb = (1.0 - beta) * phi;
    /* The seasonal states live in a ring: ring[k] is the state that the
     * observation at time t with t mod m == k uses (and then replaces), so
     * ring[k] starts as forecast's s_{m-1-k}. */
    double ring[TLY_ETS_MAXM];
    double l = x0[0];
    double b = tr ? x0[1] : 0.0;
    double sse = 0.0;
    /* The sum of log|yhat| is accumulated as a product, renormalised
     * before it can overflow, which saves a logarithm per observation. */
    double logsum = 0.0, prod = 1.0;
    int k = 0;

    if (season != TLY_ETS_N) {
        for (int j = 0; j < m; j++) {
            ring[j] = x0[1 + tr + (m - 1 - j)];
        }
    }
    for (size_t t = 0; t < n; t++) {
        const double yt = y[t];
        const double phib = phi * b;
        const double q = l + phib;
        double f, p, sold = 0.0;

        if (season == TLY_ETS_N) {
            f = q;
            p = yt;
        } else if (season == TLY_ETS_A) {
            sold = ring[k];
            f = q + sold;
            p = yt - sold;
        } else {
            sold = ring[k];
            f = q * sold;
            p = fabs(sold) < ETS_TOL ? ETS_HUGE : yt / sold;
        }
        double err = mult_err ? (yt - f) / f : yt - f;
        if (e != NULL) {
            e[t] = err;
        }
        if (yhat != NULL) {
            yhat[t] = f;
        }
        sse += err * err;
        if (mult_err) {
            prod *= fabs(f);
            if (!(prod < 1e200 && prod > 1e-200)) {
                logsum += log(prod);
                prod = 1.0;
            }
        }
        const double lnew = (c_ll * l + alpha * p) + c_lb * b;
        if (tr) {
            b = (c_bl * l + beta * p) + c_bb * b;
        }
        l = lnew;
        if (season == TLY_ETS_A) {
            ring[k] = sold + gamma * ((yt - q) - sold);
        } else if (season == TLY_ETS_M) {
            double ts = fabs(q) < ETS_TOL ? ETS_HUGE : yt / q;
            ring[k] = sold + gamma * (ts - sold);
        }
        if (++k == m) {
            k = 0;
        }
    }
    if (xend != NULL) {
        xend[0] = l;
        if (tr) {
            xend[1] = b;
        }
        if (season != TLY_ETS_N) {
            /* The most recent state (s0) is the one written last, at ring
             * index (n - 1) mod m; s_j is j positions before it. */
            for (int j = 0; j < m; j++) {
                long idx = ((long)k - 1 - j) % m;
                if (idx < 0) {
                    idx += m;
                }
                xend[1 + tr + j] = ring[idx];
            }
        }
    }
    if (mult_err) {
        logsum += log(prod);
    }
    if (sse_out != NULL) {
        *sse_out = sse;
    }
    double lik = (double)n * log(sse);
    if (mult_err) {
        lik += 2.0 * logsum;
    }
    /* forecast replaces a NaN objective by +Inf and caps perfect fits at
     * -1e10. */
    if (isnan(lik) || lik == HUGE_VAL) {
        return HUGE_VAL;
    }
    if (lik < -1e10) {
        lik = -1e10;
    }
    return lik;
}

/* Whether all roots of z^d + c[1] z^(d-1) + ... + c[d] have modulus at
 * most 1 + 1e-10 (forecast's tolerance).  Scaling z = (1 + 1e-10) w moves
 * that circle to the unit circle; then the Schur-Cohn step-down recursion
 * (the reverse Levinson recursion for an autoregression) decides: the
 * roots lie strictly inside the unit circle iff every reflection
 * coefficient k_j = c_j^(j) has |k_j| < 1, where
 * c_i^(j-1) = (c_i^(j) - k_j c_(j-i)^(j)) / (1 - k_j^2).  It costs O(d^2)
 * instead of an eigenvalue problem. */
static int roots_inside(double *c, int d)
{
    const double rho = 1.0 + 1e-10;
    double scale = 1.0;

    for (int i = 1; i <= d; i++) {
        scale /= rho;
        c[i] *= scale;
    }
    for (int j = d; j >= 1; j--) {
        double kj = c[j];
        if (!(fabs(kj) < 1.0)) {
            return 0;
        }
        double inv = 1.0 / (1.0 - kj * kj);
        /* Update the pairs (c_i, c_{j-i}) together, in place. */
        for (int i = 1, r = j - 1; i <= r; i++, r--) {
            double ci = c[i], cr = c[r];
            c[i] = (ci - kj * cr) * inv;
            if (r != i) {
                c[r] = (cr - kj * ci) * inv;
            }
        }
    }
    return 1;
}

int tly_ets_admissible(const tly_ets_model *mod, double alpha, double beta,
                       double gamma, double phi)
{
    int m = mod->m;
    if (phi < 0 || phi > 1 + 1e-8) {
        return 0;
    }
    if (mod->season == TLY_ETS_N) {
        /* Non-seasonal models: Hyndman et al. (2008), table 10.1. */
        if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) {
            return 0;
        }
        if (mod->trend != TLY_ETS_N
            && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) {
            return 0;
        }
        return 1;
    }
    if (m <= 1) {
        return 1;
    }
    if (mod->trend == TLY_ETS_N) {
        beta = 0.0;
    }
    /* Seasonal models: the easy necessary conditions first (as forecast),
     * then the characteristic polynomial of the discount matrix,
     * z^(m+1) + (a + b - phi) z^m + (a + b - a phi) (z^(m-1) + ... + z^2)
     * + (a + b - a phi + g - 1) z + phi (1 - a - g). */
    double d = 1 - 1 / phi - alpha;
    if (gamma < (d > 0 ? d : 0) || gamma > 1 + 1 / phi - alpha) {
        return 0;
    }
    if (alpha < 1 - 1 / phi
                    - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) {
        return 0;
    }
    if (beta < -(1 - phi) * (gamma / m + alpha)) {
        return 0;
    }
    double c[TLY_ETS_MAXM + 2];
    c[0] = 1.0;
    c[1] = alpha + beta - phi;
    for (int i = 2; i <= m - 1; i++) {
        c[i] = alpha + beta - alpha * phi;
    }
    c[m] = alpha + beta - alpha * phi + gamma - 1;
    c[m + 1] = phi * (1 - alpha - gamma);
    if (mod->trend == TLY_ETS_N) {
        /* Without a trend (beta = 0, phi = 1) z = 1 is always a root:
         * P(1) = 0.  It passes forecast's test, but a root on the circle
         * makes the step-down recursion divide by nearly zero, so divide
         * it out first (synthetic division by z - 1) and test the rest. */
        for (int i = 1; i <= m; i++) {
            c[i] += c[i - 1];
        }
        return roots_inside(c, m);
    }
    return roots_inside(c, m + 1);
}

int tly_ets_params_ok(const tly_ets_model *mod, double alpha, double beta,
                      double gamma, double phi)
{
    /* The usual region, checked as forecast's check.param does. */
    if (!(alpha >= TLY_ETS_LOWER && alpha <= TLY_ETS_UPPER)) {
        return 0;
    }
    if (mod->trend != TLY_ETS_N
        && !(beta >= TLY_ETS_LOWER && beta <= alpha && beta <= TLY_ETS_UPPER)) {
        return 0;
    }
    if (mod->damped
        && !(phi >= TLY_ETS_PHI_LOWER && phi <= TLY_ETS_PHI_UPPER)) {
        return 0;
    }
    if (mod->season != TLY_ETS_N
        && !(gamma >= TLY_ETS_LOWER && gamma <= 1 - alpha
             && gamma <= TLY_ETS_UPPER)) {
        return 0;
    }
    return tly_ets_admissible(mod, alpha, beta, gamma, phi);
}

void tly_ets_name(const tly_ets_model *mod, char *buf, size_t size)
{
    static const char *const code = "NAM";
    snprintf(buf, size, "ETS(%c,%c%s,%c)", code[mod->error],
             code[mod->trend], mod->damped ? "d" : "", code[mod->season]);
}
