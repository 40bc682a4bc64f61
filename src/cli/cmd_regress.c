/* SPDX-License-Identifier: MIT
 *
 * tally regress: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_regress(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'regress' is not implemented yet");
    return CLI_EANALYSIS;
}
