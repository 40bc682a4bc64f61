#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PELT scaling: build bench/pelt_bench.c against the library in BUILD_DIR
# (default build/, configured and built if missing) and print, for each
# cost, a table of time per point for n = 10^3 .. 10^6 synthetic daily
# counts.  Linear-time PELT shows a flat "us / point" column.
# Usage: bash bench/pelt.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [ ! -f "$build/libtally.a" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build" --target tally -j"$(nproc)" >/dev/null
fi
cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude bench/pelt_bench.c \
   "$build/libtally.a" $(pkg-config --cflags --libs gsl) -lm \
   -o "$build/pelt_bench"
for cost in poisson normal meanvar; do
    echo "PELT, $cost cost, BIC penalty (best of 3 runs):"
    echo
    "$build/pelt_bench" "$cost"
    echo
done
