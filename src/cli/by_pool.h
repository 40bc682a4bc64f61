/* SPDX-License-Identifier: MIT
 *
 * A small pool of POSIX threads for `--by COL`: run one function over the
 * items 0..n-1 (the groups), the threads taking the next item in turn.
 * Which thread runs which item is not fixed, so the function must write
 * only to item i's own storage and derive nothing (seeds included) from
 * the thread or the order; printing is left to the caller, after the pool,
 * in item order, so the output does not depend on the number of threads.
 * Library error messages are thread-local (src/core/status.c).
 */
#ifndef TALLY_CLI_BY_POOL_H
#define TALLY_CLI_BY_POOL_H

#include <stddef.h>

/* At most this many threads. */
#define BY_MAX_THREADS 64

/* The help lines of --by and --threads, for a command's cli_opt table. */
#define BY_OPT_BY(key)                                                        \
    {"by", (key), 1, "COL",                                                   \
     "run on every group of column COL (in parallel; output in group "       \
     "order)"}
#define BY_OPT_THREADS(key)                                                   \
    {"threads", (key), 1, "N",                                                \
     "threads for --by (default: one per core); the output is the same"}

/* Parse --threads N (1..BY_MAX_THREADS).  Returns 1 on success. */
int by_parse_threads(const char *s, long *out);

/* The number of threads to use: requested when > 0, else one per online
 * core; at most BY_MAX_THREADS. */
size_t by_threads(long requested);

/* Run work(ctx, i) for every i < n on up to nthreads threads (the caller
 * being one of them); returns when all are done.  GSL's error handler is
 * off for the whole run (see by_pool.c). */
void by_pool_run(size_t n, size_t nthreads, void (*work)(void *ctx, size_t i),
                 void *ctx);

#endif /* TALLY_CLI_BY_POOL_H */
