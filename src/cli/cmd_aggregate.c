/* SPDX-License-Identifier: MIT
 *
 * tally aggregate: an event file (one row per incident) in, a series file
 * (one row per period and group, every period present) out.  The options
 * become a tally_events_options; the file is streamed through
 * tally_events_feed; the series goes to stdout or, atomically, to -o FILE;
 * the accounting and every problem met go to stderr.
 */
#include "cli/cli.h"

#include "tally/tally_date.h"
#include "tally/tally_events.h"
#include "tally/tally_status.h"

#include <stdlib.h>
#include <string.h>

enum {
    KEY_DATE = CLI_KEY_FIRST_FREE,
    KEY_DATE_FORMAT,
    KEY_YEAR,
    KEY_MONTH,
    KEY_DAY,
    KEY_BY,
    KEY_SUM,
    KEY_COUNT,
    KEY_PERIOD,
    KEY_FROM,
    KEY_TO,
    KEY_FOLD_CASE,
    KEY_RECODE,
    KEY_RECODE_FILE,
    KEY_MISSING,
    KEY_ON_BAD_ROW,
    KEY_THREADS,
    KEY_READER,
    KEY_PARTIAL
};

static const cli_opt options[] = {
    {"date", KEY_DATE, 1, "COL", "column holding the date of each event"},
    {"date-format", KEY_DATE_FORMAT, 1, "FMT",
     "read dates as for strptime, e.g. %d/%m/%Y or %m/%d/%Y"},
    {"year", KEY_YEAR, 1, "COL",
     "the date is in year/month/day columns instead (0 = unknown)"},
    {"month", KEY_MONTH, 1, "COL",
     "month column 1..12; events with month 0 are skipped and counted"},
    {"day", KEY_DAY, 1, "COL",
     "day column; events with day 0 count in their month"},
    {"by", KEY_BY, 1, "[NAME=]COL", "one series per value of COL"},
    {"sum", KEY_SUM, 1, "[NAME=]COL,...",
     "sum these columns per period (repeatable)"},
    {"count", KEY_COUNT, 1, "NAME",
     "name of the row-count column (default incidents)"},
    {"period", KEY_PERIOD, 1, "P", "month (default), quarter or year"},
    {"from", KEY_FROM, 1, "P", "first period written (e.g. 2007-01 or 2007)"},
    {"to", KEY_TO, 1, "P", "last period written (e.g. 2017-12 or 2017)"},
    {"fold-case", KEY_FOLD_CASE, 0, NULL,
     "group values differing only in case are one group"},
    {"recode", KEY_RECODE, 1, "FROM=TO,...",
     "respell group values (repeatable)"},
    {"recode-file", KEY_RECODE_FILE, 1, "FILE",
     "respell group values listed in a two-column CSV (from,to)"},
    {"missing", KEY_MISSING, 1, "M",
     "a summed cell that is not a count: skip (default), zero or fail"},
    {"on-bad-row", KEY_ON_BAD_ROW, 1, "A",
     "a row with a bad date or field count: fail (default) or skip"},
    {"threads", KEY_THREADS, 1, "N",
     "threads for a large file (default: one per core; 1: serial); the "
     "result is the same"},
    {"reader", KEY_READER, 1, "R",
     "fast (default: plain lines split in place) or libcsv (every byte "
     "through libcsv, the reference); the result is the same"},
    {"partial", KEY_PARTIAL, 0, NULL,
     "write a partial aggregate (one line of JSON) for tally merge, "
     "instead of the series"},
    {NULL, 0, 0, NULL, NULL}};

static const char description[] =
    "Count events per period (and group): one row per incident in, one row\n"
    "per period out, with 'incidents' (rows counted) and one column per\n"
    "summed variable.  Every period from the first to the last (or --from to\n"
    "--to) is written, 0 where nothing happened; with --by every group gets\n"
    "every period.  The file is streamed: memory does not grow with it.\n"
    "\n"
    "A summed cell that is not a non-negative number (blank, Unknown, N/A,\n"
    "-4) is a missing cell: by default it is left out of the sum and counted\n"
    "in a <name>_missing column.  A row whose date cannot be read or is\n"
    "impossible, or whose number of fields is wrong, is a bad row: it stops\n"
    "the run (exit 2, naming file, line and column) unless --on-bad-row skip.\n"
    "Group values are trimmed; --recode and --fold-case merge spellings; a\n"
    "blank group value is written NA.  The accounting (rows read = rows\n"
    "aggregated + rows skipped) and every problem met go to stderr.\n"
    "\n"
    "Dates are read without --date-format in these forms: 2004-06-18 (ISO,\n"
    "also 2004/06/18 and with a time), 'Friday, June 18, 2004',\n"
    "'Sunday-November 19-1995', 'November 19, 1995', '19 Nov 1995'.  A\n"
    "weekday is ignored (disagreements are reported); impossible dates\n"
    "such as 2023-02-30 are bad rows; 19/11/1995 needs --date-format.";

static const char examples[] =
    "  tally aggregate attacks.csv --date Date --by province=Province \\\n"
    "      --recode 'Baluchistan=Balochistan,KPK=Khyber Pakhtunkhwa' \\\n"
    "      --sum 'killed=Killed Max,injured=Injured Max' -o monthly.csv\n"
    "  tally aggregate gtd.csv --year iyear --month imonth --day iday \\\n"
    "      --sum nkill --period quarter --from 2007 --to 2017\n"
    "  tally aggregate chunk-07.csv --date Date --by Province --partial \\\n"
    "      -o chunk-07.part    # then: tally merge chunk-*.part\n";

/* Everything the options build, freed in one place. */
typedef struct {
    tally_events_options opt; /* what to aggregate */
    tally_date_format fmt;    /* --date-format */
    tally_recode *recode;     /* --recode, --recode-file */
    tally_events_sum *sums;   /* --sum items */
    size_t nsum;              /* entries of sums */
    char **owned;             /* copies of option text split into items */
    size_t nowned;            /* entries of owned */
    const char *from_text;    /* --from as given */
    const char *to_text;      /* --to as given */
    int partial;              /* --partial */
} agg_args;

static void args_fini(agg_args *a)
{
    tally_recode_free(a->recode);
    free(a->sums);
    for (size_t i = 0; i < a->nowned; i++) {
        free(a->owned[i]);
    }
    free(a->owned);
}

/* A modifiable copy of s, freed by args_fini; NULL when out of memory. */
static char *keep(agg_args *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char **p = realloc(a->owned, (a->nowned + 1) * sizeof *p);
    if (p == NULL) {
        return NULL;
    }
    a->owned = p;
    char *d = malloc(n);
    if (d == NULL) {
        return NULL;
    }
    memcpy(d, s, n);
    a->owned[a->nowned++] = d;
    return d;
}

/* Split "NAME=COL" into its parts (in place); without '=' the name is
 * NULL (the column's own name is used). */
static void split_named(char *item, const char **name, const char **col)
{
    char *eq = strchr(item, '=');
    if (eq == NULL) {
        *name = NULL;
        *col = item;
        return;
    }
    *eq = '\0';
    *name = item;
    *col = eq + 1;
}

/* Add the comma-separated items of one --sum. */
static int add_sums(const cli_cmd *c, agg_args *a, const char *text)
{
    char *copy = keep(a, text);
    if (copy == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    char *p = copy;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        tally_events_sum *s = realloc(a->sums, (a->nsum + 1) * sizeof *s);
        if (s == NULL) {
            fputs("tally: out of memory\n", stderr);
            return CLI_EIO;
        }
        a->sums = s;
        split_named(p, &s[a->nsum].name, &s[a->nsum].column);
        if (s[a->nsum].column[0] == '\0' ||
            (s[a->nsum].name != NULL && s[a->nsum].name[0] == '\0')) {
            return cli_usage_error(c, "--sum: empty column or name in '%s'",
                                   text);
        }
        a->nsum++;
        if (comma == NULL) {
            return CLI_OK;
        }
        p = comma + 1;
    }
}

/* A --from/--to period of the output frequency, or of a coarser one (a
 * year stands for its first or last month or quarter). */
static int range_period(const cli_cmd *c, const char *opt, const char *text,
                        tally_freq freq, int last, tally_period *out)
{
    tally_freq got = TALLY_FREQ_NONE;
    tally_period p;
    if (tally_period_parse(text, &got, &p) != TALLY_OK) {
        return cli_usage_error(c, "%s: %s", opt, tally_last_error());
    }
    if ((int)got > (int)freq) {
        return cli_usage_error(c, "%s %s is finer than the --period %s", opt,
                               text, tally_freq_name(freq));
    }
    int year = tally_period_year(got, p);
    int sub = tally_period_sub(got, p);
    /* The months the given period covers: first and last. */
    int m0 = got == TALLY_FREQ_YEAR      ? 1
             : got == TALLY_FREQ_QUARTER ? 3 * sub - 2
                                         : sub;
    int m1 = got == TALLY_FREQ_YEAR      ? 12
             : got == TALLY_FREQ_QUARTER ? 3 * sub
                                         : sub;
    *out = tally_period_from_month(freq, year, last ? m1 : m0);
    return CLI_OK;
}

static int parse_args(cli_cmd *c, int argc, char **argv, agg_args *a)
{
    char *arg;
    int key;
    int rc;
    for (;;) {
        key = cli_next(c, argc, argv, &arg);
        if (key == CLI_END) {
            break;
        }
        switch (key) {
        case CLI_DONE_OK:
            return -1;
        case CLI_DONE_USAGE:
            return CLI_EUSAGE;
        case KEY_DATE:
            a->opt.date_col = arg;
            break;
        case KEY_DATE_FORMAT:
            if (tally_date_format_init(&a->fmt, arg) != TALLY_OK) {
                return cli_usage_error(c, "--date-format: %s",
                                       tally_last_error());
            }
            a->opt.date_format = &a->fmt;
            break;
        case KEY_YEAR:
            a->opt.year_col = arg;
            break;
        case KEY_MONTH:
            a->opt.month_col = arg;
            break;
        case KEY_DAY:
            a->opt.day_col = arg;
            break;
        case KEY_BY: {
            char *copy = keep(a, arg);
            if (copy == NULL) {
                fputs("tally: out of memory\n", stderr);
                return CLI_EIO;
            }
            split_named(copy, &a->opt.group_name, &a->opt.group_col);
            if (a->opt.group_col[0] == '\0' ||
                (a->opt.group_name != NULL && a->opt.group_name[0] == '\0')) {
                return cli_usage_error(c, "--by: empty column or name in '%s'",
                                       arg);
            }
            break;
        }
        case KEY_SUM:
            rc = add_sums(c, a, arg);
            if (rc != CLI_OK) {
                return rc;
            }
            break;
        case KEY_COUNT:
            a->opt.count_name = arg;
            break;
        case KEY_PERIOD:
            a->opt.freq = tally_freq_from_name(arg);
            if (a->opt.freq == TALLY_FREQ_NONE) {
                return cli_usage_error(c,
                                       "--period must be month, quarter or "
                                       "year, not '%s'",
                                       arg);
            }
            break;
        case KEY_FROM:
            a->from_text = arg;
            break;
        case KEY_TO:
            a->to_text = arg;
            break;
        case KEY_FOLD_CASE:
            a->opt.fold_case = 1;
            break;
        case KEY_RECODE:
            if (tally_recode_parse(a->recode, arg) != TALLY_OK) {
                return cli_usage_error(c, "--recode: %s", tally_last_error());
            }
            break;
        case KEY_RECODE_FILE: {
            int st = tally_recode_read(a->recode, arg);
            if (st != TALLY_OK) {
                return cli_fail(st);
            }
            break;
        }
        case KEY_MISSING:
            if (strcmp(arg, "skip") == 0) {
                a->opt.missing = TALLY_MISSING_SKIP;
            } else if (strcmp(arg, "zero") == 0) {
                a->opt.missing = TALLY_MISSING_ZERO;
            } else if (strcmp(arg, "fail") == 0) {
                a->opt.missing = TALLY_MISSING_FAIL;
            } else {
                return cli_usage_error(c,
                                       "--missing must be skip, zero or "
                                       "fail, not '%s'",
                                       arg);
            }
            break;
        case KEY_ON_BAD_ROW:
            if (strcmp(arg, "fail") == 0) {
                a->opt.skip_bad_rows = 0;
            } else if (strcmp(arg, "skip") == 0) {
                a->opt.skip_bad_rows = 1;
            } else {
                return cli_usage_error(c,
                                       "--on-bad-row must be fail or skip, "
                                       "not '%s'",
                                       arg);
            }
            break;
        case KEY_THREADS: {
            long n;
            if (!cli_parse_long(arg, 1, 64, &n)) {
                return cli_usage_error(c,
                                       "--threads must be a whole number "
                                       "from 1 to 64, not '%s'",
                                       arg);
            }
            a->opt.threads = (unsigned)n;
            break;
        }
        case KEY_PARTIAL:
            a->partial = 1;
            break;
        case KEY_READER:
            if (strcmp(arg, "fast") == 0) {
                a->opt.reader = TALLY_READER_FAST;
            } else if (strcmp(arg, "libcsv") == 0) {
                a->opt.reader = TALLY_READER_LIBCSV;
            } else {
                return cli_usage_error(c,
                                       "--reader must be fast or libcsv, "
                                       "not '%s'",
                                       arg);
            }
            break;
        default:
            return cli_usage_error(c, "unexpected option");
        }
    }
    return CLI_OK;
}

/* Check what the options say as a whole. */
static int check_args(cli_cmd *c, agg_args *a)
{
    if (a->opt.date_col == NULL && a->opt.year_col == NULL) {
        return cli_usage_error(c, "say where the date is: --date COL, or "
                                  "--year COL [--month COL [--day COL]]");
    }
    if (a->opt.date_col != NULL &&
        (a->opt.year_col != NULL || a->opt.month_col != NULL ||
         a->opt.day_col != NULL)) {
        return cli_usage_error(c, "--date and --year/--month/--day exclude "
                                  "each other");
    }
    if (a->opt.year_col == NULL &&
        (a->opt.month_col != NULL || a->opt.day_col != NULL)) {
        return cli_usage_error(c, "--month and --day go with --year");
    }
    if (a->opt.date_format != NULL && a->opt.date_col == NULL) {
        return cli_usage_error(c, "--date-format goes with --date");
    }
    if (a->opt.year_col != NULL && a->opt.month_col == NULL &&
        a->opt.freq != TALLY_FREQ_YEAR) {
        return cli_usage_error(c, "--year without --month can only make "
                                  "--period year");
    }
    if (a->opt.day_col != NULL && a->opt.month_col == NULL) {
        return cli_usage_error(c, "--day needs --month");
    }
    if ((tally_recode_count(a->recode) > 0 || a->opt.fold_case) &&
        a->opt.group_col == NULL) {
        return cli_usage_error(c, "--recode, --recode-file and --fold-case "
                                  "clean the --by column: give --by");
    }
    int rc;
    if (a->from_text != NULL) {
        rc = range_period(c, "--from", a->from_text, a->opt.freq, 0,
                          &a->opt.from);
        if (rc != CLI_OK) {
            return rc;
        }
        a->opt.have_from = 1;
    }
    if (a->to_text != NULL) {
        rc = range_period(c, "--to", a->to_text, a->opt.freq, 1, &a->opt.to);
        if (rc != CLI_OK) {
            return rc;
        }
        a->opt.have_to = 1;
    }
    if (a->opt.have_from && a->opt.have_to && a->opt.to < a->opt.from) {
        return cli_usage_error(c, "--to %s is before --from %s", a->to_text,
                               a->from_text);
    }
    a->opt.sums = a->sums;
    a->opt.nsum = a->nsum;
    return CLI_OK;
}

/* Aggregate the input.  On failure the message is printed and the exit
 * code returned; *out is set only on success. */
static int aggregate(const char *path, const tally_events_options *o,
                     tally_events **out)
{
    tally_events *e = NULL;
    int st = tally_events_read_file(path, o, &e);
    if (st != TALLY_OK) {
        int rc = cli_fail(st);
        if (e != NULL && tally_events_get_report(e)->stopped_by_bad_row) {
            fputs("tally: (--on-bad-row skip counts and skips such rows)\n",
                  stderr);
        }
        tally_events_free(e);
        return rc;
    }
    *out = e;
    return CLI_OK;
}

int cmd_aggregate(int argc, char **argv)
{
    cli_cmd c;
    agg_args a;
    memset(&a, 0, sizeof a);
    tally_events_options_init(&a.opt);
    cli_init(&c, "aggregate",
             "EVENTS.csv (--date COL | --year COL [--month COL "
             "[--day COL]]) [options]",
             description, examples, options, CLI_COMMON_OUTPUT);
    a.recode = tally_recode_alloc();
    if (a.recode == NULL) {
        fputs("tally: out of memory\n", stderr);
        return CLI_EIO;
    }
    int rc = parse_args(&c, argc, argv, &a);
    if (rc == CLI_OK) {
        if (optind >= argc) {
            rc = cli_usage_error(&c, "which event file? (give its name, or - "
                                     "for standard input)");
        } else if (optind + 1 < argc) {
            rc = cli_usage_error(&c, "one event file at a time ('%s' is extra)",
                                 argv[optind + 1]);
        } else {
            rc = check_args(&c, &a);
        }
    }
    if (rc != CLI_OK) {
        args_fini(&a);
        return rc < 0 ? CLI_OK : rc;
    }
    a.opt.recode = a.recode;
    const char *input = argv[optind];

    cli_out out;
    rc = cli_out_open(&c, input, &out);
    if (rc != CLI_OK) {
        args_fini(&a);
        return rc;
    }
    tally_events *e = NULL;
    rc = aggregate(input, &a.opt, &e);
    if (rc == CLI_OK) {
        int st = a.partial ? tally_events_write_partial(out.fp, e)
                           : tally_events_write(out.fp, e);
        if (st != TALLY_OK) {
            rc = cli_fail(st);
        }
        /* The accounting is printed whether or not anything was written. */
        tally_events_report_print(stderr, e, "tally: ");
    }
    int rc2 = cli_out_close(&out, rc == CLI_OK);
    tally_events_free(e);
    args_fini(&a);
    return rc != CLI_OK ? rc : rc2;
}
