/* SPDX-License-Identifier: MIT
 *
 * Design matrices: term names and values of time, calendar dummies and
 * Fourier terms (forecast::fourier), offsets and exposure, weights, and
 * the errors of each builder.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tally/tally_design.h"
#include "tally/tally_frame.h"
#include "tally/tally_period.h"
#include "tally/tally_status.h"

static tally_frame *frame(tally_freq freq, int year, int sub, size_t n)
{
    tally_frame *f = tally_frame_alloc(freq, tally_period_make(freq, year, sub),
                                       n, 2);
    cr_assert_not_null(f);
    f->names[0] = strdup("y");
    f->names[1] = strdup("pop");
    for (size_t i = 0; i < n; i++) {
        f->cols[0][i] = (double)(i % 5);
        f->cols[1][i] = 100.0 + (double)i;
    }
    return f;
}

static double at(const tally_design *d, const char *term, size_t row)
{
    long j = tally_design_term(d, term);
    cr_assert(j >= 0, "no term %s", term);
    return d->x[(size_t)j * d->n + row];
}

Test(design, monthly_dummies_have_january_baseline)
{
    /* A series starting in July: row 0 is July (month7), row 6 January. */
    tally_frame *f = frame(TALLY_FREQ_MONTH, 2020, 7, 24);
    tally_design *d = NULL;
    cr_assert_eq(tally_design_from_frame(f, "y", &d), TALLY_OK);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_time(d), TALLY_OK);
    cr_assert_eq(tally_design_add_season(d, TALLY_SEASON_DUMMIES, 0),
                 TALLY_OK);
    cr_assert_eq(d->p, 13);
    cr_expect_str_eq(d->names[0], "intercept");
    cr_expect_str_eq(d->names[1], "time");
    cr_expect_str_eq(d->names[2], "month2");
    cr_expect_str_eq(d->names[12], "month12");
    cr_expect_eq(tally_design_term(d, "month1"), -1);
    cr_expect_eq(at(d, "time", 0), 1.0);
    cr_expect_eq(at(d, "time", 23), 24.0);
    cr_expect_eq(at(d, "month7", 0), 1.0);
    cr_expect_eq(at(d, "month8", 1), 1.0);
    for (size_t j = 2; j < 13; j++) {
        /* January (row 6) is the baseline: every dummy 0. */
        cr_expect_eq(d->x[j * d->n + 6], 0.0);
    }
    cr_expect_str_eq(d->response, "y");
    tally_design_free(d);
    tally_frame_free(f);
}

Test(design, quarterly_dummies_and_fourier)
{
    tally_frame *f = frame(TALLY_FREQ_QUARTER, 2020, 3, 8);
    tally_design *d = NULL;
    cr_assert_eq(tally_design_from_frame(f, "y", &d), TALLY_OK);
    cr_assert_eq(tally_design_add_season(d, TALLY_SEASON_DUMMIES, 0),
                 TALLY_OK);
    cr_expect_str_eq(d->names[0], "quarter2");
    cr_expect_str_eq(d->names[2], "quarter4");
    cr_expect_eq(at(d, "quarter3", 0), 1.0);
    cr_expect_eq(at(d, "quarter4", 1), 1.0);
    /* Fourier K = 2 on quarterly data: sin1, cos1, cos2 (sin2 is zero and
     * dropped), as colnames(fourier(ts(1:8, frequency = 4), K = 2)) =
     * "S1-4" "C1-4" "C2-4"; at time 3: -1, 0, -1. */
    cr_assert_eq(tally_design_add_season(d, TALLY_SEASON_FOURIER, 2),
                 TALLY_OK);
    cr_expect_eq(tally_design_term(d, "sin2"), -1);
    cr_expect_eq(at(d, "sin1", 2), -1.0);
    cr_expect_eq(at(d, "cos1", 2), 0.0);
    cr_expect_eq(at(d, "cos2", 2), -1.0);
    tally_design_free(d);
    tally_frame_free(f);
}

Test(design, monthly_fourier_matches_forecast)
{
    tally_frame *f = frame(TALLY_FREQ_MONTH, 2001, 1, 30);
    tally_design *d = NULL;
    cr_assert_eq(tally_design_from_frame(f, "y", &d), TALLY_OK);
    cr_assert_eq(tally_design_add_season(d, TALLY_SEASON_FOURIER, 6),
                 TALLY_OK);
    /* fourier(ts(1:30, frequency = 12), K = 6): 11 columns, S6-12 left
     * out; row 7 is (sprintf("%.17g")):
     * -0.49999999999999956 -0.86602540378443904 0.86602540378443815
     *  0.50000000000000089 -1 0 0.8660254037844396 -0.49999999999999828
     * -0.49999999999999839 0.86602540378443926 -1
     * R forms 2*k/m*t in floating point; tally reduces k*t mod m exactly,
     * so the two agree to a few ulps (1e-14). */
    static const char *names[11] = {"sin1", "cos1", "sin2", "cos2",
                                    "sin3", "cos3", "sin4", "cos4",
                                    "sin5", "cos5", "cos6"};
    static const double row7[11] = {
        -0.49999999999999956, -0.86602540378443904, 0.86602540378443815,
        0.50000000000000089,  -1,                   0,
        0.8660254037844396,   -0.49999999999999828, -0.49999999999999839,
        0.86602540378443926,  -1};
    cr_assert_eq(d->p, 11);
    for (size_t j = 0; j < 11; j++) {
        cr_expect_str_eq(d->names[j], names[j]);
        cr_expect(fabs(at(d, names[j], 6) - row7[j]) < 1e-14, "%s: %.17g",
                  names[j], at(d, names[j], 6));
    }
    tally_design_free(d);
    tally_frame_free(f);
}

Test(design, season_errors)
{
    tally_frame *f = frame(TALLY_FREQ_YEAR, 2001, 1, 10);
    tally_design *d = NULL;
    cr_assert_eq(tally_design_from_frame(f, "y", &d), TALLY_OK);
    cr_expect_eq(tally_design_add_season(d, TALLY_SEASON_DUMMIES, 0),
                 TALLY_EINVAL);
    tally_design_free(d);
    tally_frame_free(f);
    f = frame(TALLY_FREQ_MONTH, 2001, 1, 10);
    cr_assert_eq(tally_design_from_frame(f, "y", &d), TALLY_OK);
    cr_expect_eq(tally_design_add_season(d, TALLY_SEASON_FOURIER, 7),
                 TALLY_EINVAL);
    cr_expect_eq(tally_design_add_season(d, TALLY_SEASON_FOURIER, 0),
                 TALLY_EINVAL);
    cr_expect_eq(tally_design_from_frame(f, "nope", &d), TALLY_EINVAL);
    tally_design_free(d);
    tally_frame_free(f);
}

Test(design, columns_offsets_weights)
{
    tally_frame *f = frame(TALLY_FREQ_MONTH, 2001, 1, 6);
    tally_design *d = NULL;
    cr_assert_eq(tally_design_from_frame(f, "y", &d), TALLY_OK);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_expect(d->intercept);
    /* The extension point for `its`: named columns appended in order. */
    double level[6] = {0, 0, 0, 1, 1, 1};
    cr_assert_eq(tally_design_add_column(d, "level1", level), TALLY_OK);
    cr_expect_eq(tally_design_add_column(d, "level1", level), TALLY_EINVAL);
    cr_expect_eq(tally_design_add_column(d, "", level), TALLY_EINVAL);
    cr_expect_eq(tally_design_add_frame_column(d, f, "missing"),
                 TALLY_EINVAL);
    cr_assert_eq(tally_design_add_frame_column(d, f, "pop"), TALLY_OK);
    cr_expect_eq(at(d, "level1", 3), 1.0);
    cr_expect_eq(at(d, "pop", 2), 102.0);
    /* --exposure takes the log; --offset keeps the values. */
    cr_assert_eq(tally_design_set_offset(d, "pop", f->cols[1], 1), TALLY_OK);
    cr_expect_str_eq(d->offset_name, "log(pop)");
    cr_expect(fabs(d->offset[0] - log(100.0)) < 1e-15);
    cr_assert_eq(tally_design_set_offset(d, "pop", f->cols[1], 0), TALLY_OK);
    cr_expect_str_eq(d->offset_name, "pop");
    cr_expect_eq(d->offset[1], 101.0);
    double bad[6] = {1, 2, 0, 4, NAN, 6};
    cr_expect_eq(tally_design_set_offset(d, "e", bad, 1), TALLY_EDOMAIN);
    /* A time-series design names the row by its period (tally_design_where). */
    cr_expect(strstr(tally_last_error(), "2001-03: exposure 'e' is 0") != NULL,
              "%s", tally_last_error());
    double negw[6] = {1, 1, -1, 1, 1, 1};
    cr_expect_eq(tally_design_set_weights(d, "w", negw), TALLY_EDOMAIN);
    cr_expect_eq(tally_design_set_weights(d, "w", bad), TALLY_OK);
    cr_expect_str_eq(d->weights_name, "w");
    tally_design_free(d);
    tally_frame_free(f);
    tally_design_free(NULL);
}

Test(design, table_columns)
{
    static const char csv[] = "a,b\n1,x\nNA,2\n";
    tally_table *t = NULL;
    cr_assert_eq(tally_table_read_mem("t.csv", csv, sizeof csv - 1, 0, &t),
                 TALLY_OK);
    double *v = NULL;
    cr_assert_eq(tally_design_table_column(t, "a", &v), TALLY_OK);
    cr_expect_eq(v[0], 1.0);
    cr_expect(isnan(v[1]));
    free(v);
    cr_expect_eq(tally_design_table_column(t, "b", &v), TALLY_EPARSE);
    cr_expect(strstr(tally_last_error(), "t.csv") != NULL, "%s",
              tally_last_error());
    cr_expect_eq(tally_design_table_column(t, "c", &v), TALLY_EINVAL);
    tally_table_free(t);
}
