/* SPDX-License-Identifier: MIT
 *
 * Internal entry points of the forecasting families, called by
 * tally_fc_run (src/forecast/forecast.c).  Each fills a tally_fc_result
 * whose forecast arrays are already allocated for h steps and nlevels
 * levels (mean, lower, upper, fitted), with freq, first, h, levels set.
 */
#ifndef TALLY_FORECAST_INT_H
#define TALLY_FORECAST_INT_H

#include "tally/tally_forecast.h"

/* ARIMA and automatic ARIMA (src/forecast/arima*.c). */
int tly_arima_run(const tally_fc_spec *spec, const double *y, size_t n,
                  tally_freq freq, tally_fc_result *out);
/* ETS and automatic ETS (src/forecast/ets*.c). */
int tly_ets_run(const tally_fc_spec *spec, const double *y, size_t n,
                tally_freq freq, tally_fc_result *out);
/* mean, naive, snaive, drift (src/forecast/baseline.c). */
int tly_baseline_run(const tally_fc_spec *spec, const double *y, size_t n,
                     tally_freq freq, tally_fc_result *out);

#endif /* TALLY_FORECAST_INT_H */
