/* SPDX-License-Identifier: MIT
 *
 * Backtest errors by horizon: each error measure (MAE, RMSE, ...) as a
 * line over the forecast horizon 1..h, showing how accuracy decays with
 * the distance ahead.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

int tly_plot_backtest_write(tly_plot *w, const tally_plot_backtest *d)
{
    if (d->h == 0 || d->nmeasures == 0 || d->names == NULL ||
        d->values == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot backtest: no error measures");
    }
    if (d->h > 100000 || d->nmeasures > 64) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot backtest: too many horizons or measures");
    }
    double lo = INFINITY, hi = -INFINITY;
    size_t total = 0;
    for (size_t m = 0; m < d->nmeasures; m++) {
        if (d->values[m] == NULL) {
            return TALLY_ERROR(TALLY_EINVAL,
                               "plot backtest: measure %zu has no values",
                               m + 1);
        }
        total += tly_plot_extent(d->values[m], d->h, &lo, &hi);
    }
    if (total == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot backtest: every error is missing");
    }
    double *row = malloc((d->nmeasures + 1) * sizeof *row);
    if (row == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "plot backtest: out of memory");
    }
    FILE *fp = w->fp;
    tly_plot_titles(w, "forecast errors by horizon", d->ylabel);
    fputs("set xlabel 'horizon (periods ahead)'\nset xrange [", fp);
    tly_plot_num(fp, 0.5);
    fputc(':', fp);
    tly_plot_num(fp, (double)d->h + 0.5);
    fputs("]\n", fp);
    /* A tic at every horizon up to 24, else gnuplot's own integer tics. */
    fputs(d->h <= 24 ? "set xtics 1\n" : "set xtics\n", fp);
    tly_plot_yrange_counts(w, lo);
    if (lo < 0) {
        /* A signed measure (ME): mark zero, no bias. */
        fputs("set xzeroaxis lt 1 lc rgb '#333333' lw 1\n", fp);
    }
    tly_plot_block_open(w, "errors", "horizon, then one column per measure");
    for (size_t i = 0; i < d->h; i++) {
        row[0] = (double)(i + 1);
        for (size_t m = 0; m < d->nmeasures; m++) {
            row[m + 1] = d->values[m][i];
        }
        tly_plot_row_plain(w, row, d->nmeasures + 1);
    }
    tly_plot_block_close(w);
    free(row);
    const char *sep = "plot ";
    for (size_t m = 0; m < d->nmeasures; m++) {
        double mlo = INFINITY, mhi = -INFINITY;
        if (tly_plot_extent(d->values[m], d->h, &mlo, &mhi) == 0) {
            continue;
        }
        fprintf(fp, "%s$errors using 1:%zu with linespoints lt %zu", sep, m + 2,
                m + 1);
        tly_plot_key(fp, d->names[m]);
        sep = ", \\\n     ";
    }
    fputc('\n', fp);
    return TALLY_OK;
}
