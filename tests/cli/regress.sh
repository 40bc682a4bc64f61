#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Command-line checks of `tally regress` and `tally trend`: exit codes of
# CLI.md, the JSON layout, missing-row counting, error messages, and the
# longley reference case when the shared folder is present.
# Usage: bash tests/cli/regress.sh PATH/TO/tally   (from the repo root)
set -u
TALLY=${1:?usage: regress.sh PATH/TO/tally}
SHARED=${TALLY_SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

expect_rc() { # expected-code description command...
    local want=$1 what=$2
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else
        bad "$what: exit $rc, wanted $want"; cat "$tmp/err"; fi
}

# A small data file: y = 1 + 2 x + noise, with a missing cell in row 4.
cat >"$tmp/d.csv" <<'CSV'
y,x,z,cnt,pop
3.1,1,2,3,100
4.9,2,4,5,110
7.2,3,6,4,120
,4,8,9,130
10.8,5,10,8,140
13.1,6,12,12,150
15.0,7,14,10,160
16.8,8,16,14,170
CSV

expect_rc 0 "regress --help" "$TALLY" regress --help
grep -q -- "--hac LAG|auto" "$tmp/out" || bad "help lacks --hac"
grep -q "floor(4\*(n/100)^(2/9))" "$tmp/out" || bad "help lacks the HAC rule"
expect_rc 2 "missing --y" "$TALLY" regress "$tmp/d.csv" --x x
expect_rc 2 "unknown column" "$TALLY" regress "$tmp/d.csv" --y y --x nope
grep -q "nope" "$tmp/err" || bad "unknown column not named"
expect_rc 2 "bad family" "$TALLY" regress "$tmp/d.csv" --y y --x x --family binomial
expect_rc 2 "hac and robust" "$TALLY" regress "$tmp/d.csv" --y y --x x --hac 1 --robust hc0
expect_rc 2 "bad robust" "$TALLY" regress "$tmp/d.csv" --y y --x x --robust hc9
expect_rc 3 "missing file" "$TALLY" regress "$tmp/none.csv" --y y --x x
# x and z = 2x are collinear: exit 1 naming both.
expect_rc 1 "singular design" "$TALLY" regress "$tmp/d.csv" --y y --x x,z
grep -q "x, z" "$tmp/err" || { bad "singular terms not named"; cat "$tmp/err"; }

# JSON layout and the missing row.
expect_rc 0 "regress json" "$TALLY" regress "$tmp/d.csv" --y y --x x --format json
python3 - "$tmp/out" <<'PY' || bad "regress JSON layout"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("command", "family", "n", "df_residual", "coefficients", "loglik",
          "aic", "bic", "deviance", "null_deviance", "dispersion", "theta",
          "converged", "iterations", "r_squared", "adj_r_squared", "sigma",
          "f_statistic", "f_p_value", "n_missing", "vcov", "diagnostics"):
    assert k in d, k
assert d["command"] == "regress" and d["family"] == "gaussian"
assert d["n"] == 7 and d["n_missing"] == 1 and d["df_residual"] == 5
assert d["theta"] is None
c = d["coefficients"][1]
assert c["term"] == "x"
for k in ("estimate", "std_error", "statistic", "p_value", "conf_low",
          "conf_high"):
    assert isinstance(c[k], float), k
PY
grep -q "1 row(s) with a missing value" "$tmp/err" || bad "no missing-row warning"

# Count model with exposure and HAC: rate ratios, z tests, lag echoed.
expect_rc 0 "poisson json" "$TALLY" regress "$tmp/d.csv" --y cnt --x x \
    --family poisson --exposure pop --hac auto --format json
python3 - "$tmp/out" <<'PY' || bad "poisson JSON"
import json, math, sys
d = json.load(open(sys.argv[1]))
assert d["family"] == "poisson" and d["vcov"] == "HAC"
assert d["hac_lag"] == 2 and "floor" in d["hac_rule"], d["hac_lag"]
assert d["offset"] == "log(pop)" and d["statistic"] == "z"
c = d["coefficients"][1]
assert abs(c["rate_ratio"] - math.exp(c["estimate"])) < 1e-12
PY
expect_rc 0 "table" "$TALLY" regress "$tmp/d.csv" --y cnt --x x --family poisson --stars
grep -q "Rate ratios" "$tmp/out" || bad "table lacks rate ratios"
grep -q "Signif. codes" "$tmp/out" || bad "--stars has no legend"
expect_rc 0 "csv" "$TALLY" regress "$tmp/d.csv" --y y --x x --format csv
head -1 "$tmp/out" | grep -q "^term,estimate,std_error,statistic,p_value,conf_low,conf_high$" \
    || bad "csv header"
# Negative counts are bad data for a count model: exit 1 with a reason.
expect_rc 1 "negative counts" "$TALLY" regress "$tmp/d.csv" --y y --x x --family negbin --no-intercept
expect_rc 1 "all-zero counts" "$TALLY" regress <(printf 'y,x\n0,1\n0,2\n0,3\n0,4\n') --y y --x x --family poisson

# trend on a monthly series starting in July, with season dummies.
python3 - "$tmp/s.csv" <<'PY'
import sys, math
with open(sys.argv[1], "w") as f:
    f.write("month,attacks\n")
    for i in range(48):
        y, m = 2019 + (6 + i) // 12, (6 + i) % 12 + 1
        v = int(20 + 0.3 * i + 6 * math.sin(2 * math.pi * m / 12) + (i * 7) % 5)
        f.write("%d-%02d,%s\n" % (y, m, "NA" if i == 10 else v))
PY
expect_rc 0 "trend dummies" "$TALLY" trend "$tmp/s.csv" --value attacks --family poisson --season dummies --format json
python3 - "$tmp/out" <<'PY' || bad "trend JSON"
import json, sys
d = json.load(open(sys.argv[1]))
terms = [c["term"] for c in d["coefficients"]]
assert terms == ["intercept", "time"] + ["month%d" % k for k in range(2, 13)], terms
assert d["n"] == 47 and d["n_missing"] == 1
assert d["from"] == "2019-07" and d["to"] == "2023-06"
PY
expect_rc 0 "trend fourier" "$TALLY" trend "$tmp/s.csv" --value attacks --season fourier:6 --format json
python3 - "$tmp/out" <<'PY' || bad "trend fourier terms"
import json, sys
d = json.load(open(sys.argv[1]))
terms = [c["term"] for c in d["coefficients"]]
assert "sin6" not in terms and "cos6" in terms and len(terms) == 13, terms
PY
expect_rc 2 "trend bad season" "$TALLY" trend "$tmp/s.csv" --value attacks --season fourier:9

# The longley reference case (NIST-certified) through the checker.
if [ -f "$SHARED/reference/check.py" ]; then
    expect_rc 0 "longley reference" python3 "$SHARED/reference/check.py" "$TALLY" "$SHARED/reference/cases" -k longley
else
    echo "skip: $SHARED/reference/check.py absent"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
