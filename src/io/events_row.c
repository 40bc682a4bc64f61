/* SPDX-License-Identifier: MIT
 *
 * What the event loader does with the header and with each record: the
 * header decides which fields are kept (columns are chosen by name, and a
 * name that is absent or ambiguous is an error that lists the header); each
 * record is then checked (date readable and possible, year/month/day
 * columns with 0 for unknown) and added to the aggregate, or counted as a
 * bad row, an unknown date or a row outside the range, so that rows read =
 * aggregated + skipped always holds.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The header. */

/* Find a column by its (trimmed) header name: exactly, and only once. */
static long find_column(tally_events *e, const char *name)
{
    long found = -1;
    for (size_t i = 0; i < e->ncol; i++) {
        if (strcmp(e->header[i], name) != 0) {
            continue;
        }
        if (found >= 0) {
            e->status =
                TALLY_ERROR(TALLY_EINVAL,
                            "%s:%zu: column '%s' appears twice in the header "
                            "(columns %ld and %zu)",
                            e->name, e->row_line, name, found + 1, i + 1);
            return -1;
        }
        found = (long)i;
    }
    if (found >= 0) {
        return found;
    }
    /* Not found: suggest a column that differs only in case or surrounding
     * spaces, else list the header. */
    size_t nl = strlen(name);
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < e->ncol; i++) {
        const char *h = e->header[i];
        size_t hl = strlen(h);
        size_t tl = nl;
        const char *t = tly_trim(name, &tl);
        int same = hl == tl;
        for (size_t j = 0; same && j < hl; j++) {
            char a = h[j], b = t[j];
            a = (a >= 'A' && a <= 'Z') ? (char)(a - 'A' + 'a') : a;
            b = (b >= 'A' && b <= 'Z') ? (char)(b - 'A' + 'a') : b;
            same = a == b;
        }
        if (same) {
            e->status =
                TALLY_ERROR(TALLY_EINVAL,
                            "%s:%zu: no column named '%s' (did you mean '%s'?)",
                            e->name, e->row_line, name, h);
            return -1;
        }
        if (used + hl + 8 < sizeof list) {
            used += (size_t)snprintf(list + used, sizeof list - used, "%s'%s'",
                                     i ? ", " : "", h);
        } else if (used + 6 < sizeof list) {
            used += (size_t)snprintf(list + used, sizeof list - used, ", ...");
        }
    }
    e->status = TALLY_ERROR(TALLY_EINVAL,
                            "%s:%zu: no column named '%s'; the columns are %s",
                            e->name, e->row_line, name, list);
    return -1;
}

/* The slot keeping a column's field in each row (shared when two roles
 * name one column). */
static long slot_for(tally_events *e, const char *name)
{
    long c = find_column(e, name);
    if (c < 0) {
        return -1;
    }
    if (e->slot_of_col[c] < 0) {
        e->slot_of_col[c] = (long)e->nslot;
        e->slot_col[e->nslot] = (size_t)c;
        e->nslot++;
    }
    return e->slot_of_col[c];
}

void tly_events_header(tally_events *e)
{
    size_t maxslot = TLY_ROLE_SUM0 + e->opt.nsum;
    e->slot_of_col = malloc(e->ncol * sizeof *e->slot_of_col);
    e->slot_col = calloc(maxslot, sizeof *e->slot_col);
    e->slot_off = calloc(maxslot, sizeof *e->slot_off);
    e->slot_len = calloc(maxslot, sizeof *e->slot_len);
    e->slot_line = calloc(maxslot, sizeof *e->slot_line);
    e->slot_ptr = calloc(maxslot, sizeof *e->slot_ptr);
    if (e->slot_of_col == NULL || e->slot_col == NULL || e->slot_off == NULL ||
        e->slot_len == NULL || e->slot_line == NULL || e->slot_ptr == NULL) {
        e->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        return;
    }
    for (size_t i = 0; i < e->ncol; i++) {
        e->slot_of_col[i] = -1;
    }
    const char *role_col[TLY_ROLE_SUM0] = {e->opt.date_col, e->opt.year_col,
                                           e->opt.month_col, e->opt.day_col,
                                           e->opt.group_col};
    for (size_t r = 0; r < TLY_ROLE_SUM0; r++) {
        if (role_col[r] != NULL) {
            e->role_slot[r] = slot_for(e, role_col[r]);
            if (e->role_slot[r] < 0) {
                return;
            }
        }
    }
    for (size_t k = 0; k < e->opt.nsum; k++) {
        e->sum_slot[k] = slot_for(e, e->sums[k].column);
        if (e->sum_slot[k] < 0) {
            return;
        }
    }
    /* The fast path stops looking at field contents after this column. */
    e->max_kept_col = -1;
    for (size_t s = 0; s < e->nslot; s++) {
        if ((long)e->slot_col[s] > e->max_kept_col) {
            e->max_kept_col = (long)e->slot_col[s];
        }
    }
}

/* ------------------------------------------------------------------ */
/* One row. */

/* The kept field of a slot, trimmed. */
static const char *slot_text(const tally_events *e, long slot, size_t *len)
{
    *len = e->slot_len[slot];
    return tly_trim(e->slot_ptr[slot], len);
}

static const char *slot_name(const tally_events *e, long slot)
{
    return e->header[e->slot_col[slot]];
}

void tly_events_bad_row(tally_events *e, size_t line, size_t col,
                        const char *fmt, ...)
{
    char msg[sizeof e->rep.listed[0].message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!e->opt.skip_bad_rows) {
        e->status = TALLY_ERROR(TALLY_EPARSE, "%s:%zu:%zu: %s", e->name, line,
                                col, msg);
        e->rep.stopped_by_bad_row = 1;
        return;
    }
    e->rep.rows_bad++;
    if (e->rep.nlisted < e->opt.max_listed) {
        tally_events_bad *b = &e->rep.listed[e->rep.nlisted++];
        b->line = line;
        b->column = col;
        memcpy(b->message, msg, sizeof msg);
        b->input[0] = '\0';
    }
}

/* A whole cell of digits (at most 9) as a non-negative integer. */
static int cell_int(const char *s, size_t len, int *v)
{
    if (len == 0 || len > 9) {
        return 0;
    }
    int x = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return 1;
}

/* Read one of the year/month/day cells; a bad row when it is not a whole
 * number. */
static int ymd_cell(tally_events *e, int role, const char *what, int *v)
{
    long slot = e->role_slot[role];
    size_t len;
    const char *s = slot_text(e, slot, &len);
    if (cell_int(s, len, v)) {
        return 1;
    }
    tly_events_bad_row(e, e->slot_line[slot], e->slot_col[slot] + 1,
                       "column '%s': %s%.*s%s is not a %s number%s",
                       slot_name(e, slot), len ? "'" : "",
                       (int)(len < 40 ? len : 40), s,
                       len ? "'" : "the blank cell", what,
                       len ? "" : " (a totals or note row?)");
    return 0;
}

/* The calendar date of the row from year/month/day columns (0 = unknown).
 * Returns 1 with *y, *m (1 when unknown and the period is a year) and
 * *day_unknown set; -1 when the period is unknown; 0 for a bad row. */
static int row_ymd(tally_events *e, int *y, int *m, int *day_unknown)
{
    int year, month = 0, day = 0;
    if (!ymd_cell(e, TLY_ROLE_YEAR, "year", &year)) {
        return 0;
    }
    if (e->role_slot[TLY_ROLE_MONTH] >= 0 &&
        !ymd_cell(e, TLY_ROLE_MONTH, "month", &month)) {
        return 0;
    }
    if (e->role_slot[TLY_ROLE_DAY] >= 0 &&
        !ymd_cell(e, TLY_ROLE_DAY, "day", &day)) {
        return 0;
    }
    long ys = e->role_slot[TLY_ROLE_YEAR];
    long ms = e->role_slot[TLY_ROLE_MONTH];
    long ds = e->role_slot[TLY_ROLE_DAY];
    if (year != 0 && (year < TALLY_YEAR_MIN || year > TALLY_YEAR_MAX)) {
        tly_events_bad_row(e, e->slot_line[ys], e->slot_col[ys] + 1,
                           "column '%s': year %d is outside %d..%d",
                           slot_name(e, ys), year, TALLY_YEAR_MIN,
                           TALLY_YEAR_MAX);
        return 0;
    }
    if (ms >= 0 && month > 12) {
        tly_events_bad_row(e, e->slot_line[ms], e->slot_col[ms] + 1,
                           "column '%s': there is no month %d",
                           slot_name(e, ms), month);
        return 0;
    }
    if (ds >= 0 && day != 0) {
        /* With the month unknown only the longest month bounds the day. */
        int dim = month != 0 && year != 0
                      ? tally_date_days_in_month(year, month)
                      : 31;
        if (day > dim) {
            if (month != 0 && year != 0) {
                tly_events_bad_row(
                    e, e->slot_line[ds], e->slot_col[ds] + 1,
                    "column '%s': %04d-%02d-%02d is not a valid date: "
                    "%s %d has %d days",
                    slot_name(e, ds), year, month, day,
                    tally_date_month_name(month), year, dim);
            } else {
                tly_events_bad_row(e, e->slot_line[ds], e->slot_col[ds] + 1,
                                   "column '%s': there is no day %d",
                                   slot_name(e, ds), day);
            }
            return 0;
        }
    }
    /* Unknown year, or unknown month when periods are finer than a year:
     * the period cannot be known, so the row is skipped and counted. */
    if (year == 0 || (month == 0 && e->opt.freq != TALLY_FREQ_YEAR)) {
        return -1;
    }
    *y = year;
    *m = month != 0 ? month : 1;
    *day_unknown = ds >= 0 && day == 0;
    return 1;
}

/* The calendar date of the row from its date column. */
static int row_date(tally_events *e, int *y, int *m)
{
    long slot = e->role_slot[TLY_ROLE_DATE];
    size_t len;
    const char *s = slot_text(e, slot, &len);
    tally_date d;
    int st = tally_date_parse(s, len, e->opt.date_format, &d);
    if (st == TALLY_EINVAL) {
        /* Not a bad row: every row of the file is written this way, and
         * only the user can say how to read it. */
        char why[256];
        snprintf(why, sizeof why, "%s", tally_last_error());
        e->status = TALLY_ERROR(TALLY_EINVAL, "%s:%zu:%zu: column '%s': %s",
                                e->name, e->slot_line[slot],
                                e->slot_col[slot] + 1, slot_name(e, slot), why);
        return 0;
    }
    if (st != TALLY_OK) {
        tly_events_bad_row(e, e->slot_line[slot], e->slot_col[slot] + 1,
                           "column '%s': %s%s", slot_name(e, slot),
                           tally_last_error(),
                           len == 0 ? " (a totals or note row?)" : "");
        return 0;
    }
    if (d.weekday != 0 &&
        d.weekday != tally_date_weekday(d.year, d.month, d.day)) {
        /* The weekday is redundant: the date wins, and the disagreement is
         * reported. */
        if (e->rep.weekday_mismatch++ == 0) {
            e->rep.weekday_line = e->slot_line[slot];
            snprintf(e->rep.weekday_text, sizeof e->rep.weekday_text, "%.*s",
                     (int)len, s);
        }
    }
    *y = d.year;
    *m = d.month;
    return 1;
}

/* Note the first example of a kind of missing cell. */
static void note_example(size_t *line, char *text, size_t size, size_t at,
                         const char *s, size_t len)
{
    if (*line == 0) {
        *line = at;
        snprintf(text, size, "%.*s", (int)len, s);
    }
}

/* The group of the row (0 when ungrouped); -1 when out of memory. */
static long row_group(tally_events *e, int *blank)
{
    long gs = e->role_slot[TLY_ROLE_GROUP];
    *blank = 0;
    if (gs < 0) {
        return 0;
    }
    size_t len;
    const char *s = slot_text(e, gs, &len);
    *blank = len == 0;
    long id = tly_group_id(e, s, len);
    if (id < 0) {
        e->status = TALLY_ENOMEM;
    }
    return id;
}

void tly_events_record(tally_events *e, size_t nfield)
{
    e->rep.rows_read++;
    if (nfield != e->ncol) {
        tly_events_bad_row(e, e->row_line,
                           nfield < e->ncol ? nfield : e->ncol + 1,
                           "the row has %zu field%s, the header has %zu",
                           nfield, nfield == 1 ? "" : "s", e->ncol);
        return;
    }
    tly_events_row(e);
}

void tly_events_row(tally_events *e)
{
    tally_events_report *r = &e->rep;
    int y = 0, m = 0, day_unknown = 0, blank = 0;
    int ok = e->opt.date_col != NULL ? row_date(e, &y, &m)
                                     : row_ymd(e, &y, &m, &day_unknown);
    if (ok == 0) {
        return;
    }
    /* A valid row names its group even when it is not counted (unknown
     * month, outside the range): every group of the file gets a series,
     * so runs over different ranges have the same groups. */
    long gid = row_group(e, &blank);
    if (gid < 0) {
        return;
    }
    if (ok < 0) {
        r->rows_unknown_date++;
        return;
    }
    int64_t period = tally_period_from_month(e->opt.freq, y, m);
    if ((e->opt.have_from && period < e->opt.from) ||
        (e->opt.have_to && period > e->opt.to)) {
        r->rows_outside++;
        return;
    }
    /* Read every summed cell before counting anything, so that a run
     * stopped by a missing cell has not half-counted the row. */
    size_t nsum = e->opt.nsum;
    for (size_t k = 0; k < nsum; k++) {
        size_t len;
        const char *s = slot_text(e, e->sum_slot[k], &len);
        e->kinds[k] = tly_value_parse(s, len, &e->ival[k], &e->dval[k]);
        if (e->kinds[k] >= TLY_VAL_BLANK &&
            e->opt.missing == TALLY_MISSING_FAIL) {
            long slot = e->sum_slot[k];
            e->status = TALLY_ERROR(
                TALLY_EMISSING,
                "%s:%zu:%zu: column '%s': %s%.*s%s is not a count (a "
                "non-negative number) and missing cells are not allowed",
                e->name, e->slot_line[slot], e->slot_col[slot] + 1,
                slot_name(e, slot), len ? "'" : "", (int)(len < 40 ? len : 40),
                s, len ? "'" : "the blank cell");
            return;
        }
    }
    if (blank) {
        r->blank_group++;
    }
    if (tly_events_add(e, (uint32_t)gid, period, e->kinds, e->ival, e->dval) !=
        TALLY_OK) {
        e->status = TALLY_ENOMEM;
        return;
    }
    for (size_t k = 0; k < nsum; k++) {
        tally_events_missing *mi = &e->missing[k];
        size_t len;
        const char *s;
        long slot = e->sum_slot[k];
        switch (e->kinds[k]) {
        case TLY_VAL_BLANK:
            mi->blank++;
            break;
        case TLY_VAL_TEXT:
            mi->text++;
            s = slot_text(e, slot, &len);
            note_example(&mi->text_line, mi->text_example,
                         sizeof mi->text_example, e->slot_line[slot], s, len);
            break;
        case TLY_VAL_NEGATIVE:
            mi->negative++;
            s = slot_text(e, slot, &len);
            note_example(&mi->negative_line, mi->negative_example,
                         sizeof mi->negative_example, e->slot_line[slot], s,
                         len);
            break;
        default:
            break;
        }
    }
    r->rows_aggregated++;
    r->unknown_day += (uint64_t)day_unknown;
}
