/* SPDX-License-Identifier: MIT
 *
 * `--where`, `--by` and `--threads` for the model commands (group_opt.h):
 * parsing, the usage checks they share, the --by run over the groups of a
 * series file and the sink of one series.
 */
#include "cli/group_opt.h"

#include <stdlib.h>
#include <string.h>

void group_opt_init(group_opt *g)
{
    memset(g, 0, sizeof *g);
}

void group_opt_fini(group_opt *g)
{
    free(g->wcol);
    g->wcol = NULL;
    g->wval = NULL;
}

int group_opt_parse(const cli_cmd *c, int key, const char *arg, group_opt *g)
{
    switch (key) {
    case GROUP_KEY_WHERE:
        g->where = arg;
        return 1;
    case GROUP_KEY_BY:
        g->by = arg;
        return 1;
    case GROUP_KEY_THREADS:
        if (!by_parse_threads(arg, &g->nthreads)) {
            cli_usage_error(c,
                            "--threads must be a whole number from 1 to %d, "
                            "not '%s'",
                            BY_MAX_THREADS, arg);
            return -1;
        }
        return 1;
    default:
        return 0;
    }
}

int group_opt_check(const cli_cmd *c, const group_opt *g, const plot_opt *plot)
{
    if (g->where != NULL && g->by != NULL) {
        return cli_usage_error(c, "give --where or --by, not both");
    }
    if (plot != NULL && g->by != NULL && plot_opt_wanted(plot)) {
        return cli_usage_error(c, "--plot draws one series: choose a group "
                                  "with --where COL=VALUE instead of --by");
    }
    return CLI_OK;
}

int group_opt_split(const cli_cmd *c, group_opt *g)
{
    if (g->where != NULL && g->wcol == NULL &&
        !cli_split_where(g->where, &g->wcol, &g->wval)) {
        return cli_usage_error(c, "--where must be COL=VALUE, not '%s'",
                               g->where);
    }
    return CLI_OK;
}

int group_opt_check_all(const cli_cmd *c, group_opt *g, const plot_opt *plot,
                        const char *path)
{
    int rc = plot_opt_check(c, plot, path);
    if (rc == CLI_OK) {
        rc = group_opt_split(c, g);
    }
    if (rc == CLI_OK) {
        rc = group_opt_check(c, g, plot);
    }
    if (rc != CLI_OK) {
        group_opt_fini(g);
    }
    return rc;
}

int group_opt_run(const cli_cmd *c, const group_opt *g, const char *command,
                  const char *path, by_fn fn, void *ctx)
{
    tally_frame_set *set = NULL;
    int rc = by_read_series(path, g->by, &set);
    if (rc == CLI_OK) {
        by_job job = {c,  command, g->by, path, by_threads(g->nthreads),
                      fn, ctx};
        rc = by_run_frames(&job, set);
    }
    tally_frame_set_free(set);
    return rc;
}

void group_opt_sink(by_sink *s, const cli_cmd *c, const char *path)
{
    memset(s, 0, sizeof *s);
    s->format = c->format;
    s->cmd = c;
    s->path = path;
}

int group_opt_read(const cli_cmd *c, group_opt *g, const char *path,
                   tally_frame_set **set, tally_frame **f, by_sink *s)
{
    *set = NULL;
    *f = NULL;
    int rc = group_opt_split(c, g);
    if (rc == CLI_OK) {
        rc = cli_read_series(path, g->wcol, g->wval, set, f);
    }
    group_opt_fini(g);
    group_opt_sink(s, c, path);
    return rc;
}
