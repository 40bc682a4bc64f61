/* SPDX-License-Identifier: MIT
 *
 * The event aggregator on fixtures that reproduce each quirk of the three
 * event files in ../shared/data (see tests/fixtures/events/README.md):
 * every fixture at every chunk size gives the same series and the same
 * accounting; counts, sums and missing cells are those worked out by hand
 * from the fixture rows (each expected value says which rows make it);
 * aggregates of two parts merge into the aggregate of the whole; every
 * error names file, line and column.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/events_int.h"
#include "tally/tally_events.h"
#include "tally/tally_status.h"

#define FIXTURES TALLY_SOURCE_DIR "/tests/fixtures/events/"

static char *slurp(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot open %s", path);
    char *buf = malloc(1 << 16);
    cr_assert_not_null(buf);
    *len = fread(buf, 1, 1 << 16, fp);
    fclose(fp);
    return buf;
}

static tally_events *run(const char *name, const char *buf, size_t len,
                         size_t chunk, const tally_events_options *o)
{
    tally_events *e = NULL;
    int st = tally_events_read_mem(name, buf, len, chunk, o, &e);
    cr_assert_eq(st, TALLY_OK, "%s at chunk %zu: %s", name, chunk,
                 tally_last_error());
    return e;
}

static char *series_text(const tally_events *e)
{
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    cr_assert_not_null(fp);
    int st = tally_events_write(fp, e);
    fclose(fp);
    cr_assert_eq(st, TALLY_OK, "%s", tally_last_error());
    return text;
}

static char *report_text(const tally_events *e)
{
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    cr_assert_not_null(fp);
    tally_events_report_print(fp, e, "tally: ");
    fclose(fp);
    return text;
}

/* The fixture at every chunk size from 1 byte to the whole file gives the
 * series and report of the whole file at once. */
static void same_at_every_chunk(const char *file, const tally_events_options *o)
{
    size_t len;
    char *buf = slurp(file, &len);
    tally_events *whole = run(file, buf, len, 0, o);
    char *want = series_text(whole);
    char *want_rep = report_text(whole);
    for (size_t chunk = 1; chunk <= len; chunk++) {
        tally_events *e = run(file, buf, len, chunk, o);
        char *got = series_text(e);
        char *got_rep = report_text(e);
        cr_assert_str_eq(got, want, "%s: chunk %zu", file, chunk);
        cr_assert_str_eq(got_rep, want_rep, "%s: chunk %zu", file, chunk);
        free(got);
        free(got_rep);
        tally_events_free(e);
    }
    free(want);
    free(want_rep);
    tally_events_free(whole);
    free(buf);
}

/* The value of column col in period (text) of a group's frame. */
static double value(const tally_frame_set *s, const char *group,
                    const char *period, const char *col)
{
    tally_frame *f = tally_frame_set_find(s, group);
    cr_assert_not_null(f, "no group %s", group ? group : "(none)");
    tally_freq freq = f->freq;
    tally_period p;
    cr_assert_eq(tally_period_parse(period, &freq, &p), TALLY_OK);
    long i = tally_frame_index(f, p);
    long j = tally_frame_column(f, col);
    cr_assert(i >= 0, "period %s outside", period);
    cr_assert(j >= 0, "no column %s", col);
    return f->cols[j][i];
}

static tally_frame_set *frames(const tally_events *e)
{
    tally_frame_set *s = NULL;
    cr_assert_eq(tally_events_frames(e, &s), TALLY_OK, "%s",
                 tally_last_error());
    return s;
}

/* ------------------------------------------------------------------ */
/* The suicide-attack file's quirks. */

static const tally_events_sum suicide_sums[] = {{"Killed Max", "killed"},
                                                {"Injured Max", "injured"}};

static void suicide_options(tally_events_options *o, tally_recode *r)
{
    tally_events_options_init(o);
    o->date_col = "Date";
    o->group_col = "Province";
    o->group_name = "province";
    o->sums = suicide_sums;
    o->nsum = 2;
    o->fold_case = 1;
    o->recode = r;
}

Test(events, suicide_fixture_same_at_every_chunk_size)
{
    tally_recode *r = tally_recode_alloc();
    cr_assert_eq(tally_recode_parse(r, "Baluchistan=Balochistan,"
                                       "KPK=Khyber Pakhtunkhwa"),
                 TALLY_OK);
    tally_events_options o;
    suicide_options(&o, r);
    same_at_every_chunk("suicide.csv", &o);
    tally_recode_free(r);
}

Test(events, suicide_fixture_counts)
{
    tally_recode *r = tally_recode_alloc();
    cr_assert_eq(tally_recode_parse(r, "Baluchistan=Balochistan,"
                                       "KPK=Khyber Pakhtunkhwa"),
                 TALLY_OK);
    tally_events_options o;
    suicide_options(&o, r);
    size_t len;
    char *buf = slurp("suicide.csv", &len);
    tally_events *e = run("suicide.csv", buf, len, 0, &o);
    const tally_events_report *rep = tally_events_get_report(e);
    cr_expect_eq(rep->rows_read, 10);
    cr_expect_eq(rep->rows_aggregated, 10);
    /* Row 8 (line 13, after the bare CRs of rows 2, 3 and 6) says
     * Saturday for Monday 7 March 2016. */
    cr_expect_eq(rep->weekday_mismatch, 1);
    cr_expect_eq(rep->weekday_line, 13);
    cr_expect_str_eq(rep->weekday_text, "Saturday-March 07-2016");
    /* Killed Max blank in rows 4 and 10; Injured Max N/A in row 4 (line 7),
     * blank in row 10. */
    cr_expect_eq(rep->missing[0].blank, 2);
    cr_expect_eq(rep->missing[0].text, 0);
    cr_expect_eq(rep->missing[1].blank, 1);
    cr_expect_eq(rep->missing[1].text, 1);
    cr_expect_eq(rep->missing[1].text_line, 7);
    cr_expect_str_eq(rep->missing[1].text_example, "N/A");

    tally_frame_set *s = frames(e);
    /* Six groups after recoding and folding, spelled as the smallest
     * spelling seen: FATA (not Fata), Balochistan (Baluchistan recoded,
     * "balochistan " trimmed and folded). */
    cr_assert_eq(s->nframes, 6);
    const char *groups[] = {"Balochistan",        "Capital", "FATA",
                            "Khyber Pakhtunkhwa", "Punjab",  "Sindh"};
    for (size_t g = 0; g < 6; g++) {
        cr_expect_str_eq(s->frames[g]->group, groups[g]);
        /* Every group over the whole range 1995-11 .. 2017-10. */
        cr_expect_eq(s->frames[g]->n,
                     (size_t)((2017 - 1995) * 12 + 10 - 11 + 1));
    }
    cr_expect_str_eq(s->group_col, "province");
    /* Rows 6 and 7 (July 2012, Baluchistan and Balochistan). */
    cr_expect_eq(value(s, "Balochistan", "2012-07", "incidents"), 2);
    cr_expect_eq(value(s, "Balochistan", "2012-07", "killed"), 22 + 4);
    cr_expect_eq(value(s, "Balochistan", "2012-07", "injured"), 35 + 11);
    /* Row 9, October 2017. */
    cr_expect_eq(value(s, "Balochistan", "2017-10", "killed"), 21);
    /* Rows 3 and 5, February 2012, FATA and Fata. */
    cr_expect_eq(value(s, "FATA", "2012-02", "incidents"), 2);
    cr_expect_eq(value(s, "FATA", "2012-02", "killed"), 31 + 6);
    cr_expect_eq(value(s, "FATA", "2012-02", "injured"), 50 + 10);
    /* Row 4: counted, both cells missing. */
    cr_expect_eq(value(s, "Khyber Pakhtunkhwa", "2012-02", "incidents"), 1);
    cr_expect_eq(value(s, "Khyber Pakhtunkhwa", "2012-02", "killed"), 0);
    cr_expect_eq(value(s, "Khyber Pakhtunkhwa", "2012-02", "killed_missing"),
                 1);
    cr_expect_eq(value(s, "Khyber Pakhtunkhwa", "2012-02", "injured_missing"),
                 1);
    /* Row 8 counted in March 2016 whatever its weekday says. */
    cr_expect_eq(value(s, "Khyber Pakhtunkhwa", "2016-03", "killed"), 12);
    /* Nothing happened there then: present, zero. */
    cr_expect_eq(value(s, "Sindh", "2005-06", "incidents"), 0);
    cr_expect_eq(value(s, "Sindh", "2005-06", "killed_missing"), 0);
    cr_expect_eq(value(s, "Sindh", "2000-11", "killed"), 3);
    tally_frame_set_free(s);
    tally_events_free(e);
    tally_recode_free(r);
    free(buf);
}

Test(events, recode_file_and_case_rules)
{
    tally_recode *r = tally_recode_alloc();
    cr_assert_eq(tally_recode_read(r, FIXTURES "recode.csv"), TALLY_OK, "%s",
                 tally_last_error());
    cr_expect_eq(tally_recode_count(r), 3);
    tally_events_options o;
    suicide_options(&o, r);
    /* Without folding, "balochistan " stays its own group. */
    o.fold_case = 0;
    size_t len;
    char *buf = slurp("suicide.csv", &len);
    tally_events *e = run("suicide.csv", buf, len, 0, &o);
    tally_frame_set *s = frames(e);
    cr_expect_eq(s->nframes, 7);
    cr_expect_str_eq(s->frames[6]->group, "balochistan");
    cr_expect_eq(value(s, "FATA", "2012-02", "incidents"), 2);
    tally_frame_set_free(s);
    tally_events_free(e);
    tally_recode_free(r);
    free(buf);
}

/* ------------------------------------------------------------------ */
/* The drone-strike file's quirks. */

static const tally_events_sum drone_sums[] = {{"Civilians Max", NULL},
                                              {"Total Died Mix", "killed_max"}};

static void drone_options(tally_events_options *o)
{
    tally_events_options_init(o);
    o->date_col = "Date";
    o->sums = drone_sums;
    o->nsum = 2;
    o->skip_bad_rows = 1;
}

Test(events, drone_fixture_same_at_every_chunk_size)
{
    tally_events_options o;
    drone_options(&o);
    same_at_every_chunk("drone.csv", &o);
    o.freq = TALLY_FREQ_QUARTER;
    o.group_col = "Province";
    same_at_every_chunk("drone.csv", &o);
}

Test(events, drone_totals_row_is_a_bad_row)
{
    tally_events_options o;
    drone_options(&o);
    o.skip_bad_rows = 0;
    size_t len;
    char *buf = slurp("drone.csv", &len);
    /* Line 11: header, rows 1-5, row 6 spans lines 7-8 (CRLF inside its
     * quoted comment), rows 7-8, then the totals row (no final line end). */
    for (size_t chunk = 0; chunk <= len; chunk += 7) {
        tally_events *e = NULL;
        cr_expect_eq(
            tally_events_read_mem("drone.csv", buf, len, chunk, &o, &e),
            TALLY_EPARSE);
        cr_expect_null(e);
        cr_expect(strstr(tally_last_error(),
                         "drone.csv:11:2: column 'Date': the date is blank") !=
                      NULL,
                  "%s", tally_last_error());
    }
    free(buf);
}

Test(events, drone_fixture_counts)
{
    tally_events_options o;
    drone_options(&o);
    size_t len;
    char *buf = slurp("drone.csv", &len);
    tally_events *e = run("drone.csv", buf, len, 0, &o);
    const tally_events_report *rep = tally_events_get_report(e);
    cr_expect_eq(rep->rows_read, 9);
    cr_expect_eq(rep->rows_aggregated, 8);
    cr_expect_eq(rep->rows_bad, 1);
    cr_expect_eq(rep->nlisted, 1);
    cr_expect_eq(rep->listed[0].line, 11);
    cr_expect_eq(rep->listed[0].column, 2);
    /* Civilians Max: blank in rows 2, 4, 6; -6 in row 5 (line 6). */
    cr_expect_eq(rep->missing[0].blank, 3);
    cr_expect_eq(rep->missing[0].negative, 1);
    cr_expect_eq(rep->missing[0].negative_line, 6);
    cr_expect_str_eq(rep->missing[0].negative_example, "-6");
    /* Total Died Mix blank in row 6 only. */
    cr_expect_eq(rep->missing[1].blank, 1);

    tally_frame_set *s = frames(e);
    cr_assert_eq(s->nframes, 1);
    cr_expect_null(s->group_col);
    tally_frame *f = s->frames[0];
    /* 2004-06 .. 2017-10. */
    cr_expect_eq(f->n, (size_t)((2017 - 2004) * 12 + 10 - 6 + 1));
    cr_expect_str_eq(f->names[1], "Civilians Max");
    cr_expect_str_eq(f->names[2], "killed_max");
    cr_expect_str_eq(f->names[3], "Civilians Max_missing");
    cr_expect_str_eq(f->names[4], "killed_max_missing");
    /* January 2008: rows 4 and 5 (out of date order). */
    cr_expect_eq(value(s, NULL, "2008-01", "incidents"), 2);
    cr_expect_eq(value(s, NULL, "2008-01", "killed_max"), 13 + 8);
    cr_expect_eq(value(s, NULL, "2008-01", "Civilians Max"), 0);
    cr_expect_eq(value(s, NULL, "2008-01", "Civilians Max_missing"), 2);
    /* March 2008: rows 6 and 7. */
    cr_expect_eq(value(s, NULL, "2008-03", "killed_max"), 4);
    cr_expect_eq(value(s, NULL, "2008-03", "killed_max_missing"), 1);
    cr_expect_eq(value(s, NULL, "2008-03", "Civilians Max"), 2);
    cr_expect_eq(value(s, NULL, "2017-10", "killed_max"), 26);
    cr_expect_eq(value(s, NULL, "2010-01", "incidents"), 0);
    tally_frame_set_free(s);
    tally_events_free(e);
    free(buf);
}

/* ------------------------------------------------------------------ */
/* The GTD extract's quirks. */

static const tally_events_sum gtd_sums[] = {{"FATALITIES", NULL},
                                            {"INJURED", NULL}};

Test(events, gtd_fixture)
{
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "DATE";
    o.group_col = "PROVINCE";
    o.sums = gtd_sums;
    o.nsum = 2;
    same_at_every_chunk("gtd.csv", &o);
    o.freq = TALLY_FREQ_YEAR;
    same_at_every_chunk("gtd.csv", &o);

    size_t len;
    char *buf = slurp("gtd.csv", &len);
    o.group_col = NULL;
    tally_events *e = run("gtd.csv", buf, len, 0, &o);
    const tally_events_report *rep = tally_events_get_report(e);
    cr_expect_eq(rep->rows_read, 8);
    cr_expect_eq(rep->rows_aggregated, 8);
    /* Unknown fatalities in the rows of lines 4 and 7, injured in 5, 7. */
    cr_expect_eq(rep->missing[0].text, 2);
    cr_expect_eq(rep->missing[0].text_line, 4);
    cr_expect_str_eq(rep->missing[0].text_example, "Unknown");
    cr_expect_eq(rep->missing[1].text, 2);
    tally_frame_set *s = frames(e);
    /* Newest first in the file, oldest first in the series. */
    cr_expect_eq(s->frames[0]->start,
                 tally_period_make(TALLY_FREQ_YEAR, 2001, 1));
    cr_expect_eq(s->frames[0]->n, 20);
    cr_expect_eq(value(s, NULL, "2020", "incidents"), 4);
    cr_expect_eq(value(s, NULL, "2020", "FATALITIES"), 0 + 0 + 2);
    cr_expect_eq(value(s, NULL, "2020", "FATALITIES_missing"), 1);
    cr_expect_eq(value(s, NULL, "2009", "incidents"), 2);
    cr_expect_eq(value(s, NULL, "2009", "FATALITIES"), 12);
    cr_expect_eq(value(s, NULL, "2008", "incidents"), 1);
    cr_expect_eq(value(s, NULL, "2001", "incidents"), 1);
    cr_expect_eq(value(s, NULL, "2005", "incidents"), 0);
    tally_frame_set_free(s);
    tally_events_free(e);

    /* A blank province is its own group, NA, and is reported. */
    o.group_col = "PROVINCE";
    e = run("gtd.csv", buf, len, 0, &o);
    rep = tally_events_get_report(e);
    cr_expect_eq(rep->blank_group, 1);
    s = frames(e);
    cr_expect_eq(value(s, "NA", "2020", "incidents"), 1);
    cr_expect_eq(value(s, "North-West Frontier Province", "2009", "incidents"),
                 2);
    tally_frame_set_free(s);
    char *text = report_text(e);
    cr_expect(strstr(text, "1 row has a blank 'PROVINCE', grouped as 'NA'") !=
                  NULL,
              "%s", text);
    free(text);
    tally_events_free(e);

    /* ... unless recoded. */
    tally_recode *r = tally_recode_alloc();
    cr_assert_eq(tally_recode_parse(r, "=Unknown"), TALLY_OK);
    o.recode = r;
    e = run("gtd.csv", buf, len, 0, &o);
    s = frames(e);
    cr_expect_null(tally_frame_set_find(s, "NA"));
    cr_expect_eq(value(s, "Unknown", "2020", "incidents"), 1);
    tally_frame_set_free(s);
    tally_events_free(e);
    tally_recode_free(r);
    free(buf);
}

/* GTD's own layout: iyear, imonth, iday with 0 for unknown. */
static const tally_events_sum ymd_sums[] = {{"nkill", NULL}, {"nwound", NULL}};

static void ymd_options(tally_events_options *o)
{
    tally_events_options_init(o);
    o->year_col = "iyear";
    o->month_col = "imonth";
    o->day_col = "iday";
    o->group_col = "provstate";
    o->sums = ymd_sums;
    o->nsum = 2;
}

Test(events, year_month_day_columns_with_unknowns)
{
    tally_events_options o;
    ymd_options(&o);
    same_at_every_chunk("gtd_ymd.csv", &o);
    size_t len;
    char *buf = slurp("gtd_ymd.csv", &len);
    tally_events *e = run("gtd_ymd.csv", buf, len, 0, &o);
    const tally_events_report *rep = tally_events_get_report(e);
    /* Row 3 has month 0: skipped and counted, not guessed. */
    cr_expect_eq(rep->rows_read, 6);
    cr_expect_eq(rep->rows_aggregated, 5);
    cr_expect_eq(rep->rows_unknown_date, 1);
    /* Rows 2 and 6 have day 0: counted in their month. */
    cr_expect_eq(rep->unknown_day, 2);
    tally_frame_set *s = frames(e);
    /* Balochistan's only event had an unknown month: the group is still
     * there, with zeros. */
    cr_expect_eq(s->nframes, 3);
    cr_expect_eq(value(s, "Balochistan", "2013-01", "incidents"), 0);
    cr_expect_eq(value(s, "Sindh", "2013-01", "incidents"), 2);
    cr_expect_eq(value(s, "Sindh", "2013-01", "nkill"), 3 + 1);
    cr_expect_eq(value(s, "Sindh", "2013-01", "nwound_missing"), 1);
    cr_expect_eq(value(s, "Punjab", "2014-01", "nkill"), 5);
    cr_expect_eq(s->frames[0]->n, 13);
    tally_frame_set_free(s);
    tally_events_free(e);

    /* By year the month is not needed, so row 3 counts. */
    o.freq = TALLY_FREQ_YEAR;
    e = run("gtd_ymd.csv", buf, len, 0, &o);
    rep = tally_events_get_report(e);
    cr_expect_eq(rep->rows_aggregated, 6);
    cr_expect_eq(rep->rows_unknown_date, 0);
    s = frames(e);
    cr_expect_eq(value(s, "Balochistan", "2013", "incidents"), 1);
    tally_frame_set_free(s);
    tally_events_free(e);
    o.month_col = NULL;
    o.day_col = NULL;
    e = run("gtd_ymd.csv", buf, len, 0, &o);
    cr_expect_eq(tally_events_get_report(e)->rows_aggregated, 6);
    tally_events_free(e);
    free(buf);
}

Test(events, year_month_day_errors)
{
    tally_events_options o;
    ymd_options(&o);
    tally_events *e = NULL;
    const char *bad[][2] = {
        {"iyear,imonth,iday,provstate,nkill,nwound\n2013,13,1,S,1,1\n",
         "x.csv:2:2: column 'imonth': there is no month 13"},
        {"iyear,imonth,iday,provstate,nkill,nwound\n2013,2,29,S,1,1\n",
         "x.csv:2:3: column 'iday': 2013-02-29 is not a valid date: February "
         "2013 has 28 days"},
        {"iyear,imonth,iday,provstate,nkill,nwound\n2013,x,1,S,1,1\n",
         "x.csv:2:2: column 'imonth': 'x' is not a month number"},
        {"iyear,imonth,iday,provstate,nkill,nwound\n,,,,7,9\n",
         "x.csv:2:1: column 'iyear': the blank cell is not a year number"},
        {"iyear,imonth,iday,provstate,nkill,nwound\n2013,0,40,S,1,1\n",
         "x.csv:2:3: column 'iday': there is no day 40"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_expect_eq(tally_events_read_mem("x.csv", bad[i][0],
                                           strlen(bad[i][0]), 0, &o, &e),
                     TALLY_EPARSE);
        cr_expect(strstr(tally_last_error(), bad[i][1]) != NULL, "%s",
                  tally_last_error());
    }
}

/* ------------------------------------------------------------------ */
/* Exact merges. */

/* Split the fixture after each record, aggregate both parts (the second
 * with the header put back), merge, and compare with the whole. */
static void merge_at_every_row(const char *file, const tally_events_options *o)
{
    size_t len;
    char *buf = slurp(file, &len);
    tally_events *whole = run(file, buf, len, 0, o);
    char *want = series_text(whole);
    size_t hlen = strcspn(buf, "\n") + 1;
    size_t cut = hlen;
    while (cut < len) {
        size_t next = cut + strcspn(buf + cut, "\n");
        cut = next < len ? next + 1 : len;
        if (cut >= len) {
            break;
        }
        char *second = malloc(hlen + len - cut);
        cr_assert_not_null(second);
        memcpy(second, buf, hlen);
        memcpy(second + hlen, buf + cut, len - cut);
        tally_events *a = run(file, buf, cut, 0, o);
        tally_events *b = run(file, second, hlen + len - cut, 0, o);
        cr_assert_eq(tally_events_merge(a, b), TALLY_OK, "%s",
                     tally_last_error());
        char *got = series_text(a);
        cr_assert_str_eq(got, want, "%s cut at byte %zu", file, cut);
        const tally_events_report *ra = tally_events_get_report(a);
        const tally_events_report *rw = tally_events_get_report(whole);
        cr_assert_eq(ra->rows_read, rw->rows_read);
        cr_assert_eq(ra->rows_aggregated, rw->rows_aggregated);
        for (size_t k = 0; k < o->nsum; k++) {
            cr_assert_eq(ra->missing[k].blank, rw->missing[k].blank);
            cr_assert_eq(ra->missing[k].text, rw->missing[k].text);
        }
        free(got);
        tally_events_free(a);
        tally_events_free(b);
        free(second);
    }
    free(want);
    tally_events_free(whole);
    free(buf);
}

Test(events, parts_merge_exactly)
{
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "DATE";
    o.group_col = "PROVINCE";
    o.sums = gtd_sums;
    o.nsum = 2;
    merge_at_every_row("gtd.csv", &o);
    o.group_col = NULL;
    merge_at_every_row("gtd.csv", &o);
    ymd_options(&o);
    merge_at_every_row("gtd_ymd.csv", &o);

    /* Options must agree. */
    size_t len;
    char *buf = slurp("gtd.csv", &len);
    tally_events_options_init(&o);
    o.date_col = "DATE";
    tally_events *a = run("gtd.csv", buf, len, 0, &o);
    o.freq = TALLY_FREQ_YEAR;
    tally_events *b = run("gtd.csv", buf, len, 0, &o);
    cr_expect_eq(tally_events_merge(a, b), TALLY_EINVAL);
    tally_events_free(a);
    tally_events_free(b);
    free(buf);
}

Test(events, fractional_values_and_large_integers)
{
    static const char text[] = "date,x\n"
                               "2020-01-01,0.5\n"
                               "2020-01-02,0.25\n"
                               "2020-01-03,1e2\n"
                               "2020-01-04,9007199254740993\n"
                               "2020-01-05,+3\n"
                               "2020-01-06,-0\n";
    static const tally_events_sum x[] = {{"x", NULL}};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    o.sums = x;
    o.nsum = 1;
    tally_events *e = run("f.csv", text, sizeof text - 1, 0, &o);
    tally_frame_set *s = frames(e);
    /* 0.5 + 0.25 + 100 + 9007199254740993 (nearest double ...992) + 3 + 0;
     * the integer part is exact, the rest is added once at the end. */
    double want = (double)(100 + 3 + 0) + (0.5 + 0.25 + 9007199254740992.0);
    cr_expect_eq(value(s, NULL, "2020-01", "x"), want);
    cr_expect_eq(value(s, NULL, "2020-01", "x_missing"), 0);
    tally_frame_set_free(s);
    tally_events_free(e);
}

/* ------------------------------------------------------------------ */
/* Options that shape the output. */

Test(events, range_fills_and_filters)
{
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "DATE";
    o.group_col = "PROVINCE";
    o.have_from = 1;
    o.from = tally_period_make(TALLY_FREQ_MONTH, 2009, 6);
    o.have_to = 1;
    o.to = tally_period_make(TALLY_FREQ_MONTH, 2021, 3);
    size_t len;
    char *buf = slurp("gtd.csv", &len);
    tally_events *e = run("gtd.csv", buf, len, 0, &o);
    const tally_events_report *rep = tally_events_get_report(e);
    /* 2001-09 and 2008-02 fall before June 2009. */
    cr_expect_eq(rep->rows_outside, 2);
    cr_expect_eq(rep->rows_aggregated, 6);
    tally_frame_set *s = frames(e);
    /* Every group of the file, including those only seen outside the
     * range, over exactly 2009-06 .. 2021-03. */
    cr_expect_eq(s->nframes, 6);
    for (size_t g = 0; g < s->nframes; g++) {
        cr_expect_eq(s->frames[g]->start, o.from);
        cr_expect_eq(s->frames[g]->n, (size_t)(o.to - o.from + 1));
    }
    cr_expect_eq(
        value(s, "Federally Administered Tribal Areas", "2009-06", "incidents"),
        0);
    cr_expect_eq(value(s, "Sindh", "2021-03", "incidents"), 0);
    cr_expect_eq(value(s, "Sindh", "2020-12", "incidents"), 1);
    tally_frame_set_free(s);
    tally_events_free(e);
    free(buf);
}

Test(events, missing_policies)
{
    static const char text[] = "date,k\n"
                               "2020-01-01,2\n"
                               "2020-01-02,Unknown\n"
                               "2020-02-01,\n"
                               "2020-02-02,-1\n";
    static const tally_events_sum k[] = {{"k", "killed"}};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    o.sums = k;
    o.nsum = 1;
    o.missing = TALLY_MISSING_ZERO;
    tally_events *e = run("m.csv", text, sizeof text - 1, 0, &o);
    tally_frame_set *s = frames(e);
    cr_expect_eq(value(s, NULL, "2020-01", "killed"), 2);
    cr_expect_eq(value(s, NULL, "2020-01", "killed_missing"), 1);
    cr_expect_eq(value(s, NULL, "2020-02", "incidents"), 2);
    cr_expect_eq(value(s, NULL, "2020-02", "killed_missing"), 2);
    char *rep = report_text(e);
    cr_expect(strstr(rep, "column 'k': 3 cells are not a count (1 blank, 1 "
                          "text, first 'Unknown' on line 3, 1 negative, "
                          "first '-1' on line 5): added as 0, counted in "
                          "'killed_missing'") != NULL,
              "%s", rep);
    free(rep);
    tally_frame_set_free(s);
    tally_events_free(e);

    o.missing = TALLY_MISSING_FAIL;
    cr_expect_eq(
        tally_events_read_mem("m.csv", text, sizeof text - 1, 0, &o, &e),
        TALLY_EMISSING);
    cr_expect(strstr(tally_last_error(),
                     "m.csv:3:2: column 'k': 'Unknown' is not a count") != NULL,
              "%s", tally_last_error());
    /* With fail there is no _missing column. */
    static const char clean[] = "date,k\n2020-01-01,2\n";
    e = run("c.csv", clean, sizeof clean - 1, 0, &o);
    s = frames(e);
    cr_expect_eq(s->frames[0]->ncol, 2);
    tally_frame_set_free(s);
    tally_events_free(e);
}

Test(events, date_formats_and_bom)
{
    tally_date_format f;
    cr_assert_eq(tally_date_format_init(&f, "%d/%m/%Y"), TALLY_OK);
    static const tally_events_sum n[] = {{"n", NULL}};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    o.sums = n;
    o.nsum = 1;
    size_t len;
    char *buf = slurp("dmy.csv", &len);
    tally_events *e = NULL;
    /* Without a format the order of day and month is a question for the
     * user: an error even when bad rows are skipped. */
    o.skip_bad_rows = 1;
    cr_expect_eq(tally_events_read_mem("dmy.csv", buf, len, 0, &o, &e),
                 TALLY_EINVAL);
    cr_expect(strstr(tally_last_error(), "dmy.csv:2:1: column 'date': "
                                         "'19/11/1995': the order of day and "
                                         "month is ambiguous") != NULL,
              "%s", tally_last_error());
    o.date_format = &f;
    same_at_every_chunk("dmy.csv", &o);
    e = run("dmy.csv", buf, len, 0, &o);
    tally_frame_set *s = frames(e);
    cr_expect_eq(value(s, NULL, "1995-11", "n"), 1);
    cr_expect_eq(value(s, NULL, "1995-12", "n"), 2 + 3);
    tally_frame_set_free(s);
    tally_events_free(e);
    free(buf);

    /* A byte order mark and blank lines are not data. */
    static const char bom[] = "\xEF\xBB\xBF"
                              "date,n\r\n\r\n18/06/2004,4\r\n\r\n";
    for (size_t chunk = 1; chunk < sizeof bom; chunk++) {
        e = run("bom.csv", bom, sizeof bom - 1, chunk, &o);
        cr_expect_eq(tally_events_get_report(e)->rows_read, 1);
        s = frames(e);
        cr_expect_eq(value(s, NULL, "2004-06", "n"), 4);
        tally_frame_set_free(s);
        tally_events_free(e);
    }
}

/* ------------------------------------------------------------------ */
/* Errors: one test per code, each message naming the place. */

static void expect_error(const char *text, const tally_events_options *o,
                         int code, const char *needle)
{
    tally_events *e = NULL;
    int st = tally_events_read_mem("bad.csv", text, strlen(text), 0, o, &e);
    if (st == TALLY_OK) {
        tally_frame_set *s = NULL;
        st = tally_events_frames(e, &s);
        tally_frame_set_free(s);
        tally_events_free(e);
    } else {
        cr_expect_null(e);
    }
    cr_expect_eq(st, code, "%s: got %d (%s)", text, st, tally_last_error());
    cr_expect(strstr(tally_last_error(), needle) != NULL, "'%s' not in '%s'",
              needle, tally_last_error());
}

Test(events, every_error_names_its_place)
{
    static const tally_events_sum k[] = {{"killed", NULL}};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    o.sums = k;
    o.nsum = 1;
    size_t len;
    char *buf = slurp("bad_date.csv", &len);
    buf[len] = '\0';
    expect_error(buf, &o, TALLY_EPARSE,
                 "bad.csv:3:1: column 'date': '2023-02-30' is not a valid "
                 "date: February 2023 has 28 days");
    free(buf);
    buf = slurp("bad_fields.csv", &len);
    buf[len] = '\0';
    expect_error(buf, &o, TALLY_EPARSE,
                 "bad.csv:3:3: the row has 3 fields, the header has 2");
    free(buf);
    expect_error("date,killed\n2020-01-01,1\n2020-01-02\n", &o, TALLY_EPARSE,
                 "bad.csv:3:1: the row has 1 field, the header has 2");
    expect_error("date,killed\n2020-01-01,1\n2020-01-0\"2,3\n", &o,
                 TALLY_EPARSE, "bad.csv:3:1: malformed CSV");
    expect_error("date,killed\n2020-01-01,\"1\n2\n", &o, TALLY_EPARSE,
                 "unterminated quoted field (a \" in the record that starts "
                 "on line 2");
    expect_error("", &o, TALLY_EPARSE, "bad.csv: empty file");
    expect_error("\n\n", &o, TALLY_EPARSE, "bad.csv: empty file");
    expect_error("date,killed\n", &o, TALLY_ETOOFEW,
                 "bad.csv: no incidents to aggregate (0 rows read");
    expect_error("Date,killed\n2020-01-01,1\n", &o, TALLY_EINVAL,
                 "bad.csv:1: no column named 'date' (did you mean 'Date'?)");
    expect_error("when,killed\n2020-01-01,1\n", &o, TALLY_EINVAL,
                 "no column named 'date'; the columns are 'when', 'killed'");
    expect_error("date,killed,killed\n2020-01-01,1,2\n", &o, TALLY_EINVAL,
                 "bad.csv:1: column 'killed' appears twice in the header "
                 "(columns 2 and 3)");
    o.missing = TALLY_MISSING_FAIL;
    expect_error("date,killed\n2020-01-01,N/A\n", &o, TALLY_EMISSING,
                 "bad.csv:2:2: column 'killed': 'N/A' is not a count");
    o.missing = TALLY_MISSING_SKIP;

    /* Options that cannot work together. */
    tally_events *e = NULL;
    tally_events_options bad = o;
    bad.year_col = "year";
    cr_expect_eq(tally_events_alloc(&bad, "x", &e), TALLY_EINVAL);
    bad = o;
    bad.date_col = NULL;
    cr_expect_eq(tally_events_alloc(&bad, "x", &e), TALLY_EINVAL);
    bad = o;
    bad.count_name = "killed";
    cr_expect_eq(tally_events_alloc(&bad, "x", &e), TALLY_EINVAL);
    cr_expect(strstr(tally_last_error(), "two output columns would be named "
                                         "'killed'") != NULL,
              "%s", tally_last_error());
    bad = o;
    bad.have_from = bad.have_to = 1;
    bad.from = 5;
    bad.to = 4;
    cr_expect_eq(tally_events_alloc(&bad, "x", &e), TALLY_EINVAL);
    cr_expect_null(e);

    /* A file that is not there. */
    cr_expect_eq(tally_events_read(FIXTURES "no-such-file.csv", &o, &e),
                 TALLY_EIO);
    cr_expect_null(e);
}

Test(events, recode_errors)
{
    tally_recode *r = tally_recode_alloc();
    cr_expect_eq(tally_recode_parse(r, "KPK"), TALLY_EINVAL);
    cr_expect_eq(tally_recode_parse(r, "KPK="), TALLY_EINVAL);
    cr_expect_eq(tally_recode_parse(r, "KPK=KP,KPK=KP"), TALLY_OK);
    cr_expect_eq(tally_recode_parse(r, "KPK=Khyber"), TALLY_EINVAL);
    cr_expect(strstr(tally_last_error(), "maps 'KPK' to both 'KP' and "
                                         "'Khyber'") != NULL,
              "%s", tally_last_error());
    cr_expect_eq(tally_recode_read(r, FIXTURES "no-such-file.csv"), TALLY_EIO);
    cr_expect_eq(tally_recode_read(r, FIXTURES "gtd.csv"), TALLY_EPARSE);
    cr_expect_eq(tally_recode_count(r), 1);
    tally_recode_free(r);
    tally_recode_free(NULL);

    /* Two spellings that fold together but recode differently. */
    r = tally_recode_alloc();
    cr_assert_eq(tally_recode_parse(r, "kpk=A,KPK=B"), TALLY_OK);
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "d";
    o.group_col = "g";
    o.recode = r;
    o.fold_case = 1;
    tally_events *e = NULL;
    cr_expect_eq(tally_events_alloc(&o, "x", &e), TALLY_EINVAL);
    tally_recode_free(r);
}

/* ------------------------------------------------------------------ */
/* Memory does not grow with the number of rows. */

Test(events, memory_is_bounded_by_cells_not_rows)
{
    /* 120,000 rows over 10 years: the row buffer stays at its first size
     * and there is one cell per month. */
    size_t nrow = 120000;
    size_t cap = 64 + nrow * 40;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t len = (size_t)snprintf(text, cap, "id,date,killed,note\n");
    for (size_t i = 0; i < nrow; i++) {
        int y = 2000 + (int)(i % 10);
        int m = 1 + (int)(i / 10 % 12);
        int d = 1 + (int)(i % 28);
        len += (size_t)snprintf(text + len, cap - len,
                                "%zu,%04d-%02d-%02d,%zu,\"x\"\n", i, y, m, d,
                                i % 5);
    }
    static const tally_events_sum k[] = {{"killed", NULL}};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    o.sums = k;
    o.nsum = 1;
    tally_events *e = run("big.csv", text, len, 4096, &o);
    cr_expect_eq(e->rep.rows_aggregated, nrow);
    cr_expect_eq(e->cells.n, 120);
    cr_expect_leq(e->buf_cap, 256);
    tally_frame_set *s = frames(e);
    double total = 0;
    for (size_t i = 0; i < s->frames[0]->n; i++) {
        total += s->frames[0]->cols[1][i];
    }
    /* sum of i % 5 over i < 120000 = 24000 * (0+1+2+3+4). */
    cr_expect_eq(total, 24000.0 * 10);
    tally_frame_set_free(s);
    tally_events_free(e);
    free(text);
}
