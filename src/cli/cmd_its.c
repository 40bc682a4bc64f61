/* SPDX-License-Identifier: MIT
 *
 * tally its: interrupted time series (segmented regression) with level and
 * slope changes at one or more breaks, season terms, offsets, exclusion
 * windows, an optional control series; the effect at chosen horizons, the
 * counterfactual path and the cumulative difference; residual
 * autocorrelation, placebo and sensitivity refits.  The statistics live in
 * src/stats/its*.c; this file parses options and prints.
 */
#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/fit_print.h"
#include "cli/group_opt.h"
#include "cli/plot_opt.h"
#include "tally/tally_its.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    KEY_VALUE = CLI_KEY_FIRST_FREE,
    KEY_BREAK,
    KEY_SEASON,
    KEY_CHANGE,
    KEY_OFFSET,
    KEY_EXPOSURE,
    KEY_EXCLUDE,
    KEY_HORIZON,
    KEY_EFFECT_AT,
    KEY_CI,
    KEY_CONTROL,
    KEY_CONTROL_OFFSET,
    KEY_CUMULATIVE,
    KEY_DRAWS,
    KEY_SEED,
    KEY_PLACEBO,
    KEY_PLACEBO_MIN,
    KEY_SENSITIVITY,
    KEY_TABLE
};

static const cli_opt opts[] = {
    {"value", KEY_VALUE, 1, "COL", "the series to model (required)"},
    {"break", KEY_BREAK, 1, "P",
     "first period of the new regime (required; repeat for several breaks)"},
    FIT_OPT_FAMILY,
    {"season", KEY_SEASON, 1, "S",
     "none (default), dummies, or fourier:K (K sine/cosine pairs)"},
    {"change", KEY_CHANGE, 1, "C",
     "break terms: level+slope (default), level, or slope"},
    {"offset", KEY_OFFSET, 1, "COL", "add COL to the linear predictor"},
    {"exposure", KEY_EXPOSURE, 1, "COL",
     "add log(COL) to the linear predictor (e.g. population)"},
    FIT_OPT_HAC,
    FIT_OPT_ROBUST,
    {"exclude", KEY_EXCLUDE, 1, "P1:P2",
     "leave out a transition window (repeatable); positions are kept"},
    {"horizon", KEY_HORIZON, 1, "H",
     "extend the counterfactual H periods past the data"},
    {"effect-at", KEY_EFFECT_AT, 1, "K,...",
     "horizons for the effect table, 1 = the break period (default 1,6,12)"},
    {"ci", KEY_CI, 1, "t|z",
     "z: Wald z tests and intervals also for quasipoisson and gaussian "
     "(default: t(df) for those, as R's summary)"},
    FIT_OPT_LEVEL,
    FIT_OPT_NO_DIAG,
    {"control", KEY_CONTROL, 1, "COL",
     "comparison series: controlled ITS (stacked, treated:* terms)"},
    {"control-offset", KEY_CONTROL_OFFSET, 1, "COL",
     "offset (or exposure, as for the main series) of the control series"},
    {"cumulative", KEY_CUMULATIVE, 1, "M",
     "interval of the cumulative difference: delta (default) or bootstrap"},
    {"draws", KEY_DRAWS, 1, "N", "bootstrap draws (default 1999)"},
    {"seed", KEY_SEED, 1, "S", "bootstrap seed (default 20170101)"},
    {"placebo", KEY_PLACEBO, 0, NULL,
     "refit with a fake break at every admissible pre-break date"},
    {"placebo-min", KEY_PLACEBO_MIN, 1, "N",
     "observations required each side of a fake break "
     "(default max(3, ceil(p/2)))"},
    {"sensitivity", KEY_SENSITIVITY, 1, "K",
     "refit with the break moved by up to K periods and the transition "
     "window widened by 1..K"},
    {"table", KEY_TABLE, 1, "T",
     "which table --format csv writes: coefficients (default), effects, "
     "counterfactual, placebo, sensitivity"},
    GROUP_OPTS("select one group of a grouped file"),
    PLOT_OPTS,
    {0}};

static const char description[] =
    "Segmented regression (interrupted time series).  The model has\n"
    "intercept, time (1..n), for each break P: level (0 before P, 1 from P)\n"
    "and slope (0 before P, then 1, 2, ... from P), and season terms; count\n"
    "families use the log link, and their break effects print as rate\n"
    "ratios.  With several breaks the terms are level1, slope1, level2, ...\n"
    "in date order.  The output adds the effect k periods after each break\n"
    "(exp(level + k*slope), k = 1 at the break), the counterfactual path (the\n"
    "model with the break terms set to 0) over the post-break periods with\n"
    "pointwise intervals, and the cumulative observed minus counterfactual\n"
    "with an interval for the counterfactual sum (delta method on the log\n"
    "scale, or a seeded parametric bootstrap).  Residual autocorrelation is\n"
    "tested (Ljung-Box; also Breusch-Godfrey for gaussian) and a warning\n"
    "suggests --hac when present.  Exit 2 when a break or window lies outside\n"
    "the data; exit 1 when fewer than 3 observations precede the first break\n"
    "(or a later regime has fewer than its own break terms).  With --by COL\n"
    "every group of a grouped file is fitted in parallel, each as --where\n"
    "COL=VALUE prints it, in group order (docs/by.md).";

static const char examples[] =
    "  tally its sicily.csv --value aces --break 2005-01 --family quasipoisson "
    "\\\n"
    "      --season fourier:2 --exposure stdpop --change level\n"
    "  tally its monthly.csv --value attacks --break 2022-12 --family negbin "
    "\\\n"
    "      --exclude 2022-11:2022-11 --placebo --sensitivity 2\n"
    "  tally its seatbelts.csv --value front --control rear --break 1983-02 "
    "\\\n"
    "      --family quasipoisson --season dummies\n"
    "  tally its monthly.csv --value attacks --break 2022-11 --family "
    "quasipoisson \\\n"
    "      --format json -o its.json --plot its.gp --render\n";

typedef enum {
    TABLE_COEF = 0,
    TABLE_EFFECTS,
    TABLE_CF,
    TABLE_PLACEBO,
    TABLE_SENS
} csv_table;

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

static const char *per(char *buf, size_t n, tally_freq f, tally_period p)
{
    return tally_period_format(f, p, buf, n);
}

static int parse_range(const char *s, tally_freq freq, tally_period *a,
                       tally_period *b)
{
    char buf[64];
    size_t len = strlen(s);
    if (len == 0 || len >= sizeof buf) {
        return 0;
    }
    memcpy(buf, s, len + 1);
    char *colon = strchr(buf, ':');
    const char *second = buf;
    if (colon != NULL) {
        *colon = '\0';
        second = colon + 1;
    }
    tally_freq f1 = freq, f2 = freq;
    return tally_period_parse(buf, &f1, a) == TALLY_OK &&
           tally_period_parse(second, &f2, b) == TALLY_OK;
}

/* Effects table rows (also the CSV of --table effects). */
static void print_effects(FILE *fp, const tally_its_result *r)
{
    char b[8][32];
    const tally_fit *f = r->fit;
    int zcol = f->t_based;
    fprintf(fp, "\nEffect k periods after the break (k = 1 at the break): %s\n",
            r->log_link ? "rate ratio exp(level + k*slope)"
                        : "difference level + k*slope");
    if (zcol) {
        fprintf(fp,
                "(interval: t with %g df, as summary.glm; Wald z interval "
                "alongside)\n",
                f->df_residual);
    } else {
        fprintf(fp, "(interval: Wald z)\n");
    }
    fprintf(fp, "%-8s %5s %-8s %11s %11s %11s %11s", "break", "k", "period",
            "estimate", "conf_low", "conf_high", "p-value");
    if (zcol) {
        fprintf(fp, " %11s %11s", "z_low", "z_high");
    }
    fputc('\n', fp);
    for (size_t i = 0; i < r->neffects; i++) {
        const tally_its_effect *e = &r->effects[i];
        fprintf(fp, "%-8s %5ld %-8s %11s %11s %11s %11s",
                per(b[0], 32, r->freq, r->breaks[e->brk].period), e->k,
                per(b[1], 32, r->freq, e->period),
                num(b[2], 32, e->estimate, 6), num(b[3], 32, e->conf_low, 6),
                num(b[4], 32, e->conf_high, 6), num(b[5], 32, e->p_value, 4));
        if (zcol) {
            fprintf(fp, " %11s %11s", num(b[6], 32, e->conf_low_z, 6),
                    num(b[7], 32, e->conf_high_z, 6));
        }
        fputc('\n', fp);
    }
}

static void print_cf(FILE *fp, const tally_its_result *r)
{
    char b[7][32];
    fprintf(fp,
            "\nCounterfactual (break terms set to 0) from the first "
            "break%s:\n",
            r->options.horizon ? ", with the horizon" : "");
    fprintf(fp, "%-8s %11s %11s %14s %11s %11s\n", "period", "observed",
            "fitted", "counterfactual", "conf_low", "conf_high");
    for (size_t i = 0; i < r->ncf; i++) {
        const tally_its_cf *c = &r->cf[i];
        fprintf(fp, "%-8s %11s %11s %14s %11s %11s%s\n",
                per(b[0], 32, r->freq, c->period),
                num(b[1], 32, c->observed, 7), num(b[2], 32, c->fitted, 7),
                num(b[3], 32, c->mean, 7), num(b[4], 32, c->conf_low, 7),
                num(b[5], 32, c->conf_high, 7),
                c->excluded ? "  (excluded)" : "");
    }
    const tally_its_cumulative *cu = &r->cumulative;
    if (cu->periods == 0) {
        return;
    }
    fprintf(fp,
            "\nCumulative observed - counterfactual, %s to %s (%zu "
            "periods with a value):\n",
            per(b[0], 32, r->freq, cu->from), per(b[1], 32, r->freq, cu->to),
            cu->periods);
    fprintf(fp,
            "  observed %s, counterfactual %s, difference %s, "
            "%g%% interval %s to %s\n",
            num(b[2], 32, cu->observed, 10),
            num(b[3], 32, cu->counterfactual, 7),
            num(b[4], 32, cu->estimate, 7), r->fit->options.level,
            num(b[5], 32, cu->conf_low, 7), num(b[6], 32, cu->conf_high, 7));
    if (cu->method == TALLY_ITS_CUM_BOOTSTRAP) {
        fprintf(fp,
                "  (parametric bootstrap, %zu draws of the coefficients "
                "from N(b, V), seed %lu, percentile interval; counterfactual "
                "uncertainty only)\n",
                cu->nboot, cu->seed);
    } else {
        fprintf(fp,
                "  (delta method on the log of the counterfactual sum%s; "
                "counterfactual uncertainty only)\n",
                r->log_link ? "" : " (identity link: exact)");
    }
}

static void print_placebo(FILE *fp, const tally_its_result *r)
{
    const tally_its_placebo *pl = &r->placebo;
    char b[6][32];
    fprintf(fp,
            "\nPlacebo breaks (pre-period only, at least %zu observations "
            "each side), term %s:\n",
            pl->min_side, pl->term);
    fprintf(fp, "%-8s %11s %11s %11s\n", "period",
            r->log_link ? "exp(coef)" : "estimate", "statistic", "p-value");
    for (size_t i = 0; i < pl->n; i++) {
        const tally_its_placebo_fit *pf = &pl->fits[i];
        double est = r->log_link ? exp(pf->estimate) : pf->estimate;
        fprintf(fp, "%-8s %11s %11s %11s%s\n",
                per(b[0], 32, r->freq, pf->period), num(b[1], 32, est, 5),
                num(b[2], 32, pf->statistic, 5), num(b[3], 32, pf->p_value, 4),
                !pf->ok       ? "  (fit failed)"
                : pf->poisson ? "  (Poisson limit: no overdispersion)"
                              : "");
    }
    fprintf(fp,
            "real break: %s %s, statistic %s; rank %zu of %zu by "
            "|statistic|; placebo p-value %s\n",
            r->log_link ? "exp(coef)" : "estimate",
            num(b[4], 32,
                r->log_link ? exp(pl->real_estimate) : pl->real_estimate, 5),
            num(b[5], 32, pl->real_statistic, 5), pl->rank, pl->n_ok + 1,
            num(b[0], 32, pl->p_value, 4));
}

/* "est (low..high) p" for one term of a sensitivity refit. */
static void sens_cell(FILE *fp, double est, double lo, double hi, double p)
{
    char b[4][32], iv[72];
    snprintf(iv, sizeof iv, "%s..%s", num(b[0], 32, lo, 4),
             num(b[1], 32, hi, 4));
    fprintf(fp, " %10s %21s %10s", num(b[2], 32, est, 5), iv,
            num(b[3], 32, p, 3));
}

static void print_sens(FILE *fp, const tally_its_result *r)
{
    char b[3][32];
    int has_l = (r->options.change & TALLY_ITS_LEVEL) != 0;
    int has_s = (r->options.change & TALLY_ITS_SLOPE) != 0;
    fprintf(fp, "\nSensitivity (%s; %g%% intervals):\n",
            r->log_link ? "break terms as rate ratios exp(coefficient)"
                        : "break terms",
            r->fit->options.level);
    fprintf(fp, "%-20s %-8s %-17s %5s", "refit", "break", "excluded", "n");
    if (has_l) {
        fprintf(fp, " %10s %21s %10s", "level", "interval", "p");
    }
    if (has_s) {
        fprintf(fp, " %10s %21s %10s", "slope", "interval", "p");
    }
    fputc('\n', fp);
    for (size_t i = 0; i < r->nsens; i++) {
        const tally_its_sens *e = &r->sens[i];
        char what[32], win[40];
        if (e->kind == 0) {
            snprintf(what, sizeof what, "break moved %+ld", e->shift);
        } else {
            snprintf(what, sizeof what, "window widened %ld", e->shift);
        }
        if (e->has_window) {
            snprintf(win, sizeof win, "%s:%s",
                     per(b[0], 32, r->freq, e->win_from),
                     per(b[1], 32, r->freq, e->win_to));
        } else {
            snprintf(win, sizeof win, "-");
        }
        fprintf(fp, "%-20s %-8s %-17s", what, per(b[2], 32, r->freq, e->period),
                win);
        if (!e->ok) {
            fprintf(fp, " %5s  (fit impossible)\n", "-");
            continue;
        }
        fprintf(fp, " %5zu", e->n);
        if (has_l) {
            sens_cell(fp, e->level, e->level_low, e->level_high, e->level_p);
        }
        if (has_s) {
            sens_cell(fp, e->slope, e->slope_low, e->slope_high, e->slope_p);
        }
        fputs(e->poisson ? "  (Poisson limit)\n" : "\n", fp);
    }
}

static void print_table(FILE *fp, const tally_its_result *r,
                        const fit_print_opts *po)
{
    char b[4][32];
    fit_print_table(fp, r->fit, po);
    fprintf(fp, "\nBreak%s:", r->nbreaks > 1 ? "s" : "");
    for (size_t j = 0; j < r->nbreaks; j++) {
        fprintf(fp, "%s %s (position %zu, %zu observations before)",
                j ? ";" : "", per(b[0], 32, r->freq, r->breaks[j].period),
                r->breaks[j].index, r->breaks[j].n_before);
    }
    fputc('\n', fp);
    for (size_t w = 0; w < r->options.nexclude; w++) {
        fprintf(fp, "Excluded window: %s:%s\n",
                per(b[0], 32, r->freq, r->options.exclude_from[w]),
                per(b[1], 32, r->freq, r->options.exclude_to[w]));
    }
    if (r->options.nexclude > 0) {
        fprintf(fp, "(%zu observation%s left out)\n", r->n_excluded,
                r->n_excluded == 1 ? "" : "s");
    }
    print_effects(fp, r);
    print_cf(fp, r);
    if (r->placebo.run) {
        print_placebo(fp, r);
    }
    if (r->nsens > 0) {
        print_sens(fp, r);
    }
    if (r->notes[0]) {
        fprintf(fp, "\nNote: %s\n", r->notes);
    }
}


static void print_csv(FILE *fp, const tally_its_result *r, csv_table t,
                      const fit_print_opts *po)
{
    char b[2][32];
    switch (t) {
    case TABLE_COEF:
        fit_print_csv(fp, r->fit, po);
        return;
    case TABLE_EFFECTS:
        fputs("break,k,period,estimate,conf_low,conf_high,p_value,"
              "conf_low_z,conf_high_z\n",
              fp);
        for (size_t i = 0; i < r->neffects; i++) {
            const tally_its_effect *e = &r->effects[i];
            fprintf(fp, "%s,%ld,%s",
                    per(b[0], 32, r->freq, r->breaks[e->brk].period), e->k,
                    per(b[1], 32, r->freq, e->period));
            cli_csv_num(fp, e->estimate);
            cli_csv_num(fp, e->conf_low);
            cli_csv_num(fp, e->conf_high);
            cli_csv_num(fp, e->p_value);
            cli_csv_num(fp, e->conf_low_z);
            cli_csv_num(fp, e->conf_high_z);
            fputc('\n', fp);
        }
        return;
    case TABLE_CF:
        fputs("period,observed,excluded,fitted,mean,conf_low,conf_high\n", fp);
        for (size_t i = 0; i < r->ncf; i++) {
            const tally_its_cf *c = &r->cf[i];
            fputs(per(b[0], 32, r->freq, c->period), fp);
            cli_csv_num(fp, c->observed);
            fprintf(fp, ",%d", c->excluded);
            cli_csv_num(fp, c->fitted);
            cli_csv_num(fp, c->mean);
            cli_csv_num(fp, c->conf_low);
            cli_csv_num(fp, c->conf_high);
            fputc('\n', fp);
        }
        return;
    case TABLE_PLACEBO:
        fputs("period,ok,poisson_limit,estimate,statistic,p_value\n", fp);
        for (size_t i = 0; i < r->placebo.n; i++) {
            const tally_its_placebo_fit *pf = &r->placebo.fits[i];
            fprintf(fp, "%s,%d,%d", per(b[0], 32, r->freq, pf->period), pf->ok,
                    pf->poisson);
            cli_csv_num(fp, pf->estimate);
            cli_csv_num(fp, pf->statistic);
            cli_csv_num(fp, pf->p_value);
            fputc('\n', fp);
        }
        return;
    case TABLE_SENS:
        fputs("kind,break,shift,period,window_from,window_to,ok,n,level,"
              "level_low,level_high,level_p,slope,slope_low,slope_high,"
              "slope_p\n",
              fp);
        for (size_t i = 0; i < r->nsens; i++) {
            const tally_its_sens *e = &r->sens[i];
            fprintf(fp, "%s,%s,%ld,%s", e->kind ? "widen" : "move",
                    per(b[0], 32, r->freq, r->breaks[e->brk].period), e->shift,
                    per(b[1], 32, r->freq, e->period));
            if (e->has_window) {
                fprintf(fp, ",%s", per(b[0], 32, r->freq, e->win_from));
                fprintf(fp, ",%s", per(b[1], 32, r->freq, e->win_to));
            } else {
                fputs(",,", fp);
            }
            fprintf(fp, ",%d,%zu", e->ok, e->n);
            cli_csv_num(fp, e->level);
            cli_csv_num(fp, e->level_low);
            cli_csv_num(fp, e->level_high);
            cli_csv_num(fp, e->level_p);
            cli_csv_num(fp, e->slope);
            cli_csv_num(fp, e->slope_low);
            cli_csv_num(fp, e->slope_high);
            cli_csv_num(fp, e->slope_p);
            fputc('\n', fp);
        }
        return;
    }
}

static json_t *jper(const tally_its_result *r, tally_period p)
{
    return cli_json_period(r->freq, p);
}

static json_t *build_json(const tally_its_result *r, const fit_print_opts *po)
{
    json_t *root = fit_print_json(r->fit, po);
    if (root == NULL) {
        return NULL;
    }
    const tally_fit *f = r->fit;
    /* Wald z limits next to the t limits of t-based fits. */
    json_t *coefs = json_object_get(root, "coefficients");
    if (f->t_based && json_is_array(coefs)) {
        for (size_t j = 0; j < f->p && j < json_array_size(coefs); j++) {
            json_t *c = json_array_get(coefs, j);
            double lo = f->estimate[j] - r->crit_z * f->std_error[j];
            double hi = f->estimate[j] + r->crit_z * f->std_error[j];
            json_object_set_new(c, "conf_low_z", cli_json_num(lo));
            json_object_set_new(c, "conf_high_z", cli_json_num(hi));
            if (f->log_link) {
                json_object_set_new(c, "rate_ratio_conf_low_z",
                                    cli_json_num(exp(lo)));
                json_object_set_new(c, "rate_ratio_conf_high_z",
                                    cli_json_num(exp(hi)));
            }
        }
    }
    const char *ch = r->options.change == TALLY_ITS_LEVEL   ? "level"
                     : r->options.change == TALLY_ITS_SLOPE ? "slope"
                                                            : "level+slope";
    json_object_set_new(root, "change", json_string(ch));
    json_object_set_new(root, "interval", json_string(f->t_based ? "t" : "z"));
    json_t *br = json_array();
    for (size_t j = 0; j < r->nbreaks; j++) {
        json_t *o = json_object();
        json_object_set_new(o, "period", jper(r, r->breaks[j].period));
        json_object_set_new(o, "index",
                            json_integer((json_int_t)r->breaks[j].index));
        json_object_set_new(o, "n_before",
                            json_integer((json_int_t)r->breaks[j].n_before));
        json_array_append_new(br, o);
    }
    json_object_set_new(root, "breaks", br);
    json_t *ex = json_array();
    for (size_t w = 0; w < r->options.nexclude; w++) {
        json_t *o = json_object();
        json_object_set_new(o, "from", jper(r, r->options.exclude_from[w]));
        json_object_set_new(o, "to", jper(r, r->options.exclude_to[w]));
        json_array_append_new(ex, o);
    }
    json_object_set_new(root, "exclude", ex);
    json_object_set_new(root, "n_excluded",
                        json_integer((json_int_t)r->n_excluded));
    json_object_set_new(root, "controlled", json_boolean(r->controlled));
    json_t *ef = json_array();
    for (size_t i = 0; i < r->neffects; i++) {
        const tally_its_effect *e = &r->effects[i];
        json_t *o = json_object();
        json_object_set_new(o, "break", jper(r, r->breaks[e->brk].period));
        json_object_set_new(o, "k", json_integer((json_int_t)e->k));
        json_object_set_new(o, "period", jper(r, e->period));
        json_object_set_new(o, "scale",
                            json_string(r->log_link ? "ratio" : "difference"));
        json_object_set_new(o, "estimate", cli_json_num(e->estimate));
        json_object_set_new(o, "conf_low", cli_json_num(e->conf_low));
        json_object_set_new(o, "conf_high", cli_json_num(e->conf_high));
        json_object_set_new(o, "conf_low_z", cli_json_num(e->conf_low_z));
        json_object_set_new(o, "conf_high_z", cli_json_num(e->conf_high_z));
        json_object_set_new(o, "p_value", cli_json_num(e->p_value));
        json_array_append_new(ef, o);
    }
    json_object_set_new(root, "effects", ef);
    json_t *cf = json_array();
    for (size_t i = 0; i < r->ncf; i++) {
        const tally_its_cf *c = &r->cf[i];
        json_t *o = json_object();
        json_object_set_new(o, "period", jper(r, c->period));
        json_object_set_new(o, "observed", cli_json_num(c->observed));
        json_object_set_new(o, "excluded", json_boolean(c->excluded));
        json_object_set_new(o, "fitted", cli_json_num(c->fitted));
        json_object_set_new(o, "mean", cli_json_num(c->mean));
        json_object_set_new(o, "conf_low", cli_json_num(c->conf_low));
        json_object_set_new(o, "conf_high", cli_json_num(c->conf_high));
        json_array_append_new(cf, o);
    }
    json_object_set_new(root, "counterfactual", cf);
    const tally_its_cumulative *cu = &r->cumulative;
    json_t *cj = json_object();
    json_object_set_new(cj, "estimate", cli_json_num(cu->estimate));
    json_object_set_new(cj, "conf_low", cli_json_num(cu->conf_low));
    json_object_set_new(cj, "conf_high", cli_json_num(cu->conf_high));
    json_object_set_new(cj, "observed", cli_json_num(cu->observed));
    json_object_set_new(cj, "counterfactual", cli_json_num(cu->counterfactual));
    json_object_set_new(cj, "periods", json_integer((json_int_t)cu->periods));
    if (cu->periods > 0) {
        json_object_set_new(cj, "from", jper(r, cu->from));
        json_object_set_new(cj, "to", jper(r, cu->to));
    }
    json_object_set_new(cj, "method",
                        json_string(cu->method == TALLY_ITS_CUM_BOOTSTRAP
                                        ? "parametric bootstrap"
                                        : "delta method"));
    if (cu->method == TALLY_ITS_CUM_BOOTSTRAP) {
        json_object_set_new(cj, "draws", json_integer((json_int_t)cu->nboot));
        json_object_set_new(cj, "seed", json_integer((json_int_t)cu->seed));
    }
    json_object_set_new(root, "cumulative", cj);
    const tally_fit_diag *d = &f->diag;
    json_t *ac = json_object();
    json_object_set_new(ac, "test", json_string("Ljung-Box"));
    json_object_set_new(ac, "statistic", cli_json_num(d->ljung_box));
    json_object_set_new(ac, "lag", json_integer(d->ljung_box_lag));
    json_object_set_new(ac, "p_value", cli_json_num(d->ljung_box_p));
    if (!isnan(d->breusch_godfrey)) {
        json_object_set_new(ac, "breusch_godfrey",
                            cli_json_num(d->breusch_godfrey));
        json_object_set_new(ac, "breusch_godfrey_order",
                            json_integer(d->bg_order));
        json_object_set_new(ac, "breusch_godfrey_p",
                            cli_json_num(d->breusch_godfrey_p));
    }
    json_object_set_new(ac, "detected", json_boolean(r->autocorrelated));
    json_object_set_new(root, "autocorrelation", ac);
    if (r->placebo.run) {
        const tally_its_placebo *pl = &r->placebo;
        json_t *po_ = json_object();
        json_object_set_new(po_, "term", json_string(pl->term));
        json_object_set_new(po_, "min_side",
                            json_integer((json_int_t)pl->min_side));
        json_object_set_new(po_, "real_estimate",
                            cli_json_num(pl->real_estimate));
        json_object_set_new(po_, "real_statistic",
                            cli_json_num(pl->real_statistic));
        json_object_set_new(po_, "rank", json_integer((json_int_t)pl->rank));
        json_object_set_new(po_, "n", json_integer((json_int_t)pl->n_ok));
        json_object_set_new(po_, "p_value", cli_json_num(pl->p_value));
        json_t *fits = json_array();
        for (size_t i = 0; i < pl->n; i++) {
            const tally_its_placebo_fit *pf = &pl->fits[i];
            json_t *o = json_object();
            json_object_set_new(o, "period", jper(r, pf->period));
            json_object_set_new(o, "ok", json_boolean(pf->ok));
            json_object_set_new(o, "poisson_limit", json_boolean(pf->poisson));
            json_object_set_new(o, "estimate", cli_json_num(pf->estimate));
            json_object_set_new(o, "statistic", cli_json_num(pf->statistic));
            json_object_set_new(o, "p_value", cli_json_num(pf->p_value));
            json_array_append_new(fits, o);
        }
        json_object_set_new(po_, "fits", fits);
        json_object_set_new(root, "placebo", po_);
    }
    if (r->nsens > 0) {
        json_t *sa = json_array();
        for (size_t i = 0; i < r->nsens; i++) {
            const tally_its_sens *e = &r->sens[i];
            json_t *o = json_object();
            json_object_set_new(o, "kind",
                                json_string(e->kind ? "widen" : "move"));
            json_object_set_new(o, "break", jper(r, r->breaks[e->brk].period));
            json_object_set_new(o, "shift", json_integer(e->shift));
            json_object_set_new(o, "period", jper(r, e->period));
            if (e->has_window) {
                json_object_set_new(o, "window_from", jper(r, e->win_from));
                json_object_set_new(o, "window_to", jper(r, e->win_to));
            }
            json_object_set_new(o, "ok", json_boolean(e->ok));
            json_object_set_new(o, "poisson_limit", json_boolean(e->poisson));
            json_object_set_new(o, "n", json_integer((json_int_t)e->n));
            json_object_set_new(o, "level", cli_json_num(e->level));
            json_object_set_new(o, "level_low", cli_json_num(e->level_low));
            json_object_set_new(o, "level_high", cli_json_num(e->level_high));
            json_object_set_new(o, "level_p", cli_json_num(e->level_p));
            json_object_set_new(o, "slope", cli_json_num(e->slope));
            json_object_set_new(o, "slope_low", cli_json_num(e->slope_low));
            json_object_set_new(o, "slope_high", cli_json_num(e->slope_high));
            json_object_set_new(o, "slope_p", cli_json_num(e->slope_p));
            json_array_append_new(sa, o);
        }
        json_object_set_new(root, "sensitivity", sa);
    }
    json_object_set_new(root, "notes", json_string(r->notes));
    return root;
}

/* ---- fitted[], observed[], residuals[] and the picture ---------------- */

/* The design rows of the series under study, rebuilt from the term names
 * for the fitted path's intervals (fit_path_compute checks every rebuilt
 * row against the fit's own linear predictor). */
typedef struct {
    const tally_its_result *r;
    const tally_design *season; /* season columns on the series' rows, or
                                   NULL */
    const double *off;          /* the offset or exposure column, or NULL */
    int exposure;               /* 1: the offset is log(off) */
} its_rows;

/* The value of design term `term` at row `row` (0-based position in the
 * series): intercept, time = row + 1, level/slope (levelK/slopeK) of the
 * breaks, the season columns, treated = 1 and treated:TERM = TERM on the
 * rows of the series under study.  0, or -1 for a term not known here. */
static int its_term(const its_rows *ir, const char *term, size_t row, double *x)
{
    const tally_its_result *r = ir->r;
    if (strcmp(term, "intercept") == 0 || strcmp(term, "treated") == 0) {
        *x = 1.0;
        return 0;
    }
    if (strcmp(term, "time") == 0) {
        *x = (double)row + 1.0;
        return 0;
    }
    if (strncmp(term, "treated:", 8) == 0) {
        return its_term(ir, term + 8, row, x);
    }
    if (strncmp(term, "level", 5) == 0 || strncmp(term, "slope", 5) == 0) {
        long k = 1;
        if (term[5] != '\0' &&
            (r->nbreaks == 1 || !cli_parse_long(term + 5, 1, 1000, &k))) {
            return -1;
        }
        if (term[5] == '\0' && r->nbreaks != 1) {
            return -1;
        }
        if ((size_t)k > r->nbreaks) {
            return -1;
        }
        /* level: 1 from the break row on; slope: 1, 2, ... from it. */
        size_t b = r->breaks[k - 1].index - 1;
        if (term[0] == 'l') {
            *x = row >= b ? 1.0 : 0.0;
        } else {
            *x = row >= b ? (double)(row - b + 1) : 0.0;
        }
        return 0;
    }
    long j = ir->season != NULL ? tally_design_term(ir->season, term) : -1;
    if (j < 0) {
        return -1;
    }
    *x = ir->season->x[(size_t)j * ir->season->n + row];
    return 0;
}

static int its_row(void *ctx, size_t row, double *x, double *off)
{
    const its_rows *ir = ctx;
    const tally_fit *f = ir->r->fit;
    for (size_t j = 0; j < f->p; j++) {
        if (its_term(ir, f->terms[j], row, &x[j]) != 0) {
            return -1;
        }
    }
    *off = 0.0;
    if (ir->off != NULL) {
        *off = ir->exposure ? log(ir->off[row]) : ir->off[row];
    }
    return 0;
}

/* The fitted path of the series under study (its used periods). */
static int its_path(const tally_its_result *r, const tally_frame *f,
                    fit_path *path)
{
    its_rows ir = {r, NULL, NULL, r->options.exposure};
    tally_design *season = NULL;
    int st = TALLY_OK;
    if (r->options.season != TALLY_SEASON_NONE) {
        season = tally_design_alloc(r->n_series);
        if (season == NULL) {
            return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
        season->freq = r->freq;
        season->start = r->start;
        st = tally_design_add_season(season, r->options.season,
                                     r->options.fourier_k);
        ir.season = season;
    }
    if (r->options.offset_col != NULL) {
        long c = tally_frame_column(f, r->options.offset_col);
        ir.off = c >= 0 ? f->cols[c] : NULL;
    }
    if (st == TALLY_OK) {
        st = fit_path_compute(r->fit, r->freq, r->start, r->n_series, r->crit,
                              its_row, &ir, path);
    }
    tally_design_free(season);
    return st;
}

/* A value as the JSON carries it: NaN for what prints as null. */
static double finite_or_nan(double v)
{
    return isfinite(v) ? v : NAN;
}

/* The its picture: observed, fitted path, counterfactual with its band and
 * the breaks, on the axis from the first period to the end of the
 * counterfactual (the data plus --horizon).  The arrays (one block of
 * 5 N values) are freed by the caller. */
static int its_figure(const tally_its_result *r, const double *y,
                      const fit_path *path, const char *value,
                      tally_period *breaks, tally_plot_figure *fig,
                      double **block)
{
    size_t N = r->n_series;
    if (r->ncf > 0) {
        size_t end = (size_t)(r->cf[r->ncf - 1].period - r->start) + 1;
        N = end > N ? end : N;
    }
    double *v = malloc(5 * N * sizeof *v);
    if (v == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    double *obs = v, *fit = v + N, *cm = v + 2 * N, *cl = v + 3 * N,
           *ch = v + 4 * N;
    for (size_t i = 0; i < 5 * N; i++) {
        v[i] = NAN;
    }
    for (size_t i = 0; i < r->n_series; i++) {
        obs[i] = y[i];
    }
    for (size_t i = 0; i < path->n; i++) {
        fit[path->period[i] - r->start] = finite_or_nan(path->mean[i]);
    }
    for (size_t i = 0; i < r->ncf; i++) {
        size_t at = (size_t)(r->cf[i].period - r->start);
        cm[at] = finite_or_nan(r->cf[i].mean);
        cl[at] = finite_or_nan(r->cf[i].conf_low);
        ch[at] = finite_or_nan(r->cf[i].conf_high);
    }
    for (size_t j = 0; j < r->nbreaks; j++) {
        breaks[j] = r->breaks[j].period;
    }
    fig->kind = TALLY_PLOT_ITS;
    fig->its.t = (tally_plot_axis){r->freq, r->start, N};
    fig->its.observed = obs;
    fig->its.fitted = fit;
    fig->its.cf_mean = cm;
    fig->its.cf_low = cl;
    fig->its.cf_high = ch;
    fig->its.nbreaks = r->nbreaks;
    fig->its.breaks = breaks;
    fig->its.level = r->fit->options.level;
    fig->its.ylabel = value;
    *block = v;
    return TALLY_OK;
}

/* What to fit, as the options say; the same for every group. */
typedef struct {
    const tally_its_options *o; /* the options (breaks not yet parsed) */
    const char *value;          /* --value */
    const char *const *breaks;  /* the --break texts */
    size_t nb;
    const char *const *excl;    /* the --exclude texts */
    size_t nx;
    csv_table table;            /* --table */
    const char *path;           /* the series file */
} its_ctx;

/* The breaks and windows of x on the periods of frame f, then the fit and
 * its warnings; *o receives the options used.  Returns an exit code (the
 * message given to the sink). */
static int its_prepare(const its_ctx *x, const tally_frame *f, by_sink *s,
                       tally_its_options *o, tally_its_result **r)
{
    *o = *x->o;
    *r = NULL;
    for (size_t j = 0; j < x->nb; j++) {
        tally_freq fr = f->freq;
        if (tally_period_parse(x->breaks[j], &fr, &o->breaks[j]) != TALLY_OK) {
            return by_fail(s, CLI_EUSAGE, "--break: %s", tally_last_error());
        }
    }
    o->nbreaks = x->nb;
    for (size_t w = 0; w < x->nx; w++) {
        if (!parse_range(x->excl[w], f->freq, &o->exclude_from[w],
                         &o->exclude_to[w])) {
            return by_fail(s, CLI_EUSAGE,
                           "--exclude: '%s' is not a range of %s periods "
                           "P1:P2",
                           x->excl[w], tally_freq_name(f->freq));
        }
    }
    o->nexclude = x->nx;
    if (o->control_col != NULL && o->offset_col != NULL &&
        o->control_offset_col == NULL) {
        return by_fail(s, CLI_EUSAGE,
                       "with --control and --%s, give the control series' "
                       "own column with --control-offset",
                       o->exposure ? "exposure" : "offset");
    }
    int st = tally_its_fit(f, x->value, o, r);
    if (st != TALLY_OK) {
        /* One series: the message names the file (a group's is under
         * the group's name). */
        if (by_grouped(s)) {
            return by_fail_status(s, st);
        }
        fprintf(stderr, "tally: %s: %s\n", x->path, tally_last_error());
        return tally_exit_code(st);
    }
    const tally_fit_diag *d = &(*r)->fit->diag;
    if ((*r)->fit->n_missing > 0) {
        by_warn(s, "%zu missing value%s left out of the fit (positions kept)",
                (*r)->fit->n_missing, (*r)->fit->n_missing == 1 ? "" : "s");
    }
    if ((*r)->autocorrelated && o->fit.vcov.type != TALLY_VCOV_HAC) {
        by_warn(s,
                "residual autocorrelation (Ljung-Box Q = %.4g on %d lags, "
                "p = %.3g): standard errors and intervals may be too narrow; "
                "consider --hac auto",
                d->ljung_box, d->ljung_box_lag, d->ljung_box_p);
    }
    return CLI_OK;
}

/* The printer's options for frame f: the file, the group and the sample
 * "FIRST .. LAST" (kept in sample[size]). */
static void its_print_opts(fit_print_opts *po, char *sample, size_t size,
                           const char *path, const char *where,
                           const tally_frame *f)
{
    char b1[TALLY_PERIOD_BUFSIZE], b2[TALLY_PERIOD_BUFSIZE];
    snprintf(sample, size, "%s .. %s",
             tally_period_format(f->freq, f->start, b1, sizeof b1),
             tally_period_format(f->freq, f->start + (tally_period)f->n - 1,
                                 b2, sizeof b2));
    fit_print_opts_init(po, "its", path);
    po->where = where;
    po->sample = sample;
}

/* Print result r in the sink's format: text to s->out, or the JSON
 * document (with the fitted path fp of the series y) into s->json. */
static int its_render(by_sink *s, const tally_its_result *r,
                      const tally_frame *f, const double *y,
                      const fit_path *fp, csv_table table,
                      const fit_print_opts *po)
{
    if (s->format == CLI_JSON) {
        s->json = build_json(r, po);
        if (s->json == NULL) {
            return by_fail(s, CLI_EIO, "out of memory building JSON");
        }
        fit_path_json(s->json, r->fit, fp, y, f->n, f->start);
    } else if (s->format == CLI_CSV) {
        print_csv(s->out, r, table, po);
        if (r->notes[0]) {
            by_warn(s, "%s", r->notes);
        }
    } else {
        print_table(s->out, r, po);
    }
    return CLI_OK;
}

/* One group of --by (by_fn): what `--where COL=VALUE` prints. */
static int its_group(void *ctx, const void *item, const char *where,
                     by_sink *s)
{
    const its_ctx *x = ctx;
    const tally_frame *f = item;
    tally_its_options o;
    tally_its_result *r = NULL;
    int rc = its_prepare(x, f, s, &o, &r);
    if (rc != CLI_OK) {
        tally_its_result_free(r);
        return rc;
    }
    fit_print_opts po;
    char sample[64];
    its_print_opts(&po, sample, sizeof sample, x->path, where, f);
    fit_path fp;
    memset(&fp, 0, sizeof fp);
    int st = s->format == CLI_JSON ? its_path(r, f, &fp) : TALLY_OK;
    if (st != TALLY_OK) {
        rc = by_fail_status(s, st);
    } else {
        rc = its_render(s, r, f, f->cols[tally_frame_column(f, x->value)],
                        &fp, x->table, &po);
    }
    if (rc == CLI_OK && !fp.rebuilt && fp.n > 0) {
        by_warn(s, "the design rows could not be rebuilt: fitted[] has no "
                   "intervals");
    }
    fit_path_fini(&fp);
    tally_its_result_free(r);
    return rc;
}

/* Parse a comma list of positive horizons. */
static int parse_horizons(const char *s, tally_its_options *o)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        char buf[32];
        size_t len = strcspn(p, ",");
        long k;
        if (len == 0 || len >= sizeof buf || n == TALLY_ITS_MAX_EFFECTS) {
            return 0;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (!cli_parse_long(buf, 1, 100000, &k)) {
            return 0;
        }
        o->effect_at[n++] = k;
        p += len;
        if (*p == ',') {
            p++;
            if (*p == '\0') {
                return 0;
            }
        }
    }
    o->neffects = n;
    return n > 0;
}

int cmd_its(int argc, char **argv)
{
    cli_cmd c;
    cli_init(&c, "its", "SERIES.csv --value COL --break P [OPTIONS]",
             description, examples, opts,
             CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    tally_its_options o;
    tally_its_options_init(&o);
    const char *value = NULL;
    group_opt grp;
    group_opt_init(&grp);
    const char *breaks[TALLY_ITS_MAX_BREAKS], *excl[TALLY_ITS_MAX_EXCLUDE];
    size_t nb = 0, nx = 0;
    csv_table table = TABLE_COEF;
    int have_vcov = 0, effects_given = 0;
    plot_opt plot;
    plot_opt_init(&plot);
    char *arg;
    int key;
    while ((key = cli_next(&c, argc, argv, &arg)) != CLI_END) {
        long v;
        int shared = fit_cli_option(&c, key, arg, &o.fit, &have_vcov);
        if (shared == 0) {
            shared = plot_opt_parse(&c, key, arg, &plot);
        }
        if (shared == 0) {
            shared = group_opt_parse(&c, key, arg, &grp);
        }
        if (shared < 0) {
            return CLI_EUSAGE;
        }
        if (shared > 0) {
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
        case KEY_BREAK:
            if (nb == TALLY_ITS_MAX_BREAKS) {
                return cli_usage_error(&c, "at most %d --break options",
                                       TALLY_ITS_MAX_BREAKS);
            }
            breaks[nb++] = arg;
            break;
        case KEY_SEASON:
            if (strcmp(arg, "none") == 0) {
                o.season = TALLY_SEASON_NONE;
            } else if (strcmp(arg, "dummies") == 0) {
                o.season = TALLY_SEASON_DUMMIES;
            } else if (strncmp(arg, "fourier:", 8) == 0 &&
                       cli_parse_long(arg + 8, 1, 6, &v)) {
                o.season = TALLY_SEASON_FOURIER;
                o.fourier_k = (int)v;
            } else {
                return cli_usage_error(&c,
                                       "--season must be none, dummies "
                                       "or fourier:K (K = 1..6), not '%s'",
                                       arg);
            }
            break;
        case KEY_CHANGE:
            if (strcmp(arg, "level") == 0) {
                o.change = TALLY_ITS_LEVEL;
            } else if (strcmp(arg, "slope") == 0) {
                o.change = TALLY_ITS_SLOPE;
            } else if (strcmp(arg, "level+slope") == 0 ||
                       strcmp(arg, "slope+level") == 0) {
                o.change = TALLY_ITS_LEVEL | TALLY_ITS_SLOPE;
            } else {
                return cli_usage_error(&c,
                                       "--change must be level, slope or "
                                       "level+slope, not '%s'",
                                       arg);
            }
            break;
        case KEY_OFFSET:
        case KEY_EXPOSURE:
            if (o.offset_col != NULL) {
                return cli_usage_error(&c, "give one of --offset and "
                                           "--exposure, once");
            }
            o.offset_col = arg;
            o.exposure = key == KEY_EXPOSURE;
            break;
        case KEY_EXCLUDE:
            if (nx == TALLY_ITS_MAX_EXCLUDE) {
                return cli_usage_error(&c, "at most %d --exclude options",
                                       TALLY_ITS_MAX_EXCLUDE);
            }
            excl[nx++] = arg;
            break;
        case KEY_HORIZON:
            if (!cli_parse_long(arg, 0, 10000, &v)) {
                return cli_usage_error(&c,
                                       "--horizon must be 0..10000, not "
                                       "'%s'",
                                       arg);
            }
            o.horizon = (size_t)v;
            break;
        case KEY_EFFECT_AT:
            effects_given = 1;
            if (!parse_horizons(arg, &o)) {
                return cli_usage_error(&c,
                                       "--effect-at must be a list of "
                                       "positive integers such as 1,6,12, "
                                       "not '%s'",
                                       arg);
            }
            break;
        case KEY_CI:
            if (strcmp(arg, "z") == 0) {
                o.ci_z = 1;
            } else if (strcmp(arg, "t") == 0) {
                o.ci_z = 0;
            } else {
                return cli_usage_error(&c, "--ci must be t or z, not '%s'",
                                       arg);
            }
            break;
        case KEY_CONTROL:
            o.control_col = arg;
            break;
        case KEY_CONTROL_OFFSET:
            o.control_offset_col = arg;
            break;
        case KEY_CUMULATIVE:
            if (strcmp(arg, "delta") == 0) {
                o.cum_method = TALLY_ITS_CUM_DELTA;
            } else if (strcmp(arg, "bootstrap") == 0) {
                o.cum_method = TALLY_ITS_CUM_BOOTSTRAP;
            } else {
                return cli_usage_error(&c,
                                       "--cumulative must be delta or "
                                       "bootstrap, not '%s'",
                                       arg);
            }
            break;
        case KEY_DRAWS:
            if (!cli_parse_long(arg, 100, 1000000, &v)) {
                return cli_usage_error(&c,
                                       "--draws must be 100..1000000, not "
                                       "'%s'",
                                       arg);
            }
            o.nboot = (size_t)v;
            break;
        case KEY_SEED:
            if (!cli_parse_long(arg, 0, 2147483647L, &v)) {
                return cli_usage_error(&c,
                                       "--seed must be 0..2147483647, not "
                                       "'%s'",
                                       arg);
            }
            o.seed = (unsigned long)v;
            break;
        case KEY_PLACEBO:
            o.placebo = 1;
            break;
        case KEY_PLACEBO_MIN:
            if (!cli_parse_long(arg, 1, 100000, &v)) {
                return cli_usage_error(&c,
                                       "--placebo-min must be a positive "
                                       "integer, not '%s'",
                                       arg);
            }
            o.placebo_min = (size_t)v;
            break;
        case KEY_SENSITIVITY:
            if (!cli_parse_long(arg, 1, 60, &v)) {
                return cli_usage_error(&c,
                                       "--sensitivity must be 1..60, not "
                                       "'%s'",
                                       arg);
            }
            o.sensitivity = (size_t)v;
            break;
        case KEY_TABLE:
            if (strcmp(arg, "coefficients") == 0) {
                table = TABLE_COEF;
            } else if (strcmp(arg, "effects") == 0) {
                table = TABLE_EFFECTS;
            } else if (strcmp(arg, "counterfactual") == 0) {
                table = TABLE_CF;
            } else if (strcmp(arg, "placebo") == 0) {
                table = TABLE_PLACEBO;
            } else if (strcmp(arg, "sensitivity") == 0) {
                table = TABLE_SENS;
            } else {
                return cli_usage_error(&c,
                                       "--table must be coefficients, "
                                       "effects, counterfactual, placebo or "
                                       "sensitivity, not '%s'",
                                       arg);
            }
            break;
        default:
            return cli_usage_error(&c, "unexpected option");
        }
    }
    if (optind != argc - 1) {
        return cli_usage_error(&c, "expected one series file");
    }
    if (value == NULL || nb == 0) {
        return cli_usage_error(&c, "--value and --break are required");
    }
    if (o.change == TALLY_ITS_LEVEL && !effects_given) {
        /* A step has the same effect at every horizon: one row. */
        o.neffects = 1;
        o.effect_at[0] = 1;
    }
    if (o.control_offset_col != NULL && o.control_col == NULL) {
        return cli_usage_error(&c, "--control-offset needs --control");
    }
    const char *path = argv[optind];
    int rc = plot_opt_check(&c, &plot, path);
    if (rc == CLI_OK) {
        rc = group_opt_check(&c, &grp, &plot);
    }
    if (rc != CLI_OK) {
        return rc;
    }
    its_ctx x = {&o, value, breaks, nb, excl, nx, table, path};
    if (grp.by != NULL) {
        return group_opt_run(&c, &grp, "its", path, its_group, &x);
    }
    tally_frame_set *set = NULL;
    tally_frame *f = NULL;
    by_sink one;
    rc = group_opt_read(&c, &grp, path, &set, &f, &one);
    if (rc != CLI_OK) {
        return rc;
    }
    tally_its_options fo;
    tally_its_result *r = NULL;
    rc = its_prepare(&x, f, &one, &fo, &r);
    if (rc == CLI_OK) {
        fit_print_opts po;
        char sample[64];
        its_print_opts(&po, sample, sizeof sample, path, grp.where, f);
        const double *y = f->cols[tally_frame_column(f, value)];
        fit_path fp;
        memset(&fp, 0, sizeof fp);
        tally_plot_figure fig;
        memset(&fig, 0, sizeof fig);
        tally_period bp[TALLY_ITS_MAX_BREAKS];
        double *block = NULL;
        int st = TALLY_OK;
        if (c.format == CLI_JSON || plot_opt_wanted(&plot)) {
            st = its_path(r, f, &fp);
        }
        if (st == TALLY_OK && plot_opt_wanted(&plot)) {
            st = its_figure(r, y, &fp, value, bp, &fig, &block);
        }
        cli_out out;
        memset(&out, 0, sizeof out);
        rc = st != TALLY_OK ? cli_fail(st) : cli_out_open(&c, path, &out);
        if (rc == CLI_OK) {
            rc = plot_opt_save(&c, &plot, &fig);
        }
        if (rc == CLI_OK) {
            one.out = out.fp;
            rc = its_render(&one, r, f, y, &fp, table, &po);
            if (one.json != NULL) {
                rc = cli_json_print(out.fp, one.json);
            }
        }
        if (st == TALLY_OK) {
            int rc2 = cli_out_close(&out, rc == CLI_OK);
            rc = plot_opt_finish(&c, &plot, rc != CLI_OK ? rc : rc2);
        }
        if (!fp.rebuilt && fp.n > 0) {
            cli_warn("the design rows could not be rebuilt: fitted[] has no "
                     "intervals");
        }
        free(block);
        fit_path_fini(&fp);
    }
    tally_its_result_free(r);
    tally_frame_set_free(set);
    return rc;
}
