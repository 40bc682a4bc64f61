/* SPDX-License-Identifier: MIT
 *
 * tally forecast: fit a forecasting model to one series and forecast it
 * with prediction intervals.  The models and their conventions are those
 * of R's forecast package (see src/forecast/); this file parses options,
 * selects the series and the periods used (--where, --drop-last, --as-of),
 * warns when the last period looks incomplete (late reporting), and
 * prints.
 */
#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/fc_opt.h"
#include "cli/fc_print.h"
#include "cli/group_opt.h"
#include "cli/plot_opt.h"
#include "tally/tally_forecast.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_XREG = CLI_KEY_FIRST_FREE, KEY_DROP_LAST, KEY_AS_OF };

static const cli_opt opts[] = {
    FC_OPT_VALUE("the series to forecast (may be omitted when the file has "
                 "one)"),
    FC_OPT_MODEL("auto, arima:auto, arima:p,d,q, arima:p,d,q:P,D,Q, ets:XYZ, "
                 "ets:auto, naive, snaive, drift, mean, poisson-trend or "
                 "negbin-trend"),
    FC_OPT_HORIZON("number of periods to forecast"),
    FC_OPT_LEVEL,
    FC_OPT_LOG("fit to log(y); forecasts are exp(mean) (medians), limits "
               "exp'd"),
    FC_OPT_DRIFT("ARIMA: add a drift (linear trend) term to a differenced "
                 "model"),
    FC_OPT_NO_CONSTANT("ARIMA: no mean for an undifferenced model "
                       "(include.mean = FALSE)"),
    {"xreg", KEY_XREG, 1, "COL[,COL...]",
     "ARIMA: regression with ARIMA errors on these columns; their values "
     "for the H periods after the last observed value must be in the file"},
    GROUP_OPTS("use the group VAL of column COL"),
    {"drop-last", KEY_DROP_LAST, 1, "N",
     "leave out the last N periods (incomplete, late-reported data)"},
    {"as-of", KEY_AS_OF, 1, "P",
     "use the data up to period P only; forecasts start after P"},
    FC_OPT_SEED("seed of simulated intervals (count models; default 1, "
                "echoed)"),
    PLOT_OPTS,
    {NULL, 0, 0, NULL, NULL}};

static const char description[] =
    "Fit a forecasting model to one series and forecast H periods ahead with\n"
    "prediction intervals.  Models and conventions follow R's forecast\n"
    "package: Arima (exact maximum likelihood by a Kalman filter), auto.arima\n"
    "(KPSS and seasonal-strength tests for d and D, stepwise search by AICc),\n"
    "ets, meanf, naive, snaive and rwf(drift = TRUE).  Leading and trailing\n"
    "missing values are left out; ARIMA models skip interior ones.  When the\n"
    "last period is far below the recent median it may be incomplete (late\n"
    "reporting): a warning suggests --drop-last or --as-of.  With --by COL\n"
    "every group of a grouped file is forecast in parallel, each as --where\n"
    "COL=VALUE prints it, in group order (docs/by.md).";

static const char examples[] =
    "  tally forecast airline.csv --value passengers --model "
    "arima:0,1,1:0,1,1 --log --horizon 24\n"
    "  tally forecast attacks.csv --value incidents --model arima:auto "
    "--horizon 12 --drop-last 1\n"
    "  tally forecast attacks.csv --value incidents --model snaive "
    "--horizon 12 --format json\n";

static void print_warnings(by_sink *s, const char *text)
{
    /* One "tally: warning:" line per "; "-separated sentence. */
    const char *p = text;
    while (*p) {
        const char *e = strstr(p, "; ");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        by_warn(s, "%.*s", (int)len, p);
        p += len + (e ? 2 : 0);
    }
}

static double finite_or_nan(double v)
{
    return isfinite(v) ? v : NAN;
}

/* The forecast picture of result r on column col of frame f: the frame as
 * history, the point forecasts and the intervals of every level, copied
 * (non-finite values as NaN, as the JSON carries them) into one block the
 * caller frees.  Returns an exit code. */
static int forecast_figure(const tally_fc_result *r, const tally_frame *f,
                           long col, tally_plot_figure *fig, double **block)
{
    size_t h = r->h, nl = r->nlevels;
    double *v = malloc(((1 + 2 * nl) * h + 1) * sizeof *v);
    if (v == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    double *mean = v, *lower = v + h, *upper = v + h + nl * h;
    for (size_t i = 0; i < h; i++) {
        mean[i] = finite_or_nan(r->mean[i]);
    }
    for (size_t k = 0; k < nl * h; k++) {
        lower[k] = finite_or_nan(r->lower[k]);
        upper[k] = finite_or_nan(r->upper[k]);
    }
    fig->kind = TALLY_PLOT_FORECAST;
    fig->forecast.t = (tally_plot_axis){f->freq, f->start, f->n};
    fig->forecast.y = f->cols[col];
    fig->forecast.first = r->first;
    fig->forecast.h = h;
    fig->forecast.mean = mean;
    fig->forecast.nlevels = nl;
    fig->forecast.levels = r->levels;
    fig->forecast.lower = lower;
    fig->forecast.upper = upper;
    fig->forecast.model = r->model;
    fig->forecast.ylabel = f->names[col];
    *block = v;
    return CLI_OK;
}

/* What to forecast, as the options say; the same for every group. */
typedef struct {
    const fc_opt *fo;     /* --value, the model, --horizon, --level */
    const char *as_of;    /* --as-of, or NULL */
    long drop_last;       /* --drop-last, or -1 */
    const char *xreg_arg; /* --xreg, or NULL */
} fc_ctx;

/* Select the column and the periods of frame f, run the model into *r and
 * give its warnings.  Returns an exit code (the message given to s). */
static int fc_compute(const fc_ctx *x, const tally_frame *f, by_sink *s,
                      long *colp, tally_fc_result *r)
{
    long col = -1;
    int rc = fc_opt_column(f, x->fo->value, &col, s);
    if (rc != CLI_OK) {
        return rc;
    }
    *colp = col;
    size_t n = f->n;
    long horizon = x->fo->horizon;
    if (x->as_of != NULL) {
        tally_freq fq = f->freq;
        tally_period p;
        if (tally_period_parse(x->as_of, &fq, &p) != TALLY_OK) {
            return by_fail(s, CLI_EUSAGE, "--as-of: %s", tally_last_error());
        }
        long idx = tally_frame_index(f, p);
        if (idx < 0) {
            char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
            return by_fail(
                s, CLI_EUSAGE, "--as-of %s is outside the series (%s to %s)",
                x->as_of, tally_period_format(f->freq, f->start, a, sizeof a),
                tally_period_format(f->freq, f->start + (tally_period)f->n - 1,
                                    b, sizeof b));
        }
        n = (size_t)idx + 1;
    } else if (x->drop_last >= 0) {
        if ((size_t)x->drop_last >= f->n) {
            return by_fail(s, CLI_EUSAGE,
                           "--drop-last %ld leaves nothing of the %zu periods",
                           x->drop_last, f->n);
        }
        n = f->n - (size_t)x->drop_last;
    } else if (tally_fc_last_partial(f->cols[col], n, 0.5, 12, 5.0)) {
        char a[TALLY_PERIOD_BUFSIZE];
        tally_period_format(f->freq, f->start + (tally_period)n - 1, a,
                            sizeof a);
        by_warn(s,
                "the last period (%s: %g) is below half the median of the 12 "
                "before it: if it is incomplete (late reporting), leave it out "
                "with --drop-last 1 or --as-of the period before",
                a, f->cols[col][n - 1]);
    }

    /* Exogenous regressors: columns of the file, known for the H periods
     * after the last observed value. */
    const char *xnames[TALLY_FC_MAX_COEF];
    const double *xcols[TALLY_FC_MAX_COEF];
    char *xbuf = NULL;
    tally_fc_xreg xr = {0, xnames, xcols};
    if (x->xreg_arg != NULL) {
        size_t len = strlen(x->xreg_arg) + 1;
        xbuf = malloc(len);
        if (xbuf == NULL) {
            return by_fail(s, CLI_EIO, "out of memory");
        }
        memcpy(xbuf, x->xreg_arg, len);
        size_t last = n;
        while (last > 0 && isnan(f->cols[col][last - 1])) {
            last--;
        }
        for (char *p = xbuf; rc == CLI_OK;) {
            char *comma = strchr(p, ',');
            if (comma != NULL) {
                *comma = '\0';
            }
            long xc = tally_frame_column(f, p);
            if (xc < 0 || xc == col || xr.k == TALLY_FC_MAX_COEF / 2) {
                rc = by_fail(s, CLI_EUSAGE,
                             xc < 0      ? "--xreg: no column '%s'"
                             : xc == col ? "--xreg: '%s' is the series itself"
                                         : "--xreg: too many columns (at "
                                           "'%s')",
                             p);
                break;
            }
            xnames[xr.k] = f->names[xc];
            xcols[xr.k++] = f->cols[xc];
            if (comma == NULL) {
                break;
            }
            p = comma + 1;
        }
        if (rc == CLI_OK && last + (size_t)horizon > f->n) {
            char a[TALLY_PERIOD_BUFSIZE];
            rc = by_fail(
                s, CLI_EUSAGE,
                "--xreg: the file must hold the regressors for the %ld "
                "forecast periods after %s (it has %zu more rows)",
                horizon,
                tally_period_format(f->freq,
                                    f->start + (tally_period)last - 1, a,
                                    sizeof a),
                f->n - last);
        }
        if (rc != CLI_OK) {
            free(xbuf);
            return rc;
        }
        /* The rows after the last observed value hold the future
         * regressors: they are not missing data. */
        n = last;
    }
    int st = tally_fc_run_x(&x->fo->spec, f->cols[col], n, f->freq, f->start,
                            xr.k > 0 ? &xr : NULL, (size_t)horizon,
                            x->fo->levels, x->fo->nlevels, r);
    free(xbuf);
    if (st != TALLY_OK) {
        return by_fail_status(s, st);
    }
    if (r->warning[0]) {
        print_warnings(s, r->warning);
    }
    return CLI_OK;
}

/* Print forecast r of column col of frame f in the sink's format. */
static int fc_render(by_sink *s, const tally_fc_result *r,
                     const tally_frame *f, long col)
{
    const char *vname = f->names[col];
    if (s->format == CLI_JSON) {
        json_t *root = json_object();
        json_t *fc = NULL;
        int bad = root == NULL;
        if (!bad) {
            json_object_set_new(root, "command", json_string("forecast"));
            json_object_set_new(root, "value", json_string(vname));
            if (f->group != NULL) {
                json_object_set_new(root, "group", json_string(f->group));
            }
            bad = fc_json_add_model(root, r) != 0;
            json_object_set_new(root, "horizon",
                                json_integer((json_int_t)r->h));
            fc = fc_json_forecast(r);
            bad |= fc == NULL || json_object_set_new(root, "forecast", fc);
        }
        if (bad) {
            json_decref(root);
            return by_fail(s, CLI_EIO, "out of memory building JSON");
        }
        s->json = root;
    } else if (s->format == CLI_CSV) {
        fc_print_forecast_csv(s->out, r);
    } else {
        char label[256];
        fc_opt_label(f, col, label, sizeof label);
        fc_print_model_table(s->out, r, label);
        fc_print_forecast_table(s->out, r);
    }
    return CLI_OK;
}

/* One group of --by (by_fn): what `--where COL=VALUE` prints.  The seed
 * of simulated intervals is --seed for every group, as with --where. */
static int fc_group(void *ctx, const void *item, const char *where,
                    by_sink *s)
{
    (void)where;
    const tally_frame *f = item;
    long col = -1;
    tally_fc_result r;
    memset(&r, 0, sizeof r);
    int rc = fc_compute(ctx, f, s, &col, &r);
    if (rc == CLI_OK) {
        rc = fc_render(s, &r, f, col);
    }
    tally_fc_result_fini(&r);
    return rc;
}

int cmd_forecast(int argc, char **argv)
{
    cli_cmd c;
    char *arg;
    int key;
    const char *as_of = NULL, *xreg_arg = NULL;
    long drop_last = -1;
    fc_opt fo;
    fc_opt_init(&fo);
    group_opt grp;
    group_opt_init(&grp);
    plot_opt plot;
    plot_opt_init(&plot);

    cli_init(&c, "forecast",
             "FILE --value COL --model M --horizon H [--level 80,95] [--log] "
             "[--drift] [--xreg COL,...] [--where COL=VAL | --by COL "
             "[--threads N]] "
             "[--drop-last N | --as-of P]",
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
        case KEY_XREG:
            xreg_arg = arg;
            break;
        case KEY_DROP_LAST:
            if (!cli_parse_long(arg, 0, 1000000, &drop_last)) {
                return cli_usage_error(&c, "--drop-last must be a whole "
                                           "number >= 0, not '%s'", arg);
            }
            break;
        case KEY_AS_OF:
            as_of = arg;
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    int rc = fc_opt_check(&c, &fo, argc, "arima:auto");
    if (rc != CLI_OK) {
        return rc;
    }
    if (drop_last >= 0 && as_of != NULL) {
        return cli_usage_error(&c, "give --drop-last or --as-of, not both");
    }
    rc = fc_opt_spec(&c, &fo);
    if (rc != CLI_OK) {
        return rc;
    }
    if (xreg_arg != NULL && fo.spec.family != TALLY_FC_ARIMA) {
        return cli_usage_error(&c, "--xreg applies to ARIMA models "
                                   "(regression with ARIMA errors)");
    }

    const char *path = argv[optind];
    rc = group_opt_check_all(&c, &grp, &plot, path);
    if (rc != CLI_OK) {
        return rc;
    }
    fc_ctx x = {&fo, as_of, drop_last, xreg_arg};
    if (grp.by != NULL) {
        return group_opt_run(&c, &grp, "forecast", path, fc_group, &x);
    }
    tally_frame_set *set = NULL;
    tally_frame *f = NULL;
    by_sink one;
    rc = group_opt_read(&c, &grp, path, &set, &f, &one);
    if (rc != CLI_OK) {
        return rc;
    }
    long col = -1;
    tally_fc_result r;
    memset(&r, 0, sizeof r);
    rc = fc_compute(&x, f, &one, &col, &r);
    if (rc != CLI_OK) {
        tally_frame_set_free(set);
        return rc;
    }

    /* The fan chart: the whole series as history (as `tally plot forecast
     * SERIES --result` draws it), the forecasts and their intervals. */
    tally_plot_figure fig;
    memset(&fig, 0, sizeof fig);
    double *fan = NULL;
    if (plot_opt_wanted(&plot)) {
        rc = forecast_figure(&r, f, col, &fig, &fan);
    }
    cli_out out;
    if (rc == CLI_OK) {
        rc = cli_out_open(&c, path, &out);
    }
    if (rc == CLI_OK) {
        rc = plot_opt_save(&c, &plot, &fig);
        if (rc != CLI_OK) {
            cli_out_close(&out, 0);
        }
    }
    if (rc != CLI_OK) {
        free(fan);
        tally_fc_result_fini(&r);
        tally_frame_set_free(set);
        return rc;
    }
    one.out = out.fp;
    rc = fc_render(&one, &r, f, col);
    if (rc == CLI_OK && one.json != NULL) {
        rc = cli_json_print(out.fp, one.json);
    }
    int rc2 = cli_out_close(&out, rc == CLI_OK);
    rc = plot_opt_finish(&c, &plot, rc != CLI_OK ? rc : rc2);
    free(fan);
    tally_fc_result_fini(&r);
    tally_frame_set_free(set);
    return rc;
}
