#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Command-line smoke tests under valgrind (memcheck): a handful of
# commands on the shipped data, on success paths and on error paths (a
# bad file, a failed fit, an output written with -o), must run without
# a memory error or a definite leak.  valgrind cannot run a sanitizer
# build, so when the binary given is one (scripts/test.sh), a plain
# debug build of the program alone is made in build-valgrind/.
# Skipped (exit 77) when valgrind is not installed.
# Usage: bash tests/cli/valgrind.sh PATH/TO/tally   (from the repo root)
set -u
TALLY=${1:?usage: valgrind.sh PATH/TO/tally}
if ! command -v valgrind >/dev/null; then
    echo "valgrind: not installed, skipped (apt-get install valgrind)"
    exit 77
fi
if ldd "$TALLY" 2>/dev/null | grep -q -e libasan -e libubsan; then
    if ! { cmake -S . -B build-valgrind -DTALLY_BUILD_TESTS=OFF \
        -DCMAKE_BUILD_TYPE=Debug >/dev/null &&
        cmake --build build-valgrind --target tally_cli -j"$(nproc)" >/dev/null; }; then
        echo "FAIL: cannot build build-valgrind/tally"
        exit 1
    fi
    TALLY=build-valgrind/tally
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
# 99: a memcheck error (1 is a tally exit code).
VG=(valgrind -q --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite --show-leak-kinds=definite)

run() { # EXPECTED-EXIT ARGS...
    local want=$1
    shift
    "${VG[@]}" "$TALLY" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then
        pass=$((pass + 1))
    else
        echo "FAIL: tally $*: exit $rc, wanted $want"
        head -c 3000 "$tmp/err"
        fail=$((fail + 1))
    fi
}

M=data/pakistan-picss/monthly.csv
P=data/pakistan-aggregates/province_year_picss.csv
# An event file: the first 300 rows of the shipped GTD extract when the
# shared folder is there, else a small one made here.
events=$tmp/events.csv
gtd=${TALLY_SHARED:-../shared}/data/gtd-pakistan-2001-2020/gtd_pakistan_2001_2020_slim.csv
if [ -f "$gtd" ]; then
    head -n 301 "$gtd" >"$events"
    run 0 aggregate "$events" --date DATE --by PROVINCE --sum FATALITIES,INJURED
else
    printf 'DATE,PROVINCE,FATALITIES\n2020-01-05,Sindh,3\n2020-03-07,Punjab,x\nTotal,,3\n' >"$events"
    run 0 aggregate "$events" --date DATE --by PROVINCE --sum FATALITIES --on-bad-row skip
fi
run 0 aggregate "$events" --date DATE --period year --on-bad-row skip -o "$tmp/agg.csv"
run 0 describe "$M" --value attacks,killed
run 0 describe "$P" --by region --value attacks --format json
run 0 trend "$M" --value attacks --family negbin --season dummies --hac auto
run 0 regress "$M" --y killed --x attacks --family poisson --format csv
run 0 changepoint "$M" --value attacks --format json
run 0 forecast "$M" --value attacks --model arima:1,1,1 --horizon 6
# Error paths free what they built.
run 2 describe tests/hostile/23-duplicate-period.csv --value attacks
run 2 aggregate tests/hostile/47-events-totals-row.csv --date Date --sum Killed
run 1 trend tests/hostile/20-negative-count.csv --value attacks --family poisson
run 3 describe "$tmp/does-not-exist.csv"
run 2 trend "$M" --value nope

echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
