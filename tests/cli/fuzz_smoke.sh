#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A short fuzz run for CI: every libFuzzer target in tests/fuzz (built with
# clang, ASan and UBSan as scripts/fuzz.sh does) runs SECONDS seconds
# (default 20), all at once, starting from its committed corpus.  New
# inputs go to a temporary folder, so the repository is not touched; a
# crash fails the test and its input is printed in hex, ready to be saved
# under tests/fuzz/regressions/<target>/.  Skipped (exit 77) without clang.
# Usage: bash tests/cli/fuzz_smoke.sh [PATH/TO/tally]   (from the repo root;
# the program is not used)
set -u
secs=${FUZZ_SMOKE_SECONDS:-20}
if ! command -v clang >/dev/null; then
    echo "fuzz_smoke: clang is not installed, skipped (apt-get install clang libclang-rt-14-dev)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The version header comes from CMake; configure a scratch tree for it.
gen=build/generated
if [ ! -f "$gen/tally_version_gen.h" ]; then
    cmake -S . -B "$tmp/cmake" -DTALLY_BUILD_TESTS=OFF >/dev/null || exit 1
    gen=$tmp/cmake/generated
fi
# -fno-sanitize=pointer-overflow: clang reports NULL + 0 (events_read.c
# points at an empty field buffer that was never allocated; reported, see
# tests/fuzz/regressions/events/null-pointer-plus-zero).  Drop it once fixed.
cflags=(-g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L -fno-sanitize-recover=undefined
        -fno-sanitize=pointer-overflow -Iinclude -Isrc -I"$gen")
# shellcheck disable=SC2207
libs=($(pkg-config --libs gsl jansson inih nettle) -lcsv -lm -lpthread)
shopt -s nullglob
srcs=(src/core/*.c src/io/*.c src/stats/*.c src/forecast/*.c src/plot/*.c src/study/*.c)

# The library once (nproc compilers at a time), then one link per target.
mkdir -p "$tmp/obj"
jobs=$(nproc)
n=0
for s in "${srcs[@]}"; do
    clang -fsanitize=fuzzer-no-link,address,undefined "${cflags[@]}" -c "$s" \
        -o "$tmp/obj/$(echo "$s" | tr / _).o" 2>>"$tmp/cc.log" &
    n=$((n + 1))
    if [ $((n % jobs)) -eq 0 ]; then
        wait
    fi
done
wait
for s in "${srcs[@]}"; do
    if [ ! -f "$tmp/obj/$(echo "$s" | tr / _).o" ]; then
        echo "FAIL: cannot compile $s"
        cat "$tmp/cc.log"
        exit 1
    fi
done
targets=()
for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c)
    if ! clang -fsanitize=fuzzer,address,undefined "${cflags[@]}" "$t" "$tmp"/obj/*.o \
        "${libs[@]}" -o "$tmp/$name"; then
        echo "FAIL: cannot build $name"
        exit 1
    fi
    targets+=("$name")
done

for name in "${targets[@]}"; do
    short=${name#fuzz_}
    mkdir -p "$tmp/new-$short" "$tmp/art-$short"
    corpus=()
    [ -d "tests/fuzz/corpus/$short" ] && corpus+=("tests/fuzz/corpus/$short")
    [ -d "tests/fuzz/regressions/$short" ] && corpus+=("tests/fuzz/regressions/$short")
    "$tmp/$name" -max_total_time="$secs" -max_len=8192 -timeout=25 \
        -rss_limit_mb=2048 -artifact_prefix="$tmp/art-$short/" \
        "$tmp/new-$short" "${corpus[@]}" >"$tmp/$name.log" 2>&1 &
done
wait

fail=0
for name in "${targets[@]}"; do
    short=${name#fuzz_}
    found=("$tmp/art-$short"/*)
    if [ ${#found[@]} -gt 0 ]; then
        echo "FAIL: $name found ${#found[@]} problem input(s):"
        grep -E "ERROR|SUMMARY|#[0-9]+ 0x" "$tmp/$name.log" | head -n 30
        for f in "${found[@]}"; do
            echo "--- $(basename "$f") (save as tests/fuzz/regressions/$short/NAME):"
            od -A x -t x1z -v "$f" | head -n 40
        done
        fail=1
    else
        echo "fuzz_smoke: $name: $(grep -E '^Done [0-9]+ runs' "$tmp/$name.log" || tail -n 1 "$tmp/$name.log")"
    fi
done
exit "$fail"
