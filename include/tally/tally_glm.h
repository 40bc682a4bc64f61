/* SPDX-License-Identifier: MIT
 *
 * Pieces of the generalised linear models that are useful on their own:
 * the negative binomial (NB2) theta by maximum likelihood at fixed means
 * (MASS::theta.ml), and the log-likelihoods used for AIC/BIC.  The fits
 * themselves are reached through tally_fit_model (tally_fit.h).
 *
 * IRLS follows R's glm.fit: Poisson starts from mu = y + 0.1, working
 * response z = eta - offset + (y - mu) / mu, working weight
 * w = prior_w * mu^2 / V(mu); it stops when
 * |dev - dev_old| / (|dev| + 0.1) < epsilon.  glm.nb alternates an IRLS
 * fit at fixed theta with a Newton solve for theta at fixed means until
 * both the log-likelihood and theta settle.
 */
#ifndef TALLY_GLM_H
#define TALLY_GLM_H

#include <stddef.h>

/* Maximum-likelihood theta of NB2 (Var = mu + mu^2/theta) for counts y,
 * means mu and prior weights w (NULL for 1), n values each, by Newton's
 * method on the score from the moment start n / sum w (y/mu - 1)^2, as
 * MASS::theta.ml, iterated until the relative step is below tol (or maxit
 * steps).  On success *theta and *se (1/sqrt(information), may be NULL)
 * are set.  Returns TALLY_OK, TALLY_ENOCONV (no convergence, or theta
 * running to infinity: no overdispersion, use poisson) or TALLY_EDOMAIN. */
int tally_glm_theta_ml(size_t n, const double *y, const double *mu,
                       const double *w, double tol, int maxit,
                       double *theta, double *se);

/* sum w log dpois(y; mu). */
double tally_glm_loglik_poisson(size_t n, const double *y, const double *mu,
                                const double *w);

/* sum w log dnbinom(y; size theta, mean mu). */
double tally_glm_loglik_negbin(size_t n, const double *y, const double *mu,
                               const double *w, double theta);

#endif /* TALLY_GLM_H */
