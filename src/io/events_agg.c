/* SPDX-License-Identifier: MIT
 *
 * The aggregate of an event file: one cell per (group, period) seen, with
 * the incident count, and per summed column the sum and the number of
 * missing cells.  A cell is found through an open-addressing hash on the
 * pair; the last cell used is tried first, because rows of one period and
 * place tend to come together.  Cells exist only where something happened;
 * the dense series (every period of the range, 0 elsewhere, every group
 * over the same range) is built at the end.
 *
 * Exactness.  A sum is kept as an int64 part (cells holding integers below
 * 2^53, the normal case for counts) and, only where needed, an exact part
 * (events_exact.c: other numbers, and int64 overflows) rounded once at
 * the end.  Both additions are associative, so summing the rows in any
 * order, or summing parts of the file and adding the parts
 * (tally_events_merge, threads, partial aggregates), gives the same
 * bits.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hash of a cell key: the splitmix64 finaliser of (period, group), which
 * spreads consecutive periods over the whole table. */
static uint64_t cell_hash(uint32_t gid, int64_t period)
{
    uint64_t x = (uint64_t)period * 0x9E3779B97F4A7C15ULL + gid;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

void tly_cells_init(tly_cells *c, size_t nsum)
{
    memset(c, 0, sizeof *c);
    c->nsum = nsum;
}

void tly_cells_fini(tly_cells *c)
{
    free(c->gid);
    free(c->period);
    free(c->count);
    free(c->isum);
    free(c->xsum);
    free(c->xpool);
    free(c->miss);
    free(c->slot);
    free(c->gcell);
    for (size_t g = 0; g < c->ndense; g++) {
        free(c->dense[g].cell);
    }
    free(c->dense);
    memset(c, 0, sizeof *c);
}

long tly_cells_find(const tly_cells *c, uint32_t gid, int64_t period)
{
    if (c->last != 0 && c->gid[c->last - 1] == gid &&
        c->period[c->last - 1] == period) {
        return (long)(c->last - 1);
    }
    if (c->nslot == 0) {
        return -1;
    }
    size_t mask = c->nslot - 1;
    for (size_t i = (size_t)cell_hash(gid, period) & mask;;
         i = (i + 1) & mask) {
        const tly_cell_slot *s = &c->slot[i];
        if (s->cell == 0) {
            return -1;
        }
        if (s->gid == gid && s->period == period) {
            return (long)(s->cell - 1);
        }
    }
}

static void slot_insert(tly_cell_slot *slot, size_t nslot, uint32_t gid,
                        int64_t period, uint32_t cell)
{
    size_t i = (size_t)cell_hash(gid, period) & (nslot - 1);
    while (slot[i].cell != 0) {
        i = (i + 1) & (nslot - 1);
    }
    slot[i].period = period;
    slot[i].gid = gid;
    slot[i].cell = cell;
}

/* Grow the per-cell arrays to cap cells (new cells are zeroed when
 * created).  Each array is reassigned as soon as it is reallocated. */
static int grow_cells(tly_cells *c, size_t cap)
{
    size_t k = c->nsum ? c->nsum : 1;
    uint32_t *gid = realloc(c->gid, cap * sizeof *gid);
    if (gid == NULL) {
        return 0;
    }
    c->gid = gid;
    int64_t *period = realloc(c->period, cap * sizeof *period);
    if (period == NULL) {
        return 0;
    }
    c->period = period;
    int64_t *count = realloc(c->count, cap * sizeof *count);
    if (count == NULL) {
        return 0;
    }
    c->count = count;
    int64_t *isum = realloc(c->isum, cap * k * sizeof *isum);
    if (isum == NULL) {
        return 0;
    }
    c->isum = isum;
    uint32_t *xsum = realloc(c->xsum, cap * k * sizeof *xsum);
    if (xsum == NULL) {
        return 0;
    }
    c->xsum = xsum;
    int64_t *miss = realloc(c->miss, cap * k * sizeof *miss);
    if (miss == NULL) {
        return 0;
    }
    c->miss = miss;
    c->cap = cap;
    return 1;
}

/* Remember cell i as the last one of its group. */
static void note_group_cell(tly_cells *c, uint32_t gid, size_t i)
{
    if (gid >= c->gcap) {
        size_t cap = c->gcap ? c->gcap : 16;
        while (cap <= gid) {
            cap *= 2;
        }
        uint32_t *g = realloc(c->gcell, cap * sizeof *g);
        if (g == NULL) {
            return; /* only a cache: lookups still work without it */
        }
        memset(g + c->gcap, 0, (cap - c->gcap) * sizeof *g);
        c->gcell = g;
        c->gcap = cap;
    }
    c->gcell[gid] = (uint32_t)(i + 1);
}

/* Give up the dense index of a group (its cells stay in the hash). */
static void dense_off(tly_cells *c, tly_dense *d)
{
    free(d->cell);
    c->dense_total -= d->len;
    d->cell = NULL;
    d->len = 0;
    d->off = 1;
}

/* The dense index entry of (gid, period), the index made or widened to
 * cover period (doubling, so that widening costs O(1) a period); NULL
 * when the group uses the hash table (past the budget, or out of
 * memory). */
static uint32_t *dense_entry(tly_cells *c, uint32_t gid, int64_t period)
{
    if (c->dense_failed) {
        return NULL;
    }
    if (gid >= c->ndense) {
        size_t cap = c->ndense ? c->ndense : 16;
        while (cap <= gid) {
            cap *= 2;
        }
        tly_dense *nd = realloc(c->dense, cap * sizeof *nd);
        if (nd == NULL) {
            /* A group whose cells would miss from its index, were one
             * made later: no more indexes. */
            c->dense_failed = 1;
            return NULL;
        }
        memset(nd + c->ndense, 0, (cap - c->ndense) * sizeof *nd);
        c->dense = nd;
        c->ndense = cap;
    }
    tly_dense *d = &c->dense[gid];
    if (d->off) {
        return NULL;
    }
    if (d->len > 0 && period >= d->base &&
        (uint64_t)(period - d->base) < d->len) {
        return &d->cell[period - d->base];
    }
    /* Widen to [lo, hi] and at least twice the old length, on the side
     * of the new period. */
    int64_t last = d->base + (int64_t)d->len - 1;
    int64_t lo = d->len > 0 && d->base < period ? d->base : period;
    int64_t hi = d->len > 0 && last > period ? last : period;
    uint64_t need = (uint64_t)(hi - lo) + 1;
    size_t len = d->len > 0 ? 2 * d->len : 16;
    if (need > TLY_DENSE_BUDGET ||
        c->dense_total - d->len + (need > len ? need : len) >
            TLY_DENSE_BUDGET) {
        dense_off(c, d);
        return NULL;
    }
    if (need > len) {
        len = (size_t)need;
    }
    int64_t base = d->len > 0 && period < d->base ? hi - (int64_t)len + 1 : lo;
    uint32_t *cell = calloc(len, sizeof *cell);
    if (cell == NULL) {
        dense_off(c, d);
        return NULL;
    }
    if (d->len > 0) {
        memcpy(cell + (d->base - base), d->cell, d->len * sizeof *cell);
    }
    free(d->cell);
    c->dense_total += len - d->len;
    d->cell = cell;
    d->len = len;
    d->base = base;
    return &d->cell[period - base];
}

long tly_cells_get(tly_cells *c, uint32_t gid, int64_t period)
{
    if (gid < c->gcap && c->gcell[gid] != 0 &&
        c->period[c->gcell[gid] - 1] == period) {
        c->last = c->gcell[gid];
        return (long)c->gcell[gid] - 1;
    }
    uint32_t *de = dense_entry(c, gid, period);
    long i = de != NULL ? (long)*de - 1 : tly_cells_find(c, gid, period);
    if (i >= 0) {
        c->last = (size_t)i + 1;
        note_group_cell(c, gid, (size_t)i);
        return i;
    }
    if (c->n == UINT32_MAX - 1) {
        TALLY_ERROR(TALLY_ENOMEM, "too many (group, period) cells");
        return -1;
    }
    if (c->n == c->cap && !grow_cells(c, c->cap ? 2 * c->cap : 64)) {
        TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        return -1;
    }
    if (2 * (c->n + 1) > c->nslot) {
        size_t nslot = c->nslot ? 2 * c->nslot : 128;
        tly_cell_slot *slot = calloc(nslot, sizeof *slot);
        if (slot == NULL) {
            TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            return -1;
        }
        for (size_t j = 0; j < c->n; j++) {
            slot_insert(slot, nslot, c->gid[j], c->period[j],
                        (uint32_t)(j + 1));
        }
        free(c->slot);
        c->slot = slot;
        c->nslot = nslot;
    }
    size_t j = c->n++;
    c->gid[j] = gid;
    c->period[j] = period;
    c->count[j] = 0;
    for (size_t k = 0; k < c->nsum; k++) {
        c->isum[j * c->nsum + k] = 0;
        c->xsum[j * c->nsum + k] = 0;
        c->miss[j * c->nsum + k] = 0;
    }
    slot_insert(c->slot, c->nslot, gid, period, (uint32_t)(j + 1));
    if (de != NULL) {
        *de = (uint32_t)(j + 1);
    }
    c->last = j + 1;
    note_group_cell(c, gid, j);
    return (long)j;
}

/* The exact sum of sum a of the cells, made (zero) if absent; NULL when
 * out of memory. */
static tly_exact *exact_of(tly_cells *c, size_t a)
{
    if (c->xsum[a] != 0) {
        return &c->xpool[c->xsum[a] - 1];
    }
    if (c->nx == UINT32_MAX - 1) {
        return NULL;
    }
    if (c->nx == c->xcap) {
        size_t cap = c->xcap ? 2 * c->xcap : 16;
        tly_exact *p = realloc(c->xpool, cap * sizeof *p);
        if (p == NULL) {
            return NULL;
        }
        c->xpool = p;
        c->xcap = cap;
    }
    memset(&c->xpool[c->nx], 0, sizeof c->xpool[0]);
    c->xsum[a] = (uint32_t)++c->nx;
    return &c->xpool[c->nx - 1];
}

/* Add an integer to sum a, spilling into its exact sum rather than
 * overflowing.  0 when out of memory. */
static int add_int(tly_cells *c, size_t a, int64_t v)
{
    if (c->isum[a] > INT64_MAX - v) {
        tly_exact *x = exact_of(c, a);
        if (x == NULL) {
            return 0;
        }
        tly_exact_add_int(x, v);
        return 1;
    }
    c->isum[a] += v;
    return 1;
}

int tly_events_add(tally_events *e, uint32_t gid, int64_t period,
                   const tly_val_kind *kinds, const int64_t *iv,
                   const double *dv)
{
    tly_cells *c = &e->cells;
    long i = tly_cells_get(c, gid, period);
    if (i < 0) {
        return TALLY_ENOMEM;
    }
    if (!e->have_range) {
        e->lo = e->hi = period;
        e->have_range = 1;
    } else if (period < e->lo) {
        e->lo = period;
    } else if (period > e->hi) {
        e->hi = period;
    }
    c->count[i]++;
    size_t base = (size_t)i * c->nsum;
    for (size_t k = 0; k < c->nsum; k++) {
        switch (kinds[k]) {
        case TLY_VAL_INT:
            if (!add_int(c, base + k, iv[k])) {
                return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            }
            break;
        case TLY_VAL_REAL: {
            tly_exact *x = exact_of(c, base + k);
            if (x == NULL) {
                return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            }
            tly_exact_add_double(x, dv[k]);
            break;
        }
        default:
            /* Missing: skipped or zero, the count is what matters. */
            c->miss[base + k]++;
            break;
        }
    }
    return TALLY_OK;
}

/* ------------------------------------------------------------------ */
/* Merge. */

static int same_options(const tally_events *a, const tally_events *b)
{
    if ((a->opt.group_col == NULL) != (b->opt.group_col == NULL) ||
        a->opt.nsum != b->opt.nsum || a->opt.freq != b->opt.freq ||
        a->opt.fold_case != b->opt.fold_case ||
        a->opt.missing != b->opt.missing) {
        return 0;
    }
    for (size_t k = 0; k < a->opt.nsum; k++) {
        if (strcmp(a->out_names[k], b->out_names[k]) != 0) {
            return 0;
        }
    }
    return 1;
}

int tally_events_merge(tally_events *dst, const tally_events *src)
{
    return tly_events_merge_at(dst, src, 0);
}

/* Line l of src is line l + off of dst's input (0: unknown, stays 0). */
static size_t shift_line(size_t l, size_t off)
{
    return l != 0 ? l + off : 0;
}

int tly_events_merge_at(tally_events *dst, const tally_events *src,
                        size_t line_offset)
{
    if (!same_options(dst, src)) {
        return TALLY_ERROR(
            TALLY_EINVAL,
            "cannot merge aggregates made with different options");
    }
    /* Groups by their clean-up key; the written spelling is the smaller of
     * the two, as within one run. */
    size_t ng = tly_groups_count(&src->groups);
    uint32_t *map = malloc((ng ? ng : 1) * sizeof *map);
    if (map == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    /* Ungrouped aggregates keep every row in group 0. */
    map[0] = 0;
    for (size_t g = 0; g < ng; g++) {
        /* The spelling is already clean: it must not be recoded again. */
        const char *d = src->groups.display[g];
        long id = tly_group_of_value(dst, d, strlen(d));
        if (id < 0) {
            free(map);
            return TALLY_ENOMEM;
        }
        map[g] = (uint32_t)id;
    }
    /* The spellings met (trimmed cells as written), so that the report
     * can say where a blank value went whichever part met it. */
    const tly_strmap *sr = &src->groups.raw;
    for (size_t r = 0; r < sr->n && ng > 0; r++) {
        const char *k = tly_strmap_key(sr, r);
        if (tly_strmap_find(&dst->groups.raw, k, sr->len[r], sr->hash[r]) < 0 &&
            tly_strmap_add(&dst->groups.raw, k, sr->len[r], sr->hash[r],
                           map[sr->val[r]], NULL) != TALLY_OK) {
            free(map);
            return TALLY_ENOMEM;
        }
    }
    const tly_cells *sc = &src->cells;
    tly_cells *dc = &dst->cells;
    size_t nsum = sc->nsum;
    for (size_t j = 0; j < sc->n; j++) {
        long i = tly_cells_get(dc, map[sc->gid[j]], sc->period[j]);
        if (i < 0) {
            free(map);
            return TALLY_ENOMEM;
        }
        dc->count[i] += sc->count[j];
        for (size_t k = 0; k < nsum; k++) {
            size_t a = (size_t)i * nsum + k;
            size_t b = j * nsum + k;
            if (!add_int(dc, a, sc->isum[b])) {
                free(map);
                return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            }
            if (sc->xsum[b] != 0) {
                tly_exact *x = exact_of(dc, a);
                if (x == NULL) {
                    free(map);
                    return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
                }
                tly_exact_add(x, &sc->xpool[sc->xsum[b] - 1]);
            }
            dc->miss[a] += sc->miss[b];
        }
    }
    free(map);
    if (src->have_range) {
        if (!dst->have_range) {
            dst->lo = src->lo;
            dst->hi = src->hi;
            dst->have_range = 1;
        } else {
            dst->lo = src->lo < dst->lo ? src->lo : dst->lo;
            dst->hi = src->hi > dst->hi ? src->hi : dst->hi;
        }
    }
    /* Accounting adds up; examples and listed rows of dst come first. */
    tally_events_report *r = &dst->rep;
    const tally_events_report *s = &src->rep;
    r->rows_read += s->rows_read;
    r->rows_aggregated += s->rows_aggregated;
    r->rows_bad += s->rows_bad;
    r->rows_unknown_date += s->rows_unknown_date;
    r->rows_outside += s->rows_outside;
    r->unknown_day += s->unknown_day;
    r->blank_group += s->blank_group;
    if (r->weekday_mismatch == 0 && s->weekday_mismatch > 0) {
        r->weekday_line = shift_line(s->weekday_line, line_offset);
        memcpy(r->weekday_text, s->weekday_text, sizeof r->weekday_text);
    }
    r->weekday_mismatch += s->weekday_mismatch;
    for (size_t i = 0; i < s->nlisted && r->nlisted < dst->opt.max_listed;
         i++) {
        r->listed[r->nlisted] = s->listed[i];
        r->listed[r->nlisted].line = shift_line(s->listed[i].line, line_offset);
        if (s->listed[i].input[0] == '\0' &&
            strcmp(src->name, dst->name) != 0) {
            /* A row of another input (a partial): name it. */
            snprintf(r->listed[r->nlisted].input,
                     sizeof r->listed[r->nlisted].input, "%s", src->name);
        }
        r->nlisted++;
    }
    for (size_t k = 0; k < nsum; k++) {
        tally_events_missing *m = &dst->missing[k];
        const tally_events_missing *n = &src->missing[k];
        if (m->text_line == 0 && n->text_line != 0) {
            m->text_line = shift_line(n->text_line, line_offset);
            memcpy(m->text_example, n->text_example, sizeof m->text_example);
        }
        if (m->negative_line == 0 && n->negative_line != 0) {
            m->negative_line = shift_line(n->negative_line, line_offset);
            memcpy(m->negative_example, n->negative_example,
                   sizeof m->negative_example);
        }
        m->blank += n->blank;
        m->text += n->text;
        m->negative += n->negative;
    }
    return TALLY_OK;
}

/* ------------------------------------------------------------------ */
/* The dense series. */

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

/* A group and its written spelling, to sort groups bytewise by name. */
typedef struct {
    const char *name; /* written spelling (borrowed) */
    uint32_t gid;     /* group id */
} group_ref;

static int cmp_group(const void *a, const void *b)
{
    return strcmp(((const group_ref *)a)->name, ((const group_ref *)b)->name);
}

/* Name a frame's columns and zero them. */
static int fill_frame(const tally_events *e, tally_frame *f)
{
    const tly_cells *c = &e->cells;
    size_t nsum = c->nsum;
    size_t j = 0;
    f->names[j++] = dupstr(e->opt.count_name);
    for (size_t k = 0; k < nsum; k++) {
        f->names[j++] = dupstr(e->out_names[k]);
    }
    if (e->opt.missing != TALLY_MISSING_FAIL) {
        for (size_t k = 0; k < nsum; k++) {
            f->names[j++] = dupstr(e->miss_names[k]);
        }
    }
    for (size_t i = 0; i < j; i++) {
        if (f->names[i] == NULL) {
            return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    /* Every period starts at 0; the cells are scattered in afterwards
     * (scatter_cells). */
    for (size_t col = 0; col < j; col++) {
        for (size_t t = 0; t < f->n; t++) {
            f->cols[col][t] = 0.0;
        }
    }
    return TALLY_OK;
}

/* Write each cell into its group's frame: one pass over the cells in
 * memory order, rather than one hash lookup per period of every group. */
static void scatter_cells(const tally_events *e, tally_frame *const *frames,
                          const size_t *frame_of)
{
    const tly_cells *c = &e->cells;
    size_t nsum = c->nsum;
    int grouped = e->opt.group_col != NULL;
    for (size_t i = 0; i < c->n; i++) {
        tally_frame *f = frames[grouped ? frame_of[c->gid[i]] : 0];
        int64_t t = c->period[i] - f->start;
        if (t < 0 || (size_t)t >= f->n) {
            continue;
        }
        f->cols[0][t] = (double)c->count[i];
        for (size_t k = 0; k < nsum; k++) {
            size_t a = i * nsum + k;
            f->cols[1 + k][t] =
                c->xsum[a] != 0
                    ? tly_exact_value(&c->xpool[c->xsum[a] - 1], c->isum[a])
                    : (double)c->isum[a];
            if (e->opt.missing != TALLY_MISSING_FAIL) {
                f->cols[1 + nsum + k][t] = (double)c->miss[a];
            }
        }
    }
}

int tally_events_frames(const tally_events *e, tally_frame_set **out)
{
    int64_t lo = e->opt.have_from ? e->opt.from : e->lo;
    int64_t hi = e->opt.have_to ? e->opt.to : e->hi;
    if ((!e->opt.have_from || !e->opt.have_to) && !e->have_range) {
        const tally_events_report *r = &e->rep;
        return TALLY_ERROR(
            TALLY_ETOOFEW,
            "%s: no incidents to aggregate (%llu rows read, none counted)",
            e->name, (unsigned long long)r->rows_read);
    }
    if (hi < lo) {
        return TALLY_ERROR(TALLY_ETOOFEW, "%s: nothing falls in the range",
                           e->name);
    }
    size_t n = (size_t)(hi - lo + 1);
    size_t ncol = 1 + e->opt.nsum +
                  (e->opt.missing != TALLY_MISSING_FAIL ? e->opt.nsum : 0);
    int grouped = e->opt.group_col != NULL;
    size_t ng = grouped ? tly_groups_count(&e->groups) : 1;
    tally_frame_set *set = calloc(1, sizeof *set);
    group_ref *order = malloc((ng ? ng : 1) * sizeof *order);
    if (set == NULL || order == NULL) {
        free(set);
        free(order);
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    int st = TALLY_OK;
    if (grouped && ng == 0) {
        /* A range was given but no row was counted: the series has no
         * group to write. */
        st =
            TALLY_ERROR(TALLY_ETOOFEW,
                        "%s: no incidents to aggregate, so no groups", e->name);
    }
    for (size_t g = 0; g < ng; g++) {
        order[g].gid = (uint32_t)g;
        order[g].name = grouped ? e->groups.display[g] : NULL;
    }
    if (grouped) {
        qsort(order, ng, sizeof *order, cmp_group);
        set->group_col = dupstr(e->opt.group_name);
        if (set->group_col == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    if (st == TALLY_OK) {
        set->frames = calloc(ng, sizeof *set->frames);
        if (set->frames == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    for (size_t g = 0; g < ng && st == TALLY_OK; g++) {
        tally_frame *f = tally_frame_alloc(e->opt.freq, lo, n, ncol);
        if (f == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            break;
        }
        set->frames[g] = f;
        set->nframes++;
        /* Ungrouped aggregates keep every row in group 0. */
        st = fill_frame(e, f);
        if (st == TALLY_OK && grouped) {
            f->group = dupstr(order[g].name);
            if (f->group == NULL) {
                st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            }
        }
    }
    if (st == TALLY_OK) {
        size_t *frame_of = malloc((ng ? ng : 1) * sizeof *frame_of);
        if (frame_of == NULL) {
            st = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        } else {
            for (size_t g = 0; g < ng; g++) {
                frame_of[order[g].gid] = g;
            }
            scatter_cells(e, set->frames, frame_of);
            free(frame_of);
        }
    }
    free(order);
    if (st != TALLY_OK) {
        tally_frame_set_free(set);
        return st;
    }
    *out = set;
    return TALLY_OK;
}

int tally_events_write(FILE *fp, const tally_events *e)
{
    tally_frame_set *set = NULL;
    int st = tally_events_frames(e, &set);
    if (st != TALLY_OK) {
        return st;
    }
    st = tally_series_write(fp, set);
    tally_frame_set_free(set);
    return st;
}
