/* SPDX-License-Identifier: MIT
 *
 * Bai & Perron (2003) dating of multiple breaks: for each number of breaks
 * m, the partition into m + 1 segments of at least h observations that
 * minimizes the total residual sum of squares of segment-wise least
 * squares fits, by dynamic programming over the O(1) segment RSS of
 * changepoint_cost.c.  The recursion is strucchange::breakpoints'
 * (its RSS.table): with P_m(i) the least RSS of the first i observations in
 * m + 1 segments,
 *
 *     P_0(i) = RSS(0, i),                         i = h .. n - h
 *     P_m(i) = min_{j = mh .. i-h} P_{m-1}(j) + RSS(j, i),
 *                                                 i = (m+1)h .. n - h
 *
 * and the best m-break partition ends with the segment [i, n) minimizing
 * P_{m-1}(i) + RSS(i, n) over i = mh .. n - h.  Ties go to the smallest
 * index, as R's which.min.  Cost O(m n^2) time, O(m n) memory.
 */
#include "stats/changepoint_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

int tly_cp_bai_perron(const tly_cp_sums *s, size_t h, size_t max_breaks,
                      size_t *bp, double *rss)
{
    size_t n = s->n;
    size_t stride = n + 1;
    rss[0] = tly_cp_rss(s, 0, n);
    if (max_breaks == 0) {
        return TALLY_OK;
    }
    /* P[m][i] and the last break inside the prefix, arg[m][i]. */
    double *P = malloc(max_breaks * stride * sizeof *P);
    size_t *arg = malloc(max_breaks * stride * sizeof *arg);
    if (P == NULL || arg == NULL) {
        free(P);
        free(arg);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory for the dynamic "
                           "programme (%zu breaks x %zu observations)",
                           max_breaks, n);
    }
    for (size_t i = 0; i < max_breaks * stride; i++) {
        P[i] = INFINITY;
        arg[i] = 0;
    }
    for (size_t i = h; i + h <= n; i++) {
        P[i] = tly_cp_rss(s, 0, i);
    }
    for (size_t m = 1; m < max_breaks; m++) {
        double *prev = P + (m - 1) * stride, *cur = P + m * stride;
        size_t *a = arg + m * stride;
        for (size_t i = (m + 1) * h; i + h <= n; i++) {
            double best = INFINITY;
            size_t where = 0;
            for (size_t j = m * h; j + h <= i; j++) {
                double v = prev[j] + tly_cp_rss(s, j, i);
                if (v < best) {
                    best = v;
                    where = j;
                }
            }
            cur[i] = best;
            a[i] = where;
        }
    }
    for (size_t m = 1; m <= max_breaks; m++) {
        const double *prev = P + (m - 1) * stride;
        double best = INFINITY;
        size_t last = 0;
        for (size_t i = m * h; i + h <= n; i++) {
            double v = prev[i] + tly_cp_rss(s, i, n);
            if (v < best) {
                best = v;
                last = i;
            }
        }
        rss[m] = best;
        /* Walk back through the argmins: break m is `last`, break m - 1
         * the last break inside the prefix [0, last), and so on. */
        size_t *row = bp + (m - 1) * max_breaks;
        size_t b = last;
        for (size_t q = m; q >= 1; q--) {
            row[q - 1] = b;
            if (q > 1) {
                b = arg[(q - 1) * stride + b];
            }
        }
    }
    free(P);
    free(arg);
    return TALLY_OK;
}
