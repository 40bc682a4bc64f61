#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tally changepoint from the command line: the reference case through
# check.py, a golden table (byte for byte), CSV and JSON shapes, --by with
# a failing group, determinism, and the exit code and message of each kind
# of failure (issue: changepoint).  Usage: bash tests/cli/changepoint.sh TALLY
set -u
tally=$1
shared=${TALLY_SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# run NAME EXPECTED_RC [ARGS...]: stdout to $tmp/out, stderr to $tmp/err.
run() {
    local name=$1 want=$2
    shift 2
    "$tally" changepoint "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -ne "$want" ]; then
        bad "$name: exit $rc, expected $want ($(head -c 300 "$tmp/err"))"
        return 1
    fi
    ok
}

# expect_err NAME TEXT: stderr contains TEXT.
expect_err() {
    if grep -qF -- "$2" "$tmp/err"; then ok; else
        bad "$1: stderr lacks '$2': $(head -c 300 "$tmp/err")"; fi
}

expect_out() {
    if grep -qF -- "$2" "$tmp/out"; then ok; else
        bad "$1: stdout lacks '$2'"; fi
}

# A 30-year series with breaks in 2003 and 2015.  R (strucchange 1.5-3):
# y <- c(12, 9, 11, 10, 13, 8, 10, 12, 9, 11, 10, 12, 19, 22, 18, 21, 20,
#        23, 19, 20, 22, 18, 21, 20, 17, 16, 15, 17, 14, 16)
# bp <- breakpoints(y ~ 1, h = 0.15): RSS 621.5 138.0278 60 58.5119 ...,
# BIC minimal at 2 breaks (126.3379), breakpoints 12 24, confint 11..13 and
# 23..26, means 10.58333 20.25 15.83333; sctest(Fstats(y ~ 1)) sup.F =
# 98.076; sctest(y ~ 1, type = "Chow", point = 12) F = 98.076, p =
# 1.192e-10; OLS-CUSUM S0 = 2.3269, p = 3.965e-05.
printf 'year,killed\n' >"$tmp/g.csv"
year=1991
for v in 12 9 11 10 13 8 10 12 9 11 10 12 19 22 18 21 20 23 19 20 22 18 21 \
         20 17 16 15 17 14 16; do
    printf '%s,%s\n' "$year" "$v" >>"$tmp/g.csv"
    year=$((year + 1))
done
cat >"$tmp/golden" <<'GOLDEN'
Change points in the mean of killed: 1991 to 2020 (n = 30)
Method: Bai-Perron least squares (strucchange::breakpoints), minimum segment 4,
  up to 6 breaks, number of breaks by BIC

Breaks (first period of the new regime), 95% interval:
  period index conf_low conf_high
  2003      13 2002     2004
  2015      25 2014     2017

Segments:
  from to    n     mean
  1991 2002 12 10.58333
  2003 2014 12    20.25
  2015 2020  6 15.83333

Number of breaks:
  breaks         RSS      BIC    LWZ
       0       621.5 182.8669 3.1951
       1   138.02778 144.5288 2.0225
       2 *        60 126.3379  1.527
       3   58.511905 132.3869 1.8459
       4   57.761905 138.8022 2.1846
       5   58.011905 145.7342 2.5496
       6   59.333333 153.2123  2.944

Tests of no change:
  test      statistic p-value   where
  sup-F       98.0761 < 2.2e-16 max at 2003; tried 1995..2017
  ave-F       20.0241 < 2.2e-16
  exp-F       45.9025 < 2.2e-16
  OLS-CUSUM   2.32686 3.965e-05 max at 2003; 5% boundary 1.3581
  Chow        98.0761 1.192e-10 new regime from 2003; F(1, 28)
GOLDEN
if run golden 0 "$tmp/g.csv" --value killed --chow 2003; then
    if cmp -s "$tmp/out" "$tmp/golden"; then ok; else
        bad "golden table differs:"; diff "$tmp/golden" "$tmp/out"; fi
    if [ -s "$tmp/err" ]; then bad "golden: unexpected stderr"; else ok; fi
fi

# Same input, same bytes.
"$tally" changepoint "$tmp/g.csv" --value killed --format json >"$tmp/a"
"$tally" changepoint "$tmp/g.csv" --value killed --format json >"$tmp/b"
if cmp -s "$tmp/a" "$tmp/b"; then ok; else bad "json output not deterministic"; fi

have_python=0
if command -v python3 >/dev/null 2>&1; then have_python=1; fi

# JSON: the fields of the reference README, conf intervals as periods.
if [ $have_python = 1 ]; then
    if python3 - "$tmp/a" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["command"] == "changepoint" and d["n"] == 30
assert [b["period"] for b in d["breaks"]] == ["2003", "2015"]
assert [b["index"] for b in d["breaks"]] == [13, 25]
assert [(b["conf_low"], b["conf_high"]) for b in d["breaks"]] == [("2002", "2004"), ("2014", "2017")]
assert [(s["from"], s["to"], s["n"]) for s in d["segments"]] == [("1991", "2002", 12), ("2003", "2014", 12), ("2015", "2020", 6)]
assert abs(d["rss"] - 60) < 1e-9 and abs(d["bic"] - 126.3379) < 1e-4
assert d["sup_f"]["period"] == "2003" and abs(d["sup_f"]["statistic"] - 98.076) < 1e-3
for k in ("ave_f", "exp_f", "cusum"):
    assert "statistic" in d[k] and "p_value" in d[k]
assert len(d["selection"]) == 7
PY
    then ok; else bad "json fields"; fi
fi

# Trend model: each segment carries its fitted line.
if run trend 0 "$tmp/g.csv" --value killed --model trend --format json; then
    expect_out trend '"fit": {'
    expect_out trend '"slope"'
fi

# CSV: a long section,item,key,value table.
if run csv 0 "$tmp/g.csv" --value killed --format csv; then
    if [ "$(head -1 "$tmp/out")" = "section,item,key,value" ]; then ok; else bad "csv header"; fi
    expect_out csv "break,1,period,2003"
    expect_out csv "segment,2,mean,20.25"
    expect_out csv "test,sup_f,period,2003"
fi

# PELT and binary segmentation with each cost.
for m in pelt binseg; do
    for c in normal meanvar poisson; do
        if run "$m-$c" 0 "$tmp/g.csv" --value killed --method $m --cost $c --format json; then
            expect_out "$m-$c" '"period": "2003"'
        fi
    done
done
run pelt-mbic 0 "$tmp/g.csv" --value killed --method pelt --penalty mbic && expect_out pelt-mbic "MBIC"
run pelt-manual 0 "$tmp/g.csv" --value killed --method pelt --penalty 1000 && expect_out pelt-manual "No break."
run binseg-max 0 "$tmp/g.csv" --value killed --method binseg --max-breaks 1 --format csv && expect_out binseg-max "break,1,period,2003"

# -o writes the file atomically; an existing file needs --force.
run out-file 0 "$tmp/g.csv" --value killed --chow 2003 -o "$tmp/res.txt"
if cmp -s "$tmp/res.txt" "$tmp/golden" && [ ! -s "$tmp/out" ]; then ok; else
    bad "-o: file differs from the golden table or stdout not empty"; fi
run out-exists 3 "$tmp/g.csv" --value killed -o "$tmp/res.txt" && expect_err out-exists "--force"

# Groups: --by analyses each; a failing group is reported, others printed.
{
    printf 'month,region,attacks\n'
    for i in $(seq 0 59); do
        y=$((2010 + i / 12)); mo=$((i % 12 + 1))
        printf '%d-%02d,North,%d\n' "$y" "$mo" $(( (i * 7) % 5 + (i > 30 ? 9 : 0) ))
    done
    for i in $(seq 0 29); do
        printf '%d-%02d,Quiet,4\n' $((2010 + i / 12)) $((i % 12 + 1))
    done
    for i in $(seq 0 7); do
        printf '%d-%02d,Short,%d\n' $((2010 + i / 12)) $((i % 12 + 1)) $((i % 3))
    done
} >"$tmp/grp.csv"
if run by 1 "$tmp/grp.csv" --value attacks --by region --format json; then
    expect_err by "region = Quiet: the series is constant"
    expect_err by "region = Short: too few observations (8)"
    expect_out by '"group": "North"'
    expect_out by '"period": "2012-08"'
    expect_out by '"error": "the series is constant'
fi
run where 0 "$tmp/grp.csv" --value attacks --where region=North && expect_out where "2012-08"

# Failures: each with its exit code and a message that says what is wrong.
run constant 1 "$tmp/grp.csv" --value attacks --where region=Quiet && expect_err constant "constant"
run short 1 "$tmp/grp.csv" --value attacks --where region=Short && expect_err short "needs at least 14 observations"
run short-pelt 1 "$tmp/grp.csv" --value attacks --where region=Short --method pelt --min-size 5 && expect_err short-pelt "needs at least 10"
head -11 "$tmp/g.csv" >"$tmp/g10.csv"
run short-10 1 "$tmp/g10.csv" --value killed && expect_err short-10 "too few observations (10)"
sed 's/^2000,11$/2000,NA/' "$tmp/g.csv" >"$tmp/gap.csv"
run gap 2 "$tmp/gap.csv" --value killed && expect_err gap "missing at 2000"
sed -e 's/^1991,12$/1991,NA/' -e 's/^2020,16$/2020,/' "$tmp/g.csv" >"$tmp/ends.csv"
run ends 0 "$tmp/ends.csv" --value killed && expect_out ends "2 missing at the ends left out"
run chow-outside 2 "$tmp/g.csv" --value killed --chow 2030 && expect_err chow-outside "outside the data"
run chow-edge 1 "$tmp/g.csv" --value killed --chow 1992 && expect_err chow-edge "Chow test"
run chow-bad 2 "$tmp/g.csv" --value killed --chow 2003-05 && expect_err chow-bad "--chow"
run no-value 2 "$tmp/g.csv" && expect_err no-value "--value"
run no-column 2 "$tmp/g.csv" --value nope && expect_err no-column "no column 'nope'"
run bad-method 2 "$tmp/g.csv" --value killed --method magic && expect_err bad-method "--method"
run bad-penalty 2 "$tmp/g.csv" --value killed --method pelt --penalty -3 && expect_err bad-penalty "--penalty"
run bp-mbic 2 "$tmp/g.csv" --value killed --penalty mbic && expect_err bp-mbic "breakpoints"
run pelt-trend 2 "$tmp/g.csv" --value killed --method pelt --model trend && expect_err pelt-trend "trend"
run pelt-max 2 "$tmp/g.csv" --value killed --method pelt --max-breaks 2 && expect_err pelt-max "max-breaks"
run bad-trim 2 "$tmp/g.csv" --value killed --trim 0.6 && expect_err bad-trim "--trim"
run both 2 "$tmp/grp.csv" --value attacks --by region --where region=North && expect_err both "not both"
run no-file 3 "$tmp/nope.csv" --value killed
run help 0 --help && expect_out help "Usage: tally changepoint"
printf 'year,c\n' >"$tmp/neg.csv"
for i in $(seq 1990 2019); do printf '%s,%s\n' "$i" $(( i == 2000 ? -1 : i % 4 )) >>"$tmp/neg.csv"; done
run negative 1 "$tmp/neg.csv" --value c --method pelt --cost poisson && expect_err negative "counts >= 0"

# The reference case, through the checker.
case_dir="$shared/reference/cases/nile-breakpoints"
if [ $have_python = 1 ] && [ -f "$case_dir/case.json" ]; then
    if python3 "$shared/reference/check.py" "$tally" "$case_dir" >"$tmp/check" 2>&1; then ok; else
        bad "check.py nile-breakpoints: $(cat "$tmp/check")"; fi
else
    echo "skip: reference case or python3 not found (TALLY_SHARED=$shared)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
