/* SPDX-License-Identifier: MIT
 *
 * libFuzzer target: the streaming event loader (tally aggregate).
 *
 * Input layout: byte 0 picks the chunk size (1..16, so chunk boundaries
 * are fuzzed too, as in fuzz_series.c); byte 1 picks the options (date
 * column or year/month/day columns, a group column, summed columns, the
 * missing-cell policy, bad rows skipped or fatal, the period, a range);
 * the rest is the event file.  The options name the columns date, year,
 * month, day, g, n and k, so inputs that use these names reach the rows.
 *
 * Beyond "does not crash", on success:
 *  - the accounting adds up: rows read = aggregated + bad + unknown date +
 *    outside the range;
 *  - the incidents of the series add up to the rows aggregated;
 *  - the same file read in one piece gives the same bytes of output;
 *  - the series written reads back through the series reader with the
 *    same counts (the output of aggregate is an input of every model).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_events.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"
#include "tally/tally_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The options byte 1 selects. */
static void pick_options(uint8_t b, tally_events_options *o,
                         tally_events_sum *sums, tally_date_format *fmt)
{
    static const char *const formats[] = {"%d/%m/%Y", "%m/%d/%Y",
                                          "%B %d, %Y", "%a %d.%m.%Y %H:%M"};
    tally_events_options_init(o);
    if (b & 1) {
        o->year_col = "year";
        o->month_col = (b & 2) ? "month" : NULL;
        o->day_col = (b & 2) && (b & 4) ? "day" : NULL;
        o->freq = o->month_col ? TALLY_FREQ_MONTH : TALLY_FREQ_YEAR;
    } else {
        o->date_col = "date";
        if (b & 2) {
            (void)tally_date_format_init(fmt, formats[(b >> 2) & 3]);
            o->date_format = fmt;
        }
    }
    if (b & 8) {
        o->group_col = "g";
        o->fold_case = (b & 4) != 0;
    }
    sums[0].column = "n";
    sums[0].name = NULL;
    sums[1].column = "k";
    sums[1].name = "killed";
    o->sums = sums;
    o->nsum = (b >> 4) & 1 ? 2 : 1;
    o->missing = (tally_missing_policy)((b >> 5) % 3);
    o->skip_bad_rows = (b & 64) != 0;
    if (o->month_col != NULL || o->date_col != NULL) {
        o->freq = (b & 128) ? TALLY_FREQ_QUARTER : TALLY_FREQ_MONTH;
    }
    if ((b & 0x90) == 0x90) {
        /* A range around the shipped data's years. */
        o->have_from = 1;
        o->from = tally_period_from_month(o->freq, 2000, 1);
        o->have_to = 1;
        o->to = tally_period_from_month(o->freq, 2010, 12);
    }
}

/* The series text of an aggregation, or NULL when it has none. */
static char *series_text(const tally_events *e, size_t *len)
{
    char *text = NULL;
    FILE *fp = open_memstream(&text, len);
    if (fp == NULL) {
        return NULL;
    }
    int st = tally_events_write(fp, e);
    fclose(fp);
    if (st != TALLY_OK) {
        free(text);
        return NULL;
    }
    return text;
}

/* Read the written series back and compare its incident counts. */
static void read_back(const tally_events_options *o, const char *text,
                      size_t len, const tally_frame_set *want)
{
    tally_table *t = NULL;
    tally_frame_set *got = NULL;
    tally_series_options so;
    tally_series_options_init(&so);
    so.group_col = o->group_col;
    if (tally_table_read_mem("series.csv", text, len, 0, &t) != TALLY_OK ||
        tally_series_from_table(t, &so, &got) != TALLY_OK ||
        got->nframes != want->nframes) {
        abort();
    }
    for (size_t g = 0; g < got->nframes; g++) {
        const tally_frame *a = got->frames[g], *b = want->frames[g];
        if (a->n != b->n || a->start != b->start || a->ncol != b->ncol) {
            abort();
        }
        for (size_t i = 0; i < a->n; i++) {
            if (a->cols[0][i] != b->cols[0][i]) {
                abort();
            }
        }
    }
    tally_frame_set_free(got);
    tally_table_free(t);
}

static void check(const uint8_t *data, size_t size, const tally_events *e,
                  const tally_events_options *o)
{
    const tally_events_report *r = tally_events_get_report(e);
    if (r->rows_read != r->rows_aggregated + r->rows_bad +
                            r->rows_unknown_date + r->rows_outside) {
        abort();
    }
    /* The report prints whatever was met. */
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull != NULL) {
        tally_events_report_print(devnull, e, "tally: ");
        fclose(devnull);
    }
    tally_frame_set *set = NULL;
    if (tally_events_frames(e, &set) != TALLY_OK) {
        if (r->rows_aggregated > 0) {
            abort();
        }
        return;
    }
    double total = 0;
    for (size_t g = 0; g < set->nframes; g++) {
        for (size_t i = 0; i < set->frames[g]->n; i++) {
            total += set->frames[g]->cols[0][i];
        }
    }
    if (total != (double)r->rows_aggregated) {
        abort();
    }
    /* Writing and re-reading a series of a million rows (one stray date
     * in year 9999) is correct but slow; the checks below are about the
     * format, which small series exercise as well. */
    size_t rows = set->nframes * (set->nframes ? set->frames[0]->n : 0);
    if (rows > 5000) {
        tally_frame_set_free(set);
        return;
    }
    size_t len = 0;
    char *text = series_text(e, &len);
    if (text == NULL) {
        abort();
    }
    /* The same input in one piece: the same bytes. */
    tally_events *whole = NULL;
    if (tally_events_read_mem("fuzz.csv", (const char *)data + 2, size - 2, 0,
                              o, &whole) != TALLY_OK) {
        abort();
    }
    size_t len2 = 0;
    char *text2 = series_text(whole, &len2);
    if (text2 == NULL || len2 != len || memcmp(text, text2, len) != 0) {
        abort();
    }
    /* Known bug (reported to the aggregate owner): the event loader keeps
     * a NUL byte inside a group cell, so "Sindh\0x" and "Sindh\0y" are two
     * groups both written "Sindh", and the series does not read back.
     * Remove this exception when events_read.c rejects NUL bytes. */
    if (memchr(data + 2, '\0', size - 2) == NULL) {
        read_back(o, text, len, set);
    }
    free(text2);
    tally_events_free(whole);
    free(text);
    tally_frame_set_free(set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) {
        return 0;
    }
    size_t chunk = (size_t)(data[0] % 16) + 1;
    tally_events_options o;
    tally_events_sum sums[2];
    tally_date_format fmt;
    pick_options(data[1], &o, sums, &fmt);
    tally_events *e = NULL;
    tally_error_clear();
    int st = tally_events_read_mem("fuzz.csv", (const char *)data + 2,
                                   size - 2, chunk, &o, &e);
    if (st == TALLY_OK) {
        check(data, size, e, &o);
        tally_events_free(e);
    } else if (tally_last_error()[0] == '\0') {
        abort();
    } else if (st == TALLY_EPARSE &&
               strncmp(tally_last_error(), "fuzz.csv:", 9) != 0) {
        /* A message about the input names the file (and line). */
        abort();
    }
    return 0;
}
