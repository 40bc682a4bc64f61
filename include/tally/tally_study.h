/* SPDX-License-Identifier: MIT
 *
 * Study files: a declarative INI file (read with inih) naming the inputs
 * (path and expected sha256) and the steps of an analysis, each step a
 * tally command with its options.  This module parses and validates the
 * file and hashes files; running the steps is the command-line layer's job
 * (src/cli/cmd_run.c), since steps are commands.
 *
 * Format (see docs/studies.md):
 *
 *     [study]
 *     name = truce
 *     title = Militant attacks in Pakistan before and after the truce
 *     out = ../plots/truce          ; output folder, relative to this file
 *
 *     [input picss]
 *     path = ../data/pakistan-picss/monthly.csv
 *     sha256 = 64 hex digits        ; optional; checked when given
 *
 *     [step its_attacks]
 *     command = its
 *     input = picss                 ; an input's name
 *     value = attacks               ; every other key is an option: --value attacks
 *     break = 2022-12
 *     exclude = 2022-11:2022-11
 *     family = negbin
 *     robust = true                 ; "true" makes a flag without value
 *
 * A key may repeat (each occurrence is one option, in file order).  Step
 * and input names are [A-Za-z0-9_-]; outputs are written only inside the
 * output folder, named after the step.
 */
#ifndef TALLY_STUDY_H
#define TALLY_STUDY_H

#include <stddef.h>

#define TALLY_SHA256_HEX 65 /* 64 hex digits and NUL */

typedef struct {
    char *key;    /* option name without dashes */
    char *value;  /* its value ("true" for a flag) */
} tally_study_opt;

typedef struct {
    char *name;           /* input name */
    char *path;           /* as written (relative to the study file) */
    char *sha256;         /* expected hash, or NULL */
    size_t line;          /* line of the section header */
} tally_study_input;

typedef struct {
    char *name;           /* step name: output files are <name>.<ext> */
    char *command;        /* tally command */
    char *input;          /* input name, or NULL */
    size_t nopt;
    tally_study_opt *opts;/* options in file order */
    size_t line;          /* line of the section header */
} tally_study_step;

typedef struct {
    char *path;           /* the study file as given */
    char *dir;            /* its folder ("." when none) */
    char *name;           /* [study] name */
    char *title;          /* [study] title, or NULL */
    char *out;            /* [study] out, relative to dir, or NULL */
    size_t ninputs;
    tally_study_input *inputs;
    size_t nsteps;
    tally_study_step *steps;
} tally_study;

/* Read and validate a study file.  Errors (TALLY_EIO, TALLY_EPARSE) name
 * the file and line. */
int tally_study_read(const char *path, tally_study **out);
/* The same from memory (tests, fuzzing); name is used in messages and as
 * the study's path. */
int tally_study_read_mem(const char *name, const char *buf, size_t len,
                         tally_study **out);
void tally_study_free(tally_study *s);

/* The input called name, or NULL. */
const tally_study_input *tally_study_find_input(const tally_study *s,
                                                const char *name);

/* Is a name safe as a file name inside the output folder (letters, digits,
 * '_', '-', '.', not starting with '.', no "..")? */
int tally_study_safe_name(const char *name);

/* SHA-256 of a file as 64 lowercase hex digits.  TALLY_EIO on failure. */
int tally_sha256_file(const char *path, char hex[TALLY_SHA256_HEX]);

/* Join dir and a relative path ("a/b" + "c.csv" -> "a/b/c.csv"); absolute
 * paths are returned unchanged.  Caller frees. */
char *tally_path_join(const char *dir, const char *rel);

#endif /* TALLY_STUDY_H */
