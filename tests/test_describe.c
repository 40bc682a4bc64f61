/* SPDX-License-Identifier: MIT
 *
 * describe: hand-computed series (monthly with a missing month and cut
 * years, quarterly, annual with a gap), the PICSS monthly series shipped in
 * data/ against R, the O(n) rolling mean and record scan against slow,
 * obviously correct versions, NIST StRD univariate mean and sd, shares of a
 * grouped series with missing cells, the rounding rule and every error.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_describe.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"
#include "tally/tally_table.h"

/* Relative closeness: |a - b| <= tol * |b| (and both NaN counts as
 * equal). */
static int close_rel(double a, double b, double tol)
{
    if (isnan(a) || isnan(b)) {
        return isnan(a) && isnan(b);
    }
    return fabs(a - b) <= tol * fabs(b);
}

#define M(y, m) tally_period_make(TALLY_FREQ_MONTH, (y), (m))
#define Q(y, q) tally_period_make(TALLY_FREQ_QUARTER, (y), (q))

/* 2021-11 .. 2023-03, value i + 1 at index i, 2022-05 (index 6) missing.
 * Hand-computed figures are in the comments of the test below. */
static void monthly_fixture(double *y)
{
    for (int i = 0; i < 17; i++) {
        y[i] = i + 1;
    }
    y[6] = NAN;
}

Test(describe, monthly_missing_month_and_cut_years_by_hand)
{
    double y[17];
    monthly_fixture(y);
    tally_describe_options o;
    tally_describe_options_init(&o);
    o.window = 3;
    tally_describe d;
    cr_assert_eq(
        tally_describe_series(y, 17, TALLY_FREQ_MONTH, M(2021, 11), &o, &d),
        TALLY_OK, "%s", tally_last_error());
    /* Observed: 16 of 17; total 1 + ... + 17 - 7 = 146; mean 146 / 16. */
    cr_expect_eq(d.observed, 16);
    cr_expect_eq(d.missing, 1);
    cr_expect_eq(d.total, 146.0);
    cr_expect_eq(d.mean, 9.125);
    /* R: x <- c(1:6, 8:17); sprintf("%.17g", sd(x)) -> 5.1881274720911268 */
    cr_expect(close_rel(d.sd, 5.1881274720911268, 1e-14), "sd %.17g", d.sd);
    cr_expect_eq(d.argmin, 0);
    cr_expect_eq(d.argmax, 16);
    cr_expect_eq(d.last, 16);

    /* Years: 2021 (Nov, Dec) cut by the start, 2022 with May missing,
     * 2023 (Jan-Mar) cut by the end: none complete, so no year-on-year. */
    cr_assert_eq(d.nyears, 3);
    cr_expect_eq(d.years[0].year, 2021);
    cr_expect_eq(d.years[0].present, 2);
    cr_expect_eq(d.years[0].total, 3.0);
    cr_expect_eq(d.years[1].present, 12);
    cr_expect_eq(d.years[1].missing, 1);
    cr_expect_eq(d.years[1].observed, 11);
    cr_expect_eq(d.years[1].complete, 0);
    /* 3 + ... + 14 - 7 = 95 over 11 observed months. */
    cr_expect_eq(d.years[1].total, 95.0);
    cr_expect(close_rel(d.years[1].mean, 95.0 / 11.0, 1e-15));
    for (size_t k = 0; k < 3; k++) {
        cr_expect(isnan(d.years[k].pct_change));
        cr_expect(isnan(d.years[k].prev_total));
        cr_expect_eq(d.years[k].high.kind, TALLY_RECORD_NONE);
        cr_expect_eq(d.years[k].low.kind, TALLY_RECORD_NONE);
    }
    /* Like-for-like 2022 vs 2021: Nov-Dec, 13 + 14 = 27 against 1 + 2 = 3,
     * +800%; 2023 vs 2022: Jan-Mar, 48 against 12, +300%. */
    cr_expect_eq(d.years[0].lfl_n, 0);
    cr_expect_eq(d.years[1].lfl_n, 2);
    cr_expect_eq(d.years[1].lfl_first, M(2022, 11));
    cr_expect_eq(d.years[1].lfl_last, M(2022, 12));
    cr_expect_eq(d.years[1].lfl_total, 27.0);
    cr_expect_eq(d.years[1].lfl_prev_total, 3.0);
    cr_expect_eq(d.years[1].lfl_pct_change, 800.0);
    cr_expect_eq(d.years[2].lfl_n, 3);
    cr_expect_eq(d.years[2].lfl_gaps, 0);
    cr_expect_eq(d.years[2].lfl_total, 48.0);
    cr_expect_eq(d.years[2].lfl_prev_total, 12.0);
    cr_expect_eq(d.years[2].lfl_pct_change, 300.0);

    /* Half-years: 2021-H2 (2 of 6), 2022-H1 (May missing: 3+4+5+6+8 = 26),
     * 2022-H2 complete (9 + ... + 14 = 69), 2023-H1 (3 of 6: 48). */
    cr_assert_eq(d.nhalves, 4);
    cr_expect_eq(d.halves[0].part, 2);
    cr_expect_eq(d.halves[0].present, 2);
    cr_expect_eq(d.halves[1].total, 26.0);
    cr_expect_eq(d.halves[1].missing, 1);
    cr_expect_eq(d.halves[2].complete, 1);
    cr_expect_eq(d.halves[2].total, 69.0);
    cr_expect(isnan(d.halves[2].pct_change)); /* 2021-H2 is partial */
    cr_expect_eq(d.halves[2].lfl_total, 27.0);
    cr_expect_eq(d.halves[3].lfl_total, 48.0);
    cr_expect_eq(d.halves[3].lfl_prev_total, 12.0);

    /* Rolling mean, window 3: mean(1,2,3) = 2 at index 2; every window
     * holding index 6 (indices 6, 7, 8) is undefined; mean(8,9,10) = 9 at
     * index 9. */
    cr_expect(isnan(d.points[1].rolling_mean));
    cr_expect_eq(d.points[2].rolling_mean, 2.0);
    cr_expect_eq(d.points[5].rolling_mean, 5.0);
    cr_expect(isnan(d.points[6].rolling_mean));
    cr_expect(isnan(d.points[8].rolling_mean));
    cr_expect_eq(d.points[9].rolling_mean, 9.0);
    /* Last 3 (15+16+17 = 48) against the 3 before (12+13+14 = 39). */
    cr_expect_eq(d.recent_total, 48.0);
    cr_expect_eq(d.previous_total, 39.0);
    cr_expect(close_rel(d.recent_pct_change, 100.0 * 9.0 / 39.0, 1e-15));

    /* Same month a year earlier: 2022-11 (13) against 2021-11 (1). */
    cr_expect_eq(d.points[12].prev_value, 1.0);
    cr_expect_eq(d.points[12].change, 12.0);
    cr_expect_eq(d.points[12].pct_change, 1200.0);
    cr_expect_eq(d.points[16].prev_value, 5.0); /* 2023-03 vs 2022-03 */
    cr_expect(isnan(d.points[11].prev_value));  /* 2021-10: before start */
    /* An increasing series: index 7 (after the missing month) is the
     * highest of the 7 observed values 0..5, 7, with index 6 skipped. */
    cr_expect_eq(d.points[7].high.kind, TALLY_RECORD_ALL);
    cr_expect_eq(d.points[7].high.from, 0);
    cr_expect_eq(d.points[7].high.compared, 7);
    cr_expect_eq(d.points[7].high.skipped, 1);
    cr_expect_eq(d.points[7].low.kind, TALLY_RECORD_NONE);
    cr_expect_eq(d.points[6].high.kind, TALLY_RECORD_NONE);
    cr_expect_eq(d.points[0].high.kind, TALLY_RECORD_NONE);
    tally_describe_fini(&d);
}

Test(describe, quarterly_halves_and_default_window_by_hand)
{
    /* 2020-Q3 .. 2022-Q2: 10, 20, ..., 80. */
    double y[8];
    for (int i = 0; i < 8; i++) {
        y[i] = 10.0 * (i + 1);
    }
    tally_describe d;
    cr_assert_eq(
        tally_describe_series(y, 8, TALLY_FREQ_QUARTER, Q(2020, 3), NULL, &d),
        TALLY_OK);
    cr_expect_eq(d.window, 4);
    /* Years: 2020 partial (30), 2021 complete (180), 2022 partial (150). */
    cr_assert_eq(d.nyears, 3);
    cr_expect_eq(d.years[0].complete, 0);
    cr_expect_eq(d.years[1].complete, 1);
    cr_expect_eq(d.years[1].total, 180.0);
    cr_expect(isnan(d.years[1].pct_change));
    cr_expect_eq(d.years[1].lfl_total, 110.0); /* Q3 + Q4 2021 */
    cr_expect_eq(d.years[1].lfl_prev_total, 30.0);
    cr_expect_eq(d.years[2].lfl_total, 150.0); /* Q1 + Q2 2022 */
    cr_expect_eq(d.years[2].lfl_prev_total, 70.0);
    /* Halves of two quarters: 2020-H2 is complete (Q3, Q4), so 2021-H2
     * (110) compares with it: +80, 100 * 80 / 30 = 266.67%. */
    cr_assert_eq(d.nhalves, 4);
    cr_expect_eq(d.halves[0].complete, 1);
    cr_expect_eq(d.halves[2].total, 110.0);
    cr_expect_eq(d.halves[2].change, 80.0);
    cr_expect(close_rel(d.halves[2].pct_change, 800.0 / 3.0, 1e-15));
    cr_expect(close_rel(d.halves[3].pct_change, 100.0 * 80.0 / 70.0, 1e-15));
    cr_expect_eq(d.halves[0].high.kind, TALLY_RECORD_NONE);
    cr_expect_eq(d.halves[3].high.kind, TALLY_RECORD_ALL);
    cr_expect_eq(d.halves[3].high.compared, 4);
    /* Rolling 4-quarter mean at 2021-Q2: (10+20+30+40) / 4 = 25. */
    cr_expect(isnan(d.points[2].rolling_mean));
    cr_expect_eq(d.points[3].rolling_mean, 25.0);
    /* Last 4 quarters 260 against 100: +160%. */
    cr_expect_eq(d.recent_total, 260.0);
    cr_expect_eq(d.previous_total, 100.0);
    cr_expect_eq(d.recent_pct_change, 160.0);
    /* 2021-Q3 (50) against 2020-Q3 (10). */
    cr_expect_eq(d.points[4].prev_value, 10.0);
    cr_expect_eq(d.points[4].pct_change, 400.0);
    tally_describe_fini(&d);
}

Test(describe, annual_series_with_a_gap_by_hand)
{
    /* 2018..2022: 5, NA, 7, 7, 3. */
    const double y[5] = {5, NAN, 7, 7, 3};
    tally_describe d;
    cr_assert_eq(tally_describe_series(
                     y, 5, TALLY_FREQ_YEAR,
                     tally_period_make(TALLY_FREQ_YEAR, 2018, 1), NULL, &d),
                 TALLY_OK);
    cr_expect_eq(d.window, 0);
    cr_expect_eq(d.nhalves, 0);
    cr_expect(isnan(d.points[4].rolling_mean));
    cr_expect(isnan(d.recent_total));
    cr_assert_eq(d.nyears, 5);
    cr_expect_eq(d.years[1].complete, 0);
    cr_expect_eq(d.years[1].missing, 1);
    cr_expect(isnan(d.years[1].total));
    cr_expect(isnan(d.years[2].pct_change)); /* 2019 is missing */
    cr_expect_eq(d.years[3].change, 0.0);
    cr_expect_eq(d.years[3].pct_change, 0.0);
    cr_expect_eq(d.years[4].change, -4.0);
    cr_expect(close_rel(d.years[4].pct_change, -400.0 / 7.0, 1e-15));
    /* 2020 (7) beats 2018 (5), the only earlier observed year; 2019 is
     * inside the window, skipped. */
    cr_expect_eq(d.years[2].high.kind, TALLY_RECORD_ALL);
    cr_expect_eq(d.years[2].high.compared, 2);
    cr_expect_eq(d.years[2].high.skipped, 1);
    /* 2021 equals 2020: neither a high nor a low. */
    cr_expect_eq(d.years[3].high.kind, TALLY_RECORD_NONE);
    cr_expect_eq(d.years[3].low.kind, TALLY_RECORD_NONE);
    /* 2022 (3) is the lowest of the 4 observed years. */
    cr_expect_eq(d.years[4].low.kind, TALLY_RECORD_ALL);
    cr_expect_eq(d.years[4].low.from, 0);
    cr_expect_eq(d.years[4].low.compared, 4);
    cr_expect_eq(d.years[4].low.skipped, 1);
    tally_describe_fini(&d);
}

/* The shipped PICSS series (data/pakistan-picss/monthly.csv). */
static tally_frame_set *read_repo(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", TALLY_SOURCE_DIR, rel);
    tally_frame_set *s = NULL;
    cr_assert_eq(tally_series_read(path, NULL, &s), TALLY_OK, "%s",
                 tally_last_error());
    return s;
}

Test(describe, picss_monthly_against_r)
{
    tally_frame_set *s = read_repo("data/pakistan-picss/monthly.csv");
    const tally_frame *f = s->frames[0];
    long j = tally_frame_column(f, "attacks");
    cr_assert(j >= 0);
    tally_describe d;
    cr_assert_eq(
        tally_describe_series(f->cols[j], f->n, f->freq, f->start, NULL, &d),
        TALLY_OK);
    /* R: d <- read.csv("data/pakistan-picss/monthly.csv"); x <- d$attacks
     *    sprintf("%.17g", c(sum(x), mean(x), sd(x)))
     *    -> 2086, 50.878048780487802, 22.516877139105258 */
    cr_expect_eq(d.total, 2086.0);
    cr_expect(close_rel(d.mean, 50.878048780487802, 1e-15));
    cr_expect(close_rel(d.sd, 22.516877139105258, 1e-14), "%.17g", d.sd);
    /* R: r <- stats::filter(x, rep(1/12, 12), sides = 1)
     *    sprintf("%.17g", r[c(12, 13, 41)])
     *    -> 28.166666666666664, 27, 75.416666666666657 */
    cr_expect(isnan(d.points[10].rolling_mean));
    cr_expect(close_rel(d.points[11].rolling_mean, 28.166666666666664, 1e-15));
    cr_expect(close_rel(d.points[12].rolling_mean, 27.0, 1e-15));
    cr_expect(close_rel(d.points[40].rolling_mean, 75.416666666666657, 1e-15));
    /* R: tapply(x, substr(d$month, 1, 4), sum) -> 153 380 648 905;
     *    100 * (648 - 380) / 380 = 70.526315789473685 */
    cr_assert_eq(d.nyears, 4);
    cr_expect_eq(d.years[0].total, 153.0);
    cr_expect_eq(d.years[0].complete, 0);
    cr_expect_eq(d.years[1].total, 380.0);
    cr_expect_eq(d.years[2].total, 648.0);
    cr_expect_eq(d.years[3].total, 905.0);
    cr_expect(isnan(d.years[1].pct_change)); /* 2021 is partial */
    cr_expect(close_rel(d.years[2].pct_change, 70.526315789473685, 1e-15));
    /* 2022 like-for-like (Aug-Dec): 31+42+39+34+49 = 195 against 153. */
    cr_expect_eq(d.years[1].lfl_total, 195.0);
    cr_expect_eq(d.years[1].lfl_prev_total, 153.0);
    /* First half 2023 against 2022: 274 against 152 in these monthly rows
     * (the think tank's first release said 271 against 151, +79%). */
    cr_expect_eq(d.halves[3].year, 2023);
    cr_expect_eq(d.halves[3].part, 1);
    cr_expect_eq(d.halves[3].total, 274.0);
    cr_expect_eq(d.halves[3].prev_total, 152.0);
    cr_expect(close_rel(d.halves[3].pct_change, 100.0 * 122.0 / 152.0, 1e-15));
    /* 2023-08 (99) was the highest month of the series so far. */
    cr_expect_eq(d.points[24].value, 99.0);
    cr_expect_eq(d.points[24].high.kind, TALLY_RECORD_ALL);
    cr_expect_eq(d.points[24].high.compared, 25);
    tally_describe_fini(&d);
    tally_frame_set_free(s);
}

/* ------------------------------------------------------------------ */
/* Fast algorithms against slow, obviously correct ones. */

/* xorshift64: a fixed, portable pseudo-random sequence. */
static uint64_t rng_state = 88172645463325252ULL;
static double unif(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

Test(describe, rolling_mean_matches_direct_window_sums)
{
    /* Values near 1 with a 1e12 spike every 50 periods and missing values:
     * a plain running sum keeps an error of about ulp(1e12) = 1.2e-4 after
     * a spike leaves the window; the compensated one must not.  The direct
     * mean of at most 24 values of similar size is within 24 ulps, so
     * 1e-13 relative separates the two clearly. */
    enum { N = 2000 };
    static double y[N], fast[N];
    for (size_t i = 0; i < N; i++) {
        y[i] = i % 50 == 0 ? 1e12 : unif();
        if (unif() < 0.02) {
            y[i] = NAN;
        }
    }
    const size_t windows[] = {1, 2, 3, 5, 12, 24};
    for (size_t wi = 0; wi < sizeof windows / sizeof windows[0]; wi++) {
        size_t w = windows[wi];
        tally_describe_rolling_mean(y, N, w, fast);
        for (size_t i = 0; i < N; i++) {
            double slow = NAN;
            if (i + 1 >= w) {
                double s = 0.0;
                int any_nan = 0;
                for (size_t k = i + 1 - w; k <= i; k++) {
                    any_nan |= isnan(y[k]);
                    s += y[k];
                }
                slow = any_nan ? NAN : s / (double)w;
            }
            cr_assert(close_rel(fast[i], slow, 1e-13),
                      "w %zu i %zu: %.17g vs %.17g", w, i, fast[i], slow);
        }
    }
    /* Window 0: no rolling mean. */
    tally_describe_rolling_mean(y, 10, 0, fast);
    for (size_t i = 0; i < 10; i++) {
        cr_expect(isnan(fast[i]));
    }
}

/* The definition, literally: walk back from i to the latest earlier
 * comparable value at least as high (low). */
static void slow_record(const double *v, const unsigned char *ok, size_t i,
                        int high, tally_describe_record *r)
{
    memset(r, 0, sizeof *r);
    r->kind = TALLY_RECORD_NONE;
    r->since = i;
    r->since_value = NAN;
    r->from = i;
    r->compared = ok[i] ? 1 : 0;
    if (!ok[i]) {
        return;
    }
    size_t earlier = 0;
    for (size_t j = 0; j < i; j++) {
        earlier += ok[j];
    }
    if (earlier == 0) {
        return;
    }
    long hit = -1;
    for (size_t j = i; j-- > 0;) {
        if (ok[j] && (high ? v[j] >= v[i] : v[j] <= v[i])) {
            hit = (long)j;
            break;
        }
    }
    size_t prev = i;
    for (size_t j = i; j-- > 0;) {
        if (ok[j]) {
            prev = j;
            break;
        }
    }
    if (hit == (long)prev) {
        return;
    }
    size_t from = 0;
    if (hit >= 0) {
        r->kind = TALLY_RECORD_SINCE;
        r->since = (size_t)hit;
        r->since_value = v[hit];
        from = (size_t)hit;
    } else {
        r->kind = TALLY_RECORD_ALL;
        while (!ok[from]) {
            from++;
        }
    }
    r->from = from;
    r->compared = 0;
    r->skipped = 0;
    for (size_t j = from; j <= i; j++) {
        r->compared += ok[j];
        if (j > from && j < i && !ok[j]) {
            r->skipped++;
        }
    }
}

Test(describe, records_match_the_definition)
{
    /* Small integers make ties frequent; 15% of items not comparable. */
    enum { N = 3000 };
    static double v[N];
    static unsigned char ok[N];
    static size_t work[2 * N];
    static tally_describe_record fast[N];
    for (size_t i = 0; i < N; i++) {
        v[i] = floor(unif() * 12.0);
        ok[i] = unif() >= 0.15;
    }
    for (int high = 0; high <= 1; high++) {
        tally_describe_records(v, ok, N, high, work, fast);
        for (size_t i = 0; i < N; i++) {
            tally_describe_record slow;
            slow_record(v, ok, i, high, &slow);
            cr_assert_eq(fast[i].kind, slow.kind, "high %d item %zu", high, i);
            cr_assert_eq(fast[i].from, slow.from, "item %zu", i);
            cr_assert_eq(fast[i].compared, slow.compared, "item %zu", i);
            cr_assert_eq(fast[i].skipped, slow.skipped, "item %zu", i);
            if (slow.kind == TALLY_RECORD_SINCE) {
                cr_assert_eq(fast[i].since, slow.since, "item %zu", i);
                cr_assert_eq(fast[i].since_value, slow.since_value);
            }
        }
    }
}

Test(describe, compensated_sum)
{
    /* 1e16 + 1 - 1e16 in a plain sum gives 0; compensated gives 1. */
    const double y[4] = {1e16, 1.0, NAN, -1e16};
    cr_expect_eq(tally_describe_sum(y, 4), 1.0);
    const double none[2] = {NAN, NAN};
    cr_expect(isnan(tally_describe_sum(none, 2)));
}

/* ------------------------------------------------------------------ */
/* NIST StRD univariate summary statistics (certified values from the
 * .dat files; https://www.itl.nist.gov/div898/strd/univ/homepage.html). */

static size_t read_nist(const char *name, double **out)
{
    const char *shared = getenv("TALLY_SHARED");
    char path[1024];
    if (shared == NULL) {
        return 0;
    }
    snprintf(path, sizeof path, "%s/data/nist-strd/univariate/%s", shared,
             name);
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        return 0;
    }
    char line[256];
    int in_data = 0;
    size_t n = 0, cap = 0;
    double *v = NULL;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (!in_data) {
            in_data = strncmp(line, "Data: Y", 7) == 0;
            continue;
        }
        char *end;
        double x = strtod(line, &end);
        if (end == line) {
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            double *nv = realloc(v, cap * sizeof *v);
            cr_assert(nv != NULL);
            v = nv;
        }
        v[n++] = x;
    }
    fclose(fp);
    *out = v;
    return n;
}

/* Digits: the tolerance for each data set is what its input allows.
 * Lew, Mavro: values with few digits, mean and sd to 1e-13.  NumAcc1-4:
 * values like 1000000.2 and 10000000.2 are not exact in binary (error up
 * to half an ulp, 5.8e-11 and 9.3e-10), which moves the certified sd of
 * 0.1 by up to that amount relative to 0.1: 1e-9 and 1e-8. */
static void nist_case(const char *name, size_t n_expected, double mean,
                      double sd, double tol_mean, double tol_sd,
                      double exact_sd)
{
    double *v = NULL;
    size_t n = read_nist(name, &v);
    if (n == 0) {
        cr_skip_test("TALLY_SHARED/data/nist-strd/univariate/%s not found",
                     name);
    }
    cr_assert_eq(n, n_expected, "%s: %zu values", name, n);
    tally_describe d;
    cr_assert_eq(tally_describe_series(v, n, TALLY_FREQ_YEAR,
                                       tally_period_make(TALLY_FREQ_YEAR, 1, 1),
                                       NULL, &d),
                 TALLY_OK);
    cr_expect(close_rel(d.mean, mean, tol_mean), "%s mean %.17g", name, d.mean);
    cr_expect(close_rel(d.sd, sd, tol_sd), "%s sd %.17g", name, d.sd);
    /* Against the exact sd of the values as read (binary doubles), the
     * only error left is ours: a few ulps. */
    if (!isnan(exact_sd)) {
        cr_expect(close_rel(d.sd, exact_sd, 1e-14),
                  "%s sd %.17g vs exact %.17g", name, d.sd, exact_sd);
    }
    tally_describe_fini(&d);
    free(v);
}

/* exact_sd: the sd of the data as parsed into doubles, computed exactly
 * with rationals:
 *   python3: from fractions import Fraction as F; x = [F(float(s)) ...];
 *   m = sum(x) / len(x); sqrt(sum((v - m)**2 for v in x) / (len(x) - 1))
 * (Decimal square root, 30 digits). */
Test(describe, nist_lew)
{
    nist_case("Lew.dat", 200, -177.435000000000, 277.332168044316, 1e-13, 1e-13,
              277.332168044316135764922485702);
}

Test(describe, nist_mavro)
{
    nist_case("Mavro.dat", 50, 2.00185600000000, 0.000429123454003053, 1e-13,
              1e-11, 0.000429123454003085409285246189217);
}

Test(describe, nist_numacc1)
{
    nist_case("NumAcc1.dat", 3, 10000002.0, 1.0, 1e-15, 1e-15, NAN);
}

Test(describe, nist_numacc2)
{
    nist_case("NumAcc2.dat", 1001, 1.2, 0.1, 1e-14, 1e-12, NAN);
}

Test(describe, nist_numacc3)
{
    nist_case("NumAcc3.dat", 1001, 1000000.2, 0.1, 1e-14, 1e-9,
              0.100000000034924596548097368071);
}

Test(describe, nist_numacc4)
{
    nist_case("NumAcc4.dat", 1001, 10000000.2, 0.1, 1e-14, 1e-8,
              0.100000000558793544773619585565);
}

/* ------------------------------------------------------------------ */
/* Shares. */

static const char grouped[] = "year,region,x\n"
                              "2021,A,10\n"
                              "2022,A,NA\n"
                              "2023,A,30\n"
                              "2021,B,30\n"
                              "2022,B,20\n"
                              "2023,B,10\n"
                              "2022,C,5\n";

static tally_frame_set *grouped_set(void)
{
    tally_table *t = NULL;
    tally_frame_set *s = NULL;
    cr_assert_eq(
        tally_table_read_mem("g.csv", grouped, sizeof grouped - 1, 0, &t),
        TALLY_OK);
    cr_assert_eq(tally_series_from_table(t, NULL, &s), TALLY_OK, "%s",
                 tally_last_error());
    tally_table_free(t);
    return s;
}

Test(describe, shares_with_missing_cells_by_hand)
{
    tally_frame_set *set = grouped_set();
    const char *ac[] = {"A", "C"};
    tally_describe_union u = {2, ac};
    tally_describe_shares s;
    cr_assert_eq(tally_describe_shares_compute(set, "x", &u, 1, &s), TALLY_OK,
                 "%s", tally_last_error());
    cr_assert_eq(s.nrows, 4);
    cr_expect_eq(s.n, 3);
    /* Span totals: A 40 (2022 missing), B 60, C 5 (2021, 2023 outside
     * its rows: missing); sum 105; 3 missing cells. */
    cr_expect_eq(s.grand_total, 105.0);
    cr_expect_eq(s.grand_missing, 3);
    cr_expect_eq(s.rows[0].total, 40.0);
    cr_expect_eq(s.rows[0].missing, 1);
    cr_expect_eq(s.rows[2].missing, 2);
    cr_expect(close_rel(s.rows[0].share, 4000.0 / 105.0, 1e-15));
    cr_expect(close_rel(s.rows[1].share, 6000.0 / 105.0, 1e-15));
    cr_expect(close_rel(s.rows[2].share, 500.0 / 105.0, 1e-15));
    /* Union A+C: 45 of 105, its members' 3 missing cells. */
    cr_expect_str_eq(s.rows[3].label, "A+C");
    cr_expect_eq(s.rows[3].members, 2);
    cr_expect_eq(s.rows[3].total, 45.0);
    cr_expect_eq(s.rows[3].missing, 3);
    cr_expect(close_rel(s.rows[3].share, 4500.0 / 105.0, 1e-15));
    /* By year: 2021 = 10 + 30 (C missing), 2022 = 20 + 5 (A missing),
     * 2023 = 30 + 10 (C missing). */
    cr_assert_eq(s.nyears, 3);
    cr_expect_eq(s.year_total[0], 40.0);
    cr_expect_eq(s.year_total[1], 25.0);
    cr_expect_eq(s.year_missing[1], 1);
    cr_expect_eq(s.year_groups[0], 2);
    cr_expect_eq(s.year_periods[0], 1);
    cr_expect_eq(s.year_share[0 * 4 + 0], 25.0);
    cr_expect_eq(s.year_share[0 * 4 + 1], 75.0);
    cr_expect(isnan(s.year_share[0 * 4 + 2]));
    cr_expect(isnan(s.year_value[1 * 4 + 0]));
    cr_expect_eq(s.year_share[1 * 4 + 1], 80.0);
    cr_expect_eq(s.year_share[1 * 4 + 2], 20.0);
    cr_expect_eq(s.year_value[1 * 4 + 3], 5.0);
    cr_expect_eq(s.year_share[1 * 4 + 3], 20.0);
    cr_expect_eq(s.year_row_missing[1 * 4 + 3], 1);
    cr_expect_eq(s.year_share[2 * 4 + 3], 75.0);
    tally_describe_shares_fini(&s);
    tally_describe_shares_fini(&s); /* fini twice is harmless */
    tally_frame_set_free(set);
}

static void expect_share_error(const tally_frame_set *set, const char *col,
                               const char *const *names, size_t n,
                               const char *needle)
{
    tally_describe_union u = {n, names};
    tally_describe_shares s;
    cr_expect_eq(tally_describe_shares_compute(set, col, &u, names ? 1 : 0, &s),
                 TALLY_EINVAL);
    cr_expect(strstr(tally_last_error(), needle) != NULL, "'%s' not in '%s'",
              needle, tally_last_error());
}

Test(describe, errors)
{
    tally_frame_set *set = grouped_set();
    const char *unknown[] = {"A", "Z"};
    const char *twice[] = {"A", "A"};
    expect_share_error(set, "x", unknown, 2, "no group 'Z'");
    expect_share_error(set, "x", twice, 2, "appears twice");
    expect_share_error(set, "nope", NULL, 0, "no column 'nope'");
    expect_share_error(set, "x", unknown, 0, "empty");
    tally_frame_set_free(set);

    tally_table *t = NULL;
    tally_frame_set *flat = NULL;
    const char text[] = "year,x\n2020,1\n";
    cr_assert_eq(tally_table_read_mem("f.csv", text, sizeof text - 1, 0, &t),
                 TALLY_OK);
    cr_assert_eq(tally_series_from_table(t, NULL, &flat), TALLY_OK);
    expect_share_error(flat, "x", NULL, 0, "grouped");
    tally_frame_set_free(flat);
    tally_table_free(t);

    tally_describe d;
    double y[1] = {1};
    cr_expect_eq(tally_describe_series(y, 0, TALLY_FREQ_MONTH, 0, NULL, &d),
                 TALLY_EINVAL);
    cr_expect_eq(tally_describe_series(y, 1, TALLY_FREQ_NONE, 0, NULL, &d),
                 TALLY_EINVAL);
    tally_describe_block *b = NULL;
    size_t nb = 0;
    cr_expect_eq(
        tally_describe_blocks(y, 1, TALLY_FREQ_MONTH, M(2020, 1), 5, &b, &nb),
        TALLY_EINVAL);
    cr_expect(b == NULL);
    tally_describe_fini(NULL);
    tally_describe_shares_fini(NULL);
}

Test(describe, all_missing_series_is_described_not_failed)
{
    const double y[3] = {NAN, NAN, NAN};
    tally_describe d;
    cr_assert_eq(
        tally_describe_series(y, 3, TALLY_FREQ_MONTH, M(2020, 1), NULL, &d),
        TALLY_OK);
    cr_expect_eq(d.observed, 0);
    cr_expect_eq(d.missing, 3);
    cr_expect(isnan(d.total));
    cr_expect(isnan(d.mean));
    cr_expect(isnan(d.sd));
    cr_expect_eq(d.last, 3);
    cr_expect(isnan(d.years[0].total));
    tally_describe_fini(&d);
}

/* ------------------------------------------------------------------ */
/* The rounding rule of printed percentages. */

Test(describe, rounding_rule)
{
    cr_expect_eq(tally_describe_round(12.25, 1), 12.3);
    cr_expect_eq(tally_describe_round(-12.25, 1), -12.3);
    cr_expect_eq(tally_describe_round(12.24, 1), 12.2);
    cr_expect_eq(tally_describe_round(0.05, 1), 0.1);
    cr_expect_eq(tally_describe_round(2.5, 0), 3.0);
    cr_expect_eq(tally_describe_round(-2.5, 0), -3.0);
    /* 100 * (1.1225 - 1) is 12.249999999999995 in binary: still a half. */
    cr_expect_eq(tally_describe_round(100.0 * (1.1225 - 1.0), 1), 12.3);
    /* 271 against 151: +79.47%. */
    cr_expect_eq(tally_describe_round(100.0 * 120.0 / 151.0, 1), 79.5);
    double z = tally_describe_round(-0.04, 1);
    cr_expect_eq(z, 0.0);
    cr_expect(!signbit(z));
    cr_expect(isnan(tally_describe_round(NAN, 1)));
}
