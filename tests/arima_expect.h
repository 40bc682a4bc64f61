/* SPDX-License-Identifier: MIT
 *
 * Expectations shared by the ARIMA tests (test_arima.c,
 * test_arima_starts.c).
 */
#ifndef TALLY_TESTS_ARIMA_EXPECT_H
#define TALLY_TESTS_ARIMA_EXPECT_H

#include <criterion/criterion.h>
#include <math.h>

/* got within a relative rtol of want. */
#define EXPECT_REL(got, want, rtol)                                          \
    cr_expect(fabs((got) - (want)) <= (rtol) * fabs(want),                   \
              "%s: got %.10g want %.10g (rtol %g)", #got, (double)(got),     \
              (double)(want), (double)(rtol))

/* Log-likelihood at least R's (minus 1e-3) and at most R's plus 0.01. */
#define EXPECT_LOGLIK(got, want)                                             \
    cr_expect((got) >= (want) - 1e-3 && (got) <= (want) + 0.01,              \
              "loglik %.10g, R %.10g", (double)(got), (double)(want))

#endif /* TALLY_TESTS_ARIMA_EXPECT_H */
