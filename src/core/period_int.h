/* SPDX-License-Identifier: MIT
 *
 * The calendar's end, for code that extends a series past its data
 * (forecasts, an ITS counterfactual's --horizon).  Years are 1..9999
 * (tally_period.h): a period of year 10000 would print as "10000-01",
 * which no tally command reads back, so such code refuses to go past
 * tly_period_last and says how many periods fit.  Nothing here is
 * installed.
 */
#ifndef TALLY_PERIOD_INT_H
#define TALLY_PERIOD_INT_H

#include "tally/tally_period.h"

/* The last period of frequency freq: 9999-12, 9999-Q4 or 9999. */
tally_period tly_period_last(tally_freq freq);

/* How many periods follow p up to tly_period_last(freq) (0 when p is the
 * last one). */
int64_t tly_period_room_after(tally_freq freq, tally_period p);

#endif /* TALLY_PERIOD_INT_H */
