/* SPDX-License-Identifier: MIT
 *
 * tally changepoint: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_changepoint(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'changepoint' is not implemented yet");
    return CLI_EANALYSIS;
}
