/* SPDX-License-Identifier: MIT
 *
 * Nelder-Mead simplex minimiser following the rules of R's optim()
 * (Nash 1990, "Compact Numerical Methods", algorithm 19, as in R's
 * src/appl/optim.c): reflection coefficient 1, contraction 0.5, expansion
 * 2; stop when the spread of the function values over the simplex falls
 * below reltol * (|f(x0)| + reltol), after maxit evaluations, or when a
 * shrink no longer reduces the simplex.  Non-finite values count as 1e35.
 *
 * forecast::ets minimises its likelihood with exactly this routine, so
 * running it with R's start and step reproduces R's estimates; tally then
 * continues from there (ets_opt.c).  With a per-coordinate step vector it
 * is also the polishing optimiser.
 */
#include "forecast/ets_int.h"

#include <math.h>
#include <string.h>

#define NM_BIG 1.0e35
#define NM_MAXK TLY_ETS_MAXPAR

static double eval(tly_nm_fn fn, void *ctx, const double *x, long *count)
{
    double f = fn(x, ctx);
    (*count)++;
    return isfinite(f) ? f : NM_BIG;
}

double tly_nelder_mead(tly_nm_fn fn, void *ctx, double *x, size_t k,
                       const double *step, double reltol, long maxit,
                       long *evals, int *converged)
{
    /* pt[j] is vertex j (k coordinates), fv[j] its value; vertex 0 is the
     * start.  lo and hi index the best and worst vertices. */
    double pt[NM_MAXK + 1][NM_MAXK];
    double fv[NM_MAXK + 1];
    double cen[NM_MAXK], trial[NM_MAXK], refl[NM_MAXK];
    long count = 0;
    size_t lo = 0, hi = 0;
    int recompute = 1;

    *converged = 0;
    double f0 = eval(fn, ctx, x, &count);
    if (f0 >= NM_BIG) {
        *evals = count;
        return HUGE_VAL;
    }
    const double convtol = reltol * (fabs(f0) + reltol);
    memcpy(pt[0], x, k * sizeof *x);
    fv[0] = f0;

    /* Initial simplex: vertex j + 1 moves coordinate j.  Without a step
     * vector every coordinate moves by 10% of the largest |x_i| (0.1 if x
     * is zero), as R does. */
    double common = 0.0;
    for (size_t i = 0; i < k; i++) {
        if (0.1 * fabs(x[i]) > common) {
            common = 0.1 * fabs(x[i]);
        }
    }
    if (common == 0.0) {
        common = 0.1;
    }
    double size = 0.0;
    for (size_t j = 0; j < k; j++) {
        memcpy(pt[j + 1], x, k * sizeof *x);
        double s = step != NULL ? step[j] : common;
        if (s == 0.0) {
            s = common;
        }
        /* A step too small to change the coordinate grows tenfold. */
        while (pt[j + 1][j] == x[j]) {
            pt[j + 1][j] = x[j] + s;
            s *= 10;
        }
        size += fabs(s);
    }
    double oldsize = size;

    for (;;) {
        if (recompute) {
            for (size_t j = 0; j <= k; j++) {
                if (j != lo) {
                    fv[j] = eval(fn, ctx, pt[j], &count);
                }
            }
            recompute = 0;
        }
        /* Best and worst vertices; ties keep the earlier best. */
        double vl = fv[lo], vh = vl;
        hi = lo;
        for (size_t j = 0; j <= k; j++) {
            if (j != lo) {
                if (fv[j] < vl) {
                    lo = j;
                    vl = fv[j];
                }
                if (fv[j] > vh) {
                    hi = j;
                    vh = fv[j];
                }
            }
        }
        if (vh <= vl + convtol) {
            *converged = 1;
            break;
        }
        /* Centroid of all vertices but the worst. */
        for (size_t i = 0; i < k; i++) {
            double s = -pt[hi][i];
            for (size_t j = 0; j <= k; j++) {
                s += pt[j][i];
            }
            cen[i] = s / (double)k;
        }
        /* Reflect the worst vertex through the centroid. */
        for (size_t i = 0; i < k; i++) {
            refl[i] = 2.0 * cen[i] - pt[hi][i];
        }
        double vr = eval(fn, ctx, refl, &count);
        if (vr < vl) {
            /* Better than the best: try twice as far. */
            for (size_t i = 0; i < k; i++) {
                trial[i] = 2.0 * refl[i] - cen[i];
            }
            double fe = eval(fn, ctx, trial, &count);
            if (fe < vr) {
                memcpy(pt[hi], trial, k * sizeof *x);
                fv[hi] = fe;
            } else {
                memcpy(pt[hi], refl, k * sizeof *x);
                fv[hi] = vr;
            }
        } else {
            if (vr < vh) {
                memcpy(pt[hi], refl, k * sizeof *x);
                fv[hi] = vr;
            }
            /* Contract the (new) worst vertex halfway to the centroid. */
            for (size_t i = 0; i < k; i++) {
                trial[i] = 0.5 * pt[hi][i] + 0.5 * cen[i];
            }
            double fc = eval(fn, ctx, trial, &count);
            if (fc < fv[hi]) {
                memcpy(pt[hi], trial, k * sizeof *x);
                fv[hi] = fc;
            } else if (vr >= vh) {
                /* Nothing helped: shrink everything towards the best. */
                recompute = 1;
                size = 0.0;
                for (size_t j = 0; j <= k; j++) {
                    if (j != lo) {
                        for (size_t i = 0; i < k; i++) {
                            pt[j][i] = 0.5 * (pt[j][i] - pt[lo][i])
                                       + pt[lo][i];
                            size += fabs(pt[j][i] - pt[lo][i]);
                        }
                    }
                }
                if (size < oldsize) {
                    oldsize = size;
                } else {
                    break;
                }
            }
        }
        if (count > maxit) {
            break;
        }
    }
    memcpy(x, pt[lo], k * sizeof *x);
    *evals = count;
    return fv[lo];
}
