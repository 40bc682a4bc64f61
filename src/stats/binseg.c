/* SPDX-License-Identifier: MIT
 *
 * Binary segmentation (Scott & Knott 1974; Sen & Srivastava 1975; as
 * described by Killick, Fearnhead & Eckley 2012, section 2.2): find the
 * single split of the series that lowers the total cost most; if the gain
 * exceeds the penalty beta, keep it and look for the best split of each
 * part in turn, always taking next the split with the largest gain among
 * all current segments, until no gain exceeds beta or max_breaks breaks
 * are made.  Greedy and approximate (unlike PELT it may miss the optimal
 * partition), O(n log n) for balanced splits.  The segments waiting to be
 * split sit in a binary heap ordered by gain (ties: earlier segment
 * first), so each step costs O(log m) plus the scan of the two new parts.
 */
#include "stats/changepoint_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

/* A segment [a, b) with its best split s and the gain of making it. */
typedef struct {
    size_t a, b, s;
    double gain;
} segment;

/* Best split of [a, b) with both parts at least h long; gain -inf when the
 * segment is too short to split. */
static segment best_split(const tly_cp_costfn *f, size_t a, size_t b,
                          size_t h, size_t *evals)
{
    segment g = {a, b, a, -INFINITY};
    if (b - a < 2 * h) {
        return g;
    }
    double whole = tly_cp_cost(f, a, b);
    (*evals)++;
    for (size_t s = a + h; s + h <= b; s++) {
        double gain = whole - tly_cp_cost(f, a, s) - tly_cp_cost(f, s, b);
        *evals += 2;
        if (gain > g.gain) {
            g.gain = gain;
            g.s = s;
        }
    }
    return g;
}

/* Heap order: larger gain first, then the earlier segment. */
static int before(const segment *x, const segment *y)
{
    if (x->gain != y->gain) {
        return x->gain > y->gain;
    }
    return x->a < y->a;
}

static void heap_push(segment *heap, size_t *len, segment g)
{
    size_t i = (*len)++;
    heap[i] = g;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&heap[i], &heap[p])) {
            break;
        }
        segment t = heap[i];
        heap[i] = heap[p];
        heap[p] = t;
        i = p;
    }
}

static segment heap_pop(segment *heap, size_t *len)
{
    segment top = heap[0];
    heap[0] = heap[--(*len)];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < *len && before(&heap[l], &heap[m])) {
            m = l;
        }
        if (r < *len && before(&heap[r], &heap[m])) {
            m = r;
        }
        if (m == i) {
            break;
        }
        segment t = heap[i];
        heap[i] = heap[m];
        heap[m] = t;
        i = m;
    }
    return top;
}

static int cmp_size(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    return (a > b) - (a < b);
}

int tly_cp_binseg(const tly_cp_costfn *f, size_t n, double beta, size_t h,
                  size_t max_breaks, size_t *breaks, size_t *nbreaks,
                  double *objective, size_t *evaluations)
{
    if (h < 1) {
        h = 1;
    }
    /* At most n / h segments exist at once. */
    segment *heap = malloc((n / h + 2) * sizeof *heap);
    if (heap == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory for binary "
                           "segmentation of %zu observations", n);
    }
    size_t len = 0, m = 0, evals = 1;
    double total = tly_cp_cost(f, 0, n);
    heap_push(heap, &len, best_split(f, 0, n, h, &evals));
    while (m < max_breaks && len > 0) {
        if (!(heap[0].gain > beta)) {
            break; /* the best remaining split does not pay its penalty */
        }
        segment g = heap_pop(heap, &len);
        breaks[m++] = g.s;
        total -= g.gain;
        heap_push(heap, &len, best_split(f, g.a, g.s, h, &evals));
        heap_push(heap, &len, best_split(f, g.s, g.b, h, &evals));
    }
    qsort(breaks, m, sizeof *breaks, cmp_size);
    *nbreaks = m;
    *objective = total + beta * (double)m;
    *evaluations = evals;
    free(heap);
    return TALLY_OK;
}
