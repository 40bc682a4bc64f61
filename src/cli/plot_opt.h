/* SPDX-License-Identifier: MIT
 *
 * The `--plot FILE.gp` option of the analysis commands (describe, trend,
 * its, compare, changepoint): with it a command writes the gnuplot script
 * of its result at the same time as its normal output, through the plot
 * library (tally_plot.h), from the result it has just computed (no file
 * is read again).  `--terminal png|svg|pdf|dumb` and `--render` work as
 * for `tally plot`.
 *
 * A command puts PLOT_OPTS in its option table, passes every option key
 * to plot_opt_parse, calls plot_opt_check once the options are parsed,
 * builds its figure and then, around its own output:
 *
 *   rc = cli_out_open(&c, input, &out);
 *   if (rc == CLI_OK) rc = plot_opt_save(&c, &po, &fig);
 *   if (rc == CLI_OK) ... print to out.fp ...
 *   rc2 = cli_out_close(&out, rc == CLI_OK);
 *   rc = plot_opt_finish(&c, &po, rc != CLI_OK ? rc : rc2);
 *
 * so that nothing is written when the analysis fails, no script is left
 * behind when the output cannot be written, and gnuplot runs (--render)
 * only after the output is complete.
 */
#ifndef TALLY_PLOT_OPT_H
#define TALLY_PLOT_OPT_H

#include "cli/cli.h"
#include "tally/tally_plot.h"

/* Option keys (clear of the commands' own and of fit_print.h's). */
enum {
    PLOT_KEY_PLOT = CLI_KEY_FIRST_FREE + 300,
    PLOT_KEY_TERMINAL,
    PLOT_KEY_RENDER
};

/* The three entries for a command's option table. */
#define PLOT_OPTS                                                              \
    {"plot", PLOT_KEY_PLOT, 1, "FILE.gp",                                      \
     "also write a gnuplot script of the result (picture FILE.png next to "    \
     "it; see tally plot --help)"},                                            \
        {"terminal", PLOT_KEY_TERMINAL, 1, "T",                                \
         "with --plot: png (default), svg, pdf or dumb (text)"},               \
    {                                                                          \
        "render", PLOT_KEY_RENDER, 0, NULL,                                    \
            "with --plot: run gnuplot on the script when it is installed"      \
    }

/* What --plot, --terminal and --render asked for, and what was done. */
typedef struct {
    const char *path;             /* --plot FILE.gp, or NULL: no plot */
    tally_plot_terminal terminal; /* --terminal (default png) */
    int terminal_given;           /* 1 when --terminal was given */
    int render;                   /* --render */
    int saved;                    /* 1 once the script has been written */
} plot_opt;

void plot_opt_init(plot_opt *p);

/* Handle one option key: 1 when it was one of PLOT_KEY_* (p updated), 0
 * when it is not, -1 on a bad value (usage message printed; exit with
 * CLI_EUSAGE). */
int plot_opt_parse(const cli_cmd *c, int key, const char *arg, plot_opt *p);

/* After parsing: --terminal and --render need --plot; the script may not
 * be the input file, standard output or the -o file.  Returns an exit
 * code (message printed). */
int plot_opt_check(const cli_cmd *c, const plot_opt *p, const char *input);

/* 1 when a script is to be written. */
int plot_opt_wanted(const plot_opt *p);

/* Write the script of fig to p->path atomically (an existing file is
 * replaced when tally wrote it, otherwise only with --force); the picture
 * is the script's name with .png, .svg or .pdf for .gp, next to it.  On
 * error nothing is written and the message is printed.  Returns an exit
 * code.  Does nothing without --plot. */
int plot_opt_save(const cli_cmd *c, plot_opt *p, const tally_plot_figure *fig);

/* Close the run: when rc (the command's exit code so far) is not 0, the
 * script written by plot_opt_save is removed, so that a failed command
 * leaves nothing behind; otherwise, with --render, gnuplot runs on it.
 * A dumb picture goes to standard output, or to standard error when the
 * command printed csv or json there (so that the data stay readable).
 * Returns the final exit code: rc, or 3 when gnuplot ran and failed (the
 * script is kept and named); a missing gnuplot only warns. */
int plot_opt_finish(const cli_cmd *c, plot_opt *p, int rc);

#endif /* TALLY_PLOT_OPT_H */
