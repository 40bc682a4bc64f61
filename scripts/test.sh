#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, build tally with AddressSanitizer and
# UndefinedBehaviorSanitizer, and run the whole test suite (Criterion unit
# tests, command-line tests, reference cases).  Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTALLY_SANITIZE=ON \
      -DTALLY_WERROR=ON >/dev/null
cmake --build build-asan -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-asan
ctest --output-on-failure -j"$(nproc)"
