/* SPDX-License-Identifier: MIT
 *
 * Rolling-origin evaluation ("backtesting") of any forecasting model that
 * tally_fc_run can fit, as R's forecast::tsCV does it: for each origin
 * t = N, N + 1, ..., n - H the model is fitted to y_1..y_t and forecasts
 * H steps ahead; the errors y_{t+h} - yhat_{t+h|t} of all origins are
 * pooled.  Only origins whose whole horizon is observed are used.
 *
 * Measures (forecast::accuracy's definitions, "Test set" row): ME, RMSE,
 * MAE, MPE and MAPE (percent; an actual value of 0 makes them infinite,
 * printed as null), MASE = MAE / scale with scale the mean absolute
 * seasonal difference (lag m = 12 or 4; lag 1 for annual data) of the
 * first training window y_1..y_N.  With N = n - H there is one origin and
 * the figures are accuracy(forecast(fit_on_first_N, h = H), actual).
 *
 * Interval measures, for each level L: coverage (share of actual values
 * within the L% interval) and the interval (Winkler) score of Gneiting and
 * Raftery (2007, eq. 43), (u - l) + (2/a)(l - y)[y < l] + (2/a)(y - u)[y > u]
 * with a = 1 - L/100: smaller is better, width plus a penalty for misses.
 *
 * Proper scores of the predictive distribution, when the model provides
 * one (see tally_backtest_result.distribution): the continuous ranked
 * probability score (CRPS; for count distributions its discrete form,
 * the ranked probability score), the logarithmic score -log p(y) (a
 * density for continuous distributions, a probability for counts: only
 * comparable between models of the same kind), and the probability
 * integral transform (PIT): its mean and a 10-bin histogram, for counts
 * the non-randomised PIT histogram of Czado, Gneiting and Held (2009).
 * A calibrated forecast has a flat histogram (0.1 per bin) and mean 0.5.
 */
#ifndef TALLY_BACKTEST_H
#define TALLY_BACKTEST_H

#include <stddef.h>

#include "tally/tally_forecast.h"
#include "tally/tally_period.h"

#define TALLY_BT_PIT_BINS 10   /* bins of the PIT histogram */
#define TALLY_BT_MAX_MODELS 16 /* distinct model names counted */

/* Predictive distributions that proper scores are computed for. */
typedef enum {
    TALLY_BT_DIST_NONE = 0,  /* unknown (e.g. simulated intervals) */
    TALLY_BT_DIST_NORMAL,    /* mean -/+ z sd: ARIMA, ETS, baselines */
    TALLY_BT_DIST_LOGNORMAL, /* --log: normal on the log scale */
    TALLY_BT_DIST_POISSON,   /* poisson-trend: plug-in Poisson(mean) */
    TALLY_BT_DIST_NEGBIN,    /* negbin-trend: plug-in NB2(mean, theta),
                                theta from the coefficient "theta" */
    /* Added (additive): the count models' simulated distribution, with
     * parameter uncertainty (tally_fc_result.draw), whenever they were
     * forecast with intervals; the plug-in laws above remain for results
     * without draws. */
    TALLY_BT_DIST_POISSON_SIM, /* poisson-trend: mixture of Poissons */
    TALLY_BT_DIST_NEGBIN_SIM   /* negbin-trend: mixture of NB2s */
} tally_bt_dist;

/* Pooled accuracy of a set of forecasts (all horizons, or one). */
typedef struct {
    size_t n;            /* forecast/actual pairs with an observed actual */
    double me, rmse, mae, mpe, mape, mase;
    double coverage[TALLY_FC_MAX_LEVELS]; /* share inside, per level */
    double winkler[TALLY_FC_MAX_LEVELS];  /* mean interval score, per level */
    size_t nscored;      /* pairs with a predictive distribution */
    double crps;         /* mean CRPS (RPS for counts); NaN when nscored 0 */
    double logscore;     /* mean -log p(y); Inf when some p(y) = 0 */
    double pit_mean;     /* mean PIT (0.5 when calibrated) */
    double pit_hist[TALLY_BT_PIT_BINS]; /* shares per PIT decile */
} tally_bt_stats;

/* One model name and how many origins chose it (automatic models). */
typedef struct {
    char model[64];
    size_t origins;
} tally_bt_model_count;

typedef struct {
    tally_fc_spec spec;  /* the model as requested */
    tally_freq freq;
    tally_period start;  /* first period of the series */
    size_t n;            /* length of the series */
    size_t initial;      /* N: observations in the first training window */
    size_t horizon;      /* H */
    size_t origins;      /* origins attempted: n - H - N + 1 */
    size_t failed;       /* origins where the model could not be fitted
                            (left out, as tsCV leaves NA) */
    char first_error[256]; /* the first such failure, "" when none */
    tally_period first_origin, last_origin; /* last training period of the
                                               first and last origins */
    int lag;             /* lag of the MASE scale */
    double scale;        /* MASE scale; NaN when it cannot be computed */
    size_t nlevels;
    double levels[TALLY_FC_MAX_LEVELS];
    tally_bt_dist distribution; /* of the model's forecasts (at the last
                                   successful origin) */
    tally_bt_stats overall;
    tally_bt_stats *by_horizon;  /* horizon entries, h = 1..H */
    size_t nmodels;      /* distinct fitted model names, by first use */
    tally_bt_model_count models[TALLY_BT_MAX_MODELS];
    size_t nmodels_other; /* origins whose model is not in models[] */
} tally_backtest_result;

/* The name of a distribution ("normal", "lognormal", "poisson",
 * "negbin", "simulated-poisson", "simulated-negbin"), or NULL for
 * TALLY_BT_DIST_NONE. */
const char *tally_bt_dist_name(tally_bt_dist d);

/* Backtest spec on y[0..n-1] (frequency freq, first period start):
 * origins initial..n-horizon (initial = 0 picks the default, see below),
 * intervals at levels[0..nlevels-1] (percent).  The default initial
 * window is half the series, but at least two seasonal cycles (or 10
 * observations for annual data) and at most n - horizon.  Missing actual
 * values are left out of the measures (forecast::accuracy's na.rm);
 * missing values in a training window are handled by tally_fc_run.
 * Returns TALLY_OK, TALLY_EINVAL (bad horizon, initial or levels),
 * TALLY_ETOOFEW (fewer observations than the horizon), the status of the
 * first failure when the model could be fitted at no origin (the message
 * names that origin), or TALLY_ENOMEM.  Release with
 * tally_backtest_result_fini. */
int tally_backtest_run(const tally_fc_spec *spec, const double *y, size_t n,
                       tally_freq freq, tally_period start, size_t initial,
                       size_t horizon, const double *levels, size_t nlevels,
                       tally_backtest_result *out);

void tally_backtest_result_fini(tally_backtest_result *r);

#endif /* TALLY_BACKTEST_H */
