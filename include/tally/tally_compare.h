/* SPDX-License-Identifier: MIT
 *
 * Before/after comparison of two windows of a count series (tally compare).
 *
 * Given the values of a "before" and an "after" window (periods, one value
 * each), this module computes, with R as the reference
 * (shared/reference/README.md, "compare"):
 *
 *   - totals, means per period and the percent change of the mean;
 *   - the exact conditional rate-ratio test of two Poisson counts,
 *     poisson.test(c(total_after, total_before), T = c(n_after, n_before)):
 *     Clopper-Pearson interval of the binomial proportion transformed to the
 *     ratio scale, binom.test's two-sided p-value (relative tolerance
 *     1 + 1e-7);
 *   - the quasi-Poisson Wald test of glm(y ~ after, family = quasipoisson)
 *     (closed form: the fitted values are the window means), robust to
 *     overdispersion;
 *   - a negative binomial (NB2) Wald test, MASS::glm.nb(y ~ after), with the
 *     shape theta by maximum likelihood (closed form for the means);
 *   - Welch's t test, t.test(after, before, var.equal = FALSE);
 *   - the Mann-Whitney (Wilcoxon rank-sum) test,
 *     wilcox.test(after, before, exact = NULL, correct = TRUE).
 *
 * Ratios and differences are after / before and after - before.  Values
 * that are NaN are missing: they are left out and counted.  A quantity that
 * is undefined on the data (a Welch test with one value in a window, a rate
 * ratio of non-integer values, a Wald test when a window's total is 0) is
 * NaN, and the result's `notes` say why.
 */
#ifndef TALLY_COMPARE_H
#define TALLY_COMPARE_H

#include <stddef.h>

#include "tally/tally_frame.h"
#include "tally/tally_period.h"

/* One window: its range and summary of the values used. */
typedef struct {
    tally_period from; /* first period (inclusive) */
    tally_period to;   /* last period (inclusive) */
    size_t n;          /* periods with a value (used) */
    size_t n_missing;  /* periods whose value is missing (left out) */
    double total;      /* sum of the values used */
    double mean;       /* total / n */
    double sd;         /* sample standard deviation (divisor n - 1) */
} tally_compare_window;

/* A ratio (after / before) with its interval and two-sided p-value. */
typedef struct {
    double estimate;  /* ratio of the means */
    double conf_low;  /* lower limit at the result's level */
    double conf_high; /* upper limit */
    double statistic; /* test statistic (t, z, or count after); NaN if none */
    double df;        /* degrees of freedom of a t statistic, else NaN */
    double p_value;   /* two-sided p-value for ratio = 1 */
} tally_compare_ratio;

/* Welch's two-sample t test (after - before). */
typedef struct {
    double estimate;  /* mean(after) - mean(before) */
    double statistic; /* t */
    double df;        /* Welch-Satterthwaite degrees of freedom */
    double p_value;   /* two-sided */
    double conf_low;  /* interval of the difference */
    double conf_high;
} tally_compare_welch;

/* The Mann-Whitney / Wilcoxon rank-sum test. */
typedef struct {
    double statistic; /* W = rank sum of after - n_a(n_a + 1)/2 */
    double p_value;   /* two-sided */
    int exact;        /* 1: exact null distribution; 0: normal approx. */
} tally_compare_mw;

/* Everything compare computes. */
typedef struct {
    tally_freq freq;                  /* frequency of the periods */
    double level;                     /* confidence level, e.g. 0.95 */
    tally_compare_window before;      /* the reference window */
    tally_compare_window after;       /* the window compared with it */
    double percent_change;            /* 100 (mean_after / mean_before - 1) */
    int counts;                       /* 1 when every value used is a
                                         non-negative integer */
    tally_compare_ratio rate_ratio;   /* exact conditional Poisson test */
    tally_compare_ratio quasipoisson; /* quasi-Poisson GLM, t(n - 2) */
    double qp_dispersion;             /* Pearson X^2 / (n - 2) */
    tally_compare_ratio negbin;       /* NB2 GLM, Wald z */
    double nb_theta;                  /* NB2 shape (Inf: no overdispersion
                                         found, the Poisson limit) */
    tally_compare_welch welch;        /* Welch t test */
    tally_compare_mw mann_whitney;    /* rank-sum test */
    char notes[512];                  /* why some quantities are NaN, ""
                                         when all are defined */
} tally_compare_result;

/* Compare two samples given as arrays (NaN = missing).  before/nb and
 * after/na are the windows' values in period order; level is the
 * confidence level in (0, 1).  The windows' from/to fields are left 0 (the
 * frame variant fills them).  Returns TALLY_OK, TALLY_EINVAL (bad level),
 * TALLY_EMISSING (a window has no value: nothing to compare) or
 * TALLY_ENOMEM; r is untouched on error. */
int tally_compare_test(const double *before, size_t nb, const double *after,
                       size_t na, double level, tally_compare_result *r);

/* Compare the windows [b_from, b_to] and [a_from, a_to] (inclusive) of
 * column col of frame f; level as above.  Returns TALLY_OK, TALLY_EINVAL
 * (bad column or level), TALLY_ERANGE (a window reversed, overlapping the
 * other, or not inside the series: a usage error), TALLY_EMISSING (a window
 * holds no value at all, only missing ones) or TALLY_ENOMEM.  Missing
 * values inside a window are left out and counted in n_missing. */
int tally_compare_frame(const tally_frame *f, size_t col, tally_period b_from,
                        tally_period b_to, tally_period a_from,
                        tally_period a_to, double level,
                        tally_compare_result *r);

/* ---- Exact tests shared with other modules (src/stats/exact_tests.c) ---- */

/* Two-sided binom.test p-value of x successes in n trials for probability
 * p: the sum of the probabilities of outcomes no more likely than x (R's
 * relative tolerance 1 + 1e-7).  NaN for invalid input. */
double tally_binom_test_p(unsigned long x, unsigned long n, double p);

/* Clopper-Pearson interval of x successes in n trials at level (0, 1). */
void tally_binom_ci(unsigned long x, unsigned long n, double level, double *low,
                    double *high);

/* P(U <= u) for the Mann-Whitney statistic U of samples of sizes m and n
 * without ties (exact null distribution, R's pwilcox).  m, n <= 200. */
double tally_wilcox_cdf(double u, size_t m, size_t n);

#endif /* TALLY_COMPARE_H */
