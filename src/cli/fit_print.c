/* SPDX-License-Identifier: MIT
 *
 * Printing a fitted regression model (fit_print.h): the table laid out
 * like R's summary.lm / summary.glm, the coefficient table as CSV, and the
 * JSON document of CLI.md ("JSON results") with tally's additions.  All
 * numbers are printed in the C locale; JSON numbers go through
 * cli_json_num (17 significant digits, null when not finite).
 */
#include "cli/fit_print.h"

#include "tally/tally_period.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fit_print_opts_init(fit_print_opts *o, const char *command,
                         const char *data)
{
    memset(o, 0, sizeof *o);
    o->command = command;
    o->data = data;
}

static const char *family_title(tally_family f)
{
    switch (f) {
    case TALLY_FAMILY_GAUSSIAN:
        return "Linear regression (least squares)";
    case TALLY_FAMILY_POISSON:
        return "Poisson regression (log link)";
    case TALLY_FAMILY_QUASIPOISSON:
        return "Quasi-Poisson regression (log link)";
    case TALLY_FAMILY_NEGBIN:
        return "Negative binomial (NB2) regression (log link)";
    }
    return "Regression";
}

/* The periods of the first and last used observations (time series). */
static int sample_range(const tally_fit *f, char *from, char *to, size_t sz)
{
    if (f->freq == TALLY_FREQ_NONE || f->n == 0) {
        return 0;
    }
    tally_period_format(f->freq, f->start + (tally_period)f->row[0], from,
                        sz);
    tally_period_format(f->freq, f->start + (tally_period)f->row[f->n - 1],
                        to, sz);
    return 1;
}

static json_t *diag_json(const tally_fit *f)
{
    const tally_fit_diag *g = &f->diag;
    json_t *d = json_object();
    json_object_set_new(d, "residuals",
                        json_string(f->family == TALLY_FAMILY_GAUSSIAN
                                        ? "response"
                                        : "pearson"));
    json_object_set_new(d, "durbin_watson", cli_json_num(g->durbin_watson));
    json_t *lb = json_object();
    json_object_set_new(lb, "statistic", cli_json_num(g->ljung_box));
    json_object_set_new(lb, "lag", json_integer(g->ljung_box_lag));
    json_object_set_new(lb, "p_value", cli_json_num(g->ljung_box_p));
    json_object_set_new(d, "ljung_box", lb);
    if (f->family == TALLY_FAMILY_GAUSSIAN) {
        json_t *bg = json_object();
        json_object_set_new(bg, "statistic",
                            cli_json_num(g->breusch_godfrey));
        json_object_set_new(bg, "order", json_integer(g->bg_order));
        json_object_set_new(bg, "p_value",
                            cli_json_num(g->breusch_godfrey_p));
        json_object_set_new(d, "breusch_godfrey", bg);
    } else {
        json_t *od = json_object();
        json_object_set_new(od, "pearson_chi2",
                            cli_json_num(f->pearson_chi2));
        json_object_set_new(od, "pearson_ratio",
                            cli_json_num(g->pearson_ratio));
        json_object_set_new(od, "pearson_p_value",
                            cli_json_num(g->pearson_p));
        if (f->family != TALLY_FAMILY_NEGBIN) {
            json_object_set_new(od, "cameron_trivedi_dispersion",
                                cli_json_num(g->ct_dispersion));
            json_object_set_new(od, "cameron_trivedi_statistic",
                                cli_json_num(g->ct_statistic));
            json_object_set_new(od, "cameron_trivedi_p_value",
                                cli_json_num(g->ct_p));
        }
        json_object_set_new(d, "overdispersion", od);
    }
    return d;
}

/* Every printer (also when a command calls one directly) tells stderr
 * about a perfect fit, whose tests are printed NA. */
static void warn_perfect_fit(const tally_fit *f)
{
    if (f->perfect_fit) {
        cli_warn("essentially perfect fit: the residuals are 0 to rounding "
                 "(is the response constant, or an exact function of the "
                 "terms?), so the estimates stand but no t or F test exists "
                 "(printed NA)");
    }
}

json_t *fit_print_json(const tally_fit *f, const fit_print_opts *o)
{
    warn_perfect_fit(f);
    json_t *root = json_object();
    if (root == NULL) {
        return NULL;
    }
    json_object_set_new(root, "command", json_string(o->command));
    json_object_set_new(root, "family",
                        json_string(tally_family_name(f->family)));
    json_object_set_new(root, "response", json_string(f->response));
    if (o->where != NULL) {
        json_object_set_new(root, "where", json_string(o->where));
    }
    json_object_set_new(root, "n", json_integer((json_int_t)f->n));
    json_object_set_new(root, "n_missing",
                        json_integer((json_int_t)f->n_missing));
    if (f->n_zero_weight > 0) {
        json_object_set_new(root, "n_zero_weight",
                            json_integer((json_int_t)f->n_zero_weight));
    }
    char from[TALLY_PERIOD_BUFSIZE], to[TALLY_PERIOD_BUFSIZE];
    if (sample_range(f, from, to, sizeof from)) {
        json_object_set_new(root, "from", json_string(from));
        json_object_set_new(root, "to", json_string(to));
    }
    json_object_set_new(root, "df_residual",
                        json_integer((json_int_t)(f->n - f->p)));
    if (f->offset_name != NULL) {
        json_object_set_new(root, "offset", json_string(f->offset_name));
    }
    json_object_set_new(root, "level", cli_json_num(f->options.level));
    json_object_set_new(root, "vcov",
                        json_string(tally_vcov_name(f->options.vcov.type)));
    if (f->options.vcov.type == TALLY_VCOV_HAC) {
        json_object_set_new(root, "hac_lag",
                            json_integer(f->options.vcov.hac_lag));
        json_object_set_new(root, "hac_rule",
                            json_string(f->hac_auto ? FIT_PRINT_HAC_AUTO_RULE
                                                    : "given"));
    }
    json_object_set_new(root, "statistic",
                        json_string(f->t_based ? "t" : "z"));
    json_t *coefs = json_array();
    for (size_t j = 0; j < f->p; j++) {
        json_t *c = json_object();
        json_object_set_new(c, "term", json_string(f->terms[j]));
        json_object_set_new(c, "estimate", cli_json_num(f->estimate[j]));
        json_object_set_new(c, "std_error", cli_json_num(f->std_error[j]));
        json_object_set_new(c, "statistic", cli_json_num(f->statistic[j]));
        json_object_set_new(c, "p_value", cli_json_num(f->p_value[j]));
        json_object_set_new(c, "conf_low", cli_json_num(f->conf_low[j]));
        json_object_set_new(c, "conf_high", cli_json_num(f->conf_high[j]));
        if (f->log_link) {
            /* Rate ratio exp(b) and exp of the interval limits. */
            json_object_set_new(c, "rate_ratio",
                                cli_json_num(exp(f->estimate[j])));
            json_object_set_new(c, "rate_ratio_conf_low",
                                cli_json_num(exp(f->conf_low[j])));
            json_object_set_new(c, "rate_ratio_conf_high",
                                cli_json_num(exp(f->conf_high[j])));
        }
        json_array_append_new(coefs, c);
    }
    json_object_set_new(root, "coefficients", coefs);
    json_object_set_new(root, "loglik", cli_json_num(f->loglik));
    json_object_set_new(root, "aic", cli_json_num(f->aic));
    json_object_set_new(root, "bic", cli_json_num(f->bic));
    json_object_set_new(root, "deviance", cli_json_num(f->deviance));
    json_object_set_new(root, "null_deviance",
                        cli_json_num(f->null_deviance));
    json_object_set_new(root, "dispersion", cli_json_num(f->dispersion));
    json_object_set_new(root, "theta", cli_json_num(f->theta));
    if (f->family == TALLY_FAMILY_NEGBIN) {
        json_object_set_new(root, "theta_std_error",
                            cli_json_num(f->theta_se));
    }
    json_object_set_new(root, "converged", json_boolean(f->converged));
    if (f->family == TALLY_FAMILY_GAUSSIAN) {
        json_object_set_new(root, "perfect_fit",
                            json_boolean(f->perfect_fit));
    }
    json_object_set_new(root, "iterations", json_integer(f->iterations));
    if (f->family == TALLY_FAMILY_GAUSSIAN) {
        json_object_set_new(root, "r_squared", cli_json_num(f->r_squared));
        json_object_set_new(root, "adj_r_squared",
                            cli_json_num(f->adj_r_squared));
        json_object_set_new(root, "sigma", cli_json_num(f->sigma));
        json_object_set_new(root, "f_statistic",
                            cli_json_num(f->f_statistic));
        json_object_set_new(root, "f_df1", cli_json_num(f->f_df1));
        json_object_set_new(root, "f_df2", cli_json_num(f->f_df2));
        json_object_set_new(root, "f_p_value", cli_json_num(f->f_p_value));
    }
    if (f->options.diagnostics) {
        json_object_set_new(root, "diagnostics", diag_json(f));
    }
    return root;
}

/* Format a number for the table: g with `sig` significant digits. */
static void fmt_num(char *buf, size_t sz, double v, int sig)
{
    if (isnan(v)) {
        snprintf(buf, sz, "NA");
    } else if (isinf(v)) {
        snprintf(buf, sz, v > 0 ? "Inf" : "-Inf");
    } else {
        snprintf(buf, sz, "%.*g", sig, v);
    }
}

/* A summary number formatted as fmt ("%.6g", "%.4f": one digit of
 * precision), or NA / Inf /
 * -Inf: the C library spells these "nan", "-nan" or "inf" depending on
 * the platform and the sign bit, which output must not depend on. */
static const char *gnum(char *buf, size_t sz, const char *fmt, double v)
{
    if (isnan(v)) {
        snprintf(buf, sz, "NA");
    } else if (isinf(v)) {
        snprintf(buf, sz, v > 0 ? "Inf" : "-Inf");
    } else {
        /* fmt is "%.Ng" or "%.Nf", N one digit. */
        int prec = fmt[2] - '0';
        if (prec < 0 || prec > 9) {
            prec = 6;
        }
        if (fmt[3] == 'f') {
            snprintf(buf, sz, "%.*f", prec, v);
        } else {
            snprintf(buf, sz, "%.*g", prec, v);
        }
    }
    return buf;
}

/* p-values as R's format.pval: below 2.2e-16 printed as "<2e-16". */
static void fmt_p(char *buf, size_t sz, double p)
{
    if (isnan(p)) {
        snprintf(buf, sz, "NA");
    } else if (p < 2.2e-16) {
        snprintf(buf, sz, "<2e-16");
    } else {
        snprintf(buf, sz, "%.3g", p);
    }
}

static const char *stars_of(double p)
{
    if (isnan(p)) {
        return "";
    }
    return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*"
                               : p < 0.1 ? "." : "";
}

#define FP_COLS 8
#define FP_CELL 40

/* Print rows of cells right-aligned (the first column left-aligned). */
static void print_grid(FILE *fp, size_t rows, size_t cols,
                       char cell[][FP_COLS][FP_CELL])
{
    size_t width[FP_COLS] = {0};
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            size_t len = strlen(cell[r][c]);
            if (len > width[c]) {
                width[c] = len;
            }
        }
    }
    for (size_t r = 0; r < rows; r++) {
        /* Each row is assembled first so that trailing blanks (an empty
         * stars column) can be cut: golden files stay stable. */
        char line[FP_COLS * (FP_CELL + 2) + 1];
        size_t len = 0;
        len += (size_t)snprintf(line + len, sizeof line - len, "%-*s",
                                (int)width[0], cell[r][0]);
        for (size_t c = 1; c < cols; c++) {
            len += (size_t)snprintf(line + len, sizeof line - len, "  %*s",
                                    (int)width[c], cell[r][c]);
        }
        while (len > 0 && line[len - 1] == ' ') {
            line[--len] = '\0';
        }
        fprintf(fp, "%s\n", line);
    }
}

void fit_print_table(FILE *fp, const tally_fit *f, const fit_print_opts *o)
{
    warn_perfect_fit(f);
    fprintf(fp, "%s of %s\n", family_title(f->family), f->response);
    fprintf(fp, "Terms: ");
    for (size_t j = 0; j < f->p; j++) {
        fprintf(fp, "%s%s", j ? " + " : "", f->terms[j]);
    }
    if (f->offset_name != NULL) {
        fprintf(fp, " + offset(%s)", f->offset_name);
    }
    fputc('\n', fp);
    fprintf(fp, "Data: %s", o->data != NULL ? o->data : "-");
    if (o->where != NULL) {
        fprintf(fp, " (%s)", o->where);
    }
    char from[TALLY_PERIOD_BUFSIZE], to[TALLY_PERIOD_BUFSIZE];
    if (sample_range(f, from, to, sizeof from)) {
        fprintf(fp, ", %s to %s", from, to);
    }
    fprintf(fp, "; n = %zu used, %zu missing", f->n, f->n_missing);
    if (f->n_zero_weight > 0) {
        fprintf(fp, ", %zu zero weight", f->n_zero_weight);
    }
    fputc('\n', fp);
    if (f->options.vcov.type == TALLY_VCOV_HAC) {
        fprintf(fp,
                "Standard errors: Newey-West HAC, Bartlett kernel, lag %ld%s%s%s"
                "\n",
                f->options.vcov.hac_lag, f->hac_auto ? " (rule " : "",
                f->hac_auto ? FIT_PRINT_HAC_AUTO_RULE : "",
                f->hac_auto ? ")" : "");
    } else if (f->options.vcov.type != TALLY_VCOV_CLASSICAL) {
        fprintf(fp, "Standard errors: heteroskedasticity-consistent (%s)\n",
                tally_vcov_name(f->options.vcov.type));
    }

    /* Coefficient table. */
    const char *sname = f->t_based ? "t value" : "z value";
    const char *pname = f->t_based ? "Pr(>|t|)" : "Pr(>|z|)";
    char lo[32], hi[32];
    double lev = f->options.level;
    snprintf(lo, sizeof lo, "%.4g%% low", lev);
    snprintf(hi, sizeof hi, "%.4g%% high", lev);
    char(*cell)[FP_COLS][FP_CELL] = calloc(f->p + 1, sizeof *cell);
    if (cell == NULL) {
        fputs("(out of memory)\n", fp);
        return;
    }
    size_t rows = 0, cols = o->stars ? 8 : 7;
    size_t pmax = f->p;
    const char *head[FP_COLS] = {"", "Estimate", "Std. Error", sname,
                                 pname, lo, hi, ""};
    for (size_t c = 0; c < cols; c++) {
        snprintf(cell[0][c], FP_CELL, "%s", head[c]);
    }
    rows = 1;
    for (size_t j = 0; j < pmax; j++, rows++) {
        snprintf(cell[rows][0], FP_CELL, "%s", f->terms[j]);
        fmt_num(cell[rows][1], FP_CELL, f->estimate[j], 7);
        fmt_num(cell[rows][2], FP_CELL, f->std_error[j], 7);
        fmt_num(cell[rows][3], FP_CELL, f->statistic[j], 4);
        fmt_p(cell[rows][4], FP_CELL, f->p_value[j]);
        fmt_num(cell[rows][5], FP_CELL, f->conf_low[j], 7);
        fmt_num(cell[rows][6], FP_CELL, f->conf_high[j], 7);
        if (o->stars) {
            /* Padded so that stars line up on the left, as in R. */
            snprintf(cell[rows][7], FP_CELL, "%-3s", stars_of(f->p_value[j]));
        }
    }
    fputs("\nCoefficients:\n", fp);
    print_grid(fp, rows, cols, cell);
    if (o->stars) {
        fputs("---\nSignif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' "
              "0.1 ' ' 1\n", fp);
    }
    if (f->log_link) {
        const char *rh[FP_COLS] = {"", "Rate ratio", lo, hi};
        for (size_t c = 0; c < 4; c++) {
            snprintf(cell[0][c], FP_CELL, "%s", rh[c]);
        }
        for (size_t j = 0; j < pmax; j++) {
            snprintf(cell[j + 1][0], FP_CELL, "%s", f->terms[j]);
            fmt_num(cell[j + 1][1], FP_CELL, exp(f->estimate[j]), 6);
            fmt_num(cell[j + 1][2], FP_CELL, exp(f->conf_low[j]), 6);
            fmt_num(cell[j + 1][3], FP_CELL, exp(f->conf_high[j]), 6);
        }
        fputs("\nRate ratios exp(estimate):\n", fp);
        print_grid(fp, pmax + 1, 4, cell);
    }
    free(cell);
    fputc('\n', fp);

    size_t df = f->n - f->p;
    char b1[400], b2[400], b3[400];
    if (f->family == TALLY_FAMILY_GAUSSIAN) {
        fprintf(fp, "Residual standard error: %s on %zu degrees of freedom\n",
                gnum(b1, sizeof b1, "%.6g", f->sigma), df);
        fprintf(fp, "Multiple R-squared: %s, Adjusted R-squared: %s\n",
                gnum(b1, sizeof b1, "%.6g", f->r_squared),
                gnum(b2, sizeof b2, "%.6g", f->adj_r_squared));
        if (!isnan(f->f_statistic)) {
            char pb[32];
            fmt_p(pb, sizeof pb, f->f_p_value);
            fprintf(fp, "F-statistic: %.6g on %.0f and %.0f DF, p-value: %s\n",
                    f->f_statistic, f->f_df1, f->f_df2, pb);
        }
        fprintf(fp, "Log-likelihood: %s, AIC: %s, BIC: %s (sigma^2 "
                    "counted)\n",
                gnum(b1, sizeof b1, "%.8g", f->loglik),
                gnum(b2, sizeof b2, "%.8g", f->aic),
                gnum(b3, sizeof b3, "%.8g", f->bic));
        if (f->perfect_fit) {
            fputs("Warning: essentially perfect fit (residuals 0 to "
                  "rounding): no t or F test exists\n", fp);
        }
    } else {
        if (f->family == TALLY_FAMILY_QUASIPOISSON) {
            fprintf(fp, "Dispersion parameter: %s (Pearson X^2 / df)\n",
                    gnum(b1, sizeof b1, "%.6g", f->dispersion));
        } else if (f->family == TALLY_FAMILY_NEGBIN) {
            fprintf(fp, "Theta: %s (std. error %s); dispersion 1\n",
                    gnum(b1, sizeof b1, "%.6g", f->theta),
                    gnum(b2, sizeof b2, "%.4g", f->theta_se));
        } else {
            fputs("Dispersion parameter: 1\n", fp);
        }
        fprintf(fp, "    Null deviance: %s on %zu degrees of freedom\n",
                gnum(b1, sizeof b1, "%.8g", f->null_deviance),
                f->n - (f->intercept ? 1 : 0));
        fprintf(fp, "Residual deviance: %s on %zu degrees of freedom\n",
                gnum(b1, sizeof b1, "%.8g", f->deviance), df);
        if (!isnan(f->loglik)) {
            fprintf(fp, "Log-likelihood: %s, AIC: %s, BIC: %s\n",
                    gnum(b1, sizeof b1, "%.8g", f->loglik),
                    gnum(b2, sizeof b2, "%.8g", f->aic),
                    gnum(b3, sizeof b3, "%.8g", f->bic));
        }
        fprintf(fp, "%s after %d %s\n",
                f->converged ? "Converged" : "NOT converged", f->iterations,
                f->family == TALLY_FAMILY_NEGBIN ? "rounds of beta and theta"
                                                 : "IRLS iterations");
    }
    if (f->options.diagnostics) {
        const tally_fit_diag *g = &f->diag;
        char pb[32];
        fprintf(fp, "\nResidual diagnostics (%s residuals):\n",
                f->family == TALLY_FAMILY_GAUSSIAN ? "response" : "Pearson");
        fprintf(fp, "  Durbin-Watson: %s\n",
                gnum(b1, sizeof b1, "%.4f", g->durbin_watson));
        if (g->ljung_box_lag > 0) {
            fmt_p(pb, sizeof pb, g->ljung_box_p);
            fprintf(fp, "  Ljung-Box Q(%d) = %s, p-value: %s\n",
                    g->ljung_box_lag,
                    gnum(b1, sizeof b1, "%.4f", g->ljung_box), pb);
        }
        if (f->family == TALLY_FAMILY_GAUSSIAN) {
            fmt_p(pb, sizeof pb, g->breusch_godfrey_p);
            fprintf(fp, "  Breusch-Godfrey LM(%d) = %s, p-value: %s\n",
                    g->bg_order,
                    gnum(b1, sizeof b1, "%.4f", g->breusch_godfrey), pb);
        } else {
            fmt_p(pb, sizeof pb, g->pearson_p);
            fprintf(fp, "  Pearson X^2 / df = %s (X^2 = %s on %zu df, "
                        "p-value: %s)\n",
                    gnum(b1, sizeof b1, "%.4f", g->pearson_ratio),
                    gnum(b2, sizeof b2, "%.6g", f->pearson_chi2), df, pb);
            if (!isnan(g->ct_statistic)) {
                fmt_p(pb, sizeof pb, g->ct_p);
                fprintf(fp, "  Overdispersion (Cameron-Trivedi): dispersion "
                            "%s, z = %s, p-value: %s\n",
                        gnum(b1, sizeof b1, "%.4f", g->ct_dispersion),
                        gnum(b2, sizeof b2, "%.4f", g->ct_statistic), pb);
            }
        }
    }
}

void fit_print_csv(FILE *fp, const tally_fit *f, const fit_print_opts *o)
{
    warn_perfect_fit(f);
    (void)o;
    fputs("term,estimate,std_error,statistic,p_value,conf_low,conf_high", fp);
    if (f->log_link) {
        fputs(",rate_ratio,rate_ratio_conf_low,rate_ratio_conf_high", fp);
    }
    fputc('\n', fp);
    for (size_t j = 0; j < f->p; j++) {
        double v[9] = {f->estimate[j], f->std_error[j], f->statistic[j],
                       f->p_value[j], f->conf_low[j], f->conf_high[j],
                       exp(f->estimate[j]), exp(f->conf_low[j]),
                       exp(f->conf_high[j])};
        size_t nv = f->log_link ? 9 : 6;
        tally_csv_write_field(fp, f->terms[j]);
        for (size_t k = 0; k < nv; k++) {
            if (isfinite(v[k])) {
                fprintf(fp, ",%.17g", v[k]);
            } else {
                fputs(",NA", fp);
            }
        }
        fputc('\n', fp);
    }
}

int fit_print(FILE *fp, cli_format format, const tally_fit *f,
              const fit_print_opts *o)
{
    return fit_print_series(fp, format, f, o, NULL, NULL, 0, 0);
}

int fit_print_series(FILE *fp, cli_format format, const tally_fit *f,
                     const fit_print_opts *o, const fit_path *path,
                     const double *y, size_t ny, tally_period start)
{
    switch (format) {
    case CLI_JSON: {
        json_t *root = fit_print_json(f, o);
        if (root != NULL && path != NULL) {
            fit_path_json(root, f, path, y, ny, start);
        }
        return cli_json_print(fp, root);
    }
    case CLI_CSV:
        fit_print_csv(fp, f, o);
        return CLI_OK;
    case CLI_TABLE:
    default:
        fit_print_table(fp, f, o);
        return CLI_OK;
    }
}

int fit_cli_option(const cli_cmd *c, int key, const char *arg,
                   tally_fit_options *o, int *have_vcov)
{
    long lag;
    double lev;
    switch (key) {
    case FIT_KEY_FAMILY:
        if (tally_family_parse(arg, &o->family) != TALLY_OK) {
            cli_usage_error(c, "%s", tally_last_error());
            return -1;
        }
        return 1;
    case FIT_KEY_HAC:
        if (*have_vcov) {
            cli_usage_error(c, "give one of --hac and --robust");
            return -1;
        }
        *have_vcov = 1;
        o->vcov.type = TALLY_VCOV_HAC;
        if (strcmp(arg, "auto") == 0) {
            o->vcov.hac_lag = TALLY_HAC_AUTO;
        } else if (cli_parse_long(arg, 0, 1000000, &lag)) {
            o->vcov.hac_lag = lag;
        } else {
            cli_usage_error(c, "--hac needs a lag >= 0 or 'auto', not '%s'",
                            arg);
            return -1;
        }
        return 1;
    case FIT_KEY_ROBUST:
        if (*have_vcov) {
            cli_usage_error(c, "give one of --hac and --robust");
            return -1;
        }
        *have_vcov = 1;
        if (tally_vcov_parse_robust(arg, &o->vcov.type) != TALLY_OK) {
            cli_usage_error(c, "%s", tally_last_error());
            return -1;
        }
        return 1;
    case FIT_KEY_LEVEL:
        if (!cli_parse_double(arg, &lev) || !(lev > 0 && lev < 100)) {
            cli_usage_error(c, "--level must be a number in (0, 100), not "
                               "'%s'", arg);
            return -1;
        }
        o->level = lev;
        return 1;
    case FIT_KEY_NO_DIAG:
        o->diagnostics = 0;
        return 1;
    default:
        return 0;
    }
}

/* ---- the fitted path (fitted[], observed[], residuals[]) ------------- */

void fit_path_fini(fit_path *p)
{
    free(p->period);
    free(p->mean);
    free(p->conf_low);
    free(p->conf_high);
    free(p->resid);
    memset(p, 0, sizeof *p);
}

/* R's residuals(fit, type = "pearson"): (y - mu) sqrt(w / V(mu)).  For
 * the log link the working weight is w mu^2 / V(mu), so w / V(mu) is
 * wweight / mu^2 whatever the variance function (Poisson mu, NB2
 * mu + mu^2/theta).  Gaussian: the response residual y - mu, as R's
 * residuals(lm). */
static double path_residual(const tally_fit *f, size_t k)
{
    if (!f->log_link) {
        return f->resid[k];
    }
    return f->resid[k] * sqrt(f->wweight[k]) / f->mu[k];
}

int fit_path_compute(const tally_fit *f, tally_freq freq, tally_period start,
                     size_t nrows, double q, fit_row_fn row_fn, void *ctx,
                     fit_path *p)
{
    memset(p, 0, sizeof *p);
    size_t n = 0;
    for (size_t k = 0; k < f->n; k++) {
        n += f->row[k] < nrows;
    }
    size_t sz = (n ? n : 1) * sizeof(double);
    p->period = malloc((n ? n : 1) * sizeof *p->period);
    p->mean = malloc(sz);
    p->conf_low = malloc(sz);
    p->conf_high = malloc(sz);
    p->resid = malloc(sz);
    double *x = malloc((f->p ? f->p : 1) * sizeof *x);
    if (p->period == NULL || p->mean == NULL || p->conf_low == NULL ||
        p->conf_high == NULL || p->resid == NULL || x == NULL) {
        free(x);
        fit_path_fini(p);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    p->n = n;
    p->freq = freq;
    p->rebuilt = row_fn != NULL;
    size_t i = 0;
    for (size_t k = 0; k < f->n; k++) {
        size_t row = f->row[k];
        if (row >= nrows) {
            continue;
        }
        p->period[i] = start + (tally_period)row;
        p->resid[i] = path_residual(f, k);
        double off = 0, eta = NAN, se = NAN;
        if (p->rebuilt && row_fn(ctx, row, x, &off) == 0) {
            tally_fit_predict(f, x, &eta, &se);
            /* The rebuilt row must give the fit's own linear predictor:
             * the check that its regressors are the design's.  The
             * scale is that of the terms summed, so that cancellation
             * does not make a right row look wrong. */
            double scale = fabs(off) + 1.0;
            for (size_t j = 0; j < f->p; j++) {
                scale += fabs(x[j] * f->estimate[j]);
            }
            eta += off;
            if (!(fabs(eta - f->eta[k]) <= 1e-7 * scale)) {
                p->rebuilt = 0;
            }
        } else {
            p->rebuilt = 0;
        }
        /* Wald interval on the linear-predictor scale, back-transformed
         * for the log link (as predict(fit, se.fit = TRUE) then
         * linkinv(fit +- q se)). */
        if (f->log_link) {
            p->mean[i] = exp(eta);
            p->conf_low[i] = exp(eta - q * se);
            p->conf_high[i] = exp(eta + q * se);
        } else {
            p->mean[i] = eta;
            p->conf_low[i] = eta - q * se;
            p->conf_high[i] = eta + q * se;
        }
        i++;
    }
    free(x);
    if (!p->rebuilt) {
        /* No intervals; the means are the fit's own. */
        i = 0;
        for (size_t k = 0; k < f->n; k++) {
            if (f->row[k] < nrows) {
                p->mean[i] = f->mu[k];
                p->conf_low[i] = NAN;
                p->conf_high[i] = NAN;
                i++;
            }
        }
    }
    return TALLY_OK;
}

void fit_path_json(json_t *root, const tally_fit *f, const fit_path *p,
                   const double *y, size_t ny, tally_period start)
{
    if (json_object_get(root, "value") == NULL) {
        json_object_set_new(root, "value", json_string(f->response));
    }
    json_t *obs = json_array();
    for (size_t i = 0; i < ny; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "period",
                            cli_json_period(p->freq, start + (tally_period)i));
        json_object_set_new(o, "value", cli_json_num(y[i]));
        json_array_append_new(obs, o);
    }
    json_object_set_new(root, "observed", obs);
    json_t *fit = json_array();
    json_t *res = json_array();
    for (size_t i = 0; i < p->n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "period",
                            cli_json_period(p->freq, p->period[i]));
        json_object_set_new(o, "mean", cli_json_num(p->mean[i]));
        json_object_set_new(o, "conf_low", cli_json_num(p->conf_low[i]));
        json_object_set_new(o, "conf_high", cli_json_num(p->conf_high[i]));
        json_array_append_new(fit, o);
        json_t *r = json_object();
        json_object_set_new(r, "period",
                            cli_json_period(p->freq, p->period[i]));
        json_object_set_new(r, "residual", cli_json_num(p->resid[i]));
        json_array_append_new(res, r);
    }
    json_object_set_new(root, "fitted", fit);
    json_object_set_new(root, "residual_type",
                        json_string(f->log_link ? "pearson" : "response"));
    json_object_set_new(root, "residuals", res);
}
