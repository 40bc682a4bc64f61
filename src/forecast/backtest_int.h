/* SPDX-License-Identifier: MIT
 *
 * Internals of the backtest: proper scores of one predictive distribution
 * at one observed value (backtest_score.c), used by backtest.c and
 * tested on their own.
 */
#ifndef TALLY_BACKTEST_INT_H
#define TALLY_BACKTEST_INT_H

#include "tally/tally_backtest.h"

/* The scores of one forecast. */
typedef struct {
    double crps;     /* continuous (or ranked, for counts) probability score */
    double logscore; /* -log density (continuous) or -log probability */
    double pit_lo;   /* F(y-) : P(Y < y) */
    double pit_hi;   /* F(y)  : P(Y <= y); equal to pit_lo when continuous */
} tly_bt_score;

/* Scores of y under the distribution d with parameters a and b:
 *   NORMAL     mean a, standard deviation b > 0
 *   LOGNORMAL  log-scale mean a, log-scale standard deviation b > 0
 *   POISSON    mean a >= 0 (b unused)
 *   NEGBIN     mean a >= 0, size theta b > 0 (Var = a + a^2 / b)
 * Returns 1 when y can be scored (counts: y a non-negative integer), 0
 * otherwise. */
int tly_bt_score_one(tally_bt_dist d, double a, double b, double y,
                     tly_bt_score *out);

/* Scores of y under a simulated count distribution (a count model's
 * forecast): draw[0..S-1] the simulated counts, sorted, and mean[0..S-1]
 * the means mu*_s of the parameter draws behind them, theta the NB2 size
 * (0: Poisson).  The predictive distribution is the mixture
 * P(Y = k) = (1/S) sum_s f(k; mu*_s, theta), of which draw[] is a
 * sample:
 *   CRPS     of the empirical distribution of draw[] (the one the
 *            intervals are quantiles of): (1/S) sum |x_s - y|
 *            - (1/(2 S^2)) sum_s sum_t |x_s - x_t|;
 *   PIT      F(y-) and F(y) of that empirical distribution;
 *   log      -log of the mixture probability of y (the empirical one is 0
 *            for a count no draw reached).
 * Returns 1 when y can be scored (a non-negative integer), 0 otherwise. */
int tly_bt_score_draws(const double *draw, const double *mean, size_t S,
                       double theta, double y, tly_bt_score *out);

/* Add one non-randomised PIT (uniform on [lo, hi], or a point mass at lo
 * when hi == lo) to a histogram of TALLY_BT_PIT_BINS equal bins on [0, 1]
 * (Czado, Gneiting and Held 2009). */
void tly_bt_pit_add(double *hist, double lo, double hi);

#endif /* TALLY_BACKTEST_INT_H */
