/* SPDX-License-Identifier: MIT
 *
 * Sandwich covariances against R's sandwich package (3.0-2, R 4.2.2):
 * vcovHC types HC0..HC3 and NeweyWest(lag, prewhite = FALSE,
 * adjust = FALSE) for lm (with and without weights), Poisson and
 * quasi-Poisson glm with an offset, a weighted Poisson glm, and
 * MASS::glm.nb.  The 30-row data set below is embedded so the test always
 * runs; it was written to vc.csv (columns t, x, e, w, y, yc) and every
 * expected value comes from the R call quoted next to it, printed with
 * sprintf("%.17g").
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_status.h"
#include "tally/tally_vcov.h"

#define N 30
static const double xs[N] = {
    0.94,  1.27,  2.03,  -0.19, -0.63, -2.01, -2.85, -1.25, -0.89, 1.18,
    1.12,  0.89,  0.49,  -0.08, -2.51, -2.51, -0.98, 0.96,  1.49,  1.77,
    2.64,  -0.3,  -0.05, -2.2,  -2.66, -1.97, -0.28, 2.0,   1.35,  1.84};
static const double es[N] = {100, 120, 80,  80,  80,  100, 150, 150,
                             120, 150, 150, 120, 120, 100, 100, 100,
                             80,  120, 150, 120, 150, 120, 80,  80,
                             150, 100, 120, 100, 150, 150};
static const double ws[N] = {1, 1, 2, 2, 2, 3, 3, 1, 1, 2, 3, 1, 1, 2, 3,
                             2, 3, 2, 1, 3, 2, 1, 1, 3, 1, 1, 2, 1, 1, 3};
static const double ys[N] = {1,  7, 1, 0, 4,  6,  1,  0, 0, 11,
                             1,  0, 7, 7, 0,  6,  1,  12, 16, 9,
                             9,  0, 5, 5, 10, 3,  1,  17, 10, 21};
static const double ycs[N] = {
    2.199, 3.48,  3.775, 2.059, 2.816, 2.305, 1.305, 2.607, 2.616, 3.863,
    3.931, 4.553, 2.887, 5.266, 1.879, 3.828, 3.756, 5.442, 5.739, 5.015,
    7.928, 4.3,   3.26,  2.953, -0.866, 4.279, 7.245, 7.975, 3.499, 6.886};

/* y ~ intercept + t + x, with optional exposure e and weights w. */
static tally_design *make(const double *y, int exposure, int weights)
{
    tally_design *d = tally_design_alloc(N);
    cr_assert_not_null(d);
    memcpy(d->y, y, sizeof(double) * N);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_time(d), TALLY_OK);
    cr_assert_eq(tally_design_add_column(d, "x", xs), TALLY_OK);
    if (exposure) {
        cr_assert_eq(tally_design_set_offset(d, "e", es, 1), TALLY_OK);
    }
    if (weights) {
        cr_assert_eq(tally_design_set_weights(d, "w", ws), TALLY_OK);
    }
    return d;
}

static tally_fit *fit(const tally_design *d, tally_family fam,
                      tally_vcov_type type, long lag)
{
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.family = fam;
    o.vcov.type = type;
    o.vcov.hac_lag = lag;
    /* R's reference fits used glm.control(epsilon = 1e-13). */
    o.epsilon = 1e-13;
    tally_fit *f = NULL;
    cr_assert_eq(tally_fit_model(d, &o, &f), TALLY_OK, "%s",
                 tally_last_error());
    return f;
}

/* Relative agreement: sandwich sums of n terms agree with R to about
 * 1e-12 for least squares; the GLMs carry the IRLS convergence error
 * (deviance change < 1e-13), well under 1e-8 in the estimates. */
static void expect_se(const tally_fit *f, const double *want, double rtol,
                      const char *what)
{
    for (size_t j = 0; j < 3; j++) {
        cr_expect(fabs(f->std_error[j] - want[j]) <= rtol * fabs(want[j]),
                  "%s se[%zu]: %.17g, R %.17g", what, j, f->std_error[j],
                  want[j]);
    }
}

static void check(const double *y, int expo, int wts, tally_family fam,
                  tally_vcov_type type, long lag, const double *want,
                  double rtol, const char *what)
{
    tally_design *d = make(y, expo, wts);
    tally_fit *f = fit(d, fam, type, lag);
    expect_se(f, want, rtol, what);
    tally_fit_free(f);
    tally_design_free(d);
}

Test(vcov, ols_hc_types_match_sandwich)
{
    /* m1 <- lm(yc ~ t + x); sqrt(diag(vcovHC(m1, type = "HC0"))) etc. */
    static const double hc0[3] = {0.33893798466640496, 0.029865460108741571,
                                  0.16746093118170768};
    static const double hc1[3] = {0.35727200569768836, 0.03148095910417447,
                                  0.17651932054230285};
    static const double hc2[3] = {0.36311052871315413, 0.03217289678803141,
                                  0.18200205335900221};
    static const double hc3[3] = {0.38933738753608188, 0.034679204223023979,
                                  0.19788023037789199};
    check(ycs, 0, 0, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HC0, 0, hc0, 1e-12,
          "HC0");
    check(ycs, 0, 0, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HC1, 0, hc1, 1e-12,
          "HC1");
    check(ycs, 0, 0, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HC2, 0, hc2, 1e-12,
          "HC2");
    check(ycs, 0, 0, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HC3, 0, hc3, 1e-12,
          "HC3");
}

Test(vcov, ols_newey_west_matches_sandwich)
{
    /* sqrt(diag(NeweyWest(m1, lag = 3, prewhite = FALSE, adjust = FALSE))) */
    static const double nw3[3] = {0.30246177823934994, 0.021160838109549229,
                                  0.15226734804777894};
    /* lag 0 is HC0: NeweyWest(m1, lag = 0, ...) printed the same numbers. */
    static const double nw0[3] = {0.33893798466640496, 0.029865460108741571,
                                  0.16746093118170768};
    check(ycs, 0, 0, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HAC, 3, nw3, 1e-12,
          "NW3");
    check(ycs, 0, 0, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HAC, 0, nw0, 1e-12,
          "NW0");
    /* An off-diagonal element: NeweyWest(m1, lag = 3, ...)[2, 3]. */
    tally_design *d = make(ycs, 0, 0);
    tally_fit *f = fit(d, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HAC, 3);
    double want = -0.0012434434077712156;
    cr_expect(fabs(f->vcov[1 * 3 + 2] - want) <= 1e-12 * fabs(want),
              "%.17g", f->vcov[1 * 3 + 2]);
    cr_expect(f->t_based, "robust tests for lm are t tests (coeftest)");
    tally_fit_free(f);
    tally_design_free(d);
}

Test(vcov, weighted_ols_uses_weighted_hat_values)
{
    /* m2 <- lm(yc ~ t + x, weights = w) */
    /* sqrt(diag(vcovHC(m2, type = "HC3"))) */
    static const double hc3[3] = {0.32932504936295132, 0.026511327104055921,
                                  0.12846220679288084};
    /* sqrt(diag(NeweyWest(m2, lag = 2, prewhite = FALSE, adjust = FALSE))) */
    static const double nw2[3] = {0.28912400828303331, 0.02213879204738102,
                                  0.10395356572513992};
    check(ycs, 0, 1, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HC3, 0, hc3, 1e-12,
          "WLS HC3");
    check(ycs, 0, 1, TALLY_FAMILY_GAUSSIAN, TALLY_VCOV_HAC, 2, nw2, 1e-12,
          "WLS NW2");
}

Test(vcov, poisson_with_offset_matches_sandwich)
{
    /* g1 <- glm(y ~ t + x, family = poisson, offset = log(e),
     *           control = glm.control(epsilon = 1e-13, maxit = 100)) */
    static const double hc0[3] = {0.33802620606912448, 0.015315787877581965,
                                  0.08339216638869737};
    static const double hc3[3] = {0.37267074282638768, 0.017457546866010507,
                                  0.09767787135155466};
    /* NeweyWest(g1, lag = 4, prewhite = FALSE, adjust = FALSE) */
    static const double nw4[3] = {0.21991609511093138, 0.0083860051491667226,
                                  0.055826844408204901};
    check(ys, 1, 0, TALLY_FAMILY_POISSON, TALLY_VCOV_HC0, 0, hc0, 1e-9,
          "Poisson HC0");
    check(ys, 1, 0, TALLY_FAMILY_POISSON, TALLY_VCOV_HC3, 0, hc3, 1e-9,
          "Poisson HC3");
    check(ys, 1, 0, TALLY_FAMILY_POISSON, TALLY_VCOV_HAC, 4, nw4, 1e-9,
          "Poisson NW4");
    /* quasipoisson: NeweyWest(g2, lag = 4, ...) with g2 the same model,
     * family = quasipoisson: the dispersion cancels. */
    static const double qnw4[3] = {0.21991609511093149,
                                   0.0083860051491667382,
                                   0.055826844408204873};
    check(ys, 1, 0, TALLY_FAMILY_QUASIPOISSON, TALLY_VCOV_HAC, 4, qnw4, 1e-9,
          "quasi-Poisson NW4");
}

Test(vcov, robust_glm_tests_are_z)
{
    tally_design *d = make(ys, 1, 0);
    tally_fit *f = fit(d, TALLY_FAMILY_QUASIPOISSON, TALLY_VCOV_HAC, 4);
    cr_expect(!f->t_based, "coeftest on a glm uses z (df = Inf)");
    tally_fit_free(f);
    f = fit(d, TALLY_FAMILY_QUASIPOISSON, TALLY_VCOV_CLASSICAL, 0);
    cr_expect(f->t_based, "summary.glm uses t for quasi families");
    tally_fit_free(f);
    tally_design_free(d);
}

Test(vcov, weighted_poisson_matches_r)
{
    /* g4 <- glm(y ~ t + x, family = poisson, weights = w,
     *           control = glm.control(epsilon = 1e-13, maxit = 100)) */
    static const double se[3] = {0.148711160153262, 0.0071493904776942802,
                                 0.037555172086458019}; /* vcov(g4) */
    static const double hc3[3] = {0.44689497953867868, 0.021115642565322439,
                                  0.095597688365532174}; /* vcovHC HC3 */
    check(ys, 0, 1, TALLY_FAMILY_POISSON, TALLY_VCOV_CLASSICAL, 0, se, 1e-9,
          "weighted Poisson");
    check(ys, 0, 1, TALLY_FAMILY_POISSON, TALLY_VCOV_HC3, 0, hc3, 1e-9,
          "weighted Poisson HC3");
    tally_design *d = make(ys, 0, 1);
    tally_fit *f = fit(d, TALLY_FAMILY_POISSON, TALLY_VCOV_CLASSICAL, 0);
    /* logLik(g4) and g4$null.deviance */
    cr_expect(fabs(f->loglik - -169.05400780757034) < 1e-9);
    cr_expect(fabs(f->null_deviance - 320.79663375081429) < 1e-9);
    tally_fit_free(f);
    tally_design_free(d);
}

Test(vcov, negbin_matches_sandwich)
{
    /* g3 <- MASS::glm.nb(y ~ t + x + offset(log(e)),
     *                    control = glm.control(epsilon = 1e-12, maxit = 100))
     * theta = 1.4646759979167303; sqrt(diag(vcovHC(g3, type = "HC0")));
     * sqrt(diag(NeweyWest(g3, lag = 2, prewhite = FALSE, adjust = FALSE))).
     * glm.nb stops its theta iterations earlier than tally (which solves
     * theta to rounding), so the agreement is that of the two optima:
     * rtol 1e-6. */
    static const double hc0[3] = {0.35838702677797829, 0.016689731434327476,
                                  0.087834934199026424};
    static const double nw2[3] = {0.25635964792181504, 0.011650435005074988,
                                  0.072285942472308198};
    check(ys, 1, 0, TALLY_FAMILY_NEGBIN, TALLY_VCOV_HC0, 0, hc0, 1e-6,
          "NB HC0");
    check(ys, 1, 0, TALLY_FAMILY_NEGBIN, TALLY_VCOV_HAC, 2, nw2, 1e-6,
          "NB NW2");
}

Test(vcov, hac_auto_lag_rule)
{
    /* floor(4 (n/100)^(2/9)): 4 at n = 100, 5 at n = 192, 3 at n = 30. */
    cr_expect_eq(tally_vcov_hac_auto_lag(100), 4);
    cr_expect_eq(tally_vcov_hac_auto_lag(192), 4);
    cr_expect_eq(tally_vcov_hac_auto_lag(30), 3);
    cr_expect_eq(tally_vcov_hac_auto_lag(1000), 6);
}

Test(vcov, bad_lag_and_names)
{
    tally_design *d = make(ycs, 0, 0);
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.vcov.type = TALLY_VCOV_HAC;
    o.vcov.hac_lag = N;
    tally_fit *f = NULL;
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_EINVAL);
    cr_expect_null(f);
    tally_design_free(d);
    tally_vcov_type t;
    cr_expect_eq(tally_vcov_parse_robust("HC3", &t), TALLY_OK);
    cr_expect_eq(t, TALLY_VCOV_HC3);
    cr_expect_eq(tally_vcov_parse_robust("hc4", &t), TALLY_EINVAL);
    cr_expect_str_eq(tally_vcov_name(TALLY_VCOV_HAC), "HAC");
}
