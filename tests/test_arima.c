/* SPDX-License-Identifier: MIT
 *
 * ARIMA against R 4.2.2 (stats::arima, forecast 8.20, urca 1.3): exact
 * maximum likelihood fits, standard errors, forecasts and their variances,
 * regression with ARIMA errors, missing values, the KPSS/STL tests behind
 * auto.arima and auto.arima's choices; and the fast algorithms against
 * slow, obviously correct ones (stationary covariance by iterating the
 * Lyapunov recursion, Chandrasekhar recursions against the Riccati
 * filter).  Each expected value cites the R call that printed it (with
 * options(digits = 17)).
 *
 * Tolerances (shared/reference/README.md, "ARIMA"): coefficients and
 * forecasts rtol 1e-3 (two optimisers stop at slightly different points of
 * a flat likelihood), standard errors rtol 1e-2 (R differentiates
 * numerically with step 1e-3), log-likelihood at least R's minus 1e-3 and
 * at most R's plus 0.01 (R's values here are exact: fits of the explicitly
 * differenced series).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arima_expect.h"
#include "forecast/arima_int.h"
#include "tally/tally_forecast.h"
#include "tally/tally_status.h"

/* R datasets. */
static const double lh[48] = {
    2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2.0, 1.9, 1.7, 2.2, 1.8,
    3.2, 3.2, 2.7, 2.2, 2.2, 1.9, 1.9, 1.8, 2.7, 3.0, 2.3, 2.0, 2.0, 2.9,
    2.9, 2.7, 2.7, 2.3, 2.6, 2.4, 1.8, 1.7, 1.5, 1.4, 2.1, 3.3, 3.5, 3.5,
    3.1, 2.6, 2.1, 3.4, 3.0, 2.9};

static const double nile[100] = {
    1120, 1160, 963,  1210, 1160, 1160, 813,  1230, 1370, 1140, 995,  935,
    1110, 994,  1020, 960,  1180, 799,  958,  1140, 1100, 1210, 1150, 1250,
    1260, 1220, 1030, 1100, 774,  840,  874,  694,  940,  833,  701,  916,
    692,  1020, 1050, 969,  831,  726,  456,  824,  702,  1120, 1100, 832,
    764,  821,  768,  845,  864,  862,  698,  845,  744,  796,  1040, 759,
    781,  865,  845,  944,  984,  897,  822,  1010, 771,  676,  649,  846,
    812,  742,  801,  1040, 860,  874,  848,  890,  744,  749,  838,  1050,
    918,  986,  797,  923,  975,  815,  1020, 906,  901,  1170, 912,  746,
    919,  718,  714,  740};

static const double usacc[72] = {
    9007,  8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161,
    8927,  7750, 6981, 8038, 8422,  8714,  9512,  10120, 9823, 8743, 9129,
    8710,  8680, 8162, 7306, 8124,  7870,  9387,  9556,  10093, 9620, 8285,
    8466,  8160, 8034, 7717, 7461,  7767,  7925,  8623,  8945, 10078, 9179,
    8037,  8488, 7874, 8647, 7792,  6957,  7726,  8106,  8890, 9299, 10625,
    9302,  8314, 8850, 8265, 8796,  7836,  6892,  7791,  8192, 9115, 9434,
    10484, 9827, 9110, 9070, 8633,  9240};

static const double www[100] = {
    88,  84,  85,  85,  84,  85,  83,  85,  88,  89,  91,  99,  104, 112,
    126, 138, 146, 151, 150, 148, 147, 149, 143, 132, 131, 139, 147, 150,
    148, 145, 140, 134, 131, 131, 129, 126, 126, 132, 137, 140, 142, 150,
    159, 167, 170, 171, 172, 172, 174, 175, 172, 172, 174, 174, 169, 165,
    156, 142, 131, 121, 112, 104, 102, 99,  99,  95,  88,  84,  84,  87,
    89,  88,  85,  86,  89,  91,  91,  94,  101, 110, 121, 135, 145, 149,
    156, 165, 171, 175, 177, 182, 193, 204, 208, 210, 215, 222, 228, 226,
    222, 220};

static const double huron[98] = {
    580.38, 581.86, 580.97, 580.80, 579.79, 580.39, 580.42, 580.82, 581.40,
    581.32, 581.44, 581.68, 581.17, 580.53, 580.01, 579.91, 579.14, 579.16,
    579.55, 579.67, 578.44, 578.24, 579.10, 579.09, 579.35, 578.82, 579.32,
    579.01, 579.00, 579.80, 579.83, 579.72, 579.89, 580.01, 579.37, 578.69,
    578.19, 578.67, 579.55, 578.92, 578.09, 579.37, 580.13, 580.14, 579.51,
    579.24, 578.66, 578.86, 578.05, 577.79, 576.75, 576.75, 577.82, 578.64,
    580.58, 579.48, 577.38, 576.90, 576.94, 576.24, 576.84, 576.85, 576.90,
    577.79, 578.18, 577.51, 577.23, 578.42, 579.61, 579.05, 579.26, 579.22,
    579.38, 579.10, 577.95, 578.12, 579.75, 580.85, 580.41, 579.96, 579.61,
    578.76, 578.18, 577.21, 577.13, 579.10, 578.25, 577.91, 576.89, 575.96,
    576.80, 577.68, 578.38, 578.52, 579.74, 579.31, 579.89, 579.96};

static const double ukgas[108] = {
    160.1, 129.7, 84.8,  120.1, 160.1, 124.9, 84.8,  116.9, 169.7, 140.9,
    89.7,  123.3, 187.3, 144.1, 92.9,  120.1, 176.1, 147.3, 89.7,  123.3,
    185.7, 155.3, 99.3,  131.3, 200.1, 161.7, 102.5, 136.1, 204.9, 176.1,
    112.1, 140.9, 227.3, 195.3, 115.3, 142.5, 244.9, 214.5, 118.5, 153.7,
    244.9, 216.1, 188.9, 142.5, 301.0, 196.9, 136.1, 267.3, 317.0, 230.5,
    152.1, 336.2, 371.4, 240.1, 158.5, 355.4, 449.9, 286.6, 179.3, 403.4,
    491.5, 321.8, 177.7, 409.8, 593.9, 329.8, 176.1, 483.5, 584.3, 395.4,
    187.3, 485.1, 669.2, 421.0, 216.1, 509.1, 827.7, 467.5, 209.7, 542.7,
    840.5, 414.6, 217.7, 670.8, 848.5, 437.0, 209.7, 701.2, 925.3, 443.4,
    214.5, 683.6, 917.3, 515.5, 224.1, 694.8, 989.4, 477.1, 233.7, 730.0,
    1087.0, 534.7, 281.8, 787.6, 1163.9, 613.1, 347.4, 782.8};

static const double ldeaths[72] = {
    3035, 2552, 2704, 2554, 2014, 1655, 1721, 1524, 1596, 2074, 2199, 2512,
    2933, 2889, 2938, 2497, 1870, 1726, 1607, 1545, 1396, 1787, 2076, 2837,
    2787, 3891, 3179, 2011, 1636, 1580, 1489, 1300, 1356, 1653, 2013, 2823,
    3102, 2294, 2385, 2444, 1748, 1554, 1498, 1361, 1346, 1564, 1640, 2293,
    2815, 3137, 2679, 1969, 1870, 1633, 1529, 1366, 1357, 1570, 1535, 2491,
    3084, 2605, 2573, 2143, 1693, 1504, 1461, 1354, 1333, 1492, 1781, 1915};

static const double levels95[1] = {95.0};

static void fit(const char *model, const double *y, size_t n, tally_freq freq,
                int drift, size_t h, tally_fc_result *r)
{
    tally_fc_spec s;
    cr_assert_eq(tally_fc_spec_parse(model, &s), TALLY_OK);
    s.drift = drift;
    memset(r, 0, sizeof *r);
    cr_assert_eq(tally_fc_run(&s, y, n, freq,
                              tally_period_make(freq, 1901, 1), h, levels95, 1,
                              r),
                 TALLY_OK, "%s: %s", model, tally_last_error());
}

/* v_h = ((upper - mean)/z)^2 / sigma2: the forecast-error variance in
 * units of the innovation variance. */
static double vh(const tally_fc_result *r, size_t i)
{
    double z = 1.959963984540054;
    double hw = (r->upper[i] - r->mean[i]) / z;
    return hw * hw / r->sigma2;
}

Test(arima, ar1_with_mean_lh)
{
    tally_fc_result r;
    fit("arima:1,0,0", lh, 48, TALLY_FREQ_YEAR, 0, 3, &r);
    /* arima(lh, order = c(1,0,0), method = "ML"): coef, s.e., loglik. */
    cr_assert_eq(r.ncoef, 2);
    cr_expect_str_eq(r.coef[0].term, "ar1");
    cr_expect_str_eq(r.coef[1].term, "intercept");
    EXPECT_REL(r.coef[0].estimate, 0.57393698004923921, 1e-3);
    EXPECT_REL(r.coef[1].estimate, 2.4132643232525313, 1e-3);
    EXPECT_REL(r.coef[0].std_error, 0.11613982852673602, 1e-2);
    EXPECT_REL(r.coef[1].std_error, 0.14661538788470196, 1e-2);
    EXPECT_LOGLIK(r.loglik, -29.379162403341873);
    /* Arima(lh, order = c(1,0,0), method = "ML"): sigma2, aicc, bic (no
     * differencing: R's values are exact); forecast(h = 3, level = 95):
     * mean and (upper - mean)/qnorm(0.975). */
    EXPECT_REL(r.sigma2, 0.20607596148947127, 5e-3);
    cr_expect(fabs(r.aicc - 65.303779352138292) < 0.01, "aicc %g", r.aicc);
    cr_expect(fabs(r.bic - 70.371927839407419) < 0.01, "bic %g", r.bic);
    EXPECT_REL(r.mean[0], 2.692619927647196, 1e-3);
    EXPECT_REL(r.mean[2], 2.5052850809625866, 1e-3);
    EXPECT_REL((r.upper[0] - r.mean[0]) / 1.959963984540054,
               0.45395590258247687, 1e-3);
    EXPECT_REL((r.upper[2] - r.mean[2]) / 1.959963984540054,
               0.54435170032565106, 1e-3);
    cr_expect_str_eq(r.model, "ARIMA(1,0,0) with non-zero mean");
    tally_fc_result_fini(&r);
}

Test(arima, ar3_with_mean_lh)
{
    tally_fc_result r;
    fit("arima:3,0,0", lh, 48, TALLY_FREQ_YEAR, 0, 1, &r);
    /* arima(lh, order = c(3,0,0), method = "ML"). */
    static const double est[4] = {0.64480266293615118, -0.063381955842650023,
                                  -0.21979839951151292, 2.3931187778929903};
    static const double se[4] = {0.13935600841319418, 0.16676608570074011,
                                 0.14211003948097548, 0.096260488693353047};
    for (size_t i = 0; i < 4; i++) {
        cr_expect(fabs(r.coef[i].estimate - est[i]) < 1e-3 * fabs(est[i])
                      + 1e-4, "coef %zu: %g vs %g", i, r.coef[i].estimate,
                  est[i]);
        EXPECT_REL(r.coef[i].std_error, se[i], 1e-2);
    }
    EXPECT_LOGLIK(r.loglik, -27.092411059730381);
    tally_fc_result_fini(&r);
}

Test(arima, missing_values_in_an_undifferenced_model)
{
    double y[48];
    tally_fc_result r;
    memcpy(y, lh, sizeof y);
    /* y <- lh; y[c(10, 30)] <- NA; arima(y, order = c(1,0,0),
     * method = "ML"): without differencing R's likelihood is the exact one,
     * the Kalman filter skipping the missing values, as here. */
    y[9] = NAN;
    y[29] = NAN;
    fit("arima:1,0,0", y, 48, TALLY_FREQ_YEAR, 0, 1, &r);
    EXPECT_REL(r.coef[0].estimate, 0.56154055044457352, 1e-3);
    EXPECT_REL(r.coef[1].estimate, 2.4181211451341156, 1e-3);
    EXPECT_LOGLIK(r.loglik, -29.24362523380308);
    cr_expect_eq(r.n_missing, 2);
    tally_fc_result_fini(&r);
}

Test(arima, arima111_with_drift_nile)
{
    tally_fc_result r;
    fit("arima:1,1,1", nile, 100, TALLY_FREQ_YEAR, 1, 5, &r);
    /* w <- diff(Nile); arima(w, order = c(1,0,1), method = "ML"): the
     * exact likelihood of the differenced series; its mean is the drift. */
    cr_assert_eq(r.ncoef, 3);
    cr_expect_str_eq(r.coef[2].term, "drift");
    EXPECT_REL(r.coef[0].estimate, 0.2707195283876308, 1e-3);
    EXPECT_REL(r.coef[1].estimate, -0.90544527008041709, 1e-3);
    EXPECT_REL(r.coef[2].estimate, -2.8828656619478643, 1e-3);
    EXPECT_REL(r.coef[0].std_error, 0.11759402471190157, 1e-2);
    EXPECT_REL(r.coef[1].std_error, 0.057650477213855245, 1e-2);
    EXPECT_REL(r.coef[2].std_error, 2.0166218953109025, 1e-2);
    EXPECT_LOGLIK(r.loglik, -629.8185247002441);
    /* fa <- Arima(Nile, order = c(1,1,1), include.drift = TRUE,
     * method = "ML"); fc <- forecast(fa, h = 5, level = 95): fc$mean and
     * ((fc$upper - fc$mean)/qnorm(0.975))^2 / fa$sigma2. */
    static const double mean[5] = {799.18348691016968, 813.10319695620751,
                                   814.7691173337081, 813.11769718764913,
                                   810.56820808113571};
    static const double v[5] = {1.0000000003662848, 1.1334252812391326,
                                1.1708449264060925, 1.1924313281958818,
                                1.2104757848887286};
    for (size_t i = 0; i < 5; i++) {
        EXPECT_REL(r.mean[i], mean[i], 1e-3);
        EXPECT_REL(vh(&r, i), v[i], 1e-3);
    }
    cr_expect_str_eq(r.model, "ARIMA(1,1,1) with drift");
    tally_fc_result_fini(&r);
}

Test(arima, airline_model_usaccdeaths)
{
    tally_fc_result r;
    fit("arima:0,1,1:0,1,1", usacc, 72, TALLY_FREQ_MONTH, 0, 14, &r);
    /* w <- diff(diff(USAccDeaths, 12)); arima(w, order = c(0,0,1),
     * seasonal = c(0,0,1), include.mean = FALSE, method = "ML"). */
    EXPECT_REL(r.coef[0].estimate, -0.43028038580188999, 1e-3);
    EXPECT_REL(r.coef[1].estimate, -0.55270937707460988, 1e-3);
    EXPECT_REL(r.coef[0].std_error, 0.12280551271706217, 1e-2);
    EXPECT_REL(r.coef[1].std_error, 0.17836311806044058, 1e-2);
    EXPECT_LOGLIK(r.loglik, -425.4411024389093);
    /* sigma2 = sum of squared innovations / (n* - k): R's MLE
     * 99353.176879296283 times 59/57 (n-star = 72 - 13 = 59, k = 2). */
    EXPECT_REL(r.sigma2, 99353.176879296283 * 59.0 / 57.0, 5e-3);
    /* fa <- Arima(USAccDeaths, order = c(0,1,1), seasonal = c(0,1,1),
     * method = "ML"); forecast(fa, h = 14, level = 95): mean and v_h at
     * h = 1, 12, 14. */
    EXPECT_REL(r.mean[0], 8336.0599112068085, 1e-3);
    EXPECT_REL(r.mean[11], 9376.5925603645956, 1e-3);
    EXPECT_REL(r.mean[13], 7718.3614218708044, 1e-3);
    EXPECT_REL(vh(&r, 0), 1.0016161216188506, 2e-3);
    EXPECT_REL(vh(&r, 11), 4.5740443153167742, 1e-3);
    EXPECT_REL(vh(&r, 13), 6.292588935704492, 1e-3);
    cr_expect_str_eq(r.model, "ARIMA(0,1,1)(0,1,1)[12]");
    tally_fc_result_fini(&r);
}

Test(arima, seasonal_ar_with_drift_usaccdeaths)
{
    tally_fc_result r;
    fit("arima:1,0,0:2,1,0", usacc, 72, TALLY_FREQ_MONTH, 1, 1, &r);
    /* w <- diff(USAccDeaths, 12); arima(w, order = c(1,0,0),
     * seasonal = c(2,0,0), include.mean = TRUE, method = "ML"): the mean
     * of the seasonally differenced series is 12 times the drift. */
    EXPECT_REL(r.coef[0].estimate, 0.81207952019336083, 1e-3);
    EXPECT_REL(r.coef[1].estimate, -0.43841092840717277, 1e-3);
    EXPECT_REL(r.coef[2].estimate, -0.2427060481953198, 2e-3);
    EXPECT_REL(r.coef[3].estimate, -147.78685174246539 / 12.0, 5e-3);
    EXPECT_REL(r.coef[0].std_error, 0.084988299414071447, 1e-2);
    EXPECT_REL(r.coef[1].std_error, 0.13836790296664833, 1e-2);
    EXPECT_REL(r.coef[2].std_error, 0.14965611365079012, 1e-2);
    EXPECT_REL(r.coef[3].std_error, 141.72708644837559 / 12.0, 1e-2);
    EXPECT_LOGLIK(r.loglik, -435.51608426934735);
    tally_fc_result_fini(&r);
}

Test(arima, seasonal_ar_with_mean_usaccdeaths)
{
    tally_fc_result r;
    fit("arima:2,0,0:2,0,0", usacc, 72, TALLY_FREQ_MONTH, 0, 1, &r);
    /* arima(USAccDeaths, order = c(2,0,0), seasonal = c(2,0,0),
     * method = "ML") (no differencing: exact). */
    static const double est[5] = {0.66498227925532094, 0.15589055450640926,
                                  0.61051738475977324, 0.30179610868535034,
                                  9246.3310336731774};
    for (size_t i = 0; i < 5; i++) {
        EXPECT_REL(r.coef[i].estimate, est[i], 1e-3);
    }
    EXPECT_LOGLIK(r.loglik, -530.50532268947154);
    tally_fc_result_fini(&r);
}

Test(arima, ar3_differenced_wwwusage)
{
    tally_fc_result r;
    fit("arima:3,1,0", www, 100, TALLY_FREQ_YEAR, 0, 1, &r);
    /* w <- diff(WWWusage); arima(w, order = c(3,0,0),
     * include.mean = FALSE, method = "ML"). */
    static const double est[3] = {1.1513435840405453, -0.66122780805652481,
                                  0.34071168678908753};
    static const double se[3] = {0.094984435126335698, 0.13526233435888677,
                                 0.094145510278999492};
    for (size_t i = 0; i < 3; i++) {
        EXPECT_REL(r.coef[i].estimate, est[i], 1e-3);
        EXPECT_REL(r.coef[i].std_error, se[i], 1e-2);
    }
    EXPECT_LOGLIK(r.loglik, -251.9969422951641);
    cr_expect_str_eq(r.model, "ARIMA(3,1,0)");
    tally_fc_result_fini(&r);
}

Test(arima, regression_with_arima_errors_lakehuron)
{
    /* x <- time(LakeHuron) - 1920; arima(LakeHuron, order = c(2,0,0),
     * xreg = x, method = "ML"); predict(f, n.ahead = 2,
     * newxreg = c(53, 54)). */
    double x[100];
    for (size_t i = 0; i < 100; i++) {
        x[i] = (double)(1875 + (int)i - 1920);
    }
    const double *cols[1] = {x};
    const char *names[1] = {"x"};
    tally_fc_xreg xr = {1, names, cols};
    tally_fc_spec s;
    tally_fc_result r;
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_spec_parse("arima:2,0,0", &s), TALLY_OK);
    cr_assert_eq(tally_fc_run_x(&s, huron, 98, TALLY_FREQ_YEAR,
                                tally_period_make(TALLY_FREQ_YEAR, 1875, 1),
                                &xr, 2, levels95, 1, &r),
                 TALLY_OK, "%s", tally_last_error());
    cr_assert_eq(r.ncoef, 4);
    cr_expect_str_eq(r.coef[3].term, "x");
    static const double est[4] = {1.0048200533129932, -0.29130448826685784,
                                  579.09939229355689, -0.021567925984203651};
    static const double se[4] = {0.097610760852722619, 0.10036501156179573,
                                 0.23702510876531038, 0.0080996577538384028};
    for (size_t i = 0; i < 4; i++) {
        EXPECT_REL(r.coef[i].estimate, est[i], 1e-3);
        EXPECT_REL(r.coef[i].std_error, se[i], 1e-2);
    }
    EXPECT_LOGLIK(r.loglik, -101.19826717023642);
    EXPECT_REL(r.mean[0], 579.39725400472616, 1e-5);
    EXPECT_REL(r.mean[1], 578.80522535448586, 1e-5);
    /* The ratio of the two forecast standard errors does not depend on
     * the sigma2 convention. */
    EXPECT_REL(sqrt(vh(&r, 1) / vh(&r, 0)),
               0.95794003969043462 / 0.67573540001656451, 1e-4);
    cr_expect_str_eq(r.model, "Regression with ARIMA(2,0,0) errors");
    tally_fc_result_fini(&r);
    /* A regressor without future values is refused. */
    x[99] = NAN;
    cr_expect_eq(tally_fc_run_x(&s, huron, 98, TALLY_FREQ_YEAR, 0, &xr, 2,
                                levels95, 1, &r),
                 TALLY_EMISSING);
}

Test(arima, refusals)
{
    tally_fc_spec s;
    tally_fc_result r;
    memset(&r, 0, sizeof r);
    /* Seasonal models need two full seasons. */
    cr_assert_eq(tally_fc_spec_parse("arima:0,1,1:0,1,1", &s), TALLY_OK);
    cr_expect_eq(tally_fc_run(&s, usacc, 20, TALLY_FREQ_MONTH, 0, 3, levels95,
                              1, &r), TALLY_ETOOFEW);
    cr_expect(strstr(tally_last_error(), "two full seasons") != NULL);
    /* ... and seasonal data. */
    cr_expect_eq(tally_fc_run(&s, nile, 100, TALLY_FREQ_YEAR, 0, 3, levels95,
                              1, &r), TALLY_EINVAL);
    /* Drift with two differences is dropped, as forecast::Arima does. */
    s.drift = 1;
    cr_assert_eq(tally_fc_run(&s, usacc, 72, TALLY_FREQ_MONTH, 0, 3, levels95,
                              1, &r), TALLY_OK);
    cr_expect(strstr(r.warning, "no drift") != NULL);
    cr_expect_eq(r.ncoef, 2);
    tally_fc_result_fini(&r);
    /* More coefficients than data. */
    cr_assert_eq(tally_fc_spec_parse("arima:5,0,5", &s), TALLY_OK);
    cr_expect_eq(tally_fc_run(&s, lh, 10, TALLY_FREQ_YEAR, 0, 3, levels95, 1,
                              &r), TALLY_ETOOFEW);
}

/* Slow reference: iterate P <- T P T' + R R' from 0 to convergence. */
static void lyapunov_iterate(const double *phi, size_t np,
                             const double *theta, size_t nq, size_t r,
                             double *P)
{
    double *T = calloc(r * r, sizeof *T), *TP = calloc(r * r, sizeof *TP);
    double *Rv = calloc(r, sizeof *Rv), *Pn = calloc(r * r, sizeof *Pn);
    cr_assert(T && TP && Rv && Pn);
    for (size_t i = 0; i < r; i++) {
        T[i * r] = i < np ? phi[i] : 0.0;
        if (i + 1 < r) {
            T[i * r + i + 1] = 1.0;
        }
        Rv[i] = i == 0 ? 1.0 : (i <= nq ? theta[i - 1] : 0.0);
    }
    memset(P, 0, r * r * sizeof *P);
    for (int it = 0; it < 20000; it++) {
        for (size_t i = 0; i < r; i++) {
            for (size_t j = 0; j < r; j++) {
                double s = 0.0;
                for (size_t k = 0; k < r; k++) {
                    s += T[i * r + k] * P[k * r + j];
                }
                TP[i * r + j] = s;
            }
        }
        for (size_t i = 0; i < r; i++) {
            for (size_t j = 0; j < r; j++) {
                double s = Rv[i] * Rv[j];
                for (size_t k = 0; k < r; k++) {
                    s += TP[i * r + k] * T[j * r + k];
                }
                Pn[i * r + j] = s;
            }
        }
        memcpy(P, Pn, r * r * sizeof *P);
    }
    free(T);
    free(TP);
    free(Rv);
    free(Pn);
}

Test(kalman, stationary_covariance_solves_lyapunov)
{
    /* (1 - 0.5B + 0.2B^2)(1 - 0.4B^4) with MA (1 + 0.3B)(1 - 0.6B^4):
     * np = 6, nq = 5, r = 6; and a pure MA and a pure AR. */
    double ar[2] = {0.5, -0.2}, sar[1] = {0.4}, ma[1] = {0.3}, sma[1] = {-0.6};
    double phi[16], theta[16];
    size_t np = tly_arma_expand(ar, 2, sar, 1, 4, -1, phi);
    size_t nq = tly_arma_expand(ma, 1, sma, 1, 4, 1, theta);
    cr_assert_eq(np, 6);
    cr_assert_eq(nq, 5);
    /* Multiplied out: phi_1 = 0.5, phi_2 = -0.2, phi_4 = 0.4,
     * phi_5 = -0.2, phi_6 = 0.08. */
    cr_expect_float_eq(phi[3], 0.4, 1e-15);
    cr_expect_float_eq(phi[4], -0.2, 1e-15);
    cr_expect_float_eq(phi[5], 0.08, 1e-15);
    cr_expect_float_eq(theta[4], -0.18, 1e-15);
    struct {
        size_t np, nq;
    } cases[3] = {{6, 5}, {0, 5}, {6, 0}};
    for (size_t c = 0; c < 3; c++) {
        size_t p = cases[c].np, q = cases[c].nq;
        size_t r = p > q + 1 ? p : q + 1;
        double P0[64], Pi[64];
        double *work = malloc(tly_arma_acov_work(p, q, r) * sizeof *work);
        cr_assert_eq(tly_arma_p0(phi, p, theta, q, r, P0, work), 0);
        lyapunov_iterate(phi, p, theta, q, r, Pi);
        for (size_t i = 0; i < r * r; i++) {
            cr_expect(fabs(P0[i] - Pi[i]) <= 1e-10 * (1 + fabs(Pi[i])),
                      "case %zu P[%zu] %.15g vs %.15g", c, i, P0[i], Pi[i]);
        }
        free(work);
    }
}

Test(kalman, autocorrelations_as_armaacf)
{
    /* ARMAacf(ar = c(0.5, 0, 0, 0.3), ma = c(0.4, -0.2), lag.max = 6). */
    static const double want[7] = {
        1, 0.70621242484969937, 0.39639278557114227, 0.41006012024048094,
        0.50503006012024054, 0.46437875751503011, 0.35110721442885773};
    double phi[4] = {0.5, 0, 0, 0.3}, theta[2] = {0.4, -0.2};
    double gamma[8], psi[8], work[64];
    cr_assert_eq(tly_arma_acov(phi, 4, theta, 2, 6, gamma, psi, work), 0);
    for (size_t k = 0; k <= 6; k++) {
        cr_expect(fabs(gamma[k] / gamma[0] - want[k]) < 1e-14,
                  "lag %zu: %.17g", k, gamma[k] / gamma[0]);
    }
}

Test(kalman, chandrasekhar_equals_riccati_filter)
{
    /* The seasonally differenced USAccDeaths under an ARMA(1,1)(1,1)_12
     * with a regressor series alongside: same innovations and
     * log-determinant from both recursions. */
    double w[60], x[60], vw[2][60], vf[2][60];
    for (size_t t = 0; t < 60; t++) {
        w[t] = usacc[t + 12] - usacc[t] + 100.0;
        x[t] = 1.0;
    }
    double ar[1] = {0.6}, sar[1] = {-0.3}, ma[1] = {-0.4}, sma[1] = {-0.5};
    double phi[16], theta[16];
    size_t np = tly_arma_expand(ar, 1, sar, 1, 12, -1, phi);
    size_t nq = tly_arma_expand(ma, 1, sma, 1, 12, 1, theta);
    size_t r = np > nq + 1 ? np : nq + 1;
    double *work = malloc(tly_kalman_work(r, 2, np, nq) * sizeof *work);
    const double *ys[2] = {w, x};
    double *v1[2] = {vw[0], vw[1]}, *v2[2] = {vf[0], vf[1]};
    double s1, s2;
    size_t n1, n2;
    cr_assert_eq(tly_kalman_arma(phi, np, theta, nq, ys, 2, 60, v1, &s1, &n1,
                                 NULL, NULL, work), 0);
    cr_assert_eq(tly_kalman_arma_full(phi, np, theta, nq, ys, 2, 60, v2, &s2,
                                      &n2, NULL, NULL, work), 0);
    cr_expect_eq(n1, n2);
    cr_expect(fabs(s1 - s2) < 1e-10 * (1 + fabs(s2)), "%.15g %.15g", s1, s2);
    for (size_t s = 0; s < 2; s++) {
        for (size_t t = 0; t < 60; t++) {
            cr_expect(fabs(vw[s][t] - vf[s][t]) < 1e-9 * (1 + fabs(vf[s][t])),
                      "series %zu t %zu", s, t);
        }
    }
    free(work);
}

Test(kalman, transforms_and_ma_inversion)
{
    double x[3] = {0.3, -1.2, 0.7}, ar[3], back[3];
    tly_ar_partrans(3, x, ar);
    /* A stationary AR(3): all roots outside the unit circle. */
    cr_expect(tly_poly_minroot(ar, 3, -1) > 1.0);
    tly_ar_invpartrans(3, ar, back);
    for (size_t i = 0; i < 3; i++) {
        cr_expect_float_eq(back[i], x[i], 1e-12);
    }
    /* 1 + 2B has its root at -0.5: inverted to 1 + 0.5B (R's maInvert). */
    double ma[2] = {2.0, 0.0};
    tly_ma_invert(ma, 2);
    cr_expect_float_eq(ma[0], 0.5, 1e-12);
    cr_expect_float_eq(ma[1], 0.0, 1e-12);
    /* (1 + 2B)(1 - 0.5B) = 1 + 1.5B - B^2 -> (1 + 0.5B)(1 - 0.5B). */
    double ma2[2] = {1.5, -1.0};
    tly_ma_invert(ma2, 2);
    cr_expect_float_eq(ma2[0], 0.0, 1e-12);
    cr_expect_float_eq(ma2[1], -0.25, 1e-12);
}

Test(autoarima, stl_as_r)
{
    double s[108], t[108], strength;
    /* stl(USAccDeaths, s.window = 11)$time.series[c(1, 36, 72), ]. */
    cr_assert_eq(tly_stl(usacc, 72, 12, 11, s, t), 0);
    EXPECT_REL(s[0], -860.44950334020484, 1e-10);
    EXPECT_REL(s[35], -40.73714962974659, 1e-10);
    EXPECT_REL(s[71], 39.490633605594269, 1e-10);
    EXPECT_REL(t[0], 9988.9490071282198, 1e-12);
    EXPECT_REL(t[35], 8460.9292806247449, 1e-12);
    EXPECT_REL(t[71], 9071.5762988132374, 1e-12);
    /* forecast:::seas.heuristic(USAccDeaths), nsdiffs = 1. */
    cr_expect_eq(tly_nsdiffs(usacc, 72, 12, &strength), 1);
    EXPECT_REL(strength, 0.94479446488915575, 1e-10);
    /* stl(UKgas, s.window = 11)$time.series[c(1, 50, 108), ]. */
    cr_assert_eq(tly_stl(ukgas, 108, 4, 11, s, t), 0);
    EXPECT_REL(s[0], 44.568883278397848, 1e-10);
    EXPECT_REL(s[49], -17.257904349408918, 1e-10);
    EXPECT_REL(s[107], 95.886004447056607, 1e-10);
    EXPECT_REL(t[49], 250.88295687974119, 1e-12);
    EXPECT_REL(t[107], 697.54467992443847, 1e-12);
    cr_expect_eq(tly_nsdiffs(ukgas, 108, 4, &strength), 1);
    EXPECT_REL(strength, 0.98309478255745752, 1e-10);
}

Test(autoarima, kpss_and_ndiffs_as_r)
{
    double d[99];
    for (size_t t = 0; t < 99; t++) {
        d[t] = www[t + 1] - www[t];
    }
    /* ur.kpss(y, type = "mu", use.lag = trunc(3 * sqrt(n) / 13))@teststat
     * for WWWusage, diff(WWWusage), Nile, lh. */
    EXPECT_REL(tly_kpss_stat(www, 100, 2), 0.72197431808158374, 1e-12);
    EXPECT_REL(tly_kpss_stat(d, 99, 2), 0.26351939875071551, 1e-12);
    EXPECT_REL(tly_kpss_stat(nile, 100, 2), 1.3152264631776729, 1e-12);
    EXPECT_REL(tly_kpss_stat(lh, 48, 1), 0.36788911081520875, 1e-12);
    /* ndiffs(WWWusage), ndiffs(Nile), ndiffs(lh): 1 1 0. */
    cr_expect_eq(tly_ndiffs(www, 100, 2), 1);
    cr_expect_eq(tly_ndiffs(nile, 100, 2), 1);
    cr_expect_eq(tly_ndiffs(lh, 48, 2), 0);
}

static void expect_auto(const double *y, size_t n, tally_freq freq, int lg,
                        const int *order, const int *seas, double r_aicc)
{
    tally_fc_spec s;
    tally_fc_result r;
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_spec_parse("arima:auto", &s), TALLY_OK);
    s.log = lg;
    cr_assert_eq(tally_fc_run(&s, y, n, freq, 0, 2, levels95, 1, &r),
                 TALLY_OK, "%s", tally_last_error());
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(r.spec.order[i], order[i], "%s: order", r.model);
        cr_expect_eq(r.spec.seasonal[i], seas[i], "%s: seasonal", r.model);
    }
    /* No worse than R (R's diffuse likelihood differs from the exact one
     * by up to 0.005, i.e. 0.01 in AICc). */
    cr_expect(r.aicc <= r_aicc + 0.01, "%s: AICc %.6f, R %.6f", r.model,
              r.aicc, r_aicc);
    tally_fc_result_fini(&r);
}

Test(autoarima, choices_as_auto_arima)
{
    /* f <- auto.arima(y); forecast:::arima.string(f); f$aicc (all these
     * have n <= 150, so R's search uses the exact likelihood too). */
    const int o011[3] = {0, 1, 1}, o000[3] = {0, 0, 0}, o111[3] = {1, 1, 1};
    const int o100[3] = {1, 0, 0}, o010[3] = {0, 1, 0}, o002[3] = {0, 0, 2};
    const int s011[3] = {0, 1, 1}, s010[3] = {0, 1, 0}, s210[3] = {2, 1, 0};
    /* USAccDeaths: ARIMA(0,1,1)(0,1,1)[12] 857.31635074263886. */
    expect_auto(usacc, 72, TALLY_FREQ_MONTH, 0, o011, s011,
                857.31635074263886);
    /* UKgas: ARIMA(0,1,1)(0,1,0)[4] 1030.7947802702352. */
    expect_auto(ukgas, 108, TALLY_FREQ_QUARTER, 0, o011, s010,
                1030.7947802702352);
    /* WWWusage: ARIMA(1,1,1) 514.55210315327849. */
    expect_auto(www, 100, TALLY_FREQ_YEAR, 0, o111, o000, 514.55210315327849);
    /* lh: ARIMA(1,0,0) with non-zero mean 65.303779320197009. */
    expect_auto(lh, 48, TALLY_FREQ_YEAR, 0, o100, o000, 65.303779320197009);
    /* Nile: ARIMA(1,1,1) 1267.507395130986. */
    expect_auto(nile, 100, TALLY_FREQ_YEAR, 0, o111, o000, 1267.507395130986);
    /* LakeHuron: ARIMA(0,1,0) 220.2578646756383. */
    expect_auto(huron, 98, TALLY_FREQ_YEAR, 0, o010, o000, 220.2578646756383);
    /* ldeaths: ARIMA(0,0,2)(2,1,0)[12] with drift 848.25887969409166. */
    expect_auto(ldeaths, 72, TALLY_FREQ_MONTH, 0, o002, s210,
                848.25887969409166);
}
