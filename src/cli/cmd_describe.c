/* SPDX-License-Identifier: MIT
 *
 * tally describe: totals and means per year and half-year, year-on-year
 * and like-for-like changes, the rolling mean over the last year, records
 * ("highest since 2017") and, for grouped series, each group's and union
 * of groups' share of the total.  The numbers come from
 * tally_describe_series / tally_describe_shares_compute; this file only
 * parses options and prints (table, csv or json).
 *
 * Printed percentages follow one rule: computed from unrounded totals,
 * rounded to one decimal, halves away from zero (tally_describe_round).
 * CSV and JSON carry the unrounded values.
 */
#include "cli/cli.h"
#include "cli/plot_opt.h"

#include "tally/tally_describe.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
    KEY_VALUE = 'v',
    KEY_BY = CLI_KEY_FIRST_FREE,
    KEY_WHERE,
    KEY_ANNUAL,
    KEY_SHARE,
    KEY_WINDOW,
    KEY_PERIODS
};

static const cli_opt describe_opts[] = {
    {"value", KEY_VALUE, 1, "COL[,COL...]",
     "describe these columns (default: every numeric column)"},
    {"by", KEY_BY, 1, "COL",
     "describe every group of COL, then each group's share of the total"},
    {"where", KEY_WHERE, 1, "COL=VALUE",
     "describe only the group VALUE of COL"},
    {"share", KEY_SHARE, 1, "G1+G2[+...]",
     "also the share of this union of groups (with --by; repeatable)"},
    {"annual", KEY_ANNUAL, 0, NULL,
     "report calendar years only (no half-years, months or rolling mean)"},
    {"window", KEY_WINDOW, 1, "N",
     "rolling-mean window in periods (default: one year; none for annual)"},
    {"periods", KEY_PERIODS, 0, NULL,
     "table: also list every period (value, rolling mean, a year earlier)"},
    PLOT_OPTS,
    {NULL, 0, 0, NULL, NULL}};

static const char describe_usage[] =
    "SERIES.csv [--value COL] [--by COL [--share G1+G2] | --where COL=VALUE] "
    "[--annual] [--window N] [--periods] [--format table|csv|json] [-o FILE] "
    "[--plot FILE.gp [--terminal T] [--render]]";

static const char describe_help[] =
    "Totals and means per calendar year and half-year, year-on-year change,\n"
    "the rolling mean over the last year, records (\"highest since 2017\",\n"
    "with the years compared) and, with --by, each group's share of the\n"
    "total.  Monthly, quarterly and annual series.\n"
    "\n"
    "Missing values (blank or NA) are never counted as 0: sums and means use\n"
    "the observed values and every figure says how many are missing.  A year\n"
    "(half-year) is complete when all its periods are observed; a partial\n"
    "year at either end, or one with missing periods, is flagged and never\n"
    "compared as a whole: it gets a like-for-like comparison over the\n"
    "periods observed in both years (e.g. 2024-01 to 2024-05 against\n"
    "2023-01 to 2023-05).  Records compare complete years (observed\n"
    "periods) only.  The rolling mean is undefined (NA) for a window with a\n"
    "missing period.\n"
    "\n"
    "Percentages are computed from unrounded totals and printed rounded to\n"
    "one decimal, halves away from zero; csv and json give them unrounded.\n"
    "Shares are of the sum over the groups observed: a group without a value\n"
    "in a year is missing there, not 0, and the missing cells are counted.\n"
    "\n"
    "--plot FILE.gp also writes the picture of one variable: the series over\n"
    "time, the year totals with --annual (or for an annual series), each\n"
    "group's share of the total with --by.";

static const char describe_examples[] =
    "  tally describe data/pakistan-picss/monthly.csv --value attacks\n"
    "  tally describe data/pakistan-picss/annual.csv --format json\n"
    "  tally describe data/pakistan-aggregates/province_year_picss.csv \\\n"
    "      --by region --value attacks --annual \\\n"
    "      --share 'KP mainland+KP tribal districts'\n"
    "  tally describe data/pakistan-picss/monthly.csv --value attacks "
    "--annual \\\n"
    "      --plot annual.gp --render\n";

#define MAX_SHARES 32

typedef struct {
    char *values;                   /* --value list (copy, split in place) */
    const char *by;                 /* --by column */
    char *where_col;                /* --where column (owns the copy) */
    const char *where_val;          /* --where value (inside where_col) */
    const char *shares[MAX_SHARES]; /* --share specs */
    size_t nshares;
    int annual;    /* --annual */
    int periods;   /* --periods */
    size_t window; /* --window, 0 = default */
} describe_args;

/* One described variable of one frame. */
typedef struct {
    const tally_frame *frame; /* borrowed from the set */
    size_t col;               /* column index in the frame */
    tally_describe d;         /* results */
} item;

/* One share table (one variable over the groups). */
typedef struct {
    const char *name;        /* variable */
    tally_describe_shares s; /* results */
} share_table;

/* ------------------------------------------------------------------ */
/* Text helpers. */

static const char *freq_plural(tally_freq f)
{
    switch (f) {
    case TALLY_FREQ_MONTH:
        return "months";
    case TALLY_FREQ_QUARTER:
        return "quarters";
    default:
        return "years";
    }
}

static const char *freq_adj(tally_freq f)
{
    switch (f) {
    case TALLY_FREQ_MONTH:
        return "monthly";
    case TALLY_FREQ_QUARTER:
        return "quarterly";
    default:
        return "annual";
    }
}

/* A plural phrase ("complete years") made singular for a count of one by
 * dropping its final 's' (every phrase used here forms its plural so). */
static const char *counted(const char *plural, size_t n, char *buf, size_t size)
{
    size_t len = strlen(plural);
    if (n != 1 || len == 0 || plural[len - 1] != 's') {
        snprintf(buf, size, "%s", plural);
    } else {
        snprintf(buf, size, "%.*s", (int)(len - 1), plural);
    }
    return buf;
}

static const char *period_text(tally_freq f, tally_period p, char *buf,
                               size_t n)
{
    return tally_period_format(f, p, buf, n);
}

/* A block's label: "2023" for years, "2023-H1" for halves. */
static const char *block_text(const tally_describe_block *b, int half,
                              char *buf, size_t n)
{
    if (half) {
        snprintf(buf, n, "%d-H%d", b->year, b->part);
    } else {
        snprintf(buf, n, "%d", b->year);
    }
    return buf;
}

/* A number for the table: integers without decimals; others with the
 * fewest decimals (at most five significant digits, at least one decimal)
 * that give the value back to 1e-9 relative, so 123.5 prints as 123.5 and
 * a difference 124.4 - 123.5 = 0.9000000000000057 as 0.9; NA for
 * missing. */
static const char *num_text(double v, char *buf, size_t n)
{
    if (isnan(v)) {
        snprintf(buf, n, "NA");
    } else if (fabs(v) >= 1e15) {
        snprintf(buf, n, "%.6g", v);
    } else if (v == floor(v)) {
        snprintf(buf, n, "%.0f", v);
    } else {
        int mag = (int)floor(log10(fabs(v)));
        int dmax = 4 - mag;
        if (dmax < 1) {
            dmax = 1;
        }
        if (dmax > 8) {
            dmax = 8;
        }
        for (int dec = 1; dec <= dmax; dec++) {
            snprintf(buf, n, "%.*f", dec, v);
            double back = 0.0;
            if (tally_parse_double(buf, &back) &&
                fabs(back - v) <= 1e-9 * fabs(v)) {
                break;
            }
        }
    }
    return buf;
}

/* A mean, sd or rolling mean: at least three decimals and five
 * significant digits, so that 54 and 30.6 line up as 54.000 and 30.600
 * and a small rate keeps its digits (0.0012346). */
static const char *mean_text(double v, char *buf, size_t n)
{
    if (isnan(v) || fabs(v) >= 1e15 || v == 0.0) {
        return num_text(v, buf, n);
    }
    int mag = (int)floor(log10(fabs(v)));
    int dec = 4 - mag;
    if (dec < 3) {
        dec = 3;
    }
    if (dec > 8) {
        dec = 8;
    }
    snprintf(buf, n, "%.*f", dec, v);
    return buf;
}

/* A signed change for the table: "+268", "-12", "0". */
static const char *change_text(double v, char *buf, size_t n)
{
    char t[40];
    if (isnan(v)) {
        snprintf(buf, n, "NA");
        return buf;
    }
    num_text(v, t, sizeof t);
    snprintf(buf, n, "%s%s", v > 0 ? "+" : "", t);
    return buf;
}

/* A percentage by the stated rule: one decimal, halves away from zero,
 * explicit sign for changes ("+79.5%", "-3.0%", "0.0%"). */
static const char *pct_text(double v, int sign, char *buf, size_t n)
{
    if (isnan(v)) {
        snprintf(buf, n, "NA");
        return buf;
    }
    double r = tally_describe_round(v, 1);
    snprintf(buf, n, "%s%.1f%%", sign && r > 0 ? "+" : "", r);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Table output. */

/* The name of an item: "attacks" or "attacks (region = Sindh)". */
static void item_name(const item *it, const char *group_col, char *buf,
                      size_t n)
{
    const tally_frame *f = it->frame;
    if (f->group != NULL) {
        snprintf(buf, n, "%s (%s = %s)", f->names[it->col],
                 group_col ? group_col : "group", f->group);
    } else {
        snprintf(buf, n, "%s", f->names[it->col]);
    }
}

/* A short record tag for the year table: "highest since 2017",
 * "highest of 3", "lowest since 2019"; empty when no claim. */
static void record_tag(const tally_describe_block *b,
                       const tally_describe_block *all, int half, char *buf,
                       size_t n)
{
    char lb[32];
    buf[0] = '\0';
    for (int h = 1; h >= 0; h--) {
        const tally_describe_record *r = h ? &b->high : &b->low;
        const char *word = h ? "highest" : "lowest";
        if (r->kind == TALLY_RECORD_SINCE) {
            snprintf(buf, n, "%s since %s%s", word,
                     block_text(&all[r->since], half, lb, sizeof lb),
                     r->skipped ? " (?)" : "");
            return;
        }
        if (r->kind == TALLY_RECORD_ALL) {
            snprintf(buf, n, "%s of %zu%s", word, r->compared,
                     r->skipped ? " (?)" : "");
            return;
        }
    }
}

/* The like-for-like note of a block, when its full comparison is not
 * available.  Returns 1 when a line was printed. */
static int lfl_note(FILE *fp, const tally_describe_block *b, int half,
                    tally_freq freq)
{
    char lb[32], p0[16], p1[16], q0[16], q1[16], t[64], u[64], pc[32];
    if (b->lfl_n == 0 || !isnan(b->prev_total)) {
        return 0;
    }
    tally_period back = (tally_period)freq;
    fprintf(fp, "  %s like-for-like, %s to %s vs %s to %s",
            block_text(b, half, lb, sizeof lb),
            period_text(freq, b->lfl_first, p0, sizeof p0),
            period_text(freq, b->lfl_last, p1, sizeof p1),
            period_text(freq, b->lfl_first - back, q0, sizeof q0),
            period_text(freq, b->lfl_last - back, q1, sizeof q1));
    if (b->lfl_gaps > 0) {
        fprintf(fp, " (%zu %s)", b->lfl_n, freq_plural(freq));
    }
    fprintf(fp, ": %s vs %s, %s\n", num_text(b->lfl_total, t, sizeof t),
            num_text(b->lfl_prev_total, u, sizeof u),
            pct_text(b->lfl_pct_change, 1, pc, sizeof pc));
    return 1;
}

/* Explain the "(?)" of record tags when any block has one. */
static void uncertain_note(FILE *fp, const tally_describe_block *b, size_t nb,
                           const char *what)
{
    for (size_t k = 0; k < nb; k++) {
        if ((b[k].high.kind != TALLY_RECORD_NONE && b[k].high.skipped > 0) ||
            (b[k].low.kind != TALLY_RECORD_NONE && b[k].low.skipped > 0)) {
            fprintf(fp,
                    "  (?) record not certain: %s lies in the years "
                    "compared\n",
                    what);
            return;
        }
    }
}

static void print_blocks(FILE *fp, const tally_describe_block *b, size_t nb,
                         tally_freq freq, int half, tally_period start,
                         tally_period end)
{
    char c1[32], c2[64], c3[64], c4[64], c5[32], c6[64];
    const char *unit = freq_plural(freq);
    if (half) {
        fprintf(fp,
                "\nHalf-years (change vs a year earlier when both are "
                "complete: %zu %s observed)\n",
                b[0].len, unit);
    } else {
        fprintf(fp,
                "\nCalendar years (change only between complete years: "
                "%zu %s observed)\n",
                b[0].len, unit);
    }
    fprintf(fp, "  %-8s %8s %7s %10s %10s %9s %8s  %s\n",
            half ? "half" : "year", unit, "missing", "total", "mean", "change",
            "change%", "record");
    for (size_t k = 0; k < nb; k++) {
        char frac[32];
        snprintf(frac, sizeof frac, "%zu/%zu", b[k].present, b[k].len);
        record_tag(&b[k], b, half, c6, sizeof c6);
        fprintf(fp, "  %-8s %8s %7zu %10s %10s %9s %8s",
                block_text(&b[k], half, c1, sizeof c1), frac, b[k].missing,
                num_text(b[k].total, c2, sizeof c2),
                mean_text(b[k].mean, c3, sizeof c3),
                change_text(b[k].change, c4, sizeof c4),
                pct_text(b[k].pct_change, 1, c5, sizeof c5));
        fprintf(fp, c6[0] ? "  %s\n" : "%s\n", c6);
    }
    /* Notes: what makes a block incomplete, and the like-for-like
     * comparison that replaces the full one. */
    for (size_t k = 0; k < nb; k++) {
        if (b[k].present < b[k].len) {
            /* The part of the block inside the series [start, end]. */
            char p0[16], p1[16];
            tally_period in0 = b[k].first > start ? b[k].first : start;
            tally_period last = b[k].first + (tally_period)b[k].len - 1;
            tally_period in1 = last < end ? last : end;
            if (in0 == in1) {
                fprintf(fp, "  %s partial: only %s in the series\n",
                        block_text(&b[k], half, c1, sizeof c1),
                        period_text(freq, in0, p0, sizeof p0));
            } else {
                fprintf(fp, "  %s partial: only %s to %s in the series\n",
                        block_text(&b[k], half, c1, sizeof c1),
                        period_text(freq, in0, p0, sizeof p0),
                        period_text(freq, in1, p1, sizeof p1));
            }
        }
        if (b[k].missing > 0) {
            char u[32];
            fprintf(fp,
                    "  %s has %zu missing %s (left out, not counted as 0)\n",
                    block_text(&b[k], half, c1, sizeof c1), b[k].missing,
                    counted(unit, b[k].missing, u, sizeof u));
        }
        lfl_note(fp, &b[k], half, freq);
    }
    uncertain_note(fp, b, nb,
                   half ? "an incomplete half-year" : "an incomplete year");
}

/* The short record tag of a period: "highest since 2014-11", "lowest of
 * 25"; empty when no claim. */
static void point_tag(const tally_describe *d, size_t i, char *buf, size_t n)
{
    char lb[16];
    buf[0] = '\0';
    for (int h = 1; h >= 0; h--) {
        const tally_describe_record *r =
            h ? &d->points[i].high : &d->points[i].low;
        const char *word = h ? "highest" : "lowest";
        if (r->kind == TALLY_RECORD_SINCE) {
            snprintf(
                buf, n, "%s since %s%s", word,
                period_text(d->freq, d->points[r->since].period, lb, sizeof lb),
                r->skipped ? " (?)" : "");
            return;
        }
        if (r->kind == TALLY_RECORD_ALL) {
            snprintf(buf, n, "%s of %zu%s", word, r->compared,
                     r->skipped ? " (?)" : "");
            return;
        }
    }
}

/* One record claim written out with its comparison window:
 * "highest since 2017 (650): 7 complete years compared, 2017 to 2023". */
static void record_line(FILE *fp, const char *label, double value,
                        const tally_describe_record *r, int high,
                        const char *since, const char *from,
                        const char *compared_what, const char *skipped_what)
{
    char v[64], sv[64];
    const char *word = high ? "highest" : "lowest";
    if (r->kind == TALLY_RECORD_NONE) {
        return;
    }
    fprintf(fp, "  %-8s %10s  ", label, num_text(value, v, sizeof v));
    if (r->kind == TALLY_RECORD_SINCE) {
        fprintf(fp, "%s since %s (%s): ", word, since,
                num_text(r->since_value, sv, sizeof sv));
    } else {
        fprintf(fp, "%s in the series: ", word);
    }
    char u[48];
    fprintf(fp, "%zu %s compared, %s to %s", r->compared,
            counted(compared_what, r->compared, u, sizeof u), from, label);
    if (r->skipped > 0) {
        fprintf(fp, "; %zu %s in between not compared, so not certain",
                r->skipped, counted(skipped_what, r->skipped, u, sizeof u));
    }
    fputc('\n', fp);
}

/* Records of the latest complete block of an array. */
/* The year table of an annual series: one value per year, so no
 * period counts or means; the rolling mean when a window is set. */
static void print_annual(FILE *fp, const tally_describe *d)
{
    char c1[16], c2[64], c3[64], c4[64], c5[32], c6[64], head[32];
    const tally_describe_block *b = d->years;
    snprintf(head, sizeof head, "%zu-year mean", d->window);
    fprintf(fp, "\nYears (change between consecutive observed years)\n");
    fprintf(fp, "  %-8s %10s %9s %8s", "year", "value", "change", "change%");
    if (d->window > 0) {
        fprintf(fp, " %13s", head);
    }
    fputs("  record\n", fp);
    for (size_t k = 0; k < d->nyears; k++) {
        record_tag(&b[k], b, 0, c6, sizeof c6);
        fprintf(fp, "  %-8s %10s %9s %8s", block_text(&b[k], 0, c1, sizeof c1),
                num_text(b[k].total, c2, sizeof c2),
                change_text(b[k].change, c4, sizeof c4),
                pct_text(b[k].pct_change, 1, c5, sizeof c5));
        if (d->window > 0) {
            fprintf(fp, " %13s",
                    mean_text(d->points[k].rolling_mean, c3, sizeof c3));
        }
        fprintf(fp, c6[0] ? "  %s\n" : "%s\n", c6);
    }
    for (size_t k = 0; k < d->nyears; k++) {
        if (b[k].missing > 0) {
            fprintf(fp,
                    "  %s is missing (NA): not counted as 0, not compared\n",
                    block_text(&b[k], 0, c1, sizeof c1));
        }
    }
    uncertain_note(fp, b, d->nyears, "a missing year");
}

static int block_records(FILE *fp, const tally_describe_block *b, size_t nb,
                         int half, const char *what, const char *skipped)
{
    for (size_t k = nb; k-- > 0;) {
        if (!b[k].complete) {
            continue;
        }
        int printed = 0;
        for (int h = 1; h >= 0; h--) {
            const tally_describe_record *r = h ? &b[k].high : &b[k].low;
            char l0[32], l1[32], l2[32];
            if (r->kind != TALLY_RECORD_NONE) {
                record_line(fp, block_text(&b[k], half, l0, sizeof l0),
                            b[k].total, r, h,
                            block_text(&b[r->since], half, l1, sizeof l1),
                            block_text(&b[r->from], half, l2, sizeof l2), what,
                            skipped);
                printed = 1;
            }
        }
        if (!printed) {
            char l0[32], v[64];
            int earlier = 0;
            for (size_t j = 0; j < k; j++) {
                earlier |= b[j].complete;
            }
            fprintf(fp, "  %-8s %10s  %s\n",
                    block_text(&b[k], half, l0, sizeof l0),
                    num_text(b[k].total, v, sizeof v),
                    /* Neither claim with an earlier comparable value
                     * means the previous one is equal: it reaches both
                     * the high and the low. */
                    earlier ? "equal to the previous one: no record"
                            : "nothing earlier to compare with");
        }
        return 1;
    }
    return 0;
}

static void print_summary(FILE *fp, const item *it, const char *group_col)
{
    const tally_describe *d = &it->d;
    char name[256], p0[16], p1[16], a[64], b[64];
    const char *unit = freq_plural(d->freq);
    item_name(it, group_col, name, sizeof name);
    fprintf(
        fp, "%s: %s series, %s to %s\n", name, freq_adj(d->freq),
        period_text(d->freq, d->start, p0, sizeof p0),
        period_text(d->freq, d->start + (tally_period)d->n - 1, p1, sizeof p1));
    fprintf(fp, "  %-9s %10zu (%zu observed, %zu missing)\n", unit, d->n,
            d->observed, d->missing);
    fprintf(fp, "  %-9s %10s\n", "total", num_text(d->total, a, sizeof a));
    fprintf(fp, "  %-9s %10s per %s\n", "mean", mean_text(d->mean, a, sizeof a),
            d->freq == TALLY_FREQ_MONTH     ? "month"
            : d->freq == TALLY_FREQ_QUARTER ? "quarter"
                                            : "year");
    fprintf(fp, "  %-9s %10s\n", "sd", mean_text(d->sd, a, sizeof a));
    if (d->observed > 0) {
        fprintf(
            fp, "  %-9s %10s in %s\n", "lowest", num_text(d->min, a, sizeof a),
            period_text(d->freq, d->points[d->argmin].period, p0, sizeof p0));
        fprintf(
            fp, "  %-9s %10s in %s\n", "highest", num_text(d->max, b, sizeof b),
            period_text(d->freq, d->points[d->argmax].period, p1, sizeof p1));
    }
}

static void print_recent(FILE *fp, const tally_describe *d)
{
    char p0[16], p1[16], q0[16], q1[16], a[64], b[64], c[64], e[64], pc[32];
    const char *unit = freq_plural(d->freq);
    size_t w = d->window;
    tally_period end = d->start + (tally_period)d->n - 1;
    fprintf(fp, "\nLast %zu %s (rolling %zu-%s mean)\n", w, unit, w,
            d->freq == TALLY_FREQ_MONTH     ? "month"
            : d->freq == TALLY_FREQ_QUARTER ? "quarter"
                                            : "year");
    if (isnan(d->recent_total)) {
        if (d->n < 2 * w) {
            fprintf(fp, "  not defined: the series is shorter than %zu %s\n",
                    2 * w, unit);
        } else {
            fprintf(fp,
                    "  not defined: the last %zu %s include a missing "
                    "value\n",
                    2 * w, unit);
        }
    } else {
        fprintf(fp, "  %s to %s  total %s, mean %s\n",
                period_text(d->freq, end - (tally_period)w + 1, p0, sizeof p0),
                period_text(d->freq, end, p1, sizeof p1),
                num_text(d->recent_total, a, sizeof a),
                mean_text(d->recent_total / (double)w, b, sizeof b));
        fprintf(
            fp, "  %s to %s  total %s, mean %s\n",
            period_text(d->freq, end - 2 * (tally_period)w + 1, q0, sizeof q0),
            period_text(d->freq, end - (tally_period)w, q1, sizeof q1),
            num_text(d->previous_total, c, sizeof c),
            mean_text(d->previous_total / (double)w, e, sizeof e));
        fprintf(fp, "  change            %s\n",
                pct_text(d->recent_pct_change, 1, pc, sizeof pc));
    }
    if (d->last < d->n && d->freq != TALLY_FREQ_YEAR) {
        const tally_describe_point *pt = &d->points[d->last];
        fprintf(fp, "  latest %s: %s; a year earlier (%s): %s",
                period_text(d->freq, pt->period, p0, sizeof p0),
                num_text(pt->value, a, sizeof a),
                period_text(d->freq, pt->period - (tally_period)d->freq, p1,
                            sizeof p1),
                num_text(pt->prev_value, b, sizeof b));
        if (!isnan(pt->pct_change)) {
            fprintf(fp, ", %s", pct_text(pt->pct_change, 1, pc, sizeof pc));
        }
        fputc('\n', fp);
    }
    if (d->last + 1 < d->n) {
        size_t k = d->last < d->n ? d->n - d->last - 1 : d->n;
        char u[32];
        fprintf(fp, "  the last %zu %s of the series %s missing\n", k,
                counted(unit, k, u, sizeof u), k == 1 ? "is" : "are");
    }
}

static void print_points(FILE *fp, const tally_describe *d)
{
    char p0[16], a[64], b[64], c[64], pc[32], tag[64], head[32];
    const char *unit = d->freq == TALLY_FREQ_MONTH     ? "month"
                       : d->freq == TALLY_FREQ_QUARTER ? "quarter"
                                                       : "year";
    snprintf(head, sizeof head, "%zu-%s mean", d->window, unit);
    fprintf(fp, "\n%c%s\n", unit[0] - 'a' + 'A', freq_plural(d->freq) + 1);
    fprintf(fp, "  %-8s %10s %14s %13s %8s  %s\n", unit, "value",
            d->window > 0 ? head : "rolling mean", "year earlier", "change%",
            "record");
    for (size_t i = 0; i < d->n; i++) {
        const tally_describe_point *pt = &d->points[i];
        point_tag(d, i, tag, sizeof tag);
        fprintf(fp, "  %-8s %10s %14s %13s %8s",
                period_text(d->freq, pt->period, p0, sizeof p0),
                num_text(pt->value, a, sizeof a),
                mean_text(pt->rolling_mean, b, sizeof b),
                num_text(pt->prev_value, c, sizeof c),
                pct_text(pt->pct_change, 1, pc, sizeof pc));
        fprintf(fp, tag[0] ? "  %s\n" : "%s\n", tag);
    }
}

static void print_item(FILE *fp, const item *it, const describe_args *a,
                       const char *group_col)
{
    const tally_describe *d = &it->d;
    tally_period end = d->start + (tally_period)d->n - 1;
    int annual = a->annual || d->freq == TALLY_FREQ_YEAR;
    print_summary(fp, it, group_col);
    if (d->freq == TALLY_FREQ_YEAR) {
        print_annual(fp, d);
    } else {
        print_blocks(fp, d->years, d->nyears, d->freq, 0, d->start, end);
    }
    if (!annual && d->nhalves > 0) {
        print_blocks(fp, d->halves, d->nhalves, d->freq, 1, d->start, end);
    }
    if (!a->annual && d->window > 0) {
        print_recent(fp, d);
    }
    const char *years_word =
        d->freq == TALLY_FREQ_YEAR ? "observed years" : "complete years";
    /* Only complete blocks (observed periods) are compared: a partial
     * year's total is a lower bound, not a figure to rank. */
    if (annual) {
        fprintf(fp, "\nRecords (among %s)\n", years_word);
    } else {
        fprintf(fp,
                "\nRecords (among complete years and half-years, and "
                "observed %s)\n",
                freq_plural(d->freq));
    }
    if (!block_records(fp, d->years, d->nyears, 0, years_word,
                       d->freq == TALLY_FREQ_YEAR ? "missing years"
                                                  : "incomplete years")) {
        fputs("  no complete year\n", fp);
    }
    if (!annual) {
        block_records(fp, d->halves, d->nhalves, 1, "complete half-years",
                      "incomplete half-years");
        if (d->last < d->n) {
            const tally_describe_point *pt = &d->points[d->last];
            char l0[16], l1[16], l2[16], what[32], skipped[32];
            snprintf(what, sizeof what, "observed %s", freq_plural(d->freq));
            snprintf(skipped, sizeof skipped, "missing %s",
                     freq_plural(d->freq));
            for (int h = 1; h >= 0; h--) {
                const tally_describe_record *r = h ? &pt->high : &pt->low;
                record_line(fp, period_text(d->freq, pt->period, l0, sizeof l0),
                            pt->value, r, h,
                            period_text(d->freq, d->points[r->since].period, l1,
                                        sizeof l1),
                            period_text(d->freq, d->points[r->from].period, l2,
                                        sizeof l2),
                            what, skipped);
            }
        }
    }
    if (a->periods && !a->annual) {
        print_points(fp, d);
    }
}

/* Print a line held in buf without its trailing spaces. */
static void put_trimmed(FILE *fp, char *buf)
{
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ') {
        buf[--n] = '\0';
    }
    fputs(buf, fp);
    fputc('\n', fp);
}

/* Append to a line buffer (truncating silently at its size). */
static void line_add(char *line, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void line_add(char *line, size_t size, const char *fmt, ...)
{
    size_t at = strlen(line);
    if (at + 1 >= size) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + at, size - at, fmt, ap);
    va_end(ap);
}

/* One row of the span table. */
static void share_row(FILE *fp, int w, const char *label, double total,
                      double share, size_t missing, size_t cells,
                      const char *unit)
{
    char a[64], b[32];
    pct_text(share, 0, b, sizeof b);
    fprintf(fp, "  %-*s %10s %8s%s %zu of %zu %s\n", w, label,
            num_text(total, a, sizeof a), b,
            missing > 0 && !isnan(share) ? "*" : " ", missing, cells, unit);
}

/* The share tables: totals over the span, then totals and shares per
 * year, the years wrapped six to a block as R prints wide matrices. */
static void print_shares(FILE *fp, const share_table *t, const char *group_col)
{
    const tally_describe_shares *s = &t->s;
    char c[64], p0[16], p1[16], line[1024];
    const char *unit = freq_plural(s->freq);
    int w = (int)strlen(group_col);
    if (w < 15) {
        w = 15; /* room for "groups observed" */
    }
    for (size_t r = 0; r < s->nrows; r++) {
        int l = (int)strlen(s->rows[r].label);
        if (l > w) {
            w = l;
        }
    }
    if (w > 48) {
        w = 48;
    }
    double all_share =
        isnan(s->grand_total) || s->grand_total == 0.0 ? NAN : 100.0;
    fprintf(
        fp,
        "\nShares of %s by %s, %s to %s (percent of the sum over "
        "the groups)\n",
        t->name, group_col, period_text(s->freq, s->start, p0, sizeof p0),
        period_text(s->freq, s->start + (tally_period)s->n - 1, p1, sizeof p1));
    fprintf(fp, "  %-*s %10s %8s  %s\n", w, group_col, "total", "share",
            "missing");
    for (size_t r = 0; r < s->ngroups; r++) {
        share_row(fp, w, s->rows[r].label, s->rows[r].total, s->rows[r].share,
                  s->rows[r].missing, s->n, unit);
    }
    /* Several groups: count cells, "group-years" ("group-months"). */
    char cells[32];
    snprintf(cells, sizeof cells, "group-%s", unit);
    share_row(fp, w, "all groups", s->grand_total, all_share, s->grand_missing,
              s->ngroups * s->n, cells);
    for (size_t r = s->ngroups; r < s->nrows; r++) {
        share_row(fp, w, s->rows[r].label, s->rows[r].total, s->rows[r].share,
                  s->rows[r].missing, s->rows[r].members * s->n, cells);
    }
    if (s->grand_missing > 0) {
        fputs("  * some cells missing: the total leaves them out (never 0), "
              "so the share is of the\n    sum over the groups observed; "
              "compare the shares by year below\n",
              fp);
    }
    /* By year: totals, then shares.  Row index ngroups is "all groups",
     * printed after the groups and before the unions. */
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0) {
            fprintf(fp,
                    "\nTotals of %s by year (* = some %s missing, NA = "
                    "none observed)\n",
                    t->name, unit);
        } else {
            fprintf(fp,
                    "\nShares (percent) of %s by year (* = the year's sum "
                    "over groups misses some cells)\n",
                    t->name);
        }
        for (size_t y0 = 0; y0 < s->nyears; y0 += 6) {
            size_t y1 = y0 + 6 < s->nyears ? y0 + 6 : s->nyears;
            line[0] = '\0';
            line_add(line, sizeof line, "  %-*s", w, group_col);
            for (size_t k = y0; k < y1; k++) {
                line_add(line, sizeof line, " %9d%s", s->years[k],
                         s->year_periods[k] < (size_t)s->freq ? "p" : " ");
            }
            put_trimmed(fp, line);
            for (size_t r = 0; r <= s->nrows; r++) {
                int all = r == s->ngroups;
                size_t row = r < s->ngroups ? r : r - 1;
                line[0] = '\0';
                line_add(line, sizeof line, "  %-*s", w,
                         all ? "all groups" : s->rows[row].label);
                for (size_t k = y0; k < y1; k++) {
                    double v;
                    size_t miss;
                    if (all) {
                        v = pass == 0 ? s->year_total[k]
                                      : (isnan(s->year_total[k]) ||
                                                 s->year_total[k] == 0
                                             ? NAN
                                             : 100.0);
                        miss = s->year_missing[k];
                    } else {
                        v = pass == 0 ? s->year_value[k * s->nrows + row]
                                      : s->year_share[k * s->nrows + row];
                        /* A share is flagged when its denominator (the
                         * year's sum over groups) misses cells too. */
                        miss = s->year_row_missing[k * s->nrows + row] +
                               (pass == 1 ? s->year_missing[k] : 0);
                    }
                    if (pass == 0) {
                        num_text(v, c, sizeof c);
                    } else {
                        pct_text(v, 0, c, sizeof c);
                    }
                    line_add(line, sizeof line, " %9s%s", c,
                             miss > 0 && !isnan(v) ? "*" : " ");
                }
                put_trimmed(fp, line);
            }
            if (pass == 0) {
                line[0] = '\0';
                line_add(line, sizeof line, "  %-*s", w, "groups observed");
                for (size_t k = y0; k < y1; k++) {
                    char g[32];
                    snprintf(g, sizeof g, "%zu/%zu", s->year_groups[k],
                             s->ngroups);
                    line_add(line, sizeof line, " %9s ", g);
                }
                put_trimmed(fp, line);
            }
        }
    }
    for (size_t k = 0; k < s->nyears; k++) {
        if (s->year_periods[k] < (size_t)s->freq) {
            fprintf(fp, "  %dp: partial year, %zu of %d %s in the span\n",
                    s->years[k], s->year_periods[k], (int)s->freq, unit);
        }
    }
}

/* ------------------------------------------------------------------ */
/* CSV output: one long table, one figure per row:
 * variable,group,section,period,measure,value (numbers with 17
 * significant digits, NA for missing, percentages unrounded). */

typedef struct {
    FILE *fp;
    const char *variable;
    const char *group;
    const char *section;
    const char *period;
} csv_ctx;

static void csv_head(csv_ctx *c, const char *measure)
{
    tally_csv_write_field(c->fp, c->variable);
    fputc(',', c->fp);
    tally_csv_write_field(c->fp, c->group ? c->group : "");
    fprintf(c->fp, ",%s,", c->section);
    tally_csv_write_field(c->fp, c->period ? c->period : "");
    fprintf(c->fp, ",%s,", measure);
}

static void csv_num(csv_ctx *c, const char *measure, double v)
{
    csv_head(c, measure);
    if (isnan(v)) {
        fputs("NA\n", c->fp);
    } else {
        fprintf(c->fp, "%.17g\n", v);
    }
}

static void csv_count(csv_ctx *c, const char *measure, size_t v)
{
    csv_head(c, measure);
    fprintf(c->fp, "%zu\n", v);
}

static void csv_str(csv_ctx *c, const char *measure, const char *v)
{
    csv_head(c, measure);
    tally_csv_write_field(c->fp, v);
    fputc('\n', c->fp);
}

/* A record as rows "<prefix>" (since|all), "<prefix>_since",
 * "<prefix>_since_value", "<prefix>_from", "<prefix>_compared",
 * "<prefix>_skipped"; nothing when there is no claim. */
static void csv_record(csv_ctx *c, const char *prefix,
                       const tally_describe_record *r, const char *since,
                       const char *from)
{
    char m[32];
    if (r->kind == TALLY_RECORD_NONE) {
        return;
    }
    csv_str(c, prefix, r->kind == TALLY_RECORD_SINCE ? "since" : "all");
    if (r->kind == TALLY_RECORD_SINCE) {
        snprintf(m, sizeof m, "%s_since", prefix);
        csv_str(c, m, since);
        snprintf(m, sizeof m, "%s_since_value", prefix);
        csv_num(c, m, r->since_value);
    }
    snprintf(m, sizeof m, "%s_from", prefix);
    csv_str(c, m, from);
    snprintf(m, sizeof m, "%s_compared", prefix);
    csv_count(c, m, r->compared);
    snprintf(m, sizeof m, "%s_skipped", prefix);
    csv_count(c, m, r->skipped);
}

static void csv_blocks(csv_ctx *c, const tally_describe_block *b, size_t nb,
                       tally_freq freq, int half)
{
    c->section = half ? "half" : "year";
    for (size_t k = 0; k < nb; k++) {
        char lb[32], l1[32], l2[32], p[16];
        c->period = block_text(&b[k], half, lb, sizeof lb);
        csv_count(c, "periods", b[k].present);
        csv_count(c, "expected", b[k].len);
        csv_count(c, "missing", b[k].missing);
        csv_count(c, "complete", (size_t)b[k].complete);
        csv_num(c, "total", b[k].total);
        csv_num(c, "mean", b[k].mean);
        csv_num(c, "previous_total", b[k].prev_total);
        csv_num(c, "change", b[k].change);
        csv_num(c, "percent_change", b[k].pct_change);
        csv_count(c, "lfl_periods", b[k].lfl_n);
        if (b[k].lfl_n > 0) {
            csv_str(c, "lfl_from",
                    period_text(freq, b[k].lfl_first, p, sizeof p));
            csv_str(c, "lfl_to", period_text(freq, b[k].lfl_last, p, sizeof p));
            csv_num(c, "lfl_total", b[k].lfl_total);
            csv_num(c, "lfl_previous_total", b[k].lfl_prev_total);
            csv_num(c, "lfl_change", b[k].lfl_change);
            csv_num(c, "lfl_percent_change", b[k].lfl_pct_change);
        }
        csv_record(c, "high", &b[k].high,
                   block_text(&b[b[k].high.since], half, l1, sizeof l1),
                   block_text(&b[b[k].high.from], half, l2, sizeof l2));
        csv_record(c, "low", &b[k].low,
                   block_text(&b[b[k].low.since], half, l1, sizeof l1),
                   block_text(&b[b[k].low.from], half, l2, sizeof l2));
    }
}

static void csv_item(FILE *fp, const item *it, const describe_args *a)
{
    const tally_describe *d = &it->d;
    csv_ctx c = {fp, it->frame->names[it->col], it->frame->group, "summary",
                 NULL};
    char p[16], q[16];
    csv_str(&c, "frequency", tally_freq_name(d->freq));
    csv_str(&c, "first", period_text(d->freq, d->start, p, sizeof p));
    csv_str(
        &c, "last",
        period_text(d->freq, d->start + (tally_period)d->n - 1, p, sizeof p));
    csv_count(&c, "n", d->n);
    csv_count(&c, "observed", d->observed);
    csv_count(&c, "missing", d->missing);
    csv_num(&c, "total", d->total);
    csv_num(&c, "mean", d->mean);
    csv_num(&c, "sd", d->sd);
    csv_num(&c, "min", d->min);
    csv_num(&c, "max", d->max);
    if (d->observed > 0) {
        csv_str(&c, "min_period",
                period_text(d->freq, d->points[d->argmin].period, p, sizeof p));
        csv_str(&c, "max_period",
                period_text(d->freq, d->points[d->argmax].period, p, sizeof p));
    }
    csv_blocks(&c, d->years, d->nyears, d->freq, 0);
    if (a->annual) {
        return;
    }
    csv_blocks(&c, d->halves, d->nhalves, d->freq, 1);
    c.section = "recent";
    c.period = NULL;
    csv_count(&c, "window", d->window);
    if (d->window > 0) {
        csv_num(&c, "recent_total", d->recent_total);
        csv_num(&c, "previous_total", d->previous_total);
        csv_num(&c, "percent_change", d->recent_pct_change);
    }
    c.section = "period";
    for (size_t i = 0; i < d->n; i++) {
        const tally_describe_point *pt = &d->points[i];
        c.period = period_text(d->freq, pt->period, p, sizeof p);
        csv_num(&c, "value", pt->value);
        csv_num(&c, "rolling_mean", pt->rolling_mean);
        csv_num(&c, "previous_value", pt->prev_value);
        csv_num(&c, "change", pt->change);
        csv_num(&c, "percent_change", pt->pct_change);
        for (int h = 1; h >= 0; h--) {
            const tally_describe_record *r = h ? &pt->high : &pt->low;
            char s1[16];
            csv_record(
                &c, h ? "high" : "low", r,
                period_text(d->freq, d->points[r->since].period, s1, sizeof s1),
                period_text(d->freq, d->points[r->from].period, q, sizeof q));
        }
    }
}

static void csv_shares(FILE *fp, const share_table *t)
{
    const tally_describe_shares *s = &t->s;
    csv_ctx c = {fp, t->name, NULL, "share", NULL};
    char y[16];
    for (size_t r = 0; r < s->nrows; r++) {
        c.group = s->rows[r].label;
        c.section = r < s->ngroups ? "share" : "share_union";
        c.period = NULL;
        csv_num(&c, "total", s->rows[r].total);
        csv_count(&c, "observed", s->rows[r].observed);
        csv_count(&c, "missing", s->rows[r].missing);
        csv_num(&c, "share_percent", s->rows[r].share);
        for (size_t k = 0; k < s->nyears; k++) {
            snprintf(y, sizeof y, "%d", s->years[k]);
            c.period = y;
            csv_num(&c, "total", s->year_value[k * s->nrows + r]);
            csv_count(&c, "missing", s->year_row_missing[k * s->nrows + r]);
            csv_num(&c, "share_percent", s->year_share[k * s->nrows + r]);
        }
    }
    c.group = NULL;
    c.section = "share_all";
    c.period = NULL;
    csv_num(&c, "total", s->grand_total);
    csv_count(&c, "missing", s->grand_missing);
    for (size_t k = 0; k < s->nyears; k++) {
        snprintf(y, sizeof y, "%d", s->years[k]);
        c.period = y;
        csv_count(&c, "periods", s->year_periods[k]);
        csv_num(&c, "total", s->year_total[k]);
        csv_count(&c, "missing", s->year_missing[k]);
        csv_count(&c, "groups_observed", s->year_groups[k]);
    }
}

/* ------------------------------------------------------------------ */
/* JSON output. */

static json_t *json_record(const tally_describe_record *r, const char *since,
                           const char *from, const char *to)
{
    if (r->kind == TALLY_RECORD_NONE) {
        return json_null();
    }
    json_t *o = json_object();
    json_object_set_new(
        o, "kind",
        json_string(r->kind == TALLY_RECORD_SINCE ? "since" : "all"));
    json_object_set_new(o, "since",
                        r->kind == TALLY_RECORD_SINCE ? json_string(since)
                                                      : json_null());
    json_object_set_new(o, "since_value", cli_json_num(r->since_value));
    json_object_set_new(o, "from", json_string(from));
    json_object_set_new(o, "to", json_string(to));
    json_object_set_new(o, "compared", json_integer((json_int_t)r->compared));
    json_object_set_new(o, "skipped", json_integer((json_int_t)r->skipped));
    return o;
}

static json_t *json_blocks(const tally_describe_block *b, size_t nb,
                           tally_freq freq, int half)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < nb; k++) {
        char lb[32], l1[32], l2[32];
        json_t *o = json_object();
        json_object_set_new(o, "year", json_integer(b[k].year));
        if (half) {
            json_object_set_new(o, "half", json_integer(b[k].part));
        }
        json_object_set_new(
            o, "label", json_string(block_text(&b[k], half, lb, sizeof lb)));
        json_object_set_new(o, "periods",
                            json_integer((json_int_t)b[k].present));
        json_object_set_new(o, "expected", json_integer((json_int_t)b[k].len));
        json_object_set_new(o, "missing",
                            json_integer((json_int_t)b[k].missing));
        json_object_set_new(o, "complete", json_boolean(b[k].complete));
        json_object_set_new(o, "total", cli_json_num(b[k].total));
        json_object_set_new(o, "mean", cli_json_num(b[k].mean));
        json_object_set_new(o, "previous_total", cli_json_num(b[k].prev_total));
        json_object_set_new(o, "change", cli_json_num(b[k].change));
        json_object_set_new(o, "percent_change", cli_json_num(b[k].pct_change));
        if (b[k].lfl_n > 0) {
            json_t *l = json_object();
            tally_period back = (tally_period)freq;
            json_object_set_new(l, "periods",
                                json_integer((json_int_t)b[k].lfl_n));
            json_object_set_new(l, "from",
                                cli_json_period(freq, b[k].lfl_first));
            json_object_set_new(l, "to", cli_json_period(freq, b[k].lfl_last));
            json_object_set_new(l, "previous_from",
                                cli_json_period(freq, b[k].lfl_first - back));
            json_object_set_new(l, "previous_to",
                                cli_json_period(freq, b[k].lfl_last - back));
            json_object_set_new(l, "total", cli_json_num(b[k].lfl_total));
            json_object_set_new(l, "previous_total",
                                cli_json_num(b[k].lfl_prev_total));
            json_object_set_new(l, "change", cli_json_num(b[k].lfl_change));
            json_object_set_new(l, "percent_change",
                                cli_json_num(b[k].lfl_pct_change));
            json_object_set_new(o, "like_for_like", l);
        } else {
            json_object_set_new(o, "like_for_like", json_null());
        }
        for (int h = 1; h >= 0; h--) {
            const tally_describe_record *r = h ? &b[k].high : &b[k].low;
            json_object_set_new(
                o, h ? "high" : "low",
                json_record(r, block_text(&b[r->since], half, l1, sizeof l1),
                            block_text(&b[r->from], half, l2, sizeof l2), lb));
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *json_item(const item *it, const describe_args *a)
{
    const tally_describe *d = &it->d;
    json_t *o = json_object();
    char p[16];
    json_object_set_new(o, "variable", json_string(it->frame->names[it->col]));
    json_object_set_new(o, "group",
                        it->frame->group ? json_string(it->frame->group)
                                         : json_null());
    json_object_set_new(o, "first", cli_json_period(d->freq, d->start));
    json_object_set_new(
        o, "last", cli_json_period(d->freq, d->start + (tally_period)d->n - 1));
    json_object_set_new(o, "n", json_integer((json_int_t)d->n));
    json_object_set_new(o, "observed", json_integer((json_int_t)d->observed));
    json_object_set_new(o, "missing", json_integer((json_int_t)d->missing));
    json_object_set_new(o, "total", cli_json_num(d->total));
    json_object_set_new(o, "mean", cli_json_num(d->mean));
    json_object_set_new(o, "sd", cli_json_num(d->sd));
    for (int h = 0; h < 2; h++) {
        json_t *m = json_null();
        if (d->observed > 0) {
            m = json_object();
            json_object_set_new(
                m, "period",
                cli_json_period(d->freq,
                                d->points[h ? d->argmax : d->argmin].period));
            json_object_set_new(m, "value", cli_json_num(h ? d->max : d->min));
        }
        json_object_set_new(o, h ? "max" : "min", m);
    }
    json_object_set_new(o, "years",
                        json_blocks(d->years, d->nyears, d->freq, 0));
    if (a->annual) {
        return o;
    }
    json_object_set_new(o, "halves",
                        json_blocks(d->halves, d->nhalves, d->freq, 1));
    json_t *rc = json_object();
    json_object_set_new(rc, "window", json_integer((json_int_t)d->window));
    json_object_set_new(rc, "total", cli_json_num(d->recent_total));
    json_object_set_new(rc, "previous_total", cli_json_num(d->previous_total));
    json_object_set_new(rc, "percent_change",
                        cli_json_num(d->recent_pct_change));
    json_object_set_new(o, "recent", rc);
    json_t *pts = json_array();
    for (size_t i = 0; i < d->n; i++) {
        const tally_describe_point *pt = &d->points[i];
        json_t *q = json_object();
        period_text(d->freq, pt->period, p, sizeof p);
        json_object_set_new(q, "period", json_string(p));
        json_object_set_new(q, "value", cli_json_num(pt->value));
        json_object_set_new(q, "rolling_mean", cli_json_num(pt->rolling_mean));
        json_object_set_new(q, "previous_value", cli_json_num(pt->prev_value));
        json_object_set_new(q, "change", cli_json_num(pt->change));
        json_object_set_new(q, "percent_change", cli_json_num(pt->pct_change));
        for (int h = 1; h >= 0; h--) {
            const tally_describe_record *r = h ? &pt->high : &pt->low;
            char s1[16], s2[16];
            json_object_set_new(
                q, h ? "high" : "low",
                json_record(r,
                            period_text(d->freq, d->points[r->since].period, s1,
                                        sizeof s1),
                            period_text(d->freq, d->points[r->from].period, s2,
                                        sizeof s2),
                            p));
        }
        json_array_append_new(pts, q);
    }
    json_object_set_new(o, "periods", pts);
    return o;
}

static json_t *json_shares(const share_table *t)
{
    const tally_describe_shares *s = &t->s;
    json_t *o = json_object();
    json_object_set_new(o, "variable", json_string(t->name));
    json_object_set_new(o, "first", cli_json_period(s->freq, s->start));
    json_object_set_new(
        o, "last", cli_json_period(s->freq, s->start + (tally_period)s->n - 1));
    json_object_set_new(o, "total", cli_json_num(s->grand_total));
    json_object_set_new(o, "missing",
                        json_integer((json_int_t)s->grand_missing));
    json_t *groups = json_array();
    json_t *unions = json_array();
    for (size_t r = 0; r < s->nrows; r++) {
        const tally_describe_share *sh = &s->rows[r];
        json_t *g = json_object();
        json_object_set_new(g, r < s->ngroups ? "group" : "union",
                            json_string(sh->label));
        json_object_set_new(g, "total", cli_json_num(sh->total));
        json_object_set_new(g, "observed",
                            json_integer((json_int_t)sh->observed));
        json_object_set_new(g, "missing",
                            json_integer((json_int_t)sh->missing));
        json_object_set_new(g, "share_percent", cli_json_num(sh->share));
        json_array_append_new(r < s->ngroups ? groups : unions, g);
    }
    json_object_set_new(o, "groups", groups);
    json_object_set_new(o, "unions", unions);
    json_t *years = json_array();
    for (size_t k = 0; k < s->nyears; k++) {
        json_t *y = json_object();
        json_object_set_new(y, "year", json_integer(s->years[k]));
        json_object_set_new(y, "periods",
                            json_integer((json_int_t)s->year_periods[k]));
        json_object_set_new(y, "total", cli_json_num(s->year_total[k]));
        json_object_set_new(y, "missing",
                            json_integer((json_int_t)s->year_missing[k]));
        json_object_set_new(y, "groups_observed",
                            json_integer((json_int_t)s->year_groups[k]));
        json_t *rows = json_array();
        for (size_t r = 0; r < s->nrows; r++) {
            json_t *g = json_object();
            json_object_set_new(g, r < s->ngroups ? "group" : "union",
                                json_string(s->rows[r].label));
            json_object_set_new(g, "total",
                                cli_json_num(s->year_value[k * s->nrows + r]));
            json_object_set_new(
                g, "missing",
                json_integer(
                    (json_int_t)s->year_row_missing[k * s->nrows + r]));
            json_object_set_new(g, "share_percent",
                                cli_json_num(s->year_share[k * s->nrows + r]));
            json_array_append_new(rows, g);
        }
        json_object_set_new(y, "shares", rows);
        json_array_append_new(years, y);
    }
    json_object_set_new(o, "years", years);
    return o;
}

/* ------------------------------------------------------------------ */
/* The picture (--plot).  The arrays of a figure are kept here until the
 * script is written. */

typedef struct {
    tally_plot_figure fig;
    const double *y[1]; /* series: the one line */
    double *total;      /* annual: year totals */
    size_t *periods;    /* annual: observed periods per year */
    const char **names; /* shares: group names */
    double *shares;     /* shares: group totals */
} describe_plot;

static void describe_plot_fini(describe_plot *p)
{
    free(p->total);
    free(p->periods);
    free((void *)p->names);
    free(p->shares);
}

static double finite_or_nan(double v)
{
    return isfinite(v) ? v : NAN;
}

/* Year totals from describe's year blocks, as `tally plot annual` reads
 * them from series[].years[]: a year's observed periods are those inside
 * the span less the missing ones, and a full year has `len` periods. */
static int annual_figure(const item *it, describe_plot *p)
{
    const tally_describe *d = &it->d;
    tally_plot_annual *a = &p->fig.annual;
    int y0 = d->years[0].year, y1 = d->years[0].year;
    for (size_t k = 1; k < d->nyears; k++) {
        y0 = d->years[k].year < y0 ? d->years[k].year : y0;
        y1 = d->years[k].year > y1 ? d->years[k].year : y1;
    }
    size_t n = (size_t)(y1 - y0 + 1);
    p->total = malloc(n * sizeof *p->total);
    p->periods = malloc(n * sizeof *p->periods);
    if (p->total == NULL || p->periods == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    a->per_year = 12;
    for (size_t i = 0; i < n; i++) {
        p->total[i] = NAN;
        p->periods[i] = 12;
    }
    for (size_t k = 0; k < d->nyears; k++) {
        const tally_describe_block *b = &d->years[k];
        size_t at = (size_t)(b->year - y0);
        p->total[at] = finite_or_nan(b->total);
        if ((b->len == 1 || b->len == 4 || b->len == 12) &&
            b->present <= b->len) {
            p->periods[at] =
                b->present - (b->missing <= b->present ? b->missing : 0);
            a->per_year = (int)b->len;
        }
    }
    p->fig.kind = TALLY_PLOT_ANNUAL;
    a->first_year = y0;
    a->n = n;
    a->total = p->total;
    a->periods = p->periods;
    a->ylabel = it->frame->names[it->col];
    return TALLY_OK;
}

/* Each group's total of one variable (the groups, not the unions). */
static int shares_figure(const share_table *t, const char *group_col,
                         describe_plot *p)
{
    const tally_describe_shares *s = &t->s;
    size_t n = s->ngroups;
    p->names = malloc((n ? n : 1) * sizeof *p->names);
    p->shares = malloc((n ? n : 1) * sizeof *p->shares);
    if (p->names == NULL || p->shares == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < n; r++) {
        p->names[r] = s->rows[r].label;
        p->shares[r] = finite_or_nan(s->rows[r].total);
    }
    p->fig.kind = TALLY_PLOT_SHARES;
    p->fig.shares.n = n;
    p->fig.shares.names = p->names;
    p->fig.shares.total = p->shares;
    p->fig.shares.ylabel = t->name;
    p->fig.shares.by = group_col;
    return TALLY_OK;
}

/* The figure of a describe run: shares with --by, year totals with
 * --annual or for an annual series, else the series over time.  One
 * variable only.  Returns an exit code. */
static int describe_figure(const cli_cmd *c, const describe_args *a,
                           const item *items, size_t nitems,
                           const share_table *shares, size_t nshares,
                           const char *group_col, describe_plot *p)
{
    int st;
    if (a->by != NULL) {
        if (nshares != 1) {
            return cli_usage_error(c, "--plot draws one variable: choose it "
                                      "with --value");
        }
        st = shares_figure(&shares[0], group_col, p);
    } else if (nitems != 1) {
        return cli_usage_error(c, "--plot draws one variable: choose it with "
                                  "--value");
    } else if (a->annual || items[0].frame->freq == TALLY_FREQ_YEAR) {
        st = annual_figure(&items[0], p);
    } else {
        const tally_frame *f = items[0].frame;
        p->fig.kind = TALLY_PLOT_SERIES;
        p->y[0] = f->cols[items[0].col];
        p->fig.series.t = (tally_plot_axis){f->freq, f->start, f->n};
        p->fig.series.ngroups = 1;
        p->fig.series.y = p->y;
        p->fig.series.ylabel = f->names[items[0].col];
        st = TALLY_OK;
    }
    return st == TALLY_OK ? CLI_OK : cli_fail(st);
}

/* ------------------------------------------------------------------ */
/* The command. */

#define MAX_VALUES 64 /* --value options (each may list several columns) */

/* Split --value lists ("a,b" and repeated options) into names, checked
 * against the frame's columns; cols has room for f->ncol indices, which
 * is enough because every index is a distinct column.  Returns an exit
 * code. */
static int select_columns(const cli_cmd *c, const char *path,
                          const tally_frame *f, char *const *specs,
                          size_t nspecs, size_t *cols, size_t *ncols)
{
    *ncols = 0;
    if (nspecs == 0) {
        for (size_t j = 0; j < f->ncol; j++) {
            cols[(*ncols)++] = j;
        }
        return CLI_OK;
    }
    for (size_t s = 0; s < nspecs; s++) {
        char *p = specs[s];
        while (p != NULL) {
            char *comma = strchr(p, ',');
            if (comma != NULL) {
                *comma = '\0';
            }
            long j = tally_frame_column(f, p);
            if (j < 0) {
                return cli_usage_error(c, "--value: %s has no numeric column "
                                          "'%s'", path, p);
            }
            for (size_t k = 0; k < *ncols; k++) {
                if (cols[k] == (size_t)j) {
                    return cli_usage_error(
                        c, "--value: column '%s' named twice", p);
                }
            }
            cols[(*ncols)++] = (size_t)j;
            p = comma != NULL ? comma + 1 : NULL;
        }
    }
    return CLI_OK;
}

/* Split "A+B+C" (a --share union) into group names pointing into *copy.
 * Returns 1 on success. */
static int split_union(const char *spec, char **copy, const char ***names,
                       size_t *n)
{
    size_t len = strlen(spec) + 1;
    size_t parts = 1;
    for (const char *p = spec; *p; p++) {
        parts += *p == '+' ? 1u : 0u;
    }
    *copy = malloc(len);
    *names = malloc(parts * sizeof **names);
    if (*copy == NULL || *names == NULL) {
        free(*copy);
        free((void *)*names);
        *copy = NULL;
        *names = NULL;
        return 0;
    }
    memcpy(*copy, spec, len);
    *n = 0;
    char *p = *copy;
    for (;;) {
        char *plus = strchr(p, '+');
        if (plus != NULL) {
            *plus = '\0';
        }
        if (*p == '\0') {
            return 0; /* an empty name: "A++B", "+A" or "A+" */
        }
        (*names)[(*n)++] = p;
        if (plus == NULL) {
            return 1;
        }
        p = plus + 1;
    }
}

int cmd_describe(int argc, char **argv)
{
    cli_cmd c;
    describe_args a;
    char *specs[MAX_VALUES];
    size_t nspecs = 0;
    memset(&a, 0, sizeof a);
    plot_opt plot;
    plot_opt_init(&plot);
    describe_plot dp;
    memset(&dp, 0, sizeof dp);
    cli_init(&c, "describe", describe_usage, describe_help, describe_examples,
             describe_opts, CLI_COMMON_FORMAT | CLI_COMMON_OUTPUT);
    int rc = CLI_OK;
    for (;;) {
        char *arg = NULL;
        int key = cli_next(&c, argc, argv, &arg);
        if (key == CLI_END) {
            break;
        }
        if (key == CLI_DONE_OK || key == CLI_DONE_USAGE) {
            free(a.where_col);
            return key == CLI_DONE_OK ? CLI_OK : CLI_EUSAGE;
        }
        long v = 0;
        int pr = plot_opt_parse(&c, key, arg, &plot);
        if (pr != 0) {
            if (pr < 0) {
                free(a.where_col);
                return CLI_EUSAGE;
            }
            continue;
        }
        switch (key) {
        case KEY_VALUE:
            if (nspecs == MAX_VALUES) {
                rc = cli_usage_error(&c, "too many --value options");
            } else {
                specs[nspecs++] = arg;
            }
            break;
        case KEY_BY:
            a.by = arg;
            break;
        case KEY_WHERE:
            free(a.where_col);
            a.where_col = NULL;
            if (!cli_split_where(arg, &a.where_col, (char **)&a.where_val)) {
                rc = cli_usage_error(&c, "--where wants COL=VALUE, not '%s'",
                                     arg);
            }
            break;
        case KEY_SHARE:
            if (a.nshares == MAX_SHARES) {
                rc = cli_usage_error(&c, "more than %d --share options",
                                     MAX_SHARES);
            } else {
                a.shares[a.nshares++] = arg;
            }
            break;
        case KEY_ANNUAL:
            a.annual = 1;
            break;
        case KEY_WINDOW:
            if (!cli_parse_long(arg, 1, 100000, &v)) {
                rc = cli_usage_error(&c,
                                     "--window wants a whole number of "
                                     "periods from 1 to 100000, not '%s'",
                                     arg);
            }
            a.window = (size_t)v;
            break;
        case KEY_PERIODS:
            a.periods = 1;
            break;
        default:
            rc = cli_usage_error(&c, "unexpected option");
            break;
        }
        if (rc != CLI_OK) {
            free(a.where_col);
            return rc;
        }
    }
    if (optind != argc - 1) {
        free(a.where_col);
        return cli_usage_error(&c, optind >= argc ? "missing SERIES.csv"
                                                  : "one SERIES.csv only");
    }
    if (a.by != NULL && a.where_col != NULL) {
        free(a.where_col);
        return cli_usage_error(&c, "--by and --where exclude each other");
    }
    if (a.nshares > 0 && a.by == NULL) {
        free(a.where_col);
        return cli_usage_error(&c, "--share needs --by COL");
    }
    const char *path = argv[optind];
    rc = plot_opt_check(&c, &plot, path);
    if (rc != CLI_OK) {
        free(a.where_col);
        return rc;
    }

    /* Read the series, grouped by --by or --where's column if given. */
    tally_series_options so;
    tally_series_options_init(&so);
    so.group_col = a.by != NULL ? a.by : a.where_col;
    tally_frame_set *set = NULL;
    int st = tally_series_read(path, &so, &set);
    if (st != TALLY_OK) {
        free(a.where_col);
        return cli_fail(st);
    }
    /* The frames to describe. */
    size_t first = 0, nfr = set->nframes;
    if (a.where_col != NULL) {
        const tally_frame *f = tally_frame_set_find(set, a.where_val);
        if (f == NULL) {
            fprintf(stderr, "tally: %s: no group '%s' in column '%s'\n", path,
                    a.where_val, a.where_col);
            rc = CLI_EUSAGE;
        } else {
            for (size_t g = 0; g < set->nframes; g++) {
                if (set->frames[g] == f) {
                    first = g;
                }
            }
            nfr = 1;
        }
    } else if (a.by == NULL && set->nframes > 1) {
        fprintf(stderr,
                "tally: %s has %zu groups in column '%s': describe "
                "one with --where %s=VALUE or all with --by %s\n",
                path, set->nframes, set->group_col, set->group_col,
                set->group_col);
        rc = CLI_EUSAGE;
    }
    size_t *cols = NULL;
    size_t ncols = 0;
    if (rc == CLI_OK) {
        cols = malloc((set->frames[first]->ncol + 1) * sizeof *cols);
        if (cols == NULL) {
            fputs("tally: out of memory\n", stderr);
            rc = CLI_EIO;
        }
    }
    if (rc == CLI_OK) {
        rc =
            select_columns(&c, path, set->frames[first], specs, nspecs, cols, &ncols);
    }
    if (rc == CLI_OK && ncols == 0) {
        if (set->group_col != NULL && a.by == NULL && a.where_col == NULL) {
            fprintf(stderr,
                    "tally: %s has no numeric column to describe "
                    "(column '%s' holds text and was taken as the group "
                    "column)\n",
                    path, set->group_col);
        } else {
            fprintf(stderr, "tally: %s has no numeric column to describe\n",
                    path);
        }
        rc = CLI_EUSAGE;
    }
    item *items = NULL;
    size_t nitems = 0;
    share_table *shares = NULL;
    size_t nshare_tables = 0;
    if (rc == CLI_OK) {
        items = calloc(nfr * ncols, sizeof *items);
        shares = calloc(ncols, sizeof *shares);
        if (items == NULL || shares == NULL) {
            fputs("tally: out of memory\n", stderr);
            rc = CLI_EIO;
        }
    }
    tally_describe_options dopt;
    tally_describe_options_init(&dopt);
    dopt.window = a.window;
    size_t missing = 0;
    for (size_t g = first; g < first + nfr && rc == CLI_OK; g++) {
        const tally_frame *f = set->frames[g];
        for (size_t k = 0; k < ncols && rc == CLI_OK; k++) {
            item *it = &items[nitems];
            it->frame = f;
            it->col = cols[k];
            st = tally_describe_series(f->cols[cols[k]], f->n, f->freq,
                                       f->start, &dopt, &it->d);
            if (st != TALLY_OK) {
                rc = cli_fail(st);
                break;
            }
            missing += it->d.missing;
            nitems++;
        }
    }
    /* Shares, one table per variable, with the unions asked for. */
    if (rc == CLI_OK && a.by != NULL) {
        tally_describe_union unions[MAX_SHARES];
        char *copies[MAX_SHARES];
        size_t nu = 0;
        for (size_t u = 0; u < a.nshares && rc == CLI_OK; u++) {
            const char **names = NULL;
            if (!split_union(a.shares[u], &copies[nu], &names, &unions[nu].n)) {
                free(copies[nu]);
                free((void *)names);
                rc = cli_usage_error(&c,
                                     "--share wants GROUP+GROUP[+...], "
                                     "not '%s'",
                                     a.shares[u]);
                break;
            }
            unions[nu].names = names;
            nu++;
        }
        for (size_t k = 0; k < ncols && rc == CLI_OK; k++) {
            shares[k].name = set->frames[0]->names[cols[k]];
            st = tally_describe_shares_compute(set, shares[k].name, unions, nu,
                                               &shares[k].s);
            if (st != TALLY_OK) {
                rc = cli_fail(st);
                break;
            }
            nshare_tables++;
        }
        for (size_t u = 0; u < nu; u++) {
            free(copies[u]);
            free((void *)unions[u].names);
        }
    }

    if (rc == CLI_OK && plot_opt_wanted(&plot)) {
        rc = describe_figure(&c, &a, items, nitems, shares, nshare_tables,
                             set->group_col, &dp);
    }
    if (rc == CLI_OK) {
        if (missing > 0) {
            cli_warn("%zu missing %s (NA) in the described series: left "
                     "out of sums and means, never counted as 0",
                     missing, missing == 1 ? "value" : "values");
        }
        cli_out out;
        rc = cli_out_open(&c, path, &out);
        if (rc == CLI_OK) {
            rc = plot_opt_save(&c, &plot, &dp.fig);
        }
        if (rc == CLI_OK) {
            const char *gcol = set->group_col;
            if (c.format == CLI_JSON) {
                json_t *root = json_object();
                json_t *series = json_array();
                json_t *sh = json_array();
                json_object_set_new(root, "command", json_string("describe"));
                json_object_set_new(
                    root, "frequency",
                    json_string(tally_freq_name(set->frames[0]->freq)));
                json_object_set_new(root, "group_column",
                                    gcol ? json_string(gcol) : json_null());
                json_object_set_new(root, "annual", json_boolean(a.annual));
                json_object_set_new(
                    root, "window",
                    json_integer(nitems > 0 ? (json_int_t)items[0].d.window
                                            : 0));
                for (size_t i = 0; i < nitems; i++) {
                    json_array_append_new(series, json_item(&items[i], &a));
                }
                for (size_t k = 0; k < nshare_tables; k++) {
                    json_array_append_new(sh, json_shares(&shares[k]));
                }
                json_object_set_new(root, "series", series);
                json_object_set_new(root, "shares", sh);
                rc = cli_json_print(out.fp, root);
            } else if (c.format == CLI_CSV) {
                fputs("variable,group,section,period,measure,value\n", out.fp);
                for (size_t i = 0; i < nitems; i++) {
                    csv_item(out.fp, &items[i], &a);
                }
                for (size_t k = 0; k < nshare_tables; k++) {
                    csv_shares(out.fp, &shares[k]);
                }
            } else {
                for (size_t i = 0; i < nitems; i++) {
                    if (i > 0) {
                        fputc('\n', out.fp);
                    }
                    print_item(out.fp, &items[i], &a, gcol);
                }
                for (size_t k = 0; k < nshare_tables; k++) {
                    print_shares(out.fp, &shares[k], gcol);
                }
            }
        }
        int rc2 = cli_out_close(&out, rc == CLI_OK);
        if (rc == CLI_OK) {
            rc = rc2;
        }
        rc = plot_opt_finish(&c, &plot, rc);
    }
    describe_plot_fini(&dp);
    for (size_t i = 0; i < nitems; i++) {
        tally_describe_fini(&items[i].d);
    }
    for (size_t k = 0; k < nshare_tables; k++) {
        tally_describe_shares_fini(&shares[k].s);
    }
    free(items);
    free(shares);
    free(cols);
    tally_frame_set_free(set);
    free(a.where_col);
    return rc;
}
