/* SPDX-License-Identifier: MIT
 *
 * tally's side of bench/ets.sh: ets:auto (or the model given) on every
 * group of a grouped series file through tally_fc_run, timed one by one
 * in CPU time (as the R side, so that other load does not count).
 * Writes group,method,aicc,loglik,seconds,loglik_search: the last is the
 * log-likelihood of the chosen model after forecast::ets's own search
 * alone (tally's first stage, ets_opt.c), to check that it reproduces R.
 * Usage: ets_bench SERIES.csv OUT.csv [MODEL]
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "forecast/ets_int.h"
#include "tally/tally_forecast.h"
#include "tally/tally_frame.h"
#include "tally/tally_status.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    tally_frame_set *set = NULL;
    tally_series_options so;
    tally_fc_spec spec;
    const double levels[2] = {80, 95};

    if (argc < 3) {
        fprintf(stderr, "usage: ets_bench SERIES.csv OUT.csv [MODEL]\n");
        return 2;
    }
    tally_series_options_init(&so);
    so.group_col = "group";
    if (tally_series_read(argv[1], &so, &set) != TALLY_OK
        || tally_fc_spec_parse(argc > 3 ? argv[3] : "ets:auto", &spec)
               != TALLY_OK) {
        fprintf(stderr, "ets_bench: %s\n", tally_last_error());
        return 1;
    }
    FILE *out = fopen(argv[2], "w");
    if (out == NULL) {
        perror(argv[2]);
        return 3;
    }
    fprintf(out, "group,method,aicc,loglik,seconds,loglik_search\n");
    for (size_t g = 0; g < set->nframes; g++) {
        const tally_frame *f = set->frames[g];
        long col = tally_frame_column(f, "y");
        tally_fc_result r;
        double t0 = now();
        int st = tally_fc_run(&spec, f->cols[col], f->n, f->freq, f->start, 12,
                              levels, 2, &r);
        double t1 = now();
        if (st != TALLY_OK) {
            fprintf(out, "%s,error,NA,NA,%.6f,NA\n", f->group, t1 - t0);
            continue;
        }
        /* The chosen model after the first stage only (untimed). */
        double search = NAN;
        if (r.spec.family == TALLY_FC_ETS) {
            const char *c = r.spec.ets;
            tly_ets_model mod;
            int d = c[2] == 'd';
            char s = c[2 + d];
            mod.error = c[0] == 'A' ? TLY_ETS_A : TLY_ETS_M;
            mod.trend = c[1] == 'A' ? TLY_ETS_A : TLY_ETS_N;
            mod.damped = d;
            mod.season = s == 'N' ? TLY_ETS_N : s == 'A' ? TLY_ETS_A
                                                          : TLY_ETS_M;
            mod.m = mod.season != TLY_ETS_N ? r.period : 1;
            tly_ets_opt o;
            tly_ets_fit fit;
            tly_ets_opt_default(&o);
            o.polish = TLY_ETS_POLISH_NONE;
            if (tly_ets_estimate(&mod, f->cols[col], f->n, &o, &fit)
                == TALLY_OK) {
                search = fit.loglik;
            }
        }
        fprintf(out, "%s,\"%s\",%.10g,%.10g,%.6f,%.10g\n", f->group, r.model,
                r.aicc, r.loglik, t1 - t0, search);
        tally_fc_result_fini(&r);
    }
    fclose(out);
    tally_frame_set_free(set);
    return 0;
}
