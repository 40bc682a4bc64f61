/* SPDX-License-Identifier: MIT
 *
 * libFuzzer target: the study-file parser.
 */
#include <stddef.h>
#include <stdint.h>

#include "tally/tally_study.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tally_study *s = NULL;
    if (tally_study_read_mem("fuzz.ini", (const char *)data, size, &s) == 0) {
        tally_study_free(s);
    }
    return 0;
}
