/* SPDX-License-Identifier: MIT
 *
 * Count models for forecasting (poisson-trend, negbin-trend): a GLM on
 * trend and season.  Placeholder until the regression engine lands.
 */
#include "forecast/forecast_int.h"
#include "tally/tally_status.h"

int tly_count_run(const tally_fc_spec *spec, const double *y, size_t n,
                  tally_freq freq, tally_fc_result *out)
{
    (void)spec;
    (void)y;
    (void)n;
    (void)freq;
    (void)out;
    return TALLY_ERROR(TALLY_EINVAL,
                       "count forecasting models are not implemented yet");
}
