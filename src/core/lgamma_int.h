/* SPDX-License-Identifier: MIT
 *
 * A thread-safe log-gamma.  C's lgamma() stores the sign of Gamma(x) in the
 * global `signgam`, so two threads calling it race (ThreadSanitizer reports
 * it when --by fits groups in parallel); every log-likelihood in tally goes
 * through tly_lgamma instead.  Nothing here is installed.
 */
#ifndef TALLY_LGAMMA_INT_H
#define TALLY_LGAMMA_INT_H

/* log |Gamma(x)|, bit for bit what lgamma(x) returns, without touching
 * signgam. */
double tly_lgamma(double x);

#endif /* TALLY_LGAMMA_INT_H */
