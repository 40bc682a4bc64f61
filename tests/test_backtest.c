/* SPDX-License-Identifier: MIT
 *
 * Backtests against R's forecast package (8.20, R 4.2.2): one origin
 * against accuracy(forecast(fit_on_first_N, h = H), actual)["Test set", ],
 * several origins against figures derived from tsCV(y, f, h = H,
 * initial = N - 1) (rows N..n-H pooled; MASE scaled by the mean absolute
 * lag-m difference of y[1:N]; coverage by refitting with level = L at
 * each origin), for snaive, naive, drift (rwf(drift = TRUE)) and
 * ets(model = "ANN").  Proper scores against numerical integration.
 *
 * The R script: see each block's comment; numbers printed with
 * format(x, digits = 17).  Order of the vectors: ME, RMSE, MAE, MPE,
 * MAPE, MASE[, coverage 80, coverage 95, origins].
 */
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "forecast/backtest_int.h"
#include "tally/tally_backtest.h"
#include "tally/tally_status.h"

/* datasets::USAccDeaths (monthly, 1973-01 to 1978-12). */
static const double usacc[72] = {
    9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161,
    8927, 7750, 6981, 8038, 8422, 8714, 9512, 10120, 9823, 8743, 9129, 8710,
    8680, 8162, 7306, 8124, 7870, 9387, 9556, 10093, 9620, 8285, 8466, 8160,
    8034, 7717, 7461, 7767, 7925, 8623, 8945, 10078, 9179, 8037, 8488, 7874,
    8647, 7792, 6957, 7726, 8106, 8890, 9299, 10625, 9302, 8314, 8850, 8265,
    8796, 7836, 6892, 7791, 8192, 9115, 9434, 10484, 9827, 9110, 9070, 8633,
    9240};
/* datasets::Nile (annual, 1871-1970). */
static const double nile[100] = {
    1120, 1160, 963, 1210, 1160, 1160, 813, 1230, 1370, 1140, 995, 935,
    1110, 994, 1020, 960, 1180, 799, 958, 1140, 1100, 1210, 1150, 1250,
    1260, 1220, 1030, 1100, 774, 840, 874, 694, 940, 833, 701, 916, 692,
    1020, 1050, 969, 831, 726, 456, 824, 702, 1120, 1100, 832, 764, 821,
    768, 845, 864, 862, 698, 845, 744, 796, 1040, 759, 781, 865, 845, 944,
    984, 897, 822, 1010, 771, 676, 649, 846, 812, 742, 801, 1040, 860, 874,
    848, 890, 744, 749, 838, 1050, 918, 986, 797, 923, 975, 815, 1020, 906,
    901, 1170, 912, 746, 919, 718, 714, 740};

static tally_backtest_result run(const char *model, const double *y,
                                 size_t n, tally_freq freq, size_t initial,
                                 size_t h)
{
    tally_fc_spec spec;
    tally_backtest_result r;
    const double levels[2] = {80, 95};
    cr_assert_eq(tally_fc_spec_parse(model, &spec), TALLY_OK);
    spec.seed = 1;
    tally_period start = freq == TALLY_FREQ_YEAR
                             ? tally_period_make(freq, 1871, 1)
                             : tally_period_make(freq, 1973, 1);
    cr_assert_eq(tally_backtest_run(&spec, y, n, freq, start, initial, h,
                                    levels, 2, &r), TALLY_OK, "%s: %s", model,
                 tally_last_error());
    return r;
}

static void expect_close(double got, double want, double rtol,
                         const char *what, const char *model)
{
    cr_expect(fabs(got - want) <= rtol * fabs(want) + 1e-12,
              "%s %s: %.15g, R %.15g", model, what, got, want);
}

/* For signed means near 0 (ME, MPE) a relative tolerance means nothing:
 * compare with the scale of the absolute errors instead. */
static void expect_close_abs(double got, double want, double tol,
                             const char *what, const char *model)
{
    cr_expect(fabs(got - want) <= tol, "%s %s: %.15g, R %.15g", model, what,
              got, want);
}

/* Compare ME..MASE (and coverage, origins when given). */
static void expect_stats(const tally_backtest_result *r, const double *want,
                         int with_coverage, double rtol, const char *model)
{
    const tally_bt_stats *s = &r->overall;
    expect_close_abs(s->me, want[0], rtol * want[2], "ME", model);
    expect_close(s->rmse, want[1], rtol, "RMSE", model);
    expect_close(s->mae, want[2], rtol, "MAE", model);
    expect_close_abs(s->mpe, want[3], rtol * want[4], "MPE", model);
    expect_close(s->mape, want[4], rtol, "MAPE", model);
    expect_close(s->mase, want[5], rtol, "MASE", model);
    if (with_coverage) {
        expect_close(s->coverage[0], want[6], 1e-12, "coverage 80", model);
        expect_close(s->coverage[1], want[7], 1e-12, "coverage 95", model);
        cr_expect_eq(r->origins, (size_t)want[8], "%s origins", model);
        cr_expect_eq(r->failed, 0);
    }
}

Test(backtest, one_origin_is_accuracy_test_set)
{
    /* tr <- subset(y, end = 66); te <- subset(y, start = 67, end = 72)
     * accuracy(snaive(tr, h = 6), te)["Test set", 1:6] (ME, RMSE, MAE,
     * MPE, MAPE, MASE), likewise naive(), rwf(drift = TRUE). */
    static const double snaive[6] = {
        368.6666666666667, 467.27614961604877, 415.6666666666667,
        4.038109137572517, 4.486411312314981, 0.9454530137736405};
    static const double naive[6] = {
        -40.0, 601.8939552224572, 521.0, -0.8222053437234198,
        5.493687766050899, 1.18503854092077};
    static const double drift[6] = {
        -62.992307692307804, 612.8180484555104, 537.4230769230768,
        -1.0737795901860072, 5.6798096233750615, 1.2223935872055156};
    /* accuracy(naive(subset(Nile, end = 97), h = 3), Nile[98:100]):
     * annual, so MASE is scaled by lag-1 differences. */
    static const double nile_naive[6] = {
        -195.0, 195.33475539869156, 195.0, -26.96503425079535,
        26.96503425079535, 1.444332998996991};
    const struct {
        const char *model;
        const double *want;
    } t[] = {{"snaive", snaive}, {"naive", naive}, {"drift", drift}};
    for (size_t k = 0; k < 3; k++) {
        tally_backtest_result r = run(t[k].model, usacc, 72, TALLY_FREQ_MONTH,
                                      66, 6);
        cr_expect_eq(r.origins, 1);
        cr_expect_eq(r.overall.n, 6);
        /* Exact methods, same arithmetic up to rounding: 1e-10. */
        expect_stats(&r, t[k].want, 0, 1e-10, t[k].model);
        tally_backtest_result_fini(&r);
    }
    tally_backtest_result r = run("naive", nile, 100, TALLY_FREQ_YEAR, 97, 3);
    cr_expect_eq(r.lag, 1);
    expect_stats(&r, nile_naive, 0, 1e-10, "naive (Nile)");
    tally_backtest_result_fini(&r);
}

Test(backtest, rolling_origins_match_tscv)
{
    /* e <- tsCV(y, f, h = 6, initial = 47)[48:66, ]; act the matching
     * y[i + 1:6]; c(mean(e), sqrt(mean(e^2)), mean(abs(e)),
     * mean(100 * e / act), mean(abs(100 * e / act)),
     * mean(abs(e)) / mean(abs(diff(y[1:48], lag = 12))), coverage 80,
     * coverage 95 (refit with level = L at each origin), 19 origins). */
    static const double snaive[9] = {
        210.21052631578948, 312.12477824258434, 251.73684210526315,
        2.282349897604905, 2.805318401348303, 0.4565504441203765,
        0.9649122807017544, 1.0, 19.0};
    static const double naive[9] = {
        309.1666666666667, 1391.4024699321665, 1119.5526315789473,
        2.2860923991296094, 12.625988785275473, 2.030422908657033,
        0.7368421052631579, 0.956140350877193, 19.0};
    static const double drift[9] = {
        344.0726605989509, 1448.7324803261884, 1159.1022993509814,
        2.665976702408008, 13.045871720152666, 2.102150265825457,
        0.7543859649122807, 0.956140350877193, 19.0};
    /* Horizon 1 only: c(mean(e[, 1]), sqrt(mean(e[, 1]^2)),
     * mean(abs(e[, 1]))). */
    static const double snaive_h1[3] = {133.1578947368421, 261.00957836830435,
                                        212.21052631578948};
    static const double drift_h1[3] = {106.65735164982551, 839.4000894913181,
                                       787.3423201804039};
    const struct {
        const char *model;
        const double *want, *h1;
    } t[] = {{"snaive", snaive, snaive_h1},
             {"naive", naive, NULL},
             {"drift", drift, drift_h1}};
    for (size_t k = 0; k < 3; k++) {
        tally_backtest_result r = run(t[k].model, usacc, 72, TALLY_FREQ_MONTH,
                                      48, 6);
        expect_stats(&r, t[k].want, 1, 1e-10, t[k].model);
        cr_expect_eq(r.overall.n, 19 * 6);
        if (t[k].h1 != NULL) {
            const tally_bt_stats *s = &r.by_horizon[0];
            cr_expect_eq(s->n, 19);
            expect_close(s->me, t[k].h1[0], 1e-10, "h1 ME", t[k].model);
            expect_close(s->rmse, t[k].h1[1], 1e-10, "h1 RMSE", t[k].model);
            expect_close(s->mae, t[k].h1[2], 1e-10, "h1 MAE", t[k].model);
        }
        tally_backtest_result_fini(&r);
    }
    /* Annual data, lag-1 scale: tsCV(Nile, naive | rwf(drift = TRUE),
     * h = 3, initial = 79)[80:97, ]. */
    static const double nile_naive[9] = {
        -10.833333333333334, 160.42853491450583, 131.38888888888889,
        -2.9585820132512484, 14.920161375769425, 0.9799586690164485,
        0.9444444444444444, 1.0, 18.0};
    static const double nile_drift[9] = {
        -5.822326341135659, 161.9342230910045, 132.74749434799168,
        -2.3864032306674554, 15.02454183321788, 0.9900917724217657,
        0.9444444444444444, 1.0, 18.0};
    tally_backtest_result r = run("naive", nile, 100, TALLY_FREQ_YEAR, 80, 3);
    expect_stats(&r, nile_naive, 1, 1e-10, "naive (Nile)");
    tally_backtest_result_fini(&r);
    r = run("drift", nile, 100, TALLY_FREQ_YEAR, 80, 3);
    expect_stats(&r, nile_drift, 1, 1e-10, "drift (Nile)");
    tally_backtest_result_fini(&r);
}

Test(backtest, ets_origins_match_r)
{
    /* f <- function(x, h, level = c(80, 95))
     *     forecast(ets(x, model = "ANN"), h = h, level = level)
     * as above: one origin (66, 6), tsCV origins 48..66 (h = 6) on
     * USAccDeaths and 80..97 (h = 3) on Nile. */
    static const double one[6] = {
        -39.96785384631039, 601.8918197437255, 520.9892846154368,
        -0.8218617942101377, 5.493555463805025, 1.1850141682841324};
    static const double usacc_ann[9] = {
        309.07767200109697, 1391.358979562146, 1119.5509530076624,
        2.2849693980356274, 12.626104843491264, 2.030419864396768,
        0.7456140350877193, 0.956140350877193, 19.0};
    static const double nile_ann[9] = {
        -0.588026789200329, 132.3379476158337, 105.68836135092938,
        -1.9649567655423443, 12.103619926551016, 0.7882723325834046,
        0.7592592592592593, 1.0, 18.0};
    /* Estimates can differ from R's where tally's optimum is better
     * (loglik at least R's); for ANN the optima agree to about 1e-6 in
     * the forecasts, hence 1e-4 on the measures (for ME and MPE: 1e-4
     * of MAE and MAPE). */
    tally_backtest_result r = run("ets:ANN", usacc, 72, TALLY_FREQ_MONTH, 66,
                                  6);
    expect_stats(&r, one, 0, 1e-4, "ets:ANN one origin");
    tally_backtest_result_fini(&r);
    r = run("ets:ANN", usacc, 72, TALLY_FREQ_MONTH, 48, 6);
    expect_stats(&r, usacc_ann, 1, 1e-4, "ets:ANN USAccDeaths");
    cr_expect_eq(r.nmodels, 1);
    cr_expect_str_eq(r.models[0].model, "ETS(A,N,N)");
    cr_expect_eq(r.distribution, TALLY_BT_DIST_NORMAL);
    tally_backtest_result_fini(&r);
    r = run("ets:ANN", nile, 100, TALLY_FREQ_YEAR, 80, 3);
    expect_stats(&r, nile_ann, 1, 1e-4, "ets:ANN Nile");
    tally_backtest_result_fini(&r);
}

/* CRPS by integrating (F(x) - 1{x >= y})^2 with Simpson's rule on
 * [lo, y] and [y, hi] (the integrand jumps at y). */
typedef double (*cdf_fn)(double x, const double *p);
static double simpson(cdf_fn F, const double *p, double a, double b,
                      double y, int after)
{
    const int n = 20000;
    double h = (b - a) / n, s = 0.0;
    for (int i = 0; i <= n; i++) {
        double x = a + h * i;
        double d = F(x, p) - (after ? 1.0 : 0.0);
        double w = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
        s += w * d * d;
    }
    (void)y;
    return s * h / 3;
}
static double normal_cdf(double x, const double *p)
{
    return gsl_cdf_gaussian_P(x - p[0], p[1]);
}
static double lognormal_cdf(double x, const double *p)
{
    return x <= 0 ? 0.0 : gsl_cdf_lognormal_P(x, p[0], p[1]);
}

Test(backtest, proper_scores_against_direct_computation)
{
    tly_bt_score sc;
    /* Normal: closed form against the integral; log score and PIT by
     * definition. */
    const double np[2] = {10.0, 3.0};
    for (double y = -2; y <= 22; y += 4.5) {
        cr_assert(tly_bt_score_one(TALLY_BT_DIST_NORMAL, np[0], np[1], y, &sc));
        double num = simpson(normal_cdf, np, np[0] - 15 * np[1], y, y, 0)
                     + simpson(normal_cdf, np, y, np[0] + 15 * np[1], y, 1);
        cr_expect(fabs(sc.crps - num) < 1e-9, "normal y=%g: %.12g vs %.12g",
                  y, sc.crps, num);
        cr_expect(fabs(sc.logscore + log(gsl_ran_gaussian_pdf(y - 10, 3)))
                  < 1e-12);
        cr_expect(fabs(sc.pit_lo - gsl_cdf_gaussian_P(y - 10, 3)) < 1e-15);
        cr_expect_eq(sc.pit_lo, sc.pit_hi);
    }
    /* Lognormal (Baran and Lerch 2015) against the integral over x > 0. */
    const double lp[2] = {2.0, 0.4};
    for (double y = 2; y <= 20; y += 6) {
        cr_assert(tly_bt_score_one(TALLY_BT_DIST_LOGNORMAL, lp[0], lp[1], y,
                                   &sc));
        double num = simpson(lognormal_cdf, lp, 0.0, y, y, 0)
                     + simpson(lognormal_cdf, lp, y, 400.0, y, 1);
        cr_expect(fabs(sc.crps - num) < 1e-7, "lognormal y=%g: %.12g vs %.12g",
                  y, sc.crps, num);
        cr_expect(fabs(sc.logscore
                       + log(gsl_ran_lognormal_pdf(y, lp[0], lp[1]))) < 1e-12);
    }
    /* Counts: the ranked probability score is sum_k (F(k) - 1{k >= y})^2
     * with GSL's distribution functions; log score -log P(Y = y); PIT
     * bounds F(y - 1), F(y). */
    for (int dist = 0; dist < 2; dist++) {
        double mu = 7.5, theta = 2.5;
        for (unsigned y = 0; y <= 30; y += 3) {
            tally_bt_dist d = dist ? TALLY_BT_DIST_NEGBIN
                                   : TALLY_BT_DIST_POISSON;
            cr_assert(tly_bt_score_one(d, mu, theta, y, &sc));
            double p = theta / (theta + mu), rps = 0.0;
            for (unsigned k = 0; k < 400; k++) {
                double F = dist ? gsl_cdf_negative_binomial_P(k, p, theta)
                                : gsl_cdf_poisson_P(k, mu);
                double e = F - (k >= y ? 1.0 : 0.0);
                rps += e * e;
            }
            double pmf = dist ? gsl_ran_negative_binomial_pdf(y, p, theta)
                              : gsl_ran_poisson_pdf(y, mu);
            double Fy = dist ? gsl_cdf_negative_binomial_P(y, p, theta)
                             : gsl_cdf_poisson_P(y, mu);
            cr_expect(fabs(sc.crps - rps) < 1e-10,
                      "dist %d y=%u: %.12g vs %.12g", dist, y, sc.crps, rps);
            cr_expect(fabs(sc.logscore + log(pmf)) < 1e-10, "dist %d y=%u",
                      dist, y);
            cr_expect(fabs(sc.pit_hi - Fy) < 1e-12);
            cr_expect(fabs(sc.pit_lo - (Fy - pmf)) < 1e-12);
        }
    }
    /* What cannot be scored. */
    cr_expect(!tly_bt_score_one(TALLY_BT_DIST_POISSON, 3.0, 0, 2.5, &sc));
    cr_expect(!tly_bt_score_one(TALLY_BT_DIST_POISSON, 3.0, 0, -1, &sc));
    cr_expect(!tly_bt_score_one(TALLY_BT_DIST_NORMAL, 3.0, 0.0, 1, &sc));
    cr_expect(!tly_bt_score_one(TALLY_BT_DIST_NONE, 3.0, 1.0, 1, &sc));
    cr_expect(!tly_bt_score_one(TALLY_BT_DIST_NORMAL, 3.0, 1.0, NAN, &sc));
}

/* Simulated count distributions (count models' forecasts).  Expected
 * values from R 4.2.2 with the same draws:
 *   x <- c(0, 2, 3, 3, 5, 8, 13); mu <- c(1.5, 2.2, 3.1, 2.9, 4.8, 7.7, 11)
 *   crps = mean(abs(x - y)) - 0.5 * mean(abs(outer(x, x, "-")))
 *   pit = mean(x < y), mean(x <= y)
 *   log = -log(mean(dpois(y, mu))), -log(mean(dnbinom(y, size = 2.5,
 *         mu = mu))) */
Test(backtest, simulated_count_scores)
{
    const double x[] = {0, 2, 3, 3, 5, 8, 13};
    const double mu[] = {1.5, 2.2, 3.1, 2.9, 4.8, 7.7, 11.0};
    const double want[][6] = {
        {0, 2.6938775510204076, 0, 0.14285714285714285, 2.7607617558733351,
         2.0431949808479022},
        {3, 0.83673469387755084, 0.2857142857142857, 0.5714285714285714,
         1.9874228117390105, 2.1607979663093353},
        {4, 0.97959183673469363, 0.5714285714285714, 0.5714285714285714,
         2.2345732524447195, 2.4104757510903472},
        {20, 12.979591836734693, 1, 1, 7.302187799062291,
         5.5474543442668098},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        for (int nb = 0; nb < 2; nb++) {
            tly_bt_score sc;
            cr_assert(tly_bt_score_draws(x, mu, 7, nb ? 2.5 : 0.0,
                                         want[k][0], &sc));
            cr_expect(fabs(sc.crps - want[k][1]) < 1e-13, "y=%g crps %.17g",
                      want[k][0], sc.crps);
            cr_expect(fabs(sc.pit_lo - want[k][2]) < 1e-15);
            cr_expect(fabs(sc.pit_hi - want[k][3]) < 1e-15);
            cr_expect(fabs(sc.logscore - want[k][4 + nb]) < 1e-12,
                      "y=%g nb=%d log %.17g", want[k][0], nb, sc.logscore);
        }
    }
    /* A draw of mean 0 has all its mass at 0; a count no draw can reach
     * has log score +inf; non-counts are not scored. */
    const double z[] = {0, 0};
    const double zmu[] = {0, 0};
    tly_bt_score sc;
    cr_assert(tly_bt_score_draws(z, zmu, 2, 0.0, 0, &sc));
    cr_expect(sc.logscore == 0 && sc.crps == 0 && sc.pit_hi == 1);
    cr_assert(tly_bt_score_draws(z, zmu, 2, 0.0, 2, &sc));
    cr_expect(isinf(sc.logscore) && sc.crps == 2 && sc.pit_lo == 1);
    cr_expect(!tly_bt_score_draws(x, mu, 7, 0.0, 2.5, &sc));
    cr_expect(!tly_bt_score_draws(x, mu, 7, 0.0, -1, &sc));
    cr_expect(!tly_bt_score_draws(x, mu, 0, 0.0, 1, &sc));
}

Test(backtest, pit_histogram)
{
    double h[TALLY_BT_PIT_BINS] = {0};
    tly_bt_pit_add(h, 0.05, 0.05); /* a point in the first bin */
    tly_bt_pit_add(h, 1.0, 1.0);   /* 1 belongs to the last bin */
    tly_bt_pit_add(h, 0.25, 0.45); /* spread over bins 2, 3, 4 */
    cr_expect_eq(h[0], 1.0);
    cr_expect_eq(h[9], 1.0);
    cr_expect(fabs(h[2] - 0.25) < 1e-12 && fabs(h[3] - 0.5) < 1e-12
              && fabs(h[4] - 0.25) < 1e-12);
    double sum = 0;
    for (int j = 0; j < TALLY_BT_PIT_BINS; j++) {
        sum += h[j];
    }
    cr_expect(fabs(sum - 3.0) < 1e-12);
}

Test(backtest, missing_values_and_defaults)
{
    /* naive on a series with a missing value at 0-based index 50: the
     * origin whose window ends there forecasts from y[49], and the
     * missing actual is left out.  Expected MAE by direct computation. */
    double y[72];
    memcpy(y, usacc, sizeof y);
    y[50] = NAN;
    tally_backtest_result r = run("naive", y, 72, TALLY_FREQ_MONTH, 48, 3);
    double sae = 0.0;
    size_t cnt = 0;
    for (size_t t = 48; t + 3 <= 72; t++) {
        size_t last = t - 1;
        while (isnan(y[last])) {
            last--;
        }
        for (size_t h = 0; h < 3; h++) {
            if (!isnan(y[t + h])) {
                sae += fabs(y[t + h] - y[last]);
                cnt++;
            }
        }
    }
    cr_expect_eq(r.overall.n, cnt);
    cr_expect(fabs(r.overall.mae - sae / (double)cnt) < 1e-9, "%.12g vs %.12g",
              r.overall.mae, sae / (double)cnt);
    cr_expect_eq(r.failed, 0);
    tally_backtest_result_fini(&r);

    /* Default first window: half the series (36), at least 24 months. */
    r = run("snaive", usacc, 72, TALLY_FREQ_MONTH, 0, 6);
    cr_expect_eq(r.initial, 36);
    cr_expect_eq(r.origins, 72 - 6 - 36 + 1);
    cr_expect_eq(r.first_origin, tally_period_make(TALLY_FREQ_MONTH, 1975, 12));
    tally_backtest_result_fini(&r);
}

Test(backtest, failures_and_errors)
{
    tally_fc_spec spec;
    tally_backtest_result r;
    const double levels[2] = {80, 95};
    tally_period start = tally_period_make(TALLY_FREQ_MONTH, 1973, 1);
    cr_assert_eq(tally_fc_spec_parse("snaive", &spec), TALLY_OK);
    cr_expect_eq(tally_backtest_run(&spec, usacc, 72, TALLY_FREQ_MONTH, start,
                                    48, 0, levels, 2, &r), TALLY_EINVAL);
    cr_expect_eq(tally_backtest_run(&spec, usacc, 72, TALLY_FREQ_MONTH, start,
                                    70, 6, levels, 2, &r), TALLY_EINVAL);
    cr_expect(strstr(tally_last_error(), "--initial 70") != NULL);
    cr_expect_eq(tally_backtest_run(&spec, usacc, 6, TALLY_FREQ_MONTH, start,
                                    0, 6, levels, 2, &r), TALLY_ETOOFEW);
    /* ets:AAdA needs n > npars + 4 = 21 values (forecast::ets): the
     * origins with 20 and 21 fail and are counted, the later ones are
     * used (as tsCV's NA rows). */
    cr_assert_eq(tally_fc_spec_parse("ets:AAdA", &spec), TALLY_OK);
    cr_assert_eq(tally_backtest_run(&spec, usacc, 72, TALLY_FREQ_MONTH, start,
                                    20, 6, levels, 2, &r), TALLY_OK);
    cr_expect_eq(r.failed, 2);
    cr_expect(strstr(r.first_error, "origin 1974-08") != NULL, "%s",
              r.first_error);
    cr_expect_eq(r.overall.n, (r.origins - 2) * 6);
    tally_backtest_result_fini(&r);
    /* A model that fails everywhere: the first failure's status. */
    double z[40];
    for (int i = 0; i < 40; i++) {
        z[i] = i % 4;
    }
    cr_assert_eq(tally_fc_spec_parse("ets:MNN", &spec), TALLY_OK);
    cr_expect_eq(tally_backtest_run(&spec, z, 40, TALLY_FREQ_MONTH, start, 24,
                                    3, levels, 2, &r), TALLY_EDOMAIN);
    cr_expect(strstr(tally_last_error(), "any of the 14 origins") != NULL,
              "%s", tally_last_error());
}
