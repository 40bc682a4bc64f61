/* SPDX-License-Identifier: MIT
 *
 * The least-squares core under every regression of tally: minimise
 * || W^(1/2) (y - X b) || by a Householder QR of the column-scaled
 * weighted design, refined in extended precision (Bjorck's iterative
 * refinement of the augmented system), never by the normal equations.
 * It reaches the NIST StRD certified values of every linear regression
 * data set, including Filip (a degree-10 polynomial) and Wampler5, to at
 * least 7 significant digits (tests/test_nist.c).
 *
 * The rank is judged from the singular values of the column-scaled
 * design (those of its R factor): rank deficient when s_min < tol * s_max.
 */
#ifndef TALLY_OLS_H
#define TALLY_OLS_H

#include <stddef.h>

/* A least-squares solution and what inference needs from it. */
typedef struct {
    size_t n, p;        /* observations and coefficients */
    double *beta;       /* p coefficients */
    double *cov_unscaled; /* p * p (X'WX)^-1, row-major */
    double *resid;      /* n residuals y - X beta (unweighted) */
    double *hat;        /* n hat values of the weighted fit */
    double rss;         /* sum w_i resid_i^2 */
    double cond;        /* s_max / s_min of the column-scaled design */
    size_t worst;       /* column most involved in the smallest singular
                           vector (for rank-deficiency messages) */
    double *null_vec;   /* p: right singular vector of the smallest
                           singular value of the column-scaled design
                           (the near-dependency among the columns) */
    int refine;         /* iterative refinement steps allowed (default 4
                           from tally_lsq_alloc; IRLS sets 0 for its
                           intermediate solves, whose solution only needs
                           to point the next iteration the right way) */
} tally_lsq;

/* Allocate for n x p (NULL when out of memory); free with
 * tally_lsq_free (NULL is fine). */
tally_lsq *tally_lsq_alloc(size_t n, size_t p);
void tally_lsq_free(tally_lsq *s);

/* Solve for x (n x p, row-major), y (n) and weights w (n values > 0, or
 * NULL for 1).  Requires n >= p >= 1.  tol: rank tolerance (see
 * TALLY_FIT_RANK_TOL in tally_fit.h).  Returns TALLY_OK, TALLY_ETOOFEW
 * (n < p), TALLY_ESINGULAR (rank deficient: s->cond and s->worst are set,
 * the message is left to the caller) or TALLY_ENOMEM.  With want_hat = 0
 * the hat values are not computed. */
int tally_lsq_solve(tally_lsq *s, const double *x, const double *y,
                    const double *w, double tol, int want_hat);

#endif /* TALLY_OLS_H */
