/* SPDX-License-Identifier: MIT
 *
 * tally aggregate: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_aggregate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'aggregate' is not implemented yet");
    return CLI_EANALYSIS;
}
