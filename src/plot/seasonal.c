/* SPDX-License-Identifier: MIT
 *
 * The seasonal plot: one line per year across the months (or quarters),
 * so that a recurring seasonal pattern shows as lines of the same shape.
 * Up to eight years take the Okabe-Ito colours with a legend; more years
 * take a sequential colour scale from light (early) to dark (late), with
 * the years on a colour bar.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr",
                                           "May", "Jun", "Jul", "Aug",
                                           "Sep", "Oct", "Nov", "Dec"};

int tly_plot_seasonal_write(tly_plot *w, const tally_plot_seasonal *d)
{
    int st = tly_plot_check_axis(&d->t, "seasonal");
    if (st != TALLY_OK) {
        return st;
    }
    if (d->t.freq == TALLY_FREQ_YEAR) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot seasonal: needs monthly or quarterly data");
    }
    if (d->y == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot seasonal: no values");
    }
    size_t f = (size_t)d->t.freq, n = d->t.n;
    tally_period last = d->t.start + (tally_period)n - 1;
    int y0 = tally_period_year(d->t.freq, d->t.start);
    int y1 = tally_period_year(d->t.freq, last);
    size_t ny = (size_t)(y1 - y0 + 1);
    double lo = INFINITY, hi = -INFINITY;
    if (tly_plot_extent(d->y, n, &lo, &hi) == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot seasonal: every value is missing");
    }
    /* Values by year (columns) and month (rows); NaN where the series
     * does not reach. */
    double *grid = malloc(ny * f * sizeof *grid);
    size_t *present = calloc(ny, sizeof *present);
    if (grid == NULL || present == NULL) {
        free(grid);
        free(present);
        return TALLY_ERROR(TALLY_ENOMEM, "plot seasonal: out of memory");
    }
    for (size_t k = 0; k < ny * f; k++) {
        grid[k] = NAN;
    }
    for (size_t i = 0; i < n; i++) {
        tally_period p = d->t.start + (tally_period)i;
        size_t yr = (size_t)(tally_period_year(d->t.freq, p) - y0);
        size_t sub = (size_t)tally_period_sub(d->t.freq, p) - 1;
        grid[sub * ny + yr] = d->y[i];
        present[yr] += isfinite(d->y[i]) ? 1 : 0;
    }
    FILE *fp = w->fp;
    char title[256];
    snprintf(title, sizeof title, "%s by %s of the year",
             d->ylabel != NULL ? d->ylabel : "values",
             tally_freq_name(d->t.freq));
    tly_plot_titles(w, title, d->ylabel);
    fputs("set xrange [", fp);
    tly_plot_num(fp, 0.6);
    fputc(':', fp);
    tly_plot_num(fp, (double)f + 0.4);
    fputs("]\nset xtics (", fp);
    for (size_t s = 0; s < f; s++) {
        /* Fixed month or quarter names. */
        if (f == 12) {
            fprintf(fp, "%s'%s' %zu", s ? ", " : "", month_abbr[s], s + 1);
        } else {
            fprintf(fp, "%s'Q%zu' %zu", s ? ", " : "", s + 1, s + 1);
        }
    }
    fputs(")\n", fp);
    tly_plot_yrange_counts(w, lo);
    int many = ny > TLY_PLOT_NCOLORS;
    if (many) {
        /* A sequential scale (viridis end points and middle), readable by
         * colour-blind readers and in grey. */
        fputs("set key off\n"
              "set palette defined (0 '#FDE725', 0.5 '#21918C', "
              "1 '#440154')\n"
              "set cbrange [",
              fp);
        tly_plot_num(fp, y0);
        fputc(':', fp);
        tly_plot_num(fp, y1);
        fputs("]\nset cbtics format '%.0f'\nset colorbox vertical\n", fp);
    } else {
        fputs("set key outside right top vertical\n", fp);
    }
    tly_plot_block_open(w, "seasonal", "sub-period, then one column per year");
    double *row = malloc((ny + 1) * sizeof *row);
    if (row == NULL) {
        free(grid);
        free(present);
        return TALLY_ERROR(TALLY_ENOMEM, "plot seasonal: out of memory");
    }
    for (size_t s = 0; s < f; s++) {
        row[0] = (double)(s + 1);
        for (size_t yr = 0; yr < ny; yr++) {
            row[yr + 1] = grid[s * ny + yr];
        }
        tly_plot_row_plain(w, row, ny + 1);
    }
    tly_plot_block_close(w);
    const char *sep = "plot ";
    size_t drawn = 0;
    for (size_t yr = 0; yr < ny; yr++) {
        if (present[yr] == 0) {
            continue;
        }
        fprintf(fp, "%s$seasonal using 1:%zu with linespoints", sep, yr + 2);
        if (many) {
            fprintf(fp, " lc palette cb %d lw 1.5 pt 7 ps 0.5 notitle",
                    y0 + (int)yr);
        } else {
            fprintf(fp, " lt %zu lw 1.5 pt 7 ps 0.6 title '%d'", drawn + 1,
                    y0 + (int)yr);
        }
        drawn++;
        sep = ", \\\n     ";
    }
    fputc('\n', fp);
    free(row);
    free(grid);
    free(present);
    return TALLY_OK;
}
