/* SPDX-License-Identifier: MIT
 *
 * Periods: months, quarters and years as integers.  A period is the number of
 * sub-periods since year 0 (year * frequency + index within the year), so
 * ordering and arithmetic are integer operations: the month after 2022-12 is
 * tally_period 2022*12 + 11 + 1 = 2023*12 + 0, written "2023-01".
 */
#ifndef TALLY_PERIOD_H
#define TALLY_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/* Periods per year. */
typedef enum {
    TALLY_FREQ_NONE = 0,   /* not a time series (a plain data file) */
    TALLY_FREQ_YEAR = 1,   /* written YYYY */
    TALLY_FREQ_QUARTER = 4,/* written YYYY-Qn */
    TALLY_FREQ_MONTH = 12  /* written YYYY-MM */
} tally_freq;

/* A period: year * freq + (sub - 1), with sub the month (1..12), quarter
 * (1..4) or 1 for years. */
typedef int64_t tally_period;

/* Years accepted anywhere in tally (inclusive). */
#define TALLY_YEAR_MIN 1
#define TALLY_YEAR_MAX 9999

/* Longest text a period prints as, with its NUL ("9999-Q4", "9999-12"). */
#define TALLY_PERIOD_BUFSIZE 16

tally_period tally_period_make(tally_freq freq, int year, int sub);
int tally_period_year(tally_freq freq, tally_period p);
/* Month 1..12, quarter 1..4, or 1 for annual periods. */
int tally_period_sub(tally_freq freq, tally_period p);

/* Convert a calendar month (1..12) of a year to a period of frequency freq. */
tally_period tally_period_from_month(tally_freq freq, int year, int month);

/* Parse "YYYY-MM", "YYYY-Qn" or "YYYY".  With *freq == TALLY_FREQ_NONE the
 * frequency is taken from the text and stored; otherwise the text must be of
 * that frequency.  Returns TALLY_OK or TALLY_EPARSE (message recorded). */
int tally_period_parse(const char *text, tally_freq *freq, tally_period *out);

/* Write the period as text into buf (at least TALLY_PERIOD_BUFSIZE bytes).
 * Returns buf. */
char *tally_period_format(tally_freq freq, tally_period p, char *buf,
                          size_t size);

/* The name of the period column for a frequency: "month", "quarter", "year". */
const char *tally_freq_name(tally_freq freq);

/* The frequency named by a period column header, or TALLY_FREQ_NONE. */
tally_freq tally_freq_from_name(const char *name);

#endif /* TALLY_PERIOD_H */
