/* SPDX-License-Identifier: MIT
 *
 * Frames: a time series table with one row per period, contiguous (no
 * holes), one column per variable, and optionally one frame per group.
 * Unknown values are NaN.  A series file (CLI.md, "Series files") reads
 * into a tally_frame_set: one frame per group, groups sorted by name.
 */
#ifndef TALLY_FRAME_H
#define TALLY_FRAME_H

#include <stddef.h>
#include <stdio.h>

#include "tally/tally_period.h"
#include "tally/tally_table.h"

typedef struct {
    tally_freq freq;     /* periods per year */
    tally_period start;  /* first period */
    size_t n;            /* number of periods (rows) */
    size_t ncol;         /* number of variables */
    char **names;        /* ncol variable names */
    double **cols;       /* ncol arrays of n values (NaN = missing) */
    char *group;         /* group value, or NULL for an ungrouped file */
} tally_frame;

typedef struct {
    char *group_col;     /* name of the grouping column, or NULL */
    size_t nframes;      /* number of groups (1 when ungrouped) */
    tally_frame **frames;/* frames sorted by group value */
} tally_frame_set;

/* How strictly a series file is read. */
typedef struct {
    const char *group_col; /* grouping column name; NULL: detect a single
                              non-numeric second column named "region",
                              "group", "province" or given by the file */
    int allow_unsorted;    /* 1: sort rows by period instead of failing */
    int fill_holes;        /* 1: fill missing periods with NaN instead of
                              failing */
} tally_series_options;

void tally_series_options_init(tally_series_options *o);

/* Read a series file.  The first column must be named month, quarter or
 * year.  Duplicate periods (within a group) are always errors; unsorted
 * periods and holes are errors unless the options allow them.  Errors name
 * the file, line and column.  Returns TALLY_OK, TALLY_EIO or TALLY_EPARSE. */
int tally_series_read(const char *path, const tally_series_options *o,
                      tally_frame_set **out);

/* Build a frame set from a table already read (same rules). */
int tally_series_from_table(const tally_table *t, const tally_series_options *o,
                            tally_frame_set **out);

/* Write a frame set in the series format (period, [group], variables),
 * numbers with %.17g, missing values as NA. */
int tally_series_write(FILE *fp, const tally_frame_set *set);

tally_frame *tally_frame_alloc(tally_freq freq, tally_period start, size_t n,
                               size_t ncol);
void tally_frame_free(tally_frame *f);
void tally_frame_set_free(tally_frame_set *s);

/* Column index of a variable, or -1. */
long tally_frame_column(const tally_frame *f, const char *name);

/* The frame of one group (NULL if absent); with group NULL the only frame
 * of an ungrouped set. */
tally_frame *tally_frame_set_find(const tally_frame_set *s, const char *group);

/* Index of period p in f, or -1 when outside. */
long tally_frame_index(const tally_frame *f, tally_period p);

#endif /* TALLY_FRAME_H */
