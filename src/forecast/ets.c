/* SPDX-License-Identifier: MIT
 *
 * Exponential smoothing (ETS) for the forecasting dispatcher: parse the
 * model code ("ANN", "AAdN", "MAM", "ZZZ", "auto"), choose the model by
 * AICc when asked (forecast::ets's defaults), fit it (ets_opt.c) and fill
 * the forecast result: model name "ETS(M,Ad,M)", smoothing parameters and
 * initial states as coefficients (alpha, beta, gamma, phi, l, b,
 * s0..s{m-1} as forecast names them), sigma2, loglik, AIC, AICc, BIC,
 * point forecasts and intervals (ets_fc.c), fitted values.
 *
 * Conventions of forecast::ets 8.20 (R), see shared/reference/README.md
 * "ETS": seasonal period m = 12 (monthly) or 4 (quarterly), no season for
 * annual data; automatic choice over errors A/M, trends N/A/Ad, seasons
 * N/A/M except additive error with multiplicative season, multiplicative
 * components only for positive data, lowest AICc wins.
 */
#include "forecast/ets_int.h"
#include "forecast/forecast_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The candidate set of a (possibly partly automatic) model code. */
typedef struct {
    int errors[2], nerr;
    int trends[3], ntr;   /* 0 N, 1 A, 2 Ad (in forecast's search order) */
    int seasons[3], nseas;
    int automatic;        /* any Z */
} ets_request;

static int parse_code(const char *code, ets_request *rq)
{
    const char *p = code;
    memset(rq, 0, sizeof *rq);
    if (code[0] == '\0' || strcmp(code, "auto") == 0) {
        p = "ZZZ";
    }
    /* Error. */
    switch (p[0]) {
    case 'A':
        rq->errors[rq->nerr++] = TLY_ETS_A;
        break;
    case 'M':
        rq->errors[rq->nerr++] = TLY_ETS_M;
        break;
    case 'Z':
        rq->errors[rq->nerr++] = TLY_ETS_A;
        rq->errors[rq->nerr++] = TLY_ETS_M;
        rq->automatic = 1;
        break;
    default:
        return 0;
    }
    /* Trend, with an optional d for damping. */
    size_t i = 2;
    switch (p[1]) {
    case 'N':
        rq->trends[rq->ntr++] = 0;
        break;
    case 'A':
        if (p[2] == 'd') {
            rq->trends[rq->ntr++] = 2;
            i = 3;
        } else {
            rq->trends[rq->ntr++] = 1;
        }
        break;
    case 'Z':
        /* forecast's order: N, then A damped, then A. */
        rq->trends[rq->ntr++] = 0;
        rq->trends[rq->ntr++] = 2;
        rq->trends[rq->ntr++] = 1;
        rq->automatic = 1;
        break;
    default:
        return 0;
    }
    switch (p[i]) {
    case 'N':
        rq->seasons[rq->nseas++] = TLY_ETS_N;
        break;
    case 'A':
        rq->seasons[rq->nseas++] = TLY_ETS_A;
        break;
    case 'M':
        rq->seasons[rq->nseas++] = TLY_ETS_M;
        break;
    case 'Z':
        rq->seasons[rq->nseas++] = TLY_ETS_N;
        rq->seasons[rq->nseas++] = TLY_ETS_A;
        rq->seasons[rq->nseas++] = TLY_ETS_M;
        rq->automatic = 1;
        break;
    default:
        return 0;
    }
    return p[i + 1] == '\0';
}

static void add_coef(tally_fc_result *out, const char *term, double v)
{
    if (out->ncoef < TALLY_FC_MAX_COEF) {
        tally_fc_coef *c = &out->coef[out->ncoef++];
        snprintf(c->term, sizeof c->term, "%s", term);
        c->estimate = v;
        c->std_error = NAN;
    }
}

static void fill_coefs(const tly_ets_fit *fit, tally_fc_result *out)
{
    const tly_ets_model *mod = &fit->model;
    int tr = mod->trend != TLY_ETS_N;
    out->ncoef = 0;
    add_coef(out, "alpha", fit->alpha);
    if (tr) {
        add_coef(out, "beta", fit->beta);
    }
    if (mod->season != TLY_ETS_N) {
        add_coef(out, "gamma", fit->gamma);
    }
    if (mod->damped) {
        add_coef(out, "phi", fit->phi);
    }
    add_coef(out, "l", fit->init[0]);
    if (tr) {
        add_coef(out, "b", fit->init[1]);
    }
    if (mod->season != TLY_ETS_N) {
        for (int j = 0; j < mod->m; j++) {
            char name[16];
            snprintf(name, sizeof name, "s%d", j);
            add_coef(out, name, fit->init[1 + tr + j]);
        }
    }
}

/* The smallest n forecast::ets fits a given model with (below it R
 * switches to HoltWinters(), which tally does not imitate). */
static size_t min_obs(const tly_ets_model *mod)
{
    size_t npars = 2;
    if (mod->trend != TLY_ETS_N) {
        npars += 2 + (size_t)mod->damped;
    }
    if (mod->season != TLY_ETS_N) {
        npars += (size_t)mod->m;
    }
    return npars + 5;
}

/* Fit every model of the request and keep the lowest AICc (strictly
 * lower, so that ties keep forecast's earlier model). */
static int search(const ets_request *rq, const double *y, size_t n,
                  tally_freq freq, int m, int positive, double ymin,
                  tly_ets_fit *best, int *ntried, int *nfitted)
{
    tly_ets_fit fit;
    double best_ic = HUGE_VAL;
    int last_err = TALLY_OK;
    char last_msg[256] = "";

    for (int ie = 0; ie < rq->nerr; ie++) {
        for (int it = 0; it < rq->ntr; it++) {
            for (int is = 0; is < rq->nseas; is++) {
                tly_ets_model mod;
                mod.error = rq->errors[ie];
                mod.trend = rq->trends[it] == 0 ? TLY_ETS_N : TLY_ETS_A;
                mod.damped = rq->trends[it] == 2;
                mod.season = rq->seasons[is];
                mod.m = mod.season != TLY_ETS_N ? m : 1;
                char name[32];
                tly_ets_name(&mod, name, sizeof name);

                if (mod.season != TLY_ETS_N && (m <= 1 || n <= (size_t)m)) {
                    if (rq->automatic) {
                        continue;
                    }
                    if (m <= 1) {
                        return TALLY_ERROR(TALLY_EINVAL,
                                           "%s: %s data have no seasonal "
                                           "period; use a non-seasonal model",
                                           name,
                                           freq == TALLY_FREQ_YEAR ? "annual"
                                                                   : "these");
                    }
                    return TALLY_ERROR(TALLY_ETOOFEW,
                                       "%s: %zu observations do not cover "
                                       "more than one seasonal cycle of %d",
                                       name, n, m);
                }
                if (mod.error == TLY_ETS_A && mod.season == TLY_ETS_M
                    && rq->automatic) {
                    continue; /* forecast's restrict = TRUE */
                }
                if ((mod.error == TLY_ETS_M || mod.season == TLY_ETS_M)
                    && !positive) {
                    if (rq->automatic) {
                        continue;
                    }
                    return TALLY_ERROR(TALLY_EDOMAIN,
                                       "%s: multiplicative components need "
                                       "positive data (the minimum is %g)",
                                       name, ymin);
                }
                if (!rq->automatic && n < min_obs(&mod)) {
                    return TALLY_ERROR(TALLY_ETOOFEW,
                                       "%s: %zu observations are too few "
                                       "(forecast::ets needs at least %zu)",
                                       name, n, min_obs(&mod));
                }
                (*ntried)++;
                /* Candidates are compared where forecast::ets compares
                 * them (its own search); only the winner is polished. */
                tly_ets_opt opt;
                tly_ets_opt_default(&opt);
                if (rq->automatic) {
                    opt.polish = TLY_ETS_POLISH_NONE;
                }
                int st = tly_ets_estimate(&mod, y, n, &opt, &fit);
                if (st == TALLY_ENOMEM) {
                    return st;
                }
                if (st != TALLY_OK) {
                    /* As forecast::ets: a model that cannot be fitted is
                     * left out of the choice. */
                    last_err = st;
                    snprintf(last_msg, sizeof last_msg, "%s",
                             tally_last_error());
                    continue;
                }
                if (fit.aicc < best_ic) {
                    *best = fit;
                    best_ic = fit.aicc;
                }
                (*nfitted)++;
            }
        }
    }
    if (*nfitted == 0) {
        if (last_err != TALLY_OK) {
            return TALLY_ERROR(last_err, "%s", last_msg);
        }
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "ETS: no model can be fitted to %zu observations",
                           n);
    }
    return TALLY_OK;
}

int tly_ets_run(const tally_fc_spec *spec, const double *y, size_t n,
                tally_freq freq, tally_fc_result *out)
{
    ets_request rq;
    const char *code = spec->automatic ? "ZZZ" : spec->ets;
    int m = freq == TALLY_FREQ_MONTH ? 12 : freq == TALLY_FREQ_QUARTER ? 4 : 1;

    if (!parse_code(code, &rq)) {
        if (code[0] != '\0' && code[1] == 'M') {
            return TALLY_ERROR(TALLY_EINVAL,
                               "ets:%s: multiplicative trends are not fitted "
                               "(forecast::ets leaves them out by default); "
                               "use trend A or Ad", spec->ets);
        }
        return TALLY_ERROR(TALLY_EINVAL,
                           "ets:%s: expected an ETS code such as ANN, AAdN, "
                           "MAM, ZZZ or auto (error A|M|Z, trend N|A|Ad|Z, "
                           "season N|A|M|Z)",
                           spec->ets);
    }
    if (n == 0) {
        return TALLY_ERROR(TALLY_ETOOFEW, "ETS: the series is empty");
    }
    double ymin = y[0], ymax = y[0];
    for (size_t t = 0; t < n; t++) {
        if (isnan(y[t])) {
            return TALLY_ERROR(TALLY_EMISSING,
                               "ETS: value %zu of %zu is missing; ETS needs "
                               "a complete series",
                               t + 1, n);
        }
        if (!isfinite(y[t])) {
            return TALLY_ERROR(TALLY_EDOMAIN, "ETS: value %zu is infinite",
                               t + 1);
        }
        ymin = y[t] < ymin ? y[t] : ymin;
        ymax = y[t] > ymax ? y[t] : ymax;
    }
    int positive = ymin > 0;

    if (rq.automatic) {
        /* forecast::ets counts the fixed components only (a Z counts as
         * nothing) and below npars + 5 observations switches to
         * HoltWinters(), which tally does not imitate. */
        size_t npars = 2;
        if (rq.ntr == 1 && rq.trends[0] != 0) {
            npars += 2 + (rq.trends[0] == 2);
        }
        if (rq.nseas == 1 && rq.seasons[0] != TLY_ETS_N && m > 1) {
            npars += (size_t)m;
        }
        if (n < npars + 5) {
            return TALLY_ERROR(TALLY_ETOOFEW,
                               "ets:%s: %zu observations are too few "
                               "(forecast::ets needs at least %zu)",
                               spec->automatic ? "auto" : spec->ets, n,
                               npars + 5);
        }
    }
    tly_ets_fit best;
    int ntried = 0, nfitted = 0;
    if (ymin == ymax) {
        /* tally_fc_run forecasts constant series itself. */
        return TALLY_ERROR(TALLY_ECONSTANT,
                           "ETS: the series is constant (%g): nothing to "
                           "estimate", ymin);
    }
    int st = search(&rq, y, n, freq, m, positive, ymin, &best, &ntried,
                    &nfitted);
    if (st != TALLY_OK) {
        return st;
    }
    if (rq.automatic) {
        tly_ets_opt opt;
        tly_ets_opt_default(&opt);
        st = tly_ets_polish(y, n, &opt, &best);
        if (st != TALLY_OK) {
            return st;
        }
    }

    /* Fitted values and forecasts of the chosen model. */
    const tly_ets_model *mod = &best.model;
    if (out->fitted != NULL) {
        tly_ets_run_lik(mod, best.alpha, best.beta, best.gamma, best.phi,
                        best.init, y, n, NULL, out->fitted, NULL, NULL);
    }
    if (out->h > 0) {
        st = tly_ets_forecast(&best, out->h, out->levels, out->nlevels,
                                  spec->seed, out->mean, out->lower,
                                  out->upper);
        if (st != TALLY_OK) {
            return st;
        }
    }

    tly_ets_name(mod, out->model, sizeof out->model);
    out->spec = *spec;
    out->spec.family = TALLY_FC_ETS;
    out->spec.automatic = 0;
    snprintf(out->spec.ets, sizeof out->spec.ets, "%c%c%s%c",
             "NAM"[mod->error], "NAM"[mod->trend], mod->damped ? "d" : "",
             "NAM"[mod->season]);
    out->n = n;
    fill_coefs(&best, out);
    out->sigma2 = best.sigma2;
    out->loglik = best.loglik;
    out->aic = best.aic;
    out->aicc = best.aicc;
    out->bic = best.bic;
    out->converged = best.converged;

    int cls = tly_ets_class(mod);
    if (rq.automatic) {
        tly_fc_note(out, "%s chosen by AICc among %d ETS models (%d fitted, "
                    "compared at forecast::ets's estimates)",
                    out->model, ntried, nfitted);
    }
    if (cls == TLY_ETS_CLASS3) {
        tly_fc_note(out, "mean and intervals from the approximate mean and "
                    "variance of Hyndman et al. (2008, ch. 6)");
    } else if (cls == TLY_ETS_SIMULATE) {
        out->seeded = 1;
        tly_fc_note(out, "no analytic intervals: %d simulated sample paths "
                    "(seed %llu)", TLY_ETS_NPATHS,
                    (unsigned long long)spec->seed);
    }
    return TALLY_OK;
}
