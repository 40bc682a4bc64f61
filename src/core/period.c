/* SPDX-License-Identifier: MIT
 *
 * Period arithmetic and the period text forms of CLI.md.  Parsing is strict:
 * the whole string must match, digits only where digits are expected, and
 * months/quarters/years inside their ranges.
 */
#include "core/period_int.h"
#include "tally/tally_period.h"
#include "tally/tally_status.h"

#include <stdio.h>
#include <string.h>

tally_period tally_period_make(tally_freq freq, int year, int sub)
{
    return (tally_period)year * (tally_period)freq + (tally_period)(sub - 1);
}

/* Floor division keeps the mapping monotone even for (rejected elsewhere)
 * negative periods. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) {
        q--;
    }
    return q;
}

int tally_period_year(tally_freq freq, tally_period p)
{
    return (int)floor_div(p, (int64_t)freq);
}

int tally_period_sub(tally_freq freq, tally_period p)
{
    return (int)(p - floor_div(p, (int64_t)freq) * (int64_t)freq) + 1;
}

tally_period tally_period_from_month(tally_freq freq, int year, int month)
{
    switch (freq) {
    case TALLY_FREQ_MONTH:
        return tally_period_make(freq, year, month);
    case TALLY_FREQ_QUARTER:
        return tally_period_make(freq, year, (month - 1) / 3 + 1);
    default:
        return tally_period_make(TALLY_FREQ_YEAR, year, 1);
    }
}

tally_period tly_period_last(tally_freq freq)
{
    /* The last sub-period of the last year: month 12, quarter 4, or the
     * year itself (sub = freq in each case). */
    return tally_period_make(freq, TALLY_YEAR_MAX, (int)freq);
}

int64_t tly_period_room_after(tally_freq freq, tally_period p)
{
    int64_t room = tly_period_last(freq) - p;
    return room > 0 ? room : 0;
}

/* Read exactly n decimal digits from s into *v. */
static int digits(const char *s, size_t n, int *v)
{
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

int tally_period_parse(const char *text, tally_freq *freq, tally_period *out)
{
    size_t len = strlen(text);
    int year = 0;
    int sub = 1;
    tally_freq got = TALLY_FREQ_NONE;

    if (len >= 4 && digits(text, 4, &year)) {
        if (len == 4) {
            got = TALLY_FREQ_YEAR;
        } else if (len == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q')
                   && digits(text + 6, 1, &sub) && sub >= 1 && sub <= 4) {
            got = TALLY_FREQ_QUARTER;
        } else if (len == 7 && text[4] == '-' && digits(text + 5, 2, &sub)
                   && sub >= 1 && sub <= 12) {
            got = TALLY_FREQ_MONTH;
        }
    }
    if (got == TALLY_FREQ_NONE) {
        return TALLY_ERROR(TALLY_EPARSE,
                           "'%s' is not a period (expected YYYY-MM, YYYY-Qn or YYYY)",
                           text);
    }
    if (year < TALLY_YEAR_MIN || year > TALLY_YEAR_MAX) {
        return TALLY_ERROR(TALLY_EPARSE, "year of '%s' outside %d..%d", text,
                           TALLY_YEAR_MIN, TALLY_YEAR_MAX);
    }
    if (*freq != TALLY_FREQ_NONE && *freq != got) {
        return TALLY_ERROR(TALLY_EPARSE,
                           "'%s' is a %s but the series is by %s", text,
                           tally_freq_name(got), tally_freq_name(*freq));
    }
    *freq = got;
    *out = tally_period_make(got, year, sub);
    return TALLY_OK;
}

char *tally_period_format(tally_freq freq, tally_period p, char *buf,
                          size_t size)
{
    int year = tally_period_year(freq, p);
    int sub = tally_period_sub(freq, p);

    switch (freq) {
    case TALLY_FREQ_MONTH:
        snprintf(buf, size, "%04d-%02d", year, sub);
        break;
    case TALLY_FREQ_QUARTER:
        snprintf(buf, size, "%04d-Q%d", year, sub);
        break;
    default:
        snprintf(buf, size, "%04d", year);
        break;
    }
    return buf;
}

const char *tally_freq_name(tally_freq freq)
{
    switch (freq) {
    case TALLY_FREQ_MONTH:
        return "month";
    case TALLY_FREQ_QUARTER:
        return "quarter";
    case TALLY_FREQ_YEAR:
        return "year";
    default:
        return "none";
    }
}

tally_freq tally_freq_from_name(const char *name)
{
    if (strcmp(name, "month") == 0) {
        return TALLY_FREQ_MONTH;
    }
    if (strcmp(name, "quarter") == 0) {
        return TALLY_FREQ_QUARTER;
    }
    if (strcmp(name, "year") == 0) {
        return TALLY_FREQ_YEAR;
    }
    return TALLY_FREQ_NONE;
}
