/* SPDX-License-Identifier: MIT
 *
 * Forecasting: one entry point for every model family (ARIMA, ETS,
 * baselines, count regressions), so that `forecast`, `backtest`, `--model
 * auto` and studies treat models alike.  A model is named by a spec string
 * as on the command line ("arima:0,1,1:0,1,1", "ets:MAM", "snaive", ...).
 * Conventions follow R's forecast package (see each family's header
 * comment in src/forecast/).
 */
#ifndef TALLY_FORECAST_H
#define TALLY_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "tally/tally_period.h"

#define TALLY_FC_MAX_LEVELS 8   /* interval levels per forecast */
#define TALLY_FC_MAX_COEF 64    /* reported coefficients per model */

/* Families of forecasting models. */
typedef enum {
    TALLY_FC_AUTO = 0,   /* choose across families */
    TALLY_FC_ARIMA,      /* arima:p,d,q[:P,D,Q] or arima:auto */
    TALLY_FC_ETS,        /* ets:XYZ or ets:auto */
    TALLY_FC_MEAN,       /* forecast::meanf */
    TALLY_FC_NAIVE,      /* forecast::naive */
    TALLY_FC_SNAIVE,     /* forecast::snaive */
    TALLY_FC_DRIFT,      /* forecast::rwf(drift = TRUE) */
    TALLY_FC_POISSON,    /* poisson-trend: Poisson GLM on trend + season */
    TALLY_FC_NEGBIN      /* negbin-trend: NB2 GLM on trend + season */
} tally_fc_family;

/* A parsed model specification. */
typedef struct {
    tally_fc_family family;
    int automatic;        /* arima:auto / ets:auto */
    int order[3];         /* ARIMA p, d, q */
    int seasonal[3];      /* ARIMA P, D, Q */
    int drift;            /* --drift: ARIMA drift term */
    int log;              /* --log: fit to log(y), back-transform */
    char ets[5];          /* ETS code as given: "MAM", "AAdN", "ANN"... */
    uint64_t seed;        /* for simulated intervals (echoed) */
    /* Added by the dispatcher's owner (additive): */
    int no_constant;      /* 1: no intercept even when undifferenced
                             (forecast::Arima(include.mean = FALSE)) */
} tally_fc_spec;

/* One reported coefficient. */
typedef struct {
    char term[32];        /* "ar1", "sma1", "intercept", "drift", "alpha" */
    double estimate;
    double std_error;     /* NaN when not available */
} tally_fc_coef;

/* The fit and its forecasts. */
typedef struct {
    char model[64];       /* human name, e.g. "ARIMA(0,1,1)(0,1,1)[12]",
                             "ETS(M,A,M)", "Seasonal naive" */
    tally_fc_spec spec;   /* the spec actually fitted (after auto choice) */
    size_t n;             /* observations used */
    size_t ncoef;         /* number of coefficients below */
    tally_fc_coef coef[TALLY_FC_MAX_COEF];
    double sigma2;        /* innovation variance (NaN if none) */
    double loglik, aic, aicc, bic; /* NaN when not defined */
    int converged;        /* 1 when the optimiser converged */
    /* Forecasts: h steps from the period after the data. */
    tally_freq freq;
    tally_period first;   /* period of the first forecast */
    size_t h;
    double *mean;         /* h point forecasts */
    size_t nlevels;
    double levels[TALLY_FC_MAX_LEVELS];  /* e.g. 80, 95 */
    double *lower;        /* nlevels * h: lower[l * h + i] */
    double *upper;        /* nlevels * h */
    double *fitted;       /* n one-step fitted values (NaN where none) */
    char note[512];       /* what was done and why (auto choice, etc.) */
    /* Added by the dispatcher's owner (additive).  Filled by tally_fc_run
     * (families need not touch them unless said): */
    tally_period start;   /* period of the first observation used */
    size_t n_missing;     /* interior missing values among the n used */
    size_t n_dropped;     /* leading/trailing missing values left out */
    int period;           /* seasonal period m used (1 when none) */
    int seeded;           /* 1 when spec.seed was used (simulation) */
    char warning[256];    /* caveats for the user ("" when none), e.g. a
                             fallback; families may append with
                             tly_fc_warn (forecast_int.h) */
    /* The simulated predictive distribution of the count models
     * (poisson-trend, negbin-trend) when intervals were asked for; 0 and
     * NULL otherwise.  For forecast period i (0 <= i < h) and draw s: */
    size_t ndraw;         /* draws per period */
    double *draw;         /* h * ndraw simulated counts y*, sorted within
                             each period: draw[i * ndraw + s] */
    double *draw_mean;    /* h * ndraw means mu* = exp(x' beta*) of the
                             parameter draws behind them (same layout,
                             not sorted) */
    double draw_theta;    /* NB2 size theta of the draws (0: Poisson) */
} tally_fc_result;

/* Exogenous regressors for a regression with ARIMA errors (R's
 * forecast::Arima(xreg = )).  Each of the k columns is aligned with y
 * (value i belongs to the period of y[i]) and continues past the last
 * observed value of y for the h forecast periods: with y observed up to
 * index L, a column holds at least L + 1 + h values, which must be known
 * (scenarios, calendar effects).  Borrowed. */
typedef struct {
    size_t k;                   /* number of regressors */
    const char *const *names;   /* k term names (as printed) */
    const double *const *cols;  /* k arrays of n + h values */
} tally_fc_xreg;

/* Parse "arima:1,1,1", "arima:0,1,1:0,1,1", "arima:auto", "ets:MAM",
 * "ets:auto", "naive", "snaive", "drift", "mean", "poisson-trend",
 * "negbin-trend", "auto".  Returns TALLY_OK or TALLY_EINVAL. */
int tally_fc_spec_parse(const char *text, tally_fc_spec *spec);

/* Fit spec to y[0..n-1] (frequency freq, first period start) and forecast
 * h steps with intervals at levels[0..nlevels-1] (percent).  On success the
 * result owns its arrays: release with tally_fc_result_fini.  Errors:
 * TALLY_EINVAL, TALLY_ETOOFEW, TALLY_ENOCONV, TALLY_EMISSING, TALLY_EDOMAIN.
 *
 * What the dispatcher does for every family (recorded in note/warning):
 * - leading and trailing missing values are left out (out->start, n and
 *   n_dropped say what was used; forecasts start after the last observed
 *   value);
 * - interior missing values: ARIMA skips them in the Kalman filter (as
 *   stats::arima), the baselines as forecast's lagwalk/meanf do, count
 *   models drop them, ETS uses the longest stretch without missing values
 *   (forecast::ets's na.contiguous);
 * - spec->log: the family is fitted to log(y) (all observed y must be
 *   > 0), and mean, limits and fitted values are exponentiated (median
 *   forecast, forecast's lambda = 0 without bias adjustment); the family
 *   receives the spec with log cleared and must not transform again;
 * - a constant series (e.g. all zeros) is forecast as that constant with
 *   zero-width intervals for ARIMA, ETS and count models (no model can be
 *   estimated), with a warning. */
int tally_fc_run(const tally_fc_spec *spec, const double *y, size_t n,
                 tally_freq freq, tally_period start, size_t h,
                 const double *levels, size_t nlevels, tally_fc_result *out);

/* As tally_fc_run with exogenous regressors (NULL or k == 0: none).
 * Only ARIMA uses them (regression with ARIMA errors, coefficients
 * estimated jointly by maximum likelihood); other families return
 * TALLY_EINVAL when given any.  A missing regressor value is an error. */
int tally_fc_run_x(const tally_fc_spec *spec, const double *y, size_t n,
                   tally_freq freq, tally_period start,
                   const tally_fc_xreg *xreg, size_t h,
                   const double *levels, size_t nlevels,
                   tally_fc_result *out);

/* The spec as text ("arima:0,1,1:0,1,1", "ets:MAM", "snaive"), into buf
 * of size bytes; returns buf. */
char *tally_fc_spec_format(const tally_fc_spec *spec, char *buf,
                           size_t size);

/* Late-reporting guard: 1 when the last value of y[0..n-1] looks like an
 * incomplete period, i.e. it is below `ratio` times the median of the
 * `window` values before it (missing values skipped) while that median is
 * at least min_median; 0 otherwise (also when there is too little data).
 * Defaults used by the CLI: ratio 0.5, window 12, min_median 5. */
int tally_fc_last_partial(const double *y, size_t n, double ratio,
                          size_t window, double min_median);

/* Release the result's arrays (safe on a zeroed or finished result). */
void tally_fc_result_fini(tally_fc_result *r);

#endif /* TALLY_FORECAST_H */
