/* SPDX-License-Identifier: MIT
 *
 * Clean-up of event cells: what a summed cell holds (a count, or one of
 * the kinds of missing), and which group a grouping cell belongs to after
 * trimming, recoding and case folding.  Recode tables (--recode,
 * --recode-file) are built here too.
 *
 * Group values are resolved once per distinct spelling: the first time a
 * spelling is seen it goes through the clean-up and its group id is
 * remembered, so a row costs one hash lookup however many recodes there
 * are.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"
#include "tally/tally_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 2^53: integers below it are exact doubles, and sums of them stay exact
 * in int64 far beyond any event file. */
#define EXACT_INT_LIMIT 9007199254740992.0

/* The text a blank group value is written as. */
#define BLANK_GROUP "NA"

const char *tly_trim(const char *s, size_t *len)
{
    size_t n = *len;
    while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    *len = n;
    return s;
}

void tly_fold(char *dst, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
}

tly_val_kind tly_value_parse(const char *s, size_t len, int64_t *iv, double *dv)
{
    if (len == 0) {
        return TLY_VAL_BLANK;
    }
    /* Fast path: up to 15 digits, always below 2^53. */
    if (len <= 15) {
        int64_t v = 0;
        size_t i = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (s[i] - '0');
            i++;
        }
        if (i == len) {
            *iv = v;
            return TLY_VAL_INT;
        }
    }
    char buf[64];
    if (len >= sizeof buf) {
        return TLY_VAL_TEXT;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    double v;
    if (!tally_parse_double(buf, &v)) {
        return TLY_VAL_TEXT;
    }
    if (v < 0) {
        return TLY_VAL_NEGATIVE;
    }
    if (v == floor(v) && v < EXACT_INT_LIMIT) {
        *iv = (int64_t)v;
        return TLY_VAL_INT;
    }
    *dv = v;
    return TLY_VAL_REAL;
}

/* ------------------------------------------------------------------ */
/* Recode tables. */

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

tally_recode *tally_recode_alloc(void)
{
    tally_recode *r = calloc(1, sizeof *r);
    if (r != NULL) {
        tly_strmap_init(&r->from);
    }
    return r;
}

void tly_recode_fini(tally_recode *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->to[i]);
    }
    free(r->to);
    tly_strmap_fini(&r->from);
    memset(r, 0, sizeof *r);
}

void tally_recode_free(tally_recode *r)
{
    if (r == NULL) {
        return;
    }
    tly_recode_fini(r);
    free(r);
}

size_t tally_recode_count(const tally_recode *r)
{
    return r == NULL ? 0 : r->n;
}

/* Add from (len bytes) -> to, refusing a second, different target. */
static int recode_add_n(tally_recode *r, const char *from, size_t flen,
                        const char *to, size_t tlen)
{
    uint64_t h = tly_hash_bytes(from, flen);
    long e = tly_strmap_find(&r->from, from, flen, h);
    if (e >= 0) {
        const char *old = r->to[r->from.val[e]];
        if (strlen(old) == tlen && memcmp(old, to, tlen) == 0) {
            return TALLY_OK;
        }
        return TALLY_ERROR(TALLY_EINVAL,
                           "recode maps '%.*s' to both '%s' and '%.*s'",
                           (int)flen, from, old, (int)tlen, to);
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 8;
        char **p = realloc(r->to, cap * sizeof *p);
        if (p == NULL) {
            return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
        r->to = p;
        r->cap = cap;
    }
    char *t = dup_n(to, tlen);
    if (t == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    if (tly_strmap_add(&r->from, from, flen, h, (uint32_t)r->n, NULL) !=
        TALLY_OK) {
        free(t);
        return TALLY_ENOMEM;
    }
    r->to[r->n++] = t;
    return TALLY_OK;
}

int tally_recode_add(tally_recode *r, const char *from, const char *to)
{
    size_t fl = strlen(from);
    size_t tl = strlen(to);
    const char *f = tly_trim(from, &fl);
    const char *t = tly_trim(to, &tl);
    if (tl == 0) {
        return TALLY_ERROR(TALLY_EINVAL, "recode of '%s' has an empty target",
                           from);
    }
    return recode_add_n(r, f, fl, t, tl);
}

int tally_recode_parse(tally_recode *r, const char *spec)
{
    const char *p = spec;
    for (;;) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        if (eq == NULL) {
            return TALLY_ERROR(
                TALLY_EINVAL,
                "recode item '%.*s' is not FROM=TO (values with commas go in "
                "a --recode-file)",
                (int)n, p);
        }
        size_t fl = (size_t)(eq - p);
        size_t tl = n - fl - 1;
        const char *f = tly_trim(p, &fl);
        const char *t = tly_trim(eq + 1, &tl);
        if (tl == 0) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "recode item '%.*s' has an empty target", (int)n,
                               p);
        }
        int st = recode_add_n(r, f, fl, t, tl);
        if (st != TALLY_OK) {
            return st;
        }
        if (p[n] == '\0') {
            return TALLY_OK;
        }
        p += n + 1;
    }
}

/* Prefix the last error with the file and line it came from. */
static int with_place(int st, const char *path, size_t line)
{
    char why[256];
    snprintf(why, sizeof why, "%s", tally_last_error());
    return TALLY_ERROR(st, "%s:%zu: %s", path, line, why);
}

int tally_recode_read(tally_recode *r, const char *path)
{
    tally_table *t = NULL;
    int st = tally_table_read(path, NULL, &t);
    if (st != TALLY_OK) {
        return st;
    }
    if (t->ncol != 2) {
        st = TALLY_ERROR(TALLY_EPARSE,
                         "%s:1:1: a recode file has two columns (from,to), "
                         "found %zu",
                         t->path, t->ncol);
        tally_table_free(t);
        return st;
    }
    /* A header "from,to" names the columns; any other first row is a
     * mapping like the rest. */
    char a[5] = {0}, b[3] = {0};
    size_t la = strlen(t->header[0]);
    size_t lb = strlen(t->header[1]);
    if (la == 4 && lb == 2) {
        tly_fold(a, t->header[0], 4);
        tly_fold(b, t->header[1], 2);
    }
    if (!(strcmp(a, "from") == 0 && strcmp(b, "to") == 0)) {
        st = tally_recode_add(r, t->header[0], t->header[1]);
        if (st != TALLY_OK) {
            st = with_place(st, t->path, 1);
        }
    }
    for (size_t i = 0; i < t->nrow && st == TALLY_OK; i++) {
        if (t->cells[i][1][0] == '\0') {
            st = TALLY_ERROR(TALLY_EPARSE, "%s:%zu:2: empty recode target",
                             t->path, t->line[i]);
            break;
        }
        st = tally_recode_add(r, t->cells[i][0], t->cells[i][1]);
        if (st != TALLY_OK) {
            st = with_place(st, t->path, t->line[i]);
        }
    }
    tally_table_free(t);
    return st;
}

int tly_recode_compile(tally_recode *dst, const tally_recode *src,
                       int fold_case)
{
    memset(dst, 0, sizeof *dst);
    tly_strmap_init(&dst->from);
    if (src == NULL) {
        return TALLY_OK;
    }
    for (size_t e = 0; e < src->from.n; e++) {
        const char *from = tly_strmap_key(&src->from, e);
        size_t fl = src->from.len[e];
        const char *to = src->to[src->from.val[e]];
        char *key = dup_n(from, fl);
        if (key == NULL) {
            tly_recode_fini(dst);
            return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
        if (fold_case) {
            tly_fold(key, from, fl);
        }
        int st = recode_add_n(dst, key, fl, to, strlen(to));
        free(key);
        if (st != TALLY_OK) {
            tly_recode_fini(dst);
            return st;
        }
    }
    return TALLY_OK;
}

/* ------------------------------------------------------------------ */
/* Groups. */

void tly_groups_init(tly_groups *g)
{
    tly_strmap_init(&g->keys);
    tly_strmap_init(&g->raw);
    g->display = NULL;
    g->display_cap = 0;
    memset(g->recent, 0, sizeof g->recent);
}

/* The slot of a cell in the cache of recent spellings: its length and
 * first and last bytes tell most group names apart. */
static size_t recent_slot(const char *s, size_t len)
{
    size_t h = len * 31u;
    if (len > 0) {
        h += (size_t)(unsigned char)s[0] * 7u + (unsigned char)s[len - 1];
    }
    return h & (TLY_GROUP_RECENT - 1);
}

void tly_groups_fini(tly_groups *g)
{
    for (size_t i = 0; i < g->keys.n; i++) {
        free(g->display[i]);
    }
    free(g->display);
    tly_strmap_fini(&g->keys);
    tly_strmap_fini(&g->raw);
}

size_t tly_groups_count(const tly_groups *g)
{
    return g->keys.n;
}

/* The group of a clean value (recoded, not folded): found by its key, or
 * created.  The written spelling is the bytewise smallest of those seen,
 * which does not depend on the order of rows (so merges agree). */
long tly_group_of_value(tally_events *e, const char *v, size_t len)
{
    tly_groups *g = &e->groups;
    char *key = dup_n(v, len);
    if (key == NULL) {
        TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        return -1;
    }
    if (e->opt.fold_case) {
        tly_fold(key, v, len);
    }
    uint64_t h = tly_hash_bytes(key, len);
    long id = tly_strmap_find(&g->keys, key, len, h);
    if (id >= 0) {
        free(key);
        /* Folding changes only ASCII letters, so every spelling of a key
         * has its length; a bytewise smaller one replaces the written
         * spelling. */
        if (memcmp(v, g->display[id], len) < 0) {
            char *d = dup_n(v, len);
            if (d == NULL) {
                TALLY_ERROR(TALLY_ENOMEM, "out of memory");
                return -1;
            }
            free(g->display[id]);
            g->display[id] = d;
        }
        return id;
    }
    size_t n = g->keys.n;
    if (n == g->display_cap) {
        /* Doubling keeps a column of mostly distinct values linear. */
        size_t cap = n ? 2 * n : 16;
        char **disp = realloc(g->display, cap * sizeof *disp);
        if (disp == NULL) {
            free(key);
            TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            return -1;
        }
        g->display = disp;
        g->display_cap = cap;
    }
    g->display[n] = dup_n(v, len);
    if (g->display[n] == NULL ||
        tly_strmap_add(&g->keys, key, len, h, (uint32_t)n, NULL) != TALLY_OK) {
        free(g->display[n]);
        free(key);
        TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        return -1;
    }
    free(key);
    return (long)n;
}

long tly_group_id(tally_events *e, const char *s, size_t len)
{
    tly_groups *g = &e->groups;
    size_t slot = recent_slot(s, len);
    uint32_t c = g->recent[slot];
    if (c != 0 && g->raw.len[c - 1] == len &&
        memcmp(tly_strmap_key(&g->raw, c - 1), s, len) == 0) {
        return (long)g->raw.val[c - 1];
    }
    uint64_t h = tly_hash_bytes(s, len);
    long r = tly_strmap_find(&g->raw, s, len, h);
    if (r >= 0) {
        g->recent[slot] = (uint32_t)r + 1;
        return (long)g->raw.val[r];
    }
    /* A spelling not seen before: recode (matching folded when folding),
     * then a blank value becomes NA, then find its group. */
    const char *v = s;
    size_t vlen = len;
    if (e->have_recode) {
        char small[128];
        char *key = len < sizeof small ? small : malloc(len + 1);
        if (key == NULL) {
            TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            return -1;
        }
        if (e->opt.fold_case) {
            tly_fold(key, s, len);
        } else {
            memcpy(key, s, len);
        }
        long k = tly_strmap_find(&e->recode.from, key, len,
                                 tly_hash_bytes(key, len));
        if (key != small) {
            free(key);
        }
        if (k >= 0) {
            v = e->recode.to[e->recode.from.val[k]];
            vlen = strlen(v);
        }
    }
    if (vlen == 0) {
        v = BLANK_GROUP;
        vlen = strlen(BLANK_GROUP);
    }
    long id = tly_group_of_value(e, v, vlen);
    if (id < 0) {
        return -1;
    }
    size_t idx;
    if (tly_strmap_add(&g->raw, s, len, h, (uint32_t)id, &idx) != TALLY_OK) {
        return -1;
    }
    g->recent[slot] = (uint32_t)idx + 1;
    return id;
}
