/* SPDX-License-Identifier: MIT
 *
 * tally compare: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_compare(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'compare' is not implemented yet");
    return CLI_EANALYSIS;
}
