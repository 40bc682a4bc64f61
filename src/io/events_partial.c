/* SPDX-License-Identifier: MIT
 *
 * Partial aggregates: an aggregation written out whole (its cells, groups,
 * range and accounting) so that aggregations of parts of the data, made on
 * other machines, merge into the aggregation of all of it
 * (`tally aggregate --partial`, then `tally merge`).  This is what a
 * map-reduce engine needs: the map step aggregates a chunk, the reduce
 * step (or a combiner, since a merge can itself be written as a partial)
 * merges.
 *
 * Format: one JSON document per partial, on one line, so that partials
 * concatenate (a reducer reading its input stream gets them one after the
 * other):
 *   {"tally_partial": 1, "input": NAME, "options": {...},
 *    "range": [FIRST, LAST] or null, "groups": [SPELLING, ...],
 *    "blank_group": SPELLING or null,
 *    "cells": [[GROUP, PERIOD, COUNT, [ISUM...], [XSUM...], [MISS...]]...],
 *    "report": {...}}
 * (the report's listed bad rows are [LINE, COLUMN, MESSAGE, INPUT]).
 * GROUP indexes "groups" (0 when ungrouped); periods are text (2013-04);
 * ISUM are the integer parts of the sums, XSUM their exact parts (sums of
 * non-integer values, as text: see tly_exact_format; null when there is
 * none), so that merges are exact for every kind of value; "options"
 * holds everything the output depends on, and partials merge only when
 * their options are equal.
 * Line numbers in the report are those of the partial's own input.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The format's version, written and required. */
#define PARTIAL_VERSION 1

/* ------------------------------------------------------------------ */
/* Writing. */

static json_t *period_json(tally_freq freq, int64_t p)
{
    char buf[TALLY_PERIOD_BUFSIZE];
    return json_string(
        tally_period_format(freq, (tally_period)p, buf, sizeof buf));
}

static const char *missing_name(tally_missing_policy m)
{
    return m == TALLY_MISSING_ZERO   ? "zero"
           : m == TALLY_MISSING_FAIL ? "fail"
                                     : "skip";
}

/* The options the series and the report depend on. */
static json_t *options_json(const tally_events *e)
{
    const tally_events_options *o = &e->opt;
    json_t *sums = json_array();
    for (size_t k = 0; k < o->nsum; k++) {
        json_array_append_new(sums, json_pack("{s:s, s:s}", "column",
                                              e->sums[k].column, "name",
                                              e->out_names[k]));
    }
    json_t *j = json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:s, s:b, s:o, s:o}", "period",
        tally_freq_name(o->freq), "count", o->count_name, "by",
        o->group_col ? json_string(o->group_col) : json_null(), "by_name",
        o->group_name ? json_string(o->group_name) : json_null(), "sums", sums,
        "missing", missing_name(o->missing), "fold_case", o->fold_case, "from",
        o->have_from ? period_json(o->freq, o->from) : json_null(), "to",
        o->have_to ? period_json(o->freq, o->to) : json_null());
    return j;
}

static json_t *report_json(const tally_events *e)
{
    const tally_events_report *r = &e->rep;
    json_t *listed = json_array();
    for (size_t i = 0; i < r->nlisted; i++) {
        json_array_append_new(
            listed,
            json_pack("[I, I, s, s]", (json_int_t)r->listed[i].line,
                      (json_int_t)r->listed[i].column, r->listed[i].message,
                      r->listed[i].input[0] != '\0' ? r->listed[i].input
                                                    : e->name));
    }
    json_t *missing = json_array();
    for (size_t k = 0; k < e->opt.nsum; k++) {
        const tally_events_missing *m = &e->missing[k];
        json_array_append_new(
            missing,
            json_pack("{s:I, s:I, s:I, s:I, s:s, s:I, s:s}", "blank",
                      (json_int_t)m->blank, "text", (json_int_t)m->text,
                      "negative", (json_int_t)m->negative, "text_line",
                      (json_int_t)m->text_line, "text_example", m->text_example,
                      "negative_line", (json_int_t)m->negative_line,
                      "negative_example", m->negative_example));
    }
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:o, s:o}",
        "rows_read", (json_int_t)r->rows_read, "rows_aggregated",
        (json_int_t)r->rows_aggregated, "rows_bad", (json_int_t)r->rows_bad,
        "rows_unknown_date", (json_int_t)r->rows_unknown_date, "rows_outside",
        (json_int_t)r->rows_outside, "unknown_day", (json_int_t)r->unknown_day,
        "weekday_mismatch", (json_int_t)r->weekday_mismatch, "weekday_line",
        (json_int_t)r->weekday_line, "weekday_text", r->weekday_text,
        "blank_group", (json_int_t)r->blank_group, "listed", listed, "missing",
        missing);
}

int tally_events_write_partial(FILE *fp, const tally_events *e)
{
    const tly_cells *c = &e->cells;
    size_t ng = tly_groups_count(&e->groups);
    json_t *groups = json_array();
    for (size_t g = 0; g < ng; g++) {
        json_array_append_new(groups, json_string(e->groups.display[g]));
    }
    /* Where a blank value went (NA, or what a recode made it). */
    json_t *blank = json_null();
    long raw = tly_strmap_find(&e->groups.raw, "", 0, tly_hash_bytes("", 0));
    if (raw >= 0) {
        json_decref(blank);
        blank = json_string(e->groups.display[e->groups.raw.val[raw]]);
    }
    json_t *cells = json_array();
    for (size_t i = 0; i < c->n; i++) {
        json_t *is = json_array(), *ds = json_array(), *ms = json_array();
        for (size_t k = 0; k < c->nsum; k++) {
            json_array_append_new(is, json_integer(c->isum[i * c->nsum + k]));
            uint32_t x = c->xsum[i * c->nsum + k];
            if (x != 0) {
                char text[TLY_XTEXT];
                tly_exact_format(&c->xpool[x - 1], text, sizeof text);
                json_array_append_new(ds, json_string(text));
            } else {
                json_array_append_new(ds, json_null());
            }
            json_array_append_new(ms, json_integer(c->miss[i * c->nsum + k]));
        }
        json_array_append_new(
            cells, json_pack("[I, o, I, o, o, o]", (json_int_t)c->gid[i],
                             period_json(e->opt.freq, c->period[i]),
                             (json_int_t)c->count[i], is, ds, ms));
    }
    json_t *root = json_pack(
        "{s:i, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "tally_partial",
        PARTIAL_VERSION, "input", e->name, "options", options_json(e), "range",
        e->have_range ? json_pack("[o, o]", period_json(e->opt.freq, e->lo),
                                  period_json(e->opt.freq, e->hi))
                      : json_null(),
        "groups", groups, "blank_group", blank, "cells", cells, "report",
        report_json(e));
    if (root == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    int rc = json_dumpf(root, fp, JSON_COMPACT | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (rc != 0 || fputc('\n', fp) == EOF) {
        return TALLY_ERROR(TALLY_EIO, "cannot write the partial aggregate");
    }
    return TALLY_OK;
}

/* ------------------------------------------------------------------ */
/* Reading. */

/* A failure to read partial number idx of path. */
#define BAD(path, idx, what)                                                   \
    TALLY_ERROR(TALLY_EPARSE, "%s: partial %zu: %s", path, idx, what)

/* A period of freq from its text. */
static int json_period(const json_t *j, tally_freq freq, int64_t *out)
{
    tally_freq f = freq;
    tally_period p;
    if (!json_is_string(j) ||
        tally_period_parse(json_string_value(j), &f, &p) != TALLY_OK) {
        return 0;
    }
    *out = (int64_t)p;
    return 1;
}

/* A non-negative integer member. */
static int json_count(const json_t *obj, const char *key, uint64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0) {
        return 0;
    }
    *out = (uint64_t)json_integer_value(v);
    return 1;
}

/* Copy a string member into a fixed buffer (truncated as when made). */
static int json_text(const json_t *obj, const char *key, char *dst, size_t size)
{
    json_t *v = json_object_get(obj, key);
    if (!json_is_string(v)) {
        return 0;
    }
    snprintf(dst, size, "%s", json_string_value(v));
    return 1;
}

/* The options of a partial as tally_events_options (strings borrowed from
 * the JSON; sums written into *sums, which the caller frees). */
static int options_from_json(const json_t *j, tally_events_options *o,
                             tally_events_sum **sums)
{
    tally_events_options_init(o);
    const char *period, *count, *missing;
    json_t *by, *by_name, *sl, *from, *to;
    int fold;
    if (json_unpack((json_t *)j,
                    "{s:s, s:s, s:o, s:o, s:o, s:s, s:b, s:o, s:o}", "period",
                    &period, "count", &count, "by", &by, "by_name", &by_name,
                    "sums", &sl, "missing", &missing, "fold_case", &fold,
                    "from", &from, "to", &to) != 0 ||
        !json_is_array(sl)) {
        return 0;
    }
    o->freq = tally_freq_from_name(period);
    if (o->freq != TALLY_FREQ_MONTH && o->freq != TALLY_FREQ_QUARTER &&
        o->freq != TALLY_FREQ_YEAR) {
        return 0;
    }
    o->count_name = count;
    o->group_col = json_is_string(by) ? json_string_value(by) : NULL;
    o->group_name = json_is_string(by_name) ? json_string_value(by_name) : NULL;
    o->missing = strcmp(missing, "zero") == 0   ? TALLY_MISSING_ZERO
                 : strcmp(missing, "fail") == 0 ? TALLY_MISSING_FAIL
                                                : TALLY_MISSING_SKIP;
    o->fold_case = fold;
    if (!json_is_null(from)) {
        if (!json_period(from, o->freq, &o->from)) {
            return 0;
        }
        o->have_from = 1;
    }
    if (!json_is_null(to)) {
        if (!json_period(to, o->freq, &o->to)) {
            return 0;
        }
        o->have_to = 1;
    }
    size_t n = json_array_size(sl);
    *sums = calloc(n ? n : 1, sizeof **sums);
    if (*sums == NULL) {
        return 0;
    }
    for (size_t k = 0; k < n; k++) {
        json_t *s = json_array_get(sl, k);
        if (json_unpack(s, "{s:s, s:s}", "column", &(*sums)[k].column, "name",
                        &(*sums)[k].name) != 0) {
            return 0;
        }
    }
    o->sums = *sums;
    o->nsum = n;
    /* Any date column will do: the partial is not read from events. */
    o->date_col = "date";
    return 1;
}

/* The accounting of a partial into e. */
static int report_from_json(tally_events *e, const json_t *j)
{
    tally_events_report *r = &e->rep;
    uint64_t wl = 0;
    json_t *listed = json_object_get(j, "listed");
    json_t *missing = json_object_get(j, "missing");
    if (!json_count(j, "rows_read", &r->rows_read) ||
        !json_count(j, "rows_aggregated", &r->rows_aggregated) ||
        !json_count(j, "rows_bad", &r->rows_bad) ||
        !json_count(j, "rows_unknown_date", &r->rows_unknown_date) ||
        !json_count(j, "rows_outside", &r->rows_outside) ||
        !json_count(j, "unknown_day", &r->unknown_day) ||
        !json_count(j, "weekday_mismatch", &r->weekday_mismatch) ||
        !json_count(j, "weekday_line", &wl) ||
        !json_text(j, "weekday_text", r->weekday_text,
                   sizeof r->weekday_text) ||
        !json_count(j, "blank_group", &r->blank_group) ||
        !json_is_array(listed) || !json_is_array(missing) ||
        json_array_size(missing) != e->opt.nsum ||
        r->rows_aggregated + r->rows_bad + r->rows_unknown_date +
                r->rows_outside !=
            r->rows_read) {
        return 0;
    }
    r->weekday_line = (size_t)wl;
    for (size_t i = 0;
         i < json_array_size(listed) && r->nlisted < TALLY_EVENTS_MAX_LISTED;
         i++) {
        json_int_t line, col;
        const char *msg, *input;
        if (json_unpack(json_array_get(listed, i), "[I, I, s, s]", &line, &col,
                        &msg, &input) != 0 ||
            line < 0 || col < 0) {
            return 0;
        }
        tally_events_bad *b = &r->listed[r->nlisted++];
        b->line = (size_t)line;
        b->column = (size_t)col;
        snprintf(b->message, sizeof b->message, "%s", msg);
        /* Named only when it is not the partial's own input. */
        snprintf(b->input, sizeof b->input, "%s",
                 strcmp(input, e->name) != 0 ? input : "");
    }
    for (size_t k = 0; k < e->opt.nsum; k++) {
        tally_events_missing *m = &e->missing[k];
        json_t *mj = json_array_get(missing, k);
        uint64_t tl = 0, nl = 0;
        if (!json_count(mj, "blank", &m->blank) ||
            !json_count(mj, "text", &m->text) ||
            !json_count(mj, "negative", &m->negative) ||
            !json_count(mj, "text_line", &tl) ||
            !json_count(mj, "negative_line", &nl) ||
            !json_text(mj, "text_example", m->text_example,
                       sizeof m->text_example) ||
            !json_text(mj, "negative_example", m->negative_example,
                       sizeof m->negative_example)) {
            return 0;
        }
        m->text_line = (size_t)tl;
        m->negative_line = (size_t)nl;
    }
    return 1;
}

/* Groups, cells and range of a partial into e (made with its options). */
static int cells_from_json(tally_events *e, const json_t *root)
{
    json_t *groups = json_object_get(root, "groups");
    json_t *cells = json_object_get(root, "cells");
    json_t *range = json_object_get(root, "range");
    json_t *blank = json_object_get(root, "blank_group");
    if (!json_is_array(groups) || !json_is_array(cells)) {
        return 0;
    }
    size_t ng = json_array_size(groups);
    if (e->opt.group_col == NULL && ng > 0) {
        return 0;
    }
    uint32_t *map = malloc((ng ? ng : 1) * sizeof *map);
    if (map == NULL) {
        return 0;
    }
    map[0] = 0;
    for (size_t g = 0; g < ng; g++) {
        json_t *s = json_array_get(groups, g);
        long id = json_is_string(s)
                      ? tly_group_of_value(e, json_string_value(s),
                                           json_string_length(s))
                      : -1;
        if (id < 0) {
            free(map);
            return 0;
        }
        map[g] = (uint32_t)id;
    }
    if (json_is_string(blank)) {
        /* The blank cell's group, for the report. */
        long id = tly_group_of_value(e, json_string_value(blank),
                                     json_string_length(blank));
        if (id < 0 ||
            tly_strmap_add(&e->groups.raw, "", 0, tly_hash_bytes("", 0),
                           (uint32_t)id, NULL) != TALLY_OK) {
            free(map);
            return 0;
        }
    }
    tly_cells *c = &e->cells;
    size_t nsum = e->opt.nsum;
    for (size_t i = 0; i < json_array_size(cells); i++) {
        json_int_t g, count;
        json_t *per, *is, *ds, *ms;
        int64_t p;
        if (json_unpack(json_array_get(cells, i), "[I, o, I, o, o, o]", &g,
                        &per, &count, &is, &ds, &ms) != 0 ||
            g < 0 || (size_t)g >= (ng ? ng : 1) || count < 0 ||
            !json_period(per, e->opt.freq, &p) || json_array_size(is) != nsum ||
            json_array_size(ds) != nsum || json_array_size(ms) != nsum) {
            free(map);
            return 0;
        }
        long j = tly_cells_get(c, map[g], p);
        if (j < 0) {
            free(map);
            return 0;
        }
        if (c->count[j] != 0) {
            free(map);
            return 0; /* a cell given twice */
        }
        c->count[j] = count;
        for (size_t k = 0; k < nsum; k++) {
            json_t *iv = json_array_get(is, k), *dv = json_array_get(ds, k),
                   *mv = json_array_get(ms, k);
            tly_exact x;
            if (!json_is_integer(iv) || !json_is_integer(mv) ||
                json_integer_value(iv) < 0 || json_integer_value(mv) < 0 ||
                !(json_is_null(dv) ||
                  (json_is_string(dv) &&
                   tly_exact_parse(json_string_value(dv), &x)))) {
                free(map);
                return 0;
            }
            size_t a = (size_t)j * nsum + k;
            c->isum[a] = json_integer_value(iv);
            c->miss[a] = json_integer_value(mv);
            if (json_is_string(dv) && !tly_exact_is_zero(&x)) {
                /* A fresh cell of a fresh aggregation: its exact sum is
                 * the partial's. */
                if (c->nx == c->xcap) {
                    size_t cap = c->xcap ? 2 * c->xcap : 16;
                    tly_exact *xp = realloc(c->xpool, cap * sizeof *xp);
                    if (xp == NULL) {
                        free(map);
                        return 0;
                    }
                    c->xpool = xp;
                    c->xcap = cap;
                }
                c->xpool[c->nx] = x;
                c->xsum[a] = (uint32_t)++c->nx;
            }
        }
    }
    free(map);
    if (!json_is_null(range)) {
        int64_t lo, hi;
        if (json_array_size(range) != 2 ||
            !json_period(json_array_get(range, 0), e->opt.freq, &lo) ||
            !json_period(json_array_get(range, 1), e->opt.freq, &hi)) {
            return 0;
        }
        e->lo = lo;
        e->hi = hi;
        e->have_range = 1;
    }
    return 1;
}

/* The cells of a partial agree with its accounting: each lies in its
 * range (and in --from .. --to), their incidents add up to the rows
 * aggregated, and their missing cells to the missing cells counted per
 * column.  A partial edited or damaged by hand fails here rather than
 * lose incidents silently. */
static int consistent(const tally_events *e)
{
    const tly_cells *c = &e->cells;
    uint64_t count = 0;
    for (size_t i = 0; i < c->n; i++) {
        int64_t p = c->period[i];
        if (!e->have_range || p < e->lo || p > e->hi ||
            (e->opt.have_from && p < e->opt.from) ||
            (e->opt.have_to && p > e->opt.to) || c->count[i] < 1) {
            return 0;
        }
        count += (uint64_t)c->count[i];
    }
    if (count != e->rep.rows_aggregated) {
        return 0;
    }
    for (size_t k = 0; k < e->opt.nsum; k++) {
        uint64_t miss = 0;
        for (size_t i = 0; i < c->n; i++) {
            miss += (uint64_t)c->miss[i * c->nsum + k];
        }
        const tally_events_missing *m = &e->missing[k];
        if (miss != m->blank + m->text + m->negative) {
            return 0;
        }
    }
    return 1;
}

/* One partial document into a new aggregation. */
static int partial_from_json(const json_t *root, const char *path, size_t idx,
                             tally_events **out)
{
    json_t *opts = json_object_get(root, "options");
    json_t *ver = json_object_get(root, "tally_partial");
    json_t *input = json_object_get(root, "input");
    if (!json_is_integer(ver) || json_integer_value(ver) != PARTIAL_VERSION) {
        return BAD(path, idx,
                   "not a tally partial aggregate (version 1): make it with "
                   "tally aggregate --partial");
    }
    tally_events_options o;
    tally_events_sum *sums = NULL;
    if (!json_is_string(input) || !options_from_json(opts, &o, &sums)) {
        free(sums);
        return BAD(path, idx, "bad options");
    }
    tally_events *e = NULL;
    int st = tally_events_alloc(&o, json_string_value(input), &e);
    free(sums);
    if (st != TALLY_OK) {
        return st;
    }
    if (!cells_from_json(e, root) ||
        !report_from_json(e, json_object_get(root, "report")) ||
        !consistent(e)) {
        tally_events_free(e);
        return BAD(path, idx, "bad cells or accounting");
    }
    e->have_header = 1;
    e->finished = 1;
    *out = e;
    return TALLY_OK;
}

int tally_events_merge_partials(const char *path, tally_events **acc,
                                size_t *count)
{
    if (*acc != NULL && (*acc)->partial_options == NULL) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "partials merge into an aggregation read from "
                           "partials");
    }
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (fp == NULL) {
        return TALLY_ERROR(TALLY_EIO, "cannot open %s: %s", path,
                           strerror(errno));
    }
    int st = TALLY_OK;
    size_t idx = 0;
    for (;;) {
        /* Skip white space between documents; stop at the end. */
        int ch;
        do {
            ch = fgetc(fp);
        } while (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t');
        if (ch == EOF) {
            break;
        }
        ungetc(ch, fp);
        idx++;
        json_error_t err;
        json_t *root = json_loadf(fp, JSON_DISABLE_EOF_CHECK, &err);
        if (root == NULL) {
            st = TALLY_ERROR(TALLY_EPARSE, "%s: partial %zu: %s (line %d)",
                             path, idx, err.text, err.line);
            break;
        }
        tally_events *e = NULL;
        st = partial_from_json(root, path, idx, &e);
        /* Options compared as canonical text (compact, keys sorted). */
        char *opts = st == TALLY_OK
                         ? json_dumps(json_object_get(root, "options"),
                                      JSON_COMPACT | JSON_SORT_KEYS)
                         : NULL;
        if (st == TALLY_OK && opts == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
        if (st == TALLY_OK && *acc != NULL &&
            ((*acc)->partial_options == NULL ||
             strcmp(opts, (*acc)->partial_options) != 0)) {
            st = BAD(path, idx,
                     "made with other options than the first partial (the "
                     "period, groups, sums, range and missing policy must "
                     "be the same)");
        }
        if (st == TALLY_OK && *acc == NULL) {
            e->partial_options = opts;
            opts = NULL;
            e->first_input = strdup(e->name);
            e->nparts = 1;
            if (e->first_input == NULL) {
                st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            }
            *acc = e;
            e = NULL;
        } else if (st == TALLY_OK) {
            st = tally_events_merge(*acc, e);
            if (st == TALLY_OK) {
                /* The merged input is named by its first and last parts. */
                char name[512];
                (*acc)->nparts++;
                snprintf(name, sizeof name, "%s .. %s (%zu parts)",
                         (*acc)->first_input, e->name, (*acc)->nparts);
                st = tly_events_rename(*acc, name);
            }
        }
        free(opts);
        tally_events_free(e);
        json_decref(root);
        if (st != TALLY_OK) {
            break;
        }
        if (count != NULL) {
            (*count)++;
        }
    }
    if (st == TALLY_OK && ferror(fp)) {
        st = TALLY_ERROR(TALLY_EIO, "cannot read %s", path);
    }
    if (fp != stdin) {
        fclose(fp);
    }
    return st;
}
