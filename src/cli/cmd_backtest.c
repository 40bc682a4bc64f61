/* SPDX-License-Identifier: MIT
 *
 * tally backtest: rolling-origin evaluation of a forecasting model (see
 * include/tally/tally_backtest.h for the method and the measures).  This
 * file parses options, selects the series, runs the library and prints
 * the measures overall and by horizon as a table, CSV or JSON.
 */
#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/plot_opt.h"
#include "tally/tally_backtest.h"
#include "tally/tally_forecast.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    KEY_VALUE = CLI_KEY_FIRST_FREE,
    KEY_MODEL,
    KEY_HORIZON,
    KEY_INITIAL,
    KEY_LEVEL,
    KEY_LOG,
    KEY_DRIFT,
    KEY_NO_CONSTANT,
    KEY_WHERE,
    KEY_SEED,
    KEY_BY,
    KEY_THREADS
};

static const cli_opt opts[] = {
    {"value", KEY_VALUE, 1, "COL",
     "the series to evaluate (may be omitted when the file has one)"},
    {"model", KEY_MODEL, 1, "M",
     "any model of 'tally forecast': auto, arima:auto, arima:p,d,q[:P,D,Q], "
     "ets:XYZ, ets:auto, naive, snaive, drift, mean, poisson-trend, "
     "negbin-trend"},
    {"horizon", KEY_HORIZON, 1, "H", "forecast horizon at every origin"},
    {"initial", KEY_INITIAL, 1, "N",
     "observations in the first training window (default: half the series, "
     "at least two seasonal cycles)"},
    {"level", KEY_LEVEL, 1, "L[,L...]",
     "prediction interval levels in percent (default 80,95)"},
    {"log", KEY_LOG, 0, NULL, "fit to log(y) (as tally forecast --log)"},
    {"drift", KEY_DRIFT, 0, NULL, "ARIMA: add a drift term"},
    {"no-constant", KEY_NO_CONSTANT, 0, NULL,
     "ARIMA: no mean for an undifferenced model"},
    {"where", KEY_WHERE, 1, "COL=VAL", "use the group VAL of column COL"},
    BY_OPT_BY(KEY_BY),
    BY_OPT_THREADS(KEY_THREADS),
    {"seed", KEY_SEED, 1, "N",
     "seed of simulated intervals (default 1, echoed)"},
    PLOT_OPTS,
    {NULL, 0, 0, NULL, NULL}};

static const char description[] =
    "Rolling-origin evaluation (R's forecast::tsCV): for each origin t = N,\n"
    "N+1, ..., n-H the model is refitted to the first t values and forecasts\n"
    "H steps; the errors of all origins are pooled.  Reports ME, RMSE, MAE,\n"
    "MPE, MAPE (forecast::accuracy) and MASE (MAE over the mean absolute\n"
    "seasonal difference of the first N values; lag 1 for annual data),\n"
    "interval coverage and the interval (Winkler) score per level, and, when\n"
    "the model states its predictive distribution, the CRPS (for count\n"
    "models, of their simulated distribution), the log score and a PIT\n"
    "summary; overall and by horizon.  Origins where the model cannot be\n"
    "fitted are left out (as tsCV does) and counted.  With --by COL every\n"
    "group of a grouped file is evaluated in parallel, each as --where\n"
    "COL=VALUE prints it, in group order (docs/by.md).";

static const char examples[] =
    "  tally backtest attacks.csv --value incidents --model snaive "
    "--horizon 12 --initial 60\n"
    "  tally backtest attacks.csv --value incidents --model ets:auto "
    "--horizon 6 --format json\n";

static int pick_column(const tally_frame *f, const char *value, long *col,
                       by_sink *s)
{
    if (value != NULL) {
        *col = tally_frame_column(f, value);
        if (*col < 0) {
            return by_fail(s, CLI_EUSAGE, "no column '%s' in the series file",
                           value);
        }
        return CLI_OK;
    }
    if (f->ncol == 1) {
        *col = 0;
        return CLI_OK;
    }
    return by_fail(s, CLI_EUSAGE,
                   "the file has %zu variables: choose one with --value COL",
                   f->ncol);
}

/* ---- JSON -------------------------------------------------------- */

static json_t *stats_json(const tally_backtest_result *r,
                          const tally_bt_stats *s, json_t *obj)
{
    json_object_set_new(obj, "n_forecasts", json_integer((json_int_t)s->n));
    json_object_set_new(obj, "me", cli_json_num(s->me));
    json_object_set_new(obj, "rmse", cli_json_num(s->rmse));
    json_object_set_new(obj, "mae", cli_json_num(s->mae));
    json_object_set_new(obj, "mpe", cli_json_num(s->mpe));
    json_object_set_new(obj, "mape", cli_json_num(s->mape));
    json_object_set_new(obj, "mase", cli_json_num(s->mase));
    json_t *cov = json_array(), *win = json_array();
    for (size_t l = 0; l < r->nlevels; l++) {
        json_t *c = json_object(), *w = json_object();
        json_object_set_new(c, "level", cli_json_num(r->levels[l]));
        json_object_set_new(c, "rate", cli_json_num(s->coverage[l]));
        json_array_append_new(cov, c);
        json_object_set_new(w, "level", cli_json_num(r->levels[l]));
        json_object_set_new(w, "score", cli_json_num(s->winkler[l]));
        json_array_append_new(win, w);
    }
    json_object_set_new(obj, "coverage", cov);
    json_object_set_new(obj, "interval_score", win);
    if (r->distribution != TALLY_BT_DIST_NONE) {
        json_object_set_new(obj, "n_scored",
                            json_integer((json_int_t)s->nscored));
        json_object_set_new(obj, "crps", cli_json_num(s->crps));
        json_object_set_new(obj, "log_score", cli_json_num(s->logscore));
        json_t *pit = json_object(), *hist = json_array();
        json_object_set_new(pit, "mean", cli_json_num(s->pit_mean));
        for (int j = 0; j < TALLY_BT_PIT_BINS; j++) {
            json_array_append_new(hist, cli_json_num(s->pit_hist[j]));
        }
        json_object_set_new(pit, "histogram", hist);
        json_object_set_new(obj, "pit", pit);
    }
    return obj;
}

static json_t *result_json(const tally_backtest_result *r, const char *vname,
                           const char *group, const char *model)
{
    char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
    json_t *root = json_object();
    if (root == NULL) {
        return NULL;
    }
    json_object_set_new(root, "command", json_string("backtest"));
    json_object_set_new(root, "value", json_string(vname));
    if (group != NULL) {
        json_object_set_new(root, "group", json_string(group));
    }
    json_object_set_new(root, "model", json_string(model));
    json_object_set_new(root, "n", json_integer((json_int_t)r->n));
    json_object_set_new(root, "from", cli_json_period(r->freq, r->start));
    json_object_set_new(root, "to",
                        cli_json_period(r->freq,
                                        r->start + (tally_period)r->n - 1));
    json_object_set_new(root, "initial", json_integer((json_int_t)r->initial));
    json_object_set_new(root, "horizon", json_integer((json_int_t)r->horizon));
    json_object_set_new(root, "origins", json_integer((json_int_t)r->origins));
    json_object_set_new(root, "first_origin",
                        json_string(tally_period_format(r->freq,
                                                        r->first_origin, a,
                                                        sizeof a)));
    json_object_set_new(root, "last_origin",
                        json_string(tally_period_format(r->freq,
                                                        r->last_origin, b,
                                                        sizeof b)));
    json_object_set_new(root, "failed_origins",
                        json_integer((json_int_t)r->failed));
    if (r->first_error[0]) {
        json_object_set_new(root, "first_error", json_string(r->first_error));
    }
    json_t *models = json_array();
    for (size_t i = 0; i < r->nmodels; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "model", json_string(r->models[i].model));
        json_object_set_new(o, "origins",
                            json_integer((json_int_t)r->models[i].origins));
        json_array_append_new(models, o);
    }
    json_object_set_new(root, "models_fitted", models);
    json_object_set_new(root, "mase_lag", json_integer(r->lag));
    json_object_set_new(root, "mase_scale", cli_json_num(r->scale));
    const char *dist = tally_bt_dist_name(r->distribution);
    json_object_set_new(root, "distribution",
                        dist ? json_string(dist) : json_null());
    stats_json(r, &r->overall, root);
    json_t *bh = json_array();
    for (size_t h = 0; h < r->horizon; h++) {
        json_t *o = json_object();
        json_object_set_new(o, "h", json_integer((json_int_t)h + 1));
        json_array_append_new(bh, stats_json(r, &r->by_horizon[h], o));
    }
    json_object_set_new(root, "by_horizon", bh);
    return root;
}

/* ---- table and CSV ----------------------------------------------- */

static void cell(FILE *fp, double v, int width)
{
    if (isnan(v)) {
        fprintf(fp, " %*s", width, "NA");
    } else if (isinf(v)) {
        fprintf(fp, " %*s", width, v > 0 ? "Inf" : "-Inf");
    } else {
        fprintf(fp, " %*.6g", width, v);
    }
}

static void table_row(FILE *fp, const char *label,
                      const tally_backtest_result *r, const tally_bt_stats *s)
{
    fprintf(fp, "%-7s %6zu", label, s->n);
    cell(fp, s->me, 10);
    cell(fp, s->rmse, 10);
    cell(fp, s->mae, 10);
    cell(fp, s->mpe, 10);
    cell(fp, s->mape, 10);
    cell(fp, s->mase, 9);
    for (size_t l = 0; l < r->nlevels; l++) {
        cell(fp, s->coverage[l], 8);
    }
    fputc('\n', fp);
}

static void print_table(FILE *fp, const tally_backtest_result *r,
                        const char *label, const char *model)
{
    char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
    fprintf(fp, "Backtest: %s on %s, %s to %s (n = %zu)\n", model, label,
            tally_period_format(r->freq, r->start, a, sizeof a),
            tally_period_format(r->freq, r->start + (tally_period)r->n - 1, b,
                                sizeof b),
            r->n);
    fprintf(fp, "Origins:  %s to %s (%zu; first window %zu values), "
            "horizon %zu\n",
            tally_period_format(r->freq, r->first_origin, a, sizeof a),
            tally_period_format(r->freq, r->last_origin, b, sizeof b),
            r->origins, r->initial, r->horizon);
    if (r->failed > 0) {
        fprintf(fp, "Failed:   %zu origins left out (first: %s)\n", r->failed,
                r->first_error);
    }
    fprintf(fp, "Models:  ");
    for (size_t i = 0; i < r->nmodels; i++) {
        fprintf(fp, " %s (%zu)%s", r->models[i].model, r->models[i].origins,
                i + 1 < r->nmodels ? "," : "");
    }
    if (isfinite(r->scale)) {
        fprintf(fp, "\nMASE scale: %.6g (mean absolute lag-%d difference of "
                "the first window)\n\n", r->scale, r->lag);
    } else {
        fprintf(fp, "\nMASE scale: NA (the first window has no lag-%d "
                "differences)\n\n", r->lag);
    }
    fprintf(fp, "%-7s %6s %10s %10s %10s %10s %10s %9s", "", "n", "ME", "RMSE",
            "MAE", "MPE", "MAPE", "MASE");
    for (size_t l = 0; l < r->nlevels; l++) {
        char h[16];
        snprintf(h, sizeof h, "cov%g", r->levels[l]);
        fprintf(fp, " %8s", h);
    }
    fputc('\n', fp);
    table_row(fp, "all", r, &r->overall);
    for (size_t h = 0; h < r->horizon; h++) {
        char lab[32];
        snprintf(lab, sizeof lab, "h=%zu", h + 1);
        table_row(fp, lab, r, &r->by_horizon[h]);
    }
    fprintf(fp, "\nInterval score (Winkler; smaller is better):");
    for (size_t l = 0; l < r->nlevels; l++) {
        fprintf(fp, "  %g%%: %.6g", r->levels[l], r->overall.winkler[l]);
    }
    fputc('\n', fp);
    const char *dist = tally_bt_dist_name(r->distribution);
    if (dist == NULL) {
        fprintf(fp, "Proper scores: not available (the model states no "
                "predictive distribution)\n");
        return;
    }
    const tally_bt_stats *s = &r->overall;
    fprintf(fp, "Proper scores (%s predictive distribution, %zu forecasts): "
            "CRPS %.6g, log score %.6g\n", dist, s->nscored, s->crps,
            s->logscore);
    fprintf(fp, "PIT: mean %.4g (0.5 when calibrated), deciles", s->pit_mean);
    for (int j = 0; j < TALLY_BT_PIT_BINS; j++) {
        fprintf(fp, " %.3f", s->pit_hist[j]);
    }
    fputc('\n', fp);
}

static void csv_num(FILE *fp, double v)
{
    if (isfinite(v)) {
        fprintf(fp, ",%.17g", v);
    } else {
        fputs(",NA", fp);
    }
}

static void csv_row(FILE *fp, const char *label,
                    const tally_backtest_result *r, const tally_bt_stats *s)
{
    fprintf(fp, "%s,%zu", label, s->n);
    csv_num(fp, s->me);
    csv_num(fp, s->rmse);
    csv_num(fp, s->mae);
    csv_num(fp, s->mpe);
    csv_num(fp, s->mape);
    csv_num(fp, s->mase);
    for (size_t l = 0; l < r->nlevels; l++) {
        csv_num(fp, s->coverage[l]);
    }
    for (size_t l = 0; l < r->nlevels; l++) {
        csv_num(fp, s->winkler[l]);
    }
    csv_num(fp, s->crps);
    csv_num(fp, s->logscore);
    csv_num(fp, s->pit_mean);
    fputc('\n', fp);
}

static void print_csv(FILE *fp, const tally_backtest_result *r)
{
    fputs("h,n,me,rmse,mae,mpe,mape,mase", fp);
    for (size_t l = 0; l < r->nlevels; l++) {
        fprintf(fp, ",coverage_%g", r->levels[l]);
    }
    for (size_t l = 0; l < r->nlevels; l++) {
        fprintf(fp, ",interval_score_%g", r->levels[l]);
    }
    fputs(",crps,log_score,pit_mean\n", fp);
    csv_row(fp, "all", r, &r->overall);
    for (size_t h = 0; h < r->horizon; h++) {
        char lab[32];
        snprintf(lab, sizeof lab, "%zu", h + 1);
        csv_row(fp, lab, r, &r->by_horizon[h]);
    }
}

/* The backtest picture: the error measures by horizon 1..H, NaN where not
 * defined (as null in the JSON).  The values live in one block the caller
 * frees; values (4 pointers) is the caller's.  Returns an exit code. */
static int backtest_figure(const tally_backtest_result *r,
                           const double **values, tally_plot_figure *fig,
                           double **block)
{
    static const char *const names[] = {"ME", "MAE", "RMSE", "MASE"};
    size_t h = r->horizon;
    double *v = malloc((4 * h + 1) * sizeof *v);
    if (v == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    for (size_t i = 0; i < h; i++) {
        const tally_bt_stats *s = &r->by_horizon[i];
        double m[4] = {s->me, s->mae, s->rmse, s->mase};
        for (size_t k = 0; k < 4; k++) {
            v[k * h + i] = isfinite(m[k]) ? m[k] : NAN;
        }
    }
    for (size_t k = 0; k < 4; k++) {
        values[k] = v + k * h;
    }
    fig->kind = TALLY_PLOT_BACKTEST;
    fig->backtest.h = h;
    fig->backtest.nmeasures = 4;
    fig->backtest.names = names;
    fig->backtest.values = values;
    /* No y label, as `tally plot backtest --result` draws it. */
    *block = v;
    return CLI_OK;
}

/* What to evaluate, as the options say; the same for every group. */
typedef struct {
    const char *value;         /* --value, or NULL */
    const tally_fc_spec *spec; /* the model */
    long initial;              /* --initial, or 0 */
    long horizon;              /* --horizon */
    const double *levels;      /* --level */
    size_t nlevels;
} bt_ctx;

/* Run the backtest of frame f into *r (and warn of failed origins).
 * Returns an exit code (the message given to s); on success the caller
 * finishes *r. */
static int bt_compute(const bt_ctx *x, const tally_frame *f, by_sink *s,
                      long *col, tally_backtest_result *r)
{
    int rc = pick_column(f, x->value, col, s);
    if (rc != CLI_OK) {
        return rc;
    }
    if (x->initial > 0 && (size_t)x->initial + (size_t)x->horizon > f->n) {
        return by_fail(s, CLI_EUSAGE,
                       "--initial %ld plus --horizon %ld exceeds the %zu "
                       "periods of the series",
                       x->initial, x->horizon, f->n);
    }
    int st = tally_backtest_run(x->spec, f->cols[*col], f->n, f->freq,
                                f->start, (size_t)x->initial,
                                (size_t)x->horizon, x->levels, x->nlevels, r);
    if (st != TALLY_OK) {
        return by_fail_status(s, st);
    }
    if (r->failed > 0) {
        by_warn(s,
                "the model could not be fitted at %zu of %zu origins, left "
                "out (first: %s)",
                r->failed, r->origins, r->first_error);
    }
    return CLI_OK;
}

/* Print result r of column col of frame f in the sink's format (JSON:
 * into s->json). */
static void bt_render(by_sink *s, const tally_backtest_result *r,
                      const bt_ctx *x, const tally_frame *f, long col)
{
    char mname[64];
    tally_fc_spec_format(x->spec, mname, sizeof mname);
    if (x->spec->log) {
        size_t len = strlen(mname);
        snprintf(mname + len, sizeof mname - len, " --log");
    }
    if (s->format == CLI_JSON) {
        s->json = result_json(r, f->names[col], f->group, mname);
    } else if (s->format == CLI_CSV) {
        print_csv(s->out, r);
    } else {
        char label[256];
        if (f->group != NULL) {
            snprintf(label, sizeof label, "%s (%s)", f->names[col], f->group);
        } else {
            snprintf(label, sizeof label, "%s", f->names[col]);
        }
        print_table(s->out, r, label, mname);
    }
}

/* Print the JSON document of a one-series sink, if the format is JSON. */
static int cli_json_print_sink(by_sink *s, FILE *fp)
{
    if (s->format != CLI_JSON) {
        return CLI_OK;
    }
    json_t *root = s->json;
    s->json = NULL;
    return cli_json_print(fp, root);
}

/* One group of --by (by_fn): what `--where COL=VALUE` prints.  The seed
 * of simulated intervals is --seed for every group, as with --where. */
static int bt_group(void *ctx, const void *item, const char *where,
                    by_sink *s)
{
    (void)where;
    const tally_frame *f = item;
    long col = -1;
    tally_backtest_result r;
    int rc = bt_compute(ctx, f, s, &col, &r);
    if (rc == CLI_OK) {
        bt_render(s, &r, ctx, f, col);
        tally_backtest_result_fini(&r);
    }
    return rc;
}

int cmd_backtest(int argc, char **argv)
{
    cli_cmd c;
    char *arg;
    int key;
    const char *value = NULL, *model = NULL, *where = NULL, *by = NULL;
    long horizon = 0, initial = 0, seed = 1, nthreads = 0;
    int log_scale = 0, drift = 0, no_constant = 0;
    double levels[TALLY_FC_MAX_LEVELS] = {80.0, 95.0};
    size_t nlevels = 2;
    plot_opt plot;
    plot_opt_init(&plot);

    cli_init(&c, "backtest",
             "FILE --value COL --model M --horizon H [--initial N] "
             "[--level 80,95] [--where COL=VAL | --by COL [--threads N]]",
             description, examples, opts,
             CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    while ((key = cli_next(&c, argc, argv, &arg)) != CLI_END) {
        int pr = plot_opt_parse(&c, key, arg, &plot);
        if (pr < 0) {
            return CLI_EUSAGE;
        }
        if (pr > 0) {
            continue;
        }
        switch (key) {
        case CLI_DONE_OK:
            return CLI_OK;
        case CLI_DONE_USAGE:
            return CLI_EUSAGE;
        case KEY_VALUE:
            value = arg;
            break;
        case KEY_MODEL:
            model = arg;
            break;
        case KEY_HORIZON:
            if (!cli_parse_long(arg, 1, 100000, &horizon)) {
                return cli_usage_error(&c, "--horizon must be a whole number "
                                           "from 1 to 100000, not '%s'", arg);
            }
            break;
        case KEY_INITIAL:
            if (!cli_parse_long(arg, 1, 100000000L, &initial)) {
                return cli_usage_error(&c, "--initial must be a whole number "
                                           ">= 1, not '%s'", arg);
            }
            break;
        case KEY_LEVEL:
            nlevels = cli_parse_levels(arg, levels, TALLY_FC_MAX_LEVELS);
            if (nlevels == 0) {
                return cli_usage_error(&c, "--level must be up to %d "
                                           "percentages between 0 and 100 "
                                           "separated by commas, not '%s'",
                                       TALLY_FC_MAX_LEVELS, arg);
            }
            break;
        case KEY_LOG:
            log_scale = 1;
            break;
        case KEY_DRIFT:
            drift = 1;
            break;
        case KEY_NO_CONSTANT:
            no_constant = 1;
            break;
        case KEY_WHERE:
            where = arg;
            break;
        case KEY_BY:
            by = arg;
            break;
        case KEY_THREADS:
            if (!by_parse_threads(arg, &nthreads)) {
                return cli_usage_error(&c, "--threads must be a whole number "
                                           "from 1 to %d, not '%s'",
                                       BY_MAX_THREADS, arg);
            }
            break;
        case KEY_SEED:
            if (!cli_parse_long(arg, 0, 2147483647L, &seed)) {
                return cli_usage_error(&c, "--seed must be a whole number "
                                           "from 0 to 2147483647, not '%s'",
                                       arg);
            }
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    if (optind + 1 != argc) {
        return cli_usage_error(&c, optind >= argc
                                       ? "missing the series FILE"
                                       : "expected one series FILE");
    }
    if (model == NULL) {
        return cli_usage_error(&c, "missing --model (e.g. --model snaive)");
    }
    if (horizon == 0) {
        return cli_usage_error(&c, "missing --horizon H");
    }
    tally_fc_spec spec;
    int st = tally_fc_spec_parse(model, &spec);
    if (st != TALLY_OK) {
        return cli_usage_error(&c, "%s", tally_last_error());
    }
    if (drift && spec.family != TALLY_FC_ARIMA) {
        return cli_usage_error(&c, "--drift applies to ARIMA models (for a "
                                   "random walk with drift use --model "
                                   "drift)");
    }
    if (no_constant && spec.family != TALLY_FC_ARIMA) {
        return cli_usage_error(&c, "--no-constant applies to ARIMA models");
    }
    spec.drift = drift;
    spec.log = log_scale;
    spec.no_constant = no_constant;
    spec.seed = (uint64_t)seed;

    const char *path = argv[optind];
    int prc = plot_opt_check(&c, &plot, path);
    if (prc != CLI_OK) {
        return prc;
    }
    char *wcol = NULL, *wval = NULL;
    if (where != NULL && !cli_split_where(where, &wcol, &wval)) {
        return cli_usage_error(&c, "--where must be COL=VALUE, not '%s'",
                               where);
    }
    if (where != NULL && by != NULL) {
        free(wcol);
        return cli_usage_error(&c, "give --where or --by, not both");
    }
    if (by != NULL && plot_opt_wanted(&plot)) {
        return cli_usage_error(&c, "--plot draws one series: choose a group "
                                   "with --where COL=VALUE instead of --by");
    }
    bt_ctx x = {value, &spec, initial, horizon, levels, nlevels};
    if (by != NULL) {
        tally_frame_set *set = NULL;
        int rc = by_read_series(path, by, &set);
        if (rc == CLI_OK) {
            by_job job = {&c,       "backtest", by, path, by_threads(nthreads),
                          bt_group, &x};
            rc = by_run_frames(&job, set);
        }
        tally_frame_set_free(set);
        return rc;
    }
    tally_frame_set *set = NULL;
    tally_frame *f = NULL;
    int rc = cli_read_series(path, wcol, wval, &set, &f);
    free(wcol);
    if (rc != CLI_OK) {
        return rc;
    }
    by_sink one;
    memset(&one, 0, sizeof one);
    one.format = c.format;
    one.cmd = &c;
    one.path = path;
    long col = -1;
    tally_backtest_result r;
    rc = bt_compute(&x, f, &one, &col, &r);
    if (rc != CLI_OK) {
        tally_frame_set_free(set);
        return rc;
    }
    /* The picture: ME, MAE, RMSE and MASE by horizon, as `tally plot
     * backtest --result` draws them from by_horizon[]. */
    tally_plot_figure fig;
    memset(&fig, 0, sizeof fig);
    double *errs = NULL;
    const double *err_rows[4];
    if (plot_opt_wanted(&plot)) {
        rc = backtest_figure(&r, err_rows, &fig, &errs);
    }
    cli_out out;
    memset(&out, 0, sizeof out);
    if (rc == CLI_OK) {
        rc = cli_out_open(&c, path, &out);
    }
    if (rc == CLI_OK) {
        rc = plot_opt_save(&c, &plot, &fig);
    }
    if (rc == CLI_OK) {
        one.out = out.fp;
        bt_render(&one, &r, &x, f, col);
        rc = cli_json_print_sink(&one, out.fp);
    }
    int rc2 = cli_out_close(&out, rc == CLI_OK);
    rc = plot_opt_finish(&c, &plot, rc != CLI_OK ? rc : rc2);
    free(errs);
    tally_backtest_result_fini(&r);
    tally_frame_set_free(set);
    return rc;
}
