/* SPDX-License-Identifier: MIT
 *
 * Plots: self-contained gnuplot scripts for every analysis.
 *
 * A figure is described by plain arrays (periods, values, bands, labels) in
 * one of the structs below, wrapped in a tally_plot_figure that names its
 * kind.  tally_plot_write() writes the whole script to a stream;
 * tally_plot_save() writes it to a file atomically (one call per picture,
 * for the `--plot FILE.gp` option of the analysis commands);
 * tally_plot_render() runs gnuplot on a saved script when asked.
 *
 * Every script is self-contained and deterministic: a header (terminal,
 * house style), the labels, the data as inline data blocks
 * (`$name << EOD ... EOD`), then the plot command.  Numbers are written
 * with %.17g and a '.' decimal point whatever the locale, a missing value
 * (NaN) is the one token NaN, and no timestamp or absolute path appears.
 *
 * Text from user data (titles, region names, column headers, model names)
 * is only ever written inside single-quoted gnuplot strings, where gnuplot
 * performs no backquote command substitution, no @macro expansion and no
 * escape processing; quotes are doubled, control characters and invalid
 * UTF-8 are replaced, and text is never written into a data block, so a
 * label cannot end a block early or run a command (see docs/plots.md).
 *
 * All structs may be zero-initialised and then filled; a zero level means
 * 95, NULL optional arrays are left out of the picture.  Arrays are
 * borrowed for the duration of the call only.
 */
#ifndef TALLY_PLOT_H
#define TALLY_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "tally/tally_period.h"

/* What gnuplot draws on. */
typedef enum {
    TALLY_PLOT_PNG = 0, /* pngcairo (the default) */
    TALLY_PLOT_SVG,     /* svg */
    TALLY_PLOT_PDF,     /* pdfcairo */
    TALLY_PLOT_DUMB     /* text in the terminal (standard output) */
} tally_plot_terminal;

/* How a script is written. */
typedef struct {
    tally_plot_terminal terminal; /* default TALLY_PLOT_PNG */
    const char *title;   /* the picture's title; NULL: the kind's own */
    const char *picture; /* file the script tells gnuplot to write, as a
                            name relative to the script's folder (written
                            in the script; an absolute path is refused).
                            NULL: no `set output`, gnuplot writes to its
                            standard output (always so for dumb). */
    int width;           /* picture size in pixels (dumb: characters);
                            0: 1000 x 560 (dumb 100 x 30) */
    int height;
    int force; /* tally_plot_save: replace any existing file, not
                  only one tally wrote */
} tally_plot_options;

void tally_plot_options_init(tally_plot_options *o);

/* The time axis shared by a figure's series: n periods from start. */
typedef struct {
    tally_freq freq;    /* TALLY_FREQ_MONTH, _QUARTER or _YEAR */
    tally_period start; /* first period */
    size_t n;           /* number of periods */
} tally_plot_axis;

/* series: one line (or bar) per group over time. */
typedef struct {
    tally_plot_axis t;
    size_t ngroups;           /* >= 1 */
    const char *const *names; /* ngroups legend names (user text); may be
                                 NULL for one group */
    const double *const *y;   /* ngroups arrays of t.n values (NaN missing) */
    int bars;                 /* 0: lines; 1: bars, stacked when ngroups >
                                 1 (a missing value adds nothing to its
                                 stack) */
    const char *ylabel;       /* what is counted, e.g. "attacks" */
    const char *by;           /* what the groups are, e.g. "region" (for
                                 the title), or NULL */
} tally_plot_series;

/* annual: one bar per year, its total written above it. */
typedef struct {
    int first_year;
    size_t n;              /* years */
    const double *total;   /* n totals (NaN: unknown, no bar) */
    const size_t *periods; /* optional: periods observed in each year;
                              a year with fewer than per_year is drawn
                              lighter and marked incomplete */
    int per_year;          /* periods in a full year (12, 4 or 1) */
    const char *ylabel;
} tally_plot_annual;

/* shares: each group's share of the total, largest first. */
typedef struct {
    size_t n;                 /* groups */
    const char *const *names; /* n group names (user text) */
    const double *total;      /* n totals (>= 0; NaN groups are left out) */
    const char *ylabel;       /* what is counted */
    const char *by;           /* what the groups are, e.g. "region" (for
                                 the title), or NULL */
} tally_plot_shares;

/* trend: observed series, fitted trend and its confidence band. */
typedef struct {
    tally_plot_axis t;
    const double *observed;   /* t.n values */
    const double *fitted;     /* t.n fitted means */
    const double *low, *high; /* t.n band limits, or NULL */
    double level;             /* band level in percent (0: 95) */
    const char *ylabel;
} tally_plot_trend;

/* its: interrupted time series.  Every array spans the axis t (NaN where a
 * quantity has no value, e.g. the counterfactual before the break); the
 * axis may extend past the observed data for a counterfactual horizon. */
typedef struct {
    tally_plot_axis t;
    const double *observed; /* t.n observed values */
    const double *fitted;   /* t.n fitted values, or NULL */
    const double *cf_mean;  /* t.n counterfactual (no break) mean, or NULL */
    const double *cf_low, *cf_high; /* its band, or NULL */
    size_t nbreaks;             /* break periods (first period of each new */
    const tally_period *breaks; /* regime), marked and splitting the fit */
    double level;               /* band level in percent (0: 95) */
    const char *ylabel;
} tally_plot_its;

/* compare: the series with two windows shaded and their means drawn. */
typedef struct {
    tally_plot_axis t;
    const double *y;                     /* t.n values */
    tally_period before_from, before_to; /* inclusive windows */
    tally_period after_from, after_to;
    double before_mean, after_mean; /* NaN: the mean of y's non-missing
                                       values in the window */
    const char *ylabel;
} tally_plot_compare;

/* One segment of a segmentation (changepoint). */
typedef struct {
    tally_period from, to; /* inclusive */
    double mean;           /* the segment's fitted level */
} tally_plot_segment;

/* changepoint: the series, the segment means and the breaks. */
typedef struct {
    tally_plot_axis t;
    const double *y; /* t.n values */
    size_t nsegments;
    const tally_plot_segment *segments; /* in time order */
    size_t nbreaks;                     /* breaks to mark; with NULL, the */
    const tally_period *breaks;         /* starts of segments 2.. */
    const char *ylabel;
} tally_plot_changepoint;

/* forecast: history, point forecasts and a fan of intervals.  The layout of
 * mean/lower/upper is that of tally_fc_result, so a forecast result plots
 * by pointing at its arrays. */
typedef struct {
    tally_plot_axis t;    /* the history (t.n may be 0) */
    const double *y;      /* t.n observed values, or NULL when t.n = 0 */
    tally_period first;   /* period of the first forecast */
    size_t h;             /* forecast steps */
    const double *mean;   /* h point forecasts */
    size_t nlevels;       /* interval levels (up to 8), any order */
    const double *levels; /* nlevels levels in percent, e.g. 80, 95 */
    const double *lower;  /* nlevels * h: lower[l * h + i] */
    const double *upper;  /* nlevels * h */
    const char *model;    /* model name for the title, or NULL */
    const char *ylabel;
} tally_plot_forecast;

/* backtest: error measures by forecast horizon 1..h. */
typedef struct {
    size_t h;                    /* horizons */
    size_t nmeasures;            /* >= 1 */
    const char *const *names;    /* measure names ("MAE", "RMSE") */
    const double *const *values; /* nmeasures arrays of h values */
    const char *ylabel;          /* unit of the errors */
} tally_plot_backtest;

/* residuals: residuals over time above their autocorrelation function
 * with its approximate bounds +-z/sqrt(n) (R's plot.acf). */
typedef struct {
    tally_plot_axis t;
    const double *resid; /* t.n residuals (NaN missing) */
    size_t max_lag;      /* 0: R's default floor(10 log10 n) */
    double level;        /* bound level in percent (0: 95) */
    const char *ylabel;
} tally_plot_residuals;

/* seasonal: one line per year across the months (or quarters). */
typedef struct {
    tally_plot_axis t; /* monthly or quarterly */
    const double *y;   /* t.n values */
    const char *ylabel;
} tally_plot_seasonal;

/* The kinds of figure. */
typedef enum {
    TALLY_PLOT_SERIES = 0,
    TALLY_PLOT_ANNUAL,
    TALLY_PLOT_SHARES,
    TALLY_PLOT_TREND,
    TALLY_PLOT_ITS,
    TALLY_PLOT_COMPARE,
    TALLY_PLOT_CHANGEPOINT,
    TALLY_PLOT_FORECAST,
    TALLY_PLOT_BACKTEST,
    TALLY_PLOT_RESIDUALS,
    TALLY_PLOT_SEASONAL,
    TALLY_PLOT_NKINDS /* number of kinds (not a kind) */
} tally_plot_kind;

/* A figure: its kind and the matching description. */
typedef struct {
    tally_plot_kind kind;
    union {
        tally_plot_series series;
        tally_plot_annual annual;
        tally_plot_shares shares;
        tally_plot_trend trend;
        tally_plot_its its;
        tally_plot_compare compare;
        tally_plot_changepoint changepoint;
        tally_plot_forecast forecast;
        tally_plot_backtest backtest;
        tally_plot_residuals residuals;
        tally_plot_seasonal seasonal;
    };
} tally_plot_figure;

/* The command-line name of a kind ("series", "its", ...), or NULL. */
const char *tally_plot_kind_name(tally_plot_kind kind);

/* The kind named name; returns TALLY_OK or TALLY_EINVAL. */
int tally_plot_kind_parse(const char *name, tally_plot_kind *kind);

/* Write the script of figure fig to fp.  Returns TALLY_OK, TALLY_EINVAL
 * (inconsistent description: message says which field), TALLY_EMISSING
 * (nothing to draw: every value missing) or TALLY_EIO (write error).  The
 * script is built in memory first: on error nothing is written to fp. */
int tally_plot_write(FILE *fp, const tally_plot_options *o,
                     const tally_plot_figure *fig);

/* Write the script to the file path atomically (temporary file and
 * rename; on error nothing is left behind and an existing file is kept).
 * An existing file is replaced only when tally wrote it (its first line is
 * tally's script marker) or o->force is set; otherwise TALLY_EEXIST.
 * Other returns as tally_plot_write, TALLY_EIO for file errors. */
int tally_plot_save(const char *path, const tally_plot_options *o,
                    const tally_plot_figure *fig);

/* Run gnuplot on the script at path, found on PATH and executed directly
 * (fork and exec with an argument vector, never a shell) with
 * --default-settings, in the script's folder so that a relative
 * `set output` lands next to the script; standard input is /dev/null,
 * standard output and error are inherited.  Returns TALLY_OK when gnuplot
 * exited with status 0; TALLY_EIO otherwise, with *missing (if not NULL)
 * set to 1 when no gnuplot program was found and 0 when it ran and failed. */
int tally_plot_render(const char *path, int *missing);

#endif /* TALLY_PLOT_H */
