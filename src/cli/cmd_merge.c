/* SPDX-License-Identifier: MIT
 *
 * tally merge: partial aggregates in (made by `tally aggregate --partial`
 * on parts of the data, perhaps on other machines, by a map-reduce
 * engine's map step), the series of all the parts out: the same file, and
 * the same accounting on stderr, as one `tally aggregate` over all the
 * rows.  With --partial the merge is written as a partial again (a
 * combiner step).
 */
#include "cli/cli.h"

#include "tally/tally_events.h"
#include "tally/tally_status.h"

#include <string.h>

enum { KEY_PARTIAL = CLI_KEY_FIRST_FREE };

static const cli_opt options[] = {
    {"partial", KEY_PARTIAL, 0, NULL,
     "write the merge as a partial aggregate again (to merge further)"},
    {NULL, 0, 0, NULL, NULL}};

static const char description[] =
    "Merge partial aggregates into the series of all their rows.  Each\n"
    "PART is a file of one or more partials (as tally aggregate --partial\n"
    "writes them; - reads standard input, where partials may follow each\n"
    "other).  Partials must come from the same options (period, --by,\n"
    "--sum, --from/--to, --missing, --fold-case).  Counts, sums and missing\n"
    "counts add exactly; the accounting (rows read = aggregated + skipped)\n"
    "is that of all the parts, and the first examples of problems are\n"
    "taken in the order of the PARTs (their line numbers are those of the\n"
    "part they come from).";

static const char examples[] =
    "  tail -n +2 events.csv | split -l 1000000 --filter \\\n"
    "      '{ head -n 1 events.csv; cat; } > $FILE.csv' - chunk-\n"
    "  for f in chunk-*.csv; do\n"
    "      tally aggregate $f --date Date --by Province --partial -o $f.part\n"
    "  done\n"
    "  tally merge chunk-*.part -o monthly.csv\n";

int cmd_merge(int argc, char **argv)
{
    cli_cmd c;
    int partial = 0;
    cli_init(&c, "merge", "PART... [--partial] [-o FILE]", description,
             examples, options, CLI_COMMON_OUTPUT);
    char *arg;
    int key;
    optind = 1;
    while ((key = cli_next(&c, argc, argv, &arg)) != CLI_END) {
        if (key == CLI_DONE_OK) {
            return CLI_OK;
        }
        if (key == CLI_DONE_USAGE) {
            return CLI_EUSAGE;
        }
        if (key == KEY_PARTIAL) {
            partial = 1;
        } else {
            return cli_usage_error(&c, "unexpected option");
        }
    }
    if (optind >= argc) {
        return cli_usage_error(&c, "which partial aggregates? (give their "
                                   "files, or - for standard input)");
    }
    tally_events *e = NULL;
    size_t count = 0;
    for (int i = optind; i < argc; i++) {
        int st = tally_events_merge_partials(argv[i], &e, &count);
        if (st != TALLY_OK) {
            tally_events_free(e);
            return cli_fail(st);
        }
    }
    if (e == NULL) {
        return cli_usage_error(&c, "no partial aggregate in the input");
    }
    cli_out out;
    int rc = cli_out_open(&c, argv[optind], &out);
    if (rc != CLI_OK) {
        tally_events_free(e);
        return rc;
    }
    int st = partial ? tally_events_write_partial(out.fp, e)
                     : tally_events_write(out.fp, e);
    if (st != TALLY_OK) {
        rc = cli_fail(st);
    }
    fprintf(stderr, "tally: %zu partial aggregate%s merged\n", count,
            count == 1 ? "" : "s");
    tally_events_report_print(stderr, e, "tally: ");
    int rc2 = cli_out_close(&out, rc == CLI_OK);
    tally_events_free(e);
    return rc != CLI_OK ? rc : rc2;
}
