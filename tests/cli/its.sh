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

golden() { # name, expected exit code, args...
    local name=$1 want=$2
    shift 2
    "$TALLY" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    local rc=$?
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
golden its_sicily_json 0 its "$SIC" --value aces --break 2005-01 \
    --family quasipoisson --season fourier:2 --exposure stdpop --change level \
    --ci z --horizon 2 --format json
# The end of the TTP ceasefire (docs/its.md).
golden its_picss_attacks 0 its "$PK" --value attacks --break 2022-12 \
    --exclude 2022-11:2022-11 --family negbin --placebo --sensitivity 2
golden its_picss_cf_csv 0 its "$PK" --value killed --break 2022-12 \
    --exclude 2022-11:2022-11 --family quasipoisson --format csv \
    --table counterfactual
golden its_picss_boot 0 its "$PK" --value attacks --break 2022-12 \
    --exclude 2022-11:2022-11 --family negbin --cumulative bootstrap \
    --draws 500 --seed 7 --format csv --table effects
# Bad requests.
golden its_break_outside 2 its "$SIC" --value aces --break 2006-12
golden its_break_early 1 its "$SIC" --value aces --break 2002-03
golden its_exclude_outside 2 its "$SIC" --value aces --break 2005-01 \
    --exclude 2001-12:2002-02
golden its_exclude_empty 2 its tests/fixtures/its/gaps.csv --value events \
    --break 2021-07 --exclude 2021-01:2021-02
golden its_gaps 0 its tests/fixtures/its/gaps.csv --value events \
    --break 2021-07 --family poisson --format csv --table counterfactual
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
