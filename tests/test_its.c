/* SPDX-License-Identifier: MIT
 *
 * Interrupted time series against R 4.2.2 (stats glm/lm, MASS 7.3-58.2,
 * sandwich 3.0-2), every expected value printed by the R call quoted next
 * to it with options(digits = 17).  GLMs in R use
 * glm.control(epsilon = 1e-13, maxit = 100) (glm.nb: 1e-12).  Tolerances:
 * 1e-6 relative for GLM quantities (IRLS stopping, as the shared reference
 * cases), 1e-9 for OLS, 1e-4 for negative binomial standard errors (glm.nb
 * alternation, as the reference README).
 *
 * Data: the Sicily smoking-ban series (data/sicily/sicily.csv,
 * from the tutorial's repository, see its SOURCE) and R's Seatbelts as
 * shipped in the shared reference cases (skipped when TALLY_SHARED is not
 * set).  In the R snippets: time <- 1:n, b = position of the break,
 * level <- as.numeric(time >= b), slope <- pmax(0, time - b + 1),
 * S(k, t) = sinpi(2*k*t/12), C(k, t) = cospi(2*k*t/12).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_frame.h"
#include "tally/tally_its.h"
#include "tally/tally_status.h"

static void near(double got, double want, double rtol, const char *what)
{
    cr_expect(fabs(got - want) <= rtol * fabs(want) + 1e-300,
              "%s: got %.17g, want %.17g (rtol %g)", what, got, want, rtol);
}

static tally_frame_set *read_series(const char *path)
{
    tally_frame_set *s = NULL;
    cr_assert_eq(tally_series_read(path, NULL, &s), TALLY_OK, "%s",
                 tally_last_error());
    return s;
}

static tally_frame_set *sicily(void)
{
    return read_series(TALLY_SOURCE_DIR "/data/sicily/sicily.csv");
}

/* R's Seatbelts from the shared reference cases, or skip. */
static tally_frame_set *seatbelts(void)
{
    const char *shared = getenv("TALLY_SHARED");
    char path[1024];
    if (shared == NULL) {
        cr_skip_test("TALLY_SHARED is not set: no Seatbelts data");
    }
    snprintf(path, sizeof path,
             "%s/reference/cases/"
             "seatbelts-driverskilled-poisson-its/input.csv",
             shared);
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        cr_skip_test("%s is missing", path);
    }
    fclose(fp);
    return read_series(path);
}

static tally_period month(int y, int m)
{
    return tally_period_make(TALLY_FREQ_MONTH, y, m);
}

static long term(const tally_its_result *r, const char *name)
{
    long j = tally_fit_term(r->fit, name);
    cr_assert(j >= 0, "no term %s", name);
    return j;
}

/* The replication: Lopez Bernal J, Cummins S, Gasparrini A. Interrupted
 * time series regression for the evaluation of public health
 * interventions: a tutorial. Int J Epidemiol 2017;46(1):348-355.  Their
 * seasonally adjusted quasi-Poisson model of acute coronary events in
 * Sicily with log(stdpop) as offset gives the smoking-ban rate ratio 0.885
 * (95% CI 0.839-0.933).  That interval is the Wald z interval; R's
 * summary.glm convention (t with 52 df), tally's default, gives
 * 0.838-0.934.  R:
 *   f <- glm(aces ~ time + level + S(1,time) + C(1,time) + S(2,time) +
 *            C(2,time) + offset(log(stdpop)), family = quasipoisson)
 *   b <- coef(summary(f))["level", ]
 *   exp(b[1]); exp(b[1] + c(-1, 1) * qt(.975, 52) * b[2])
 *   exp(b[1] + c(-1, 1) * qnorm(.975) * b[2])
 * The tutorial's harmonics use the calendar month; tally's use time =
 * 1..n.  The series starts in January, so time = month (mod 12) and the
 * terms coincide: glm with sinpi(2*month/12) etc. gives the same rate
 * ratio 0.88507154724383563. */
Test(its, sicily_smoking_ban_replication)
{
    tally_frame_set *s = sicily();
    tally_its_options o;
    tally_its_options_init(&o);
    o.fit.family = TALLY_FAMILY_QUASIPOISSON;
    o.season = TALLY_SEASON_FOURIER;
    o.fourier_k = 2;
    o.offset_col = "stdpop";
    o.exposure = 1;
    o.change = TALLY_ITS_LEVEL;
    o.nbreaks = 1;
    o.breaks[0] = month(2005, 1);
    o.neffects = 1;
    o.effect_at[0] = 1;
    /* The check behind "time = calendar month": the series starts in
     * January and the file's own time column is 1..n. */
    const tally_frame *f = s->frames[0];
    cr_assert_eq(tally_period_sub(f->freq, f->start), 1);
    long tc = tally_frame_column(f, "time");
    cr_assert(tc >= 0);
    for (size_t i = 0; i < f->n; i++) {
        cr_expect_eq(f->cols[tc][i], (double)(i + 1));
    }
    tally_its_result *r = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "aces", &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    long lv = term(r, "level");
    near(r->fit->estimate[lv], -0.1220867928986172635, 1e-6, "level");
    near(r->fit->std_error[lv], 0.02703109876567134570, 1e-6, "se");
    near(r->fit->estimate[term(r, "time")], 0.0053892195405206775, 1e-6,
         "time");
    near(r->fit->dispersion, 2.2621826405047454, 1e-6, "dispersion");
    cr_expect_eq(r->fit->df_residual, 52);
    const tally_its_effect *e = &r->effects[0];
    near(e->estimate, 0.88507154724383652, 1e-6, "rate ratio");
    near(e->conf_low, 0.83834240770561375, 1e-6, "t low");
    near(e->conf_high, 0.93440536532618645, 1e-6, "t high");
    near(e->conf_low_z, 0.83940096962572097, 1e-6, "z low");
    near(e->conf_high_z, 0.93322699411448851, 1e-6, "z high");
    /* The paper's rounding. */
    cr_expect(fabs(e->estimate - 0.885) < 0.0005);
    cr_expect(fabs(e->conf_low_z - 0.839) < 0.0005);
    cr_expect(fabs(e->conf_high_z - 0.933) < 0.0005);
    tally_its_result_free(r);
    /* --ci z makes the z interval the interval. */
    o.ci_z = 1;
    cr_assert_eq(tally_its_fit(s->frames[0], "aces", &o, &r), TALLY_OK);
    near(r->effects[0].conf_low, 0.83940096962572097, 1e-6, "ci z low");
    near(r->fit->conf_high[term(r, "level")], log(0.93322699411448851), 1e-6,
         "ci z coefficient");
    cr_expect(!r->fit->t_based);
    tally_its_result_free(r);
    tally_frame_set_free(s);
}

/* Counterfactual past the data (--horizon 3, the exposure carried
 * forward) and the cumulative difference with the delta method.  R, with
 * f as above:
 *   tt <- 37:62; off <- log(c(stdpop[37:59], rep(stdpop[59], 3)))
 *   X <- cbind(1, tt, 0, S(1,tt), C(1,tt), S(2,tt), C(2,tt))
 *   eta <- X %*% coef(f) + off; se <- sqrt(rowSums((X %*% vcov(f)) * X))
 *   exp(eta + c(-1, 0, 1) * qt(.975, 52) * se)      (first and last row)
 *   mu <- exp(eta[1:23]); S <- sum(mu); g <- colSums(mu * X[1:23, ])
 *   sl <- sqrt(t(g) %*% vcov(f) %*% g) / S
 *   sum(aces[37:59]) - S * exp(c(0, 1, -1) * qt(.975, 52) * sl) */
Test(its, sicily_counterfactual_and_cumulative)
{
    tally_frame_set *s = sicily();
    tally_its_options o;
    tally_its_options_init(&o);
    o.fit.family = TALLY_FAMILY_QUASIPOISSON;
    o.season = TALLY_SEASON_FOURIER;
    o.fourier_k = 2;
    o.offset_col = "stdpop";
    o.exposure = 1;
    o.change = TALLY_ITS_LEVEL;
    o.nbreaks = 1;
    o.breaks[0] = month(2005, 1);
    o.horizon = 3;
    tally_its_result *r = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "aces", &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    cr_assert_eq(r->ncf, 26);
    near(r->cf[0].mean, 952.78589575544527, 1e-6, "cf first");
    near(r->cf[0].conf_low, 910.04890872724388, 1e-6, "cf first low");
    near(r->cf[0].conf_high, 997.52986289508158, 1e-6, "cf first high");
    cr_expect_eq(r->cf[25].period, month(2007, 2));
    cr_expect(isnan(r->cf[25].observed));
    near(r->cf[25].mean, 1080.8891006909635, 1e-6, "cf h3");
    near(r->cf[25].conf_low, 995.20742167204594, 1e-6, "cf h3 low");
    near(r->cf[25].conf_high, 1173.9474832589428, 1e-6, "cf h3 high");
    const tally_its_cumulative *cu = &r->cumulative;
    cr_expect_eq(cu->periods, 23);
    near(cu->observed, 19723, 1e-12, "observed");
    near(cu->counterfactual, 22284.074164872338, 1e-6, "cf sum");
    near(cu->estimate, -2561.0741648723379, 1e-6, "cumulative");
    near(cu->conf_low, -3698.9875737824223, 1e-6, "cumulative low");
    near(cu->conf_high, -1478.4441482063303, 1e-6, "cumulative high");
    tally_its_result_free(r);
    tally_frame_set_free(s);
}

/* The shared reference model (seatbelts-driverskilled-poisson-its) and
 * what derives from it.  R:
 *   f <- glm(y ~ time + level + slope + factor(month), poisson)
 *   cc: level 1, slope k; e <- sum(cc * coef(f))
 *   se <- sqrt(t(cc) %*% vcov(f) %*% cc); exp(e + c(0, -1, 1) * 1.96.. * se)
 *   Xc <- model.matrix(f); Xc[, c("level", "slope")] <- 0
 *   counterfactual and cumulative as in the Sicily test (qnorm). */
Test(its, seatbelts_poisson_effects_counterfactual)
{
    tally_frame_set *s = seatbelts();
    tally_its_options o;
    tally_its_options_init(&o);
    o.fit.family = TALLY_FAMILY_POISSON;
    o.season = TALLY_SEASON_DUMMIES;
    o.nbreaks = 1;
    o.breaks[0] = month(1983, 2);
    tally_its_result *r = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "DriversKilled", &o, &r), TALLY_OK,
                 "%s", tally_last_error());
    cr_assert_eq(r->neffects, 3);
    const double want[3][3] = {
        {0.81286293525464948, 0.74474128199308665, 0.88721569152512492},
        {0.8388589942078809, 0.78619666384601639, 0.89504884022413034},
        {0.87115400679300115, 0.82786403426778798, 0.91670766229472056}};
    for (int i = 0; i < 3; i++) {
        near(r->effects[i].estimate, want[i][0], 1e-6, "effect");
        near(r->effects[i].conf_low, want[i][1], 1e-6, "effect low");
        near(r->effects[i].conf_high, want[i][2], 1e-6, "effect high");
    }
    near(r->effects[0].p_value, 3.4895843316372106e-06, 1e-4, "effect p");
    cr_assert_eq(r->ncf, 23);
    near(r->cf[0].mean, 101.17382641372906, 1e-6, "cf first");
    near(r->cf[0].conf_low, 95.860773689676435, 1e-6, "cf low");
    near(r->cf[22].mean, 146.53182596941625, 1e-6, "cf last");
    near(r->cf[22].conf_high, 153.86002367301114, 1e-6, "cf last high");
    near(r->cumulative.estimate, -332.79930814612317, 1e-6, "cumulative");
    near(r->cumulative.conf_low, -414.11094847280583, 1e-6, "cum low");
    near(r->cumulative.conf_high, -253.91829766427372, 1e-6, "cum high");
    /* R: Box.test(residuals(f, "pearson"), lag = 12, "Ljung-Box"):
     * X-squared = 79.59, p = 4.9e-12: autocorrelation is flagged. */
    cr_expect(r->autocorrelated);
    tally_its_result_free(r);
    tally_frame_set_free(s);
}

/* Controlled ITS: front-seat casualties against rear-seat ones.  R:
 *   yy <- c(front, rear); tr <- rep(1:0, each = n); tt <- rep(time, 2)
 *   lv <- rep(level, 2); sl <- rep(slope, 2); mm <- factor(rep(month, 2))
 *   glm(yy ~ tt + lv + sl + mm + tr + tr:tt + tr:lv + tr:sl, poisson) */
Test(its, controlled_its_matches_stacked_glm)
{
    tally_frame_set *s = seatbelts();
    tally_its_options o;
    tally_its_options_init(&o);
    o.fit.family = TALLY_FAMILY_POISSON;
    o.season = TALLY_SEASON_DUMMIES;
    o.control_col = "rear";
    o.nbreaks = 1;
    o.breaks[0] = month(1983, 2);
    tally_its_result *r = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "front", &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    cr_expect(r->controlled);
    const char *names[6] = {"treated",       "treated:time", "treated:level",
                            "treated:slope", "level",        "slope"};
    const double est[6] = {0.85032987863295383946,  -0.00085974600101168660,
                           -0.36781618899145440693, 0.00081741012750451061,
                           0.03368675835260092483,  0.00704269451703123158};
    const double se[6] = {9.0941473319863693e-03, 9.5409609236824815e-05,
                          3.0507563034335525e-02, 2.0458885418458707e-03,
                          2.3571478342008144e-02, 1.5694930977163289e-03};
    for (int i = 0; i < 6; i++) {
        long j = term(r, names[i]);
        near(r->fit->estimate[j], est[i], 1e-6, names[i]);
        near(r->fit->std_error[j], se[i], 1e-6, names[i]);
    }
    cr_expect_eq(r->fit->n, 384);
    /* The effect is the treated-specific change. */
    near(r->effects[0].estimate, exp(est[2] + est[3]), 1e-6, "effect k=1");
    tally_its_result_free(r);
    tally_frame_set_free(s);
}

/* Two breaks, named level1, slope1, level2, slope2 in date order whatever
 * the order given.  R:
 *   glm(front ~ time + I(time >= b1) + pmax(0, time - b1 + 1) +
 *       I(time >= b) + pmax(0, time - b + 1) + S(1,time) + C(1,time),
 *       quasipoisson), b1 = position of 1974-01, b of 1983-02 */
Test(its, two_breaks_in_date_order)
{
    tally_frame_set *s = seatbelts();
    tally_its_options o;
    tally_its_options_init(&o);
    o.fit.family = TALLY_FAMILY_QUASIPOISSON;
    o.season = TALLY_SEASON_FOURIER;
    o.fourier_k = 1;
    o.nbreaks = 2;
    o.breaks[0] = month(1983, 2);
    o.breaks[1] = month(1974, 1);
    tally_its_result *r = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "front", &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    cr_expect_eq(r->breaks[0].period, month(1974, 1));
    const char *names[4] = {"level1", "slope1", "level2", "slope2"};
    const double est[4] = {-0.23717781788760475270, -0.00127050893681104156,
                           -0.42388952903591498034, 0.00850121490545702185};
    const double se[4] = {0.03240726985933320425, 0.00079887792195325032,
                          0.06172883801912081025, 0.00410890024278739562};
    for (int i = 0; i < 4; i++) {
        long j = term(r, names[i]);
        cr_expect_eq(j, 2 + i, "%s at %ld", names[i], j);
        near(r->fit->estimate[j], est[i], 1e-6, names[i]);
        near(r->fit->std_error[j], se[i], 1e-6, names[i]);
    }
    near(r->fit->dispersion, 9.5031938283752755, 1e-6, "dispersion");
    /* The counterfactual starts at the first break. */
    cr_expect_eq(r->cf[0].period, month(1974, 1));
    tally_its_result_free(r);
    tally_frame_set_free(s);
}

/* An excluded transition window keeps the positions of the other periods.
 * R:
 *   keep <- !(month >= "1983-01" & month <= "1983-03")
 *   f <- lm(DriversKilled ~ time + level, subset = keep)
 *   cumulative: Xc <- X; Xc[, "level"] <- 0; post <- time >= b & keep;
 *   sum(y[post]) - sum(Xc[post, ] %*% coef(f)) +- qt(.975, 186) *
 *   sqrt(g' vcov(f) g), g = colSums(Xc[post, ]) */
Test(its, exclusion_window_gaussian_level)
{
    tally_frame_set *s = seatbelts();
    tally_its_options o;
    tally_its_options_init(&o);
    o.change = TALLY_ITS_LEVEL;
    o.nbreaks = 1;
    o.breaks[0] = month(1983, 2);
    o.nexclude = 1;
    o.exclude_from[0] = month(1983, 1);
    o.exclude_to[0] = month(1983, 3);
    tally_its_result *r = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "DriversKilled", &o, &r), TALLY_OK,
                 "%s", tally_last_error());
    cr_expect_eq(r->fit->n, 189);
    cr_expect_eq(r->n_excluded, 3);
    near(r->fit->estimate[term(r, "time")], -0.098433411132329104, 1e-9,
         "time");
    near(r->fit->estimate[term(r, "level")], -15.783694795550303525, 1e-9,
         "level");
    near(r->fit->std_error[term(r, "level")], 6.644801511471248645, 1e-9,
         "level se");
    cr_expect(r->cf[1].excluded);
    cr_expect(isnan(r->cf[1].observed));
    cr_expect_eq(r->cumulative.periods, 21);
    near(r->cumulative.estimate, -331.45759070655686, 1e-9, "cumulative");
    near(r->cumulative.conf_low, -502.53930298359728, 1e-9, "cum low");
    near(r->cumulative.conf_high, -160.37587842951646, 1e-9, "cum high");
    /* Gaussian effects are differences: level + k * 0. */
    near(r->effects[0].estimate, -15.783694795550303525, 1e-9, "effect");
    tally_its_result_free(r);
    tally_frame_set_free(s);
}

/* Negative binomial with Newey-West HAC: the effect 12 periods in.  R:
 *   f <- MASS::glm.nb(rear ~ time + level + slope)
 *   V <- sandwich::NeweyWest(f, lag = 3, prewhite = FALSE, adjust = FALSE)
 *   cc <- c(0, 0, 1, 12); exp(sum(cc * coef(f)) +- qnorm(.975) *
 *   sqrt(t(cc) %*% V %*% cc)) */
Test(its, negbin_hac_effect)
{
    tally_frame_set *s = seatbelts();
    tally_its_options o;
    tally_its_options_init(&o);
    o.fit.family = TALLY_FAMILY_NEGBIN;
    o.fit.vcov.type = TALLY_VCOV_HAC;
    o.fit.vcov.hac_lag = 3;
    o.nbreaks = 1;
    o.breaks[0] = month(1983, 2);
    o.neffects = 1;
    o.effect_at[0] = 12;
    tally_its_result *r = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "rear", &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    near(r->fit->theta, 26.691887442542473, 1e-4, "theta");
    near(r->effects[0].estimate, 1.1191042600894501, 1e-5, "effect 12");
    near(r->effects[0].conf_low, 0.98610343554112123, 1e-4, "low");
    near(r->effects[0].conf_high, 1.2700435875300526, 1e-4, "high");
    tally_its_result_free(r);
    tally_frame_set_free(s);
}

/* Each error: a break outside the data or twice (usage, exit 2), too few
 * observations before the break (analysis, exit 1), an exclusion window
 * outside the data or with no data (exit 2). */
Test(its, errors_and_exit_codes)
{
    tally_frame_set *s = sicily();
    const tally_frame *f = s->frames[0];
    tally_its_options o;
    tally_its_result *r = NULL;
    tally_its_options_init(&o);
    o.nbreaks = 1;
    o.breaks[0] = month(2006, 12); /* the data end in 2006-11 */
    cr_expect_eq(tally_its_fit(f, "aces", &o, &r), TALLY_ERANGE);
    cr_expect(strstr(tally_last_error(), "outside the series") != NULL, "%s",
              tally_last_error());
    o.breaks[0] = month(2002, 3); /* 2 observations before it */
    cr_expect_eq(tally_its_fit(f, "aces", &o, &r), TALLY_ETOOFEW);
    cr_expect_eq(tally_exit_code(TALLY_ETOOFEW), 1);
    o.breaks[0] = month(2002, 1);
    cr_expect_eq(tally_its_fit(f, "aces", &o, &r), TALLY_ETOOFEW);
    o.nbreaks = 2;
    o.breaks[0] = month(2005, 1);
    o.breaks[1] = month(2005, 1);
    cr_expect_eq(tally_its_fit(f, "aces", &o, &r), TALLY_ERANGE);
    o.nbreaks = 1;
    o.nexclude = 1;
    o.exclude_from[0] = month(2006, 10);
    o.exclude_to[0] = month(2007, 1);
    cr_expect_eq(tally_its_fit(f, "aces", &o, &r), TALLY_ERANGE);
    cr_expect_eq(tally_exit_code(TALLY_ERANGE), 2);
    o.nexclude = 0;
    cr_expect_eq(tally_its_fit(f, "nosuch", &o, &r), TALLY_EINVAL);
    cr_expect(r == NULL);
    tally_frame_set_free(s);
}

/* Placebo dates lie in the pre-period with enough observations each side;
 * the bootstrap is reproducible with its seed. */
Test(its, placebo_sensitivity_bootstrap)
{
    tally_frame_set *s = sicily();
    tally_its_options o;
    tally_its_options_init(&o);
    o.fit.family = TALLY_FAMILY_QUASIPOISSON;
    o.offset_col = "stdpop";
    o.exposure = 1;
    o.change = TALLY_ITS_LEVEL;
    o.nbreaks = 1;
    o.breaks[0] = month(2005, 1);
    o.placebo = 1;
    o.placebo_min = 6;
    o.sensitivity = 2;
    o.cum_method = TALLY_ITS_CUM_BOOTSTRAP;
    o.nboot = 999;
    tally_its_result *r = NULL, *r2 = NULL;
    cr_assert_eq(tally_its_fit(s->frames[0], "aces", &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    /* 36 pre-break months, 6 each side: fake breaks at positions 7..31. */
    cr_expect_eq(r->placebo.n, 25);
    cr_expect_eq(r->placebo.fits[0].period, month(2002, 7));
    cr_expect_eq(r->placebo.fits[24].period, month(2004, 7));
    cr_expect(r->placebo.rank >= 1 && r->placebo.rank <= 26);
    /* The fake break 2003-07 (position 19) on the 36 pre-break months.  R:
     *   d <- sicily[1:36, ]; t <- 1:36; lv <- as.numeric(t >= 19)
     *   coef(summary(glm(aces ~ t + lv + offset(log(stdpop)),
     *                    quasipoisson, data = d)))["lv", ] */
    const tally_its_placebo_fit *pf = &r->placebo.fits[12];
    cr_expect_eq(pf->period, month(2003, 7));
    near(pf->estimate, -0.016187386137706282, 1e-6, "placebo estimate");
    near(pf->statistic, -0.391448271672845516, 1e-6, "placebo t");
    near(pf->p_value, 0.697982207688052747, 1e-5, "placebo p");
    /* The rank and placebo p-value, counted the slow way. */
    size_t above = 0, atleast = 0;
    for (size_t i = 0; i < r->placebo.n; i++) {
        double a = fabs(r->placebo.fits[i].statistic);
        above += a > fabs(r->placebo.real_statistic);
        atleast += a >= fabs(r->placebo.real_statistic);
    }
    cr_expect_eq(r->placebo.rank, 1 + above);
    near(r->placebo.p_value, (1.0 + (double)atleast) / 26.0, 1e-15, "pl p");
    /* Moves -2, -1, 1, 2 and widenings 1, 2. */
    cr_expect_eq(r->nsens, 6);
    cr_expect_eq(r->sens[0].period, month(2004, 11));
    cr_expect_eq(r->sens[4].win_from, month(2004, 12));
    cr_expect_eq(r->sens[4].win_to, month(2005, 1));
    cr_assert_eq(tally_its_fit(s->frames[0], "aces", &o, &r2), TALLY_OK);
    cr_expect_eq(r->cumulative.conf_low, r2->cumulative.conf_low);
    cr_expect_eq(r->cumulative.nboot, 999);
    cr_expect(r->cumulative.conf_low < r->cumulative.estimate &&
              r->cumulative.estimate < r->cumulative.conf_high);
    tally_its_result_free(r);
    tally_its_result_free(r2);
    tally_frame_set_free(s);
}
