/* SPDX-License-Identifier: MIT
 *
 * Benchmark helper for bench/glm.sh: fits the Poisson trend-with-season
 * model (intercept + time + month2..month12, log link, IRLS) to every
 * numeric column of a wide monthly series file and prints the number of
 * fits, the wall time of the fitting loop, and the sum of the time
 * coefficients (so the peers' results can be compared).
 * Usage: glm_bench SERIES.csv
 */
#include <stdio.h>
#include <time.h>

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: glm_bench SERIES.csv\n");
        return 2;
    }
    tally_frame_set *set = NULL;
    int st = tally_series_read(argv[1], NULL, &set);
    if (st != TALLY_OK) {
        fprintf(stderr, "glm_bench: %s\n", tally_last_error());
        return 1;
    }
    tally_frame *f = set->frames[0];
    tally_fit_options o;
    tally_fit_options_init(&o);
    o.family = TALLY_FAMILY_POISSON;
    o.diagnostics = 0;
    /* The same convergence rule as R's default glm.control (1e-8) and
     * statsmodels' default (1e-8 on the deviance). */
    o.epsilon = 1e-8;
    double t0 = now(), sum = 0;
    size_t fits = 0;
    for (size_t j = 0; j < f->ncol; j++) {
        tally_design *d = NULL;
        tally_fit *fit = NULL;
        st = tally_design_from_frame(f, f->names[j], &d);
        if (st == TALLY_OK) {
            st = tally_design_add_intercept(d);
        }
        if (st == TALLY_OK) {
            st = tally_design_add_time(d);
        }
        if (st == TALLY_OK) {
            st = tally_design_add_season(d, TALLY_SEASON_DUMMIES, 0);
        }
        if (st == TALLY_OK) {
            st = tally_fit_model(d, &o, &fit);
        }
        if (st != TALLY_OK) {
            fprintf(stderr, "glm_bench: %s: %s\n", f->names[j],
                    tally_last_error());
            tally_design_free(d);
            tally_frame_set_free(set);
            return 1;
        }
        sum += fit->estimate[1];
        fits++;
        tally_fit_free(fit);
        tally_design_free(d);
    }
    double t1 = now();
    printf("%zu %.6f %.12g\n", fits, t1 - t0, sum);
    tally_frame_set_free(set);
    return 0;
}
