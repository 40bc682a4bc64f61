/* SPDX-License-Identifier: MIT
 *
 * Before/after comparison of two windows of a series (tally compare): the
 * summaries, the exact Poisson rate-ratio test, the quasi-Poisson and
 * negative binomial Wald tests of glm(y ~ after), Welch's t test and the
 * Mann-Whitney test, each following R (shared/reference/README.md,
 * "compare").  The GLMs have one binary regressor, so their maximum
 * likelihood fitted values are the window means and everything is in
 * closed form except the negative binomial shape, found by a 1-D root
 * search on its score.
 */
#include "core/text_int.h"
#include "tally/tally_compare.h"
#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest NB shape we distinguish from the Poisson limit: beyond it the
 * variance excess mu^2 / theta is below 1e-10 of a mean of 100. */
#define NB_THETA_MAX 1e12

/* Append a sentence to the result's notes (truncated if full). */
static void note(tally_compare_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tly_vappend(r->notes, sizeof r->notes, " ", fmt, ap);
    va_end(ap);
}

static void ratio_nan(tally_compare_ratio *q)
{
    q->estimate = q->conf_low = q->conf_high = NAN;
    q->statistic = q->df = q->p_value = NAN;
}

/* Copy the non-missing values of x[0..n) into out; fill the window's n,
 * n_missing, total, mean and sd (Welford's running mean and variance). */
static size_t collect(const double *x, size_t n, double *out,
                      tally_compare_window *w)
{
    size_t k = 0;
    double mean = 0.0, m2 = 0.0, total = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            continue;
        }
        out[k++] = x[i];
        total += x[i];
        double d = x[i] - mean;
        mean += d / (double)k;
        m2 += d * (x[i] - mean);
    }
    w->n = k;
    w->n_missing = n - k;
    w->total = total;
    w->mean = k > 0 ? total / (double)k : NAN;
    w->sd = k > 1 ? sqrt(m2 / (double)(k - 1)) : NAN;
    return k;
}

/* 1 when every value is a non-negative whole number that fits a count. */
static int all_counts(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] >= 0.0) || x[i] != floor(x[i]) || x[i] > 1e15) {
            return 0;
        }
    }
    return 1;
}

/* poisson.test(c(xa, xb), T = c(ta, tb)): conditional on the sum, xa is
 * Binomial(xa + xb, ta / (ta + tb)) under equal rates.  The interval of the
 * proportion pi maps to the ratio as pi / (1 - pi) * tb / ta. */
static void rate_ratio(tally_compare_result *r)
{
    tally_compare_ratio *q = &r->rate_ratio;
    ratio_nan(q);
    if (!r->counts) {
        note(r, "The exact rate ratio needs non-negative whole counts.");
        return;
    }
    double ta = (double)r->after.n, tb = (double)r->before.n;
    unsigned long xa = (unsigned long)r->after.total;
    unsigned long xb = (unsigned long)r->before.total;
    if (xa + xb == 0) {
        note(r, "Both windows total 0: no rate ratio.");
        return;
    }
    if ((double)xa + (double)xb > 4e9) {
        note(r, "Totals above 4e9 are beyond the exact test.");
        return;
    }
    q->estimate = ((double)xa / ta) / ((double)xb / tb);
    q->statistic = (double)xa;
    double lo, hi;
    tally_binom_ci(xa, xa + xb, r->level, &lo, &hi);
    q->conf_low = lo / (1.0 - lo) * tb / ta;
    q->conf_high = hi < 1.0 ? hi / (1.0 - hi) * tb / ta : INFINITY;
    q->p_value = tally_binom_test_p(xa, xa + xb, ta / (ta + tb));
}

/* glm(y ~ after, family = quasipoisson): b = log(mean_a / mean_b); the
 * Poisson information of b is the harmonic combination of the totals,
 * Var(b) = phi (1 / total_a + 1 / total_b), with phi = Pearson X^2 / (n - 2)
 * and X^2 = sum (y - mean_g)^2 / mean_g over both windows.  t(n - 2). */
static void quasipoisson(tally_compare_result *r, const double *b, size_t nb,
                         const double *a, size_t na)
{
    tally_compare_ratio *q = &r->quasipoisson;
    ratio_nan(q);
    r->qp_dispersion = NAN;
    double mb = r->before.mean, ma = r->after.mean;
    for (size_t i = 0; i < nb; i++) {
        if (b[i] < 0.0) {
            note(r, "Negative values: no quasi-Poisson or negative binomial "
                    "test.");
            return;
        }
    }
    for (size_t i = 0; i < na; i++) {
        if (a[i] < 0.0) {
            note(r, "Negative values: no quasi-Poisson or negative binomial "
                    "test.");
            return;
        }
    }
    size_t df = na + nb - 2;
    if (na + nb <= 2) {
        note(r, "Two values in all: no quasi-Poisson test (0 residual df).");
        return;
    }
    double x2 = 0.0;
    for (size_t i = 0; i < nb; i++) {
        x2 += mb > 0.0 ? (b[i] - mb) * (b[i] - mb) / mb : 0.0;
    }
    for (size_t i = 0; i < na; i++) {
        x2 += ma > 0.0 ? (a[i] - ma) * (a[i] - ma) / ma : 0.0;
    }
    double phi = x2 / (double)df;
    r->qp_dispersion = phi;
    if (mb > 0.0) {
        q->estimate = ma / mb;
    }
    if (!(ma > 0.0 && mb > 0.0)) {
        note(r, "A window totals 0: the quasi-Poisson and negative binomial "
                "Wald tests are undefined (the log ratio is infinite).");
        return;
    }
    double lb = log(ma / mb);
    double se = sqrt(phi * (1.0 / r->after.total + 1.0 / r->before.total));
    double tq = gsl_cdf_tdist_Pinv(0.5 + r->level / 2.0, (double)df);
    q->statistic = lb / se;
    q->df = (double)df;
    q->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(q->statistic), (double)df);
    q->conf_low = exp(lb - tq * se);
    q->conf_high = exp(lb + tq * se);
}

/* NB2 log-likelihood contributions that depend on theta, for values y with
 * fitted mean mu (the window mean): lgamma(y + theta) - lgamma(theta)
 * + theta log theta + y log mu - (y + theta) log(theta + mu), whose
 * derivative in theta (the score) is
 *   psi(y + theta) - psi(theta) + log(theta / (theta + mu))
 *   + (mu - y) / (theta + mu).
 * A window of zeros (mu = 0) contributes nothing. */
typedef struct {
    const double *b, *a; /* the two windows' values */
    size_t nb, na;
    double mb, ma; /* their means */
} nb_data;

static double nb_score_part(const double *y, size_t n, double mu, double th)
{
    double s = 0.0;
    if (mu <= 0.0) {
        return 0.0;
    }
    for (size_t i = 0; i < n; i++) {
        s += gsl_sf_psi(y[i] + th) - gsl_sf_psi(th) - log1p(mu / th) +
             (mu - y[i]) / (th + mu);
    }
    return s;
}

static double nb_score(const nb_data *d, double th)
{
    return nb_score_part(d->b, d->nb, d->mb, th) +
           nb_score_part(d->a, d->na, d->ma, th);
}

/* The ML shape: the unique root of the score when the values are
 * overdispersed (sum (y - mu)^2 > sum y), else infinity (the Poisson
 * limit), as for one Poisson-vs-NB sample (the score's leading term for
 * large theta is (sum (y - mu)^2 - sum y) / (2 theta^2)). */
static double nb_theta(const nb_data *d)
{
    double ss = 0.0, sy = 0.0, smu2 = 0.0;
    for (size_t i = 0; i < d->nb; i++) {
        ss += (d->b[i] - d->mb) * (d->b[i] - d->mb);
        sy += d->b[i];
        smu2 += d->mb * d->mb;
    }
    for (size_t i = 0; i < d->na; i++) {
        ss += (d->a[i] - d->ma) * (d->a[i] - d->ma);
        sy += d->a[i];
        smu2 += d->ma * d->ma;
    }
    if (!(ss > sy)) {
        return INFINITY;
    }
    /* Moment estimate: sum (y - mu)^2 - sum mu = sum mu^2 / theta. */
    double th0 = smu2 / (ss - sy);
    double lo = th0, hi = th0;
    for (int i = 0; i < 200 && nb_score(d, lo) <= 0.0; i++) {
        lo /= 2.0;
    }
    for (int i = 0; i < 200 && nb_score(d, hi) >= 0.0; i++) {
        hi *= 2.0;
        if (hi > NB_THETA_MAX) {
            return INFINITY;
        }
    }
    /* Bisection in log theta to full precision (the score is monotone
     * decreasing through its root); 200 halvings of a bracket of at most
     * 2^400 reach the last bit. */
    for (int it = 0; it < 400 && hi / lo > 1.0 + 4e-16; it++) {
        double mid = sqrt(lo * hi);
        if (nb_score(d, mid) > 0.0) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return sqrt(lo * hi);
}

/* MASS::glm.nb(y ~ after): b = log(mean_a / mean_b) again; at the ML shape
 * the IRLS weights are mu theta / (theta + mu), so
 * Var(b) = 1 / (n_a w_a) + 1 / (n_b w_b); Wald z (summary.negbin). */
static void negbin(tally_compare_result *r, const double *b, size_t nb,
                   const double *a, size_t na)
{
    tally_compare_ratio *q = &r->negbin;
    ratio_nan(q);
    r->nb_theta = NAN;
    double mb = r->before.mean, ma = r->after.mean;
    if (isnan(r->qp_dispersion)) {
        return; /* negative values or no residual df: noted already */
    }
    nb_data d = {b, a, nb, na, mb, ma};
    double th = nb_theta(&d);
    r->nb_theta = th;
    if (isinf(th)) {
        note(r, "No overdispersion: the negative binomial is the Poisson "
                "limit (theta infinite).");
    }
    if (mb > 0.0) {
        q->estimate = ma / mb;
    }
    if (!(ma > 0.0 && mb > 0.0)) {
        return;
    }
    double wb = isinf(th) ? mb : mb * th / (th + mb);
    double wa = isinf(th) ? ma : ma * th / (th + ma);
    double lb = log(ma / mb);
    double se = sqrt(1.0 / ((double)na * wa) + 1.0 / ((double)nb * wb));
    double z = gsl_cdf_ugaussian_Pinv(0.5 + r->level / 2.0);
    q->statistic = lb / se;
    q->p_value = 2.0 * gsl_cdf_ugaussian_Q(fabs(q->statistic));
    q->conf_low = exp(lb - z * se);
    q->conf_high = exp(lb + z * se);
}

/* t.test(after, before, var.equal = FALSE). */
static void welch(tally_compare_result *r)
{
    tally_compare_welch *w = &r->welch;
    w->estimate = r->after.mean - r->before.mean;
    w->statistic = w->df = w->p_value = w->conf_low = w->conf_high = NAN;
    size_t na = r->after.n, nb = r->before.n;
    if (na < 2 || nb < 2) {
        note(r, "Welch's test needs at least 2 values in each window.");
        return;
    }
    double va = r->after.sd * r->after.sd / (double)na;
    double vb = r->before.sd * r->before.sd / (double)nb;
    double se = sqrt(va + vb);
    /* R refuses data that are essentially constant. */
    double scale = fmax(fabs(r->after.mean), fabs(r->before.mean));
    if (!(se > 10.0 * 2.220446049250313e-16 * scale) || se == 0.0) {
        note(r, "Both windows are constant: no Welch test.");
        return;
    }
    /* Welch-Satterthwaite degrees of freedom. */
    w->df = (va + vb) * (va + vb) /
            (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
    w->statistic = w->estimate / se;
    w->p_value = 2.0 * gsl_cdf_tdist_Q(fabs(w->statistic), w->df);
    double tq = gsl_cdf_tdist_Pinv(0.5 + r->level / 2.0, w->df);
    w->conf_low = w->estimate - tq * se;
    w->conf_high = w->estimate + tq * se;
}

/* Ordering of the pooled values for midranks. */
typedef struct {
    double v;
    int after;
} pooled;

static int cmp_pooled(const void *x, const void *y)
{
    double a = ((const pooled *)x)->v, b = ((const pooled *)y)->v;
    return (a > b) - (a < b);
}

/* wilcox.test(after, before, exact = NULL, correct = TRUE). */
static int mann_whitney(tally_compare_result *r, const double *b, size_t nb,
                        const double *a, size_t na)
{
    tally_compare_mw *m = &r->mann_whitney;
    size_t n = na + nb;
    pooled *p = malloc(n * sizeof *p);
    if (p == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory ranking %zu values", n);
    }
    for (size_t i = 0; i < na; i++) {
        p[i].v = a[i];
        p[i].after = 1;
    }
    for (size_t i = 0; i < nb; i++) {
        p[na + i].v = b[i];
        p[na + i].after = 0;
    }
    qsort(p, n, sizeof *p, cmp_pooled);
    /* Midranks: a run of t equal values at positions i..i+t-1 (1-based
     * i + 1 ..) all get the mean rank i + (t + 1) / 2; the run adds
     * t^3 - t to the tie correction. */
    double ranksum = 0.0, ties = 0.0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && p[j].v == p[i].v) {
            j++;
        }
        double t = (double)(j - i);
        double rank = (double)i + (t + 1.0) / 2.0;
        for (size_t k = i; k < j; k++) {
            ranksum += p[k].after ? rank : 0.0;
        }
        ties += t * t * t - t;
        i = j;
    }
    free(p);
    double mn = (double)na * (double)nb;
    m->statistic = ranksum - (double)na * ((double)na + 1.0) / 2.0;
    m->exact = na < 50 && nb < 50 && ties == 0.0;
    if (m->exact) {
        /* Two-sided: twice the smaller tail, using the symmetry of U
         * about mn / 2 for the upper one: P(U >= W) = P(U <= mn - W). */
        double tail = m->statistic > mn / 2.0
                          ? tally_wilcox_cdf(mn - m->statistic, na, nb)
                          : tally_wilcox_cdf(m->statistic, na, nb);
        m->p_value = fmin(2.0 * tail, 1.0);
        return TALLY_OK;
    }
    /* Normal approximation: Var(W) = mn/12 ((N + 1) - sum(t^3 - t) /
     * (N (N - 1))), continuity correction 0.5 towards the mean. */
    double dn = (double)n;
    double sigma = sqrt(mn / 12.0 * ((dn + 1.0) - ties / (dn * (dn - 1.0))));
    double z = m->statistic - mn / 2.0;
    double corr = z > 0.0 ? 0.5 : (z < 0.0 ? -0.5 : 0.0);
    z = (z - corr) / sigma;
    if (!(sigma > 0.0)) {
        note(r, "All values are equal: no Mann-Whitney p-value.");
        m->p_value = NAN;
        return TALLY_OK;
    }
    m->p_value = 2.0 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
    return TALLY_OK;
}

int tally_compare_test(const double *before, size_t nb, const double *after,
                       size_t na, double level, tally_compare_result *out)
{
    if (!(level > 0.0 && level < 1.0)) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "confidence level %g is not between 0 and 1", level);
    }
    tally_compare_result *r = calloc(1, sizeof *r);
    double *b = malloc((nb ? nb : 1) * sizeof *b);
    double *a = malloc((na ? na : 1) * sizeof *a);
    int st = TALLY_OK;
    if (r == NULL || b == NULL || a == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory comparing windows");
        goto done;
    }
    r->level = level;
    size_t kb = collect(before, nb, b, &r->before);
    size_t ka = collect(after, na, a, &r->after);
    if (kb == 0 || ka == 0) {
        st = TALLY_ERROR(TALLY_EMISSING,
                         "the %s window has no value (%zu "
                         "periods, all missing)",
                         kb == 0 ? "before" : "after", kb == 0 ? nb : na);
        goto done;
    }
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    r->percent_change = r->before.mean != 0.0
                            ? 100.0 * (r->after.mean / r->before.mean - 1.0)
                            : NAN;
    r->counts = all_counts(b, kb) && all_counts(a, ka);
    rate_ratio(r);
    quasipoisson(r, b, kb, a, ka);
    negbin(r, b, kb, a, ka);
    welch(r);
    st = mann_whitney(r, b, kb, a, ka);
    gsl_set_error_handler(old);
    if (st == TALLY_OK) {
        *out = *r;
    }
done:
    free(r);
    free(b);
    free(a);
    return st;
}

int tally_compare_frame(const tally_frame *f, size_t col, tally_period b_from,
                        tally_period b_to, tally_period a_from,
                        tally_period a_to, double level,
                        tally_compare_result *r)
{
    char s1[TALLY_PERIOD_BUFSIZE], s2[TALLY_PERIOD_BUFSIZE];
    char s3[TALLY_PERIOD_BUFSIZE], s4[TALLY_PERIOD_BUFSIZE];
    if (col >= f->ncol) {
        return TALLY_ERROR(TALLY_EINVAL, "no column %zu in the series", col);
    }
    if (f->n == 0) {
        return TALLY_ERROR(TALLY_ERANGE, "the series is empty");
    }
    tally_period first = f->start, last = f->start + (tally_period)f->n - 1;
    tally_period from[2] = {b_from, a_from}, to[2] = {b_to, a_to};
    const char *name[2] = {"before", "after"};
    for (int w = 0; w < 2; w++) {
        tally_period_format(f->freq, from[w], s1, sizeof s1);
        tally_period_format(f->freq, to[w], s2, sizeof s2);
        if (from[w] > to[w]) {
            return TALLY_ERROR(TALLY_ERANGE,
                               "the %s window %s:%s ends before "
                               "it starts",
                               name[w], s1, s2);
        }
        if (from[w] < first || to[w] > last) {
            return TALLY_ERROR(
                TALLY_ERANGE,
                "the %s window %s:%s is not inside the series "
                "(%s to %s)",
                name[w], s1, s2,
                tally_period_format(f->freq, first, s3, sizeof s3),
                tally_period_format(f->freq, last, s4, sizeof s4));
        }
    }
    if (b_from <= a_to && a_from <= b_to) {
        return TALLY_ERROR(TALLY_ERANGE,
                           "the before window %s:%s and the "
                           "after window %s:%s overlap",
                           tally_period_format(f->freq, b_from, s1, sizeof s1),
                           tally_period_format(f->freq, b_to, s2, sizeof s2),
                           tally_period_format(f->freq, a_from, s3, sizeof s3),
                           tally_period_format(f->freq, a_to, s4, sizeof s4));
    }
    const double *y = f->cols[col];
    for (int w = 0; w < 2; w++) {
        size_t have = 0;
        for (tally_period p = from[w]; p <= to[w]; p++) {
            have += !isnan(y[p - first]);
        }
        if (have == 0) {
            size_t len = (size_t)(to[w] - from[w] + 1);
            return TALLY_ERROR(
                TALLY_EMISSING,
                "the %s window %s:%s has no value: its %zu "
                "period%s %s missing",
                name[w], tally_period_format(f->freq, from[w], s1, sizeof s1),
                tally_period_format(f->freq, to[w], s2, sizeof s2), len,
                len == 1 ? "" : "s", len == 1 ? "is" : "are all");
        }
    }
    int st = tally_compare_test(
        y + (b_from - first), (size_t)(b_to - b_from + 1), y + (a_from - first),
        (size_t)(a_to - a_from + 1), level, r);
    if (st != TALLY_OK) {
        return st;
    }
    r->freq = f->freq;
    r->before.from = b_from;
    r->before.to = b_to;
    r->after.from = a_from;
    r->after.to = a_to;
    return TALLY_OK;
}
