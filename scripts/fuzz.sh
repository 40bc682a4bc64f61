#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets in tests/fuzz with clang (ASan + UBSan) and run
# each for SECONDS seconds (default 60) on its corpus in tests/fuzz/corpus.
# Crashes are written to tests/fuzz/findings/.  Usage:
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
command -v clang >/dev/null || { echo "fuzz: clang is not installed (apt-get install clang libclang-rt-14-dev)"; exit 77; }
mkdir -p build-fuzz tests/fuzz/findings
[ -f build/generated/tally_version_gen.h ] || cmake -S . -B build >/dev/null
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_POSIX_C_SOURCE=200809L"
libs="$(pkg-config --libs gsl jansson inih nettle) -lcsv -lm -lpthread"
shopt -s nullglob
srcs=(src/core/*.c src/io/*.c src/stats/*.c src/forecast/*.c src/plot/*.c src/study/*.c)
targets=${*:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')}
for t in $targets; do
    clang $flags -Iinclude -Isrc -Ibuild/generated tests/fuzz/$t.c "${srcs[@]}" $libs -o build-fuzz/$t
    name=${t#fuzz_}
    mkdir -p tests/fuzz/corpus/$name
    echo "fuzz: $t for ${secs}s"
    build-fuzz/$t -max_total_time="$secs" -max_len=65536 -timeout=10 \
        -artifact_prefix=tests/fuzz/findings/ tests/fuzz/corpus/$name 2>&1 | tail -n 3
done
