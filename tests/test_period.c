/* SPDX-License-Identifier: MIT
 *
 * Periods: parsing, formatting and arithmetic.
 */
#include <criterion/criterion.h>

#include "tally/tally_period.h"
#include "tally/tally_status.h"

Test(period, parses_and_formats_each_frequency)
{
    const char *texts[] = {"2022-11", "1987-Q3", "1899", "0001-01", "9999-12"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        tally_freq f = TALLY_FREQ_NONE;
        tally_period p;
        char buf[TALLY_PERIOD_BUFSIZE];
        cr_assert_eq(tally_period_parse(texts[i], &f, &p), TALLY_OK, "%s", texts[i]);
        cr_expect_str_eq(tally_period_format(f, p, buf, sizeof buf), texts[i]);
    }
}

Test(period, arithmetic_crosses_year_end)
{
    tally_freq f = TALLY_FREQ_NONE;
    tally_period p;
    char buf[TALLY_PERIOD_BUFSIZE];
    cr_assert_eq(tally_period_parse("2022-12", &f, &p), TALLY_OK);
    cr_expect_str_eq(tally_period_format(f, p + 1, buf, sizeof buf), "2023-01");
    cr_expect_eq(tally_period_year(f, p + 1), 2023);
    cr_expect_eq(tally_period_sub(f, p + 1), 1);
    f = TALLY_FREQ_NONE;
    cr_assert_eq(tally_period_parse("1986-Q4", &f, &p), TALLY_OK);
    cr_expect_str_eq(tally_period_format(f, p + 1, buf, sizeof buf), "1987-Q1");
}

Test(period, rejects_malformed_and_mismatched)
{
    const char *bad[] = {"2022-13", "2022-00", "2022-Q5", "22-01", "2022-1",
                         "2022-011", "", "abcd", "0000", "2022/01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tally_freq f = TALLY_FREQ_NONE;
        tally_period p;
        cr_expect_eq(tally_period_parse(bad[i], &f, &p), TALLY_EPARSE, "%s", bad[i]);
    }
    tally_freq f = TALLY_FREQ_MONTH;
    tally_period p;
    cr_expect_eq(tally_period_parse("2022-Q1", &f, &p), TALLY_EPARSE);
}
