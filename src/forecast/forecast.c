/* SPDX-License-Identifier: MIT
 *
 * The forecasting dispatcher: parses model specs ("arima:0,1,1:0,1,1",
 * "ets:MAM", "snaive", ...), applies what every family shares (leading
 * and trailing missing values, --log, constant series, allocation of the
 * forecast arrays) and calls the family.  The families live in
 * arima*.c, ets*.c, baseline.c, count.c and auto.c; their conventions
 * follow R's forecast package (see each file's header).
 */
#include "core/period_int.h"
#include "core/text_int.h"
#include "forecast/forecast_int.h"
#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest orders accepted in a spec: far beyond what a monthly series of
 * a few hundred values can identify, small enough to keep the state
 * dimension of the Kalman filter (max(p + mP, q + mQ + 1)) modest. */
#define MAX_ORDER 30
#define MAX_SORDER 5
#define MAX_DIFF 3

int tly_fc_period(tally_freq freq)
{
    if (freq == TALLY_FREQ_MONTH) {
        return 12;
    }
    if (freq == TALLY_FREQ_QUARTER) {
        return 4;
    }
    return 1;
}

double tly_fc_z(double level)
{
    /* Two-sided: the (1 + level/100)/2 quantile of N(0, 1), R's
     * qnorm(0.5 + level/200). */
    return gsl_cdf_ugaussian_Pinv(0.5 + level / 200.0);
}

void tly_fc_warn(tally_fc_result *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tly_vappend(out->warning, sizeof out->warning, "; ", fmt, ap);
    va_end(ap);
}

void tly_fc_note(tally_fc_result *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tly_vappend(out->note, sizeof out->note, "; ", fmt, ap);
    va_end(ap);
}

/* Parse exactly `count` comma-separated integers in [0, max[i]] from s,
 * which must end at '\0' or ':'.  Returns the end pointer or NULL. */
static const char *parse_ints(const char *s, int count, const int *max,
                              int *out)
{
    for (int i = 0; i < count; i++) {
        long v = 0;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s - '0');
            if (v > 1000) {
                return NULL;
            }
            s++;
            digits++;
        }
        if (digits == 0 || v > max[i]) {
            return NULL;
        }
        out[i] = (int)v;
        if (i + 1 < count) {
            if (*s != ',') {
                return NULL;
            }
            s++;
        }
    }
    return (*s == '\0' || *s == ':') ? s : NULL;
}

static int valid_ets_code(const char *c)
{
    /* Error A/M/Z, trend N/A/M/Z optionally damped (d), season N/A/M/Z:
     * forecast::ets's model strings ("ANN", "AAdN", "MAM", "ZZZ").  Which
     * combinations are fitted is for ets.c to decide. */
    size_t len = strlen(c);
    if (len != 3 && len != 4) {
        return 0;
    }
    if (strchr("AMZ", c[0]) == NULL || strchr("NAMZ", c[1]) == NULL) {
        return 0;
    }
    if (len == 4 && c[2] != 'd') {
        return 0;
    }
    return strchr("NAMZ", c[len - 1]) != NULL;
}

int tally_fc_spec_parse(const char *text, tally_fc_spec *spec)
{
    static const struct {
        const char *name;
        tally_fc_family family;
    } simple[] = {
        {"auto", TALLY_FC_AUTO},       {"naive", TALLY_FC_NAIVE},
        {"snaive", TALLY_FC_SNAIVE},   {"drift", TALLY_FC_DRIFT},
        {"mean", TALLY_FC_MEAN},       {"poisson-trend", TALLY_FC_POISSON},
        {"negbin-trend", TALLY_FC_NEGBIN},
    };
    static const int omax[3] = {MAX_ORDER, MAX_DIFF, MAX_ORDER};
    static const int smax[3] = {MAX_SORDER, MAX_DIFF, MAX_SORDER};
    tally_fc_spec s;

    if (text == NULL || spec == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "no model given");
    }
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < sizeof simple / sizeof simple[0]; i++) {
        if (strcmp(text, simple[i].name) == 0) {
            s.family = simple[i].family;
            s.automatic = s.family == TALLY_FC_AUTO;
            *spec = s;
            return TALLY_OK;
        }
    }
    if (strncmp(text, "arima:", 6) == 0) {
        const char *p = text + 6;
        s.family = TALLY_FC_ARIMA;
        if (strcmp(p, "auto") == 0) {
            s.automatic = 1;
            *spec = s;
            return TALLY_OK;
        }
        p = parse_ints(p, 3, omax, s.order);
        if (p != NULL && *p == ':') {
            p = parse_ints(p + 1, 3, smax, s.seasonal);
            if (p != NULL && *p != '\0') {
                p = NULL;
            }
        }
        if (p == NULL) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "model '%s': expected arima:auto, arima:p,d,q "
                               "or arima:p,d,q:P,D,Q (p, q <= %d, d, D <= %d, "
                               "P, Q <= %d)", text, MAX_ORDER, MAX_DIFF,
                               MAX_SORDER);
        }
        *spec = s;
        return TALLY_OK;
    }
    if (strncmp(text, "ets:", 4) == 0) {
        const char *p = text + 4;
        s.family = TALLY_FC_ETS;
        if (strcmp(p, "auto") == 0) {
            s.automatic = 1;
            memcpy(s.ets, "ZZZ", 4);
            *spec = s;
            return TALLY_OK;
        }
        if (!valid_ets_code(p)) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "model '%s': expected ets:auto or ets:XYZ with "
                               "error A or M, trend N, A, Ad or M, season N, "
                               "A or M (e.g. ets:ANN, ets:AAdN, ets:MAM)",
                               text);
        }
        memcpy(s.ets, p, strlen(p) + 1);
        *spec = s;
        return TALLY_OK;
    }
    return TALLY_ERROR(TALLY_EINVAL,
                       "unknown model '%s' (expected auto, arima:auto, "
                       "arima:p,d,q[:P,D,Q], ets:XYZ, ets:auto, naive, "
                       "snaive, drift, mean, poisson-trend or negbin-trend)",
                       text);
}

char *tally_fc_spec_format(const tally_fc_spec *spec, char *buf, size_t size)
{
    switch (spec->family) {
    case TALLY_FC_AUTO:
        snprintf(buf, size, "auto");
        break;
    case TALLY_FC_ARIMA:
        if (spec->automatic) {
            snprintf(buf, size, "arima:auto");
        } else if (spec->seasonal[0] + spec->seasonal[1] + spec->seasonal[2]
                   > 0) {
            snprintf(buf, size, "arima:%d,%d,%d:%d,%d,%d", spec->order[0],
                     spec->order[1], spec->order[2], spec->seasonal[0],
                     spec->seasonal[1], spec->seasonal[2]);
        } else {
            snprintf(buf, size, "arima:%d,%d,%d", spec->order[0],
                     spec->order[1], spec->order[2]);
        }
        break;
    case TALLY_FC_ETS:
        snprintf(buf, size, "ets:%s", spec->automatic ? "auto" : spec->ets);
        break;
    case TALLY_FC_MEAN:
        snprintf(buf, size, "mean");
        break;
    case TALLY_FC_NAIVE:
        snprintf(buf, size, "naive");
        break;
    case TALLY_FC_SNAIVE:
        snprintf(buf, size, "snaive");
        break;
    case TALLY_FC_DRIFT:
        snprintf(buf, size, "drift");
        break;
    case TALLY_FC_POISSON:
        snprintf(buf, size, "poisson-trend");
        break;
    case TALLY_FC_NEGBIN:
        snprintf(buf, size, "negbin-trend");
        break;
    default:
        snprintf(buf, size, "?");
        break;
    }
    return buf;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int tally_fc_last_partial(const double *y, size_t n, double ratio,
                          size_t window, double min_median)
{
    double buf[64];
    size_t k = 0;
    if (y == NULL || n < 2 || window == 0 || isnan(y[n - 1])) {
        return 0;
    }
    if (window > sizeof buf / sizeof buf[0]) {
        window = sizeof buf / sizeof buf[0];
    }
    for (size_t i = n - 1; i-- > 0 && k < window;) {
        if (!isnan(y[i])) {
            buf[k++] = y[i];
        }
    }
    /* Need most of a window to call something unusual. */
    if (k < 3 || k * 2 < window) {
        return 0;
    }
    qsort(buf, k, sizeof buf[0], cmp_double);
    double med = k % 2 ? buf[k / 2] : 0.5 * (buf[k / 2 - 1] + buf[k / 2]);
    return med >= min_median && y[n - 1] < ratio * med;
}

void tally_fc_result_fini(tally_fc_result *r)
{
    if (r == NULL) {
        return;
    }
    free(r->mean);
    free(r->lower);
    free(r->upper);
    free(r->fitted);
    free(r->draw);
    free(r->draw_mean);
    r->mean = r->lower = r->upper = r->fitted = NULL;
    r->draw = r->draw_mean = NULL;
    r->ndraw = 0;
}

/* The forecast of a constant series: that constant, with zero-width
 * intervals (every model would say the same, and none can be estimated:
 * the innovation variance is 0). */
static void constant_forecast(double c, size_t n, tally_fc_result *out)
{
    snprintf(out->model, sizeof out->model, "Constant");
    out->spec.family = TALLY_FC_MEAN;
    out->ncoef = 1;
    snprintf(out->coef[0].term, sizeof out->coef[0].term, "mean");
    out->coef[0].estimate = c;
    out->coef[0].std_error = 0.0;
    out->sigma2 = 0.0;
    out->loglik = out->aic = out->aicc = out->bic = NAN;
    out->converged = 1;
    for (size_t i = 0; i < out->h; i++) {
        out->mean[i] = c;
        for (size_t l = 0; l < out->nlevels; l++) {
            out->lower[l * out->h + i] = c;
            out->upper[l * out->h + i] = c;
        }
    }
    for (size_t i = 0; i < n; i++) {
        out->fitted[i] = c;
    }
}

static const char *family_name(tally_fc_family f)
{
    switch (f) {
    case TALLY_FC_ARIMA:
        return "ARIMA";
    case TALLY_FC_ETS:
        return "ETS";
    case TALLY_FC_POISSON:
        return "Poisson trend";
    case TALLY_FC_NEGBIN:
        return "negative binomial trend";
    case TALLY_FC_AUTO:
        return "automatic";
    default:
        return "baseline";
    }
}

int tally_fc_run(const tally_fc_spec *spec, const double *y, size_t n,
                 tally_freq freq, tally_period start, size_t h,
                 const double *levels, size_t nlevels, tally_fc_result *out)
{
    return tally_fc_run_x(spec, y, n, freq, start, NULL, h, levels, nlevels,
                          out);
}

int tally_fc_run_x(const tally_fc_spec *spec, const double *y, size_t n,
                   tally_freq freq, tally_period start,
                   const tally_fc_xreg *xreg, size_t h,
                   const double *levels, size_t nlevels,
                   tally_fc_result *out)
{
    tally_fc_result r;
    tally_fc_spec fs;
    size_t lo = 0, hi = n;
    double *work = NULL;
    int st = TALLY_OK;

    if (spec == NULL || out == NULL || (y == NULL && n > 0)) {
        return TALLY_ERROR(TALLY_EINVAL, "forecast: missing argument");
    }
    if (freq != TALLY_FREQ_MONTH && freq != TALLY_FREQ_QUARTER
        && freq != TALLY_FREQ_YEAR) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "forecast: the series has no time frequency");
    }
    if (h == 0 || h > 100000) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "forecast: the horizon must be between 1 and "
                           "100000, not %zu", h);
    }
    if (nlevels > TALLY_FC_MAX_LEVELS || (nlevels > 0 && levels == NULL)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "forecast: at most %d interval levels",
                           TALLY_FC_MAX_LEVELS);
    }
    for (size_t l = 0; l < nlevels; l++) {
        if (!(levels[l] > 0.0 && levels[l] < 100.0)) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "forecast: interval level %g is not between "
                               "0 and 100", levels[l]);
        }
    }
    if (xreg != NULL && xreg->k > 0 && spec->family != TALLY_FC_ARIMA) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "forecast: exogenous regressors need an ARIMA "
                           "model (regression with ARIMA errors)");
    }
    if (spec->log && spec->family == TALLY_FC_POISSON) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "forecast: --log does not apply to count models "
                           "(they model log(mean) already)");
    }
    if (spec->log && spec->family == TALLY_FC_NEGBIN) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "forecast: --log does not apply to count models "
                           "(they model log(mean) already)");
    }

    memset(&r, 0, sizeof r);
    /* Leading and trailing missing values carry no information about the
     * dynamics; forecasts continue from the last observed value. */
    while (lo < hi && isnan(y[lo])) {
        lo++;
    }
    while (hi > lo && isnan(y[hi - 1])) {
        hi--;
    }
    if (hi == lo) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "forecast: the series has no observed values");
    }
    /* The forecast periods must be periods tally can write and read back:
     * refuse (rather than cut the horizon short unasked) past 9999. */
    tally_period last_obs = start + (tally_period)hi - 1;
    int64_t room = tly_period_room_after(freq, last_obs);
    if ((int64_t)h > room) {
        char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
        tally_period_format(freq, last_obs, a, sizeof a);
        tally_period_format(freq, tly_period_last(freq), b, sizeof b);
        if (room == 0) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "forecast: the series ends in %s, the last "
                               "period tally handles (years %d to %d): no "
                               "period is left to forecast",
                               a, TALLY_YEAR_MIN, TALLY_YEAR_MAX);
        }
        return TALLY_ERROR(TALLY_EINVAL,
                           "forecast: a horizon of %zu periods after %s "
                           "runs past %s, the last period tally handles "
                           "(years %d to %d): at most %lld %s",
                           h, a, b, TALLY_YEAR_MIN, TALLY_YEAR_MAX,
                           (long long)room,
                           room == 1 ? "period fits" : "periods fit");
    }
    if (lo > 0 || hi < n) {
        char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
        tly_fc_warn(&r, "left out %zu leading and %zu trailing missing "
                    "values: used %s to %s", lo, n - hi,
                    tally_period_format(freq, start + (tally_period)lo, a,
                                        sizeof a),
                    tally_period_format(freq, start + (tally_period)hi - 1,
                                        b, sizeof b));
    }
    /* ETS cannot run through missing values: like forecast::ets it uses a
     * stretch without any, but the last one (not the longest), so that
     * forecasts still start after the last observation. */
    if (spec->family == TALLY_FC_ETS) {
        size_t s = hi;
        while (s > lo && !isnan(y[s - 1])) {
            s--;
        }
        if (s > lo) {
            char a[TALLY_PERIOD_BUFSIZE];
            tly_fc_warn(&r, "ETS cannot use missing values: fitted to the "
                        "%zu values from %s on, after the last missing one "
                        "(ARIMA models use them all)", hi - s,
                        tally_period_format(freq, start + (tally_period)s, a,
                                            sizeof a));
            lo = s;
        }
    }
    size_t nu = hi - lo;
    r.n_dropped = n - nu;
    for (size_t i = lo; i < hi; i++) {
        r.n_missing += isnan(y[i]) != 0;
    }
    /* Regressors: known at every period used and at the h periods after
     * the last observed value (the forecast's). */
    const double *xcols[TALLY_FC_MAX_COEF];
    tally_fc_xreg xr;
    if (xreg != NULL && xreg->k > 0) {
        if (xreg->k > TALLY_FC_MAX_COEF / 2) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "forecast: at most %d regressors",
                               TALLY_FC_MAX_COEF / 2);
        }
        for (size_t j = 0; j < xreg->k; j++) {
            for (size_t i = lo; i < hi + h; i++) {
                if (!isfinite(xreg->cols[j][i])) {
                    char p[TALLY_PERIOD_BUFSIZE];
                    tally_period_format(freq, start + (tally_period)i, p,
                                        sizeof p);
                    return TALLY_ERROR(
                        TALLY_EMISSING,
                        i < hi ? "forecast: regressor '%s' is missing or "
                                 "not finite in %s"
                               : "forecast: regressor '%s' needs known "
                                 "values for the forecast periods (missing "
                                 "in %s)",
                        xreg->names[j], p);
                }
            }
            xcols[j] = xreg->cols[j] + lo;
        }
        xr.k = xreg->k;
        xr.names = xreg->names;
        xr.cols = xcols;
        xreg = &xr;
    }

    work = malloc(nu * sizeof *work);
    r.mean = calloc(h, sizeof *r.mean);
    r.lower = calloc(h * (nlevels ? nlevels : 1), sizeof *r.lower);
    r.upper = calloc(h * (nlevels ? nlevels : 1), sizeof *r.upper);
    r.fitted = calloc(nu, sizeof *r.fitted);
    if (work == NULL || r.mean == NULL || r.lower == NULL || r.upper == NULL
        || r.fitted == NULL) {
        free(work);
        tally_fc_result_fini(&r);
        return TALLY_ERROR(TALLY_ENOMEM, "forecast: out of memory");
    }
    for (size_t i = 0; i < nu; i++) {
        double v = y[lo + i];
        if (spec->log && !isnan(v)) {
            if (!(v > 0.0)) {
                char a[TALLY_PERIOD_BUFSIZE];
                free(work);
                tally_fc_result_fini(&r);
                return TALLY_ERROR(TALLY_EDOMAIN,
                                   "forecast: --log needs positive values, "
                                   "but %s has %g (leave out --log, or "
                                   "model the counts with poisson-trend or "
                                   "negbin-trend)",
                                   tally_period_format(
                                       freq, start + (tally_period)(lo + i),
                                       a, sizeof a), v);
            }
            v = log(v);
        }
        work[i] = v;
    }

    fs = *spec;
    fs.log = 0;
    r.spec = *spec;
    r.n = nu;
    r.freq = freq;
    r.start = start + (tally_period)lo;
    r.first = start + (tally_period)hi;
    r.h = h;
    r.nlevels = nlevels;
    for (size_t l = 0; l < nlevels; l++) {
        r.levels[l] = levels[l];
    }
    r.period = tly_fc_period(freq);
    r.sigma2 = r.loglik = r.aic = r.aicc = r.bic = NAN;
    for (size_t i = 0; i < nu; i++) {
        r.fitted[i] = NAN;
    }

    /* Is the series constant (e.g. all zeros)? */
    int constant = 1;
    double c = NAN;
    for (size_t i = 0; i < nu; i++) {
        if (isnan(work[i])) {
            continue;
        }
        if (isnan(c)) {
            c = work[i];
        } else if (work[i] != c) {
            constant = 0;
            break;
        }
    }
    int is_baseline = spec->family == TALLY_FC_MEAN
                      || spec->family == TALLY_FC_NAIVE
                      || spec->family == TALLY_FC_SNAIVE
                      || spec->family == TALLY_FC_DRIFT;
    if (constant && !is_baseline && (xreg == NULL || xreg->k == 0)) {
        tly_fc_warn(&r, "the series is constant (every value is %g): no %s "
                    "model can be estimated, so the forecast is that "
                    "constant with zero-width intervals",
                    spec->log ? exp(c) : c, family_name(spec->family));
        constant_forecast(c, nu, &r);
    } else {
        switch (spec->family) {
        case TALLY_FC_ARIMA:
            st = tly_arima_run_x(&fs, work, nu, freq,
                                 (xreg != NULL && xreg->k > 0) ? xreg : NULL,
                                 &r);
            break;
        case TALLY_FC_ETS:
            st = tly_ets_run(&fs, work, nu, freq, &r);
            break;
        case TALLY_FC_POISSON:
        case TALLY_FC_NEGBIN:
            st = tly_count_run(&fs, work, nu, freq, &r);
            break;
        case TALLY_FC_AUTO:
            st = tly_auto_run(&fs, work, nu, freq, &r);
            break;
        default:
            st = tly_baseline_run(&fs, work, nu, freq, &r);
            break;
        }
    }
    free(work);
    if (st != TALLY_OK) {
        tally_fc_result_fini(&r);
        return st;
    }
    r.spec.log = spec->log;
    if (spec->log) {
        /* Back to the original scale: exp of the log-scale mean is the
         * median forecast (forecast's lambda = 0, biasadj = FALSE); the
         * limits are quantiles, so they transform exactly. */
        for (size_t i = 0; i < h; i++) {
            r.mean[i] = exp(r.mean[i]);
            for (size_t l = 0; l < nlevels; l++) {
                r.lower[l * h + i] = exp(r.lower[l * h + i]);
                r.upper[l * h + i] = exp(r.upper[l * h + i]);
            }
        }
        for (size_t i = 0; i < nu; i++) {
            r.fitted[i] = exp(r.fitted[i]);
        }
    }
    *out = r;
    return TALLY_OK;
}
