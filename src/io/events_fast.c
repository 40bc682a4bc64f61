/* SPDX-License-Identifier: MIT
 *
 * The fast path of the event loader.  libcsv looks at every byte through
 * a state machine and copies every field; on a large file that is most of
 * the run.  Yet most lines of an event file are plain: no quote, and no CR
 * but perhaps one before the LF (a CRLF file).  Such a line is one record
 * whose fields are the bytes between commas, so
 * it can be split in place: the kept fields are pointed at, not copied, and
 * the fields after the last kept column are only counted.  A line whose
 * quotes all make plain quoted fields (opened right after a comma, closed
 * right before one or the line end, "" inside) outside the kept columns
 * is split here too.  Every other line (a CR inside it, other quotes,
 * nothing but spaces, only "", a NUL byte) goes to libcsv as it would on
 * the reference path (whose field callback rejects a NUL byte), and the
 * fast path resumes only when libcsv is back at the start of a record after an
 * LF.
 *
 * Why the results are the same as libcsv's (tests/test_fastpath.c checks
 * it on every fixture, at every chunk size, and on generated files):
 *  - a plain line after a record end is one record for libcsv too: without
 *    a quote no field is quoted, and LF is the only line end in it; with
 *    plain quoted fields every quote is closed before the LF, and the
 *    commas between the quotes are text, not field ends;
 *  - libcsv strips spaces and tabs around unquoted fields; the loader trims
 *    every kept field the same way before using it, so an untrimmed
 *    pointer gives the same cell;
 *  - a line of spaces only is no record for libcsv (and leaves the record
 *    open on that line, which decides later line numbers), so it is handed
 *    to libcsv rather than imitated;
 *  - an empty line is no record for either;
 *  - lines are counted one per LF, as the reference counts them; a CR
 *    right before the LF ends the record for libcsv and the LF after it
 *    counts no further line, so a CRLF line is its bytes before the CR.
 *    Any other CR is a line end of its own and goes to libcsv.
 *
 * States: fast (e->fast = 1) at a record start, where whole lines are
 * taken here; slow (0) while libcsv holds a record open (a quoted field
 * across lines), or before the header has been read.  A line split across
 * two chunks is carried (copied) until its LF arrives; memory stays that
 * of the longest line.
 *
 * On x86-64 the search for commas, quotes and CRs looks at 16 bytes at a
 * time (SSE2 compare and movemask, part of the x86-64 base); elsewhere it
 * is a byte loop.  The result is the same.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Index of the lowest set bit of a nonzero 32-bit mask: the de Bruijn
 * multiply isolates it in the top five bits. */
static unsigned lowest_bit(uint32_t m)
{
    static const unsigned char pos[32] = {
        0,  1,  28, 2,  29, 14, 24, 3, 30, 22, 20, 15, 25, 17, 4,  8,
        31, 27, 13, 23, 21, 19, 16, 7, 26, 12, 18, 6,  11, 5,  10, 9};
    return pos[((m & (0u - m)) * 0x077CB531u) >> 27];
}

/* Number of set bits of a 16-bit mask (SWAR sums of bit pairs, nibbles,
 * bytes). */
static unsigned count_bits16(uint32_t m)
{
    m = m - ((m >> 1) & 0x5555u);
    m = (m & 0x3333u) + ((m >> 2) & 0x3333u);
    m = (m + (m >> 4)) & 0x0F0Fu;
    return (m + (m >> 8)) & 0x1Fu;
}

/* Index of the highest set bit of a nonzero 16-bit mask: smear it down,
 * keep the top bit alone, find it. */
static unsigned highest_bit16(uint32_t m)
{
    m |= m >> 1;
    m |= m >> 2;
    m |= m >> 4;
    m |= m >> 8;
    return lowest_bit((m + 1) >> 1);
}

/* The field state of a line being split. */
typedef struct {
    size_t col;   /* column of the current field */
    size_t start; /* offset where it starts */
} splitter;

/* A comma at offset pos ends field s->col: keep it if its column is
 * kept. */
static void end_field(tally_events *e, splitter *s, const char *p, size_t pos,
                      size_t line)
{
    if ((long)s->col <= e->max_kept_col) {
        long slot = e->slot_of_col[s->col];
        if (slot >= 0) {
            e->slot_ptr[slot] = p + s->start;
            e->slot_len[slot] = pos - s->start;
            e->slot_line[slot] = line;
        }
    }
    s->col++;
    s->start = pos + 1;
}

/* A line holding quotes, split from field s->col at offset s->start on,
 * when every quote in it is plainly RFC 4180: the field begins right after
 * a comma (or at the line start) with the quote, holds no CR, doubles its
 * inner quotes, and its closing quote is followed at once by a comma or
 * the end of the line.  Such a line is one record of these fields for
 * libcsv too.  A quoted field in a kept column would need unquoting (a
 * copy): that line, and any other shape, goes to libcsv (returns 0). */
static size_t split_quoted(tally_events *e, splitter *s, const char *p,
                           size_t n, size_t line)
{
    size_t i = s->start;
    for (;;) {
        if (i < n && p[i] == '"') {
            if ((long)s->col <= e->max_kept_col &&
                e->slot_of_col[s->col] >= 0) {
                return 0;
            }
            /* Inside quotes: "" is a quote, " then , or the end closes. */
            i++;
            for (;;) {
                if (i >= n || p[i] == '\r' || p[i] == '\0') {
                    return 0; /* past the line, or a NUL for libcsv */
                }
                if (p[i] == '"') {
                    if (i + 1 < n && p[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i++;
            }
            i++; /* past the closing quote */
            if (i == n) {
                return s->col + 1;
            }
            if (p[i] != ',') {
                return 0;
            }
            s->col++;
            s->start = ++i;
            continue;
        }
        /* An unquoted field: up to the next comma, with no quote, CR or
         * NUL. */
        while (i < n && p[i] != ',') {
            if (p[i] == '"' || p[i] == '\r' || p[i] == '\0') {
                return 0;
            }
            i++;
        }
        if (i == n) {
            break;
        }
        end_field(e, s, p, i, line);
        i++;
    }
    if ((long)s->col <= e->max_kept_col) {
        long slot = e->slot_of_col[s->col];
        if (slot >= 0) {
            e->slot_ptr[slot] = p + s->start;
            e->slot_len[slot] = n - s->start;
            e->slot_line[slot] = line;
        }
    }
    return s->col + 1;
}

/* The commas (bit set in m) of the bytes base, base + 1, ... of a line. */
static void block_commas(tally_events *e, splitter *s, const char *p,
                         size_t base, uint32_t m, size_t line)
{
    if ((long)s->col > e->max_kept_col) {
        /* Past the kept columns only the count matters (and where the
         * current field starts, should a quote follow). */
        if (m != 0) {
            s->col += count_bits16(m);
            s->start = base + highest_bit16(m) + 1;
        }
        return;
    }
    while (m != 0) {
        end_field(e, s, p, base + lowest_bit(m), line);
        m &= m - 1;
    }
}

/* Split the line p[0..n) (its LF not included) into fields, keeping those
 * of kept columns.  Returns the number of fields, or 0 when the line must
 * go to libcsv (a CR, or quotes split_quoted does not take). */
static size_t split_line(tally_events *e, const char *p, size_t n, size_t line)
{
    splitter s = {0, 0};
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i nul = _mm_setzero_si128();
    while (i < n && n >= 16) {
        /* The last block is the line's last 16 bytes, the bytes already
         * seen shifted out of its masks. */
        size_t at = i + 16 <= n ? i : n - 16;
        unsigned seen = (unsigned)(i - at);
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + at));
        __m128i odd =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
                                      _mm_cmpeq_epi8(v, cr)),
                         _mm_cmpeq_epi8(v, nul));
        if (((uint32_t)_mm_movemask_epi8(odd) >> seen) != 0) {
            /* The fields before the current one are plain; from its start
             * on, look at quotes byte by byte. */
            return split_quoted(e, &s, p, n, line);
        }
        uint32_t m = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
        block_commas(e, &s, p, i, m >> seen, line);
        i = at + 16;
    }
#endif
    for (; i < n; i++) {
        char c = p[i];
        if (c == ',') {
            end_field(e, &s, p, i, line);
        } else if (c == '"' || c == '\r' || c == '\0') {
            return split_quoted(e, &s, p, n, line);
        }
    }
    /* The last field; a count of fields, not columns. */
    if ((long)s.col <= e->max_kept_col) {
        long slot = e->slot_of_col[s.col];
        if (slot >= 0) {
            e->slot_ptr[slot] = p + s.start;
            e->slot_len[slot] = n - s.start;
            e->slot_line[slot] = line;
        }
    }
    return s.col + 1;
}

/* One whole line p[0..n), followed in memory by its LF. */
static void fast_line(tally_events *e, const char *p, size_t n)
{
    /* A CRLF line: libcsv ends the record at the CR, and the LF right
     * after a CR ends no further line, so the line is its bytes before
     * the CR (any other CR in it still sends it to libcsv). */
    size_t m = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
    if (m == 0) {
        /* A blank line: no record for libcsv either. */
        e->line++;
        return;
    }
    size_t nfield = split_line(e, p, m, e->line);
    if (nfield == 1) {
        /* One field of spaces only: libcsv makes no record of it (and
         * keeps the record open), so let it do exactly that.  Nor is a
         * line holding only "" (one quoted empty field) a record for
         * libcsv: the loader takes a record of one empty field for a
         * blank line; let libcsv decide that too. */
        size_t len = m;
        const char *t = tly_trim(p, &len);
        if (len == 0 || (len == 2 && t[0] == '"' && t[1] == '"')) {
            nfield = 0;
        }
    }
    if (nfield == 0) {
        e->fast = 0;
        tly_events_feed_slow(e, p, n + 1, 1);
        return;
    }
    e->row_line = e->line;
    tly_events_record(e, nfield);
    e->line++;
}

/* Keep bytes of an unfinished line for the next chunk. */
static int carry_append(tally_events *e, const char *p, size_t n)
{
    if (e->carry_len + n > e->carry_cap) {
        size_t cap = e->carry_cap ? e->carry_cap : 256;
        while (cap < e->carry_len + n) {
            cap *= 2;
        }
        char *c = realloc(e->carry, cap);
        if (c == NULL) {
            e->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
            return e->status;
        }
        e->carry = c;
        e->carry_cap = cap;
    }
    memcpy(e->carry + e->carry_len, p, n);
    e->carry_len += n;
    return TALLY_OK;
}

int tly_events_feed_fast(tally_events *e, const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && e->status == TALLY_OK) {
        if (!e->fast) {
            /* libcsv until it is at a record start after an LF. */
            i += tly_events_feed_slow(e, buf + i, len - i, 1);
            continue;
        }
        const char *lf = memchr(buf + i, '\n', len - i);
        size_t n = lf != NULL ? (size_t)(lf - (buf + i)) : len - i;
        if (e->carry_len > 0 || lf == NULL) {
            /* The line started in an earlier chunk, or ends in a later
             * one: gather it whole (with its LF) in carry. */
            if (carry_append(e, buf + i, lf != NULL ? n + 1 : n) != TALLY_OK) {
                break;
            }
            i += lf != NULL ? n + 1 : n;
            if (lf != NULL) {
                size_t cn = e->carry_len - 1;
                e->carry_len = 0;
                fast_line(e, e->carry, cn);
            }
            continue;
        }
        fast_line(e, buf + i, n);
        i += n + 1;
    }
    return e->status;
}

int tly_events_flush_fast(tally_events *e)
{
    if (e->carry_len > 0 && e->status == TALLY_OK) {
        /* A last line without LF: libcsv ends it as the reference does. */
        size_t n = e->carry_len;
        e->carry_len = 0;
        tly_events_feed_pieces(e, e->carry, n);
    }
    return e->status;
}
