/* SPDX-License-Identifier: MIT
 *
 * Implementation of the shared command-line machinery declared in cli.h.
 */
#include "cli/cli.h"

#include "tally/tally_status.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_opt common_format = {
    "format", CLI_KEY_FORMAT, 1, "FMT",
    "output format: table (default), csv or json"};
static const cli_opt common_output = {
    "output", CLI_KEY_OUTPUT, 1, "FILE",
    "write the result to FILE (atomically) instead of standard output"};
static const cli_opt common_force = {
    "force", CLI_KEY_FORCE, 0, NULL, "replace FILE of -o if it exists"};
static const cli_opt common_help = {"help", CLI_KEY_HELP, 0, NULL,
                                    "print this help and exit"};

static void add_opt(cli_cmd *c, size_t *nl, size_t *ns, const cli_opt *o)
{
    c->long_opts[*nl].name = o->name;
    c->long_opts[*nl].has_arg = o->has_arg ? required_argument : no_argument;
    c->long_opts[*nl].flag = NULL;
    c->long_opts[*nl].val = o->key;
    (*nl)++;
    if (o->key > 0 && o->key < 128) {
        c->short_opts[(*ns)++] = (char)o->key;
        if (o->has_arg) {
            c->short_opts[(*ns)++] = ':';
        }
    }
}

void cli_init(cli_cmd *c, const char *command, const char *usage,
              const char *description, const char *examples,
              const cli_opt *opts, int common)
{
    size_t nl = 0, ns = 0;
    memset(c, 0, sizeof *c);
    /* glibc re-initialises getopt when optind is 0, so a command can run
     * several times in one process (tally run). */
    optind = 0;
    c->command = command;
    c->usage = usage;
    c->description = description;
    c->examples = examples;
    c->opts = opts;
    c->common = common;
    c->short_opts[ns++] = ':'; /* report missing arguments as ':' */
    for (const cli_opt *o = opts; o != NULL && o->name != NULL; o++) {
        add_opt(c, &nl, &ns, o);
    }
    if (common & CLI_COMMON_FORMAT) {
        add_opt(c, &nl, &ns, &common_format);
    }
    if (common & CLI_COMMON_OUTPUT) {
        add_opt(c, &nl, &ns, &common_output);
        add_opt(c, &nl, &ns, &common_force);
    }
    add_opt(c, &nl, &ns, &common_help);
    c->short_opts[ns] = '\0';
}

static void help_line(const cli_opt *o, FILE *fp)
{
    char left[64];
    if (o->key > 0 && o->key < 128) {
        snprintf(left, sizeof left, "-%c, --%s%s%s", o->key, o->name,
                 o->has_arg ? " " : "", o->has_arg ? o->metavar : "");
    } else {
        snprintf(left, sizeof left, "    --%s%s%s", o->name,
                 o->has_arg ? " " : "", o->has_arg ? o->metavar : "");
    }
    if (strlen(left) > 26) {
        fprintf(fp, "  %s\n  %-26s  %s\n", left, "", o->help);
    } else {
        fprintf(fp, "  %-26s  %s\n", left, o->help);
    }
}

void cli_help(const cli_cmd *c, FILE *fp)
{
    fprintf(fp, "Usage: tally %s %s\n\n%s\n\nOptions:\n", c->command, c->usage,
            c->description);
    for (const cli_opt *o = c->opts; o != NULL && o->name != NULL; o++) {
        help_line(o, fp);
    }
    if (c->common & CLI_COMMON_FORMAT) {
        help_line(&common_format, fp);
    }
    if (c->common & CLI_COMMON_OUTPUT) {
        help_line(&common_output, fp);
        help_line(&common_force, fp);
    }
    help_line(&common_help, fp);
    if (c->examples != NULL) {
        fprintf(fp, "\nExamples:\n%s", c->examples);
    }
    fputs("\nExit status: 0 success, 1 analysis impossible on these data, "
          "2 bad usage or input, 3 I/O error.\n", fp);
}

int cli_usage_error(const cli_cmd *c, const char *fmt, ...)
{
    va_list ap;
    fputs("tally: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'tally %s --help' for more information.\n",
            c->command);
    return CLI_EUSAGE;
}

int cli_fail(int status)
{
    const char *msg = tally_last_error();
    fprintf(stderr, "tally: %s\n", msg[0] ? msg : tally_strerror(status));
    return tally_exit_code(status);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    fputs("tally: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const char *opt_name(const cli_cmd *c, int key, char *buf, size_t n)
{
    for (size_t i = 0; c->long_opts[i].name != NULL; i++) {
        if (c->long_opts[i].val == key) {
            snprintf(buf, n, "--%s", c->long_opts[i].name);
            return buf;
        }
    }
    snprintf(buf, n, "-%c", key);
    return buf;
}

int cli_next(cli_cmd *c, int argc, char **argv, char **arg)
{
    for (;;) {
        int longidx = -1;
        opterr = 0;
        int key = getopt_long(argc, argv, c->short_opts, c->long_opts, &longidx);
        *arg = optarg;
        if (key == -1) {
            return CLI_END;
        }
        if (key == '?') {
            if (optopt != 0 && optopt < 128) {
                cli_usage_error(c, "unknown option '-%c'", optopt);
                return CLI_DONE_USAGE;
            }
            cli_usage_error(c, "unknown or ambiguous option '%s'", argv[optind - 1]);
            return CLI_DONE_USAGE;
        }
        if (key == ':') {
            char b[64];
            cli_usage_error(c, "option '%s' needs a value",
                            optopt ? opt_name(c, optopt, b, sizeof b) : argv[optind - 1]);
            return CLI_DONE_USAGE;
        }
        switch (key) {
        case CLI_KEY_HELP:
            cli_help(c, stdout);
            return CLI_DONE_OK;
        case CLI_KEY_FORMAT:
            if (strcmp(optarg, "table") == 0) {
                c->format = CLI_TABLE;
            } else if (strcmp(optarg, "csv") == 0) {
                c->format = CLI_CSV;
            } else if (strcmp(optarg, "json") == 0) {
                c->format = CLI_JSON;
            } else {
                cli_usage_error(c, "--format must be table, csv or json, not '%s'", optarg);
                return CLI_DONE_USAGE;
            }
            continue;
        case CLI_KEY_OUTPUT:
            c->output = optarg;
            continue;
        case CLI_KEY_FORCE:
            c->force = 1;
            continue;
        default:
            return key;
        }
    }
}

int cli_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (s == NULL || *s == '\0') {
        return 0;
    }
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || v < lo || v > hi) {
        return 0;
    }
    *out = v;
    return 1;
}

int cli_parse_double(const char *s, double *out)
{
    return s != NULL && tally_parse_double(s, out);
}

size_t cli_parse_levels(const char *s, double *levels, size_t max)
{
    size_t n = 0;
    const char *p = s;
    while (*p) {
        char buf[32];
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof buf || n == max) {
            return 0;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        double v;
        if (!cli_parse_double(buf, &v) || !(v > 0 && v < 100)) {
            return 0;
        }
        levels[n++] = v;
        p += len;
        if (*p == ',') {
            p++;
            if (*p == '\0') {
                return 0;
            }
        }
    }
    return n;
}

/* The temporary output being written, if any.  A signal that ends the
 * program (Ctrl-C, kill, a closed terminal) would otherwise leave a stray
 * FILE.tmpXXXXXX next to the output: the handler removes it (unlink is
 * async-signal-safe) and then dies of the same signal. */
static char *volatile pending_tmp;

static void remove_pending_and_die(int sig)
{
    char *p = pending_tmp;
    if (p != NULL) {
        unlink(p);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void watch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending_and_die;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* Leave alone a signal the caller ignores (nohup, background
         * jobs without job control ignore SIGINT and SIGQUIT). */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) {
            sigaction(sigs[i], &sa, NULL);
        }
    }
}

int cli_out_open(const cli_cmd *c, const char *input, cli_out *o)
{
    memset(o, 0, sizeof *o);
    if (c->output == NULL || strcmp(c->output, "-") == 0) {
        o->fp = stdout;
        return CLI_OK;
    }
    struct stat so, si;
    if (stat(c->output, &so) == 0) {
        if (input != NULL && strcmp(input, "-") != 0 && stat(input, &si) == 0
            && so.st_dev == si.st_dev && so.st_ino == si.st_ino) {
            fprintf(stderr, "tally: refusing to write over the input file %s\n",
                    c->output);
            return CLI_EUSAGE;
        }
        if (!c->force) {
            fprintf(stderr,
                    "tally: %s exists; use --force to replace it\n", c->output);
            return CLI_EIO;
        }
    }
    size_t len = strlen(c->output) + 16;
    o->tmp = malloc(len);
    if (o->tmp == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    snprintf(o->tmp, len, "%s.tmpXXXXXX", c->output);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || (o->fp = fdopen(fd, "w")) == NULL) {
        fprintf(stderr, "tally: cannot write %s: %s\n", c->output, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return CLI_EIO;
    }
    o->dst = c->output;
    pending_tmp = o->tmp;
    watch_signals();
    return CLI_OK;
}

int cli_out_close(cli_out *o, int ok)
{
    int rc = CLI_OK;
    if (o->fp == NULL) {
        return CLI_OK;
    }
    if (o->tmp == NULL) {
        if (fflush(o->fp) != 0) {
            fprintf(stderr, "tally: cannot write standard output: %s\n", strerror(errno));
            rc = CLI_EIO;
        }
        o->fp = NULL;
        return rc;
    }
    if (fflush(o->fp) != 0 || ferror(o->fp)) {
        ok = 0;
        rc = CLI_EIO;
        fprintf(stderr, "tally: cannot write %s: %s\n", o->dst, strerror(errno));
    }
    if (fclose(o->fp) != 0 && ok) {
        ok = 0;
        rc = CLI_EIO;
        fprintf(stderr, "tally: cannot write %s: %s\n", o->dst, strerror(errno));
    }
    o->fp = NULL;
    if (ok) {
        /* mkstemp creates 0600; give the file the usual permissions. */
        mode_t mask = umask(0);
        umask(mask);
        chmod(o->tmp, 0666 & ~mask);
        if (rename(o->tmp, o->dst) != 0) {
            fprintf(stderr, "tally: cannot write %s: %s\n", o->dst, strerror(errno));
            rc = CLI_EIO;
            unlink(o->tmp);
        }
    } else {
        unlink(o->tmp);
    }
    /* Cleared only now: a signal between the rename and here unlinks a
     * name that no longer exists, which is harmless. */
    pending_tmp = NULL;
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

int cli_read_series(const char *path, const char *group_col,
                    const char *group, tally_frame_set **set,
                    tally_frame **frame)
{
    tally_series_options so;
    tally_series_options_init(&so);
    so.group_col = group_col;
    int st = tally_series_read(path, &so, set);
    if (st != TALLY_OK) {
        return cli_fail(st);
    }
    *frame = tally_frame_set_find(*set, group);
    if (*frame == NULL) {
        if (group != NULL) {
            fprintf(stderr, "tally: %s: no group '%s' in column '%s'\n", path,
                    group, (*set)->group_col ? (*set)->group_col : "(none)");
        } else {
            fprintf(stderr,
                    "tally: %s has %zu groups in column '%s': choose one with --where %s=VALUE "
                    "(or fit each with --by %s where the command offers it)\n",
                    path, (*set)->nframes, (*set)->group_col,
                    (*set)->group_col, (*set)->group_col);
        }
        tally_frame_set_free(*set);
        *set = NULL;
        return CLI_EUSAGE;
    }
    return CLI_OK;
}

int cli_split_where(const char *s, char **col, char **val)
{
    const char *eq = strchr(s, '=');
    if (eq == NULL || eq == s) {
        return 0;
    }
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy == NULL) {
        return 0;
    }
    memcpy(copy, s, n);
    copy[eq - s] = '\0';
    *col = copy;
    *val = copy + (eq - s) + 1;
    return 1;
}

void cli_csv_num(FILE *fp, double v)
{
    if (isfinite(v)) {
        fprintf(fp, ",%.17g", v);
    } else if (isinf(v)) {
        fputs(v > 0 ? ",Inf" : ",-Inf", fp);
    } else {
        fputs(",NA", fp);
    }
}

json_t *cli_json_num(double v)
{
    if (!isfinite(v)) {
        return json_null();
    }
    return json_real(v);
}

json_t *cli_json_period(tally_freq freq, tally_period p)
{
    char b[TALLY_PERIOD_BUFSIZE];
    return json_string(tally_period_format(freq, p, b, sizeof b));
}

int cli_json_print(FILE *fp, json_t *root)
{
    if (root == NULL) {
        fputs("tally: out of memory building JSON\n", stderr);
        return CLI_EIO;
    }
    int rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_REAL_PRECISION(17)
                                      | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', fp);
    return rc == 0 ? CLI_OK : CLI_EIO;
}
