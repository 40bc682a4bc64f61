/* SPDX-License-Identifier: MIT
 *
 * `--by COL` for the model commands (see by_run.h): every group runs the
 * command's one-series function on its own thread of the pool, into its
 * own buffers (text, JSON, warnings, error); the main thread then reports
 * and prints them in group order, so the bytes written do not depend on
 * the number of threads.
 */
#include "cli/by_run.h"
#include "cli/cli_file.h"

#include "tally/tally_status.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int by_grouped(const by_sink *s)
{
    return s != NULL && s->warn != NULL;
}

void by_warn(by_sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (by_grouped(s)) {
        vfprintf(s->warn, fmt, ap);
        fputc('\n', s->warn);
    } else {
        fputs("tally: warning: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    va_end(ap);
}

static char *copy(const char *s)
{
    size_t len = strlen(s) + 1;
    char *d = malloc(len);
    if (d != NULL) {
        memcpy(d, s, len);
    }
    return d;
}

int by_fail(by_sink *s, int code, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (by_grouped(s)) {
        if (s->error == NULL) {
            s->error = copy(msg);
        }
        return code;
    }
    /* "FILE: " first unless the message already starts with it. */
    const char *name = "", *sep = "";
    if (s != NULL && s->path != NULL && !cli_file_named(s->path, msg)) {
        name = cli_file_name(s->path);
        sep = ": ";
    }
    if (code == CLI_EUSAGE && s != NULL && s->cmd != NULL) {
        cli_usage_error(s->cmd, "%s%s%s", name, sep, msg);
    } else {
        fprintf(stderr, "tally: %s%s%s\n", name, sep, msg);
    }
    return code;
}

int by_fail_status(by_sink *s, int status)
{
    if (!by_grouped(s)) {
        return s != NULL && s->path != NULL ? cli_fail_file(s->path, status)
                                            : cli_fail(status);
    }
    const char *msg = tally_last_error();
    return by_fail(s, tally_exit_code(status), "%s",
                   msg[0] ? msg : tally_strerror(status));
}

/* What one group left behind. */
typedef struct {
    const by_item *item; /* the group */
    char *where;         /* "COL=VALUE" */
    int code;            /* its exit code */
    char *error;         /* the failure's message */
    char *text;          /* table or CSV text */
    size_t text_size;
    char *warn;          /* warnings, one a line */
    size_t warn_size;
    json_t *json;        /* the JSON document */
} group;

typedef struct {
    const by_job *job;
    group *g;
} run_ctx;

static void run_group(void *arg, size_t i)
{
    run_ctx *rc = arg;
    const by_job *job = rc->job;
    group *g = &rc->g[i];
    by_sink s;
    memset(&s, 0, sizeof s);
    s.format = job->cmd->format;
    s.cmd = job->cmd;
    s.warn = open_memstream(&g->warn, &g->warn_size);
    if (job->cmd->format != CLI_JSON) {
        s.out = open_memstream(&g->text, &g->text_size);
    }
    if (s.warn == NULL || (job->cmd->format != CLI_JSON && s.out == NULL)) {
        g->code = CLI_EIO;
        g->error = copy("out of memory");
    } else {
        tally_error_clear();
        g->code = job->fn(job->ctx, g->item->item, g->where, &s);
        if (g->code == CLI_OK && job->cmd->format == CLI_JSON &&
            s.json == NULL) {
            g->code = by_fail(&s, CLI_EIO, "out of memory building JSON");
        }
    }
    if (s.out != NULL) {
        fclose(s.out);
    }
    if (s.warn != NULL) {
        fclose(s.warn);
    }
    if (g->code != CLI_OK) {
        /* The message is this thread's: keep a copy. */
        if (s.error == NULL) {
            const char *msg = tally_last_error();
            s.error = copy(msg[0] ? msg : "failed");
        }
        g->error = g->error != NULL ? g->error : s.error;
        if (g->error != s.error) {
            free(s.error);
        }
        json_decref(s.json);
    } else {
        free(s.error);
        g->json = s.json;
    }
}

/* Write one CSV field, quoted when it holds a comma, quote or line end. */
static void csv_field(FILE *fp, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', fp);
        }
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static int print_json(FILE *fp, const by_job *job, group *g, size_t n)
{
    json_t *root = json_object();
    json_t *arr = json_array();
    if (root == NULL || arr == NULL) {
        json_decref(root);
        json_decref(arr);
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    json_object_set_new(root, "command", json_string(job->command));
    json_object_set_new(root, "by", json_string(job->by));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "group", json_string(g[i].item->name));
        if (g[i].code == CLI_OK) {
            json_object_update(o, g[i].json);
        } else {
            json_object_set_new(o, "error", json_string(g[i].error));
        }
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "groups", arr);
    return cli_json_print(fp, root);
}

static void print_text(FILE *fp, const by_job *job, const group *g, size_t n)
{
    int header = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = g[i].item->name;
        if (job->cmd->format == CLI_TABLE) {
            fprintf(fp, "%s== %s = %s ==\n", i > 0 ? "\n" : "", job->by,
                    name);
            if (g[i].code != CLI_OK) {
                fprintf(fp, "Error: %s\n", g[i].error);
            } else if (g[i].text != NULL) {
                fwrite(g[i].text, 1, g[i].text_size, fp);
            }
            continue;
        }
        if (g[i].code != CLI_OK || g[i].text == NULL) {
            continue;
        }
        /* CSV: the group's lines after the header (written once),
         * prefixed with the group. */
        const char *line = g[i].text;
        int first = 1;
        while (*line != '\0') {
            const char *nl = strchr(line, '\n');
            size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
            if (first) {
                if (!header) {
                    csv_field(fp, job->by);
                    fprintf(fp, ",%.*s\n", (int)len, line);
                    header = 1;
                }
                first = 0;
            } else {
                csv_field(fp, name);
                fprintf(fp, ",%.*s\n", (int)len, line);
            }
            if (nl == NULL) {
                break;
            }
            line = nl + 1;
        }
    }
}

int by_run(const by_job *job, const by_item *items, size_t n)
{
    group *g = calloc(n ? n : 1, sizeof *g);
    if (g == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    int rc = CLI_OK;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(job->by) + strlen(items[i].name) + 2;
        g[i].item = &items[i];
        g[i].where = malloc(len);
        if (g[i].where == NULL) {
            rc = CLI_EIO;
            break;
        }
        snprintf(g[i].where, len, "%s=%s", job->by, items[i].name);
    }
    if (rc != CLI_OK) {
        fputs("tally: out of memory\n", stderr);
    } else {
        /* A JSON object made here first: jansson seeds its hash function
         * on the first object, before the threads make theirs. */
        json_decref(json_object());
        run_ctx ctx = {job, g};
        by_pool_run(n, job->nthreads, run_group, &ctx);
        /* Reports in group order, after all groups. */
        for (size_t i = 0; i < n; i++) {
            const char *line = g[i].warn != NULL ? g[i].warn : "";
            while (*line != '\0') {
                const char *nl = strchr(line, '\n');
                size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
                cli_warn("%s: %s = %s: %.*s", cli_file_name(job->input),
                         job->by, g[i].item->name, (int)len, line);
                line = nl != NULL ? nl + 1 : line + len;
            }
            if (g[i].code != CLI_OK) {
                cli_warn("%s: %s = %s: %s", cli_file_name(job->input),
                         job->by, g[i].item->name, g[i].error);
                rc = g[i].code > rc ? g[i].code : rc;
            }
        }
        cli_out out;
        int orc = cli_out_open(job->cmd, job->input, &out);
        if (orc == CLI_OK) {
            int prc = CLI_OK;
            if (job->cmd->format == CLI_JSON) {
                prc = print_json(out.fp, job, g, n);
            } else {
                print_text(out.fp, job, g, n);
            }
            int crc = cli_out_close(&out, prc == CLI_OK);
            orc = prc != CLI_OK ? prc : crc;
        }
        if (orc != CLI_OK) {
            rc = orc;
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(g[i].where);
        free(g[i].error);
        free(g[i].text);
        free(g[i].warn);
        json_decref(g[i].json);
    }
    free(g);
    return rc;
}

int by_read_series(const char *path, const char *by, tally_frame_set **set)
{
    tally_series_options so;
    tally_series_options_init(&so);
    so.group_col = by;
    *set = NULL;
    int st = tally_series_read(path, &so, set);
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    if ((*set)->group_col == NULL) {
        fprintf(stderr, "tally: %s has no group column '%s'\n", path, by);
        tally_frame_set_free(*set);
        *set = NULL;
        return CLI_EUSAGE;
    }
    return CLI_OK;
}

int by_run_frames(const by_job *job, const tally_frame_set *set)
{
    size_t n = set->nframes;
    by_item *items = calloc(n ? n : 1, sizeof *items);
    if (items == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    for (size_t i = 0; i < n; i++) {
        items[i].name = set->frames[i]->group ? set->frames[i]->group : "";
        items[i].item = set->frames[i];
    }
    int rc = by_run(job, items, n);
    free(items);
    return rc;
}
