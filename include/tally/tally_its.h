/* SPDX-License-Identifier: MIT
 *
 * Interrupted time series (segmented regression), tally its.
 *
 * The model regresses the series on
 *   intercept, time (1..n), for each break j: level_j (0 before the break
 *   period P_j, 1 from P_j on) and slope_j (0 before P_j, then 1, 2, ...
 *   from P_j on), season terms (none, calendar dummies or Fourier pairs,
 *   tally_design.h),
 * with an optional offset, for the families of tally_fit.h (gaussian,
 * poisson, quasipoisson, negbin).  With one break the terms are `level`
 * and `slope`; with several, `level1`, `slope1`, `level2`, ... in date
 * order.  `--change level` keeps only the level terms (the step model of
 * many published analyses), `--change slope` only the slopes.
 *
 * Periods inside an exclusion window (a transition) are left out of the fit
 * but keep their position, so `time` and the break terms of the other
 * periods do not move.
 *
 * Controlled ITS (a comparison series): both series are stacked, 2n rows,
 * and the design is
 *   intercept, time, level_j, slope_j, season terms        (shared)
 *   treated, treated:time, treated:level_j, treated:slope_j
 * where treated = 1 on the rows of the series under study.  The
 * treated:level/slope terms are the change in the series beyond the change
 * seen in the control at the same time (a difference in differences of
 * levels and trends; Lopez Bernal, Cummins & Gasparrini 2018, "The use of
 * controls in interrupted time series studies of public health
 * interventions", Int J Epidemiol 47(6):2082-2093, for the design).
 * Season terms are common to both series.  The counterfactual of the treated
 * series sets only its own treated:* break terms to zero.
 *
 * Derived results, all from the fitted coefficients b and their covariance
 * V (the one used for inference: classical, HC or HAC):
 *   - effect at horizon k after break j (k = 1 is the break period):
 *     c'b with c = level_j + k slope_j, interval c'b +- q sqrt(c'Vc), shown
 *     as exp(.) (a rate ratio) for the log-link families;
 *   - the counterfactual path: the model with every break term set to 0,
 *     over the post periods (from the first break to the end of the data,
 *     plus `horizon` periods after it), mean and pointwise interval
 *     (log scale then exp for log links; q as the coefficient intervals);
 *   - the cumulative difference observed - counterfactual summed over the
 *     post periods with an observed value, with an interval that reflects
 *     the uncertainty of the counterfactual only (the observed counts are
 *     taken as given): by the delta method on the log of the
 *     counterfactual sum (log links; on the sum itself for gaussian), or
 *     by a seeded parametric bootstrap (b* ~ N(b, V), percentile interval).
 *
 * Robustness checks: placebo (in-time falsification) refits the model on
 * the pre-period alone with a fake break at every admissible date and ranks
 * the real break's statistic among them; sensitivity refits with the break
 * moved up to K periods either way and with the transition window widened.
 */
#ifndef TALLY_ITS_H
#define TALLY_ITS_H

#include <stddef.h>

#include "tally/tally_design.h"
#include "tally/tally_fit.h"
#include "tally/tally_frame.h"

#define TALLY_ITS_MAX_BREAKS 16  /* --break given at most this often */
#define TALLY_ITS_MAX_EXCLUDE 16 /* --exclude windows */
#define TALLY_ITS_MAX_EFFECTS 32 /* --effect-at horizons */

/* Which break terms enter the model (bit set). */
enum { TALLY_ITS_LEVEL = 1, TALLY_ITS_SLOPE = 2 };

/* How the cumulative difference gets its interval. */
typedef enum {
    TALLY_ITS_CUM_DELTA = 0, /* delta method (default) */
    TALLY_ITS_CUM_BOOTSTRAP  /* parametric bootstrap, seeded */
} tally_its_cum_method;

typedef struct {
    tally_fit_options fit;          /* family, covariance, level (percent) */
    tally_season_kind season;       /* default none */
    int fourier_k;                  /* K of fourier:K */
    const char *offset_col;         /* offset or exposure column, or NULL */
    int exposure;                   /* 1: log(offset_col) is the offset */
    const char *control_col;        /* comparison series column, or NULL */
    const char *control_offset_col; /* its offset/exposure column (same
                                       kind as offset_col), or NULL */
    int change;                     /* TALLY_ITS_LEVEL | TALLY_ITS_SLOPE */
    size_t nbreaks;                 /* number of breaks (>= 1) */
    tally_period breaks[TALLY_ITS_MAX_BREAKS];        /* first periods of the
                                                         new regimes */
    size_t nexclude;                                  /* exclusion windows */
    tally_period exclude_from[TALLY_ITS_MAX_EXCLUDE]; /* inclusive */
    tally_period exclude_to[TALLY_ITS_MAX_EXCLUDE];
    size_t horizon;  /* counterfactual periods past the data */
    size_t neffects; /* horizons for the effect table */
    long effect_at[TALLY_ITS_MAX_EFFECTS]; /* k >= 1 */
    int ci_z;                        /* 1: normal (Wald z) tests and intervals
                                        even for t-based fits */
    tally_its_cum_method cum_method; /* default delta */
    size_t nboot;                    /* bootstrap draws (default 1999) */
    unsigned long seed;              /* bootstrap seed (default 20170101) */
    int placebo;                     /* 1: run the placebo refits */
    size_t placebo_min;              /* observations each side of a fake
                                        break; 0: max(3, ceil(p / 2)) */
    size_t sensitivity;              /* K: shifts -K..K and widenings 1..K; 0
                                        for none */
} tally_its_options;

/* Defaults: gaussian, classical covariance, 95%, level+slope, no season,
 * effects at 1, 6, 12, delta method, 1999 draws, seed 20170101. */
void tally_its_options_init(tally_its_options *o);

/* One break as fitted. */
typedef struct {
    tally_period period; /* first period of the new regime */
    size_t index;        /* its 1-based position in the series */
    long level_term;     /* index of its level term in the fit, or -1 */
    long slope_term;     /* index of its slope term, or -1 */
    size_t n_before;     /* observations used between the previous break
                            (or the start) and this one */
} tally_its_break;

/* The effect of break `brk` k periods into its regime. */
typedef struct {
    size_t brk;                 /* 0-based break */
    long k;                     /* horizon, 1 = the break period */
    tally_period period;        /* the period P_brk + k - 1 */
    double estimate;            /* exp(level + k slope) for log links, else the
                                   difference level + k slope */
    double conf_low, conf_high; /* at the fit's quantile */
    double conf_low_z, conf_high_z; /* Wald z interval (same as above for
                                       z-based fits) */
    double p_value;                 /* test of level + k slope = 0 */
} tally_its_effect;

/* One period of the counterfactual path. */
typedef struct {
    tally_period period;
    double observed;            /* the value (NaN if missing, excluded, or past
                                   the data) */
    int excluded;               /* 1 inside an exclusion window */
    double fitted;              /* the model's mean with the break terms */
    double mean;                /* counterfactual mean (break terms 0) */
    double conf_low, conf_high; /* its pointwise interval */
} tally_its_cf;

typedef struct {
    double observed;       /* sum of the observed values */
    double counterfactual; /* sum of the counterfactual means */
    double estimate;       /* observed - counterfactual */
    double conf_low, conf_high;
    size_t periods;        /* periods summed */
    tally_period from, to; /* first and last period summed */
    tally_its_cum_method method;
    size_t nboot;       /* bootstrap draws used (0 for delta) */
    unsigned long seed; /* seed used (bootstrap) */
} tally_its_cumulative;

/* One placebo refit. */
typedef struct {
    tally_period period; /* fake break */
    int ok;              /* 0 when the refit failed (singular, ...) */
    int poisson;         /* 1: a negbin refit found no overdispersion
                            (theta infinite) and was refitted as its
                            Poisson limit */
    double estimate;     /* coefficient of the tested term */
    double statistic;    /* its t or z */
    double p_value;
} tally_its_placebo_fit;

typedef struct {
    int run;                     /* 1 when requested */
    char term[TALLY_TERM_MAX];   /* the term compared ("level" or "slope") */
    size_t min_side;             /* observations required each side */
    size_t n;                    /* admissible fake dates */
    size_t n_ok;                 /* refits that succeeded */
    tally_its_placebo_fit *fits; /* n entries (owned) */
    double real_estimate, real_statistic; /* the real break's */
    size_t rank;    /* 1 + number of placebo |statistic| strictly
                       above the real one */
    double p_value; /* (1 + #{|placebo| >= |real|}) / (1 + n_ok) */
} tally_its_placebo;

/* One sensitivity refit. */
typedef struct {
    int kind;                      /* 0: break moved; 1: transition widened */
    size_t brk;                    /* which break (0-based) */
    long shift;                    /* periods moved (kind 0) or added to each
                                      side of the transition window (kind 1) */
    tally_period period;           /* break period used */
    int has_window;                /* 1 when a transition window is excluded */
    tally_period win_from, win_to; /* that window */
    int ok;                        /* 0 when the refit failed */
    int poisson;                   /* 1: negbin refitted as its Poisson limit */
    size_t n;                      /* observations used */
    double level, level_low, level_high, level_p; /* level term (NaN if
                                                     absent), exp() for log
                                                     links */
    double slope, slope_low, slope_high, slope_p; /* slope term */
} tally_its_sens;

typedef struct {
    tally_its_options options; /* as used (effects and defaults filled) */
    tally_fit *fit;            /* the fitted model (owned) */
    tally_freq freq;           /* of the series */
    tally_period start;        /* first period */
    size_t n_series;           /* periods in the series */
    int controlled;            /* 1 with a control series */
    size_t nbreaks;
    tally_its_break breaks[TALLY_ITS_MAX_BREAKS];
    size_t n_excluded;   /* observations left out by --exclude */
    int log_link;        /* 1 for the count families */
    double crit, crit_z; /* interval quantiles (fit's, normal) */
    size_t neffects;
    tally_its_effect effects[TALLY_ITS_MAX_BREAKS * TALLY_ITS_MAX_EFFECTS];
    size_t ncf;       /* post periods + horizon */
    tally_its_cf *cf; /* ncf entries (owned) */
    tally_its_cumulative cumulative;
    int autocorrelated; /* 1 when a residual test has p < 0.05 */
    tally_its_placebo placebo;
    size_t nsens;
    tally_its_sens *sens; /* nsens entries (owned) */
    char notes[1024];     /* caveats, "" when none */
} tally_its_result;

/* Fit the model to column `value` of frame f.  Errors:
 *   TALLY_EINVAL    bad options (no break, unknown column, K out of range)
 *   TALLY_ERANGE    a break or an exclusion window outside the series, two
 *                   equal breaks, an exclusion window covering no period
 *                   with data (usage errors, exit 2)
 *   TALLY_ETOOFEW   too few observations before a break for the model's
 *                   parameters, or none after it (exit 1)
 *   and those of tally_fit_model (singular design, no convergence, ...).
 * On success *out owns everything; free with tally_its_result_free. */
int tally_its_fit(const tally_frame *f, const char *value,
                  const tally_its_options *o, tally_its_result **out);

void tally_its_result_free(tally_its_result *r);

#endif /* TALLY_ITS_H */
