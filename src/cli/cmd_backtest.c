/* SPDX-License-Identifier: MIT
 *
 * tally backtest: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_backtest(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'backtest' is not implemented yet");
    return CLI_EANALYSIS;
}
