/* SPDX-License-Identifier: MIT
 *
 * libFuzzer target: the CSV table reader and the series-file builder.  The
 * first byte picks the chunk size, so chunk boundaries are fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>

#include "tally/tally_frame.h"
#include "tally/tally_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    size_t chunk = (size_t)(data[0] % 16) + 1;
    tally_table *t = NULL;
    if (tally_table_read_mem("fuzz.csv", (const char *)data + 1, size - 1, chunk,
                             &t) == 0) {
        tally_frame_set *s = NULL;
        tally_series_options o;
        tally_series_options_init(&o);
        o.allow_unsorted = data[0] & 16;
        o.fill_holes = data[0] & 32;
        if (tally_series_from_table(t, &o, &s) == 0) {
            tally_frame_set_free(s);
        }
        tally_table_free(t);
    }
    return 0;
}
