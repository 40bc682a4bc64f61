/* SPDX-License-Identifier: MIT
 *
 * The fast paths of the event aggregator give the result of the reference
 * path, byte for byte: the series, the stderr report (line numbers
 * included) and, when a run stops, the status and the message.
 *  - The fast reader (plain lines split in place, the rest to libcsv)
 *    against TALLY_READER_LIBCSV (every byte through libcsv), on every
 *    quirk fixture of tests/fixtures/events at every chunk size, and on
 *    generated files mixing every shape of line the readers tell apart
 *    (quoted kept and unkept fields, quoted line ends, CRLF, bare CR,
 *    lines of spaces, blank lines, wrong field counts, bad dates, missing
 *    cells, a BOM, a last line without LF, malformed quotes).
 *  - The threaded reader (byte ranges aggregated apart, then merged)
 *    against one serial pass, with the ranges cut at every line of a
 *    fixture and at many places of the generated files, including cuts
 *    inside quoted fields that span lines (which it must detect and
 *    undo).
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

/* Everything a run shows: status, then the message of a failed run, or
 * the series and the report of a successful one. */
static char *outcome_of(int st, const tally_events *e)
{
    char *text = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&text, &size);
    cr_assert_not_null(fp);
    fprintf(fp, "status %d\n", st);
    if (st != TALLY_OK) {
        fprintf(fp, "%s\n", tally_last_error());
    } else {
        int w = tally_events_write(fp, e);
        fprintf(fp, "write %d%s%s\n", w, w != TALLY_OK ? " " : "",
                w != TALLY_OK ? tally_last_error() : "");
        tally_events_report_print(fp, e, "tally: ");
    }
    fclose(fp);
    return text;
}

/* One serial run of buf fed chunk bytes at a time (0: all at once). */
static char *serial(const char *name, const char *buf, size_t len, size_t chunk,
                    const tally_events_options *o, tally_events_reader reader)
{
    tally_events_options oo = *o;
    oo.reader = reader;
    tally_events *e = NULL;
    int st = tally_events_read_mem(name, buf, len, chunk, &oo, &e);
    char *text = outcome_of(st, e);
    tally_events_free(e);
    return text;
}

/* The reference outcome against the fast reader at many chunk sizes
 * (every size when every is set). */
static void fast_equals_pure(const char *name, const char *buf, size_t len,
                             const tally_events_options *o, int every)
{
    char *want = serial(name, buf, len, 0, o, TALLY_READER_LIBCSV);
    static const size_t sizes[] = {0, 1, 2, 3, 5, 16, 17, 63, 100, 4096};
    size_t n = every ? len + 1 : sizeof sizes / sizeof sizes[0];
    for (size_t k = 0; k < n; k++) {
        size_t chunk = every ? k : sizes[k];
        char *got = serial(name, buf, len, chunk, o, TALLY_READER_FAST);
        cr_assert_str_eq(got, want, "%s: fast reader at chunk %zu", name,
                         chunk);
        free(got);
        /* The reference itself does not depend on the chunking. */
        if (chunk == 1 || chunk == 17) {
            got = serial(name, buf, len, chunk, o, TALLY_READER_LIBCSV);
            cr_assert_str_eq(got, want, "%s: libcsv at chunk %zu", name, chunk);
            free(got);
        }
    }
    free(want);
}

/* ------------------------------------------------------------------ */
/* The fixtures, with the options of tests/test_events.c and the golden
 * runs of tests/cli/aggregate.sh, bad rows skipped and not. */

static void fixture(const char *file, const tally_events_options *o)
{
    size_t len;
    char *buf = slurp(file, &len);
    tally_events_options a = *o;
    a.skip_bad_rows = 0;
    fast_equals_pure(file, buf, len, &a, 1);
    a.skip_bad_rows = 1;
    fast_equals_pure(file, buf, len, &a, 1);
    free(buf);
}

Test(fastpath, every_fixture_at_every_chunk_size)
{
    tally_events_options o;
    static const tally_events_sum gtd_sums[] = {{"FATALITIES", NULL},
                                                {"INJURED", NULL}};
    tally_events_options_init(&o);
    o.date_col = "DATE";
    o.group_col = "PROVINCE";
    o.sums = gtd_sums;
    o.nsum = 2;
    fixture("gtd.csv", &o);
    o.group_col = NULL;
    o.freq = TALLY_FREQ_QUARTER;
    fixture("gtd.csv", &o);

    static const tally_events_sum sui_sums[] = {{"Killed Max", "killed"},
                                                {"Injured Max", "injured"}};
    tally_recode *r = tally_recode_alloc();
    cr_assert_eq(tally_recode_parse(r, "Baluchistan=Balochistan,KPK=Khyber "
                                       "Pakhtunkhwa"),
                 TALLY_OK);
    tally_events_options_init(&o);
    o.date_col = "Date";
    o.group_col = "Province";
    o.fold_case = 1;
    o.recode = r;
    o.sums = sui_sums;
    o.nsum = 2;
    fixture("suicide.csv", &o);
    tally_recode_free(r);

    static const tally_events_sum drone_sums[] = {
        {"Civilians Max", NULL}, {"Total Died Mix", "killed_max"}};
    tally_events_options_init(&o);
    o.date_col = "Date";
    o.sums = drone_sums;
    o.nsum = 2;
    o.freq = TALLY_FREQ_QUARTER;
    fixture("drone.csv", &o);

    static const tally_events_sum ymd_sums[] = {{"nkill", NULL},
                                                {"nwound", NULL}};
    tally_events_options_init(&o);
    o.year_col = "iyear";
    o.month_col = "imonth";
    o.day_col = "iday";
    o.group_col = "provstate";
    o.sums = ymd_sums;
    o.nsum = 2;
    fixture("gtd_ymd.csv", &o);

    static const tally_events_sum killed[] = {{"killed", NULL}};
    tally_events_options_init(&o);
    o.date_col = "date";
    o.sums = killed;
    o.nsum = 1;
    fixture("bad_date.csv", &o);
    fixture("bad_fields.csv", &o);

    static const tally_events_sum n[] = {{"n", NULL}};
    tally_date_format fmt;
    cr_assert_eq(tally_date_format_init(&fmt, "%d/%m/%Y"), TALLY_OK);
    tally_events_options_init(&o);
    o.date_col = "date";
    o.date_format = &fmt;
    o.sums = n;
    o.nsum = 1;
    o.missing = TALLY_MISSING_FAIL;
    fixture("dmy.csv", &o);
}

/* ------------------------------------------------------------------ */
/* Generated files. */

/* xorshift64*: a fixed, portable sequence for each seed. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static size_t pick(uint64_t *s, size_t n)
{
    return (size_t)(next_random(s) % n);
}

/* A growing text buffer. */
typedef struct {
    char *p;
    size_t len;
    size_t cap;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = 2 * (t->len + n + 1);
        t->p = realloc(t->p, t->cap);
        cr_assert_not_null(t->p);
    }
    memcpy(t->p + t->len, s, n + 1);
    t->len += n;
}

/* The shapes of the generated lines; the "malformed" ones only where a
 * file may stop (they end the run for both readers). */
static const char *const dates[] = {"2011-03-05", "2011-03-28",
                                    "2011-04-02", "2012-12-31",
                                    "2012-02-29", "Monday-March 07-2016"};
static const char *const places[] = {"Alpha",   "Beta", "alpha",
                                     " Gamma ", "",     "Delta Zeta"};
static const char *const values[] = {"3",   "0",   "12",  "Unknown",
                                     "",    "-4",  "2.5", "N/A",
                                     " 7 ", "0.1", "0.3", "1e-3"};

/* One record: id,date,place,n,note in one of many shapes. */
static void gen_record(text *t, uint64_t *s, int malformed)
{
    char line[512];
    const char *d = dates[pick(s, sizeof dates / sizeof dates[0])];
    const char *p = places[pick(s, sizeof places / sizeof places[0])];
    const char *v = values[pick(s, sizeof values / sizeof values[0])];
    const char *end = pick(s, 8) == 0 ? "\r\n" : "\n";
    size_t kind = pick(s, malformed ? 24 : 21);
    unsigned id = (unsigned)pick(s, 100000);
    switch (kind) {
    case 0: /* quoted kept fields */
        snprintf(line, sizeof line, "%u,\"%s\",\"%s, the\",\"%s\",x%s", id, d,
                 p, v, end);
        break;
    case 1: /* quoted unkept field with commas and doubled quotes */
        snprintf(line, sizeof line, "%u,%s,%s,%s,\"a, \"\"b\"\", c\"%s", id, d,
                 p, v, end);
        break;
    case 2: /* a quoted field across an LF */
        snprintf(line, sizeof line, "%u,%s,%s,%s,\"first\nsecond\"%s", id, d, p,
                 v, end);
        break;
    case 3: /* a quoted field across a bare CR and a CRLF */
        snprintf(line, sizeof line, "%u,%s,%s,%s,\"1.\r2.\r\n3.\"%s", id, d, p,
                 v, end);
        break;
    case 4: /* spaces and tabs around fields */
        snprintf(line, sizeof line, " %u ,\t%s , %s,%s ,  x  %s", id, d, p, v,
                 end);
        break;
    case 5: /* a line of spaces (no record) */
        snprintf(line, sizeof line, "   \t %s", end);
        break;
    case 6: /* a blank line */
        snprintf(line, sizeof line, "%s", end);
        break;
    case 7: /* too few fields */
        snprintf(line, sizeof line, "%u,%s,%s%s", id, d, p, end);
        break;
    case 8: /* too many fields, one quoted */
        snprintf(line, sizeof line, "%u,%s,%s,%s,x,\"y\",z%s", id, d, p, v,
                 end);
        break;
    case 9: /* an impossible date */
        snprintf(line, sizeof line, "%u,2011-02-30,%s,%s,x%s", id, p, v, end);
        break;
    case 10: /* a blank date (a totals row) */
        snprintf(line, sizeof line, ",,,%s,%s", v, end);
        break;
    case 11: /* quoted, then spaces before the comma */
        snprintf(line, sizeof line, "%u,%s,%s,%s,\"x\"  %s", id, d, p, v, end);
        break;
    case 12: /* an empty quoted unkept field, then one more field */
        snprintf(line, sizeof line, "\"\",%s,%s,%s,\"\"%s", d, p, v, end);
        break;
    case 13: /* a quoted field with spaces before its quote */
        snprintf(line, sizeof line, "%u,%s,%s,%s,  \"q\"%s", id, d, p, v, end);
        break;
    case 14: /* one field only */
        snprintf(line, sizeof line, "%u%s", id, end);
        break;
    case 15: /* a long unkept field (many 16-byte blocks) */
        snprintf(line, sizeof line, "%u,%s,%s,%s,%s%s", id, d, p, v,
                 "a long note that runs over several blocks of sixteen bytes "
                 "with, commas, in, it",
                 end);
        break;
    default: /* plain */
        snprintf(line, sizeof line, "%u,%s,%s,%s,x%s", id, d, p, v, end);
        break;
    case 21: /* a quote inside an unquoted kept field */
        snprintf(line, sizeof line, "%u,%s,Al\"pha,%s,x%s", id, d, v, end);
        break;
    case 22: /* text after a closing quote */
        snprintf(line, sizeof line, "%u,%s,%s,%s,\"x\"y%s", id, d, p, v, end);
        break;
    case 23: /* a quote inside an unquoted unkept field */
        snprintf(line, sizeof line, "%u,%s,%s,%s,x\"y%s", id, d, p, v, end);
        break;
    }
    put(t, line);
}

/* A generated file: header, rows, and per seed a BOM, a last line
 * without LF, an unterminated quote, malformed lines. */
static char *gen_file(uint64_t seed, size_t rows, size_t *len)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
    text t = {NULL, 0, 0};
    put(&t, "");
    int malformed = seed % 5 == 4;
    if (seed % 3 == 1) {
        put(&t, "\xEF\xBB\xBF");
    }
    put(&t, seed % 4 == 2 ? "\n  \nid, date ,place,n,note\n"
                          : "id,date,place,n,note\n");
    for (size_t i = 0; i < rows; i++) {
        gen_record(&t, &s, malformed);
    }
    if (seed % 6 == 3) {
        put(&t, "99,2013-01-01,Alpha,1,no line end");
    } else if (seed % 10 == 7) {
        put(&t, "99,2013-01-01,Alpha,1,\"never closed\n");
    }
    *len = t.len;
    return t.p;
}

static void generated_options(tally_events_options *o, uint64_t seed)
{
    static const tally_events_sum sums[] = {{"n", NULL}};
    tally_events_options_init(o);
    o->date_col = "date";
    o->group_col = seed % 2 ? "place" : NULL;
    o->fold_case = seed % 4 == 1;
    o->sums = sums;
    o->nsum = 1;
    o->skip_bad_rows = seed % 7 != 0;
    o->missing = seed % 11 == 5 ? TALLY_MISSING_ZERO : TALLY_MISSING_SKIP;
    o->freq = seed % 3 == 0 ? TALLY_FREQ_QUARTER : TALLY_FREQ_MONTH;
}

Test(fastpath, generated_files)
{
    for (uint64_t seed = 0; seed < 60; seed++) {
        size_t len;
        char *buf = gen_file(seed, 300, &len);
        tally_events_options o;
        generated_options(&o, seed);
        char name[32];
        snprintf(name, sizeof name, "gen%u.csv", (unsigned)seed);
        fast_equals_pure(name, buf, len, &o, 0);
        free(buf);
    }
}

/* Lines that are all plain: the fast path takes every one after the
 * header (and still equals libcsv). */
Test(fastpath, plain_file_stays_on_the_fast_path)
{
    text t = {NULL, 0, 0};
    put(&t, "id,date,place,n\n");
    for (int i = 0; i < 2000; i++) {
        char line[64];
        snprintf(line, sizeof line, "%d,2011-%02d-01,P%d,%d\n", i, 1 + i % 12,
                 i % 7, i % 5);
        put(&t, line);
    }
    static const tally_events_sum sums[] = {{"n", NULL}};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    o.group_col = "place";
    o.sums = sums;
    o.nsum = 1;
    fast_equals_pure("plain.csv", t.p, t.len, &o, 0);
    tally_events *e = NULL;
    cr_assert_eq(tally_events_alloc(&o, "plain.csv", &e), TALLY_OK);
    cr_assert_eq(tally_events_feed(e, t.p, t.len), TALLY_OK);
    cr_expect_eq(e->fast, 1, "the fast path is in force at the end");
    cr_assert_eq(tally_events_finish(e), TALLY_OK);
    cr_expect_eq(tally_events_get_report(e)->rows_aggregated, 2000);
    tally_events_free(e);
    /* Cut in three after LFs: both other ranges are merged, none read
     * again. */
    size_t cut[2] = {0, 0};
    for (size_t i = t.len / 3, k = 0; i < t.len && k < 2; i++) {
        if (t.p[i - 1] == '\n' && (k == 0 || i > 2 * t.len / 3)) {
            cut[k++] = i;
        }
    }
    cr_assert_eq(
        tly_events_read_split_mem("plain.csv", t.p, t.len, cut, 2, &o, &e),
        TALLY_OK);
    cr_expect_eq(e->ranges_merged, 2);
    cr_expect_eq(tally_events_get_report(e)->rows_aggregated, 2000);
    tally_events_free(e);
    free(t.p);
}

/* ------------------------------------------------------------------ */
/* The threaded reader. */

static char *split_run(const char *name, const char *buf, size_t len,
                       const size_t *cut, size_t ncut,
                       const tally_events_options *o)
{
    tally_events *e = NULL;
    int st = tly_events_read_split_mem(name, buf, len, cut, ncut, o, &e);
    char *res = outcome_of(st, e);
    tally_events_free(e);
    return res;
}

/* Cut after every LF (one cut), and after every pair of LFs step apart
 * (two cuts): each gives the serial outcome. */
static void split_equals_serial(const char *name, const char *buf, size_t len,
                                const tally_events_options *o, size_t step)
{
    char *want = serial(name, buf, len, 0, o, TALLY_READER_LIBCSV);
    size_t *lf = malloc((len + 1) * sizeof *lf);
    cr_assert_not_null(lf);
    size_t nlf = 0;
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] == '\n') {
            lf[nlf++] = i + 1;
        }
    }
    for (size_t a = 0; a < nlf; a++) {
        char *got = split_run(name, buf, len, &lf[a], 1, o);
        cr_assert_str_eq(got, want, "%s: cut at byte %zu", name, lf[a]);
        free(got);
        for (size_t b = a + step; b < nlf; b += step) {
            size_t cut[3] = {lf[a], lf[b], lf[(b + nlf) / 2]};
            size_t ncut = cut[2] > cut[1] ? 3 : 2;
            got = split_run(name, buf, len, cut, ncut, o);
            cr_assert_str_eq(got, want, "%s: cuts at %zu, %zu", name, lf[a],
                             lf[b]);
            free(got);
        }
    }
    free(lf);
    free(want);
}

Test(fastpath, threaded_ranges_equal_one_pass_on_fixtures)
{
    static const struct {
        const char *file;
        const char *date;
        const char *group;
        const char *sum;
    } runs[] = {
        {"gtd.csv", "DATE", "PROVINCE", "FATALITIES"},
        {"suicide.csv", "Date", "Province", "Killed Max"},
        {"drone.csv", "Date", NULL, "Civilians Max"},
        {"bad_date.csv", "date", NULL, "killed"},
        {"bad_fields.csv", "date", NULL, "killed"},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        size_t len;
        char *buf = slurp(runs[i].file, &len);
        tally_events_sum sum = {runs[i].sum, NULL};
        tally_events_options o;
        tally_events_options_init(&o);
        o.date_col = runs[i].date;
        o.group_col = runs[i].group;
        o.sums = &sum;
        o.nsum = 1;
        for (int skip = 0; skip < 2; skip++) {
            o.skip_bad_rows = skip;
            split_equals_serial(runs[i].file, buf, len, &o, 1);
        }
        free(buf);
    }
}

Test(fastpath, threaded_ranges_equal_one_pass_on_generated_files)
{
    for (uint64_t seed = 0; seed < 24; seed++) {
        size_t len;
        char *buf = gen_file(seed, 120, &len);
        tally_events_options o;
        generated_options(&o, seed);
        char name[32];
        snprintf(name, sizeof name, "gen%u.csv", (unsigned)seed);
        split_equals_serial(name, buf, len, &o, 37);
        free(buf);
    }
}

/* ------------------------------------------------------------------ */
/* Exact sums of non-integer values: the same bits in any order, and the
 * double nearest to the true sum. */

Test(fastpath, exact_sums_do_not_depend_on_order)
{
    /* Ten times 0.1: the true sum of these doubles is 1.0000000000000000555
     * and its nearest double is 1; naive left-to-right addition gives
     * 0.99999999999999989.  Python: math.fsum([0.1] * 10) == 1.0. */
    tly_exact x;
    memset(&x, 0, sizeof x);
    double naive = 0.0;
    for (int i = 0; i < 10; i++) {
        tly_exact_add_double(&x, 0.1);
        naive += 0.1;
    }
    cr_expect_eq(tly_exact_value(&x, 0), 1.0);
    cr_expect_neq(naive, 1.0);
    /* Python: math.fsum([1e16, 1.0, 1e-16] + [0.5] * 3)
     * == 1.0000000000000002e16 (the exact sum
     * 10000000000000002.5000000000000001 is nearest to it). */
    memset(&x, 0, sizeof x);
    tly_exact_add_double(&x, 1e16);
    tly_exact_add_double(&x, 1e-16);
    for (int i = 0; i < 3; i++) {
        tly_exact_add_double(&x, 0.5);
    }
    cr_expect_eq(tly_exact_value(&x, 1), 1.0000000000000002e16);
    /* The smallest subnormal, the largest double, and the text form.
     * Python: math.fsum([5e-324] * 2) == 1e-323;
     * math.fsum([5e-324] * 2 + [1.7976931348623157e308]) is the latter. */
    memset(&x, 0, sizeof x);
    tly_exact_add_double(&x, 4.9406564584124654e-324);
    tly_exact_add_double(&x, 4.9406564584124654e-324);
    cr_expect_eq(tly_exact_value(&x, 0), 9.8813129168249309e-324);
    tly_exact_add_double(&x, 1.7976931348623157e308);
    cr_expect_eq(tly_exact_value(&x, 0), 1.7976931348623157e308);
    char form[TLY_XTEXT];
    tly_exact y;
    tly_exact_format(&x, form, sizeof form);
    cr_assert(tly_exact_parse(form, &y), "%s", form);
    cr_expect_eq(memcmp(&x, &y, sizeof x), 0, "%s", form);
    /* Random values summed forwards, backwards and in two halves merged
     * give the same accumulator. */
    uint64_t s = 42;
    double v[1000];
    for (int i = 0; i < 1000; i++) {
        v[i] = (double)(next_random(&s) >> 11) * 0x1p-40;
    }
    tly_exact a, b, c, d;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    memset(&c, 0, sizeof c);
    memset(&d, 0, sizeof d);
    for (int i = 0; i < 1000; i++) {
        tly_exact_add_double(&a, v[i]);
        tly_exact_add_double(&b, v[999 - i]);
        tly_exact_add_double(i < 500 ? &c : &d, v[i]);
    }
    tly_exact_add(&c, &d);
    cr_expect_eq(memcmp(&a, &b, sizeof a), 0);
    cr_expect_eq(memcmp(&a, &c, sizeof a), 0);
}

/* Groups whose periods span millennia: the dense indexes of cells stop at
 * their budget and the other groups use the hash table alone; no cell is
 * lost or made twice either way. */
Test(fastpath, cells_of_wide_groups_past_the_dense_budget)
{
    text t = {NULL, 0, 0};
    put(&t, "date,g\n");
    static const char *const when[] = {"0001-01-15", "5000-06-15",
                                       "9999-12-15"};
    for (int rep = 0; rep < 2; rep++) {
        for (int g = 0; g < 100; g++) {
            for (int w = 0; w < 3; w++) {
                char line[64];
                snprintf(line, sizeof line, "%s,g%d\n", when[w], g);
                put(&t, line);
            }
        }
    }
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    o.group_col = "g";
    tally_events *e = NULL;
    cr_assert_eq(tally_events_read_mem("wide.csv", t.p, t.len, 0, &o, &e),
                 TALLY_OK, "%s", tally_last_error());
    const tly_cells *c = &e->cells;
    cr_expect_eq(c->n, 300, "one cell per group and period");
    size_t off = 0;
    for (size_t i = 0; i < c->n; i++) {
        cr_expect_eq(c->count[i], 2);
    }
    for (size_t g = 0; g < c->ndense; g++) {
        off += (size_t)c->dense[g].off;
    }
    cr_expect(off > 0, "some groups past the budget");
    cr_expect(c->dense_total <= TLY_DENSE_BUDGET);
    tally_events_free(e);
    free(t.p);
}

/* A UTF-16 file is refused at line 1, column 1, whatever the chunking and
 * the reader (both byte orders). */
Test(fastpath, utf16_refused)
{
    static const char le[] = "\xFF\xFE"
                             "d\0a\0t\0e\0\n\0";
    static const char be[] = "\xFE\xFF"
                             "\0d\0a\0t\0e\0\n";
    const char *files[] = {le, be};
    tally_events_options o;
    tally_events_options_init(&o);
    o.date_col = "date";
    for (int f = 0; f < 2; f++) {
        for (size_t chunk = 0; chunk < 4; chunk++) {
            for (int r = 0; r < 2; r++) {
                char *got = serial("u.csv", files[f], sizeof le - 1, chunk, &o,
                                   r ? TALLY_READER_LIBCSV : TALLY_READER_FAST);
                cr_expect(strstr(got, "status 2\nu.csv:1:1: the file is "
                                      "UTF-16") == got,
                          "%s", got);
                free(got);
            }
        }
    }
}
