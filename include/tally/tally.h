/* SPDX-License-Identifier: MIT
 *
 * libtally: every public header.  A C program can do everything the tally
 * command does by including this file and linking the tally library.
 */
#ifndef TALLY_H
#define TALLY_H

#include "tally/tally_backtest.h"
#include "tally/tally_changepoint.h"
#include "tally/tally_compare.h"
#include "tally/tally_date.h"
#include "tally/tally_describe.h"
#include "tally/tally_design.h"
#include "tally/tally_events.h"
#include "tally/tally_fit.h"
#include "tally/tally_forecast.h"
#include "tally/tally_frame.h"
#include "tally/tally_glm.h"
#include "tally/tally_its.h"
#include "tally/tally_ols.h"
#include "tally/tally_period.h"
#include "tally/tally_plot.h"
#include "tally/tally_status.h"
#include "tally/tally_study.h"
#include "tally/tally_table.h"
#include "tally/tally_vcov.h"

#endif /* TALLY_H */
