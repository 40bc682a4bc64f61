/* SPDX-License-Identifier: MIT
 *
 * Appending sentences to fixed-size buffers (text_int.h).
 */
#include "core/text_int.h"

#include <stdio.h>
#include <string.h>

void tly_vappend(char *dst, size_t size, const char *sep, const char *fmt,
                 va_list ap)
{
    size_t len = strlen(dst), ls = strlen(sep);
    if (len + ls + 1 >= size) {
        return;
    }
    if (len > 0) {
        memcpy(dst + len, sep, ls + 1);
        len += ls;
    }
    vsnprintf(dst + len, size - len, fmt, ap);
}
