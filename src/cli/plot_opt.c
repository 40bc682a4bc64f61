/* SPDX-License-Identifier: MIT
 *
 * `--plot FILE.gp`, `--terminal` and `--render` for the analysis commands
 * (plot_opt.h): parsing, the checks that keep the script off the input
 * and the output, the atomic save through tally_plot_save, and the end of
 * a run (remove the script when the command failed, else render it).
 */
#include "cli/plot_opt.h"

#include "tally/tally_status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void plot_opt_init(plot_opt *p)
{
    memset(p, 0, sizeof *p);
    p->terminal = TALLY_PLOT_PNG;
}

static int parse_terminal(const char *s, tally_plot_terminal *t)
{
    static const char *const names[] = {"png", "svg", "pdf", "dumb"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(s, names[i]) == 0) {
            *t = (tally_plot_terminal)i;
            return 1;
        }
    }
    return 0;
}

int plot_opt_parse(const cli_cmd *c, int key, const char *arg, plot_opt *p)
{
    switch (key) {
    case PLOT_KEY_PLOT:
        if (arg[0] == '\0') {
            cli_usage_error(c, "--plot needs a file name");
            return -1;
        }
        p->path = arg;
        return 1;
    case PLOT_KEY_TERMINAL:
        if (!parse_terminal(arg, &p->terminal)) {
            cli_usage_error(c,
                            "--terminal must be png, svg, pdf or dumb, not "
                            "'%s'",
                            arg);
            return -1;
        }
        p->terminal_given = 1;
        return 1;
    case PLOT_KEY_RENDER:
        p->render = 1;
        return 1;
    default:
        return 0;
    }
}

int plot_opt_wanted(const plot_opt *p)
{
    return p->path != NULL;
}

/* 1 when a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a != NULL && b != NULL && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int plot_opt_check(const cli_cmd *c, const plot_opt *p, const char *input)
{
    if (p->path == NULL) {
        if (p->terminal_given || p->render) {
            return cli_usage_error(c, "--terminal and --render need --plot "
                                      "FILE.gp");
        }
        return CLI_OK;
    }
    if (strcmp(p->path, "-") == 0) {
        return cli_usage_error(c, "--plot needs a file name (the results go "
                                  "to standard output)");
    }
    /* The script never replaces the data it was computed from, nor the
     * command's own output file. */
    if ((input != NULL && strcmp(input, "-") != 0 &&
         (strcmp(p->path, input) == 0 || same_file(p->path, input)))) {
        fprintf(stderr,
                "tally: refusing to write the plot over the input "
                "file %s\n",
                p->path);
        return CLI_EUSAGE;
    }
    if (c->output != NULL && strcmp(c->output, "-") != 0 &&
        (strcmp(p->path, c->output) == 0 || same_file(p->path, c->output))) {
        return cli_usage_error(c, "--plot and -o name the same file %s",
                               p->path);
    }
    return CLI_OK;
}

/* The picture's name: the script's base name with .gp replaced by the
 * terminal's extension (relative, so the script holds no path), as
 * `tally plot -o` names it. */
static char *picture_name(const char *script, tally_plot_terminal t)
{
    static const char *const ext[] = {".png", ".svg", ".pdf", ""};
    const char *slash = strrchr(script, '/');
    const char *base = slash != NULL ? slash + 1 : script;
    size_t len = strlen(base);
    if (len > 3 && strcmp(base + len - 3, ".gp") == 0) {
        len -= 3;
    }
    size_t size = len + 8;
    char *name = malloc(size);
    if (name != NULL) {
        snprintf(name, size, "%.*s%s", (int)len, len > 0 ? base : "plot",
                 ext[t]);
    }
    return name;
}

int plot_opt_save(const cli_cmd *c, plot_opt *p, const tally_plot_figure *fig)
{
    if (p->path == NULL) {
        return CLI_OK;
    }
    tally_plot_options po;
    tally_plot_options_init(&po);
    po.terminal = p->terminal;
    po.force = c->force;
    char *pic = NULL;
    if (p->terminal != TALLY_PLOT_DUMB) {
        pic = picture_name(p->path, p->terminal);
        if (pic == NULL) {
            fputs("tally: out of memory\n", stderr);
            return CLI_EIO;
        }
    }
    po.picture = pic;
    int st = tally_plot_save(p->path, &po, fig);
    free(pic);
    if (st != TALLY_OK) {
        fprintf(stderr, "tally: --plot %s: %s\n", p->path, tally_last_error());
        return tally_exit_code(st);
    }
    p->saved = 1;
    return CLI_OK;
}

/* Run gnuplot with its standard output sent to standard error (a dumb
 * picture beside csv or json on standard output). */
static int render_to_stderr(const char *path, int *missing)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    if (saved < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        if (saved >= 0) {
            close(saved);
        }
        return tally_plot_render(path, missing);
    }
    int st = tally_plot_render(path, missing);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    return st;
}

int plot_opt_finish(const cli_cmd *c, plot_opt *p, int rc)
{
    if (p->path == NULL || !p->saved) {
        return rc;
    }
    if (rc != CLI_OK) {
        /* The command failed after the script was written: take it back,
         * so that a failed run leaves nothing behind. */
        unlink(p->path);
        p->saved = 0;
        return rc;
    }
    if (!p->render) {
        return CLI_OK;
    }
    int results_on_stdout = c->output == NULL || strcmp(c->output, "-") == 0;
    int missing = 0, st;
    fflush(stdout);
    if (p->terminal == TALLY_PLOT_DUMB && results_on_stdout &&
        c->format != CLI_TABLE) {
        st = render_to_stderr(p->path, &missing);
    } else {
        st = tally_plot_render(p->path, &missing);
    }
    if (st == TALLY_OK) {
        return CLI_OK;
    }
    if (missing) {
        cli_warn("gnuplot is not installed, so nothing was rendered; the "
                 "script is %s (run: gnuplot %s)",
                 p->path, p->path);
        return CLI_OK;
    }
    fprintf(stderr, "tally: %s\ntally: the script is kept: %s\n",
            tally_last_error(), p->path);
    return CLI_EIO;
}
