#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, build tally, and run the main job on the shipped
# data.  Usage: bash scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTALLY_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"
./build/tally --version
