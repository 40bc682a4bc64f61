/* SPDX-License-Identifier: MIT
 *
 * Rolling-origin evaluation of a forecasting model (see
 * include/tally/tally_backtest.h): refit at every origin through
 * tally_fc_run, pool the errors as forecast::tsCV + forecast::accuracy
 * do, and score the intervals (coverage, Winkler score) and, where the
 * model states its predictive distribution, the distribution itself
 * (CRPS, log score, PIT; backtest_score.c).
 */
#include "forecast/backtest_int.h"

#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Running sums of one tally_bt_stats. */
typedef struct {
    size_t n, npe, nq, nscored;
    double se, sse, sae, spe, sape, sq;
    size_t inside[TALLY_FC_MAX_LEVELS];
    double wink[TALLY_FC_MAX_LEVELS];
    double crps, logs, pit;
    double hist[TALLY_BT_PIT_BINS];
} acc;

const char *tally_bt_dist_name(tally_bt_dist d)
{
    switch (d) {
    case TALLY_BT_DIST_NORMAL:
        return "normal";
    case TALLY_BT_DIST_LOGNORMAL:
        return "lognormal";
    case TALLY_BT_DIST_POISSON:
        return "poisson";
    case TALLY_BT_DIST_NEGBIN:
        return "negbin";
    case TALLY_BT_DIST_POISSON_SIM:
        return "simulated-poisson";
    case TALLY_BT_DIST_NEGBIN_SIM:
        return "simulated-negbin";
    default:
        return NULL;
    }
}

void tally_backtest_result_fini(tally_backtest_result *r)
{
    if (r == NULL) {
        return;
    }
    free(r->by_horizon);
    r->by_horizon = NULL;
}

/* The predictive distribution a forecast result states.  Count models
 * with intervals carry their simulated distribution (the draws their
 * intervals are quantiles of, parameter uncertainty included), which is
 * what is scored; without draws, their plug-in distribution, Poisson or
 * NB2 around the forecast mean (theta from the coefficient "theta"), as
 * Czado, Gneiting and Held (2009).  Another model with simulated limits
 * states none; --log results are lognormal; the rest (ARIMA, ETS,
 * baselines) give mean -/+ z sd, i.e. normal. */
static tally_bt_dist result_dist(const tally_fc_result *r, double *theta)
{
    *theta = NAN;
    if (r->ndraw > 0 && r->draw != NULL && r->draw_mean != NULL) {
        *theta = r->draw_theta;
        return r->draw_theta > 0 ? TALLY_BT_DIST_NEGBIN_SIM
                                 : TALLY_BT_DIST_POISSON_SIM;
    }
    if (r->spec.family == TALLY_FC_POISSON) {
        return TALLY_BT_DIST_POISSON;
    }
    if (r->spec.family == TALLY_FC_NEGBIN) {
        for (size_t i = 0; i < r->ncoef; i++) {
            if (strcmp(r->coef[i].term, "theta") == 0) {
                *theta = r->coef[i].estimate;
                return TALLY_BT_DIST_NEGBIN;
            }
        }
        return TALLY_BT_DIST_NONE;
    }
    if (r->seeded || r->nlevels == 0) {
        return TALLY_BT_DIST_NONE;
    }
    return r->spec.log ? TALLY_BT_DIST_LOGNORMAL : TALLY_BT_DIST_NORMAL;
}

/* Parameters (a, b) of forecast i's distribution; 0 when the limits do
 * not fit the distribution (e.g. asymmetric "normal" limits). */
static int dist_params(tally_bt_dist d, const tally_fc_result *r, size_t i,
                       double theta, double *a, double *b)
{
    double mu = r->mean[i];
    if (d == TALLY_BT_DIST_POISSON) {
        *a = mu;
        *b = 0;
        return mu >= 0;
    }
    if (d == TALLY_BT_DIST_NEGBIN) {
        *a = mu;
        *b = theta;
        return mu >= 0 && theta > 0;
    }
    /* sd from the first level's limits: mean -/+ z sd. */
    double z = gsl_cdf_ugaussian_Pinv(0.5 + r->levels[0] / 200.0);
    double lo = r->lower[i], hi = r->upper[i];
    if (d == TALLY_BT_DIST_LOGNORMAL) {
        if (!(lo > 0 && mu > 0 && hi > 0)) {
            return 0;
        }
        mu = log(mu);
        lo = log(lo);
        hi = log(hi);
    }
    double s = (hi - lo) / (2 * z);
    if (!(s > 0) || !isfinite(s)
        || fabs((hi - mu) - (mu - lo)) > 1e-6 * (hi - lo)) {
        return 0;
    }
    *a = mu;
    *b = s;
    return 1;
}

/* The proper scores of forecast i at y under distribution d; 0 when it
 * cannot be scored. */
static int score_pair(const tally_fc_result *r, size_t i, double y,
                      tally_bt_dist d, double theta, tly_bt_score *sc)
{
    if (d == TALLY_BT_DIST_POISSON_SIM || d == TALLY_BT_DIST_NEGBIN_SIM) {
        size_t S = r->ndraw;
        return tly_bt_score_draws(r->draw + i * S, r->draw_mean + i * S, S,
                                  d == TALLY_BT_DIST_NEGBIN_SIM ? theta : 0.0,
                                  y, sc);
    }
    double a, b;
    return d != TALLY_BT_DIST_NONE && dist_params(d, r, i, theta, &a, &b)
           && tly_bt_score_one(d, a, b, y, sc);
}

/* Add one forecast/actual pair and its scores (sc NULL: none). */
static void add_pair(acc *A, const tally_fc_result *r, size_t i, double y,
                     double scale, const tly_bt_score *sc)
{
    double f = r->mean[i];
    double e = y - f;
    A->n++;
    A->se += e;
    A->sse += e * e;
    A->sae += fabs(e);
    /* accuracy()'s pe = 100 e / y, NaN (0/0) dropped, infinities kept. */
    double pe = 100.0 * e / y;
    if (!isnan(pe)) {
        A->npe++;
        A->spe += pe;
        A->sape += fabs(pe);
    }
    double q = fabs(e / scale);
    if (!isnan(q)) {
        A->nq++;
        A->sq += q;
    }
    for (size_t l = 0; l < r->nlevels; l++) {
        double lo = r->lower[l * r->h + i], hi = r->upper[l * r->h + i];
        double al = 1.0 - r->levels[l] / 100.0;
        A->inside[l] += y >= lo && y <= hi;
        /* Interval score: width plus 2/alpha times the miss. */
        double w = hi - lo;
        if (y < lo) {
            w += 2.0 / al * (lo - y);
        } else if (y > hi) {
            w += 2.0 / al * (y - hi);
        }
        A->wink[l] += w;
    }
    if (sc != NULL) {
        A->nscored++;
        A->crps += sc->crps;
        A->logs += sc->logscore;
        A->pit += 0.5 * (sc->pit_lo + sc->pit_hi);
        tly_bt_pit_add(A->hist, sc->pit_lo, sc->pit_hi);
    }
}

static double ratio(double s, size_t n)
{
    return n > 0 ? s / (double)n : NAN;
}

static void finish(const acc *A, size_t nlevels, tally_bt_stats *s)
{
    s->n = A->n;
    s->me = ratio(A->se, A->n);
    s->rmse = sqrt(ratio(A->sse, A->n));
    s->mae = ratio(A->sae, A->n);
    s->mpe = ratio(A->spe, A->npe);
    s->mape = ratio(A->sape, A->npe);
    s->mase = ratio(A->sq, A->nq);
    for (size_t l = 0; l < nlevels; l++) {
        s->coverage[l] = ratio((double)A->inside[l], A->n);
        s->winkler[l] = ratio(A->wink[l], A->n);
    }
    s->nscored = A->nscored;
    s->crps = ratio(A->crps, A->nscored);
    s->logscore = ratio(A->logs, A->nscored);
    s->pit_mean = ratio(A->pit, A->nscored);
    for (int j = 0; j < TALLY_BT_PIT_BINS; j++) {
        s->pit_hist[j] = ratio(A->hist[j], A->nscored);
    }
}

static void count_model(tally_backtest_result *out, const char *model)
{
    for (size_t i = 0; i < out->nmodels; i++) {
        if (strcmp(out->models[i].model, model) == 0) {
            out->models[i].origins++;
            return;
        }
    }
    if (out->nmodels < TALLY_BT_MAX_MODELS) {
        tally_bt_model_count *c = &out->models[out->nmodels++];
        snprintf(c->model, sizeof c->model, "%s", model);
        c->origins = 1;
    } else {
        out->nmodels_other++;
    }
}

int tally_backtest_run(const tally_fc_spec *spec, const double *y, size_t n,
                       tally_freq freq, tally_period start, size_t initial,
                       size_t horizon, const double *levels, size_t nlevels,
                       tally_backtest_result *out)
{
    tally_backtest_result r;
    int m = freq == TALLY_FREQ_MONTH ? 12 : freq == TALLY_FREQ_QUARTER ? 4 : 1;

    if (spec == NULL || out == NULL || (y == NULL && n > 0)) {
        return TALLY_ERROR(TALLY_EINVAL, "backtest: missing argument");
    }
    if (horizon == 0) {
        return TALLY_ERROR(TALLY_EINVAL, "backtest: the horizon must be at "
                           "least 1");
    }
    if (nlevels > TALLY_FC_MAX_LEVELS) {
        return TALLY_ERROR(TALLY_EINVAL, "backtest: at most %d interval "
                           "levels", TALLY_FC_MAX_LEVELS);
    }
    if (n <= horizon) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "backtest: %zu observations leave nothing to fit "
                           "before a horizon of %zu", n, horizon);
    }
    if (initial == 0) {
        /* Default: half the series, at least two seasonal cycles (10
         * values for annual data), at most n - horizon. */
        initial = (n + 1) / 2;
        size_t lo = m > 1 ? 2 * (size_t)m : 10;
        if (initial < lo) {
            initial = lo;
        }
        if (initial > n - horizon) {
            initial = n - horizon;
        }
    }
    if (initial > n - horizon) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "backtest: --initial %zu plus --horizon %zu "
                           "exceeds the %zu observations (no origin has its "
                           "whole horizon observed)", initial, horizon, n);
    }
    memset(&r, 0, sizeof r);
    r.spec = *spec;
    r.freq = freq;
    r.start = start;
    r.n = n;
    r.initial = initial;
    r.horizon = horizon;
    r.origins = n - horizon - initial + 1;
    r.first_origin = start + (tally_period)initial - 1;
    r.last_origin = start + (tally_period)(n - horizon) - 1;
    r.nlevels = nlevels;
    for (size_t l = 0; l < nlevels; l++) {
        r.levels[l] = levels[l];
    }

    /* MASE scale: mean absolute lag-m difference of y_1..y_N (lag 1
     * without a season), missing pairs left out. */
    r.lag = m;
    double ss = 0.0;
    size_t ns = 0;
    for (size_t t = (size_t)m; t < initial; t++) {
        double d = y[t] - y[t - (size_t)m];
        if (!isnan(d)) {
            ss += fabs(d);
            ns++;
        }
    }
    r.scale = ns > 0 ? ss / (double)ns : NAN;

    acc *A = calloc(horizon + 1, sizeof *A);
    r.by_horizon = calloc(horizon, sizeof *r.by_horizon);
    if (A == NULL || r.by_horizon == NULL) {
        free(A);
        free(r.by_horizon);
        return TALLY_ERROR(TALLY_ENOMEM, "backtest: out of memory");
    }
    int first_fail = TALLY_OK;
    for (size_t t = initial; t + horizon <= n; t++) {
        /* tally_fc_run forecasts from the last observed value: with k
         * missing values at the end of the window it needs k more steps
         * to reach the same periods. */
        size_t k = 0;
        while (k < t && isnan(y[t - 1 - k])) {
            k++;
        }
        tally_fc_result fr;
        int st = tally_fc_run(spec, y, t, freq, start, horizon + k, levels,
                              nlevels, &fr);
        if (st != TALLY_OK) {
            if (st == TALLY_ENOMEM) {
                free(A);
                tally_backtest_result_fini(&r);
                return st;
            }
            if (r.failed++ == 0) {
                char p[TALLY_PERIOD_BUFSIZE];
                first_fail = st;
                snprintf(r.first_error, sizeof r.first_error,
                         "origin %s: %s",
                         tally_period_format(freq,
                                             start + (tally_period)t - 1, p,
                                             sizeof p),
                         tally_last_error());
            }
            continue;
        }
        double theta;
        tally_bt_dist d = result_dist(&fr, &theta);
        r.distribution = d;
        count_model(&r, fr.model);
        for (size_t h = 0; h < horizon; h++) {
            double actual = y[t + h];
            if (isnan(actual)) {
                continue;
            }
            tly_bt_score sc;
            int scored = score_pair(&fr, h + k, actual, d, theta, &sc);
            add_pair(&A[horizon], &fr, h + k, actual, r.scale,
                     scored ? &sc : NULL);
            add_pair(&A[h], &fr, h + k, actual, r.scale, scored ? &sc : NULL);
        }
        tally_fc_result_fini(&fr);
    }
    if (r.failed == r.origins) {
        free(A);
        tally_backtest_result_fini(&r);
        return TALLY_ERROR(first_fail,
                           "backtest: the model could not be fitted at any "
                           "of the %zu origins (first: %s)", r.origins,
                           r.first_error);
    }
    finish(&A[horizon], nlevels, &r.overall);
    for (size_t h = 0; h < horizon; h++) {
        finish(&A[h], nlevels, &r.by_horizon[h]);
    }
    free(A);
    *out = r;
    return TALLY_OK;
}
