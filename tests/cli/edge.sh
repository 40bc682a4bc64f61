#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Numerical edge cases: a constant series, all-zero counts, a perfect fit,
# fewer rows than parameters, collinear regressors, no convergence and
# huge counts (1e15).  Each must give a clear message and exit 1, or a
# correct answer (checked against R where a number is printed; the R call
# is in the comment above each check).  Also checked on every run: no
# sanitizer report, no crash, and nothing on stdout after a failure.
# Usage: bash tests/cli/edge.sh PATH/TO/tally   (from the repo root)
set -u
TALLY=${1:?usage: edge.sh PATH/TO/tally}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
xfail=0

# ----------------------------------------------------------------------
# Inputs.
series() { # NAME VALUE... : a monthly series from 2018-01
    local name=$1 y=2018 m=1
    shift
    {
        echo "month,attacks"
        for v in "$@"; do
            printf '%04d-%02d,%s\n' "$y" "$m" "$v"
            m=$((m + 1))
            if [ "$m" -gt 12 ]; then
                m=1
                y=$((y + 1))
            fi
        done
    } >"$tmp/$name.csv"
}
# shellcheck disable=SC2046
series const $(for i in $(seq 36); do echo 5; done)
# shellcheck disable=SC2046
series zeros $(for i in $(seq 36); do echo 0; done)
# shellcheck disable=SC2046
series line $(for i in $(seq 0 35); do echo $((3 + 2 * i)); done)
series short 3 4
series twelve 3 5 4 6 8 7 5 9 12 10 11 9
# Counts around 1e15: floor(1e15 exp(0.01 i)), i = 0..35.
# shellcheck disable=SC2046
series huge $(python3 -c 'import math
print(" ".join(str(int(1e15 * math.exp(0.01 * i))) for i in range(36)))')
# y = 1 + 2x exactly.
{
    echo "y,x"
    for i in $(seq 0 9); do echo "$((1 + 2 * i)),$i"; done
} >"$tmp/perfect.csv"
# z = 2x + 1: collinear with x and the intercept.
{
    echo "y,x,z"
    for i in $(seq 0 9); do echo "$((1 + 2 * i + i % 3)),$i,$((2 * i + 1))"; done
} >"$tmp/collinear.csv"
printf 'y,a,b,c\n1,2,3,4\n2,3,1,5\n3,1,2,6\n' >"$tmp/fewer.csv"
# Counts that are 0 wherever d = 1: the Poisson MLE of d is -infinity.
{
    echo "y,d,x"
    for i in $(seq 0 19); do
        if [ "$i" -lt 5 ]; then echo "0,1,$i"; else echo "$((i % 4 + 1)),0,$i"; fi
    done
} >"$tmp/separated.csv"

# ----------------------------------------------------------------------
# run RC WORDS CMD ARGS... (WORDS separated by ';'; RC x-prefixed = known
# bug).  JSON checks: set CHECK to python code run with the parsed JSON
# in d, asserting what must hold.
CHECK=""
run() {
    local want=$1 words=$2
    shift 2
    local known=0
    if [ "${want#x}" != "$want" ]; then
        known=1
        want=${want#x}
    fi
    local what="$*"
    timeout 60 "$TALLY" "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    local problem=""
    if grep -q -e "ERROR: AddressSanitizer" -e "runtime error:" \
        -e "ERROR: LeakSanitizer" "$tmp/err"; then
        problem="sanitizer report"
    elif [ "$rc" -ge 124 ]; then
        problem="crashed or hung (exit $rc)"
    elif [ "$rc" -ne "$want" ]; then
        problem="exit $rc, wanted $want"
    else
        local IFS=';'
        for w in $words; do
            if ! grep -q -F -- "$w" "$tmp/err"; then
                problem="stderr lacks '$w'"
                break
            fi
        done
        unset IFS
        if [ -z "$problem" ] && [ "$rc" -ne 0 ] && [ -s "$tmp/out" ]; then
            problem="output on stdout after a failure"
        fi
        if [ -z "$problem" ] && [ -n "$CHECK" ]; then
            if ! python3 -c "
import json, math, sys
d = json.load(open(sys.argv[1]))
def close(a, b, tol):
    return a is not None and abs(a - b) <= tol * max(abs(b), 1e-300)
def coef(term, key='estimate'):
    return [c[key] for c in d['coefficients'] if c['term'] == term][0]
$CHECK
" "$tmp/out" 2>"$tmp/py"; then
                problem="value check failed: $(tail -n 1 "$tmp/py")"
            fi
        fi
    fi
    CHECK=""
    if [ -z "$problem" ]; then
        [ "$known" = 1 ] && echo "XPASS (known bug fixed? drop the x): $what"
        pass=$((pass + 1))
    elif [ "$known" = 1 ]; then
        echo "XFAIL (known bug): $what: $problem"
        xfail=$((xfail + 1))
    else
        echo "FAIL: $what: $problem"
        sed 's/^/    /' "$tmp/err" | head -c 1500
        fail=$((fail + 1))
    fi
}

C=$tmp/const.csv
Z=$tmp/zeros.csv

# --- A constant series (36 months of 5). ---
run 0 "" describe "$C" --value attacks
# R: summary(lm(rep(5,36) ~ seq_len(36))) warns "essentially perfect fit"
# and prints a t test of a 5e-17 slope (p = 0.09): no test exists.
CHECK="assert d['perfect_fit'] is True
assert close(coef('intercept'), 5, 1e-12)
assert abs(coef('time')) < 1e-12
assert coef('time', 'statistic') is None and coef('time', 'p_value') is None"
run 0 "essentially perfect fit" trend "$C" --value attacks --format json
# R: glm(rep(5,36) ~ seq_len(36), family = poisson): intercept
# 1.6094379124341016 (log 5), slope -1.35e-17, s.e. 0.15223206868133721 and
# 0.0071749599652901107.
CHECK="assert close(coef('intercept'), math.log(5), 1e-12)
assert abs(coef('time')) < 1e-12
assert close(coef('intercept', 'std_error'), 0.15223206868133721, 1e-9)
assert close(coef('time', 'std_error'), 0.0071749599652901107, 1e-9)
assert abs(d['deviance']) < 1e-9"
run 0 "" trend "$C" --value attacks --family poisson --format json
run 1 "theta runs to infinity;use --family poisson" trend "$C" --value attacks --family negbin
run 1 "the series is constant (all 36 values are 5)" changepoint "$C" --value attacks
run 1 "the series is constant" changepoint "$C" --value attacks --method pelt --cost poisson
CHECK="assert all(f['mean'] == 5 for f in d['forecast'])"
run 0 "" forecast "$C" --value attacks --model naive --horizon 3 --format json
CHECK="assert all(f['mean'] == 5 for f in d['forecast'])"
run 0 "the series is constant (every value is 5)" forecast "$C" --value attacks --model arima:1,0,1 --horizon 3 --format json

# --- All-zero counts. ---
run 0 "" describe "$Z" --value attacks
run 1 "every count is 0: a log-link model has no finite estimate" trend "$Z" --value attacks --family poisson
run 1 "every count is 0" trend "$Z" --value attacks --family quasipoisson
run 1 "every count is 0" trend "$Z" --value attacks --family negbin
run 0 "essentially perfect fit" trend "$Z" --value attacks
run 1 "the series is constant (all 36 values are 0)" changepoint "$Z" --value attacks
run 1 "the series is constant" changepoint "$Z" --value attacks --method pelt --cost poisson
CHECK="assert all(f['mean'] == 0 for f in d['forecast'])"
run 0 "" forecast "$Z" --value attacks --model naive --horizon 2 --format json

# --- A perfect fit. ---
# R: coef(lm(y ~ x)) for y = 1 + 2x, x = 0..9: 1 and 2 (to rounding), with
# "essentially perfect fit".
CHECK="assert d['perfect_fit'] is True
assert close(coef('intercept'), 1, 1e-12) and close(coef('x'), 2, 1e-12)
assert coef('x', 'statistic') is None and d['f_statistic'] is None"
run 0 "essentially perfect fit" regress "$tmp/perfect.csv" --y y --x x --format json
run 0 "essentially perfect fit" regress "$tmp/perfect.csv" --y y --x x
grep -q "x  *2  *0  *NA  *NA" "$tmp/out" || { echo "FAIL: perfect fit table lacks NA tests"; fail=$((fail + 1)); }
grep -q -e "nan" -e "inf" "$tmp/out" && { echo "FAIL: perfect fit table prints nan/inf"; fail=$((fail + 1)); }
# R: coef(lm(3 + 2t ~ t)): 3, 2.
CHECK="assert close(coef('intercept'), 1, 1e-12) and close(coef('time'), 2, 1e-12)"
run 0 "essentially perfect fit" trend "$tmp/line.csv" --value attacks --format json
run 1 "theta runs to infinity" trend "$tmp/line.csv" --value attacks --family negbin

# --- Fewer rows than parameters. ---
run 1 "fewer.csv: 3 complete observation(s) for 4 coefficient(s)" regress "$tmp/fewer.csv" --y y --x a,b,c
run 1 "short.csv: 2 complete observation(s) for 2 coefficient(s)" trend "$tmp/short.csv" --value attacks
run 1 "short.csv: 2 complete observation(s) for 2 coefficient(s)" trend "$tmp/short.csv" --value attacks --family poisson
# 12 months, intercept + time + 11 month dummies = 13 coefficients.
run 1 "twelve.csv: 12 complete observation(s) for 13 coefficient(s)" trend "$tmp/twelve.csv" --value attacks --season dummies
run 1 "too few observations (2)" changepoint "$tmp/short.csv" --value attacks
run 1 "2 usable values;for 3 coefficients" forecast "$tmp/short.csv" --value attacks --model arima:1,0,1 --horizon 2

# --- Collinear regressors. ---
run 1 "rank deficient;x, z" regress "$tmp/collinear.csv" --y y --x x,z
run 1 "rank deficient;x, z" regress "$tmp/collinear.csv" --y y --x x,z --family poisson

# --- No convergence / no maximum-likelihood estimate. ---
run 1 "the maximum-likelihood estimate does not exist;separated.csv:2) (terms: d)" regress "$tmp/separated.csv" --y y --x d,x --family poisson
run 1 "does not exist" regress "$tmp/separated.csv" --y y --x d,x --family negbin

# --- Huge counts (1e15). ---
# R: glm(attacks ~ time, family = poisson): 34.528776394910686 and
# 0.010000000000000087 (s.e. 1.0300218264339175e-08, 4.6509195160517018e-10).
# (R warns that glm.fit did not converge: at 1e15 the deviance is only
# known to about +-1, so the coefficients, not the deviance, are checked.)
CHECK="assert close(coef('intercept'), 34.528776394910686, 1e-13)
assert close(coef('time'), 0.01, 1e-12)
assert close(coef('intercept', 'std_error'), 1.0300218264339175e-08, 1e-8)
assert close(coef('time', 'std_error'), 4.6509195160517018e-10, 1e-8)"
run 0 "" trend "$tmp/huge.csv" --value attacks --family poisson --format json
# R: coef(lm(attacks ~ time)): 976590264476702.625, 11951033535790.049;
# s.e. 2016997044634.213867, 95064549609.796616.
CHECK="assert close(coef('intercept'), 976590264476702.625, 1e-12)
assert close(coef('time'), 11951033535790.049, 1e-12)
assert close(coef('intercept', 'std_error'), 2016997044634.213867, 1e-10)
assert close(coef('time', 'std_error'), 95064549609.796616, 1e-10)"
run 0 "" trend "$tmp/huge.csv" --value attacks --format json
# The deviance at 1e15 used to be rounding noise of about +-1, so IRLS
# could not meet its relative tolerance and its / poisson-trend stopped
# with "IRLS did not converge".  R (glm with epsilon 1e-13, which warns
# that it did not converge either): attacks ~ time + level + slope with the
# break at 2019-01: 34.528776394910722, 0.0099999999999974987, 6.2e-15,
# 2.6e-15; s.e. 1.9205536170148489e-08, 2.5728644956383092e-09,
# 2.0474542729931323e-08, 2.7032240208569655e-09.
CHECK="assert close(coef('intercept'), 34.528776394910722, 1e-13)
assert close(coef('time'), 0.01, 1e-10)
assert abs(coef('level')) < 1e-12 and abs(coef('slope')) < 1e-12
assert close(coef('intercept', 'std_error'), 1.9205536170148489e-08, 1e-8)
assert close(coef('level', 'std_error'), 2.0474542729931323e-08, 1e-8)
assert close(coef('slope', 'std_error'), 2.7032240208569655e-09, 1e-8)
assert d['converged'] is True and abs(d['deviance']) < 1e-6"
run 0 "" its "$tmp/huge.csv" --value attacks --break 2019-01 --family poisson --format json
# The data are 1e15 exp(0.01 i) truncated: the forecasts at i = 36, 37, 38
# are 1e15 exp(0.36), ... to the fit's precision.
CHECK="assert all(close(f['mean'], 1e15 * math.exp(0.01 * (36 + i)), 1e-12)
           for i, f in enumerate(d['forecast']))"
run 0 "" forecast "$tmp/huge.csv" --value attacks --model poisson-trend --horizon 3 --format json
# python3: sum(int(1e15*math.exp(0.01*i)) for i in range(36)) =
# 43116637855997462, above 2^53: exact to double precision only.
CHECK="s = d['series'][0]
assert close(s['total'], 43116637855997462, 1e-15)
assert s['max']['value'] == 1419067548593257"
run 0 "" describe "$tmp/huge.csv" --value attacks --format json
run 0 "" changepoint "$tmp/huge.csv" --value attacks
CHECK="assert all(f['mean'] == 1419067548593257 for f in d['forecast'])"
run 0 "" forecast "$tmp/huge.csv" --value attacks --model naive --horizon 2 --format json

# --- Commands that landed later: its, compare, backtest, ETS. ---
run 0 "essentially perfect fit" its "$C" --value attacks --break 2019-01
run 1 "every count is 0" its "$Z" --value attacks --break 2019-01 --family poisson
run 1 "1 observation before the break 2018-02;needs at least 3" its "$tmp/short.csv" --value attacks --break 2018-02
run 0 "" compare "$Z" --value attacks --before 2018-01:2018-12 --after 2019-01:2019-12
grep -q "Both windows total 0: no rate ratio" "$tmp/out" || { echo "FAIL: compare of zeros does not say why there is no ratio"; fail=$((fail + 1)); }
run 0 "" compare "$C" --value attacks --before 2018-01:2018-12 --after 2019-01:2019-12
run 0 "" backtest "$C" --value attacks --model ets:ANN --horizon 3
run 1 "leave nothing to fit before a horizon of 100" backtest "$C" --value attacks --model naive --horizon 100
series mostlyzero 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 2 0 0
run 1 "multiplicative components need positive data (the minimum is 0)" forecast "$tmp/mostlyzero.csv" --value attacks --model ets:MAM --horizon 3
run 0 "" forecast "$tmp/huge.csv" --value attacks --model ets:auto --horizon 3
run 0 "" forecast "$tmp/huge.csv" --value attacks --model arima:auto --horizon 3

echo "edge: $pass passed, $fail failed, $xfail known bugs (expected to fail)"
[ "$fail" -eq 0 ]
