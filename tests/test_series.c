/* SPDX-License-Identifier: MIT
 *
 * The series-file reader: every fixture at every chunk size gives the same
 * frames; each malformed file fails with file, line and column.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tally/tally_frame.h"
#include "tally/tally_status.h"
#include "tally/tally_table.h"

static const char grouped[] =
    "\xEF\xBB\xBFmonth,region,attacks,killed\r\n"
    "2022-11,Sindh,3,NA\r\n"
    "2022-12,Sindh,4,\r\n"
    "2022-11,\"Khyber, Pakhtunkhwa\",10,12\r\n"
    "2022-12,\"Khyber, Pakhtunkhwa\",11,20\r\n";

Test(series, grouped_file_same_at_every_chunk_size)
{
    for (size_t chunk = 1; chunk <= sizeof grouped; chunk++) {
        tally_table *t = NULL;
        tally_frame_set *s = NULL;
        cr_assert_eq(tally_table_read_mem("g.csv", grouped, sizeof grouped - 1,
                                          chunk, &t), TALLY_OK, "chunk %zu: %s",
                     chunk, tally_last_error());
        cr_assert_eq(tally_series_from_table(t, NULL, &s), TALLY_OK, "%s",
                     tally_last_error());
        cr_assert_eq(s->nframes, 2);
        cr_expect_str_eq(s->group_col, "region");
        /* Groups sorted bytewise: "Khyber, Pakhtunkhwa" < "Sindh". */
        cr_expect_str_eq(s->frames[0]->group, "Khyber, Pakhtunkhwa");
        cr_expect_eq(s->frames[0]->n, 2);
        cr_expect_eq(s->frames[0]->cols[1][1], 20.0);
        cr_expect(isnan(s->frames[1]->cols[1][0]));
        cr_expect(isnan(s->frames[1]->cols[1][1]));
        tally_frame_set_free(s);
        tally_table_free(t);
    }
}

static void expect_error(const char *text, const char *needle)
{
    tally_table *t = NULL;
    tally_frame_set *s = NULL;
    int st = tally_table_read_mem("bad.csv", text, strlen(text), 0, &t);
    if (st == TALLY_OK) {
        st = tally_series_from_table(t, NULL, &s);
    }
    cr_expect_eq(st, TALLY_EPARSE, "%s", text);
    cr_expect(strstr(tally_last_error(), needle) != NULL, "'%s' not in '%s'",
              needle, tally_last_error());
    tally_frame_set_free(s);
    tally_table_free(t);
}

Test(series, malformed_files_name_line_and_column)
{
    expect_error("month,x\n2022-01,1\n2022-01,2\n", "bad.csv:3:1: period 2022-01 appears twice");
    expect_error("month,x\n2022-02,1\n2022-01,2\n", "bad.csv:3:1: periods are not in increasing order");
    expect_error("month,x\n2022-01,1\n2022-03,2\n", "period 2022-02 is missing");
    expect_error("month,x\n2022-01,1\n2022-02,abc\n", "bad.csv:3:2: column 'x': expected a number");
    expect_error("date,x\n2022-01,1\n", "bad.csv:1:1: the first column must be named");
    expect_error("month,x\n2022-01,1,3\n", "bad.csv:2:");
    expect_error("month,x\n2022-13,1\n", "bad.csv:2:1:");
    expect_error("month,x,x\n2022-01,1,2\n", "named twice");
    expect_error("month,x\n\"2022-01,1\n", "unterminated quoted field");
    expect_error("", "empty file");
    expect_error("month,x\n", "no data rows");
}
