/* SPDX-License-Identifier: MIT
 *
 * tally changepoint: when did a series change?  Reads a series file,
 * selects a variable (and a group with --where, or every group with --by),
 * dates the breaks (Bai-Perron least squares as strucchange::breakpoints,
 * PELT or binary segmentation), tests for a change (sup-F, ave-F, exp-F,
 * OLS-CUSUM, Chow at a given period) and prints the result as an aligned
 * table, a long key-value CSV or JSON.  Breaks are named by the first
 * period of the new regime, as `its --break` is.
 */
#include "cli/by_pool.h"
#include "cli/cli.h"
#include "cli/cli_file.h"
#include "cli/group_opt.h"
#include "cli/plot_opt.h"

#include "tally/tally_changepoint.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
    KEY_VALUE = CLI_KEY_FIRST_FREE,
    KEY_METHOD,
    KEY_COST,
    KEY_PENALTY,
    KEY_MAX_BREAKS,
    KEY_MIN_SIZE,
    KEY_TRIM,
    KEY_CHOW,
    KEY_MODEL,
    KEY_IC,
    KEY_SIGMA,
    KEY_LEVEL
};

static const cli_opt opts[] = {
    {"value", KEY_VALUE, 1, "COL", "the variable to analyse (required)"},
    {"method", KEY_METHOD, 1, "M",
     "breakpoints (Bai-Perron least squares, default), pelt or binseg"},
    {"model", KEY_MODEL, 1, "MODEL",
     "breakpoints and tests: mean (default) or trend (a line on time in "
     "each segment)"},
    {"ic", KEY_IC, 1, "IC",
     "breakpoints: number of breaks by bic (default) or lwz"},
    {"cost", KEY_COST, 1, "COST",
     "pelt/binseg: normal (change in mean, default), meanvar (mean and "
     "variance) or poisson (rate)"},
    {"penalty", KEY_PENALTY, 1, "PEN",
     "pelt/binseg: bic (default), mbic or a number per break; breakpoints: "
     "bic or lwz (as --ic)"},
    {"sigma", KEY_SIGMA, 1, "S",
     "normal cost: known noise sd (default: MAD of differences / sqrt 2)"},
    {"max-breaks", KEY_MAX_BREAKS, 1, "N",
     "breakpoints/binseg: consider at most N breaks"},
    {"min-size", KEY_MIN_SIZE, 1, "H",
     "minimum segment length (default floor(trim n) for breakpoints, 1 for "
     "normal/poisson, 2 for meanvar)"},
    {"trim", KEY_TRIM, 1, "T",
     "fraction trimmed at each end for sup-F and the default h (0.15)"},
    {"level", KEY_LEVEL, 1, "PCT",
     "confidence level of break-date intervals in percent (95)"},
    {"chow", KEY_CHOW, 1, "P",
     "also test a break with the new regime starting at period P"},
    GROUP_OPTS("analyse the group COL = VAL"),
    PLOT_OPTS,
    {NULL, 0, 0, NULL, NULL}};

static const char description[] =
    "Date breaks in a series and test for a change.  --method breakpoints\n"
    "finds the least-squares partition into segments of at least h periods\n"
    "for every number of breaks and keeps the one with the lowest BIC (as R's\n"
    "strucchange::breakpoints with h = 0.15), with 95% intervals for the\n"
    "break dates (Bai 1997).  pelt (Killick et al. 2012, exact) and binseg\n"
    "(greedy) minimize a penalized likelihood cost.  Every method also\n"
    "reports sup-F, ave-F and exp-F (Hansen 1997 p-values), the OLS-CUSUM\n"
    "test and, with --chow P, the Chow F test at P.  A break is named by the\n"
    "first period of the new regime (R's breakpoints() names the last period\n"
    "of the old one).  A series too short for the minimum segment, or\n"
    "constant, is an error (exit 1), not a spurious break.  With --by COL\n"
    "every group is analysed in parallel and printed in group order\n"
    "(docs/by.md).";

static const char examples[] =
    "  tally changepoint nile.csv --value flow --chow 1899\n"
    "  tally changepoint data/pak-drone-strikes/monthly.csv --value strikes "
    "--method pelt --cost poisson\n"
    "  tally changepoint data/pak-suicide-attacks/monthly_by_province.csv "
    "--value incidents --by province --format json\n"
    "  tally changepoint data/pakistan-picss/monthly.csv --value attacks "
    "--plot cp.gp --render\n";

/* Everything the printers need about one analysed series. */
typedef struct {
    const tally_frame *frame; /* the group's frame (borrowed) */
    const char *value;        /* the variable's name */
    tally_cp_result *res;     /* NULL when the analysis failed */
    char *error;              /* the failure message, or NULL */
} analysis;

static const char *method_name(tally_cp_method m)
{
    return m == TALLY_CP_PELT ? "pelt"
           : m == TALLY_CP_BINSEG ? "binseg" : "breakpoints";
}

static const char *cost_name(tally_cp_cost c)
{
    return c == TALLY_CP_COST_MEANVAR ? "meanvar"
           : c == TALLY_CP_COST_POISSON ? "poisson" : "normal";
}

static const char *penalty_name(tally_cp_penalty p)
{
    return p == TALLY_CP_PEN_MBIC ? "mbic"
           : p == TALLY_CP_PEN_MANUAL ? "manual" : "bic";
}

/* The text of period number idx of a frame (idx may be < 0 or >= n: the
 * periods continue both ways). */
static const char *period_text(const tally_frame *f, long idx, char *buf,
                               size_t size)
{
    return tally_period_format(f->freq, f->start + idx, buf, size);
}

static json_t *jperiod(const tally_frame *f, long idx)
{
    return cli_json_period(f->freq, f->start + idx);
}

static json_t *jtest(const tally_frame *f, const tally_cp_test *t,
                     int with_period)
{
    json_t *o = json_object();
    json_object_set_new(o, "statistic", cli_json_num(t->statistic));
    json_object_set_new(o, "p_value", cli_json_num(t->p_value));
    if (with_period) {
        json_object_set_new(o, "period", jperiod(f, (long)t->index));
    }
    return o;
}

/* The JSON object of one analysis (without the command-level fields). */
static void json_fill(json_t *o, const analysis *an)
{
    const tally_frame *f = an->frame;
    const tally_cp_result *r = an->res;
    const tally_cp_options *op = &r->opt;
    int bp = op->method == TALLY_CP_BREAKPOINTS;
    json_object_set_new(o, "method", json_string(method_name(op->method)));
    json_object_set_new(o, "value", json_string(an->value));
    json_object_set_new(o, "model", json_string(r->k == 2 ? "trend" : "mean"));
    json_object_set_new(o, "n", json_integer((json_int_t)r->n));
    json_object_set_new(o, "n_missing", json_integer((json_int_t)r->n_missing));
    json_object_set_new(o, "from", jperiod(f, (long)r->offset));
    json_object_set_new(o, "to", jperiod(f, (long)(r->offset + r->n - 1)));
    json_object_set_new(o, "min_size", json_integer((json_int_t)r->h));
    json_object_set_new(o, "max_breaks",
                        json_integer((json_int_t)r->max_breaks));
    if (bp) {
        json_object_set_new(o, "ic", json_string(op->ic == TALLY_CP_IC_LWZ
                                                     ? "lwz" : "bic"));
        json_object_set_new(o, "conf_level", cli_json_num(op->level * 100.0));
    } else {
        json_object_set_new(o, "cost", json_string(cost_name(op->cost)));
        json_object_set_new(o, "penalty",
                            json_string(penalty_name(op->penalty)));
        json_object_set_new(o, "penalty_value",
                            cli_json_num(r->penalty_value));
    }
    json_t *breaks = json_array();
    for (size_t j = 0; j < r->nbreaks; j++) {
        const tally_cp_break *b = &r->breaks[j];
        json_t *e = json_object();
        json_object_set_new(e, "period", jperiod(f, (long)b->index));
        json_object_set_new(e, "index", json_integer((json_int_t)b->index + 1));
        if (bp) {
            json_object_set_new(e, "conf_low", b->has_conf
                                    ? jperiod(f, b->conf_low) : json_null());
            json_object_set_new(e, "conf_high", b->has_conf
                                    ? jperiod(f, b->conf_high) : json_null());
        }
        json_array_append_new(breaks, e);
    }
    json_object_set_new(o, "breaks", breaks);
    json_t *segs = json_array();
    for (size_t j = 0; j <= r->nbreaks; j++) {
        const tally_cp_segment *s = &r->segments[j];
        json_t *e = json_object();
        json_object_set_new(e, "from", jperiod(f, (long)s->from));
        json_object_set_new(e, "to", jperiod(f, (long)s->to));
        json_object_set_new(e, "n", json_integer((json_int_t)(s->to - s->from
                                                              + 1)));
        json_object_set_new(e, "mean", cli_json_num(s->mean));
        if (r->k == 2) {
            /* The line a + b time, time = 1..n over the series used. */
            double t0 = (double)(s->from - r->offset + 1);
            double t1 = (double)(s->to - r->offset + 1);
            json_t *fit = json_object();
            json_object_set_new(fit, "intercept", cli_json_num(s->intercept));
            json_object_set_new(fit, "slope", cli_json_num(s->slope));
            json_object_set_new(fit, "first",
                                cli_json_num(s->intercept + s->slope * t0));
            json_object_set_new(fit, "last",
                                cli_json_num(s->intercept + s->slope * t1));
            json_object_set_new(e, "fit", fit);
        }
        if (!bp && op->cost != TALLY_CP_COST_POISSON) {
            json_object_set_new(e, "sd", cli_json_num(s->sd));
        }
        json_array_append_new(segs, e);
    }
    json_object_set_new(o, "segments", segs);
    json_object_set_new(o, "rss", cli_json_num(r->rss));
    if (bp) {
        json_object_set_new(o, "bic", cli_json_num(r->bic));
        json_object_set_new(o, "lwz", cli_json_num(r->lwz));
        json_t *sel = json_array();
        for (size_t m = 0; m < r->nselection; m++) {
            json_t *e = json_object();
            json_object_set_new(e, "breaks",
                                json_integer((json_int_t)r->selection[m].m));
            json_object_set_new(e, "rss", cli_json_num(r->selection[m].rss));
            json_object_set_new(e, "bic", cli_json_num(r->selection[m].bic));
            json_object_set_new(e, "lwz", cli_json_num(r->selection[m].lwz));
            json_array_append_new(sel, e);
        }
        json_object_set_new(o, "selection", sel);
    } else {
        json_object_set_new(o, "loglik", cli_json_num(r->loglik));
        json_object_set_new(o, "criterion", cli_json_num(r->criterion));
        if (op->cost == TALLY_CP_COST_NORMAL) {
            json_object_set_new(o, "sigma", cli_json_num(r->sigma));
        }
        if (op->cost == TALLY_CP_COST_MEANVAR) {
            json_object_set_new(o, "var_floor", cli_json_num(r->var_floor));
        }
    }
    if (r->sup_f.done) {
        json_t *s = jtest(f, &r->sup_f, 1);
        json_object_set_new(s, "from", jperiod(f, (long)(r->offset
                                                         + r->f_from)));
        json_object_set_new(s, "to", jperiod(f, (long)(r->offset + r->f_to)));
        json_object_set_new(o, "sup_f", s);
        json_object_set_new(o, "ave_f", jtest(f, &r->ave_f, 0));
        json_object_set_new(o, "exp_f", jtest(f, &r->exp_f, 0));
    } else {
        json_object_set_new(o, "sup_f", json_null());
        json_object_set_new(o, "ave_f", json_null());
        json_object_set_new(o, "exp_f", json_null());
    }
    if (r->cusum.done) {
        json_t *c = jtest(f, &r->cusum, 1);
        json_object_set_new(c, "boundary", cli_json_num(r->cusum.boundary));
        json_object_set_new(o, "cusum", c);
    } else {
        json_object_set_new(o, "cusum", json_null());
    }
    if (r->chow.done) {
        json_t *c = json_object();
        json_object_set_new(c, "period", jperiod(f, (long)r->chow.index));
        json_object_set_new(c, "statistic", cli_json_num(r->chow.statistic));
        json_object_set_new(c, "df1", json_integer((json_int_t)r->chow.df1));
        json_object_set_new(c, "df2", json_integer((json_int_t)r->chow.df2));
        json_object_set_new(c, "p_value", cli_json_num(r->chow.p_value));
        json_object_set_new(o, "chow", c);
    }
}

static int print_json(FILE *fp, const analysis *an, size_t nan,
                      const char *by)
{
    json_t *root = json_object();
    json_object_set_new(root, "command", json_string("changepoint"));
    if (by == NULL) {
        json_fill(root, &an[0]);
        return cli_json_print(fp, root);
    }
    json_object_set_new(root, "by", json_string(by));
    json_t *groups = json_array();
    for (size_t i = 0; i < nan; i++) {
        json_t *g = json_object();
        json_object_set_new(g, "group", json_string(an[i].frame->group
                                                        ? an[i].frame->group
                                                        : ""));
        if (an[i].res != NULL) {
            /* The document the group prints alone (--where), after its
             * name. */
            json_object_set_new(g, "command", json_string("changepoint"));
            json_fill(g, &an[i]);
        } else {
            json_object_set_new(g, "error", json_string(an[i].error));
        }
        json_array_append_new(groups, g);
    }
    json_object_set_new(root, "groups", groups);
    return cli_json_print(fp, root);
}

/* ---- CSV: one row per value, section,item,key,value (a long table that
 * mirrors the JSON paths). */

/* Write one CSV field, quoted when it holds a comma, quote or newline. */
static void csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            fputc('"', fp);
        }
        fputc(*p, fp);
    }
    fputc('"', fp);
}

typedef struct {
    FILE *fp;
    const char *group; /* NULL: no group column */
} csv_sink;

static void csv_row(const csv_sink *c, const char *section, const char *item,
                    const char *key, const char *value)
{
    if (c->group != NULL) {
        csv_field(c->fp, c->group);
        fputc(',', c->fp);
    }
    fprintf(c->fp, "%s,%s,%s,", section, item, key);
    csv_field(c->fp, value);
    fputc('\n', c->fp);
}

static void csv_num(const csv_sink *c, const char *section, const char *item,
                    const char *key, double v)
{
    char b[40];
    if (isfinite(v)) {
        snprintf(b, sizeof b, "%.17g", v);
    } else {
        snprintf(b, sizeof b, "NA");
    }
    csv_row(c, section, item, key, b);
}

static void csv_int(const csv_sink *c, const char *section, const char *item,
                    const char *key, size_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%zu", v);
    csv_row(c, section, item, key, b);
}

static void csv_period(const csv_sink *c, const char *section,
                       const char *item, const char *key,
                       const tally_frame *f, long idx)
{
    char b[TALLY_PERIOD_BUFSIZE];
    csv_row(c, section, item, key, period_text(f, idx, b, sizeof b));
}

static void csv_test(const csv_sink *c, const char *name, const tally_frame *f,
                     const tally_cp_test *t, int with_period)
{
    csv_num(c, "test", name, "statistic", t->statistic);
    csv_num(c, "test", name, "p_value", t->p_value);
    if (with_period) {
        csv_period(c, "test", name, "period", f, (long)t->index);
    }
}

static void print_csv_one(const csv_sink *c, const analysis *an)
{
    const tally_frame *f = an->frame;
    const tally_cp_result *r = an->res;
    char item[32];
    if (r == NULL) {
        csv_row(c, "error", "", "message", an->error);
        return;
    }
    const tally_cp_options *op = &r->opt;
    int bp = op->method == TALLY_CP_BREAKPOINTS;
    csv_row(c, "series", "", "method", method_name(op->method));
    csv_row(c, "series", "", "value", an->value);
    csv_row(c, "series", "", "model", r->k == 2 ? "trend" : "mean");
    csv_int(c, "series", "", "n", r->n);
    csv_int(c, "series", "", "n_missing", r->n_missing);
    csv_period(c, "series", "", "from", f, (long)r->offset);
    csv_period(c, "series", "", "to", f, (long)(r->offset + r->n - 1));
    csv_int(c, "series", "", "min_size", r->h);
    if (!bp) {
        csv_row(c, "series", "", "cost", cost_name(op->cost));
        csv_row(c, "series", "", "penalty", penalty_name(op->penalty));
        csv_num(c, "series", "", "penalty_value", r->penalty_value);
    }
    for (size_t j = 0; j < r->nbreaks; j++) {
        const tally_cp_break *b = &r->breaks[j];
        snprintf(item, sizeof item, "%zu", j + 1);
        csv_period(c, "break", item, "period", f, (long)b->index);
        csv_int(c, "break", item, "index", b->index + 1);
        if (bp && b->has_conf) {
            csv_period(c, "break", item, "conf_low", f, b->conf_low);
            csv_period(c, "break", item, "conf_high", f, b->conf_high);
        } else if (bp) {
            csv_row(c, "break", item, "conf_low", "NA");
            csv_row(c, "break", item, "conf_high", "NA");
        }
    }
    for (size_t j = 0; j <= r->nbreaks; j++) {
        const tally_cp_segment *s = &r->segments[j];
        snprintf(item, sizeof item, "%zu", j + 1);
        csv_period(c, "segment", item, "from", f, (long)s->from);
        csv_period(c, "segment", item, "to", f, (long)s->to);
        csv_int(c, "segment", item, "n", s->to - s->from + 1);
        csv_num(c, "segment", item, "mean", s->mean);
        if (r->k == 2) {
            csv_num(c, "segment", item, "intercept", s->intercept);
            csv_num(c, "segment", item, "slope", s->slope);
        }
        if (!bp && op->cost != TALLY_CP_COST_POISSON) {
            csv_num(c, "segment", item, "sd", s->sd);
        }
    }
    csv_num(c, "fit", "", "rss", r->rss);
    if (bp) {
        csv_num(c, "fit", "", "bic", r->bic);
        csv_num(c, "fit", "", "lwz", r->lwz);
        for (size_t m = 0; m < r->nselection; m++) {
            snprintf(item, sizeof item, "%zu", r->selection[m].m);
            csv_num(c, "selection", item, "rss", r->selection[m].rss);
            csv_num(c, "selection", item, "bic", r->selection[m].bic);
            csv_num(c, "selection", item, "lwz", r->selection[m].lwz);
        }
    } else {
        csv_num(c, "fit", "", "loglik", r->loglik);
        csv_num(c, "fit", "", "criterion", r->criterion);
        if (op->cost == TALLY_CP_COST_NORMAL) {
            csv_num(c, "fit", "", "sigma", r->sigma);
        }
    }
    if (r->sup_f.done) {
        csv_test(c, "sup_f", f, &r->sup_f, 1);
        csv_test(c, "ave_f", f, &r->ave_f, 0);
        csv_test(c, "exp_f", f, &r->exp_f, 0);
    }
    if (r->cusum.done) {
        csv_test(c, "cusum", f, &r->cusum, 1);
        csv_num(c, "test", "cusum", "boundary", r->cusum.boundary);
    }
    if (r->chow.done) {
        csv_test(c, "chow", f, &r->chow, 1);
        csv_num(c, "test", "chow", "df1", r->chow.df1);
        csv_num(c, "test", "chow", "df2", r->chow.df2);
    }
}

static void print_csv(FILE *fp, const analysis *an, size_t nan,
                      const char *by)
{
    if (by != NULL) {
        csv_field(fp, by);
        fputc(',', fp);
    }
    fputs("section,item,key,value\n", fp);
    for (size_t i = 0; i < nan; i++) {
        csv_sink c = {fp, by != NULL ? (an[i].frame->group
                                            ? an[i].frame->group : "")
                                     : NULL};
        print_csv_one(&c, &an[i]);
    }
}

/* ---- Table: aligned blocks, like R's summary(). */

/* A small grid of cells printed with aligned columns (numbers right,
 * text left). */
typedef struct {
    size_t nrow, ncol, cap;
    char (*cell)[40];
    int right[12];
} grid;

static int grid_init(grid *g, size_t ncol, size_t rows)
{
    g->nrow = 0;
    g->ncol = ncol;
    g->cap = rows;
    g->cell = calloc(ncol * rows, sizeof *g->cell);
    memset(g->right, 0, sizeof g->right);
    return g->cell != NULL;
}

static void grid_row(grid *g, ...)
{
    va_list ap;
    if (g->nrow == g->cap) {
        return;
    }
    va_start(ap, g);
    for (size_t c = 0; c < g->ncol; c++) {
        const char *s = va_arg(ap, const char *);
        snprintf(g->cell[g->nrow * g->ncol + c], sizeof g->cell[0], "%s",
                 s ? s : "");
    }
    va_end(ap);
    g->nrow++;
}

static void grid_print(FILE *fp, grid *g)
{
    size_t w[12] = {0};
    for (size_t r = 0; r < g->nrow; r++) {
        for (size_t c = 0; c < g->ncol; c++) {
            size_t l = strlen(g->cell[r * g->ncol + c]);
            if (l > w[c]) {
                w[c] = l;
            }
        }
    }
    for (size_t r = 0; r < g->nrow; r++) {
        /* Build the line, then drop trailing blanks (empty last cells). */
        char line[12 * 42 + 4];
        size_t len = 0;
        len += (size_t)snprintf(line + len, sizeof line - len, " ");
        for (size_t c = 0; c < g->ncol && len < sizeof line; c++) {
            const char *s = g->cell[r * g->ncol + c];
            len += (size_t)snprintf(line + len, sizeof line - len,
                                    g->right[c] ? " %*s" : " %-*s",
                                    (int)w[c], s);
        }
        if (len >= sizeof line) {
            len = sizeof line - 1;
        }
        while (len > 0 && line[len - 1] == ' ') {
            len--;
        }
        line[len] = '\0';
        fprintf(fp, "%s\n", line);
    }
    free(g->cell);
    g->cell = NULL;
}

static void num(char *b, size_t n, double v, int digits)
{
    if (isnan(v)) {
        snprintf(b, n, "NA");
    } else if (isinf(v)) {
        snprintf(b, n, v > 0 ? "Inf" : "-Inf");
    } else {
        snprintf(b, n, "%.*g", digits, v);
    }
}

static void pval(char *b, size_t n, double p)
{
    if (isnan(p)) {
        snprintf(b, n, "NA");
    } else if (p < 2.2e-16) {
        snprintf(b, n, "< 2.2e-16"); /* as R's format.pval */
    } else {
        snprintf(b, n, "%.4g", p);
    }
}

static void print_table_one(FILE *fp, const analysis *an)
{
    const tally_frame *f = an->frame;
    const tally_cp_result *r = an->res;
    const tally_cp_options *op = &r->opt;
    int bp = op->method == TALLY_CP_BREAKPOINTS;
    char p1[TALLY_PERIOD_BUFSIZE], p2[TALLY_PERIOD_BUFSIZE];
    char a[40], b[40], c[40], d[40];
    grid g;
    fprintf(fp, "Change points in the %s of %s: %s to %s (n = %zu",
            r->k == 2 ? "trend" : (op->cost == TALLY_CP_COST_MEANVAR && !bp
                                       ? "mean and variance"
                                       : op->cost == TALLY_CP_COST_POISSON
                                                 && !bp
                                             ? "rate" : "mean"),
            an->value, period_text(f, (long)r->offset, p1, sizeof p1),
            period_text(f, (long)(r->offset + r->n - 1), p2, sizeof p2), r->n);
    if (r->n_missing > 0) {
        fprintf(fp, ", %zu missing at the ends left out", r->n_missing);
    }
    fputs(")\n", fp);
    if (bp) {
        fprintf(fp, "Method: Bai-Perron least squares (strucchange::"
                    "breakpoints), minimum segment %zu,\n  up to %zu "
                    "breaks, number of breaks by %s\n",
                r->h, r->max_breaks, op->ic == TALLY_CP_IC_LWZ ? "LWZ" : "BIC");
    } else {
        fprintf(fp, "Method: %s, %s cost",
                op->method == TALLY_CP_PELT ? "PELT (exact)"
                                            : "binary segmentation",
                cost_name(op->cost));
        if (op->cost == TALLY_CP_COST_NORMAL) {
            num(a, sizeof a, r->sigma, 6);
            fprintf(fp, " (sigma = %s, %s)", a,
                    isnan(op->sigma) ? "estimated from differences"
                                     : "given");
        }
        num(a, sizeof a, r->penalty_value, 6);
        fprintf(fp, ",\n  penalty %s = %s per break%s, minimum segment %zu\n",
                op->penalty == TALLY_CP_PEN_MANUAL ? "(given)"
                : op->penalty == TALLY_CP_PEN_MBIC ? "MBIC" : "BIC",
                a,
                op->penalty == TALLY_CP_PEN_MBIC
                    ? " + sum log(n_j / n)" : "",
                r->h);
    }
    fputc('\n', fp);
    if (r->nbreaks == 0) {
        fputs("No break.\n", fp);
    } else if (grid_init(&g, bp ? 4 : 2, r->nbreaks + 1)) {
        g.right[1] = 1;
        if (bp) {
            fprintf(fp, "Breaks (first period of the new regime), %g%% "
                        "interval:\n", op->level * 100.0);
            grid_row(&g, "period", "index", "conf_low", "conf_high");
        } else {
            fputs("Breaks (first period of the new regime):\n", fp);
            grid_row(&g, "period", "index");
        }
        for (size_t j = 0; j < r->nbreaks; j++) {
            const tally_cp_break *k = &r->breaks[j];
            snprintf(a, sizeof a, "%zu", k->index + 1);
            period_text(f, (long)k->index, p1, sizeof p1);
            if (bp && k->has_conf) {
                period_text(f, k->conf_low, b, sizeof b);
                period_text(f, k->conf_high, c, sizeof c);
            } else {
                snprintf(b, sizeof b, "NA");
                snprintf(c, sizeof c, "NA");
            }
            grid_row(&g, p1, a, b, c);
        }
        grid_print(fp, &g);
    }
    fputc('\n', fp);
    int sd = !bp && op->cost != TALLY_CP_COST_POISSON;
    size_t ncol = r->k == 2 ? 6 : (sd ? 5 : 4);
    if (grid_init(&g, ncol, r->nbreaks + 2)) {
        g.right[2] = g.right[3] = g.right[4] = g.right[5] = 1;
        fputs("Segments:\n", fp);
        if (r->k == 2) {
            grid_row(&g, "from", "to", "n", "mean", "intercept", "slope");
        } else {
            grid_row(&g, "from", "to", "n", "mean", "sd");
        }
        for (size_t j = 0; j <= r->nbreaks; j++) {
            const tally_cp_segment *s = &r->segments[j];
            period_text(f, (long)s->from, p1, sizeof p1);
            period_text(f, (long)s->to, p2, sizeof p2);
            snprintf(a, sizeof a, "%zu", s->to - s->from + 1);
            num(b, sizeof b, s->mean, 7);
            if (r->k == 2) {
                num(c, sizeof c, s->intercept, 7);
                num(d, sizeof d, s->slope, 7);
            } else {
                num(c, sizeof c, s->sd, 6);
                d[0] = '\0';
            }
            grid_row(&g, p1, p2, a, b, c, d);
        }
        grid_print(fp, &g);
    }
    fputc('\n', fp);
    if (bp && grid_init(&g, 5, r->nselection + 1)) {
        g.right[0] = g.right[2] = g.right[3] = g.right[4] = 1;
        fputs("Number of breaks:\n", fp);
        grid_row(&g, "breaks", "", "RSS", "BIC", "LWZ");
        for (size_t m = 0; m < r->nselection; m++) {
            snprintf(a, sizeof a, "%zu", r->selection[m].m);
            num(b, sizeof b, r->selection[m].rss, 8);
            num(c, sizeof c, r->selection[m].bic, 7);
            num(d, sizeof d, r->selection[m].lwz, 5);
            grid_row(&g, a, r->selection[m].m == r->nbreaks ? "*" : "", b, c,
                     d);
        }
        grid_print(fp, &g);
        fputc('\n', fp);
    } else if (!bp) {
        num(a, sizeof a, r->rss, 8);
        num(b, sizeof b, r->loglik, 8);
        num(c, sizeof c, r->criterion, 8);
        fprintf(fp, "RSS %s, log-likelihood %s, penalized criterion %s\n\n",
                a, b, c);
    }
    if (!grid_init(&g, 4, 6)) {
        return;
    }
    g.right[1] = 1;
    fputs("Tests of no change:\n", fp);
    grid_row(&g, "test", "statistic", "p-value", "where");
    if (r->sup_f.done) {
        char w[80];
        num(a, sizeof a, r->sup_f.statistic, 6);
        pval(b, sizeof b, r->sup_f.p_value);
        snprintf(w, sizeof w, "max at %s; tried %s..%s",
                 period_text(f, (long)r->sup_f.index, p1, sizeof p1),
                 period_text(f, (long)(r->offset + r->f_from), p2, sizeof p2),
                 period_text(f, (long)(r->offset + r->f_to), c, sizeof c));
        grid_row(&g, "sup-F", a, b, w);
        num(a, sizeof a, r->ave_f.statistic, 6);
        pval(b, sizeof b, r->ave_f.p_value);
        grid_row(&g, "ave-F", a, b, "");
        num(a, sizeof a, r->exp_f.statistic, 6);
        pval(b, sizeof b, r->exp_f.p_value);
        grid_row(&g, "exp-F", a, b, "");
    }
    if (r->cusum.done) {
        char w[80];
        num(a, sizeof a, r->cusum.statistic, 6);
        pval(b, sizeof b, r->cusum.p_value);
        num(d, sizeof d, r->cusum.boundary, 5);
        snprintf(w, sizeof w, "max at %s; 5%% boundary %s",
                 period_text(f, (long)r->cusum.index, p1, sizeof p1), d);
        grid_row(&g, "OLS-CUSUM", a, b, w);
    }
    if (r->chow.done) {
        char w[80];
        num(a, sizeof a, r->chow.statistic, 6);
        pval(b, sizeof b, r->chow.p_value);
        snprintf(w, sizeof w, "new regime from %s; F(%g, %g)",
                 period_text(f, (long)r->chow.index, p1, sizeof p1),
                 r->chow.df1, r->chow.df2);
        grid_row(&g, "Chow", a, b, w);
    }
    grid_print(fp, &g);
}

static void print_table(FILE *fp, const analysis *an, size_t nan,
                        const char *by)
{
    for (size_t i = 0; i < nan; i++) {
        if (by != NULL) {
            fprintf(fp, "%s== %s = %s ==\n", i > 0 ? "\n" : "", by,
                    an[i].frame->group ? an[i].frame->group : "");
        }
        if (an[i].res == NULL) {
            fprintf(fp, "Error: %s\n", an[i].error);
            continue;
        }
        print_table_one(fp, &an[i]);
    }
}

/* ---- Option parsing and the run. */

typedef struct {
    const char *value;
    const char *chow;
    int ic_given;     /* --ic given explicitly */
    int penalty_ic;   /* --penalty bic|lwz given (breakpoints) */
    int penalty_other;/* --penalty mbic or a number given */
    int cost_given;
    group_opt grp;    /* --where, --by, --threads */
    plot_opt plot;    /* --plot, --terminal, --render */
} run_opts;

static int parse_opts(cli_cmd *c, int argc, char **argv, tally_cp_options *o,
                      run_opts *ro)
{
    char *arg;
    int key;
    while ((key = cli_next(c, argc, argv, &arg)) != CLI_END) {
        long lv;
        double dv;
        int pr = plot_opt_parse(c, key, arg, &ro->plot);
        if (pr == 0) {
            pr = group_opt_parse(c, key, arg, &ro->grp);
        }
        if (pr < 0) {
            return CLI_EUSAGE;
        }
        if (pr > 0) {
            continue;
        }
        switch (key) {
        case CLI_DONE_OK:
            return -1;
        case CLI_DONE_USAGE:
            return CLI_EUSAGE;
        case KEY_VALUE:
            ro->value = arg;
            break;
        case KEY_METHOD:
            if (strcmp(arg, "breakpoints") == 0) {
                o->method = TALLY_CP_BREAKPOINTS;
            } else if (strcmp(arg, "pelt") == 0) {
                o->method = TALLY_CP_PELT;
            } else if (strcmp(arg, "binseg") == 0) {
                o->method = TALLY_CP_BINSEG;
            } else {
                return cli_usage_error(c, "--method must be breakpoints, pelt "
                                          "or binseg, not '%s'", arg);
            }
            break;
        case KEY_MODEL:
            if (strcmp(arg, "mean") == 0) {
                o->model = TALLY_CP_MEAN;
            } else if (strcmp(arg, "trend") == 0) {
                o->model = TALLY_CP_TREND;
            } else {
                return cli_usage_error(c, "--model must be mean or trend, not "
                                          "'%s'", arg);
            }
            break;
        case KEY_IC:
            if (strcmp(arg, "bic") == 0) {
                o->ic = TALLY_CP_IC_BIC;
            } else if (strcmp(arg, "lwz") == 0) {
                o->ic = TALLY_CP_IC_LWZ;
            } else {
                return cli_usage_error(c, "--ic must be bic or lwz, not '%s'",
                                       arg);
            }
            ro->ic_given = 1;
            break;
        case KEY_COST:
            if (strcmp(arg, "normal") == 0) {
                o->cost = TALLY_CP_COST_NORMAL;
            } else if (strcmp(arg, "meanvar") == 0) {
                o->cost = TALLY_CP_COST_MEANVAR;
            } else if (strcmp(arg, "poisson") == 0) {
                o->cost = TALLY_CP_COST_POISSON;
            } else {
                return cli_usage_error(c, "--cost must be normal, meanvar or "
                                          "poisson, not '%s'", arg);
            }
            ro->cost_given = 1;
            break;
        case KEY_PENALTY:
            if (strcmp(arg, "bic") == 0) {
                o->penalty = TALLY_CP_PEN_BIC;
                if (!ro->ic_given) {
                    o->ic = TALLY_CP_IC_BIC;
                }
                ro->penalty_ic = 1;
            } else if (strcmp(arg, "lwz") == 0) {
                o->ic = TALLY_CP_IC_LWZ;
                ro->penalty_ic = 1;
                ro->penalty_other = 2; /* valid for breakpoints only */
            } else if (strcmp(arg, "mbic") == 0) {
                o->penalty = TALLY_CP_PEN_MBIC;
                ro->penalty_other = 1;
            } else if (cli_parse_double(arg, &dv) && dv >= 0 && isfinite(dv)) {
                o->penalty = TALLY_CP_PEN_MANUAL;
                o->penalty_value = dv;
                ro->penalty_other = 1;
            } else {
                return cli_usage_error(c, "--penalty must be bic, mbic or a "
                                          "number >= 0, not '%s'", arg);
            }
            break;
        case KEY_SIGMA:
            if (!cli_parse_double(arg, &dv) || !(dv > 0) || !isfinite(dv)) {
                return cli_usage_error(c, "--sigma must be a positive number, "
                                          "not '%s'", arg);
            }
            o->sigma = dv;
            break;
        case KEY_MAX_BREAKS:
            if (!cli_parse_long(arg, 0, 1000000000L, &lv)) {
                return cli_usage_error(c, "--max-breaks must be an integer "
                                          ">= 0, not '%s'", arg);
            }
            o->max_breaks = lv;
            break;
        case KEY_MIN_SIZE:
            if (!cli_parse_long(arg, 1, 1000000000L, &lv)) {
                return cli_usage_error(c, "--min-size must be an integer "
                                          ">= 1, not '%s'", arg);
            }
            o->min_size = (size_t)lv;
            break;
        case KEY_TRIM:
            if (!cli_parse_double(arg, &dv) || !(dv > 0 && dv < 0.5)) {
                return cli_usage_error(c, "--trim must be a number in (0, "
                                          "0.5), not '%s'", arg);
            }
            o->trim = dv;
            break;
        case KEY_LEVEL:
            if (!cli_parse_double(arg, &dv) || !(dv > 0 && dv < 100)) {
                return cli_usage_error(c, "--level must be a percentage in "
                                          "(0, 100), not '%s'", arg);
            }
            o->level = dv / 100.0;
            break;
        case KEY_CHOW:
            ro->chow = arg;
            break;
        default:
            return cli_usage_error(c, "unexpected option");
        }
    }
    if (ro->value == NULL) {
        return cli_usage_error(c, "--value COL is required");
    }
    int grc = group_opt_check(c, &ro->grp, NULL);
    if (grc != CLI_OK) {
        return grc;
    }
    if (o->method == TALLY_CP_BREAKPOINTS) {
        if (ro->penalty_other == 1) {
            return cli_usage_error(c, "--method breakpoints chooses the number "
                                      "of breaks by --penalty bic or lwz "
                                      "(mbic and numbers are for pelt and "
                                      "binseg)");
        }
        if (ro->cost_given) {
            return cli_usage_error(c, "--cost applies to --method pelt and "
                                      "binseg");
        }
        if (!isnan(o->sigma)) {
            return cli_usage_error(c, "--sigma applies to --cost normal with "
                                      "pelt and binseg");
        }
    } else {
        if (ro->penalty_other == 2 || ro->ic_given) {
            return cli_usage_error(c, "LWZ (--ic) chooses the number of "
                                      "breaks of --method breakpoints");
        }
        if (o->model == TALLY_CP_TREND) {
            return cli_usage_error(c, "--model trend is available with "
                                      "--method breakpoints only");
        }
        if (o->method == TALLY_CP_PELT && o->max_breaks >= 0) {
            return cli_usage_error(c, "--max-breaks applies to breakpoints "
                                      "and binseg (PELT finds the optimal "
                                      "number for the penalty)");
        }
        if (!isnan(o->sigma) && o->cost != TALLY_CP_COST_NORMAL) {
            return cli_usage_error(c, "--sigma applies to --cost normal");
        }
    }
    return CLI_OK;
}

/* Analyse one frame; on failure keep the message in an->error and return
 * the status. */
static int analyse(analysis *an, const tally_frame *f, const char *path,
                   const run_opts *ro, const tally_cp_options *base)
{
    char p1[TALLY_PERIOD_BUFSIZE], msg[512];
    an->frame = f;
    an->value = ro->value;
    an->res = NULL;
    an->error = NULL;
    long col = tally_frame_column(f, ro->value);
    int st = TALLY_OK;
    tally_cp_options o = *base;
    if (col < 0) {
        snprintf(msg, sizeof msg, "%s: no column '%s'", path, ro->value);
        an->error = strdup(msg);
        return TALLY_EINVAL;
    }
    const double *y = f->cols[col];
    /* A gap inside the series: name its period. */
    size_t first = 0, last = f->n;
    while (first < f->n && isnan(y[first])) {
        first++;
    }
    while (last > first && isnan(y[last - 1])) {
        last--;
    }
    for (size_t i = first; i < last; i++) {
        if (isnan(y[i])) {
            snprintf(msg, sizeof msg,
                     "%s: '%s' is missing at %s, inside the series; "
                     "change-point methods need a series without gaps",
                     path, ro->value, period_text(f, (long)i, p1, sizeof p1));
            an->error = strdup(msg);
            return TALLY_EMISSING;
        }
    }
    if (ro->chow != NULL && first < last) {
        /* (With no observed value the fit says so.) */
        tally_freq fq = f->freq;
        tally_period p;
        if (tally_period_parse(ro->chow, &fq, &p) != TALLY_OK) {
            snprintf(msg, sizeof msg, "--chow: '%s' is not a period of this "
                     "series (%s)", ro->chow, tally_last_error());
            an->error = strdup(msg);
            return TALLY_EINVAL;
        }
        long idx = (long)(p - f->start);
        if (idx < (long)first || idx >= (long)last) {
            char p2[TALLY_PERIOD_BUFSIZE];
            snprintf(msg, sizeof msg, "--chow %s lies outside the data (%s "
                     "to %s)", ro->chow,
                     period_text(f, (long)first, p1, sizeof p1),
                     period_text(f, last > 0 ? (long)last - 1 : 0, p2,
                                 sizeof p2));
            an->error = strdup(msg);
            return TALLY_ERANGE;
        }
        o.chow = idx;
    }
    st = tally_cp_fit(y, f->n, &o, &an->res);
    if (st != TALLY_OK) {
        snprintf(msg, sizeof msg, "%s", tally_last_error());
        an->error = strdup(msg);
        an->res = NULL;
    }
    return st;
}

/* The changepoint picture of one analysed series: the whole frame, the
 * segment means and the breaks (first period of each new regime).  The
 * arrays are the caller's to free.  Returns an exit code. */
static int cp_figure(const analysis *an, tally_plot_figure *fig,
                     tally_plot_segment **segs, tally_period **bps)
{
    const tally_frame *f = an->frame;
    const tally_cp_result *r = an->res;
    size_t ns = r->nbreaks + 1;
    *segs = malloc(ns * sizeof **segs);
    *bps = malloc((r->nbreaks ? r->nbreaks : 1) * sizeof **bps);
    if (*segs == NULL || *bps == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    for (size_t j = 0; j < ns; j++) {
        const tally_cp_segment *s = &r->segments[j];
        (*segs)[j].from = f->start + (tally_period)s->from;
        (*segs)[j].to = f->start + (tally_period)s->to;
        (*segs)[j].mean = isfinite(s->mean) ? s->mean : NAN;
    }
    for (size_t j = 0; j < r->nbreaks; j++) {
        (*bps)[j] = f->start + (tally_period)r->breaks[j].index;
    }
    fig->changepoint.t = (tally_plot_axis){f->freq, f->start, f->n};
    fig->changepoint.y = f->cols[tally_frame_column(f, an->value)];
    fig->changepoint.nsegments = ns;
    fig->changepoint.segments = *segs;
    fig->changepoint.nbreaks = r->nbreaks;
    fig->changepoint.breaks = *bps;
    fig->changepoint.ylabel = an->value;
    return CLI_OK;
}

/* The series to analyse, for the pool: series i is frames[i], its
 * analysis an[i] and its status status[i]. */
typedef struct {
    analysis *an;
    int *status;
    tally_frame *const *frames;
    const char *path;
    const run_opts *ro;
    const tally_cp_options *o;
} cp_job;

static void cp_work(void *ctx, size_t i)
{
    const cp_job *j = ctx;
    j->status[i] = analyse(&j->an[i], j->frames[i], j->path, j->ro, j->o);
}

int cmd_changepoint(int argc, char **argv)
{
    cli_cmd c;
    cli_init(&c, "changepoint",
             "SERIES.csv --value COL [--method breakpoints|pelt|binseg] "
             "[--model mean|trend] [--ic bic|lwz] [--cost normal|meanvar|"
             "poisson] [--penalty bic|mbic|NUMBER] [--sigma S] [--max-breaks N] "
             "[--min-size H] [--trim T] [--level PCT] [--chow P] [--where "
             "COL=VAL | --by COL [--threads N]] [--format table|csv|json] "
             "[-o FILE]",
             description, examples, opts,
             CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    tally_cp_options o;
    tally_cp_options_init(&o);
    run_opts ro;
    memset(&ro, 0, sizeof ro);
    group_opt_init(&ro.grp);
    plot_opt_init(&ro.plot);
    int rc = parse_opts(&c, argc, argv, &o, &ro);
    if (rc == -1) {
        return CLI_OK;
    }
    if (rc != CLI_OK) {
        return rc;
    }
    if (optind != argc - 1) {
        return cli_usage_error(&c, "expected one series file, got %d",
                               argc - optind);
    }
    const char *path = argv[optind];
    rc = plot_opt_check(&c, &ro.plot, path);
    if (rc == CLI_OK) {
        rc = group_opt_check(&c, &ro.grp, &ro.plot);
    }
    if (rc == CLI_OK) {
        rc = group_opt_split(&c, &ro.grp);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    const char *by = ro.grp.by;
    tally_frame_set *set = NULL;
    tally_frame *frame = NULL;
    if (by != NULL) {
        rc = by_read_series(path, by, &set);
    } else {
        rc = cli_read_series(path, ro.grp.wcol, ro.grp.wval, &set, &frame);
    }
    group_opt_fini(&ro.grp);
    if (rc != CLI_OK) {
        return rc;
    }
    size_t nan = by != NULL ? set->nframes : 1;
    analysis *an = calloc(nan, sizeof *an);
    if (an == NULL) {
        tally_frame_set_free(set);
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    int *status = calloc(nan, sizeof *status);
    if (status == NULL) {
        free(an);
        tally_frame_set_free(set);
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    /* Every series analysed alone (with --by in parallel, by_pool.h),
     * then reported in group order. */
    cp_job job = {an, status, by != NULL ? set->frames : &frame, path, &ro, &o};
    by_pool_run(nan, by != NULL ? by_threads(ro.grp.nthreads) : 1, cp_work,
                &job);
    int worst = CLI_OK;
    for (size_t i = 0; i < nan; i++) {
        const tally_frame *f = by != NULL ? set->frames[i] : frame;
        int st = status[i];
        if (st != TALLY_OK) {
            int code = tally_exit_code(st);
            if (by == NULL) {
                cli_error_file(path, an[i].error ? an[i].error
                                                 : tally_strerror(st));
                worst = code;
                break;
            }
            /* One group's failure does not stop the others; it is reported
             * in place and sets the exit status. */
            cli_warn("%s = %s: %s", by, f->group ? f->group : "",
                     an[i].error ? an[i].error : tally_strerror(st));
            if (code > worst) {
                worst = code;
            }
            if (an[i].error == NULL) {
                an[i].error = strdup(tally_strerror(st));
            }
        }
    }
    int printed = by != NULL || worst == CLI_OK;
    tally_plot_figure fig = {.kind = TALLY_PLOT_CHANGEPOINT};
    tally_plot_segment *segs = NULL;
    tally_period *bps = NULL;
    if (printed && plot_opt_wanted(&ro.plot)) {
        worst = cp_figure(&an[0], &fig, &segs, &bps);
        printed = worst == CLI_OK;
    }
    if (printed) {
        cli_out out;
        rc = cli_out_open(&c, path, &out);
        if (rc == CLI_OK) {
            rc = plot_opt_save(&c, &ro.plot, &fig);
        }
        if (rc == CLI_OK) {
            if (c.format == CLI_JSON) {
                rc = print_json(out.fp, an, nan, by);
            } else if (c.format == CLI_CSV) {
                print_csv(out.fp, an, nan, by);
            } else {
                print_table(out.fp, an, nan, by);
            }
        }
        int rc2 = cli_out_close(&out, rc == CLI_OK);
        if (rc == CLI_OK) {
            rc = rc2;
        }
        rc = plot_opt_finish(&c, &ro.plot, rc);
        if (rc != CLI_OK) {
            worst = rc;
        }
    }
    free(segs);
    free(bps);
    for (size_t i = 0; i < nan; i++) {
        tally_cp_result_free(an[i].res);
        free(an[i].error);
    }
    free(an);
    free(status);
    tally_frame_set_free(set);
    return worst;
}
