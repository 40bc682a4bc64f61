/* SPDX-License-Identifier: MIT
 *
 * tally trend: regression of a series on time (and season), CLI.md.  The
 * design is intercept, time (1..n over the whole frame), season terms
 * (dummies month2..month12 / quarter2..quarter4, or Fourier pairs) and any
 * extra regressors given with --x; periods with a missing value are left
 * out and counted, without shifting `time`.
 *
 * With --by COL every group of a grouped series file is fitted, the fits
 * running in parallel on all cores (a pool of POSIX threads taking the
 * groups in turn).  Each fit is computed alone from its own frame and
 * kept; printing waits for all of them and goes in group order, so the
 * output is the same bytes whatever the number of threads (tested against
 * --threads 1).  A group that cannot be fitted is reported on stderr and
 * in the output, and sets the exit status; the others are still fitted.
 */
#include "cli/cli.h"
#include "cli/cli_file.h"
#include "cli/fit_print.h"
#include "cli/plot_opt.h"

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* At most this many fitting threads. */
#define MAX_THREADS 64

enum {
    KEY_VALUE = CLI_KEY_FIRST_FREE,
    KEY_SEASON,
    KEY_X,
    KEY_OFFSET,
    KEY_EXPOSURE,
    KEY_WEIGHTS,
    KEY_WHERE,
    KEY_BY,
    KEY_THREADS,
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
    {"where", KEY_WHERE, 1, "COL=VAL", "the group to model in a grouped file"},
    {"by", KEY_BY, 1, "COL",
     "fit every group of column COL (in parallel; output in group order)"},
    {"threads", KEY_THREADS, 1, "N",
     "threads for --by (default: one per core); the output is the same"},
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
} trend_spec;

/* Build the design of a frame and fit it.  On failure *d and *f are freed
 * and NULL, and the status is returned (its message is the thread's last
 * error). */
static int fit_frame(const tally_frame *fr, const trend_spec *sp,
                     tally_design **dout, tally_fit **fout)
{
    tally_design *d = NULL;
    tally_fit *f = NULL;
    int st = tally_design_from_frame(fr, sp->value, &d);
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

/* One group's fit (or why there is none). */
typedef struct {
    const tally_frame *frame; /* the group's series (borrowed) */
    tally_design *d;          /* its design, NULL on failure */
    tally_fit *f;             /* its fit, NULL on failure */
    int status;               /* TALLY_OK or the failure */
    char *error;              /* the failure's message */
    char *where;              /* "COL=VALUE", for the printed header */
} group_fit;

/* The work shared by the fitting threads: the next group to take. */
typedef struct {
    group_fit *g;         /* ngroup results */
    size_t ngroup;        /* groups */
    const trend_spec *sp; /* what to fit */
    atomic_size_t next;   /* the next group not yet taken */
} fit_pool;

static void fit_group(group_fit *g, const trend_spec *sp)
{
    g->status = fit_frame(g->frame, sp, &g->d, &g->f);
    if (g->status != TALLY_OK) {
        /* The message is this thread's: keep a copy. */
        g->error = strdup(tally_last_error());
    }
}

static void *fit_worker(void *arg)
{
    fit_pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->ngroup) {
            return NULL;
        }
        fit_group(&p->g[i], p->sp);
    }
}

/* Fit every group with nthreads threads (the caller is one of them). */
static void fit_all(group_fit *g, size_t n, const trend_spec *sp,
                    size_t nthreads)
{
    fit_pool p = {g, n, sp, 0};
    atomic_init(&p.next, 0);
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    if (nthreads > n) {
        nthreads = n;
    }
    while (started + 1 < nthreads &&
           pthread_create(&th[started], NULL, fit_worker, &p) == 0) {
        started++;
    }
    fit_worker(&p);
    for (size_t i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
    }
}

/* Write one CSV field, quoted when it holds a comma, quote or line end. */
static void csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', fp);
        }
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* The fits of every group: tables one after the other under a "== COL =
 * VALUE ==" line, one CSV with the group as first column, or one JSON
 * document with a "groups" array. */
static int print_groups(FILE *fp, cli_format format, const group_fit *g,
                        size_t n, const char *by, const fit_print_opts *base)
{
    if (format == CLI_JSON) {
        json_t *root = json_object();
        json_object_set_new(root, "command", json_string("trend"));
        json_object_set_new(root, "by", json_string(by));
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *o = json_object();
            json_object_set_new(
                o, "group",
                json_string(g[i].frame->group ? g[i].frame->group : ""));
            if (g[i].f != NULL) {
                fit_print_opts po = *base;
                po.where = g[i].where;
                json_t *fj = fit_print_json(g[i].f, &po);
                if (fj == NULL) {
                    json_decref(o);
                    json_decref(arr);
                    json_decref(root);
                    fputs("tally: out of memory\n", stderr);
                    return CLI_EIO;
                }
                json_object_update(o, fj);
                json_decref(fj);
            } else {
                json_object_set_new(o, "error", json_string(g[i].error));
            }
            json_array_append_new(arr, o);
        }
        json_object_set_new(root, "groups", arr);
        return cli_json_print(fp, root);
    }
    int header = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = g[i].frame->group ? g[i].frame->group : "";
        fit_print_opts po = *base;
        po.where = g[i].where;
        if (format == CLI_TABLE) {
            fprintf(fp, "%s== %s = %s ==\n", i > 0 ? "\n" : "", by, name);
            if (g[i].f == NULL) {
                fprintf(fp, "Error: %s\n", g[i].error);
            } else {
                fit_print_table(fp, g[i].f, &po);
            }
            continue;
        }
        if (g[i].f == NULL) {
            continue;
        }
        /* CSV: the group's coefficient table, each line after the
         * header (written once) prefixed with the group. */
        char *text = NULL;
        size_t size = 0;
        FILE *mem = open_memstream(&text, &size);
        if (mem == NULL) {
            fputs("tally: out of memory\n", stderr);
            return CLI_EIO;
        }
        fit_print_csv(mem, g[i].f, &po);
        fclose(mem);
        char *line = text;
        int first = 1;
        while (line != NULL && *line != '\0') {
            char *nl = strchr(line, '\n');
            size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
            if (first) {
                if (!header) {
                    csv_field(fp, by);
                    fprintf(fp, ",%.*s\n", (int)len, line);
                    header = 1;
                }
                first = 0;
            } else {
                csv_field(fp, name);
                fprintf(fp, ",%.*s\n", (int)len, line);
            }
            line = nl != NULL ? nl + 1 : NULL;
        }
        free(text);
    }
    return CLI_OK;
}

/* trend --by: read every group, fit them all, print in group order. */
static int trend_by(cli_cmd *c, const char *path, const char *by,
                    const trend_spec *sp, const fit_print_opts *po,
                    size_t nthreads)
{
    tally_series_options so;
    tally_series_options_init(&so);
    so.group_col = by;
    tally_frame_set *set = NULL;
    int st = tally_series_read(path, &so, &set);
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    if (set->group_col == NULL) {
        fprintf(stderr, "tally: %s has no group column '%s'\n", path, by);
        tally_frame_set_free(set);
        return CLI_EUSAGE;
    }
    size_t n = set->nframes;
    group_fit *g = calloc(n ? n : 1, sizeof *g);
    if (g == NULL) {
        tally_frame_set_free(set);
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    int rc = CLI_OK;
    for (size_t i = 0; i < n && rc == CLI_OK; i++) {
        const char *name = set->frames[i]->group ? set->frames[i]->group : "";
        size_t len = strlen(by) + strlen(name) + 2;
        g[i].frame = set->frames[i];
        g[i].where = malloc(len);
        if (g[i].where == NULL) {
            fputs("tally: out of memory\n", stderr);
            rc = CLI_EIO;
            break;
        }
        snprintf(g[i].where, len, "%s=%s", by, name);
    }
    if (rc == CLI_OK) {
        /* The model code turns GSL's abort-on-error handler off around
         * its calls and puts back what it found; threads doing that at
         * once could put the abort back while another is inside GSL.
         * With the handler off for the whole parallel section, every
         * thread finds and restores "off". */
        gsl_error_handler_t *old_handler = gsl_set_error_handler_off();
        fit_all(g, n, sp, nthreads);
        gsl_set_error_handler(old_handler);
        /* Reports in group order, after all fits. */
        for (size_t i = 0; i < n; i++) {
            const char *name = g[i].frame->group ? g[i].frame->group : "";
            if (g[i].f == NULL) {
                cli_warn("%s = %s: %s", by, name, g[i].error);
                int code = tally_exit_code(g[i].status);
                rc = code > rc ? code : rc;
            } else if (g[i].f->n_missing > 0) {
                cli_warn("%s = %s: %zu period(s) with a missing value left "
                         "out",
                         by, name, g[i].f->n_missing);
            }
        }
        cli_out out;
        int orc = cli_out_open(c, path, &out);
        if (orc == CLI_OK) {
            int prc = print_groups(out.fp, c->format, g, n, by, po);
            int crc = cli_out_close(&out, prc == CLI_OK);
            orc = prc != CLI_OK ? prc : crc;
        }
        if (orc != CLI_OK) {
            rc = orc;
        }
    }
    for (size_t i = 0; i < n; i++) {
        tally_fit_free(g[i].f);
        tally_design_free(g[i].d);
        free(g[i].error);
        free(g[i].where);
    }
    free(g);
    tally_frame_set_free(set);
    return rc;
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
             "are left out and counted (n_missing).",
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
               *weights = NULL, *where = NULL, *by = NULL;
    long nthreads = 0;
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
        case KEY_WHERE:
            where = arg;
            break;
        case KEY_BY:
            by = arg;
            break;
        case KEY_THREADS:
            if (!cli_parse_long(arg, 1, MAX_THREADS, &nthreads)) {
                return cli_usage_error(&c,
                                       "--threads must be a whole number "
                                       "from 1 to %d, not '%s'",
                                       MAX_THREADS, arg);
            }
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
    if (where != NULL && by != NULL) {
        return cli_usage_error(&c, "give --where or --by, not both");
    }
    const char *path = argv[optind];
    int prc = plot_opt_check(&c, &plot, path);
    if (prc != CLI_OK) {
        return prc;
    }
    po.data = path;
    po.where = where;
    if (by != NULL) {
        trend_spec sp = {value,  xlist, offset, exposure, weights,
                         season, K,     &fo,    path};
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        size_t n =
            nthreads > 0 ? (size_t)nthreads : (cores > 0 ? (size_t)cores : 1);
        return trend_by(&c, path, by, &sp, &po,
                        n > MAX_THREADS ? MAX_THREADS : n);
    }

    char *wcol = NULL, *wval = NULL;
    if (where != NULL && !cli_split_where(where, &wcol, &wval)) {
        return cli_usage_error(&c, "--where needs COL=VALUE, not '%s'", where);
    }
    tally_frame_set *set = NULL;
    tally_frame *fr = NULL;
    int rc = cli_read_series(path, wcol, wval, &set, &fr);
    if (rc != CLI_OK) {
        free(wcol);
        return rc;
    }
    tally_design *d = NULL;
    tally_fit *f = NULL;
    int st = tally_design_from_frame(fr, value, &d);
    if (st == TALLY_OK) {
        /* Messages about one period name the file too. */
        st = tally_design_set_source(d, path, NULL);
    }
    if (st == TALLY_OK) {
        st = tally_design_add_intercept(d);
    }
    if (st == TALLY_OK) {
        st = tally_design_add_time(d);
    }
    if (st == TALLY_OK && season != TALLY_SEASON_NONE) {
        st = tally_design_add_season(d, season, K);
    }
    if (st == TALLY_OK && xlist != NULL) {
        st = add_x_columns(d, fr, xlist);
    }
    if (st == TALLY_OK && (offset != NULL || exposure != NULL)) {
        const char *col = offset != NULL ? offset : exposure;
        long j = tally_frame_column(fr, col);
        if (j < 0) {
            st = TALLY_ERROR(TALLY_EINVAL, "no column '%s' in the series", col);
        } else {
            st = tally_design_set_offset(d, col, fr->cols[j], exposure != NULL);
        }
    }
    if (st == TALLY_OK && weights != NULL) {
        long j = tally_frame_column(fr, weights);
        if (j < 0) {
            st = TALLY_ERROR(TALLY_EINVAL, "no column '%s' in the series",
                             weights);
        } else {
            st = tally_design_set_weights(d, weights, fr->cols[j]);
        }
    }
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
    free(wcol);
    return rc;
}
