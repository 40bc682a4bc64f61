#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tally backtest from the command line: the table and CSV byte for byte,
# the JSON fields against R (forecast 8.20:
#   e <- tsCV(USAccDeaths, snaive, h = 6, initial = 47)[48:66, ] etc., see
#   tests/test_backtest.c), --where on a grouped file, -o, and the exit
# status of each kind of failure.  Usage: bash backtest.sh PATH/TO/tally
set -u
tally=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # name expected actual
    if [ "$2" != "$3" ]; then
        echo "FAIL: $1"
        diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -20
        fail=1
    else
        echo "ok: $1"
    fi
}

# datasets::USAccDeaths, 1973-01 to 1978-12.
vals="9007 8106 8928 9137 10017 10826 11317 10744 9713 9938 9161 8927 7750
6981 8038 8422 8714 9512 10120 9823 8743 9129 8710 8680 8162 7306 8124 7870
9387 9556 10093 9620 8285 8466 8160 8034 7717 7461 7767 7925 8623 8945 10078
9179 8037 8488 7874 8647 7792 6957 7726 8106 8890 9299 10625 9302 8314 8850
8265 8796 7836 6892 7791 8192 9115 9434 10484 9827 9110 9070 8633 9240"
{
    echo "month,deaths"
    i=0
    for v in $vals; do
        printf '%d-%02d,%s\n' $((1973 + i / 12)) $((i % 12 + 1)) "$v"
        i=$((i + 1))
    done
} > "$tmp/usacc.csv"
# The same series twice in a grouped file (the second doubled).
{
    echo "month,region,deaths"
    tail -n +2 "$tmp/usacc.csv" | sed 's/^\([^,]*\),\(.*\)$/\1,A,\2/'
    tail -n +2 "$tmp/usacc.csv" | awk -F, '{printf "%s,B,%d\n", $1, 2 * $2}'
} > "$tmp/grouped.csv"

out=$("$tally" backtest "$tmp/usacc.csv" --value deaths --model snaive \
      --horizon 3 --initial 60 2>&1)
check "table" "Backtest: snaive on deaths, 1973-01 to 1978-12 (n = 72)
Origins:  1977-12 to 1978-09 (10; first window 60 values), horizon 3
Models:   Seasonal naive method (10)
MASE scale: 481.688 (mean absolute lag-12 difference of the first window)

             n         ME       RMSE        MAE        MPE       MAPE      MASE    cov80    cov95
all         30    227.567     348.92    264.433    2.49463    2.88936  0.548973      0.9        1
h=1         10        189    326.214      230.2    2.05627    2.51387  0.477903      0.9        1
h=2         10      221.4     346.07      262.6    2.42639    2.88399  0.545167      0.9        1
h=3         10      272.3    372.901      300.5    3.00122     3.2702  0.623848      0.9        1

Interval score (Winkler; smaller is better):  80%: 1554.85  95%: 2268.43
Proper scores (normal predictive distribution, 30 forecasts): CRPS 212.853, log score 7.46841
PIT: mean 0.6377 (0.5 when calibrated), deciles 0.000 0.000 0.000 0.000 0.167 0.333 0.200 0.100 0.100 0.100" "$out"

out=$("$tally" backtest "$tmp/usacc.csv" --value deaths --model snaive \
      --horizon 2 --initial 66 --level 90 --format csv 2>&1)
check "csv" "h,n,me,rmse,mae,mpe,mape,mase,coverage_90,interval_score_90,crps,log_score,pit_mean
all,10,412.10000000000002,490.21903267825087,440.30000000000001,4.4997021369902779,4.7686834418357575,1.0014826671159596,1,1860.4874830980414,285.60134002156792,7.6336896500598455,0.74620246646376631
1,5,353.60000000000002,471.79359893919712,410,3.884692004048059,4.4226546137390157,0.93256391895876334,1,1860.4874830980414,273.92501411348024,7.6069237390032871,0.70822755406823712
2,5,470.60000000000002,507.97657426302646,470.60000000000002,5.1147122699324985,5.1147122699324985,1.0704014152731562,1,1860.4874830980411,297.27766592965565,7.6604555611164047,0.78417737885929539" "$out"

# The table and CSV agree with R where R has the measure:
#   e <- tsCV(USAccDeaths, snaive, h = 3, initial = 59)[60:69, ]
#   ME 227.5666667 RMSE 348.9197138 MAE 264.4333333 MPE 2.4946263
#   MAPE 2.8893573 MASE 0.5489728 (scale 481.6875), and with h = 2,
#   initial = 65: ME 412.1, RMSE 490.21903267825087, MASE 1.0014826671159598,
#   coverage of the 90% intervals 1.
# JSON against R's figures (tests/test_backtest.c, rolling_origins_match_tscv).
if command -v python3 >/dev/null; then
    "$tally" backtest "$tmp/usacc.csv" --value deaths --model snaive \
        --horizon 6 --initial 48 --format json > "$tmp/bt.json"
    res=$(python3 - "$tmp/bt.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want = {"me": 210.21052631578948, "rmse": 312.12477824258434,
        "mae": 251.73684210526315, "mpe": 2.282349897604905,
        "mape": 2.805318401348303, "mase": 0.4565504441203765}
bad = [k for k, v in want.items() if abs(d[k] - v) > 1e-9 * abs(v)]
cov = {c["level"]: c["rate"] for c in d["coverage"]}
if abs(cov[80] - 0.9649122807017544) > 1e-12 or cov[95] != 1:
    bad.append("coverage")
if d["origins"] != 19 or d["n_forecasts"] != 114 or d["horizon"] != 6:
    bad.append("counts")
if len(d["by_horizon"]) != 6 or d["by_horizon"][0]["h"] != 1:
    bad.append("by_horizon")
if abs(d["by_horizon"][0]["mae"] - 212.21052631578948) > 1e-9:
    bad.append("by_horizon mae")
for k in ("interval_score", "crps", "log_score", "pit", "distribution",
          "first_origin", "last_origin", "models_fitted", "mase_scale"):
    if k not in d:
        bad.append(k)
print("ok" if not bad else "bad: " + ", ".join(bad))
PY
)
    check "json against R" "ok" "$res"
fi

# --where picks a group; the doubled series doubles the scale-dependent
# measures and keeps the scale-free ones.
a=$("$tally" backtest "$tmp/grouped.csv" --value deaths --where region=A \
    --model naive --horizon 2 --initial 60 --format csv | sed -n 2p)
b=$("$tally" backtest "$tmp/grouped.csv" --value deaths --where region=B \
    --model naive --horizon 2 --initial 60 --format csv | sed -n 2p)
ma=$(echo "$a" | cut -d, -f5); mb=$(echo "$b" | cut -d, -f5)
pa=$(echo "$a" | cut -d, -f7); pb=$(echo "$b" | cut -d, -f7)
check "--where scale" "ok" "$(awk -v a="$ma" -v b="$mb" -v c="$pa" -v d="$pb" \
    'BEGIN { print ((b - 2 * a) ^ 2 < 1e-12 && (c - d) ^ 2 < 1e-20) ? "ok" : "bad" }')"

# Count models are scored with their simulated distribution (the draws of
# their intervals): named so, the same bytes for the same --seed, other
# draws (slightly other scores) for another seed.
picss=data/pakistan-picss/monthly.csv
if [ -f "$picss" ]; then
    run_cm() {
        "$tally" backtest "$picss" --value attacks --model poisson-trend \
            --horizon 3 --initial 30 --format json "$@" 2>/dev/null
    }
    j1=$(run_cm); j2=$(run_cm); j3=$(run_cm --seed 7)
    check "count model distribution" '"simulated-poisson"' \
        "$(printf '%s' "$j1" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["distribution"]))')"
    check "count model same seed" "same" "$([ "$j1" = "$j2" ] && echo same)"
    check "count model other seed" "other" "$([ "$j1" != "$j3" ] && echo other)"
fi

# -o writes the file and nothing to stdout.
out=$("$tally" backtest "$tmp/usacc.csv" --value deaths --model naive \
      --horizon 2 --initial 66 --format csv -o "$tmp/out.csv")
check "-o stdout empty" "" "$out"
check "-o file" "h,n,me" "$(head -c 6 "$tmp/out.csv")"

# Exit status: 2 usage or bad input, 3 I/O, 1 analysis impossible.
status() { "$@" >/dev/null 2>&1; echo $?; }
check "missing --model" 2 "$(status "$tally" backtest "$tmp/usacc.csv" --value deaths --horizon 3)"
check "bad model" 2 "$(status "$tally" backtest "$tmp/usacc.csv" --value deaths --model foo --horizon 3)"
check "initial too large" 2 "$(status "$tally" backtest "$tmp/usacc.csv" --value deaths --model naive --horizon 6 --initial 70)"
check "bad horizon" 2 "$(status "$tally" backtest "$tmp/usacc.csv" --value deaths --model naive --horizon 0)"
check "no such file" 3 "$(status "$tally" backtest "$tmp/none.csv" --value deaths --model naive --horizon 3)"
check "no group" 2 "$(status "$tally" backtest "$tmp/grouped.csv" --value deaths --model naive --horizon 3)"
head -n 16 "$tmp/usacc.csv" > "$tmp/short.csv"
check "no origin can be fitted" 1 "$(status "$tally" backtest "$tmp/short.csv" --value deaths --model ets:AAdN --horizon 7 --initial 8)"
check "help" 0 "$(status "$tally" backtest --help)"
exit $fail
