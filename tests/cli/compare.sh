#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tally compare from the command line: golden outputs (stdout and stderr,
# byte for byte) in three formats on a small fixture with missing values,
# the exit code of each kind of bad window, and the shared reference case
# (skipped when ../shared is absent).
set -u
TALLY=${1:?usage: compare.sh PATH/TO/tally}
FIX=tests/fixtures/its
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
        if ! cmp -s "$tmp/$name.$s" "$FIX/golden/$name.$s"; then
            echo "FAIL $name: std$s differs from $FIX/golden/$name.$s"
            diff "$FIX/golden/$name.$s" "$tmp/$name.$s" | head -20
            fail=1
        fi
    done
}

S=$FIX/compare_small.csv
W=(--before 2021-01:2021-07 --after 2021-08:2022-02)
golden compare_table 0 compare "$S" --value attacks "${W[@]}"
golden compare_csv 0 compare "$S" --value note_rate "${W[@]}" --format csv
golden compare_json 0 compare "$S" --value attacks "${W[@]}" --format json
golden compare_outside 2 compare "$S" --value attacks --before 2020-12:2021-07 --after 2021-08:2022-02
golden compare_overlap 2 compare "$S" --value attacks --before 2021-01:2021-08 --after 2021-08:2022-02
golden compare_allmissing 2 compare "$S" --value attacks --before 2021-03:2021-03 --after 2021-08:2022-02
golden compare_nocolumn 2 compare "$S" --value killed "${W[@]}"
golden compare_badrange 2 compare "$S" --value attacks --before 2021-01 --after 2021-Q3:2021-Q4

if [ -f "$SHARED/reference/check.py" ]; then
    if ! python3 "$SHARED/reference/check.py" "$TALLY" "$SHARED/reference/cases" -k compare -v; then
        fail=1
    fi
else
    echo "skip: $SHARED/reference/check.py not found (set TALLY_SHARED)"
fi
exit $fail
