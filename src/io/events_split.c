/* SPDX-License-Identifier: MIT
 *
 * An event file aggregated by several threads: the bytes are cut into
 * ranges that start right after an LF, each range is aggregated apart
 * (the first by the calling thread, which also reads the header), and the
 * aggregates are merged in file order.  The aggregate is a sum over rows,
 * so the merge is the serial result (tally_events_merge) provided that
 *  1. each cut falls at a record start.  An LF inside a quoted field is no
 *     record end, and nothing local tells the two apart, so a cut is never
 *     trusted: it is proven afterwards by the range before it, which must
 *     end at a record start (on the fast path, no record open, nothing
 *     carried);
 *  2. line numbers continue: a range counts its lines from 1 and the merge
 *     moves them by the lines before the range (known once the ranges
 *     before it are merged);
 *  3. the sums add exactly: integer sums do in any order, and so do the
 *     exact sums of non-integer values (events_exact.c);
 *  4. the first error is the serial one: a range that failed is not
 *     merged (its message would carry its own line numbers).
 * When a range cannot be merged, everything from its start is aggregated
 * again, serially, by the aggregation holding the ranges merged so far
 * (whose parser is at a record start there); the ranges after it are
 * dropped.  So the result is always that of one serial pass, and the
 * price of a bad guess is bounded by the rest of the file.
 *
 * Files are mapped into memory a chunk at a time (4 MiB), read in place
 * and unmapped (pread into a buffer where mapping fails): memory is the
 * threads' chunks and aggregates, whatever the file's length.
 */
#include "io/events_int.h"

#include "tally/tally_status.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes handed to the aggregator at a time (and mapped at a time: the
 * resident memory of a mapped file is a few of them). */
#define CHUNK (4u << 20)
/* Files below this size are read serially (threads would not pay). */
#define SPLIT_MIN (16u << 20)
/* At most this many threads. */
#define MAX_THREADS 64

/* Where the bytes come from: memory, or a file read with pread. */
typedef struct {
    const char *mem; /* the whole input, or NULL */
    int fd;          /* the file when mem is NULL */
    size_t size;     /* input bytes */
    int map;         /* 1: map the file's chunks (else pread them) */
} source;

/* One range and its aggregation. */
typedef struct {
    const source *src; /* the input */
    size_t from;       /* first byte */
    size_t to;         /* one past the last byte */
    int last;          /* the range ends the input */
    tally_events *e;   /* its aggregation (lines counted from 1) */
    atomic_int *stop;  /* set when the result is known to be unused */
    pthread_t thread;  /* its thread */
    int started;       /* the thread was created */
} range;

/* Feed bytes [off, off + n) of a file mapped in memory (no copy: the
 * pages of the page cache are read where they are); 0 when it cannot be
 * mapped. */
static int feed_mapped(tally_events *e, int fd, size_t off, size_t n)
{
    long page = sysconf(_SC_PAGESIZE);
    struct stat sb;
    /* Pages past the end of a file that shrank since it was opened would
     * not read as an error but kill the process (SIGBUS): check the size
     * first, and leave such a chunk to pread, which reports it. */
    if (page <= 0 || fstat(fd, &sb) != 0 || (size_t)sb.st_size < off + n) {
        return 0;
    }
    /* The mapping starts on a page boundary at or before off. */
    size_t lead = off % (size_t)page;
    void *map =
        mmap(NULL, n + lead, PROT_READ, MAP_PRIVATE, fd, (off_t)(off - lead));
    if (map == MAP_FAILED) {
        return 0;
    }
    tally_events_feed(e, (const char *)map + lead, n);
    munmap(map, n + lead);
    return 1;
}

/* Feed bytes [from, to) of the source, chunk by chunk.  Returns the
 * aggregation's status (TALLY_EIO on a failed read). */
static int feed_range(tally_events *e, const source *src, size_t from,
                      size_t to, char *buf, atomic_int *stop)
{
    size_t off = from;
    while (off < to && e->status == TALLY_OK) {
        if (stop != NULL && atomic_load(stop)) {
            return TALLY_OK;
        }
        size_t n = to - off < CHUNK ? to - off : CHUNK;
        const char *p;
        if (src->mem != NULL) {
            p = src->mem + off;
        } else if (src->map && feed_mapped(e, src->fd, off, n)) {
            off += n;
            continue;
        } else {
            ssize_t got = pread(src->fd, buf, n, (off_t)off);
            if (got <= 0) {
                e->status =
                    TALLY_ERROR(TALLY_EIO, "cannot read %s: %s", e->name,
                                got < 0 ? strerror(errno) : "file shrank");
                return e->status;
            }
            n = (size_t)got;
            p = buf;
        }
        tally_events_feed(e, p, n);
        off += n;
    }
    return e->status;
}

/* A range is over at a record start: the fast path waits for a line, and
 * nothing of a line is held back. */
static int at_record_start(const tally_events *e)
{
    return e->status == TALLY_OK && e->fast && e->carry_len == 0 &&
           !e->row_open;
}

static void *range_main(void *arg)
{
    range *r = arg;
    char *buf = r->src->mem == NULL ? malloc(CHUNK) : NULL;
    if (r->src->mem == NULL && buf == NULL) {
        r->e->status = TALLY_ENOMEM;
        return NULL;
    }
    int st = feed_range(r->e, r->src, r->from, r->to, buf, r->stop);
    if (st == TALLY_OK && r->last && !atomic_load(r->stop)) {
        tally_events_finish(r->e);
    }
    free(buf);
    return NULL;
}

/* A new aggregation that takes over after the header read by e: same
 * options, same columns, at a record start on line 1. */
static int clone_after_header(const tally_events *e,
                              const tally_events_options *o, tally_events **out)
{
    tally_events *w = NULL;
    int st = tally_events_alloc(o, e->name, &w);
    if (st != TALLY_OK) {
        return st;
    }
    w->header = calloc(e->ncol ? e->ncol : 1, sizeof *w->header);
    if (w->header == NULL) {
        tally_events_free(w);
        return TALLY_ENOMEM;
    }
    w->header_cap = e->ncol;
    for (size_t i = 0; i < e->ncol; i++) {
        size_t n = strlen(e->header[i]) + 1;
        w->header[i] = malloc(n);
        if (w->header[i] == NULL) {
            tally_events_free(w);
            return TALLY_ENOMEM;
        }
        memcpy(w->header[i], e->header[i], n);
        w->ncol = i + 1;
    }
    w->have_header = 1;
    tly_events_header(w);
    w->bom_checked = 1;
    w->fast = 1;
    if (w->status != TALLY_OK) {
        st = w->status;
        tally_events_free(w);
        return st;
    }
    *out = w;
    return TALLY_OK;
}

/* The core: ranges [0, cut[0]), ..., [cut[ncut-1], size) of src. */
static int read_split(const source *src, const char *name, const size_t *cut,
                      size_t ncut, const tally_events_options *o,
                      tally_events **out)
{
    tally_events *e = NULL;
    int st = tally_events_alloc(o, name, &e);
    if (st != TALLY_OK) {
        return st;
    }
    *out = e;
    char *buf = src->mem == NULL ? malloc(CHUNK) : NULL;
    range *rs = calloc(ncut ? ncut : 1, sizeof *rs);
    atomic_int stop;
    atomic_init(&stop, 0);
    if ((src->mem == NULL && buf == NULL) || rs == NULL) {
        free(buf);
        free(rs);
        return e->status = TALLY_ERROR(TALLY_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < ncut; k++) {
        rs[k].src = src;
        rs[k].from = cut[k];
        rs[k].to = k + 1 < ncut ? cut[k + 1] : src->size;
        rs[k].last = k + 1 == ncut;
        rs[k].stop = &stop;
    }
    /* The first range, by this thread; the others start once the header
     * is known (normally after the first chunk). */
    size_t end0 = ncut > 0 ? cut[0] : src->size;
    size_t off = 0;
    int started = ncut == 0;
    while (off < end0 && e->status == TALLY_OK) {
        size_t next = end0 - off < CHUNK ? end0 : off + CHUNK;
        if (feed_range(e, src, off, next, buf, NULL) != TALLY_OK) {
            break;
        }
        off = next;
        if (!started && e->have_header && e->status == TALLY_OK) {
            started = 1;
            for (size_t k = 0; k < ncut; k++) {
                if (clone_after_header(e, o, &rs[k].e) != TALLY_OK) {
                    break;
                }
                if (pthread_create(&rs[k].thread, NULL, range_main, &rs[k]) !=
                    0) {
                    break;
                }
                rs[k].started = 1;
            }
        }
    }
    if (e->status != TALLY_OK) {
        atomic_store(&stop, 1);
    }
    for (size_t k = 0; k < ncut; k++) {
        if (rs[k].started) {
            pthread_join(rs[k].thread, NULL);
        }
    }
    /* Merge in order while each range is proven; the first that is not
     * is aggregated again from its start, with the rest of the input. */
    size_t k = 0;
    if (e->status == TALLY_OK) {
        for (; k < ncut; k++) {
            range *r = &rs[k];
            int ok = r->started && at_record_start(e) &&
                     r->e->status == TALLY_OK &&
                     (r->last || at_record_start(r->e));
            if (!ok) {
                break;
            }
            /* Line l of the range is line l + e->line - 1 of the file. */
            st = tly_events_merge_at(e, r->e, e->line - 1);
            if (st != TALLY_OK) {
                e->status = st;
                break;
            }
            e->line += r->e->line - 1;
            e->ranges_merged++;
        }
        if (e->status == TALLY_OK && k < ncut) {
            feed_range(e, src, cut[k], src->size, buf, NULL);
        }
    }
    for (size_t j = 0; j < ncut; j++) {
        tally_events_free(rs[j].e);
    }
    free(rs);
    free(buf);
    if (e->status == TALLY_OK) {
        /* After merged ranges e is at a record start: this only checks. */
        tally_events_finish(e);
    }
    return e->status;
}

int tly_events_read_split_mem(const char *name, const char *buf, size_t len,
                              const size_t *cut, size_t ncut,
                              const tally_events_options *o, tally_events **out)
{
    source src = {buf, -1, len, 0};
    *out = NULL;
    return read_split(&src, name, cut, ncut, o, out);
}

/* Offsets just after an LF near size * k / n, k = 1 .. n - 1, increasing;
 * returns how many were found. */
static size_t choose_cuts(int fd, size_t size, size_t n, size_t *cut)
{
    char window[4096];
    size_t m = 0;
    for (size_t k = 1; k < n; k++) {
        size_t off = size / n * k;
        if (m > 0 && off < cut[m - 1]) {
            off = cut[m - 1];
        }
        size_t found = 0;
        while (off < size && found == 0) {
            ssize_t got = pread(fd, window, sizeof window, (off_t)off);
            if (got <= 0) {
                return m;
            }
            const char *lf = memchr(window, '\n', (size_t)got);
            if (lf != NULL) {
                found = off + (size_t)(lf - window) + 1;
            } else {
                off += (size_t)got;
            }
        }
        if (found == 0 || found >= size) {
            break;
        }
        cut[m++] = found;
    }
    return m;
}

int tally_events_read_file(const char *path, const tally_events_options *o,
                           tally_events **out)
{
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        return tly_events_stream(path, o, out);
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return TALLY_ERROR(TALLY_EIO, "cannot open %s: %s", path,
                           strerror(errno));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        /* A pipe or a device: read as a stream, serially. */
        close(fd);
        return tly_events_stream(path, o, out);
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = o->threads != 0 ? o->threads : (cores > 0 ? (size_t)cores : 1);
    if (n > MAX_THREADS) {
        n = MAX_THREADS;
    }
    size_t cut[MAX_THREADS];
    size_t ncut = 0;
    source src = {NULL, fd, (size_t)sb.st_size, 1};
    if (n > 1 && src.size >= SPLIT_MIN && o->reader != TALLY_READER_LIBCSV) {
        ncut = choose_cuts(fd, src.size, n, cut);
    }
    int st = read_split(&src, path, cut, ncut, o, out);
    close(fd);
    return st;
}
