/* SPDX-License-Identifier: MIT
 *
 * --model auto: a choice across model families.  Within each family the
 * model is chosen by that family's own criterion (AICc for auto.arima and
 * ets; the count model is the negative binomial GLM, or the Poisson one
 * when there is no overdispersion); information criteria are not
 * comparable across families (different likelihoods, data scales,
 * discrete against continuous), so the families are compared on what
 * matters for a forecast: a short rolling-origin evaluation.
 *
 * Candidates: auto.arima, ets (automatic), the seasonal naive method (the
 * naive one for annual data), and for series of non-negative whole counts
 * the negative binomial (or Poisson) trend-and-season GLM.  Each family's
 * chosen model is refitted, with its orders or form fixed, at the last k
 * origins (k = 6 when the data allow: every training window keeps at least
 * two seasons plus a few values) and forecasts H = min(h, m) steps (H =
 * min(h, 4) for annual data); the family with the smallest mean absolute
 * error over all origins and steps wins, and its fit on the whole series
 * is the result.  The note says what each family scored.  With too little
 * data for any origin, auto.arima is used and the note says so.
 */
#include "forecast/forecast_int.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAND 4
#define MAX_ORIGINS 6

typedef struct {
    tally_fc_spec spec;     /* as requested (family level) */
    tally_fc_result full;   /* fit on the whole series */
    int ok;                 /* fitted */
    double mae;             /* rolling-origin mean absolute error */
    size_t nerr;            /* errors counted */
    const char *label;      /* short name for the note */
} candidate;

static int is_counts(const double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isnan(y[i]) && (y[i] < 0 || y[i] != floor(y[i]))) {
            return 0;
        }
    }
    return 1;
}

/* Copy a candidate's result into out (whose arrays the dispatcher
 * allocated for the same n, h and levels); its simulated draws, if any,
 * move to out. */
static void copy_result(tally_fc_result *src, size_t n,
                        tally_fc_result *out)
{
    double *mean = out->mean, *lower = out->lower, *upper = out->upper;
    double *fitted = out->fitted;
    char warning[sizeof out->warning], note[sizeof out->note];
    memcpy(warning, out->warning, sizeof warning);
    memcpy(note, out->note, sizeof note);
    size_t h = out->h, nl = out->nlevels;
    tally_period start = out->start;
    size_t nmiss = out->n_missing, ndrop = out->n_dropped;
    *out = *src;
    out->mean = mean;
    out->lower = lower;
    out->upper = upper;
    out->fitted = fitted;
    /* The simulated distribution (count models) moves over. */
    src->draw = src->draw_mean = NULL;
    src->ndraw = 0;
    memcpy(mean, src->mean, h * sizeof *mean);
    memcpy(lower, src->lower, nl * h * sizeof *lower);
    memcpy(upper, src->upper, nl * h * sizeof *upper);
    /* ETS may have used a shorter stretch: align its fitted values to the
     * end of the series. */
    for (size_t i = 0; i < n; i++) {
        fitted[i] = NAN;
    }
    size_t off = n >= src->n ? n - src->n : 0;
    for (size_t i = 0; i < src->n && i < n; i++) {
        fitted[off + i] = src->fitted[i];
    }
    out->start = start;
    out->n = n;
    out->n_missing = nmiss;
    out->n_dropped = ndrop;
    memcpy(out->warning, warning, sizeof warning);
    if (src->warning[0]) {
        tly_fc_warn(out, "%s", src->warning);
    }
    memcpy(out->note, note, sizeof note);
    if (src->note[0]) {
        tly_fc_note(out, "%s", src->note);
    }
}

int tly_auto_run(const tally_fc_spec *spec, const double *y, size_t n,
                 tally_freq freq, tally_fc_result *out)
{
    candidate c[MAX_CAND];
    size_t nc = 0;
    int m = tly_fc_period(freq);
    size_t h = out->h;
    int st = TALLY_OK;

    memset(c, 0, sizeof c);
    /* The candidates, each at family level. */
    tally_fc_spec_parse("arima:auto", &c[nc].spec);
    c[nc++].label = "ARIMA";
    tally_fc_spec_parse("ets:auto", &c[nc].spec);
    c[nc++].label = "ETS";
    tally_fc_spec_parse(m > 1 ? "snaive" : "naive", &c[nc].spec);
    c[nc++].label = m > 1 ? "seasonal naive" : "naive";
    if (is_counts(y, n)) {
        tally_fc_spec_parse("negbin-trend", &c[nc].spec);
        c[nc++].label = "count GLM";
    }
    for (size_t i = 0; i < nc; i++) {
        c[i].spec.seed = spec->seed;
        memset(&c[i].full, 0, sizeof c[i].full);
        int s = tally_fc_run(&c[i].spec, y, n, freq, out->start, h,
                             out->levels, out->nlevels, &c[i].full);
        if (s != TALLY_OK && c[i].spec.family == TALLY_FC_NEGBIN) {
            /* No overdispersion (theta running away): Poisson instead. */
            tally_fc_spec_parse("poisson-trend", &c[i].spec);
            c[i].spec.seed = spec->seed;
            s = tally_fc_run(&c[i].spec, y, n, freq, out->start, h,
                             out->levels, out->nlevels, &c[i].full);
        }
        c[i].ok = s == TALLY_OK;
        if (!c[i].ok) {
            tally_error_clear();
        }
    }

    /* Rolling origins: training windows keep 2m + 4 values (10 for
     * annual data). */
    size_t H = h < (size_t)(m > 1 ? m : 4) ? h : (size_t)(m > 1 ? m : 4);
    size_t minfit = m > 1 ? 2 * (size_t)m + 4 : 10;
    size_t k = 0;
    if (n >= minfit + H) {
        k = n - H - minfit + 1;
        k = k > MAX_ORIGINS ? MAX_ORIGINS : k;
    }
    for (size_t i = 0; i < nc && k > 0; i++) {
        if (!c[i].ok) {
            continue;
        }
        /* The family's chosen model, form fixed. */
        tally_fc_spec fixed = c[i].full.spec;
        fixed.automatic = 0;
        fixed.log = 0;
        fixed.seed = spec->seed;
        double sum = 0.0;
        size_t cnt = 0;
        int failed = 0;
        for (size_t o = n - H - k + 1; o <= n - H && !failed; o++) {
            tally_fc_result r;
            memset(&r, 0, sizeof r);
            if (tally_fc_run(&fixed, y, o, freq, out->start, H, NULL, 0, &r)
                != TALLY_OK) {
                tally_error_clear();
                failed = 1;
                break;
            }
            /* Forecasts start after the last observed training value. */
            size_t first = (size_t)(r.first - out->start);
            for (size_t j = 0; j < H; j++) {
                size_t t = first + j;
                if (t < n && !isnan(y[t]) && isfinite(r.mean[j])) {
                    sum += fabs(y[t] - r.mean[j]);
                    cnt++;
                }
            }
            tally_fc_result_fini(&r);
        }
        if (!failed && cnt > 0) {
            c[i].mae = sum / (double)cnt;
            c[i].nerr = cnt;
        }
    }

    /* The winner: smallest MAE among those evaluated; without any
     * evaluation, ARIMA (or the first family that could be fitted). */
    size_t best = nc;
    for (size_t i = 0; i < nc; i++) {
        if (c[i].ok && c[i].nerr > 0
            && (best == nc || c[i].mae < c[best].mae)) {
            best = i;
        }
    }
    char why[256];
    size_t len = 0;
    why[0] = '\0';
    if (best < nc) {
        len = (size_t)snprintf(why, sizeof why,
                               "auto: rolling-origin MAE (%zu origins, %zu "
                               "steps)", k, H);
        for (size_t i = 0; i < nc && len < sizeof why; i++) {
            if (c[i].ok && c[i].nerr > 0) {
                len += (size_t)snprintf(why + len, sizeof why - len,
                                        "%s %s %.4g", i ? "," : ":",
                                        c[i].label, c[i].mae);
            } else {
                len += (size_t)snprintf(why + len, sizeof why - len,
                                        "%s %s not fitted", i ? "," : ":",
                                        c[i].label);
            }
        }
        if (len < sizeof why) {
            snprintf(why + len, sizeof why - len, "; chose %s",
                     c[best].label);
        }
    } else {
        for (size_t i = 0; i < nc && best == nc; i++) {
            if (c[i].ok) {
                best = i;
            }
        }
        if (best == nc) {
            st = TALLY_ERROR(TALLY_ENOCONV,
                             "auto: no model family could be fitted to "
                             "these data");
        } else {
            snprintf(why, sizeof why,
                     "auto: too few values for a rolling-origin comparison "
                     "(needs %zu), chose %s", minfit + H, c[best].label);
        }
    }
    if (st == TALLY_OK) {
        tly_fc_note(out, "%s", why);
        copy_result(&c[best].full, n, out);
    }
    for (size_t i = 0; i < nc; i++) {
        tally_fc_result_fini(&c[i].full);
    }
    return st;
}
