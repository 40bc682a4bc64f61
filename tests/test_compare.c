/* SPDX-License-Identifier: MIT
 *
 * compare: the before/after tests against R 4.2.2 (stats, MASS 7.3-58.2).
 * Each expected value is printed by the R call quoted above it, with
 * options(digits = 17).  The windows are given as arrays (before, after);
 * "R:" lines use b for before and a for after, and
 *   y <- c(b, a); g <- rep(0:1, c(length(b), length(a)))
 * for the GLMs.  Tolerances: 1e-9 relative where both sides compute the
 * same closed form or exact sum; wider ones are justified where used.
 *
 * Quasi-Poisson: R's glm(y ~ g, quasipoisson, control =
 * glm.control(epsilon = 1e-13, maxit = 100)) stops its IRLS 1e-8 to 1e-7
 * (relative) short of the exact fitted values, which are the window means,
 * and the Pearson dispersion inherits that.  The tight checks therefore use
 * the closed form, in R
 *   qp <- function(b, a) { mb <- mean(b); ma <- mean(a)
 *     n <- length(a) + length(b)
 *     phi <- (sum((b - mb)^2 / mb) + sum((a - ma)^2 / ma)) / (n - 2)
 *     se <- sqrt(phi * (1 / sum(a) + 1 / sum(b))); l <- log(ma / mb)
 *     c(exp(l), exp(l + c(-1, 1) * qt(.975, n - 2) * se), l / se,
 *       2 * pt(-abs(l / se), n - 2), phi) }
 * and the glm values are checked at 1e-6.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_compare.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))

static void near(double got, double want, double rtol, const char *what)
{
    cr_expect(fabs(got - want) <= rtol * fabs(want) + 1e-300,
              "%s: got %.17g, want %.17g (rtol %g)", what, got, want, rtol);
}

static tally_compare_result run(const double *b, size_t nb, const double *a,
                                size_t na)
{
    tally_compare_result r;
    cr_assert_eq(tally_compare_test(b, nb, a, na, 0.95, &r), TALLY_OK, "%s",
                 tally_last_error());
    return r;
}

/* Small samples, no ties: the exact Mann-Whitney distribution. */
Test(compare, small_exact_mann_whitney)
{
    const double b[] = {3, 5, 2, 8, 6, 4, 7};
    const double a[] = {1, 9, 0, 11, 12, 10};
    tally_compare_result r = run(b, N(b), a, N(a));
    /* R: pt <- poisson.test(c(sum(a), sum(b)), T = c(6, 7));
     *    pt$estimate; pt$conf.int; pt$p.value */
    near(r.rate_ratio.estimate, 1.4333333333333333, 1e-12, "rr");
    near(r.rate_ratio.conf_low, 0.89607291118561339, 1e-9, "rr low");
    near(r.rate_ratio.conf_high, 2.3070345564559851, 1e-9, "rr high");
    near(r.rate_ratio.p_value, 0.11352301949546406, 1e-9, "rr p");
    /* R: qp(b, a) (closed form, see the top of the file) */
    near(r.quasipoisson.estimate, 1.4333333333333333, 1e-12, "qp");
    near(r.quasipoisson.conf_low, 0.67370490187285259, 1e-9, "qp low");
    near(r.quasipoisson.conf_high, 3.0494723115910727, 1e-9, "qp high");
    near(r.quasipoisson.statistic, 1.0495318393646378, 1e-9, "qp t");
    near(r.quasipoisson.p_value, 0.31644543186583818, 1e-9, "qp p");
    near(r.qp_dispersion, 2.2701902748414375, 1e-9, "qp phi");
    /* R: f <- glm(y ~ g, quasipoisson, control = glm.control(1e-13, 100));
     *    exp(coef + c(-1, 1) * qt(.975, 11) * se), p, dispersion */
    near(r.quasipoisson.conf_low, 0.67370490187284227, 1e-6, "qp low glm");
    near(r.quasipoisson.p_value, 0.31644543186584767, 1e-6, "qp p glm");
    near(r.qp_dispersion, 2.2701902748416498, 1e-6, "qp phi glm");
    /* R: nb <- MASS::glm.nb(y ~ g, control = glm.control(1e-12, 100));
     *    exp(coef +- qnorm(.975) se), z, p, nb$theta.  glm.nb alternates
     *    IRLS and theta.ml until the deviance settles, so its theta is the
     *    ML value to ~1e-8; tally solves the score to the last bit. */
    near(r.nb_theta, 3.3869613462596226, 1e-7, "nb theta");
    near(r.negbin.estimate, 1.4333333333333338, 1e-12, "nb");
    near(r.negbin.conf_low, 0.68268686120231281, 1e-7, "nb low");
    near(r.negbin.conf_high, 3.0093510820264862, 1e-7, "nb high");
    near(r.negbin.statistic, 0.951289898325824, 1e-7, "nb z");
    near(r.negbin.p_value, 0.34145723350874985, 1e-7, "nb p");
    /* R: w <- t.test(a, b); diff, statistic, parameter, p.value, conf.int */
    near(r.welch.estimate, 2.166666666666667, 1e-12, "welch");
    near(r.welch.statistic, 0.94163350732629658, 1e-10, "welch t");
    near(r.welch.df, 6.4330865051020778, 1e-10, "welch df");
    near(r.welch.p_value, 0.38038303330345374, 1e-9, "welch p");
    near(r.welch.conf_low, -3.3729781500829477, 1e-9, "welch low");
    near(r.welch.conf_high, 7.7063114834162816, 1e-9, "welch high");
    /* R: wilcox.test(a, b, exact = NULL, correct = TRUE): W = 28,
     *    p = 0.36596736596736595 (= 2 * pwilcox(27, 6, 7, lower = FALSE)). */
    cr_expect(r.mann_whitney.exact);
    near(r.mann_whitney.statistic, 28, 0, "W");
    near(r.mann_whitney.p_value, 0.36596736596736595, 1e-12, "mw p");
    cr_expect_eq(r.before.n, 7);
    cr_expect_eq(r.after.n, 6);
    near(r.percent_change, 100.0 * (43.0 / 6.0 / 5.0 - 1.0), 1e-12, "pct");
}

/* Ties across the windows: normal approximation with tie correction. */
Test(compare, ties_use_the_normal_approximation)
{
    const double b[] = {3, 5, 2, 8, 6, 4, 7, 5, 3};
    const double a[] = {1, 9, 2, 11, 12, 10, 5};
    tally_compare_result r = run(b, N(b), a, N(a));
    /* R: wilcox.test(a, b, exact = NULL, correct = TRUE) (warns "cannot
     *    compute exact p-value with ties"): W = 41.5,
     *    p = 0.31247007870986904. */
    cr_expect(!r.mann_whitney.exact);
    near(r.mann_whitney.statistic, 41.5, 0, "W");
    near(r.mann_whitney.p_value, 0.31247007870986904, 1e-10, "mw p");
    /* R: poisson.test(c(sum(a), sum(b)), T = c(7, 9)) */
    near(r.rate_ratio.estimate, 1.4950166112956811, 1e-12, "rr");
    near(r.rate_ratio.conf_low, 0.97453991564425235, 1e-9, "rr low");
    near(r.rate_ratio.conf_high, 2.3020806906122684, 1e-9, "rr high");
    near(r.rate_ratio.p_value, 0.059548703966484179, 1e-9, "rr p");
    /* R: qp(b, a) */
    near(r.quasipoisson.conf_low, 0.84143577176268114, 1e-9, "qp low");
    near(r.quasipoisson.conf_high, 2.6562629532232469, 1e-9, "qp high");
    near(r.quasipoisson.statistic, 1.5005643837552294, 1e-9, "qp t");
    near(r.quasipoisson.p_value, 0.15568072212507725, 1e-9, "qp p");
    near(r.qp_dispersion, 1.6603322259136213, 1e-9, "qp phi");
    /* R: glm(y ~ g, quasipoisson) as above */
    near(r.quasipoisson.conf_low, 0.84143577097256361, 1e-6, "qp low glm");
    near(r.quasipoisson.p_value, 0.15568072275289496, 1e-6, "qp p glm");
    near(r.qp_dispersion, 1.6603322412454307, 1e-6, "qp phi glm");
    /* R: MASS::glm.nb(y ~ g) as above (theta to ~1e-8, see first test) */
    near(r.nb_theta, 8.5112455555973554, 1e-7, "nb theta");
    near(r.negbin.conf_low, 0.88006449389749575, 1e-7, "nb low");
    near(r.negbin.conf_high, 2.539671448568118, 1e-7, "nb high");
    near(r.negbin.p_value, 0.13690657583195429, 1e-7, "nb p");
    /* R: t.test(a, b) */
    near(r.welch.statistic, 1.3082512802695916, 1e-10, "welch t");
    near(r.welch.df, 7.8609416281611884, 1e-10, "welch df");
    near(r.welch.p_value, 0.2277430463455265, 1e-9, "welch p");
}

/* Windows of unequal length (18 before, 8 after), underdispersed. */
Test(compare, unequal_windows)
{
    const double b[] = {10, 12, 9, 14, 11, 13, 8,  15, 10,
                        12, 11, 9, 14, 13, 12, 10, 11, 16};
    const double a[] = {7, 9, 6, 8, 10, 5, 7, 9};
    tally_compare_result r = run(b, N(b), a, N(a));
    cr_expect_eq(r.before.n, 18);
    cr_expect_eq(r.after.n, 8);
    /* R: poisson.test(c(sum(a), sum(b)), T = c(8, 18)) */
    near(r.rate_ratio.estimate, 0.65357142857142858, 1e-12, "rr");
    near(r.rate_ratio.conf_low, 0.48314880595220427, 1e-9, "rr low");
    near(r.rate_ratio.conf_high, 0.87297211603744851, 1e-9, "rr high");
    near(r.rate_ratio.p_value, 0.0029916136488944002, 1e-9, "rr p");
    /* R: qp(b, a) */
    near(r.quasipoisson.conf_low, 0.5403661610395637, 1e-9, "qp low");
    near(r.quasipoisson.conf_high, 0.79049289730343253, 1e-9, "qp high");
    near(r.quasipoisson.statistic, -4.6149360135432556, 1e-9, "qp t");
    near(r.quasipoisson.p_value, 0.0001105552956489362, 1e-9, "qp p");
    near(r.qp_dispersion, 0.40146370023419203, 1e-9, "qp phi");
    /* R: glm(y ~ g, quasipoisson) */
    near(r.quasipoisson.conf_low, 0.5403661614749995, 1e-6, "qp low glm");
    near(r.quasipoisson.p_value, 0.00011055529014981063, 1e-6, "qp p glm");
    near(r.qp_dispersion, 0.40146370566765466, 1e-6, "qp phi glm");
    /* R: glm.nb(y ~ g) fails in theta.ml ("missing value where TRUE/FALSE
     *    needed"): sum((y - mu)^2) = 101.875 < sum(y) = 271, so the
     *    likelihood increases without bound in theta.  tally reports the
     *    Poisson limit: theta = Inf and the Poisson Wald interval
     *    exp(log(rr) +- 1.959964 sqrt(1/61 + 1/210)). */
    cr_expect(isinf(r.nb_theta));
    double se = sqrt(1.0 / 61.0 + 1.0 / 210.0);
    near(r.negbin.conf_low,
         exp(log(r.negbin.estimate) - 1.959963984540054 * se), 1e-12, "nb low");
    cr_expect(r.notes[0] != '\0');
    /* R: t.test(a, b) */
    near(r.welch.estimate, -4.0416666666666661, 1e-12, "welch");
    near(r.welch.statistic, -5.1210227598633349, 1e-10, "welch t");
    near(r.welch.df, 17.462153581481115, 1e-10, "welch df");
    near(r.welch.p_value, 7.8422916913706029e-05, 1e-8, "welch p");
    near(r.welch.conf_low, -5.7034464690578579, 1e-9, "welch low");
    near(r.welch.conf_high, -2.3798868642754738, 1e-9, "welch high");
    /* R: wilcox.test(a, b): ties (9, 10) -> normal; W = 9,
     *    p = 0.00048054512919857597 */
    cr_expect(!r.mann_whitney.exact);
    near(r.mann_whitney.statistic, 9, 0, "W");
    near(r.mann_whitney.p_value, 0.00048054512919857597, 1e-9, "mw p");
}

/* Many zero months. */
Test(compare, zero_counts)
{
    const double b[] = {0, 0, 1, 0, 2, 0, 0, 1, 0, 0, 3, 0};
    const double a[] = {0, 0, 0, 0, 0, 1, 0, 0};
    tally_compare_result r = run(b, N(b), a, N(a));
    /* R: poisson.test(c(1, 7), T = c(8, 12)) */
    near(r.rate_ratio.estimate, 0.21428571428571427, 1e-12, "rr");
    near(r.rate_ratio.conf_low, 0.0047546085453805944, 1e-9, "rr low");
    near(r.rate_ratio.conf_high, 1.6679633304710202, 1e-9, "rr high");
    near(r.rate_ratio.p_value, 0.15618304000000002, 1e-9, "rr p");
    /* R: qp(b, a); glm's dispersion is 1.4285715633845733, 1e-7 from the
     * exact 10/7. */
    near(r.qp_dispersion, 1.4285714285714284, 1e-12, "qp phi");
    near(r.quasipoisson.conf_low, 0.014626727784209112, 1e-9, "qp low");
    near(r.quasipoisson.conf_high, 3.1393465458837513, 1e-9, "qp high");
    near(r.quasipoisson.statistic, -1.2055889395060955, 1e-9, "qp t");
    near(r.quasipoisson.p_value, 0.24358575636882687, 1e-9, "qp p");
    near(r.quasipoisson.p_value, 0.24358575914006544, 1e-6, "qp p glm");
    /* R: MASS::glm.nb(y ~ g) */
    near(r.nb_theta, 0.78382333612197852, 1e-7, "nb theta");
    near(r.negbin.conf_low, 0.020928204544913134, 1e-7, "nb low");
    near(r.negbin.conf_high, 2.1940901451147101, 1e-7, "nb high");
    near(r.negbin.p_value, 0.19431791637038842, 1e-7, "nb p");
    /* R: t.test(a, b); wilcox.test(a, b) (ties at 0 -> normal) */
    near(r.welch.statistic, -1.4616554303633791, 1e-10, "welch t");
    near(r.welch.df, 14.723273179255731, 1e-10, "welch df");
    near(r.welch.p_value, 0.16484979718974233, 1e-9, "welch p");
    near(r.mann_whitney.statistic, 37, 0, "W");
    near(r.mann_whitney.p_value, 0.28577028646718422, 1e-9, "mw p");
}

/* A window totalling zero: the exact test still works, the Wald tests do
 * not (log ratio -Inf). */
Test(compare, zero_total_after)
{
    const double b[] = {2, 0, 1, 3, 0, 2};
    const double a[] = {0, 0, 0, 0, 0};
    tally_compare_result r = run(b, N(b), a, N(a));
    /* R: poisson.test(c(0, 8), T = c(5, 6)): estimate 0, interval
     *    [0, 0.70299981016469182], p = 0.0096578270531277825 */
    near(r.rate_ratio.estimate, 0, 0, "rr");
    near(r.rate_ratio.conf_low, 0, 0, "rr low");
    near(r.rate_ratio.conf_high, 0.70299981016469182, 1e-9, "rr high");
    near(r.rate_ratio.p_value, 0.0096578270531277825, 1e-9, "rr p");
    /* R's glm gives exp(b) = 1.9e-14 with an interval [0, Inf] and p = 1:
     * the Hauck-Donner boundary.  tally reports the ratio 0 and no
     * interval or p-value, with a note. */
    near(r.quasipoisson.estimate, 0, 0, "qp");
    cr_expect(isnan(r.quasipoisson.conf_low));
    cr_expect(isnan(r.quasipoisson.p_value));
    cr_expect(r.notes[0] != '\0');
    /* R: t.test(a, b): df 5, p = 0.042948031332108103 */
    near(r.welch.df, 5, 1e-12, "welch df");
    near(r.welch.p_value, 0.042948031332108103, 1e-9, "welch p");
    /* R: wilcox.test(a, b): W = 5, p = 0.043901992032983436 */
    near(r.mann_whitney.p_value, 0.043901992032983436, 1e-9, "mw p");
}

/* Exact Mann-Whitney far in the tail, and the switch to the normal
 * approximation at 50 values without ties. */
Test(compare, mann_whitney_tail_and_size_limit)
{
    double a[55], b[40];
    for (size_t i = 0; i < 25; i++) {
        a[i] = (double)(i + 1);
    }
    for (size_t i = 0; i < 35; i++) {
        b[i] = (double)(i + 26) + 0.5;
    }
    tally_compare_result r = run(b, 35, a, 25);
    /* R: wilcox.test(1:25, 26:60 + 0.5)$p.value = 3.8524186215841651e-17
     *    (= 2 / choose(60, 25)) */
    cr_expect(r.mann_whitney.exact);
    near(r.mann_whitney.p_value, 3.8524186215841651e-17, 1e-10, "tail p");
    for (size_t i = 0; i < 55; i++) {
        a[i] = 1.0 + 2.0 * (double)i;
    }
    for (size_t i = 0; i < 40; i++) {
        b[i] = 2.0 + 2.0 * (double)i + 0.25;
    }
    r = run(b, 40, a, 55);
    /* R: wilcox.test(seq(1, 110, by = 2), seq(2, 80, by = 2) + 0.25):
     *    55 >= 50 values -> normal; W = 1380, p = 0.035134007223518345 */
    cr_expect(!r.mann_whitney.exact);
    near(r.mann_whitney.statistic, 1380, 0, "W");
    near(r.mann_whitney.p_value, 0.035134007223518345, 1e-9, "mw p");
}

/* The exact helpers against slow, obviously correct sums. */
Test(compare, exact_helpers_match_brute_force)
{
    /* pwilcox by enumerating all choose(9, 4) = 126 rank subsets. */
    size_t m = 4, n = 5;
    for (double u = 0; u <= 20; u++) {
        unsigned count = 0, total = 0;
        for (unsigned mask = 0; mask < (1u << 9); mask++) {
            unsigned s = 0, bits = 0;
            for (unsigned k = 0; k < 9; k++) {
                s += (mask >> k & 1u) ? k + 1 : 0;
                bits += mask >> k & 1u;
            }
            if (bits != 4) {
                continue;
            }
            total++;
            count += (double)s - 10.0 <= u;
        }
        near(tally_wilcox_cdf(u, m, n), (double)count / total, 1e-14,
             "pwilcox");
    }
    /* R: binom.test(65, 106, 13/23)$p.value = 0.32918570129927 (printed
     *    by poisson.test(c(65, 41), T = c(13, 10)) with 14 digits) */
    near(tally_binom_test_p(65, 106, 13.0 / 23.0), 0.32918570129927, 1e-12,
         "binom p");
    /* R: binom.test(3, 3, 0.5)$p.value = 0.25; x = mean gives 1 */
    near(tally_binom_test_p(3, 3, 0.5), 0.25, 1e-14, "binom edge");
    near(tally_binom_test_p(5, 10, 0.5), 1.0, 0, "binom center");
}

static tally_frame *frame_of(const double *y, size_t n)
{
    tally_period start = tally_period_make(TALLY_FREQ_MONTH, 2021, 1);
    tally_frame *f = tally_frame_alloc(TALLY_FREQ_MONTH, start, n, 1);
    cr_assert(f != NULL);
    for (size_t i = 0; i < n; i++) {
        f->cols[0][i] = y[i];
    }
    return f;
}

static tally_period month(int y, int m)
{
    return tally_period_make(TALLY_FREQ_MONTH, y, m);
}

/* Missing values are left out and counted; the rest is the array test. */
Test(compare, frame_windows_and_missing_values)
{
    const double y[] = {3, 5, NAN, 8, 6, 4, 7, 1, 9, 0, NAN, 11, 12, 10};
    tally_frame *f = frame_of(y, N(y));
    tally_compare_result r;
    cr_assert_eq(tally_compare_frame(f, 0, month(2021, 1), month(2021, 7),
                                     month(2021, 8), month(2022, 2), 0.95, &r),
                 TALLY_OK, "%s", tally_last_error());
    cr_expect_eq(r.before.n, 6);
    cr_expect_eq(r.before.n_missing, 1);
    cr_expect_eq(r.after.n, 6);
    cr_expect_eq(r.after.n_missing, 1);
    cr_expect_eq(r.before.from, month(2021, 1));
    cr_expect_eq(r.after.to, month(2022, 2));
    const double b[] = {3, 5, 8, 6, 4, 7}, a[] = {1, 9, 0, 11, 12, 10};
    tally_compare_result s = run(b, 6, a, 6);
    near(r.rate_ratio.p_value, s.rate_ratio.p_value, 0, "same as arrays");
    near(r.mann_whitney.p_value, s.mann_whitney.p_value, 0, "same mw");
    tally_frame_free(f);
}

/* Each error: outside the series, reversed, overlapping, all missing. */
Test(compare, window_errors)
{
    const double y[] = {3, 5, NAN, NAN, 6, 4};
    tally_frame *f = frame_of(y, N(y));
    tally_compare_result r;
    cr_expect_eq(tally_compare_frame(f, 0, month(2020, 12), month(2021, 2),
                                     month(2021, 5), month(2021, 6), 0.95, &r),
                 TALLY_ERANGE);
    cr_expect(strstr(tally_last_error(), "not inside the series") != NULL, "%s",
              tally_last_error());
    cr_expect_eq(tally_compare_frame(f, 0, month(2021, 1), month(2021, 2),
                                     month(2021, 5), month(2021, 7), 0.95, &r),
                 TALLY_ERANGE);
    cr_expect_eq(tally_compare_frame(f, 0, month(2021, 2), month(2021, 1),
                                     month(2021, 5), month(2021, 6), 0.95, &r),
                 TALLY_ERANGE);
    cr_expect_eq(tally_compare_frame(f, 0, month(2021, 1), month(2021, 3),
                                     month(2021, 3), month(2021, 6), 0.95, &r),
                 TALLY_ERANGE);
    cr_expect(strstr(tally_last_error(), "overlap") != NULL, "%s",
              tally_last_error());
    cr_expect_eq(tally_compare_frame(f, 0, month(2021, 1), month(2021, 2),
                                     month(2021, 3), month(2021, 4), 0.95, &r),
                 TALLY_EMISSING);
    cr_expect_eq(tally_compare_frame(f, 0, month(2021, 1), month(2021, 2),
                                     month(2021, 5), month(2021, 6), 1.5, &r),
                 TALLY_EINVAL);
    cr_expect_eq(tally_exit_code(TALLY_ERANGE), 2);
    cr_expect_eq(tally_exit_code(TALLY_EMISSING), 2);
    tally_frame_free(f);
}
