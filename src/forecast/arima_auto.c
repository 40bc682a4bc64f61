/* SPDX-License-Identifier: MIT
 *
 * Automatic ARIMA as forecast::auto.arima (Hyndman & Khandakar 2008,
 * J. Statistical Software 27(3); forecast 8.20 defaults):
 *
 * - D: one seasonal difference when the seasonal strength of an STL
 *   decomposition exceeds 0.64 (nsdiffs(test = "seas"), max.D = 1), only
 *   when the series is longer than two seasons;
 * - d: KPSS tests at 5% on the seasonally differenced series
 *   (ndiffs(test = "kpss"), max.d = 2);
 * - orders: the stepwise search of auto.arima with its limits (max.p =
 *   max.q = 5, max.P = max.Q = 2, each at most a third of the series
 *   (in seasons for P, Q), p, q < m when seasonal terms are allowed),
 *   starting from (2,d,2)(1,D,1), (0,d,0)(0,D,0), (1,d,0)(1,D,0),
 *   (0,d,1)(0,D,1) and the model without constant, then moving one or two
 *   orders at a time in auto.arima's order and restarting from every
 *   improvement, at most 94 models; a constant (the mean when
 *   d + D = 0, the drift when d + D = 1) is considered when d + D <= 1;
 * - criterion: AICc; a model is rejected, as in forecast's myarima, when
 *   an AR or MA root has modulus below 1.01 or its Hessian gives a
 *   negative variance.
 *
 * Two searches: one fits every model by exact maximum likelihood (what
 * auto.arima(approximation = FALSE) does; each candidate from one start,
 * with one more climb when a competitive candidate's optimum is near the
 * boundary); when the series is longer than 150 or m > 12, auto.arima's
 * default approximation is also run (CSS criteria, then exact refits in
 * the order of the approximate criterion until one passes the checks).
 * The final model with the lower exact criterion wins, so the choice is
 * never worse than either of R's (docs/arima.md).
 */
#include "forecast/arima_int.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NMODELS 94
/* A model whose ML optimum is on the boundary gets a second climb when
 * its criterion is within this of the best so far (AICc units). */
#define PULLBACK_MARGIN 2.0

/* One fitted candidate of the search. */
typedef struct {
    int p, q, P, Q, constant;
    double ic;
} cand;

typedef struct {
    const tly_arima_data *dat;
    int d, D, m;
    int use_aic;        /* R uses AIC for series of 3 values or fewer */
    int allowdrift, allowmean;
    int approx;         /* 1: criteria from CSS fits (R's approximation) */
    int max_p, max_q, max_P, max_Q;
    int start_p, start_q, start_P, start_Q;
    cand res[NMODELS + 1];
    size_t k;           /* models fitted */
    tly_arima_fit best; /* best so far (ic below) */
    double best_ic;
    size_t evals;
} search;

static int newmodel(const search *s, int p, int q, int P, int Q, int c)
{
    for (size_t i = 0; i < s->k; i++) {
        const cand *r = &s->res[i];
        if (r->p == p && r->q == q && r->P == P && r->Q == Q
            && r->constant == c) {
            return 0;
        }
    }
    return 1;
}

/* forecast's myarima: fit, compute the criterion, reject models with
 * roots near the unit circle or an unusable Hessian.  Returns the ic
 * (INFINITY when the fit fails or is rejected) and keeps the fit if it
 * beats the best. */
static double try_model(search *s, int p, int q, int P, int Q, int constant)
{
    tly_arima_order o;
    tly_arima_fit fit;
    memset(&o, 0, sizeof o);
    o.p = p;
    o.d = s->d;
    o.q = q;
    o.P = P;
    o.D = s->D;
    o.Q = Q;
    o.m = s->m;
    o.intercept = constant && s->d + s->D == 0;
    o.drift = constant && s->d + s->D == 1;
    double ic = INFINITY;
    if (s->approx) {
        /* forecast's myarima with approximation = TRUE: method "CSS", the
         * criterion from the CSS variance (without R's offset, the same
         * for every model of the search), the same rejections (roots
         * from the CSS estimates, checkarima on the CSS Hessian). */
        if (tly_arima_css(s->dat, &o, 1, &fit) == TALLY_OK) {
            s->evals += fit.evals;
            ic = s->use_aic ? fit.aic : fit.aicc;
            if (!isfinite(ic) || !(fit.minroot >= 1.01) || !fit.se_ok) {
                ic = INFINITY;
            }
        }
    } else if (tly_arima_estimate_starts(s->dat, &o, 0, TLY_ARIMA_QUICK,
                                         &fit) == TALLY_OK) {
        /* An optimum on the boundary of a competitive model (criterion,
         * rejection aside, within PULLBACK_MARGIN of the best so far):
         * one more climb from inside, which may find a better, valid
         * optimum. */
        double raw = s->use_aic ? fit.aic : fit.aicc;
        if (fit.boundary && isfinite(s->best_ic)
            && raw < s->best_ic + PULLBACK_MARGIN) {
            tly_arima_pullback(s->dat, &fit);
        }
        s->evals += fit.evals;
        ic = s->use_aic ? fit.aic : fit.aicc;
        if (!isfinite(ic) || !(fit.minroot >= 1.01)) {
            ic = INFINITY;
        }
        /* The Hessian check only matters for a model that would win. */
        if (ic < s->best_ic) {
            if (tly_arima_se(s->dat, &fit) != TALLY_OK || !fit.se_ok) {
                ic = INFINITY;
            }
        }
    }
    tally_error_clear();
    if (s->k < NMODELS + 1) {
        cand *r = &s->res[s->k];
        r->p = p;
        r->q = q;
        r->P = P;
        r->Q = Q;
        r->constant = constant;
        r->ic = ic;
    }
    s->k++;
    if (ic < s->best_ic) {
        s->best = fit;
        s->best_ic = ic;
    }
    return ic;
}

/* The stepwise search of auto.arima (its starting models, then moves of
 * one or two orders restarting from every improvement, at most NMODELS
 * models); the best model ends in s->best. */
static void stepwise(search *s)
{
    int max_p = s->max_p, max_q = s->max_q, max_P = s->max_P;
    int max_Q = s->max_Q, m = s->m;
    int constant = s->allowdrift || s->allowmean;
    int p = s->start_p, q = s->start_q, P = s->start_P, Q = s->start_Q;
    /* The four starting models and the one without constant. */
    double best = try_model(s, p, q, P, Q, constant);
    double ic = try_model(s, 0, 0, 0, 0, constant);
    if (ic < best) {
        best = ic;
        p = q = P = Q = 0;
    }
    if (max_p > 0 || max_P > 0) {
        int a = max_p > 0, b = (m > 1) && (max_P > 0);
        ic = try_model(s, a, 0, b, 0, constant);
        if (ic < best) {
            best = ic;
            p = a;
            P = b;
            q = Q = 0;
        }
    }
    if (max_q > 0 || max_Q > 0) {
        int a = max_q > 0, b = (m > 1) && (max_Q > 0);
        ic = try_model(s, 0, a, 0, b, constant);
        if (ic < best) {
            best = ic;
            p = P = 0;
            Q = b;
            q = a;
        }
    }
    if (constant) {
        ic = try_model(s, 0, 0, 0, 0, 0);
        if (ic < best) {
            best = ic;
            p = q = P = Q = 0;
        }
    }

    /* Stepwise moves, in auto.arima's order; every improvement restarts
     * the scan. */
    size_t startk = 0;
    while (startk < s->k && s->k < NMODELS) {
        startk = s->k;
        static const int moves[16][4] = {
            /* dP, dQ, dp, dq */
            {-1, 0, 0, 0}, {0, -1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
            {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0},
            {0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1},
            {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1}};
        int improved = 0;
        for (int mv = 0; mv < 16 && !improved; mv++) {
            int nP = P + moves[mv][0], nQ = Q + moves[mv][1];
            int np_ = p + moves[mv][2], nq_ = q + moves[mv][3];
            if (nP < 0 || nQ < 0 || np_ < 0 || nq_ < 0 || nP > max_P
                || nQ > max_Q || np_ > max_p || nq_ > max_q) {
                continue;
            }
            if (!newmodel(s, np_, nq_, nP, nQ, constant)) {
                continue;
            }
            if (s->k + 1 > NMODELS) {
                s->k++;
                improved = 1; /* ends the scan: the model limit is hit */
                break;
            }
            ic = try_model(s, np_, nq_, nP, nQ, constant);
            if (ic < best) {
                best = ic;
                p = np_;
                q = nq_;
                P = nP;
                Q = nQ;
                improved = 1;
            }
        }
        if (improved) {
            continue;
        }
        if (s->allowdrift || s->allowmean) {
            if (newmodel(s, p, q, P, Q, !constant)) {
                if (s->k + 1 > NMODELS) {
                    s->k++;
                    continue;
                }
                ic = try_model(s, p, q, P, Q, !constant);
                if (ic < best) {
                    best = ic;
                    constant = !constant;
                }
            }
        }
    }
}

/* auto.arima's refit after an approximate search: the models in the
 * order of their approximate criterion, each by exact ML (the same
 * rejections as the exact search), until one is valid.  Returns 0 with
 * that fit, or -1 when none is. */
static int refit_approx(search *s, tly_arima_fit *out)
{
    size_t nc = s->k < NMODELS + 1 ? s->k : NMODELS + 1;
    size_t order[NMODELS + 1];
    size_t no = 0;
    for (size_t i = 0; i < nc; i++) {
        if (!isnan(s->res[i].ic)) {
            order[no++] = i;
        }
    }
    /* Insertion sort by ic (stable: ties, and the rejected models at
     * INFINITY, keep the search order; R refits those last too). */
    for (size_t i = 1; i < no; i++) {
        size_t v = order[i], j = i;
        while (j > 0 && s->res[order[j - 1]].ic > s->res[v].ic) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    for (size_t i = 0; i < no; i++) {
        const cand *c = &s->res[order[i]];
        tly_arima_order o;
        memset(&o, 0, sizeof o);
        o.p = c->p;
        o.d = s->d;
        o.q = c->q;
        o.P = c->P;
        o.D = s->D;
        o.Q = c->Q;
        o.m = s->m;
        o.intercept = c->constant && s->d + s->D == 0;
        o.drift = c->constant && s->d + s->D == 1;
        int ok = tly_arima_estimate_starts(s->dat, &o, 0, TLY_ARIMA_QUICK,
                                           out) == TALLY_OK;
        if (ok) {
            double ic = s->use_aic ? out->aic : out->aicc;
            ok = isfinite(ic) && out->minroot >= 1.01
                 && tly_arima_se(s->dat, out) == TALLY_OK && out->se_ok;
        }
        tally_error_clear();
        if (ok) {
            return 0;
        }
    }
    return -1;
}

/* Residuals of y on an intercept and the regressors (auto.arima runs its
 * unit-root tests on them when there are regressors). */
static int regress_out(const tly_arima_data *dat, double *out)
{
    size_t n = dat->n, k = dat->kx + 1;
    double *q = malloc(k * n * sizeof *q);
    if (q == NULL) {
        return -1;
    }
    for (size_t t = 0; t < n; t++) {
        out[t] = dat->y[t];
        q[t] = 1.0;
        for (size_t j = 1; j < k; j++) {
            q[j * n + t] = dat->xcols[j - 1][t];
        }
    }
    /* Modified Gram-Schmidt over the rows where y is observed. */
    for (size_t j = 0; j < k; j++) {
        double *qj = q + j * n;
        for (size_t l = 0; l < j; l++) {
            double *ql = q + l * n, dot = 0.0;
            for (size_t t = 0; t < n; t++) {
                if (!isnan(out[t])) {
                    dot += ql[t] * qj[t];
                }
            }
            for (size_t t = 0; t < n; t++) {
                qj[t] -= dot * ql[t];
            }
        }
        double nrm = 0.0;
        for (size_t t = 0; t < n; t++) {
            if (!isnan(out[t])) {
                nrm += qj[t] * qj[t];
            }
        }
        if (!(nrm > 1e-24)) {
            free(q);
            return -1;
        }
        nrm = sqrt(nrm);
        double dot = 0.0;
        for (size_t t = 0; t < n; t++) {
            qj[t] /= nrm;
            if (!isnan(out[t])) {
                dot += qj[t] * out[t];
            }
        }
        for (size_t t = 0; t < n; t++) {
            out[t] -= dot * qj[t];
        }
    }
    free(q);
    return 0;
}

static int is_constant(const double *x, size_t n)
{
    double c = NAN;
    for (size_t t = 0; t < n; t++) {
        if (isnan(x[t])) {
            continue;
        }
        if (isnan(c)) {
            c = x[t];
        } else if (x[t] != c) {
            return 0;
        }
    }
    return 1;
}

int tly_arima_auto(const tly_arima_data *dat, int m, tly_arima_fit *fit,
                   char *note, size_t note_size)
{
    size_t n = dat->n, sl = 0;
    search s;
    double strength = NAN;
    double *xx = malloc(2 * (n ? n : 1) * sizeof *xx);
    if (xx == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "auto.arima: out of memory");
    }
    double *dx = xx + n;
    for (size_t t = 0; t < n; t++) {
        sl += !isnan(dat->y[t]);
    }
    memset(&s, 0, sizeof s);
    s.dat = dat;
    s.m = m;
    s.best_ic = INFINITY;
    int max_p = 5, max_q = 5, max_P = 2, max_Q = 2;
    if ((size_t)max_p > sl / 3) {
        max_p = (int)(sl / 3);
    }
    if ((size_t)max_q > sl / 3) {
        max_q = (int)(sl / 3);
    }
    if ((size_t)max_P > sl / 3 / (size_t)m) {
        max_P = (int)(sl / 3 / (size_t)m);
    }
    if ((size_t)max_Q > sl / 3 / (size_t)m) {
        max_Q = (int)(sl / 3 / (size_t)m);
    }
    s.use_aic = sl <= 3;

    /* The series the tests see: y, or its residuals on the regressors. */
    if (dat->kx > 0) {
        if (regress_out(dat, xx) != 0) {
            free(xx);
            return TALLY_ERROR(TALLY_ESINGULAR,
                               "auto.arima: the regressors are rank "
                               "deficient");
        }
    } else {
        memcpy(xx, dat->y, n * sizeof *xx);
    }
    /* Seasonal differences. */
    if (m == 1) {
        s.D = 0;
        max_P = max_Q = 0;
    } else if (n <= 2 * (size_t)m) {
        s.D = 0;
    } else {
        s.D = tly_nsdiffs(xx, n, m, &strength);
    }
    size_t nd1 = s.D ? (size_t)m : 0;
    for (size_t t = nd1; t < n; t++) {
        dx[t - nd1] = s.D ? xx[t] - xx[t - nd1] : xx[t];
    }
    size_t ndx = n - nd1;
    s.d = tly_ndiffs(dx, ndx, 2);
    /* The series after all differences must vary. */
    for (int i = 0; i < s.d; i++) {
        for (size_t t = 0; t + 1 < ndx; t++) {
            dx[t] = dx[t + 1] - dx[t];
        }
        ndx--;
    }
    if (ndx == 0 || is_constant(dx, ndx)) {
        free(xx);
        return TALLY_ERROR(TALLY_ECONSTANT,
                           "auto.arima: after %d difference(s) and %d "
                           "seasonal difference(s) the series is constant "
                           "(an exact polynomial trend): no ARIMA model can "
                           "be estimated; try --model drift", s.d, s.D);
    }
    free(xx);
    if (m > 1) {
        if (max_P > 0 && max_p > m - 1) {
            max_p = m - 1;
        }
        if (max_Q > 0 && max_q > m - 1) {
            max_q = m - 1;
        }
    }
    s.allowdrift = s.d + s.D == 1;
    s.allowmean = s.d + s.D == 0;

    int start_p = 2, start_q = 2, start_P = 1, start_Q = 1;
    if (n < 10) {
        start_p = start_p < 1 ? start_p : 1;
        start_q = start_q < 1 ? start_q : 1;
        start_P = 0;
        start_Q = 0;
    }
    s.max_p = max_p;
    s.max_q = max_q;
    s.max_P = max_P;
    s.max_Q = max_Q;
    s.start_p = start_p < max_p ? start_p : max_p;
    s.start_q = start_q < max_q ? start_q : max_q;
    s.start_P = start_P < max_P ? start_P : max_P;
    s.start_Q = start_Q < max_Q ? start_Q : max_Q;

    /* The search with the exact likelihood (R's approximation = FALSE),
     * and R's default search when it approximates (n > 150 or m > 12):
     * CSS criteria, then the candidates refitted by exact ML in the order
     * of their approximate criterion until one passes the checks.  The
     * lower exact criterion wins, so the choice is never worse than
     * either search's. */
    search *ap = NULL;
    stepwise(&s);
    size_t nexact = s.k < NMODELS ? s.k : NMODELS, napprox = 0;
    int used_approx = 0;
    char aname[96] = "";
    if (n > 150 || m > 12) {
        ap = malloc(sizeof *ap);
        if (ap == NULL) {
            return TALLY_ERROR(TALLY_ENOMEM, "auto.arima: out of memory");
        }
        *ap = s;
        ap->approx = 1;
        ap->k = 0;
        ap->best_ic = INFINITY;
        ap->evals = 0;
        stepwise(ap);
        napprox = ap->k < NMODELS ? ap->k : NMODELS;
        tly_arima_fit refit;
        if (refit_approx(ap, &refit) == 0) {
            double ric = s.use_aic ? refit.aic : refit.aicc;
            tly_arima_name(&refit, dat->kx, aname, sizeof aname);
            if (ric < s.best_ic) {
                s.best = refit;
                s.best_ic = ric;
                used_approx = 1;
            }
        } else {
            snprintf(aname, sizeof aname, "no valid model");
        }
        free(ap);
    }
    if (!isfinite(s.best_ic)) {
        return TALLY_ERROR(TALLY_ENOCONV,
                           "auto.arima: no suitable ARIMA model found");
    }
    *fit = s.best;
    if (tly_arima_se(dat, fit) != TALLY_OK) {
        for (size_t i = 0; i < fit->ncoef; i++) {
            fit->se[i] = NAN;
        }
    }
    char name[96], how[512];
    tly_arima_name(fit, dat->kx, name, sizeof name);
    if (napprox > 0) {
        snprintf(how, sizeof how,
                 "stepwise searches by AICc over %zu models with the exact "
                 "likelihood and over %zu with the CSS approximation (R's "
                 "default for n > 150 or m > 12; its choice refitted: %s); "
                 "lower exact AICc from the %s search: %s", nexact,
                 napprox, aname, used_approx ? "approximate" : "exact",
                 name);
    } else {
        snprintf(how, sizeof how,
                 "stepwise search by AICc over %zu models (exact "
                 "likelihood): %s", nexact, name);
    }
    if (m > 1 && n > 2 * (size_t)m) {
        snprintf(note, note_size,
                 "auto.arima: D = %d (seasonal strength %.3f %s 0.64), "
                 "d = %d (KPSS at 5%%); %s", s.D, strength,
                 s.D ? ">" : "<=", s.d, how);
    } else {
        snprintf(note, note_size,
                 "auto.arima: D = 0%s, d = %d (KPSS at 5%%); %s",
                 m > 1 ? " (two seasons or less)" : "", s.d, how);
    }
    return TALLY_OK;
}
