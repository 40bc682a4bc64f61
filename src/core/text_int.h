/* SPDX-License-Identifier: MIT
 *
 * Appending sentences to the fixed-size note and warning buffers of the
 * results (ITS, compare, forecast).  Nothing here is installed.
 */
#ifndef TALLY_TEXT_INT_H
#define TALLY_TEXT_INT_H

#include <stdarg.h>
#include <stddef.h>

/* Append the formatted text to the string in dst[0..size-1], after sep
 * when dst is not empty.  When there is no room for sep and one more
 * character nothing is appended; otherwise the text is cut to fit. */
void tly_vappend(char *dst, size_t size, const char *sep, const char *fmt,
                 va_list ap);

#endif /* TALLY_TEXT_INT_H */
