/* SPDX-License-Identifier: MIT
 *
 * Annual totals: one bar per year with its total written above it.  A year
 * observed for fewer periods than a full year (a partial first or last
 * year, or months missing) is drawn in a lighter colour and named in the
 * legend, so that a short year is not read as a fall.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>

static int check(const tally_plot_annual *d)
{
    if (d->n == 0 || d->total == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot annual: no totals");
    }
    if (d->first_year < TALLY_YEAR_MIN ||
        (long)d->first_year + (long)d->n - 1 > TALLY_YEAR_MAX) {
        return TALLY_ERROR(TALLY_ERANGE, "plot annual: years outside %d..%d",
                           TALLY_YEAR_MIN, TALLY_YEAR_MAX);
    }
    if (d->periods != NULL && d->per_year != 1 && d->per_year != 4 &&
        d->per_year != 12) {
        return TALLY_ERROR(TALLY_EINVAL,
                           "plot annual: per_year must be 1, 4 or 12");
    }
    return TALLY_OK;
}

static int incomplete(const tally_plot_annual *d, size_t i)
{
    return d->periods != NULL && d->periods[i] < (size_t)d->per_year;
}

int tly_plot_annual_write(tly_plot *w, const tally_plot_annual *d)
{
    int st = check(d);
    if (st != TALLY_OK) {
        return st;
    }
    FILE *fp = w->fp;
    double lo = INFINITY, hi = -INFINITY;
    size_t nfull = 0, npart = 0, integral = 1;
    for (size_t i = 0; i < d->n; i++) {
        double v = d->total[i];
        if (!isfinite(v)) {
            continue;
        }
        tly_plot_extent(&v, 1, &lo, &hi);
        if (incomplete(d, i)) {
            npart++;
        } else {
            nfull++;
        }
        integral &= v == floor(v) && fabs(v) < 1e15;
    }
    if (nfull + npart == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot annual: every total is missing");
    }
    char title[256];
    snprintf(title, sizeof title, "%s per year",
             d->ylabel != NULL ? d->ylabel : "total");
    tly_plot_titles(w, title, d->ylabel);
    if (npart == 0) {
        fputs("set key off\n", fp);
    }
    tally_period first = tally_period_make(TALLY_FREQ_YEAR, d->first_year, 1);
    tly_plot_time_axis(w, TALLY_FREQ_YEAR, first,
                       first + (tally_period)d->n - 1);
    tly_plot_yrange_counts(w, lo);
    /* Room above the tallest bar for its label. */
    fputs("set offsets 0, 0, graph 0.08, 0\n"
          "set boxwidth 0.7 absolute\n",
          fp);
    tly_plot_block_open(w, "annual",
                        "year x total, total of a complete year, "
                        "total of an incomplete year");
    for (size_t i = 0; i < d->n; i++) {
        double v[3];
        int part = incomplete(d, i);
        v[0] = d->total[i];
        v[1] = part ? NAN : d->total[i];
        v[2] = part ? d->total[i] : NAN;
        tly_plot_row(w, first + (tally_period)i, v, 3);
    }
    tly_plot_block_close(w);
    const char *sep = "plot ";
    if (nfull > 0) {
        fprintf(fp, "%s$annual using 2:4 with boxes lc rgb '%s'", sep,
                TLY_PLOT_BLUE);
        tly_plot_key(fp, "complete year");
        sep = ", \\\n     ";
    }
    if (npart > 0) {
        fprintf(fp, "%s$annual using 2:5 with boxes lc rgb '%s'", sep,
                TLY_PLOT_SKY);
        tly_plot_key(fp, d->per_year == 12  ? "incomplete year (fewer than "
                                              "12 months)"
                         : d->per_year == 4 ? "incomplete year (fewer than 4 "
                                              "quarters)"
                                            : "incomplete year");
        sep = ", \\\n     ";
    }
    /* The label format is fixed text chosen here, never user text. */
    fprintf(fp,
            "%s$annual using 2:3:(sprintf('%s', $3)) with labels "
            "offset 0,0.7 tc rgb '#222222' notitle\n",
            sep, integral ? "%.0f" : "%.1f");
    return TALLY_OK;
}
