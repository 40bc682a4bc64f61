/* SPDX-License-Identifier: MIT
 *
 * tally regress: a regression on any CSV file (CLI.md).  The response and
 * the regressors are columns of the file; rows with a missing value in a
 * used column are left out and counted (n_missing).  Families, covariances
 * and output as in tally_fit.h and fit_print.h.
 */
#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/fit_print.h"
#include "cli/group_opt.h"

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_status.h"
#include "tally/tally_table.h"

#include <stdlib.h>
#include <string.h>

enum {
    KEY_Y = CLI_KEY_FIRST_FREE,
    KEY_X,
    KEY_OFFSET,
    KEY_EXPOSURE,
    KEY_WEIGHTS,
    KEY_NO_INTERCEPT,
    KEY_STARS
};

static const cli_opt opts[] = {
    {"y", KEY_Y, 1, "COL", "response column (required)"},
    {"x", KEY_X, 1, "COL[,COL...]", "regressor columns (comma-separated)"},
    FIT_OPT_FAMILY,
    {"offset", KEY_OFFSET, 1, "COL",
     "add COL to the linear predictor as it is (e.g. log population)"},
    {"exposure", KEY_EXPOSURE, 1, "COL",
     "add log(COL) to the linear predictor (COL > 0)"},
    {"weights", KEY_WEIGHTS, 1, "COL", "prior weights (>= 0; 0 drops a row)"},
    FIT_OPT_HAC,
    FIT_OPT_ROBUST,
    {"no-intercept", KEY_NO_INTERCEPT, 0, NULL, "fit without the constant"},
    FIT_OPT_LEVEL,
    {"stars", KEY_STARS, 0, NULL, "show significance stars in the table"},
    FIT_OPT_NO_DIAG,
    GROUP_OPTS("fit the rows where column COL is VAL"),
    {0}};

/* Add each comma-separated column of list to the design. */
static int add_x_columns(tally_design *d, const tally_table *t,
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
        double *v = NULL;
        int st = tally_design_table_column(t, name, &v);
        if (st == TALLY_OK) {
            st = tally_design_add_column(d, name, v);
        }
        free(v);
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

/* Read column `name` and hand it to set (offset, exposure or weights). */
static int column_values(const tally_table *t, const char *name,
                         double **out)
{
    return tally_design_table_column(t, name, out);
}

/* What to fit, as the options say; the same for every group. */
typedef struct {
    const char *ycol, *xlist, *offset, *exposure, *weights;
    int no_icpt;
    const tally_fit_options *fo;
    const fit_print_opts *po;
} reg_ctx;

/* Fit the rows of table t (the whole file or one group's rows).  Returns
 * an exit code (a missing column is bad usage; the message given to s). */
static int reg_fit(const reg_ctx *x, const tally_table *t, by_sink *s,
                   tally_design **dout, tally_fit **fout)
{
    tally_design *d = NULL;
    tally_fit *f = NULL;
    double *v = NULL;
    int usage = 0;
    int st = TALLY_OK;
    *dout = NULL;
    *fout = NULL;
    d = tally_design_alloc(t->nrow);
    if (d == NULL) {
        return by_fail_status(s, TALLY_ERROR(TALLY_ENOMEM, "out of memory"));
    }
    /* Messages about one row name its file and line. */
    st = tally_design_set_source(d, t->path, t->line);
    if (st == TALLY_OK) {
        st = column_values(t, x->ycol, &v);
        usage = st == TALLY_EINVAL;
    }
    if (st == TALLY_OK) {
        memcpy(d->y, v, t->nrow * sizeof *v);
        free(v);
        v = NULL;
        free(d->response);
        d->response = malloc(strlen(x->ycol) + 1);
        if (d->response == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        } else {
            memcpy(d->response, x->ycol, strlen(x->ycol) + 1);
        }
    }
    if (st == TALLY_OK && !x->no_icpt) {
        st = tally_design_add_intercept(d);
    }
    if (st == TALLY_OK && x->xlist != NULL) {
        st = add_x_columns(d, t, x->xlist);
        usage = st == TALLY_EINVAL;
    }
    if (st == TALLY_OK && (x->offset != NULL || x->exposure != NULL)) {
        const char *col = x->offset != NULL ? x->offset : x->exposure;
        st = column_values(t, col, &v);
        usage = st == TALLY_EINVAL;
        if (st == TALLY_OK) {
            st = tally_design_set_offset(d, col, v, x->exposure != NULL);
        }
        free(v);
        v = NULL;
    }
    if (st == TALLY_OK && x->weights != NULL) {
        st = column_values(t, x->weights, &v);
        usage = st == TALLY_EINVAL;
        if (st == TALLY_OK) {
            st = tally_design_set_weights(d, x->weights, v);
        }
        free(v);
        v = NULL;
    }
    if (st == TALLY_OK) {
        st = tally_fit_model(d, x->fo, &f);
    }
    if (st != TALLY_OK) {
        free(v);
        tally_design_free(d);
        /* A column that does not exist is bad usage, not an analysis
         * failure. */
        if (usage) {
            return by_fail(s, CLI_EUSAGE, "%s", tally_last_error());
        }
        return by_fail_status(s, st);
    }
    if (f->n_missing > 0) {
        by_warn(s, "%zu row(s) with a missing value left out", f->n_missing);
    }
    *dout = d;
    *fout = f;
    return CLI_OK;
}

/* One series without --by: fit and print to stdout or -o. */
static int reg_print_one(const cli_cmd *c, const reg_ctx *x,
                         const tally_table *t, const char *path)
{
    by_sink one;
    group_opt_sink(&one, c, path);
    tally_design *d = NULL;
    tally_fit *f = NULL;
    int rc = reg_fit(x, t, &one, &d, &f);
    if (rc != CLI_OK) {
        return rc;
    }
    cli_out out;
    rc = cli_out_open(c, path, &out);
    if (rc == CLI_OK) {
        int prc = fit_print(out.fp, c->format, f, x->po);
        int crc = cli_out_close(&out, prc == CLI_OK);
        rc = prc != CLI_OK ? prc : crc;
    }
    tally_fit_free(f);
    tally_design_free(d);
    return rc;
}

/* One group of --by (by_fn): what `--where COL=VALUE` prints. */
static int reg_group(void *ctx, const void *item, const char *where,
                     by_sink *s)
{
    const reg_ctx *x = ctx;
    tally_design *d = NULL;
    tally_fit *f = NULL;
    int rc = reg_fit(x, item, s, &d, &f);
    if (rc != CLI_OK) {
        return rc;
    }
    fit_print_opts po = *x->po;
    po.where = where;
    if (s->format == CLI_JSON) {
        s->json = fit_print_json(f, &po);
    } else if (s->format == CLI_CSV) {
        fit_print_csv(s->out, f, &po);
    } else {
        fit_print_table(s->out, f, &po);
    }
    tally_fit_free(f);
    tally_design_free(d);
    return CLI_OK;
}

/* The rows of a table split by the value of one column: one view per
 * value (sorted bytewise, as the groups of series files), each borrowing
 * the table's cells. */
typedef struct {
    size_t n;           /* groups */
    by_item *items;     /* n groups: name and view */
    tally_table *views; /* n views */
} reg_groups;

static void reg_groups_free(reg_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->views[i].cells);
        free(g->views[i].line);
    }
    free(g->views);
    free(g->items);
}

/* Rows ordered by their group's value, then by row (a stable order). */
static const tally_table *sort_table;
static size_t sort_col;

static int row_cmp(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_table->cells[i][sort_col],
                   sort_table->cells[j][sort_col]);
    return c != 0 ? c : (i > j) - (i < j);
}

static int reg_split(const tally_table *t, size_t col, reg_groups *g)
{
    memset(g, 0, sizeof *g);
    size_t *order = malloc(t->nrow * sizeof *order);
    g->items = calloc(t->nrow, sizeof *g->items);
    g->views = calloc(t->nrow, sizeof *g->views);
    if (order == NULL || g->items == NULL || g->views == NULL) {
        free(order);
        reg_groups_free(g);
        return -1;
    }
    for (size_t i = 0; i < t->nrow; i++) {
        order[i] = i;
    }
    /* qsort has no context argument in C11: the table and column are
     * kept in file statics, set here before any thread starts. */
    sort_table = t;
    sort_col = col;
    qsort(order, t->nrow, sizeof *order, row_cmp);
    for (size_t a = 0; a < t->nrow;) {
        size_t b = a + 1;
        while (b < t->nrow &&
               strcmp(t->cells[order[a]][col], t->cells[order[b]][col]) == 0) {
            b++;
        }
        tally_table *v = &g->views[g->n];
        v->path = t->path;
        v->ncol = t->ncol;
        v->header = t->header;
        v->nrow = b - a;
        v->cells = malloc(v->nrow * sizeof *v->cells);
        v->line = malloc(v->nrow * sizeof *v->line);
        g->items[g->n].name = t->cells[order[a]][col];
        g->items[g->n].item = v;
        g->n++;
        if (v->cells == NULL || v->line == NULL) {
            free(order);
            reg_groups_free(g);
            return -1;
        }
        for (size_t k = a; k < b; k++) {
            v->cells[k - a] = t->cells[order[k]];
            v->line[k - a] = t->line[order[k]];
        }
        a = b;
    }
    free(order);
    return 0;
}

int cmd_regress(int argc, char **argv)
{
    cli_cmd c;
    cli_init(&c, "regress",
             "DATA.csv --y COL [--x COL[,COL...]] [--family F] [--offset COL "
             "| --exposure COL] [--weights COL] [--hac LAG|auto | --robust "
             "hc0|hc1|hc2|hc3] [--no-intercept] [--level L] [--stars] "
             "[--where COL=VAL | --by COL [--threads N]]",
             "Regression on any CSV file: least squares (gaussian) or a "
             "log-link count model\n(poisson, quasipoisson, negbin) fitted by "
             "IRLS, as R's lm, glm and MASS::glm.nb.\nRows with a missing "
             "value in a used column are left out and counted (n_missing).\n"
             "Tests: t (df_residual) for gaussian and for quasipoisson with "
             "its own covariance,\nz otherwise (also with --robust/--hac, as "
             "lmtest::coeftest on a glm).\nWith --by COL the rows of each "
             "value of column COL are fitted in parallel,\neach as --where "
             "COL=VALUE prints it, in group order (docs/by.md).",
             "  tally regress longley.csv --y Employed --x GNP,Population\n"
             "  tally regress counts.csv --y attacks --x year --family negbin "
             "--exposure pop\n",
             opts, CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    tally_fit_options fo;
    tally_fit_options_init(&fo);
    fit_print_opts po;
    fit_print_opts_init(&po, "regress", NULL);
    const char *ycol = NULL, *xlist = NULL, *offset = NULL, *exposure = NULL,
               *weights = NULL;
    group_opt grp;
    group_opt_init(&grp);
    int no_icpt = 0, have_vcov = 0;
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
        case KEY_Y:
            ycol = arg;
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
        case KEY_NO_INTERCEPT:
            no_icpt = 1;
            break;
        case KEY_STARS:
            po.stars = 1;
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    if (optind != argc - 1) {
        return cli_usage_error(&c, "give exactly one DATA.csv");
    }
    if (ycol == NULL) {
        return cli_usage_error(&c, "--y COL is required");
    }
    if (offset != NULL && exposure != NULL) {
        return cli_usage_error(&c, "give one of --offset and --exposure");
    }
    if (no_icpt && xlist == NULL) {
        return cli_usage_error(&c, "--no-intercept needs --x: the model "
                                   "would have no terms");
    }
    int rc = group_opt_check(&c, &grp, NULL);
    if (rc == CLI_OK) {
        rc = group_opt_split(&c, &grp);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    const char *path = argv[optind];
    po.data = path;
    po.where = grp.where;

    tally_table *t = NULL;
    int st = tally_table_read(path, NULL, &t);
    if (st == TALLY_OK && t->nrow == 0) {
        /* As for series files: a file of a header alone is bad input. */
        st = TALLY_ERROR(TALLY_EPARSE, "%s: no data rows after the header",
                         t->path);
        tally_table_free(t);
        t = NULL;
    }
    if (st != TALLY_OK) {
        group_opt_fini(&grp);
        return cli_fail(st);
    }
    reg_ctx x = {ycol, xlist, offset, exposure, weights, no_icpt, &fo, &po};
    const char *gcol = grp.by != NULL ? grp.by : grp.wcol;
    if (gcol == NULL) {
        rc = reg_print_one(&c, &x, t, path);
        tally_table_free(t);
        return rc;
    }
    long gc = tally_table_column(t, gcol);
    if (gc < 0) {
        rc = cli_usage_error(&c, "%s: no column '%s'", path, gcol);
        group_opt_fini(&grp);
        tally_table_free(t);
        return rc;
    }
    reg_groups gs;
    if (reg_split(t, (size_t)gc, &gs) != 0) {
        group_opt_fini(&grp);
        tally_table_free(t);
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    if (grp.by != NULL) {
        by_job job = {
            &c,        "regress", grp.by, path, by_threads(grp.nthreads),
            reg_group, &x};
        rc = by_run(&job, gs.items, gs.n);
    } else {
        size_t i = 0;
        while (i < gs.n && strcmp(gs.items[i].name, grp.wval) != 0) {
            i++;
        }
        if (i == gs.n) {
            rc = cli_usage_error(&c, "%s: no row has %s = '%s'", path, grp.wcol,
                                 grp.wval);
        } else {
            rc = reg_print_one(&c, &x, gs.items[i].item, path);
        }
    }
    reg_groups_free(&gs);
    group_opt_fini(&grp);
    tally_table_free(t);
    return rc;
}
