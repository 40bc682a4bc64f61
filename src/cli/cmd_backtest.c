/* SPDX-License-Identifier: MIT
 *
 * tally backtest: rolling-origin evaluation of a forecasting model (see
 * include/tally/tally_backtest.h for the method and the measures).  This
 * file parses options, selects the series, runs the library and prints
 * the measures overall and by horizon as a table, CSV or JSON.
 */
#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/fc_opt.h"
#include "cli/group_opt.h"
#include "cli/plot_opt.h"
#include "tally/tally_backtest.h"
#include "tally/tally_forecast.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_INITIAL = CLI_KEY_FIRST_FREE };

static const cli_opt opts[] = {
    FC_OPT_VALUE("the series to evaluate (may be omitted when the file has "
                 "one)"),
    FC_OPT_MODEL("any model of 'tally forecast': auto, arima:auto, "
                 "arima:p,d,q[:P,D,Q], ets:XYZ, ets:auto, naive, snaive, "
                 "drift, mean, poisson-trend, negbin-trend"),
    FC_OPT_HORIZON("forecast horizon at every origin"),
    {"initial", KEY_INITIAL, 1, "N",
     "observations in the first training window (default: half the series, "
     "at least two seasonal cycles)"},
    FC_OPT_LEVEL,
    FC_OPT_LOG("fit to log(y) (as tally forecast --log)"),
    FC_OPT_DRIFT("ARIMA: add a drift term"),
    FC_OPT_NO_CONSTANT("ARIMA: no mean for an undifferenced model"),
    GROUP_OPTS("use the group VAL of column COL"),
    FC_OPT_SEED("seed of simulated intervals (default 1, echoed)"),
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


static void csv_row(FILE *fp, const char *label,
                    const tally_backtest_result *r, const tally_bt_stats *s)
{
    fprintf(fp, "%s,%zu", label, s->n);
    cli_csv_num(fp, s->me);
    cli_csv_num(fp, s->rmse);
    cli_csv_num(fp, s->mae);
    cli_csv_num(fp, s->mpe);
    cli_csv_num(fp, s->mape);
    cli_csv_num(fp, s->mase);
    for (size_t l = 0; l < r->nlevels; l++) {
        cli_csv_num(fp, s->coverage[l]);
    }
    for (size_t l = 0; l < r->nlevels; l++) {
        cli_csv_num(fp, s->winkler[l]);
    }
    cli_csv_num(fp, s->crps);
    cli_csv_num(fp, s->logscore);
    cli_csv_num(fp, s->pit_mean);
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
    const fc_opt *fo; /* --value, the model, --horizon, --level */
    long initial;     /* --initial, or 0 */
} bt_ctx;

/* Run the backtest of frame f into *r (and warn of failed origins).
 * Returns an exit code (the message given to s); on success the caller
 * finishes *r. */
static int bt_compute(const bt_ctx *x, const tally_frame *f, by_sink *s,
                      long *col, tally_backtest_result *r)
{
    const fc_opt *fo = x->fo;
    int rc = fc_opt_column(f, fo->value, col, s);
    if (rc != CLI_OK) {
        return rc;
    }
    if (x->initial > 0 && (size_t)x->initial + (size_t)fo->horizon > f->n) {
        return by_fail(s, CLI_EUSAGE,
                       "--initial %ld plus --horizon %ld exceeds the %zu "
                       "periods of the series",
                       x->initial, fo->horizon, f->n);
    }
    int st = tally_backtest_run(
        &fo->spec, f->cols[*col], f->n, f->freq, f->start, (size_t)x->initial,
        (size_t)fo->horizon, fo->levels, fo->nlevels, r);
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
    tally_fc_spec_format(&x->fo->spec, mname, sizeof mname);
    if (x->fo->spec.log) {
        size_t len = strlen(mname);
        snprintf(mname + len, sizeof mname - len, " --log");
    }
    if (s->format == CLI_JSON) {
        s->json = result_json(r, f->names[col], f->group, mname);
    } else if (s->format == CLI_CSV) {
        print_csv(s->out, r);
    } else {
        char label[256];
        fc_opt_label(f, col, label, sizeof label);
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
    long initial = 0;
    fc_opt fo;
    fc_opt_init(&fo);
    group_opt grp;
    group_opt_init(&grp);
    plot_opt plot;
    plot_opt_init(&plot);

    cli_init(&c, "backtest",
             "FILE --value COL --model M --horizon H [--initial N] "
             "[--level 80,95] [--where COL=VAL | --by COL [--threads N]]",
             description, examples, opts,
             CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    while ((key = cli_next(&c, argc, argv, &arg)) != CLI_END) {
        int pr = plot_opt_parse(&c, key, arg, &plot);
        if (pr == 0) {
            pr = fc_opt_parse(&c, key, arg, &fo);
        }
        if (pr == 0) {
            pr = group_opt_parse(&c, key, arg, &grp);
        }
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
        case KEY_INITIAL:
            if (!cli_parse_long(arg, 1, 100000000L, &initial)) {
                return cli_usage_error(&c, "--initial must be a whole number "
                                           ">= 1, not '%s'", arg);
            }
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    int rc = fc_opt_check(&c, &fo, argc, "snaive");
    if (rc == CLI_OK) {
        rc = fc_opt_spec(&c, &fo);
    }
    const char *path = argv[optind];
    if (rc == CLI_OK) {
        rc = group_opt_check_all(&c, &grp, &plot, path);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    bt_ctx x = {&fo, initial};
    if (grp.by != NULL) {
        return group_opt_run(&c, &grp, "backtest", path, bt_group, &x);
    }
    tally_frame_set *set = NULL;
    tally_frame *f = NULL;
    by_sink one;
    rc = group_opt_read(&c, &grp, path, &set, &f, &one);
    if (rc != CLI_OK) {
        return rc;
    }
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
