/* SPDX-License-Identifier: MIT
 *
 * PELT and binary segmentation against slow, obviously correct searches:
 *
 *   - brute force: every subset of break positions of a short series
 *     (n <= 12), each segment's cost computed from its values directly;
 *   - exhaustive optimal partitioning: the O(n^2) recursion F(t) =
 *     min_tau F(tau) + C(tau, t) + beta without pruning, again with direct
 *     segment costs;
 *   - greedy binary segmentation recomputed from scratch at every step.
 *
 * For each cost (normal, meanvar, Poisson), penalty (BIC, MBIC, a number)
 * and minimum segment length, PELT must reach the optimum exactly (same
 * objective, same partition), binary segmentation must equal the slow
 * greedy search and never beat the optimum.  Objectives are compared to
 * rtol 1e-9: the library sums prefix sums, the tests sum each segment
 * afresh, and the objectives are sums of logs of order n log n.
 */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_changepoint.h"
#include "tally/tally_status.h"

#define TOL 1e-9

/* 2 pi (M_PI is not in ISO C). */
static const double TWO_PI = 6.283185307179586476925286766559;

/* Everything the slow searches need to score a segment the way the
 * library defines its objective (see tally_changepoint.h). */
typedef struct {
    const double *y;
    size_t n;
    tally_cp_cost cost;
    int mbic;
    double beta;      /* penalty per break (the library's penalty_value) */
    double sigma;     /* normal: the sd the library used */
    double var_floor; /* meanvar: the library's variance floor */
    size_t h;         /* minimum segment length */
} problem;

/* -2 log-likelihood of y[a..b-1] at its maximum-likelihood parameters,
 * from the values themselves (two passes), plus log((b-a)/n) for MBIC. */
static double seg_cost(const problem *p, size_t a, size_t b)
{
    double m = (double)(b - a), mean = 0.0, rss = 0.0, sum = 0.0, c;
    for (size_t i = a; i < b; i++) {
        sum += p->y[i];
    }
    mean = sum / m;
    for (size_t i = a; i < b; i++) {
        rss += (p->y[i] - mean) * (p->y[i] - mean);
    }
    if (p->cost == TALLY_CP_COST_NORMAL) {
        double v = p->sigma * p->sigma;
        c = m * log(TWO_PI * v) + rss / v;
    } else if (p->cost == TALLY_CP_COST_MEANVAR) {
        double v = rss / m > p->var_floor ? rss / m : p->var_floor;
        c = m * log(TWO_PI * v) + rss / v;
    } else {
        double ll = sum > 0.0 ? sum * log(sum / m) - sum : 0.0;
        for (size_t i = a; i < b; i++) {
            ll -= lgamma(p->y[i] + 1.0);
        }
        c = -2.0 * ll;
    }
    if (p->mbic) {
        c += log(m / (double)p->n);
    }
    return c;
}

/* The objective of a partition given by its breaks. */
static double objective(const problem *p, const size_t *bp, size_t m)
{
    double total = p->beta * (double)m;
    for (size_t j = 0; j <= m; j++) {
        size_t a = j == 0 ? 0 : bp[j - 1], b = j == m ? p->n : bp[j];
        total += seg_cost(p, a, b);
    }
    return total;
}

/* Every subset of {1..n-1} whose segments are all at least h long. */
static double brute_force(const problem *p, size_t *best, size_t *nbest)
{
    double bestv = INFINITY;
    size_t bp[16];
    for (unsigned long mask = 0; mask < (1UL << (p->n - 1)); mask++) {
        size_t m = 0, prev = 0;
        int ok = 1;
        for (size_t i = 1; i < p->n; i++) {
            if (mask & (1UL << (i - 1))) {
                if (i - prev < p->h) {
                    ok = 0;
                    break;
                }
                bp[m++] = i;
                prev = i;
            }
        }
        if (!ok || p->n - prev < p->h) {
            continue;
        }
        double v = objective(p, bp, m);
        if (v < bestv) {
            bestv = v;
            *nbest = m;
            memcpy(best, bp, m * sizeof *bp);
        }
    }
    return bestv;
}

/* Optimal partitioning without pruning: F(t) over every admissible last
 * change, O(n^2) segment costs. */
static double optimal_partition(const problem *p, size_t *best, size_t *nbest)
{
    size_t n = p->n;
    double *F = malloc((n + 1) * sizeof *F);
    size_t *last = malloc((n + 1) * sizeof *last);
    cr_assert(F != NULL && last != NULL);
    F[0] = -p->beta;
    for (size_t t = 1; t <= n; t++) {
        F[t] = INFINITY;
        last[t] = 0;
        for (size_t tau = 0; tau + p->h <= t; tau++) {
            if (tau > 0 && tau < p->h) {
                continue;
            }
            double v = F[tau] + seg_cost(p, tau, t) + p->beta;
            if (v < F[t]) {
                F[t] = v;
                last[t] = tau;
            }
        }
    }
    size_t m = 0;
    for (size_t t = n; last[t] > 0; t = last[t]) {
        best[m++] = last[t];
    }
    for (size_t i = 0; i < m / 2; i++) {
        size_t s = best[i];
        best[i] = best[m - 1 - i];
        best[m - 1 - i] = s;
    }
    *nbest = m;
    double v = F[n];
    free(F);
    free(last);
    return v;
}

static int cmp_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

/* Greedy binary segmentation, recomputing every gain at every step: split
 * where the total cost falls most, while the fall exceeds beta. */
static size_t slow_binseg(const problem *p, size_t max_breaks, size_t *bp)
{
    size_t m = 0;
    while (m < max_breaks) {
        size_t sorted[64];
        memcpy(sorted, bp, m * sizeof *bp);
        qsort(sorted, m, sizeof *sorted, cmp_size);
        double best = -INFINITY;
        size_t where = 0;
        for (size_t j = 0; j <= m; j++) {
            size_t a = j == 0 ? 0 : sorted[j - 1];
            size_t b = j == m ? p->n : sorted[j];
            for (size_t s = a + p->h; s + p->h <= b; s++) {
                double gain = seg_cost(p, a, b) - seg_cost(p, a, s)
                              - seg_cost(p, s, b);
                if (gain > best) {
                    best = gain;
                    where = s;
                }
            }
        }
        if (!(best > p->beta)) {
            break;
        }
        bp[m++] = where;
    }
    qsort(bp, m, sizeof *bp, cmp_size);
    return m;
}

/* A piecewise series: regimes of random length with random levels. */
static void simulate(gsl_rng *rng, tally_cp_cost cost, double *y, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t len = 2 + gsl_rng_uniform_int(rng, n / 3 + 1);
        double level = 1.0 + 6.0 * gsl_rng_uniform(rng);
        double sd = 0.5 + 2.0 * gsl_rng_uniform(rng);
        for (size_t j = 0; j < len && i < n; j++, i++) {
            if (cost == TALLY_CP_COST_POISSON) {
                y[i] = (double)gsl_ran_poisson(rng, level);
            } else {
                y[i] = level + gsl_ran_gaussian(rng, sd);
            }
        }
    }
}

/* Fit with the library and fill the matching problem. */
static tally_cp_result *fit(const double *y, size_t n, tally_cp_method method,
                            tally_cp_cost cost, tally_cp_penalty pen,
                            double value, size_t h, problem *p)
{
    tally_cp_options o;
    tally_cp_options_init(&o);
    o.method = method;
    o.cost = cost;
    o.penalty = pen;
    o.penalty_value = value;
    o.min_size = h;
    tally_cp_result *r = NULL;
    int st = tally_cp_fit(y, n, &o, &r);
    cr_assert_eq(st, TALLY_OK, "%s", tally_last_error());
    p->y = y;
    p->n = n;
    p->cost = cost;
    p->mbic = pen == TALLY_CP_PEN_MBIC;
    p->beta = r->penalty_value;
    p->sigma = r->sigma;
    p->var_floor = r->var_floor;
    p->h = r->h;
    return r;
}

static void expect_same_partition(const tally_cp_result *r, const size_t *bp,
                                  size_t m, const char *what)
{
    cr_expect_eq(r->nbreaks, m, "%s: %zu breaks, expected %zu", what,
                 r->nbreaks, m);
    for (size_t j = 0; j < m && j < r->nbreaks; j++) {
        cr_expect_eq(r->breaks[j].index, bp[j], "%s: break %zu", what, j);
    }
}

static const tally_cp_cost costs[] = {TALLY_CP_COST_NORMAL,
                                      TALLY_CP_COST_MEANVAR,
                                      TALLY_CP_COST_POISSON};
static const tally_cp_penalty pens[] = {TALLY_CP_PEN_BIC, TALLY_CP_PEN_MBIC,
                                        TALLY_CP_PEN_MANUAL};

Test(pelt, equals_brute_force_on_tiny_series)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20240601);
    double y[12];
    size_t best[16], nbest = 0;
    int cases = 0;
    for (size_t c = 0; c < 3; c++) {
        for (size_t q = 0; q < 3; q++) {
            for (size_t rep = 0; rep < 12; rep++) {
                size_t n = 6 + rep % 7;
                size_t h = (costs[c] == TALLY_CP_COST_MEANVAR ? 2 : 1)
                           + rep % 2;
                simulate(rng, costs[c], y, n);
                /* A small manual penalty makes many breaks worth it. */
                problem p;
                tally_cp_result *r = fit(y, n, TALLY_CP_PELT, costs[c],
                                         pens[q], 1.5, h, &p);
                double v = brute_force(&p, best, &nbest);
                cr_expect(fabs(r->criterion - v) <= TOL * fabs(v) + 1e-9,
                          "cost %zu pen %zu n %zu: PELT %.17g, brute force "
                          "%.17g", c, q, n, r->criterion, v);
                expect_same_partition(r, best, nbest, "brute force");
                tally_cp_result_free(r);
                cases++;
            }
        }
    }
    cr_expect_eq(cases, 108);
    gsl_rng_free(rng);
}

Test(pelt, equals_exhaustive_optimal_partitioning)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    double y[120];
    size_t best[128], nbest = 0;
    for (size_t c = 0; c < 3; c++) {
        for (size_t q = 0; q < 3; q++) {
            for (size_t rep = 0; rep < 6; rep++) {
                size_t n = 40 + 16 * rep;
                size_t h = (costs[c] == TALLY_CP_COST_MEANVAR ? 2 : 1)
                           + (rep % 3) * 2;
                simulate(rng, costs[c], y, n);
                problem p;
                tally_cp_result *r = fit(y, n, TALLY_CP_PELT, costs[c],
                                         pens[q], 4.0, h, &p);
                double v = optimal_partition(&p, best, &nbest);
                cr_expect(fabs(r->criterion - v) <= TOL * fabs(v),
                          "cost %zu pen %zu n %zu h %zu: PELT %.17g, "
                          "optimal partitioning %.17g", c, q, n, h,
                          r->criterion, v);
                expect_same_partition(r, best, nbest, "optimal partitioning");
                /* The reported objective is the objective of the
                 * reported partition. */
                size_t bp[128];
                for (size_t j = 0; j < r->nbreaks; j++) {
                    bp[j] = r->breaks[j].index;
                }
                double w = objective(&p, bp, r->nbreaks);
                cr_expect(fabs(r->criterion - w) <= TOL * fabs(w));
                tally_cp_result_free(r);
            }
        }
    }
    gsl_rng_free(rng);
}

Test(pelt, binseg_equals_slow_greedy_and_never_beats_the_optimum)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 99);
    double y[100];
    size_t best[128], nbest = 0, greedy[64];
    for (size_t c = 0; c < 3; c++) {
        for (size_t q = 0; q < 3; q++) {
            for (size_t rep = 0; rep < 4; rep++) {
                size_t n = 50 + 16 * rep;
                size_t h = (costs[c] == TALLY_CP_COST_MEANVAR ? 2 : 1) + rep;
                simulate(rng, costs[c], y, n);
                problem p;
                tally_cp_result *r = fit(y, n, TALLY_CP_BINSEG, costs[c],
                                         pens[q], 4.0, h, &p);
                size_t m = slow_binseg(&p, 60, greedy);
                expect_same_partition(r, greedy, m, "slow greedy");
                double v = optimal_partition(&p, best, &nbest);
                cr_expect(r->criterion >= v - TOL * fabs(v));
                tally_cp_result_free(r);
            }
        }
    }
    gsl_rng_free(rng);
}

/* Binary segmentation stops at --max-breaks, taking the largest gains
 * first. */
Test(pelt, binseg_respects_max_breaks)
{
    double y[90];
    for (size_t i = 0; i < 90; i++) {
        /* Steps of 10 and 3: the bigger shift is found first. */
        y[i] = (i < 30 ? 0.0 : i < 60 ? 10.0 : 13.0)
               + (double)((i * 7) % 5) * 0.2;
    }
    tally_cp_options o;
    tally_cp_options_init(&o);
    o.method = TALLY_CP_BINSEG;
    o.max_breaks = 1;
    tally_cp_result *r = NULL;
    cr_assert_eq(tally_cp_fit(y, 90, &o, &r), TALLY_OK);
    cr_assert_eq(r->nbreaks, 1);
    cr_expect_eq(r->breaks[0].index, 30);
    tally_cp_result_free(r);
    o.max_breaks = -1;
    cr_assert_eq(tally_cp_fit(y, 90, &o, &r), TALLY_OK);
    cr_assert_eq(r->nbreaks, 2);
    cr_expect_eq(r->breaks[0].index, 30);
    cr_expect_eq(r->breaks[1].index, 60);
    tally_cp_result_free(r);
}

/* The pruning keeps the work linear: with a change every 50 points the
 * candidate set stays small, so cost evaluations per point do not grow
 * with n (an unpruned search would need n / 2 per point). */
Test(pelt, pruning_keeps_the_work_linear)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3);
    size_t n = 20000;
    double *y = malloc(n * sizeof *y);
    cr_assert(y != NULL);
    double per_point[2];
    for (int pass = 0; pass < 2; pass++) {
        size_t len = pass == 0 ? n / 4 : n;
        for (size_t i = 0; i < len; i++) {
            double rate = 2.0 + 6.0 * (double)((i / 50) % 3);
            y[i] = (double)gsl_ran_poisson(rng, rate);
        }
        tally_cp_options o;
        tally_cp_options_init(&o);
        o.method = TALLY_CP_PELT;
        o.cost = TALLY_CP_COST_POISSON;
        o.tests = 0;
        tally_cp_result *r = NULL;
        cr_assert_eq(tally_cp_fit(y, len, &o, &r), TALLY_OK);
        per_point[pass] = (double)r->evaluations / (double)len;
        cr_expect(r->nbreaks > len / 50 / 2, "%zu breaks", r->nbreaks);
        tally_cp_result_free(r);
    }
    cr_expect(per_point[1] < 1.5 * per_point[0] && per_point[1] < 200.0,
              "evaluations per point %g (n/4) and %g (n)", per_point[0],
              per_point[1]);
    free(y);
    gsl_rng_free(rng);
}

/* The noise sd of the normal cost is MAD(diff y) / sqrt 2 unless given:
 * R: y <- c(1, 4, 2, 8, 5, 7, 6, 9, 3, 10); mad(diff(y)) / sqrt(2)
 * = 4.1934260551487013.  When more than half of the differences are
 * equal the MAD is 0 and the sd of the differences is used instead: R,
 * y <- c(rep(0, 30), rep(10, 30), rep(13, 30)) + ((0:89 * 7) %% 5) * 0.2;
 * sd(diff(y)) / sqrt(2) = 0.79972224493886079. */
Test(pelt, sigma_estimate_is_mad_of_differences)
{
    static const double y[10] = {1, 4, 2, 8, 5, 7, 6, 9, 3, 10};
    tally_cp_options o;
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    tally_cp_result *r = NULL;
    cr_assert_eq(tally_cp_fit(y, 10, &o, &r), TALLY_OK);
    cr_expect(fabs(r->sigma - 4.1934260551487013) < 1e-12, "%.17g",
              r->sigma);
    tally_cp_result_free(r);
    o.sigma = 2.5;
    cr_assert_eq(tally_cp_fit(y, 10, &o, &r), TALLY_OK);
    cr_expect_eq(r->sigma, 2.5);
    tally_cp_result_free(r);
    double steps[90];
    for (size_t i = 0; i < 90; i++) {
        steps[i] = (i < 30 ? 0.0 : i < 60 ? 10.0 : 13.0)
                   + (double)((i * 7) % 5) * 0.2;
    }
    o.sigma = NAN;
    cr_assert_eq(tally_cp_fit(steps, 90, &o, &r), TALLY_OK);
    cr_expect(fabs(r->sigma - 0.79972224493886079) < 1e-12, "%.17g",
              r->sigma);
    tally_cp_result_free(r);
}
