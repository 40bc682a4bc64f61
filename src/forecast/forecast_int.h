/* SPDX-License-Identifier: MIT
 *
 * Internal entry points of the forecasting families, called by
 * tally_fc_run (src/forecast/forecast.c).  Each fills a tally_fc_result
 * whose forecast arrays are already allocated for h steps and nlevels
 * levels (mean, lower, upper, fitted), with freq, first, h, levels, start
 * and period set.  y has no leading or trailing missing values; interior
 * ones (NaN) reach only the families that handle them (ARIMA, baselines,
 * count models).  spec->log is already applied (y is log y).
 */
#ifndef TALLY_FORECAST_INT_H
#define TALLY_FORECAST_INT_H

#include "tally/tally_forecast.h"

/* ARIMA and automatic ARIMA (src/forecast/arima*.c). */
int tly_arima_run(const tally_fc_spec *spec, const double *y, size_t n,
                  tally_freq freq, tally_fc_result *out);
/* The same with exogenous regressors (xreg NULL: none); the regressor
 * columns start at the first observation used. */
int tly_arima_run_x(const tally_fc_spec *spec, const double *y, size_t n,
                    tally_freq freq, const tally_fc_xreg *xreg,
                    tally_fc_result *out);
/* ETS and automatic ETS (src/forecast/ets*.c). */
int tly_ets_run(const tally_fc_spec *spec, const double *y, size_t n,
                tally_freq freq, tally_fc_result *out);
/* mean, naive, snaive, drift (src/forecast/baseline.c). */
int tly_baseline_run(const tally_fc_spec *spec, const double *y, size_t n,
                     tally_freq freq, tally_fc_result *out);
/* poisson-trend, negbin-trend (src/forecast/count.c). */
int tly_count_run(const tally_fc_spec *spec, const double *y, size_t n,
                  tally_freq freq, tally_fc_result *out);
/* --model auto: choice across families (src/forecast/auto.c). */
int tly_auto_run(const tally_fc_spec *spec, const double *y, size_t n,
                 tally_freq freq, tally_fc_result *out);

/* Seasonal period of a frequency: 12 monthly, 4 quarterly, else 1. */
int tly_fc_period(tally_freq freq);

/* Append a sentence to out->warning (or out->note), separated by "; ",
 * truncated to the field's size. */
void tly_fc_warn(tally_fc_result *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void tly_fc_note(tally_fc_result *out, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Normal quantile of the two-sided level (percent): z with
 * P(|Z| <= z) = level/100. */
double tly_fc_z(double level);

#endif /* TALLY_FORECAST_INT_H */
