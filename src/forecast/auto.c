/* SPDX-License-Identifier: MIT
 *
 * --model auto: choice across model families.  Placeholder.
 */
#include "forecast/forecast_int.h"
#include "tally/tally_status.h"

int tly_auto_run(const tally_fc_spec *spec, const double *y, size_t n,
                 tally_freq freq, tally_fc_result *out)
{
    (void)spec;
    (void)y;
    (void)n;
    (void)freq;
    (void)out;
    return TALLY_ERROR(TALLY_EINVAL,
                       "--model auto is not implemented yet");
}
