/* SPDX-License-Identifier: MIT
 *
 * tally trend: regression of a series on time (and season), CLI.md.  The
 * design is intercept, time (1..n over the whole frame), season terms
 * (dummies month2..month12 / quarter2..quarter4, or Fourier pairs) and any
 * extra regressors given with --x; periods with a missing value are left
 * out and counted, without shifting `time`.
 *
 * With --by COL every group of a grouped series file is fitted, the fits
 * running in parallel on all cores (by_run.h): each group prints what
 * `--where COL=VALUE` prints (trend_group), into its own buffers, and the
 * buffers are written in group order, so the output is the same bytes
 * whatever the number of threads.  A group that cannot be fitted is
 * reported on stderr and in the output, and sets the exit status; the
 * others are still fitted.
 */
#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/cli_file.h"
#include "cli/fit_print.h"
#include "cli/group_opt.h"
#include "cli/plot_opt.h"

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    KEY_VALUE = CLI_KEY_FIRST_FREE,
    KEY_SEASON,
    KEY_X,
    KEY_OFFSET,
    KEY_EXPOSURE,
    KEY_WEIGHTS,
    KEY_STARS
};

static const cli_opt opts[] = {
    {"value", KEY_VALUE, 1, "COL", "the series to model (required)"},
    FIT_OPT_FAMILY,
    {"season", KEY_SEASON, 1, "S",
     "none (default), dummies (month2..month12 / quarter2..quarter4, "
     "January/Q1 baseline) or fourier:K (sin1, cos1, ...)"},
    {"x", KEY_X, 1, "COL[,COL...]", "extra regressor columns of the series"},
    {"offset", KEY_OFFSET, 1, "COL",
     "add COL to the linear predictor as it is"},
    {"exposure", KEY_EXPOSURE, 1, "COL",
     "add log(COL) to the linear predictor (COL > 0)"},
    {"weights", KEY_WEIGHTS, 1, "COL", "prior weights (>= 0)"},
    FIT_OPT_HAC,
    FIT_OPT_ROBUST,
    GROUP_OPTS("the group to model in a grouped file"),
    FIT_OPT_LEVEL,
    {"stars", KEY_STARS, 0, NULL, "show significance stars in the table"},
    FIT_OPT_NO_DIAG,
    PLOT_OPTS,
    {0}};

/* Parse --season: "none", "dummies" or "fourier:K". */
static int parse_season(const char *s, tally_season_kind *kind, int *K)
{
    long k;
    if (strcmp(s, "none") == 0) {
        *kind = TALLY_SEASON_NONE;
        return 1;
    }
    if (strcmp(s, "dummies") == 0) {
        *kind = TALLY_SEASON_DUMMIES;
        return 1;
    }
    if (strncmp(s, "fourier:", 8) == 0 && cli_parse_long(s + 8, 1, 6, &k)) {
        *kind = TALLY_SEASON_FOURIER;
        *K = (int)k;
        return 1;
    }
    return 0;
}

static int add_x_columns(tally_design *d, const tally_frame *f,
                         const char *list)
{
    const char *p = list;
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        char name[TALLY_TERM_MAX];
        if (len == 0 || len >= sizeof name) {
            return TALLY_ERROR(TALLY_EINVAL, "bad --x list '%s'", list);
        }
        memcpy(name, p, len);
        name[len] = '\0';
        int st = tally_design_add_frame_column(d, f, name);
        if (st != TALLY_OK) {
            return st;
        }
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    return TALLY_OK;
}

/* What to fit, as the options say; the same for every group. */
typedef struct {
    const char *value;           /* --value */
    const char *xlist;           /* --x, or NULL */
    const char *offset;          /* --offset, or NULL */
    const char *exposure;        /* --exposure, or NULL */
    const char *weights;         /* --weights, or NULL */
    tally_season_kind season;    /* --season */
    int K;                       /* Fourier pairs */
    const tally_fit_options *fo; /* family, vcov, level */
    const char *path;            /* the series file, named in messages */
    const fit_print_opts *po;    /* how to print (--by: per group) */
} trend_spec;

/* Build the design of a frame into *dout (the caller frees it, also on
 * failure).  Returns a status (its message is the thread's last error):
 * TALLY_EINVAL for a column that is not there. */
static int frame_design(const tally_frame *fr, const trend_spec *sp,
                        tally_design **dout)
{
    tally_design *d = NULL;
    int st = tally_design_from_frame(fr, sp->value, &d);
    *dout = d;
    if (st == TALLY_OK) {
        /* Messages about one period name the file too. */
        st = tally_design_set_source(d, sp->path, NULL);
    }
    if (st == TALLY_OK) {
        st = tally_design_add_intercept(d);
    }
    if (st == TALLY_OK) {
        st = tally_design_add_time(d);
    }
    if (st == TALLY_OK && sp->season != TALLY_SEASON_NONE) {
        st = tally_design_add_season(d, sp->season, sp->K);
    }
    if (st == TALLY_OK && sp->xlist != NULL) {
        st = add_x_columns(d, fr, sp->xlist);
    }
    if (st == TALLY_OK && (sp->offset != NULL || sp->exposure != NULL)) {
        const char *col = sp->offset != NULL ? sp->offset : sp->exposure;
        long j = tally_frame_column(fr, col);
        if (j < 0) {
            st = TALLY_ERROR(TALLY_EINVAL, "no column '%s' in the series", col);
        } else {
            st = tally_design_set_offset(d, col, fr->cols[j],
                                         sp->exposure != NULL);
        }
    }
    if (st == TALLY_OK && sp->weights != NULL) {
        long j = tally_frame_column(fr, sp->weights);
        if (j < 0) {
            st = TALLY_ERROR(TALLY_EINVAL, "no column '%s' in the series",
                             sp->weights);
        } else {
            st = tally_design_set_weights(d, sp->weights, fr->cols[j]);
        }
    }
    return st;
}

/* Build the design of a frame and fit it.  On failure *d and *f are freed
 * and NULL, and the status is returned (its message is the thread's last
 * error). */
static int fit_frame(const tally_frame *fr, const trend_spec *sp,
                     tally_design **dout, tally_fit **fout)
{
    tally_design *d = NULL;
    tally_fit *f = NULL;
    int st = frame_design(fr, sp, &d);
    if (st == TALLY_OK) {
        st = tally_fit_model(d, sp->fo, &f);
    }
    if (st != TALLY_OK) {
        tally_design_free(d);
        *dout = NULL;
        *fout = NULL;
        return st;
    }
    *dout = d;
    *fout = f;
    return TALLY_OK;
}

/* fit_row_fn over the design: the row's regressors and offset. */
static int design_row(void *ctx, size_t row, double *x, double *off)
{
    const tally_design *d = ctx;
    for (size_t j = 0; j < d->p; j++) {
        x[j] = d->x[j * d->n + row];
    }
    *off = d->offset != NULL ? d->offset[row] : 0.0;
    return 0;
}

/* Print the fit (JSON adds fitted[], observed[] and residuals[]) and, with
 * --plot, write the trend picture of the same path. */
static int trend_output(const cli_cmd *c, const tally_fit *f,
                        const tally_design *d, const tally_frame *fr,
                        const char *value, const fit_print_opts *po,
                        plot_opt *plot)
{
    fit_path path;
    memset(&path, 0, sizeof path);
    tally_plot_figure fig = {.kind = TALLY_PLOT_TREND};
    double *mean = NULL, *low = NULL, *high = NULL;
    const double *y = fr->cols[tally_frame_column(fr, value)];
    int need_path = c->format == CLI_JSON || plot_opt_wanted(plot);
    int st = need_path ? fit_path_compute(f, fr->freq, fr->start, d->n,
                                          tally_fit_crit(f), design_row,
                                          (void *)d, &path)
                       : TALLY_OK;
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    int rc = CLI_OK;
    if (plot_opt_wanted(plot)) {
        /* The fitted line and band on the series' axis (NaN where a period
         * was not used). */
        mean = malloc((fr->n ? fr->n : 1) * sizeof *mean);
        low = malloc((fr->n ? fr->n : 1) * sizeof *low);
        high = malloc((fr->n ? fr->n : 1) * sizeof *high);
        if (mean == NULL || low == NULL || high == NULL) {
            rc = cli_fail(TALLY_ERROR(TALLY_ENOMEM, "out of memory"));
        }
        for (size_t i = 0; rc == CLI_OK && i < fr->n; i++) {
            mean[i] = low[i] = high[i] = NAN;
        }
        for (size_t i = 0; rc == CLI_OK && i < path.n; i++) {
            size_t at = (size_t)(path.period[i] - fr->start);
            mean[at] = path.mean[i];
            low[at] = path.conf_low[i];
            high[at] = path.conf_high[i];
        }
        fig.trend.t = (tally_plot_axis){fr->freq, fr->start, fr->n};
        fig.trend.observed = y;
        fig.trend.fitted = mean;
        fig.trend.low = low;
        fig.trend.high = high;
        fig.trend.level = f->options.level;
        fig.trend.ylabel = value;
    }
    cli_out out;
    if (rc == CLI_OK) {
        rc = cli_out_open(c, po->data, &out);
        if (rc == CLI_OK) {
            rc = plot_opt_save(c, plot, &fig);
            if (rc == CLI_OK) {
                rc = fit_print_series(out.fp, c->format, f, po,
                                      need_path ? &path : NULL, y, fr->n,
                                      fr->start);
            }
            int crc = cli_out_close(&out, rc == CLI_OK);
            rc = rc != CLI_OK ? rc : crc;
        }
        rc = plot_opt_finish(c, plot, rc);
    }
    free(mean);
    free(low);
    free(high);
    fit_path_fini(&path);
    return rc;
}

/* One group of --by (by_fn): fit the group's frame and print what
 * `--where COL=VALUE` prints (the JSON with its fitted path). */
static int trend_group(void *ctx, const void *item, const char *where,
                       by_sink *s)
{
    const trend_spec *sp = ctx;
    const tally_frame *fr = item;
    tally_design *d = NULL;
    tally_fit *f = NULL;
    int st = fit_frame(fr, sp, &d, &f);
    if (st != TALLY_OK) {
        return by_fail_status(s, st);
    }
    if (f->n_missing > 0) {
        by_warn(s, "%zu period(s) with a missing value left out",
                f->n_missing);
    }
    fit_print_opts po = *sp->po;
    po.where = where;
    int rc = CLI_OK;
    if (s->format == CLI_JSON) {
        fit_path path;
        memset(&path, 0, sizeof path);
        st = fit_path_compute(f, fr->freq, fr->start, d->n, tally_fit_crit(f),
                              design_row, (void *)d, &path);
        if (st != TALLY_OK) {
            rc = by_fail_status(s, st);
        } else {
            s->json = fit_print_json(f, &po);
            if (s->json != NULL) {
                fit_path_json(s->json, f, &path,
                              fr->cols[tally_frame_column(fr, sp->value)],
                              fr->n, fr->start);
            }
        }
        fit_path_fini(&path);
    } else if (s->format == CLI_CSV) {
        fit_print_csv(s->out, f, &po);
    } else {
        fit_print_table(s->out, f, &po);
    }
    tally_fit_free(f);
    tally_design_free(d);
    return rc;
}

int cmd_trend(int argc, char **argv)
{
    cli_cmd c;
    cli_init(&c, "trend",
             "SERIES.csv --value COL [--family F] [--season "
             "none|dummies|fourier:K] [--x COL,...] [--offset COL | "
             "--exposure COL] [--hac LAG|auto | --robust hc0|hc1|hc2|hc3] "
             "[--where COL=VAL | --by COL [--threads N]]",
             "Regression of a series on time (1, 2, ... from the first "
             "period) and season:\nleast squares or a log-link count model "
             "(poisson, quasipoisson, negbin).\nPeriods with a missing value "
             "are left out and counted (n_missing).\nWith --by COL every "
             "group is fitted in parallel, each as --where COL=VALUE\n"
             "prints it, in group order (docs/by.md).",
             "  tally trend monthly.csv --value attacks --family poisson "
             "--season dummies\n"
             "  tally trend monthly.csv --value killed --family negbin "
             "--season fourier:2 --hac auto\n"
             "  tally trend monthly.csv --value attacks --family poisson "
             "--plot trend.gp --render\n",
             opts, CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    tally_fit_options fo;
    tally_fit_options_init(&fo);
    fit_print_opts po;
    fit_print_opts_init(&po, "trend", NULL);
    const char *value = NULL, *xlist = NULL, *offset = NULL, *exposure = NULL,
               *weights = NULL;
    group_opt grp;
    group_opt_init(&grp);
    tally_season_kind season = TALLY_SEASON_NONE;
    int K = 0, have_vcov = 0;
    plot_opt plot;
    plot_opt_init(&plot);
    char *arg;
    int key;
    optind = 1;
    while ((key = cli_next(&c, argc, argv, &arg)) != CLI_END) {
        if (key == CLI_DONE_OK) {
            return CLI_OK;
        }
        if (key == CLI_DONE_USAGE) {
            return CLI_EUSAGE;
        }
        int r = fit_cli_option(&c, key, arg, &fo, &have_vcov);
        if (r < 0) {
            return CLI_EUSAGE;
        }
        if (r == 0) {
            r = plot_opt_parse(&c, key, arg, &plot);
        }
        if (r == 0) {
            r = group_opt_parse(&c, key, arg, &grp);
        }
        if (r < 0) {
            return CLI_EUSAGE;
        }
        if (r > 0) {
            continue;
        }
        switch (key) {
        case KEY_VALUE:
            value = arg;
            break;
        case KEY_SEASON:
            if (!parse_season(arg, &season, &K)) {
                return cli_usage_error(&c,
                                       "--season must be none, dummies or "
                                       "fourier:K (K = 1..6), not '%s'",
                                       arg);
            }
            break;
        case KEY_X:
            xlist = arg;
            break;
        case KEY_OFFSET:
            offset = arg;
            break;
        case KEY_EXPOSURE:
            exposure = arg;
            break;
        case KEY_WEIGHTS:
            weights = arg;
            break;
        case KEY_STARS:
            po.stars = 1;
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    if (optind != argc - 1) {
        return cli_usage_error(&c, "give exactly one SERIES.csv");
    }
    if (value == NULL) {
        return cli_usage_error(&c, "--value COL is required");
    }
    if (offset != NULL && exposure != NULL) {
        return cli_usage_error(&c, "give one of --offset and --exposure");
    }
    /* --where with --by is checked before the plot options (and --plot
     * with --by after them), as it always was. */
    int rc = group_opt_check(&c, &grp, NULL);
    const char *path = argv[optind];
    if (rc == CLI_OK) {
        rc = plot_opt_check(&c, &plot, path);
    }
    if (rc == CLI_OK) {
        rc = group_opt_check(&c, &grp, &plot);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    po.data = path;
    po.where = grp.where;
    trend_spec sp = {value,  xlist, offset, exposure, weights,
                     season, K,     &fo,    path,     &po};
    if (grp.by != NULL) {
        return group_opt_run(&c, &grp, "trend", path, trend_group, &sp);
    }

    rc = group_opt_split(&c, &grp);
    if (rc != CLI_OK) {
        return rc;
    }
    tally_frame_set *set = NULL;
    tally_frame *fr = NULL;
    rc = cli_read_series(path, grp.wcol, grp.wval, &set, &fr);
    if (rc != CLI_OK) {
        group_opt_fini(&grp);
        return rc;
    }
    tally_design *d = NULL;
    tally_fit *f = NULL;
    int st = frame_design(fr, &sp, &d);
    if (st == TALLY_EINVAL) {
        /* A column that is not there: say in which file. */
        const char *msg = tally_last_error();
        rc = strncmp(msg, "no column", 9) == 0
                 ? cli_usage_error(&c, "%s: %s", path, msg)
                 : cli_usage_error(&c, "%s", msg);
        goto done;
    }
    if (st == TALLY_OK) {
        st = tally_fit_model(d, &fo, &f);
    }
    if (st != TALLY_OK) {
        rc = cli_fail_file(path, st);
        goto done;
    }
    if (f->n_missing > 0) {
        cli_warn("%zu period(s) with a missing value left out", f->n_missing);
    }
    rc = trend_output(&c, f, d, fr, value, &po, &plot);
done:
    tally_fit_free(f);
    tally_design_free(d);
    tally_frame_set_free(set);
    group_opt_fini(&grp);
    return rc;
}
