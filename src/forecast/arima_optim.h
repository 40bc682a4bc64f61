/* SPDX-License-Identifier: MIT
 *
 * Unconstrained minimisation used by ARIMA estimation (arima_optim.c):
 * BFGS (GSL bfgs2) on a numerical (forward or central difference)
 * gradient.
 */
#ifndef TALLY_ARIMA_OPTIM_H
#define TALLY_ARIMA_OPTIM_H

#include <stddef.h>

#define TLY_OPT_MAXDIM 64

/* Objective: value at x[0..dim-1]; non-finite means "outside the domain". */
typedef double (*tly_objfn)(const double *x, void *ctx);

typedef struct {
    double step;     /* size of the first trial step (GSL step_size) */
    double linetol;  /* line-search tolerance (GSL tol; 0.1 for bfgs2) */
    double gtol;     /* stop when the gradient norm is below this */
    double ftol;     /* ... or the relative change of f stays below this */
    double hstep;    /* difference step */
    int central;     /* 1: central differences (2 dim evaluations per
                        gradient), 0: forward (dim evaluations) */
    size_t maxit;    /* iteration limit */
} tly_opt_control;

typedef struct {
    double fmin;        /* objective at the returned x */
    size_t iterations;  /* BFGS iterations */
    size_t evaluations; /* objective evaluations */
    int converged;      /* 1 when a stopping test was met */
} tly_opt_result;

/* Minimise f from x (overwritten with the best point found, never worse
 * than the start).  Returns 0, or -1 when dim is too large or out of
 * memory. */
int tly_minimize(tly_objfn f, void *ctx, double *x, size_t dim,
                 const tly_opt_control *ctl, tly_opt_result *res);

#endif /* TALLY_ARIMA_OPTIM_H */
