/* SPDX-License-Identifier: MIT
 *
 * Printers of forecasting results (see fc_print.h): table, CSV, JSON.
 * Numbers in JSON go through cli_json_num (17 significant digits, null
 * when not finite); tables print 6 significant digits, CSV 17.
 */
#include "cli/fc_print.h"

#include "cli/cli.h"

#include <math.h>
#include <string.h>

const char *fc_family_name(tally_fc_family f)
{
    switch (f) {
    case TALLY_FC_AUTO:
        return "auto";
    case TALLY_FC_ARIMA:
        return "arima";
    case TALLY_FC_ETS:
        return "ets";
    case TALLY_FC_MEAN:
        return "mean";
    case TALLY_FC_NAIVE:
        return "naive";
    case TALLY_FC_SNAIVE:
        return "snaive";
    case TALLY_FC_DRIFT:
        return "drift";
    case TALLY_FC_POISSON:
        return "poisson-trend";
    case TALLY_FC_NEGBIN:
        return "negbin-trend";
    }
    return "unknown";
}

static json_t *int_triple(const int *v)
{
    json_t *a = json_array();
    for (int i = 0; i < 3 && a != NULL; i++) {
        json_array_append_new(a, json_integer(v[i]));
    }
    return a;
}

static char *level_name(double level, char *buf, size_t size)
{
    snprintf(buf, size, "%.10g", level);
    return buf;
}

int fc_json_add_model(json_t *o, const tally_fc_result *r)
{
    char spec[64], b[TALLY_PERIOD_BUFSIZE];
    int bad = 0;
    bad |= json_object_set_new(o, "model", json_string(r->model));
    bad |= json_object_set_new(o, "family",
                               json_string(fc_family_name(r->spec.family)));
    bad |= json_object_set_new(
        o, "spec",
        json_string(tally_fc_spec_format(&r->spec, spec, sizeof spec)));
    bad |= json_object_set_new(o, "n", json_integer((json_int_t)r->n));
    bad |= json_object_set_new(o, "n_missing",
                               json_integer((json_int_t)r->n_missing));
    bad |= json_object_set_new(o, "from", cli_json_period(r->freq, r->start));
    bad |= json_object_set_new(
        o, "to",
        cli_json_period(r->freq, r->start + (tally_period)r->n - 1));
    bad |= json_object_set_new(o, "period", json_integer(r->period));
    bad |= json_object_set_new(o, "log", json_boolean(r->spec.log));
    if (r->spec.family == TALLY_FC_ARIMA) {
        bad |= json_object_set_new(o, "order", int_triple(r->spec.order));
        bad |= json_object_set_new(o, "seasonal_order",
                                   int_triple(r->spec.seasonal));
    }
    json_t *coef = json_array();
    for (size_t i = 0; coef != NULL && i < r->ncoef; i++) {
        json_t *c = json_object();
        if (c == NULL) {
            bad = 1;
            break;
        }
        json_object_set_new(c, "term", json_string(r->coef[i].term));
        json_object_set_new(c, "estimate", cli_json_num(r->coef[i].estimate));
        json_object_set_new(c, "std_error",
                            cli_json_num(r->coef[i].std_error));
        json_array_append_new(coef, c);
    }
    bad |= json_object_set_new(o, "coefficients", coef);
    bad |= json_object_set_new(o, "sigma2", cli_json_num(r->sigma2));
    bad |= json_object_set_new(o, "loglik", cli_json_num(r->loglik));
    bad |= json_object_set_new(o, "aic", cli_json_num(r->aic));
    bad |= json_object_set_new(o, "aicc", cli_json_num(r->aicc));
    bad |= json_object_set_new(o, "bic", cli_json_num(r->bic));
    bad |= json_object_set_new(o, "converged", json_boolean(r->converged));
    if (r->seeded) {
        bad |= json_object_set_new(o, "seed", json_integer((json_int_t)
                                                            r->spec.seed));
    }
    bad |= json_object_set_new(o, "first_forecast",
                               json_string(tally_period_format(
                                   r->freq, r->first, b, sizeof b)));
    if (r->note[0]) {
        bad |= json_object_set_new(o, "note", json_string(r->note));
    }
    if (r->warning[0]) {
        bad |= json_object_set_new(o, "warning", json_string(r->warning));
    }
    return bad ? -1 : 0;
}

json_t *fc_json_forecast(const tally_fc_result *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < r->h; i++) {
        json_t *row = json_object();
        json_t *iv = json_array();
        if (row == NULL || iv == NULL) {
            json_decref(row);
            json_decref(iv);
            json_decref(a);
            return NULL;
        }
        json_object_set_new(row, "period",
                            cli_json_period(r->freq,
                                            r->first + (tally_period)i));
        json_object_set_new(row, "mean", cli_json_num(r->mean[i]));
        for (size_t l = 0; l < r->nlevels; l++) {
            json_t *e = json_object();
            double lv = r->levels[l];
            json_object_set_new(e, "level", lv == floor(lv)
                                                ? json_integer((json_int_t)lv)
                                                : json_real(lv));
            json_object_set_new(e, "lower",
                                cli_json_num(r->lower[l * r->h + i]));
            json_object_set_new(e, "upper",
                                cli_json_num(r->upper[l * r->h + i]));
            json_array_append_new(iv, e);
        }
        json_object_set_new(row, "intervals", iv);
        json_array_append_new(a, row);
    }
    return a;
}

/* A number for a table: 6 significant digits, "NA" when not finite. */
static void cell(FILE *fp, int width, double v)
{
    if (isfinite(v)) {
        fprintf(fp, " %*.*g", width, 6, v);
    } else {
        fprintf(fp, " %*s", width, "NA");
    }
}

void fc_print_model_table(FILE *fp, const tally_fc_result *r,
                          const char *value_name)
{
    char a[TALLY_PERIOD_BUFSIZE], b[TALLY_PERIOD_BUFSIZE];
    fprintf(fp, "Series: %s, %s to %s (n = %zu", value_name,
            tally_period_format(r->freq, r->start, a, sizeof a),
            tally_period_format(r->freq, r->start + (tally_period)r->n - 1, b,
                                sizeof b),
            r->n);
    if (r->n_missing > 0) {
        fprintf(fp, ", %zu missing", r->n_missing);
    }
    fprintf(fp, ")\nModel:  %s%s\n", r->model,
            r->spec.log ? " on log scale (forecasts back-transformed: "
                          "medians)"
                        : "");
    if (r->ncoef > 0) {
        size_t w = 8;
        for (size_t i = 0; i < r->ncoef; i++) {
            size_t len = strlen(r->coef[i].term);
            w = len > w ? len : w;
        }
        fprintf(fp, "\nCoefficients:\n%-*s %12s %12s\n", (int)w, "",
                "estimate", "std_error");
        for (size_t i = 0; i < r->ncoef; i++) {
            fprintf(fp, "%-*s", (int)w, r->coef[i].term);
            cell(fp, 12, r->coef[i].estimate);
            cell(fp, 12, r->coef[i].std_error);
            fputc('\n', fp);
        }
    }
    fputc('\n', fp);
    if (isfinite(r->sigma2) || isfinite(r->loglik)) {
        if (isfinite(r->sigma2)) {
            fprintf(fp, "sigma^2 = %.6g", r->sigma2);
        }
        if (isfinite(r->loglik)) {
            fprintf(fp, "%slog likelihood = %.2f",
                    isfinite(r->sigma2) ? "   " : "", r->loglik);
        }
        fputc('\n', fp);
    }
    if (isfinite(r->aic)) {
        fprintf(fp, "AIC = %.2f   AICc = %.2f   BIC = %.2f\n", r->aic,
                r->aicc, r->bic);
    }
    if (r->seeded) {
        fprintf(fp, "seed = %llu\n", (unsigned long long)r->spec.seed);
    }
    if (r->note[0]) {
        fprintf(fp, "Note: %s\n", r->note);
    }
}

void fc_print_forecast_table(FILE *fp, const tally_fc_result *r)
{
    char b[TALLY_PERIOD_BUFSIZE], name[32];
    fprintf(fp, "\nForecasts:\n%-8s %12s", "period", "mean");
    for (size_t l = 0; l < r->nlevels; l++) {
        char lo[48], hi[48];
        level_name(r->levels[l], name, sizeof name);
        snprintf(lo, sizeof lo, "lo%s", name);
        snprintf(hi, sizeof hi, "hi%s", name);
        fprintf(fp, " %12s %12s", lo, hi);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < r->h; i++) {
        fprintf(fp, "%-8s", tally_period_format(r->freq,
                                                r->first + (tally_period)i, b,
                                                sizeof b));
        cell(fp, 12, r->mean[i]);
        for (size_t l = 0; l < r->nlevels; l++) {
            cell(fp, 12, r->lower[l * r->h + i]);
            cell(fp, 12, r->upper[l * r->h + i]);
        }
        fputc('\n', fp);
    }
}


void fc_print_forecast_csv(FILE *fp, const tally_fc_result *r)
{
    char b[TALLY_PERIOD_BUFSIZE], name[32];
    fprintf(fp, "%s,mean", tally_freq_name(r->freq));
    for (size_t l = 0; l < r->nlevels; l++) {
        level_name(r->levels[l], name, sizeof name);
        fprintf(fp, ",lower_%s,upper_%s", name, name);
    }
    fputc('\n', fp);
    for (size_t i = 0; i < r->h; i++) {
        fputs(tally_period_format(r->freq, r->first + (tally_period)i, b,
                                  sizeof b), fp);
        cli_csv_num(fp, r->mean[i]);
        for (size_t l = 0; l < r->nlevels; l++) {
            cli_csv_num(fp, r->lower[l * r->h + i]);
            cli_csv_num(fp, r->upper[l * r->h + i]);
        }
        fputc('\n', fp);
    }
}
