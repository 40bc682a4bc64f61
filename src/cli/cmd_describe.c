/* SPDX-License-Identifier: MIT
 *
 * tally describe: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_describe(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'describe' is not implemented yet");
    return CLI_EANALYSIS;
}
