/* SPDX-License-Identifier: MIT
 *
 * The date parser: every form in the shipped event files and CLI.md, the
 * weekday (ignored, but reported), impossible dates rejected with a reason,
 * ambiguous numeric dates refused without a format, explicit formats read
 * strictly.  The calendar functions are checked against a slow day-by-day
 * walk.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "tally/tally_date.h"
#include "tally/tally_status.h"

static tally_date parse_ok(const char *s, const tally_date_format *f)
{
    tally_date d;
    memset(&d, 0xff, sizeof d);
    int st = tally_date_parse(s, strlen(s), f, &d);
    cr_assert_eq(st, TALLY_OK, "'%s': %s", s, tally_last_error());
    return d;
}

static void expect_date(const char *s, int y, int m, int dd, int wd)
{
    tally_date d = parse_ok(s, NULL);
    cr_expect_eq(d.year, y, "'%s' year %d", s, d.year);
    cr_expect_eq(d.month, m, "'%s' month %d", s, d.month);
    cr_expect_eq(d.day, dd, "'%s' day %d", s, d.day);
    cr_expect_eq(d.weekday, wd, "'%s' weekday %d", s, d.weekday);
}

static void expect_fail(const char *s, const tally_date_format *f, int code,
                        const char *needle)
{
    tally_date d = {1, 2, 3, 4};
    int st = tally_date_parse(s, strlen(s), f, &d);
    cr_expect_eq(st, code, "'%s' gave %d: %s", s, st, tally_last_error());
    cr_expect(strstr(tally_last_error(), needle) != NULL, "'%s' not in '%s'",
              needle, tally_last_error());
    /* The output is untouched on error. */
    cr_expect(d.year == 1 && d.month == 2 && d.day == 3 && d.weekday == 4);
}

Test(date, iso_forms)
{
    expect_date("2020-12-30", 2020, 12, 30, 0);
    expect_date("2001-09-19", 2001, 9, 19, 0);
    expect_date("  2004-06-18 ", 2004, 6, 18, 0);
    expect_date("2004/06/18", 2004, 6, 18, 0);
    expect_date("2004-6-8", 2004, 6, 8, 0);
    expect_date("2004-06-18T22:00", 2004, 6, 18, 0);
    expect_date("2004-06-18 22:00:59", 2004, 6, 18, 0);
    expect_date("2004-06-18T22:00:59.250", 2004, 6, 18, 0);
}

/* Weekdays from Python: datetime.date(1995, 11, 19).isoweekday() == 7 etc. */
Test(date, word_forms_of_the_event_files)
{
    /* Pakistan Body Count suicide-attack file, both day widths. */
    expect_date("Sunday-November 19-1995", 1995, 11, 19, 7);
    expect_date("Monday-November 6-2000", 2000, 11, 6, 1);
    expect_date("Thursday-October 05-2017", 2017, 10, 5, 4);
    /* Drone-strike file. */
    expect_date("Friday, June 18, 2004", 2004, 6, 18, 5);
    expect_date("Monday, October 16, 2017", 2017, 10, 16, 1);
    /* CLI.md's other forms. */
    expect_date("November 19, 1995", 1995, 11, 19, 0);
    expect_date("19 Nov 1995", 1995, 11, 19, 0);
    expect_date("19-Nov-1995", 1995, 11, 19, 0);
    expect_date("Nov 19 1995", 1995, 11, 19, 0);
    expect_date("Nov. 19, 1995", 1995, 11, 19, 0);
    expect_date("19 November 1995", 1995, 11, 19, 0);
    expect_date("Sept 1, 2001", 2001, 9, 1, 0);
    expect_date("1st September 2001", 2001, 9, 1, 0);
    expect_date("sun 19 nov 1995", 1995, 11, 19, 7);
    expect_date("THURSDAY, FEBRUARY 16, 2012", 2012, 2, 16, 4);
    expect_date("Tues, 28 Feb 2012", 2012, 2, 28, 2);
    expect_date("Thurs 16 Feb 2012", 2012, 2, 16, 4);
}

Test(date, wrong_weekday_is_reported_not_used)
{
    /* S# 464 of the suicide-attack file: 7 March 2016 was a Monday
     * (Python: datetime.date(2016, 3, 7).isoweekday() == 1). */
    tally_date d = parse_ok("Saturday-March 07-2016", NULL);
    cr_expect_eq(d.year, 2016);
    cr_expect_eq(d.month, 3);
    cr_expect_eq(d.day, 7);
    cr_expect_eq(d.weekday, 6);
    cr_expect_eq(tally_date_weekday(2016, 3, 7), 1);
}

Test(date, impossible_dates_say_why)
{
    expect_fail("2023-02-30", NULL, TALLY_EPARSE, "February 2023 has 28 days");
    expect_fail("2023-02-29", NULL, TALLY_EPARSE, "February 2023 has 28 days");
    expect_fail("1900-02-29", NULL, TALLY_EPARSE, "February 1900 has 28 days");
    expect_fail("2023-04-31", NULL, TALLY_EPARSE, "April 2023 has 30 days");
    expect_fail("2023-13-01", NULL, TALLY_EPARSE, "there is no month 13");
    expect_fail("2023-00-10", NULL, TALLY_EPARSE, "there is no month 0");
    expect_fail("2023-01-00", NULL, TALLY_EPARSE, "there is no day 0");
    expect_fail("0000-01-01", NULL, TALLY_EPARSE, "year 0 is outside");
    expect_fail("November 31, 2000", NULL, TALLY_EPARSE,
                "November 2000 has 30 days");
    expect_fail("Sunday-February 30-2020", NULL, TALLY_EPARSE,
                "February 2020 has 29 days");
    /* Leap years that are valid. */
    expect_date("2000-02-29", 2000, 2, 29, 0);
    expect_date("2024-02-29", 2024, 2, 29, 0);
    expect_date("2008-02-29", 2008, 2, 29, 0);
}

Test(date, unreadable_text_is_an_error)
{
    expect_fail("", NULL, TALLY_EPARSE, "blank");
    expect_fail("   ", NULL, TALLY_EPARSE, "blank");
    expect_fail("Unknown", NULL, TALLY_EPARSE, "not a date");
    expect_fail("2004-06", NULL, TALLY_EPARSE, "not a date");
    expect_fail("2004-06-18x", NULL, TALLY_EPARSE, "not a date");
    expect_fail("2004-06/18", NULL, TALLY_EPARSE, "not a date");
    expect_fail("2004-06-18T25:00", NULL, TALLY_EPARSE, "not a date");
    expect_fail("Novembr 19, 1995", NULL, TALLY_EPARSE,
                "'Novembr' is not a month name");
    expect_fail("Sundy-November 19-1995", NULL, TALLY_EPARSE,
                "'Sundy' is not a weekday name");
    expect_fail("November 19, 95", NULL, TALLY_EPARSE, "not a date");
    expect_fail("November 119, 1995", NULL, TALLY_EPARSE, "not a date");
    expect_fail("November 19,, 1995", NULL, TALLY_EPARSE, "not a date");
    expect_fail("19Nov1995", NULL, TALLY_EPARSE, "not a date");
    expect_fail("Nov 19 1995 extra", NULL, TALLY_EPARSE, "not a date");
    expect_fail("1995th Nov 19", NULL, TALLY_EPARSE, "not a date");
}

Test(date, numeric_day_month_needs_a_format)
{
    expect_fail("19/11/1995", NULL, TALLY_EINVAL, "ambiguous");
    expect_fail("11/19/1995", NULL, TALLY_EINVAL, "--date-format");
    expect_fail("1.2.2003", NULL, TALLY_EINVAL, "ambiguous");
    expect_fail("01-02-2003", NULL, TALLY_EINVAL, "ambiguous");
}

Test(date, explicit_formats_are_strict)
{
    tally_date_format dmy, mdy, named, dotted, stamp;
    cr_assert_eq(tally_date_format_init(&dmy, "%d/%m/%Y"), TALLY_OK);
    cr_assert_eq(tally_date_format_init(&mdy, "%m/%d/%Y"), TALLY_OK);
    cr_assert_eq(tally_date_format_init(&named, "%A, %B %d, %Y"), TALLY_OK);
    cr_assert_eq(tally_date_format_init(&dotted, "%d.%m.%Y"), TALLY_OK);
    cr_assert_eq(tally_date_format_init(&stamp, "%Y%m%d %H:%M"), TALLY_OK);

    tally_date d = parse_ok("19/11/1995", &dmy);
    cr_expect(d.year == 1995 && d.month == 11 && d.day == 19);
    d = parse_ok("1/2/2003", &dmy);
    cr_expect(d.month == 2 && d.day == 1);
    d = parse_ok("1/2/2003", &mdy);
    cr_expect(d.month == 1 && d.day == 2);
    d = parse_ok("Friday, June 18, 2004", &named);
    cr_expect(d.year == 2004 && d.month == 6 && d.day == 18 && d.weekday == 5);
    d = parse_ok("18.06.2004", &dotted);
    cr_expect(d.month == 6 && d.day == 18);
    d = parse_ok("20040618 22:05", &stamp);
    cr_expect(d.year == 2004 && d.month == 6 && d.day == 18);

    expect_fail("11/19/1995", &dmy, TALLY_EPARSE, "there is no month 19");
    expect_fail("31/04/1995", &dmy, TALLY_EPARSE, "April 1995 has 30 days");
    expect_fail("19/11/1995x", &dmy, TALLY_EPARSE, "does not match");
    expect_fail("19-11-1995", &dmy, TALLY_EPARSE, "does not match");
    expect_fail("19/11/95", &dmy, TALLY_EPARSE, "does not match");
    expect_fail("1995-11-19", &dmy, TALLY_EPARSE, "does not match");
    expect_fail("Frday, June 18, 2004", &named, TALLY_EPARSE, "does not match");
    expect_fail("20040618 24:05", &stamp, TALLY_EPARSE, "does not match");
}

Test(date, bad_formats_are_refused)
{
    tally_date_format f;
    cr_expect_eq(tally_date_format_init(&f, "%d/%m/%y"), TALLY_EINVAL);
    cr_expect(strstr(tally_last_error(), "%y is not supported") != NULL, "%s",
              tally_last_error());
    cr_expect_eq(tally_date_format_init(&f, "%d/%m"), TALLY_EINVAL);
    cr_expect_eq(tally_date_format_init(&f, "%d/%m/%Y/%Y"), TALLY_EINVAL);
    cr_expect_eq(tally_date_format_init(&f, "%d/%m/%Y%"), TALLY_EINVAL);
    cr_expect_eq(tally_date_format_init(&f, ""), TALLY_EINVAL);
    cr_expect_eq(tally_date_format_init(&f, "%b %d %Y"), TALLY_OK);
}

/* The slow reference: walk the calendar one day at a time from 1 January
 * 1900, a Monday (Python: datetime.date(1900, 1, 1).isoweekday() == 1),
 * with month lengths from the rule "30 days hath September..." and the
 * Gregorian leap rule written out separately. */
static int slow_leap(int y)
{
    if (y % 400 == 0) {
        return 1;
    }
    if (y % 100 == 0) {
        return 0;
    }
    return y % 4 == 0;
}

static int slow_days(int y, int m)
{
    if (m == 4 || m == 6 || m == 9 || m == 11) {
        return 30;
    }
    if (m == 2) {
        return slow_leap(y) ? 29 : 28;
    }
    return 31;
}

Test(date, calendar_matches_a_day_by_day_walk)
{
    int wd = 1;
    long checked = 0;
    for (int y = 1900; y <= 2400; y++) {
        for (int m = 1; m <= 12; m++) {
            cr_assert_eq(tally_date_days_in_month(y, m), slow_days(y, m),
                         "%d-%d", y, m);
            for (int d = 1; d <= slow_days(y, m); d++) {
                cr_assert_eq(tally_date_weekday(y, m, d), wd, "%d-%d-%d", y, m,
                             d);
                cr_assert_eq(tally_date_check(y, m, d), TALLY_OK);
                wd = wd % 7 + 1;
                checked++;
            }
            cr_assert_neq(tally_date_check(y, m, slow_days(y, m) + 1),
                          TALLY_OK);
        }
    }
    cr_expect_eq(checked, 182987); /* days from 1900-01-01 to 2400-12-31 */
    cr_expect_eq(tally_date_days_in_month(2000, 13), 0);
}

Test(date, every_iso_date_round_trips)
{
    /* Every day of 1999-2001 (a century leap year in the middle) written as
     * ISO text parses back to itself through the fast path. */
    for (int y = 1999; y <= 2001; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= slow_days(y, m); d++) {
                char buf[48];
                snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
                tally_date out = parse_ok(buf, NULL);
                cr_assert(out.year == y && out.month == m && out.day == d, "%s",
                          buf);
            }
        }
    }
}

Test(date, names)
{
    cr_expect_str_eq(tally_date_month_name(1), "January");
    cr_expect_str_eq(tally_date_month_name(12), "December");
    cr_expect_str_eq(tally_date_month_name(13), "");
    cr_expect_str_eq(tally_date_weekday_name(7), "Sunday");
    cr_expect_str_eq(tally_date_weekday_name(0), "");
}
