# SPDX-License-Identifier: MIT
# Warnings for every tally target; TALLY_WERROR turns them into errors.
function(tally_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
        -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
        -Wno-unused-parameter)
    if(TALLY_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
