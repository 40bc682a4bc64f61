#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Command-line checks of `tally forecast`: exit codes of CLI.md, the JSON
# layout (order, seasonal_order, coefficients, forecast[]), the
# late-reporting guard (--drop-last, --as-of, the partial-period warning),
# series of zeros, missing values, too-short series, count models (integer
# limits, seed echoed, deterministic), determinism of arima:auto, and the
# reference cases for forecasting when the shared folder is present.
# Usage: bash tests/cli/forecast.sh PATH/TO/tally   (from the repo root)
set -u
TALLY=${1:?usage: forecast.sh PATH/TO/tally}
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

# USAccDeaths (R datasets), 1973-01 .. 1978-12, with a second column.
python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
y = [9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161,
     8927, 7750, 6981, 8038, 8422, 8714, 9512, 10120, 9823, 8743, 9129, 8710,
     8680, 8162, 7306, 8124, 7870, 9387, 9556, 10093, 9620, 8285, 8466, 8160,
     8034, 7717, 7461, 7767, 7925, 8623, 8945, 10078, 9179, 8037, 8488, 7874,
     8647, 7792, 6957, 7726, 8106, 8890, 9299, 10625, 9302, 8314, 8850, 8265,
     8796, 7836, 6892, 7791, 8192, 9115, 9434, 10484, 9827, 9110, 9070, 8633,
     9240]
per = ["%d-%02d" % (1973 + i // 12, i % 12 + 1) for i in range(len(y))]
with open(d + "/acc.csv", "w") as f:
    f.write("month,deaths,zeros\n")
    for p, v in zip(per, y):
        f.write("%s,%d,0\n" % (p, v))
# The last month reported at a fraction of its value (late reporting).
with open(d + "/late.csv", "w") as f:
    f.write("month,deaths\n")
    for i, (p, v) in enumerate(zip(per, y)):
        f.write("%s,%d\n" % (p, v if i < len(y) - 1 else 900))
# Interior and trailing missing values.
with open(d + "/gaps.csv", "w") as f:
    f.write("month,deaths\n")
    for i, (p, v) in enumerate(zip(per, y)):
        f.write("%s,%s\n" % (p, "NA" if i in (20, 40, 70, 71) else v))
# Eighteen months only.
with open(d + "/short.csv", "w") as f:
    f.write("month,deaths\n")
    for p, v in zip(per[:18], y[:18]):
        f.write("%s,%d\n" % (p, v))
# Small monthly counts.
import random
random.seed(4)
with open(d + "/counts.csv", "w") as f:
    f.write("month,attacks\n")
    for i, p in enumerate(per):
        f.write("%s,%d\n" % (p, max(0, int(10 + i / 8 + random.gauss(0, 3)))))
PY

expect_rc 0 "forecast --help" "$TALLY" forecast --help
grep -q -- "--drop-last" "$tmp/out" || bad "help lacks --drop-last"
expect_rc 2 "missing --model" "$TALLY" forecast "$tmp/acc.csv" --value deaths --horizon 3
expect_rc 2 "missing --horizon" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model naive
expect_rc 2 "bad model" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model arima:1,1 --horizon 3
grep -q "arima:p,d,q" "$tmp/err" || bad "bad model message"
expect_rc 2 "bad level" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model naive --horizon 3 --level 80,100
expect_rc 2 "drift on naive" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model naive --drift --horizon 3
expect_rc 2 "two values, no --value" "$TALLY" forecast "$tmp/acc.csv" --model naive --horizon 3
expect_rc 2 "unknown column" "$TALLY" forecast "$tmp/acc.csv" --value nope --model naive --horizon 3
expect_rc 2 "drop-last everything" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model naive --horizon 3 --drop-last 72
expect_rc 2 "as-of outside" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model naive --horizon 3 --as-of 1980-01
expect_rc 2 "both guards" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model naive --horizon 3 --as-of 1978-06 --drop-last 1
expect_rc 3 "missing file" "$TALLY" forecast "$tmp/none.csv" --value deaths --model naive --horizon 3

# Seasonal model on 18 months: analysis impossible, clear message.
expect_rc 1 "seasonal on short series" "$TALLY" forecast "$tmp/short.csv" --value deaths --model arima:0,1,1:0,1,1 --horizon 3
grep -q "two full seasons" "$tmp/err" || bad "short-series message"
# ... while auto.arima falls back to a non-seasonal model and says so.
expect_rc 0 "auto on short series" "$TALLY" forecast "$tmp/short.csv" --value deaths --model arima:auto --horizon 3 --format json
python3 - "$tmp/out" <<'PY' || bad "auto on short series: JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["seasonal_order"] == [0, 0, 0], d["seasonal_order"]
assert "two seasons or less" in d["note"], d["note"]
PY
# --log with zeros: exit 1, message names the period.
expect_rc 1 "log of zero" "$TALLY" forecast "$tmp/acc.csv" --value zeros --model arima:0,1,1 --log --horizon 3
grep -q "1973-01" "$tmp/err" || bad "log message lacks the period"

# JSON layout of a seasonal ARIMA.
expect_rc 0 "arima json" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model arima:0,1,1:0,1,1 --horizon 14 --format json
python3 - "$tmp/out" <<'PY' || bad "arima JSON layout"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("command", "model", "n", "order", "seasonal_order", "coefficients",
          "sigma2", "loglik", "aic", "aicc", "bic", "forecast"):
    assert k in d, k
assert d["model"] == "ARIMA(0,1,1)(0,1,1)[12]"
assert d["order"] == [0, 1, 1] and d["seasonal_order"] == [0, 1, 1]
assert all(isinstance(v, int) for v in d["order"] + d["seasonal_order"])
assert [c["term"] for c in d["coefficients"]] == ["ma1", "sma1"]
assert d["n"] == 72 and len(d["forecast"]) == 14
f = d["forecast"][0]
assert f["period"] == "1979-01"
assert [i["level"] for i in f["intervals"]] == [80, 95]
assert f["intervals"][1]["lower"] < f["intervals"][0]["lower"] < f["mean"]
# R: Arima(USAccDeaths, order = c(0,1,1), seasonal = c(0,1,1))$coef
assert abs(d["coefficients"][0]["estimate"] + 0.43028) < 5e-4
assert abs(d["loglik"] + 425.4411) < 0.01
PY
# Non-seasonal: seasonal_order [0, 0, 0]; drift term.
expect_rc 0 "drift json" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model arima:1,1,0 --drift --horizon 2 --format json
python3 - "$tmp/out" <<'PY' || bad "drift JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["seasonal_order"] == [0, 0, 0]
assert [c["term"] for c in d["coefficients"]] == ["ar1", "drift"]
assert d["model"] == "ARIMA(1,1,0) with drift"
PY

# Late reporting: a warning without a guard, none with --drop-last.
expect_rc 0 "late month" "$TALLY" forecast "$tmp/late.csv" --value deaths --model snaive --horizon 2
grep -q "drop-last" "$tmp/err" || { bad "no late-reporting warning"; cat "$tmp/err"; }
expect_rc 0 "drop-last" "$TALLY" forecast "$tmp/late.csv" --value deaths --model snaive --horizon 2 --drop-last 1 --format json
grep -q "drop-last" "$tmp/err" && bad "warning despite --drop-last"
python3 - "$tmp/out" <<'PY' || bad "drop-last JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["n"] == 71 and d["to"] == "1978-11"
assert d["forecast"][0]["period"] == "1978-12"
PY
expect_rc 0 "as-of" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model naive --horizon 1 --as-of 1977-06 --format json
python3 - "$tmp/out" <<'PY' || bad "as-of JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["to"] == "1977-06" and d["forecast"][0]["period"] == "1977-07"
assert d["forecast"][0]["mean"] == 9299
PY

# A series of zeros: forecast 0 with zero-width intervals, and a warning.
expect_rc 0 "zeros" "$TALLY" forecast "$tmp/acc.csv" --value zeros --model arima:auto --horizon 2 --format json
grep -q "constant" "$tmp/err" || bad "no constant-series warning"
python3 - "$tmp/out" <<'PY' || bad "zeros JSON"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["forecast"][1]
assert f["mean"] == 0 and f["intervals"][1]["upper"] == 0
PY

# Missing values: trailing ones dropped (forecast starts after the last
# observed month), interior ones skipped by the Kalman filter.
expect_rc 0 "gaps" "$TALLY" forecast "$tmp/gaps.csv" --value deaths --model arima:0,1,1:0,1,1 --horizon 2 --format json
grep -q "trailing" "$tmp/err" || bad "no trailing-missing warning"
python3 - "$tmp/out" <<'PY' || bad "gaps JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["n"] == 70 and d["n_missing"] == 2, (d["n"], d["n_missing"])
assert d["forecast"][0]["period"] == "1978-11"
PY

# Count models: integer, non-negative limits; seed echoed; deterministic.
expect_rc 0 "negbin" "$TALLY" forecast "$tmp/counts.csv" --value attacks --model poisson-trend --horizon 6 --seed 11 --format json
cp "$tmp/out" "$tmp/nb1"
python3 - "$tmp/out" <<'PY' || bad "count JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["seed"] == 11
for f in d["forecast"]:
    for i in f["intervals"]:
        assert i["lower"] == int(i["lower"]) and i["lower"] >= 0
        assert i["upper"] == int(i["upper"]) and i["upper"] >= f["mean"]
PY
"$TALLY" forecast "$tmp/counts.csv" --value attacks --model poisson-trend --horizon 6 --seed 11 --format json >"$tmp/nb2" 2>/dev/null
cmp -s "$tmp/nb1" "$tmp/nb2" && ok || bad "count model not deterministic"
expect_rc 2 "count model with --log" "$TALLY" forecast "$tmp/late.csv" --value deaths --model poisson-trend --horizon 2 --log
printf 'month,rate\n2020-01,1.5\n2020-02,2.5\n2020-03,0.5\n2020-04,1\n' >"$tmp/rate.csv"
expect_rc 1 "count model on non-counts" "$TALLY" forecast "$tmp/rate.csv" --value rate --model poisson-trend --horizon 2
grep -q "whole" "$tmp/err" || bad "non-count message"

# Regression with ARIMA errors: LakeHuron on x = year - 1920, the two
# future values of x in rows whose level is NA.  R: arima(LakeHuron,
# order = c(2,0,0), xreg = x, method = "ML"); predict(n.ahead = 2,
# newxreg = c(53, 54))$pred = 579.39725, 578.80523.
python3 - "$tmp" <<'PY'
import sys
lh = [580.38, 581.86, 580.97, 580.80, 579.79, 580.39, 580.42, 580.82, 581.40,
      581.32, 581.44, 581.68, 581.17, 580.53, 580.01, 579.91, 579.14, 579.16,
      579.55, 579.67, 578.44, 578.24, 579.10, 579.09, 579.35, 578.82, 579.32,
      579.01, 579.00, 579.80, 579.83, 579.72, 579.89, 580.01, 579.37, 578.69,
      578.19, 578.67, 579.55, 578.92, 578.09, 579.37, 580.13, 580.14, 579.51,
      579.24, 578.66, 578.86, 578.05, 577.79, 576.75, 576.75, 577.82, 578.64,
      580.58, 579.48, 577.38, 576.90, 576.94, 576.24, 576.84, 576.85, 576.90,
      577.79, 578.18, 577.51, 577.23, 578.42, 579.61, 579.05, 579.26, 579.22,
      579.38, 579.10, 577.95, 578.12, 579.75, 580.85, 580.41, 579.96, 579.61,
      578.76, 578.18, 577.21, 577.13, 579.10, 578.25, 577.91, 576.89, 575.96,
      576.80, 577.68, 578.38, 578.52, 579.74, 579.31, 579.89, 579.96]
with open(sys.argv[1] + "/huron.csv", "w") as f:
    f.write("year,level,x\n")
    for i in range(100):
        f.write("%d,%s,%d\n" % (1875 + i, lh[i] if i < 98 else "NA", 1875 + i - 1920))
PY
expect_rc 0 "xreg" "$TALLY" forecast "$tmp/huron.csv" --value level --model arima:2,0,0 --xreg x --horizon 2 --format json
[ -s "$tmp/err" ] && { bad "xreg: unexpected warning"; cat "$tmp/err"; }
python3 - "$tmp/out" <<'PY' || bad "xreg JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert [c["term"] for c in d["coefficients"]] == ["ar1", "ar2", "intercept", "x"]
assert abs(d["forecast"][0]["mean"] - 579.39725) < 1e-3
assert abs(d["forecast"][1]["mean"] - 578.80523) < 1e-3
assert d["model"] == "Regression with ARIMA(2,0,0) errors"
PY
expect_rc 2 "xreg without future rows" "$TALLY" forecast "$tmp/huron.csv" --value level --model arima:2,0,0 --xreg x --horizon 3
expect_rc 2 "xreg on ets" "$TALLY" forecast "$tmp/huron.csv" --value level --model ets:ANN --xreg x --horizon 2

# arima:auto is deterministic, and CSV output has one row per period.
"$TALLY" forecast "$tmp/acc.csv" --value deaths --model arima:auto --horizon 3 --format json >"$tmp/a1" 2>/dev/null
"$TALLY" forecast "$tmp/acc.csv" --value deaths --model arima:auto --horizon 3 --format json >"$tmp/a2" 2>/dev/null
cmp -s "$tmp/a1" "$tmp/a2" && ok || bad "arima:auto not deterministic"
expect_rc 0 "csv" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model drift --horizon 3 --format csv
[ "$(head -1 "$tmp/out")" = "month,mean,lower_80,upper_80,lower_95,upper_95" ] && ok || bad "csv header"
[ "$(wc -l <"$tmp/out")" -eq 4 ] && ok || bad "csv rows"
expect_rc 0 "auto" "$TALLY" forecast "$tmp/acc.csv" --value deaths --model auto --horizon 6 --format json
grep -q "rolling-origin" "$tmp/out" || bad "auto does not say why"

# Reference cases (forecast and ARIMA/ETS) when the shared folder is here.
if [ -f "$SHARED/reference/check.py" ]; then
    for c in airpassengers-airline-log ukgas-ets-mam; do
        if [ -d "$SHARED/reference/cases/$c" ]; then
            if python3 "$SHARED/reference/check.py" "$TALLY" \
                "$SHARED/reference/cases/$c" >"$tmp/chk" 2>&1; then ok; else
                bad "reference case $c"; cat "$tmp/chk"; fi
        fi
    done
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
