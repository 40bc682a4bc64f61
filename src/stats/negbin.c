/* SPDX-License-Identifier: MIT
 *
 * Negative binomial (NB2) regression with theta by maximum likelihood, as
 * MASS::glm.nb (Venables & Ripley 2002, Modern Applied Statistics with S,
 * section 7.4): Var(y) = mu + mu^2 / theta, log link.
 *
 *  1. a Poisson fit gives the starting means;
 *  2. theta = argmax of the likelihood at those means (Newton, theta.ml);
 *  3. repeat: IRLS for beta at fixed theta, starting from the current
 *     linear predictor; theta again at the new means; until
 *     |L - L_old| / sqrt(2 max(1, df)) + |theta - theta_old| / theta
 *     < epsilon (glm.nb's rule, with the theta change made relative so
 *     that the test means the same for theta = 2 and theta = 2000).
 *
 * Standard errors come from the IRLS information at the final theta with
 * dispersion 1 (summary(glm.nb)); the deviance and the null deviance are
 * at theta-hat, the null model refitted with theta fixed.  loglik =
 * sum w log dnbinom(y; theta, mu); theta counts in AIC and BIC.
 */
#include "core/lgamma_int.h"
#include "stats/glm_int.h"
#include "tally/tally_glm.h"
#include "tally/tally_status.h"

#include <float.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A theta this large is Poisson to every digit that matters: the data show
 * no overdispersion and the maximum is at infinity. */
#define TLY_THETA_MAX 1e10

/* Below this change per round (log-likelihood over sqrt(2 df) plus the
 * relative change in theta) a round that fails to shrink the change is at
 * the noise floor of double precision: the alternation has converged. */
#define TLY_NB_NOISE 1e-9

double tally_glm_loglik_negbin(size_t n, const double *y, const double *mu,
                               const double *w, double theta)
{
    /* log dnbinom = lgamma(th + y) - lgamma(th) - lgamma(y + 1)
     *             + th log th + y log mu - (th + y) log(th + mu),
     * with y log mu = 0 at y = 0 (MASS's loglik). */
    long double ll = 0;
    for (size_t i = 0; i < n; i++) {
        double yi = y[i];
        double t = tly_lgamma(theta + yi) - tly_lgamma(theta)
                   - tly_lgamma(yi + 1)
                   + theta * log(theta) + (yi > 0 ? yi * log(mu[i]) : 0)
                   - (theta + yi) * log(theta + mu[i]);
        ll += (long double)(w != NULL ? w[i] : 1.0) * t;
    }
    return (double)ll;
}

int tally_glm_theta_ml(size_t n, const double *y, const double *mu,
                       const double *w, double tol, int maxit,
                       double *theta, double *se)
{
    /* Moment start n / sum w (y/mu - 1)^2 (theta.ml; n = sum w). */
    long double sw = 0, m2 = 0;
    for (size_t i = 0; i < n; i++) {
        double wi = w != NULL ? w[i] : 1.0, r = y[i] / mu[i] - 1;
        sw += wi;
        m2 += (long double)wi * r * r;
    }
    double t0 = m2 > 0 ? (double)(sw / m2) : INFINITY;
    if (!isfinite(t0)) {
        return TALLY_ERROR(TALLY_ENOCONV,
                           "theta cannot be estimated: the counts equal their "
                           "fitted means");
    }
    double info = NAN;
    for (int it = 0; it < maxit; it++) {
        /* Score and observed information of theta at fixed means:
         *  U = sum w [psi(th + y) - psi(th) + log th + 1 - log(th + mu)
         *             - (y + th)/(mu + th)]
         *  I = sum w [-psi'(th + y) + psi'(th) - 1/th + 2/(mu + th)
         *             - (y + th)/(mu + th)^2] */
        t0 = fabs(t0);
        long double sc = 0, in = 0;
        double tg = gsl_sf_psi_1(t0), dg = gsl_sf_psi(t0);
        for (size_t i = 0; i < n; i++) {
            double wi = w != NULL ? w[i] : 1.0, yi = y[i], m = mu[i];
            double a = t0 + yi, b = m + t0;
            double dpsi = yi > 0 ? gsl_sf_psi(a) - dg : 0;
            double tpsi = yi > 0 ? gsl_sf_psi_1(a) - tg : 0;
            sc += wi * (dpsi + log(t0 / b) + 1 - a / b);
            in += wi * (-tpsi - 1 / t0 + 2 / b - a / (b * b));
        }
        info = (double)in;
        double del = (double)(sc / in);
        t0 += del;
        if (!isfinite(t0) || fabs(t0) > TLY_THETA_MAX) {
            return TALLY_ERROR(TALLY_ENOCONV,
                               "theta runs to infinity: the counts show no "
                               "overdispersion; use --family poisson");
        }
        if (fabs(del) <= tol * fabs(t0)) {
            if (!(t0 > 0) || !(info > 0)) {
                break;
            }
            *theta = t0;
            if (se != NULL) {
                *se = 1 / sqrt(info);
            }
            return TALLY_OK;
        }
    }
    return TALLY_ERROR(TALLY_ENOCONV,
                       "the maximum-likelihood theta was not found in %d "
                       "Newton steps", maxit);
}

int tly_fit_negbin(const tly_fit_data *d, const tally_fit_options *o,
                   tally_fit *f, double *u, double *bread)
{
    size_t n = d->n, p = d->p;
    int st = tly_check_counts(d, 1);
    if (st != TALLY_OK) {
        return st;
    }
    tally_lsq *ls = tally_lsq_alloc(n, p);
    double *eta0 = malloc(n * sizeof *eta0);
    if (ls == NULL || eta0 == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto done;
    }
    /* Theta's Newton iterations are cheap: solve them to rounding level. */
    const double theta_tol = 1e-12;
    tly_count_family fam = {0, 0};
    double dev;
    int iters, conv;
    st = tly_irls(d, &fam, NULL, o->epsilon, o->maxit, o->rank_tol, ls,
                  f->estimate, f->mu, f->eta, &dev, &iters, &conv);
    if (st == TALLY_OK && !conv) {
        st = TALLY_ERROR(TALLY_ENOCONV,
                         "the starting Poisson fit did not converge in %d "
                         "iterations", o->maxit);
    }
    if (st == TALLY_OK) {
        st = tly_check_means(d, f->mu, f->estimate, f->terms);
    }
    double th = NAN, th_se = NAN;
    if (st == TALLY_OK) {
        st = tally_glm_theta_ml(n, d->y, f->mu, d->w, theta_tol, o->maxit,
                                &th, &th_se);
    }
    if (st != TALLY_OK) {
        goto done;
    }
    fam.negbin = 1;
    double lm = tally_glm_loglik_negbin(n, d->y, f->mu, d->w, th);
    double d1 = sqrt(2.0 * fmax(1.0, (double)(n - p)));
    int outer = 0, done_flag = 0;
    double crit_prev = INFINITY;
    while (outer < o->maxit && !done_flag) {
        outer++;
        fam.theta = th;
        memcpy(eta0, f->eta, n * sizeof *eta0);
        st = tly_irls(d, &fam, eta0, o->epsilon, o->maxit, o->rank_tol, ls,
                      f->estimate, f->mu, f->eta, &dev, &iters, &conv);
        if (st == TALLY_OK && !conv) {
            st = TALLY_ERROR(TALLY_ENOCONV,
                             "IRLS at theta = %g did not converge in %d "
                             "iterations", th, o->maxit);
        }
        if (st != TALLY_OK) {
            goto done;
        }
        double th_old = th, lm_old = lm;
        st = tally_glm_theta_ml(n, d->y, f->mu, d->w, theta_tol, o->maxit,
                                &th, &th_se);
        if (st != TALLY_OK) {
            goto done;
        }
        lm = tally_glm_loglik_negbin(n, d->y, f->mu, d->w, th);
        double crit = fabs(lm - lm_old) / d1 + fabs(th - th_old) / th;
        /* Converged when the change is below epsilon, or when it has
         * stopped shrinking at a level no optimiser could act on (the
         * log-likelihood is a sum of lgamma terms whose rounding noise,
         * about 1e-14 relative, can exceed a tiny epsilon). */
        if (crit < o->epsilon
            || (crit < TLY_NB_NOISE && crit >= crit_prev)) {
            done_flag = 1;
        }
        crit_prev = crit;
    }
    if (!done_flag) {
        st = TALLY_ERROR(TALLY_ENOCONV,
                         "the alternation of beta and theta did not "
                         "converge in %d rounds", o->maxit);
        goto done;
    }
    st = tly_check_means(d, f->mu, f->estimate, f->terms);
    if (st != TALLY_OK) {
        goto done;
    }
    /* The reported beta is the IRLS fit at the theta before the last
     * update, exactly as glm.nb's returned object; at convergence the two
     * agree to the tolerance. */
    fam.theta = th;
    long double pearson = 0;
    for (size_t i = 0; i < n; i++) {
        double e = d->y[i] - f->mu[i];
        double v = f->mu[i] + f->mu[i] * f->mu[i] / th;
        f->resid[i] = e;
        f->wweight[i] = d->w[i] * f->mu[i] * f->mu[i] / v;
        f->hat[i] = ls->hat[i];
        /* Score: w (y - mu) / V * dmu/deta = w (y - mu) / (1 + mu/theta). */
        u[i] = d->w[i] * e / (1 + f->mu[i] / th);
        pearson += (long double)d->w[i] * e * e / v;
    }
    f->pearson_chi2 = (double)pearson;
    f->deviance = tly_count_deviance(n, d->y, f->mu, d->w, &fam);
    f->dispersion = 1.0;
    f->theta = th;
    f->theta_se = th_se;
    f->iterations = outer;
    f->converged = 1;
    memcpy(bread, ls->cov_unscaled, p * p * sizeof *bread);
    memcpy(f->vcov_model, ls->cov_unscaled, p * p * sizeof *bread);
    st = tly_count_null_deviance(d, &fam, o->epsilon, o->maxit,
                                 &f->null_deviance);
    if (st != TALLY_OK) {
        goto done;
    }
    double dn = (double)n;
    f->loglik = tally_glm_loglik_negbin(n, d->y, f->mu, d->w, th);
    f->aic = -2 * f->loglik + 2 * (double)(p + 1);
    f->bic = -2 * f->loglik + log(dn) * (double)(p + 1);
done:
    tally_lsq_free(ls);
    free(eta0);
    return st;
}
