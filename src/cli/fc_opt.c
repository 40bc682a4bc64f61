/* SPDX-License-Identifier: MIT
 *
 * The model options of `tally forecast` and `tally backtest` (fc_opt.h):
 * strict parsing of --horizon, --level and --seed, the required options,
 * the tally_fc_spec with the ARIMA-only flags checked, and the --value
 * column of a series.
 */
#include "cli/fc_opt.h"

#include "tally/tally_status.h"

#include <stdio.h>
#include <string.h>

void fc_opt_init(fc_opt *o)
{
    memset(o, 0, sizeof *o);
    o->levels[0] = 80.0;
    o->levels[1] = 95.0;
    o->nlevels = 2;
    o->seed = 1;
}

int fc_opt_parse(const cli_cmd *c, int key, const char *arg, fc_opt *o)
{
    switch (key) {
    case FC_KEY_VALUE:
        o->value = arg;
        return 1;
    case FC_KEY_MODEL:
        o->model = arg;
        return 1;
    case FC_KEY_HORIZON:
        if (!cli_parse_long(arg, 1, 100000, &o->horizon)) {
            cli_usage_error(c,
                            "--horizon must be a whole number from 1 to "
                            "100000, not '%s'",
                            arg);
            return -1;
        }
        return 1;
    case FC_KEY_LEVEL:
        o->nlevels = cli_parse_levels(arg, o->levels, TALLY_FC_MAX_LEVELS);
        if (o->nlevels == 0) {
            cli_usage_error(c,
                            "--level must be up to %d percentages between 0 "
                            "and 100 separated by commas, not '%s'",
                            TALLY_FC_MAX_LEVELS, arg);
            return -1;
        }
        return 1;
    case FC_KEY_LOG:
        o->log = 1;
        return 1;
    case FC_KEY_DRIFT:
        o->drift = 1;
        return 1;
    case FC_KEY_NO_CONSTANT:
        o->no_constant = 1;
        return 1;
    case FC_KEY_SEED:
        if (!cli_parse_long(arg, 0, 2147483647L, &o->seed)) {
            cli_usage_error(c,
                            "--seed must be a whole number from 0 to "
                            "2147483647, not '%s'",
                            arg);
            return -1;
        }
        return 1;
    default:
        return 0;
    }
}

int fc_opt_check(const cli_cmd *c, const fc_opt *o, int argc,
                 const char *example)
{
    if (optind + 1 != argc) {
        return cli_usage_error(c, optind >= argc ? "missing the series FILE"
                                                 : "expected one series FILE");
    }
    if (o->model == NULL) {
        return cli_usage_error(c, "missing --model (e.g. --model %s)", example);
    }
    if (o->horizon == 0) {
        return cli_usage_error(c, "missing --horizon H");
    }
    return CLI_OK;
}

int fc_opt_spec(const cli_cmd *c, fc_opt *o)
{
    tally_fc_spec *spec = &o->spec;
    int st = tally_fc_spec_parse(o->model, spec);
    if (st != TALLY_OK) {
        return cli_usage_error(c, "%s", tally_last_error());
    }
    if (o->drift && spec->family != TALLY_FC_ARIMA) {
        return cli_usage_error(c, "--drift applies to ARIMA models (for a "
                                  "random walk with drift use --model "
                                  "drift)");
    }
    if (o->no_constant && spec->family != TALLY_FC_ARIMA) {
        return cli_usage_error(c, "--no-constant applies to ARIMA models");
    }
    spec->drift = o->drift;
    spec->log = o->log;
    spec->no_constant = o->no_constant;
    spec->seed = (uint64_t)o->seed;
    return CLI_OK;
}

int fc_opt_column(const tally_frame *f, const char *value, long *col,
                  by_sink *s)
{
    if (value != NULL) {
        *col = tally_frame_column(f, value);
        if (*col < 0) {
            return by_fail(s, CLI_EUSAGE, "no column '%s' in the series file",
                           value);
        }
        return CLI_OK;
    }
    if (f->ncol == 1) {
        *col = 0;
        return CLI_OK;
    }
    return by_fail(s, CLI_EUSAGE,
                   "the file has %zu variables: choose one with --value COL",
                   f->ncol);
}

void fc_opt_label(const tally_frame *f, long col, char *buf, size_t size)
{
    if (f->group != NULL) {
        snprintf(buf, size, "%s (%s)", f->names[col], f->group);
    } else {
        snprintf(buf, size, "%s", f->names[col]);
    }
}
