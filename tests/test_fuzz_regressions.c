/* SPDX-License-Identifier: MIT
 *
 * Replays of the fuzz targets without libFuzzer: every file under
 * tests/fuzz/regressions/<target>/ (inputs that once crashed or hung a
 * target, kept when the bug was fixed) and under tests/fuzz/corpus/<target>/
 * (the minimised corpus) goes through the same entry point as the fuzzer,
 * so the normal and sanitizer builds replay them in CI even where clang is
 * not installed.  A target aborts when one of its checks fails, which
 * Criterion reports as a crash of the test.
 *
 * The targets are compiled in here with their entry points renamed.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_series_one
#include "fuzz/fuzz_series.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_study_one
#include "fuzz/fuzz_study.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_date_one
#include "fuzz/fuzz_date.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerTestOneInput fuzz_events_one
#include "fuzz/fuzz_events.c"
#undef LLVMFuzzerTestOneInput

typedef int (*fuzz_entry)(const uint8_t *data, size_t size);

/* Read a whole file into a fresh exact-size buffer (so that ASan sees a
 * read past its end). */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    cr_assert_not_null(fp, "cannot open %s", path);
    cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
    long n = ftell(fp);
    cr_assert(n >= 0);
    rewind(fp);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n, "short read of %s",
                 path);
    fclose(fp);
    *size = (size_t)n;
    return buf;
}

/* Feed every regular file of dir (skipped when absent) to entry; returns
 * the number fed. */
static size_t replay_dir(const char *dir, fuzz_entry entry)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        return 0;
    }
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t size;
        uint8_t *data = slurp(path, &size);
        entry(data, size);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}

static void replay(const char *name, fuzz_entry entry)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s",
             TALLY_SOURCE_DIR, name);
    size_t n = replay_dir(dir, entry);
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", TALLY_SOURCE_DIR,
             name);
    n += replay_dir(dir, entry);
    cr_log_info("%s: %zu inputs replayed", name, n);
}

Test(fuzz_regressions, series)
{
    replay("series", fuzz_series_one);
}

Test(fuzz_regressions, study)
{
    replay("study", fuzz_study_one);
}

Test(fuzz_regressions, date)
{
    replay("date", fuzz_date_one);
}

Test(fuzz_regressions, events)
{
    replay("events", fuzz_events_one);
}

/* The entry points themselves: empty and one-byte inputs are fine. */
Test(fuzz_regressions, tiny_inputs)
{
    const uint8_t one[1] = {0};
    fuzz_entry all[] = {fuzz_series_one, fuzz_study_one, fuzz_date_one,
                        fuzz_events_one};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        cr_expect_eq(all[i](one, 0), 0);
        cr_expect_eq(all[i](one, 1), 0);
    }
}
