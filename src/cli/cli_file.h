/* SPDX-License-Identifier: MIT
 *
 * Error messages about an input file.  Every message about input names
 * the file (hardening.md); a library error about a series ("too few
 * observations (0)", "the series has no observed values") does not know
 * which file the series came from, so the command adds it.
 */
#ifndef TALLY_CLI_FILE_H
#define TALLY_CLI_FILE_H

/* The name a path is reported under: "<stdin>" for "-". */
const char *cli_file_name(const char *path);

/* 1 when msg starts with the name of path ("FILE:LINE: ...", "FILE, ..."). */
int cli_file_named(const char *path, const char *msg);

/* Print "tally: FILE: msg" on stderr, or "tally: msg" when msg already
 * starts with the file's name ("FILE:LINE: ...", "FILE, 2020-02: ..."). */
void cli_error_file(const char *path, const char *msg);

/* cli_fail naming the file: print the last library error (see
 * cli_error_file) and return the exit code for status. */
int cli_fail_file(const char *path, int status);

#endif /* TALLY_CLI_FILE_H */
