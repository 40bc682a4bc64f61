/* SPDX-License-Identifier: MIT
 *
 * The umbrella header compiles on its own and exposes the library.
 */
#include <criterion/criterion.h>

#include "tally/tally.h"

Test(umbrella, headers_compile_together)
{
    cr_expect_str_eq(tally_strerror(TALLY_OK), "success");
}
