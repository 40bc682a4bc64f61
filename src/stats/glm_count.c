/* SPDX-License-Identifier: MIT
 *
 * Poisson and quasi-Poisson regression (log link) by IRLS, with the
 * statistics of R's glm and summary.glm:
 *
 *   poisson       dispersion 1, z tests; loglik = sum w log dpois(y, mu),
 *                 aic = -2 loglik + 2p, bic = -2 loglik + log(n) p
 *   quasipoisson  the same estimates and deviance; dispersion = Pearson
 *                 X^2 / df_residual, covariance scaled by it, t tests with
 *                 df_residual; no likelihood (NaN)
 *
 * and the checks that keep a wrong number from being printed: negative or
 * (for poisson) non-integer counts, an all-zero response (no finite MLE),
 * and fitted means running to 0 (separation: a term that covers only zero
 * counts drives its coefficient to minus infinity while IRLS still
 * "converges" on the deviance).
 */
#include "core/lgamma_int.h"
#include "stats/glm_int.h"
#include "tally/tally_glm.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fitted means below this fraction of the mean count, on rows with a zero
 * count, mean that a coefficient is running to -infinity: a genuine fit
 * of count data does not span e^18 between rows. */
#define TLY_VANISH_RATIO 1e-8

const char *tly_fit_where(const tly_fit_data *d, size_t i, char *buf,
                          size_t size)
{
    if (d->des != NULL && d->row != NULL) {
        return tally_design_where(d->des, d->row[i], buf, size);
    }
    snprintf(buf, size, "observation %zu", i + 1);
    return buf;
}

int tly_check_counts(const tly_fit_data *d, int need_integer)
{
    int any = 0;
    char where[512];
    for (size_t i = 0; i < d->n; i++) {
        double y = d->y[i];
        if (y < 0) {
            return TALLY_ERROR(TALLY_EDOMAIN,
                               "%s: the response is negative (%g): a count "
                               "model needs counts >= 0",
                               tly_fit_where(d, i, where, sizeof where), y);
        }
        if (need_integer && y != floor(y)) {
            return TALLY_ERROR(TALLY_EDOMAIN,
                               "%s: the response is not a whole number (%g): "
                               "use --family quasipoisson or gaussian for "
                               "non-count data",
                               tly_fit_where(d, i, where, sizeof where), y);
        }
        if (y > 0) {
            any = 1;
        }
    }
    if (!any) {
        return TALLY_ERROR(TALLY_ECONSTANT,
                           "every count is 0: a log-link model has no finite "
                           "estimate");
    }
    return TALLY_OK;
}

int tly_check_means(const tly_fit_data *d, const double *mu,
                    const double *beta, char *const *terms)
{
    long double sy = 0, sw = 0;
    for (size_t i = 0; i < d->n; i++) {
        sy += (long double)d->w[i] * d->y[i];
        sw += d->w[i];
    }
    double ybar = (double)(sy / sw);
    size_t nv = 0, first = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->y[i] == 0 && mu[i] < TLY_VANISH_RATIO * ybar) {
            if (nv == 0) {
                first = i;
            }
            nv++;
        }
    }
    if (nv == 0) {
        return TALLY_OK;
    }
    /* Name the terms whose coefficient moves the mean by more than e^10
     * somewhere: those running to infinity. */
    char list[256] = "";
    size_t len = 0;
    for (size_t j = 0; j < d->p; j++) {
        double xmax = 0;
        for (size_t i = 0; i < d->n; i++) {
            xmax = fmax(xmax, fabs(d->x[i * d->p + j]));
        }
        if (fabs(beta[j]) * xmax > 10 && (long)j != d->icol
            && len + strlen(terms[j]) + 3 < sizeof list) {
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                    len ? ", " : "", terms[j]);
        }
    }
    char where[512];
    return TALLY_ERROR(TALLY_ENOCONV,
                       "the maximum-likelihood estimate does not exist: the "
                       "fitted mean goes to 0 in %zu observation(s) with zero "
                       "counts (first: %s)%s%s%s; drop or merge "
                       "the term(s) that cover only zero counts",
                       nv, tly_fit_where(d, first, where, sizeof where),
                       len ? " (terms: " : "", list, len ? ")" : "");
}

double tally_glm_loglik_poisson(size_t n, const double *y, const double *mu,
                                const double *w)
{
    /* log dpois(y; mu) = y log mu - mu - lgamma(y + 1), with 0 log 0 = 0. */
    long double ll = 0;
    for (size_t i = 0; i < n; i++) {
        double t = (y[i] > 0 ? y[i] * log(mu[i]) : 0) - mu[i]
                   - tly_lgamma(y[i] + 1);
        ll += (long double)(w != NULL ? w[i] : 1.0) * t;
    }
    return (double)ll;
}

int tly_fit_count(const tly_fit_data *d, const tally_fit_options *o,
                  tally_fit *f, double *u, double *bread)
{
    size_t n = d->n, p = d->p;
    int quasi = o->family == TALLY_FAMILY_QUASIPOISSON;
    int st = tly_check_counts(d, !quasi);
    if (st != TALLY_OK) {
        return st;
    }
    tly_count_family fam = {0, 0};
    tally_lsq *ls = tally_lsq_alloc(n, p);
    if (ls == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    double dev;
    st = tly_irls(d, &fam, NULL, o->epsilon, o->maxit, o->rank_tol, ls,
                  f->estimate, f->mu, f->eta, &dev, &f->iterations,
                  &f->converged);
    if (st == TALLY_ESINGULAR) {
        st = tly_singular_error(ls, f->terms, p, o->rank_tol);
    }
    if (st == TALLY_OK && !f->converged) {
        st = TALLY_ERROR(TALLY_ENOCONV,
                         "IRLS did not converge in %d iterations "
                         "(tolerance %g)", o->maxit, o->epsilon);
    }
    if (st == TALLY_OK) {
        st = tly_check_means(d, f->mu, f->estimate, f->terms);
    }
    if (st != TALLY_OK) {
        tally_lsq_free(ls);
        return st;
    }
    long double pearson = 0;
    for (size_t i = 0; i < n; i++) {
        double e = d->y[i] - f->mu[i];
        f->resid[i] = e;
        f->wweight[i] = d->w[i] * f->mu[i];
        f->hat[i] = ls->hat[i];
        /* Score of observation i: w (y - mu) / V * dmu/deta = w (y - mu). */
        u[i] = d->w[i] * e;
        pearson += (long double)d->w[i] * e * e / f->mu[i];
    }
    double df = (double)(n - p);
    f->pearson_chi2 = (double)pearson;
    f->deviance = dev;
    f->dispersion = quasi ? f->pearson_chi2 / df : 1.0;
    memcpy(bread, ls->cov_unscaled, p * p * sizeof *bread);
    for (size_t k = 0; k < p * p; k++) {
        f->vcov_model[k] = f->dispersion * ls->cov_unscaled[k];
    }
    tally_lsq_free(ls);
    st = tly_count_null_deviance(d, &fam, o->epsilon, o->maxit,
                                 &f->null_deviance);
    if (st != TALLY_OK) {
        return st;
    }
    if (!quasi) {
        double dn = (double)n;
        f->loglik = tally_glm_loglik_poisson(n, d->y, f->mu, d->w);
        f->aic = -2 * f->loglik + 2 * (double)p;
        f->bic = -2 * f->loglik + log(dn) * (double)p;
    }
    return TALLY_OK;
}
