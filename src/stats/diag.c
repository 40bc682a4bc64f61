/* SPDX-License-Identifier: MIT
 *
 * Residual diagnostics of a regression fit, on the residuals in data
 * (time) order: response residuals for gaussian, Pearson residuals
 * (y - mu)/sqrt(V(mu)) for the GLMs.
 *
 *   Durbin-Watson  sum (e_t - e_{t-1})^2 / sum e_t^2
 *   Ljung-Box      Q = n (n + 2) sum_{k=1..h} r_k^2 / (n - k), r_k the
 *                  lag-k autocorrelation of the demeaned residuals,
 *                  p from chi^2(h) (Box.test(type = "Ljung-Box"))
 *   Breusch-Godfrey (gaussian) of order 1: e_t on X and e_{t-1} (0 for the
 *                  first), LM = n * sum(fitted^2) / sum(e^2), chi^2(1)
 *                  (lmtest::bgtest, type "Chisq")
 *   overdispersion (count models) Pearson X^2/df with P(chi^2_df > X^2),
 *                  and Cameron & Trivedi (1990): a_i = ((y-mu)^2 - y)/mu,
 *                  z = sqrt(n) mean(a)/sd(a), one-sided normal p,
 *                  dispersion mean(a) + 1 (AER::dispersiontest default)
 */
#include "stats/glm_int.h"
#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

static int ljung_box_lag(size_t n, tally_freq freq)
{
    size_t cap = n / 5;
    size_t h = (freq == TALLY_FREQ_MONTH || freq == TALLY_FREQ_QUARTER)
                   ? 2 * (size_t)freq
                   : 10;
    if (h > cap) {
        h = cap;
    }
    return (int)h;
}

/* Breusch-Godfrey LM statistic of order 1 (NaN when the auxiliary
 * regression cannot be solved). */
static double breusch_godfrey(const tly_fit_data *d, const double *e)
{
    size_t n = d->n, p = d->p, q = p + 1;
    double *z = malloc(n * q * sizeof *z);
    tally_lsq *ls = tally_lsq_alloc(n, q);
    double stat = NAN;
    if (z != NULL && ls != NULL && n > q) {
        for (size_t i = 0; i < n; i++) {
            for (size_t j = 0; j < p; j++) {
                z[i * q + j] = d->x[i * p + j];
            }
            z[i * q + p] = i > 0 ? e[i - 1] : 0.0;
        }
        if (tally_lsq_solve(ls, z, e, NULL, TALLY_FIT_RANK_TOL, 0)
            == TALLY_OK) {
            long double fit2 = 0, e2 = 0;
            for (size_t i = 0; i < n; i++) {
                double fi = e[i] - ls->resid[i];
                fit2 += (long double)fi * fi;
                e2 += (long double)e[i] * e[i];
            }
            stat = (double)n * (double)(fit2 / e2);
        }
        tally_error_clear();
    }
    free(z);
    tally_lsq_free(ls);
    return stat;
}

int tly_fit_diagnostics(const tly_fit_data *d, tally_fit *f, tally_freq freq)
{
    size_t n = d->n;
    tally_fit_diag *g = &f->diag;
    int gaussian = f->family == TALLY_FAMILY_GAUSSIAN;
    double *e = malloc(n * sizeof *e);
    if (e == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        if (gaussian) {
            e[i] = f->resid[i];
        } else {
            double v = f->family == TALLY_FAMILY_NEGBIN
                           ? f->mu[i] + f->mu[i] * f->mu[i] / f->theta
                           : f->mu[i];
            e[i] = f->resid[i] / sqrt(v);
        }
    }
    /* Durbin-Watson. */
    long double num = 0, den = 0, mean = 0;
    for (size_t i = 0; i < n; i++) {
        den += (long double)e[i] * e[i];
        mean += e[i];
        if (i > 0) {
            long double dd = (long double)e[i] - e[i - 1];
            num += dd * dd;
        }
    }
    g->durbin_watson = den > 0 ? (double)(num / den) : NAN;
    /* Ljung-Box on the demeaned residuals. */
    mean /= (long double)n;
    int h = ljung_box_lag(n, freq);
    g->ljung_box_lag = h;
    if (h >= 1) {
        long double c0 = 0, q = 0;
        for (size_t i = 0; i < n; i++) {
            c0 += (e[i] - mean) * (e[i] - mean);
        }
        for (int k = 1; k <= h; k++) {
            long double ck = 0;
            for (size_t i = (size_t)k; i < n; i++) {
                ck += (e[i] - mean) * (e[i - (size_t)k] - mean);
            }
            long double r = ck / c0;
            q += r * r / (long double)(n - (size_t)k);
        }
        g->ljung_box = (double)((long double)n * (n + 2) * q);
        g->ljung_box_p = gsl_cdf_chisq_Q(g->ljung_box, h);
    } else {
        g->ljung_box = g->ljung_box_p = NAN;
    }
    if (gaussian) {
        g->bg_order = 1;
        g->breusch_godfrey = breusch_godfrey(d, f->resid);
        g->breusch_godfrey_p = gsl_cdf_chisq_Q(g->breusch_godfrey, 1);
    } else {
        g->breusch_godfrey = g->breusch_godfrey_p = NAN;
        g->pearson_ratio = f->pearson_chi2 / f->df_residual;
        g->pearson_p = gsl_cdf_chisq_Q(f->pearson_chi2, f->df_residual);
    }
    if (f->family == TALLY_FAMILY_POISSON
        || f->family == TALLY_FAMILY_QUASIPOISSON) {
        long double s = 0, s2 = 0;
        for (size_t i = 0; i < n; i++) {
            double r = d->y[i] - f->mu[i];
            double a = (r * r - d->y[i]) / f->mu[i];
            s += a;
            s2 += (long double)a * a;
        }
        double m = (double)(s / (long double)n);
        double var = (double)((s2 - (long double)n * m * m)
                              / (long double)(n - 1));
        g->ct_dispersion = m + 1;
        g->ct_statistic = sqrt((double)n) * m / sqrt(var);
        g->ct_p = gsl_cdf_ugaussian_Q(g->ct_statistic);
    } else {
        g->ct_dispersion = g->ct_statistic = g->ct_p = NAN;
    }
    free(e);
    return TALLY_OK;
}
