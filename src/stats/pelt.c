/* SPDX-License-Identifier: MIT
 *
 * PELT: exact minimization of a penalized segment cost over all
 * partitions, in O(n) expected time when the number of changes grows with
 * n (Killick, Fearnhead & Eckley 2012, JASA 107, 1590-1598).
 *
 * Optimal partitioning (Jackson et al. 2005) computes, for t = 1..n,
 *
 *     F(t) = min_{tau} F(tau) + C(tau, t) + beta,    F(0) = -beta,
 *
 * over the admissible last changes tau (the segment [tau, t) at least h
 * long, and tau = 0 or tau >= h so that [0, tau) can itself be
 * partitioned); F(n) is the least penalized cost and the argmins trace the
 * partition back.  PELT's pruning: if F(tau) + C(tau, t) > F(t) for a cost
 * with C(a, c) >= C(a, b) + C(b, c) (every cost here; K = 0), tau can never
 * again be the best last change for any end point T at which t is itself
 * an admissible change, i.e. any T >= t + h, because
 * F(t) + C(t, T) + beta <= F(tau) + C(tau, t) + C(t, T) + beta
 * <= F(tau) + C(tau, T) + beta.  With h = 1 this is the paper's rule
 * (tau leaves the candidate set at once); with a minimum segment length h
 * the candidate is kept until T = t + h - 1, which keeps the result exact
 * (some implementations drop it at once, which is not).
 */
#include "stats/changepoint_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int tly_cp_pelt(const tly_cp_costfn *f, size_t n, double beta, size_t h,
                size_t *breaks, size_t *nbreaks, double *objective,
                size_t *evaluations)
{
    if (h < 1) {
        h = 1;
    }
    double *F = malloc((n + 1) * sizeof *F);
    size_t *last = malloc((n + 1) * sizeof *last);
    size_t *death = malloc((n + 1) * sizeof *death);
    size_t *cand = malloc((n + 1) * sizeof *cand);
    double *val = malloc((n + 1) * sizeof *val);
    if (F == NULL || last == NULL || death == NULL || cand == NULL
        || val == NULL) {
        free(F);
        free(last);
        free(death);
        free(cand);
        free(val);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory for PELT on %zu "
                           "observations", n);
    }
    size_t ncand = 0, evals = 0;
    F[0] = -beta;
    last[0] = 0;
    for (size_t t = 1; t < h && t <= n; t++) {
        F[t] = INFINITY; /* no partition of [0, t) into segments >= h */
        last[t] = 0;
    }
    for (size_t t = h; t <= n; t++) {
        /* tau = t - h becomes admissible now (its last segment [tau, t)
         * has exactly h observations). */
        size_t tau_new = t - h;
        if (tau_new == 0 || tau_new >= h) {
            cand[ncand++] = tau_new;
            death[tau_new] = SIZE_MAX;
        }
        /* Evaluate the live candidates (in increasing order, so ties go to
         * the earliest change) and drop those whose time has come. */
        double best = INFINITY;
        size_t arg = 0, kept = 0;
        for (size_t j = 0; j < ncand; j++) {
            size_t tau = cand[j];
            if (death[tau] <= t) {
                continue;
            }
            double v = F[tau] + tly_cp_cost(f, tau, t);
            evals++;
            if (v + beta < best) {
                best = v + beta;
                arg = tau;
            }
            cand[kept] = tau;
            val[kept] = v;
            kept++;
        }
        ncand = kept;
        F[t] = best;
        last[t] = arg;
        /* Prune: tau cannot win for T >= t + h (see the file comment). */
        for (size_t j = 0; j < ncand; j++) {
            if (val[j] > best && death[cand[j]] == SIZE_MAX) {
                death[cand[j]] = t + h;
            }
        }
    }
    /* Trace the partition back from n. */
    size_t m = 0;
    for (size_t t = n; t > 0 && last[t] > 0; t = last[t]) {
        breaks[m++] = last[t];
    }
    for (size_t i = 0; i < m / 2; i++) {
        size_t tmp = breaks[i];
        breaks[i] = breaks[m - 1 - i];
        breaks[m - 1 - i] = tmp;
    }
    *nbreaks = m;
    *objective = F[n];
    *evaluations = evals;
    free(F);
    free(last);
    free(death);
    free(cand);
    free(val);
    return TALLY_OK;
}
