/* SPDX-License-Identifier: MIT
 *
 * A string -> uint32 hash map for the event aggregator: group spellings,
 * clean-up keys and recode tables.  Open addressing with linear probing
 * over a power-of-two slot array kept at most half full; keys are copied
 * into one growing arena so that adding a key allocates nothing per key.
 * The hash reads eight bytes at a time and needs no seed, so runs are
 * reproducible (it decides only where keys sit, never an output).
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <stdlib.h>
#include <string.h>

uint64_t tly_hash_bytes(const char *s, size_t len)
{
    /* Eight bytes at a time: each word is mixed in with a multiply and a
     * shift (the step of a multiplicative hash), the length seeds it, and
     * the splitmix64 finaliser spreads the result over all bits.  Words
     * are read with memcpy, so alignment does not matter; the last partial
     * word is zero-padded. */
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
    }
    if (i < len) {
        uint64_t w = 0;
        memcpy(&w, s + i, len - i);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
    }
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBULL;
    h ^= h >> 31;
    return h;
}

void tly_strmap_init(tly_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void tly_strmap_fini(tly_strmap *m)
{
    free(m->arena);
    free(m->off);
    free(m->len);
    free(m->hash);
    free(m->val);
    free(m->slot);
    memset(m, 0, sizeof *m);
}

long tly_strmap_find(const tly_strmap *m, const char *s, size_t len, uint64_t h)
{
    if (m->nslot == 0) {
        return -1;
    }
    size_t mask = m->nslot - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint32_t e = m->slot[i];
        if (e == 0) {
            return -1;
        }
        e--;
        if (m->hash[e] == h && m->len[e] == len &&
            memcmp(m->arena + m->off[e], s, len) == 0) {
            return (long)e;
        }
    }
}

/* Double the slot array and reinsert every entry. */
static int rehash(tly_strmap *m)
{
    size_t nslot = m->nslot ? 2 * m->nslot : 16;
    uint32_t *slot = calloc(nslot, sizeof *slot);
    if (slot == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t e = 0; e < m->n; e++) {
        size_t i = (size_t)m->hash[e] & (nslot - 1);
        while (slot[i] != 0) {
            i = (i + 1) & (nslot - 1);
        }
        slot[i] = (uint32_t)(e + 1);
    }
    free(m->slot);
    m->slot = slot;
    m->nslot = nslot;
    return TALLY_OK;
}

/* Grow the entry arrays to cap entries.  Each array is reassigned as soon
 * as it is reallocated, so a failure part way leaves a consistent map. */
static int grow_entries(tly_strmap *m, size_t cap)
{
    size_t *off = realloc(m->off, cap * sizeof *off);
    if (off == NULL) {
        return 0;
    }
    m->off = off;
    size_t *len = realloc(m->len, cap * sizeof *len);
    if (len == NULL) {
        return 0;
    }
    m->len = len;
    uint64_t *hash = realloc(m->hash, cap * sizeof *hash);
    if (hash == NULL) {
        return 0;
    }
    m->hash = hash;
    uint32_t *val = realloc(m->val, cap * sizeof *val);
    if (val == NULL) {
        return 0;
    }
    m->val = val;
    m->cap = cap;
    return 1;
}

int tly_strmap_add(tly_strmap *m, const char *s, size_t len, uint64_t h,
                   uint32_t val, size_t *idx)
{
    if (m->n == UINT32_MAX - 1) {
        return TALLY_ERROR(TALLY_ENOMEM, "too many distinct values");
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 16;
        if (!grow_entries(m, cap)) {
            return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
    }
    if (m->arena_len + len + 1 > m->arena_cap) {
        size_t cap = m->arena_cap ? m->arena_cap : 256;
        while (cap < m->arena_len + len + 1) {
            cap *= 2;
        }
        char *arena = realloc(m->arena, cap);
        if (arena == NULL) {
            return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        }
        m->arena = arena;
        m->arena_cap = cap;
    }
    if (2 * (m->n + 1) > m->nslot && rehash(m) != TALLY_OK) {
        return TALLY_ENOMEM;
    }
    size_t e = m->n++;
    memcpy(m->arena + m->arena_len, s, len);
    m->arena[m->arena_len + len] = '\0';
    m->off[e] = m->arena_len;
    m->len[e] = len;
    m->hash[e] = h;
    m->val[e] = val;
    m->arena_len += len + 1;
    size_t mask = m->nslot - 1;
    size_t i = (size_t)h & mask;
    while (m->slot[i] != 0) {
        i = (i + 1) & mask;
    }
    m->slot[i] = (uint32_t)(e + 1);
    if (idx != NULL) {
        *idx = e;
    }
    return TALLY_OK;
}

const char *tly_strmap_key(const tly_strmap *m, size_t idx)
{
    return m->arena + m->off[idx];
}
