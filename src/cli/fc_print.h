/* SPDX-License-Identifier: MIT
 *
 * Printing forecasting results (tally_fc_result) as tables, CSV and JSON,
 * shared by `forecast` and `backtest`.  JSON fields follow CLI.md and the
 * reference README: model, family, n, order/seasonal_order (ARIMA),
 * coefficients[] {term, estimate, std_error}, sigma2, loglik, aic, aicc,
 * bic, forecast[] {period, mean, intervals[] {level, lower, upper}}.
 */
#ifndef TALLY_FC_PRINT_H
#define TALLY_FC_PRINT_H

#include <jansson.h>
#include <stdio.h>

#include "tally/tally_forecast.h"

/* Short family name as printed in JSON ("arima", "ets", "naive", ...). */
const char *fc_family_name(tally_fc_family f);

/* Add the model description to obj: model, family, spec, n, n_missing,
 * from, to, period, log, order/seasonal_order (ARIMA), coefficients,
 * sigma2, loglik, aic, aicc, bic, converged, seed (when used), note and
 * warning (when not empty).  Returns 0, or -1 when out of memory. */
int fc_json_add_model(json_t *obj, const tally_fc_result *r);

/* The forecast[] array: period, mean, intervals[] {level, lower, upper}.
 * NULL when out of memory. */
json_t *fc_json_forecast(const tally_fc_result *r);

/* R-like table of the model (name, coefficients, fit statistics). */
void fc_print_model_table(FILE *fp, const tally_fc_result *r,
                          const char *value_name);
/* Aligned table of the forecasts, one row per period. */
void fc_print_forecast_table(FILE *fp, const tally_fc_result *r);
/* CSV of the forecasts: period,mean,lower_L,upper_L,... */
void fc_print_forecast_csv(FILE *fp, const tally_fc_result *r);

#endif /* TALLY_FC_PRINT_H */
