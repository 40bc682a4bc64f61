/* SPDX-License-Identifier: MIT
 *
 * Count models for forecasting (poisson-trend, negbin-trend): a Poisson or
 * NB2 GLM on trend and season (tally_fit_model: R's glm(y ~ time +
 * factor(month), family = poisson) or MASS::glm.nb), forecast by
 * simulation so that the intervals are integer, non-negative and include
 * parameter uncertainty:
 *
 *   for each of S = 10000 paths: beta* ~ N(beta_hat, V) (V the
 *   model-based covariance), mu*_h = exp(x_h' beta*), y*_h ~ Poisson(mu*_h)
 *   or NB2(theta_hat, mu*_h);
 *
 * the limits at level L are the empirical (1 - L/100)/2 and (1 + L/100)/2
 * quantiles of y*_h (the smallest count whose empirical distribution
 * function reaches the probability, R's quantile type 1), and the point
 * forecast is the fitted mean exp(x_h' beta_hat).  Theta is held at its
 * estimate.  The random numbers come from GSL's MT19937 seeded with
 * spec->seed (echoed in the output), so results are reproducible.  The
 * result keeps the draws (tally_fc_result.draw and draw_mean): they are
 * the predictive distribution that `backtest` scores.
 *
 * Terms: intercept, time (1..n over the periods used, continuing into the
 * forecast), and month2..month12 (quarter2..quarter4) dummies when the
 * series covers at least two seasons.
 */
#include "forecast/forecast_int.h"
#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_status.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Simulated paths per forecast. */
#define NSIM 10000

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Quantile type 1 of sorted s[0..n-1]: the smallest value whose empirical
 * distribution function is >= prob. */
static double quantile1(const double *s, size_t n, double prob)
{
    double k = ceil(prob * (double)n);
    size_t i = k < 1.0 ? 0 : (size_t)k - 1;
    return s[i < n ? i : n - 1];
}

/* The regressor value of `term` at 1-based time t in period p. */
static double term_value(const char *term, double t, tally_freq freq,
                         tally_period p)
{
    if (strcmp(term, "intercept") == 0) {
        return 1.0;
    }
    if (strcmp(term, "time") == 0) {
        return t;
    }
    long sub = tally_period_sub(freq, p);
    size_t skip = strncmp(term, "month", 5) == 0     ? 5
                  : strncmp(term, "quarter", 7) == 0 ? 7
                                                     : 0;
    if (skip > 0) {
        char *end;
        long k = strtol(term + skip, &end, 10);
        if (*end == '\0') {
            return (double)(k == sub);
        }
    }
    return NAN;
}

int tly_count_run(const tally_fc_spec *spec, const double *y, size_t n,
                  tally_freq freq, tally_fc_result *out)
{
    tally_design *d = NULL;
    tally_fit *fit = NULL;
    tally_fit_options fo;
    int negbin = spec->family == TALLY_FC_NEGBIN;
    int m = tly_fc_period(freq);
    int st;

    for (size_t i = 0; i < n; i++) {
        if (!isnan(y[i]) && (y[i] < 0 || y[i] != floor(y[i]))) {
            char p[TALLY_PERIOD_BUFSIZE];
            return TALLY_ERROR(TALLY_EDOMAIN,
                               "%s: the series must hold non-negative whole "
                               "counts (value %g in %s)",
                               negbin ? "negbin-trend" : "poisson-trend",
                               y[i],
                               tally_period_format(freq,
                                                   out->start
                                                       + (tally_period)i,
                                                   p, sizeof p));
        }
    }
    d = tally_design_alloc(n);
    if (d == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "count model: out of memory");
    }
    d->freq = freq;
    d->start = out->start;
    memcpy(d->y, y, n * sizeof *y);
    st = tally_design_add_intercept(d);
    if (st == TALLY_OK) {
        st = tally_design_add_time(d);
    }
    if (st == TALLY_OK && m > 1) {
        if (n >= 2 * (size_t)m) {
            st = tally_design_add_season(d, TALLY_SEASON_DUMMIES, 0);
        } else {
            tly_fc_warn(out, "fewer than two seasons (%zu values): trend "
                        "only, no season terms", n);
        }
    }
    if (st != TALLY_OK) {
        tally_design_free(d);
        return st;
    }
    tally_fit_options_init(&fo);
    fo.family = negbin ? TALLY_FAMILY_NEGBIN : TALLY_FAMILY_POISSON;
    fo.diagnostics = 0;
    st = tally_fit_model(d, &fo, &fit);
    tally_design_free(d);
    if (st != TALLY_OK) {
        return st;
    }
    size_t p = fit->p;
    if (p + (size_t)negbin > TALLY_FC_MAX_COEF) {
        tally_fit_free(fit);
        return TALLY_ERROR(TALLY_EINVAL, "count model: too many terms");
    }

    snprintf(out->model, sizeof out->model, "%s GLM on trend%s",
             negbin ? "Negative binomial (NB2)" : "Poisson",
             p > 2 ? " and season" : "");
    out->ncoef = p;
    for (size_t j = 0; j < p; j++) {
        snprintf(out->coef[j].term, sizeof out->coef[j].term, "%s",
                 fit->terms[j]);
        out->coef[j].estimate = fit->estimate[j];
        out->coef[j].std_error = fit->std_error[j];
    }
    if (negbin) {
        snprintf(out->coef[p].term, sizeof out->coef[p].term, "theta");
        out->coef[p].estimate = fit->theta;
        out->coef[p].std_error = fit->theta_se;
        out->ncoef = p + 1;
    }
    /* AIC counts theta for negbin (p + 1 parameters); AICc likewise. */
    double k = (double)(p + (size_t)negbin), nn = (double)fit->n;
    out->loglik = fit->loglik;
    out->aic = fit->aic;
    out->bic = fit->bic;
    out->aicc = nn - k - 1 > 0 ? fit->aic + 2 * k * (k + 1) / (nn - k - 1)
                               : INFINITY;
    out->sigma2 = NAN;
    out->converged = fit->converged;
    for (size_t i = 0; i < fit->n; i++) {
        out->fitted[fit->row[i]] = fit->mu[i];
    }

    size_t h = out->h;
    if (out->nlevels == 0) {
        /* Point forecasts only (e.g. a rolling-origin evaluation): no
         * simulation needed. */
        for (size_t i = 0; i < h; i++) {
            double eta = 0.0;
            for (size_t j = 0; j < p; j++) {
                eta += term_value(fit->terms[j], (double)(n + i + 1), freq,
                                  out->first + (tally_period)i)
                       * fit->estimate[j];
            }
            out->mean[i] = exp(eta);
        }
        tally_fit_free(fit);
        return TALLY_OK;
    }
    /* Simulation: Cholesky factor of V, then paths. */
    double *L = malloc(p * p * sizeof *L);
    double *x = malloc(h * p * sizeof *x);
    double *sims = malloc(h * NSIM * sizeof *sims);
    double *mus = malloc(h * NSIM * sizeof *mus);
    double *z = malloc(2 * p * sizeof *z);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (L == NULL || x == NULL || sims == NULL || mus == NULL || z == NULL
        || rng == NULL) {
        free(L);
        free(x);
        free(sims);
        free(mus);
        free(z);
        gsl_rng_free(rng);
        tally_fit_free(fit);
        return TALLY_ERROR(TALLY_ENOMEM, "count model: out of memory");
    }
    memcpy(L, fit->vcov_model, p * p * sizeof *L);
    gsl_matrix_view Lm = gsl_matrix_view_array(L, p, p);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int chol = gsl_linalg_cholesky_decomp1(&Lm.matrix);
    gsl_set_error_handler(old);
    if (chol != 0) {
        free(L);
        free(x);
        free(sims);
        free(mus);
        free(z);
        gsl_rng_free(rng);
        tally_fit_free(fit);
        return TALLY_ERROR(TALLY_ESINGULAR,
                           "count model: the covariance of the estimates is "
                           "not positive definite");
    }
    for (size_t i = 0; i < h; i++) {
        double t = (double)(n + i + 1);
        double eta = 0.0;
        for (size_t j = 0; j < p; j++) {
            x[i * p + j] = term_value(fit->terms[j], t, freq,
                                      out->first + (tally_period)i);
            eta += x[i * p + j] * fit->estimate[j];
        }
        out->mean[i] = exp(eta);
    }
    gsl_rng_set(rng, (unsigned long)spec->seed);
    double *beta = z + p;
    for (size_t s = 0; s < NSIM; s++) {
        /* beta* = beta_hat + L z, z standard normal (L lower triangle). */
        for (size_t j = 0; j < p; j++) {
            z[j] = gsl_ran_ugaussian(rng);
        }
        for (size_t j = 0; j < p; j++) {
            double v = fit->estimate[j];
            for (size_t l = 0; l <= j; l++) {
                v += L[j * p + l] * z[l];
            }
            beta[j] = v;
        }
        for (size_t i = 0; i < h; i++) {
            double eta = 0.0;
            for (size_t j = 0; j < p; j++) {
                eta += x[i * p + j] * beta[j];
            }
            double mu = exp(eta);
            double draw;
            if (!(mu < 1e15)) {
                draw = mu; /* beyond any count: keep the mean itself */
            } else if (negbin) {
                /* NB2 as a gamma-Poisson mixture: lambda ~ Gamma(theta,
                 * mu/theta). */
                double lam = gsl_ran_gamma(rng, fit->theta, mu / fit->theta);
                draw = (double)gsl_ran_poisson(rng, lam);
            } else {
                draw = (double)gsl_ran_poisson(rng, mu);
            }
            sims[i * NSIM + s] = draw;
            mus[i * NSIM + s] = mu;
        }
    }
    for (size_t i = 0; i < h; i++) {
        double *si = sims + i * NSIM;
        qsort(si, NSIM, sizeof *si, cmp_double);
        for (size_t l = 0; l < out->nlevels; l++) {
            double a = (1.0 - out->levels[l] / 100.0) / 2.0;
            out->lower[l * h + i] = quantile1(si, NSIM, a);
            out->upper[l * h + i] = quantile1(si, NSIM, 1.0 - a);
        }
    }
    out->seeded = 1;
    /* The result keeps the simulated distribution (backtest scores it). */
    out->ndraw = NSIM;
    out->draw = sims;
    out->draw_mean = mus;
    out->draw_theta = negbin ? fit->theta : 0.0;
    tly_fc_note(out, "intervals from %d simulated paths (parameter "
                "uncertainty included%s), seed %llu", NSIM,
                negbin ? ", theta fixed at its estimate" : "",
                (unsigned long long)spec->seed);
    free(L);
    free(x);
    free(z);
    gsl_rng_free(rng);
    tally_fit_free(fit);
    return TALLY_OK;
}
