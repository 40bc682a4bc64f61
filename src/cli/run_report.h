/* SPDX-License-Identifier: MIT
 *
 * report.md of `tally run`: the headline numbers of each step, read back
 * from the step's JSON output, with links to its table and pictures.
 */
#ifndef TALLY_CLI_RUN_REPORT_H
#define TALLY_CLI_RUN_REPORT_H

#include "tally/tally_study.h"

/* Write dir/report.md for study s whose steps have run into dir.  The
 * report is the same whether or not plots were rendered (it names the PNG
 * a render produces), so --check can compare it.  Returns an exit code. */
int tly_run_report_write(const tally_study *s, const char *dir, int rendered);

#endif /* TALLY_CLI_RUN_REPORT_H */
