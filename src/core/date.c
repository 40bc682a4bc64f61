/* SPDX-License-Identifier: MIT
 *
 * The date parser of tally_date.h.  The automatic forms are recognised by
 * shape: a four-digit year first means ISO; a number, a separator and a
 * number again means a numeric day/month order, which is ambiguous and
 * refused; anything else is read as words and numbers, [weekday] month day
 * year or [weekday] day month year.  Explicit formats are interpreted
 * directive by directive, strictly (the whole text must match).  Every
 * result is checked against the Gregorian calendar.
 *
 * The ISO form is by far the most common in large files, so it has a fast
 * path that touches each byte once and makes no call.
 */
#include "tally/tally_date.h"
#include "tally/tally_period.h"
#include "tally/tally_status.h"

#include <stdio.h>
#include <string.h>

/* Longest piece of input quoted in a message. */
#define QUOTE_MAX 60

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

static const char *const weekday_names[7] = {"Monday",   "Tuesday", "Wednesday",
                                             "Thursday", "Friday",  "Saturday",
                                             "Sunday"};

const char *tally_date_month_name(int month)
{
    return month >= 1 && month <= 12 ? month_names[month - 1] : "";
}

const char *tally_date_weekday_name(int weekday)
{
    return weekday >= 1 && weekday <= 7 ? weekday_names[weekday - 1] : "";
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive comparison of the n bytes at w with the first n bytes of
 * name (which must be at least n long). */
static int prefix_eq(const char *w, size_t n, const char *name)
{
    if (strlen(name) < n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (lower(w[i]) != lower(name[i])) {
            return 0;
        }
    }
    return 1;
}

/* A month name, full or in its three-letter abbreviation (and "Sept"):
 * 1..12, or 0 when the word is none. */
static int match_month(const char *w, size_t n)
{
    for (int i = 0; i < 12; i++) {
        if ((n == 3 || n == strlen(month_names[i])) &&
            prefix_eq(w, n, month_names[i])) {
            return i + 1;
        }
    }
    if (n == 4 && prefix_eq(w, n, "Sept")) {
        return 9;
    }
    return 0;
}

/* A weekday name, full, in three letters, or the common four- and
 * five-letter forms (Tues, Thur, Thurs): ISO 1..7, or 0. */
static int match_weekday(const char *w, size_t n)
{
    for (int i = 0; i < 7; i++) {
        if ((n == 3 || n == strlen(weekday_names[i])) &&
            prefix_eq(w, n, weekday_names[i])) {
            return i + 1;
        }
    }
    if ((n == 4 && prefix_eq(w, n, "Tues")) ||
        (n == 4 && prefix_eq(w, n, "Thur")) ||
        (n == 5 && prefix_eq(w, n, "Thurs"))) {
        return n == 4 && lower(w[1]) == 'u' ? 2 : 4;
    }
    return 0;
}

int tally_date_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) {
        return 0;
    }
    if (month == 2) {
        /* Gregorian rule: every 4th year, except centuries not divisible
         * by 400. */
        int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
    }
    return days[month - 1];
}

int tally_date_weekday(int year, int month, int day)
{
    /* Zeller's congruence for the Gregorian calendar: with January and
     * February counted as months 13 and 14 of the previous year,
     * h = (q + floor(13(m+1)/5) + K + floor(K/4) + floor(J/4) + 5J) mod 7,
     * q the day, K the year within its century, J the century; h = 0 is
     * Saturday, 1 Sunday, 2 Monday ... */
    int m = month;
    int y = year;
    if (m < 3) {
        m += 12;
        y -= 1;
    }
    int k = y % 100;
    int j = y / 100;
    int h = (day + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7;
    /* Map Saturday=0, Sunday=1, Monday=2 .. to ISO Monday=1 .. Sunday=7. */
    return (h + 5) % 7 + 1;
}

int tally_date_check(int year, int month, int day)
{
    if (year < TALLY_YEAR_MIN || year > TALLY_YEAR_MAX) {
        return TALLY_ERROR(TALLY_ERANGE, "year %d is outside %d..%d", year,
                           TALLY_YEAR_MIN, TALLY_YEAR_MAX);
    }
    if (month < 1 || month > 12) {
        return TALLY_ERROR(TALLY_ERANGE, "there is no month %d", month);
    }
    int dim = tally_date_days_in_month(year, month);
    if (day < 1 || day > dim) {
        if (day < 1) {
            return TALLY_ERROR(TALLY_ERANGE, "there is no day %d", day);
        }
        return TALLY_ERROR(TALLY_ERANGE, "%s %d has %d days",
                           month_names[month - 1], year, dim);
    }
    return TALLY_OK;
}

/* Store a date once it is known to be valid; otherwise record why not. */
static int finish(const char *s, size_t len, int y, int m, int d, int wd,
                  tally_date *out)
{
    if (tally_date_check(y, m, d) != TALLY_OK) {
        char why[128];
        snprintf(why, sizeof why, "%s", tally_last_error());
        return TALLY_ERROR(TALLY_EPARSE, "'%.*s' is not a valid date: %s",
                           (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s, why);
    }
    out->year = y;
    out->month = m;
    out->day = d;
    out->weekday = wd;
    return TALLY_OK;
}

static int not_a_date(const char *s, size_t len)
{
    return TALLY_ERROR(
        TALLY_EPARSE,
        "'%.*s' is not a date in a form tally reads without --date-format "
        "(YYYY-MM-DD, 'November 19, 1995', '19 Nov 1995', "
        "'Sunday-November 19-1995')",
        (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s);
}

/* Read 1..max digits at s[*i]; returns the count read (0 when none) and
 * the value in *v. */
static size_t read_num(const char *s, size_t len, size_t *i, size_t max, int *v)
{
    size_t n = 0;
    int x = 0;
    while (*i < len && n < max && is_digit(s[*i])) {
        x = x * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    *v = x;
    return n;
}

/* An ISO time after the date: HH:MM or HH:MM:SS, optionally with a
 * fraction of a second.  It is checked and then ignored (aggregation is by
 * calendar date). */
static int iso_time(const char *s, size_t len, size_t i)
{
    int h, m, sec;
    if (read_num(s, len, &i, 2, &h) != 2 || i >= len || s[i] != ':') {
        return 0;
    }
    i++;
    if (read_num(s, len, &i, 2, &m) != 2 || h > 23 || m > 59) {
        return 0;
    }
    if (i < len && s[i] == ':') {
        i++;
        if (read_num(s, len, &i, 2, &sec) != 2 || sec > 60) {
            return 0;
        }
        if (i < len && s[i] == '.') {
            i++;
            size_t start = i;
            while (i < len && is_digit(s[i])) {
                i++;
            }
            if (i == start) {
                return 0;
            }
        }
    }
    return i == len;
}

/* YYYY-MM-DD or YYYY/MM/DD (the same separator twice), one or two digits
 * for month and day, optionally followed by a time. */
static int parse_iso(const char *s, size_t len, tally_date *out)
{
    size_t i = 0;
    int y, m, d;
    read_num(s, len, &i, 4, &y);
    char sep = s[i++];
    if (read_num(s, len, &i, 2, &m) == 0 || i >= len || s[i] != sep) {
        return not_a_date(s, len);
    }
    i++;
    if (read_num(s, len, &i, 2, &d) == 0) {
        return not_a_date(s, len);
    }
    if (i < len) {
        if (!((s[i] == 'T' || s[i] == ' ') && iso_time(s, len, i + 1))) {
            return not_a_date(s, len);
        }
    }
    return finish(s, len, y, m, d, 0, out);
}

/* A token of the word forms: a run of letters or of digits. */
typedef struct {
    size_t start; /* offset in the text */
    size_t len;   /* bytes */
    int number;   /* 1 for digits, 0 for letters */
    int value;    /* the number (numbers only) */
} token;

/* Split the text into at most max tokens.  Between two tokens there must
 * be a separator: spaces, and at most one of , - / . among them.  A day
 * may carry an English ordinal suffix (1st, 2nd, 3rd, 19th), which is
 * dropped.  Returns the token count, or 0 when the text has another
 * shape. */
static size_t tokenize(const char *s, size_t len, token *t, size_t max)
{
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        if (n == max) {
            return 0;
        }
        token *k = &t[n];
        k->start = i;
        if (is_digit(s[i])) {
            k->number = 1;
            k->value = 0;
            while (i < len && is_digit(s[i])) {
                if (i - k->start < 6) {
                    k->value = k->value * 10 + (s[i] - '0');
                }
                i++;
            }
            k->len = i - k->start;
            if (k->len <= 2 && i + 1 < len && is_alpha(s[i]) &&
                is_alpha(s[i + 1]) && (i + 2 == len || !is_alpha(s[i + 2]))) {
                char a = lower(s[i]);
                char b = lower(s[i + 1]);
                if ((a == 's' && b == 't') || (a == 'n' && b == 'd') ||
                    (a == 'r' && b == 'd') || (a == 't' && b == 'h')) {
                    i += 2;
                }
            }
        } else if (is_alpha(s[i])) {
            k->number = 0;
            while (i < len && is_alpha(s[i])) {
                i++;
            }
            k->len = i - k->start;
        } else {
            return 0;
        }
        n++;
        if (i == len) {
            break;
        }
        /* The separator. */
        int punct = 0;
        size_t sep_start = i;
        while (i < len && !is_digit(s[i]) && !is_alpha(s[i])) {
            if (s[i] == ',' || s[i] == '-' || s[i] == '/' || s[i] == '.') {
                if (++punct > 1) {
                    return 0;
                }
            } else if (s[i] != ' ') {
                return 0;
            }
            i++;
        }
        if (i == sep_start || i == len) {
            return 0;
        }
    }
    return n;
}

/* [weekday] month day year  or  [weekday] day month year. */
static int parse_words(const char *s, size_t len, tally_date *out)
{
    token t[4];
    size_t n = tokenize(s, len, t, 4);
    size_t k = 0;
    int wd = 0;
    if (n < 3) {
        return not_a_date(s, len);
    }
    if (n == 4) {
        if (t[0].number) {
            return not_a_date(s, len);
        }
        wd = match_weekday(s + t[0].start, t[0].len);
        if (wd == 0) {
            return TALLY_ERROR(
                TALLY_EPARSE,
                "'%.*s' is not a date: '%.*s' is not a weekday name",
                (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s, (int)t[0].len,
                s + t[0].start);
        }
        k = 1;
    }
    const token *a = &t[k];
    const token *b = &t[k + 1];
    const token *c = &t[k + 2];
    const token *word = !a->number ? a : b;
    const token *day = !a->number ? b : a;
    if (!c->number || c->len != 4 || !day->number || day->len > 2 ||
        word->number) {
        return not_a_date(s, len);
    }
    int m = match_month(s + word->start, word->len);
    if (m == 0) {
        return TALLY_ERROR(TALLY_EPARSE,
                           "'%.*s' is not a date: '%.*s' is not a month name",
                           (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s,
                           (int)word->len, s + word->start);
    }
    return finish(s, len, c->value, m, day->value, wd, out);
}

static int parse_auto(const char *s, size_t len, tally_date *out)
{
    /* Fast path: exactly YYYY-MM-DD. */
    if (len == 10 && s[4] == '-' && s[7] == '-' && is_digit(s[0]) &&
        is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) && is_digit(s[5]) &&
        is_digit(s[6]) && is_digit(s[8]) && is_digit(s[9])) {
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
                (s[3] - '0');
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        int d = (s[8] - '0') * 10 + (s[9] - '0');
        if (y >= TALLY_YEAR_MIN && m >= 1 && m <= 12 && d >= 1 &&
            d <= tally_date_days_in_month(y, m)) {
            out->year = y;
            out->month = m;
            out->day = d;
            out->weekday = 0;
            return TALLY_OK;
        }
        return finish(s, len, y, m, d, 0, out);
    }
    size_t lead = 0;
    while (lead < len && is_digit(s[lead])) {
        lead++;
    }
    if (lead == 4 && len > 5 && (s[4] == '-' || s[4] == '/')) {
        return parse_iso(s, len, out);
    }
    /* A number, one of / . - and a digit again: 19/11/1995, 11.19.1995. */
    if (lead >= 1 && lead <= 2 && lead + 1 < len &&
        (s[lead] == '/' || s[lead] == '.' || s[lead] == '-') &&
        is_digit(s[lead + 1])) {
        return TALLY_ERROR(
            TALLY_EINVAL,
            "'%.*s': the order of day and month is ambiguous; say which with "
            "--date-format (%%d/%%m/%%Y or %%m/%%d/%%Y)",
            (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s);
    }
    return parse_words(s, len, out);
}

/* Interpret an explicit format (validated by tally_date_format_init). */
static int parse_format(const char *s, size_t len, const char *fmt,
                        tally_date *out)
{
    const char *f = fmt;
    size_t i = 0;
    int y = 0, m = 0, d = 0, wd = 0;
    int v;
    for (; *f; f++) {
        if (*f == ' ') {
            size_t start = i;
            while (i < len && s[i] == ' ') {
                i++;
            }
            if (i == start) {
                goto mismatch;
            }
            continue;
        }
        if (*f != '%') {
            if (i >= len || s[i] != *f) {
                goto mismatch;
            }
            i++;
            continue;
        }
        f++;
        switch (*f) {
        case 'Y':
            if (read_num(s, len, &i, 4, &y) != 4) {
                goto mismatch;
            }
            break;
        case 'm':
            if (read_num(s, len, &i, 2, &m) == 0) {
                goto mismatch;
            }
            break;
        case 'd':
        case 'e':
            if (read_num(s, len, &i, 2, &d) == 0) {
                goto mismatch;
            }
            break;
        case 'H':
        case 'M':
        case 'S':
            if (read_num(s, len, &i, 2, &v) == 0 || v > (*f == 'H'   ? 23
                                                         : *f == 'M' ? 59
                                                                     : 60)) {
                goto mismatch;
            }
            break;
        case 'b':
        case 'B':
        case 'h':
        case 'a':
        case 'A': {
            size_t start = i;
            while (i < len && is_alpha(s[i])) {
                i++;
            }
            if (*f == 'a' || *f == 'A') {
                wd = match_weekday(s + start, i - start);
                if (wd == 0) {
                    goto mismatch;
                }
            } else {
                m = match_month(s + start, i - start);
                if (m == 0) {
                    goto mismatch;
                }
            }
            break;
        }
        default: /* '%' */
            if (i >= len || s[i] != '%') {
                goto mismatch;
            }
            i++;
            break;
        }
    }
    if (i != len) {
        goto mismatch;
    }
    return finish(s, len, y, m, d, wd, out);
mismatch:
    return TALLY_ERROR(TALLY_EPARSE,
                       "'%.*s' does not match the date format '%s'",
                       (int)(len < QUOTE_MAX ? len : QUOTE_MAX), s, fmt);
}

int tally_date_parse(const char *s, size_t len, const tally_date_format *fmt,
                     tally_date *out)
{
    while (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t')) {
        len--;
    }
    if (len == 0) {
        return TALLY_ERROR(TALLY_EPARSE, "the date is blank");
    }
    if (fmt != NULL) {
        return parse_format(s, len, fmt->text, out);
    }
    return parse_auto(s, len, out);
}

int tally_date_format_init(tally_date_format *out, const char *fmt)
{
    int have_y = 0, have_m = 0, have_d = 0;
    size_t n = strlen(fmt);
    if (n == 0 || n >= sizeof out->text) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "date format '%s' is empty or too long", fmt);
    }
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            continue;
        }
        f++;
        switch (*f) {
        case 'Y':
            have_y++;
            break;
        case 'm':
        case 'b':
        case 'B':
        case 'h':
            have_m++;
            break;
        case 'd':
        case 'e':
            have_d++;
            break;
        case 'a':
        case 'A':
        case 'H':
        case 'M':
        case 'S':
        case '%':
            break;
        case '\0':
            return TALLY_ERROR(TALLY_EINVAL,
                               "date format '%s' ends with a lone %%", fmt);
        default:
            return TALLY_ERROR(
                TALLY_EINVAL,
                "date format '%s': %%%c is not supported (use %%Y %%m %%d "
                "%%e %%b %%B %%a %%A %%H %%M %%S %%%%)",
                fmt, *f);
        }
    }
    if (have_y != 1 || have_m != 1 || have_d != 1) {
        return TALLY_ERROR(
            TALLY_EINVAL,
            "date format '%s' must contain a year (%%Y), a month (%%m or %%b) "
            "and a day (%%d) once each",
            fmt);
    }
    memcpy(out->text, fmt, n + 1);
    return TALLY_OK;
}
