/* SPDX-License-Identifier: MIT
 *
 * Error messages that name the input file (cli_file.h).
 */
#include "cli/cli_file.h"

#include "tally/tally_status.h"

#include <stdio.h>
#include <string.h>

const char *cli_file_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cli_file_named(const char *path, const char *msg)
{
    const char *name = cli_file_name(path);
    size_t n = strlen(name);
    return strncmp(msg, name, n) == 0 &&
           (msg[n] == ':' || msg[n] == ',' || msg[n] == ' ');
}

void cli_error_file(const char *path, const char *msg)
{
    const char *name = cli_file_name(path);
    if (cli_file_named(path, msg)) {
        fprintf(stderr, "tally: %s\n", msg);
    } else {
        fprintf(stderr, "tally: %s: %s\n", name, msg);
    }
}

int cli_fail_file(const char *path, int status)
{
    const char *msg = tally_last_error();
    cli_error_file(path, msg[0] ? msg : tally_strerror(status));
    return tally_exit_code(status);
}
