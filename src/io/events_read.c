/* SPDX-License-Identifier: MIT
 *
 * The streaming loader of event files.  Bytes go to libcsv in pieces that
 * end at a line end, so that when libcsv calls back at the end of a field
 * we know the physical line it is on (LF, CRLF and a bare CR each end one
 * line, as in tally_table).  From each record only the fields the options
 * name are kept, copied into one reused buffer; at the end of the record
 * the row is checked and added to the aggregate, and the buffer is reused
 * for the next record.  Nothing grows with the number of rows.
 *
 * States of a record:
 *   closed   no byte of a record seen since the last record end (row_open
 *            0); blank lines leave us here;
 *   open     a piece with content started it on row_line; libcsv calls
 *            on_field per field (field counts them) and on_row at its end,
 *            which checks the row and closes it.
 * The first record is the header; it decides which fields are kept.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Read buffer for files. */
#define READ_CHUNK 65536

/* Longest piece handed to libcsv at once. */
#define PIECE_MAX 65536

/* ------------------------------------------------------------------ */
/* libcsv callbacks. */

static void header_field(tally_events *e, const char *data, size_t len)
{
    if (e->ncol == e->header_cap) {
        size_t cap = e->header_cap ? 2 * e->header_cap : 32;
        char **h = realloc(e->header, cap * sizeof *h);
        if (h == NULL) {
            e->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            return;
        }
        e->header = h;
        e->header_cap = cap;
    }
    const char *t = tly_trim(data, &len);
    char *d = malloc(len + 1);
    if (d == NULL) {
        e->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
        return;
    }
    memcpy(d, t, len);
    d[len] = '\0';
    e->header[e->ncol++] = d;
}

static void on_field(void *data, size_t len, void *ctx)
{
    tally_events *e = ctx;
    size_t col = e->field++;
    if (e->status != TALLY_OK) {
        return;
    }
    const char *s = data != NULL ? data : "";
    if (data == NULL) {
        len = 0;
    }
    if (len > 0 && memchr(s, '\0', len) != NULL) {
        /* A NUL byte would cut the cell short where it is used as a C
         * string ("3\0garbage" summed as 3, "Sindh\0x" a group written
         * "Sindh"): text never holds one, so the file is binary or UTF-16
         * without its byte order mark.  Every field is checked, kept or
         * not, and the fast path hands any line with a NUL to this
         * callback, so all readers stop at the same field. */
        e->status = TALLY_ERROR(
            TALLY_EPARSE,
            "%s:%zu:%zu: the field holds a NUL byte: this is not a text "
            "CSV file (binary, or UTF-16 without a byte order mark?)",
            e->name, e->line, col + 1);
        return;
    }
    if (col == 0) {
        e->first_blank = len == 0;
    }
    if (!e->have_header) {
        header_field(e, s, len);
        return;
    }
    if (col >= e->ncol || e->slot_of_col[col] < 0) {
        return;
    }
    long slot = e->slot_of_col[col];
    if (e->buf_len + len > e->buf_cap) {
        size_t cap = e->buf_cap ? e->buf_cap : 256;
        while (cap < e->buf_len + len) {
            cap *= 2;
        }
        char *b = realloc(e->buf, cap);
        if (b == NULL) {
            e->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            return;
        }
        e->buf = b;
        e->buf_cap = cap;
    }
    if (len > 0) {
        memcpy(e->buf + e->buf_len, s, len);
    }
    e->slot_off[slot] = e->buf_len;
    e->slot_len[slot] = len;
    e->slot_line[slot] = e->line;
    e->buf_len += len;
}

static void on_row(int c, void *ctx)
{
    tally_events *e = ctx;
    size_t nfield = e->field;
    (void)c;
    e->field = 0;
    e->row_open = 0;
    if (e->status != TALLY_OK) {
        e->buf_len = 0;
        return;
    }
    /* A record of one empty field is a blank line, not a record. */
    if (nfield == 0 || (nfield == 1 && e->first_blank)) {
        e->buf_len = 0;
        if (!e->have_header) {
            for (size_t i = 0; i < e->ncol; i++) {
                free(e->header[i]);
            }
            e->ncol = 0;
        }
        return;
    }
    if (!e->have_header) {
        e->have_header = 1;
        tly_events_header(e);
        return;
    }
    /* The kept fields were copied into buf (which may have moved while the
     * record grew): point at them now that the record is complete. */
    if (nfield == e->ncol) {
        for (size_t s = 0; s < e->nslot; s++) {
            /* buf is still NULL when every kept field so far was empty
             * (NULL + 0 is undefined behaviour). */
            e->slot_ptr[s] = e->buf != NULL ? e->buf + e->slot_off[s] : "";
        }
    }
    e->buf_len = 0;
    tly_events_record(e, nfield);
}

/* ------------------------------------------------------------------ */
/* Feeding. */

/* Count the line end that closes a piece: a piece holds at most one line
 * end, its last byte.  LF, CRLF and a bare CR each end one line; an LF
 * alone in its piece right after a CR is the second half of a CRLF. */
static void count_line_end(tally_events *e, const char *piece, size_t len)
{
    char last = piece[len - 1];
    if (last == '\r') {
        e->line++;
        e->prev_cr = 1;
    } else if (last == '\n') {
        if (!(e->prev_cr && len == 1)) {
            e->line++;
        }
        e->prev_cr = 0;
    } else {
        e->prev_cr = 0;
    }
}

/* Offset of the next byte c at or after from in buf[0..len), or len. */
static size_t next_byte(const char *buf, size_t from, size_t len, char c)
{
    const char *p = memchr(buf + from, c, len - from);
    return p != NULL ? (size_t)(p - buf) : len;
}

static int csv_failed(tally_events *e)
{
    int err = csv_error(&e->parser);
    if (err == CSV_ENOMEM || err == CSV_ETOOBIG) {
        return TALLY_ERROR(TALLY_ENOMEM,
                           "%s:%zu: out of memory (a field too "
                           "long?)",
                           e->name, e->line);
    }
    return TALLY_ERROR(
        TALLY_EPARSE,
        "%s:%zu:%zu: malformed CSV: a quote inside an unquoted field, or "
        "text after a closing quote",
        e->name, e->line, e->field + 1);
}

size_t tly_events_feed_slow(tally_events *e, const char *buf, size_t len,
                            int until_record_start)
{
    /* The next CR and LF are found with memchr and remembered until passed,
     * so each byte is scanned once per kind of line end. */
    size_t next_cr = next_byte(buf, 0, len, '\r');
    size_t next_lf = next_byte(buf, 0, len, '\n');
    size_t i = 0;
    while (i < len && e->status == TALLY_OK) {
        if (next_cr < i) {
            next_cr = next_byte(buf, i, len, '\r');
        }
        if (next_lf < i) {
            next_lf = next_byte(buf, i, len, '\n');
        }
        size_t end = next_cr < next_lf ? next_cr : next_lf;
        int ends = end < len;
        size_t j = ends ? end + 1 : len;
        if (j - i > PIECE_MAX) {
            /* A long field: hand it over in parts, letting libcsv's buffer
             * grow by its own size between them (it grows by blk_size
             * bytes, 128 by default: a field of megabytes would be copied
             * thousands of times). */
            j = i + PIECE_MAX;
            ends = 0;
        }
        if (e->parser.entry_size > e->parser.blk_size) {
            csv_set_blk_size(&e->parser, e->parser.entry_size);
        }
        /* A piece with a byte other than its line end opens a record (if
         * none is open) on the current line. */
        if (!e->row_open && j - i > (size_t)ends) {
            e->row_open = 1;
            e->row_line = e->line;
        }
        if (csv_parse(&e->parser, buf + i, j - i, on_field, on_row, e) !=
            j - i) {
            /* A callback's error (a NUL byte in a field) came first in
             * the file: keep it, as a reader fed in smaller pieces
             * would. */
            if (e->status == TALLY_OK) {
                e->status = csv_failed(e);
            }
            break;
        }
        count_line_end(e, buf + i, j - i);
        i = j;
        /* After an LF that closed a record (or a blank line) libcsv waits
         * for a new record: the fast path may take over. */
        if (until_record_start && buf[j - 1] == '\n' && !e->row_open &&
            e->have_header && e->status == TALLY_OK) {
            e->fast = 1;
            break;
        }
    }
    return i;
}

int tly_events_feed_pieces(tally_events *e, const char *buf, size_t len)
{
    tly_events_feed_slow(e, buf, len, 0);
    return e->status;
}

/* Hand bytes to the path chosen for this aggregation. */
static int feed_any(tally_events *e, const char *buf, size_t len)
{
    if (e->pure) {
        return tly_events_feed_pieces(e, buf, len);
    }
    return tly_events_feed_fast(e, buf, len);
}

int tally_events_feed(tally_events *e, const char *buf, size_t len)
{
    static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
    if (e->status != TALLY_OK) {
        return e->status;
    }
    if (e->finished) {
        return TALLY_ERROR(TALLY_EINVAL, "input fed after its end");
    }
    /* A UTF-16 file (byte order mark FF FE or FE FF) is no CSV that libcsv
     * can read: say so rather than report its header as odd columns. */
    for (size_t i = 0; e->nfirst < 2 && i < len; i++) {
        e->first[e->nfirst++] = (unsigned char)buf[i];
        if (e->nfirst == 2 && ((e->first[0] == 0xFF && e->first[1] == 0xFE) ||
                               (e->first[0] == 0xFE && e->first[1] == 0xFF))) {
            e->status = TALLY_ERROR(
                TALLY_EPARSE,
                "%s:1:1: the file is UTF-16 (it starts with a UTF-16 byte "
                "order mark); convert it to UTF-8 first, e.g. with iconv -f "
                "UTF-16 -t UTF-8",
                e->name);
            return e->status;
        }
    }
    /* A UTF-8 byte order mark may arrive split across chunks: match it
     * byte by byte, and on a mismatch hand the held bytes on after all. */
    while (!e->bom_checked && len > 0) {
        if (buf[0] == bom[e->bom_matched]) {
            e->bom_matched++;
            buf++;
            len--;
            if (e->bom_matched == 3) {
                e->bom_checked = 1;
            }
        } else {
            e->bom_checked = 1;
            if (e->bom_matched > 0 &&
                feed_any(e, bom, e->bom_matched) != TALLY_OK) {
                return e->status;
            }
        }
    }
    return feed_any(e, buf, len);
}

int tally_events_finish(tally_events *e)
{
    if (e->finished) {
        return e->status;
    }
    e->finished = 1;
    if (e->status == TALLY_OK && !e->bom_checked && e->bom_matched > 0) {
        static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
        e->bom_checked = 1;
        feed_any(e, bom, e->bom_matched);
    }
    if (e->status == TALLY_OK && !e->pure) {
        tly_events_flush_fast(e);
    }
    if (e->status == TALLY_OK &&
        csv_fini(&e->parser, on_field, on_row, e) != 0) {
        e->status = TALLY_ERROR(
            TALLY_EPARSE,
            "%s:%zu: unterminated quoted field (a \" in the record that "
            "starts on line %zu is never closed)",
            e->name, e->line, e->row_line);
    }
    if (e->status == TALLY_OK && !e->have_header) {
        e->status = TALLY_ERROR(TALLY_EPARSE, "%s: empty file (no header line)",
                                e->name);
    }
    return e->status;
}

/* ------------------------------------------------------------------ */
/* Whole inputs. */

int tally_events_read_mem(const char *name, const char *buf, size_t len,
                          size_t chunk, const tally_events_options *o,
                          tally_events **out)
{
    tally_events *e = NULL;
    int st = tally_events_alloc(o, name, &e);
    if (st != TALLY_OK) {
        return st;
    }
    if (chunk == 0) {
        chunk = len > 0 ? len : 1;
    }
    for (size_t off = 0; off < len && st == TALLY_OK; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        st = tally_events_feed(e, buf + off, n);
    }
    if (st == TALLY_OK) {
        st = tally_events_finish(e);
    }
    if (st != TALLY_OK) {
        tally_events_free(e);
        return st;
    }
    *out = e;
    return TALLY_OK;
}

int tly_events_stream(const char *path, const tally_events_options *o,
                      tally_events **out)
{
    FILE *fp;
    const char *name = path;
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        fp = stdin;
        name = "<stdin>";
    } else {
        fp = fopen(path, "rb");
        if (fp == NULL) {
            return TALLY_ERROR(TALLY_EIO, "cannot open %s: %s", path,
                               strerror(errno));
        }
    }
    tally_events *e = NULL;
    int st = tally_events_alloc(o, name, &e);
    char *buf = st == TALLY_OK ? malloc(READ_CHUNK) : NULL;
    if (st == TALLY_OK && buf == NULL) {
        st = e->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    while (st == TALLY_OK) {
        size_t n = fread(buf, 1, READ_CHUNK, fp);
        if (n == 0) {
            break;
        }
        st = tally_events_feed(e, buf, n);
    }
    if (st == TALLY_OK && ferror(fp)) {
        st = e->status =
            TALLY_ERROR(TALLY_EIO, "cannot read %s: %s", name, strerror(errno));
    }
    if (st == TALLY_OK) {
        st = tally_events_finish(e);
    }
    free(buf);
    if (fp != stdin) {
        fclose(fp);
    }
    *out = e;
    return st;
}

int tally_events_read(const char *path, const tally_events_options *o,
                      tally_events **out)
{
    tally_events *e = NULL;
    int st = tally_events_read_file(path, o, &e);
    if (st != TALLY_OK) {
        tally_events_free(e);
        *out = NULL;
        return st;
    }
    *out = e;
    return TALLY_OK;
}
