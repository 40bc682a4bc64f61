/* SPDX-License-Identifier: MIT
 *
 * Design matrices for regression: a response, named columns (terms), an
 * optional offset and optional prior weights, one row per observation.
 * Terms are appended one at a time, so that every model command builds the
 * same layout in the same order and prints the same term names (CLI.md,
 * "JSON results"):
 *
 *   intercept   the constant 1
 *   time        1, 2, ..., n: the position of the period in the frame
 *   month2..month12, quarter2..quarter4
 *               calendar dummies, January (Q1) the baseline whatever
 *               month the series starts in
 *   sin1, cos1, ...
 *               Fourier terms as forecast::fourier: sinK =
 *               sin(2*pi*K*time/m), cosK = cos(2*pi*K*time/m), m = 12 or
 *               4; sinK is left out when 2K = m (it is identically 0)
 *   any name    a column appended with tally_design_add_column (exogenous
 *               regressors, or the level/slope terms of `its`)
 *
 * Rows keep the frame's positions: missing values (NaN) stay in the
 * design, and tally_fit_model leaves out every row with a missing value in
 * a used column (counting them as n_missing).  `time` and the season terms
 * are computed from the position in the frame before any row is left out,
 * so a gap does not shift them.
 *
 * Storage is column-major (column j is x + j * n) so that appending a
 * column never moves the others.
 */
#ifndef TALLY_DESIGN_H
#define TALLY_DESIGN_H

#include <stddef.h>

#include "tally/tally_frame.h"
#include "tally/tally_period.h"
#include "tally/tally_table.h"

/* Longest term name, with its NUL. */
#define TALLY_TERM_MAX 64

/* Season terms. */
typedef enum {
    TALLY_SEASON_NONE = 0, /* no season terms */
    TALLY_SEASON_DUMMIES,  /* month2..month12 or quarter2..quarter4 */
    TALLY_SEASON_FOURIER   /* sin1, cos1, ..., K pairs (see above) */
} tally_season_kind;

typedef struct {
    size_t n;            /* rows (observations, including missing ones) */
    size_t p;            /* number of terms (columns) */
    size_t cap;          /* allocated columns (internal) */
    double *x;           /* n * cap values, column j at x + j * n */
    char **names;        /* p term names (owned) */
    char *response;      /* name of the response (owned; "y" if unnamed) */
    double *y;           /* n responses (NaN = missing) */
    double *offset;      /* n offsets added to the linear predictor, or
                            NULL (exposure is stored here as its log) */
    char *offset_name;   /* "COL" or "log(COL)" for output, or NULL */
    double *weights;     /* n prior weights (>= 0), or NULL for all 1 */
    char *weights_name;  /* weights column, or NULL */
    int intercept;       /* 1 when a column named "intercept" exists */
    tally_freq freq;     /* frequency of the rows (TALLY_FREQ_NONE for a
                            plain data file) */
    tally_period start;  /* period of row 0 (time series only) */
    char *source;        /* input named in messages about a row, or NULL
                            (owned; see tally_design_set_source) */
    size_t *line;        /* n input lines (1-based) of the rows, or NULL */
} tally_design;

/* A design with n rows and no terms: y is filled with NaN, no offset, no
 * weights, response "y".  Returns NULL when out of memory. */
tally_design *tally_design_alloc(size_t n);
void tally_design_free(tally_design *d);

/* A design with one row per period of frame f, the response copied from
 * column `response` (its name recorded), freq and start taken from f.
 * Errors: TALLY_EINVAL (no such column; message names it), TALLY_ENOMEM. */
int tally_design_from_frame(const tally_frame *f, const char *response,
                            tally_design **out);

/* Append a column named `name` holding n values (copied; NaN = missing).
 * This is the extension point for terms built elsewhere (level1, slope1,
 * ... in `its`).  Errors: TALLY_EINVAL (empty or duplicate name, name
 * too long), TALLY_ENOMEM. */
int tally_design_add_column(tally_design *d, const char *name,
                            const double *values);

/* Append the constant column "intercept". */
int tally_design_add_intercept(tally_design *d);

/* Append "time" = 1, 2, ..., n (row i gets i + 1). */
int tally_design_add_time(tally_design *d);

/* Append season terms for a monthly or quarterly design (d->freq):
 * dummies (month2..month12 / quarter2..quarter4) or Fourier pairs
 * k = 1..K.  Errors: TALLY_EINVAL when d is not monthly or quarterly, or K
 * is outside 1..m/2. */
int tally_design_add_season(tally_design *d, tally_season_kind kind,
                            int K);

/* Append frame column `name` as a regressor (exogenous variable).  f must
 * have d->n rows.  Errors: TALLY_EINVAL (no such column). */
int tally_design_add_frame_column(tally_design *d, const tally_frame *f,
                                  const char *name);

/* Set the offset from n values: with take_log = 0 they are added to the
 * linear predictor as they are (`--offset`, R's offset()); with take_log
 * = 1 their logarithm is added (`--exposure`, R's offset(log(COL))), and
 * a value <= 0 is an error (TALLY_EDOMAIN, naming `name` and the row).
 * NaN stays missing.  `name` is the column name, used in output. */
int tally_design_set_offset(tally_design *d, const char *name,
                            const double *values, int take_log);

/* Set prior weights (n values, each >= 0 or NaN; negative is
 * TALLY_EDOMAIN).  Rows with weight 0 are left out of the fit, as R does
 * for lm and glm, and counted in n_zero_weight. */
int tally_design_set_weights(tally_design *d, const char *name,
                             const double *values);

/* Name the input the rows came from, so that a message about one row
 * (a negative count, a zero exposure, an infinite value) says where it is:
 * "FILE:LINE" when lines (n input line numbers, copied) is given,
 * "FILE, PERIOD" for a time series, "FILE, row N" otherwise.  name is
 * copied.  Errors: TALLY_ENOMEM. */
int tally_design_set_source(tally_design *d, const char *name,
                            const size_t *lines);

/* Where row `row` of d is, for messages (as described above; "row N" or
 * the period alone when no source was set).  Returns buf. */
char *tally_design_where(const tally_design *d, size_t row, char *buf,
                         size_t size);

/* Index of the term named `name`, or -1. */
long tally_design_term(const tally_design *d, const char *name);

/* Read numeric column `name` of a plain data table (regress) into a new
 * array of t->nrow values (blank/NA -> NaN).  Errors: TALLY_EINVAL (no
 * such column), TALLY_EPARSE (a cell that is not a number: file, line,
 * column), TALLY_ENOMEM.  The caller frees *out. */
int tally_design_table_column(const tally_table *t, const char *name,
                              double **out);

#endif /* TALLY_DESIGN_H */
