/* SPDX-License-Identifier: MIT
 *
 * Internals of the gnuplot script writer shared by the files of src/plot:
 * the writer state, the open/finalize pair every kind calls (after gretl's
 * gnuplot_init / finalize_plot), safe quoting of user text, locale-proof
 * numbers, data blocks and the time axis.  Never installed.
 */
#ifndef TALLY_PLOT_INT_H
#define TALLY_PLOT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "tally/tally_period.h"
#include "tally/tally_plot.h"

/* The first line of every script: tally_plot_save replaces a file that
 * starts with it without --force. */
#define TLY_PLOT_MARKER "# tally plot script"

/* The token written for a missing value, in data blocks and nowhere
 * else.  gnuplot reads it as not-a-number and breaks lines there. */
#define TLY_PLOT_NA "NaN"

/* The terminator of every inline data block.  A data line holds only a
 * period (digits, '-', 'Q'), numbers and NaN, so none can equal it. */
#define TLY_PLOT_EOD "EOD"

/* Longest user text kept (bytes); longer text is cut at a character
 * boundary and ends with "...". */
#define TLY_PLOT_TEXT_MAX 200

/* Okabe & Ito (2008) colour-blind-safe palette, in the order lines use it
 * (blue, vermillion, bluish green, orange, sky blue, reddish purple,
 * yellow, black). */
#define TLY_PLOT_NCOLORS 8
extern const char *const tly_plot_colors[TLY_PLOT_NCOLORS];
/* Named roles used by several kinds. */
#define TLY_PLOT_BLUE "#0072B2"
#define TLY_PLOT_VERMILLION "#D55E00"
#define TLY_PLOT_GREEN "#009E73"
#define TLY_PLOT_ORANGE "#E69F00"
#define TLY_PLOT_SKY "#56B4E9"
#define TLY_PLOT_PURPLE "#CC79A7"
#define TLY_PLOT_GREY "#555555"  /* observed data drawn under a fit */
#define TLY_PLOT_LIGHT "#DDDDDD" /* grid lines */

/* The writer: one script being written. */
typedef struct {
    FILE *fp;                    /* where the script goes */
    const tally_plot_options *o; /* the caller's options (never NULL) */
    const char *kind;            /* kind name, for the header comment */
    tally_freq freq;             /* frequency of the time axis */
    tally_period origin;         /* period drawn at x = 0 */
    int multiplot;               /* 1 while a multiplot is open */
} tly_plot;

/* Open: write the header (marker, terminal, output, house style) for a
 * figure of kind `kind`; height_scale stretches the default height
 * (e.g. 1.4 for two stacked panels).  Returns TALLY_OK or TALLY_EINVAL
 * (bad options). */
int tly_plot_open(tly_plot *w, FILE *fp, const tally_plot_options *o,
                  const char *kind, double height_scale);

/* Finalize: close any multiplot and the output, and report a write error
 * on the stream as TALLY_EIO. */
int tly_plot_finalize(tly_plot *w);

/* Write s as one single-quoted gnuplot string: quotes doubled, control
 * characters replaced by spaces, invalid UTF-8 by '?', cut at
 * TLY_PLOT_TEXT_MAX bytes.  With as_format nonzero '%' is doubled too,
 * for strings gnuplot formats (explicit tic labels).  NULL writes ''. */
void tly_plot_quote(FILE *fp, const char *s, int as_format);

/* Write one number: %.17g with a '.' decimal point whatever LC_NUMERIC
 * says, or TLY_PLOT_NA when v is not finite. */
void tly_plot_num(FILE *fp, double v);

/* Format v as tly_plot_num would into buf (at least 32 bytes). */
char *tly_plot_num_text(double v, char *buf, size_t size);

/* A number for a human reader (legend text, labels): about four
 * significant figures without an exponent (0 decimals from 100 up, 1 from
 * 10, 2 below), '.' as decimal point; "NA" when not finite. */
char *tly_plot_pretty(double v, char *buf, size_t size);

/* A level in percent as short text ("95", "97.5"). */
char *tly_plot_level_text(double level, char *buf, size_t size);

/* Write " title '...'" for a plot element (user text, quoted). */
void tly_plot_key(FILE *fp, const char *title);

/* `set title` with the caller's title or the default (user text either
 * way), and `set ylabel` (NULL: none). */
void tly_plot_titles(tly_plot *w, const char *def_title, const char *ylabel);

/* The time axis for periods first..last: sets the origin, the x range
 * (half a period of margin each side) and month/quarter/year tic labels,
 * chosen so at most about a dozen are written. */
void tly_plot_time_axis(tly_plot *w, tally_freq freq, tally_period first,
                        tally_period last);

/* x coordinate of period p on the time axis. */
double tly_plot_x(const tly_plot *w, tally_period p);

/* Data blocks.  tly_plot_block_open writes `$name << EOD` and a comment
 * line naming the columns (fixed text); tly_plot_row writes one line:
 * the period as text (when freq is not NONE), its x coordinate, then the
 * values; tly_plot_block_close writes the terminator. */
void tly_plot_block_open(tly_plot *w, const char *name, const char *columns);
void tly_plot_row(tly_plot *w, tally_period p, const double *v, size_t nv);
/* A row without a period: plain numbers. */
void tly_plot_row_plain(tly_plot *w, const double *v, size_t nv);
/* An empty line: breaks lines in gnuplot without ending the block. */
void tly_plot_row_gap(tly_plot *w);
void tly_plot_block_close(tly_plot *w);

/* One plot element for a band between columns lo and hi of data block
 * `block` (x in column 2), preceded by sep: a filled area of colour
 * `color` with opacity alpha (1 = opaque), or, on the dumb terminal where
 * every fill looks the same, its two limits as lines.  title is the
 * legend text. */
void tly_plot_band(tly_plot *w, const char *sep, const char *block, int lo,
                   int hi, const char *color, double alpha, const char *title);

/* A vertical marker at period p with a label made of fixed text and the
 * period (tag is an object number unique within the script). */
void tly_plot_vline(tly_plot *w, int tag, double x, const char *color,
                    const char *label);

/* Range helpers: the finite minimum and maximum of v[0..n-1] folded into
 * *lo and *hi (which start as +inf/-inf); returns the finite count. */
size_t tly_plot_extent(const double *v, size_t n, double *lo, double *hi);

/* `set yrange` from 0 when every value is >= 0, else automatic. */
void tly_plot_yrange_counts(tly_plot *w, double lo);

/* Validation helpers raising TALLY_EINVAL with a message naming the
 * field. */
int tly_plot_check_axis(const tally_plot_axis *t, const char *what);

/* The kinds (one file each). */
int tly_plot_series_write(tly_plot *w, const tally_plot_series *d);
int tly_plot_annual_write(tly_plot *w, const tally_plot_annual *d);
int tly_plot_shares_write(tly_plot *w, const tally_plot_shares *d);
int tly_plot_trend_write(tly_plot *w, const tally_plot_trend *d);
int tly_plot_its_write(tly_plot *w, const tally_plot_its *d);
int tly_plot_compare_write(tly_plot *w, const tally_plot_compare *d);
int tly_plot_changepoint_write(tly_plot *w, const tally_plot_changepoint *d);
int tly_plot_forecast_write(tly_plot *w, const tally_plot_forecast *d);
int tly_plot_backtest_write(tly_plot *w, const tally_plot_backtest *d);
int tly_plot_residuals_write(tly_plot *w, const tally_plot_residuals *d);
int tly_plot_seasonal_write(tly_plot *w, const tally_plot_seasonal *d);

/* Sample autocorrelations r_1..r_maxlag of x[0..n-1] as R's
 * acf(x, na.action = na.pass, demean = TRUE): with xbar the mean of the
 * non-missing values, c_k = sum over pairs (t, t+k) with both present of
 * (x_t - xbar)(x_{t+k} - xbar), divided by (pairs + k) (n when nothing is
 * missing), and r_k = c_k / c_0.  acf must hold maxlag values.  Returns
 * TALLY_OK, TALLY_ETOOFEW (fewer than 2 values) or TALLY_ECONSTANT. */
int tly_plot_acf(const double *x, size_t n, size_t maxlag, double *acf);

#endif /* TALLY_PLOT_INT_H */
