/* SPDX-License-Identifier: MIT
 *
 * Calendar dates as event files write them.  The parser understands every
 * form found in the shipped event data and in CLI.md without being told:
 *
 *   2004-06-18, 2004/06/18           ISO year-month-day (a time after a
 *                                    'T' or space, HH:MM[:SS], is allowed)
 *   Sunday-November 19-1995          weekday-month day-year (PBC files)
 *   Friday, June 18, 2004            weekday, month day, year
 *   November 19, 1995; Nov 19 1995   month day[,] year
 *   19 Nov 1995; 19-Nov-1995         day month year
 *
 * Month and weekday names are English, full or abbreviated to three letters
 * ("Sept" too), in any case.  A weekday is optional and never decides the
 * date: the parser reports which weekday the text named so that the caller
 * can count disagreements, but the day, month and year are what is used.
 * Numeric day/month orders (19/11/1995 or 11/19/1995) are ambiguous and are
 * only read with an explicit format, written as for strptime(3):
 * "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%B %d, %Y"...
 *
 * Every date is checked against the Gregorian calendar: 2023-02-30 and
 * 2023-13-01 are errors with a message saying why, never rolled over.
 */
#ifndef TALLY_DATE_H
#define TALLY_DATE_H

#include <stddef.h>

/* A calendar date. */
typedef struct {
    int year;    /* TALLY_YEAR_MIN..TALLY_YEAR_MAX */
    int month;   /* 1..12 */
    int day;     /* 1..days in the month */
    int weekday; /* weekday named in the text, ISO numbering 1 = Monday ..
                    7 = Sunday; 0 when the text named none */
} tally_date;

/* Longest --date-format accepted, with its NUL. */
#define TALLY_DATE_FORMAT_MAX 64

/* An explicit date format (strptime-like, parsed strictly by tally).
 * Directives: %Y four-digit year; %m month 1..12 (one or two digits);
 * %d or %e day (one or two digits); %b, %B or %h month name (full or
 * abbreviated); %a or %A weekday name (checked to be a weekday name, then
 * reported as tally_date.weekday); %H, %M, %S hour, minute, second (read
 * and range checked, then ignored); %% a percent sign.  A space matches one
 * or more spaces; any other character matches itself.  The format must
 * contain a year, a month and a day. */
typedef struct {
    char text[TALLY_DATE_FORMAT_MAX]; /* the validated format */
} tally_date_format;

/* Validate fmt and store it in *out.  Returns TALLY_OK or TALLY_EINVAL
 * (message names the bad directive). */
int tally_date_format_init(tally_date_format *out, const char *fmt);

/* Parse the len bytes at s (no NUL needed; leading and trailing spaces are
 * ignored) as a date, in the automatic forms above when fmt is NULL or with
 * the given format.  Returns TALLY_OK and fills *out; TALLY_EPARSE with a
 * message quoting the text and saying what was wrong ("February 2023 has
 * 28 days"); or TALLY_EINVAL when the text is a numeric date whose order of
 * day and month only a format can settle (19/11/1995 without fmt): that
 * is a question for the user, not a bad cell.  *out is untouched on
 * error. */
int tally_date_parse(const char *s, size_t len, const tally_date_format *fmt,
                     tally_date *out);

/* Check a date given as numbers; returns TALLY_OK or TALLY_ERANGE with a
 * message ("2023-02-30: February 2023 has 28 days"). */
int tally_date_check(int year, int month, int day);

/* Days in a month of the Gregorian calendar (month 1..12), 0 when month is
 * out of range. */
int tally_date_days_in_month(int year, int month);

/* ISO weekday (1 = Monday .. 7 = Sunday) of a valid date, proleptic
 * Gregorian calendar. */
int tally_date_weekday(int year, int month, int day);

/* English name of a month (1..12) or ISO weekday (1..7); "" outside. */
const char *tally_date_month_name(int month);
const char *tally_date_weekday_name(int weekday);

#endif /* TALLY_DATE_H */
