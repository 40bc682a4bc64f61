/* SPDX-License-Identifier: MIT
 *
 * Robustness refits of an interrupted time series.
 *
 * Placebo (in-time falsification): the model is refitted on the periods
 * before the first real break only, with one fake break at every date
 * that leaves at least min_side observations on each side.  A real effect
 * should stand out: the real break's |t| (or |z|) for its level term (slope
 * term with --change slope) is ranked among the placebo |t|, and the
 * placebo p-value is (1 + #{placebo |t| >= real |t|}) / (1 + placebos).
 * With few pre-break periods there are few placebos and this p-value
 * cannot be small: its floor is 1 / (1 + placebos).
 *
 * A negative binomial refit that fails (typically: no overdispersion in a
 * short pre-period, theta infinite) is redone as its Poisson limit and
 * flagged.
 *
 * Sensitivity: the model is refitted with each break moved by
 * -K..-1, 1..K periods, and with the transition window widened by 1..K
 * periods on each side (the exclusion window that ends just before,
 * starts at, or contains the break; without one, the window
 * [P - w, P + w - 1] around the break P).
 */
#include "stats/its_int.h"
#include "tally/tally_status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A refit; a negative binomial refit that fails (on a short pre-period the
 * counts often show no overdispersion, and theta runs to infinity) is
 * repeated as its Poisson limit, and *poisson says so. */
static int refit(const tly_its_data *dt, const tally_its_options *o,
                 const tly_its_spec *s, tally_fit **fit, long *lv, long *sl,
                 int *poisson)
{
    *poisson = 0;
    int st = tly_its_fit_spec(dt, o, s, NULL, fit, lv, sl);
    if (st != TALLY_OK && o->fit.family == TALLY_FAMILY_NEGBIN) {
        tally_its_options po = *o;
        po.fit.family = TALLY_FAMILY_POISSON;
        st = tly_its_fit_spec(dt, &po, s, NULL, fit, lv, sl);
        *poisson = st == TALLY_OK;
    }
    return st;
}

static size_t per_break(const tally_its_options *o)
{
    return (size_t)((o->change & TALLY_ITS_LEVEL) != 0) +
           (size_t)((o->change & TALLY_ITS_SLOPE) != 0);
}

static size_t usable_rows(const tly_its_data *dt, const tly_its_spec *s,
                          size_t lo, size_t hi)
{
    size_t k = 0;
    for (size_t i = lo; i < hi && i < dt->n; i++) {
        if (i < s->cut && !tly_its_in_window(s, i) && !isnan(dt->y[i]) &&
            (dt->off == NULL || !isnan(dt->off[i]))) {
            k++;
        }
    }
    return k;
}

int tly_its_placebo(tally_its_result *r, const tly_its_data *dt,
                    const tly_its_spec *s, const long *lv, const long *sl)
{
    tally_its_placebo *pl = &r->placebo;
    tally_its_options o = r->options;
    o.nbreaks = 1;
    pl->run = 1;
    int use_level = (o.change & TALLY_ITS_LEVEL) != 0;
    long real_term = use_level ? lv[0] : sl[0];
    snprintf(pl->term, sizeof pl->term, "%s%s", r->controlled ? "treated:" : "",
             use_level ? "level" : "slope");
    pl->real_estimate = r->fit->estimate[real_term];
    pl->real_statistic = r->fit->statistic[real_term];
    /* The refits have one break: p minus the other breaks' terms (twice
     * that with a control, whose break terms come in shared and treated
     * copies). */
    size_t pb = per_break(&o) * (r->controlled ? 2 : 1);
    size_t p1 = r->fit->p - (r->nbreaks - 1) * pb;
    pl->min_side =
        r->options.placebo_min > 0 ? r->options.placebo_min : (p1 + 1) / 2;
    if (pl->min_side < 3) {
        pl->min_side = 3;
    }
    tly_its_spec ps = *s;
    ps.nbreaks = 1;
    ps.cut = s->brk[0];
    size_t first = s->brk[0];
    pl->fits = calloc(first ? first : 1, sizeof *pl->fits);
    if (pl->fits == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    size_t more = 0, at_least = 0;
    for (size_t j = 1; j < first; j++) {
        if (usable_rows(dt, &ps, 0, j) < pl->min_side ||
            usable_rows(dt, &ps, j, first) < pl->min_side) {
            continue;
        }
        tally_its_placebo_fit *pf = &pl->fits[pl->n++];
        pf->period = dt->start + (tally_period)j;
        pf->estimate = pf->statistic = pf->p_value = NAN;
        ps.brk[0] = j;
        tally_fit *fit = NULL;
        long plv[1], psl[1];
        if (refit(dt, &o, &ps, &fit, plv, psl, &pf->poisson) != TALLY_OK) {
            continue; /* a failed refit (singular, ...) is reported, not
                         fatal */
        }
        long t = use_level ? plv[0] : psl[0];
        pf->ok = 1;
        pf->estimate = fit->estimate[t];
        pf->statistic = fit->statistic[t];
        pf->p_value = fit->p_value[t];
        tally_fit_free(fit);
        pl->n_ok++;
        more += fabs(pf->statistic) > fabs(pl->real_statistic);
        at_least += fabs(pf->statistic) >= fabs(pl->real_statistic);
    }
    tally_error_clear();
    pl->rank = 1 + more;
    pl->p_value = (1.0 + (double)at_least) / (1.0 + (double)pl->n_ok);
    if (pl->n_ok == 0) {
        pl->p_value = NAN;
        tly_its_note(r,
                     "No admissible placebo date (%zu observations needed "
                     "on each side of a fake break before the real one).",
                     pl->min_side);
    }
    return TALLY_OK;
}

/* Fill the estimates of one sensitivity refit. */
static void sens_terms(tally_its_sens *e, const tally_fit *f, long lv, long sl,
                       int log_link)
{
    double q = tally_fit_crit(f);
    long t[2] = {lv, sl};
    double *out[2][4] = {
        {&e->level, &e->level_low, &e->level_high, &e->level_p},
        {&e->slope, &e->slope_low, &e->slope_high, &e->slope_p}};
    for (int k = 0; k < 2; k++) {
        if (t[k] < 0) {
            *out[k][0] = *out[k][1] = *out[k][2] = *out[k][3] = NAN;
            continue;
        }
        double b = f->estimate[t[k]], se = f->std_error[t[k]];
        double lo = b - q * se, hi = b + q * se;
        *out[k][0] = log_link ? exp(b) : b;
        *out[k][1] = log_link ? exp(lo) : lo;
        *out[k][2] = log_link ? exp(hi) : hi;
        *out[k][3] = f->p_value[t[k]];
    }
}

/* Refit with spec ss and record it. */
static void sens_fit(tally_its_result *r, const tly_its_data *dt,
                     const tly_its_spec *ss, tally_its_sens *e, size_t brk)
{
    tally_fit *fit = NULL;
    long lv[TALLY_ITS_MAX_BREAKS], sl[TALLY_ITS_MAX_BREAKS];
    e->ok = 0;
    e->level = e->level_low = e->level_high = e->level_p = NAN;
    e->slope = e->slope_low = e->slope_high = e->slope_p = NAN;
    if (tly_its_check_regimes(dt, &r->options, ss) != TALLY_OK ||
        refit(dt, &r->options, ss, &fit, lv, sl, &e->poisson) != TALLY_OK) {
        return;
    }
    e->ok = 1;
    e->n = fit->n;
    sens_terms(e, fit, lv[brk], sl[brk], fit->log_link);
    tally_fit_free(fit);
}

int tly_its_sensitivity(tally_its_result *r, const tly_its_data *dt,
                        const tly_its_spec *s)
{
    size_t K = r->options.sensitivity;
    size_t max = r->nbreaks * 3 * K;
    r->sens = calloc(max ? max : 1, sizeof *r->sens);
    if (r->sens == NULL) {
        return TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < r->nbreaks; j++) {
        size_t b = s->brk[j];
        size_t lo = j == 0 ? 0 : s->brk[j - 1];
        size_t hi = j + 1 == r->nbreaks ? dt->n : s->brk[j + 1];
        /* The break moved by d: it must stay strictly between its
         * neighbours and inside the series. */
        for (long d = -(long)K; d <= (long)K; d++) {
            long nb = (long)b + d;
            if (d == 0 || nb <= (long)lo || nb >= (long)hi) {
                continue;
            }
            tly_its_spec ss = *s;
            ss.brk[j] = (size_t)nb;
            tally_its_sens *e = &r->sens[r->nsens++];
            e->kind = 0;
            e->brk = j;
            e->shift = d;
            e->period = dt->start + (tally_period)nb;
            sens_fit(r, dt, &ss, e, j);
        }
        /* The transition window widened by w on each side. */
        long adj = -1;
        for (size_t w = 0; w < s->nwin; w++) {
            if (s->win_to[w] + 1 == b ||
                (s->win_from[w] <= b && s->win_to[w] >= b)) {
                adj = (long)w;
                break;
            }
        }
        for (size_t w = 1; w <= K; w++) {
            tly_its_spec ss = *s;
            size_t from, to;
            if (adj >= 0) {
                from = s->win_from[adj] >= w ? s->win_from[adj] - w : 0;
                to = s->win_to[adj] + w;
            } else {
                from = b >= w ? b - w : 0;
                to = b + w - 1;
            }
            if (to >= dt->n) {
                to = dt->n - 1;
            }
            if (adj >= 0) {
                ss.win_from[adj] = from;
                ss.win_to[adj] = to;
            } else {
                ss.win_from[ss.nwin] = from;
                ss.win_to[ss.nwin] = to;
                ss.nwin++;
            }
            tally_its_sens *e = &r->sens[r->nsens++];
            e->kind = 1;
            e->brk = j;
            e->shift = (long)w;
            e->period = dt->start + (tally_period)b;
            e->has_window = 1;
            e->win_from = dt->start + (tally_period)from;
            e->win_to = dt->start + (tally_period)to;
            sens_fit(r, dt, &ss, e, j);
        }
    }
    tally_error_clear();
    return TALLY_OK;
}
