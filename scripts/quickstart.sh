#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install what is missing, build tally, and run the main study (militant
# attacks in Pakistan before and after the end of the TTP truce) on the
# shipped data.  Usage: bash scripts/quickstart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DTALLY_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
./build/tally --version
./build/tally run models/truce.ini
echo
echo "Report:  plots/truce/report.md"
echo "Plots:   plots/truce/*.gp (gnuplot scripts) and plots/truce/*.png"
echo "Check:   ./build/tally run models/truce.ini --check"
