/* SPDX-License-Identifier: MIT
 *
 * `--where COL=VAL`, `--by COL` and `--threads N` of the model commands
 * (its, compare, regress, trend, changepoint, forecast, backtest): one
 * group of a grouped file, or every group in parallel (by_run.h).
 *
 * A command puts GROUP_OPTS("help of --where") in its option table,
 * passes every option key to group_opt_parse, and once the options are
 * parsed calls group_opt_check (--where and --by exclude each other;
 * --plot draws one series) and group_opt_split (COL=VAL) in the order its
 * messages have always come in (group_opt_check_all: after the --plot
 * checks, split first).  Then either group_opt_run (--by: every frame of
 * the file) or group_opt_read (the one series and its sink);
 * group_opt_fini at the end.
 */
#ifndef TALLY_GROUP_OPT_H
#define TALLY_GROUP_OPT_H

#include "cli/by_run.h"
#include "cli/cli.h"
#include "cli/plot_opt.h"

/* Option keys (clear of the commands' own, of fit_print.h's and of
 * plot_opt.h's). */
enum {
    GROUP_KEY_WHERE = CLI_KEY_FIRST_FREE + 320,
    GROUP_KEY_BY,
    GROUP_KEY_THREADS
};

/* The three entries for a command's option table; where_help is the help
 * line of --where (each command words it for what it does). */
#define GROUP_OPTS(where_help)                                                 \
    {"where", GROUP_KEY_WHERE, 1, "COL=VAL", (where_help)},                    \
        BY_OPT_BY(GROUP_KEY_BY), BY_OPT_THREADS(GROUP_KEY_THREADS)

/* What --where, --by and --threads asked for. */
typedef struct {
    const char *where; /* --where COL=VAL, or NULL */
    const char *by;    /* --by COL, or NULL */
    long nthreads;     /* --threads, 0 for one per core */
    char *wcol;        /* after group_opt_split: --where's column (owns the
                        * copy), or NULL */
    char *wval;        /* --where's value (inside wcol's copy), or NULL */
} group_opt;

void group_opt_init(group_opt *g);

/* Free what group_opt_split made (g->wcol); the options stay. */
void group_opt_fini(group_opt *g);

/* Handle one option key: 1 when it was one of GROUP_KEY_* (g updated), 0
 * when it is not, -1 on a bad value (usage message printed; exit with
 * CLI_EUSAGE). */
int group_opt_parse(const cli_cmd *c, int key, const char *arg, group_opt *g);

/* "give --where or --by, not both", then, when plot is not NULL, --plot
 * with --by ("--plot draws one series ...").  Returns an exit code
 * (message printed). */
int group_opt_check(const cli_cmd *c, const group_opt *g, const plot_opt *plot);

/* Split --where COL=VALUE into g->wcol and g->wval (nothing to do without
 * --where, or when it is split already).  Returns an exit code (usage
 * message printed). */
int group_opt_split(const cli_cmd *c, group_opt *g);

/* plot_opt_check(c, plot, path), group_opt_split and group_opt_check, in
 * this order (forecast, backtest, compare).  On failure the split is
 * freed.  Returns an exit code (message printed). */
int group_opt_check_all(const cli_cmd *c, group_opt *g, const plot_opt *plot,
                        const char *path);

/* --by: read the series file path grouped by --by and run fn(ctx) on
 * every group (by_run_frames); command names the command in the JSON.
 * Returns the exit status. */
int group_opt_run(const cli_cmd *c, const group_opt *g, const char *command,
                  const char *path, by_fn fn, void *ctx);

/* The sink of the one series of a run without --by: c's format, messages
 * naming c and the input file path; no output yet (s->out NULL). */
void group_opt_sink(by_sink *s, const cli_cmd *c, const char *path);

/* Without --by: split --where (group_opt_split), read the series file path
 * and select its one frame or the --where group (cli_read_series), then
 * free the split and set up the series' sink s (group_opt_sink).  Returns
 * an exit code (message printed); on success *set owns everything and *f
 * is borrowed from it. */
int group_opt_read(const cli_cmd *c, group_opt *g, const char *path,
                   tally_frame_set **set, tally_frame **f, by_sink *s);

#endif /* TALLY_GROUP_OPT_H */
