/* SPDX-License-Identifier: MIT
 *
 * Creating and freeing an event aggregation: the options are checked as a
 * whole (one way of giving the date, output names that differ), copied so
 * that the caller's strings may go, and the recode table is compiled for
 * the case rule in force.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Default number of bad rows listed in the report. */
#define DEFAULT_LISTED 5

void tally_events_options_init(tally_events_options *o)
{
    memset(o, 0, sizeof *o);
    o->freq = TALLY_FREQ_MONTH;
    o->missing = TALLY_MISSING_SKIP;
    o->max_listed = DEFAULT_LISTED;
}

/* ------------------------------------------------------------------ */
/* Allocation and options. */

static char *own(tally_events *e, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    char **p = realloc(e->owned, (e->nowned + 1) * sizeof *p);
    if (d == NULL || p == NULL) {
        free(d);
        if (p != NULL) {
            e->owned = p;
        }
        return NULL;
    }
    memcpy(d, s, n);
    e->owned = p;
    e->owned[e->nowned++] = d;
    return d;
}

/* Copy an optional string option into e (NULL stays NULL). */
static int own_opt(tally_events *e, const char **field)
{
    if (*field == NULL) {
        return 1;
    }
    *field = own(e, *field);
    return *field != NULL;
}

/* Output column names must differ from each other and from the period
 * column. */
static int check_names(const tally_events *e)
{
    size_t nsum = e->opt.nsum;
    size_t n = 2 + 2 * nsum + 1;
    const char **names = malloc(n * sizeof *names);
    if (names == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    size_t k = 0;
    names[k++] = tally_freq_name(e->opt.freq);
    names[k++] = e->opt.count_name;
    if (e->opt.group_name != NULL) {
        names[k++] = e->opt.group_name;
    }
    for (size_t i = 0; i < nsum; i++) {
        names[k++] = e->out_names[i];
        if (e->opt.missing != TALLY_MISSING_FAIL) {
            names[k++] = e->miss_names[i];
        }
    }
    int st = TALLY_OK;
    for (size_t i = 0; i < k && st == TALLY_OK; i++) {
        if (names[i][0] == '\0') {
            st = TALLY_ERROR(TALLY_EINVAL, "an output column name is empty");
        }
        for (size_t j = 0; j < i && st == TALLY_OK; j++) {
            if (strcmp(names[i], names[j]) == 0) {
                st = TALLY_ERROR(
                    TALLY_EINVAL,
                    "two output columns would be named '%s' (rename one: "
                    "NAME=COLUMN)",
                    names[i]);
            }
        }
    }
    free(names);
    return st;
}

static int check_options(const tally_events_options *o)
{
    if ((o->date_col == NULL) == (o->year_col == NULL)) {
        return TALLY_ERROR(
            TALLY_EINVAL,
            "give the date either as one column or as year/month/day "
            "columns (exactly one of the two)");
    }
    if (o->year_col != NULL && o->month_col == NULL &&
        o->freq != TALLY_FREQ_YEAR) {
        return TALLY_ERROR(
            TALLY_EINVAL,
            "a month column is needed for monthly or quarterly periods");
    }
    if (o->day_col != NULL && o->month_col == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "a day column needs a month column");
    }
    if (o->date_col != NULL && (o->month_col != NULL || o->day_col != NULL)) {
        return TALLY_ERROR(
            TALLY_EINVAL,
            "month and day columns go with a year column, not a date column");
    }
    if (o->freq != TALLY_FREQ_MONTH && o->freq != TALLY_FREQ_QUARTER &&
        o->freq != TALLY_FREQ_YEAR) {
        return TALLY_ERROR(TALLY_EINVAL, "the period must be month, quarter "
                                         "or year");
    }
    if (o->have_from && o->have_to && o->to < o->from) {
        return TALLY_ERROR(TALLY_EINVAL, "the range ends before it starts");
    }
    if (o->nsum > 0 && o->sums == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "summed columns missing");
    }
    for (size_t k = 0; k < o->nsum; k++) {
        if (o->sums[k].column == NULL || o->sums[k].column[0] == '\0') {
            return TALLY_ERROR(TALLY_EINVAL, "a summed column has no name");
        }
    }
    return TALLY_OK;
}

int tally_events_alloc(const tally_events_options *o, const char *name,
                       tally_events **out)
{
    int st = check_options(o);
    if (st != TALLY_OK) {
        return st;
    }
    tally_events *e = calloc(1, sizeof *e);
    if (e == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    e->opt = *o;
    tly_groups_init(&e->groups);
    tly_cells_init(&e->cells, o->nsum);
    tly_strmap_init(&e->recode.from);
    e->line = 1;
    e->row_line = 1;
    e->pure = o->reader == TALLY_READER_LIBCSV;
    for (size_t i = 0; i < TLY_ROLE_SUM0; i++) {
        e->role_slot[i] = -1;
    }
    if (e->opt.count_name == NULL) {
        e->opt.count_name = "incidents";
    }
    if (e->opt.group_col != NULL && e->opt.group_name == NULL) {
        e->opt.group_name = e->opt.group_col;
    }
    if (e->opt.max_listed > TALLY_EVENTS_MAX_LISTED) {
        e->opt.max_listed = TALLY_EVENTS_MAX_LISTED;
    }
    if (o->date_format != NULL) {
        e->date_format = *o->date_format;
        e->opt.date_format = &e->date_format;
    }
    e->opt.recode = NULL;
    e->opt.sums = NULL;
    size_t k = o->nsum ? o->nsum : 1;
    e->sums = calloc(k, sizeof *e->sums);
    e->out_names = calloc(k, sizeof *e->out_names);
    e->miss_names = calloc(k, sizeof *e->miss_names);
    e->missing = calloc(k, sizeof *e->missing);
    e->sum_slot = calloc(k, sizeof *e->sum_slot);
    e->kinds = calloc(k, sizeof *e->kinds);
    e->ival = calloc(k, sizeof *e->ival);
    e->dval = calloc(k, sizeof *e->dval);
    int ok = name != NULL && e->sums != NULL && e->out_names != NULL &&
             e->miss_names != NULL && e->missing != NULL &&
             e->sum_slot != NULL && e->kinds != NULL && e->ival != NULL &&
             e->dval != NULL;
    if (ok) {
        e->name = own(e, name);
        ok = e->name != NULL;
    }
    ok = ok && own_opt(e, &e->opt.date_col) && own_opt(e, &e->opt.year_col) &&
         own_opt(e, &e->opt.month_col) && own_opt(e, &e->opt.day_col) &&
         own_opt(e, &e->opt.group_col) && own_opt(e, &e->opt.group_name) &&
         own_opt(e, &e->opt.count_name);
    for (size_t i = 0; ok && i < o->nsum; i++) {
        const char *nm = o->sums[i].name ? o->sums[i].name : o->sums[i].column;
        size_t len = strlen(nm);
        char *miss = malloc(len + sizeof "_missing");
        if (miss != NULL) {
            memcpy(miss, nm, len);
            memcpy(miss + len, "_missing", sizeof "_missing");
        }
        e->sums[i].column = own(e, o->sums[i].column);
        e->out_names[i] = own(e, nm);
        e->miss_names[i] = miss != NULL ? own(e, miss) : NULL;
        free(miss);
        e->sums[i].name = e->out_names[i];
        e->sum_slot[i] = -1;
        ok = e->sums[i].column != NULL && e->out_names[i] != NULL &&
             e->miss_names[i] != NULL;
    }
    if (!ok) {
        tally_events_free(e);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    e->opt.sums = e->sums;
    e->rep.nsum = o->nsum;
    e->rep.missing = e->missing;
    st = check_names(e);
    if (st == TALLY_OK && o->recode != NULL &&
        tally_recode_count(o->recode) > 0) {
        tly_strmap_fini(&e->recode.from);
        st = tly_recode_compile(&e->recode, o->recode, o->fold_case);
        e->have_recode = st == TALLY_OK;
    }
    if (st == TALLY_OK) {
        if (csv_init(&e->parser, CSV_STRICT | CSV_STRICT_FINI |
                                     CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) !=
            0) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        } else {
            e->parser_ready = 1;
        }
    }
    if (st != TALLY_OK) {
        tally_events_free(e);
        return st;
    }
    *out = e;
    return TALLY_OK;
}

void tally_events_free(tally_events *e)
{
    if (e == NULL) {
        return;
    }
    if (e->parser_ready) {
        csv_free(&e->parser);
    }
    for (size_t i = 0; i < e->nowned; i++) {
        free(e->owned[i]);
    }
    free(e->owned);
    for (size_t i = 0; i < e->ncol; i++) {
        free(e->header[i]);
    }
    free(e->header);
    free(e->slot_of_col);
    free(e->sum_slot);
    free(e->slot_col);
    free(e->slot_off);
    free(e->slot_len);
    free(e->slot_line);
    free(e->slot_ptr);
    free(e->carry);
    free(e->partial_options);
    free(e->first_input);
    free(e->buf);
    free(e->sums);
    free(e->out_names);
    free(e->miss_names);
    free(e->missing);
    free(e->kinds);
    free(e->ival);
    free(e->dval);
    tly_recode_fini(&e->recode);
    tly_groups_fini(&e->groups);
    tly_cells_fini(&e->cells);
    free(e);
}

int tly_events_rename(tally_events *e, const char *name)
{
    char *n = own(e, name);
    if (n == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    /* Listed bad rows of the old name keep it. */
    for (size_t i = 0; i < e->rep.nlisted; i++) {
        tally_events_bad *b = &e->rep.listed[i];
        if (b->input[0] == '\0') {
            snprintf(b->input, sizeof b->input, "%s", e->name);
        }
    }
    e->name = n;
    return TALLY_OK;
}

const tally_events_report *tally_events_get_report(const tally_events *e)
{
    return &e->rep;
}
