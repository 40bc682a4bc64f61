/* SPDX-License-Identifier: MIT
 *
 * PELT scaling benchmark: time per observation of tally's PELT on a
 * synthetic daily count series of n = 10^3 .. 10^6 days whose Poisson rate
 * changes every 30 to 400 days (so the number of changes grows in
 * proportion to n, the setting in which Killick et al. 2012 prove PELT's
 * expected cost linear).  Prints one row per n: changes simulated, breaks
 * found, cost evaluations per point, CPU seconds and CPU microseconds per
 * point (process CPU time, so that other load on the machine matters less).
 * Built and run by bench/pelt.sh.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tally/tally_changepoint.h"
#include "tally/tally_status.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Daily counts whose rate is redrawn every 30..400 days. */
static size_t simulate(gsl_rng *rng, double *y, size_t n)
{
    size_t i = 0, changes = 0;
    while (i < n) {
        size_t len = 30 + gsl_rng_uniform_int(rng, 371);
        double rate = 0.5 + 9.5 * gsl_rng_uniform(rng);
        for (size_t j = 0; j < len && i < n; j++, i++) {
            y[i] = (double)gsl_ran_poisson(rng, rate);
        }
        changes++;
    }
    return changes - 1;
}

int main(int argc, char **argv)
{
    const char *cost = argc > 1 ? argv[1] : "poisson";
    tally_cp_options o;
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    o.tests = 0;
    o.cost = strcmp(cost, "normal") == 0    ? TALLY_CP_COST_NORMAL
             : strcmp(cost, "meanvar") == 0 ? TALLY_CP_COST_MEANVAR
                                            : TALLY_CP_COST_POISSON;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 2012);
    printf("| n | changes simulated | breaks found | evaluations / point "
           "| CPU seconds | CPU us / point |\n"
           "|---:|---:|---:|---:|---:|---:|\n");
    for (size_t n = 1000; n <= 1000000; n *= 10) {
        double *y = malloc(n * sizeof *y);
        if (y == NULL) {
            return 3;
        }
        size_t changes = simulate(rng, y, n);
        /* Best of three runs, to keep noise from other processes out. */
        double best = 1e300;
        tally_cp_result *r = NULL;
        for (int rep = 0; rep < 3; rep++) {
            tally_cp_result_free(r);
            r = NULL;
            double t0 = now();
            int st = tally_cp_fit(y, n, &o, &r);
            double dt = now() - t0;
            if (st != TALLY_OK) {
                fprintf(stderr, "pelt_bench: %s\n", tally_last_error());
                return 1;
            }
            if (dt < best) {
                best = dt;
            }
        }
        printf("| %zu | %zu | %zu | %.1f | %.4f | %.3f |\n", n, changes,
               r->nbreaks, (double)r->evaluations / (double)n, best,
               1e6 * best / (double)n);
        tally_cp_result_free(r);
        free(y);
    }
    gsl_rng_free(rng);
    return 0;
}
