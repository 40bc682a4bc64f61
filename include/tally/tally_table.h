/* SPDX-License-Identifier: MIT
 *
 * A small CSV table held in memory: a header and rows of text cells, each
 * row with the input line it started on.  It is the reader behind series
 * files and regression data (files of a few thousand rows).  Event files,
 * which can be millions of rows, are streamed by tally_events instead.
 */
#ifndef TALLY_TABLE_H
#define TALLY_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    char *path;       /* the name used in messages ("-" or "<stdin>") */
    size_t ncol;      /* number of columns (header fields) */
    char **header;    /* ncol column names, trimmed of surrounding spaces */
    size_t nrow;      /* number of data rows */
    char ***cells;    /* nrow rows of ncol NUL-terminated cells */
    size_t *line;     /* input line (1-based) on which each row starts */
} tally_table;

/* Read a CSV file (RFC 4180; LF, CRLF or CR line ends; a UTF-8 BOM is
 * skipped; blank lines are ignored).  path "-" reads fp (stdin when fp is
 * NULL); otherwise fp must be NULL and the file is opened.  Every row must
 * have as many fields as the header.  Errors: TALLY_EIO (cannot open/read),
 * TALLY_EPARSE (message names file, line and column).  On success *out
 * owns the table; free it with tally_table_free. */
int tally_table_read(const char *path, FILE *fp, tally_table **out);

/* Parse a table from memory (used by tests to feed fixtures at every chunk
 * size): chunk is the number of bytes handed to the parser at a time. */
int tally_table_read_mem(const char *name, const char *buf, size_t len,
                         size_t chunk, tally_table **out);

void tally_table_free(tally_table *t);

/* Index of the column with this name, or -1. */
long tally_table_column(const tally_table *t, const char *name);

/* Parse one cell as a number: blank, "NA", "NaN" (any case) give NaN and
 * return 0; a finite decimal number returns 0; anything else (or an
 * infinite value) returns TALLY_EPARSE with file, line and column in the
 * message. */
int tally_table_number(const tally_table *t, size_t row, size_t col,
                       double *out);

/* Strictly parse a whole string as a finite double in the C locale.
 * Returns 1 on success, 0 otherwise. */
int tally_parse_double(const char *s, double *out);

/* Write one CSV field, quoted (RFC 4180) only when it holds a comma, a
 * quote, a CR or LF, or leading/trailing spaces. */
void tally_csv_write_field(FILE *fp, const char *s);

#endif /* TALLY_TABLE_H */
