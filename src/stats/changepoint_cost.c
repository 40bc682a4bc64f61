/* SPDX-License-Identifier: MIT
 *
 * Segment costs for change-point search: prefix sums that give the
 * residual sum of squares of a mean or of a line on time over any segment
 * in O(1), the Gaussian and Poisson likelihood costs built on them, and the
 * direct (two-pass) least-squares fit of one segment used for the numbers
 * that are reported.
 */
#include "stats/changepoint_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

/* 2 pi (M_PI is not in ISO C). */
static const double TWO_PI = 6.283185307179586476925286766559;

int tly_cp_sums_init(tly_cp_sums *s, const double *y, size_t n, int trend,
                     int raw)
{
    s->n = n;
    s->trend = trend;
    s->sy = malloc((n + 1) * sizeof *s->sy);
    s->syy = malloc((n + 1) * sizeof *s->syy);
    s->sty = trend ? malloc((n + 1) * sizeof *s->sty) : NULL;
    s->raw = raw ? malloc((n + 1) * sizeof *s->raw) : NULL;
    if (s->sy == NULL || s->syy == NULL || (trend && s->sty == NULL)
        || (raw && s->raw == NULL)) {
        tly_cp_sums_fini(s);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory for %zu observations",
                           n);
    }
    /* Shift by the mean (computed with a running update, which does not
     * overflow or lose the small digits of a long sum) so that the sums of
     * squares stay close to the centred sums they approximate. */
    double mean = 0.0;
    for (size_t i = 0; i < n; i++) {
        mean += (y[i] - mean) / (double)(i + 1);
    }
    s->ybar = mean;
    s->tbar = ((double)n + 1.0) / 2.0;
    s->sy[0] = s->syy[0] = 0.0;
    if (trend) {
        s->sty[0] = 0.0;
    }
    if (raw) {
        s->raw[0] = 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        double d = y[i] - mean;
        s->sy[i + 1] = s->sy[i] + d;
        s->syy[i + 1] = s->syy[i] + d * d;
        if (trend) {
            s->sty[i + 1] = s->sty[i] + ((double)(i + 1) - s->tbar) * d;
        }
        if (raw) {
            s->raw[i + 1] = s->raw[i] + y[i];
        }
    }
    return TALLY_OK;
}

void tly_cp_sums_fini(tly_cp_sums *s)
{
    free(s->sy);
    free(s->syy);
    free(s->sty);
    free(s->raw);
    s->sy = s->syy = s->sty = s->raw = NULL;
}

double tly_cp_rss(const tly_cp_sums *s, size_t a, size_t b)
{
    double m = (double)(b - a);
    if (b <= a + (s->trend ? 2u : 1u)) {
        return 0.0; /* the fit passes through every point */
    }
    double sy = s->sy[b] - s->sy[a];
    /* Centred sum of squares of y within the segment. */
    double syy = (s->syy[b] - s->syy[a]) - sy * sy / m;
    if (s->trend) {
        /* Time runs a+1 .. b; within the segment its centred sum of
         * squares is exactly m (m^2 - 1) / 12 for consecutive integers, and
         * sum (t - tbar_seg)(y - ybar) = sum tc yc - (sum tc)(sum yc) / m
         * with tc = t - tbar (the global shift). */
        double stc = ((double)a + 1.0 + (double)b) * m / 2.0 - m * s->tbar;
        double stt = m * (m * m - 1.0) / 12.0;
        double sty = (s->sty[b] - s->sty[a]) - stc * sy / m;
        syy -= sty * sty / stt;
    }
    return syy > 0.0 ? syy : 0.0;
}

double tly_cp_cost(const tly_cp_costfn *f, size_t a, size_t b)
{
    double m = (double)(b - a);
    double c;
    switch (f->cost) {
    case TALLY_CP_COST_NORMAL:
        /* -2 log L = m log(2 pi sigma^2) + RSS / sigma^2; the first term
         * adds up to n log(2 pi sigma^2) over any partition. */
        c = tly_cp_rss(f->sums, a, b) * f->inv_var;
        break;
    case TALLY_CP_COST_MEANVAR: {
        /* Maximized over the mean and a variance v >= floor:
         * m log(2 pi v) + RSS / v at v = max(RSS / m, floor).  Keeping the
         * floor inside the maximization keeps the cost subadditive. */
        double rss = tly_cp_rss(f->sums, a, b);
        double v = rss / m;
        if (!(v > f->var_floor)) {
            v = f->var_floor;
        }
        c = m * log(TWO_PI * v) + rss / v;
        break;
    }
    case TALLY_CP_COST_POISSON:
    default: {
        /* -2 log L at lambda = S / m without the sum of log y!:
         * -2 (S log(S / m) - S); 0 log 0 = 0. */
        double sum = f->sums->raw[b] - f->sums->raw[a];
        c = sum > 0.0 ? -2.0 * (sum * log(sum / m) - sum) : 0.0;
        break;
    }
    }
    if (f->mbic) {
        /* Zhang & Siegmund (2007): + log(n_j / n) per segment. */
        c += log(m) - f->log_n;
    }
    return c;
}

/* The mean of y[0..m-1]: sum / m, corrected by the mean of the residuals
 * about it (Chan, Golub & LeVeque's corrected two-pass algorithm). */
static double seg_mean(const double *y, size_t m)
{
    double sum = 0.0, corr = 0.0;
    for (size_t i = 0; i < m; i++) {
        sum += y[i];
    }
    double mean = sum / (double)m;
    for (size_t i = 0; i < m; i++) {
        corr += y[i] - mean;
    }
    return mean + corr / (double)m;
}

void tly_cp_ols(const double *y, size_t m, size_t k, size_t offset,
                double *coef, double *rss, double *xtx)
{
    if (k == 1) {
        /* Two passes: the mean (with the corrected two-pass formula, which
         * adds back the rounding error of the first sum), then the sum of
         * squared deviations. */
        double mean = seg_mean(y, m), ss = 0.0;
        for (size_t i = 0; i < m; i++) {
            ss += (y[i] - mean) * (y[i] - mean);
        }
        coef[0] = mean;
        *rss = ss;
        xtx[0] = (double)m;
        return;
    }
    /* y = c0 + c1 t with t = offset + 1 .. offset + m, in centred form:
     * c1 = S_ty / S_tt with S_tt = m (m^2 - 1) / 12 (consecutive integers),
     * c0 = ybar - c1 tbar; the residuals are then summed directly. */
    double tbar = (double)offset + ((double)m + 1.0) / 2.0;
    double ybar = seg_mean(y, m), sty = 0.0, ss = 0.0;
    double stt = (double)m * ((double)m * (double)m - 1.0) / 12.0;
    for (size_t i = 0; i < m; i++) {
        sty += ((double)(offset + i + 1) - tbar) * (y[i] - ybar);
    }
    double c1 = stt > 0.0 ? sty / stt : NAN;
    for (size_t i = 0; i < m; i++) {
        double e = y[i] - ybar - c1 * ((double)(offset + i + 1) - tbar);
        ss += e * e;
    }
    coef[0] = ybar - c1 * tbar;
    coef[1] = c1;
    *rss = ss;
    /* X'X of the columns (1, t): [m, sum t; sum t, sum t^2]. */
    xtx[0] = (double)m;
    xtx[1] = xtx[2] = (double)m * tbar;
    xtx[3] = stt + (double)m * tbar * tbar;
}
