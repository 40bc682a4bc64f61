/* SPDX-License-Identifier: MIT
 *
 * tally regress: a regression on any CSV file (CLI.md).  The response and
 * the regressors are columns of the file; rows with a missing value in a
 * used column are left out and counted (n_missing).  Families, covariances
 * and output as in tally_fit.h and fit_print.h.
 */
#include "cli/cli.h"
#include "cli/cli_file.h"
#include "cli/fit_print.h"

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

int cmd_regress(int argc, char **argv)
{
    cli_cmd c;
    cli_init(&c, "regress",
             "DATA.csv --y COL [--x COL[,COL...]] [--family F] [--offset COL "
             "| --exposure COL] [--weights COL] [--hac LAG|auto | --robust "
             "hc0|hc1|hc2|hc3] [--no-intercept] [--level L] [--stars]",
             "Regression on any CSV file: least squares (gaussian) or a "
             "log-link count model\n(poisson, quasipoisson, negbin) fitted by "
             "IRLS, as R's lm, glm and MASS::glm.nb.\nRows with a missing "
             "value in a used column are left out and counted (n_missing).\n"
             "Tests: t (df_residual) for gaussian and for quasipoisson with "
             "its own covariance,\nz otherwise (also with --robust/--hac, as "
             "lmtest::coeftest on a glm).",
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
    const char *path = argv[optind];
    po.data = path;

    tally_table *t = NULL;
    tally_design *d = NULL;
    tally_fit *f = NULL;
    double *v = NULL;
    int rc = CLI_OK;
    int st = tally_table_read(path, NULL, &t);
    if (st == TALLY_OK && t->nrow == 0) {
        /* As for series files: a file of a header alone is bad input. */
        st = TALLY_ERROR(TALLY_EPARSE, "%s: no data rows after the header",
                         t->path);
        tally_table_free(t);
        t = NULL;
    }
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    d = tally_design_alloc(t->nrow);
    if (d == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto fail;
    }
    /* Messages about one row name its file and line. */
    st = tally_design_set_source(d, t->path, t->line);
    if (st != TALLY_OK) {
        goto fail;
    }
    st = column_values(t, ycol, &v);
    if (st != TALLY_OK) {
        goto usage_fail;
    }
    memcpy(d->y, v, t->nrow * sizeof *v);
    free(v);
    v = NULL;
    free(d->response);
    d->response = malloc(strlen(ycol) + 1);
    if (d->response == NULL) {
        st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        goto fail;
    }
    memcpy(d->response, ycol, strlen(ycol) + 1);
    if (!no_icpt && (st = tally_design_add_intercept(d)) != TALLY_OK) {
        goto fail;
    }
    if (xlist != NULL && (st = add_x_columns(d, t, xlist)) != TALLY_OK) {
        goto usage_fail;
    }
    if (offset != NULL || exposure != NULL) {
        const char *col = offset != NULL ? offset : exposure;
        st = column_values(t, col, &v);
        if (st != TALLY_OK) {
            goto usage_fail;
        }
        st = tally_design_set_offset(d, col, v, exposure != NULL);
        free(v);
        v = NULL;
        if (st != TALLY_OK) {
            goto fail;
        }
    }
    if (weights != NULL) {
        st = column_values(t, weights, &v);
        if (st != TALLY_OK) {
            goto usage_fail;
        }
        st = tally_design_set_weights(d, weights, v);
        free(v);
        v = NULL;
        if (st != TALLY_OK) {
            goto fail;
        }
    }
    st = tally_fit_model(d, &fo, &f);
    if (st != TALLY_OK) {
        goto fail;
    }
    if (f->n_missing > 0) {
        cli_warn("%zu row(s) with a missing value left out", f->n_missing);
    }
    cli_out out;
    rc = cli_out_open(&c, path, &out);
    if (rc == CLI_OK) {
        int prc = fit_print(out.fp, c.format, f, &po);
        int crc = cli_out_close(&out, prc == CLI_OK);
        rc = prc != CLI_OK ? prc : crc;
    }
    tally_fit_free(f);
    tally_design_free(d);
    tally_table_free(t);
    return rc;

usage_fail:
    /* A column that does not exist is bad usage, not an analysis failure. */
    if (st == TALLY_EINVAL) {
        rc = cli_usage_error(&c, "%s", tally_last_error());
        free(v);
        tally_design_free(d);
        tally_table_free(t);
        return rc;
    }
fail:
    rc = cli_fail_file(path, st);
    free(v);
    tally_fit_free(f);
    tally_design_free(d);
    tally_table_free(t);
    return rc;
}
