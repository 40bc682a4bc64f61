/* SPDX-License-Identifier: MIT
 *
 * Maximum-likelihood estimation of one ETS model.  The parameter vector is
 * forecast's: (alpha, [beta], [gamma], [phi], l, [b], s0..s_{m-2}), and the
 * objective forecast's n log(SSE) + 2 sum log|yhat| (= -2 loglik), +Inf
 * outside the parameter region (usual bounds and admissibility) or when a
 * multiplicative seasonal state is negative.
 *
 * Two stages:
 *  1. forecast::ets's own search: Nelder-Mead from initparam/initstate's
 *     start with R's single step size and 2000 evaluations.  This lands
 *     where R lands, so the result is never worse than R's.
 *  2. Polishing: Nelder-Mead restarted from the best point with a simplex
 *     scaled to each coordinate (smoothing parameters by 0.05 towards the
 *     inside of their box, states by 5% of the data's level), repeated
 *     while a pass gains more than the tolerance.  R's single step (10% of
 *     the largest coordinate, i.e. of the level) is far too wide for the
 *     smoothing parameters, which is why R's search often stops short.
 */
#include "forecast/ets_int.h"

#include "tally/tally_status.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What the objective needs. */
typedef struct {
    const tly_ets_model *mod;
    const double *y;
    size_t n;
    int tr;        /* 1 with a trend */
    size_t nsm;    /* number of smoothing parameters in front */
} ets_ctx;

void tly_ets_opt_default(tly_ets_opt *o)
{
    o->emulate_r = 1;
    o->lm = 1;
    o->polish = 0;
    o->tol = 1e-9;
    o->max_evals = 4000;
}

/* Unpack (alpha, [beta], [gamma], [phi]). */
static void unpack(const ets_ctx *c, const double *p, double *alpha,
                   double *beta, double *gamma, double *phi)
{
    size_t i = 0;
    *alpha = p[i++];
    *beta = c->tr ? p[i++] : 0.0;
    *gamma = c->mod->season != TLY_ETS_N ? p[i++] : 0.0;
    *phi = c->mod->damped ? p[i++] : 1.0;
}

static double objective(const double *p, void *vctx)
{
    const ets_ctx *c = vctx;
    const tly_ets_model *mod = c->mod;
    double alpha, beta, gamma, phi;
    double x[TLY_ETS_MAXSTATE];

    unpack(c, p, &alpha, &beta, &gamma, &phi);
    if (!tly_ets_params_ok(mod, alpha, beta, gamma, phi)) {
        return HUGE_VAL;
    }
    tly_ets_full_state(mod, p + c->nsm, x);
    if (mod->season == TLY_ETS_M) {
        /* Multiplicative seasonal indexes must not be negative. */
        for (int j = 0; j < mod->m; j++) {
            if (x[1 + c->tr + j] < 0) {
                return HUGE_VAL;
            }
        }
    }
    return tly_ets_run_lik(mod, alpha, beta, gamma, phi, x, c->y, c->n, NULL,
                           NULL, NULL, NULL);
}

/* forecast:::initparam with the default bounds. */
static size_t init_params(const tly_ets_model *mod, double *p)
{
    const double lo = TLY_ETS_LOWER, up = TLY_ETS_UPPER;
    int m = mod->season != TLY_ETS_N ? mod->m : 1;
    size_t i = 0;
    double alpha = lo + 0.2 * (up - lo) / m;
    p[i++] = alpha;
    if (mod->trend != TLY_ETS_N) {
        double ub = up < alpha ? up : alpha;
        p[i++] = lo + 0.1 * (ub - lo);
    }
    if (mod->season != TLY_ETS_N) {
        double ug = up < 1 - alpha ? up : 1 - alpha;
        p[i++] = lo + 0.05 * (ug - lo);
    }
    if (mod->damped) {
        p[i++] = TLY_ETS_PHI_LOWER
                 + 0.99 * (TLY_ETS_PHI_UPPER - TLY_ETS_PHI_LOWER);
    }
    return i;
}

/* A step of size s for a coordinate in [lo, hi] at v, pointing inwards. */
static double inward(double v, double s, double lo, double hi)
{
    if (v + s <= hi) {
        return s;
    }
    if (v - s >= lo) {
        return -s;
    }
    return (hi - lo) / 4 * (v - lo > hi - v ? -1 : 1);
}

/* Per-coordinate simplex steps for polishing. */
static void polish_steps(const ets_ctx *c, const double *p, double scale,
                         double *step)
{
    const tly_ets_model *mod = c->mod;
    size_t i = 0;
    double alpha = p[0];
    step[i] = inward(p[i], 0.05, TLY_ETS_LOWER, TLY_ETS_UPPER);
    i++;
    if (c->tr) {
        step[i] = inward(p[i], 0.05 * alpha, TLY_ETS_LOWER, alpha);
        i++;
    }
    if (mod->season != TLY_ETS_N) {
        step[i] = inward(p[i], 0.05, TLY_ETS_LOWER, 1 - alpha);
        i++;
    }
    if (mod->damped) {
        step[i] = inward(p[i], 0.02, TLY_ETS_PHI_LOWER, TLY_ETS_PHI_UPPER);
        i++;
    }
    /* Level: 5% of the scale; trend: 5% of the scale spread over the
     * series; multiplicative seasonal indexes: 0.05; additive: 5%. */
    step[i++] = 0.05 * scale;
    if (c->tr) {
        step[i++] = 0.05 * scale / (double)c->n;
    }
    if (mod->season != TLY_ETS_N) {
        for (int j = 0; j < mod->m - 1; j++) {
            step[i++] = mod->season == TLY_ETS_M ? 0.05 : 0.05 * scale;
        }
    }
}

int tly_ets_estimate(const tly_ets_model *mod, const double *y, size_t n,
                     const tly_ets_opt *opt, tly_ets_fit *fit)
{
    ets_ctx c;
    double p[TLY_ETS_MAXPAR], best[TLY_ETS_MAXPAR], step[TLY_ETS_MAXPAR];
    tly_ets_opt defaults;

    if (opt == NULL) {
        tly_ets_opt_default(&defaults);
        opt = &defaults;
    }
    memset(fit, 0, sizeof *fit);
    fit->model = *mod;
    c.mod = mod;
    c.y = y;
    c.n = n;
    c.tr = mod->trend != TLY_ETS_N;
    c.nsm = init_params(mod, p);
    int st = tly_ets_initstate(mod, y, n, p + c.nsm);
    if (st != TALLY_OK) {
        return st;
    }
    size_t nfree = 1 + (size_t)c.tr
                   + (mod->season != TLY_ETS_N ? (size_t)mod->m - 1 : 0);
    size_t k = c.nsm + nfree;
    if (k + 1 >= n) {
        /* forecast::ets gives up when np >= n - 1. */
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "ETS: %zu observations are too few for %zu parameters",
                           n, k);
    }

    /* Stage 1: forecast's search. */
    long evals = 0, used;
    int conv = 0;
    memcpy(best, p, k * sizeof *p);
    double fbest = objective(best, &c);
    evals++;
    if (opt->emulate_r) {
        double f = tly_nelder_mead(objective, &c, p, k, NULL,
                                   sqrt(DBL_EPSILON), 2000, &used, &conv);
        evals += used;
        if (f < fbest) {
            fbest = f;
            memcpy(best, p, k * sizeof *p);
        }
    }
    /* Stage 2: Levenberg-Marquardt from the best point, then (optionally)
     * restarts of a well-scaled simplex until they stop gaining. */
    if (opt->lm && isfinite(fbest)) {
        double *work = malloc(n * (k + 1) * sizeof *work);
        if (work == NULL) {
            return TALLY_ERROR(TALLY_ENOMEM, "ETS: out of memory");
        }
        evals += tly_ets_polish_lm(mod, y, n, best, &fbest, work);
        free(work);
    }
    double scale = 0.0;
    for (size_t t = 0; t < n; t++) {
        scale += fabs(y[t]);
    }
    scale /= (double)n;
    if (scale == 0.0) {
        scale = 1.0;
    }
    for (int pass = 0; pass < opt->polish; pass++) {
        memcpy(p, best, k * sizeof *p);
        polish_steps(&c, p, scale, step);
        double f = tly_nelder_mead(objective, &c, p, k, step, opt->tol,
                                   opt->max_evals, &used, &conv);
        evals += used;
        double gain = fbest - f;
        if (f < fbest) {
            fbest = f;
            memcpy(best, p, k * sizeof *p);
        }
        if (!(gain > 1e-7 * (fabs(fbest) + 1))) {
            break;
        }
    }
    if (!isfinite(fbest)) {
        return TALLY_ERROR(TALLY_ENOCONV,
                           "ETS: no parameter values give a finite likelihood");
    }

    /* Results at the best point. */
    unpack(&c, best, &fit->alpha, &fit->beta, &fit->gamma, &fit->phi);
    fit->nstate = tly_ets_nstate(mod);
    tly_ets_full_state(mod, best + c.nsm, fit->init);
    fit->npar = k;
    fit->n = n;
    fit->evals = evals;
    fit->converged = conv;
    double sse;
    fit->lik = tly_ets_run_lik(mod, fit->alpha, fit->beta, fit->gamma,
                               fit->phi, fit->init, y, n, NULL, NULL,
                               fit->last, &sse);
    /* forecast::ets: loglik = -lik / 2; np counts sigma2;
     * sigma2 = SSE / (n - number of estimated parameters). */
    double np = (double)k + 1;
    fit->loglik = -0.5 * fit->lik;
    fit->aic = fit->lik + 2 * np;
    fit->bic = fit->lik + log((double)n) * np;
    fit->aicc = fit->aic + 2 * np * (np + 1) / ((double)n - np - 1);
    fit->sigma2 = sse / ((double)n - (double)k);
    return TALLY_OK;
}
