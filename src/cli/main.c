/* SPDX-License-Identifier: MIT
 *
 * tally's entry point: one sorted table of subcommands, dispatch, global
 * --help and --version.  Everything else lives in cmd_<name>.c.
 */
#include "cli/cli.h"
#include "tally_version_gen.h"

#include <csv.h>
#include <gsl/gsl_version.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;                /* subcommand */
    int (*handler)(int, char **);    /* cmd_<name> */
    const char *summary;             /* one line for tally --help */
} command;

/* Sorted by name. */
static const command commands[] = {
    {"aggregate", cmd_aggregate, "incident rows -> one row per period (and group)"},
    {"backtest", cmd_backtest, "rolling-origin evaluation of a forecasting model"},
    {"changepoint", cmd_changepoint, "when did it change: Chow, sup-F, Bai-Perron, PELT"},
    {"compare", cmd_compare, "two windows: rate ratio, quasi-Poisson, Welch, Mann-Whitney"},
    {"describe", cmd_describe, "totals, shares, year-on-year change, records"},
    {"forecast", cmd_forecast, "ARIMA, ETS, baselines and count models with intervals"},
    {"its", cmd_its, "interrupted time series: level and slope change at a break"},
    {"merge", cmd_merge, "partial aggregates (aggregate --partial) -> one series"},
    {"plot", cmd_plot, "self-contained gnuplot scripts for series and results"},
    {"regress", cmd_regress, "OLS and count GLMs with robust standard errors"},
    {"run", cmd_run, "run a study file and write a manifest (or --check one)"},
    {"trend", cmd_trend, "regression on time (and season)"},
};

static void usage(FILE *fp)
{
    fputs("Usage: tally COMMAND [OPTIONS] [FILE]\n"
          "       tally --help | --version\n\n"
          "Time-series statistics and forecasting for incident counts.\n\n"
          "Commands:\n", fp);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].summary);
    }
    fputs("\nRun 'tally COMMAND --help' for the options of a command.\n"
          "FILE '-' reads standard input.  Exit status: 0 success, 1 analysis\n"
          "impossible on these data, 2 bad usage or input, 3 I/O error.\n", fp);
}

int cli_dispatch(int argc, char **argv)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[0], commands[i].name) == 0) {
            return commands[i].handler(argc, argv);
        }
    }
    fprintf(stderr, "tally: '%s' is not a tally command.\n", argv[0]);
    return CLI_EUSAGE;
}

const char *cli_version(void)
{
    return TALLY_VERSION_STRING;
}

const char *cli_commit(void)
{
    return TALLY_GIT_COMMIT;
}

const char *cli_libraries(void)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "GSL %s, libcsv %d.%d.%d, jansson %s",
             gsl_version, CSV_MAJOR, CSV_MINOR, CSV_RELEASE, JANSSON_VERSION);
    return buf;
}

static void version(void)
{
    printf("tally %s%s%s\n", TALLY_VERSION_STRING,
           TALLY_GIT_COMMIT[0] ? " (commit " : "",
           TALLY_GIT_COMMIT[0] ? TALLY_GIT_COMMIT ")" : "");
    printf("%s\n", cli_libraries());
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EUSAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
        || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        version();
        return CLI_OK;
    }
    /* The handler sees its own name as argv[0], as getopt expects. */
    int rc = cli_dispatch(argc - 1, argv + 1);
    if (rc == CLI_EUSAGE && argv[1][0] != '\0') {
        int known = 0;
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
            known |= strcmp(argv[1], commands[i].name) == 0;
        }
        if (!known) {
            fputs("Run 'tally --help' for the list of commands.\n", stderr);
        }
    }
    return rc;
}
