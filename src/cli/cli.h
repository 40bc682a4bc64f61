/* SPDX-License-Identifier: MIT
 *
 * Shared machinery of the command-line program: the command table, option
 * tables that also generate the help text, strict number parsing, the
 * common options (--format, -o, --force), atomic output files, error
 * reporting with CLI.md's exit codes, and JSON helpers.
 */
#ifndef TALLY_CLI_H
#define TALLY_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>

#include "tally/tally_frame.h"

/* Exit codes (CLI.md). */
enum { CLI_OK = 0, CLI_EANALYSIS = 1, CLI_EUSAGE = 2, CLI_EIO = 3 };

/* Output formats of --format. */
typedef enum { CLI_TABLE = 0, CLI_CSV, CLI_JSON } cli_format;

/* One option of a command: its long name, short letter (0 for none) or a
 * key >= 256 for long-only options, whether it takes an argument, the
 * argument's name in the help text, and the help line. */
typedef struct {
    const char *name;
    int key;
    int has_arg;
    const char *metavar;
    const char *help;
} cli_opt;

/* Keys of the common options, shared by every command. */
enum {
    CLI_KEY_HELP = 'h',
    CLI_KEY_OUTPUT = 'o',
    CLI_KEY_FORMAT = 1000,
    CLI_KEY_FORCE,
    CLI_KEY_FIRST_FREE = 1100 /* commands number their own keys from here */
};

/* The common options a command accepts (pass as flags to cli_init). */
enum {
    CLI_COMMON_FORMAT = 1, /* --format table|csv|json */
    CLI_COMMON_OUTPUT = 2  /* -o FILE and --force */
};

/* A command's description and parsed common options. */
typedef struct {
    const char *command;     /* e.g. "its" */
    const char *usage;       /* synopsis after "tally COMMAND " */
    const char *description; /* paragraph(s) printed by --help */
    const char *examples;    /* example lines printed by --help, or NULL */
    const cli_opt *opts;     /* the command's own options, {0}-terminated */
    int common;              /* CLI_COMMON_* flags */
    cli_format format;       /* --format value (default table) */
    const char *output;      /* -o value, NULL for stdout */
    int force;               /* --force given */
    /* getopt_long tables built from opts plus the common options. */
    struct option long_opts[96];
    char short_opts[128];
} cli_cmd;

/* Prepare a command's parser. */
void cli_init(cli_cmd *c, const char *command, const char *usage,
              const char *description, const char *examples,
              const cli_opt *opts, int common);

/* Return the next option's key (its argument in *arg), handling --help
 * (prints help, returns CLI_DONE_OK), the common options (consumed
 * silently) and errors (message printed, returns CLI_DONE_USAGE).  Returns
 * CLI_END when the options are exhausted; the operands then start at
 * optind. */
enum { CLI_END = -1, CLI_DONE_OK = -2, CLI_DONE_USAGE = -3 };
int cli_next(cli_cmd *c, int argc, char **argv, char **arg);

/* Print the help text generated from the option table to fp. */
void cli_help(const cli_cmd *c, FILE *fp);

/* Print "tally: <message>" and a pointer to --help on stderr; return 2. */
int cli_usage_error(const cli_cmd *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Print "tally: <last library error>" on stderr and return the exit code
 * for status (CLI.md's table). */
int cli_fail(int status);

/* Print "tally: warning: ..." on stderr. */
void cli_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Strict number parsing: the whole string, range checked.  Return 1 on
 * success, 0 otherwise. */
int cli_parse_long(const char *s, long lo, long hi, long *out);
int cli_parse_double(const char *s, double *out);

/* Parse "80,95" into levels (each in (0, 100)); returns the count, or 0 on
 * error. */
size_t cli_parse_levels(const char *s, double *levels, size_t max);

/* Output files.  cli_out_open returns stdout, or a temporary file next to
 * c->output that cli_out_close renames over it when ok is nonzero (and
 * removes otherwise), so a failure never leaves a partial file.  An
 * existing output is replaced only with --force.  Returns an exit code. */
typedef struct {
    FILE *fp;        /* where to write */
    char *tmp;       /* temporary path, NULL for stdout */
    const char *dst; /* final path, NULL for stdout */
} cli_out;
int cli_out_open(const cli_cmd *c, const char *input, cli_out *o);
int cli_out_close(cli_out *o, int ok);

/* Read a series file and select one frame: with group NULL the file must
 * be ungrouped or have one group.  Prints the message and returns an exit
 * code on failure; on success *set owns everything and *frame is borrowed
 * from it. */
int cli_read_series(const char *path, const char *group_col,
                    const char *group, tally_frame_set **set,
                    tally_frame **frame);

/* Split "COL=VALUE" (for --where).  Returns 1 on success, pointing *col and
 * *val into a copy the caller frees with free(*col). */
int cli_split_where(const char *s, char **col, char **val);

/* CSV: one more field, ",%.17g", or ",Inf" / ",-Inf", or ",NA" for NaN
 * (as R's write.csv). */
void cli_csv_num(FILE *fp, double v);

/* JSON: a number, or null when it is not finite (NaN and infinities are
 * not JSON). */
json_t *cli_json_num(double v);
/* A period as its text. */
json_t *cli_json_period(tally_freq freq, tally_period p);
/* Print one JSON document (17 significant digits, 2-space indent) and a
 * newline; takes ownership of root.  Returns an exit code. */
int cli_json_print(FILE *fp, json_t *root);

/* Run the command named argv[0] in this process (used by `tally run`).
 * Returns its exit code, or 2 for an unknown command. */
int cli_dispatch(int argc, char **argv);

/* Version text for manifests: "0.1.0", the git commit ("" if unknown) and
 * the library versions. */
const char *cli_version(void);
const char *cli_commit(void);
const char *cli_libraries(void);

/* The command handlers (one cmd_<name>.c each). */
int cmd_aggregate(int argc, char **argv);
int cmd_backtest(int argc, char **argv);
int cmd_changepoint(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_forecast(int argc, char **argv);
int cmd_its(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_regress(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_trend(int argc, char **argv);

#endif /* TALLY_CLI_H */
