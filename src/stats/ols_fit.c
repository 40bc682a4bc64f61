/* SPDX-License-Identifier: MIT
 *
 * The gaussian family: (weighted) least squares and the statistics of R's
 * summary.lm and logLik.lm, with the conventions of
 * shared/reference/README.md:
 *
 *   deviance      RSS = sum w e^2
 *   null_deviance sum w (y - ybar_w)^2 with an intercept, sum w y^2
 *                 without (uncentred R^2, as R and NIST NoInt1/2); with an
 *                 offset, mss + RSS with mss from the fitted values minus
 *                 the offset, as summary.lm
 *   R^2           1 - RSS / null_deviance
 *   adj R^2       1 - (1 - R^2) (n - i) / df, i = 1 with intercept else 0
 *   F             ((null - RSS) / (p - i)) / (RSS / df)
 *   loglik        (sum log w - n (log(2 pi) + 1 - log n + log RSS)) / 2
 *   AIC, BIC      -2 loglik + (2 or log n) (p + 1): sigma^2 counted.
 */
#include "stats/glm_int.h"
#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int tly_fit_gaussian(const tly_fit_data *d, const tally_fit_options *o,
                     tally_fit *f, double *u, double *bread)
{
    size_t n = d->n, p = d->p;
    tally_lsq *ls = tally_lsq_alloc(n, p);
    double *z = malloc(n * sizeof *z);
    int st = TALLY_OK;
    if (ls == NULL || z == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto done;
    }
    /* With an offset, lm regresses y - offset on X. */
    for (size_t i = 0; i < n; i++) {
        z[i] = d->y[i] - d->off[i];
    }
    st = tally_lsq_solve(ls, d->x, z, d->has_weights ? d->w : NULL,
                         o->rank_tol, 1);
    if (st == TALLY_ESINGULAR) {
        st = tly_singular_error(ls, f->terms, p, o->rank_tol);
    }
    if (st != TALLY_OK) {
        goto done;
    }
    double df = (double)(n - p);
    double rss = ls->rss;
    double s2 = rss / df;
    memcpy(f->estimate, ls->beta, p * sizeof *f->estimate);
    memcpy(bread, ls->cov_unscaled, p * p * sizeof *bread);
    for (size_t k = 0; k < p * p; k++) {
        f->vcov_model[k] = s2 * ls->cov_unscaled[k];
    }
    long double sw = 0, swy = 0, slogw = 0;
    for (size_t i = 0; i < n; i++) {
        f->resid[i] = ls->resid[i];
        f->mu[i] = d->y[i] - ls->resid[i];
        f->eta[i] = f->mu[i];
        f->wweight[i] = d->w[i];
        f->hat[i] = ls->hat[i];
        u[i] = d->w[i] * ls->resid[i];
        sw += d->w[i];
        swy += (long double)d->w[i] * z[i];
        slogw += logl((long double)d->w[i]);
    }
    int icpt = d->icol >= 0;
    long double null = 0;
    if (!d->has_offset) {
        /* Total sum of squares about the weighted mean (or about 0). */
        long double ybar = icpt ? swy / sw : 0;
        for (size_t i = 0; i < n; i++) {
            long double e = (long double)d->y[i] - ybar;
            null += d->w[i] * e * e;
        }
    } else {
        /* Null model intercept + offset: y - offset = X b + e with e
         * orthogonal to the intercept, so its deviance is the spread of
         * X b about its mean plus the RSS. */
        long double fsum = 0;
        for (size_t i = 0; i < n; i++) {
            fsum += (long double)d->w[i] * (f->mu[i] - d->off[i]);
        }
        long double fbar = icpt ? fsum / sw : 0;
        for (size_t i = 0; i < n; i++) {
            long double e = (long double)f->mu[i] - d->off[i] - fbar;
            null += d->w[i] * e * e;
        }
        null += rss;
    }
    f->deviance = rss;
    f->null_deviance = (double)null;
    f->dispersion = s2;
    f->sigma = sqrt(s2);
    f->r_squared = 1 - rss / f->null_deviance;
    f->adj_r_squared = 1 - (1 - f->r_squared) * ((double)n - icpt) / df;
    f->f_df1 = (double)(p - (size_t)icpt);
    f->f_df2 = df;
    if (f->f_df1 > 0) {
        f->f_statistic = ((f->null_deviance - rss) / f->f_df1) / s2;
        f->f_p_value = gsl_cdf_fdist_Q(f->f_statistic, f->f_df1, df);
    }
    double dn = (double)n;
    f->loglik = 0.5 * ((double)slogw
                       - dn * (log(2 * TLY_PI) + 1 - log(dn) + log(rss)));
    f->aic = -2 * f->loglik + 2 * (double)(p + 1);
    f->bic = -2 * f->loglik + log(dn) * (double)(p + 1);
    /* R's summary.lm warns of an "essentially perfect fit" when the
     * residual variance is below 1e-30 (mean(f)^2 + var(f)), f the fitted
     * values (times sqrt(w) when weighted): the residuals are then
     * rounding noise, and t = estimate / (noise or 0) means nothing (a
     * constant series gets a "highly significant" slope of 1e-21).  We
     * use "not above" so that an all-zero response (threshold 0) counts
     * too. */
    long double fm = 0, fv = 0;
    for (size_t i = 0; i < n; i++) {
        fm += sqrtl((long double)d->w[i]) * f->mu[i];
    }
    fm /= (long double)n;
    for (size_t i = 0; i < n; i++) {
        long double e = sqrtl((long double)d->w[i]) * f->mu[i] - fm;
        fv += e * e;
    }
    fv = n > 1 ? fv / (long double)(n - 1) : 0;
    f->perfect_fit = !(s2 > (double)((fm * fm + fv) * 1e-30L));
    f->pearson_chi2 = rss;
    f->converged = 1;
    f->iterations = 0;
done:
    tally_lsq_free(ls);
    free(z);
    return st;
}
