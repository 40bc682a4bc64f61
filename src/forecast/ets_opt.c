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
 *     start with R's single step size (10% of the largest coordinate, i.e.
 *     of the level: far too wide for the smoothing parameters, which is
 *     why R often stops short) and 2000 evaluations.  This lands where R
 *     lands, so the result is never worse than R's.
 *  2. Polishing from there, by default as the reference cases' "polished
 *     optimum" was found: R's optim(method = "Nelder-Mead") with its
 *     defaults (relative tolerance sqrt(machine epsilon), 500 evaluations)
 *     restarted from its own result until a restart gains nothing.  The
 *     likelihood then lies between R's and that polished optimum, which is
 *     what shared/reference/README.md asks for.  Levenberg-Marquardt
 *     (ets_lm.c) reaches the local optimum itself, often higher still (by
 *     up to several units on monthly seasonal models); it is the
 *     TLY_ETS_POLISH_LM option, not the default, because it leaves the
 *     reference's bounds.
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
    o->polish = TLY_ETS_POLISH_RESTARTS;
    o->max_restarts = 200;
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

/* Statistics of a fit at fit->theta. */
static void finish_fit(const tly_ets_model *mod, const double *y, size_t n,
                       size_t nsm, size_t k, tly_ets_fit *fit)
{
    ets_ctx c;
    double sse;
    c.mod = mod;
    c.tr = mod->trend != TLY_ETS_N;
    unpack(&c, fit->theta, &fit->alpha, &fit->beta, &fit->gamma, &fit->phi);
    fit->nstate = tly_ets_nstate(mod);
    tly_ets_full_state(mod, fit->theta + nsm, fit->init);
    fit->npar = k;
    fit->n = n;
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
}

/* Number of smoothing parameters and of free states. */
static size_t count_params(const tly_ets_model *mod, size_t *nsm)
{
    *nsm = 1 + (mod->trend != TLY_ETS_N) + (mod->season != TLY_ETS_N)
           + (size_t)mod->damped;
    return *nsm + 1 + (mod->trend != TLY_ETS_N)
           + (mod->season != TLY_ETS_N ? (size_t)mod->m - 1 : 0);
}

int tly_ets_polish(const double *y, size_t n, const tly_ets_opt *opt,
                   tly_ets_fit *fit)
{
    const tly_ets_model *mod = &fit->model;
    ets_ctx c;
    size_t nsm, k = count_params(mod, &nsm);
    double p[TLY_ETS_MAXPAR];
    double fbest = fit->lik;

    c.mod = mod;
    c.y = y;
    c.n = n;
    c.tr = mod->trend != TLY_ETS_N;
    c.nsm = nsm;
    if (opt->polish == TLY_ETS_POLISH_RESTARTS) {
        /* optim()'s defaults: reltol sqrt(eps), maxit 500, R's step. */
        for (int r = 0; r < opt->max_restarts; r++) {
            long used;
            int conv;
            memcpy(p, fit->theta, k * sizeof *p);
            double f = tly_nelder_mead(objective, &c, p, k, NULL,
                                       sqrt(DBL_EPSILON), 500, &used, &conv);
            fit->evals += used;
            fit->converged = conv;
            if (!(f < fbest - 1e-10)) {
                break;
            }
            fbest = f;
            memcpy(fit->theta, p, k * sizeof *p);
        }
    } else if (opt->polish == TLY_ETS_POLISH_LM) {
        double *work = malloc(n * (k + 1) * sizeof *work);
        if (work == NULL) {
            return TALLY_ERROR(TALLY_ENOMEM, "ETS: out of memory");
        }
        fit->evals += tly_ets_polish_lm(mod, y, n, fit->theta, &fbest, work);
        free(work);
    }
    finish_fit(mod, y, n, nsm, k, fit);
    return TALLY_OK;
}

int tly_ets_estimate(const tly_ets_model *mod, const double *y, size_t n,
                     const tly_ets_opt *opt, tly_ets_fit *fit)
{
    ets_ctx c;
    double p[TLY_ETS_MAXPAR];
    tly_ets_opt defaults;
    size_t nsm, k = count_params(mod, &nsm);

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
    if (k + 1 >= n) {
        /* forecast::ets gives up when np >= n - 1. */
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "ETS: %zu observations are too few for %zu "
                           "parameters", n, k);
    }

    /* Stage 1: forecast's search. */
    memcpy(fit->theta, p, k * sizeof *p);
    double fbest = objective(p, &c);
    fit->evals = 1;
    if (opt->emulate_r) {
        long used;
        int conv;
        double f = tly_nelder_mead(objective, &c, p, k, NULL,
                                   sqrt(DBL_EPSILON), 2000, &used, &conv);
        fit->evals += used;
        fit->converged = conv;
        if (f < fbest) {
            fbest = f;
            memcpy(fit->theta, p, k * sizeof *p);
        }
    }
    if (!isfinite(fbest)) {
        return TALLY_ERROR(TALLY_ENOCONV,
                           "ETS: no parameter values give a finite likelihood");
    }
    fit->lik = fbest;
    /* Stage 2. */
    return tly_ets_polish(y, n, opt, fit);
}
