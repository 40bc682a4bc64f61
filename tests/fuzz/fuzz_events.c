/* SPDX-License-Identifier: MIT
 *
 * libFuzzer target: the streaming event loader (tally aggregate).
 *
 * Input layout: byte 0 picks the chunk size (its low 4 bits, 1..16, so
 * chunk boundaries are fuzzed too, as in fuzz_series.c), the reader of the
 * chunked run (bit 4: libcsv, else the fast path) and whether the input is
 * also cut into byte ranges for the threaded reader (bits 5-7: cut after
 * every k-th LF); byte 1 picks the options (date column or year/month/day
 * columns, a group column, summed columns, the missing-cell policy, bad
 * rows skipped or fatal, the period, a range); the rest is the event file.
 * The options name the columns date, year, month, day, g, n and k, so
 * inputs that use these names reach the rows.
 *
 * Beyond "does not crash":
 *  - a failure leaves a message, and a parse error names the file;
 *  - differential: the chunked run, the reference run (libcsv, one piece)
 *    and the threaded run over byte ranges end alike: the same status and
 *    message, or the same series bytes and the same printed report (the
 *    readers promise the result of one serial libcsv pass);
 * and on success:
 *  - the accounting adds up: rows read = aggregated + bad + unknown date +
 *    outside the range;
 *  - the incidents of the series add up to the rows aggregated;
 *  - the series written reads back through the series reader with the
 *    same counts (the output of aggregate is an input of every model).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/events_int.h"
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
    o->threads = 1;
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

/* How a run ended: its status and message, or its series and report. */
typedef struct {
    int status;       /* TALLY_OK or the error */
    char msg[1024];   /* the error message */
    char *series;     /* the series text (success; NULL when the series
                         has no rows, e.g. nothing aggregated) */
    size_t series_len;
    char *report;     /* the printed report (success) */
    size_t report_len;
} outcome;

static void outcome_fini(outcome *r)
{
    free(r->series);
    free(r->report);
}

/* Record the end of a run (e may be NULL on failure). */
static void outcome_of(int st, const tally_events *e, outcome *r)
{
    memset(r, 0, sizeof *r);
    r->status = st;
    if (st != TALLY_OK) {
        snprintf(r->msg, sizeof r->msg, "%s", tally_last_error());
        return;
    }
    /* Writing a series of a million rows (one stray date in year 9999
     * times many groups) is correct but slow: small ones exercise the
     * same code. */
    int64_t lo = e->opt.have_from ? e->opt.from : e->lo;
    int64_t hi = e->opt.have_to ? e->opt.to : e->hi;
    size_t ng = tly_groups_count(&e->groups);
    FILE *fp;
    if (!e->have_range || hi - lo < 5000 / (int64_t)(ng ? ng : 1)) {
        fp = open_memstream(&r->series, &r->series_len);
        if (fp == NULL) {
            abort();
        }
        if (tally_events_write(fp, e) != TALLY_OK) {
            /* No series (nothing aggregated): compare the message. */
            snprintf(r->msg, sizeof r->msg, "%s", tally_last_error());
        }
        fclose(fp);
    }
    fp = open_memstream(&r->report, &r->report_len);
    if (fp == NULL) {
        abort();
    }
    tally_events_report_print(fp, e, "tally: ");
    fclose(fp);
}

static void same_outcome(const outcome *a, const outcome *b)
{
    if (a->status != b->status || strcmp(a->msg, b->msg) != 0) {
        abort();
    }
    if (a->status != TALLY_OK) {
        return;
    }
    if ((a->series == NULL) != (b->series == NULL) ||
        a->series_len != b->series_len || a->report_len != b->report_len ||
        (a->series != NULL &&
         memcmp(a->series, b->series, a->series_len) != 0) ||
        memcmp(a->report, b->report, a->report_len) != 0) {
        abort();
    }
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

/* Checks of a successful run. */
static void check_success(const uint8_t *data, size_t size,
                          const tally_events *e, const tally_events_options *o,
                          const outcome *r)
{
    const tally_events_report *rep = tally_events_get_report(e);
    if (rep->rows_read != rep->rows_aggregated + rep->rows_bad +
                              rep->rows_unknown_date + rep->rows_outside) {
        abort();
    }
    if (r->series == NULL) {
        return; /* too big to check quickly (see outcome_of) */
    }
    tally_frame_set *set = NULL;
    if (tally_events_frames(e, &set) != TALLY_OK) {
        if (rep->rows_aggregated > 0) {
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
    if (total != (double)rep->rows_aggregated) {
        abort();
    }
    /* A NUL byte stops the loader (it used to be kept inside a group
     * cell: "Sindh\0x" and "Sindh\0y" were two groups both written
     * "Sindh", and the series did not read back). */
    if (memchr(data + 2, '\0', size - 2) != NULL) {
        abort();
    }
    read_back(o, r->series, r->series_len, set);
    tally_frame_set_free(set);
}

/* The threaded reader over ranges cut after every k-th LF. */
static void split_run(const char *buf, size_t len, size_t every,
                      const tally_events_options *o, outcome *r)
{
    size_t cut[64];
    size_t ncut = 0, nlf = 0;
    for (size_t i = 0; i + 1 < len && ncut < 64; i++) {
        if (buf[i] == '\n' && ++nlf % every == 0) {
            cut[ncut++] = i + 1;
        }
    }
    tally_events *e = NULL;
    tally_error_clear();
    int st = tly_events_read_split_mem("fuzz.csv", buf, len, cut, ncut, o, &e);
    outcome_of(st, e, r);
    tally_events_free(e);
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
    const char *buf = (const char *)data + 2;
    size_t len = size - 2;

    /* The chunked run. */
    o.reader = (data[0] & 16) ? TALLY_READER_LIBCSV : TALLY_READER_FAST;
    tally_events *e = NULL;
    tally_error_clear();
    int st = tally_events_read_mem("fuzz.csv", buf, len, chunk, &o, &e);
    if (st != TALLY_OK && tally_last_error()[0] == '\0') {
        abort();
    }
    if (st == TALLY_EPARSE &&
        strncmp(tally_last_error(), "fuzz.csv:", 9) != 0) {
        /* A message about the input names the file (and line). */
        abort();
    }
    outcome got;
    outcome_of(st, e, &got);
    if (st == TALLY_OK) {
        check_success(data, size, e, &o, &got);
    }
    tally_events_free(e);

    /* The reference: libcsv, all at once. */
    o.reader = TALLY_READER_LIBCSV;
    e = NULL;
    tally_error_clear();
    st = tally_events_read_mem("fuzz.csv", buf, len, 0, &o, &e);
    outcome want;
    outcome_of(st, e, &want);
    tally_events_free(e);
    same_outcome(&got, &want);

    /* The threaded reader (fast path). */
    if (data[0] >> 5) {
        o.reader = TALLY_READER_FAST;
        outcome split;
        split_run(buf, len, (size_t)(data[0] >> 5), &o, &split);
        same_outcome(&split, &want);
        outcome_fini(&split);
    }
    outcome_fini(&got);
    outcome_fini(&want);
    return 0;
}
