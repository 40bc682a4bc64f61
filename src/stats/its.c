/* SPDX-License-Identifier: MIT
 *
 * Interrupted time series: the segmented-regression design (level and
 * slope terms at each break, season terms, offset, exclusion windows, an
 * optional stacked control series), the fit through tally_fit_model, and
 * the entry point that runs the derived results and robustness refits.
 * Conventions: shared/reference/README.md, "Designs (trend, its)".
 */
#include "core/period_int.h"
#include "core/text_int.h"
#include "stats/its_int.h"
#include "tally/tally_status.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tally_its_options_init(tally_its_options *o)
{
    memset(o, 0, sizeof *o);
    tally_fit_options_init(&o->fit);
    o->season = TALLY_SEASON_NONE;
    o->change = TALLY_ITS_LEVEL | TALLY_ITS_SLOPE;
    o->neffects = 3;
    o->effect_at[0] = 1;
    o->effect_at[1] = 6;
    o->effect_at[2] = 12;
    o->cum_method = TALLY_ITS_CUM_DELTA;
    o->nboot = 1999;
    o->seed = 20170101UL;
}

void tly_its_note(tally_its_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tly_vappend(r->notes, sizeof r->notes, " ", fmt, ap);
    va_end(ap);
}

/* Term name of break j's level or slope ("level", "level2",
 * "treated:slope1", ...). */
static void term_name(char *buf, size_t size, const char *what, size_t j,
                      size_t nbreaks, int treated)
{
    if (nbreaks == 1) {
        snprintf(buf, size, "%s%s", treated ? "treated:" : "", what);
    } else {
        snprintf(buf, size, "%s%s%zu", treated ? "treated:" : "", what, j + 1);
    }
}

int tly_its_in_window(const tly_its_spec *s, size_t i)
{
    for (size_t w = 0; w < s->nwin; w++) {
        if (i >= s->win_from[w] && i <= s->win_to[w]) {
            return 1;
        }
    }
    return 0;
}

/* One series' block of the design: intercept, time, the break terms and
 * the season terms, built on N rows. */
static int series_design(const tly_its_data *dt, const tally_its_options *o,
                         const tly_its_spec *s, const double *y,
                         const double *off, tally_design **out)
{
    size_t N = dt->N;
    tally_design *d = tally_design_alloc(N);
    double *col = malloc(N * sizeof *col);
    int st = TALLY_OK;
    if (d == NULL || col == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory building the design");
        goto fail;
    }
    d->freq = dt->freq;
    d->start = dt->start;
    char *resp = malloc(strlen(dt->value) + 1);
    if (resp == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory building the design");
        goto fail;
    }
    memcpy(resp, dt->value, strlen(dt->value) + 1);
    free(d->response);
    d->response = resp;
    /* The response, with the excluded windows and the rows past the cut
     * (and past the data) missing: they keep their positions, so time and
     * the break terms of the other rows are unchanged. */
    for (size_t i = 0; i < N; i++) {
        d->y[i] = (i >= s->cut || tly_its_in_window(s, i)) ? NAN : y[i];
    }
    st = tally_design_add_intercept(d);
    if (st == TALLY_OK) {
        st = tally_design_add_time(d);
    }
    for (size_t j = 0; j < s->nbreaks && st == TALLY_OK; j++) {
        char name[TALLY_TERM_MAX];
        size_t b = s->brk[j];
        /* level_j = 1 from the break row on; slope_j = 0 before it, then
         * 1, 2, ... (1 at the break period itself). */
        if (o->change & TALLY_ITS_LEVEL) {
            for (size_t i = 0; i < N; i++) {
                col[i] = i >= b ? 1.0 : 0.0;
            }
            term_name(name, sizeof name, "level", j, s->nbreaks, 0);
            st = tally_design_add_column(d, name, col);
        }
        if ((o->change & TALLY_ITS_SLOPE) && st == TALLY_OK) {
            for (size_t i = 0; i < N; i++) {
                col[i] = i >= b ? (double)(i - b + 1) : 0.0;
            }
            term_name(name, sizeof name, "slope", j, s->nbreaks, 0);
            st = tally_design_add_column(d, name, col);
        }
    }
    if (st == TALLY_OK && o->season != TALLY_SEASON_NONE) {
        st = tally_design_add_season(d, o->season, o->fourier_k);
    }
    if (st == TALLY_OK && off != NULL) {
        st = tally_design_set_offset(d, o->offset_col, off, o->exposure);
    }
    if (st != TALLY_OK) {
        goto fail;
    }
    free(col);
    *out = d;
    return TALLY_OK;
fail:
    free(col);
    tally_design_free(d);
    return st;
}

int tly_its_design(const tly_its_data *dt, const tally_its_options *o,
                   const tly_its_spec *s, tally_design **out, long *brk_level,
                   long *brk_slope)
{
    tally_design *a = NULL, *c = NULL, *d = NULL;
    double *col = NULL;
    int st = series_design(dt, o, s, dt->y, dt->off, &a);
    if (st != TALLY_OK) {
        return st;
    }
    if (dt->cy == NULL) {
        for (size_t j = 0; j < s->nbreaks; j++) {
            char name[TALLY_TERM_MAX];
            term_name(name, sizeof name, "level", j, s->nbreaks, 0);
            brk_level[j] = tally_design_term(a, name);
            term_name(name, sizeof name, "slope", j, s->nbreaks, 0);
            brk_slope[j] = tally_design_term(a, name);
        }
        *out = a;
        return TALLY_OK;
    }
    /* Controlled ITS: stack the series (rows 0..N-1 the series under
     * study, N..2N-1 the control) with the shared terms of both blocks,
     * then the treated indicator and its interactions with time and the
     * break terms. */
    size_t N = dt->N;
    st = series_design(dt, o, s, dt->cy, dt->coff, &c);
    if (st == TALLY_OK) {
        d = tally_design_alloc(2 * N);
        col = malloc(2 * N * sizeof *col);
        if (d == NULL || col == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory building the "
                                           "controlled design");
        }
    }
    if (st == TALLY_OK) {
        d->freq = TALLY_FREQ_NONE; /* rows are not one period each */
        d->start = dt->start;
        free(d->response);
        d->response = a->response;
        a->response = NULL;
        for (size_t i = 0; i < N; i++) {
            d->y[i] = a->y[i];
            d->y[N + i] = c->y[i];
        }
        /* Shared terms: the same columns for both series. */
        for (size_t j = 0; j < a->p && st == TALLY_OK; j++) {
            memcpy(col, a->x + j * N, N * sizeof *col);
            memcpy(col + N, c->x + j * N, N * sizeof *col);
            st = tally_design_add_column(d, a->names[j], col);
        }
        /* treated, treated:time, treated:<break terms>. */
        long tt = tally_design_term(a, "time");
        for (size_t i = 0; i < N && st == TALLY_OK; i++) {
            col[i] = 1.0;
            col[N + i] = 0.0;
        }
        if (st == TALLY_OK) {
            st = tally_design_add_column(d, "treated", col);
        }
        for (size_t j = 0; j < a->p && st == TALLY_OK; j++) {
            int is_break = strncmp(a->names[j], "level", 5) == 0 ||
                           strncmp(a->names[j], "slope", 5) == 0;
            if ((long)j != tt && !is_break) {
                continue;
            }
            char name[TALLY_TERM_MAX];
            snprintf(name, sizeof name, "treated:%s", a->names[j]);
            memcpy(col, a->x + j * N, N * sizeof *col);
            memset(col + N, 0, N * sizeof *col);
            st = tally_design_add_column(d, name, col);
        }
        if (st == TALLY_OK && a->offset != NULL) {
            if (c->offset == NULL) {
                st = TALLY_ERROR(TALLY_EINVAL,
                                 "with --control and an offset "
                                 "or exposure, the control series needs its "
                                 "own (--control-offset COL)");
            } else {
                /* The offsets are already on the linear-predictor scale
                 * (logs taken), so they are stacked as they are. */
                memcpy(col, a->offset, N * sizeof *col);
                memcpy(col + N, c->offset, N * sizeof *col);
                st = tally_design_set_offset(d, a->offset_name, col, 0);
            }
        }
    }
    if (st == TALLY_OK) {
        for (size_t j = 0; j < s->nbreaks; j++) {
            char name[TALLY_TERM_MAX];
            term_name(name, sizeof name, "level", j, s->nbreaks, 1);
            brk_level[j] = tally_design_term(d, name);
            term_name(name, sizeof name, "slope", j, s->nbreaks, 1);
            brk_slope[j] = tally_design_term(d, name);
        }
        *out = d;
        d = NULL;
    }
    free(col);
    tally_design_free(a);
    tally_design_free(c);
    tally_design_free(d);
    return st;
}

/* Switch a t-based fit to Wald z tests and intervals (--ci z). */
static void to_z(tally_fit *f)
{
    if (!f->t_based) {
        return;
    }
    f->t_based = 0;
    double q = tally_fit_crit(f);
    for (size_t j = 0; j < f->p; j++) {
        f->p_value[j] = tally_fit_pvalue(f, f->statistic[j]);
        f->conf_low[j] = f->estimate[j] - q * f->std_error[j];
        f->conf_high[j] = f->estimate[j] + q * f->std_error[j];
    }
}

int tly_its_fit_spec(const tly_its_data *dt, const tally_its_options *o,
                     const tly_its_spec *s, tally_design **design,
                     tally_fit **fit, long *brk_level, long *brk_slope)
{
    tally_design *d = NULL;
    int st = tly_its_design(dt, o, s, &d, brk_level, brk_slope);
    if (st != TALLY_OK) {
        return st;
    }
    st = tally_fit_model(d, &o->fit, fit);
    if (st != TALLY_OK) {
        tally_design_free(d);
        return st;
    }
    if (o->ci_z) {
        to_z(*fit);
    }
    if (design != NULL) {
        *design = d;
    } else {
        tally_design_free(d);
    }
    return TALLY_OK;
}

/* A row is usable when its response (and offset) is known and it is
 * neither excluded nor past the cut. */
static int usable(const tly_its_data *dt, const tly_its_spec *s, size_t i)
{
    if (i >= s->cut || i >= dt->n || tly_its_in_window(s, i) ||
        isnan(dt->y[i])) {
        return 0;
    }
    return dt->off == NULL || !isnan(dt->off[i]);
}

int tly_its_check_regimes(const tly_its_data *dt, const tally_its_options *o,
                          const tly_its_spec *s)
{
    char b1[TALLY_PERIOD_BUFSIZE];
    size_t per_break = (size_t)((o->change & TALLY_ITS_LEVEL) != 0) +
                       (size_t)((o->change & TALLY_ITS_SLOPE) != 0);
    for (size_t j = 0; j <= s->nbreaks; j++) {
        size_t lo = j == 0 ? 0 : s->brk[j - 1];
        size_t hi = j == s->nbreaks ? dt->n : s->brk[j];
        size_t k = 0;
        for (size_t i = lo; i < hi; i++) {
            k += (size_t)usable(dt, s, i);
        }
        /* Before the first break: intercept and pre-break trend plus one
         * residual degree of freedom; each later regime: its own break
         * terms (1 or 2). */
        size_t need = j == 0 ? 3 : per_break;
        if (k < need) {
            if (j < s->nbreaks) {
                return TALLY_ERROR(
                    TALLY_ETOOFEW,
                    "%zu observation%s before the break %s "
                    "(since the %s): the model needs at least %zu there",
                    k, k == 1 ? "" : "s",
                    tally_period_format(dt->freq,
                                        dt->start + (tally_period)s->brk[j], b1,
                                        sizeof b1),
                    j == 0 ? "start of the series" : "previous break", need);
            }
            return TALLY_ERROR(
                TALLY_ETOOFEW,
                "%zu observation%s from the last break %s on: "
                "the model needs at least %zu there",
                k, k == 1 ? "" : "s",
                tally_period_format(dt->freq,
                                    dt->start + (tally_period)s->brk[j - 1], b1,
                                    sizeof b1),
                need);
        }
    }
    return TALLY_OK;
}

/* Copy a frame column into N values, NaN past the data. */
static int column(const tally_frame *f, const char *name, size_t N,
                  const char *what, double **out)
{
    long c = tally_frame_column(f, name);
    if (c < 0) {
        return TALLY_ERROR(TALLY_EINVAL, "no column '%s' (%s)", name, what);
    }
    double *v = malloc(N * sizeof *v);
    if (v == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < N; i++) {
        v[i] = i < f->n ? f->cols[c][i] : NAN;
    }
    *out = v;
    return TALLY_OK;
}

/* Offsets past the data (and only there) repeat the last known value, so
 * the counterfactual can be extended by --horizon. */
static void carry_forward(double *v, size_t n, size_t N)
{
    double last = NAN;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(v[i])) {
            last = v[i];
        }
    }
    for (size_t i = n; i < N; i++) {
        v[i] = last;
    }
}

static void data_free(tly_its_data *dt)
{
    free(dt->y);
    free(dt->off);
    free(dt->cy);
    free(dt->coff);
}

static int cmp_period(const void *a, const void *b)
{
    tally_period x = *(const tally_period *)a, y = *(const tally_period *)b;
    return (x > y) - (x < y);
}

/* Validate the options against the frame and fill the spec. */
static int make_spec(const tally_frame *f, tally_its_options *o,
                     tly_its_spec *s, size_t N)
{
    char b1[TALLY_PERIOD_BUFSIZE], b2[TALLY_PERIOD_BUFSIZE];
    char b3[TALLY_PERIOD_BUFSIZE], b4[TALLY_PERIOD_BUFSIZE];
    tally_period first = f->start, last = f->start + (tally_period)f->n - 1;
    if (o->nbreaks == 0 || o->nbreaks > TALLY_ITS_MAX_BREAKS) {
        return TALLY_ERROR(TALLY_EINVAL, "give between 1 and %d breaks",
                           TALLY_ITS_MAX_BREAKS);
    }
    if (o->change == 0 || (o->change & ~(TALLY_ITS_LEVEL | TALLY_ITS_SLOPE))) {
        return TALLY_ERROR(TALLY_EINVAL, "--change must be level, slope or "
                                         "level+slope");
    }
    /* Breaks in date order, so that level1 is the earliest. */
    qsort(o->breaks, o->nbreaks, sizeof o->breaks[0], cmp_period);
    memset(s, 0, sizeof *s);
    s->cut = N;
    s->nbreaks = o->nbreaks;
    for (size_t j = 0; j < o->nbreaks; j++) {
        tally_period p = o->breaks[j];
        if (p < first || p > last) {
            return TALLY_ERROR(
                TALLY_ERANGE, "the break %s is outside the series (%s to %s)",
                tally_period_format(f->freq, p, b1, sizeof b1),
                tally_period_format(f->freq, first, b2, sizeof b2),
                tally_period_format(f->freq, last, b3, sizeof b3));
        }
        if (j > 0 && p == o->breaks[j - 1]) {
            return TALLY_ERROR(TALLY_ERANGE, "the break %s is given twice",
                               tally_period_format(f->freq, p, b1, sizeof b1));
        }
        s->brk[j] = (size_t)(p - first);
    }
    if (o->nexclude > TALLY_ITS_MAX_EXCLUDE) {
        return TALLY_ERROR(TALLY_EINVAL, "at most %d --exclude windows",
                           TALLY_ITS_MAX_EXCLUDE);
    }
    s->nwin = o->nexclude;
    for (size_t w = 0; w < o->nexclude; w++) {
        tally_period a = o->exclude_from[w], b = o->exclude_to[w];
        tally_period_format(f->freq, a, b1, sizeof b1);
        tally_period_format(f->freq, b, b2, sizeof b2);
        if (a > b) {
            return TALLY_ERROR(TALLY_ERANGE,
                               "the exclusion window %s:%s "
                               "ends before it starts",
                               b1, b2);
        }
        if (a < first || b > last) {
            return TALLY_ERROR(
                TALLY_ERANGE,
                "the exclusion window %s:%s is not inside the "
                "series (%s to %s)",
                b1, b2, tally_period_format(f->freq, first, b3, sizeof b3),
                tally_period_format(f->freq, last, b4, sizeof b4));
        }
        s->win_from[w] = (size_t)(a - first);
        s->win_to[w] = (size_t)(b - first);
    }
    return TALLY_OK;
}

int tally_its_fit(const tally_frame *f, const char *value,
                  const tally_its_options *opt, tally_its_result **out)
{
    tally_its_result *r = calloc(1, sizeof *r);
    tly_its_data dt;
    tly_its_spec s;
    tally_design *d = NULL;
    long lv[TALLY_ITS_MAX_BREAKS], sl[TALLY_ITS_MAX_BREAKS];
    int st = TALLY_OK;
    memset(&dt, 0, sizeof dt);
    if (r == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    r->options = *opt;
    tally_its_options *o = &r->options;
    if (f->freq == TALLY_FREQ_NONE || f->n == 0) {
        st = TALLY_ERROR(TALLY_EINVAL, "its needs a time series");
        goto fail;
    }
    /* The counterfactual's periods past the data must be periods tally
     * can write and read back (years up to 9999). */
    tally_period end = f->start + (tally_period)f->n - 1;
    int64_t room = tly_period_room_after(f->freq, end);
    if ((int64_t)o->horizon > room) {
        char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
        st = TALLY_ERROR(TALLY_EINVAL,
                         "--horizon %zu: the counterfactual would run past "
                         "%s, the last period tally handles (years %d to "
                         "%d): at most %lld %s after %s",
                         o->horizon,
                         tally_period_format(f->freq, tly_period_last(f->freq),
                                             b, sizeof b),
                         TALLY_YEAR_MIN, TALLY_YEAR_MAX, (long long)room,
                         room == 1 ? "period fits" : "periods fit",
                         tally_period_format(f->freq, end, a, sizeof a));
        goto fail;
    }
    dt.value = value;
    dt.freq = f->freq;
    dt.start = f->start;
    dt.n = f->n;
    dt.N = f->n + o->horizon;
    st = make_spec(f, o, &s, dt.N);
    if (st == TALLY_OK) {
        st = column(f, value, dt.N, "--value", &dt.y);
    }
    if (st == TALLY_OK && o->offset_col != NULL) {
        st = column(f, o->offset_col, dt.N,
                    o->exposure ? "--exposure" : "--offset", &dt.off);
        if (st == TALLY_OK) {
            carry_forward(dt.off, dt.n, dt.N);
        }
    }
    if (st == TALLY_OK && o->control_col != NULL) {
        st = column(f, o->control_col, dt.N, "--control", &dt.cy);
        if (st == TALLY_OK && o->control_offset_col != NULL) {
            st = column(f, o->control_offset_col, dt.N, "--control-offset",
                        &dt.coff);
            if (st == TALLY_OK) {
                carry_forward(dt.coff, dt.n, dt.N);
            }
        }
    }
    if (st != TALLY_OK) {
        goto fail;
    }
    /* An exclusion window must remove something: one that covers only
     * missing values is a usage error, as a compare window with no data. */
    for (size_t w = 0; w < s.nwin; w++) {
        size_t k = 0;
        for (size_t i = s.win_from[w]; i <= s.win_to[w]; i++) {
            k += !isnan(dt.y[i]);
        }
        if (k == 0) {
            char b1[TALLY_PERIOD_BUFSIZE], b2[TALLY_PERIOD_BUFSIZE];
            st = TALLY_ERROR(
                TALLY_ERANGE, "the exclusion window %s:%s holds no data",
                tally_period_format(f->freq, o->exclude_from[w], b1, sizeof b1),
                tally_period_format(f->freq, o->exclude_to[w], b2, sizeof b2));
            goto fail;
        }
        r->n_excluded += k;
    }
    st = tly_its_check_regimes(&dt, o, &s);
    if (st == TALLY_OK) {
        st = tly_its_fit_spec(&dt, o, &s, &d, &r->fit, lv, sl);
    }
    if (st != TALLY_OK) {
        goto fail;
    }
    /* The fit counts as missing every row it left out; the rows past the
     * data (horizon) and the excluded ones are reported separately. */
    r->fit->n_missing = 0;
    for (size_t i = 0; i < dt.n; i++) {
        if (tly_its_in_window(&s, i)) {
            continue;
        }
        r->fit->n_missing +=
            isnan(dt.y[i]) || (dt.off != NULL && isnan(dt.off[i]));
        if (dt.cy != NULL) {
            r->fit->n_missing +=
                isnan(dt.cy[i]) || (dt.coff != NULL && isnan(dt.coff[i]));
        }
    }
    r->freq = f->freq;
    r->start = f->start;
    r->n_series = f->n;
    r->controlled = dt.cy != NULL;
    r->log_link = r->fit->log_link;
    r->crit = tally_fit_crit(r->fit);
    r->crit_z = gsl_cdf_ugaussian_Pinv(0.5 + r->fit->options.level / 200.0);
    r->nbreaks = s.nbreaks;
    for (size_t j = 0; j < s.nbreaks; j++) {
        tally_its_break *b = &r->breaks[j];
        b->period = o->breaks[j];
        b->index = s.brk[j] + 1;
        b->level_term = lv[j];
        b->slope_term = sl[j];
        size_t lo = j == 0 ? 0 : s.brk[j - 1];
        for (size_t i = lo; i < s.brk[j]; i++) {
            b->n_before += (size_t)usable(&dt, &s, i);
        }
    }
    /* Residual autocorrelation: Ljung-Box on the residuals in time order
     * (and Breusch-Godfrey for gaussian), as computed by the fit. */
    const tally_fit_diag *dg = &r->fit->diag;
    r->autocorrelated =
        (dg->ljung_box_p < 0.05) || (dg->breusch_godfrey_p < 0.05);
    if (r->controlled) {
        tly_its_note(r, "Controlled ITS: the residual tests run over the "
                        "stacked series (study, then control).");
    }
    st = tly_its_effects(r, lv, sl);
    if (st == TALLY_OK) {
        st = tly_its_counterfactual(r, &dt, d, &s, lv, sl);
    }
    if (st == TALLY_OK && o->placebo) {
        st = tly_its_placebo(r, &dt, &s, lv, sl);
    }
    if (st == TALLY_OK && o->sensitivity > 0) {
        st = tly_its_sensitivity(r, &dt, &s);
    }
    if (st != TALLY_OK) {
        goto fail;
    }
    tally_design_free(d);
    data_free(&dt);
    *out = r;
    return TALLY_OK;
fail:
    tally_design_free(d);
    data_free(&dt);
    tally_its_result_free(r);
    return st;
}

void tally_its_result_free(tally_its_result *r)
{
    if (r == NULL) {
        return;
    }
    tally_fit_free(r->fit);
    free(r->cf);
    free(r->placebo.fits);
    free(r->sens);
    free(r);
}
