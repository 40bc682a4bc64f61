/* SPDX-License-Identifier: MIT
 *
 * What an interrupted-time-series fit implies, from the coefficients b and
 * the covariance V used for inference:
 *   - the effect of each break k periods into its regime,
 *     c'b with c = e_level + k e_slope, Var = c'Vc;
 *   - the counterfactual path (every break term set to 0) over the post
 *     periods and the horizon, with pointwise intervals;
 *   - the cumulative difference observed - counterfactual, with an
 *     interval for the counterfactual sum by the delta method or by a
 *     seeded parametric bootstrap.
 * Intervals use the fit's quantile (t(df) for gaussian and quasipoisson,
 * normal otherwise) unless --ci z switched the fit to z.
 */
#include "stats/its_int.h"
#include "tally/tally_status.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* c'Vc for a p-vector c and the fit's row-major covariance. */
static double quad(const tally_fit *f, const double *c)
{
    double s = 0.0;
    for (size_t i = 0; i < f->p; i++) {
        if (c[i] == 0.0) {
            continue;
        }
        for (size_t j = 0; j < f->p; j++) {
            s += c[i] * f->vcov[i * f->p + j] * c[j];
        }
    }
    return s;
}

static double dot(const double *a, const double *b, size_t p)
{
    double s = 0.0;
    for (size_t i = 0; i < p; i++) {
        s += a[i] * b[i];
    }
    return s;
}

int tly_its_effects(tally_its_result *r, const long *lv, const long *sl)
{
    const tally_fit *f = r->fit;
    double *c = calloc(f->p, sizeof *c);
    if (c == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    r->neffects = 0;
    for (size_t j = 0; j < r->nbreaks; j++) {
        for (size_t h = 0; h < r->options.neffects; h++) {
            long k = r->options.effect_at[h];
            memset(c, 0, f->p * sizeof *c);
            if (lv[j] >= 0) {
                c[lv[j]] = 1.0;
            }
            if (sl[j] >= 0) {
                c[sl[j]] = (double)k;
            }
            /* The log rate ratio (or difference) k periods into regime j:
             * level_j + k slope_j, since slope_j is k at that period. */
            double est = dot(c, f->estimate, f->p);
            double se = sqrt(quad(f, c));
            tally_its_effect *e = &r->effects[r->neffects++];
            e->brk = j;
            e->k = k;
            e->period = r->breaks[j].period + (tally_period)k - 1;
            e->p_value = se > 0.0 ? tally_fit_pvalue(f, est / se) : NAN;
            double lo = est - r->crit * se, hi = est + r->crit * se;
            double lz = est - r->crit_z * se, hz = est + r->crit_z * se;
            if (r->log_link) {
                e->estimate = exp(est);
                e->conf_low = exp(lo);
                e->conf_high = exp(hi);
                e->conf_low_z = exp(lz);
                e->conf_high_z = exp(hz);
            } else {
                e->estimate = est;
                e->conf_low = lo;
                e->conf_high = hi;
                e->conf_low_z = lz;
                e->conf_high_z = hz;
            }
        }
    }
    free(c);
    return TALLY_OK;
}

/* Quantile of sorted values, R's type 7 (the default of quantile()). */
static double quantile7(const double *x, size_t m, double prob)
{
    double h = (double)(m - 1) * prob;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= m) {
        return x[m - 1];
    }
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Parametric bootstrap of the counterfactual sum over the rows in use:
 * b* = b + L z with L L' = V and z standard normal (GSL's MT19937 seeded
 * with the given seed), S* = sum of the counterfactual means at b*.  The
 * interval of observed - S is the percentile interval of observed - S*. */
static int bootstrap(tally_its_result *r, const double *xcf, const double *off,
                     size_t m, double observed)
{
    const tally_fit *f = r->fit;
    size_t p = f->p, B = r->options.nboot;
    gsl_matrix *L = gsl_matrix_alloc(p, p);
    double *beta = malloc(p * sizeof *beta);
    double *z = malloc(p * sizeof *z);
    double *draw = malloc((B ? B : 1) * sizeof *draw);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int st = TALLY_OK;
    if (L == NULL || beta == NULL || z == NULL || draw == NULL || rng == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory for the bootstrap");
        goto done;
    }
    for (size_t i = 0; i < p; i++) {
        for (size_t j = 0; j < p; j++) {
            gsl_matrix_set(L, i, j, f->vcov[i * p + j]);
        }
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int chol = gsl_linalg_cholesky_decomp1(L);
    gsl_set_error_handler(old);
    if (chol != GSL_SUCCESS) {
        st = TALLY_ERROR(TALLY_ESINGULAR,
                         "the covariance matrix is not "
                         "positive definite: no parametric bootstrap (use "
                         "the delta method)");
        goto done;
    }
    gsl_rng_set(rng, r->options.seed);
    for (size_t b = 0; b < B; b++) {
        /* beta = b_hat + L z, L lower triangular. */
        for (size_t i = 0; i < p; i++) {
            z[i] = gsl_ran_gaussian_ziggurat(rng, 1.0);
        }
        for (size_t i = 0; i < p; i++) {
            double s = f->estimate[i];
            for (size_t j = 0; j <= i; j++) {
                s += gsl_matrix_get(L, i, j) * z[j];
            }
            beta[i] = s;
        }
        double sum = 0.0;
        for (size_t t = 0; t < m; t++) {
            double eta = dot(xcf + t * p, beta, p) + off[t];
            sum += r->log_link ? exp(eta) : eta;
        }
        draw[b] = observed - sum;
    }
    qsort(draw, B, sizeof *draw, cmp_double);
    double alpha = 1.0 - r->fit->options.level / 100.0;
    r->cumulative.conf_low = quantile7(draw, B, alpha / 2.0);
    r->cumulative.conf_high = quantile7(draw, B, 1.0 - alpha / 2.0);
    r->cumulative.nboot = B;
    r->cumulative.seed = r->options.seed;
done:
    gsl_matrix_free(L);
    free(beta);
    free(z);
    free(draw);
    gsl_rng_free(rng);
    return st;
}

int tly_its_counterfactual(tally_its_result *r, const tly_its_data *dt,
                           const tally_design *d, const tly_its_spec *s,
                           const long *lv, const long *sl)
{
    const tally_fit *f = r->fit;
    size_t p = f->p, first = s->brk[0], N = dt->N;
    size_t ncf = N - first;
    r->cf = calloc(ncf ? ncf : 1, sizeof *r->cf);
    double *x = malloc(p * sizeof *x);
    double *xcf = malloc(p * sizeof *xcf);
    double *g = calloc(p, sizeof *g);
    /* Rows summed for the cumulative difference: their counterfactual
     * regressors and offsets, kept for the bootstrap. */
    double *keep_x = malloc((ncf ? ncf : 1) * p * sizeof *keep_x);
    double *keep_off = malloc((ncf ? ncf : 1) * sizeof *keep_off);
    int st = TALLY_OK;
    if (r->cf == NULL || x == NULL || xcf == NULL || g == NULL ||
        keep_x == NULL || keep_off == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto done;
    }
    r->ncf = ncf;
    tally_its_cumulative *cu = &r->cumulative;
    memset(cu, 0, sizeof *cu);
    cu->method = r->options.cum_method;
    size_t m = 0;
    double obs_sum = 0.0, cf_sum = 0.0;
    for (size_t i = first; i < N; i++) {
        /* The design row (rows 0..N-1 are the series under study, also in
         * a stacked controlled design) and its copy with every break term
         * of the studied series set to 0. */
        for (size_t j = 0; j < p; j++) {
            x[j] = d->x[j * d->n + i];
            xcf[j] = x[j];
        }
        for (size_t j = 0; j < r->nbreaks; j++) {
            if (lv[j] >= 0) {
                xcf[lv[j]] = 0.0;
            }
            if (sl[j] >= 0) {
                xcf[sl[j]] = 0.0;
            }
        }
        double off = d->offset != NULL ? d->offset[i] : 0.0;
        double eta, se, eta_full;
        tally_fit_predict(f, x, &eta_full, NULL);
        tally_fit_predict(f, xcf, &eta, &se);
        eta += off;
        eta_full += off;
        tally_its_cf *c = &r->cf[i - first];
        c->period = dt->start + (tally_period)i;
        c->excluded = tly_its_in_window(s, i);
        c->observed = (i < dt->n && !c->excluded) ? dt->y[i] : NAN;
        if (r->log_link) {
            c->fitted = exp(eta_full);
            c->mean = exp(eta);
            c->conf_low = exp(eta - r->crit * se);
            c->conf_high = exp(eta + r->crit * se);
        } else {
            c->fitted = eta_full;
            c->mean = eta;
            c->conf_low = eta - r->crit * se;
            c->conf_high = eta + r->crit * se;
        }
        if (isnan(c->observed) || !isfinite(c->mean)) {
            continue;
        }
        /* Cumulative sums and the gradient of the counterfactual sum:
         * d/db sum exp(x'b + o) = sum mu_t x_t (log link), sum x_t
         * (identity). */
        if (m == 0) {
            cu->from = c->period;
        }
        cu->to = c->period;
        obs_sum += c->observed;
        cf_sum += c->mean;
        for (size_t j = 0; j < p; j++) {
            g[j] += (r->log_link ? c->mean : 1.0) * xcf[j];
        }
        memcpy(keep_x + m * p, xcf, p * sizeof *xcf);
        keep_off[m] = off;
        m++;
    }
    cu->periods = m;
    cu->observed = obs_sum;
    cu->counterfactual = cf_sum;
    cu->estimate = obs_sum - cf_sum;
    cu->conf_low = cu->conf_high = NAN;
    if (m == 0) {
        tly_its_note(r, "No observed post-break period: no cumulative "
                        "difference.");
        goto done;
    }
    if (cu->method == TALLY_ITS_CUM_BOOTSTRAP) {
        st = bootstrap(r, keep_x, keep_off, m, obs_sum);
        if (st != TALLY_ESINGULAR) {
            goto done;
        }
        /* A covariance that is not positive definite cannot be sampled:
         * say so and give the delta-method interval instead. */
        st = TALLY_OK;
        tally_error_clear();
        cu->method = TALLY_ITS_CUM_DELTA;
        tly_its_note(r, "The covariance matrix is not positive definite: "
                        "the cumulative interval is by the delta method, "
                        "not the bootstrap.");
    }
    /* Delta method.  Log link: on log S, se(log S) = sqrt(g'Vg) / S, so
     * the interval of S stays positive and is S exp(-+ q se); identity:
     * S +- q sqrt(g'Vg).  The cumulative difference is observed - S. */
    double v = quad(f, g);
    if (r->log_link) {
        double sl_ = sqrt(v) / cf_sum;
        cu->conf_low = obs_sum - cf_sum * exp(r->crit * sl_);
        cu->conf_high = obs_sum - cf_sum * exp(-r->crit * sl_);
    } else {
        cu->conf_low = cu->estimate - r->crit * sqrt(v);
        cu->conf_high = cu->estimate + r->crit * sqrt(v);
    }
done:
    free(x);
    free(xcf);
    free(g);
    free(keep_x);
    free(keep_off);
    return st;
}
