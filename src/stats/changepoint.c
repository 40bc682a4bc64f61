/* SPDX-License-Identifier: MIT
 *
 * tally_cp_fit: checks the series and the options, dates the breaks with
 * the chosen method (Bai-Perron, PELT or binary segmentation), estimates
 * each segment, and runs the tests of no change (sup-F, ave-F, exp-F,
 * OLS-CUSUM, Chow).  The methods themselves live in breakpoints.c,
 * breakpoints_ci.c, pelt.c, binseg.c, fstats.c and fstats_pvalue.c.
 */
#include "core/lgamma_int.h"
#include "stats/changepoint_int.h"

#include "tally/tally_status.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Largest dynamic-programme table (breaks x observations) Bai-Perron may
 * allocate: 2.5e7 entries of 16 bytes = 400 MB. */
#define BP_MAX_CELLS 25000000.0

/* LWZ constants (Liu, Wu & Zidek 1997, as Bai & Perron 2003, sec. 5.1). */
#define LWZ_C0 0.299
#define LWZ_DELTA0 0.1

/* 2 pi (M_PI is not in ISO C). */
static const double TWO_PI = 6.283185307179586476925286766559;

void tally_cp_options_init(tally_cp_options *o)
{
    memset(o, 0, sizeof *o);
    o->method = TALLY_CP_BREAKPOINTS;
    o->model = TALLY_CP_MEAN;
    o->ic = TALLY_CP_IC_BIC;
    o->cost = TALLY_CP_COST_NORMAL;
    o->penalty = TALLY_CP_PEN_BIC;
    o->penalty_value = NAN;
    o->sigma = NAN;
    o->max_breaks = -1;
    o->min_size = 0;
    o->trim = 0.15;
    o->level = 0.95;
    o->chow = -1;
    o->tests = 1;
}

void tally_cp_result_free(tally_cp_result *r)
{
    if (r == NULL) {
        return;
    }
    free(r->breaks);
    free(r->segments);
    free(r->selection);
    free(r);
}

static int check_options(const tally_cp_options *o)
{
    if (o->method > TALLY_CP_BINSEG || o->model > TALLY_CP_TREND
        || o->ic > TALLY_CP_IC_LWZ || o->cost > TALLY_CP_COST_POISSON
        || o->penalty > TALLY_CP_PEN_MANUAL) {
        return TALLY_ERROR(TALLY_EINVAL, "unknown change-point option value");
    }
    if (!(o->trim > 0.0 && o->trim < 0.5)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "trim must lie strictly between 0 and 0.5, not %g",
                           o->trim);
    }
    if (!(o->level > 0.0 && o->level < 1.0)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "confidence level must lie in (0, 1), not %g",
                           o->level);
    }
    if (o->method != TALLY_CP_BREAKPOINTS && o->model == TALLY_CP_TREND) {
        return TALLY_ERROR(TALLY_EINVAL, "the trend model is available with "
                           "the breakpoints method only");
    }
    if (o->penalty == TALLY_CP_PEN_MANUAL
        && !(o->penalty_value >= 0.0 && isfinite(o->penalty_value))) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "the penalty must be a finite number >= 0");
    }
    if (!isnan(o->sigma) && !(o->sigma > 0.0 && isfinite(o->sigma))) {
        return TALLY_ERROR(TALLY_EINVAL, "sigma must be a positive number");
    }
    if (o->method == TALLY_CP_PELT && o->max_breaks >= 0) {
        return TALLY_ERROR(TALLY_EINVAL, "PELT finds the optimal number of "
                           "breaks for the penalty; a maximum applies to "
                           "breakpoints and binseg only");
    }
    return TALLY_OK;
}

/* Allocate the breaks and segments of a result for m breaks. */
static int alloc_partition(tally_cp_result *r, size_t m)
{
    r->breaks = calloc(m > 0 ? m : 1, sizeof *r->breaks);
    r->segments = calloc(m + 1, sizeof *r->segments);
    if (r->breaks == NULL || r->segments == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    r->nbreaks = m;
    return TALLY_OK;
}

/* Fill the segments between breaks bp[0..m-1] (0-based first indices of
 * new segments, relative to y) with their least-squares fits; the total
 * RSS goes to r->rss.  Indices in the result are shifted by r->offset. */
static void fill_segments(tally_cp_result *r, const double *y, size_t n,
                          size_t k, const size_t *bp, size_t m)
{
    double total = 0.0;
    for (size_t j = 0; j <= m; j++) {
        size_t a = j == 0 ? 0 : bp[j - 1], b = j == m ? n : bp[j];
        double coef[2], rss, xtx[4];
        tally_cp_segment *s = &r->segments[j];
        /* The mean, then (trend) the line on time 1..n of the series. */
        tly_cp_ols(y + a, b - a, 1, a, coef, &rss, xtx);
        s->mean = coef[0];
        s->intercept = s->slope = NAN;
        if (k == 2) {
            tly_cp_ols(y + a, b - a, 2, a, coef, &rss, xtx);
            s->intercept = coef[0];
            s->slope = coef[1];
        }
        s->from = a + r->offset;
        s->to = b - 1 + r->offset;
        s->rss = rss;
        s->sd = NAN;
        total += rss;
        if (j < m) {
            r->breaks[j].index = bp[j] + r->offset;
        }
    }
    r->rss = total;
}

/* BIC and LWZ of a partition with m breaks and residual sum of squares
 * rss (k regressors per segment, n observations). */
static void criteria(size_t n, size_t k, size_t m, double rss, double *bic,
                     double *lwz)
{
    double dn = (double)n;
    /* strucchange: logLik = -n/2 (log(RSS) + 1 - log n + log 2 pi) with
     * df = (k + 1)(m + 1) (coefficients, breaks and the variance). */
    double loglik = -0.5 * dn * (log(rss) + 1.0 - log(dn) + log(TWO_PI));
    *bic = -2.0 * loglik + log(dn) * (double)((k + 1) * (m + 1));
    /* Bai & Perron (2003): LWZ = log(RSS / (n - p)) + p c0 (log n)^(2 +
     * delta0) / n with p = (m + 1) k + m parameters. */
    double p = (double)((m + 1) * k + m);
    *lwz = log(rss / (dn - p)) + p * LWZ_C0 * pow(log(dn), 2.0 + LWZ_DELTA0)
                                     / dn;
}

static int fit_breakpoints(const double *y, size_t n, tally_cp_result *r)
{
    const tally_cp_options *o = &r->opt;
    size_t k = r->k;
    size_t h = o->min_size > 0 ? o->min_size
                               : (size_t)floor(o->trim * (double)n);
    /* The shortest series whose default h = floor(trim n) exceeds k. */
    size_t need = k + 1;
    while (floor(o->trim * (double)need) <= (double)k) {
        need++;
    }
    if (h <= k) {
        if (o->min_size > 0) {
            return TALLY_ERROR(TALLY_ETOOFEW,
                               "minimum segment size %zu must exceed the %zu "
                               "coefficient(s) of the %s model",
                               h, k, k == 1 ? "mean" : "trend");
        }
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "too few observations (%zu) for Bai-Perron "
                           "dating: the minimum segment h = floor(%g x %zu) "
                           "= %zu must exceed the %zu coefficient(s) of the "
                           "%s model (needs at least %zu observations, or a "
                           "larger minimum segment)",
                           n, o->trim, n, h, k, k == 1 ? "mean" : "trend",
                           need);
    }
    if (h > n / 2) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "too few observations (%zu) for a break with "
                           "minimum segment size %zu (needs at least %zu)",
                           n, h, 2 * h);
    }
    /* strucchange: at most ceiling(n / h) - 2 breaks. */
    size_t cap = (n + h - 1) / h - 2;
    size_t M = cap;
    if (o->max_breaks >= 0 && (size_t)o->max_breaks < cap) {
        M = (size_t)o->max_breaks;
    }
    if ((double)M * (double)(n + 1) > BP_MAX_CELLS) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "Bai-Perron dating of up to %zu breaks in %zu "
                           "observations is too large; lower --max-breaks or "
                           "raise --min-size",
                           M, n);
    }
    r->h = h;
    r->max_breaks = M;
    tly_cp_sums sums;
    int st = tly_cp_sums_init(&sums, y, n, k == 2, 0);
    if (st != TALLY_OK) {
        return st;
    }
    size_t *bp = malloc((M > 0 ? M * M : 1) * sizeof *bp);
    double *dprss = malloc((M + 1) * sizeof *dprss);
    r->selection = calloc(M + 1, sizeof *r->selection);
    if (bp == NULL || dprss == NULL || r->selection == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    if (st == TALLY_OK) {
        st = tly_cp_bai_perron(&sums, h, M, bp, dprss);
    }
    tly_cp_sums_fini(&sums);
    if (st != TALLY_OK) {
        free(bp);
        free(dprss);
        return st;
    }
    /* The selection table: each m's partition refitted segment by segment
     * (two-pass sums, more accurate than the prefix sums of the search). */
    r->nselection = M + 1;
    size_t best = 0;
    for (size_t m = 0; m <= M; m++) {
        const size_t *row = m > 0 ? bp + (m - 1) * M : NULL;
        double rss = 0.0;
        for (size_t j = 0; j <= m; j++) {
            size_t a = j == 0 ? 0 : row[j - 1], b = j == m ? n : row[j];
            double coef[2], srss, xtx[4];
            tly_cp_ols(y + a, b - a, k, a, coef, &srss, xtx);
            rss += srss;
        }
        tally_cp_selection *s = &r->selection[m];
        s->m = m;
        s->rss = rss;
        criteria(n, k, m, rss, &s->bic, &s->lwz);
        double v = o->ic == TALLY_CP_IC_LWZ ? s->lwz : s->bic;
        double vb = o->ic == TALLY_CP_IC_LWZ ? r->selection[best].lwz
                                             : r->selection[best].bic;
        if (v < vb) { /* first minimum, as which.min */
            best = m;
        }
    }
    free(dprss);
    st = alloc_partition(r, best);
    if (st != TALLY_OK) {
        free(bp);
        return st;
    }
    const size_t *row = best > 0 ? bp + (best - 1) * M : NULL;
    fill_segments(r, y, n, k, row, best);
    r->bic = r->selection[best].bic;
    r->lwz = r->selection[best].lwz;
    /* Confidence intervals of the break dates (Bai 1997). */
    for (size_t j = 0; j < best; j++) {
        size_t a = j == 0 ? 0 : row[j - 1];
        size_t c = j + 1 == best ? n : row[j + 1];
        long lo = 0, hi = 0;
        int ok = 0;
        tly_cp_break_conf(y, a, row[j], c, k, o->level, &lo, &hi, &ok);
        r->breaks[j].has_conf = ok;
        r->breaks[j].conf_low = ok ? lo + (long)r->offset : 0;
        r->breaks[j].conf_high = ok ? hi + (long)r->offset : 0;
    }
    free(bp);
    return TALLY_OK;
}

/* MAD of the first differences / sqrt 2 (a robust sd that the mean shifts
 * themselves barely move), or sd(diff) / sqrt 2 when the MAD is 0. */
#define MAD_RELATIVE_ZERO 1e-8
static int estimate_sigma(const double *y, size_t n, double *sigma)
{
    size_t m = n - 1;
    double *d = malloc(m * sizeof *d);
    if (d == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    double mean = 0.0, ss = 0.0;
    for (size_t i = 0; i < m; i++) {
        d[i] = y[i + 1] - y[i];
        mean += (d[i] - mean) / (double)(i + 1);
    }
    for (size_t i = 0; i < m; i++) {
        ss += (d[i] - mean) * (d[i] - mean);
    }
    double sd = m > 1 ? sqrt(ss / (double)(m - 1)) : 0.0;
    /* The MAD with R's consistency constant 1.4826 (mad()); GSL's median
     * reorders d in place. */
    double med = gsl_stats_median(d, 1, m);
    for (size_t i = 0; i < m; i++) {
        d[i] = fabs(d[i] - med);
    }
    double mad = 1.4826 * gsl_stats_median(d, 1, m);
    free(d);
    /* When more than half of the differences are equal (common in count
     * series) the MAD is 0, or 0 up to rounding: use the sd instead. */
    *sigma = (mad > MAD_RELATIVE_ZERO * sd ? mad : sd) / sqrt(2.0);
    return TALLY_OK;
}

static int fit_search(const double *y, size_t n, tally_cp_result *r)
{
    const tally_cp_options *o = &r->opt;
    size_t p = o->cost == TALLY_CP_COST_MEANVAR ? 2 : 1;
    size_t h = o->min_size > 0 ? o->min_size : p;
    int st;
    if (n < 2 * h) {
        return TALLY_ERROR(TALLY_ETOOFEW,
                           "too few observations (%zu) for a break with "
                           "minimum segment size %zu (needs at least %zu)",
                           n, h, 2 * h);
    }
    if (o->cost == TALLY_CP_COST_MEANVAR && h < 2) {
        return TALLY_ERROR(TALLY_EINVAL, "the meanvar cost needs a minimum "
                           "segment size of at least 2 (a variance)");
    }
    r->h = h;
    r->max_breaks = o->max_breaks >= 0 ? (size_t)o->max_breaks : n / h - 1;
    tly_cp_costfn f;
    memset(&f, 0, sizeof f);
    f.cost = o->cost;
    f.log_n = log((double)n);
    f.mbic = o->penalty == TALLY_CP_PEN_MBIC;
    if (o->cost == TALLY_CP_COST_POISSON) {
        for (size_t i = 0; i < n; i++) {
            if (y[i] < 0.0) {
                return TALLY_ERROR(TALLY_EDOMAIN,
                                   "the Poisson cost needs counts >= 0; "
                                   "value %zu is %g",
                                   i + 1 + r->offset, y[i]);
            }
        }
    }
    if (o->cost == TALLY_CP_COST_NORMAL) {
        double sigma = o->sigma;
        if (isnan(sigma)) {
            st = estimate_sigma(y, n, &sigma);
            if (st != TALLY_OK) {
                return st;
            }
        }
        if (!(sigma > 0.0)) {
            return TALLY_ERROR(TALLY_ECONSTANT, "cannot estimate the noise "
                               "sd: the series has no variation between "
                               "neighbours; give --sigma");
        }
        r->sigma = sigma;
        f.inv_var = 1.0 / (sigma * sigma);
    }
    if (o->cost == TALLY_CP_COST_MEANVAR) {
        int whole = 1;
        double mean = 0.0, ss = 0.0;
        for (size_t i = 0; i < n; i++) {
            if (y[i] != floor(y[i])) {
                whole = 0;
            }
            mean += (y[i] - mean) / (double)(i + 1);
        }
        for (size_t i = 0; i < n; i++) {
            ss += (y[i] - mean) * (y[i] - mean);
        }
        r->var_floor = whole ? 1.0 / 12.0 : 1e-10 * ss / (double)n;
        f.var_floor = r->var_floor;
    }
    /* Penalty per break: (p + 1) log n for BIC (p segment parameters and
     * the break's location); (p + 2) log n for MBIC, whose segment-length
     * terms are in the cost; or the number given. */
    double beta;
    if (o->penalty == TALLY_CP_PEN_MANUAL) {
        beta = o->penalty_value;
    } else if (o->penalty == TALLY_CP_PEN_MBIC) {
        beta = (double)(p + 2) * log((double)n);
    } else {
        beta = (double)(p + 1) * log((double)n);
    }
    r->penalty_value = beta;
    tly_cp_sums sums;
    st = tly_cp_sums_init(&sums, y, n, 0, o->cost == TALLY_CP_COST_POISSON);
    if (st != TALLY_OK) {
        return st;
    }
    f.sums = &sums;
    size_t *bp = malloc((n / h + 1) * sizeof *bp);
    size_t m = 0;
    double objective = NAN;
    if (bp == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    } else if (o->method == TALLY_CP_PELT) {
        st = tly_cp_pelt(&f, n, beta, h, bp, &m, &objective, &r->evaluations);
    } else {
        st = tly_cp_binseg(&f, n, beta, h, r->max_breaks, bp, &m, &objective,
                           &r->evaluations);
    }
    if (st == TALLY_OK) {
        st = alloc_partition(r, m);
    }
    if (st != TALLY_OK) {
        tly_cp_sums_fini(&sums);
        free(bp);
        return st;
    }
    fill_segments(r, y, n, 1, bp, m);
    /* The log-likelihood of the segmented fit, with the constants the
     * search leaves out. */
    double loglik = 0.0, mbic = 0.0;
    for (size_t j = 0; j <= m; j++) {
        size_t a = j == 0 ? 0 : bp[j - 1], b = j == m ? n : bp[j];
        double len = (double)(b - a);
        tally_cp_segment *s = &r->segments[j];
        mbic += log(len / (double)n);
        if (o->cost == TALLY_CP_COST_NORMAL) {
            s->sd = r->sigma;
            loglik -= 0.5 * (len * log(TWO_PI * r->sigma * r->sigma)
                             + s->rss / (r->sigma * r->sigma));
        } else if (o->cost == TALLY_CP_COST_MEANVAR) {
            double v = s->rss / len;
            if (!(v > r->var_floor)) {
                v = r->var_floor;
            }
            s->sd = sqrt(v);
            loglik -= 0.5 * (len * log(TWO_PI * v) + s->rss / v);
        } else {
            double sum = sums.raw[b] - sums.raw[a];
            if (sum > 0.0) {
                loglik += sum * log(sum / len) - sum;
            }
            for (size_t i = a; i < b; i++) {
                loglik -= tly_lgamma(y[i] + 1.0);
            }
        }
    }
    tly_cp_sums_fini(&sums);
    free(bp);
    r->loglik = loglik;
    r->criterion = -2.0 * loglik + beta * (double)m
                   + (o->penalty == TALLY_CP_PEN_MBIC ? mbic : 0.0);
    return TALLY_OK;
}

int tally_cp_fit(const double *yin, size_t nin, const tally_cp_options *o,
                 tally_cp_result **out)
{
    tally_cp_options defaults;
    if (o == NULL) {
        tally_cp_options_init(&defaults);
        o = &defaults;
    }
    int st = check_options(o);
    if (st != TALLY_OK) {
        return st;
    }
    /* Drop leading and trailing missing values; refuse inner ones. */
    size_t first = 0, last = nin;
    while (first < nin && isnan(yin[first])) {
        first++;
    }
    while (last > first && isnan(yin[last - 1])) {
        last--;
    }
    for (size_t i = first; i < last; i++) {
        if (isnan(yin[i])) {
            return TALLY_ERROR(TALLY_EMISSING,
                               "value %zu of %zu is missing; change-point "
                               "methods need a series without gaps",
                               i + 1, nin);
        }
        if (!isfinite(yin[i])) {
            return TALLY_ERROR(TALLY_EINVAL, "value %zu is not finite",
                               i + 1);
        }
    }
    const double *y = yin + first;
    size_t n = last - first;
    if (n < 2) {
        return TALLY_ERROR(TALLY_ETOOFEW, "too few observations (%zu) to "
                           "look for a change", n);
    }
    size_t nconst = 1;
    while (nconst < n && y[nconst] == y[0]) {
        nconst++;
    }
    if (nconst == n) {
        return TALLY_ERROR(TALLY_ECONSTANT,
                           "the series is constant (all %zu values are %g): "
                           "there is no change to find",
                           n, y[0]);
    }
    if (o->chow >= 0 && ((size_t)o->chow < first || (size_t)o->chow >= last)) {
        return TALLY_ERROR(TALLY_ERANGE, "the Chow break lies outside the "
                           "observed data");
    }
    tally_cp_result *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    r->opt = *o;
    r->n = n;
    r->offset = first;
    r->n_missing = nin - n;
    r->k = o->model == TALLY_CP_TREND ? 2 : 1;
    r->rss = r->bic = r->lwz = NAN;
    r->sigma = r->var_floor = r->penalty_value = NAN;
    r->loglik = r->criterion = r->f_lambda = NAN;
    if (o->model == TALLY_CP_TREND) {
        double coef[2], rss, xtx[4];
        tly_cp_ols(y, n, 2, 0, coef, &rss, xtx);
        if (!(rss > 0.0)) {
            tally_cp_result_free(r);
            return TALLY_ERROR(TALLY_ECONSTANT, "the series lies exactly on "
                               "a straight line: there is no change to find");
        }
    }
    if (o->method == TALLY_CP_BREAKPOINTS) {
        st = fit_breakpoints(y, n, r);
    } else {
        st = fit_search(y, n, r);
    }
    if (st == TALLY_OK && o->tests) {
        /* The tests need room for a split; a series too short for them
         * simply has none (their done flags stay 0). */
        int ts = tly_cp_fstats(y, n, r->k, o->trim, r);
        if (ts == TALLY_OK) {
            r->sup_f.index += first;
            r->ave_f.index += first;
            r->exp_f.index += first;
        }
        ts = tly_cp_cusum(y, n, r->k, &r->cusum);
        if (ts == TALLY_OK) {
            r->cusum.index += first;
        }
        tally_error_clear();
    }
    if (st == TALLY_OK && o->chow >= 0) {
        st = tly_cp_chow(y, n, r->k, (size_t)o->chow - first, &r->chow);
        r->chow.index = (size_t)o->chow;
    }
    if (st != TALLY_OK) {
        tally_cp_result_free(r);
        return st;
    }
    *out = r;
    return TALLY_OK;
}
