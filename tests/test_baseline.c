/* SPDX-License-Identifier: MIT
 *
 * Baseline forecasts (mean, naive, snaive, drift) against R's forecast
 * 8.20 on AirPassengers (R datasets, monthly 1949-1960), with and without
 * interior missing values.  Expected values were printed by R 4.2.2 with
 * options(digits = 17); each block cites its call.  Tolerance 1e-12
 * relative: the formulas are closed-form, only summation order differs.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tally/tally_forecast.h"
#include "tally/tally_status.h"

static const double air[144] = {
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126,
    141, 135, 125, 149, 170, 170, 158, 133, 114, 140, 145, 150, 178, 163,
    172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181, 183, 218,
    230, 242, 209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272,
    237, 211, 180, 201, 204, 188, 235, 227, 234, 264, 302, 293, 259, 229,
    203, 229, 242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
    284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306, 315, 301,
    356, 348, 355, 422, 465, 467, 404, 347, 305, 336, 340, 318, 362, 348,
    363, 435, 491, 505, 404, 359, 310, 337, 360, 342, 406, 396, 420, 472,
    548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606,
    508, 461, 390, 432};

static const double levels[2] = {80.0, 95.0};

static void run(const char *model, const double *y, size_t h,
                tally_fc_result *r)
{
    tally_fc_spec s;
    cr_assert_eq(tally_fc_spec_parse(model, &s), TALLY_OK);
    memset(r, 0, sizeof *r);
    cr_assert_eq(tally_fc_run(&s, y, 144, TALLY_FREQ_MONTH,
                              tally_period_make(TALLY_FREQ_MONTH, 1949, 1), h,
                              levels, 2, r), TALLY_OK, "%s: %s", model,
                 tally_last_error());
}

#define NEAR(got, want) \
    cr_expect(fabs((got) - (want)) <= 1e-12 * fabs(want), \
              "%s: got %.17g want %.17g", #got, (double)(got), (double)(want))

Test(baseline, mean_as_meanf)
{
    tally_fc_result r;
    /* meanf(AirPassengers, h = 3): mean, lower 80/95, upper 80/95. */
    run("mean", air, 3, &r);
    NEAR(r.mean[2], 280.29861111111109);
    NEAR(r.lower[0 * 3 + 0], 125.30662885497944);
    NEAR(r.lower[1 * 3 + 2], 42.340162386053038);
    NEAR(r.upper[0 * 3 + 2], 435.29059336724276);
    NEAR(r.upper[1 * 3 + 0], 518.25705983616911);
    tally_fc_result_fini(&r);
}

Test(baseline, naive_snaive_drift_as_forecast)
{
    tally_fc_result r;
    /* naive(AirPassengers, h = 3): lower[, 1][3], lower[, 2][1]. */
    run("naive", air, 3, &r);
    NEAR(r.mean[0], 432.0);
    NEAR(r.lower[0 * 3 + 2], 357.17258851436873);
    NEAR(r.lower[1 * 3 + 0], 365.92881439069885);
    NEAR(r.upper[1 * 3 + 2], 546.43865039162324);
    tally_fc_result_fini(&r);
    /* snaive(AirPassengers, h = 3). */
    run("snaive", air, 3, &r);
    NEAR(r.mean[1], 391.0);
    NEAR(r.lower[0 * 3 + 0], 370.45950016906329);
    NEAR(r.upper[1 * 3 + 2], 490.17755222932834);
    tally_fc_result_fini(&r);
    /* rwf(AirPassengers, h = 3, drift = TRUE). */
    run("drift", air, 3, &r);
    NEAR(r.mean[2], 438.71328671328672);
    NEAR(r.lower[0 * 3 + 2], 363.00664348003676);
    NEAR(r.lower[1 * 3 + 0], 367.84967030970824);
    NEAR(r.upper[0 * 3 + 0], 477.64660230575060);
    NEAR(r.upper[1 * 3 + 2], 554.49660602477866);
    cr_expect_str_eq(r.coef[0].term, "drift");
    tally_fc_result_fini(&r);
}

Test(baseline, interior_missing_values_as_lagwalk)
{
    double y[144];
    tally_fc_result r;
    memcpy(y, air, sizeof y);
    /* y <- AirPassengers; y[50] <- NA; y[140] <- NA (1-based). */
    y[49] = NAN;
    y[139] = NAN;
    /* naive(y, h = 13): mean[c(1,13)], lower[c(1,13), 2],
     * upper[c(1,13), 1]. */
    run("naive", y, 13, &r);
    NEAR(r.mean[12], 432.0);
    NEAR(r.lower[1 * 13 + 0], 364.82291640218654);
    NEAR(r.lower[1 * 13 + 12], 189.78958055195258);
    NEAR(r.upper[0 * 13 + 12], 590.37288066683664);
    cr_expect_eq(r.n_missing, 2);
    tally_fc_result_fini(&r);
    /* snaive(y, h = 13). */
    run("snaive", y, 13, &r);
    NEAR(r.mean[12], 417.0);
    NEAR(r.lower[1 * 13 + 0], 345.78661511580708);
    NEAR(r.lower[1 * 13 + 12], 316.28906527427915);
    NEAR(r.upper[0 * 13 + 12], 482.85134067935218);
    tally_fc_result_fini(&r);
    /* rwf(y, h = 13, drift = TRUE); $model$par$drift, drift.se. */
    run("drift", y, 13, &r);
    NEAR(r.mean[0], 434.26950354609932);
    NEAR(r.mean[12], 461.50354609929082);
    NEAR(r.lower[1 * 13 + 12], 208.02862371514794);
    NEAR(r.upper[0 * 13 + 0], 478.40978812937010);
    NEAR(r.coef[0].estimate, 2.2695035460992914);
    NEAR(r.coef[0].std_error, 2.8903795187086816);
    tally_fc_result_fini(&r);
}

Test(baseline, too_short_and_constant)
{
    tally_fc_spec s;
    tally_fc_result r;
    double y[13];
    for (size_t i = 0; i < 13; i++) {
        y[i] = 0.0;
    }
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_spec_parse("snaive", &s), TALLY_OK);
    /* One season is not enough for a seasonal difference. */
    cr_expect_eq(tally_fc_run(&s, y, 12, TALLY_FREQ_MONTH, 0, 3, levels, 2,
                              &r), TALLY_ETOOFEW);
    /* A series of zeros: forecast 0, zero-width intervals. */
    cr_assert_eq(tally_fc_run(&s, y, 13, TALLY_FREQ_MONTH, 0, 3, levels, 2,
                              &r), TALLY_OK);
    cr_expect_eq(r.mean[2], 0.0);
    cr_expect_eq(r.lower[5], 0.0);
    cr_expect_eq(r.upper[5], 0.0);
    tally_fc_result_fini(&r);
}

Test(baseline, leading_and_trailing_missing_values_are_trimmed)
{
    double y[146];
    tally_fc_result r;
    tally_fc_spec s;
    y[0] = NAN;
    memcpy(y + 1, air, sizeof air);
    y[145] = NAN;
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_spec_parse("naive", &s), TALLY_OK);
    cr_assert_eq(tally_fc_run(&s, y, 146, TALLY_FREQ_MONTH,
                              tally_period_make(TALLY_FREQ_MONTH, 1948, 12), 2,
                              levels, 2, &r), TALLY_OK);
    cr_expect_eq(r.n, 144);
    cr_expect_eq(r.n_dropped, 2);
    cr_expect_eq(r.start, tally_period_make(TALLY_FREQ_MONTH, 1949, 1));
    cr_expect_eq(r.first, tally_period_make(TALLY_FREQ_MONTH, 1961, 1));
    cr_expect(strstr(r.warning, "trailing") != NULL);
    NEAR(r.lower[1 * 2 + 0], 365.92881439069885);
    tally_fc_result_fini(&r);
}
