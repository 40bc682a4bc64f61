/* SPDX-License-Identifier: MIT
 *
 * Covariance matrices of regression estimates: classical, heteroskedasticity
 * consistent (HC0..HC3, sandwich::vcovHC conventions) and Newey-West HAC
 * (sandwich::NeweyWest(lag = L, prewhite = FALSE, adjust = FALSE)).
 *
 * Every sandwich is V = B M B with bread B = (X' W X)^-1 (the unscaled
 * covariance of the weighted fit, inverse Fisher information at
 * dispersion 1) and meat M built from the score contributions
 * psi_i = x_i * u_i, where u_i is w_i (y_i - mu_i) for least squares
 * (prior weight times residual) and, for a GLM,
 * u_i = prior_w_i (y_i - mu_i) / V(mu_i) * dmu/deta; for the log link and
 * Poisson this is (y_i - mu_i).  quasipoisson gives the same as poisson
 * (the dispersion cancels, as in sandwich).
 *
 *   HC0  M = sum psi_i psi_i'
 *   HC1  n / (n - p) * HC0
 *   HC2  psi_i scaled by 1 / sqrt(1 - h_i)
 *   HC3  psi_i scaled by 1 / (1 - h_i)
 *   HAC  M = Gamma_0 + sum_{l=1..L} w_l (Gamma_l + Gamma_l'),
 *        Gamma_l = sum_{t > l} psi_t psi_{t-l}', w_l = 1 - l/(L + 1)
 *
 * h_i are the hat values of the weighted fit.  Rows are in the order of
 * the data (time order for series).
 */
#ifndef TALLY_VCOV_H
#define TALLY_VCOV_H

#include <stddef.h>

typedef enum {
    TALLY_VCOV_CLASSICAL = 0, /* model-based */
    TALLY_VCOV_HC0,
    TALLY_VCOV_HC1,
    TALLY_VCOV_HC2,
    TALLY_VCOV_HC3,
    TALLY_VCOV_HAC            /* Newey-West, Bartlett kernel */
} tally_vcov_type;

/* hac_lag value asking for the automatic lag. */
#define TALLY_HAC_AUTO (-1L)

typedef struct {
    tally_vcov_type type;  /* default TALLY_VCOV_CLASSICAL */
    long hac_lag;          /* L >= 0, or TALLY_HAC_AUTO: the Newey-West
                              (1994) rule L = floor(4 (n/100)^(2/9)) */
} tally_vcov_options;

/* "classical", "HC0", "HC1", "HC2", "HC3", "HAC". */
const char *tally_vcov_name(tally_vcov_type t);

/* Parse "hc0".."hc3" (any case) for --robust.  TALLY_OK or TALLY_EINVAL. */
int tally_vcov_parse_robust(const char *s, tally_vcov_type *out);

/* The automatic HAC lag for n observations: floor(4 (n/100)^(2/9)). */
long tally_vcov_hac_auto_lag(size_t n);

/* The sandwich B M B (p x p, row-major, written to out).
 *   n, p   observations and coefficients
 *   x      n x p regressors, row-major (x[i * p + j])
 *   u      n score multipliers (see above): psi_i = x_i u_i
 *   bread  p x p unscaled covariance (X'WX)^-1, row-major
 *   hat    n hat values (needed for HC2/HC3, else may be NULL)
 *   type   HC0..HC3 or HAC (CLASSICAL is an error)
 *   lag    the HAC lag L (0 <= L < n), resolved already
 * Returns TALLY_OK, TALLY_EINVAL (bad type or lag; hat value 1 with
 * HC2/HC3) or TALLY_ENOMEM. */
int tally_vcov_sandwich(size_t n, size_t p, const double *x,
                        const double *u, const double *bread,
                        const double *hat, tally_vcov_type type, long lag,
                        double *out);

#endif /* TALLY_VCOV_H */
