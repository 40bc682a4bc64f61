/* SPDX-License-Identifier: MIT
 *
 * tally side of bench/arima.sh: arima:auto (tally_fc_run) on every series
 * listed in DIR/index.tsv; prints file, p d q P D Q, constant, AICc and
 * the CPU seconds of each fit (reading the file is not timed).
 * Usage: arima_bench DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tally/tally_forecast.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    char path[4096], line[4096];
    if (argc != 2) {
        fprintf(stderr, "usage: arima_bench DIR\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/index.tsv", argv[1]);
    FILE *idx = fopen(path, "r");
    if (idx == NULL) {
        perror(path);
        return 3;
    }
    tally_fc_spec spec;
    tally_fc_spec_parse("arima:auto", &spec);
    double levels[2] = {80, 95};
    while (fgets(line, sizeof line, idx) != NULL) {
        char *tab = strchr(line, '\t');
        if (tab == NULL) {
            continue;
        }
        *tab = '\0';
        snprintf(path, sizeof path, "%s/%s", argv[1], line);
        tally_frame_set *set = NULL;
        if (tally_series_read(path, NULL, &set) != TALLY_OK) {
            fprintf(stderr, "%s: %s\n", path, tally_last_error());
            return 1;
        }
        tally_frame *f = set->frames[0];
        tally_fc_result r;
        memset(&r, 0, sizeof r);
        double t0 = cpu_seconds();
        int st = tally_fc_run(&spec, f->cols[0], f->n, f->freq, f->start, 12,
                              levels, 2, &r);
        double el = cpu_seconds() - t0;
        if (st != TALLY_OK || r.spec.family != TALLY_FC_ARIMA) {
            printf("%s NA NA NA NA NA NA NA NA %.6f\n", line, el);
        } else {
            int c = 0;
            for (size_t i = 0; i < r.ncoef; i++) {
                c |= strcmp(r.coef[i].term, "intercept") == 0
                     || strcmp(r.coef[i].term, "drift") == 0;
            }
            printf("%s %d %d %d %d %d %d %d %.10g %.6f\n", line,
                   r.spec.order[0], r.spec.order[1], r.spec.order[2],
                   r.spec.seasonal[0], r.spec.seasonal[1], r.spec.seasonal[2],
                   c, r.aicc, el);
        }
        tally_fc_result_fini(&r);
        tally_frame_set_free(set);
    }
    fclose(idx);
    return 0;
}
