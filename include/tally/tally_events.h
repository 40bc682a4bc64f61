/* SPDX-License-Identifier: MIT
 *
 * Event files -> count series.  An event file has one row per incident
 * (attack, strike, death report); aggregating it gives one row per period
 * (and group) with the number of incidents and the sums of chosen columns,
 * every period in range present (0 where nothing happened).
 *
 * The file is streamed through libcsv: memory holds the aggregates (one
 * cell per period and group seen) and the current row's selected fields,
 * never the rows.  The aggregate is a sum over rows, so the aggregates of
 * two parts of a file merge exactly (tally_events_merge): integer-valued
 * cells are summed in 64-bit integers, and non-integer cells (rare in
 * count data) in an exact binary accumulator rounded once at the end.
 *
 * Two kinds of trouble are kept apart (CLI.md, "tally aggregate"):
 *  - a bad row: its date cannot be read or is impossible, or it has the
 *    wrong number of fields.  It stops the run (TALLY_EPARSE naming file,
 *    line and column) unless skip_bad_rows is set, in which case it is
 *    counted and the first few are listed in the report;
 *  - a missing cell: a summed column holds something that is not a
 *    non-negative number (blank, "Unknown", "N/A", "-4").  The row still
 *    counts as an incident; the cell is left out of the sum (or counted as
 *    0, or stops the run) and is counted per column.
 * Rows whose month (or year) is unknown (0 in a year/month/day layout) are
 * neither: they are skipped and counted, never guessed.  Accounting is
 * exact: rows read = aggregated + bad + unknown date + outside the range.
 */
#ifndef TALLY_EVENTS_H
#define TALLY_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tally/tally_date.h"
#include "tally/tally_frame.h"
#include "tally/tally_period.h"

/* What a missing cell in a summed column does. */
typedef enum {
    TALLY_MISSING_SKIP = 0, /* left out of the sum, counted in <name>_missing */
    TALLY_MISSING_ZERO,     /* added as 0, still counted in <name>_missing */
    TALLY_MISSING_FAIL      /* stops the run (TALLY_EMISSING) */
} tally_missing_policy;

/* Value clean-up of the grouping column: a map from spellings to one
 * spelling ("Baluchistan" -> "Balochistan").  Applied once (no chains),
 * after surrounding spaces are trimmed; with fold_case the from side
 * matches in any (ASCII) case. */
typedef struct tally_recode tally_recode;

tally_recode *tally_recode_alloc(void);
void tally_recode_free(tally_recode *r);
/* Add one mapping.  A from value mapped twice to different targets is
 * TALLY_EINVAL; the same mapping twice is accepted. */
int tally_recode_add(tally_recode *r, const char *from, const char *to);
/* Add "from=to,from=to" (the --recode syntax).  TALLY_EINVAL on an item
 * without '='. */
int tally_recode_parse(tally_recode *r, const char *spec);
/* Add the rows of a two-column CSV file (from,to); a first row reading
 * exactly from,to (any case) is a header and skipped.  TALLY_EIO,
 * TALLY_EPARSE (file, line, column) or TALLY_EINVAL. */
int tally_recode_read(tally_recode *r, const char *path);
/* Number of mappings. */
size_t tally_recode_count(const tally_recode *r);

/* A summed column. */
typedef struct {
    const char *column; /* header name in the event file */
    const char *name;   /* output column name; NULL: the same as column */
} tally_events_sum;

/* How the bytes of an event file are split into records.  Both give the
 * same series and the same report, line numbers included (tested on every
 * fixture and on generated files). */
typedef enum {
    TALLY_READER_FAST = 0, /* lines holding no quote and no CR are split in
                              place; the others (and everything up to the
                              header) go to libcsv (default) */
    TALLY_READER_LIBCSV    /* every byte through libcsv: the reference */
} tally_events_reader;

/* Most bad rows listed individually in the report. */
#define TALLY_EVENTS_MAX_LISTED 20

/* What to aggregate.  Strings are borrowed during tally_events_alloc and
 * copied. */
typedef struct {
    const char *date_col; /* column holding the date, or NULL when the
                             date is in year/month/day columns */
    const tally_date_format *date_format; /* NULL: automatic forms */
    const char *year_col;                 /* year column (0 = unknown) */
    const char *month_col;        /* month column 1..12 (0 = unknown); may be
                                     NULL with freq TALLY_FREQ_YEAR */
    const char *day_col;          /* day column (0 = unknown: the event counts
                                     in its month), or NULL */
    const char *group_col;        /* --by column, or NULL */
    const char *group_name;       /* output name of the group column; NULL:
                                     the same as group_col */
    const char *count_name;       /* output name of the row count; NULL:
                                     "incidents" */
    const tally_events_sum *sums; /* nsum summed columns */
    size_t nsum;
    tally_freq freq;              /* output periods (default month) */
    int have_from;                /* 1: the output starts at from */
    tally_period from;            /* first period (of freq) */
    int have_to;                  /* 1: the output ends at to */
    tally_period to;              /* last period (of freq) */
    int fold_case;                /* 1: group values differing only in ASCII
                                     case are one group */
    const tally_recode *recode;   /* group spellings, or NULL */
    tally_missing_policy missing; /* missing cells in summed columns */
    int skip_bad_rows;            /* 1: count and skip bad rows; 0: fail */
    size_t max_listed;            /* bad rows listed in the report (at most
                                     TALLY_EVENTS_MAX_LISTED; default 5) */
    tally_events_reader reader;   /* record splitting (default fast) */
    unsigned threads;             /* tally_events_read on a large regular
                                     file: threads, each aggregating a byte
                                     range (0: one per online core; 1:
                                     serial).  Never changes the result. */
} tally_events_options;

void tally_events_options_init(tally_events_options *o);

/* One bad row kept for the report. */
typedef struct {
    size_t line;       /* input line (1-based) */
    size_t column;     /* input column (1-based) */
    char message[200]; /* what was wrong */
    char input[128];   /* the input it is in, when merged from another
                          input than the aggregation's own (partials);
                          "" otherwise */
} tally_events_bad;

/* Missing cells of one summed column. */
typedef struct {
    uint64_t blank;        /* empty cells */
    uint64_t text;         /* cells that are not numbers ("Unknown", "N/A") */
    uint64_t negative;     /* negative numbers */
    size_t text_line;      /* line of the first text cell (0: none) */
    char text_example[32]; /* its content (truncated) */
    size_t negative_line;  /* line of the first negative cell (0: none) */
    char negative_example[32]; /* its content */
} tally_events_missing;

/* The accounting of one run (or merged runs). */
typedef struct {
    uint64_t rows_read;         /* records after the header (blank lines are
                                   not records) */
    uint64_t rows_aggregated;   /* counted as incidents */
    uint64_t rows_bad;          /* skipped bad rows (skip_bad_rows) */
    uint64_t rows_unknown_date; /* skipped: month (or year) unknown */
    uint64_t rows_outside;      /* skipped: period outside from..to */
    uint64_t unknown_day;       /* aggregated events whose day was 0 */
    uint64_t weekday_mismatch;  /* dates whose weekday name is wrong */
    size_t weekday_line;        /* line of the first such date */
    char weekday_text[64];      /* its text */
    uint64_t blank_group;       /* aggregated rows with a blank group (NA) */
    size_t nlisted;             /* bad rows listed below */
    tally_events_bad listed[TALLY_EVENTS_MAX_LISTED];
    size_t nsum;                         /* entries of missing[] */
    const tally_events_missing *missing; /* per summed column (borrowed) */
    int stopped_by_bad_row; /* 1 when the run failed on a bad row */
} tally_events_report;

/* An aggregation in progress or done (opaque). */
typedef struct tally_events tally_events;

/* Start an aggregation of the input called name (used in messages).
 * Returns TALLY_OK, TALLY_EINVAL (inconsistent options) or TALLY_ENOMEM. */
int tally_events_alloc(const tally_events_options *o, const char *name,
                       tally_events **out);
void tally_events_free(tally_events *e);

/* Feed the next len bytes of the file (any chunking gives the same
 * result).  The header is the first non-blank record; columns are chosen
 * by header name.  Returns TALLY_OK or the first error (TALLY_EINVAL for a
 * column that does not exist, TALLY_EPARSE for bad input, TALLY_EMISSING
 * with TALLY_MISSING_FAIL); after an error every call returns it again. */
int tally_events_feed(tally_events *e, const char *buf, size_t len);

/* End of input. */
int tally_events_finish(tally_events *e);

/* Aggregate a whole file ("-" reads stdin).  On success *out owns the
 * result (free with tally_events_free); on failure *out is NULL and
 * nothing is left allocated.  TALLY_EIO when the file cannot be opened or
 * read. */
int tally_events_read(const char *path, const tally_events_options *o,
                      tally_events **out);

/* The same, but on failure *out keeps the stopped aggregation (NULL only
 * when none could be made): its report says how far it went
 * (stopped_by_bad_row).  Free it in both cases.  A large regular file is
 * aggregated by o->threads threads, each over a byte range; the result
 * and the report are those of one serial pass in every case. */
int tally_events_read_file(const char *path, const tally_events_options *o,
                           tally_events **out);

/* The same from memory, handing the parser chunk bytes at a time (tests
 * feed every fixture at every chunk size; 0 means all at once). */
int tally_events_read_mem(const char *name, const char *buf, size_t len,
                          size_t chunk, const tally_events_options *o,
                          tally_events **out);

/* Add the aggregates and accounting of src into dst (both finished, built
 * with the same options).  Integer cells merge exactly.  TALLY_EINVAL when
 * the options differ. */
int tally_events_merge(tally_events *dst, const tally_events *src);

/* Write e (finished) as a partial aggregate: one line of JSON holding its
 * cells, groups, range, options and accounting, which
 * tally_events_merge_partials reads back; every sum is written exactly
 * (integers as integers, non-integer values as an exact binary sum).
 * TALLY_OK or TALLY_EIO. */
int tally_events_write_partial(FILE *fp, const tally_events *e);

/* Read the partial aggregates of a file ("-": stdin; one or more JSON
 * documents, as tally_events_write_partial writes them, concatenated) and
 * merge them into *acc, which is made from the first one when NULL (it
 * must otherwise come from an earlier call).  Partials must have been
 * made with the same options.  *count (if not NULL) is increased by the
 * partials read.  The merged aggregation writes the series and the
 * accounting of one pass over all the parts' rows (line numbers in the
 * report are those of the part they come from).  TALLY_EIO, TALLY_EPARSE
 * (not a partial, or other options), TALLY_ENOMEM. */
int tally_events_merge_partials(const char *path, tally_events **acc,
                                size_t *count);

/* The accounting (borrowed; valid until the next call on e). */
const tally_events_report *tally_events_get_report(const tally_events *e);

/* The series as frames: one per group (sorted bytewise by name), columns
 * count, sums, then <name>_missing per sum (absent with
 * TALLY_MISSING_FAIL), every period from the first to the last (or from..to)
 * present.  TALLY_ETOOFEW when nothing was aggregated and no range given. */
int tally_events_frames(const tally_events *e, tally_frame_set **out);

/* Write the series CSV (the format of tally_series_write). */
int tally_events_write(FILE *fp, const tally_events *e);

/* Print the accounting and the problems found to fp, one line each, each
 * line starting with prefix ("tally: "). */
void tally_events_report_print(FILE *fp, const tally_events *e,
                               const char *prefix);

#endif /* TALLY_EVENTS_H */
