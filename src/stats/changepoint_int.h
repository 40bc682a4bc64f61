/* SPDX-License-Identifier: MIT
 *
 * Internals shared by the change-point files (never installed): prefix
 * sums that give any segment's least-squares fit or likelihood cost in
 * O(1), the dynamic programmes and the tests.  Segments are half-open,
 * [a, b) in 0-based indices, so a segment of observations a..b-1 has
 * b - a of them.
 */
#ifndef TALLY_CHANGEPOINT_INT_H
#define TALLY_CHANGEPOINT_INT_H

#include <stddef.h>

#include "tally/tally_changepoint.h"

/* Prefix sums of a series, enough for the residual sum of squares of a
 * mean or a line on time in any segment, and for Gaussian and Poisson
 * costs.  y is shifted by its overall mean and time (1..n) by (n + 1) / 2
 * before summing, which keeps the cancellation in S_yy - S_y^2 / m small. */
typedef struct {
    size_t n;          /* observations */
    int trend;         /* 1: also the time sums for a line on time */
    double ybar;       /* the shift of y: its overall mean */
    double tbar;       /* the shift of time: (n + 1) / 2 */
    double *sy;        /* n + 1 partial sums of y - ybar */
    double *syy;       /* n + 1 partial sums of (y - ybar)^2 */
    double *sty;       /* trend: n + 1 partial sums of (t - tbar)(y - ybar) */
    double *raw;       /* n + 1 partial sums of y itself (Poisson) or NULL */
} tly_cp_sums;

/* Fill s for y[0..n-1]; with trend also the time sums, with raw the sums
 * of y.  Returns TALLY_OK or TALLY_ENOMEM. */
int tly_cp_sums_init(tly_cp_sums *s, const double *y, size_t n, int trend,
                     int raw);
void tly_cp_sums_fini(tly_cp_sums *s);

/* Residual sum of squares of the least-squares fit (mean, or intercept and
 * slope on time with trend) to observations a..b-1; never negative. */
double tly_cp_rss(const tly_cp_sums *s, size_t a, size_t b);

/* The cost model of PELT and binary segmentation. */
typedef struct {
    const tly_cp_sums *sums;
    tally_cp_cost cost;  /* which likelihood */
    double inv_var;      /* normal: 1 / sigma^2 */
    double var_floor;    /* meanvar: smallest variance a segment may have */
    int mbic;            /* add log(m / n) for each segment (MBIC) */
    double log_n;        /* log n, for the MBIC term */
} tly_cp_costfn;

/* Cost of segment [a, b): twice the negative log-likelihood with the
 * segment's parameters at their (constrained) maximum, without the terms
 * that add up to the same constant for every partition, plus log((b-a)/n)
 * under MBIC.  Every such cost is subadditive (splitting a segment never
 * raises the sum), which is what PELT's pruning needs (K = 0). */
double tly_cp_cost(const tly_cp_costfn *f, size_t a, size_t b);

/* The optimal partition of PELT (Killick et al. 2012) under cost f, penalty
 * beta per break and minimum segment length h.  Writes the breaks (first
 * index of each new segment, increasing) to breaks (room for n / h),
 * their number to *nbreaks, the minimized objective (sum of costs + beta
 * per break) to *objective and the number of cost evaluations to
 * *evaluations.  Returns TALLY_OK or TALLY_ENOMEM. */
int tly_cp_pelt(const tly_cp_costfn *f, size_t n, double beta, size_t h,
                size_t *breaks, size_t *nbreaks, double *objective,
                size_t *evaluations);

/* Binary segmentation: repeatedly split the segment whose best split
 * lowers the cost most, while that gain exceeds beta and fewer than
 * max_breaks breaks were made.  Outputs as tly_cp_pelt (breaks sorted). */
int tly_cp_binseg(const tly_cp_costfn *f, size_t n, double beta, size_t h,
                  size_t max_breaks, size_t *breaks, size_t *nbreaks,
                  double *objective, size_t *evaluations);

/* Bai-Perron: for every m = 1..max_breaks the partition of y into m + 1
 * segments of at least h observations with the least RSS.  bp is a
 * max_breaks x max_breaks matrix (row m - 1 holds the m breaks of the best
 * m-break partition in its first m entries, as first indices of the new
 * segments) and rss[m] its RSS (rss[0] the RSS of one segment).  Ties go to
 * the earliest break, as strucchange's which.min.  Returns TALLY_OK or
 * TALLY_ENOMEM. */
int tly_cp_bai_perron(const tly_cp_sums *s, size_t h, size_t max_breaks,
                      size_t *bp, double *rss);

/* Least-squares fit of a mean (k = 1) or intercept and slope on time t =
 * offset + 1 .. offset + m (k = 2) to y[0..m-1]: coefficients, RSS, and
 * the cross-product X'X (row-major k x k). */
void tly_cp_ols(const double *y, size_t m, size_t k, size_t offset,
                double *coef, double *rss, double *xtx);

/* The tests of "no change" on y[0..n-1] with k = 1 (mean) or 2 (trend)
 * regressors: sup-F, ave-F and exp-F over splits floor(trim n) .. n -
 * floor(trim n) (strucchange::Fstats), OLS-CUSUM; and Chow at split index
 * chow (first index of the new regime) when chow >= 0.  Fills the tests of
 * r (and f_from, f_to, f_lambda).  Returns TALLY_OK, TALLY_ETOOFEW (no
 * admissible split) or TALLY_ENOMEM. */
int tly_cp_fstats(const double *y, size_t n, size_t k, double trim,
                  tally_cp_result *r);
int tly_cp_chow(const double *y, size_t n, size_t k, size_t index,
                tally_cp_test *out);
int tly_cp_cusum(const double *y, size_t n, size_t k, tally_cp_test *out);

/* Bai (1997) confidence interval for a break between segment fits: y of
 * the two segments around the break at index b (first index of the new
 * regime; segments [a, b) and [b, c)), regressors k.  Writes the interval of
 * b (0-based) or sets *ok = 0 when it cannot be computed (as strucchange's
 * NA). */
void tly_cp_break_conf(const double *y, size_t a, size_t b, size_t c,
                       size_t k, double level, long *low, long *high,
                       int *ok);

#endif /* TALLY_CHANGEPOINT_INT_H */
