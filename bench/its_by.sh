#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark: many interrupted time series.  `tally its --by district`
# (Poisson segmented regression with month dummies, the whole command:
# reading, fitting, effects and counterfactual, CSV out) on 1 and 2
# threads, against a loop of R glm() / glm.fit() and of statsmodels GLM
# over the same districts, in the same run on the same file.  Prints each
# time, the ratios and the agreement of the summed level coefficients.
# A third tally line times `tally compare --by` on the same file (a
# before/after window mean per group, nearly no arithmetic): the cost of
# reading the file and splitting it into groups, which stays serial.
# Usage: bash bench/its_by.sh [GROUPS=1000] [MONTHS=240]   (from the repo
# root, after building tally in build/; REPEAT=N runs, default 3, the
# fastest kept)
set -euo pipefail
cd "$(dirname "$0")/.."
S=${1:-1000}
N=${2:-240}
BUILD=${BUILD:-build}
REPEAT=${REPEAT:-3}
tally=$BUILD/tally
[ -x "$tally" ] || { echo "build tally in $BUILD first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 bench/its_by_gen.py "$S" "$N" "$tmp/series.csv"
args=(its "$tmp/series.csv" --value attacks --by district --break 2010-01
      --family poisson --season dummies --format csv)
echo "Poisson ITS (level + slope at 2010-01, 11 month dummies), $S districts x $N months"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# Wall seconds of the fastest of REPEAT runs of tally with $1 threads
# (the arguments after it replace the ITS command when given).
run_tally() {
    local th=$1 best=
    shift
    local a=("${args[@]}")
    [ $# -gt 0 ] && a=("$@")
    for _ in $(seq "$REPEAT"); do
        local t
        t=$( { TIMEFORMAT=%R; time "$tally" "${a[@]}" --threads "$th" \
            >"$tmp/out$th.csv" 2>/dev/null; } 2>&1 ) || true
        best=$(awk -v a="$t" -v b="$best" \
            'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
    done
    echo "$best"
}
t1=$(run_tally 1)
t2=$(run_tally 2)
cmp -s "$tmp/out1.csv" "$tmp/out2.csv" || { echo "1 and 2 threads differ" >&2; exit 1; }
ts=$(awk -F, '$2 == "level" { s += $3 } END { printf "%.12g", s }' "$tmp/out1.csv")
tr=$(run_tally 1 compare "$tmp/series.csv" --value attacks --by district \
    --before 2009-01:2009-12 --after 2010-01:2010-12 --format csv)
echo "tally its --by, 1 thread : ${t1} s  (sum of level coefficients $ts)"
echo "tally its --by, 2 threads: ${t2} s"
echo "tally compare --by (read): ${tr} s  (reading and splitting the file)"
if command -v Rscript >/dev/null; then
    read -r rf rg rgf rs < <(Rscript bench/its_by_r.R "$tmp/series.csv")
    echo "R glm() loop             : ${rg} s  (sum $rs; fitting only)"
    echo "R glm.fit() loop         : ${rgf} s  (fitting only)"
else
    rg=NA; rgf=NA; rs=NA; echo "R: Rscript not found, skipped"
fi
if /usr/bin/python3 -c "import statsmodels" 2>/dev/null; then
    read -r pf pt ps < <(/usr/bin/python3 bench/its_by_sm.py "$tmp/series.csv")
    echo "statsmodels GLM loop     : ${pt} s  (sum $ps; fitting only)"
else
    pt=NA; ps=NA; echo "statsmodels: not installed, skipped"
fi
/usr/bin/python3 - "$t1" "$t2" "$rg" "$rgf" "$pt" "$ts" "$rs" "$ps" <<'PY'
import sys
t1, t2, rg, rgf, pt, ts, rs, ps = sys.argv[1:]
t1, t2 = float(t1), float(t2)
print("speed-up of tally from 1 to 2 threads: %.2fx" % (t1 / t2))
for name, v in (("R glm()", rg), ("R glm.fit()", rgf), ("statsmodels", pt)):
    if v != "NA":
        print("%-12s / tally: %.1fx (1 thread), %.1fx (2 threads)"
              % (name, float(v) / t1, float(v) / t2))
for name, v in (("R", rs), ("statsmodels", ps)):
    if v != "NA":
        d = abs(float(v) - float(ts)) / max(abs(float(ts)), 1e-300)
        print("agreement with %s (relative, summed level coefficients): %.1e"
              % (name, d))
PY
