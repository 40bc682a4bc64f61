/* SPDX-License-Identifier: MIT
 *
 * Internals of the event aggregator (tally_events.h), shared by its files:
 *   events_alloc.c   options, allocation, freeing
 *   events_map.c     string hash map (group spellings, recodes)
 *   events_clean.c   cell clean-up: numbers, group values, recode tables
 *   events_agg.c     the (group, period) aggregate cells, merge, frames
 *   events_read.c    the streaming loader on libcsv
 *   events_fast.c    the fast path: plain lines split in place
 *   events_split.c   a file read in byte ranges, one thread each
 *   events_exact.c   exact sums of non-integer values
 *   events_partial.c partial aggregates written and read back (merge)
 *   events_row.c     the header and each record: checks and accounting
 *   events_report.c  the report printer
 * Nothing here is installed.
 */
#ifndef TALLY_EVENTS_INT_H
#define TALLY_EVENTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include <csv.h>

#include "tally/tally_events.h"

/* ------------------------------------------------------------------ */
/* String -> uint32 map with open addressing.  Keys live in one arena, so
 * adding a key costs no allocation per key (the arena grows by doubling). */
typedef struct {
    char *arena;      /* NUL-terminated keys, back to back */
    size_t arena_len; /* bytes used */
    size_t arena_cap; /* bytes allocated */
    size_t *off;      /* n key offsets into arena */
    size_t *len;      /* n key lengths */
    uint64_t *hash;   /* n key hashes */
    uint32_t *val;    /* n values */
    size_t n;         /* entries */
    size_t cap;       /* capacity of the entry arrays */
    uint32_t *slot;   /* nslot slots: entry index + 1, 0 when empty */
    size_t nslot;     /* power of two, kept >= 2n */
} tly_strmap;

uint64_t tly_hash_bytes(const char *s, size_t len);
void tly_strmap_init(tly_strmap *m);
void tly_strmap_fini(tly_strmap *m);
/* Entry index of the key, or -1. */
long tly_strmap_find(const tly_strmap *m, const char *s, size_t len,
                     uint64_t h);
/* Add a key known to be absent; its entry index is returned in *idx.
 * TALLY_OK or TALLY_ENOMEM. */
int tly_strmap_add(tly_strmap *m, const char *s, size_t len, uint64_t h,
                   uint32_t val, size_t *idx);
/* The key of entry idx (NUL-terminated; borrowed until the next add). */
const char *tly_strmap_key(const tly_strmap *m, size_t idx);

/* ------------------------------------------------------------------ */
/* Cell clean-up. */

/* What a cell of a summed column holds. */
typedef enum {
    TLY_VAL_INT = 0, /* a non-negative integer below 2^53: *iv */
    TLY_VAL_REAL,    /* another non-negative finite number: *dv */
    TLY_VAL_BLANK,   /* empty */
    TLY_VAL_TEXT,    /* not a number */
    TLY_VAL_NEGATIVE /* a negative number */
} tly_val_kind;

/* Classify and convert a cell (already trimmed). */
tly_val_kind tly_value_parse(const char *s, size_t len, int64_t *iv,
                             double *dv);

/* Trim spaces and tabs from both ends of s[0..*len); returns the new
 * start. */
const char *tly_trim(const char *s, size_t *len);

/* ASCII lower case of s into dst (len bytes). */
void tly_fold(char *dst, const char *s, size_t len);

/* The recode table: from (folded when compiled for fold_case) -> to. */
struct tally_recode {
    tly_strmap from; /* from -> index into to[] */
    char **to;       /* targets */
    size_t n;        /* mappings */
    size_t cap;      /* capacity of to[] */
};

/* ------------------------------------------------------------------ */
/* ------------------------------------------------------------------ */
/* Exact sums of non-negative doubles (events_exact.c): N * 2^-1074 with N
 * in TLY_XLIMBS 64-bit limbs, least significant first. */
#define TLY_XLIMBS 34
typedef struct {
    uint64_t limb[TLY_XLIMBS];
} tly_exact;

/* Add a non-negative finite double, a non-negative integer, another sum. */
void tly_exact_add_double(tly_exact *x, double v);
void tly_exact_add_int(tly_exact *x, int64_t v);
void tly_exact_add(tly_exact *x, const tly_exact *y);
/* The double nearest to x + extra (ties to even). */
double tly_exact_value(const tly_exact *x, int64_t extra);
int tly_exact_is_zero(const tly_exact *x);
/* Text form for partial aggregates ("0", or "L:" and hex limbs from the
 * highest down to limb L); buf of TLY_XTEXT bytes.  Parse returns 1 on
 * success. */
#define TLY_XTEXT (8 + 16 * TLY_XLIMBS)
void tly_exact_format(const tly_exact *x, char *buf, size_t size);
int tly_exact_parse(const char *s, tly_exact *x);

/* A slot of the cell hash table: the key is kept beside the cell index,
 * so that a probe reads one cache line. */
typedef struct {
    int64_t period; /* the cell's period */
    uint32_t gid;   /* its group */
    uint32_t cell;  /* cell index + 1, 0 when empty */
} tly_cell_slot;

/* A group's dense index of its cells by period: cell[p - base] is the
 * cell of period p + 1 (0: none) for p in base .. base + len - 1.  Rows
 * come roughly in date order, so lookups walk it like an array (the
 * hash table's random probes were one cache miss each). */
typedef struct {
    int64_t base;   /* first period covered */
    uint32_t *cell; /* len entries */
    size_t len;     /* periods covered (0: no index yet) */
    int off;        /* 1: this group uses the hash table only */
} tly_dense;

/* Entries of all dense indexes together, at most (16 MB): past it, groups
 * use the hash table alone, so memory stays bounded by the cells. */
#define TLY_DENSE_BUDGET ((size_t)1 << 22)

/* Aggregate cells, one per (group, period) seen. */
typedef struct {
    size_t nsum;         /* summed columns */
    size_t n;            /* cells */
    size_t cap;          /* capacity of the per-cell arrays */
    uint32_t *gid;       /* group of each cell */
    int64_t *period;     /* period of each cell */
    int64_t *count;      /* incidents */
    int64_t *isum;       /* n * nsum sums of integer cells */
    uint32_t *xsum;      /* n * nsum: exact sum of the cell's non-integer
                            values (and int64 overflows) as index + 1 into
                            xpool, 0 when there is none */
    tly_exact *xpool;    /* exact sums, made only where needed */
    size_t nx;           /* entries of xpool used */
    size_t xcap;         /* entries allocated */
    int64_t *miss;       /* n * nsum missing cells */
    tly_cell_slot *slot; /* nslot hash slots */
    size_t nslot;        /* power of two, kept >= 2n */
    size_t last;         /* the last cell used + 1 (rows often repeat it) */
    uint32_t *gcell;     /* per group id: its last cell used + 1 (0: none),
                            because rows of one period come together while
                            their groups alternate */
    size_t gcap;         /* entries of gcell */
    tly_dense *dense;    /* per group id: its dense index (every cell of a
                            group with an index is in it; every cell is in
                            the hash table too) */
    size_t ndense;       /* entries of dense */
    size_t dense_total;  /* entries of all indexes */
    int dense_failed;    /* 1 after an allocation failure: no group gets
                            an index any more */
} tly_cells;

void tly_cells_init(tly_cells *c, size_t nsum);
void tly_cells_fini(tly_cells *c);
/* The cell of (gid, period), created (zero) if absent: its index, or -1
 * when out of memory. */
long tly_cells_get(tly_cells *c, uint32_t gid, int64_t period);
/* The cell of (gid, period), or -1 when absent. */
long tly_cells_find(const tly_cells *c, uint32_t gid, int64_t period);

/* Slots of the cache of recent group spellings (a power of two). */
#define TLY_GROUP_RECENT 64

/* Groups: the clean-up key (recoded, folded) -> group id, each with the
 * spelling written out (the bytewise smallest spelling that mapped to it,
 * so the choice does not depend on row order). */
typedef struct {
    tly_strmap keys;                   /* key -> gid (entry index == gid) */
    tly_strmap raw;                    /* trimmed cell as written -> gid */
    char **display;                    /* ngroups output spellings */
    size_t display_cap;                /* capacity of display */
    uint32_t recent[TLY_GROUP_RECENT]; /* entry of raw + 1 (0: none) last
                                          met in each slot of a small
                                          direct-mapped cache, keyed by the
                                          length and end bytes of the
                                          cell: most rows skip the hash */
} tly_groups;

/* ------------------------------------------------------------------ */
/* Roles of the columns the loader keeps from each row. */
enum {
    TLY_ROLE_DATE = 0,
    TLY_ROLE_YEAR,
    TLY_ROLE_MONTH,
    TLY_ROLE_DAY,
    TLY_ROLE_GROUP,
    TLY_ROLE_SUM0 /* TLY_ROLE_SUM0 + k: summed column k */
};

/* The aggregation: options, loader state, aggregates and accounting. */
struct tally_events {
    /* Options (strings owned). */
    tally_events_options opt;      /* copy; string members point below */
    char **owned;                  /* strings copied from the options */
    size_t nowned;                 /* count of owned */
    tally_date_format date_format; /* copy of *opt.date_format */
    tally_events_sum *sums;        /* nsum copies */
    char **out_names;              /* nsum output names of the sums */
    char **miss_names;             /* nsum "<name>_missing" */
    tally_recode recode;           /* compiled recode (folded if needed) */
    int have_recode;               /* recode holds mappings */
    char *name;                    /* input name used in messages */

    /* Loader (events_read.c). */
    struct csv_parser parser;      /* libcsv state */
    int parser_ready;              /* csv_init succeeded */
    size_t line;                   /* current physical line (1-based) */
    int prev_cr;                   /* last byte fed was CR */
    int row_open;                  /* a record has started on row_line */
    size_t row_line;               /* line where the current record began */
    size_t bom_matched;            /* UTF-8 BOM bytes matched so far */
    int bom_checked;               /* 1 once the BOM question is settled */
    unsigned char first[2];        /* the first two bytes of the input */
    size_t nfirst;                 /* how many of them have arrived */
    int have_header;               /* the header row has been read */
    char **header;                 /* ncol header names (trimmed) */
    size_t ncol;                   /* header fields */
    size_t header_cap;             /* capacity of header while reading */
    long *slot_of_col;             /* ncol: field slot kept, or -1 */
    long role_slot[TLY_ROLE_SUM0]; /* slot of date/year/month/day/group */
    long *sum_slot;                /* nsum slots of the summed columns */
    size_t *slot_col;              /* nslot: column of each slot */
    size_t nslot;                  /* kept fields per row */
    size_t *slot_off;              /* nslot: offsets into buf */
    size_t *slot_len;              /* nslot: lengths */
    size_t *slot_line;             /* nslot: line the field ended on */
    const char **slot_ptr;         /* nslot: the current row's kept fields
                                      (into buf, or into the input on the
                                      fast path) */
    char *buf;                     /* the current row's kept fields */
    size_t buf_len;                /* bytes used in buf */
    size_t buf_cap;                /* bytes allocated */
    size_t field;                  /* fields seen in the current record */
    int first_blank;               /* field 0 of this record was empty */
    tly_val_kind *kinds;           /* nsum: the current row's cells */
    int64_t *ival;                 /* nsum: their integer values */
    double *dval;                  /* nsum: their other values */
    int status;                    /* first error, sticky */
    int pure;                      /* 1: every byte goes through libcsv */
    int fast;                      /* 1: at a record start in the fast
                                      path: whole plain lines are split in
                                      place (events_fast.c) */
    char *carry;                   /* fast path: the start of a line that
                                      a later chunk completes */
    size_t carry_len;              /* bytes in carry */
    size_t carry_cap;              /* bytes allocated */
    long max_kept_col;             /* last column holding a kept field */
    size_t ranges_merged;          /* threaded reader: ranges merged (the
                                      rest was read again serially) */
    char *partial_options;         /* read from partials: their options as
                                      canonical JSON, which every further
                                      partial must match; else NULL */
    char *first_input;             /* read from partials: the first one's
                                      input name */
    size_t nparts;                 /* partials merged into it */
    int finished;                  /* tally_events_finish was called */

    /* Aggregates (events_agg.c). */
    tly_groups groups; /* group values */
    tly_cells cells;   /* (group, period) cells */
    int have_range;    /* some cell exists */
    int64_t lo;        /* smallest period aggregated */
    int64_t hi;        /* largest period aggregated */

    /* Accounting. */
    tally_events_report rep;       /* counts and the listed bad rows */
    tally_events_missing *missing; /* nsum per-column missing counts */
};

/* Group id of a trimmed cell (clean-up applied); -1 when out of memory. */
long tly_group_id(tally_events *e, const char *s, size_t len);
/* Group id of a value already cleaned (recoded, NA for blank): used when
 * merging.  -1 when out of memory. */
long tly_group_of_value(tally_events *e, const char *v, size_t len);
void tly_groups_init(tly_groups *g);
void tly_groups_fini(tly_groups *g);
/* Number of groups. */
size_t tly_groups_count(const tly_groups *g);

/* Compile the recode table for this aggregation (folding the from side
 * when fold_case).  TALLY_OK or TALLY_ENOMEM. */
int tly_recode_compile(tally_recode *dst, const tally_recode *src,
                       int fold_case);
void tly_recode_fini(tally_recode *r);

/* Feed bytes to libcsv in pieces that end at a line end (the reference
 * path, events_read.c).  Returns e->status. */
int tly_events_feed_pieces(tally_events *e, const char *buf, size_t len);

/* The same, but with until_record_start stop after the first piece ending
 * in LF that leaves libcsv waiting for a new record (header read, no
 * error), setting e->fast.  Returns the bytes consumed. */
size_t tly_events_feed_slow(tally_events *e, const char *buf, size_t len,
                            int until_record_start);

/* The fast path (events_fast.c): feed bytes, splitting lines that hold no
 * quote and no CR in place and handing the others to libcsv; the result
 * is that of tly_events_feed_pieces on the same bytes.  Returns e->status. */
int tly_events_feed_fast(tally_events *e, const char *buf, size_t len);

/* End of input on the fast path: a carried line goes to libcsv. */
int tly_events_flush_fast(tally_events *e);

/* A record has ended: nfield fields were seen, the kept ones are in
 * slot_ptr/slot_len/slot_line.  Counts it (rows_read) and checks it. */
void tly_events_record(tally_events *e, size_t nfield);

/* tally_events_merge where line l of src's input is line l + line_offset
 * of dst's (the line numbers of the report are moved). */
int tly_events_merge_at(tally_events *dst, const tally_events *src,
                        size_t line_offset);

/* Aggregate buf in byte ranges [0, cut[0]), [cut[0], cut[1]), ...,
 * [cut[ncut-1], len), each range after the first in its own thread, then
 * merge them in order.  Each cut must follow an LF.  A range is merged
 * only when the range before it ended at a record start and it ended
 * without error; otherwise the rest of the input from its start is
 * aggregated serially after the ranges merged so far.  The result is
 * always that of one serial pass.  On failure *out still holds the
 * stopped aggregation (or NULL). */
int tly_events_read_split_mem(const char *name, const char *buf, size_t len,
                              const size_t *cut, size_t ncut,
                              const tally_events_options *o,
                              tally_events **out);

/* tally_events_read_file on a stream (a pipe, "-" for stdin), serially
 * through one buffer. */
int tly_events_stream(const char *path, const tally_events_options *o,
                      tally_events **out);

/* Change the input name used in messages and the report (bad rows listed
 * so far keep the old one).  TALLY_OK or TALLY_ENOMEM. */
int tly_events_rename(tally_events *e, const char *name);

/* Count one aggregated row: its cell and values.  kinds, iv and dv hold
 * the nsum parsed cells.  TALLY_OK or TALLY_ENOMEM. */
int tly_events_add(tally_events *e, uint32_t gid, int64_t period,
                   const tly_val_kind *kinds, const int64_t *iv,
                   const double *dv);

/* The header has been read: choose the kept fields (sets e->status on an
 * absent or ambiguous column). */
void tly_events_header(tally_events *e);

/* A complete record with the right number of fields: check it and count
 * it (aggregated, bad, unknown date or outside the range). */
void tly_events_row(tally_events *e);

/* A bad row at line, column (1-based): fail with TALLY_EPARSE, or count
 * it and list it when bad rows are skipped. */
void tly_events_bad_row(tally_events *e, size_t line, size_t col,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif /* TALLY_EVENTS_INT_H */
