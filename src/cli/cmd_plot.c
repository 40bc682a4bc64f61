/* SPDX-License-Identifier: MIT
 *
 * tally plot: write a self-contained gnuplot script for a series file or a
 * saved JSON result (`tally COMMAND --format json > RESULT.json`), and
 * render it with gnuplot on request.  This file reads the inputs into the
 * plain arrays of tally_plot.h; the library writes the script.  The JSON
 * fields each kind reads are listed in docs/plots.md.
 */
#include "cli/cli.h"
#include "cli/cli_file.h"

#include "tally/tally_plot.h"
#include "tally/tally_status.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    K_VALUE = CLI_KEY_FIRST_FREE,
    K_BY,
    K_WHERE,
    K_RESULT,
    K_TERMINAL,
    K_RENDER,
    K_TITLE,
    K_BARS,
    K_BEFORE,
    K_AFTER,
    K_MAX_LAG
};

static const cli_opt opts[] = {
    {"value", K_VALUE, 1, "COL",
     "the variable to draw (default: the only one)"},
    {"by", K_BY, 1, "COL", "series, shares: one line, bar or share per group"},
    {"where", K_WHERE, 1, "COL=VALUE", "draw one group of a grouped file"},
    {"result", K_RESULT, 1, "FILE.json",
     "a saved JSON result (tally COMMAND --format json)"},
    {"terminal", K_TERMINAL, 1, "T", "png (default), svg, pdf or dumb (text)"},
    {"render", K_RENDER, 0, NULL,
     "run gnuplot on the script when it is installed"},
    {"title", K_TITLE, 1, "TEXT", "the picture's title"},
    {"bars", K_BARS, 0, NULL,
     "series: bars (stacked with --by) instead of lines"},
    {"before", K_BEFORE, 1, "P1:P2", "compare without --result: first window"},
    {"after", K_AFTER, 1, "P3:P4", "compare without --result: second window"},
    {"max-lag", K_MAX_LAG, 1, "N",
     "residuals: last ACF lag (default floor(10 log10 n))"},
    {0},
};

static const char description[] =
    "Write a self-contained gnuplot script (data inline, no paths, no\n"
    "timestamps) drawing KIND from a series file and/or a saved JSON result.\n"
    "KIND is one of:\n"
    "  series       the series over time (--by: one line per group; --bars)\n"
    "  annual       totals per year with their values; short years marked\n"
    "  shares       each group's share of the total (--by COL)\n"
    "  trend        observed, fitted trend and band (--result of trend)\n"
    "  its          observed, fit, dashed counterfactual, break (--result of "
    "its)\n"
    "  compare      the two windows and their means (--result or "
    "--before/--after)\n"
    "  changepoint  segment means over the data (--result of changepoint)\n"
    "  forecast     fan chart of 80/95% intervals (--result of forecast)\n"
    "  backtest     errors by horizon (--result of backtest, by_horizon[])\n"
    "  residuals    residuals over time and their ACF (a column or --result)\n"
    "  seasonal     one line per year across the months\n"
    "With -o FILE.gp the picture is FILE.png (.svg, .pdf) next to the script;\n"
    "without -o the script goes to standard output.  An existing FILE.gp is\n"
    "replaced when tally wrote it, otherwise only with --force.  --render\n"
    "runs gnuplot (never through a shell); when gnuplot is not installed the\n"
    "script is still written and a warning says so.";

static const char examples[] =
    "  tally plot series monthly.csv --value attacks -o attacks.gp --render\n"
    "  tally plot series provinces.csv --value killed --by region --bars -o "
    "k.gp\n"
    "  tally its monthly.csv --value attacks --break 2022-11 --format json > "
    "its.json\n"
    "  tally plot its monthly.csv --value attacks --result its.json -o its.gp\n"
    "  tally plot forecast --result fc.json --terminal dumb | gnuplot\n";

/* Everything one run holds; the pool frees the arrays at the end. */
typedef struct {
    tally_plot_kind kind;
    const char *kind_name;
    const char *input; /* series file or NULL */
    const char *value; /* --value */
    const char *by;    /* --by */
    char *where_col;   /* --where (owns the copy; where_val points in) */
    char *where_val;
    const char *result;       /* --result */
    const char *before_s;     /* --before */
    const char *after_s;      /* --after */
    long max_lag;             /* --max-lag, 0 default */
    int bars;                 /* --bars */
    tally_frame_set *set;     /* the series file */
    const tally_frame *frame; /* the selected group (NULL with --by) */
    long col;                 /* the value column in the frames */
    json_t *json;             /* the result */
    tally_freq freq;          /* frequency of every period read */
    void **pool;              /* allocations freed at exit */
    size_t npool, cappool;
} ctx;

/* ---- small helpers ------------------------------------------------------ */

static void *grab(ctx *c, size_t count, size_t size)
{
    if (c->npool == c->cappool) {
        size_t cap = c->cappool ? 2 * c->cappool : 32;
        void **p = realloc(c->pool, cap * sizeof *p);
        if (p == NULL) {
            return NULL;
        }
        c->pool = p;
        c->cappool = cap;
    }
    void *m = calloc(count ? count : 1, size);
    if (m != NULL) {
        c->pool[c->npool++] = m;
    }
    return m;
}

static double *nan_array(ctx *c, size_t n)
{
    double *v = grab(c, n, sizeof *v);
    for (size_t i = 0; v != NULL && i < n; i++) {
        v[i] = NAN;
    }
    return v;
}

static int oom(void)
{
    fputs("tally: out of memory\n", stderr);
    return CLI_EIO;
}

/* "tally: RESULT: message", exit 2 (bad input). */
static int bad_result(const ctx *c, const char *what)
{
    fprintf(stderr, "tally: %s: %s\n", c->result, what);
    return CLI_EUSAGE;
}

static void axis_add(tally_plot_axis *a, tally_period p)
{
    if (a->n == 0) {
        a->start = p;
        a->n = 1;
        return;
    }
    tally_period end = a->start + (tally_period)a->n - 1;
    if (p < a->start) {
        a->n += (size_t)(a->start - p);
        a->start = p;
    } else if (p > end) {
        a->n += (size_t)(p - end);
    }
}

/* ---- the series file ---------------------------------------------------- */

static int column_list_error(const ctx *c, const tally_frame *f,
                             const char *lead)
{
    fprintf(stderr, "tally: %s: %s (columns:", c->input, lead);
    for (size_t j = 0; j < f->ncol; j++) {
        fprintf(stderr, "%s %s", j ? "," : "", f->names[j]);
    }
    fputs(")\n", stderr);
    return CLI_EUSAGE;
}

/* The column a result was computed on: "value" (describe, compare,
 * changepoint, forecast) or "response" (trend, its, regress). */
static const char *result_value(const ctx *c)
{
    const char *v = json_string_value(json_object_get(c->json, "value"));
    if (v == NULL) {
        v = json_string_value(json_object_get(c->json, "response"));
    }
    return v;
}

/* The value column: --value, else the result's "value" or "response",
 * else the only variable. */
static int choose_column(ctx *c, const tally_frame *f)
{
    const char *name = c->value;
    if (name == NULL && c->json != NULL) {
        name = result_value(c);
    }
    if (name != NULL) {
        c->col = tally_frame_column(f, name);
        if (c->col < 0) {
            char lead[256];
            snprintf(lead, sizeof lead, "no column '%s'", name);
            return column_list_error(c, f, lead);
        }
        return CLI_OK;
    }
    if (f->ncol == 1) {
        c->col = 0;
        return CLI_OK;
    }
    return column_list_error(c, f,
                             "several variables: choose one with --value");
}

/* Read the series file: with --by every group, with --where one, else the
 * file must have one group (shares takes all groups of a detected group
 * column). */
static int load_series(ctx *c)
{
    tally_series_options so;
    tally_series_options_init(&so);
    so.group_col = c->by != NULL ? c->by : c->where_col;
    int st = tally_series_read(c->input, &so, &c->set);
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    if (c->where_val != NULL) {
        c->frame = tally_frame_set_find(c->set, c->where_val);
        if (c->frame == NULL) {
            fprintf(stderr, "tally: %s: no group '%s' in column '%s'\n",
                    c->input, c->where_val, c->where_col);
            return CLI_EUSAGE;
        }
    } else if (c->by == NULL && c->set->nframes == 1) {
        c->frame = c->set->frames[0];
    } else if (c->by == NULL && c->kind != TALLY_PLOT_SHARES) {
        fprintf(stderr,
                "tally: %s has %zu groups in column '%s': draw one with "
                "--where %s=VALUE%s\n",
                c->input, c->set->nframes, c->set->group_col, c->set->group_col,
                c->kind == TALLY_PLOT_SERIES ? " or all with --by" : "");
        return CLI_EUSAGE;
    }
    c->freq = c->set->frames[0]->freq;
    return choose_column(c, c->frame != NULL ? c->frame : c->set->frames[0]);
}

/* The selected frame's values copied onto axis a (NaN elsewhere). */
static double *frame_on_axis(ctx *c, const tally_frame *f,
                             const tally_plot_axis *a)
{
    double *v = nan_array(c, a->n);
    if (v == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < f->n; i++) {
        tally_period p = f->start + (tally_period)i;
        if (p >= a->start && p < a->start + (tally_period)a->n) {
            v[p - a->start] = f->cols[c->col][i];
        }
    }
    return v;
}

static tally_plot_axis frame_axis(const tally_frame *f)
{
    tally_plot_axis a = {f->freq, f->start, f->n};
    return a;
}

/* ---- the JSON result ---------------------------------------------------- */

static int load_result(ctx *c)
{
    FILE *fp = strcmp(c->result, "-") == 0 ? stdin : fopen(c->result, "r");
    if (fp == NULL) {
        fprintf(stderr, "tally: cannot open %s: %s\n", c->result,
                strerror(errno));
        return CLI_EIO;
    }
    json_error_t err;
    c->json = json_loadf(fp, JSON_REJECT_DUPLICATES, &err);
    if (fp != stdin) {
        fclose(fp);
    }
    if (c->json == NULL) {
        fprintf(stderr, "tally: %s:%d:%d: not a JSON result: %s\n", c->result,
                err.line, err.column, err.text);
        return CLI_EUSAGE;
    }
    if (!json_is_object(c->json)) {
        return bad_result(c, "expected a JSON object");
    }
    return CLI_OK;
}

/* A number field: 1 with *v set (null reads as NaN), 0 when absent or not
 * a number. */
static int num_field(const json_t *obj, const char *key, double *v)
{
    const json_t *j = json_object_get(obj, key);
    if (json_is_number(j)) {
        *v = json_number_value(j);
        return 1;
    }
    if (json_is_null(j)) {
        *v = NAN;
        return 1;
    }
    return 0;
}

/* Parse a period text in the run's frequency (the first one read sets
 * it). */
static int parse_period(ctx *c, const char *text, tally_period *p)
{
    tally_freq f = c->freq;
    if (text == NULL || tally_period_parse(text, &f, p) != TALLY_OK) {
        return 0;
    }
    c->freq = f;
    return 1;
}

/* A period field of an object (a string "YYYY-MM", "YYYY-Qn", "YYYY"). */
static int period_field(ctx *c, const json_t *obj, const char *key,
                        tally_period *p)
{
    return parse_period(c, json_string_value(json_object_get(obj, key)), p);
}

/* An array of objects named key: the array, or NULL (with a message) when
 * it is absent or malformed and required. */
static const json_t *item_array(const ctx *c, const char *key, int required,
                                int *rc)
{
    const json_t *a = json_object_get(c->json, key);
    *rc = CLI_OK;
    if (a == NULL && !required) {
        return NULL;
    }
    if (!json_is_array(a) || json_array_size(a) == 0) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "needs a non-empty array \"%s\" (see "
                 "docs/plots.md)",
                 key);
        *rc = bad_result(c, msg);
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        if (!json_is_object(json_array_get(a, i))) {
            char msg[160];
            snprintf(msg, sizeof msg, "\"%s\"[%zu] is not an object", key, i);
            *rc = bad_result(c, msg);
            return NULL;
        }
    }
    return a;
}

/* Extend the axis by the periods of an item array. */
static int axis_from_items(ctx *c, const json_t *a, const char *key,
                           tally_plot_axis *ax)
{
    for (size_t i = 0; a != NULL && i < json_array_size(a); i++) {
        tally_period p;
        if (!period_field(c, json_array_get(a, i), "period", &p)) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "\"%s\"[%zu].period is not a period of the data's "
                     "frequency",
                     key, i);
            return bad_result(c, msg);
        }
        axis_add(ax, p);
    }
    return CLI_OK;
}

/* The field `field` of each item placed on the axis by its period. */
static double *items_on_axis(ctx *c, const json_t *a, const char *field,
                             const char *alt, const tally_plot_axis *ax)
{
    double *v = nan_array(c, ax->n);
    for (size_t i = 0; v != NULL && a != NULL && i < json_array_size(a); i++) {
        const json_t *it = json_array_get(a, i);
        tally_period p;
        double x;
        if (period_field(c, it, "period", &p) &&
            (num_field(it, field, &x) ||
             (alt != NULL && num_field(it, alt, &x)))) {
            v[p - ax->start] = x;
        }
    }
    return v;
}

static double result_level(const ctx *c)
{
    double l;
    if (num_field(c->json, "level", &l) && l > 0 && l < 100) {
        return l;
    }
    if (num_field(c->json, "conf_level", &l) && l > 0 && l < 1) {
        return 100 * l;
    }
    return 95;
}

/* Break periods: "breaks" (strings or objects with "period"), else
 * "break" (a string or an array of strings), else the first period of
 * the counterfactual. */
static int result_breaks(ctx *c, tally_period **out, size_t *n)
{
    const json_t *b = json_object_get(c->json, "breaks");
    if (b == NULL) {
        b = json_object_get(c->json, "break");
    }
    *n = 0;
    if (json_is_string(b)) {
        *out = grab(c, 1, sizeof **out);
        if (*out == NULL) {
            return oom();
        }
        if (!parse_period(c, json_string_value(b), *out)) {
            return bad_result(c, "\"break\" is not a period");
        }
        *n = 1;
        return CLI_OK;
    }
    if (json_is_array(b)) {
        *out = grab(c, json_array_size(b), sizeof **out);
        if (*out == NULL) {
            return oom();
        }
        for (size_t i = 0; i < json_array_size(b); i++) {
            const json_t *e = json_array_get(b, i);
            const char *t =
                json_is_object(e)
                    ? json_string_value(json_object_get(e, "period"))
                    : json_string_value(e);
            if (!parse_period(c, t, &(*out)[*n])) {
                return bad_result(c, "a break is not a period");
            }
            (*n)++;
        }
        return CLI_OK;
    }
    const json_t *cf = json_object_get(c->json, "counterfactual");
    if (json_is_array(cf) && json_array_size(cf) > 0) {
        *out = grab(c, 1, sizeof **out);
        if (*out == NULL) {
            return oom();
        }
        if (period_field(c, json_array_get(cf, 0), "period", *out)) {
            *n = 1;
        }
    }
    return CLI_OK;
}

/* ---- rebuilding a fit from its coefficients -------------------------- */

/* The value of design term `term` at position t (1-based) and period p,
 * given the breaks; 0 on success, -1 for a term that cannot be rebuilt. */
static int term_value(const char *term, long t, tally_period p, tally_freq freq,
                      const tally_period *breaks, size_t nbreaks, double *x)
{
    long k = 1;
    char *end;
    const double two_pi = 6.283185307179586476925286766559;
    int m = (int)freq;
    if (strcmp(term, "intercept") == 0) {
        *x = 1;
        return 0;
    }
    if (strcmp(term, "time") == 0) {
        *x = (double)t;
        return 0;
    }
    /* level, slope, levelK, slopeK: the K-th break (level = level1). */
    if (strncmp(term, "level", 5) == 0 || strncmp(term, "slope", 5) == 0) {
        if (term[5] != '\0') {
            k = strtol(term + 5, &end, 10);
            if (*end != '\0' || k < 1) {
                return -1;
            }
        }
        if ((size_t)k > nbreaks) {
            return -1;
        }
        tally_period b = breaks[k - 1];
        if (term[0] == 'l') {
            *x = p >= b ? 1 : 0;
        } else {
            *x = p >= b ? (double)(p - b + 1) : 0;
        }
        return 0;
    }
    /* monthK / quarterK dummies; sinK / cosK Fourier terms with period m,
     * sinK = sin(2 pi K time / m) as forecast::fourier. */
    const char *pre[] = {"month", "quarter", "sin", "cos"};
    for (int i = 0; i < 4; i++) {
        size_t len = strlen(pre[i]);
        if (strncmp(term, pre[i], len) != 0 || term[len] == '\0') {
            continue;
        }
        k = strtol(term + len, &end, 10);
        if (*end != '\0' || k < 1 || m < 4) {
            return -1;
        }
        if (i < 2) {
            if ((i == 0) != (freq == TALLY_FREQ_MONTH)) {
                return -1;
            }
            *x = tally_period_sub(freq, p) == k ? 1 : 0;
        } else {
            double arg = two_pi * (double)k * (double)t / (double)m;
            *x = i == 2 ? sin(arg) : cos(arg);
        }
        return 0;
    }
    return -1;
}

/* The fitted values counterfactual[] carries ("fitted", on the periods
 * after the break) placed on the axis; returns how many. */
static size_t cf_fitted(ctx *c, const json_t *cf, const tally_plot_axis *ax,
                        double *fitted)
{
    size_t k = 0;
    for (size_t i = 0; cf != NULL && i < json_array_size(cf); i++) {
        const json_t *it = json_array_get(cf, i);
        tally_period p;
        double v;
        if (period_field(c, it, "period", &p) && num_field(it, "fitted", &v) &&
            p >= ax->start && p < ax->start + (tally_period)ax->n) {
            fitted[p - ax->start] = v;
            k++;
        }
    }
    return k;
}

/* When a trend or ITS result has no fitted[], rebuild the fitted means
 * from coefficients[], the family's link and the design conventions of
 * CLI.md over the result's span "from".."to" (time = 1 at "from"; the
 * series' span when absent).  The rebuild is refused when a term is
 * unknown, an offset was used, the result's n is not the count of values
 * in its span (less "n_excluded"), or the rebuilt values disagree with the
 * "fitted" values counterfactual[] carries; then those values alone are
 * drawn.  Says on stderr what was done. */
static void rebuild_fit(ctx *c, const tally_plot_axis *ax, const double *obs,
                        const tally_period *breaks, size_t nbreaks,
                        const json_t *cf, double *fitted)
{
    const json_t *coef = json_object_get(c->json, "coefficients");
    const char *family = json_string_value(json_object_get(c->json, "family"));
    const tally_frame *f = c->frame;
    tally_period from = f->start, to = f->start + (tally_period)f->n - 1;
    double n_res, n_excl = 0;
    const char *why = NULL;
    if (json_object_get(c->json, "from") != NULL &&
        !period_field(c, c->json, "from", &from)) {
        why = "its \"from\" is not a period";
    }
    if (json_object_get(c->json, "to") != NULL &&
        !period_field(c, c->json, "to", &to)) {
        why = "its \"to\" is not a period";
    }
    num_field(c->json, "n_excluded", &n_excl);
    size_t nobs = 0;
    for (size_t i = 0; i < ax->n; i++) {
        tally_period p = ax->start + (tally_period)i;
        nobs += p >= from && p <= to && isfinite(obs[i]) ? 1 : 0;
    }
    const json_t *off = json_object_get(c->json, "offset");
    const json_t *expo = json_object_get(c->json, "exposure");
    int has_offset =
        (off != NULL && !json_is_null(off) && !json_is_false(off)) ||
        (expo != NULL && !json_is_null(expo) && !json_is_false(expo));
    if (why == NULL && (!json_is_array(coef) || json_array_size(coef) == 0)) {
        why = "it has no coefficients[]";
    } else if (why == NULL && has_offset) {
        why = "the model has an offset";
    } else if (why == NULL && num_field(c->json, "n", &n_res) &&
               n_res != (double)nobs - (isfinite(n_excl) ? n_excl : 0)) {
        why = "its n differs from the series' count of values";
    }
    /* The linear predictor: eta = sum of estimate x term value; the mean
     * is eta (gaussian, identity link) or exp(eta) (log link). */
    int log_link = family != NULL && strcmp(family, "gaussian") != 0;
    for (size_t i = 0; why == NULL && i < ax->n; i++) {
        tally_period p = ax->start + (tally_period)i;
        if (p < from || p > to) {
            continue;
        }
        long t = (long)(p - from) + 1;
        double eta = 0;
        for (size_t j = 0; j < json_array_size(coef); j++) {
            const json_t *cj = json_array_get(coef, j);
            const char *term = json_string_value(json_object_get(cj, "term"));
            double b, x;
            if (term == NULL || !num_field(cj, "estimate", &b)) {
                why = "a coefficient has no term or estimate";
                break;
            }
            if (term_value(term, t, p, f->freq, breaks, nbreaks, &x) != 0) {
                why = "a term cannot be rebuilt";
                break;
            }
            eta += b * x;
        }
        fitted[i] = log_link ? exp(eta) : eta;
    }
    /* Cross-check against the fitted values the result does give. */
    double *given = why == NULL && cf != NULL ? nan_array(c, ax->n) : NULL;
    if (given != NULL && cf_fitted(c, cf, ax, given) > 0) {
        for (size_t i = 0; i < ax->n; i++) {
            if (isfinite(given[i]) && !(fabs(fitted[i] - given[i]) <=
                                        1e-6 * fmax(1, fabs(given[i])))) {
                why = "the rebuilt values differ from counterfactual[].fitted";
                break;
            }
        }
    }
    if (why == NULL) {
        cli_warn("%s has no fitted[]: the fitted values are rebuilt from "
                 "coefficients[]%s",
                 c->result, cf == NULL ? " (no confidence band)" : "");
        return;
    }
    for (size_t i = 0; i < ax->n; i++) {
        fitted[i] = NAN;
    }
    if (cf_fitted(c, cf, ax, fitted) > 0) {
        cli_warn("%s has no fitted[] and the fit cannot be rebuilt (%s): "
                 "the fitted line is drawn after the break only, from "
                 "counterfactual[].fitted",
                 c->result, why);
    } else {
        cli_warn("%s has no fitted[] and the fit cannot be rebuilt (%s): "
                 "no fitted line",
                 c->result, why);
    }
}

/* ---- one function per kind -------------------------------------------- */

static int need_input(const ctx *c)
{
    if (c->input == NULL) {
        fprintf(stderr,
                "tally: plot %s needs a series file\n"
                "Try 'tally plot --help' for more information.\n",
                c->kind_name);
        return CLI_EUSAGE;
    }
    return CLI_OK;
}

static int need_result(const ctx *c)
{
    if (c->result == NULL) {
        fprintf(stderr,
                "tally: plot %s needs --result FILE.json (tally %s "
                "... --format json)\n"
                "Try 'tally plot --help' for more information.\n",
                c->kind_name, c->kind_name);
        return CLI_EUSAGE;
    }
    return CLI_OK;
}

static const char *ylabel(const ctx *c)
{
    const tally_frame *f = c->frame != NULL
                               ? c->frame
                               : (c->set != NULL ? c->set->frames[0] : NULL);
    if (f != NULL) {
        return f->names[c->col];
    }
    if (c->value != NULL) {
        return c->value;
    }
    return c->json != NULL ? result_value(c) : NULL;
}

static int kind_series(ctx *c, tally_plot_figure *fig)
{
    tally_plot_series *d = &fig->series;
    d->bars = c->bars;
    d->ylabel = ylabel(c);
    if (c->frame != NULL) {
        d->t = frame_axis(c->frame);
        const double **y = grab(c, 1, sizeof *y);
        if (y == NULL) {
            return oom();
        }
        y[0] = c->frame->cols[c->col];
        d->ngroups = 1;
        d->y = y;
        return CLI_OK;
    }
    /* --by: every group on the union of their periods. */
    tally_plot_axis a = {c->freq, 0, 0};
    for (size_t g = 0; g < c->set->nframes; g++) {
        const tally_frame *f = c->set->frames[g];
        axis_add(&a, f->start);
        axis_add(&a, f->start + (tally_period)f->n - 1);
    }
    const double **y = grab(c, c->set->nframes, sizeof *y);
    const char **names = grab(c, c->set->nframes, sizeof *names);
    if (y == NULL || names == NULL) {
        return oom();
    }
    for (size_t g = 0; g < c->set->nframes; g++) {
        y[g] = frame_on_axis(c, c->set->frames[g], &a);
        names[g] = c->set->frames[g]->group;
        if (y[g] == NULL) {
            return oom();
        }
    }
    d->t = a;
    d->by = c->set->group_col;
    d->ngroups = c->set->nframes;
    d->y = y;
    d->names = names;
    return CLI_OK;
}

/* describe's JSON has one entry per variable (and group) in the array
 * `key` ("series" or "shares"): the one for --value (or the only one) and
 * for --where's group.  NULL with *rc set when none or several match. */
static const json_t *describe_entry(ctx *c, const char *key, int *rc)
{
    const json_t *a = json_object_get(c->json, key);
    const json_t *found = NULL;
    size_t count = 0;
    *rc = CLI_OK;
    for (size_t i = 0; json_is_array(a) && i < json_array_size(a); i++) {
        const json_t *e = json_array_get(a, i);
        const char *var = json_string_value(json_object_get(e, "variable"));
        const char *grp = json_string_value(json_object_get(e, "group"));
        if ((c->value != NULL && (var == NULL || strcmp(var, c->value) != 0)) ||
            (c->where_val != NULL &&
             (grp == NULL || strcmp(grp, c->where_val) != 0))) {
            continue;
        }
        found = found != NULL ? found : e;
        count++;
    }
    if (count == 1) {
        return found;
    }
    char msg[200];
    snprintf(msg, sizeof msg,
             count == 0 ? "no \"%s\" entry for this variable and group"
                        : "\"%s\" describes several variables or groups: "
                          "choose one with --value (and --where)",
             key);
    *rc = bad_result(c, msg);
    return NULL;
}

/* A year field: an integer or a "YYYY" string. */
static int year_field(const json_t *it, long *y)
{
    const json_t *yj = json_object_get(it, "year");
    if (json_is_integer(yj)) {
        *y = (long)json_integer_value(yj);
        return *y >= TALLY_YEAR_MIN && *y <= TALLY_YEAR_MAX;
    }
    return cli_parse_long(json_string_value(yj), TALLY_YEAR_MIN, TALLY_YEAR_MAX,
                          y);
}

/* Annual totals from a result: annual[] ({year, total, months or
 * quarters}), or describe's series[].years[] ({year, total, periods,
 * expected, missing}). */
static int annual_from_result(ctx *c, tally_plot_annual *d)
{
    int rc = CLI_OK;
    const json_t *a = json_object_get(c->json, "annual");
    if (!json_is_array(a)) {
        const json_t *e = describe_entry(c, "series", &rc);
        if (e == NULL) {
            return rc;
        }
        a = json_object_get(e, "years");
        if (d->ylabel == NULL) {
            d->ylabel = json_string_value(json_object_get(e, "variable"));
        }
    }
    if (!json_is_array(a) || json_array_size(a) == 0) {
        return bad_result(c, "needs annual[] or describe --annual's "
                             "series[].years[] (see docs/plots.md)");
    }
    long y0 = 0, y1 = 0, y;
    for (size_t i = 0; i < json_array_size(a); i++) {
        if (!year_field(json_array_get(a, i), &y)) {
            return bad_result(c, "an annual item has no year in 1..9999");
        }
        y0 = i == 0 || y < y0 ? y : y0;
        y1 = i == 0 || y > y1 ? y : y1;
    }
    size_t n = (size_t)(y1 - y0 + 1);
    double *tot = nan_array(c, n);
    size_t *per = grab(c, n, sizeof *per);
    if (tot == NULL || per == NULL) {
        return oom();
    }
    int have_per = 0;
    d->per_year = 12;
    for (size_t i = 0; i < n; i++) {
        per[i] = 12;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *it = json_array_get(a, i);
        double v, m, exp_per, miss = 0;
        year_field(it, &y);
        if (!num_field(it, "total", &v)) {
            return bad_result(c, "an annual item has no total");
        }
        tot[y - y0] = v;
        if (num_field(it, "months", &m) && m >= 0 && m <= 12) {
            per[y - y0] = (size_t)m;
            have_per = 1;
        } else if (num_field(it, "quarters", &m) && m >= 0 && m <= 4) {
            per[y - y0] = (size_t)m;
            d->per_year = 4;
            have_per = 1;
        } else if (num_field(it, "periods", &m) &&
                   num_field(it, "expected", &exp_per) &&
                   (exp_per == 1 || exp_per == 4 || exp_per == 12) && m >= 0 &&
                   m <= exp_per) {
            /* describe: periods of the year in the series, of which
             * `missing` are missing. */
            num_field(it, "missing", &miss);
            m -= isfinite(miss) && miss > 0 && miss <= m ? miss : 0;
            per[y - y0] = (size_t)m;
            d->per_year = (int)exp_per;
            have_per = 1;
        }
    }
    d->first_year = (int)y0;
    d->n = n;
    d->total = tot;
    d->periods = have_per ? per : NULL;
    return CLI_OK;
}

static int kind_annual(ctx *c, tally_plot_figure *fig)
{
    tally_plot_annual *d = &fig->annual;
    d->ylabel = ylabel(c);
    if (c->json != NULL) {
        return annual_from_result(c, d);
    }
    /* From the series: the sum of each calendar year's present values;
     * the count of present values tells a complete year from a short
     * one. */
    const tally_frame *f = c->frame;
    int y0 = tally_period_year(f->freq, f->start);
    int y1 = tally_period_year(f->freq, f->start + (tally_period)f->n - 1);
    size_t n = (size_t)(y1 - y0 + 1);
    double *tot = grab(c, n, sizeof *tot);
    size_t *per = grab(c, n, sizeof *per);
    if (tot == NULL || per == NULL) {
        return oom();
    }
    for (size_t i = 0; i < f->n; i++) {
        double v = f->cols[c->col][i];
        int y = tally_period_year(f->freq, f->start + (tally_period)i);
        if (isfinite(v)) {
            tot[y - y0] += v;
            per[y - y0]++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (per[i] == 0) {
            tot[i] = NAN;
        }
    }
    d->first_year = y0;
    d->n = n;
    d->total = tot;
    d->periods = per;
    d->per_year = (int)f->freq;
    return CLI_OK;
}

static int kind_shares(ctx *c, tally_plot_figure *fig)
{
    tally_plot_shares *d = &fig->shares;
    d->ylabel = ylabel(c);
    if (c->json != NULL) {
        int rc;
        const json_t *a = item_array(c, "shares", 1, &rc);
        if (a == NULL) {
            return rc;
        }
        /* describe's layout: shares[] per variable, each with groups[]. */
        if (json_object_get(json_array_get(a, 0), "groups") != NULL) {
            const json_t *e = describe_entry(c, "shares", &rc);
            if (e == NULL) {
                return rc;
            }
            a = json_object_get(e, "groups");
            if (d->ylabel == NULL) {
                d->ylabel = json_string_value(json_object_get(e, "variable"));
            }
            if (!json_is_array(a) || json_array_size(a) == 0) {
                return bad_result(c, "a \"shares\" entry has no groups[]");
            }
        }
        size_t n = json_array_size(a);
        const char **names = grab(c, n, sizeof *names);
        double *tot = grab(c, n, sizeof *tot);
        if (names == NULL || tot == NULL) {
            return oom();
        }
        for (size_t i = 0; i < n; i++) {
            const json_t *it = json_array_get(a, i);
            names[i] = json_string_value(json_object_get(it, "group"));
            if (!json_is_object(it) || names[i] == NULL ||
                !num_field(it, "total", &tot[i])) {
                return bad_result(c, "a \"shares\" item needs \"group\" and "
                                     "\"total\"");
            }
        }
        d->n = n;
        d->names = names;
        d->total = tot;
        d->by = json_string_value(json_object_get(c->json, "group_column"));
        return CLI_OK;
    }
    if (c->set->group_col == NULL || c->frame != NULL) {
        fprintf(stderr, "tally: plot shares needs groups: name the group "
                        "column with --by COL\n");
        return CLI_EUSAGE;
    }
    size_t n = c->set->nframes;
    const char **names = grab(c, n, sizeof *names);
    double *tot = grab(c, n, sizeof *tot);
    if (names == NULL || tot == NULL) {
        return oom();
    }
    for (size_t g = 0; g < n; g++) {
        const tally_frame *f = c->set->frames[g];
        size_t k = 0;
        names[g] = f->group;
        for (size_t i = 0; i < f->n; i++) {
            if (isfinite(f->cols[c->col][i])) {
                tot[g] += f->cols[c->col][i];
                k++;
            }
        }
        if (k == 0) {
            tot[g] = NAN;
        }
    }
    d->n = n;
    d->names = names;
    d->total = tot;
    d->by = c->set->group_col;
    return CLI_OK;
}

/* Observed values for trend/its: the series file, else the result's
 * observed[] ({period, value}).  Extends the axis. */
static int observed_axis(ctx *c, tally_plot_axis *ax, const json_t **obs)
{
    int rc = CLI_OK;
    *obs = NULL;
    if (c->frame != NULL) {
        axis_add(ax, c->frame->start);
        axis_add(ax, c->frame->start + (tally_period)c->frame->n - 1);
        return CLI_OK;
    }
    *obs = item_array(c, "observed", 0, &rc);
    if (rc != CLI_OK) {
        return rc;
    }
    if (*obs == NULL) {
        fprintf(stderr,
                "tally: plot %s needs the observed data: give the "
                "series file, or a result with observed[]\n",
                c->kind_name);
        return CLI_EUSAGE;
    }
    return axis_from_items(c, *obs, "observed", ax);
}

static double *observed_values(ctx *c, const json_t *obs,
                               const tally_plot_axis *ax)
{
    if (c->frame != NULL) {
        return frame_on_axis(c, c->frame, ax);
    }
    return items_on_axis(c, obs, "value", NULL, ax);
}

static int kind_trend(ctx *c, tally_plot_figure *fig)
{
    tally_plot_trend *d = &fig->trend;
    tally_plot_axis ax = {c->freq, 0, 0};
    const json_t *obs;
    int rc = observed_axis(c, &ax, &obs);
    const json_t *fit = rc == CLI_OK ? item_array(c, "fitted", 0, &rc) : NULL;
    if (rc == CLI_OK) {
        rc = axis_from_items(c, fit, "fitted", &ax);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    ax.freq = c->freq;
    d->t = ax;
    d->ylabel = ylabel(c);
    d->level = result_level(c);
    d->observed = observed_values(c, obs, &ax);
    if (fit != NULL) {
        d->fitted = items_on_axis(c, fit, "mean", "fitted", &ax);
        d->low = items_on_axis(c, fit, "conf_low", NULL, &ax);
        d->high = items_on_axis(c, fit, "conf_high", NULL, &ax);
    } else {
        double *f = nan_array(c, ax.n);
        if (f != NULL && d->observed != NULL && c->frame != NULL) {
            rebuild_fit(c, &ax, d->observed, NULL, 0, NULL, f);
        }
        d->fitted = f;
    }
    if (d->observed == NULL || d->fitted == NULL ||
        (fit != NULL && (d->low == NULL || d->high == NULL))) {
        return oom();
    }
    return CLI_OK;
}

static int kind_its(ctx *c, tally_plot_figure *fig)
{
    tally_plot_its *d = &fig->its;
    tally_plot_axis ax = {c->freq, 0, 0};
    const json_t *obs;
    int rc = observed_axis(c, &ax, &obs);
    const json_t *fit = rc == CLI_OK ? item_array(c, "fitted", 0, &rc) : NULL;
    const json_t *cf =
        rc == CLI_OK ? item_array(c, "counterfactual", 0, &rc) : NULL;
    if (rc == CLI_OK) {
        rc = axis_from_items(c, fit, "fitted", &ax);
    }
    if (rc == CLI_OK) {
        rc = axis_from_items(c, cf, "counterfactual", &ax);
    }
    tally_period *breaks = NULL;
    size_t nb = 0;
    if (rc == CLI_OK) {
        rc = result_breaks(c, &breaks, &nb);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    ax.freq = c->freq;
    d->t = ax;
    d->ylabel = ylabel(c);
    d->level = result_level(c);
    d->observed = observed_values(c, obs, &ax);
    d->breaks = breaks;
    d->nbreaks = nb;
    if (fit != NULL) {
        d->fitted = items_on_axis(c, fit, "mean", "fitted", &ax);
    } else if (c->frame != NULL && d->observed != NULL) {
        double *f = nan_array(c, ax.n);
        if (f == NULL) {
            return oom();
        }
        rebuild_fit(c, &ax, d->observed, breaks, nb, cf, f);
        d->fitted = f;
    } else {
        double *f = nan_array(c, ax.n);
        if (f == NULL) {
            return oom();
        }
        cf_fitted(c, cf, &ax, f);
        d->fitted = f;
    }
    if (cf != NULL) {
        d->cf_mean = items_on_axis(c, cf, "mean", NULL, &ax);
        d->cf_low = items_on_axis(c, cf, "conf_low", NULL, &ax);
        d->cf_high = items_on_axis(c, cf, "conf_high", NULL, &ax);
        if (d->cf_mean == NULL || d->cf_low == NULL || d->cf_high == NULL) {
            return oom();
        }
    }
    return d->observed == NULL ? oom() : CLI_OK;
}

/* "P1:P2" into two periods of the series' frequency. */
static int parse_window(ctx *c, const char *s, const char *opt,
                        tally_period *from, tally_period *to)
{
    const char *colon = s != NULL ? strchr(s, ':') : NULL;
    char a[32], b[32];
    if (colon == NULL || (size_t)(colon - s) >= sizeof a ||
        strlen(colon + 1) >= sizeof b) {
        fprintf(stderr, "tally: %s must be P1:P2, not '%s'\n", opt,
                s != NULL ? s : "");
        return CLI_EUSAGE;
    }
    memcpy(a, s, (size_t)(colon - s));
    a[colon - s] = '\0';
    snprintf(b, sizeof b, "%s", colon + 1);
    if (!parse_period(c, a, from) || !parse_period(c, b, to)) {
        fprintf(stderr, "tally: %s: '%s' is not a pair of %s periods\n", opt, s,
                tally_freq_name(c->freq));
        return CLI_EUSAGE;
    }
    return CLI_OK;
}

static int result_window(ctx *c, const char *key, tally_period *from,
                         tally_period *to, double *mean)
{
    const json_t *w = json_object_get(c->json, key);
    char msg[128];
    snprintf(msg, sizeof msg, "needs \"%s\": {\"from\", \"to\", \"mean\"}",
             key);
    if (!json_is_object(w) || !period_field(c, w, "from", from) ||
        !period_field(c, w, "to", to)) {
        return bad_result(c, msg);
    }
    if (!num_field(w, "mean", mean)) {
        *mean = NAN;
    }
    return CLI_OK;
}

static int kind_compare(ctx *c, tally_plot_figure *fig)
{
    tally_plot_compare *d = &fig->compare;
    int rc;
    d->t = frame_axis(c->frame);
    d->y = c->frame->cols[c->col];
    d->ylabel = ylabel(c);
    d->before_mean = NAN;
    d->after_mean = NAN;
    if (c->before_s != NULL || c->after_s != NULL) {
        rc = parse_window(c, c->before_s, "--before", &d->before_from,
                          &d->before_to);
        if (rc == CLI_OK) {
            rc = parse_window(c, c->after_s, "--after", &d->after_from,
                              &d->after_to);
        }
        return rc;
    }
    if (c->json == NULL) {
        fprintf(stderr, "tally: plot compare needs --result FILE.json or "
                        "--before P1:P2 --after P3:P4\n");
        return CLI_EUSAGE;
    }
    rc = result_window(c, "before", &d->before_from, &d->before_to,
                       &d->before_mean);
    if (rc == CLI_OK) {
        rc = result_window(c, "after", &d->after_from, &d->after_to,
                           &d->after_mean);
    }
    return rc;
}

static int kind_changepoint(ctx *c, tally_plot_figure *fig)
{
    tally_plot_changepoint *d = &fig->changepoint;
    int rc;
    d->t = frame_axis(c->frame);
    d->y = c->frame->cols[c->col];
    d->ylabel = ylabel(c);
    const json_t *seg = item_array(c, "segments", 1, &rc);
    if (seg == NULL) {
        return rc;
    }
    size_t n = json_array_size(seg);
    tally_plot_segment *s = grab(c, n, sizeof *s);
    if (s == NULL) {
        return oom();
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *it = json_array_get(seg, i);
        if (!period_field(c, it, "from", &s[i].from) ||
            !period_field(c, it, "to", &s[i].to) ||
            !num_field(it, "mean", &s[i].mean)) {
            return bad_result(c, "a \"segments\" item needs \"from\", \"to\" "
                                 "and \"mean\"");
        }
    }
    d->segments = s;
    d->nsegments = n;
    /* breaks[] when given (it names the first period of each new
     * segment); otherwise the segments' starts are used. */
    const json_t *b = json_object_get(c->json, "breaks");
    if (json_is_array(b)) {
        tally_period *bp;
        size_t nb;
        rc = result_breaks(c, &bp, &nb);
        if (rc != CLI_OK) {
            return rc;
        }
        d->breaks = bp;
        d->nbreaks = nb;
    }
    return CLI_OK;
}

static int kind_forecast(ctx *c, tally_plot_figure *fig)
{
    tally_plot_forecast *d = &fig->forecast;
    int rc;
    const json_t *fc = item_array(c, "forecast", 1, &rc);
    if (fc == NULL) {
        return rc;
    }
    /* History: the series file, or observed[] in the result, or none. */
    tally_plot_axis hist = {c->freq, 0, 0};
    const json_t *obs = NULL;
    if (c->frame != NULL) {
        hist = frame_axis(c->frame);
    } else {
        obs = item_array(c, "observed", 0, &rc);
        if (rc == CLI_OK) {
            rc = axis_from_items(c, obs, "observed", &hist);
        }
        if (rc != CLI_OK) {
            return rc;
        }
    }
    tally_plot_axis fa = {c->freq, 0, 0};
    rc = axis_from_items(c, fc, "forecast", &fa);
    if (rc != CLI_OK) {
        return rc;
    }
    hist.freq = c->freq;
    fa.freq = c->freq;
    /* The levels of the first forecast's intervals. */
    const json_t *iv0 = json_object_get(json_array_get(fc, 0), "intervals");
    size_t nl = json_is_array(iv0) ? json_array_size(iv0) : 0;
    if (nl > 8) {
        return bad_result(c, "more than 8 interval levels");
    }
    double *levels = grab(c, nl ? nl : 1, sizeof *levels);
    double *mean = items_on_axis(c, fc, "mean", NULL, &fa);
    double *lower = grab(c, nl * fa.n + 1, sizeof *lower);
    double *upper = grab(c, nl * fa.n + 1, sizeof *upper);
    if (levels == NULL || mean == NULL || lower == NULL || upper == NULL) {
        return oom();
    }
    for (size_t l = 0; l < nl; l++) {
        if (!num_field(json_array_get(iv0, l), "level", &levels[l])) {
            return bad_result(c, "an interval has no \"level\"");
        }
    }
    for (size_t k = 0; k < nl * fa.n; k++) {
        lower[k] = NAN;
        upper[k] = NAN;
    }
    for (size_t i = 0; i < json_array_size(fc); i++) {
        const json_t *it = json_array_get(fc, i);
        const json_t *iv = json_object_get(it, "intervals");
        tally_period p;
        period_field(c, it, "period", &p);
        size_t pos = (size_t)(p - fa.start);
        for (size_t j = 0; json_is_array(iv) && j < json_array_size(iv); j++) {
            const json_t *e = json_array_get(iv, j);
            double lev, lo, hi;
            if (!num_field(e, "level", &lev) || !num_field(e, "lower", &lo) ||
                !num_field(e, "upper", &hi)) {
                return bad_result(c, "an interval needs \"level\", \"lower\" "
                                     "and \"upper\"");
            }
            for (size_t l = 0; l < nl; l++) {
                if (levels[l] == lev) {
                    lower[l * fa.n + pos] = lo;
                    upper[l * fa.n + pos] = hi;
                }
            }
        }
    }
    d->t = hist;
    if (hist.n > 0) {
        d->y = c->frame != NULL ? c->frame->cols[c->col]
                                : items_on_axis(c, obs, "value", NULL, &hist);
        if (d->y == NULL) {
            return oom();
        }
    }
    d->first = fa.start;
    d->h = fa.n;
    d->mean = mean;
    d->nlevels = nl;
    d->levels = levels;
    d->lower = lower;
    d->upper = upper;
    d->model = json_string_value(json_object_get(c->json, "model"));
    d->ylabel = ylabel(c);
    return CLI_OK;
}

static int kind_backtest(ctx *c, tally_plot_figure *fig)
{
    /* The measures read from each by_horizon[] item, in this order. */
    static const char *const keys[] = {"me", "mae", "rmse", "mase"};
    static const char *const names[] = {"ME", "MAE", "RMSE", "MASE"};
    enum { NM = 4 };
    tally_plot_backtest *d = &fig->backtest;
    int rc;
    const json_t *bh = item_array(c, "by_horizon", 1, &rc);
    if (bh == NULL) {
        return rc;
    }
    size_t h = 0;
    for (size_t i = 0; i < json_array_size(bh); i++) {
        double x;
        /* tally backtest names the step "h"; "horizon" is accepted too. */
        if (!(num_field(json_array_get(bh, i), "horizon", &x)
              || num_field(json_array_get(bh, i), "h", &x))
            || !(x >= 1) || x > 100000 || x != floor(x)) {
            return bad_result(c, "a \"by_horizon\" item needs an integer "
                                 "\"horizon\" (or \"h\") >= 1");
        }
        h = (size_t)x > h ? (size_t)x : h;
    }
    const double **vals = grab(c, NM, sizeof *vals);
    const char **nm = grab(c, NM, sizeof *nm);
    if (vals == NULL || nm == NULL) {
        return oom();
    }
    size_t k = 0;
    for (size_t m = 0; m < NM; m++) {
        double *v = nan_array(c, h);
        int any = 0;
        if (v == NULL) {
            return oom();
        }
        for (size_t i = 0; i < json_array_size(bh); i++) {
            const json_t *it = json_array_get(bh, i);
            double x, hz = 1;
            if (!num_field(it, "horizon", &hz)) {
                num_field(it, "h", &hz);
            }
            if (num_field(it, keys[m], &x)) {
                v[(size_t)hz - 1] = x;
                any = 1;
            }
        }
        if (any) {
            vals[k] = v;
            nm[k] = names[m];
            k++;
        }
    }
    if (k == 0) {
        return bad_result(c, "\"by_horizon\" items hold none of me, mae, "
                             "rmse, mase");
    }
    d->h = h;
    d->nmeasures = k;
    d->names = nm;
    d->values = vals;
    return CLI_OK;
}

static int kind_residuals(ctx *c, tally_plot_figure *fig)
{
    tally_plot_residuals *d = &fig->residuals;
    int rc = CLI_OK;
    d->max_lag = (size_t)c->max_lag;
    d->ylabel = ylabel(c);
    const json_t *res =
        c->json != NULL ? item_array(c, "residuals", 0, &rc) : NULL;
    if (rc != CLI_OK) {
        return rc;
    }
    if (c->json == NULL) {
        /* A column of residuals in the series file. */
        d->t = frame_axis(c->frame);
        d->resid = c->frame->cols[c->col];
        d->ylabel = NULL;
        return CLI_OK;
    }
    tally_plot_axis ax = {c->freq, 0, 0};
    if (res != NULL) {
        rc = axis_from_items(c, res, "residuals", &ax);
        if (rc != CLI_OK) {
            return rc;
        }
        ax.freq = c->freq;
        d->t = ax;
        d->resid = items_on_axis(c, res, "residual", NULL, &ax);
        return d->resid == NULL ? oom() : CLI_OK;
    }
    /* Response residuals observed - fitted, with the fitted values from
     * fitted[] or rebuilt from coefficients[] (as for trend and its). */
    const json_t *fit = item_array(c, "fitted", 0, &rc);
    const json_t *cf =
        rc == CLI_OK ? item_array(c, "counterfactual", 0, &rc) : NULL;
    if (rc != CLI_OK) {
        return rc;
    }
    if (c->frame == NULL ||
        (fit == NULL && json_object_get(c->json, "coefficients") == NULL)) {
        return bad_result(c, "needs residuals[], or fitted[] or "
                             "coefficients[] with the series file");
    }
    axis_add(&ax, c->frame->start);
    axis_add(&ax, c->frame->start + (tally_period)c->frame->n - 1);
    rc = axis_from_items(c, fit, "fitted", &ax);
    if (rc != CLI_OK) {
        return rc;
    }
    ax.freq = c->freq;
    double *obs = frame_on_axis(c, c->frame, &ax);
    double *f = fit != NULL ? items_on_axis(c, fit, "mean", "fitted", &ax)
                            : nan_array(c, ax.n);
    if (obs == NULL || f == NULL) {
        return oom();
    }
    if (fit == NULL) {
        tally_period *breaks = NULL;
        size_t nb = 0;
        rc = result_breaks(c, &breaks, &nb);
        if (rc != CLI_OK) {
            return rc;
        }
        rebuild_fit(c, &ax, obs, breaks, nb, cf, f);
    }
    for (size_t i = 0; i < ax.n; i++) {
        obs[i] -= f[i];
    }
    d->t = ax;
    d->resid = obs;
    return CLI_OK;
}

static int kind_seasonal(ctx *c, tally_plot_figure *fig)
{
    tally_plot_seasonal *d = &fig->seasonal;
    d->t = frame_axis(c->frame);
    d->y = c->frame->cols[c->col];
    d->ylabel = ylabel(c);
    return CLI_OK;
}

/* ---- driver ------------------------------------------------------------ */

/* What a kind needs: a series file, a result, or either. */
typedef struct {
    int (*fill)(ctx *, tally_plot_figure *);
    int input;  /* 1 required, 0 optional */
    int result; /* 1 required, 0 optional */
} kind_info;

static const kind_info kinds[TALLY_PLOT_NKINDS] = {
    [TALLY_PLOT_SERIES] = {kind_series, 1, 0},
    [TALLY_PLOT_ANNUAL] = {kind_annual, 0, 0},
    [TALLY_PLOT_SHARES] = {kind_shares, 0, 0},
    [TALLY_PLOT_TREND] = {kind_trend, 0, 1},
    [TALLY_PLOT_ITS] = {kind_its, 0, 1},
    [TALLY_PLOT_COMPARE] = {kind_compare, 1, 0},
    [TALLY_PLOT_CHANGEPOINT] = {kind_changepoint, 1, 1},
    [TALLY_PLOT_FORECAST] = {kind_forecast, 0, 1},
    [TALLY_PLOT_BACKTEST] = {kind_backtest, 0, 1},
    [TALLY_PLOT_RESIDUALS] = {kind_residuals, 0, 0},
    [TALLY_PLOT_SEASONAL] = {kind_seasonal, 1, 0},
};

/* The picture's name: the script's base name with .gp replaced by the
 * terminal's extension (relative, so the script holds no path). */
static char *picture_name(const char *script, tally_plot_terminal t)
{
    static const char *const ext[] = {".png", ".svg", ".pdf", ""};
    const char *slash = strrchr(script, '/');
    const char *base = slash != NULL ? slash + 1 : script;
    size_t len = strlen(base);
    if (len > 3 && strcmp(base + len - 3, ".gp") == 0) {
        len -= 3;
    }
    size_t size = len + 8;
    char *name = malloc(size);
    if (name != NULL) {
        snprintf(name, size, "%.*s%s", (int)len, len > 0 ? base : "plot",
                 ext[t]);
    }
    return name;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a != NULL && b != NULL && strcmp(b, "-") != 0 && stat(a, &sa) == 0 &&
           stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int parse_terminal(const char *s, tally_plot_terminal *t)
{
    static const char *const names[] = {"png", "svg", "pdf", "dumb"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            *t = (tally_plot_terminal)i;
            return 1;
        }
    }
    return 0;
}

/* A figure that cannot be drawn from the data ("every value is
 * missing") names the file the data came from; an output that cannot be
 * written is named by the message itself. */
static int fail_data(const ctx *c, int st)
{
    const char *src = c->input != NULL ? c->input : c->result;
    if (st == TALLY_EIO || src == NULL) {
        return cli_fail(st);
    }
    return cli_fail_file(src, st);
}

static int write_output(const cli_cmd *cmd, ctx *c, tally_plot_options *po,
                        const tally_plot_figure *fig, int render)
{
    if (cmd->output == NULL || strcmp(cmd->output, "-") == 0) {
        if (render) {
            return cli_usage_error(cmd, "--render needs -o FILE.gp");
        }
        int st = tally_plot_write(stdout, po, fig);
        if (st != TALLY_OK) {
            return fail_data(c, st);
        }
        return fflush(stdout) == 0 ? CLI_OK : CLI_EIO;
    }
    if (same_file(cmd->output, c->input) || same_file(cmd->output, c->result)) {
        fprintf(stderr, "tally: refusing to write over the input file %s\n",
                cmd->output);
        return CLI_EUSAGE;
    }
    char *pic = po->terminal == TALLY_PLOT_DUMB
                    ? NULL
                    : picture_name(cmd->output, po->terminal);
    if (po->terminal != TALLY_PLOT_DUMB && pic == NULL) {
        return oom();
    }
    po->picture = pic;
    po->force = cmd->force;
    int st = tally_plot_save(cmd->output, po, fig);
    free(pic);
    po->picture = NULL;
    if (st != TALLY_OK) {
        return fail_data(c, st);
    }
    if (!render) {
        return CLI_OK;
    }
    int missing = 0;
    st = tally_plot_render(cmd->output, &missing);
    if (st == TALLY_OK) {
        return CLI_OK;
    }
    if (missing) {
        cli_warn("gnuplot is not installed, so nothing was rendered; the "
                 "script is %s (run: gnuplot %s)",
                 cmd->output, cmd->output);
        return CLI_OK;
    }
    fprintf(stderr, "tally: %s\ntally: the script is kept: %s\n",
            tally_last_error(), cmd->output);
    return CLI_EIO;
}

static int run(cli_cmd *cmd, ctx *c, tally_plot_options *po, int render)
{
    const kind_info *k = &kinds[c->kind];
    int rc = k->input == 1 ? need_input(c) : CLI_OK;
    if (rc == CLI_OK && k->result == 1) {
        rc = need_result(c);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    if (c->by != NULL && c->kind != TALLY_PLOT_SERIES &&
        c->kind != TALLY_PLOT_SHARES) {
        return cli_usage_error(cmd, "--by applies to series and shares; use "
                                    "--where COL=VALUE for one group");
    }
    if (c->input != NULL && c->result != NULL && strcmp(c->input, "-") == 0 &&
        strcmp(c->result, "-") == 0) {
        return cli_usage_error(cmd, "the series file and the result cannot "
                                    "both be standard input");
    }
    if (c->by != NULL && c->where_col != NULL) {
        return cli_usage_error(cmd, "--by and --where exclude each other");
    }
    if (c->result != NULL) {
        rc = load_result(c);
        if (rc != CLI_OK) {
            return rc;
        }
    }
    if (c->input != NULL) {
        rc = load_series(c);
        if (rc != CLI_OK) {
            return rc;
        }
    }
    if (c->input == NULL && c->json == NULL) {
        return cli_usage_error(cmd,
                               "plot %s needs a series file or "
                               "--result FILE.json",
                               c->kind_name);
    }
    tally_plot_figure fig;
    memset(&fig, 0, sizeof fig);
    fig.kind = c->kind;
    rc = k->fill(c, &fig);
    if (rc != CLI_OK) {
        return rc;
    }
    return write_output(cmd, c, po, &fig, render);
}

int cmd_plot(int argc, char **argv)
{
    cli_cmd cmd;
    ctx c;
    tally_plot_options po;
    int render = 0;
    char *arg;
    int key;
    memset(&c, 0, sizeof c);
    tally_plot_options_init(&po);
    cli_init(&cmd, "plot", "KIND [SERIES.csv] [options] [-o FILE.gp]",
             description, examples, opts, CLI_COMMON_OUTPUT);
    int rc = CLI_OK;
    while ((key = cli_next(&cmd, argc, argv, &arg)) != CLI_END) {
        switch (key) {
        case CLI_DONE_OK:
            return CLI_OK;
        case CLI_DONE_USAGE:
            free(c.where_col);
            return CLI_EUSAGE;
        case K_VALUE:
            c.value = arg;
            break;
        case K_BY:
            c.by = arg;
            break;
        case K_WHERE:
            free(c.where_col);
            c.where_col = NULL;
            if (!cli_split_where(arg, &c.where_col, &c.where_val)) {
                return cli_usage_error(&cmd,
                                       "--where must be COL=VALUE, not "
                                       "'%s'",
                                       arg);
            }
            break;
        case K_RESULT:
            c.result = arg;
            break;
        case K_TERMINAL:
            if (!parse_terminal(arg, &po.terminal)) {
                free(c.where_col);
                return cli_usage_error(&cmd,
                                       "--terminal must be png, svg, "
                                       "pdf or dumb, not '%s'",
                                       arg);
            }
            break;
        case K_RENDER:
            render = 1;
            break;
        case K_TITLE:
            po.title = arg;
            break;
        case K_BARS:
            c.bars = 1;
            break;
        case K_BEFORE:
            c.before_s = arg;
            break;
        case K_AFTER:
            c.after_s = arg;
            break;
        case K_MAX_LAG:
            if (!cli_parse_long(arg, 1, 100000, &c.max_lag)) {
                free(c.where_col);
                return cli_usage_error(&cmd,
                                       "--max-lag must be a whole "
                                       "number from 1, not '%s'",
                                       arg);
            }
            break;
        default:
            free(c.where_col);
            return cli_usage_error(&cmd, "unexpected option");
        }
    }
    int nargs = argc - optind;
    if (nargs < 1 || nargs > 2) {
        free(c.where_col);
        return cli_usage_error(&cmd, nargs < 1 ? "which KIND of plot?"
                                               : "too many arguments");
    }
    c.kind_name = argv[optind];
    if (tally_plot_kind_parse(c.kind_name, &c.kind) != TALLY_OK) {
        free(c.where_col);
        return cli_usage_error(&cmd, "unknown plot KIND '%s'", c.kind_name);
    }
    c.input = nargs == 2 ? argv[optind + 1] : NULL;
    rc = run(&cmd, &c, &po, render);
    for (size_t i = 0; i < c.npool; i++) {
        free(c.pool[i]);
    }
    free(c.pool);
    free(c.where_col);
    tally_frame_set_free(c.set);
    json_decref(c.json);
    return rc;
}
