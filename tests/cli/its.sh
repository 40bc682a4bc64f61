#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tally its from the command line: golden outputs (stdout and stderr, byte
# for byte) on the shipped Sicily and PICSS series, the exit code of each
# kind of bad request, and the shared reference cases (skipped when
# ../shared is absent).
set -u
TALLY=${1:?usage: its.sh PATH/TO/tally}
G=tests/fixtures/its/golden
SHARED=${TALLY_SHARED:-../shared}
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The coefficient table above "Break:" is the shared fit printer's (tested
# with regress/trend); the goldens keep the sections its adds, so a layout
# change there does not break these.  JSON and CSV carry 17 digits that move
# with the last bits of the IRLS: they are checked with tolerances below.
golden() { # name, expected exit code, args...
    local name=$1 want=$2
    shift 2
    "$TALLY" "$@" >"$tmp/$name.full" 2>"$tmp/$name.err"
    local rc=$?
    sed -n '/^Break/,$p' "$tmp/$name.full" >"$tmp/$name.out"
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; cat "$tmp/$name.err"; fail=1
    fi
    for s in out err; do
        if ! cmp -s "$tmp/$name.$s" "$G/$name.$s"; then
            echo "FAIL $name: std$s differs from $G/$name.$s"
            diff "$G/$name.$s" "$tmp/$name.$s" | head -20
            fail=1
        fi
    done
}

SIC=data/sicily/sicily.csv
PK=data/pakistan-picss/monthly.csv
# The smoking-ban replication (Lopez Bernal et al. 2017): rate ratio 0.885,
# t interval 0.838-0.934 and Wald z interval 0.839-0.933.
golden its_sicily 0 its "$SIC" --value aces --break 2005-01 \
    --family quasipoisson --season fourier:2 --exposure stdpop --change level
"$TALLY" its "$SIC" --value aces --break 2005-01 --family quasipoisson \
    --season fourier:2 --exposure stdpop --change level --ci z --horizon 2 \
    --format json >"$tmp/sicily.json" 2>/dev/null || fail=1
# R: see tests/test_its.c (sicily_smoking_ban_replication and
# sicily_counterfactual_and_cumulative).
python3 - "$tmp/sicily.json" <<'PY' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))
def near(got, want, rtol=1e-6):
    if abs(got - want) > rtol * abs(want):
        sys.exit("its json: got %r, want %r" % (got, want))
lv = [c for c in d["coefficients"] if c["term"] == "level"][0]
near(lv["rate_ratio"], 0.88507154724383652)
near(lv["rate_ratio_conf_low"], 0.83940096962572097)   # --ci z
near(lv["rate_ratio_conf_high"], 0.93322699411448851)
assert d["statistic"] == "z" and d["interval"] == "z"
assert len(d["counterfactual"]) == 25 and d["counterfactual"][-1]["period"] == "2007-01"
near(d["counterfactual"][0]["mean"], 952.78589575544527)
near(d["cumulative"]["estimate"], -2561.0741648723379)
assert d["cumulative"]["method"] == "delta method"
for k in ("estimate", "conf_low", "conf_high"):
    assert isinstance(d["cumulative"][k], float)
PY
# The end of the TTP ceasefire (docs/its.md).
golden its_picss_attacks 0 its "$PK" --value attacks --break 2022-12 \
    --exclude 2022-11:2022-11 --family negbin --placebo --sensitivity 2
"$TALLY" its "$PK" --value killed --break 2022-12 --exclude 2022-11:2022-11 \
    --family quasipoisson --format csv --table counterfactual \
    >"$tmp/cf.csv" 2>/dev/null || fail=1
if [ "$(head -1 "$tmp/cf.csv")" != "period,observed,excluded,fitted,mean,conf_low,conf_high" ] \
    || [ "$(wc -l <"$tmp/cf.csv")" != 26 ]; then
    echo "FAIL its counterfactual csv"; fail=1
fi
golden its_picss_boot 0 its "$PK" --value attacks --break 2022-12 \
    --exclude 2022-11:2022-11 --family negbin --cumulative bootstrap \
    --draws 500 --seed 7
# Bad requests.
golden its_break_outside 2 its "$SIC" --value aces --break 2006-12
golden its_break_early 1 its "$SIC" --value aces --break 2002-03
golden its_exclude_outside 2 its "$SIC" --value aces --break 2005-01 \
    --exclude 2001-12:2002-02
golden its_exclude_empty 2 its tests/fixtures/its/gaps.csv --value events \
    --break 2021-07 --exclude 2021-01:2021-02
golden its_gaps 0 its tests/fixtures/its/gaps.csv --value events \
    --break 2021-07 --family poisson
golden its_no_break 2 its "$SIC" --value aces
golden its_bad_season 2 its "$SIC" --value aces --break 2005-01 \
    --season fourier:7
golden its_control_offset 2 its "$SIC" --value aces --break 2005-01 \
    --control pop --exposure stdpop

if [ -f "$SHARED/reference/check.py" ]; then
    if ! python3 "$SHARED/reference/check.py" "$TALLY" "$SHARED/reference/cases" -k its -v; then
        fail=1
    fi
else
    echo "skip: $SHARED/reference/check.py not found (set TALLY_SHARED)"
fi
exit $fail
