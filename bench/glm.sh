#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark: the Poisson trend-with-season GLM (intercept + time +
# month2..month12) fitted to many monthly series by tally (library, IRLS
# on GSL), R (glm and glm.fit) and statsmodels (GLM), in the same run on
# the same data; prints each time, the ratios, and checks that the three
# agree on the fitted time coefficients.
# Usage: bash bench/glm.sh [SERIES=1000] [MONTHS=240]   (from the repo root,
# after building tally in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
S=${1:-1000}
N=${2:-240}
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$BUILD/libtally.a" ] || { echo "build tally in $BUILD first" >&2; exit 2; }
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude bench/glm_bench.c \
   "$BUILD/libtally.a" $(pkg-config --libs gsl jansson inih nettle) -lcsv \
   -lpthread -lm -o "$tmp/glm_bench"
/usr/bin/python3 bench/glm_gen.py "$S" "$N" "$tmp/series.csv"
echo "Poisson trend + 11 month dummies, $S series x $N months"
read -r tf tt ts < <("$tmp/glm_bench" "$tmp/series.csv")
echo "tally (C, GSL)           : ${tt} s  (sum of time coefficients $ts)"
if command -v Rscript >/dev/null; then
    read -r rf rg rgf rs < <(Rscript bench/glm_r.R "$tmp/series.csv")
    echo "R glm()                  : ${rg} s  (sum $rs)"
    echo "R glm.fit()              : ${rgf} s"
else
    rg=NA; rgf=NA; rs=NA; echo "R: Rscript not found, skipped"
fi
if /usr/bin/python3 -c "import statsmodels" 2>/dev/null; then
    read -r pf pt ps < <(/usr/bin/python3 bench/glm_sm.py "$tmp/series.csv")
    echo "statsmodels GLM          : ${pt} s  (sum $ps)"
else
    pt=NA; ps=NA; echo "statsmodels: not installed, skipped"
fi
/usr/bin/python3 - "$tt" "$rg" "$rgf" "$pt" "$ts" "$rs" "$ps" <<'PY'
import sys
t, rg, rgf, pt, ts, rs, ps = sys.argv[1:]
t = float(t)
for name, v in (("R glm()", rg), ("R glm.fit()", rgf), ("statsmodels", pt)):
    if v != "NA":
        print("speed-up of tally over %-12s: %.1fx" % (name, float(v) / t))
for name, v in (("R", rs), ("statsmodels", ps)):
    if v != "NA":
        d = abs(float(v) - float(ts)) / max(abs(float(ts)), 1e-300)
        print("agreement with %s (relative, summed coefficients): %.1e" % (name, d))
PY
