/* SPDX-License-Identifier: MIT
 *
 * The printer of fitted regression models shared by `regress`, `trend` and
 * `its`: an R summary()-like table, a CSV of the coefficient table, or the
 * JSON layout of CLI.md ("JSON results") with tally's additions
 * (n_missing, vcov, hac_lag, diagnostics, rate ratios for log links).
 * Commands that print more (the counterfactual of `its`) take the JSON
 * object from fit_print_json, add their fields and print it with
 * cli_json_print; for tables they call fit_print_table and then print
 * their own sections.
 */
#ifndef TALLY_FIT_PRINT_H
#define TALLY_FIT_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"
#include "tally/tally_fit.h"

typedef struct {
    const char *command;  /* "regress", "trend", "its" */
    const char *data;     /* input file name as given (for the header) */
    const char *where;    /* "COL=VALUE" group selection, or NULL */
    const char *sample;   /* e.g. "1969-01 .. 1984-12", or NULL */
    int stars;            /* 1: significance stars in the table */
} fit_print_opts;

void fit_print_opts_init(fit_print_opts *o, const char *command,
                         const char *data);

/* The JSON object of a fit (caller owns it; NULL when out of memory). */
json_t *fit_print_json(const tally_fit *f, const fit_print_opts *o);

/* The table (R summary() layout) to fp. */
void fit_print_table(FILE *fp, const tally_fit *f, const fit_print_opts *o);

/* The coefficient table as CSV: term, estimate, std_error, statistic,
 * p_value, conf_low, conf_high (and exp_estimate, exp_conf_low,
 * exp_conf_high for log links). */
void fit_print_csv(FILE *fp, const tally_fit *f, const fit_print_opts *o);

/* Print in the requested format; returns an exit code. */
int fit_print(FILE *fp, cli_format format, const tally_fit *f,
              const fit_print_opts *o);

/* The stated rule for --hac auto, for help texts and notes. */
#define FIT_PRINT_HAC_AUTO_RULE "floor(4*(n/100)^(2/9)) (Newey-West 1994)"

/* Option keys shared by the model commands (regress, trend, its), so that
 * --family, --hac, --robust, --level and --no-diagnostics parse alike.
 * A command puts the entries it wants in its cli_opt table with these
 * keys (FIT_OPT_* below give the standard help lines) and passes every
 * key to fit_cli_option first. */
enum {
    FIT_KEY_FAMILY = CLI_KEY_FIRST_FREE + 200,
    FIT_KEY_HAC,
    FIT_KEY_ROBUST,
    FIT_KEY_LEVEL,
    FIT_KEY_NO_DIAG
};

#define FIT_OPT_FAMILY                                                       \
    {"family", FIT_KEY_FAMILY, 1, "F",                                       \
     "gaussian (OLS, default), poisson, quasipoisson or negbin (NB2, "       \
     "theta by ML)"}
#define FIT_OPT_HAC                                                          \
    {"hac", FIT_KEY_HAC, 1, "LAG|auto",                                      \
     "Newey-West HAC standard errors (Bartlett, no prewhitening, no "        \
     "small-sample adjustment); auto: lag " FIT_PRINT_HAC_AUTO_RULE}
#define FIT_OPT_ROBUST                                                       \
    {"robust", FIT_KEY_ROBUST, 1, "TYPE",                                    \
     "heteroskedasticity-consistent standard errors: hc0, hc1, hc2 or hc3"}
#define FIT_OPT_LEVEL                                                        \
    {"level", FIT_KEY_LEVEL, 1, "L",                                         \
     "confidence level in percent (default 95)"}
#define FIT_OPT_NO_DIAG                                                      \
    {"no-diagnostics", FIT_KEY_NO_DIAG, 0, NULL,                             \
     "skip the residual diagnostics"}

/* Handle one of the FIT_KEY_* options: returns 1 when key was one (o
 * updated), 0 when it is not, -1 on a bad value (usage message printed;
 * exit with CLI_EUSAGE).  *have_vcov (start at 0) catches --hac together
 * with --robust. */
int fit_cli_option(const cli_cmd *c, int key, const char *arg,
                   tally_fit_options *o, int *have_vcov);

/* The fitted path of a time-series fit (trend, its) over its used
 * periods, for the JSON fields fitted[], residuals[] and the plots. */
typedef struct {
    size_t n;             /* used periods (design rows below nrows) */
    tally_freq freq;      /* frequency of the periods */
    tally_period *period; /* n periods, in time order */
    double *mean;         /* fitted mean exp(x'b + offset) (log link) or
                             x'b + offset (identity) */
    double *conf_low;     /* pointwise interval of the mean: the linear */
    double *conf_high;    /* predictor +- q se(x'b), then exp for the log
                             link (NaN when the row could not be
                             rebuilt) */
    double *resid;        /* Pearson residuals (y - mu) sqrt(w / V(mu))
                             for the count families, response residuals
                             y - mu for gaussian */
    int rebuilt;          /* 1 when every row's regressors were rebuilt
                             and agreed with the fit's linear predictor */
} fit_path;

/* Fill the regressors of design row `row` (f->p values in term order)
 * into x and its offset (0 when none) into *off; return 0, or -1 when the
 * row cannot be rebuilt. */
typedef int (*fit_row_fn)(void *ctx, size_t row, double *x, double *off);

/* The path of fit f over its used rows below nrows (the rows of the
 * series under study; a stacked control lies above), row 0 being period
 * `start` of frequency freq (given, as a stacked design has none).  q is the
 * interval's quantile (tally_fit_crit, or the ITS result's crit).  Each row's
 * regressors come from row_fn and are checked against the fit's own
 * linear predictor (to 1e-7 relative); when a row cannot be rebuilt or
 * disagrees, every mean is the fit's mu, the intervals are NaN and
 * p->rebuilt is 0.  Returns TALLY_OK or TALLY_ENOMEM. */
int fit_path_compute(const tally_fit *f, tally_freq freq, tally_period start,
                     size_t nrows, double q, fit_row_fn row_fn, void *ctx,
                     fit_path *p);

void fit_path_fini(fit_path *p);

/* Add to a fit's JSON object: "value" (the response's name) when absent,
 * "observed" [{period, value}] over the ny values y of the series from
 * period `start` (null where missing), "fitted" [{period, mean, conf_low,
 * conf_high}], "residual_type" ("pearson" or "response") and "residuals"
 * [{period, residual}]. */
void fit_path_json(json_t *root, const tally_fit *f, const fit_path *p,
                   const double *y, size_t ny, tally_period start);

/* fit_print with, when path is not NULL, the fitted path and the series
 * in the JSON (fit_path_json: the ny values y from period start). */
int fit_print_series(FILE *fp, cli_format format, const tally_fit *f,
                     const fit_print_opts *o, const fit_path *path,
                     const double *y, size_t ny, tally_period start);

#endif /* TALLY_FIT_PRINT_H */
