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

#endif /* TALLY_FIT_PRINT_H */
