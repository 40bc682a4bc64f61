/* SPDX-License-Identifier: MIT
 *
 * tally plot: not built yet (placeholder until its issue lands).
 */
#include "cli/cli.h"

int cmd_plot(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_warn("'plot' is not implemented yet");
    return CLI_EANALYSIS;
}
