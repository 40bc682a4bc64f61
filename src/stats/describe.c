/* SPDX-License-Identifier: MIT
 *
 * describe for one variable: summary statistics, calendar years and
 * half-years with year-on-year and like-for-like comparisons, per-period
 * values with the rolling mean and the same period a year earlier, and
 * record claims.  Conventions are stated in tally_describe.h; this file
 * explains how each figure is computed.
 */
#include "tally/tally_describe.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void tally_describe_options_init(tally_describe_options *o)
{
    memset(o, 0, sizeof *o);
}

double tally_describe_sum(const double *y, size_t n)
{
    /* Neumaier's variant of Kahan summation: c collects the low-order
     * bits lost in each addition, whichever operand is larger, so the
     * result is as if summed in twice the precision.  Counts are small
     * integers and sum exactly anyway; this matters for rates and for
     * the NIST NumAcc sets (values near 1e7 differing in the 8th digit). */
    double s = 0.0;
    double c = 0.0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i])) {
            continue;
        }
        double t = s + y[i];
        if (fabs(s) >= fabs(y[i])) {
            c += (s - t) + y[i];
        } else {
            c += (y[i] - t) + s;
        }
        s = t;
        k++;
    }
    return k > 0 ? s + c : NAN;
}

/* Percent change from b to a, 100 (a - b) / b: the difference first, so
 * two integer totals give the correctly rounded quotient.  Undefined
 * (NaN) when b is 0 or either is missing. */
static double pct_change(double a, double b)
{
    if (isnan(a) || isnan(b) || b == 0.0) {
        return NAN;
    }
    return 100.0 * (a - b) / b;
}

void tally_describe_records(const double *v, const unsigned char *ok, size_t n,
                            int high, size_t *stack, tally_describe_record *out)
{
    /* One pass with a stack of comparable indices whose values never
     * increase (for highs; never decrease for lows) from bottom to top.
     * Popping every value strictly below v[i] leaves on top the latest
     * earlier comparable value at least as high: the "since" item.  Each
     * index is pushed and popped once, so the pass is O(n).  Counts come
     * from `seen`, the number of comparable items so far: the comparable
     * items in [j, i] number seen(i) - seen(j) + 1. */
    size_t top = 0;              /* stack size */
    size_t seen = 0;             /* comparable items in [0, i] */
    size_t first = 0;            /* first comparable item */
    size_t prev = 0;             /* latest comparable item before i */
    size_t *seen_at = stack + n; /* seen_at[j]: comparable items in [0, j] */
    for (size_t i = 0; i < n; i++) {
        tally_describe_record *r = &out[i];
        memset(r, 0, sizeof *r);
        r->kind = TALLY_RECORD_NONE;
        r->since = i;
        r->since_value = NAN;
        r->from = i;
        r->compared = ok[i] ? 1 : 0;
        if (!ok[i]) {
            seen_at[i] = seen;
            continue;
        }
        seen++;
        seen_at[i] = seen;
        if (seen == 1) {
            first = i;
        }
        while (top > 0 &&
               (high ? v[stack[top - 1]] < v[i] : v[stack[top - 1]] > v[i])) {
            top--;
        }
        if (top > 0) {
            size_t j = stack[top - 1];
            if (j != prev) {
                /* Between j and i every comparable value was beaten. */
                r->kind = TALLY_RECORD_SINCE;
                r->since = j;
                r->since_value = v[j];
                r->from = j;
                r->compared = seen - seen_at[j] + 1;
                r->skipped = (i - j - 1) - (r->compared - 2);
            }
        } else if (seen > 1) {
            /* Beyond every earlier comparable value. */
            r->kind = TALLY_RECORD_ALL;
            r->from = first;
            r->compared = seen;
            r->skipped = (i - first - 1) - (seen - 2);
        }
        stack[top++] = i;
        prev = i;
    }
}

/* Highs and lows of v[0..n-1] into the record fields of an array of
 * structs: high points at the first struct's high record, low at its low
 * record, and consecutive structs are `stride` bytes apart. */
static int fill_records(const double *v, const unsigned char *ok, size_t n,
                        tally_describe_record *high, tally_describe_record *low,
                        size_t stride)
{
    size_t *work = malloc(2 * n * sizeof *work);
    tally_describe_record *r = malloc(n * sizeof *r);
    if (work == NULL || r == NULL) {
        free(work);
        free(r);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (int h = 1; h >= 0; h--) {
        tally_describe_records(v, ok, n, h, work, r);
        unsigned char *dst = (unsigned char *)(h ? high : low);
        for (size_t i = 0; i < n; i++) {
            memcpy(dst + i * stride, &r[i], sizeof r[i]);
        }
    }
    free(work);
    free(r);
    return TALLY_OK;
}

void tally_describe_rolling_mean(const double *y, size_t n, size_t w,
                                 double *out)
{
    /* Running sum over the window with Neumaier compensation on both the
     * value entering and the value leaving, so the error does not grow
     * with n; missing values are counted in the window instead of added.
     * A window is defined only when it holds w observed values. */
    double s = 0.0;
    double c = 0.0;
    size_t nan_in = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = NAN;
    }
    if (w == 0) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        double terms[2];
        size_t nt = 0;
        if (isnan(y[i])) {
            nan_in++;
        } else {
            terms[nt++] = y[i];
        }
        if (i >= w) {
            if (isnan(y[i - w])) {
                nan_in--;
            } else {
                terms[nt++] = -y[i - w];
            }
        }
        for (size_t k = 0; k < nt; k++) {
            double t = s + terms[k];
            if (fabs(s) >= fabs(terms[k])) {
                c += (s - t) + terms[k];
            } else {
                c += (terms[k] - t) + s;
            }
            s = t;
        }
        if (i + 1 >= w && nan_in == 0) {
            out[i] = (s + c) / (double)w;
        }
    }
}

/* Index of the first period of the calendar block holding period p, for
 * blocks of len periods aligned on the year. */
static tally_period block_start(tally_freq freq, tally_period p, size_t len)
{
    int year = tally_period_year(freq, p);
    int sub = tally_period_sub(freq, p); /* 1-based */
    int part = (sub - 1) / (int)len;     /* 0-based block within the year */
    return tally_period_make(freq, year, 1) +
           (tally_period)part * (tally_period)len;
}

/* Value of period p, NaN when outside the series. */
static double value_at(const double *y, size_t n, tally_period start,
                       tally_period p)
{
    if (p < start || p >= start + (tally_period)n) {
        return NAN;
    }
    return y[p - start];
}

int tally_describe_blocks(const double *y, size_t n, tally_freq freq,
                          tally_period start, size_t len,
                          tally_describe_block **blocks, size_t *nblocks)
{
    if (n == 0 || len == 0 ||
        (freq != TALLY_FREQ_YEAR && freq != TALLY_FREQ_QUARTER &&
         freq != TALLY_FREQ_MONTH) ||
        (size_t)freq % len != 0) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "blocks of %zu periods do not divide a year of %d",
                           len, (int)freq);
    }
    tally_period end = start + (tally_period)n; /* one past the last */
    tally_period b0 = block_start(freq, start, len);
    tally_period b1 = block_start(freq, end - 1, len);
    size_t nb = (size_t)((b1 - b0) / (tally_period)len) + 1;
    tally_describe_block *b = calloc(nb, sizeof *b);
    double *tot = malloc(nb * sizeof *tot);
    unsigned char *ok = malloc(nb);
    if (b == NULL || tot == NULL || ok == NULL) {
        free(b);
        free(tot);
        free(ok);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    /* The same position a year earlier is freq periods back, whatever the
     * block length. */
    tally_period year_back = (tally_period)freq;

    for (size_t k = 0; k < nb; k++) {
        tally_describe_block *bk = &b[k];
        bk->first = b0 + (tally_period)(k * len);
        bk->year = tally_period_year(freq, bk->first);
        bk->part = (tally_period_sub(freq, bk->first) - 1) / (int)len + 1;
        bk->len = len;
        double s = 0.0, c = 0.0;
        double ls = 0.0, lc = 0.0, lps = 0.0, lpc = 0.0;
        /* Sums by Neumaier compensation as in tally_describe_sum, inline
         * because three run at once: the block's observed values, and the
         * like-for-like values this year and a year earlier. */
        for (size_t q = 0; q < len; q++) {
            tally_period p = bk->first + (tally_period)q;
            if (p < start || p >= end) {
                continue;
            }
            bk->present++;
            double v = y[p - start];
            if (isnan(v)) {
                bk->missing++;
                continue;
            }
            bk->observed++;
            double t = s + v;
            c += fabs(s) >= fabs(v) ? (s - t) + v : (v - t) + s;
            s = t;
            double pv = value_at(y, n, start, p - year_back);
            if (!isnan(pv)) {
                /* Observed in both years: part of the like-for-like span. */
                if (bk->lfl_n == 0) {
                    bk->lfl_first = p;
                }
                bk->lfl_last = p;
                bk->lfl_n++;
                t = ls + v;
                lc += fabs(ls) >= fabs(v) ? (ls - t) + v : (v - t) + ls;
                ls = t;
                t = lps + pv;
                lpc += fabs(lps) >= fabs(pv) ? (lps - t) + pv : (pv - t) + lps;
                lps = t;
            }
        }
        bk->complete = bk->observed == len;
        bk->total = bk->observed > 0 ? s + c : NAN;
        bk->mean = bk->observed > 0 ? bk->total / (double)bk->observed : NAN;
        bk->prev_total = NAN;
        bk->change = NAN;
        bk->pct_change = NAN;
        bk->lfl_total = NAN;
        bk->lfl_prev_total = NAN;
        bk->lfl_change = NAN;
        bk->lfl_pct_change = NAN;
        if (bk->lfl_n > 0) {
            bk->lfl_total = ls + lc;
            bk->lfl_prev_total = lps + lpc;
            bk->lfl_change = bk->lfl_total - bk->lfl_prev_total;
            bk->lfl_pct_change = pct_change(bk->lfl_total, bk->lfl_prev_total);
            bk->lfl_gaps =
                (size_t)(bk->lfl_last - bk->lfl_first) + 1 - bk->lfl_n;
        }
        tot[k] = bk->total;
        ok[k] = (unsigned char)bk->complete;
    }
    /* Year-on-year between complete blocks: block k - (freq / len) is the
     * same block a year earlier. */
    size_t per_year = (size_t)freq / len;
    for (size_t k = per_year; k < nb; k++) {
        if (b[k].complete && b[k - per_year].complete) {
            b[k].prev_total = b[k - per_year].total;
            b[k].change = b[k].total - b[k].prev_total;
            b[k].pct_change = pct_change(b[k].total, b[k].prev_total);
        }
    }
    /* Records among complete blocks only: a partial block's total is a
     * lower bound and would make false "lowest since" claims. */
    int st = fill_records(tot, ok, nb, &b[0].high, &b[0].low, sizeof *b);
    free(tot);
    free(ok);
    if (st != TALLY_OK) {
        free(b);
        return st;
    }
    *blocks = b;
    *nblocks = nb;
    return TALLY_OK;
}

/* Summary statistics of the observed values: total, mean, sample sd,
 * extremes. */
static void summarise(const double *y, size_t n, tally_describe *d)
{
    d->observed = 0;
    d->min = NAN;
    d->max = NAN;
    d->argmin = 0;
    d->argmax = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i])) {
            continue;
        }
        if (d->observed == 0 || y[i] < d->min) {
            d->min = y[i];
            d->argmin = i;
        }
        if (d->observed == 0 || y[i] > d->max) {
            d->max = y[i];
            d->argmax = i;
        }
        d->observed++;
    }
    d->missing = n - d->observed;
    d->total = tally_describe_sum(y, n);
    d->mean = d->observed > 0 ? d->total / (double)d->observed : NAN;
    d->sd = NAN;
    if (d->observed < 2) {
        return;
    }
    /* Corrected two-pass variance (Chan, Golub & LeVeque 1983, eq. 1.7):
     * s2 = (sum d_i^2 - (sum d_i)^2 / m) / (m - 1) with d_i = y_i - mean.
     * The second term removes the rounding error of the mean, which is
     * what keeps NIST's NumAcc4 (1e7 + small) exact to ~1e-9. */
    double ss = 0.0;
    double sd = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i])) {
            continue;
        }
        double dv = y[i] - d->mean;
        ss += dv * dv;
        sd += dv;
    }
    double m = (double)d->observed;
    double var = (ss - sd * sd / m) / (m - 1.0);
    d->sd = sqrt(var > 0.0 ? var : 0.0);
}

void tally_describe_fini(tally_describe *d)
{
    if (d == NULL) {
        return;
    }
    free(d->points);
    free(d->years);
    free(d->halves);
    memset(d, 0, sizeof *d);
}

int tally_describe_series(const double *y, size_t n, tally_freq freq,
                          tally_period start, const tally_describe_options *o,
                          tally_describe *out)
{
    tally_describe_options defaults;
    if (o == NULL) {
        tally_describe_options_init(&defaults);
        o = &defaults;
    }
    memset(out, 0, sizeof *out);
    if (n == 0) {
        return TALLY_ERROR(TALLY_EINVAL, "describe: the series is empty");
    }
    if (freq != TALLY_FREQ_YEAR && freq != TALLY_FREQ_QUARTER &&
        freq != TALLY_FREQ_MONTH) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "describe: the series has no period frequency");
    }
    tally_describe d;
    memset(&d, 0, sizeof d);
    d.freq = freq;
    d.start = start;
    d.n = n;
    /* Default window: one year of periods; an annual series has no
     * within-year rolling mean unless asked for. */
    d.window = o->window > 0 ? o->window
                             : (freq == TALLY_FREQ_YEAR ? 0 : (size_t)freq);
    summarise(y, n, &d);

    d.points = calloc(n, sizeof *d.points);
    double *roll = malloc(n * sizeof *roll);
    unsigned char *ok = malloc(n);
    if (d.points == NULL || roll == NULL || ok == NULL) {
        free(roll);
        free(ok);
        tally_describe_fini(&d);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    tally_describe_rolling_mean(y, n, d.window, roll);
    d.last = n;
    for (size_t i = 0; i < n; i++) {
        tally_describe_point *pt = &d.points[i];
        pt->period = start + (tally_period)i;
        pt->value = y[i];
        pt->rolling_mean = roll[i];
        /* Same period a year earlier: freq periods back. */
        pt->prev_value = i >= (size_t)freq ? y[i - (size_t)freq] : NAN;
        pt->change = isnan(pt->value) || isnan(pt->prev_value)
                         ? NAN
                         : pt->value - pt->prev_value;
        pt->pct_change = pct_change(pt->value, pt->prev_value);
        ok[i] = (unsigned char)!isnan(y[i]);
        if (ok[i]) {
            d.last = i;
        }
    }
    int st = fill_records(y, ok, n, &d.points[0].high, &d.points[0].low,
                          sizeof *d.points);
    free(ok);
    free(roll);
    if (st != TALLY_OK) {
        tally_describe_fini(&d);
        return st;
    }

    /* The last window against the one before: both ending at the end of
     * the series, so a missing last period leaves them undefined rather
     * than silently shifting the comparison. */
    d.recent_total = NAN;
    d.previous_total = NAN;
    d.recent_pct_change = NAN;
    if (d.window > 0 && d.window <= n / 2) {
        const double *last = y + n - d.window;
        const double *prev = y + n - 2 * d.window;
        size_t nan_count = 0;
        for (size_t i = 0; i < 2 * d.window; i++) {
            nan_count += isnan(prev[i]) ? 1u : 0u;
        }
        if (nan_count == 0) {
            d.recent_total = tally_describe_sum(last, d.window);
            d.previous_total = tally_describe_sum(prev, d.window);
            d.recent_pct_change = pct_change(d.recent_total, d.previous_total);
        }
    }

    st = tally_describe_blocks(y, n, freq, start, (size_t)freq, &d.years,
                               &d.nyears);
    if (st == TALLY_OK && freq != TALLY_FREQ_YEAR) {
        st = tally_describe_blocks(y, n, freq, start, (size_t)freq / 2,
                                   &d.halves, &d.nhalves);
    }
    if (st != TALLY_OK) {
        tally_describe_fini(&d);
        return st;
    }
    *out = d;
    return TALLY_OK;
}

double tally_describe_round(double x, int digits)
{
    if (!isfinite(x)) {
        return x;
    }
    /* Scale to the last kept digit, split off the fraction, and round a
     * fraction of one half (within the stated relative tolerance) away
     * from zero.  Working on |x| makes "away from zero" symmetric. */
    double scale = pow(10.0, (double)digits);
    double a = fabs(x) * scale;
    double f = floor(a);
    double frac = a - f;
    double tol = 1e-9 * (a > 1.0 ? a : 1.0);
    if (frac >= 0.5 - tol) {
        f += 1.0;
    }
    double r = f / scale;
    if (r == 0.0) {
        return 0.0; /* never -0 */
    }
    return x < 0 ? -r : r;
}
