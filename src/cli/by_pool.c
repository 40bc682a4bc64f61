/* SPDX-License-Identifier: MIT
 *
 * The thread pool of `--by COL` (see by_pool.h): an atomic counter hands
 * out the items; each thread takes the next one until none is left.
 */
#include "cli/by_pool.h"
#include "cli/cli.h"

#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

typedef struct {
    void (*work)(void *ctx, size_t i); /* what to do with item i */
    void *ctx;                         /* its context */
    size_t n;                          /* items */
    atomic_size_t next;                /* the next item not yet taken */
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) {
            return NULL;
        }
        p->work(p->ctx, i);
    }
}

int by_parse_threads(const char *s, long *out)
{
    return cli_parse_long(s, 1, BY_MAX_THREADS, out);
}

size_t by_threads(long requested)
{
    long n = requested;
    if (n <= 0) {
        n = sysconf(_SC_NPROCESSORS_ONLN);
    }
    if (n <= 0) {
        n = 1;
    }
    return n > BY_MAX_THREADS ? BY_MAX_THREADS : (size_t)n;
}

void by_pool_run(size_t n, size_t nthreads, void (*work)(void *ctx, size_t i),
                 void *ctx)
{
    pool p;
    p.work = work;
    p.ctx = ctx;
    p.n = n;
    atomic_init(&p.next, 0);
    pthread_t th[BY_MAX_THREADS];
    size_t started = 0;
    if (nthreads > n) {
        nthreads = n;
    }
    if (nthreads > BY_MAX_THREADS) {
        nthreads = BY_MAX_THREADS;
    }
    /* The model code turns GSL's abort-on-error handler off around its
     * calls and puts back what it found; threads doing that at once could
     * put the abort back while another is inside GSL.  With the handler
     * off for the whole parallel section, every thread finds and restores
     * "off". */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    /* If a thread cannot be started, the ones that did (and this one)
     * share the work: the result is the same. */
    while (started + 1 < nthreads &&
           pthread_create(&th[started], NULL, worker, &p) == 0) {
        started++;
    }
    worker(&p);
    for (size_t i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
    }
    gsl_set_error_handler(old);
}
