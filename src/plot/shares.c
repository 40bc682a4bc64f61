/* SPDX-License-Identifier: MIT
 *
 * Shares: each group's share of the total as a horizontal bar, largest at
 * the top, with the percentage and the total written at the bar's end.
 * Group names are user text: they become y tic labels, which gnuplot reads
 * as format strings, so they are quoted with '%' doubled.
 */
#include "plot/plot_int.h"

#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One group to sort: qsort passes no context, so each item carries a
 * pointer to the figure. */
typedef struct {
    const tally_plot_shares *d;
    size_t i;
} item;

/* Largest total first; equal totals by name, bytewise, so the order does
 * not depend on the input order. */
static int by_total(const void *a, const void *b)
{
    const item *x = a, *y = b;
    double tx = x->d->total[x->i], ty = y->d->total[y->i];
    if (tx != ty) {
        return tx > ty ? -1 : 1;
    }
    const char *nx = x->d->names[x->i] ? x->d->names[x->i] : "";
    const char *ny = y->d->names[y->i] ? y->d->names[y->i] : "";
    int c = strcmp(nx, ny);
    if (c != 0) {
        return c;
    }
    return x->i < y->i ? -1 : (x->i > y->i);
}

int tly_plot_shares_write(tly_plot *w, const tally_plot_shares *d)
{
    if (d->n == 0 || d->names == NULL || d->total == NULL) {
        return TALLY_ERROR(TALLY_EINVAL, "plot shares: no groups");
    }
    double sum = 0;
    size_t m = 0;
    int integral = 1;
    for (size_t i = 0; i < d->n; i++) {
        double v = d->total[i];
        if (!isfinite(v)) {
            continue;
        }
        if (v < 0) {
            return TALLY_ERROR(TALLY_EDOMAIN,
                               "plot shares: group %zu has a negative total; "
                               "shares need totals >= 0",
                               i + 1);
        }
        sum += v;
        m++;
        integral &= v == floor(v) && v < 1e15;
    }
    if (m == 0) {
        return TALLY_ERROR(TALLY_EMISSING,
                           "plot shares: every total is missing");
    }
    if (!(sum > 0)) {
        return TALLY_ERROR(TALLY_ECONSTANT,
                           "plot shares: the totals add up to 0");
    }
    item *it = malloc(m * sizeof *it);
    if (it == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "plot shares: out of memory");
    }
    m = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (isfinite(d->total[i])) {
            it[m].d = d;
            it[m].i = i;
            m++;
        }
    }
    qsort(it, m, sizeof *it, by_total);
    FILE *fp = w->fp;
    char title[256];
    snprintf(title, sizeof title, "share of %s by %s",
             d->ylabel != NULL ? d->ylabel : "the total",
             d->by != NULL ? d->by : "group");
    tly_plot_titles(w, title, NULL);
    double top = 100 * d->total[it[0].i] / sum;
    /* Room at the right of the longest bar for its label. */
    fputs("set key off\nset xrange [0:", fp);
    tly_plot_num(fp, top * 1.3 + 1);
    fputs("]\nset yrange [", fp);
    tly_plot_num(fp, -0.6);
    fputc(':', fp);
    tly_plot_num(fp, (double)m - 0.4);
    fputs("]\nset xlabel 'share of the total (%)'\n", fp);
    if (w->o->terminal == TALLY_PLOT_DUMB) {
        fputs("unset grid\n", fp);
    } else {
        fputs("set grid noytics xtics lt 1 lc rgb '" TLY_PLOT_LIGHT "' lw 1\n",
              fp);
    }
    fputs("set ytics scale 0 (", fp);
    for (size_t r = 0; r < m; r++) {
        if (r > 0) {
            fputs(", ", fp);
        }
        tly_plot_quote(fp, d->names[it[r].i], 1);
        fprintf(fp, " %zu", m - 1 - r);
    }
    fputs(")\n", fp);
    tly_plot_block_open(w, "shares", "y share_percent total");
    for (size_t r = 0; r < m; r++) {
        double v[3] = {(double)(m - 1 - r), 100 * d->total[it[r].i] / sum,
                       d->total[it[r].i]};
        tly_plot_row_plain(w, v, 3);
    }
    tly_plot_block_close(w);
    fprintf(fp,
            "plot $shares using (0):1:(0):2:($1-0.35):($1+0.35) "
            "with boxxyerror lc rgb '%s' fs solid 1.0 noborder notitle, \\\n"
            "     $shares using 2:1:(sprintf('%s', $2, $3)) "
            "with labels left offset 0.6,0 tc rgb '#222222' notitle\n",
            TLY_PLOT_BLUE, integral ? "%.1f%%  (%.0f)" : "%.1f%%  (%.4g)");
    free(it);
    return TALLY_OK;
}
