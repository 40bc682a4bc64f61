/* SPDX-License-Identifier: MIT
 *
 * ARIMA starting values, several starts and auto.arima's CSS
 * approximation (src/forecast/arima.c, arima_auto.c) against R 4.2.2
 * (stats::arima, forecast 8.20): fits whose single CSS start used to end
 * on the unit-root boundary or in a worse basin, R's method "CSS" itself,
 * and the automatic search of a series longer than 150 values.  Each
 * expected value cites the R call that printed it (options(digits = 17)).
 * Tolerances as tests/test_arima.c: log-likelihood at least R's minus
 * 1e-3 and at most R's plus 0.01, coefficients rtol 1e-3.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arima_expect.h"
#include "forecast/arima_int.h"
#include "tally/tally_forecast.h"
#include "tally/tally_status.h"

/* R datasets::BJsales. */
static const double bjsales[150] = {
    200.1, 199.5, 199.4, 198.9, 199, 200.2, 198.6, 200, 200.3, 201.2,
    201.6, 201.5, 201.5, 203.5, 204.9, 207.1, 210.5, 210.5, 209.8, 208.8,
    209.5, 213.2, 213.7, 215.1, 218.7, 219.8, 220.5, 223.8, 222.8, 223.8,
    221.7, 222.3, 220.8, 219.4, 220.1, 220.6, 218.9, 217.8, 217.7, 215,
    215.3, 215.9, 216.7, 216.7, 217.7, 218.7, 222.9, 224.9, 222.2, 220.7,
    220, 218.7, 217, 215.9, 215.8, 214.1, 212.3, 213.9, 214.6, 213.6,
    212.1, 211.4, 213.1, 212.9, 213.3, 211.5, 212.3, 213, 211, 210.7,
    210.1, 211.4, 210, 209.7, 208.8, 208.8, 208.8, 210.6, 211.9, 212.8,
    212.5, 214.8, 215.3, 217.5, 218.8, 220.7, 222.2, 226.7, 228.4, 233.2,
    235.7, 237.1, 240.6, 243.8, 245.3, 246, 246.3, 247.7, 247.6, 247.8,
    249.4, 249, 249.9, 250.5, 251.5, 249, 247.6, 248.8, 250.4, 250.7, 253,
    253.7, 255, 256.2, 256, 257.4, 260.4, 260, 261.3, 260.4, 261.6, 260.8,
    259.8, 259, 258.9, 257.4, 257.7, 257.9, 257.4, 257.3, 257.6, 258.9,
    257.8, 257.7, 257.2, 257.5, 256.8, 257.5, 257, 257.6, 257.3, 257.5,
    259.6, 261.1, 262.9, 263.3, 262.8, 261.8, 262.2, 262.7
};

/* R datasets::JohnsonJohnson (quarterly, 1960 Q1 - 1980 Q4). */
static const double jj[84] = {
    0.71, 0.63, 0.85, 0.44, 0.61, 0.69, 0.92, 0.55, 0.72, 0.77, 0.92, 0.6,
    0.83, 0.8, 1, 0.77, 0.92, 1, 1.24, 1, 1.16, 1.3, 1.45, 1.25, 1.26,
    1.38, 1.86, 1.56, 1.53, 1.59, 1.83, 1.86, 1.53, 2.07, 2.34, 2.25, 2.16,
    2.43, 2.7, 2.25, 2.79, 3.42, 3.69, 3.6, 3.6, 4.32, 4.32, 4.05, 4.86,
    5.04, 5.04, 4.41, 5.58, 5.85, 6.57, 5.31, 6.03, 6.39, 6.93, 5.85, 6.93,
    7.74, 7.83, 6.12, 7.74, 8.91, 8.28, 6.84, 9.54, 10.26, 9.54, 8.73,
    11.88, 12.06, 12.15, 8.91, 14.04, 12.96, 14.85, 9.99, 16.2, 14.67,
    16.02, 11.61
};

/* R datasets::UKDriverDeaths (monthly, 1969-01 - 1984-12). */
static const double ukdd[192] = {
    1687, 1508, 1507, 1385, 1632, 1511, 1559, 1630, 1579, 1653, 2152, 2148,
    1752, 1765, 1717, 1558, 1575, 1520, 1805, 1800, 1719, 2008, 2242, 2478,
    2030, 1655, 1693, 1623, 1805, 1746, 1795, 1926, 1619, 1992, 2233, 2192,
    2080, 1768, 1835, 1569, 1976, 1853, 1965, 1689, 1778, 1976, 2397, 2654,
    2097, 1963, 1677, 1941, 2003, 1813, 2012, 1912, 2084, 2080, 2118, 2150,
    1608, 1503, 1548, 1382, 1731, 1798, 1779, 1887, 2004, 2077, 2092, 2051,
    1577, 1356, 1652, 1382, 1519, 1421, 1442, 1543, 1656, 1561, 1905, 2199,
    1473, 1655, 1407, 1395, 1530, 1309, 1526, 1327, 1627, 1748, 1958, 2274,
    1648, 1401, 1411, 1403, 1394, 1520, 1528, 1643, 1515, 1685, 2000, 2215,
    1956, 1462, 1563, 1459, 1446, 1622, 1657, 1638, 1643, 1683, 2050, 2262,
    1813, 1445, 1762, 1461, 1556, 1431, 1427, 1554, 1645, 1653, 2016, 2207,
    1665, 1361, 1506, 1360, 1453, 1522, 1460, 1552, 1548, 1827, 1737, 1941,
    1474, 1458, 1542, 1404, 1522, 1385, 1641, 1510, 1681, 1938, 1868, 1726,
    1456, 1445, 1456, 1365, 1487, 1558, 1488, 1684, 1594, 1850, 1998, 2079,
    1494, 1057, 1218, 1168, 1236, 1076, 1174, 1139, 1427, 1487, 1483, 1513,
    1357, 1165, 1282, 1110, 1297, 1185, 1222, 1284, 1444, 1575, 1737, 1763
};

/* R datasets::lh. */
static const double lh[48] = {
    2.4, 2.4, 2.4, 2.2, 2.1, 1.5, 2.3, 2.3, 2.5, 2.0, 1.9, 1.7, 2.2, 1.8,
    3.2, 3.2, 2.7, 2.2, 2.2, 1.9, 1.9, 1.8, 2.7, 3.0, 2.3, 2.0, 2.0, 2.9,
    2.9, 2.7, 2.7, 2.3, 2.6, 2.4, 1.8, 1.7, 1.5, 1.4, 2.1, 3.3, 3.5, 3.5,
    3.1, 2.6, 2.1, 3.4, 3.0, 2.9};

/* R datasets::Seatbelts[, "rear"] (monthly, 1969-01 - 1984-12). */
static const double rear[192] = {
    269, 265, 319, 407, 454, 427, 522, 536, 405, 437, 434, 437, 316, 311,
    351, 362, 486, 429, 551, 646, 456, 475, 456, 468, 356, 271, 354, 427,
    465, 440, 539, 646, 457, 446, 402, 441, 359, 334, 312, 427, 434, 486,
    569, 523, 418, 452, 462, 497, 354, 347, 276, 472, 487, 505, 619, 640,
    559, 453, 418, 419, 262, 299, 303, 401, 413, 426, 516, 600, 459, 443,
    412, 400, 278, 302, 381, 279, 442, 409, 416, 511, 393, 345, 391, 470,
    266, 312, 300, 373, 412, 322, 458, 427, 346, 421, 344, 370, 291, 224,
    266, 338, 298, 386, 479, 473, 332, 391, 370, 431, 366, 250, 355, 304,
    379, 440, 500, 511, 384, 366, 432, 390, 306, 232, 342, 329, 394, 355,
    385, 463, 453, 373, 401, 466, 306, 263, 323, 310, 424, 403, 406, 466,
    381, 369, 378, 392, 284, 316, 321, 358, 378, 382, 433, 506, 428, 479,
    370, 349, 238, 285, 324, 346, 410, 411, 496, 534, 396, 470, 385, 411,
    281, 300, 318, 391, 398, 337, 477, 422, 495, 471, 368, 345, 296, 319,
    349, 375, 441, 465, 472, 521, 429, 408, 490, 491
};

static const double levels95[1] = {95.0};

static void run(const char *model, const double *y, size_t n,
                tally_freq freq, int lg, tally_fc_result *r)
{
    tally_fc_spec s;
    cr_assert_eq(tally_fc_spec_parse(model, &s), TALLY_OK);
    s.log = lg;
    memset(r, 0, sizeof *r);
    cr_assert_eq(tally_fc_run(&s, y, n, freq,
                              tally_period_make(freq, 1901, 1), 2, levels95,
                              1, r),
                 TALLY_OK, "%s: %s", model, tally_last_error());
}

static tly_arima_order order_of(int p, int d, int q, int P, int D, int Q,
                                int m)
{
    tly_arima_order o;
    memset(&o, 0, sizeof o);
    o.p = p;
    o.d = d;
    o.q = q;
    o.P = P;
    o.D = D;
    o.Q = Q;
    o.m = m;
    o.intercept = d + D == 0;
    return o;
}

Test(arima_starts, ar2_with_mean_stays_off_the_unit_root_bjsales)
{
    tally_fc_result r;
    run("arima:2,0,0", bjsales, 150, TALLY_FREQ_YEAR, 0, &r);
    /* arima(BJsales, order = c(2,0,0), method = "ML"): coef and loglik
     * (d = 0: R's likelihood is the exact one).  The CSS start
     * (1.315, -0.319) has a root at 1.005; a start on the boundary used to
     * end at ar = (2, -1), loglik -309.4. */
    EXPECT_LOGLIK(r.loglik, -265.77391379962961);
    EXPECT_REL(r.coef[0].estimate, 1.36473570830305491, 1e-3);
    EXPECT_REL(r.coef[1].estimate, -0.36660743553527492, 1e-3);
    /* The intercept is flat near the unit root (s.e. 26): R's optim stops
     * at 231.131, the maximum of R's likelihood is 231.40151 (Nelder-Mead
     * and BFGS restarts on arima(BJsales, order = c(2,0,0), fixed = .,
     * transform.pars = FALSE)$loglik, as in
     * tests/reference_extra/cases/bjsales-ar2-mean). */
    EXPECT_REL(r.coef[2].estimate, 231.40151, 1e-3);
    tally_fc_result_fini(&r);
}

Test(arima_starts, arma22_finds_the_best_of_four_maxima_johnsonjohnson)
{
    tally_fc_result r;
    run("arima:2,1,2", jj, 84, TALLY_FREQ_QUARTER, 1, &r);
    /* arima(log(JohnsonJohnson), order = c(2,1,2), method = "ML") (from
     * zero: R's CSS-ML stops at 31.10482, ar = (-0.810, 0.180); other
     * starts end at 34.402 and 33.7). */
    EXPECT_LOGLIK(r.loglik, 34.449135438456423);
    EXPECT_REL(r.coef[0].estimate, 0.065169748189833482, 1e-3);
    EXPECT_REL(r.coef[1].estimate, -0.697676590039605693, 1e-3);
    EXPECT_REL(r.coef[2].estimate, -0.715734970120159963, 1e-3);
    EXPECT_REL(r.coef[3].estimate, 0.781320941436160599, 1e-3);
    tally_fc_result_fini(&r);
}

Test(arima_starts, all_starts_never_worse_than_one)
{
    /* Every start includes the quick search's start, so the full
     * estimate's likelihood is never lower. */
    tly_arima_data dat;
    memset(&dat, 0, sizeof dat);
    struct {
        const double *y;
        size_t n;
        tly_arima_order o;
    } cases[4];
    cases[0].y = bjsales;
    cases[0].n = 150;
    cases[0].o = order_of(2, 0, 0, 0, 0, 0, 1);
    cases[1].y = bjsales;
    cases[1].n = 150;
    cases[1].o = order_of(2, 1, 2, 0, 0, 0, 1);
    cases[2].y = ukdd;
    cases[2].n = 192;
    cases[2].o = order_of(1, 0, 1, 2, 1, 1, 12);
    cases[3].y = lh;
    cases[3].n = 48;
    cases[3].o = order_of(1, 0, 1, 0, 0, 0, 1);
    for (size_t i = 0; i < 4; i++) {
        tly_arima_fit a, b;
        dat.y = cases[i].y;
        dat.n = cases[i].n;
        cr_assert_eq(tly_arima_estimate_starts(&dat, &cases[i].o, 0,
                                               TLY_ARIMA_QUICK, &a),
                     TALLY_OK, "%s", tally_last_error());
        cr_assert_eq(tly_arima_estimate(&dat, &cases[i].o, 0, &b), TALLY_OK,
                     "%s", tally_last_error());
        cr_expect(b.loglik >= a.loglik - 1e-6, "case %zu: %.8f < %.8f", i,
                  b.loglik, a.loglik);
        /* The pull-back never lowers the likelihood either. */
        double before = a.loglik;
        cr_assert_eq(tly_arima_pullback(&dat, &a), TALLY_OK);
        cr_expect(a.loglik >= before, "case %zu: pull-back", i);
    }
}

Test(arima_starts, css_as_r)
{
    tly_arima_data dat;
    tly_arima_fit f;
    memset(&dat, 0, sizeof dat);
    dat.y = lh;
    dat.n = 48;
    /* arima(lh, order = c(1,0,0), method = "CSS"): coef, sigma2 (the
     * least-squares AR fit: a unique minimum). */
    tly_arima_order o = order_of(1, 0, 0, 0, 0, 0, 1);
    cr_assert_eq(tly_arima_css(&dat, &o, 1, &f), TALLY_OK);
    EXPECT_REL(f.coef[0], 0.5859942752815297, 1e-4);
    EXPECT_REL(f.coef[1], 2.4150521108312990, 1e-5);
    EXPECT_REL(f.sigma2, 0.2016452600883088, 1e-6);
    cr_expect(f.se_ok);
    cr_expect(isnan(f.loglik));
    /* arima(lh, order = c(1,0,1), method = "CSS"). */
    o = order_of(1, 0, 1, 0, 0, 0, 1);
    cr_assert_eq(tly_arima_css(&dat, &o, 1, &f), TALLY_OK);
    EXPECT_REL(f.coef[0], 0.46313916190466142, 1e-3);
    EXPECT_REL(f.coef[1], 0.20036129555061674, 1e-3);
    EXPECT_REL(f.coef[2], 2.41094639605379868, 1e-4);
    EXPECT_REL(f.sigma2, 0.19636398957122939, 1e-5);
    /* The approximate criterion of forecast's myarima without its offset:
     * n* log(sigma2) + 2 (k + 1) + 2 (k + 1)(k + 2)/(n* - k - 2). */
    double aic = 48 * log(f.sigma2) + 2 * 4;
    EXPECT_REL(f.aicc, aic + 2.0 * 4 * 5 / (48 - 3 - 2), 1e-12);
}

Test(arima_starts, auto_uses_the_css_approximation_when_n_exceeds_150)
{
    tally_fc_result r;
    run("arima:auto", ukdd, 192, TALLY_FREQ_MONTH, 0, &r);
    /* f <- auto.arima(UKDriverDeaths): ARIMA(1,0,1)(0,1,1)[12],
     * f$aicc 2299.0070009387405 (the search with approximation = FALSE
     * ends at ARIMA(1,0,1)(2,1,1)[12], AICc 2302.35). */
    const int o101[3] = {1, 0, 1}, s011[3] = {0, 1, 1};
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(r.spec.order[i], o101[i], "%s", r.model);
        cr_expect_eq(r.spec.seasonal[i], s011[i], "%s", r.model);
    }
    cr_expect(r.aicc <= 2299.0070009387405 + 0.01, "%s: AICc %.6f",
              r.model, r.aicc);
    cr_expect(strstr(r.note, "CSS approximation") != NULL, "%s", r.note);
    tally_fc_result_fini(&r);
}

Test(arima_starts, arma22_leaves_the_flat_ridge_seatbelts_rear)
{
    tally_fc_result r;
    run("arima:2,1,2", rear, 192, TALLY_FREQ_MONTH, 0, &r);
    /* arima(Seatbelts[, "rear"], order = c(2,1,2)) (R's default CSS-ML;
     * forecast::Arima(..., method = "ML") stops on a flat ridge at
     * -1076.2982, ar = (-0.127, 0.419)): loglik and coef.  Every start
     * used to stop on that ridge or at -1075.46 (an MA root on the unit
     * circle); the optimum has AR and MA roots of modulus 1.21 and 1.06. */
    EXPECT_LOGLIK(r.loglik, -1064.9472650005616);
    EXPECT_REL(r.coef[0].estimate, 1.47183603854470491, 1e-3);
    EXPECT_REL(r.coef[1].estimate, -0.68180820494813676, 1e-3);
    EXPECT_REL(r.coef[2].estimate, -1.85835199369198345, 1e-3);
    EXPECT_REL(r.coef[3].estimate, 0.88723862990489999, 1e-3);
    tally_fc_result_fini(&r);
}

Test(arima_starts, hannan_rissanen_recovers_an_arma11)
{
    /* w_t = 0.6 w_{t-1} + e_t + 0.3 e_{t-1}, e ~ N(0, 1) (a fixed LCG and
     * Box-Muller), n = 4000: the two-stage estimates are consistent, so
     * they lie within a few standard errors (~0.03) of the truth. */
    enum { N = 4000 };
    static double w[N];
    uint64_t st = 12345;
    double eprev = 0.0, wprev = 0.0;
    for (size_t t = 0; t < N; t++) {
        double u[2];
        for (int i = 0; i < 2; i++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            u[i] = ((double)(st >> 11) + 0.5) / 9007199254740992.0;
        }
        double e = sqrt(-2.0 * log(u[0])) * cos(6.283185307179586 * u[1]);
        w[t] = 0.6 * wprev + e + 0.3 * eprev;
        wprev = w[t];
        eprev = e;
    }
    tly_arima_order o = order_of(1, 0, 1, 0, 0, 0, 1);
    double c[2];
    cr_assert_eq(tly_arma_hr(w, N, &o, c), 0);
    cr_expect(fabs(c[0] - 0.6) < 0.1, "ar1 %g", c[0]);
    cr_expect(fabs(c[1] - 0.3) < 0.1, "ma1 %g", c[1]);
    /* Too short, or a missing value: no estimate. */
    cr_expect_eq(tly_arma_hr(w, 10, &o, c), -1);
    w[5] = NAN;
    cr_expect_eq(tly_arma_hr(w, N, &o, c), -1);
}
