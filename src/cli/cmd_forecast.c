/* SPDX-License-Identifier: MIT
 *
 * tally forecast: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_forecast(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'forecast' is not implemented yet");
    return CLI_EANALYSIS;
}
