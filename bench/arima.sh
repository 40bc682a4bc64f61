#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark: automatic ARIMA, tally's arima:auto against R's
# forecast::auto.arima (defaults), in the same run on the same series:
# monthly windows of 72 months of real incident counts (GTD Pakistan, from
# ../shared/data when present), of R's monthly datasets, and simulated
# seasonal ARIMA and count series (bench/arima_gen.R, seeded).  Reports
# the time per series of each, the speed ratio, how often tally's AICc is
# no worse than R's (within 0.01: R's diffuse-start likelihood differs
# from the exact one by up to 0.005), and how often both choose the same
# orders.  R takes 1-5 s of CPU per series: run it in the background.
# Usage: bash bench/arima.sh [SERIES=300]   (from the repo root, after
# building tally in build/; TALLY_SHARED overrides ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
S=${1:-300}
BUILD=${BUILD:-build}
SHARED=${TALLY_SHARED:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -f "$BUILD/libtally.a" ] || { echo "build tally in $BUILD first" >&2; exit 2; }
command -v Rscript >/dev/null || { echo "Rscript not found" >&2; exit 77; }
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude bench/arima_bench.c \
   "$BUILD/libtally.a" $(pkg-config --libs gsl jansson inih nettle) -lcsv \
   -lpthread -lm -o "$tmp/arima_bench"
Rscript bench/arima_gen.R "$S" "$tmp/series" "$SHARED"
echo "auto.arima on $S monthly series ($(cut -f2 "$tmp/series/index.tsv" | sed 's/[:[].*//' | sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2}'))"
"$tmp/arima_bench" "$tmp/series" > "$tmp/tally.txt"
Rscript bench/arima_r.R "$tmp/series" > "$tmp/r.txt"
/usr/bin/python3 - "$tmp/tally.txt" "$tmp/r.txt" "$tmp/series/index.tsv" <<'PY'
import sys
def load(p):
    out = {}
    for line in open(p):
        f = line.split()
        out[f[0]] = f[1:]
    return out
t, r = load(sys.argv[1]), load(sys.argv[2])
src = dict(l.rstrip("\n").split("\t") for l in open(sys.argv[3]))
tt = sum(float(v[-1]) for v in t.values())
rt = sum(float(v[-1]) for v in r.values())
n = len(t)
both = [k for k in t if t[k][7] != "NA" and r[k][7] != "NA"]
d = {k: float(t[k][7]) - float(r[k][7]) for k in both}
noworse = sum(1 for k in both if d[k] <= 0.01)
better = sum(1 for k in both if d[k] < -0.01)
same = sum(1 for k in both if t[k][:7] == r[k][:7])
print("tally: %.4f s CPU per series (total %.2f s)" % (tt / n, tt))
print("R    : %.4f s CPU per series (total %.2f s)" % (rt / n, rt))
print("speed ratio R / tally: %.0fx" % (rt / tt))
print("fitted by both: %d of %d (tally failed %d, R failed %d)" % (
    len(both), n, sum(1 for k in t if t[k][7] == "NA"),
    sum(1 for k in r if r[k][7] == "NA")))
print("tally AICc no worse than R's (within 0.01): %d of %d (%.1f%%); better by more than 0.01: %d"
      % (noworse, len(both), 100.0 * noworse / max(len(both), 1), better))
print("same orders and constant: %d of %d (%.1f%%)" % (same, len(both), 100.0 * same / max(len(both), 1)))
worse = sorted((d[k], k) for k in both if d[k] > 0.01)
for dv, k in worse[-10:]:
    print("  worse by %.4f: %s %s tally %s R %s" % (dv, k, src[k], " ".join(t[k][:7]), " ".join(r[k][:7])))
PY
