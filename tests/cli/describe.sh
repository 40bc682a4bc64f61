#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tally describe from the command line: golden outputs (stdout and stderr
# byte for byte) for a monthly, a quarterly and a grouped annual series in
# each format, strict JSON, determinism, standard input, -o, and the exit
# code and message of every misuse.  Run from the repository root as
#   bash tests/cli/describe.sh PATH/TO/tally
# UPDATE=1 rewrites the golden files (review the diff before committing).
set -u
tally=${1:?usage: describe.sh PATH/TO/tally}
dir=tests/cli/describe
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# golden NAME ARGS...: run tally describe ARGS, compare stdout with
# $dir/NAME.out and stderr with $dir/NAME.err (exit code must be 0).
golden() {
    local name=$1
    shift
    "$tally" describe "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "FAIL $name: exit $rc"; cat "$tmp/$name.err"; fail=1; return
    fi
    for ext in out err; do
        if [ "${UPDATE:-0}" = 1 ]; then
            cp "$tmp/$name.$ext" "$dir/$name.$ext"
        elif ! cmp -s "$tmp/$name.$ext" "$dir/$name.$ext"; then
            echo "FAIL $name: $ext differs from $dir/$name.$ext"
            diff -u "$dir/$name.$ext" "$tmp/$name.$ext" | head -40
            fail=1
        fi
    done
}

# expect_fail NAME CODE NEEDLE ARGS...: exit code CODE and NEEDLE in
# stderr, nothing on stdout.
expect_fail() {
    local name=$1 code=$2 needle=$3
    shift 3
    "$tally" describe "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -ne "$code" ]; then
        echo "FAIL $name: exit $rc, expected $code"; cat "$tmp/err"; fail=1
    elif ! grep -qF -- "$needle" "$tmp/err"; then
        echo "FAIL $name: stderr lacks '$needle':"; cat "$tmp/err"; fail=1
    elif [ -s "$tmp/out" ]; then
        echo "FAIL $name: wrote to stdout on failure"; fail=1
    fi
}

picss=data/pakistan-picss/monthly.csv
prov=data/pakistan-aggregates/province_year_picss.csv

golden picss-attacks $picss --value attacks
golden picss-all-json $picss --format json
golden monthly-na $dir/monthly_na.csv --periods
golden monthly-na-csv $dir/monthly_na.csv --format csv
golden quarterly $dir/quarterly.csv
golden annual-window data/pakistan-picss/annual.csv --value attacks --window 3
golden province-shares $prov --by region --value attacks --annual \
    --share 'KP mainland+KP tribal districts'
golden province-shares-json $prov --by region --value attacks --annual \
    --share 'KP mainland+KP tribal districts' --format json
golden province-where $prov --where region=Balochistan --value attacks

# Every JSON output is one strict JSON document (no NaN).
if command -v python3 >/dev/null; then
    for f in "$tmp"/*json.out; do
        if ! python3 -c 'import json, sys
json.load(open(sys.argv[1]), parse_constant=lambda c: sys.exit("bare " + c))' "$f"; then
            echo "FAIL $f is not strict JSON"; fail=1
        fi
    done
fi

# docs/describe.md shows the real output of its first example.
if command -v python3 >/dev/null; then
    if ! python3 -c 'import sys
out = "".join(("    " + l).rstrip() + "\n" for l in open(sys.argv[1]))
sys.exit(0 if out in open(sys.argv[2]).read() else 1)' \
            "$dir/picss-attacks.out" docs/describe.md; then
        echo "FAIL docs/describe.md does not show the current output"
        fail=1
    fi
fi

# Same input, same bytes; standard input reads the same as the file.
"$tally" describe $picss --format csv >"$tmp/a.csv" 2>/dev/null
"$tally" describe $picss --format csv >"$tmp/b.csv" 2>/dev/null
"$tally" describe - --format csv <$picss >"$tmp/c.csv" 2>/dev/null
if ! cmp -s "$tmp/a.csv" "$tmp/b.csv" || ! cmp -s "$tmp/a.csv" "$tmp/c.csv"; then
    echo "FAIL describe is not deterministic (or stdin differs)"; fail=1
fi

# -o writes the file; an existing file needs --force (exit 3 without).
"$tally" describe $picss --value attacks -o "$tmp/o.txt" || fail=1
cmp -s "$tmp/o.txt" "$dir/picss-attacks.out" || { echo "FAIL -o content"; fail=1; }
expect_fail output-exists 3 "use --force" $picss -o "$tmp/o.txt"
"$tally" describe $picss --value killed -o "$tmp/o.txt" --force || fail=1

# The help text is printed on request (exit 0) and names every option.
"$tally" describe --help >"$tmp/help" || { echo "FAIL --help exit"; fail=1; }
for opt in --value --by --where --share --annual --window --periods --format; do
    grep -qF -- "$opt" "$tmp/help" || { echo "FAIL help lacks $opt"; fail=1; }
done

# Misuse: exit 2 with the reason; I/O: exit 3.
expect_fail no-file 2 "missing SERIES.csv"
expect_fail two-files 2 "one SERIES.csv only" $picss $picss
expect_fail unknown-column 2 "no numeric column 'nope'" $picss --value nope
expect_fail twice 2 "named twice" $picss --value attacks,attacks
expect_fail grouped 2 "describe one with --where region=VALUE or all with --by region" $prov
expect_fail no-group 2 "no group 'Mars' in column 'region'" $prov --where region=Mars
expect_fail bad-where 2 "--where wants COL=VALUE" $prov --where region
expect_fail share-no-by 2 "--share needs --by" $picss --share a+b
expect_fail share-unknown 2 "no group 'Mars'" $prov --by region --share 'Sindh+Mars'
expect_fail share-empty 2 "--share wants GROUP+GROUP" $prov --by region --share 'Sindh++Punjab'
expect_fail share-twice 2 "appears twice" $prov --by region --share 'Sindh+Sindh'
expect_fail by-and-where 2 "exclude each other" $prov --by region --where region=Sindh
expect_fail bad-window 2 "--window wants" $picss --window 0
expect_fail bad-format 2 "--format must be" $picss --format xml
expect_fail unknown-option 2 "unknown" $picss --bogus
expect_fail missing-file 3 "cannot open" "$tmp/does-not-exist.csv"
printf 'month,x\n2022-01,1\n2022-03,2\n' >"$tmp/hole.csv"
expect_fail hole 2 "period 2022-02 is missing" "$tmp/hole.csv"
printf 'month,x\n2022-01,a\n' >"$tmp/text.csv"
expect_fail text 2 "text.csv:2:2: column 'x': expected a number" "$tmp/text.csv"
printf 'month,region\n2022-01,a\n' >"$tmp/text.csv"
expect_fail text-region 2 "text.csv:2:2: column 'region': expected a number" "$tmp/text.csv"

if [ "$fail" = 0 ]; then
    echo "describe: all CLI checks passed"
fi
exit "$fail"
