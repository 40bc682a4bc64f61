/* SPDX-License-Identifier: MIT
 *
 * `--by COL` for the model commands: run a command's per-series function
 * on every group, in parallel (by_pool.h), and print the results in group
 * order, as `tally trend --by` always has:
 *
 *   table  each group's table under a line "== COL = VALUE ==" (a blank
 *          line between groups; "Error: MESSAGE" for a group that failed);
 *   csv    one CSV: the group's CSV with the group as first column (named
 *          COL), the header once; a group that failed has no rows;
 *   json   {"command": ..., "by": COL, "groups": [{"group": VALUE, ...the
 *          document the group prints alone...}, ...]}, or {"group": VALUE,
 *          "error": MESSAGE} for a group that failed.
 *
 * Warnings and failures go to stderr after all groups have run, in group
 * order, as "tally: warning: COL = VALUE: ..."; the exit status is 0 when
 * every group succeeded, else the worst failure's (CLI.md's codes), the
 * output of the other groups being printed all the same.
 *
 * The per-series function writes through a by_sink, which is also what the
 * command's one-series path uses, so a group prints what `--where
 * COL=VALUE` prints.
 */
#ifndef TALLY_CLI_BY_RUN_H
#define TALLY_CLI_BY_RUN_H

#include "cli/by_pool.h"
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>

/* Where the results of one series go. */
typedef struct {
    cli_format format;  /* the output format */
    FILE *out;          /* table or CSV text (by a group: a memory buffer) */
    json_t *json;       /* JSON: the function sets the series' document */
    FILE *warn;         /* a group's warnings, one a line; NULL: stderr */
    const cli_cmd *cmd; /* the command (usage messages of one series) */
    char *error;        /* a group's failure message (by_fail) */
    const char *path;   /* the input file, named in one series' failures */
} by_sink;

/* 1 when the sink belongs to a group of a --by run. */
int by_grouped(const by_sink *s);

/* A warning: on stderr at once for one series; kept for a group. */
void by_warn(by_sink *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A failure with exit code `code`: for one series printed at once, naming
 * the sink's file unless the message already starts with it (with the
 * pointer to --help when code is CLI_EUSAGE); kept for a group (by_run
 * names the file and the group).
 * Returns code. */
int by_fail(by_sink *s, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A library failure: its status and the thread's last error message
 * (cli_fail_file for one series).  Returns the exit code. */
int by_fail_status(by_sink *s, int status);

/* The function a command runs on one series: the item (a frame, or what
 * the command groups), the "COL=VALUE" of the group (NULL for none), and
 * the sink.  Returns an exit code; on failure the message was given to
 * by_fail / by_fail_status (or is the thread's last library error). */
typedef int (*by_fn)(void *ctx, const void *item, const char *where,
                     by_sink *s);

/* One group: its value and the item the function runs on. */
typedef struct {
    const char *name;
    const void *item;
} by_item;

/* A --by run. */
typedef struct {
    const cli_cmd *cmd;  /* format and -o */
    const char *command; /* the command's name, for the JSON */
    const char *by;      /* the grouping column */
    const char *input;   /* the input file (-o must not be it) */
    size_t nthreads;     /* threads (by_threads) */
    by_fn fn;            /* the per-series function */
    void *ctx;           /* its context */
} by_job;

/* Run job->fn on every item (in parallel), then report and print in item
 * order.  Returns the exit status. */
int by_run(const by_job *job, const by_item *items, size_t n);

/* Read series file path grouped by column by (a usage error when the file
 * has no such column; messages printed).  Returns an exit code. */
int by_read_series(const char *path, const char *by, tally_frame_set **set);

/* by_run over the frames of a grouped set (the item is the frame). */
int by_run_frames(const by_job *job, const tally_frame_set *set);

#endif /* TALLY_CLI_BY_RUN_H */
