/* SPDX-License-Identifier: MIT
 *
 * The forecasting dispatcher: model specs, argument checks, --log
 * back-transformation, the late-reporting guard.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tally/tally_forecast.h"
#include "tally/tally_status.h"

Test(forecast, spec_parse_and_format)
{
    static const char *good[] = {"arima:0,1,1:0,1,1", "arima:2,0,0",
                                 "arima:auto", "ets:MAM", "ets:AAdN",
                                 "ets:auto", "naive", "snaive", "drift",
                                 "mean", "poisson-trend", "negbin-trend",
                                 "auto"};
    static const char *bad[] = {"arima:", "arima:1,1", "arima:1,1,1:",
                                "arima:1,1,1:1,1", "arima:1,1,1,1",
                                "arima:-1,0,0", "arima:1,9,0", "ets:XYZ",
                                "ets:AAd", "ets:ANNN", "foo", "", "arima:a,b,c",
                                "arima:1,1,1:1,1,1:"};
    tally_fc_spec s;
    char buf[64];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        cr_expect_eq(tally_fc_spec_parse(good[i], &s), TALLY_OK, "%s",
                     good[i]);
        cr_expect_str_eq(tally_fc_spec_format(&s, buf, sizeof buf), good[i]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(tally_fc_spec_parse(bad[i], &s), TALLY_EINVAL, "%s",
                     bad[i]);
    }
    cr_assert_eq(tally_fc_spec_parse("arima:1,1,2:0,1,1", &s), TALLY_OK);
    cr_expect_eq(s.order[2], 2);
    cr_expect_eq(s.seasonal[1], 1);
}

Test(forecast, bad_arguments)
{
    tally_fc_spec s;
    tally_fc_result r;
    double y[24], lv[1] = {100.0};
    for (size_t i = 0; i < 24; i++) {
        y[i] = (double)(i % 5);
    }
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_spec_parse("naive", &s), TALLY_OK);
    cr_expect_eq(tally_fc_run(&s, y, 24, TALLY_FREQ_MONTH, 0, 0, NULL, 0, &r),
                 TALLY_EINVAL);
    cr_expect_eq(tally_fc_run(&s, y, 24, TALLY_FREQ_MONTH, 0, 3, lv, 1, &r),
                 TALLY_EINVAL);
    cr_expect_eq(tally_fc_run(&s, y, 24, TALLY_FREQ_NONE, 0, 3, NULL, 0, &r),
                 TALLY_EINVAL);
    s.log = 1;
    /* log(0) is not defined. */
    cr_expect_eq(tally_fc_run(&s, y, 24, TALLY_FREQ_MONTH, 0, 3, NULL, 0, &r),
                 TALLY_EDOMAIN);
    for (size_t i = 0; i < 24; i++) {
        y[i] = NAN;
    }
    s.log = 0;
    cr_expect_eq(tally_fc_run(&s, y, 24, TALLY_FREQ_MONTH, 0, 3, NULL, 0, &r),
                 TALLY_ETOOFEW);
}

Test(forecast, log_scale_back_transforms)
{
    tally_fc_spec s;
    tally_fc_result a, b;
    double y[30], ly[30], lv[2] = {80, 95};
    for (size_t i = 0; i < 30; i++) {
        y[i] = 10.0 + (double)((i * 7) % 11);
        ly[i] = log(y[i]);
    }
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    cr_assert_eq(tally_fc_spec_parse("drift", &s), TALLY_OK);
    cr_assert_eq(tally_fc_run(&s, ly, 30, TALLY_FREQ_QUARTER, 0, 4, lv, 2, &a),
                 TALLY_OK);
    s.log = 1;
    cr_assert_eq(tally_fc_run(&s, y, 30, TALLY_FREQ_QUARTER, 0, 4, lv, 2, &b),
                 TALLY_OK);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_float_eq(b.mean[i], exp(a.mean[i]), 1e-12 * b.mean[i]);
        cr_expect_float_eq(b.upper[4 + i], exp(a.upper[4 + i]),
                           1e-12 * b.upper[4 + i]);
    }
    cr_expect_eq(b.spec.log, 1);
    cr_expect_float_eq(b.sigma2, a.sigma2, 1e-15);
    tally_fc_result_fini(&a);
    tally_fc_result_fini(&b);
}

Test(forecast, last_period_partial)
{
    double y[14] = {20, 22, 19, 25, 21, 20, 23, 24, 22, 21, 20, 26, 22, 4};
    cr_expect_eq(tally_fc_last_partial(y, 14, 0.5, 12, 5.0), 1);
    y[13] = 15;
    cr_expect_eq(tally_fc_last_partial(y, 14, 0.5, 12, 5.0), 0);
    /* Small counts: a low month is not unusual. */
    double z[14] = {2, 1, 3, 2, 0, 1, 2, 4, 2, 1, 3, 2, 2, 0};
    cr_expect_eq(tally_fc_last_partial(z, 14, 0.5, 12, 5.0), 0);
}

Test(forecast, constant_series_is_forecast_as_constant)
{
    tally_fc_spec s;
    tally_fc_result r;
    double y[40], lv[1] = {95};
    for (size_t i = 0; i < 40; i++) {
        y[i] = 0.0;
    }
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_spec_parse("arima:1,0,0", &s), TALLY_OK);
    cr_assert_eq(tally_fc_run(&s, y, 40, TALLY_FREQ_MONTH, 0, 5, lv, 1, &r),
                 TALLY_OK);
    cr_expect_eq(r.mean[4], 0.0);
    cr_expect_eq(r.upper[4], 0.0);
    cr_expect(strstr(r.warning, "constant") != NULL);
    tally_fc_result_fini(&r);
}
