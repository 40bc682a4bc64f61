#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tally run: a study reruns byte for byte (also in another locale), --check
# passes on an untouched copy, names an input whose value was edited, and
# study files that try to write outside their folder are refused.
set -u
tally=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/models" "$t/data/pakistan-picss" "$t/data/pakistan-aggregates"
cp models/truce.ini "$t/models/"
cp data/pakistan-picss/monthly.csv "$t/data/pakistan-picss/"
cp data/pakistan-aggregates/province_year_picss.csv "$t/data/pakistan-aggregates/"
cd "$t"
expect() { # description, expected exit, actual exit
    if [ "$2" != "$3" ]; then
        echo "FAIL: $1: exit $3, expected $2"
        fail=1
    else
        echo "ok: $1"
    fi
}
"$tally" run models/truce.ini --no-render --out out1 2>/dev/null; expect "first run" 0 $?
LC_ALL=C.UTF-8 LANG=de_DE.UTF-8 LC_NUMERIC=de_DE.UTF-8 "$tally" run models/truce.ini --no-render --out out2 2>/dev/null
expect "second run, other locale" 0 $?
if diff -r out1 out2 >/dev/null; then echo "ok: identical bytes"; else echo "FAIL: runs differ"; diff -r out1 out2 | head; fail=1; fi
"$tally" run models/truce.ini --check --out out1 > check.txt 2>/dev/null; expect "--check on an untouched copy" 0 $?
grep -q "check passed" check.txt || { echo "FAIL: no 'check passed'"; fail=1; }
# Edit one value (2023-08 attacks 99 -> 98): the study's recorded sha256
# refuses the changed input at once ...
sed -i 's/^2023-08,99,/2023-08,98,/' data/pakistan-picss/monthly.csv
"$tally" run models/truce.ini --no-render --out out3 2> err.txt; expect "run with an edited input" 1 $?
grep -q "input 'picss' (../data/pakistan-picss/monthly.csv) has changed" err.txt \
    || { echo "FAIL: edited input not named: $(cat err.txt)"; fail=1; }
# ... and --check names it too.
"$tally" run models/truce.ini --check --out out1 > check.txt 2>/dev/null; expect "--check with an edited input" 1 $?
grep -q "input changed: picss (../data/pakistan-picss/monthly.csv)" check.txt \
    || { echo "FAIL: --check does not name the input: $(cat check.txt)"; fail=1; }
grep -q "output differs: its_attacks.json" check.txt \
    || { echo "FAIL: --check does not list changed outputs"; fail=1; }
# Names that would escape the output folder are refused.
printf '[study]\nname = x\n[step ../../etc]\ncommand = describe\n' > bad.ini
"$tally" run bad.ini 2> err.txt; expect "step name with .." 2 $?
grep -q "bad.ini:3:" err.txt || { echo "FAIL: no line number: $(cat err.txt)"; fail=1; }
printf '[study]\nname = x\n[step a]\ncommand = describe\noutput = /tmp/x\n' > bad2.ini
"$tally" run bad2.ini 2> err.txt; expect "output key" 2 $?
"$tally" run missing.ini 2> err.txt; expect "missing study file" 3 $?
exit $fail
