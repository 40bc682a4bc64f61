/* SPDX-License-Identifier: MIT
 *
 * tally its: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_its(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'its' is not implemented yet");
    return CLI_EANALYSIS;
}
