/* SPDX-License-Identifier: MIT
 *
 * Least squares through tally_fit_model: weighted fits, offsets, fit
 * statistics and diagnostics against R (lm, summary.lm, logLik, lmtest),
 * rank-deficiency detection and its threshold, missing rows, too few
 * observations.  The 30-row data set is the one of test_vcov.c (vc.csv,
 * columns t, x, e, w, y, yc); each expected value comes from the R call
 * beside it (R 4.2.2, lmtest 0.9-40), printed with sprintf("%.17g").
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_ols.h"
#include "tally/tally_status.h"

#define N 30
static const double xs[N] = {
    0.94,  1.27,  2.03,  -0.19, -0.63, -2.01, -2.85, -1.25, -0.89, 1.18,
    1.12,  0.89,  0.49,  -0.08, -2.51, -2.51, -0.98, 0.96,  1.49,  1.77,
    2.64,  -0.3,  -0.05, -2.2,  -2.66, -1.97, -0.28, 2.0,   1.35,  1.84};
static const double ws[N] = {1, 1, 2, 2, 2, 3, 3, 1, 1, 2, 3, 1, 1, 2, 3,
                             2, 3, 2, 1, 3, 2, 1, 1, 3, 1, 1, 2, 1, 1, 3};
static const double ycs[N] = {
    2.199, 3.48,  3.775, 2.059, 2.816, 2.305, 1.305, 2.607, 2.616, 3.863,
    3.931, 4.553, 2.887, 5.266, 1.879, 3.828, 3.756, 5.442, 5.739, 5.015,
    7.928, 4.3,   3.26,  2.953, -0.866, 4.279, 7.245, 7.975, 3.499, 6.886};

static tally_design *make(int weights, int offset)
{
    tally_design *d = tally_design_alloc(N);
    cr_assert_not_null(d);
    memcpy(d->y, ycs, sizeof ycs);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_time(d), TALLY_OK);
    if (!offset) {
        cr_assert_eq(tally_design_add_column(d, "x", xs), TALLY_OK);
    } else {
        cr_assert_eq(tally_design_set_offset(d, "x", xs, 0), TALLY_OK);
    }
    if (weights) {
        cr_assert_eq(tally_design_set_weights(d, "w", ws), TALLY_OK);
    }
    return d;
}

static tally_fit *fit(const tally_design *d)
{
    tally_fit *f = NULL;
    cr_assert_eq(tally_fit_model(d, NULL, &f), TALLY_OK, "%s",
                 tally_last_error());
    return f;
}

/* Least squares by QR agrees with R's (also QR) to about 1e-13 on this
 * well-conditioned problem; 1e-11 leaves room for summation order. */
#define RT 1e-11
#define near(got, want) (fabs((got) - (want)) <= RT * fabs(want))

Test(ols, weighted_fit_matches_lm)
{
    /* m2 <- lm(yc ~ t + x, weights = w) */
    tally_design *d = make(1, 0);
    tally_fit *f = fit(d);
    static const double coef[3] = {2.4219045284789766, 0.10524142074990379,
                                   0.69235789692356853}; /* coef(m2) */
    static const double se[3] = {0.43119603206784413, 0.024581580194864994,
                                 0.12024074115014688}; /* vcov(m2) */
    for (size_t j = 0; j < 3; j++) {
        cr_expect(near(f->estimate[j], coef[j]), "b%zu %.17g", j,
                  f->estimate[j]);
        cr_expect(near(f->std_error[j], se[j]), "se%zu %.17g", j,
                  f->std_error[j]);
    }
    /* logLik(m2): the weighted Gaussian likelihood (sum log w term). */
    cr_expect(near(f->loglik, -45.67462083382825), "%.17g", f->loglik);
    /* summary(m2)$r.squared */
    cr_expect(near(f->r_squared, 0.69122169660585731), "%.17g",
              f->r_squared);
    cr_expect_eq(f->df_residual, 27.0);
    cr_expect(near(f->aic, -2 * f->loglik + 2 * 4));
    tally_fit_free(f);
    tally_design_free(d);
}

Test(ols, offset_fit_matches_lm)
{
    /* m3 <- lm(yc ~ t, offset = x) */
    tally_design *d = make(0, 1);
    tally_fit *f = fit(d);
    cr_expect(near(f->estimate[0], 2.5030413793103441)); /* coef(m3) */
    cr_expect(near(f->estimate[1], 0.09264249165739713));
    cr_expect(near(f->loglik, -50.056717963537295)); /* logLik(m3) */
    /* With an offset the null model is intercept + offset, as for the
     * count families: g <- glm(yc ~ t, offset = x); g$null.deviance,
     * and R^2 = 1 - deviance(g)/g$null.deviance.  (R 4.2's summary.lm
     * takes mss from fitted values that include the offset and reports
     * 0.671 here; see docs/regression.md.) */
    cr_expect(near(f->null_deviance, 68.713399999999993), "%.17g",
              f->null_deviance);
    cr_expect(near(f->deviance, 49.423936242046715), "%.17g", f->deviance);
    cr_expect(near(f->r_squared, 0.28072346526228187), "%.17g",
              f->r_squared);
    tally_fit_free(f);
    tally_design_free(d);
}

Test(ols, diagnostics_match_lmtest)
{
    /* m1 <- lm(yc ~ t + x) */
    tally_design *d = make(0, 0);
    tally_fit *f = fit(d);
    /* dwtest(m1)$statistic */
    cr_expect(near(f->diag.durbin_watson, 2.1061866737787569), "%.17g",
              f->diag.durbin_watson);
    /* bgtest(m1)$statistic and $p.value (order 1, Chisq) */
    cr_expect(near(f->diag.breusch_godfrey, 0.1306144339205825), "%.17g",
              f->diag.breusch_godfrey);
    cr_expect(fabs(f->diag.breusch_godfrey_p - 0.71779582158494482) < 1e-10);
    /* Box.test(residuals(m1), lag = 6, type = "Ljung-Box"): n = 30, no
     * frequency, lag min(10, n/5) = 6. */
    cr_expect_eq(f->diag.ljung_box_lag, 6);
    cr_expect(near(f->diag.ljung_box, 2.1380969079982282), "%.17g",
              f->diag.ljung_box);
    cr_expect(fabs(f->diag.ljung_box_p - 0.9065696205920335) < 1e-10);
    tally_fit_free(f);
    tally_design_free(d);
}

Test(ols, exact_collinearity_names_terms)
{
    tally_design *d = make(0, 0);
    double x2[N];
    for (size_t i = 0; i < N; i++) {
        x2[i] = 2 * xs[i] - 3;
    }
    cr_assert_eq(tally_design_add_column(d, "x2", x2), TALLY_OK);
    tally_fit *f = NULL;
    cr_expect_eq(tally_fit_model(d, NULL, &f), TALLY_ESINGULAR);
    cr_expect_null(f);
    const char *msg = tally_last_error();
    cr_expect(strstr(msg, "x2") != NULL && strstr(msg, "x,") != NULL
                  && strstr(msg, "intercept") != NULL,
              "%s", msg);
    cr_expect_eq(tally_exit_code(TALLY_ESINGULAR), 1);
    tally_design_free(d);
}

Test(ols, zero_column_is_singular)
{
    tally_design *d = make(0, 0);
    double z[N] = {0};
    cr_assert_eq(tally_design_add_column(d, "zero", z), TALLY_OK);
    tally_fit *f = NULL;
    cr_expect_eq(tally_fit_model(d, NULL, &f), TALLY_ESINGULAR);
    cr_expect(strstr(tally_last_error(), "zero") != NULL, "%s",
              tally_last_error());
    tally_design_free(d);
}

Test(ols, rank_threshold_is_relative_to_largest_singular_value)
{
    /* x2 = x + 1e-9 * (alternating signs): scaled condition number about
     * 1e9-1e10, like Filip.  Fitted at the default (1e-13); declared rank
     * deficient at R's lm tolerance 1e-7. */
    tally_design *d = make(0, 0);
    double x2[N];
    for (size_t i = 0; i < N; i++) {
        x2[i] = xs[i] + ((i % 2) ? 1e-9 : -1e-9);
    }
    cr_assert_eq(tally_design_add_column(d, "x2", x2), TALLY_OK);
    tally_fit *f = NULL;
    cr_expect_eq(tally_fit_model(d, NULL, &f), TALLY_OK, "%s",
                 tally_last_error());
    tally_fit_free(f);
    f = NULL;
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.rank_tol = 1e-7;
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_ESINGULAR);
    cr_expect(strstr(tally_last_error(), "condition number") != NULL, "%s",
              tally_last_error());
    tally_design_free(d);
}

Test(ols, missing_rows_are_counted_not_shifted)
{
    tally_design *d = make(0, 0);
    d->y[4] = NAN;
    d->y[10] = NAN;
    d->x[2 * N + 20] = NAN; /* x in row 21 */
    tally_fit *f = fit(d);
    cr_expect_eq(f->n, 27);
    cr_expect_eq(f->n_missing, 3);
    cr_expect_eq(f->row[4], 5, "used rows keep their positions");
    cr_expect_eq(f->df_residual, 24.0);
    tally_fit_free(f);
    tally_design_free(d);
}

Test(ols, too_few_observations)
{
    tally_design *d = tally_design_alloc(3);
    d->y[0] = 1;
    d->y[1] = 2;
    d->y[2] = NAN;
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_time(d), TALLY_OK);
    tally_fit *f = NULL;
    cr_expect_eq(tally_fit_model(d, NULL, &f), TALLY_ETOOFEW);
    cr_expect_eq(tally_exit_code(TALLY_ETOOFEW), 1);
    tally_design_free(d);
}

Test(ols, lsq_refinement_reaches_exact_polynomial)
{
    /* y = 1 + x + ... + x^5 at x = 1..21 (NIST Wampler1 is this model
     * with certified coefficients all exactly 1). */
    size_t n = 21, p = 6;
    double x[21 * 6], y[21];
    for (size_t i = 0; i < n; i++) {
        double v = 1, s = 0;
        for (size_t j = 0; j < p; j++) {
            x[i * p + j] = v;
            s += v;
            v *= (double)i;
        }
        y[i] = s;
    }
    tally_lsq *s = tally_lsq_alloc(n, p);
    cr_assert_eq(tally_lsq_solve(s, x, y, NULL, TALLY_FIT_RANK_TOL, 1),
                 TALLY_OK);
    for (size_t j = 0; j < p; j++) {
        cr_expect(fabs(s->beta[j] - 1) < 1e-10, "b%zu = %.17g", j,
                  s->beta[j]);
    }
    /* Hat values sum to p. */
    double h = 0;
    for (size_t i = 0; i < n; i++) {
        h += s->hat[i];
    }
    cr_expect(fabs(h - (double)p) < 1e-10);
    tally_lsq_free(s);
    tally_lsq_free(NULL);
}
