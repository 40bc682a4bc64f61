#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmark: tally's ets:auto against R's forecast::ets (defaults) on a few
# hundred monthly series of 72 values, both run here and now.  Reports the
# speed ratio (total R CPU time / total tally CPU time, fitting only, one
# series at a time), how often tally's AICc is no worse than R's, how often
# both choose the same model, and the largest AICc differences.
#
# Usage: bash bench/ets.sh [BUILD_DIR] [N_SIMULATED]   (from the repo root;
# BUILD_DIR defaults to build, which must hold libtally.a).  Needs Rscript
# with the forecast package, a C compiler and python3.  The GTD series are
# added when ../shared/data holds the extract (it is not redistributable).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
nsim=${2:-120}
shared=${TALLY_SHARED:-../shared}
# ETS_BENCH_KEEP=DIR keeps the series and both result files there.
if [ -n "${ETS_BENCH_KEEP:-}" ]; then
    work=$ETS_BENCH_KEEP
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

command -v Rscript >/dev/null || { echo "ets.sh: Rscript not found" >&2; exit 77; }
[ -f "$build/libtally.a" ] || { echo "ets.sh: build $build first" >&2; exit 2; }

cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc bench/ets_bench.c \
   "$build/libtally.a" $(pkg-config --libs gsl jansson inih nettle) -lcsv \
   -lpthread -lm -o "$work/ets_bench"

Rscript bench/ets_series.R "$work/series.csv" "$shared" "$nsim"
"$work/ets_bench" "$work/series.csv" "$work/tally.csv"
Rscript bench/ets_r.R "$work/series.csv" "$work/r.csv"
python3 bench/ets_compare.py "$work/r.csv" "$work/tally.csv"
