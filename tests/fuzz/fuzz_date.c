/* SPDX-License-Identifier: MIT
 *
 * libFuzzer target: the date parser and the --date-format validator.
 *
 * Input layout: the first byte picks the mode.  With its low bit clear the
 * rest is one date read in the automatic forms; with it set, the bytes up
 * to the first newline are a --date-format (validated first, as the
 * command line does) and the bytes after it are the date.  Beyond "does
 * not crash", every accepted date must be a real Gregorian date, the
 * output must be untouched on failure, a failure must leave a message, and
 * the date written back in ISO and in words must read as the same date.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tally/tally_date.h"
#include "tally/tally_status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read text in the automatic forms and require exactly date d back. */
static void expect_same(const char *text, const tally_date *d)
{
    tally_date back;
    if (tally_date_parse(text, strlen(text), NULL, &back) != TALLY_OK ||
        back.year != d->year || back.month != d->month ||
        back.day != d->day) {
        abort();
    }
}

/* Invariants of an accepted date. */
static void check_date(const tally_date *d)
{
    if (tally_date_check(d->year, d->month, d->day) != TALLY_OK) {
        abort();
    }
    if (d->weekday < 0 || d->weekday > 7) {
        abort();
    }
    int wd = tally_date_weekday(d->year, d->month, d->day);
    if (wd < 1 || wd > 7) {
        abort();
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d->year, d->month, d->day);
    expect_same(buf, d);
    snprintf(buf, sizeof buf, "%s %d, %04d", tally_date_month_name(d->month),
             d->day, d->year);
    expect_same(buf, d);
    snprintf(buf, sizeof buf, "%s-%s %d-%04d", tally_date_weekday_name(wd),
             tally_date_month_name(d->month), d->day, d->year);
    expect_same(buf, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    tally_date_format fmt;
    const tally_date_format *pf = NULL;
    if (data[0] & 1) {
        const char *nl = memchr(s, '\n', len);
        if (nl == NULL) {
            return 0;
        }
        size_t flen = (size_t)(nl - s);
        char ftext[2 * TALLY_DATE_FORMAT_MAX];
        if (flen >= sizeof ftext || memchr(s, '\0', flen) != NULL) {
            return 0;
        }
        memcpy(ftext, s, flen);
        ftext[flen] = '\0';
        if (tally_date_format_init(&fmt, ftext) != TALLY_OK) {
            if (tally_last_error()[0] == '\0') {
                abort();
            }
            return 0;
        }
        pf = &fmt;
        s = nl + 1;
        len -= flen + 1;
    }
    /* Copy into an exact-size heap block so that ASan sees any read past
     * the end (the parser takes a length, not a NUL). */
    char *copy = malloc(len ? len : 1);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, s, len);
    tally_date d = {-1, -1, -1, -1};
    tally_error_clear();
    if (tally_date_parse(copy, len, pf, &d) == TALLY_OK) {
        check_date(&d);
    } else if (d.year != -1 || d.month != -1 || d.day != -1 ||
               d.weekday != -1 || tally_last_error()[0] == '\0') {
        abort();
    }
    free(copy);
    return 0;
}
