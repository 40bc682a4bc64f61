/* SPDX-License-Identifier: MIT
 *
 * tally run: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'run' is not implemented yet");
    return CLI_EANALYSIS;
}
