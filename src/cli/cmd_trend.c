/* SPDX-License-Identifier: MIT
 *
 * tally trend: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_trend(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'trend' is not implemented yet");
    return CLI_EANALYSIS;
}
