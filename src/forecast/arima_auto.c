/* SPDX-License-Identifier: MIT
 *
 * Automatic ARIMA (placeholder while the search is built).
 */
#include "forecast/arima_int.h"
#include "tally/tally_status.h"

int tly_arima_auto(const tly_arima_data *dat, int m, tly_arima_fit *fit,
                   char *note, size_t note_size)
{
    (void)dat;
    (void)m;
    (void)fit;
    (void)note;
    (void)note_size;
    return TALLY_ERROR(TALLY_EINVAL, "arima:auto is not implemented yet");
}
