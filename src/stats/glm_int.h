/* SPDX-License-Identifier: MIT
 *
 * Internals shared by the regression files (ols_fit.c, glm_irls.c,
 * negbin.c, glm_fit.c, diag.c): the complete-case data a fit works on and
 * the per-family pieces.  Never installed.
 */
#ifndef TALLY_GLM_INT_H
#define TALLY_GLM_INT_H

#include <stddef.h>

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_ols.h"

/* pi to double precision (M_PI is not C11). */
#define TLY_PI 3.14159265358979323846

/* The data of one fit: complete cases only, positive weights. */
typedef struct {
    size_t n, p;      /* observations and coefficients */
    double *x;        /* n x p regressors, row-major */
    double *y;        /* n responses */
    double *off;      /* n offsets (0 when the design has none) */
    double *w;        /* n prior weights (1 when the design has none) */
    int has_weights;  /* 1 when the design gave weights */
    int has_offset;   /* 1 when the design gave an offset */
    long icol;        /* index of the intercept column, or -1 */
    const tally_design *des; /* the design the rows come from (for
                                messages), or NULL */
    const size_t *row;       /* n design rows of the observations, or
                                NULL */
} tly_fit_data;

/* Where observation i of d is, for messages ("FILE:LINE", "FILE, PERIOD"
 * or "observation N"). */
const char *tly_fit_where(const tly_fit_data *d, size_t i, char *buf,
                          size_t size);

/* Count families with the log link: Poisson, or NB2 at a fixed theta. */
typedef struct {
    int negbin;       /* 0: Poisson variance mu; 1: mu + mu^2/theta */
    double theta;     /* NB2 size (negbin only) */
} tly_count_family;

/* One IRLS fit of a log-link count model (R's glm.fit).  eta_start (n
 * values, including the offset) or NULL to start from mu = y + 0.1 (R's
 * poisson initialize; negative.binomial uses y + (y == 0)/6).  On return
 * beta, mu, eta (n, with offset), the deviance, the iteration count and
 * convergence are set; ls holds the last weighted least-squares solve
 * (cov_unscaled = (X'WX)^-1 and hat values at the final weights, computed
 * with a final solve at the converged means).  Returns TALLY_OK,
 * TALLY_ENOCONV (no convergence within maxit, or a non-finite deviance
 * that step halving cannot cure), TALLY_ESINGULAR (from the solver) or
 * TALLY_ENOMEM. */
int tly_irls(const tly_fit_data *d, const tly_count_family *fam,
             const double *eta_start, double epsilon, int maxit,
             double rank_tol, tally_lsq *ls, double *beta, double *mu,
             double *eta, double *dev, int *iterations, int *converged);

/* Deviance of counts y at means mu under fam (prior weights w). */
double tly_count_deviance(size_t n, const double *y, const double *mu,
                          const double *w, const tly_count_family *fam);

/* Null deviance: the intercept-only model (with the offset) when the
 * design has an intercept, else the model eta = offset (R's glm.fit). */
int tly_count_null_deviance(const tly_fit_data *d,
                            const tly_count_family *fam, double epsilon,
                            int maxit, double *out);

/* The fits per family.  They fill f->estimate, vcov_model (unscaled
 * covariance times dispersion), mu, eta, resid, wweight, hat, deviance,
 * null_deviance, loglik/aic/bic, dispersion, theta, converged,
 * iterations, the n multipliers u of the score for sandwiches
 * (psi_i = x_i u_i) and the p x p bread (X'WX)^-1. */
int tly_fit_gaussian(const tly_fit_data *d, const tally_fit_options *o,
                     tally_fit *f, double *u, double *bread);
int tly_fit_count(const tly_fit_data *d, const tally_fit_options *o,
                  tally_fit *f, double *u, double *bread);
int tly_fit_negbin(const tly_fit_data *d, const tally_fit_options *o,
                   tally_fit *f, double *u, double *bread);

/* Counts must be >= 0 (and whole numbers when need_integer), and not all
 * 0.  TALLY_EDOMAIN / TALLY_ECONSTANT with a message. */
int tly_check_counts(const tly_fit_data *d, int need_integer);

/* TALLY_ENOCONV (naming rows and terms) when fitted means on zero counts
 * have run to 0: the MLE does not exist (separation). */
int tly_check_means(const tly_fit_data *d, const double *mu,
                    const double *beta, char *const *terms);

/* Fill f->diag from the fit (row order = time order); freq chooses the
 * Ljung-Box lag: min(2m, n/5) for m = 12 or 4, else min(10, n/5). */
int tly_fit_diagnostics(const tly_fit_data *d, tally_fit *f,
                        tally_freq freq);

/* Message for a rank-deficient design: names the terms with the largest
 * weights in the near-null vector. */
int tly_singular_error(const tally_lsq *ls, char *const *terms, size_t p,
                       double tol);

#endif /* TALLY_GLM_INT_H */
