/* SPDX-License-Identifier: MIT
 *
 * The model options that `tally forecast` and `tally backtest` share:
 * --value, --model, --horizon, --level, --log, --drift, --no-constant and
 * --seed, parsed alike and checked alike into a tally_fc_spec.
 *
 * A command puts the FC_OPT_* entries it wants in its option table (each
 * command words their help for what it does, and orders them), passes
 * every option key to fc_opt_parse, and once the options are parsed calls
 * fc_opt_check (one FILE, --model and --horizon given) and fc_opt_spec
 * (the model parsed, with --log, --drift, --no-constant and --seed, into
 * o->spec).  fc_opt_column picks the --value column of each series and
 * fc_opt_label names it in tables.
 */
#ifndef TALLY_FC_OPT_H
#define TALLY_FC_OPT_H

#include "cli/by_run.h"
#include "cli/cli.h"
#include "tally/tally_forecast.h"

/* Option keys (clear of the commands' own and of the other *_opt.h's). */
enum {
    FC_KEY_VALUE = CLI_KEY_FIRST_FREE + 340,
    FC_KEY_MODEL,
    FC_KEY_HORIZON,
    FC_KEY_LEVEL,
    FC_KEY_LOG,
    FC_KEY_DRIFT,
    FC_KEY_NO_CONSTANT,
    FC_KEY_SEED
};

/* The entries for a command's option table, with the command's help. */
#define FC_OPT_VALUE(help) {"value", FC_KEY_VALUE, 1, "COL", (help)}
#define FC_OPT_MODEL(help) {"model", FC_KEY_MODEL, 1, "M", (help)}
#define FC_OPT_HORIZON(help) {"horizon", FC_KEY_HORIZON, 1, "H", (help)}
#define FC_OPT_LEVEL                                                           \
    {"level", FC_KEY_LEVEL, 1, "L[,L...]",                                     \
     "prediction interval levels in percent (default 80,95)"}
#define FC_OPT_LOG(help) {"log", FC_KEY_LOG, 0, NULL, (help)}
#define FC_OPT_DRIFT(help) {"drift", FC_KEY_DRIFT, 0, NULL, (help)}
#define FC_OPT_NO_CONSTANT(help)                                               \
    {"no-constant", FC_KEY_NO_CONSTANT, 0, NULL, (help)}
#define FC_OPT_SEED(help) {"seed", FC_KEY_SEED, 1, "N", (help)}

/* What the options asked for. */
typedef struct {
    const char *value;                  /* --value, or NULL */
    const char *model;                  /* --model, or NULL */
    long horizon;                       /* --horizon, 0 when not given */
    double levels[TALLY_FC_MAX_LEVELS]; /* --level (default 80, 95) */
    size_t nlevels;
    int log;            /* --log */
    int drift;          /* --drift */
    int no_constant;    /* --no-constant */
    long seed;          /* --seed (default 1) */
    tally_fc_spec spec; /* the model, once fc_opt_spec succeeded */
} fc_opt;

void fc_opt_init(fc_opt *o);

/* Handle one option key: 1 when it was one of FC_KEY_* (o updated), 0
 * when it is not, -1 on a bad value (usage message printed; exit with
 * CLI_EUSAGE). */
int fc_opt_parse(const cli_cmd *c, int key, const char *arg, fc_opt *o);

/* After parsing: one series FILE operand (argv[optind], argc as given to
 * the command), --model (the message suggests `--model example`) and
 * --horizon are required.  Returns an exit code (message printed). */
int fc_opt_check(const cli_cmd *c, const fc_opt *o, int argc,
                 const char *example);

/* Parse --model into o->spec and add --log, --drift, --no-constant (both
 * for ARIMA models only) and --seed.  Returns an exit code (message
 * printed). */
int fc_opt_spec(const cli_cmd *c, fc_opt *o);

/* The column of frame f to model: --value (value), or the only variable
 * of the file.  Returns an exit code (the message given to s). */
int fc_opt_column(const tally_frame *f, const char *value, long *col,
                  by_sink *s);

/* The name of column col of f as the tables head it: "NAME", or "NAME
 * (GROUP)" for a group of a grouped file. */
void fc_opt_label(const tally_frame *f, long col, char *buf, size_t size);

#endif /* TALLY_FC_OPT_H */
