/* SPDX-License-Identifier: MIT
 *
 * Descriptive statistics of a count series, the figures analysts quote:
 * totals and means per calendar year and half-year, year-on-year change,
 * the rolling mean over the last year, records ("highest since 2017"),
 * and, for grouped series, each group's (or union of groups') share of
 * the total.
 *
 * Conventions (stated once, followed everywhere):
 *   - Missing values are NaN.  They are never treated as 0: sums and means
 *     use the observed values only and every result counts what is
 *     missing.
 *   - A block (a calendar year, a half-year) is complete when every one of
 *     its periods lies inside the series and is observed.  Blocks cut by
 *     the start or end of the series are partial.  Changes between blocks
 *     are computed only when both are complete; otherwise the block gets a
 *     like-for-like comparison restricted to the periods observed in both
 *     (e.g. January-May 2024 against January-May 2023).
 *   - Percentages are percent (100 = doubling for a change, the whole for a
 *     share), computed from the unrounded totals.  The library never
 *     rounds; tally_describe_round is the one rounding rule the printers
 *     use (see there).
 *   - Records compare a value with the earlier comparable values (complete
 *     blocks, observed periods): "highest since P" when P is the latest
 *     earlier value at least as high and the values between were lower.
 *
 * Rolling mean: the mean of the `window` periods ending at a period, NaN
 * when any of them is missing or lies before the start (as R's
 * zoo::rollmeanr(x, k, fill = NA, align = "right"), which propagates NA).
 *
 * The results own their arrays; free them with the matching _fini.  The
 * library never prints: src/cli/cmd_describe.c formats the results.
 */
#ifndef TALLY_DESCRIBE_H
#define TALLY_DESCRIBE_H

#include <stddef.h>

#include "tally/tally_frame.h"
#include "tally/tally_period.h"

/* What a record says about a value. */
typedef enum {
    TALLY_RECORD_NONE = 0, /* no claim: nothing earlier to compare with, or
                              the previous comparable value was at least
                              as high (as low) */
    TALLY_RECORD_SINCE,    /* highest (lowest) since an earlier value that
                              was at least as high (low) */
    TALLY_RECORD_ALL       /* higher (lower) than every earlier comparable
                              value in the series */
} tally_record_kind;

/* A record claim about item i of an array (of blocks or of periods).  The
 * comparison window runs from item `from` to item i, both included. */
typedef struct {
    tally_record_kind kind; /* see above */
    size_t since;           /* SINCE: index of the latest earlier comparable
                               item at least as high (low) as item i */
    double since_value;     /* SINCE: its value; NaN otherwise */
    size_t from;            /* first item of the comparison window: `since`
                               for SINCE, the first comparable item for ALL,
                               i itself for NONE */
    size_t compared;        /* comparable items in the window, i included */
    size_t skipped;         /* items strictly inside the window left out
                               because incomplete or missing: the claim is
                               not certain when this is > 0 */
} tally_describe_record;

/* A calendar block: a year or a half-year (months 1-6 / 7-12, quarters
 * 1-2 / 3-4). */
typedef struct {
    int year;           /* calendar year */
    int part;           /* 1-based block number within the year (always
                           1 for years; 1 or 2 for halves) */
    tally_period first; /* first period of the full block (calendar) */
    size_t len;         /* periods in a full block */
    size_t present;     /* periods of the block inside the series span */
    size_t missing;     /* of those, missing (NaN) */
    size_t observed;    /* present - missing */
    int complete;       /* observed == len */
    double total;       /* sum of the observed values; NaN if none */
    double mean;        /* total / observed; NaN if none */
    /* The same block a year earlier, only when both blocks are complete
     * (NaN otherwise). */
    double prev_total; /* its total */
    double change;     /* total - prev_total */
    double pct_change; /* 100 (total / prev_total - 1); NaN if
                          prev_total is 0 */
    /* Like-for-like: the periods observed both in this block and in the
     * same position a year earlier.  For two complete blocks this is the
     * whole block and equals the comparison above. */
    size_t lfl_n;           /* number of such periods (0: none) */
    tally_period lfl_first; /* first of them (in this block) */
    tally_period lfl_last;  /* last of them (in this block) */
    size_t lfl_gaps;        /* periods between lfl_first and lfl_last not
                               in the comparison (0: one contiguous
                               stretch) */
    double lfl_total;       /* sum over them this year */
    double lfl_prev_total;  /* sum over the same positions a year earlier */
    double lfl_change;      /* lfl_total - lfl_prev_total */
    double lfl_pct_change;  /* 100 (lfl_total / lfl_prev_total - 1) */
    /* Records among the complete blocks of the same kind (index into the
     * same block array). */
    tally_describe_record high;
    tally_describe_record low;
} tally_describe_block;

/* One period of the series. */
typedef struct {
    tally_period period;        /* the period */
    double value;               /* the value; NaN when missing */
    double rolling_mean;        /* mean of the window ending here (see top) */
    double prev_value;          /* the same period a year earlier (NaN when
                                   outside the series or missing) */
    double change;              /* value - prev_value */
    double pct_change;          /* 100 (value / prev_value - 1); NaN if
                                   prev_value is 0 */
    tally_describe_record high; /* among observed periods (index into the
                                   point array) */
    tally_describe_record low;
} tally_describe_point;

/* Options. */
typedef struct {
    size_t window; /* rolling-mean window in periods; 0 = one year (12
                      months, 4 quarters) and no rolling mean for annual
                      series */
} tally_describe_options;

void tally_describe_options_init(tally_describe_options *o);

/* Everything describe computes for one variable. */
typedef struct {
    tally_freq freq;              /* periods per year */
    tally_period start;           /* first period */
    size_t n;                     /* periods in the span */
    size_t observed;              /* periods with a value */
    size_t missing;               /* periods without (NaN) */
    size_t window;                /* rolling window used, 0 = none */
    double total;                 /* sum of observed values (NaN if none) */
    double mean;                  /* mean per observed period (NaN if none) */
    double sd;                    /* sample standard deviation, divisor
                                     observed - 1 (NaN if observed < 2) */
    double min;                   /* smallest observed value (NaN if none) */
    double max;                   /* largest observed value (NaN if none) */
    size_t argmin;                /* index of its first occurrence */
    size_t argmax;                /* index of its first occurrence */
    size_t last;                  /* index of the last observed period (n when
                                     none is observed) */
    tally_describe_point *points; /* n periods */
    size_t nyears;                /* calendar years touched by the span */
    tally_describe_block *years;  /* nyears blocks */
    size_t nhalves;               /* half-years touched (0 for annual) */
    tally_describe_block *halves; /* nhalves blocks */
    /* The last `window` periods (ending at the last period of the series)
     * against the `window` before them: totals and percent change; NaN
     * unless all 2*window periods are observed. */
    double recent_total;      /* sum of the last window */
    double previous_total;    /* sum of the window before it */
    double recent_pct_change; /* 100 (recent / previous - 1) */
} tally_describe;

/* Describe y[0..n-1], periods start, start+1, ... of frequency freq
 * (month, quarter or year).  o may be NULL (defaults).  NaN values are
 * missing.  A window longer than the series is not an error: the rolling
 * means and the recent comparison are then NaN.  Returns TALLY_OK,
 * TALLY_EINVAL (n == 0 or no period frequency) or TALLY_ENOMEM.  On
 * success *out owns its arrays (tally_describe_fini); on failure *out is
 * left empty. */
int tally_describe_series(const double *y, size_t n, tally_freq freq,
                          tally_period start, const tally_describe_options *o,
                          tally_describe *out);

void tally_describe_fini(tally_describe *d);

/* Blocks of len periods aligned on calendar years (len must divide freq):
 * len = freq gives years, freq / 2 half-years.  Fills *blocks (malloc'd,
 * caller frees with free()) and *nblocks; records are computed.  Exposed
 * for quarters of a monthly series and for tests. */
int tally_describe_blocks(const double *y, size_t n, tally_freq freq,
                          tally_period start, size_t len,
                          tally_describe_block **blocks, size_t *nblocks);

/* Rolling mean of window w over y[0..n-1] into out[0..n-1] (see top):
 * out[i] = mean(y[i-w+1..i]) when i >= w - 1 and none of them is NaN,
 * else NaN.  A running compensated sum keeps this O(n).  w == 0: all
 * NaN. */
void tally_describe_rolling_mean(const double *y, size_t n, size_t w,
                                 double *out);

/* Record claims for every item of v[0..n-1] among the comparable items
 * (ok[j] != 0): out[i] for item i; high != 0 asks for highs, 0 for lows.
 * Items with ok[j] == 0 are never compared and count as skipped when
 * strictly inside a window; a non-comparable item gets
 * TALLY_RECORD_NONE.  work holds 2 n size_t.  O(n). */
void tally_describe_records(const double *v, const unsigned char *ok, size_t n,
                            int high, size_t *work, tally_describe_record *out);

/* Sum of the non-NaN values with Neumaier's compensated summation (so a
 * long series of large values loses no digits); NaN when all are NaN. */
double tally_describe_sum(const double *y, size_t n);

/* The rounding rule of every printed percentage: x rounded to `digits`
 * decimals, halves away from zero (12.25 -> 12.3, -12.25 -> -12.3).
 * A value within a relative 1e-9 of a half counts as the half, so binary
 * representation error (100 * (1.1225 - 1) = 12.249999999999995) does
 * not decide the rounding.  The result is never -0.  NaN stays NaN. */
double tally_describe_round(double x, int digits);

/* ------------------------------------------------------------------ */
/* Shares of a grouped series. */

/* A union of groups given by name (borrowed strings). */
typedef struct {
    size_t n;                 /* number of groups */
    const char *const *names; /* their names */
} tally_describe_union;

/* One row of the share table: a group or a union of groups. */
typedef struct {
    char *label;     /* group name, or the union's names joined by '+' */
    size_t members;  /* groups in it (1 for a group) */
    double total;    /* sum of its observed values over the span */
    size_t observed; /* observed cells (group x period) */
    size_t missing;  /* missing cells, periods of the span outside a
                        group's own rows included */
    double share;    /* percent of the grand total; NaN when the grand
                        total is 0 or NaN */
} tally_describe_share;

typedef struct {
    tally_freq freq;            /* periods per year */
    tally_period start;         /* first period of any group */
    size_t n;                   /* periods from the first to the last of any
                                   group */
    size_t ngroups;             /* groups in the set */
    size_t nunions;             /* unions asked for */
    size_t nrows;               /* ngroups + nunions */
    tally_describe_share *rows; /* groups (sorted as in the set), then
                                   unions in the order given */
    double grand_total;         /* sum of every group's observed values */
    size_t grand_missing;       /* missing cells over all groups */
    size_t nyears;              /* calendar years of the span */
    int *years;                 /* nyears years */
    double *year_total;         /* nyears grand totals (NaN if none
                                   observed) */
    size_t *year_missing;       /* nyears missing-cell counts, all groups */
    size_t *year_groups;        /* nyears: groups with at least one observed
                                   value that year */
    size_t *year_periods;       /* nyears: periods of the year inside the
                                   span (less than a year's at a cut end) */
    double *year_value;         /* nyears x nrows totals (row-major by year);
                                   NaN when the row has no observed value */
    double *year_share;         /* nyears x nrows percent shares */
    size_t *year_row_missing;   /* nyears x nrows missing cells */
} tally_describe_shares;

/* Shares of variable `column` over the groups of set, plus the unions
 * given.  Returns TALLY_OK; TALLY_EINVAL when the set is not grouped,
 * the column or a union's group does not exist, or a union names a group
 * twice; TALLY_ENOMEM.  On success *out owns its arrays
 * (tally_describe_shares_fini). */
int tally_describe_shares_compute(const tally_frame_set *set,
                                  const char *column,
                                  const tally_describe_union *unions,
                                  size_t nunions, tally_describe_shares *out);

void tally_describe_shares_fini(tally_describe_shares *s);

#endif /* TALLY_DESCRIBE_H */
