/* SPDX-License-Identifier: MIT
 *
 * Iteratively reweighted least squares for the log-link count models
 * (Poisson, and NB2 at a fixed theta), as R's glm.fit (R Core, stats
 * package; McCullagh & Nelder 1989, section 2.5):
 *
 *   eta = log(mu),  V(mu) = mu (Poisson) or mu + mu^2/theta (NB2)
 *   z   = eta - offset + (y - mu) / mu          (working response)
 *   w   = prior_w * mu^2 / V(mu)                (working weight)
 *   beta = argmin sum w (z - x'beta)^2          (tally_lsq_solve)
 *
 * until |dev - dev_old| / (|dev| + 0.1) < epsilon (glm.control).  A
 * non-finite deviance halves the step towards the previous coefficients,
 * as glm.fit does.  The covariance and hat values come from the last
 * weighted solve, whose weights are those of the previous iteration's
 * means, exactly as R's summary.glm and hatvalues report them.
 */
#include "stats/glm_int.h"
#include "tally/tally_status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Variance function of the family at mean mu. */
static double variance(const tly_count_family *fam, double mu)
{
    return fam->negbin ? mu + mu * mu / fam->theta : mu;
}

/* y log(y/mu) - (y - mu) for y > 0, mu > 0, without cancellation.  With
 * r = (y - mu)/mu it is mu h(r), h(r) = (1 + r) log1p(r) - r.  Written
 * out directly, h loses 2 eps / |r| of its relative accuracy: at counts
 * of 1e15, where the fit is good to |r| ~ 1e-15, the deviance came out as
 * rounding noise of about +-1, and IRLS could not meet a relative
 * tolerance on it (its and poisson-trend reported no convergence).  For
 * |r| < 1e-4 the series
 *   h(r) = sum_{k >= 2} (-1)^k r^k / (k (k - 1)) = r^2/2 - r^3/6 + ...
 * is used instead (terms to r^6: truncation error below r^7/42, relative
 * 1e-21).  Above 1e-4 the direct form is kept (relative error at most
 * 2e-12 of a term, far below any tolerance), so ordinary counts get R's
 * arithmetic bit for bit. */
static double poisson_half_unit_dev(double y, double mu)
{
    double r = (y - mu) / mu;
    if (fabs(r) >= 1e-4) {
        return y * log(y / mu) - (y - mu);
    }
    double h = 0, rk = r;
    for (int k = 2; k <= 6; k++) {
        rk *= r; /* r^k */
        h += (k % 2 == 0 ? rk : -rk) / (double)(k * (k - 1));
    }
    return mu * h;
}

double tly_count_deviance(size_t n, const double *y, const double *mu,
                          const double *w, const tly_count_family *fam)
{
    /* Unit deviances (R's poisson()$dev.resids and
     * negative.binomial()$dev.resids):
     *   Poisson  2 (y log(y/mu) - (y - mu)),  y log y = 0 at y = 0
     *   NB2      2 (y log(max(y,1)/mu) - (y + th) log((y + th)/(mu + th))) */
    long double dev = 0;
    for (size_t i = 0; i < n; i++) {
        double yi = y[i], m = mu[i], d;
        if (fam->negbin) {
            double th = fam->theta;
            d = yi * log((yi > 1 ? yi : 1) / m)
                - (yi + th) * log((yi + th) / (m + th));
        } else {
            d = yi > 0 ? poisson_half_unit_dev(yi, m) : m;
        }
        dev += (long double)(w != NULL ? w[i] : 1.0) * 2 * d;
    }
    return (double)dev;
}

/* eta = X beta + offset, mu = exp(eta); returns 0 when some eta is not
 * finite or exp overflows (then the step must be halved). */
static int linpred(const tly_fit_data *d, const double *beta, double *eta,
                   double *mu)
{
    size_t n = d->n, p = d->p;
    for (size_t i = 0; i < n; i++) {
        double s = d->off[i];
        for (size_t j = 0; j < p; j++) {
            s += d->x[i * p + j] * beta[j];
        }
        eta[i] = s;
        mu[i] = exp(s);
        if (!isfinite(mu[i]) || !(mu[i] > 0)) {
            return 0;
        }
    }
    return 1;
}

int tly_irls(const tly_fit_data *d, const tly_count_family *fam,
             const double *eta_start, double epsilon, int maxit,
             double rank_tol, tally_lsq *ls, double *beta, double *mu,
             double *eta, double *dev, int *iterations, int *converged)
{
    size_t n = d->n, p = d->p;
    int st = TALLY_OK;
    int refine = ls->refine;
    double *z = malloc(n * sizeof *z);
    double *ww = malloc(n * sizeof *ww);
    double *old = malloc(p * sizeof *old);
    if (z == NULL || ww == NULL || old == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto done;
    }
    /* Starting means: R's initialize expressions. */
    for (size_t i = 0; i < n; i++) {
        if (eta_start != NULL) {
            eta[i] = eta_start[i];
            mu[i] = exp(eta[i]);
        } else {
            double m = fam->negbin ? d->y[i] + (d->y[i] == 0 ? 1.0 / 6 : 0)
                                   : d->y[i] + 0.1;
            mu[i] = m;
            eta[i] = log(m);
        }
    }
    double devold = tly_count_deviance(n, d->y, mu, d->w, fam);
    int have_old = 0;
    *converged = 0;
    *iterations = 0;
    for (int it = 1; it <= maxit; it++) {
        *iterations = it;
        for (size_t i = 0; i < n; i++) {
            /* d mu / d eta = mu for the log link. */
            double v = variance(fam, mu[i]);
            z[i] = eta[i] - d->off[i] + (d->y[i] - mu[i]) / mu[i];
            ww[i] = d->w[i] * mu[i] * mu[i] / v;
        }
        ls->refine = 0;
        st = tally_lsq_solve(ls, d->x, z, ww, rank_tol, 0);
        ls->refine = refine;
        if (st != TALLY_OK) {
            goto done;
        }
        memcpy(beta, ls->beta, p * sizeof *beta);
        int ok = linpred(d, beta, eta, mu);
        double dv = ok ? tly_count_deviance(n, d->y, mu, d->w, fam) : NAN;
        /* Step halving towards the previous coefficients while the
         * deviance is not finite (glm.fit's inner loop). */
        for (int h = 0; !isfinite(dv) && h < maxit; h++) {
            if (!have_old) {
                st = TALLY_ERROR(TALLY_ENOCONV,
                                 "no valid set of coefficients found: the "
                                 "fitted means overflow; the model cannot be "
                                 "fitted");
                goto done;
            }
            for (size_t j = 0; j < p; j++) {
                beta[j] = 0.5 * (beta[j] + old[j]);
            }
            ok = linpred(d, beta, eta, mu);
            dv = ok ? tly_count_deviance(n, d->y, mu, d->w, fam) : NAN;
        }
        if (!isfinite(dv)) {
            st = TALLY_ERROR(TALLY_ENOCONV,
                             "IRLS could not find finite fitted means");
            goto done;
        }
        *dev = dv;
        if (fabs(dv - devold) / (fabs(dv) + 0.1) < epsilon) {
            *converged = 1;
            break;
        }
        /* A change at the level of rounding in the deviance sum cannot
         * shrink further: count it as converged (it only arises when
         * epsilon is below what double precision can resolve). */
        if (it > 1
            && fabs(dv - devold)
                   <= 16 * DBL_EPSILON * sqrt((double)n) * (fabs(dv) + 0.1)) {
            *converged = 1;
            break;
        }
        devold = dv;
        memcpy(old, beta, p * sizeof *old);
        have_old = 1;
    }
    if (*converged) {
        /* Covariance and hat values of the last weighted fit (the weights
         * of the iteration that produced beta), as R reports them; this
         * solve is refined, and its beta replaces the unrefined one. */
        st = tally_lsq_solve(ls, d->x, z, ww, rank_tol, 1);
        if (st == TALLY_OK) {
            memcpy(beta, ls->beta, p * sizeof *beta);
            if (!linpred(d, beta, eta, mu)) {
                st = TALLY_ERROR(TALLY_ENOCONV,
                                 "IRLS could not find finite fitted means");
            } else {
                *dev = tly_count_deviance(n, d->y, mu, d->w, fam);
            }
        }
    }
done:
    free(z);
    free(ww);
    free(old);
    return st;
}

int tly_count_null_deviance(const tly_fit_data *d,
                            const tly_count_family *fam, double epsilon,
                            int maxit, double *out)
{
    size_t n = d->n;
    double *mu = malloc(n * sizeof *mu);
    if (mu == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    if (d->icol < 0) {
        /* No intercept: the null model is eta = offset. */
        for (size_t i = 0; i < n; i++) {
            mu[i] = exp(d->off[i]);
        }
        *out = tly_count_deviance(n, d->y, mu, d->w, fam);
        free(mu);
        return TALLY_OK;
    }
    if (!fam->negbin) {
        /* Poisson, intercept only: the score sum w (y - exp(b + off)) = 0
         * gives exp(b) = sum w y / sum w exp(off) in closed form. */
        long double swy = 0, swe = 0;
        for (size_t i = 0; i < n; i++) {
            swy += (long double)d->w[i] * d->y[i];
            swe += (long double)d->w[i] * exp(d->off[i]);
        }
        double scale = (double)(swy / swe);
        for (size_t i = 0; i < n; i++) {
            mu[i] = scale * exp(d->off[i]);
        }
        *out = tly_count_deviance(n, d->y, mu, d->w, fam);
        free(mu);
        return TALLY_OK;
    }
    /* NB2, intercept only, with the offset: one IRLS fit of a column of
     * ones at the fixed theta. */
    tly_fit_data nd = *d;
    nd.p = 1;
    nd.icol = 0;
    nd.x = malloc(n * sizeof *nd.x);
    double *eta = malloc(n * sizeof *eta);
    tally_lsq *ls = tally_lsq_alloc(n, 1);
    int st = TALLY_OK;
    if (nd.x == NULL || eta == NULL || ls == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    } else {
        for (size_t i = 0; i < n; i++) {
            nd.x[i] = 1.0;
        }
        double beta, dev;
        int iters, conv;
        st = tly_irls(&nd, fam, NULL, epsilon, maxit, TALLY_FIT_RANK_TOL, ls,
                      &beta, mu, eta, &dev, &iters, &conv);
        if (st == TALLY_OK && !conv) {
            st = TALLY_ERROR(TALLY_ENOCONV,
                             "the null (intercept-only) model did not "
                             "converge in %d iterations", maxit);
        }
        if (st == TALLY_OK) {
            *out = dev;
        }
    }
    free(nd.x);
    free(eta);
    free(mu);
    tally_lsq_free(ls);
    return st;
}
