/* SPDX-License-Identifier: MIT
 *
 * The human report of a study run.  Each analysis step's JSON result is read
 * back and its headline numbers printed as Markdown: rate ratios and
 * excess counts for ITS, window comparisons, break dates, forecasts.
 * Numbers are printed with 4 significant digits (%.4g); the JSON files keep
 * full precision.
 */
#include "cli/run_report.h"
#include "cli/cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "?";
}

static void fmt(FILE *fp, double v)
{
    if (isnan(v)) {
        fputs("NA", fp);
    } else {
        fprintf(fp, "%.4g", v);
    }
}

static int log_link(const char *family)
{
    return strcmp(family, "poisson") == 0 || strcmp(family, "quasipoisson") == 0
           || strcmp(family, "negbin") == 0;
}

static void report_fit(FILE *fp, json_t *r, int break_terms_only)
{
    const char *family = str(r, "family");
    int rr = log_link(family);
    fprintf(fp, "Family %s, n = ", family);
    fmt(fp, num(r, "n"));
    fputs(".\n\n", fp);
    fprintf(fp, "| term | %s | 95%% interval |\n|---|---|---|\n",
            rr ? "rate ratio" : "estimate");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(r, "coefficients"), i, c) {
        const char *term = str(c, "term");
        if (break_terms_only && strncmp(term, "level", 5) != 0
            && strncmp(term, "slope", 5) != 0) {
            continue;
        }
        double e = num(c, "estimate"), lo = num(c, "conf_low"), hi = num(c, "conf_high");
        if (rr) {
            e = exp(e);
            lo = exp(lo);
            hi = exp(hi);
        }
        fprintf(fp, "| %s | ", term);
        fmt(fp, e);
        fputs(" | ", fp);
        fmt(fp, lo);
        fputs(" to ", fp);
        fmt(fp, hi);
        fputs(" |\n", fp);
    }
    json_t *cum = json_object_get(r, "cumulative");
    if (json_is_object(cum)) {
        fputs("\nObserved minus counterfactual over the post-break periods: ", fp);
        fmt(fp, num(cum, "estimate"));
        fputs(" (", fp);
        fmt(fp, num(cum, "conf_low"));
        fputs(" to ", fp);
        fmt(fp, num(cum, "conf_high"));
        fputs(").\n", fp);
    }
}

static void report_compare(FILE *fp, json_t *r)
{
    json_t *b = json_object_get(r, "before"), *a = json_object_get(r, "after");
    fprintf(fp, "Before %s to %s: total ", str(b, "from"), str(b, "to"));
    fmt(fp, num(b, "total"));
    fputs(", mean ", fp);
    fmt(fp, num(b, "mean"));
    fprintf(fp, " per period. After %s to %s: total ", str(a, "from"), str(a, "to"));
    fmt(fp, num(a, "total"));
    fputs(", mean ", fp);
    fmt(fp, num(a, "mean"));
    fputs(" per period. Change ", fp);
    fmt(fp, num(r, "percent_change"));
    fputs("%.\n\n", fp);
    const char *keys[2] = {"rate_ratio", "quasipoisson"};
    const char *names[2] = {"exact Poisson", "quasi-Poisson (overdispersion-robust)"};
    for (int k = 0; k < 2; k++) {
        json_t *t = json_object_get(r, keys[k]);
        if (!json_is_object(t)) {
            continue;
        }
        fprintf(fp, "- Rate ratio, %s: ", names[k]);
        fmt(fp, num(t, "estimate"));
        fputs(" (95% ", fp);
        fmt(fp, num(t, "conf_low"));
        fputs(" to ", fp);
        fmt(fp, num(t, "conf_high"));
        fputs("), p = ", fp);
        fmt(fp, num(t, "p_value"));
        fputs(".\n", fp);
    }
}

static void report_forecast(FILE *fp, json_t *r)
{
    fprintf(fp, "Model %s.\n\n| period | mean | interval |\n|---|---|---|\n",
            str(r, "model"));
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(r, "forecast"), i, f) {
        json_t *ivs = json_object_get(f, "intervals");
        json_t *last = json_array_get(ivs, json_array_size(ivs) - 1);
        fprintf(fp, "| %s | ", str(f, "period"));
        fmt(fp, num(f, "mean"));
        fputs(" | ", fp);
        if (last != NULL) {
            fmt(fp, num(last, "level"));
            fputs("%: ", fp);
            fmt(fp, num(last, "lower"));
            fputs(" to ", fp);
            fmt(fp, num(last, "upper"));
        }
        fputs(" |\n", fp);
    }
}

static void report_changepoint(FILE *fp, json_t *r)
{
    json_t *breaks = json_object_get(r, "breaks");
    fprintf(fp, "%zu break%s", json_array_size(breaks),
            json_array_size(breaks) == 1 ? "" : "s");
    size_t i;
    json_t *b;
    json_array_foreach(breaks, i, b) {
        fprintf(fp, "%s%s", i == 0 ? ": new regimes start " : ", ", str(b, "period"));
    }
    fputs(".\n\n| from | to | mean |\n|---|---|---|\n", fp);
    json_array_foreach(json_object_get(r, "segments"), i, b) {
        fprintf(fp, "| %s | %s | ", str(b, "from"), str(b, "to"));
        fmt(fp, num(b, "mean"));
        fputs(" |\n", fp);
    }
}

/* describe: totals per calendar year of each series (with the change
 * between complete years), then each group's share per year. */
static void report_describe(FILE *fp, json_t *r)
{
    size_t i, j;
    json_t *sr, *y;
    json_array_foreach(json_object_get(r, "series"), i, sr) {
        const char *g = json_string_value(json_object_get(sr, "group"));
        if (g != NULL && json_array_size(json_object_get(r, "shares")) > 0) {
            continue; /* grouped: the shares below say it more briefly */
        }
        fprintf(fp, "%s%s%s, %s to %s: total ", str(sr, "variable"), g ? " in " : "",
                g ? g : "", str(sr, "first"), str(sr, "last"));
        fmt(fp, num(sr, "total"));
        fputs(".\n\n| year | total | change | complete |\n|---|---|---|---|\n", fp);
        json_array_foreach(json_object_get(sr, "years"), j, y) {
            fprintf(fp, "| %s | ", str(y, "label"));
            fmt(fp, num(y, "total"));
            fputs(" | ", fp);
            double pc = num(y, "percent_change");
            if (isnan(pc)) {
                fputs("NA", fp);
            } else {
                fprintf(fp, "%+.1f%%", pc);
            }
            fprintf(fp, " | %s |\n", json_is_true(json_object_get(y, "complete")) ? "yes" : "no");
        }
        fputc('\n', fp);
    }
    json_t *sh;
    json_array_foreach(json_object_get(r, "shares"), i, sh) {
        fprintf(fp, "Shares of %s by year (percent of the groups reported that year):\n\n",
                str(sh, "variable"));
        json_array_foreach(json_object_get(sh, "years"), j, y) {
            fputs("- ", fp);
            fmt(fp, num(y, "year"));
            fputc(':', fp);
            size_t k;
            json_t *gs;
            int first = 1;
            json_array_foreach(json_object_get(y, "shares"), k, gs) {
                double p = num(gs, "share_percent");
                if (isnan(p)) {
                    continue;
                }
                fprintf(fp, "%s %s ", first ? "" : ",", str(gs, "group"));
                fprintf(fp, "%.1f%%", p);
                first = 0;
            }
            fputs(first ? " no figures\n" : "\n", fp);
        }
        fputc('\n', fp);
    }
}

int tly_run_report_write(const tally_study *s, const char *dir, int rendered)
{
    (void)rendered;
    char *path = tally_path_join(dir, "report.md");
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (fp == NULL) {
        fprintf(stderr, "tally: cannot write %s/report.md\n", dir);
        free(path);
        return CLI_EIO;
    }
    fprintf(fp, "# %s\n\n", s->title ? s->title : s->name);
    fprintf(fp, "Generated by `tally run` from the study file `%s` (study '%s').\n"
                "Every number below is read from the step's JSON file, which keeps "
                "full precision; `manifest.json` lists the sha256 of every input "
                "and output.\n",
            strrchr(s->path, '/') ? strrchr(s->path, '/') + 1 : s->path, s->name);
    for (size_t k = 0; k < s->nsteps; k++) {
        const tally_study_step *sp = &s->steps[k];
        fprintf(fp, "\n## %s (`tally %s`)\n\n", sp->name, sp->command);
        if (strcmp(sp->command, "plot") == 0) {
            fprintf(fp, "![%s](%s.png)\n\ngnuplot script: `%s.gp` "
                        "(render with `gnuplot %s.gp`).\n",
                    sp->name, sp->name, sp->name, sp->name);
            continue;
        }
        if (strcmp(sp->command, "aggregate") == 0) {
            fprintf(fp, "Series written to `%s.csv`.\n", sp->name);
            continue;
        }
        char name[256];
        snprintf(name, sizeof name, "%s.json", sp->name);
        char *jpath = tally_path_join(dir, name);
        json_error_t err;
        json_t *r = jpath ? json_load_file(jpath, 0, &err) : NULL;
        free(jpath);
        if (r == NULL) {
            fprintf(fp, "Result: `%s`.\n", name);
            continue;
        }
        if (strcmp(sp->command, "its") == 0) {
            report_fit(fp, r, 1);
        } else if (strcmp(sp->command, "regress") == 0
                   || strcmp(sp->command, "trend") == 0) {
            report_fit(fp, r, 0);
        } else if (strcmp(sp->command, "compare") == 0) {
            report_compare(fp, r);
        } else if (strcmp(sp->command, "forecast") == 0) {
            report_forecast(fp, r);
        } else if (strcmp(sp->command, "changepoint") == 0) {
            report_changepoint(fp, r);
        } else if (strcmp(sp->command, "describe") == 0) {
            report_describe(fp, r);
        }
        fprintf(fp, "\nFull result: `%s.json`; table: `%s.csv`.\n", sp->name, sp->name);
        json_decref(r);
    }
    int bad = ferror(fp);
    bad |= fclose(fp) != 0;
    free(path);
    if (bad) {
        fprintf(stderr, "tally: cannot write %s/report.md\n", dir);
        return CLI_EIO;
    }
    return CLI_OK;
}
