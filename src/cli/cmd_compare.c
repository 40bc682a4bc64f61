/* SPDX-License-Identifier: MIT
 *
 * tally compare: two windows of one series, "after" against "before":
 * totals, means, percent change, the exact Poisson rate ratio, quasi-Poisson
 * and negative binomial ratios (robust to overdispersion), Welch's t and the
 * Mann-Whitney test.  The statistics live in src/stats/compare.c; this file
 * parses options and prints (table, csv or json).
 */
#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/group_opt.h"
#include "cli/plot_opt.h"
#include "tally/tally_compare.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_VALUE = CLI_KEY_FIRST_FREE, KEY_BEFORE, KEY_AFTER, KEY_LEVEL };

static const cli_opt opts[] = {
    {"value", KEY_VALUE, 1, "COL", "the variable to compare (required)"},
    {"before", KEY_BEFORE, 1, "P1:P2",
     "the reference window, inclusive (e.g. 2021-08:2022-10) (required)"},
    {"after", KEY_AFTER, 1, "P3:P4",
     "the window compared with it; ratios are after/before (required)"},
    GROUP_OPTS("select one group of a grouped file"),
    {"level", KEY_LEVEL, 1, "PCT", "confidence level in percent (default 95)"},
    PLOT_OPTS,
    {0}};

static const char description[] =
    "Compare two windows of a series (\"after\" against \"before\"): number "
    "of\n"
    "periods, total, mean per period and percent change of the mean; the rate\n"
    "ratio with its exact interval and p-value (R's poisson.test: conditional\n"
    "binomial test, Clopper-Pearson interval); a quasi-Poisson ratio\n"
    "(glm(y ~ after, quasipoisson): robust to overdispersion, t test with n-2\n"
    "df); a negative binomial ratio (glm.nb, theta by maximum likelihood);\n"
    "Welch's t test of the difference of means; and the Mann-Whitney test\n"
    "(wilcox.test: exact when both windows have fewer than 50 values and no\n"
    "ties, else normal with tie and continuity corrections).  Windows may\n"
    "differ in length but not overlap, and must lie inside the series.\n"
    "Missing values in a window are left out, counted and reported.  With\n"
    "--by COL every group of a grouped file is compared in parallel, each as\n"
    "--where COL=VALUE prints it, in group order (docs/by.md).";

static const char examples[] =
    "  tally compare monthly.csv --value attacks --before 2021-12:2022-10 \\\n"
    "      --after 2022-12:2023-10\n"
    "  tally compare seatbelts.csv --value DriversKilled --before "
    "1981-02:1983-01 \\\n"
    "      --after 1983-02:1984-12 --format json\n"
    "  tally compare monthly.csv --value attacks --before 2021-12:2022-10 \\\n"
    "      --after 2022-12:2023-10 --plot compare.gp --render\n";

/* Parse "P1:P2" (or a single "P", meaning P:P) of the frame's frequency. */
static int parse_window(by_sink *k, const char *opt, const char *s,
                        tally_freq freq, tally_period *from, tally_period *to)
{
    char buf[64];
    size_t len = strlen(s);
    if (len == 0 || len >= sizeof buf) {
        return by_fail(k, CLI_EUSAGE, "%s: expected P1:P2, got '%s'", opt, s);
    }
    memcpy(buf, s, len + 1);
    char *colon = strchr(buf, ':');
    const char *second = buf;
    if (colon != NULL) {
        *colon = '\0';
        second = colon + 1;
    }
    tally_freq f1 = freq, f2 = freq;
    if (tally_period_parse(buf, &f1, from) != TALLY_OK ||
        tally_period_parse(second, &f2, to) != TALLY_OK) {
        return by_fail(k, CLI_EUSAGE,
                       "%s: '%s' is not a range of %s periods P1:P2 (%s)", opt,
                       s, tally_freq_name(freq), tally_last_error());
    }
    return CLI_OK;
}

/* Warn about missing values left out of a window, naming their periods. */
static void warn_missing(by_sink *sink, const tally_frame *f, const double *y,
                         const tally_compare_window *w, const char *name)
{
    if (w->n_missing == 0) {
        return;
    }
    char list[256] = "";
    size_t used = 0, shown = 0;
    for (tally_period p = w->from; p <= w->to; p++) {
        if (!isnan(y[p - f->start])) {
            continue;
        }
        if (shown == 8) {
            snprintf(list + used, sizeof list - used, ", ...");
            break;
        }
        char b[TALLY_PERIOD_BUFSIZE];
        int k =
            snprintf(list + used, sizeof list - used, "%s%s", shown ? ", " : "",
                     tally_period_format(f->freq, p, b, sizeof b));
        if (k > 0 && (size_t)k < sizeof list - used) {
            used += (size_t)k;
        }
        shown++;
    }
    by_warn(sink,
            "%zu missing value%s in the %s window left out (%s); it counts "
            "%zu periods with a value",
            w->n_missing, w->n_missing == 1 ? "" : "s", name, list, w->n);
}

/* A number for the table: NA, Inf, -Inf or %.*g. */
static const char *num(char *buf, size_t n, double v, int digits)
{
    if (isnan(v)) {
        snprintf(buf, n, "NA");
    } else if (isinf(v)) {
        snprintf(buf, n, v > 0 ? "Inf" : "-Inf");
    } else {
        snprintf(buf, n, "%.*g", digits, v);
    }
    return buf;
}

/* Columns a test does not have (no df for a z test, no estimate for the
 * rank test) print as "-"; NA is kept for values undefined on the data. */
enum { HAS_EST = 1, HAS_DF = 2 };

static void print_row(FILE *fp, const char *label, int has, double est,
                      double lo, double hi, double stat, double df, double p)
{
    char b[6][32];
    fprintf(fp, "%-26s %11s %11s %11s %10s %8s %11s\n", label,
            has & HAS_EST ? num(b[0], 32, est, 6) : "-",
            has & HAS_EST ? num(b[1], 32, lo, 6) : "-",
            has & HAS_EST ? num(b[2], 32, hi, 6) : "-", num(b[3], 32, stat, 5),
            has & HAS_DF ? num(b[4], 32, df, 5) : "-", num(b[5], 32, p, 4));
}

static void print_table(FILE *fp, const char *value,
                        const tally_compare_result *r)
{
    char b[8][32];
    const tally_compare_window *w[2] = {&r->before, &r->after};
    const char *names[2] = {"before", "after"};
    fprintf(fp, "Compare %s: after against before (ratios after/before)\n\n",
            value);
    fprintf(fp, "%-8s %-8s %-8s %6s %8s %12s %12s %12s\n", "window", "from",
            "to", "n", "missing", "total", "mean", "sd");
    for (int i = 0; i < 2; i++) {
        fprintf(fp, "%-8s %-8s %-8s %6zu %8zu %12s %12s %12s\n", names[i],
                tally_period_format(r->freq, w[i]->from, b[0], 32),
                tally_period_format(r->freq, w[i]->to, b[1], 32), w[i]->n,
                w[i]->n_missing, num(b[2], 32, w[i]->total, 10),
                num(b[3], 32, w[i]->mean, 7), num(b[4], 32, w[i]->sd, 6));
    }
    fprintf(fp, "\nPercent change of the mean: %s%%\n\n",
            num(b[5], 32, r->percent_change, 5));
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%g%% low", 100.0 * r->level);
    snprintf(hi, sizeof hi, "%g%% high", 100.0 * r->level);
    fprintf(fp, "%-26s %11s %11s %11s %10s %8s %11s\n", "test", "estimate", lo,
            hi, "statistic", "df", "p-value");
    const tally_compare_ratio *q = &r->rate_ratio;
    print_row(fp, "rate ratio (exact)", HAS_EST, q->estimate, q->conf_low,
              q->conf_high, q->statistic, NAN, q->p_value);
    q = &r->quasipoisson;
    print_row(fp, "quasi-Poisson ratio", HAS_EST | HAS_DF, q->estimate,
              q->conf_low, q->conf_high, q->statistic, q->df, q->p_value);
    q = &r->negbin;
    print_row(fp, "negative binomial ratio", HAS_EST, q->estimate, q->conf_low,
              q->conf_high, q->statistic, NAN, q->p_value);
    const tally_compare_welch *t = &r->welch;
    print_row(fp, "Welch difference of means", HAS_EST | HAS_DF, t->estimate,
              t->conf_low, t->conf_high, t->statistic, t->df, t->p_value);
    print_row(fp, "Mann-Whitney W", 0, NAN, NAN, NAN, r->mann_whitney.statistic,
              NAN, r->mann_whitney.p_value);
    fprintf(fp, "\nrate ratio: poisson.test (conditional binomial, "
                "Clopper-Pearson); statistic = total after\n");
    fprintf(fp, "quasi-Poisson: glm(y ~ after), t test, dispersion %s\n",
            num(b[6], 32, r->qp_dispersion, 5));
    fprintf(fp, "negative binomial: glm.nb(y ~ after), z test, theta %s\n",
            num(b[7], 32, r->nb_theta, 5));
    fprintf(fp, "Mann-Whitney: %s\n",
            r->mann_whitney.exact
                ? "exact distribution (no ties, both windows < 50)"
                : "normal approximation, tie-corrected, continuity 0.5");
    if (r->notes[0]) {
        fprintf(fp, "Note: %s\n", r->notes);
    }
}


static void csv_row(FILE *fp, const char *m, double est, double lo, double hi,
                    double stat, double df, double p)
{
    fputs(m, fp);
    cli_csv_num(fp, est);
    cli_csv_num(fp, lo);
    cli_csv_num(fp, hi);
    cli_csv_num(fp, stat);
    cli_csv_num(fp, df);
    cli_csv_num(fp, p);
    fputc('\n', fp);
}

static void print_csv(FILE *fp, const tally_compare_result *r)
{
    fputs("measure,estimate,conf_low,conf_high,statistic,df,p_value\n", fp);
    csv_row(fp, "before_n", (double)r->before.n, NAN, NAN, NAN, NAN, NAN);
    csv_row(fp, "before_total", r->before.total, NAN, NAN, NAN, NAN, NAN);
    csv_row(fp, "before_mean", r->before.mean, NAN, NAN, NAN, NAN, NAN);
    csv_row(fp, "after_n", (double)r->after.n, NAN, NAN, NAN, NAN, NAN);
    csv_row(fp, "after_total", r->after.total, NAN, NAN, NAN, NAN, NAN);
    csv_row(fp, "after_mean", r->after.mean, NAN, NAN, NAN, NAN, NAN);
    csv_row(fp, "percent_change", r->percent_change, NAN, NAN, NAN, NAN, NAN);
    const tally_compare_ratio *q = &r->rate_ratio;
    csv_row(fp, "rate_ratio", q->estimate, q->conf_low, q->conf_high,
            q->statistic, NAN, q->p_value);
    q = &r->quasipoisson;
    csv_row(fp, "quasipoisson", q->estimate, q->conf_low, q->conf_high,
            q->statistic, q->df, q->p_value);
    csv_row(fp, "quasipoisson_dispersion", r->qp_dispersion, NAN, NAN, NAN, NAN,
            NAN);
    q = &r->negbin;
    csv_row(fp, "negbin", q->estimate, q->conf_low, q->conf_high, q->statistic,
            NAN, q->p_value);
    csv_row(fp, "negbin_theta", r->nb_theta, NAN, NAN, NAN, NAN, NAN);
    const tally_compare_welch *t = &r->welch;
    csv_row(fp, "welch", t->estimate, t->conf_low, t->conf_high, t->statistic,
            t->df, t->p_value);
    csv_row(fp, "mann_whitney", NAN, NAN, NAN, r->mann_whitney.statistic, NAN,
            r->mann_whitney.p_value);
}

static json_t *json_window(const tally_compare_window *w, tally_freq freq)
{
    json_t *o = json_object();
    json_object_set_new(o, "from", cli_json_period(freq, w->from));
    json_object_set_new(o, "to", cli_json_period(freq, w->to));
    json_object_set_new(o, "n", json_integer((json_int_t)w->n));
    json_object_set_new(o, "n_missing", json_integer((json_int_t)w->n_missing));
    json_object_set_new(o, "total", cli_json_num(w->total));
    json_object_set_new(o, "mean", cli_json_num(w->mean));
    json_object_set_new(o, "sd", cli_json_num(w->sd));
    return o;
}

static json_t *json_ratio(const tally_compare_ratio *q)
{
    json_t *o = json_object();
    json_object_set_new(o, "estimate", cli_json_num(q->estimate));
    json_object_set_new(o, "conf_low", cli_json_num(q->conf_low));
    json_object_set_new(o, "conf_high", cli_json_num(q->conf_high));
    json_object_set_new(o, "statistic", cli_json_num(q->statistic));
    json_object_set_new(o, "p_value", cli_json_num(q->p_value));
    return o;
}

static json_t *build_json(const char *value, const tally_compare_result *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "command", json_string("compare"));
    json_object_set_new(root, "value", json_string(value));
    json_object_set_new(root, "level", cli_json_num(100.0 * r->level));
    json_object_set_new(root, "before", json_window(&r->before, r->freq));
    json_object_set_new(root, "after", json_window(&r->after, r->freq));
    json_object_set_new(root, "percent_change",
                        cli_json_num(r->percent_change));
    json_t *rr = json_ratio(&r->rate_ratio);
    json_object_set_new(
        rr, "method",
        json_string(
            "poisson.test: conditional binomial, Clopper-Pearson interval"));
    json_object_set_new(root, "rate_ratio", rr);
    json_t *qp = json_ratio(&r->quasipoisson);
    json_object_set_new(qp, "df", cli_json_num(r->quasipoisson.df));
    json_object_set_new(qp, "dispersion", cli_json_num(r->qp_dispersion));
    json_object_set_new(root, "quasipoisson", qp);
    json_t *nb = json_ratio(&r->negbin);
    json_object_set_new(nb, "theta", cli_json_num(r->nb_theta));
    json_object_set_new(root, "negbin", nb);
    const tally_compare_welch *t = &r->welch;
    json_t *w = json_object();
    json_object_set_new(w, "estimate", cli_json_num(t->estimate));
    json_object_set_new(w, "statistic", cli_json_num(t->statistic));
    json_object_set_new(w, "df", cli_json_num(t->df));
    json_object_set_new(w, "p_value", cli_json_num(t->p_value));
    json_object_set_new(w, "conf_low", cli_json_num(t->conf_low));
    json_object_set_new(w, "conf_high", cli_json_num(t->conf_high));
    json_object_set_new(root, "welch", w);
    json_t *m = json_object();
    json_object_set_new(m, "statistic",
                        cli_json_num(r->mann_whitney.statistic));
    json_object_set_new(m, "p_value", cli_json_num(r->mann_whitney.p_value));
    json_object_set_new(m, "exact", json_boolean(r->mann_whitney.exact));
    json_object_set_new(root, "mann_whitney", m);
    json_object_set_new(root, "notes", json_string(r->notes));
    return root;
}

/* What to compare, as the options say; the same for every group. */
typedef struct {
    const char *value, *before, *after;
    double level;
    const char *path;
} cmp_ctx;

/* The windows of x on frame f, the comparison into *r and its warnings.
 * Returns an exit code (the message given to k). */
static int cmp_compute(const cmp_ctx *x, const tally_frame *f, by_sink *k,
                       long *colp, tally_compare_result *r)
{
    tally_period bf, bt, af, at;
    long col = tally_frame_column(f, x->value);
    if (col < 0) {
        if (by_grouped(k)) {
            return by_fail(k, CLI_EUSAGE, "no column '%s'", x->value);
        }
        fprintf(stderr, "tally: %s: no column '%s'\n", x->path, x->value);
        return CLI_EUSAGE;
    }
    int rc = parse_window(k, "--before", x->before, f->freq, &bf, &bt);
    if (rc == CLI_OK) {
        rc = parse_window(k, "--after", x->after, f->freq, &af, &at);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    int st = tally_compare_frame(f, (size_t)col, bf, bt, af, at, x->level, r);
    if (st != TALLY_OK) {
        if (by_grouped(k)) {
            return by_fail_status(k, st);
        }
        fprintf(stderr, "tally: %s: %s\n", x->path, tally_last_error());
        return tally_exit_code(st);
    }
    warn_missing(k, f, f->cols[col], &r->before, "before");
    warn_missing(k, f, f->cols[col], &r->after, "after");
    *colp = col;
    return CLI_OK;
}

/* Print r in the sink's format (JSON: into k->json). */
static void cmp_render(by_sink *k, const char *value,
                       const tally_compare_result *r)
{
    if (k->format == CLI_JSON) {
        k->json = build_json(value, r);
    } else if (k->format == CLI_CSV) {
        print_csv(k->out, r);
        if (r->notes[0]) {
            by_warn(k, "%s", r->notes);
        }
    } else {
        print_table(k->out, value, r);
    }
}

/* One group of --by (by_fn): what `--where COL=VALUE` prints. */
static int cmp_group(void *ctx, const void *item, const char *where,
                     by_sink *k)
{
    (void)where;
    const cmp_ctx *x = ctx;
    tally_compare_result r;
    long col = -1;
    int rc = cmp_compute(x, item, k, &col, &r);
    if (rc == CLI_OK) {
        cmp_render(k, x->value, &r);
    }
    return rc;
}

int cmd_compare(int argc, char **argv)
{
    cli_cmd c;
    cli_init(&c, "compare",
             "SERIES.csv --value COL --before P1:P2 "
             "--after P3:P4 [OPTIONS]",
             description, examples, opts,
             CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    const char *value = NULL, *before = NULL, *after = NULL;
    group_opt grp;
    group_opt_init(&grp);
    double level = 0.95;
    plot_opt plot;
    plot_opt_init(&plot);
    char *arg;
    int key;
    while ((key = cli_next(&c, argc, argv, &arg)) != CLI_END) {
        int pr = plot_opt_parse(&c, key, arg, &plot);
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
        case KEY_VALUE:
            value = arg;
            break;
        case KEY_BEFORE:
            before = arg;
            break;
        case KEY_AFTER:
            after = arg;
            break;
        case KEY_LEVEL:
            if (!cli_parse_double(arg, &level) || !(level > 0 && level < 100)) {
                return cli_usage_error(&c,
                                       "--level must be a percentage "
                                       "between 0 and 100, not '%s'",
                                       arg);
            }
            level /= 100.0;
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    if (optind != argc - 1) {
        return cli_usage_error(&c, "expected one series file");
    }
    if (value == NULL || before == NULL || after == NULL) {
        return cli_usage_error(&c, "--value, --before and --after are "
                                   "required");
    }
    const char *path = argv[optind];
    int rc = group_opt_check_all(&c, &grp, &plot, path);
    if (rc != CLI_OK) {
        return rc;
    }
    cmp_ctx x = {value, before, after, level, path};
    if (grp.by != NULL) {
        return group_opt_run(&c, &grp, "compare", path, cmp_group, &x);
    }
    tally_frame_set *set = NULL;
    tally_frame *f = NULL;
    by_sink one;
    rc = group_opt_read(&c, &grp, path, &set, &f, &one);
    if (rc != CLI_OK) {
        return rc;
    }
    tally_compare_result r;
    long col = -1;
    rc = cmp_compute(&x, f, &one, &col, &r);
    if (rc == CLI_OK) {
        /* The picture: the series with both windows and their means. */
        tally_plot_figure fig = {.kind = TALLY_PLOT_COMPARE};
        fig.compare.t = (tally_plot_axis){f->freq, f->start, f->n};
        fig.compare.y = f->cols[col];
        fig.compare.before_from = r.before.from;
        fig.compare.before_to = r.before.to;
        fig.compare.after_from = r.after.from;
        fig.compare.after_to = r.after.to;
        fig.compare.before_mean = isfinite(r.before.mean) ? r.before.mean : NAN;
        fig.compare.after_mean = isfinite(r.after.mean) ? r.after.mean : NAN;
        fig.compare.ylabel = value;
        cli_out o;
        rc = cli_out_open(&c, path, &o);
        if (rc == CLI_OK) {
            rc = plot_opt_save(&c, &plot, &fig);
        }
        if (rc == CLI_OK) {
            one.out = o.fp;
            cmp_render(&one, value, &r);
            if (c.format == CLI_JSON) {
                rc = cli_json_print(o.fp, one.json);
            }
        }
        int rc2 = cli_out_close(&o, rc == CLI_OK);
        rc = plot_opt_finish(&c, &plot, rc != CLI_OK ? rc : rc2);
    }
    tally_frame_set_free(set);
    return rc;
}
