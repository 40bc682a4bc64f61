/* SPDX-License-Identifier: MIT
 *
 * ETS: placeholder until the ETS work lands (the forecasting dispatcher
 * links against tly_ets_run).
 */
#include "forecast/forecast_int.h"
#include "tally/tally_status.h"

int tly_ets_run(const tally_fc_spec *spec, const double *y, size_t n,
                tally_freq freq, tally_fc_result *out)
{
    (void)spec;
    (void)y;
    (void)n;
    (void)freq;
    (void)out;
    return TALLY_ERROR(TALLY_EINVAL, "ETS models are not implemented yet");
}
