/* SPDX-License-Identifier: MIT
 *
 * ARIMA: placeholder while the Kalman-filter likelihood is built.
 */
#include "forecast/forecast_int.h"
#include "tally/tally_status.h"

int tly_arima_run_x(const tally_fc_spec *spec, const double *y, size_t n,
                    tally_freq freq, const tally_fc_xreg *xreg,
                    tally_fc_result *out)
{
    (void)spec;
    (void)y;
    (void)n;
    (void)freq;
    (void)xreg;
    (void)out;
    return TALLY_ERROR(TALLY_EINVAL, "ARIMA models are not implemented yet");
}

int tly_arima_run(const tally_fc_spec *spec, const double *y, size_t n,
                  tally_freq freq, tally_fc_result *out)
{
    return tly_arima_run_x(spec, y, n, freq, NULL, out);
}
