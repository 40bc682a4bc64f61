/* SPDX-License-Identifier: MIT
 *
 * Status codes and the thread's last error.  Every fallible library function
 * returns an int from enum tally_status (TALLY_OK is 0) and, on failure,
 * records a message with TALLY_ERROR so the caller can print it.  The library
 * never prints or exits because of bad input.
 */
#ifndef TALLY_STATUS_H
#define TALLY_STATUS_H

#include <stddef.h>

enum tally_status {
    TALLY_OK = 0,      /* success */
    TALLY_EINVAL,      /* bad argument or option value (usage error) */
    TALLY_EPARSE,      /* input cannot be parsed (file, line, column known) */
    TALLY_ERANGE,      /* a value or period lies outside what is allowed */
    TALLY_ENOMEM,      /* memory allocation failed */
    TALLY_EIO,         /* a file cannot be opened, read or written */
    TALLY_ETOOFEW,     /* fewer observations than the analysis needs */
    TALLY_ESINGULAR,   /* singular or rank-deficient design */
    TALLY_ENOCONV,     /* an iterative fit did not converge */
    TALLY_EMISSING,    /* missing values where none are allowed */
    TALLY_EDOMAIN,     /* data outside the model's domain (e.g. negative counts) */
    TALLY_ECONSTANT,   /* the series is constant: nothing to estimate */
    TALLY_EEXIST,      /* an output exists and may not be replaced */
    TALLY_ECHECK,      /* a reproducibility check found differences */
    TALLY_NSTATUS      /* number of codes (not an error) */
};

/* A short, fixed description of a status code (never NULL). */
const char *tally_strerror(int status);

/* The message recorded by the last failing call on this thread, or "" when
 * none.  The pointer is borrowed and valid until the next error. */
const char *tally_last_error(void);

/* The status recorded with the last error (TALLY_OK when none). */
int tally_last_status(void);

/* Forget the last error. */
void tally_error_clear(void);

/* Record an error (use the macro) and return its code, so that functions can
 * write `return TALLY_ERROR(TALLY_EPARSE, "line %zu: ...", line);`. */
int tly_error_set(int status, const char *file, int line, const char *fmt,
                  ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#define TALLY_ERROR(code, ...) tly_error_set((code), __FILE__, __LINE__, __VA_ARGS__)

/* The exit status a command-line program should use for a status code,
 * following the table in CLI.md: 1 analysis impossible, 2 bad usage or
 * input, 3 I/O. */
int tally_exit_code(int status);

#endif /* TALLY_STATUS_H */
