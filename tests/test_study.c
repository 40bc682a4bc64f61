/* SPDX-License-Identifier: MIT
 *
 * Study files: parsing, validation errors with line numbers, hashing.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tally/tally_status.h"
#include "tally/tally_study.h"

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/tally-study-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs(text, fp);
    fclose(fp);
    return path;
}

Test(study, parses_inputs_steps_and_repeated_options)
{
    char *p = write_tmp("; comment\n[study]\nname = t\nout = o\n\n"
                        "[input a]\npath = a.csv\n\n"
                        "[step s1]\ncommand = its\ninput = a\nbreak = 2020-01\n"
                        "break = 2021-01\nrobust = true\n");
    tally_study *s = NULL;
    cr_assert_eq(tally_study_read(p, &s), TALLY_OK, "%s", tally_last_error());
    cr_expect_str_eq(s->name, "t");
    cr_expect_str_eq(s->out, "o");
    cr_assert_eq(s->ninputs, 1);
    cr_assert_eq(s->nsteps, 1);
    cr_expect_str_eq(s->steps[0].command, "its");
    cr_assert_eq(s->steps[0].nopt, 3);
    cr_expect_str_eq(s->steps[0].opts[1].value, "2021-01");
    tally_study_free(s);
    unlink(p);
}

static void expect_bad(const char *text, const char *needle)
{
    char *p = write_tmp(text);
    tally_study *s = NULL;
    cr_expect_eq(tally_study_read(p, &s), TALLY_EPARSE, "%s", text);
    cr_expect(strstr(tally_last_error(), needle) != NULL, "'%s' not in '%s'",
              needle, tally_last_error());
    unlink(p);
}

Test(study, rejects_bad_files_naming_the_line)
{
    expect_bad("[study]\nname = t\n[step ../x]\ncommand = its\n", ":3: section [step ../x]");
    expect_bad("[study]\nname = t\n[step a]\ninput = nope\ncommand = its\n", ":3: step 'a' uses unknown input 'nope'");
    expect_bad("[study]\nname = t\n[step a]\ncommand = its\noutput = /etc/x\n", ":5: 'output' is set by tally run");
    expect_bad("[study]\nname = t\n[bogus]\nx = 1\n", ":3: unknown section [bogus]");
    expect_bad("[study]\nname = t\n", "no [step NAME]");
    expect_bad("[study]\nname = t\nthis is not ini\n", ":3: not a valid INI line");
    expect_bad("[study]\nname = t\n[step a]\ncommand = its\n[step a]\ncommand = its\n", ":5: step 'a' defined twice");
}

Test(study, safe_names)
{
    cr_expect(tally_study_safe_name("its_attacks-2"));
    cr_expect(!tally_study_safe_name("../x"));
    cr_expect(!tally_study_safe_name("/abs"));
    cr_expect(!tally_study_safe_name(".hidden"));
    cr_expect(!tally_study_safe_name("a/b"));
    cr_expect(!tally_study_safe_name(""));
}

Test(study, sha256_of_known_text)
{
    /* sha256("abc") from FIPS 180-2, appendix B.1. */
    char *p = write_tmp("abc");
    char hex[TALLY_SHA256_HEX];
    cr_assert_eq(tally_sha256_file(p, hex), TALLY_OK);
    cr_expect_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    unlink(p);
}
