/* SPDX-License-Identifier: MIT
 *
 * The report of an aggregation, for people: the accounting line (rows read
 * = aggregated + skipped, always printed, so that nothing is ever lost
 * silently), then one line per kind of trouble met: skipped bad rows (the
 * first few listed with line and column), rows with an unknown month,
 * rows outside the range, events with an unknown day, weekday names that
 * disagree with their date, blank group values and missing cells of each
 * summed column.  Lines are deterministic: no times, no absolute paths
 * beyond the input name the user gave.
 */
#include "io/events_int.h"

#include <inttypes.h>
#include <string.h>

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* The accounting line: rows read = aggregated + skipped (by reason). */
static void print_accounting(FILE *fp, const tally_events *e,
                             const char *prefix)
{
    const tally_events_report *r = &e->rep;
    uint64_t skipped = r->rows_bad + r->rows_unknown_date + r->rows_outside;
    fprintf(fp,
            "%s%s: %" PRIu64 " %s read = %" PRIu64 " aggregated + %" PRIu64
            " skipped",
            prefix, e->name, r->rows_read, plural(r->rows_read, "row", "rows"),
            r->rows_aggregated, skipped);
    if (skipped > 0) {
        const char *sep = " (";
        if (r->rows_bad > 0) {
            fprintf(fp, "%s%" PRIu64 " bad %s", sep, r->rows_bad,
                    plural(r->rows_bad, "row", "rows"));
            sep = ", ";
        }
        if (r->rows_unknown_date > 0) {
            fprintf(fp, "%s%" PRIu64 " with the %s unknown", sep,
                    r->rows_unknown_date,
                    e->opt.freq == TALLY_FREQ_YEAR ? "year" : "month or year");
            sep = ", ";
        }
        if (r->rows_outside > 0) {
            fprintf(fp, "%s%" PRIu64 " outside the range", sep,
                    r->rows_outside);
        }
        fputc(')', fp);
    }
    fputc('\n', fp);
}

static void print_bad_rows(FILE *fp, const tally_events *e, const char *prefix)
{
    const tally_events_report *r = &e->rep;
    for (size_t i = 0; i < r->nlisted; i++) {
        const tally_events_bad *b = &r->listed[i];
        fprintf(fp, "%swarning: skipped bad row %s:%zu:%zu: %s\n", prefix,
                b->input[0] != '\0' ? b->input : e->name, b->line, b->column,
                b->message);
    }
    if (r->rows_bad > r->nlisted) {
        fprintf(fp, "%swarning: ... and %" PRIu64 " more bad %s (not listed)\n",
                prefix, r->rows_bad - r->nlisted,
                plural(r->rows_bad - r->nlisted, "row", "rows"));
    }
}

static void print_range_notes(FILE *fp, const tally_events *e,
                              const char *prefix)
{
    const tally_events_report *r = &e->rep;
    if (r->rows_unknown_date > 0) {
        fprintf(fp,
                "%swarning: %" PRIu64 " %s skipped because the %s is "
                "unknown (0): a %s cannot be given to %s\n",
                prefix, r->rows_unknown_date,
                plural(r->rows_unknown_date, "event", "events"),
                e->opt.freq == TALLY_FREQ_YEAR ? "year" : "month or year",
                tally_freq_name(e->opt.freq),
                plural(r->rows_unknown_date, "it", "them"));
    }
    if (r->rows_outside > 0) {
        char a[TALLY_PERIOD_BUFSIZE] = "", b[TALLY_PERIOD_BUFSIZE] = "";
        if (e->opt.have_from) {
            tally_period_format(e->opt.freq, e->opt.from, a, sizeof a);
        }
        if (e->opt.have_to) {
            tally_period_format(e->opt.freq, e->opt.to, b, sizeof b);
        }
        fprintf(fp, "%s%" PRIu64 " %s outside %s%s%s%s left out\n", prefix,
                r->rows_outside, plural(r->rows_outside, "row", "rows"),
                e->opt.have_from ? "--from " : "", a,
                e->opt.have_from && e->opt.have_to ? " .. --to "
                : e->opt.have_to                   ? "--to "
                                                   : "",
                b);
    }
    if (r->unknown_day > 0) {
        fprintf(fp,
                "%s%" PRIu64 " %s with an unknown day (0) counted in %s "
                "month\n",
                prefix, r->unknown_day,
                plural(r->unknown_day, "event", "events"),
                plural(r->unknown_day, "its", "their"));
    }
    if (r->weekday_mismatch > 0) {
        int y = 0, m = 0, d = 0, wd = 0;
        tally_date dt;
        if (tally_date_parse(r->weekday_text, strlen(r->weekday_text),
                             e->opt.date_format, &dt) == 0) {
            y = dt.year;
            m = dt.month;
            d = dt.day;
            wd = tally_date_weekday(y, m, d);
        }
        fprintf(fp,
                "%swarning: %" PRIu64 " %s a weekday that disagrees with "
                "the date; the weekday was ignored (first on line %zu: "
                "'%s' was a %s)\n",
                prefix, r->weekday_mismatch,
                plural(r->weekday_mismatch, "date names", "dates name"),
                r->weekday_line, r->weekday_text, tally_date_weekday_name(wd));
    }
}

static void print_groups(FILE *fp, const tally_events *e, const char *prefix)
{
    const tally_events_report *r = &e->rep;
    if (r->blank_group == 0) {
        return;
    }
    /* The group the blank value went to (NA, or what a recode made it). */
    long raw = tly_strmap_find(&e->groups.raw, "", 0, tly_hash_bytes("", 0));
    const char *to =
        raw >= 0 ? e->groups.display[e->groups.raw.val[raw]] : "NA";
    fprintf(fp, "%s%" PRIu64 " %s a blank '%s', grouped as '%s'\n", prefix,
            r->blank_group, plural(r->blank_group, "row has", "rows have"),
            e->opt.group_col, to);
}

static void print_missing(FILE *fp, const tally_events *e, const char *prefix)
{
    for (size_t k = 0; k < e->opt.nsum; k++) {
        const tally_events_missing *m = &e->missing[k];
        uint64_t total = m->blank + m->text + m->negative;
        if (total == 0) {
            continue;
        }
        fprintf(fp, "%swarning: column '%s': %" PRIu64 " %s not a count (",
                prefix, e->sums[k].column, total,
                plural(total, "cell is", "cells are"));
        const char *sep = "";
        if (m->blank > 0) {
            fprintf(fp, "%" PRIu64 " blank", m->blank);
            sep = ", ";
        }
        if (m->text > 0) {
            fprintf(fp, "%s%" PRIu64 " text, first '%s' on line %zu", sep,
                    m->text, m->text_example, m->text_line);
            sep = ", ";
        }
        if (m->negative > 0) {
            fprintf(fp, "%s%" PRIu64 " negative, first '%s' on line %zu", sep,
                    m->negative, m->negative_example, m->negative_line);
        }
        fprintf(fp, "): %s, counted in '%s'\n",
                e->opt.missing == TALLY_MISSING_ZERO ? "added as 0"
                                                     : "left out of the sums",
                e->miss_names[k]);
    }
}

void tally_events_report_print(FILE *fp, const tally_events *e,
                               const char *prefix)
{
    print_accounting(fp, e, prefix);
    print_bad_rows(fp, e, prefix);
    print_range_notes(fp, e, prefix);
    print_groups(fp, e, prefix);
    print_missing(fp, e, prefix);
}
