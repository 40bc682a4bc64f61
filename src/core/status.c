/* SPDX-License-Identifier: MIT
 *
 * The thread's last error: a message, its status and the source location
 * that raised it.  One function (tly_error_set) records every error, so a
 * single breakpoint there catches them all.
 */
#include "tally/tally_status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The last error of this thread.  C11 thread storage keeps concurrent fits
 * (one per group) from overwriting each other's messages. */
static _Thread_local char last_msg[1024];
static _Thread_local int last_status;

static const char *const descriptions[TALLY_NSTATUS] = {
    [TALLY_OK] = "success",
    [TALLY_EINVAL] = "invalid argument",
    [TALLY_EPARSE] = "cannot parse input",
    [TALLY_ERANGE] = "value out of range",
    [TALLY_ENOMEM] = "out of memory",
    [TALLY_EIO] = "input/output error",
    [TALLY_ETOOFEW] = "too few observations",
    [TALLY_ESINGULAR] = "singular or rank-deficient design",
    [TALLY_ENOCONV] = "no convergence",
    [TALLY_EMISSING] = "missing values",
    [TALLY_EDOMAIN] = "data outside the model's domain",
    [TALLY_ECONSTANT] = "constant series",
    [TALLY_EEXIST] = "output exists",
    [TALLY_ECHECK] = "reproducibility check failed",
};

const char *tally_strerror(int status)
{
    if (status < 0 || status >= TALLY_NSTATUS) {
        return "unknown status";
    }
    return descriptions[status];
}

const char *tally_last_error(void)
{
    return last_msg;
}

int tally_last_status(void)
{
    return last_status;
}

void tally_error_clear(void)
{
    last_msg[0] = '\0';
    last_status = TALLY_OK;
}

int tly_error_set(int status, const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    /* The source location is kept out of the message (users read it); it is
     * available to a debugger through the arguments of this function. */
    (void)file;
    (void)line;
    /* Callers often wrap the previous message ("%s:%zu: %s", ...,
     * tally_last_error()), so an argument may point into last_msg: format
     * into a scratch buffer first, since vsnprintf must not read the
     * buffer it writes. */
    char msg[sizeof last_msg];
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(last_msg, msg, sizeof last_msg);
    last_status = status;
    return status;
}

int tally_exit_code(int status)
{
    switch (status) {
    case TALLY_OK:
        return 0;
    case TALLY_ETOOFEW:
    case TALLY_ESINGULAR:
    case TALLY_ENOCONV:
    case TALLY_EDOMAIN:
    case TALLY_ECONSTANT:
    case TALLY_ECHECK:
        return 1;
    case TALLY_EIO:
    case TALLY_ENOMEM:
    case TALLY_EEXIST:
        return 3;
    default:
        return 2;
    }
}
