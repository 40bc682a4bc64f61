/* SPDX-License-Identifier: MIT
 *
 * Regression tests for bugs found by the hardening work (fuzzing, the
 * hostile-input suite in tests/hostile, the numerical edge cases): each
 * test names what went wrong before the fix.  Readers are fed at every
 * chunk size.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lgamma_int.h"
#include "core/period_int.h"
#include "io/events_int.h"
#include "tally/tally_design.h"
#include "tally/tally_events.h"
#include "tally/tally_fit.h"
#include "tally/tally_forecast.h"
#include "tally/tally_frame.h"
#include "tally/tally_its.h"
#include "tally/tally_status.h"
#include "tally/tally_study.h"
#include "tally/tally_table.h"

/* Read text as a series file at every chunk size; expect status st and,
 * when st is an error, exactly the message msg (or a message starting
 * with msg when prefix is set). */
static void expect_series(const char *text, size_t len, int st,
                          const char *msg, int prefix)
{
    for (size_t chunk = 1; chunk <= len + 1; chunk++) {
        tally_table *t = NULL;
        tally_frame_set *s = NULL;
        int got = tally_table_read_mem("h.csv", text, len, chunk, &t);
        if (got == TALLY_OK) {
            got = tally_series_from_table(t, NULL, &s);
        }
        cr_assert_eq(got, st, "chunk %zu: status %d, wanted %d (%s)", chunk,
                     got, st, tally_last_error());
        if (st != TALLY_OK) {
            const char *m = tally_last_error();
            if (prefix) {
                cr_assert(strncmp(m, msg, strlen(msg)) == 0,
                          "chunk %zu: '%s' does not start with '%s'", chunk,
                          m, msg);
            } else {
                cr_assert_str_eq(m, msg, "chunk %zu", chunk);
            }
        }
        tally_frame_set_free(s);
        tally_table_free(t);
    }
}

#define EXPECT_SERIES(lit, st, msg, prefix) \
    expect_series((lit), sizeof(lit) - 1, (st), (msg), (prefix))

/* A message that wraps the previous one ("%s:%zu:1: %s", ...,
 * tally_last_error()) used to be formatted into the buffer it read: the
 * file name came out twice and the text was garbled
 * ("h.csv:2:1: h.csv:2:1: 0-01' outside 1..9999"). */
Test(hardening, wrapped_error_message_is_not_garbled)
{
    EXPECT_SERIES("month,x\n0000-01,1\n", TALLY_EPARSE,
                  "h.csv:2:1: year of '0000-01' outside 1..9999", 0);
    EXPECT_SERIES("month,x\n2020-01,1\n2020-13,1\n", TALLY_EPARSE,
                  "h.csv:3:1: '2020-13' is not a period (expected YYYY-MM, "
                  "YYYY-Qn or YYYY)",
                  0);
}

/* A NUL byte used to end the cell silently: "3\0garbage" was read as 3. */
Test(hardening, nul_byte_in_a_cell_is_an_error)
{
    EXPECT_SERIES("month,x\n2020-01,3\0garbage\n2020-02,4\n", TALLY_EPARSE,
                  "h.csv:2:2: the field holds a NUL byte", 1);
}

/* A UTF-16 file used to fail with "empty column name in the header". */
Test(hardening, utf16_file_is_named_as_such)
{
    static const char le[] = "\xFF\xFEm\0o\0n\0t\0h\0,\0x\0\r\0\n\0"
                             "2\0000\0002\0000\0-\0000\0001\0,\0001\0\r\0\n\0";
    EXPECT_SERIES(le, TALLY_EPARSE,
                  "h.csv:1:1: the file is UTF-16 text; save it as UTF-8", 1);
    static const char be[] = "\xFE\xFF\0m\0o\0n\0t\0h\0,\0x\0\n";
    EXPECT_SERIES(be, TALLY_EPARSE,
                  "h.csv:1:1: the file is UTF-16 text; save it as UTF-8", 1);
}

/* libcsv's own text ("error parsing data while strict checking enabled")
 * named neither the column nor the problem. */
Test(hardening, malformed_csv_names_line_and_column)
{
    EXPECT_SERIES("month,x\n2020-01,3\"x\n", TALLY_EPARSE,
                  "h.csv:2:2: malformed CSV: a quote inside an unquoted field",
                  1);
    EXPECT_SERIES("month,x\n2020-01,1\n2020-02,\"3\"x\n", TALLY_EPARSE,
                  "h.csv:3:2: malformed CSV", 1);
}

/* The first bad header column in file order is reported, whether empty or
 * named twice. */
Test(hardening, header_problems_in_file_order)
{
    EXPECT_SERIES("month,a,b,a,b,,c\n2020-01,1,2,3,4,5,6\n", TALLY_EPARSE,
                  "h.csv:1:4: column 'a' is named twice (also column 2)", 0);
    EXPECT_SERIES("month,a,,a\n2020-01,1,2,3\n", TALLY_EPARSE,
                  "h.csv:1:3: empty column name in the header", 0);
    EXPECT_SERIES("month,b,a,a,a\n2020-01,1,2,3,4\n", TALLY_EPARSE,
                  "h.csv:1:4: column 'a' is named twice (also column 3)", 0);
    EXPECT_SERIES("month,x\n2020-01\n", TALLY_EPARSE,
                  "h.csv:2:1: row has 1 field, the header has 2", 0);
}

/* Checking a header of 100,000 columns for duplicates compared every pair
 * (5e9 string comparisons, about 45 s); it is now sorted. */
Test(hardening, wide_header_is_checked_quickly)
{
    size_t ncol = 100000;
    size_t cap = ncol * 8 + 64;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t len = (size_t)snprintf(text, cap, "month");
    for (size_t i = 0; i < ncol; i++) {
        len += (size_t)snprintf(text + len, cap - len, ",v%zu", i);
    }
    len += (size_t)snprintf(text + len, cap - len, ",v77\n");
    clock_t t0 = clock();
    tally_table *t = NULL;
    int st = tally_table_read_mem("wide.csv", text, len, 0, &t);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    cr_assert_eq(st, TALLY_EPARSE);
    cr_expect_str_eq(tally_last_error(),
                     "wide.csv:1:100002: column 'v77' is named twice (also "
                     "column 79)");
    /* Generous: the sorted check takes about 0.1 s even under ASan. */
    cr_expect(secs < 5.0, "header check took %.1f s", secs);
    free(text);
}

/* A series with one variable whose cells are words used to take that
 * variable as a group column, and then reported "no column 'attacks'". */
Test(hardening, text_variable_is_not_taken_for_a_group)
{
    EXPECT_SERIES("month,attacks\n2020-01,3.5.1\n", TALLY_EPARSE,
                  "h.csv:2:2: column 'attacks': expected a number or NA, "
                  "found '3.5.1'",
                  0);
    /* With variables after it, a text second column is still a group. */
    EXPECT_SERIES("month,region,x\n2020-01,Sindh,1\n2020-01,Punjab,2\n",
                  TALLY_OK, NULL, 0);
}

/* Messages about one row used to say "in row 2" or "in observation 2"
 * (counted after missing rows were dropped, so not even the data row):
 * they now name the file and line, or the file and period. */
Test(hardening, row_messages_name_file_and_line)
{
    static const char text[] = "y,x,pop\n1,1,10\n,2,10\n\n2,3,0\n-1,4,5\n";
    tally_table *t = NULL;
    cr_assert_eq(tally_table_read_mem("r.csv", text, sizeof text - 1, 0, &t),
                 TALLY_OK);
    tally_design *d = tally_design_alloc(t->nrow);
    cr_assert_not_null(d);
    cr_assert_eq(tally_design_set_source(d, t->path, t->line), TALLY_OK);
    double *pop = NULL;
    cr_assert_eq(tally_design_table_column(t, "pop", &pop), TALLY_OK);
    cr_expect_eq(tally_design_set_offset(d, "pop", pop, 1), TALLY_EDOMAIN);
    cr_expect_str_eq(tally_last_error(),
                     "r.csv:5: exposure 'pop' is 0; it must be positive (its "
                     "log is the offset)");
    free(pop);
    double *y = NULL;
    cr_assert_eq(tally_design_table_column(t, "y", &y), TALLY_OK);
    memcpy(d->y, y, t->nrow * sizeof *y);
    free(y);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.family = TALLY_FAMILY_POISSON;
    tally_fit *f = NULL;
    /* Row 2 (line 3) is missing and left out; the negative count is the
     * fourth data row, on line 6. */
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_EDOMAIN);
    cr_expect_str_eq(tally_last_error(),
                     "r.csv:6: the response is negative (-1): a count model "
                     "needs counts >= 0");
    tally_fit_free(f);
    tally_design_free(d);
    tally_table_free(t);

    /* A time series: the period. */
    tally_frame *fr = tally_frame_alloc(TALLY_FREQ_MONTH,
                                        tally_period_make(TALLY_FREQ_MONTH,
                                                          2020, 11),
                                        3, 1);
    cr_assert_not_null(fr);
    fr->names[0] = strdup("n");
    fr->cols[0][0] = 1;
    fr->cols[0][1] = 2.5;
    fr->cols[0][2] = 3;
    cr_assert_eq(tally_design_from_frame(fr, "n", &d), TALLY_OK);
    cr_assert_eq(tally_design_set_source(d, "s.csv", NULL), TALLY_OK);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_expect_eq(tally_fit_model(d, &o, &f), TALLY_EDOMAIN);
    cr_expect_str_eq(tally_last_error(),
                     "s.csv, 2020-12: the response is not a whole number "
                     "(2.5): use --family quasipoisson or gaussian for "
                     "non-count data");
    tally_fit_free(f);
    tally_design_free(d);
    tally_frame_free(fr);
}

/* A constant response or an exact line used to be printed with t = Inf and
 * p < 2e-16 (R: "essentially perfect fit", and a t test of a 1e-17 slope):
 * the estimates stand, the tests are NaN and the fit is flagged. */
Test(hardening, perfect_fit_has_no_tests)
{
    /* y = 1 + 2x, then y = 5, then y = 0. */
    for (int kind = 0; kind < 3; kind++) {
        tally_design *d = tally_design_alloc(10);
        cr_assert_not_null(d);
        double x[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
            d->y[i] = kind == 0 ? 1 + 2 * i : kind == 1 ? 5 : 0;
        }
        cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
        cr_assert_eq(tally_design_add_column(d, "x", x), TALLY_OK);
        tally_fit *f = NULL;
        cr_assert_eq(tally_fit_model(d, NULL, &f), TALLY_OK, "%s",
                     tally_last_error());
        cr_expect_eq(f->perfect_fit, 1, "kind %d", kind);
        double b0 = kind == 0 ? 1 : kind == 1 ? 5 : 0;
        double b1 = kind == 0 ? 2 : 0;
        cr_expect(fabs(f->estimate[0] - b0) < 1e-12, "kind %d: %g", kind,
                  f->estimate[0]);
        cr_expect(fabs(f->estimate[1] - b1) < 1e-12, "kind %d: %g", kind,
                  f->estimate[1]);
        cr_expect(isnan(f->statistic[1]) && isnan(f->p_value[1]));
        cr_expect(isnan(f->f_statistic) && isnan(f->f_p_value));
        tally_fit_free(f);
        tally_design_free(d);
    }
    /* Noisy data is not flagged. */
    tally_design *d = tally_design_alloc(5);
    double x[5] = {1, 2, 3, 4, 5};
    double y[5] = {1.1, 1.9, 3.2, 3.9, 5.1};
    memcpy(d->y, y, sizeof y);
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_column(d, "x", x), TALLY_OK);
    tally_fit *f = NULL;
    cr_assert_eq(tally_fit_model(d, NULL, &f), TALLY_OK);
    cr_expect_eq(f->perfect_fit, 0);
    cr_expect(isfinite(f->statistic[1]));
    tally_fit_free(f);
    tally_design_free(d);
}

/* Counts of 1e15 that follow exp(0.01 t) exactly: the Poisson deviance
 * was computed as y log(y/mu) - (y - mu), rounding noise of about +-1 at
 * this size, so IRLS could not meet its relative tolerance (its and the
 * poisson-trend forecast reported no convergence).  It is now computed
 * without cancellation: the fit converges with a deviance near 0. */
Test(hardening, poisson_fit_of_huge_counts_converges)
{
    size_t n = 36;
    tally_design *d = tally_design_alloc(n);
    cr_assert_not_null(d);
    double t[36], lev[36];
    for (size_t i = 0; i < n; i++) {
        d->y[i] = floor(1e15 * exp(0.01 * (double)i));
        t[i] = (double)i + 1;
        lev[i] = i >= 12;
    }
    cr_assert_eq(tally_design_add_intercept(d), TALLY_OK);
    cr_assert_eq(tally_design_add_column(d, "time", t), TALLY_OK);
    cr_assert_eq(tally_design_add_column(d, "level", lev), TALLY_OK);
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.family = TALLY_FAMILY_POISSON;
    tally_fit *f = NULL;
    cr_assert_eq(tally_fit_model(d, &o, &f), TALLY_OK, "%s",
                 tally_last_error());
    cr_expect(f->converged);
    /* Exact data: each unit deviance is (y - mu)^2 / mu with |y - mu| <= 1,
     * so the deviance is far below 1e-6. */
    cr_expect(fabs(f->deviance) < 1e-6, "deviance %g", f->deviance);
    /* R: coef(glm(y ~ time + level, poisson)) -> 34.52877639491..., 0.01, ~0
     * (log(1e15) - 0.01 = 34.528776394910683). */
    cr_expect(fabs(f->estimate[0] - (log(1e15) - 0.01)) < 1e-12);
    cr_expect(fabs(f->estimate[1] - 0.01) < 1e-12);
    cr_expect(fabs(f->estimate[2]) < 1e-12);
    tally_fit_free(f);
    tally_design_free(d);
}

/* ------------------------------------------------------------------ */
/* Nothing lost: a property test of aggregate's accounting.  Generated
 * event files mix every kind of row (good, unreadable or impossible date,
 * a totals row, a wrong number of fields, outside the range, a note with
 * quoted commas and line breaks, blank lines, CRLF), each with a known
 * fate; whatever the reader, the chunk size or the cuts of the threaded
 * reader, rows read = aggregated + bad + outside, every count lands in
 * its month and group, and every missing cell is counted. */

/* A small deterministic generator (64-bit LCG, Knuth's constants). */
static uint64_t lcg_state;

static unsigned lcg(unsigned n)
{
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((lcg_state >> 33) % n);
}

/* What one generated file should give. */
typedef struct {
    char *text;          /* the file */
    size_t len;          /* its length */
    uint64_t read;       /* records after the header */
    uint64_t aggregated; /* counted */
    uint64_t bad;        /* bad rows (skipped) */
    uint64_t outside;    /* outside 2010-01..2012-12 */
    uint64_t count[2][36];  /* incidents by group (A, B) and month */
    int64_t killed[2][36];  /* sums of the good cells */
    uint64_t blank, text_cells, negative; /* missing cells */
} gen_file;

static void gen_append(gen_file *g, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (g->len + n + 1 > *cap) {
        *cap = 2 * (g->len + n + 1);
        g->text = realloc(g->text, *cap);
        cr_assert_not_null(g->text);
    }
    memcpy(g->text + g->len, s, n + 1);
    g->len += n;
}

static void gen_events(gen_file *g, size_t rows)
{
    size_t cap = 0;
    memset(g, 0, sizeof *g);
    const char *eol = lcg(2) ? "\r\n" : "\n";
    gen_append(g, &cap, lcg(2) ? "\xEF\xBB\xBF" : "");
    gen_append(g, &cap, "id,Date,Region,Killed,Note");
    gen_append(g, &cap, eol);
    for (size_t i = 0; i < rows; i++) {
        char line[512], date[64], kcell[32], note[64];
        unsigned kind = lcg(20);
        int grp = (int)lcg(2);
        int y = 2010 + (int)lcg(3), m = 1 + (int)lcg(12), d = 1 + (int)lcg(28);
        snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
        /* The summed cell: a count, blank, text or negative. */
        unsigned kk = lcg(10);
        int64_t kv = (int64_t)lcg(50);
        if (kk == 0) {
            snprintf(kcell, sizeof kcell, "%s", "");
        } else if (kk == 1) {
            snprintf(kcell, sizeof kcell, "%s", lcg(2) ? "Unknown" : "N/A");
        } else if (kk == 2) {
            snprintf(kcell, sizeof kcell, "-%d", 1 + (int)lcg(9));
        } else {
            snprintf(kcell, sizeof kcell, "%lld", (long long)kv);
        }
        snprintf(note, sizeof note, "%s",
                 lcg(4) == 0 ? "\"a note, with a comma\nand a line break\""
                             : "plain");
        const char *region = grp ? "B" : (lcg(2) ? "A" : " A ");
        if (kind == 0) {
            gen_append(g, &cap, eol); /* a blank line: not a record */
            i--;
            continue;
        }
        g->read++;
        if (kind == 1) { /* an impossible date */
            snprintf(line, sizeof line, "%zu,2011-02-30,%s,%s,%s", i, region,
                     kcell, note);
            g->bad++;
        } else if (kind == 2) { /* a totals row */
            snprintf(line, sizeof line, ",Total,,%s,", kcell);
            g->bad++;
        } else if (kind == 3) { /* a field too many */
            snprintf(line, sizeof line, "%zu,%s,%s,%s,%s,extra", i, date,
                     region, kcell, note);
            g->bad++;
        } else if (kind == 4) { /* outside the range */
            snprintf(line, sizeof line, "%zu,%04d-%02d-%02d,%s,%s,%s", i,
                     lcg(2) ? 2009 : 2013, m, d, region, kcell, note);
            g->outside++;
        } else {
            snprintf(line, sizeof line, "%zu,%s,%s,%s,%s", i, date, region,
                     kcell, note);
            int t = (y - 2010) * 12 + (m - 1);
            g->aggregated++;
            g->count[grp][t]++;
            if (kk == 0) {
                g->blank++;
            } else if (kk == 1) {
                g->text_cells++;
            } else if (kk == 2) {
                g->negative++;
            } else {
                g->killed[grp][t] += kv;
            }
        }
        gen_append(g, &cap, line);
        gen_append(g, &cap, eol);
    }
}

static void check_generated(const gen_file *g, int st, const tally_events *e,
                            const char *how)
{
    cr_assert_eq(st, TALLY_OK, "%s: %s", how, tally_last_error());
    const tally_events_report *r = tally_events_get_report(e);
    cr_assert_eq(r->rows_read, g->read, "%s: read %llu, want %llu", how,
                 (unsigned long long)r->rows_read,
                 (unsigned long long)g->read);
    cr_assert_eq(r->rows_read, r->rows_aggregated + r->rows_bad +
                                   r->rows_unknown_date + r->rows_outside,
                 "%s: the accounting does not add up", how);
    cr_assert_eq(r->rows_aggregated, g->aggregated, "%s", how);
    cr_assert_eq(r->rows_bad, g->bad, "%s", how);
    cr_assert_eq(r->rows_outside, g->outside, "%s", how);
    cr_assert_eq(r->rows_unknown_date, 0, "%s", how);
    cr_assert_eq(r->nsum, 1);
    cr_assert_eq(r->missing[0].blank, g->blank, "%s", how);
    cr_assert_eq(r->missing[0].text, g->text_cells, "%s", how);
    cr_assert_eq(r->missing[0].negative, g->negative, "%s", how);
    tally_frame_set *s = NULL;
    cr_assert_eq(tally_events_frames(e, &s), TALLY_OK, "%s", how);
    cr_assert_eq(s->nframes, 2, "%s", how);
    for (size_t grp = 0; grp < 2; grp++) {
        const tally_frame *f = s->frames[grp];
        cr_assert_str_eq(f->group, grp ? "B" : "A");
        cr_assert_eq(f->n, 36, "%s", how);
        for (size_t t = 0; t < 36; t++) {
            cr_assert_eq(f->cols[0][t], (double)g->count[grp][t],
                         "%s: group %zu month %zu", how, grp, t);
            cr_assert_eq(f->cols[1][t], (double)g->killed[grp][t],
                         "%s: group %zu month %zu", how, grp, t);
        }
    }
    tally_frame_set_free(s);
}

Test(hardening, aggregate_accounting_property)
{
    lcg_state = 20240601;
    tally_events_sum sum = {"Killed", NULL};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "Date";
    o.group_col = "Region";
    o.sums = &sum;
    o.nsum = 1;
    o.skip_bad_rows = 1;
    o.have_from = 1;
    o.from = tally_period_make(TALLY_FREQ_MONTH, 2010, 1);
    o.have_to = 1;
    o.to = tally_period_make(TALLY_FREQ_MONTH, 2012, 12);
    o.threads = 1;
    for (int file = 0; file < 60; file++) {
        gen_file g;
        gen_events(&g, 20 + lcg(200));
        static const size_t chunks[] = {0, 1, 2, 3, 7, 64, 4096};
        for (int reader = 0; reader < 2; reader++) {
            o.reader = reader ? TALLY_READER_LIBCSV : TALLY_READER_FAST;
            for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
                tally_events *e = NULL;
                int st = tally_events_read_mem("gen.csv", g.text, g.len,
                                               chunks[c], &o, &e);
                char how[96];
                snprintf(how, sizeof how, "file %d, reader %d, chunk %zu",
                         file, reader, chunks[c]);
                check_generated(&g, st, e, how);
                tally_events_free(e);
            }
        }
        /* The threaded reader, cut after every 7th LF (cuts inside the
         * quoted notes included). */
        size_t cut[64], ncut = 0, nlf = 0;
        for (size_t i = 0; i + 1 < g.len && ncut < 64; i++) {
            if (g.text[i] == '\n' && ++nlf % 7 == 0) {
                cut[ncut++] = i + 1;
            }
        }
        o.reader = TALLY_READER_FAST;
        tally_events *e = NULL;
        int st = tly_events_read_split_mem("gen.csv", g.text, g.len, cut, ncut,
                                           &o, &e);
        check_generated(&g, st, e, "split reader");
        tally_events_free(e);
        free(g.text);
    }
}

/* A step whose command is `run` used to fail with "unknown or ambiguous
 * option '--format'" (a study cannot run a study). */
Test(hardening, study_step_cannot_be_run)
{
    static const char ini[] = "[study]\nname = s\nout = out\n"
                              "[input d]\npath = d.csv\n"
                              "[step a]\ncommand = run\ninput = d\n";
    tally_study *s = NULL;
    cr_expect_eq(tally_study_read_mem("s.ini", ini, sizeof ini - 1, &s),
                 TALLY_EPARSE);
    cr_expect_str_eq(tally_last_error(),
                     "s.ini:6: step 'a': a step cannot be 'run' (a study "
                     "does not run another study)");
    tally_study_free(s);
}

/* Aggregate text with every reader: the fast path and libcsv at every
 * chunk size, and the threaded reader cut after every LF.  Each must end
 * with status st and, on failure, a message starting with msg; on success
 * with rows_read rows read of which rows_bad bad.  Returns nothing: the
 * checks are the test. */
static void expect_events(const char *text, size_t len,
                          const tally_events_options *opt, int st,
                          const char *msg, uint64_t rows_read,
                          uint64_t rows_bad)
{
    tally_events_options o = *opt;
    for (int run = 0; run < 2 * (int)(len + 2) + 1; run++) {
        tally_events *e = NULL;
        int got;
        char how[64];
        if (run == 2 * (int)(len + 2)) {
            size_t cut[64], ncut = 0;
            for (size_t i = 0; i + 1 < len && ncut < 64; i++) {
                if (text[i] == '\n') {
                    cut[ncut++] = i + 1;
                }
            }
            o.reader = TALLY_READER_FAST;
            snprintf(how, sizeof how, "threaded reader");
            got = tly_events_read_split_mem("h.csv", text, len, cut, ncut, &o,
                                            &e);
        } else {
            size_t chunk = (size_t)(run / 2);
            o.reader = run % 2 ? TALLY_READER_LIBCSV : TALLY_READER_FAST;
            snprintf(how, sizeof how, "%s reader, chunk %zu",
                     run % 2 ? "libcsv" : "fast", chunk);
            got = tally_events_read_mem("h.csv", text, len, chunk, &o, &e);
        }
        cr_assert_eq(got, st, "%s: status %d, wanted %d (%s)", how, got, st,
                     tally_last_error());
        if (st != TALLY_OK) {
            const char *m = tally_last_error();
            cr_assert(strncmp(m, msg, strlen(msg)) == 0,
                      "%s: '%s' does not start with '%s'", how, m, msg);
        } else {
            const tally_events_report *r = tally_events_get_report(e);
            cr_assert_eq(r->rows_read, rows_read, "%s: %llu rows read", how,
                         (unsigned long long)r->rows_read);
            cr_assert_eq(r->rows_bad, rows_bad, "%s: %llu bad rows", how,
                         (unsigned long long)r->rows_bad);
        }
        tally_events_free(e);
    }
}

#define EXPECT_EVENTS(lit, o, st, msg, nread, nbad) \
    expect_events((lit), sizeof(lit) - 1, (o), (st), (msg), (nread), (nbad))

static void events_options(tally_events_options *o, tally_events_sum *sum,
                           const char *group)
{
    tally_events_options_init(o);
    sum->column = "Killed";
    sum->name = NULL;
    o->date_col = "Date";
    o->group_col = group;
    o->sums = sum;
    o->nsum = 1;
    o->threads = 1;
}

/* aggregate used to keep a NUL byte inside a cell: "3\0garbage" in a
 * summed column counted as 3, and the group cells "Sindh\0x" and
 * "Sindh\0y" were two groups both written "Sindh" (merged differently by
 * the threaded reader).  Now the first field holding one stops every
 * reader, with file, line and column, whether the column is kept or
 * not, and whatever --on-bad-row says (the file is not text). */
Test(hardening, nul_byte_in_an_event_cell_is_an_error)
{
    tally_events_sum sum;
    tally_events_options o;
    events_options(&o, &sum, "Region");
    static const char nul_sum[] = "Date,Region,Killed\n"
                                  "2020-01-05,Sindh,1\n"
                                  "2020-01-06,Sindh,3\0garbage\n";
    EXPECT_EVENTS(nul_sum, &o, TALLY_EPARSE,
                  "h.csv:3:3: the field holds a NUL byte: this is not a "
                  "text CSV file", 0, 0);
    static const char nul_group[] = "Date,Region,Killed\n"
                                    "2020-01-05,Sindh\0x,1\n"
                                    "2020-01-06,Sindh\0y,3\n";
    EXPECT_EVENTS(nul_group, &o, TALLY_EPARSE,
                  "h.csv:2:2: the field holds a NUL byte", 0, 0);
    static const char nul_quoted[] = "Date,Region,Killed\r\n"
                                     "2020-01-05,\"Sin\ndh\0\",1\r\n";
    EXPECT_EVENTS(nul_quoted, &o, TALLY_EPARSE,
                  "h.csv:3:2: the field holds a NUL byte", 0, 0);
    /* A column the options do not use, after the kept ones. */
    static const char nul_notes[] = "Date,Region,Killed,Notes\n"
                                    "2020-01-05,Sindh,1,ok\n"
                                    "2020-01-06,Sindh,1,long notes with "
                                    "a \0 in them\n";
    EXPECT_EVENTS(nul_notes, &o, TALLY_EPARSE,
                  "h.csv:3:4: the field holds a NUL byte", 0, 0);
    /* In the header. */
    static const char nul_header[] = "Date,Region\0,Killed\n"
                                     "2020-01-05,Sindh,1\n";
    EXPECT_EVENTS(nul_header, &o, TALLY_EPARSE,
                  "h.csv:1:2: the field holds a NUL byte", 0, 0);
    /* Before malformed CSV later on the line: the NUL byte comes first,
     * whatever the pieces libcsv is given (found by fuzz_events). */
    static const char nul_then_quote[] = "Da\0te,Region,Kil\"led\n"
                                         "2020-01-05,Sindh,1\n";
    EXPECT_EVENTS(nul_then_quote, &o, TALLY_EPARSE,
                  "h.csv:1:1: the field holds a NUL byte", 0, 0);
    /* Not a bad row that --on-bad-row skip would drop. */
    o.skip_bad_rows = 1;
    EXPECT_EVENTS(nul_sum, &o, TALLY_EPARSE,
                  "h.csv:3:3: the field holds a NUL byte", 0, 0);
}

/* A line holding only "" (one quoted empty field) was a record of one
 * field (a bad row) for the fast path when the first column is not kept,
 * and a blank line for libcsv, the reference: the fast path now leaves
 * such a line to libcsv. */
Test(hardening, quoted_empty_line_is_blank_for_every_reader)
{
    tally_events_sum sum;
    tally_events_options o;
    events_options(&o, &sum, NULL);
    static const char text[] = "id,Date,Killed\n1,2020-01-05,3\n\"\"\n"
                               "2,2020-01-06,4\n";
    EXPECT_EVENTS(text, &o, TALLY_OK, NULL, 2, 0);
    static const char crlf[] = "id,Date,Killed\r\n1,2020-01-05,3\r\n"
                               "  \"\"  \r\n2,2020-01-06,4\r\n";
    EXPECT_EVENTS(crlf, &o, TALLY_OK, NULL, 2, 0);
    o.skip_bad_rows = 1;
    EXPECT_EVENTS(text, &o, TALLY_OK, NULL, 2, 0);
    /* A quoted field of spaces is a record of one field for both. */
    static const char spaces[] = "id,Date,Killed\n1,2020-01-05,3\n\" \"\n"
                                 "2,2020-01-06,4\n";
    EXPECT_EVENTS(spaces, &o, TALLY_OK, NULL, 3, 1);
}

/* When the kept fields of the first record were all empty, libcsv's
 * loader pointed at NULL + 0 (undefined; clang's UBSan reports it). */
Test(hardening, first_record_with_empty_kept_fields)
{
    tally_events_sum sum;
    tally_events_options o;
    events_options(&o, &sum, NULL);
    o.skip_bad_rows = 1;
    static const char text[] = "Date,Killed\n,\n2020-01-05,3\n";
    EXPECT_EVENTS(text, &o, TALLY_OK, NULL, 2, 1);
}

/* lgamma() writes the global signgam, a data race when --by fits groups in
 * threads (ThreadSanitizer reports it); tly_lgamma (lgamma_r) must give the
 * very same numbers, so that no result changes. */
Test(hardening, thread_safe_lgamma_is_lgamma)
{
    static const double xs[] = {1,     2,      0.5,    1e-300, 3.7,  10.25,
                                171.6, 1e15,   1e300,  -0.5,   -2.5, -1e-10,
                                0.0,   -1.0,   INFINITY};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double a = lgamma(xs[i]), b = tly_lgamma(xs[i]);
        cr_expect(memcmp(&a, &b, sizeof a) == 0, "x = %g: %.17g vs %.17g",
                  xs[i], a, b);
    }
    for (int k = 0; k <= 20000; k++) {
        double x = k * 0.0137 + 1e-3, a = lgamma(x), b = tly_lgamma(x);
        cr_assert(memcmp(&a, &b, sizeof a) == 0, "x = %.17g", x);
    }
}

/* The series reader looked for each group's rows in every row: O(rows x
 * groups), 54 s for 2,000 groups of 240 months.  It now sorts (group,
 * row) pairs once.  2,000 groups of 120 months, written in a scrambled
 * group order: the frames come out in strcmp order of the names, each
 * with its own values, in 0.2 s of CPU (the old reader took 26 s here,
 * without sanitizers). */
Test(hardening, many_groups_are_read_quickly)
{
    enum { NG = 2000, NM = 120 };
    size_t cap = (size_t)NG * NM * 32 + 64;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t len = (size_t)snprintf(text, cap, "month,region,attacks\n");
    for (int k = 0; k < NG; k++) {
        int g = (int)(((long)k * 7919) % NG); /* 7919 is prime: a bijection */
        for (int m = 0; m < NM; m++) {
            len += (size_t)snprintf(text + len, cap - len,
                                    "%04d-%02d,g%04d,%d\n", 2000 + m / 12,
                                    m % 12 + 1, g, g * 1000 + m);
        }
    }
    clock_t t0 = clock();
    tally_table *t = NULL;
    tally_frame_set *s = NULL;
    cr_assert_eq(tally_table_read_mem("many.csv", text, len, 0, &t), TALLY_OK);
    int st = tally_series_from_table(t, NULL, &s);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    cr_assert_eq(st, TALLY_OK, "%s", tally_last_error());
    cr_assert_eq(s->nframes, (size_t)NG);
    for (int g = 0; g < NG; g++) {
        const tally_frame *f = s->frames[g];
        char name[16];
        snprintf(name, sizeof name, "g%04d", g);
        cr_assert_str_eq(f->group, name);
        cr_assert_eq(f->n, (size_t)NM);
        cr_assert_eq(f->start, tally_period_make(TALLY_FREQ_MONTH, 2000, 1));
        for (int m = 0; m < NM; m++) {
            cr_assert_eq(f->cols[0][m], (double)(g * 1000 + m));
        }
    }
    cr_expect(secs < 10.0, "reading 2,000 groups took %.1f s", secs);
    tally_frame_set_free(s);
    tally_table_free(t);
    free(text);
}

/* forecast from a series ending in 9999-12 printed periods of year 10000,
 * which no tally command reads back.  The calendar ends at 9999: a
 * forecast or an ITS counterfactual that would run past it is refused,
 * saying how many periods fit. */
Test(hardening, nothing_is_extended_past_9999)
{
    cr_expect_eq(tly_period_last(TALLY_FREQ_MONTH),
                 tally_period_make(TALLY_FREQ_MONTH, 9999, 12));
    cr_expect_eq(tly_period_last(TALLY_FREQ_QUARTER),
                 tally_period_make(TALLY_FREQ_QUARTER, 9999, 4));
    cr_expect_eq(tly_period_last(TALLY_FREQ_YEAR),
                 tally_period_make(TALLY_FREQ_YEAR, 9999, 1));
    cr_expect_eq(tly_period_room_after(
                     TALLY_FREQ_MONTH,
                     tally_period_make(TALLY_FREQ_MONTH, 9998, 12)), 12);
    cr_expect_eq(tly_period_room_after(TALLY_FREQ_QUARTER,
                                       tly_period_last(TALLY_FREQ_QUARTER)),
                 0);

    double y[24];
    for (int i = 0; i < 24; i++) {
        y[i] = 10 + i % 5;
    }
    tally_fc_spec spec;
    cr_assert_eq(tally_fc_spec_parse("naive", &spec), TALLY_OK);
    double level = 95;
    tally_fc_result r;
    /* Ends 9999-11: one month fits. */
    tally_period start = tally_period_make(TALLY_FREQ_MONTH, 9997, 12);
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_run(&spec, y, 24, TALLY_FREQ_MONTH, start, 1,
                              &level, 1, &r), TALLY_OK);
    cr_expect_eq(r.first, tally_period_make(TALLY_FREQ_MONTH, 9999, 12));
    tally_fc_result_fini(&r);
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_run(&spec, y, 24, TALLY_FREQ_MONTH, start, 3,
                              &level, 1, &r), TALLY_EINVAL);
    cr_expect_str_eq(tally_last_error(),
                     "forecast: a horizon of 3 periods after 9999-11 runs "
                     "past 9999-12, the last period tally handles (years 1 "
                     "to 9999): at most 1 period fits");
    /* Ends 9999-12 (trailing missing values do not count: the forecast
     * starts after the last observed value). */
    y[23] = NAN;
    start = tally_period_make(TALLY_FREQ_MONTH, 9998, 1);
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_run(&spec, y, 24, TALLY_FREQ_MONTH, start, 1,
                              &level, 1, &r), TALLY_OK);
    tally_fc_result_fini(&r);
    y[23] = 3;
    memset(&r, 0, sizeof r);
    cr_assert_eq(tally_fc_run(&spec, y, 24, TALLY_FREQ_MONTH, start, 1,
                              &level, 1, &r), TALLY_EINVAL);
    cr_expect_str_eq(tally_last_error(),
                     "forecast: the series ends in 9999-12, the last period "
                     "tally handles (years 1 to 9999): no period is left to "
                     "forecast");

    /* its --horizon: the counterfactual past the data. */
    tally_frame *f = tally_frame_alloc(TALLY_FREQ_MONTH, start, 24, 1);
    cr_assert_not_null(f);
    f->names[0] = malloc(8);
    cr_assert_not_null(f->names[0]);
    memcpy(f->names[0], "attacks", 8);
    for (int i = 0; i < 24; i++) {
        f->cols[0][i] = y[i] + (i >= 12 ? 4 : 0);
    }
    tally_its_options o;
    tally_its_options_init(&o);
    o.nbreaks = 1;
    o.breaks[0] = tally_period_make(TALLY_FREQ_MONTH, 9999, 2);
    o.horizon = 2;
    tally_its_result *ir = NULL;
    cr_expect_eq(tally_its_fit(f, "attacks", &o, &ir), TALLY_EINVAL);
    cr_expect_str_eq(tally_last_error(),
                     "--horizon 2: the counterfactual would run past "
                     "9999-12, the last period tally handles (years 1 to "
                     "9999): at most 0 periods fit after 9999-12");
    tally_its_result_free(ir);
    ir = NULL;
    o.horizon = 0;
    cr_expect_eq(tally_its_fit(f, "attacks", &o, &ir), TALLY_OK, "%s",
                 tally_last_error());
    tally_its_result_free(ir);
    tally_frame_free(f);
}
